//! Priority walk-ins, end to end: the quota state the welcome screen's button shows, a walk-in
//! ticket at the kiosk (category and service, no personal data), one issued by staff (over the
//! quota only with a reason), and staff turning a walk-in away at the counter. One function per
//! shell command, each a few lines there; the rules are `crate::walkin_quota`'s, the counting
//! the store's (standalone) or the hub's (one pool for the office).
//!
//! Like a scan, a new ticket is committed before anything prints, and comes back as a
//! [`PendingPrint`] for `kiosk::print_pending` when `ctx.printing` is [`Printing::Later`].

use jiff::ZonedDateTime;
use serde::Serialize;

use crate::config::Config;
use crate::error::{Error, Result, StaffRefusal};
use crate::hub::{PoolFigures, WalkinAnswer, WalkinClaim};
use crate::kiosk::{print_pending, record_prints, Printing, ScanContext};
use crate::model::{rfc3339, Language, Priority, Service};
use crate::scan_result::PendingPrint;
use crate::staff_mode::{audit, required_reason, Session};
use crate::store::{
    IssuedTicket, NewWalkin, Numbering, PrintOutcome, Store, StoreAccess, WalkinByStaff,
    WalkinTicket, WALKIN_REFERENCE_PREFIX,
};
use crate::texts::{verdict_messages, BothLanguages, Messages};
use crate::ticket::TicketView;
use crate::walkin_quota::{
    decide, offline_remaining, remaining, state, Pool, QuotaSource, WalkinDecision, WalkinRefusal,
};

pub use crate::walkin_quota::{WalkinChoice, WalkinState};

/// What a walk-in's result screen (or the staff screen) shows: issued, with its ticket, or
/// refused with a stable code. Serialised flat: `{code, admits, category, service, message,
/// tickets, printing, prints, over_quota, may_override, state, staff_message}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WalkinResult {
    /// `ok`, or `walkin_not_offered`, `walkin_quota_full`, `walkin_offline_limit`.
    pub code: &'static str,
    /// A ticket was issued: the screen shows the number, not a refusal.
    pub admits: bool,
    pub category: Priority,
    pub service: Service,
    /// `verdict.<code>.title` and `.next` in both languages.
    pub message: Messages,
    /// The new ticket (one: one person per ticket); empty when refused.
    pub tickets: Vec<TicketView>,
    /// The ticket waits for `print_pending`: the screen says "printing".
    pub printing: bool,
    /// The print's outcome once printed ([`Printing::Now`]).
    pub prints: Vec<PrintOutcome>,
    /// Issued by staff past a full quota, with a reason.
    pub over_quota: bool,
    /// Staff only: the quota is full and staff may issue it anyway with a reason.
    pub may_override: bool,
    /// The quota after this walk-in: the button's next figures.
    pub state: WalkinState,
    /// Staff only: what the officer reads (the number and the print, or the refusal).
    pub staff_message: Option<BothLanguages>,
}

/// A walk-in committed something only when it issued a ticket.
impl crate::disk_space::Committed for (WalkinResult, Vec<PendingPrint>) {
    fn committed(&self) -> bool {
        self.0.admits
    }
}

/// A walk-in staff turned away at the counter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TurnedAway {
    pub walkin: WalkinTicket,
    /// It had been turned away before; nothing changed now.
    pub already: bool,
    /// Its place went back to today's quota (`walkin.turn_away_frees_place`).
    pub frees_place: bool,
    pub state: WalkinState,
    pub staff_message: BothLanguages,
}

/// The walk-in button's figures now: what is left of today's quota per category and service.
/// In hub mode the hub counts for every kiosk (and keeps this kiosk's places for a split, if it
/// had none today); without an answer within `hub.timeout_ms`, what this kiosk may still issue
/// offline.
pub async fn quota_state(ctx: &ScanContext<'_, impl StoreAccess>) -> Result<WalkinState> {
    let ScanContext {
        store: access,
        hub,
        now,
        config,
        ..
    } = *ctx;
    if !config.walkin.enabled {
        return access.with_store(|store| local_state(store, now, config));
    }
    match hub {
        // Hub mode without the link (the CLI): only what this kiosk may issue offline.
        None if config.hub_url.is_some() => {
            access.with_store(|store| offline_state(store, now, config))
        }
        None => access.with_store(|store| local_state(store, now, config)),
        Some(link) => match crate::hub::walkin_pools(link, now, config).await {
            Ok(figures) => {
                access.with_store(|store| keep_held(store, &figures, now))?;
                Ok(hub_state(&figures, now, config))
            }
            Err(error) => {
                log::debug!("walk-in quota from this kiosk's kept places: {error}");
                access.with_store(|store| offline_state(store, now, config))
            }
        },
    }
}

