//! Helper of `scripts/make-upgrade-fixture.sh`: the parts of an upgrade fixture the `hadir`
//! CLI cannot make, through the core's public API, and the freezing of the result.
//!
//! ```text
//! upgrade_fixture record <config.toml> <at> <frontdesk> <supervisor> <booking code>...
//!     PINs on standard input, one a line: the front-desk account's, then the supervisor's.
//!     Rates the first ticket of the first two codes, reprints the first one's ticket, checks
//!     in two more bookings by hand (one of them a late arrival, overridden), changes a kiosk
//!     setting, and signs both staff members out again.
//! upgrade_fixture freeze <store file> <out dir> <commit> <at>
//!     Writes <out dir>/schema-<N>.sqlite3 (one self-contained file) and schema-<N>.json, the
//!     manifest `crates/hadir/tests/upgrade.rs` compares an upgraded copy against.
//! ```

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use hadir::checkin::Verdict;
use hadir::model::BookingStatus;
use hadir::ratings::{self, RatingRecorded, SurveyAnswers};
use hadir::staff_mode::{self, Session, SignInResult};
use hadir::{Config, Store};
use jiff::civil::Time;
use jiff::{Timestamp, ZonedDateTime};
use rusqlite::types::ValueRef;
use rusqlite::Connection;

type Outcome<T> = Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("record") if args.len() >= 6 => record(&args[1..]),
        Some("freeze") if args.len() == 5 => freeze(&args[1..]),
        _ => Err(
            "usage: upgrade_fixture record <config> <at> <frontdesk> <supervisor> <code>... \
                  | freeze <store file> <out dir> <commit> <at>"
                .into(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("upgrade_fixture: {error}");
            ExitCode::FAILURE
        }
    }
}

fn failed(what: &str) -> impl Fn(hadir::Error) -> String + '_ {
    move |error| format!("{what}: {error} [{}]", error.code())
}

fn record(args: &[String]) -> Outcome<()> {
    let (config, _) = Config::load(Some(Path::new(&args[0]))).map_err(failed("config"))?;
    let at: Timestamp = args[1].parse().map_err(|e| format!("at: {e}"))?;
    let now = at.to_zoned_datetime(config.time_zone());
    let (frontdesk_name, supervisor_name, codes) = (&args[2], &args[3], &args[4..]);
    let mut pins = std::io::stdin().lock().lines();
    let mut next_pin = || -> Outcome<String> {
        pins.next()
            .ok_or("two PINs expected on standard input")?
            .map_err(|e| e.to_string())
    };
    let (desk_pin, supervisor_pin) = (next_pin()?, next_pin()?);
    let mut store = Store::open_in(&config.data_dir()).map_err(failed("store"))?;

    let desk = sign_in(&mut store, frontdesk_name, &desk_pin, &now, &config)?;
    let first = first_ticket(&store, &codes[0], &now)?;
    // Ratings come after service: no sooner than the survey lets a fresh ticket rate.
    let served = jiff::SignedDuration::try_from(config.survey.earliest_after_issue())
        .ok()
        .and_then(|wait| now.checked_add(wait).ok())
        .ok_or("the survey's wait after issue does not fit the clock")?;
    rate(
        &mut store,
        &first.id,
        Some("Pelayanan cepat, petugas ramah."),
        45_000,
        &served,
        &config,
    )?;
    if let Some(code) = codes.get(1) {
        // Too fast to have read the questions: recorded, with a misuse flag.
        let second = first_ticket(&store, code, &now)?;
        rate(&mut store, &second.id, None, 1_500, &served, &config)?;
    }
    staff_mode::reprint(
        &mut store,
        &desk,
        &first.label,
        "kertas macet",
        &now,
        &config,
    )
    .map_err(failed("reprint"))?;
    let (late, upcoming) = bookings_for_staff(&store, &now, &config)?;
    staff_check_in(
        &mut store,
        &desk,
        &late,
        "bus dari Soe terlambat",
        true,
        &now,
        &config,
    )?;
    staff_check_in(
        &mut store,
        &desk,
        &upcoming,
        "QR di HP tidak terbaca",
        false,
        &now,
        &config,
    )?;
    staff_mode::sign_out(&mut store, &desk, &now, staff_mode::SignOutReason::Done)
        .map_err(failed("sign-out"))?;

    let supervisor = sign_in(&mut store, supervisor_name, &supervisor_pin, &now, &config)?;
    hadir::settings::change_setting(
        &mut store,
        &supervisor,
        "screens.result_reset_seconds",
        "20",
        &now,
        &config,
    )
    .map_err(failed("setting"))?;
    staff_mode::sign_out(
        &mut store,
        &supervisor,
        &now,
        staff_mode::SignOutReason::Done,
    )
    .map_err(failed("sign-out"))?;
    println!("recorded: 2 ratings, 1 reprint, override {late}, manual {upcoming}, 1 setting");
    Ok(())
}

