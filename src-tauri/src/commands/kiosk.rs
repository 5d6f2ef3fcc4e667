use hadir::model::Language;
use serde::Serialize;
use tauri::State;

use crate::KioskState;

/// What the UI needs to know about this kiosk at start.
#[derive(Debug, Serialize)]
pub struct KioskInfo {
    office_name: String,
    kiosk_id: String,
    language: Language,
    demo: bool,
    result_reset_seconds: u32,
    manual_reset_seconds: u32,
    sound_volume: f32,
    camera: bool,
    survey_reset_seconds: u32,
    staff_idle_seconds: u32,
    retention_days: u32,
    hub: bool,
    /// Version, commit and schema, for the staff screen (the same as `hadir-kiosk --version`).
    build: hadir::version::BuildInfo,
    /// Where the kiosk's log files are (the staff screen shows it for IT), and whether the file
    /// is written (false: the folder could not be written, logs go to standard error only).
    log_folder: String,
    log_file_on: bool,
    /// A build with debug assertions, where Tauri turns the web inspector on: never the shipped
    /// kiosk (the installed-package test checks the release build says false).
    debug_build: bool,
    /// The longest booking code: the manual-entry keyboard takes no more characters.
    booking_code_max_len: usize,
    /// What each staff field takes (lengths, the ticket pad's queue letters), from the core.
    staff_inputs: hadir::frontdesk::StaffInputs,
}

#[tauri::command]
pub fn kiosk_info(state: State<'_, KioskState>) -> KioskInfo {
    KioskInfo {
        office_name: state.config().office.name.clone(),
        kiosk_id: state.config().kiosk.id.clone(),
        language: state.config().kiosk.language,
        demo: state.demo,
        result_reset_seconds: state.config().screens.result_reset_seconds,
        manual_reset_seconds: state.config().screens.manual_reset_seconds,
        sound_volume: state.config().screens.sound_volume,
        camera: state.config().camera,
        survey_reset_seconds: state.config().survey.reset_seconds,
        staff_idle_seconds: state.config().staff.idle_logout_seconds,
        retention_days: state.config().privacy.retention_days,
        hub: state.hub.is_some(),
        build: hadir::version::build_info(),
        log_folder: state.config().log_dir().display().to_string(),
        log_file_on: hadir::log_files::folder().is_some(),
        debug_build: cfg!(debug_assertions),
        booking_code_max_len: *hadir::model::BOOKING_CODE_LEN.end(),
        staff_inputs: hadir::frontdesk::staff_inputs(&state.config()),
    }
}
