use super::*;
use crate::checkin::Verdict;
use crate::config::Config;
use crate::error::StaffRefusal;
use crate::kiosk::testing::scan_printed;
use crate::model::{rfc3339, Language};
use crate::staff::hash_pin;
use crate::store::tests::fresh_store;
use crate::store::{PrintOutcome, Purged, Store};
use jiff::ZonedDateTime;

fn at(hour: i8, minute: i8, second: i8) -> ZonedDateTime {
    jiff::civil::date(2026, 11, 29)
        .at(hour, minute, second, 0)
        .to_zoned_datetime(jiff::tz::TimeZone::get("Asia/Makassar").expect("tz"))
        .expect("zoned")
}

struct Desk {
    _dir: tempfile::TempDir,
    store: Store,
    config: Config,
    codes: Vec<String>,
}

/// A store with the demo day filled at 09:30 and two accounts: `ani` (frontdesk, PIN 1234)
/// and `budi` (supervisor, PIN 98765).
fn desk() -> Desk {
    let (dir, mut store) = fresh_store();
    let mut config = Config::default();
    config.kiosk.data_dir = Some(dir.path().to_owned());
    let (day, _) = crate::demo::fill(&mut store, &at(9, 30, 0), &config).expect("demo");
    let created = rfc3339(&at(8, 0, 0));
    store
        .add_staff(
            "ani",
            crate::model::StaffRole::Frontdesk,
            &hash_pin("1234").expect("hash"),
            &created,
        )
        .expect("adds");
    store
        .add_staff(
            "budi",
            crate::model::StaffRole::Supervisor,
            &hash_pin("98765").expect("hash"),
            &created,
        )
        .expect("adds");
    Desk {
        _dir: dir,
        store,
        config,
        codes: day
            .try_codes
            .iter()
            .map(|c| c.booking_code.clone())
            .collect(),
    }
}

fn signed_in(desk: &mut Desk, name: &str, pin: &str, now: &ZonedDateTime) -> Session {
    match sign_in(&mut desk.store, name, pin, now, &desk.config).expect("signs in") {
        SignInResult::SignedIn { session } => session,
        other => panic!("{name} should be signed in, got {other:?}"),
    }
}

fn audit_actions(store: &Store) -> Vec<String> {
    store
        .audit_actions_for_tests()
        .into_iter()
        .map(|(action, _)| action)
        .collect()
}

#[test]
fn five_wrong_pins_lock_the_account_and_even_the_right_pin_waits() {
    let mut desk = desk();
    for left in (1..=4).rev() {
        let result =
            sign_in(&mut desk.store, "ani", "0000", &at(10, 0, 0), &desk.config).expect("answers");
        assert_eq!(result, SignInResult::WrongPin { left });
    }
    let locked =
        sign_in(&mut desk.store, "ani", "0000", &at(10, 0, 1), &desk.config).expect("answers");
    assert_eq!(
        locked,
        SignInResult::Locked {
            until_local: "10:05".into()
        }
    );
    let right_but_locked =
        sign_in(&mut desk.store, "ani", "1234", &at(10, 4, 59), &desk.config).expect("answers");
    assert!(
        matches!(right_but_locked, SignInResult::Locked { .. }),
        "no PIN is checked while locked"
    );
    let session = signed_in(&mut desk, "ani", "1234", &at(10, 5, 2));
    assert_eq!(session.role, crate::model::StaffRole::Frontdesk);
    let actions = audit_actions(&desk.store);
    assert_eq!(actions.iter().filter(|a| *a == "login_failed").count(), 6);
    assert_eq!(actions.last().map(String::as_str), Some("login"));
    assert_eq!(
        desk.store.verify_audit().expect("verifies").first_broken,
        None
    );
}

#[test]
fn unknown_or_disabled_names_get_the_same_answer_as_a_wrong_pin() {
    let mut desk = desk();
    let unknown = sign_in(
        &mut desk.store,
        "nobody",
        "1234",
        &at(10, 0, 0),
        &desk.config,
    )
    .expect("answers");
    assert_eq!(unknown, SignInResult::WrongPin { left: 5 });
    let ani = desk
        .store
        .staff_by_name("ani")
        .expect("reads")
        .expect("exists");
    desk.store
        .set_staff_active(ani.id, false)
        .expect("disables");
    let disabled =
        sign_in(&mut desk.store, "ani", "1234", &at(10, 0, 0), &desk.config).expect("answers");
    assert!(
        matches!(disabled, SignInResult::WrongPin { .. }),
        "a disabled account cannot sign in"
    );
}

#[test]
fn a_session_ends_after_the_idle_time_and_roles_are_enforced() {
    let mut desk = desk();
    let mut session = signed_in(&mut desk, "ani", "1234", &at(10, 0, 0));
    session
        .touch(at(10, 1, 59).timestamp(), &desk.config)
        .expect("still open");
    session
        .touch(at(10, 3, 59).timestamp(), &desk.config)
        .expect("activity moved the limit");
    assert_eq!(
        session.touch(at(10, 6, 0).timestamp(), &desk.config),
        Err(StaffRefusal::SessionExpired)
    );
    let error =
        purge(&mut desk.store, &session, 30, &at(10, 0, 0)).expect_err("frontdesk may not purge");
    assert_eq!(error.code(), "staff_supervisor_only");
}

