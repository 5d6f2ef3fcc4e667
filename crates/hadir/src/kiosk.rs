//! One scan at the kiosk, end to end: a ticket's own QR opens the survey; anything else is
//! decided from the cache ([`crate::checkin`]), numbered (locally, or by the office hub when one
//! is configured) and recorded, then its tickets are put on paper.
//!
//! [`scan`] is the one entry point for the window, the CLI and the tests. The window asks for
//! [`Printing::Later`] and prints with [`print_pending`] once the number is on screen, so a slow
//! printer never delays it; the CLI asks for [`Printing::Now`]. Either way the check-in is
//! durable before anything is printed.

use jiff::ZonedDateTime;
use serde::Serialize;

use crate::checkin::{check_in, decide_scan, Decision, ScanOutcome, Verdict};
use crate::config::Config;
use crate::error::Result;
use crate::hub::{HubLink, TicketOutlooks};
use crate::model::{rfc3339, Language};
use crate::print::PrinterSink;
use crate::ratings::{open_survey, ticket_id_in, SurveyVerdict};
use crate::scan_result::{result_of, PendingPrint, ScanResult};
use crate::store::{PrintOutcome, Store, StoreAccess};

impl<S: StoreAccess> std::fmt::Debug for ScanContext<'_, S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScanContext")
            .field("hub", &self.hub.is_some())
            .field("printing", &self.printing)
            .field("language", &self.language)
            .field("now", &self.now)
            .finish_non_exhaustive()
    }
}

/// When a scan's new tickets are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Printing {
    /// They come back as [`PendingPrint`]s for [`print_pending`] (the window: the number shows
    /// first). If they are never printed (a crash), they stay on the reprint list.
    Later,
    /// On the configured printer before [`scan`] returns, outcomes recorded (the CLI).
    Now,
}

/// Everything a scan needs besides the scanned text.
pub struct ScanContext<'a, S: StoreAccess> {
    /// The kiosk's store, lent briefly (never across a wait for the hub).
    pub store: &'a S,
    /// The office hub, when `hub_url` is set: it numbers check-ins.
    pub hub: Option<&'a HubLink>,
    pub printing: Printing,
    /// The language the applicant used at the kiosk: new tickets are printed in it.
    pub language: Language,
    pub now: &'a ZonedDateTime,
    pub config: &'a Config,
}

/// What a scan at the kiosk opens: a check-in (booking code or token) or the survey (a
/// ticket's own QR, `HADIR-TIKET:<id>`). The screens switch on `screen`, then on `code`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "screen", rename_all = "snake_case")]
pub enum ScanAnswer {
    Checkin(ScanResult),
    Survey(SurveyVerdict),
}

/// A scan committed something only when it checked someone in (new tickets to print).
impl crate::disk_space::Committed for (ScanAnswer, Vec<PendingPrint>) {
    fn committed(&self) -> bool {
        matches!(&self.0, ScanAnswer::Checkin(result) if result.verdict == Verdict::Ok)
    }
}

impl ScanAnswer {
    /// The check-in's result, if the scan was one.
    pub fn into_checkin(self) -> Option<ScanResult> {
        match self {
            ScanAnswer::Checkin(result) => Some(result),
            ScanAnswer::Survey(_) => None,
        }
    }
}

/// Handles one scanned line at `ctx.now`: a ticket QR opens the survey (nothing to print);
/// anything else is a check-in. New tickets come back to print unless `ctx.printing` is
/// [`Printing::Now`].
pub async fn scan(
    raw: &str,
    ctx: &ScanContext<'_, impl StoreAccess>,
) -> Result<(ScanAnswer, Vec<PendingPrint>)> {
    let ScanContext {
        store: access,
        hub,
        printing,
        language,
        now,
        config,
    } = *ctx;
    if let Some(ticket_id) = ticket_id_in(raw) {
        let verdict = access.with_store(|store| open_survey(store, ticket_id, now, config))?;
        log::info!("ticket scan -> survey {}", survey_code(&verdict));
        return Ok((ScanAnswer::Survey(verdict), Vec::new()));
    }
    let (outcome, outlooks) = match hub {
        None => (
            access.with_store(|store| check_in(store, raw, now, config))?,
            TicketOutlooks::new(),
        ),
        Some(link) => check_in_through_hub(access, link, raw, now, config).await?,
    };
    let (mut result, mut pending) = result_of(outcome, language, now, config);
    let screen = result.tickets.iter_mut();
    let paper = pending.iter_mut().map(|p| &mut p.ticket);
    for view in screen.chain(paper) {
        view.queue_outlook = outlooks.get(&view.ticket_id).copied();
    }
    if printing == Printing::Later {
        return Ok((ScanAnswer::Checkin(result), pending));
    }
    result.prints = print_pending(&pending, config);
    // The check-in is committed and its tickets printed (or not): outcomes that cannot be
    // written down (a full disk) leave the tickets on the reprint list, as a crash would; the
    // answer still gives the applicant's numbers, never an error in their place.
    let recorded = access.with_store(|store| record_prints(store, &pending, &result.prints, now));
    if let Err(error) = recorded {
        log::error!("print outcomes not recorded, the tickets stay on the reprint list: {error}");
    }
    result.printing = false;
    Ok((ScanAnswer::Checkin(result), Vec::new()))
}

