//! The supervisor's datasets for an office-local date range: one query per dataset, read once
//! and rendered to every export format (`crate::report`), so a CSV and a PDF of the same period
//! can never disagree.
//!
//! Rows carry plain values (no SQLite types), so another store (the office hub's PostgreSQL)
//! can fill the same rows.

use std::collections::{BTreeMap, HashMap};

use jiff::civil::{Date, Time};
use rusqlite::params;
use serde::Serialize;

use super::Store;
use crate::error::{Error, Result};
use crate::model::hh_mm;

/// One ticket issued in the period, with what it said and how printing it went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TicketRow {
    /// Office-local `YYYY-MM-DD`.
    pub office_date: String,
    /// Office-local RFC 3339, when the number was issued.
    pub issued_at: String,
    pub label: String,
    pub queue: String,
    pub number: i64,
    pub booking_code: String,
    /// 0-based position of the applicant in the booking.
    pub applicant_index: i64,
    pub group_pos: i64,
    pub group_size: i64,
    pub kiosk: String,
    /// `scan`, `manual`, `walkin` (a walk-in at the kiosk), or `offline` (the hub's export).
    pub method: String,
    /// `None` for tickets issued before ticket facts were kept.
    pub service: Option<String>,
    pub express: Option<bool>,
    pub slot: Option<String>,
    /// `lansia`, `disabilitas`, `ibu_hamil`, `anak`; `None`: no priority.
    pub priority: Option<String>,
    /// As stored: full, unknown (`None`) or purged (`None`). Exports mask it unless told not to.
    pub applicant_name: Option<String>,
    /// `manual` or `override` when staff checked the applicant in.
    pub staff_kind: Option<String>,
    pub staff_name: Option<String>,
    pub staff_reason: Option<String>,
    /// Attempts that put the first copy on paper.
    pub prints_ok: i64,
    /// Failed attempts, first copies and reprints alike.
    pub prints_failed: i64,
    /// Copies marked SALINAN that were printed.
    pub reprints: i64,
    /// Outcome of the latest attempt; `None`: never tried.
    pub last_print: Option<String>,
    /// Hub mode: the applicant was also checked in elsewhere during a split, e.g.
    /// `A-003 (K1)`. Both tickets stay valid; staff decide.
    pub double: Option<String>,
    /// A priority walk-in without a booking (its category is `priority`; no booking code,
    /// `method` `walkin` when issued at the kiosk).
    pub walkin: bool,
}

/// One satisfaction rating given in the period (by the ticket's office-local day).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RatingRow {
    pub office_date: String,
    /// Office-local RFC 3339.
    pub at: String,
    /// The rated ticket's number (the ticket id stays out of exports: it is the rating key).
    pub label: String,
    pub kiosk: String,
    pub question_set: String,
    pub scores: BTreeMap<String, u8>,
    pub comment: Option<String>,
    pub answered_ms: i64,
    /// Misuse flags (`too_fast`, `burst`); empty when none.
    pub flags: Vec<String>,
}

/// One row of the audit log in the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaffActionRow {
    pub id: i64,
    /// Office-local RFC 3339.
    pub at: String,
    /// `None`: the admin CLI on the machine itself.
    pub staff_name: Option<String>,
    pub staff_role: Option<String>,
    pub action: String,
    pub target: Option<String>,
    pub reason: Option<String>,
}

/// Booked applicants of one cached day: how many checked in, how many can still come (their
/// check-in window had not closed at the report's moment) and, the rest, the no-shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoShowDay {
    pub date: String,
    pub booked: i64,
    pub checked_in: i64,
    /// Not checked in, but the slot plus the late window had not passed yet: not missing (yet).
    pub not_yet_due: i64,
}

impl NoShowDay {
    /// Booked, not checked in, and too late to come: what the report calls a no-show.
    pub fn no_shows(&self) -> i64 {
        self.booked - self.checked_in - self.not_yet_due
    }
}

/// Booked applicants of one cached day and slot end, and how many of them checked in that day.
/// Whether the rest are no-shows depends on the report's moment (`crate::report`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookedSlotRow {
    pub date: Date,
    pub slot_end: Time,
    pub booked: i64,
    pub checked_in: i64,
}

