//! The period an export covers and the file formats it writes.

use jiff::civil::Date;
use serde::Serialize;

use crate::error::{Error, Result};

/// An office-local period of whole days, `from` to `to` inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ExportRange {
    pub from: Date,
    pub to: Date,
}

impl ExportRange {
    /// Longest period one export covers: a year, leap day included. Longer periods belong to
    /// the office hub, not to a kiosk's SQLite file.
    pub const MAX_DAYS: i64 = 366;

    pub fn new(from: Date, to: Date) -> Result<ExportRange> {
        if from > to {
            return Err(Error::InvalidInput(format!(
                "the period starts ({from}) after it ends ({to})"
            )));
        }
        let days = from.duration_until(to).as_secs() / 86_400 + 1;
        if days > Self::MAX_DAYS {
            return Err(Error::InvalidInput(format!(
                "the period {from} to {to} has {days} days; one export covers at most {} days",
                Self::MAX_DAYS
            )));
        }
        Ok(ExportRange { from, to })
    }

    /// From the operator's `YYYY-MM-DD` texts.
    pub fn parse(from: &str, to: &str) -> Result<ExportRange> {
        let date = |text: &str, which: &str| {
            text.parse::<Date>().map_err(|_| {
                Error::InvalidInput(format!(
                    "{which} date {text:?} is not a date in the form YYYY-MM-DD"
                ))
            })
        };
        ExportRange::new(date(from, "--from")?, date(to, "--to")?)
    }

    /// Days in the period.
    pub fn days(&self) -> i64 {
        self.from.duration_until(self.to).as_secs() / 86_400 + 1
    }

    /// `<from>_<to>`, the part every export file name shares.
    pub fn file_stem(&self) -> String {
        format!("{}_{}", self.from, self.to)
    }
}

/// The export file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    Csv,
    Xlsx,
    Pdf,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 3] = [ExportFormat::Csv, ExportFormat::Xlsx, ExportFormat::Pdf];

    pub fn parse(text: &str) -> Result<ExportFormat> {
        match text {
            "csv" => Ok(ExportFormat::Csv),
            "xlsx" => Ok(ExportFormat::Xlsx),
            "pdf" => Ok(ExportFormat::Pdf),
            other => Err(Error::InvalidInput(format!(
                "export format {other:?} is not one of csv, xlsx, pdf"
            ))),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::Pdf => "pdf",
        }
    }
}
