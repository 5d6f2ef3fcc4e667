//! Work for the next check-in done while nobody waits for it (after a ticket has printed), so
//! that the check-in itself stays short: the number marks reserved a block ahead, and the
//! write-ahead log copied into the store file. Neither changes what a check-in writes, nor how
//! durably: each check-in still commits with fsync before its number is shown.

use jiff::civil::Date;
use rusqlite::{params, Transaction, TransactionBehavior};

use super::Store;
use crate::error::Result;

impl Store {
    /// Moves the number marks of `office_date`'s counters ahead where less than half a block
    /// is left (`number_marks`), and checkpoints the write-ahead log when nothing reads it
    /// (`PASSIVE`: never waits), so that SQLite's own automatic checkpoint (every 1,000 pages)
    /// does not fall inside a check-in's commit. A kiosk that never calls this loses no
    /// safety: the check-in moves a mark itself when it must, and SQLite checkpoints itself.
    pub fn prepare_next_checkin(&self, office_date: Date) -> Result<()> {
        let date = office_date.to_string();
        // Under the write lock, as a check-in moves a mark: no counter moves meanwhile.
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        let counters: Vec<(String, i64)> = tx
            .prepare_cached("SELECT queue, last_number FROM queue_counters WHERE office_date = ?1")?
            .query_map(params![date], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        self.marks.reserve_ahead(&date, &counters)?;
        tx.commit()?;
        self.conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::number_marks::read_marks;
    use super::super::tests::fresh_store;
    use super::super::{
        ApplicantSlot, BookingTicketFacts, NewCheckin, Numbering, NUMBER_BLOCK,
        NUMBER_MARKS_FILE_NAME,
    };
    use crate::model::Service;

    fn check_in(store: &mut super::Store, code: &str) {
        let new = NewCheckin {
            booking_code: code,
            applicants: vec![ApplicantSlot {
                applicant_index: 0,
                queue: "A".into(),
                name: None,
                priority: None,
                nonce: None,
            }],
            office_date: "2026-11-29".parse().expect("date"),
            at: "2026-11-29T08:41:07+08:00".into(),
            kiosk: "K1",
            facts: BookingTicketFacts {
                service: Service::Baru,
                express: false,
                slot: String::new(),
            },
            by_staff: None,
            numbering: Numbering::Local,
        };
        store.record_checkin(&new).expect("records").expect("new");
    }

    #[test]
    fn the_mark_moves_ahead_and_the_log_is_copied_back_while_nobody_waits() {
        let (dir, mut store) = fresh_store();
        let file = dir.path().join(NUMBER_MARKS_FILE_NAME);
        let last = NUMBER_BLOCK - 5;
        for i in 0..last {
            check_in(&mut store, &format!("MPAHEAD{i:03}"));
        }
        let mark = |file| read_marks(file)[&("2026-11-29".to_owned(), "A".to_owned())];
        assert_eq!(mark(&file), NUMBER_BLOCK, "the check-ins moved it once");
        // The check-ins are in the log only, until a checkpoint copies them into the file.
        let in_store_file = || {
            let bytes = std::fs::read(store.path()).expect("reads");
            bytes.windows(10).any(|w| w == b"MPAHEAD000")
        };
        assert!(!in_store_file(), "still in the log");
        store
            .prepare_next_checkin("2026-11-29".parse().expect("date"))
            .expect("works ahead");
        assert_eq!(
            mark(&file),
            last + NUMBER_BLOCK - 1,
            "a block past the count"
        );
        assert!(in_store_file(), "copied from the log into the store file");
        assert_eq!(store.integrity_check().expect("checks"), "ok");
    }
}
