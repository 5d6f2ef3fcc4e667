//! Check-ins, their tickets and the outbox events that report them, written together.

use jiff::civil::Date;
use rusqlite::{params, Connection, TransactionBehavior};
use serde::Serialize;

use super::Store;
use crate::error::Result;
use crate::model::{Priority, Service};
use crate::queue::ticket_label;

/// One applicant to check in: their position in the booking, the queue they join, and what
/// their ticket says about them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicantSlot {
    pub applicant_index: usize,
    pub queue: String,
    /// Unknown for a booking known only from its signed token.
    pub name: Option<String>,
    pub priority: Option<Priority>,
    /// The check-in's event nonce, when the caller chose it (hub mode: the same nonce goes to
    /// the hub and into the store, so a replay recognises it). `None`: a fresh one.
    pub nonce: Option<String>,
}

/// Where a check-in's numbers come from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Numbering {
    /// This kiosk's own counter per day and queue (standalone).
    #[default]
    Local,
    /// Numbers the office hub allocated, one per applicant, in order.
    Given(Vec<i64>),
    /// Hub unreachable: this kiosk's reserved block, `start` to `start + size - 1` per day and
    /// queue; the check-in is queued for replay to the hub.
    Block { start: i64, size: i64 },
}

/// What every ticket of a booking says, kept with the ticket for reprints and reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookingTicketFacts {
    pub service: Service,
    pub express: bool,
    /// `HH:MM-HH:MM`; empty when a token carried no slot.
    pub slot: String,
}

/// A check-in made by staff at the front desk rather than by a scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffCheckin<'a> {
    pub staff_id: i64,
    /// `manual` (no scan) or `override` (admitted despite a `too_late` refusal).
    pub kind: &'static str,
    pub reason: &'a str,
}

/// Everything needed to record a check-in of some or all applicants of a booking.
#[derive(Debug, Clone)]
pub struct NewCheckin<'a> {
    pub booking_code: &'a str,
    pub applicants: Vec<ApplicantSlot>,
    pub office_date: Date,
    /// RFC 3339 with the office's offset, e.g. `2026-11-29T08:41:07+08:00`.
    pub at: String,
    pub kiosk: &'a str,
    pub facts: BookingTicketFacts,
    /// `None` for a scan.
    pub by_staff: Option<StaffCheckin<'a>>,
    pub numbering: Numbering,
}

/// A ticket as issued (or found again for a booking already checked in).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IssuedTicket {
    pub id: String,
    pub label: String,
    pub queue: String,
    pub number: i64,
    pub booking_code: String,
    pub applicant_index: i64,
    pub group_pos: i64,
    pub group_size: i64,
    pub office_date: String,
    pub issued_at: String,
}

/// How putting a ticket on paper went; recorded per attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum PrintOutcome {
    Printed {
        sink: String,
    },
    Failed {
        sink: String,
        /// Stable code: `printer_unreachable`, `printer_failed`, `printer_refused`,
        /// `printer_timeout`, `render_failed`, `unsupported_on_platform`.
        reason: &'static str,
        detail: String,
    },
}

/// A booking's tickets of a day. `+` keeps SQLite off the index of the day's tickets, which
/// would read every ticket issued that day: the booking's check-ins come first (by their
/// booking code), then each one's ticket (by `checkin_id`).
const TICKETS_OF_BOOKING: &str = "c.booking_code = ?1 AND +t.office_date = ?2";

const INSERT_CHECKIN_EVENT: &str =
    "INSERT INTO outbox (nonce, kind, body, created_at) VALUES (?1, 'checkin', ?2, ?3)";

