//! A counter at work against a real PostgreSQL hub (`temp-postgres`): staff sign in at the
//! counter machine, choose a counter and services, and call the tickets kiosks issued (with the
//! masked name the kiosk showed): call next, call again, no-show after the calls again, start,
//! finish, transfer, refusals with their codes, and each call, finish and no-show in the counter
//! machine's own outbox with the hub's nonce. A hub that does not answer changes nothing.

use std::sync::Mutex;
use std::time::Duration;

use hadir::config::HubUrl;
use hadir::counter_desk::{self, Acted, CounterAction, CounterSeat};
use hadir::hub::{self, CallState, Desk, HubLink};
use hadir::model::{mask_name, Service, StaffRole};
use hadir::staff_mode::SignInResult;
use hadir::store::OutboxEvent;
use hadir::{Config, Store};

mod common;

use common::hub::{code_for, feed, hub_config, HubKiosk};
use common::{at, pg_client, postgres, temp_store};

/// A counter machine: its own store with `ani` (counter role, PIN 2468) signed in at counter 2
/// serving `services`.
fn counter_machine(
    url: &str,
    services: &[Service],
) -> (tempfile::TempDir, Mutex<Store>, HubLink, Config, Desk) {
    let mut config = hub_config(0, Some(url), 5_000);
    config.role = hadir::config::AppRole::Counter;
    let (dir, mut store) = temp_store();
    let hash = hadir::staff::hash_pin("2468").expect("hash");
    store
        .add_staff(
            "ani",
            StaffRole::Counter,
            &hash,
            "2026-11-29T07:00:00+08:00",
        )
        .expect("adds");
    let mut seat = CounterSeat::default();
    let signed_in = seat
        .sign_in(&mut store, "ani", "2468", &at(9, 0), &config)
        .expect("answers");
    assert!(
        matches!(signed_in, SignInResult::SignedIn { .. }),
        "{signed_in:?}"
    );
    let desk = seat
        .choose(&mut store, 2, services, &at(9, 0), &config)
        .expect("counter 2");
    assert_eq!(desk.staff, "ani");
    (
        dir,
        Mutex::new(store),
        HubLink::new(HubUrl::new(url)),
        config,
        desk,
    )
}

async fn act(
    machine: &(tempfile::TempDir, Mutex<Store>, HubLink, Config, Desk),
    action: CounterAction,
    minute: i8,
) -> hadir::Result<Acted> {
    let (_, store, link, config, desk) = machine;
    counter_desk::act(link, store, desk, action, &at(9, minute), config).await
}

fn outbox(store: &Mutex<Store>) -> Vec<OutboxEvent> {
    store
        .lock()
        .expect("store")
        .outbox_batch(100)
        .expect("reads")
}

