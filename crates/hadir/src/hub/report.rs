//! The whole office's export from the hub: the same `Report` and renderers as a kiosk's own
//! export, filled from the hub's check-ins (every kiosk) and its doubles.

use jiff::ZonedDateTime;
use tokio_postgres::Client;

use super::schema::hub_error;
use crate::config::Config;
use crate::error::Result;
use crate::model::rfc3339;
use crate::queue_times::supervisor_times;
use crate::report::{counter_ratings, ExportRange, OfficeTimes, Report, ServedBy, SyncSnapshot};
use crate::store::{RatingRow, TicketRow, WalkinRow};

/// The period's tickets of every kiosk of the office, and each double's second ticket beside
/// the first (both marked). Names are not in the hub; print counts stay with each kiosk.
pub async fn report_tickets(
    client: &Client,
    config: &Config,
    range: ExportRange,
) -> Result<Vec<TicketRow>> {
    let (from, to) = (range.from.to_string(), range.to.to_string());
    let office = &config.office.id;
    let rows = client
        .query(
            "SELECT c.office_date::text, extract(epoch FROM c.at)::float8, c.label, c.queue,
                    c.number, c.booking_code, c.applicant_index,
                    (row_number() OVER w)::int8, (count(*) OVER w)::int8, c.kiosk, c.offline,
                    c.service, c.priority, d.other_label, d.other_kiosk, w.nonce IS NOT NULL
             FROM checkins c
             LEFT JOIN doubles d ON d.office = c.office AND d.office_date = c.office_date
                  AND d.booking_code = c.booking_code AND d.applicant_index = c.applicant_index
             LEFT JOIN walkins w ON w.nonce = c.nonce
             WHERE c.office = $1 AND c.office_date BETWEEN $2::text::date AND $3::text::date
             WINDOW w AS (PARTITION BY c.office_date, c.booking_code ORDER BY c.applicant_index)
             ORDER BY c.office_date, c.at, c.booking_code, c.applicant_index",
            &[office, &from, &to],
        )
        .await
        .map_err(hub_error)?;
    let local = |epoch: f64| {
        jiff::Timestamp::from_millisecond((epoch * 1000.0) as i64)
            .map(|at| rfc3339(&at.to_zoned_datetime(config.time_zone())))
            .unwrap_or_default()
    };
    let mut tickets: Vec<TicketRow> = rows
        .iter()
        .map(|row| {
            let other: Option<(String, String)> = row
                .get::<_, Option<String>>(13)
                .zip(row.get::<_, Option<String>>(14));
            let walkin: bool = row.get(15);
            TicketRow {
                office_date: row.get(0),
                issued_at: local(row.get(1)),
                label: row.get(2),
                queue: row.get(3),
                number: i64::from(row.get::<_, i32>(4)),
                // A walk-in's own reference is no booking code: exports leave it out.
                booking_code: if walkin { String::new() } else { row.get(5) },
                applicant_index: i64::from(row.get::<_, i32>(6)),
                group_pos: row.get(7),
                group_size: row.get(8),
                kiosk: row.get(9),
                method: match (row.get::<_, bool>(10), walkin) {
                    (true, _) => "offline",
                    (false, true) => "walkin",
                    (false, false) => "scan",
                }
                .to_owned(),
                service: row.get(11),
                express: None,
                slot: None,
                priority: row.get(12),
                applicant_name: None,
                staff_kind: None,
                staff_name: None,
                staff_reason: None,
                prints_ok: 0,
                prints_failed: 0,
                reprints: 0,
                last_print: None,
                double: other.map(|(label, kiosk)| format!("{label} ({kiosk})")),
                walkin,
            }
        })
        .collect();
    let doubles = client
        .query(
            "SELECT office_date::text, extract(epoch FROM other_at)::float8, other_label,
                    booking_code, applicant_index, other_kiosk, kept_label, kept_kiosk
             FROM doubles
             WHERE office = $1 AND office_date BETWEEN $2::text::date AND $3::text::date
             ORDER BY office_date, other_at",
            &[office, &from, &to],
        )
        .await
        .map_err(hub_error)?;
    for row in &doubles {
        let label: String = row.get(2);
        let (queue, number) = label
            .split_once('-')
            .map(|(q, n)| (q.to_owned(), n.parse().unwrap_or(0)))
            .unwrap_or_default();
        tickets.push(TicketRow {
            office_date: row.get(0),
            issued_at: local(row.get(1)),
            label,
            queue,
            number,
            booking_code: row.get(3),
            applicant_index: i64::from(row.get::<_, i32>(4)),
            group_pos: i64::from(row.get::<_, i32>(4)) + 1,
            group_size: 0,
            kiosk: row.get(5),
            method: "offline".into(),
            service: None,
            express: None,
            slot: None,
            priority: None,
            applicant_name: None,
            staff_kind: None,
            staff_name: None,
            staff_reason: None,
            prints_ok: 0,
            prints_failed: 0,
            reprints: 0,
            last_print: None,
            double: Some(format!(
                "{} ({})",
                row.get::<_, String>(6),
                row.get::<_, String>(7)
            )),
            walkin: false,
        });
    }
    Ok(tickets)
}