#[test]
fn a_manual_check_in_needs_a_reason_and_is_audited() {
    let mut desk = desk();
    let session = signed_in(&mut desk, "ani", "1234", &at(9, 30, 0));
    let code = desk.codes[0].clone();
    let error = staff_check_in(
        &mut desk.store,
        &session,
        &code,
        " ",
        false,
        &at(9, 31, 0),
        &desk.config,
    )
    .expect_err("no reason");
    assert_eq!(error.code(), "staff_reason_required");
    assert!(desk
        .store
        .tickets_for_booking(&code, at(9, 31, 0).date())
        .expect("reads")
        .is_empty());

    let (result, pending) = staff_check_in(
        &mut desk.store,
        &session,
        &code.to_lowercase(),
        "scanner rusak",
        false,
        &at(9, 31, 0),
        &desk.config,
    )
    .expect("checks in");
    assert_eq!(result.verdict, Verdict::Ok);
    assert_eq!(pending.len(), 1, "the ticket is printed like a scanned one");
    assert_eq!(
        audit_actions(&desk.store).last().map(String::as_str),
        Some("checkin")
    );
}

#[test]
fn too_late_is_refused_unless_staff_override_it_with_a_reason() {
    let mut desk = desk();
    let session = signed_in(&mut desk, "ani", "1234", &at(16, 0, 0));
    let code = desk.codes[0].clone(); // slot 09:00-10:00
    let (refused, pending) = staff_check_in(
        &mut desk.store,
        &session,
        &code,
        "terlambat",
        false,
        &at(16, 0, 0),
        &desk.config,
    )
    .expect("answers");
    assert!(
        matches!(refused.verdict, Verdict::TooLate { .. }),
        "{:?}",
        refused.verdict
    );
    assert!(pending.is_empty());
    let outbox_before = desk.store.outbox_len().expect("count");

    let (admitted, pending) = staff_check_in(
        &mut desk.store,
        &session,
        &code,
        "bus terlambat",
        true,
        &at(16, 0, 5),
        &desk.config,
    )
    .expect("overrides");
    assert_eq!(admitted.verdict, Verdict::Ok);
    assert_eq!(pending.len(), 1);
    let kinds: Vec<String> = desk
        .store
        .outbox_batch(100)
        .expect("reads")
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(desk.store.outbox_len().expect("count"), outbox_before + 2);
    assert!(
        kinds.contains(&"override".to_owned()),
        "upstream learns of the override: {kinds:?}"
    );
    assert_eq!(
        audit_actions(&desk.store)[audit_actions(&desk.store).len() - 2..],
        ["checkin_refused".to_owned(), "override".to_owned()]
    );
}

#[test]
fn a_reprint_is_a_marked_copy_of_the_same_number() {
    let mut desk = desk();
    let first =
        scan_printed(&mut desk.store, &desk.codes[1], &at(9, 30, 0), &desk.config).expect("scan");
    let label = first.tickets[1].label.clone();
    let session = signed_in(&mut desk, "ani", "1234", &at(9, 40, 0));
    let error = reprint(
        &mut desk.store,
        &session,
        &label,
        "",
        &at(9, 41, 0),
        &desk.config,
    )
    .expect_err("no reason");
    assert_eq!(error.code(), "staff_reason_required");

    let (view, outcome) = reprint(
        &mut desk.store,
        &session,
        &label.to_lowercase(),
        "kertas macet",
        &at(9, 41, 0),
        &desk.config,
    )
    .expect("reprints");
    assert!(view.copy, "the copy says SALINAN");
    assert_eq!(view.label, label, "the same number, never a new one");
    assert_eq!(
        view.service, first.tickets[1].service,
        "what the ticket said, from its facts"
    );
    assert_eq!(view.applicant_masked, first.tickets[1].applicant_masked);
    assert!(
        view.priority && first.tickets[1].priority,
        "the family's priority lane is on the copy too, also for a member without a priority"
    );
    assert_eq!(
        view.language, desk.config.kiosk.language,
        "a copy made at the desk is in the office's language"
    );
    assert!(
        matches!(outcome, PrintOutcome::Printed { .. }),
        "{outcome:?}"
    );
    assert!(desk
        .store
        .outbox_batch(100)
        .expect("reads")
        .iter()
        .any(|e| e.kind == "reprint"));
    assert_eq!(
        audit_actions(&desk.store).last().map(String::as_str),
        Some("reprint")
    );

    let health = printer_health(&desk.store, &at(9, 42, 0), &desk.config).expect("reads");
    assert!(!health.problem, "the copy printed");
    assert_eq!(
        health.last.as_ref().map(|l| l.outcome.as_str()),
        Some("printed")
    );

    let unknown = reprint(
        &mut desk.store,
        &session,
        "Z-999",
        "hilang",
        &at(9, 42, 0),
        &desk.config,
    )
    .expect_err("no such ticket");
    assert_eq!(unknown.code(), "ticket_unknown");
}

