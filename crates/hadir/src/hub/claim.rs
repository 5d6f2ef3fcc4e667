//! Asking the hub for numbers: one transaction per booking that either allocates consecutive
//! numbers and records every applicant, or finds the booking already checked in (by any kiosk).

use jiff::civil::Date;
use serde::Serialize;
use tokio_postgres::error::SqlState;
use tokio_postgres::{Client, Transaction};

use super::schema::hub_error;
use crate::error::Result;

/// One booking's check-in as the kiosk asks the hub for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim<'a> {
    pub office: &'a str,
    pub office_date: Date,
    pub booking_code: &'a str,
    pub queue: &'a str,
    pub kiosk: &'a str,
    /// Office-local RFC 3339.
    pub at: &'a str,
    pub service: &'a str,
    /// Per applicant, in order.
    pub applicants: Vec<ClaimApplicant<'a>>,
    pub reserved: (i32, i32),
    /// When the booking's slot starts (office-local RFC 3339), for the counters' rule "not
    /// before the slot"; `None` for a booking without a slot.
    pub slot_start: Option<&'a str>,
}

/// One applicant of a claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimApplicant<'a> {
    /// The check-in's event nonce, the same in the kiosk's store.
    pub nonce: String,
    pub priority: Option<&'a str>,
    /// The name as the kiosk's screen shows it (`crate::model::mask_name`), for the counter;
    /// never the full name. `None`: the kiosk has no name (a token without names, a walk-in).
    pub masked_name: Option<String>,
}

/// A ticket the hub holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HubTicket {
    pub applicant_index: i32,
    pub queue: String,
    pub number: i32,
    pub label: String,
    pub kiosk: String,
    pub nonce: String,
}

/// What the hub answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HubAnswer {
    /// New numbers, one per applicant, in order.
    Issued(Vec<i64>),
    /// Checked in already (by this or another kiosk): the hub's tickets for the booking.
    Already(Vec<HubTicket>),
}

/// `A-007`: the label a number gets, as the kiosk prints it.
pub fn label(queue: &str, number: i64) -> String {
    crate::queue::ticket_label(queue, number)
}

/// Allocates and records, or reports the existing check-in. Dense numbers: a refused claim
/// rolls its counter increment back with it.
pub async fn claim(client: &mut Client, claim: &Claim<'_>) -> Result<HubAnswer> {
    let tx = client.transaction().await.map_err(hub_error)?;
    let date = claim.office_date.to_string();
    let mut numbers = Vec::with_capacity(claim.applicants.len());
    for (index, applicant) in claim.applicants.iter().enumerate() {
        let (nonce, priority) = (&applicant.nonce, &applicant.priority);
        let number = next_number(&tx, claim.office, &date, claim.queue, claim.reserved).await?;
        let inserted = tx
            .query_opt(
                "INSERT INTO checkins (office, office_date, booking_code, applicant_index, queue,
                                       number, label, kiosk, at, nonce, service, priority,
                                       slot_start, masked_name)
                 VALUES ($1, $2::text::date, $3, $4, $5, $6, $7, $8, $9::text::timestamptz, $10, $11, $12,
                         $13::text::timestamptz, $14)
                 ON CONFLICT (office, office_date, booking_code, applicant_index) DO NOTHING
                 RETURNING id",
                &[
                    &claim.office,
                    &date,
                    &claim.booking_code,
                    &(index as i32),
                    &claim.queue,
                    &number,
                    &label(claim.queue, i64::from(number)),
                    &claim.kiosk,
                    &claim.at,
                    nonce,
                    &claim.service,
                    priority,
                    &claim.slot_start,
                    &applicant.masked_name,
                ],
            )
            .await;
        match inserted {
            Ok(Some(_)) => numbers.push(i64::from(number)),
            // Another kiosk checked this applicant in: nothing of ours stays.
            Ok(None) => {
                tx.rollback().await.map_err(hub_error)?;
                return Ok(HubAnswer::Already(
                    tickets_of(client, claim.office, claim.office_date, claim.booking_code).await?,
                ));
            }
            // Our own nonce is there: an earlier claim of this very check-in committed after the
            // kiosk had stopped waiting for it.
            Err(e) if e.code() == Some(&SqlState::UNIQUE_VIOLATION) => {
                drop(tx);
                return Ok(HubAnswer::Already(
                    tickets_of(client, claim.office, claim.office_date, claim.booking_code).await?,
                ));
            }
            Err(e) => return Err(hub_error(e)),
        }
    }
    tx.commit().await.map_err(hub_error)?;
    Ok(HubAnswer::Issued(numbers))
}

/// The next number of `queue` on `date` (office-local `YYYY-MM-DD`), inside the caller's
/// transaction: the counter row's lock serialises kiosks on this queue until commit, and
/// numbers inside the reserved range belong to the kiosks' offline blocks, so they are skipped.
pub(super) async fn next_number(
    tx: &Transaction<'_>,
    office: &str,
    date: &str,
    queue: &str,
    reserved: (i32, i32),
) -> Result<i32> {
    let row = tx
        .query_one(
            "INSERT INTO queue_counters (office, office_date, queue, last_number)
             VALUES ($1, $2::text::date, $3, 1)
             ON CONFLICT (office, office_date, queue) DO UPDATE SET last_number =
                 CASE WHEN queue_counters.last_number + 1 BETWEEN $4 AND $5 THEN $5 + 1
                      ELSE queue_counters.last_number + 1 END
             RETURNING last_number",
            &[&office, &date, &queue, &reserved.0, &reserved.1],
        )
        .await
        .map_err(hub_error)?;
    Ok(row.get(0))
}

/// The hub's tickets for a booking on a day, in applicant order.
pub async fn tickets_of(
    client: &Client,
    office: &str,
    office_date: Date,
    booking_code: &str,
) -> Result<Vec<HubTicket>> {
    let rows = client
        .query(
            "SELECT applicant_index, queue, number, label, kiosk, nonce FROM checkins
             WHERE office = $1 AND office_date = $2::text::date AND booking_code = $3
             ORDER BY applicant_index",
            &[&office, &office_date.to_string(), &booking_code],
        )
        .await
        .map_err(hub_error)?;
    Ok(rows
        .iter()
        .map(|row| HubTicket {
            applicant_index: row.get(0),
            queue: row.get(1),
            number: row.get(2),
            label: row.get(3),
            kiosk: row.get(4),
            nonce: row.get(5),
        })
        .collect())
}
