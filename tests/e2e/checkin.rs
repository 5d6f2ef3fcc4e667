use hadir_e2e::{pdf_text, scan, screenshot, text_of, TauriDriver, TestKiosk};

use crate::one_window;

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
    client.close().await.expect("session closes");

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

    let pdf_dir = kiosk.config.pdf_dir();
    let pdf = kiosk
        .ticket_pdfs(&number)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("a ticket PDF for {number} under {}", pdf_dir.display()));
    let text = pdf_text(&pdf);
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
