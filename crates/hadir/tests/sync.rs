//! Sync against a real HTTP server on 127.0.0.1 (`fake-upstream`) serving the sample
//! bodies and injecting the contract's faults. After every fault the cache is exactly as before;
//! the next healthy answer is applied.

use std::sync::Arc;
use std::time::Duration;

use fake_upstream::{DateHeader, FakeUpstream, Fault, PushChaos, Route};
use hadir::sync::{
    import_file, pull_day, push_outbox, run_sync_task, SyncHealth, SyncSignals, SyncState,
    UpstreamClient,
};
use hadir::{Config, Store};
use jiff::Timestamp;

mod common;

use common::{day, temp_store, testdata as sample, OFFICE};

const TOKEN: &str = "t0ken-for-tests";

fn now() -> Timestamp {
    "2026-11-29T00:30:00Z".parse().expect("timestamp") // 08:30 WITA
}

fn config(upstream: &FakeUpstream) -> Config {
    let mut config = Config::default();
    config.upstream.url = Some(upstream.url());
    config.upstream.token = Some(TOKEN.into());
    config.upstream.connect_timeout_ms = 500;
    config.upstream.request_timeout_ms = 2_000;
    config
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

struct Kiosk {
    _dir: tempfile::TempDir,
    store: Store,
    config: Config,
    client: UpstreamClient,
    rt: tokio::runtime::Runtime,
}

impl Kiosk {
    fn new(upstream: &FakeUpstream) -> Kiosk {
        let (dir, store) = temp_store();
        let config = config(upstream);
        let client = UpstreamClient::new(&config).expect("client");
        Kiosk {
            _dir: dir,
            store,
            config,
            client,
            rt: runtime(),
        }
    }

    fn pull(&mut self) -> hadir::Result<hadir::sync::PullReport> {
        self.rt.block_on(pull_day(
            &self.client,
            &mut self.store,
            &self.config,
            day(),
            now(),
        ))
    }

    fn push(&mut self) -> hadir::Result<hadir::sync::PushReport> {
        self.rt.block_on(push_outbox(
            &self.client,
            &mut self.store,
            &self.config,
            now(),
        ))
    }

    /// The feed cursor the cache holds for the day: the next pull asks from it.
    fn cursor(&self) -> Option<String> {
        self.store.feed_cursor(OFFICE, day()).expect("cursor")
    }

    /// Everything the cache holds for the day, for before/after comparisons.
    fn cache(&self) -> String {
        let mut out = String::new();
        for code in self.store.booking_codes_on(day()).expect("codes") {
            let cached = self.store.find_appointment(&code).expect("reads");
            out.push_str(&format!("{cached:?}\n"));
        }
        out.push_str(&format!("cursor {:?}\n", self.cursor()));
        out.push_str(&format!(
            "revoked MPUFY34BCG {:?}\n",
            self.store.is_revoked("MPUFY34BCG")
        ));
        out
    }

    fn health(&self) -> SyncHealth {
        SyncHealth::read(&self.store, &self.config, now()).expect("health")
    }

    fn check_in(&mut self, code: &str, applicants: usize) {
        check_in(&mut self.store, code, 0..applicants);
    }
}

/// Checks in these applicants of a booking (queue A, at 08:41 WITA), as a scan would.
fn check_in(store: &mut Store, code: &str, applicants: std::ops::Range<usize>) {
    common::record_checkin(store, code, applicants, "2026-11-29T08:41:07+08:00");
}

fn upstream_with_samples() -> FakeUpstream {
    let upstream = FakeUpstream::start(OFFICE, TOKEN).expect("server starts");
    upstream.set_feed("2026-11-29", None, sample("feed-full.json"));
    upstream.set_feed("2026-11-29", Some("c-0001"), sample("feed-delta.json"));
    upstream
}

#[test]
fn full_then_delta_by_cursor() {
    let upstream = upstream_with_samples();
    let mut kiosk = Kiosk::new(&upstream);
    let full = kiosk.pull().expect("full pull");
    assert!(full.full);
    assert_eq!(full.applied.upserted, 60);
    let delta = kiosk.pull().expect("delta pull");
    assert!(!delta.full);
    let seen = upstream.seen();
    assert_eq!(seen[0].query.get("cursor"), None, "first pull is full");
    assert_eq!(
        seen[1].query.get("cursor").map(String::as_str),
        Some("c-0001")
    );
    assert!(
        seen.iter().all(|r| r.authorised),
        "bearer token on every request"
    );
    assert_eq!(
        delta.applied.stale, 1,
        "the stale cancel of MPPTAB34J5 is ignored"
    );
    let moved = kiosk
        .store
        .find_appointment("MPN5VTQ48K")
        .expect("reads")
        .expect("kept");
    assert_eq!(moved.appointment.slot_start.hour(), 14);
    assert!(kiosk.store.is_revoked("MPUFY34BCG").expect("reads"));
    assert!(kiosk
        .store
        .find_appointment("MPGYRBWG8E")
        .expect("reads")
        .is_some());
    assert_eq!(kiosk.cursor().as_deref(), Some("c-0002"));
    let health = kiosk.health();
    assert_eq!(
        health.last_pull_ok_at.as_deref(),
        Some(now().to_string().as_str())
    );
    assert!(!health.offline);
    assert_eq!(health.state, SyncState::Ok);
    assert_eq!(health.bookings_today, 61);
}

#[test]
fn bad_items_are_skipped_by_code_and_the_rest_applied() {
    let upstream = FakeUpstream::start(OFFICE, TOKEN).expect("server starts");
    upstream.set_feed("2026-11-29", None, sample("feed-bad-items.json"));
    let mut kiosk = Kiosk::new(&upstream);
    let report = kiosk.pull().expect("applies the valid item");
    assert_eq!(report.skipped.len(), 3);
    assert_eq!(
        kiosk.store.booking_codes_on(day()).expect("codes"),
        ["MPH4ZZ3LEX"]
    );
    let health = kiosk.health();
    assert_eq!(
        health.last_skipped.len(),
        3,
        "staff can read what was skipped"
    );
}

/// #20: a full list with one item the parser rejects in a way that also hid its booking code (a
/// number out of range in another field) made the clean-up delete that booking's cached copy,
/// and its applicant was refused `not_found`.
#[test]
fn an_item_rejected_with_its_code_hidden_costs_no_cached_booking() {
    let upstream = upstream_with_samples();
    let mut kiosk = Kiosk::new(&upstream);
    kiosk.pull().expect("full list");
    let full = String::from_utf8(sample("feed-full.json")).expect("UTF-8");
    let spoiled = full.replacen("\"express\": false", "\"express\": 1e400", 1);
    assert_ne!(spoiled, full, "the first item's express flag is spoiled");
    let first = hadir::feed::FeedBody::parse(full.as_bytes())
        .expect("sample")
        .appointments[0]
        .clone();
    upstream.set_feed("2026-11-29", Some("c-0001"), spoiled.into_bytes());

    let report = kiosk.pull().expect("the rest of the list applies");
    assert_eq!(report.skipped.len(), 1, "{:?}", report.skipped);
    let at_the_slot =
        common::office_time(day(), first.slot_start.hour(), first.slot_start.minute());
    let outcome = hadir::checkin::check_in(
        &mut kiosk.store,
        &first.booking_code,
        &at_the_slot,
        &kiosk.config,
    )
    .expect("scan");
    assert_eq!(outcome.verdict.code(), "ok", "the applicant is served");
    let cached = kiosk
        .store
        .find_appointment(&first.booking_code)
        .expect("reads");
    assert_eq!(
        cached.map(|c| c.appointment),
        Some(first.clone()),
        "the cached copy stays as it was"
    );
}

/// #20: an item that could be any booking keeps every cached one, and staff read that, with the
/// item named by its position, after tomorrow's clean pull too (each day's problems are kept).
#[test]
fn an_unidentified_item_keeps_the_day_and_staff_read_it_after_tomorrows_pull() {
    let upstream = upstream_with_samples();
    let mut kiosk = Kiosk::new(&upstream);
    kiosk.pull().expect("full list");
    let before = kiosk.cache();
    let full = String::from_utf8(sample("feed-full.json")).expect("UTF-8");
    // The first item becomes a bare number: nothing says which booking it was.
    let start = full.find("\"appointments\": [").expect("list") + "\"appointments\": [".len();
    let end = start + full[start..].find("\n  },").expect("first item") + "\n  }".len();
    let spoiled = format!("{}17{}", &full[..start], &full[end..]);
    upstream.set_feed("2026-11-29", Some("c-0001"), spoiled.into_bytes());
    let tomorrow = day().tomorrow().expect("date");
    upstream.set_feed(
        &tomorrow.to_string(),
        None,
        fake_upstream::synthetic_feed(OFFICE, &tomorrow.to_string(), 3, "TMRW", "t-1"),
    );

    let report = kiosk.pull().expect("the rest applies");
    assert!(report.applied.kept_unlisted, "{report:?}");
    assert_eq!(report.applied.removed, 0);
    let first_code = hadir::feed::FeedBody::parse(full.as_bytes())
        .expect("sample")
        .appointments[0]
        .booking_code
        .clone();
    assert!(before.contains(&first_code));
    assert_eq!(kiosk.cache(), before, "every cached booking as it was");
    let tomorrows = kiosk
        .rt
        .block_on(pull_day(
            &kiosk.client,
            &mut kiosk.store,
            &kiosk.config,
            tomorrow,
            now(),
        ))
        .expect("tomorrow's list");
    assert!(tomorrows.skipped.is_empty());

    let health = kiosk.health();
    assert_eq!(health.kept_unlisted_on, [day()]);
    assert_eq!(health.last_skipped.len(), 1, "{:?}", health.last_skipped);
    let skipped = &health.last_skipped[0];
    assert_eq!(skipped.booking_code, None);
    assert_eq!(skipped.position, 1);
    assert_eq!(skipped.problem, hadir::feed::ItemProblem::Unreadable);
}

/// Every fault the contract lists: the error code, the cache unchanged, then recovery.
#[test]
fn every_fault_leaves_the_cache_as_it_was_and_the_next_answer_applies() {
    let cases: Vec<(Fault, &str)> = vec![
        (status(500, None), "sync_server_error"),
        (status(503, Some("1")), "sync_server_error"),
        (status(429, Some("7")), "sync_rate_limited"),
        (status(401, None), "sync_unauthorized"),
        (status(403, None), "sync_unauthorized"),
        (status(404, None), "sync_office_unknown"),
        (Fault::ResetMidBody, "sync_network"),
        (Fault::TruncatedJson, "sync_bad_body"),
        (Fault::InvalidJson, "sync_not_the_feed"),
        (Fault::ByteOrderMark, "sync_not_the_feed"),
        (Fault::Gzipped, "sync_not_the_feed"),
        (Fault::OtherJson, "sync_not_the_feed"),
        (
            Fault::Huge {
                bytes: 50_000_000,
                with_length: true,
            },
            "sync_body_too_large",
        ),
        (
            Fault::Huge {
                bytes: 50_000_000,
                with_length: false,
            },
            "sync_body_too_large",
        ),
        (Fault::Drip, "sync_timeout"),
        (Fault::WrongContentType, "sync_wrong_content_type"),
        (Fault::Hang, "sync_timeout"),
    ];
    let upstream = upstream_with_samples();
    let mut kiosk = Kiosk::new(&upstream);
    kiosk.pull().expect("full pull");
    let before = kiosk.cache();
    for (fault, code) in cases {
        upstream.queue_fault(Route::Pull, fault.clone());
        let err = kiosk.pull().expect_err("the fault fails the pull");
        assert_eq!(err.code(), code, "{fault:?}: {err}");
        assert_eq!(kiosk.cache(), before, "{fault:?} changed the cache");
        let health = kiosk.health();
        assert_eq!(
            health.last_error.as_ref().map(|e| e.code.as_str()),
            Some(code)
        );
        assert!(health.offline, "{fault:?}: staff see the problem");
        let expected = if code == "sync_unauthorized" {
            SyncState::Stopped
        } else {
            SyncState::Offline
        };
        assert_eq!(health.state, expected, "{fault:?}");
    }
    let retry = {
        upstream.queue_fault(Route::Pull, status(429, Some("7")));
        match kiosk.pull().expect_err("429") {
            hadir::Error::Sync(failure) => failure.retry_after(),
            other => panic!("{other}"),
        }
    };
    assert_eq!(
        retry,
        Some(hadir::error::RetryAfter::Seconds(7)),
        "Retry-After is read"
    );
    kiosk.pull().expect("healthy again: the delta applies");
    assert_ne!(kiosk.cache(), before);
    assert_eq!(kiosk.cursor().as_deref(), Some("c-0002"));
    assert!(!kiosk.health().offline, "a good pull clears the alarm");
}

/// A gateway that no longer knows the cursor (400, 410, ...): the bookings stay, the cursor
/// goes, and the next pull asks for the full list instead of sending the refused cursor again.
#[test]
fn a_refused_cursor_makes_the_next_pull_a_full_one() {
    let upstream = upstream_with_samples();
    let mut kiosk = Kiosk::new(&upstream);
    kiosk.pull().expect("full pull");
    let bookings = kiosk.store.booking_codes_on(day()).expect("codes");
    upstream.queue_fault(Route::Pull, status(410, None));
    let err = kiosk.pull().expect_err("cursor refused");
    assert_eq!(err.code(), "sync_unexpected_status");
    assert_eq!(
        kiosk.store.booking_codes_on(day()).expect("codes"),
        bookings
    );
    assert_eq!(kiosk.cursor(), None);
    let again = kiosk.pull().expect("full again");
    assert!(again.full);
    let seen = upstream.seen();
    assert_eq!(
        seen[1].query.get("cursor").map(String::as_str),
        Some("c-0001")
    );
    assert_eq!(
        seen[2].query.get("cursor"),
        None,
        "no cursor after the refusal"
    );
}

#[test]
fn an_answer_for_another_office_or_day_is_refused_whole() {
    let upstream = FakeUpstream::start(OFFICE, TOKEN).expect("server starts");
    let other_day = String::from_utf8(sample("feed-full.json"))
        .expect("utf-8")
        .replacen("\"date\": \"2026-11-29\"", "\"date\": \"2026-11-30\"", 1);
    upstream.set_feed("2026-11-29", None, other_day.into_bytes());
    let mut kiosk = Kiosk::new(&upstream);
    let err = kiosk.pull().expect_err("wrong day");
    assert_eq!(err.code(), "sync_feed_mismatch");
    assert!(kiosk
        .store
        .booking_codes_on(day())
        .expect("codes")
        .is_empty());
}

/// An answer that is not the gateway's feed (a web page from a proxy or login portal, a
/// byte-order mark, a compressed body the kiosk did not ask for, a body labelled as something
/// else, JSON of another shape) means the network works: staff are told to pass it to whoever
/// runs the gateway, not to check the network as after a failed connection.
#[test]
fn an_answer_that_is_not_the_feed_is_advised_apart_from_a_network_failure() {
    let upstream = upstream_with_samples();
    let mut kiosk = Kiosk::new(&upstream);
    kiosk.pull().expect("full pull");
    upstream.queue_fault(Route::Pull, Fault::ResetMidBody);
    assert_eq!(kiosk.pull().expect_err("reset").code(), "sync_network");
    let network_advice = kiosk.health().last_error.expect("an error").next_step;
    let not_the_feed = hadir::error::ErrorCode::SyncNotTheFeed.next_step();
    assert_ne!(network_advice, not_the_feed);
    let before = kiosk.cache();
    for fault in [
        Fault::InvalidJson,
        Fault::WrongContentType,
        Fault::ByteOrderMark,
        Fault::Gzipped,
        Fault::OtherJson,
    ] {
        upstream.queue_fault(Route::Pull, fault.clone());
        let err = kiosk.pull().expect_err("not the feed");
        assert!(
            matches!(err.code(), "sync_not_the_feed" | "sync_wrong_content_type"),
            "{fault:?}: {err}"
        );
        let error = kiosk.health().last_error.expect("staff see it");
        assert_eq!(error.next_step, not_the_feed, "{fault:?}: {}", error.code);
        assert_eq!(kiosk.cache(), before, "{fault:?} changed the cache");
    }
    // The same for the answer to a push: the event stays for the next one.
    kiosk.check_in("MPGOODGOOD", 1);
    upstream.queue_fault(Route::Push, Fault::InvalidJson);
    assert_eq!(
        kiosk.push().expect_err("a page").code(),
        "sync_not_the_feed"
    );
    assert_eq!(
        kiosk.health().last_error.expect("seen").next_step,
        not_the_feed
    );
    kiosk.push().expect("the gateway itself answers again");
    assert_eq!(kiosk.store.outbox_len().expect("count"), 0);
}

/// Each answer's `Date` header is the gateway's clock: beyond `[doctor] max_clock_skew_seconds`
/// from the kiosk's, staff (and `hadir status`) see an alarm; the next answer in step ends it.
#[test]
fn a_kiosk_clock_off_the_gateways_raises_the_alarm_until_an_answer_in_step() {
    let upstream = upstream_with_samples();
    let mut kiosk = Kiosk::new(&upstream);
    let http_date = |at: Timestamp| {
        jiff::fmt::rfc2822::DateTimePrinter::new()
            .timestamp_to_rfc9110_string(&at)
            .expect("an HTTP date")
    };
    assert_eq!(kiosk.health().clock.gateway, None, "no answer yet");
    upstream.set_date_header(DateHeader::Fixed(http_date(
        now() + jiff::SignedDuration::from_mins(10),
    )));
    kiosk.pull().expect("the pull itself goes through");
    let clock = kiosk.health().clock;
    assert!(clock.alarm, "{clock:?}");
    let gateway = clock.gateway.expect("the gateway's clock was read");
    assert!(
        (-601..=-599).contains(&gateway.skew_seconds),
        "the kiosk is 10 minutes behind: {gateway:?}"
    );
    assert!(gateway.beyond);
    assert!(clock.next_step.is_some_and(|next| !next.id.is_empty()));

    // A failed answer carries the gateway's clock too; within the allowed skew: no alarm.
    upstream.set_date_header(DateHeader::Fixed(http_date(
        now() - jiff::SignedDuration::from_secs(30),
    )));
    upstream.queue_fault(Route::Pull, status(503, None));
    kiosk.pull().expect_err("503");
    let clock = kiosk.health().clock;
    assert!(!clock.alarm, "30 s is within 120 s: {clock:?}");
    assert_eq!(clock.next_step, None);

    // A tighter setting judges the same reading again; an answer without a Date keeps it.
    kiosk.config.doctor.max_clock_skew_seconds = 10;
    upstream.set_date_header(DateHeader::Omitted);
    kiosk.pull().expect("pull");
    assert!(kiosk.health().clock.alarm, "30 s is beyond 10 s");

    // A push's answer counts as well.
    upstream.set_date_header(DateHeader::Fixed(http_date(now())));
    kiosk.check_in("MPGOODGOOD", 1);
    kiosk.push().expect("push");
    assert!(!kiosk.health().clock.alarm);
}

#[test]
fn a_refused_connection_is_a_network_failure() {
    let upstream = FakeUpstream::start(OFFICE, TOKEN).expect("server starts");
    let mut kiosk = Kiosk::new(&upstream);
    drop(upstream); // nobody listens on the port now
    let err = kiosk.pull().expect_err("nobody there");
    assert!(
        matches!(err.code(), "sync_network" | "sync_timeout"),
        "{}",
        err.code()
    );
}

#[test]
fn push_empties_the_outbox_and_logs_rejections_for_staff() {
    let upstream = FakeUpstream::start(OFFICE, TOKEN).expect("server starts");
    upstream.reject_booking("MPREJECT01", "unknown_booking");
    let mut kiosk = Kiosk::new(&upstream);
    kiosk.check_in("MPGOODGOOD", 3);
    kiosk.check_in("MPREJECT01", 1);
    let report = kiosk.push().expect("push");
    assert_eq!((report.accepted, report.rejected, report.left), (3, 1, 0));
    assert_eq!(upstream.applied().len(), 3);
    let health = kiosk.health();
    assert_eq!(health.outbox, 0);
    assert_eq!(health.rejected, 1);
    assert_eq!(health.rejected_latest[0].reason, "unknown_booking");
    let sent = upstream.applied();
    let event = sent.values().next().expect("one event");
    assert_eq!(event["kind"], "checkin");
    assert_eq!(event["booking_code"], "MPGOODGOOD");
}

#[test]
fn a_push_answer_naming_none_of_the_batch_is_an_error_and_settles_nothing() {
    let upstream = FakeUpstream::start(OFFICE, TOKEN).expect("server starts");
    let mut kiosk = Kiosk::new(&upstream);
    kiosk.check_in("MPGOODGOOD", 1);
    // A 200 whose body has neither list (both may be left out when empty): nothing confirmed.
    upstream.queue_fault(
        Route::Push,
        Fault::Status {
            status: 200,
            retry_after: None,
        },
    );
    let err = kiosk.push().expect_err("nothing confirmed");
    assert_eq!(err.code(), "sync_bad_body");
    assert_eq!(
        kiosk.store.outbox_len().expect("count"),
        1,
        "the event stays"
    );
    assert_eq!(
        kiosk.health().last_error.map(|e| e.code).as_deref(),
        Some("sync_bad_body"),
        "staff see that sync is not draining"
    );
}

#[test]
fn a_failed_push_keeps_every_event() {
    let upstream = FakeUpstream::start(OFFICE, TOKEN).expect("server starts");
    let mut kiosk = Kiosk::new(&upstream);
    kiosk.check_in("MPGOODGOOD", 2);
    for fault in [
        status(500, None),
        Fault::DropAfterApply,
        Fault::TruncatedJson,
        Fault::Hang,
    ] {
        upstream.queue_fault(Route::Push, fault.clone());
        kiosk.push().expect_err("fails");
        assert_eq!(
            kiosk.store.outbox_len().expect("count"),
            2,
            "{fault:?} lost an event"
        );
    }
    kiosk.push().expect("healthy");
    assert_eq!(kiosk.store.outbox_len().expect("count"), 0);
}

/// Random failures on push (dropped after applying, 500 before applying): once the network
/// heals, every event was applied exactly once and the outbox is empty.
#[test]
fn exactly_once_under_random_push_failures() {
    let upstream = FakeUpstream::start(OFFICE, TOKEN).expect("server starts");
    upstream.set_push_chaos(
        Some(PushChaos {
            drop_after_apply: 0.35,
            fail_before_apply: 0.35,
        }),
        20261129,
    );
    let mut kiosk = Kiosk::new(&upstream);
    kiosk.config.upstream.push_batch = 7;
    let mut nonces = std::collections::BTreeSet::new();
    let mut failures = 0;
    for round in 0..40 {
        kiosk.check_in(&format!("MPCHAOS{round:03}"), 1 + round % 3);
        for event in kiosk.store.outbox_batch(1000).expect("reads") {
            nonces.insert(event.nonce);
        }
        if kiosk.push().is_err() {
            failures += 1;
        }
    }
    assert!(failures > 10, "the chaos really failed pushes ({failures})");
    upstream.set_push_chaos(None, 0);
    kiosk.push().expect("the network healed");
    assert_eq!(kiosk.store.outbox_len().expect("count"), 0);
    let applied: std::collections::BTreeSet<String> = upstream.applied().into_keys().collect();
    assert_eq!(applied, nonces, "every event arrived, under its own nonce");
    let doubled: Vec<_> = upstream
        .effects()
        .into_iter()
        .filter(|(_, n)| *n != 1)
        .collect();
    assert!(doubled.is_empty(), "one effect per check-in: {doubled:?}");
    let resent = upstream.deliveries().values().filter(|n| **n > 1).count();
    assert!(
        resent > 0,
        "some events were resent (and deduplicated by nonce)"
    );
}

#[test]
fn file_import_has_the_pulls_validation_and_atomicity() {
    let upstream = FakeUpstream::start(OFFICE, TOKEN).expect("server starts");
    let mut kiosk = Kiosk::new(&upstream);
    let dir = tempfile::tempdir().expect("dir");
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("writes");
        path
    };
    let delta = write("delta.json", &sample("feed-delta.json"));
    let err = import_file(&mut kiosk.store, &kiosk.config, &delta, now()).expect_err("delta");
    assert_eq!(err.code(), "feed_invalid");
    let full = sample("feed-full.json");
    let truncated = write("truncated.json", &full[..full.len() / 2]);
    let err = import_file(&mut kiosk.store, &kiosk.config, &truncated, now()).expect_err("cut");
    assert_eq!(err.code(), "feed_invalid");
    assert!(
        kiosk
            .store
            .booking_codes_on(day())
            .expect("codes")
            .is_empty(),
        "nothing half-applied"
    );
    let good = write("full.json", &full);
    let report = import_file(&mut kiosk.store, &kiosk.config, &good, now()).expect("imports");
    assert_eq!(report.applied.upserted, 60);
    assert!(kiosk.health().last_import_at.is_some());
    assert_eq!(kiosk.health().cache_age_seconds, Some(0));
}

