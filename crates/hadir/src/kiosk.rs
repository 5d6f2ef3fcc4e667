//! One scan at the kiosk, end to end: decide and record ([`crate::checkin::check_in`]), then put
//! the new tickets on paper.
//!
//! The window splits the two ([`scan`], then [`print_pending`]) so the applicant sees the number
//! the moment it is committed, while the printer works; the CLI calls [`handle_scan`], which does
//! both. Either way the check-in is durable before anything is printed.

use jiff::ZonedDateTime;
use serde::Serialize;

use crate::checkin::{check_in, ScanOutcome, Verdict};
use crate::config::Config;
use crate::error::Result;
use crate::model::rfc3339;
use crate::model::Language;
use crate::print::PrinterSink;
use crate::ratings::{open_survey, ticket_id_in, SurveyVerdict};
use crate::store::{PrintOutcome, Store};
use crate::texts::Messages;
use crate::ticket::TicketView;

/// What the result screen shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScanResult {
    #[serde(flatten)]
    pub verdict: Verdict,
    /// The verdict in words, Bahasa Indonesia and English (the screens use their own copy of
    /// the same texts; the CLI and logs use this).
    pub message: Messages,
    pub tickets: Vec<TicketView>,
    /// New tickets wait for [`print_pending`]: the screen says "printing".
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

/// Decides and records one scan at `now`; prints nothing. The new tickets come back as
/// [`PendingPrint`]s, in `language` (the one the applicant used at the kiosk). If they are never
/// printed (a crash), they stay on the reprint list.
pub fn scan(
    store: &mut Store,
    raw: &str,
    language: Language,
    now: &ZonedDateTime,
    config: &Config,
) -> Result<(ScanResult, Vec<PendingPrint>)> {
    let outcome = check_in(store, raw, now, config)?;
    Ok(result_of(outcome, language, now, config))
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
        verdict: outcome.verdict,
        tickets,
        printing: !pending.is_empty(),
        prints: Vec::new(),
    };
    (result, pending)
}

/// What a scan at the kiosk opens: a check-in (booking code or token) or the survey (a
/// ticket's own QR, `HADIR-TIKET:<id>`). The screens switch on `screen`, then on `code`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "screen", rename_all = "snake_case")]
pub enum ScanAnswer {
    Checkin(ScanResult),
    Survey(SurveyVerdict),
}

/// Routes one scanned line: a ticket QR opens the survey, anything else is a check-in
/// ([`scan`], tickets in `language`). Only check-ins issue tickets to print.
pub fn scan_any(
    store: &mut Store,
    raw: &str,
    language: Language,
    now: &ZonedDateTime,
    config: &Config,
) -> Result<(ScanAnswer, Vec<PendingPrint>)> {
    if let Some(ticket_id) = ticket_id_in(raw) {
        let verdict = open_survey(store, ticket_id, now, config)?;
        log::info!("ticket scan -> survey {}", survey_code(&verdict));
        return Ok((ScanAnswer::Survey(verdict), Vec::new()));
    }
    let (result, pending) = scan(store, raw, language, now, config)?;
    Ok((ScanAnswer::Checkin(result), pending))
}

/// [`scan_any`] for a kiosk in hub mode: a ticket QR still opens the survey; a check-in asks
/// the hub for numbers ([`crate::hub::scan_with_hub`]).
pub async fn scan_any_with_hub(
    access: &impl crate::hub::StoreAccess,
    link: &crate::hub::HubLink,
    raw: &str,
    language: Language,
    now: &ZonedDateTime,
    config: &Config,
) -> Result<(ScanAnswer, Vec<PendingPrint>)> {
    if let Some(ticket_id) = ticket_id_in(raw) {
        let verdict = access.with_store(|store| open_survey(store, ticket_id, now, config))?;
        log::info!("ticket scan -> survey {}", survey_code(&verdict));
        return Ok((ScanAnswer::Survey(verdict), Vec::new()));
    }
    let (result, pending) =
        crate::hub::scan_with_hub(access, link, raw, language, now, config).await?;
    Ok((ScanAnswer::Checkin(result), pending))
}

fn survey_code(verdict: &SurveyVerdict) -> &'static str {
    match verdict {
        SurveyVerdict::Ready { .. } => "ready",
        SurveyVerdict::AlreadyRated { .. } => "already_rated",
        SurveyVerdict::TooSoon { .. } => "too_soon",
        SurveyVerdict::OtherDay { .. } => "other_day",
        SurveyVerdict::UnknownTicket => "unknown_ticket",
    }
}

