//! Issue #7 in the real window: a stuck scanner's flood, personal data in logs and exports, and
//! the lock-down (commands outside the allow-list, navigation, remote content, injected markup).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use hadir::feed::{Applicant, Appointment};
use hadir::model::{BookingStatus, Service};
use hadir_e2e::{
    click, scan, screenshot, wait_for_screen, wait_for_script, TauriDriver, TestKiosk, UsbFolder,
};

use crate::one_window;

/// Rows of every table of the kiosk's store, by table.
fn table_rows(kiosk: &TestKiosk) -> BTreeMap<String, i64> {
    let db = kiosk.database();
    let tables: Vec<String> = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .expect("tables")
        .query_map([], |row| row.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("names");
    tables
        .into_iter()
        .map(|table| {
            let rows = db
                .query_row(&format!("SELECT COUNT(*) FROM \"{table}\""), [], |row| {
                    row.get(0)
                })
                .expect("count");
            (table, rows)
        })
        .collect()
}

/// Types `code` + Enter as key events `per_second` times a second for `seconds`, from the
/// page's own timers (WebDriver cannot type that fast). Returns at once; `window.flood` counts.
const FLOOD: &str = r#"
const [code, perSecond, seconds] = arguments;
const flood = { sent: 0, done: false };
window.flood = flood;
const started = performance.now();
const total = perSecond * seconds;
const key = (k) => document.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true }));
const tick = () => {
  const due = Math.min(total, Math.floor((performance.now() - started) * perSecond / 1000));
  while (flood.sent < due) {
    for (const c of code) key(c);
    key("Enter");
    flood.sent += 1;
  }
  if (flood.sent < total) { setTimeout(tick, 1); } else { flood.done = true; }
};
tick();
"#;

#[tokio::test(flavor = "current_thread")]
async fn a_stuck_scanner_flooding_1000_scans_a_second_checks_in_once_and_the_page_answers() {
    let _turn = one_window().await;
    let kiosk = TestKiosk::with_demo_day();
    let code = kiosk.code_expecting("ok").to_owned();
    let later = kiosk
        .code_where(|c| {
            c.expect == "ok" && c.booking_code != code && !c.booking_code.starts_with("MPQ1.")
        })
        .to_owned();
    let log = kiosk.dir.path().join("kiosk.log");
    let driver = TauriDriver::start_logging_to(&log, "info");
    let client = driver.open(&kiosk).await;
    let before = table_rows(&kiosk);
    client
        .execute(
            FLOOD,
            vec![
                serde_json::json!(code),
                serde_json::json!(1000),
                serde_json::json!(10),
            ],
        )
        .await
        .expect("the flood starts");
    // While it runs the page keeps answering: a script round trip every 200 ms.
    let mut answered_while_flooding = 0;
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let state = client
            .execute(
                "return [window.flood.sent, window.flood.done, document.body.dataset.screen];",
                vec![],
            )
            .await
            .expect("the page answers during the flood");
        if state[1] == true {
            break;
        }
        answered_while_flooding += 1;
        assert!(
            Instant::now() < deadline,
            "the flood of 10 s ended within 60 s: {state}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let sent = client
        .execute("return window.flood.sent;", vec![])
        .await
        .expect("count");
    screenshot(&client, "safety-after-scan-flood").await;
    // Not frozen, not stuck "busy": another applicant's code checks in right after.
    let answered = client
        .execute("return Number(document.body.dataset.scans || 0);", vec![])
        .await
        .expect("count");
    scan(&client, &later).await;
    wait_for_script(
        &client,
        &format!("return Number(document.body.dataset.scans || 0) > {answered};"),
        Duration::from_secs(15),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let after = table_rows(&kiosk);
    client.close().await.expect("session closes");

    assert_eq!(sent, serde_json::json!(10_000), "10,000 scans were typed");
    assert!(
        answered_while_flooding >= 10,
        "the page answered {answered_while_flooding} times during 10 s"
    );
    let booked: Vec<String> = kiosk
        .database()
        .prepare("SELECT DISTINCT booking_code FROM checkins")
        .expect("query")
        .query_map([], |row| row.get(0))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("codes");
    assert_eq!(
        booked.len(),
        2,
        "the flooded code and the next one: {booked:?}"
    );
    assert!(booked.contains(&code) && booked.contains(&later));
    // No table grew with the flood beyond the two check-ins' own rows (a handful each).
    let grown: i64 = after
        .iter()
        .map(|(table, rows)| rows - before.get(table).copied().unwrap_or(0))
        .sum();
    assert!(
        grown <= 40,
        "tables grew by {grown} rows: {before:?} -> {after:?}"
    );
    // The log holds a line per scan that reached the kiosk: a few, not 10,000.
    let log_text = std::fs::read_to_string(&log).expect("kiosk log");
    let scan_lines = log_text.lines().filter(|l| l.contains(" scan ")).count();
    assert!(
        (2..=8).contains(&scan_lines),
        "{scan_lines} scan lines logged for a 10 s flood (one per repeat window expected)"
    );
}

/// Names, birth dates (both ways round) and booking codes of every cached applicant.
fn personal_data(kiosk: &TestKiosk) -> Vec<String> {
    let db = kiosk.database();
    let mut found: Vec<String> = db
        .prepare(
            "SELECT p.name, p.birth_date, a.booking_code FROM applicants p JOIN appointments a USING (booking_code)",
        )
        .expect("query")
        .query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
            ))
        })
        .expect("rows")
        .flat_map(|row| {
            let (name, birth, code) = row.expect("row");
            let mut parts = birth.split('-');
            let (y, m, d) = (parts.next(), parts.next(), parts.next());
            let reversed = format!("{}-{}-{}", d.unwrap_or(""), m.unwrap_or(""), y.unwrap_or(""));
            [name, birth, reversed, code]
        })
        .collect();
    found.sort();
    found.dedup();
    found
}

