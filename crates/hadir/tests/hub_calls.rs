//! Calling tickets at the counters, against a real PostgreSQL server (`temp-postgres`): who is
//! next (lanes, fairness, first come first served, slots), counters racing for the same queue
//! (each ticket called once), a transfer keeping its number, no-show only after the calls
//! again, the NOTIFY the displays listen for. Tickets reach the hub as the kiosks' claims do.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use hadir::config::HubUrl;
use hadir::hub::{
    self, CallNext, CallState, Claim, ClaimApplicant, Desk, HubAnswer, NoShow, QueueWaiting,
    CALLS_CHANNEL,
};
use hadir::model::Service;
use hadir::Config;
use tokio_postgres::{AsyncMessage, Client};

mod common;

use common::hub::hub_config;
use common::{at, day, pg_client, postgres};

static BOOKINGS: AtomicUsize = AtomicUsize::new(0);

async fn connect(url: &str) -> Client {
    hub::connect(&HubUrl::new(url), Duration::from_secs(5))
        .await
        .expect("the hub answers")
}

fn office(url: &str) -> Config {
    hub_config(0, Some(url), 5_000)
}

/// One applicant checked in at `hour:minute` for `service`, in the priority lane or not, as a
/// kiosk's claim records it; its label.
async fn check_in(
    client: &mut Client,
    config: &Config,
    service: Service,
    priority: bool,
    (hour, minute): (i8, i8),
    slot_start: Option<(i8, i8)>,
) -> String {
    let n = BOOKINGS.fetch_add(1, Ordering::Relaxed);
    let code = format!("CALL{n:06}");
    let queue = if priority {
        config.queues.priority.clone()
    } else {
        hadir::queue::queue_for(&config.queues, service, &[None]).to_string()
    };
    let slot_start = slot_start.map(|(hour, minute)| hadir::model::rfc3339(&at(hour, minute)));
    let claim = Claim {
        office: &config.office.id,
        office_date: day(),
        booking_code: &code,
        queue: &queue,
        kiosk: &config.kiosk.id,
        at: &hadir::model::rfc3339(&at(hour, minute)),
        service: service.as_str(),
        applicants: vec![ClaimApplicant {
            nonce: format!("nonce-{code}"),
            priority: priority.then_some("lansia"),
            masked_name: Some(format!("PEMOHON {n}***")),
        }],
        reserved: (
            config.hub.reserved_from as i32,
            config.hub.reserved_to as i32,
        ),
        slot_start: slot_start.as_deref(),
    };
    match hub::claim(client, &claim).await.expect("claims") {
        HubAnswer::Issued(numbers) => hub::label(&queue, numbers[0]),
        other => panic!("{other:?}"),
    }
}

fn desk(counter: i32, services: &[Service]) -> Desk {
    Desk {
        counter,
        services: services.to_vec(),
        staff: format!("staff-{counter}"),
    }
}

/// Calls next and finishes it at once; the label called, `None` when nobody waits.
async fn call_and_finish(
    client: &mut Client,
    desk: &Desk,
    now: (i8, i8),
    config: &Config,
) -> Option<String> {
    let now = at(now.0, now.1);
    match hub::call_next(client, desk, &now, config)
        .await
        .expect("calls")
    {
        CallNext::Called { call } => {
            hub::finish(client, desk.counter, &now, config)
                .await
                .expect("finishes")
                .expect("the called ticket");
            Some(call.label)
        }
        CallNext::NobodyWaiting => None,
        CallNext::Busy { ticket } => panic!("busy with {ticket:?}"),
    }
}

