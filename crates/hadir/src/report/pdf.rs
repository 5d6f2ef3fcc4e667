//! The PDF report: A4 pages with the period's numbers, bar charts and the audit of the period.
//! Builtin Helvetica (no font to embed), charts as vector paths. Headings are Bahasa Indonesia
//! with an English gloss; the generated-at time, sync state and times, and the audit's actions
//! are in the supervisor's language.

use printpdf::{Mm, Op, PdfDocument, PdfPage, PdfSaveOptions};

use super::charts::{approx_width, bar_rows, column_chart, rule, text, Bar};
use super::{index_basis, labels, priority_label, service_label, Report, Summary, ADMIN_CLI};
use crate::error::Result;
use crate::model::Language;
use crate::survey::Grade;

const PAGE_W_MM: f32 = 210.0;
const PAGE_H_MM: f32 = 297.0;
/// Points: A4 is 595.28 x 841.89.
const PAGE_W: f32 = PAGE_W_MM * 72.0 / 25.4;
const PAGE_H: f32 = PAGE_H_MM * 72.0 / 25.4;
const LEFT: f32 = 45.0;
const RIGHT: f32 = PAGE_W - 45.0;
const TOP: f32 = PAGE_H - 50.0;
const BOTTOM: f32 = 55.0;
const VALUE_X: f32 = LEFT + 270.0;

/// The report as PDF bytes, in `lang` where the report has words of its own (see above).
pub fn render_pdf(report: &Report, lang: Language) -> Result<Vec<u8>> {
    let summary = report.summary();
    let mut pages = Pages::new();
    title(&mut pages, report, lang);
    key_numbers(&mut pages, report, &summary);
    per_hour(&mut pages, &summary);
    per_service_and_priority(&mut pages, &summary);
    per_day(&mut pages, report, &summary);
    ratings(&mut pages, report, &summary);
    no_shows(&mut pages, report);
    sync(&mut pages, report, lang);
    audit(&mut pages, report, lang);
    let footer = format!(
        "{} - laporan {} s.d. {}",
        report.office_name, report.range.from, report.range.to
    );
    let pdf_pages = pages.finish(&footer);
    let mut doc = PdfDocument::new(&format!(
        "Laporan Hadir {} s.d. {}",
        report.range.from, report.range.to
    ));
    let mut warnings = Vec::new();
    let bytes = doc
        .with_pages(pdf_pages)
        .save(&PdfSaveOptions::default(), &mut warnings);
    if !warnings.is_empty() {
        log::debug!("printpdf warnings: {warnings:?}");
    }
    Ok(bytes)
}

/// Pages filled top-down; a block that does not fit starts a new page.
struct Pages {
    done: Vec<Vec<Op>>,
    ops: Vec<Op>,
    y: f32,
}

impl Pages {
    fn new() -> Pages {
        Pages {
            done: Vec::new(),
            ops: Vec::new(),
            y: TOP,
        }
    }

    fn need(&mut self, height: f32) {
        if self.y - height < BOTTOM {
            self.done.push(std::mem::take(&mut self.ops));
            self.y = TOP;
        }
    }

    fn line(&mut self, size: f32, bold: bool, words: &str) {
        self.need(size * 1.5);
        self.y -= size * 1.5;
        self.ops.extend(text(LEFT, self.y, size, bold, words));
    }

    /// A section title kept on one page with the first `keep` points of what follows it.
    fn heading(&mut self, words: &str, keep: f32) {
        self.need(keep + 35.0);
        self.y -= 10.0;
        self.line(12.0, true, words);
        self.y -= 3.0;
    }

    fn value(&mut self, label: &str, value: &str) {
        self.need(14.0);
        self.y -= 14.0;
        self.ops.extend(text(LEFT, self.y, 9.5, false, label));
        self.ops.extend(text(VALUE_X, self.y, 9.5, true, value));
    }

    /// A block `height` points tall drawn by `draw(top)`.
    fn block(&mut self, height: f32, draw: impl FnOnce(f32) -> Vec<Op>) {
        self.need(height);
        let ops = draw(self.y);
        self.ops.extend(ops);
        self.y -= height;
    }

