//! The counter machine in the real window (`role = "counter"`) on a real PostgreSQL hub: staff
//! sign in by tapping their name and PIN, tap their counter and service, then call the tickets
//! a kiosk checked in: the ticket and the applicant's masked name appear, call again, a no-show
//! refused before the calls again and marked after them (each asked first), call next, start,
//! finish, a transfer to another service; the waiting count falls with each call. Each call,
//! finish and no-show is in the counter machine's outbox.

use std::sync::Mutex;
use std::time::Duration;

use hadir::hub::HubLink;
use hadir::kiosk::{Printing, ScanContext};
use hadir::model::{mask_name, Language};
use hadir_e2e::{
    bench_booking, click, screenshot, text_of, wait_for_script, TauriDriver, TestKiosk,
};
use jiff::ZonedDateTime;
use temp_postgres::TempPostgres;

use crate::one_window;

/// `minutes` before the window's own time ([`hadir_e2e::KIOSK_AT`], 09:30).
fn before(kiosk: &TestKiosk, minutes: i64) -> ZonedDateTime {
    TestKiosk::now(&kiosk.config)
        .checked_sub(jiff::SignedDuration::from_mins(minutes))
        .expect("a time")
}

/// Checks `code` in at a kiosk in hub mode at `now`; the ticket's label.
async fn check_in_at_kiosk(kiosk: &TestKiosk, code: &str, now: &ZonedDateTime) -> String {
    let store = Mutex::new(hadir::Store::open_in(&kiosk.config.data_dir()).expect("store"));
    let link = HubLink::new(kiosk.config.hub_url.clone().expect("hub mode"));
    let ctx = ScanContext {
        store: &store,
        hub: Some(&link),
        printing: Printing::Later,
        language: Language::Id,
        now,
        config: &kiosk.config,
    };
    let (answer, _) = hadir::kiosk::scan(code, &ctx).await.expect("checks in");
    let result = answer.into_checkin().expect("a check-in");
    assert_eq!(result.verdict.code(), "ok", "{code}");
    result.tickets[0].label.clone()
}

async fn wait_for(client: &fantoccini::Client, script: &str) {
    wait_for_script(client, script, Duration::from_secs(15)).await;
}

/// Waits until the counter's message says `action` was done.
async fn done(client: &fantoccini::Client, action: &str) {
    wait_for(
        client,
        &format!(
            "const m = document.getElementById('counter-message'); \
             return m.dataset.action === {action:?} && m.dataset.tone === 'info';"
        ),
    )
    .await;
}

/// Clears the message, so the next action's is the one waited for.
async fn clear_message(client: &fantoccini::Client) {
    client
        .execute(
            "const m = document.getElementById('counter-message'); \
             delete m.dataset.action; delete m.dataset.code; m.dataset.tone = '';",
            vec![],
        )
        .await
        .expect("script runs");
}

async fn act(client: &fantoccini::Client, button: &str, action: &str) {
    clear_message(client).await;
    click(client, button).await;
    done(client, action).await;
}

/// Waits until the baru queue's regular count reads `count`.
async fn waiting_regular(client: &fantoccini::Client, count: u32) {
    wait_for(
        client,
        &format!(
            "const c = document.querySelector(\
                 '#counter-waiting tr[data-service=\"baru\"] td[data-lane=\"regular\"]'); \
             return !!c && c.textContent === '{count}';"
        ),
    )
    .await;
}