impl Store {
    /// Records the check-in, allocates consecutive numbers and writes one outbox event per
    /// applicant, in one durable transaction (the store runs with `synchronous=FULL`), so that
    /// nothing is printed for a number that could still be lost.
    ///
    /// Returns `None` when another writer checked in one of these applicants first (the unique
    /// constraint decided); the caller then reports the existing tickets.
    pub fn record_checkin(&mut self, new: &NewCheckin<'_>) -> Result<Option<Vec<IssuedTicket>>> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let date = new.office_date.to_string();
        let group_size = new.applicants.len() as i64;
        let method = if new.by_staff.is_some() {
            "manual"
        } else {
            "scan"
        };
        let mut issued = Vec::with_capacity(new.applicants.len());
        for (pos, slot) in new.applicants.iter().enumerate() {
            let nonce = slot
                .nonce
                .clone()
                .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
            let inserted = tx.prepare_cached("INSERT INTO checkins (booking_code, applicant_index, office_date, at, kiosk, method, nonce)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (booking_code, applicant_index, office_date) DO NOTHING")?.execute(
                params![new.booking_code, slot.applicant_index as i64, date, new.at, new.kiosk, method, nonce],
            )?;
            if inserted == 0 {
                return Ok(None); // dropping `tx` rolls back anything written above
            }
            let checkin_id = tx.last_insert_rowid();
            if let Some(staff) = &new.by_staff {
                tx.prepare_cached(
                    "INSERT INTO staff_checkins (checkin_id, staff_id, kind, reason) VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(params![checkin_id, staff.staff_id, staff.kind, staff.reason])?;
            }
            let number = ticket_number(
                &tx,
                &mut self.marks,
                &date,
                &slot.queue,
                &new.numbering,
                pos,
                checkin_id,
            )?;
            let ticket = IssuedTicket {
                id: uuid::Uuid::new_v4().simple().to_string(),
                label: ticket_label(&slot.queue, number),
                queue: slot.queue.clone(),
                number,
                booking_code: new.booking_code.to_owned(),
                applicant_index: slot.applicant_index as i64,
                group_pos: pos as i64 + 1,
                group_size,
                office_date: date.clone(),
                issued_at: new.at.clone(),
            };
            tx.prepare_cached("INSERT INTO tickets (id, checkin_id, office_date, queue, number, label, group_pos, group_size, issued_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")?.execute(
                params![
                    ticket.id, checkin_id, date, ticket.queue, number, ticket.label,
                    ticket.group_pos, group_size, new.at
                ],
            )?;
            tx.prepare_cached("INSERT INTO ticket_facts (ticket_id, service, express, slot, priority, applicant_name)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?.execute(params![
                ticket.id,
                new.facts.service.as_str(),
                new.facts.express,
                new.facts.slot,
                slot.priority.map(Priority::as_str),
                slot.name,
            ])?;
            let event = serde_json::json!({
                "nonce": nonce,
                "kind": "checkin",
                "booking_code": new.booking_code,
                "ticket": ticket.label,
                "applicant_index": slot.applicant_index,
                "at": new.at,
            });
            tx.prepare_cached(INSERT_CHECKIN_EVENT)?.execute(params![
                nonce,
                event.to_string(),
                new.at
            ])?;
            issued.push(ticket);
        }
        if let Some(staff) = new.by_staff.as_ref().filter(|s| s.kind == "override") {
            // Upstream learns that a refusal was overridden, and why, beside the check-ins.
            let nonce = uuid::Uuid::new_v4().to_string();
            let event = serde_json::json!({
                "nonce": nonce,
                "kind": "override",
                "booking_code": new.booking_code,
                "overrides": "too_late",
                "reason": staff.reason,
                "tickets": issued.iter().map(|t| t.label.as_str()).collect::<Vec<_>>(),
                "at": new.at,
            });
            tx.prepare_cached(
                "INSERT INTO outbox (nonce, kind, body, created_at) VALUES (?1, 'override', ?2, ?3)",
            )?
            .execute(params![nonce, event.to_string(), new.at])?;
        }
        tx.commit()?;
        Ok(Some(issued))
    }

    /// Tickets already issued to a booking on an office-local date, in number order.
    pub fn tickets_for_booking(
        &self,
        booking_code: &str,
        office_date: Date,
    ) -> Result<Vec<IssuedTicket>> {
        tickets_where(
            &self.conn,
            TICKETS_OF_BOOKING,
            params![booking_code, office_date.to_string()],
        )
    }

    /// Notes one attempt to print a ticket (first print or copy).
    pub fn record_print(
        &self,
        ticket_id: &str,
        at: &str,
        copy: bool,
        outcome: &PrintOutcome,
    ) -> Result<()> {
        insert_print(&self.conn, ticket_id, at, copy, outcome)
    }

