//! A network receipt printer out of paper, in the real window (issue #7): the applicant keeps
//! the number and is sent to the front desk, staff are told to load paper and reprint from the
//! list, and the kiosk prints again as soon as the printer does.

use std::time::Duration;

use fake_upstream::escpos_printer::{EscposPrinter, PrinterMode};
use hadir_e2e::{
    click, open_staff_as, repo_root, scan, screenshot, text_of, wait_for_print, wait_for_screen,
    wait_for_script, TauriDriver, TestKiosk,
};

use crate::one_window;

async fn printer_icon_shown(client: &fantoccini::Client) -> bool {
    client
        .execute(
            "return !document.getElementById('status-printer').hidden;",
            vec![],
        )
        .await
        .expect("script runs")
        == serde_json::Value::Bool(true)
}

#[tokio::test(flavor = "current_thread")]
async fn a_printer_out_of_paper_keeps_the_check_in_and_prints_again_once_refilled() {
    let _turn = one_window().await;
    let printer = EscposPrinter::start(PrinterMode::PaperOut).expect("stand-in printer starts");
    let kiosk = TestKiosk::with_demo_day_and(&format!(
        "[printer]\nsink = \"escpos_tcp\"\naddress = \"{}\"\ntimeout_ms = 2000\n",
        printer.address()
    ));
    let singles: Vec<String> = kiosk
        .try_codes
        .iter()
        .filter(|c| c.expect == "ok" && !c.what.starts_with("family") && !c.what.contains("two"))
        .map(|c| c.booking_code.clone())
        .collect();
    assert!(singles.len() >= 2, "two one-applicant demo codes");
    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;

    // Paper out: the number stands and the applicant is sent to the front desk.
    scan(&client, &singles[0]).await;
    wait_for_screen(&client, "result").await;
    let first = text_of(&client, "#result-tickets .ticket-number").await;
    let state = wait_for_print(&client).await;
    let print = text_of(&client, "#result-print").await;
    let icon_after_failure = printer_icon_shown(&client).await;
    screenshot(&client, "printer-paper-out").await;
    let checkins_after_failure = kiosk.checkins();
    let jobs_while_out = printer.jobs().len();

    // Staff see what to do and the ticket to reprint.
    click(&client, "#screen-result .done").await;
    open_staff_as(&client, &kiosk, "frontdesk").await;
    wait_for_script(
        &client,
        "return document.getElementById('printer-health').dataset.check === 'paper';",
        Duration::from_secs(10),
    )
    .await;
    let health = text_of(&client, "#printer-health").await;
    let reprint_button = format!("#failed-prints button[data-label={first:?}]");
    wait_for_script(
        &client,
        &format!("return !!document.querySelector({reprint_button:?});"),
        Duration::from_secs(10),
    )
    .await;
    client
        .execute(
            "document.getElementById('printer-health').scrollIntoView({block: 'center'});",
            vec![],
        )
        .await
        .expect("scrolls");
    screenshot(&client, "staff-printer-paper-out").await;
    click(&client, "#staff-sign-out").await;
    wait_for_screen(&client, "welcome").await;

    // Paper loaded: the next applicant's ticket prints.
    printer.set_mode(PrinterMode::Healthy);
    scan(&client, &singles[1]).await;
    wait_for_screen(&client, "result").await;
    let second = text_of(&client, "#result-tickets .ticket-number").await;
    let state_after_refill = wait_for_print(&client).await;
    let icon_after_refill = printer_icon_shown(&client).await;
    let jobs = printer.wait_for_jobs(1, Duration::from_secs(10));
    client.close().await.expect("session closes");

    assert!(first.starts_with("A-"), "the number is on screen: {first}");
    assert_eq!(state, "failed");
    assert!(
        print.contains("meja layanan"),
        "says to go to the front desk, nothing alarming: {print}"
    );
    assert!(
        icon_after_failure,
        "the staff corner shows the printer icon"
    );
    assert_eq!(checkins_after_failure, 1, "the check-in stands");
    assert_eq!(
        jobs_while_out, 0,
        "no job went to a printer without paper (it would print late)"
    );
    assert!(
        health.contains("Kertas habis") && health.contains("printer_paper_out"),
        "staff are told to load paper: {health}"
    );
    assert_ne!(second, first);
    assert_eq!(state_after_refill, "ok", "printed once the paper is in");
    assert!(!icon_after_refill, "the printer icon goes away");
    assert_eq!(kiosk.checkins(), 2);
    assert_eq!(jobs.len(), 1, "the printer got the second ticket");
    assert!(
        hadir::print::decode_raster(&jobs[0]).is_some(),
        "a whole raster"
    );
}

/// Every advice the core can give staff about the printer has words in both languages.
#[test]
fn every_printer_advice_has_staff_text() {
    for lang in ["id", "en"] {
        let path = repo_root()
            .join("ui")
            .join("i18n")
            .join(format!("{lang}.json"));
        let texts: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("i18n file"))
                .expect("JSON");
        for reason in hadir::print::FAILURE_REASONS {
            let key = format!(
                "staff.printer.check.{}",
                hadir::print::what_to_check(reason)
            );
            assert!(texts.get(&key).is_some(), "{lang}: {key} for {reason}");
        }
    }
}
