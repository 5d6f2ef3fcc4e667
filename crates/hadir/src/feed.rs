//! The upstream appointment feed's body (`docs/feed-api.md`), parsed and
//! validated item by item: a bad item is skipped and named, the rest is used.
//!
//! A skipped item never changes or removes a cached booking: the store keeps the cached copy of
//! every booking a broken item names, and a full list holding a broken item that could be any
//! booking (its code unreadable, or its code named twice) removes nothing at all
//! ([`FeedBody::may_remove_unlisted`]).

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::fmt;

use jiff::civil::{Date, Time};
use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::{hh_mm, is_booking_code, BookingStatus, Priority, Service, MAX_APPLICANTS};

/// The longest applicant name the feed may send, in characters (after control characters are
/// taken out). Indonesian names with every given name and title spelled out stay well below it;
/// a longer one is a broken item, not a name (docs/feed-api.md).
pub const MAX_APPLICANT_NAME_CHARS: usize = 100;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Applicant {
    pub name: String,
    pub birth_date: Date,
    pub nik_last4: String,
    pub priority: Option<Priority>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Appointment {
    pub booking_code: String,
    pub date: Date,
    #[serde(with = "hh_mm")]
    pub slot_start: Time,
    #[serde(with = "hh_mm")]
    pub slot_end: Time,
    pub service: Service,
    pub express: bool,
    pub status: BookingStatus,
    pub applicants: Vec<Applicant>,
    pub updated_at: jiff::Timestamp,
}

impl Appointment {
    /// Rules serde cannot express, for an item of the list for `list_date`; `Err` says why the
    /// item is unusable. Names are checked as cleaned ([`without_controls`]).
    fn check(&self, list_date: Date) -> std::result::Result<(), (ItemProblem, String)> {
        if !is_booking_code(&self.booking_code) {
            return Err((
                ItemProblem::BadBookingCode,
                "booking_code is not 8-20 upper-case letters and digits".into(),
            ));
        }
        if self.date != list_date {
            return Err((
                ItemProblem::OtherDate,
                format!("dated {}, in the list for {list_date}", self.date),
            ));
        }
        if self.applicants.is_empty() || self.applicants.len() > MAX_APPLICANTS {
            return Err((
                ItemProblem::ApplicantCount,
                format!(
                    "{} applicants; a booking has 1 to {MAX_APPLICANTS}",
                    self.applicants.len()
                ),
            ));
        }
        if self.slot_end <= self.slot_start {
            return Err((
                ItemProblem::SlotOrder,
                "slot_end is not after slot_start".into(),
            ));
        }
        for applicant in &self.applicants {
            let nik_ok = applicant.nik_last4.len() == 4
                && applicant.nik_last4.bytes().all(|b| b.is_ascii_digit());
            if !nik_ok {
                return Err((ItemProblem::BadNik, "nik_last4 is not four digits".into()));
            }
            if applicant.name.trim().is_empty() {
                return Err((ItemProblem::NoName, "an applicant has no name".into()));
            }
            let chars = applicant.name.chars().count();
            if chars > MAX_APPLICANT_NAME_CHARS {
                return Err((
                    ItemProblem::NameTooLong,
                    format!("a name of {chars} characters; at most {MAX_APPLICANT_NAME_CHARS}"),
                ));
            }
        }
        Ok(())
    }

    /// Takes control characters out of the names (see [`without_controls`]).
    fn clean_names(&mut self) {
        for applicant in &mut self.applicants {
            if let Some(clean) = without_controls(&applicant.name) {
                applicant.name = clean;
            }
        }
    }
}

/// Why a feed item was not used: a stable code for the staff screen (`feed.item.<code>` in
/// `ui/i18n`) and for `hadir status`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemProblem {
    /// Not the contract's shape: a wrong type, a missing, unknown or repeated key, a number out
    /// of range, a date or time that is not one, an unknown service, status or priority.
    #[default]
    Unreadable,
    BadBookingCode,
    /// Dated another day than the list it came in.
    OtherDate,
    ApplicantCount,
    SlotOrder,
    BadNik,
    NoName,
    /// Longer than [`MAX_APPLICANT_NAME_CHARS`].
    NameTooLong,
    /// Its booking code is named by another item of the same answer with other content.
    NamedTwice,
}

