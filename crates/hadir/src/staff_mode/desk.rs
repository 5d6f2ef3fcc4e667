//! The front desk's actions on one applicant: a check-in by hand (or an override of
//! `too_late`), a reprint marked as a copy, and the printer as staff see it.

use jiff::{Timestamp, ZonedDateTime};
use serde::Serialize;

use super::{audit, booking_card, BookingMatch, Session, MAX_REASON_CHARS};
use crate::checkin::{check_in_by_staff, Verdict};
use crate::config::Config;
use crate::error::{Result, StaffRefusal};
use crate::kiosk::{print_pending, record_prints};
use crate::model::{mask_name, rfc3339, Service};
use crate::print::PrinterSink;
use crate::scan_result::{result_of, staff_words, PendingPrint, ScanResult};
use crate::store::{IssuedTicket, PrintOutcome, Store, StoreAccess};
use crate::sync::SyncSignals;
use crate::texts::BothLanguages;
use crate::ticket::TicketView;

/// The reason staff give for an action, on one line: 3 characters at least (every staff action
/// that needs one: a check-in by hand, a reprint, a walk-in over the quota, turning one away).
pub fn required_reason(reason: &str) -> Result<String, StaffRefusal> {
    let reason = crate::texts::one_line(reason, MAX_REASON_CHARS);
    if reason.chars().count() < 3 {
        return Err(StaffRefusal::ReasonRequired);
    }
    Ok(reason)
}

/// A manual check-in by staff: the scan's rules, a required reason, and `too_late` admitted
/// when `override_too_late`. The result is what the applicant's result screen would show.
pub fn staff_check_in(
    store: &mut Store,
    session: &Session,
    booking_code: &str,
    reason: &str,
    override_too_late: bool,
    now: &ZonedDateTime,
    config: &Config,
) -> Result<(ScanResult, Vec<PendingPrint>)> {
    let reason = required_reason(reason)?;
    let (outcome, recorded) = check_in_by_staff(
        store,
        booking_code,
        session.staff_id,
        &reason,
        override_too_late,
        now,
        config,
    )?;
    let action = match recorded {
        Some("override") => "override",
        Some(_) => "checkin",
        None => "checkin_refused",
    };
    // The check-in is committed: a failing audit write must not hide it (nor drop its print).
    if let Err(error) = audit(
        store,
        &rfc3339(now),
        Some(session.staff_id),
        action,
        Some(&outcome_target(booking_code, &outcome.tickets)),
        Some(&reason),
    ) {
        log::error!("staff check-in recorded but not audited: {error}");
    }
    // Staff hand this ticket over at the desk: in the office's language, as a copy is.
    Ok(result_of(outcome, config.kiosk.language, now, config))
}

/// A check-in at the desk as the staff screen shows it: the scan's answer with its prints, the
/// booking's card as it is now (with its new ticket numbers), and whether staff may admit a
/// refusal anyway.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StaffCheckedIn {
    #[serde(flatten)]
    pub result: ScanResult,
    pub booking: Option<BookingMatch>,
    /// `too_late`: staff may check the applicant in anyway, with a reason (the override).
    pub may_override: bool,
    /// What the officer reads: the numbers and whether they printed, or the refusal in staff
    /// wording ([`staff_words`]).
    pub staff_message: BothLanguages,
}

/// [`staff_check_in`], then what follows at the desk: new tickets printed at once (staff hand
/// them over) and their outcomes recorded, the sync task told about the new events, and the
/// booking's card read again. The store is lent for each step, never held while the printer
/// works.
#[allow(clippy::too_many_arguments)]
pub fn check_in_and_print(
    store: &impl StoreAccess,
    session: &Session,
    booking_code: &str,
    reason: &str,
    override_too_late: bool,
    signals: &SyncSignals,
    now: &ZonedDateTime,
    config: &Config,
) -> Result<StaffCheckedIn> {
    let (mut result, pending) = store.with_store(|store| {
        staff_check_in(
            store,
            session,
            booking_code,
            reason,
            override_too_late,
            now,
            config,
        )
    })?;
    if !pending.is_empty() {
        signals.events_written(); // the check-in's outbox events: push them soon
    }
    result.prints = print_pending(&pending, config);
    store.with_store(|store| record_prints(store, &pending, &result.prints, now))?;
    result.printing = false;
    let booking = store.with_store(|store| booking_card(store, booking_code, now))?;
    let may_override = matches!(result.verdict, Verdict::TooLate { .. });
    let staff_message = staff_words(&result);
    Ok(StaffCheckedIn {
        result,
        booking,
        may_override,
        staff_message,
    })
}

fn outcome_target(code: &str, tickets: &[IssuedTicket]) -> String {
    let labels: Vec<&str> = tickets.iter().map(|t| t.label.as_str()).collect();
    if labels.is_empty() {
        code.trim().to_uppercase()
    } else {
        format!("{} {}", code.trim().to_uppercase(), labels.join(","))
    }
}

