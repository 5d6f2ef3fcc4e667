//! The decision: [`decide`], one pure function of the scanned text, what the cache holds, the
//! office-local now and the rules, and the check-in window it judges by. Nothing here reads
//! the store or the clock.

use jiff::civil::{Date, DateTime, Time};
use jiff::{ToSpan, ZonedDateTime};
use serde::Serialize;

use crate::booking::{token, Scanned, TokenRefusal, VerificationKeys};
use crate::config::{Config, QueueConfig};
use crate::model::{hh_mm, BookingStatus, Priority, Service};
use crate::store::{BookingTicketFacts, CachedAppointment};
use crate::texts::{verdict_messages, Messages};

/// The rules' share of the configuration.
#[derive(Debug, Clone)]
pub struct CheckinRules {
    pub office_id: String,
    pub early_minutes: u32,
    pub late_minutes: u32,
    pub keys: VerificationKeys,
    pub queues: QueueConfig,
}

impl From<&Config> for CheckinRules {
    fn from(config: &Config) -> Self {
        CheckinRules {
            office_id: config.office.id.clone(),
            early_minutes: config.checkin.early_minutes,
            late_minutes: config.checkin.late_minutes,
            keys: config.verification_keys(),
            queues: config.queues.clone(),
        }
    }
}

/// A verdict with its stable code (`docs/booking-qr.md`) and what the screen needs to
/// say it. Serialised as `{"code": "too_early", "opens_at": "09:00"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Verdict {
    Ok,
    AlreadyCheckedIn,
    NotFound,
    Cancelled,
    Revoked,
    WrongOffice { office: String },
    WrongDate { date: String },
    TooEarly { opens_at: String },
    TooLate { closed_at: String },
    BadSignature,
    UnknownKey,
    Malformed,
}

impl Verdict {
    pub fn code(&self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::AlreadyCheckedIn => "already_checked_in",
            Verdict::NotFound => "not_found",
            Verdict::Cancelled => "cancelled",
            Verdict::Revoked => "revoked",
            Verdict::WrongOffice { .. } => "wrong_office",
            Verdict::WrongDate { .. } => "wrong_date",
            Verdict::TooEarly { .. } => "too_early",
            Verdict::TooLate { .. } => "too_late",
            Verdict::BadSignature => "bad_signature",
            Verdict::UnknownKey => "unknown_key",
            Verdict::Malformed => "malformed",
        }
    }

    /// Whether the applicant leaves with a number (new or existing).
    pub fn admits(&self) -> bool {
        matches!(self, Verdict::Ok | Verdict::AlreadyCheckedIn)
    }

    /// The verdict in words, both languages, its details filled in (the screens' own texts).
    pub fn messages(&self) -> Messages {
        verdict_messages(self.code(), self)
    }
}

/// One applicant as far as the kiosk knows them: from the cache, or only a count from a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicantFacts {
    pub name: Option<String>,
    pub priority: Option<Priority>,
}

/// The booking the decision worked from: the cached row when there is one (its status, slot and
/// office are newer than any token), else a verified token's own claims.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookingFacts {
    pub booking_code: String,
    pub office: String,
    pub date: Date,
    /// A token without `s`/`e` has no slot and so no arrival window.
    pub slot: Option<(Time, Time)>,
    pub service: Service,
    pub express: bool,
    pub status: BookingStatus,
    pub applicants: Vec<ApplicantFacts>,
}

impl BookingFacts {
    /// What every ticket of this booking says (kept with the ticket for reprints and reports).
    pub fn ticket_facts(&self) -> BookingTicketFacts {
        BookingTicketFacts {
            service: self.service,
            express: self.express,
            slot: self
                .slot
                .map(|(start, end)| format!("{}-{}", hh_mm::format(start), hh_mm::format(end)))
                .unwrap_or_default(),
        }
    }
}

impl From<&CachedAppointment> for BookingFacts {
    fn from(cached: &CachedAppointment) -> Self {
        let a = &cached.appointment;
        BookingFacts {
            booking_code: a.booking_code.clone(),
            office: cached.office.clone(),
            date: a.date,
            slot: Some((a.slot_start, a.slot_end)),
            service: a.service,
            express: a.express,
            status: a.status,
            applicants: a
                .applicants
                .iter()
                .map(|applicant| ApplicantFacts {
                    name: Some(applicant.name.clone()),
                    priority: applicant.priority,
                })
                .collect(),
        }
    }
}

impl From<&token::TokenClaims> for BookingFacts {
    fn from(claims: &token::TokenClaims) -> Self {
        BookingFacts {
            booking_code: claims.booking_code.clone(),
            office: claims.office.clone(),
            date: claims.date,
            slot: claims.slot_start.zip(claims.slot_end),
            service: claims.service,
            express: claims.express,
            status: BookingStatus::Booked,
            applicants: vec![
                ApplicantFacts {
                    name: None,
                    priority: None
                };
                usize::from(claims.applicants)
            ],
        }
    }
}

