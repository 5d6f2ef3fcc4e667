//! One error type for the core, with stable codes.
//!
//! The shell and the UI switch on [`Error::code`], never on the message text: messages may be
//! reworded, codes may not. Every code is listed once, in [`ErrorCode`]; the words a person reads
//! (what happened, what to do next) are in `ui/i18n/*.json` under `error.*`, read through
//! [`crate::texts`]. The `Display` texts here are for logs and IT and stay English.

use serde::Serialize;

use crate::texts::BothLanguages;

mod codes;
mod counter;
mod disk_full;
mod rating;
mod staff;
mod sync;

pub use codes::ErrorCode;
pub use counter::CounterRefusal;
pub use disk_full::{is_storage_full, is_store_full};
pub use rating::RatingError;
pub use staff::StaffRefusal;
pub use sync::{next_step_for_code, RetryAfter, SyncFailure, RETRY_AFTER_CAP};

/// Result with the core's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything the core can fail with, apart from check-in refusals (those are verdicts, not errors).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The configuration file exists but cannot be used; `fault` says where (line, key) and why.
    #[error("config file {path} is invalid: {fault}")]
    ConfigInvalid { path: String, fault: ConfigFault },
    /// The configuration file could not be read at all (permissions, not UTF-8, ...).
    #[error("config file {path} cannot be read: {source}")]
    ConfigUnreadable {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// The SQLite store failed. The message is for logs; the applicant sees the code only
    /// (`disk_full` when SQLite found no room: [`is_store_full`]).
    #[error("store error: {0}")]
    Store(#[from] rusqlite::Error),
    /// A file or directory operation failed (data directory, ticket files); `disk_full` when
    /// the OS said there is no room ([`is_storage_full`]).
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
    /// The database was written by a newer Hadir: refuse rather than guess at its schema. The
    /// file is left exactly as it was (`Store::open` reads the version before writing anything).
    #[error("database {path} has schema version {found}, newer than this Hadir knows ({known}); it was not changed")]
    StoreTooNew {
        path: String,
        found: i64,
        known: i64,
    },
    /// A command that reads a kiosk's store found none where the configuration points: nothing
    /// was created (an empty store there would hide that it looked in the wrong place).
    #[error("no store at {path}: nothing was created")]
    StoreMissing { path: String },
    /// A feed body (network or file) is not usable as a whole.
    #[error("feed body rejected: {0}")]
    FeedInvalid(String),
    /// An export's files did not fit where they were going (a full USB stick). No file was left
    /// under an export's name and no temporary file stayed behind (`report::write`).
    #[error("export to {folder} failed, no room left there: {source}")]
    ExportPlaceFull {
        folder: String,
        #[source]
        source: std::io::Error,
    },
    /// The ticket PDF could not be produced.
    #[error("ticket rendering failed: {0}")]
    TicketRender(String),
    /// An operator's input (a CLI argument, a PIN) is not usable; nothing was changed.
    #[error("{0}")]
    InvalidInput(String),
    /// A pull or push with the office gateway failed; nothing local changed.
    #[error("sync failed: {0}")]
    Sync(#[from] SyncFailure),
    /// Survey answers that do not fit the question set; nothing was recorded.
    #[error("rating not recorded: {0}")]
    Rating(RatingError),
    /// A staff-mode action refused (not signed in, wrong role, no reason, ...); nothing changed.
    #[error("{0}")]
    Staff(#[from] StaffRefusal),
    /// A counter's action refused (nobody waiting, a ticket in hand, ...) or the hub not
    /// reached from a counter; nothing changed.
    #[error("{0}")]
    Counter(#[from] CounterRefusal),
    /// Hub mode, hub unreachable, and this kiosk's own block of numbers for the queue is used up.
    #[error("the offline block of numbers for queue {queue} is used up")]
    OfflineBlockExhausted { queue: String },
    /// The office hub could not be reached or answered with an error; nothing there changed.
    #[error("office hub: {0}")]
    Hub(String),
    /// Another kiosk process holds this data folder (`kiosk_lock`): this one must not start.
    /// `pid` is the holder's, when its lock file could be read.
    #[error("a Hadir kiosk is already running for the data folder {data_dir} ({})", holder(.pid))]
    KioskAlreadyRunning { data_dir: String, pid: Option<u32> },
    /// A backup of the store could not be written or did not pass its check; no generation
    /// was added (`crate::backup`).
    #[error("backup not made: {0}")]
    BackupFailed(String),
    /// The backup chosen for a restore did not pass its check when copied in; the store was
    /// not touched.
    #[error("backup not usable: {0}")]
    BackupUnusable(String),
    /// No verified backup to restore from in the folders looked in.
    #[error("no verified backup in {looked_in}")]
    BackupNotFound { looked_in: String },
    /// The store is damaged and there is no verified backup to restore: the kiosk does not
    /// start (an empty store would hide the loss). The file is left where it is.
    #[error("database {path} is damaged ({problem}) and there is no verified backup in {looked_in}; nothing was changed")]
    StoreDamagedNoBackup {
        path: String,
        problem: String,
        looked_in: String,
    },
    /// `hadir restore` while a kiosk holds the data folder: a store must not be replaced under
    /// a running kiosk.
    #[error("a Hadir kiosk is running for the data folder {data_dir}: stop it before restoring")]
    RestoreKioskRunning { data_dir: String },
}

/// What kind of mistake a configuration file holds: each gets its own sentence for IT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConfigFaultKind {
    /// Not TOML at all (a missing quote, `=` or `]`).
    Syntax,
    /// A key the configuration does not have (usually a typo).
    UnknownKey,
    /// A value of the wrong type (text where a number belongs, ...).
    WrongType,
    /// A value of the right type that is not allowed (out of range, unknown name, missing partner).
    BadValue,
}

/// Where a configuration file is wrong and why: the line (when the file has one for it), the
/// dotted key (or `[section]`), and the parser's or validator's own words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConfigFault {
    pub kind: ConfigFaultKind,
    /// 1-based line in the file; `None` when the file does not set the key (a default is wrong).
    pub line: Option<usize>,
    /// `checkin.early_minutes`, or `[keys]` for a whole section; `None` when no key is involved.
    pub key: Option<String>,
    /// What is wrong, as the parser or the validator says it (English, for logs and IT).
    pub problem: String,
}

/// "line 4, key `checkin.early_minutes`: problem", the form logs and tests have always read.
impl std::fmt::Display for ConfigFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.key.as_deref()) {
            (Some(line), Some(section)) if section.starts_with('[') => {
                write!(f, "line {line}, section `{section}`: ")?;
            }
            (Some(line), Some(key)) => write!(f, "line {line}, key `{key}`: ")?,
            (Some(line), None) => write!(f, "line {line}: ")?,
            (None, Some(key)) => write!(f, "key `{key}` (default value): ")?,
            (None, None) => {}
        }
        f.write_str(&self.problem)
    }
}