#[test]
fn search_by_name_and_birth_date_shows_only_masked_applicants() {
    let mut desk = desk();
    let booking = desk
        .store
        .find_appointment(&desk.codes[1])
        .expect("reads")
        .expect("cached");
    let applicant = &booking.appointment.applicants[2];
    let part = applicant
        .name
        .split_whitespace()
        .last()
        .expect("a family name")
        .to_lowercase();
    let found = bookings_matching(
        &desk.store,
        &BookingQuery::Applicant {
            name: part,
            birth_date: applicant.birth_date.to_string(),
        },
        &at(9, 30, 0),
    )
    .expect("finds");
    assert!(
        found.iter().any(|b| b.booking_code == desk.codes[1]),
        "{found:?}"
    );
    let shown = serde_json::to_string(&found).expect("serialises");
    assert!(
        !shown.contains(&applicant.name),
        "full names are never shown: {shown}"
    );
    assert!(
        !shown.contains(&applicant.birth_date.to_string()),
        "nor birth dates"
    );
    assert!(shown.contains(&applicant.nik_last4));

    let by_code = bookings_matching(
        &desk.store,
        &BookingQuery::Code {
            code: desk.codes[0].to_lowercase(),
        },
        &at(9, 30, 0),
    )
    .expect("finds");
    assert_eq!(by_code.len(), 1);
    let incomplete = bookings_matching(
        &desk.store,
        &BookingQuery::Applicant {
            name: "x".into(),
            birth_date: "1990-13-01".into(),
        },
        &at(9, 30, 0),
    )
    .expect_err("needs both");
    assert_eq!(incomplete.code(), "search_incomplete");
    let _ = &mut desk;
}

#[test]
fn purge_clears_names_before_the_cutoff_and_keeps_every_count() {
    let mut desk = desk();
    let result =
        scan_printed(&mut desk.store, &desk.codes[1], &at(9, 30, 0), &desk.config).expect("scan");
    let supervisor = signed_in(&mut desk, "budi", "98765", &at(9, 31, 0));
    let ten_days_later = at(9, 31, 0)
        .checked_add(jiff::Span::new().days(10))
        .expect("date");

    let kept = purge(&mut desk.store, &supervisor, 30, &ten_days_later).expect("purges");
    assert_eq!(kept, Purged::default(), "nothing is older than 30 days");
    let purged = purge(&mut desk.store, &supervisor, 5, &ten_days_later).expect("purges");
    assert_eq!(
        purged.ticket_names, 3,
        "the family's three tickets lose their names"
    );
    assert!(purged.bookings > 0, "cached bookings of that day are gone");
    assert!(desk
        .store
        .find_appointment(&desk.codes[1])
        .expect("reads")
        .is_none());
    let (ticket, facts) = desk
        .store
        .ticket_with_facts(&result.tickets[0].ticket_id)
        .expect("reads")
        .expect("the ticket stays");
    assert_eq!(ticket.label, result.tickets[0].label);
    assert_eq!(facts.expect("facts stay").applicant_name, None);
    assert_eq!(
        audit_actions(&desk.store).last().map(String::as_str),
        Some("purge")
    );
}

#[test]
fn supervisors_manage_staff_and_every_change_is_audited() {
    let mut desk = desk();
    let supervisor = signed_in(&mut desk, "budi", "98765", &at(9, 0, 0));
    let frontdesk = signed_in(&mut desk, "ani", "1234", &at(9, 0, 0));
    let add = StaffChange::Add {
        name: "citra".into(),
        role: "frontdesk".into(),
        pin: "4321".into(),
    };
    assert_eq!(
        change_staff(&mut desk.store, &frontdesk, &add, &at(9, 1, 0))
            .expect_err("frontdesk")
            .code(),
        "staff_supervisor_only"
    );
    change_staff(&mut desk.store, &supervisor, &add, &at(9, 1, 0)).expect("adds");
    assert_eq!(
        change_staff(&mut desk.store, &supervisor, &add, &at(9, 1, 0))
            .expect_err("twice")
            .code(),
        "staff_name_taken"
    );
    let bad_pin = StaffChange::ResetPin {
        name: "citra".into(),
        pin: "12".into(),
    };
    assert_eq!(
        change_staff(&mut desk.store, &supervisor, &bad_pin, &at(9, 1, 0))
            .expect_err("short")
            .code(),
        "staff_pin_malformed"
    );
    signed_in(&mut desk, "citra", "4321", &at(9, 2, 0));
    change_staff(
        &mut desk.store,
        &supervisor,
        &StaffChange::Disable {
            name: "citra".into(),
        },
        &at(9, 3, 0),
    )
    .expect("disables");
    assert!(matches!(
        sign_in(&mut desk.store, "citra", "4321", &at(9, 4, 0), &desk.config).expect("answers"),
        SignInResult::WrongPin { .. }
    ));
    let actions = audit_actions(&desk.store);
    assert!(
        actions.contains(&"staff_add".to_owned()) && actions.contains(&"staff_disable".to_owned())
    );
}

