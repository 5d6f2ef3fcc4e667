//! Property tests of the four parsers the kiosk feeds from outside: scanned text (both forms),
//! the signed token's payload, the feed body and the configuration file. The fuzz targets in
//! `fuzz/` push the same parsers much harder (see docs/reliability.md, "Fuzzing"); these run in
//! every `cargo test` and keep the properties honest at a few hundred cases each.

use std::path::Path;
use std::sync::LazyLock;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hadir::booking::{classify, token, Scanned, MAX_SCAN_BYTES};
use hadir::checkin::{decide, CacheView, CheckinRules, Verdict};
use hadir::demo::{demo_public_key, sign_demo_token, DEMO_KEY_ID};
use hadir::feed::{Applicant, Appointment, FeedBody};
use hadir::model::is_booking_code;
use hadir::model::{BookingStatus, Priority, Service, MAX_APPLICANTS};
use hadir::Config;
use jiff::civil::{Date, Time};
use jiff::{Timestamp, ZonedDateTime};
use proptest::prelude::*;
use proptest::sample::select;

mod common;

fn parse_config(text: &str) -> hadir::Result<Config> {
    Config::parse(text, Path::new("hadir.toml"))
}

/// The kiosk's clock: noon in the office zone on the day of the shared test vectors.
static NOW: LazyLock<ZonedDateTime> = LazyLock::new(|| common::at(12, 0));

/// Rules that trust the demo key, as a kiosk with the demo configured (decoded once: Ed25519
/// is slow in an unoptimised test build).
static DEMO_RULES: LazyLock<CheckinRules> = LazyLock::new(|| {
    let mut config = Config::default();
    config.keys.insert(DEMO_KEY_ID.into(), demo_public_key());
    CheckinRules::from(&config)
});

const NO_CACHE: CacheView<'static> = CacheView {
    booking: None,
    revoked: false,
    already_checked_in: false,
};

fn booking_code() -> impl Strategy<Value = String> {
    "[A-Z0-9]{8,20}"
}

fn date() -> impl Strategy<Value = Date> {
    (1900i16..=2100, 1i8..=12, 1i8..=28).prop_map(|(y, m, d)| Date::constant(y, m, d))
}

fn time() -> impl Strategy<Value = Time> {
    (0i8..=23, 0i8..=59).prop_map(|(h, m)| Time::constant(h, m, 0, 0))
}

/// A slot: two different minutes of the day, in order.
fn slot() -> impl Strategy<Value = (Time, Time)> {
    (time(), time())
        .prop_filter("a slot has a length", |(a, b)| a != b)
        .prop_map(|(a, b)| if a < b { (a, b) } else { (b, a) })
}

fn service() -> impl Strategy<Value = Service> {
    select(vec![
        Service::Baru,
        Service::Penggantian,
        Service::HilangRusak,
    ])
}

fn priority() -> impl Strategy<Value = Option<Priority>> {
    proptest::option::of(select(vec![
        Priority::Lansia,
        Priority::Disabilitas,
        Priority::IbuHamil,
        Priority::Anak,
    ]))
}

fn applicant() -> impl Strategy<Value = Applicant> {
    // Any printable text that is not blank (names come from many scripts and need JSON escaping).
    ("[A-Z]\\PC{0,30}", date(), "[0-9]{4}", priority()).prop_map(
        |(name, birth_date, nik_last4, priority)| Applicant {
            name,
            birth_date,
            nik_last4,
            priority,
        },
    )
}

fn appointment() -> impl Strategy<Value = Appointment> {
    (
        booking_code(),
        date(),
        slot(),
        service(),
        any::<bool>(),
        select(vec![BookingStatus::Booked, BookingStatus::Cancelled]),
        proptest::collection::vec(applicant(), 1..=MAX_APPLICANTS),
        (0i64..4_000_000_000, 0i32..1_000_000_000),
    )
        .prop_map(
            |(
                booking_code,
                date,
                (slot_start, slot_end),
                service,
                express,
                status,
                applicants,
                (s, ns),
            )| {
                Appointment {
                    booking_code,
                    date,
                    slot_start,
                    slot_end,
                    service,
                    express,
                    status,
                    applicants,
                    updated_at: Timestamp::new(s, ns).expect("in range"),
                }
            },
        )
}

/// A valid body: every item dated the list's day, each booking code once (#20: an item of
/// another day or a code named twice with other content is a broken item).
fn feed_body() -> impl Strategy<Value = FeedBody> {
    (
        "\\PC{1,32}",
        date(),
        any::<bool>(),
        proptest::option::of("[a-zA-Z0-9_-]{1,40}"),
        proptest::collection::vec(appointment(), 0..6),
        proptest::collection::vec(booking_code(), 0..4),
    )
        .prop_map(|(office, date, full, cursor, mut appointments, revoked)| {
            let mut codes = std::collections::HashSet::new();
            appointments.retain(|a| codes.insert(a.booking_code.clone()));
            for appointment in &mut appointments {
                appointment.date = date;
            }
            FeedBody {
                office,
                date,
                full,
                cursor,
                appointments,
                revoked,
                skipped: Vec::new(),
            }
        })
}

