//! Each check healthy and broken, against the real parts the other tests start: the fake
//! gateway, the ESC/POS printer stand-in, a real PostgreSQL (`temp-postgres`), real files.

use std::path::Path;

use fake_upstream::escpos_printer::{EscposPrinter, PrinterMode};
use fake_upstream::{DateHeader, FakeUpstream};
use jiff::Timestamp;

use super::*;
use crate::config::{HubUrl, SinkKind};
use crate::store::{Store, SCHEMA_VERSION, STORE_FILE_NAME};

const OFFICE: &str = "KANIM-KUPANG";
const TOKEN: &str = "doctor-test-token";

/// A configuration whose data folder is `dir`; no upstream, no hub, PDF tickets.
fn config_in(dir: &Path) -> Config {
    let mut config = Config::default();
    config.kiosk.data_dir = Some(dir.to_owned());
    config
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

fn advice_code(check: &Check) -> &'static str {
    check.advice.as_ref().map(|a| a.code).unwrap_or("")
}

fn assert_advice_in_both_languages(check: &Check) {
    let advice = check.advice.as_ref().expect("a problem comes with advice");
    assert!(
        !advice.id.trim().is_empty(),
        "{}: Indonesian advice",
        check.id
    );
    assert!(!advice.en.trim().is_empty(), "{}: English advice", check.id);
    assert_ne!(advice.id, advice.en, "{}: two languages", check.id);
}

// ---- config and keys ----

#[test]
fn an_invalid_config_file_is_a_failed_line_with_its_file_and_line_and_the_rest_skipped() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("hadir.toml");
    std::fs::write(
        &path,
        "[office]\nid = \"X\"\n\n[checkin]\nearly_minutes = \"sixty\"\n",
    )
    .expect("write");
    let loaded = Config::load(Some(&path));
    let report = runtime().block_on(examine(&loaded, &Timestamp::now));
    let config = report.check("config").expect("config line");
    assert_eq!(config.status, Status::Fail);
    assert_eq!(advice_code(config), "config_invalid");
    assert_eq!(config.facts["line"], 5, "the line of the error: {config:?}");
    assert_eq!(config.facts["file"], path.display().to_string());
    assert!(
        config.detail.contains("checkin.early_minutes"),
        "{config:?}"
    );
    assert_advice_in_both_languages(config);
    assert_eq!(report.status, Status::Fail);
    assert!(!report.all_passed());
    let ids: Vec<_> = report.checks.iter().map(|c| c.id).collect();
    assert_eq!(ids, CHECK_IDS, "every line is there, in order");
    assert!(
        report.checks[1..].iter().all(|c| c.status == Status::Skip),
        "nothing else can be judged without a config: {report:#?}"
    );
}

#[test]
fn an_unreadable_config_file_fails_with_its_code() {
    let dir = tempfile::tempdir().expect("temp dir");
    let loaded = Config::load(Some(&dir.path().join("missing.toml")));
    let check = config(&loaded);
    assert_eq!(check.status, Status::Fail);
    assert_eq!(advice_code(&check), "config_unreadable");
}

#[test]
fn a_config_file_that_was_read_passes_and_names_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("hadir.toml");
    std::fs::write(&path, "[kiosk]\nid = \"K2\"\n").expect("write");
    let check = config(&Config::load(Some(&path)));
    assert_eq!(check.status, Status::Pass, "{check:?}");
    assert!(check.detail.contains("hadir.toml"));
    let system = dir.path().join("etc").join("hadir.toml");
    let missing = config(&Ok((
        Config::default(),
        ConfigSource::DefaultsBecauseMissing(vec![path.clone(), system.clone()]),
    )));
    assert_eq!(missing.status, Status::Warn);
    assert_eq!(advice_code(&missing), "config_missing");
    let advice = missing.advice.as_ref().expect("advice");
    for place in [&path, &system] {
        let shown = place.display().to_string();
        assert!(
            missing.detail.contains(&shown) && advice.en.contains(&shown),
            "every place looked in is named: {missing:?}"
        );
    }
    assert_eq!(
        missing.facts["looked_in"],
        serde_json::json!([path.display().to_string(), system.display().to_string()])
    );
}