    /// Today's tickets whose latest print attempt failed (or that were never printed): the
    /// front desk's reprint list.
    pub fn tickets_to_reprint(&self, office_date: Date) -> Result<Vec<IssuedTicket>> {
        tickets_where(
            &self.conn,
            "t.office_date = ?1 AND COALESCE((SELECT p.outcome FROM ticket_prints p WHERE p.ticket_id = t.id
                                              ORDER BY p.id DESC LIMIT 1), 'failed') = 'failed'",
            params![office_date.to_string()],
        )
    }

    /// Number of events waiting to be pushed upstream.
    pub fn outbox_len(&self) -> Result<i64> {
        Ok(self
            .conn
            .prepare_cached("SELECT COUNT(*) FROM outbox")?
            .query_row([], |row| row.get(0))?)
    }
}

/// One row of `ticket_prints`, on a connection or inside the caller's transaction.
pub(super) fn insert_print(
    conn: &Connection,
    ticket_id: &str,
    at: &str,
    copy: bool,
    outcome: &PrintOutcome,
) -> Result<()> {
    let (name, sink, reason, detail) = match outcome {
        PrintOutcome::Printed { sink } => ("printed", sink, None, None),
        PrintOutcome::Failed {
            sink,
            reason,
            detail,
        } => ("failed", sink, Some(*reason), Some(detail)),
    };
    conn.prepare_cached(
        "INSERT INTO ticket_prints (ticket_id, at, copy, sink, outcome, reason, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![ticket_id, at, copy, sink, name, reason, detail])?;
    Ok(())
}

/// The number of the `pos`-th ticket of a check-in (`checkin_id`) in `queue` on `date`, from
/// `numbering`, inside the caller's transaction: the check-in's and the walk-in's one way of
/// numbering. A number is covered by the marks beside the store before it can be committed; a
/// number from the offline block queues the check-in for replay to the hub.
pub(super) fn ticket_number(
    tx: &Connection,
    marks: &mut super::number_marks::NumberMarks,
    date: &str,
    queue: &str,
    numbering: &Numbering,
    pos: usize,
    checkin_id: i64,
) -> Result<i64> {
    Ok(match numbering {
        Numbering::Local => {
            let number = next_count(tx, date, queue)?;
            // Reserved outside the database before it can be committed (a restore).
            marks.cover(date, queue, number)?;
            number
        }
        Numbering::Given(numbers) => numbers.get(pos).copied().ok_or_else(|| {
            crate::Error::InvalidInput("the hub gave fewer numbers than applicants".into())
        })?,
        Numbering::Block { start, size } => {
            // The block has its own count, apart from the hub-mode counter.
            let counter = format!("{queue}~block");
            let count = next_count(tx, date, &counter)?;
            marks.cover(date, &counter, count)?;
            if count > *size {
                return Err(crate::Error::OfflineBlockExhausted {
                    queue: queue.to_owned(),
                });
            }
            tx.prepare_cached("INSERT INTO hub_pending (checkin_id) VALUES (?1)")?
                .execute(params![checkin_id])?;
            start + count - 1
        }
    })
}

/// The next count of a day's counter (a queue, or a queue's offline block), inside the caller's
/// transaction.
fn next_count(conn: &Connection, date: &str, counter: &str) -> Result<i64> {
    Ok(conn
        .prepare_cached(
            "INSERT INTO queue_counters (office_date, queue, last_number) VALUES (?1, ?2, 1)
             ON CONFLICT (office_date, queue) DO UPDATE SET last_number = last_number + 1
             RETURNING last_number",
        )?
        .query_row(params![date, counter], |row| row.get(0))?)
}

fn tickets_sql(condition: &str) -> String {
    format!(
        "SELECT t.id, t.label, t.queue, t.number, c.booking_code, c.applicant_index,
                t.group_pos, t.group_size, t.office_date, t.issued_at
         FROM tickets t JOIN checkins c ON c.id = t.checkin_id
         WHERE {condition} ORDER BY t.issued_at, t.group_pos"
    )
}

pub(super) fn tickets_where(
    conn: &Connection,
    condition: &str,
    args: impl rusqlite::Params,
) -> Result<Vec<IssuedTicket>> {
    let mut stmt = conn.prepare_cached(&tickets_sql(condition))?;
    let tickets = stmt
        .query_map(args, |row| {
            Ok(IssuedTicket {
                id: row.get(0)?,
                label: row.get(1)?,
                queue: row.get(2)?,
                number: row.get(3)?,
                booking_code: row.get(4)?,
                applicant_index: row.get(5)?,
                group_pos: row.get(6)?,
                group_size: row.get(7)?,
                office_date: row.get(8)?,
                issued_at: row.get(9)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(tickets)
}

#[cfg(test)]
mod tests {
    use super::super::tests::fresh_store;
    use super::*;

    fn checkin<'a>(code: &'a str, queues: &[&'static str]) -> NewCheckin<'a> {
        NewCheckin {
            booking_code: code,
            applicants: queues
                .iter()
                .enumerate()
                .map(|(applicant_index, queue)| ApplicantSlot {
                    applicant_index,
                    queue: (*queue).to_owned(),
                    name: Some(format!("APPLICANT {applicant_index}")),
                    priority: None,
                    nonce: None,
                })
                .collect(),
            office_date: "2026-11-29".parse().expect("date"),
            at: "2026-11-29T08:41:07+08:00".into(),
            kiosk: "K1",
            facts: BookingTicketFacts {
                service: Service::Baru,
                express: false,
                slot: "08:00-09:00".into(),
            },
            by_staff: None,
            numbering: Numbering::Local,
        }
    }

    #[test]
    fn the_outbox_write_builds_no_temporary_index() {
        let (_dir, store) = fresh_store();
        let opcodes = store
            .explain_opcodes(INSERT_CHECKIN_EVENT)
            .expect("explains");
        assert!(
            !opcodes.contains(&"OpenEphemeral".to_owned()),
            "{opcodes:?}"
        );
    }

    #[test]
    fn a_bookings_tickets_are_found_from_its_checkins_not_the_days_tickets() {
        let (_dir, store) = fresh_store();
        let plan = store
            .explain_query_plan(&tickets_sql(TICKETS_OF_BOOKING))
            .expect("explains");
        assert!(
            plan[0].starts_with("SEARCH c USING") && plan[0].contains("(booking_code=?)"),
            "{plan:?}"
        );
        assert!(
            !plan.iter().any(|step| step.contains("office_date=?")),
            "{plan:?}"
        );
    }

    #[test]
    fn numbers_count_up_per_queue_and_day() {
        let (_dir, mut store) = fresh_store();
        let first = store
            .record_checkin(&checkin("MPAAAAAAAA", &["A"]))
            .expect("ok")
            .expect("new");
        let second = store
            .record_checkin(&checkin("MPBBBBBBBB", &["A"]))
            .expect("ok")
            .expect("new");
        let other = store
            .record_checkin(&checkin("MPCCCCCCCC", &["B"]))
            .expect("ok")
            .expect("new");
        assert_eq!(first[0].label, "A-001");
        assert_eq!(second[0].label, "A-002", "A counts on");
        assert_eq!(other[0].label, "B-001", "B has its own count");
    }

    #[test]
    fn a_group_gets_consecutive_numbers_and_k_of_n() {
        let (_dir, mut store) = fresh_store();
        let tickets = store
            .record_checkin(&checkin("MPGROUP001", &["A", "A", "P"]))
            .expect("ok")
            .expect("new");
        let labels: Vec<_> = tickets.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["A-001", "A-002", "P-001"]);
        assert_eq!((tickets[2].group_pos, tickets[2].group_size), (3, 3));
        assert_eq!(
            store.outbox_len().expect("count"),
            3,
            "one outbox event per applicant"
        );
    }

    #[test]
    fn a_second_checkin_of_the_same_applicant_changes_nothing() {
        let (_dir, mut store) = fresh_store();
        store
            .record_checkin(&checkin("MPAAAAAAAA", &["A"]))
            .expect("ok")
            .expect("new");
        let again = store
            .record_checkin(&checkin("MPAAAAAAAA", &["A"]))
            .expect("ok");
        assert_eq!(
            again, None,
            "the unique constraint refuses a second check-in"
        );
        let tickets = store
            .tickets_for_booking("MPAAAAAAAA", "2026-11-29".parse().expect("date"))
            .expect("reads");
        assert_eq!(tickets.len(), 1);
        assert_eq!(
            store.outbox_len().expect("count"),
            1,
            "no second event either"
        );
        let next = store
            .record_checkin(&checkin("MPBBBBBBBB", &["A"]))
            .expect("ok")
            .expect("new");
        assert_eq!(
            next[0].label, "A-002",
            "the refused attempt burnt no number"
        );
    }
}
