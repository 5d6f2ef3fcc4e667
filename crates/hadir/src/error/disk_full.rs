//! Telling a full disk apart from other write failures: it has its own code (`disk_full`), its
//! own words for the applicant and an alarm for staff, because it passes by itself once space
//! is freed, while a broken database or folder does not.

/// The OS said there is no room: `ENOSPC` or a quota (`EDQUOT`) on Unix, `ERROR_DISK_FULL` or
/// `ERROR_HANDLE_DISK_FULL` on Windows (std maps all of them to these kinds).
pub fn is_storage_full(error: &std::io::Error) -> bool {
    matches!(
        error.kind(),
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded
    )
}

/// SQLite could not write a page: `SQLITE_FULL`, which it answers when a write of the database
/// or its journal found the disk full (and when `max_page_count` is reached). The statement, or
/// the whole transaction at `COMMIT`, is rolled back: nothing of it stays.
pub fn is_store_full(error: &rusqlite::Error) -> bool {
    matches!(
        error,
        rusqlite::Error::SqliteFailure(failure, _)
            if failure.code == rusqlite::ErrorCode::DiskFull
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_full_disk_or_quota_counts_as_full() {
        #[cfg(target_os = "linux")]
        let (full, denied) = ([28, 122], 13); // ENOSPC, EDQUOT; EACCES
        #[cfg(all(unix, not(target_os = "linux")))]
        let (full, denied) = ([28, 69], 13); // ENOSPC, EDQUOT (BSD, macOS); EACCES
        #[cfg(windows)]
        let (full, denied) = ([112, 39], 5); // ERROR_DISK_FULL, _HANDLE_DISK_FULL; _ACCESS_DENIED
        for code in full {
            assert!(
                is_storage_full(&std::io::Error::from_raw_os_error(code)),
                "OS error {code} is a full disk"
            );
        }
        assert!(
            !is_storage_full(&std::io::Error::from_raw_os_error(denied)),
            "a folder one may not write to is not full"
        );
        assert!(!is_storage_full(&std::io::Error::other("other")));
    }

    #[test]
    fn sqlite_full_is_a_full_store_and_other_failures_are_not() {
        let full = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL),
            None,
        );
        let busy = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
            None,
        );
        assert!(is_store_full(&full));
        assert!(!is_store_full(&busy));
        assert!(!is_store_full(&rusqlite::Error::QueryReturnedNoRows));
    }
}
