//! XLSX: one workbook, a sheet per table (Ringkasan, Tiket, Penilaian, Tindakan Staf), for
//! people: titles and codes in the supervisor's language, cells typed (numbers stay numbers,
//! days and times are date cells with a format, so they sort and filter as time), the header row
//! bold, frozen and with an autofilter.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};

use super::{labels, Cell, Report, Table};
use crate::error::{Error, Result};
use crate::model::Language;

/// How day and time cells read: unambiguous in both languages, and sortable as text too.
const DATE_FORMAT: &str = "yyyy-mm-dd";
const TIME_FORMAT: &str = "yyyy-mm-dd hh:mm:ss";

/// Deflate level of the zip container. Compressing the sheets' XML is most of the time a
/// workbook takes; level 3 writes a month (30,000 tickets) in about half the time of the
/// default 6 for a file a few percent larger (BENCHMARKS.md).
const ZIP_LEVEL: u8 = 3;

/// The whole workbook as bytes, in `lang`.
pub fn render_xlsx(report: &Report, lang: Language) -> Result<Vec<u8>> {
    render_tables(report, &report.tables(lang))
}

/// The workbook of tables already built (an export writing CSV too builds them once).
pub(super) fn render_tables(report: &Report, tables: &[Table<'_>]) -> Result<Vec<u8>> {
    build(report, tables).map_err(|e| {
        // Writing into memory fails only on the zip writer or a limit of the format (a sheet
        // past 1,048,576 rows): report it as the file that could not be written.
        Error::io("cannot write the XLSX workbook", std::io::Error::other(e))
    })
}

fn build(report: &Report, tables: &[Table<'_>]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    workbook.set_zip_compression_level(ZIP_LEVEL);
    let mut properties = DocProperties::new()
        .set_title(format!(
            "Hadir {} {} - {}",
            report.office_name, report.range.from, report.range.to
        ))
        .set_author("Hadir");
    // The file's creation time is the export's, not the machine clock's at render time.
    if let Some(created) = excel_time(&report.generated_at) {
        properties = properties.set_creation_datetime(&created);
    }
    workbook.set_properties(&properties);
    let formats = Formats {
        header: Format::new().set_bold(),
        date: Format::new().set_num_format(DATE_FORMAT),
        time: Format::new().set_num_format(TIME_FORMAT),
    };
    for table in tables {
        sheet(&mut workbook, table, &formats)?;
    }
    workbook.save_to_buffer()
}

struct Formats {
    header: Format,
    date: Format,
    time: Format,
}

fn sheet(workbook: &mut Workbook, table: &Table<'_>, formats: &Formats) -> Result<(), XlsxError> {
    let sheet = workbook.add_worksheet();
    sheet.set_name(&table.sheet)?;
    // Room for the filter's drop-down arrow beside each title.
    let mut widths: Vec<usize> = table
        .header
        .iter()
        .map(|h| h.title.chars().count() + 2)
        .collect();
    for (col, column) in table.header.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, &column.title, &formats.header)?;
    }
    for (index, row) in table.rows.iter().enumerate() {
        let r = index as u32 + 1;
        for (col, cell) in row.iter().enumerate() {
            let c = col as u16;
            // Widths from a sample: measuring 30,000 rows would cost more than it shows.
            let mut fit = |chars: usize| {
                if index < 200 {
                    widths[col] = widths[col].max(chars);
                }
            };
            match cell {
                Cell::Text(text) => {
                    sheet.write_string(r, c, text.as_ref())?;
                    fit(text.chars().count());
                }
                Cell::Coded { label, .. } => {
                    sheet.write_string(r, c, label)?;
                    fit(label.chars().count());
                }
                // A text that is not a day or time (never written by the store) stays text.
                Cell::Date(day) => match excel_date(day) {
                    Some(date) => {
                        sheet.write_datetime_with_format(r, c, &date, &formats.date)?;
                        fit(DATE_FORMAT.len());
                    }
                    None => {
                        sheet.write_string(r, c, day.as_ref())?;
                    }
                },
                Cell::Time(at) => match excel_wall_clock(at) {
                    Some(time) => {
                        sheet.write_datetime_with_format(r, c, &time, &formats.time)?;
                        fit(TIME_FORMAT.len());
                    }
                    None => {
                        sheet.write_string(r, c, at.as_ref())?;
                    }
                },
                Cell::Int(n) => {
                    sheet.write_number(r, c, *n as f64)?;
                }
                Cell::Num(x) => {
                    sheet.write_number(r, c, *x)?;
                }
                Cell::Blank => {}
            }
        }
    }
    for (col, width) in widths.iter().enumerate() {
        sheet.set_column_width(col as u16, (*width).clamp(6, 60) as f64 + 1.0)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    if !table.header.is_empty() {
        sheet.autofilter(0, 0, table.rows.len() as u32, table.header.len() as u16 - 1)?;
    }
    Ok(())
}

/// `2026-11-29` as a date cell.
fn excel_date(day: &str) -> Option<ExcelDateTime> {
    let date = day.parse::<jiff::civil::Date>().ok()?;
    ExcelDateTime::from_ymd(date.year() as u16, date.month() as u8, date.day() as u8).ok()
}

/// An office-local RFC 3339 time as the office's wall clock (a spreadsheet has no zones; the
/// office's is the one every time of the report is in).
fn excel_wall_clock(at: &str) -> Option<ExcelDateTime> {
    let local = labels::wall_clock(at)?;
    ExcelDateTime::from_ymd(local.year() as u16, local.month() as u8, local.day() as u8)
        .and_then(|d| d.and_hms(local.hour() as u16, local.minute() as u8, local.second()))
        .ok()
}

/// `2026-11-29T08:41:07+08:00` as the UTC time XLSX properties hold.
fn excel_time(rfc3339: &str) -> Option<ExcelDateTime> {
    let utc = rfc3339
        .parse::<jiff::Timestamp>()
        .ok()?
        .to_zoned_datetime(jiff::tz::TimeZone::UTC);
    ExcelDateTime::from_ymd(utc.year() as u16, utc.month() as u8, utc.day() as u8)
        .and_then(|d| d.and_hms(utc.hour() as u16, utc.minute() as u8, utc.second()))
        .ok()
}
