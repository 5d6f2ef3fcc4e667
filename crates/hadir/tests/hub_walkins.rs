//! Priority walk-ins in hub mode, against a real PostgreSQL server (`temp-postgres`): the
//! office's quota is one pool at the hub. Four kiosks racing for the last places issue exactly
//! the quota; each kiosk keeps a small share for a split (`walkin.offline_share`), issues only
//! that while the hub is down, and the replay hands those to the hub, which counts them.

use std::sync::Arc;

use hadir::kiosk::{Printing, ScanContext};
use hadir::model::{Priority, Service, StaffRole};
use hadir::walkin::{self, WalkinChoice, WalkinResult, WalkinState};

mod common;

use common::hub::{feed, hub_config, HubKiosk};
use common::{at, pg_client, postgres};

/// Kiosk `k` in hub mode at `url` with a walk-in quota of `quota` a day and `share` places kept
/// for a split; a generous budget: these tests are about the hub's rules, not its speed.
fn kiosk(k: usize, url: &str, quota: u32, share: u32) -> HubKiosk {
    let mut config = hub_config(k, Some(url), 5_000);
    config.hub.retry_seconds = 1;
    config.walkin.daily_quota = quota;
    config.walkin.offline_share = share;
    HubKiosk::open(config, &feed(0..1), true)
}

fn ctx<'a>(
    kiosk: &'a HubKiosk,
    now: &'a jiff::ZonedDateTime,
) -> ScanContext<'a, std::sync::Mutex<hadir::Store>> {
    ScanContext {
        store: kiosk.store.as_ref(),
        hub: Some(kiosk.link.as_ref()),
        printing: Printing::Later,
        language: kiosk.config.kiosk.language,
        now,
        config: &kiosk.config,
    }
}

async fn walkin_at(
    kiosk: &HubKiosk,
    category: Priority,
    now: &jiff::ZonedDateTime,
) -> WalkinResult {
    let choice = WalkinChoice {
        category,
        service: Service::Baru,
    };
    walkin::issue_at_kiosk(choice, &ctx(kiosk, now))
        .await
        .expect("a walk-in answers")
        .0
}

async fn state_at(kiosk: &HubKiosk, now: &jiff::ZonedDateTime) -> WalkinState {
    walkin::quota_state(&ctx(kiosk, now))
        .await
        .expect("answers")
}

