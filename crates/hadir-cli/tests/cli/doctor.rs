//! `hadir doctor` and `hadir --version` as an IT person runs them: exit status, JSON fields and
//! the table, on a healthy kiosk and on broken ones (a bad config, a gateway whose clock
//! disagrees, a kiosk not started yet).

use fake_upstream::{DateHeader, FakeUpstream};

use crate::common::{self, stdout_json, upstream_toml, TempKiosk};

const AT: &str = "2026-11-29T08:30:00+08:00";
/// `AT` as the gateway's `Date` header says it.
const GATEWAY_DATE: &str = "Sun, 29 Nov 2026 00:30:00 GMT";
const TOKEN: &str = "doctor-cli-token";

/// A kiosk with everything it needs: a store, a log folder, a key, a PDF printer folder.
fn healthy_kiosk(extra_toml: &str) -> TempKiosk {
    let key = hadir::demo::demo_public_key();
    started(TempKiosk::new(
        "",
        &format!("[keys]\ndemo = {key:?}\n[doctor]\nmin_free_disk_mb = 1\n{extra_toml}"),
    ))
}

/// The kiosk as its first start leaves it: a store and a log folder.
fn started(kiosk: TempKiosk) -> TempKiosk {
    drop(kiosk.store());
    std::fs::create_dir_all(kiosk.data().join("logs")).expect("log folder");
    kiosk
}

fn doctor_json(kiosk: &TempKiosk, at: &str) -> (Option<i32>, serde_json::Value) {
    let output = kiosk
        .hadir(at)
        .args(["doctor", "--json"])
        .output()
        .expect("hadir runs");
    (output.status.code(), stdout_json(&output))
}

fn check<'a>(report: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    report["checks"]
        .as_array()
        .and_then(|checks| checks.iter().find(|c| c["id"] == id))
        .unwrap_or_else(|| panic!("no {id} line in {report:#}"))
}

#[test]
fn a_healthy_kiosk_exits_0_with_every_line_passed_or_skipped() {
    let kiosk = healthy_kiosk("");
    let (code, report) = doctor_json(&kiosk, AT);
    assert_eq!(code, Some(0), "{report:#}");
    assert_eq!(report["status"], "pass");
    assert_eq!(report["checked_at"], AT, "the --at clock");
    assert_eq!(report["hadir"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        report["hadir"]["schema_version"],
        hadir::store::SCHEMA_VERSION
    );
    let ids: Vec<&str> = report["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .map(|c| c["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids, hadir::doctor::CHECK_IDS);
    assert_eq!(check(&report, "database")["facts"]["integrity"], "ok");
    assert_eq!(check(&report, "upstream")["status"], "skip");
}

#[test]
fn a_broken_config_is_reported_with_its_line_and_exit_6() {
    let kiosk = healthy_kiosk("[checkin]\nearly_minutes = \"sixty\"\n");
    let (code, report) = doctor_json(&kiosk, AT);
    assert_eq!(code, Some(6), "{report:#}");
    let config = check(&report, "config");
    assert_eq!(config["status"], "fail");
    assert_eq!(config["advice"]["code"], "config_invalid");
    let text = std::fs::read_to_string(&kiosk.config).expect("config");
    let line = text
        .lines()
        .position(|l| l.starts_with("early_minutes"))
        .expect("the bad line")
        + 1;
    assert_eq!(config["facts"]["line"], line);
    assert_eq!(check(&report, "database")["status"], "skip");
}

#[test]
fn a_gateway_clock_that_disagrees_fails_and_the_table_says_what_to_do() {
    let gateway = FakeUpstream::start("KANIM-KUPANG", TOKEN).expect("fake gateway");
    gateway.set_date_header(DateHeader::Fixed(GATEWAY_DATE.into()));
    let kiosk = healthy_kiosk(&upstream_toml(&gateway.url(), TOKEN, ""));
    let (code, report) = doctor_json(&kiosk, AT);
    assert_eq!(code, Some(0), "the clocks agree: {report:#}");
    assert_eq!(check(&report, "upstream")["status"], "pass");
    assert_eq!(check(&report, "upstream_clock")["status"], "pass");

    let (code, report) = doctor_json(&kiosk, "2026-11-29T08:40:00+08:00");
    assert_eq!(code, Some(6), "{report:#}");
    let clock = check(&report, "upstream_clock");
    assert_eq!(clock["status"], "fail");
    assert_eq!(clock["advice"]["code"], "clock_skew");
    let skew = clock["facts"]["skew_seconds"].as_i64().expect("skew");
    assert!(
        (600..=630).contains(&skew),
        "10 minutes ahead (and the seconds the run took): {skew}"
    );

    let output = kiosk
        .hadir("2026-11-29T08:40:00+08:00")
        .arg("doctor")
        .output()
        .expect("hadir runs");
    assert_eq!(output.status.code(), Some(6));
    let table = String::from_utf8_lossy(&output.stdout);
    let line = table
        .lines()
        .find(|l| l.contains("upstream_clock"))
        .expect("a clock line");
    assert!(line.trim_start().starts_with("FAIL"), "{table}");
    assert!(
        table.contains("id: Jam kios salah"),
        "advice in Indonesian: {table}"
    );
    assert!(
        table.contains("en: The kiosk's clock is wrong"),
        "and English: {table}"
    );
}

/// Many offices only see plain booking codes: no `[keys]` is no reason for a look, or every
/// healthy kiosk's doctor would exit 7 for good.
#[test]
fn a_kiosk_without_keys_is_healthy_and_the_report_names_its_user() {
    let kiosk = started(TempKiosk::new("", "[doctor]\nmin_free_disk_mb = 1\n"));
    let (code, report) = doctor_json(&kiosk, AT);
    assert_eq!(code, Some(0), "{report:#}");
    assert_eq!(check(&report, "keys")["status"], "skip");
    assert_eq!(check(&report, "keys")["facts"]["count"], 0);
    let user = report["user"].as_str().expect("a user field");
    assert!(!user.is_empty(), "{report:#}");
    assert_eq!(check(&report, "user")["facts"]["name"], user);
    let table = kiosk.hadir(AT).arg("doctor").output().expect("hadir runs");
    assert!(
        String::from_utf8_lossy(&table.stdout).contains(&format!("as user {user}")),
        "{}",
        String::from_utf8_lossy(&table.stdout)
    );
}

#[test]
fn a_kiosk_not_started_yet_only_warns_and_exits_7() {
    let kiosk = TempKiosk::new("", "[doctor]\nmin_free_disk_mb = 1\n");
    let (code, report) = doctor_json(&kiosk, AT);
    assert_eq!(code, Some(7), "{report:#}");
    assert_eq!(report["status"], "warn");
    assert_eq!(
        check(&report, "database")["advice"]["code"],
        "database_missing"
    );
    assert!(
        !kiosk.data().join(hadir::store::STORE_FILE_NAME).exists(),
        "the doctor does not create a store"
    );
}

#[test]
fn version_names_the_version_the_commit_and_the_schema() {
    let output = common::hadir()
        .arg("--version")
        .output()
        .expect("hadir runs");
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    let info = hadir::version::build_info();
    assert_eq!(
        text.trim(),
        format!(
            "hadir {} (commit {}, schema {})",
            info.version, info.commit, info.schema_version
        )
    );
    assert_ne!(info.commit, "", "{text}");
}
