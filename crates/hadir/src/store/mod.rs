//! The kiosk's one SQLite file: the appointment cache, check-ins, tickets and the outbox.

mod appointments;
mod checkins;
mod frontdesk;
mod hub;
mod migrations;
mod ratings;
mod report;
mod settings;
mod staff;
mod sync;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;

use crate::error::{Error, Result};

pub use appointments::CachedAppointment;
pub use appointments::{FeedApplied, FeedSource};
pub use checkins::{
    ApplicantSlot, BookingTicketFacts, IssuedTicket, NewCheckin, Numbering, PrintOutcome,
    StaffCheckin,
};
pub use frontdesk::{LastPrint, Purged, StoredTicketFacts};
pub use hub::{HubDouble, PendingCheckin};
pub use ratings::{NewRating, RatableTicket};
pub use report::{NoShowDay, RatingRow, StaffActionRow, TicketRow};
pub use staff::{AuditCheck, AuditEntry, StaffAccount};
pub use sync::{OutboxEvent, RejectedEvent, Settled};

/// The schema version this program writes: the number of migrations it knows. A store with a
/// higher `PRAGMA user_version` was written by a newer Hadir and is refused, untouched.
pub const SCHEMA_VERSION: i64 = migrations::MIGRATIONS.len() as i64;

/// File name of the store inside the data directory.
pub const STORE_FILE_NAME: &str = "hadir.sqlite3";

/// The open store. One per process; callers serialise access (the shell holds it in a mutex).
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
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

    /// Opens the store file at `path` with the pragmas every connection needs.
    pub fn open(path: &Path) -> Result<Store> {
        let mut conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(5))?;
        // WAL lets a reader (an export, the CLI) run beside the kiosk. synchronous=FULL makes every
        // commit reach the disk before it returns, so a number that was printed survives a power
        // cut; the kiosk writes a handful of rows a minute, so the cost does not matter.
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            log::warn!("SQLite refused WAL mode (got {mode}); continuing with it");
        }
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        migrate(&mut conn)?;
        Ok(Store {
            conn,
            path: path.to_owned(),
        })
    }

    /// Turns off fsync on commit. For benchmarks only, to report the fsync cost apart: a kiosk
    /// must never run like this (a printed number could be lost in a power cut).
    pub fn without_fsync_for_benchmarks(self) -> Result<Store> {
        self.conn.pragma_update(None, "synchronous", "OFF")?;
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

    /// Schema version after migrations: the number of migrations applied.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))?)
    }
}

fn migrate(conn: &mut Connection) -> Result<()> {
    let known = SCHEMA_VERSION;
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let found: i64 = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if found > known {
        return Err(Error::StoreTooNew { found, known });
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
}
