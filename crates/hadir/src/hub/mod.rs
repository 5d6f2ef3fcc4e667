//! The office hub: the kiosks of one office share one queue through PostgreSQL.
//!
//! While the hub answers within `hub.timeout_ms`, it allocates every number (per office, queue
//! and office-local day) and holds the one check-in per booking and applicant, so the same
//! booking scanned at two kiosks at once gets one `ok` and one `already_checked_in`. While it
//! does not, the kiosk decides by its own rules from its cache, numbers from its reserved
//! block, and queues the check-in for replay; a replay that finds the applicant checked in
//! elsewhere records a double for staff. The kiosk's SQLite stays the record of what it printed.

mod call_events;
mod calls;
mod claim;
mod display_feed;
mod outlook;
mod replay;
pub mod report;
mod schema;
mod service_records;
mod walkins;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use jiff::{Timestamp, ZonedDateTime};
use serde::Serialize;
use tokio_postgres::{Client, NoTls};

use crate::checkin::{queue_of, record_numbered, BookingFacts, Verdict};
use crate::clock_skew::{ClockReading, ClockSource};
use crate::config::{Config, HubUrl};
use crate::error::{Error, Result};
use crate::model::{mask_name, rfc3339};
use crate::store::{HubDouble, IssuedTicket, Numbering, Store, StoreAccess};
use crate::sync::record_clock;

pub use call_events::HubEvent;
pub use calls::{
    call_again, call_next, finish, no_show, start, ticket_at, transfer, waiting_counts, Call,
    CallNext, CallState, CounterTicket, Desk, NoShow, QueueWaiting, CALLS_CHANNEL,
};
pub use claim::{claim, label, tickets_of, Claim, ClaimApplicant, HubAnswer, HubTicket};
pub use display_feed::{run_display_feed, DisplayFeed, DisplayUpdate};
pub use outlook::{outlooks, TicketOutlooks};
pub use replay::{replay, Replayed};
pub use schema::{inspect, migrate, server_time, HubInspection};
pub use service_records::{counters_open, service_records};
pub use walkins::{claim_walkin, walkin_pools, PoolFigures, WalkinAnswer, WalkinClaim};

/// The link state staff see.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LinkState {
    pub online: bool,
    /// Office-local RFC 3339 of the last answer from the hub.
    pub last_ok_at: Option<String>,
    pub last_error: Option<String>,
    #[serde(skip)]
    last_attempt: Option<Timestamp>,
    /// Attempts failed since the last answer. One slow answer (a disk hiccup on the hub) must
    /// not send the kiosk to its offline block for `retry_seconds`; two in a row do.
    #[serde(skip)]
    failures_in_a_row: u32,
}

/// One kiosk's connection to the hub, shared by the scan path and the background task.
#[derive(Debug)]
pub struct HubLink {
    url: HubUrl,
    client: tokio::sync::Mutex<Option<Client>>,
    state: Mutex<LinkState>,
}

impl HubLink {
    pub fn new(url: HubUrl) -> HubLink {
        HubLink {
            url,
            client: tokio::sync::Mutex::new(None),
            state: Mutex::new(LinkState::default()),
        }
    }

    pub fn state(&self) -> LinkState {
        self.state.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn note(&self, now: Timestamp, outcome: std::result::Result<(), String>, config: &Config) {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        state.last_attempt = Some(now);
        match outcome {
            Ok(()) => {
                state.online = true;
                state.failures_in_a_row = 0;
                state.last_error = None;
                state.last_ok_at = Some(rfc3339(&now.to_zoned_datetime(config.time_zone())));
            }
            Err(error) => {
                if state.online {
                    log::warn!(
                        "office hub unreachable, numbering from this kiosk's block: {error}"
                    );
                }
                state.online = false;
                state.failures_in_a_row += 1;
                state.last_error = Some(error);
            }
        }
    }

    /// Failed twice in a row, the last time less than `retry_seconds` ago: the applicant should
    /// not wait for it; the background task keeps trying.
    fn known_down(&self, now: Timestamp, config: &Config) -> bool {
        let state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let retry = jiff::SignedDuration::from_secs(i64::from(config.hub.retry_seconds));
        state.failures_in_a_row >= 2
            && state
                .last_attempt
                .is_some_and(|at| now.duration_since(at) < retry)
    }

    /// Runs one piece of work on the hub connection within `hub.timeout_ms` (a counter's call,
    /// its waiting counts): the link state staff see follows the outcome, and a failed or late
    /// piece of work drops the connection, so the next one reconnects.
    pub async fn run<T>(
        &self,
        now: Timestamp,
        config: &Config,
        work: impl AsyncFnOnce(&mut Client) -> Result<T>,
    ) -> Result<T> {
        let budget = Duration::from_millis(config.hub.timeout_ms);
        let attempt = tokio::time::timeout(budget, async {
            let mut guard = self.connected(budget).await?;
            let client = guard
                .as_mut()
                .ok_or_else(|| Error::Hub("no connection".into()))?;
            let result = work(client).await;
            if result.is_err() {
                *guard = None;
            }
            result
        })
        .await;
        self.settle(attempt, budget, now, config)
    }

    /// The connection, opened if needed. Hold the guard for one piece of work; on an error set
    /// it to `None` so the next attempt reconnects (the server rolls back what was open).
    async fn connected(
        &self,
        budget: Duration,
    ) -> Result<tokio::sync::MutexGuard<'_, Option<Client>>> {
        let mut guard = self.client.lock().await;
        if guard.as_ref().is_none_or(Client::is_closed) {
            *guard = Some(connect(&self.url, budget).await?);
        }
        Ok(guard)
    }

