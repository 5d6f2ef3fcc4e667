//! Start-up of the kiosk as installed: from launching the program to the welcome screen painted,
//! and the first scan after start (key burst to number painted), median of 10 starts. A bench
//! binary, not a test: it prints the figures for BENCHMARKS.md.
//!
//! Run (after `scripts/package.sh` and `apt install ./target/package/hadir_*.deb`, or with
//! `HADIR_KIOSK_BIN` naming any kiosk binary; default `/usr/bin/hadir-kiosk` when installed,
//! else `target/release/hadir-kiosk`):
//!   xvfb-run -a -s "-screen 0 1280x1024x24" dbus-run-session -- cargo bench -p hadir-e2e --bench start
//!
//! "Launch" is the moment before the WebDriver session is asked for (tauri-driver and
//! WebKitWebDriver then start the program); "painted" is the page's own wall-clock mark two
//! animation frames after the welcome screen was shown. Warm file cache: one unmeasured start
//! comes first.

use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bench_stats::{ms, Summary};
use hadir::feed::Appointment;
use hadir_e2e::{scan, wait_for_script, TauriDriver, TestKiosk};

const STARTS: usize = 10;

fn kiosk_program() -> PathBuf {
    if let Some(path) = std::env::var_os("HADIR_KIOSK_BIN") {
        return PathBuf::from(path);
    }
    let installed = PathBuf::from("/usr/bin/hadir-kiosk");
    if installed.exists() {
        return installed;
    }
    hadir_e2e::repo_root()
        .join("target")
        .join("release")
        .join("hadir-kiosk")
}

fn booking(i: usize) -> Appointment {
    hadir_e2e::bench_booking(format!("MPSTART{i:04}"))
}

async fn dataset_number(client: &fantoccini::Client, key: &str) -> f64 {
    client
        .execute(&format!("return document.body.dataset.{key};"), vec![])
        .await
        .expect("script runs")
        .as_str()
        .and_then(|v| v.parse().ok())
        .expect("a number")
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let program = kiosk_program();
    assert!(program.exists(), "{} is missing", program.display());
    let kiosk = TestKiosk::with_demo_day();
    kiosk.add_bookings((0..=STARTS).map(booking).collect());
    let driver = TauriDriver::start();
    let mut starts = Vec::new();
    let mut first_scans = Vec::new();
    for run in 0..=STARTS {
        let launched = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .expect("clock after 1970")
            .as_secs_f64()
            * 1000.0;
        let client = driver.open_program(&program, &kiosk, &[]).await;
        wait_for_script(
            &client,
            "return !!document.body.dataset.welcomePaintedEpochMs;",
            Duration::from_secs(30),
        )
        .await;
        let painted = dataset_number(&client, "welcomePaintedEpochMs").await;
        scan(&client, &format!("MPSTART{run:04}")).await;
        wait_for_script(
            &client,
            "return document.body.dataset.scans === '1';",
            Duration::from_secs(30),
        )
        .await;
        let first_scan = dataset_number(&client, "lastScanMs").await;
        client.close().await.expect("session closes");
        // Let the previous kiosk's processes go before the next start.
        tokio::time::sleep(Duration::from_secs(2)).await;
        if run == 0 {
            continue; // warms the file cache
        }
        eprintln!(
            "start {run}: welcome painted {:.0} ms after launch, first scan {first_scan:.0} ms",
            painted - launched
        );
        starts.push(painted - launched);
        first_scans.push(first_scan);
    }
    let starts = Summary::of_ms(&starts);
    println!("kiosk: {}", program.display());
    println!(
        "launch to welcome painted: median {:.0} ms (min {:.0}, max {:.0}, {STARTS} starts)",
        ms(starts.p50()),
        ms(starts.min()),
        ms(starts.max())
    );
    println!(
        "first scan after start, key burst to number painted: median {:.0} ms",
        ms(Summary::of_ms(&first_scans).p50())
    );
}
