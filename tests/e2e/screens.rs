//! The applicant screens in the real window: every refusal, manual entry, language, idle reset,
//! printer failure, scanner edge cases, and the quality bar (text size, contrast, touch targets)
//! measured on the rendered page at three kiosk screen sizes.

use std::time::Duration;

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::Client;
use hadir_e2e::{
    click, resize, scan, screen_code, screenshot, text_of, wait_for_screen, TauriDriver, TestKiosk,
};

use crate::one_window;

const QUALITY: &str = include_str!("quality.js");

pub(crate) async fn quality_violations(client: &Client) -> Vec<String> {
    let value = client
        .execute(QUALITY, vec![])
        .await
        .expect("quality script runs");
    serde_json::from_value(value).expect("a list")
}

#[tokio::test(flavor = "current_thread")]
async fn every_refusal_code_has_a_screen_with_a_next_step() {
    let _turn = one_window().await;
    let kiosk = TestKiosk::with_demo_day();
    kiosk.revoke("MPREVOKED01");
    let cases = [
        ("not_found", "MPZZZZZZZZ".to_owned()),
        ("cancelled", kiosk.code_expecting("cancelled").to_owned()),
        ("revoked", "MPREVOKED01".to_owned()),
        (
            "wrong_office",
            kiosk.demo_token(serde_json::json!({"o": "KANIM-ATAMBUA"})),
        ),
        (
            "wrong_date",
            kiosk.demo_token(serde_json::json!({"d": "2026-12-01"})),
        ),
        (
            "too_early",
            kiosk.demo_token(serde_json::json!({"s": "13:00", "e": "14:00"})),
        ),
        (
            "too_late",
            kiosk.demo_token(serde_json::json!({"s": "07:00", "e": "08:00"})),
        ),
        (
            "bad_signature",
            kiosk.token_expecting("bad_signature").to_owned(),
        ),
        (
            "unknown_key",
            kiosk.demo_token(serde_json::json!({"k": "k9"})),
        ),
        ("malformed", "MP-NOT-A-CODE".to_owned()),
    ];
    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;
    let mut failures = Vec::new();
    for (expected, input) in &cases {
        scan(&client, input).await;
        wait_for_screen(&client, "refusal").await;
        let code = screen_code(&client, "refusal").await;
        let title = text_of(&client, "#refusal-title").await;
        let next = text_of(&client, "#refusal-next").await;
        let tone = client
            .execute(
                "const s = document.getElementById('screen-refusal'); \
                 return s.dataset.tone + ' ' + s.querySelector('.refusal-mark').textContent;",
                vec![],
            )
            .await
            .expect("script runs");
        // Issue #15: "too early" is information, not an alarm; every fault stays an alarm.
        let wanted_tone = if *expected == "too_early" {
            "info i"
        } else {
            "alarm !"
        };
        if tone != serde_json::json!(wanted_tone) {
            failures.push(format!("{expected}: tone {tone}, wanted {wanted_tone}"));
        }
        screenshot(&client, &format!("refusal-{expected}")).await;
        if code != *expected || title.is_empty() || next.is_empty() || title.starts_with("verdict.")
        {
            failures.push(format!(
                "{expected}: screen {code:?}, title {title:?}, next {next:?}"
            ));
        }
        let details_ok = match *expected {
            "too_early" => next.contains("12:00"),
            "too_late" => title.contains("08:30"),
            "wrong_office" => title.contains("KANIM-ATAMBUA"),
            "wrong_date" => title.contains("2026-12-01"),
            _ => true,
        };
        if !details_ok {
            failures.push(format!(
                "{expected}: the text lacks its detail: {title} / {next}"
            ));
        }
        let violations = quality_violations(&client).await;
        if !violations.is_empty() {
            failures.push(format!("{expected}: {violations:?}"));
        }
        click(&client, "#screen-refusal button.done").await;
        wait_for_screen(&client, "welcome").await;
    }
    client.close().await.expect("session closes");
    assert!(
        failures.is_empty(),
        "refusal screens:\n{}",
        failures.join("\n")
    );
    assert_eq!(kiosk.checkins(), 0, "no refusal records a check-in");
}