    /// Settles an attempt made within a time budget: a timeout forgets the connection (it may
    /// be stuck in a transaction), and the outcome becomes the link state staff see.
    fn settle<T>(
        &self,
        attempt: std::result::Result<Result<T>, tokio::time::error::Elapsed>,
        budget: Duration,
        now: Timestamp,
        config: &Config,
    ) -> Result<T> {
        let result = match attempt {
            Ok(result) => result,
            Err(_) => {
                // Only if nobody holds it: the background replay may be the one stuck on a
                // silent hub, and the applicant must not wait for that (it resets on its own
                // timeout).
                if let Ok(mut client) = self.client.try_lock() {
                    *client = None;
                }
                Err(Error::Hub(format!(
                    "no answer within {} ms",
                    budget.as_millis()
                )))
            }
        };
        self.note(
            now,
            result.as_ref().map(|_| ()).map_err(ToString::to_string),
            config,
        );
        result
    }
}

/// Opens a connection and brings the hub's schema up to date. TLS when the URL asks for it
/// (`?sslmode=require`: rustls with the OS's trust store, as for sync); otherwise plain, for a
/// hub on the office LAN.
pub async fn connect(url: &HubUrl, timeout: Duration) -> Result<Client> {
    let mut client = open(url, timeout).await?;
    migrate(&mut client).await?;
    Ok(client)
}

/// Opens a connection as [`connect`] does, and leaves the hub's schema as it is (`hadir doctor`
/// looks without changing anything).
pub async fn open(url: &HubUrl, timeout: Duration) -> Result<Client> {
    let mut config: tokio_postgres::Config = url
        .expose()
        .parse()
        .map_err(|e| Error::Hub(format!("{}: {e}", url.redacted())))?;
    config.connect_timeout(timeout);
    let client = if config.get_ssl_mode() == tokio_postgres::config::SslMode::Require {
        let (client, connection) = config
            .connect(tls_connector()?)
            .await
            .map_err(schema::hub_error)?;
        tokio::spawn(watch(connection));
        client
    } else {
        let (client, connection) = config.connect(NoTls).await.map_err(schema::hub_error)?;
        tokio::spawn(watch(connection));
        client
    };
    Ok(client)
}

