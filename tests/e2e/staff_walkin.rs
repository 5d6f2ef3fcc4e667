//! Priority walk-ins at the front desk (#17), by touch alone: staff issue a walk-in ticket for
//! the person in front of them (printed at once), issue one past a full quota only with a
//! reason (audited), and turn one away at the counter after a confirmation; the quota gives the
//! place back only when the supervisor's setting says so. The panel meets the quality bar at
//! the three screen sizes.

use std::time::Duration;

use fantoccini::Client;
use hadir_e2e::{
    click, pdf_text, resize, screenshot, text_of, wait_for_script, TauriDriver, TestKiosk,
};

use crate::one_window;
use crate::screens::quality_violations;
use crate::staff_touch::{answer_in, on_screen, tap_into, value_of};

/// A kiosk whose walk-in quota is one a day: the second walk-in finds it full.
const ONE_A_DAY: &str = "[walkin]\ndaily_quota = 1\n";

/// Waits until the walk-in panel shows today's figures (its group buttons are drawn).
async fn panel_ready(client: &Client) {
    wait_for_script(
        client,
        "return !document.getElementById('desk-walkin').hidden && \
         document.querySelectorAll('#desk-walkin-categories button').length > 0;",
        Duration::from_secs(10),
    )
    .await;
}

/// Scrolls `css` to the middle of the staff screen, as a person scrolls to what they want to
/// tap, then taps it (WebDriver's own scrolling may leave it under the screen's top padding).
async fn tap(client: &Client, css: &str) {
    client
        .execute(
            &format!("document.querySelector({css:?}).scrollIntoView({{block: 'center'}});"),
            vec![],
        )
        .await
        .unwrap_or_else(|e| panic!("no element {css}: {e}"));
    click(client, css).await;
}

/// Taps a group and a service, as an officer would.
async fn choose(client: &Client, category: &str, service: &str) {
    tap(
        client,
        &format!("#desk-walkin-categories button[data-category='{category}']"),
    )
    .await;
    tap(
        client,
        &format!("#desk-walkin-services button[data-service='{service}']"),
    )
    .await;
}

/// Brings the panel's top into view, for a screenshot of it.
async fn show_panel(client: &Client) {
    client
        .execute(
            "document.getElementById('desk-walkin').scrollIntoView({block: 'start'});",
            vec![],
        )
        .await
        .expect("scrolls");
}

/// Forgets a feedback line's last answer, so the next wait sees the next one.
async fn forget(client: &Client, line: &str) {
    client
        .execute(
            &format!("document.querySelector({line:?}).dataset.outcome = '';"),
            vec![],
        )
        .await
        .expect("script runs");
}

async fn quota_line(client: &Client) -> (String, serde_json::Value) {
    let full = client
        .execute(
            "return document.getElementById('desk-walkin-quota').dataset.full;",
            vec![],
        )
        .await
        .expect("script runs");
    (text_of(client, "#desk-walkin-quota").await, full)
}

/// The walk-in row of `label` in today's list.
fn row(label: &str) -> String {
    format!("#desk-walkin-list li[data-label='{label}']")
}

/// The labels of today's list, top first.
async fn listed(client: &Client) -> Vec<String> {
    let labels = client
        .execute(
            "return [...document.querySelectorAll('#desk-walkin-list li[data-label]')] \
             .map((li) => li.dataset.label);",
            vec![],
        )
        .await
        .expect("script runs");
    serde_json::from_value(labels).expect("a list")
}

