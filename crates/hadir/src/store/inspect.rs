//! A look at a store file without changing it, for `hadir doctor`: no migration, no pragma that
//! writes, no file created where there is none.

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
}
