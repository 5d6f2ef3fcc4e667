//! `upstream_clock` and `hub_clock`: this kiosk's clock against another machine's.
//!
//! A kiosk clock that is off opens and closes check-in at the wrong times and stamps check-ins
//! wrongly; the gateway's and the hub's clocks are kept right by their operators.

use jiff::Timestamp;

use super::{Advice, Check};

/// `kiosk` (this kiosk's clock when the answer came) against `other` (the other machine's
/// clock in that answer), passing within `max_skew_seconds` either way.
pub(crate) fn judge_clock(
    id: &'static str,
    whose: &str,
    kiosk: Timestamp,
    other: Timestamp,
    max_skew_seconds: u32,
) -> Check {
    // Positive: the kiosk is ahead.
    let skew = kiosk.duration_since(other).as_secs();
    let way = if skew > 0 { "ahead of" } else { "behind" };
    let check = if skew.unsigned_abs() <= u64::from(max_skew_seconds) {
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