/// A walk-in at the kiosk: the applicant chose a category and a service (nothing else is
/// asked). Issued in the priority lane when a place is left, else refused with the quota's code.
pub async fn issue_at_kiosk(
    choice: WalkinChoice,
    ctx: &ScanContext<'_, impl StoreAccess>,
) -> Result<(WalkinResult, Vec<PendingPrint>)> {
    let (result, pending) = issue(choice, None, ctx).await?;
    log::info!(
        "walk-in {}/{} at the kiosk -> {}",
        choice.category.as_str(),
        choice.service.as_str(),
        result.code
    );
    Ok(finish_printing(result, pending, ctx))
}

/// A walk-in issued by staff for the person in front of them (the same categories and
/// services). With `override_reason` (3 characters or more) a full quota is exceeded; without,
/// a full quota is refused with `may_override`. Audited either way; printed as `ctx.printing`
/// says (the desk: [`Printing::Now`]), in the office's language.
pub async fn issue_by_staff(
    session: &Session,
    choice: WalkinChoice,
    override_reason: Option<&str>,
    ctx: &ScanContext<'_, impl StoreAccess>,
) -> Result<(WalkinResult, Vec<PendingPrint>)> {
    let reason = override_reason.map(required_reason).transpose()?;
    let staff = Staff {
        session,
        reason: reason.as_deref(),
    };
    let office = ScanContext {
        language: ctx.config.kiosk.language,
        ..*ctx
    };
    let (mut result, pending) = issue(choice, Some(staff), &office).await?;
    let target = match result.tickets.first() {
        Some(ticket) => ticket.label.clone(),
        None => format!("{}/{}", choice.category.as_str(), choice.service.as_str()),
    };
    let (action, audit_reason) = match (result.admits, result.over_quota) {
        (true, true) => ("walkin_override", reason.as_deref()),
        (true, false) => ("walkin", None),
        (false, _) => ("walkin_refused", Some(result.code)),
    };
    let at = rfc3339(ctx.now);
    // The walk-in is committed: a failing audit write must not hide it (nor drop its print).
    let audited = ctx.store.with_store(|store| {
        audit(
            store,
            &at,
            Some(session.staff_id),
            action,
            Some(&target),
            audit_reason,
        )
    });
    if let Err(error) = audited {
        log::error!("staff walk-in recorded but not audited: {error}");
    }
    result.may_override = result.code == WalkinRefusal::WalkinQuotaFull.code()
        || result.code == WalkinRefusal::WalkinOfflineLimit.code();
    let (mut result, pending) = finish_printing(result, pending, &office);
    result.staff_message = Some(staff_words(&result));
    Ok((result, pending))
}

