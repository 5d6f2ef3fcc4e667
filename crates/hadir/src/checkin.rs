//! The check-in decision and the flow around it.
//!
//! [`decide`] is the one pure function that says accept or refuse, given the scanned text, what
//! the cache holds, the clock and the config. [`check_in`] gathers those inputs from the store,
//! asks [`decide`] and records the result; it never decides anything itself.

use jiff::ZonedDateTime;

use crate::booking::{classify, log_safe, Scanned};
use crate::config::Config;
use crate::error::Result;
use crate::model::rfc3339;
use crate::queue::queue_for;
use crate::store::{ApplicantSlot, IssuedTicket, NewCheckin, StaffCheckin, Store};

mod decide;

pub use decide::{
    check_in_closes, check_in_window_closed, decide, ApplicantFacts, BookingFacts, CacheView,
    CheckinRules, Decision, Verdict,
};

/// The result of one scan: the verdict, the booking and, when admitted, its tickets.
#[derive(Debug, Clone, PartialEq)]
pub struct ScanOutcome {
    pub verdict: Verdict,
    pub booking: Option<BookingFacts>,
    /// New tickets for `ok`, the existing ones for `already_checked_in`, none otherwise.
    pub tickets: Vec<IssuedTicket>,
}

/// Reads the cache for one scan, decides, and for `ok` records the check-in durably.
pub fn check_in(
    store: &mut Store,
    raw: &str,
    now: &ZonedDateTime,
    config: &Config,
) -> Result<ScanOutcome> {
    let (decision, existing) = decide_scan(store, raw, now, config)?;
    let Decision { verdict, booking } = decision;
    let (verdict, tickets) = match (&verdict, &booking) {
        (Verdict::Ok, Some(facts)) => record(
            store,
            facts,
            now,
            config,
            None,
            numbering_without_hub(config),
            &[],
        )?,
        (Verdict::AlreadyCheckedIn, _) => (verdict, existing),
        _ => (verdict, Vec::new()),
    };
    Ok(ScanOutcome {
        verdict,
        booking,
        tickets,
    })
}

/// Reads the cache for one scan and decides, writing nothing; also returns the tickets the
/// booking already has today. Hub mode asks the hub between this and [`record_numbered`].
pub fn decide_scan(
    store: &Store,
    raw: &str,
    now: &ZonedDateTime,
    config: &Config,
) -> Result<(Decision, Vec<IssuedTicket>)> {
    let (decision, existing) = decide_scanned(store, &classify(raw), now, config)?;
    log::info!("scan {} -> {}", log_safe(raw), decision.verdict.code());
    Ok((decision, existing))
}

/// What the cache says about a classified scan, and the decision on it.
fn decide_scanned(
    store: &Store,
    scanned: &Scanned,
    now: &ZonedDateTime,
    config: &Config,
) -> Result<(Decision, Vec<IssuedTicket>)> {
    let (cached, revoked, existing) = match scanned.booking_code() {
        Some(code) => (
            store.find_appointment(code)?,
            store.is_revoked(code)?,
            store.tickets_for_booking(code, now.date())?,
        ),
        None => (None, false, Vec::new()),
    };
    let cache = CacheView {
        booking: cached.as_ref(),
        revoked,
        already_checked_in: !existing.is_empty(),
    };
    Ok((
        decide(scanned, cache, now, &CheckinRules::from(config)),
        existing,
    ))
}

/// The queue an admitted booking joins (one queue for the whole group).
pub fn queue_of(facts: &BookingFacts, config: &Config) -> String {
    let priorities: Vec<_> = facts.applicants.iter().map(|a| a.priority).collect();
    queue_for(&config.queues, facts.service, &priorities).to_owned()
}

/// Records an admitted booking's check-in with numbers from `numbering` and the given event
/// nonces (one per applicant), as the hub flow needs. Returns `AlreadyCheckedIn` with the
/// existing tickets when another writer got there first.
pub fn record_numbered(
    store: &mut Store,
    facts: &BookingFacts,
    now: &ZonedDateTime,
    config: &Config,
    numbering: crate::store::Numbering,
    nonces: &[String],
) -> Result<(Verdict, Vec<IssuedTicket>)> {
    record(store, facts, now, config, None, numbering, nonces)
}

