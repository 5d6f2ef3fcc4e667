//! Log files an operator can read later, for the kiosk and the CLI alike.
//!
//! Each program writes `<data_dir>/logs/<program>_rCURRENT.log` (`hadir-kiosk`, `hadir-cli`: two
//! processes never share a file). A file is closed when a new day starts or when it passes
//! `[logs] max_file_mb`; it is then renamed with the time stamp of its start (e.g.
//! `hadir-kiosk_r2026-11-30_07-58-02.log`) and only the newest `[logs] keep_files` closed files
//! stay. Every line also goes to standard error, for development and for a supervisor that
//! captures it. `RUST_LOG` sets what is logged, in both places.
//!
//! The file holds the same lines as standard error, so the same rule holds: no names, birth
//! dates, NIK digits or whole booking codes (`booking::log_safe`), no tokens or passwords.
//!
//! One logger for the whole process: [`start`] installs it first thing (standard error only),
//! [`open`] adds the file once the configuration has named the data folder; lines logged before
//! that reach standard error only. A folder that cannot be written (read-only disk) leaves the
//! program running, logging to standard error, which says once why.
//!
//! Time stamps in the file are the computer's clock and time zone, never the `--at` clock.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use flexi_logger::writers::{FileLogWriter, LogWriter};
use flexi_logger::{Age, Cleanup, Criterion, DeferredNow, FileSpec, Naming};
use log::{Level, LevelFilter, Log, Metadata, Record};

use crate::config::Config;
use crate::error::{Error, Result};

/// File name stem of the kiosk's log files.
pub const KIOSK: &str = "hadir-kiosk";
/// File name stem of the `hadir` command's log files.
pub const CLI: &str = "hadir-cli";

/// Infix of the file being written (flexi_logger's `Naming::Timestamps`).
const CURRENT_INFIX: &str = "rCURRENT";
const SUFFIX: &str = "log";

/// One program's rotating log file in one folder.
#[derive(Debug)]
pub struct LogFile {
    writer: FileLogWriter,
    folder: PathBuf,
}

impl LogFile {
    /// Opens (appending) `<folder>/<program>_rCURRENT.log`, creating the folder. A file left by an
    /// earlier day is closed first. Fails when the folder or the file cannot be written.
    pub fn open(
        folder: &Path,
        program: &str,
        max_file_bytes: u64,
        keep_files: usize,
    ) -> Result<LogFile> {
        std::fs::create_dir_all(folder).map_err(|e| {
            Error::io(
                format!("cannot create the log folder {}", folder.display()),
                e,
            )
        })?;
        let current = current_file(folder, program);
        close_if_from_an_earlier_day(&current).map_err(|e| {
            Error::io(
                format!("cannot close yesterday's log file {}", current.display()),
                e,
            )
        })?;
        // flexi_logger opens the file at the first line and only complains on standard error
        // then: try it now, so a read-only folder turns the file off with a reason.
        OpenOptions::new()
            .create(true)
            .append(true)
            .open(&current)
            .map_err(|e| Error::io(format!("cannot write {}", current.display()), e))?;
        let spec = FileSpec::default()
            .directory(folder)
            .basename(program)
            .suppress_timestamp()
            .suffix(SUFFIX);
        let mut builder = FileLogWriter::builder(spec)
            .format(line)
            .append()
            .rotate(
                Criterion::AgeOrSize(Age::Day, max_file_bytes),
                Naming::Timestamps,
                Cleanup::KeepLogFiles(keep_files),
            )
            // Old files are deleted at the rotation itself: no thread, nothing left half done.
            .cleanup_in_background_thread(false);
        if cfg!(windows) {
            // For Notepad on older Windows.
            builder = builder.use_windows_line_ending();
        }
        let writer = builder.try_build().map_err(|e| {
            Error::io(
                format!("cannot start the log file in {}", folder.display()),
                std::io::Error::other(e),
            )
        })?;
        Ok(LogFile {
            writer,
            folder: folder.to_owned(),
        })
    }

    /// Writes one line (rotating first when the day or the size says so). A failure is reported
    /// on standard error by flexi_logger and never reaches the caller: logging must not stop
    /// a check-in.
    pub fn write(&self, record: &Record<'_>) {
        // flexi_logger unwraps a few file system calls while rotating (a log folder deleted
        // under a running kiosk): a panic there must not take the kiosk down with it.
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _ = self.writer.write(&mut DeferredNow::new(), record);
        }));
    }

    /// The folder the files are in.
    pub fn folder(&self) -> &Path {
        &self.folder
    }
}

/// The file a program is writing now.
pub fn current_file(folder: &Path, program: &str) -> PathBuf {
    folder.join(format!("{program}_{CURRENT_INFIX}.{SUFFIX}"))
}

/// `2026-11-30 09:41:07.215 +08:00 INFO  hadir::checkin: scan MP7K… -> ok`
fn line(out: &mut dyn Write, now: &mut DeferredNow, record: &Record<'_>) -> std::io::Result<()> {
    write!(
        out,
        "{} {:<5} {}: {}",
        now.format("%Y-%m-%d %H:%M:%S%.3f %:z"),
        record.level(),
        record.target(),
        record.args()
    )
}

