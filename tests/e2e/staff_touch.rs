//! Staff mode by touch alone (#15): the kiosk has no keyboard, so every staff field is filled
//! here by tapping its on-screen keys, a scan into the search field runs the search, and each
//! answer appears next to the button pressed, inside the window.

use std::time::Duration;

use fantoccini::Client;
use hadir_e2e::{
    click, scan, screenshot, text_of, wait_for_script, TauriDriver, TestKiosk, UsbFolder,
};

use crate::one_window;
use crate::screens::quality_violations;

/// Taps `field`, then `keys` on the keys that open under it: a letter or digit is its own key,
/// a space the space key, a capital letter goes through the capitals key. Returns the field's
/// text afterwards.
pub(crate) async fn tap_into(client: &Client, field: &str, keys: &str) -> String {
    click(client, field).await;
    wait_for_script(
        client,
        &format!(
            "const f = document.querySelector({field:?}); \
             return f.dataset.keysOpen === 'true' && !!document.getElementById('touch-keys');"
        ),
        Duration::from_secs(5),
    )
    .await;
    for key in keys.chars() {
        if key == ' ' {
            click(client, "#touch-keys button[data-action='space']").await;
            continue;
        }
        let caps_on = client
            .execute(
                "const c = document.querySelector(\"#touch-keys button[data-action='caps']\"); \
                 return !!c && c.getAttribute('aria-pressed') === 'true';",
                vec![],
            )
            .await
            .expect("script runs");
        let wants_caps = key.is_ascii_uppercase();
        let has_caps_key = client
            .execute(
                "return !!document.querySelector(\"#touch-keys button[data-action='caps']\");",
                vec![],
            )
            .await
            .expect("script runs")
            == serde_json::Value::Bool(true);
        if has_caps_key && key.is_ascii_alphabetic() && (caps_on == true) != wants_caps {
            click(client, "#touch-keys button[data-action='caps']").await;
        }
        click(client, &format!("#touch-keys button[data-key='{key}']")).await;
    }
    value_of(client, field).await
}

pub(crate) async fn value_of(client: &Client, field: &str) -> String {
    let value = client
        .execute(
            &format!("return document.querySelector({field:?}).value;"),
            vec![],
        )
        .await
        .expect("script runs");
    value.as_str().unwrap_or_default().to_owned()
}

/// Waits for a feedback line's answer (`done`, `failed`, `info`) and returns its text.
pub(crate) async fn answer_in(client: &Client, line: &str, outcome: &str) -> String {
    wait_for_script(
        client,
        &format!(
            "const e = document.querySelector({line:?}); \
             return !!e && e.dataset.outcome === {outcome:?} && e.textContent !== '';"
        ),
        Duration::from_secs(20),
    )
    .await;
    text_of(client, line).await
}

/// Whether the element is on screen: inside the window, and what a finger at its centre would
/// touch (nothing laid over it). Also whether it is a live region a screen reader announces.
pub(crate) async fn on_screen(client: &Client, css: &str) -> (bool, bool) {
    let value = client
        .execute(
            &format!(
                "const e = document.querySelector({css:?}); \
                 const r = e.getBoundingClientRect(); \
                 const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2); \
                 const inside = r.height > 0 && r.top >= 0 && r.left >= 0 && \
                   r.bottom <= window.innerHeight && r.right <= window.innerWidth; \
                 const live = e.closest('[aria-live]'); \
                 return [inside && (hit === e || e.contains(hit)), \
                         !!live && live.getAttribute('aria-live') !== 'off'];"
            ),
            vec![],
        )
        .await
        .expect("script runs");
    (value[0] == true, value[1] == true)
}

