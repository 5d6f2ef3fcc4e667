//! `hadir sync` and `hadir status` as an operator runs them, against a real HTTP gateway on
//! loopback. The token never shows up in any output, even at trace level.

use std::process::Output;

use fake_upstream::{FakeUpstream, Fault, Route};

use crate::common::{self, stdout_json as json, upstream_toml};

const TOKEN: &str = "Zq7-very-secret-token-Zq7";
const AT: &str = "2026-11-29T09:00:00+08:00";

fn sample(name: &str) -> Vec<u8> {
    let path = common::testdata(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

struct Setup(common::TempKiosk);

impl Setup {
    fn new(upstream: &FakeUpstream) -> Setup {
        Setup(common::TempKiosk::new(
            "",
            &upstream_toml(&upstream.url(), TOKEN, "request_timeout_ms = 2000\n"),
        ))
    }

    fn hadir(&self, args: &[&str]) -> Output {
        self.0
            .hadir(AT)
            .args(args)
            .env("RUST_LOG", "trace")
            .output()
            .expect("hadir runs")
    }
}

fn assert_no_token(output: &Output) {
    for stream in [&output.stdout, &output.stderr] {
        assert!(
            !String::from_utf8_lossy(stream).contains(TOKEN),
            "the token leaked into the output"
        );
    }
}

#[test]
fn sync_reports_each_step_and_status_tells_staff_what_happened() {
    let upstream = FakeUpstream::start("KANIM-KUPANG", TOKEN).expect("gateway");
    upstream.set_feed("2026-11-29", None, sample("feed-full.json"));
    let setup = Setup::new(&upstream);

    let ok = setup.hadir(&["sync"]);
    assert_no_token(&ok);
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let report = json(&ok);
    assert_eq!(report["pulls"][0]["outcome"], "done");
    assert_eq!(report["pulls"][0]["applied"]["upserted"], 60);
    assert_eq!(report["pulls"][1]["date"], "2026-11-30", "tomorrow too");
    assert_eq!(report["push"]["outcome"], "done");

    upstream.queue_fault(
        Route::Pull,
        Fault::Status {
            status: 401,
            retry_after: None,
        },
    );
    let refused = setup.hadir(&["sync"]);
    assert_no_token(&refused);
    assert_eq!(refused.status.code(), Some(4), "a failed step exits 4");
    let report = json(&refused);
    assert_eq!(report["pulls"][0]["code"], "sync_unauthorized");
    assert!(
        report["pulls"][0]["next_step"]["id"]
            .as_str()
            .is_some_and(|s| s.contains("token")),
        "says what to do: {report}"
    );

    let status = setup.hadir(&["status"]);
    assert_no_token(&status);
    assert!(status.status.success());
    let health = json(&status);
    assert_eq!(health["bookings_today"], 60);
    assert_eq!(health["stopped"]["code"], "sync_unauthorized");
    assert_eq!(health["last_error"]["step"], "pull");
    assert_eq!(health["offline"], true);
    assert_eq!(health["state"], "stopped");
    assert!(health["last_pull_ok_at"].is_string());

    let config = setup.hadir(&["config"]);
    assert_no_token(&config);
}

#[test]
fn sync_without_a_url_says_how_to_fill_the_cache_instead() {
    let kiosk = common::TempKiosk::new("", "");
    let output = kiosk.hadir(AT).arg("sync").output().expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("[sync_not_configured]"), "{stderr}");
    assert!(
        stderr.contains("impor"),
        "next step in Bahasa Indonesia: {stderr}"
    );
}

/// #20: `hadir status` reports the kiosk's clock against the gateway's from the last answer
/// (`hadir sync --at` is this kiosk's clock): the alarm, by how much, and what to do.
#[test]
fn status_reports_a_kiosk_clock_off_the_gateways() {
    let upstream = FakeUpstream::start("KANIM-KUPANG", TOKEN).expect("gateway");
    // The gateway's clock: 15 minutes after AT (09:15 WITA is 01:15 UTC).
    upstream.set_date_header(fake_upstream::DateHeader::Fixed(
        "Sun, 29 Nov 2026 01:15:00 GMT".into(),
    ));
    let setup = Setup::new(&upstream);
    let synced = setup.hadir(&["sync"]);
    assert_eq!(
        synced.status.code(),
        Some(0),
        "the sync itself goes through"
    );
    let status = json(&setup.hadir(&["status"]));
    let clock = &status["clock"];
    assert_eq!(clock["alarm"], true, "{clock}");
    assert_eq!(clock["max_skew_seconds"], 120);
    let skew = clock["gateway"]["skew_seconds"].as_i64().expect("a number");
    assert!(
        (-900..=-898).contains(&skew),
        "the kiosk is 15 minutes behind: {skew}"
    );
    assert!(clock["next_step"]["id"]
        .as_str()
        .is_some_and(|text| text.contains("WITA")));
    assert_eq!(status["state"], "ok", "the network itself is fine");
}
