//! Standard output for every command. A reader that stops early (`hadir status | head -1`)
//! closes the pipe; Rust ignores SIGPIPE, so the next write fails with `BrokenPipe`, and
//! `println!` would panic on it. Every command writes through [`line`] instead: the failure
//! becomes an error that `main` recognises ([`is_closed`]) and ends the run quietly with
//! [`CLOSED`], doing no further work (a batch scans no more lines).

use std::io::Write;

/// Exit status when the reader of standard output went away before everything was written:
/// 128 + SIGPIPE (13), what a shell shows for a program a closed pipe ended (`yes | head -1`
/// under `set -o pipefail`). The same on Windows, where no signal is involved.
pub const CLOSED: u8 = 141;

/// Marks the write error as "the reader is gone", so a `BrokenPipe` from anything else (a
/// network printer, a socket) is never mistaken for it.
#[derive(Debug)]
struct StdoutClosed;

impl std::fmt::Display for StdoutClosed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the reader of standard output went away")
    }
}

impl std::error::Error for StdoutClosed {}

/// Writes `text` and a newline to standard output and flushes it, so a closed pipe is noticed
/// here and not silently at exit.
pub fn line(text: &str) -> hadir::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}")
        .and_then(|()| out.flush())
        .map_err(write_error)
}

/// `println!` that returns a failed write as an error instead of panicking (see [`line`]).
macro_rules! print_line {
    ($($arg:tt)*) => {
        $crate::output::line(&format!($($arg)*))
    };
}
pub(crate) use print_line;

fn write_error(error: std::io::Error) -> hadir::Error {
    if error.kind() == std::io::ErrorKind::BrokenPipe {
        let closed = std::io::Error::new(std::io::ErrorKind::BrokenPipe, StdoutClosed);
        hadir::Error::io("standard output", closed)
    } else {
        hadir::Error::io("cannot write standard output", error)
    }
}

/// Whether `error` is standard output's reader going away (see [`line`]).
pub fn is_closed(error: &hadir::Error) -> bool {
    match error {
        hadir::Error::Io { source, .. } => source
            .get_ref()
            .is_some_and(|inner| inner.is::<StdoutClosed>()),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_closed_standard_output_counts_as_closed() {
        let broken = std::io::Error::from(std::io::ErrorKind::BrokenPipe);
        assert!(is_closed(&write_error(broken)));
        let full = std::io::Error::from(std::io::ErrorKind::StorageFull);
        assert!(!is_closed(&write_error(full)), "a full disk is an error");
        let printer = hadir::Error::io(
            "printer",
            std::io::Error::from(std::io::ErrorKind::BrokenPipe),
        );
        assert!(
            !is_closed(&printer),
            "another pipe's BrokenPipe is an error"
        );
    }
}
