//! Asking the configured printer whether it could print now, without printing anything
//! (`hadir doctor`). The same questions a print asks first: DLE EOT for a network ESC/POS
//! printer, `lpstat` for a CUPS queue.

use super::{os, stream, PrintFailure, PrinterSink};
use crate::print::status::Ready;

/// What the printer said when asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrinterState {
    /// It answered that it can print (or its queue is enabled and accepting).
    Ready,
    /// It can print, but the roll is nearly used up.
    PaperNearEnd,
    /// It is there (connection opened, device opened, printer known to the OS), but it was not
    /// asked its state: why not.
    NotAsked(&'static str),
}

/// Asks the sink's printer its state. `Err` is the failure a print would get now, with the
/// same reasons as [`super::FAILURE_REASONS`]. A PDF folder is not a printer: `NotAsked`.
pub fn probe(sink: &PrinterSink) -> Result<PrinterState, PrintFailure> {
    match sink {
        PrinterSink::PdfFolder(_) => Ok(PrinterState::NotAsked("a PDF folder, not a printer")),
        PrinterSink::EscposDevice { path, .. } => std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .map(|_device| PrinterState::NotAsked("device files are not asked their status"))
            .map_err(|e| {
                PrintFailure::new("printer_unreachable", format!("{}: {e}", path.display()))
            }),
        PrinterSink::EscposTcp {
            address,
            timeout,
            status_query: true,
            ..
        } => stream::status_tcp(address, *timeout).map(|ready| match ready {
            Ready::Yes => PrinterState::Ready,
            Ready::PaperNearEnd => PrinterState::PaperNearEnd,
        }),
        PrinterSink::EscposTcp {
            address,
            timeout,
            status_query: false,
            ..
        } => stream::connect_tcp(address, *timeout)
            .map(|()| PrinterState::NotAsked("printer.status_query = false")),
        PrinterSink::OsRaw {
            printer, timeout, ..
        }
        | PrinterSink::OsPdf {
            printer, timeout, ..
        } => os::queue_ready(printer, *timeout).map(|()| {
            if cfg!(windows) {
                PrinterState::NotAsked("the Windows spooler's queue state is not read yet")
            } else {
                PrinterState::Ready
            }
        }),
    }
}
