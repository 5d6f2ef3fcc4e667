//! The office-hub scenario and its check, shared by `tests/hub.rs` (which asserts the check on a
//! small run in every `cargo test`) and `benches/hub.rs` (which times the same run at 20 kiosks
//! x 10 scans/s and prints the check beside the latencies).
//!
//! The scenario: kiosks in hub mode, each with its own temp data dir, SQLite store and offline
//! block, all holding one feed of distinct bookings in the 09:00-10:00 slot. Each kiosk checks
//! in one warm-up booking, then, with its background hub task running as in production, scans
//! a new booking every period (ticks staggered over the period); one booking in
//! `conflict_every` is scanned at the next kiosk at the same moment too. Afterwards every
//! kiosk replays what it numbered offline.
//!
//! The check ([`HubCheck`]): no (queue, number) twice in the hub (check-ins and doubles' second
//! tickets), the hub's own numbers dense per queue around the reserved range (a gap only where a
//! kiosk gave up on a claim that committed later), one hub check-in per applicant admitted,
//! every conflict pair answered once `ok` and once `already`, nothing left pending.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hadir::checkin::Verdict;
use hadir::config::HubUrl;
use hadir::feed::{Applicant, Appointment, FeedBody};
use hadir::hub::{self, HubLink};
use hadir::kiosk::{Printing, ScanContext};
use hadir::model::{BookingStatus, Priority, Service};
use hadir::scan_result::{PendingPrint, ScanResult};
use hadir::{Config, Store};
use jiff::civil::{date, time};
use jiff::{Timestamp, ZonedDateTime};
use tokio::time::MissedTickBehavior;

use super::{at, day, office_zone, pg_client, OFFICE};

/// Numbers kept for the kiosks' offline blocks: a hub number never falls in here.
pub const RESERVED: (u32, u32) = (500, 2499);
/// Each kiosk's offline block: kiosk k numbers from 500 + 100 k when the hub does not answer.
pub const BLOCK_SIZE: u32 = 100;

/// Kiosk `k` (K01, K02, ...) of the office, in hub mode at `url` (or on its own when `None`),
/// giving the hub `timeout_ms` before it numbers from its block.
pub fn hub_config(k: usize, url: Option<&str>, timeout_ms: u64) -> Config {
    let mut config = Config::default();
    config.kiosk.id = format!("K{:02}", k + 1);
    config.office.id = OFFICE.into();
    config.hub_url = url.map(HubUrl::new);
    config.hub.timeout_ms = timeout_ms;
    config.hub.reserved_from = RESERVED.0;
    config.hub.reserved_to = RESERVED.1;
    config.hub.offline_block_size = BLOCK_SIZE;
    config.hub.offline_block_start = RESERVED.0 + BLOCK_SIZE * k as u32;
    config
}

/// One kiosk: its own data dir and SQLite file holding the day's feed, its link to the hub.
#[derive(Debug)]
pub struct HubKiosk {
    _dir: tempfile::TempDir,
    pub config: Config,
    pub store: Arc<Mutex<Store>>,
    pub link: Arc<HubLink>,
}

impl HubKiosk {
    /// A kiosk of `config` (its data dir a fresh temp dir) with `feed` applied at 08:00;
    /// `fsync` false turns SQLite's syncs off (a bench's diagnostic run only).
    pub fn open(mut config: Config, feed: &FeedBody, fsync: bool) -> HubKiosk {
        let dir = tempfile::tempdir().expect("temp dir");
        config.kiosk.data_dir = Some(dir.path().to_owned());
        config.check().expect("a valid hub config");
        let mut store = Store::open_in(dir.path()).expect("store");
        if !fsync {
            store = store.without_fsync_for_benchmarks().expect("pragma");
        }
        store
            .apply_feed(feed, at(8, 0).timestamp())
            .expect("feed applies");
        let url = config
            .hub_url
            .clone()
            .unwrap_or_else(|| HubUrl::new("postgres://unused"));
        HubKiosk {
            _dir: dir,
            link: Arc::new(HubLink::new(url)),
            config,
            store: Arc::new(Mutex::new(store)),
        }
    }

