//! When a backup is due: one pure rule of the newest copy's time, the last failed attempt, the
//! clock and `[backup]`. The kiosk's task asks it every minute; nothing here reads the clock.

use std::time::Duration;

use jiff::Timestamp;
use serde::Serialize;

use crate::config::Config;

/// A failed backup is tried again after this long (not every minute: a full disk stays full
/// for a while, and each try costs a copy of the store).
pub const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(10 * 60);

/// Why a backup is taken now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BackupReason {
    /// There is no copy yet.
    First,
    /// `[backup] every_minutes` have passed since the newest copy.
    Interval,
    /// Today's `[backup] day_end` has passed and no copy was taken since.
    DayEnd,
    /// The newest copy is from a moment later than now: the clock was set back. A copy now
    /// starts the count again from the clock as it is.
    ClockSetBack,
}

/// Whether a backup is due at `now`, given the newest copy's time (`None`: no copy) and the
/// last failed attempt (`None`: none since the last success).
pub fn backup_due(
    newest: Option<Timestamp>,
    last_failure: Option<Timestamp>,
    now: Timestamp,
    config: &Config,
) -> Option<BackupReason> {
    if let Some(failed) = last_failure {
        let waited = now.duration_since(failed);
        let retry = jiff::SignedDuration::try_from(RETRY_AFTER_FAILURE).unwrap_or_default();
        if !waited.is_negative() && waited < retry {
            return None;
        }
    }
    let Some(newest) = newest else {
        return Some(BackupReason::First);
    };
    if newest > now {
        return Some(BackupReason::ClockSetBack);
    }
    let zone = config.time_zone();
    let day_end = now
        .to_zoned_datetime(zone.clone())
        .date()
        .to_datetime(config.backup.day_end)
        .to_zoned_datetime(zone)
        .map(|end| end.timestamp());
    if let Ok(day_end) = day_end {
        if now >= day_end && newest < day_end {
            return Some(BackupReason::DayEnd);
        }
    }
    let every = config.backup.every_minutes;
    if every > 0 && now.duration_since(newest).as_secs() >= i64::from(every) * 60 {
        return Some(BackupReason::Interval);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `HH:MM` on 2026-11-29, Kupang time (UTC+8).
    fn at(hh_mm: &str) -> Timestamp {
        format!("2026-11-29T{hh_mm}:00+08:00")
            .parse()
            .expect("time")
    }

    fn config_every(every_minutes: u32) -> Config {
        let mut config = Config::default();
        config.backup.every_minutes = every_minutes;
        config
    }

    #[test]
    fn the_first_copy_is_due_at_once() {
        assert_eq!(
            backup_due(None, None, at("08:00"), &config_every(60)),
            Some(BackupReason::First)
        );
    }

    #[test]
    fn a_copy_is_due_once_the_interval_has_passed() {
        let config = config_every(60);
        assert_eq!(
            backup_due(Some(at("08:00")), None, at("08:59"), &config),
            None
        );
        assert_eq!(
            backup_due(Some(at("08:00")), None, at("09:00"), &config),
            Some(BackupReason::Interval)
        );
        assert_eq!(
            backup_due(Some(at("08:00")), None, at("12:00"), &config_every(0)),
            None,
            "every_minutes = 0: no copies through the day"
        );
    }

    #[test]
    fn one_copy_after_day_end_however_recent_the_last() {
        let config = config_every(60);
        assert_eq!(
            backup_due(Some(at("16:55")), None, at("17:00"), &config),
            Some(BackupReason::DayEnd)
        );
        assert_eq!(
            backup_due(Some(at("17:00")), None, at("17:30"), &config),
            None,
            "once a day"
        );
        assert_eq!(
            backup_due(Some(at("16:55")), None, at("16:59"), &config),
            None
        );
    }

    #[test]
    fn a_clock_set_back_behind_the_newest_copy_takes_one_now() {
        assert_eq!(
            backup_due(Some(at("12:00")), None, at("09:00"), &config_every(60)),
            Some(BackupReason::ClockSetBack)
        );
    }

    #[test]
    fn a_failure_waits_before_the_next_try() {
        let config = config_every(60);
        assert_eq!(
            backup_due(None, Some(at("08:00")), at("08:05"), &config),
            None
        );
        assert_eq!(
            backup_due(None, Some(at("08:00")), at("08:10"), &config),
            Some(BackupReason::First)
        );
        assert_eq!(
            backup_due(None, Some(at("09:00")), at("08:00"), &config),
            Some(BackupReason::First),
            "a failure 'in the future' (clock set back) holds nothing up"
        );
    }
}
