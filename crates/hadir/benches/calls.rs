//! The whole office queue on one hub, against a real PostgreSQL server: 10 kiosks checking in,
//! 20 counters calling, 5 waiting-room displays listening. Run:
//! `cargo bench -p hadir --bench calls` (`HADIR_BENCH_SECONDS=60` is the default length).
//! Prints Markdown tables for BENCHMARKS.md ("The whole office queue", issue #18).
//!
//! - Kiosks: `HubKiosk`s (own temp data dir, SQLite with fsync, `HubLink`) scanning a new
//!   booking (1-3 applicants) every `KIOSK_PERIOD`, ticks spread, through `kiosk::scan` in hub
//!   mode, as the kiosk app does.
//! - Counters: each serves every service, loops "call next" (`hub::call_next`), then after a
//!   service time of 0.5-1.5 s "finish" (one call in five is first called again once, a second
//!   call on the displays); when nobody waits it looks again after 200 ms.
//! - Displays: `hub::DisplayFeed`s, the display app's own listening connection (LISTEN
//!   `hadir_calls`, then the call read by id).
//!
//! Measured: from the moment a counter's "call next" (or "call again") starts, the hub work
//! included, to the moment each display holds the call: the hub's part of "call -> display".
//! The page's own part (the board event to a painted number) is measured in the window by the
//! display's end-to-end test; BENCHMARKS.md gives both. The hub's load: its server processes'
//! CPU time (Linux /proc), commits per second and connections.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bench_stats::{ms_cell, print_header, print_row, Summary};
use hadir::config::HubUrl;
use hadir::hub::{self, CallNext, Desk, DisplayFeed};
use hadir::model::Service;

#[path = "../tests/common/mod.rs"]
mod common;

use common::hub::{code_for, feed, hub_config, staggered, HubKiosk, RunClock};
use common::{pg_client, postgres, OFFICE};

const KIOSKS: usize = 10;
const COUNTERS: usize = 20;
const DISPLAYS: usize = 5;
/// One new booking per kiosk this often: 10 kiosks, ~20 applicants a second in all.
const KIOSK_PERIOD: Duration = Duration::from_secs(1);
/// Target from issue #18: a call on every display within this, p99.
const TARGET_P99_MS: f64 = 500.0;

/// When each call started at its counter, by `calls.id`.
type Started = Arc<Mutex<HashMap<i64, Instant>>>;
/// When each display held each call: (display, call id, instant).
type Received = Arc<Mutex<Vec<(usize, i64, Instant)>>>;

