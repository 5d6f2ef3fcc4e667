//! The office hub against a real PostgreSQL server (started in a temp dir by `temp-postgres`):
//! several kiosks, each with its own SQLite file, one queue. Concurrency (every booking scanned
//! at two kiosks at once, and kiosks at a steady rate with their background tasks: the hub
//! benchmark's check, `common::hub::HubCheck`), a partition (the server stopped mid-run and
//! started again), and the time budget when the hub does not answer.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use hadir::checkin::Verdict;
use hadir::config::HubUrl;
use hadir::feed::FeedBody;
use hadir::hub;

mod common;

use common::hub::{feed_for_run, hub_config, steady_run, HubCheck, HubKiosk};
use common::{at, pg_client, postgres, OFFICE};

const DAY: &str = "2026-11-29";

/// Kiosk `k` (block 500 + 100 k) in hub mode at `url`, with `feed` (a synthetic feed's bytes),
/// retrying a hub it gave up on after a second.
fn kiosk(k: usize, url: &str, timeout_ms: u64, feed: &[u8]) -> HubKiosk {
    let mut config = hub_config(k, Some(url), timeout_ms);
    config.hub.retry_seconds = 1;
    HubKiosk::open(config, &FeedBody::parse(feed).expect("feed parses"), true)
}

/// Booking codes of the synthetic feed whose slot is 09:00-10:00 (open at 09:30).
fn open_codes(count: usize) -> Vec<String> {
    (0..count)
        .filter(|n| n % 8 == 1)
        .map(|n| format!("MPHB{n:06}"))
        .collect()
}

async fn scan(
    kiosk: &HubKiosk,
    code: &str,
    now: &jiff::ZonedDateTime,
) -> hadir::scan_result::ScanResult {
    kiosk.scan(code, now).await.expect("scan answers").0
}

