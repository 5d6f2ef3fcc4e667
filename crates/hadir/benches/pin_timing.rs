//! Does the time a sign-in takes tell an attacker anything? Times `staff_mode::sign_in` for a
//! wrong PIN of an existing account, the right PIN, an unknown name and a disabled account
//! (release build, fsync off so the disk does not blur the comparison). The clock moves 10
//! minutes between tries, so the lockout never answers instead of Argon2.
//!
//! Run: `cargo bench -p hadir --bench pin_timing` (about a minute).

use std::time::{Duration, Instant};

use bench_stats::{ms_cell, print_header, print_row, Summary};
use hadir::staff_mode::{sign_in, SignInResult};
use hadir::Config;

#[path = "../tests/common/mod.rs"]
mod common;

const TRIES: usize = 40;

fn main() {
    let (_dir, store) = common::temp_store();
    let mut store = store.without_fsync_for_benchmarks().expect("fsync off");
    let config = Config::default();
    let hash = hadir::staff::hash_pin("482915").expect("hash");
    let created = "2026-11-29T08:00:00+08:00";
    store
        .add_staff("maria", hadir::model::StaffRole::Frontdesk, &hash, created)
        .expect("adds");
    store
        .add_staff("yosef", hadir::model::StaffRole::Frontdesk, &hash, created)
        .expect("adds");
    let yosef = store
        .staff_by_name("yosef")
        .expect("reads")
        .expect("exists");
    store.set_staff_active(yosef.id, false).expect("disables");
    hadir::staff_mode::warm_up();

    let start = common::at(8, 0);
    let cases = [
        ("wrong PIN, existing account", "maria", "000000"),
        ("right PIN", "maria", "482915"),
        ("unknown name", "nobody", "482915"),
        ("disabled account, right PIN", "yosef", "482915"),
    ];
    let mut timings: Vec<Vec<Duration>> = vec![Vec::new(); cases.len()];
    let mut minute = 0;
    // Interleaved, so that a slow moment of the machine hits every case alike.
    for _ in 0..TRIES {
        for (case, (_, name, pin)) in cases.iter().enumerate() {
            minute += 10;
            let now = start
                .checked_add(jiff::SignedDuration::from_mins(minute))
                .expect("time");
            let started = Instant::now();
            let result = sign_in(&mut store, name, pin, &now, &config).expect("answers");
            timings[case].push(started.elapsed());
            if let SignInResult::Locked { .. } = result {
                panic!("{name} locked: the clock should have moved past the lockout");
            }
        }
    }
    print_header(&["case", "tries", "p50", "mean", "min", "max"]);
    for ((label, _, _), times) in cases.iter().zip(timings) {
        let summary = Summary::of(times);
        print_row(&[
            (*label).to_owned(),
            summary.count().to_string(),
            ms_cell(summary.p50(), 1),
            ms_cell(summary.mean(), 1),
            ms_cell(summary.min(), 1),
            ms_cell(summary.max(), 1),
        ]);
    }
}