#[tokio::test]
async fn a_counter_calls_the_kiosks_tickets_with_masked_names_and_pushes_its_events() {
    let Some(pg) = postgres() else { return };
    // Bookings 1 and 4: penggantian, two applicants each, checked in at a kiosk in hub mode.
    let kiosk = HubKiosk::open(hub_config(1, Some(&pg.url()), 5_000), &feed(1..5), true);
    let mut labels = Vec::new();
    for n in [1, 4] {
        let (result, _) = kiosk
            .scan(&code_for(n), &at(8, 30 + n as i8))
            .await
            .expect("checks in");
        labels.extend(result.tickets.iter().map(|t| t.label.clone()));
    }
    assert_eq!(labels.len(), 4);
    let machine = counter_machine(&pg.url(), &[Service::Penggantian]);
    let (_, store, link, config, desk) = &machine;

    let screen = counter_desk::look(link, desk, &at(9, 0), config)
        .await
        .expect("looks");
    assert_eq!(screen.ticket, None);
    assert_eq!(
        (screen.waiting[0].regular, screen.waiting[0].priority),
        (4, 0)
    );

    let called = act(&machine, CounterAction::CallNext, 1)
        .await
        .expect("calls");
    assert_eq!(called.label, labels[0]);
    let in_hand = called.screen.ticket.clone().expect("in hand");
    assert_eq!(
        in_hand.masked_name.as_deref(),
        Some(mask_name("PEMOHON HUB 1 0").as_str()),
        "the name as the kiosk showed it"
    );
    assert_ne!(in_hand.masked_name.as_deref(), Some("PEMOHON HUB 1 0"));
    assert_eq!(in_hand.staff.as_deref(), Some("ani"));
    assert_eq!(called.screen.waiting[0].regular, 3);

    let refused = act(&machine, CounterAction::NoShow, 2)
        .await
        .expect_err("not called again yet");
    assert_eq!(refused.code(), "counter_call_again_first");
    assert!(refused.to_string().contains("0 of 2"), "{refused}");
    let busy = act(&machine, CounterAction::CallNext, 2)
        .await
        .expect_err("a ticket in hand");
    assert_eq!(busy.code(), "counter_busy");
    for minute in [3, 4] {
        act(&machine, CounterAction::CallAgain, minute)
            .await
            .expect("calls again");
    }
    let marked = act(&machine, CounterAction::NoShow, 5)
        .await
        .expect("no-show after two calls again");
    assert_eq!(marked.label, labels[0]);
    assert_eq!(marked.screen.ticket, None);

    act(&machine, CounterAction::CallNext, 6)
        .await
        .expect("calls");
    let serving = act(&machine, CounterAction::Start, 7)
        .await
        .expect("starts");
    assert_eq!(
        serving.screen.ticket.as_ref().map(|t| t.state),
        Some(CallState::Serving)
    );
    let again = act(&machine, CounterAction::CallAgain, 8)
        .await
        .expect_err("being served");
    assert_eq!(again.code(), "counter_already_serving");
    let finished = act(&machine, CounterAction::Finish, 9)
        .await
        .expect("finishes");
    assert_eq!(finished.label, labels[1]);

    act(&machine, CounterAction::CallNext, 10)
        .await
        .expect("calls");
    let same = act(
        &machine,
        CounterAction::Transfer {
            to: Service::Penggantian,
        },
        11,
    )
    .await
    .expect_err("the same service");
    assert_eq!(same.code(), "counter_transfer_same_service");
    let sent = act(&machine, CounterAction::Transfer { to: Service::Baru }, 11)
        .await
        .expect("transfers");
    assert_eq!(
        (sent.label.as_str(), sent.service),
        (labels[2].as_str(), Service::Baru)
    );
    assert_eq!(sent.screen.ticket, None);
    assert_eq!(
        sent.screen.waiting[0].regular, 1,
        "only the last one waits here"
    );

    act(&machine, CounterAction::CallNext, 12)
        .await
        .expect("calls the last");
    act(&machine, CounterAction::Finish, 13)
        .await
        .expect("finishes");
    let nobody = act(&machine, CounterAction::CallNext, 14)
        .await
        .expect_err("nobody waits for penggantian");
    assert_eq!(nobody.code(), "counter_nobody_waiting");
    let none = act(&machine, CounterAction::Finish, 14)
        .await
        .expect_err("nothing in hand");
    assert_eq!(none.code(), "counter_no_ticket");

    // The counter machine's outbox: every call, finish and no-show, with the hub's nonces.
    let events = outbox(store);
    let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(
        kinds,
        ["call", "call", "call", "no_show", "call", "finish", "call", "call", "finish"]
    );
    let hub_rows = pg_client(&pg.url())
        .await
        .query("SELECT nonce, kind, body FROM call_events ORDER BY id", &[])
        .await
        .expect("reads");
    let hub_events: Vec<(String, String, String)> = hub_rows
        .iter()
        .map(|row| (row.get(0), row.get(1), row.get(2)))
        .collect();
    let ours: Vec<(String, String, String)> = events
        .iter()
        .map(|e| (e.nonce.clone(), e.kind.clone(), e.body.clone()))
        .collect();
    assert_eq!(ours, hub_events, "the same events, nonces and bodies");
    for event in &events {
        assert!(
            !event.body.contains("PEMOHON"),
            "nothing personal: {}",
            event.body
        );
    }

    // Who called: the staff name on each call and on the ticket.
    let staff: Vec<Option<String>> = pg_client(&pg.url())
        .await
        .query("SELECT staff FROM calls ORDER BY id", &[])
        .await
        .expect("reads")
        .iter()
        .map(|row| row.get(0))
        .collect();
    assert_eq!(staff.len(), 6);
    assert!(
        staff.iter().all(|s| s.as_deref() == Some("ani")),
        "{staff:?}"
    );
}

