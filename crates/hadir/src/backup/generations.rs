//! The copies in a backup folder: their names, writing one so that only a verified copy ever
//! bears a generation's name, and keeping the newest N.
//!
//! A generation is `hadir-backup-<sequence>-<UTC time>.sqlite3`, e.g.
//! `hadir-backup-000042-20261129T004107Z.sqlite3`. The sequence orders them (a clock set back
//! cannot make a new copy look older than an old one); the time says from when it is. A copy
//! is written as `.hadir-backup-....sqlite3.part`, checked with `PRAGMA integrity_check`, synced
//! and only then renamed: a name without `.part` is always a complete, verified copy.

use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::store::{sync_folder_of, verify_copy, Store};

const PREFIX: &str = "hadir-backup-";
const SUFFIX: &str = ".sqlite3";
const PART: &str = ".part";
/// The time in a name: UTC to the second, no characters Windows refuses in file names.
const TIME_FORMAT: &str = "%Y%m%dT%H%M%S";
/// A temporary file older than this was left by a copy that died (a crash, a power cut).
const STALE_PART_SECONDS: u64 = 3600;

/// One verified copy of the store in a backup folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Generation {
    pub path: PathBuf,
    /// Its file name, e.g. `hadir-backup-000042-20261129T004107Z.sqlite3`.
    pub name: String,
    /// Counts up by one per copy in its folder.
    pub sequence: u64,
    /// The kiosk's clock when the copy was taken (from the name).
    pub taken_at: Timestamp,
    pub size_bytes: u64,
}

/// The generations in `dir`, newest (highest sequence) first; none when the folder is not
/// there. Files of other names (temporaries, anything an operator put there) are not listed.
pub fn list(dir: &Path) -> Result<Vec<Generation>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(format!("cannot list {}", dir.display()), e)),
    };
    let mut generations: Vec<Generation> = entries
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let (sequence, taken_at) = parse_name(&name)?;
            let meta = entry.metadata().ok().filter(std::fs::Metadata::is_file)?;
            Some(Generation {
                path: entry.path(),
                name,
                sequence,
                taken_at,
                size_bytes: meta.len(),
            })
        })
        .collect();
    generations.sort_by(|a, b| b.sequence.cmp(&a.sequence).then(b.name.cmp(&a.name)));
    Ok(generations)
}

/// `(sequence, time)` of a generation's file name.
fn parse_name(name: &str) -> Option<(u64, Timestamp)> {
    let middle = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    let (sequence, time) = middle.split_once('-')?;
    if sequence.is_empty() || !sequence.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let time = time.strip_suffix('Z')?;
    let civil = jiff::civil::DateTime::strptime(TIME_FORMAT, time).ok()?;
    let taken_at = civil
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .ok()?
        .timestamp();
    Some((sequence.parse().ok()?, taken_at))
}

fn name_for(sequence: u64, taken_at: Timestamp) -> String {
    let time = taken_at
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .strftime(TIME_FORMAT);
    format!("{PREFIX}{sequence:06}-{time}Z{SUFFIX}")
}

/// Writes a new generation of `store` into `dir` (made if missing): the online copy under a
/// temporary name, its integrity check, a sync, then its name. A copy that fails the check is
/// deleted and the error says so; nothing of it keeps a generation's name. Its sequence comes
/// after every generation in `dir` and in `copied_to` (the stick it will be copied to): a
/// backup folder started again at 1 (a new disk, `backup.dir` changed) must not make the new
/// copy older than the stick's, or the stick's rotation would delete it and a restore pick the
/// stick's stale one.
pub fn write(
    store: &Store,
    dir: &Path,
    copied_to: Option<&Path>,
    now: Timestamp,
) -> Result<Generation> {
    std::fs::create_dir_all(dir)
        .map_err(|e| failed(format!("cannot create {}: {e}", dir.display())))?;
    let mut newest = list(dir)?.first().map_or(0, |g| g.sequence);
    if let Some(other) = copied_to {
        // A stick that cannot be listed now changes nothing here; copying to it says why.
        if let Ok(generations) = list(other) {
            newest = newest.max(generations.first().map_or(0, |g| g.sequence));
        }
    }
    let sequence = newest + 1;
    let name = name_for(sequence, now);
    if parse_name(&name).is_none() {
        // A year outside 0000-9999 (a clock gone wild, `--at` misused) makes no readable name.
        return Err(failed(format!(
            "the clock ({now}) gives no usable backup name"
        )));
    }
    let temporary = dir.join(format!(".{name}{PART}"));
    remove_if_there(&temporary)?;
    let written = store
        .backup_into(&temporary)
        .and_then(|()| check_and_sync(&temporary));
    if let Err(error) = written {
        let _ = std::fs::remove_file(&temporary);
        return Err(as_backup_failure(error));
    }
    publish(&temporary, &dir.join(&name))
}

