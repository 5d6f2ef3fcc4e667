//! Staff mode: signing in with a PIN, the session that ends after idle minutes, and every
//! front-desk and supervisor action, each written to the audit log. The clock and config are
//! passed in; the shell keeps the [`Session`] and hands it back with each action.

use std::sync::OnceLock;

use jiff::{SignedDuration, Timestamp, ZonedDateTime};
use serde::Serialize;

use crate::checkin::check_in_by_staff;
use crate::config::Config;
use crate::error::{Result, StaffRefusal};
use crate::folders::ExportFolder;
use crate::model::{mask_name, rfc3339, Language, Service, StaffRole};
use crate::print::PrinterSink;
use crate::report::{ExportFormat, ExportRange, Report};
use crate::scan_result::{result_of, PendingPrint, ScanResult};
use crate::staff::StaffAccount;
use crate::staff::{check_disable, hash_pin, pin_is_well_formed, verify_pin, SignIn};
use crate::store::{AuditEntry, IssuedTicket, PrintOutcome, Purged, Store};
use crate::ticket::TicketView;

/// Longest reason kept with a staff action.
pub const MAX_REASON_CHARS: usize = 200;

/// What the staff screen's fields take, from the rules that judge them: the on-screen keys
/// stop at these lengths, and a scanner may type up to `scan_chars` into the fields a code can
/// be scanned into (the booking search, the reprint's ticket number).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaffInputs {
    pub booking_code_chars: usize,
    pub scan_chars: usize,
    pub ticket_chars: usize,
    /// The queues' letters (`[queues]`), the ticket number pad's letter keys.
    pub ticket_queues: Vec<String>,
    pub reason_chars: usize,
    pub date_chars: usize,
    pub staff_name_chars: usize,
    pub pin_min: usize,
    pub pin_max: usize,
}

pub fn staff_inputs(config: &Config) -> StaffInputs {
    let queues = &config.queues;
    let mut ticket_queues: Vec<String> = Vec::new();
    for letters in [
        &queues.baru,
        &queues.penggantian,
        &queues.hilang_rusak,
        &queues.priority,
    ] {
        if !ticket_queues.contains(letters) {
            ticket_queues.push(letters.clone());
        }
    }
    StaffInputs {
        booking_code_chars: *crate::model::BOOKING_CODE_LEN.end(),
        scan_chars: crate::booking::MAX_SCAN_BYTES,
        ticket_chars: crate::queue::TYPED_LABEL_MAX_CHARS,
        ticket_queues,
        reason_chars: MAX_REASON_CHARS,
        date_chars: crate::model::dates::ENTRY_CHARS,
        staff_name_chars: crate::staff::MAX_NAME_CHARS,
        pin_min: *crate::staff::PIN_DIGITS.start(),
        pin_max: *crate::staff::PIN_DIGITS.end(),
    }
}

/// A signed-in staff member. The shell keeps it; every action checks it first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Session {
    pub staff_id: i64,
    pub name: String,
    pub role: StaffRole,
    #[serde(skip)]
    last_active: Timestamp,
}

impl Session {
    /// Whether the session is still open at `now`; if so, `now` counts as activity.
    pub fn touch(&mut self, now: Timestamp, config: &Config) -> Result<(), StaffRefusal> {
        let idle = SignedDuration::from_secs(i64::from(config.staff.idle_logout_seconds));
        if now.duration_since(self.last_active) > idle {
            return Err(StaffRefusal::SessionExpired);
        }
        self.last_active = self.last_active.max(now);
        Ok(())
    }

    pub fn require_supervisor(&self) -> Result<(), StaffRefusal> {
        if self.role == StaffRole::Supervisor {
            Ok(())
        } else {
            Err(StaffRefusal::SupervisorOnly)
        }
    }
}

/// What a sign-in attempt shows. `Locked.until_local` is office-local `HH:MM`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum SignInResult {
    SignedIn { session: Session },
    WrongPin { left: u32 },
    Locked { until_local: String },
}

/// Names and roles of active staff, for the sign-in screen's list.
pub fn active_staff(store: &Store) -> Result<Vec<StaffAccount>> {
    Ok(store
        .list_staff()?
        .into_iter()
        .filter(|account| account.active)
        .collect())
}