#[tokio::test(flavor = "current_thread")]
async fn manual_entry_with_the_on_screen_keyboard_checks_in() {
    let _turn = one_window().await;
    let kiosk = TestKiosk::with_demo_day();
    let code = kiosk.code_expecting("ok").to_owned();
    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;
    click(&client, "#manual-open").await;
    wait_for_screen(&client, "manual").await;
    for key in code.to_lowercase().chars().take(4) {
        // Typing on a keyboard does nothing here: only the on-screen keys count.
        scan(&client, &key.to_string()).await;
    }
    for key in code.chars() {
        click(&client, &format!("#manual-keys [data-key='{key}']")).await;
    }
    click(&client, "#manual-backspace").await;
    click(
        &client,
        &format!(
            "#manual-keys [data-key='{}']",
            code.chars().last().unwrap_or('A')
        ),
    )
    .await;
    assert_eq!(text_of(&client, "#manual-code").await, code);
    screenshot(&client, "manual-entry").await;
    let violations = quality_violations(&client).await;
    click(&client, "#manual-ok").await;
    wait_for_screen(&client, "result").await;
    let number = text_of(&client, "#result-tickets .ticket-number").await;
    screenshot(&client, "manual-entry-result").await;
    client.close().await.expect("session closes");
    assert!(violations.is_empty(), "manual screen: {violations:?}");
    assert!(number.starts_with("A-"), "{number}");
    assert_eq!(kiosk.checkins(), 1);
}

/// Taps the welcome screen's language toggle and waits until the page is in English.
pub(crate) async fn switch_to_english(client: &Client) {
    click(client, "#language-toggle").await;
    hadir_e2e::wait_for_script(
        client,
        "return document.documentElement.lang === 'en';",
        Duration::from_secs(5),
    )
    .await;
}

#[tokio::test(flavor = "current_thread")]
async fn the_language_toggle_switches_every_text() {
    let _turn = one_window().await;
    let kiosk = TestKiosk::with_demo_day();
    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;
    assert_eq!(
        text_of(&client, "#welcome-title").await,
        "Selamat datang",
        "Bahasa Indonesia first"
    );
    switch_to_english(&client).await;
    let title = text_of(&client, "#welcome-title").await;
    let toggle = text_of(&client, "#language-toggle").await;
    screenshot(&client, "welcome-english").await;
    scan(&client, "MPZZZZZZZZ").await;
    wait_for_screen(&client, "refusal").await;
    let refusal = text_of(&client, "#refusal-title").await;
    screenshot(&client, "refusal-english").await;
    client.close().await.expect("session closes");
    assert_eq!(title, "Welcome");
    assert_eq!(toggle, "Bahasa Indonesia", "the toggle offers the way back");
    assert_eq!(refusal, "Booking code not found");
}

/// Issue #15: a typed code that is refused as a typo (not found) offers "Perbaiki kode" with the
/// text kept; the corrected code checks in. The field takes no more than a booking code's length,
/// and a scanned code's refusal offers no correction.
#[tokio::test(flavor = "current_thread")]
async fn a_mistyped_code_can_be_corrected_without_typing_it_again() {
    let _turn = one_window().await;
    let kiosk = TestKiosk::with_demo_day();
    let code = kiosk.code_expecting("ok").to_owned();
    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;
    let fix_shown = "return !document.getElementById('refusal-fix').hidden;";

    scan(&client, "MPZZZZZZZZ").await;
    wait_for_screen(&client, "refusal").await;
    let after_scan = client.execute(fix_shown, vec![]).await.expect("script");
    click(&client, "#screen-refusal [data-action='welcome']").await;
    wait_for_screen(&client, "welcome").await;

    // A slip in the last character, then 25 taps in all: the field stops at 20.
    let slip: String =
        code[..code.len() - 1].to_owned() + if code.ends_with('Z') { "Y" } else { "Z" };
    click(&client, "#manual-open").await;
    wait_for_screen(&client, "manual").await;
    for key in slip.chars() {
        click(&client, &format!("#manual-keys [data-key='{key}']")).await;
    }
    click(&client, "#manual-ok").await;
    wait_for_screen(&client, "refusal").await;
    assert_eq!(
        hadir_e2e::screen_code(&client, "refusal").await,
        "not_found"
    );
    let after_typing = client.execute(fix_shown, vec![]).await.expect("script");
    screenshot(&client, "refusal-fix-code").await;
    click(&client, "#refusal-fix").await;
    wait_for_screen(&client, "manual").await;
    let kept = text_of(&client, "#manual-code").await;
    click(&client, "#manual-backspace").await;
    let last = code.chars().last().unwrap_or('A');
    click(&client, &format!("#manual-keys [data-key='{last}']")).await;
    let corrected = text_of(&client, "#manual-code").await;
    click(&client, "#manual-ok").await;
    wait_for_screen(&client, "result").await;

    click(&client, "#screen-result [data-action='welcome']").await;
    click(&client, "#manual-open").await;
    wait_for_screen(&client, "manual").await;
    for _ in 0..25 {
        click(&client, "#manual-keys [data-key='A']").await;
    }
    let capped = text_of(&client, "#manual-code").await;
    client.close().await.expect("session closes");

    assert_eq!(
        after_scan,
        serde_json::json!(false),
        "a scanned code is not offered for correction"
    );
    assert_eq!(
        after_typing,
        serde_json::json!(true),
        "a typed code refused as not found is"
    );
    assert_eq!(kept, slip, "the typed text comes back");
    assert_eq!(corrected, code);
    assert_eq!(kiosk.checkins(), 1, "the corrected code checked in");
    assert_eq!(
        capped.len(),
        20,
        "no more than a booking code's 20 characters: {capped}"
    );
}