/// Staff turn a walk-in away at the counter (wrong category), naming its ticket as typed
/// (`p14`, `P-014`) or scanned (its id), with a reason (audited). Its place goes back to
/// today's quota only when `walkin.turn_away_frees_place` says so; in hub mode the hub learns
/// of it at once when it answers, else with the next replay.
pub async fn turn_away(
    session: &Session,
    ticket: &str,
    reason: &str,
    ctx: &ScanContext<'_, impl StoreAccess>,
) -> Result<TurnedAway> {
    let reason = required_reason(reason)?;
    let ScanContext {
        store: access,
        hub,
        now,
        config,
        ..
    } = *ctx;
    let typed = crate::queue::typed_label(ticket).unwrap_or_else(|| ticket.trim().to_owned());
    let frees_place = config.walkin.turn_away_frees_place;
    let at = rfc3339(now);
    let (walkin, already) = access.with_store(|store| {
        let found = store
            .find_walkin(now.date(), &typed)?
            .ok_or_else(|| StaffRefusal::WalkinUnknown(ticket.trim().to_owned()))?;
        match store.turn_away_walkin(
            &found.ticket_id,
            session.staff_id,
            frees_place,
            hub.is_some(),
            &at,
        )? {
            Some(turned) => {
                audit(
                    store,
                    &at,
                    Some(session.staff_id),
                    "walkin_turn_away",
                    Some(&turned.label),
                    Some(&reason),
                )?;
                Ok::<_, Error>((turned, false))
            }
            None => Ok((found, true)),
        }
    })?;
    if let Some(link) = hub {
        if !already && link.state().online {
            // Tell the hub now (bounded), so the freed place shows at every kiosk; the
            // background replay tries again if this does not get through.
            if let Err(error) =
                crate::hub::replay_pending(access, link, now.timestamp(), config).await
            {
                log::info!("walk-in turned away; the hub learns of it on the next replay: {error}");
            }
        }
    }
    let state = quota_state(ctx).await?;
    let staff_message = turned_away_words(&walkin, already);
    Ok(TurnedAway {
        frees_place: walkin.frees_place,
        walkin,
        already,
        state,
        staff_message,
    })
}

/// Today's walk-ins at this kiosk, in issue order: the staff screen's list to turn one away.
pub fn walkins_today(store: &Store, now: &ZonedDateTime) -> Result<Vec<WalkinTicket>> {
    store.walkins_on(now.date())
}

/// Staff issuing a walk-in, and their reason to exceed the quota.
#[derive(Clone, Copy)]
struct Staff<'a> {
    session: &'a Session,
    reason: Option<&'a str>,
}

/// Decides, numbers and records one walk-in (no printing yet).
async fn issue(
    choice: WalkinChoice,
    staff: Option<Staff<'_>>,
    ctx: &ScanContext<'_, impl StoreAccess>,
) -> Result<(WalkinResult, Vec<PendingPrint>)> {
    let ScanContext {
        store: access,
        hub,
        language,
        now,
        config,
        ..
    } = *ctx;
    let walkin = &config.walkin;
    let staff_override = staff.is_some_and(|s| s.reason.is_some());
    let pool = Pool::of(walkin, choice);
    let nonce = uuid::Uuid::new_v4().to_string();
    let reference = format!(
        "{WALKIN_REFERENCE_PREFIX}{}",
        uuid::Uuid::new_v4().simple().to_string()[..12].to_uppercase()
    );
    let new = |numbering: Numbering, over_quota: bool| NewWalkin {
        choice,
        pool: pool.key(),
        quota: pool.quota(walkin),
        queue: &config.queues.priority,
        office_date: now.date(),
        at: rfc3339(now),
        kiosk: &config.kiosk.id,
        by_staff: staff.map(|s| WalkinByStaff {
            staff_id: s.session.staff_id,
            reason: s.reason.unwrap_or(""),
        }),
        over_quota,
        numbering,
        nonce: nonce.clone(),
        reference: reference.clone(),
    };
    let not_offered = !walkin.offers(choice.category, choice.service);
    let (decision, ticket, state) = match hub {
        Some(link) if !not_offered => {
            let claim = WalkinClaim {
                choice,
                nonce: &nonce,
                reference: &reference,
                queue: &config.queues.priority,
                by_staff: staff.is_some(),
                staff_override,
            };
            match crate::hub::claim_walkin(link, &claim, now, config).await {
                Ok(WalkinAnswer::Issued {
                    number,
                    over_quota,
                    pools,
                }) => {
                    let ticket = access.with_store(|store| {
                        keep_held(store, &pools, now)?;
                        store.record_walkin(&new(Numbering::Given(vec![number]), over_quota))
                    })?;
                    let state = hub_state(&pools, now, config);
                    (WalkinDecision::Issue { over_quota }, Some(ticket), state)
                }
                Ok(WalkinAnswer::Refused { decision, pools }) => {
                    access.with_store(|store| keep_held(store, &pools, now))?;
                    (decision, None, hub_state(&pools, now, config))
                }
                Err(error) => {
                    log::info!(
                        "walk-in not numbered by the hub ({error}); from this kiosk's kept places"
                    );
                    access.with_store(|store| {
                        issue_offline(store, choice, staff_override, &new, now, config)
                    })?
                }
            }
        }
        // Hub mode without the link (the CLI): as while the hub is unreachable.
        None if config.hub_url.is_some() => access
            .with_store(|store| issue_offline(store, choice, staff_override, &new, now, config))?,
        _ => access.with_store(|store| {
            let counted = store.walkins_counted(now.date())?;
            let left = remaining(pool.quota(walkin), pool.used(&counted));
            let decision = decide(walkin, choice, left, QuotaSource::Kiosk, staff_override);
            let ticket = match decision {
                WalkinDecision::Issue { over_quota } => {
                    Some(store.record_walkin(&new(Numbering::Local, over_quota))?)
                }
                WalkinDecision::Refuse(_) => None,
            };
            // With the hub linked (a choice not offered) the office's figures come below.
            let state = local_state(store, now, config)?;
            Ok::<_, Error>((decision, ticket, state))
        })?,
    };
    // Refused as not offered while the hub is linked: the button's figures are the office's
    // (or this kiosk's kept places when the hub does not answer), as `quota_state` gives them,
    // never this kiosk's own count.
    let state = if hub.is_some() && not_offered {
        quota_state(ctx).await?
    } else {
        state
    };
    Ok(result_of(
        choice, decision, ticket, state, language, now, config,
    ))
}