#[tokio::test(flavor = "current_thread")]
async fn the_front_desk_issues_walk_ins_by_touch_past_a_full_quota_only_with_a_reason() {
    let _turn = one_window().await;
    let kiosk = TestKiosk::with_demo_day_and(ONE_A_DAY);
    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;
    hadir_e2e::open_staff_as(&client, &kiosk, "frontdesk").await;
    panel_ready(&client).await;
    let before = quality_line_and_groups(&client).await;
    // Before a group is chosen the services show no figures (they may be another group's).
    let figures_before_group = client
        .execute(
            "return document.querySelectorAll('#desk-walkin-services .desk-choice-left').length;",
            vec![],
        )
        .await
        .expect("script runs");

    // A person aged 70 at the desk: group and service on the large buttons, then print.
    choose(&client, "lansia", "baru").await;
    let figures_after_group = client
        .execute(
            "return document.querySelectorAll('#desk-walkin-services .desk-choice-left').length;",
            vec![],
        )
        .await
        .expect("script runs");
    show_panel(&client).await;
    screenshot(&client, "staff-walkin-choose").await;
    tap(&client, "#desk-walkin-issue").await;
    let issued = answer_in(&client, "#desk-walkin-feedback", "done").await;
    let issued_seen = on_screen(&client, "#desk-walkin-feedback").await;
    let first = listed(&client).await;
    let after_first = quota_line(&client).await;
    let full_marks = text_of(&client, "#desk-walkin-categories").await;
    assert_eq!(figures_before_group, serde_json::json!(0));
    assert_ne!(
        figures_after_group,
        serde_json::json!(0),
        "the chosen group's figures"
    );

    // The next one finds the quota used up: refused, and "issue anyway" is offered.
    choose(&client, "anak", "hilang_rusak").await;
    tap(&client, "#desk-walkin-issue").await;
    let refused = answer_in(&client, "#desk-walkin-feedback", "failed").await;
    let override_offered = on_screen(&client, "#desk-walkin-override").await;
    screenshot(&client, "staff-walkin-full").await;
    // Without a reason the core refuses and says what to do.
    forget(&client, "#desk-walkin-feedback").await;
    tap(&client, "#desk-walkin-override").await;
    let no_reason = answer_in(&client, "#desk-walkin-feedback", "failed").await;
    // With one, typed on the letter keys under the field.
    let reason = tap_into(&client, "#desk-walkin-reason", "ibu sakit berat").await;
    forget(&client, "#desk-walkin-feedback").await;
    tap(&client, "#desk-walkin-override").await;
    let overridden = answer_in(&client, "#desk-walkin-feedback", "done").await;
    let reason_after = value_of(&client, "#desk-walkin-reason").await;
    screenshot(&client, "staff-walkin-override").await;
    let both = listed(&client).await;
    let over_quota_row = text_of(&client, &row(&both[0])).await;

    // Turning the first one away (wrong group): a preset reason, the question, "Ya, tolak".
    tap(
        &client,
        "#desk-walkin-reason-presets button[data-preset='wrong_category']",
    )
    .await;
    let away = row(&first[0]);
    tap(&client, &format!("{away} button[data-action='turn-away']")).await;
    wait_for_script(
        &client,
        "return !!document.getElementById('staff-confirm');",
        Duration::from_secs(5),
    )
    .await;
    let question = text_of(&client, "#staff-confirm-text").await;
    let asked_violations = quality_violations(&client).await;
    screenshot(&client, "staff-walkin-turn-away-confirm").await;
    tap(&client, "#staff-confirm button[data-action='confirm']").await;
    let turned = answer_in(&client, &format!("{away} .feedback"), "done").await;
    let turned_seen = on_screen(&client, &format!("{away} .feedback")).await;
    let gone = text_of(&client, &format!("{away} .desk-walkin-gone")).await;
    let after_turn_away = quota_line(&client).await;
    let turn_away_button_left = client
        .execute(
            &format!(
                "return !!document.querySelector(\"{away} button[data-action='turn-away']\");"
            ),
            vec![],
        )
        .await
        .expect("script runs");
    screenshot(&client, "staff-walkin-turned-away").await;
    client.close().await.expect("session closes");

    assert_eq!(before.0, "Sisa kuota hari ini: 1", "one a day, none used");
    assert!(before.1.contains("Lansia"), "{}", before.1);
    assert_eq!(first.len(), 1, "{first:?}");
    let label = &first[0];
    assert!(label.starts_with("P-"), "the priority lane: {label}");
    assert_eq!(
        issued,
        format!("Tiket tanpa pemesanan: {label}. Tiket tercetak."),
        "the core's words for the officer"
    );
    assert_eq!(issued_seen, (true, true), "beside the button, announced");
    assert_eq!(
        after_first,
        (
            "Kuota hari ini habis. Melewati kuota hanya dengan alasan.".to_owned(),
            serde_json::json!("true")
        )
    );
    assert!(
        full_marks.contains("penuh"),
        "the buttons say so: {full_marks}"
    );
    let ticket = pdf_text(&kiosk.ticket_pdf(label));
    assert!(
        ticket.contains("Tanpa pemesanan") && ticket.contains("KTP/dokumen di loket"),
        "the paper says it is a walk-in: {ticket}"
    );
    assert_eq!(
        refused,
        "Kuota tanpa pemesanan hari ini habis. Melewati kuota hanya dengan alasan."
    );
    assert!(override_offered.0, "\"issue anyway\" is on screen");
    assert!(
        no_reason.contains("staff_reason_required") && no_reason.contains("Tulis alasan"),
        "{no_reason}"
    );
    assert_eq!(reason, "ibu sakit berat");
    let second = &both[0];
    assert_eq!(
        overridden,
        format!("Tiket tanpa pemesanan di luar kuota (alasan dicatat): {second}. Tiket tercetak.")
    );
    assert_eq!(reason_after, "", "the reason went with its action");
    assert_eq!(both.len(), 2, "newest first: {both:?}");
    assert_eq!(&both[1], label);
    assert!(
        over_quota_row.contains("oleh staf") && over_quota_row.contains("di luar kuota"),
        "{over_quota_row}"
    );
    assert_eq!(
        question,
        format!("Tolak {label} di loket? Tiket ini tidak akan dilayani.")
    );
    assert!(asked_violations.is_empty(), "{asked_violations:?}");
    assert_eq!(
        turned,
        format!("{label} ditolak di loket; tempatnya tetap terpakai (pengaturan).")
    );
    assert_eq!(turned_seen, (true, true));
    assert!(gone.contains("tempatnya tetap terpakai"), "{gone}");
    assert_eq!(
        after_turn_away.1,
        serde_json::json!("true"),
        "the place stays used by default"
    );
    assert_eq!(turn_away_button_left, serde_json::json!(false));

    let db = kiosk.database();
    let (action, target, why): (String, String, String) = db
        .query_row(
            "SELECT action, target, reason FROM audit WHERE action = 'walkin_override'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("the override is audited");
    assert_eq!(
        (action.as_str(), target.as_str(), why.as_str()),
        ("walkin_override", second.as_str(), "ibu sakit berat")
    );
    let (refusals, turn_away_reason): (i64, String) = db
        .query_row(
            "SELECT (SELECT COUNT(*) FROM audit WHERE action = 'walkin_refused'), \
                    (SELECT reason FROM audit WHERE action = 'walkin_turn_away')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("audit rows");
    assert_eq!(refusals, 1, "the refusal at a full quota is audited");
    assert_eq!(turn_away_reason, "Bukan kelompok prioritas");
    let rows: Vec<(String, String, i64, i64, bool)> = db
        .prepare(
            "SELECT category, service, staff_id IS NOT NULL, over_quota, turned_away_at IS NOT NULL \
             FROM walkins ORDER BY checkin_id",
        )
        .expect("prepares")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
        .expect("reads")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert_eq!(
        rows,
        vec![
            ("lansia".into(), "baru".into(), 1, 0, true),
            ("anak".into(), "hilang_rusak".into(), 1, 1, false),
        ]
    );
}

/// The quota line and the group buttons' text, once the panel is drawn.
async fn quality_line_and_groups(client: &Client) -> (String, String) {
    (
        text_of(client, "#desk-walkin-quota").await,
        text_of(client, "#desk-walkin-categories").await,
    )
}

#[tokio::test(flavor = "current_thread")]
async fn a_walk_in_turned_away_frees_its_place_when_the_supervisor_says_so() {
    let _turn = one_window().await;
    let kiosk = TestKiosk::with_demo_day_and(ONE_A_DAY);
    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;
    hadir_e2e::open_staff_as(&client, &kiosk, "supervisor").await;
    panel_ready(&client).await;

    // The panel at the three kiosk screen sizes, measured like every screen.
    let mut failures = Vec::new();
    for (name, width, height) in [
        ("landscape", 1920, 1080),
        ("portrait", 1080, 1920),
        ("square", 1280, 1024),
    ] {
        resize(&client, width, height).await;
        show_panel(&client).await;
        screenshot(&client, &format!("staff-walkin-{name}")).await;
        for violation in quality_violations(&client).await {
            failures.push(format!("{name}: {violation}"));
        }
    }

    // The supervisor's setting, tapped in the settings list: a place turned away comes back.
    let setting = "#kiosk-settings li[data-key='walkin.turn_away_frees_place']";
    wait_for_script(
        &client,
        &format!("return !!document.querySelector(\"{setting}\");"),
        Duration::from_secs(10),
    )
    .await;
    tap(&client, &format!("{setting} button[data-value='true']")).await;
    answer_in(&client, "#settings-feedback", "done").await;

    choose(&client, "ibu_hamil", "penggantian").await;
    tap(&client, "#desk-walkin-issue").await;
    answer_in(&client, "#desk-walkin-feedback", "done").await;
    let label = listed(&client).await.remove(0);
    let used_up = quota_line(&client).await;

    // Turned away without a reason: asked, confirmed, refused beside the row with what to do.
    let away = row(&label);
    tap(&client, &format!("{away} button[data-action='turn-away']")).await;
    tap(&client, "#staff-confirm button[data-action='confirm']").await;
    let no_reason = answer_in(&client, &format!("{away} .feedback"), "failed").await;
    // "Batal" changes nothing.
    tap(&client, &format!("{away} button[data-action='turn-away']")).await;
    tap(&client, "#staff-confirm button[data-action='cancel']").await;
    let still_there = client
        .execute(
            &format!(
                "return !!document.querySelector(\"{away} button[data-action='turn-away']\");"
            ),
            vec![],
        )
        .await
        .expect("script runs");
    // With a reason: the place goes back to today's quota.
    tap(
        &client,
        "#desk-walkin-reason-presets button[data-preset='has_booking']",
    )
    .await;
    forget(&client, &format!("{away} .feedback")).await;
    tap(&client, &format!("{away} button[data-action='turn-away']")).await;
    tap(&client, "#staff-confirm button[data-action='confirm']").await;
    let turned = answer_in(&client, &format!("{away} .feedback"), "done").await;
    let gone = text_of(&client, &format!("{away} .desk-walkin-gone")).await;
    let freed = quota_line(&client).await;
    screenshot(&client, "staff-walkin-freed").await;
    let after = quality_violations(&client).await;
    client.close().await.expect("session closes");

    assert!(failures.is_empty(), "quality bar:\n{}", failures.join("\n"));
    assert!(after.is_empty(), "after turning away: {after:?}");
    assert_eq!(used_up.1, serde_json::json!("true"), "{used_up:?}");
    assert!(
        no_reason.contains("staff_reason_required"),
        "a reason is needed: {no_reason}"
    );
    assert_eq!(
        still_there,
        serde_json::json!(true),
        "cancel turned nobody away"
    );
    assert_eq!(
        turned,
        format!("{label} ditolak di loket; tempatnya kembali ke kuota hari ini.")
    );
    assert!(gone.contains("tempatnya kembali ke kuota"), "{gone}");
    assert_eq!(
        freed,
        (
            "Sisa kuota hari ini: 1".to_owned(),
            serde_json::json!("false")
        ),
        "the place is back"
    );
    let (frees, reason): (i64, String) = kiosk
        .database()
        .query_row(
            "SELECT w.frees_place, a.reason FROM walkins w, audit a \
             WHERE a.action = 'walkin_turn_away'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("turned away and audited");
    assert_eq!((frees, reason.as_str()), (1, "Sudah punya pemesanan"));
}