#[tokio::test]
async fn a_hub_that_does_not_answer_changes_nothing_and_says_so() {
    let Some(pg) = postgres() else { return };
    let kiosk = HubKiosk::open(hub_config(1, Some(&pg.url()), 5_000), &feed(1..2), true);
    kiosk
        .scan(&code_for(1), &at(8, 30))
        .await
        .expect("checks in");
    let machine = counter_machine(&pg.url(), &[Service::Penggantian]);
    let (_, store, _, config, desk) = &machine;
    // Nothing listens on port 9: the same counter, cut off from the hub.
    let mut cut_off = config.clone();
    cut_off.hub.timeout_ms = 500;
    let dead = HubLink::new(HubUrl::new("postgres://hadir@127.0.0.1:9/hadir"));
    let error = counter_desk::act(
        &dead,
        store,
        desk,
        CounterAction::CallNext,
        &at(9, 0),
        &cut_off,
    )
    .await
    .expect_err("no hub");
    assert_eq!(error.code(), "counter_hub_unreachable");
    assert!(error
        .next_step()
        .id
        .to_lowercase()
        .contains("periksa jaringan ke server kantor, lalu coba lagi"));
    assert!(outbox(store).is_empty(), "nothing recorded");
    let waiting = pg_client(&pg.url())
        .await
        .query_one("SELECT count(*) FROM calls", &[])
        .await
        .expect("reads")
        .get::<_, i64>(0);
    assert_eq!(waiting, 0, "nobody called");
    // Back on the hub: the ticket is still there to call.
    let called = act(&machine, CounterAction::CallNext, 1)
        .await
        .expect("calls");
    assert!(called.screen.ticket.is_some());
}

#[tokio::test]
async fn a_check_in_replayed_after_a_split_carries_its_masked_name() {
    let Some(pg) = postgres() else { return };
    // The kiosk cannot reach the hub at first: it numbers from its block.
    let mut config = hub_config(1, Some("postgres://hadir@127.0.0.1:9/hadir"), 300);
    config.hub.retry_seconds = 1;
    let kiosk = HubKiosk::open(config, &feed(1..2), true);
    let (result, _) = kiosk
        .scan(&code_for(1), &at(8, 30))
        .await
        .expect("checks in offline");
    assert_eq!(kiosk.pending(), 2);
    let pending = kiosk
        .store
        .lock()
        .expect("store")
        .hub_pending(10)
        .expect("reads");
    assert_eq!(
        pending[0].masked_name.as_deref(),
        Some(mask_name("PEMOHON HUB 1 0").as_str())
    );
    let mut client = hub::connect(&HubUrl::new(pg.url()), Duration::from_secs(5))
        .await
        .expect("the hub answers");
    hub::replay(&mut client, common::OFFICE, "K02", &pending)
        .await
        .expect("replays");
    let machine = counter_machine(&pg.url(), &[Service::Penggantian]);
    let called = act(&machine, CounterAction::CallNext, 1)
        .await
        .expect("calls the replayed ticket");
    assert_eq!(called.label, result.tickets[0].label);
    assert_eq!(
        called.screen.ticket.and_then(|t| t.masked_name),
        Some(mask_name("PEMOHON HUB 1 0"))
    );
}