/// Token claims as a signer would write them: `k` is the demo key id, or another id.
fn token_claims() -> impl Strategy<Value = serde_json::Value> {
    (
        booking_code(),
        "[A-Z-]{1,32}",
        date(),
        proptest::option::of(slot()),
        1u8..=5,
        service(),
        any::<bool>(),
        any::<i64>(),
    )
        .prop_map(|(b, o, d, slot, n, svc, x, iat)| {
            let mut claims = serde_json::json!({
                "v": 1, "k": DEMO_KEY_ID, "b": b, "o": o, "d": d.to_string(), "n": n,
                "svc": svc.as_str(), "x": x, "iat": iat,
            });
            if let Some((s, e)) = slot {
                claims["s"] = format!("{:02}:{:02}", s.hour(), s.minute()).into();
                claims["e"] = format!("{:02}:{:02}", e.hour(), e.minute()).into();
            }
            claims
        })
}

/// Is this scan refused before any booking is looked at (the token's own checks)?
fn refused_as_token(scanned: &Scanned) -> bool {
    let verdict = decide(scanned, NO_CACHE, &NOW, &DEMO_RULES).verdict;
    matches!(
        verdict,
        Verdict::Malformed | Verdict::BadSignature | Verdict::UnknownKey
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn classify_never_panics_and_keeps_its_limits(raw in "\\PC{0,40}|MPQ1\\.[A-Za-z0-9_.=-]{0,120}|[ -~\r\n\t]{0,30}|.{1000,1100}") {
        let scanned = classify(&raw);
        if raw.len() > MAX_SCAN_BYTES {
            prop_assert_eq!(&scanned, &Scanned::Malformed);
        }
        match &scanned {
            Scanned::BookingCode(code) => prop_assert!(is_booking_code(code), "{:?}", code),
            Scanned::Token(signed) => prop_assert!(is_booking_code(&signed.claims.booking_code)),
            Scanned::Malformed => {}
        }
        if raw.len() + 2 <= MAX_SCAN_BYTES {
            prop_assert_eq!(classify(&format!("{raw}\r\n")), scanned, "a trailing CR LF changes nothing");
        }
    }

    #[test]
    fn classify_never_panics_on_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        let scanned = classify(&String::from_utf8_lossy(&bytes));
        let decision = decide(&scanned, NO_CACHE, &NOW, &DEMO_RULES);
        prop_assert!(!decision.verdict.admits() || matches!(scanned, Scanned::Token(_)));
    }

    #[test]
    fn booking_codes_in_any_case_with_scanner_endings_are_upper_cased(
        code in "[A-Za-z0-9]{8,20}",
        lead in " {0,2}",
        trail in " {0,2}",
        ending in "[\r\n\t]{0,3}",
    ) {
        let scanned = classify(&format!("{lead}{code}{trail}{ending}"));
        prop_assert_eq!(scanned, Scanned::BookingCode(code.to_ascii_uppercase()));
    }

}

