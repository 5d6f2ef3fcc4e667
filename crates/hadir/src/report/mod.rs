//! Supervisor exports: the period's tickets, ratings and staff actions as CSV, XLSX and a PDF
//! report.
//!
//! Every format is rendered from one [`Report`], gathered once (one query per dataset, in
//! `store/report.rs`), so the files of one export cannot disagree. `Report` is plain data: the
//! renderers never touch SQLite, and another store (the office hub) can fill the same struct.
//!
//! Personal data: applicant names are masked (`MARIA G*** F***`) unless the office asked for
//! full names; NIK digits and birth dates are never read, let alone exported.

mod charts;
mod csv;
mod labels;
mod no_shows;
mod pdf;
mod xlsx;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use jiff::{Timestamp, ZonedDateTime};
use serde::Serialize;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::mask_name;
use crate::model::rfc3339;
use crate::model::Language;
use crate::model::{mask_booking_code, mask_codes_in};
use crate::store::{NoShowDay, RatingRow, StaffActionRow, Store, TicketRow};
use crate::survey::{self, IndexReport, QuestionSet, Rating};
use crate::sync::{SyncHealth, SyncState};

pub use self::pdf::render_pdf;
pub use self::xlsx::render_xlsx;

/// An office-local period of whole days, `from` to `to` inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ExportRange {
    pub from: Date,
    pub to: Date,
}

impl ExportRange {
    /// Longest period one export covers: a year, leap day included. Longer periods belong to
    /// the office hub, not to a kiosk's SQLite file.
    pub const MAX_DAYS: i64 = 366;

    pub fn new(from: Date, to: Date) -> Result<ExportRange> {
        if from > to {
            return Err(Error::InvalidInput(format!(
                "the period starts ({from}) after it ends ({to})"
            )));
        }
        let days = from.duration_until(to).as_secs() / 86_400 + 1;
        if days > Self::MAX_DAYS {
            return Err(Error::InvalidInput(format!(
                "the period {from} to {to} has {days} days; one export covers at most {} days",
                Self::MAX_DAYS
            )));
        }
        Ok(ExportRange { from, to })
    }

    /// From the operator's `YYYY-MM-DD` texts.
    pub fn parse(from: &str, to: &str) -> Result<ExportRange> {
        let date = |text: &str, which: &str| {
            text.parse::<Date>().map_err(|_| {
                Error::InvalidInput(format!(
                    "{which} date {text:?} is not a date in the form YYYY-MM-DD"
                ))
            })
        };
        ExportRange::new(date(from, "--from")?, date(to, "--to")?)
    }

    /// Days in the period.
    pub fn days(&self) -> i64 {
        self.from.duration_until(self.to).as_secs() / 86_400 + 1
    }

    /// `<from>_<to>`, the part every export file name shares.
    pub fn file_stem(&self) -> String {
        format!("{}_{}", self.from, self.to)
    }
}

/// The export file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    Csv,
    Xlsx,
    Pdf,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 3] = [ExportFormat::Csv, ExportFormat::Xlsx, ExportFormat::Pdf];

    pub fn parse(text: &str) -> Result<ExportFormat> {
        match text {
            "csv" => Ok(ExportFormat::Csv),
            "xlsx" => Ok(ExportFormat::Xlsx),
            "pdf" => Ok(ExportFormat::Pdf),
            other => Err(Error::InvalidInput(format!(
                "export format {other:?} is not one of csv, xlsx, pdf"
            ))),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::Pdf => "pdf",
        }
    }
}

/// Sync health as the report states it, times office-local.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncSnapshot {
    /// `ok`, `offline`, `stopped` or `file_only`.
    pub state: &'static str,
    pub outbox: i64,
    pub rejected: i64,
    pub last_pull_ok_at: Option<String>,
    pub last_push_ok_at: Option<String>,
    pub last_import_at: Option<String>,
    pub last_error_code: Option<String>,
}

