//! Putting a backup in the store's place: at the kiosk's start when its store is damaged (or
//! gone while backups exist), and by hand (`hadir restore`).
//!
//! The file replaced is never deleted: it and its `-wal`/`-shm` move to a folder of their own
//! in the data folder (`damaged-<time>` or `replaced-<time>`). The copy restored is checked
//! again first, put beside the store under a temporary name and renamed into place, so a
//! restore cut short leaves either no store (the next start restores again) or a whole one.
//! Then, before it serves: its counters resume above the numbers reserved since the backup
//! (`store::number_marks`), every day's feed is pulled whole again, and its outbox, which holds
//! every event the gateway had not yet answered when the copy was taken, is sent again (the
//! gateway drops the nonces it already has).

use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::generations::{self, Generation};
use super::health;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::store::STORE_FILE_NAME;
use crate::store::{examine, is_damage, sync_folder_of, verify_copy, Store, StoreFile};

/// Why a backup was restored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RestoreReason {
    /// The store file failed to open or its quick check.
    Damaged,
    /// There was no store file, but there were backups.
    Missing,
    /// `hadir restore`.
    ByHand,
}

/// What a restore did, for the log, the staff screen and `hadir restore`'s output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Restored {
    pub reason: RestoreReason,
    /// What was wrong with the store file (for logs and IT).
    pub problem: Option<String>,
    /// The copy restored.
    pub backup: PathBuf,
    /// When that copy was taken (the kiosk's clock then).
    pub backup_taken_at: Timestamp,
    pub restored_at: Timestamp,
    /// The folder the replaced files were moved to; `None` when there were none.
    pub set_aside: Option<PathBuf>,
    /// Queue counters moved above the numbers reserved before the restore.
    pub counters_raised: usize,
    /// Events in the restored outbox, to be sent (again) to the gateway.
    pub outbox: i64,
}

/// Every generation in the backup folder and in the USB folder (when there), newest first; a
/// name in both is listed once, from the backup folder.
pub fn all_generations(config: &Config) -> Result<Vec<Generation>> {
    let mut all = generations::list(&config.backup_dir())?;
    if let Some(usb) = &config.backup.usb_dir {
        // A stick that is not plugged in, or unreadable, holds nothing to restore from.
        for generation in generations::list(usb).unwrap_or_default() {
            if !all.iter().any(|g| g.name == generation.name) {
                all.push(generation);
            }
        }
    }
    all.sort_by(|a, b| (b.sequence, b.taken_at, &b.name).cmp(&(a.sequence, a.taken_at, &a.name)));
    Ok(all)
}

/// The newest generation that passes `PRAGMA integrity_check` now; ones that fail are logged
/// and passed over.
pub fn newest_verified(config: &Config) -> Result<Option<Generation>> {
    for generation in all_generations(config)? {
        match verify_copy(&generation.path) {
            Ok(verdict) if verdict == "ok" => return Ok(Some(generation)),
            Ok(problems) => log::error!(
                "backup {} fails its integrity check, not used: {problems}",
                generation.path.display()
            ),
            Err(error) => log::error!(
                "backup {} cannot be read, not used: {error}",
                generation.path.display()
            ),
        }
    }
    Ok(None)
}

/// Opens the kiosk's store at its start. A sound store opens as always. A damaged one (or none
/// while backups exist) is replaced by the newest verified backup ([`restore`]); with no such
/// backup the start stops with `store_damaged_no_backup` and the file stays where it is.
pub fn open_store_at_start(config: &Config, now: Timestamp) -> Result<(Store, Option<Restored>)> {
    let data_dir = config.data_dir();
    let path = data_dir.join(STORE_FILE_NAME);
    // A look that fails for another reason than the file (a lock, permissions) proves nothing
    // against it: the store is opened as before, and that open says what is wrong.
    let state = examine(&path).unwrap_or_else(|error| {
        log::warn!("store {} not examined: {error}", path.display());
        StoreFile::Sound
    });
    let (reason, problem) = match state {
        StoreFile::Sound => match Store::open_in(&data_dir) {
            Ok(store) => return Ok((store, None)),
            // Sound to the quick check, yet SQLite found damage opening it (a migration).
            Err(Error::Store(e)) if is_damage(&e) => (RestoreReason::Damaged, e.to_string()),
            Err(e) => return Err(e),
        },
        StoreFile::Missing if all_generations(config)?.is_empty() => {
            return Ok((Store::open_in(&data_dir)?, None)); // a new kiosk
        }
        StoreFile::Missing => (
            RestoreReason::Missing,
            "the database file is missing, but backups exist".to_owned(),
        ),
        StoreFile::Damaged(problem) => (RestoreReason::Damaged, problem),
    };
    log::error!("store {} is not usable: {problem}", path.display());
    let Some(generation) = newest_verified(config)? else {
        return Err(Error::StoreDamagedNoBackup {
            path: path.display().to_string(),
            problem,
            looked_in: looked_in(config),
        });
    };
    let (store, restored) = restore(config, &generation, reason, Some(problem), now)?;
    Ok((store, Some(restored)))
}