/// Issue #15: the kiosk stayed in English after the idle reset when the last applicant had
/// switched; the next one must find the office's language, by the idle reset or by "Selesai".
#[tokio::test(flavor = "current_thread")]
async fn the_next_applicant_finds_the_office_language_again() {
    let _turn = one_window().await;
    // Long enough for the "Selesai" tap to come first, short enough to wait for the reset.
    let kiosk = TestKiosk::with_demo_day_and("[screens]\nresult_reset_seconds = 6\n");
    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;
    for leave_by_done in [false, true] {
        switch_to_english(&client).await;
        scan(&client, "MPZZZZZZZZ").await;
        wait_for_screen(&client, "refusal").await;
        assert_eq!(
            text_of(&client, "#refusal-title").await,
            "Booking code not found",
            "this applicant chose English"
        );
        if leave_by_done {
            click(&client, "#screen-refusal [data-action='welcome']").await;
        }
        wait_for_screen(&client, "welcome").await;
        hadir_e2e::wait_for_script(
            &client,
            "return document.documentElement.lang === 'id' \
             && document.getElementById('welcome-title').textContent === 'Selamat datang';",
            Duration::from_secs(5),
        )
        .await;
    }
    client.close().await.expect("session closes");
}

#[tokio::test(flavor = "current_thread")]
async fn screens_return_to_welcome_on_their_own() {
    let _turn = one_window().await;
    let kiosk = TestKiosk::with_demo_day_and(
        "[screens]\nresult_reset_seconds = 3\nmanual_reset_seconds = 3\n",
    );
    let code = kiosk.code_expecting("ok").to_owned();
    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;
    scan(&client, &code).await;
    wait_for_screen(&client, "result").await;
    wait_for_screen(&client, "welcome").await; // within 15 s; configured 3 s
    click(&client, "#manual-open").await;
    wait_for_screen(&client, "manual").await;
    wait_for_screen(&client, "welcome").await;
    client.close().await.expect("session closes");
}

#[tokio::test(flavor = "current_thread")]
async fn a_printer_failure_still_shows_the_number_and_says_where_to_go() {
    let _turn = one_window().await;
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("listener");
    let address = closed.local_addr().expect("address");
    drop(closed); // a printer that is switched off
    let kiosk = TestKiosk::with_demo_day_and(&format!(
        "[printer]\nsink = \"escpos_tcp\"\naddress = \"{address}\"\ntimeout_ms = 500\n"
    ));
    let code = kiosk.code_expecting("ok").to_owned();
    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;
    scan(&client, &code).await;
    wait_for_screen(&client, "result").await;
    let number = text_of(&client, "#result-tickets .ticket-number").await;
    let state = hadir_e2e::wait_for_print(&client).await;
    let print = text_of(&client, "#result-print").await;
    let icon = client
        .execute(
            "return !document.getElementById('status-printer').hidden;",
            vec![],
        )
        .await
        .expect("script runs");
    screenshot(&client, "printer-failed").await;
    client.close().await.expect("session closes");
    assert!(
        number.starts_with("A-"),
        "the number is on screen: {number}"
    );
    assert_eq!(state, "failed");
    assert!(
        print.contains("meja layanan"),
        "says to go to the front desk: {print}"
    );
    assert_eq!(
        icon,
        serde_json::Value::Bool(true),
        "the staff corner shows the printer icon"
    );
    assert_eq!(kiosk.checkins(), 1, "the check-in stands");
}

#[tokio::test(flavor = "current_thread")]
async fn a_stuck_scanner_repeating_a_code_checks_in_once_and_the_ui_keeps_answering() {
    let _turn = one_window().await;
    let kiosk = TestKiosk::with_demo_day();
    let code = kiosk.code_expecting("ok").to_owned();
    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;
    for _ in 0..10 {
        scan(&client, &code).await;
    }
    wait_for_screen(&client, "result").await;
    hadir_e2e::wait_for_print(&client).await;
    let answered = client
        .execute("return 1 + 1;", vec![])
        .await
        .expect("the page answers");
    let prints: i64 = kiosk
        .database()
        .query_row("SELECT COUNT(*) FROM ticket_prints", [], |row| row.get(0))
        .expect("count");
    client.close().await.expect("session closes");
    assert_eq!(answered, serde_json::json!(2));
    assert_eq!(kiosk.checkins(), 1, "ten identical scans, one check-in");
    assert_eq!(prints, 1, "and one ticket printed");
}

