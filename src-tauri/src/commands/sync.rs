use hadir::staff_mode;
use hadir::sync::{self, ImportCandidate, PullReport, SyncHealth};
use hadir::ErrorPayload;
use tauri::State;

use crate::KioskState;

/// Sync health for the status corner and the staff screen. Async, so that waiting for the store
/// (a scan, an import) never holds the window's main thread.
#[tauri::command]
pub async fn sync_health(state: State<'_, KioskState>) -> Result<SyncHealth, ErrorPayload> {
    let now = state.office_now().timestamp();
    SyncHealth::read(&state.store(), &state.config(), now).map_err(|e| ErrorPayload::from(&e))
}

/// Hub mode: link state, check-ins waiting for replay, doubles found (`null` when standalone).
#[tauri::command]
pub async fn hub_health(
    state: State<'_, KioskState>,
) -> Result<Option<hadir::hub::HubHealth>, ErrorPayload> {
    let Some(link) = &state.hub else {
        return Ok(None);
    };
    hadir::hub::health(&state.store(), link)
        .map(Some)
        .map_err(|e| ErrorPayload::from(&e))
}

/// Staff pressed "sync now" (audited): the task forgets its backoff (and a 401 stop) and tries
/// at once.
#[tauri::command]
pub async fn sync_now(state: State<'_, KioskState>) -> Result<(), ErrorPayload> {
    let (session, now) = state.staff_session().map_err(|e| ErrorPayload::from(&e))?;
    staff_mode::sync_now(&mut state.store(), &session, &state.sync, &now)
        .map_err(|e| ErrorPayload::from(&e))
}

/// Feed files on a USB stick the staff screen can offer.
#[tauri::command]
pub async fn import_candidates(
    state: State<'_, KioskState>,
) -> Result<Vec<ImportCandidate>, ErrorPayload> {
    state.staff_session().map_err(|e| ErrorPayload::from(&e))?;
    Ok(sync::import_candidates(&state.config()))
}

/// Imports one of the files `import_candidates` offered (on its own store connection), audited.
#[tauri::command]
pub async fn import_feed(
    state: State<'_, KioskState>,
    path: String,
) -> Result<PullReport, ErrorPayload> {
    let (session, now) = state.staff_session().map_err(|e| ErrorPayload::from(&e))?;
    let kiosk_store = state.store_access();
    staff_mode::import_offered_file(kiosk_store.as_ref(), &session, &path, &now, &state.config())
        .map_err(|e| ErrorPayload::from(&e))
}
