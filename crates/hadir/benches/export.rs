//! Supervisor export speed for a busy month. Run: `cargo bench -p hadir --bench export`.
//! Prints a Markdown table for BENCHMARKS.md.
//!
//! Fills a fresh store through the public API with 30 days of 1,000 tickets (30,000), a first
//! print for each plus failures and SALINAN copies, 10,000 ratings, 20 audit rows a day and the
//! last 7 days of appointments (the cache's `keep_days`), then times one export of the month to
//! CSV + XLSX + PDF, phase by phase, three times.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use bench_stats::{ms_cell, print_header, print_row, Summary};
use hadir::feed::{Applicant, Appointment, FeedBody};
use hadir::model::Language;
use hadir::model::{BookingStatus, Priority, Service};
use hadir::report::{ExportFormat, ExportRange, Report};
use hadir::store::{
    ApplicantSlot, AuditEntry, BookingTicketFacts, NewCheckin, NewRating, PrintOutcome,
    StaffCheckin,
};
use hadir::survey::{MisuseFlag, SERVQUAL};
use hadir::{Config, Store};
use jiff::civil::{date, time, Date};

#[path = "../tests/common/mod.rs"]
mod common;

const DAYS: i8 = 30;
const TICKETS_PER_DAY: usize = 1_000;
/// Booked but never came, per cached day.
const NO_SHOWS_PER_DAY: usize = 100;
const CACHED_DAYS: i8 = 7;
const RUNS: usize = 3;

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    // HADIR_BENCH_STORE=<folder> keeps the filled store there, to profile queries by hand.
    let store_dir = std::env::var_os("HADIR_BENCH_STORE")
        .map_or_else(|| dir.path().join("store"), std::path::PathBuf::from);
    let fill_started = Instant::now();
    let store = fill(&store_dir);
    let fill_time = fill_started.elapsed();
    let config = Config::default();
    let range = ExportRange::new(date(2026, 11, 1), date(2026, 11, 30)).expect("range");
    let now = common::office_time(date(2026, 11, 30), 17, 0);

    let phases = [
        "gather (queries + sync health)",
        "write CSV (4 files)",
        "write XLSX",
        "write PDF",
        "total: gather + write all three",
    ];
    let mut timings: Vec<Vec<Duration>> = vec![Vec::new(); phases.len()];
    let mut sizes = BTreeMap::new();
    for run in 0..RUNS {
        let started = Instant::now();
        let report = Report::gather(&store, &config, range, &now, false).expect("gathers");
        timings[0].push(started.elapsed());
        assert_eq!(report.tickets.len(), DAYS as usize * TICKETS_PER_DAY);
        for (phase, format) in [
            (1, ExportFormat::Csv),
            (2, ExportFormat::Xlsx),
            (3, ExportFormat::Pdf),
        ] {
            let out = dir.path().join(format!("{}{run}", format.as_str()));
            let started = Instant::now();
            let files =
                hadir::report::write(&report, &[format], &out, Language::Id).expect("writes");
            timings[phase].push(started.elapsed());
            let bytes: u64 = files
                .iter()
                .map(|p| std::fs::metadata(p).expect("file").len())
                .sum();
            sizes.insert(phases[phase], bytes);
        }
        // What `hadir export` does: one gather, every format from it.
        let out = dir.path().join(format!("all{run}"));
        let started = Instant::now();
        let report = Report::gather(&store, &config, range, &now, false).expect("gathers");
        hadir::report::write(&report, &ExportFormat::ALL, &out, Language::Id).expect("writes");
        timings[4].push(started.elapsed());
    }

    let from = range.from;
    let to = range.to;
    let queries: [(&str, RowCount<'_>); 5] = [
        (
            "report_tickets",
            Box::new(|| store.report_tickets(from, to).expect("q").len()),
        ),
        (
            "report_ratings",
            Box::new(|| store.report_ratings(from, to).expect("q").len()),
        ),
        (
            "report_staff_actions",
            Box::new(|| store.report_staff_actions(from, to).expect("q").len()),
        ),
        (
            "report_no_shows",
            Box::new(|| store.report_booked_slots(from, to).expect("q").len()),
        ),
        (
            "sync health",
            Box::new(|| {
                hadir::sync::SyncHealth::read(&store, &config, now.timestamp())
                    .expect("q")
                    .outbox as usize
            }),
        ),
    ];
    let mut query_rows = Vec::new();
    for (name, query) in &queries {
        let mut rows = 0;
        let runs: Vec<Duration> = (0..RUNS)
            .map(|_| {
                let started = Instant::now();
                rows = query();
                started.elapsed()
            })
            .collect();
        query_rows.push((*name, Summary::of(runs).p50(), rows));
    }

    println!(
        "Filled {} tickets, {} ratings in {:.1} s (not timed below).\n",
        DAYS as usize * TICKETS_PER_DAY,
        DAYS as usize * TICKETS_PER_DAY / 3,
        fill_time.as_secs_f64()
    );
    print_header(&["phase", "run 1", "run 2", "run 3", "median", "output"]);
    for (phase, runs) in phases.iter().zip(&timings) {
        let mut cells = vec![(*phase).to_owned()];
        cells.extend(runs.iter().map(|d| ms_cell(*d, 0)));
        cells.push(ms_cell(Summary::of(runs.clone()).p50(), 0));
        cells.push(
            sizes
                .get(phase)
                .map_or_else(|| "-".to_owned(), |b| format!("{} KiB", b / 1024)),
        );
        print_row(&cells);
    }
    println!();
    print_header(&["query (part of gather)", "median", "rows"]);
    for (name, median, rows) in query_rows {
        print_row(&[name.to_owned(), ms_cell(median, 0), rows.to_string()]);
    }
}

