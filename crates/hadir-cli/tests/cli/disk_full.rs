//! Issue #20's full disk, with the OS itself saying so: `hadir` runs with an `LD_PRELOAD` shim
//! (`diskfull/shim.c`, built here with `cc`) that gives writes under one folder only the room
//! a file of the test names, then `ENOSPC`; the test fills and frees that room while the
//! program runs. Checked: a check-in that finds no room is refused `disk_full` whole (no half
//! row, no number used), the same process checks in again once there is room (the kiosk needs
//! no restart), the numbers run on without a gap or a repeat; an export to a full stick leaves
//! no file under an export's name; a log file that cannot be written stops no check-in.
//! Linux only (`LD_PRELOAD`, `/proc/self/fd`); the core's own test
//! (`kiosk::disk_full_tests`) covers every platform.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

use crate::common::{self, database_in, AT};

const DAY: &str = "2026-11-29";
const BOOKINGS: usize = 300;

fn booking(n: usize) -> String {
    format!("MPDISK{n:06}")
}

/// A kiosk with `BOOKINGS` bookings open at `AT`, one or two applicants each, all in queue A.
fn kiosk_with_bookings() -> common::TempKiosk {
    let appointments: Vec<serde_json::Value> = (0..BOOKINGS)
        .map(|n| {
            let applicants: Vec<serde_json::Value> = (0..1 + n % 2)
                .map(|a| {
                    serde_json::json!({
                        "name": format!("PEMOHON DISK {n} {a}"), "birth_date": "1980-01-01",
                        "nik_last4": "0001", "priority": null,
                    })
                })
                .collect();
            serde_json::json!({
                "booking_code": booking(n), "date": DAY, "slot_start": "09:00",
                "slot_end": "10:00", "service": "baru", "express": false, "status": "booked",
                "applicants": applicants, "updated_at": "2026-11-28T14:03:11+08:00",
            })
        })
        .collect();
    let feed = serde_json::json!({
        "office": "KANIM-KUPANG", "date": DAY, "full": true, "cursor": "disk",
        "appointments": appointments, "revoked": [],
    });
    let kiosk = common::TempKiosk::new("", "");
    let imported = kiosk.import(&feed.to_string());
    assert!(
        imported.status.success(),
        "import: {}",
        common::stderr(&imported)
    );
    kiosk
}

/// `command` with the shim: writes under `folder` draw on the room written in `room`.
fn on_a_disk(mut command: Command, shim: &Path, folder: &Path, room: &Path) -> Command {
    let folder = folder.canonicalize().expect("watched folder");
    command
        .env("LD_PRELOAD", shim)
        .env("HADIR_DISKFULL_WATCH", folder)
        .env("HADIR_DISKFULL_ROOM", room)
        .env("RUST_LOG", "info");
    command
}

/// The room left, as the shim keeps it in the file.
fn room_left(room: &Path) -> u64 {
    std::fs::read_to_string(room)
        .expect("room file")
        .trim()
        .parse()
        .expect("a number")
}

/// `hadir checkin --stdin`, one scan at a time: each answer is read before the next scan, so
/// the test can fill and free the disk between them.
struct Batch {
    child: Child,
    stdin: Option<ChildStdin>,
    answers: Receiver<serde_json::Value>,
}

impl Batch {
    fn start(mut command: Command, stderr: &Path) -> Batch {
        let mut child = command
            .args(["checkin", "--stdin"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            // flexi_logger says every failed log line there: a file never fills up like a pipe.
            .stderr(std::fs::File::create(stderr).expect("stderr file"))
            .spawn()
            .expect("starts");
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("stdout");
        let (sender, answers) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let answer = serde_json::from_str(&line).expect("each line is one JSON answer");
                if sender.send(answer).is_err() {
                    break;
                }
            }
        });
        Batch {
            child,
            stdin,
            answers,
        }
    }

    fn scan(&mut self, code: &str) -> serde_json::Value {
        let stdin = self.stdin.as_mut().expect("batch open");
        writeln!(stdin, "{code}").expect("scan written");
        stdin.flush().expect("flushed");
        self.answers
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("no answer to {code} within a minute: the batch stopped"))
    }

    fn finish(mut self) -> ExitStatus {
        drop(self.stdin.take()); // end of input: the batch ends by itself
        self.child.wait().expect("waits")
    }
}

fn labels_of(answer: &serde_json::Value) -> Vec<String> {
    answer["tickets"]
        .as_array()
        .expect("tickets")
        .iter()
        .map(|t| t["label"].as_str().expect("label").to_owned())
        .collect()
}