    /// A scan of `code` at `now`, as the kiosk makes it (through the hub when it has one); the
    /// ticket is left for the caller to print.
    pub async fn scan(
        &self,
        code: &str,
        now: &ZonedDateTime,
    ) -> hadir::Result<(ScanResult, Vec<PendingPrint>)> {
        let ctx = ScanContext {
            store: self.store.as_ref(),
            hub: self.config.hub_url.as_ref().map(|_| self.link.as_ref()),
            printing: Printing::Later,
            language: self.config.kiosk.language,
            now,
            config: &self.config,
        };
        let (answer, pending) = hadir::kiosk::scan(code, &ctx).await?;
        let result = answer.into_checkin().expect("a booking code is a check-in");
        Ok((result, pending))
    }

    /// Sends the hub what this kiosk numbered offline (and connects, and migrates the schema).
    pub async fn replay(&self, at: Timestamp) {
        hub::replay_pending(self.store.as_ref(), &self.link, at, &self.config)
            .await
            .expect("the kiosk reaches the hub");
    }

    /// Check-ins this kiosk numbered offline that the hub has not heard of yet.
    pub fn pending(&self) -> i64 {
        self.store
            .lock()
            .expect("store")
            .hub_pending_count()
            .expect("count")
    }
}

pub fn code_for(n: usize) -> String {
    format!("MPHUB{n:07}")
}

pub fn service_of(n: usize) -> Service {
    [Service::Baru, Service::Penggantian, Service::HilangRusak][n % 3]
}

pub fn applicants_of(n: usize) -> usize {
    1 + n % 3
}

/// Bookings `n` in `bookings`: slot 09:00-10:00 on [`day`], 1-3 applicants, the first a
/// priority applicant in one booking of 11 (so queues A, B, C and P all fill).
pub fn feed(bookings: std::ops::Range<usize>) -> FeedBody {
    let appointments = bookings
        .map(|n| Appointment {
            booking_code: code_for(n),
            date: day(),
            slot_start: time(9, 0, 0, 0),
            slot_end: time(10, 0, 0, 0),
            service: service_of(n),
            express: n % 5 == 0,
            status: BookingStatus::Booked,
            applicants: (0..applicants_of(n))
                .map(|a| Applicant {
                    name: format!("PEMOHON HUB {n} {a}"),
                    birth_date: date(1950 + (n % 50) as i16, 1 + a as i8, 10 + (n % 10) as i8),
                    nik_last4: format!("{:04}", (n * 7 + a) % 10_000),
                    priority: (a == 0 && n % 11 == 0).then_some(Priority::Lansia),
                })
                .collect(),
            updated_at: "2026-11-28T06:00:00Z".parse().expect("ts"),
        })
        .collect();
    FeedBody {
        office: OFFICE.into(),
        date: day(),
        full: true,
        cursor: Some("bench".into()),
        appointments,
        revoked: Vec::new(),
        skipped: Vec::new(),
    }
}

/// The feed a [`steady_run`] of `kiosks` x `ticks` scans needs (its warm-up bookings included).
pub fn feed_for_run(kiosks: usize, ticks: usize) -> FeedBody {
    feed(0..kiosks * ticks + kiosks)
}

/// The office clock during a run: 09:05 plus the real time elapsed, so the link's retry timer
/// works as in production and every slot (09:00-10:00) stays open.
#[derive(Debug, Clone, Copy)]
pub struct RunClock {
    base: Timestamp,
    pub started: Instant,
}

impl RunClock {
    pub fn start() -> RunClock {
        RunClock {
            base: at(9, 5).timestamp(),
            started: Instant::now(),
        }
    }

    /// The same office time, counted from now on.
    pub fn restarted(&self) -> RunClock {
        RunClock {
            base: self.timestamp(),
            started: Instant::now(),
        }
    }

    pub fn timestamp(&self) -> Timestamp {
        let elapsed = jiff::SignedDuration::try_from(self.started.elapsed()).expect("duration");
        self.base.checked_add(elapsed).expect("timestamp")
    }

