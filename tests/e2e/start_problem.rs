//! Issue #15: a kiosk started on a broken configuration shows staff and IT a full screen with
//! the file, the line, the key and what to do (Bahasa Indonesia first, English below) instead
//! of exiting to a blank screen; it logs the same words, stays up while the file is unchanged,
//! and ends with exit status 2 for scripts once the file is saved again.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use hadir_e2e::{kiosk_binary, screenshot, text_of, TauriDriver, TestKiosk, KIOSK_AT};

use crate::one_window;

/// A config whose line 6 gives `checkin.early_minutes` text where a number belongs.
fn break_config(kiosk: &TestKiosk) {
    kiosk.write_config("\n[checkin]\nearly_minutes = \"sixty\"\n");
}

/// An empty home folder, so the log of a config that names no data folder goes to this test's
/// default data folder (`<home>/.local/share/hadir/logs`), not the machine's.
fn with_home(command: &mut Command, home: &Path) {
    command
        .env("HOME", home)
        .env_remove("XDG_DATA_HOME")
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("HADIR_CONFIG");
}

fn default_log_file(home: &Path) -> PathBuf {
    hadir::log_files::current_file(
        &home.join(".local").join("share").join("hadir").join("logs"),
        hadir::log_files::KIOSK,
    )
}

#[tokio::test(flavor = "current_thread")]
async fn a_broken_config_shows_file_line_key_and_what_to_do_and_logs_the_same() {
    let _turn = one_window().await;
    let kiosk = TestKiosk::with_demo_day();
    break_config(&kiosk);
    let home = kiosk.dir.path().join("home");
    std::fs::create_dir_all(&home).expect("home");
    let stderr_path = kiosk.dir.path().join("kiosk.stderr");
    let mut command = Command::new(hadir_e2e::tauri_driver_binary());
    with_home(&mut command, &home);
    command.stderr(std::fs::File::create(&stderr_path).expect("stderr file"));
    let driver = TauriDriver::start_with(command);
    let client = driver.open(&kiosk).await;

    let screen = client
        .execute("return document.body.dataset.screen;", vec![])
        .await
        .expect("script runs");
    let file = text_of(&client, "#problem-file").await;
    let line = text_of(&client, "#problem-line").await;
    let key = text_of(&client, "#problem-key").await;
    let code = text_of(&client, "#problem-code").await;
    let message_id = text_of(&client, "#problem-message-id").await;
    let message_en = text_of(&client, "#problem-message-en").await;
    let next_id = text_of(&client, "#problem-next-id").await;
    let next_en = text_of(&client, "#problem-next-en").await;
    let title = text_of(&client, "h1").await;
    let page = text_of(&client, "body").await;
    let quality = crate::screens::quality_violations(&client).await;
    screenshot(&client, "start-problem").await;
    client.close().await.expect("session closes");
    drop(driver);

    assert_eq!(screen, "start-problem", "the error page, not the kiosk");
    assert!(
        quality.is_empty(),
        "the kiosk's bar for size and contrast: {quality:#?}"
    );
    assert_eq!(file, kiosk.config_path.display().to_string());
    assert_eq!(line, "6");
    assert_eq!(key, "checkin.early_minutes");
    assert_eq!(code, "config_invalid");
    assert_eq!(title, "Kios belum dapat dimulai", "Bahasa Indonesia first");
    assert!(
        message_id.contains("checkin.early_minutes")
            && message_en.contains("checkin.early_minutes"),
        "what is wrong, in both languages: {message_id} / {message_en}"
    );
    assert!(
        next_id.contains("baris 6") && next_en.contains("line 6") && next_en.contains("hadir.toml"),
        "what to do points at the file and line: {next_id} / {next_en}"
    );
    let indonesian = page
        .find("Yang perlu dilakukan")
        .expect("the Indonesian heading");
    let english = page.find("What to do").expect("the English heading");
    assert!(indonesian < english, "Indonesian above English: {page}");
    assert!(
        page.contains("Pemohon: mohon ke meja layanan"),
        "an applicant who sees it knows where to go: {page}"
    );
    let stderr = std::fs::read_to_string(&stderr_path).expect("the kiosk's standard error");
    let log = std::fs::read_to_string(default_log_file(&home)).expect("the default folder's log");
    for words in [&message_id, &message_en, &next_id, &next_en] {
        assert!(
            stderr.contains(words.as_str()),
            "standard error says {words}: {stderr}"
        );
        assert!(
            log.contains(words.as_str()),
            "the log file says {words}: {log}"
        );
    }
    assert!(
        log.contains("[config_invalid]") && log.contains("line 6"),
        "{log}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn the_error_screen_stays_up_until_the_file_is_saved_then_exits_with_status_2() {
    let _turn = one_window().await;
    let kiosk = TestKiosk::with_demo_day();
    break_config(&kiosk);
    let home = kiosk.dir.path().join("home");
    std::fs::create_dir_all(&home).expect("home");
    let mut command = Command::new(kiosk_binary());
    command
        .arg("--config")
        .arg(&kiosk.config_path)
        .args(["--windowed", "--at", KIOSK_AT])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    with_home(&mut command, &home);
    let mut child = command.spawn().expect("the kiosk starts");
    let log = default_log_file(&home);

    // Up and logged; then, with the file unchanged, still up: a session loop would not restart
    // it, so the screen does not flash.
    let deadline = Instant::now() + Duration::from_secs(30);
    while !std::fs::read_to_string(&log).is_ok_and(|text| text.contains("[config_invalid]")) {
        assert!(
            child.try_wait().expect("kiosk state").is_none(),
            "the kiosk ended before its error screen was up"
        );
        assert!(Instant::now() < deadline, "no start error logged in 30 s");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    let early = child.try_wait().expect("kiosk state");
    if early.is_some() {
        panic!("the error screen ended by itself with the file unchanged: {early:?}");
    }

    // Saved again (fixed): the screen ends, with the config error's status for scripts.
    kiosk.write_config("");
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().expect("kiosk state") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the error screen did not end within 20 s of the file being saved");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(status.code(), Some(2), "the config error's exit status");
    let text = std::fs::read_to_string(&log).expect("log");
    assert!(
        text.contains("the configuration file changed"),
        "the log says why it ended: {text}"
    );
}

/// Every label the page asks for exists in both languages' files (no window needed).
#[test]
fn every_label_of_the_page_is_in_both_languages() {
    let root = hadir_e2e::repo_root().join("ui");
    let html = std::fs::read_to_string(root.join("start-problem.html")).expect("the page");
    let labels: Vec<&str> = html
        .split("data-label=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    assert!(labels.len() >= 6, "the page's labels: {labels:?}");
    for lang in ["id", "en"] {
        let file = root.join("i18n").join(format!("{lang}.json"));
        let texts: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(file).expect("i18n")).expect("JSON");
        for label in &labels {
            assert!(texts[*label].is_string(), "{lang}.json lacks {label}");
        }
    }
}
