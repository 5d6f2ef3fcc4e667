//! One kiosk process per data folder, whatever the desktop offers.
//!
//! Two kiosks on one folder would share one store and one printer: two windows handing out
//! numbers from one queue, two print jobs for one ticket. Unlike a desktop single-instance
//! mechanism (D-Bus on Linux), this lock needs only the file system. The shell takes it before
//! it opens anything else in the folder (log files, store), so a refused kiosk has touched
//! none of the running one's files. It is an advisory OS lock on `<data_dir>/hadir-kiosk.lock`
//! (`flock` on Unix, `LockFileEx` on Windows): the OS drops it when the process ends, `kill -9`
//! and crashes included, so a kiosk restarted after a crash is never blocked by the one that
//! died. The file itself stays behind between runs; an unlocked file means nothing.
//!
//! Only the kiosk takes it, and `hadir restore` while it replaces the store (so it refuses while a
//! kiosk runs): the rest of the admin CLI (`export`, `doctor`, `status`, `backup`) runs beside a
//! kiosk.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::Path;

use crate::error::{Error, Result};

/// File name of the lock inside the data folder.
pub const KIOSK_LOCK_FILE_NAME: &str = "hadir-kiosk.lock";

/// Held for the life of the kiosk process; dropping it (or the process ending) frees the folder.
#[derive(Debug)]
pub struct KioskLock {
    /// The open file carries the lock; it is never read again.
    _file: File,
}

impl KioskLock {
    /// Takes the folder for this process, creating the folder and the lock file if needed.
    /// Refused with [`Error::KioskAlreadyRunning`] while another process (or another
    /// `KioskLock` in this one) holds it; never waits.
    pub fn acquire(data_dir: &Path) -> Result<KioskLock> {
        std::fs::create_dir_all(data_dir).map_err(|e| {
            Error::io(
                format!("cannot create data directory {}", data_dir.display()),
                e,
            )
        })?;
        let path = data_dir.join(KIOSK_LOCK_FILE_NAME);
        let io_error = |e| Error::io(format!("kiosk lock file {}", path.display()), e);
        // No truncate on open: the holder's pid in the file must survive a refused start.
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io_error)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(Error::KioskAlreadyRunning {
                    data_dir: data_dir.display().to_string(),
                    pid: holder_pid(&mut file),
                })
            }
            Err(TryLockError::Error(e)) => return Err(io_error(e)),
        }
        // For the refusal message and for an operator reading the file; never trusted for the
        // decision (a pid left by a dead kiosk may belong to another process by now).
        file.set_len(0).map_err(io_error)?;
        file.rewind().map_err(io_error)?;
        writeln!(file, "{}", std::process::id()).map_err(io_error)?;
        Ok(KioskLock { _file: file })
    }
}

/// The pid the holder wrote, when it can be read: not yet written (a start in the same instant),
/// or unreadable because Windows locks are mandatory for reads from other handles, gives `None`.
fn holder_pid(file: &mut File) -> Option<u32> {
    let mut text = String::new();
    file.read_to_string(&mut text).ok()?;
    text.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_one_folder_is_refused_and_names_the_holder() {
        let dir = tempfile::tempdir().expect("temp dir");
        let first = KioskLock::acquire(dir.path()).expect("the first kiosk takes the folder");

        let error = KioskLock::acquire(dir.path()).expect_err("a second kiosk is refused");

        assert_eq!(error.code(), "kiosk_already_running", "{error}");
        let Error::KioskAlreadyRunning { data_dir, pid } = &error else {
            panic!("not a kiosk_already_running error: {error:?}");
        };
        assert_eq!(data_dir, &dir.path().display().to_string());
        if cfg!(unix) {
            // Windows locks keep other handles from reading the pid; Unix ones do not.
            assert_eq!(*pid, Some(std::process::id()), "the holder's pid: {error}");
            assert!(
                error.to_string().contains(&std::process::id().to_string()),
                "the message names the holder's pid: {error}"
            );
        }
        assert!(
            error
                .to_string()
                .contains(&dir.path().display().to_string()),
            "the message names the folder: {error}"
        );
        drop(first);
    }

    #[test]
    fn the_folder_is_free_again_once_the_holder_lets_go() {
        let dir = tempfile::tempdir().expect("temp dir");
        let first = KioskLock::acquire(dir.path()).expect("first lock");
        drop(first);

        KioskLock::acquire(dir.path()).expect("a restarted kiosk takes the folder again");
    }

    #[test]
    fn a_lock_file_left_by_a_dead_kiosk_does_not_block_the_next_start() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(KIOSK_LOCK_FILE_NAME);
        // A kiosk that was killed leaves its file with its pid, but no lock: the OS dropped it.
        std::fs::write(&path, "4194303\n").expect("stale lock file");

        let lock = KioskLock::acquire(dir.path()).expect("a stale file is not a lock");
        drop(lock); // Windows locks also keep this test from reading the file

        let written = std::fs::read_to_string(&path).expect("lock file");
        assert_eq!(
            written.trim(),
            std::process::id().to_string(),
            "the new holder replaces the dead one's pid"
        );
    }

    #[test]
    fn the_data_folder_is_created_when_missing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let data_dir = dir.path().join("new").join("data");

        let _lock = KioskLock::acquire(&data_dir).expect("lock in a new folder");

        assert!(data_dir.join(KIOSK_LOCK_FILE_NAME).is_file());
    }
}
