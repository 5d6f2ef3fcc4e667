//! Issue #14: one kiosk per data folder. A second `hadir-kiosk` on the folder of a running one
//! is refused (exit status 3, `kiosk_already_running`) whether or not the desktop has a D-Bus
//! session, and is refused before it touches anything of the running kiosk's: no line in its log
//! files (opening them could rename the running kiosk's file at a day's rollover), no write to
//! its store (a newer version would migrate it under the older running kiosk; demo mode would
//! fill a day into it).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant, SystemTime};

use hadir_e2e::{kiosk_binary, scan, wait_for_screen, TauriDriver, TestKiosk, KIOSK_AT};

use crate::one_window;

#[tokio::test(flavor = "current_thread")]
async fn a_second_kiosk_on_the_same_data_folder_is_refused_with_or_without_d_bus_and_the_first_keeps_serving(
) {
    let _turn = one_window().await;
    let kiosk = TestKiosk::with_demo_day();
    let code = kiosk.code_expecting("ok").to_owned();
    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;
    let data_dir = kiosk.config.data_dir();
    let log_dir = kiosk.config.log_dir();
    let lock_path = data_dir.join(hadir::kiosk_lock::KIOSK_LOCK_FILE_NAME);
    let store_before = store_files(&data_dir);
    let logs_before = file_names(&log_dir);
    let lock_before = std::fs::read_to_string(&lock_path).expect("the running kiosk's lock file");

    // With the bus: the same start again, as a second click on the menu entry. Without: in demo
    // mode, the start that would write the most (a demo day and demo staff into the store).
    let with_bus = start_second_kiosk(&kiosk, "with-d-bus", true, &[]).await;
    let without_bus = start_second_kiosk(&kiosk, "without-d-bus", false, &["--demo"]).await;

    // Read before the scan below: from then on the running kiosk writes to both itself.
    let store_after = store_files(&data_dir);
    let logs_after = file_names(&log_dir);
    let log_text = all_text(&log_dir);

    // The first kiosk still serves: a scan checks in and shows a number.
    scan(&client, &code).await;
    wait_for_screen(&client, "result").await;
    client.close().await.expect("session closes");

    for second in [&with_bus, &without_bus] {
        let SecondKiosk {
            label,
            pid,
            status,
            stderr,
        } = second;
        assert_eq!(
            status.code(),
            Some(3),
            "{label}: exit status 3 says another kiosk holds the folder; its standard error: {stderr}"
        );
        assert!(
            stderr.contains("[kiosk_already_running]"),
            "{label}: the refusal names its code: {stderr}"
        );
        assert!(
            stderr.contains("Hadir sudah berjalan"),
            "{label}: the next step in Bahasa Indonesia: {stderr}"
        );
        assert!(
            !log_text.contains(&format!("(process {pid})")),
            "{label}: the refused kiosk (process {pid}) opened the running kiosk's log file:\n{log_text}"
        );
    }
    assert!(
        !log_text.contains("kiosk_already_running"),
        "a refused kiosk wrote into the running kiosk's log file:\n{log_text}"
    );
    assert_eq!(
        logs_after, logs_before,
        "the running kiosk's log files are as they were (none renamed or added)"
    );
    assert_eq!(
        store_after, store_before,
        "the running kiosk's store files (size, last change) are as they were"
    );
    assert_eq!(
        std::fs::read_to_string(&lock_path).expect("lock file"),
        lock_before,
        "the lock file still names the running kiosk"
    );
    assert_eq!(kiosk.checkins(), 1, "the first kiosk recorded the check-in");
}

/// What a second start left behind.
struct SecondKiosk {
    label: &'static str,
    pid: u32,
    status: ExitStatus,
    stderr: String,
}

/// Starts `hadir-kiosk` on `kiosk`'s config beside the running one (plus `extra_args`), with or
/// without the D-Bus session, and waits up to 20 s for it to end by itself. A kiosk still
/// running then is stopped and fails the test.
async fn start_second_kiosk(
    kiosk: &TestKiosk,
    label: &'static str,
    d_bus: bool,
    extra_args: &[&str],
) -> SecondKiosk {
    // Standard error goes to a file outside the data folder: a pipe nobody reads while it runs
    // could fill and stall it.
    let stderr_path = kiosk
        .dir
        .path()
        .join(format!("second-kiosk-{label}.stderr"));
    let stderr_file = std::fs::File::create(&stderr_path).expect("stderr file");
    let mut command = Command::new(kiosk_binary());
    command
        .arg("--config")
        .arg(&kiosk.config_path)
        .args(["--windowed", "--at", KIOSK_AT])
        .args(extra_args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr_file);
    if !d_bus {
        // As a desktop without a session bus. A bus address that leads nowhere rather than
        // none, so that GLib, if it got that far, would not autolaunch a dbus-launch that
        // outlives the test.
        command.env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/hadir-no-session-bus",
        );
    }
    let mut second = command.spawn().expect("the second hadir-kiosk starts");
    let pid = second.id();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(status) = second.try_wait().expect("wait for the second kiosk") {
            let stderr = std::fs::read_to_string(&stderr_path).expect("its standard error");
            return SecondKiosk {
                label,
                pid,
                status,
                stderr,
            };
        }
        if Instant::now() > deadline {
            let _ = second.kill();
            let _ = second.wait();
            panic!("a second kiosk ({label}) still runs on the same data folder after 20 s");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Size and last change of the store's database and, when there is one, its write-ahead log
/// (not its `-shm` index, which the running kiosk's own reads update).
fn store_files(data_dir: &Path) -> BTreeMap<PathBuf, (u64, SystemTime)> {
    let database = data_dir.join(hadir::store::STORE_FILE_NAME);
    let mut wal = database.clone().into_os_string();
    wal.push("-wal");
    let size_and_time =
        |meta: std::fs::Metadata| (meta.len(), meta.modified().expect("file times"));
    let mut files = BTreeMap::new();
    let database_meta = std::fs::metadata(&database).expect("the running kiosk's store");
    files.insert(database, size_and_time(database_meta));
    if let Ok(meta) = std::fs::metadata(&wal) {
        files.insert(PathBuf::from(wal), size_and_time(meta));
    }
    files
}

fn file_names(dir: &Path) -> Vec<PathBuf> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("the running kiosk's log folder")
        .map(|entry| entry.expect("log folder entry").path())
        .collect();
    names.sort();
    names
}

/// Every log file in `dir`, one after the other.
fn all_text(dir: &Path) -> String {
    file_names(dir)
        .iter()
        .map(|path| std::fs::read_to_string(path).unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}