#[test]
fn keys_are_counted_and_none_is_no_problem() {
    let mut config = Config::default();
    let check = keys(&config);
    assert_eq!(
        check.status,
        Status::Skip,
        "a kiosk that only takes booking codes is healthy: {check:?}"
    );
    assert!(
        check.detail.contains("booking codes work") && check.detail.contains("unknown_key"),
        "says what works and what is refused: {check:?}"
    );
    assert_eq!(check.facts["count"], 0);
    config.keys.insert(
        crate::demo::DEMO_KEY_ID.into(),
        crate::demo::demo_public_key(),
    );
    let check = keys(&config);
    assert_eq!(check.status, Status::Pass, "{check:?}");
    assert_eq!(check.facts["count"], 1);
    assert_eq!(
        check.facts["ids"],
        serde_json::json!([crate::demo::DEMO_KEY_ID])
    );
}

// ---- data folder, disk, logs ----

#[test]
fn a_writable_data_folder_passes_and_keeps_no_probe_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let check = data_dir(&config_in(dir.path()));
    assert_eq!(check.status, Status::Pass, "{check:?}");
    assert_eq!(
        std::fs::read_dir(dir.path()).expect("lists").count(),
        0,
        "the write test leaves nothing behind"
    );
    let missing = data_dir(&config_in(&dir.path().join("not-yet")));
    assert_eq!(
        missing.status,
        Status::Pass,
        "created at start: {missing:?}"
    );
    assert!(
        !dir.path().join("not-yet").exists(),
        "the doctor creates nothing"
    );
}

#[cfg(unix)]
#[test]
fn a_read_only_data_folder_fails() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    std::fs::create_dir(&data).expect("mkdir");
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    let check = data_dir(&config_in(&data));
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).expect("chmod back");
    assert_eq!(check.status, Status::Fail, "{check:?}");
    assert_eq!(advice_code(&check), "data_dir_not_writable");
    assert_advice_in_both_languages(&check);
}

/// Windows sets the read-only attribute on many folders that are writable, and ignores it for
/// folders: only the real write counts there.
#[cfg(windows)]
#[test]
fn a_folder_with_the_read_only_attribute_that_takes_files_passes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    std::fs::create_dir(&data).expect("mkdir");
    let mut permissions = std::fs::metadata(&data).expect("meta").permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&data, permissions).expect("attribute");
    let check = data_dir(&config_in(&data));
    assert_eq!(check.status, Status::Pass, "{check:?}");
}

#[test]
fn a_file_where_the_data_folder_should_be_fails() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("data");
    std::fs::write(&file, b"not a folder").expect("write");
    let check = data_dir(&config_in(&file));
    assert_eq!(check.status, Status::Fail);
    assert_eq!(advice_code(&check), "data_dir_not_a_folder");
    let below = data_dir(&config_in(&file.join("inside")));
    assert_eq!(below.status, Status::Fail, "cannot be created: {below:?}");
}

#[test]
fn free_disk_space_is_judged_against_the_minimum() {
    assert_eq!(files::judge_disk(600_000_000, 500).status, Status::Pass);
    let low = files::judge_disk(499_999_999, 500);
    assert_eq!(low.status, Status::Fail);
    assert_eq!(advice_code(&low), "disk_low");
    assert_eq!(low.facts["free_bytes"], 499_999_999u64);
    let dir = tempfile::tempdir().expect("temp dir");
    let mut config = config_in(&dir.path().join("later"));
    config.doctor.min_free_disk_mb = 1;
    let measured = disk(&config);
    assert_eq!(measured.status, Status::Pass, "{measured:?}");
    assert!(measured.facts["free_bytes"]
        .as_u64()
        .is_some_and(|b| b > 1_000_000));
}

