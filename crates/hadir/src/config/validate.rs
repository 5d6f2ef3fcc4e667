//! The checks serde cannot make: ranges, keys that need each other, names that must resolve.
//! Each section's own file checks its section; this one checks the rest and calls them.

use super::{backup, doctor, hub, logs, office_tools, Config, SinkKind};

impl Config {
    /// Checks the values serde cannot: the key that failed and what is wrong with it.
    pub(super) fn validate(&self) -> std::result::Result<(), (&'static str, String)> {
        if self.office.id.trim().is_empty() || self.office.id.len() > 32 {
            return Err(("office.id", "must be 1 to 32 characters".into()));
        }
        if jiff::tz::TimeZone::get(&self.office.time_zone).is_err() {
            return Err((
                "office.time_zone",
                format!(
                    "unknown time zone {:?}; use an IANA name such as \"Asia/Makassar\"",
                    self.office.time_zone
                ),
            ));
        }
        if self.kiosk.id.trim().is_empty() || self.kiosk.id.len() > 16 {
            return Err(("kiosk.id", "must be 1 to 16 characters".into()));
        }
        for (key, value) in [
            ("checkin.early_minutes", self.checkin.early_minutes),
            ("checkin.late_minutes", self.checkin.late_minutes),
        ] {
            if value > 720 {
                return Err((key, format!("{value} is more than 720 minutes (12 hours)")));
            }
        }
        for (key_id, text) in &self.keys {
            if !(1..=16).contains(&key_id.chars().count()) {
                return Err((
                    "keys",
                    format!("key id {key_id:?} must be 1 to 16 characters"),
                ));
            }
            if let Err(problem) = crate::booking::token::decode_verification_key(text) {
                return Err(("keys", format!("key {key_id:?} {problem}")));
            }
        }
        for (key, letter) in [
            ("queues.baru", &self.queues.baru),
            ("queues.penggantian", &self.queues.penggantian),
            ("queues.hilang_rusak", &self.queues.hilang_rusak),
            ("queues.priority", &self.queues.priority),
        ] {
            let valid =
                (1..=3).contains(&letter.len()) && letter.bytes().all(|b| b.is_ascii_uppercase());
            if !valid {
                return Err((key, format!("{letter:?} is not 1 to 3 capital letters")));
            }
        }
        for (key, seconds) in [
            (
                "screens.result_reset_seconds",
                self.screens.result_reset_seconds,
            ),
            (
                "screens.manual_reset_seconds",
                self.screens.manual_reset_seconds,
            ),
        ] {
            if !(3..=600).contains(&seconds) {
                return Err((key, format!("{seconds} is outside 3 to 600 seconds")));
            }
        }
        if !(0.0..=1.0).contains(&self.screens.sound_volume) {
            return Err(("screens.sound_volume", "must be 0.0 (off) to 1.0".into()));
        }
        let printer = &self.printer;
        let missing = match printer.sink {
            SinkKind::EscposDevice if printer.device.is_none() => Some("printer.device"),
            SinkKind::EscposTcp if printer.address.as_deref().is_none_or(|a| !a.contains(':')) => {
                Some("printer.address")
            }
            SinkKind::OsRaw | SinkKind::OsPdf
                if printer.name.as_deref().is_none_or(str::is_empty) =>
            {
                Some("printer.name")
            }
            _ => None,
        };
        if let Some(key) = missing {
            return Err((
                key,
                format!(
                    "is needed for sink = {:?} (see docs/configuration.md)",
                    printer.sink
                ),
            ));
        }
        if !(100..=60_000).contains(&printer.timeout_ms) {
            return Err(("printer.timeout_ms", "must be 100 to 60000".into()));
        }
        self.validate_upstream()?;
        office_tools::validate(&self.survey, &self.staff, &self.privacy)?;
        hub::validate(self.hub_url.as_ref(), &self.hub)?;
        super::role::validate(self.role, self.hub_url.is_some())?;
        logs::validate(&self.logs)?;
        doctor::validate(&self.doctor)?;
        super::walkin::validate(&self.walkin)?;
        backup::validate(&self.backup)?;
        super::calling::validate(&self.calling)?;
        super::display::validate(&self.display)?;
        if ![58, 80].contains(&self.printer.paper_width_mm) {
            return Err((
                "printer.paper_width_mm",
                format!(
                    "{} is not a ticket paper width; use 80 or 58",
                    self.printer.paper_width_mm
                ),
            ));
        }
        self.validate_page_refresh()
    }

    /// The page refresh's quiet spell: at least 10 s (the refresh then still waits for the longest
    /// a screen stays open by itself, `hadir::page_refresh`), at most a day.
    fn validate_page_refresh(&self) -> std::result::Result<(), (&'static str, String)> {
        let quiet = self.screens.page_refresh_quiet_seconds;
        if !(10..=86_400).contains(&quiet) {
            return Err((
                "screens.page_refresh_quiet_seconds",
                format!("{quiet} is outside 10 to 86400 seconds"),
            ));
        }
        Ok(())
    }

    fn validate_upstream(&self) -> std::result::Result<(), (&'static str, String)> {
        let upstream = &self.upstream;
        if let Some(url) = &upstream.url {
            let usable = reqwest::Url::parse(url)
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
            if usable.is_none() {
                return Err((
                    "upstream.url",
                    format!("{url:?} is not an http:// or https:// URL"),
                ));
            }
            if upstream.token.as_deref().is_none_or(str::is_empty) {
                return Err((
                    "upstream.token",
                    "is required when upstream.url is set (the gateway refuses requests without it)"
                        .into(),
                ));
            }
        }
        if !(1..=1440).contains(&upstream.pull_minutes) {
            return Err(("upstream.pull_minutes", "must be 1 to 1440".into()));
        }
        if !(100..=60_000).contains(&upstream.connect_timeout_ms) {
            return Err(("upstream.connect_timeout_ms", "must be 100 to 60000".into()));
        }
        if !(500..=600_000).contains(&upstream.request_timeout_ms) {
            return Err((
                "upstream.request_timeout_ms",
                "must be 500 to 600000".into(),
            ));
        }
        if !(1..=1000).contains(&upstream.push_batch) {
            return Err(("upstream.push_batch", "must be 1 to 1000".into()));
        }
        if upstream.keep_days > 366 {
            return Err(("upstream.keep_days", "must be 0 to 366".into()));
        }
        Ok(())
    }
}
