//! The counters' events for the gateway (`call`, `finish`, `no_show`; the push contract in
//! docs/feed-api.md), written at the hub in the transaction of the call or step they record, as
//! a kiosk writes its outbox: a call the hub committed always has its event. Nothing personal:
//! the ticket's number, its service, the counter. Each use case hands its event back
//! ([`HubEvent`]) so the counter machine writes the same event (same nonce) to its own outbox,
//! which its sync task pushes (`crate::counter_desk`).

use jiff::ZonedDateTime;
use serde_json::{json, Value};
use tokio_postgres::Transaction;

use super::calls::CounterTicket;
use super::schema::hub_error;
use crate::config::Config;
use crate::error::Result;
use crate::model::rfc3339;

/// One event as written at the hub, for the counter machine's outbox (same nonce and body).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HubEvent {
    pub nonce: String,
    /// `call`, `finish` or `no_show`.
    pub kind: &'static str,
    /// The JSON object as pushed.
    pub body: String,
    /// Office-local RFC 3339.
    pub at: String,
}

/// What happened to a ticket at a counter, as its event says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CallEvent {
    /// Called (`recall` 0) or called again (1, 2, ...).
    Call {
        recall: i32,
    },
    Finish,
    NoShow,
}

impl CallEvent {
    fn kind(self) -> &'static str {
        match self {
            CallEvent::Call { .. } => "call",
            CallEvent::Finish => "finish",
            CallEvent::NoShow => "no_show",
        }
    }

    /// The event's body as pushed (`nonce`, `kind`, `at` and the kind's own fields).
    fn body(self, nonce: &str, ticket: &CounterTicket, counter: i32, at: &str) -> Value {
        let mut body = json!({
            "nonce": nonce,
            "kind": self.kind(),
            "ticket": ticket.label,
            "service": ticket.service.as_str(),
            "counter": counter,
            "at": at,
        });
        match self {
            CallEvent::Call { recall } => body["recall"] = json!(recall),
            CallEvent::NoShow => body["recalls"] = json!(ticket.recalls),
            CallEvent::Finish => {}
        }
        body
    }
}

/// Writes one event inside the caller's transaction.
pub(super) async fn record(
    tx: &Transaction<'_>,
    event: CallEvent,
    ticket: &CounterTicket,
    counter: i32,
    now: &ZonedDateTime,
    config: &Config,
) -> Result<HubEvent> {
    let nonce = uuid::Uuid::new_v4().to_string();
    let at = rfc3339(now);
    let body = event.body(&nonce, ticket, counter, &at).to_string();
    tx.execute(
        "INSERT INTO call_events (nonce, office, kind, body, created_at)
         VALUES ($1, $2, $3, $4, $5::text::timestamptz)",
        &[&nonce, &config.office.id, &event.kind(), &body, &at],
    )
    .await
    .map_err(hub_error)?;
    Ok(HubEvent {
        nonce,
        kind: event.kind(),
        body,
        at,
    })
}