#[test]
fn the_log_folder_is_reported_with_its_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = config_in(dir.path());
    let missing = logs(&config);
    assert_eq!(missing.status, Status::Warn, "{missing:?}");
    assert_eq!(advice_code(&missing), "logs_missing");
    std::fs::create_dir_all(config.log_dir()).expect("mkdir");
    std::fs::write(config.log_dir().join("hadir.log"), vec![b'x'; 2500]).expect("write");
    let present = logs(&config);
    assert_eq!(present.status, Status::Pass, "{present:?}");
    assert_eq!(present.facts["files"], 1);
    assert_eq!(present.facts["bytes"], 2500);
    assert_eq!(present.facts["newest"], "hadir.log");
    std::fs::remove_dir_all(config.log_dir()).expect("rm");
    std::fs::write(config.log_dir(), b"a file").expect("write");
    let file = logs(&config);
    assert_eq!(file.status, Status::Fail);
    assert_eq!(advice_code(&file), "logs_not_writable");
}

// ---- database and schema ----

#[test]
fn no_database_yet_is_a_warning_and_none_is_created() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = config_in(dir.path());
    let look = look_at_store(&config);
    assert_eq!(database(&look).status, Status::Warn);
    assert_eq!(advice_code(&database(&look)), "database_missing");
    assert_eq!(schema(&look).status, Status::Skip);
    assert!(
        !dir.path().join(STORE_FILE_NAME).exists(),
        "the doctor must not create a store"
    );
}

#[test]
fn a_healthy_database_passes_at_the_current_schema_and_is_not_changed() {
    let dir = tempfile::tempdir().expect("temp dir");
    drop(Store::open_in(dir.path()).expect("store"));
    let path = dir.path().join(STORE_FILE_NAME);
    let before = std::fs::read(&path).expect("read");
    let look = look_at_store(&config_in(dir.path()));
    let db = database(&look);
    assert_eq!(db.status, Status::Pass, "{db:?}");
    assert_eq!(db.facts["integrity"], "ok");
    let schema = schema(&look);
    assert_eq!(schema.status, Status::Pass);
    assert_eq!(schema.facts["schema_version"], SCHEMA_VERSION);
    assert_eq!(std::fs::read(&path).expect("read"), before, "read-only");
}

#[test]
fn a_file_that_is_not_a_database_fails() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join(STORE_FILE_NAME),
        vec![0x5A; 8192], // no SQLite header
    )
    .expect("write");
    let look = look_at_store(&config_in(dir.path()));
    let check = database(&look);
    assert_eq!(check.status, Status::Fail, "{check:?}");
    assert_eq!(advice_code(&check), "database_damaged");
    assert_advice_in_both_languages(&check);
    assert_eq!(schema(&look).status, Status::Skip);
    assert_eq!(
        std::fs::read_dir(dir.path()).expect("lists").count(),
        1,
        "the damaged file is left alone, nothing beside it"
    );
    assert_eq!(
        std::fs::read(dir.path().join(STORE_FILE_NAME)).expect("read"),
        vec![0x5A; 8192]
    );
}

#[test]
fn a_database_with_a_damaged_page_fails_the_integrity_check() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open_in(dir.path()).expect("store");
    let now = jiff::civil::date(2026, 11, 29)
        .at(8, 30, 0, 0)
        .to_zoned_datetime(Config::default().time_zone())
        .expect("zoned");
    crate::demo::fill(&mut store, &now, &Config::default()).expect("a demo day fills pages");
    drop(store);
    let path = dir.path().join(STORE_FILE_NAME);
    let mut bytes = std::fs::read(&path).expect("read");
    let page_size = usize::from(u16::from_be_bytes([bytes[16], bytes[17]]));
    assert!(bytes.len() >= 4 * page_size, "enough pages to damage one");
    // Page 3 (a table or index page): garbage over its header and cell pointers.
    for byte in &mut bytes[2 * page_size..2 * page_size + 64] {
        *byte = 0xFF;
    }
    std::fs::write(&path, &bytes).expect("write");
    let check = database(&look_at_store(&config_in(dir.path())));
    assert_eq!(check.status, Status::Fail, "{check:?}");
    assert_eq!(advice_code(&check), "database_damaged");
}

