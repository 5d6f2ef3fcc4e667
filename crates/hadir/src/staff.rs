//! Staff sign-in rules that do not depend on how PINs are stored: the PIN's form and the
//! lockout after failed attempts (the clock comes in as an argument), and which account may
//! be disabled.

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use crate::error::StaffRefusal;
use crate::model::StaffRole;

/// How many failures lock a PIN, and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockoutRules {
    pub max_failures: u32,
    pub lock_for: Duration,
}

impl Default for LockoutRules {
    fn default() -> Self {
        LockoutRules {
            max_failures: 5,
            lock_for: Duration::from_secs(5 * 60),
        }
    }
}

/// How many digits a staff PIN has: typed on the kiosk's own number pad.
pub const PIN_DIGITS: std::ops::RangeInclusive<usize> = 4..=8;

/// The longest staff account name (the sign-in screen lists them as buttons).
pub const MAX_NAME_CHARS: usize = 40;

/// A staff PIN is 4 to 8 digits ([`PIN_DIGITS`]).
pub fn pin_is_well_formed(pin: &str) -> bool {
    PIN_DIGITS.contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit())
}

/// The PIN as an Argon2id PHC string with a random salt (what the store keeps).
pub fn hash_pin(pin: &str) -> crate::Result<String> {
    use argon2::password_hash::PasswordHasher;
    argon2::Argon2::default()
        .hash_password(pin.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| crate::Error::Io {
            what: format!("cannot hash the PIN: {e}"),
            source: std::io::Error::other("argon2"),
        })
}

