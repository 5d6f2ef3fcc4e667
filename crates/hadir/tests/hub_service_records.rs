//! The office's tickets as the queue-time rules read them (`hub::service_records`) and the
//! counters open (`hub::counters_open`), against a real PostgreSQL server: check-ins made by a
//! kiosk's scan path, then called, finished and marked no-show by a counter.

use std::time::Duration;

use hadir::config::HubUrl;
use hadir::hub::{self, CallNext, Desk, NoShow};
use hadir::model::Service;

mod common;

use common::hub::{code_for, feed, hub_config, HubKiosk};
use common::{at, day, postgres};

#[tokio::test]
async fn records_follow_each_ticket_from_check_in_to_finish_or_no_show() {
    let Some(pg) = postgres() else { return };
    let kiosk = HubKiosk::open(hub_config(0, Some(&pg.url()), 5_000), &feed(0..10), true);
    // Bookings 3, 6 and 9: one applicant each, service baru, none in the priority lane.
    for (n, minute) in [(3, 50), (6, 51), (9, 52)] {
        kiosk
            .scan(&code_for(n), &at(8, minute))
            .await
            .expect("checks in at the hub");
    }
    let config = &kiosk.config;
    let mut client = hub::connect(&HubUrl::new(pg.url()), Duration::from_secs(5))
        .await
        .expect("the hub answers");
    let desk = Desk {
        counter: 4,
        services: vec![Service::Baru],
        staff: "ani".into(),
    };
    let now = at(9, 0);
    assert!(matches!(
        hub::call_next(&mut client, &desk, &now, config)
            .await
            .expect("calls"),
        CallNext::Called { .. }
    ));
    hub::finish(&mut client, 4, &at(9, 10), config)
        .await
        .expect("finishes")
        .expect("in hand");
    hub::call_next(&mut client, &desk, &at(9, 11), config)
        .await
        .expect("calls");
    for _ in 0..config.calling.no_show_after_recalls {
        hub::call_again(&mut client, 4, &at(9, 12), config)
            .await
            .expect("calls again");
    }
    assert!(matches!(
        hub::no_show(&mut client, 4, &at(9, 15), config)
            .await
            .expect("marks"),
        NoShow::Marked { .. }
    ));

    let records = hub::service_records(&client, config, day(), day())
        .await
        .expect("reads");
    assert_eq!(records.len(), 3, "{records:?}");
    let [served, absent, waiting] = &records[..] else {
        unreachable!()
    };
    assert_eq!(served.waiting_seconds(), Some(10 * 60), "08:50 -> 09:00");
    assert_eq!(served.service_seconds(), Some(10 * 60), "09:00 -> 09:10");
    assert_eq!(served.counter, Some(4));
    assert!(absent.no_show && absent.service_seconds().is_none());
    assert_eq!(
        absent.waiting_seconds(),
        Some(20 * 60),
        "08:51 -> 09:11, recalls do not move it"
    );
    assert!(waiting.is_waiting() && waiting.service == Service::Baru);
    assert!(
        served.checked_in_at < absent.checked_in_at && absent.checked_in_at < waiting.checked_in_at
    );
    // Another day holds none of them.
    let tomorrow = day().tomorrow().expect("a day");
    assert!(hub::service_records(&client, config, tomorrow, tomorrow)
        .await
        .expect("reads")
        .is_empty());

    assert_eq!(
        hub::counters_open(&client, config, &at(9, 20))
            .await
            .expect("counts"),
        1,
        "counter 4 called at 09:11"
    );
    assert_eq!(
        hub::counters_open(&client, config, &at(10, 0))
            .await
            .expect("counts"),
        0,
        "nobody called for half an hour and nothing in hand"
    );
}