/// The period's walk-ins of every kiosk of the office, as the hub counted them.
pub async fn report_walkins(
    client: &Client,
    config: &Config,
    range: ExportRange,
) -> Result<Vec<WalkinRow>> {
    let rows = client
        .query(
            "SELECT w.office_date::text, w.label, w.category, w.service, w.pool, w.quota::int8,
                    w.kiosk, w.by_staff, w.over_quota, w.turned_away, w.freed
             FROM walkins w JOIN checkins c ON c.nonce = w.nonce
             WHERE w.office = $1 AND w.office_date BETWEEN $2::text::date AND $3::text::date
             ORDER BY w.office_date, c.at, c.id",
            &[
                &config.office.id,
                &range.from.to_string(),
                &range.to.to_string(),
            ],
        )
        .await
        .map_err(hub_error)?;
    Ok(rows
        .iter()
        .map(|row| WalkinRow {
            office_date: row.get(0),
            label: row.get(1),
            category: row.get(2),
            service: row.get(3),
            pool: row.get(4),
            quota: row.get(5),
            kiosk: row.get(6),
            by_staff: row.get(7),
            over_quota: row.get(8),
            turned_away: row.get(9),
            frees_place: row.get(10),
        })
        .collect())
}

/// Who served each ticket of the period that a counter called: the last call's counter (after a
/// transfer, the one it was sent on to) and the staff member recorded on that call.
pub async fn served_by(
    client: &Client,
    config: &Config,
    range: ExportRange,
) -> Result<Vec<ServedBy>> {
    let rows = client
        .query(
            "SELECT DISTINCT ON (k.office_date, k.label)
                    k.office_date::text, k.label, k.counter, k.staff
             FROM calls k
             WHERE k.office = $1 AND k.office_date BETWEEN $2::text::date AND $3::text::date
             ORDER BY k.office_date, k.label, k.id DESC",
            &[
                &config.office.id,
                &range.from.to_string(),
                &range.to.to_string(),
            ],
        )
        .await
        .map_err(hub_error)?;
    Ok(rows
        .iter()
        .filter_map(|row| {
            Some(ServedBy {
                office_date: row.get(0),
                label: row.get(1),
                counter: u32::try_from(row.get::<_, i32>(2)).ok()?,
                staff: row.get(3),
            })
        })
        .collect())
}

/// The office's report for a period, from the hub, with the waiting and service times its calls
/// measure. Ratings, staff actions and no-shows stay in each kiosk's own export (the hub holds
/// check-ins and calls only); [`gather_with_ratings`] adds the ratings per counter.
pub async fn gather(
    client: &Client,
    config: &Config,
    range: ExportRange,
    now: &ZonedDateTime,
    full_names: bool,
) -> Result<Report> {
    gather_with_ratings(client, config, range, now, full_names, &[]).await
}

/// [`gather`], with `ratings` (the period's ratings of the kiosk the export runs on: applicants
/// rate at the kiosk that printed their ticket) averaged per counter that served the rated
/// ticket, and per staff member there when `[survey] ratings_per_staff` says so. The ratings'
/// rows themselves stay out of the office's files, as in [`gather`].
pub async fn gather_with_ratings(
    client: &Client,
    config: &Config,
    range: ExportRange,
    now: &ZonedDateTime,
    full_names: bool,
    ratings: &[RatingRow],
) -> Result<Report> {
    let records = super::service_records(client, config, range.from, range.to).await?;
    let served = served_by(client, config, range).await?;
    let office_times = OfficeTimes {
        times: supervisor_times(&records, &config.time_zone()),
        counter_ratings: counter_ratings(
            ratings,
            &served,
            config.survey.set(),
            config.survey.ratings_per_staff,
        ),
        per_staff: config.survey.ratings_per_staff,
    };
    let mut report = Report {
        office_id: config.office.id.clone(),
        office_name: config.office.name.clone(),
        range,
        generated_at: rfc3339(now),
        time_zone: config.office.time_zone.clone(),
        full_names: false,
        question_set: config.survey.set(),
        tickets: report_tickets(client, config, range).await?,
        ratings: Vec::new(),
        staff_actions: Vec::new(),
        walkins: report_walkins(client, config, range).await?,
        no_shows: Vec::new(),
        sync: SyncSnapshot {
            state: "hub",
            outbox: 0,
            rejected: 0,
            last_pull_ok_at: None,
            last_push_ok_at: None,
            last_import_at: None,
            last_error_code: None,
        },
        office_times: Some(office_times),
    };
    // The hub keeps no names; its booking codes are masked like a kiosk's export unless full
    // personal data was asked for (`--full-names`) or configured.
    if full_names || config.privacy.full_names_in_exports {
        report.full_names = true;
    } else {
        report.mask_personal_data();
    }
    Ok(report)
}