/// A query to time; returns how many rows it read.
type RowCount<'a> = Box<dyn Fn() -> usize + 'a>;

fn booking_code(day: i8, i: usize) -> String {
    format!("MB{day:02}{i:06}")
}

fn service(i: usize) -> Service {
    [Service::Baru, Service::Penggantian, Service::HilangRusak][i % 3]
}

fn fill(dir: &std::path::Path) -> Store {
    let mut store = Store::open_in(dir)
        .expect("store")
        .without_fsync_for_benchmarks()
        .expect("pragma");
    let staff = store
        .add_staff(
            "bench",
            hadir::model::StaffRole::Frontdesk,
            "$argon2id$x",
            "2026-10-01T08:00:00+08:00",
        )
        .expect("staff");
    let printed = PrintOutcome::Printed {
        sink: "escpos_tcp".into(),
    };
    let failed = PrintOutcome::Failed {
        sink: "escpos_tcp".into(),
        reason: "printer_unreachable",
        detail: "connection refused".into(),
    };
    let scores: BTreeMap<String, u8> = SERVQUAL
        .elements
        .iter()
        .enumerate()
        .map(|(i, e)| ((*e).to_owned(), 2 + (i % 3) as u8))
        .collect();
    for day in 1..=DAYS {
        let office_date = date(2026, 11, day);
        if day > DAYS - CACHED_DAYS {
            cache_day(&mut store, office_date);
        }
        for i in 0..TICKETS_PER_DAY {
            // Spread over 07:30-16:30, busiest in the morning as at the counter.
            let minute = 450 + (i * i / TICKETS_PER_DAY) * 540 / TICKETS_PER_DAY;
            let at = format!(
                "{office_date}T{:02}:{:02}:{:02}+08:00",
                minute / 60,
                minute % 60,
                i % 60
            );
            let priority = (i % 10 == 0).then_some(Priority::Lansia);
            let code = booking_code(day, i);
            let tickets = store
                .record_checkin(&NewCheckin {
                    booking_code: &code,
                    applicants: vec![ApplicantSlot {
                        applicant_index: 0,
                        queue: if priority.is_some() { "P" } else { "A" }.into(),
                        name: Some(format!("PEMOHON UJI COBA {i}")),
                        priority,
                        nonce: None,
                    }],
                    office_date,
                    at: at.clone(),
                    kiosk: "K1",
                    facts: BookingTicketFacts {
                        service: service(i),
                        express: i % 7 == 0,
                        slot: "08:00-09:00".into(),
                    },
                    by_staff: (i % 50 == 0).then_some(StaffCheckin {
                        staff_id: staff,
                        kind: "manual",
                        reason: "QR tidak terbaca",
                    }),
                    numbering: Default::default(),
                })
                .expect("check-in")
                .expect("new");
            let ticket = &tickets[0];
            if i % 40 == 0 {
                store
                    .record_print(&ticket.id, &at, false, &failed)
                    .expect("print");
            }
            store
                .record_print(&ticket.id, &at, false, &printed)
                .expect("print");
            if i % 100 == 0 {
                store
                    .record_print(&ticket.id, &at, true, &printed)
                    .expect("print");
            }
            if i % 3 == 0 {
                let flags: &[MisuseFlag] = if i % 75 == 0 {
                    &[MisuseFlag::TooFast]
                } else {
                    &[]
                };
                store
                    .record_rating(&NewRating {
                        ticket_id: &ticket.id,
                        at: &at,
                        kiosk: "K2",
                        question_set: "servqual",
                        scores: &scores,
                        comment: (i % 30 == 0).then_some("petugas ramah, antrean cepat"),
                        answered_ms: 12_000,
                        flags,
                    })
                    .expect("rating");
            }
            if i % 50 == 0 {
                store
                    .append_audit(&AuditEntry {
                        at: &at,
                        staff_id: Some(staff),
                        action: "checkin_manual",
                        target: Some(&code),
                        reason: Some("QR tidak terbaca"),
                    })
                    .expect("audit");
            }
        }
    }
    store
}

/// The day's bookings as the feed delivers them: every ticket's booking plus the no-shows.
fn cache_day(store: &mut Store, day: Date) {
    let appointments = (0..TICKETS_PER_DAY + NO_SHOWS_PER_DAY)
        .map(|i| Appointment {
            booking_code: booking_code(day.day(), i),
            date: day,
            slot_start: time(8, 0, 0, 0),
            slot_end: time(9, 0, 0, 0),
            service: service(i),
            express: i % 7 == 0,
            status: BookingStatus::Booked,
            applicants: vec![Applicant {
                name: format!("PEMOHON UJI COBA {i}"),
                birth_date: date(1990, 1, 1),
                nik_last4: "0000".into(),
                priority: (i % 10 == 0).then_some(Priority::Lansia),
            }],
            updated_at: "2026-10-31T06:00:00Z".parse().expect("ts"),
        })
        .collect();
    let received = common::office_time(day, 6, 0).timestamp();
    store
        .apply_feed(
            &FeedBody {
                office: common::OFFICE.into(),
                date: day,
                full: true,
                cursor: None,
                appointments,
                revoked: Vec::new(),
                skipped: Vec::new(),
            },
            received,
        )
        .expect("feed");
}
