//! Whether this kiosk's clock agrees with the office's other machines: the gateway (the HTTP
//! `Date` header of each of its answers) and the hub (PostgreSQL's clock).
//!
//! Every verdict depends on the kiosk's clock: one an hour off refuses everyone as too early or
//! too late, and stamps check-ins and tickets wrongly. The gateway's and the hub's clocks are
//! kept right by their operators, so a kiosk that differs from them by more than
//! `[doctor] max_clock_skew_seconds` raises an alarm for staff (`hadir status`, the staff
//! screen) and fails `hadir doctor`'s clock lines. Pure: both clocks come in as arguments.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::texts::{both, BothLanguages};

/// Whose clock the kiosk's was compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockSource {
    Gateway,
    Hub,
}

impl ClockSource {
    /// The name in health facts, logs and `hadir status`.
    pub fn as_str(self) -> &'static str {
        match self {
            ClockSource::Gateway => "gateway",
            ClockSource::Hub => "hub",
        }
    }
}

/// One comparison: the kiosk's clock when an answer came, and the other machine's in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockReading {
    pub kiosk_time: Timestamp,
    pub other_time: Timestamp,
}

impl ClockReading {
    /// A reading from an HTTP `Date` header (`Sun, 29 Nov 2026 00:30:00 GMT`); `None` when the
    /// header cannot be read as a date (the clocks are then not compared).
    pub fn from_http_date(kiosk_time: Timestamp, header: &str) -> Option<ClockReading> {
        let other = jiff::fmt::rfc2822::parse(header.trim()).ok()?;
        Some(ClockReading {
            kiosk_time,
            other_time: other.timestamp(),
        })
    }

    /// Seconds the kiosk's clock is ahead of the other's (negative: behind).
    pub fn skew_seconds(&self) -> i64 {
        self.kiosk_time.duration_since(self.other_time).as_secs()
    }

    /// Further apart than `max_skew_seconds`, either way.
    pub fn is_beyond(&self, max_skew_seconds: u32) -> bool {
        self.skew_seconds().unsigned_abs() > u64::from(max_skew_seconds)
    }
}

/// The latest comparison with one machine, as staff and `hadir status` see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClockCheck {
    /// Positive: the kiosk is ahead.
    pub skew_seconds: i64,
    /// Beyond the allowed skew.
    pub beyond: bool,
    /// RFC 3339 UTC: the kiosk's clock and the other machine's at that answer.
    pub kiosk_time: String,
    pub other_time: String,
}

/// The kiosk's clock against the gateway's and the hub's latest answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClockHealth {
    /// Some reading is beyond `max_skew_seconds`: the staff corner's clock icon.
    pub alarm: bool,
    pub max_skew_seconds: u32,
    /// `None`: no answer with a clock yet (no gateway, no `Date` header, no hub).
    pub gateway: Option<ClockCheck>,
    pub hub: Option<ClockCheck>,
    /// What to do, while the alarm is up.
    pub next_step: Option<BothLanguages>,
}

impl ClockHealth {
    /// Judges the latest reading of each machine. A reading stands until the next answer
    /// replaces it: the alarm ends at the first answer after the clock was set right.
    pub fn judge(
        gateway: Option<ClockReading>,
        hub: Option<ClockReading>,
        max_skew_seconds: u32,
    ) -> ClockHealth {
        let check = |reading: ClockReading| ClockCheck {
            skew_seconds: reading.skew_seconds(),
            beyond: reading.is_beyond(max_skew_seconds),
            kiosk_time: reading.kiosk_time.to_string(),
            other_time: reading.other_time.to_string(),
        };
        let gateway = gateway.map(check);
        let hub = hub.map(check);
        let alarm = [&gateway, &hub]
            .into_iter()
            .flatten()
            .any(|check| check.beyond);
        ClockHealth {
            alarm,
            max_skew_seconds,
            gateway,
            hub,
            next_step: alarm.then(|| both("clock.skew.next", &serde_json::Value::Null)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().expect("timestamp")
    }

    fn reading(kiosk: &str, other: &str) -> ClockReading {
        ClockReading {
            kiosk_time: at(kiosk),
            other_time: at(other),
        }
    }

    #[test]
    fn the_skew_is_signed_and_judged_either_way() {
        let ahead = reading("2026-11-29T01:10:00Z", "2026-11-29T01:00:00Z");
        assert_eq!(ahead.skew_seconds(), 600);
        assert!(ahead.is_beyond(120));
        let behind = reading("2026-11-29T00:55:00Z", "2026-11-29T01:00:00Z");
        assert_eq!(behind.skew_seconds(), -300);
        assert!(behind.is_beyond(120));
        let close = reading("2026-11-29T01:02:00Z", "2026-11-29T01:00:00Z");
        assert!(!close.is_beyond(120), "exactly the allowed skew passes");
        assert!(close.is_beyond(119));
    }

    #[test]
    fn an_http_date_is_read_and_garbage_is_no_reading() {
        let kiosk = at("2026-11-29T00:40:00Z");
        let read = ClockReading::from_http_date(kiosk, "Sun, 29 Nov 2026 00:30:00 GMT")
            .expect("an HTTP date");
        assert_eq!(read.skew_seconds(), 600);
        assert_eq!(ClockReading::from_http_date(kiosk, "yesterday"), None);
        assert_eq!(ClockReading::from_http_date(kiosk, ""), None);
    }

    #[test]
    fn either_machine_beyond_the_skew_raises_the_alarm_with_a_next_step() {
        let fine = reading("2026-11-29T01:00:30Z", "2026-11-29T01:00:00Z");
        let off = reading("2026-11-29T04:00:00Z", "2026-11-29T01:00:00Z");
        let calm = ClockHealth::judge(Some(fine), Some(fine), 120);
        assert!(!calm.alarm);
        assert_eq!(calm.next_step, None);
        assert_eq!(calm.gateway.as_ref().map(|c| c.skew_seconds), Some(30));
        for (gateway, hub) in [
            (Some(off), Some(fine)),
            (None, Some(off)),
            (Some(off), None),
        ] {
            let health = ClockHealth::judge(gateway, hub, 120);
            assert!(health.alarm, "{gateway:?} {hub:?}");
            let next = health.next_step.expect("a next step while the alarm is up");
            assert!(!next.id.is_empty() && !next.en.is_empty());
        }
        let none = ClockHealth::judge(None, None, 120);
        assert!(!none.alarm, "no answer yet is no alarm");
        assert_eq!((none.gateway, none.hub), (None, None));
    }
}
