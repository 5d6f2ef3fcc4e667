//! Upgrades never lose data. Each file in `tests/data/upgrade/` is a store written by a Hadir
//! that shipped (`schema-<N>.sqlite3`, made by `scripts/make-upgrade-fixture.sh` with the code of
//! that schema) with its manifest (`schema-<N>.json`: every row of every table, the audit head).
//! The current code must open each one, migrate it, and keep every row the manifest lists, the
//! audit chain and the unsent outbox. A migration that dropped or rewrote rows fails here; one
//! that only adds tables or columns does not (rows are compared on the manifest's columns).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use fake_upstream::FakeUpstream;
use hadir::store::{AuditEntry, SCHEMA_VERSION, STORE_FILE_NAME};
use hadir::sync::{push_outbox, UpstreamClient};
use hadir::{Config, Store};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};
use serde_json::Value;

/// The first schema a fixture was made for: every version from here on must have one.
const FIRST_FIXTURE: i64 = 7;
const TOKEN: &str = "t0ken-for-upgrade-tests";

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("data")
        .join("upgrade")
}

#[derive(Clone)]
struct Fixture {
    name: String,
    store: PathBuf,
    manifest: Value,
}

fn fixtures() -> Vec<Fixture> {
    let mut found: Vec<Fixture> = std::fs::read_dir(fixture_dir())
        .expect("tests/data/upgrade exists")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "sqlite3"))
        .map(|store| {
            let manifest_path = store.with_extension("json");
            let text = std::fs::read_to_string(&manifest_path)
                .unwrap_or_else(|e| panic!("{} needs its manifest: {e}", store.display()));
            Fixture {
                name: store.file_name().expect("name").to_string_lossy().into(),
                manifest: serde_json::from_str(&text).expect("the manifest is JSON"),
                store,
            }
        })
        .collect();
    found.sort_by(|a, b| a.name.cmp(&b.name));
    assert!(
        !found.is_empty(),
        "no fixtures in {}",
        fixture_dir().display()
    );
    found
}

/// A copy of the fixture as `<temp>/hadir.sqlite3`: tests never touch the committed file.
fn copy_of(fixture: &Fixture) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(&fixture.store, dir.path().join(STORE_FILE_NAME)).expect("copies");
    dir
}

fn json_value(value: ValueRef<'_>) -> Value {
    match value {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(n) => n.into(),
        ValueRef::Real(x) => x.into(),
        ValueRef::Text(bytes) => String::from_utf8_lossy(bytes).into_owned().into(),
        ValueRef::Blob(bytes) => {
            let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            serde_json::json!({ "blob_hex": hex })
        }
    }
}

/// The rows of `table` now, each reduced to `columns` and written as one JSON text, sorted (row
/// order and rowids may change in a migration that rebuilds a table; contents may not).
fn rows_now(conn: &Connection, table: &str, columns: &[String]) -> Vec<String> {
    let list: Vec<String> = columns.iter().map(|c| format!("\"{c}\"")).collect();
    let sql = format!("SELECT {} FROM \"{table}\"", list.join(", "));
    let mut stmt = conn
        .prepare(&sql)
        .unwrap_or_else(|e| panic!("table {table} with columns {columns:?} is gone: {e}"));
    let mut rows: Vec<String> = stmt
        .query_map([], |row| {
            let mut object = serde_json::Map::new();
            for (i, column) in columns.iter().enumerate() {
                object.insert(column.clone(), json_value(row.get_ref(i)?));
            }
            Ok(Value::Object(object).to_string())
        })
        .expect("reads")
        .collect::<rusqlite::Result<_>>()
        .expect("rows");
    rows.sort();
    rows
}

