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
mod gather;
mod labels;
mod no_shows;
mod pdf;
mod pdf_pages;
mod range;
mod service_times;
mod service_times_pdf;
mod summary;
mod summary_table;
mod tables;
mod walkins;
mod write;
mod xlsx;

pub use self::gather::{Report, SyncSnapshot};
pub use self::pdf::render_pdf;
pub use self::range::{ExportFormat, ExportRange};
pub use self::service_times::{counter_ratings, CounterRatings, OfficeTimes, ServedBy};
pub use self::summary::Summary;
pub use self::walkins::{WalkinQuotaDay, WalkinSummary};
pub use self::write::write;
pub use self::xlsx::render_xlsx;

// The renderers' shared pieces, reached as `super::...` from the files beside this one.
use self::tables::{Cell, Column, Table, ADMIN_CLI};

#[cfg(test)]
mod service_times_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod walkin_tests;
#[cfg(test)]
mod workbook_tests;
