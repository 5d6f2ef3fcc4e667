//! Walk-ins end to end at a kiosk on its own: the quota per office-local day and per pool, the
//! config and the supervisor's settings in force, staff exceeding the quota with a reason, and
//! turning a walk-in away. The hub's side (one pool for every kiosk, the offline share) is in
//! `tests/hub.rs` against a real PostgreSQL server.

use std::sync::Mutex;

use jiff::ZonedDateTime;

use super::*;
use crate::config::{CategoryQuota, QuotaBy};
use crate::model::StaffRole;
use crate::staff_mode::{sign_in, SignInResult};
use crate::store::tests::fresh_store;
use crate::store::StoreAccess;

fn config_in(dir: &std::path::Path) -> Config {
    let mut config = Config::default();
    config.kiosk.data_dir = Some(dir.to_owned());
    config
}

/// `hour:minute` office time (WITA) on 29 November 2026, or the day after with `day` 30.
fn wita(day: i8, hour: i8, minute: i8) -> ZonedDateTime {
    jiff::civil::date(2026, 11, day)
        .at(hour, minute, 0, 0)
        .to_zoned_datetime(jiff::tz::TimeZone::get("Asia/Makassar").expect("tz"))
        .expect("zoned")
}

fn choice(category: Priority, service: Service) -> WalkinChoice {
    WalkinChoice { category, service }
}

fn run<T>(future: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime")
        .block_on(future)
}

fn ctx<'a, S: StoreAccess>(
    access: &'a S,
    printing: Printing,
    now: &'a ZonedDateTime,
    config: &'a Config,
) -> ScanContext<'a, S> {
    ScanContext {
        store: access,
        hub: None,
        printing,
        language: Language::Id,
        now,
        config,
    }
}

fn at_kiosk(
    store: &mut Store,
    asked: WalkinChoice,
    now: &ZonedDateTime,
    config: &Config,
) -> (WalkinResult, Vec<PendingPrint>) {
    let access = Mutex::new(store);
    run(issue_at_kiosk(
        asked,
        &ctx(&access, Printing::Later, now, config),
    ))
    .expect("answers")
}

fn state_at(store: &mut Store, now: &ZonedDateTime, config: &Config) -> WalkinState {
    let access = Mutex::new(store);
    run(quota_state(&ctx(&access, Printing::Later, now, config))).expect("answers")
}

