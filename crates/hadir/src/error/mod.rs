//! One error type for the core, with stable codes.
//!
//! The shell and the UI switch on [`Error::code`], never on the message text: messages may be
//! reworded, codes may not.

use serde::Serialize;

mod rating;
mod staff;
mod sync;

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
    /// The SQLite store failed. The message is for logs; the applicant sees the code only.
    #[error("store error: {0}")]
    Store(#[from] rusqlite::Error),
    /// A file or directory operation failed (data directory, ticket files).
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
        match self {
            Error::ConfigInvalid { .. } => "config_invalid",
            Error::ConfigUnreadable { .. } => "config_unreadable",
            Error::Store(_) => "store_failed",
            Error::Io { .. } => "io_failed",
            Error::StoreTooNew { .. } => "store_too_new",
            Error::StoreMissing { .. } => "store_missing",
            Error::FeedInvalid(_) => "feed_invalid",
            Error::TicketRender(_) => "ticket_render_failed",
            Error::Sync(failure) => failure.code(),
            Error::InvalidInput(_) => "invalid_input",
            Error::Rating(error) => error.code(),
            Error::Staff(refusal) => refusal.code(),
            Error::OfflineBlockExhausted { .. } => "offline_block_exhausted",
            Error::Hub(_) => "hub_unreachable",
            Error::KioskAlreadyRunning { .. } => "kiosk_already_running",
        }
    }

    /// What the person in front of the kiosk (or the operator) should do next, Bahasa Indonesia first.
    pub fn next_step(&self) -> ErrorText {
        match self {
            Error::ConfigInvalid { .. } | Error::ConfigUnreadable { .. } => ErrorText {
                id: "Perbaiki berkas konfigurasi sesuai pesan ini, lalu jalankan ulang Hadir.",
                en: "Fix the configuration file as this message says, then restart Hadir.",
            },
            Error::StoreTooNew { .. } => ErrorText {
                id: "Data tidak diubah. Pasang Hadir versi yang terakhir memakai folder data ini (atau yang lebih baru), lalu jalankan lagi; jangan pakai versi lama.",
                en: "Nothing was changed. Install the Hadir version that last used this data folder (or a newer one), then start again; do not use an older version.",
            },
            Error::StoreMissing { .. } => ErrorText {
                id: "Periksa folder data mana yang dimaksud: `hadir config` menunjukkannya. Jalankan sebagai akun kios (sudo -H -u kiosk hadir ...) atau beri --config; data demo: `hadir --demo ...`. Basis data dibuat oleh kios saat mulai, oleh `hadir import` atau `hadir demo`.",
                en: "Check which data folder is meant: `hadir config` shows it. Run as the kiosk account (sudo -H -u kiosk hadir ...) or pass --config; the demo's data: `hadir --demo ...`. The database is made by the kiosk at start, by `hadir import` or `hadir demo`.",
            },
            Error::FeedInvalid(_) => ErrorText {
                id: "Data janji temu tidak dipakai; data lama tetap berlaku. Periksa berkas atau coba lagi nanti.",
                en: "The appointment data was not used; the previous data still applies. Check the file or try later.",
            },
            Error::Sync(failure) => failure.next_step(),
            Error::InvalidInput(_) => ErrorText {
                id: "Perbaiki masukan sesuai pesan ini, lalu coba lagi. Tidak ada yang diubah.",
                en: "Correct the input as this message says, then try again. Nothing was changed.",
            },
            Error::Rating(_) => ErrorText {
                id: "Jawab setiap pertanyaan dengan memilih salah satu wajah, lalu kirim lagi.",
                en: "Answer every question by choosing one of the faces, then send again.",
            },
            Error::Staff(refusal) => refusal.next_step(),
            Error::OfflineBlockExhausted { .. } => ErrorText {
                id: "Mohon ke meja layanan. Petugas: pulihkan sambungan ke server kantor (hub).",
                en: "Please go to the front desk. Staff: restore the connection to the office hub.",
            },
            Error::Hub(_) => ErrorText {
                id: "Kios tetap melayani dengan nomor cadangannya. Petugas: periksa jaringan dan server kantor (hub).",
                en: "The kiosk keeps serving with its reserve numbers. Staff: check the network and the office hub.",
            },
            Error::KioskAlreadyRunning { .. } => ErrorText {
                id: "Hadir sudah berjalan untuk folder data ini (lihat nomor proses di pesan ini). Tutup yang lama dulu, atau pakai folder data lain.",
                en: "Hadir is already running for this data folder (see the process number in this message). Close the running one first, or use another data folder.",
            },
            Error::Store(_) | Error::Io { .. } | Error::TicketRender(_) => ErrorText {
                id: "Mohon ke meja layanan dan tunjukkan kode pemesanan Anda.",
                en: "Please go to the front desk and show your booking code.",
            },
        }
    }

    pub fn io(what: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            what: what.into(),
            source,
        }
    }
}

/// A short text in both kiosk languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ErrorText {
    pub id: &'static str,
    pub en: &'static str,
}

/// The one shape in which errors leave the core towards the UI or a JSON-speaking CLI.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorPayload {
    pub code: &'static str,
    pub message: String,
    pub next_step: ErrorText,
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
