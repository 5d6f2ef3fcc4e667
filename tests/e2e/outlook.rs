//! People ahead in the real window (issue #18): a kiosk in hub mode scans a booking while three
//! tickets of the same service already wait at the office hub (checked in at another kiosk);
//! the result screen says so, and so does the printed ticket.

use std::sync::Mutex;

use hadir::hub::HubLink;
use hadir::kiosk::{Printing, ScanContext};
use hadir::model::Language;
use hadir_e2e::{bench_booking, pdf_text, scan, screenshot, text_of, TauriDriver, TestKiosk};
use temp_postgres::TempPostgres;

use crate::one_window;

/// Checks `code` in through the hub at `minutes` before the window's own time, as another
/// kiosk of the office would.
async fn check_in_elsewhere(other: &TestKiosk, code: &str, minutes: i64) {
    let store = Mutex::new(hadir::Store::open_in(&other.config.data_dir()).expect("store"));
    let link = HubLink::new(other.config.hub_url.clone().expect("hub mode"));
    let now = TestKiosk::now(&other.config)
        .checked_sub(jiff::SignedDuration::from_mins(minutes))
        .expect("a time");
    let ctx = ScanContext {
        store: &store,
        hub: Some(&link),
        printing: Printing::Later,
        language: Language::Id,
        now: &now,
        config: &other.config,
    };
    let (answer, _) = hadir::kiosk::scan(code, &ctx).await.expect("checks in");
    let result = answer.into_checkin().expect("a check-in");
    assert_eq!(result.verdict.code(), "ok", "{code}");
}

#[tokio::test(flavor = "current_thread")]
async fn the_result_screen_and_the_ticket_say_how_many_wait_ahead() {
    if let Some(reason) = temp_postgres::skip_reason() {
        eprintln!("skipped: {reason}");
        return;
    }
    let _turn = one_window().await;
    let pg = TempPostgres::start().expect("PostgreSQL starts");
    // A generous budget: the outlook is asked for in what is left of it after the number.
    let hub_toml = format!("hub_url = {:?}\n[hub]\ntimeout_ms = 5000\n", pg.url());
    let kiosk = TestKiosk::with_demo_day_and(&hub_toml);
    let other = TestKiosk::with_demo_day_and(&hub_toml);
    let codes: Vec<String> = (1..=4).map(|n| format!("MPAHEAD{n:03}")).collect();
    for target in [&kiosk, &other] {
        target.add_bookings(codes.iter().cloned().map(bench_booking).collect());
    }
    for (code, minutes) in codes[..3].iter().zip([9, 8, 7]) {
        check_in_elsewhere(&other, code, minutes).await;
    }

    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;
    scan(&client, &codes[3]).await;
    hadir_e2e::wait_for_screen(&client, "result").await;
    let number = text_of(&client, "#result-tickets .ticket-number").await;
    let ahead = text_of(&client, "#result-tickets .ticket-ahead").await;
    let printed = hadir_e2e::wait_for_print(&client).await;
    screenshot(&client, "result-people-ahead").await;
    client.close().await.expect("session closes");

    assert_eq!(ahead, "Di depan Anda: 3 orang", "the result screen");
    assert_eq!(printed, "ok");
    let ticket = pdf_text(&kiosk.ticket_pdf(&number));
    assert!(
        ticket.contains("3 orang di depan Anda") && ticket.contains("Saat dicetak"),
        "the printed ticket: {ticket}"
    );
}
