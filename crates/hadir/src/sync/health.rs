//! Sync health: what staff (and `hadir status`, and later the daily report) see.

use jiff::civil::Date;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::clock_skew::{ClockHealth, ClockReading, ClockSource};
use crate::config::Config;
use crate::error::{next_step_for_code, Error, ErrorPayload, Result};
use crate::feed::SkippedItem;
use crate::store::{RejectedEvent, Store};

const LAST_PULL_OK: &str = "last_pull_ok_at";
const LAST_PUSH_OK: &str = "last_push_ok_at";
const LAST_IMPORT: &str = "last_import_at";
const LAST_ERROR_CODE: &str = "last_error_code";
const LAST_ERROR_AT: &str = "last_error_at";
const LAST_ERROR_DETAIL: &str = "last_error_detail";
const LAST_ERROR_STEP: &str = "last_error_step";
const STOPPED: &str = "stopped";
const LAST_SKIPPED: &str = "last_skipped";
/// The latest comparison of the kiosk's clock with the gateway's and the hub's (JSON).
const CLOCK_GATEWAY: &str = "clock_gateway";
const CLOCK_HUB: &str = "clock_hub";

/// Why sync stopped trying (until "sync now" or a restart).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncStopped {
    pub code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LastError {
    /// `pull` or `push`.
    pub step: String,
    pub code: String,
    pub at: String,
    pub detail: String,
    /// What staff should do about it.
    pub next_step: crate::texts::BothLanguages,
}

/// Everything staff need to judge sync at a glance. Times are RFC 3339 UTC.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SyncHealth {
    /// Whether `[upstream] url` is set (else: file import only).
    pub network: bool,
    pub last_pull_ok_at: Option<String>,
    pub last_push_ok_at: Option<String>,
    pub last_import_at: Option<String>,
    pub last_error: Option<LastError>,
    /// Set when sync stopped on a failure retrying cannot fix (401/403).
    pub stopped: Option<SyncStopped>,
    /// Events waiting to be pushed.
    pub outbox: i64,
    /// Events the gateway refused, all time, and the latest few.
    pub rejected: i64,
    pub rejected_latest: Vec<RejectedEvent>,
    /// Bookings cached for today (office-local).
    pub bookings_today: i64,
    /// Seconds since the cache was last refreshed (pull or import); `None`: never.
    pub cache_age_seconds: Option<i64>,
    /// Seconds since the last successful push and since the last error (for "x minutes ago"
    /// on the staff screen, whatever the screen's own clock says).
    pub push_age_seconds: Option<i64>,
    pub error_age_seconds: Option<i64>,
    /// Feed items the latest answer for today, or a later day, could not use (each day's
    /// latest pull or import; a clean pull of tomorrow does not hide today's).
    pub last_skipped: Vec<SkippedItem>,
    /// Days (today or later) whose latest full list removed no booking: an item it skipped
    /// could be any booking, so bookings it did not list were kept (docs/feed-api.md).
    pub kept_unlisted_on: Vec<Date>,
    /// Backups of the store: the newest, a failed one, a restore after damage (shown to staff).
    pub backup: crate::backup::BackupHealth,
    /// True when the last pull or push failed, or sync stopped: the staff corner's offline icon.
    pub offline: bool,
    /// The one-word summary the staff screen shows.
    pub state: SyncState,
    /// The kiosk's clock against the gateway's and the hub's latest answers: an alarm beyond
    /// `[doctor] max_clock_skew_seconds` (the staff corner's clock icon).
    pub clock: ClockHealth,
}

/// Sync at a glance, decided here so that no screen works it out for itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncState {
    /// No `[upstream] url`: the cache comes from imported files.
    FileOnly,
    /// Stopped on 401/403 until a restart or "sync now".
    Stopped,
    /// The last pull or push failed; the kiosk retries by itself.
    Offline,
    Ok,
}

