//! The written files opened as a reader would: the XLSX unzipped and its sheet XML read (date
//! cells, number formats, autofilters, the words in each language), the CSV compared across
//! languages. The day is the one `tests.rs` works out by hand.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use jiff::civil::date;

use super::tests::{fixture, report};
use super::*;
use crate::model::Language;

/// A workbook's XML parts by name.
struct Book {
    parts: BTreeMap<String, String>,
}

impl Book {
    fn open(path: &Path) -> Book {
        let file = std::fs::File::open(path).expect("workbook file");
        let mut zip = zip::ZipArchive::new(file).expect("an XLSX is a zip");
        let mut parts = BTreeMap::new();
        for index in 0..zip.len() {
            let mut part = zip.by_index(index).expect("part");
            let mut text = String::new();
            part.read_to_string(&mut text).expect("XML text");
            let name = part.name().expect("part name").into_owned();
            parts.insert(name, text);
        }
        Book { parts }
    }

    fn part(&self, name: &str) -> &str {
        self.parts
            .get(name)
            .unwrap_or_else(|| panic!("{name} in {:?}", self.parts.keys()))
    }

    /// Sheet names in workbook order.
    fn sheet_names(&self) -> Vec<String> {
        between_all(self.part("xl/workbook.xml"), "<sheet name=\"", "\"")
            .into_iter()
            .map(unescape)
            .collect()
    }

    fn sheet(&self, name: &str) -> &str {
        let index = self
            .sheet_names()
            .iter()
            .position(|n| n == name)
            .unwrap_or_else(|| panic!("no sheet {name}: {:?}", self.sheet_names()));
        self.part(&format!("xl/worksheets/sheet{}.xml", index + 1))
    }

    /// The `<c r="B2" ...>` element of a sheet: its attributes and its `<v>` value.
    fn cell(&self, sheet: &str, reference: &str) -> XmlCell {
        let xml = self.sheet(sheet);
        let start = xml
            .find(&format!("<c r=\"{reference}\""))
            .unwrap_or_else(|| panic!("no cell {reference} in {sheet}"));
        let rest = &xml[start..];
        let open_end = rest.find('>').expect("tag end");
        let attributes = rest[..open_end].to_owned();
        let value = if rest[..open_end].ends_with('/') {
            String::new()
        } else {
            between(rest, "<v>", "</v>").unwrap_or_default().to_owned()
        };
        XmlCell { attributes, value }
    }

    /// What a reader shows for a cell: shared strings resolved, numbers as written.
    fn text(&self, sheet: &str, reference: &str) -> String {
        let cell = self.cell(sheet, reference);
        match cell.attribute("t").as_deref() {
            Some("s") => {
                let strings = between_all(self.part("xl/sharedStrings.xml"), "<si>", "</si>");
                let index: usize = cell.value.parse().expect("string index");
                let item = strings[index];
                let text_start = item.find('>').expect("<t>") + 1;
                unescape(&item[text_start..item.rfind("</t>").expect("</t>")])
            }
            _ => cell.value,
        }
    }

    /// The number format of a cell's style (`General` for none).
    fn number_format(&self, cell: &XmlCell) -> String {
        let styles = self.part("xl/styles.xml");
        let style: usize = cell.attribute("s").map_or(0, |s| s.parse().expect("style"));
        let xfs = between(styles, "<cellXfs", "</cellXfs>").expect("cellXfs");
        let xf = xfs.split("<xf ").nth(style + 1).expect("the cell's xf");
        let id = between(xf, "numFmtId=\"", "\"").expect("numFmtId");
        between_all(styles, "<numFmt ", "/>")
            .into_iter()
            .find(|f| f.contains(&format!("numFmtId=\"{id}\"")))
            .and_then(|f| between(f, "formatCode=\"", "\""))
            .map_or_else(|| format!("builtin {id}"), unescape)
    }

    /// A row's cells' texts, by the row's first cell (the summary's key column).
    fn summary_row(&self, sheet: &str, key: &str) -> u32 {
        (2..200)
            .find(|row| self.text(sheet, &format!("A{row}")) == key)
            .unwrap_or_else(|| panic!("no row {key} in {sheet}"))
    }
}

struct XmlCell {
    attributes: String,
    value: String,
}

impl XmlCell {
    fn attribute(&self, name: &str) -> Option<String> {
        between(&self.attributes, &format!(" {name}=\""), "\"").map(str::to_owned)
    }

    /// A number cell (no `t`: not a string) and its value.
    fn number(&self) -> f64 {
        assert_eq!(
            self.attribute("t"),
            None,
            "a number cell, not text: {}",
            self.attributes
        );
        self.value.parse().expect("a number")
    }
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let to = text[from..].find(end)? + from;
    Some(&text[from..to])
}

fn between_all<'a>(text: &'a str, start: &str, end: &str) -> Vec<&'a str> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(inner) = between(rest, start, end) {
        found.push(inner);
        let consumed = rest.find(start).unwrap_or(0) + start.len() + inner.len() + end.len();
        rest = &rest[consumed..];
    }
    found
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Excel's day number of a wall-clock time (days since 1899-12-30, the time as a fraction).
fn serial(day: jiff::civil::Date, hour: i8, minute: i8) -> f64 {
    let days = date(1899, 12, 30).until(day).expect("span").get_days();
    f64::from(days) + (f64::from(hour) * 60.0 + f64::from(minute)) / 1440.0
}

fn workbook(report: &Report, lang: Language) -> (tempfile::TempDir, Book) {
    let out = tempfile::tempdir().expect("temp");
    let files = write(report, &[ExportFormat::Xlsx], out.path(), lang).expect("writes");
    let book = Book::open(&files[0]);
    (out, book)
}