#[tokio::test]
async fn priority_first_with_at_most_k_in_a_row_and_only_the_counters_services() {
    let Some(pg) = postgres() else { return };
    let mut client = connect(&pg.url()).await;
    let mut config = office(&pg.url());
    config.calling.priority_streak_max = 2;
    let a1 = check_in(&mut client, &config, Service::Baru, false, (8, 0), None).await;
    let a2 = check_in(&mut client, &config, Service::Baru, false, (8, 1), None).await;
    let other = check_in(
        &mut client,
        &config,
        Service::Penggantian,
        false,
        (7, 50),
        None,
    )
    .await;
    let mut priority = Vec::new();
    for minute in 5..10 {
        priority.push(check_in(&mut client, &config, Service::Baru, true, (8, minute), None).await);
    }
    let baru = desk(1, &[Service::Baru]);
    let mut called = Vec::new();
    while let Some(label) = call_and_finish(&mut client, &baru, (9, 0), &config).await {
        called.push(label);
    }
    let expected = [
        &priority[0],
        &priority[1],
        &a1,
        &priority[2],
        &priority[3],
        &a2,
        &priority[4],
    ];
    assert_eq!(called.iter().collect::<Vec<_>>(), expected);
    assert!(
        !called.contains(&other),
        "a service this counter does not serve"
    );
    let counts = hub::waiting_counts(
        &mut client,
        &[Service::Baru, Service::Penggantian],
        &at(9, 0),
        &config,
    )
    .await
    .expect("counts");
    assert_eq!(
        counts,
        vec![
            QueueWaiting {
                service: Service::Baru,
                priority: 0,
                regular: 0
            },
            QueueWaiting {
                service: Service::Penggantian,
                priority: 0,
                regular: 1
            },
        ]
    );
    let both = desk(2, &[Service::Baru, Service::Penggantian]);
    assert_eq!(
        call_and_finish(&mut client, &both, (9, 1), &config).await,
        Some(other)
    );
}

