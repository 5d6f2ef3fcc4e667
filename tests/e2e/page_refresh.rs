//! The page's daily fresh web process (issue #19, `screens.page_refresh_at`): WebKitGTK's
//! per-key memory goes with the old process, the applicant finds the same welcome screen, and a
//! scan typed while the new page loads is held by the window and checked in.

use std::time::{Duration, Instant};

use hadir_e2e::{pdf_text, web_processes_of, x_scan, x_tap, x_window_of, TauriDriver, TestKiosk};

use crate::one_window;

#[tokio::test(flavor = "current_thread")]
async fn the_page_gets_a_fresh_web_process_when_due_and_a_scan_typed_meanwhile_is_checked_in() {
    let _turn = one_window().await;
    // The kiosk starts at 09:30:00 (KIOSK_AT); the refresh is due from 09:30:30 after 15 s
    // without use.
    let kiosk = TestKiosk::with_page_refresh("09:30:30", 15);
    let code = kiosk
        .code_where(|c| c.expect == "ok" && !c.booking_code.starts_with("MPQ1."))
        .to_owned();
    let log = kiosk.dir.path().join("kiosk.log");
    let driver = TauriDriver::start_logging_to(&log, "info");
    let client = driver.open(&kiosk).await;
    let app = kiosk.process();
    let window = x_window_of(app).expect("the kiosk has an X window");
    let first_page = web_processes_of(app);
    assert_eq!(first_page.len(), 1, "one web process for the page");

    // Watch for the old web process to end, then scan at once, as an applicant walking up
    // just then would: the keys reach the window while the new page loads.
    let deadline = Instant::now() + Duration::from_secs(90);
    while web_processes_of(app).contains(&first_page[0]) {
        assert!(
            Instant::now() < deadline,
            "the page was not refreshed within 90 s of start (log: {})",
            log.display()
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    x_scan(&window, &code);

    // WebKitWebDriver ends its session when the page's web process ends (it cannot tell a
    // refresh from a crash), so from here the test watches what the kiosk leaves: the store,
    // the printed ticket (the page prints only after the number is on screen), its processes.
    let deadline = Instant::now() + Duration::from_secs(30);
    while bookings_checked_in(&kiosk) < 1 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(
        bookings_checked_in(&kiosk),
        1,
        "the held scan was checked in once"
    );
    let number: String = kiosk
        .database()
        .query_row(
            "SELECT t.label FROM tickets t JOIN checkins c ON c.id = t.checkin_id \
             WHERE c.booking_code = ?1",
            [&code],
            |row| row.get(0),
        )
        .expect("its ticket");
    assert!(number.starts_with("A-"), "{number}");
    let deadline = Instant::now() + Duration::from_secs(15);
    while kiosk.ticket_pdfs(&number).is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    let ticket = kiosk.ticket_pdf(&number);
    assert!(
        pdf_text(&ticket).contains(&number),
        "the result screen printed {number}"
    );
    let new_page = web_processes_of(app);
    assert!(
        new_page.len() == 1 && !new_page.contains(&first_page[0]),
        "a new web process serves the page: {first_page:?} -> {new_page:?}"
    );
    // The new page takes a scanner's keys as the old one did.
    let next = kiosk
        .code_where(|c| {
            c.expect == "ok" && c.booking_code != code && !c.booking_code.starts_with("MPQ1.")
        })
        .to_owned();
    let deadline = Instant::now() + Duration::from_secs(30);
    x_scan(&window, &next);
    while bookings_checked_in(&kiosk) < 2 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(
        bookings_checked_in(&kiosk),
        2,
        "a scan after the refresh is checked in too: {:?}",
        checked_in(&kiosk)
    );
    let _ = client.close().await; // its session is gone already
    let text = std::fs::read_to_string(&log).expect("the kiosk's log");
    assert!(
        text.contains("page refresh: a fresh web process"),
        "the log says why the page restarted: {text}"
    );
    // The keys came while the page loaded: the window held them (all of them here; on a
    // slower machine the page may start mid-code, and its own keys follow the held ones).
    let held = text
        .lines()
        .find_map(|line| {
            line.split("page refresh: ")
                .nth(1)?
                .strip_suffix(" key(s) held while the page loaded, handed to it")
        })
        .and_then(|count| count.trim().parse::<usize>().ok());
    assert!(
        held.is_some_and(|keys| (1..=code.chars().count() + 1).contains(&keys)),
        "the window held the code's first keys for the new page: {held:?} {text}"
    );
}

/// Bookings with a check-in (a group booking checks in each of its applicants).
fn bookings_checked_in(kiosk: &TestKiosk) -> i64 {
    kiosk
        .database()
        .query_row(
            "SELECT COUNT(DISTINCT booking_code) FROM checkins",
            [],
            |row| row.get(0),
        )
        .expect("count")
}

fn checked_in(kiosk: &TestKiosk) -> Vec<(String, String)> {
    let db = kiosk.database();
    let mut statement = db
        .prepare("SELECT booking_code, at FROM checkins")
        .expect("query");
    statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .expect("rows")
        .map(|row| row.expect("row"))
        .collect()
}

#[tokio::test(flavor = "current_thread")]
async fn a_person_tapping_on_the_manual_entry_is_never_refreshed_away() {
    let _turn = one_window().await;
    // Due from 09:30:10 after 20 s without use; the manual entry sends no command while someone
    // taps its keys, so only the window's count of taps keeps the page. (X gives pointer clicks;
    // a touch screen's own touch events take the same path in the window but are not made here.)
    let kiosk = TestKiosk::with_page_refresh("09:30:10", 20);
    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;
    let app = kiosk.process();
    let first_page = web_processes_of(app);
    let window = x_window_of(app).expect("the kiosk has an X window");
    x_tap(&client, &window, "#manual-open").await;
    // 40 s of a slow typist: a key every 5 s, past the refresh time and far past the quiet spell.
    for _ in 0..8 {
        x_tap(&client, &window, "#manual-keys button[data-key='7']").await;
        tokio::time::sleep(Duration::from_secs(5)).await;
        assert_eq!(
            web_processes_of(app),
            first_page,
            "no refresh while someone taps on the screen"
        );
    }
    let typed = client
        .execute("return kiosk.manualCode;", vec![])
        .await
        .expect("the same page answers");
    assert_eq!(
        typed.as_str(),
        Some("77777777"),
        "every tap reached the page"
    );
    // Left alone, the page is refreshed once the quiet spell has passed.
    let deadline = Instant::now() + Duration::from_secs(60);
    while web_processes_of(app) == first_page {
        assert!(
            Instant::now() < deadline,
            "the page was refreshed once nobody touched it"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let _ = client.close().await; // its session ended with the old web process
}
