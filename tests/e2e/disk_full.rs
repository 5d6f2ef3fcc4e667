//! A full disk under the real window (issue #20): the kiosk runs with the disk-full shim of the
//! CLI tests (`crates/hadir-cli/tests/cli/diskfull/shim.c`, `LD_PRELOAD`), which gives writes in
//! its data folder only the room a file of the test names. The applicant is refused with words
//! of their own and sent to the front desk, the corner shows the disk icon, and once there is
//! room again the icon goes by itself and the same code checks in. Linux only.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use hadir_e2e::{scan, screenshot, text_of, wait_for_script, TauriDriver, TestKiosk};

use crate::one_window;

/// Builds the shim into `dir`.
fn disk_full_shim(dir: &Path) -> PathBuf {
    let source = hadir_e2e::repo_root()
        .join("crates")
        .join("hadir-cli")
        .join("tests")
        .join("cli")
        .join("diskfull")
        .join("shim.c");
    let library = dir.join("libdiskfull.so");
    let compiler = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let status = Command::new(&compiler)
        .args(["-shared", "-fPIC", "-O2", "-o"])
        .arg(&library)
        .arg(&source)
        .args(["-ldl", "-lpthread"])
        .status()
        .unwrap_or_else(|e| panic!("{compiler} (needed to simulate a full disk): {e}"));
    assert!(status.success(), "the disk-full shim compiles");
    library
}

async fn disk_icon_shown(client: &fantoccini::Client, shown: bool) {
    wait_for_script(
        client,
        &format!(
            "return document.getElementById('status-disk').hidden === {};",
            !shown
        ),
        // The corner is read every 5 s.
        Duration::from_secs(15),
    )
    .await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_full_disk_sends_the_applicant_to_the_desk_and_the_kiosk_recovers_by_itself() {
    let _turn = one_window().await;
    // Free space on the test machine is whatever it is: only a full disk raises the alarm here.
    let kiosk = TestKiosk::with_demo_day_and("[doctor]\nmin_free_disk_mb = 1\n");
    let code = kiosk.code_expecting("ok").to_owned();
    let shim = disk_full_shim(kiosk.dir.path());
    let room = kiosk.dir.path().join("room");
    let data = kiosk.config.data_dir().canonicalize().expect("data folder");
    let mut command = Command::new(hadir_e2e::tauri_driver_binary());
    command
        .env("LD_PRELOAD", &shim)
        .env("HADIR_DISKFULL_WATCH", &data)
        .env("HADIR_DISKFULL_ROOM", &room);
    let driver = TauriDriver::start_with(command);
    let client = driver.open(&kiosk).await;
    disk_icon_shown(&client, false).await;
    let checkins = kiosk.checkins();
    let last_number: i64 = kiosk
        .database()
        .query_row(
            "SELECT COALESCE(MAX(number), 0) FROM tickets WHERE queue = 'A'",
            [],
            |row| row.get(0),
        )
        .expect("queue A so far");

    std::fs::write(&room, "0").expect("the disk is full");
    scan(&client, &code).await;
    hadir_e2e::wait_for_screen(&client, "refusal").await;
    let refused = hadir_e2e::screen_code(&client, "refusal").await;
    let tone = hadir_e2e::screen_tone(&client, "refusal").await;
    let title = text_of(&client, "#refusal-title").await;
    let next = text_of(&client, "#refusal-next").await;
    disk_icon_shown(&client, true).await;
    screenshot(&client, "disk-full-refusal").await;
    assert_eq!(refused, "disk_full");
    assert_eq!(tone, "alarm", "a refusal, not calm information");
    assert_eq!(
        title, "Maaf, kios tidak dapat mencatat kedatangan Anda saat ini",
        "the applicant's own words, not the generic error"
    );
    assert!(next.contains("meja layanan"), "where to go: {next}");
    assert_eq!(
        kiosk.checkins(),
        checkins,
        "nothing of the check-in was written"
    );

    // IT frees space: the alarm ends by itself (the kiosk's test write fits), no restart.
    std::fs::remove_file(&room).expect("room again");
    disk_icon_shown(&client, false).await;
    hadir_e2e::click(&client, "#screen-refusal [data-action='welcome']").await;
    hadir_e2e::wait_for_screen(&client, "welcome").await;
    scan(&client, &code).await;
    hadir_e2e::wait_for_screen(&client, "result").await;
    let number = text_of(&client, "#result-tickets .ticket-number").await;
    client.close().await.expect("session closes");
    assert_eq!(
        number,
        format!("A-{:03}", last_number + 1),
        "the next number of queue A: none lost to the refusal"
    );
    assert_eq!(kiosk.checkins(), checkins + 1);
}
