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

/// Staff pressed "sync now": the task forgets its backoff (and a 401 stop) and tries at once.
#[tauri::command]
pub async fn sync_now(state: State<'_, KioskState>) -> Result<(), ErrorPayload> {
    let (session, now) = state.staff_session().map_err(|e| ErrorPayload::from(&e))?;
    audit(&state, &session, &now, "sync_now", None)?;
    state.sync.sync_now();
    Ok(())
}

fn audit(
    state: &KioskState,
    session: &hadir::frontdesk::Session,
    now: &jiff::ZonedDateTime,
    action: &str,
    target: Option<&str>,
) -> Result<(), ErrorPayload> {
    hadir::frontdesk::audit(
        &mut state.store(),
        &hadir::model::rfc3339(now),
        Some(session.staff_id),
        action,
        target,
        None,
    )
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

/// Imports one of the offered files. Only a path the kiosk itself offered is accepted. The
/// import uses its own store connection, like the sync task: reading and applying a big file
/// must not hold the connection a scan needs (SQLite orders the two writes).
#[tauri::command]
pub async fn import_feed(
    state: State<'_, KioskState>,
    path: String,
) -> Result<PullReport, ErrorPayload> {
    let (session, now_local) = state.staff_session().map_err(|e| ErrorPayload::from(&e))?;
    let offered = sync::import_candidates(&state.config());
    let Some(file) = offered.iter().find(|c| c.path.to_string_lossy() == path) else {
        let error =
            hadir::Error::FeedInvalid("the file is no longer offered (stick removed?)".into());
        return Err(ErrorPayload::from(&error));
    };
    let now = now_local.timestamp();
    let report = hadir::Store::open_in(&state.config().data_dir())
        .and_then(|mut store| sync::import_file(&mut store, &state.config(), &file.path, now))
        .map_err(|error| {
            log::warn!("import failed [{}]: {error}", error.code());
            ErrorPayload::from(&error)
        });
    let target = format!(
        "{} {}",
        file.name,
        if report.is_ok() {
            "imported"
        } else {
            "refused"
        }
    );
    audit(&state, &session, &now_local, "import", Some(&target))?;
    report
}