/// Prints a copy (marked SALINAN) of one of today's tickets, by label (`A-012`) or id, with a
/// required reason. The check-in is untouched; the copy is recorded, audited and reported.
pub fn reprint(
    store: &mut Store,
    session: &Session,
    ticket: &str,
    reason: &str,
    now: &ZonedDateTime,
    config: &Config,
) -> Result<(TicketView, PrintOutcome)> {
    let reason = required_reason(reason)?;
    // A ticket's QR scanned into the field arrives as `HADIR-TIKET:<id>`; a typed number may
    // be `a1` as well as `A-001`.
    let ticket = crate::ratings::ticket_id_in(ticket).unwrap_or(ticket);
    let wanted = crate::queue::typed_label(ticket).unwrap_or_else(|| ticket.trim().to_uppercase());
    let found = match store.ticket_by_label(&wanted, now.date())? {
        Some(found) => Some(found),
        None => store
            .ticket_with_facts(&ticket.trim().to_lowercase())?
            .map(|(t, _)| t)
            .filter(|t| t.office_date == now.date().to_string()),
    };
    let Some(issued) = found else {
        audit(
            store,
            &rfc3339(now),
            Some(session.staff_id),
            "reprint_refused",
            Some(ticket.trim()),
            Some(&reason),
        )?;
        return Err(StaffRefusal::TicketUnknown(ticket.trim().to_owned()).into());
    };
    let facts = store.ticket_with_facts(&issued.id)?.and_then(|(_, f)| f);
    let view = copy_view(&issued, facts.as_ref(), now, config);
    let outcome = PrinterSink::from_config(config).print(&view, &issued.office_date);
    let at = rfc3339(now);
    store.record_reprint(&issued, &at, &outcome, &reason)?;
    if let Err(error) = audit(
        store,
        &at,
        Some(session.staff_id),
        "reprint",
        Some(&issued.label),
        Some(&reason),
    ) {
        log::error!("reprint recorded but not audited: {error}");
    }
    Ok((view, outcome))
}

/// The ticket as first issued, marked as a copy.
fn copy_view(
    issued: &IssuedTicket,
    facts: Option<&crate::store::StoredTicketFacts>,
    now: &ZonedDateTime,
    config: &Config,
) -> TicketView {
    let issued_at = issued
        .issued_at
        .parse::<Timestamp>()
        .map(|ts| ts.to_zoned_datetime(now.time_zone().clone()))
        .unwrap_or_else(|_| now.clone());
    TicketView {
        ticket_id: issued.id.clone(),
        label: issued.label.clone(),
        office_name: config.office.name.clone(),
        service: facts
            .and_then(|f| Service::parse(&f.service))
            .unwrap_or(Service::Baru),
        express: facts.is_some_and(|f| f.express),
        priority: crate::queue::is_priority_queue(&config.queues, &issued.queue),
        issued_local: issued_at.strftime("%d-%m-%Y %H:%M %Z").to_string(),
        slot: facts.map(|f| f.slot.clone()).unwrap_or_default(),
        applicant_masked: facts
            .and_then(|f| f.applicant_name.as_deref())
            .map(mask_name)
            .unwrap_or_default(),
        group_pos: issued.group_pos,
        group_size: issued.group_size,
        copy: true,
        // Made by staff at the front desk, who read and explain it: the office's language.
        language: config.kiosk.language,
        // A reprint's count would be stale.
        queue_outlook: None,
    }
}

/// The printer as staff see it: which one, how its last print went, how many of today's
/// tickets wait for a reprint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrinterHealth {
    /// Kind and name, `os_pdf:PDF` ([`PrinterSink::describe`]).
    pub printer: String,
    /// The name alone, `PDF` ([`PrinterSink::name`]): what staff look for in the OS's list.
    pub printer_name: String,
    pub last: Option<crate::store::LastPrint>,
    /// The last print failed: staff should look at the printer (paper, power, cable).
    pub problem: bool,
    /// With a problem: what to look at, from the failure's reason (`paper`, `cover`,
    /// `queue_disabled`, ... see [`crate::print::what_to_check`]).
    pub check: Option<&'static str>,
    pub waiting_for_reprint: usize,
}

pub fn printer_health(
    store: &Store,
    now: &ZonedDateTime,
    config: &Config,
) -> Result<PrinterHealth> {
    let sink = PrinterSink::from_config(config);
    let last = store.last_print()?;
    let problem = last.as_ref().is_some_and(|l| l.outcome == "failed");
    Ok(PrinterHealth {
        printer: sink.describe(),
        printer_name: sink.name(),
        problem,
        check: last
            .as_ref()
            .filter(|_| problem)
            .map(|l| crate::print::what_to_check(l.reason.as_deref().unwrap_or_default())),
        last,
        waiting_for_reprint: store.tickets_to_reprint(now.date())?.len(),
    })
}

/// Today's tickets whose print failed (or never happened): the front desk's reprint list.
pub fn failed_prints(store: &Store, now: &ZonedDateTime) -> Result<Vec<IssuedTicket>> {
    store.tickets_to_reprint(now.date())
}
