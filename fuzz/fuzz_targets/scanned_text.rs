//! Scanner text, both forms (`MPQ1.<payload>.<sig>` tokens and plain booking codes), through
//! `booking::classify` and on into the pure check-in decision `checkin::decide`.

#![no_main]

use std::sync::OnceLock;

use hadir::booking::{classify, Scanned, MAX_SCAN_BYTES};
use hadir::checkin::{decide, CacheView, CheckinRules, Verdict};
use hadir::feed::{Applicant, Appointment};
use hadir::model::is_booking_code;
use hadir::model::{BookingStatus, Service};
use hadir::store::CachedAppointment;
use jiff::civil::{date, time};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ZonedDateTime};
use libfuzzer_sys::fuzz_target;

/// The booking the fake cache holds, and the one it lists as revoked (as in
/// `crates/hadir/testdata/booking-tokens.json`).
const CACHED_CODE: &str = "MP01A3F753";
const REVOKED_CODE: &str = "MP1053D6C9";

struct World {
    now: ZonedDateTime,
    rules: CheckinRules,
    cached: CachedAppointment,
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let mut config = hadir::Config::default();
        config
            .keys
            .insert("k1".into(), hadir::demo::demo_public_key());
        let now = date(2026, 11, 29)
            .at(8, 30, 0, 0)
            .to_zoned_datetime(TimeZone::get("Asia/Makassar").expect("bundled tzdb"))
            .expect("valid local time");
        let cached = CachedAppointment {
            office: config.office.id.clone(),
            appointment: Appointment {
                booking_code: CACHED_CODE.into(),
                date: date(2026, 11, 29),
                slot_start: time(8, 0, 0, 0),
                slot_end: time(9, 0, 0, 0),
                service: Service::Baru,
                express: false,
                status: BookingStatus::Booked,
                applicants: vec![Applicant {
                    name: "PEMOHON F753 1".into(),
                    birth_date: date(1988, 1, 10),
                    nik_last4: "1000".into(),
                    priority: None,
                }],
                updated_at: Timestamp::UNIX_EPOCH,
            },
        };
        World {
            now,
            rules: CheckinRules::from(&config),
            cached,
        }
    })
}

/// What `classify` looks at once the forgiven whitespace is gone.
fn normalised(raw: &str) -> &str {
    raw.trim_end_matches(['\r', '\n', '\t']).trim_matches(' ')
}

fuzz_target!(|data: &[u8]| {
    let raw = String::from_utf8_lossy(data);
    let raw = raw.as_ref();
    let scanned = classify(raw);

    if raw.len() > MAX_SCAN_BYTES {
        assert_eq!(scanned, Scanned::Malformed, "over the limit is malformed");
    }
    match &scanned {
        Scanned::BookingCode(code) => {
            assert!(is_booking_code(code), "{code:?} is not ^[A-Z0-9]{{8,20}}$");
            assert_eq!(
                *code,
                normalised(raw).to_ascii_uppercase(),
                "the scan itself"
            );
            assert_eq!(
                classify(&raw.to_ascii_lowercase()),
                scanned,
                "plain codes ignore case"
            );
        }
        Scanned::Token(token) => {
            assert!(normalised(raw).starts_with("MPQ1."));
            let claims = &token.claims;
            assert!(is_booking_code(&claims.booking_code));
            assert!((1..=16).contains(&claims.key_id.chars().count()));
            assert!((1..=32).contains(&claims.office.chars().count()));
            assert!((1..=5).contains(&claims.applicants));
        }
        Scanned::Malformed => {}
    }
    if scanned != Scanned::Malformed {
        assert_eq!(
            classify(normalised(raw)),
            scanned,
            "idempotent on the trimmed text"
        );
    }
    if raw.len() + 2 <= MAX_SCAN_BYTES {
        assert_eq!(
            classify(&format!("{raw}\r\n")),
            scanned,
            "a trailing CR LF changes nothing"
        );
    }

    // The kiosk's decision on it, with a one-booking cache, first and second scan.
    let world = world();
    let code = scanned.booking_code();
    for already_checked_in in [false, true] {
        let cache = CacheView {
            booking: (code == Some(CACHED_CODE)).then_some(&world.cached),
            revoked: code == Some(REVOKED_CODE),
            already_checked_in,
        };
        let decision = decide(&scanned, cache, &world.now, &world.rules);
        let verdict = &decision.verdict;
        let needs_booking = !matches!(
            verdict,
            Verdict::Malformed
                | Verdict::UnknownKey
                | Verdict::BadSignature
                | Verdict::Revoked
                | Verdict::NotFound
        );
        assert_eq!(decision.booking.is_some(), needs_booking, "{verdict:?}");
        if scanned == Scanned::Malformed {
            assert_eq!(*verdict, Verdict::Malformed);
        }
        if matches!(scanned, Scanned::BookingCode(_)) && code != Some(CACHED_CODE) {
            let expected = if code == Some(REVOKED_CODE) {
                Verdict::Revoked
            } else {
                Verdict::NotFound
            };
            assert_eq!(*verdict, expected, "a plain code needs the cache");
        }
        if already_checked_in {
            assert_ne!(*verdict, Verdict::Ok, "a second scan is never a fresh ok");
        }
        let json = serde_json::to_value(verdict).expect("a verdict serialises");
        assert_eq!(json["code"], verdict.code(), "the UI switches on this code");
    }
});
