//! The data folder's disk as staff see it: free space against `[doctor] min_free_disk_mb`, and
//! whether a write found the disk full.
//!
//! A full disk cannot record that it is full, so the kiosk keeps that in memory: the shell
//! hands every check-in's outcome to one [`DiskFullWatch`]. A check-in refused `disk_full`
//! raises the alarm; the next write that succeeds (a check-in, or the small test write
//! [`DiskFullWatch::health`] makes while the alarm is up) lowers it. So the alarm also ends by
//! itself once IT has freed space, even before the next applicant comes.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use jiff::Timestamp;
use serde::Serialize;

use crate::config::Config;
use crate::error::{is_storage_full, Error, ErrorCode};
use crate::texts::BothLanguages;

/// Name of the test file written (and removed at once) in the data folder while the alarm is
/// up. Hidden on Unix; never a name the kiosk uses for anything else.
pub const PROBE_FILE_NAME: &str = ".hadir-space-probe";

/// Size of the test write: a few SQLite pages, so that "there is room again" means room for a
/// check-in, not just for a few bytes.
const PROBE_BYTES: usize = 64 * 1024;

/// The disk at a glance, decided here so that no screen works it out for itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DiskState {
    Ok,
    /// Less free than `[doctor] min_free_disk_mb`: still working, IT should free space.
    Low,
    /// A write found no room and none has succeeded since: check-ins are refused `disk_full`.
    Full,
}

/// What the staff screen and the status corner show about the data folder's disk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiskHealth {
    pub state: DiskState,
    /// True unless `ok`: the status corner's disk icon.
    pub alarm: bool,
    /// Free space for the kiosk's user, in MB of 10^6 bytes; `None` when it cannot be read.
    pub free_mb: Option<u64>,
    pub min_free_mb: u64,
    /// When a write first found the disk full (office-local RFC 3339), while it still is.
    pub full_since: Option<String>,
    /// What could not be written then (`checkin`, `print_record`).
    pub refused: Option<String>,
    /// What to do about a full disk (`error.next.disk_full`).
    pub next_step: BothLanguages,
}

/// A write that found the disk full.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Refusal {
    since: Timestamp,
    what: String,
}

/// Whether an answer committed something to the store. Only a commit proves the disk takes
/// writes again: a refused scan or a walk-in refused for a full quota writes nothing, and must
/// not end the alarm while the disk is still full.
pub trait Committed {
    fn committed(&self) -> bool;
}

/// A print's outcome recorded.
impl Committed for () {
    fn committed(&self) -> bool {
        true
    }
}

/// The kiosk's memory of a full disk (one per kiosk process, shared by its commands).
#[derive(Debug, Default)]
pub struct DiskFullWatch {
    refusal: Mutex<Option<Refusal>>,
}

impl DiskFullWatch {
    /// Notes how a write (`what`: `checkin`, `print_record`) went: refused `disk_full` raises
    /// the alarm (keeping the first time), an answer that committed something lowers it; an
    /// answer that wrote nothing (a refused scan, a full quota) and other errors change nothing.
    pub fn note<T: Committed>(&self, what: &str, outcome: &Result<T, Error>, now: Timestamp) {
        let mut refusal = self.refusal.lock().unwrap_or_else(|p| p.into_inner());
        match outcome {
            Ok(answer) if !answer.committed() => {}
            Ok(_) => {
                if refusal.take().is_some() {
                    log::info!("disk: a write succeeded again ({what}): alarm off");
                }
            }
            Err(error) if error.error_code() == ErrorCode::DiskFull => {
                if refusal.is_none() {
                    log::error!("disk full: {what} refused: {error}");
                    *refusal = Some(Refusal {
                        since: now,
                        what: what.to_owned(),
                    });
                }
            }
            Err(_) => {}
        }
    }

    /// The disk now: while the alarm is up, first a test write in the data folder, which ends
    /// the alarm when it succeeds; then the free space against `[doctor] min_free_disk_mb`.
    /// Whether a write found the disk full and nothing has been written since (no test write
    /// is tried: [`Self::health`] does that).
    pub fn raised(&self) -> bool {
        self.refusal
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .is_some()
    }

    pub fn health(&self, config: &Config) -> DiskHealth {
        let data_dir = config.data_dir();
        let mut refusal = self.refusal.lock().unwrap_or_else(|p| p.into_inner());
        if refusal.is_some() && room_for_a_check_in(&data_dir) {
            log::info!("disk: the test write succeeded: alarm off");
            *refusal = None;
        }
        let free_mb = free_bytes(&data_dir).map(|bytes| bytes / 1_000_000);
        let min_free_mb = config.doctor.min_free_disk_mb;
        let state = judge(refusal.is_some(), free_mb, min_free_mb);
        let zone = config.time_zone();
        DiskHealth {
            state,
            alarm: state != DiskState::Ok,
            free_mb,
            min_free_mb,
            full_since: refusal
                .as_ref()
                .map(|r| crate::model::rfc3339(&r.since.to_zoned_datetime(zone.clone()))),
            refused: refusal.as_ref().map(|r| r.what.clone()),
            next_step: ErrorCode::DiskFull.next_step(),
        }
    }
}

/// The state from the facts: a refused write outweighs any free space the OS reports (a quota,
/// no inodes left, a disk that fills faster than it is measured).
fn judge(refused: bool, free_mb: Option<u64>, min_free_mb: u64) -> DiskState {
    match (refused, free_mb) {
        (true, _) => DiskState::Full,
        (false, Some(free)) if free < min_free_mb => DiskState::Low,
        _ => DiskState::Ok,
    }
}

