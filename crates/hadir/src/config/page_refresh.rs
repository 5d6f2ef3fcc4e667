//! `screens.page_refresh_at` and `screens.page_refresh_quiet_seconds`: when the kiosk's page
//! starts again in a new WebKit web process (issue #19). WebKitGTK keeps an entry for every key
//! event a page receives until its web process ends (BENCHMARKS.md), a few MiB a day at the
//! office's volume; a fresh web process once a day, while nobody uses the kiosk, gives it back
//! without a restart. The rule is [`crate::page_refresh`].

use std::fmt;

use jiff::civil::Time;
use serde::{Deserialize, Serialize};

/// The local time of day from which the page is due again (`"02:00"`, seconds allowed), or
/// `"off"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PageRefreshAt(Option<Time>);

impl PageRefreshAt {
    pub const OFF: PageRefreshAt = PageRefreshAt(None);

    pub fn at(time: Time) -> PageRefreshAt {
        PageRefreshAt(Some(time))
    }

    /// The time of day, or `None` when the refresh is off.
    pub fn time(self) -> Option<Time> {
        self.0
    }
}

impl Default for PageRefreshAt {
    /// 02:00: the office is closed, and a kiosk left on overnight is quiet.
    fn default() -> Self {
        PageRefreshAt(Some(Time::constant(2, 0, 0, 0)))
    }
}

impl TryFrom<String> for PageRefreshAt {
    type Error = String;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        let trimmed = text.trim();
        if trimmed.eq_ignore_ascii_case("off") {
            return Ok(PageRefreshAt::OFF);
        }
        // HH:MM or HH:MM:SS, nothing looser: a typo must not become another hour.
        let well_formed = matches!(trimmed.len(), 5 | 8)
            && trimmed.bytes().enumerate().all(|(i, b)| {
                if i % 3 == 2 {
                    b == b':'
                } else {
                    b.is_ascii_digit()
                }
            });
        // jiff reads "23:59:60" as 23:59:59: only a time that writes back as given is taken.
        let exact = |time: &Time| {
            let back = PageRefreshAt(Some(*time)).to_string();
            back == trimmed || format!("{back}:00") == trimmed
        };
        match trimmed.parse::<Time>() {
            Ok(time) if well_formed && exact(&time) => Ok(PageRefreshAt(Some(time))),
            _ => Err(format!(
                "{text:?} is not a time of day: write \"HH:MM\" (24-hour, e.g. \"02:00\") or \"off\""
            )),
        }
    }
}

impl From<PageRefreshAt> for String {
    fn from(at: PageRefreshAt) -> String {
        at.to_string()
    }
}

impl fmt::Display for PageRefreshAt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            None => f.write_str("off"),
            Some(time) if time.second() == 0 => write!(f, "{}", time.strftime("%H:%M")),
            Some(time) => write!(f, "{}", time.strftime("%H:%M:%S")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_of_day_and_off_are_read_and_written_back_the_same() {
        for (text, time) in [
            ("02:00", Some(Time::constant(2, 0, 0, 0))),
            ("23:59:30", Some(Time::constant(23, 59, 30, 0))),
            ("off", None),
            ("OFF", None),
        ] {
            let at = PageRefreshAt::try_from(text.to_owned()).expect(text);
            assert_eq!(at.time(), time, "{text}");
            assert_eq!(
                PageRefreshAt::try_from(at.to_string()).expect("round trip"),
                at
            );
        }
        assert_eq!(PageRefreshAt::default().to_string(), "02:00");
    }

    #[test]
    fn anything_else_is_refused_with_the_form_to_use() {
        for text in [
            "2:00",
            "24:00",
            "02:60",
            "02:00 pm",
            "",
            "never",
            "02.00",
            "02:00:00.5",
        ] {
            let error = PageRefreshAt::try_from(text.to_owned()).expect_err(text);
            assert!(
                error.contains("HH:MM") && error.contains("off"),
                "{text}: {error}"
            );
        }
    }

    #[test]
    fn the_file_refuses_a_bad_time_and_a_quiet_spell_out_of_range_with_its_key() {
        let parse = |text: &str| crate::Config::parse(text, std::path::Path::new("hadir.toml"));
        let config = parse("[screens]\npage_refresh_at = \"off\"\n").expect("off is allowed");
        assert_eq!(config.screens.page_refresh_at, PageRefreshAt::OFF);
        let error = parse("[screens]\npage_refresh_at = \"2 am\"\n").expect_err("not HH:MM");
        assert!(error.to_string().contains("page_refresh_at"), "{error}");
        for quiet in ["9", "86401"] {
            let text = format!("[screens]\npage_refresh_quiet_seconds = {quiet}\n");
            let error = parse(&text).expect_err("out of range").to_string();
            assert!(
                error.contains("screens.page_refresh_quiet_seconds")
                    && error.contains("10 to 86400"),
                "{error}"
            );
        }
        // Shorter than a staff session (120 s by default) is allowed: the rule waits for it.
        let config = parse("[screens]\npage_refresh_quiet_seconds = 60\n").expect("in range");
        assert_eq!(config.screens.page_refresh_quiet_seconds, 60);
    }
}
