//! People ahead and the estimated wait on the kiosk's result and ticket (issue #18), against a
//! real PostgreSQL hub: the kiosk's scan path asks the hub after it numbered a check-in; a
//! ticket numbered without the hub (hub down, standalone kiosk) has neither.

use std::time::{Duration, Instant};

use hadir::config::HubUrl;
use hadir::hub::{self, CallNext, Desk};
use hadir::model::Service;
use hadir::queue_times::{QueueOutlook, WaitEstimate, MIN_FINISHED_FOR_ESTIMATE};
use hadir::scan_result::{PendingPrint, ScanResult};
use hadir::ticket::Block;

mod common;

use common::hub::{code_for, feed, hub_config, HubKiosk};
use common::{at, pg_client, postgres};

/// Bookings of one applicant, service baru, regular lane (`common::hub::feed`: n % 3 == 0 is
/// baru with one applicant; n % 11 == 0 a priority one).
const BARU: [usize; 12] = [3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 36, 39];

fn desk(counter: i32) -> Desk {
    Desk {
        counter,
        services: vec![Service::Baru],
        staff: "LOKET".into(),
    }
}

/// The ticket's printed text lines (what every sink renders).
fn ticket_texts(pending: &[PendingPrint]) -> Vec<String> {
    pending[0]
        .ticket
        .layout()
        .into_iter()
        .filter_map(|block| match block {
            Block::Text(line) => Some(line.text),
            Block::Qr(_) => None,
        })
        .collect()
}

/// The result screen's lines as the page receives them (`ahead_lines`, Bahasa Indonesia).
fn screen_lines(result: &ScanResult) -> Vec<String> {
    let json = serde_json::to_value(&result.tickets[0]).expect("serialises");
    json["ahead_lines"]
        .as_array()
        .expect("ahead_lines is a list")
        .iter()
        .map(|line| line["id"].as_str().expect("a text").to_owned())
        .collect()
}

#[tokio::test]
async fn the_count_then_the_estimate_once_the_day_has_enough_finished_services() {
    let Some(pg) = postgres() else { return };
    let kiosk = HubKiosk::open(hub_config(0, Some(&pg.url()), 5_000), &feed(0..40), true);
    // Three baru tickets ahead, and one of another service, which does not count.
    for (n, minute) in [(BARU[0], 40), (BARU[1], 41), (4, 42), (BARU[2], 43)] {
        kiosk
            .scan(&code_for(n), &at(8, minute))
            .await
            .expect("checks in at the hub");
    }
    let (result, pending) = kiosk
        .scan(&code_for(BARU[3]), &at(8, 44))
        .await
        .expect("checks in");
    assert_eq!(result.verdict.code(), "ok");
    assert_eq!(
        result.tickets[0].queue_outlook,
        Some(QueueOutlook {
            people_ahead: 3,
            estimate: None
        }),
        "nobody served yet: the count alone"
    );
    assert_eq!(screen_lines(&result), ["Di depan Anda: 3 orang"]);
    let printed = ticket_texts(&pending);
    assert!(
        printed.iter().any(|t| t == "3 orang di depan Anda"),
        "{printed:?}"
    );
    assert!(
        !printed.iter().any(|t| t.contains("sekitar")),
        "{printed:?}"
    );

    // Counter 1 serves the four baru tickets and four more, two minutes each, from 09:00.
    for (n, minute) in BARU[4..8].iter().zip(45..) {
        kiosk
            .scan(&code_for(*n), &at(8, minute))
            .await
            .expect("checks in");
    }
    let mut client = hub::connect(&HubUrl::new(pg.url()), Duration::from_secs(5))
        .await
        .expect("the hub answers");
    let config = &kiosk.config;
    let served = MIN_FINISHED_FOR_ESTIMATE as i8;
    for k in 0..served {
        let called = hub::call_next(&mut client, &desk(1), &at(9, 2 * k), config)
            .await
            .expect("calls");
        assert!(matches!(called, CallNext::Called { .. }), "{called:?}");
        hub::finish(&mut client, 1, &at(9, 2 * k + 2), config)
            .await
            .expect("finishes")
            .expect("in hand");
    }
    // Eight checked in, five served: three wait ahead of the next one, at one counter open
    // (it called within the half hour), every service two minutes.
    let (result, pending) = kiosk
        .scan(&code_for(BARU[8]), &at(9, 12))
        .await
        .expect("checks in");
    let estimate = WaitEstimate {
        low_minutes: 5,   // 3 x 2 min = 6, rounded down to 5
        high_minutes: 10, // (3 + 1) x 2 min = 8, rounded up to 10
    };
    assert_eq!(
        result.tickets[0].queue_outlook,
        Some(QueueOutlook {
            people_ahead: 3,
            estimate: Some(estimate)
        })
    );
    assert_eq!(
        screen_lines(&result),
        [
            "Di depan Anda: 3 orang",
            "Perkiraan waktu tunggu: sekitar 5-10 menit"
        ]
    );
    let printed = ticket_texts(&pending);
    for expected in ["3 orang di depan Anda", "sekitar 5-10 menit"] {
        assert!(
            printed.iter().any(|t| t == expected),
            "{expected}: {printed:?}"
        );
    }
}