/// Free bytes for this user on the disk holding `folder` (or its nearest existing parent).
fn free_bytes(folder: &Path) -> Option<u64> {
    let existing = folder.ancestors().find(|p| p.is_dir())?;
    fs4::available_space(existing).ok()
}

/// Writes, syncs and removes [`PROBE_BYTES`] in `data_dir`: true when all of it fit. Any
/// other failure (the folder is gone) is not a full disk and counts as room: the store's own
/// errors say what is wrong then.
fn room_for_a_check_in(data_dir: &Path) -> bool {
    let probe: PathBuf = data_dir.join(PROBE_FILE_NAME);
    let written = std::fs::File::create(&probe).and_then(|mut file| {
        file.write_all(&[0u8; PROBE_BYTES])?;
        file.sync_all()
    });
    let _ = std::fs::remove_file(&probe);
    match written {
        Ok(()) => true,
        Err(error) => !is_storage_full(&error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full_error() -> Error {
        Error::Store(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL),
            None,
        ))
    }

    fn config_in(dir: &Path) -> Config {
        let mut config = Config::default();
        config.kiosk.data_dir = Some(dir.to_owned());
        config.doctor.min_free_disk_mb = 1;
        config
    }

    #[test]
    fn the_state_follows_refusals_first_then_free_space() {
        assert_eq!(judge(true, Some(10_000), 500), DiskState::Full);
        assert_eq!(judge(false, Some(499), 500), DiskState::Low);
        assert_eq!(judge(false, Some(500), 500), DiskState::Ok);
        assert_eq!(
            judge(false, None, 500),
            DiskState::Ok,
            "unknown is no alarm"
        );
    }

    #[test]
    fn a_refused_check_in_raises_the_alarm_and_the_next_success_lowers_it() {
        let watch = DiskFullWatch::default();
        let first = Timestamp::from_second(1_795_915_800).expect("time"); // 09:30 WITA
        let later = Timestamp::from_second(1_795_915_900).expect("time");
        watch.note::<()>("checkin", &Err(full_error()), first);
        watch.note::<()>("print_record", &Err(full_error()), later);
        watch.note::<()>(
            "checkin",
            &Err(Error::InvalidInput("not about the disk".into())),
            later,
        );
        let refusal = watch.refusal.lock().expect("lock").clone();
        assert_eq!(
            refusal,
            Some(Refusal {
                since: first,
                what: "checkin".into()
            }),
            "the first refusal is kept; other errors change nothing"
        );
        watch.note("checkin", &Ok(()), later);
        assert_eq!(*watch.refusal.lock().expect("lock"), None);
    }

    /// An answer that wrote nothing (a refused scan, a full quota).
    struct NothingWritten;
    impl Committed for NothingWritten {
        fn committed(&self) -> bool {
            false
        }
    }

    #[test]
    fn an_answer_that_wrote_nothing_leaves_the_alarm_up() {
        let watch = DiskFullWatch::default();
        let at = Timestamp::from_second(1_795_915_800).expect("time");
        watch.note::<()>("checkin", &Err(full_error()), at);
        watch.note("checkin", &Ok(NothingWritten), at);
        assert!(
            watch.raised(),
            "nothing was written: the disk may still be full"
        );
        watch.note("checkin", &Ok(()), at);
        assert!(!watch.raised());
    }

    #[test]
    fn health_reports_the_refusal_in_office_time_until_a_test_write_succeeds() {
        let dir = tempfile::tempdir().expect("dir");
        let config = config_in(dir.path());
        let watch = DiskFullWatch::default();
        let at = Timestamp::from_second(1_795_915_800).expect("time");
        let calm = watch.health(&config);
        assert_eq!(calm.state, DiskState::Ok, "{calm:?}");
        assert!(!calm.alarm);
        assert!(
            calm.free_mb.is_some(),
            "a temp folder's disk can be measured"
        );

        watch.note::<()>("checkin", &Err(full_error()), at);
        // The disk has room (a temp folder): the test write succeeds and ends the alarm.
        let health = watch.health(&config);
        assert_eq!(health.state, DiskState::Ok, "{health:?}");
        assert!(
            !dir.path().join(PROBE_FILE_NAME).exists(),
            "the test file is removed"
        );
    }

    #[cfg(unix)]
    #[test]
    fn while_writes_find_no_room_the_alarm_stays_with_its_time_and_next_step() {
        // /dev/full answers every write with ENOSPC: a data folder on a full disk, as far as
        // the test write can tell. Its "file" exists, so the probe writes to it.
        if !Path::new("/dev/full").exists() {
            return;
        }
        let dir = tempfile::tempdir().expect("dir");
        let config = config_in(dir.path());
        std::os::unix::fs::symlink("/dev/full", dir.path().join(PROBE_FILE_NAME)).expect("link");
        let watch = DiskFullWatch::default();
        let at = Timestamp::from_second(1_795_915_800).expect("time");
        watch.note::<()>("checkin", &Err(full_error()), at);
        let health = watch.health(&config);
        assert_eq!(health.state, DiskState::Full);
        assert!(health.alarm);
        assert_eq!(
            health.full_since.as_deref(),
            Some("2026-11-29T09:30:00+08:00")
        );
        assert_eq!(health.refused.as_deref(), Some("checkin"));
        assert_eq!(health.next_step, ErrorCode::DiskFull.next_step());
    }
}
