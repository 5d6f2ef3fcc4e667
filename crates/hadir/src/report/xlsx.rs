//! XLSX: one workbook, a sheet per table (Ringkasan, Tiket, Penilaian, Tindakan Staf), cells
//! typed (numbers stay numbers), the header row bold and frozen.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};

use super::{Cell, Report, Table};
use crate::error::{Error, Result};

/// Deflate level of the zip container. Compressing the sheets' XML is most of the time a
/// workbook takes; level 3 writes a month (30,000 tickets) in about half the time of the
/// default 6 for a file a few percent larger (BENCHMARKS.md).
const ZIP_LEVEL: u8 = 3;

/// The whole workbook as bytes.
pub fn render_xlsx(report: &Report) -> Result<Vec<u8>> {
    render_tables(report, &report.tables())
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
    let header = Format::new().set_bold();
    for table in tables {
        sheet(&mut workbook, table, &header)?;
    }
    workbook.save_to_buffer()
}

fn sheet(workbook: &mut Workbook, table: &Table<'_>, header: &Format) -> Result<(), XlsxError> {
    let sheet = workbook.add_worksheet();
    sheet.set_name(table.sheet)?;
    let mut widths: Vec<usize> = table.header.iter().map(|h| h.chars().count()).collect();
    for (col, title) in table.header.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, title.as_ref(), header)?;
    }
    for (index, row) in table.rows.iter().enumerate() {
        let r = index as u32 + 1;
        for (col, cell) in row.iter().enumerate() {
            let c = col as u16;
            match cell {
                Cell::Text(text) => {
                    sheet.write_string(r, c, text.as_ref())?;
                    // Widths from a sample: measuring 30,000 rows would cost more than it shows.
                    if index < 200 {
                        widths[col] = widths[col].max(text.chars().count());
                    }
                }
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
    Ok(())
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