/// Hub mode, no answer from the hub: decided from the places the hub keeps for this kiosk,
/// numbered from its offline block and queued for replay.
fn issue_offline<'n>(
    store: &mut Store,
    choice: WalkinChoice,
    staff_override: bool,
    new: &impl Fn(Numbering, bool) -> NewWalkin<'n>,
    now: &ZonedDateTime,
    config: &Config,
) -> Result<(WalkinDecision, Option<IssuedTicket>, WalkinState)> {
    let pool = Pool::of(&config.walkin, choice);
    let issued = store.walkins_offline_from_holds(now.date())?;
    let left = offline_remaining(
        store.walkin_held(now.date(), &pool.key())?,
        pool.used(&issued),
    );
    let decision = decide(
        &config.walkin,
        choice,
        left,
        QuotaSource::Offline,
        staff_override,
    );
    let ticket = match decision {
        WalkinDecision::Issue { over_quota } => {
            let block = Numbering::Block {
                start: i64::from(config.hub.offline_block_start),
                size: i64::from(config.hub.offline_block_size),
            };
            Some(store.record_walkin(&new(block, over_quota))?)
        }
        WalkinDecision::Refuse(_) => None,
    };
    Ok((decision, ticket, offline_state(store, now, config)?))
}

/// The result screen's view of a decided walk-in, and its ticket to print.
fn result_of(
    choice: WalkinChoice,
    decision: WalkinDecision,
    ticket: Option<IssuedTicket>,
    state: WalkinState,
    language: Language,
    now: &ZonedDateTime,
    config: &Config,
) -> (WalkinResult, Vec<PendingPrint>) {
    let (code, over_quota) = match decision {
        WalkinDecision::Issue { over_quota } => ("ok", over_quota),
        WalkinDecision::Refuse(refusal) => (refusal.code(), false),
    };
    let views: Vec<TicketView> = ticket
        .iter()
        .map(|t| TicketView::for_walkin(t, choice.service, now, language, config))
        .collect();
    let pending: Vec<PendingPrint> = views
        .iter()
        .zip(&ticket)
        .map(|(view, t)| PendingPrint {
            ticket: view.clone(),
            office_date: t.office_date.clone(),
        })
        .collect();
    let result = WalkinResult {
        code,
        admits: !views.is_empty(),
        category: choice.category,
        service: choice.service,
        message: verdict_messages(code, &choice),
        printing: !pending.is_empty(),
        tickets: views,
        prints: Vec::new(),
        over_quota,
        may_override: false,
        state,
        staff_message: None,
    };
    (result, pending)
}

