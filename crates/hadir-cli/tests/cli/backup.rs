//! `hadir backup` and `hadir restore` on a kiosk's real files (#20): a copy taken beside the
//! data, listed and checked, put back in place of a database that changed since, the replaced
//! one kept; never while a kiosk holds the data folder.

use crate::common::{self, stdout_json, TempKiosk, AT};

const PIN: &str = "482915\n";
const LATER: &str = "2026-11-29T10:30:00+08:00";

/// A demo kiosk with one staff account, backed up at [`AT`].
fn backed_up_kiosk() -> (TempKiosk, serde_json::Value) {
    let kiosk = TempKiosk::new("", "");
    let output = kiosk.hadir(AT).arg("demo").output().expect("runs");
    assert!(output.status.success(), "{}", common::stderr(&output));
    let add = |name: &str| {
        let mut command = kiosk.hadir(AT);
        command.args(["staff", "add", name, "--role", "supervisor"]);
        let output = common::output_with_stdin(command, PIN);
        assert!(output.status.success(), "{}", common::stderr(&output));
    };
    add("before");
    let output = kiosk.hadir(AT).arg("backup").output().expect("runs");
    assert!(output.status.success(), "{}", common::stderr(&output));
    let taken = stdout_json(&output);
    // Something changes after the copy.
    add("after");
    (kiosk, taken)
}

fn staff_names(kiosk: &TempKiosk) -> Vec<String> {
    let conn = kiosk.database();
    let mut stmt = conn
        .prepare("SELECT name FROM staff ORDER BY name")
        .expect("prepare");
    stmt.query_map([], |row| row.get(0))
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("names")
}

#[test]
fn a_backup_is_listed_checked_and_restored_in_place_keeping_the_replaced_store() {
    let (kiosk, taken) = backed_up_kiosk();
    let file = std::path::PathBuf::from(taken["generation"]["path"].as_str().expect("path"));
    assert!(file.starts_with(kiosk.data().join("backups")), "{taken}");
    assert_eq!(taken["kept"], 1);
    assert_eq!(staff_names(&kiosk), ["after", "before"]);

    // Without --yes: the list, each copy checked, and nothing changed.
    let output = kiosk.hadir(LATER).arg("restore").output().expect("runs");
    assert!(output.status.success(), "{}", common::stderr(&output));
    let listed = stdout_json(&output);
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");
    assert_eq!(listed[0]["verified"], true);
    assert_eq!(listed[0]["sequence"], 1);
    assert!(common::stderr(&output).contains("--yes"));
    assert_eq!(
        staff_names(&kiosk),
        ["after", "before"],
        "a list changes nothing"
    );

    let output = kiosk
        .hadir(LATER)
        .args(["restore", "1", "--yes"])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", common::stderr(&output));
    let restored = stdout_json(&output);
    assert_eq!(restored["reason"], "by_hand");
    assert_eq!(restored["backup_taken_at"], "2026-11-29T01:30:00Z");
    assert_eq!(
        staff_names(&kiosk),
        ["before"],
        "the store of the copy's moment"
    );
    let kept = std::path::PathBuf::from(restored["set_aside"].as_str().expect("set aside"));
    assert!(
        kept.starts_with(kiosk.data()) && kept.join("hadir.sqlite3").is_file(),
        "the replaced store is kept: {restored}"
    );
    let replaced = common::database_in(&kept);
    let count: i64 = replaced
        .query_row("SELECT COUNT(*) FROM staff", [], |r| r.get(0))
        .expect("count");
    assert_eq!(count, 2, "the replaced store still holds what it held");

    // The kiosk's staff screen (and `hadir status`) says what happened.
    let output = kiosk.hadir(LATER).arg("status").output().expect("runs");
    let status = stdout_json(&output);
    assert_eq!(
        status["backup"]["restored"]["reason"], "by_hand",
        "{status}"
    );
    assert_eq!(
        status["backup"]["restored"]["backup_taken_local"],
        "29-11-2026 09:30"
    );
}

#[test]
fn restore_refuses_while_a_kiosk_holds_the_data_folder() {
    let (kiosk, _) = backed_up_kiosk();
    let lock = hadir::kiosk_lock::KioskLock::acquire(&kiosk.data()).expect("a kiosk runs");
    let output = kiosk
        .hadir(LATER)
        .args(["restore", "--yes"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2), "{}", common::stderr(&output));
    let stderr = common::stderr(&output);
    assert!(stderr.contains("[restore_kiosk_running]"), "{stderr}");
    assert_eq!(staff_names(&kiosk), ["after", "before"], "nothing replaced");
    drop(lock);
    let output = kiosk
        .hadir(LATER)
        .args(["restore", "--yes"])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", common::stderr(&output));
    assert_eq!(
        staff_names(&kiosk),
        ["before"],
        "the newest copy, once free"
    );
}

#[test]
fn restore_names_what_it_cannot_find() {
    let (kiosk, _) = backed_up_kiosk();
    let output = kiosk
        .hadir(LATER)
        .args(["restore", "7", "--yes"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(common::stderr(&output).contains("[invalid_input]"));

    let empty = TempKiosk::new("", "");
    let output = empty
        .hadir(LATER)
        .args(["restore", "--yes"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = common::stderr(&output);
    assert!(stderr.contains("[backup_not_found]"), "{stderr}");
    assert!(
        !empty.data().join("hadir.sqlite3").exists(),
        "no store made"
    );
}
