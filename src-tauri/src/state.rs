//! What the commands share: the loaded config and the one open store.

use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use hadir::error::StaffRefusal;
use hadir::frontdesk::{self, Session};
use hadir::hub::HubLink;
use hadir::model::Clock;
use hadir::scan_result::PendingPrint;
use hadir::sync::SyncSignals;
use hadir::{Config, Store};

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
    /// The staff member signed in to staff mode, if any.
    staff: Mutex<Option<Session>>,
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
            staff: Mutex::new(None),
            hub: None,
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

    pub fn start_session(&self, session: Session) {
        let replaced = self
            .staff
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .replace(session);
        if let Some(replaced) = replaced {
            // Someone signed in over an open session: it ends, on the record.
            let now = self.office_now();
            if let Err(error) = frontdesk::sign_out(&mut self.store(), &replaced, &now, "replaced")
            {
                log::error!("sign-out not audited: {error}");
            }
        }
    }

    /// Ends the staff session (sign-out or idle) and audits it; nothing to do when none is open.
    pub fn end_session(&self, why: &str) -> hadir::Result<()> {
        let ended = self.staff.lock().unwrap_or_else(|p| p.into_inner()).take();
        match ended {
            Some(session) => {
                frontdesk::sign_out(&mut self.store(), &session, &self.office_now(), why)
            }
            None => Ok(()),
        }
    }

    /// The live staff session and the time it was checked at. A session idle longer than
    /// `staff.idle_logout_seconds` ends here (audited as `idle`), whatever the window thinks.
    pub fn staff_session(&self) -> hadir::Result<(Session, jiff::ZonedDateTime)> {
        let now = self.office_now();
        let mut guard = self.staff.lock().unwrap_or_else(|p| p.into_inner());
        let Some(session) = guard.as_mut() else {
            return Err(StaffRefusal::NotSignedIn.into());
        };
        let touched = session.touch(now.timestamp(), &self.config());
        if let Err(refusal) = touched {
            let expired = guard.take();
            drop(guard);
            if let Some(expired) = expired {
                frontdesk::sign_out(&mut self.store(), &expired, &now, "idle")?;
            }
            return Err(refusal.into());
        }
        let session = session.clone();
        drop(guard);
        // An account disabled (or given another role) since it signed in acts no longer.
        let current = self.store().staff_by_name(&session.name)?;
        if current.is_none_or(|a| !a.active || a.role != session.role) {
            self.end_session("account_changed")?;
            return Err(StaffRefusal::NotSignedIn.into());
        }
        Ok((session, now))
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

    /// A kiosk state with `ani` (front desk) signed in `ago` before now.
    fn signed_in_state(ago: jiff::SignedDuration) -> (KioskState, i64) {
        let mut store = Store::open(std::path::Path::new(":memory:")).expect("in-memory store");
        let hash = hadir::staff::hash_pin("1234").expect("hash");
        let id = store
            .add_staff(
                "ani",
                hadir::model::StaffRole::Frontdesk,
                &hash,
                "2026-11-29T08:00:00+08:00",
            )
            .expect("adds");
        let config = Config::default();
        let then = (jiff::Timestamp::now() - ago).to_zoned_datetime(config.time_zone());
        let session = match frontdesk::sign_in(&mut store, "ani", "1234", &then, &config)
            .expect("signs in")
        {
            frontdesk::SignInResult::SignedIn { session } => session,
            other => panic!("{other:?}"),
        };
        let state = KioskState::new(config, store, false, jiff::SignedDuration::ZERO);
        state.start_session(session);
        (state, id)
    }

    #[test]
    fn the_backend_ends_an_idle_staff_session_whatever_the_window_does() {
        // Signed in ten minutes ago (idle sign-out: two minutes).
        let (state, _) = signed_in_state(jiff::SignedDuration::from_mins(10));
        let refused = state.staff_session().expect_err("idle too long");
        assert_eq!(refused.code(), "staff_session_expired");
        assert_eq!(
            state.staff_session().expect_err("gone").code(),
            "staff_not_signed_in",
            "the session is gone, not just refused once"
        );
    }

    #[test]
    fn a_disabled_account_stops_acting_at_once() {
        let (state, id) = signed_in_state(jiff::SignedDuration::ZERO);
        assert!(state.staff_session().is_ok());
        state.store().set_staff_active(id, false).expect("disables");
        assert_eq!(
            state.staff_session().expect_err("disabled").code(),
            "staff_not_signed_in"
        );
    }
}
