//! The real kiosk window under load: scan-to-number latency over 200 scans and the memory (PSS)
//! of the whole process tree from start to 1,000 scans. A bench binary, not a test: it reports
//! numbers for BENCHMARKS.md and asserts only that every scan was answered.
//!
//! Run (needs what `scripts/test.sh` installs):
//!   cargo build -p hadir-kiosk && xvfb-run -a -s "-screen 0 1280x1024x24" dbus-run-session -- \
//!     cargo bench -p hadir-e2e --bench kiosk
//! HADIR_KIOSK_BIN=target/release/hadir-kiosk measures a release build instead of the debug one;
//! HADIR_BENCH_SCANS=5000 runs longer (memory sampled ten times over the run, at least every 200).
//! Memory is also sampled after a quiet spell at start, after the 200 warm-up scans and after the
//! last (HADIR_BENCH_QUIET_SECS, default 35): the kiosk gives freed heap back once it is quiet.

use std::time::Duration;

use bench_stats::{ms_cell, print_header, print_row, Summary};
use hadir::feed::Appointment;
use hadir_e2e::{pss_kib_of_tree, scan, wait_for_script, TauriDriver, TestKiosk};

const DEFAULT_SCANS: usize = 1_000;
const TIMED: usize = 200;
/// Idle time before the "quiet" memory samples: longer than the kiosk's two quiet ticks before
/// it gives freed heap back (src-tauri/src/memory_trim.rs).
const QUIET_SECS: u64 = 35;

/// PSS of the process tree now (KiB), labelled; its split per process goes to stderr.
fn pss_sample(app: u32, when: String) -> (String, u64) {
    let kib = pss_kib_of_tree(app);
    let parts: Vec<String> = hadir_e2e::pss_kib_by_process(app)
        .into_iter()
        .map(|(name, kib)| format!("{name} {:.1}", kib as f64 / 1024.0))
        .collect();
    eprintln!(
        "PSS {when}: {:.1} MiB ({}; web process pid {:?}; {} s after the kiosk started)",
        kib as f64 / 1024.0,
        parts.join(", "),
        hadir_e2e::web_processes_of(app),
        process_age_secs(app)
    );
    (when, kib)
}

/// Seconds since `pid` started (its kiosk clock is `--at` plus this), from /proc.
fn process_age_secs(pid: u32) -> u64 {
    let field = |text: &str, n: usize| -> Option<f64> {
        text.rsplit_once(')')?
            .1
            .split_whitespace()
            .nth(n)?
            .parse()
            .ok()
    };
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let uptime = std::fs::read_to_string("/proc/uptime").unwrap_or_default();
    let started_ticks = field(&stat, 19).unwrap_or(0.0); // starttime, clock ticks after boot
    let up: f64 = uptime
        .split_whitespace()
        .next()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    (up - started_ticks / 100.0).max(0.0) as u64 // USER_HZ is 100 on Linux
}

fn booking(i: usize) -> Appointment {
    hadir_e2e::bench_booking(format!("MPBENCH{i:05}"))
}