fn session(store: &mut Store, name: &str, role: StaffRole, config: &Config) -> Session {
    let now = wita(29, 7, 30);
    let hash = crate::staff::hash_pin("1234").expect("hash");
    store
        .add_staff(name, role, &hash, &rfc3339(&now))
        .expect("adds");
    match sign_in(store, name, "1234", &now, config).expect("signs in") {
        SignInResult::SignedIn { session } => session,
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_walkin_at_the_kiosk_gets_a_priority_number_marked_as_a_walkin_and_printed_later() {
    let (dir, mut store) = fresh_store();
    let config = config_in(dir.path());
    let now = wita(29, 8, 5);
    let before = state_at(&mut store, &now, &config);
    assert_eq!((before.remaining, before.full), (50, false));
    assert_eq!((before.lansia_min_age, before.anak_under_age), (60, 5));
    let (result, pending) = at_kiosk(
        &mut store,
        choice(Priority::Lansia, Service::Baru),
        &now,
        &config,
    );
    assert_eq!((result.code, result.admits), ("ok", true));
    assert_eq!(result.tickets.len(), 1, "one person per ticket");
    let ticket = &result.tickets[0];
    assert_eq!(ticket.label, "P-001");
    assert!(ticket.priority && ticket.is_walkin());
    assert!(
        ticket.applicant_masked.is_empty(),
        "no name is asked or printed"
    );
    assert!(result.printing && pending.len() == 1);
    assert_eq!(pending[0].ticket, *ticket, "printed like every ticket");
    assert_eq!(result.state.remaining, 49, "the button's next figure");
    assert_eq!(result.message.id.title, "Nomor antrean Anda");
    // The next booking's priority check-in continues the same lane.
    let access = Mutex::new(&mut store);
    let printed = print_pending(&pending, &config);
    access
        .with_store(|store| record_prints(store, &pending, &printed, &now))
        .expect("records");
    assert!(matches!(printed[0], PrintOutcome::Printed { .. }));
}

#[test]
fn the_quota_is_counted_per_office_local_day_and_never_oversubscribed() {
    let (dir, mut store) = fresh_store();
    let mut config = config_in(dir.path());
    config.walkin.daily_quota = 2;
    let evening = wita(29, 23, 58);
    for _ in 0..2 {
        let (result, _) = at_kiosk(
            &mut store,
            choice(Priority::IbuHamil, Service::Penggantian),
            &evening,
            &config,
        );
        assert_eq!(result.code, "ok");
    }
    let (refused, pending) = at_kiosk(
        &mut store,
        choice(Priority::Anak, Service::Baru),
        &evening,
        &config,
    );
    assert_eq!(refused.code, "walkin_quota_full");
    assert!(!refused.admits && refused.tickets.is_empty() && pending.is_empty());
    assert!(
        refused
            .message
            .id
            .next_step
            .contains("hari lain sebelum jam buka"),
        "{:?}",
        refused.message
    );
    assert!(
        !refused.may_override,
        "an applicant never exceeds the quota"
    );
    let full = state_at(&mut store, &wita(29, 23, 59), &config);
    assert!(full.full && full.remaining == 0, "the button says so first");
    // 00:01 WITA is 16:01 UTC the day before: still a new office-local day.
    let after_midnight = wita(30, 0, 1);
    assert_eq!(
        after_midnight.timestamp().to_string(),
        "2026-11-29T16:01:00Z"
    );
    let fresh = state_at(&mut store, &after_midnight, &config);
    assert_eq!((fresh.remaining, fresh.full), (2, false));
    let (next_day, _) = at_kiosk(
        &mut store,
        choice(Priority::Anak, Service::Baru),
        &after_midnight,
        &config,
    );
    assert_eq!(next_day.code, "ok");
    assert_eq!(
        next_day.tickets[0].label, "P-001",
        "numbers start again too"
    );
    assert_eq!(
        store
            .count_for_tests("SELECT COUNT(*) FROM walkins")
            .expect("counts"),
        3,
        "the refusal recorded nothing"
    );
}

#[test]
fn a_quota_per_category_and_service_fills_each_pool_apart() {
    let (dir, mut store) = fresh_store();
    let mut config = config_in(dir.path());
    config.walkin.quota_by = QuotaBy::Category;
    config.walkin.per_service = true;
    config.walkin.category_quota = CategoryQuota {
        lansia: Some(1),
        disabilitas: Some(1),
        ibu_hamil: Some(1),
        anak: Some(0),
    };
    config.check().expect("a valid config");
    let now = wita(29, 9, 0);
    let lansia_baru = choice(Priority::Lansia, Service::Baru);
    assert_eq!(
        at_kiosk(&mut store, lansia_baru, &now, &config).0.code,
        "ok"
    );
    assert_eq!(
        at_kiosk(&mut store, lansia_baru, &now, &config).0.code,
        "walkin_quota_full"
    );
    assert_eq!(
        at_kiosk(
            &mut store,
            choice(Priority::Lansia, Service::Penggantian),
            &now,
            &config
        )
        .0
        .code,
        "ok",
        "the same category, another service: its own pool"
    );
    assert_eq!(
        at_kiosk(
            &mut store,
            choice(Priority::Anak, Service::Baru),
            &now,
            &config
        )
        .0
        .code,
        "walkin_quota_full",
        "a quota of 0: none today"
    );
    let state = state_at(&mut store, &now, &config);
    let lansia = &state.categories[0];
    assert_eq!(lansia.category, Priority::Lansia);
    assert_eq!(lansia.remaining, 1, "hilang_rusak is left");
    assert!(lansia.services[0].full && !lansia.services[2].full);
    assert!(state.categories[3].full, "anak");
    assert_eq!(state.remaining, 1 + 3 + 3);
}

#[test]
fn what_the_config_does_not_offer_is_refused_with_its_own_code() {
    let (dir, mut store) = fresh_store();
    let mut config = config_in(dir.path());
    config.walkin.categories = vec![Priority::Lansia, Priority::Disabilitas];
    config.walkin.services = vec![Service::Baru];
    let now = wita(29, 9, 0);
    for asked in [
        choice(Priority::Anak, Service::Baru),
        choice(Priority::Lansia, Service::HilangRusak),
    ] {
        let (result, _) = at_kiosk(&mut store, asked, &now, &config);
        assert_eq!(result.code, "walkin_not_offered", "{asked:?}");
    }
    config.walkin.enabled = false;
    let state = state_at(&mut store, &now, &config);
    assert!(!state.offered && state.full);
    let (off, _) = at_kiosk(
        &mut store,
        choice(Priority::Lansia, Service::Baru),
        &now,
        &config,
    );
    assert_eq!(off.code, "walkin_not_offered");
}

#[test]
fn a_supervisors_change_of_the_quota_is_in_force_at_once_and_kept() {
    let (dir, mut store) = fresh_store();
    let file = config_in(dir.path());
    let supervisor = session(&mut store, "sari", StaffRole::Supervisor, &file);
    let now = wita(29, 10, 0);
    for _ in 0..3 {
        at_kiosk(
            &mut store,
            choice(Priority::Disabilitas, Service::Baru),
            &now,
            &file,
        );
    }
    let lower = crate::settings::change_setting(
        &mut store,
        &supervisor,
        "walkin.daily_quota",
        "3",
        &now,
        &file,
    )
    .expect("a supervisor may");
    assert!(state_at(&mut store, &now, &lower).full, "3 of 3 used");
    let in_force = crate::settings::config_in_force(&file, &store).expect("reads");
    assert_eq!(in_force.walkin.daily_quota, 3, "stored over the file's 50");
    let raised = crate::settings::change_setting(
        &mut store,
        &supervisor,
        "walkin.daily_quota",
        "5",
        &now,
        &in_force,
    )
    .expect("changes");
    assert_eq!(state_at(&mut store, &now, &raised).remaining, 2);
    let audited = store.audit_actions_for_tests();
    assert!(audited.contains(&("settings".into(), Some("walkin.daily_quota = 5".into()))));
}

#[test]
fn staff_exceed_a_full_quota_only_with_a_reason_and_it_is_audited() {
    let (dir, mut store) = fresh_store();
    let mut config = config_in(dir.path());
    config.walkin.daily_quota = 1;
    let officer = session(&mut store, "ani", StaffRole::Frontdesk, &config);
    let now = wita(29, 11, 0);
    let asked = choice(Priority::IbuHamil, Service::Baru);
    at_kiosk(&mut store, asked, &now, &config);
    let access = Mutex::new(&mut store);
    let desk = ctx(&access, Printing::Now, &now, &config);
    let (refused, _) = run(issue_by_staff(&officer, asked, None, &desk)).expect("answers");
    assert_eq!(refused.code, "walkin_quota_full");
    assert!(refused.may_override, "staff may, with a reason");
    let words = refused.staff_message.expect("staff words");
    assert!(words.id.contains("alasan"), "{}", words.id);
    let too_short = run(issue_by_staff(&officer, asked, Some(" x "), &desk))
        .expect_err("a reason of 3 characters at least");
    assert_eq!(too_short.code(), "staff_reason_required");
    let (over, pending) = run(issue_by_staff(
        &officer,
        asked,
        Some("hamil tua, dirujuk dokter"),
        &desk,
    ))
    .expect("issues");
    assert_eq!((over.code, over.over_quota), ("ok", true));
    assert!(pending.is_empty(), "the desk prints at once");
    assert_eq!(over.prints.len(), 1);
    assert!(!over.printing);
    assert!(over.state.full, "still nothing left for applicants");
    assert!(over
        .staff_message
        .expect("words")
        .en
        .contains("over the quota"));
    let store = access.into_inner().expect("store");
    let actions = store.audit_actions_for_tests();
    assert!(actions.contains(&("walkin_refused".into(), Some("ibu_hamil/baru".into()))));
    assert!(actions.contains(&("walkin_override".into(), Some("P-002".into()))));
    assert_eq!(
        store
            .count_for_tests(
                "SELECT COUNT(*) FROM walkins w JOIN staff_checkins s USING (checkin_id)
                 WHERE w.over_quota = 1 AND s.reason = 'hamil tua, dirujuk dokter'"
            )
            .expect("counts"),
        1,
        "the reason is kept with the walk-in"
    );
}

#[test]
fn turning_a_walkin_away_frees_the_place_only_when_the_setting_says_so() {
    let (dir, mut store) = fresh_store();
    let mut config = config_in(dir.path());
    config.walkin.daily_quota = 2;
    let officer = session(&mut store, "ani", StaffRole::Frontdesk, &config);
    let now = wita(29, 12, 0);
    for category in [Priority::Lansia, Priority::Anak] {
        at_kiosk(&mut store, choice(category, Service::Baru), &now, &config);
    }
    let access = Mutex::new(&mut store);
    let desk = ctx(&access, Printing::Now, &now, &config);
    let unknown =
        run(turn_away(&officer, "p9", "salah kategori", &desk)).expect_err("no such walk-in");
    assert_eq!(unknown.code(), "walkin_unknown");
    let no_reason = run(turn_away(&officer, "p1", "", &desk)).expect_err("a reason");
    assert_eq!(no_reason.code(), "staff_reason_required");
    let kept =
        run(turn_away(&officer, "p1", "bukan lansia (KTP 1980)", &desk)).expect("turns away");
    assert!(!kept.frees_place && !kept.already);
    assert_eq!(kept.walkin.label, "P-001");
    assert!(kept.state.full, "the place stays used");
    let mut freeing = config.clone();
    freeing.walkin.turn_away_frees_place = true;
    let desk = ctx(&access, Printing::Now, &now, &freeing);
    let freed = run(turn_away(&officer, "P-002", "anak sudah 7 tahun", &desk)).expect("turns away");
    assert!(freed.frees_place);
    assert_eq!(freed.state.remaining, 1, "its place is back");
    let again = run(turn_away(&officer, "P-002", "lagi", &desk)).expect("answers");
    assert!(again.already, "once only");
    let store = access.into_inner().expect("store");
    assert_eq!(
        store
            .count_for_tests("SELECT COUNT(*) FROM outbox WHERE kind = 'walkin_turn_away'")
            .expect("counts"),
        2
    );
    let list = walkins_today(store, &now).expect("lists");
    assert_eq!(list.len(), 2);
    assert!(list.iter().all(|w| w.turned_away_at.is_some()));
}
