//! The kiosk's one SQLite file: the appointment cache, check-ins, tickets and the outbox.

mod access;
mod ahead;
mod appointments;
mod backup;
mod checkins;
mod hub;
mod inspect;
mod migrations;
mod number_marks;
mod ratings;
mod report;
mod settings;
mod staff;
mod staff_mode;
mod sync;
mod walkins;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;

use crate::error::{Error, Result};

pub use access::StoreAccess;
pub use appointments::CachedAppointment;
pub use appointments::{FeedApplied, FeedSource};
pub use backup::{examine, is_damage, verify_copy, StoreFile};
pub use checkins::{
    ApplicantSlot, BookingTicketFacts, IssuedTicket, NewCheckin, Numbering, PrintOutcome,
    StaffCheckin,
};
pub use hub::{HubDouble, PendingCheckin};
pub use inspect::{inspect, stored_kiosk_settings, Inspection};
pub use number_marks::{sync_folder_of, BLOCK as NUMBER_BLOCK, NUMBER_MARKS_FILE_NAME};
pub use ratings::{NewRating, RatableTicket};
pub use report::{BookedSlotRow, NoShowDay, RatingRow, StaffActionRow, TicketRow};
pub use staff::{AuditCheck, AuditEntry};
pub use staff_mode::{LastPrint, Purged, StoredTicketFacts};
pub use sync::{OutboxEvent, RejectedEvent, Settled};
pub use walkins::{
    is_walkin_reference, is_walkin_ticket_id, NewWalkin, PendingRelease, PendingWalkin,
    WalkinByStaff, WalkinRow, WalkinTicket, WALKIN_REFERENCE_PREFIX, WALKIN_TICKET_ID_PREFIX,
};

/// The schema version this program writes: the number of migrations it knows. A store with a
/// higher `PRAGMA user_version` was written by a newer Hadir and is refused, untouched.
pub const SCHEMA_VERSION: i64 = migrations::MIGRATIONS.len() as i64;

/// Prepared statements kept per connection (`prepare_cached`).
const STATEMENT_CACHE: usize = 128;

/// File name of the store inside the data directory.
pub const STORE_FILE_NAME: &str = "hadir.sqlite3";

/// The open store. One per process; callers serialise access (the shell holds it in a mutex).
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// The numbers reserved outside the database, beside it (`number_marks`).
    marks: number_marks::NumberMarks,
    /// Calls of [`Store::prepare_next_checkin`] until it next checkpoints the log (`ahead`).
    checkpoint_countdown: std::sync::atomic::AtomicU32,
}

impl Store {
    /// Opens (creating if needed) `<data_dir>/hadir.sqlite3` and brings its schema up to date.
    pub fn open_in(data_dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(data_dir).map_err(|e| {
            Error::io(
                format!("cannot create data directory {}", data_dir.display()),
                e,
            )
        })?;
        Store::open(&data_dir.join(STORE_FILE_NAME))
    }

    /// Opens `<data_dir>/hadir.sqlite3` only if it is there: a command that reads a kiosk's
    /// data must not leave an empty store (and data folder) where it looked by mistake.
    pub fn open_existing_in(data_dir: &Path) -> Result<Store> {
        let path = data_dir.join(STORE_FILE_NAME);
        if !path.is_file() {
            return Err(Error::StoreMissing {
                path: path.display().to_string(),
            });
        }
        Store::open(&path)
    }