#[tokio::test(flavor = "current_thread")]
async fn slow_human_typing_is_ignored_outside_manual_entry() {
    let _turn = one_window().await;
    let kiosk = TestKiosk::with_demo_day();
    let code = kiosk.code_expecting("ok").to_owned();
    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;
    let mut keys = KeyActions::new("person".into());
    for c in code.chars().chain(std::iter::once('\u{e007}')) {
        keys = keys
            .then(KeyAction::Down { value: c })
            .then(KeyAction::Up { value: c })
            .then(KeyAction::Pause {
                duration: Duration::from_millis(250),
            });
    }
    client.perform_actions(keys).await.expect("typing");
    tokio::time::sleep(Duration::from_millis(500)).await;
    let screen = client
        .execute("return document.body.dataset.screen;", vec![])
        .await
        .expect("script");
    assert_eq!(
        screen, "welcome",
        "a person typing on a keyboard is not a scan"
    );
    assert_eq!(kiosk.checkins(), 0);
    scan(&client, &code).await; // the same code from the scanner works
    wait_for_screen(&client, "result").await;
    client.close().await.expect("session closes");
    assert_eq!(kiosk.checkins(), 1);
}

/// Types `code` + Enter as page key events: the first `before` keys, a pause of `stall_ms`,
/// then the rest, as a scanner's burst arrives when the machine stalls in the middle of it.
const STALLED_BURST: &str = r#"
const [code, before, stallMs] = arguments;
const key = (k) => document.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true }));
for (const c of code.slice(0, before)) key(c);
setTimeout(() => { for (const c of code.slice(before)) key(c); key("Enter"); }, stallMs);
"#;

#[tokio::test(flavor = "current_thread")]
async fn a_scanner_burst_stalled_by_a_busy_machine_still_checks_in_whole() {
    let _turn = one_window().await;
    let kiosk = TestKiosk::with_demo_day();
    let code = kiosk.code_expecting("ok").to_owned();
    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;
    // Three keys at a scanner's pace, then the machine stalls 250 ms (a person never types a
    // code that fast; a scanner never pauses that long on its own).
    client
        .execute(
            STALLED_BURST,
            vec![
                serde_json::json!(code),
                serde_json::json!(3),
                serde_json::json!(250),
            ],
        )
        .await
        .expect("keys sent");
    wait_for_screen(&client, "result").await;
    client.close().await.expect("session closes");
    let checked_in: String = kiosk
        .database()
        .query_row("SELECT booking_code FROM checkins", [], |row| row.get(0))
        .expect("one check-in");
    assert_eq!(checked_in, code, "the whole code, not its tail");
}

#[tokio::test(flavor = "current_thread")]
async fn welcome_and_result_meet_the_bar_at_three_screen_sizes() {
    let _turn = one_window().await;
    let kiosk = TestKiosk::with_demo_day();
    let group = kiosk.group_code().to_owned();
    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;
    let mut failures = Vec::new();
    for (name, width, height) in [
        ("landscape", 1920, 1080),
        ("portrait", 1080, 1920),
        ("square", 1280, 1024),
    ] {
        resize(&client, width, height).await;
        click(&client, "#screen-welcome").await; // any touch; stays on welcome
        wait_for_screen(&client, "welcome").await;
        screenshot(&client, &format!("welcome-{name}")).await;
        for violation in quality_violations(&client).await {
            failures.push(format!("welcome {name}: {violation}"));
        }
        scan(&client, &group).await;
        wait_for_screen(&client, "result").await;
        screenshot(&client, &format!("result-group-{name}")).await;
        for violation in quality_violations(&client).await {
            failures.push(format!("result {name}: {violation}"));
        }
        click(&client, "#screen-result button.done").await;
    }
    client.close().await.expect("session closes");
    assert!(failures.is_empty(), "quality bar:\n{}", failures.join("\n"));
}

#[tokio::test(flavor = "current_thread")]
async fn the_printer_icon_shows_only_when_a_print_failed() {
    let _turn = one_window().await;
    let kiosk = TestKiosk::with_demo_day();
    let code = kiosk.code_expecting("ok").to_owned();
    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;
    let icon_shown = "const e = document.getElementById('status-printer'); \
                      return e.getBoundingClientRect().width > 0;";
    let before = client
        .execute(icon_shown, vec![])
        .await
        .expect("script runs");
    scan(&client, &code).await;
    wait_for_screen(&client, "result").await;
    hadir_e2e::wait_for_print(&client).await;
    let after = client
        .execute(icon_shown, vec![])
        .await
        .expect("script runs");
    client.close().await.expect("session closes");
    assert_eq!(
        before,
        serde_json::Value::Bool(false),
        "no alarm on a healthy kiosk"
    );
    assert_eq!(
        after,
        serde_json::Value::Bool(false),
        "a printed ticket raises no alarm"
    );
}