#[test]
fn a_disk_that_fills_refuses_check_ins_whole_and_the_kiosk_goes_on_when_space_returns() {
    let kiosk = kiosk_with_bookings();
    let shim = common::preload_shim("diskfull", kiosk.dir.path(), "a full disk");
    let room = kiosk.dir.path().join("room");
    let command = on_a_disk(kiosk.hadir(AT), &shim, &kiosk.data(), &room);
    let stderr = kiosk.dir.path().join("stderr.txt");
    let mut batch = Batch::start(command, &stderr);
    let mut issued = Vec::new();
    for n in 0..3 {
        let answer = batch.scan(&booking(n));
        assert_eq!(answer["code"], "ok", "room on the disk: {answer}");
        issued.extend(labels_of(&answer));
    }

    // The disk fills up, again and again, each time after another amount of writing: first
    // after a few check-ins, then after 7 bytes, 1,007, 2,007, ... 70,007 (a check-in writes
    // about 60 KB: its WAL pages, log lines, ticket PDF and print record), so that the last
    // write that fits ends at every point of a check-in: in the WAL before or at the commit,
    // in the log, in the ticket's PDF after the commit, in recording how the print went.
    let mut next = 3;
    let mut fitted = 0;
    let mut prints_failed = 0;
    let room_sizes = std::iter::once(400_000).chain((0..=70).map(|k| k * 1_000 + 7));
    for room_bytes in room_sizes {
        std::fs::write(&room, room_bytes.to_string()).expect("room set");
        let mut refused = Vec::new();
        while refused.is_empty() {
            assert!(
                next < BOOKINGS,
                "the disk never filled up: {} bytes of room left",
                room_left(&room)
            );
            let answer = batch.scan(&booking(next));
            match answer["code"].as_str() {
                Some("ok") => {
                    issued.extend(labels_of(&answer));
                    fitted += 1;
                    let prints = answer["prints"].as_array().expect("prints");
                    prints_failed += prints.iter().filter(|p| p["outcome"] == "failed").count();
                }
                Some("disk_full") => {
                    assert_eq!(answer["tickets"], serde_json::json!([]), "{answer}");
                    assert!(
                        answer["next_step"]["id"]
                            .as_str()
                            .is_some_and(|s| !s.is_empty()),
                        "what to do, in Bahasa Indonesia: {answer}"
                    );
                    refused.push(next);
                }
                _ => panic!("booking {next}: ok or disk_full, not {answer}"),
            }
            next += 1;
        }
        assert_eq!(room_left(&room), 0, "the disk is full now");
        // While it stays full: refused each time, a rescan of the refused booking too (nothing
        // of it was kept, so it is not "already checked in").
        for n in [next, refused[0]] {
            let answer = batch.scan(&booking(n));
            assert_eq!(answer["code"], "disk_full", "booking {n}: {answer}");
        }
        refused.push(next);
        next += 1;

        // Space returns: the same process, with the same store connection, checks in again.
        std::fs::remove_file(&room).expect("room freed");
        for n in refused {
            let answer = batch.scan(&booking(n));
            assert_eq!(
                answer["code"], "ok",
                "booking {n} once there is room again ({room_bytes} bytes of room before): {answer}"
            );
            issued.extend(labels_of(&answer));
        }
    }
    assert!(fitted > 5, "check-ins fitted before the disk was full");
    eprintln!(
        "disk full: {fitted} check-ins fitted, {prints_failed} tickets not printed for lack of room, {} numbers in all",
        issued.len()
    );
    let status = batch.finish();
    assert_eq!(
        status.code(),
        Some(2),
        "a batch with lines not recorded ends with status 2"
    );

    let expected: Vec<String> = (1..=issued.len()).map(|n| format!("A-{n:03}")).collect();
    assert_eq!(
        issued, expected,
        "every number once and in order: none lost to a refusal, none given twice"
    );
    let db = database_in(&kiosk.data());
    let integrity: String = db
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .expect("check");
    assert_eq!(integrity, "ok");
    let count = |sql: &str| -> i64 { db.query_row(sql, [], |row| row.get(0)).expect(sql) };
    let checkins = count("SELECT COUNT(*) FROM checkins");
    assert_eq!(
        checkins,
        issued.len() as i64,
        "a check-in per number answered"
    );
    assert_eq!(count("SELECT COUNT(*) FROM tickets"), checkins);
    assert_eq!(count("SELECT COUNT(*) FROM ticket_facts"), checkins);
    assert_eq!(
        count("SELECT COUNT(*) FROM outbox WHERE kind = 'checkin'"),
        checkins,
        "one event per check-in, none from a refused one"
    );
    let stored: Vec<String> = db
        .prepare("SELECT label FROM tickets ORDER BY number")
        .expect("query")
        .query_map([], |row| row.get(0))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("labels");
    assert_eq!(
        stored, expected,
        "the store holds exactly the numbers answered"
    );
}

/// Every file in `folder` with its bytes.
fn files_in(folder: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(folder)
        .expect("folder")
        .map(|entry| {
            let path = entry.expect("entry").path();
            let name = path
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            (name, std::fs::read(&path).expect("file"))
        })
        .collect()
}

fn export_command(kiosk: &common::TempKiosk, at: &str, out: &Path) -> Command {
    let mut command = kiosk.hadir(at);
    command
        .args(["export", "--from", DAY, "--to", DAY, "--out"])
        .arg(out)
        .stdout(Stdio::null());
    command
}