    pub fn now(&self) -> ZonedDateTime {
        self.timestamp().to_zoned_datetime(office_zone())
    }
}

/// Kiosk `k` of `kiosks`' ticker: one tick a `period`, the kiosks' ticks spread evenly over the
/// period, as applicants do not arrive at every kiosk in the same millisecond. A late tick is
/// caught up (`Burst`), so the offered load stays the rate as long as a kiosk keeps up on
/// average.
pub fn staggered(k: usize, kiosks: usize, period: Duration) -> tokio::time::Interval {
    let offset = period * k as u32 / kiosks as u32;
    let mut interval = tokio::time::interval_at(tokio::time::Instant::now() + offset, period);
    interval.set_missed_tick_behavior(MissedTickBehavior::Burst);
    interval
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `ok`, numbers from the hub.
    Hub,
    /// `ok`, numbers from the kiosk's offline block: the hub did not answer within the budget.
    Fallback,
    Already,
    Error,
}

/// One timed scan of a run.
#[derive(Debug)]
pub struct Sample {
    pub booking: usize,
    /// When the scan started, from the start of the run.
    pub at: Duration,
    pub latency: Duration,
    pub kind: Kind,
    /// Applicants admitted by an `ok`.
    pub applicants: usize,
    pub error: Option<String>,
}

impl Sample {
    pub fn admitted(&self) -> bool {
        matches!(self.kind, Kind::Hub | Kind::Fallback)
    }
}

fn classify(
    booking: usize,
    at: Duration,
    latency: Duration,
    result: hadir::Result<(ScanResult, Vec<PendingPrint>)>,
) -> Sample {
    let (kind, applicants, error) = match result {
        Err(error) => (Kind::Error, 0, Some(error.to_string())),
        Ok((result, _pending)) => match result.verdict {
            Verdict::Ok => {
                let offline = result.tickets.iter().any(|t| {
                    let number: u32 = t
                        .label
                        .rsplit('-')
                        .next()
                        .and_then(|n| n.parse().ok())
                        .unwrap_or(0);
                    (RESERVED.0..=RESERVED.1).contains(&number)
                });
                let kind = if offline { Kind::Fallback } else { Kind::Hub };
                (kind, result.tickets.len(), None)
            }
            Verdict::AlreadyCheckedIn => (Kind::Already, 0, None),
            other => (Kind::Error, 0, Some(format!("refused: {}", other.code()))),
        },
    };
    Sample {
        booking,
        at,
        latency,
        kind,
        applicants,
        error,
    }
}

/// Booking `booking` scanned at `kiosk` now, timed.
pub async fn timed_scan(kiosk: &HubKiosk, booking: usize, clock: RunClock) -> Sample {
    let code = code_for(booking);
    let now = clock.now();
    let started = Instant::now();
    let at = started.duration_since(clock.started);
    let result = kiosk.scan(&code, &now).await;
    classify(booking, at, started.elapsed(), result)
}

/// What a [`steady_run`] measured.
#[derive(Debug)]
pub struct Run {
    /// Applicants of the warm-up scans (one per kiosk, before the clock starts).
    pub warm_up: usize,
    pub scheduled: Vec<Sample>,
    pub conflicts: Vec<Sample>,
    pub wall: Duration,
}

impl Run {
    /// Every scan of the run: the scheduled ones, then the conflicts' second scans.
    pub fn all(&self) -> impl Iterator<Item = &Sample> {
        self.scheduled.iter().chain(&self.conflicts)
    }

    /// Applicants admitted by `ok` answers, warm-up included: each must be one hub check-in.
    pub fn admitted_applicants(&self) -> usize {
        self.all()
            .filter(|s| s.admitted())
            .map(|s| s.applicants)
            .sum::<usize>()
            + self.warm_up
    }

    /// Applicants numbered from an offline block (a hub claim given up on may leave a gap).
    pub fn fallback_applicants(&self) -> usize {
        self.all()
            .filter(|s| s.kind == Kind::Fallback)
            .map(|s| s.applicants)
            .sum()
    }
}

