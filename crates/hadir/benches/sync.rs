//! Pull speed on loopback. Run: `cargo bench -p hadir --bench sync`. Prints a Markdown table
//! for BENCHMARKS.md.
//!
//! Each pull is the whole path a kiosk takes: HTTP request to a real server on 127.0.0.1
//! (`fake-upstream`), body read with the size cap, parse and validation of every item, and one
//! SQLite transaction with `synchronous=FULL` (the fsync included).

use std::time::{Duration, Instant};

use bench_stats::{ms_cell, print_header, print_row, Summary};
use fake_upstream::{synthetic_feed, FakeUpstream};
use hadir::sync::{pull_day, UpstreamClient};
use hadir::Config;

#[path = "../tests/common/mod.rs"]
mod common;

use common::OFFICE;

const DAY: &str = "2026-11-29";
const BOOKINGS: usize = 10_000;

fn main() {
    let upstream = FakeUpstream::start(OFFICE, "bench").expect("server");
    let full = synthetic_feed(OFFICE, DAY, BOOKINGS, "A", "after-full");
    let body_mb = full.len() as f64 / 1e6;
    upstream.set_feed(DAY, None, full.clone());
    // The same list answered to its own cursor: a full replace of 10k bookings already cached.
    upstream.set_feed(DAY, Some("after-full"), full);
    let mut config = Config::default();
    config.upstream.url = Some(upstream.url());
    config.upstream.token = Some("bench".into());
    let client = UpstreamClient::new(&config).expect("client");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let date = DAY.parse().expect("date");
    let now: jiff::Timestamp = "2026-11-29T00:30:00Z".parse().expect("now");

    print_header(&["case", "runs", "p50", "p99", "mean"]);
    let mut first = Vec::new();
    for _ in 0..20 {
        let (_dir, mut store) = common::temp_store();
        first.push(time(|| {
            rt.block_on(pull_day(&client, &mut store, &config, date, now))
                .expect("pull");
        }));
    }
    row(
        &format!("full pull, {BOOKINGS} bookings ({body_mb:.1} MB) into an empty cache"),
        first,
    );

    let (_dir, mut store) = common::temp_store();
    rt.block_on(pull_day(&client, &mut store, &config, date, now))
        .expect("fills");
    let mut replace = Vec::new();
    for _ in 0..20 {
        upstream.set_feed(
            DAY,
            Some("after-full"),
            synthetic_feed(OFFICE, DAY, BOOKINGS, "A", "after-full"),
        );
        replace.push(time(|| {
            rt.block_on(pull_day(&client, &mut store, &config, date, now))
                .expect("pull");
        }));
    }
    row(
        &format!("full pull, {BOOKINGS} bookings, replacing a cache of {BOOKINGS}"),
        replace,
    );

    // Now answer the cursor with an empty delta: a pull when nothing changed upstream.
    upstream.set_feed(
        DAY,
        Some("after-full"),
        format!(
            r#"{{"office":"{OFFICE}","date":"{DAY}","full":false,"cursor":"after-full","appointments":[],"revoked":[]}}"#
        )
        .into_bytes(),
    );
    let mut delta = Vec::new();
    for _ in 0..200 {
        delta.push(time(|| {
            rt.block_on(pull_day(&client, &mut store, &config, date, now))
                .expect("pull");
        }));
    }
    row(&format!("empty delta pull, cache of {BOOKINGS}"), delta);
}

fn time(run: impl FnOnce()) -> Duration {
    let start = Instant::now();
    run();
    start.elapsed()
}

fn row(case: &str, timings: Vec<Duration>) {
    let summary = Summary::of(timings);
    print_row(&[
        case.to_owned(),
        summary.count().to_string(),
        ms_cell(summary.p50(), 1),
        ms_cell(summary.p99(), 1),
        ms_cell(summary.mean(), 1),
    ]);
}
