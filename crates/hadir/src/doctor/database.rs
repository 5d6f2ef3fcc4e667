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
    Advice::new(
        "database_damaged",
        "Basis data rusak. Hentikan kios, salin hadir.sqlite3 (beserta berkas -wal dan -shm) ke tempat \
         aman, pulihkan dari cadangan terakhir, lalu hubungi TI dengan salinan itu. Jangan hapus berkasnya.",
        "The database is damaged. Stop the kiosk, copy hadir.sqlite3 (with its -wal and -shm files) \
         somewhere safe, restore the last backup, then call IT with that copy. Do not delete the file.",
    )
}

/// Whether the store file is there and SQLite finds it consistent (`PRAGMA integrity_check`).
pub fn database(look: &StoreLook) -> Check {
    match look {
        StoreLook::Missing(path) => Check::warn(
            "database",
            format!("no database yet at {}", path.display()),
            Advice::new(
                "database_missing",
                "Belum ada basis data: kios membuatnya saat pertama kali dijalankan. Jika kios sudah \
                 pernah berjalan, periksa kiosk.data_dir: data ada di folder lain.",
                "No database yet: the kiosk creates it when it first starts. If the kiosk has run \
                 before, check kiosk.data_dir: its data is in another folder.",
            ),
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
            Advice::new(
                "schema_too_new",
                "Basis data ini dibuat oleh Hadir versi lebih baru; versi ini menolak membukanya. \
                 Pasang kembali versi Hadir yang lebih baru (lihat hadir --version).",
                "This database was written by a newer Hadir; this version refuses to open it. \
                 Install the newer Hadir again (see hadir --version).",
            ),
        )
    };
    check
        .fact("schema_version", found)
        .fact("known", SCHEMA_VERSION)
}
