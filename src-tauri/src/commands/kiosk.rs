use hadir::config::Language;
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
}

#[tauri::command]
pub fn kiosk_info(state: State<'_, KioskState>) -> KioskInfo {
    KioskInfo {
        office_name: state.config.office.name.clone(),
        kiosk_id: state.config.kiosk.id.clone(),
        language: state.config.kiosk.language,
        demo: state.demo,
    }
}
