//! Printing through the operating system's printer queue.
//!
//! Linux and macOS: CUPS, through its `lp` command (no C library to link; the queue name is the
//! one `lpstat -p` lists). Before submitting, `lpstat` is asked the queue's state: a disabled
//! (paused) queue would take the job and print it late, after the applicant has gone to the desk,
//! so it is a failed print (`printer_disabled`) with nothing submitted; a queue that rejects jobs
//! is `printer_refused`. Windows: the spooler in RAW mode through the `printers` crate, the only
//! safe way to hand a receipt printer ESC/POS bytes there; its queue status is not queried yet,
//! and Windows has not been tried yet.

use std::time::Duration;

use super::PrintFailure;
use crate::ticket::{render_pdf, TicketView};

/// Whether the named queue would take and print a job now, asking the OS and sending nothing
/// (`hadir doctor`).
pub(crate) fn queue_ready(printer: &str, timeout: Duration) -> Result<(), PrintFailure> {
    platform::queue_ready(printer, timeout)
}

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
        let deadline = Instant::now() + timeout;
        // No answer from lpstat (missing, slow, unknown queue): lp then says what is wrong.
        if let Some(output) = lpstat(printer, timeout) {
            super::queue_state(&output, printer).ready(printer)?;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        lp(printer, job, options, left.max(Duration::from_millis(100)))
    }

    pub(super) fn queue_ready(printer: &str, timeout: Duration) -> Result<(), PrintFailure> {
        let output = lpstat(printer, timeout).ok_or_else(|| {
            PrintFailure::new(
                "printer_unreachable",
                format!(
                    "lpstat -p {printer} gave no answer: CUPS knows no queue of that name, or \
                     the CUPS scheduler (cupsd) is not running"
                ),
            )
        })?;
        super::queue_state(&output, printer).ready(printer)
    }

    /// `lpstat -p <printer> -a <printer>` in the C locale, if it answers in time.
    fn lpstat(printer: &str, timeout: Duration) -> Option<String> {
        let mut child = Command::new("lpstat")
            .args(["-p", printer, "-a", printer])
            .env("LC_ALL", "C")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let deadline = Instant::now() + timeout;
        loop {
            match child.try_wait() {
                Ok(Some(status)) if status.success() => break,
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(10))
                }
                _ => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return None;
                }
            }
        }
        let mut output = String::new();
        std::io::Read::read_to_string(&mut child.stdout.take()?, &mut output).ok()?;
        Some(output)
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

/// What `lpstat -p <name> -a <name>` (C locale) says of one CUPS queue; `None` where it is
/// silent.
#[cfg(unix)]
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct QueueState {
    enabled: Option<bool>,
    accepting: Option<bool>,
    /// The reason CUPS gives for a paused or rejecting queue (the indented line below).
    reason: Option<String>,
}

#[cfg(unix)]
impl QueueState {
    fn ready(&self, printer: &str) -> Result<(), PrintFailure> {
        let why = self
            .reason
            .as_deref()
            .map(|r| format!(": {r}"))
            .unwrap_or_default();
        if self.enabled == Some(false) {
            return Err(PrintFailure::new(
                "printer_disabled",
                format!("CUPS queue {printer} is disabled{why} (cupsenable {printer})"),
            ));
        }
        if self.accepting == Some(false) {
            return Err(PrintFailure::new(
                "printer_refused",
                format!("CUPS queue {printer} is not accepting jobs{why} (cupsaccept {printer})"),
            ));
        }
        Ok(())
    }
}

/// Reads `lpstat` lines such as `printer PDF is idle.  enabled since ...`,
/// `printer PDF disabled since ... -` + `\tPaused`, `PDF accepting requests since ...` and
/// `PDF not accepting requests since ... -` + `\tRejecting Jobs`.
#[cfg(unix)]
fn queue_state(output: &str, printer: &str) -> QueueState {
    let mut state = QueueState::default();
    let printer_line = format!("printer {printer} ");
    let accepting_line = format!("{printer} accepting requests");
    let rejecting_line = format!("{printer} not accepting requests");
    let mut lines = output.lines().peekable();
    while let Some(line) = lines.next() {
        let reason = lines
            .peek()
            .filter(|next| next.starts_with(['\t', ' ']))
            .map(|next| next.trim().to_owned())
            .filter(|r| !r.is_empty());
        if let Some(rest) = line.strip_prefix(&printer_line) {
            let disabled = rest.starts_with("disabled");
            state.enabled = Some(!disabled);
            if disabled {
                state.reason = reason.or(state.reason);
            }
        } else if line.starts_with(&rejecting_line) {
            state.accepting = Some(false);
            state.reason = state.reason.or(reason);
        } else if line.starts_with(&accepting_line) {
            state.accepting = Some(true);
        }
    }
    state
}

#[cfg(windows)]
mod platform {
    use std::time::Duration;

    use super::PrintFailure;

    /// The spooler is only asked whether the printer exists; its state is not read yet.
    pub(super) fn queue_ready(printer: &str, _timeout: Duration) -> Result<(), PrintFailure> {
        printers::get_printer_by_name(printer)
            .map(drop)
            .ok_or_else(|| {
                PrintFailure::new(
                    "printer_unreachable",
                    format!("no printer named {printer:?}"),
                )
            })
    }

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

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn an_enabled_accepting_queue_may_print() {
        let output = "printer Tiket is idle.  enabled since Sun Nov 29 13:10:19 2026\n\
                      Tiket accepting requests since Sun Nov 29 13:10:19 2026\n";
        let state = queue_state(output, "Tiket");
        assert_eq!(state.enabled, Some(true));
        assert_eq!(state.accepting, Some(true));
        assert_eq!(state.ready("Tiket"), Ok(()));
        let printing = "printer Tiket now printing Tiket-12.  enabled since Sun Nov 29 2026\n";
        assert_eq!(queue_state(printing, "Tiket").ready("Tiket"), Ok(()));
    }

    #[test]
    fn a_disabled_queue_is_not_sent_a_job() {
        let output = "printer Tiket disabled since Sun Nov 29 13:10:19 2026 -\n\
                      \tout of paper\n\
                      Tiket accepting requests since Sun Nov 29 13:10:19 2026\n";
        let failure = queue_state(output, "Tiket")
            .ready("Tiket")
            .expect_err("disabled");
        assert_eq!(failure.reason, "printer_disabled");
        assert!(
            failure.detail.contains("out of paper"),
            "{}",
            failure.detail
        );
        assert!(
            failure.detail.contains("cupsenable Tiket"),
            "{}",
            failure.detail
        );
    }

    #[test]
    fn a_rejecting_queue_is_refused() {
        let output = "printer Tiket is idle.  enabled since Sun Nov 29 13:10:19 2026\n\
                      Tiket not accepting requests since Sun Nov 29 13:10:19 2026 -\n\
                      \tRejecting Jobs\n";
        let failure = queue_state(output, "Tiket")
            .ready("Tiket")
            .expect_err("rejecting");
        assert_eq!(failure.reason, "printer_refused");
    }

    #[test]
    fn another_queue_with_a_longer_name_is_not_read_as_this_one() {
        let output = "printer Tiket2 disabled since Sun Nov 29 13:10:19 2026 -\n\tPaused\n";
        assert_eq!(queue_state(output, "Tiket"), QueueState::default());
    }
}
