//! The background sync task: pulls on a timer, pushes as soon as events exist, backs off on
//! failures, stops on 401/403 until staff press "sync now". It owns its own store connection,
//! so nothing it waits for (network, backoff) ever holds up a check-in.

use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;
use tokio::sync::Notify;

use super::backoff::Schedule;
use super::client::UpstreamClient;
use super::cycle::{drop_old_days, pull_day, push_outbox};
use crate::config::{AppRole, Config};
use crate::error::{Error, Result, RetryAfter, SyncFailure};
use crate::model::Clock;
use crate::store::Store;

/// Even without a signal, the outbox is looked at this often: another process (the CLI, a
/// second window after a crash) may have written events.
const OUTBOX_POLL: Duration = Duration::from_secs(10);
/// While stopped (401/403) the task only wakes for "sync now".
const STOPPED_NAP: Duration = Duration::from_secs(3600);

/// How the kiosk talks to the running task.
#[derive(Debug, Default)]
pub struct SyncSignals {
    events: Notify,
    sync_now: Notify,
}

impl SyncSignals {
    /// New events are in the outbox: push soon (if not backing off).
    pub fn events_written(&self) {
        self.events.notify_one();
    }

    /// Staff pressed "sync now": forget backoffs and any stop, pull and push at once.
    pub fn sync_now(&self) {
        self.sync_now.notify_one();
    }
}

/// The kiosk's sync task, ready to spawn, on a store connection of its own (opened here); none
/// without `[upstream] url` (feed files are imported from the staff screen then). A store that
/// cannot be opened a second time leaves the kiosk serving from its cache: logged, no task.
pub fn kiosk_sync_task(
    config: Config,
    clock: Clock,
    signals: Arc<SyncSignals>,
) -> Option<impl std::future::Future<Output = ()> + Send> {
    if config.upstream.url.is_none() {
        log::info!("no [upstream] url: network sync off, import feed files from the staff screen");
        return None;
    }
    match Store::open_in(&config.data_dir()) {
        Ok(store) => Some(run_sync_task(config, store, clock, signals)),
        Err(error) => {
            log::error!("sync not started: {error} [{}]", error.code());
            None
        }
    }
}

/// Runs until the runtime shuts down. Returns at once (with a log line) when `[upstream] url`
/// is not set.
pub async fn run_sync_task(
    config: Config,
    mut store: Store,
    clock: Clock,
    signals: Arc<SyncSignals>,
) {
    let client = match UpstreamClient::new(&config) {
        Ok(client) => client,
        Err(SyncFailure::NotConfigured) => {
            log::info!("network sync off: no [upstream] url");
            return;
        }
        Err(failure) => {
            // Staff must see this on the sync screen, not only in a log.
            log::error!("network sync cannot start [{}]: {failure}", failure.code());
            let now = clock();
            if let Err(error) =
                super::health::record(&mut store, "pull", Some(&failure.into()), now)
            {
                log::error!("sync health not recorded: {error}");
            }
            return;
        }
    };
    // A counter machine only pushes its calls: it needs no appointment list (and so holds no
    // applicant's name).
    let pulls = config.role == AppRole::Kiosk;
    let pull_every = Duration::from_secs(u64::from(config.upstream.pull_minutes) * 60);
    let mut schedule = Schedule::new(pull_every, clock());
    let mut stopped = false;
    loop {
        let now = clock();
        schedule.heal_clock_jump(now);
        if pulls && !stopped && schedule.pull_due(now) {
            match pull_days(&client, &mut store, &config, now).await {
                Ok(()) => schedule.pulled(now),
                Err(error) => {
                    stopped = stops(&error);
                    schedule.pull_failed(now, retry_after(&error), fastrand::f64());
                }
            }
        }
        let now = clock();
        let waiting = store.outbox_len().unwrap_or(0) > 0;
        if !stopped && waiting && schedule.push.ready(now) {
            match push_outbox(&client, &mut store, &config, now).await {
                // Events left after a success: the gateway named none of a batch. Wait as after
                // a failure rather than spin.
                Ok(report) if report.left > 0 => {
                    schedule.push.failed(now, None, fastrand::f64());
                }
                Ok(_) => schedule.push.succeeded(now),
                Err(error) => {
                    stopped = stopped || stops(&error);
                    schedule
                        .push
                        .failed(now, retry_after(&error), fastrand::f64());
                }
            }
        }
        let waiting = store.outbox_len().unwrap_or(0) > 0;
        let nap = if stopped {
            STOPPED_NAP
        } else {
            schedule.sleep_for(clock(), waiting).min(OUTBOX_POLL)
        };
        tokio::select! {
            () = tokio::time::sleep(nap) => {}
            () = signals.events.notified() => {}
            () = signals.sync_now.notified() => {
                stopped = false;
                schedule.reset(clock());
            }
        }
    }
}

/// Today's pull, then tomorrow's, then the retention drop; the first failure ends the step.
async fn pull_days(
    client: &UpstreamClient,
    store: &mut Store,
    config: &Config,
    now: Timestamp,
) -> Result<()> {
    let today = now.to_zoned_datetime(config.time_zone()).date();
    pull_day(client, store, config, today, now).await?;
    if let Ok(tomorrow) = today.tomorrow() {
        pull_day(client, store, config, tomorrow, now).await?;
    }
    drop_old_days(store, config, today)?;
    Ok(())
}

fn stops(error: &Error) -> bool {
    matches!(error, Error::Sync(failure) if failure.stops_sync())
}

fn retry_after(error: &Error) -> Option<RetryAfter> {
    match error {
        Error::Sync(failure) => failure.retry_after(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock() -> Clock {
        Arc::new(Timestamp::now)
    }

    #[test]
    fn a_kiosk_without_a_gateway_runs_no_sync_task_and_one_with_it_gets_its_own_connection() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut config = Config::default();
        config.kiosk.data_dir = Some(dir.path().to_owned());
        let signals = Arc::new(SyncSignals::default());
        assert!(kiosk_sync_task(config.clone(), clock(), Arc::clone(&signals)).is_none());
        config.upstream.url = Some("http://127.0.0.1:9/".into());
        assert!(kiosk_sync_task(config.clone(), clock(), signals).is_some());
        assert!(
            config
                .data_dir()
                .join(crate::store::STORE_FILE_NAME)
                .exists(),
            "the task's connection opened the kiosk's store"
        );
    }
}
