//! `hadir walkin`: priority walk-ins from the shell, as the kiosk issues them: a ticket in the
//! priority lane printed at once, the day's quota and its refusal (exit status 3), the list, and
//! a walk-in's event in the outbox with nothing personal in it.

use std::process::Output;

use crate::common::{self, stdout_json, AT};

fn hadir(kiosk: &common::TempKiosk, args: &[&str]) -> Output {
    kiosk.hadir(AT).args(args).output().expect("hadir runs")
}

#[test]
fn a_walkin_is_printed_in_the_priority_lane_until_the_quota_is_used_up() {
    let kiosk = common::TempKiosk::new("", "[walkin]\ndaily_quota = 1\n");
    assert!(hadir(&kiosk, &["demo"]).status.success(), "demo fills");
    let state = stdout_json(&hadir(&kiosk, &["walkin", "state"]));
    assert_eq!(
        (state["remaining"].as_u64(), state["full"].as_bool()),
        (Some(1), Some(false))
    );

    let issued = hadir(&kiosk, &["walkin", "issue", "lansia", "baru"]);
    assert!(issued.status.success(), "{}", common::stderr(&issued));
    let result = stdout_json(&issued);
    assert_eq!(result["code"], "ok");
    let ticket = &result["tickets"][0];
    assert!(ticket["label"].as_str().expect("label").starts_with("P-"));
    assert!(ticket["ticket_id"]
        .as_str()
        .expect("id")
        .starts_with("walkin-"));
    let sink = result["prints"][0]["sink"].as_str().expect("printed");
    let pdf = std::fs::read(sink.trim_start_matches("pdf:")).expect("the ticket's PDF");
    assert!(pdf.starts_with(b"%PDF-"));

    let refused = hadir(&kiosk, &["walkin", "issue", "anak", "penggantian"]);
    assert_eq!(refused.status.code(), Some(3), "refused: exit status 3");
    let result = stdout_json(&refused);
    assert_eq!(result["code"], "walkin_quota_full");
    assert_eq!(result["tickets"].as_array().map(Vec::len), Some(0));
    assert_eq!(
        stdout_json(&hadir(&kiosk, &["walkin", "state"]))["full"],
        true
    );

    let bad = hadir(&kiosk, &["walkin", "issue", "remaja", "baru"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        common::stderr(&bad).contains("invalid_input") || common::stderr(&bad).contains("remaja")
    );

    let list = stdout_json(&hadir(&kiosk, &["walkin", "list"]));
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    let db = kiosk.database();
    let body: String = db
        .query_row("SELECT body FROM outbox WHERE kind = 'walkin'", [], |r| {
            r.get(0)
        })
        .expect("one walkin event");
    let event: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(event["category"], "lansia");
    assert!(event.get("booking_code").is_none() && event.get("name").is_none());
}
