//! Priority walk-ins at the hub: the office's quota is one set of pools in PostgreSQL, shared by
//! every kiosk. Each claim locks the day's row (`walkin_days`), counts the pools from the
//! `walkins` rows, takes this kiosk's kept places if it has none yet, and either refuses or
//! numbers the walk-in, all in one transaction: concurrent kiosks asking for the last places get
//! exactly the quota. The rules (which place, how many to keep) are `crate::walkin_quota`'s.

use std::collections::BTreeMap;
use std::time::Duration;

use jiff::civil::Date;
use jiff::ZonedDateTime;
use tokio_postgres::{Client, Transaction};

use super::claim::{label, next_number};
use super::schema::hub_error;
use super::HubLink;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::{rfc3339, Priority, Service};
use crate::store::{PendingRelease, PendingWalkin};
use crate::walkin_quota::{
    decide, pools, HubPlace, HubPool, Pool, QuotaSource, WalkinChoice, WalkinDecision,
};

/// Every pool of the config with its figures at the hub, for this kiosk.
pub type PoolFigures = Vec<(Pool, HubPool)>;

/// One walk-in as a kiosk asks the hub for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkinClaim<'a> {
    pub choice: WalkinChoice,
    /// The check-in's nonce (the same in the kiosk's store) and the walk-in's reference.
    pub nonce: &'a str,
    pub reference: &'a str,
    pub queue: &'a str,
    pub by_staff: bool,
    /// Staff exceed a full pool with a reason.
    pub staff_override: bool,
}

/// What the hub answered a walk-in claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WalkinAnswer {
    Issued {
        number: i64,
        over_quota: bool,
        pools: PoolFigures,
    },
    /// No place for this kiosk (or not offered): nothing was recorded.
    Refused {
        decision: WalkinDecision,
        pools: PoolFigures,
    },
}

/// Runs `$work` (an expression using the connection `$client`) on the hub within
/// `hub.timeout_ms` (not at all when the hub is known down), noting the outcome in the link
/// state staff see, as a scan's claim does.
macro_rules! within_budget {
    ($link:expr, $now:expr, $config:expr, |$client:ident| $work:expr) => {{
        let (link, now, config): (&HubLink, &ZonedDateTime, &Config) = ($link, $now, $config);
        if link.known_down(now.timestamp(), config) {
            Err(Error::Hub("known down; retrying in the background".into()))
        } else {
            let budget = Duration::from_millis(config.hub.timeout_ms);
            let attempt = tokio::time::timeout(budget, async {
                let mut guard = link.connected(budget).await?;
                let $client = guard
                    .as_mut()
                    .ok_or_else(|| Error::Hub("no connection".into()))?;
                let answer = $work.await;
                if answer.is_err() {
                    *guard = None;
                }
                answer
            })
            .await;
            link.settle(attempt, budget, now.timestamp(), config)
        }
    }};
}

/// The pools' figures for this kiosk, its kept places taken if it had none today (hub mode's
/// quota state), within `hub.timeout_ms` like a scan.
pub async fn walkin_pools(
    link: &HubLink,
    now: &ZonedDateTime,
    config: &Config,
) -> Result<PoolFigures> {
    within_budget!(link, now, config, |client| async {
        let tx = client.transaction().await.map_err(hub_error)?;
        let figures = lock_and_count(&tx, now.date(), config).await?;
        tx.commit().await.map_err(hub_error)?;
        Ok(figures)
    })
}

/// Asks the hub for one walk-in: refused, or numbered and recorded with the pool counted, in
/// one transaction, within `hub.timeout_ms`.
pub async fn claim_walkin(
    link: &HubLink,
    claim: &WalkinClaim<'_>,
    now: &ZonedDateTime,
    config: &Config,
) -> Result<WalkinAnswer> {
    within_budget!(link, now, config, |client| async {
        let tx = client.transaction().await.map_err(hub_error)?;
        let answer = claim_in(&tx, claim, now, config).await?;
        tx.commit().await.map_err(hub_error)?;
        Ok(answer)
    })
}

