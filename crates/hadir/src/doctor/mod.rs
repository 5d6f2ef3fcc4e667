//! `hadir doctor`: one look at everything a kiosk needs, each part judged pass, warn, fail or
//! skipped, and every problem with what to do about it (Bahasa Indonesia first, English too).
//!
//! The checks only look: the database is opened read-only (and never created), the hub's schema
//! is not migrated, nothing is printed, the gateway is asked one read-only pull. The only thing
//! written is a probe file in a folder whose writability is checked, removed at once.
//!
//! Each check is a function of the configuration (and the clock, where time matters); this
//! module runs them in order and gathers the [`Report`]. The CLI prints it as a table or JSON.

mod clock;
mod config;
mod database;
mod files;
mod hub;
mod printer;
mod upstream;
mod user;

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Serialize;

use crate::config::ConfigSource;
use crate::error::Error;
use crate::texts::{both, BothLanguages};
use crate::version::{build_info, BuildInfo};
use crate::Config;

pub use config::{config, keys};
pub use database::{database, look_at_store, schema, StoreLook};
pub use files::{data_dir, disk, logs};
pub use hub::hub;
pub use printer::printer;
pub use upstream::upstream;
pub use user::{current_user, user};

/// Every check, in the order of the report. Stable: scripts select lines by these ids.
pub const CHECK_IDS: &[&str] = &[
    "config",
    "user",
    "data_dir",
    "disk",
    "database",
    "schema",
    "printer",
    "upstream",
    "upstream_clock",
    "hub",
    "hub_clock",
    "keys",
    "logs",
];

/// A check's verdict. Ordered from best to worst, so the report's verdict is the maximum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Does not apply to this kiosk (no upstream configured, no hub, no database yet to look
    /// at, no keys for signed QR codes); `detail` says why. Counts as passed.
    Skip,
    Pass,
    /// Works, but needs a look soon (paper nearly out, no log folder yet, run as root).
    Warn,
    /// Broken: the kiosk cannot do this part of its job.
    Fail,
}

/// What to do about a warning or a failure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Advice {
    /// Stable problem code (`disk_low`, `printer_paper_out`, `clock_skew`, ...).
    pub code: &'static str,
    /// In Bahasa Indonesia.
    pub id: String,
    /// In English.
    pub en: String,
}

impl Advice {
    /// The advice of `code` in the words of `key` (`doctor.*`, `error.next.*`, ... in
    /// `ui/i18n`), `{name}` placeholders filled from `params`.
    pub(crate) fn text(code: &'static str, key: &str, params: serde_json::Value) -> Self {
        Advice::from_text(code, both(key, &params))
    }

    /// The advice of `code` in the words of `key`, a text without placeholders.
    pub(crate) fn fixed(code: &'static str, key: &str) -> Self {
        Advice::text(code, key, serde_json::Value::Null)
    }

    pub(crate) fn from_text(code: &'static str, text: BothLanguages) -> Self {
        Advice {
            code,
            id: text.id,
            en: text.en,
        }
    }
}

/// One line of the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    /// One of [`CHECK_IDS`].
    pub id: &'static str,
    pub status: Status,
    /// What was found, in English (paths, numbers, the error as the system gave it).
    pub detail: String,
    /// For `warn` and `fail`: the next step.
    pub advice: Option<Advice>,
    /// Measured values for scripts (`free_bytes`, `skew_seconds`, `schema_version`, ...).
    pub facts: BTreeMap<&'static str, serde_json::Value>,
}

impl Check {
    pub(crate) fn pass(id: &'static str, detail: impl Into<String>) -> Self {
        Check::new(id, Status::Pass, detail, None)
    }

    pub(crate) fn skip(id: &'static str, why: impl Into<String>) -> Self {
        Check::new(id, Status::Skip, why, None)
    }

    pub(crate) fn warn(id: &'static str, detail: impl Into<String>, advice: Advice) -> Self {
        Check::new(id, Status::Warn, detail, Some(advice))
    }

    pub(crate) fn fail(id: &'static str, detail: impl Into<String>, advice: Advice) -> Self {
        Check::new(id, Status::Fail, detail, Some(advice))
    }

    fn new(
        id: &'static str,
        status: Status,
        detail: impl Into<String>,
        advice: Option<Advice>,
    ) -> Self {
        Check {
            id,
            status,
            detail: detail.into(),
            advice,
            facts: BTreeMap::new(),
        }
    }

    pub(crate) fn fact(mut self, name: &'static str, value: impl Into<serde_json::Value>) -> Self {
        self.facts.insert(name, value.into());
        self
    }
}

/// The whole look at one kiosk.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Which Hadir looked.
    pub hadir: BuildInfo,
    /// When the look started, office-local RFC 3339 (UTC when the config is unusable).
    pub checked_at: String,
    /// The OS account the look ran as: the folder checks show this account's rights.
    pub user: String,
    /// The worst of the checks' verdicts (`skip` counts as `pass`).
    pub status: Status,
    pub checks: Vec<Check>,
}

impl Report {
    /// True when nothing failed and nothing warned: what exit status 0 means.
    pub fn all_passed(&self) -> bool {
        self.status == Status::Pass
    }

    pub fn check(&self, id: &str) -> Option<&Check> {
        self.checks.iter().find(|check| check.id == id)
    }
}

/// Runs every check on the outcome of loading the configuration (an unusable configuration is
/// the first failed line, and every check that needs it is skipped). `clock` is read when the
/// look starts and again when a gateway or hub answers, to compare their clocks with it.
pub async fn examine(
    loaded: &Result<(Config, ConfigSource), Error>,
    clock: &dyn Fn() -> Timestamp,
) -> Report {
    let started = clock();
    let mut checks = vec![config(loaded)];
    let checked_at = match loaded {
        Ok((config, _)) => crate::model::rfc3339(&started.to_zoned_datetime(config.time_zone())),
        Err(_) => started.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
    };
    match loaded {
        Ok((config, _)) => {
            checks.push(user(config));
            checks.push(data_dir(config));
            checks.push(disk(config));
            let store = look_at_store(config);
            checks.push(database(&store));
            checks.push(schema(&store));
            checks.push(printer(config));
            // The two network looks wait on other machines: side by side, not one after the other.
            let ((upstream, upstream_clock), (hub, hub_clock)) =
                tokio::join!(upstream(config, clock), hub(config, clock));
            checks.extend([upstream, upstream_clock, hub, hub_clock]);
            checks.push(keys(config));
            checks.push(logs(config));
        }
        Err(_) => {
            for id in &CHECK_IDS[1..] {
                checks.push(Check::skip(
                    id,
                    "the configuration cannot be used (see the config line)",
                ));
            }
        }
    }
    let status = checks
        .iter()
        .map(|check| check.status.max(Status::Pass))
        .max()
        .unwrap_or(Status::Pass);
    Report {
        hadir: build_info(),
        checked_at,
        user: current_user(),
        status,
        checks,
    }
}

#[cfg(test)]
mod tests;