/// Text of an export file: CSV as is, XLSX's XML parts unzipped, PDF through pdftotext.
fn export_text(path: &Path) -> String {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    match ext {
        "xlsx" => {
            let out = Command::new("python3")
                .args([
                    "-c",
                    "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nprint(''.join(z.read(n).decode() for n in z.namelist()))",
                ])
                .arg(path)
                .output()
                .expect("python3 reads the workbook");
            assert!(out.status.success());
            String::from_utf8_lossy(&out.stdout).into_owned()
        }
        "pdf" => hadir_e2e::pdf_text(path),
        _ => std::fs::read_to_string(path).expect("text export"),
    }
}

#[tokio::test(flavor = "current_thread")]
async fn logs_and_exports_hold_no_names_birth_dates_or_booking_codes() {
    let _turn = one_window().await;
    let usb = UsbFolder::with_stick(&["STICK"]);
    let stick = usb.stick.clone();
    let kiosk = TestKiosk::with_demo_day_and(&usb.config_toml());
    let secrets = personal_data(&kiosk);
    assert!(secrets.len() > 30, "the demo day has applicants");
    let log = kiosk.dir.path().join("kiosk.log");
    // The most talkative level: whatever any crate logs, none of it may be personal.
    let driver = TauriDriver::start_logging_to(&log, "debug");
    let client = driver.open(&kiosk).await;
    let texts: Vec<String> = ["ok", "not_found", "cancelled"]
        .iter()
        .map(|expect| kiosk.code_expecting(expect).to_owned())
        .chain(
            ["ok", "bad_signature"]
                .iter()
                .map(|expect| kiosk.token_expecting(expect).to_owned()),
        )
        .collect();
    for (answered, text) in texts.iter().enumerate() {
        scan(&client, text).await;
        wait_for_script(
            &client,
            &format!("return document.body.dataset.scans === '{}';", answered + 1),
            Duration::from_secs(15),
        )
        .await;
    }
    scan(&client, kiosk.group_code()).await;
    wait_for_screen(&client, "result").await;
    hadir_e2e::wait_for_print(&client).await;
    click(&client, "#screen-result .done").await;

    // Staff look a person up by name and birth date, then a supervisor exports the day.
    hadir_e2e::open_staff_as(&client, &kiosk, "supervisor").await;
    let log_folder = kiosk.config.log_dir();
    let log_line = client
        .find(fantoccini::Locator::Css("#log-folder"))
        .await
        .expect("log line")
        .text()
        .await
        .expect("its text");
    assert!(
        log_line.contains(&log_folder.display().to_string()),
        "the staff screen says where the log files are: {log_line}"
    );
    let (name, birth): (String, String) = kiosk
        .database()
        .query_row(
            "SELECT name, birth_date FROM applicants LIMIT 1",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .expect("an applicant");
    let first = name.split(' ').next().expect("a name").to_owned();
    for (css, text) in [
        ("#find-name", first.as_str()),
        ("#find-birth", birth.as_str()),
    ] {
        let field = client
            .find(fantoccini::Locator::Css(css))
            .await
            .expect("field");
        field.send_keys(text).await.expect("types");
    }
    click(&client, "#find-by-name").await;
    wait_for_script(
        &client,
        "return document.querySelectorAll('#find-results li').length > 0;",
        Duration::from_secs(10),
    )
    .await;
    click(&client, "#export-look").await;
    let target = stick.display().to_string();
    wait_for_script(
        &client,
        &format!("return !!document.querySelector('#export-dirs button[data-path={target:?}]');"),
        Duration::from_secs(10),
    )
    .await;
    click(
        &client,
        &format!("#export-dirs button[data-path={target:?}]"),
    )
    .await;
    wait_for_script(
        &client,
        "return document.getElementById('export-feedback').dataset.outcome === 'done';",
        Duration::from_secs(30),
    )
    .await;
    click(&client, "#staff-sign-out").await;
    wait_for_screen(&client, "welcome").await;
    client.close().await.expect("session closes");
    drop(driver);

    let mut places: Vec<(String, String)> = vec![(
        log.display().to_string(),
        std::fs::read_to_string(&log).expect("kiosk log"),
    )];
    assert!(
        places[0].1.contains("scan "),
        "the log holds the kiosk's scan lines"
    );
    for entry in walk(kiosk.config.data_dir().as_path())
        .into_iter()
        .chain(walk(&stick))
    {
        let is_log = entry.extension().is_some_and(|e| e == "log");
        let is_export = entry.starts_with(&stick);
        if is_log || is_export {
            places.push((entry.display().to_string(), export_text(&entry)));
        }
    }
    // The kiosk's log files in the data folder hold the same lines as its stderr: they must
    // exist and have the scans, or the search below would prove nothing about them.
    let in_folder: Vec<&(String, String)> = places
        .iter()
        .filter(|(place, _)| Path::new(place).starts_with(&log_folder))
        .collect();
    assert!(
        !in_folder.is_empty() && in_folder.iter().any(|(_, text)| text.contains(" scan ")),
        "the kiosk writes its log file in {}: {:?}",
        log_folder.display(),
        in_folder.iter().map(|(place, _)| place).collect::<Vec<_>>()
    );
    assert_eq!(
        places.len(),
        1 + in_folder.len() + 6,
        "stderr's log, the log files and the export's 6 files"
    );
    let exported = places
        .iter()
        .skip(1)
        .map(|(_, text)| text.as_str())
        .collect::<String>();
    assert!(
        exported.contains("***"),
        "exports show masked names and codes"
    );
    for (place, text) in &places {
        // A PDF's text can break a name across lines: compare with every run of space as one.
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for secret in &secrets {
            assert!(
                !text.contains(secret.as_str()),
                "{secret:?} appears in {place}"
            );
        }
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// An applicant whose name is markup, as a hostile or broken feed could send it.
const HOSTILE_NAME: &str =
    "<img/src=x/onerror=document.body.dataset.pwned=1> <script>document.body.dataset.pwned=2</script>";

fn hostile_booking(kiosk: &TestKiosk) -> &'static str {
    let code = "MPHOSTILE01";
    kiosk.add_bookings(vec![Appointment {
        booking_code: code.into(),
        date: TestKiosk::now(&kiosk.config).date(),
        slot_start: jiff::civil::time(9, 0, 0, 0),
        slot_end: jiff::civil::time(10, 0, 0, 0),
        service: Service::Baru,
        express: false,
        status: BookingStatus::Booked,
        applicants: vec![Applicant {
            name: HOSTILE_NAME.into(),
            birth_date: jiff::civil::date(1977, 7, 7),
            nik_last4: "0077".into(),
            priority: None,
        }],
        updated_at: "2026-11-28T06:00:00Z".parse().expect("timestamp"),
    }]);
    code
}

/// Asks the page to invoke each command and says which ones the backend let through.
const INVOKE_EACH: &str = r#"
const [names, done] = [arguments[0], arguments[arguments.length - 1]];
Promise.all(names.map((name) =>
  window.__TAURI_INTERNALS__.invoke(name, {}).then(
    () => [name, "allowed"],
    (error) => [name, String(error && (error.message || error.code) || error)]))).then(done);
"#;

#[tokio::test(flavor = "current_thread")]
async fn the_page_cannot_leave_the_allow_list_the_app_or_its_own_content() {
    let _turn = one_window().await;
    let kiosk = TestKiosk::with_demo_day();
    let hostile = hostile_booking(&kiosk);
    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;
    let home = client.current_url().await.expect("url");

    // Commands: the kiosk's own answer; Tauri's and plugins' are refused (none is granted).
    let refused = [
        "plugin:window|close",
        "plugin:window|set_fullscreen",
        "plugin:webview|create_webview_window",
        "plugin:event|emit",
        "plugin:app|version",
        "plugin:path|resolve_directory",
        "plugin:fs|read_text_file",
        "plugin:shell|open",
        "plugin:opener|open_url",
        "plugin:process|exit",
        "no_such_command",
    ];
    let mut names: Vec<&str> = refused.to_vec();
    names.push("kiosk_info");
    let answers = client
        .execute_async(INVOKE_EACH, vec![serde_json::json!(names)])
        .await
        .expect("invokes");
    let answers: BTreeMap<String, String> =
        serde_json::from_value::<Vec<(String, String)>>(answers)
            .expect("pairs")
            .into_iter()
            .collect();
    assert_eq!(answers["kiosk_info"], "allowed", "{answers:?}");
    for name in refused {
        assert_ne!(
            answers[name], "allowed",
            "{name} must be refused: {answers:?}"
        );
    }

    // Remote content and inline script: blocked by the CSP, each block reported.
    client
        .execute(
            r#"
window.violations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.violations.push(e.effectiveDirective + " " + e.blockedURI));
const img = document.createElement("img");
img.src = "https://example.com/tracker.png";
document.body.appendChild(img);
fetch("https://example.com/").catch(() => {});
const div = document.createElement("div");
div.innerHTML = '<img src="x" onerror="document.body.dataset.pwned = 3">';
document.body.appendChild(div);
const script = document.createElement("script");
script.textContent = "document.body.dataset.pwned = 4";
document.body.appendChild(script);
"#,
            vec![],
        )
        .await
        .expect("script runs");
    wait_for_script(
        &client,
        "return window.violations.length >= 4;",
        Duration::from_secs(10),
    )
    .await;
    let violations = client
        .execute("return window.violations;", vec![])
        .await
        .expect("violations");
    let violations = violations.to_string();
    for directive in ["img-src", "connect-src", "script-src"] {
        assert!(
            violations.contains(directive),
            "{directive} blocked: {violations}"
        );
    }

    // A hostile name from the feed is shown as text where staff see names.
    hadir_e2e::open_staff_as(&client, &kiosk, "frontdesk").await;
    let field = client
        .find(fantoccini::Locator::Css("#find-code"))
        .await
        .expect("field");
    field.send_keys(hostile).await.expect("types");
    click(&client, "#find-by-code").await;
    // Staff see initials only; the hostile name's are markup characters, shown as such.
    let initials = hadir::staff_mode::initials(HOSTILE_NAME);
    assert!(initials.starts_with('<'), "{initials}");
    wait_for_script(
        &client,
        &format!(
            "return document.getElementById('find-results').textContent.includes({initials:?});"
        ),
        Duration::from_secs(10),
    )
    .await;
    screenshot(&client, "safety-hostile-name-as-text").await;
    let injected = client
        .execute(
            "return [document.body.dataset.pwned || null, document.querySelectorAll('#find-results img, #find-results script').length];",
            vec![],
        )
        .await
        .expect("script");
    click(&client, "#staff-sign-out").await;
    wait_for_screen(&client, "welcome").await;

    // Navigation away, a new window, a crafted scan: the kiosk stays on its own page.
    client
        .execute(
            "window.open('https://example.com/'); location.href = 'https://example.com/';",
            vec![],
        )
        .await
        .expect("script runs");
    tokio::time::sleep(Duration::from_secs(1)).await;
    scan(
        &client,
        "\"><img src=x onerror=document.body.dataset.pwned=5>",
    )
    .await;
    wait_for_screen(&client, "refusal").await;
    let url = client.current_url().await.expect("url");
    let windows = client.windows().await.expect("windows");
    let still_ours = client
        .execute(
            "return [document.body.dataset.ready, document.body.dataset.pwned || null];",
            vec![],
        )
        .await
        .expect("script");
    client.close().await.expect("session closes");

    assert_eq!(injected, serde_json::json!([null, 0]), "markup stayed text");
    assert_eq!(url, home, "navigation to a remote page was refused");
    assert_eq!(windows.len(), 1, "no second window opened");
    assert_eq!(still_ours, serde_json::json!(["true", null]));
}

/// Tauri opens developer tools in debug builds only, unless its `devtools` feature is on: the
/// shipped (release) kiosk has none as long as nothing in the workspace enables that feature.
#[test]
fn no_crate_enables_tauri_devtools_so_a_release_kiosk_has_none() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    // Only the platform this runs on: the build before this test fetched exactly its crates,
    // whereas the whole graph would need every platform's crates (Android, macOS, ...) in the
    // local cache. Not `--offline`: a crate that is missing all the same is fetched, so the
    // answer never depends on what a machine happens to have cached. `--locked`: never touch
    // Cargo.lock.
    let host = host_triple(&cargo);
    let out = Command::new(&cargo)
        .args(["metadata", "--format-version", "1", "--locked"])
        .args(["--filter-platform", &host, "--manifest-path"])
        .arg(hadir_e2e::repo_root().join("Cargo.toml"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let tauri = metadata["resolve"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .find(|node| {
            node["id"]
                .as_str()
                .is_some_and(|id| id.contains("#tauri@2") || id.contains("/tauri#2"))
        })
        .expect("tauri is resolved");
    let features: Vec<&str> = tauri["features"]
        .as_array()
        .expect("features")
        .iter()
        .filter_map(|f| f.as_str())
        .collect();
    assert!(features.contains(&"custom-protocol"), "{features:?}");
    assert!(!features.contains(&"devtools"), "{features:?}");
}

/// The target triple cargo builds for by default (`host:` in `cargo -vV`).
fn host_triple(cargo: &str) -> String {
    let out = Command::new(cargo)
        .arg("-vV")
        .output()
        .expect("cargo -vV runs");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("host: "))
        .expect("cargo -vV names its host")
        .trim()
        .to_owned()
}