/// flexi_logger closes a file at the day's end while its program runs, and at a start only
/// where the file system records when a file was created (not on Windows): a kiosk switched
/// off at night would write on into yesterday's file. So a current file last written on an
/// earlier day is closed here, under the name flexi_logger would give it (its last write's
/// time: every line in it is from that day).
fn close_if_from_an_earlier_day(current: &Path) -> std::io::Result<()> {
    let modified = match std::fs::metadata(current) {
        Ok(metadata) => metadata.modified()?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    let Ok(modified) = jiff::Timestamp::try_from(modified) else {
        return Ok(()); // a time jiff cannot hold: leave the file to the size cap
    };
    let zone = jiff::tz::TimeZone::system();
    let last_write = modified.to_zoned_datetime(zone.clone());
    if last_write.date() >= jiff::Timestamp::now().to_zoned_datetime(zone).date() {
        return Ok(());
    }
    let stamp = last_write.strftime("%Y-%m-%d_%H-%M-%S").to_string();
    let stem = current
        .file_stem()
        .and_then(|s| s.to_str())
        .and_then(|s| s.strip_suffix(CURRENT_INFIX))
        .unwrap_or_default();
    let closed = (0..10_000)
        .map(|n| match n {
            0 => format!("{stem}r{stamp}.{SUFFIX}"),
            n => format!("{stem}r{stamp}.restart-{:04}.{SUFFIX}", n - 1),
        })
        .map(|name| current.with_file_name(name))
        .find(|path| !path.exists());
    match closed {
        Some(path) => std::fs::rename(current, path),
        None => Ok(()),
    }
}

/// The process's logger: standard error as env_logger writes it, plus the file once opened.
struct TwoPlaces {
    stderr: env_logger::Logger,
    /// Decides what reaches the file (the same `RUST_LOG`, another default); never writes.
    file_filter: env_logger::Logger,
    file: OnceLock<LogFile>,
}

impl Log for TwoPlaces {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        self.stderr.enabled(metadata) || self.file_filter.enabled(metadata)
    }

    fn log(&self, record: &Record<'_>) {
        self.stderr.log(record);
        if self.file_filter.matches(record) {
            if let Some(file) = self.file.get() {
                file.write(record);
            }
        }
    }

    fn flush(&self) {
        self.stderr.flush();
        if let Some(file) = self.file.get() {
            let _ = file.writer.flush();
        }
    }
}

static LOGGER: OnceLock<TwoPlaces> = OnceLock::new();

/// Installs the process's logger, first thing in `main`: standard error at once, filtered by
/// `RUST_LOG` (else `stderr_default`); the file, once [`open`]ed, filtered by `RUST_LOG` (else
/// `file_default`). A second call changes nothing.
pub fn start(stderr_default: &str, file_default: &str) {
    let filter = |default: &str| {
        env_logger::Builder::from_env(env_logger::Env::default().default_filter_or(default)).build()
    };
    let logger = LOGGER.get_or_init(|| TwoPlaces {
        stderr: filter(stderr_default),
        file_filter: filter(file_default),
        file: OnceLock::new(),
    });
    if log::set_logger(logger).is_ok() {
        log::set_max_level(logger.stderr.filter().max(logger.file_filter.filter()));
    }
}

/// Adds the log file in `config.log_dir()` to the logger [`start`]ed, rotated as `[logs]` says.
/// Returns the folder, or `None` when there is no file: not started, `RUST_LOG=off`, or the
/// folder cannot be written (then said once on standard error). Only the first call opens.
pub fn open(config: &Config, program: &str) -> Option<PathBuf> {
    let logger = LOGGER.get()?;
    if let Some(file) = logger.file.get() {
        return Some(file.folder.clone());
    }
    if logger.file_filter.filter() == LevelFilter::Off {
        return None;
    }
    let folder = config.log_dir();
    let keep = usize::try_from(config.logs.keep_files).unwrap_or(usize::MAX);
    match LogFile::open(&folder, program, config.logs.max_file_bytes(), keep) {
        Ok(file) => {
            let _ = logger.file.set(file);
            log::info!(
                "{program} {} started (process {}), log files in {}",
                env!("CARGO_PKG_VERSION"),
                std::process::id(),
                folder.display()
            );
            Some(folder)
        }
        Err(error) => {
            log::warn!("no log file, logging to standard error only: {error}");
            None
        }
    }
}

/// [`open`], but only when the data folder already exists: for the `hadir` command, which must
/// never create the data folder just to log in it. Run by root before the kiosk's first start,
/// that would leave a root-owned folder the kiosk account cannot write, and the kiosk would then
/// fail at start. Commands that open the store create the folder (as the kiosk does) and call
/// this again afterwards; only the first successful call opens.
pub fn open_in_existing_data_dir(config: &Config, program: &str) -> Option<PathBuf> {
    if !config.data_dir().exists() {
        return None;
    }
    open(config, program)
}

/// The folder the log file is in, `None` while there is none.
pub fn folder() -> Option<PathBuf> {
    Some(LOGGER.get()?.file.get()?.folder.clone())
}

/// Writes a line to the log file only: for what the program already told standard error in
/// its own words (a failed command, a start that failed), so the file has it too.
pub fn file_only(level: Level, target: &str, message: &str) {
    let Some(logger) = LOGGER.get() else {
        return;
    };
    let Some(file) = logger.file.get() else {
        return;
    };
    if logger
        .file_filter
        .matches(&Record::builder().level(level).target(target).build())
    {
        file.write(
            &Record::builder()
                .args(format_args!("{message}"))
                .level(level)
                .target(target)
                .build(),
        );
    }
}

#[cfg(test)]
mod tests;
