//! When to try again: exponential backoff with jitter, capped, and the server's `Retry-After`.
//! Pure: the clock and the random jitter come in as arguments.

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};

use crate::error::RetryAfter;

/// First retry after a failure waits about this long.
pub const BACKOFF_BASE: Duration = Duration::from_secs(2);
/// No backoff wait is longer (the contract's cap).
pub const BACKOFF_CAP: Duration = Duration::from_secs(300);
/// Consecutive failures of one kind of request, and when it may run again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub failures: u32,
    pub not_before: Timestamp,
    /// How long the wait to `not_before` was when it was set: a clock set back never makes it
    /// longer (see [`Schedule::heal_clock_jump`]).
    pub wait: Duration,
}

impl Backoff {
    pub fn new(now: Timestamp) -> Backoff {
        Backoff {
            failures: 0,
            not_before: now,
            wait: Duration::ZERO,
        }
    }

    pub fn ready(&self, now: Timestamp) -> bool {
        now >= self.not_before
    }

    pub fn succeeded(&mut self, now: Timestamp) {
        self.failures = 0;
        self.not_before = now;
        self.wait = Duration::ZERO;
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
        self.not_before = at_most(now, wait);
        self.wait = wait;
        wait
    }
}

/// `now + wait`, or the furthest moment there is.
fn at_most(now: Timestamp, wait: Duration) -> Timestamp {
    SignedDuration::try_from(wait)
        .ok()
        .and_then(|wait| now.checked_add(wait).ok())
        .unwrap_or(Timestamp::MAX)
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
    /// How long the wait to `next_pull` was when it was set (`pull_every`, or a backoff).
    pub next_pull_wait: Duration,
    pub pull: Backoff,
    pub push: Backoff,
}

impl Schedule {
    /// A schedule that pulls at once.
    pub fn new(pull_every: Duration, now: Timestamp) -> Schedule {
        Schedule {
            pull_every,
            next_pull: now,
            next_pull_wait: Duration::ZERO,
            pull: Backoff::new(now),
            push: Backoff::new(now),
        }
    }

    pub fn pull_due(&self, now: Timestamp) -> bool {
        now >= self.next_pull && self.pull.ready(now)
    }

    pub fn pulled(&mut self, now: Timestamp) {
        self.pull.succeeded(now);
        self.next_pull = at_most(now, self.pull_every);
        self.next_pull_wait = self.pull_every;
    }

    pub fn pull_failed(&mut self, now: Timestamp, retry_after: Option<RetryAfter>, jitter: f64) {
        self.pull.failed(now, retry_after, jitter);
        self.next_pull = self.pull.not_before;
        self.next_pull_wait = self.pull.wait;
    }

    /// Waits are kept as moments on the kiosk's clock. If that clock is set back (NTP correcting
    /// a bad RTC, across midnight or not), a moment set on the old clock lies further from `now`
    /// than the wait that set it, by the size of the jump, however small. Such a moment no
    /// longer means anything: its wait ends now, and a failure after it backs off afresh. (A
    /// clock moved forward needs nothing: the moments have passed, so what waited runs at once.)
    pub fn heal_clock_jump(&mut self, now: Timestamp) {
        if self.next_pull > at_most(now, self.next_pull_wait) {
            self.next_pull = now;
        }
        for backoff in [&mut self.pull, &mut self.push] {
            if backoff.not_before > at_most(now, backoff.wait) {
                backoff.not_before = now;
            }
        }
    }

    /// "Sync now": forget backoffs and pull at once.
    pub fn reset(&mut self, now: Timestamp) {
        self.next_pull = now;
        self.next_pull_wait = Duration::ZERO;
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
    use crate::error::RETRY_AFTER_CAP;

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
    fn a_clock_set_back_by_less_than_an_hour_waits_no_longer_than_the_wait_it_set() {
        // NTP moves the clock back 50 minutes, right after a pull and a failed push: the waits
        // were set as moments on the old clock, 55 and 50 minutes away on the new one.
        let pull_every = Duration::from_secs(300);
        let mut schedule = Schedule::new(pull_every, t0());
        schedule.pulled(t0());
        let push_wait = schedule.push.failed(t0(), None, 0.0);
        let now = t0() - SignedDuration::from_mins(50);
        schedule.heal_clock_jump(now);
        let after = |wait: Duration| now + SignedDuration::try_from(wait).expect("short");
        assert!(
            schedule.pull_due(after(pull_every)),
            "the next pull comes within pull_every of now, not 55 minutes on"
        );
        assert!(
            schedule.push.ready(after(push_wait)),
            "the push retries after its 1 s, not after the 50 minutes the clock went back"
        );
        assert!(
            schedule.sleep_for(now, true) <= push_wait,
            "the task sleeps no longer than the wait: {:?}",
            schedule.sleep_for(now, true)
        );
    }

    #[test]
    fn after_a_clock_set_back_waits_are_set_from_the_new_clock() {
        let mut schedule = Schedule::new(Duration::from_secs(300), t0());
        schedule.pull_failed(t0(), Some(RetryAfter::Seconds(1800)), 0.0);
        let now = t0() - SignedDuration::from_hours(3);
        schedule.heal_clock_jump(now);
        assert!(
            schedule.pull_due(now),
            "a moment on the old clock means nothing"
        );
        schedule.pull_failed(now, Some(RetryAfter::Seconds(1800)), 0.0);
        schedule.heal_clock_jump(now + SignedDuration::from_mins(1));
        assert!(
            !schedule.pull_due(now + SignedDuration::from_mins(29)),
            "a wait set on the new clock is kept"
        );
        assert!(schedule.pull_due(now + SignedDuration::from_mins(30)));
    }

    #[test]
    fn a_clock_moved_forward_a_day_syncs_at_once_and_then_as_usual() {
        let pull_every = Duration::from_secs(300);
        let mut schedule = Schedule::new(pull_every, t0());
        schedule.pulled(t0());
        schedule.push.failed(t0(), None, 0.0);
        let now = t0() + SignedDuration::from_hours(24);
        schedule.heal_clock_jump(now);
        assert!(schedule.pull_due(now) && schedule.push.ready(now));
        assert_eq!(schedule.sleep_for(now, true), Duration::ZERO);
        schedule.pulled(now);
        assert!(!schedule.pull_due(now), "a pull just made is not due again");
        assert_eq!(schedule.sleep_for(now, false), pull_every);
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
