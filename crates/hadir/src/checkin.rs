//! The check-in decision and the flow around it.
//!
//! [`decide`] is the one pure function that says accept or refuse, given the scanned text, what
//! the cache holds, the clock and the config. [`check_in`] gathers those inputs from the store,
//! asks [`decide`] and records the result; it never decides anything itself.

use jiff::civil::DateTime;
use jiff::{ToSpan, ZonedDateTime};
use serde::Serialize;

use crate::booking::{classify, log_safe, Scanned};
use crate::config::Config;
use crate::error::Result;
use crate::feed::{hh_mm, BookingStatus};
use crate::queue::queue_for;
use crate::store::{ApplicantSlot, CachedAppointment, IssuedTicket, NewCheckin, Store};

/// The rules' share of the configuration.
#[derive(Debug, Clone)]
pub struct CheckinRules {
    pub office_id: String,
    pub early_minutes: u32,
    pub late_minutes: u32,
}

impl From<&Config> for CheckinRules {
    fn from(config: &Config) -> Self {
        CheckinRules {
            office_id: config.office.id.clone(),
            early_minutes: config.checkin.early_minutes,
            late_minutes: config.checkin.late_minutes,
        }
    }
}

/// A verdict with its stable code (`shared/contracts/booking-qr.md`) and what the screen needs to
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
            Verdict::Malformed => "malformed",
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

/// Decides a scan. Checks run in the contract's order: malformed, revoked, not_found, cancelled,
/// wrong_office, wrong_date, already_checked_in, too_early, too_late, ok. Bounds are inclusive.
pub fn decide(
    scanned: &Scanned,
    cache: CacheView<'_>,
    now: &ZonedDateTime,
    rules: &CheckinRules,
) -> Verdict {
    let Scanned::BookingCode(_) = scanned else {
        return Verdict::Malformed;
    };
    if cache.revoked {
        return Verdict::Revoked;
    }
    let Some(cached) = cache.booking else {
        return Verdict::NotFound;
    };
    let booking = &cached.appointment;
    if booking.status == BookingStatus::Cancelled {
        return Verdict::Cancelled;
    }
    if cached.office != rules.office_id {
        return Verdict::WrongOffice {
            office: cached.office.clone(),
        };
    }
    if booking.date != now.date() {
        return Verdict::WrongDate {
            date: booking.date.to_string(),
        };
    }
    if cache.already_checked_in {
        return Verdict::AlreadyCheckedIn;
    }
    let local_now = now.datetime();
    let opens = window_edge(
        booking.date.to_datetime(booking.slot_start),
        -i64::from(rules.early_minutes),
    );
    let closes = window_edge(
        booking.date.to_datetime(booking.slot_end),
        i64::from(rules.late_minutes),
    );
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

/// A slot edge moved by some minutes, saturating at the ends of the calendar.
fn window_edge(edge: DateTime, minutes: i64) -> DateTime {
    edge.checked_add(minutes.minutes()).unwrap_or(edge)
}

/// The result of one scan: the verdict and, for `ok` and `already_checked_in`, the tickets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScanOutcome {
    #[serde(flatten)]
    pub verdict: Verdict,
    pub tickets: Vec<IssuedTicket>,
    /// The booking as cached, for the ticket and the screen (absent when refused early).
    #[serde(skip)]
    pub booking: Option<CachedAppointment>,
}

/// Reads the cache for one scan, decides, and for `ok` records the check-in durably.
pub fn check_in(
    store: &mut Store,
    raw: &str,
    now: &ZonedDateTime,
    config: &Config,
) -> Result<ScanOutcome> {
    let rules = CheckinRules::from(config);
    let scanned = classify(raw);
    let (booking, revoked, existing) = match &scanned {
        Scanned::BookingCode(code) => (
            store.find_appointment(code)?,
            store.is_revoked(code)?,
            store.tickets_for_booking(code, now.date())?,
        ),
        Scanned::Malformed => (None, false, Vec::new()),
    };
    let cache = CacheView {
        booking: booking.as_ref(),
        revoked,
        already_checked_in: !existing.is_empty(),
    };
    let verdict = decide(&scanned, cache, now, &rules);
    log::info!("scan {} -> {}", log_safe(raw), verdict.code());
    let tickets = match (&verdict, &booking) {
        (Verdict::Ok, Some(cached)) => {
            let appointment = &cached.appointment;
            let new = NewCheckin {
                booking_code: &appointment.booking_code,
                applicants: appointment
                    .applicants
                    .iter()
                    .enumerate()
                    .map(|(applicant_index, applicant)| ApplicantSlot {
                        applicant_index,
                        queue: queue_for(appointment.service, applicant.priority),
                    })
                    .collect(),
                office_date: now.date(),
                at: rfc3339(now),
                kiosk: &config.kiosk.id,
                method: "scan",
            };
            match store.record_checkin(&new)? {
                Some(tickets) => tickets,
                // Another writer checked this booking in between our read and our write.
                None => {
                    let tickets =
                        store.tickets_for_booking(&appointment.booking_code, now.date())?;
                    return Ok(ScanOutcome {
                        verdict: Verdict::AlreadyCheckedIn,
                        tickets,
                        booking,
                    });
                }
            }
        }
        (Verdict::AlreadyCheckedIn, _) => existing,
        _ => Vec::new(),
    };
    Ok(ScanOutcome {
        verdict,
        tickets,
        booking,
    })
}

