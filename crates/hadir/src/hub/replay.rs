//! After a split: the check-ins this kiosk numbered from its block go to the hub. A booking
//! that another kiosk checked in meanwhile is recorded as a double (both tickets stay valid).

use tokio_postgres::Client;

use super::schema::hub_error;
use crate::error::Result;
use crate::store::{HubDouble, PendingCheckin};

/// What one replay pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Replayed {
    /// Checkin ids now in the hub (or recognised there), to settle locally.
    pub done: Vec<i64>,
    pub doubles: Vec<HubDouble>,
    /// Walk-ins turned away here that the hub now knows of (checkin ids), to settle locally.
    pub released: Vec<i64>,
}

/// Sends pending check-ins to the hub, one statement each (each is idempotent by nonce); a
/// walk-in's count in its quota pool goes with it.
pub async fn replay(
    client: &mut Client,
    office: &str,
    kiosk: &str,
    pending: &[PendingCheckin],
) -> Result<Replayed> {
    let mut replayed = Replayed::default();
    for item in pending {
        let inserted = client
            .query_opt(
                "INSERT INTO checkins (office, office_date, booking_code, applicant_index, queue,
                                       number, label, kiosk, at, nonce, offline, service, priority,
                                       masked_name)
                 VALUES ($1, $2::text::date, $3, $4, $5, $6, $7, $8, $9::text::timestamptz, $10, true, $11, $12,
                         $13)
                 ON CONFLICT DO NOTHING RETURNING id",
                &[
                    &office,
                    &item.office_date,
                    &item.booking_code,
                    &(item.applicant_index as i32),
                    &item.queue,
                    &(item.number as i32),
                    &item.label,
                    &kiosk,
                    &item.at,
                    &item.nonce,
                    &item.service,
                    &item.priority,
                    &item.masked_name,
                ],
            )
            .await
            .map_err(hub_error)?;
        if inserted.is_some() {
            replay_walkin_of(client, office, kiosk, item).await?;
            replayed.done.push(item.checkin_id);
            continue;
        }
        // Refused by a unique constraint: which one tells what happened.
        let ours = client
            .query_opt(
                "SELECT label FROM checkins WHERE nonce = $1",
                &[&item.nonce],
            )
            .await
            .map_err(hub_error)?;
        if let Some(row) = ours {
            // This very check-in reached the hub before (a claim that committed after the kiosk
            // stopped waiting, or an earlier replay): the printed number is the truth.
            let label: String = row.get(0);
            if label != item.label {
                client
                    .execute(
                        "UPDATE checkins SET number = $2, label = $3, offline = true WHERE nonce = $1",
                        &[&item.nonce, &(item.number as i32), &item.label],
                    )
                    .await
                    .map_err(hub_error)?;
            }
            replay_walkin_of(client, office, kiosk, item).await?;
            replayed.done.push(item.checkin_id);
            continue;
        }
        let kept = client
            .query_opt(
                "SELECT label, kiosk FROM checkins
                 WHERE office = $1 AND office_date = $2::text::date AND booking_code = $3
                   AND applicant_index = $4",
                &[
                    &office,
                    &item.office_date,
                    &item.booking_code,
                    &(item.applicant_index as i32),
                ],
            )
            .await
            .map_err(hub_error)?;
        let Some(kept) = kept else {
            // Only a number clash is left: two kiosks configured with overlapping blocks. Keep
            // it pending (and loud) rather than drop it.
            log::error!(
                "hub replay: {} {} clashes with another kiosk's number; check hub.offline_block_start",
                item.queue,
                item.label
            );
            continue;
        };
        let (kept_label, kept_kiosk): (String, String) = (kept.get(0), kept.get(1));
        client
            .execute(
                "INSERT INTO doubles (office, office_date, booking_code, applicant_index, kept_label,
                                      kept_kiosk, other_label, other_kiosk, other_at, other_nonce)
                 VALUES ($1, $2::text::date, $3, $4, $5, $6, $7, $8, $9::text::timestamptz, $10)
                 ON CONFLICT (other_nonce) DO NOTHING",
                &[
                    &office,
                    &item.office_date,
                    &item.booking_code,
                    &(item.applicant_index as i32),
                    &kept_label,
                    &kept_kiosk,
                    &item.label,
                    &kiosk,
                    &item.at,
                    &item.nonce,
                ],
            )
            .await
            .map_err(hub_error)?;
        log::warn!(
            "hub replay: {} applicant {} was checked in at {kept_kiosk} ({kept_label}) and here ({}): flagged for staff",
            crate::booking::log_safe(&item.booking_code),
            item.applicant_index,
            item.label
        );
        replayed.doubles.push(HubDouble {
            office_date: item.office_date.clone(),
            booking_code: item.booking_code.clone(),
            applicant_index: item.applicant_index,
            our_label: item.label.clone(),
            other_label: kept_label,
            other_kiosk: kept_kiosk,
        });
        replayed.done.push(item.checkin_id);
    }
    Ok(replayed)
}

/// A replayed check-in that is a walk-in: counted in its pool at the hub too.
async fn replay_walkin_of(
    client: &mut Client,
    office: &str,
    kiosk: &str,
    item: &PendingCheckin,
) -> Result<()> {
    let Some(walkin) = &item.walkin else {
        return Ok(());
    };
    super::walkins::replay_walkin(
        client,
        office,
        kiosk,
        &item.office_date,
        &item.nonce,
        &item.label,
        walkin,
    )
    .await
}