    /// Opens the store file at `path` with the pragmas every connection needs. A store written
    /// by a newer Hadir is refused before anything is written to it (see [`refuse_if_newer`]).
    pub fn open(path: &Path) -> Result<Store> {
        refuse_if_newer(path)?;
        let new_file = !path.exists();
        let mut conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(5))?;
        // The store has some 80 statements; the default cache of 16 would let the survey, the
        // reports or the display push the check-in's own out and have them parsed again.
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        // WAL lets a reader (an export, the CLI) run beside the kiosk. synchronous=FULL makes every
        // commit reach the disk before it returns, so a number that was printed survives a power
        // cut; the kiosk writes a handful of rows a minute, so the cost does not matter.
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            log::warn!("SQLite refused WAL mode (got {mode}); continuing with it");
        }
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        migrate(&mut conn, path)?;
        let mut store = Store {
            conn,
            path: path.to_owned(),
            marks: number_marks::NumberMarks::beside(path),
            checkpoint_countdown: ahead::CHECKPOINT_EVERY.into(),
        };
        if new_file {
            // A new store in a folder whose earlier store issued numbers today (moved away by
            // hand, lost) goes on above them, as a restored one does.
            let raised = store.raise_counters_to_marks()?;
            if raised > 0 {
                log::warn!("new store: {raised} queue counters start above the reserved numbers");
            }
        }
        Ok(store)
    }

    /// Turns off fsync on commit. For benchmarks only, to report the fsync cost apart: a kiosk
    /// must never run like this (a printed number could be lost in a power cut).
    pub fn without_fsync_for_benchmarks(mut self) -> Result<Store> {
        self.conn.pragma_update(None, "synchronous", "OFF")?;
        self.marks.without_fsync_for_benchmarks();
        Ok(self)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// SQLite's own consistency check: `"ok"` or the first problems it found.
    pub fn integrity_check(&self) -> Result<String> {
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let lines: Vec<String> = stmt
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(lines.join("; "))
    }

    /// The VDBE opcodes SQLite compiles `sql` to (tests check hot statements stay cheap).
    #[cfg(test)]
    pub(crate) fn explain_opcodes(&self, sql: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare(&format!("EXPLAIN {sql}"))?;
        let count = stmt.parameter_count();
        let nulls = vec![rusqlite::types::Null; count];
        let opcodes = stmt
            .query_map(rusqlite::params_from_iter(nulls), |row| row.get(1))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(opcodes)
    }

    /// SQLite's query plan for `sql`, one line per step (tests check hot reads use an index).
    #[cfg(test)]
    pub(crate) fn explain_query_plan(&self, sql: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
        let nulls = vec![rusqlite::types::Null; stmt.parameter_count()];
        let plan = stmt
            .query_map(rusqlite::params_from_iter(nulls), |row| row.get(3))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(plan)
    }

    /// A disk with no room left, as far as this connection can tell (`true`), or room again
    /// (`false`): the database may not grow past its current size (`PRAGMA max_page_count`),
    /// so a write that needs a new page gets `SQLITE_FULL`, as on a full disk.
    #[cfg(test)]
    pub(crate) fn fill_disk_for_tests(&self, full: bool) -> Result<()> {
        let pages: i64 = if full {
            self.conn
                .query_row("PRAGMA page_count", [], |row| row.get(0))?
        } else {
            i64::from(u32::MAX - 1)
        };
        self.conn.pragma_update(None, "max_page_count", pages)?;
        Ok(())
    }

    /// One number the test's own SQL counts (rows, sums), independent of the store's queries.
    #[cfg(test)]
    pub(crate) fn count_for_tests(&self, sql: &str) -> Result<i64> {
        Ok(self.conn.query_row(sql, [], |row| row.get(0))?)
    }

    /// Schema version after migrations: the number of migrations applied.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))?)
    }
}

/// Refuses a store whose schema is newer than [`SCHEMA_VERSION`], leaving its file as it was.
///
/// `Store::open` switches the file to WAL, which rewrites the header of a file in rollback
/// mode (a backup, a copy made with the `sqlite3` tool), and takes a write lock to migrate. So
/// the version is read first, on a plain connection that sets no pragma. Reading a WAL file
/// makes SQLite create `-wal` and `-shm` beside it; closing the last connection removes them
/// again (checkpointing an empty WAL writes nothing). Only a `-wal` left by a crashed newer
/// kiosk would be checkpointed into the file on close; that is why checkpoint-on-close is off
/// when one was already there: then the file and its `-wal` stay as they were (SQLite may
/// rebuild the `-shm` index beside them, which holds no data).
fn refuse_if_newer(path: &Path) -> Result<()> {
    if !path.is_file() {
        return Ok(()); // a new store (or ":memory:"): nothing to protect
    }
    let had_wal = wal_path(path).exists();
    let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE)?;
    // A running kiosk may hold the file (the CLI beside it, the sync task's own connection).
    conn.busy_timeout(Duration::from_secs(5))?;
    if had_wal {
        conn.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE,
            true,
        )?;
    }
    let found: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    drop(conn);
    if found > SCHEMA_VERSION {
        return Err(Error::StoreTooNew {
            path: path.display().to_string(),
            found,
            known: SCHEMA_VERSION,
        });
    }
    Ok(())
}

