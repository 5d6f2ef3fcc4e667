//! Staff mode in the real window: sign-in with PIN lockout, the front desk's reprint with a
//! reason (a copy marked SALINAN), manual check-in and late override, and the supervisor's
//! export of the day to a USB folder in three formats.

use std::time::Duration;

use hadir_e2e::{
    click, enter_pin, pdf_text, scan, screenshot, text_of, wait_for_script, TauriDriver, TestKiosk,
    UsbFolder,
};

use crate::one_window;
use crate::screens::quality_violations;

async fn type_into(client: &fantoccini::Client, css: &str, text: &str) {
    let field = client
        .find(fantoccini::Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no field {css}: {e}"));
    field.clear().await.expect("clears");
    field.send_keys(text).await.expect("types");
}

/// Waits for the answer in the feedback line `line` (next to the button pressed) and returns it.
async fn wait_for_message(client: &fantoccini::Client, line: &str, outcome: &str) -> String {
    wait_for_script(
        client,
        &format!(
            "const e = document.querySelector({line:?}); \
             return !!e && e.dataset.outcome === {outcome:?};"
        ),
        Duration::from_secs(20),
    )
    .await;
    text_of(client, line).await
}

/// Clears the sign-in screen's last answer, so the next wait sees the next one.
async fn forget_answer(client: &fantoccini::Client) {
    client
        .execute(
            "document.getElementById('staff-login-message').dataset.code = '';",
            vec![],
        )
        .await
        .expect("script runs");
}

#[tokio::test(flavor = "current_thread")]
async fn five_wrong_pins_lock_the_account_even_against_the_right_pin() {
    let _turn = one_window().await;
    let kiosk = TestKiosk::with_demo_day();
    kiosk.add_staff("ani", "frontdesk", "2468");
    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;

    hadir_e2e::hold_office_name(&client).await;
    screenshot(&client, "staff-login").await;
    for attempt in 1..=5 {
        forget_answer(&client).await;
        enter_pin(&client, "ani", "1111").await;
        let expected = if attempt < 5 { "wrong_pin" } else { "locked" };
        wait_for_script(
            &client,
            &format!(
                "return document.getElementById('staff-login-message').dataset.code === {expected:?};"
            ),
            Duration::from_secs(10),
        )
        .await;
        if attempt == 4 {
            let warning = text_of(&client, "#staff-login-message").await;
            assert!(warning.contains("Sisa 1 kali"), "{warning}");
        }
    }
    let locked = text_of(&client, "#staff-login-message").await;
    screenshot(&client, "staff-login-locked").await;
    let login_violations = quality_violations(&client).await;
    // The right PIN now: still locked, and no PIN is even checked.
    forget_answer(&client).await;
    enter_pin(&client, "ani", "2468").await;
    wait_for_script(
        &client,
        "return document.getElementById('staff-login-message').dataset.code === 'locked';",
        Duration::from_secs(10),
    )
    .await;
    let screen = client
        .execute("return document.body.dataset.screen;", vec![])
        .await
        .expect("runs");
    client.close().await.expect("session closes");

    assert!(
        login_violations.is_empty(),
        "sign-in screen: {login_violations:?}"
    );
    assert!(
        locked.contains("dikunci sampai 09:35"),
        "locked for 5 minutes from 09:30: {locked}"
    );
    assert_eq!(screen, "staff-login", "staff mode did not open");
    let (failed, logins): (i64, i64) = kiosk
        .database()
        .query_row(
            "SELECT SUM(action = 'login_failed'), SUM(action = 'login') FROM audit",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .expect("audit rows");
    assert_eq!(
        (failed, logins),
        (6, 0),
        "every attempt is audited, none signed in"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn the_front_desk_reprints_with_a_reason_and_checks_in_by_hand() {
    let _turn = one_window().await;
    let kiosk = TestKiosk::with_demo_day();
    let code = kiosk.code_expecting("ok").to_owned();
    let group = kiosk.group_code().to_owned();
    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;

    let label = hadir_e2e::check_in_printed(&client, &code).await;

    hadir_e2e::open_staff_as(&client, &kiosk, "frontdesk").await;
    let who = text_of(&client, "#staff-who").await;
    assert!(who.contains("e2e-frontdesk"), "{who}");
    // Which Hadir this is, for the call to IT: what `hadir-kiosk --version` says.
    let build = hadir::version::build_info();
    assert_eq!(
        text_of(&client, "#staff-version").await,
        format!(
            "Hadir {} (commit {}, skema basis data {})",
            build.version, build.commit, build.schema_version
        )
    );
    let supervisor_panel = client
        .execute(
            "return document.getElementById('supervisor-panel').hidden;",
            vec![],
        )
        .await
        .expect("runs");
    assert_eq!(
        supervisor_panel, true,
        "the front desk does not see the supervisor's tools"
    );

    // Without a reason: refused, with the next step.
    type_into(&client, "#reprint-ticket", &label).await;
    click(&client, "#reprint-go").await;
    let refused = wait_for_message(&client, "#reprint-feedback", "failed").await;
    assert!(refused.contains("staff_reason_required"), "{refused}");

    click(
        &client,
        "#reason-presets .chip[data-i18n='staff.reason.paper']",
    )
    .await;
    click(&client, "#reprint-go").await;
    let reprinted = wait_for_message(&client, "#reprint-feedback", "done").await;
    assert_eq!(reprinted, format!("Salinan {label} tercetak."));
    wait_for_script(
        &client,
        "return document.getElementById('printer-health').textContent.includes('berhasil');",
        Duration::from_secs(10),
    )
    .await;
    screenshot(&client, "staff-frontdesk").await;

    // A manual check-in of the family, found by booking code.
    type_into(&client, "#find-code", &group.to_lowercase()).await;
    click(&client, "#find-by-code").await;
    wait_for_script(
        &client,
        "return document.querySelectorAll('#find-results li').length === 1;",
        Duration::from_secs(10),
    )
    .await;
    let found = text_of(&client, "#find-results li").await;
    type_into(&client, "#staff-reason", "kode tidak terbaca").await;
    click(&client, "#find-results button[data-action='check-in']").await;
    let checked_in = wait_for_message(&client, "#find-results li .feedback", "done").await;
    screenshot(&client, "staff-manual-checkin").await;
    client.close().await.expect("session closes");

    let copies = kiosk.ticket_pdfs(&label);
    assert_eq!(copies.len(), 2, "the first print and the copy: {copies:?}");
    let copy = pdf_text(copies.last().expect("copy"));
    assert!(copy.contains("SALINAN") && copy.contains(&label), "{copy}");
    let reason: String = kiosk
        .database()
        .query_row(
            "SELECT reason FROM audit WHERE action = 'reprint' AND target = ?1",
            [&label],
            |row| row.get(0),
        )
        .expect("the reprint is audited");
    assert_eq!(reason, "Kertas macet");
    assert!(found.contains("NIK ****"), "applicants are masked: {found}");
    assert!(
        checked_in.starts_with("Check-in berhasil: P-"),
        "{checked_in}"
    );
    let manual: i64 = kiosk
        .database()
        .query_row(
            "SELECT COUNT(*) FROM staff_checkins s JOIN checkins c ON c.id = s.checkin_id
             WHERE c.booking_code = ?1 AND s.kind = 'manual' AND s.reason = 'kode tidak terbaca'",
            [&group],
            |row| row.get(0),
        )
        .expect("reads");
    assert_eq!(
        manual, 3,
        "three applicants, each recorded as a manual check-in"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn a_supervisor_exports_the_day_to_a_usb_folder_in_three_formats() {
    let _turn = one_window().await;
    let usb = UsbFolder::with_stick(&["kiosk", "STICK"]);
    let stick = usb.stick.clone();
    // The survey scan below comes minutes after the ticket's issue, not after service: no wait.
    let kiosk = TestKiosk::with_demo_day_and(&format!(
        "{}[survey]\nearliest_after_issue_minutes = 0\n",
        usb.config_toml()
    ));
    let code = kiosk.code_expecting("ok").to_owned();
    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;
    scan(&client, &code).await;
    hadir_e2e::wait_for_screen(&client, "result").await;
    assert_eq!(hadir_e2e::wait_for_print(&client).await, "ok");
    click(&client, "#screen-result .done").await;

    hadir_e2e::open_staff_as(&client, &kiosk, "supervisor").await;
    click(&client, "#export-look").await;
    wait_for_script(
        &client,
        "return document.querySelectorAll('#export-dirs button').length >= 2;",
        Duration::from_secs(10),
    )
    .await;
    let target = stick.display().to_string();
    click(
        &client,
        &format!("#export-dirs button[data-path={target:?}]"),
    )
    .await;
    let done = wait_for_message(&client, "#export-feedback", "done").await;
    let listed = text_of(&client, "#export-files").await;
    screenshot(&client, "staff-supervisor-export").await;

    // A new front-desk account, listed at once.
    type_into(&client, "#staff-new-name", "citra").await;
    type_into(&client, "#staff-new-pin", "4321").await;
    click(&client, "#staff-add-frontdesk").await;
    wait_for_script(
        &client,
        "return !!document.querySelector(\"#staff-accounts li[data-name='citra']\") && \
         document.getElementById('staff-new-pin').value === '';",
        Duration::from_secs(10),
    )
    .await;

    // A setting changed here is in force at once: the next survey asks the nine SKM elements.
    click(
        &client,
        "#kiosk-settings li[data-key='survey.question_set'] button[data-value='skm2017']",
    )
    .await;
    wait_for_script(
        &client,
        "return document.querySelector(\"#kiosk-settings li[data-key='survey.question_set'] \
         button[data-value='skm2017']\").dataset.chosen === 'true';",
        Duration::from_secs(10),
    )
    .await;
    screenshot(&client, "staff-supervisor-settings").await;
    click(&client, "#staff-sign-out").await;
    hadir_e2e::wait_for_screen(&client, "welcome").await;
    let label = kiosk
        .database()
        .query_row("SELECT label FROM tickets LIMIT 1", [], |row| {
            row.get::<_, String>(0)
        })
        .expect("the ticket");
    let pdf = kiosk.ticket_pdf(&label);
    scan(&client, &hadir_e2e::qr_on_pdf(&pdf)).await;
    hadir_e2e::wait_for_screen(&client, "survey").await;
    let progress = text_of(&client, "#survey-progress").await;
    client.close().await.expect("session closes");
    assert_eq!(
        progress, "Pertanyaan 1 dari 9",
        "the SKM set, without a restart"
    );

    let mut names: Vec<String> = std::fs::read_dir(&stick)
        .expect("stick readable")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(done.contains("berkas ditulis"), "{done}");
    for suffix in ["2026-11-29_2026-11-29.xlsx", "2026-11-29_2026-11-29.pdf"] {
        assert!(
            names.iter().any(|n| n.ends_with(suffix)),
            "{suffix} in {names:?}"
        );
    }
    let csv = names.iter().filter(|n| n.ends_with(".csv")).count();
    assert!(
        csv >= 3,
        "tickets, ratings and staff actions as CSV: {names:?}"
    );
    assert!(
        listed.contains(".pdf"),
        "the screen lists what it wrote: {listed}"
    );
    let pdf = names.iter().find(|n| n.ends_with(".pdf")).expect("pdf");
    let text = pdf_text(&stick.join(pdf));
    assert!(
        text.contains("2026-11-29"),
        "the report covers the day: {text}"
    );
    let exported: i64 = kiosk
        .database()
        .query_row(
            "SELECT COUNT(*) FROM audit WHERE action = 'export'",
            [],
            |row| row.get(0),
        )
        .expect("reads");
    assert_eq!(exported, 1, "the export is audited");
    let setting: String = kiosk
        .database()
        .query_row(
            "SELECT target FROM audit WHERE action = 'settings'",
            [],
            |row| row.get(0),
        )
        .expect("the change is audited");
    assert_eq!(setting, "survey.question_set = skm2017");
    let added: i64 = kiosk
        .database()
        .query_row(
            "SELECT COUNT(*) FROM staff s JOIN audit a ON a.target = 'citra (frontdesk)'
             WHERE s.name = 'citra' AND s.role = 'frontdesk' AND a.action = 'staff_add'",
            [],
            |row| row.get(0),
        )
        .expect("reads");
    assert_eq!(added, 1, "the account exists and its creation is audited");
}

#[tokio::test(flavor = "current_thread")]
async fn staff_mode_signs_out_when_idle_and_the_backend_then_refuses_staff_actions() {
    let _turn = one_window().await;
    let kiosk = TestKiosk::with_demo_day_and("[staff]\nidle_logout_seconds = 15\n");
    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;

    hadir_e2e::open_staff_as(&client, &kiosk, "frontdesk").await;
    let listed = client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             window.__TAURI__.core.invoke('failed_prints').then(() => done('ok'), (e) => done(e.code));",
            vec![],
        )
        .await
        .expect("invoke runs");
    assert_eq!(listed, "ok", "signed in: staff commands answer");
    // No touch for 15 s: back to the applicant's welcome screen, signed out.
    tokio::time::sleep(Duration::from_secs(14)).await;
    hadir_e2e::wait_for_screen(&client, "welcome").await;
    let after = client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             window.__TAURI__.core.invoke('reprint', {ticket: 'A-001', reason: 'x y z'})
               .then(() => done('ok'), (e) => done(e.code));",
            vec![],
        )
        .await
        .expect("invoke runs");
    client.close().await.expect("session closes");

    assert_eq!(
        after, "staff_not_signed_in",
        "the window cannot act for staff who left"
    );
    let why: String = kiosk
        .database()
        .query_row(
            "SELECT reason FROM audit WHERE action = 'logout'",
            [],
            |row| row.get(0),
        )
        .expect("the sign-out is audited");
    assert_eq!(why, "idle");
}

#[tokio::test(flavor = "current_thread")]
async fn leaving_staff_mode_takes_the_focus_from_its_fields_so_the_next_scan_is_whole() {
    let _turn = one_window().await;
    let kiosk = TestKiosk::with_demo_day();
    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;
    hadir_e2e::open_staff_as(&client, &kiosk, "frontdesk").await;
    // A field of the staff screen has the focus when the screen goes: the scanner leaves keys
    // aimed at a field alone, so until the browser moves the focus itself, the next scan's
    // first keys would vanish into the hidden field.
    let focused = client
        .execute(
            "document.getElementById('find-code').focus(); \
             const before = document.activeElement.id; \
             show('welcome'); \
             return [before, document.activeElement ? document.activeElement.id : ''];",
            vec![],
        )
        .await
        .expect("script runs");
    let code = kiosk.code_expecting("ok").to_owned();
    scan(&client, &code).await;
    hadir_e2e::wait_for_screen(&client, "result").await;
    client.close().await.expect("session closes");
    assert_eq!(focused[0], "find-code", "the staff field had the focus");
    assert_ne!(focused[1], "find-code", "and lost it with its screen");
    let checked_in: String = kiosk
        .database()
        .query_row("SELECT booking_code FROM checkins", [], |row| row.get(0))
        .expect("one check-in");
    assert_eq!(checked_in, code);
}

/// `hadir-kiosk --version` answers without a window (IT asks it on the kiosk's terminal).
#[test]
fn the_kiosk_binary_names_its_version_commit_and_schema() {
    let output = std::process::Command::new(hadir_e2e::kiosk_binary())
        .arg("--version")
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .expect("hadir-kiosk runs");
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        format!("hadir-kiosk {}", hadir::version::version_line())
    );
}

async fn wait_for_question(client: &fantoccini::Client, open: bool) {
    wait_for_script(
        client,
        &format!("return !!document.getElementById('staff-confirm') === {open};"),
        Duration::from_secs(10),
    )
    .await;
}

/// #15: one tap used to disable the signed-in supervisor, closing staff mode to everyone.
#[tokio::test(flavor = "current_thread")]
async fn a_supervisor_confirms_destructive_taps_and_cannot_disable_their_own_account() {
    let _turn = one_window().await;
    let kiosk = TestKiosk::with_demo_day();
    kiosk.add_staff("ani", "frontdesk", "2468");
    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;
    hadir_e2e::open_staff_as(&client, &kiosk, "supervisor").await;
    wait_for_script(
        &client,
        "return !!document.querySelector(\"#staff-accounts li[data-name='ani']\");",
        Duration::from_secs(10),
    )
    .await;

    // The staff screen's own findings are not this test's; the question must add none.
    let before = quality_violations(&client).await;
    // A tap on disable only asks; "Batal" leaves the account as it was.
    click(
        &client,
        "#staff-accounts li[data-name='ani'] button[data-action='disable']",
    )
    .await;
    wait_for_question(&client, true).await;
    let question = text_of(&client, "#staff-confirm-text").await;
    let buttons = text_of(&client, "#staff-confirm").await;
    let question_violations: Vec<String> = quality_violations(&client)
        .await
        .into_iter()
        .filter(|found| !before.contains(found))
        .collect();
    screenshot(&client, "staff-supervisor-confirm").await;
    click(&client, "#staff-confirm button[data-action='cancel']").await;
    wait_for_question(&client, false).await;

    // Their own account: asked, confirmed, refused with the next step.
    click(
        &client,
        "#staff-accounts li[data-name='e2e-supervisor'] button[data-action='disable']",
    )
    .await;
    wait_for_question(&client, true).await;
    click(&client, "#staff-confirm button[data-action='confirm']").await;
    let refused = wait_for_message(&client, "#accounts-list-feedback", "failed").await;

    // Resetting a PIN asks too; the purge runs only after "Ya, hapus".
    type_into(&client, "#staff-new-name", "ani").await;
    type_into(&client, "#staff-new-pin", "9999").await;
    click(&client, "#staff-reset-pin").await;
    wait_for_question(&client, true).await;
    let reset_question = text_of(&client, "#staff-confirm-text").await;
    click(&client, "#staff-confirm button[data-action='cancel']").await;
    wait_for_question(&client, false).await;
    click(&client, "#purge-go").await;
    wait_for_question(&client, true).await;
    let purged_before_yes: i64 = kiosk
        .database()
        .query_row(
            "SELECT COUNT(*) FROM audit WHERE action = 'purge'",
            [],
            |row| row.get(0),
        )
        .expect("reads");
    click(&client, "#staff-confirm button[data-action='confirm']").await;
    let purged = wait_for_message(&client, "#purge-feedback", "done").await;
    client.close().await.expect("session closes");

    assert!(question.contains("ani"), "{question}");
    assert!(
        buttons.contains("Ya, nonaktifkan") && buttons.contains("Batal"),
        "{buttons}"
    );
    assert!(
        question_violations.is_empty(),
        "the question: {question_violations:?}"
    );
    assert!(
        refused.contains("staff_cannot_disable_self")
            && refused.contains("Akun Anda sendiri tidak bisa dinonaktifkan"),
        "{refused}"
    );
    assert!(reset_question.contains("ani"), "{reset_question}");
    assert_eq!(purged_before_yes, 0, "the purge waited for the answer");
    assert!(purged.starts_with("Dihapus:"), "{purged}");

    let db = kiosk.database();
    let active: Vec<(String, bool)> = db
        .prepare("SELECT name, active FROM staff ORDER BY name")
        .expect("prepares")
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .expect("reads")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert_eq!(
        active,
        [
            ("ani".to_owned(), true),
            ("e2e-supervisor".to_owned(), true)
        ],
        "nobody was disabled"
    );
    let pin_hash: String = db
        .query_row("SELECT pin_hash FROM staff WHERE name = 'ani'", [], |row| {
            row.get(0)
        })
        .expect("reads");
    assert!(
        hadir::staff::verify_pin("2468", &pin_hash),
        "the cancelled reset kept ani's PIN"
    );
    let (disables, resets, refusal): (i64, i64, String) = db
        .query_row(
            "SELECT SUM(action = 'staff_disable'), SUM(action = 'staff_reset_pin'),
                    (SELECT reason FROM audit WHERE action = 'refused'
                      AND target = 'staff_disable e2e-supervisor')
             FROM audit",
            [],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .expect("reads");
    assert_eq!((disables, resets), (0, 0));
    assert_eq!(
        refusal, "staff_cannot_disable_self",
        "the refused try is audited"
    );
}