async fn hub_count(url: &str, sql: &str) -> i64 {
    pg_client(url)
        .await
        .query_one(sql, &[])
        .await
        .expect("reads")
        .get(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn four_kiosks_racing_for_the_last_places_issue_exactly_the_quota() {
    let Some(pg) = postgres() else { return };
    let quota = 10;
    let kiosks: Vec<Arc<HubKiosk>> = (0..4)
        .map(|k| Arc::new(kiosk(k, &pg.url(), quota, 2)))
        .collect();
    let now = at(9, 30);
    let mut tasks = Vec::new();
    for round in 0..6 {
        for kiosk in &kiosks {
            let (kiosk, now) = (Arc::clone(kiosk), now.clone());
            let category = [Priority::Lansia, Priority::Anak, Priority::IbuHamil][round % 3];
            tasks.push(tokio::spawn(async move {
                let result = walkin_at(&kiosk, category, &now).await;
                (kiosk.config.kiosk.id.clone(), result)
            }));
        }
    }
    let mut issued = Vec::new();
    let mut refused = 0;
    for task in tasks {
        let (kiosk, result) = task.await.expect("task ends");
        match result.code {
            "ok" => issued.push((kiosk, result.tickets[0].label.clone())),
            "walkin_quota_full" => refused += 1,
            other => panic!("{kiosk}: {other}"),
        }
    }
    assert_eq!(
        issued.len(),
        quota as usize,
        "exactly the quota: {issued:?}"
    );
    assert_eq!(refused, 24 - quota as usize);
    let mut labels: Vec<&str> = issued.iter().map(|(_, label)| label.as_str()).collect();
    labels.sort_unstable();
    labels.dedup();
    assert_eq!(labels.len(), quota as usize, "no number twice");
    assert_eq!(
        hub_count(&pg.url(), "SELECT count(*) FROM walkins").await,
        i64::from(quota),
        "the hub holds what was issued"
    );
    assert_eq!(
        hub_count(
            &pg.url(),
            "SELECT count(*) FROM checkins WHERE booking_code LIKE 'WALKIN-%'"
        )
        .await,
        i64::from(quota)
    );
    for kiosk in &kiosks {
        let local = kiosk
            .store
            .lock()
            .expect("store")
            .walkins_on(jiff::civil::date(2026, 11, 29))
            .expect("lists")
            .len();
        let said = issued
            .iter()
            .filter(|(id, _)| *id == kiosk.config.kiosk.id)
            .count();
        assert_eq!(
            local, said,
            "{}: every ticket it printed is in its store",
            kiosk.config.kiosk.id
        );
        let state = state_at(kiosk, &now).await;
        assert!(state.full && state.remaining == 0, "{state:?}");
        assert_eq!(state.source, hadir::walkin_quota::QuotaSource::Hub);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kiosk_cut_off_from_the_hub_issues_only_its_kept_share_and_the_replay_counts_it() {
    let Some(mut pg) = postgres() else { return };
    let (a, b) = (kiosk(0, &pg.url(), 6, 2), kiosk(1, &pg.url(), 6, 2));
    let now = at(10, 0);
    // Each kiosk's first word with the hub today keeps 2 places for it: b first (4 free and
    // its own 2), then a (2 free and its own 2).
    assert_eq!(state_at(&b, &now).await.remaining, 4 + 2);
    assert_eq!(state_at(&a, &now).await.remaining, 2 + 2);
    assert_eq!(state_at(&b, &now).await.remaining, 2 + 2);
    for _ in 0..2 {
        assert_eq!(walkin_at(&a, Priority::Lansia, &now).await.code, "ok");
    }
    let a_left = state_at(&a, &now).await;
    assert_eq!(
        a_left.remaining, 2,
        "the free places went first; its own 2 remain"
    );
    assert_eq!(state_at(&b, &now).await.remaining, 2, "b keeps its own 2");

    pg.stop();
    let offline = state_at(&a, &now).await;
    assert_eq!(offline.source, hadir::walkin_quota::QuotaSource::Offline);
    assert_eq!(offline.remaining, 2);
    let mut offline_labels = Vec::new();
    for _ in 0..2 {
        let result = walkin_at(&a, Priority::Disabilitas, &now).await;
        assert_eq!(result.code, "ok");
        offline_labels.push(result.tickets[0].label.clone());
    }
    assert!(
        offline_labels.iter().all(|l| l.starts_with("P-5")),
        "numbered from the kiosk's offline block: {offline_labels:?}"
    );
    let refused = walkin_at(&a, Priority::Disabilitas, &now).await;
    assert_eq!(refused.code, "walkin_offline_limit");
    assert!(refused.message.id.next_step.contains("meja layanan"));
    assert!(state_at(&a, &now).await.full);

    pg.start_again();
    a.replay(now.timestamp()).await;
    assert_eq!(a.pending(), 0, "the offline walk-ins reached the hub");
    assert_eq!(
        hub_count(&pg.url(), "SELECT count(*) FROM walkins WHERE offline").await,
        2
    );
    assert_eq!(
        hub_count(
            &pg.url(),
            "SELECT coalesce(sum(held), 0)::int8 FROM walkin_holds WHERE kiosk = 'K01'"
        )
        .await,
        0,
        "the places it kept are the ones it used"
    );
    // 4 used, b keeps 2: nothing for a; b's own 2, then the pool is full for everyone.
    assert!(state_at(&a, &now).await.full);
    for _ in 0..2 {
        assert_eq!(walkin_at(&b, Priority::Anak, &now).await.code, "ok");
    }
    assert_eq!(
        walkin_at(&b, Priority::Anak, &now).await.code,
        "walkin_quota_full"
    );
    assert_eq!(
        hub_count(&pg.url(), "SELECT count(*) FROM walkins").await,
        6,
        "exactly the quota across the split"
    );

    // Staff at b turn one of b's walk-ins away, freeing its place: a sees it at once.
    let mut freeing = b.config.clone();
    freeing.walkin.turn_away_frees_place = true;
    let session = {
        let mut store = b.store.lock().expect("store");
        let hash = hadir::staff::hash_pin("1234").expect("hash");
        store
            .add_staff(
                "ani",
                StaffRole::Frontdesk,
                &hash,
                &hadir::model::rfc3339(&now),
            )
            .expect("adds");
        match hadir::staff_mode::sign_in(&mut store, "ani", "1234", &now, &freeing)
            .expect("signs in")
        {
            hadir::staff_mode::SignInResult::SignedIn { session } => session,
            other => panic!("{other:?}"),
        }
    };
    let b_walkins = b
        .store
        .lock()
        .expect("store")
        .walkins_on(now.date())
        .expect("lists");
    let desk = ScanContext {
        config: &freeing,
        ..ctx(&b, &now)
    };
    let turned = walkin::turn_away(&session, &b_walkins[0].label, "bukan anak balita", &desk)
        .await
        .expect("turns away");
    assert!(turned.frees_place);
    assert_eq!(
        hub_count(&pg.url(), "SELECT count(*) FROM walkins WHERE freed").await,
        1,
        "the hub learnt of it"
    );
    assert_eq!(
        state_at(&a, &now).await.remaining,
        1,
        "the place is free again"
    );

    // The office's export from the hub counts every kiosk's walk-ins.
    let client = pg_client(&pg.url()).await;
    let range = hadir::report::ExportRange::new(now.date(), now.date()).expect("range");
    let report = hadir::hub::report::gather(&client, &a.config, range, &now, false)
        .await
        .expect("gathers");
    let walkins = report.summary().walkins;
    assert_eq!((walkins.total, walkins.turned_away), (6, 1));
    assert_eq!(walkins.quota_days[0].used, 5);
    assert_eq!(report.tickets.iter().filter(|t| t.walkin).count(), 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_choice_not_offered_answers_with_the_offices_figures_not_the_kiosks() {
    let Some(pg) = postgres() else { return };
    let mut a = kiosk(0, &pg.url(), 6, 2);
    a.config.walkin.categories.retain(|c| *c != Priority::Anak);
    let now = at(10, 0);
    let before = state_at(&a, &now).await;
    assert_eq!(before.source, hadir::walkin_quota::QuotaSource::Hub);
    let refused = walkin_at(&a, Priority::Anak, &now).await;
    assert_eq!(refused.code, "walkin_not_offered");
    assert_eq!(
        refused.state.source,
        hadir::walkin_quota::QuotaSource::Hub,
        "the hub answers: the button keeps the office's figures"
    );
    assert_eq!(refused.state.remaining, before.remaining);
}