/// Checks a PIN against the named account: lockout after `staff.max_failures` wrong PINs for
/// `staff.lock_minutes`, during which no PIN is even checked. Every attempt is audited.
pub fn sign_in(
    store: &mut Store,
    name: &str,
    pin: &str,
    now: &ZonedDateTime,
    config: &Config,
) -> Result<SignInResult> {
    let at = rfc3339(now);
    let found = store.staff_by_name(name)?;
    let Some(account) = found.as_ref().filter(|a| a.active).cloned() else {
        // Spend the time a real check takes, so timing does not tell which names exist.
        verify_pin(pin, dummy_hash());
        let why = if found.is_some() {
            "disabled"
        } else {
            "unknown"
        };
        audit(store, &at, None, "login_failed", Some(name), Some(why))?;
        return Ok(SignInResult::WrongPin {
            left: config.staff.max_failures,
        });
    };
    let mut attempts = account.attempts;
    let result = match attempts.check_allowed(now.timestamp()) {
        Err(locked) => locked,
        Ok(()) => {
            let pin_ok = verify_pin(pin, &account.pin_hash);
            let result = attempts.record(config.staff.lockout(), now.timestamp(), pin_ok);
            store.set_staff_attempts(account.id, &attempts)?;
            result
        }
    };
    Ok(match result {
        SignIn::Allowed => {
            audit(store, &at, Some(account.id), "login", Some(name), None)?;
            SignInResult::SignedIn {
                session: Session {
                    staff_id: account.id,
                    name: account.name,
                    role: account.role,
                    last_active: now.timestamp(),
                },
            }
        }
        SignIn::WrongPin { left } => {
            audit(
                store,
                &at,
                Some(account.id),
                "login_failed",
                Some(name),
                None,
            )?;
            SignInResult::WrongPin { left }
        }
        SignIn::Locked { until } => {
            audit(
                store,
                &at,
                Some(account.id),
                "login_failed",
                Some(name),
                Some("locked"),
            )?;
            SignInResult::Locked {
                until_local: until
                    .to_zoned_datetime(now.time_zone().clone())
                    .strftime("%H:%M")
                    .to_string(),
            }
        }
    })
}

/// Computes the stand-in hash up front (start-up), so the first unknown name costs no more
/// than any other.
pub fn warm_up() {
    let _ = dummy_hash();
}

fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| hash_pin("00000000").unwrap_or_default())
}

/// Logs a sign-out (the staff pressed "done" or the idle timer ran out).
pub fn sign_out(
    store: &mut Store,
    session: &Session,
    now: &ZonedDateTime,
    why: &str,
) -> Result<()> {
    audit(
        store,
        &rfc3339(now),
        Some(session.staff_id),
        "logout",
        Some(&session.name),
        Some(why),
    )?;
    Ok(())
}

/// A booking found by the front desk; applicants masked (initials, NIK last 4 digits).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BookingMatch {
    pub booking_code: String,
    pub date: String,
    pub slot: String,
    pub service: Service,
    pub cancelled: bool,
    pub applicants: Vec<ApplicantMatch>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApplicantMatch {
    pub initials: String,
    pub nik_last4: String,
    /// The ticket label when checked in today.
    pub ticket: Option<String>,
}

/// What the front desk searches by.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum BookingQuery {
    Code { code: String },
    Applicant { name: String, birth_date: String },
}

/// [`find_bookings`] for a signed-in staff member, audited: a search by name and birth date
/// looks into personal data (the log keeps the kind of search and the count, not the name).
pub fn search_bookings(
    store: &mut Store,
    session: &Session,
    query: &BookingQuery,
    now: &ZonedDateTime,
) -> Result<Vec<BookingMatch>> {
    let found = find_bookings(store, query, now)?;
    let target = match query {
        // The code, never a whole scanned token, goes to the log.
        BookingQuery::Code { code } => format!("code {}", searched_code(code).unwrap_or_default()),
        BookingQuery::Applicant { .. } => "name + birth date".to_owned(),
    };
    audit(
        store,
        &rfc3339(now),
        Some(session.staff_id),
        "search",
        Some(&target),
        Some(&format!("{} found", found.len())),
    )?;
    Ok(found)
}

