//! The waiting-room display's feed against a real PostgreSQL server (`temp-postgres`): a call
//! a counter makes reaches a listening display at once and is announced; a display started
//! late shows the day's calls silently; a display whose connection the hub ends says so,
//! reconnects and catches up on the calls it missed without announcing them.

use std::sync::Arc;
use std::time::{Duration, Instant};

use hadir::config::HubUrl;
use hadir::hub::{self, CallNext, Desk, DisplayUpdate};
use hadir::model::Service;
use hadir::Config;
use tokio::sync::mpsc;
use tokio_postgres::Client;

mod common;

use common::hub::hub_config;
use common::{at, day, pg_client, postgres};

async fn connect(url: &str) -> Client {
    hub::connect(&HubUrl::new(url), Duration::from_secs(5))
        .await
        .expect("the hub answers")
}

/// A display of the office, hub mode at `url`.
fn display_config(url: &str) -> Config {
    hub_config(0, Some(url), 5_000)
}

/// Checks in ticket `A-<number>` for service baru at 08:00, as a kiosk's claim leaves it at
/// the hub (the columns every hub schema has); its label.
async fn check_in(client: &Client, config: &Config, number: i64) -> String {
    let label = hub::label("A", number);
    client
        .execute(
            "INSERT INTO checkins (office, office_date, booking_code, applicant_index, queue,
                                   number, label, kiosk, at, nonce, service)
             VALUES ($1, $2::text::date, $3, 0, 'A', $4, $5, 'K01', $6::text::timestamptz, $7,
                     'baru')",
            &[
                &config.office.id,
                &day().to_string(),
                &format!("DISPLAY{number:05}"),
                &(number as i32),
                &label,
                &hadir::model::rfc3339(&at(8, 0)),
                &format!("{}-{number}", config.office.id),
            ],
        )
        .await
        .expect("checks in");
    label
}

fn desk(counter: i32) -> Desk {
    Desk {
        counter,
        services: vec![Service::Baru],
        staff: format!("Petugas {counter}"),
    }
}

/// Calls the next ticket at `counter` at 09:00 and finishes it; the call's id.
async fn call_next(client: &mut Client, config: &Config, counter: i32) -> i64 {
    let now = at(9, 0);
    let CallNext::Called { call } = hub::call_next(client, &desk(counter), &now, config)
        .await
        .expect("calls")
    else {
        panic!("a ticket waits")
    };
    hub::finish(client, counter, &now, config)
        .await
        .expect("finishes");
    call.call_id
}

/// A display's feed running in the background, its updates in a channel. Its clock stands at
/// 09:00:05, just after the counters' calls.
fn start_display(config: Config) -> mpsc::UnboundedReceiver<DisplayUpdate> {
    let (tell, updates) = mpsc::unbounded_channel();
    let url = config.hub_url.clone().expect("hub mode");
    let now = at(9, 0).timestamp() + jiff::SignedDuration::from_secs(5);
    tokio::spawn(hub::run_display_feed(
        url,
        config,
        Arc::new(move || now),
        move |update| {
            let _ = tell.send(update);
        },
    ));
    updates
}

/// The next update matching `wanted`, passing over others (all of them are kept in `seen`).
async fn update_where(
    updates: &mut mpsc::UnboundedReceiver<DisplayUpdate>,
    seen: &mut Vec<DisplayUpdate>,
    within: Duration,
    wanted: impl Fn(&DisplayUpdate) -> bool,
) -> DisplayUpdate {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        let update = tokio::time::timeout_at(deadline, updates.recv())
            .await
            .unwrap_or_else(|_| panic!("no such update within {within:?}; saw {seen:#?}"))
            .expect("the feed runs");
        seen.push(update.clone());
        if wanted(&update) {
            return update;
        }
    }
}

fn current(update: &DisplayUpdate) -> Vec<(&str, i32)> {
    update
        .board
        .current
        .iter()
        .map(|c| (c.label.as_str(), c.counter))
        .collect()
}

