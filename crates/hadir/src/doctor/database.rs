//! `database` and `schema`: the store file, looked at read-only and never created.

use std::path::PathBuf;

use super::{Advice, Check};
use crate::error::Error;
use crate::store::{inspect, Inspection, SCHEMA_VERSION, STORE_FILE_NAME};
use crate::Config;

/// What one read-only look at the store file found; both checks read it.
#[derive(Debug)]
pub enum StoreLook {
    /// No store file: a kiosk that has not started yet (or a wrong `kiosk.data_dir`).
    Missing(PathBuf),
    /// SQLite could not read it as a database at all.
    Unreadable(PathBuf, Error),
    Found(PathBuf, Inspection),
}

/// Looks at `<data_dir>/hadir.sqlite3` without creating or migrating it.
pub fn look_at_store(config: &Config) -> StoreLook {
    let path = config.data_dir().join(STORE_FILE_NAME);
    if !path.exists() {
        return StoreLook::Missing(path);
    }
    match inspect(&path) {
        Ok(found) => StoreLook::Found(path, found),
        Err(error) => StoreLook::Unreadable(path, error),
    }
}

fn damaged_advice() -> Advice {
    Advice::fixed("database_damaged", "doctor.database_damaged")
}

/// Whether the store file is there and SQLite finds it consistent (`PRAGMA integrity_check`).
pub fn database(look: &StoreLook) -> Check {
    match look {
        StoreLook::Missing(path) => Check::warn(
            "database",
            format!("no database yet at {}", path.display()),
            Advice::fixed("database_missing", "doctor.database_missing"),
        )
        .fact("path", path.display().to_string()),
        StoreLook::Unreadable(path, error) => Check::fail(
            "database",
            format!("{} cannot be read as a database: {error}", path.display()),
            damaged_advice(),
        )
        .fact("path", path.display().to_string()),
        StoreLook::Found(path, found) => {
            let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
            let check = if found.integrity == "ok" {
                Check::pass(
                    "database",
                    format!(
                        "{}: integrity ok, {} KB",
                        path.display(),
                        size.div_ceil(1000)
                    ),
                )
            } else {
                Check::fail(
                    "database",
                    format!(
                        "{}: integrity check failed: {}",
                        path.display(),
                        crate::texts::one_line(&found.integrity, 300)
                    ),
                    damaged_advice(),
                )
            };
            check
                .fact("path", path.display().to_string())
                .fact("bytes", size)
                .fact("integrity", found.integrity.clone())
        }
    }
}

/// The store's schema version against the one this Hadir writes.
pub fn schema(look: &StoreLook) -> Check {
    let found = match look {
        StoreLook::Missing(_) => return Check::skip("schema", "no database yet"),
        StoreLook::Unreadable(..) => return Check::skip("schema", "the database cannot be read"),
        StoreLook::Found(_, found) => found.schema_version,
    };
    let check = if found == SCHEMA_VERSION {
        Check::pass("schema", format!("version {found}, as this Hadir writes"))
    } else if found < SCHEMA_VERSION {
        Check::pass(
            "schema",
            format!("version {found}; the kiosk upgrades it to {SCHEMA_VERSION} when it starts"),
        )
    } else {
        Check::fail(
            "schema",
            format!(
                "version {found}, newer than this Hadir knows ({SCHEMA_VERSION}): written by a newer Hadir"
            ),
            Advice::fixed("schema_too_new", "doctor.schema_too_new"),
        )
    };
    check
        .fact("schema_version", found)
        .fact("known", SCHEMA_VERSION)
}