/// Hub mode: decide from the cache, then numbers from the hub (or, when it does not answer in
/// time, from this kiosk's block), then record locally before anything prints. New tickets
/// the hub numbered come with their people ahead when it told them in time.
async fn check_in_through_hub(
    access: &impl StoreAccess,
    link: &HubLink,
    raw: &str,
    now: &ZonedDateTime,
    config: &Config,
) -> Result<(ScanOutcome, TicketOutlooks)> {
    let (decision, existing) = access.with_store(|store| decide_scan(store, raw, now, config))?;
    let Decision { verdict, booking } = decision;
    let (verdict, tickets, outlooks) = match (&verdict, &booking) {
        (Verdict::Ok, Some(facts)) => {
            crate::hub::check_in(access, link, facts, now, config).await?
        }
        (Verdict::AlreadyCheckedIn, _) => (verdict, existing, TicketOutlooks::new()),
        _ => (verdict, Vec::new(), TicketOutlooks::new()),
    };
    let outcome = ScanOutcome {
        verdict,
        booking,
        tickets,
    };
    Ok((outcome, outlooks))
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
    // The ticket is out: the next check-in's durable chores are done now, not in its wait.
    if let Err(error) = store.prepare_next_checkin(now.date()) {
        log::warn!("work for the next check-in not done ahead (it will do it): {error}");
    }
    Ok(())
}

/// [`scan`] for tests that hold their own store, without a hub, run to completion here.
#[cfg(test)]
pub(crate) mod testing {
    use std::sync::Mutex;

    use super::*;

    pub fn scan_with(
        store: &mut Store,
        raw: &str,
        language: Language,
        printing: Printing,
        now: &ZonedDateTime,
        config: &Config,
    ) -> Result<(ScanAnswer, Vec<PendingPrint>)> {
        let access = Mutex::new(store);
        let ctx = ScanContext {
            store: &access,
            hub: None,
            printing,
            language,
            now,
            config,
        };
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime for the test")
            .block_on(scan(raw, &ctx))
    }

    /// A scan that opens a check-in, printed later (the window's way).
    pub fn scan_checkin(
        store: &mut Store,
        raw: &str,
        language: Language,
        now: &ZonedDateTime,
        config: &Config,
    ) -> Result<(ScanResult, Vec<PendingPrint>)> {
        let (answer, pending) = scan_with(store, raw, language, Printing::Later, now, config)?;
        Ok((answer.into_checkin().expect("a check-in"), pending))
    }

    /// A check-in printed at once in the office's language (the CLI's way).
    pub fn scan_printed(
        store: &mut Store,
        raw: &str,
        now: &ZonedDateTime,
        config: &Config,
    ) -> Result<ScanResult> {
        let language = config.kiosk.language;
        let (answer, _) = scan_with(store, raw, language, Printing::Now, now, config)?;
        Ok(answer.into_checkin().expect("a check-in"))
    }
}

#[cfg(test)]
mod disk_full_tests;

#[cfg(test)]
mod tests {
    use super::testing::{scan_checkin, scan_printed, scan_with};
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

        let result = scan_printed(&mut store, code, &now(), &config).expect("scan");
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

        let again = scan_printed(&mut store, code, &now(), &config).expect("rescan");
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
        let (result, pending) = scan_checkin(
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
        let (answer, pending) = scan_with(
            &mut store,
            &day.try_codes[0].booking_code,
            Language::Id,
            Printing::Later,
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
            scan_with(
                &mut store,
                &ticket_qr,
                Language::Id,
                Printing::Later,
                &now(),
                &config,
            )
            .expect("scan")
            .0,
        )
        .expect("serialises");
        assert_eq!(fresh["code"], "too_soon", "just issued: not served yet");
        let after_service = now()
            .checked_add(jiff::Span::new().minutes(30))
            .expect("time");
        let (answer, pending) = scan_with(
            &mut store,
            &ticket_qr,
            Language::Id,
            Printing::Later,
            &after_service,
            &config,
        )
        .expect("scan");
        assert!(pending.is_empty(), "a survey prints nothing");
        let json = serde_json::to_value(&answer).expect("serialises");
        assert_eq!(json["screen"], "survey");
        assert_eq!(json["code"], "ready");
        assert_eq!(json["label"], result.tickets[0].label.as_str());
        let (answer, _) = scan_with(
            &mut store,
            &format!("{TICKET_QR_PREFIX}x"),
            Language::Id,
            Printing::Later,
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
            scan_checkin(&mut store, family, Language::En, &now(), &config).expect("scan");
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
        let (again, _) =
            scan_checkin(&mut store, family, Language::Id, &now(), &config).expect("scan");
        assert_eq!(again.verdict, Verdict::AlreadyCheckedIn);
        assert!(
            again.tickets.iter().all(|t| t.priority),
            "the screen says Prioritas again"
        );

        config.kiosk.language = Language::En;
        let cli = scan_printed(&mut store, &day.try_codes[0].booking_code, &now(), &config)
            .expect("scan");
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
        let result = scan_printed(&mut store, &day.try_codes[1].booking_code, &now(), &config)
            .expect("scan");
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
