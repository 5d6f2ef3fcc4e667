//! One pull, one push, one whole cycle: network first, then one store transaction per answer.
//! Each step records its outcome in the store's health facts.

use std::path::Path;
use std::time::Instant;

use jiff::civil::Date;
use jiff::Timestamp;
use serde::Serialize;

use super::client::UpstreamClient;
use super::health;
use super::not_the_feed::read_feed;
use crate::config::Config;
use crate::error::{Error, ErrorPayload, Result, SyncFailure};
use crate::feed::{FeedBody, SkippedItem};
use crate::store::{FeedApplied, FeedSource, Store};

/// What one pull did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PullReport {
    pub date: Date,
    pub full: bool,
    pub applied: FeedApplied,
    pub skipped: Vec<SkippedItem>,
}

/// What one push run did (several batches until the outbox is empty).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PushReport {
    pub batches: usize,
    pub sent: usize,
    pub accepted: usize,
    pub rejected: usize,
    pub left: i64,
}

/// One step's outcome as the CLI prints it.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Step<T> {
    Done(T),
    Failed(ErrorPayload),
}

impl<T> Step<T> {
    fn from_result(result: Result<T>) -> Step<T> {
        match result {
            Ok(value) => Step::Done(value),
            Err(error) => Step::Failed(ErrorPayload::from(&error)),
        }
    }

    pub fn is_done(&self) -> bool {
        matches!(self, Step::Done(_))
    }
}

/// A whole cycle: today's and tomorrow's pulls, the retention drop, then the push.
#[derive(Debug, Clone, Serialize)]
pub struct CycleReport {
    pub pulls: Vec<Step<PullReport>>,
    pub dropped_old_bookings: usize,
    pub push: Step<PushReport>,
}

impl CycleReport {
    pub fn all_done(&self) -> bool {
        self.pulls.iter().all(Step::is_done) && self.push.is_done()
    }
}

/// Pulls `date` (a delta from the stored cursor, else the full list) and applies the answer in
/// one transaction together with its cursor. On any failure the cache is as it was.
pub async fn pull_day(
    client: &UpstreamClient,
    store: &mut Store,
    config: &Config,
    date: Date,
    now: Timestamp,
) -> Result<PullReport> {
    let result = pull_day_inner(client, store, config, date, now).await;
    health::record(store, "pull", result.as_ref().err(), now)?;
    result
}

async fn pull_day_inner(
    client: &UpstreamClient,
    store: &mut Store,
    config: &Config,
    date: Date,
    now: Timestamp,
) -> Result<PullReport> {
    // `now` plus the time since (a steady clock, not the wall clock): the kiosk's clock when
    // the answer came, to set beside the gateway's.
    let started = Instant::now();
    let office = &config.office.id;
    let cursor = store.feed_cursor(office, date)?;
    let reply = client.pull(date, cursor.as_deref()).await;
    health::record_gateway_clock(
        store,
        config,
        reply.server_date.as_deref(),
        now,
        started.elapsed(),
    )?;
    let bytes = match reply.answer {
        Ok(bytes) => bytes,
        Err(failure @ SyncFailure::UnexpectedStatus { .. }) if cursor.is_some() => {
            // The gateway may have forgotten the cursor (400, 410): start again with a full
            // list, or every later pull would send the same refused cursor.
            store.forget_feed_cursor(office, date)?;
            return Err(failure.into());
        }
        Err(failure) => return Err(failure.into()),
    };
    let body = read_feed(&bytes)?;
    if body.office != *office || body.date != date {
        return Err(SyncFailure::Mismatch(format!(
            "asked for {office} on {date}, got {} on {}",
            body.office, body.date
        ))
        .into());
    }
    let applied = store.apply_feed(&body, now)?;
    health::record_skipped(store, body.date, &body.skipped, applied.kept_unlisted)?;
    Ok(PullReport {
        date,
        full: body.full,
        applied,
        skipped: body.skipped,
    })
}

/// Pushes the outbox in batches until it is empty, the gateway fails, or an answer names none
/// of the events sent (so a confused gateway cannot make this loop forever).
pub async fn push_outbox(
    client: &UpstreamClient,
    store: &mut Store,
    config: &Config,
    now: Timestamp,
) -> Result<PushReport> {
    let result = push_outbox_inner(client, store, config, now).await;
    health::record(store, "push", result.as_ref().err(), now)?;
    result
}

