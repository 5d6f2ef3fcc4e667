//! `hadir sync` killed with SIGKILL at random moments, 50 times during pulls and 50 during
//! pushes: the cache is never half-applied, the database stays sound, and once the network
//! heals every event has reached the gateway exactly once.

use std::collections::BTreeSet;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use fake_upstream::{synthetic_feed, FakeUpstream};
use hadir::store::{ApplicantSlot, NewCheckin};
use hadir::Store;

const OFFICE: &str = "KANIM-KUPANG";
const TOKEN: &str = "kill-test-token";
const DAY: &str = "2026-11-29";
const AT: &str = "2026-11-29T09:00:00+08:00";
const ROUNDS: usize = 50;
/// Bookings per full list: enough that applying one takes a while a kill can land in.
const BOOKINGS: usize = 3_000;

use crate::common::{self, upstream_toml};

struct Setup(common::TempKiosk);

impl Setup {
    fn new(upstream: &FakeUpstream) -> Setup {
        Setup(common::TempKiosk::new(
            "",
            &upstream_toml(&upstream.url(), TOKEN, "push_batch = 5\n"),
        ))
    }

    fn store(&self) -> Store {
        self.0.store()
    }

    fn sync_command(&self) -> Command {
        let mut command = self.0.hadir(AT);
        command
            .arg("sync")
            .env("RUST_LOG", "off")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        command
    }

    /// Runs `hadir sync` to the end; returns how long it took.
    fn sync(&self) -> Duration {
        let started = Instant::now();
        let status = self.sync_command().status().expect("runs");
        assert!(status.success(), "healthy sync exits 0");
        started.elapsed()
    }

    /// Starts `hadir sync` and SIGKILLs it after `after`.
    fn sync_killed_after(&self, after: Duration) {
        let mut child = self.sync_command().spawn().expect("starts");
        std::thread::sleep(after);
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();
    }
}

/// Which of the two alternating lists the cache holds (codes and cursor must agree), or a
/// description of the mix found.
fn cache_state(setup: &Setup) -> Result<&'static str, String> {
    let store = setup.store(); // opens after a kill
    let integrity = store.integrity_check().expect("check runs");
    if integrity != "ok" {
        return Err(format!("integrity_check: {integrity}"));
    }
    let codes = store
        .booking_codes_on(DAY.parse().expect("date"))
        .expect("codes");
    let cursor = store
        .feed_cursor(OFFICE, DAY.parse().expect("date"))
        .expect("cursor");
    let all = |prefix: &str| codes.iter().all(|c| c.starts_with(prefix));
    match (codes.len(), cursor.as_deref()) {
        (0, None) => Ok("empty"),
        (BOOKINGS, Some("list-a")) if all("MPA") => Ok("a"),
        (BOOKINGS, Some("list-b")) if all("MPB") => Ok("b"),
        (n, cursor) => Err(format!("half-applied: {n} bookings, cursor {cursor:?}")),
    }
}

fn kill_point(rng: &mut fastrand::Rng, typical: Duration) -> Duration {
    typical.mul_f64(rng.f64() * 1.2)
}

#[test]
fn sigkill_during_pulls_never_half_applies_the_cache() {
    let upstream = FakeUpstream::start(OFFICE, TOKEN).expect("server");
    // Each answer is a full list that replaces the other: A (cursor list-a) <-> B (cursor list-b).
    let a = synthetic_feed(OFFICE, DAY, BOOKINGS, "A", "list-a");
    let b = synthetic_feed(OFFICE, DAY, BOOKINGS, "B", "list-b");
    upstream.set_feed(DAY, None, a.clone());
    upstream.set_feed(DAY, Some("list-b"), a);
    upstream.set_feed(DAY, Some("list-a"), b);
    let setup = Setup::new(&upstream);
    setup.sync(); // empty -> A
    assert_eq!(cache_state(&setup), Ok("a"));
    let typical = setup.sync(); // A -> B: what every later round does
    assert_eq!(cache_state(&setup), Ok("b"));
    let mut rng = fastrand::Rng::with_seed(20_261_129);
    let mut seen = BTreeSet::new();
    for round in 0..ROUNDS {
        setup.sync_killed_after(kill_point(&mut rng, typical));
        match cache_state(&setup) {
            Ok(state) => {
                seen.insert(state);
            }
            Err(problem) => panic!("round {round}: {problem}"),
        }
    }
    assert!(
        seen.contains("a") && seen.contains("b"),
        "kills landed both before and after commits: {seen:?}"
    );
    setup.sync();
    assert!(cache_state(&setup).is_ok());
}

#[test]
fn sigkill_during_pushes_loses_and_doubles_nothing() {
    let upstream = FakeUpstream::start(OFFICE, TOKEN).expect("server");
    // The answer comes late, after the events were applied: kills land between the two.
    upstream.set_push_answer_delay(Duration::from_millis(40));
    let setup = Setup::new(&upstream);
    let mut store = setup.store();
    let mut nonces = BTreeSet::new();
    let check_in = |store: &mut Store, n: usize| {
        store
            .record_checkin(&NewCheckin {
                booking_code: &format!("MPKILL{n:05}"),
                applicants: vec![ApplicantSlot {
                    applicant_index: 0,
                    queue: "A".into(),
                    name: None,
                    priority: None,
                    nonce: None,
                }],
                office_date: DAY.parse().expect("date"),
                at: AT.into(),
                kiosk: "K1",
                facts: hadir::store::BookingTicketFacts {
                    service: hadir::model::Service::Baru,
                    express: false,
                    slot: String::new(),
                },
                by_staff: None,
                numbering: hadir::store::Numbering::Local,
            })
            .expect("records")
            .expect("new");
    };
    for n in 0..20 {
        check_in(&mut store, n);
    }
    let typical = setup.sync();
    let mut rng = fastrand::Rng::with_seed(20_261_201);
    for round in 0..ROUNDS {
        for n in 0..10 {
            check_in(&mut store, 20 + round * 10 + n);
        }
        for event in store.outbox_batch(10_000).expect("reads") {
            nonces.insert(event.nonce);
        }
        setup.sync_killed_after(kill_point(&mut rng, typical));
        let reopened = setup.store(); // opens after a kill
        assert_eq!(
            reopened.integrity_check().expect("check"),
            "ok",
            "round {round}"
        );
    }
    upstream.set_push_answer_delay(Duration::ZERO);
    setup.sync();
    assert_eq!(
        store.outbox_len().expect("count"),
        0,
        "outbox empty once healed"
    );
    let applied: BTreeSet<String> = upstream.applied().into_keys().collect();
    let first_twenty = applied.len() - nonces.len();
    assert_eq!(first_twenty, 20, "the first sync pushed the first 20");
    assert!(nonces.is_subset(&applied), "no event lost");
    let doubled: Vec<_> = upstream
        .effects()
        .into_iter()
        .filter(|(_, n)| *n != 1)
        .collect();
    assert!(doubled.is_empty(), "nothing applied twice: {doubled:?}");
    let resent = upstream.deliveries().values().filter(|n| **n > 1).count();
    assert!(resent > 0, "some kills landed after apply, before settle");
}
