//! `hadir checkin`: one scanned text from the command line, or a batch from standard input (a
//! scanner's log replayed), each through the kiosk's own scan. The admin reads the front desk's
//! words for each verdict, not the applicant's screen text; the exit status says whether
//! everyone was admitted.

use std::io::BufRead;
use std::process::ExitCode;

use hadir::checkin::{ScanOutcome, Verdict};
use hadir::kiosk::ScanAnswer;
use hadir::scan_result::staff_words;
use hadir::{Config, Store};

use crate::output;

/// Exit status when a scan admitted nobody: refused, `malformed`, or a ticket's own QR (which
/// opens the survey). For a batch: when at least one line did.
pub const REFUSED: u8 = 3;

/// Exit status of a batch in which a line could not be recorded because the disk was full (the
/// status of every command's error).
pub const NOT_RECORDED: u8 = 2;

/// Longest line of a batch kept in memory; a longer one (a file piped by mistake) is answered
/// `malformed` without being held whole. Far above the core's own limit for a scan
/// (`booking::MAX_SCAN_BYTES`), which the scan applies to every shorter line.
const MAX_LINE_BYTES: usize = 64 * 1024;

/// `hadir checkin <text>`: the answer as indented JSON.
pub fn one(
    store: &mut Store,
    text: &str,
    now: &jiff::ZonedDateTime,
    config: &Config,
) -> hadir::Result<ExitCode> {
    let answer = scan_and_print(&async_runtime()?, store, text, now, config)?;
    output::line(&answer_json(&answer, true))?;
    Ok(exit_status(admits(&answer)))
}

/// `hadir checkin --stdin`: one scan per line of `input`, each answered on its own flushed line
/// once its check-in is committed and its ticket printed, so a caller (the crash tests) knows
/// exactly which check-ins were reported before a kill. A line that is not text (not UTF-8, a
/// NUL) is answered `malformed` and the batch goes on; so is a line the store could not take
/// because the disk was full (`disk_full`: nothing of it was written, and a later line may find
/// room again, as at the kiosk). Any other error (the store) stops the batch there. Each line
/// is judged at the time `now` gives when it is read (a scanner piped in for hours).
pub fn batch(
    store: &mut Store,
    mut input: impl BufRead,
    now: &dyn Fn() -> jiff::ZonedDateTime,
    config: &Config,
) -> hadir::Result<ExitCode> {
    let runtime = async_runtime()?;
    let mut everyone_admitted = true;
    let mut disk_was_full = false;
    let mut number = 0_u64;
    while let Some(line) = next_line(&mut input)? {
        number += 1;
        let now = now();
        let answer = match scan_text(&line) {
            Some(text) => match scan_and_print(&runtime, store, text, &now, config) {
                Ok(answer) => answer,
                Err(error) if error.error_code() == hadir::error::ErrorCode::DiskFull => {
                    log::error!("line {number}: not recorded, the disk is full: {error}");
                    disk_was_full = true;
                    output::line(&not_recorded_json(&error))?;
                    continue;
                }
                Err(error) => return Err(error),
            },
            None => {
                log::info!("line {number}: not a scan (not UTF-8, a NUL, or over {MAX_LINE_BYTES} bytes) -> malformed");
                not_a_scan(&now, config)
            }
        };
        everyone_admitted &= admits(&answer);
        output::line(&answer_json(&answer, false))?;
    }
    if disk_was_full {
        return Ok(ExitCode::from(NOT_RECORDED));
    }
    Ok(exit_status(everyone_admitted))
}

/// The answer to a line the store could not take (a full disk): its code, what happened and
/// what to do in both languages, the details for IT, and no tickets.
fn not_recorded_json(error: &hadir::Error) -> String {
    serde_json::json!({
        "code": error.code(),
        "message": error.title(),
        "next_step": error.next_step(),
        "detail": error.to_string(),
        "tickets": [],
        "prints": [],
    })
    .to_string()
}

fn exit_status(everyone_admitted: bool) -> ExitCode {
    if everyone_admitted {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(REFUSED)
    }
}

/// Whether someone leaves with a number; a ticket's QR checks no one in.
fn admits(answer: &ScanAnswer) -> bool {
    matches!(answer, ScanAnswer::Checkin(result) if result.verdict.admits())
}

/// One line of a batch as read.
enum Line {
    Bytes(Vec<u8>),
    TooLong,
}

/// The next line of `input` without its `\n` and a `\r` before it; `None` at the end. Bytes,
/// not `String`: a line that is not UTF-8 is one bad scan, not the end of the batch.
fn next_line(input: &mut impl BufRead) -> hadir::Result<Option<Line>> {
    let mut bytes = Vec::new();
    let mut too_long = false;
    let mut read_any = false;
    loop {
        let buffer = match input.fill_buf() {
            Ok(buffer) => buffer,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(hadir::Error::io("cannot read standard input", e)),
        };
        if buffer.is_empty() {
            break;
        }
        read_any = true;
        let end = buffer.iter().position(|&b| b == b'\n');
        let chunk = &buffer[..end.unwrap_or(buffer.len())];
        too_long |= bytes.len() + chunk.len() > MAX_LINE_BYTES;
        if !too_long {
            bytes.extend_from_slice(chunk);
        }
        let used = chunk.len() + usize::from(end.is_some());
        input.consume(used);
        if end.is_some() {
            break;
        }
    }
    if !read_any {
        return Ok(None);
    }
    if too_long {
        return Ok(Some(Line::TooLong));
    }
    if bytes.last() == Some(&b'\r') {
        bytes.pop();
    }
    Ok(Some(Line::Bytes(bytes)))
}