#[tokio::test]
async fn a_priority_ticket_goes_ahead_of_the_regular_ones_waiting() {
    let Some(pg) = postgres() else { return };
    let kiosk = HubKiosk::open(hub_config(0, Some(&pg.url()), 5_000), &feed(0..40), true);
    for (n, minute) in [(BARU[0], 40), (BARU[1], 41)] {
        kiosk
            .scan(&code_for(n), &at(8, minute))
            .await
            .expect("checks in");
    }
    // Booking 33: baru, its applicant in the priority lane.
    let (result, pending) = kiosk
        .scan(&code_for(33), &at(8, 42))
        .await
        .expect("checks in");
    assert!(result.tickets[0].priority);
    assert_eq!(
        result.tickets[0].queue_outlook.map(|o| o.people_ahead),
        Some(0)
    );
    assert_eq!(
        screen_lines(&result),
        ["Tidak ada yang menunggu di depan Anda"]
    );
    let printed = ticket_texts(&pending);
    assert!(
        printed
            .iter()
            .any(|t| t == "tidak ada yang menunggu di depan Anda"),
        "{printed:?}"
    );
}

#[tokio::test]
async fn an_outlook_the_hub_cannot_give_leaves_the_lines_out_and_the_hub_online() {
    let Some(pg) = postgres() else { return };
    let kiosk = HubKiosk::open(hub_config(0, Some(&pg.url()), 5_000), &feed(0..10), true);
    kiosk
        .scan(&code_for(BARU[0]), &at(8, 40))
        .await
        .expect("checks in and sets the hub up");
    // The claim never reads the calls; the outlook does, and now fails.
    pg_client(&pg.url())
        .await
        .batch_execute("ALTER TABLE calls RENAME TO calls_elsewhere")
        .await
        .expect("renames");
    let (result, pending) = kiosk
        .scan(&code_for(BARU[1]), &at(8, 41))
        .await
        .expect("no error for the applicant");
    assert_eq!(result.verdict.code(), "ok");
    assert!(
        result.tickets[0].label.ends_with("-002"),
        "the hub's own number, not the block: {}",
        result.tickets[0].label
    );
    assert_eq!(kiosk.pending(), 0, "the hub holds the check-in");
    assert!(
        kiosk.link.state().online,
        "the claim's answer sets the link"
    );
    assert_eq!(result.tickets[0].queue_outlook, None);
    assert!(screen_lines(&result).is_empty());
    assert!(!ticket_texts(&pending).join("\n").contains("di depan Anda"));
}

#[tokio::test]
async fn a_slow_outlook_never_holds_the_number_past_the_hub_budget() {
    let Some(pg) = postgres() else { return };
    let budget = Duration::from_millis(1_500);
    let kiosk = HubKiosk::open(
        hub_config(0, Some(&pg.url()), budget.as_millis() as u64),
        &feed(0..10),
        true,
    );
    kiosk
        .scan(&code_for(BARU[0]), &at(8, 40))
        .await
        .expect("checks in and sets the hub up");
    // The day's records read this for every ticket: 20 s each, far past the budget.
    pg_client(&pg.url())
        .await
        .batch_execute(
            "CREATE OR REPLACE FUNCTION walkin_turned_away(checkin bigint) RETURNS boolean
             LANGUAGE plpgsql VOLATILE AS $$ BEGIN PERFORM pg_sleep(20); RETURN false; END $$",
        )
        .await
        .expect("slows the hub");
    let started = Instant::now();
    let (result, _) = kiosk
        .scan(&code_for(BARU[1]), &at(8, 41))
        .await
        .expect("no error for the applicant");
    let took = started.elapsed();
    assert_eq!(result.verdict.code(), "ok");
    assert_eq!(kiosk.pending(), 0, "numbered by the hub");
    assert_eq!(result.tickets[0].queue_outlook, None);
    assert!(
        took < Duration::from_secs(10),
        "the scan gave up on the outlook with the budget ({budget:?}), not after the hub's 20 s: \
         {took:?}"
    );
}

#[tokio::test]
async fn a_hub_that_does_not_answer_leaves_the_lines_out_and_the_check_in_stands() {
    // Nothing listens on this port: the hub is down.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let url = format!(
        "postgres://hadir@127.0.0.1:{}/hadir",
        closed.local_addr().expect("addr").port()
    );
    drop(closed);
    let kiosk = HubKiosk::open(hub_config(0, Some(&url), 500), &feed(0..10), true);
    let (result, pending) = kiosk
        .scan(&code_for(BARU[0]), &at(8, 40))
        .await
        .expect("numbered from the kiosk's block");
    assert_eq!(result.verdict.code(), "ok");
    assert_eq!(kiosk.pending(), 1, "queued for the hub");
    assert_eq!(result.tickets[0].queue_outlook, None);
    assert!(screen_lines(&result).is_empty());
    let printed = ticket_texts(&pending).join("\n");
    assert!(!printed.contains("di depan Anda"), "{printed}");
}

#[tokio::test]
async fn a_standalone_kiosk_shows_no_people_ahead() {
    let kiosk = HubKiosk::open(hub_config(0, None, 500), &feed(0..10), true);
    for n in [BARU[0], BARU[1]] {
        let (result, pending) = kiosk.scan(&code_for(n), &at(8, 40)).await.expect("ok");
        assert_eq!(result.verdict.code(), "ok");
        assert_eq!(result.tickets[0].queue_outlook, None);
        assert!(screen_lines(&result).is_empty());
        let printed = ticket_texts(&pending).join("\n");
        assert!(!printed.contains("di depan Anda"), "{printed}");
    }
}