async fn claim_in(
    tx: &Transaction<'_>,
    claim: &WalkinClaim<'_>,
    now: &ZonedDateTime,
    config: &Config,
) -> Result<WalkinAnswer> {
    let walkin = &config.walkin;
    let mut figures = lock_and_count(tx, now.date(), config).await?;
    let pool = Pool::of(walkin, claim.choice);
    let Some(at_hub) = figures.iter().find(|(p, _)| *p == pool).map(|(_, f)| *f) else {
        return Ok(WalkinAnswer::Refused {
            decision: decide(walkin, claim.choice, 0, QuotaSource::Hub, false),
            pools: figures,
        });
    };
    let decision = decide(
        walkin,
        claim.choice,
        at_hub.remaining(),
        QuotaSource::Hub,
        claim.staff_override,
    );
    let WalkinDecision::Issue { over_quota } = decision else {
        return Ok(WalkinAnswer::Refused {
            decision,
            pools: figures,
        });
    };
    let date = now.date().to_string();
    let office = config.office.id.as_str();
    let kiosk = config.kiosk.id.as_str();
    let reserved = (
        config.hub.reserved_from as i32,
        config.hub.reserved_to as i32,
    );
    let number = next_number(tx, office, &date, claim.queue, reserved).await?;
    let label = label(claim.queue, i64::from(number));
    let at = rfc3339(now);
    tx.execute(
        "INSERT INTO checkins (office, office_date, booking_code, applicant_index, queue, number,
                               label, kiosk, at, nonce, service, priority)
         VALUES ($1, $2::text::date, $3, 0, $4, $5, $6, $7, $8::text::timestamptz, $9, $10, $11)",
        &[
            &office,
            &date,
            &claim.reference,
            &claim.queue,
            &number,
            &label,
            &kiosk,
            &at,
            &claim.nonce,
            &claim.choice.service.as_str(),
            &claim.choice.category.as_str(),
        ],
    )
    .await
    .map_err(hub_error)?;
    insert_walkin(
        tx,
        office,
        &date,
        kiosk,
        claim.nonce,
        &label,
        &PendingWalkin {
            category: claim.choice.category.as_str().to_owned(),
            service: claim.choice.service.as_str().to_owned(),
            pool: pool.key(),
            quota: pool.quota(walkin),
            by_staff: claim.by_staff,
            over_quota,
        },
        false,
    )
    .await?;
    // Free places first; the kiosk's kept ones only when no other is left.
    let took_kept = !over_quota && at_hub.next_place() == HubPlace::Held;
    if took_kept {
        tx.execute(
            "UPDATE walkin_holds SET held = held - 1
             WHERE office = $1 AND office_date = $2::text::date AND pool = $3 AND kiosk = $4",
            &[&office, &date, &pool.key(), &kiosk],
        )
        .await
        .map_err(hub_error)?;
    }
    for (p, f) in &mut figures {
        if *p == pool {
            f.used += 1;
            if took_kept {
                f.held_self -= 1;
                f.held_all -= 1;
            }
        }
    }
    Ok(WalkinAnswer::Issued {
        number: i64::from(number),
        over_quota,
        pools: figures,
    })
}

/// Locks the day's row, counts every pool and takes this kiosk's kept places where it has none
/// yet, inside the caller's transaction.
async fn lock_and_count(
    tx: &Transaction<'_>,
    office_date: Date,
    config: &Config,
) -> Result<PoolFigures> {
    let office = config.office.id.as_str();
    let kiosk = config.kiosk.id.as_str();
    let date = office_date.to_string();
    tx.execute(
        "INSERT INTO walkin_days (office, office_date) VALUES ($1, $2::text::date)
         ON CONFLICT DO NOTHING",
        &[&office, &date],
    )
    .await
    .map_err(hub_error)?;
    tx.execute(
        "SELECT 1 FROM walkin_days WHERE office = $1 AND office_date = $2::text::date FOR UPDATE",
        &[&office, &date],
    )
    .await
    .map_err(hub_error)?;
    let counted: Vec<(Priority, Service, u32)> = tx
        .query(
            "SELECT category, service, count(*)::int4 FROM walkins
             WHERE office = $1 AND office_date = $2::text::date AND NOT freed
             GROUP BY category, service",
            &[&office, &date],
        )
        .await
        .map_err(hub_error)?
        .iter()
        .filter_map(|row| {
            let count: i32 = row.get(2);
            Some((
                Priority::parse(row.get::<_, &str>(0))?,
                Service::parse(row.get::<_, &str>(1))?,
                u32::try_from(count).ok()?,
            ))
        })
        .collect();
    // pool -> (every kiosk's kept places, this kiosk's; None: it keeps none there yet)
    let mut held: BTreeMap<String, (u32, Option<u32>)> = BTreeMap::new();
    for row in tx
        .query(
            "SELECT pool, kiosk, held FROM walkin_holds
             WHERE office = $1 AND office_date = $2::text::date",
            &[&office, &date],
        )
        .await
        .map_err(hub_error)?
    {
        let (pool, holder, places): (String, String, i32) = (row.get(0), row.get(1), row.get(2));
        let places = u32::try_from(places).unwrap_or(0);
        let entry = held.entry(pool).or_default();
        entry.0 += places;
        if holder == kiosk {
            entry.1 = Some(places);
        }
    }
    let mut figures = PoolFigures::new();
    for pool in pools(&config.walkin) {
        let (held_all, held_self) = held.get(&pool.key()).copied().unwrap_or_default();
        let mut figure = HubPool {
            quota: pool.quota(&config.walkin),
            used: pool.used(&counted),
            held_all,
            held_self: held_self.unwrap_or(0),
        };
        if held_self.is_none() {
            // This kiosk's first word with the hub about this pool today: keep its share.
            let take = figure.hold_to_take(config.walkin.offline_share);
            tx.execute(
                "INSERT INTO walkin_holds (office, office_date, pool, kiosk, held)
                 VALUES ($1, $2::text::date, $3, $4, $5) ON CONFLICT DO NOTHING",
                &[&office, &date, &pool.key(), &kiosk, &(take as i32)],
            )
            .await
            .map_err(hub_error)?;
            figure.held_all += take;
            figure.held_self = take;
        }
        figures.push((pool, figure));
    }
    Ok(figures)
}

