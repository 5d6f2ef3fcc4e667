//! The report's numbers on a small day whose every figure is worked out by hand below.

use std::collections::BTreeMap;

use jiff::civil::{date, time, Date};
use jiff::ZonedDateTime;

use super::tables::TICKET_HEADER;
use super::*;
use crate::config::Config;
use crate::feed::{Applicant, Appointment, FeedBody};
use crate::model::{BookingStatus, Language, Priority, Service};
use crate::store::tests::fresh_store;
use crate::store::{
    ApplicantSlot, AuditEntry, BookingTicketFacts, IssuedTicket, NewCheckin, NewRating, NoShowDay,
    PrintOutcome, StaffCheckin, Store,
};
use crate::survey::{Grade, MisuseFlag};

const DAY: &str = "2026-11-29";

fn day() -> Date {
    date(2026, 11, 29)
}

fn now() -> ZonedDateTime {
    day()
        .at(17, 0, 0, 0)
        .to_zoned_datetime(jiff::tz::TimeZone::get("Asia/Makassar").expect("tz"))
        .expect("now")
}

fn booking(code: &str, service: Service, names: &[&str], status: BookingStatus) -> Appointment {
    Appointment {
        booking_code: code.into(),
        date: day(),
        slot_start: time(8, 0, 0, 0),
        slot_end: time(9, 0, 0, 0),
        service,
        express: code == "MPBBBBBBBB",
        status,
        applicants: names
            .iter()
            .map(|name| Applicant {
                name: (*name).into(),
                birth_date: date(1980, 5, 17),
                nik_last4: "4321".into(),
                priority: (*name == "BERNADETA LANSIA").then_some(Priority::Lansia),
            })
            .collect(),
        updated_at: "2026-11-28T06:00:00Z".parse().expect("ts"),
    }
}

fn check_in(
    store: &mut Store,
    code: &str,
    office_date: Date,
    at: &str,
    applicants: &[(&str, &str, Option<Priority>)],
    service: Service,
    by_staff: Option<StaffCheckin<'_>>,
) -> Vec<IssuedTicket> {
    store
        .record_checkin(&NewCheckin {
            booking_code: code,
            applicants: applicants
                .iter()
                .enumerate()
                .map(|(applicant_index, (queue, name, priority))| ApplicantSlot {
                    applicant_index,
                    queue: (*queue).into(),
                    name: Some((*name).into()),
                    priority: *priority,
                    nonce: None,
                })
                .collect(),
            office_date,
            at: at.into(),
            kiosk: "K1",
            facts: BookingTicketFacts {
                service,
                express: code == "MPBBBBBBBB",
                slot: "08:00-09:00".into(),
            },
            by_staff,
            numbering: Default::default(),
        })
        .expect("records")
        .expect("new check-in")
}

fn rate(store: &mut Store, ticket: &IssuedTicket, scores: [u8; 5], flags: &[MisuseFlag]) {
    let scores: BTreeMap<String, u8> = crate::survey::SERVQUAL
        .elements
        .iter()
        .zip(scores)
        .map(|(e, s)| ((*e).to_owned(), s))
        .collect();
    let at = format!("{DAY}T15:{:02}:00+08:00", ticket.number);
    assert!(store
        .record_rating(&NewRating {
            ticket_id: &ticket.id,
            at: &at,
            kiosk: "K1",
            question_set: "servqual",
            scores: &scores,
            comment: Some("ramah, \"cepat\""),
            answered_ms: 9_000,
            flags,
        })
        .expect("rates"));
}

