//! Staff mode. Every action but signing in first asks the state for a live session (signed
//! in, not idle too long), so the window cannot act for staff who are not there.

use hadir::staff::StaffAccount;
use hadir::staff_mode::{
    self, BookingMatch, BookingQuery, Session, SignInResult, SignOutReason, StaffChange,
    StaffCheckedIn, StaffName,
};
use hadir::store::{IssuedTicket, PrintOutcome, Purged};
use hadir::ticket::TicketView;
use hadir::ErrorPayload;
use serde::Serialize;
use tauri::State;

use crate::KioskState;

fn payload(error: hadir::Error) -> ErrorPayload {
    ErrorPayload::from(&error)
}

/// Active staff's names and roles, for the sign-in screen.
#[tauri::command]
pub async fn staff_names(state: State<'_, KioskState>) -> Result<Vec<StaffName>, ErrorPayload> {
    staff_mode::active_staff(&state.store()).map_err(payload)
}

/// A name and PIN: signed in (over any open session, which ends), a wrong PIN, or locked.
#[tauri::command]
pub async fn staff_sign_in(
    state: State<'_, KioskState>,
    name: String,
    pin: String,
) -> Result<SignInResult, ErrorPayload> {
    let now = state.office_now();
    state
        .seat()
        .sign_in(&mut state.store(), &name, &pin, &now, &state.config())
        .map_err(payload)
}

/// Staff pressed "sign out", or the screen's idle timer ran out (`why`: `done` or `idle`).
#[tauri::command]
pub async fn staff_sign_out(state: State<'_, KioskState>, why: String) -> Result<(), ErrorPayload> {
    let now = state.office_now();
    let why = SignOutReason::from_screen(&why);
    state
        .seat()
        .sign_out(&mut state.store(), &now, why)
        .map_err(payload)
}

#[tauri::command]
pub async fn find_bookings(
    state: State<'_, KioskState>,
    query: BookingQuery,
) -> Result<Vec<BookingMatch>, ErrorPayload> {
    let (session, now) = state.staff_session().map_err(payload)?;
    staff_mode::find_bookings(&mut state.store(), &session, &query, &now).map_err(payload)
}

/// A check-in by hand (or an override of `too_late`), printed at once; with the booking's card.
#[tauri::command]
pub async fn staff_check_in(
    state: State<'_, KioskState>,
    code: String,
    reason: String,
    override_too_late: bool,
) -> Result<StaffCheckedIn, ErrorPayload> {
    let (session, now) = state.staff_session().map_err(payload)?;
    let store = state.store_access();
    staff_mode::check_in_and_print(
        store.as_ref(),
        &session,
        &code,
        &reason,
        override_too_late,
        &state.sync,
        &now,
        &state.config(),
    )
    .map_err(payload)
}

#[derive(Debug, Serialize)]
pub struct Reprinted {
    ticket: TicketView,
    print: PrintOutcome,
}

#[tauri::command]
pub async fn reprint(
    state: State<'_, KioskState>,
    ticket: String,
    reason: String,
) -> Result<Reprinted, ErrorPayload> {
    let (session, now) = state.staff_session().map_err(payload)?;
    let (ticket, print) = staff_mode::reprint(
        &mut state.store(),
        &session,
        &ticket,
        &reason,
        &now,
        &state.config(),
    )
    .map_err(payload)?;
    state.sync.events_written();
    Ok(Reprinted { ticket, print })
}

#[tauri::command]
pub async fn failed_prints(
    state: State<'_, KioskState>,
) -> Result<Vec<IssuedTicket>, ErrorPayload> {
    let (_session, now) = state.staff_session().map_err(payload)?;
    staff_mode::failed_prints(&state.store(), &now).map_err(payload)
}

#[tauri::command]
pub async fn purge_personal_data(
    state: State<'_, KioskState>,
    older_than_days: u32,
) -> Result<Purged, ErrorPayload> {
    let (session, now) = state.staff_session().map_err(payload)?;
    staff_mode::purge(&mut state.store(), &session, older_than_days, &now).map_err(payload)
}

