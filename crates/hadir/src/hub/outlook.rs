//! People ahead and the estimated wait of tickets the hub just numbered, for the kiosk's result
//! screen and the printed ticket. The rules are `crate::queue_times`'s; this reads the office's
//! day from the hub and passes it in with the clock.
//!
//! Only the hub knows the whole office's queue (every kiosk's check-ins, every counter's
//! calls), so a ticket numbered without it (offline block, standalone kiosk) has no outlook.

use std::collections::{BTreeMap, HashMap};

use jiff::ZonedDateTime;
use tokio::time::Instant;
use tokio_postgres::Client;

use super::schema::hub_error;
use super::service_records::{counters_open, service_records};
use super::HubLink;
use crate::checkin::Verdict;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::{rfc3339, Service};
use crate::queue_times::{QueueOutlook, MIN_FINISHED_FOR_ESTIMATE};
use crate::store::IssuedTicket;

/// People ahead and the estimate of the tickets a hub check-in issued, keyed by ticket id
/// ([`IssuedTicket::id`]); a ticket without one (no answer in time) is not in it.
pub type TicketOutlooks = BTreeMap<String, QueueOutlook>;

/// The outlook of each hub check-in named by its event nonce (`checkins.nonce`), at `now`:
/// keyed by nonce, a ticket no longer waiting (or not found) left out.
///
/// The day's records, the counters open and each service's priority streak are read once for
/// all the tickets of a booking. The estimate needs [`MIN_FINISHED_FOR_ESTIMATE`] services
/// finished today (fewer: the count alone).
pub async fn outlooks(
    client: &Client,
    config: &Config,
    nonces: &[String],
    now: &ZonedDateTime,
) -> Result<BTreeMap<String, QueueOutlook>> {
    let ids = client
        .query(
            "SELECT id, nonce FROM checkins WHERE office = $1 AND nonce = ANY($2)",
            &[&config.office.id, &nonces],
        )
        .await
        .map_err(hub_error)?;
    let day = service_records(client, config, now.date(), now.date()).await?;
    let open = counters_open(client, config, now).await?;
    let mut streaks: HashMap<Service, u32> = HashMap::new();
    let mut found = BTreeMap::new();
    for row in &ids {
        let (id, nonce): (i64, String) = (row.get(0), row.get(1));
        let Some(ticket) = day.iter().find(|record| record.id == id) else {
            continue;
        };
        let streak = match streaks.get(&ticket.service) {
            Some(streak) => *streak,
            None => {
                let streak = priority_streak(client, config, ticket.service, now).await?;
                streaks.insert(ticket.service, streak);
                streak
            }
        };
        let outlook = QueueOutlook::of(
            ticket,
            &day,
            streak,
            &config.calling,
            open,
            now,
            MIN_FINISHED_FOR_ESTIMATE,
        );
        if let Some(outlook) = outlook {
            found.insert(nonce, outlook);
        }
    }
    Ok(found)
}

/// The priority streak the count starts from: the smallest among the counters that serve
/// `service` and called today (0 when none has). Each counter keeps its own streak
/// (`crate::call_order`); the smallest lets the most priority tickets go before a regular one,
/// so a regular applicant is never told fewer people than the counters may call first, and a
/// priority applicant's count (the lane goes first) hardly depends on it.
async fn priority_streak(
    client: &Client,
    config: &Config,
    service: Service,
    now: &ZonedDateTime,
) -> Result<u32> {
    let day_start = now
        .start_of_day()
        .map_err(|e| Error::Hub(format!("the office day's start: {e}")))?;
    let row = client
        .query_one(
            "SELECT COALESCE(min(priority_streak), 0) FROM counters
             WHERE office = $1 AND $2 = ANY(services) AND updated_at >= $3::text::timestamptz",
            &[&config.office.id, &service.as_str(), &rfc3339(&day_start)],
        )
        .await
        .map_err(hub_error)?;
    Ok(u32::try_from(row.get::<_, i32>(0)).unwrap_or(0))
}

/// The outlook of each new ticket of a hub check-in, keyed by ticket id
/// ([`IssuedTicket::id`]), asked for before `deadline` (what is left of the check-in's
/// `hub.timeout_ms`). Never an error: the number is committed and shown either way, so a hub
/// that fails or answers late leaves the tickets without an outlook, and the link state staff
/// see stays the claim's.
pub(super) async fn for_tickets(
    link: &HubLink,
    nonces: &[String],
    tickets: &[IssuedTicket],
    verdict: &Verdict,
    now: &ZonedDateTime,
    config: &Config,
    deadline: Instant,
) -> TicketOutlooks {
    if *verdict != Verdict::Ok || tickets.is_empty() {
        return TicketOutlooks::new();
    }
    let Some(budget) = deadline.checked_duration_since(Instant::now()) else {
        log::debug!("no time left for people ahead: the ticket prints without");
        return TicketOutlooks::new();
    };
    let attempt = tokio::time::timeout_at(deadline, async {
        let mut guard = link.connected(budget).await?;
        let client = guard
            .as_mut()
            .ok_or_else(|| Error::Hub("no connection".into()))?;
        let found = outlooks(client, config, nonces, now).await;
        if found.is_err() {
            *guard = None;
        }
        found
    })
    .await;
    let by_nonce = match attempt {
        Ok(Ok(found)) => found,
        Ok(Err(error)) => {
            log::info!("people ahead not read from the hub ({error}): the ticket prints without");
            return TicketOutlooks::new();
        }
        Err(_) => {
            // The query may still be under way on a slow hub: the next check-in reconnects.
            if let Ok(mut client) = link.client.try_lock() {
                *client = None;
            }
            log::info!("people ahead not read within the hub's time: the ticket prints without");
            return TicketOutlooks::new();
        }
    };
    tickets
        .iter()
        .filter_map(|ticket| {
            let nonce = nonces.get(usize::try_from(ticket.applicant_index).ok()?)?;
            Some((ticket.id.clone(), *by_nonce.get(nonce)?))
        })
        .collect()
}
