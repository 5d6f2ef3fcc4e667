//! What the commands share: the loaded config and the one open store.

use std::sync::{Mutex, MutexGuard};

use hadir::kiosk::PendingPrint;
use hadir::{Config, Store};

#[derive(Debug)]
pub struct KioskState {
    pub config: Config,
    pub demo: bool,
    store: Mutex<Store>,
    /// Tickets committed by `scan` and not yet handed to the printer.
    pending_prints: Mutex<Vec<PendingPrint>>,
    /// Added to the system clock: zero, except when started with `--at` (training, demos, tests).
    clock_offset: jiff::SignedDuration,
}

impl KioskState {
    pub fn new(
        config: Config,
        store: Store,
        demo: bool,
        clock_offset: jiff::SignedDuration,
    ) -> Self {
        KioskState {
            config,
            demo,
            store: Mutex::new(store),
            pending_prints: Mutex::new(Vec::new()),
            clock_offset,
        }
    }

    /// The store, for one command at a time. A panic in an earlier command cannot have left
    /// SQLite half-written (every write is a transaction), so a poisoned lock is taken over.
    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn add_pending_prints(&self, tickets: Vec<PendingPrint>) {
        self.pending_prints
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .extend(tickets);
    }

    pub fn take_pending_prints(&self) -> Vec<PendingPrint> {
        std::mem::take(
            &mut *self
                .pending_prints
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner()),
        )
    }

    /// Now, in the office's time zone: the one place the shell reads the clock for the core.
    pub fn office_now(&self) -> jiff::ZonedDateTime {
        let now = jiff::Timestamp::now();
        now.checked_add(self.clock_offset)
            .unwrap_or(now)
            .to_zoned_datetime(self.config.time_zone())
    }
}
