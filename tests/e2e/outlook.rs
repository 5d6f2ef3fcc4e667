//! People ahead and the estimated wait in the real window (issue #18): a kiosk in hub mode
//! scans a booking while tickets of the same service were checked in at another kiosk, five of
//! them already served at a counter and three still waiting; the result screen says so, and so
//! does the printed ticket.

use std::sync::Mutex;
use std::time::Duration;

use hadir::config::HubUrl;
use hadir::hub::{self, CallNext, Desk, HubLink};
use hadir::kiosk::{Printing, ScanContext};
use hadir::model::{Language, Service};
use hadir_e2e::{bench_booking, pdf_text, scan, screenshot, TauriDriver, TestKiosk};
use jiff::ZonedDateTime;
use temp_postgres::TempPostgres;

use crate::one_window;

/// `minutes` before the window's own time ([`hadir_e2e::KIOSK_AT`], 09:30).
fn before(kiosk: &TestKiosk, minutes: i64) -> ZonedDateTime {
    TestKiosk::now(&kiosk.config)
        .checked_sub(jiff::SignedDuration::from_mins(minutes))
        .expect("a time")
}

/// Checks `code` in through the hub at `now`, as another kiosk of the office would.
async fn check_in_elsewhere(other: &TestKiosk, code: &str, now: &ZonedDateTime) {
    let store = Mutex::new(hadir::Store::open_in(&other.config.data_dir()).expect("store"));
    let link = HubLink::new(other.config.hub_url.clone().expect("hub mode"));
    let ctx = ScanContext {
        store: &store,
        hub: Some(&link),
        printing: Printing::Later,
        language: Language::Id,
        now,
        config: &other.config,
    };
    let (answer, _) = hadir::kiosk::scan(code, &ctx).await.expect("checks in");
    let result = answer.into_checkin().expect("a check-in");
    assert_eq!(result.verdict.code(), "ok", "{code}");
}

/// Counter 1 serves the first `count` waiting tickets, two minutes each, from `from`
/// minutes before the window's time.
async fn serve(other: &TestKiosk, url: &str, count: i64, from: i64) {
    let mut client = hub::connect(&HubUrl::new(url.to_owned()), Duration::from_secs(5))
        .await
        .expect("the hub answers");
    let desk = Desk {
        counter: 1,
        services: vec![Service::Baru],
        staff: "LOKET SATU".into(),
    };
    for k in 0..count {
        let called = hub::call_next(
            &mut client,
            &desk,
            &before(other, from - 2 * k),
            &other.config,
        )
        .await
        .expect("calls");
        assert!(matches!(called, CallNext::Called { .. }), "{called:?}");
        hub::finish(
            &mut client,
            1,
            &before(other, from - 2 * k - 2),
            &other.config,
        )
        .await
        .expect("finishes")
        .expect("in hand");
    }
}

async fn texts_of(client: &fantoccini::Client, css: &str) -> Vec<String> {
    let script =
        format!("return [...document.querySelectorAll({css:?})].map((e) => e.textContent);");
    let value = client.execute(&script, vec![]).await.expect("reads");
    serde_json::from_value(value).expect("a list of texts")
}

#[tokio::test(flavor = "current_thread")]
async fn the_result_screen_and_the_ticket_say_how_many_wait_ahead_and_about_how_long() {
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
    let codes: Vec<String> = (1..=9).map(|n| format!("MPAHEAD{n:03}")).collect();
    for target in [&kiosk, &other] {
        target.add_bookings(codes.iter().cloned().map(bench_booking).collect());
    }
    // Eight checked in from 09:05; five served from 09:14 to 09:24 (two minutes each), so at
    // 09:30 three wait ahead and counter 1 is open.
    for (code, minutes) in codes[..8].iter().zip((18..=25).rev()) {
        check_in_elsewhere(&other, code, &before(&other, minutes)).await;
    }
    serve(&other, &pg.url(), 5, 16).await;

    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;
    scan(&client, &codes[8]).await;
    hadir_e2e::wait_for_screen(&client, "result").await;
    let number = hadir_e2e::text_of(&client, "#result-tickets .ticket-number").await;
    let lines = texts_of(&client, "#result-tickets .ticket-ahead").await;
    let printed = hadir_e2e::wait_for_print(&client).await;
    screenshot(&client, "result-people-ahead").await;
    client.close().await.expect("session closes");

    assert_eq!(
        lines,
        [
            "Di depan Anda: 3 orang",
            "Perkiraan waktu tunggu: sekitar 5-10 menit"
        ],
        "the result screen"
    );
    assert_eq!(printed, "ok");
    let ticket = pdf_text(&kiosk.ticket_pdf(&number));
    for expected in [
        "Saat dicetak",
        "3 orang di depan Anda",
        "sekitar 5-10 menit",
    ] {
        assert!(
            ticket.contains(expected),
            "{expected} on the ticket: {ticket}"
        );
    }
}

#[tokio::test(flavor = "current_thread")]
async fn each_ticket_of_a_family_says_its_own_place() {
    if let Some(reason) = temp_postgres::skip_reason() {
        eprintln!("skipped: {reason}");
        return;
    }
    let _turn = one_window().await;
    let pg = TempPostgres::start().expect("PostgreSQL starts");
    let hub_toml = format!("hub_url = {:?}\n[hub]\ntimeout_ms = 5000\n", pg.url());
    let kiosk = TestKiosk::with_demo_day_and(&hub_toml);
    let family = kiosk.group_code().to_owned();

    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;
    scan(&client, &family).await;
    hadir_e2e::wait_for_screen(&client, "result").await;
    let numbers = texts_of(&client, "#result-tickets .ticket-number").await;
    let lines = texts_of(&client, "#result-tickets .ticket-ahead").await;
    let printed = hadir_e2e::wait_for_print(&client).await;
    client.close().await.expect("session closes");

    // One queue, checked in together: each is called after the ones before it.
    assert_eq!(
        lines,
        [
            "Tidak ada yang menunggu di depan Anda",
            "Di depan Anda: 1 orang",
            "Di depan Anda: 2 orang"
        ],
        "the result screen"
    );
    assert_eq!(printed, "ok");
    let last = pdf_text(&kiosk.ticket_pdf(&numbers[2]));
    assert!(
        last.contains("Saat dicetak") && last.contains("2 orang di depan Anda"),
        "the third ticket: {last}"
    );
}