#[test]
fn a_failed_print_shows_as_a_printer_problem_with_its_reason() {
    let mut desk = desk();
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("listener");
    desk.config.printer.sink = crate::config::SinkKind::EscposTcp;
    desk.config.printer.address = Some(closed.local_addr().expect("address").to_string());
    desk.config.printer.timeout_ms = 300;
    drop(closed);
    scan_printed(&mut desk.store, &desk.codes[0], &at(9, 30, 0), &desk.config).expect("scan");
    let health = printer_health(&desk.store, &at(9, 31, 0), &desk.config).expect("reads");
    assert!(health.problem);
    assert!(
        health.printer.starts_with("escpos_tcp:127.0.0.1:"),
        "{}",
        health.printer
    );
    assert_eq!(
        health.last.and_then(|l| l.reason).as_deref(),
        Some("printer_unreachable")
    );
    assert_eq!(health.waiting_for_reprint, 1);
}

#[test]
fn in_hub_mode_a_staff_check_in_takes_a_block_number_and_waits_for_replay() {
    let mut desk = desk();
    desk.config.hub_url = Some(crate::config::HubUrl::new(
        "postgres://hadir@127.0.0.1:9/hadir",
    ));
    desk.config.hub.offline_block_start = 700;
    let session = signed_in(&mut desk, "ani", "1234", &at(9, 30, 0));
    let (result, _pending) = staff_check_in(
        &mut desk.store,
        &session,
        &desk.codes[0],
        "kode tidak terbaca",
        false,
        &at(9, 31, 0),
        &desk.config,
    )
    .expect("checks in");
    assert_eq!(
        result.tickets[0].label.rsplit('-').next(),
        Some("700"),
        "never a number the hub could give another kiosk"
    );
    assert_eq!(desk.store.hub_pending_count().expect("count"), 1);
}

#[test]
fn purge_keeps_at_least_today_and_strips_waiting_comments() {
    let mut desk = desk();
    let supervisor = signed_in(&mut desk, "budi", "98765", &at(9, 0, 0));
    assert_eq!(
        purge(&mut desk.store, &supervisor, 0, &at(9, 0, 0))
            .expect_err("0 days")
            .code(),
        "invalid_input"
    );
    let result =
        scan_printed(&mut desk.store, &desk.codes[0], &at(9, 30, 0), &desk.config).expect("scan");
    let answers = crate::ratings::SurveyAnswers {
        ticket_id: result.tickets[0].ticket_id.clone(),
        scores: crate::survey::SERVQUAL
            .elements
            .iter()
            .map(|e| ((*e).to_owned(), 3))
            .collect(),
        comment: Some("PETUGAS BUDI RAMAH".into()),
        answered_ms: 30_000,
    };
    crate::ratings::submit_rating(&mut desk.store, &answers, &at(11, 0, 0), &desk.config)
        .expect("rates");
    let week_later = at(11, 0, 0)
        .checked_add(jiff::Span::new().days(7))
        .expect("date");
    let purged = purge(&mut desk.store, &supervisor, 3, &week_later).expect("purges");
    assert_eq!(purged.comments, 1);
    let waiting = desk.store.outbox_batch(100).expect("reads");
    let rating = waiting
        .iter()
        .find(|e| e.kind == "rating")
        .expect("not sent yet");
    assert!(
        !rating.body.contains("RAMAH"),
        "the unsent event lost it too: {}",
        rating.body
    );
}

#[test]
fn a_front_desk_account_asking_for_supervisor_tools_is_refused_and_audited() {
    let mut desk = desk();
    let frontdesk = signed_in(&mut desk, "ani", "1234", &at(9, 0, 0));
    let error = purge(&mut desk.store, &frontdesk, 30, &at(9, 1, 0)).expect_err("refused");
    assert_eq!(error.code(), "staff_supervisor_only");
    let last = desk.store.audit_actions_for_tests().pop().expect("audited");
    assert_eq!(last, ("refused".into(), Some("purge".into())));
}

