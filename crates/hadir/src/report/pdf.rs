//! The PDF report: A4 pages with the period's numbers, bar charts and the audit of the period.
//! Builtin Helvetica (no font to embed), charts as vector paths. Every word is in the
//! supervisor's language, from `ui/i18n` (`report.pdf.*`, and the summary's `report.summary.*`
//! where the PDF says the same): the Bahasa Indonesia headings keep an English gloss.

use printpdf::{PdfDocument, PdfSaveOptions};
use serde_json::json;

use super::charts::{bar_rows, column_chart, text, Bar};
use super::labels::{self, words};
use super::pdf_pages::{Pages, BOTTOM, LEFT, RIGHT};
use super::{Report, Summary, ADMIN_CLI};
use crate::error::Result;
use crate::model::Language;
use crate::survey::Grade;

/// The report as PDF bytes, in `lang` where the report has words of its own (see above).
pub fn render_pdf(report: &Report, lang: Language) -> Result<Vec<u8>> {
    let summary = report.summary();
    let mut pages = Pages::new(lang);
    title(&mut pages, report, lang);
    key_numbers(&mut pages, report, &summary, lang);
    per_hour(&mut pages, &summary, lang);
    per_service_and_priority(&mut pages, &summary, lang);
    per_day(&mut pages, report, &summary, lang);
    super::walkins::pdf_section(&mut pages, report, lang);
    super::service_times_pdf::pdf_section(&mut pages, report, lang);
    ratings(&mut pages, report, &summary, lang);
    no_shows(&mut pages, report, lang);
    sync(&mut pages, report, lang);
    audit(&mut pages, report, lang);
    let period = json!({
        "office": report.office_name,
        "from": report.range.from.to_string(),
        "to": report.range.to.to_string(),
    });
    let footer = labels::text(lang, "report.pdf.footer", &period);
    let pdf_pages = pages.finish(&footer);
    let mut doc = PdfDocument::new(&labels::text(lang, "report.pdf.document", &period));
    let mut warnings = Vec::new();
    let bytes = doc
        .with_pages(pdf_pages)
        .save(&PdfSaveOptions::default(), &mut warnings);
    if !warnings.is_empty() {
        log::debug!("printpdf warnings: {warnings:?}");
    }
    Ok(bytes)
}

/// Decimal comma, as Indonesian readers expect (`85,00`).
fn decimal(value: f64, places: usize) -> String {
    format!("{value:.places$}").replace('.', ",")
}

fn grade_text(grade: Grade, lang: Language) -> String {
    format!("{grade:?} ({})", grade.label(lang))
}

fn title(pages: &mut Pages, report: &Report, lang: Language) {
    pages.line(16.0, true, &words(lang, "report.pdf.title"));
    pages.line(11.0, false, &report.office_name);
    pages.line(
        9.5,
        false,
        &labels::text(
            lang,
            "report.pdf.period",
            &json!({
                "from": report.range.from.to_string(),
                "to": report.range.to.to_string(),
                "days": report.range.days(),
            }),
        ),
    );
    pages.line(
        9.5,
        false,
        &labels::generated(lang, &report.generated_at, &report.time_zone),
    );
}

