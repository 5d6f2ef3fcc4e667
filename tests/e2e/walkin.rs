//! Priority walk-ins at the kiosk (#17), by touch only: a person with no booking taps the
//! welcome screen's second button, their group and their service, and takes a printed ticket in
//! the priority lane marked as a walk-in; the button shows what is left of today's quota, says
//! so before anyone taps when it is used up, and a tap then explains what to do next. The
//! questions meet the quality bar at three screen sizes, follow the language toggle and return
//! to welcome on their own.

use std::time::Duration;

use fantoccini::Client;
use hadir::kiosk::{Printing, ScanContext};
use hadir::model::{Priority, Service};
use hadir::walkin::WalkinChoice;
use hadir_e2e::{
    click, pdf_text, resize, screen_code, screen_tone, screenshot, text_of, wait_for_print,
    wait_for_screen, wait_for_script, TauriDriver, TestKiosk,
};

use crate::one_window;
use crate::screens::quality_violations;

/// Waits until the welcome button shows the core's figures: `remaining` places left.
async fn button_shows(client: &Client, remaining: u32) {
    wait_for_script(
        client,
        &format!(
            "const b = document.getElementById('walkin-open'); \
             return !b.hidden && b.dataset.remaining === '{remaining}';"
        ),
        Duration::from_secs(10),
    )
    .await;
}

/// The applicant's taps, counted: what a person does with a finger, and nothing else.
struct Taps<'a> {
    client: &'a Client,
    count: usize,
}

impl Taps<'_> {
    async fn tap(&mut self, css: &str) {
        click(self.client, css).await;
        self.count += 1;
    }
}

/// Button, group, service: the walk-in's three taps, ending on the result (or refusal) screen.
async fn take_walkin(taps: &mut Taps<'_>, category: &str, service: &str) {
    taps.tap("#walkin-open").await;
    wait_for_screen(taps.client, "walkin-group").await;
    taps.tap(&format!("#walkin-groups [data-category='{category}']"))
        .await;
    wait_for_screen(taps.client, "walkin-service").await;
    taps.tap(&format!("#walkin-services [data-service='{service}']"))
        .await;
}

async fn shown(client: &Client, css: &str) -> bool {
    let script = format!(
        "const e = document.querySelector({css:?}); \
         return !!e && e.getBoundingClientRect().height > 0;"
    );
    client.execute(&script, vec![]).await.expect("script runs") == serde_json::Value::Bool(true)
}

