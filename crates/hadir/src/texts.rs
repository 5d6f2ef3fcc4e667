//! Verdict texts for the CLI and exports, read from the same files the kiosk screens use
//! (`ui/i18n/id.json` and `en.json`), so a sentence is written once. Uses no other module of the
//! crate: any layer may take its words from here (a verdict passes its code and details).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Serialize;

const ID: &str = include_str!("../../../ui/i18n/id.json");
const EN: &str = include_str!("../../../ui/i18n/en.json");

type Texts = BTreeMap<String, String>;

fn texts(lang: &str) -> &'static Texts {
    static ID_TEXTS: OnceLock<Texts> = OnceLock::new();
    static EN_TEXTS: OnceLock<Texts> = OnceLock::new();
    let (cell, source) = if lang == "en" {
        (&EN_TEXTS, EN)
    } else {
        (&ID_TEXTS, ID)
    };
    // The files are checked by tests (same keys, valid JSON); a broken build shows keys instead.
    cell.get_or_init(|| serde_json::from_str(source).unwrap_or_default())
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
/// string fields of `details` (times, office, date) filled in.
pub fn verdict_messages(code: &str, details: &impl Serialize) -> Messages {
    let params = serde_json::to_value(details).unwrap_or_default();
    Messages {
        id: verdict_message(code, &params, "id"),
        en: verdict_message(code, &params, "en"),
    }
}

fn verdict_message(code: &str, params: &serde_json::Value, lang: &str) -> VerdictMessage {
    let fill = |key: String| {
        let template = texts(lang).get(&key).cloned().unwrap_or_default();
        fill_params(&template, params)
    };
    VerdictMessage {
        title: fill(format!("verdict.{code}.title")),
        next_step: fill(format!("verdict.{code}.next")),
    }
}

/// A screen text by its key in `lang` (`"id"` or `"en"`), with `{name}` placeholders filled from
/// `params`' string fields; empty when the key is missing. For the CLI's own reports
/// (`hadir doctor` gives the printer advice staff read on the staff screen).
pub fn screen_text(lang: &str, key: &str, params: &serde_json::Value) -> String {
    let template = texts(lang).get(key).cloned().unwrap_or_default();
    fill_params(&template, params)
}

/// Replaces `{name}` with the verdict's field `name`.
fn fill_params(template: &str, params: &serde_json::Value) -> String {
    let mut out = template.to_owned();
    if let Some(fields) = params.as_object() {
        for (name, value) in fields {
            if let Some(text) = value.as_str() {
                out = out.replace(&format!("{{{name}}}"), text);
            }
        }
    }
    out
}

/// A parser's message fit for a log: what it quoted (`"..."` or `` `...` ``: the value it
/// refused, which can be a name or a birth date) replaced by `…`.
pub fn without_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut open: Option<char> = None;
    for c in text.chars() {
        match open {
            Some(quote) if c == quote => {
                out.push(c);
                open = None;
            }
            Some(_) => {}
            None if c == '"' || c == '`' => {
                out.push(c);
                out.push('…');
                open = Some(c);
            }
            None => out.push(c),
        }
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
