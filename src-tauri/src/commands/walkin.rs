//! Priority walk-ins at the kiosk (issue #17): the welcome button's quota and a ticket for a
//! person without a booking. Each command builds the scan's context and calls one core function
//! (`hadir::walkin`); a new ticket waits for `print_pending`, as after a scan.

use hadir::kiosk::Printing;
use hadir::model::Language;
use hadir::walkin::{self, WalkinChoice, WalkinResult, WalkinState};
use hadir::ErrorPayload;
use tauri::State;

use crate::KioskState;

/// What is left of today's walk-in quota, per category and service: the welcome screen's button
/// and the question screens show it (and nothing when walk-ins are not offered).
#[tauri::command]
pub async fn walkin_state(state: State<'_, KioskState>) -> Result<WalkinState, ErrorPayload> {
    let scope = state.call_scope();
    walkin::quota_state(&scope.ctx(Printing::Later, None))
        .await
        .map_err(|error| {
            log::error!("walk-in quota not read: {error}");
            ErrorPayload::from(&error)
        })
}

/// The applicant chose a group and a service: a ticket in the priority lane (printed by
/// `print_pending`, in the page's `language`), or the quota's refusal.
#[tauri::command]
pub async fn walkin_issue(
    state: State<'_, KioskState>,
    choice: WalkinChoice,
    language: Option<Language>,
) -> Result<WalkinResult, ErrorPayload> {
    let scope = state.call_scope();
    let issued = walkin::issue_at_kiosk(choice, &scope.ctx(Printing::Later, language)).await;
    state.disk.note("walkin", &issued, scope.now.timestamp());
    let (result, pending) = issued.map_err(|error| {
        log::error!("walk-in failed: {error}");
        ErrorPayload::from(&error)
    })?;
    if !pending.is_empty() {
        state.sync.events_written(); // the walk-in's outbox event: push it soon
    }
    state.add_pending_prints(pending);
    Ok(result)
}