#[tokio::test(flavor = "current_thread")]
async fn a_person_without_a_booking_gets_a_printed_priority_ticket_in_three_taps() {
    let _turn = one_window().await;
    let kiosk = TestKiosk::with_demo_day();
    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;
    button_shows(&client, 50).await;
    let left = text_of(&client, "#walkin-left").await;
    let who = text_of(&client, "#walkin-who").await;
    screenshot(&client, "walkin-welcome").await;

    let mut taps = Taps {
        client: &client,
        count: 0,
    };
    taps.tap("#walkin-open").await;
    wait_for_screen(&client, "walkin-group").await;
    let groups = text_of(&client, "#walkin-groups").await;
    screenshot(&client, "walkin-group").await;
    taps.tap("#walkin-groups [data-category='lansia']").await;
    wait_for_screen(&client, "walkin-service").await;
    let chosen = text_of(&client, "#walkin-chosen").await;
    screenshot(&client, "walkin-service").await;
    taps.tap("#walkin-services [data-service='baru']").await;
    wait_for_screen(&client, "result").await;
    let number = text_of(&client, "#result-tickets .ticket-number").await;
    let priority = text_of(&client, "#result-tickets .ticket-priority").await;
    let marked = shown(&client, "#result-walkin").await;
    let show_id = text_of(&client, "#result-walkin .walkin-show-id").await;
    let companion = text_of(&client, "#result-walkin .walkin-aside").await;
    let printed = wait_for_print(&client).await;
    screenshot(&client, "walkin-result").await;
    let taps_to_ticket = taps.count;

    // A companion with the same need: a ticket of their own, here in English.
    click(&client, "#walkin-companion").await;
    wait_for_screen(&client, "walkin-group").await;
    click(&client, "#language-toggle").await;
    wait_for_script(
        &client,
        "return document.documentElement.lang === 'en' && document \
         .querySelector(\"#walkin-groups [data-category='lansia'] .choice-name\") \
         .textContent === 'Elderly';",
        Duration::from_secs(5),
    )
    .await;
    let groups_english = text_of(&client, "#walkin-groups").await;
    screenshot(&client, "walkin-group-english").await;
    click(&client, "#walkin-groups [data-category='lansia']").await;
    wait_for_screen(&client, "walkin-service").await;
    click(&client, "#walkin-services [data-service='baru']").await;
    wait_for_screen(&client, "result").await;
    let second = text_of(&client, "#result-tickets .ticket-number").await;
    let show_id_english = text_of(&client, "#result-walkin .walkin-show-id").await;
    wait_for_print(&client).await;
    // Done: back in the office's language, the button counts both tickets.
    click(&client, "#screen-result [data-action='welcome']").await;
    wait_for_screen(&client, "welcome").await;
    button_shows(&client, 48).await;
    wait_for_script(
        &client,
        "return document.documentElement.lang === 'id' && \
         document.getElementById('walkin-left').textContent === 'Sisa kuota hari ini: 48';",
        Duration::from_secs(5),
    )
    .await;
    let left_after = text_of(&client, "#walkin-left").await;
    client.close().await.expect("session closes");

    assert_eq!(left, "Sisa kuota hari ini: 50", "the quota on the button");
    assert_eq!(
        who, "lansia, disabilitas, ibu hamil, anak kecil",
        "the offered groups"
    );
    assert!(
        groups.contains("usia 60 tahun ke atas") && groups.contains("di bawah 5 tahun"),
        "who may come, with the office's ages: {groups}"
    );
    assert!(chosen.contains("Lansia"), "{chosen}");
    assert_eq!(taps_to_ticket, 3, "welcome to ticket in three taps");
    assert!(number.starts_with("P-"), "the priority lane: {number}");
    assert_eq!(priority, "Prioritas");
    assert!(marked, "marked as a walk-in on screen");
    assert_eq!(show_id, "Tanpa pemesanan: tunjukkan KTP/dokumen di loket");
    assert!(companion.contains("Pendamping"), "{companion}");
    assert_eq!(printed, "ok");
    let paper = pdf_text(&kiosk.ticket_pdf(&number));
    assert!(paper.contains(&number), "{paper}");
    assert!(paper.contains("PRIORITAS"), "{paper}");
    assert!(
        paper.contains("Tanpa pemesanan") && paper.contains("KTP/dokumen di loket"),
        "the paper says it is a walk-in: {paper}"
    );

    assert!(
        groups_english.contains("aged 60 or over"),
        "{groups_english}"
    );
    assert_ne!(second, number, "one person per ticket");
    assert_eq!(
        show_id_english,
        "No booking: show your ID card or documents at the counter"
    );
    let english_paper = pdf_text(&kiosk.ticket_pdf(&second));
    assert!(
        english_paper.contains("No booking"),
        "printed in the language chosen: {english_paper}"
    );
    assert_eq!(left_after, "Sisa kuota hari ini: 48");

    let walkins: Vec<(String, String, Option<i64>)> = {
        let db = kiosk.database();
        let mut query = db
            .prepare("SELECT category, service, staff_id FROM walkins ORDER BY checkin_id")
            .expect("walkins table");
        query
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("rows read")
    };
    assert_eq!(
        walkins,
        vec![
            ("lansia".to_owned(), "baru".to_owned(), None),
            ("lansia".to_owned(), "baru".to_owned(), None)
        ],
        "two walk-ins at the kiosk, nothing else recorded about the person"
    );
    assert_eq!(kiosk.checkins(), 2);
}

