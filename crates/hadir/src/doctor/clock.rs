//! `upstream_clock` and `hub_clock`: this kiosk's clock against another machine's.
//!
//! A kiosk clock that is off opens and closes check-in at the wrong times and stamps check-ins
//! wrongly; the gateway's and the hub's clocks are kept right by their operators. The rule is
//! the one the staff screen's alarm follows (`crate::clock_skew`).

use super::{Advice, Check};
use crate::clock_skew::ClockReading;

/// The kiosk's clock when an answer came against the other machine's in it, passing within
/// `max_skew_seconds` either way.
pub(crate) fn judge_clock(
    id: &'static str,
    whose: &str,
    reading: ClockReading,
    max_skew_seconds: u32,
) -> Check {
    let ClockReading {
        kiosk_time: kiosk,
        other_time: other,
    } = reading;
    // Positive: the kiosk is ahead.
    let skew = reading.skew_seconds();
    let way = if skew > 0 { "ahead of" } else { "behind" };
    let check = if !reading.is_beyond(max_skew_seconds) {
        Check::pass(
            id,
            format!(
                "kiosk clock within {} s of the {whose}'s ({skew:+} s)",
                max_skew_seconds
            ),
        )
    } else {
        Check::fail(
            id,
            format!(
                "kiosk clock is {} s {way} the {whose}'s (kiosk {kiosk}, {whose} {other}; at most {max_skew_seconds} s allowed)",
                skew.unsigned_abs()
            ),
            Advice::fixed("clock_skew", "doctor.clock_skew"),
        )
    };
    check
        .fact("skew_seconds", skew)
        .fact("max_skew_seconds", max_skew_seconds)
        .fact("kiosk_time", kiosk.to_string())
        .fact("other_time", other.to_string())
}
