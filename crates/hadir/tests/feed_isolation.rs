//! #20, feed item isolation as a property: a full list is applied over the cache of an earlier
//! one, with one item broken in any of the ways a gateway, a proxy or a file can break it (a
//! wrong type, a number out of range for any integer type, a key twice, control characters, a
//! string or the item's text cut short, another day, a name over the limit, another item's
//! code). Whatever the break, the cached copy of every booking stays as it was, except those
//! the rest of the list legitimately changed or removed; a broken item whose booking cannot be
//! told removes nothing.

use std::collections::{BTreeMap, BTreeSet};

use hadir::feed::{Applicant, Appointment, FeedBody, ItemProblem, MAX_APPLICANT_NAME_CHARS};
use hadir::model::{BookingStatus, Priority, Service, MAX_APPLICANTS};
use hadir::Store;
use jiff::civil::{Date, Time};
use jiff::Timestamp;
use proptest::prelude::*;
use proptest::sample::{select, Index};

mod common;

use common::{day, temp_store, OFFICE};

/// The cases run: each opens a fresh store, so a few dozen keep this to seconds.
const CASES: u32 = 64;

/// Numbers no field takes: past the ends of every integer type, fractions, beyond f64.
const NUMBERS: &[&str] = &[
    "7",
    "-1",
    "-129",
    "256",
    "-32769",
    "65536",
    "-2147483649",
    "4294967296",
    "9223372036854775808",
    "-9223372036854775809",
    "18446744073709551616",
    "170141183460469231731687303715884105728",
    "340282366920938463463374607431768211456",
    "-340282366920938463463374607431768211457",
    "0.5",
    "-0",
    "1e400",
    "-1e400",
    "1e-400",
];

/// Other JSON values, each the wrong type for some field.
const OTHER_VALUES: &[&str] = &["true", "false", "null", "[]", "{}", "\"x\"", "[{}]"];

/// Where in an item a corruption lands: a key of the item, or of its first applicant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Item(&'static str),
    Applicant(&'static str),
}

impl Field {
    fn key(self) -> &'static str {
        match self {
            Field::Item(key) | Field::Applicant(key) => key,
        }
    }

    /// Whether `raw` (JSON text) has the type this field takes (then it is not a wrong type).
    fn takes_type_of(self, raw: &str) -> bool {
        let is_string = raw.starts_with('"');
        match self.key() {
            "express" => raw == "true" || raw == "false",
            "applicants" => raw.starts_with('['),
            "priority" => is_string || raw == "null",
            _ => is_string,
        }
    }
}

const STRING_FIELDS: &[Field] = &[
    Field::Item("booking_code"),
    Field::Item("date"),
    Field::Item("slot_start"),
    Field::Item("slot_end"),
    Field::Item("service"),
    Field::Item("status"),
    Field::Item("updated_at"),
    Field::Applicant("name"),
    Field::Applicant("birth_date"),
    Field::Applicant("nik_last4"),
    Field::Applicant("priority"),
];

fn any_field() -> impl Strategy<Value = Field> {
    let mut fields = STRING_FIELDS.to_vec();
    fields.extend([Field::Item("express"), Field::Item("applicants")]);
    select(fields)
}