/// Every table of the manifest, compared row for row; returns what differs, by table.
fn differences(conn: &Connection, manifest: &Value) -> Vec<String> {
    let tables = manifest["tables"].as_object().expect("tables");
    let mut problems = Vec::new();
    for (table, listed) in tables {
        let rows = listed["rows"].as_array().expect("rows");
        assert_eq!(
            listed["count"].as_u64(),
            Some(rows.len() as u64),
            "{table}: the manifest's count matches its rows"
        );
        let Some(first) = rows.first() else {
            continue; // an empty table: nothing to lose (its existence is the schema's business)
        };
        let columns: Vec<String> = first.as_object().expect("row").keys().cloned().collect();
        let mut expected: Vec<String> = rows.iter().map(Value::to_string).collect();
        expected.sort();
        let now = rows_now(conn, table, &columns);
        let missing: Vec<&str> = expected
            .iter()
            .filter(|r| !now.contains(r))
            .map(String::as_str)
            .collect();
        let extra: Vec<&str> = now
            .iter()
            .filter(|r| !expected.contains(r))
            .map(String::as_str)
            .collect();
        if expected != now {
            problems.push(format!(
                "{table}: {} rows listed, {} now\n  missing:\n    {}\n  not listed:\n    {}",
                expected.len(),
                now.len(),
                missing.join("\n    "),
                extra.join("\n    ")
            ));
        }
    }
    problems
}

fn manifest_at(manifest: &Value) -> jiff::Timestamp {
    manifest["at"]
        .as_str()
        .expect("at")
        .parse()
        .expect("RFC 3339")
}

#[test]
fn every_schema_from_the_first_fixture_on_has_a_fixture() {
    let names: Vec<String> = fixtures().into_iter().map(|f| f.name).collect();
    for version in FIRST_FIXTURE..=SCHEMA_VERSION {
        assert!(
            names.contains(&format!("schema-{version}.sqlite3")),
            "schema {version} has no upgrade fixture: run scripts/make-upgrade-fixture.sh with \
             the code that introduced it (found {names:?})"
        );
    }
}