#[test]
fn a_database_from_a_newer_hadir_fails_the_schema_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    drop(Store::open_in(dir.path()).expect("store"));
    let conn = rusqlite::Connection::open(dir.path().join(STORE_FILE_NAME)).expect("open");
    conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .expect("bump");
    drop(conn);
    let look = look_at_store(&config_in(dir.path()));
    assert_eq!(database(&look).status, Status::Pass);
    let check = schema(&look);
    assert_eq!(check.status, Status::Fail, "{check:?}");
    assert_eq!(advice_code(&check), "schema_too_new");
    assert_eq!(check.facts["schema_version"], SCHEMA_VERSION + 1);
}

// ---- printer ----

fn tcp_printer_config(address: String) -> Config {
    let mut config = Config::default();
    config.printer.sink = SinkKind::EscposTcp;
    config.printer.address = Some(address);
    config.printer.timeout_ms = 2000;
    config
}

#[test]
fn a_healthy_printer_stand_in_passes_and_gets_no_job() {
    let printer = EscposPrinter::start(PrinterMode::Healthy).expect("stand-in");
    let check = super::printer(&tcp_printer_config(printer.address()));
    assert_eq!(check.status, Status::Pass, "{check:?}");
    // The stand-in records a session once the connection has closed on its side.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    let sessions = loop {
        let sessions = printer.sessions();
        if !sessions.is_empty() || std::time::Instant::now() > deadline {
            break sessions;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    };
    assert_eq!(sessions.len(), 1, "one connection");
    assert_eq!(sessions[0].queries_before_job, 3, "asked DLE EOT 1, 2, 4");
    assert!(sessions[0].job.is_empty(), "nothing printed");
}

#[test]
fn a_printer_without_paper_or_with_its_cover_open_fails_with_the_staff_advice() {
    for (mode, reason) in [
        (PrinterMode::PaperOut, "printer_paper_out"),
        (PrinterMode::CoverOpen, "printer_cover_open"),
    ] {
        let printer = EscposPrinter::start(mode).expect("stand-in");
        let check = super::printer(&tcp_printer_config(printer.address()));
        assert_eq!(check.status, Status::Fail, "{mode:?}: {check:?}");
        assert_eq!(advice_code(&check), reason);
        assert_advice_in_both_languages(&check);
        let advice = check.advice.as_ref().expect("advice");
        let key = format!(
            "staff.printer.check.{}",
            crate::print::what_to_check(reason)
        );
        assert_eq!(
            advice.en,
            crate::texts::text(crate::model::Language::En, &key, &serde_json::json!({})),
            "the words staff see on the staff screen"
        );
    }
    let printer = EscposPrinter::start(PrinterMode::PaperNearEnd).expect("stand-in");
    let check = super::printer(&tcp_printer_config(printer.address()));
    assert_eq!(check.status, Status::Warn, "{check:?}");
    assert_eq!(advice_code(&check), "printer_paper_near_end");
}

#[test]
fn an_unreachable_printer_fails() {
    let address = {
        let printer = EscposPrinter::start(PrinterMode::Healthy).expect("stand-in");
        printer.address()
    }; // stopped: nothing listens there now
    let check = super::printer(&tcp_printer_config(address));
    assert_eq!(check.status, Status::Fail, "{check:?}");
    assert_eq!(advice_code(&check), "printer_unreachable");
}