/// The parts of Enter -> number painted the page records (ui/app.js `recordLatency`).
const BREAKDOWN: [&str; 5] = ["backend", "ipc", "dom", "first_frame", "second_frame"];

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let scans: usize = std::env::var("HADIR_BENCH_SCANS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_SCANS)
        .max(TIMED);
    let sample_every = (scans / 10).max(200);
    // The page's daily refresh (issue #19): off unless asked for, at a kiosk time of day
    // (the kiosk starts at 09:30:00) that falls after the warm-up's quiet sample and before the
    // end of the scans, so that it comes in the last quiet spell (after 15 s of it).
    let refresh_at = std::env::var("HADIR_BENCH_PAGE_REFRESH_AT").unwrap_or_else(|_| "off".into());
    let kiosk = TestKiosk::with_page_refresh(&refresh_at, 15);
    kiosk.add_bookings((0..scans).map(booking).collect());
    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;
    let app = kiosk.process();
    let quiet = Duration::from_secs(
        std::env::var("HADIR_BENCH_QUIET_SECS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(QUIET_SECS),
    );
    let first_page = hadir_e2e::web_processes_of(app);
    let mut memory = Vec::new();
    tokio::time::sleep(Duration::from_secs(2)).await; // let start-up settle before measuring
    memory.push(pss_sample(app, "2 s after start".to_owned()));
    tokio::time::sleep(quiet).await;
    memory.push(pss_sample(
        app,
        format!("idle after start ({} s quiet)", quiet.as_secs()),
    ));
    let mut latencies = Vec::with_capacity(TIMED);
    let mut answers = Vec::with_capacity(TIMED);
    let mut parts: Vec<Vec<f64>> = vec![Vec::with_capacity(TIMED); BREAKDOWN.len()];
    for i in 0..scans {
        scan(&client, &format!("MPBENCH{i:05}")).await;
        wait_for_script(
            &client,
            &format!("return document.body.dataset.scans === '{}';", i + 1),
            Duration::from_secs(15),
        )
        .await;
        if i < TIMED {
            // Every bench scan is answered (none fails), so every breakdown has the backend's time.
            let timing = hadir_e2e::last_scan_timing(&client).await;
            latencies.push(timing.scan_ms);
            answers.push(timing.answer_ms);
            for (part, samples) in BREAKDOWN.iter().zip(parts.iter_mut()) {
                samples.push(timing.part(part));
            }
        }
        if (i + 1) % sample_every == 0 {
            memory.push(pss_sample(app, format!("after {} scans", i + 1)));
        }
        if i + 1 == TIMED {
            // The end of the warm-up: growth is counted from here, quiet to quiet.
            tokio::time::sleep(quiet).await;
            memory.push(pss_sample(
                app,
                format!("after {TIMED} scans and {} s quiet", quiet.as_secs()),
            ));
        }
    }
    tokio::time::sleep(quiet).await;
    memory.push(pss_sample(
        app,
        format!("after {scans} scans and {} s quiet", quiet.as_secs()),
    ));
    if refresh_at != "off" {
        // The refresh comes in the last quiet spell, or later if the scans ended before its
        // time: sampled once the page has its new web process and has been quiet again.
        let deadline = std::time::Instant::now() + Duration::from_secs(900);
        while hadir_e2e::web_processes_of(app) == first_page {
            assert!(
                std::time::Instant::now() < deadline,
                "no page refresh within 15 min"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        tokio::time::sleep(quiet).await;
        memory.push(pss_sample(
            app,
            format!("after the page refresh and {} s quiet", quiet.as_secs()),
        ));
    }
    let tickets: i64 = kiosk
        .database()
        .query_row("SELECT COUNT(*) FROM tickets", [], |row| row.get(0))
        .expect("count");
    // WebKitWebDriver ends its session when the page's web process ends (a page refresh).
    let closed = client.close().await;
    assert!(
        closed.is_ok() || refresh_at != "off",
        "session closes: {closed:?}"
    );
    assert_eq!(tickets, scans as i64, "every scan issued its ticket");

    let latencies = Summary::of_ms(&latencies);
    let answers = Summary::of_ms(&answers);
    print_header(&["measure", "value"]);
    let own_share = "Enter to number visible (the kiosk's own share)";
    for (measure, value) in [
        (
            format!("scan to number visible, p50 ({TIMED} scans)"),
            latencies.p50(),
        ),
        (
            format!("scan to number visible, p95 ({TIMED} scans)"),
            latencies.p95(),
        ),
        ("scan to number visible, max".to_owned(), latencies.max()),
        (format!("{own_share}, p50"), answers.p50()),
        (format!("{own_share}, p95"), answers.p95()),
    ] {
        print_row(&[measure, ms_cell(value, 1)]);
    }
    for (part, samples) in BREAKDOWN.iter().zip(parts) {
        let summary = Summary::of_ms(&samples);
        print_row(&[
            format!("Enter to number: {part}, p50 / p95"),
            format!(
                "{} / {}",
                ms_cell(summary.p50(), 2),
                ms_cell(summary.p95(), 2)
            ),
        ]);
    }
    for (when, kib) in memory {
        print_row(&[
            format!("PSS of kiosk + WebKit processes, {when}"),
            format!("{:.1} MiB", kib as f64 / 1024.0),
        ]);
    }
}