    fn finish(mut self, footer: &str) -> Vec<PdfPage> {
        if !self.ops.is_empty() {
            self.done.push(self.ops);
        }
        let total = self.done.len();
        self.done
            .into_iter()
            .enumerate()
            .map(|(i, mut ops)| {
                ops.extend(rule(LEFT, BOTTOM - 12.0, RIGHT, BOTTOM - 12.0));
                ops.extend(text(LEFT, BOTTOM - 24.0, 7.5, false, footer));
                let page = format!("Halaman {} / {total}", i + 1);
                let x = RIGHT - approx_width(&page, 7.5);
                ops.extend(text(x, BOTTOM - 24.0, 7.5, false, &page));
                PdfPage::new(Mm(PAGE_W_MM), Mm(PAGE_H_MM), ops)
            })
            .collect()
    }
}

/// Decimal comma, as Indonesian readers expect (`85,00`).
fn decimal(value: f64, places: usize) -> String {
    format!("{value:.places$}").replace('.', ",")
}

fn grade_text(grade: Grade) -> String {
    format!("{grade:?} ({})", grade.label().0)
}

fn title(pages: &mut Pages, report: &Report, lang: Language) {
    pages.line(16.0, true, "Laporan Layanan Hadir (service report)");
    pages.line(11.0, false, &report.office_name);
    pages.line(
        9.5,
        false,
        &format!(
            "Periode: {} s.d. {} ({} hari), tanggal kantor",
            report.range.from,
            report.range.to,
            report.range.days()
        ),
    );
    pages.line(
        9.5,
        false,
        &labels::generated(lang, &report.generated_at, &report.time_zone),
    );
}

fn key_numbers(pages: &mut Pages, report: &Report, s: &Summary) {
    pages.heading("Ringkasan (summary)", 60.0);
    pages.value("Check-in (tiket diterbitkan)", &s.checkins.to_string());
    let share = s
        .priority_percent()
        .map_or_else(|| "-".to_owned(), |p| format!("{}%", decimal(p, 1)));
    pages.value("Pemohon prioritas", &format!("{} ({share})", s.priority));
    pages.value("Percepatan (express)", &s.express.to_string());
    pages.value(
        "Check-in oleh staf: manual / override",
        &format!("{} / {}", s.manual, s.overrides),
    );
    pages.value(
        "Percobaan cetak gagal (failed prints)",
        &s.print_failures.to_string(),
    );
    pages.value(
        "Tiket yang cetakan terakhirnya gagal",
        &s.unprinted.to_string(),
    );
    pages.value("Cetak ulang SALINAN (reprints)", &s.reprints.to_string());
    let no_shows = if report.no_shows.is_empty() {
        "- (tidak ada hari dalam cache janji temu)".to_owned()
    } else {
        format!(
            "{} dari {} terjadwal ({} hari dalam cache)",
            s.no_shows,
            s.booked,
            report.no_shows.len()
        )
    };
    pages.value("Tidak hadir (no-shows)", &no_shows);
    if s.not_yet_due > 0 {
        pages.value(
            "Belum datang, batas belum lewat (not yet due)",
            &s.not_yet_due.to_string(),
        );
    }
    pages.value("Penilaian (ratings)", &s.ratings.to_string());
    if let Some(index) = &s.index {
        let value = match (index.index, index.grade) {
            (Some(value), Some(grade)) => {
                format!("{}  mutu {}", decimal(value, 2), grade_text(grade))
            }
            _ => "- (belum ada penilaian)".to_owned(),
        };
        pages.value("Indeks (bentuk IKM)", &value);
        pages.value(
            "Penilaian ditandai, tidak dihitung",
            &index.ratings_flagged.to_string(),
        );
    }
    pages.value("Tindakan staf (audit)", &s.staff_actions.to_string());
}

fn per_hour(pages: &mut Pages, s: &Summary) {
    pages.heading("Check-in per jam (per hour)", 160.0);
    let busy: Vec<usize> = (0..24).filter(|h| s.per_hour[*h] > 0).collect();
    // Office hours at least, so two reports look alike; wider when check-ins fell outside.
    let first = busy.first().copied().unwrap_or(8).min(7);
    let last = busy.last().copied().unwrap_or(16).max(16);
    let bars: Vec<Bar> = (first..=last)
        .map(|hour| Bar {
            label: format!("{hour:02}"),
            value: f64::from(s.per_hour[hour]),
            caption: s.per_hour[hour].to_string(),
        })
        .collect();
    pages.block(150.0, |top| {
        column_chart(&bars, LEFT, top - 145.0, RIGHT - LEFT, 140.0)
    });
    pages.line(
        7.5,
        false,
        "Jam kantor saat nomor diterbitkan (office-local hour of issue).",
    );
}