/// The day, by hand:
/// - MPAAAAAAAA baru, MARIA GORETI FERNANDES, scan 08:10 -> A-001; printed.
/// - MPBBBBBBBB penggantian (express), BERNADETA LANSIA (lansia) + YOSEF, scan 09:20 -> P-001,
///   P-002; P-001 failed then printed, P-002 failed only.
/// - MPCCCCCCCC hilang_rusak, booked, never came: the one no-show.
/// - MPDDDDDDDD cancelled: neither booked nor a no-show.
/// - MPEEEEEEEE baru, staff check-in (manual) 09:45 -> A-002; printed, then a SALINAN.
/// - MPZZZZZZZZ checked in the day before: outside the period.
///
/// Per hour: 08 -> 1, 09 -> 3. Services: baru 2, penggantian 2. Priority 1 of 4 = 25 %.
/// Ratings (SERVQUAL): the worked example of `survey` (85.00, B) on A-001, P-001, P-002, and a
/// flagged all-1 rating on A-002 that must not pull the index down.
pub(super) fn fixture() -> (tempfile::TempDir, Store) {
    let (dir, mut store) = fresh_store();
    let feed = FeedBody {
        office: "KANIM-KUPANG".into(),
        date: day(),
        full: true,
        cursor: None,
        appointments: vec![
            booking(
                "MPAAAAAAAA",
                Service::Baru,
                &["MARIA GORETI FERNANDES"],
                BookingStatus::Booked,
            ),
            booking(
                "MPBBBBBBBB",
                Service::Penggantian,
                &["BERNADETA LANSIA", "YOSEF NDOEN"],
                BookingStatus::Booked,
            ),
            booking(
                "MPCCCCCCCC",
                Service::HilangRusak,
                &["KORNELIS BANI"],
                BookingStatus::Booked,
            ),
            booking(
                "MPDDDDDDDD",
                Service::Baru,
                &["AGUSTINA TAKA"],
                BookingStatus::Cancelled,
            ),
            booking(
                "MPEEEEEEEE",
                Service::Baru,
                &["PETRUS KOLO"],
                BookingStatus::Booked,
            ),
        ],
        revoked: Vec::new(),
        skipped: Vec::new(),
    };
    store
        .apply_feed(&feed, now().timestamp())
        .expect("feed applies");
    let staff = store
        .add_staff(
            "yosefina",
            crate::model::StaffRole::Frontdesk,
            "$argon2id$x",
            "2026-11-01T08:00:00+08:00",
        )
        .expect("staff");

    let a = check_in(
        &mut store,
        "MPAAAAAAAA",
        day(),
        "2026-11-29T08:10:00+08:00",
        &[("A", "MARIA GORETI FERNANDES", None)],
        Service::Baru,
        None,
    );
    let p = check_in(
        &mut store,
        "MPBBBBBBBB",
        day(),
        "2026-11-29T09:20:00+08:00",
        &[
            ("P", "BERNADETA LANSIA", Some(Priority::Lansia)),
            ("P", "YOSEF NDOEN", None),
        ],
        Service::Penggantian,
        None,
    );
    let e = check_in(
        &mut store,
        "MPEEEEEEEE",
        day(),
        "2026-11-29T09:45:00+08:00",
        &[("A", "PETRUS KOLO", None)],
        Service::Baru,
        Some(StaffCheckin {
            staff_id: staff,
            kind: "manual",
            reason: "QR rusak",
        }),
    );
    check_in(
        &mut store,
        "MPZZZZZZZZ",
        date(2026, 11, 28),
        "2026-11-28T10:00:00+08:00",
        &[("A", "DI LUAR PERIODE", Some(Priority::Anak))],
        Service::Baru,
        None,
    );

    let printed = PrintOutcome::Printed {
        sink: "pdf_folder".into(),
    };
    let failed = PrintOutcome::Failed {
        sink: "escpos_tcp".into(),
        reason: "printer_unreachable",
        detail: "connection refused".into(),
    };
    let print = |store: &Store, t: &IssuedTicket, copy: bool, outcome: &PrintOutcome| {
        store
            .record_print(&t.id, &t.issued_at, copy, outcome)
            .expect("print recorded");
    };
    print(&store, &a[0], false, &printed);
    print(&store, &p[0], false, &failed);
    print(&store, &p[0], false, &printed);
    print(&store, &p[1], false, &failed);
    print(&store, &e[0], false, &printed);
    print(&store, &e[0], true, &printed);

    rate(&mut store, &a[0], [4, 3, 2, 4, 3], &[]);
    rate(&mut store, &p[0], [3, 3, 3, 4, 4], &[]);
    rate(&mut store, &p[1], [4, 4, 3, 4, 3], &[]);
    rate(&mut store, &e[0], [1, 1, 1, 1, 1], &[MisuseFlag::TooFast]);

    for (at, staff_id, action) in [
        ("2026-11-28T16:00:00+08:00", None, "staff_add"),
        ("2026-11-29T09:45:00+08:00", Some(staff), "checkin_manual"),
        ("2026-11-29T10:02:00+08:00", Some(staff), "reprint"),
        ("2026-11-30T00:00:00+08:00", None, "staff_disable"),
    ] {
        store
            .append_audit(&AuditEntry {
                at,
                staff_id,
                action,
                target: Some("MPEEEEEEEE"),
                reason: Some("QR rusak"),
            })
            .expect("audit");
    }
    (dir, store)
}

pub(super) fn report(store: &Store, full_names: bool) -> Report {
    Report::gather(
        store,
        &Config::default(),
        ExportRange::new(day(), day()).expect("range"),
        &now(),
        full_names,
    )
    .expect("gathers")
}