/// A kiosk scan at a network printer failing in `mode`, printed the way the window does it
/// (`kiosk::scan` printing later, then `print_pending` and `record_prints`): the check-in stands, the ticket waits
/// on the reprint list, staff are told what to check, and the reprint works once mended.
fn kiosk_check_in_at_a_faulty_printer(
    mode: fake_upstream::escpos_printer::PrinterMode,
    reason: &str,
    check: &str,
) {
    use crate::kiosk::testing::scan_with;
    use crate::kiosk::{print_pending, record_prints, Printing, ScanAnswer};
    use fake_upstream::escpos_printer::{EscposPrinter, PrinterMode};

    let mut desk = desk();
    let printer = EscposPrinter::start(mode).expect("stand-in printer starts");
    desk.config.printer.sink = crate::config::SinkKind::EscposTcp;
    desk.config.printer.address = Some(printer.address());
    desk.config.printer.timeout_ms = 500;
    let (answer, pending) = scan_with(
        &mut desk.store,
        &desk.codes[0],
        desk.config.kiosk.language,
        Printing::Later,
        &at(9, 30, 0),
        &desk.config,
    )
    .expect("scan");
    let ScanAnswer::Checkin(result) = answer else {
        panic!("a booking code is a check-in: {answer:?}");
    };
    assert_eq!(result.verdict, Verdict::Ok, "{mode:?}");
    let outcomes = print_pending(&pending, &desk.config);
    record_prints(&desk.store, &pending, &outcomes, &at(9, 30, 0)).expect("recorded");
    match &outcomes[0] {
        PrintOutcome::Failed { reason: got, .. } => assert_eq!(*got, reason),
        other => panic!("{mode:?} must not count as printed: {other:?}"),
    }
    let label = result.tickets[0].label.clone();
    let waiting: Vec<String> = failed_prints(&desk.store, &at(9, 31, 0))
        .expect("list")
        .into_iter()
        .map(|t| t.label)
        .collect();
    assert_eq!(
        waiting,
        vec![label.clone()],
        "the ticket waits for a reprint"
    );
    let health = printer_health(&desk.store, &at(9, 31, 0), &desk.config).expect("reads");
    assert!(health.problem);
    assert_eq!(health.check, Some(check), "what staff are told to look at");
    let (again, _) = scan_with(
        &mut desk.store,
        &desk.codes[0],
        desk.config.kiosk.language,
        Printing::Later,
        &at(9, 31, 0),
        &desk.config,
    )
    .expect("rescan");
    let ScanAnswer::Checkin(again) = again else {
        panic!("a check-in again");
    };
    assert_eq!(
        again.verdict,
        Verdict::AlreadyCheckedIn,
        "the check-in stands"
    );
    assert_eq!(again.tickets[0].label, label, "with the same number");

    printer.set_mode(PrinterMode::Healthy);
    let session = signed_in(&mut desk, "ani", "1234", &at(9, 32, 0));
    let (_, outcome) = reprint(
        &mut desk.store,
        &session,
        &label,
        "Cetak gagal",
        &at(9, 33, 0),
        &desk.config,
    )
    .expect("reprints");
    assert!(
        matches!(outcome, PrintOutcome::Printed { .. }),
        "the mended printer prints the copy: {outcome:?}"
    );
    assert!(failed_prints(&desk.store, &at(9, 34, 0))
        .expect("list")
        .is_empty());
    let health = printer_health(&desk.store, &at(9, 34, 0), &desk.config).expect("reads");
    assert!(!health.problem && health.check.is_none(), "{health:?}");
    let jobs = printer.wait_for_jobs(1, std::time::Duration::from_secs(5));
    assert_eq!(jobs.len(), 1, "one job reached the printer: the copy");
    assert!(crate::print::decode_raster(&jobs[0]).is_some_and(|b| b.height > 100));
}

#[test]
fn a_kiosk_check_in_at_a_printer_out_of_paper_stands_and_is_reprinted() {
    kiosk_check_in_at_a_faulty_printer(
        fake_upstream::escpos_printer::PrinterMode::PaperOut,
        "printer_paper_out",
        "paper",
    );
}

#[test]
fn a_kiosk_check_in_at_a_printer_that_stops_reading_stands_and_is_reprinted() {
    kiosk_check_in_at_a_faulty_printer(
        fake_upstream::escpos_printer::PrinterMode::StallAfterStatus,
        "printer_unconfirmed",
        "unconfirmed",
    );
}

#[test]
fn every_failure_reason_tells_staff_something_specific() {
    for reason in crate::print::FAILURE_REASONS {
        assert_ne!(
            crate::print::what_to_check(reason),
            "general",
            "{reason} has no advice of its own"
        );
    }
}

#[test]
fn a_brute_force_of_ten_thousand_pins_is_stopped_by_the_lockout() {
    let Desk {
        _dir,
        store,
        config,
        ..
    } = desk();
    let mut store = store.without_fsync_for_benchmarks().expect("fsync off");
    // Every PIN from 0000 to 9999, one a second (2.8 hours): "ani"'s PIN 1234 is among them.
    let mut checked = 0;
    for guess in 0..10_000_u32 {
        let when = at(8, 0, 0)
            .checked_add(jiff::SignedDuration::from_secs(i64::from(guess)))
            .expect("time");
        let pin = format!("{guess:04}");
        match sign_in(&mut store, "ani", &pin, &when, &config).expect("answers") {
            SignInResult::WrongPin { .. } => checked += 1,
            SignInResult::Locked { .. } => {}
            other => panic!("guess {pin} at {when}: {other:?}"),
        }
    }
    // Five tries per five-minute lock: at most 5 x (10,000 s / 300 s + 1) PINs ever compared.
    assert!(checked <= 5 * (10_000 / 300 + 1), "{checked} PINs compared");
    assert!(
        checked >= 100,
        "the lock opens again after 5 minutes: {checked}"
    );
}

fn is_active(store: &Store, name: &str) -> bool {
    store
        .staff_by_name(name)
        .expect("reads")
        .expect("the account exists")
        .active
}

fn disable(name: &str) -> StaffChange {
    StaffChange::Disable { name: name.into() }
}

#[test]
fn a_supervisor_cannot_disable_their_own_account_and_the_try_is_audited() {
    let mut desk = desk();
    let budi = signed_in(&mut desk, "budi", "98765", &at(9, 0, 0));
    let refused = change_staff(&mut desk.store, &budi, &disable("budi"), &at(9, 1, 0))
        .expect_err("own account");
    assert_eq!(refused.code(), "staff_cannot_disable_self");
    assert!(refused.next_step().id.contains("supervisor lain"));
    assert!(is_active(&desk.store, "budi"), "nothing changed");
    assert_eq!(
        desk.store.audit_actions_for_tests().last(),
        Some(&("refused".to_owned(), Some("staff_disable budi".to_owned())))
    );
}