/// The booking code a search field holds: typed (any case), or scanned from the booking's QR
/// (a plain code or a signed token, whose code is read; a search only looks, so the signature
/// is left to the check-in that follows).
fn searched_code(text: &str) -> Option<String> {
    crate::booking::classify(text)
        .booking_code()
        .map(str::to_owned)
}

/// Finds today's bookings by code (typed or scanned), or by part of a name plus the birth
/// date (`DD-MM-YYYY` or `YYYY-MM-DD`, see [`crate::model::dates::parse_entered_date`]).
pub fn find_bookings(
    store: &Store,
    query: &BookingQuery,
    now: &ZonedDateTime,
) -> Result<Vec<BookingMatch>> {
    let codes = match query {
        BookingQuery::Code { code } => match searched_code(code) {
            Some(code) => vec![code],
            None => {
                let shown: String = code.trim().chars().take(40).collect();
                return Err(StaffRefusal::BookingCodeMalformed(shown).into());
            }
        },
        BookingQuery::Applicant { name, birth_date } => {
            let name = name.trim();
            let birth_date = crate::model::dates::parse_entered_date(birth_date);
            let (Some(birth_date), false) = (birth_date, name.len() < 2) else {
                return Err(StaffRefusal::SearchIncomplete.into());
            };
            store.find_codes_by_applicant(name, birth_date, now.date())?
        }
    };
    let mut found = Vec::new();
    for code in codes {
        let Some(cached) = store.find_appointment(&code)? else {
            continue;
        };
        let tickets = store.tickets_for_booking(&code, now.date())?;
        let a = &cached.appointment;
        found.push(BookingMatch {
            booking_code: a.booking_code.clone(),
            date: a.date.to_string(),
            slot: format!(
                "{}-{}",
                crate::model::hh_mm::format(a.slot_start),
                crate::model::hh_mm::format(a.slot_end)
            ),
            service: a.service,
            cancelled: a.status == crate::model::BookingStatus::Cancelled,
            applicants: a
                .applicants
                .iter()
                .enumerate()
                .map(|(index, applicant)| ApplicantMatch {
                    initials: initials(&applicant.name),
                    nik_last4: applicant.nik_last4.clone(),
                    ticket: tickets
                        .iter()
                        .find(|t| t.applicant_index == index as i64)
                        .map(|t| t.label.clone()),
                })
                .collect(),
        });
    }
    Ok(found)
}

/// The booking's card as the front desk sees it now (after a check-in: with its tickets).
pub fn booking_card(
    store: &Store,
    booking_code: &str,
    now: &ZonedDateTime,
) -> Result<Option<BookingMatch>> {
    let query = BookingQuery::Code {
        code: booking_code.to_owned(),
    };
    Ok(find_bookings(store, &query, now)?.into_iter().next())
}

/// `MARIA GORETTI FANGGIDAE` -> `M. G. F.`
pub fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|word| word.chars().next())
        .map(|c| format!("{c}."))
        .collect::<Vec<_>>()
        .join(" ")
}

fn required_reason(reason: &str) -> Result<String, StaffRefusal> {
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
    }
}