#[test]
fn days_and_times_are_date_cells_with_a_format_and_every_sheet_has_a_filter() {
    let (_dir, store) = fixture();
    let report = report(&store, false);
    let (_out, book) = workbook(&report, Language::Id);
    let day = date(2026, 11, 29);

    // Tiket: A-001, scanned 08:10, is the first row.
    assert_eq!(book.text("Tiket", "C2"), "A-001");
    let issued = book.cell("Tiket", "B2");
    assert!((issued.number() - serial(day, 8, 10)).abs() < 1e-9);
    assert_eq!(book.number_format(&issued), "yyyy-mm-dd hh:mm:ss");
    let office_day = book.cell("Tiket", "A2");
    assert_eq!(office_day.number(), serial(day, 0, 0));
    assert_eq!(book.number_format(&office_day), "yyyy-mm-dd");

    // The reprint at 10:02 in the staff actions, and the export's own moment in the summary.
    let reprint = book.cell("Tindakan Staf", "B3");
    assert!((reprint.number() - serial(day, 10, 2)).abs() < 1e-9);
    assert_eq!(book.number_format(&reprint), "yyyy-mm-dd hh:mm:ss");
    let generated = book.cell(
        "Ringkasan",
        &format!("C{}", book.summary_row("Ringkasan", "dibuat")),
    );
    assert!((generated.number() - serial(day, 17, 0)).abs() < 1e-9);
    assert_eq!(book.number_format(&generated), "yyyy-mm-dd hh:mm:ss");

    // An autofilter over the header and every row of each sheet (Tiket: 22 columns, 4 tickets).
    for name in ["Ringkasan", "Tiket", "Penilaian", "Tindakan Staf"] {
        let filter = between(book.sheet(name), "<autoFilter ref=\"", "\"")
            .unwrap_or_else(|| panic!("{name} has no autofilter"));
        assert!(filter.starts_with("A1:"), "{name}: {filter}");
    }
    assert_eq!(
        between(book.sheet("Tiket"), "<autoFilter ref=\"", "\""),
        Some("A1:V5")
    );
    assert_eq!(
        between(book.sheet("Tindakan Staf"), "<autoFilter ref=\"", "\""),
        Some("A1:G3")
    );
}

#[test]
fn the_workbook_speaks_the_supervisors_language() {
    let (_dir, store) = fixture();
    let report = report(&store, false);
    assert_eq!(report.sync.state, "file_only", "no upstream configured");
    let sync_row = |book: &Book, sheet: &str| {
        let row = book.summary_row(sheet, "sync_status");
        book.text(sheet, &format!("C{row}"))
    };

    let (_out, id) = workbook(&report, Language::Id);
    assert_eq!(
        id.sheet_names(),
        ["Ringkasan", "Tiket", "Penilaian", "Tindakan Staf"]
    );
    assert_eq!(id.text("Tindakan Staf", "E1"), "Tindakan");
    assert_eq!(id.text("Tindakan Staf", "E3"), "Cetak ulang (SALINAN)");
    assert_eq!(
        id.text("Tindakan Staf", "E2"),
        "checkin_manual",
        "an action without words shows its code"
    );
    assert_eq!(id.text("Tiket", "B1"), "Waktu check-in");
    assert_eq!(
        sync_row(&id, "Ringkasan"),
        "Tanpa jaringan, data dari berkas impor"
    );
    assert_eq!(id.text("Tiket", "F2"), "Tidak", "percepatan in words");

    let (_out, en) = workbook(&report, Language::En);
    assert_eq!(
        en.sheet_names(),
        ["Summary", "Tickets", "Ratings", "Staff actions"]
    );
    assert_eq!(en.text("Staff actions", "E1"), "Action");
    assert_eq!(en.text("Staff actions", "E3"), "Reprint (copy)");
    assert_eq!(en.text("Tickets", "B1"), "Check-in time");
    assert_eq!(
        sync_row(&en, "Summary"),
        "No network; data from import files"
    );
    assert_eq!(en.text("Tickets", "F2"), "No");
}

#[test]
fn csv_is_the_same_in_every_language_codes_and_rfc3339_times() {
    let (_dir, store) = fixture();
    let report = report(&store, false);
    let (id_dir, en_dir) = (
        tempfile::tempdir().expect("temp"),
        tempfile::tempdir().expect("temp"),
    );
    let id = write(&report, &[ExportFormat::Csv], id_dir.path(), Language::Id).expect("writes");
    let en = write(&report, &[ExportFormat::Csv], en_dir.path(), Language::En).expect("writes");
    for (a, b) in id.iter().zip(&en) {
        assert_eq!(
            std::fs::read_to_string(a).expect("reads"),
            std::fs::read_to_string(b).expect("reads"),
            "{} differs by language",
            a.display()
        );
    }
    let actions = std::fs::read_to_string(&id[3]).expect("staff actions CSV");
    assert!(actions.starts_with("id,waktu,staf,peran,aksi,sasaran,alasan\r\n"));
    assert!(
        actions.contains(",2026-11-29T10:02:00+08:00,yosefina,frontdesk,reprint,"),
        "{actions}"
    );
    let summary = std::fs::read_to_string(&id[0]).expect("summary CSV");
    assert!(summary.contains("sync_status,Sinkronisasi: status,file_only\r\n"));
    assert!(summary.contains("dibuat,Dibuat (generated),2026-11-29T17:00:00+08:00\r\n"));
}