impl ItemProblem {
    /// The stable code, as serialised (`hadir import` prints it).
    pub fn code(self) -> &'static str {
        match self {
            ItemProblem::Unreadable => "unreadable",
            ItemProblem::BadBookingCode => "bad_booking_code",
            ItemProblem::OtherDate => "other_date",
            ItemProblem::ApplicantCount => "applicant_count",
            ItemProblem::SlotOrder => "slot_order",
            ItemProblem::BadNik => "bad_nik",
            ItemProblem::NoName => "no_name",
            ItemProblem::NameTooLong => "name_too_long",
            ItemProblem::NamedTwice => "named_twice",
        }
    }
}

/// A feed item that was not used, named by its booking code when that can be read beyond doubt,
/// else by its position in the answer's `appointments`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkippedItem {
    pub booking_code: Option<String>,
    /// 1 for the answer's first item (for a booking named twice: its first item).
    #[serde(default)]
    pub position: usize,
    #[serde(default)]
    pub problem: ItemProblem,
    /// The parser's words for IT, without the values it quoted (a name, a birth date).
    pub reason: String,
}

impl SkippedItem {
    /// Whether this item could be any booking: its code cannot be read, or two items claim the
    /// same code (one of them may be another booking's item with a damaged code).
    pub fn could_be_any_booking(&self) -> bool {
        self.booking_code.is_none() || self.problem == ItemProblem::NamedTwice
    }
}

/// A pull response (or an imported file), after validation.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedBody {
    pub office: String,
    pub date: Date,
    pub full: bool,
    pub cursor: Option<String>,
    pub appointments: Vec<Appointment>,
    pub revoked: Vec<String>,
    pub skipped: Vec<SkippedItem>,
}

#[derive(Deserialize)]
struct RawFeedBody<'a> {
    office: String,
    date: Date,
    full: bool,
    #[serde(default)]
    cursor: Option<String>,
    /// Kept as raw text: each item is parsed once, straight into [`Appointment`], and only a
    /// bad one is read again to name its booking code.
    #[serde(borrow)]
    appointments: Vec<&'a serde_json::value::RawValue>,
    #[serde(default)]
    revoked: Vec<String>,
}

#[derive(Serialize)]
struct RawFeedBodyOut<'a> {
    office: &'a str,
    date: Date,
    full: bool,
    cursor: &'a Option<String>,
    appointments: &'a [Appointment],
    revoked: &'a [String],
}

impl FeedBody {
    /// Parses a body. The envelope must be well formed (else the whole body is refused); items
    /// that are not are skipped and listed in `skipped`, and so is every item of a booking code
    /// that two items name with different content.
    pub fn parse(bytes: &[u8]) -> Result<FeedBody> {
        let raw: RawFeedBody = serde_json::from_slice(bytes)
            .map_err(|e| Error::FeedInvalid(format!("not a feed body: {e}")))?;
        let items = raw
            .appointments
            .iter()
            .enumerate()
            .map(|(index, item)| read_item(item.get(), index + 1, raw.date))
            .collect();
        let (appointments, skipped) = settle_codes_named_twice(items);
        let revoked = raw
            .revoked
            .into_iter()
            .filter(|code| is_booking_code(code))
            .collect();
        Ok(FeedBody {
            office: without_controls(&raw.office).unwrap_or(raw.office),
            date: raw.date,
            full: raw.full,
            cursor: raw.cursor,
            appointments,
            revoked,
            skipped,
        })
    }

    /// Whether applying this body may remove cached bookings of its date that it does not list:
    /// only a full list, and only when none of its skipped items could be any booking (a
    /// conservative answer: a list that cannot say which booking an item was removes nothing).
    pub fn may_remove_unlisted(&self) -> bool {
        self.full && !self.skipped.iter().any(SkippedItem::could_be_any_booking)
    }

