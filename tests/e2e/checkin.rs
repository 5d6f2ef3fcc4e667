use hadir_e2e::{click, pdf_text, scan, screenshot, text_of, TauriDriver, TestKiosk};

use crate::one_window;
use crate::screens::switch_to_english;

#[tokio::test(flavor = "current_thread")]
async fn scanning_a_booking_code_shows_the_number_records_it_and_writes_the_ticket() {
    let _turn = one_window().await;
    let kiosk = TestKiosk::with_demo_day();
    let code = kiosk.code_expecting("ok").to_owned();
    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;

    scan(&client, &code).await;
    hadir_e2e::wait_for_screen(&client, "result").await;
    let number = text_of(&client, "#result-tickets .ticket-number").await;
    let printed = hadir_e2e::wait_for_print(&client).await;
    screenshot(&client, "checkin-ok").await;
    let timing = hadir_e2e::last_scan_timing(&client).await;
    client.close().await.expect("session closes");

    // The page splits Enter -> number painted into its parts (BENCHMARKS.md, issue #19): the
    // backend's own time comes from the scan command and is part of the whole; the page's
    // clock is rounded to about 1 ms, so a part may read just under zero.
    let backend = timing.part("backend");
    assert!(
        backend > 0.0 && backend < timing.answer_ms,
        "the backend's time, within Enter -> painted ({} ms): {}",
        timing.answer_ms,
        timing.parts
    );
    for name in ["ipc", "dom", "first_frame", "second_frame"] {
        assert!(timing.part(name) >= -1.0, "{name}: {}", timing.parts);
    }
    assert!(
        number.starts_with("A-"),
        "a single baru applicant gets an A number: {number:?}"
    );
    assert_eq!(printed, "ok", "the screen says the ticket printed");
    let (label, applicants): (String, i64) = kiosk
        .database()
        .query_row(
            "SELECT t.label, (SELECT COUNT(*) FROM checkins WHERE booking_code = ?1)
             FROM tickets t JOIN checkins c ON c.id = t.checkin_id WHERE c.booking_code = ?1",
            [&code],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .expect("the check-in row is in the SQLite file");
    assert_eq!(
        label, number,
        "the screen shows the number the store issued"
    );
    assert_eq!(applicants, 1);

    let text = pdf_text(&kiosk.ticket_pdf(&number));
    assert!(text.contains(&number), "the PDF shows {number}: {text}");
}

#[tokio::test(flavor = "current_thread")]
async fn scanning_an_unknown_code_shows_the_refusal_in_bahasa_indonesia() {
    let _turn = one_window().await;
    let kiosk = TestKiosk::with_demo_day();
    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;

    scan(&client, "MPZZZZZZZZ").await;
    hadir_e2e::wait_for_screen(&client, "refusal").await;
    let code = hadir_e2e::screen_code(&client, "refusal").await;
    let title = text_of(&client, "#refusal-title").await;
    let next = text_of(&client, "#refusal-next").await;
    screenshot(&client, "checkin-not-found").await;
    client.close().await.expect("session closes");

    assert_eq!(code, "not_found");
    assert_eq!(title, "Kode pemesanan tidak ditemukan");
    assert!(
        next.contains("meja layanan"),
        "says where to go next: {next}"
    );
    let checkins = kiosk.checkins();
    assert_eq!(checkins, 0, "a refusal records no check-in");
}

/// The printed tickets of these labels, as one text (each read back from its PDF).
fn tickets_text(kiosk: &TestKiosk, labels: &[String]) -> Vec<String> {
    labels
        .iter()
        .map(|label| pdf_text(&kiosk.ticket_pdf(label)))
        .collect()
}

async fn texts_of(client: &fantoccini::Client, css: &str) -> Vec<String> {
    let value = client
        .execute(
            "return [...document.querySelectorAll(arguments[0])].map((e) => e.textContent);",
            vec![serde_json::json!(css)],
        )
        .await
        .expect("script runs");
    serde_json::from_value(value).expect("a list of texts")
}

/// Issue #15: a family sees how many tickets will print, and a booking in the priority lane
/// says "Prioritas" on the screen and on every printed ticket, whose QR is explained under it.
#[tokio::test(flavor = "current_thread")]
async fn a_priority_family_sees_its_ticket_count_and_prioritas_on_screen_and_paper() {
    let _turn = one_window().await;
    let kiosk = TestKiosk::with_demo_day();
    let code = kiosk.group_code().to_owned(); // three applicants, one of them elderly
    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;

    scan(&client, &code).await;
    hadir_e2e::wait_for_screen(&client, "result").await;
    let count = text_of(&client, "#result-count").await;
    let labels = texts_of(&client, "#result-tickets .ticket-number").await;
    let priority = texts_of(&client, "#result-tickets .ticket-priority").await;
    let printed = hadir_e2e::wait_for_print(&client).await;
    screenshot(&client, "result-group-priority").await;
    client.close().await.expect("session closes");

    assert_eq!(
        count, "3 tiket akan dicetak",
        "the family knows to take three"
    );
    assert_eq!(labels.len(), 3, "{labels:?}");
    assert!(labels.iter().all(|l| l.starts_with("P-")), "{labels:?}");
    assert_eq!(
        priority,
        ["Prioritas", "Prioritas", "Prioritas"],
        "every ticket of the priority lane says so"
    );
    assert_eq!(printed, "ok");
    for (label, text) in labels.iter().zip(tickets_text(&kiosk, &labels)) {
        assert!(text.contains(label.as_str()), "{label}: {text}");
        assert!(text.contains("PRIORITAS"), "{label} on paper: {text}");
        assert!(
            text.contains("menilai layanan") && text.contains("dilayani"),
            "under the QR: what it is for, after service: {text}"
        );
    }
}

/// Issue #15: the ticket is printed in the language the applicant used at the kiosk; the next
/// applicant, back in the office's language, gets a ticket in Bahasa Indonesia.
#[tokio::test(flavor = "current_thread")]
async fn the_ticket_is_printed_in_the_language_the_applicant_chose() {
    let _turn = one_window().await;
    let kiosk = TestKiosk::with_demo_day();
    let single = kiosk.code_expecting("ok").to_owned();
    let token = kiosk.token_expecting("ok").to_owned();
    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;

    switch_to_english(&client).await;
    scan(&client, &single).await;
    hadir_e2e::wait_for_screen(&client, "result").await;
    let english_label = text_of(&client, "#result-tickets .ticket-number").await;
    assert_eq!(hadir_e2e::wait_for_print(&client).await, "ok");
    click(&client, "#screen-result .done").await;
    hadir_e2e::wait_for_script(
        &client,
        "return document.documentElement.lang === 'id';",
        std::time::Duration::from_secs(5),
    )
    .await;
    scan(&client, &token).await;
    hadir_e2e::wait_for_screen(&client, "result").await;
    let indonesian_labels = texts_of(&client, "#result-tickets .ticket-number").await;
    assert_eq!(hadir_e2e::wait_for_print(&client).await, "ok");
    client.close().await.expect("session closes");

    let english = tickets_text(&kiosk, std::slice::from_ref(&english_label)).remove(0);
    for expected in [
        "QUEUE NUMBER",
        "Please take a seat",
        "rate how we served you",
    ] {
        assert!(
            english.contains(expected),
            "{expected} in English: {english}"
        );
    }
    for indonesian in ["NOMOR ANTREAN", "Silakan", "PASPOR", "menilai"] {
        assert!(!english.contains(indonesian), "{indonesian}: {english}");
    }
    for text in tickets_text(&kiosk, &indonesian_labels) {
        assert!(
            text.contains("NOMOR ANTREAN") && text.contains("menilai layanan"),
            "the next applicant's ticket is in Bahasa Indonesia: {text}"
        );
    }
}

/// A family whose tickets did not print is not told that three will come out: the screen says
/// to show the numbers at the front desk instead.
#[tokio::test(flavor = "current_thread")]
async fn a_family_whose_tickets_did_not_print_is_not_told_they_will() {
    let _turn = one_window().await;
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("listener");
    let address = closed.local_addr().expect("address");
    drop(closed); // a printer that is switched off
    let kiosk = TestKiosk::with_demo_day_and(&format!(
        "[printer]\nsink = \"escpos_tcp\"\naddress = \"{address}\"\ntimeout_ms = 500\n"
    ));
    let code = kiosk.group_code().to_owned();
    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;
    scan(&client, &code).await;
    hadir_e2e::wait_for_screen(&client, "result").await;
    let state = hadir_e2e::wait_for_print(&client).await;
    let count_shown = client
        .execute(
            "return !document.getElementById('result-count').hidden;",
            vec![],
        )
        .await
        .expect("script runs");
    client.close().await.expect("session closes");
    assert_eq!(state, "failed");
    assert_eq!(
        count_shown,
        serde_json::json!(false),
        "no \"3 tiket akan dicetak\" once the print failed"
    );
}
