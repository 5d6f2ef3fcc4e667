//! `hadir staff` and `hadir audit verify` as an administrator uses them.

use std::process::Output;

use crate::common;

struct Admin(common::TempKiosk);

impl Admin {
    fn new() -> Admin {
        Admin(common::TempKiosk::new("", ""))
    }

    fn hadir(&self, args: &[&str], stdin: &str) -> Output {
        let mut command = self.0.hadir("2026-11-29T08:00:00+08:00");
        command.args(args);
        common::output_with_stdin(command, stdin)
    }
}

#[test]
fn staff_accounts_are_managed_from_the_cli_and_every_change_is_audited() {
    let admin = Admin::new();
    let added = admin.hadir(
        &["staff", "add", "maria", "--role", "frontdesk"],
        "482915\n",
    );
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );

    let again = admin.hadir(
        &["staff", "add", "maria", "--role", "supervisor"],
        "111111\n",
    );
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("[invalid_input]"));

    let short = admin.hadir(&["staff", "add", "yosef", "--role", "supervisor"], "12\n");
    assert_eq!(short.status.code(), Some(2), "a 2-digit PIN is refused");
    let stderr = String::from_utf8_lossy(&short.stderr);
    assert!(
        stderr.contains("4 to 8 digits") && stderr.contains("Perbaiki"),
        "{stderr}"
    );

    assert!(admin
        .hadir(&["staff", "disable", "maria"], "")
        .status
        .success());
    assert!(admin
        .hadir(&["staff", "reset-pin", "maria"], "730146\n")
        .status
        .success());
    let unknown = admin.hadir(&["staff", "disable", "nobody"], "");
    assert_eq!(unknown.status.code(), Some(2));

    let list = admin.hadir(&["staff", "list"], "");
    let accounts: serde_json::Value = serde_json::from_slice(&list.stdout).expect("JSON");
    assert_eq!(accounts[0]["name"], "maria");
    assert_eq!(accounts[0]["active"], false);
    let text = String::from_utf8_lossy(&list.stdout);
    assert!(
        !text.contains("argon2") && !text.contains("482915"),
        "no PIN or hash listed"
    );

    let verify = admin.hadir(&["audit", "verify"], "");
    assert!(verify.status.success());
    let check: serde_json::Value = serde_json::from_slice(&verify.stdout).expect("JSON");
    assert_eq!(
        check["rows"], 3,
        "add, disable, reset-pin: refusals change nothing"
    );
    assert_eq!(check["first_broken"], serde_json::Value::Null);
}

#[test]
fn the_cli_does_not_disable_the_last_active_supervisor() {
    let admin = Admin::new();
    for (name, role) in [("budi", "supervisor"), ("dewi", "supervisor")] {
        let added = admin.hadir(&["staff", "add", name, "--role", role], "482915\n");
        assert!(added.status.success(), "{added:?}");
    }
    let first = admin.hadir(&["staff", "disable", "dewi"], "");
    assert!(
        first.status.success(),
        "another supervisor stays: {first:?}"
    );

    let last = admin.hadir(&["staff", "disable", "budi"], "");
    assert_eq!(last.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&last.stderr);
    assert!(
        stderr.contains("[staff_last_supervisor]") && stderr.contains("supervisor lain"),
        "{stderr}"
    );
    let list = admin.hadir(&["staff", "list"], "");
    let accounts: serde_json::Value = serde_json::from_slice(&list.stdout).expect("JSON");
    assert_eq!(accounts[0]["name"], "budi");
    assert_eq!(accounts[0]["active"], true, "budi can still sign in");

    // Enabling dewi again makes budi an ordinary second supervisor.
    assert!(admin
        .hadir(&["staff", "enable", "dewi"], "")
        .status
        .success());
    assert!(admin
        .hadir(&["staff", "disable", "budi"], "")
        .status
        .success());
}
