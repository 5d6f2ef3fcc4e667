//! Priority walk-ins in the store: a walk-in is a check-in with no booking (its own
//! `WALKIN-...` reference in `checkins.booking_code`, one applicant, no name), its ticket in
//! the priority lane, a `walkins` row saying who it was for and which quota it counted in, and
//! a `walkin` outbox event, all written in one durable transaction.

use jiff::civil::Date;
use rusqlite::{params, OptionalExtension, Row, TransactionBehavior};
use serde::Serialize;

use super::checkins::ticket_number;
use super::{IssuedTicket, Numbering, Store};
use crate::error::{Error, Result};
use crate::model::{Priority, Service};
use crate::queue::ticket_label;
use crate::walkin_quota::WalkinChoice;

/// What a walk-in ticket's id starts with, so that every place holding the ticket (its QR, a
/// reprint, a report row) knows it was issued without a booking.
pub const WALKIN_TICKET_ID_PREFIX: &str = "walkin-";

/// What `checkins.booking_code` of a walk-in starts with: no booking code ever does (they are
/// letters and digits only).
pub const WALKIN_REFERENCE_PREFIX: &str = "WALKIN-";

/// Whether a ticket id is a walk-in's.
pub fn is_walkin_ticket_id(ticket_id: &str) -> bool {
    ticket_id.starts_with(WALKIN_TICKET_ID_PREFIX)
}

/// Whether a check-in's booking code is a walk-in's own reference.
pub fn is_walkin_reference(booking_code: &str) -> bool {
    booking_code.starts_with(WALKIN_REFERENCE_PREFIX)
}

/// Staff issuing a walk-in at the front desk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkinByStaff<'a> {
    pub staff_id: i64,
    /// Required to exceed the quota; kept with the staff check-in.
    pub reason: &'a str,
}

/// Everything needed to record one walk-in.
#[derive(Debug, Clone)]
pub struct NewWalkin<'a> {
    pub choice: WalkinChoice,
    /// The pool it counts in (`walkin_quota::Pool::key`) and that pool's quota at this moment.
    pub pool: String,
    pub quota: u32,
    /// The priority lane's queue letter.
    pub queue: &'a str,
    pub office_date: Date,
    /// Office-local RFC 3339.
    pub at: String,
    pub kiosk: &'a str,
    /// `None`: the applicant at the kiosk.
    pub by_staff: Option<WalkinByStaff<'a>>,
    /// Staff exceeded the quota.
    pub over_quota: bool,
    pub numbering: Numbering,
    /// The check-in's nonce (hub mode: the same at the hub) and the walk-in's own reference
    /// (`WALKIN-` and 12 characters, its `booking_code` here and at the hub).
    pub nonce: String,
    pub reference: String,
}

/// A walk-in ticket as staff see it in the day's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WalkinTicket {
    pub ticket_id: String,
    pub label: String,
    pub category: Priority,
    pub service: Service,
    pub office_date: String,
    pub issued_at: String,
    pub kiosk: String,
    pub by_staff: bool,
    pub over_quota: bool,
    /// Office-local RFC 3339 when staff turned it away; `None`: not turned away.
    pub turned_away_at: Option<String>,
    /// Turning it away gave its place back to the quota.
    pub frees_place: bool,
}

/// One walk-in of a report's period: what the exports count per category and service, and
/// the quota each counted against. Plain values, so the hub can fill the same rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WalkinRow {
    /// Office-local `YYYY-MM-DD`.
    pub office_date: String,
    pub label: String,
    pub category: String,
    pub service: String,
    /// The quota pool it counted in (`all`, `lansia`, `all/baru`, ...) and that pool's daily
    /// quota when it was issued.
    pub pool: String,
    pub quota: i64,
    pub kiosk: String,
    pub by_staff: bool,
    pub over_quota: bool,
    pub turned_away: bool,
    /// Turned away with its place given back: it no longer counts against the quota.
    pub frees_place: bool,
}

/// A hub-mode walk-in numbered offline, as the replay sends it (besides its check-in).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingWalkin {
    pub category: String,
    pub service: String,
    pub pool: String,
    /// The pool's quota when it was issued.
    pub quota: u32,
    pub by_staff: bool,
    pub over_quota: bool,
}