/// [`Printing::Now`]: the ticket printed and its outcome recorded before returning (an outcome
/// that cannot be written leaves it on the reprint list, as a crash would).
fn finish_printing(
    mut result: WalkinResult,
    pending: Vec<PendingPrint>,
    ctx: &ScanContext<'_, impl StoreAccess>,
) -> (WalkinResult, Vec<PendingPrint>) {
    if ctx.printing == Printing::Later || pending.is_empty() {
        return (result, pending);
    }
    result.prints = print_pending(&pending, ctx.config);
    let recorded = ctx
        .store
        .with_store(|store| record_prints(store, &pending, &result.prints, ctx.now));
    if let Err(error) = recorded {
        log::error!("print outcome not recorded, the ticket stays on the reprint list: {error}");
    }
    result.printing = false;
    (result, Vec::new())
}

/// Standalone: each pool's quota less the walk-ins counted in it today.
fn local_state(store: &Store, now: &ZonedDateTime, config: &Config) -> Result<WalkinState> {
    let counted = store.walkins_counted(now.date())?;
    Ok(state(
        &config.walkin,
        &now.date().to_string(),
        QuotaSource::Kiosk,
        |pool| remaining(pool.quota(&config.walkin), pool.used(&counted)),
    ))
}

/// Hub mode, hub unreachable: the places the hub keeps for this kiosk, less those it used.
fn offline_state(store: &Store, now: &ZonedDateTime, config: &Config) -> Result<WalkinState> {
    let issued = store.walkins_offline_from_holds(now.date())?;
    let mut held = Vec::new();
    for pool in crate::walkin_quota::pools(&config.walkin) {
        held.push((pool, store.walkin_held(now.date(), &pool.key())?));
    }
    Ok(state(
        &config.walkin,
        &now.date().to_string(),
        QuotaSource::Offline,
        |pool| {
            let kept = held.iter().find(|(p, _)| p == pool).map_or(0, |(_, h)| *h);
            offline_remaining(kept, pool.used(&issued))
        },
    ))
}

/// Hub mode: what the hub said is left for this kiosk.
fn hub_state(figures: &PoolFigures, now: &ZonedDateTime, config: &Config) -> WalkinState {
    state(
        &config.walkin,
        &now.date().to_string(),
        QuotaSource::Hub,
        |pool| {
            figures
                .iter()
                .find(|(p, _)| p == pool)
                .map_or(0, |(_, f)| f.remaining())
        },
    )
}

/// Keeps the hub's word on this kiosk's kept places: what it may issue if the hub goes away.
fn keep_held(store: &mut Store, figures: &PoolFigures, now: &ZonedDateTime) -> Result<()> {
    let held: Vec<(String, u32)> = figures
        .iter()
        .map(|(pool, f)| (pool.key(), f.held_self))
        .collect();
    store.set_walkin_held(now.date(), &held)
}

/// What the officer reads of a walk-in result, in both languages.
fn staff_words(result: &WalkinResult) -> BothLanguages {
    let label = result
        .tickets
        .first()
        .map(|t| t.label.clone())
        .unwrap_or_default();
    let print_failed = result
        .prints
        .iter()
        .any(|print| matches!(print, PrintOutcome::Failed { .. }));
    let in_language = |lang: Language| {
        let key = match (result.admits, result.over_quota) {
            (true, false) => "staff.walkin.done".to_owned(),
            (true, true) => "staff.walkin.done_over_quota".to_owned(),
            (false, _) => format!("staff.verdict.{}", result.code),
        };
        let print_key = if print_failed {
            "staff.print.failed"
        } else {
            "staff.print.done"
        };
        let print = if result.admits {
            crate::texts::text(lang, print_key, &serde_json::json!({}))
        } else {
            String::new()
        };
        crate::texts::text(
            lang,
            &key,
            &serde_json::json!({ "label": label, "print": print }),
        )
    };
    BothLanguages {
        id: in_language(Language::Id),
        en: in_language(Language::En),
    }
}

fn turned_away_words(walkin: &WalkinTicket, already: bool) -> BothLanguages {
    let key = match (already, walkin.frees_place) {
        (true, _) => "staff.walkin.already_turned_away",
        (false, true) => "staff.walkin.turned_away_freed",
        (false, false) => "staff.walkin.turned_away_kept",
    };
    crate::texts::both(key, &serde_json::json!({ "label": walkin.label }))
}

#[cfg(test)]
mod tests;