#[test]
fn a_second_supervisor_may_be_disabled_but_never_the_last_active_one() {
    let mut desk = desk();
    let budi = signed_in(&mut desk, "budi", "98765", &at(9, 0, 0));
    let add_dewi = StaffChange::Add {
        name: "dewi".into(),
        role: "supervisor".into(),
        pin: "24680".into(),
    };
    change_staff(&mut desk.store, &budi, &add_dewi, &at(9, 1, 0)).expect("adds");
    let dewi = signed_in(&mut desk, "dewi", "24680", &at(9, 2, 0));

    change_staff(&mut desk.store, &budi, &disable("dewi"), &at(9, 3, 0))
        .expect("another supervisor stays: allowed");
    assert!(!is_active(&desk.store, "dewi"));
    assert_eq!(
        desk.store.audit_actions_for_tests().last(),
        Some(&("staff_disable".to_owned(), Some("dewi".to_owned()))),
        "a disable is audited"
    );

    // Dewi's session outlived her account: budi is now the only active supervisor.
    let refused = change_staff(&mut desk.store, &dewi, &disable("budi"), &at(9, 4, 0))
        .expect_err("the last active supervisor");
    assert_eq!(refused.code(), "staff_last_supervisor");
    assert!(refused.to_string().contains("budi"), "{refused}");
    assert!(is_active(&desk.store, "budi"), "nothing changed");
    assert_eq!(
        desk.store.audit_actions_for_tests().last(),
        Some(&("refused".to_owned(), Some("staff_disable budi".to_owned())))
    );
    // Front-desk accounts are disabled as before.
    change_staff(&mut desk.store, &budi, &disable("ani"), &at(9, 5, 0)).expect("frontdesk");
    assert!(!is_active(&desk.store, "ani"));
}

/// #15: the front desk types on a number pad, so a ticket number comes as `p2`, `P2`, `p 2`.
#[test]
fn a_reprint_takes_the_ticket_number_as_staff_type_it() {
    let mut desk = desk();
    let first =
        scan_printed(&mut desk.store, &desk.codes[1], &at(9, 30, 0), &desk.config).expect("scan");
    let label = first.tickets[1].label.clone();
    let (queue, number) = label.split_once('-').expect("A-001 form");
    let number: i64 = number.parse().expect("a number");
    let session = signed_in(&mut desk, "ani", "1234", &at(9, 40, 0));
    for typed in [
        format!("{}{number}", queue.to_lowercase()),
        format!("{queue}{number}"),
        format!("{} {number}", queue.to_lowercase()),
        label.clone(),
    ] {
        let (view, _) = reprint(
            &mut desk.store,
            &session,
            &typed,
            "kertas macet",
            &at(9, 41, 0),
            &desk.config,
        )
        .unwrap_or_else(|e| panic!("{typed:?} names {label}: {e}"));
        assert_eq!(view.label, label, "{typed:?}");
    }
}

/// #15: dates are entered day first on the staff screen's number pad.
#[test]
fn a_search_by_name_takes_the_birth_date_day_first() {
    let desk = desk();
    let booking = desk
        .store
        .find_appointment(&desk.codes[1])
        .expect("reads")
        .expect("cached");
    let applicant = &booking.appointment.applicants[0];
    let part = applicant.name.split_whitespace().next().expect("a name");
    let birth = applicant.birth_date;
    for typed in [
        birth.strftime("%d-%m-%Y").to_string(),
        birth.strftime("%d%m%Y").to_string(),
        birth.to_string(),
    ] {
        let found = bookings_matching(
            &desk.store,
            &BookingQuery::Applicant {
                name: part.to_lowercase(),
                birth_date: typed.clone(),
            },
            &at(9, 30, 0),
        )
        .unwrap_or_else(|e| panic!("{typed:?}: {e}"));
        assert!(
            found.iter().any(|b| b.booking_code == desk.codes[1]),
            "{typed:?}: {found:?}"
        );
    }
    let wrong = bookings_matching(
        &desk.store,
        &BookingQuery::Applicant {
            name: part.to_owned(),
            birth_date: "31-02-1990".into(),
        },
        &at(9, 30, 0),
    )
    .expect_err("no such day");
    assert_eq!(wrong.code(), "search_incomplete");
}