/// Every kiosk scans `ticks` new bookings, one a `period`, through the hub; booking `b` of tick
/// `t` at kiosk `k` is `t * kiosks + k`, and one in `conflict_every` is scanned at kiosk `k + 1`
/// at the same moment too. Needs the bookings of [`feed_for_run`] in every kiosk's store and a
/// multi-thread runtime (the kiosk path commits SQLite inside its task, as the kiosk app does).
pub async fn steady_run(
    kiosks: &[Arc<HubKiosk>],
    ticks: usize,
    period: Duration,
    conflict_every: usize,
) -> Run {
    let count = kiosks.len();
    let clock = RunClock::start();
    // Connected (and the schema migrated) before the clock starts, as a kiosk is long before
    // its first applicant.
    for kiosk in kiosks {
        kiosk.replay(clock.timestamp()).await;
    }
    // One check-in per kiosk first: a kiosk has served applicants long before this one (its
    // server process has planned the statements, SQLite's pages are cached).
    let mut warm_up = 0;
    for (k, kiosk) in kiosks.iter().enumerate() {
        let sample = timed_scan(kiosk, ticks * count + k, clock).await;
        assert_eq!(sample.kind, Kind::Hub, "warm-up: {:?}", sample.error);
        warm_up += sample.applicants;
    }
    let clock = clock.restarted();
    let background: Vec<_> = kiosks
        .iter()
        .map(|kiosk| {
            let clock_fn: hadir::model::Clock = Arc::new(move || clock.timestamp());
            tokio::spawn(hub::run_hub_task(
                Arc::clone(&kiosk.store),
                Arc::clone(&kiosk.link),
                kiosk.config.clone(),
                clock_fn,
            ))
        })
        .collect();

    let started = Instant::now();
    let tasks: Vec<_> = (0..count)
        .map(|k| {
            let kiosks = kiosks.to_vec();
            tokio::spawn(async move {
                let mut interval = staggered(k, count, period);
                let mut scheduled = Vec::with_capacity(ticks);
                let mut conflicts = Vec::new();
                for tick in 0..ticks {
                    interval.tick().await;
                    let booking = tick * count + k;
                    // The same booking at the next kiosk, started at the same moment.
                    if booking % conflict_every == conflict_every / 2 {
                        let other = Arc::clone(&kiosks[(k + 1) % count]);
                        conflicts.push(tokio::spawn(async move {
                            timed_scan(&other, booking, clock).await
                        }));
                    }
                    scheduled.push(timed_scan(&kiosks[k], booking, clock).await);
                }
                let mut done = Vec::with_capacity(conflicts.len());
                for conflict in conflicts {
                    done.push(conflict.await.expect("conflict scan ends"));
                }
                (scheduled, done)
            })
        })
        .collect();
    let mut run = Run {
        warm_up,
        scheduled: Vec::new(),
        conflicts: Vec::new(),
        wall: Duration::ZERO,
    };
    for task in tasks {
        let (scheduled, conflicts) = task.await.expect("kiosk ends");
        run.scheduled.extend(scheduled);
        run.conflicts.extend(conflicts);
    }
    run.wall = started.elapsed();
    for task in background {
        task.abort();
    }
    // What any kiosk numbered offline reaches the hub now (the background task would do it
    // within `retry_seconds`).
    for kiosk in kiosks {
        kiosk.replay(clock.timestamp()).await;
    }
    run
}

/// The hub's tables for [`day`] after a run, read with plain SQL, and what the run's answers
/// say about the conflict pairs.
#[derive(Debug)]
pub struct HubCheck {
    /// Hub check-ins (one per applicant admitted, whichever kiosk numbered it).
    pub hub_checkins: i64,
    /// (queue, number) held twice, counting each double's second ticket.
    pub duplicates: i64,
    /// Numbers missing from the hub's own 1..=last per queue (the reserved range aside).
    pub gaps: usize,
    /// The last hub number of each queue: `A 5642, B 9286`.
    pub last_numbers: String,
    /// Bookings served at two kiosks that could not see each other, flagged for staff.
    pub doubles: i64,
    /// Offline check-ins the kiosks still hold for the hub.
    pub pending: i64,
    /// Bookings scanned at two kiosks at once, and those answered once `ok` and once `already`.
    pub pairs: usize,
    pub pairs_one_ok: usize,
}