#[test]
fn counts_per_hour_service_and_priority() {
    let (_dir, store) = fixture();
    let summary = report(&store, false).summary();
    assert_eq!(summary.checkins, 4, "the day before is outside the period");
    assert_eq!(summary.per_hour[8], 1);
    assert_eq!(summary.per_hour[9], 3);
    assert_eq!(summary.per_hour.iter().sum::<u32>(), 4);
    assert_eq!(
        summary.per_service,
        vec![("baru".to_owned(), 2), ("penggantian".to_owned(), 2)]
    );
    assert_eq!(summary.priority, 1);
    assert_eq!(summary.per_priority.get("lansia"), Some(&1));
    assert_eq!(summary.priority_percent(), Some(25.0));
    assert_eq!(summary.express, 2, "both tickets of the express booking");
    assert_eq!((summary.manual, summary.overrides), (1, 0));
}

#[test]
fn failed_prints_unprinted_tickets_and_reprints() {
    let (_dir, store) = fixture();
    let summary = report(&store, false).summary();
    assert_eq!(summary.print_failures, 2, "P-001's first try and P-002's");
    assert_eq!(summary.unprinted, 1, "only P-002's latest attempt failed");
    assert_eq!(summary.reprints, 1, "A-002's SALINAN");
    let report = report(&store, false);
    let p1 = report
        .tickets
        .iter()
        .find(|t| t.label == "P-001")
        .expect("P-001");
    assert_eq!(
        (p1.prints_ok, p1.prints_failed, p1.last_print.as_deref()),
        (1, 1, Some("printed"))
    );
}

#[test]
fn no_shows_count_booked_applicants_not_checked_in() {
    let (_dir, store) = fixture();
    let report = report(&store, false);
    assert_eq!(
        report.no_shows,
        vec![NoShowDay {
            date: DAY.into(),
            booked: 5,
            checked_in: 4,
            not_yet_due: 0,
        }],
        "the cancelled booking is neither booked nor missing"
    );
    let summary = report.summary();
    assert_eq!((summary.booked, summary.no_shows), (5, 1));
}

#[test]
fn a_report_made_inside_the_late_window_does_not_count_the_slot_yet() {
    let (_dir, store) = fixture();
    let tz = jiff::tz::TimeZone::get("Asia/Makassar").expect("tz");
    let at = |hour, minute| {
        Report::gather(
            &store,
            &Config::default(),
            ExportRange::new(day(), day()).expect("range"),
            &day()
                .at(hour, minute, 0, 0)
                .to_zoned_datetime(tz.clone())
                .expect("at"),
            false,
        )
        .expect("gathers")
        .summary()
    };
    let late_minutes = Config::default().checkin.late_minutes;
    assert_eq!(late_minutes, 30, "the figures below assume the default");
    // MPCCCCCCCC's slot ends 09:00; the kiosk lets it in until 09:30.
    let morning = at(9, 20);
    assert_eq!(
        (morning.booked, morning.no_shows, morning.not_yet_due),
        (5, 0, 1)
    );
    let after = at(9, 31);
    assert_eq!((after.booked, after.no_shows, after.not_yet_due), (5, 1, 0));
}

#[test]
fn no_shows_are_absent_for_days_out_of_the_cache() {
    let (_dir, store) = fixture();
    let earlier = Report::gather(
        &store,
        &Config::default(),
        ExportRange::new(date(2026, 11, 28), date(2026, 11, 28)).expect("range"),
        &now(),
        false,
    )
    .expect("gathers");
    assert!(
        earlier.no_shows.is_empty(),
        "no appointments cached for 28th"
    );
    assert_eq!(earlier.tickets.len(), 1);
}

#[test]
fn the_index_leaves_flagged_ratings_out_and_grades_it() {
    let (_dir, store) = fixture();
    let summary = report(&store, false).summary();
    let index = summary.index.expect("index");
    assert_eq!(index.index, Some(85.0), "the worked example of survey.rs");
    assert_eq!(index.grade, Some(Grade::B));
    assert_eq!((index.ratings_counted, index.ratings_flagged), (3, 1));
    assert_eq!(summary.ratings, 4);
    let tangibles = &index.elements[0];
    assert_eq!((tangibles.element, tangibles.count), ("tangibles", 3));
}

#[test]
fn staff_actions_are_those_of_the_period() {
    let (_dir, store) = fixture();
    let report = report(&store, false);
    let actions: Vec<_> = report
        .staff_actions
        .iter()
        .map(|a| (a.action.as_str(), a.staff_name.as_deref()))
        .collect();
    assert_eq!(
        actions,
        [
            ("checkin_manual", Some("yosefina")),
            ("reprint", Some("yosefina"))
        ],
        "midnight of the 30th belongs to the next day"
    );
    let manual = report
        .tickets
        .iter()
        .find(|t| t.label == "A-002")
        .expect("A-002");
    assert_eq!(manual.staff_kind.as_deref(), Some("manual"));
    assert_eq!(manual.staff_name.as_deref(), Some("yosefina"));
}

