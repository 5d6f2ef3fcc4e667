//! Which store `hadir` works on (issue #15): without `--config` the kiosk's own data folder on
//! that machine (the same search as the kiosk), with `--demo` the demo window's folder; a command
//! that reads a kiosk's data never creates an empty store where it found none, and `status` says
//! which store it read.

use std::path::{Path, PathBuf};
#[cfg(unix)]
use std::process::Output;

use crate::common::{self, stderr, stdout_json, AT};

/// An account's home with its own `hadir.toml` (no `data_dir`: the platform's default folder),
/// and `hadir` run in it without `--config`, as IT runs it on the kiosk as the kiosk account.
/// Unix only: there the data folder follows `HOME`; Windows asks the shell for `%APPDATA%`.
#[cfg(unix)]
struct Account {
    home: tempfile::TempDir,
}

#[cfg(unix)]
impl Account {
    fn new() -> Account {
        let home = tempfile::tempdir().expect("temp home");
        let config_dir = home.path().join(".config").join("hadir");
        std::fs::create_dir_all(&config_dir).expect("config folder");
        // The account's file comes first in the search, so no /etc/hadir file of this machine
        // decides the test.
        std::fs::write(config_dir.join("hadir.toml"), "[kiosk]\nid = \"K7\"\n").expect("config");
        Account { home }
    }

    fn hadir(&self, args: &[&str]) -> Output {
        common::hadir()
            .env("HOME", self.home.path())
            .env_remove("XDG_DATA_HOME")
            .env_remove("XDG_CONFIG_HOME")
            .args(["--at", AT])
            .args(args)
            .output()
            .expect("hadir runs")
    }

    /// The kiosk's data folder as the docs promise it: `~/.local/share/hadir`.
    fn kiosk_data(&self) -> PathBuf {
        self.home.path().join(".local").join("share").join("hadir")
    }
}

fn store_in(folder: &Path) -> PathBuf {
    folder.join(hadir::store::STORE_FILE_NAME)
}

#[cfg(unix)]
#[test]
fn without_config_hadir_reads_the_kiosks_folder_and_with_demo_the_demos() {
    let account = Account::new();
    let kiosk_store = store_in(&account.kiosk_data());
    let demo_data = account.kiosk_data().join("demo");

    // The demo window's day, filled from the command line: it lands in the demo's folder.
    let demo = account.hadir(&["--demo", "demo"]);
    assert!(demo.status.success(), "{}", stderr(&demo));
    let listed = String::from_utf8_lossy(&demo.stdout);
    assert!(store_in(&demo_data).exists(), "the demo's store: {listed}");
    assert!(
        listed.contains(&format!(
            "tickets: PDF files in {}",
            demo_data.join("tickets").join("2026-11-29").display()
        )),
        "the demo names its ticket folder: {listed}"
    );

    // Plain `hadir status` means the kiosk's own store, which is not there: said, not made.
    let status = account.hadir(&["status"]);
    assert_eq!(status.status.code(), Some(2), "{}", stderr(&status));
    let said = stderr(&status);
    assert!(said.contains("[store_missing]"), "{said}");
    assert!(
        said.contains(&kiosk_store.display().to_string()),
        "names where it looked: {said}"
    );
    assert!(
        said.contains("hadir config") && said.contains("--demo"),
        "says what to check: {said}"
    );
    assert!(!kiosk_store.exists(), "no empty store was created");

    // `--demo status` reads the demo's store and says so.
    let status = account.hadir(&["--demo", "status"]);
    assert!(status.status.success(), "{}", stderr(&status));
    assert_eq!(
        stdout_json(&status)["store"],
        store_in(&demo_data).display().to_string()
    );

    // `--demo` accepts the demo key, as the demo window does: its signed token checks in.
    let codes = stdout_json(&account.hadir(&["--demo", "demo", "--json"]));
    let token = codes
        .as_array()
        .and_then(|codes| {
            codes.iter().find(|c| {
                c["expect"] == "ok"
                    && c["booking_code"]
                        .as_str()
                        .is_some_and(|t| t.starts_with("MPQ1."))
            })
        })
        .and_then(|c| c["booking_code"].as_str())
        .expect("a signed demo token that checks in")
        .to_owned();
    let checkin = account.hadir(&["--demo", "checkin", &token]);
    assert_eq!(checkin.status.code(), Some(0), "{}", stderr(&checkin));
    assert!(!kiosk_store.exists(), "still nothing in the kiosk's folder");
}

#[test]
fn commands_that_read_a_kiosks_data_refuse_a_missing_store_and_create_nothing() {
    let kiosk = common::TempKiosk::new("", "");
    let out = kiosk.dir.path().join("out");
    let out = out.to_str().expect("utf-8");
    let reading: [&[&str]; 7] = [
        &["status"],
        &["checkin", "MP7QJ4KX2D"],
        &["staff", "list"],
        &["staff", "disable", "maria"],
        &["audit", "verify"],
        &["purge"],
        &[
            "export",
            "--from",
            "2026-11-29",
            "--to",
            "2026-11-29",
            "--out",
            out,
        ],
    ];
    for args in reading {
        let output = kiosk.hadir(AT).args(args).output().expect("hadir runs");
        let said = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {said}");
        assert!(said.contains("[store_missing]"), "{args:?}: {said}");
        assert!(!kiosk.data().exists(), "{args:?} made the data folder");
    }
    assert!(!Path::new(out).exists(), "no export was written");
}

#[test]
fn commands_that_fill_a_new_kiosk_create_its_store() {
    let feed = common::testdata("feed-full.json");
    let filling: [(&[&str], &str); 3] = [
        (&["demo"], ""),
        (&["import", feed.to_str().expect("utf-8")], ""),
        (
            &["staff", "add", "maria", "--role", "supervisor"],
            "482915\n",
        ),
    ];
    for (args, stdin) in filling {
        let kiosk = common::TempKiosk::new("", "");
        let mut command = kiosk.hadir(AT);
        command.args(args);
        let output = common::output_with_stdin(command, stdin);
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
        assert!(store_in(&kiosk.data()).exists(), "{args:?} makes the store");
        let status = kiosk.hadir(AT).arg("status").output().expect("hadir runs");
        assert!(status.status.success(), "{args:?}: {}", stderr(&status));
        assert_eq!(
            stdout_json(&status)["store"],
            store_in(&kiosk.data()).display().to_string(),
            "status names the store it read"
        );
    }
}
