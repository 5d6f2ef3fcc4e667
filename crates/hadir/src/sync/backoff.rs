//! When to try again: exponential backoff with jitter, capped, and the server's `Retry-After`.
//! Pure: the clock and the random jitter come in as arguments.

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};

use crate::error::{RetryAfter, RETRY_AFTER_CAP};

/// First retry after a failure waits about this long.
pub const BACKOFF_BASE: Duration = Duration::from_secs(2);
/// No backoff wait is longer (the contract's cap).
pub const BACKOFF_CAP: Duration = Duration::from_secs(300);
/// Consecutive failures of one kind of request, and when it may run again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub failures: u32,
    pub not_before: Timestamp,
}

impl Backoff {
    pub fn new(now: Timestamp) -> Backoff {
        Backoff {
            failures: 0,
            not_before: now,
        }
    }

    pub fn ready(&self, now: Timestamp) -> bool {
        now >= self.not_before
    }

    pub fn succeeded(&mut self, now: Timestamp) {
        self.failures = 0;
        self.not_before = now;
    }

    /// Records a failure at `now`; `jitter` is uniform in [0, 1). The wait is the exponential
    /// delay with "equal jitter" (half fixed, half random, so kiosks that failed together do
    /// not retry together), at least what the server asked for.
    pub fn failed(
        &mut self,
        now: Timestamp,
        retry_after: Option<RetryAfter>,
        jitter: f64,
    ) -> Duration {
        self.failures = self.failures.saturating_add(1);
        let wait = backoff_delay(self.failures, jitter)
            .max(retry_after.map(|r| r.wait_from(now)).unwrap_or_default());
        self.not_before = now + SignedDuration::try_from(wait).unwrap_or(SignedDuration::MAX);
        wait
    }
}

/// The wait after `failures` consecutive failures (1 = the first), with `jitter` in [0, 1).
pub fn backoff_delay(failures: u32, jitter: f64) -> Duration {
    let exponent = failures.saturating_sub(1).min(16);
    let full = BACKOFF_BASE.saturating_mul(1 << exponent).min(BACKOFF_CAP);
    let jitter = jitter.clamp(0.0, 1.0);
    full / 2 + full.mul_f64(jitter / 2.0)
}

/// The sync task's plan: when the next pull is due, and whether pushes are held back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub pull_every: Duration,
    pub next_pull: Timestamp,
    pub pull: Backoff,
    pub push: Backoff,
}

impl Schedule {
    /// A schedule that pulls at once.
    pub fn new(pull_every: Duration, now: Timestamp) -> Schedule {
        Schedule {
            pull_every,
            next_pull: now,
            pull: Backoff::new(now),
            push: Backoff::new(now),
        }
    }

    pub fn pull_due(&self, now: Timestamp) -> bool {
        now >= self.next_pull && self.pull.ready(now)
    }

    pub fn pulled(&mut self, now: Timestamp) {
        self.pull.succeeded(now);
        self.next_pull =
            now + SignedDuration::try_from(self.pull_every).unwrap_or(SignedDuration::MAX);
    }

    pub fn pull_failed(&mut self, now: Timestamp, retry_after: Option<RetryAfter>, jitter: f64) {
        self.pull.failed(now, retry_after, jitter);
        self.next_pull = self.pull.not_before;
    }

    /// Waits are kept as moments on the kiosk's clock. If that clock is set back (NTP correcting
    /// a bad RTC), a moment can end up further away than any wait this schedule ever sets; such
    /// a moment is moved to `now` instead of stalling sync for the size of the jump.
    pub fn heal_clock_jump(&mut self, now: Timestamp) {
        let longest =
            |wait: Duration| now + SignedDuration::try_from(wait).unwrap_or(SignedDuration::MAX);
        if self.next_pull > longest(self.pull_every.max(RETRY_AFTER_CAP)) {
            self.next_pull = now;
        }
        for backoff in [&mut self.pull, &mut self.push] {
            if backoff.not_before > longest(BACKOFF_CAP.max(RETRY_AFTER_CAP)) {
                backoff.not_before = now;
            }
        }
    }

    /// "Sync now": forget backoffs and pull at once.
    pub fn reset(&mut self, now: Timestamp) {
        self.next_pull = now;
        self.pull = Backoff::new(now);
        self.push = Backoff::new(now);
    }

