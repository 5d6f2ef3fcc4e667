//! The satisfaction survey in the real window: the QR printed on a ticket, scanned at the
//! kiosk, opens five questions with faces; the rating is stored once, and a second scan of the
//! same ticket is refused politely.

use std::time::Duration;

use hadir_e2e::{
    click, qr_on_pdf, scan, screenshot, text_of, wait_for_script, TauriDriver, TestKiosk,
};

use crate::one_window;
use crate::screens::quality_violations;

async fn answer_every_question(client: &fantoccini::Client, score: u8, questions: usize) {
    for n in 1..=questions {
        wait_for_script(
            client,
            &format!(
                "return document.body.dataset.screen === 'survey' && \
                 document.getElementById('survey-progress').textContent.startsWith('Pertanyaan {n} ');"
            ),
            Duration::from_secs(10),
        )
        .await;
        if n == 1 {
            screenshot(client, "survey-question").await;
            let violations = quality_violations(client).await;
            assert!(violations.is_empty(), "survey question: {violations:?}");
        }
        click(
            client,
            &format!("#survey-faces .face[data-score='{score}']"),
        )
        .await;
    }
}

#[tokio::test(flavor = "current_thread")]
async fn a_ticket_qr_opens_the_survey_once_and_the_rating_is_stored() {
    let _turn = one_window().await;
    // The test rates seconds after the ticket's issue; a real applicant rates after service.
    let kiosk = TestKiosk::with_demo_day_and("[survey]\nearliest_after_issue_minutes = 0\n");
    let code = kiosk.code_expecting("ok").to_owned();
    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;

    let label = hadir_e2e::check_in_printed(&client, &code).await;

    // What the applicant holds: the QR printed on their ticket, read back from the PDF.
    let pdf = kiosk.ticket_pdf(&label);
    let ticket_qr = qr_on_pdf(&pdf);
    assert!(ticket_qr.starts_with("HADIR-TIKET:"), "{ticket_qr}");

    scan(&client, &ticket_qr).await;
    answer_every_question(&client, 4, 5).await;
    hadir_e2e::wait_for_screen(&client, "survey-comment").await;
    for key in ["B", "A", "I", "K"] {
        click(
            &client,
            &format!(
                "#comment-keys .key:nth-child({})",
                key.as_bytes()[0] - b'A' + 1
            ),
        )
        .await;
    }
    screenshot(&client, "survey-comment").await;
    let comment_violations = quality_violations(&client).await;
    click(&client, "#comment-send").await;
    hadir_e2e::wait_for_screen(&client, "survey-thanks").await;
    let thanks = text_of(&client, "#screen-survey-thanks h1").await;
    screenshot(&client, "survey-thanks").await;
    let thanks_violations = quality_violations(&client).await;
    click(&client, "#screen-survey-thanks .done").await;

    scan(&client, &ticket_qr).await;
    hadir_e2e::wait_for_screen(&client, "refusal").await;
    let refused = hadir_e2e::screen_code(&client, "refusal").await;
    let next = text_of(&client, "#refusal-next").await;
    let tone = hadir_e2e::screen_tone(&client, "refusal").await;
    screenshot(&client, "survey-already-rated").await;
    client.close().await.expect("session closes");

    assert!(
        comment_violations.is_empty(),
        "comment: {comment_violations:?}"
    );
    assert!(
        thanks_violations.is_empty(),
        "thanks: {thanks_violations:?}"
    );
    assert_eq!(thanks, "Terima kasih!");
    assert_eq!(refused, "already_rated", "one rating per ticket");
    assert_eq!(
        tone, "info",
        "already rated is information, not an alarm (#15)"
    );
    assert!(next.contains("satu kali"), "says why: {next}");
    let (scores, comment, flags, ratings): (String, Option<String>, String, i64) = kiosk
        .database()
        .query_row(
            "SELECT r.scores, r.comment, r.flags, (SELECT COUNT(*) FROM ratings)
             FROM ratings r JOIN tickets t ON t.id = r.ticket_id WHERE t.label = ?1",
            [&label],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
        )
        .expect("the rating is in the SQLite file");
    assert_eq!(ratings, 1, "the second scan wrote nothing");
    let scores: serde_json::Value = serde_json::from_str(&scores).expect("scores are JSON");
    for element in hadir::survey::SERVQUAL.elements {
        assert_eq!(
            scores[element], 4,
            "{element} answered with the fourth face"
        );
    }
    assert_eq!(comment.as_deref(), Some("BAIK"));
    // A test clicks five faces in well under 6 s: flagged as too fast, kept, never refused.
    assert_eq!(flags, "[\"too_fast\"]");
}

#[tokio::test(flavor = "current_thread")]
async fn an_unknown_ticket_qr_is_refused_with_a_next_step() {
    let _turn = one_window().await;
    let kiosk = TestKiosk::with_demo_day();
    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;
    scan(&client, "HADIR-TIKET:0123456789abcdef0123456789abcdef").await;
    hadir_e2e::wait_for_screen(&client, "refusal").await;
    let code = hadir_e2e::screen_code(&client, "refusal").await;
    let next = text_of(&client, "#refusal-next").await;
    screenshot(&client, "survey-unknown-ticket").await;
    client.close().await.expect("session closes");
    assert_eq!(code, "unknown_ticket");
    assert!(next.contains("meja layanan"), "{next}");
}

/// Issue #15: a ticket scanned for the survey right after it was printed (the applicant has not
/// been served) is asked, calmly, to come back after service; nothing is recorded.
#[tokio::test(flavor = "current_thread")]
async fn a_fresh_ticket_is_asked_to_come_back_after_service() {
    let _turn = one_window().await;
    let kiosk = TestKiosk::with_demo_day(); // the default wait: 5 minutes after issue
    let code = kiosk.code_expecting("ok").to_owned();
    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;

    let label = hadir_e2e::check_in_printed(&client, &code).await;
    let pdf = kiosk.ticket_pdf(&label);
    scan(&client, &qr_on_pdf(&pdf)).await;
    hadir_e2e::wait_for_screen(&client, "refusal").await;
    let code = hadir_e2e::screen_code(&client, "refusal").await;
    let title = text_of(&client, "#refusal-title").await;
    let next = text_of(&client, "#refusal-next").await;
    let tone = hadir_e2e::screen_tone(&client, "refusal").await;
    screenshot(&client, "survey-too-soon").await;
    let violations = quality_violations(&client).await;
    client.close().await.expect("session closes");

    assert_eq!(code, "too_soon");
    assert_eq!(tone, "info", "not served yet is information, not an alarm");
    assert!(title.contains("setelah Anda dilayani"), "{title}");
    assert!(next.contains("lagi"), "says to come back: {next}");
    assert!(violations.is_empty(), "too soon: {violations:?}");
    let ratings: i64 = kiosk
        .database()
        .query_row("SELECT COUNT(*) FROM ratings", [], |row| row.get(0))
        .expect("count ratings");
    assert_eq!(ratings, 0, "nothing recorded");
}
