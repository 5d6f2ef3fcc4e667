//! Where tickets go, chosen by `[printer] sink` in the config:
//!
//! | sink | bytes | where |
//! |---|---|---|
//! | `pdf_folder` | PDF | one file per ticket in a folder (demo default) |
//! | `escpos_device` | ESC/POS raster | a device path such as `/dev/usb/lp0` |
//! | `escpos_tcp` | ESC/POS raster | a network printer, usually port 9100 |
//! | `os_raw` | ESC/POS raster | a named OS printer, RAW (Windows spooler; a raw CUPS queue) |
//! | `os_pdf` | PDF | a named CUPS printer (Linux, macOS) |
//!
//! A print never raises: the check-in is committed before printing, so a failure is an outcome
//! with a stable reason ([`FAILURE_REASONS`]), recorded for the front desk's reprint list.
//!
//! Printers that can say they cannot print are asked first: `escpos_tcp` with the ESC/POS
//! real-time status (`DLE EOT`, before and after the job; `[printer] status_query`), the CUPS
//! sinks with `lpstat` (a disabled or rejecting queue gets no job). `escpos_device` and the
//! Windows spooler are not asked yet.

mod escpos;
mod os;
mod pdf_folder;
mod probe;
mod status;
mod stream;

use std::path::PathBuf;
use std::time::Duration;

pub use escpos::{decode_raster, encode as encode_escpos};
pub use pdf_folder::PdfFolder;
pub use probe::{probe, PrinterState};

use crate::config::{Config, SinkKind};
use crate::store::PrintOutcome;
use crate::ticket::raster::{dots_for_paper, render_raster};
use crate::ticket::TicketView;

/// A configured ticket printer.
#[derive(Debug, Clone)]
pub enum PrinterSink {
    PdfFolder(PdfFolder),
    EscposDevice {
        path: PathBuf,
        dots: usize,
    },
    EscposTcp {
        address: String,
        dots: usize,
        timeout: Duration,
        /// Ask the printer's real-time status before and after the job (`DLE EOT`).
        status_query: bool,
    },
    OsRaw {
        printer: String,
        dots: usize,
        timeout: Duration,
    },
    OsPdf {
        printer: String,
        paper_width_mm: u32,
        timeout: Duration,
    },
}

impl PrinterSink {
    /// The sink the config names. Validated at load, so the needed fields are present.
    pub fn from_config(config: &Config) -> PrinterSink {
        let printer = &config.printer;
        let dots = dots_for_paper(printer.paper_width_mm);
        let timeout = Duration::from_millis(printer.timeout_ms);
        let name = printer.name.clone().unwrap_or_default();
        match printer.sink {
            SinkKind::PdfFolder => PrinterSink::PdfFolder(PdfFolder {
                dir: config.pdf_dir(),
                paper_width_mm: printer.paper_width_mm,
            }),
            SinkKind::EscposDevice => PrinterSink::EscposDevice {
                path: printer.device.clone().unwrap_or_default(),
                dots,
            },
            SinkKind::EscposTcp => PrinterSink::EscposTcp {
                address: printer.address.clone().unwrap_or_default(),
                dots,
                timeout,
                status_query: printer.status_query,
            },
            SinkKind::OsRaw => PrinterSink::OsRaw {
                printer: name,
                dots,
                timeout,
            },
            SinkKind::OsPdf => PrinterSink::OsPdf {
                printer: name,
                paper_width_mm: printer.paper_width_mm,
                timeout,
            },
        }
    }

