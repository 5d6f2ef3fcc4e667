//! The exported tables (tickets, ratings, staff actions; the summary's is in
//! `summary_table.rs`): one shape of cells that both CSV and XLSX write.

use std::borrow::Cow;

use super::{labels, Report};
use crate::model::Language;
use crate::survey;

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
    pub(super) fn text(text: &'a str) -> Cell<'a> {
        Cell::Text(Cow::Borrowed(text))
    }

    pub(super) fn opt(text: Option<&'a str>) -> Cell<'a> {
        text.map_or(Cell::Blank, Cell::text)
    }

    /// `ya`/`tidak` in CSV, in words of `lang` in XLSX.
    pub(super) fn yes_no(value: bool, lang: Language) -> Cell<'a> {
        Cell::Coded {
            code: Cow::Borrowed(if value { "ya" } else { "tidak" }),
            label: labels::yes_no(lang, value),
        }
    }

    pub(super) fn owned(text: String) -> Cell<'a> {
        Cell::Text(Cow::Owned(text))
    }

    pub(super) fn date(day: &'a str) -> Cell<'a> {
        Cell::Date(Cow::Borrowed(day))
    }

    pub(super) fn time(at: &'a str) -> Cell<'a> {
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
    pub(super) fn new(key: Cow<'a, str>, lang: Language) -> Column<'a> {
        let title = labels::column(lang, &key);
        Column { key, title }
    }

    pub(super) fn all(keys: &[&'static str], lang: Language) -> Vec<Column<'a>> {
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

pub(super) const TICKET_HEADER: [&str; 22] = [
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
    "tanpa_pemesanan",
];

const STAFF_ACTION_HEADER: [&str; 7] =
    ["id", "waktu", "staf", "peran", "aksi", "sasaran", "alasan"];
impl Report {
    /// The rows of each exported table, in the shape both CSV and XLSX write; labels and
    /// titles in `lang` (XLSX shows them, CSV keeps the codes and keys).
    /// The office hub's export adds its times and ratings per counter after them.
    pub(crate) fn tables(&self, lang: Language) -> Vec<Table<'_>> {
        let summary = self.summary();
        let mut tables = vec![
            self.summary_table(&summary, lang),
            self.ticket_table(lang),
            self.rating_table(lang),
            self.staff_action_table(lang),
        ];
        tables.extend(self.office_time_tables(lang));
        tables
    }

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
                    Cell::yes_no(t.walkin, lang),
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
}

/// Who an audit row with no staff id is.
pub(super) const ADMIN_CLI: &str = "admin (CLI)";
