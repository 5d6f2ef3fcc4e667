//! Signed QR tokens and group bookings in the real window.

use hadir_e2e::{scan, screenshot, TauriDriver, TestKiosk};

use crate::one_window;

/// The numbers on the result screen, after a scan.
async fn numbers_after_scan(client: &fantoccini::Client, text: &str) -> Vec<String> {
    scan(client, text).await;
    hadir_e2e::wait_for_screen(client, "result").await;
    let value = client
        .execute(
            "return [...document.querySelectorAll('#result-tickets .ticket-number')].map(e => e.textContent);",
            vec![],
        )
        .await
        .expect("script runs");
    serde_json::from_value(value).expect("a list of numbers")
}

#[tokio::test(flavor = "current_thread")]
async fn a_signed_token_checks_in_even_before_the_sync_brings_the_booking() {
    let _turn = one_window().await;
    let kiosk = TestKiosk::with_demo_day();
    let token = kiosk.token_expecting("ok").to_owned();
    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;
    let numbers = numbers_after_scan(&client, &token).await;
    screenshot(&client, "token-ok").await;
    client.close().await.expect("session closes");
    assert_eq!(
        numbers.len(),
        2,
        "the token names two applicants: {numbers:?}"
    );
    assert_eq!(
        numbers,
        ["A-001", "A-002"],
        "consecutive numbers in the baru queue"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn a_group_of_three_gets_three_numbers_on_screen() {
    let _turn = one_window().await;
    let kiosk = TestKiosk::with_demo_day();
    let code = kiosk.group_code().to_owned();
    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;
    let numbers = numbers_after_scan(&client, &code).await;
    let who = client
        .execute(
            "return [...document.querySelectorAll('#result-tickets .ticket-who')].map(e => e.textContent);",
            vec![],
        )
        .await
        .expect("script runs");
    screenshot(&client, "group-of-three").await;
    client.close().await.expect("session closes");
    assert_eq!(
        numbers,
        ["P-001", "P-002", "P-003"],
        "one lansia brings the family to the priority queue"
    );
    let who: Vec<String> = serde_json::from_value(who).expect("texts");
    assert!(
        who[2].ends_with("Pemohon 3/3"),
        "each ticket says k/n: {who:?}"
    );
    assert!(who[0].contains("***"), "names are masked: {who:?}");
}

#[tokio::test(flavor = "current_thread")]
async fn a_tampered_token_is_refused_with_its_code_and_a_next_step() {
    let _turn = one_window().await;
    let kiosk = TestKiosk::with_demo_day();
    let token = kiosk.token_expecting("bad_signature").to_owned();
    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;
    scan(&client, &token).await;
    hadir_e2e::wait_for_screen(&client, "refusal").await;
    let code = hadir_e2e::screen_code(&client, "refusal").await;
    let next = hadir_e2e::text_of(&client, "#refusal-next").await;
    screenshot(&client, "token-bad-signature").await;
    client.close().await.expect("session closes");
    assert_eq!(code, "bad_signature");
    assert!(next.contains("meja layanan"), "a next step: {next}");
    let checkins = kiosk.checkins();
    assert_eq!(checkins, 0);
}
