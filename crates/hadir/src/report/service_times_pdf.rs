//! The PDF's section of waiting and service times: the period's figures, a chart of the median
//! and 90th percentile waiting time per check-in hour, a table per service, hour and counter,
//! and the ratings per counter. A kiosk's own report says the times need the office hub.

use printpdf::Op;
use serde_json::json;

use super::charts::{approx_width, filled, rule, text};
use super::labels::{self, words};
use super::pdf_pages::{Pages, BOTTOM, LEFT, RIGHT};
use super::service_times::{group_words, minutes, OfficeTimes};
use super::Report;
use crate::model::Language;

const MEDIAN_BLUE: (f32, f32, f32) = (0.20, 0.42, 0.68);
const P90_ORANGE: (f32, f32, f32) = (0.93, 0.55, 0.17);
const LABEL_PT: f32 = 7.0;

pub(super) fn pdf_section(pages: &mut Pages, report: &Report, lang: Language) {
    pages.heading(&words(lang, "report.pdf.times"), 60.0);
    let Some(office) = &report.office_times else {
        pages.line(9.5, true, &words(lang, "report.times.needs_hub"));
        note(pages, 8.5, &words(lang, "report.pdf.times_needs_hub_note"));
        return;
    };
    let all = &office.times.overall;
    let figures = |f: &crate::queue_times::TimeFigures| {
        labels::text(
            lang,
            "report.pdf.times_value",
            &json!({
                "median": minutes(f.median_seconds),
                "p90": minutes(f.p90_seconds),
                "n": f.count,
            }),
        )
    };
    pages.value(
        &words(lang, "report.pdf.times_waiting"),
        &figures(&all.waiting),
    );
    pages.value(
        &words(lang, "report.pdf.times_service"),
        &figures(&all.service),
    );
    pages.value(
        &words(lang, "report.summary.tidak_hadir_loket"),
        &all.no_shows.to_string(),
    );
    note(pages, 8.5, &words(lang, "report.pdf.times_note"));
    if !office.times.per_hour.is_empty() {
        waiting_per_hour_chart(pages, office, lang);
    }
    if all.tickets > 0 {
        times_table(pages, office, lang);
    }
    counter_ratings(pages, report, office, lang);
}

/// Two bars per check-in hour: the median waiting time and its 90th percentile, in minutes.
fn waiting_per_hour_chart(pages: &mut Pages, office: &OfficeTimes, lang: Language) {
    pages.heading(&words(lang, "report.pdf.times_chart"), 170.0);
    let hours: Vec<(String, f64, f64)> = office
        .times
        .per_hour
        .iter()
        .map(|(hour, g)| {
            let m = |s: Option<u32>| f64::from(s.unwrap_or(0)) / 60.0;
            (
                format!("{hour:02}"),
                m(g.waiting.median_seconds),
                m(g.waiting.p90_seconds),
            )
        })
        .collect();
    pages.block(150.0, |top| {
        paired_columns(&hours, LEFT, top - 145.0, RIGHT - LEFT, 140.0)
    });
    // The legend: a swatch and its words for each colour.
    pages.need(14.0);
    pages.y -= 12.0;
    let mut x = LEFT;
    for (colour, key) in [
        (MEDIAN_BLUE, "report.pdf.times_legend_median"),
        (P90_ORANGE, "report.pdf.times_legend_p90"),
    ] {
        let said = words(lang, key);
        pages.ops.extend(filled(x, pages.y, 8.0, 8.0, colour));
        pages
            .ops
            .extend(text(x + 11.0, pages.y + 1.0, 8.0, false, &said));
        x += approx_width(&said, 8.0) + 30.0;
    }
}

/// Grouped vertical bars in the box (`x`, `y`) to (`x + w`, `y + h`): per slot a median bar
/// and a p90 bar side by side, both scaled to the largest value, minutes above each.
fn paired_columns(slots: &[(String, f64, f64)], x: f32, y: f32, w: f32, h: f32) -> Vec<Op> {
    let mut ops = Vec::new();
    let axis_y = y + LABEL_PT + 4.0;
    ops.extend(rule(x, axis_y, x + w, axis_y));
    if slots.is_empty() {
        return ops;
    }
    let max = slots
        .iter()
        .map(|(_, a, b)| a.max(*b))
        .fold(0.0_f64, f64::max);
    let slot_w = w / slots.len() as f32;
    let bar_w = (slot_w * 0.35).max(1.0);
    let room = h - (axis_y - y) - LABEL_PT - 4.0;
    for (i, (label, median, p90)) in slots.iter().enumerate() {
        let centre = x + slot_w * (i as f32 + 0.5);
        for (value, left, colour) in [
            (*median, centre - bar_w, MEDIAN_BLUE),
            (*p90, centre, P90_ORANGE),
        ] {
            let height = if max > 0.0 {
                (value / max) as f32 * room
            } else {
                0.0
            };
            if height > 0.0 {
                ops.extend(filled(left, axis_y, bar_w, height, colour));
            }
            let caption = format!("{value:.1}").replace('.', ",");
            let caption_x = left + bar_w / 2.0 - approx_width(&caption, 6.0) / 2.0;
            ops.extend(text(caption_x, axis_y + height + 2.0, 6.0, false, &caption));
        }
        let label_x = centre - approx_width(label, LABEL_PT) / 2.0;
        ops.extend(text(label_x, y + 1.0, LABEL_PT, false, label));
    }
    ops
}