/// Everything one export shows, gathered once.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub office_id: String,
    pub office_name: String,
    pub range: ExportRange,
    /// Office-local RFC 3339: when the export was made (the caller's clock).
    pub generated_at: String,
    /// The office's IANA time zone (`Asia/Makassar`): times are shown with its abbreviation.
    pub time_zone: String,
    /// Whether `tickets[].applicant_name` holds full names; otherwise they are masked already.
    pub full_names: bool,
    /// The configured question set: the index is computed from ratings of this set only.
    #[serde(skip)]
    pub question_set: QuestionSet,
    pub tickets: Vec<TicketRow>,
    pub ratings: Vec<RatingRow>,
    pub staff_actions: Vec<StaffActionRow>,
    /// Only days still in the appointment cache; as of `generated_at` (a booking whose check-in
    /// window had not closed then is `not_yet_due`, not a no-show).
    pub no_shows: Vec<NoShowDay>,
    pub sync: SyncSnapshot,
}

impl Report {
    /// Reads the period's datasets. Names are masked here, before any renderer sees them,
    /// unless `full_names` or `[privacy] full_names_in_exports` asks for them.
    pub fn gather(
        store: &Store,
        config: &Config,
        range: ExportRange,
        now: &ZonedDateTime,
        full_names: bool,
    ) -> Result<Report> {
        let full_names = full_names || config.privacy.full_names_in_exports;
        let health = SyncHealth::read(store, config, now.timestamp())?;
        let local = |utc: Option<String>| {
            utc.map(|text| match text.parse::<Timestamp>() {
                Ok(at) => rfc3339(&at.to_zoned_datetime(config.time_zone())),
                Err(_) => text,
            })
        };
        let sync = SyncSnapshot {
            state: match health.state {
                SyncState::FileOnly => "file_only",
                SyncState::Stopped => "stopped",
                SyncState::Offline => "offline",
                SyncState::Ok => "ok",
            },
            outbox: health.outbox,
            rejected: health.rejected,
            last_pull_ok_at: local(health.last_pull_ok_at),
            last_push_ok_at: local(health.last_push_ok_at),
            last_import_at: local(health.last_import_at),
            last_error_code: health.last_error.map(|e| e.code),
        };
        let mut report = Report {
            office_id: config.office.id.clone(),
            office_name: config.office.name.clone(),
            range,
            generated_at: rfc3339(now),
            time_zone: config.office.time_zone.clone(),
            full_names,
            question_set: config.survey.set(),
            tickets: store.report_tickets(range.from, range.to)?,
            ratings: store.report_ratings(range.from, range.to)?,
            staff_actions: store.report_staff_actions(range.from, range.to)?,
            no_shows: no_shows::no_show_days(
                &store.report_booked_slots(range.from, range.to)?,
                now.datetime(),
                config.checkin.late_minutes,
            ),
            sync,
        };
        if !full_names {
            report.mask_personal_data();
        }
        Ok(report)
    }

    /// Masks what names a person in the rows: applicant names (`MARIA G*** F***`) and booking
    /// codes (`MPAB****12`), also where staff actions mention a code. Counts, numbers and times
    /// stay, so every figure of the report is the same.
    pub fn mask_personal_data(&mut self) {
        self.full_names = false;
        for ticket in &mut self.tickets {
            ticket.applicant_name = ticket.applicant_name.as_deref().map(mask_name);
            ticket.booking_code = mask_booking_code(&ticket.booking_code);
        }
        for action in &mut self.staff_actions {
            action.target = action.target.as_deref().map(mask_codes_in);
            action.reason = action.reason.as_deref().map(mask_codes_in);
        }
    }