/// The background task: pulls at start, pushes soon after a check-in, and stops on 401 until
/// "sync now".
#[test]
fn the_task_pulls_pushes_and_stops_on_401_until_sync_now() {
    let upstream = upstream_with_samples();
    let config = config(&upstream);
    let (dir, mut kiosk_store) = temp_store(); // the kiosk's connection
    let task_store = Store::open_in(dir.path()).expect("task's own connection");
    let signals = Arc::new(SyncSignals::default());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    // The task's clock: `now()` plus minutes the test moves it on by (past any backoff).
    let minutes_on = Arc::new(std::sync::atomic::AtomicI64::new(0));
    let clock: hadir::model::Clock = {
        let minutes_on = Arc::clone(&minutes_on);
        Arc::new(move || {
            now()
                + jiff::SignedDuration::from_mins(
                    minutes_on.load(std::sync::atomic::Ordering::SeqCst),
                )
        })
    };
    rt.spawn(run_sync_task(
        config.clone(),
        task_store,
        clock,
        Arc::clone(&signals),
    ));
    wait_for("the first pull", || {
        kiosk_store.booking_codes_on(day()).expect("codes").len() == 60
    });
    check_in(&mut kiosk_store, "MPTASK0001", 0..1);
    signals.events_written();
    wait_for("the push", || upstream.applied().len() == 1);
    // 401 on the next push: sync stops; later events wait, and nothing is retried.
    upstream.queue_fault(Route::Push, status(401, None));
    for index in 1..3 {
        check_in(&mut kiosk_store, "MPTASK0002", index..index + 1);
        signals.events_written();
        std::thread::sleep(Duration::from_millis(300));
    }
    let health = SyncHealth::read(&kiosk_store, &config, now()).expect("health");
    assert_eq!(
        health.stopped.map(|s| s.code).as_deref(),
        Some("sync_unauthorized")
    );
    let pushes = upstream
        .seen()
        .iter()
        .filter(|r| r.method == "POST")
        .count();
    // Ten minutes later (any backoff is over) and with new events signalled, a stopped task
    // still sends nothing.
    minutes_on.store(10, std::sync::atomic::Ordering::SeqCst);
    signals.events_written();
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        upstream
            .seen()
            .iter()
            .filter(|r| r.method == "POST")
            .count(),
        pushes,
        "stopped: no retries after 401"
    );
    assert_eq!(kiosk_store.outbox_len().expect("count"), 2, "events kept");
    signals.sync_now();
    wait_for("the push after sync now", || upstream.applied().len() == 3);
    // The gateway applies the batch before the task records its answer: wait for the record.
    wait_for("sync health clear after sync now", || {
        let health = SyncHealth::read(&kiosk_store, &config, now()).expect("health");
        health.stopped.is_none() && !health.offline
    });
    rt.shutdown_timeout(Duration::from_secs(1));
}

