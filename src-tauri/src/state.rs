//! What the commands share: the loaded config and the one open store.

use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use hadir::counter_desk::CounterSeat;
use hadir::disk_space::DiskFullWatch;
use hadir::hub::HubLink;
use hadir::kiosk::{Printing, ScanContext};
use hadir::model::Clock;
use hadir::model::Language;
use hadir::scan_result::PendingPrint;
use hadir::staff_mode::{Session, StaffSeat};
use hadir::sync::SyncSignals;
use hadir::{Config, Store};

use crate::memory_trim::QuietTrim;
use crate::page_refresh::PageRefresh;

#[derive(Debug)]
pub struct KioskState {
    /// The config in force: the file's, with the settings a supervisor changed at the kiosk.
    config: RwLock<Arc<Config>>,
    pub demo: bool,
    /// Shared with the hub's background replay (it takes the lock only briefly).
    store: Arc<Mutex<Store>>,
    /// Tickets committed by `scan` and not yet handed to the printer.
    pending_prints: Mutex<Vec<PendingPrint>>,
    /// Added to the system clock: zero, except when started with `--at` (training, demos, tests).
    clock_offset: jiff::SignedDuration,
    /// Wakes the background sync task (new events, "sync now").
    pub sync: Arc<SyncSignals>,
    /// `--mock-camera`: WebKit's synthetic camera (tests, demos).
    pub mock_camera: bool,
    /// Hub mode (`hub_url` set): the link to the office hub.
    pub hub: Option<Arc<HubLink>>,
    /// Who is signed in to staff mode, if anyone; the core's policy ends the session.
    staff: Mutex<StaffSeat>,
    /// A full disk, remembered (it cannot be written down): every check-in's outcome goes here.
    pub disk: DiskFullWatch,
    /// Role counter: who is signed in at this counter and the counter they chose.
    counter: Mutex<CounterSeat>,
    /// Gives freed heap back once the kiosk is quiet; scans and prints postpone it.
    pub heap_trim: Arc<QuietTrim>,
    /// The page's fresh web process once a day while quiet; the keys held while it loads.
    pub page_refresh: Arc<PageRefresh>,
}

impl KioskState {
    pub fn new(
        config: Config,
        store: Store,
        demo: bool,
        clock_offset: jiff::SignedDuration,
    ) -> Self {
        KioskState {
            config: RwLock::new(Arc::new(config)),
            demo,
            store: Arc::new(Mutex::new(store)),
            pending_prints: Mutex::new(Vec::new()),
            clock_offset,
            sync: Arc::new(SyncSignals::default()),
            mock_camera: false,
            staff: Mutex::new(StaffSeat::default()),
            hub: None,
            disk: DiskFullWatch::default(),
            counter: Mutex::new(CounterSeat::default()),
            heap_trim: Arc::new(QuietTrim::default()),
            page_refresh: Arc::new(PageRefresh::default()),
        }
    }

    /// The store, for one command at a time. A panic in an earlier command cannot have left
    /// SQLite half-written (every write is a transaction), so a poisoned lock is taken over.
    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The store as the hub flow reaches it (locked briefly, never across a network wait).
    pub fn store_access(&self) -> Arc<Mutex<Store>> {
        Arc::clone(&self.store)
    }

    pub fn add_pending_prints(&self, tickets: Vec<PendingPrint>) {
        self.pending_prints
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .extend(tickets);
    }

    /// Takes the pending tickets with these ids (those one result screen shows), leaving any
    /// another scan added meanwhile for its own screen.
    pub fn take_pending_prints(&self, ticket_ids: &[String]) -> Vec<PendingPrint> {
        let mut pending = self
            .pending_prints
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let (taken, kept) = std::mem::take(&mut *pending)
            .into_iter()
            .partition(|p| ticket_ids.contains(&p.ticket.ticket_id));
        *pending = kept;
        taken
    }

    /// The config in force now (a setting may change while the kiosk runs).
    pub fn config(&self) -> Arc<Config> {
        Arc::clone(&self.config.read().unwrap_or_else(|p| p.into_inner()))
    }

    /// Puts a changed config in force (after `hadir::settings::change_setting` stored it).
    pub fn set_config(&self, config: Config) {
        *self.config.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(config);
    }