/// A check-in by front-desk staff for a booking code (no scan): the same rules as a scan, and
/// a `too_late` refusal admitted when `override_too_late` (the reason is recorded either way).
/// Also returns how it went in: `manual`, `override`, or `None` when nothing was recorded.
pub fn check_in_by_staff(
    store: &mut Store,
    booking_code: &str,
    staff_id: i64,
    reason: &str,
    override_too_late: bool,
    now: &ZonedDateTime,
    config: &Config,
) -> Result<(ScanOutcome, Option<&'static str>)> {
    let code = booking_code.trim().to_uppercase();
    let scanned = match classify(&code) {
        Scanned::BookingCode(code) => Scanned::BookingCode(code),
        // Staff type plain codes; a token typed by hand is not a thing.
        _ => Scanned::Malformed,
    };
    let (Decision { verdict, booking }, existing) = decide_scanned(store, &scanned, now, config)?;
    let kind = match (&verdict, override_too_late) {
        (Verdict::Ok, _) => Some("manual"),
        (Verdict::TooLate { .. }, true) => Some("override"),
        _ => None,
    };
    log::info!(
        "staff check-in {} -> {}{}",
        log_safe(&code),
        verdict.code(),
        if kind == Some("override") {
            " (overridden)"
        } else {
            ""
        }
    );
    let (verdict, tickets, recorded) = match (kind, &booking) {
        (Some(kind), Some(facts)) => {
            let staff = StaffCheckin {
                staff_id,
                kind,
                reason,
            };
            let numbering = numbering_without_hub(config);
            let (verdict, tickets) =
                record(store, facts, now, config, Some(staff), numbering, &[])?;
            let recorded = (verdict == Verdict::Ok).then_some(kind);
            (verdict, tickets, recorded)
        }
        _ if verdict == Verdict::AlreadyCheckedIn => (verdict, existing, None),
        _ => (verdict, Vec::new(), None),
    };
    Ok((
        ScanOutcome {
            verdict,
            booking,
            tickets,
        },
        recorded,
    ))
}

/// Writes the check-in of every applicant of an admitted booking, numbered by `numbering`,
/// with the callers' event nonces where given (one per applicant; else fresh ones).
fn record(
    store: &mut Store,
    facts: &BookingFacts,
    now: &ZonedDateTime,
    config: &Config,
    by_staff: Option<StaffCheckin<'_>>,
    numbering: crate::store::Numbering,
    nonces: &[String],
) -> Result<(Verdict, Vec<IssuedTicket>)> {
    let queue = queue_of(facts, config);
    let new = NewCheckin {
        booking_code: &facts.booking_code,
        applicants: (0..facts.applicants.len())
            .map(|applicant_index| ApplicantSlot {
                applicant_index,
                queue: queue.clone(),
                name: facts.applicants[applicant_index].name.clone(),
                priority: facts.applicants[applicant_index].priority,
                nonce: nonces.get(applicant_index).cloned(),
            })
            .collect(),
        office_date: now.date(),
        at: rfc3339(now),
        kiosk: &config.kiosk.id,
        facts: facts.ticket_facts(),
        by_staff,
        numbering,
    };
    match store.record_checkin(&new)? {
        Some(tickets) => Ok((Verdict::Ok, tickets)),
        // Another writer checked this booking in between our read and our write.
        None => Ok((
            Verdict::AlreadyCheckedIn,
            store.tickets_for_booking(&facts.booking_code, now.date())?,
        )),
    }
}

/// Numbers for a check-in recorded without asking the hub: this kiosk's own counter when
/// standalone; in hub mode its reserved block (queued for replay), so that no number another
/// kiosk could get from the hub is ever issued here.
pub fn numbering_without_hub(config: &Config) -> crate::store::Numbering {
    if config.hub_url.is_some() {
        crate::store::Numbering::Block {
            start: i64::from(config.hub.offline_block_start),
            size: i64::from(config.hub.offline_block_size),
        }
    } else {
        crate::store::Numbering::Local
    }
}

#[cfg(test)]
mod tests;