impl SyncHealth {
    pub fn read(store: &Store, config: &Config, now: Timestamp) -> Result<SyncHealth> {
        let facts = store.sync_facts()?;
        let get = |key: &str| facts.get(key).cloned();
        let last_error = get(LAST_ERROR_CODE).map(|code| LastError {
            step: get(LAST_ERROR_STEP).unwrap_or_default(),
            next_step: next_step_for_code(&code),
            code,
            at: get(LAST_ERROR_AT).unwrap_or_default(),
            detail: get(LAST_ERROR_DETAIL).unwrap_or_default(),
        });
        let refreshed = [get(LAST_PULL_OK), get(LAST_IMPORT)]
            .into_iter()
            .flatten()
            .filter_map(|t| t.parse::<Timestamp>().ok())
            .max();
        let today = now.to_zoned_datetime(config.time_zone()).date();
        let stopped = get(STOPPED).map(|code| SyncStopped { code });
        let mut feed_problems = read_feed_problems(get(LAST_SKIPPED));
        feed_problems.retain(|day| day.date >= today);
        let age = |at: Option<String>| {
            at.and_then(|t| t.parse::<Timestamp>().ok())
                .map(|t| now.duration_since(t).as_secs())
        };
        let network = config.upstream.url.is_some();
        let offline = network && (last_error.is_some() || stopped.is_some());
        let state = match (network, &stopped, offline) {
            (false, _, _) => SyncState::FileOnly,
            (true, Some(_), _) => SyncState::Stopped,
            (true, None, true) => SyncState::Offline,
            (true, None, false) => SyncState::Ok,
        };
        Ok(SyncHealth {
            backup: crate::backup::BackupHealth::read(store, config, now)?,
            network,
            offline,
            state,
            last_pull_ok_at: get(LAST_PULL_OK),
            last_push_ok_at: get(LAST_PUSH_OK),
            last_import_at: get(LAST_IMPORT),
            last_error,
            stopped,
            outbox: store.outbox_len()?,
            rejected: store.rejected_count()?,
            rejected_latest: store.rejected_events(5)?,
            bookings_today: store.appointment_count_on(today)?,
            cache_age_seconds: refreshed.map(|t| now.duration_since(t).as_secs()),
            push_age_seconds: age(get(LAST_PUSH_OK)),
            error_age_seconds: age(get(LAST_ERROR_AT)),
            last_skipped: feed_problems
                .iter()
                .flat_map(|day| day.skipped.iter().cloned())
                .collect(),
            kept_unlisted_on: feed_problems
                .iter()
                .filter(|day| day.kept_unlisted)
                .map(|day| day.date)
                .collect(),
            clock: ClockHealth::judge(
                read_clock(get(CLOCK_GATEWAY)).filter(|_| network),
                read_clock(get(CLOCK_HUB)).filter(|_| config.hub_url.is_some()),
                config.doctor.max_clock_skew_seconds,
            ),
        })
    }
}

/// A stored clock reading; what cannot be read is none.
fn read_clock(json: Option<String>) -> Option<ClockReading> {
    json.and_then(|json| serde_json::from_str(&json).ok())
}

/// Keeps `reading` as the latest comparison with `source`'s clock, in place of the one before
/// (logged when it is beyond `config`'s allowed skew: an info line, since staff see the alarm
/// and a kiosk on a clock set by hand with `--at` would repeat a warning at every answer).
pub fn record_clock(
    store: &mut Store,
    config: &Config,
    source: ClockSource,
    reading: ClockReading,
) -> Result<()> {
    let key = match source {
        ClockSource::Gateway => CLOCK_GATEWAY,
        ClockSource::Hub => CLOCK_HUB,
    };
    if reading.is_beyond(config.doctor.max_clock_skew_seconds) {
        log::info!(
            "kiosk clock {} s off the {}'s (kiosk {}, {} {})",
            reading.skew_seconds(),
            source.as_str(),
            reading.kiosk_time,
            source.as_str(),
            reading.other_time
        );
    }
    let json = serde_json::to_string(&reading).unwrap_or_default();
    store.set_sync_facts(&[(key, Some(&json))])
}

