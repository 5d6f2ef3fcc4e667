//! Every text the core shows a person (applicant, staff, supervisor, IT), read from the files
//! the kiosk screens use (`ui/i18n/id.json` and `en.json`, embedded at build time), so each
//! sentence is written once and a translator edits one place: verdicts, error titles and next
//! steps, the doctor's advice, tickets, reports, the start problem screen.
//!
//! [`text`] picks one language, [`both`] gives both (Bahasa Indonesia first); `{name}`
//! placeholders are filled by one helper, [`fill`], the same way the page's `i18n.t` fills them.
//! Log lines and `Display` texts of errors are for developers and IT and stay English literals
//! next to the code that writes them.
//!
//! Uses only `model` (the language type): any layer may take its words from here.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Serialize;

use crate::model::Language;

const ID: &str = include_str!("../../../ui/i18n/id.json");
const EN: &str = include_str!("../../../ui/i18n/en.json");

type Texts = BTreeMap<String, String>;

fn texts(lang: Language) -> &'static Texts {
    static ID_TEXTS: OnceLock<Texts> = OnceLock::new();
    static EN_TEXTS: OnceLock<Texts> = OnceLock::new();
    let (cell, source) = match lang {
        Language::Id => (&ID_TEXTS, ID),
        Language::En => (&EN_TEXTS, EN),
    };
    // The files are checked by tests (same keys, valid JSON); a broken build shows nothing.
    cell.get_or_init(|| serde_json::from_str(source).unwrap_or_default())
}

/// The text of `key` in `lang`, with `{name}` placeholders filled from `params`' fields; empty
/// when the key is missing (tests/texts.rs keeps every key the core asks for present).
pub fn text(lang: Language, key: &str, params: &serde_json::Value) -> String {
    texts(lang)
        .get(key)
        .map(|template| fill(template, params))
        .unwrap_or_default()
}

/// The same text in both kiosk languages.
pub fn both(key: &str, params: &serde_json::Value) -> BothLanguages {
    BothLanguages {
        id: text(Language::Id, key, params),
        en: text(Language::En, key, params),
    }
}

/// Whether the files have a text for `key` (codes added later may have none yet).
pub fn has(key: &str) -> bool {
    texts(Language::Id).contains_key(key)
}

/// A text in both kiosk languages, filled in: what the core hands the page (which shows the
/// current language's, `i18n.pick`), the CLI (both lines) and the start problem screen (both).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BothLanguages {
    pub id: String,
    pub en: String,
}

impl BothLanguages {
    pub fn get(&self, lang: Language) -> &str {
        match lang {
            Language::Id => &self.id,
            Language::En => &self.en,
        }
    }
}