/// Takes a walk-in place as the kiosk's own store counts it (as staff or `hadir walkin issue`
/// would on this kiosk), while the applicant at the screen is still choosing.
async fn take_place_elsewhere(kiosk: &TestKiosk) {
    let store = hadir::Store::open_in(&kiosk.config.data_dir()).expect("store opens");
    let store = std::sync::Mutex::new(store);
    let now = TestKiosk::now(&kiosk.config);
    let ctx = ScanContext {
        store: &store,
        hub: None,
        printing: Printing::Later,
        language: hadir::model::Language::Id,
        now: &now,
        config: &kiosk.config,
    };
    let choice = WalkinChoice {
        category: Priority::Anak,
        service: Service::Penggantian,
    };
    let (result, _) = hadir::walkin::issue_at_kiosk(choice, &ctx)
        .await
        .expect("walk-in recorded");
    assert_eq!(result.code, "ok", "the last place was still free");
}

#[tokio::test(flavor = "current_thread")]
async fn a_used_up_quota_shows_on_the_button_before_a_tap_and_a_tap_says_what_to_do() {
    let _turn = one_window().await;
    let kiosk = TestKiosk::with_demo_day_and("[walkin]\ndaily_quota = 2\n");
    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;
    button_shows(&client, 2).await;
    let mut taps = Taps {
        client: &client,
        count: 0,
    };
    take_walkin(&mut taps, "disabilitas", "penggantian").await;
    wait_for_screen(&client, "result").await;
    wait_for_print(&client).await;
    click(&client, "#screen-result [data-action='welcome']").await;
    wait_for_screen(&client, "welcome").await;
    button_shows(&client, 1).await;
    let one_left = text_of(&client, "#walkin-left").await;

    // The last place goes elsewhere while this applicant chooses: the core refuses at the tap.
    taps.tap("#walkin-open").await;
    wait_for_screen(&client, "walkin-group").await;
    taps.tap("#walkin-groups [data-category='ibu_hamil']").await;
    wait_for_screen(&client, "walkin-service").await;
    take_place_elsewhere(&kiosk).await;
    taps.tap("#walkin-services [data-service='baru']").await;
    wait_for_screen(&client, "refusal").await;
    let late_code = screen_code(&client, "refusal").await;
    let late_next = text_of(&client, "#refusal-next").await;
    click(&client, "#screen-refusal [data-action='welcome']").await;
    wait_for_screen(&client, "welcome").await;

    // Used up: the button says so before anyone taps, at every screen size.
    button_shows(&client, 0).await;
    let full_left = text_of(&client, "#walkin-left").await;
    let full_look = client
        .execute(
            "return document.getElementById('walkin-open').dataset.full;",
            vec![],
        )
        .await
        .expect("script runs");
    let mut failures = Vec::new();
    for (name, width, height) in [
        ("landscape", 1920, 1080),
        ("portrait", 1080, 1920),
        ("square", 1280, 1024),
    ] {
        resize(&client, width, height).await;
        screenshot(&client, &format!("walkin-welcome-full-{name}")).await;
        for violation in quality_violations(&client).await {
            failures.push(format!("welcome, quota used up, {name}: {violation}"));
        }
    }
    let before = kiosk.checkins();
    click(&client, "#walkin-open").await; // one tap: the refusal and its next step
    wait_for_screen(&client, "refusal").await;
    let code = screen_code(&client, "refusal").await;
    let tone = screen_tone(&client, "refusal").await;
    let title = text_of(&client, "#refusal-title").await;
    let next = text_of(&client, "#refusal-next").await;
    screenshot(&client, "walkin-refusal-full").await;
    for violation in quality_violations(&client).await {
        failures.push(format!("refusal, quota used up: {violation}"));
    }
    client.close().await.expect("session closes");

    assert_eq!(one_left, "Sisa kuota hari ini: 1");
    assert_eq!(
        late_code, "walkin_quota_full",
        "the last place taken meanwhile"
    );
    assert!(late_next.contains("hari lain"), "{late_next}");
    assert_eq!(full_left, "Kuota hari ini sudah habis");
    assert_eq!(full_look, serde_json::json!("true"), "the used-up look");
    assert_eq!(code, "walkin_quota_full");
    assert_eq!(tone, "info", "not the applicant's fault: calm, with an i");
    assert_eq!(title, "Kuota tanpa pemesanan hari ini sudah habis");
    assert!(
        next.contains("hari lain") && next.contains("meja layanan"),
        "come back another day, or ask the front desk: {next}"
    );
    assert_eq!(kiosk.checkins(), before, "a refusal issues nothing");
    assert_eq!(kiosk.checkins(), 2, "exactly the quota");
    assert!(failures.is_empty(), "quality bar:\n{}", failures.join("\n"));
}

