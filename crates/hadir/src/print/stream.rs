//! Sending a print job's bytes to a device file or a TCP printer, with timeouts so that a dead
//! printer can never hang the kiosk.

use std::io::Write;
use std::net::{TcpStream, ToSocketAddrs};
use std::path::Path;
use std::time::Duration;

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

/// Sends the job to a network printer (raw port, usually 9100).
pub(crate) fn write_tcp(address: &str, job: &[u8], timeout: Duration) -> Result<(), PrintFailure> {
    let unreachable = |detail: String| PrintFailure::new("printer_unreachable", detail);
    let target = address
        .to_socket_addrs()
        .map_err(|e| unreachable(format!("{address}: {e}")))?
        .next()
        .ok_or_else(|| unreachable(format!("{address}: no address")))?;
    let mut stream = TcpStream::connect_timeout(&target, timeout)
        .map_err(|e| unreachable(format!("{address}: {e}")))?;
    let failed = |e: std::io::Error| {
        let reason = if matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ) {
            "printer_timeout"
        } else {
            "printer_failed"
        };
        PrintFailure::new(reason, format!("{address}: {e}"))
    };
    stream.set_write_timeout(Some(timeout)).map_err(failed)?;
    stream.write_all(job).map_err(failed)?;
    stream.flush().map_err(failed)?;
    stream.shutdown(std::net::Shutdown::Write).map_err(failed)
}