#[test]
fn a_printer_not_to_be_asked_only_has_to_accept_a_connection() {
    let printer = EscposPrinter::start(PrinterMode::PaperOut).expect("stand-in");
    let mut config = tcp_printer_config(printer.address());
    config.printer.status_query = false;
    let check = super::printer(&config);
    assert_eq!(check.status, Status::Pass, "{check:?}");
    assert!(check.detail.contains("status_query = false"), "{check:?}");
}

#[test]
fn a_pdf_folder_printer_needs_a_writable_folder() {
    let dir = tempfile::tempdir().expect("temp dir");
    let check = super::printer(&config_in(dir.path()));
    assert_eq!(check.status, Status::Pass, "{check:?}");
    let file = dir.path().join("tickets-file");
    std::fs::write(&file, b"x").expect("write");
    let mut config = config_in(dir.path());
    config.printer.pdf_dir = Some(file);
    let check = super::printer(&config);
    assert_eq!(check.status, Status::Fail);
    assert_eq!(advice_code(&check), "pdf_dir_not_writable");
}

// ---- upstream and its clock ----

fn upstream_config(url: String, token: &str) -> Config {
    let mut config = Config::default();
    config.upstream.url = Some(url);
    config.upstream.token = Some(token.into());
    config.upstream.connect_timeout_ms = 2000;
    config.upstream.request_timeout_ms = 5000;
    config
}

/// 2026-11-29 08:30 WITA, and the same instant as an HTTP date.
fn gateway_noon() -> (Timestamp, &'static str) {
    (
        "2026-11-29T00:30:00Z".parse().expect("timestamp"),
        "Sun, 29 Nov 2026 00:30:00 GMT",
    )
}

#[test]
fn a_gateway_that_answers_passes_and_its_clock_is_compared() {
    let gateway = FakeUpstream::start(OFFICE, TOKEN).expect("fake gateway");
    let config = upstream_config(gateway.url(), TOKEN);
    let (upstream, clock) = runtime().block_on(upstream(&config, &Timestamp::now));
    assert_eq!(upstream.status, Status::Pass, "{upstream:?}");
    assert_eq!(
        clock.status,
        Status::Pass,
        "the fake's real Date: {clock:?}"
    );
    assert!(clock.facts["skew_seconds"]
        .as_i64()
        .is_some_and(|s| s.abs() <= 10));
    let seen = gateway.seen();
    assert_eq!(seen.len(), 1, "one request");
    assert_eq!(seen[0].method, "GET", "a pull changes nothing upstream");
    assert!(gateway.applied().is_empty());
}

#[test]
fn a_skewed_kiosk_clock_fails_against_the_gateways_date() {
    let gateway = FakeUpstream::start(OFFICE, TOKEN).expect("fake gateway");
    let (noon, http_date) = gateway_noon();
    gateway.set_date_header(DateHeader::Fixed(http_date.into()));
    let config = upstream_config(gateway.url(), TOKEN);
    let in_step = move || {
        noon.checked_add(jiff::SignedDuration::from_secs(30))
            .expect("t")
    };
    let (_, clock) = runtime().block_on(upstream(&config, &in_step));
    assert_eq!(
        clock.status,
        Status::Pass,
        "30 s is within 120 s: {clock:?}"
    );
    let ahead = move || {
        noon.checked_add(jiff::SignedDuration::from_mins(10))
            .expect("t")
    };
    let (upstream_line, clock) = runtime().block_on(upstream(&config, &ahead));
    assert_eq!(upstream_line.status, Status::Pass, "{upstream_line:?}");
    assert_eq!(clock.status, Status::Fail, "{clock:?}");
    assert_eq!(advice_code(&clock), "clock_skew");
    assert_eq!(
        clock.facts["skew_seconds"], 600,
        "the kiosk is 10 minutes ahead"
    );
    assert!(clock.detail.contains("600 s ahead of"), "{clock:?}");
    assert_advice_in_both_languages(&clock);
    let behind = move || {
        noon.checked_sub(jiff::SignedDuration::from_mins(5))
            .expect("t")
    };
    let (_, clock) = runtime().block_on(upstream(&config, &behind));
    assert_eq!(clock.facts["skew_seconds"], -300);
    assert_eq!(clock.status, Status::Fail);
    gateway.set_date_header(DateHeader::Omitted);
    let (_, clock) = runtime().block_on(upstream(&config, &Timestamp::now));
    assert_eq!(clock.status, Status::Warn, "{clock:?}");
    assert_eq!(advice_code(&clock), "no_server_date");
}

