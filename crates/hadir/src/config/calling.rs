//! `[calling]`: how a counter's "call next" picks the next ticket at the office hub (the rule
//! itself is `crate::call_order`'s; the calls are `crate::hub`'s).

use serde::{Deserialize, Serialize};

/// Highest `priority_streak_max`: past this the fairness rule would no longer protect anyone.
pub const MAX_PRIORITY_STREAK: u32 = 20;

/// Most counters an office may number (`counters`).
pub const MAX_COUNTERS: u32 = 99;

/// Highest `no_show_after_recalls`.
pub const MAX_RECALLS_BEFORE_NO_SHOW: u32 = 10;

/// The calling rules of the office (every counter and the hub read the same file's values).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CallingConfig {
    /// A counter calls at most this many priority-lane tickets in a row while a regular ticket
    /// it serves waits; then it calls the regular one.
    pub priority_streak_max: u32,
    /// A booked ticket is not called before its slot starts (walk-ins and bookings without a
    /// slot are never held).
    pub hold_bookings_until_slot: bool,
    /// A called ticket may be marked no-show only after this many calls again (0: at once).
    pub no_show_after_recalls: u32,
    /// A ticket sent to another service joins that queue at the place its check-in time gives
    /// it (`true`), or at the end (`false`).
    pub transfer_keeps_place: bool,
    /// How many counters the office has: a counter machine offers the numbers 1 to this.
    pub counters: u32,
}

impl Default for CallingConfig {
    fn default() -> Self {
        CallingConfig {
            priority_streak_max: 3,
            hold_bookings_until_slot: false,
            no_show_after_recalls: 2,
            transfer_keeps_place: true,
            counters: 8,
        }
    }
}

/// Checks the values serde cannot, as `Config::validate` does.
pub(super) fn validate(calling: &CallingConfig) -> std::result::Result<(), (&'static str, String)> {
    if !(1..=MAX_PRIORITY_STREAK).contains(&calling.priority_streak_max) {
        return Err((
            "calling.priority_streak_max",
            format!("must be 1 to {MAX_PRIORITY_STREAK} (priority calls in a row)"),
        ));
    }
    if calling.no_show_after_recalls > MAX_RECALLS_BEFORE_NO_SHOW {
        return Err((
            "calling.no_show_after_recalls",
            format!("must be 0 to {MAX_RECALLS_BEFORE_NO_SHOW} (calls again)"),
        ));
    }
    if !(1..=MAX_COUNTERS).contains(&calling.counters) {
        return Err((
            "calling.counters",
            format!("must be 1 to {MAX_COUNTERS} (counters in the office)"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_pass_and_ranges_are_checked() {
        assert_eq!(validate(&CallingConfig::default()), Ok(()));
        let none_in_a_row = CallingConfig {
            priority_streak_max: 0,
            ..CallingConfig::default()
        };
        assert_eq!(
            validate(&none_in_a_row).expect_err("refused").0,
            "calling.priority_streak_max"
        );
        let endless = CallingConfig {
            no_show_after_recalls: 11,
            ..CallingConfig::default()
        };
        assert_eq!(
            validate(&endless).expect_err("refused").0,
            "calling.no_show_after_recalls"
        );
    }
}
