//! Signing in with a PIN (lockout, every attempt audited) and the session that ends after idle
//! minutes.

use std::sync::OnceLock;

use jiff::{SignedDuration, Timestamp, ZonedDateTime};
use serde::Serialize;

use super::audit;
use crate::config::Config;
use crate::error::{Result, StaffRefusal};
use crate::model::{rfc3339, StaffRole};
use crate::staff::{hash_pin, verify_pin, SignIn};
use crate::store::Store;

/// A signed-in staff member. The shell keeps it; every action checks it first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Session {
    pub staff_id: i64,
    pub name: String,
    pub role: StaffRole,
    #[serde(skip)]
    last_active: Timestamp,
}

impl Session {
    /// Whether the session is still open at `now`; if so, `now` counts as activity.
    pub fn touch(&mut self, now: Timestamp, config: &Config) -> Result<(), StaffRefusal> {
        let idle = SignedDuration::from_secs(i64::from(config.staff.idle_logout_seconds));
        if now.duration_since(self.last_active) > idle {
            return Err(StaffRefusal::SessionExpired);
        }
        // Activity is now, also when the clock was put back: keeping the later time would
        // stretch the idle sign-out by the size of the jump.
        self.last_active = now;
        Ok(())
    }

    pub fn require_supervisor(&self) -> Result<(), StaffRefusal> {
        if self.role == StaffRole::Supervisor {
            Ok(())
        } else {
            Err(StaffRefusal::SupervisorOnly)
        }
    }
}

/// What a sign-in attempt shows. `Locked.until_local` is office-local `HH:MM`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum SignInResult {
    SignedIn { session: Session },
    WrongPin { left: u32 },
    Locked { until_local: String },
}

/// A name on the sign-in screen, with its role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaffName {
    pub name: String,
    pub role: StaffRole,
}

/// Names and roles of active staff, for the sign-in screen's list (nothing more of an account
/// goes to a screen no one has signed in to).
pub fn active_staff(store: &Store) -> Result<Vec<StaffName>> {
    Ok(store
        .list_staff()?
        .into_iter()
        .filter(|account| account.active)
        .map(|account| StaffName {
            name: account.name,
            role: account.role,
        })
        .collect())
}

/// Where staff sign in: a kiosk's staff mode, or a counter machine (role `counter`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInPlace {
    Kiosk,
    Counter,
}

impl SignInPlace {
    /// A counter-role account signs in at a counter only; front desk and supervisors anywhere.
    pub fn admits(self, role: StaffRole) -> bool {
        self == SignInPlace::Counter || role != StaffRole::Counter
    }
}

/// Checks a PIN against the named account: lockout after `staff.max_failures` wrong PINs for
/// `staff.lock_minutes`, during which no PIN is even checked. Every attempt is audited. At a
/// kiosk; see [`sign_in_at`].
pub fn sign_in(
    store: &mut Store,
    name: &str,
    pin: &str,
    now: &ZonedDateTime,
    config: &Config,
) -> Result<SignInResult> {
    sign_in_at(store, SignInPlace::Kiosk, name, pin, now, config)
}

/// [`sign_in`] at `place`: the same PIN and lockout rules everywhere; a right PIN of an account
/// the place does not admit (a counter account at a kiosk) is refused (`staff_counter_only`)
/// and audited as a failed sign-in.
pub fn sign_in_at(
    store: &mut Store,
    place: SignInPlace,
    name: &str,
    pin: &str,
    now: &ZonedDateTime,
    config: &Config,
) -> Result<SignInResult> {
    let at = rfc3339(now);
    let found = store.staff_by_name(name)?;
    let Some(account) = found.as_ref().filter(|a| a.active).cloned() else {
        // Spend the time a real check takes, so timing does not tell which names exist.
        verify_pin(pin, dummy_hash());
        let why = if found.is_some() {
            "disabled"
        } else {
            "unknown"
        };
        audit(store, &at, None, "login_failed", Some(name), Some(why))?;
        return Ok(SignInResult::WrongPin {
            left: config.staff.max_failures,
        });
    };
    let mut attempts = account.attempts;
    let rules = config.staff.lockout();
    let result = match attempts.check_allowed(rules, now.timestamp()) {
        Err(locked) => {
            if attempts != account.attempts {
                store.set_staff_attempts(account.id, &attempts)?; // a lock shortened to the clock
            }
            locked
        }
        Ok(()) => {
            let pin_ok = verify_pin(pin, &account.pin_hash);
            let result = attempts.record(rules, now.timestamp(), pin_ok);
            store.set_staff_attempts(account.id, &attempts)?;
            result
        }
    };
    Ok(match result {
        SignIn::Allowed if !place.admits(account.role) => {
            audit(
                store,
                &at,
                Some(account.id),
                "login_failed",
                Some(name),
                Some("counter_only"),
            )?;
            return Err(StaffRefusal::CounterOnly(account.name).into());
        }
        SignIn::Allowed => {
            audit(store, &at, Some(account.id), "login", Some(name), None)?;
            SignInResult::SignedIn {
                session: Session {
                    staff_id: account.id,
                    name: account.name,
                    role: account.role,
                    last_active: now.timestamp(),
                },
            }
        }
        SignIn::WrongPin { left } => {
            audit(
                store,
                &at,
                Some(account.id),
                "login_failed",
                Some(name),
                None,
            )?;
            SignInResult::WrongPin { left }
        }
        SignIn::Locked { until } => {
            audit(
                store,
                &at,
                Some(account.id),
                "login_failed",
                Some(name),
                Some("locked"),
            )?;
            SignInResult::Locked {
                until_local: until
                    .to_zoned_datetime(now.time_zone().clone())
                    .strftime("%H:%M")
                    .to_string(),
            }
        }
    })
}

/// Computes the stand-in hash up front (start-up), so the first unknown name costs no more
/// than any other.
pub fn warm_up() {
    let _ = dummy_hash();
}

fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| hash_pin("00000000").unwrap_or_default())
}

/// Why a session ended: the `logout` row's reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignOutReason {
    /// Staff pressed "sign out" (or "done").
    Done,
    /// Idle too long: the screen's timer ran out, or the backend found it so.
    Idle,
    /// Someone signed in over the open session.
    Replaced,
    /// The account was disabled, or given another role, while signed in.
    AccountChanged,
}

impl SignOutReason {
    pub fn as_str(self) -> &'static str {
        match self {
            SignOutReason::Done => "done",
            SignOutReason::Idle => "idle",
            SignOutReason::Replaced => "replaced",
            SignOutReason::AccountChanged => "account_changed",
        }
    }

    /// What the staff screen says when it signs out: `idle` when its timer ran out; anything
    /// else is staff pressing a button.
    pub fn from_screen(why: &str) -> SignOutReason {
        if why == "idle" {
            SignOutReason::Idle
        } else {
            SignOutReason::Done
        }
    }
}

/// Logs a sign-out and why (see [`SignOutReason`]).
pub fn sign_out(
    store: &mut Store,
    session: &Session,
    now: &ZonedDateTime,
    why: SignOutReason,
) -> Result<()> {
    audit(
        store,
        &rfc3339(now),
        Some(session.staff_id),
        "logout",
        Some(&session.name),
        Some(why.as_str()),
    )?;
    Ok(())
}