fn main() {
    let Some(pg) = postgres() else { return };
    let seconds: u64 = std::env::var("HADIR_BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .filter(|&s| s > 0)
        .unwrap_or(60);
    let url = pg.url();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
        .expect("runtime");
    let ticks = seconds as usize + 1;
    let bookings = feed(0..KIOSKS * ticks);
    let kiosks: Vec<Arc<HubKiosk>> = (0..KIOSKS)
        .map(|k| {
            Arc::new(HubKiosk::open(
                hub_config(k, Some(&url), 300),
                &bookings,
                true,
            ))
        })
        .collect();
    drop(bookings);
    let config = kiosks[0].config.clone();
    let started: Started = Arc::default();
    let received: Received = Arc::default();
    let clock = RunClock::start();
    let deadline = Instant::now() + Duration::from_secs(seconds);

    let (load, counts) = runtime.block_on(async {
        // Schema first, so the displays and counters do not race the migrations.
        hub::connect(&HubUrl::new(url.clone()), Duration::from_secs(5))
            .await
            .expect("the hub answers");
        let mut tasks = Vec::new();
        for d in 0..DISPLAYS {
            let mut feed =
                DisplayFeed::connect(&HubUrl::new(url.clone()), OFFICE, Duration::from_secs(5))
                    .await
                    .expect("a display listens");
            let received = Arc::clone(&received);
            tasks.push(tokio::spawn(async move {
                while Instant::now() < deadline + Duration::from_secs(2) {
                    let next = tokio::time::timeout(Duration::from_secs(1), feed.next_call()).await;
                    if let Ok(call) = next {
                        let call = call.expect("the display keeps the hub");
                        received.lock().expect("not poisoned").push((
                            d,
                            call.call_id,
                            Instant::now(),
                        ));
                    }
                }
            }));
        }
        let before = HubLoad::read(&url).await;
        for (k, kiosk) in kiosks.iter().enumerate() {
            let kiosk = Arc::clone(kiosk);
            tasks.push(tokio::spawn(async move {
                let mut ticker = staggered(k, KIOSKS, KIOSK_PERIOD);
                for tick in 0..ticks {
                    ticker.tick().await;
                    if Instant::now() >= deadline {
                        break;
                    }
                    let _ = kiosk.scan(&code_for(tick * KIOSKS + k), &clock.now()).await;
                }
            }));
        }
        for c in 0..COUNTERS {
            let url = url.clone();
            let config = config.clone();
            let started = Arc::clone(&started);
            tasks.push(tokio::spawn(async move {
                counter(c, &url, &config, clock, deadline, &started).await
            }));
        }
        for task in tasks {
            task.await.expect("a task ends");
        }
        let after = HubLoad::read(&url).await;
        (after.since(&before), calls_made(&url).await)
    });

    let started = started.lock().expect("not poisoned");
    let received = received.lock().expect("not poisoned");
    let mut latencies = Vec::new();
    let mut missed = 0;
    for (&call_id, &at) in started.iter() {
        let held: Vec<_> = received
            .iter()
            .filter(|(_, id, _)| *id == call_id)
            .collect();
        missed += DISPLAYS - held.len();
        latencies.extend(
            held.iter()
                .map(|(_, _, when)| when.saturating_duration_since(at)),
        );
    }
    let summary = Summary::of(latencies);
    println!();
    println!(
        "Whole office queue: {KIOSKS} kiosks, {COUNTERS} counters, {DISPLAYS} displays, {seconds} s"
    );
    println!();
    print_header(&[
        "measure",
        "calls x displays",
        "p50",
        "p90",
        "p99",
        "max",
        "over 500 ms",
    ]);
    print_row(&[
        "counter's call starts -> the call held by each display (hub part)".to_owned(),
        summary.count().to_string(),
        ms_cell(summary.p50(), 2),
        ms_cell(summary.p90(), 2),
        ms_cell(summary.p99(), 2),
        ms_cell(summary.max(), 2),
        summary.over(Duration::from_millis(500)).to_string(),
    ]);
    println!();
    print_header(&["run", "value"]);
    print_row(&[
        "calls made (first calls and calls again)",
        &started.len().to_string(),
    ]);
    print_row(&["calls in the hub's table", &counts.to_string()]);
    print_row(&["calls a display never got", &missed.to_string()]);
    print_row(&["hub CPU (server processes, user+system)", &load.cpu_line()]);
    print_row(&[
        "hub commits per second",
        &format!("{:.0}", load.commits_per_second()),
    ]);
    print_row(&[
        "hub connections open after the run (kiosks' links, this reader)",
        &load.connections.to_string(),
    ]);
    let p99 = bench_stats::ms(summary.p99());
    println!();
    println!(
        "target p99 <= {TARGET_P99_MS} ms (hub part): {}",
        if p99 <= TARGET_P99_MS {
            "met"
        } else {
            "NOT met"
        }
    );
}

/// One counter's loop until the deadline: call next, sometimes call again, serve, finish.
async fn counter(
    c: usize,
    url: &str,
    config: &hadir::Config,
    clock: RunClock,
    deadline: Instant,
    started: &Started,
) {
    let mut client = hub::connect(&HubUrl::new(url), Duration::from_secs(5))
        .await
        .expect("a counter connects");
    let desk = Desk {
        counter: i32::try_from(c + 1).expect("a counter number"),
        services: vec![Service::Baru, Service::Penggantian, Service::HilangRusak],
        staff: format!("bench-{c}"),
    };
    let mut seed = c as u64 * 7919 + 1;
    let mut random = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    while Instant::now() < deadline {
        let at = Instant::now();
        match hub::call_next(&mut client, &desk, &clock.now(), config)
            .await
            .expect("calls")
        {
            CallNext::Called { call } => {
                started
                    .lock()
                    .expect("not poisoned")
                    .insert(call.call_id, at);
                if random() % 5 == 0 {
                    tokio::time::sleep(Duration::from_millis(300)).await;
                    let again_at = Instant::now();
                    if let Some(again) =
                        hub::call_again(&mut client, desk.counter, &clock.now(), config)
                            .await
                            .expect("calls again")
                    {
                        started
                            .lock()
                            .expect("not poisoned")
                            .insert(again.call_id, again_at);
                    }
                }
                tokio::time::sleep(Duration::from_millis(500 + random() % 1000)).await;
                hub::finish(&mut client, desk.counter, &clock.now(), config)
                    .await
                    .expect("finishes");
            }
            CallNext::NobodyWaiting => tokio::time::sleep(Duration::from_millis(200)).await,
            CallNext::Busy { .. } => {
                hub::finish(&mut client, desk.counter, &clock.now(), config)
                    .await
                    .expect("finishes");
            }
        }
    }
}

async fn calls_made(url: &str) -> i64 {
    pg_client(url)
        .await
        .query_one("SELECT count(*) FROM calls", &[])
        .await
        .expect("counts")
        .get(0)
}

/// The hub's work: server processes' CPU ticks, commits, connections.
struct HubLoad {
    cpu_ticks: u64,
    commits: i64,
    at: Instant,
    connections: i64,
    elapsed: Duration,
}

impl HubLoad {
    async fn read(url: &str) -> HubLoad {
        let client = pg_client(url).await;
        let row = client
            .query_one(
                "SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()),
                        (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database())",
                &[],
            )
            .await
            .expect("stats");
        HubLoad {
            cpu_ticks: postgres_cpu_ticks(),
            commits: row.get(0),
            at: Instant::now(),
            connections: row.get(1),
            elapsed: Duration::ZERO,
        }
    }

    fn since(&self, before: &HubLoad) -> HubLoad {
        HubLoad {
            cpu_ticks: self.cpu_ticks.saturating_sub(before.cpu_ticks),
            commits: self.commits - before.commits,
            at: self.at,
            connections: self.connections,
            elapsed: self.at - before.at,
        }
    }

    fn commits_per_second(&self) -> f64 {
        self.commits as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    fn cpu_line(&self) -> String {
        // Linux's clock ticks are 100 a second (USER_HZ) on every supported architecture.
        let seconds = self.cpu_ticks as f64 / 100.0;
        format!(
            "{seconds:.1} s over {:.0} s ({:.0} % of one core)",
            self.elapsed.as_secs_f64(),
            100.0 * seconds / self.elapsed.as_secs_f64().max(1e-9)
        )
    }
}

/// utime + stime of every process named `postgres` (the temp server runs alone in this bench);
/// 0 where there is no /proc.
fn postgres_cpu_ticks() -> u64 {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0;
    };
    entries
        .flatten()
        .filter_map(|entry| std::fs::read_to_string(entry.path().join("stat")).ok())
        .filter(|stat| stat.contains("(postgres)"))
        .filter_map(|stat| {
            let after_name = stat.rsplit_once(')')?.1;
            let fields: Vec<&str> = after_name.split_whitespace().collect();
            // Fields 14 and 15 of /proc/<pid>/stat (utime, stime); 3 is the first after the name.
            let utime: u64 = fields.get(11)?.parse().ok()?;
            let stime: u64 = fields.get(12)?.parse().ok()?;
            Some(utime + stime)
        })
        .sum()
}
