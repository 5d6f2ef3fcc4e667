//! A realistic day of appointments for the demo and for tests, in the feed contract's shape and
//! applied through the same path as a real feed.
//!
//! The day is the same every time for a given date (a fixed pseudo-random sequence seeded by
//! the date), plus a few "try now" bookings whose slot holds the current hour, so a visitor can
//! check in whatever time it is.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::{Signer, SigningKey};
use jiff::civil::{Date, Time};
use jiff::ZonedDateTime;
use serde::Serialize;

use crate::config::Config;
use crate::error::Result;
use crate::feed::{hh_mm, Applicant, Appointment, BookingStatus, FeedBody, Priority, Service};
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
    pub booking_code: String,
    pub expect: &'static str,
    pub what: &'static str,
}

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
                .map(|_| applicant(&mut seq, None))
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

    // Bookings for the current hour, so the demo works at any time of day.
    let mut now_seq = Sequence::seeded(&[
        date.year().into(),
        date.month().into(),
        date.day().into(),
        now.hour().into(),
    ]);
    let start = Time::constant(now.hour(), 0, 0, 0);
    let end = if now.hour() == 23 {
        Time::constant(23, 59, 0, 0)
    } else {
        Time::constant(now.hour() + 1, 0, 0, 0)
    };
    let try_now = [
        (
            Service::Baru,
            false,
            vec![None],
            BookingStatus::Booked,
            "ok",
            "one applicant, new passport",
        ),
        (
            Service::Penggantian,
            false,
            vec![Some(Priority::Lansia), None, Some(Priority::Anak)],
            BookingStatus::Booked,
            "ok",
            "family of three with an elderly member: three priority numbers",
        ),
        (
            Service::HilangRusak,
            true,
            vec![Some(Priority::IbuHamil)],
            BookingStatus::Booked,
            "ok",
            "express, priority queue",
        ),
        (
            Service::Baru,
            false,
            vec![None],
            BookingStatus::Cancelled,
            "cancelled",
            "a cancelled booking",
        ),
    ];
    let mut try_codes = Vec::new();
    for (service, express, priorities, status, expect, what) in try_now {
        let booking_code = now_seq.code();
        try_codes.push(TryCode {
            booking_code: booking_code.clone(),
            expect,
            what,
        });
        appointments.push(Appointment {
            booking_code,
            date,
            slot_start: start,
            slot_end: end,
            service,
            express,
            status,
            applicants: priorities
                .into_iter()
                .map(|p| applicant(&mut now_seq, p))
                .collect(),
            updated_at,
        });
    }
    // A signed token for a booking the cache does not hold yet (the sync lags): its signature
    // is proof enough.
    let token_code = now_seq.code();
    let mut claims = serde_json::json!({
        "v": 1, "k": DEMO_KEY_ID, "b": token_code, "o": office, "d": date.to_string(),
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
    });
    claims["b"] = serde_json::Value::String(now_seq.code());
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
    });
    try_codes.push(TryCode {
        booking_code: "MPZZZZZZZZ".into(),
        expect: "not_found",
        what: "a code the office does not know",
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

/// Fills the store with the demo day for `now`'s office-local date.
pub fn fill(
    store: &mut Store,
    now: &ZonedDateTime,
    config: &Config,
) -> Result<(DemoDay, FeedApplied)> {
    let accepts_demo_key = config.keys.get(DEMO_KEY_ID) == Some(&demo_public_key());
    let day = demo_day(now, &config.office.id, accepts_demo_key);
    let applied = store.apply_feed(&day.body, now.timestamp())?;
    Ok((day, applied))
}

fn group_size(seq: &mut Sequence) -> usize {
    match seq.below(10) {
        0 => 3,
        1 | 2 => 2,
        _ => 1,
    }
}

fn applicant(seq: &mut Sequence, priority: Option<Priority>) -> Applicant {
    let priority = priority.or_else(|| match seq.below(12) {
        0 => Some(Priority::Lansia),
        1 => Some(Priority::Disabilitas),
        2 => Some(Priority::IbuHamil),
        _ => None,
    });
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
pub const DEMO_STAFF: [(&str, &str, &str); 2] = [
    ("demo-petugas", "frontdesk", "1111"),
    ("demo-supervisor", "supervisor", "2222"),
];

/// Adds the demo's staff accounts to a store that has none, so staff mode can be tried.
/// Returns the accounts added (none when the store already has staff).
pub fn ensure_demo_staff(
    store: &mut Store,
    now: &ZonedDateTime,
) -> crate::Result<Vec<(&'static str, &'static str, &'static str)>> {
    if !store.list_staff()?.is_empty() {
        return Ok(Vec::new());
    }
    let at = crate::checkin::rfc3339(now);
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