    /// The staff seat, for one command at a time. Taken before the store (as
    /// [`KioskState::staff_session`] does), never while holding it.
    pub fn seat(&self) -> MutexGuard<'_, StaffSeat> {
        self.staff.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The counter seat (role counter), for one command at a time; taken before the store.
    pub fn counter(&self) -> MutexGuard<'_, CounterSeat> {
        self.counter.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The live staff session (the core ends one idle too long, or whose account changed) and
    /// the time it was checked at.
    pub fn staff_session(&self) -> hadir::Result<(Session, jiff::ZonedDateTime)> {
        let now = self.office_now();
        self.note_activity(now.timestamp()); // staff at work
        let session = self
            .seat()
            .live_session(&mut self.store(), &now, &self.config())?;
        Ok((session, now))
    }

    /// What one command lends the core for a scan or a walk-in: the store, the config in force
    /// and now, held together so the command can lend them as a [`ScanContext`].
    pub fn call_scope(&self) -> CallScope {
        self.call_scope_at(self.office_now())
    }

    /// [`KioskState::call_scope`] at a time already read (a staff command's session check).
    pub fn call_scope_at(&self, now: jiff::ZonedDateTime) -> CallScope {
        self.note_activity(now.timestamp()); // a scan or walk-in
        CallScope {
            store: self.store_access(),
            hub: self.hub.clone(),
            config: self.config(),
            now,
        }
    }

    /// Someone uses the kiosk (a scan, walk-in, print or staff command): no heap trim and no
    /// page refresh until it has been quiet again.
    pub fn note_activity(&self, now: jiff::Timestamp) {
        self.heap_trim.note_busy();
        self.page_refresh.note_activity(now);
    }

    /// Now, in the office's time zone: the one place the shell reads the clock for the core.
    pub fn office_now(&self) -> jiff::ZonedDateTime {
        (self.clock())().to_zoned_datetime(self.config().time_zone())
    }

    /// The kiosk's clock (system time plus the `--at` offset), for the sync task.
    pub fn clock(&self) -> Clock {
        let offset = self.clock_offset;
        Arc::new(move || {
            let now = jiff::Timestamp::now();
            now.checked_add(offset).unwrap_or(now)
        })
    }
}

/// See [`KioskState::call_scope`].
#[derive(Debug)]
pub struct CallScope {
    store: Arc<Mutex<Store>>,
    hub: Option<Arc<HubLink>>,
    pub config: Arc<Config>,
    pub now: jiff::ZonedDateTime,
}

impl CallScope {
    /// The scan's context: tickets printed `printing`, in `language` (the office's when the
    /// page does not say).
    pub fn ctx(
        &self,
        printing: Printing,
        language: Option<Language>,
    ) -> ScanContext<'_, Mutex<Store>> {
        ScanContext {
            store: self.store.as_ref(),
            hub: self.hub.as_deref(),
            printing,
            language: language.unwrap_or(self.config.kiosk.language),
            now: &self.now,
            config: &self.config,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hadir::model::Service;
    use hadir::ticket::TicketView;

    fn pending(id: &str) -> PendingPrint {
        PendingPrint {
            ticket: TicketView {
                ticket_id: id.into(),
                label: "A-001".into(),
                office_name: String::new(),
                service: Service::Baru,
                express: false,
                priority: false,
                issued_local: String::new(),
                slot: String::new(),
                applicant_masked: String::new(),
                group_pos: 1,
                group_size: 1,
                copy: false,
                language: hadir::model::Language::Id,
                queue_outlook: None,
            },
            office_date: "2026-11-29".into(),
        }
    }

    #[test]
    fn a_screen_takes_only_its_own_pending_tickets() {
        let store = Store::open(std::path::Path::new(":memory:")).expect("in-memory store");
        let state = KioskState::new(Config::default(), store, false, jiff::SignedDuration::ZERO);
        state.add_pending_prints(vec![pending("first")]);
        state.add_pending_prints(vec![pending("second")]); // another applicant, a moment later
        let taken = state.take_pending_prints(&["first".into()]);
        assert_eq!(taken, vec![pending("first")]);
        let rest = state.take_pending_prints(&["second".into()]);
        assert_eq!(
            rest,
            vec![pending("second")],
            "the second screen still finds its ticket"
        );
        assert!(
            state.take_pending_prints(&["second".into()]).is_empty(),
            "printed once only"
        );
    }
}