async fn push_outbox_inner(
    client: &UpstreamClient,
    store: &mut Store,
    config: &Config,
    now: Timestamp,
) -> Result<PushReport> {
    let started = Instant::now(); // as in `pull_day_inner`
    let mut report = PushReport::default();
    loop {
        let batch = store.outbox_batch(config.upstream.push_batch as usize)?;
        if batch.is_empty() {
            break;
        }
        let reply = client.push(&batch).await;
        health::record_gateway_clock(
            store,
            config,
            reply.server_date.as_deref(),
            now,
            started.elapsed(),
        )?;
        let answer = reply.answer?;
        report.batches += 1;
        report.sent += batch.len();
        // Only what this batch sent is settled: a nonce from elsewhere in the answer is not
        // taken as a confirmation of an event the gateway has not seen.
        let sent: std::collections::HashSet<&str> =
            batch.iter().map(|e| e.nonce.as_str()).collect();
        let accepted: Vec<String> = answer
            .accepted
            .into_iter()
            .filter(|n| sent.contains(n.as_str()))
            .collect();
        let rejected: Vec<(String, String)> = answer
            .rejected
            .into_iter()
            .filter(|r| sent.contains(r.nonce.as_str()))
            .map(|r| (r.nonce, r.reason))
            .collect();
        let settled = store.settle_outbox(&accepted, &rejected, now)?;
        report.accepted += settled.accepted;
        report.rejected += settled.rejected;
        if settled.accepted + settled.rejected == 0 {
            // Nothing confirmed: the events stay, and staff see why sync is not draining.
            return Err(SyncFailure::BadBody(format!(
                "the answer names none of the {} events sent",
                batch.len()
            ))
            .into());
        }
    }
    report.left = store.outbox_len()?;
    Ok(report)
}

/// Today's and tomorrow's pulls (so a kiosk started early has the day), dropping days older than
/// `keep_days`, then the push, as the background task does: a failed pull ends the pulls (the
/// next cycle starts again with today), and a failure that stops sync (401/403) skips the push.
pub async fn run_cycle(
    client: &UpstreamClient,
    store: &mut Store,
    config: &Config,
    now: Timestamp,
) -> Result<CycleReport> {
    let today = now.to_zoned_datetime(config.time_zone()).date();
    let mut pulls = Vec::new();
    let mut stopped = None;
    for date in [Some(today), today.tomorrow().ok()].into_iter().flatten() {
        let result = pull_day(client, store, config, date, now).await;
        let failed = result.is_err();
        if let Err(Error::Sync(failure)) = &result {
            if failure.stops_sync() {
                stopped = Some(failure.clone());
            }
        }
        pulls.push(Step::from_result(result));
        if failed {
            break;
        }
    }
    let dropped_old_bookings = drop_old_days(store, config, today)?;
    let push = match stopped {
        Some(failure) => Step::Failed(ErrorPayload::from(&Error::Sync(failure))),
        None => Step::from_result(push_outbox(client, store, config, now).await),
    };
    Ok(CycleReport {
        pulls,
        dropped_old_bookings,
        push,
    })
}

/// Drops cached bookings older than `keep_days` before `today`.
pub fn drop_old_days(store: &mut Store, config: &Config, today: Date) -> Result<usize> {
    let first_kept = today
        .checked_sub(jiff::Span::new().days(i64::from(config.upstream.keep_days)))
        .unwrap_or(today);
    store.drop_appointments_before(first_kept)
}

/// Imports a pull body from a file (a USB stick) with the pull's validation and atomicity. The
/// file must be a full list for this office, at most 20 MB. A file may be older than what the
/// network brought: each item replaces only an older cached one, and the next pull is a full
/// list (see [`FeedSource::File`]).
pub fn import_file(
    store: &mut Store,
    config: &Config,
    path: &Path,
    now: Timestamp,
) -> Result<PullReport> {
    let size = std::fs::metadata(path)
        .map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?
        .len();
    if size > super::MAX_BODY_BYTES as u64 {
        return Err(Error::FeedInvalid(format!(
            "the file has {size} bytes; a feed file may have at most {}",
            super::MAX_BODY_BYTES
        )));
    }
    let bytes =
        std::fs::read(path).map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
    let body = FeedBody::parse(&bytes)?;
    if !body.full {
        return Err(Error::FeedInvalid(
            "an imported file must be a full list (\"full\": true)".into(),
        ));
    }
    if body.office != config.office.id {
        return Err(Error::FeedInvalid(format!(
            "the file is for office {}, this kiosk serves {}",
            body.office, config.office.id
        )));
    }
    let applied = store.apply_feed_from(&body, now, FeedSource::File)?;
    health::record_skipped(store, body.date, &body.skipped, applied.kept_unlisted)?;
    store.set_sync_facts(&[("last_import_at", Some(&now.to_string()))])?;
    // A kiosk without a network imports only: its old days must go too.
    drop_old_days(
        store,
        config,
        now.to_zoned_datetime(config.time_zone()).date(),
    )?;
    Ok(PullReport {
        date: body.date,
        full: true,
        applied,
        skipped: body.skipped,
    })
}