/// One way to break one item.
#[derive(Debug, Clone)]
enum Corruption {
    /// The field's value replaced by JSON text of another type.
    WrongType(Field, &'static str),
    /// A string field cut to a prefix of `keep` characters (a code to fewer than eight, a name
    /// to nothing: shorter names are names).
    Truncated(Field, Index),
    /// The field written a second time in its object, with the same value or another.
    DuplicateKey(Field, Option<&'static str>),
    /// Control characters put into a string field, JSON-escaped (valid JSON) or raw (not).
    Controls(Field, Index, String, bool),
    /// The item's JSON text cut short.
    TextCut(Index),
    /// The item is not an object.
    NotAnObject(&'static str),
    /// Dated another day (days from the list's).
    OtherDay(i32),
    /// The first applicant's name over [`MAX_APPLICANT_NAME_CHARS`].
    NameTooLong(usize),
    /// No applicant, or more than [`MAX_APPLICANTS`].
    Applicants(usize),
    /// The slot ends at or before its start.
    SlotReversed,
    /// The booking code of another item of the list (chosen by `Index`), with this content.
    AnotherItemsCode(Index),
}

fn control_chars() -> impl Strategy<Value = String> {
    let c0 = (0u32..0x20).prop_map(|c| char::from_u32(c).expect("C0"));
    let other = select(vec!['\u{7f}', '\u{80}', '\u{85}', '\u{9f}']);
    proptest::collection::vec(prop_oneof![3 => c0, 1 => other], 1..4)
        .prop_map(|chars| chars.into_iter().collect())
}

fn corruption() -> impl Strategy<Value = Corruption> {
    let numbers_or_others = select(
        NUMBERS
            .iter()
            .chain(OTHER_VALUES)
            .copied()
            .collect::<Vec<_>>(),
    );
    prop_oneof![
        (any_field(), numbers_or_others)
            .prop_filter("a value of another type", |(field, raw)| !field
                .takes_type_of(raw))
            .prop_map(|(field, raw)| Corruption::WrongType(field, raw)),
        (select(STRING_FIELDS.to_vec()), any::<Index>())
            .prop_map(|(field, keep)| Corruption::Truncated(field, keep)),
        (
            any_field(),
            proptest::option::of(select(vec![
                "\"MPAAAAAAAA\"",
                "\"2026-11-29\"",
                "false",
                "null"
            ]))
        )
            .prop_map(|(field, value)| Corruption::DuplicateKey(field, value)),
        (
            select(STRING_FIELDS.to_vec()),
            any::<Index>(),
            control_chars(),
            any::<bool>()
        )
            .prop_map(|(field, at, chars, raw)| Corruption::Controls(field, at, chars, raw)),
        any::<Index>().prop_map(Corruption::TextCut),
        select(
            NUMBERS
                .iter()
                .chain(OTHER_VALUES)
                .copied()
                .collect::<Vec<_>>()
        )
        .prop_map(Corruption::NotAnObject),
        prop_oneof![-800i32..0, 1i32..800].prop_map(Corruption::OtherDay),
        (1usize..40).prop_map(|more| Corruption::NameTooLong(MAX_APPLICANT_NAME_CHARS + more)),
        select(vec![0, MAX_APPLICANTS + 1, MAX_APPLICANTS + 4]).prop_map(Corruption::Applicants),
        Just(Corruption::SlotReversed),
        any::<Index>().prop_map(Corruption::AnotherItemsCode),
    ]
}

impl Corruption {
    /// Whether the broken item still says, beyond doubt, which booking it is.
    fn leaves_the_code_readable(&self) -> bool {
        match self {
            Corruption::WrongType(field, _)
            | Corruption::Truncated(field, _)
            | Corruption::DuplicateKey(field, _) => *field != Field::Item("booking_code"),
            Corruption::Controls(field, ..) => *field != Field::Item("booking_code"),
            Corruption::NotAnObject(_) => false,
            _ => true,
        }
    }

    /// Control characters in a name are taken out at import: the item stays usable. Written
    /// raw, only C0 characters (below U+0020) break the JSON text; raw DEL and C1 characters
    /// (U+007F to U+009F) are valid JSON, so they read as if escaped.
    fn only_dirties_a_name(&self) -> bool {
        match self {
            Corruption::Controls(Field::Applicant("name"), _, chars, raw) => {
                !raw || !chars.chars().any(|c| c < '\u{20}')
            }
            _ => false,
        }
    }
}

/// Replaced by raw JSON text once the item is written (numbers serde_json cannot hold).
const PLACEHOLDER: &str = "@@raw@@";

/// Item `victim` of `list` as JSON text, broken by `corruption`. `list` is the day's list.
fn broken_item_text(list: &[Appointment], victim: usize, corruption: &Corruption) -> String {
    let mut item = serde_json::to_value(&list[victim]).expect("item as JSON");
    let mut raw: Option<String> = None;
    let mut duplicate: Option<(Field, String)> = None;
    fn value_at(item: &mut serde_json::Value, field: Field) -> &mut serde_json::Value {
        match field {
            Field::Item(key) => &mut item[key],
            Field::Applicant(key) => &mut item["applicants"][0][key],
        }
    }
    match corruption {
        Corruption::WrongType(field, text) => {
            *value_at(&mut item, *field) = PLACEHOLDER.into();
            raw = Some((*text).to_owned());
        }
        Corruption::Truncated(field, keep) => {
            let value = value_at(&mut item, *field);
            let text = value.as_str().unwrap_or_default().to_owned();
            let chars: Vec<char> = text.chars().collect();
            let kept = match field.key() {
                "name" => 0,
                "booking_code" => keep.index(8),
                _ => keep.index(chars.len().max(1)),
            };
            *value = chars[..kept.min(chars.len())]
                .iter()
                .collect::<String>()
                .into();
        }
        Corruption::DuplicateKey(field, other) => {
            let value = value_at(&mut item, *field).to_string();
            duplicate = Some((*field, other.map_or(value, str::to_owned)));
        }
        Corruption::Controls(field, at, chars, raw_chars) => {
            let value = value_at(&mut item, *field);
            let text = value.as_str().unwrap_or_default().to_owned();
            let cut = at.index(text.chars().count() + 1);
            let split = text
                .char_indices()
                .nth(cut)
                .map_or(text.len(), |(byte, _)| byte);
            let dirty = format!("{}{chars}{}", &text[..split], &text[split..]);
            if *raw_chars {
                *value = PLACEHOLDER.into();
                raw = Some(format!("\"{dirty}\""));
            } else {
                *value = dirty.into();
            }
        }
        Corruption::TextCut(at) => {
            let text = item.to_string();
            let cut = 1 + at.index(text.len() - 1);
            let cut = (0..=cut)
                .rev()
                .find(|&i| text.is_char_boundary(i))
                .unwrap_or(0);
            return text[..cut].to_owned();
        }
        Corruption::NotAnObject(text) => return (*text).to_owned(),
        Corruption::OtherDay(days) => {
            let other = day()
                .checked_add(jiff::Span::new().days(i64::from(*days)))
                .expect("a date");
            item["date"] = other.to_string().into();
        }
        Corruption::NameTooLong(chars) => {
            item["applicants"][0]["name"] = "É".repeat(*chars).into();
        }
        Corruption::Applicants(count) => {
            let first = item["applicants"][0].clone();
            item["applicants"] = serde_json::Value::Array(vec![first; *count]);
        }
        Corruption::SlotReversed => {
            let start = item["slot_start"].clone();
            item["slot_start"] = item["slot_end"].clone();
            item["slot_end"] = start;
        }
        Corruption::AnotherItemsCode(other) => {
            let others: Vec<usize> = (0..list.len()).filter(|&i| i != victim).collect();
            let other = others[other.index(others.len())];
            item["booking_code"] = list[other].booking_code.clone().into();
        }
    }
    if let Some((field, value)) = &duplicate {
        // A second copy of the key, written first in its object.
        let marker = "@@dup@@";
        match field {
            Field::Item(_) => item[marker] = 0.into(),
            Field::Applicant(_) => item["applicants"][0][marker] = 0.into(),
        }
        let text = item.to_string();
        return text.replacen(
            &format!("\"{marker}\":0"),
            &format!("\"{}\":{value}", field.key()),
            1,
        );
    }
    let text = item.to_string();
    match raw {
        Some(raw) => text.replacen(&format!("\"{PLACEHOLDER}\""), &raw, 1),
        None => text,
    }
}

/// A full list for [`day`] holding these items (JSON texts).
fn full_list_text(items: &[String]) -> String {
    format!(
        r#"{{"office": "{OFFICE}", "date": "{}", "full": true, "cursor": "c-2", "appointments": [{}]}}"#,
        day(),
        items.join(",")
    )
}

fn received_at() -> Timestamp {
    "2026-11-29T00:30:00Z".parse().expect("timestamp")
}

/// What the cache holds for `codes`.
fn cached(store: &Store, codes: &BTreeSet<String>) -> BTreeMap<String, Option<Appointment>> {
    codes
        .iter()
        .map(|code| {
            let found = store.find_appointment(code).expect("reads");
            (code.clone(), found.map(|c| c.appointment))
        })
        .collect()
}

fn time() -> impl Strategy<Value = Time> {
    (0i8..=23, 0i8..=59).prop_map(|(h, m)| Time::constant(h, m, 0, 0))
}

fn applicant() -> impl Strategy<Value = Applicant> {
    (
        "[A-Z][A-Z .'-]{0,30}",
        (1930i16..=2025, 1i8..=12, 1i8..=28),
        "[0-9]{4}",
        proptest::option::of(select(vec![
            Priority::Lansia,
            Priority::Disabilitas,
            Priority::IbuHamil,
            Priority::Anak,
        ])),
    )
        .prop_map(|(name, (y, m, d), nik_last4, priority)| Applicant {
            name,
            birth_date: Date::constant(y, m, d),
            nik_last4,
            priority,
        })
}

/// A valid booking on [`day`] (its code is set by the list).
fn booking() -> impl Strategy<Value = Appointment> {
    (
        (time(), time()).prop_filter("a slot has a length", |(a, b)| a != b),
        select(vec![
            Service::Baru,
            Service::Penggantian,
            Service::HilangRusak,
        ]),
        any::<bool>(),
        select(vec![BookingStatus::Booked, BookingStatus::Cancelled]),
        proptest::collection::vec(applicant(), 1..=MAX_APPLICANTS),
        0i64..4_000_000_000,
    )
        .prop_map(
            |((a, b), service, express, status, applicants, seconds)| Appointment {
                booking_code: String::new(),
                date: day(),
                slot_start: a.min(b),
                slot_end: a.max(b),
                service,
                express,
                status,
                applicants,
                updated_at: Timestamp::from_second(seconds).expect("in range"),
            },
        )
}

/// What becomes of a cached booking in the next list.
#[derive(Debug, Clone, Copy)]
enum Fate {
    Kept,
    Changed,
    Dropped,
}

/// The earlier list (cached) and the next one: each earlier booking kept, changed or dropped,
/// and new ones added. Codes are `MP` and a number, so no two bookings share one.
fn two_lists() -> impl Strategy<Value = (Vec<Appointment>, Vec<Appointment>)> {
    (
        proptest::collection::vec(booking(), 1..6),
        proptest::collection::vec(
            (
                select(vec![Fate::Kept, Fate::Changed, Fate::Dropped]),
                booking(),
            ),
            6,
        ),
        proptest::collection::vec(booking(), 0..3),
    )
        .prop_map(|(earlier, fates, added)| {
            let earlier: Vec<Appointment> = earlier
                .into_iter()
                .enumerate()
                .map(|(n, mut booking)| {
                    booking.booking_code = format!("MP{n:08}");
                    booking
                })
                .collect();
            let mut next = Vec::new();
            for (booking, (fate, changed)) in earlier.iter().zip(fates) {
                match fate {
                    Fate::Kept => next.push(booking.clone()),
                    Fate::Changed => next.push(Appointment {
                        booking_code: booking.booking_code.clone(),
                        ..changed
                    }),
                    Fate::Dropped => {}
                }
            }
            for (n, mut booking) in added.into_iter().enumerate() {
                booking.booking_code = format!("MPNEW{n:05}");
                next.push(booking);
            }
            (earlier, next)
        })
        .prop_filter("an item to break", |(_, next)| !next.is_empty())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn one_broken_item_costs_no_cached_booking(
        (earlier, next) in two_lists(),
        victim in any::<Index>(),
        corruption in corruption(),
    ) {
        let victim = victim.index(next.len());
        if let Corruption::AnotherItemsCode(_) = corruption {
            prop_assume!(next.len() >= 2, "another item to take the code of");
        }
        let (_dir, mut store) = temp_store();
        let earlier_text: Vec<String> = earlier
            .iter()
            .map(|a| serde_json::to_string(a).expect("JSON"))
            .collect();
        let first = FeedBody::parse(full_list_text(&earlier_text).as_bytes()).expect("valid");
        prop_assert!(first.skipped.is_empty(), "{:?}", first.skipped);
        store.apply_feed(&first, received_at()).expect("the earlier list applies");

        let codes: BTreeSet<String> = earlier
            .iter()
            .chain(&next)
            .map(|a| a.booking_code.clone())
            .collect();
        let before = cached(&store, &codes);

        let items: Vec<String> = next
            .iter()
            .enumerate()
            .map(|(i, a)| {
                if i == victim {
                    broken_item_text(&next, victim, &corruption)
                } else {
                    serde_json::to_string(a).expect("JSON")
                }
            })
            .collect();
        let text = full_list_text(&items);
        let Ok(body) = FeedBody::parse(text.as_bytes()) else {
            // Not JSON any more (raw control characters, a cut item): the answer is refused
            // whole and the pull changes nothing (tests/sync.rs shows the refusal).
            return Ok(());
        };
        let applied = store.apply_feed(&body, received_at()).expect("applies");
        let after = cached(&store, &codes);
        let victim_code = &next[victim].booking_code;

        if corruption.only_dirties_a_name() {
            prop_assert!(body.skipped.is_empty(), "{:?}", body.skipped);
            let kept = after[victim_code].clone().expect("the booking is used");
            for (kept, sent) in kept.applicants.iter().zip(&next[victim].applicants) {
                prop_assert!(!kept.name.chars().any(char::is_control), "{:?}", kept.name);
                let letters = |name: &str| name.chars().filter(|c| !c.is_whitespace()).collect::<String>();
                prop_assert_eq!(letters(&kept.name), letters(&sent.name));
            }
            return Ok(());
        }

        // The broken item is named once: by its code when that can be read, else by position.
        prop_assert_eq!(body.skipped.len(), 1, "{:?}", body.skipped);
        let skipped = &body.skipped[0];
        // Another item's code: both items are named twice; the victim's own booking vanished
        // from the list, and the code's owner is not used either.
        let mut untouched: BTreeSet<&String> = BTreeSet::from([victim_code]);
        let unidentified = match &corruption {
            Corruption::AnotherItemsCode(_) => {
                prop_assert_eq!(skipped.problem, ItemProblem::NamedTwice);
                let taken = skipped.booking_code.as_ref().expect("named by code");
                untouched.insert(codes.get(taken).expect("a code of the list"));
                true
            }
            other if other.leaves_the_code_readable() => {
                prop_assert_eq!(skipped.booking_code.as_ref(), Some(victim_code));
                prop_assert_eq!(skipped.position, victim + 1);
                false
            }
            _ => {
                prop_assert_eq!(skipped.booking_code.as_ref(), None);
                prop_assert_eq!(skipped.position, victim + 1);
                true
            }
        };
        prop_assert_eq!(applied.kept_unlisted, unidentified);

        let listed: BTreeMap<&String, &Appointment> =
            next.iter().map(|a| (&a.booking_code, a)).collect();
        for code in &codes {
            let expected = if untouched.contains(code) {
                before[code].clone()
            } else if let Some(listed) = listed.get(code) {
                Some((*listed).clone())
            } else if unidentified {
                before[code].clone()
            } else {
                None
            };
            prop_assert_eq!(&after[code], &expected, "booking {}", code);
        }
    }
}