async fn ticket_label(client: &fantoccini::Client, label: &str) {
    wait_for(
        client,
        &format!(
            "return document.getElementById('counter-ticket').dataset.state !== 'none' \
                 && document.getElementById('counter-ticket-label').textContent === {label:?};"
        ),
    )
    .await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_counter_signs_in_by_touch_and_calls_recalls_marks_no_show_serves_and_transfers() {
    if let Some(reason) = temp_postgres::skip_reason() {
        eprintln!("skipped: {reason}");
        return;
    }
    let _turn = one_window().await;
    let pg = TempPostgres::start().expect("PostgreSQL starts");
    let hub_toml = format!("hub_url = {:?}\n[hub]\ntimeout_ms = 5000\n", pg.url());
    let kiosk = TestKiosk::with_demo_day_and(&hub_toml);
    let counter = TestKiosk::with_demo_day_and(&format!("role = \"counter\"\n{hub_toml}"));
    counter.add_staff("Rina", "counter", "2468");
    let codes: Vec<String> = (1..=4).map(|n| format!("MPCOUNTER{n:03}")).collect();
    kiosk.add_bookings(codes.iter().cloned().map(bench_booking).collect());
    let mut labels = Vec::new();
    for (code, minutes) in codes.iter().zip([20, 19, 18, 17]) {
        labels.push(check_in_at_kiosk(&kiosk, code, &before(&kiosk, minutes)).await);
    }

    let driver = TauriDriver::start();
    let client = driver.open(&counter).await;
    // Sign in: the name, then the PIN on the on-screen number pad.
    wait_for(
        &client,
        "return !!document.querySelector('#counter-names button[data-name=\"Rina\"]');",
    )
    .await;
    click(&client, "#counter-names button[data-name='Rina']").await;
    click(&client, "#counter-pin").await;
    for digit in "2468".chars() {
        click(&client, &format!("#touch-keys button[data-key='{digit}']")).await;
    }
    click(&client, "#counter-pin-go").await;
    wait_for(&client, "return document.body.dataset.screen === 'setup';").await;
    // Counter 2, service baru.
    click(&client, "#counter-numbers button[data-counter='2']").await;
    click(&client, "#counter-services button[data-service='baru']").await;
    click(&client, "#counter-setup-go").await;
    wait_for(&client, "return document.body.dataset.screen === 'work';").await;
    assert_eq!(text_of(&client, "#counter-heading").await, "Loket 2");
    waiting_regular(&client, 4).await;

    // Call next: the first ticket, its masked name; one fewer waits.
    act(&client, "#counter-call-next", "call_next").await;
    ticket_label(&client, &labels[0]).await;
    assert_eq!(
        text_of(&client, "#counter-ticket-name").await,
        mask_name("PEMOHON BENCHMARK")
    );
    waiting_regular(&client, 3).await;
    screenshot(&client, "counter-called").await;

    // Call again once; a no-show (asked first) is refused until the second call again.
    act(&client, "#counter-call-again", "call_again").await;
    clear_message(&client).await;
    click(&client, "#counter-no-show").await;
    wait_for(
        &client,
        "return !document.getElementById('counter-confirm').hidden;",
    )
    .await;
    click(&client, "#counter-confirm-yes").await;
    wait_for(
        &client,
        "return document.getElementById('counter-message').dataset.code \
             === 'counter_call_again_first';",
    )
    .await;
    act(&client, "#counter-call-again", "call_again").await;
    assert_eq!(
        text_of(&client, "#counter-ticket-recalls").await,
        "Dipanggil ulang 2 dari 2 kali"
    );
    clear_message(&client).await;
    click(&client, "#counter-no-show").await;
    wait_for(
        &client,
        "return !document.getElementById('counter-confirm').hidden;",
    )
    .await;
    click(&client, "#counter-confirm-yes").await;
    done(&client, "no_show").await;
    wait_for(
        &client,
        "return document.getElementById('counter-ticket').dataset.state === 'none';",
    )
    .await;

    // The next one: start, finish.
    act(&client, "#counter-call-next", "call_next").await;
    ticket_label(&client, &labels[1]).await;
    waiting_regular(&client, 2).await;
    act(&client, "#counter-start", "start").await;
    wait_for(
        &client,
        "return document.getElementById('counter-ticket').dataset.state === 'serving';",
    )
    .await;
    act(&client, "#counter-finish", "finish").await;

    // The next one goes to another service (asked first): it leaves this counter's queue.
    act(&client, "#counter-call-next", "call_next").await;
    ticket_label(&client, &labels[2]).await;
    waiting_regular(&client, 1).await;
    clear_message(&client).await;
    click(&client, "#counter-transfer").await;
    click(
        &client,
        "#counter-transfer-services button[data-service='penggantian']",
    )
    .await;
    wait_for(
        &client,
        "return !document.getElementById('counter-confirm').hidden;",
    )
    .await;
    click(&client, "#counter-confirm-yes").await;
    done(&client, "transfer").await;
    assert_eq!(
        text_of(&client, "#counter-message").await,
        format!("{} dikirim ke Penggantian paspor.", labels[2])
    );
    waiting_regular(&client, 1).await;
    screenshot(&client, "counter-work").await;
    client.close().await.expect("session closes");

    // The counter machine's outbox holds its calls, finish and no-show for the sync task.
    let kinds: Vec<String> = counter
        .database()
        .prepare("SELECT kind FROM outbox WHERE kind IN ('call', 'finish', 'no_show') ORDER BY id")
        .expect("prepares")
        .query_map([], |row| row.get(0))
        .expect("reads")
        .collect::<rusqlite::Result<_>>()
        .expect("rows");
    assert_eq!(
        kinds,
        ["call", "call", "call", "no_show", "call", "finish", "call"]
    );
}