fn sign_in(
    store: &mut Store,
    name: &str,
    pin: &str,
    now: &ZonedDateTime,
    config: &Config,
) -> Outcome<Session> {
    match staff_mode::sign_in(store, name, pin, now, config).map_err(failed("sign-in"))? {
        SignInResult::SignedIn { session } => Ok(session),
        other => Err(format!("{name} could not sign in: {other:?}")),
    }
}

fn first_ticket(
    store: &Store,
    code: &str,
    now: &ZonedDateTime,
) -> Outcome<hadir::store::IssuedTicket> {
    store
        .tickets_for_booking(code, now.date())
        .map_err(failed("tickets"))?
        .into_iter()
        .next()
        .ok_or_else(|| format!("{code} has no ticket today: check it in first"))
}

fn rate(
    store: &mut Store,
    ticket_id: &str,
    comment: Option<&str>,
    answered_ms: u64,
    now: &ZonedDateTime,
    config: &Config,
) -> Outcome<()> {
    let scores: BTreeMap<String, u8> = config
        .survey
        .set()
        .elements
        .iter()
        .zip([4, 3, 4, 2, 3, 4, 1, 3, 4].iter().cycle())
        .map(|(element, score)| ((*element).to_owned(), *score))
        .collect();
    let answers = SurveyAnswers {
        ticket_id: ticket_id.to_owned(),
        scores,
        comment: comment.map(str::to_owned),
        answered_ms,
    };
    match ratings::submit_rating(store, &answers, now, config).map_err(failed("rating"))? {
        RatingRecorded::Ok { .. } => Ok(()),
        other => Err(format!("rating of {ticket_id} not recorded: {other:?}")),
    }
}

/// From the demo day's cache: a booked slot already closed for check-in (a late arrival staff
/// override) and one whose check-in window is open but which nobody checked in yet.
fn bookings_for_staff(
    store: &Store,
    now: &ZonedDateTime,
    config: &Config,
) -> Outcome<(String, String)> {
    let minutes = |t: Time| i32::from(t.hour()) * 60 + i32::from(t.minute());
    let now_minutes = minutes(now.time());
    let early = i32::try_from(config.checkin.early_minutes).unwrap_or(i32::MAX);
    let late = i32::try_from(config.checkin.late_minutes).unwrap_or(i32::MAX);
    let (mut too_late, mut upcoming) = (None, None);
    for code in store
        .booking_codes_on(now.date())
        .map_err(failed("cache"))?
    {
        let Some(cached) = store.find_appointment(&code).map_err(failed("cache"))? else {
            continue;
        };
        let booking = cached.appointment;
        if booking.status != BookingStatus::Booked {
            continue;
        }
        if too_late.is_none() && minutes(booking.slot_end) + late < now_minutes {
            too_late = Some(code);
        } else if upcoming.is_none()
            && minutes(booking.slot_start) > now_minutes
            && minutes(booking.slot_start) - early <= now_minutes
        {
            upcoming = Some(code);
        }
    }
    match (too_late, upcoming) {
        (Some(late), Some(next)) => Ok((late, next)),
        _ => Err(format!(
            "the demo day at {now} has no closed slot or no upcoming open one: choose another --at"
        )),
    }
}

fn staff_check_in(
    store: &mut Store,
    session: &Session,
    code: &str,
    reason: &str,
    override_too_late: bool,
    now: &ZonedDateTime,
    config: &Config,
) -> Outcome<()> {
    let (result, pending) =
        staff_mode::staff_check_in(store, session, code, reason, override_too_late, now, config)
            .map_err(failed("staff check-in"))?;
    if result.verdict != Verdict::Ok {
        return Err(format!("staff check-in of {code}: {:?}", result.verdict));
    }
    let outcomes = hadir::kiosk::print_pending(&pending, config);
    hadir::kiosk::record_prints(store, &pending, &outcomes, now).map_err(failed("prints"))
}