#[test]
fn each_fixture_upgrades_with_every_row_the_audit_chain_and_the_outbox_intact() {
    for fixture in fixtures() {
        let name = &fixture.name;
        let manifest = &fixture.manifest;
        let dir = copy_of(&fixture);
        let mut store = Store::open_in(dir.path())
            .unwrap_or_else(|e| panic!("{name} opens with the current code: {e}"));
        assert_eq!(
            store.schema_version().expect("version"),
            SCHEMA_VERSION,
            "{name}: migrated to the current schema"
        );
        assert_eq!(store.integrity_check().expect("check"), "ok", "{name}");

        // A second, read-only connection beside the store (WAL lets it read).
        let conn = Connection::open_with_flags(
            dir.path().join(STORE_FILE_NAME),
            OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .expect("reader");
        let problems = differences(&conn, manifest);
        assert!(
            problems.is_empty(),
            "{name}: rows changed by the upgrade:\n{}",
            problems.join("\n")
        );

        let audit_rows = manifest["tables"]["audit"]["count"]
            .as_i64()
            .expect("audit count");
        assert!(
            audit_rows > 0,
            "{name}: the fixture has audit rows to check"
        );
        let check = store.verify_audit().expect("verifies");
        assert_eq!(check.first_broken, None, "{name}: the audit chain holds");
        assert_eq!(check.rows, audit_rows, "{name}");
        let head: String = conn
            .query_row("SELECT hash FROM audit ORDER BY id DESC LIMIT 1", [], |r| {
                r.get(0)
            })
            .expect("head");
        assert_eq!(
            Value::from(head),
            manifest["audit_head_hash"],
            "{name}: the chain's head is the one the old version wrote"
        );
        // The chain goes on from the old head.
        store
            .append_audit(&AuditEntry {
                at: "2026-12-01T08:00:00+08:00",
                staff_id: None,
                action: "upgrade_test",
                target: Some(name),
                reason: None,
            })
            .expect("appends");
        let check = store.verify_audit().expect("verifies");
        assert_eq!(
            (check.rows, check.first_broken),
            (audit_rows + 1, None),
            "{name}"
        );

        // The events the old version left unsent reach the gateway, each once.
        let nonces: Vec<String> = manifest["tables"]["outbox"]["rows"]
            .as_array()
            .expect("outbox rows")
            .iter()
            .map(|row| row["nonce"].as_str().expect("nonce").to_owned())
            .collect();
        assert!(
            !nonces.is_empty(),
            "{name}: the fixture has an unsent outbox"
        );
        assert_eq!(store.outbox_len().expect("count"), nonces.len() as i64);
        let mut config = Config::default();
        let upstream = FakeUpstream::start(&config.office.id, TOKEN).expect("gateway");
        config.upstream.url = Some(upstream.url());
        config.upstream.token = Some(TOKEN.into());
        let client = UpstreamClient::new(&config).expect("client");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let report = runtime
            .block_on(push_outbox(
                &client,
                &mut store,
                &config,
                manifest_at(manifest),
            ))
            .unwrap_or_else(|e| panic!("{name}: the old outbox pushes: {e}"));
        assert_eq!(
            (report.accepted, report.rejected, report.left),
            (nonces.len(), 0, 0),
            "{name}"
        );
        let applied: Vec<String> = upstream.applied().into_keys().collect();
        let mut sent = nonces.clone();
        sent.sort();
        assert_eq!(applied, sent, "{name}: the gateway got every old event");
        let kinds: BTreeMap<String, usize> =
            upstream
                .applied()
                .values()
                .fold(BTreeMap::new(), |mut kinds, event| {
                    let kind = event["kind"].as_str().unwrap_or("?").to_owned();
                    *kinds.entry(kind).or_default() += 1;
                    kinds
                });
        for kind in ["checkin", "override", "reprint", "rating"] {
            assert!(
                kinds.contains_key(kind),
                "{name}: a {kind} event went through: {kinds:?}"
            );
        }
    }
}

/// Each file in `dir` with the SHA-256 of its bytes.
fn folder_files(dir: &Path) -> BTreeMap<String, String> {
    use sha2::Digest;
    std::fs::read_dir(dir)
        .expect("lists")
        .map(|entry| {
            let path = entry.expect("entry").path();
            let bytes = std::fs::read(&path).expect("reads");
            let digest: String = sha2::Sha256::digest(bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            (
                path.file_name().expect("name").to_string_lossy().into(),
                digest,
            )
        })
        .collect()
}

/// A newer Hadir's store as the kiosk leaves it (WAL), and as a backup copy made with the
/// `sqlite3` tool leaves it (rollback journal: the WAL switch at open would rewrite its header).
#[test]
fn a_store_from_a_newer_hadir_is_refused_with_its_code_and_left_byte_for_byte() {
    for (fixture, journal_mode) in fixtures()
        .into_iter()
        .flat_map(|f| [(f.clone(), "wal"), (f, "delete")])
    {
        let name = &format!("{} ({journal_mode})", fixture.name);
        let dir = copy_of(&fixture);
        {
            let conn = Connection::open(dir.path().join(STORE_FILE_NAME)).expect("opens");
            conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
                .expect("a newer Hadir's version");
            let _: String = conn
                .query_row(&format!("PRAGMA journal_mode = {journal_mode}"), [], |r| {
                    r.get(0)
                })
                .expect("journal mode");
        }
        let before = folder_files(dir.path());
        assert_eq!(before.len(), 1, "{name}: one file, no -wal: {before:?}");
        let error = Store::open_in(dir.path()).expect_err("a newer store is refused");
        assert_eq!(error.code(), "store_too_new", "{name}: {error}");
        let payload = hadir::ErrorPayload::from(&error);
        assert!(
            payload
                .message
                .contains(&format!("schema version {}", SCHEMA_VERSION + 1))
                && payload.message.contains(STORE_FILE_NAME),
            "{name}: the message names the file and its version: {}",
            payload.message
        );
        assert!(
            payload.next_step.id.contains("Hadir") && payload.next_step.en.contains("Hadir"),
            "{name}: the next step says what to install, in both languages"
        );
        assert_eq!(
            folder_files(dir.path()),
            before,
            "{name}: the refused store is byte-for-byte as it was, and no file appeared beside it"
        );
    }
}