/// What the cache says about the scanned booking.
#[derive(Debug, Clone, Copy)]
pub struct CacheView<'a> {
    pub booking: Option<&'a CachedAppointment>,
    pub revoked: bool,
    /// Some ticket was already issued to this booking today.
    pub already_checked_in: bool,
}

/// A verdict and the booking it is about (when the scan named one the kiosk can trust).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub verdict: Verdict,
    pub booking: Option<BookingFacts>,
}

/// Decides a scan. Checks run in the contract's order: malformed, unknown_key, bad_signature,
/// revoked, not_found, cancelled, wrong_office, wrong_date, already_checked_in, too_early,
/// too_late, ok. Window bounds are inclusive, in office-local time.
pub fn decide(
    scanned: &Scanned,
    cache: CacheView<'_>,
    now: &ZonedDateTime,
    rules: &CheckinRules,
) -> Decision {
    let refuse = |verdict| Decision {
        verdict,
        booking: None,
    };
    let token_claims = match scanned {
        Scanned::Malformed => return refuse(Verdict::Malformed),
        Scanned::Token(signed) => match token::verify(signed, &rules.keys) {
            Err(TokenRefusal::UnknownKey) => return refuse(Verdict::UnknownKey),
            Err(TokenRefusal::BadSignature) => return refuse(Verdict::BadSignature),
            Ok(()) => Some(&signed.claims),
        },
        Scanned::BookingCode(_) => None,
    };
    if cache.revoked {
        return refuse(Verdict::Revoked);
    }
    let booking = match (cache.booking, token_claims) {
        (Some(cached), _) => BookingFacts::from(cached),
        // A valid signature proves the booking even when the sync has not brought it yet.
        (None, Some(claims)) => BookingFacts::from(claims),
        (None, None) => return refuse(Verdict::NotFound),
    };
    let verdict = window_verdict(&booking, cache.already_checked_in, now, rules);
    Decision {
        verdict,
        booking: Some(booking),
    }
}

/// The checks that need a known booking, in contract order.
fn window_verdict(
    booking: &BookingFacts,
    already: bool,
    now: &ZonedDateTime,
    rules: &CheckinRules,
) -> Verdict {
    if booking.status == BookingStatus::Cancelled {
        return Verdict::Cancelled;
    }
    if booking.office != rules.office_id {
        return Verdict::WrongOffice {
            office: booking.office.clone(),
        };
    }
    if booking.date != now.date() {
        return Verdict::WrongDate {
            date: booking.date.to_string(),
        };
    }
    if already {
        return Verdict::AlreadyCheckedIn;
    }
    let Some((start, end)) = booking.slot else {
        return Verdict::Ok;
    };
    let local_now = now.datetime();
    let opens = window_edge(
        booking.date.to_datetime(start),
        -i64::from(rules.early_minutes),
    );
    let closes = check_in_closes(booking.date, end, rules.late_minutes);
    if local_now < opens {
        return Verdict::TooEarly {
            opens_at: hh_mm::format(opens.time()),
        };
    }
    if local_now > closes {
        return Verdict::TooLate {
            closed_at: hh_mm::format(closes.time()),
        };
    }
    Verdict::Ok
}

/// The last office-local moment an applicant of a slot ending at `slot_end` on `date` is let
/// in: the slot's end plus the late window (inclusive; any later moment is `too_late`).
pub fn check_in_closes(date: Date, slot_end: Time, late_minutes: u32) -> DateTime {
    window_edge(date.to_datetime(slot_end), i64::from(late_minutes))
}

/// Whether, at office-local `now`, an applicant booked on `date` (slot ending at `slot_end`) can
/// no longer check in: a past day, or today after [`check_in_closes`]. A booking without a slot
/// is let in all day, so it closes only with its day. Mirrors [`decide`]'s `wrong_date` and
/// `too_late`, so a no-show is exactly a booking the kiosk would now refuse as late.
pub fn check_in_window_closed(
    date: Date,
    slot_end: Option<Time>,
    now: DateTime,
    late_minutes: u32,
) -> bool {
    match date.cmp(&now.date()) {
        std::cmp::Ordering::Less => true,
        std::cmp::Ordering::Greater => false,
        std::cmp::Ordering::Equal => {
            slot_end.is_some_and(|end| now > check_in_closes(date, end, late_minutes))
        }
    }
}

/// A slot edge moved by some minutes, saturating at the ends of the calendar.
fn window_edge(edge: DateTime, minutes: i64) -> DateTime {
    edge.checked_add(minutes.minutes()).unwrap_or(edge)
}
