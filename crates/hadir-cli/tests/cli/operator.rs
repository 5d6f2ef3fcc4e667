//! The `hadir` command run as an operator would, against a real SQLite file in a temp dir.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::{self, stdout_json, AT};

struct Kiosk(common::TempKiosk);

impl Kiosk {
    fn new(extra: &str) -> Kiosk {
        Kiosk(common::TempKiosk::new("id = \"K9\"", extra))
    }

    fn hadir(&self, args: &[&str]) -> Output {
        self.0.hadir(AT).args(args).output().expect("hadir runs")
    }

    fn data(&self) -> PathBuf {
        self.0.data()
    }
}

fn try_codes(kiosk: &Kiosk) -> Vec<serde_json::Value> {
    let output = kiosk.hadir(&["demo", "--json"]);
    assert!(
        output.status.success(),
        "demo fills: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout_json(&output)
        .as_array()
        .expect("list of codes")
        .clone()
}

fn code_expecting(codes: &[serde_json::Value], expect: &str) -> String {
    codes
        .iter()
        .find(|c| c["expect"] == expect)
        .and_then(|c| c["booking_code"].as_str())
        .unwrap_or_else(|| panic!("a demo code expecting {expect}"))
        .to_owned()
}

#[test]
fn demo_then_checkin_issues_a_number_and_writes_the_ticket_pdf() {
    let kiosk = Kiosk::new("");
    let code = code_expecting(&try_codes(&kiosk), "ok");
    let output = kiosk.hadir(&["checkin", &code]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let result = stdout_json(&output);
    assert_eq!(result["code"], "ok");
    let label = result["tickets"][0]["label"]
        .as_str()
        .expect("a ticket label");
    assert!(
        label.starts_with("A-"),
        "a single baru applicant joins queue A: {label}"
    );
    let sink = result["prints"][0]["sink"]
        .as_str()
        .expect("printed to a PDF");
    let pdf = Path::new(sink.trim_start_matches("pdf:"));
    assert!(
        pdf.starts_with(kiosk.data().join("tickets").join("2026-11-29")),
        "{}",
        pdf.display()
    );
    assert!(std::fs::read(pdf)
        .expect("PDF exists")
        .starts_with(b"%PDF-"));
}

#[test]
fn second_scan_shows_the_same_number() {
    let kiosk = Kiosk::new("");
    let code = code_expecting(&try_codes(&kiosk), "ok");
    let first = stdout_json(&kiosk.hadir(&["checkin", &code]));
    let again = kiosk.hadir(&["checkin", &code.to_lowercase()]);
    assert!(again.status.success());
    let again = stdout_json(&again);
    assert_eq!(again["code"], "already_checked_in");
    assert_eq!(
        again["tickets"][0]["label"], first["tickets"][0]["label"],
        "never a new number"
    );
    assert_eq!(
        again["prints"],
        serde_json::json!([]),
        "nothing printed again by a scan"
    );
}

#[test]
fn unknown_and_cancelled_codes_are_refused_with_their_code_and_exit_3() {
    let kiosk = Kiosk::new("");
    let codes = try_codes(&kiosk);
    for (text, expect) in [
        ("MPZZZZZZZZ".to_owned(), "not_found"),
        (code_expecting(&codes, "cancelled"), "cancelled"),
        ("DROP TABLE checkins;".to_owned(), "malformed"),
    ] {
        let output = kiosk.hadir(&["checkin", &text]);
        assert_eq!(output.status.code(), Some(3), "{expect} is a refusal");
        let result = stdout_json(&output);
        assert_eq!(result["code"], expect);
        // The admin reads the front desk's words for the refusal (what it means, what to do),
        // in Bahasa Indonesia and English, not the applicant's screen text.
        for lang in [hadir::model::Language::Id, hadir::model::Language::En] {
            let staff = hadir::texts::text(
                lang,
                &format!("staff.verdict.{expect}"),
                &serde_json::json!({}),
            );
            assert!(!staff.is_empty(), "{expect}");
            assert_eq!(result["message"][lang.code()], staff.as_str(), "{result}");
        }
    }
}

#[test]
fn import_applies_a_feed_file_and_skips_bad_items() {
    let kiosk = Kiosk::new("");
    let file = common::testdata("feed-bad-items.json");
    let output = kiosk.hadir(&["import", &file.to_string_lossy()]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let applied = stdout_json(&output);
    assert_eq!(applied["skipped"], 3);
    assert_eq!(applied["upserted"], 1);
    let result = kiosk.hadir(&["checkin", "MPH4ZZ3LEX"]);
    assert_ne!(
        stdout_json(&result)["code"],
        "not_found",
        "the valid item is in the cache"
    );
}

#[test]
fn import_refuses_a_delta_file() {
    let kiosk = Kiosk::new("");
    let file = common::testdata("feed-delta.json");
    let output = kiosk.hadir(&["import", &file.to_string_lossy()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("[feed_invalid]"));
}

#[test]
fn invalid_config_stops_with_key_line_and_next_step() {
    let kiosk = Kiosk::new("[checkin]\nlate_minutes = -5\n");
    let output = kiosk.hadir(&["config"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("[config_invalid]"), "{stderr}");
    assert!(
        stderr.contains("line 5") && stderr.contains("checkin.late_minutes"),
        "{stderr}"
    );
    assert!(
        stderr.contains("Perbaiki berkas konfigurasi"),
        "next step in Bahasa Indonesia: {stderr}"
    );
}

#[test]
fn config_never_prints_the_token() {
    let kiosk = Kiosk::new("[upstream]\nurl = \"https://gw.example\"\ntoken = \"s3cr3t-token\"\n");
    let output = kiosk.hadir(&["config"]);
    assert!(output.status.success());
    assert!(!String::from_utf8_lossy(&output.stdout).contains("s3cr3t-token"));
}

#[test]
fn missing_default_config_means_defaults_and_says_so() {
    let home = tempfile::tempdir().expect("temp dir");
    let output = common::hadir()
        .arg("config")
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .output()
        .expect("hadir runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("no configuration file at") && stdout.contains("using built-in defaults"),
        "says where it looked and what it did (a machine with a system-wide hadir.toml cannot \
         run this test): {stdout}"
    );
    let user_file = home.path().join("config").join("hadir").join("hadir.toml");
    assert!(
        stdout.contains(&user_file.display().to_string()),
        "the user's file first: {stdout}"
    );
    #[cfg(unix)]
    assert!(
        stdout.contains("/etc/hadir/hadir.toml"),
        "then the computer's: {stdout}"
    );
    assert!(
        stdout.contains("\"time_zone\": \"Asia/Makassar\""),
        "Kupang defaults: {stdout}"
    );
}

#[test]
fn purge_removes_names_of_old_days_and_keeps_every_count() {
    let kiosk = Kiosk::new("");
    let codes = try_codes(&kiosk);
    let code = code_expecting(&codes, "ok");
    assert!(kiosk.hadir(&["checkin", &code]).status.success());
    let store = || kiosk.0.database();
    let named = |conn: &rusqlite::Connection| -> (i64, i64) {
        conn.query_row(
            "SELECT COUNT(*), COUNT(applicant_name) FROM ticket_facts",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .expect("reads")
    };
    assert_eq!(
        named(&store()),
        (1, 1),
        "the ticket keeps its name at first"
    );

    // The same day, 30 days kept: nothing is old enough.
    let kept = kiosk.hadir(&["purge", "--older-than-days", "30"]);
    assert!(
        kept.status.success(),
        "{}",
        String::from_utf8_lossy(&kept.stderr)
    );
    assert_eq!(stdout_json(&kept)["ticket_names"], 0);

    // Ten days later, keeping five: that day's personal data goes, the ticket stays.
    let later = kiosk
        .0
        .hadir("2026-12-09T09:30:00+08:00")
        .args(["purge", "--older-than-days", "5"])
        .output()
        .expect("runs");
    assert!(
        later.status.success(),
        "{}",
        String::from_utf8_lossy(&later.stderr)
    );
    let purged = stdout_json(&later);
    assert_eq!(purged["ticket_names"], 1);
    assert!(purged["bookings"].as_u64().unwrap_or(0) > 0, "{purged}");
    let conn = store();
    assert_eq!(named(&conn), (1, 0), "one ticket, no name");
    let (tickets, applicants): (i64, i64) = conn
        .query_row(
            "SELECT (SELECT COUNT(*) FROM tickets), (SELECT COUNT(*) FROM applicants)",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .expect("reads");
    assert_eq!(
        (tickets, applicants),
        (1, 0),
        "counts stay, names and birth dates go"
    );
    let audited: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM audit WHERE action = 'purge'",
            [],
            |row| row.get(0),
        )
        .expect("reads");
    assert_eq!(audited, 2, "each purge is audited");
}

#[test]
fn export_from_the_hub_needs_a_hub_url() {
    let kiosk = Kiosk::new("");
    let out = kiosk.data().join("out");
    let output = kiosk.hadir(&[
        "export",
        "--hub",
        "--from",
        "2026-11-29",
        "--to",
        "2026-11-29",
        "--out",
        &out.display().to_string(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("[invalid_input]") && stderr.contains("hub_url"),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing written");
}
