//! What a check-in looks like once decided: the result screen's view of it (verdict, words,
//! tickets) and the tickets still to print. Shared by the kiosk's scan, the hub path and the
//! front desk's check-in, so none of them needs another's module.

use jiff::ZonedDateTime;
use serde::Serialize;

use crate::checkin::{ScanOutcome, Verdict};
use crate::config::Config;
use crate::model::Language;
use crate::store::PrintOutcome;
use crate::texts::{BothLanguages, Messages};
use crate::ticket::TicketView;

/// What the result screen shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScanResult {
    #[serde(flatten)]
    pub verdict: Verdict,
    /// Whether the verdict admits the applicant (`ok`, `already_checked_in`): the screen shows
    /// the numbers, not a refusal.
    pub admits: bool,
    /// The verdict in words, Bahasa Indonesia and English (the screens use their own copy of
    /// the same texts; the CLI and logs use this).
    pub message: Messages,
    pub tickets: Vec<TicketView>,
    /// New tickets wait for `kiosk::print_pending`: the screen says "printing".
    pub printing: bool,
    /// One outcome per new ticket once printed; empty for refusals and already checked in.
    pub prints: Vec<PrintOutcome>,
}

/// A ticket a scan issued and nobody has printed yet.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingPrint {
    pub ticket: TicketView,
    pub office_date: String,
}

/// The screen's view of a check-in outcome, and the new tickets to print in `language`.
pub fn result_of(
    outcome: ScanOutcome,
    language: Language,
    now: &ZonedDateTime,
    config: &Config,
) -> (ScanResult, Vec<PendingPrint>) {
    let tickets: Vec<TicketView> = match &outcome.booking {
        Some(booking) => outcome
            .tickets
            .iter()
            .map(|ticket| {
                let issued = ticket
                    .issued_at
                    .parse::<jiff::Timestamp>()
                    .map(|ts| ts.to_zoned_datetime(now.time_zone().clone()))
                    .unwrap_or_else(|_| now.clone());
                TicketView::new(ticket, booking, &issued, language, config)
            })
            .collect(),
        None => Vec::new(),
    };
    let pending: Vec<PendingPrint> = if outcome.verdict == Verdict::Ok {
        tickets
            .iter()
            .zip(&outcome.tickets)
            .map(|(view, ticket)| PendingPrint {
                ticket: view.clone(),
                office_date: ticket.office_date.clone(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let result = ScanResult {
        message: outcome.verdict.messages(),
        admits: outcome.verdict.admits(),
        verdict: outcome.verdict,
        tickets,
        printing: !pending.is_empty(),
        prints: Vec::new(),
    };
    (result, pending)
}

/// What an officer reads for this result, in both languages: `staff.checkin.done` with the
/// numbers and whether they printed, or the refusal in staff wording (`staff.verdict.*`, else
/// `staff.verdict.other` with the code), not the applicant's screen text. The front desk's
/// check-in and `hadir checkin` both answer with it.
pub fn staff_words(result: &ScanResult) -> BothLanguages {
    let labels: Vec<&str> = result.tickets.iter().map(|t| t.label.as_str()).collect();
    let mut params = serde_json::to_value(&result.verdict).unwrap_or_default();
    if let Some(fields) = params.as_object_mut() {
        fields.insert("labels".into(), labels.join(", ").into());
    }
    let print_failed = result
        .prints
        .iter()
        .any(|print| matches!(print, PrintOutcome::Failed { .. }));
    let verdict_key = format!("staff.verdict.{}", result.verdict.code());
    let in_language = |lang: Language| {
        let mut params = params.clone();
        let key = if result.verdict == Verdict::Ok {
            let print_key = if print_failed {
                "staff.print.failed"
            } else {
                "staff.print.done"
            };
            let print = crate::texts::text(lang, print_key, &serde_json::json!({}));
            if let Some(fields) = params.as_object_mut() {
                fields.insert("print".into(), print.into());
            }
            "staff.checkin.done"
        } else if crate::texts::has(&verdict_key) {
            &verdict_key
        } else {
            "staff.verdict.other"
        };
        crate::texts::text(lang, key, &params)
    };
    BothLanguages {
        id: in_language(Language::Id),
        en: in_language(Language::En),
    }
}
