//! Calling tickets at the counters: the state of each ticket in the call flow, kept at the hub
//! beside its check-in row (`call_tickets`, keyed on `checkins.id`), the counters and every
//! call (`calls`). Who is next is `crate::call_order`'s pure rule; this module gathers what it
//! needs, locks the chosen ticket and records the call, each use case in one transaction.
//!
//! States: `waiting` -> `called` (call next; call again keeps it there) -> `serving` (start)
//! -> `finished`; `called` -> `no_show` (after `calling.no_show_after_recalls` calls again);
//! `called` or `serving` -> `waiting` for another service (transfer: the number stays, and it
//! joins that queue at its check-in place, or at the end with `calling.transfer_keeps_place =
//! false`). Check-ins join the call flow when a counter first looks at the day's queues
//! (`enrol`), so tickets replayed from a kiosk that was cut off take their check-in place too.
//!
//! Two counters never get the same ticket: the chosen row is locked with `FOR UPDATE SKIP
//! LOCKED` and its state read again under the lock; a row another counter holds or just called
//! is dropped and the rule asked again. Each call is announced with `NOTIFY hadir_calls` (the
//! payload is the call's id) for the displays, delivered when the transaction commits.

use jiff::{Timestamp, ZonedDateTime};
use serde::Serialize;
use tokio_postgres::{Client, Transaction};

use super::call_events::{self, CallEvent, HubEvent};
use super::schema::hub_error;
use crate::call_order::{next_call, WaitingTicket};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::{rfc3339, Service};
use crate::queue::is_priority_queue;

/// The channel displays LISTEN on; each payload is a `calls.id`.
pub const CALLS_CHANNEL: &str = "hadir_calls";

/// A counter at work: its number, the services it serves (in the order staff chose) and the
/// staff member signed in there (recorded on each call).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Desk {
    pub counter: i32,
    pub services: Vec<Service>,
    pub staff: String,
}

/// Where a ticket is in the call flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CallState {
    Waiting,
    Called,
    Serving,
    Finished,
    NoShow,
}

impl CallState {
    pub fn as_str(self) -> &'static str {
        match self {
            CallState::Waiting => "waiting",
            CallState::Called => "called",
            CallState::Serving => "serving",
            CallState::Finished => "finished",
            CallState::NoShow => "no_show",
        }
    }

    fn parse(text: &str) -> Result<CallState> {
        Ok(match text {
            "waiting" => CallState::Waiting,
            "called" => CallState::Called,
            "serving" => CallState::Serving,
            "finished" => CallState::Finished,
            "no_show" => CallState::NoShow,
            other => return Err(Error::Hub(format!("unknown call state {other:?}"))),
        })
    }
}

/// One call (or call again) of a ticket to a counter, as a display shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Call {
    /// `calls.id`: the NOTIFY payload.
    pub call_id: i64,
    /// The hub's ticket row (`checkins.id`).
    pub ticket_id: i64,
    pub label: String,
    pub service: Service,
    pub priority_lane: bool,
    pub counter: i32,
    /// 0 for the first call, then 1, 2, ... for each call again.
    pub recall: i32,
    /// Office-local RFC 3339.
    pub at: String,
    /// The applicant's name as the kiosk showed it (masked; `None`: no name sent).
    pub masked_name: Option<String>,
    /// The `call` event written with it, for the counter machine's outbox.
    #[serde(skip)]
    pub event: Option<HubEvent>,
}

/// The ticket a counter has in hand (called or being served), after an action on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CounterTicket {
    pub ticket_id: i64,
    pub label: String,
    pub service: Service,
    pub priority_lane: bool,
    pub state: CallState,
    pub recalls: i32,
    /// The applicant's name as the kiosk showed it (masked; `None`: no name sent).
    pub masked_name: Option<String>,
    /// Who called it (the staff member at the counter then).
    pub staff: Option<String>,
    /// The `finish` or `no_show` event written with this step, for the counter machine's
    /// outbox; `None` for steps without one.
    #[serde(skip)]
    pub event: Option<HubEvent>,
}

/// What "call next" did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum CallNext {
    Called {
        call: Call,
    },
    /// Nobody this counter serves may be called now.
    NobodyWaiting,
    /// The counter still has a ticket in hand: finish it, mark it no-show or send it on first.
    Busy {
        ticket: CounterTicket,
    },
}

