//! Backups of the store and restoring one (issue #20, "Damaged database and backups").
//!
//! A backup is an online copy through SQLite's backup API (`Store::backup_into`: the kiosk
//! keeps serving while it is taken), verified with `PRAGMA integrity_check` before it gets a
//! generation's name ([`generations`]), into `[backup] dir` and, when plugged in,
//! `[backup] usb_dir`, keeping the newest `[backup] keep` in each. One is due at the first
//! start, every `[backup] every_minutes` and once after `[backup] day_end` ([`backup_due`], a
//! pure rule of the clock passed in); the kiosk's task asks every minute ([`run_backup_task`]),
//! `hadir backup` takes one at once. At the kiosk's start a damaged store is replaced by the
//! newest verified copy ([`open_store_at_start`]); `hadir restore` does it by hand.

mod generations;
mod health;
mod restore;
mod schedule;

use std::path::PathBuf;
use std::time::Duration;

use jiff::Timestamp;
use serde::Serialize;

use crate::config::Config;
use crate::error::Result;
use crate::store::Store;

pub use generations::Generation;
pub use health::{BackupFailure, BackupHealth, RestoreNotice, RESTORE_NOTICE_HOURS};
pub use restore::{
    all_generations, looked_in, newest_verified, open_store_at_start, restore, RestoreReason,
    Restored,
};
pub use schedule::{backup_due, BackupReason, RETRY_AFTER_FAILURE};

/// How often the kiosk's task asks whether a backup is due.
pub const TICK: Duration = Duration::from_secs(60);

/// What one backup wrote and deleted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Taken {
    pub generation: Generation,
    /// The same copy in `[backup] usb_dir`, when that folder was there and the copy worked.
    pub usb_copy: Option<Generation>,
    /// Older copies deleted to keep `[backup] keep` (in both folders).
    pub deleted: Vec<PathBuf>,
    /// Copies now in the backup folder.
    pub kept: usize,
}

/// Takes a backup of `store` now: a verified generation in the backup folder, a copy in the
/// USB folder when it is there (its failure is logged; the backup still counts), then the
/// oldest beyond `[backup] keep` go. A failure is recorded for staff until one works.
pub fn take_backup(store: &mut Store, config: &Config, now: Timestamp) -> Result<Taken> {
    let result = take(store, config, now);
    health::record_outcome(store, result.as_ref().err(), now);
    match &result {
        Ok(taken) => log::info!(
            "backup {} written and verified ({} bytes, {} kept)",
            taken.generation.path.display(),
            taken.generation.size_bytes,
            taken.kept
        ),
        Err(error) => log::error!("backup failed [{}]: {error}", error.code()),
    }
    result
}

fn take(store: &Store, config: &Config, now: Timestamp) -> Result<Taken> {
    let dir = config.backup_dir();
    let keep = config.backup.keep as usize;
    let generation = generations::write(store, &dir, config.backup.usb_dir.as_deref(), now)?;
    let mut deleted = rotate(&dir, keep);
    let usb_copy = match &config.backup.usb_dir {
        Some(usb) if usb.is_dir() => match generations::copy_to(&generation, usb) {
            Ok(copy) => {
                deleted.extend(rotate(usb, keep));
                Some(copy)
            }
            Err(error) => {
                log::warn!("backup not copied to {}: {error}", usb.display());
                None
            }
        },
        Some(usb) => {
            log::info!(
                "backup folder {} is not there: no copy on it",
                usb.display()
            );
            None
        }
        None => None,
    };
    let kept = generations::list(&dir)?.len();
    Ok(Taken {
        generation,
        usb_copy,
        deleted,
        kept,
    })
}

/// Deleting old copies may fail (a read-only stick): more are kept than asked, logged.
fn rotate(dir: &std::path::Path, keep: usize) -> Vec<PathBuf> {
    generations::keep_newest(dir, keep).unwrap_or_else(|error| {
        log::warn!("old backups in {} not deleted: {error}", dir.display());
        Vec::new()
    })
}

/// One look of the kiosk's task: takes a backup when [`backup_due`] says so. `last_failure`
/// is the task's last failed attempt (since its last success).
pub fn tick(
    store: &mut Store,
    config: &Config,
    now: Timestamp,
    last_failure: Option<Timestamp>,
) -> Result<Option<Taken>> {
    let newest = generations::list(&config.backup_dir())?
        .first()
        .map(|g| g.taken_at);
    let Some(reason) = backup_due(newest, last_failure, now, config) else {
        return Ok(None);
    };
    log::info!("backup due: {reason:?}");
    take_backup(store, config, now).map(Some)
}

/// The kiosk's backup task, on its own store connection (a copy never waits for a scan, nor a
/// scan for a copy): every [`TICK`] it asks [`tick`]. Runs until the runtime shuts down.
pub async fn run_backup_task(config: Config, mut store: Store, clock: crate::model::Clock) {
    let mut last_failure = None;
    loop {
        let now = clock();
        match tick(&mut store, &config, now, last_failure) {
            Ok(Some(_)) => last_failure = None,
            Ok(None) => {}
            Err(error) => {
                log::warn!("backup not taken [{}]: {error}", error.code());
                last_failure = Some(now);
            }
        }
        tokio::time::sleep(TICK).await;
    }
}