    /// The body as the contract's JSON (used by the demo and by tests).
    pub fn to_json(&self) -> String {
        let out = RawFeedBodyOut {
            office: &self.office,
            date: self.date,
            full: self.full,
            cursor: &self.cursor,
            appointments: &self.appointments,
            revoked: &self.revoked,
        };
        serde_json::to_string_pretty(&out).unwrap_or_default()
    }
}

/// One item of a list for `list_date`, at `position` (1-based): a booking, or why not.
fn read_item(
    text: &str,
    position: usize,
    list_date: Date,
) -> std::result::Result<Appointment, SkippedItem> {
    let broken = |problem, reason: String| SkippedItem {
        booking_code: readable_booking_code(text),
        position,
        problem,
        reason: crate::texts::without_quoted(&reason),
    };
    let mut appointment = serde_json::from_str::<Appointment>(text)
        .map_err(|e| broken(ItemProblem::Unreadable, e.to_string()))?;
    appointment.clean_names();
    appointment
        .check(list_date)
        .map_err(|(problem, reason)| broken(problem, reason))?;
    Ok(appointment)
}

/// Splits the items into bookings to use and items skipped. A code named by more than one item
/// is used only if every one of them is the same valid booking (kept once); otherwise none of
/// them is used and the code is named once, at its first item, as [`ItemProblem::NamedTwice`].
fn settle_codes_named_twice(
    items: Vec<std::result::Result<Appointment, SkippedItem>>,
) -> (Vec<Appointment>, Vec<SkippedItem>) {
    fn code_of(item: &std::result::Result<Appointment, SkippedItem>) -> Option<&str> {
        match item {
            Ok(appointment) => Some(appointment.booking_code.as_str()),
            Err(skipped) => skipped.booking_code.as_deref(),
        }
    }
    // Each code's first item and how many items name it; a later item is a repeat.
    let mut first: HashMap<&str, (usize, usize)> = HashMap::with_capacity(items.len());
    let mut repeat = vec![false; items.len()];
    let mut differing: Vec<&str> = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let Some(code) = code_of(item) else { continue };
        match first.entry(code) {
            Entry::Vacant(entry) => {
                entry.insert((index, 1));
            }
            Entry::Occupied(mut entry) => {
                let (first_index, count) = entry.get_mut();
                *count += 1;
                repeat[index] = true;
                let same = matches!((&items[*first_index], item), (Ok(a), Ok(b)) if a == b);
                if !same {
                    differing.push(code);
                }
            }
        }
    }
    let named_twice: HashMap<String, (usize, usize)> = differing
        .into_iter()
        .map(|code| (code.to_owned(), first[code]))
        .collect();
    drop(first);

    let mut appointments = Vec::with_capacity(items.len());
    let mut skipped = Vec::new();
    for (index, item) in items.into_iter().enumerate() {
        let conflicting = code_of(&item).is_some_and(|code| named_twice.contains_key(code));
        if conflicting || repeat[index] {
            continue;
        }
        match item {
            Ok(appointment) => appointments.push(appointment),
            Err(item) => skipped.push(item),
        }
    }
    for (code, (first_index, count)) in named_twice {
        skipped.push(SkippedItem {
            booking_code: Some(code),
            position: first_index + 1,
            problem: ItemProblem::NamedTwice,
            reason: format!("named by {count} items that differ"),
        });
    }
    skipped.sort_by_key(|item| item.position);
    (appointments, skipped)
}

/// `text` without control characters (C0 such as NUL, tab and line breaks, DEL, C1), or `None`
/// when it has none. A run of them between two words becomes one space; at either end, or next
/// to a space, it goes. Feed text reaches screens, tickets, logs and CSV files.
fn without_controls(text: &str) -> Option<String> {
    if !text.chars().any(char::is_control) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.chars() {
        if c.is_control() {
            gap = true;
            continue;
        }
        if gap && !out.is_empty() && !out.ends_with(char::is_whitespace) && !c.is_whitespace() {
            out.push(' ');
        }
        gap = false;
        out.push(c);
    }
    Some(out)
}