/// Applies a staff change and answers with the accounts as they are now (for the list).
#[tauri::command]
pub async fn change_staff(
    state: State<'_, KioskState>,
    change: StaffChange,
) -> Result<Vec<StaffAccount>, ErrorPayload> {
    let (session, now) = state.staff_session().map_err(payload)?;
    staff_mode::change_staff(&mut state.store(), &session, &change, &now).map_err(payload)
}

/// A touch or keystroke on a staff screen: activity for the idle sign-out, as a command is.
#[tauri::command]
pub async fn staff_touch(state: State<'_, KioskState>) -> Result<(), ErrorPayload> {
    state.staff_session().map(|_| ()).map_err(payload)
}

/// The signed-in staff member (the screens show name and role), or an error if none.
#[tauri::command]
pub async fn staff_whoami(state: State<'_, KioskState>) -> Result<Session, ErrorPayload> {
    state.staff_session().map(|(s, _)| s).map_err(payload)
}

/// Every account, active or not, for the supervisor's list.
#[tauri::command]
pub async fn staff_accounts(
    state: State<'_, KioskState>,
) -> Result<Vec<StaffAccount>, ErrorPayload> {
    let (session, now) = state.staff_session().map_err(payload)?;
    staff_mode::staff_accounts(&mut state.store(), &session, &now).map_err(payload)
}

/// Folders an export may go to: mounted USB sticks and the kiosk's own exports folder.
#[tauri::command]
pub async fn export_dirs(
    state: State<'_, KioskState>,
) -> Result<Vec<hadir::folders::ExportFolder>, ErrorPayload> {
    let (session, now) = state.staff_session().map_err(payload)?;
    staff_mode::export_places(&mut state.store(), &session, &now, &state.config()).map_err(payload)
}

/// Exports a period in every format into one of the offered folders (the core refuses any
/// other), the XLSX and PDF in the screen's language.
#[tauri::command]
pub async fn export_report(
    state: State<'_, KioskState>,
    from: String,
    to: String,
    dir: String,
    lang: Option<hadir::model::Language>,
) -> Result<staff_mode::Exported, ErrorPayload> {
    let (session, now) = state.staff_session().map_err(payload)?;
    staff_mode::export_report(
        &mut state.store(),
        &session,
        &from,
        &to,
        std::path::Path::new(&dir),
        lang,
        &now,
        &state.config(),
    )
    .map_err(payload)
}

/// The settings a supervisor may change here, with their current values and choices.
#[tauri::command]
pub async fn kiosk_settings(
    state: State<'_, KioskState>,
) -> Result<Vec<hadir::settings::SettingView>, ErrorPayload> {
    let (session, now) = state.staff_session().map_err(payload)?;
    hadir::settings::settings_screen(&mut state.store(), &session, &now, &state.config())
        .map_err(payload)
}

/// Changes one setting; it is in force at once (the screens reload `kiosk_info`).
#[tauri::command]
pub async fn change_setting(
    state: State<'_, KioskState>,
    key: String,
    value: String,
) -> Result<Vec<hadir::settings::SettingView>, ErrorPayload> {
    let (session, now) = state.staff_session().map_err(payload)?;
    let changed = hadir::settings::change_setting(
        &mut state.store(),
        &session,
        &key,
        &value,
        &now,
        &state.config(),
    )
    .map_err(payload)?;
    let rows = hadir::settings::kiosk_settings(&changed);
    state.set_config(changed);
    Ok(rows)
}

/// The printer line of the staff screen.
#[tauri::command]
pub async fn printer_health(
    state: State<'_, KioskState>,
) -> Result<staff_mode::PrinterHealth, ErrorPayload> {
    let (_session, now) = state.staff_session().map_err(payload)?;
    staff_mode::printer_health(&state.store(), &now, &state.config()).map_err(payload)
}