/// What "no-show" did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum NoShow {
    Marked {
        ticket: CounterTicket,
    },
    /// Call it again first: `recalls` of the `needed` calls again were made.
    CallAgainFirst {
        recalls: i32,
        needed: u32,
    },
    /// No called ticket at this counter (one being served finishes instead).
    NoTicket,
}

/// Tickets waiting for one service, per lane.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueueWaiting {
    pub service: Service,
    pub priority: i64,
    pub regular: i64,
}

fn names(services: &[Service]) -> Vec<&'static str> {
    services.iter().map(|s| s.as_str()).collect()
}

fn micros(at: Option<i64>) -> Result<Option<Timestamp>> {
    at.map(|m| {
        Timestamp::from_microsecond(m).map_err(|e| Error::Hub(format!("a hub time {m}: {e}")))
    })
    .transpose()
}

fn service_of(text: &str) -> Result<Service> {
    Service::parse(text).ok_or_else(|| Error::Hub(format!("unknown service {text:?}")))
}

/// Brings the day's check-ins not yet in the call flow into it, waiting at their check-in time
/// (a walk-in turned away stays out).
///
/// One statement of its own, committed before the caller's transaction: the new rows' locks
/// are not held while a counter calls, and every counter inserts them in the same order.
async fn enrol(client: &Client, now: &ZonedDateTime, config: &Config) -> Result<()> {
    let priority = is_priority_queue(&config.queues, &config.queues.priority)
        .then_some(config.queues.priority.as_str());
    client
        .execute(
            "INSERT INTO call_tickets (checkin_id, office, office_date, label, service,
                                   priority_lane, queued_at, slot_start, updated_at, masked_name)
         SELECT c.id, c.office, c.office_date, c.label, c.service,
                COALESCE(c.queue = $3, false), c.at, c.slot_start, c.at, c.masked_name
         FROM checkins c
         WHERE c.office = $1 AND c.office_date = $2::text::date
           AND NOT EXISTS (SELECT 1 FROM call_tickets t WHERE t.checkin_id = c.id)
           AND NOT walkin_turned_away(c.id)
         ORDER BY c.id
         ON CONFLICT (checkin_id) DO NOTHING",
            &[&config.office.id, &now.date().to_string(), &priority],
        )
        .await
        .map_err(hub_error)?;
    Ok(())
}

/// The counter's ticket in hand, its row locked until the transaction ends.
async fn in_hand(
    tx: &Transaction<'_>,
    counter: i32,
    now: &ZonedDateTime,
    config: &Config,
) -> Result<Option<CounterTicket>> {
    let row = tx
        .query_opt(
            &format!("{IN_HAND} FOR UPDATE"),
            &[&config.office.id, &now.date().to_string(), &counter],
        )
        .await
        .map_err(hub_error)?;
    row.map(|row| ticket_of(&row)).transpose()
}

/// The counter's ticket in hand (called or being served), read without locking it: what the
/// counter's screen shows, also after the counter machine restarted.
pub async fn ticket_at(
    client: &Client,
    counter: i32,
    now: &ZonedDateTime,
    config: &Config,
) -> Result<Option<CounterTicket>> {
    let row = client
        .query_opt(
            IN_HAND,
            &[&config.office.id, &now.date().to_string(), &counter],
        )
        .await
        .map_err(hub_error)?;
    row.map(|row| ticket_of(&row)).transpose()
}

const IN_HAND: &str =
    "SELECT checkin_id, label, service, priority_lane, state, recalls, masked_name, staff
     FROM call_tickets
     WHERE office = $1 AND office_date = $2::text::date AND counter = $3
       AND state IN ('called', 'serving')
     ORDER BY called_at DESC LIMIT 1";

fn ticket_of(row: &tokio_postgres::Row) -> Result<CounterTicket> {
    Ok(CounterTicket {
        ticket_id: row.get(0),
        label: row.get(1),
        service: service_of(row.get(2))?,
        priority_lane: row.get(3),
        state: CallState::parse(row.get(4))?,
        recalls: row.get(5),
        masked_name: row.get(6),
        staff: row.get(7),
        event: None,
    })
}