#[tokio::test]
async fn bookings_are_held_until_their_slot_when_the_office_says_so() {
    let Some(pg) = postgres() else { return };
    let mut client = connect(&pg.url()).await;
    let mut config = office(&pg.url());
    config.calling.hold_bookings_until_slot = true;
    let early = check_in(
        &mut client,
        &config,
        Service::Baru,
        false,
        (8, 0),
        Some((10, 0)),
    )
    .await;
    let walk_in = check_in(&mut client, &config, Service::Baru, false, (8, 5), None).await;
    let baru = desk(1, &[Service::Baru]);
    assert_eq!(
        call_and_finish(&mut client, &baru, (9, 0), &config).await,
        Some(walk_in)
    );
    assert_eq!(
        call_and_finish(&mut client, &baru, (9, 59), &config).await,
        None,
        "nobody is called before the slot"
    );
    assert_eq!(
        call_and_finish(&mut client, &baru, (10, 0), &config).await,
        Some(early)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn counters_racing_call_each_ticket_once() {
    let Some(pg) = postgres() else { return };
    let config = Arc::new(office(&pg.url()));
    let mut client = connect(&pg.url()).await;
    let tickets = 40;
    for n in 0..tickets {
        let service = [Service::Baru, Service::Penggantian][n % 2];
        check_in(
            &mut client,
            &config,
            service,
            n % 5 == 0,
            (8, (n % 60) as i8),
            None,
        )
        .await;
    }
    let mut tasks = Vec::new();
    for counter in 1..=6 {
        let (config, url) = (Arc::clone(&config), pg.url());
        tasks.push(tokio::spawn(async move {
            let mut client = connect(&url).await;
            let desk = desk(counter, &[Service::Baru, Service::Penggantian]);
            let mut called = Vec::new();
            while let Some(label) = call_and_finish(&mut client, &desk, (9, 0), &config).await {
                called.push(label);
            }
            called
        }));
    }
    let mut called = Vec::new();
    let mut counters_that_called = 0;
    for task in tasks {
        let labels = task.await.expect("a counter ends");
        counters_that_called += usize::from(!labels.is_empty());
        called.extend(labels);
    }
    assert_eq!(called.len(), tickets, "every ticket called: {called:?}");
    called.sort_unstable();
    called.dedup();
    assert_eq!(called.len(), tickets, "no ticket called twice");
    assert!(counters_that_called > 1, "the counters really raced");
    let calls: i64 = client
        .query_one("SELECT count(*) FROM calls", &[])
        .await
        .expect("reads")
        .get(0);
    assert_eq!(calls, tickets as i64);
}

#[tokio::test]
async fn a_transfer_keeps_the_number_and_its_place_or_goes_to_the_end() {
    let Some(pg) = postgres() else { return };
    let mut client = connect(&pg.url()).await;
    for keeps_place in [true, false] {
        let mut config = office(&pg.url());
        config.office.id = format!("OFFICE-{keeps_place}");
        config.calling.transfer_keeps_place = keeps_place;
        let a1 = check_in(&mut client, &config, Service::Baru, false, (8, 0), None).await;
        let b1 = check_in(
            &mut client,
            &config,
            Service::Penggantian,
            false,
            (8, 1),
            None,
        )
        .await;
        let b2 = check_in(
            &mut client,
            &config,
            Service::Penggantian,
            false,
            (8, 10),
            None,
        )
        .await;
        let baru = desk(1, &[Service::Baru]);
        let now = at(9, 0);
        let CallNext::Called { call } = hub::call_next(&mut client, &baru, &now, &config)
            .await
            .expect("calls")
        else {
            panic!("A-001 waits")
        };
        assert_eq!(call.label, a1);
        hub::start(&mut client, 1, &now, &config)
            .await
            .expect("starts")
            .expect("in hand");
        let moved = hub::transfer(&mut client, 1, Service::Penggantian, &at(9, 5), &config)
            .await
            .expect("transfers")
            .expect("in hand");
        assert_eq!(
            (moved.label.as_str(), moved.state),
            (a1.as_str(), CallState::Waiting)
        );
        let penggantian = desk(2, &[Service::Penggantian]);
        let mut order = Vec::new();
        while let Some(label) = call_and_finish(&mut client, &penggantian, (9, 6), &config).await {
            order.push(label);
        }
        let expected = if keeps_place {
            vec![a1.clone(), b1, b2]
        } else {
            vec![b1, b2, a1.clone()]
        };
        assert_eq!(order, expected, "transfer_keeps_place = {keeps_place}");
        assert_eq!(
            call_and_finish(&mut client, &baru, (9, 7), &config).await,
            None,
            "it left the baru queue"
        );
    }
}

#[tokio::test]
async fn no_show_only_after_the_calls_again_and_a_busy_counter_calls_nobody_new() {
    let Some(pg) = postgres() else { return };
    let mut client = connect(&pg.url()).await;
    let mut config = office(&pg.url());
    config.calling.no_show_after_recalls = 2;
    let first = check_in(&mut client, &config, Service::Baru, false, (8, 0), None).await;
    let second = check_in(&mut client, &config, Service::Baru, false, (8, 1), None).await;
    let baru = desk(3, &[Service::Baru]);
    let now = at(9, 0);
    assert!(matches!(
        hub::call_next(&mut client, &baru, &now, &config)
            .await
            .expect("calls"),
        CallNext::Called { .. }
    ));
    match hub::call_next(&mut client, &baru, &now, &config)
        .await
        .expect("answers")
    {
        CallNext::Busy { ticket } => assert_eq!(ticket.label, first),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        hub::no_show(&mut client, 3, &now, &config)
            .await
            .expect("answers"),
        NoShow::CallAgainFirst {
            recalls: 0,
            needed: 2
        }
    );
    for recall in 1..=2 {
        let call = hub::call_again(&mut client, 3, &at(9, recall as i8), &config)
            .await
            .expect("calls again")
            .expect("called");
        assert_eq!((call.label.as_str(), call.recall), (first.as_str(), recall));
    }
    match hub::no_show(&mut client, 3, &at(9, 3), &config)
        .await
        .expect("answers")
    {
        NoShow::Marked { ticket } => {
            assert_eq!(
                (ticket.label.as_str(), ticket.state),
                (first.as_str(), CallState::NoShow)
            )
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        hub::no_show(&mut client, 3, &at(9, 3), &config)
            .await
            .expect("answers"),
        NoShow::NoTicket
    );
    assert_eq!(
        call_and_finish(&mut client, &baru, (9, 4), &config).await,
        Some(second.clone()),
        "a no-show is not called again"
    );
    assert_eq!(
        call_and_finish(&mut client, &baru, (9, 5), &config).await,
        None
    );
    // Each step's event for the gateway, in order, with nothing personal in it.
    let events: Vec<serde_json::Value> = client
        .query("SELECT body FROM call_events ORDER BY id", &[])
        .await
        .expect("reads")
        .iter()
        .map(|row| serde_json::from_str(row.get::<_, &str>(0)).expect("json"))
        .collect();
    let summary: Vec<(String, String, Option<i64>)> = events
        .iter()
        .map(|e| {
            assert_eq!(
                (e["counter"].as_i64(), e["service"].as_str()),
                (Some(3), Some("baru"))
            );
            assert!(e["nonce"].as_str().is_some_and(|n| n.len() == 36), "{e}");
            (
                e["kind"].as_str().unwrap_or_default().to_string(),
                e["ticket"].as_str().unwrap_or_default().to_string(),
                e["recall"].as_i64().or(e["recalls"].as_i64()),
            )
        })
        .collect();
    let step = |kind: &str, ticket: &str, n: Option<i64>| (kind.to_string(), ticket.to_string(), n);
    assert_eq!(
        summary,
        vec![
            step("call", &first, Some(0)),
            step("call", &first, Some(1)),
            step("call", &first, Some(2)),
            step("no_show", &first, Some(2)),
            step("call", &second, Some(0)),
            step("finish", &second, None),
        ]
    );
}

#[tokio::test]
async fn each_call_and_call_again_is_announced_with_its_id() {
    let Some(pg) = postgres() else { return };
    let mut client = connect(&pg.url()).await;
    let config = office(&pg.url());
    let (display, mut connection) = tokio_postgres::connect(&pg.url(), tokio_postgres::NoTls)
        .await
        .expect("the display connects");
    let (sent, mut heard) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Some(message) = std::future::poll_fn(|cx| connection.poll_message(cx)).await {
            if let Ok(AsyncMessage::Notification(note)) = message {
                let _ = sent.send((note.channel().to_string(), note.payload().to_string()));
            }
        }
    });
    display
        .batch_execute(&format!("LISTEN {CALLS_CHANNEL}"))
        .await
        .expect("listens");
    check_in(&mut client, &config, Service::Baru, false, (8, 0), None).await;
    let now = at(9, 0);
    let CallNext::Called { call } =
        hub::call_next(&mut client, &desk(1, &[Service::Baru]), &now, &config)
            .await
            .expect("calls")
    else {
        panic!("one waits")
    };
    let again = hub::call_again(&mut client, 1, &now, &config)
        .await
        .expect("calls again")
        .expect("called");
    for expected in [call.call_id, again.call_id] {
        let (channel, payload) = tokio::time::timeout(Duration::from_secs(5), heard.recv())
            .await
            .expect("heard in time")
            .expect("heard");
        assert_eq!(
            (channel.as_str(), payload),
            (CALLS_CHANNEL, expected.to_string())
        );
    }
    let row = pg_client(&pg.url())
        .await
        .query_one(
            "SELECT label, counter, recall FROM calls WHERE id = $1",
            &[&again.call_id],
        )
        .await
        .expect("the call is there");
    assert_eq!(
        (
            row.get::<_, String>(0),
            row.get::<_, i32>(1),
            row.get::<_, i32>(2)
        ),
        (call.label, 1, 1)
    );
}

#[tokio::test]
async fn a_kiosks_scan_brings_the_bookings_slot_to_the_hub() {
    let Some(pg) = postgres() else { return };
    let mut config = hub_config(0, Some(&pg.url()), 5_000);
    config.calling.hold_bookings_until_slot = true;
    // Booking 1: slot 09:00-10:00, penggantian, two applicants.
    let kiosk = common::hub::HubKiosk::open(config.clone(), &common::hub::feed(1..2), true);
    let (result, _) = kiosk
        .scan(&common::hub::code_for(1), &at(8, 30))
        .await
        .expect("scans");
    assert_eq!(result.tickets.len(), 2, "{result:?}");
    let mut client = connect(&pg.url()).await;
    let counter = desk(1, &[Service::Penggantian]);
    assert_eq!(
        call_and_finish(&mut client, &counter, (8, 59), &config).await,
        None,
        "checked in early, not called before 09:00"
    );
    assert_eq!(
        call_and_finish(&mut client, &counter, (9, 0), &config).await,
        Some(result.tickets[0].label.clone())
    );
}

#[tokio::test]
async fn a_walk_in_turned_away_is_never_called() {
    let Some(pg) = postgres() else { return };
    let mut client = connect(&pg.url()).await;
    let config = office(&pg.url());
    let first = check_in(&mut client, &config, Service::Baru, true, (8, 0), None).await;
    let walk_in = check_in(&mut client, &config, Service::Baru, true, (8, 1), None).await;
    let later = check_in(&mut client, &config, Service::Baru, true, (8, 2), None).await;
    let baru = desk(1, &[Service::Baru]);
    // The first call brings all three into the call flow; then staff turn the walk-in away.
    assert_eq!(
        call_and_finish(&mut client, &baru, (9, 0), &config).await,
        Some(first)
    );
    client
        .execute(
            "INSERT INTO walkins (nonce, office, office_date, category, service, pool, quota,
                                  kiosk, label, by_staff, over_quota, turned_away)
             SELECT nonce, office, office_date, 'lansia', service, 'all', 50, kiosk, label,
                    false, false, true
             FROM checkins WHERE label = $1",
            &[&walk_in],
        )
        .await
        .expect("turned away");
    assert_eq!(
        hub::waiting_counts(&mut client, &[Service::Baru], &at(9, 1), &config)
            .await
            .expect("counts"),
        vec![QueueWaiting {
            service: Service::Baru,
            priority: 1,
            regular: 0
        }],
        "the walk-in turned away does not wait"
    );
    assert_eq!(
        call_and_finish(&mut client, &baru, (9, 1), &config).await,
        Some(later)
    );
    assert_eq!(
        call_and_finish(&mut client, &baru, (9, 2), &config).await,
        None
    );
}

