//! Finding today's bookings at the front desk, by code or by name and birth date, masked.

use jiff::ZonedDateTime;
use serde::Serialize;

use super::{audit, Session};
use crate::error::{Result, StaffRefusal};
use crate::model::{rfc3339, Service};
use crate::store::Store;

/// A booking found by the front desk; applicants masked (initials, NIK last 4 digits).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BookingMatch {
    pub booking_code: String,
    pub date: String,
    pub slot: String,
    pub service: Service,
    pub cancelled: bool,
    pub applicants: Vec<ApplicantMatch>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApplicantMatch {
    pub initials: String,
    pub nik_last4: String,
    /// The ticket label when checked in today.
    pub ticket: Option<String>,
}

/// What the front desk finds a booking by.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum BookingQuery {
    Code { code: String },
    Applicant { name: String, birth_date: String },
}

/// [`bookings_matching`] for a signed-in staff member, audited: finding by name and birth date
/// looks into personal data (the log keeps the kind of query and the count, not the name; the
/// action is written `search`, as in the audit logs already kept).
pub fn find_bookings(
    store: &mut Store,
    session: &Session,
    query: &BookingQuery,
    now: &ZonedDateTime,
) -> Result<Vec<BookingMatch>> {
    let found = bookings_matching(store, query, now)?;
    let target = match query {
        // The code, never a whole scanned token, goes to the log.
        BookingQuery::Code { code } => format!("code {}", entered_code(code).unwrap_or_default()),
        BookingQuery::Applicant { .. } => "name + birth date".to_owned(),
    };
    audit(
        store,
        &rfc3339(now),
        Some(session.staff_id),
        "search",
        Some(&target),
        Some(&format!("{} found", found.len())),
    )?;
    Ok(found)
}

/// The booking code the find field holds: typed (any case), or scanned from the booking's QR
/// (a plain code or a signed token, whose code is read; finding only looks, so the signature
/// is left to the check-in that follows).
fn entered_code(text: &str) -> Option<String> {
    crate::booking::classify(text)
        .booking_code()
        .map(str::to_owned)
}

/// Finds today's bookings by code (typed or scanned), or by part of a name plus the birth
/// date (`DD-MM-YYYY` or `YYYY-MM-DD`, see [`crate::model::dates::parse_entered_date`]).
pub fn bookings_matching(
    store: &Store,
    query: &BookingQuery,
    now: &ZonedDateTime,
) -> Result<Vec<BookingMatch>> {
    let codes = match query {
        BookingQuery::Code { code } => match entered_code(code) {
            Some(code) => vec![code],
            None => {
                let shown: String = code.trim().chars().take(40).collect();
                return Err(StaffRefusal::BookingCodeMalformed(shown).into());
            }
        },
        BookingQuery::Applicant { name, birth_date } => {
            let name = name.trim();
            let birth_date = crate::model::dates::parse_entered_date(birth_date);
            let (Some(birth_date), false) = (birth_date, name.len() < 2) else {
                return Err(StaffRefusal::SearchIncomplete.into());
            };
            store.find_codes_by_applicant(name, birth_date, now.date())?
        }
    };
    let mut found = Vec::new();
    for code in codes {
        let Some(cached) = store.find_appointment(&code)? else {
            continue;
        };
        let tickets = store.tickets_for_booking(&code, now.date())?;
        let a = &cached.appointment;
        found.push(BookingMatch {
            booking_code: a.booking_code.clone(),
            date: a.date.to_string(),
            slot: format!(
                "{}-{}",
                crate::model::hh_mm::format(a.slot_start),
                crate::model::hh_mm::format(a.slot_end)
            ),
            service: a.service,
            cancelled: a.status == crate::model::BookingStatus::Cancelled,
            applicants: a
                .applicants
                .iter()
                .enumerate()
                .map(|(index, applicant)| ApplicantMatch {
                    initials: initials(&applicant.name),
                    nik_last4: applicant.nik_last4.clone(),
                    ticket: tickets
                        .iter()
                        .find(|t| t.applicant_index == index as i64)
                        .map(|t| t.label.clone()),
                })
                .collect(),
        });
    }
    Ok(found)
}

/// The booking's card as the front desk sees it now (after a check-in: with its tickets).
pub fn booking_card(
    store: &Store,
    booking_code: &str,
    now: &ZonedDateTime,
) -> Result<Option<BookingMatch>> {
    let query = BookingQuery::Code {
        code: booking_code.to_owned(),
    };
    Ok(bookings_matching(store, &query, now)?.into_iter().next())
}

/// `MARIA GORETTI FANGGIDAE` -> `M. G. F.`
pub fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|word| word.chars().next())
        .map(|c| format!("{c}."))
        .collect::<Vec<_>>()
        .join(" ")
}
