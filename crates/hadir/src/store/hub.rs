//! Hub mode's share of the kiosk store: offline check-ins waiting for replay, and the doubles
//! a replay found.

use rusqlite::{params, TransactionBehavior};
use serde::Serialize;

use super::Store;
use crate::error::Result;

/// A check-in numbered from this kiosk's block, not yet in the hub.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingCheckin {
    pub checkin_id: i64,
    pub nonce: String,
    pub booking_code: String,
    pub applicant_index: i64,
    pub office_date: String,
    pub at: String,
    pub queue: String,
    pub number: i64,
    pub label: String,
    pub service: String,
    pub priority: Option<String>,
    /// A walk-in's category, pool and how it was issued; `None` for a booking's check-in.
    pub walkin: Option<super::PendingWalkin>,
    /// The applicant's name as the kiosk showed it (masked), for the counters; `None` when the
    /// store has no name for it (a token's check-in, a walk-in, a list purged since).
    pub masked_name: Option<String>,
}

/// An applicant checked in here and at another kiosk during a split.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HubDouble {
    pub office_date: String,
    pub booking_code: String,
    pub applicant_index: i64,
    pub our_label: String,
    pub other_label: String,
    pub other_kiosk: String,
}

impl Store {
    /// The oldest `limit` check-ins waiting for the hub.
    pub fn hub_pending(&self, limit: usize) -> Result<Vec<PendingCheckin>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.id, c.nonce, c.booking_code, c.applicant_index, c.office_date, c.at,
                    t.queue, t.number, t.label, COALESCE(f.service, 'baru'), f.priority, a.name
             FROM hub_pending p JOIN checkins c ON c.id = p.checkin_id
             JOIN tickets t ON t.checkin_id = c.id
             LEFT JOIN ticket_facts f ON f.ticket_id = t.id
             LEFT JOIN applicants a ON a.booking_code = c.booking_code
                                   AND a.idx = c.applicant_index
             ORDER BY c.id LIMIT ?1",
        )?;
        let mut rows: Vec<PendingCheckin> = stmt
            .query_map(params![limit as i64], |row| {
                Ok(PendingCheckin {
                    checkin_id: row.get(0)?,
                    nonce: row.get(1)?,
                    booking_code: row.get(2)?,
                    applicant_index: row.get(3)?,
                    office_date: row.get(4)?,
                    at: row.get(5)?,
                    queue: row.get(6)?,
                    number: row.get(7)?,
                    label: row.get(8)?,
                    service: row.get(9)?,
                    priority: row.get(10)?,
                    walkin: None,
                    masked_name: row
                        .get::<_, Option<String>>(11)?
                        .map(|name| crate::model::mask_name(&name))
                        .filter(|masked| !masked.is_empty()),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        for pending in &mut rows {
            pending.walkin = super::walkins::pending_walkin(&self.conn, pending.checkin_id)?;
        }
        Ok(rows)
    }

    /// Check-ins the hub now holds leave the pending list; doubles found are kept for staff.
    /// One transaction, so a crash replays (harmlessly: the hub knows the nonces) or not at all.
    pub fn settle_hub_pending(
        &mut self,
        replayed: &[i64],
        doubles: &[HubDouble],
        at: &str,
    ) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        for id in replayed {
            // A walk-in issued from the places the hub keeps for this kiosk: the hub just
            // counted it and keeps one place fewer; so does this kiosk's copy of that figure.
            tx.prepare_cached(
                "UPDATE walkin_holds SET held = MAX(held - 1, 0)
                 WHERE EXISTS (SELECT 1 FROM hub_pending WHERE checkin_id = ?1)
                   AND (office_date, pool) IN (SELECT office_date, pool FROM walkins
                                               WHERE checkin_id = ?1 AND over_quota = 0)",
            )?
            .execute(params![id])?;
            tx.prepare_cached("DELETE FROM hub_pending WHERE checkin_id = ?1")?
                .execute(params![id])?;
        }
        for double in doubles {
            tx.prepare_cached(
                "INSERT INTO hub_doubles (office_date, booking_code, applicant_index, our_label,
                                          other_label, other_kiosk, detected_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING",
            )?
            .execute(params![
                double.office_date,
                double.booking_code,
                double.applicant_index,
                double.our_label,
                double.other_label,
                double.other_kiosk,
                at
            ])?;
        }
        tx.commit()?;
        Ok(())
    }

    /// How many check-ins wait for the hub.
    pub fn hub_pending_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .prepare_cached("SELECT COUNT(*) FROM hub_pending")?
            .query_row([], |row| row.get(0))?)
    }

    /// Doubles found on replay, newest first.
    pub fn hub_doubles(&self, limit: usize) -> Result<Vec<HubDouble>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT office_date, booking_code, applicant_index, our_label, other_label, other_kiosk
             FROM hub_doubles ORDER BY id DESC LIMIT ?1",
        )?;
        let rows = stmt
            .query_map(params![limit as i64], |row| {
                Ok(HubDouble {
                    office_date: row.get(0)?,
                    booking_code: row.get(1)?,
                    applicant_index: row.get(2)?,
                    our_label: row.get(3)?,
                    other_label: row.get(4)?,
                    other_kiosk: row.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}