#[tokio::test]
async fn the_kiosks_masked_name_reaches_the_counter_and_each_call_records_its_staff() {
    let Some(pg) = postgres() else { return };
    let mut client = connect(&pg.url()).await;
    let config = office(&pg.url());
    let label = check_in(&mut client, &config, Service::Baru, false, (8, 0), None).await;
    let baru = desk(3, &[Service::Baru]);
    let now = at(9, 0);
    let CallNext::Called { call } = hub::call_next(&mut client, &baru, &now, &config)
        .await
        .expect("calls")
    else {
        panic!("one waits")
    };
    assert_eq!(call.label, label);
    let masked = call.masked_name.clone().expect("the kiosk sent it");
    assert!(
        masked.starts_with("PEMOHON ") && masked.ends_with("***"),
        "{masked}"
    );
    let in_hand = hub::ticket_at(&client, 3, &now, &config)
        .await
        .expect("reads")
        .expect("in hand");
    assert_eq!(in_hand.masked_name.as_deref(), Some(masked.as_str()));
    assert_eq!(in_hand.staff.as_deref(), Some("staff-3"));
    hub::call_again(&mut client, 3, &now, &config)
        .await
        .expect("calls again")
        .expect("called");
    let rows = pg_client(&pg.url())
        .await
        .query(
            "SELECT c.staff, t.staff, t.masked_name FROM calls c
             JOIN call_tickets t ON t.checkin_id = c.checkin_id ORDER BY c.id",
            &[],
        )
        .await
        .expect("reads");
    let seen: Vec<(Option<String>, Option<String>, Option<String>)> = rows
        .iter()
        .map(|row| (row.get(0), row.get(1), row.get(2)))
        .collect();
    let expected = (
        Some("staff-3".to_string()),
        Some("staff-3".to_string()),
        Some(masked),
    );
    assert_eq!(seen, [expected.clone(), expected]);
}