impl HubCheck {
    pub async fn read(url: &str, kiosks: &[Arc<HubKiosk>], run: &Run) -> HubCheck {
        let client = pg_client(url).await;
        let date = day().to_string();
        let count = |sql: &'static str| {
            let (client, date) = (&client, &date);
            async move {
                let count: i64 = client
                    .query_one(sql, &[&OFFICE, date])
                    .await
                    .expect("query")
                    .get(0);
                count
            }
        };
        let duplicates = count(
            "SELECT count(*) FROM (
                 SELECT queue, number FROM (
                     SELECT queue, number FROM checkins WHERE office = $1 AND office_date = $2::text::date
                     UNION ALL
                     SELECT split_part(other_label, '-', 1), split_part(other_label, '-', 2)::integer
                       FROM doubles WHERE office = $1 AND office_date = $2::text::date
                 ) AS numbers GROUP BY queue, number HAVING count(*) > 1
             ) AS twice",
        )
        .await;
        let hub_checkins = count(
            "SELECT count(*) FROM checkins WHERE office = $1 AND office_date = $2::text::date",
        )
        .await;
        let doubles = count(
            "SELECT count(*) FROM doubles WHERE office = $1 AND office_date = $2::text::date",
        )
        .await;
        let mut per_queue: BTreeMap<String, Vec<i32>> = BTreeMap::new();
        for row in client
            .query(
                "SELECT queue, number FROM checkins
                  WHERE office = $1 AND office_date = $2::text::date AND NOT offline
                  ORDER BY queue, number",
                &[&OFFICE, &date],
            )
            .await
            .expect("query")
        {
            per_queue.entry(row.get(0)).or_default().push(row.get(1));
        }
        let reserved = RESERVED.0 as i32..=RESERVED.1 as i32;
        // Dense: the hub's own numbers are 1..=last without the reserved range, minus only the
        // gaps a claim leaves when it committed after its kiosk gave up (the kiosk printed a
        // block number, and replay writes that number over the hub's).
        let mut gaps = 0;
        let mut last_numbers = Vec::new();
        for (queue, numbers) in &per_queue {
            let last = numbers.last().copied().unwrap_or_default();
            let expected = (1..=last).filter(|n| !reserved.contains(n)).count();
            gaps += expected - numbers.len();
            last_numbers.push(format!("{queue} {last}"));
        }
        let pending = kiosks.iter().map(|k| k.pending()).sum();
        let mut by_booking: BTreeMap<usize, Vec<Kind>> = BTreeMap::new();
        for conflict in &run.conflicts {
            by_booking.insert(conflict.booking, vec![conflict.kind]);
        }
        for scan in &run.scheduled {
            if let Some(kinds) = by_booking.get_mut(&scan.booking) {
                kinds.push(scan.kind);
            }
        }
        let pairs_one_ok = by_booking
            .values()
            .filter(|kinds| {
                let oks = kinds
                    .iter()
                    .filter(|k| matches!(k, Kind::Hub | Kind::Fallback))
                    .count();
                let already = kinds.iter().filter(|k| **k == Kind::Already).count();
                (oks, already) == (1, 1)
            })
            .count();
        HubCheck {
            hub_checkins,
            duplicates,
            gaps,
            last_numbers: last_numbers.join(", "),
            doubles,
            pending,
            pairs: by_booking.len(),
            pairs_one_ok,
        }
    }

    /// `yes (gaps: 0; last numbers: A 12, B 9)`, as the bench's table says it.
    pub fn dense(&self) -> String {
        format!(
            "{} (gaps: {}; last numbers: {})",
            if self.gaps == 0 { "yes" } else { "NO" },
            self.gaps,
            self.last_numbers
        )
    }
}
