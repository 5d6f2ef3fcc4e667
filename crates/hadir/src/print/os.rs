//! Printing through the operating system's printer queue.
//!
//! Linux and macOS: CUPS, through its `lp` command (no C library to link; the queue name is the
//! one `lpstat -p` lists). Windows: the spooler in RAW mode through the `printers` crate, the only
//! safe way to hand a receipt printer ESC/POS bytes there. Windows has not been tried yet.

use std::time::Duration;

use super::PrintFailure;
use crate::ticket::{render_pdf, TicketView};

/// Sends ESC/POS bytes unchanged to the named queue.
pub(crate) fn print_raw(printer: &str, job: &[u8], timeout: Duration) -> Result<(), PrintFailure> {
    platform::submit(printer, job, &["-o", "raw"], timeout)
}

/// Sends the ticket as a PDF page of its own size to the named queue.
pub(crate) fn print_pdf(
    printer: &str,
    ticket: &TicketView,
    paper_width_mm: u32,
    timeout: Duration,
) -> Result<(), PrintFailure> {
    let pdf = render_pdf(std::slice::from_ref(ticket), paper_width_mm)
        .map_err(|e| PrintFailure::new("render_failed", e.to_string()))?;
    let (width, height) = crate::ticket::pdf_page_size_mm(ticket, paper_width_mm);
    // Without the media size CUPS would put the small ticket on an A4 page.
    let media = format!("media=Custom.{width:.0}x{height:.0}mm");
    platform::submit_pdf(printer, &pdf, &["-o", &media], timeout)
}

#[cfg(unix)]
mod platform {
    use std::io::Write;
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    use super::PrintFailure;

    pub(super) fn submit(
        printer: &str,
        job: &[u8],
        options: &[&str],
        timeout: Duration,
    ) -> Result<(), PrintFailure> {
        lp(printer, job, options, timeout)
    }

    // CUPS takes PDF and raw jobs the same way; the options say which.
    pub(super) use self::submit as submit_pdf;

    /// `lp -d <printer> -t <title> [options] -` with the job on standard input.
    fn lp(
        printer: &str,
        job: &[u8],
        options: &[&str],
        timeout: Duration,
    ) -> Result<(), PrintFailure> {
        let mut child = Command::new("lp")
            .args(["-d", printer, "-t", "Hadir ticket"])
            .args(options)
            .arg("-")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| {
                PrintFailure::new(
                    "printer_unreachable",
                    format!("cannot run lp (CUPS client): {e}"),
                )
            })?;
        if let Some(mut stdin) = child.stdin.take() {
            stdin.write_all(job).map_err(|e| {
                PrintFailure::new("printer_failed", format!("lp did not take the job: {e}"))
            })?;
        }
        let deadline = Instant::now() + timeout;
        loop {
            match child.try_wait() {
                Ok(Some(status)) if status.success() => return Ok(()),
                Ok(Some(status)) => {
                    let mut message = String::new();
                    if let Some(mut stderr) = child.stderr.take() {
                        let _ = std::io::Read::read_to_string(&mut stderr, &mut message);
                    }
                    return Err(PrintFailure::new(
                        "printer_refused",
                        format!("lp -d {printer} exited with {status}: {}", message.trim()),
                    ));
                }
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(20))
                }
                Ok(None) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(PrintFailure::new(
                        "printer_timeout",
                        format!("lp -d {printer} gave no answer"),
                    ));
                }
                Err(e) => return Err(PrintFailure::new("printer_failed", format!("lp: {e}"))),
            }
        }
    }
}

#[cfg(windows)]
mod platform {
    use std::time::Duration;

    use super::PrintFailure;

    pub(super) fn submit(
        printer: &str,
        job: &[u8],
        _options: &[&str],
        _timeout: Duration,
    ) -> Result<(), PrintFailure> {
        let queue = printers::get_printer_by_name(printer).ok_or_else(|| {
            PrintFailure::new(
                "printer_unreachable",
                format!("no printer named {printer:?}"),
            )
        })?;
        let options = printers::common::base::job::PrinterJobOptions {
            name: Some("Hadir ticket"),
            raw_properties: &[],
            converter: printers::common::converters::Converter::None,
        };
        queue
            .print(job, options)
            .map(|_job_id| ())
            .map_err(|e| PrintFailure::new("printer_refused", format!("{printer}: {e:?}")))
    }

    pub(super) fn submit_pdf(
        _printer: &str,
        _pdf: &[u8],
        _options: &[&str],
        _timeout: Duration,
    ) -> Result<(), PrintFailure> {
        Err(PrintFailure::new(
            "unsupported_on_platform",
            "Windows printers do not take PDF directly: use sink = \"os_raw\" with an ESC/POS printer",
        ))
    }
}