fn share(count: u32, total: u32) -> String {
    if total == 0 {
        return count.to_string();
    }
    format!(
        "{count} ({}%)",
        decimal(f64::from(count) * 100.0 / f64::from(total), 1)
    )
}

fn per_service_and_priority(pages: &mut Pages, s: &Summary) {
    pages.heading(
        "Check-in per layanan (per service)",
        16.0 * s.per_service.len() as f32 + 6.0,
    );
    let bars: Vec<Bar> = s
        .per_service
        .iter()
        .map(|(service, count)| Bar {
            label: service_label(service).to_owned(),
            value: f64::from(*count),
            caption: share(*count, s.checkins),
        })
        .collect();
    horizontal(pages, &bars, None);

    pages.heading(
        "Pemohon prioritas (priority share)",
        16.0 * (s.per_priority.len() + 1) as f32 + 6.0,
    );
    let mut bars: Vec<Bar> = s
        .per_priority
        .iter()
        .map(|(priority, count)| Bar {
            label: priority_label(priority).to_owned(),
            value: f64::from(*count),
            caption: share(*count, s.checkins),
        })
        .collect();
    let none = s.checkins - s.priority;
    bars.push(Bar {
        label: "Tanpa prioritas".into(),
        value: f64::from(none),
        caption: share(none, s.checkins),
    });
    horizontal(pages, &bars, Some(f64::from(s.checkins)));
}

fn horizontal(pages: &mut Pages, bars: &[Bar], max: Option<f64>) {
    if bars.is_empty() {
        pages.line(9.0, false, "- (tidak ada data)");
        return;
    }
    let height = 16.0 * bars.len() as f32 + 6.0;
    pages.block(height, |top| {
        bar_rows(bars, LEFT, top - 4.0, RIGHT - LEFT, 150.0, max).0
    });
}

fn per_day(pages: &mut Pages, report: &Report, s: &Summary) {
    if report.range.days() < 2 {
        return;
    }
    pages.heading("Check-in per hari (per day)", 130.0);
    let days = std::iter::successors(Some(report.range.from), |d| {
        d.tomorrow().ok().filter(|next| *next <= report.range.to)
    });
    let bars: Vec<Bar> = days
        .map(|day| {
            let count = s.per_day.get(&day.to_string()).copied().unwrap_or(0);
            Bar {
                label: day.day().to_string(),
                value: f64::from(count),
                // Captions on 31 narrow bars would overlap; the numbers are in the CSV/XLSX.
                caption: if report.range.days() <= 16 {
                    count.to_string()
                } else {
                    String::new()
                },
            }
        })
        .collect();
    if bars.len() > 62 {
        pages.line(
            9.0,
            false,
            "Lebih dari 62 hari: lihat Ringkasan di CSV/XLSX.",
        );
        return;
    }
    pages.block(130.0, |top| {
        column_chart(&bars, LEFT, top - 125.0, RIGHT - LEFT, 120.0)
    });
}

fn ratings(pages: &mut Pages, report: &Report, s: &Summary) {
    pages.heading(
        "Penilaian per elemen (ratings per element)",
        16.0 * report.question_set.elements.len() as f32 + 50.0,
    );
    let Some(index) = &s.index else {
        return;
    };
    let bars: Vec<Bar> = index
        .elements
        .iter()
        .map(|e| Bar {
            label: e.element.to_owned(),
            value: e.mean.unwrap_or(0.0),
            caption: match e.mean {
                Some(mean) => format!("{} (n={})", decimal(mean, 2), e.count),
                None => format!("- (n={})", e.count),
            },
        })
        .collect();
    // Scaled to the top of the 1-4 scale, so a bar's length reads as the score itself.
    horizontal(pages, &bars, Some(f64::from(crate::survey::MAX_SCORE)));
    let value = match (index.index, index.grade) {
        (Some(value), Some(grade)) => format!("{}, mutu {}", decimal(value, 2), grade_text(grade)),
        _ => "- (belum ada penilaian)".to_owned(),
    };
    pages.line(
        10.0,
        true,
        &format!(
            "Indeks bentuk IKM, {}: {value}",
            index_basis(report.question_set)
        ),
    );
    pages.line(
        8.5,
        false,
        "Rata-rata dari nilai rata-rata tiap elemen x 25. IKM resmi memakai set SKM (PermenPANRB 14/2017).",
    );
    pages.line(
        8.5,
        false,
        &format!(
            "Dihitung {} penilaian; {} ditandai (terlalu cepat / beruntun) tidak dihitung; {} dengan set lain.",
            index.ratings_counted, index.ratings_flagged, s.ratings_other_set
        ),
    );
}