#[tokio::test(flavor = "current_thread")]
async fn the_front_desk_fills_every_field_by_touch_and_sees_answers_beside_the_buttons() {
    let _turn = one_window().await;
    let kiosk = TestKiosk::with_demo_day();
    let code = kiosk.code_expecting("ok").to_owned();
    let group = kiosk.group_code().to_owned();
    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;

    let label = hadir_e2e::check_in_printed(&client, &code).await;
    hadir_e2e::open_staff_as(&client, &kiosk, "frontdesk").await;

    // A reprint: the reason and the ticket number typed on the keys, the number as "A1".
    let reason = tap_into(&client, "#staff-reason", "kertas macet").await;
    let queue = label.split('-').next().expect("a queue letter");
    let typed = tap_into(&client, "#reprint-ticket", &format!("{queue}1")).await;
    screenshot(&client, "staff-touch-ticket").await;
    click(&client, "#reprint-go").await;
    let reprinted = answer_in(&client, "#reprint-feedback", "done").await;
    let reprint_seen = on_screen(&client, "#reprint-feedback").await;
    let reason_after_reprint = value_of(&client, "#staff-reason").await;

    // A search by part of a name and the birth date, typed day first on the number pad.
    let (name, birth): (String, String) = kiosk
        .database()
        .query_row(
            "SELECT name, birth_date FROM applicants WHERE booking_code = ?1 LIMIT 1",
            [&group],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .expect("a family member");
    let part = name
        .split_whitespace()
        .next()
        .expect("a name")
        .to_lowercase();
    let birth = jiff::civil::Date::strptime("%Y-%m-%d", &birth).expect("a date");
    let typed_name = tap_into(&client, "#find-name", &part).await;
    let typed_birth = tap_into(
        &client,
        "#find-birth",
        &birth.strftime("%d%m%Y").to_string(),
    )
    .await;
    screenshot(&client, "staff-touch-date").await;
    click(&client, "#find-by-name").await;
    let found = answer_in(&client, "#find-feedback", "done").await;
    let card = format!("#find-results li[data-code='{group}']");
    wait_for_script(
        &client,
        &format!("return !!document.querySelector(\"{card}\");"),
        Duration::from_secs(10),
    )
    .await;

    // The check-in from that card, with a reason from the keys: the card shows the numbers.
    tap_into(&client, "#staff-reason", "kode rusak").await;
    screenshot(&client, "staff-touch-text").await;
    click(&client, &format!("{card} button[data-action='check-in']")).await;
    let checked_in = answer_in(&client, &format!("{card} .feedback"), "done").await;
    let checkin_seen = on_screen(&client, &format!("{card} .feedback")).await;
    let tickets_on_card = client
        .execute(
            &format!(
                "return [...document.querySelectorAll(\"{card} p[data-ticket]\")] \
                 .map((p) => p.dataset.ticket);"
            ),
            vec![],
        )
        .await
        .expect("script runs");
    let reason_after_checkin = value_of(&client, "#staff-reason").await;
    screenshot(&client, "staff-touch-checkin").await;

    // The family's QR scanned into the search field runs the search; checking them in again
    // answers in the officer's words, not the applicant's.
    client
        .execute(
            "document.getElementById('find-feedback').dataset.outcome = '';",
            vec![],
        )
        .await
        .expect("forgets the last answer");
    click(&client, "#find-code").await;
    let token = kiosk.demo_token(serde_json::json!({"b": group, "n": 3}));
    scan(&client, &token).await;
    wait_for_script(
        &client,
        &format!(
            "return document.querySelectorAll('#find-results li').length === 1 && \
             !!document.querySelector(\"{card}\");"
        ),
        Duration::from_secs(10),
    )
    .await;
    let scanned_search = answer_in(&client, "#find-feedback", "done").await;
    tap_into(&client, "#staff-reason", "cek").await;
    click(&client, &format!("{card} button[data-action='check-in']")).await;
    let again = answer_in(&client, &format!("{card} .feedback"), "info").await;
    client.close().await.expect("session closes");

    assert_eq!(reason, "kertas macet");
    assert_eq!(typed, format!("{queue}1"));
    assert_eq!(
        reprinted,
        format!("Salinan {label} tercetak."),
        "\"{queue}1\" is {label}"
    );
    assert_eq!(
        reprint_seen,
        (true, true),
        "the answer is beside the button, on screen and announced"
    );
    assert_eq!(reason_after_reprint, "", "the reason went with its action");
    assert_eq!(typed_name, part);
    assert_eq!(
        typed_birth,
        birth.strftime("%d-%m-%Y").to_string(),
        "the pad writes the dashes"
    );
    assert_eq!(found, "1 pemesanan ditemukan.");
    assert!(
        checked_in.starts_with("Check-in berhasil: P-"),
        "{checked_in}"
    );
    assert_eq!(
        checkin_seen,
        (true, true),
        "the check-in's answer is on its card"
    );
    let tickets: Vec<String> = serde_json::from_value(tickets_on_card).expect("a list");
    assert_eq!(tickets.len(), 3, "{tickets:?}");
    assert!(
        tickets.iter().all(|t| t.starts_with("P-")),
        "the card shows each applicant's new number: {tickets:?}"
    );
    assert_eq!(reason_after_checkin, "");
    assert_eq!(scanned_search, "1 pemesanan ditemukan.");
    assert!(
        again.starts_with("Sudah check-in hari ini, tiket: P-"),
        "staff wording: {again}"
    );
    assert!(!again.contains("Anda"), "not the applicant's text: {again}");

    let db = kiosk.database();
    let (reprint_reason, manual_reason): (String, String) = db
        .query_row(
            "SELECT (SELECT reason FROM audit WHERE action = 'reprint'),
                    (SELECT reason FROM staff_checkins WHERE kind = 'manual' LIMIT 1)",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .expect("reads");
    assert_eq!(
        (reprint_reason.as_str(), manual_reason.as_str()),
        ("kertas macet", "kode rusak")
    );
}

#[tokio::test(flavor = "current_thread")]
async fn a_supervisor_works_by_touch_on_a_1280x1024_screen_that_scrolls_to_every_button() {
    let _turn = one_window().await;
    let usb = UsbFolder::with_stick(&["kiosk", "STICK"]);
    let stick = usb.stick.clone();
    let kiosk = TestKiosk::with_demo_day_and(&usb.config_toml());
    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;
    hadir_e2e::resize(&client, 1280, 1024).await;
    hadir_e2e::open_staff_as(&client, &kiosk, "supervisor").await;
    wait_for_script(
        &client,
        "return document.querySelectorAll('#kiosk-settings li').length > 0;",
        Duration::from_secs(10),
    )
    .await;
    let overflow: Vec<String> = quality_violations(&client)
        .await
        .into_iter()
        .filter(|v| v.starts_with("content overflows"))
        .collect();

    // A new account: its name on the letter keys, its PIN on the number pad.
    let name = tap_into(&client, "#staff-new-name", "Citra").await;
    let pin_layout = {
        click(&client, "#staff-new-pin").await;
        text_of(&client, "#touch-keys").await;
        client
            .execute(
                "return document.getElementById('touch-keys').dataset.layout;",
                vec![],
            )
            .await
            .expect("script runs")
    };
    let pin = tap_into(&client, "#staff-new-pin", "4321").await;
    click(&client, "#staff-add-frontdesk").await;
    let added = answer_in(&client, "#accounts-feedback", "done").await;
    let added_seen = on_screen(&client, "#accounts-feedback").await;

    // An export period typed day first; an impossible day first, answered beside the list.
    tap_into(&client, "#export-from", "31112026").await;
    click(&client, "#export-look").await;
    let target = stick.display().to_string();
    let stick_button = format!("#export-dirs button[data-path={target:?}]");
    wait_for_script(
        &client,
        &format!("return !!document.querySelector({stick_button:?});"),
        Duration::from_secs(10),
    )
    .await;
    click(&client, &stick_button).await;
    let refused = answer_in(&client, "#export-feedback", "failed").await;
    let refused_seen = on_screen(&client, "#export-feedback").await;
    click(&client, "#export-from").await;
    for _ in 0.."31-11-2026".len() {
        click(&client, "#touch-keys button[data-action='backspace']").await;
    }
    let from = tap_into(&client, "#export-from", "28112026").await;
    let to = tap_into(&client, "#export-to", "29112026").await;
    screenshot(&client, "staff-touch-export").await;
    click(&client, &stick_button).await;
    let exported = answer_in(&client, "#export-feedback", "done").await;

    // Purge days on the number pad, confirmed.
    let days = {
        click(&client, "#purge-days").await;
        for _ in 0..4 {
            click(&client, "#touch-keys button[data-action='backspace']").await;
        }
        tap_into(&client, "#purge-days", "365").await
    };
    click(&client, "#purge-go").await;
    click(&client, "#staff-confirm button[data-action='confirm']").await;
    let purged = answer_in(&client, "#purge-feedback", "done").await;
    let purged_seen = on_screen(&client, "#purge-feedback").await;

    // The end of the panel: its last button can be scrolled to and nothing covers it.
    client
        .execute(
            "const s = document.getElementById('screen-staff'); s.scrollTop = s.scrollHeight;",
            vec![],
        )
        .await
        .expect("scrolls");
    let last_button = on_screen(&client, "#screen-staff > button.done").await;
    screenshot(&client, "staff-touch-bottom").await;
    let overflow_at_bottom: Vec<String> = quality_violations(&client)
        .await
        .into_iter()
        .filter(|v| v.starts_with("content overflows"))
        .collect();

    // Staff mode opened again starts at the top of the panel.
    click(&client, "#screen-staff > button.done").await;
    hadir_e2e::wait_for_screen(&client, "welcome").await;
    hadir_e2e::hold_office_name(&client).await;
    hadir_e2e::enter_pin(&client, "e2e-supervisor", "13579").await;
    hadir_e2e::wait_for_screen(&client, "staff").await;
    let reopened_at = client
        .execute(
            "return [document.getElementById('screen-staff').scrollTop, window.scrollY];",
            vec![],
        )
        .await
        .expect("script runs");
    client.close().await.expect("session closes");

    assert!(overflow.is_empty(), "the window fits: {overflow:?}");
    assert!(overflow_at_bottom.is_empty(), "{overflow_at_bottom:?}");
    assert_eq!(name, "Citra");
    assert_eq!(pin_layout, "digits", "a PIN gets the number pad");
    assert_eq!(pin, "4321");
    assert_eq!(added, "Tersimpan.");
    assert_eq!(added_seen, (true, true));
    assert!(
        refused.contains("date_malformed") && refused.contains("HH-BB-TTTT"),
        "{refused}"
    );
    assert_eq!(refused_seen, (true, true));
    assert_eq!((from.as_str(), to.as_str()), ("28-11-2026", "29-11-2026"));
    assert!(exported.contains("berkas ditulis"), "{exported}");
    assert_eq!(days, "365");
    assert!(purged.starts_with("Dihapus:"), "{purged}");
    assert_eq!(purged_seen, (true, true));
    assert!(last_button.0, "the last button is reachable");
    assert_eq!(
        reopened_at,
        serde_json::json!([0, 0]),
        "the panel opens at its top"
    );

    let written: Vec<String> = std::fs::read_dir(&stick)
        .expect("stick readable")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        written
            .iter()
            .any(|n| n.ends_with("2026-11-28_2026-11-29.pdf")),
        "the period typed: {written:?}"
    );
    let pin_hash: String = kiosk
        .database()
        .query_row(
            "SELECT pin_hash FROM staff WHERE name = 'Citra' AND role = 'frontdesk'",
            [],
            |row| row.get(0),
        )
        .expect("the account exists");
    assert!(hadir::staff::verify_pin("4321", &pin_hash));
    let purge_target: String = kiosk
        .database()
        .query_row(
            "SELECT target FROM audit WHERE action = 'purge'",
            [],
            |row| row.get(0),
        )
        .expect("the purge is audited");
    assert_eq!(purge_target, "before 2025-11-29", "365 days before the day");
}