/// The booking code of an item the parser rejected, if it can be read beyond doubt: the item is
/// an object with exactly one `booking_code`, a string of the code's form. Anything else (not
/// an object, the key twice, a number) could be any booking. Other values are skipped unread,
/// so a number out of range elsewhere in the item does not hide the code.
fn readable_booking_code(item: &str) -> Option<String> {
    struct CodeOnly(Option<String>);

    impl<'de> Deserialize<'de> for CodeOnly {
        fn deserialize<D: Deserializer<'de>>(
            deserializer: D,
        ) -> std::result::Result<Self, D::Error> {
            deserializer.deserialize_map(CodeOnlyVisitor)
        }
    }

    struct CodeOnlyVisitor;

    impl<'de> Visitor<'de> for CodeOnlyVisitor {
        type Value = CodeOnly;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a feed item object")
        }

        fn visit_map<A: MapAccess<'de>>(
            self,
            mut map: A,
        ) -> std::result::Result<CodeOnly, A::Error> {
            let mut code = None;
            let mut times = 0;
            while let Some(key) = map.next_key::<String>()? {
                if key == "booking_code" {
                    times += 1;
                    code = Some(map.next_value::<String>()?);
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            Ok(CodeOnly(if times == 1 { code } else { None }))
        }
    }

    serde_json::from_str::<CodeOnly>(item)
        .ok()?
        .0
        .filter(|code| is_booking_code(code))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sample body from the crate's `testdata/` (see its README.md).
    fn sample(name: &str) -> Vec<u8> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata")
            .join(name);
        std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// A valid item of the list for 2026-11-29, as JSON.
    fn item(code: &str, name: &str) -> serde_json::Value {
        serde_json::json!({
            "booking_code": code, "date": "2026-11-29", "slot_start": "09:00",
            "slot_end": "10:00", "service": "baru", "express": false, "status": "booked",
            "applicants": [{"name": name, "birth_date": "1990-04-12", "nik_last4": "4821",
                            "priority": null}],
            "updated_at": "2026-11-28T14:03:11+08:00"
        })
    }

    /// A full list for 2026-11-29 of these items, each given as its JSON text.
    fn full_list(items: &[String]) -> FeedBody {
        let text = format!(
            r#"{{"office": "KANIM-KUPANG", "date": "2026-11-29", "full": true, "appointments": [{}]}}"#,
            items.join(",")
        );
        FeedBody::parse(text.as_bytes()).expect("the envelope is valid")
    }

    fn codes(body: &FeedBody) -> Vec<&str> {
        body.appointments
            .iter()
            .map(|a| a.booking_code.as_str())
            .collect()
    }

    #[test]
    fn full_sample_parses_without_skips() {
        let body = FeedBody::parse(&sample("feed-full.json")).expect("sample is valid");
        assert!(body.full);
        assert_eq!(body.office, "KANIM-KUPANG");
        assert!(
            body.skipped.is_empty(),
            "nothing skipped: {:?}",
            body.skipped
        );
        assert!(body.appointments.len() > 5);
        assert!(body.may_remove_unlisted());
    }

    #[test]
    fn bad_items_are_skipped_and_the_valid_one_kept() {
        let body = FeedBody::parse(&sample("feed-bad-items.json")).expect("envelope is valid");
        assert_eq!(
            body.skipped.len(),
            3,
            "first three invalid: {:?}",
            body.skipped
        );
        assert_eq!(codes(&body), ["MPH4ZZ3LEX"]);
        let positions: Vec<usize> = body.skipped.iter().map(|s| s.position).collect();
        assert_eq!(positions, [1, 2, 3]);
        assert!(
            body.skipped.iter().all(|s| s.booking_code.is_some()),
            "each is named by its code: {:?}",
            body.skipped
        );
        assert!(body.may_remove_unlisted(), "every skipped item is known");
    }

    #[test]
    fn a_number_out_of_range_elsewhere_does_not_hide_the_booking_code() {
        let text = item("MP7K2Q9XA4", "MARIA")
            .to_string()
            .replace("\"express\":false", "\"express\":1e400");
        assert!(text.contains("1e400"), "{text}");
        let body = full_list(&[text, item("MPH4ZZ3LEX", "YOSEF").to_string()]);
        assert_eq!(codes(&body), ["MPH4ZZ3LEX"]);
        assert_eq!(body.skipped.len(), 1);
        let skipped = &body.skipped[0];
        assert_eq!(skipped.booking_code.as_deref(), Some("MP7K2Q9XA4"));
        assert_eq!(
            (skipped.position, skipped.problem),
            (1, ItemProblem::Unreadable)
        );
        assert!(body.may_remove_unlisted());
    }

    #[test]
    fn an_item_whose_code_cannot_be_read_is_named_by_position_and_removes_nothing() {
        let twice = item("MP7K2Q9XA4", "MARIA").to_string().replacen(
            '{',
            r#"{"booking_code": "MPAAAAAAAA", "#,
            1,
        );
        for broken in [
            twice,
            "17".to_owned(),
            "null".to_owned(),
            r#"["MP7K2Q9XA4"]"#.to_owned(),
            item("mp7k2q9xa4", "MARIA").to_string(),
            item("MP7K2Q9XA4", "MARIA")
                .to_string()
                .replace(r#""MP7K2Q9XA4""#, "7"),
        ] {
            let body = full_list(&[item("MPH4ZZ3LEX", "YOSEF").to_string(), broken.clone()]);
            assert_eq!(codes(&body), ["MPH4ZZ3LEX"], "{broken}");
            assert_eq!(body.skipped.len(), 1, "{broken}");
            assert_eq!(body.skipped[0].booking_code, None, "{broken}");
            assert_eq!(body.skipped[0].position, 2, "{broken}");
            assert!(!body.may_remove_unlisted(), "{broken}");
        }
    }

    #[test]
    fn an_item_of_another_day_is_skipped_and_named() {
        let mut other = item("MP7K2Q9XA4", "MARIA");
        other["date"] = "2026-11-30".into();
        let body = full_list(&[other.to_string()]);
        assert!(body.appointments.is_empty());
        assert_eq!(body.skipped[0].booking_code.as_deref(), Some("MP7K2Q9XA4"));
        assert_eq!(body.skipped[0].problem, ItemProblem::OtherDate);
        assert!(body.may_remove_unlisted(), "its code is known");
    }

    #[test]
    fn a_booking_named_twice_with_different_content_is_not_used_and_named_once() {
        let body = full_list(&[
            item("MPH4ZZ3LEX", "YOSEF").to_string(),
            item("MP7K2Q9XA4", "MARIA").to_string(),
            item("MP7K2Q9XA4", "MARTHA").to_string(),
            item("MP7K2Q9XA4", "MARIA").to_string(),
        ]);
        assert_eq!(
            codes(&body),
            ["MPH4ZZ3LEX"],
            "not the last one, not the first"
        );
        assert_eq!(body.skipped.len(), 1, "{:?}", body.skipped);
        let skipped = &body.skipped[0];
        assert_eq!(skipped.booking_code.as_deref(), Some("MP7K2Q9XA4"));
        assert_eq!(
            (skipped.position, skipped.problem),
            (2, ItemProblem::NamedTwice)
        );
        assert!(skipped.reason.contains('3'), "{}", skipped.reason);
        assert!(
            !body.may_remove_unlisted(),
            "one of them may be another booking"
        );
    }

    #[test]
    fn a_valid_item_beside_a_broken_one_of_its_code_is_not_used() {
        let mut broken = item("MP7K2Q9XA4", "MARIA");
        broken["service"] = "visa".into();
        let body = full_list(&[item("MP7K2Q9XA4", "MARIA").to_string(), broken.to_string()]);
        assert!(body.appointments.is_empty(), "{:?}", body.appointments);
        assert_eq!(body.skipped.len(), 1);
        assert_eq!(body.skipped[0].problem, ItemProblem::NamedTwice);
    }

    #[test]
    fn the_same_booking_twice_is_used_once() {
        let twin = item("MP7K2Q9XA4", "MARIA").to_string();
        let body = full_list(&[twin.clone(), twin]);
        assert_eq!(codes(&body), ["MP7K2Q9XA4"]);
        assert!(body.skipped.is_empty());
    }

    #[test]
    fn control_characters_leave_names_at_import() {
        for (sent, kept) in [
            ("MARIA\u{0}GORETI", "MARIA GORETI"),
            ("\u{1b}[31mMARIA\r\n", "[31mMARIA"),
            ("MARIA \t\u{7f} GORETI\u{85}", "MARIA  GORETI"),
            ("ANA\u{1}\u{2}\u{1f}BENU", "ANA BENU"),
            ("MARIA GORETI", "MARIA GORETI"),
        ] {
            let body = full_list(&[item("MP7K2Q9XA4", sent).to_string()]);
            assert_eq!(body.appointments[0].applicants[0].name, kept, "{sent:?}");
        }
        let only_controls = full_list(&[item("MP7K2Q9XA4", "\u{0}\u{7}").to_string()]);
        assert_eq!(only_controls.skipped[0].problem, ItemProblem::NoName);
    }

    #[test]
    fn a_name_over_the_limit_is_a_broken_item() {
        let longest = "A".repeat(MAX_APPLICANT_NAME_CHARS);
        let body = full_list(&[
            item("MP7K2Q9XA4", &longest).to_string(),
            item("MPH4ZZ3LEX", &format!("{longest}B")).to_string(),
        ]);
        assert_eq!(codes(&body), ["MP7K2Q9XA4"], "the limit itself is a name");
        assert_eq!(body.skipped[0].problem, ItemProblem::NameTooLong);
        assert_eq!(body.skipped[0].booking_code.as_deref(), Some("MPH4ZZ3LEX"));
    }

    #[test]
    fn a_skipped_reason_keeps_no_value_it_quoted() {
        let mut broken = item("MP7K2Q9XA4", "MARIA");
        broken["applicants"][0]["birth_date"] = "1990-04-12x".into();
        let body = full_list(&[broken.to_string()]);
        let reason = &body.skipped[0].reason;
        assert!(!reason.contains("1990"), "{reason}");
        assert!(reason.contains("parsed value '…'"), "{reason}");
        assert_eq!(
            crate::texts::without_quoted("it doesn't read 'MARIA'"),
            "it doesn't read '…'"
        );
    }

    #[test]
    fn each_problem_code_is_its_serialised_name_and_has_words() {
        for problem in [
            ItemProblem::Unreadable,
            ItemProblem::BadBookingCode,
            ItemProblem::OtherDate,
            ItemProblem::ApplicantCount,
            ItemProblem::SlotOrder,
            ItemProblem::BadNik,
            ItemProblem::NoName,
            ItemProblem::NameTooLong,
            ItemProblem::NamedTwice,
        ] {
            assert_eq!(
                serde_json::to_value(problem).expect("serialises"),
                problem.code()
            );
            let key = format!("feed.item.{}", problem.code());
            assert!(crate::texts::has(&key), "the staff screen's words: {key}");
        }
    }

    #[test]
    fn a_delta_never_removes() {
        let mut body = full_list(&[item("MP7K2Q9XA4", "MARIA").to_string()]);
        body.full = false;
        assert!(!body.may_remove_unlisted());
    }

    #[test]
    fn broken_envelope_is_refused_whole() {
        let err = FeedBody::parse(b"{\"office\": \"X\"").expect_err("truncated");
        assert_eq!(err.code(), "feed_invalid");
    }

    #[test]
    fn round_trips_through_json() {
        let body = FeedBody::parse(&sample("feed-full.json")).expect("valid");
        let again = FeedBody::parse(body.to_json().as_bytes()).expect("own output is valid");
        assert_eq!(again, body);
    }
}
