//! Hub mode in the real window: numbers come from a real PostgreSQL hub; when it goes away the
//! kiosk keeps serving from its own block, staff see the hub offline, and when it returns the
//! background task replays the offline check-in into it.

use std::time::Duration;

use hadir_e2e::{click, scan, screenshot, text_of, wait_for_script, TauriDriver, TestKiosk};
use temp_postgres::TempPostgres;

use crate::one_window;

async fn hub_labels(url: &str) -> Vec<String> {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .expect("hub answers");
    tokio::spawn(connection);
    client
        .query("SELECT label FROM checkins ORDER BY id", &[])
        .await
        .expect("reads")
        .iter()
        .map(|row| row.get(0))
        .collect()
}

#[tokio::test(flavor = "current_thread")]
async fn the_kiosk_numbers_from_the_hub_serves_through_an_outage_and_replays() {
    if let Some(reason) = temp_postgres::skip_reason() {
        eprintln!("skipped: {reason}");
        return;
    }
    let _turn = one_window().await;
    let mut pg = TempPostgres::start().expect("PostgreSQL starts");
    let kiosk = TestKiosk::with_demo_day_and(&format!(
        "hub_url = {:?}\n[hub]\ntimeout_ms = 1500\nretry_seconds = 2\n",
        pg.url()
    ));
    let first = kiosk.code_expecting("ok").to_owned();
    let second = kiosk.token_expecting("ok").to_owned();
    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;

    scan(&client, &first).await;
    hadir_e2e::wait_for_screen(&client, "result").await;
    let from_hub = text_of(&client, "#result-tickets .ticket-number").await;
    assert_eq!(
        hub_labels(&pg.url()).await,
        vec![from_hub.clone()],
        "the hub holds it"
    );
    click(&client, "#screen-result .done").await;

    pg.stop();
    scan(&client, &second).await;
    hadir_e2e::wait_for_screen(&client, "result").await;
    let offline = text_of(&client, "#result-tickets .ticket-number").await;
    screenshot(&client, "hub-offline-result").await;
    click(&client, "#screen-result .done").await;
    hadir_e2e::open_staff_as(&client, &kiosk, "frontdesk").await;
    wait_for_script(
        &client,
        "return document.getElementById('hub-state').dataset.state === 'offline';",
        Duration::from_secs(15),
    )
    .await;
    let state = text_of(&client, "#hub-state").await;
    screenshot(&client, "staff-hub-offline").await;

    pg.start_again();
    // The background task retries every 2 s; the staff screen polls every 5 s.
    wait_for_script(
        &client,
        "return document.getElementById('hub-state').dataset.state === 'ok';",
        Duration::from_secs(30),
    )
    .await;
    let back = text_of(&client, "#hub-state").await;
    client.close().await.expect("session closes");

    assert!(
        offline.contains("-50"),
        "the kiosk's block (500-599): {offline}"
    );
    assert!(state.contains("TERPUTUS"), "{state}");
    assert!(back.contains("0 check-in menunggu"), "{back}");
    let labels = hub_labels(&pg.url()).await;
    assert!(
        labels.len() >= 2 && labels.contains(&from_hub),
        "{labels:?}"
    );
    assert!(
        labels.iter().any(|l| l.contains("-50")),
        "replayed: {labels:?}"
    );
}