/// (queue, number) of every ticket the hub holds, including each double's second ticket.
async fn hub_numbers(url: &str) -> Vec<(String, i32)> {
    let client = pg_client(url).await;
    let mut numbers: Vec<(String, i32)> = client
        .query("SELECT queue, number FROM checkins", &[])
        .await
        .expect("reads")
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect();
    for row in client
        .query("SELECT other_label FROM doubles", &[])
        .await
        .expect("reads")
    {
        let label: String = row.get(0);
        let (queue, number) = label.split_once('-').expect("a label");
        numbers.push((queue.to_owned(), number.parse().expect("a number")));
    }
    numbers
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_booking_scanned_at_two_kiosks_at_once_gets_exactly_one_ok() {
    let Some(pg) = postgres() else { return };
    let feed = fake_upstream::synthetic_feed(OFFICE, DAY, 480, "HB", "c1");
    // A generous budget: this test is about the hub's rules, not about its speed.
    let kiosks: Vec<Arc<HubKiosk>> = (0..4)
        .map(|k| Arc::new(kiosk(k, &pg.url(), 5_000, &feed)))
        .collect();
    let codes = open_codes(480);
    assert_eq!(codes.len(), 60);

    let now = at(9, 30);
    let mut scans = Vec::new();
    for (n, code) in codes.iter().enumerate() {
        // The same booking at two different kiosks, started together.
        for k in [n % 4, (n + 1) % 4] {
            let kiosk = Arc::clone(&kiosks[k]);
            let (code, now) = (code.clone(), now.clone());
            scans.push(tokio::spawn(async move {
                let result = scan(&kiosk, &code, &now).await;
                (code, k, result)
            }));
        }
    }
    let mut by_code: BTreeMap<String, Vec<hadir::scan_result::ScanResult>> = BTreeMap::new();
    for scan in scans {
        let (code, _kiosk, result) = scan.await.expect("task ends");
        by_code.entry(code).or_default().push(result);
    }
    let mut applicants = 0;
    for (code, results) in &by_code {
        let ok: Vec<_> = results
            .iter()
            .filter(|r| r.verdict == Verdict::Ok)
            .collect();
        let already: Vec<_> = results
            .iter()
            .filter(|r| r.verdict == Verdict::AlreadyCheckedIn)
            .collect();
        assert_eq!((ok.len(), already.len()), (1, 1), "{code}: {results:?}");
        let labels = |r: &hadir::scan_result::ScanResult| -> Vec<String> {
            r.tickets.iter().map(|t| t.label.clone()).collect()
        };
        assert_eq!(
            labels(ok[0]),
            labels(already[0]),
            "{code}: the second kiosk shows the first kiosk's numbers"
        );
        applicants += ok[0].tickets.len();
    }

    let numbers = hub_numbers(&pg.url()).await;
    assert_eq!(numbers.len(), applicants, "one hub check-in per applicant");
    let mut per_queue: BTreeMap<String, Vec<i32>> = BTreeMap::new();
    for (queue, number) in numbers {
        per_queue.entry(queue).or_default().push(number);
    }
    for (queue, mut numbers) in per_queue {
        numbers.sort_unstable();
        let dense: Vec<i32> = (1..=numbers.len() as i32).collect();
        assert_eq!(numbers, dense, "queue {queue}: dense and unique from 1");
    }
    for kiosk in &kiosks {
        let pending = kiosk
            .store
            .lock()
            .expect("store")
            .hub_pending_count()
            .expect("count");
        assert_eq!(
            pending, 0,
            "{}: nothing numbered offline",
            kiosk.config.kiosk.id
        );
    }
}

/// The check the hub benchmark prints for its 20-kiosk run (`benches/hub.rs`), asserted on a
/// small run of the same scenario: kiosks scanning new bookings at a steady rate with their
/// background hub tasks running, one booking in five at two kiosks at once, then replay.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kiosks_scanning_at_a_steady_rate_leave_the_hub_numbered_once_densely_and_nothing_pending()
{
    let Some(pg) = postgres() else { return };
    const KIOSKS: usize = 4;
    const TICKS: usize = 25;
    let feed = feed_for_run(KIOSKS, TICKS);
    // A generous budget: this test is about the hub's rules, not about its speed.
    let kiosks: Vec<Arc<HubKiosk>> = (0..KIOSKS)
        .map(|k| {
            Arc::new(HubKiosk::open(
                hub_config(k, Some(&pg.url()), 5_000),
                &feed,
                true,
            ))
        })
        .collect();
    let run = steady_run(&kiosks, TICKS, Duration::from_millis(50), 5).await;
    let check = HubCheck::read(&pg.url(), &kiosks, &run).await;

    let errors: Vec<&String> = run.all().filter_map(|s| s.error.as_ref()).collect();
    assert!(errors.is_empty(), "every scan answered: {errors:?}");
    assert_eq!(run.scheduled.len(), KIOSKS * TICKS);
    assert_eq!(check.duplicates, 0, "no (queue, number) twice: {check:?}");
    assert_eq!(
        check.hub_checkins as usize,
        run.admitted_applicants(),
        "one hub check-in per applicant admitted: {check:?}"
    );
    assert!(
        check.gaps <= run.fallback_applicants(),
        "hub numbers dense per queue but for claims a kiosk gave up on: {}",
        check.dense()
    );
    assert!(check.pairs > 0, "the run had conflict pairs");
    assert_eq!(
        check.pairs_one_ok, check.pairs,
        "each booking scanned at two kiosks at once: one ok, one already ({check:?})"
    );
    assert_eq!(
        check.doubles, 0,
        "no kiosk served a booking the hub knew of"
    );
    assert_eq!(check.pending, 0, "every offline check-in replayed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partition_keeps_kiosks_serving_then_replays_and_flags_doubles() {
    let Some(mut pg) = postgres() else { return };
    let url = pg.url();
    let feed = fake_upstream::synthetic_feed(OFFICE, DAY, 160, "HB", "c1");
    let k1 = kiosk(0, &url, 2_000, &feed);
    let k2 = kiosk(1, &url, 2_000, &feed);
    let codes = open_codes(160);
    let now = at(9, 30);

    // Hub up: numbers from the hub.
    for code in &codes[..4] {
        assert_eq!(scan(&k1, code, &now).await.verdict, Verdict::Ok);
    }
    // The hub goes away mid-run.
    pg.stop();
    let started = Instant::now();
    let split_k1 = scan(&k1, &codes[4], &now).await;
    let split_k2 = scan(&k2, &codes[5], &now).await;
    // The same booking at both kiosks while they cannot see each other: both serve it.
    let double_k1 = scan(&k1, &codes[6], &now).await;
    let double_k2 = scan(&k2, &codes[6], &now).await;
    let served_in = started.elapsed();
    for result in [&split_k1, &split_k2, &double_k1, &double_k2] {
        assert_eq!(
            result.verdict,
            Verdict::Ok,
            "kiosks keep serving: {result:?}"
        );
    }
    let number = |r: &hadir::scan_result::ScanResult| -> i64 {
        let label = &r.tickets[0].label;
        label
            .rsplit('-')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(-1)
    };
    assert!(
        (500..600).contains(&number(&split_k1)) && (500..600).contains(&number(&double_k1)),
        "K1 numbers from its block 500-599: {split_k1:?}"
    );
    assert!(
        (600..700).contains(&number(&split_k2)) && (600..700).contains(&number(&double_k2)),
        "K2 from 600-699: {split_k2:?}"
    );
    assert!(
        served_in < Duration::from_secs(8),
        "no scan waits long for a dead hub: {served_in:?}"
    );
    let offline = hub::health(&k1.store.lock().expect("store"), &k1.link).expect("health");
    assert!(offline.offline, "staff see the hub offline");
    assert!(offline.pending >= 2, "and what waits for it: {offline:?}");

    // The hub comes back; each kiosk's background pass replays what it numbered offline.
    pg.start_again();
    let r1 = hub::replay_pending(&*k1.store, &k1.link, now.timestamp(), &k1.config)
        .await
        .expect("K1 replays");
    let r2 = hub::replay_pending(&*k2.store, &k2.link, now.timestamp(), &k2.config)
        .await
        .expect("K2 replays");
    let applicants_double = double_k1.tickets.len();
    assert_eq!(
        r1.doubles.len() + r2.doubles.len(),
        applicants_double,
        "the booking served at both kiosks is flagged, once per applicant"
    );
    for kiosk in [&k1, &k2] {
        let back = hub::health(&kiosk.store.lock().expect("store"), &kiosk.link).expect("health");
        assert!(!back.offline && back.link.online, "{back:?}");
    }
    for kiosk in [&k1, &k2] {
        let store = kiosk.store.lock().expect("store");
        assert_eq!(store.hub_pending_count().expect("count"), 0, "all replayed");
    }
    let flagged_here = k2
        .store
        .lock()
        .expect("store")
        .hub_doubles(10)
        .expect("reads");
    assert_eq!(flagged_here.len(), r2.doubles.len(), "kept for K2's staff");

    let numbers = hub_numbers(&url).await;
    let unique: BTreeSet<&(String, i32)> = numbers.iter().collect();
    assert_eq!(
        unique.len(),
        numbers.len(),
        "number sets are disjoint: {numbers:?}"
    );

    // The office's export from the hub shows both tickets of the double, each marked.
    let client = pg_client(&url).await;
    let range = hadir::report::ExportRange::parse(DAY, DAY).expect("range");
    let report = hub::report::gather(&client, &k1.config, range, &now, false)
        .await
        .expect("gathers");
    let out = tempfile::tempdir().expect("out");
    let files = hadir::report::write(
        &report,
        &[hadir::report::ExportFormat::Csv],
        out.path(),
        k1.config.kiosk.language,
    )
    .expect("writes");
    let tickets_csv = files
        .iter()
        .find(|f| {
            f.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("tickets_"))
        })
        .expect("tickets CSV");
    let mut reader = csv::Reader::from_path(tickets_csv).expect("CSV opens");
    let header = reader.headers().expect("header").clone();
    let double_col = header
        .iter()
        .position(|h| h == "ganda")
        .expect("a ganda column");
    let code_col = header
        .iter()
        .position(|h| h == "kode_pemesanan")
        .expect("code column");
    let marked: Vec<csv::StringRecord> = reader
        .records()
        .map(|r| r.expect("row"))
        .filter(|r| !r[double_col].is_empty())
        .collect();
    assert_eq!(
        marked.len(),
        2 * applicants_double,
        "both tickets of each double"
    );
    let masked = hadir::model::mask_booking_code(&codes[6]);
    assert!(marked.iter().all(|r| r[code_col] == masked), "{marked:?}");
    // Full personal data only when asked for (`hadir export --hub --full-names`).
    let full = hub::report::gather(&client, &k1.config, range, &now, true)
        .await
        .expect("gathers");
    assert!(full.full_names);
    assert!(
        full.tickets.iter().any(|t| t.booking_code == codes[6]),
        "whole codes with full personal data"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hub_that_never_answers_costs_two_applicants_one_budget_each_then_none() {
    // Accepts the TCP connection, never says a word: the worst kind of outage.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").expect("listener");
    let url = format!(
        "postgres://hadir@127.0.0.1:{}/hadir",
        silent.local_addr().expect("address").port()
    );
    let _hold = std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in silent.incoming().take(4).flatten() {
            held.push(stream);
        }
        std::thread::sleep(Duration::from_secs(30));
    });
    let feed = fake_upstream::synthetic_feed(OFFICE, DAY, 40, "HB", "c1");
    let k1 = kiosk(0, &url, 300, &feed);
    let codes = open_codes(40);
    let now = at(9, 30);
    // The background replay gets stuck on the silent hub first, holding the connection for its
    // own (5 s) budget: a scan meanwhile must still give up after its 300 ms.
    let background = {
        let (store, link, config) = (
            Arc::clone(&k1.store),
            Arc::clone(&k1.link),
            k1.config.clone(),
        );
        let at = now.timestamp();
        tokio::spawn(async move { hub::replay_pending(store.as_ref(), &link, at, &config).await })
    };
    tokio::time::sleep(Duration::from_millis(100)).await;

    let started = Instant::now();
    let first = scan(&k1, &codes[0], &now).await;
    let first_took = started.elapsed();
    let second = scan(&k1, &codes[1], &now).await;
    let started = Instant::now();
    let third = scan(&k1, &codes[2], &now).await;
    let third_took = started.elapsed();

    assert_eq!(first.verdict, Verdict::Ok);
    assert_eq!(
        first.tickets[0].label.split('-').nth(1),
        Some("500"),
        "from the block"
    );
    assert_eq!(second.verdict, Verdict::Ok);
    assert_eq!(third.verdict, Verdict::Ok);
    // Generous bounds (a loaded CI machine): the budget is 300 ms; after two failures in a row
    // the hub is not asked again until the background retry.
    assert!(first_took < Duration::from_secs(3), "{first_took:?}");
    assert!(
        background.await.expect("task ends").is_err(),
        "the stuck replay gave up on its own"
    );
    assert!(third_took < first_took, "{third_took:?} vs {first_took:?}");
    assert_eq!(
        k1.store
            .lock()
            .expect("store")
            .hub_pending_count()
            .expect("count"),
        (first.tickets.len() + second.tickets.len() + third.tickets.len()) as i64,
        "every applicant of both waits for replay"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sslmode_require_takes_the_tls_path_and_never_falls_back_to_plain() {
    let Some(pg) = postgres() else { return };
    // The test server has no certificate: a URL that requires TLS must fail, not go plain.
    let plain = HubUrl::new(format!("{}?sslmode=disable", pg.url()));
    hub::connect(&plain, Duration::from_secs(5))
        .await
        .expect("plain connection to a plain server");
    let required = HubUrl::new(format!("{}?sslmode=require", pg.url()));
    let error = hub::connect(&required, Duration::from_secs(5))
        .await
        .expect_err("no TLS on this server");
    assert_eq!(error.code(), "hub_unreachable");
    let message = error.to_string().to_lowercase();
    assert!(
        message.contains("tls") || message.contains("ssl"),
        "says why: {message}"
    );
}

/// The background task's pass compares the kiosk's clock with the hub's (PostgreSQL's
/// `clock_timestamp()`): a kiosk 10 minutes ahead raises the staff alarm (`hadir status` reads
/// the same health), and the next pass with the clock set right ends it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kiosk_clock_off_the_hubs_raises_the_alarm_until_the_next_pass_in_step() {
    let Some(pg) = postgres() else { return };
    let feed = fake_upstream::synthetic_feed(OFFICE, DAY, 8, "HC", "c1");
    let kiosk = kiosk(0, &pg.url(), 5_000, &feed);
    let health = |kiosk: &HubKiosk, now: jiff::Timestamp| {
        hadir::sync::SyncHealth::read(&kiosk.store.lock().expect("store"), &kiosk.config, now)
            .expect("health")
            .clock
    };
    let real = jiff::Timestamp::now();
    assert_eq!(health(&kiosk, real).hub, None, "not compared yet");
    let ahead = real + jiff::SignedDuration::from_mins(10);
    kiosk.replay(ahead).await;
    let clock = health(&kiosk, ahead);
    assert!(clock.alarm, "{clock:?}");
    let hub = clock.hub.expect("the hub's clock was read");
    assert!(
        (590..=610).contains(&hub.skew_seconds),
        "10 minutes ahead: {hub:?}"
    );
    assert!(clock.next_step.is_some());
    kiosk.replay(jiff::Timestamp::now()).await;
    let clock = health(&kiosk, jiff::Timestamp::now());
    assert!(!clock.alarm, "same machine, same clock: {clock:?}");
    assert!(clock.hub.is_some_and(|hub| hub.skew_seconds.abs() <= 5));
}