/// Records a call (first or again) and announces it to the displays.
async fn record_call(
    tx: &Transaction<'_>,
    ticket: &CounterTicket,
    counter: i32,
    recall: i32,
    now: &ZonedDateTime,
    config: &Config,
) -> Result<Call> {
    let at = rfc3339(now);
    let row = tx
        .query_one(
            "INSERT INTO calls (checkin_id, office, office_date, counter, label, service, at, recall,
                                staff)
             VALUES ($1, $2, $3::text::date, $4, $5, $6, $7::text::timestamptz, $8, $9)
             RETURNING id",
            &[
                &ticket.ticket_id,
                &config.office.id,
                &now.date().to_string(),
                &counter,
                &ticket.label,
                &ticket.service.as_str(),
                &at,
                &recall,
                &ticket.staff,
            ],
        )
        .await
        .map_err(hub_error)?;
    let call_id: i64 = row.get(0);
    tx.execute(
        "SELECT pg_notify($1, $2)",
        &[&CALLS_CHANNEL, &call_id.to_string()],
    )
    .await
    .map_err(hub_error)?;
    let event =
        call_events::record(tx, CallEvent::Call { recall }, ticket, counter, now, config).await?;
    Ok(Call {
        call_id,
        ticket_id: ticket.ticket_id,
        label: ticket.label.clone(),
        service: ticket.service,
        priority_lane: ticket.priority_lane,
        counter,
        recall,
        at,
        masked_name: ticket.masked_name.clone(),
        event: Some(event),
    })
}

/// Calls the next ticket for this counter by `calling`'s rules, unless it has one in hand.
pub async fn call_next(
    client: &mut Client,
    desk: &Desk,
    now: &ZonedDateTime,
    config: &Config,
) -> Result<CallNext> {
    enrol(client, now, config).await?;
    let tx = client.transaction().await.map_err(hub_error)?;
    let at = rfc3339(now);
    // The counter's row, locked: its streak is read and written by one call at a time.
    let streak: i32 = tx
        .query_one(
            "INSERT INTO counters (office, number, services, priority_streak, updated_at)
             VALUES ($1, $2, $3, 0, $4::text::timestamptz)
             ON CONFLICT (office, number) DO UPDATE
                 SET services = EXCLUDED.services, updated_at = EXCLUDED.updated_at
             RETURNING priority_streak",
            &[
                &config.office.id,
                &desk.counter,
                &names(&desk.services),
                &at,
            ],
        )
        .await
        .map_err(hub_error)?
        .get(0);
    if let Some(ticket) = in_hand(&tx, desk.counter, now, config).await? {
        return Ok(CallNext::Busy { ticket });
    }
    let mut waiting = waiting_for(&tx, &desk.services, now, config).await?;
    let streak = u32::try_from(streak).unwrap_or(0);
    while let Some(next) = next_call(&waiting, streak, now.timestamp(), &config.calling) {
        let candidate = waiting.remove(next.index);
        let taken = tx
            .query_opt(
                "UPDATE call_tickets SET state = 'called', counter = $2, recalls = 0,
                        called_at = $3::text::timestamptz, updated_at = $3::text::timestamptz,
                        staff = $4
                 WHERE checkin_id = (SELECT checkin_id FROM call_tickets
                                     WHERE checkin_id = $1 AND state = 'waiting'
                                     FOR UPDATE SKIP LOCKED)
                 RETURNING label, service, priority_lane, masked_name",
                &[&candidate.id, &desk.counter, &at, &desk.staff],
            )
            .await
            .map_err(hub_error)?;
        // Held by another counter right now, or called since the list was read: the next one.
        let Some(row) = taken else { continue };
        let ticket = CounterTicket {
            ticket_id: candidate.id,
            label: row.get(0),
            service: service_of(row.get(1))?,
            priority_lane: row.get(2),
            state: CallState::Called,
            recalls: 0,
            masked_name: row.get(3),
            staff: Some(desk.staff.clone()),
            event: None,
        };
        tx.execute(
            "UPDATE counters SET priority_streak = $3 WHERE office = $1 AND number = $2",
            &[
                &config.office.id,
                &desk.counter,
                &i32::try_from(next.priority_streak).unwrap_or(i32::MAX),
            ],
        )
        .await
        .map_err(hub_error)?;
        let call = record_call(&tx, &ticket, desk.counter, 0, now, config).await?;
        tx.commit().await.map_err(hub_error)?;
        return Ok(CallNext::Called { call });
    }
    tx.commit().await.map_err(hub_error)?;
    Ok(CallNext::NobodyWaiting)
}