    /// How long the task may sleep before something is due (it also wakes on new events).
    pub fn sleep_for(&self, now: Timestamp, events_waiting: bool) -> Duration {
        let mut until = self.next_pull.max(self.pull.not_before);
        if events_waiting {
            until = until.min(self.push.not_before);
        }
        Duration::try_from(until.duration_since(now)).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t0() -> Timestamp {
        "2026-11-29T01:00:00Z".parse().expect("timestamp")
    }

    #[test]
    fn delay_doubles_from_two_seconds_and_stops_at_five_minutes() {
        let fixed: Vec<u64> = (1..=10).map(|n| backoff_delay(n, 1.0).as_secs()).collect();
        assert_eq!(fixed, [2, 4, 8, 16, 32, 64, 128, 256, 300, 300]);
        assert_eq!(backoff_delay(1000, 1.0), BACKOFF_CAP, "no overflow");
    }

    #[test]
    fn jitter_spreads_between_half_and_full_delay() {
        assert_eq!(backoff_delay(4, 0.0), Duration::from_secs(8));
        assert_eq!(backoff_delay(4, 0.5), Duration::from_secs(12));
        assert!(backoff_delay(4, 0.999) < Duration::from_secs(16));
    }

    #[test]
    fn retry_after_is_honoured_above_the_backoff() {
        let mut backoff = Backoff::new(t0());
        let wait = backoff.failed(t0(), Some(RetryAfter::Seconds(120)), 0.0);
        assert_eq!(wait, Duration::from_secs(120));
        assert!(!backoff.ready(t0() + SignedDuration::from_secs(119)));
        assert!(backoff.ready(t0() + SignedDuration::from_secs(120)));
        let later = backoff.failed(t0(), Some(RetryAfter::Seconds(1)), 0.0);
        assert_eq!(
            later,
            Duration::from_secs(2),
            "the backoff wins when longer"
        );
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        assert_eq!(RetryAfter::parse(" 30 "), Some(RetryAfter::Seconds(30)));
        let at = RetryAfter::parse("Sun, 29 Nov 2026 01:01:00 GMT").expect("HTTP date");
        assert_eq!(at.wait_from(t0()), Duration::from_secs(60));
        assert_eq!(
            RetryAfter::Seconds(999_999).wait_from(t0()),
            RETRY_AFTER_CAP,
            "a silly header cannot stop sync for days"
        );
        assert_eq!(RetryAfter::parse("soon"), None);
    }

    #[test]
    fn a_clock_set_back_does_not_stall_sync() {
        let later = t0() + SignedDuration::from_hours(30);
        let mut schedule = Schedule::new(Duration::from_secs(300), later);
        schedule.pulled(later);
        schedule.push.failed(later, None, 0.5);
        schedule.heal_clock_jump(t0()); // the clock went back 30 hours
        assert!(schedule.pull_due(t0()), "pull at once, not in 30 h");
        assert!(schedule.push.ready(t0()));
        let mut normal = Schedule::new(Duration::from_secs(300), t0());
        normal.pulled(t0());
        normal.heal_clock_jump(t0());
        assert!(!normal.pull_due(t0()), "an ordinary wait is kept");
    }

    #[test]
    fn success_resets_and_schedules_the_next_pull() {
        let mut schedule = Schedule::new(Duration::from_secs(300), t0());
        assert!(schedule.pull_due(t0()));
        schedule.pull_failed(t0(), None, 0.0);
        schedule.pull_failed(t0(), None, 0.0);
        assert_eq!(schedule.pull.failures, 2);
        // Second failure: 4 s, half of it with no jitter.
        assert!(!schedule.pull_due(t0() + SignedDuration::from_secs(1)));
        assert!(schedule.pull_due(t0() + SignedDuration::from_secs(2)));
        schedule.pulled(t0());
        assert_eq!(schedule.pull.failures, 0);
        assert_eq!(schedule.sleep_for(t0(), false), Duration::from_secs(300));
        schedule.push.failed(t0(), None, 0.0);
        assert_eq!(schedule.sleep_for(t0(), true), Duration::from_secs(1));
        schedule.reset(t0());
        assert!(schedule.pull_due(t0()));
    }
}
