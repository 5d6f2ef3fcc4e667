//! `hadir export` end to end: a demo day with check-ins, prints, ratings and staff actions is
//! written through the core's store API, the real binary exports it, and independent readers
//! check the files against the database: the `csv` crate, Python's openpyxl (Debian's
//! `python3-openpyxl`) for the XLSX, poppler's `pdfinfo`/`pdftotext`/`pdftoppm` for the PDF.
//! Rendered PDF pages land in `test-artifacts/exports/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use hadir::model::BookingStatus;
use hadir::store::{
    ApplicantSlot, AuditEntry, BookingTicketFacts, NewCheckin, NewRating, PrintOutcome,
    StaffCheckin,
};
use hadir::survey::{MisuseFlag, SERVQUAL};
use hadir::Config;

use crate::common;

const DAY: &str = "2026-11-29";
const EXPORT_AT: &str = "2026-11-29T17:00:00+08:00";

/// Fills the kiosk's store with a demo day and what happened on it.
fn fixture(kiosk: &common::TempKiosk) {
    let config = Config::default();
    let tz = config.time_zone();
    let morning = "2026-11-29T07:00:00+08:00"
        .parse::<jiff::Timestamp>()
        .expect("ts")
        .to_zoned_datetime(tz);
    let mut store = kiosk.store();
    let (day, _) = hadir::demo::fill(&mut store, &morning, &config).expect("demo day");
    let staff = store
        .add_staff(
            "maria",
            hadir::model::StaffRole::Frontdesk,
            "$argon2id$x",
            "2026-11-01T08:00:00+08:00",
        )
        .expect("staff");
    store
        .append_audit(&AuditEntry {
            at: "2026-11-28T16:00:00+08:00",
            staff_id: None,
            action: "staff_add",
            target: Some("maria (frontdesk)"),
            reason: None,
        })
        .expect("audit of the day before");

    let printed = PrintOutcome::Printed {
        sink: "pdf_folder".into(),
    };
    let failed = PrintOutcome::Failed {
        sink: "escpos_tcp".into(),
        reason: "printer_unreachable",
        detail: "connection refused".into(),
    };
    let booked = day
        .body
        .appointments
        .iter()
        .filter(|a| a.status == BookingStatus::Booked)
        .take(14);
    let mut n = 0;
    for (k, appointment) in booked.enumerate() {
        let minute = 7 * 60 + 50 + k * 37;
        let at = format!("{DAY}T{:02}:{:02}:00+08:00", minute / 60, minute % 60);
        let priority = appointment.applicants.iter().any(|a| a.priority.is_some());
        let staff_checkin = (k == 3).then_some(StaffCheckin {
            staff_id: staff,
            kind: "override",
            reason: "datang terlambat, disetujui supervisor",
        });
        let tickets = store
            .record_checkin(&NewCheckin {
                booking_code: &appointment.booking_code,
                applicants: appointment
                    .applicants
                    .iter()
                    .enumerate()
                    .map(|(applicant_index, a)| ApplicantSlot {
                        applicant_index,
                        queue: if priority { "P" } else { "A" }.into(),
                        name: Some(a.name.clone()),
                        priority: a.priority,
                        nonce: None,
                    })
                    .collect(),
                office_date: appointment.date,
                at: at.clone(),
                kiosk: "K1",
                facts: BookingTicketFacts {
                    service: appointment.service,
                    express: appointment.express,
                    slot: format!(
                        "{}-{}",
                        appointment.slot_start.strftime("%H:%M"),
                        appointment.slot_end.strftime("%H:%M")
                    ),
                },
                by_staff: staff_checkin.clone(),
                numbering: Default::default(),
            })
            .expect("check-in")
            .expect("new");
        if staff_checkin.is_some() {
            store
                .append_audit(&AuditEntry {
                    at: &at,
                    staff_id: Some(staff),
                    action: "override",
                    target: Some(&appointment.booking_code),
                    reason: Some("datang terlambat, disetujui supervisor"),
                })
                .expect("audit");
        }
        for ticket in &tickets {
            n += 1;
            if n % 4 == 0 {
                store
                    .record_print(&ticket.id, &at, false, &failed)
                    .expect("print");
            }
            if n % 7 != 0 {
                store
                    .record_print(&ticket.id, &at, false, &printed)
                    .expect("print");
            }
            if n % 5 == 0 {
                store
                    .record_print(&ticket.id, &at, true, &printed)
                    .expect("reprint");
            }
            if n % 2 == 0 {
                let scores: BTreeMap<String, u8> = SERVQUAL
                    .elements
                    .iter()
                    .enumerate()
                    .map(|(e, element)| ((*element).to_owned(), 1 + ((n + e) % 4) as u8))
                    .collect();
                let flags: &[MisuseFlag] = if n % 6 == 0 {
                    &[MisuseFlag::Burst]
                } else {
                    &[]
                };
                let rated_at = format!("{DAY}T15:{:02}:00+08:00", n % 60);
                store
                    .record_rating(&NewRating {
                        ticket_id: &ticket.id,
                        at: &rated_at,
                        kiosk: "K2",
                        question_set: "servqual",
                        scores: &scores,
                        comment: (n == 4).then_some("antre lama, tapi \"ramah\", terima kasih"),
                        answered_ms: 15_000,
                        flags,
                    })
                    .expect("rating");
            }
        }
    }
}

