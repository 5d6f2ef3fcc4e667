use hadir::disk_space::DiskHealth;
use hadir::screen_info::{self, KioskInfo, ShellFacts};
use hadir::ErrorPayload;
use tauri::State;

use crate::KioskState;

/// What the UI needs to know about this kiosk (idle times, limits, the build), from the core.
#[tauri::command]
pub fn kiosk_info(state: State<'_, KioskState>) -> KioskInfo {
    let shell = ShellFacts {
        demo: state.demo,
        hub: state.hub.is_some(),
        // Tauri turns the web inspector on in such a build: never the shipped kiosk.
        debug_build: cfg!(debug_assertions),
    };
    screen_info::kiosk_info(&state.config(), shell)
}

/// The data folder's disk for the status corner and the staff screen: free space, or a full
/// disk with what to do (the core decides which). Async: a test write may wait for the disk.
#[tauri::command]
pub async fn disk_health(state: State<'_, KioskState>) -> Result<DiskHealth, ErrorPayload> {
    Ok(state.disk.health(&state.config()))
}

/// The kiosk's page has started (first start, or after its daily refresh): the scanner keys the
/// window held while it loaded, for the page to type into its scanner (`\n` is Enter).
#[tauri::command]
pub fn page_started(state: State<'_, KioskState>) -> String {
    // What start-up, or the old page's process when it ended, freed in the window process goes
    // back at the next quiet tick (2.5 MiB at start, BENCHMARKS.md).
    state.heap_trim.note_busy();
    let now = (state.clock())();
    state.page_refresh.page_started(now)
}
