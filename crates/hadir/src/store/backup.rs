//! The store's share of backups: an online copy through SQLite's backup API, a look at a store
//! file that says whether it is sound, and what a restored copy needs before it serves.
//! Which copies exist, when one is due and when one is restored: `crate::backup`.

use std::path::Path;
use std::time::Duration;

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, ErrorCode, OpenFlags};

use super::number_marks::read_marks;
#[cfg(test)]
use super::number_marks::NUMBER_MARKS_FILE_NAME;
use super::Store;
use crate::error::{Error, Result};

/// How a store file looks before it is opened for work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreFile {
    /// No file: a new kiosk (or one whose file went).
    Missing,
    /// SQLite reads it and its quick check passes.
    Sound,
    /// Not usable; the words say why (for logs, staff and IT).
    Damaged(String),
}

/// Times SQLite may answer "busy" while the copy waits for a writer to finish.
const BUSY_TRIES: u32 = 50;
const BUSY_PAUSE: Duration = Duration::from_millis(100);

impl Store {
    /// Copies the store, as it is at one moment, to a new file at `dest` with SQLite's online
    /// backup API: the kiosk keeps writing meanwhile (WAL), and the copy is one consistent
    /// snapshot (all pages in one step). The copy is a single file in rollback-journal mode,
    /// so it travels without a `-wal` beside it. `dest` must not exist.
    pub fn backup_into(&self, dest: &Path) -> Result<()> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE;
        let mut copy = Connection::open_with_flags(dest, flags)?;
        {
            let backup = Backup::new(&self.conn, &mut copy)?;
            let mut tries = 0;
            loop {
                match backup.step(-1)? {
                    StepResult::Done => break,
                    StepResult::More | StepResult::Busy | StepResult::Locked
                        if tries < BUSY_TRIES =>
                    {
                        tries += 1;
                        std::thread::sleep(BUSY_PAUSE);
                    }
                    _ => {
                        return Err(Error::BackupFailed(format!(
                            "the store stayed busy; no copy made at {}",
                            dest.display()
                        )))
                    }
                }
            }
        }
        let _: String = copy.query_row("PRAGMA journal_mode = DELETE", [], |row| row.get(0))?;
        copy.close().map_err(|(_, e)| Error::Store(e))?;
        Ok(())
    }

    /// After a restore: every counter resumes above the numbers reserved in the marks file
    /// beside the store ([`super::number_marks`]), so no number printed since the backup is
    /// issued again. Returns the counters raised.
    pub fn raise_counters_to_marks(&mut self) -> Result<usize> {
        let Some(file) = self.marks.file() else {
            return Ok(0);
        };
        let marks = read_marks(file);
        if marks.is_empty() {
            return Ok(0);
        }
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut raised = 0;
        for ((date, counter), mark) in &marks {
            raised += tx
                .prepare_cached(
                    "INSERT INTO queue_counters (office_date, queue, last_number) VALUES (?1, ?2, ?3)
                     ON CONFLICT (office_date, queue) DO UPDATE SET last_number = excluded.last_number
                     WHERE last_number < excluded.last_number",
                )?
                .execute(rusqlite::params![date, counter, mark])?;
        }
        tx.commit()?;
        Ok(raised)
    }

    /// Forgets every day's delta cursor: after a restore the next pull of each day asks for
    /// the full list, so bookings changed since the backup are fetched again.
    pub fn forget_all_feed_cursors(&mut self) -> Result<()> {
        self.conn.execute("DELETE FROM feed_cursors", [])?;
        Ok(())
    }
}