proptest! {
    // Signing and verifying cost milliseconds in a debug build: fewer cases, same properties.
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn signed_tokens_parse_and_verify(claims in token_claims(), ending in "[\r\n\t]{0,2}") {
        let text = sign_demo_token(&claims);
        let Scanned::Token(signed) = classify(&format!("{text}{ending}")) else {
            return Err(TestCaseError::fail(format!("not a token: {text}")));
        };
        prop_assert_eq!(signed.claims.booking_code.as_str(), claims["b"].as_str().unwrap_or_default());
        prop_assert_eq!(token::verify(&signed, &DEMO_RULES.keys), Ok(()));
        prop_assert!(!refused_as_token(&Scanned::Token(signed)));
    }

    #[test]
    fn any_single_byte_change_to_a_signed_token_is_refused(
        claims in token_claims(),
        position in any::<proptest::sample::Index>(),
        replacement in 0x20u8..0x7f,
    ) {
        let text = sign_demo_token(&claims);
        let mut bytes = text.clone().into_bytes();
        let position = position.index(bytes.len());
        prop_assume!(bytes[position] != replacement);
        bytes[position] = replacement;
        let tampered = String::from_utf8(bytes).expect("ASCII in, ASCII out");
        prop_assert!(
            refused_as_token(&classify(&tampered)),
            "byte {} of {} changed to {:?} was accepted", position, text, replacement as char
        );
    }

}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn token_payload_json_never_panics(json in "\\{(\"[a-z]{1,3}\":(-?[0-9]{1,20}|\"[ -~]{0,12}\"|true|null|\\[\\]|\\{\\}),?){0,12}\\}|\\PC{0,40}") {
        let text = format!("MPQ1.{}.{}", URL_SAFE_NO_PAD.encode(&json), "A".repeat(86));
        if let Some(parsed) = token::parse(&text) {
            prop_assert!(is_booking_code(&parsed.claims.booking_code));
            prop_assert!((1..=5).contains(&parsed.claims.applicants));
        }
    }

    #[test]
    fn feed_bodies_round_trip_through_to_json(body in feed_body()) {
        let again = FeedBody::parse(body.to_json().as_bytes()).expect("own output is a feed body");
        prop_assert_eq!(again, body);
    }

    #[test]
    fn feed_parse_never_panics_and_refuses_with_one_code(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        if let Err(error) = FeedBody::parse(&bytes) {
            prop_assert_eq!(error.code(), "feed_invalid");
        }
    }

    #[test]
    fn a_damaged_feed_body_is_refused_or_kept_item_by_item(
        body in feed_body(),
        cut in any::<proptest::sample::Index>(),
        junk in "[ -~]{0,8}",
    ) {
        let mut text = body.to_json();
        let at = cut.index(text.len() + 1);
        let at = (0..=at).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        text.insert_str(at, &junk);
        match FeedBody::parse(text.as_bytes()) {
            Err(error) => prop_assert_eq!(error.code(), "feed_invalid"),
            Ok(parsed) => {
                prop_assert!(parsed.appointments.iter().all(|a| is_booking_code(&a.booking_code)));
                prop_assert!(parsed.revoked.iter().all(|code| is_booking_code(code)));
            }
        }
    }

    #[test]
    fn config_values_of_any_type_give_config_invalid_never_a_panic(
        key in select(config_keys()),
        value in toml_value(),
    ) {
        let (section, name) = key.rsplit_once('.').unwrap_or(("", key.as_str()));
        let text = if section.is_empty() {
            format!("{name} = {value}\n")
        } else {
            format!("[{section}]\n{name} = {value}\n")
        };
        if let Err(error) = parse_config(&text) {
            prop_assert_eq!(error.code(), "config_invalid", "{}", error);
            if !CROSS_CHECKED.contains(&key.as_str()) {
                prop_assert!(error.to_string().contains(name), "{} does not name {}", error, key);
            }
        }
    }

    #[test]
    fn config_text_of_any_shape_never_panics(text in "\\PC{0,80}|(\\[[a-z_]{1,12}\\]\n)?([a-z_]{1,16} = [ -~]{0,20}\n){0,4}") {
        if let Err(error) = parse_config(&text) {
            prop_assert_eq!(error.code(), "config_invalid");
        }
    }
}

/// Every key of `hadir.toml`, dotted, as docs/configuration.md lists them (the first cell of
/// each table row): a key added to the docs is fuzzed without anyone remembering this test.
fn config_keys() -> Vec<String> {
    let docs = include_str!("../../../docs/configuration.md");
    let mut keys: Vec<String> = docs
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|rest| rest.split_once('`'))
        .map(|(key, _)| key.to_owned())
        .filter(|key| {
            key.split('.').all(|part| {
                !part.is_empty()
                    && part
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit())
            })
        })
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

#[test]
fn the_fuzzed_config_keys_are_the_documented_ones() {
    let keys = config_keys();
    for key in [
        "camera",
        "hub_url",
        "office.time_zone",
        "printer.sink",
        "staff.lock_minutes",
    ] {
        assert!(keys.iter().any(|k| k == key), "{key} missing from {keys:?}");
    }
    assert!(keys.len() >= 60, "the table was not read: {keys:?}");
}

/// Keys whose value can make another key the one refused (a sink needs its target, a URL its
/// token, the hub's block must lie in its reserved range).
const CROSS_CHECKED: &[&str] = &[
    "printer.sink",
    "upstream.url",
    "hub.offline_block_start",
    "hub.offline_block_size",
    "hub.reserved_from",
    "hub.reserved_to",
];

/// A TOML value of any type, as text.
fn toml_value() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        (0u32..2000).prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|f| if f.is_finite() {
            format!("{f:?}")
        } else {
            "nan".into()
        }),
        (-1.0f64..2.0).prop_map(|f| format!("{f:?}")),
        any::<bool>().prop_map(|b| b.to_string()),
        "[ -~]{0,24}".prop_map(|s| format!("{s:?}")),
        "\\PC{0,12}".prop_map(|s| format!("'{}'", s.replace(['\'', '\n', '\r'], ""))),
        Just("\"postgres://u:pw@h:5432/db\"".to_owned()),
        Just("\"https://gateway.example/api\"".to_owned()),
        Just("1979-05-27T07:32:00Z".to_owned()),
        Just("\"Asia/Makassar\"".to_owned()),
        Just(format!("{:?}", demo_public_key())),
    ];
    leaf.prop_recursive(2, 8, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4)
                .prop_map(|v| format!("[{}]", v.join(", "))),
            proptest::collection::vec(("[a-z]{1,6}", inner), 0..3).prop_map(|v| {
                let fields: Vec<String> =
                    v.into_iter().map(|(k, v)| format!("{k} = {v}")).collect();
                format!("{{ {} }}", fields.join(", "))
            }),
        ]
    })
}
