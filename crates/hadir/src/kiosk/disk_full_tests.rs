//! A full disk under the kiosk's store (issue #20), in the core and on every platform: SQLite's
//! `max_page_count` stops the database growing, and SQLite then answers `SQLITE_FULL` exactly
//! as it does when the disk has no room. (`hadir-cli`'s `disk_full` tests make the OS itself
//! answer `ENOSPC`, at write and at commit.)

use super::testing::scan_checkin;
use super::*;
use crate::error::ErrorCode;
use crate::feed::FeedBody;
use crate::store::tests::fresh_store;

const BOOKINGS: usize = 400;

fn now() -> ZonedDateTime {
    jiff::civil::date(2026, 11, 29)
        .at(9, 30, 0, 0)
        .to_zoned_datetime(jiff::tz::TimeZone::get("Asia/Makassar").expect("tz"))
        .expect("zoned")
}

fn code(n: usize) -> String {
    format!("MPFULL{n:06}")
}

/// A full list of `BOOKINGS` bookings open at 09:30, one to three applicants each, all in
/// queue A (one counter to follow).
fn feed() -> FeedBody {
    let appointments: Vec<serde_json::Value> = (0..BOOKINGS)
        .map(|n| {
            let applicants: Vec<serde_json::Value> = (0..1 + n % 3)
                .map(|a| {
                    serde_json::json!({
                        "name": format!("PEMOHON PENUH {n} {a}"),
                        "birth_date": "1980-01-01",
                        "nik_last4": "0001",
                        "priority": null,
                    })
                })
                .collect();
            serde_json::json!({
                "booking_code": code(n), "date": "2026-11-29",
                "slot_start": "09:00", "slot_end": "10:00", "service": "baru",
                "express": false, "status": "booked", "applicants": applicants,
                "updated_at": "2026-11-28T14:03:11+08:00",
            })
        })
        .collect();
    let body = serde_json::json!({
        "office": "KANIM-KUPANG", "date": "2026-11-29", "full": true, "cursor": "full",
        "appointments": appointments, "revoked": [],
    });
    FeedBody::parse(body.to_string().as_bytes()).expect("a valid feed")
}

/// Checks in booking `n`: its ticket labels, or the error.
fn check_in(store: &mut Store, n: usize, config: &Config) -> Result<Vec<String>> {
    let (result, _) = scan_checkin(store, &code(n), Language::Id, &now(), config)?;
    assert_eq!(result.verdict, crate::checkin::Verdict::Ok, "booking {n}");
    Ok(result.tickets.iter().map(|t| t.label.clone()).collect())
}

/// Every row of a check-in or none: tickets, their facts and their outbox events match the
/// check-ins one to one, and SQLite finds nothing wrong.
fn assert_whole(store: &Store, when: &str) {
    assert_eq!(
        store.integrity_check().expect("check"),
        "ok",
        "{when}: integrity"
    );
    let count = |sql: &str| store.count_for_tests(sql).expect(sql);
    let checkins = count("SELECT COUNT(*) FROM checkins");
    assert_eq!(
        count("SELECT COUNT(*) FROM tickets"),
        checkins,
        "{when}: a ticket per check-in"
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM ticket_facts"),
        checkins,
        "{when}: the facts of every ticket"
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM outbox WHERE kind = 'checkin'"),
        checkins,
        "{when}: one outbox event per check-in"
    );
}

#[test]
fn a_full_disk_refuses_the_check_in_whole_and_the_numbers_go_on_after_it() {
    let (dir, mut store) = fresh_store();
    let mut config = Config::default();
    config.kiosk.data_dir = Some(dir.path().to_owned());
    store
        .apply_feed(&feed(), now().timestamp())
        .expect("feed applied");
    let mut issued = Vec::new();
    for n in 0..3 {
        issued.extend(check_in(&mut store, n, &config).expect("room on the disk"));
    }

    store.fill_disk_for_tests(true).expect("disk full");
    let mut refused_at = None;
    for n in 3..BOOKINGS {
        match check_in(&mut store, n, &config) {
            Ok(labels) => issued.extend(labels),
            Err(error) => {
                assert_eq!(
                    error.error_code(),
                    ErrorCode::DiskFull,
                    "a full disk has its own code: {error}"
                );
                assert_eq!(error.code(), "disk_full");
                refused_at = Some(n);
                break;
            }
        }
    }
    let refused = refused_at.expect("the disk filled up before the bookings ran out");
    assert_whole(&store, "right after the refusal");
    assert_eq!(
        store
            .tickets_for_booking(&code(refused), now().date())
            .expect("read")
            .len(),
        0,
        "nothing of the refused check-in was kept"
    );
    // Still full: the same booking is refused again, and nothing is consumed meanwhile.
    let again = check_in(&mut store, refused, &config).expect_err("still full");
    assert_eq!(again.error_code(), ErrorCode::DiskFull);
    assert_whole(&store, "after a second refusal");

    // Space returns: the same connection works again, no restart.
    store.fill_disk_for_tests(false).expect("room again");
    for n in refused..refused + 3 {
        issued.extend(check_in(&mut store, n, &config).expect("room again"));
    }
    assert_whole(&store, "after space returned");
    let expected: Vec<String> = (1..=issued.len())
        .map(|number| crate::queue::ticket_label("A", number as i64))
        .collect();
    assert_eq!(
        issued, expected,
        "every number once, in order: none lost to the refusals, none given twice"
    );
}

#[test]
fn only_a_check_in_that_was_written_ends_the_alarm() {
    use crate::disk_space::DiskFullWatch;

    let (dir, mut store) = fresh_store();
    let mut config = Config::default();
    config.kiosk.data_dir = Some(dir.path().to_owned());
    store
        .apply_feed(&feed(), now().timestamp())
        .expect("feed applied");
    let watch = DiskFullWatch::default();
    let scan = |store: &mut Store, text: &str| {
        super::testing::scan_with(store, text, Language::Id, Printing::Later, &now(), &config)
    };
    store.fill_disk_for_tests(true).expect("disk full");
    let mut n = 0;
    loop {
        let outcome = scan(&mut store, &code(n));
        watch.note("checkin", &outcome, now().timestamp());
        if outcome.is_err() {
            break;
        }
        n += 1;
        assert!(
            n < BOOKINGS,
            "the disk filled up before the bookings ran out"
        );
    }
    assert!(watch.raised(), "alarm up");

    // A mistyped code is refused and writes nothing: the disk is still full, the alarm stays.
    let refused = scan(&mut store, "MPZZZZZZZZ");
    assert!(refused.is_ok(), "a refusal is an answer, not an error");
    watch.note("checkin", &refused, now().timestamp());
    assert!(
        watch.raised(),
        "a refused scan proves nothing about the disk"
    );

    store.fill_disk_for_tests(false).expect("room again");
    let admitted = scan(&mut store, &code(n));
    watch.note("checkin", &admitted, now().timestamp());
    assert!(!watch.raised(), "a written check-in ends it");
}
