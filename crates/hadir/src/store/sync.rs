//! What sync keeps in the store: delta cursors, the outbox read and settled, the log of events
//! upstream refused, and the health facts staff see.

use std::collections::BTreeMap;

use jiff::civil::Date;
use rusqlite::{params, OptionalExtension, TransactionBehavior};
use serde::Serialize;

use super::Store;
use crate::error::Result;

/// One event waiting in the outbox, as the push contract sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEvent {
    pub nonce: String,
    pub kind: String,
    /// The event's JSON object, exactly as written with the check-in it records.
    pub body: String,
}

/// An event upstream refused, kept for staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RejectedEvent {
    pub nonce: String,
    pub kind: String,
    pub reason: String,
    pub rejected_at: String,
}

/// What settling one push answer did to the outbox.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Settled {
    pub accepted: usize,
    pub rejected: usize,
}

impl Store {
    /// The cursor to resume `date`'s delta pull from, if a previous answer left one.
    pub fn feed_cursor(&self, office: &str, date: Date) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT cursor FROM feed_cursors WHERE office = ?1 AND date = ?2")?
            .query_row(params![office, date.to_string()], |row| row.get(0))
            .optional()?)
    }

    /// Forgets `date`'s cursor: the next pull asks for the full list.
    pub fn forget_feed_cursor(&mut self, office: &str, date: Date) -> Result<()> {
        self.conn
            .prepare_cached("DELETE FROM feed_cursors WHERE office = ?1 AND date = ?2")?
            .execute(params![office, date.to_string()])?;
        Ok(())
    }

    /// A counter's event (`call`, `finish`, `no_show`) as the hub wrote it, into this counter
    /// machine's outbox for the sync task to push: the same nonce as the hub's row, so a second
    /// copy is kept once (and the gateway counts it once).
    pub fn add_counter_event(
        &mut self,
        nonce: &str,
        kind: &str,
        body: &str,
        at: &str,
    ) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO outbox (nonce, kind, body, created_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (nonce) DO NOTHING",
            )?
            .execute(params![nonce, kind, body, at])?;
        Ok(())
    }

    /// The oldest `limit` events of the outbox, in the order they happened.
    pub fn outbox_batch(&self, limit: usize) -> Result<Vec<OutboxEvent>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT nonce, kind, body FROM outbox ORDER BY id LIMIT ?1")?;
        let events = stmt
            .query_map([limit as i64], |row| {
                Ok(OutboxEvent {
                    nonce: row.get(0)?,
                    kind: row.get(1)?,
                    body: row.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(events)
    }

    /// Applies a push answer in one transaction: accepted events leave the outbox, rejected ones
    /// move to the staff log. Nonces the outbox does not hold (an answer to an older resend) are
    /// ignored; events the answer does not name stay for the next push.
    pub fn settle_outbox(
        &mut self,
        accepted: &[String],
        rejected: &[(String, String)],
        at: jiff::Timestamp,
    ) -> Result<Settled> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut settled = Settled::default();
        for nonce in accepted {
            settled.accepted += tx
                .prepare_cached("DELETE FROM outbox WHERE nonce = ?1")?
                .execute([nonce])?;
        }
        for (nonce, reason) in rejected {
            let moved = tx
                .prepare_cached(
                    "INSERT INTO sync_rejected (nonce, kind, body, reason, rejected_at)
                     SELECT nonce, kind, body, ?2, ?3 FROM outbox WHERE nonce = ?1
                     ON CONFLICT (nonce) DO NOTHING",
                )?
                .execute(params![nonce, reason, at.to_string()])?;
            tx.prepare_cached("DELETE FROM outbox WHERE nonce = ?1")?
                .execute([nonce])?;
            settled.rejected += moved;
        }
        tx.commit()?;
        Ok(settled)
    }

    /// The newest events upstream refused, newest first.
    pub fn rejected_events(&self, limit: usize) -> Result<Vec<RejectedEvent>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT nonce, kind, reason, rejected_at FROM sync_rejected ORDER BY id DESC LIMIT ?1",
        )?;
        let events = stmt
            .query_map([limit as i64], |row| {
                Ok(RejectedEvent {
                    nonce: row.get(0)?,
                    kind: row.get(1)?,
                    reason: row.get(2)?,
                    rejected_at: row.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(events)
    }

    pub fn rejected_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .prepare_cached("SELECT COUNT(*) FROM sync_rejected")?
            .query_row([], |row| row.get(0))?)
    }

    /// Sets (or, with `None`, clears) sync health facts in one transaction.
    pub fn set_sync_facts(&mut self, facts: &[(&str, Option<&str>)]) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        for (key, value) in facts {
            match value {
                Some(value) => tx
                    .prepare_cached(
                        "INSERT INTO sync_state (key, value) VALUES (?1, ?2)
                         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    )?
                    .execute(params![key, value])?,
                None => tx
                    .prepare_cached("DELETE FROM sync_state WHERE key = ?1")?
                    .execute([key])?,
            };
        }
        tx.commit()?;
        Ok(())
    }

    /// Every sync health fact the store holds.
    pub fn sync_facts(&self) -> Result<BTreeMap<String, String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT key, value FROM sync_state")?;
        let facts = stmt
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(facts)
    }

    /// Bookings cached for `date` (any status).
    pub fn appointment_count_on(&self, date: Date) -> Result<i64> {
        Ok(self
            .conn
            .prepare_cached("SELECT COUNT(*) FROM appointments WHERE date = ?1")?
            .query_row([date.to_string()], |row| row.get(0))?)
    }

    /// Drops cached bookings (and with them applicants' names and birth dates) of days before
    /// `first_kept`, and their cursors. Check-ins and tickets stay: they are the office's record.
    pub fn drop_appointments_before(&mut self, first_kept: Date) -> Result<usize> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let first_kept = first_kept.to_string();
        let dropped = tx
            .prepare_cached("DELETE FROM appointments WHERE date < ?1")?
            .execute([&first_kept])?;
        tx.prepare_cached("DELETE FROM feed_cursors WHERE date < ?1")?
            .execute([&first_kept])?;
        tx.commit()?;
        Ok(dropped)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::fresh_store;
    use super::*;
    use crate::store::{ApplicantSlot, NewCheckin};

    fn at() -> jiff::Timestamp {
        "2026-11-29T01:00:00Z".parse().expect("timestamp")
    }

    fn check_in_two(store: &mut Store) {
        for code in ["MPAAAAAAAA", "MPBBBBBBBB"] {
            store
                .record_checkin(&NewCheckin {
                    booking_code: code,
                    applicants: vec![ApplicantSlot {
                        applicant_index: 0,
                        queue: "A".into(),
                        name: None,
                        priority: None,
                        nonce: None,
                    }],
                    office_date: "2026-11-29".parse().expect("date"),
                    at: "2026-11-29T09:00:00+08:00".into(),
                    kiosk: "K1",
                    facts: crate::store::BookingTicketFacts {
                        service: crate::model::Service::Baru,
                        express: false,
                        slot: String::new(),
                    },
                    by_staff: None,
                    numbering: crate::store::Numbering::Local,
                })
                .expect("ok")
                .expect("new");
        }
    }

    #[test]
    fn settling_removes_accepted_logs_rejected_and_keeps_the_rest() {
        let (_dir, mut store) = fresh_store();
        check_in_two(&mut store);
        let batch = store.outbox_batch(10).expect("reads");
        assert_eq!(batch.len(), 2);
        assert!(batch[0].body.contains("MPAAAAAAAA"), "oldest first");
        let settled = store
            .settle_outbox(&[batch[0].nonce.clone(), "not-ours".into()], &[], at())
            .expect("settles");
        assert_eq!(
            settled,
            Settled {
                accepted: 1,
                rejected: 0
            }
        );
        assert_eq!(store.outbox_len().expect("count"), 1, "unnamed event stays");
        let settled = store
            .settle_outbox(
                &[],
                &[(batch[1].nonce.clone(), "unknown_booking".into())],
                at(),
            )
            .expect("settles");
        assert_eq!(settled.rejected, 1);
        assert_eq!(store.outbox_len().expect("count"), 0);
        let log = store.rejected_events(10).expect("reads");
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].reason, "unknown_booking");
        assert_eq!(log[0].kind, "checkin");
    }

    #[test]
    fn facts_are_set_and_cleared() {
        let (_dir, mut store) = fresh_store();
        store
            .set_sync_facts(&[("last_error_code", Some("sync_timeout")), ("x", Some("1"))])
            .expect("sets");
        store.set_sync_facts(&[("x", None)]).expect("clears");
        let facts = store.sync_facts().expect("reads");
        assert_eq!(
            facts.get("last_error_code").map(String::as_str),
            Some("sync_timeout")
        );
        assert!(!facts.contains_key("x"));
    }
}