/// #15: a booking's QR scanned into the search field (a signed token) finds the booking.
#[test]
fn a_search_by_code_reads_a_scanned_token_and_logs_only_the_code() {
    let mut desk = desk();
    let booking = desk
        .store
        .find_appointment(&desk.codes[0])
        .expect("reads")
        .expect("cached");
    let a = &booking.appointment;
    let token = crate::demo::sign_demo_token(&serde_json::json!({
        "v": 1, "k": crate::demo::DEMO_KEY_ID, "b": a.booking_code, "o": desk.config.office.id,
        "d": a.date.to_string(), "s": "09:00", "e": "10:00", "n": 1, "svc": "baru",
        "iat": at(9, 0, 0).timestamp().as_second(),
    }));
    let session = signed_in(&mut desk, "ani", "1234", &at(9, 30, 0));
    let found = find_bookings(
        &mut desk.store,
        &session,
        &BookingQuery::Code {
            code: format!("{token}\r\n"),
        },
        &at(9, 30, 0),
    )
    .expect("finds");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].booking_code, desk.codes[0]);
    let (action, target) = desk.store.audit_actions_for_tests().pop().expect("audited");
    assert_eq!(action, "search");
    assert_eq!(target.as_deref(), Some(&*format!("code {}", desk.codes[0])));
}

/// #15: after a manual check-in the booking's card shows the new ticket numbers.
#[test]
fn the_booking_card_after_a_check_in_shows_its_tickets() {
    let mut desk = desk();
    let code = desk.codes[1].clone();
    let before = booking_card(&desk.store, &code, &at(9, 30, 0))
        .expect("reads")
        .expect("found");
    assert!(before.applicants.iter().all(|a| a.ticket.is_none()));
    let session = signed_in(&mut desk, "ani", "1234", &at(9, 30, 0));
    let (result, _) = staff_check_in(
        &mut desk.store,
        &session,
        &code,
        "kode tidak terbaca",
        false,
        &at(9, 31, 0),
        &desk.config,
    )
    .expect("checks in");
    let after = booking_card(&desk.store, &code, &at(9, 31, 0))
        .expect("reads")
        .expect("found");
    let mut shown: Vec<String> = after
        .applicants
        .iter()
        .map(|a| a.ticket.clone().expect("each applicant has a ticket"))
        .collect();
    let mut issued: Vec<String> = result.tickets.iter().map(|t| t.label.clone()).collect();
    shown.sort();
    issued.sort();
    assert_eq!(shown, issued);
}

#[test]
fn an_export_period_is_typed_day_first_and_refused_with_a_next_step() {
    let now = at(9, 30, 0);
    let range = staff_export_range("01-11-2026", "29/11/2026", &now).expect("a period");
    assert_eq!(range.from, jiff::civil::date(2026, 11, 1));
    assert_eq!(range.to, jiff::civil::date(2026, 11, 29));
    let today = staff_export_range(" ", "", &now).expect("empty is today");
    assert_eq!((today.from, today.to), (now.date(), now.date()));
    let iso = staff_export_range("2026-11-01", "", &now).expect("ISO still reads");
    assert_eq!(iso.from, jiff::civil::date(2026, 11, 1));

    let malformed = staff_export_range("31-11-2026", "", &now).expect_err("no 31 November");
    assert_eq!(malformed.code(), "date_malformed");
    assert!(malformed.next_step().id.contains("HH-BB-TTTT"));
    let reversed = staff_export_range("29-11-2026", "01-11-2026", &now).expect_err("reversed");
    assert_eq!(reversed.code(), "export_period_invalid");
    let too_long = staff_export_range("01-01-2025", "29-11-2026", &now).expect_err("too long");
    assert_eq!(too_long.code(), "export_period_invalid");
}

#[test]
fn the_staff_fields_take_the_core_limits_and_the_configured_queues() {
    let mut config = Config::default();
    config.queues.penggantian = "A".into();
    config.queues.priority = "PR".into();
    let inputs = staff_inputs(&config);
    assert_eq!(inputs.ticket_queues, ["A", "C", "PR"], "each queue once");
    assert!(crate::staff::pin_is_well_formed(
        &"1".repeat(inputs.pin_max)
    ));
    assert!(!crate::staff::pin_is_well_formed(
        &"1".repeat(inputs.pin_max + 1)
    ));
    assert!(crate::staff::pin_is_well_formed(
        &"1".repeat(inputs.pin_min)
    ));
    assert!(crate::model::is_booking_code(
        &"M".repeat(inputs.booking_code_chars)
    ));
    assert!(!crate::model::is_booking_code(
        &"M".repeat(inputs.booking_code_chars + 1)
    ));
    assert_eq!(
        crate::queue::typed_label(&format!("PR-{}", "1".repeat(inputs.ticket_chars - 3))),
        Some(format!("PR-{}", "1".repeat(inputs.ticket_chars - 3))),
        "the longest number the field takes is still read"
    );
}