/// The day's waiting tickets of these services, as the rule reads them (not locked).
async fn waiting_for(
    tx: &Transaction<'_>,
    services: &[Service],
    now: &ZonedDateTime,
    config: &Config,
) -> Result<Vec<WaitingTicket>> {
    let rows = tx
        .query(
            "SELECT checkin_id, priority_lane,
                    (extract(epoch FROM queued_at) * 1000000)::int8,
                    (extract(epoch FROM slot_start) * 1000000)::int8
             FROM call_tickets
             WHERE office = $1 AND office_date = $2::text::date AND state = 'waiting'
               AND service = ANY($3) AND NOT walkin_turned_away(checkin_id)",
            &[&config.office.id, &now.date().to_string(), &names(services)],
        )
        .await
        .map_err(hub_error)?;
    rows.iter()
        .map(|row| {
            Ok(WaitingTicket {
                id: row.get(0),
                priority_lane: row.get(1),
                queued_at: micros(Some(row.get(2)))?.unwrap_or_default(),
                slot_start: micros(row.get(3))?,
            })
        })
        .collect()
}

/// Calls the counter's called ticket again (`None`: it has none called). The call is recorded
/// with the staff member who called it first.
pub async fn call_again(
    client: &mut Client,
    counter: i32,
    now: &ZonedDateTime,
    config: &Config,
) -> Result<Option<Call>> {
    let tx = client.transaction().await.map_err(hub_error)?;
    let Some(mut ticket) = in_hand(&tx, counter, now, config).await? else {
        return Ok(None);
    };
    if ticket.state != CallState::Called {
        return Ok(None);
    }
    ticket.recalls += 1;
    tx.execute(
        "UPDATE call_tickets SET recalls = $2, updated_at = $3::text::timestamptz
         WHERE checkin_id = $1",
        &[&ticket.ticket_id, &ticket.recalls, &rfc3339(now)],
    )
    .await
    .map_err(hub_error)?;
    let call = record_call(&tx, &ticket, counter, ticket.recalls, now, config).await?;
    tx.commit().await.map_err(hub_error)?;
    Ok(Some(call))
}

/// Marks the counter's called ticket a no-show, once it was called again often enough.
pub async fn no_show(
    client: &mut Client,
    counter: i32,
    now: &ZonedDateTime,
    config: &Config,
) -> Result<NoShow> {
    let tx = client.transaction().await.map_err(hub_error)?;
    let ticket = match in_hand(&tx, counter, now, config).await? {
        Some(ticket) if ticket.state == CallState::Called => ticket,
        _ => return Ok(NoShow::NoTicket),
    };
    let needed = config.calling.no_show_after_recalls;
    if u32::try_from(ticket.recalls).unwrap_or(0) < needed {
        return Ok(NoShow::CallAgainFirst {
            recalls: ticket.recalls,
            needed,
        });
    }
    let mut ticket = settle(&tx, ticket, CallState::NoShow, now).await?;
    ticket.event =
        Some(call_events::record(&tx, CallEvent::NoShow, &ticket, counter, now, config).await?);
    tx.commit().await.map_err(hub_error)?;
    Ok(NoShow::Marked { ticket })
}

/// The applicant came: the counter's called ticket is being served (`None`: none called).
pub async fn start(
    client: &mut Client,
    counter: i32,
    now: &ZonedDateTime,
    config: &Config,
) -> Result<Option<CounterTicket>> {
    let tx = client.transaction().await.map_err(hub_error)?;
    let ticket = match in_hand(&tx, counter, now, config).await? {
        Some(ticket) if ticket.state == CallState::Called => ticket,
        _ => return Ok(None),
    };
    let ticket = settle(&tx, ticket, CallState::Serving, now).await?;
    tx.commit().await.map_err(hub_error)?;
    Ok(Some(ticket))
}