/// The folders backups are looked for in, for messages.
pub fn looked_in(config: &Config) -> String {
    let mut places = vec![config.backup_dir().display().to_string()];
    if let Some(usb) = &config.backup.usb_dir {
        places.push(usb.display().to_string());
    }
    places.join(" and ")
}

/// Puts `generation` in place of the store in the data folder (the caller holds the folder:
/// the kiosk's start, or `hadir restore` with the kiosk lock), keeping the files it replaces,
/// and readies it to serve. Returns the open store.
pub fn restore(
    config: &Config,
    generation: &Generation,
    reason: RestoreReason,
    problem: Option<String>,
    now: Timestamp,
) -> Result<(Store, Restored)> {
    let data_dir = config.data_dir();
    let path = data_dir.join(STORE_FILE_NAME);
    // The copy first, beside the store: when it cannot be made (no room), nothing was moved.
    let incoming = data_dir.join(format!(".{STORE_FILE_NAME}.restoring"));
    let _ = std::fs::remove_file(&incoming);
    let copied = std::fs::copy(&generation.path, &incoming)
        .and_then(|_| std::fs::File::open(&incoming)?.sync_all())
        .map_err(|e| {
            Error::io(
                format!(
                    "cannot copy {} to {}",
                    generation.path.display(),
                    incoming.display()
                ),
                e,
            )
        })
        .and_then(|()| examine(&incoming));
    match copied {
        Ok(StoreFile::Sound) => {}
        other => {
            let _ = std::fs::remove_file(&incoming);
            return Err(match other {
                Err(error) => error,
                Ok(state) => Error::BackupUnusable(format!(
                    "the copy of {} to restore is not sound: {state:?}",
                    generation.path.display()
                )),
            });
        }
    }
    let label = match reason {
        RestoreReason::ByHand => "replaced",
        RestoreReason::Damaged | RestoreReason::Missing => "damaged",
    };
    let set_aside = set_aside(&data_dir, label, now)?;
    std::fs::rename(&incoming, &path).map_err(|e| {
        Error::io(
            format!("cannot put the backup in place at {}", path.display()),
            e,
        )
    })?;
    sync_folder_of(&path)?;
    let mut store = Store::open(&path)?;
    let counters_raised = store.raise_counters_to_marks()?;
    store.forget_all_feed_cursors()?;
    let restored = Restored {
        reason,
        problem,
        backup: generation.path.clone(),
        backup_taken_at: generation.taken_at,
        restored_at: now,
        set_aside,
        counters_raised,
        outbox: store.outbox_len()?,
    };
    health::record_restore(&mut store, &restored)?;
    log::warn!(
        "store restored from {} (taken {}); replaced files kept in {}; {} counters raised above the reserved numbers; {} events to send again",
        restored.backup.display(),
        restored.backup_taken_at,
        restored
            .set_aside
            .as_deref()
            .map_or("(none)".into(), |p| p.display().to_string()),
        restored.counters_raised,
        restored.outbox
    );
    Ok((store, restored))
}

/// Moves the store's files (`hadir.sqlite3` and its `-wal`, `-shm`, `-journal`) into a new
/// folder `<data_dir>/<label>-<UTC time>`; `None` when there were none.
fn set_aside(data_dir: &Path, label: &str, now: Timestamp) -> Result<Option<PathBuf>> {
    let files: Vec<String> = ["", "-wal", "-shm", "-journal"]
        .iter()
        .map(|ending| format!("{STORE_FILE_NAME}{ending}"))
        .filter(|name| data_dir.join(name).exists())
        .collect();
    if files.is_empty() {
        return Ok(None);
    }
    let stamp = now
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string();
    let mut folder = data_dir.join(format!("{label}-{stamp}"));
    let mut attempt = 1;
    loop {
        match std::fs::create_dir(&folder) {
            Ok(()) => break,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => {
                attempt += 1;
                folder = data_dir.join(format!("{label}-{stamp}-{attempt}"));
            }
            Err(e) => return Err(Error::io(format!("cannot create {}", folder.display()), e)),
        }
    }
    for name in &files {
        let to = folder.join(name);
        std::fs::rename(data_dir.join(name), &to)
            .map_err(|e| Error::io(format!("cannot move {name} to {}", folder.display()), e))?;
    }
    sync_folder_of(&folder.join(STORE_FILE_NAME))?;
    sync_folder_of(&data_dir.join(STORE_FILE_NAME))?;
    log::warn!("store files {files:?} kept in {}", folder.display());
    Ok(Some(folder))
}