/// Looks at the store file at `path` without changing it: missing, sound (SQLite opens it and
/// `PRAGMA quick_check` passes) or damaged (empty, not a database, malformed pages, a
/// write-ahead log that does not fit it). An error is a file that could not be looked at for
/// another reason (permissions, a busy lock): not a verdict on the file.
pub fn examine(path: &Path) -> Result<StoreFile> {
    let size = match std::fs::metadata(path) {
        Ok(meta) => meta.len(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(StoreFile::Missing),
        Err(e) => return Err(Error::io(format!("cannot read {}", path.display()), e)),
    };
    // SQLite takes an empty file for a new database and would start an empty store on it.
    if size == 0 {
        return Ok(StoreFile::Damaged("the file is empty (0 bytes)".into()));
    }
    match quick_check(path) {
        Ok(verdict) if verdict == "ok" => Ok(StoreFile::Sound),
        Ok(problems) => Ok(StoreFile::Damaged(problems)),
        Err(Error::Store(e)) if is_damage(&e) => Ok(StoreFile::Damaged(e.to_string())),
        Err(e) => Err(e),
    }
}

fn quick_check(path: &Path) -> Result<String> {
    let conn = super::inspect::open_for_a_look(path)?;
    let mut stmt = conn.prepare("PRAGMA quick_check")?;
    let lines: Vec<String> = stmt
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(lines.join("; "))
}

/// Whether SQLite's error says the file itself is bad (rather than busy, or not allowed).
pub fn is_damage(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase)
    )
}

/// SQLite's full consistency check of a copy at `path` (it must exist): `"ok"`, or its first
/// problems. A file SQLite cannot read at all is an error.
pub fn verify_copy(path: &Path) -> Result<String> {
    Ok(super::inspect(path)?.integrity)
}

#[cfg(test)]
mod tests {
    use super::super::tests::fresh_store;
    use super::*;

    #[test]
    fn a_copy_is_one_sound_file_with_the_rows_of_the_moment() {
        let (dir, store) = fresh_store();
        store
            .conn
            .execute(
                "INSERT INTO outbox (nonce, kind, body, created_at) VALUES ('n1', 'checkin', '{}', 't')",
                [],
            )
            .expect("row");
        let copy = dir.path().join("copy.sqlite3");
        store.backup_into(&copy).expect("copied");
        assert_eq!(verify_copy(&copy).expect("checks"), "ok");
        let mut wal = copy.as_os_str().to_owned();
        wal.push("-wal");
        assert!(!Path::new(&wal).exists(), "no -wal travels with the copy");
        let restored = Store::open(&copy).expect("opens");
        assert_eq!(restored.outbox_len().expect("count"), 1);
    }

    #[test]
    fn examine_tells_missing_sound_and_empty_apart() {
        let (dir, store) = fresh_store();
        let path = store.path().to_owned();
        assert_eq!(examine(&path).expect("looks"), StoreFile::Sound);
        drop(store);
        assert_eq!(
            examine(&dir.path().join("none.sqlite3")).expect("looks"),
            StoreFile::Missing
        );
        std::fs::write(&path, b"").expect("emptied");
        assert!(matches!(
            examine(&path).expect("looks"),
            StoreFile::Damaged(why) if why.contains("empty")
        ));
        std::fs::write(&path, b"hadir was here, not SQLite").expect("overwritten");
        assert!(matches!(
            examine(&path).expect("looks"),
            StoreFile::Damaged(_)
        ));
    }

    #[test]
    fn counters_rise_to_the_marks_and_never_fall() {
        let (dir, mut store) = fresh_store();
        store
            .conn
            .execute_batch(
                "INSERT INTO queue_counters VALUES ('2026-11-29', 'A', 5), ('2026-11-29', 'B', 90);",
            )
            .expect("counters");
        std::fs::write(
            dir.path().join(NUMBER_MARKS_FILE_NAME),
            "2026-11-29 A 40\n2026-11-29 B 60\n2026-11-29 P 20\n",
        )
        .expect("marks");
        assert_eq!(store.raise_counters_to_marks().expect("raised"), 2);
        let counters: Vec<(String, i64)> = store
            .conn
            .prepare("SELECT queue, last_number FROM queue_counters ORDER BY queue")
            .expect("prepare")
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("query")
            .collect::<rusqlite::Result<_>>()
            .expect("rows");
        assert_eq!(
            counters,
            [("A".into(), 40), ("B".into(), 90), ("P".into(), 20)]
        );
    }
}