fn key_numbers(pages: &mut Pages, report: &Report, s: &Summary, lang: Language) {
    let said = |key: &str| words(lang, key);
    pages.heading(&said("report.pdf.summary"), 60.0);
    pages.value(&said("report.pdf.checkins"), &s.checkins.to_string());
    let share = s
        .priority_percent()
        .map_or_else(|| "-".to_owned(), |p| format!("{}%", decimal(p, 1)));
    pages.value(
        &said("report.pdf.priority"),
        &format!("{} ({share})", s.priority),
    );
    pages.value(&said("report.summary.percepatan"), &s.express.to_string());
    pages.value(
        &said("report.pdf.by_staff"),
        &format!("{} / {}", s.manual, s.overrides),
    );
    pages.value(
        &said("report.summary.cetak_gagal"),
        &s.print_failures.to_string(),
    );
    pages.value(
        &said("report.summary.tiket_belum_tercetak"),
        &s.unprinted.to_string(),
    );
    pages.value(&said("report.summary.cetak_ulang"), &s.reprints.to_string());
    let no_shows = if report.no_shows.is_empty() {
        said("report.pdf.no_cache_day")
    } else {
        labels::text(
            lang,
            "report.pdf.no_shows_value",
            &json!({
                "no_shows": s.no_shows,
                "booked": s.booked,
                "days": report.no_shows.len(),
            }),
        )
    };
    pages.value(&said("report.pdf.no_shows"), &no_shows);
    if s.not_yet_due > 0 {
        pages.value(&said("report.pdf.not_yet_due"), &s.not_yet_due.to_string());
    }
    pages.value(
        &said("report.summary.penilaian_total"),
        &s.ratings.to_string(),
    );
    if let Some(index) = &s.index {
        let value = match (index.index, index.grade) {
            (Some(value), Some(grade)) => labels::text(
                lang,
                "report.pdf.index_value",
                &json!({ "index": decimal(value, 2), "grade": grade_text(grade, lang) }),
            ),
            _ => said("report.pdf.no_ratings"),
        };
        pages.value(&said("report.pdf.index"), &value);
        pages.value(
            &said("report.pdf.flagged"),
            &index.ratings_flagged.to_string(),
        );
    }
    pages.value(
        &said("report.summary.tindakan_staf"),
        &s.staff_actions.to_string(),
    );
}