#[test]
fn names_are_masked_unless_full_names_are_asked_for() {
    let (_dir, store) = fixture();
    let masked = report(&store, false);
    let names: Vec<_> = masked
        .tickets
        .iter()
        .filter_map(|t| t.applicant_name.as_deref())
        .collect();
    assert_eq!(
        names,
        [
            "MARIA G*** F***",
            "BERNADETA L***",
            "YOSEF N***",
            "PETRUS K***"
        ]
    );
    assert!(!masked.full_names);
    assert_eq!(masked.tickets[0].booking_code, "MPAA****AA");
    let manual = masked
        .staff_actions
        .iter()
        .find(|a| a.target.as_deref().is_some_and(|t| t.contains("MPEE")))
        .expect("the staff check-in's action");
    assert_eq!(manual.target.as_deref(), Some("MPEE****EE"));
    let full = report(&store, true);
    assert_eq!(
        full.tickets[0].applicant_name.as_deref(),
        Some("MARIA GORETI FERNANDES")
    );
    assert_eq!(full.tickets[0].booking_code, "MPAAAAAAAA");
    let mut config = Config::default();
    config.privacy.full_names_in_exports = true;
    let by_config = Report::gather(
        &store,
        &config,
        ExportRange::new(day(), day()).expect("range"),
        &now(),
        false,
    )
    .expect("gathers");
    assert!(by_config.full_names);
    assert_eq!(
        by_config.tickets[0].applicant_name.as_deref(),
        Some("MARIA GORETI FERNANDES")
    );
}

#[test]
fn ranges_are_checked() {
    assert_eq!(
        ExportRange::parse("2026-11-01", "2026-11-30")
            .expect("a month")
            .days(),
        30
    );
    assert_eq!(
        ExportRange::parse("2028-01-01", "2028-12-31")
            .expect("a leap year is 366 days")
            .days(),
        366
    );
    for (from, to) in [
        ("2026-11-31", "2026-12-01"),
        ("29-11-2026", "2026-11-30"),
        ("2026-11-30", "2026-11-29"),
        ("2026-01-01", "2027-01-02"),
    ] {
        let err = ExportRange::parse(from, to).expect_err("refused");
        assert_eq!(err.code(), "invalid_input", "{from}..{to}: {err}");
    }
}

#[test]
fn every_format_is_written_with_its_file_name() {
    let (dir, store) = fixture();
    let report = report(&store, false);
    let out = dir.path().join("out");
    let files = write(&report, &ExportFormat::ALL, &out, Language::Id).expect("writes");
    let names: Vec<_> = files
        .iter()
        .map(|p| p.file_name().expect("name").to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "summary_2026-11-29_2026-11-29.csv",
            "tickets_2026-11-29_2026-11-29.csv",
            "ratings_2026-11-29_2026-11-29.csv",
            "staff_actions_2026-11-29_2026-11-29.csv",
            "hadir_2026-11-29_2026-11-29.xlsx",
            "laporan_2026-11-29_2026-11-29.pdf",
        ]
    );
    let xlsx = std::fs::read(&files[4]).expect("reads");
    assert_eq!(&xlsx[..2], b"PK", "an XLSX is a zip");
    let pdf = std::fs::read(&files[5]).expect("reads");
    assert!(pdf.starts_with(b"%PDF"));

    let mut tickets = ::csv::Reader::from_path(&files[1]).expect("opens");
    let header = tickets.headers().expect("header").clone();
    assert_eq!(header.len(), TICKET_HEADER.len());
    let rows: Vec<::csv::StringRecord> = tickets.records().collect::<Result<_, _>>().expect("rows");
    assert_eq!(rows.len(), 4);
    assert!(
        !std::fs::read_to_string(&files[1])
            .expect("text")
            .contains("4321"),
        "NIK digits are never exported"
    );
    let ratings = std::fs::read_to_string(&files[2]).expect("text");
    assert!(
        ratings.contains("\"ramah, \"\"cepat\"\"\""),
        "RFC 4180 quoting: {ratings}"
    );
}

#[test]
fn an_unusable_folder_is_an_io_error() {
    let (dir, store) = fixture();
    let report = report(&store, false);
    let file = dir.path().join("a-file");
    std::fs::write(&file, b"x").expect("writes");
    let err = write(&report, &[ExportFormat::Csv], &file, Language::Id).expect_err("not a folder");
    assert_eq!(err.code(), "io_failed");
}