/// SQLite's write-ahead log beside the store file: `<file>-wal`.
fn wal_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push("-wal");
    PathBuf::from(name)
}

fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
    let known = SCHEMA_VERSION;
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let found: i64 = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    // Checked before the open too; checked again here, under the write lock, in case a newer
    // Hadir migrated the file in between.
    if found > known {
        return Err(Error::StoreTooNew {
            path: path.display().to_string(),
            found,
            known,
        });
    }
    for (index, migration) in migrations::MIGRATIONS
        .iter()
        .enumerate()
        .skip(found as usize)
    {
        log::info!("applying store migration {}", migration.id);
        tx.execute_batch(migration.sql)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
    }
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn fresh_store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open_in(dir.path()).expect("fresh store opens");
        (dir, store)
    }

    #[test]
    fn fresh_store_has_all_migrations_and_pragmas() {
        let (_dir, store) = fresh_store();
        assert_eq!(
            store.schema_version().expect("version"),
            migrations::MIGRATIONS.len() as i64
        );
        let mode: String = store
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .expect("pragma");
        assert_eq!(mode, "wal", "WAL lets readers run beside the kiosk");
        let sync: i64 = store
            .conn
            .query_row("PRAGMA synchronous", [], |r| r.get(0))
            .expect("pragma");
        assert_eq!(
            sync, 2,
            "synchronous=FULL keeps printed numbers across a power cut"
        );
        let fk: i64 = store
            .conn
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .expect("pragma");
        assert_eq!(fk, 1);
    }

    #[test]
    fn reopening_does_not_rerun_migrations() {
        let (dir, store) = fresh_store();
        drop(store);
        let again = Store::open_in(dir.path()).expect("reopen");
        assert_eq!(
            again.schema_version().expect("version"),
            migrations::MIGRATIONS.len() as i64
        );
    }

    #[test]
    fn migrating_from_the_first_schema_keeps_rows_and_the_cascade() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(STORE_FILE_NAME);
        {
            let conn = Connection::open(&path).expect("opens");
            conn.execute_batch(migrations::MIGRATIONS[0].sql)
                .expect("0001");
            conn.pragma_update(None, "user_version", 1)
                .expect("version");
            conn.execute_batch(
                "INSERT INTO appointments VALUES ('MPOLD00001', 'KANIM-KUPANG', '2026-11-29',
                     '08:00', '09:00', 'baru', 0, 'booked', '2026-11-28T06:00:00Z');
                 INSERT INTO applicants VALUES ('MPOLD00001', 0, 'A', '1990-01-01', '1234', 'anak');
                 INSERT INTO outbox (nonce, kind, body, created_at) VALUES ('n1', 'checkin', '{}', 't');",
            )
            .expect("rows of version 1");
        }
        let store = Store::open(&path).expect("migrates");
        assert_eq!(
            store.schema_version().expect("version"),
            migrations::MIGRATIONS.len() as i64
        );
        let cached = store
            .find_appointment("MPOLD00001")
            .expect("reads")
            .expect("kept");
        assert_eq!(cached.appointment.applicants.len(), 1);
        assert_eq!(store.outbox_len().expect("count"), 1);
        let parent: String = store
            .conn
            .query_row(
                "SELECT \"table\" FROM pragma_foreign_key_list('applicants')",
                [],
                |r| r.get(0),
            )
            .expect("fk");
        assert_eq!(
            parent, "appointments",
            "the child points at the renamed parent"
        );
        store
            .conn
            .execute(
                "DELETE FROM appointments WHERE booking_code = 'MPOLD00001'",
                [],
            )
            .expect("deletes");
        let left: i64 = store
            .conn
            .query_row("SELECT COUNT(*) FROM applicants", [], |r| r.get(0))
            .expect("count");
        assert_eq!(left, 0, "ON DELETE CASCADE survived the rebuild");
        assert_eq!(store.integrity_check().expect("check"), "ok");
    }

    #[test]
    fn opening_an_existing_store_creates_nothing_where_there_is_none() {
        let dir = tempfile::tempdir().expect("temp dir");
        let data_dir = dir.path().join("data");
        let err = Store::open_existing_in(&data_dir).expect_err("no store yet");
        assert_eq!(err.code(), "store_missing");
        assert!(
            err.to_string().contains(&data_dir.display().to_string()),
            "names where it looked: {err}"
        );
        assert!(!data_dir.exists(), "not even the data folder was made");
        drop(Store::open_in(&data_dir).expect("the kiosk makes it"));
        let store = Store::open_existing_in(&data_dir).expect("now it is there");
        assert_eq!(store.path(), data_dir.join(STORE_FILE_NAME));
    }

    #[test]
    fn a_newer_schema_is_refused_not_guessed() {
        let (dir, store) = fresh_store();
        store
            .conn
            .pragma_update(None, "user_version", 999)
            .expect("bump");
        drop(store);
        let err = Store::open_in(dir.path()).expect_err("too new");
        assert_eq!(err.code(), "store_too_new");
    }

    /// Each file in `dir` with the SHA-256 of its bytes; `-shm` files by name only (SQLite
    /// rebuilds that index from the WAL whenever it likes; it holds no data).
    fn folder_files(dir: &Path) -> std::collections::BTreeMap<String, String> {
        use sha2::Digest;
        std::fs::read_dir(dir)
            .expect("lists")
            .map(|entry| {
                let path = entry.expect("entry").path();
                let name = path
                    .file_name()
                    .expect("name")
                    .to_string_lossy()
                    .into_owned();
                let digest = if name.ends_with("-shm") {
                    String::new()
                } else {
                    let bytes = std::fs::read(&path).expect("reads");
                    sha2::Sha256::digest(bytes)
                        .iter()
                        .map(|b| format!("{b:02x}"))
                        .collect()
                };
                (name, digest)
            })
            .collect()
    }

    /// A store of the next schema version, as a newer Hadir would leave it, in `journal_mode`;
    /// with `crashed`, the version bump is still in the `-wal` (the newer kiosk lost power
    /// before a checkpoint), so only a reader that honours the WAL sees it.
    fn newer_store(journal_mode: &str, crashed: bool) -> tempfile::TempDir {
        let (dir, store) = fresh_store();
        drop(store);
        let conn = Connection::open(dir.path().join(STORE_FILE_NAME)).expect("opens");
        let _: String = conn
            .query_row(&format!("PRAGMA journal_mode = {journal_mode}"), [], |r| {
                r.get(0)
            })
            .expect("journal mode");
        if crashed {
            conn.set_db_config(
                rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE,
                true,
            )
            .expect("no checkpoint on close");
        }
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .expect("bump");
        drop(conn);
        dir
    }

    #[test]
    fn a_newer_store_is_refused_and_left_byte_for_byte_as_it_was() {
        let mut changed = Vec::new();
        for (journal_mode, crashed) in [("delete", false), ("wal", false), ("wal", true)] {
            let dir = newer_store(journal_mode, crashed);
            let before = folder_files(dir.path());
            assert_eq!(
                before.keys().any(|name| name.ends_with("-wal")),
                crashed,
                "{journal_mode}: the set-up left a WAL only for the crash case"
            );
            let err = Store::open_in(dir.path()).expect_err("a newer schema is refused");
            assert_eq!(err.code(), "store_too_new", "{journal_mode}: {err}");
            assert!(
                err.to_string().contains(&format!(
                    "schema version {}, newer than this Hadir knows ({SCHEMA_VERSION})",
                    SCHEMA_VERSION + 1
                )),
                "the message names both versions: {err}"
            );
            let after = folder_files(dir.path());
            if after != before {
                changed.push(format!(
                    "{journal_mode} (crashed: {crashed}): before {before:?}, after {after:?}"
                ));
            }
        }
        assert!(
            changed.is_empty(),
            "a refused store and its folder stay as they were: {changed:#?}"
        );
    }
}