/// Notes the gateway's clock from an answer's `Date` header, when it has one: the kiosk's clock
/// was `sent_at` when the request went out, and `elapsed` later the answer was in.
pub(super) fn record_gateway_clock(
    store: &mut Store,
    config: &Config,
    date_header: Option<&str>,
    sent_at: Timestamp,
    elapsed: std::time::Duration,
) -> Result<()> {
    let kiosk_time = jiff::SignedDuration::try_from(elapsed)
        .ok()
        .and_then(|elapsed| sent_at.checked_add(elapsed).ok())
        .unwrap_or(sent_at);
    match date_header.and_then(|header| ClockReading::from_http_date(kiosk_time, header)) {
        Some(reading) => record_clock(store, config, ClockSource::Gateway, reading),
        None => Ok(()),
    }
}

/// Notes how a pull or push went. A success clears the last error and any stop; a failure
/// keeps the last success so staff see how old the data is.
pub(super) fn record(
    store: &mut Store,
    step: &str,
    error: Option<&Error>,
    now: Timestamp,
) -> Result<()> {
    let now = now.to_string();
    match error {
        None => {
            let ok_key = if step == "pull" {
                LAST_PULL_OK
            } else {
                LAST_PUSH_OK
            };
            // A push that works does not hide a pull that fails (or the other way round).
            let failed_step = store.sync_facts()?.get(LAST_ERROR_STEP).cloned();
            if failed_step.is_some_and(|failed| failed != step) {
                return store.set_sync_facts(&[(ok_key, Some(&now)), (STOPPED, None)]);
            }
            store.set_sync_facts(&[
                (ok_key, Some(&now)),
                (LAST_ERROR_CODE, None),
                (LAST_ERROR_AT, None),
                (LAST_ERROR_DETAIL, None),
                (LAST_ERROR_STEP, None),
                (STOPPED, None),
            ])
        }
        Some(error) => {
            let payload = ErrorPayload::from(error);
            let stops = matches!(error, Error::Sync(f) if f.stops_sync());
            log::warn!("sync {step} failed [{}]: {}", payload.code, payload.message);
            store.set_sync_facts(&[
                (LAST_ERROR_CODE, Some(payload.code)),
                (LAST_ERROR_AT, Some(&now)),
                (LAST_ERROR_DETAIL, Some(&payload.message)),
                (LAST_ERROR_STEP, Some(step)),
                (STOPPED, stops.then_some(payload.code)),
            ])
        }
    }
}

/// What the latest answer for one day could not use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct FeedProblems {
    date: Date,
    /// A full list that removed nothing (`FeedApplied::kept_unlisted`).
    kept_unlisted: bool,
    skipped: Vec<SkippedItem>,
}

/// The stored problems of each day's latest answer; what an older Hadir stored there (a plain
/// list, no days) reads as none.
fn read_feed_problems(json: Option<String>) -> Vec<FeedProblems> {
    json.and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}

/// Keeps what the answer for `date` could not use, in place of that day's earlier answer's, beside
/// the neighbouring days' (a cycle pulls today and tomorrow; older days are dropped).
pub(super) fn record_skipped(
    store: &mut Store,
    date: Date,
    skipped: &[SkippedItem],
    kept_unlisted: bool,
) -> Result<()> {
    let facts = store.sync_facts()?;
    let mut days = read_feed_problems(facts.get(LAST_SKIPPED).cloned());
    days.retain(|day| {
        Some(day.date) == date.yesterday().ok() || Some(day.date) == date.tomorrow().ok()
    });
    if kept_unlisted || !skipped.is_empty() {
        days.push(FeedProblems {
            date,
            kept_unlisted,
            skipped: skipped.to_vec(),
        });
    }
    days.sort_by_key(|day| day.date);
    let json = serde_json::to_string(&days).unwrap_or_else(|_| "[]".into());
    store.set_sync_facts(&[(LAST_SKIPPED, Some(&json))])
}
