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

#[path = "checkin/breakdown.rs"]
mod breakdown;

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
    if std::env::args().any(|a| a == "--breakdown") {
        breakdown::run(sizes);
        render_breakdown();
        return;
    }
    for &size in sizes {
        for fsync in [false, true] {
            let (timings, on_cpu, ahead) = checkins(size, fsync);
            let (case, ahead_case) = if fsync {
                (
                    "decide + number + commit (synchronous=FULL, with fsync)",
                    "after print: work ahead for the next (with fsync)",
                )
            } else {
                (
                    "decide + number + commit (fsync off)",
                    "after print: work ahead for the next (fsync off)",
                )
            };
            row(case, &size.to_string(), &timings);
            if !fsync {
                row(LESS_WAITING, &size.to_string(), &on_cpu);
            }
            row(ahead_case, &size.to_string(), &ahead);
        }
    }
    let ticket = sample_ticket();
    let (renders, on_cpu) = time_each_on_cpu(RENDERS, || {
        let bitmap = render_raster(&ticket, 576).expect("renders");
        std::hint::black_box(encode_escpos(&bitmap));
    });
    row("render ESC/POS raster 80 mm", "-", &renders);
    row(LESS_WAITING, "-", &on_cpu);
    row(
        "render PDF 80 mm",
        "-",
        &time_each(RENDERS, || {
            std::hint::black_box(render_pdf(std::slice::from_ref(&ticket), 80).expect("renders"));
        }),
    );
}

/// Times `CHECKINS` check-ins of distinct bookings in a cache of `size` bookings, and apart
/// the work the kiosk does for the next one after each ticket has printed.
fn checkins(size: usize, fsync: bool) -> (Vec<Duration>, Vec<Duration>, Vec<Duration>) {
    let (_dir, mut store) = filled_store(size, fsync);
    let now = common::at(9, 30);
    let config = Config::default();
    let step = (size / CHECKINS).max(1);
    let mut checkins = Vec::new();
    let mut on_cpu = Vec::new();
    let mut ahead = Vec::new();
    for i in 0..CHECKINS.min(size) {
        let text = code_for(i * step % size);
        let waited = time_waiting_for_cpu();
        let start = Instant::now();
        let outcome = check_in(&mut store, &text, &now, &config).expect("check-in");
        let elapsed = start.elapsed();
        checkins.push(elapsed);
        on_cpu.push(elapsed.saturating_sub(time_waiting_for_cpu().saturating_sub(waited)));
        assert_eq!(outcome.verdict.code(), "ok");
        // As the kiosk does once the ticket has printed, outside the applicant's wait.
        let start = Instant::now();
        store.prepare_next_checkin(now.date()).expect("work ahead");
        ahead.push(start.elapsed());
    }
    (checkins, on_cpu, ahead)
}

/// A fresh store holding `size` bookings for today; fsync on commit as the kiosk runs, or off.
fn filled_store(size: usize, fsync: bool) -> (tempfile::TempDir, hadir::Store) {
    let (dir, mut store) = common::temp_store();
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
    (dir, store)
}

/// The ESC/POS render's parts, each timed alone on the same ticket (the whole last).
fn render_breakdown() {
    let ticket = sample_ticket();
    type Part<'a> = (&'static str, Box<dyn Fn() + 'a>);
    let parts: [Part<'_>; 5] = [
        (
            "render part: layout (texts)",
            Box::new(|| {
                std::hint::black_box(ticket.layout());
            }),
        ),
        (
            "render part: QR matrix",
            Box::new(|| {
                std::hint::black_box(hadir::ticket::qr_matrix(&ticket.qr_text()));
            }),
        ),
        (
            "render part: raster (layout + glyphs + QR + dots)",
            Box::new(|| {
                std::hint::black_box(render_raster(&ticket, 576).expect("renders"));
            }),
        ),
        ("render part: GS v 0 packing", {
            let bitmap = render_raster(&ticket, 576).expect("renders");
            Box::new(move || {
                std::hint::black_box(encode_escpos(&bitmap));
            })
        }),
        (
            "render ESC/POS raster 80 mm",
            Box::new(|| {
                let bitmap = render_raster(&ticket, 576).expect("renders");
                std::hint::black_box(encode_escpos(&bitmap));
            }),
        ),
    ];
    for (name, part) in parts {
        row(name, "-", &time_each(RENDERS, &part));
    }
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

/// The row under a timed case: the same samples less the time this thread spent ready to
/// run but waiting for a CPU (other programs on the machine), from the kernel's own count.
const LESS_WAITING: &str = "  the same, less time waiting for a CPU";

/// Time this thread has spent runnable but not running (`/proc/thread-self/schedstat`, the
/// second field, in ns); zero where the kernel does not say.
fn time_waiting_for_cpu() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|text| text.split_whitespace().nth(1)?.parse().ok())
        .map(Duration::from_nanos)
        .unwrap_or_default()
}

/// [`time_each`], and each sample less the time spent waiting for a CPU.
fn time_each_on_cpu(count: usize, mut run: impl FnMut()) -> (Vec<Duration>, Vec<Duration>) {
    (0..count)
        .map(|_| {
            let waited = time_waiting_for_cpu();
            let start = Instant::now();
            run();
            let elapsed = start.elapsed();
            let waiting = time_waiting_for_cpu().saturating_sub(waited);
            (elapsed, elapsed.saturating_sub(waiting))
        })
        .unzip()
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