fn export(kiosk: &common::TempKiosk, args: &[&str]) -> Output {
    kiosk
        .hadir(EXPORT_AT)
        .arg("export")
        .args(args)
        .output()
        .expect("runs")
}

fn read_csv(path: &Path) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    let mut reader = csv::Reader::from_path(path).expect("opens CSV");
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|record| {
            let record = record.expect("RFC 4180 record");
            header
                .iter()
                .cloned()
                .zip(record.iter().map(str::to_owned))
                .collect()
        })
        .collect();
    (header, rows)
}

/// Tickets of the day as the database holds them, in issue order.
struct DbTicket {
    label: String,
    booking_code: String,
    service: String,
    priority: Option<String>,
    name: String,
    issued_at: String,
}

fn db_tickets(conn: &rusqlite::Connection) -> Vec<DbTicket> {
    let mut stmt = conn
        .prepare(
            "SELECT t.label, c.booking_code, f.service, f.priority, f.applicant_name, t.issued_at
             FROM tickets t JOIN checkins c ON c.id = t.checkin_id
             JOIN ticket_facts f ON f.ticket_id = t.id
             WHERE t.office_date = ?1 ORDER BY t.issued_at, c.booking_code, t.group_pos",
        )
        .expect("prepares");
    stmt.query_map([DAY], |r| {
        Ok(DbTicket {
            label: r.get(0)?,
            booking_code: r.get(1)?,
            service: r.get(2)?,
            priority: r.get(3)?,
            name: r.get(4)?,
            issued_at: r.get(5)?,
        })
    })
    .expect("queries")
    .collect::<rusqlite::Result<_>>()
    .expect("rows")
}

/// The index in IKM form, worked out here from the raw rows: unflagged ratings only, mean of
/// the element means x 25, two decimals; graded by PermenPANRB 14/2017.
fn expected_index(conn: &rusqlite::Connection) -> (f64, &'static str, i64, i64) {
    let mut stmt = conn
        .prepare("SELECT scores, flags FROM ratings WHERE office_date = ?1")
        .expect("prepares");
    let rows: Vec<(String, String)> = stmt
        .query_map([DAY], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("queries")
        .collect::<rusqlite::Result<_>>()
        .expect("rows");
    let mut sums: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    let (mut counted, mut flagged) = (0, 0);
    for (scores, flags) in rows {
        if flags != "[]" {
            flagged += 1;
            continue;
        }
        counted += 1;
        let scores: BTreeMap<String, f64> = serde_json::from_str(&scores).expect("scores JSON");
        for (element, score) in scores {
            let entry = sums.entry(element).or_default();
            entry.0 += score;
            entry.1 += 1.0;
        }
    }
    let mean_of_means = sums.values().map(|(sum, n)| sum / n).sum::<f64>() / sums.len() as f64;
    let index = (mean_of_means * 25.0 * 100.0).round() / 100.0;
    let grade = if index >= 88.31 {
        "A"
    } else if index >= 76.61 {
        "B"
    } else if index >= 65.0 {
        "C"
    } else {
        "D"
    };
    (index, grade, counted, flagged)
}

/// Every cell of every sheet, as openpyxl reads them (numbers stay JSON numbers; a date or
/// time cell, which openpyxl reads as a `datetime`, becomes `{"datetime": "<ISO text>"}`), and
/// each sheet's autofilter range.
fn read_xlsx(path: &Path) -> serde_json::Value {
    let script = r#"
import datetime, json, sys, openpyxl
book = openpyxl.load_workbook(sys.argv[1])
def cell(value):
    if isinstance(value, (datetime.datetime, datetime.date)):
        return {"datetime": value.isoformat()}
    return value
print(json.dumps({"sheets": book.sheetnames,
                  "filters": {ws.title: ws.auto_filter.ref for ws in book.worksheets},
                  "cells": {ws.title: [[cell(v) for v in row] for row in ws.iter_rows(values_only=True)]
                            for ws in book.worksheets}}))
"#;
    // Debian's python3, which has Debian's openpyxl (a pyenv python on PATH would not).
    let out = Command::new("/usr/bin/python3")
        .args(["-c", script])
        .arg(path)
        .output()
        .expect("/usr/bin/python3 runs (scripts/setup.sh installs python3-openpyxl)");
    assert!(
        out.status.success(),
        "openpyxl could not read the workbook: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON from python")
}

fn sheet<'a>(book: &'a serde_json::Value, name: &str) -> &'a Vec<serde_json::Value> {
    book["cells"][name].as_array().expect("sheet present")
}

