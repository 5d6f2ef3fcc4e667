//! When the kiosk's page starts again in a new WebKit web process (issue #19).
//!
//! WebKitGTK keeps one entry per key event a page was sent until that page's web process ends
//! (BENCHMARKS.md: the growth a scanner's keys cause, a few MiB a day). Once a day, from
//! `screens.page_refresh_at` local time, and only after the kiosk has been quiet for
//! `screens.page_refresh_quiet_seconds` (longer than any screen stays open by itself), the
//! window gives the page a fresh web process. The window holds a scanner's keys while the page
//! loads (`src-tauri/src/page_refresh.rs`), so a scan that comes just then is not lost.
//! Pure: the times come in as arguments.

use jiff::{SignedDuration, Timestamp};

use crate::config::Config;

/// Whether the page, loaded at `page_loaded_at`, is due for a fresh web process at `now`, the
/// kiosk having last been used (a command, or a touch or key on its window) at
/// `last_activity_at`.
pub fn page_refresh_due(
    config: &Config,
    now: Timestamp,
    page_loaded_at: Timestamp,
    last_activity_at: Timestamp,
) -> bool {
    let Some(latest_moment) = latest_refresh_moment(config, now) else {
        return false;
    };
    let quiet_for = SignedDuration::from_secs(quiet_seconds(config).into());
    page_loaded_at < latest_moment && now.duration_since(last_activity_at) >= quiet_for
}

/// How long the kiosk must be quiet: `screens.page_refresh_quiet_seconds`, but never less than
/// the longest a screen stays open by itself (a result, the manual entry and walk-in questions,
/// a survey, a staff session), so a refresh never cuts one short.
pub fn quiet_seconds(config: &Config) -> u32 {
    [
        config.screens.page_refresh_quiet_seconds,
        config.screens.result_reset_seconds,
        config.screens.manual_reset_seconds,
        config.survey.reset_seconds,
        config.staff.idle_logout_seconds,
    ]
    .into_iter()
    .max()
    .unwrap_or(0)
}

/// The last time the refresh time of day came round, at or before `now`, in the office's time
/// zone (`None` when the refresh is off). A time of day a daylight-saving change skips moves
/// forward by the gap's length (jiff's compatible rule); Indonesia has none.
fn latest_refresh_moment(config: &Config, now: Timestamp) -> Option<Timestamp> {
    let time = config.screens.page_refresh_at.time()?;
    let zone = config.time_zone();
    let local = now.to_zoned_datetime(zone.clone());
    let today = local
        .date()
        .to_datetime(time)
        .to_zoned_datetime(zone.clone())
        .ok()?;
    if today.timestamp() <= now {
        return Some(today.timestamp());
    }
    let yesterday = local.date().yesterday().ok()?;
    Some(
        yesterday
            .to_datetime(time)
            .to_zoned_datetime(zone)
            .ok()?
            .timestamp(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::PageRefreshAt;

    /// 1 December 2026 in Kupang (WITA, UTC+8) at `hh:mm`.
    fn wita(hh_mm: &str) -> Timestamp {
        format!("2026-12-01T{hh_mm}:00+08:00")
            .parse()
            .expect("a time")
    }

    fn config() -> Config {
        Config::default() // 02:00, 1800 s quiet, Asia/Makassar
    }

    #[test]
    fn a_page_loaded_yesterday_is_refreshed_after_two_once_the_kiosk_is_quiet() {
        let config = config();
        let loaded = "2026-11-30T07:30:00+08:00".parse().expect("a time");
        // Quiet since the office closed: due at 02:00 itself.
        assert!(page_refresh_due(
            &config,
            wita("02:00"),
            loaded,
            wita("00:10")
        ));
        // Not before 02:00, however quiet.
        assert!(!page_refresh_due(
            &config,
            wita("01:59"),
            loaded,
            wita("00:10")
        ));
        // Someone scanned at 01:45: the page waits for half an hour of quiet.
        assert!(!page_refresh_due(
            &config,
            wita("02:14"),
            loaded,
            wita("01:45")
        ));
        assert!(page_refresh_due(
            &config,
            wita("02:15"),
            loaded,
            wita("01:45")
        ));
        // A kiosk busy past two is refreshed at its first quiet spell after it.
        assert!(page_refresh_due(
            &config,
            wita("12:40"),
            loaded,
            wita("12:10")
        ));
    }

    #[test]
    fn once_a_day_a_page_loaded_after_two_waits_for_the_next_night() {
        let config = config();
        // Refreshed (or started) at 02:00 today: nothing more today, however quiet.
        assert!(!page_refresh_due(
            &config,
            wita("23:59"),
            wita("02:00"),
            wita("03:00")
        ));
        // Started at 07:30 today: not due until tomorrow's 02:00.
        assert!(!page_refresh_due(
            &config,
            wita("18:00"),
            wita("07:30"),
            wita("07:31")
        ));
        let tomorrow_two = "2026-12-02T02:00:00+08:00".parse().expect("a time");
        assert!(page_refresh_due(
            &config,
            tomorrow_two,
            wita("07:30"),
            wita("17:00")
        ));
    }

    #[test]
    fn the_time_of_day_is_the_offices_and_off_means_never() {
        let mut config = config();
        config.screens.page_refresh_at =
            PageRefreshAt::at(jiff::civil::Time::constant(19, 30, 0, 0));
        let loaded = wita("07:00");
        // 19:30 WITA is 11:30 UTC.
        assert!(!page_refresh_due(
            &config,
            wita("19:29"),
            loaded,
            wita("08:00")
        ));
        assert!(page_refresh_due(
            &config,
            wita("19:30"),
            loaded,
            wita("08:00")
        ));
        config.office.time_zone = "Asia/Jakarta".into(); // WIB, UTC+7: 19:30 WIB is 20:30 WITA
        assert!(!page_refresh_due(
            &config,
            wita("20:29"),
            loaded,
            wita("08:00")
        ));
        assert!(page_refresh_due(
            &config,
            wita("20:30"),
            loaded,
            wita("08:00")
        ));
        config.screens.page_refresh_at = PageRefreshAt::OFF;
        assert!(!page_refresh_due(
            &config,
            wita("23:00"),
            loaded,
            wita("08:00")
        ));
    }

    #[test]
    fn the_quiet_spell_outlasts_every_screen_that_closes_by_itself() {
        let mut config = config();
        config.screens.page_refresh_quiet_seconds = 60;
        config.staff.idle_logout_seconds = 120; // a staff session may stay open two minutes
        assert_eq!(quiet_seconds(&config), 120);
        let loaded = "2026-11-30T07:30:00+08:00".parse().expect("a time");
        assert!(!page_refresh_due(
            &config,
            wita("03:01"),
            loaded,
            wita("03:00")
        ));
        assert!(page_refresh_due(
            &config,
            wita("03:02"),
            loaded,
            wita("03:00")
        ));
        config.screens.page_refresh_quiet_seconds = 1800;
        assert_eq!(quiet_seconds(&config), 1800);
    }

    #[test]
    fn a_clock_set_back_never_makes_the_page_due() {
        let config = config();
        let loaded = "2026-11-30T07:30:00+08:00".parse().expect("a time");
        // The last activity lies in the future of a clock just set back: not quiet.
        assert!(!page_refresh_due(
            &config,
            wita("03:00"),
            loaded,
            wita("04:00")
        ));
    }
}