#[test]
fn a_gateway_that_is_down_or_refuses_the_token_fails() {
    let url = {
        let gateway = FakeUpstream::start(OFFICE, TOKEN).expect("fake gateway");
        gateway.url()
    }; // stopped
    let (upstream_line, clock) =
        runtime().block_on(upstream(&upstream_config(url, TOKEN), &Timestamp::now));
    assert_eq!(upstream_line.status, Status::Fail, "{upstream_line:?}");
    assert_eq!(advice_code(&upstream_line), "sync_network");
    assert_advice_in_both_languages(&upstream_line);
    assert_eq!(clock.status, Status::Skip, "no answer, no clock: {clock:?}");

    let gateway = FakeUpstream::start(OFFICE, TOKEN).expect("fake gateway");
    let config = upstream_config(gateway.url(), "an-old-token");
    let (upstream_line, clock) = runtime().block_on(upstream(&config, &Timestamp::now));
    assert_eq!(upstream_line.status, Status::Fail);
    assert_eq!(advice_code(&upstream_line), "sync_unauthorized");
    assert_eq!(
        clock.status,
        Status::Pass,
        "a refusal still carries the gateway's clock"
    );
}

#[test]
fn no_upstream_is_skipped_not_failed() {
    let (upstream_line, clock) = runtime().block_on(upstream(&Config::default(), &Timestamp::now));
    assert_eq!(upstream_line.status, Status::Skip);
    assert_eq!(clock.status, Status::Skip);
    let (hub_line, hub_clock) = runtime().block_on(hub(&Config::default(), &Timestamp::now));
    assert_eq!(hub_line.status, Status::Skip);
    assert_eq!(hub_clock.status, Status::Skip);
}

// ---- hub ----

#[test]
fn the_hub_on_a_real_postgres_answers_and_a_wrong_url_fails() {
    if let Some(reason) = temp_postgres::skip_reason() {
        eprintln!("skipped: {reason}");
        return;
    }
    let server = temp_postgres::TempPostgres::start().expect("PostgreSQL starts");
    let config = Config {
        hub_url: Some(HubUrl::new(server.url())),
        ..Config::default()
    };
    let runtime = runtime();
    let (fresh, clock) = runtime.block_on(hub(&config, &Timestamp::now));
    assert_eq!(fresh.status, Status::Warn, "no schema yet: {fresh:?}");
    assert_eq!(advice_code(&fresh), "hub_schema_pending");
    assert_eq!(
        clock.status,
        Status::Pass,
        "same machine, same clock: {clock:?}"
    );
    let (still_fresh, _) = runtime.block_on(hub(&config, &Timestamp::now));
    assert_eq!(
        still_fresh.status,
        Status::Warn,
        "the doctor did not migrate the hub"
    );
    runtime
        .block_on(crate::hub::connect(
            config.hub_url.as_ref().expect("url"),
            std::time::Duration::from_secs(5),
        ))
        .expect("a kiosk connects and migrates");
    let (ready, _) = runtime.block_on(hub(&config, &Timestamp::now));
    assert_eq!(ready.status, Status::Pass, "{ready:?}");
    let late = || {
        Timestamp::now()
            .checked_sub(jiff::SignedDuration::from_mins(3))
            .expect("t")
    };
    let (_, skewed) = runtime.block_on(hub(&config, &late));
    assert_eq!(skewed.status, Status::Fail, "{skewed:?}");
    assert_eq!(advice_code(&skewed), "clock_skew");

    let port = server.port();
    drop(server);
    let wrong = Config {
        hub_url: Some(HubUrl::new(format!(
            "postgres://hadir:secret@127.0.0.1:{port}/hadir"
        ))),
        ..Config::default()
    };
    let (down, clock) = runtime.block_on(hub(&wrong, &Timestamp::now));
    assert_eq!(down.status, Status::Fail, "{down:?}");
    assert_eq!(advice_code(&down), "hub_unreachable");
    assert!(!down.detail.contains("secret"), "no password: {down:?}");
    assert_eq!(clock.status, Status::Skip);
}

