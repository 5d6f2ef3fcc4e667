//! The office's tickets as `crate::queue_times` reads them: one [`ServiceRecord`] per check-in of
//! a period, from the hub's check-ins, the call flow and the calls. People ahead and the
//! estimated wait (kiosk, hub mode) and the supervisor's waiting and service times (exports)
//! are computed from these by the pure rules; nothing here decides.

use jiff::civil::Date;
use jiff::{Timestamp, ZonedDateTime};
use tokio_postgres::Client;

use super::schema::hub_error;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::Service;
use crate::queue::is_priority_queue;
use crate::queue_times::ServiceRecord;

/// A counter that called nobody for this long and has no ticket in hand is not counted open.
const OPEN_COUNTER_MINUTES: i32 = 30;

fn timestamp(micros: Option<i64>) -> Result<Option<Timestamp>> {
    micros
        .map(|m| {
            Timestamp::from_microsecond(m).map_err(|e| Error::Hub(format!("a hub time {m}: {e}")))
        })
        .transpose()
}

/// Every ticket checked in from `from` to `to` (office days, both included), in check-in order.
/// A check-in no counter has looked at yet (not in the call flow) waits in its check-in place;
/// a walk-in turned away is left out, as the counters never call it.
pub async fn service_records(
    client: &Client,
    config: &Config,
    from: Date,
    to: Date,
) -> Result<Vec<ServiceRecord>> {
    let priority = is_priority_queue(&config.queues, &config.queues.priority)
        .then_some(config.queues.priority.as_str());
    let rows = client
        .query(
            "SELECT c.id, COALESCE(t.service, c.service),
                    COALESCE(t.priority_lane, COALESCE(c.queue = $4, false)),
                    (extract(epoch FROM c.at) * 1000000)::int8,
                    (extract(epoch FROM COALESCE(t.queued_at, c.at)) * 1000000)::int8,
                    (SELECT (extract(epoch FROM min(k.at)) * 1000000)::int8
                     FROM calls k WHERE k.checkin_id = c.id),
                    CASE WHEN t.state = 'finished'
                         THEN (extract(epoch FROM t.ended_at) * 1000000)::int8 END,
                    (SELECT k.counter FROM calls k WHERE k.checkin_id = c.id
                     ORDER BY k.id DESC LIMIT 1),
                    COALESCE(t.state = 'no_show', false)
             FROM checkins c
             LEFT JOIN call_tickets t ON t.checkin_id = c.id
             WHERE c.office = $1 AND c.office_date BETWEEN $2::text::date AND $3::text::date
               AND NOT walkin_turned_away(c.id)
             ORDER BY c.at, c.id",
            &[
                &config.office.id,
                &from.to_string(),
                &to.to_string(),
                &priority,
            ],
        )
        .await
        .map_err(hub_error)?;
    rows.iter()
        .map(|row| {
            let service: &str = row.get(1);
            let counter: Option<i32> = row.get(7);
            Ok(ServiceRecord {
                id: row.get(0),
                service: Service::parse(service)
                    .ok_or_else(|| Error::Hub(format!("unknown service {service:?}")))?,
                priority_lane: row.get(2),
                checked_in_at: timestamp(Some(row.get(3)))?.unwrap_or_default(),
                queued_at: timestamp(Some(row.get(4)))?.unwrap_or_default(),
                called_at: timestamp(row.get(5))?,
                finished_at: timestamp(row.get(6))?,
                counter: counter.and_then(|c| u32::try_from(c).ok()),
                no_show: row.get(8),
            })
        })
        .collect()
}

/// How many counters serve now: those with a ticket in hand, or that called someone in the last
/// half hour (a counter closed for lunch stops counting, so the estimate grows).
pub async fn counters_open(client: &Client, config: &Config, now: &ZonedDateTime) -> Result<u32> {
    let row = client
        .query_one(
            "SELECT count(DISTINCT counter) FROM (
                 SELECT counter FROM calls
                 WHERE office = $1 AND office_date = $2::text::date
                   AND at > $3::text::timestamptz - make_interval(mins => $4)
                 UNION
                 SELECT counter FROM call_tickets
                 WHERE office = $1 AND office_date = $2::text::date
                   AND state IN ('called', 'serving')
             ) open",
            &[
                &config.office.id,
                &now.date().to_string(),
                &crate::model::rfc3339(now),
                &OPEN_COUNTER_MINUTES,
            ],
        )
        .await
        .map_err(hub_error)?;
    Ok(u32::try_from(row.get::<_, i64>(0)).unwrap_or(0))
}