/// The counter is done with its ticket, called or being served (`None`: it has none).
pub async fn finish(
    client: &mut Client,
    counter: i32,
    now: &ZonedDateTime,
    config: &Config,
) -> Result<Option<CounterTicket>> {
    let tx = client.transaction().await.map_err(hub_error)?;
    let Some(ticket) = in_hand(&tx, counter, now, config).await? else {
        return Ok(None);
    };
    let mut ticket = settle(&tx, ticket, CallState::Finished, now).await?;
    ticket.event =
        Some(call_events::record(&tx, CallEvent::Finish, &ticket, counter, now, config).await?);
    tx.commit().await.map_err(hub_error)?;
    Ok(Some(ticket))
}

/// Moves a ticket in hand to its next state, with the time of that step.
async fn settle(
    tx: &Transaction<'_>,
    mut ticket: CounterTicket,
    state: CallState,
    now: &ZonedDateTime,
) -> Result<CounterTicket> {
    let column = match state {
        CallState::Serving => "started_at",
        CallState::Finished | CallState::NoShow => "ended_at",
        CallState::Waiting | CallState::Called => {
            return Err(Error::Hub(format!(
                "{} is not a settled state",
                state.as_str()
            )))
        }
    };
    tx.execute(
        &format!(
            "UPDATE call_tickets SET state = $2, {column} = $3::text::timestamptz,
                    updated_at = $3::text::timestamptz
             WHERE checkin_id = $1"
        ),
        &[&ticket.ticket_id, &state.as_str(), &rfc3339(now)],
    )
    .await
    .map_err(hub_error)?;
    ticket.state = state;
    Ok(ticket)
}

/// Sends the counter's ticket to another service: the number stays, it waits again in `to`'s
/// queue, at its check-in place or at the end (`calling.transfer_keeps_place`), in its lane.
pub async fn transfer(
    client: &mut Client,
    counter: i32,
    to: Service,
    now: &ZonedDateTime,
    config: &Config,
) -> Result<Option<CounterTicket>> {
    let tx = client.transaction().await.map_err(hub_error)?;
    let Some(mut ticket) = in_hand(&tx, counter, now, config).await? else {
        return Ok(None);
    };
    tx.execute(
        "UPDATE call_tickets SET state = 'waiting', counter = NULL, recalls = 0,
                transferred_from = service, transfers = transfers + 1, service = $2,
                queued_at = CASE WHEN $3 THEN queued_at ELSE $4::text::timestamptz END,
                updated_at = $4::text::timestamptz
         WHERE checkin_id = $1",
        &[
            &ticket.ticket_id,
            &to.as_str(),
            &config.calling.transfer_keeps_place,
            &rfc3339(now),
        ],
    )
    .await
    .map_err(hub_error)?;
    tx.commit().await.map_err(hub_error)?;
    ticket.service = to;
    ticket.state = CallState::Waiting;
    ticket.recalls = 0;
    Ok(Some(ticket))
}

/// How many wait today for each of these services, per lane (held bookings included).
pub async fn waiting_counts(
    client: &mut Client,
    services: &[Service],
    now: &ZonedDateTime,
    config: &Config,
) -> Result<Vec<QueueWaiting>> {
    enrol(client, now, config).await?;
    let tx = client.transaction().await.map_err(hub_error)?;
    let rows = tx
        .query(
            "SELECT service, count(*) FILTER (WHERE priority_lane),
                    count(*) FILTER (WHERE NOT priority_lane)
             FROM call_tickets
             WHERE office = $1 AND office_date = $2::text::date AND state = 'waiting'
               AND NOT walkin_turned_away(checkin_id)
             GROUP BY service",
            &[&config.office.id, &now.date().to_string()],
        )
        .await
        .map_err(hub_error)?;
    tx.commit().await.map_err(hub_error)?;
    let count = |service: Service, column: usize| {
        rows.iter()
            .find(|row| row.get::<_, &str>(0) == service.as_str())
            .map_or(0, |row| row.get::<_, i64>(column))
    };
    Ok(services
        .iter()
        .map(|&service| QueueWaiting {
            service,
            priority: count(service, 1),
            regular: count(service, 2),
        })
        .collect())
}
