//! The kiosk's one SQLite file: the appointment cache, check-ins, tickets and the outbox.

mod appointments;
mod checkins;
mod migrations;
mod sync;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;

use crate::error::{Error, Result};

pub use appointments::CachedAppointment;
pub use appointments::FeedApplied;
pub use checkins::{ApplicantSlot, IssuedTicket, NewCheckin, PrintOutcome};
pub use sync::{OutboxEvent, RejectedEvent, Settled};

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

    /// Schema version after migrations: the number of migrations applied.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))?)
    }
}

fn migrate(conn: &mut Connection) -> Result<()> {
    let known = migrations::MIGRATIONS.len() as i64;
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