/// The line as scanner text, when it is text at all: UTF-8 without a NUL (no scanner sends
/// one; C strings and SQLite's text functions stop at it).
fn scan_text(line: &Line) -> Option<&str> {
    match line {
        Line::Bytes(bytes) => std::str::from_utf8(bytes)
            .ok()
            .filter(|t| !t.contains('\0')),
        Line::TooLong => None,
    }
}

/// The answer to a line that is not text: `malformed`, as the kiosk answers text that reads as
/// neither form of booking code.
fn not_a_scan(now: &jiff::ZonedDateTime, config: &Config) -> ScanAnswer {
    let outcome = ScanOutcome {
        verdict: Verdict::Malformed,
        booking: None,
        tickets: Vec::new(),
    };
    let (result, _) = hadir::scan_result::result_of(outcome, config.kiosk.language, now, config);
    ScanAnswer::Checkin(result)
}

/// One scanned text through the kiosk's own scan (no hub: the CLI numbers locally), its tickets
/// printed at once in the office's language.
fn scan_and_print(
    runtime: &tokio::runtime::Runtime,
    store: &mut Store,
    text: &str,
    now: &jiff::ZonedDateTime,
    config: &Config,
) -> hadir::Result<ScanAnswer> {
    use hadir::kiosk::{Printing, ScanContext};
    let access = std::sync::Mutex::new(store);
    let ctx = ScanContext {
        store: &access,
        hub: None,
        printing: Printing::Now,
        language: config.kiosk.language,
        now,
        config,
    };
    let (answer, _) = runtime.block_on(hadir::kiosk::scan(text, &ctx))?;
    Ok(answer)
}

/// One runtime for a whole batch, not one per line.
fn async_runtime() -> hadir::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| hadir::Error::io("cannot start the async runtime", e))
}

/// The answer as `hadir checkin` prints it: a check-in's result with the admin's words as its
/// `message`, or the survey's verdict for a ticket's own QR.
fn answer_json(answer: &ScanAnswer, pretty: bool) -> String {
    let value = match answer {
        ScanAnswer::Checkin(result) => {
            let mut value = serde_json::to_value(result).unwrap_or_default();
            if let Some(fields) = value.as_object_mut() {
                let words = serde_json::to_value(staff_words(result)).unwrap_or_default();
                fields.insert("message".into(), words);
            }
            value
        }
        ScanAnswer::Survey(verdict) => serde_json::to_value(verdict).unwrap_or_default(),
    };
    let json = if pretty {
        serde_json::to_string_pretty(&value)
    } else {
        serde_json::to_string(&value)
    };
    json.unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_reads_the_clock_for_each_line() {
        let dir = tempfile::tempdir().expect("dir");
        let mut store = Store::open_in(dir.path()).expect("store");
        let config = Config::default();
        let reads = std::cell::Cell::new(0);
        let start = jiff::civil::date(2026, 11, 29)
            .at(9, 0, 0, 0)
            .to_zoned_datetime(config.time_zone())
            .expect("zoned");
        let clock = || {
            reads.set(reads.get() + 1);
            start
                .checked_add(jiff::SignedDuration::from_mins(reads.get()))
                .expect("in range")
        };
        let input: &[u8] = b"MPZZZZZZZZ\nnot a code\n\xff\n";
        batch(&mut store, input, &clock, &config).expect("batch runs");
        assert_eq!(
            reads.get(),
            3,
            "one reading of the clock per line, not one per batch"
        );
    }

    /// The lines as scans (`None`: not a scan), read whole and through a tiny buffer (a line
    /// split across reads), which must agree.
    fn lines(input: &[u8]) -> Vec<Option<String>> {
        let read = |mut input: Box<dyn BufRead + '_>| {
            let mut out = Vec::new();
            while let Some(line) = next_line(&mut input).expect("reads") {
                out.push(scan_text(&line).map(str::to_owned));
            }
            out
        };
        let whole = read(Box::new(input));
        let pieces = read(Box::new(std::io::BufReader::with_capacity(3, input)));
        assert_eq!(whole, pieces, "the same lines in pieces");
        whole
    }

    #[test]
    fn lines_are_split_on_newline_and_lose_a_carriage_return() {
        assert_eq!(
            lines(b"MPAAAA1111\r\nMPBBBB2222\n\nlast"),
            [
                Some("MPAAAA1111".to_owned()),
                Some("MPBBBB2222".to_owned()),
                Some(String::new()),
                Some("last".to_owned()),
            ]
        );
        assert!(lines(b"").is_empty());
    }

    #[test]
    fn a_line_that_is_not_text_is_not_a_scan_and_the_next_line_still_is() {
        assert_eq!(
            lines(b"MP\xff\xfeAA11\nMPAA\x0011\nMPAAAA1111\n"),
            [None, None, Some("MPAAAA1111".to_owned())]
        );
    }

    #[test]
    fn a_line_longer_than_the_limit_is_not_kept() {
        let mut input = vec![b'A'; MAX_LINE_BYTES + 1];
        input.extend_from_slice(b"\nMPAAAA1111\n");
        assert_eq!(lines(&input), [None, Some("MPAAAA1111".to_owned())]);
        let exactly = vec![b'A'; MAX_LINE_BYTES];
        assert_eq!(lines(&exactly).len(), 1);
        assert!(lines(&exactly)[0].is_some(), "the limit itself is a line");
    }
}