/// A walk-in turned away (hub mode), not yet told to the hub.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingRelease {
    pub checkin_id: i64,
    pub nonce: String,
    pub office_date: String,
    /// Its place goes back to the quota.
    pub frees_place: bool,
}

const WALKIN_COLUMNS: &str = "t.id, t.label, w.category, w.service, w.office_date, t.issued_at,
     c.kiosk, w.staff_id IS NOT NULL, w.over_quota, w.turned_away_at, w.frees_place";

fn walkin_ticket(row: &Row<'_>) -> rusqlite::Result<WalkinTicket> {
    let category: String = row.get(2)?;
    let service: String = row.get(3)?;
    Ok(WalkinTicket {
        ticket_id: row.get(0)?,
        label: row.get(1)?,
        category: Priority::parse(&category).unwrap_or(Priority::Lansia),
        service: Service::parse(&service).unwrap_or(Service::Baru),
        office_date: row.get(4)?,
        issued_at: row.get(5)?,
        kiosk: row.get(6)?,
        by_staff: row.get(7)?,
        over_quota: row.get(8)?,
        turned_away_at: row.get(9)?,
        frees_place: row.get(10)?,
    })
}

impl Store {
    /// Records a walk-in: the check-in, its number, its ticket and what the ticket says, the
    /// `walkins` row and its `walkin` outbox event, in one durable transaction (nothing is
    /// printed for a number that could still be lost).
    pub fn record_walkin(&mut self, new: &NewWalkin<'_>) -> Result<IssuedTicket> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let date = new.office_date.to_string();
        let (nonce, reference) = (&new.nonce, &new.reference);
        let method = if new.by_staff.is_some() {
            "manual"
        } else {
            "scan"
        };
        tx.prepare_cached(
            "INSERT INTO checkins (booking_code, applicant_index, office_date, at, kiosk, method, nonce)
             VALUES (?1, 0, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![reference, date, new.at, new.kiosk, method, nonce])?;
        let checkin_id = tx.last_insert_rowid();
        if let Some(staff) = &new.by_staff {
            tx.prepare_cached(
                "INSERT INTO staff_checkins (checkin_id, staff_id, kind, reason) VALUES (?1, ?2, 'manual', ?3)",
            )?
            .execute(params![checkin_id, staff.staff_id, staff.reason])?;
        }
        let number = ticket_number(
            &tx,
            &mut self.marks,
            &date,
            new.queue,
            &new.numbering,
            0,
            checkin_id,
        )?;
        let ticket = IssuedTicket {
            id: format!("{WALKIN_TICKET_ID_PREFIX}{}", uuid::Uuid::new_v4().simple()),
            label: ticket_label(new.queue, number),
            queue: new.queue.to_owned(),
            number,
            booking_code: reference.clone(),
            applicant_index: 0,
            group_pos: 1,
            group_size: 1,
            office_date: date.clone(),
            issued_at: new.at.clone(),
        };
        tx.prepare_cached(
            "INSERT INTO tickets (id, checkin_id, office_date, queue, number, label, group_pos, group_size, issued_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, 1, ?7)",
        )?
        .execute(params![
            ticket.id,
            checkin_id,
            date,
            ticket.queue,
            number,
            ticket.label,
            new.at
        ])?;
        // No name, ever: a walk-in shows their KTP or documents at the counter.
        tx.prepare_cached(
            "INSERT INTO ticket_facts (ticket_id, service, express, slot, priority, applicant_name)
             VALUES (?1, ?2, 0, '', ?3, NULL)",
        )?
        .execute(params![
            ticket.id,
            new.choice.service.as_str(),
            new.choice.category.as_str()
        ])?;
        tx.prepare_cached(
            "INSERT INTO walkins (checkin_id, office_date, category, service, pool, quota, staff_id, over_quota)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            checkin_id,
            date,
            new.choice.category.as_str(),
            new.choice.service.as_str(),
            new.pool,
            new.quota,
            new.by_staff.as_ref().map(|s| s.staff_id),
            new.over_quota
        ])?;
        // Upstream learns of the walk-in: its number, category and service, nothing personal.
        let event = serde_json::json!({
            "nonce": nonce,
            "kind": "walkin",
            "ticket": ticket.label,
            "category": new.choice.category.as_str(),
            "service": new.choice.service.as_str(),
            "by_staff": new.by_staff.is_some(),
            "over_quota": new.over_quota,
            "at": new.at,
        });
        tx.prepare_cached(
            "INSERT INTO outbox (nonce, kind, body, created_at) VALUES (?1, 'walkin', ?2, ?3)",
        )?
        .execute(params![nonce, event.to_string(), new.at])?;
        tx.commit()?;
        Ok(ticket)
    }

