use hadir::kiosk::{handle_scan, ScanResult};
use hadir::ErrorPayload;
use tauri::State;

use crate::KioskState;

/// One scanned line (from the USB scanner's key burst) -> verdict, tickets and print outcome.
#[tauri::command]
pub async fn scan(state: State<'_, KioskState>, text: String) -> Result<ScanResult, ErrorPayload> {
    let now = state.office_now();
    let mut store = state.store();
    handle_scan(&mut store, &text, &now, &state.config).map_err(|error| {
        log::error!("scan failed: {error}");
        ErrorPayload::from(&error)
    })
}