/// Prints pending tickets on the configured printer. Needs no store: a slow printer never
/// holds up the next applicant's check-in. Record the outcomes with [`record_prints`].
pub fn print_pending(pending: &[PendingPrint], config: &Config) -> Vec<PrintOutcome> {
    let sink = PrinterSink::from_config(config);
    pending
        .iter()
        .map(|p| sink.print(&p.ticket, &p.office_date))
        .collect()
}

/// Notes how each pending ticket's print went (failed ones land on the reprint list).
pub fn record_prints(
    store: &Store,
    pending: &[PendingPrint],
    outcomes: &[PrintOutcome],
    now: &ZonedDateTime,
) -> Result<()> {
    let at = rfc3339(now);
    for (p, outcome) in pending.iter().zip(outcomes) {
        store.record_print(&p.ticket.ticket_id, &at, false, outcome)?;
    }
    Ok(())
}

/// Handles one scanned line at `now` and prints what it issues, in one call (the CLI's way):
/// tickets in the office's language.
pub fn handle_scan(
    store: &mut Store,
    raw: &str,
    now: &ZonedDateTime,
    config: &Config,
) -> Result<ScanResult> {
    let (mut result, pending) = scan(store, raw, config.kiosk.language, now, config)?;
    result.prints = print_pending(&pending, config);
    record_prints(store, &pending, &result.prints, now)?;
    result.printing = false;
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SinkKind;
    use crate::store::tests::fresh_store;
    use crate::ticket::TICKET_QR_PREFIX;

    fn now() -> ZonedDateTime {
        jiff::civil::date(2026, 11, 29)
            .at(9, 30, 0, 0)
            .to_zoned_datetime(jiff::tz::TimeZone::get("Asia/Makassar").expect("tz"))
            .expect("zoned")
    }

    #[test]
    fn a_failed_print_keeps_the_check_in_and_lists_the_ticket_for_reprint() {
        let (dir, mut store) = fresh_store();
        let mut config = Config::default();
        let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("listener");
        config.printer.sink = SinkKind::EscposTcp;
        config.printer.address = Some(closed.local_addr().expect("address").to_string());
        config.printer.timeout_ms = 300;
        drop(closed);
        config.kiosk.data_dir = Some(dir.path().to_owned());
        let (day, _) = crate::demo::fill(&mut store, &now(), &config).expect("demo");
        let code = &day.try_codes[0].booking_code;

        let result = handle_scan(&mut store, code, &now(), &config).expect("scan");
        assert_eq!(result.verdict, Verdict::Ok, "the applicant is checked in");
        assert!(matches!(
            result.prints[0],
            PrintOutcome::Failed {
                reason: "printer_unreachable",
                ..
            }
        ));
        let reprint = store.tickets_to_reprint(now().date()).expect("list");
        assert_eq!(
            reprint.len(),
            1,
            "the unprinted ticket waits for the front desk"
        );
        assert_eq!(reprint[0].label, result.tickets[0].label);

        let again = handle_scan(&mut store, code, &now(), &config).expect("rescan");
        assert_eq!(again.verdict, Verdict::AlreadyCheckedIn);
        assert_eq!(
            again.tickets[0].label, result.tickets[0].label,
            "the same number, never a new one"
        );
    }

    #[test]
    fn a_scan_commits_before_printing_and_unprinted_tickets_wait_for_reprint() {
        let (dir, mut store) = fresh_store();
        let mut config = Config::default();
        config.kiosk.data_dir = Some(dir.path().to_owned());
        let (day, _) = crate::demo::fill(&mut store, &now(), &config).expect("demo");
        let (result, pending) = scan(
            &mut store,
            &day.try_codes[0].booking_code,
            Language::Id,
            &now(),
            &config,
        )
        .expect("scan");
        assert!(
            result.printing && result.prints.is_empty(),
            "nothing printed yet"
        );
        assert_eq!(pending.len(), 1);
        let waiting = store.tickets_to_reprint(now().date()).expect("list");
        assert_eq!(
            waiting.len(),
            1,
            "a crash now would leave the ticket on the reprint list"
        );
        let outcomes = print_pending(&pending, &config);
        record_prints(&store, &pending, &outcomes, &now()).expect("record");
        assert!(matches!(outcomes[0], PrintOutcome::Printed { .. }));
        assert!(store
            .tickets_to_reprint(now().date())
            .expect("list")
            .is_empty());
    }

    #[test]
    fn a_ticket_qr_opens_the_survey_and_a_booking_code_checks_in() {
        let (dir, mut store) = fresh_store();
        let mut config = Config::default();
        config.kiosk.data_dir = Some(dir.path().to_owned());
        let (day, _) = crate::demo::fill(&mut store, &now(), &config).expect("demo");
        let (answer, pending) = scan_any(
            &mut store,
            &day.try_codes[0].booking_code,
            Language::Id,
            &now(),
            &config,
        )
        .expect("scan");
        let ScanAnswer::Checkin(result) = answer else {
            panic!("a booking code is a check-in: {answer:?}");
        };
        assert_eq!(pending.len(), 1);
        let ticket_qr = format!("{TICKET_QR_PREFIX}{}\r\n", result.tickets[0].ticket_id);
        let fresh = serde_json::to_value(
            scan_any(&mut store, &ticket_qr, Language::Id, &now(), &config)
                .expect("scan")
                .0,
        )
        .expect("serialises");
        assert_eq!(fresh["code"], "too_soon", "just issued: not served yet");
        let after_service = now()
            .checked_add(jiff::Span::new().minutes(30))
            .expect("time");
        let (answer, pending) = scan_any(
            &mut store,
            &ticket_qr,
            Language::Id,
            &after_service,
            &config,
        )
        .expect("scan");
        assert!(pending.is_empty(), "a survey prints nothing");
        let json = serde_json::to_value(&answer).expect("serialises");
        assert_eq!(json["screen"], "survey");
        assert_eq!(json["code"], "ready");
        assert_eq!(json["label"], result.tickets[0].label.as_str());
        let (answer, _) = scan_any(
            &mut store,
            &format!("{TICKET_QR_PREFIX}x"),
            Language::Id,
            &now(),
            &config,
        )
        .expect("scan");
        assert_eq!(
            serde_json::to_value(&answer).expect("json")["code"],
            "unknown_ticket"
        );
    }

    #[test]
    fn tickets_are_in_the_applicants_language_and_mark_the_priority_lane() {
        let (dir, mut store) = fresh_store();
        let mut config = Config::default();
        config.kiosk.data_dir = Some(dir.path().to_owned());
        let (day, _) = crate::demo::fill(&mut store, &now(), &config).expect("demo");
        // The family of three has an elderly member: the whole group is in the priority lane.
        let family = &day.try_codes[1].booking_code;
        let (result, pending) =
            scan(&mut store, family, Language::En, &now(), &config).expect("scan");
        assert_eq!(result.tickets.len(), 3);
        assert!(
            result
                .tickets
                .iter()
                .all(|t| t.priority && t.label.starts_with("P-")),
            "{:?}",
            result.tickets
        );
        assert!(
            pending.iter().all(|p| p.ticket.language == Language::En),
            "printed in the language the applicant used"
        );
        let (again, _) = scan(&mut store, family, Language::Id, &now(), &config).expect("scan");
        assert_eq!(again.verdict, Verdict::AlreadyCheckedIn);
        assert!(
            again.tickets.iter().all(|t| t.priority),
            "the screen says Prioritas again"
        );

        config.kiosk.language = Language::En;
        let cli =
            handle_scan(&mut store, &day.try_codes[0].booking_code, &now(), &config).expect("scan");
        assert_eq!(
            cli.tickets[0].language,
            Language::En,
            "without a screen: the office's language"
        );
    }

    #[test]
    fn a_printed_ticket_is_not_on_the_reprint_list() {
        let (dir, mut store) = fresh_store();
        let mut config = Config::default();
        config.kiosk.data_dir = Some(dir.path().to_owned());
        let (day, _) = crate::demo::fill(&mut store, &now(), &config).expect("demo");
        let result =
            handle_scan(&mut store, &day.try_codes[1].booking_code, &now(), &config).expect("scan");
        assert_eq!(
            result.tickets.len(),
            3,
            "a family of three gets three tickets"
        );
        assert!(result
            .prints
            .iter()
            .all(|p| matches!(p, PrintOutcome::Printed { .. })));
        assert!(store
            .tickets_to_reprint(now().date())
            .expect("list")
            .is_empty());
    }
}
