//! A realistic day of appointments for the demo and for tests, in the feed contract's shape and
//! applied through the same path as a real feed.
//!
//! The day is the same every time for a given date (a fixed pseudo-random sequence seeded by
//! the date), plus a few "try now" bookings whose slot holds the current hour, so a visitor can
//! check in whatever time it is. The "try now" codes never change ([`TRY_NOW`]): the README lists
//! them, and a test holds the README to what the demo logs.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::{Signer, SigningKey};
use jiff::civil::{Date, Time};
use jiff::ZonedDateTime;
use serde::Serialize;

use crate::config::{Config, SinkKind};
use crate::error::Result;
use crate::feed::{Applicant, Appointment, FeedBody};
use crate::model::{hh_mm, BookingStatus, Priority, Service, StaffRole};
use crate::store::{FeedApplied, Store};

/// Key id of the demo signing key.
pub const DEMO_KEY_ID: &str = "demo";
/// Seed of the demo signing key: the `k1` test-only seed of the test vectors
/// (`testdata/booking-tokens.json`), which `docs/booking-qr.md` allows for tests and the demo.
/// Never configure its public key on a real kiosk: anyone can sign with it.
const DEMO_SEED: &str = "8iiaG_SJlC8o4TtqmMccSmN8B1kFHqN7IcD-Skx2r1M";

fn demo_signing_key() -> SigningKey {
    let seed: [u8; 32] = URL_SAFE_NO_PAD
        .decode(DEMO_SEED)
        .ok()
        .and_then(|bytes| bytes.try_into().ok())
        .unwrap_or([0; 32]);
    SigningKey::from_bytes(&seed)
}

/// The demo key's public half, as `[keys]` in hadir.toml writes it.
pub fn demo_public_key() -> String {
    URL_SAFE_NO_PAD.encode(demo_signing_key().verifying_key().to_bytes())
}

/// Signs a booking token with the demo key (for the demo and tests).
pub fn sign_demo_token(claims: &serde_json::Value) -> String {
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    let input = format!("MPQ1.{payload}");
    let signature = demo_signing_key().sign(input.as_bytes());
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes()))
}

/// A booking code worth trying in the demo, with what the kiosk will answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TryCode {
    /// The text to scan or type: a booking code, or a whole signed token.
    pub booking_code: String,
    pub expect: &'static str,
    pub what: &'static str,
    /// The booking it checks in (a token's claimed booking code); none for codes that never do.
    #[serde(skip)]
    booking: Option<String>,
}

impl TryCode {
    /// The demo's log line for this code, as the README quotes it.
    pub fn log_line(&self) -> String {
        format!(
            "try {} -> {} ({})",
            self.booking_code, self.expect, self.what
        )
    }
}

/// The "try now" bookings: code, service, express, each applicant's priority (exactly these,
/// none drawn at random), status, the verdict and what it shows. Fixed codes, so the README's
/// examples are the demo's own.
type TryNow = (
    &'static str,
    Service,
    bool,
    &'static [Option<Priority>],
    BookingStatus,
    &'static str,
    &'static str,
);
const TRY_NOW: [TryNow; 4] = [
    (
        "MP7QJ4KX2D",
        Service::Baru,
        false,
        &[None],
        BookingStatus::Booked,
        "ok",
        "one applicant, new passport: a number in queue A",
    ),
    (
        "MPH2W9RT5C",
        Service::Penggantian,
        false,
        &[Some(Priority::Lansia), None, Some(Priority::Anak)],
        BookingStatus::Booked,
        "ok",
        "family of three with an elderly member and a child: three priority numbers",
    ),
    (
        "MPX5PR3GHN",
        Service::HilangRusak,
        true,
        &[Some(Priority::IbuHamil)],
        BookingStatus::Booked,
        "ok",
        "express, lost or damaged passport, expecting mother: one priority number",
    ),
    (
        "MPC4NC3LDB",
        Service::Baru,
        false,
        &[None],
        BookingStatus::Cancelled,
        "cancelled",
        "a cancelled booking",
    ),
];
/// Booking codes in the demo's signed tokens: one the cache does not hold, one tampered with.
const TOKEN_BOOKING: &str = "MPT6KN8WQE";
const TAMPERED_TOKEN_BOOKING: &str = "MPT7RJ2AMV";
/// A well-formed code the office does not know.
const UNKNOWN_CODE: &str = "MPZZZZZZZZ";

