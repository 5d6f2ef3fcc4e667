//! CSV: UTF-8, a header row, RFC 4180 quoting (the `csv` crate quotes only where needed). For
//! machines, and the same in every language: the header is the columns' stable keys, codes stay
//! codes (`export`, `ok`, `ya`), days are `YYYY-MM-DD` and times office-local RFC 3339.

use super::{Cell, Table};
use crate::error::{Error, Result};

/// One table as CSV bytes.
pub(super) fn render_csv(table: &Table<'_>) -> Result<Vec<u8>> {
    let failed =
        |e: ::csv::Error| Error::io(format!("cannot write {} as CSV", table.file), e.into());
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    writer
        .write_record(table.header.iter().map(|h| h.key.as_bytes()))
        .map_err(failed)?;
    let mut fields: Vec<String> = Vec::new();
    for row in &table.rows {
        fields.clear();
        fields.extend(row.iter().map(field));
        writer.write_record(&fields).map_err(failed)?;
    }
    writer.into_inner().map_err(|e| {
        Error::io(
            format!("cannot write {} as CSV", table.file),
            e.into_error(),
        )
    })
}

fn field(cell: &Cell<'_>) -> String {
    match cell {
        Cell::Text(text) | Cell::Date(text) | Cell::Time(text) => text.to_string(),
        Cell::Coded { code, .. } => code.to_string(),
        Cell::Int(n) => n.to_string(),
        // Numbers keep a dot: CSV is for machines and spreadsheets, whatever their locale.
        Cell::Num(x) => x.to_string(),
        Cell::Blank => String::new(),
    }
}