fn tls_connector() -> Result<tokio_postgres_rustls::MakeRustlsConnect> {
    use rustls_platform_verifier::ConfigVerifierExt;
    // ring as rustls's crypto (the feature we build); a second install is a harmless no-op.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let config = rustls::ClientConfig::with_platform_verifier()
        .map_err(|e| Error::Hub(format!("TLS set-up: {e}")))?;
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

/// Drives a connection until it ends; the next use of the client then reconnects.
async fn watch<F>(connection: F)
where
    F: std::future::Future<Output = std::result::Result<(), tokio_postgres::Error>>,
{
    if let Err(error) = connection.await {
        log::warn!("office hub connection ended: {error}");
    }
}

/// Records a check-in the cache decided `ok`, with numbers from the hub (or, when it does not
/// answer in time or is known down, from this kiosk's block plus a `hub_pending` row for
/// replay). The store is reached only around the network wait, never across it.
///
/// New tickets the hub numbered also come with their people ahead and estimate
/// ([`TicketOutlooks`]), asked for in what is left of the same `hub.timeout_ms`: late or
/// failed, they are left out, never holding the number up longer.
pub async fn check_in(
    access: &impl StoreAccess,
    link: &HubLink,
    facts: &BookingFacts,
    now: &ZonedDateTime,
    config: &Config,
) -> Result<(Verdict, Vec<IssuedTicket>, TicketOutlooks)> {
    let deadline = tokio::time::Instant::now() + Duration::from_millis(config.hub.timeout_ms);
    // One nonce per applicant, the same at the hub and in the store: a claim that commits after
    // the kiosk stopped waiting is recognised on replay, not counted twice.
    let nonces: Vec<String> = facts
        .applicants
        .iter()
        .map(|_| uuid::Uuid::new_v4().to_string())
        .collect();
    let queue = queue_of(facts, config);
    let at = rfc3339(now);
    let slot_start = facts
        .slot
        .and_then(|(start, _)| {
            facts
                .date
                .to_datetime(start)
                .to_zoned_datetime(config.time_zone())
                .ok()
        })
        .map(|start| rfc3339(&start));
    let claim_of = Claim {
        office: &config.office.id,
        office_date: now.date(),
        booking_code: &facts.booking_code,
        queue: &queue,
        kiosk: &config.kiosk.id,
        at: &at,
        service: facts.service.as_str(),
        applicants: nonces
            .iter()
            .zip(&facts.applicants)
            .map(|(nonce, a)| ClaimApplicant {
                nonce: nonce.clone(),
                priority: a.priority.map(|p| p.as_str()),
                // As the kiosk's screen shows it: the hub never holds a full name.
                masked_name: a.name.as_deref().map(mask_name).filter(|m| !m.is_empty()),
            })
            .collect(),
        reserved: (
            config.hub.reserved_from as i32,
            config.hub.reserved_to as i32,
        ),
        slot_start: slot_start.as_deref(),
    };
    let answer = if link.known_down(now.timestamp(), config) {
        Err(Error::Hub("known down; retrying in the background".into()))
    } else {
        let budget = Duration::from_millis(config.hub.timeout_ms);
        let attempt = tokio::time::timeout(budget, async {
            let mut guard = link.connected(budget).await?;
            let client = guard
                .as_mut()
                .ok_or_else(|| Error::Hub("no connection".into()))?;
            let answer = claim(client, &claim_of).await;
            if answer.is_err() {
                *guard = None;
            }
            answer
        })
        .await;
        link.settle(attempt, budget, now.timestamp(), config)
    };
    // Numbers the hub holds for this booking: recorded here, then each ticket's outlook asked
    // for in what is left of the budget.
    let record_given = async |numbers: Vec<i64>, nonces: &[String]| {
        let (verdict, tickets) = access.with_store(|store| {
            record_numbered(store, facts, now, config, Numbering::Given(numbers), nonces)
        })?;
        let outlooks =
            outlook::for_tickets(link, nonces, &tickets, &verdict, now, config, deadline).await;
        Ok((verdict, tickets, outlooks))
    };
    match answer {
        Ok(HubAnswer::Issued(numbers)) => record_given(numbers, &nonces).await,
        Ok(HubAnswer::Already(held)) => {
            let ours = !held.is_empty()
                && held.len() == facts.applicants.len()
                && held.iter().all(|t| t.kiosk == config.kiosk.id);
            if ours {
                // This kiosk's own claim committed, but its local record never happened (a
                // crash, or the answer came too late): take those numbers and print them now.
                let numbers = held.iter().map(|t| i64::from(t.number)).collect();
                let nonces: Vec<String> = held.iter().map(|t| t.nonce.clone()).collect();
                return record_given(numbers, &nonces).await;
            }
            let size = held.len() as i64;
            let tickets = held
                .into_iter()
                .enumerate()
                .map(|(pos, t)| IssuedTicket {
                    id: t.nonce,
                    label: t.label,
                    queue: t.queue,
                    number: i64::from(t.number),
                    booking_code: facts.booking_code.clone(),
                    applicant_index: i64::from(t.applicant_index),
                    group_pos: pos as i64 + 1,
                    group_size: size,
                    office_date: now.date().to_string(),
                    issued_at: at.clone(),
                })
                .collect();
            Ok((Verdict::AlreadyCheckedIn, tickets, TicketOutlooks::new()))
        }
        Err(error) => {
            log::info!(
                "hub not used for this check-in ({error}); numbering from this kiosk's block"
            );
            let block = Numbering::Block {
                start: i64::from(config.hub.offline_block_start),
                size: i64::from(config.hub.offline_block_size),
            };
            // Numbered without the office's queue: no people ahead (only the hub knows them).
            let (verdict, tickets) = access
                .with_store(|store| record_numbered(store, facts, now, config, block, &nonces))?;
            Ok((verdict, tickets, TicketOutlooks::new()))
        }
    }
}

/// What staff see about the hub.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HubHealth {
    /// The staff corner's offline icon: the hub failed and has not answered since (a kiosk that
    /// has not tried yet is not offline).
    pub offline: bool,
    pub link: LinkState,
    /// Check-ins numbered offline, waiting to reach the hub.
    pub pending: i64,
    /// Applicants checked in here and at another kiosk during a split (newest first).
    pub doubles: Vec<HubDouble>,
}

