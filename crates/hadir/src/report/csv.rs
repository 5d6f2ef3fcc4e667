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
        Cell::Text(text) => inert(text),
        Cell::Date(text) | Cell::Time(text) => text.to_string(),
        Cell::Coded { code, .. } => code.to_string(),
        Cell::Int(n) => n.to_string(),
        // Numbers keep a dot: CSV is for machines and spreadsheets, whatever their locale.
        Cell::Num(x) => x.to_string(),
        Cell::Blank => String::new(),
    }
}

/// Free text (a staff reason, a name from the feed) as a spreadsheet reads it: never a formula.
/// A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return would be evaluated when
/// the file is opened (CSV injection), so it gets a leading `'`, which spreadsheets show as
/// text and machines can strip.
fn inert(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod injection_tests {
    use super::*;

    #[test]
    fn free_text_that_looks_like_a_formula_stays_text() {
        for formula in [
            "=HYPERLINK(\"http://x\",\"klik\")",
            "+62 812",
            "-1+1",
            "@SUM(A1)",
            "\t=1",
        ] {
            assert_eq!(field(&Cell::Text(formula.into())), format!("'{formula}"));
        }
        assert_eq!(field(&Cell::Text("kertas macet".into())), "kertas macet");
        assert_eq!(field(&Cell::Text("A-001".into())), "A-001");
        assert_eq!(field(&Cell::Int(-3)), "-3", "numbers are numbers");
    }
}
