//! Sync in the real window: the kiosk pulls the day from a real HTTP gateway on loopback, pushes
//! each check-in, keeps serving while the gateway fails (staff see the offline icon and the
//! outbox), and catches up on "sync now". Without a network, staff import a feed file from a
//! USB folder.

use std::time::Duration;

use fake_upstream::{DateHeader, FakeUpstream, Fault, Route};
use hadir_e2e::{
    click, scan, screenshot, text_of, wait_for_script, TauriDriver, TestKiosk, UsbFolder,
};

use crate::one_window;

const TOKEN: &str = "e2e-token";
/// Booked 09:00-10:00 in `crates/hadir/testdata/feed-full.json`; the kiosk runs at 09:30.
const FIRST: &str = "MPLBUTZ69T";
const SECOND: &str = "MPFZB9XKCS";

fn feed_full() -> Vec<u8> {
    let path = hadir_e2e::repo_root()
        .join("crates")
        .join("hadir")
        .join("testdata")
        .join("feed-full.json");
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn applied_for(upstream: &FakeUpstream, code: &str) -> usize {
    upstream
        .applied()
        .values()
        .filter(|event| event["booking_code"] == code)
        .count()
}

/// The gateway's clock running as the kiosk's `--at` clock does, plus `ahead` (the kiosk starts
/// a few seconds after this is set, so the two differ by those seconds too).
fn gateway_clock_at_kiosk_time(ahead: jiff::SignedDuration) -> DateHeader {
    let kiosk_at: jiff::Timestamp = hadir_e2e::KIOSK_AT.parse().expect("KIOSK_AT is RFC 3339");
    DateHeader::Offset(kiosk_at.duration_since(jiff::Timestamp::now()) + ahead)
}

fn wait_until(what: &str, timeout: Duration, mut done: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + timeout;
    while !done() {
        assert!(std::time::Instant::now() < deadline, "timed out: {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[tokio::test(flavor = "current_thread")]
async fn the_kiosk_pulls_pushes_serves_offline_and_catches_up_on_sync_now() {
    let _turn = one_window().await;
    let upstream = FakeUpstream::start("KANIM-KUPANG", TOKEN).expect("gateway starts");
    upstream.set_feed("2026-11-29", None, feed_full());
    // In step with the kiosk's clock: this test is about the network, not the clock alarm.
    upstream.set_date_header(gateway_clock_at_kiosk_time(jiff::SignedDuration::ZERO));
    let kiosk = TestKiosk::with_demo_day_and(&format!(
        "[upstream]\nurl = {:?}\ntoken = {TOKEN:?}\nconnect_timeout_ms = 500\nrequest_timeout_ms = 2000\n",
        upstream.url()
    ));
    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;

    // The pull replaced the demo day with the gateway's list.
    let database = kiosk.database();
    wait_until("the first pull", Duration::from_secs(20), || {
        database
            .query_row(
                "SELECT COUNT(*) FROM appointments WHERE booking_code = ?1",
                [FIRST],
                |r| r.get::<_, i64>(0),
            )
            .unwrap_or(0)
            == 1
    });
    scan(&client, FIRST).await;
    hadir_e2e::wait_for_screen(&client, "result").await;
    wait_until(
        "the check-in reaches the gateway",
        Duration::from_secs(20),
        || applied_for(&upstream, FIRST) == 1,
    );

    // The gateway fails every push: the next applicant is served all the same.
    for _ in 0..50 {
        upstream.queue_fault(
            Route::Push,
            Fault::Status {
                status: 503,
                retry_after: None,
            },
        );
    }
    click(&client, "#screen-result .done").await;
    scan(&client, SECOND).await;
    hadir_e2e::wait_for_screen(&client, "result").await;
    let number = text_of(&client, "#result-tickets .ticket-number").await;
    assert!(
        !number.is_empty(),
        "the number shows while the gateway fails"
    );
    wait_for_script(
        &client,
        "return !document.getElementById('status-offline').hidden;",
        Duration::from_secs(20),
    )
    .await;
    screenshot(&client, "sync-offline-corner").await;
    assert_eq!(applied_for(&upstream, SECOND), 0, "nothing got through");

    hadir_e2e::open_staff_as(&client, &kiosk, "frontdesk").await;
    wait_for_script(
        &client,
        "return document.getElementById('sync-health').dataset.state === 'offline' \
         && document.getElementById('sync-outbox').textContent === '1';",
        Duration::from_secs(10),
    )
    .await;
    let error = text_of(&client, "#sync-error").await;
    assert!(
        error.contains("sync_server_error"),
        "staff see the cause: {error}"
    );
    let next = text_of(&client, "#sync-next").await;
    assert!(
        next.contains("mencoba lagi"),
        "and what happens next: {next}"
    );
    // The staff panel opens at the top; staff scroll down to the sync facts, and so does the
    // picture of them (docs/screens/staff-sync-offline.png).
    client
        .execute(
            "document.getElementById('sync-health').previousElementSibling.scrollIntoView();",
            vec![],
        )
        .await
        .expect("scrolls to the sync facts");
    screenshot(&client, "staff-sync-offline").await;

    // The gateway heals; staff press "sync now" rather than wait out the backoff.
    upstream.clear_faults();
    click(&client, "#sync-now").await;
    wait_until(
        "the held event reaches the gateway",
        Duration::from_secs(20),
        || applied_for(&upstream, SECOND) == 1,
    );
    wait_for_script(
        &client,
        "return document.getElementById('sync-health').dataset.state === 'ok' \
         && document.getElementById('sync-outbox').textContent === '0' \
         && document.getElementById('status-offline').hidden;",
        Duration::from_secs(15),
    )
    .await;
    screenshot(&client, "staff-sync-ok").await;
    client.close().await.expect("session closes");
    assert_eq!(applied_for(&upstream, FIRST), 1, "sent once, never twice");
    assert_eq!(
        upstream.effects().values().filter(|n| **n != 1).count(),
        0,
        "one effect per check-in"
    );
}

/// #20: a kiosk whose clock is 10 minutes behind the gateway's (each answer's `Date` header):
/// the clock icon in the staff corner, the staff screen's line says by how much and which way
/// and what to do; once the clocks agree, "sync now" brings an answer in step and it all goes.
#[tokio::test(flavor = "current_thread")]
async fn staff_see_a_kiosk_clock_off_the_gateways_until_it_agrees() {
    let _turn = one_window().await;
    let upstream = FakeUpstream::start("KANIM-KUPANG", TOKEN).expect("gateway starts");
    upstream.set_feed("2026-11-29", None, feed_full());
    upstream.set_date_header(gateway_clock_at_kiosk_time(
        jiff::SignedDuration::from_mins(10),
    ));
    let kiosk = TestKiosk::with_demo_day_and(&format!(
        "[upstream]\nurl = {:?}\ntoken = {TOKEN:?}\nconnect_timeout_ms = 500\nrequest_timeout_ms = 2000\n",
        upstream.url()
    ));
    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;
    wait_for_script(
        &client,
        "return !document.getElementById('status-clock').hidden;",
        Duration::from_secs(20),
    )
    .await;
    assert!(
        client
            .execute(
                "return document.getElementById('status-offline').hidden;",
                vec![]
            )
            .await
            .expect("reads")
            .as_bool()
            .unwrap_or(false),
        "the network is fine: only the clock is wrong"
    );
    hadir_e2e::open_staff_as(&client, &kiosk, "frontdesk").await;
    wait_for_script(
        &client,
        "return document.getElementById('sync-clock').dataset.state === 'alarm';",
        Duration::from_secs(10),
    )
    .await;
    let line = text_of(&client, "#sync-clock").await;
    assert_eq!(line, "10 menit LEBIH LAMBAT dari jam gateway", "{line}");
    let next = text_of(&client, "#sync-clock-next").await;
    assert!(
        next.contains("Panggil IT") && next.contains("WITA"),
        "and what to do: {next}"
    );
    client
        .execute(
            "document.getElementById('sync-health').previousElementSibling.scrollIntoView();",
            vec![],
        )
        .await
        .expect("scrolls to the sync facts");
    screenshot(&client, "staff-clock-alarm").await;

    // IT sets the clock right (here: the gateway's moves to the kiosk's); staff press sync now.
    upstream.set_date_header(gateway_clock_at_kiosk_time(jiff::SignedDuration::ZERO));
    click(&client, "#sync-now").await;
    wait_for_script(
        &client,
        "return document.getElementById('sync-clock').dataset.state === 'ok' \
         && document.getElementById('sync-clock-next').hidden \
         && document.getElementById('status-clock').hidden;",
        Duration::from_secs(20),
    )
    .await;
    let line = text_of(&client, "#sync-clock").await;
    assert!(line.starts_with("Benar"), "{line}");
    client.close().await.expect("session closes");
}

#[tokio::test(flavor = "current_thread")]
async fn staff_import_a_feed_file_from_a_usb_folder() {
    let _turn = one_window().await;
    let usb = UsbFolder::with_stick(&["STICK"]);
    let stick = usb.stick.clone();
    let full = feed_full();
    std::fs::write(stick.join("broken.json"), &full[..full.len() / 3]).expect("broken file");
    std::fs::write(stick.join("janji-2026-11-29.json"), &full).expect("feed file");
    let kiosk = TestKiosk::with_demo_day_and(&usb.config_toml());
    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;

    hadir_e2e::open_staff_as(&client, &kiosk, "frontdesk").await;
    wait_for_script(
        &client,
        "return document.getElementById('sync-health').dataset.state === 'file_only';",
        Duration::from_secs(10),
    )
    .await;
    click(&client, "#import-list").await;
    wait_for_script(
        &client,
        "return document.querySelectorAll('#import-files button').length === 2;",
        Duration::from_secs(10),
    )
    .await;
    let buttons = client
        .find_all(fantoccini::Locator::Css("#import-files button"))
        .await
        .expect("buttons");
    let mut broken = None;
    let mut good = None;
    for button in buttons {
        let text = button.text().await.expect("text");
        if text.contains("broken.json") {
            broken = Some(button);
        } else if text.contains("janji-2026-11-29.json") {
            good = Some(button);
        }
    }
    broken
        .expect("broken file offered")
        .click()
        .await
        .expect("click");
    wait_for_script(
        &client,
        "return document.getElementById('import-result').dataset.outcome === 'failed';",
        Duration::from_secs(10),
    )
    .await;
    let refused = text_of(&client, "#import-result").await;
    assert!(
        refused.contains("Gagal") && refused.contains("data lama tetap berlaku"),
        "{refused}"
    );
    good.expect("feed file offered")
        .click()
        .await
        .expect("click");
    wait_for_script(
        &client,
        "return document.getElementById('import-result').dataset.outcome === 'done';",
        Duration::from_secs(10),
    )
    .await;
    let done = text_of(&client, "#import-result").await;
    assert!(done.contains("60 pemesanan"), "{done}");
    screenshot(&client, "staff-import-done").await;
    click(&client, "#screen-staff .done").await;
    scan(&client, FIRST).await;
    hadir_e2e::wait_for_screen(&client, "result").await;
    client.close().await.expect("session closes");
    assert_eq!(
        hadir_e2e::TestKiosk::checkins(&kiosk),
        1,
        "a booking from the imported file checks in"
    );
}

/// #20: a feed file with an item whose booking cannot be told (a bare number where the first
/// booking was). Staff read the item by its place in the list and that the list removed no
/// booking; a demo booking the file does not hold still checks in (a full list would otherwise
/// have removed it, and its applicant would hear `not_found`).
#[tokio::test(flavor = "current_thread")]
async fn staff_read_which_feed_item_was_skipped_and_no_booking_is_lost() {
    let _turn = one_window().await;
    let usb = UsbFolder::with_stick(&["STICK"]);
    let full = String::from_utf8(feed_full()).expect("UTF-8");
    let start = full.find("\"appointments\": [").expect("list") + "\"appointments\": [".len();
    let end = start + full[start..].find("\n  },").expect("first item") + "\n  }".len();
    let spoiled = format!("{}17{}", &full[..start], &full[end..]);
    std::fs::write(usb.stick.join("janji-2026-11-29.json"), spoiled).expect("feed file");
    let kiosk = TestKiosk::with_demo_day_and(&usb.config_toml());
    let demo_code = kiosk
        .try_codes
        .iter()
        .find(|c| c.expect == "ok" && hadir::model::is_booking_code(&c.booking_code))
        .map(|c| c.booking_code.clone())
        .expect("a plain demo code that checks in");
    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;

    hadir_e2e::open_staff_as(&client, &kiosk, "frontdesk").await;
    click(&client, "#import-list").await;
    wait_for_script(
        &client,
        "return document.querySelectorAll('#import-files button').length === 1;",
        Duration::from_secs(10),
    )
    .await;
    click(&client, "#import-files button").await;
    wait_for_script(
        &client,
        "return document.getElementById('import-result').dataset.outcome === 'done';",
        Duration::from_secs(10),
    )
    .await;
    wait_for_script(
        &client,
        "return document.querySelectorAll('#sync-problems li').length === 2;",
        Duration::from_secs(10),
    )
    .await;
    let problems = text_of(&client, "#sync-problems").await;
    assert!(
        problems.contains("Daftar lengkap tanggal 2026-11-29 tidak menghapus pemesanan apa pun"),
        "{problems}"
    );
    assert!(
        problems.contains("Data ke-1 dalam daftar dilewati: formatnya tidak sesuai"),
        "{problems}"
    );
    screenshot(&client, "staff-feed-item-skipped").await;
    click(&client, "#screen-staff .done").await;
    scan(&client, &demo_code).await;
    hadir_e2e::wait_for_screen(&client, "result").await;
    client.close().await.expect("session closes");
}