/// The printer as staff see it: which one, how its last print went, how many of today's
/// tickets wait for a reprint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrinterHealth {
    pub printer: String,
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
    let last = store.last_print()?;
    let problem = last.as_ref().is_some_and(|l| l.outcome == "failed");
    Ok(PrinterHealth {
        printer: PrinterSink::from_config(config).describe(),
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

/// Removes personal data of days older than `older_than_days` (supervisor only).
pub fn purge(
    store: &mut Store,
    session: &Session,
    older_than_days: u32,
    now: &ZonedDateTime,
) -> Result<Purged> {
    supervisor_only(store, session, now, "purge")?;
    purge_older_than(store, Some(session.staff_id), older_than_days, now)
}

/// The purge itself, audited under `staff_id` (`None`: the admin CLI, `hadir purge`).
pub fn purge_older_than(
    store: &mut Store,
    staff_id: Option<i64>,
    older_than_days: u32,
    now: &ZonedDateTime,
) -> Result<Purged> {
    if older_than_days == 0 {
        // Today's data is in use (reprints, the survey); a slip of the finger must not take it.
        return Err(crate::Error::InvalidInput(
            "purge keeps at least today: give 1 day or more".into(),
        ));
    }
    let before = now
        .date()
        .checked_sub(jiff::Span::new().days(i64::from(older_than_days)))
        .map_err(|_| {
            crate::Error::InvalidInput(format!("{older_than_days} days is too far back"))
        })?;
    let purged = store.purge_personal_data(before)?;
    audit(
        store,
        &rfc3339(now),
        staff_id,
        "purge",
        Some(&format!("before {before}")),
        Some(&format!(
            "{} bookings, {} ticket names, {} comments",
            purged.bookings, purged.ticket_names, purged.comments
        )),
    )?;
    Ok(purged)
}

/// What an export wrote, and where: the screen names the place and says whether the stick can
/// be pulled out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exported {
    pub from: String,
    pub to: String,
    pub files: Vec<String>,
    pub place: ExportFolder,
    /// The files are flushed and the place is a stick: it can be pulled out now.
    pub can_remove: bool,
}

/// Exports a period (empty `from`/`to`: today) in every format to `dir`, one of the places
/// [`crate::folders::export_folders`] offers (the window may write nowhere else), supervisor
/// only, audited. The XLSX and PDF speak `lang`, the supervisor's screen language (else the
/// office's). The CLI's `hadir export` writes the same files from the same report.
#[allow(clippy::too_many_arguments)]
pub fn export_report(
    store: &mut Store,
    session: &Session,
    from: &str,
    to: &str,
    dir: &std::path::Path,
    lang: Option<Language>,
    now: &ZonedDateTime,
    config: &Config,
) -> Result<Exported> {
    supervisor_only(store, session, now, "export")?;
    let range = staff_export_range(from, to, now)?;
    let place = crate::folders::offered_export_folder(config, dir)
        .ok_or_else(|| StaffRefusal::ExportPlaceGone(dir.display().to_string()))?;
    let lang = lang.unwrap_or(config.kiosk.language);
    let written = export_and_audit(
        store,
        config,
        range,
        &ExportFormat::ALL,
        &place.path,
        lang,
        now,
        false,
        Some(session.staff_id),
    )?;
    Ok(Exported {
        from: range.from.to_string(),
        to: range.to.to_string(),
        files: written
            .files
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
        can_remove: place.can_be_removed(),
        place,
    })
}

/// The period a supervisor typed (`DD-MM-YYYY` or `YYYY-MM-DD`; empty: today), refused with
/// a next step staff can follow.
pub fn staff_export_range(
    from: &str,
    to: &str,
    now: &ZonedDateTime,
) -> Result<ExportRange, StaffRefusal> {
    let date = |text: &str| {
        let text = text.trim();
        if text.is_empty() {
            return Ok(now.date());
        }
        crate::model::dates::parse_entered_date(text)
            .ok_or_else(|| StaffRefusal::DateMalformed(text.chars().take(20).collect()))
    };
    let (from, to) = (date(from)?, date(to)?);
    ExportRange::new(from, to).map_err(|_| StaffRefusal::PeriodInvalid(format!("{from}..{to}")))
}

/// A finished export: the report it wrote and the files.
#[derive(Debug)]
pub struct ExportWritten {
    pub report: Report,
    pub files: Vec<std::path::PathBuf>,
}

/// Gathers the period's report, writes `formats` into `dir` (XLSX and PDF in `lang`) and logs
/// the export in the audit (exports carry personal data out of the kiosk: who took which
/// period stays on record).
#[allow(clippy::too_many_arguments)]
pub fn export_and_audit(
    store: &mut Store,
    config: &Config,
    range: ExportRange,
    formats: &[ExportFormat],
    dir: &std::path::Path,
    lang: Language,
    now: &ZonedDateTime,
    full_names: bool,
    staff_id: Option<i64>,
) -> Result<ExportWritten> {
    let report = Report::gather(store, config, range, now, full_names)?;
    let target = format!(
        "{}..{} {} -> {}",
        range.from,
        range.to,
        formats
            .iter()
            .map(|f| f.as_str())
            .collect::<Vec<_>>()
            .join(","),
        dir.display()
    );
    let action = if report.full_names {
        "export_full_names"
    } else {
        "export"
    };
    // Audited before a file exists: personal data may leave on the stick even if a later file
    // fails, and the log must say so.
    audit(store, &rfc3339(now), staff_id, action, Some(&target), None)?;
    let files = match crate::report::write(&report, formats, dir, lang) {
        Ok(files) => files,
        Err(error) => {
            audit(
                store,
                &rfc3339(now),
                staff_id,
                "export_failed",
                Some(&target),
                Some(error.code()),
            )?;
            return Err(error);
        }
    };
    Ok(ExportWritten { report, files })
}

/// A change to staff accounts, made by a supervisor at the kiosk.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum StaffChange {
    Add {
        name: String,
        role: String,
        pin: String,
    },
    Disable {
        name: String,
    },
    Enable {
        name: String,
    },
    ResetPin {
        name: String,
        pin: String,
    },
}

