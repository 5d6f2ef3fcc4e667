//! The kiosk's one staff seat: who is signed in now, if anyone. The shell keeps one
//! [`StaffSeat`] and asks it for the live session before every staff action, so the session
//! policy is the core's, whatever the window does: a session idle longer than `[staff]
//! idle_logout_seconds` ends, an account disabled (or given another role) since it signed in
//! ends, and a sign-in over an open session ends that one; each end is a `logout` row in the
//! audit log saying why.

use jiff::ZonedDateTime;

use super::{sign_in_at, sign_out, Session, SignInPlace, SignInResult, SignOutReason};
use crate::config::Config;
use crate::error::{Result, StaffRefusal};
use crate::store::Store;

/// The session open at the kiosk, if any. Every method takes the store (to audit) and the
/// office-local now; none reads the clock.
#[derive(Debug, Default)]
pub struct StaffSeat {
    open: Option<Session>,
}

impl StaffSeat {
    /// [`super::sign_in`] at a kiosk; a sign-in that succeeds takes the seat, ending (and
    /// auditing) the session that held it.
    pub fn sign_in(
        &mut self,
        store: &mut Store,
        name: &str,
        pin: &str,
        now: &ZonedDateTime,
        config: &Config,
    ) -> Result<SignInResult> {
        self.sign_in_at(store, SignInPlace::Kiosk, name, pin, now, config)
    }

    /// [`StaffSeat::sign_in`] at `place` (a counter machine's seat: [`SignInPlace::Counter`]).
    pub fn sign_in_at(
        &mut self,
        store: &mut Store,
        place: SignInPlace,
        name: &str,
        pin: &str,
        now: &ZonedDateTime,
        config: &Config,
    ) -> Result<SignInResult> {
        let result = sign_in_at(store, place, name, pin, now, config)?;
        if let SignInResult::SignedIn { session } = &result {
            if let Some(replaced) = self.open.replace(session.clone()) {
                // The new sign-in stands even if this row cannot be written.
                if let Err(error) = sign_out(store, &replaced, now, SignOutReason::Replaced) {
                    log::error!("sign-out not audited: {error}");
                }
            }
        }
        Ok(result)
    }

    /// Ends the open session and audits why; nothing to do when none is open.
    pub fn sign_out(
        &mut self,
        store: &mut Store,
        now: &ZonedDateTime,
        why: SignOutReason,
    ) -> Result<()> {
        match self.open.take() {
            Some(session) => sign_out(store, &session, now, why),
            None => Ok(()),
        }
    }

    /// The live session at `now`, which counts as activity. A session idle too long ends here
    /// (`staff_session_expired`); one whose account was disabled, or given another role, since
    /// it signed in ends too (`staff_not_signed_in`). A new PIN leaves the session open: the
    /// person signed in is the one who proved they knew the old one.
    pub fn live_session(
        &mut self,
        store: &mut Store,
        now: &ZonedDateTime,
        config: &Config,
    ) -> Result<Session> {
        self.checked_session(store, now, config, true)
    }

    /// [`StaffSeat::live_session`] without counting `now` as activity: a screen's timed refresh
    /// (a counter's waiting counts) must not keep an unattended session open.
    pub fn live_session_unattended(
        &mut self,
        store: &mut Store,
        now: &ZonedDateTime,
        config: &Config,
    ) -> Result<Session> {
        self.checked_session(store, now, config, false)
    }