/// `2026-11-29T08:41:07+08:00`: the contract's timestamp form, in the office's offset.
pub fn rfc3339(now: &ZonedDateTime) -> String {
    now.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feed::{Applicant, Appointment, Priority, Service};
    use jiff::civil::{date, time};
    use jiff::tz::TimeZone;

    fn rules() -> CheckinRules {
        CheckinRules {
            office_id: "KANIM-KUPANG".into(),
            early_minutes: 60,
            late_minutes: 30,
        }
    }

    fn at(hh: i8, mm: i8) -> ZonedDateTime {
        date(2026, 11, 29)
            .at(hh, mm, 0, 0)
            .to_zoned_datetime(TimeZone::get("Asia/Makassar").expect("tz"))
            .expect("zoned")
    }

    fn booking(status: BookingStatus, office: &str) -> CachedAppointment {
        CachedAppointment {
            office: office.into(),
            appointment: Appointment {
                booking_code: "MP7K2Q9XA4".into(),
                date: date(2026, 11, 29),
                slot_start: time(9, 0, 0, 0),
                slot_end: time(10, 0, 0, 0),
                service: Service::Baru,
                express: false,
                status,
                applicants: vec![Applicant {
                    name: "MARIA GORETI FERNANDES".into(),
                    birth_date: date(1990, 4, 12),
                    nik_last4: "4821".into(),
                    priority: Some(Priority::IbuHamil),
                }],
                updated_at: "2026-11-28T06:03:11Z".parse().expect("ts"),
            },
        }
    }

    fn decide_with(
        booking: Option<&CachedAppointment>,
        revoked: bool,
        already: bool,
        now: ZonedDateTime,
    ) -> Verdict {
        let scanned = Scanned::BookingCode("MP7K2Q9XA4".into());
        let cache = CacheView {
            booking,
            revoked,
            already_checked_in: already,
        };
        decide(&scanned, cache, &now, &rules())
    }

    #[test]
    fn inside_the_window_is_ok_with_inclusive_bounds() {
        let b = booking(BookingStatus::Booked, "KANIM-KUPANG");
        assert_eq!(
            decide_with(Some(&b), false, false, at(8, 0)),
            Verdict::Ok,
            "opens exactly 60 min early"
        );
        assert_eq!(
            decide_with(Some(&b), false, false, at(10, 30)),
            Verdict::Ok,
            "closes exactly 30 min late"
        );
    }

    #[test]
    fn too_early_says_when_it_opens_and_too_late_when_it_closed() {
        let b = booking(BookingStatus::Booked, "KANIM-KUPANG");
        assert_eq!(
            decide_with(Some(&b), false, false, at(7, 59)),
            Verdict::TooEarly {
                opens_at: "08:00".into()
            }
        );
        assert_eq!(
            decide_with(Some(&b), false, false, at(10, 31)),
            Verdict::TooLate {
                closed_at: "10:30".into()
            }
        );
    }

    #[test]
    fn checks_run_in_the_contract_order() {
        let cancelled = booking(BookingStatus::Cancelled, "KANIM-ATAMBUA");
        assert_eq!(
            decide_with(Some(&cancelled), true, true, at(5, 0)),
            Verdict::Revoked
        );
        assert_eq!(decide_with(None, false, false, at(9, 0)), Verdict::NotFound);
        assert_eq!(
            decide_with(Some(&cancelled), false, true, at(5, 0)),
            Verdict::Cancelled
        );
        let elsewhere = booking(BookingStatus::Booked, "KANIM-ATAMBUA");
        assert_eq!(
            decide_with(Some(&elsewhere), false, true, at(5, 0)),
            Verdict::WrongOffice {
                office: "KANIM-ATAMBUA".into()
            }
        );
        let b = booking(BookingStatus::Booked, "KANIM-KUPANG");
        let tomorrow = date(2026, 11, 30)
            .at(9, 0, 0, 0)
            .to_zoned_datetime(TimeZone::get("Asia/Makassar").expect("tz"))
            .expect("zoned");
        assert_eq!(
            decide_with(Some(&b), false, true, tomorrow),
            Verdict::WrongDate {
                date: "2026-11-29".into()
            }
        );
        assert_eq!(
            decide_with(Some(&b), false, true, at(5, 0)),
            Verdict::AlreadyCheckedIn,
            "before too_early"
        );
    }

    #[test]
    fn malformed_text_is_refused_before_anything_else() {
        let b = booking(BookingStatus::Booked, "KANIM-KUPANG");
        let cache = CacheView {
            booking: Some(&b),
            revoked: true,
            already_checked_in: true,
        };
        assert_eq!(
            decide(&Scanned::Malformed, cache, &at(9, 0), &rules()),
            Verdict::Malformed
        );
    }

    #[test]
    fn office_local_date_decides_wrong_date_not_utc() {
        // 00:30 WITA on the 29th is still the 28th in UTC: the office's calendar counts.
        let b = booking(BookingStatus::Booked, "KANIM-KUPANG");
        let verdict = decide_with(Some(&b), false, false, at(0, 30));
        assert_eq!(
            verdict,
            Verdict::TooEarly {
                opens_at: "08:00".into()
            }
        );
    }

    #[test]
    fn verdicts_serialise_with_their_code() {
        let json = serde_json::to_value(Verdict::TooEarly {
            opens_at: "09:00".into(),
        })
        .expect("json");
        assert_eq!(
            json,
            serde_json::json!({"code": "too_early", "opens_at": "09:00"})
        );
        assert_eq!(Verdict::AlreadyCheckedIn.code(), "already_checked_in");
    }
}