    /// The period's numbers, computed from the rows (every format shows these same numbers).
    pub fn summary(&self) -> Summary {
        let mut summary = Summary {
            checkins: self.tickets.len() as u32,
            ..Summary::default()
        };
        for ticket in &self.tickets {
            if let Some(hour) = local_hour(&ticket.issued_at) {
                summary.per_hour[usize::from(hour)] += 1;
            }
            *summary
                .per_day
                .entry(ticket.office_date.clone())
                .or_default() += 1;
            let service = ticket.service.as_deref().unwrap_or(UNKNOWN);
            match summary.per_service.iter_mut().find(|(s, _)| s == service) {
                Some((_, count)) => *count += 1,
                None => summary.per_service.push((service.to_owned(), 1)),
            }
            if let Some(priority) = &ticket.priority {
                summary.priority += 1;
                *summary.per_priority.entry(priority.clone()).or_default() += 1;
            }
            summary.express += u32::from(ticket.express == Some(true));
            match ticket.staff_kind.as_deref() {
                Some("override") => summary.overrides += 1,
                Some(_) => summary.manual += 1,
                None => {}
            }
            summary.print_failures += ticket.prints_failed as u32;
            summary.reprints += ticket.reprints as u32;
            summary.unprinted += u32::from(ticket.last_print.as_deref() == Some("failed"));
        }
        summary
            .per_service
            .sort_by_key(|(service, _)| service_order(service));
        for day in &self.no_shows {
            summary.booked += day.booked;
            summary.no_shows += day.no_shows();
            summary.not_yet_due += day.not_yet_due;
        }
        let ratings: Vec<Rating> = self
            .ratings
            .iter()
            .filter(|r| r.question_set == self.question_set.id)
            .map(|r| Rating {
                scores: r.scores.clone(),
                flagged: !r.flags.is_empty(),
            })
            .collect();
        summary.ratings = self.ratings.len() as u32;
        summary.ratings_other_set = summary.ratings - ratings.len() as u32;
        summary.index = Some(survey::index(self.question_set, &ratings, false));
        summary.staff_actions = self.staff_actions.len() as u32;
        summary
    }

    /// The rows of each exported table, in the shape both CSV and XLSX write; labels and
    /// titles in `lang` (XLSX shows them, CSV keeps the codes and keys).
    pub(crate) fn tables(&self, lang: Language) -> [Table<'_>; 4] {
        let summary = self.summary();
        [
            self.summary_table(&summary, lang),
            self.ticket_table(lang),
            self.rating_table(lang),
            self.staff_action_table(lang),
        ]
    }
}

const UNKNOWN: &str = "tidak_diketahui";

fn service_order(service: &str) -> usize {
    ["baru", "penggantian", "hilang_rusak"]
        .iter()
        .position(|s| *s == service)
        .unwrap_or(usize::MAX)
}

/// The hour of an office-local RFC 3339 time (`2026-11-29T08:41:07+08:00` -> 8).
fn local_hour(at: &str) -> Option<u8> {
    at.get(11..13)?.parse().ok().filter(|h| *h < 24)
}

/// The period's numbers.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Summary {
    pub checkins: u32,
    /// Check-ins per office-local hour of issue, 0-23.
    pub per_hour: [u32; 24],
    pub per_day: BTreeMap<String, u32>,
    /// Per service key, in the order baru, penggantian, hilang_rusak (then unknown).
    pub per_service: Vec<(String, u32)>,
    /// Tickets of applicants with a priority, and per kind.
    pub priority: u32,
    pub per_priority: BTreeMap<String, u32>,
    pub express: u32,
    /// Check-ins by staff: without a scan, and admitted despite a refusal.
    pub manual: u32,
    pub overrides: u32,
    /// Failed print attempts, tickets whose latest attempt failed, printed copies (SALINAN).
    pub print_failures: u32,
    pub unprinted: u32,
    pub reprints: u32,
    /// Over the cached days only (see [`Report::no_shows`]).
    pub booked: i64,
    /// Booked, not checked in, check-in window closed at the report's moment.
    pub no_shows: i64,
    /// Booked, not checked in, check-in window not closed yet at the report's moment.
    pub not_yet_due: i64,
    pub ratings: u32,
    /// Ratings given with another question set than the configured one (not in the index).
    pub ratings_other_set: u32,
    /// The index over ratings of the configured set, flagged ones left out.
    pub index: Option<IndexReport>,
    pub staff_actions: u32,
}

