//! The counter machine (config `role = "counter"`): staff sign in with their PIN, choose the
//! counter and services, and call tickets at the office hub. Every action but signing in asks
//! the counter seat for the desk (signed in, not idle too long, a counter chosen); the rules
//! are `hadir::counter_desk`'s.

use hadir::counter_desk::{self, Acted, CounterAction, CounterScreen};
use hadir::error::CounterRefusal;
use hadir::hub::{Desk, HubLink};
use hadir::model::Service;
use hadir::staff_mode::{self, Session, SignInResult, SignOutReason, StaffName};
use hadir::ErrorPayload;
use serde::Serialize;
use std::sync::Arc;
use tauri::State;

use crate::KioskState;

fn payload(error: hadir::Error) -> ErrorPayload {
    ErrorPayload::from(&error)
}

/// What the counter's screens need before anyone signs in.
#[derive(Debug, Serialize)]
pub struct CounterInfo {
    /// The buttons 1 to this (`calling.counters`).
    pub counters: u32,
    pub services: Vec<Service>,
    pub idle_logout_seconds: u32,
    pub staff: Vec<StaffName>,
    /// The office's language, the screen's first.
    pub language: hadir::model::Language,
}

#[tauri::command]
pub async fn counter_info(state: State<'_, KioskState>) -> Result<CounterInfo, ErrorPayload> {
    let config = state.config();
    Ok(CounterInfo {
        counters: config.calling.counters,
        services: Service::ALL.to_vec(),
        idle_logout_seconds: config.staff.idle_logout_seconds,
        staff: staff_mode::active_staff(&state.store()).map_err(payload)?,
        language: config.kiosk.language,
    })
}

#[tauri::command]
pub async fn counter_sign_in(
    state: State<'_, KioskState>,
    name: String,
    pin: String,
) -> Result<SignInResult, ErrorPayload> {
    let now = state.office_now();
    let config = state.config();
    state
        .counter()
        .sign_in(&mut state.store(), &name, &pin, &now, &config)
        .map_err(payload)
}

/// Staff pressed "sign out", or the screen's idle timer ran out (`why`: `done` or `idle`).
#[tauri::command]
pub async fn counter_sign_out(
    state: State<'_, KioskState>,
    why: String,
) -> Result<(), ErrorPayload> {
    let now = state.office_now();
    let why = SignOutReason::from_screen(&why);
    state
        .counter()
        .sign_out(&mut state.store(), &now, why)
        .map_err(payload)
}

/// A touch on the screen keeps the session alive; the signed-in staff member.
#[tauri::command]
pub async fn counter_touch(state: State<'_, KioskState>) -> Result<Session, ErrorPayload> {
    let now = state.office_now();
    let config = state.config();
    state
        .counter()
        .session(&mut state.store(), &now, &config)
        .map_err(payload)
}

/// Takes counter `counter` serving `services`; the screen at it.
#[tauri::command]
pub async fn counter_choose(
    state: State<'_, KioskState>,
    counter: i64,
    services: Vec<Service>,
) -> Result<CounterScreen, ErrorPayload> {
    let now = state.office_now();
    let config = state.config();
    let desk = state
        .counter()
        .choose(&mut state.store(), counter, &services, &now, &config)
        .map_err(payload)?;
    counter_desk::look(hub(&state)?.as_ref(), &desk, &now, &config)
        .await
        .map_err(payload)
}

/// The ticket in hand and the waiting counts now (the screen's timed refresh: no activity).
#[tauri::command]
pub async fn counter_screen(state: State<'_, KioskState>) -> Result<CounterScreen, ErrorPayload> {
    let now = state.office_now();
    let desk = state
        .counter()
        .desk_unattended(&mut state.store(), &now, &state.config())
        .map_err(payload)?;
    counter_desk::look(hub(&state)?.as_ref(), &desk, &now, &state.config())
        .await
        .map_err(payload)
}

/// One action: `call_next`, `call_again`, `no_show`, `start`, `finish`, or `transfer` (`to`).
#[tauri::command]
pub async fn counter_act(
    state: State<'_, KioskState>,
    action: String,
    to: Option<Service>,
) -> Result<Acted, ErrorPayload> {
    let action = match (action.as_str(), to) {
        ("call_next", _) => CounterAction::CallNext,
        ("call_again", _) => CounterAction::CallAgain,
        ("no_show", _) => CounterAction::NoShow,
        ("start", _) => CounterAction::Start,
        ("finish", _) => CounterAction::Finish,
        ("transfer", Some(to)) => CounterAction::Transfer { to },
        _ => {
            let error = hadir::Error::InvalidInput(format!("no counter action {action:?}"));
            return Err(payload(error));
        }
    };
    let (desk, now) = desk(&state)?;
    let store = state.store_access();
    counter_desk::act(
        hub(&state)?.as_ref(),
        store.as_ref(),
        &desk,
        action,
        &now,
        &state.config(),
    )
    .await
    .map_err(payload)
}

fn desk(state: &KioskState) -> Result<(Desk, jiff::ZonedDateTime), ErrorPayload> {
    let now = state.office_now();
    let config = state.config();
    let desk = state
        .counter()
        .desk(&mut state.store(), &now, &config)
        .map_err(payload)?;
    Ok((desk, now))
}

fn hub(state: &KioskState) -> Result<Arc<HubLink>, ErrorPayload> {
    state
        .hub
        .clone()
        .ok_or_else(|| payload(CounterRefusal::NeedsHub.into()))
}
