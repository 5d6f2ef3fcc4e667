//! What staff (the staff screen's sync panel, through `SyncHealth`) and `hadir status` see of
//! backups: the newest copy, a failed attempt with what to do, and a restore after damage.
//! Failures and restores are facts in the store's `sync_state`, beside sync's own.

use jiff::Timestamp;
use serde::Serialize;

use super::generations;
use super::restore::{RestoreReason, Restored};
use crate::config::Config;
use crate::error::{Error, ErrorCode, Result};
use crate::store::Store;
use crate::texts::BothLanguages;

const FAILED_AT: &str = "backup_failed_at";
const FAILED_DETAIL: &str = "backup_failed_detail";
const RESTORED: &str = "store_restored";

/// Staff see a restore for this long after it happened.
pub const RESTORE_NOTICE_HOURS: i64 = 24;

/// Backups at a glance. Times are RFC 3339 UTC; ages in seconds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BackupHealth {
    /// The newest copy in the backup folder; `None`: none yet.
    pub newest_at: Option<String>,
    pub newest_age_seconds: Option<i64>,
    /// Copies in the backup folder.
    pub kept: usize,
    /// The last attempt failed (none has worked since).
    pub failed: Option<BackupFailure>,
    /// A backup was restored within the last [`RESTORE_NOTICE_HOURS`].
    pub restored: Option<RestoreNotice>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BackupFailure {
    pub at: String,
    pub age_seconds: i64,
    /// The error as logs and IT read it.
    pub detail: String,
    pub next_step: BothLanguages,
}

/// What staff are told of a restore: from when the data is, and what it means for them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RestoreNotice {
    pub reason: RestoreReason,
    /// When the restored copy was taken, office time (`DD-MM-YYYY HH:MM`).
    pub backup_taken_local: String,
    /// When it was restored, office time.
    pub restored_local: String,
    /// Where the replaced files were kept.
    pub set_aside: Option<String>,
    /// Events from the copy being sent again.
    pub outbox: i64,
}

impl BackupHealth {
    pub fn read(store: &Store, config: &Config, now: Timestamp) -> Result<BackupHealth> {
        let facts = store.sync_facts()?;
        // An unreadable folder shows as "no copy": the failure it causes is reported too.
        let copies = generations::list(&config.backup_dir()).unwrap_or_default();
        let newest = copies.first().map(|g| g.taken_at);
        let failed = facts
            .get(FAILED_AT)
            .and_then(|at| at.parse::<Timestamp>().ok())
            .map(|at| BackupFailure {
                at: at.to_string(),
                age_seconds: now.duration_since(at).as_secs(),
                detail: facts.get(FAILED_DETAIL).cloned().unwrap_or_default(),
                next_step: ErrorCode::BackupFailed.next_step(),
            });
        let restored = facts
            .get(RESTORED)
            .and_then(|json| serde_json::from_str::<Restored>(json).ok())
            .filter(|r| now.duration_since(r.restored_at).as_hours() < RESTORE_NOTICE_HOURS)
            .map(|r| RestoreNotice {
                reason: r.reason,
                backup_taken_local: local(r.backup_taken_at, config),
                restored_local: local(r.restored_at, config),
                set_aside: r.set_aside.map(|p| p.display().to_string()),
                outbox: r.outbox,
            });
        Ok(BackupHealth {
            newest_at: newest.map(|t| t.to_string()),
            newest_age_seconds: newest.map(|t| now.duration_since(t).as_secs()),
            kept: copies.len(),
            failed,
            restored,
        })
    }
}

fn local(at: Timestamp, config: &Config) -> String {
    at.to_zoned_datetime(config.time_zone())
        .strftime("%d-%m-%Y %H:%M")
        .to_string()
}

/// Notes a restore for staff (kept in the restored store itself).
pub(super) fn record_restore(store: &mut Store, restored: &Restored) -> Result<()> {
    let json = serde_json::to_string(restored)
        .map_err(|e| Error::InvalidInput(format!("restore notice: {e}")))?;
    store.set_sync_facts(&[(RESTORED, Some(&json))])
}

/// Notes how a backup went: a failure stays until a backup works. Writes only when something
/// changes, so a kiosk whose backups work does not write to its store for them.
pub(super) fn record_outcome(store: &mut Store, failure: Option<&Error>, now: Timestamp) {
    let recorded = match failure {
        Some(error) => store.set_sync_facts(&[
            (FAILED_AT, Some(&now.to_string())),
            (FAILED_DETAIL, Some(&error.to_string())),
        ]),
        None => match store.sync_facts() {
            Ok(facts) if facts.contains_key(FAILED_AT) => {
                store.set_sync_facts(&[(FAILED_AT, None), (FAILED_DETAIL, None)])
            }
            Ok(_) => Ok(()),
            Err(error) => Err(error),
        },
    };
    if let Err(error) = recorded {
        log::error!("backup health not recorded: {error}");
    }
}