#[tokio::test(flavor = "current_thread")]
async fn the_walkin_screens_meet_the_bar_at_three_screen_sizes() {
    let _turn = one_window().await;
    let kiosk = TestKiosk::with_demo_day();
    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;
    let mut failures = Vec::new();
    let mut taps = Taps {
        client: &client,
        count: 0,
    };
    for (index, (name, width, height)) in [
        ("landscape", 1920, 1080),
        ("portrait", 1080, 1920),
        ("square", 1280, 1024),
    ]
    .into_iter()
    .enumerate()
    {
        resize(&client, width, height).await;
        button_shows(&client, 50 - u32::try_from(index).expect("small")).await;
        let mut check = async |screen: &str| {
            screenshot(&client, &format!("walkin-{screen}-{name}")).await;
            for violation in quality_violations(&client).await {
                failures.push(format!("{screen} {name}: {violation}"));
            }
        };
        check("welcome").await;
        taps.tap("#walkin-open").await;
        wait_for_screen(&client, "walkin-group").await;
        check("group").await;
        taps.tap("#walkin-groups [data-category='anak']").await;
        wait_for_screen(&client, "walkin-service").await;
        check("service").await;
        taps.tap("#walkin-services [data-service='hilang_rusak']")
            .await;
        wait_for_screen(&client, "result").await;
        wait_for_print(&client).await;
        check("result").await;
        click(&client, "#screen-result [data-action='welcome']").await;
        wait_for_screen(&client, "welcome").await;
    }
    let tapped = taps.count;
    client.close().await.expect("session closes");
    assert_eq!(tapped, 9, "three taps a ticket");
    assert!(failures.is_empty(), "quality bar:\n{}", failures.join("\n"));
}

#[tokio::test(flavor = "current_thread")]
async fn the_walkin_questions_return_to_welcome_on_their_own() {
    let _turn = one_window().await;
    let kiosk = TestKiosk::with_demo_day_and("[screens]\nmanual_reset_seconds = 3\n");
    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;
    button_shows(&client, 50).await;
    click(&client, "#walkin-open").await;
    wait_for_screen(&client, "walkin-group").await;
    wait_for_screen(&client, "welcome").await; // within 15 s; configured 3 s
    click(&client, "#walkin-open").await;
    wait_for_screen(&client, "walkin-group").await;
    click(&client, "#walkin-groups [data-category='lansia']").await;
    wait_for_screen(&client, "walkin-service").await;
    wait_for_screen(&client, "welcome").await;
    client.close().await.expect("session closes");
    assert_eq!(kiosk.checkins(), 0, "leaving the questions issues nothing");
}

#[tokio::test(flavor = "current_thread")]
async fn no_walkin_button_when_the_office_offers_none() {
    let _turn = one_window().await;
    let kiosk = TestKiosk::with_demo_day_and("[walkin]\nenabled = false\n");
    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;
    // The core has answered (the page asks on every welcome): nothing offered.
    wait_for_script(
        &client,
        "return document.getElementById('walkin-open').dataset.offered === 'false';",
        Duration::from_secs(10),
    )
    .await;
    let button = shown(&client, "#walkin-open").await;
    let manual = shown(&client, "#manual-open").await;
    client.close().await.expect("session closes");
    assert!(!button, "no walk-in button");
    assert!(manual, "manual entry stays");
}