    fn checked_session(
        &mut self,
        store: &mut Store,
        now: &ZonedDateTime,
        config: &Config,
        activity: bool,
    ) -> Result<Session> {
        let Some(open) = self.open.as_mut() else {
            return Err(StaffRefusal::NotSignedIn.into());
        };
        let mut looked_at = open.clone();
        let session = if activity { open } else { &mut looked_at };
        if let Err(refusal) = session.touch(now.timestamp(), config) {
            self.sign_out(store, now, SignOutReason::Idle)?;
            return Err(refusal.into());
        }
        let session = session.clone();
        let account = store.staff_by_name(&session.name)?;
        let unchanged = account.is_some_and(|account| {
            account.id == session.staff_id && account.active && account.role == session.role
        });
        if !unchanged {
            self.sign_out(store, now, SignOutReason::AccountChanged)?;
            return Err(StaffRefusal::NotSignedIn.into());
        }
        Ok(session)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{rfc3339, StaffRole};
    use crate::staff::hash_pin;
    use crate::store::tests::fresh_store;

    /// 10:00 and `seconds` after, office time: the clock each step is given.
    fn at(seconds: i64) -> ZonedDateTime {
        jiff::civil::date(2026, 11, 29)
            .at(10, 0, 0, 0)
            .to_zoned_datetime(Config::default().time_zone())
            .expect("zoned")
            .checked_add(jiff::SignedDuration::from_secs(seconds))
            .expect("in range")
    }

    /// A store with `ani` (front desk, PIN 1234) and `budi` (supervisor, PIN 98765), and a seat
    /// `ani` took at 10:00.
    fn ani_seated() -> (tempfile::TempDir, Store, StaffSeat) {
        let (dir, mut store) = fresh_store();
        let created = rfc3339(&at(-3600));
        for (name, role, pin) in [
            ("ani", StaffRole::Frontdesk, "1234"),
            ("budi", StaffRole::Supervisor, "98765"),
        ] {
            let hash = hash_pin(pin).expect("hash");
            store.add_staff(name, role, &hash, &created).expect("adds");
        }
        let mut seat = StaffSeat::default();
        let signed_in = seat
            .sign_in(&mut store, "ani", "1234", &at(0), &Config::default())
            .expect("answers");
        assert!(matches!(signed_in, SignInResult::SignedIn { .. }));
        (dir, store, seat)
    }

    /// The reasons of the audit's `logout` rows, oldest first (read beside the core's code).
    fn logouts(store: &Store) -> Vec<(String, String)> {
        let db = rusqlite::Connection::open(store.path()).expect("opens");
        let mut rows = db
            .prepare("SELECT target, reason FROM audit WHERE action = 'logout' ORDER BY id")
            .expect("prepares");
        rows.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .expect("reads")
            .collect::<rusqlite::Result<_>>()
            .expect("rows")
    }

    #[test]
    fn an_idle_session_ends_with_an_audited_sign_out_and_stays_ended() {
        let (_dir, mut store, mut seat) = ani_seated();
        let config = Config::default(); // idle sign-out after 120 s
        let session = seat
            .live_session(&mut store, &at(119), &config)
            .expect("still open");
        assert_eq!(session.name, "ani");
        seat.live_session(&mut store, &at(238), &config)
            .expect("the last action moved the limit");
        let expired = seat
            .live_session(&mut store, &at(359), &config)
            .expect_err("idle for 121 s");
        assert_eq!(expired.code(), "staff_session_expired");
        assert_eq!(logouts(&store), [("ani".into(), "idle".into())]);
        let gone = seat
            .live_session(&mut store, &at(360), &config)
            .expect_err("no session");
        assert_eq!(
            gone.code(),
            "staff_not_signed_in",
            "ended, not refused once"
        );
        assert_eq!(logouts(&store).len(), 1, "one sign-out, not one per try");
    }

    #[test]
    fn a_clock_put_back_does_not_stretch_the_idle_sign_out() {
        let (_dir, mut store, mut seat) = ani_seated();
        let config = Config::default(); // idle sign-out after 120 s
        seat.live_session(&mut store, &at(60), &config)
            .expect("open");
        // NTP puts the clock back three hours; the next action counts from the new now.
        let back = -3 * 3600;
        seat.live_session(&mut store, &at(back), &config)
            .expect("an action after the jump");
        let expired = seat
            .live_session(&mut store, &at(back + 121), &config)
            .expect_err("idle for 121 s after the jump, not three hours more");
        assert_eq!(expired.code(), "staff_session_expired");
    }

    #[test]
    fn a_disabled_account_stops_acting_at_once() {
        let (_dir, mut store, mut seat) = ani_seated();
        let config = Config::default();
        let ani = store.staff_by_name("ani").expect("reads").expect("exists");
        store.set_staff_active(ani.id, false).expect("disables");
        let refused = seat
            .live_session(&mut store, &at(5), &config)
            .expect_err("disabled");
        assert_eq!(refused.code(), "staff_not_signed_in");
        assert_eq!(logouts(&store), [("ani".into(), "account_changed".into())]);
        store.set_staff_active(ani.id, true).expect("enables");
        assert!(
            seat.live_session(&mut store, &at(6), &config).is_err(),
            "enabling again does not bring the ended session back"
        );
    }

    #[test]
    fn a_changed_role_ends_the_session_and_a_new_pin_keeps_it() {
        let (_dir, mut store, mut seat) = ani_seated();
        let config = Config::default();
        let ani = store.staff_by_name("ani").expect("reads").expect("exists");
        store
            .set_staff_pin(ani.id, &hash_pin("4321").expect("hash"))
            .expect("resets");
        let session = seat
            .live_session(&mut store, &at(5), &config)
            .expect("the person signed in is the one who knew the PIN");
        assert_eq!(session.role, StaffRole::Frontdesk);
        // No screen changes a role; a store edited under the kiosk must not hand out a new one.
        rusqlite::Connection::open(store.path())
            .expect("opens")
            .execute(
                "UPDATE staff SET role = 'supervisor' WHERE name = 'ani'",
                [],
            )
            .expect("role changed");
        let refused = seat
            .live_session(&mut store, &at(6), &config)
            .expect_err("another role");
        assert_eq!(refused.code(), "staff_not_signed_in");
        assert_eq!(logouts(&store), [("ani".into(), "account_changed".into())]);
    }

    #[test]
    fn a_sign_in_over_an_open_session_ends_it_on_the_record() {
        let (_dir, mut store, mut seat) = ani_seated();
        let config = Config::default();
        seat.sign_in(&mut store, "budi", "00000", &at(10), &config)
            .expect("answers");
        assert!(
            logouts(&store).is_empty(),
            "a wrong PIN leaves the seat alone"
        );
        seat.sign_in(&mut store, "budi", "98765", &at(20), &config)
            .expect("answers");
        assert_eq!(logouts(&store), [("ani".into(), "replaced".into())]);
        let session = seat
            .live_session(&mut store, &at(30), &config)
            .expect("budi's");
        assert_eq!(session.name, "budi");
        seat.sign_out(&mut store, &at(40), SignOutReason::from_screen("done"))
            .expect("signs out");
        seat.sign_out(&mut store, &at(41), SignOutReason::Idle)
            .expect("nothing to end");
        assert_eq!(
            logouts(&store),
            [
                ("ani".into(), "replaced".into()),
                ("budi".into(), "done".into())
            ]
        );
    }
}