#[derive(Debug, Clone, PartialEq)]
pub struct DemoDay {
    pub body: FeedBody,
    pub try_codes: Vec<TryCode>,
}

const GIVEN_NAMES: &[&str] = &[
    "MARIA",
    "YOSEF",
    "AGUSTINA",
    "FERDINANDUS",
    "MARSELINA",
    "ALOYSIUS",
    "YULIANA",
    "ROSALIA",
    "PETRUS",
    "MARGARETHA",
    "YOHANES",
    "KRISTINA",
    "FRANSISKUS",
    "ELISABETH",
    "DOMINGGUS",
    "SERLY",
];
const FAMILY_NAMES: &[&str] = &[
    "SERAN",
    "BENU",
    "NAHAK",
    "LAKA",
    "PELLOKILA",
    "FERNANDES",
    "NDOEN",
    "TOSI",
    "MESAKH",
    "DA COSTA",
    "SABU",
    "BANO",
    "TALAN",
    "LEO",
    "MANAFE",
    "KOLO",
];
/// Booking code alphabet without look-alikes (no 0/O, 1/I).
const CODE_CHARS: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/// Small deterministic generator (xorshift64*): the demo needs variety, not security.
#[derive(Debug)]
struct Sequence(u64);

impl Sequence {
    fn seeded(parts: &[i64]) -> Self {
        let seed = parts.iter().fold(0x9E37_79B9_7F4A_7C15_u64, |acc, &p| {
            (acc ^ p as u64).wrapping_mul(0x1000_0000_01B3)
        });
        Sequence(seed | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    fn code(&mut self) -> String {
        let tail: String = (0..8)
            .map(|_| CODE_CHARS[self.below(CODE_CHARS.len())] as char)
            .collect();
        format!("MP{tail}")
    }
}

/// Builds the demo day for the office-local date of `now`. `accepts_demo_key`: whether the
/// kiosk has the demo key configured (then the demo token checks in; else it is `unknown_key`).
pub fn demo_day(now: &ZonedDateTime, office: &str, accepts_demo_key: bool) -> DemoDay {
    let date = now.date();
    let updated_at = now.timestamp();
    let mut seq = Sequence::seeded(&[date.year().into(), date.month().into(), date.day().into()]);
    let mut appointments = Vec::new();
    for hour in 8..15_i8 {
        for _ in 0..6 {
            let applicants = (0..group_size(&mut seq))
                .map(|_| {
                    let priority = random_priority(&mut seq);
                    applicant(&mut seq, priority)
                })
                .collect();
            let service = [
                Service::Baru,
                Service::Baru,
                Service::Penggantian,
                Service::HilangRusak,
            ][seq.below(4)];
            appointments.push(Appointment {
                booking_code: seq.code(),
                date,
                slot_start: Time::constant(hour, 0, 0, 0),
                slot_end: Time::constant(hour + 1, 0, 0, 0),
                service,
                express: seq.below(10) == 0,
                status: if seq.below(20) == 0 {
                    BookingStatus::Cancelled
                } else {
                    BookingStatus::Booked
                },
                applicants,
                updated_at,
            });
        }
    }

    // Bookings for the current hour, so the demo works at any time of day. Their people are the
    // same all day (seeded by the date), only the slot follows the clock.
    let mut now_seq = Sequence::seeded(&[
        date.year().into(),
        date.month().into(),
        date.day().into(),
        -1,
    ]);
    let start = Time::constant(now.hour(), 0, 0, 0);
    let end = if now.hour() == 23 {
        Time::constant(23, 59, 0, 0)
    } else {
        Time::constant(now.hour() + 1, 0, 0, 0)
    };
    let mut try_codes = Vec::new();
    for (code, service, express, priorities, status, expect, what) in TRY_NOW {
        try_codes.push(TryCode {
            booking_code: code.to_owned(),
            expect,
            what,
            booking: Some(code.to_owned()),
        });
        appointments.push(Appointment {
            booking_code: code.to_owned(),
            date,
            slot_start: start,
            slot_end: end,
            service,
            express,
            status,
            applicants: priorities
                .iter()
                .map(|&priority| applicant(&mut now_seq, priority))
                .collect(),
            updated_at,
        });
    }
    // A signed token for a booking the cache does not hold yet (the sync lags): its signature
    // is proof enough.
    let mut claims = serde_json::json!({
        "v": 1, "k": DEMO_KEY_ID, "b": TOKEN_BOOKING, "o": office, "d": date.to_string(),
        "s": hh_mm::format(start), "e": hh_mm::format(end), "n": 2, "svc": "baru",
        "iat": now.timestamp().as_second(),
    });
    try_codes.push(TryCode {
        booking_code: sign_demo_token(&claims),
        expect: if accepts_demo_key {
            "ok"
        } else {
            "unknown_key"
        },
        what: "signed QR token for two applicants, not yet in the cache",
        booking: Some(TOKEN_BOOKING.to_owned()),
    });
    claims["b"] = serde_json::Value::String(TAMPERED_TOKEN_BOOKING.to_owned());
    let mut tampered = sign_demo_token(&claims);
    tampered.replace_range(tampered.len() - 4.., "AAAA");
    try_codes.push(TryCode {
        booking_code: tampered,
        expect: if accepts_demo_key {
            "bad_signature"
        } else {
            "unknown_key"
        },
        what: "a signed QR token whose signature was altered",
        booking: None,
    });
    try_codes.push(TryCode {
        booking_code: UNKNOWN_CODE.into(),
        expect: "not_found",
        what: "a code the office does not know",
        booking: None,
    });

    DemoDay {
        body: FeedBody {
            office: office.to_owned(),
            date,
            full: true,
            cursor: None,
            appointments,
            revoked: Vec::new(),
            skipped: Vec::new(),
        },
        try_codes,
    }
}

/// Fills the store with the demo day for `now`'s office-local date. A "try now" booking already
/// checked in today (the demo started again) is promised as `already_checked_in`, as it will be.
pub fn fill(
    store: &mut Store,
    now: &ZonedDateTime,
    config: &Config,
) -> Result<(DemoDay, FeedApplied)> {
    let accepts_demo_key = config.keys.get(DEMO_KEY_ID) == Some(&demo_public_key());
    let mut day = demo_day(now, &config.office.id, accepts_demo_key);
    let applied = store.apply_feed(&day.body, now.timestamp())?;
    for code in &mut day.try_codes {
        let Some(booking) = &code.booking else {
            continue;
        };
        if code.expect == "ok" && !store.tickets_for_booking(booking, now.date())?.is_empty() {
            code.expect = "already_checked_in";
        }
    }
    Ok((day, applied))
}

/// The demo's config over `config` (not supervisor settings: nothing is stored), for `hadir-kiosk --demo` and `hadir --demo` alike: the
/// demo's own data folder (`demo` inside the data folder) unless a configuration file was
/// named, so the demo never fills a real kiosk's store; and the public demo key accepted, so its
/// signed tokens check in. Demo mode only: anyone can sign with that key.
pub fn use_demo_config(config: &mut Config, config_file_named: bool) {
    if !config_file_named {
        config.kiosk.data_dir = Some(config.data_dir().join("demo"));
    }
    config.keys.insert(DEMO_KEY_ID.into(), demo_public_key());
}

/// Where the demo's tickets go, for its log: the PDF folder of the day, or the printer.
pub fn tickets_line(config: &Config, day: Date) -> String {
    match config.printer.sink {
        SinkKind::PdfFolder => format!(
            "tickets: PDF files in {}",
            config.pdf_dir().join(day.to_string()).display()
        ),
        _ => format!(
            "tickets: printed on {}",
            crate::print::PrinterSink::from_config(config).describe()
        ),
    }
}

fn group_size(seq: &mut Sequence) -> usize {
    match seq.below(10) {
        0 => 3,
        1 | 2 => 2,
        _ => 1,
    }
}

/// A priority for one in four applicants of the stable day, as offices see them.
fn random_priority(seq: &mut Sequence) -> Option<Priority> {
    match seq.below(12) {
        0 => Some(Priority::Lansia),
        1 => Some(Priority::Disabilitas),
        2 => Some(Priority::IbuHamil),
        _ => None,
    }
}

/// An applicant with exactly this priority (none is none), of an age that fits it.
fn applicant(seq: &mut Sequence, priority: Option<Priority>) -> Applicant {
    let year = match priority {
        Some(Priority::Lansia) => 1950 + seq.below(15) as i16,
        Some(Priority::Anak) => 2012 + seq.below(10) as i16,
        _ => 1966 + seq.below(40) as i16,
    };
    Applicant {
        name: format!("{} {}", seq.pick(GIVEN_NAMES), seq.pick(FAMILY_NAMES)),
        birth_date: Date::new(year, 1 + seq.below(12) as i8, 1 + seq.below(28) as i8)
            .unwrap_or(Date::constant(1990, 1, 1)),
        nik_last4: format!("{:04}", seq.below(10_000)),
        priority,
    }
}

/// Staff accounts of the demo (public PINs: demo mode only), as (name, role, PIN).
pub const DEMO_STAFF: [(&str, StaffRole, &str); 2] = [
    ("demo-petugas", StaffRole::Frontdesk, "1111"),
    ("demo-supervisor", StaffRole::Supervisor, "2222"),
];

/// Adds the demo's staff accounts to a store that has none, so staff mode can be tried.
/// Returns the accounts added (none when the store already has staff).
pub fn ensure_demo_staff(
    store: &mut Store,
    now: &ZonedDateTime,
) -> crate::Result<Vec<(&'static str, StaffRole, &'static str)>> {
    if !store.list_staff()?.is_empty() {
        return Ok(Vec::new());
    }
    let at = crate::model::rfc3339(now);
    for (name, role, pin) in DEMO_STAFF {
        store.add_staff(name, role, &crate::staff::hash_pin(pin)?, &at)?;
    }
    Ok(DEMO_STAFF.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checkin::check_in;
    use crate::store::tests::fresh_store;
    use jiff::tz::TimeZone;

    fn now(hh: i8) -> ZonedDateTime {
        jiff::civil::date(2026, 11, 29)
            .at(hh, 17, 0, 0)
            .to_zoned_datetime(TimeZone::get("Asia/Makassar").expect("tz"))
            .expect("zoned")
    }

    #[test]
    fn demo_day_is_a_valid_feed_body() {
        let day = demo_day(&now(10), "KANIM-KUPANG", true);
        let again = FeedBody::parse(day.body.to_json().as_bytes()).expect("contract shape");
        assert!(
            again.skipped.is_empty(),
            "every demo item passes feed validation: {:?}",
            again.skipped
        );
        assert!(again.appointments.len() >= 40, "a realistic day");
    }

    #[test]
    fn demo_day_is_stable_for_a_date() {
        assert_eq!(
            demo_day(&now(10), "X", true).body.appointments,
            demo_day(&now(10), "X", true).body.appointments
        );
    }

    #[test]
    fn try_codes_get_the_promised_verdict_at_any_hour() {
        for (hour, demo_key) in [(0, true), (9, false), (23, true)] {
            let (_dir, mut store) = fresh_store();
            let mut config = Config::default();
            if demo_key {
                config.keys.insert(DEMO_KEY_ID.into(), demo_public_key());
            }
            let (day, _) = fill(&mut store, &now(hour), &config).expect("fills");
            for code in &day.try_codes {
                let outcome =
                    check_in(&mut store, &code.booking_code, &now(hour), &config).expect("scan");
                assert_eq!(
                    outcome.verdict.code(),
                    code.expect,
                    "{} at {hour}:17",
                    code.what
                );
            }
            let expects: Vec<_> = day.try_codes.iter().map(|c| c.expect).collect();
            assert_eq!(
                expects.contains(&"unknown_key"),
                !demo_key,
                "the token's promise follows the config"
            );
        }
    }

    #[test]
    fn each_try_now_booking_is_what_its_description_says() {
        let (_dir, mut store) = fresh_store();
        let mut config = Config::default();
        config.keys.insert(DEMO_KEY_ID.into(), demo_public_key());
        let (day, _) = fill(&mut store, &now(10), &config).expect("fills");
        let mut queues = |code: &TryCode| -> Vec<String> {
            check_in(&mut store, &code.booking_code, &now(10), &config)
                .expect("scan")
                .tickets
                .iter()
                .map(|ticket| ticket.queue.clone())
                .collect()
        };
        for code in &day.try_codes {
            let got = queues(code);
            let want: Vec<&str> = if code.what.starts_with("one applicant, new passport") {
                vec!["A"]
            } else if code.what.contains("three priority numbers") {
                vec!["P", "P", "P"]
            } else if code.what.contains("one priority number") {
                vec!["P"]
            } else if code.what.contains("two applicants") {
                vec!["A", "A"]
            } else {
                vec![]
            };
            assert_eq!(got, want, "{}", code.what);
        }
        let express = day
            .body
            .appointments
            .iter()
            .find(|a| a.booking_code == TRY_NOW[2].0)
            .expect("the express booking");
        assert!(express.express && express.service == Service::HilangRusak);
    }

    #[test]
    fn a_try_now_code_used_earlier_today_is_promised_as_already_checked_in() {
        let (_dir, mut store) = fresh_store();
        let config = Config::default();
        let (day, _) = fill(&mut store, &now(9), &config).expect("fills");
        let first = &day.try_codes[0];
        check_in(&mut store, &first.booking_code, &now(9), &config).expect("scan");
        let (again, _) = fill(&mut store, &now(11), &config).expect("fills again");
        assert_eq!(again.try_codes[0].booking_code, first.booking_code);
        assert_eq!(again.try_codes[0].expect, "already_checked_in");
        let outcome =
            check_in(&mut store, &first.booking_code, &now(11), &config).expect("scan again");
        assert_eq!(outcome.verdict.code(), "already_checked_in");
        assert_eq!(
            again.try_codes[1].expect, "ok",
            "the others are still fresh"
        );
    }

    /// The README's demo section quotes the demo's log: every `try` line there is one of the
    /// demo's (a token cut short with "…"), and every code of the demo is there.
    #[test]
    fn the_readme_quotes_the_demos_own_codes() {
        let readme = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join("..")
            .join("README.md");
        let readme = std::fs::read_to_string(readme).expect("README.md");
        let quoted: Vec<&str> = readme
            .lines()
            .filter(|line| line.starts_with("try "))
            .collect();
        let mut config = Config::default();
        config.keys.insert(DEMO_KEY_ID.into(), demo_public_key());
        let (_dir, mut store) = fresh_store();
        let (day, _) = fill(&mut store, &now(10), &config).expect("fills");
        let logged: Vec<String> = day.try_codes.iter().map(TryCode::log_line).collect();
        let matches = |quote: &str, line: &str| match quote.split_once('…') {
            // "try MPQ1.eyJi… -> ok (...)": the token's start, then the rest exactly.
            Some((start, rest)) => {
                line.starts_with(start) && line.ends_with(rest.trim_start_matches(' '))
            }
            None => quote == line,
        };
        for quote in &quoted {
            assert!(
                logged.iter().any(|line| matches(quote, line)),
                "README says {quote:?}, the demo logs {logged:#?}"
            );
        }
        for line in &logged {
            assert!(
                quoted.iter().any(|quote| matches(quote, line)),
                "the demo logs {line:?}, the README does not list it: {quoted:#?}"
            );
        }
    }

    #[test]
    fn the_log_names_the_ticket_folder_of_the_day() {
        let mut config = Config::default();
        config.kiosk.data_dir = Some(std::path::PathBuf::from("data"));
        let line = tickets_line(&config, now(10).date());
        let folder = std::path::Path::new("data")
            .join("tickets")
            .join("2026-11-29");
        assert_eq!(line, format!("tickets: PDF files in {}", folder.display()));
        config.printer.sink = SinkKind::EscposTcp;
        config.printer.address = Some("10.0.0.5:9100".into());
        assert_eq!(
            tickets_line(&config, now(10).date()),
            "tickets: printed on escpos_tcp:10.0.0.5:9100"
        );
    }

    #[test]
    fn demo_settings_use_their_own_folder_unless_a_file_was_named() {
        let mut config = Config::default();
        config.kiosk.data_dir = Some(std::path::PathBuf::from("kiosk"));
        let mut demo = config.clone();
        use_demo_config(&mut demo, false);
        assert_eq!(demo.data_dir(), std::path::Path::new("kiosk").join("demo"));
        assert_eq!(demo.keys.get(DEMO_KEY_ID), Some(&demo_public_key()));
        let mut named = config.clone();
        use_demo_config(&mut named, true);
        assert_eq!(named.data_dir(), std::path::Path::new("kiosk"));
    }

    #[test]
    fn codes_are_unique_within_the_day() {
        let day = demo_day(&now(10), "X", true);
        let mut codes: Vec<_> = day
            .body
            .appointments
            .iter()
            .map(|a| &a.booking_code)
            .collect();
        let total = codes.len();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), total);
    }
}
