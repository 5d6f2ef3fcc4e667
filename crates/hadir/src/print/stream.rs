//! Sending a print job's bytes to a device file or a TCP printer, with timeouts so that a dead
//! printer can never hang the kiosk.
//!
//! Only the TCP printer is asked its status: a device file is written blind (the Linux `usblp`
//! driver can read answers back from bidirectional printers, but that path is not built or
//! tried yet), so paper out on a USB printer shows only once the device refuses writes.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::Path;
use std::time::{Duration, Instant};

use super::status::{self, Ready, RealTimeStatus};
use super::PrintFailure;

/// Writes the job to a device path (`/dev/usb/lp0`; on Windows a shared port path).
pub(crate) fn write_device(path: &Path, job: &[u8]) -> Result<(), PrintFailure> {
    let mut device = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(|e| {
            PrintFailure::new("printer_unreachable", format!("{}: {e}", path.display()))
        })?;
    device
        .write_all(job)
        .and_then(|()| device.flush())
        .map_err(|e| PrintFailure::new("printer_failed", format!("{}: {e}", path.display())))
}

/// Sends the job to a network printer (raw port, usually 9100), all within `timeout`.
///
/// With `status_query`, the printer is asked its real-time status first (paper out, cover open,
/// offline: the job is not sent), and again after the job: it answers only once it has read
/// every byte before the question, so a printer that dropped the connection or stopped reading
/// is a failure, not a ticket reported printed. Without it the job is sent blind.
pub(crate) fn write_tcp(
    address: &str,
    job: &[u8],
    timeout: Duration,
    status_query: bool,
) -> Result<(), PrintFailure> {
    let mut printer = Printer::connect(address, timeout)?;
    if status_query {
        printer.check_status("before the job")?;
    }
    printer.send(job)?;
    if status_query {
        // The job is in the printer's buffer now: whatever goes wrong from here (no answer, paper
        // out or cover open after it) may still print later, when the printer is mended. Staff
        // must look before they reprint, or one applicant gets two tickets.
        printer
            .check_status("after the job")
            .map_err(PrintFailure::unconfirmed)?;
    }
    printer
        .stream
        .shutdown(std::net::Shutdown::Write)
        .map_err(|e| printer.failed(e))
}

/// Asks a network printer its real-time status and sends nothing else (`hadir doctor`).
pub(crate) fn status_tcp(address: &str, timeout: Duration) -> Result<Ready, PrintFailure> {
    let mut printer = Printer::connect(address, timeout)?;
    let ready = printer.status();
    let _ = printer.stream.shutdown(std::net::Shutdown::Both);
    ready
}

/// Whether a TCP connection to a printer opens within `timeout` (nothing is sent).
pub(crate) fn connect_tcp(address: &str, timeout: Duration) -> Result<(), PrintFailure> {
    Printer::connect(address, timeout).map(drop)
}

/// One connection to a network printer, with the deadline of the whole print.
struct Printer<'a> {
    stream: TcpStream,
    address: &'a str,
    deadline: Instant,
}

impl<'a> Printer<'a> {
    /// Connects within `timeout`, which is also the deadline of all that follows.
    fn connect(address: &'a str, timeout: Duration) -> Result<Printer<'a>, PrintFailure> {
        let deadline = Instant::now() + timeout;
        let unreachable = |detail: String| PrintFailure::new("printer_unreachable", detail);
        let target = address
            .to_socket_addrs()
            .map_err(|e| unreachable(format!("{address}: {e}")))?
            .next()
            .ok_or_else(|| unreachable(format!("{address}: no address")))?;
        let stream = TcpStream::connect_timeout(&target, timeout)
            .map_err(|e| unreachable(format!("{address}: {e}")))?;
        let printer = Printer {
            stream,
            address,
            deadline,
        };
        // Small questions go out at once rather than waiting for more bytes to fill a packet.
        printer
            .stream
            .set_nodelay(true)
            .map_err(|e| printer.failed(e))?;
        Ok(printer)
    }

    /// Time left, or the timeout failure when none is.
    fn remaining(&self, doing: &str) -> Result<Duration, PrintFailure> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(PrintFailure::new(
                "printer_timeout",
                format!("{}: no progress {doing} in time", self.address),
            ));
        }
        Ok(left)
    }

    fn failed(&self, e: std::io::Error) -> PrintFailure {
        let reason = if matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ) {
            "printer_timeout"
        } else {
            "printer_failed"
        };
        PrintFailure::new(reason, format!("{}: {e}", self.address))
    }

    /// Writes everything before the deadline (a printer that stops reading times out).
    fn send(&mut self, bytes: &[u8]) -> Result<(), PrintFailure> {
        let mut sent = 0;
        while sent < bytes.len() {
            let left = self.remaining("sending")?;
            self.stream
                .set_write_timeout(Some(left))
                .map_err(|e| self.failed(e))?;
            match self.stream.write(&bytes[sent..]) {
                Ok(0) => {
                    return Err(PrintFailure::new(
                        "printer_failed",
                        format!("{}: the printer stopped taking bytes", self.address),
                    ))
                }
                Ok(n) => sent += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(self.failed(e)),
            }
        }
        Ok(())
    }

    /// Asks `DLE EOT n` and reads the one-byte answer.
    fn ask(&mut self, n: u8) -> Result<u8, PrintFailure> {
        self.send(&status::query(n))?;
        let mut byte = [0u8; 1];
        loop {
            let left = self.remaining("answering the status query")?;
            self.stream
                .set_read_timeout(Some(left))
                .map_err(|e| self.failed(e))?;
            match self.stream.read(&mut byte) {
                Ok(0) => {
                    return Err(PrintFailure::new(
                        "printer_failed",
                        format!("{}: the printer closed the connection", self.address),
                    ))
                }
                Ok(_) if status::is_answer(byte[0]) => return Ok(byte[0]),
                Ok(_) => {} // not a status answer (Automatic Status Back): skip it
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(self.failed(e)),
            }
        }
    }

    /// Asks the three statuses: whether the printer can print, or why not.
    fn status(&mut self) -> Result<Ready, PrintFailure> {
        let answers = RealTimeStatus {
            printer: self.ask(status::PRINTER)?,
            offline_cause: self.ask(status::OFFLINE_CAUSE)?,
            paper: self.ask(status::PAPER_SENSOR)?,
        };
        answers.ready(self.address)
    }

    /// Asks the three statuses and refuses to go on when the printer cannot print.
    fn check_status(&mut self, when: &str) -> Result<(), PrintFailure> {
        match self.status() {
            Ok(Ready::Yes) => Ok(()),
            Ok(Ready::PaperNearEnd) => {
                log::warn!("printer {}: paper near end ({when})", self.address);
                Ok(())
            }
            Err(mut failure) => {
                failure.detail = format!("{} {when}", failure.detail);
                Err(failure)
            }
        }
    }
}
