//! The `hadir` command's log file: written in `<data_dir>/logs` on every run once that folder
//! exists (never creating it), free of personal data even at debug level, and never a reason for
//! a command to fail.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::{self, AT};

fn run(kiosk: &common::TempKiosk, args: &[&str], rust_log: Option<&str>) -> Output {
    let mut command = kiosk.hadir(AT);
    command.args(args);
    match rust_log {
        Some(level) => command.env("RUST_LOG", level),
        None => command.env_remove("RUST_LOG"),
    };
    command.output().expect("hadir runs")
}

fn log_files(folder: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(folder)
        .map(|entries| entries.flatten().map(|entry| entry.path()).collect())
        .unwrap_or_default()
}

#[test]
fn a_command_leaves_its_lines_in_the_data_folders_log_file() {
    let kiosk = common::TempKiosk::new("", "");
    std::fs::create_dir(kiosk.data()).expect("the kiosk has made its data folder");
    let output = run(&kiosk, &["config"], None);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let file = kiosk.data().join("logs").join("hadir-cli_rCURRENT.log");
    let text = std::fs::read_to_string(&file)
        .unwrap_or_else(|e| panic!("{} is written ({e})", file.display()));
    assert!(
        text.contains("hadir-cli") && text.contains("started"),
        "each run says it started: {text}"
    );
    assert!(
        text.contains("configuration read from"),
        "the file keeps the info lines the terminal does not show: {text}"
    );
    assert!(
        !String::from_utf8_lossy(&output.stderr).contains("configuration read from"),
        "the terminal shows warnings only by default"
    );
    assert_eq!(
        log_files(&kiosk.data().join("logs")),
        vec![file],
        "one file for the CLI"
    );
}

/// Run by root before the kiosk's first start, a command that made the data folder to log in it
/// would leave a root-owned folder the kiosk account cannot write (and the kiosk would not start).
#[test]
fn a_command_that_needs_no_store_never_creates_the_data_folder() {
    let kiosk = common::TempKiosk::new("", "");
    for args in [&["config"][..], &["doctor"][..]] {
        let output = run(&kiosk, args, Some("debug"));
        assert!(
            !kiosk.data().exists(),
            "hadir {args:?} created {}: {}",
            kiosk.data().display(),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    // A command that makes the store makes the folder, and logs in it from then on.
    let demo = run(&kiosk, &["demo", "--json"], None);
    assert!(
        demo.status.success(),
        "{}",
        String::from_utf8_lossy(&demo.stderr)
    );
    let file = kiosk.data().join("logs").join("hadir-cli_rCURRENT.log");
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| {
        panic!(
            "{} is written once the folder is there ({e})",
            file.display()
        )
    });
    assert!(text.contains("started"), "{text}");
}

/// Names, birth dates (both ways round) and booking codes of every cached applicant.
fn personal_data(kiosk: &common::TempKiosk) -> Vec<String> {
    let db = kiosk.database();
    let mut statement = db
        .prepare("SELECT p.name, p.birth_date, a.booking_code FROM applicants p JOIN appointments a USING (booking_code)")
        .expect("query");
    let rows = statement
        .query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
            ))
        })
        .expect("rows");
    let mut found = Vec::new();
    for row in rows {
        let (name, birth, code) = row.expect("row");
        let parts: Vec<&str> = birth.split('-').collect();
        found.push(parts.iter().rev().copied().collect::<Vec<_>>().join("-"));
        found.extend([name, birth, code]);
    }
    found
}

#[test]
fn the_log_file_holds_no_names_birth_dates_or_booking_codes_even_at_debug() {
    let kiosk = common::TempKiosk::new("", "");
    let demo = run(&kiosk, &["demo", "--json"], Some("debug"));
    assert!(
        demo.status.success(),
        "{}",
        String::from_utf8_lossy(&demo.stderr)
    );
    let codes: Vec<serde_json::Value> =
        serde_json::from_slice(&demo.stdout).expect("the codes to try");
    for code in &codes {
        let code = code["booking_code"].as_str().expect("a booking code");
        run(&kiosk, &["checkin", code], Some("debug"));
    }
    run(&kiosk, &["checkin", "MPZZZZZZZZ"], Some("debug"));

    let secrets = personal_data(&kiosk);
    assert!(secrets.len() > 30, "the demo day has applicants");
    let files = log_files(&kiosk.data().join("logs"));
    let text: String = files
        .iter()
        .map(|path| std::fs::read_to_string(path).expect("log file"))
        .collect();
    assert!(
        text.matches(" scan ").count() > codes.len(),
        "the file holds a line per scan, so the search below means something: {files:?}"
    );
    for secret in &secrets {
        assert!(
            !text.contains(secret.as_str()),
            "{secret:?} is in {files:?}"
        );
    }
}

#[test]
fn a_log_folder_that_cannot_be_written_leaves_the_command_working_and_says_why_once() {
    let kiosk = common::TempKiosk::new("", "");
    // A file where the data folder should be: no `logs` folder can be made in it, even by root.
    std::fs::write(kiosk.data(), "not a folder").expect("file");
    let output = run(&kiosk, &["config"], None);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        stderr.matches("no log file").count(),
        1,
        "said once, with the reason: {stderr}"
    );
    assert!(stderr.contains("log folder"), "{stderr}");
}

#[test]
fn rust_log_off_writes_no_file() {
    let kiosk = common::TempKiosk::new("", "");
    std::fs::create_dir(kiosk.data()).expect("data folder");
    let output = run(&kiosk, &["config"], Some("off"));
    assert!(output.status.success());
    assert!(
        log_files(&kiosk.data().join("logs")).is_empty(),
        "RUST_LOG=off means no log lines anywhere"
    );
}
