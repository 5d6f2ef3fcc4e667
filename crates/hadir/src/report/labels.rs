//! The report's words in the supervisor's language: audit actions, sync states, column titles,
//! sheet names, the summary's rows, services and priorities, the PDF's headings, yes/no and
//! times, from the screens' text files (`report.*` keys in `ui/i18n/*.json`), so each sentence is
//! written once. CSV never uses them: it keeps codes, RFC 3339 times and the summary's Bahasa
//! Indonesia descriptions, the same file in every language.

use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::Timestamp;

use crate::model::Language;
use crate::survey::QuestionSet;
use crate::texts;

/// The text of `key` in `lang`, `{name}` placeholders filled from `params`.
pub(crate) fn text(lang: Language, key: &str, params: &serde_json::Value) -> String {
    texts::text(lang, key, params)
}

/// A text without placeholders.
pub(crate) fn words(lang: Language, key: &str) -> String {
    text(lang, key, &serde_json::Value::Null)
}

/// The text of `key`, or `fallback` when the files have none (a code added later still shows).
fn text_or(lang: Language, key: &str, fallback: &str) -> String {
    let found = text(lang, key, &serde_json::Value::Null);
    if found.is_empty() {
        fallback.to_owned()
    } else {
        found
    }
}

/// An audit action (`export`, `login_failed`...) in words.
pub(crate) fn action(lang: Language, code: &str) -> String {
    text_or(lang, &format!("report.action.{code}"), code)
}

/// A sync state (`ok`, `offline`, `stopped`, `file_only`, `hub`) in words.
pub(crate) fn sync_state(lang: Language, code: &str) -> String {
    text_or(lang, &format!("report.sync.{code}"), code)
}

/// A column's title (`waktu_checkin` -> "Waktu check-in"); a score column names its element.
pub(crate) fn column(lang: Language, key: &str) -> String {
    match key.strip_prefix("skor_") {
        Some(element) => {
            let title = text(
                lang,
                "report.column.skor",
                &serde_json::json!({ "element": element }),
            );
            if title.is_empty() {
                key.to_owned()
            } else {
                title
            }
        }
        None => text_or(lang, &format!("report.column.{key}"), key),
    }
}

/// A service code (`baru`, `tidak_diketahui`) in words; an unknown code as it is.
pub(crate) fn service(lang: Language, code: &str) -> String {
    text_or(lang, &format!("report.service.{code}"), code)
}

/// A priority code (`lansia`, `ibu_hamil`) in words; an unknown code as it is.
pub(crate) fn priority(lang: Language, code: &str) -> String {
    text_or(lang, &format!("report.priority.{code}"), code)
}

/// What the index was computed from: an IKM proper needs the nine SKM elements.
pub(crate) fn index_basis(lang: Language, set: QuestionSet) -> String {
    match set.id {
        "skm2017" => words(lang, "report.basis.skm2017"),
        id => {
            let shown = if id == "servqual" { "SERVQUAL" } else { id };
            text(
                lang,
                "report.basis.other",
                &serde_json::json!({ "set": shown }),
            )
        }
    }
}

/// A sheet's name (`summary`, `tickets`, `ratings`, `staff_actions`).
pub(crate) fn sheet(lang: Language, file: &str) -> String {
    text_or(lang, &format!("report.sheet.{file}"), file)
}

pub(crate) fn yes_no(lang: Language, value: bool) -> String {
    text_or(
        lang,
        if value { "report.yes" } else { "report.no" },
        if value { "ya" } else { "tidak" },
    )
}

pub(crate) fn never(lang: Language) -> String {
    text_or(lang, "report.never", "-")
}

/// "Dibuat: 29-11-2026 pukul 17.00 WITA" / "Generated: 2026-11-29 17:00 WITA".
pub(crate) fn generated(lang: Language, at: &str, time_zone: &str) -> String {
    text(
        lang,
        "report.generated",
        &serde_json::json!({ "at": local_time(lang, at, time_zone) }),
    )
}

