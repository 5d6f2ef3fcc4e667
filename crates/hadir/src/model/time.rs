//! Time as the core passes it around: the clock a shell hands to background tasks, and the
//! contract's timestamp form.

use std::sync::Arc;

use jiff::{Timestamp, ZonedDateTime};

/// The kiosk's clock (system time plus the `--at` offset). Called, never cached; background
/// tasks (sync, hub replay) take it, rules take the time it gave.
pub type Clock = Arc<dyn Fn() -> Timestamp + Send + Sync>;

/// `2026-11-29T08:41:07+08:00`: the contract's timestamp form, in the office's offset.
pub fn rfc3339(now: &ZonedDateTime) -> String {
    now.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}