/// `from` and `to` as the text the store keeps, and the day after `to` for time ranges.
fn bounds(from: Date, to: Date) -> (String, String, String) {
    let after = to.tomorrow().unwrap_or(to);
    (from.to_string(), to.to_string(), after.to_string())
}

impl Store {
    /// Tickets issued on office-local days `from..=to`, by day and issue time.
    pub fn report_tickets(&self, from: Date, to: Date) -> Result<Vec<TicketRow>> {
        let (from, to, _) = bounds(from, to);
        // Driven by a scan of checkins in rowid order (a ticket's day is its check-in's day):
        // reading the table front to back beat walking the tickets' date index and jumping to
        // each row, by about a third for a month of tickets.
        let mut stmt = self.conn.prepare(
            "SELECT t.id, t.office_date, t.issued_at, t.label, t.queue, t.number, c.booking_code,
                    c.applicant_index, t.group_pos, t.group_size, c.kiosk, c.method,
                    f.service, f.express, f.slot, f.priority, f.applicant_name,
                    sc.kind, s.name, sc.reason, w.checkin_id IS NOT NULL
             FROM checkins c
             JOIN tickets t ON t.checkin_id = c.id
             LEFT JOIN ticket_facts f ON f.ticket_id = t.id
             LEFT JOIN staff_checkins sc ON sc.checkin_id = c.id
             LEFT JOIN staff s ON s.id = sc.staff_id
             LEFT JOIN walkins w ON w.checkin_id = c.id
             WHERE c.office_date BETWEEN ?1 AND ?2
             ORDER BY t.office_date, t.issued_at, c.booking_code, t.group_pos",
        )?;
        let mut by_id: HashMap<String, usize> = HashMap::new();
        let mut tickets = Vec::new();
        let mut rows = stmt.query(params![from, to])?;
        while let Some(row) = rows.next()? {
            by_id.insert(row.get(0)?, tickets.len());
            let walkin: bool = row.get(20)?;
            let method: String = row.get(11)?;
            tickets.push(TicketRow {
                office_date: row.get(1)?,
                issued_at: row.get(2)?,
                label: row.get(3)?,
                queue: row.get(4)?,
                number: row.get(5)?,
                // A walk-in's own reference is no booking code: exports leave it out.
                booking_code: if walkin { String::new() } else { row.get(6)? },
                applicant_index: row.get(7)?,
                group_pos: row.get(8)?,
                group_size: row.get(9)?,
                kiosk: row.get(10)?,
                method: if walkin && method == "scan" {
                    "walkin".into()
                } else {
                    method
                },
                service: row.get(12)?,
                express: row.get(13)?,
                slot: row.get(14)?,
                priority: row.get(15)?,
                applicant_name: row.get(16)?,
                staff_kind: row.get(17)?,
                staff_name: row.get(18)?,
                staff_reason: row.get(19)?,
                prints_ok: 0,
                prints_failed: 0,
                reprints: 0,
                last_print: None,
                double: None,
                walkin,
            });
        }
        // Print attempts folded in here rather than joined: ticket_prints has no index on
        // ticket_id, and grouping it in SQL sorted every attempt by a 32-character key (about
        // 180 ms for a month; this plain scan in rowid order takes a few).
        let mut stmt = self
            .conn
            .prepare("SELECT ticket_id, copy, outcome FROM ticket_prints ORDER BY id")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let ticket_id: String = row.get(0)?;
            let Some(&index) = by_id.get(&ticket_id) else {
                continue;
            };
            let copy: bool = row.get(1)?;
            let outcome: String = row.get(2)?;
            let ticket = &mut tickets[index];
            match (outcome.as_str(), copy) {
                ("printed", false) => ticket.prints_ok += 1,
                ("printed", true) => ticket.reprints += 1,
                _ => ticket.prints_failed += 1,
            }
            ticket.last_print = Some(outcome);
        }
        // Hub mode: applicants a replay found checked in at another kiosk too.
        let mut stmt = self.conn.prepare(
            "SELECT office_date, booking_code, applicant_index, other_label, other_kiosk
             FROM hub_doubles WHERE office_date BETWEEN ?1 AND ?2",
        )?;
        let mut rows = stmt.query(params![from, to])?;
        while let Some(row) = rows.next()? {
            let (date, code, index): (String, String, i64) =
                (row.get(0)?, row.get(1)?, row.get(2)?);
            let other = format!(
                "{} ({})",
                row.get::<_, String>(3)?,
                row.get::<_, String>(4)?
            );
            for ticket in tickets.iter_mut().filter(|t| {
                t.office_date == date && t.booking_code == code && t.applicant_index == index
            }) {
                ticket.double = Some(other.clone());
            }
        }
        Ok(tickets)
    }

    /// Ratings of tickets of office-local days `from..=to`, in the order they were given.
    pub fn report_ratings(&self, from: Date, to: Date) -> Result<Vec<RatingRow>> {
        let (from, to, _) = bounds(from, to);
        let mut stmt = self.conn.prepare(
            "SELECT r.office_date, r.at, t.label, r.kiosk, r.question_set, r.scores, r.comment,
                    r.answered_ms, r.flags
             FROM ratings r JOIN tickets t ON t.id = r.ticket_id
             WHERE r.office_date BETWEEN ?1 AND ?2
             ORDER BY r.office_date, r.at, r.id",
        )?;
        let mut rows = stmt.query(params![from, to])?;
        let mut ratings = Vec::new();
        while let Some(row) = rows.next()? {
            let scores: String = row.get(5)?;
            let flags: String = row.get(8)?;
            ratings.push(RatingRow {
                office_date: row.get(0)?,
                at: row.get(1)?,
                label: row.get(2)?,
                kiosk: row.get(3)?,
                question_set: row.get(4)?,
                // The store wrote both as JSON itself; a row it cannot read back is reported
                // with what is readable rather than failing the whole export.
                scores: serde_json::from_str(&scores).unwrap_or_default(),
                comment: row.get(6)?,
                answered_ms: row.get(7)?,
                flags: serde_json::from_str(&flags).unwrap_or_default(),
            });
        }
        Ok(ratings)
    }

    /// Audit rows written on office-local days `from..=to`, in log order.
    pub fn report_staff_actions(&self, from: Date, to: Date) -> Result<Vec<StaffActionRow>> {
        let (from, _, after) = bounds(from, to);
        // `at` is office-local RFC 3339 with one offset, so text order is time order.
        let mut stmt = self.conn.prepare(
            "SELECT a.id, a.at, s.name, s.role, a.action, a.target, a.reason
             FROM audit a LEFT JOIN staff s ON s.id = a.staff_id
             WHERE a.at >= ?1 AND a.at < ?2
             ORDER BY a.id",
        )?;
        let rows = stmt
            .query_map(params![from, after], |row| {
                Ok(StaffActionRow {
                    id: row.get(0)?,
                    at: row.get(1)?,
                    staff_name: row.get(2)?,
                    staff_role: row.get(3)?,
                    action: row.get(4)?,
                    target: row.get(5)?,
                    reason: row.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Per cached day of `from..=to` and slot end: applicants of bookings still `booked`, and
    /// how many of them checked in that day. Days no longer in the cache (older than
    /// `keep_days`) are absent.
    pub fn report_booked_slots(&self, from: Date, to: Date) -> Result<Vec<BookedSlotRow>> {
        let (from, to, _) = bounds(from, to);
        let mut stmt = self.conn.prepare(
            "SELECT a.date, a.slot_end, COUNT(*),
                    SUM(EXISTS (SELECT 1 FROM checkins c
                                WHERE c.booking_code = p.booking_code
                                  AND c.applicant_index = p.idx AND c.office_date = a.date))
             FROM appointments a JOIN applicants p ON p.booking_code = a.booking_code
             WHERE a.date BETWEEN ?1 AND ?2 AND a.status = 'booked'
             GROUP BY a.date, a.slot_end ORDER BY a.date, a.slot_end",
        )?;
        let rows = stmt
            .query_map(params![from, to], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get(2)?,
                    row.get(3)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<(String, String, i64, i64)>>>()?;
        let corrupt = |what: &str| Error::FeedInvalid(format!("cached booking has a bad {what}"));
        rows.into_iter()
            .map(|(date, slot_end, booked, checked_in)| {
                Ok(BookedSlotRow {
                    date: date.parse().map_err(|_| corrupt("date"))?,
                    slot_end: hh_mm::parse(&slot_end).ok_or_else(|| corrupt("slot end"))?,
                    booked,
                    checked_in,
                })
            })
            .collect()
    }
}