// ---- who runs the doctor ----

#[test]
fn the_user_line_names_the_account_and_warns_about_root_over_another_accounts_folder() {
    let plain = user::judge_user("kiosk", None);
    assert_eq!(plain.status, Status::Pass);
    assert!(plain.detail.contains("kiosk"), "{plain:?}");
    let over = user::judge_user(
        "root",
        Some(user::RootOverOther {
            folder: "/var/lib/hadir".into(),
            owner_uid: 1001,
        }),
    );
    assert_eq!(over.status, Status::Warn, "{over:?}");
    assert_eq!(advice_code(&over), "doctor_as_root");
    assert!(over.detail.contains("1001"), "{over:?}");
    assert!(
        over.advice
            .as_ref()
            .is_some_and(|a| a.en.contains("sudo -u")),
        "says how to run it as the kiosk account: {over:?}"
    );
    assert_advice_in_both_languages(&over);
}

/// The real look: a folder handed to another account is a warning for root (the user tests and
/// CI run as), and nothing for anyone else (who cannot hand a folder away).
#[cfg(unix)]
#[test]
fn root_looking_at_another_accounts_data_folder_is_warned() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    std::fs::create_dir(&data).expect("mkdir");
    let root = rustix::process::geteuid().is_root();
    assert_eq!(
        user(&config_in(&data)).status,
        Status::Pass,
        "own folder: {}",
        current_user()
    );
    if !root {
        return; // only root can give the folder away
    }
    std::os::unix::fs::chown(&data, Some(4242), None).expect("chown");
    let check = user(&config_in(&data));
    assert_eq!(check.status, Status::Warn, "{check:?}");
    assert_eq!(check.facts["folder_owner_uid"], 4242);
    let later = user(&config_in(&data.join("not-yet")));
    assert_eq!(
        later.status,
        Status::Warn,
        "a folder to be made inside it: {later:?}"
    );
}

// ---- the whole report ----

#[test]
fn a_healthy_standalone_kiosk_passes_every_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("hadir.toml");
    std::fs::write(
        &path,
        format!(
            "[kiosk]\ndata_dir = {:?}\n[keys]\n{} = {:?}\n[doctor]\nmin_free_disk_mb = 1\n",
            dir.path().join("data"),
            crate::demo::DEMO_KEY_ID,
            crate::demo::demo_public_key()
        ),
    )
    .expect("write");
    let loaded = Config::load(Some(&path));
    let (config, _) = loaded.as_ref().expect("valid config");
    drop(Store::open_in(&config.data_dir()).expect("store"));
    std::fs::create_dir_all(config.log_dir()).expect("logs");
    let report = runtime().block_on(examine(&loaded, &Timestamp::now));
    assert!(
        report.all_passed(),
        "{:#?}",
        report
            .checks
            .iter()
            .filter(|c| c.status > Status::Pass)
            .collect::<Vec<_>>()
    );
    assert_eq!(
        report.check("upstream").map(|c| c.status),
        Some(Status::Skip)
    );
    assert_eq!(report.hadir, crate::version::build_info());
    assert_eq!(report.user, current_user());
    assert!(!report.user.is_empty());
    let json = serde_json::to_value(&report).expect("json");
    assert_eq!(json["status"], "pass");
    assert_eq!(json["checks"][0]["id"], "config");
    assert_eq!(json["hadir"]["schema_version"], SCHEMA_VERSION);
}
