//! Scaffolding of the core's integration tests and benchmarks, once: the office's day and clock,
//! the sample bodies, a temp store, a recorded check-in, a throwaway PostgreSQL. `hub` adds the
//! office-hub scenario (kiosks scanning at a steady rate) and the check of the hub's tables.
//!
//! Each test file includes it with `mod common;`, each bench with
//! `#[path = "../tests/common/mod.rs"] mod common;`; the core itself never depends on it.

// Every test file and bench compiles its own copy and uses only part of it.
#![allow(dead_code)]

pub mod hub;

use std::path::Path;

use hadir::model::Service;
use hadir::store::{ApplicantSlot, BookingTicketFacts, NewCheckin, Numbering};
use hadir::Store;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::ZonedDateTime;
use temp_postgres::TempPostgres;

/// The office of the sample bodies and the fake gateway.
pub const OFFICE: &str = "KANIM-KUPANG";

/// The day every sample body, demo and scenario falls on.
pub fn day() -> Date {
    Date::constant(2026, 11, 29)
}

/// Kupang's zone (WITA, UTC+8), the default office's.
pub fn office_zone() -> TimeZone {
    TimeZone::get("Asia/Makassar").expect("bundled tzdb")
}

/// `hour:minute` on `date`, office time.
pub fn office_time(date: Date, hour: i8, minute: i8) -> ZonedDateTime {
    date.at(hour, minute, 0, 0)
        .to_zoned_datetime(office_zone())
        .expect("a time in the office's zone")
}

/// `hour:minute` on [`day`], office time.
pub fn at(hour: i8, minute: i8) -> ZonedDateTime {
    office_time(day(), hour, minute)
}

/// A sample body from the crate's `testdata/` (see its README.md).
pub fn testdata(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A fresh store in its own temp folder (kept as long as the folder is).
pub fn temp_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open_in(dir.path()).expect("store opens");
    (dir, store)
}

/// Checks in these applicants of a booking on [`day`] at `at` (queue A, kiosk K1, a new booking
/// of service baru), as a scan would, through the store alone.
pub fn record_checkin(store: &mut Store, code: &str, applicants: std::ops::Range<usize>, at: &str) {
    store
        .record_checkin(&NewCheckin {
            booking_code: code,
            applicants: applicants
                .map(|applicant_index| ApplicantSlot {
                    applicant_index,
                    queue: "A".into(),
                    name: None,
                    priority: None,
                    nonce: None,
                })
                .collect(),
            office_date: day(),
            at: at.into(),
            kiosk: "K1",
            facts: BookingTicketFacts {
                service: Service::Baru,
                express: false,
                slot: String::new(),
            },
            by_staff: None,
            numbering: Numbering::Local,
        })
        .expect("records")
        .expect("new");
}

/// A throwaway PostgreSQL server, or `None` (with the reason on stderr) on a machine without one:
/// the hub's tests then pass without running, as docs/scaling.md says.
pub fn postgres() -> Option<TempPostgres> {
    if let Some(reason) = temp_postgres::skip_reason() {
        eprintln!("skipped: {reason}");
        return None;
    }
    Some(TempPostgres::start().expect("PostgreSQL starts"))
}

/// A plain connection to the hub's database, to read its tables independently of the core.
pub async fn pg_client(url: &str) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .expect("connects");
    tokio::spawn(connection);
    client
}