fn no_shows(pages: &mut Pages, report: &Report) {
    pages.heading("Tidak hadir per hari (no-shows)", 30.0);
    if report.no_shows.is_empty() {
        pages.line(
            9.0,
            false,
            "Tidak ada hari periode ini dalam cache janji temu (cache menyimpan keep_days hari).",
        );
        return;
    }
    for day in &report.no_shows {
        pages.value(
            &day.date,
            &format!(
                "{} tidak hadir dari {} terjadwal",
                day.no_shows(),
                day.booked
            ),
        );
        // Its own line: the value column has room for one short figure only.
        if day.not_yet_due > 0 {
            pages.value(
                &format!("{}, belum lewat batas check-in", day.date),
                &day.not_yet_due.to_string(),
            );
        }
    }
    pages.line(
        9.0,
        false,
        "Tidak hadir: akhir slot + toleransi terlambat sudah lewat saat laporan dibuat.",
    );
}

fn sync(pages: &mut Pages, report: &Report, lang: Language) {
    pages.heading(
        "Kesehatan sinkronisasi (sync health, saat laporan dibuat)",
        100.0,
    );
    let sync = &report.sync;
    let or_never = |at: &Option<String>| match at {
        Some(at) => labels::local_time(lang, at, &report.time_zone),
        None => labels::never(lang),
    };
    pages.value("Status", &labels::sync_state(lang, sync.state));
    pages.value("Antrean kirim (outbox)", &sync.outbox.to_string());
    pages.value("Ditolak gateway", &sync.rejected.to_string());
    pages.value(
        "Tarik terakhir berhasil (last pull)",
        &or_never(&sync.last_pull_ok_at),
    );
    pages.value(
        "Kirim terakhir berhasil (last push)",
        &or_never(&sync.last_push_ok_at),
    );
    pages.value("Impor berkas terakhir", &or_never(&sync.last_import_at));
    pages.value(
        "Kode galat terakhir",
        sync.last_error_code.as_deref().unwrap_or("-"),
    );
}

/// Column x offsets and widths (points) of the audit table, and the characters that fit.
const AUDIT_COLUMNS: [(f32, usize); 5] =
    [(0.0, 18), (75.0, 17), (150.0, 32), (275.0, 30), (390.0, 30)];

fn audit(pages: &mut Pages, report: &Report, lang: Language) {
    pages.heading("Tindakan staf (audit of the period)", 40.0);
    if report.staff_actions.is_empty() {
        pages.line(9.0, false, "Tidak ada tindakan staf dalam periode ini.");
        return;
    }
    let titles =
        ["waktu", "staf", "aksi", "sasaran", "alasan"].map(|key| labels::column(lang, key));
    let header = titles.each_ref().map(String::as_str);
    let row = |pages: &mut Pages, cells: [&str; 5], bold: bool| {
        pages.need(12.0);
        pages.y -= 12.0;
        for ((x, fits), cell) in AUDIT_COLUMNS.iter().zip(cells) {
            pages
                .ops
                .extend(text(LEFT + x, pages.y, 7.5, bold, &clip(cell, *fits)));
        }
    };
    row(pages, header, true);
    for action in &report.staff_actions {
        // A new page repeats the header, so each page of the table reads on its own.
        if pages.y - 12.0 < BOTTOM {
            pages.need(24.0);
            row(pages, header, true);
        }
        let at = labels::local_time_short(lang, &action.at, &report.time_zone);
        row(
            pages,
            [
                &at,
                action.staff_name.as_deref().unwrap_or(ADMIN_CLI),
                &labels::action(lang, &action.action),
                action.target.as_deref().unwrap_or(""),
                action.reason.as_deref().unwrap_or(""),
            ],
            false,
        );
    }
}

/// Cuts a cell to `fits` characters, marking the cut.
fn clip(cell: &str, fits: usize) -> String {
    if cell.chars().count() <= fits {
        return cell.to_owned();
    }
    let mut clipped: String = cell.chars().take(fits.saturating_sub(2)).collect();
    clipped.push_str("..");
    clipped
}