#[allow(clippy::too_many_arguments)]
async fn insert_walkin(
    tx: &Transaction<'_>,
    office: &str,
    date: &str,
    kiosk: &str,
    nonce: &str,
    label: &str,
    walkin: &PendingWalkin,
    offline: bool,
) -> Result<bool> {
    let inserted = tx
        .execute(
            "INSERT INTO walkins (nonce, office, office_date, category, service, pool, quota, kiosk,
                                  label, by_staff, over_quota, offline)
             VALUES ($1, $2, $3::text::date, $4, $5, $6, $7, $8, $9, $10, $11, $12)
             ON CONFLICT (nonce) DO NOTHING",
            &[
                &nonce,
                &office,
                &date,
                &walkin.category,
                &walkin.service,
                &walkin.pool,
                &(walkin.quota as i32),
                &kiosk,
                &label,
                &walkin.by_staff,
                &walkin.over_quota,
                &offline,
            ],
        )
        .await
        .map_err(hub_error)?;
    Ok(inserted == 1)
}

/// Replay: a walk-in this kiosk numbered offline reaches the hub (its check-in already there).
/// The hub counts it in its pool (even past the quota: the ticket is in the person's hand) and,
/// when it came from the places kept for this kiosk, keeps one fewer. Idempotent by nonce.
#[allow(clippy::too_many_arguments)]
pub(super) async fn replay_walkin(
    client: &mut Client,
    office: &str,
    kiosk: &str,
    office_date: &str,
    nonce: &str,
    label: &str,
    walkin: &PendingWalkin,
) -> Result<()> {
    let tx = client.transaction().await.map_err(hub_error)?;
    let inserted =
        insert_walkin(&tx, office, office_date, kiosk, nonce, label, walkin, true).await?;
    if inserted && !walkin.over_quota {
        // Counted first, kept place given up second, in one transaction: no claim in between
        // ever sees a free place that is not.
        tx.execute(
            "UPDATE walkin_holds SET held = GREATEST(held - 1, 0)
             WHERE office = $1 AND office_date = $2::text::date AND pool = $3 AND kiosk = $4",
            &[&office, &office_date, &walkin.pool, &kiosk],
        )
        .await
        .map_err(hub_error)?;
    }
    tx.commit().await.map_err(hub_error)?;
    Ok(())
}

/// Replay: walk-ins staff turned away here; those whose place was freed count free again.
pub(super) async fn replay_releases(
    client: &Client,
    releases: &[PendingRelease],
) -> Result<Vec<i64>> {
    let mut done = Vec::with_capacity(releases.len());
    for release in releases {
        client
            .execute(
                "UPDATE walkins SET turned_away = true, freed = freed OR $2 WHERE nonce = $1",
                &[&release.nonce, &release.frees_place],
            )
            .await
            .map_err(hub_error)?;
        done.push(release.checkin_id);
    }
    Ok(done)
}