/// Column x offsets (points from the left margin) of the times table.
const TIMES_COLUMNS: [f32; 7] = [0.0, 150.0, 195.0, 255.0, 315.0, 380.0, 445.0];

fn times_table(pages: &mut Pages, office: &OfficeTimes, lang: Language) {
    pages.heading(&words(lang, "report.pdf.times_table"), 40.0);
    let header: Vec<String> = [
        "report.pdf.times_col_group",
        "report.pdf.times_col_tickets",
        "report.pdf.times_col_wait_median",
        "report.pdf.times_col_wait_p90",
        "report.pdf.times_col_service_median",
        "report.pdf.times_col_service_p90",
        "report.pdf.times_col_no_shows",
    ]
    .iter()
    .map(|key| words(lang, key))
    .collect();
    let rows: Vec<Vec<String>> = group_words(lang, &office.times)
        .into_iter()
        .map(|(label, g)| {
            vec![
                label,
                g.tickets.to_string(),
                minutes(g.waiting.median_seconds),
                minutes(g.waiting.p90_seconds),
                minutes(g.service.median_seconds),
                minutes(g.service.p90_seconds),
                g.no_shows.to_string(),
            ]
        })
        .collect();
    table(pages, &TIMES_COLUMNS, &header, &rows);
    pages.line(8.0, false, &words(lang, "report.pdf.times_minutes"));
}

fn counter_ratings(pages: &mut Pages, report: &Report, office: &OfficeTimes, lang: Language) {
    pages.heading(&words(lang, "report.pdf.counter_ratings"), 40.0);
    if office.counter_ratings.is_empty() {
        pages.line(9.0, false, &words(lang, "report.pdf.counter_ratings_none"));
        note(pages, 8.0, &words(lang, "report.pdf.counter_ratings_note"));
        return;
    }
    let mut columns = vec![0.0];
    let mut header = vec![words(lang, "report.pdf.times_col_counter")];
    if office.per_staff {
        columns.push(70.0);
        header.push(labels::column(lang, "staf"));
    }
    columns.extend([200.0, 270.0]);
    header.push(labels::column(lang, "penilaian_dihitung"));
    header.push(labels::column(lang, "indeks"));
    let rows: Vec<Vec<String>> = office
        .counter_ratings
        .iter()
        .map(|c| {
            let mut row = vec![c.counter.to_string()];
            if office.per_staff {
                row.push(c.staff.clone().unwrap_or_else(|| "-".into()));
            }
            row.push(c.index.ratings_counted.to_string());
            row.push(match (c.index.index, c.index.grade) {
                (Some(index), Some(grade)) => format!(
                    "{} ({grade:?}, {})",
                    format!("{index:.2}").replace('.', ","),
                    grade.label(lang)
                ),
                _ => "-".into(),
            });
            row
        })
        .collect();
    table(pages, &columns, &header, &rows);
    let basis = labels::index_basis(lang, report.question_set);
    pages.line(
        8.0,
        false,
        &labels::text(
            lang,
            "report.pdf.counter_ratings_basis",
            &json!({ "basis": basis }),
        ),
    );
    note(pages, 8.0, &words(lang, "report.pdf.counter_ratings_note"));
}

/// A note in as many lines as the page's width needs (the builtin font does not wrap).
fn note(pages: &mut Pages, size: f32, said: &str) {
    let mut line = String::new();
    for word in said.split_whitespace() {
        let longer = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if !line.is_empty() && approx_width(&longer, size) > RIGHT - LEFT {
            pages.line(size, false, &line);
            line = word.to_owned();
        } else {
            line = longer;
        }
    }
    if !line.is_empty() {
        pages.line(size, false, &line);
    }
}

/// Rows of text cells at the column offsets; a new page repeats the header.
fn table(pages: &mut Pages, columns: &[f32], header: &[String], rows: &[Vec<String>]) {
    let row = |pages: &mut Pages, cells: &[String], bold: bool| {
        pages.need(12.0);
        pages.y -= 12.0;
        for (x, cell) in columns.iter().zip(cells) {
            pages.ops.extend(text(LEFT + x, pages.y, 7.5, bold, cell));
        }
    };
    row(pages, header, true);
    for cells in rows {
        if pages.y - 12.0 < BOTTOM {
            pages.need(24.0);
            row(pages, header, true);
        }
        row(pages, cells, false);
    }
}