/// Copies a generation into another folder (a USB stick) the same way: temporary name, the
/// copy's own integrity check (sticks fail), sync, name.
pub fn copy_to(generation: &Generation, dir: &Path) -> Result<Generation> {
    std::fs::create_dir_all(dir)
        .map_err(|e| failed(format!("cannot create {}: {e}", dir.display())))?;
    let temporary = dir.join(format!(".{}{PART}", generation.name));
    remove_if_there(&temporary)?;
    let copied = std::fs::copy(&generation.path, &temporary)
        .map_err(|e| {
            failed(format!(
                "cannot copy {} to {}: {e}",
                generation.name,
                dir.display()
            ))
        })
        .and_then(|_| check_and_sync(&temporary));
    if let Err(error) = copied {
        let _ = std::fs::remove_file(&temporary);
        return Err(as_backup_failure(error));
    }
    publish(&temporary, &dir.join(&generation.name))
}

/// The integrity check of a copy at `path`, then its bytes to the disk.
fn check_and_sync(path: &Path) -> Result<()> {
    // A copy SQLite cannot even read through fails the check as well as one with problems.
    let verdict = verify_copy(path).unwrap_or_else(|e| e.to_string());
    if verdict != "ok" {
        return Err(failed(format!(
            "the copy failed its integrity check ({verdict}); it was deleted"
        )));
    }
    std::fs::File::open(path)
        .and_then(|file| file.sync_all())
        .map_err(|e| failed(format!("cannot sync {}: {e}", path.display())))
}

/// Gives a checked temporary copy its generation's name, durably.
fn publish(temporary: &Path, path: &Path) -> Result<Generation> {
    std::fs::rename(temporary, path).map_err(|e| {
        let _ = std::fs::remove_file(temporary);
        failed(format!("cannot name {}: {e}", path.display()))
    })?;
    sync_folder_of(path)?;
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_owned();
    let (sequence, taken_at) =
        parse_name(&name).ok_or_else(|| failed(format!("{name} is not a backup's name")))?;
    let size_bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    Ok(Generation {
        path: path.to_owned(),
        name,
        sequence,
        taken_at,
        size_bytes,
    })
}

/// Deletes the oldest generations in `dir` beyond the newest `keep`, and temporary copies a
/// dead copy left (older than an hour; a younger one may be another process's, still being
/// written). Returns what was deleted.
pub fn keep_newest(dir: &Path, keep: usize) -> Result<Vec<PathBuf>> {
    let mut deleted = Vec::new();
    for old in list(dir)?.into_iter().skip(keep) {
        std::fs::remove_file(&old.path)
            .map_err(|e| Error::io(format!("cannot delete {}", old.path.display()), e))?;
        deleted.push(old.path);
    }
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let stale = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|modified| modified.elapsed().ok())
            .is_some_and(|age| age.as_secs() > STALE_PART_SECONDS);
        let dead_part = name.starts_with(&format!(".{PREFIX}")) && name.ends_with(PART) && stale;
        if dead_part && std::fs::remove_file(entry.path()).is_ok() {
            deleted.push(entry.path());
        }
    }
    Ok(deleted)
}

fn remove_if_there(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(failed(format!("cannot remove {}: {e}", path.display())))
        }
        _ => Ok(()),
    }
}

fn failed(what: String) -> Error {
    Error::BackupFailed(what)
}

/// Every failure of a copy reads as `backup_failed`, with the cause in its message.
fn as_backup_failure(error: Error) -> Error {
    match error {
        Error::BackupFailed(_) => error,
        other => failed(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_reads_back_as_its_sequence_and_time() {
        let at: Timestamp = "2026-11-29T00:41:07Z".parse().expect("time");
        let name = name_for(42, at);
        assert_eq!(name, "hadir-backup-000042-20261129T004107Z.sqlite3");
        assert_eq!(parse_name(&name), Some((42, at)));
        assert_eq!(
            parse_name("hadir-backup-1234567-20261129T004107Z.sqlite3"),
            Some((1_234_567, at)),
            "more than six digits still count"
        );
        for other in [
            ".hadir-backup-000042-20261129T004107Z.sqlite3.part",
            "hadir-backup--20261129T004107Z.sqlite3",
            "hadir-backup-00x042-20261129T004107Z.sqlite3",
            "hadir-backup-000042-20261329T004107Z.sqlite3",
            "hadir.sqlite3",
        ] {
            assert_eq!(parse_name(other), None, "{other}");
        }
    }
}