/// #15: an export goes only to an offered place, and its answer names the place and says
/// whether the stick can be pulled out (the kiosk's own folder stays).
#[test]
fn an_export_goes_to_an_offered_place_and_says_whether_the_stick_can_be_removed() {
    let mut desk = desk();
    let usb = tempfile::tempdir().expect("usb");
    let stick = usb.path().join("STICK");
    std::fs::create_dir_all(&stick).expect("stick");
    desk.config.upstream.import_dirs = vec![usb.path().to_owned()];
    let now = at(17, 0, 0);
    let supervisor = signed_in(&mut desk, "budi", "98765", &now);
    let export = |desk: &mut Desk, dir: &std::path::Path| {
        export_report(
            &mut desk.store,
            &supervisor,
            "",
            "",
            dir,
            Some(Language::En),
            &now,
            &desk.config,
        )
    };

    let done = export(&mut desk, &stick).expect("exports to the stick");
    assert_eq!(
        (done.place.kind, done.place.name.as_str(), done.can_remove),
        (crate::folders::PlaceKind::Stick, "STICK", true)
    );
    assert_eq!(done.files.len(), 6);
    assert!(done
        .files
        .iter()
        .all(|f| std::path::Path::new(f).starts_with(&stick)));

    let own = crate::folders::own_exports_dir(&desk.config);
    let kept = export(&mut desk, &own).expect("exports to the kiosk's folder");
    assert_eq!(kept.place.kind, crate::folders::PlaceKind::Kiosk);
    assert!(!kept.can_remove, "nothing to pull out");

    let pulled_out = usb.path().join("GONE");
    let refused = export(&mut desk, &pulled_out).expect_err("not offered");
    assert_eq!(refused.code(), "export_place_gone");
    assert!(
        !pulled_out.exists(),
        "nothing written where it was not offered"
    );
}

/// #16: the desk's check-in prints at once and records how it went (the shell only carries
/// it), shows the card with the new numbers, and offers the override for `too_late` only.
#[test]
fn a_check_in_at_the_desk_is_printed_at_once_and_offers_the_override_only_when_too_late() {
    let mut desk = desk();
    let (late, on_time) = (desk.codes[0].clone(), desk.codes[1].clone());
    let session = signed_in(&mut desk, "ani", "1234", &at(9, 30, 0));
    let signals = crate::sync::SyncSignals::default();
    let store = std::sync::Mutex::new(&mut desk.store);
    let done = check_in_and_print(
        &store,
        &session,
        &on_time,
        "kode tidak terbaca",
        false,
        &signals,
        &at(9, 31, 0),
        &desk.config,
    )
    .expect("checks in");
    assert_eq!(done.result.verdict, Verdict::Ok);
    assert!(done.result.admits, "the screens read it, not the code list");
    assert!(!done.result.printing, "printed before the answer");
    assert_eq!(done.result.prints.len(), done.result.tickets.len());
    assert!(done
        .result
        .prints
        .iter()
        .all(|p| matches!(p, PrintOutcome::Printed { .. })));
    assert!(!done.may_override);
    let card = done.booking.expect("the booking's card");
    assert!(card.applicants.iter().all(|a| a.ticket.is_some()));
    let store = store.into_inner().expect("lock");
    let last = store.last_print().expect("reads").expect("recorded");
    assert_eq!(last.outcome, "printed");
    assert!(store
        .tickets_to_reprint(at(9, 31, 0).date())
        .expect("reads")
        .is_empty());

    let store = std::sync::Mutex::new(store);
    let refused = check_in_and_print(
        &store,
        &session,
        &late,
        "terlambat",
        false,
        &signals,
        &at(16, 0, 0),
        &desk.config,
    )
    .expect("answers");
    assert!(matches!(refused.result.verdict, Verdict::TooLate { .. }));
    assert!(refused.may_override, "staff may admit it with a reason");
    assert!(!refused.result.admits);
    assert!(refused.result.prints.is_empty());
}

/// #16: every supervisor tool asks through the audited check, the lists as well as the changes.
#[test]
fn a_front_desk_account_asking_for_the_supervisors_lists_is_refused_and_audited() {
    let mut desk = desk();
    let ani = signed_in(&mut desk, "ani", "1234", &at(9, 0, 0));
    let now = at(9, 1, 0);
    let refusals = [
        staff_accounts(&mut desk.store, &ani, &now).map(|_| ()),
        export_places(&mut desk.store, &ani, &now, &desk.config).map(|_| ()),
        crate::settings::settings_screen(&mut desk.store, &ani, &now, &desk.config).map(|_| ()),
    ];
    for refused in refusals {
        assert_eq!(
            refused.expect_err("front desk").code(),
            "staff_supervisor_only"
        );
    }
    let audited = desk.store.audit_actions_for_tests();
    assert_eq!(
        audited[audited.len() - 3..],
        [
            ("refused".into(), Some("staff_accounts".into())),
            ("refused".into(), Some("export_places".into())),
            ("refused".into(), Some("settings".into())),
        ]
    );
    let budi = signed_in(&mut desk, "budi", "98765", &now);
    let accounts = staff_accounts(&mut desk.store, &budi, &now).expect("a supervisor's");
    assert_eq!(accounts.len(), 2);
    assert!(!export_places(&mut desk.store, &budi, &now, &desk.config)
        .expect("a supervisor's")
        .is_empty());
}

/// #16: the staff screen gets the printer's own name as data, not by taking the description
/// apart.
#[test]
fn printer_health_names_the_printer_apart_from_its_kind() {
    let mut desk = desk();
    desk.config.printer.sink = crate::config::SinkKind::OsPdf;
    desk.config.printer.name = Some("Kasir:Depan".into());
    let health = printer_health(&desk.store, &at(9, 0, 0), &desk.config).expect("reads");
    assert_eq!(health.printer, "os_pdf:Kasir:Depan");
    assert_eq!(health.printer_name, "Kasir:Depan");
}
