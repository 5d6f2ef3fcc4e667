//! Where a check-in's time goes (`cargo bench -p hadir --bench checkin -- --breakdown`).
//!
//! The reads are timed through the store's own calls, on the kiosk's connection. The write
//! transaction runs inside the store, where no clock can reach each statement; so it is timed
//! here as the same statements on a second connection to the same file, in the order the store
//! runs them (`store/checkins.rs`), each step apart, with fsync off as in the core's p99 row.
//! The marks file (`store/number_marks.rs`) is written, as by the store, for every 20th
//! number of a queue. A diagnostic, not a second implementation: keep it in step by hand.

use std::time::{Duration, Instant};

use hadir::booking::classify;
use hadir::checkin::{check_in, decide, CacheView, CheckinRules};
use hadir::Config;
use rusqlite::{params, Connection};

use super::{code_for, filled_store, row};
use crate::common;

/// Check-ins per pass: even bookings for the steps, odd ones for the whole call.
const CHECKINS: usize = 500;

/// Whether the store does the marks and the checkpoint after the print (issue #19); `false`
/// models the store before it, for the A side of an A/B run.
const WORK_AHEAD: bool = true;

/// What the kiosk asks of the store after a ticket has printed.
fn after_print(store: &hadir::Store, date: jiff::civil::Date) {
    if WORK_AHEAD {
        store.prepare_next_checkin(date).expect("work ahead");
    }
}

/// The named steps of one check-in, in order.
const STEPS: &[&str] = &[
    "read: appointment + applicants",
    "read: revoked?",
    "read: tickets already issued",
    "classify + rules + decide (no SQL)",
    "BEGIN IMMEDIATE",
    "INSERT checkins",
    "UPSERT queue_counters",
    "marks file (number past the mark)",
    "INSERT tickets",
    "INSERT ticket_facts",
    "event JSON + INSERT outbox",
    "COMMIT",
];

pub fn run(sizes: &[usize]) {
    for &size in sizes {
        let (dir, store) = filled_store(size, false);
        let mut steps: Vec<Vec<Duration>> = vec![Vec::new(); STEPS.len()];
        let conn = Connection::open(store.path()).expect("second connection");
        conn.pragma_update(None, "synchronous", "OFF")
            .expect("pragma");
        conn.pragma_update(None, "foreign_keys", true)
            .expect("pragma");
        print_query_plans(&conn);
        let config = Config::default();
        let now = common::at(9, 30);
        let step = (size / (2 * CHECKINS)).max(1);
        let marks = dir.path().join("breakdown-marks.txt");
        let mut mark = std::collections::HashMap::new();
        for i in 0..CHECKINS {
            let code = code_for(2 * i * step % size);
            let mut clock = StepClock::new(&mut steps);
            let cached = store.find_appointment(&code).expect("reads");
            clock.lap();
            let revoked = store.is_revoked(&code).expect("reads");
            clock.lap();
            let existing = store.tickets_for_booking(&code, now.date()).expect("reads");
            clock.lap();
            let cache = CacheView {
                booking: cached.as_ref(),
                revoked,
                already_checked_in: !existing.is_empty(),
            };
            let decision = decide(&classify(&code), cache, &now, &CheckinRules::from(&config));
            assert!(decision.booking.is_some(), "admitted");
            clock.lap();
            write_like_the_store(&conn, &code, i, (&marks, &mut mark), &mut clock);
        }
        for (name, timings) in STEPS.iter().zip(steps) {
            row(name, &size.to_string(), &timings);
        }
        drop(conn);
        // The whole call on the same store, for the sum the steps should come to.
        let mut store = store;
        let mut whole = Vec::new();
        for i in 0..CHECKINS {
            let code = code_for((2 * i * step + 1) % size);
            let start = Instant::now();
            let outcome = check_in(&mut store, &code, &now, &config).expect("check-in");
            whole.push(start.elapsed());
            assert_eq!(outcome.verdict.code(), "ok");
            after_print(&store, now.date());
        }
        row("whole check_in (fsync off)", &size.to_string(), &whole);
    }
    // A kiosk's config holds the signing service's keys; the rules are built per scan.
    let key = ed25519_dalek::SigningKey::from_bytes(&[7; 32]).verifying_key();
    let text = base64::Engine::encode(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        key.to_bytes(),
    );
    let mut config = Config::default();
    config.keys.insert("k1".into(), text);
    let decodes: Vec<Duration> = (0..CHECKINS)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(CheckinRules::from(&config));
            start.elapsed()
        })
        .collect();
    row("rules from a config with one key", "-", &decodes);
}