/// The task's clock set back by NTP, 50 minutes across midnight: it pulls the day the clock now
/// shows at once, instead of waiting out a next-pull moment set on the old clock (55 minutes on
/// the new one).
#[test]
fn the_task_pulls_at_once_after_the_clock_is_set_back_across_midnight() {
    let upstream = upstream_with_samples();
    let config = config(&upstream);
    let (dir, _kiosk_store) = temp_store();
    let task_store = Store::open_in(dir.path()).expect("task's own connection");
    let signals = Arc::new(SyncSignals::default());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    // 00:40 WITA on the 30th, until the test sets it back 50 minutes to 23:50 on the 29th.
    let after_midnight: Timestamp = "2026-11-29T16:40:00Z".parse().expect("timestamp");
    let minutes_back = Arc::new(std::sync::atomic::AtomicI64::new(0));
    let clock: hadir::model::Clock = {
        let minutes_back = Arc::clone(&minutes_back);
        Arc::new(move || {
            after_midnight
                - jiff::SignedDuration::from_mins(
                    minutes_back.load(std::sync::atomic::Ordering::SeqCst),
                )
        })
    };
    rt.spawn(run_sync_task(
        config.clone(),
        task_store,
        clock,
        Arc::clone(&signals),
    ));
    let pulls_of = |date: &str| {
        upstream
            .seen()
            .iter()
            .filter(|r| r.method == "GET" && r.query.get("date").map(String::as_str) == Some(date))
            .count()
    };
    wait_for("the pulls of the 30th and the 1st", || {
        pulls_of("2026-11-30") == 1 && pulls_of("2026-12-01") == 1
    });
    assert_eq!(pulls_of("2026-11-29"), 0, "the 29th was yesterday");
    minutes_back.store(50, std::sync::atomic::Ordering::SeqCst);
    signals.events_written(); // wakes the task now rather than at its next look (10 s)
    wait_for("the pull of the day the clock shows now", || {
        pulls_of("2026-11-29") == 1
    });
    rt.shutdown_timeout(Duration::from_secs(1));
}

fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    for _ in 0..100 {
        if done() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("timed out waiting for {what}");
}

fn status(status: u16, retry_after: Option<&str>) -> Fault {
    Fault::Status {
        status,
        retry_after: retry_after.map(str::to_owned),
    }
}

/// A counter machine (`role = "counter"`) runs the task for its outbox only: its calls reach the
/// gateway, and it never pulls the appointment list (no applicant's name on a counter).
#[test]
fn a_counter_machine_pushes_its_calls_and_pulls_no_list() {
    let upstream = upstream_with_samples();
    let mut config = config(&upstream);
    config.role = hadir::config::AppRole::Counter;
    config.hub_url = Some(hadir::config::HubUrl::new("postgres://hub.invalid/hadir"));
    let (dir, mut counter_store) = temp_store();
    let body = r#"{"nonce":"call-nonce-1","kind":"call","ticket":"A-001","service":"baru","counter":2,"at":"2026-11-29T08:30:00+08:00","recall":0}"#;
    counter_store
        .add_counter_event("call-nonce-1", "call", body, "2026-11-29T08:30:00+08:00")
        .expect("the hub's event, copied");
    let task_store = Store::open_in(dir.path()).expect("task's own connection");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    rt.spawn(run_sync_task(
        config,
        task_store,
        Arc::new(now),
        Arc::new(SyncSignals::default()),
    ));
    wait_for("the call pushed", || {
        upstream.applied().contains_key("call-nonce-1")
    });
    wait_for("the outbox settled", || {
        counter_store.outbox_len().expect("count") == 0
    });
    assert_eq!(upstream.applied()["call-nonce-1"]["counter"], 2);
    assert!(
        upstream.seen().iter().all(|r| r.method == "POST"),
        "no pull: {:?}",
        upstream.seen()
    );
    assert!(counter_store
        .booking_codes_on(day())
        .expect("codes")
        .is_empty());
    rt.shutdown_timeout(Duration::from_secs(1));
}