/// "process 1234", or a plain phrase when the holder's pid could not be read.
fn holder(pid: &Option<u32>) -> String {
    match pid {
        Some(pid) => format!("process {pid}"),
        None => "process id unknown".to_owned(),
    }
}

impl Error {
    /// Stable machine-readable code; part of the UI and CLI contract.
    pub fn code(&self) -> &'static str {
        self.error_code().as_str()
    }

    /// The code as one of the listed [`ErrorCode`]s.
    pub fn error_code(&self) -> ErrorCode {
        match self {
            Error::ConfigInvalid { .. } => ErrorCode::ConfigInvalid,
            Error::ConfigUnreadable { .. } => ErrorCode::ConfigUnreadable,
            Error::Store(error) if is_store_full(error) => ErrorCode::DiskFull,
            Error::Store(_) => ErrorCode::StoreFailed,
            Error::Io { source, .. } if is_storage_full(source) => ErrorCode::DiskFull,
            Error::Io { .. } => ErrorCode::IoFailed,
            Error::ExportPlaceFull { .. } => ErrorCode::ExportPlaceFull,
            Error::StoreTooNew { .. } => ErrorCode::StoreTooNew,
            Error::StoreMissing { .. } => ErrorCode::StoreMissing,
            Error::FeedInvalid(_) => ErrorCode::FeedInvalid,
            Error::TicketRender(_) => ErrorCode::TicketRenderFailed,
            Error::Sync(failure) => failure.error_code(),
            Error::InvalidInput(_) => ErrorCode::InvalidInput,
            Error::Rating(error) => error.error_code(),
            Error::Staff(refusal) => refusal.error_code(),
            Error::Counter(refusal) => refusal.error_code(),
            Error::OfflineBlockExhausted { .. } => ErrorCode::OfflineBlockExhausted,
            Error::Hub(_) => ErrorCode::HubUnreachable,
            Error::KioskAlreadyRunning { .. } => ErrorCode::KioskAlreadyRunning,
            Error::BackupFailed(_) => ErrorCode::BackupFailed,
            Error::BackupNotFound { .. } => ErrorCode::BackupNotFound,
            Error::BackupUnusable(_) => ErrorCode::BackupUnusable,
            Error::StoreDamagedNoBackup { .. } => ErrorCode::StoreDamagedNoBackup,
            Error::RestoreKioskRunning { .. } => ErrorCode::RestoreKioskRunning,
        }
    }

    /// What happened, in words for the person in front of the kiosk (or the operator).
    pub fn title(&self) -> BothLanguages {
        self.error_code().title()
    }

    /// What the person in front of the kiosk (or the operator) should do next, Bahasa Indonesia first.
    pub fn next_step(&self) -> BothLanguages {
        self.error_code().next_step()
    }

    pub fn io(what: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            what: what.into(),
            source,
        }
    }
}

/// The one shape in which errors leave the core towards the UI or a JSON-speaking CLI.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorPayload {
    pub code: &'static str,
    /// The error as logs and IT read it (English, with the details: path, line, status).
    pub message: String,
    pub next_step: BothLanguages,
}

impl From<&Error> for ErrorPayload {
    fn from(error: &Error) -> Self {
        ErrorPayload {
            code: error.code(),
            message: error.to_string(),
            next_step: error.next_step(),
        }
    }
}
