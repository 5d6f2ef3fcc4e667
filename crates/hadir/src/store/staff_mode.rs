//! What the front desk and the supervisor read and change: booking search, reprints, and the
//! personal-data purge.

use jiff::civil::Date;
use rusqlite::{params, OptionalExtension, TransactionBehavior};
use serde::Serialize;

use super::checkins::{insert_print, tickets_where};
use super::Store;
use crate::error::Result;
use crate::store::{IssuedTicket, PrintOutcome};

/// What a ticket said when it was issued (`ticket_facts`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredTicketFacts {
    pub service: String,
    pub express: bool,
    pub slot: String,
    pub priority: Option<String>,
    pub applicant_name: Option<String>,
}

/// What the purge changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Purged {
    /// Cached bookings (with their applicants' names, birth dates, NIK digits) removed.
    pub bookings: usize,
    /// Ticket records whose applicant name was cleared (the ticket and its counts stay).
    pub ticket_names: usize,
    /// Rating comments cleared (free text may name people; the scores stay).
    pub comments: usize,
}

/// The latest attempt to print, for the staff screen's printer line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LastPrint {
    pub at: String,
    pub outcome: String,
    /// Stable code when it failed, e.g. `printer_unreachable`.
    pub reason: Option<String>,
}

impl Store {
    /// The most recent print attempt (first print or copy), if any.
    pub fn last_print(&self) -> Result<Option<LastPrint>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT at, outcome, reason FROM ticket_prints ORDER BY id DESC LIMIT 1",
            )?
            .query_row([], |row| {
                Ok(LastPrint {
                    at: row.get(0)?,
                    outcome: row.get(1)?,
                    reason: row.get(2)?,
                })
            })
            .optional()?)
    }

    /// Booking codes on `date` with an applicant born on `birth_date` whose name contains
    /// `name_part` (case-insensitive, ASCII letters as the feed sends them).
    pub fn find_codes_by_applicant(
        &self,
        name_part: &str,
        birth_date: Date,
        date: Date,
    ) -> Result<Vec<String>> {
        let pattern = format!(
            "%{}%",
            name_part.replace(['%', '_', '\\'], "").to_uppercase()
        );
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT a.booking_code FROM appointments a JOIN applicants p ON p.booking_code = a.booking_code
             WHERE a.date = ?1 AND p.birth_date = ?2 AND upper(p.name) LIKE ?3
             ORDER BY a.slot_start, a.booking_code LIMIT 20",
        )?;
        let codes = stmt
            .query_map(
                params![date.to_string(), birth_date.to_string(), pattern],
                |row| row.get(0),
            )?
            .collect::<rusqlite::Result<_>>()?;
        Ok(codes)
    }

    /// A ticket by id with what it said when issued.
    pub fn ticket_with_facts(
        &self,
        ticket_id: &str,
    ) -> Result<Option<(IssuedTicket, Option<StoredTicketFacts>)>> {
        let Some(ticket) = tickets_where(&self.conn, "t.id = ?1", params![ticket_id])?
            .into_iter()
            .next()
        else {
            return Ok(None);
        };
        let facts = self
            .conn
            .prepare_cached(
                "SELECT service, express, slot, priority, applicant_name FROM ticket_facts WHERE ticket_id = ?1",
            )?
            .query_row(params![ticket_id], |row| {
                Ok(StoredTicketFacts {
                    service: row.get(0)?,
                    express: row.get(1)?,
                    slot: row.get(2)?,
                    priority: row.get(3)?,
                    applicant_name: row.get(4)?,
                })
            })
            .optional()?;
        Ok(Some((ticket, facts)))
    }

    /// A ticket of `date` by its label (`A-012`), as staff read it off a screen or a stub.
    pub fn ticket_by_label(&self, label: &str, date: Date) -> Result<Option<IssuedTicket>> {
        Ok(tickets_where(
            &self.conn,
            "t.label = ?1 AND t.office_date = ?2",
            params![label, date.to_string()],
        )?
        .into_iter()
        .next())
    }

    /// Records a reprint (a copy marked SALINAN) and its outbox event, in one transaction.
    pub fn record_reprint(
        &mut self,
        ticket: &IssuedTicket,
        at: &str,
        outcome: &PrintOutcome,
        reason: &str,
    ) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        insert_print(&tx, &ticket.id, at, true, outcome)?;
        let nonce = uuid::Uuid::new_v4().to_string();
        let event = serde_json::json!({
            "nonce": nonce,
            "kind": "reprint",
            "booking_code": ticket.booking_code,
            "ticket": ticket.label,
            "reason": reason,
            "printed": matches!(outcome, PrintOutcome::Printed { .. }),
            "at": at,
        });
        tx.prepare_cached(
            "INSERT INTO outbox (nonce, kind, body, created_at) VALUES (?1, 'reprint', ?2, ?3)",
        )?
        .execute(params![nonce, event.to_string(), at])?;
        tx.commit()?;
        Ok(())
    }

    /// Removes personal data of office-local days before `before`: cached bookings (names,
    /// birth dates, NIK digits), names kept with tickets, rating comments. Tickets, check-ins,
    /// prints and rating scores stay, so every count stays the same.
    pub fn purge_personal_data(&mut self, before: Date) -> Result<Purged> {
        let cutoff = before.to_string();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let purged = Purged {
            bookings: tx.execute("DELETE FROM appointments WHERE date < ?1", [&cutoff])?,
            ticket_names: tx.execute(
                "UPDATE ticket_facts SET applicant_name = NULL WHERE applicant_name IS NOT NULL
                 AND ticket_id IN (SELECT id FROM tickets WHERE office_date < ?1)",
                [&cutoff],
            )?,
            comments: tx.execute(
                "UPDATE ratings SET comment = NULL WHERE comment IS NOT NULL AND office_date < ?1",
                [&cutoff],
            )?,
        };
        // The same comments wait in rating events not yet sent (or refused) upstream.
        for table in ["outbox", "sync_rejected"] {
            tx.execute(
                &format!(
                    "UPDATE {table} SET body = json_set(body, '$.comment', NULL)
                     WHERE kind = 'rating' AND json_extract(body, '$.comment') IS NOT NULL
                       AND substr(json_extract(body, '$.at'), 1, 10) < ?1"
                ),
                [&cutoff],
            )?;
        }
        tx.commit()?;
        Ok(purged)
    }
}

#[cfg(test)]
impl Store {
    /// Audit rows as (action, target), oldest first.
    pub(crate) fn audit_actions_for_tests(&self) -> Vec<(String, Option<String>)> {
        let mut stmt = self
            .conn
            .prepare("SELECT action, target FROM audit ORDER BY id")
            .expect("prepares");
        stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .expect("queries")
            .collect::<rusqlite::Result<_>>()
            .expect("reads")
    }
}