#[test]
fn an_export_to_a_full_stick_leaves_no_file_under_an_export_name() {
    let kiosk = kiosk_with_bookings();
    let scans: String = (0..5).map(|n| booking(n) + "\n").collect();
    let mut checkin = kiosk.hadir(AT);
    checkin.args(["checkin", "--stdin"]);
    let output = common::output_with_stdin(checkin, scans);
    assert!(output.status.success(), "{}", common::stderr(&output));
    let shim = common::preload_shim("diskfull", kiosk.dir.path(), "a full disk");
    let room = kiosk.dir.path().join("room");
    let stick = kiosk.dir.path().join("stick");
    std::fs::create_dir(&stick).expect("stick");

    // An earlier export of the day is on the stick; a later one replaces its files.
    let earlier = export_command(&kiosk, "2026-11-29T12:00:00+08:00", &stick)
        .status()
        .expect("runs");
    assert!(earlier.success(), "the first export");
    let before = files_in(&stick);
    assert!(
        before.len() >= 3,
        "CSV, XLSX and PDF files: {:?}",
        before.keys()
    );
    let export_bytes: u64 = before.values().map(|bytes| bytes.len() as u64).sum();
    // Two more check-ins since: every file of a new export differs from the earlier one's.
    let mut checkin = kiosk.hadir(AT);
    checkin.args(["checkin", "--stdin"]);
    let output = common::output_with_stdin(checkin, format!("{}\n{}\n", booking(5), booking(6)));
    assert!(output.status.success(), "{}", common::stderr(&output));

    // The stick fills up before the first byte, a third of the way, and at the last byte.
    for bytes in [0, export_bytes / 3, export_bytes - 1] {
        std::fs::write(&room, bytes.to_string()).expect("room set");
        let command = export_command(&kiosk, "2026-11-29T17:00:00+08:00", &stick);
        let output = on_a_disk(command, &shim, &stick, &room)
            .output()
            .expect("runs");
        let said = common::stderr(&output);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{bytes} bytes of room: {said}"
        );
        assert!(
            said.contains("[export_place_full]"),
            "{bytes} bytes of room: {said}"
        );
        assert_eq!(
            files_in(&stick),
            before,
            "{bytes} bytes of room: every earlier file as it was, no temporary file left"
        );
    }

    // A stick with room: the same export through the shim lands whole and drew on the room.
    std::fs::write(&room, "100000000").expect("room set");
    let command = export_command(&kiosk, "2026-11-29T17:00:00+08:00", &stick);
    let status = on_a_disk(command, &shim, &stick, &room)
        .status()
        .expect("runs");
    assert!(status.success(), "room enough");
    assert!(
        room_left(&room) < 100_000_000,
        "the export's writes went through the shim"
    );
    let after = files_in(&stick);
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>(),
        "the same files, no temporary one"
    );
    assert_ne!(after, before, "replaced by the later export");
}

#[test]
fn a_log_file_that_cannot_be_written_does_not_stop_a_check_in() {
    let kiosk = kiosk_with_bookings();
    let logs = kiosk.data().join("logs");
    let log_file = logs.join("hadir-cli_rCURRENT.log");
    let size = || {
        std::fs::metadata(&log_file)
            .expect("the CLI's log file")
            .len()
    };
    let shim = common::preload_shim("diskfull", kiosk.dir.path(), "a full disk");
    let room = kiosk.dir.path().join("room");
    std::fs::write(&room, "0").expect("room set");
    let before = size();

    let mut command = on_a_disk(kiosk.hadir(AT), &shim, &logs, &room);
    command.args(["checkin", "--stdin"]);
    let scans: String = (0..3).map(|n| booking(n) + "\n").collect();
    let output = common::output_with_stdin(command, scans);
    assert!(
        output.status.success(),
        "every scan admitted: {}",
        common::stderr(&output)
    );
    let answers: Vec<serde_json::Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("JSON"))
        .collect();
    assert_eq!(answers.len(), 3);
    assert!(answers.iter().all(|a| a["code"] == "ok"), "{answers:?}");
    assert_eq!(
        size(),
        before,
        "the log file took none of the run's lines (the shim reached it)"
    );
    let checked_in: i64 = database_in(&kiosk.data())
        .query_row(
            "SELECT COUNT(DISTINCT booking_code) FROM checkins",
            [],
            |row| row.get(0),
        )
        .expect("count");
    assert_eq!(checked_in, 3, "every check-in recorded");

    // The same kind of run with room for the log: it grows (the control).
    let output = common::output_with_stdin(
        {
            let mut command = kiosk.hadir(AT);
            command.env("RUST_LOG", "info").args(["checkin", "--stdin"]);
            command
        },
        booking(3) + "\n",
    );
    assert!(output.status.success(), "{}", common::stderr(&output));
    assert!(size() > before, "a writable log file takes the lines");
}