fn freeze(args: &[String]) -> Outcome<()> {
    let (store_path, out_dir, commit, at) = (Path::new(&args[0]), &args[1], &args[2], &args[3]);
    let version = hadir::store::SCHEMA_VERSION;
    let out_dir = PathBuf::from(out_dir);
    std::fs::create_dir_all(&out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;
    let fixture = out_dir.join(format!("schema-{version}.sqlite3"));
    let manifest = out_dir.join(format!("schema-{version}.json"));
    let sql = |e: rusqlite::Error| e.to_string();

    let live = Connection::open(store_path).map_err(sql)?;
    let found: i64 = live
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(sql)?;
    if found != version {
        return Err(format!(
            "{} is at schema {found}, this code writes {version}",
            store_path.display()
        ));
    }
    // Everything committed into the main file, then a compact copy of it: one file, no -wal.
    live.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .map_err(sql)?;
    let _ = std::fs::remove_file(&fixture);
    live.execute("VACUUM INTO ?1", [fixture.to_string_lossy()])
        .map_err(sql)?;
    drop(live);

    let frozen = Connection::open(&fixture).map_err(sql)?;
    // As a kiosk leaves its store: in WAL mode (closing the last connection removes the -wal).
    frozen
        .query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
        .map_err(sql)?;
    let text = manifest_text(&frozen, version, commit, at).map_err(sql)?;
    drop(frozen);
    std::fs::write(&manifest, text).map_err(|e| format!("{}: {e}", manifest.display()))?;
    println!("wrote {} and {}", fixture.display(), manifest.display());
    Ok(())
}

/// The manifest: provenance, the audit chain's head, and every row of every table (one JSON
/// object a line, so that a diff shows which row changed).
fn manifest_text(
    conn: &Connection,
    version: i64,
    commit: &str,
    at: &str,
) -> rusqlite::Result<String> {
    let head: String = conn.query_row(
        "SELECT COALESCE((SELECT hash FROM audit ORDER BY id DESC LIMIT 1), '')",
        [],
        |r| r.get(0),
    )?;
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let quote = |s: &str| serde_json::Value::from(s).to_string();
    let mut out = String::from("{\n");
    out.push_str("  \"made_by\": \"scripts/make-upgrade-fixture.sh\",\n");
    out.push_str(&format!(
        "  \"hadir_version\": {},\n",
        quote(env!("CARGO_PKG_VERSION"))
    ));
    out.push_str(&format!("  \"commit\": {},\n", quote(commit)));
    out.push_str(&format!("  \"at\": {},\n", quote(at)));
    out.push_str(&format!("  \"schema_version\": {version},\n"));
    out.push_str(&format!("  \"audit_head_hash\": {},\n", quote(&head)));
    out.push_str("  \"tables\": {");
    for (t, table) in tables.iter().enumerate() {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\" ORDER BY rowid"))?;
        let columns: Vec<String> = stmt.column_names().map(str::to_owned).collect();
        let rows: Vec<String> = stmt
            .query_map([], |row| {
                let mut object = serde_json::Map::new();
                for (i, column) in columns.iter().enumerate() {
                    object.insert(column.clone(), json_value(row.get_ref(i)?));
                }
                Ok(serde_json::Value::Object(object).to_string())
            })?
            .collect::<rusqlite::Result<_>>()?;
        out.push_str(if t == 0 { "\n" } else { ",\n" });
        out.push_str(&format!(
            "    {}: {{\"count\": {}, \"rows\": [",
            quote(table),
            rows.len()
        ));
        if !rows.is_empty() {
            out.push_str("\n      ");
            out.push_str(&rows.join(",\n      "));
            out.push_str("\n    ");
        }
        out.push_str("]}");
    }
    out.push_str("\n  }\n}\n");
    Ok(out)
}

fn json_value(value: ValueRef<'_>) -> serde_json::Value {
    match value {
        ValueRef::Null => serde_json::Value::Null,
        ValueRef::Integer(n) => n.into(),
        ValueRef::Real(x) => x.into(),
        ValueRef::Text(bytes) => String::from_utf8_lossy(bytes).into_owned().into(),
        // No column holds bytes today; a future one is written so that a change still shows.
        ValueRef::Blob(bytes) => {
            let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            serde_json::json!({ "blob_hex": hex })
        }
    }
}
