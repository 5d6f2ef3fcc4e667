//! Issue #14: one kiosk per data folder even where the desktop has no D-Bus session (the
//! single-instance plugin needs one on Linux and lets a second kiosk start without it), while a
//! second start with D-Bus still only brings the running kiosk forward.

use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

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

    let (with_bus, with_bus_stderr) = start_second_kiosk(&kiosk, "with-d-bus", true).await;
    let (without_bus, stderr) = start_second_kiosk(&kiosk, "without-d-bus", false).await;

    // The first kiosk still serves: a scan checks in and shows a number.
    scan(&client, &code).await;
    wait_for_screen(&client, "result").await;
    client.close().await.expect("session closes");

    assert_eq!(
        with_bus.code(),
        Some(0),
        "with D-Bus a second start hands over to the first and ends quietly: {with_bus_stderr}"
    );
    assert_eq!(
        without_bus.code(),
        Some(3),
        "exit status 3 says another kiosk holds the folder; its standard error: {stderr}"
    );
    assert!(
        stderr.contains("[kiosk_already_running]"),
        "the refusal names its code: {stderr}"
    );
    assert!(
        stderr.contains("Hadir sudah berjalan"),
        "the next step in Bahasa Indonesia: {stderr}"
    );
    assert_eq!(kiosk.checkins(), 1, "the first kiosk recorded the check-in");
}

/// Starts `hadir-kiosk` on `kiosk`'s config beside the running one, with or without the D-Bus
/// session, and waits up to 20 s for it to end by itself. Returns its exit status and standard
/// error; a kiosk still running then is stopped and fails the test.
async fn start_second_kiosk(kiosk: &TestKiosk, label: &str, d_bus: bool) -> (ExitStatus, String) {
    // Standard error goes to a file: a pipe nobody reads while it runs could fill and stall it.
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
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr_file);
    if !d_bus {
        // As a desktop without a session bus: the plugin cannot find the first kiosk. A bus
        // address that leads nowhere rather than none, so GLib does not autolaunch a
        // dbus-launch that would outlive the test.
        command.env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/hadir-no-session-bus",
        );
    }
    let mut second = command.spawn().expect("the second hadir-kiosk starts");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(status) = second.try_wait().expect("wait for the second kiosk") {
            let stderr = std::fs::read_to_string(&stderr_path).expect("its standard error");
            return (status, stderr);
        }
        if Instant::now() > deadline {
            let _ = second.kill();
            let _ = second.wait();
            panic!("a second kiosk ({label}) still runs on the same data folder after 20 s");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