fn pdf_text(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext runs (poppler-utils)");
    assert!(out.status.success());
    String::from_utf8(out.stdout).expect("UTF-8 text")
}

fn artifacts_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test-artifacts/exports");
    std::fs::create_dir_all(&dir).expect("create test-artifacts/exports");
    dir
}

fn files_of(stdout: &[u8]) -> (serde_json::Value, Vec<PathBuf>) {
    let json: serde_json::Value = serde_json::from_slice(stdout).expect("JSON on stdout");
    let files = json["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| PathBuf::from(f.as_str().expect("path")))
        .collect();
    (json, files)
}

#[test]
fn a_day_exports_to_csv_xlsx_and_pdf_that_match_the_database() {
    let kiosk = common::TempKiosk::new("", "");
    fixture(&kiosk);
    let out = kiosk.dir.path().join("export");
    let out_arg = out.to_str().expect("utf-8 path");
    let output = export(
        &kiosk,
        &[
            "--from", DAY, "--to", DAY, "--format", "csv", "--format", "xlsx", "--format", "pdf",
            "--out", out_arg,
        ],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let (json, files) = files_of(&output.stdout);
    let names: Vec<String> = files
        .iter()
        .map(|f| f.file_name().expect("name").to_string_lossy().into_owned())
        .collect();
    let stem = format!("{DAY}_{DAY}");
    assert_eq!(
        names,
        [
            format!("summary_{stem}.csv"),
            format!("tickets_{stem}.csv"),
            format!("ratings_{stem}.csv"),
            format!("staff_actions_{stem}.csv"),
            format!("hadir_{stem}.xlsx"),
            format!("laporan_{stem}.pdf"),
        ]
    );
    assert!(files.iter().all(|f| f.starts_with(&out) && f.is_file()));
    assert_eq!(json["full_names"], false);

    let conn = kiosk.database();
    let tickets = db_tickets(&conn);
    assert!(tickets.len() >= 14, "a family booking adds tickets");

    // Tickets: every database ticket, in order, names masked.
    let (header, rows) = read_csv(&files[1]);
    assert_eq!(header[..3], ["tanggal", "waktu_checkin", "nomor"]);
    assert_eq!(rows.len(), tickets.len());
    for (row, ticket) in rows.iter().zip(&tickets) {
        assert_eq!(row["nomor"], ticket.label);
        assert_eq!(
            row["kode_pemesanan"],
            hadir::model::mask_booking_code(&ticket.booking_code)
        );
        assert_eq!(row["layanan"], ticket.service);
        assert_eq!(
            row["prioritas"],
            ticket.priority.clone().unwrap_or_default()
        );
        assert_eq!(row["waktu_checkin"], ticket.issued_at);
        assert_eq!(row["tanggal"], DAY);
        assert_eq!(row["nama_pemohon"], hadir::model::mask_name(&ticket.name));
        assert_ne!(row["nama_pemohon"], ticket.name, "masked by default");
    }
    let override_rows: Vec<_> = rows
        .iter()
        .filter(|r| r["jenis_staf"] == "override")
        .collect();
    assert!(!override_rows.is_empty());
    assert!(override_rows.iter().all(|r| r["staf"] == "maria"));
    let failed_prints: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM ticket_prints WHERE outcome = 'failed'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    let csv_failed: i64 = rows
        .iter()
        .map(|r| r["cetak_gagal"].parse::<i64>().expect("number"))
        .sum();
    assert_eq!(csv_failed, failed_prints);

    // Ratings: one row per database rating, scores as stored.
    let (_, rating_rows) = read_csv(&files[2]);
    let mut stmt = conn
        .prepare(
            "SELECT t.label, r.scores, r.comment FROM ratings r JOIN tickets t ON t.id = r.ticket_id
             WHERE r.office_date = ?1",
        )
        .expect("prepares");
    let db_ratings: BTreeMap<String, (String, Option<String>)> = stmt
        .query_map([DAY], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))
        .expect("queries")
        .collect::<rusqlite::Result<_>>()
        .expect("rows");
    assert_eq!(rating_rows.len(), db_ratings.len());
    for row in &rating_rows {
        let (scores, comment) = &db_ratings[&row["nomor"]];
        let scores: BTreeMap<String, u8> = serde_json::from_str(scores).expect("JSON");
        for (element, score) in scores {
            assert_eq!(row[&format!("skor_{element}")], score.to_string());
        }
        assert_eq!(row["komentar"], comment.clone().unwrap_or_default());
    }
    assert!(
        rating_rows
            .iter()
            .any(|r| r["komentar"] == "antre lama, tapi \"ramah\", terima kasih"),
        "quotes and commas survive RFC 4180 quoting"
    );

    // Staff actions: the day's audit rows (not the day before's), the export's own row after.
    let (_, action_rows) = read_csv(&files[3]);
    let day_actions: Vec<(i64, String)> = conn
        .prepare("SELECT id, action FROM audit WHERE at LIKE ?1 || '%' ORDER BY id")
        .expect("prepares")
        .query_map([DAY], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("queries")
        .collect::<rusqlite::Result<_>>()
        .expect("rows");
    let (export_row, before_export) = day_actions.split_last().expect("rows");
    assert_eq!(export_row.1, "export", "the export itself is audited");
    let csv_actions: Vec<(i64, String)> = action_rows
        .iter()
        .map(|r| (r["id"].parse().expect("id"), r["aksi"].clone()))
        .collect();
    assert_eq!(csv_actions, before_export);

    // Summary: totals and the index, recomputed here from the raw rows.
    let (_, summary_rows) = read_csv(&files[0]);
    let summary: BTreeMap<String, String> = summary_rows
        .iter()
        .map(|r| (r["kunci"].clone(), r["nilai"].clone()))
        .collect();
    let (index, grade, counted, flagged) = expected_index(&conn);
    assert!(flagged > 0, "the fixture has flagged ratings");
    assert_eq!(summary["checkin_total"], tickets.len().to_string());
    assert_eq!(summary["indeks"].parse::<f64>().expect("number"), index);
    assert_eq!(summary["mutu"], grade);
    assert_eq!(summary["penilaian_dihitung"], counted.to_string());
    assert_eq!(summary["penilaian_ditandai"], flagged.to_string());
    let booked_applicants: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM applicants p JOIN appointments a USING (booking_code)
             WHERE a.date = ?1 AND a.status = 'booked'",
            [DAY],
            |r| r.get(0),
        )
        .expect("count");
    // Exported at 17:00: every demo slot's late window has closed, so all who did not come
    // are no-shows and none is still due (#15).
    assert_eq!(
        summary["tidak_hadir"],
        (booked_applicants - tickets.len() as i64).to_string()
    );
    assert_eq!(summary["belum_lewat_batas"], "0");

    // XLSX, read by openpyxl: the sheets, and cell values equal to the database's.
    let book = read_xlsx(&files[4]);
    assert_eq!(
        book["sheets"],
        serde_json::json!(["Ringkasan", "Tiket", "Penilaian", "Tindakan Staf"])
    );
    let ticket_sheet = sheet(&book, "Tiket");
    assert_eq!(
        ticket_sheet[0][2], "Nomor",
        "titles for people (the CSV keeps keys)"
    );
    assert_eq!(ticket_sheet.len(), tickets.len() + 1);
    for (row, ticket) in ticket_sheet[1..].iter().zip(&tickets) {
        assert_eq!(row[2], ticket.label.as_str());
        // A date-time cell holding the office's wall clock (`...T07:50:00+08:00` -> 07:50).
        assert_eq!(
            row[1]["datetime"],
            ticket.issued_at[..19],
            "waktu_checkin is a time value"
        );
        assert_eq!(
            row[8],
            hadir::model::mask_booking_code(&ticket.booking_code).as_str()
        );
        assert_eq!(row[11], hadir::model::mask_name(&ticket.name).as_str());
        assert!(row[9].is_number(), "pemohon_ke is a number cell: {row:?}");
    }
    let summary_sheet = sheet(&book, "Ringkasan");
    let xlsx_index = summary_sheet
        .iter()
        .find(|r| r[0] == "indeks")
        .expect("indeks row");
    assert_eq!(xlsx_index[2].as_f64(), Some(index), "a number cell");
    assert_eq!(sheet(&book, "Penilaian").len(), db_ratings.len() + 1);
    let action_sheet = sheet(&book, "Tindakan Staf");
    assert_eq!(action_sheet.len(), before_export.len() + 1);
    assert!(
        action_sheet
            .iter()
            .any(|r| r[4] == "Check-in terlambat, izin staf"),
        "audit actions in words: {action_sheet:?}"
    );
    for name in ["Ringkasan", "Tiket", "Penilaian", "Tindakan Staf"] {
        let filter = book["filters"][name].as_str().unwrap_or_default();
        assert!(
            filter.starts_with("A1:"),
            "{name} has an autofilter: {filter:?}"
        );
    }

    // PDF: A4, the numbers in its text, pages rendered for people to look at.
    let info = Command::new("pdfinfo")
        .arg(&files[5])
        .output()
        .expect("pdfinfo runs");
    let info = String::from_utf8_lossy(&info.stdout).into_owned();
    assert!(info.contains("(A4)"), "{info}");
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .expect("Pages line")
        .trim()
        .parse()
        .expect("number");
    assert!(pages >= 1);
    let text = pdf_text(&files[5]);
    let index_text = format!("{index:.2}").replace('.', ",");
    let grade_label = match grade {
        "A" => "sangat baik",
        "B" => "baik",
        "C" => "kurang baik",
        _ => "tidak baik",
    };
    assert!(
        text.contains(&format!("{index_text}, mutu {grade} ({grade_label})")),
        "index {index_text} and grade {grade} in:\n{text}"
    );
    assert!(text.contains("dihitung dari set pertanyaan SERVQUAL"));
    let checkin_line = text
        .lines()
        .find(|l| l.contains("Check-in (tiket diterbitkan)"))
        .expect("check-in line");
    assert!(
        checkin_line
            .trim_end()
            .ends_with(&tickets.len().to_string()),
        "{checkin_line}"
    );
    assert!(text.contains(&format!("Dihitung {counted} penilaian; {flagged} ditandai")));
    assert!(
        text.contains("Check-in terlambat, izin staf"),
        "the audit is in the PDF, its actions in words"
    );
    let artifacts = artifacts_dir();
    let status = Command::new("pdftoppm")
        .args(["-png", "-r", "70"])
        .arg(&files[5])
        .arg(artifacts.join("laporan"))
        .status()
        .expect("pdftoppm runs");
    assert!(status.success());
    let first_page = std::fs::metadata(artifacts.join(format!("laporan-{}.png", pad(1, pages))))
        .expect("page 1 rendered");
    assert!(first_page.len() > 10_000, "a page with charts, not a blank");

    // No full name anywhere: not in the CSVs, the workbook or the PDF.
    let everything = [
        std::fs::read_to_string(&files[1]).expect("csv"),
        book.to_string(),
        text,
    ]
    .join("\n");
    for ticket in &tickets {
        assert!(!everything.contains(&ticket.name), "{} leaked", ticket.name);
    }
}

/// pdftoppm numbers pages with as many digits as the last page has.
fn pad(page: usize, pages: usize) -> String {
    format!("{page:0width$}", width = pages.to_string().len())
}

/// #15: a mid-morning export counts as no-shows only the slots whose late window (30 minutes by
/// default) has passed at `--at`; the later slots' applicants are still due.
#[test]
fn a_morning_export_does_not_count_the_slots_still_to_come() {
    let kiosk = common::TempKiosk::new("", "");
    fixture(&kiosk);
    let out = kiosk.dir.path().join("morning");
    let output = kiosk
        .hadir("2026-11-29T09:40:00+08:00")
        .args([
            "export", "--from", DAY, "--to", DAY, "--format", "csv,pdf", "--out",
        ])
        .arg(&out)
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let (_, files) = files_of(&output.stdout);
    let (_, rows) = read_csv(&files[0]);
    let summary: BTreeMap<String, String> = rows
        .iter()
        .map(|r| (r["kunci"].clone(), r["nilai"].clone()))
        .collect();
    // Not checked in, by whether the slot ended before 09:10 (09:40 minus the late window).
    let (missing, still_due): (i64, i64) = kiosk
        .database()
        .query_row(
            "SELECT COALESCE(SUM(a.slot_end < '09:10'), 0), COALESCE(SUM(a.slot_end >= '09:10'), 0)
             FROM applicants p JOIN appointments a USING (booking_code)
             WHERE a.date = ?1 AND a.status = 'booked'
               AND NOT EXISTS (SELECT 1 FROM checkins c WHERE c.booking_code = p.booking_code
                               AND c.applicant_index = p.idx AND c.office_date = a.date)",
            [DAY],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("count");
    assert!(
        missing > 0 && still_due > 0,
        "the demo day has both: {missing}, {still_due}"
    );
    assert_eq!(summary["tidak_hadir"], missing.to_string());
    assert_eq!(summary["belum_lewat_batas"], still_due.to_string());
    let pdf = files.last().expect("the PDF");
    let text = pdf_text(pdf);
    let booked = summary["terjadwal"].clone();
    for figure in [
        format!("{missing} tidak hadir dari {booked} terjadwal"),
        format!("{DAY}, belum lewat batas check-in {still_due}"),
    ] {
        let squeezed = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(squeezed.contains(&figure), "PDF lacks {figure:?}:\n{text}");
    }
}

#[test]
fn full_names_only_when_asked_for() {
    let kiosk = common::TempKiosk::new("", "");
    fixture(&kiosk);
    let out = kiosk.dir.path().join("full");
    let output = export(
        &kiosk,
        &[
            "--from",
            DAY,
            "--to",
            DAY,
            "--format",
            "csv",
            "--full-names",
            "--out",
            out.to_str().expect("utf-8 path"),
        ],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let (json, files) = files_of(&output.stdout);
    assert_eq!(json["full_names"], true);
    assert_eq!(files.len(), 4, "CSV only: four files");
    let tickets = db_tickets(&kiosk.database());
    let (_, rows) = read_csv(&files[1]);
    let names: Vec<&str> = rows.iter().map(|r| r["nama_pemohon"].as_str()).collect();
    let expected: Vec<&str> = tickets.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, expected);
    let action: String = kiosk
        .database()
        .query_row(
            "SELECT action FROM audit ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("audit row");
    assert_eq!(
        action, "export_full_names",
        "a full-name export is audited as such"
    );
}

#[test]
fn bad_periods_and_folders_exit_2_with_stable_codes() {
    let kiosk = common::TempKiosk::new("", "");
    // A kiosk that has run: its store is there (the export never makes one).
    drop(kiosk.store());
    let not_a_folder = kiosk.dir.path().join("file");
    std::fs::write(&not_a_folder, b"x").expect("writes");
    let out = kiosk.dir.path().join("out");
    let out = out.to_str().expect("utf-8");
    let cases: [(&[&str], &str); 5] = [
        (
            &["--from", "2026-11-30", "--to", "2026-11-29", "--out", out],
            "invalid_input",
        ),
        (
            &["--from", "2026-02-30", "--to", "2026-03-01", "--out", out],
            "invalid_input",
        ),
        (
            &["--from", "2026-01-01", "--to", "2027-01-02", "--out", out],
            "invalid_input",
        ),
        (
            &["--from", DAY, "--to", DAY, "--format", "docx", "--out", out],
            "invalid_input",
        ),
        (
            &[
                "--from",
                DAY,
                "--to",
                DAY,
                "--out",
                not_a_folder.to_str().expect("utf-8"),
            ],
            "io_failed",
        ),
    ];
    for (args, code) in cases {
        let output = export(&kiosk, args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(&format!("[{code}]")), "{args:?}: {stderr}");
        assert!(
            output.stdout.is_empty(),
            "nothing claimed written: {args:?}"
        );
    }
    assert!(!Path::new(out).exists(), "a refused period writes nothing");
}

/// #15: the XLSX and PDF speak the language asked for with `--lang`, else the office's
/// (`[kiosk] language`); the CSV is the same in both; an unknown language is refused.
#[test]
fn the_report_speaks_the_language_asked_for_or_the_offices() {
    let kiosk = common::TempKiosk::new("", "");
    fixture(&kiosk);
    let write = |kiosk: &common::TempKiosk, folder: &str, lang: &[&str]| {
        let out = kiosk.dir.path().join(folder);
        let mut args = vec![
            "--from",
            DAY,
            "--to",
            DAY,
            "--out",
            out.to_str().expect("utf-8 path"),
        ];
        args.extend_from_slice(lang);
        let output = export(kiosk, &args);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        files_of(&output.stdout).1
    };
    let english = write(&kiosk, "en", &["--lang", "en"]);
    let book = read_xlsx(&english[4]);
    assert_eq!(
        book["sheets"],
        serde_json::json!(["Summary", "Tickets", "Ratings", "Staff actions"])
    );
    assert!(sheet(&book, "Staff actions")
        .iter()
        .any(|r| r[4] == "Late check-in allowed by staff"));
    let text = pdf_text(&english[5]);
    assert!(
        text.contains("Generated: 2026-11-29 17:00 WITA"),
        "generated-at in English, office time:\n{text}"
    );
    assert!(text.contains("Late check-in allowed by staff"), "{text}");

    let indonesian = write(&kiosk, "id", &[]);
    let text = pdf_text(&indonesian[5]);
    assert!(
        text.contains("Dibuat: 29-11-2026 pukul 17.00 WITA"),
        "the office's language by default:\n{text}"
    );
    // Tickets and ratings (the summary and staff actions now hold the first export's audit row).
    for (id, en) in indonesian[1..3].iter().zip(&english[1..3]) {
        assert_eq!(
            std::fs::read_to_string(id).expect("csv"),
            std::fs::read_to_string(en).expect("csv"),
            "CSV is for machines, the same in both languages"
        );
    }

    let office_in_english = common::TempKiosk::new("language = \"en\"", "");
    fixture(&office_in_english);
    let files = write(&office_in_english, "office", &[]);
    assert!(pdf_text(&files[5]).contains("Generated: 2026-11-29 17:00 WITA"));

    let refused = export(
        &kiosk,
        &["--from", DAY, "--to", DAY, "--lang", "fr", "--out", "x"],
    );
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("[invalid_input]"));
}

/// #20: names from the feed with control characters (NUL, line breaks, tab, escape, DEL, C1)
/// lose them at import, so a full-name CSV export reads back strictly: one line per record,
/// every record as wide as the header, no control character in any field (a spreadsheet opens
/// it as it is). A name longer than the limit is a broken item, named on standard error, and so
/// is an item that is no object (by its place in the list).
#[test]
fn feed_names_with_control_characters_export_as_clean_csv() {
    let names = [
        ("MARIA\u{0}GORETI", "MARIA GORETI"),
        ("YOSEF\r\nSERAN", "YOSEF SERAN"),
        ("ANA\tBENU\u{7f}", "ANA BENU"),
        ("\u{1b}[2JRUTH \"RUTI\", NDOEN", "[2JRUTH \"RUTI\", NDOEN"),
        ("PAULUS\u{85}LAKA\u{9f}", "PAULUS LAKA"),
    ];
    let item = |code: &str, name: &str| {
        serde_json::json!({
            "booking_code": code, "date": DAY, "slot_start": "09:00", "slot_end": "10:00",
            "service": "baru", "express": false, "status": "booked",
            "applicants": [{"name": name, "birth_date": "1980-01-02", "nik_last4": "1234",
                            "priority": null}],
            "updated_at": "2026-11-28T10:00:00+08:00"
        })
    };
    let codes: Vec<String> = (0..names.len()).map(|n| format!("MPCTRL{n:04}")).collect();
    let mut items: Vec<serde_json::Value> = codes
        .iter()
        .zip(names)
        .map(|(code, (sent, _))| item(code, sent))
        .collect();
    let too_long = "N".repeat(hadir::feed::MAX_APPLICANT_NAME_CHARS + 1);
    items.push(item("MPLONGNAME", &too_long));
    items.push(serde_json::json!(17));
    let feed = serde_json::json!({
        "office": "KANIM-KUPANG", "date": DAY, "full": true, "appointments": items,
    });
    let kiosk = common::TempKiosk::new("", "");
    let imported = kiosk.import(&feed.to_string());
    assert!(imported.status.success(), "{}", common::stderr(&imported));
    let said = common::stderr(&imported);
    for line in [
        "skipped booking MPLONGNAME [name_too_long]",
        "skipped item 7 (no readable booking code) [unreadable]",
        "removed no booking",
    ] {
        assert!(said.contains(line), "{line:?} in: {said}");
    }
    let scans = common::output_with_stdin(
        {
            let mut command = kiosk.hadir(common::AT);
            command.args(["checkin", "--stdin"]);
            command
        },
        &(codes.join("\n") + "\n"),
    );
    assert!(scans.status.success(), "{}", common::stderr(&scans));

    let out = kiosk.dir.path().join("clean");
    let output = export(
        &kiosk,
        &[
            "--from",
            DAY,
            "--to",
            DAY,
            "--format",
            "csv",
            "--full-names",
            "--out",
            out.to_str().expect("utf-8 path"),
        ],
    );
    assert!(output.status.success(), "{}", common::stderr(&output));
    let (_, files) = files_of(&output.stdout);
    for file in &files {
        let bytes = std::fs::read(file).expect("CSV");
        let text = String::from_utf8(bytes).expect("UTF-8");
        assert!(
            !text.replace("\r\n", "").chars().any(char::is_control),
            "{}: a control character besides the record ends",
            file.display()
        );
        let mut reader = csv::ReaderBuilder::new()
            .flexible(false)
            .from_reader(text.as_bytes());
        let width = reader.headers().expect("header").len();
        let records: Vec<csv::StringRecord> = reader
            .records()
            .map(|r| r.expect("a strict RFC 4180 record"))
            .collect();
        assert!(records.iter().all(|r| r.len() == width));
        assert_eq!(
            text.matches("\r\n").count(),
            records.len() + 1,
            "{}: one line per record",
            file.display()
        );
    }
    let tickets = files
        .iter()
        .find(|f| {
            f.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("tickets"))
        })
        .expect("the tickets file");
    let (_, rows) = read_csv(tickets);
    let exported: Vec<&str> = rows.iter().map(|r| r["nama_pemohon"].as_str()).collect();
    let expected: Vec<&str> = names.iter().map(|(_, kept)| *kept).collect();
    assert_eq!(exported, expected);
}

/// #16: the CLI works with the kiosk's config in force. A setting a supervisor changed at the
/// kiosk (through the core, as the settings screen does) is what `hadir config` shows and the
/// language `hadir export` writes in, with no `--lang`.
#[test]
fn a_setting_changed_at_the_kiosk_is_in_force_for_the_cli() {
    let kiosk = common::TempKiosk::new("", "");
    fixture(&kiosk);
    let (config, _) = Config::load(Some(&kiosk.config)).expect("config");
    let now = EXPORT_AT
        .parse::<jiff::Timestamp>()
        .expect("ts")
        .to_zoned_datetime(config.time_zone());
    {
        let mut store = kiosk.store();
        let hash = hadir::staff::hash_pin("24680").expect("hash");
        store
            .add_staff(
                "kepala-16",
                hadir::model::StaffRole::Supervisor,
                &hash,
                EXPORT_AT,
            )
            .expect("adds");
        let mut seat = hadir::staff_mode::StaffSeat::default();
        let signed_in = seat
            .sign_in(&mut store, "kepala-16", "24680", &now, &config)
            .expect("answers");
        let hadir::staff_mode::SignInResult::SignedIn { session } = signed_in else {
            panic!("signed in: {signed_in:?}");
        };
        hadir::settings::change_setting(
            &mut store,
            &session,
            "kiosk.language",
            "en",
            &now,
            &config,
        )
        .expect("a supervisor changes the language");
    }
    let shown = kiosk.hadir(EXPORT_AT).arg("config").output().expect("runs");
    let shown = String::from_utf8_lossy(&shown.stdout);
    assert!(shown.contains("\"language\": \"en\""), "{shown}");

    let out = kiosk.dir.path().join("after-setting");
    let output = export(
        &kiosk,
        &[
            "--from",
            DAY,
            "--to",
            DAY,
            "--out",
            out.to_str().expect("utf-8 path"),
        ],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let files = files_of(&output.stdout).1;
    let text = pdf_text(&files[5]);
    assert!(
        text.contains("Generated: 2026-11-29 17:00 WITA"),
        "the kiosk's language, as its own export would be:\n{text}"
    );
}
