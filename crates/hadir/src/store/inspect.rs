//! A look at a store file without changing it, for `hadir doctor` and the CLI's config in force:
//! no migration, no pragma that writes, no file created where there is none.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use crate::error::Result;

/// What a read-only look at a store file found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspection {
    /// `PRAGMA user_version`: the migrations applied to it.
    pub schema_version: i64,
    /// `PRAGMA integrity_check`: `"ok"`, or SQLite's first problems joined with `; `.
    pub integrity: String,
}

/// Opens `path` read-only (it must exist) and runs SQLite's own consistency check.
///
/// An error means SQLite could not read the file as a database at all (not a database, a
/// damaged header, no permission).
pub fn inspect(path: &Path) -> Result<Inspection> {
    let conn = open_for_a_look(path)?;
    let schema_version = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    let lines: Vec<String> = stmt
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Inspection {
        schema_version,
        integrity: lines.join("; "),
    })
}

/// Opens `path` (it must exist) so that nothing is written and no file is left behind.
pub(super) fn open_for_a_look(path: &Path) -> Result<Connection> {
    // Never create. Reading a store in WAL mode makes SQLite create `-wal` and `-shm` beside it;
    // a read-only connection would leave them behind, while the last read-write connection to
    // close removes them again (checkpointing an empty WAL writes nothing). So: read-write with
    // writes refused (`query_only`) when there is no `-wal` yet; read-only when there is one
    // (a kiosk running, or one that stopped uncleanly: its WAL is read, never checkpointed into
    // the file by this look). A file SQLite cannot write is opened read-only either way.
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    let access = if Path::new(&wal).exists() {
        OpenFlags::SQLITE_OPEN_READ_ONLY
    } else {
        OpenFlags::SQLITE_OPEN_READ_WRITE
    };
    let conn = Connection::open_with_flags(path, access | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    conn.pragma_update(None, "query_only", true)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(conn)
}

/// The settings a supervisor changed at the kiosk (key, value), read from the store in
/// `data_dir` without changing it; none when there is no store yet, or one from before such
/// settings existed. For a process that does not hold the store open (the CLI).
pub fn stored_kiosk_settings(data_dir: &Path) -> Result<Vec<(String, String)>> {
    let path = data_dir.join(super::STORE_FILE_NAME);
    if !path.exists() {
        return Ok(Vec::new());
    }
    let conn = open_for_a_look(&path)?;
    let has_table: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'kiosk_settings')",
        [],
        |row| row.get(0),
    )?;
    if !has_table {
        return Ok(Vec::new());
    }
    let mut stmt = conn.prepare("SELECT key, value FROM kiosk_settings ORDER BY key")?;
    let rows = stmt
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Store, SCHEMA_VERSION, STORE_FILE_NAME};

    #[test]
    fn a_fresh_store_is_ok_at_the_current_schema_and_unchanged_by_the_look() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(STORE_FILE_NAME);
        drop(Store::open(&path).expect("store"));
        let before = std::fs::read(&path).expect("read");
        let files = || {
            let mut names: Vec<_> = std::fs::read_dir(dir.path())
                .expect("lists")
                .map(|e| e.expect("entry").file_name())
                .collect();
            names.sort();
            names
        };
        let files_before = files();
        let found = inspect(&path).expect("inspect");
        assert_eq!(found.schema_version, SCHEMA_VERSION);
        assert_eq!(found.integrity, "ok");
        assert_eq!(
            std::fs::read(&path).expect("read"),
            before,
            "nothing written"
        );
        assert_eq!(files(), files_before, "no -wal or -shm left behind");
    }

    /// Beside a running kiosk (its connection open, the WAL in use), the look still works.
    #[test]
    fn a_store_in_use_can_be_looked_at() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(STORE_FILE_NAME);
        let store = Store::open(&path).expect("store");
        let found = inspect(&path).expect("inspect beside the kiosk");
        assert_eq!(found.integrity, "ok");
        assert_eq!(
            store.schema_version().expect("version"),
            found.schema_version
        );
    }

    #[test]
    fn a_missing_file_is_an_error_and_is_not_created() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(STORE_FILE_NAME);
        assert!(inspect(&path).is_err());
        assert!(!path.exists(), "a look must not create the store");
    }

    #[test]
    fn stored_settings_are_read_without_a_trace_and_none_without_a_store() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert!(stored_kiosk_settings(dir.path())
            .expect("no store")
            .is_empty());
        assert!(
            !dir.path().join(STORE_FILE_NAME).exists(),
            "the look made no store"
        );
        let mut store = Store::open_in(dir.path()).expect("store");
        store
            .set_kiosk_setting("kiosk.language", "en", "2026-11-29T09:00:00+08:00")
            .expect("stores");
        drop(store);
        let files = || std::fs::read_dir(dir.path()).expect("lists").count();
        let before = files();
        assert_eq!(
            stored_kiosk_settings(dir.path()).expect("reads"),
            [("kiosk.language".to_owned(), "en".to_owned())]
        );
        assert_eq!(files(), before, "no -wal or -shm left behind");
    }
}