/// Replaces each `{name}` in `template` with the field `name` of `params` (text or number), in
/// one pass: a filled-in value is never read again, and a placeholder without a value stays as
/// it is. The page's `i18n.t` does the same.
pub fn fill(template: &str, params: &serde_json::Value) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let name = after.find('}').map(|close| &after[..close]).filter(|name| {
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
        let value = name.and_then(|name| match params.get(name)? {
            serde_json::Value::String(text) => Some(text.clone()),
            serde_json::Value::Number(number) => Some(number.to_string()),
            _ => None,
        });
        match (name, value) {
            (Some(name), Some(value)) => {
                out.push_str(&value);
                rest = &after[name.len() + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A verdict in words: what happened and what to do next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerdictMessage {
    pub title: String,
    /// Empty for `ok`.
    pub next_step: String,
}

/// The verdict's message in both kiosk languages, Bahasa Indonesia first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Messages {
    pub id: VerdictMessage,
    pub en: VerdictMessage,
}

/// Both languages' texts for the verdict `code` (`verdict.<code>.title` and `.next`), with the
/// fields of `details` (times, office, date) filled in.
pub fn verdict_messages(code: &str, details: &impl Serialize) -> Messages {
    let params = serde_json::to_value(details).unwrap_or_default();
    let message = |lang| VerdictMessage {
        title: text(lang, &format!("verdict.{code}.title"), &params),
        next_step: text(lang, &format!("verdict.{code}.next"), &params),
    };
    Messages {
        id: message(Language::Id),
        en: message(Language::En),
    }
}

/// A parser's message fit for a log: what it quoted (`"..."` or `` `...` ``: the value it
/// refused, which can be a name or a birth date) replaced by `…`.
pub fn without_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut open: Option<char> = None;
    let mut previous = ' ';
    for c in text.chars() {
        // A single quote opens a value only where a word does not continue (`'1990-04-12'`),
        // so an apostrophe inside a word (`don't`) hides nothing.
        let opens = c == '"' || c == '`' || (c == '\'' && !previous.is_alphanumeric());
        match open {
            Some(quote) if c == quote => {
                out.push(c);
                open = None;
            }
            Some(_) => {}
            None if opens => {
                out.push(c);
                out.push('…');
                open = Some(c);
            }
            None => out.push(c),
        }
        previous = c;
    }
    out
}

/// Free text from staff (a reason) or an applicant (a comment) as kept: control characters
/// dropped, runs of spaces collapsed, at most `max_chars` characters.
pub fn one_line(text: &str, max_chars: usize) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(max_chars)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checkin::Verdict;

    #[test]
    fn placeholders_are_filled_once_and_unknown_ones_kept() {
        let params = serde_json::json!({ "path": "/data/{line}", "line": 5, "flag": true });
        assert_eq!(
            fill("{path} line {line}", &params),
            "/data/{line} line 5",
            "a value is not read again"
        );
        assert_eq!(
            fill("{flag} {missing} {} {", &params),
            "{flag} {missing} {} {"
        );
        assert_eq!(
            fill("no placeholder", &serde_json::Value::Null),
            "no placeholder"
        );
    }

    #[test]
    fn a_text_comes_in_the_language_asked_for_and_in_both() {
        let en = text(
            Language::En,
            "error.next.staff_pin_malformed",
            &serde_json::Value::Null,
        );
        assert_eq!(en, "Enter a PIN of 4 to 8 digits.");
        let both = both("error.next.staff_pin_malformed", &serde_json::Value::Null);
        assert_eq!(both.id, "Masukkan PIN 4 sampai 8 angka.");
        assert_eq!(both.get(Language::En), en);
        assert!(has("verdict.ok.title") && !has("verdict.no_such_code.title"));
        assert_eq!(
            text(Language::Id, "no.such.key", &serde_json::Value::Null),
            ""
        );
    }

    #[test]
    fn a_parser_message_loses_the_values_it_quotes() {
        assert_eq!(
            without_quoted("invalid value: string \"1980-01-01x\", expected a date at line 1"),
            "invalid value: string \"…\", expected a date at line 1"
        );
        assert_eq!(
            without_quoted("unknown variant `MARIA`, expected one of `baru`"),
            "unknown variant `…`, expected one of `…`"
        );
        assert_eq!(without_quoted("no quote"), "no quote");
        // The dates' parser quotes what it read in single quotes: a birth date must not leak.
        assert_eq!(
            without_quoted("parsed value '1990-04-12', but it isn't a date"),
            "parsed value '…', but it isn't a date"
        );
    }

    #[test]
    fn refusals_have_a_title_and_next_step_in_both_languages() {
        let messages = Verdict::TooEarly {
            opens_at: "09:00".into(),
        }
        .messages();
        assert_eq!(messages.id.title, "Anda datang terlalu awal");
        assert!(
            messages.id.next_step.contains("09:00 WITA"),
            "{}",
            messages.id.next_step
        );
        assert!(
            messages.en.next_step.contains("opens at 09:00"),
            "{}",
            messages.en.next_step
        );
    }

    #[test]
    fn details_are_named_in_the_message() {
        let office = Verdict::WrongOffice {
            office: "KANIM-ATAMBUA".into(),
        }
        .messages();
        assert!(office.id.title.contains("KANIM-ATAMBUA"));
        let date = Verdict::WrongDate {
            date: "2026-12-01".into(),
        }
        .messages();
        assert!(date.en.title.contains("2026-12-01"));
    }

    #[test]
    fn every_verdict_has_a_title() {
        for verdict in [
            Verdict::Ok,
            Verdict::AlreadyCheckedIn,
            Verdict::NotFound,
            Verdict::Cancelled,
            Verdict::Revoked,
            Verdict::BadSignature,
            Verdict::UnknownKey,
            Verdict::Malformed,
            Verdict::TooLate {
                closed_at: "10:30".into(),
            },
        ] {
            let messages = verdict.messages();
            assert!(
                !messages.id.title.is_empty() && !messages.en.title.is_empty(),
                "{verdict:?}"
            );
            if !verdict.admits() {
                assert!(
                    !messages.id.next_step.is_empty(),
                    "{verdict:?} says what to do next"
                );
            }
        }
    }
}