#[tokio::test]
async fn a_call_reaches_a_listening_display_within_a_second_and_is_announced_each_time() {
    let Some(pg) = postgres() else { return };
    let config = display_config(&pg.url());
    let mut client = connect(&pg.url()).await;
    let mut updates = start_display(config.clone());
    let mut seen = Vec::new();
    let first = update_where(&mut updates, &mut seen, Duration::from_secs(10), |u| {
        u.board.online
    })
    .await;
    assert!(first.board.current.is_empty() && first.news.is_none());

    let label = check_in(&client, &config, 1).await;
    let called = Instant::now();
    let call_id = call_next(&mut client, &config, 2).await;
    let update = update_where(&mut updates, &mut seen, Duration::from_secs(5), |u| {
        u.news.is_some()
    })
    .await;
    let took = called.elapsed();
    assert!(
        took < Duration::from_secs(1),
        "a call must reach the display within a second (took {took:?})"
    );
    let news = update.news.as_ref().expect("news");
    assert_eq!(news.call_id, call_id);
    assert_eq!(current(&update), [(label.as_str(), 2)]);
    let clips: Vec<String> = news
        .announce
        .as_ref()
        .expect("spoken: [display] speech is on by default")
        .clips
        .iter()
        .map(|c| c.path())
        .collect();
    assert_eq!(
        clips,
        [
            "chime.wav",
            "id/ticket_number.wav",
            "id/letter_a.wav",
            "id/digit_0.wav",
            "id/digit_0.wav",
            "id/digit_1.wav",
            "id/go_to_counter.wav",
            "id/digit_2.wav",
        ]
    );

    // Called again: announced again (the counter's first call is finished, so call a new one
    // and call it again).
    check_in(&client, &config, 2).await;
    let now = at(9, 0);
    let CallNext::Called { call } = hub::call_next(&mut client, &desk(2), &now, &config)
        .await
        .expect("calls")
    else {
        panic!("one waits")
    };
    let again = hub::call_again(&mut client, 2, &now, &config)
        .await
        .expect("calls again")
        .expect("called");
    for expected in [call.call_id, again.call_id] {
        let update = update_where(&mut updates, &mut seen, Duration::from_secs(5), |u| {
            u.news.is_some()
        })
        .await;
        assert_eq!(update.news.map(|n| n.call_id), Some(expected));
    }
}

#[tokio::test]
async fn a_display_started_late_shows_the_days_calls_without_announcing_them() {
    let Some(pg) = postgres() else { return };
    let config = display_config(&pg.url());
    let mut client = connect(&pg.url()).await;
    let a1 = check_in(&client, &config, 1).await;
    let a2 = check_in(&client, &config, 2).await;
    call_next(&mut client, &config, 1).await;
    call_next(&mut client, &config, 3).await;
    // Another office on the same hub: never on this display.
    let mut elsewhere = config.clone();
    elsewhere.office.id = "KANIM-ATAMBUA".into();
    check_in(&client, &elsewhere, 1).await;
    call_next(&mut client, &elsewhere, 4).await;

    let mut updates = start_display(config);
    let mut seen = Vec::new();
    let update = update_where(&mut updates, &mut seen, Duration::from_secs(10), |u| {
        u.board.online
    })
    .await;
    assert_eq!(current(&update), [(a2.as_str(), 3), (a1.as_str(), 1)]);
    assert!(update.news.is_none(), "made before the display started");
}

#[tokio::test]
async fn a_display_the_hub_cut_off_says_so_reconnects_and_catches_up_silently() {
    let Some(pg) = postgres() else { return };
    let config = display_config(&pg.url());
    let mut client = connect(&pg.url()).await;
    let mut updates = start_display(config.clone());
    let mut seen = Vec::new();
    update_where(&mut updates, &mut seen, Duration::from_secs(10), |u| {
        u.board.online
    })
    .await;
    check_in(&client, &config, 1).await;
    let live = call_next(&mut client, &config, 1).await;
    update_where(&mut updates, &mut seen, Duration::from_secs(5), |u| {
        u.news.as_ref().map(|n| n.call_id) == Some(live)
    })
    .await;

    // The hub ends the display's connection (a restart, a network cut).
    let ended = pg_client(&pg.url())
        .await
        .query_one(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
             WHERE application_name = 'hadir-display'",
            &[],
        )
        .await
        .expect("terminates")
        .get::<_, i64>(0);
    assert_eq!(ended, 1, "the display has one connection, named for staff");
    let lost = update_where(&mut updates, &mut seen, Duration::from_secs(5), |u| {
        !u.board.online
    })
    .await;
    assert_eq!(
        lost.board.current.len(),
        1,
        "a display that lost the hub keeps showing what it had"
    );
    // Called while the display waits to try again (its first wait is a second).
    let missed_label = check_in(&client, &config, 2).await;
    let missed = call_next(&mut client, &config, 2).await;

    let back = update_where(&mut updates, &mut seen, Duration::from_secs(10), |u| {
        u.board.online
    })
    .await;
    assert_eq!(
        current(&back)[0],
        (missed_label.as_str(), 2),
        "caught up on reconnect"
    );
    let after = check_in(&client, &config, 3).await;
    let live_again = call_next(&mut client, &config, 1).await;
    let update = update_where(&mut updates, &mut seen, Duration::from_secs(5), |u| {
        u.news.is_some()
    })
    .await;
    assert_eq!(update.news.as_ref().map(|n| n.call_id), Some(live_again));
    assert_eq!(current(&update)[0], (after.as_str(), 1));
    assert!(
        seen.iter()
            .all(|u| u.news.as_ref().map(|n| n.call_id) != Some(missed)),
        "a call caught up on is never announced: {seen:#?}"
    );
}