/// SQLite's plan for the check-in's reads, to stderr (the tables stay on stdout).
fn print_query_plans(conn: &Connection) {
    for sql in [
        "SELECT office FROM appointments WHERE booking_code = ?1",
        "SELECT name FROM applicants WHERE booking_code = ?1 ORDER BY idx",
        "SELECT t.id FROM tickets t JOIN checkins c ON c.id = t.checkin_id
         WHERE c.booking_code = ?1 AND t.office_date = ?2 ORDER BY t.issued_at, t.group_pos",
    ] {
        let mut stmt = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .expect("explains");
        let nulls = vec![rusqlite::types::Null; stmt.parameter_count()];
        let plan: Vec<String> = stmt
            .query_map(rusqlite::params_from_iter(nulls), |row| row.get(3))
            .expect("plan")
            .collect::<rusqlite::Result<_>>()
            .expect("plan");
        eprintln!(
            "{}\n  -> {}",
            sql.split_whitespace().collect::<Vec<_>>().join(" "),
            plan.join("; ")
        );
    }
}

/// The store's write transaction for one applicant, step by step.
fn write_like_the_store(
    conn: &Connection,
    code: &str,
    i: usize,
    (marks, mark): (
        &std::path::Path,
        &mut std::collections::HashMap<&'static str, i64>,
    ),
    clock: &mut StepClock<'_>,
) {
    let date = "2026-11-29";
    let at = "2026-11-29T09:30:00+08:00";
    let queue = ["A", "B", "C"][i % 3];
    conn.execute_batch("BEGIN IMMEDIATE").expect("begin");
    clock.lap();
    let nonce = uuid::Uuid::new_v4().to_string();
    conn.prepare_cached(
        "INSERT INTO checkins (booking_code, applicant_index, office_date, at, kiosk, method, nonce)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (booking_code, applicant_index, office_date) DO NOTHING",
    )
    .expect("prepares")
    .execute(params![code, 0, date, at, "K1", "scan", nonce])
    .expect("inserts");
    let checkin_id = conn.last_insert_rowid();
    clock.lap();
    let number: i64 = conn
        .prepare_cached(
            "INSERT INTO queue_counters (office_date, queue, last_number) VALUES (?1, ?2, 1)
             ON CONFLICT (office_date, queue) DO UPDATE SET last_number = last_number + 1
             RETURNING last_number",
        )
        .expect("prepares")
        .query_row(params![date, queue], |row| row.get(0))
        .expect("counts");
    clock.lap();
    let reserved = mark.entry(queue).or_insert(0);
    if number > *reserved {
        *reserved = number + 19;
        write_mark(marks, *reserved);
    }
    clock.lap();
    let ticket_id = uuid::Uuid::new_v4().simple().to_string();
    let label = format!("{queue}-{number:03}");
    conn.prepare_cached(
        "INSERT INTO tickets (id, checkin_id, office_date, queue, number, label, group_pos, group_size, issued_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )
    .expect("prepares")
    .execute(params![ticket_id, checkin_id, date, queue, number, label, 1, 1, at])
    .expect("inserts");
    clock.lap();
    conn.prepare_cached(
        "INSERT INTO ticket_facts (ticket_id, service, express, slot, priority, applicant_name)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )
    .expect("prepares")
    .execute(params![
        ticket_id,
        "baru",
        false,
        "09:00-10:00",
        None::<String>,
        "PEMOHON BENCHMARK"
    ])
    .expect("inserts");
    clock.lap();
    let event = serde_json::json!({
        "nonce": nonce,
        "kind": "checkin",
        "booking_code": code,
        "ticket": label,
        "applicant_index": 0,
        "at": at,
    });
    conn.prepare_cached(
        "INSERT INTO outbox (nonce, kind, body, created_at) VALUES (?1, 'checkin', ?2, ?3)",
    )
    .expect("prepares")
    .execute(params![nonce, event.to_string(), at])
    .expect("inserts");
    clock.lap();
    conn.execute_batch("COMMIT").expect("commits");
    clock.lap();
    if WORK_AHEAD {
        // After the print, untimed: the mark moves when less than half a block is left, and
        // every 40th time the log is checkpointed (`store/ahead.rs`).
        let reserved = mark.entry(queue).or_insert(0);
        if *reserved - number < 10 {
            *reserved = number + 19;
            write_mark(marks, *reserved);
        }
        if (i + 1).is_multiple_of(40) {
            // (busy, pages in the log, pages checkpointed)
            let pages: i64 = conn
                .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |row| row.get(1))
                .expect("checkpoints");
            if i + 1 == 80 {
                eprintln!("40 check-ins wrote {pages} pages to the log");
            }
        }
    }
}

/// The marks file written as the store writes it (whole, under a temporary name, renamed),
/// without fsync as the rest of this breakdown.
fn write_mark(marks: &std::path::Path, mark: i64) {
    let temp = marks.with_extension("tmp");
    std::fs::write(&temp, format!("2026-11-29 A {mark}\n")).expect("writes");
    std::fs::rename(&temp, marks).expect("renames");
}

/// Hands each step the time since the previous one.
struct StepClock<'a> {
    steps: &'a mut [Vec<Duration>],
    next: usize,
    since: Instant,
}

impl<'a> StepClock<'a> {
    fn new(steps: &'a mut [Vec<Duration>]) -> Self {
        StepClock {
            steps,
            next: 0,
            since: Instant::now(),
        }
    }

    fn lap(&mut self) {
        let now = Instant::now();
        self.steps[self.next].push(now - self.since);
        self.next += 1;
        self.since = Instant::now();
    }
}
