//! Work for the next check-in done while nobody waits for it (after a ticket has printed), so
//! that the check-in itself stays short: the number marks reserved a block ahead, and the
//! write-ahead log copied into the store file. Neither changes what a check-in writes, nor how
//! durably: each check-in still commits with fsync before its number is shown.
//!
//! The log is checkpointed every [`CHECKPOINT_EVERY`] calls, not after each: the first commit
//! into a log that was checkpointed whole starts it over, and starting over costs that commit
//! one more fsync (of the log's header). 40 check-ins with their prints (~20 pages each) stay
//! under the 1,000 pages at which SQLite checkpoints inside a commit, which stays as it was: the
//! backstop for a kiosk that does not print, and what keeps a store's log short (a log holding
//! a whole young store copied beside another store would read as that store, not as damage).

use std::sync::atomic::Ordering;

use jiff::civil::Date;
use rusqlite::{params, Transaction, TransactionBehavior};

use super::Store;
use crate::error::Result;

/// Calls of [`Store::prepare_next_checkin`] per checkpoint of the log.
pub(super) const CHECKPOINT_EVERY: u32 = 40;

impl Store {
    /// Moves the number marks of `office_date`'s counters ahead where less than half a block
    /// is left (`number_marks`), and every [`CHECKPOINT_EVERY`] calls checkpoints the log as
    /// far as no reader holds it (`PASSIVE`: never waits), so that no checkpoint falls inside
    /// a check-in's commit. A kiosk that never calls this loses no safety: the check-in moves
    /// a mark itself when it must, and SQLite checkpoints itself every 1,000 pages.
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
        let countdown = &self.checkpoint_countdown;
        if countdown.fetch_sub(1, Ordering::Relaxed) <= 1 {
            countdown.store(CHECKPOINT_EVERY, Ordering::Relaxed);
            self.conn
                .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
        }
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
        let day = "2026-11-29".parse().expect("date");
        store.prepare_next_checkin(day).expect("works ahead");
        assert_eq!(
            mark(&file),
            last + NUMBER_BLOCK - 1,
            "a block past the count"
        );
        for _ in 1..super::CHECKPOINT_EVERY {
            assert!(
                !in_store_file(),
                "the log is left alone between checkpoints"
            );
            store.prepare_next_checkin(day).expect("works ahead");
        }
        assert!(in_store_file(), "copied from the log into the store file");
        assert_eq!(store.integrity_check().expect("checks"), "ok");
    }
}