/// An office-local RFC 3339 time as people read it, with the zone's abbreviation (WITA):
/// `report.datetime` orders day, month, year, hour and minute as the language writes them.
/// A text that is not such a time is shown as it is.
pub(crate) fn local_time(lang: Language, at: &str, time_zone: &str) -> String {
    time_text(lang, "report.datetime", at, time_zone)
}

/// The same, without the zone and the words between (a narrow table column).
pub(crate) fn local_time_short(lang: Language, at: &str, time_zone: &str) -> String {
    time_text(lang, "report.datetime_short", at, time_zone)
}

fn time_text(lang: Language, key: &str, at: &str, time_zone: &str) -> String {
    let Ok(instant) = at.parse::<Timestamp>() else {
        return at.to_owned();
    };
    let zone = TimeZone::get(time_zone).unwrap_or(TimeZone::UTC);
    let local = instant.to_zoned_datetime(zone);
    let filled = text(
        lang,
        key,
        &serde_json::json!({
            "day": local.strftime("%d").to_string(),
            "month": local.strftime("%m").to_string(),
            "year": local.strftime("%Y").to_string(),
            "hour": local.strftime("%H").to_string(),
            "minute": local.strftime("%M").to_string(),
            "zone": local.strftime("%Z").to_string(),
        }),
    );
    if filled.is_empty() {
        at.to_owned()
    } else {
        filled
    }
}

/// The office's wall-clock time of an office-local RFC 3339 time (`2026-11-29T08:41:07+08:00`
/// -> 2026-11-29 08:41:07): what a spreadsheet's date-time cell holds, having no zones.
pub(crate) fn wall_clock(at: &str) -> Option<DateTime> {
    at.get(..19)?.parse::<DateTime>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_as_each_language_writes_them() {
        let at = "2026-11-29T17:05:09+08:00";
        assert_eq!(
            local_time(Language::Id, at, "Asia/Makassar"),
            "29-11-2026 pukul 17.05 WITA"
        );
        assert_eq!(
            local_time(Language::En, at, "Asia/Makassar"),
            "2026-11-29 17:05 WITA"
        );
        assert_eq!(
            generated(Language::Id, at, "Asia/Makassar"),
            "Dibuat: 29-11-2026 pukul 17.05 WITA"
        );
        assert_eq!(
            local_time(Language::Id, "kemarin", "Asia/Makassar"),
            "kemarin"
        );
        assert_eq!(
            wall_clock(at).map(|t| t.to_string()),
            Some("2026-11-29T17:05:09".to_owned())
        );
    }

    #[test]
    fn every_audit_action_the_core_writes_has_words_in_both_languages() {
        for code in AUDIT_ACTIONS {
            for lang in [Language::Id, Language::En] {
                assert_ne!(action(lang, code), *code, "{code} in {lang:?}");
            }
        }
        assert_ne!(
            action(Language::Id, "export"),
            action(Language::En, "export")
        );
        assert_eq!(
            action(Language::Id, "something_new"),
            "something_new",
            "an action without words still shows its code"
        );
        for state in ["ok", "offline", "stopped", "file_only", "hub"] {
            assert_ne!(sync_state(Language::Id, state), state);
            assert_ne!(sync_state(Language::En, state), state);
        }
    }

    /// Every `action` the core, the CLI and the kiosk shell write to the audit log.
    const AUDIT_ACTIONS: &[&str] = &[
        "login",
        "login_failed",
        "logout",
        "search",
        "checkin",
        "override",
        "checkin_refused",
        "reprint",
        "reprint_refused",
        "export",
        "export_full_names",
        "export_failed",
        "export_hub",
        "export_hub_full_names",
        "purge",
        "settings",
        "staff_add",
        "staff_enable",
        "staff_disable",
        "staff_reset_pin",
        "refused",
        "sync_now",
        "import",
    ];
}