/// Whether `pin` matches a stored hash. A malformed hash matches nothing.
pub fn verify_pin(pin: &str, hash: &str) -> bool {
    use argon2::password_hash::{phc::PasswordHash, PasswordVerifier};
    PasswordHash::new(hash).is_ok_and(|parsed| {
        argon2::Argon2::default()
            .verify_password(pin.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A staff account as the store keeps it (the PIN only as its Argon2id hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaffAccount {
    pub id: i64,
    pub name: String,
    pub role: StaffRole,
    #[serde(skip)]
    pub pin_hash: String,
    pub active: bool,
    pub attempts: Attempts,
}

/// Whether `target` may be disabled by `acting` (the signed-in account's id; `None`: the admin
/// CLI on the machine itself), given every account in the store. Staff mode must stay open to
/// someone who can manage accounts: nobody disables their own account (a supervisor would
/// lock themselves out mid-session), and the last active supervisor stays, or export, accounts
/// and settings are closed to everyone until someone uses the CLI. An account already
/// disabled may be "disabled" again: nothing changes.
pub fn check_disable(
    acting: Option<i64>,
    target: &StaffAccount,
    accounts: &[StaffAccount],
) -> Result<(), StaffRefusal> {
    if acting == Some(target.id) {
        return Err(StaffRefusal::CannotDisableSelf);
    }
    let is_active_supervisor = |a: &StaffAccount| a.active && a.role == StaffRole::Supervisor;
    let other_supervisors = accounts
        .iter()
        .filter(|a| a.id != target.id && is_active_supervisor(a))
        .count();
    if is_active_supervisor(target) && other_supervisors == 0 {
        return Err(StaffRefusal::LastSupervisor(target.name.clone()));
    }
    Ok(())
}

/// Failed attempts against one staff account (or one kiosk, for unknown accounts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Attempts {
    pub failures: u32,
    pub locked_until: Option<Timestamp>,
}

/// What a sign-in attempt leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum SignIn {
    Allowed,
    /// Wrong PIN; `left` tries before the lock.
    WrongPin {
        left: u32,
    },
    /// Locked: no PIN is even checked until `until`.
    Locked {
        until: Timestamp,
    },
}

impl Attempts {
    /// Whether a PIN may be checked at all at `now` (a locked account does not get to try).
    /// A lock that ends further from `now` than its own length was set before the clock was
    /// put back (NTP, a wrong time corrected): it is shortened to end one length from now, so
    /// a clock change never locks the office out for hours.
    pub fn check_allowed(&mut self, rules: LockoutRules, now: Timestamp) -> Result<(), SignIn> {
        let longest = lock_end(rules, now);
        if self.locked_until.is_some_and(|until| until > longest) {
            self.locked_until = Some(longest);
        }
        match self.locked_until {
            Some(until) if now < until => Err(SignIn::Locked { until }),
            _ => Ok(()),
        }
    }

    /// Records the result of checking a PIN at `now` and says what the person sees.
    pub fn record(&mut self, rules: LockoutRules, now: Timestamp, pin_ok: bool) -> SignIn {
        if let Err(locked) = self.check_allowed(rules, now) {
            return locked;
        }
        if self.locked_until.is_some() {
            // The lock ran out: a fresh set of tries.
            *self = Attempts::default();
        }
        if pin_ok {
            *self = Attempts::default();
            return SignIn::Allowed;
        }
        self.failures += 1;
        if self.failures >= rules.max_failures {
            let until = lock_end(rules, now);
            self.locked_until = Some(until);
            return SignIn::Locked { until };
        }
        SignIn::WrongPin {
            left: rules.max_failures - self.failures,
        }
    }
}

/// When a lock set at `now` ends.
fn lock_end(rules: LockoutRules, now: Timestamp) -> Timestamp {
    SignedDuration::try_from(rules.lock_for)
        .ok()
        .and_then(|length| now.checked_add(length).ok())
        .unwrap_or(Timestamp::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> Timestamp {
        Timestamp::from_second(1_795_000_000 + seconds).expect("timestamp")
    }

    #[test]
    fn five_failures_lock_for_five_minutes_then_tries_start_again() {
        let rules = LockoutRules::default();
        let mut attempts = Attempts::default();
        for (i, left) in [4, 3, 2, 1].into_iter().enumerate() {
            assert_eq!(
                attempts.record(rules, at(i as i64), false),
                SignIn::WrongPin { left }
            );
        }
        let locked = attempts.record(rules, at(4), false);
        assert_eq!(locked, SignIn::Locked { until: at(304) });
        // Even the right PIN is not checked while locked.
        assert_eq!(
            attempts.record(rules, at(303), true),
            SignIn::Locked { until: at(304) }
        );
        assert!(attempts.check_allowed(rules, at(303)).is_err());
        // After the lock: allowed, and the count starts again.
        assert_eq!(
            attempts.record(rules, at(304), false),
            SignIn::WrongPin { left: 4 }
        );
        assert_eq!(attempts.record(rules, at(305), true), SignIn::Allowed);
        assert_eq!(attempts, Attempts::default());
    }

    #[test]
    fn a_clock_put_back_never_makes_a_lock_longer_than_its_length() {
        let rules = LockoutRules::default(); // five minutes
        let mut attempts = Attempts::default();
        for i in 0..5 {
            attempts.record(rules, at(i), false);
        }
        assert_eq!(attempts.locked_until, Some(at(304)));
        // NTP puts the clock back three hours: the lock ends five minutes from the new now,
        // not three hours and five minutes later.
        let back = -3 * 3600;
        assert_eq!(
            attempts.check_allowed(rules, at(back)),
            Err(SignIn::Locked {
                until: at(back + 300)
            })
        );
        assert_eq!(
            attempts.check_allowed(rules, at(back + 299)),
            Err(SignIn::Locked {
                until: at(back + 300)
            }),
            "the shortened lock is kept, not pushed on by each look"
        );
        assert_eq!(attempts.check_allowed(rules, at(back + 300)), Ok(()));
        assert_eq!(
            attempts.record(rules, at(back + 300), true),
            SignIn::Allowed
        );
    }

    #[test]
    fn a_success_clears_earlier_failures() {
        let rules = LockoutRules::default();
        let mut attempts = Attempts::default();
        attempts.record(rules, at(0), false);
        attempts.record(rules, at(1), false);
        assert_eq!(attempts.record(rules, at(2), true), SignIn::Allowed);
        assert_eq!(attempts.failures, 0);
    }

    #[test]
    fn brute_force_of_ten_thousand_pins_gets_five_tries_per_lock() {
        let rules = LockoutRules::default();
        let mut attempts = Attempts::default();
        let mut checked = 0;
        // One guess a second for ten thousand seconds (2.8 hours).
        for second in 0..10_000 {
            if attempts.check_allowed(rules, at(second)).is_ok() {
                checked += 1;
                attempts.record(rules, at(second), false);
            }
        }
        // 5 tries per 5-minute lock: about 5 x 10,000 / 300.
        assert!(checked <= 5 * (10_000 / 300 + 1), "{checked} PINs checked");
    }

    #[test]
    fn pins_are_hashed_with_salt_and_verified() {
        let first = hash_pin("482915").expect("hashes");
        let second = hash_pin("482915").expect("hashes");
        assert!(first.starts_with("$argon2id$"), "{first}");
        assert_ne!(first, second, "a fresh salt each time");
        assert!(verify_pin("482915", &first));
        assert!(!verify_pin("482916", &first));
        assert!(!verify_pin("482915", "not a hash"));
    }

    fn account(id: i64, role: StaffRole, active: bool) -> StaffAccount {
        StaffAccount {
            id,
            name: format!("staff{id}"),
            role,
            pin_hash: String::new(),
            active,
            attempts: Attempts::default(),
        }
    }

    #[test]
    fn nobody_disables_their_own_account() {
        let me = account(1, StaffRole::Supervisor, true);
        let accounts = [me.clone(), account(2, StaffRole::Supervisor, true)];
        assert_eq!(
            check_disable(Some(1), &me, &accounts),
            Err(StaffRefusal::CannotDisableSelf)
        );
        assert_eq!(
            check_disable(Some(2), &me, &accounts),
            Ok(()),
            "another supervisor may"
        );
    }

    #[test]
    fn the_last_active_supervisor_stays_even_for_the_cli() {
        let last = account(1, StaffRole::Supervisor, true);
        // A disabled supervisor and a front-desk account do not keep staff mode manageable.
        let accounts = [
            last.clone(),
            account(2, StaffRole::Supervisor, false),
            account(3, StaffRole::Frontdesk, true),
        ];
        for acting in [Some(3), None] {
            assert_eq!(
                check_disable(acting, &last, &accounts),
                Err(StaffRefusal::LastSupervisor("staff1".into())),
                "acting {acting:?}"
            );
        }
        assert_eq!(
            check_disable(None, &accounts[2], &accounts),
            Ok(()),
            "front-desk accounts are not counted"
        );
        assert_eq!(
            check_disable(None, &accounts[1], &accounts),
            Ok(()),
            "disabling a disabled supervisor changes nothing"
        );
    }

    #[test]
    fn pins_are_four_to_eight_digits() {
        assert!(pin_is_well_formed("1234"));
        assert!(pin_is_well_formed("12345678"));
        assert!(!pin_is_well_formed("123"));
        assert!(!pin_is_well_formed("123456789"));
        assert!(!pin_is_well_formed("12a4"));
        assert!(!pin_is_well_formed("١٢٣٤"), "ASCII digits only");
    }
}