impl Summary {
    /// Share of check-ins with a priority, in percent; `None` without check-ins.
    pub fn priority_percent(&self) -> Option<f64> {
        (self.checkins > 0).then(|| f64::from(self.priority) * 100.0 / f64::from(self.checkins))
    }
}

/// One value of an exported table. CSV is for machines: codes, `YYYY-MM-DD` days and RFC 3339
/// times, whatever the language; XLSX is for people: labels in the supervisor's language and
/// days and times as date cells.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell<'a> {
    Text(Cow<'a, str>),
    Int(i64),
    Num(f64),
    /// An office-local day, `YYYY-MM-DD`.
    Date(Cow<'a, str>),
    /// An office-local RFC 3339 time (`2026-11-29T08:41:07+08:00`).
    Time(Cow<'a, str>),
    /// A stable code (CSV) and its words in the report's language (XLSX).
    Coded {
        code: Cow<'a, str>,
        label: String,
    },
    Blank,
}

impl<'a> Cell<'a> {
    fn text(text: &'a str) -> Cell<'a> {
        Cell::Text(Cow::Borrowed(text))
    }

    fn opt(text: Option<&'a str>) -> Cell<'a> {
        text.map_or(Cell::Blank, Cell::text)
    }

    /// `ya`/`tidak` in CSV, in words of `lang` in XLSX.
    fn yes_no(value: bool, lang: Language) -> Cell<'a> {
        Cell::Coded {
            code: Cow::Borrowed(if value { "ya" } else { "tidak" }),
            label: labels::yes_no(lang, value),
        }
    }

    fn owned(text: String) -> Cell<'a> {
        Cell::Text(Cow::Owned(text))
    }

    fn date(day: &'a str) -> Cell<'a> {
        Cell::Date(Cow::Borrowed(day))
    }

    fn time(at: &'a str) -> Cell<'a> {
        Cell::Time(Cow::Borrowed(at))
    }
}

/// A column: its stable key (the CSV header) and its title in the report's language (XLSX).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Column<'a> {
    pub key: Cow<'a, str>,
    pub title: String,
}

impl<'a> Column<'a> {
    fn new(key: Cow<'a, str>, lang: Language) -> Column<'a> {
        let title = labels::column(lang, &key);
        Column { key, title }
    }

    fn all(keys: &[&'static str], lang: Language) -> Vec<Column<'a>> {
        keys.iter()
            .map(|key| Column::new(Cow::Borrowed(*key), lang))
            .collect()
    }
}

/// One exported table: a CSV file and an XLSX sheet with the same columns and rows.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Table<'a> {
    /// CSV file name prefix (`tickets` -> `tickets_<from>_<to>.csv`).
    pub file: &'static str,
    /// The XLSX sheet's name in the report's language.
    pub sheet: String,
    pub header: Vec<Column<'a>>,
    pub rows: Vec<Vec<Cell<'a>>>,
}

const TICKET_HEADER: [&str; 21] = [
    "tanggal",
    "waktu_checkin",
    "nomor",
    "antrean",
    "layanan",
    "percepatan",
    "slot",
    "prioritas",
    "kode_pemesanan",
    "pemohon_ke",
    "jumlah_pemohon",
    "nama_pemohon",
    "kios",
    "cara",
    "jenis_staf",
    "staf",
    "alasan_staf",
    "cetak_berhasil",
    "cetak_gagal",
    "cetak_ulang",
    "ganda",
];

const STAFF_ACTION_HEADER: [&str; 7] =
    ["id", "waktu", "staf", "peran", "aksi", "sasaran", "alasan"];

impl Report {
    fn ticket_table(&self, lang: Language) -> Table<'_> {
        let rows = self
            .tickets
            .iter()
            .map(|t| {
                vec![
                    Cell::date(&t.office_date),
                    Cell::time(&t.issued_at),
                    Cell::text(&t.label),
                    Cell::text(&t.queue),
                    Cell::opt(t.service.as_deref()),
                    t.express.map_or(Cell::Blank, |e| Cell::yes_no(e, lang)),
                    Cell::opt(t.slot.as_deref()),
                    Cell::opt(t.priority.as_deref()),
                    Cell::text(&t.booking_code),
                    Cell::Int(t.applicant_index + 1),
                    Cell::Int(t.group_size),
                    Cell::opt(t.applicant_name.as_deref()),
                    Cell::text(&t.kiosk),
                    Cell::text(&t.method),
                    Cell::opt(t.staff_kind.as_deref()),
                    Cell::opt(t.staff_name.as_deref()),
                    Cell::opt(t.staff_reason.as_deref()),
                    Cell::Int(t.prints_ok),
                    Cell::Int(t.prints_failed),
                    Cell::Int(t.reprints),
                    Cell::opt(t.double.as_deref()),
                ]
            })
            .collect();
        Table {
            file: "tickets",
            sheet: labels::sheet(lang, "tickets"),
            header: Column::all(&TICKET_HEADER, lang),
            rows,
        }
    }

    /// The elements of every question set the period's ratings used, the configured set first.
    fn rating_elements(&self) -> Vec<&'static str> {
        let mut elements: Vec<&'static str> = self.question_set.elements.to_vec();
        for set in survey::QUESTION_SETS {
            if set.id != self.question_set.id
                && self.ratings.iter().any(|r| r.question_set == set.id)
            {
                for element in set.elements {
                    if !elements.contains(element) {
                        elements.push(element);
                    }
                }
            }
        }
        elements
    }

    fn rating_table(&self, lang: Language) -> Table<'_> {
        let elements = self.rating_elements();
        let mut header = Column::all(
            &["tanggal", "waktu", "nomor", "kios", "set_pertanyaan"],
            lang,
        );
        header.extend(
            elements
                .iter()
                .map(|e| Column::new(Cow::Owned(format!("skor_{e}")), lang)),
        );
        header.extend(Column::all(
            &["komentar", "durasi_ms", "tanda", "masuk_indeks"],
            lang,
        ));
        let rows = self
            .ratings
            .iter()
            .map(|r| {
                let mut row = vec![
                    Cell::date(&r.office_date),
                    Cell::time(&r.at),
                    Cell::text(&r.label),
                    Cell::text(&r.kiosk),
                    Cell::text(&r.question_set),
                ];
                row.extend(elements.iter().map(|e| {
                    r.scores
                        .get(*e)
                        .map_or(Cell::Blank, |s| Cell::Int(i64::from(*s)))
                }));
                row.push(Cell::opt(r.comment.as_deref()));
                row.push(Cell::Int(r.answered_ms));
                row.push(Cell::owned(r.flags.join(";")));
                row.push(Cell::yes_no(
                    r.flags.is_empty() && r.question_set == self.question_set.id,
                    lang,
                ));
                row
            })
            .collect();
        Table {
            file: "ratings",
            sheet: labels::sheet(lang, "ratings"),
            header,
            rows,
        }
    }

    fn staff_action_table(&self, lang: Language) -> Table<'_> {
        let rows = self
            .staff_actions
            .iter()
            .map(|a| {
                vec![
                    Cell::Int(a.id),
                    Cell::time(&a.at),
                    Cell::text(a.staff_name.as_deref().unwrap_or(ADMIN_CLI)),
                    Cell::opt(a.staff_role.as_deref()),
                    Cell::Coded {
                        code: Cow::Borrowed(&a.action),
                        label: labels::action(lang, &a.action),
                    },
                    Cell::opt(a.target.as_deref()),
                    Cell::opt(a.reason.as_deref()),
                ]
            })
            .collect();
        Table {
            file: "staff_actions",
            sheet: labels::sheet(lang, "staff_actions"),
            header: Column::all(&STAFF_ACTION_HEADER, lang),
            rows,
        }
    }

    fn summary_table(&self, s: &Summary, lang: Language) -> Table<'_> {
        let mut rows: Vec<Vec<Cell<'_>>> = Vec::new();
        let mut line = |key: String, label: String, value: Cell<'static>| {
            rows.push(vec![Cell::owned(key), Cell::owned(label), value]);
        };
        let text = |t: &str| Cell::owned(t.to_owned());
        let int = |n: i64| Cell::Int(n);
        let time = |t: &Option<String>| {
            t.as_deref()
                .map_or(Cell::Blank, |at| Cell::Time(Cow::Owned(at.to_owned())))
        };
        let opt = |t: &Option<String>| t.as_deref().map_or(Cell::Blank, text);
        line(
            "kantor".into(),
            "Kantor (office)".into(),
            text(&self.office_name),
        );
        line(
            "dari".into(),
            "Periode dari (from)".into(),
            Cell::Date(Cow::Owned(self.range.from.to_string())),
        );
        line(
            "sampai".into(),
            "Periode sampai (to)".into(),
            Cell::Date(Cow::Owned(self.range.to.to_string())),
        );
        line(
            "dibuat".into(),
            "Dibuat (generated)".into(),
            Cell::Time(Cow::Owned(self.generated_at.clone())),
        );
        line(
            "nama_lengkap".into(),
            "Nama lengkap (full names)".into(),
            Cell::yes_no(self.full_names, lang),
        );
        line(
            "checkin_total".into(),
            "Check-in".into(),
            int(s.checkins.into()),
        );
        for (day, count) in &s.per_day {
            line(
                format!("checkin_tanggal_{day}"),
                format!("Check-in {day}"),
                int((*count).into()),
            );
        }
        for (hour, count) in s.per_hour.iter().enumerate().filter(|(_, c)| **c > 0) {
            line(
                format!("checkin_jam_{hour:02}"),
                format!("Check-in jam {hour:02}.00-{hour:02}.59"),
                int((*count).into()),
            );
        }
        for (service, count) in &s.per_service {
            line(
                format!("layanan_{service}"),
                format!("Layanan: {}", service_label(service)),
                int((*count).into()),
            );
        }
        line(
            "prioritas_total".into(),
            "Prioritas (priority)".into(),
            int(s.priority.into()),
        );
        line(
            "prioritas_persen".into(),
            "Prioritas, persen dari check-in".into(),
            s.priority_percent()
                .map_or(Cell::Blank, |p| Cell::Num(round2(p))),
        );
        for (priority, count) in &s.per_priority {
            line(
                format!("prioritas_{priority}"),
                format!("Prioritas: {}", priority_label(priority)),
                int((*count).into()),
            );
        }
        line(
            "percepatan".into(),
            "Percepatan (express)".into(),
            int(s.express.into()),
        );
        line(
            "checkin_manual".into(),
            "Check-in manual oleh staf".into(),
            int(s.manual.into()),
        );
        line(
            "checkin_override".into(),
            "Check-in dengan izin staf (override)".into(),
            int(s.overrides.into()),
        );
        line(
            "cetak_gagal".into(),
            "Percobaan cetak gagal (failed prints)".into(),
            int(s.print_failures.into()),
        );
        line(
            "tiket_belum_tercetak".into(),
            "Tiket yang cetakan terakhirnya gagal".into(),
            int(s.unprinted.into()),
        );
        line(
            "cetak_ulang".into(),
            "Cetak ulang SALINAN (reprints)".into(),
            int(s.reprints.into()),
        );
        line(
            "terjadwal".into(),
            "Pemohon terjadwal (hari dalam cache)".into(),
            int(s.booked),
        );
        line(
            "tidak_hadir".into(),
            "Tidak hadir, batas check-in sudah lewat (no-shows, hari dalam cache)".into(),
            int(s.no_shows),
        );
        line(
            "belum_lewat_batas".into(),
            "Belum datang, batas check-in belum lewat (not yet due)".into(),
            int(s.not_yet_due),
        );
        for day in &self.no_shows {
            line(
                format!("tidak_hadir_{}", day.date),
                format!("Tidak hadir {}", day.date),
                int(day.no_shows()),
            );
            if day.not_yet_due > 0 {
                line(
                    format!("belum_lewat_batas_{}", day.date),
                    format!("Belum datang, batas belum lewat {}", day.date),
                    int(day.not_yet_due),
                );
            }
        }
        line(
            "penilaian_total".into(),
            "Penilaian (ratings)".into(),
            int(s.ratings.into()),
        );
        if let Some(index) = &s.index {
            line(
                "set_pertanyaan".into(),
                "Set pertanyaan".into(),
                text(index.question_set),
            );
            line(
                "penilaian_dihitung".into(),
                "Penilaian dihitung".into(),
                int(index.ratings_counted.into()),
            );
            line(
                "penilaian_ditandai".into(),
                "Penilaian ditandai, tidak dihitung (flagged)".into(),
                int(index.ratings_flagged.into()),
            );
            line(
                "penilaian_set_lain".into(),
                "Penilaian dengan set lain, tidak dihitung".into(),
                int(s.ratings_other_set.into()),
            );
            line(
                "indeks".into(),
                format!("Indeks bentuk IKM, {}", index_basis(self.question_set)),
                index.index.map_or(Cell::Blank, Cell::Num),
            );
            line(
                "mutu".into(),
                "Mutu pelayanan (grade)".into(),
                index.grade.map_or(Cell::Blank, |g| text(&format!("{g:?}"))),
            );
            line(
                "mutu_keterangan".into(),
                "Mutu, keterangan".into(),
                index.grade.map_or(Cell::Blank, |g| {
                    let (id, en) = g.label();
                    Cell::Coded {
                        code: Cow::Borrowed(id),
                        label: match lang {
                            Language::Id => id,
                            Language::En => en,
                        }
                        .to_owned(),
                    }
                }),
            );
            for element in &index.elements {
                line(
                    format!("elemen_{}_rata", element.element),
                    format!("Rata-rata {}", element.element),
                    element.mean.map_or(Cell::Blank, |m| Cell::Num(round2(m))),
                );
                line(
                    format!("elemen_{}_jumlah", element.element),
                    format!("Jawaban {}", element.element),
                    int(element.count.into()),
                );
            }
        }
        line(
            "tindakan_staf".into(),
            "Tindakan staf (audit)".into(),
            int(s.staff_actions.into()),
        );
        line(
            "sync_status".into(),
            "Sinkronisasi: status".into(),
            Cell::Coded {
                code: Cow::Borrowed(self.sync.state),
                label: labels::sync_state(lang, self.sync.state),
            },
        );
        line(
            "sync_outbox".into(),
            "Sinkronisasi: antrean kirim (outbox)".into(),
            int(self.sync.outbox),
        );
        line(
            "sync_ditolak".into(),
            "Sinkronisasi: ditolak gateway".into(),
            int(self.sync.rejected),
        );
        line(
            "sync_tarik_terakhir".into(),
            "Sinkronisasi: tarik terakhir berhasil".into(),
            time(&self.sync.last_pull_ok_at),
        );
        line(
            "sync_kirim_terakhir".into(),
            "Sinkronisasi: kirim terakhir berhasil".into(),
            time(&self.sync.last_push_ok_at),
        );
        line(
            "sync_impor_terakhir".into(),
            "Sinkronisasi: impor berkas terakhir".into(),
            time(&self.sync.last_import_at),
        );
        line(
            "sync_galat_terakhir".into(),
            "Sinkronisasi: kode galat terakhir".into(),
            opt(&self.sync.last_error_code),
        );
        Table {
            file: "summary",
            sheet: labels::sheet(lang, "summary"),
            header: Column::all(&["kunci", "keterangan", "nilai"], lang),
            rows,
        }
    }
}

