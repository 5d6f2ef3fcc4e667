use std::collections::BTreeMap;

use jiff::civil::{date, time, Date};
use jiff::tz::TimeZone;

use super::*;
use crate::booking::VerificationKeys;
use crate::config::QueueConfig;
use crate::feed::{Applicant, Appointment, FeedBody};
use crate::model::{BookingStatus, Priority, Service};
use crate::store::tests::fresh_store;
use crate::store::CachedAppointment;

fn rules() -> CheckinRules {
    CheckinRules {
        office_id: "KANIM-KUPANG".into(),
        early_minutes: 60,
        late_minutes: 30,
        keys: VerificationKeys::new(),
        queues: QueueConfig::default(),
    }
}

fn wita(d: Date, hh: i8, mm: i8) -> ZonedDateTime {
    d.at(hh, mm, 0, 0)
        .to_zoned_datetime(TimeZone::get("Asia/Makassar").expect("tz"))
        .expect("zoned")
}

fn at(hh: i8, mm: i8) -> ZonedDateTime {
    wita(date(2026, 11, 29), hh, mm)
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
    decide(&scanned, cache, &now, &rules()).verdict
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
    assert_eq!(
        decide_with(Some(&b), false, true, wita(date(2026, 11, 30), 9, 0)),
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
    let decision = decide(&Scanned::Malformed, cache, &at(9, 0), &rules());
    assert_eq!(decision.verdict, Verdict::Malformed);
    assert_eq!(
        decision.booking, None,
        "nothing is trusted from malformed input"
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

// ---- the test vectors (testdata/booking-tokens.json): every case and sequence gets its verdict ----

#[derive(serde::Deserialize)]
struct Vectors {
    config: VectorConfig,
    cache: Vec<Appointment>,
    revoked: Vec<String>,
    cases: Vec<Case>,
    sequences: Vec<Sequence>,
}

#[derive(serde::Deserialize)]
struct VectorConfig {
    office: String,
    time_zone: String,
    now: jiff::Timestamp,
    early_minutes: u32,
    late_minutes: u32,
    keys: BTreeMap<String, String>,
}

#[derive(serde::Deserialize)]
struct Case {
    name: String,
    input: String,
    verdict: String,
}

#[derive(serde::Deserialize)]
struct Sequence {
    name: String,
    inputs: Vec<String>,
    verdicts: Vec<String>,
    #[serde(default)]
    tickets: Vec<usize>,
}

fn vectors() -> Vectors {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join("booking-tokens.json");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_slice(&bytes).expect("vectors parse")
}

/// A fresh kiosk holding exactly the vectors' cache and revoked list, and its config and clock.
fn vector_kiosk(v: &Vectors) -> (tempfile::TempDir, Store, Config, ZonedDateTime) {
    let mut config = Config::default();
    config.office.id = v.config.office.clone();
    config.office.time_zone = v.config.time_zone.clone();
    config.checkin.early_minutes = v.config.early_minutes;
    config.checkin.late_minutes = v.config.late_minutes;
    config.keys = v.config.keys.clone();
    let now = v.config.now.to_zoned_datetime(config.time_zone());
    let (dir, mut store) = fresh_store();
    let body = FeedBody {
        office: v.config.office.clone(),
        date: now.date(),
        full: true,
        cursor: None,
        appointments: v.cache.clone(),
        revoked: v.revoked.clone(),
        skipped: Vec::new(),
    };
    store
        .apply_feed(&body, now.timestamp())
        .expect("cache loads");
    (dir, store, config, now)
}

#[test]
fn every_vector_case_gets_its_verdict() {
    let v = vectors();
    assert!(v.cases.len() >= 30, "the vectors file has its cases");
    let mut failures = Vec::new();
    for case in &v.cases {
        let (_dir, mut store, config, now) = vector_kiosk(&v);
        let outcome = check_in(&mut store, &case.input, &now, &config).expect("no store error");
        if outcome.verdict.code() != case.verdict {
            failures.push(format!(
                "{}: got {}, want {}",
                case.name,
                outcome.verdict.code(),
                case.verdict
            ));
        }
        let issued = outcome.tickets.len();
        let expected = if case.verdict == "ok" {
            outcome.booking.as_ref().map_or(0, |b| b.applicants.len())
        } else {
            0
        };
        if issued != expected || (case.verdict == "ok" && issued == 0) {
            failures.push(format!(
                "{}: {issued} tickets for verdict {}",
                case.name, case.verdict
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "vector failures:\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_vector_sequence_gets_its_verdicts() {
    let v = vectors();
    assert!(!v.sequences.is_empty());
    for sequence in &v.sequences {
        let (_dir, mut store, config, now) = vector_kiosk(&v);
        let mut first_tickets: Option<Vec<String>> = None;
        for (step, (input, want)) in sequence.inputs.iter().zip(&sequence.verdicts).enumerate() {
            let outcome = check_in(&mut store, input, &now, &config).expect("no store error");
            assert_eq!(
                outcome.verdict.code(),
                want,
                "{} step {step}",
                sequence.name
            );
            if let Some(&count) = sequence.tickets.get(step) {
                assert_eq!(
                    outcome.tickets.len(),
                    count,
                    "{} step {step}: tickets",
                    sequence.name
                );
            }
            let labels: Vec<String> = outcome.tickets.iter().map(|t| t.label.clone()).collect();
            match &first_tickets {
                None => first_tickets = Some(labels),
                Some(first) => assert_eq!(
                    &labels, first,
                    "{}: a repeat shows the same numbers",
                    sequence.name
                ),
            }
        }
    }
}

// ---- numbering ----

fn kiosk_with(
    appointments: Vec<Appointment>,
    now: &ZonedDateTime,
) -> (tempfile::TempDir, Store, Config) {
    let (dir, mut store) = fresh_store();
    let body = FeedBody {
        office: "KANIM-KUPANG".into(),
        date: now.date(),
        full: true,
        cursor: None,
        appointments,
        revoked: Vec::new(),
        skipped: Vec::new(),
    };
    store
        .apply_feed(&body, now.timestamp())
        .expect("cache loads");
    (dir, store, Config::default())
}

fn appointment(code: &str, day: Date, priorities: &[Option<Priority>]) -> Appointment {
    let mut a = booking(BookingStatus::Booked, "KANIM-KUPANG").appointment;
    a.booking_code = code.into();
    a.date = day;
    a.slot_start = time(0, 0, 0, 0);
    a.slot_end = time(23, 59, 0, 0);
    a.applicants = priorities
        .iter()
        .enumerate()
        .map(|(i, &priority)| Applicant {
            name: format!("PEMOHON {i}"),
            priority,
            ..a.applicants[0].clone()
        })
        .collect();
    a
}

#[test]
fn a_group_of_three_gets_three_consecutive_numbers_in_one_queue() {
    let now = at(9, 0);
    let (_dir, mut store, config) = kiosk_with(
        vec![
            appointment("MPSOLO0001", now.date(), &[None]),
            appointment(
                "MPGROUP001",
                now.date(),
                &[None, Some(Priority::Lansia), None],
            ),
        ],
        &now,
    );
    check_in(&mut store, "MPSOLO0001", &now, &config).expect("solo");
    let group = check_in(&mut store, "MPGROUP001", &now, &config).expect("group");
    let labels: Vec<_> = group.tickets.iter().map(|t| t.label.as_str()).collect();
    assert_eq!(
        labels,
        ["P-001", "P-002", "P-003"],
        "one lansia brings the family to P, called together"
    );
    let positions: Vec<_> = group
        .tickets
        .iter()
        .map(|t| (t.group_pos, t.group_size))
        .collect();
    assert_eq!(positions, [(1, 3), (2, 3), (3, 3)]);
}

#[test]
fn numbering_restarts_at_office_local_midnight_not_utc_midnight() {
    let before = at(23, 50); // 15:50 UTC
    let after = wita(date(2026, 11, 30), 0, 10); // 16:10 UTC, same UTC day
    let (_dir, mut store, config) = kiosk_with(
        vec![
            appointment("MPLATE0001", before.date(), &[None]),
            appointment("MPEARLY001", after.date(), &[None]),
        ],
        &before,
    );
    let late = check_in(&mut store, "MPLATE0001", &before, &config).expect("late");
    // The second day arrives by a later feed; apply it as the next day's list.
    let next_day = FeedBody {
        office: "KANIM-KUPANG".into(),
        date: after.date(),
        full: true,
        cursor: None,
        appointments: vec![appointment("MPEARLY001", after.date(), &[None])],
        revoked: Vec::new(),
        skipped: Vec::new(),
    };
    store
        .apply_feed(&next_day, after.timestamp())
        .expect("next day");
    let early = check_in(&mut store, "MPEARLY001", &after, &config).expect("early");
    assert_eq!(late.tickets[0].label, "A-001");
    assert_eq!(
        early.tickets[0].label, "A-001",
        "a new office-local day starts at 001"
    );
    assert_eq!(early.tickets[0].office_date, "2026-11-30");
}

#[test]
fn numbering_continues_across_a_restart() {
    let now = at(9, 0);
    let (dir, mut store, config) = kiosk_with(
        vec![
            appointment("MPFIRST001", now.date(), &[None]),
            appointment("MPSECOND01", now.date(), &[None]),
        ],
        &now,
    );
    check_in(&mut store, "MPFIRST001", &now, &config).expect("first");
    drop(store);
    let mut reopened = Store::open_in(dir.path()).expect("reopen");
    let second = check_in(&mut reopened, "MPSECOND01", &now, &config).expect("second");
    assert_eq!(
        second.tickets[0].label, "A-002",
        "a restart never reuses a number"
    );
}

/// The clock is passed in, so a clock that jumps is a test of its own: NTP setting it back three
/// hours across midnight, then forward again, then a day ahead and back. Each office-local day
/// keeps its own counter in the store, so a day already numbered goes on where it stopped,
/// whatever the clock did in between, and no day's number is issued twice.
#[test]
fn a_clock_that_jumps_never_reuses_a_number() {
    let (d29, d30) = (date(2026, 11, 29), date(2026, 11, 30));
    let codes29 = ["MPJUMP2901", "MPJUMP2902", "MPJUMP2903"];
    let codes30 = ["MPJUMP3001", "MPJUMP3002", "MPJUMP3003"];
    let start = wita(d29, 21, 0);
    let (_dir, mut store, config) = kiosk_with(
        codes29
            .iter()
            .map(|code| appointment(code, d29, &[None]))
            .collect(),
        &start,
    );
    let day30 = FeedBody {
        office: "KANIM-KUPANG".into(),
        date: d30,
        full: true,
        cursor: None,
        appointments: codes30
            .iter()
            .map(|code| appointment(code, d30, &[None]))
            .collect(),
        revoked: Vec::new(),
        skipped: Vec::new(),
    };
    store
        .apply_feed(&day30, start.timestamp())
        .expect("the next day");
    let steps = [
        (start.clone(), codes29[0], "A-001", "2026-11-29"),
        (wita(d30, 0, 30), codes30[0], "A-001", "2026-11-30"),
        // NTP sets the clock back three hours: the 29th again, numbered on from A-001.
        (wita(d29, 21, 30), codes29[1], "A-002", "2026-11-29"),
        // Forward to the right time: the 30th goes on from its A-001.
        (wita(d30, 0, 40), codes30[1], "A-002", "2026-11-30"),
        // A day ahead (the 1st has no bookings here) and back: nothing restarts.
        (wita(date(2026, 12, 1), 0, 45), codes30[2], "", ""),
        (wita(d30, 0, 50), codes30[2], "A-003", "2026-11-30"),
        (wita(d29, 23, 59), codes29[2], "A-003", "2026-11-29"),
    ];
    for (now, code, label, day) in steps {
        let outcome = check_in(&mut store, code, &now, &config).expect("a scan");
        let got: Vec<_> = outcome
            .tickets
            .iter()
            .map(|t| (t.label.as_str(), t.office_date.as_str()))
            .collect();
        if label.is_empty() {
            assert!(
                got.is_empty(),
                "{code} at {now}: another day's booking gets no number: {outcome:?}"
            );
        } else {
            assert_eq!(got, [(label, day)], "{code} at {now}");
        }
    }
}