    /// Prints one ticket and says how it went.
    pub fn print(&self, ticket: &TicketView, office_date: &str) -> PrintOutcome {
        let outcome = match self {
            PrinterSink::PdfFolder(folder) => return folder.print(ticket, office_date),
            PrinterSink::EscposDevice { path, dots } => {
                escpos_job(ticket, *dots).and_then(|job| stream::write_device(path, &job))
            }
            PrinterSink::EscposTcp {
                address,
                dots,
                timeout,
                status_query,
            } => escpos_job(ticket, *dots)
                .and_then(|job| stream::write_tcp(address, &job, *timeout, *status_query)),
            PrinterSink::OsRaw {
                printer,
                dots,
                timeout,
            } => escpos_job(ticket, *dots).and_then(|job| os::print_raw(printer, &job, *timeout)),
            PrinterSink::OsPdf {
                printer,
                paper_width_mm,
                timeout,
            } => os::print_pdf(printer, ticket, *paper_width_mm, *timeout),
        };
        match outcome {
            Ok(()) => PrintOutcome::Printed {
                sink: self.describe(),
            },
            Err(failure) => {
                log::error!(
                    "ticket {} not printed on {}: {}",
                    ticket.label,
                    self.describe(),
                    failure.detail
                );
                PrintOutcome::Failed {
                    sink: self.describe(),
                    reason: failure.reason,
                    detail: failure.detail,
                }
            }
        }
    }

    /// The printer itself, without its kind: the OS queue (`PDF`), the device, the address, the
    /// folder. The staff screen names it in what to check.
    pub fn name(&self) -> String {
        match self {
            PrinterSink::PdfFolder(folder) => folder.dir.display().to_string(),
            PrinterSink::EscposDevice { path, .. } => path.display().to_string(),
            PrinterSink::EscposTcp { address, .. } => address.to_string(),
            PrinterSink::OsRaw { printer, .. } | PrinterSink::OsPdf { printer, .. } => {
                printer.clone()
            }
        }
    }

    /// `escpos_tcp:10.0.0.5:9100`: which printer, for logs and the print record.
    pub fn describe(&self) -> String {
        match self {
            PrinterSink::PdfFolder(folder) => format!("pdf:{}", folder.dir.display()),
            PrinterSink::EscposDevice { path, .. } => format!("escpos_device:{}", path.display()),
            PrinterSink::EscposTcp { address, .. } => format!("escpos_tcp:{address}"),
            PrinterSink::OsRaw { printer, .. } => format!("os_raw:{printer}"),
            PrinterSink::OsPdf { printer, .. } => format!("os_pdf:{printer}"),
        }
    }
}

/// Every reason a print can fail with (`PrintOutcome::Failed::reason`).
pub const FAILURE_REASONS: &[&str] = &[
    "printer_unreachable",
    "printer_failed",
    "printer_timeout",
    "printer_unconfirmed",
    "printer_refused",
    "printer_disabled",
    "printer_paper_out",
    "printer_cover_open",
    "printer_error",
    "printer_offline",
    "render_failed",
    "unsupported_on_platform",
];

/// What the front desk should look at after a print failed with `reason`: a code the staff
/// screen puts in words (`staff.printer.check.<code>`).
pub fn what_to_check(reason: &str) -> &'static str {
    match reason {
        "printer_paper_out" => "paper",
        "printer_cover_open" => "cover",
        "printer_error" => "jam",
        "printer_offline" => "offline",
        "printer_unreachable" => "power_cable",
        "printer_timeout" | "printer_failed" => "restart",
        "printer_unconfirmed" => "unconfirmed",
        "printer_disabled" => "queue_disabled",
        "printer_refused" => "queue_refusing",
        "render_failed" | "unsupported_on_platform" => "call_it",
        _ => "general",
    }
}

/// Why a print failed: a stable code and the detail for logs and staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintFailure {
    pub reason: &'static str,
    pub detail: String,
}

impl PrintFailure {
    pub(crate) fn new(reason: &'static str, detail: impl Into<String>) -> Self {
        PrintFailure {
            reason,
            detail: detail.into(),
        }
    }

    /// A failure after the whole job was handed to the printer: it may have printed, or may
    /// print once the printer recovers.
    pub(crate) fn unconfirmed(failure: PrintFailure) -> Self {
        PrintFailure::new(
            "printer_unconfirmed",
            format!(
                "{} ({}); the job was sent and may still print",
                failure.detail, failure.reason
            ),
        )
    }
}

fn escpos_job(ticket: &TicketView, dots: usize) -> Result<Vec<u8>, PrintFailure> {
    let bitmap = render_raster(ticket, dots)
        .map_err(|e| PrintFailure::new("render_failed", e.to_string()))?;
    Ok(encode_escpos(&bitmap))
}

#[cfg(test)]
mod fault_tests;
#[cfg(test)]
mod tests;