    /// Walk-ins counted against the quota on `office_date` (all but those turned away with
    /// their place freed), as (category, service, count).
    pub fn walkins_counted(&self, office_date: Date) -> Result<Vec<(Priority, Service, u32)>> {
        self.walkin_counts(
            "SELECT category, service, COUNT(*) FROM walkins
             WHERE office_date = ?1 AND frees_place = 0 GROUP BY category, service",
            office_date,
        )
    }

    /// Hub mode: walk-ins of `office_date` this kiosk issued from the places it keeps while
    /// the hub was unreachable, not yet replayed, as (category, service, count).
    pub fn walkins_offline_from_holds(
        &self,
        office_date: Date,
    ) -> Result<Vec<(Priority, Service, u32)>> {
        self.walkin_counts(
            "SELECT w.category, w.service, COUNT(*) FROM walkins w
             JOIN hub_pending p ON p.checkin_id = w.checkin_id
             WHERE w.office_date = ?1 AND w.over_quota = 0 GROUP BY w.category, w.service",
            office_date,
        )
    }

    fn walkin_counts(&self, sql: &str, office_date: Date) -> Result<Vec<(Priority, Service, u32)>> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt
            .query_map(params![office_date.to_string()], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, u32>(2)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows
            .into_iter()
            .filter_map(|(category, service, count)| {
                Some((
                    Priority::parse(&category)?,
                    Service::parse(&service)?,
                    count,
                ))
            })
            .collect())
    }

    /// Walk-ins of office-local days `from..=to`, in issue order (the exports' walk-in figures).
    pub fn report_walkins(&self, from: Date, to: Date) -> Result<Vec<WalkinRow>> {
        let mut stmt = self.conn.prepare(
            "SELECT w.office_date, t.label, w.category, w.service, w.pool, w.quota, c.kiosk,
                    w.staff_id IS NOT NULL, w.over_quota, w.turned_away_at IS NOT NULL, w.frees_place
             FROM walkins w JOIN checkins c ON c.id = w.checkin_id
             JOIN tickets t ON t.checkin_id = c.id
             WHERE w.office_date BETWEEN ?1 AND ?2 ORDER BY w.office_date, c.id",
        )?;
        let rows = stmt
            .query_map(params![from.to_string(), to.to_string()], |row| {
                Ok(WalkinRow {
                    office_date: row.get(0)?,
                    label: row.get(1)?,
                    category: row.get(2)?,
                    service: row.get(3)?,
                    pool: row.get(4)?,
                    quota: row.get(5)?,
                    kiosk: row.get(6)?,
                    by_staff: row.get(7)?,
                    over_quota: row.get(8)?,
                    turned_away: row.get(9)?,
                    frees_place: row.get(10)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Hub mode: the places of `pool` the hub confirmed it keeps for this kiosk on
    /// `office_date` (0 when it never said).
    pub fn walkin_held(&self, office_date: Date, pool: &str) -> Result<u32> {
        Ok(self
            .conn
            .prepare_cached("SELECT held FROM walkin_holds WHERE office_date = ?1 AND pool = ?2")?
            .query_row(params![office_date.to_string(), pool], |row| row.get(0))
            .optional()?
            .unwrap_or(0))
    }

    /// Hub mode: what the hub just said this kiosk keeps of each pool on `office_date`.
    pub fn set_walkin_held(&mut self, office_date: Date, held: &[(String, u32)]) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        for (pool, places) in held {
            tx.prepare_cached(
                "INSERT INTO walkin_holds (office_date, pool, held) VALUES (?1, ?2, ?3)
                 ON CONFLICT (office_date, pool) DO UPDATE SET held = excluded.held",
            )?
            .execute(params![office_date.to_string(), pool, places])?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The walk-in of a ticket issued on `office_date`, by its label (`P-014`) or id.
    pub fn find_walkin(&self, office_date: Date, ticket: &str) -> Result<Option<WalkinTicket>> {
        let sql = format!(
            "SELECT {WALKIN_COLUMNS} FROM walkins w
             JOIN checkins c ON c.id = w.checkin_id JOIN tickets t ON t.checkin_id = c.id
             WHERE w.office_date = ?1 AND (t.label = ?2 OR t.id = ?2)"
        );
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row(params![office_date.to_string(), ticket], walkin_ticket)
            .optional()?)
    }

    /// The walk-ins of `office_date`, in issue order (the staff list to pick one from).
    pub fn walkins_on(&self, office_date: Date) -> Result<Vec<WalkinTicket>> {
        let sql = format!(
            "SELECT {WALKIN_COLUMNS} FROM walkins w
             JOIN checkins c ON c.id = w.checkin_id JOIN tickets t ON t.checkin_id = c.id
             WHERE w.office_date = ?1 ORDER BY c.id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt
            .query_map(params![office_date.to_string()], walkin_ticket)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Staff turned a walk-in away at the counter: noted once (a second time changes nothing
    /// and returns `None`), with whether its place goes back to the quota, and a
    /// `walkin_turn_away` outbox event. In hub mode (`to_hub`) it waits to be told to the hub.
    pub fn turn_away_walkin(
        &mut self,
        ticket_id: &str,
        staff_id: i64,
        frees_place: bool,
        to_hub: bool,
        at: &str,
    ) -> Result<Option<WalkinTicket>> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let changed = tx
            .prepare_cached(
                "UPDATE walkins SET turned_away_at = ?2, turned_away_by = ?3, frees_place = ?4,
                        hub_release = CASE WHEN ?5 THEN 0 END
                 WHERE turned_away_at IS NULL
                   AND checkin_id = (SELECT checkin_id FROM tickets WHERE id = ?1)",
            )?
            .execute(params![ticket_id, at, staff_id, frees_place, to_hub])?;
        if changed == 0 {
            return Ok(None);
        }
        let sql = format!(
            "SELECT {WALKIN_COLUMNS} FROM walkins w
             JOIN checkins c ON c.id = w.checkin_id JOIN tickets t ON t.checkin_id = c.id
             WHERE t.id = ?1"
        );
        let walkin = tx
            .prepare_cached(&sql)?
            .query_row(params![ticket_id], walkin_ticket)?;
        let nonce = uuid::Uuid::new_v4().to_string();
        let event = serde_json::json!({
            "nonce": nonce,
            "kind": "walkin_turn_away",
            "ticket": walkin.label,
            "category": walkin.category.as_str(),
            "frees_place": frees_place,
            "at": at,
        });
        tx.prepare_cached(
            "INSERT INTO outbox (nonce, kind, body, created_at) VALUES (?1, 'walkin_turn_away', ?2, ?3)",
        )?
        .execute(params![nonce, event.to_string(), at])?;
        tx.commit()?;
        Ok(Some(walkin))
    }

    /// Hub mode: walk-ins turned away, not yet told to the hub, whose walk-in the hub already
    /// holds (one numbered offline is replayed first).
    pub fn walkin_releases_pending(&self) -> Result<Vec<PendingRelease>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT w.checkin_id, c.nonce, w.office_date, w.frees_place FROM walkins w
             JOIN checkins c ON c.id = w.checkin_id
             WHERE w.hub_release = 0
               AND NOT EXISTS (SELECT 1 FROM hub_pending p WHERE p.checkin_id = w.checkin_id)
             ORDER BY w.checkin_id",
        )?;
        let rows = stmt
            .query_map([], |row| {
                Ok(PendingRelease {
                    checkin_id: row.get(0)?,
                    nonce: row.get(1)?,
                    office_date: row.get(2)?,
                    frees_place: row.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Hub mode: the hub now knows these walk-ins were turned away.
    pub fn settle_walkin_releases(&mut self, checkin_ids: &[i64]) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        for id in checkin_ids {
            tx.prepare_cached("UPDATE walkins SET hub_release = 1 WHERE checkin_id = ?1")?
                .execute(params![id])?;
        }
        tx.commit()?;
        Ok(())
    }
}

/// What the replay sends of a pending check-in that is a walk-in; `None` for a booking's.
pub(super) fn pending_walkin(
    conn: &rusqlite::Connection,
    checkin_id: i64,
) -> Result<Option<PendingWalkin>> {
    conn.prepare_cached(
        "SELECT category, service, pool, quota, staff_id IS NOT NULL, over_quota FROM walkins
         WHERE checkin_id = ?1",
    )?
    .query_row(params![checkin_id], |row| {
        Ok(PendingWalkin {
            category: row.get(0)?,
            service: row.get(1)?,
            pool: row.get(2)?,
            quota: row.get(3)?,
            by_staff: row.get(4)?,
            over_quota: row.get(5)?,
        })
    })
    .optional()
    .map_err(Error::from)
}

#[cfg(test)]
mod tests {
    use super::super::tests::fresh_store;
    use super::*;

    fn walkin(category: Priority, at: &str, date: &str) -> NewWalkin<'static> {
        NewWalkin {
            choice: WalkinChoice {
                category,
                service: Service::Baru,
            },
            pool: "all".into(),
            quota: 50,
            queue: "P",
            office_date: date.parse().expect("date"),
            at: at.into(),
            kiosk: "K1",
            by_staff: None,
            over_quota: false,
            numbering: Numbering::Local,
            nonce: uuid::Uuid::new_v4().to_string(),
            reference: format!(
                "{WALKIN_REFERENCE_PREFIX}{}",
                &uuid::Uuid::new_v4().simple().to_string()[..12]
            ),
        }
    }

    #[test]
    fn a_walkin_gets_the_next_priority_number_and_one_event_without_personal_data() {
        let (_dir, mut store) = fresh_store();
        let day = "2026-11-29";
        let first = store
            .record_walkin(&walkin(Priority::Lansia, "2026-11-29T08:00:00+08:00", day))
            .expect("records");
        let second = store
            .record_walkin(&walkin(Priority::Anak, "2026-11-29T08:01:00+08:00", day))
            .expect("records");
        assert_eq!(
            (first.label.as_str(), second.label.as_str()),
            ("P-001", "P-002")
        );
        assert!(is_walkin_ticket_id(&first.id) && is_walkin_reference(&first.booking_code));
        assert_eq!(
            store
                .count_for_tests("SELECT COUNT(*) FROM outbox WHERE kind = 'walkin'")
                .expect("counts"),
            2
        );
        let body: String = store
            .conn
            .query_row("SELECT body FROM outbox ORDER BY id LIMIT 1", [], |r| {
                r.get(0)
            })
            .expect("an event");
        let event: serde_json::Value = serde_json::from_str(&body).expect("json");
        let mut keys: Vec<&str> = event
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "at",
                "by_staff",
                "category",
                "kind",
                "nonce",
                "over_quota",
                "service",
                "ticket"
            ],
            "nothing that names a person"
        );
        assert_eq!(
            store
                .count_for_tests(
                    "SELECT COUNT(*) FROM ticket_facts WHERE applicant_name IS NOT NULL"
                )
                .expect("counts"),
            0
        );
    }

    #[test]
    fn counts_are_per_day_and_a_freed_place_leaves_the_count() {
        let (_dir, mut store) = fresh_store();
        let late = store
            .record_walkin(&walkin(
                Priority::Lansia,
                "2026-11-29T23:59:00+08:00",
                "2026-11-29",
            ))
            .expect("records");
        store
            .record_walkin(&walkin(
                Priority::Lansia,
                "2026-11-30T00:01:00+08:00",
                "2026-11-30",
            ))
            .expect("records");
        let day = |d: &str| d.parse::<Date>().expect("date");
        assert_eq!(
            store.walkins_counted(day("2026-11-29")).expect("counts"),
            vec![(Priority::Lansia, Service::Baru, 1)]
        );
        let turned = store
            .turn_away_walkin(&late.id, 7, true, false, "2026-11-29T23:59:30+08:00")
            .expect("turns away")
            .expect("was not turned away yet");
        assert!(turned.frees_place);
        assert!(
            store
                .turn_away_walkin(&late.id, 7, true, false, "2026-11-29T23:59:40+08:00")
                .expect("answers")
                .is_none(),
            "once only"
        );
        assert!(store
            .walkins_counted(day("2026-11-29"))
            .expect("counts")
            .is_empty());
        assert_eq!(
            store
                .walkins_counted(day("2026-11-30"))
                .expect("counts")
                .len(),
            1,
            "the next day keeps its own"
        );
        assert_eq!(
            store
                .find_walkin(day("2026-11-29"), "P-001")
                .expect("finds")
                .expect("by label")
                .turned_away_at
                .as_deref(),
            Some("2026-11-29T23:59:30+08:00")
        );
    }
}