/// Who an audit row with no staff id is.
const ADMIN_CLI: &str = "admin (CLI)";

fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

pub(crate) fn service_label(service: &str) -> &str {
    match service {
        "baru" => "Paspor baru",
        "penggantian" => "Penggantian",
        "hilang_rusak" => "Hilang/rusak",
        UNKNOWN => "Tidak diketahui",
        other => other,
    }
}

pub(crate) fn priority_label(priority: &str) -> &str {
    match priority {
        "lansia" => "Lansia",
        "disabilitas" => "Disabilitas",
        "ibu_hamil" => "Ibu hamil",
        "anak" => "Anak",
        other => other,
    }
}

/// What the index was computed from: an IKM proper needs the nine SKM elements.
pub(crate) fn index_basis(set: QuestionSet) -> String {
    match set.id {
        "skm2017" => "dihitung dari set pertanyaan SKM (PermenPANRB 14/2017)".into(),
        id => format!(
            "dihitung dari set pertanyaan {}",
            if id == "servqual" { "SERVQUAL" } else { id }
        ),
    }
}

/// Writes `formats` of `report` into `dir` (created if missing) and returns the files written,
/// flushed to the medium (a stick may be pulled out as soon as this returns). XLSX and PDF
/// speak `lang`; CSV is the same in every language (codes, keys, RFC 3339 times).
pub fn write(
    report: &Report,
    formats: &[ExportFormat],
    dir: &Path,
    lang: Language,
) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::io(format!("cannot create export folder {}", dir.display()), e))?;
    let stem = report.range.file_stem();
    let mut formats = formats.to_vec();
    formats.sort();
    formats.dedup();
    let tables = formats
        .iter()
        .any(|f| *f != ExportFormat::Pdf)
        .then(|| report.tables(lang));
    let tables = tables.as_ref().map_or(&[][..], |t| &t[..]);
    let mut written = Vec::new();
    for format in formats {
        match format {
            ExportFormat::Csv => {
                for table in tables {
                    let path = dir.join(format!("{}_{stem}.csv", table.file));
                    write_file(&path, &csv::render_csv(table)?)?;
                    written.push(path);
                }
            }
            ExportFormat::Xlsx => {
                let path = dir.join(format!("hadir_{stem}.xlsx"));
                write_file(&path, &xlsx::render_tables(report, tables)?)?;
                written.push(path);
            }
            ExportFormat::Pdf => {
                let path = dir.join(format!("laporan_{stem}.pdf"));
                write_file(&path, &render_pdf(report, lang)?)?;
                written.push(path);
            }
        }
    }
    sync_folder(dir)?;
    Ok(written)
}

/// Makes the files' names durable too (each file's bytes are synced as it is written): after
/// this, pulling the stick out keeps every file. Windows writes removable drives through.
#[cfg(unix)]
fn sync_folder(dir: &Path) -> Result<()> {
    std::fs::File::open(dir)
        .and_then(|folder| folder.sync_all())
        .map_err(|e| Error::io(format!("cannot flush export folder {}", dir.display()), e))
}

#[cfg(not(unix))]
fn sync_folder(_dir: &Path) -> Result<()> {
    Ok(())
}

/// Writes into a new temporary file beside `path`, then renames it over `path`. A stick may
/// carry anything under an export's name, a symlink to the kiosk's own database included:
/// `create_new` never follows one, and a rename replaces the link itself, not its target.
fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let failed = |e| Error::io(format!("cannot write export file {}", path.display()), e);
    let temporary = path.with_extension(format!("tmp-{}", uuid::Uuid::new_v4().simple()));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temporary)
        .map_err(failed)?;
    let written = file
        .write_all(bytes)
        .and_then(|()| file.sync_all())
        .and_then(|()| std::fs::rename(&temporary, path));
    if let Err(error) = written {
        let _ = std::fs::remove_file(&temporary);
        return Err(failed(error));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod workbook_tests;