pub fn health(store: &Store, link: &HubLink) -> Result<HubHealth> {
    let state = link.state();
    Ok(HubHealth {
        offline: !state.online && state.last_error.is_some(),
        link: state,
        pending: store.hub_pending_count()?,
        doubles: store.hub_doubles(20)?,
    })
}

/// One pass of the background work: reach the hub if it is down, replay what waits, and
/// compare the kiosk's clock (`now`, and the steady time since) with the hub's.
pub async fn replay_pending(
    access: &impl StoreAccess,
    link: &HubLink,
    now: Timestamp,
    config: &Config,
) -> Result<Replayed> {
    let started = std::time::Instant::now();
    let pending = access.with_store(|store| store.hub_pending(200))?;
    let releases = access.with_store(|store| store.walkin_releases_pending())?;
    let budget = Duration::from_secs(5).max(Duration::from_millis(config.hub.timeout_ms));
    let attempt = tokio::time::timeout(budget, async {
        let mut guard = link.connected(budget).await?;
        let client = guard
            .as_mut()
            .ok_or_else(|| Error::Hub("no connection".into()))?;
        let sent = async {
            let mut replayed =
                replay(client, &config.office.id, &config.kiosk.id, &pending).await?;
            replayed.released = walkins::replay_releases(client, &releases).await?;
            Ok::<_, Error>(replayed)
        };
        let replayed = match sent.await {
            Ok(replayed) => replayed,
            Err(error) => {
                *guard = None;
                return Err(error);
            }
        };
        // The hub's clock just after it answered, beside the kiosk's (a failed read only
        // leaves the last comparison standing).
        let hub_time = server_time(client).await.ok();
        let kiosk_time = jiff::SignedDuration::try_from(started.elapsed())
            .ok()
            .and_then(|elapsed| now.checked_add(elapsed).ok())
            .unwrap_or(now);
        Ok((replayed, hub_time, kiosk_time))
    })
    .await;
    let (replayed, hub_time, kiosk_time) = link.settle(attempt, budget, now, config)?;
    if let Some(other_time) = hub_time {
        let reading = ClockReading {
            kiosk_time,
            other_time,
        };
        access.with_store(|store| record_clock(store, config, ClockSource::Hub, reading))?;
    }
    if !replayed.released.is_empty() {
        access.with_store(|store| store.settle_walkin_releases(&replayed.released))?;
    }
    if !replayed.done.is_empty() {
        let at = rfc3339(&now.to_zoned_datetime(config.time_zone()));
        access
            .with_store(|store| store.settle_hub_pending(&replayed.done, &replayed.doubles, &at))?;
        log::info!(
            "hub replay: {} check-ins sent, {} doubles flagged",
            replayed.done.len(),
            replayed.doubles.len()
        );
    }
    Ok(replayed)
}

/// The background task of a kiosk in hub mode: every `retry_seconds`, reach the hub and replay
/// the check-ins numbered offline. Runs until the process ends.
pub async fn run_hub_task<A: StoreAccess + 'static>(
    access: Arc<A>,
    link: Arc<HubLink>,
    config: Config,
    clock: crate::model::Clock,
) {
    let every = Duration::from_secs(u64::from(config.hub.retry_seconds));
    loop {
        if let Err(error) = replay_pending(access.as_ref(), &link, clock(), &config).await {
            log::debug!("hub replay not done: {error}");
        }
        tokio::time::sleep(every).await;
    }
}
