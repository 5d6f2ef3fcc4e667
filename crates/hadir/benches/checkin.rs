//! Check-in and ticket rendering speed. Run: `cargo bench -p hadir --bench checkin`
//! (add `-- --quick` for 1k and 100k bookings only). Prints a Markdown table for BENCHMARKS.md.
//!
//! A plain bench binary (no criterion): each case is timed call by call, so p50 and p99 come
//! from the real distribution of single check-ins, which is what an applicant waits for.

use std::time::{Duration, Instant};

use bench_stats::{ms_cell, print_header, print_row, Summary};
use hadir::checkin::check_in;
use hadir::feed::{Applicant, Appointment, FeedBody};
use hadir::model::{BookingStatus, Service};
use hadir::print::encode_escpos;
use hadir::ticket::raster::render_raster;
use hadir::ticket::{render_pdf, TicketView};
use hadir::Config;
use jiff::civil::{date, time};

#[path = "../tests/common/mod.rs"]
mod common;

const CHECKINS: usize = 1_000;
const RENDERS: usize = 300;

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let sizes: &[usize] = if quick {
        &[1_000, 100_000]
    } else {
        &[1_000, 100_000, 1_000_000]
    };
    print_header(&["case", "cached bookings", "p50", "p99", "mean"]);
    for &size in sizes {
        for fsync in [false, true] {
            let timings = checkins(size, fsync);
            let case = if fsync {
                "decide + number + commit (synchronous=FULL, with fsync)"
            } else {
                "decide + number + commit (fsync off)"
            };
            row(case, &size.to_string(), &timings);
        }
    }
    let ticket = sample_ticket();
    row(
        "render ESC/POS raster 80 mm",
        "-",
        &time_each(RENDERS, || {
            let bitmap = render_raster(&ticket, 576).expect("renders");
            std::hint::black_box(encode_escpos(&bitmap));
        }),
    );
    row(
        "render PDF 80 mm",
        "-",
        &time_each(RENDERS, || {
            std::hint::black_box(render_pdf(std::slice::from_ref(&ticket), 80).expect("renders"));
        }),
    );
}

/// Times `CHECKINS` check-ins of distinct bookings in a cache of `size` bookings.
fn checkins(size: usize, fsync: bool) -> Vec<Duration> {
    let (_dir, mut store) = common::temp_store();
    let now = common::at(9, 30);
    for chunk_start in (0..size).step_by(100_000) {
        let chunk: Vec<Appointment> = (chunk_start..size.min(chunk_start + 100_000))
            .map(booking)
            .collect();
        let body = FeedBody {
            office: common::OFFICE.into(),
            date: now.date(),
            full: false,
            cursor: None,
            appointments: chunk,
            revoked: Vec::new(),
            skipped: Vec::new(),
        };
        store
            .apply_feed(&body, now.timestamp())
            .expect("cache fills");
    }
    if !fsync {
        store = store.without_fsync_for_benchmarks().expect("pragma");
    }
    let config = Config::default();
    let step = (size / CHECKINS).max(1);
    let mut code = (0..CHECKINS).map(|i| code_for(i * step % size));
    time_each(CHECKINS.min(size), || {
        let text = code.next().expect("a code");
        let outcome = check_in(&mut store, &text, &now, &config).expect("check-in");
        assert_eq!(outcome.verdict.code(), "ok");
    })
}

fn code_for(i: usize) -> String {
    format!("MB{i:08}")
}

fn booking(i: usize) -> Appointment {
    Appointment {
        booking_code: code_for(i),
        date: common::day(),
        slot_start: time(9, 0, 0, 0),
        slot_end: time(10, 0, 0, 0),
        service: [Service::Baru, Service::Penggantian, Service::HilangRusak][i % 3],
        express: false,
        status: BookingStatus::Booked,
        applicants: vec![Applicant {
            name: "PEMOHON BENCHMARK".into(),
            birth_date: date(1990, 1, 1),
            nik_last4: "0000".into(),
            priority: None,
        }],
        updated_at: "2026-11-28T06:00:00Z".parse().expect("ts"),
    }
}

fn sample_ticket() -> TicketView {
    TicketView {
        ticket_id: "5f0c8a9e3b1d4c389f1e0d6a2b7c4e11".into(),
        label: "A-012".into(),
        office_name: "Kantor Imigrasi Kelas I TPI Kupang".into(),
        service: Service::Baru,
        express: true,
        priority: false,
        issued_local: "29-11-2026 08:41 WITA".into(),
        slot: "08:00-09:00".into(),
        applicant_masked: "MARIA G*** F***".into(),
        group_pos: 1,
        group_size: 3,
        copy: false,
        language: hadir::model::Language::Id,
        queue_outlook: None,
    }
}

fn time_each(count: usize, mut run: impl FnMut()) -> Vec<Duration> {
    (0..count)
        .map(|_| {
            let start = Instant::now();
            run();
            start.elapsed()
        })
        .collect()
}

fn row(case: &str, size: &str, timings: &[Duration]) {
    let summary = Summary::of(timings.to_vec());
    print_row(&[
        case.to_owned(),
        size.to_owned(),
        ms_cell(summary.p50(), 3),
        ms_cell(summary.p99(), 3),
        ms_cell(summary.mean(), 3),
    ]);
}