fn per_hour(pages: &mut Pages, s: &Summary, lang: Language) {
    pages.heading(&words(lang, "report.pdf.per_hour"), 160.0);
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
    pages.line(7.5, false, &words(lang, "report.pdf.per_hour_note"));
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

fn per_service_and_priority(pages: &mut Pages, s: &Summary, lang: Language) {
    pages.heading(
        &words(lang, "report.pdf.per_service"),
        16.0 * s.per_service.len() as f32 + 6.0,
    );
    let bars: Vec<Bar> = s
        .per_service
        .iter()
        .map(|(service, count)| Bar {
            label: labels::service(lang, service),
            value: f64::from(*count),
            caption: share(*count, s.checkins),
        })
        .collect();
    horizontal(pages, &bars, None, lang);

    pages.heading(
        &words(lang, "report.pdf.priority_share"),
        16.0 * (s.per_priority.len() + 1) as f32 + 6.0,
    );
    let mut bars: Vec<Bar> = s
        .per_priority
        .iter()
        .map(|(priority, count)| Bar {
            label: labels::priority(lang, priority),
            value: f64::from(*count),
            caption: share(*count, s.checkins),
        })
        .collect();
    let none = s.checkins - s.priority;
    bars.push(Bar {
        label: words(lang, "report.pdf.no_priority"),
        value: f64::from(none),
        caption: share(none, s.checkins),
    });
    horizontal(pages, &bars, Some(f64::from(s.checkins)), lang);
}

fn horizontal(pages: &mut Pages, bars: &[Bar], max: Option<f64>, lang: Language) {
    if bars.is_empty() {
        pages.line(9.0, false, &words(lang, "report.pdf.no_data"));
        return;
    }
    let height = 16.0 * bars.len() as f32 + 6.0;
    pages.block(height, |top| {
        bar_rows(bars, LEFT, top - 4.0, RIGHT - LEFT, 150.0, max).0
    });
}

/// More days than this make bars too thin to read: the CSV/XLSX summary has them.
const MOST_DAYS_CHARTED: usize = 62;

fn per_day(pages: &mut Pages, report: &Report, s: &Summary, lang: Language) {
    if report.range.days() < 2 {
        return;
    }
    pages.heading(&words(lang, "report.pdf.per_day"), 130.0);
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
    if bars.len() > MOST_DAYS_CHARTED {
        let said = labels::text(
            lang,
            "report.pdf.too_many_days",
            &json!({ "max": MOST_DAYS_CHARTED }),
        );
        pages.line(9.0, false, &said);
        return;
    }
    pages.block(130.0, |top| {
        column_chart(&bars, LEFT, top - 125.0, RIGHT - LEFT, 120.0)
    });
}

fn ratings(pages: &mut Pages, report: &Report, s: &Summary, lang: Language) {
    pages.heading(
        &words(lang, "report.pdf.per_element"),
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
    horizontal(
        pages,
        &bars,
        Some(f64::from(crate::survey::MAX_SCORE)),
        lang,
    );
    let value = match (index.index, index.grade) {
        (Some(value), Some(grade)) => labels::text(
            lang,
            "report.pdf.index_grade",
            &json!({ "index": decimal(value, 2), "grade": grade_text(grade, lang) }),
        ),
        _ => words(lang, "report.pdf.no_ratings"),
    };
    let index_of = labels::text(
        lang,
        "report.summary.indeks",
        &json!({ "basis": labels::index_basis(lang, report.question_set) }),
    );
    pages.line(10.0, true, &format!("{index_of}: {value}"));
    pages.line(8.5, false, &words(lang, "report.pdf.index_note"));
    let counted = labels::text(
        lang,
        "report.pdf.counted_note",
        &json!({
            "counted": index.ratings_counted,
            "flagged": index.ratings_flagged,
            "other": s.ratings_other_set,
        }),
    );
    pages.line(8.5, false, &counted);
}

fn no_shows(pages: &mut Pages, report: &Report, lang: Language) {
    pages.heading(&words(lang, "report.pdf.no_shows_per_day"), 30.0);
    if report.no_shows.is_empty() {
        pages.line(9.0, false, &words(lang, "report.pdf.no_cache_days"));
        return;
    }
    for day in &report.no_shows {
        let figures = json!({
            "no_shows": day.no_shows(),
            "booked": day.booked,
            "date": day.date,
        });
        pages.value(
            &day.date,
            &labels::text(lang, "report.pdf.day_no_shows", &figures),
        );
        // Its own line: the value column has room for one short figure only.
        if day.not_yet_due > 0 {
            pages.value(
                &labels::text(lang, "report.pdf.day_not_yet_due", &figures),
                &day.not_yet_due.to_string(),
            );
        }
    }
    pages.line(9.0, false, &words(lang, "report.pdf.no_shows_note"));
}

fn sync(pages: &mut Pages, report: &Report, lang: Language) {
    pages.heading(&words(lang, "report.pdf.sync"), 100.0);
    let sync = &report.sync;
    let or_never = |at: &Option<String>| match at {
        Some(at) => labels::local_time(lang, at, &report.time_zone),
        None => labels::never(lang),
    };
    let said = |key: &str| words(lang, key);
    pages.value(
        &said("report.pdf.sync_state"),
        &labels::sync_state(lang, sync.state),
    );
    pages.value(&said("report.pdf.outbox"), &sync.outbox.to_string());
    pages.value(&said("report.pdf.refused"), &sync.rejected.to_string());
    pages.value(
        &said("report.pdf.last_pull"),
        &or_never(&sync.last_pull_ok_at),
    );
    pages.value(
        &said("report.pdf.last_push"),
        &or_never(&sync.last_push_ok_at),
    );
    pages.value(
        &said("report.pdf.last_import"),
        &or_never(&sync.last_import_at),
    );
    pages.value(
        &said("report.pdf.last_error"),
        sync.last_error_code.as_deref().unwrap_or("-"),
    );
}

/// Column x offsets and widths (points) of the audit table, and the characters that fit.
const AUDIT_COLUMNS: [(f32, usize); 5] =
    [(0.0, 18), (75.0, 17), (150.0, 32), (275.0, 30), (390.0, 30)];

fn audit(pages: &mut Pages, report: &Report, lang: Language) {
    pages.heading(&words(lang, "report.pdf.audit"), 40.0);
    if report.staff_actions.is_empty() {
        pages.line(9.0, false, &words(lang, "report.pdf.no_audit"));
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