/// Applies a staff change (supervisor only), audited with the supervisor's id. A disable that
/// would lock staff mode ([`check_disable`]) is refused, and the attempt audited.
pub fn change_staff(
    store: &mut Store,
    session: &Session,
    change: &StaffChange,
    now: &ZonedDateTime,
) -> Result<()> {
    supervisor_only(store, session, now, "staff_change")?;
    let at = rfc3339(now);
    let existing = |store: &Store, name: &str| {
        store
            .staff_by_name(name)?
            .ok_or_else(|| crate::Error::from(StaffRefusal::StaffUnknown(name.to_owned())))
    };
    let (action, target) = match change {
        StaffChange::Add { name, role, pin } => {
            let name = name.trim();
            if name.is_empty() || name.chars().count() > crate::staff::MAX_NAME_CHARS {
                return Err(crate::Error::InvalidInput(format!(
                    "a staff name is 1 to {} characters",
                    crate::staff::MAX_NAME_CHARS
                )));
            }
            let Some(role) = StaffRole::parse(role) else {
                return Err(StaffRefusal::RoleUnknown(role.clone()).into());
            };
            if !pin_is_well_formed(pin) {
                return Err(StaffRefusal::PinMalformed.into());
            }
            if store.staff_by_name(name)?.is_some() {
                return Err(StaffRefusal::NameTaken(name.to_owned()).into());
            }
            store.add_staff(name, role, &hash_pin(pin)?, &at)?;
            ("staff_add", format!("{name} ({role})"))
        }
        StaffChange::Disable { name } | StaffChange::Enable { name } => {
            let account = existing(store, name)?;
            let enable = matches!(change, StaffChange::Enable { .. });
            if !enable {
                let accounts = store.list_staff()?;
                if let Err(refusal) = check_disable(Some(session.staff_id), &account, &accounts) {
                    // A refused lock-out attempt stays on record, as a refused role does.
                    audit(
                        store,
                        &at,
                        Some(session.staff_id),
                        "refused",
                        Some(&format!("staff_disable {name}")),
                        Some(refusal.code()),
                    )?;
                    return Err(refusal.into());
                }
            }
            store.set_staff_active(account.id, enable)?;
            let action = if enable {
                "staff_enable"
            } else {
                "staff_disable"
            };
            (action, name.clone())
        }
        StaffChange::ResetPin { name, pin } => {
            if !pin_is_well_formed(pin) {
                return Err(StaffRefusal::PinMalformed.into());
            }
            let account = existing(store, name)?;
            store.set_staff_pin(account.id, &hash_pin(pin)?)?;
            ("staff_reset_pin", name.clone())
        }
    };
    audit(
        store,
        &at,
        Some(session.staff_id),
        action,
        Some(&target),
        None,
    )?;
    Ok(())
}

/// Refuses (and audits the attempt) unless the session is a supervisor's.
pub fn supervisor_only(
    store: &mut Store,
    session: &Session,
    now: &ZonedDateTime,
    action: &str,
) -> Result<()> {
    if let Err(refusal) = session.require_supervisor() {
        audit(
            store,
            &rfc3339(now),
            Some(session.staff_id),
            "refused",
            Some(action),
            Some(refusal.code()),
        )?;
        return Err(refusal.into());
    }
    Ok(())
}

/// Records an action with its office-local time in the hash-chained audit log.
pub fn audit(
    store: &mut Store,
    at: &str,
    staff_id: Option<i64>,
    action: &str,
    target: Option<&str>,
    reason: Option<&str>,
) -> Result<()> {
    store.append_audit(&AuditEntry {
        at,
        staff_id,
        action,
        target,
        reason,
    })?;
    Ok(())
}

#[cfg(test)]
mod tests;
