//! Priority walk-ins at the front desk (issue #17): staff issue a walk-in ticket for the person
//! in front of them (past a full quota only with a reason), turn one away at the counter, and
//! list today's. Each asks the state for the live staff session first and calls one core
//! function (`hadir::walkin`); the desk's tickets print at once, as a desk check-in's do.

use hadir::kiosk::Printing;
use hadir::store::WalkinTicket;
use hadir::walkin::{self, TurnedAway, WalkinChoice, WalkinResult, WalkinState};
use hadir::ErrorPayload;
use serde::Serialize;
use tauri::State;

use crate::KioskState;

fn payload(error: hadir::Error) -> ErrorPayload {
    ErrorPayload::from(&error)
}

/// A walk-in ticket for the person at the desk, printed at once in the office's language; with
/// `override_reason` past a full quota (the core audits either way).
#[tauri::command]
pub async fn staff_walkin_issue(
    state: State<'_, KioskState>,
    choice: WalkinChoice,
    override_reason: Option<String>,
) -> Result<WalkinResult, ErrorPayload> {
    let (session, now) = state.staff_session().map_err(payload)?;
    let scope = state.call_scope_at(now);
    let ctx = scope.ctx(Printing::Now, None);
    let issued = walkin::issue_by_staff(&session, choice, override_reason.as_deref(), &ctx).await;
    state.disk.note("walkin", &issued, scope.now.timestamp());
    let (result, _printed) = issued.map_err(payload)?;
    if result.admits {
        state.sync.events_written(); // the walk-in's outbox event: push it soon
    }
    Ok(result)
}

/// Staff turn a walk-in away at the counter (its ticket by label or id), with a reason.
#[tauri::command]
pub async fn staff_walkin_turn_away(
    state: State<'_, KioskState>,
    ticket: String,
    reason: String,
) -> Result<TurnedAway, ErrorPayload> {
    let (session, now) = state.staff_session().map_err(payload)?;
    let scope = state.call_scope_at(now);
    let ctx = scope.ctx(Printing::Now, None);
    let turned = walkin::turn_away(&session, &ticket, &reason, &ctx)
        .await
        .map_err(payload)?;
    if !turned.already {
        state.sync.events_written(); // the turn-away's outbox event
    }
    Ok(turned)
}

/// The desk's walk-in panel: what is left of today's quota and today's walk-ins.
#[derive(Debug, Serialize)]
pub struct WalkinDesk {
    state: WalkinState,
    walkins: Vec<WalkinTicket>,
}

#[tauri::command]
pub async fn staff_walkins_today(state: State<'_, KioskState>) -> Result<WalkinDesk, ErrorPayload> {
    let (_session, now) = state.staff_session().map_err(payload)?;
    let walkins = walkin::walkins_today(&state.store(), &now).map_err(payload)?;
    let scope = state.call_scope_at(now);
    let ctx = scope.ctx(Printing::Now, None);
    let state = walkin::quota_state(&ctx).await.map_err(payload)?;
    Ok(WalkinDesk { state, walkins })
}
