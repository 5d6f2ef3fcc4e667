//! Why a sync request did not go through, with a stable code per kind, and the server's
//! `Retry-After` such a failure may carry. Kept with the other errors (not in `sync`) so that
//! [`super::Error`] holds it without the error module reaching up to the sync client.

use std::fmt;
use std::time::Duration;

use jiff::Timestamp;

use super::ErrorCode;
use crate::texts::BothLanguages;

/// A `Retry-After` longer than this is read as this: a broken header must not stop sync for days.
pub const RETRY_AFTER_CAP: Duration = Duration::from_secs(3600);

/// A server's `Retry-After`: seconds, or an HTTP date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryAfter {
    Seconds(u64),
    At(Timestamp),
}

impl RetryAfter {
    /// Parses the header value (`120` or `Sun, 29 Nov 2026 01:02:03 GMT`).
    pub fn parse(value: &str) -> Option<RetryAfter> {
        let value = value.trim();
        if let Ok(seconds) = value.parse::<u64>() {
            return Some(RetryAfter::Seconds(seconds));
        }
        jiff::fmt::rfc2822::parse(value)
            .ok()
            .map(|zoned| RetryAfter::At(zoned.timestamp()))
    }

    /// How long from `now` the server asked us to wait (zero for a date in the past).
    pub fn wait_from(self, now: Timestamp) -> Duration {
        let wait = match self {
            RetryAfter::Seconds(seconds) => Duration::from_secs(seconds),
            RetryAfter::At(at) => Duration::try_from(at.duration_since(now)).unwrap_or_default(),
        };
        wait.min(RETRY_AFTER_CAP)
    }
}

/// A failed pull or push. The cache and the outbox are untouched by any of these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncFailure {
    /// `[upstream] url` is not set: this kiosk syncs by file import only.
    NotConfigured,
    /// 401 or 403: the token is wrong or withdrawn. Sync stops until staff act.
    Unauthorized { status: u16 },
    /// 404: the gateway does not know this office id (a config error).
    OfficeUnknown,
    /// 429: the gateway asks us to slow down.
    RateLimited { retry_after: Option<RetryAfter> },
    /// 5xx.
    ServerError {
        status: u16,
        retry_after: Option<RetryAfter>,
    },
    /// Any other status.
    UnexpectedStatus { status: u16 },
    /// No connection or no complete answer within the configured time.
    Timeout,
    /// Connection refused or reset, DNS failure, TLS failure.
    Network(String),
    /// The answer is larger than the contract allows (`limit_bytes`, see `sync::MAX_BODY_BYTES`).
    BodyTooLarge { limit_bytes: usize },
    /// The answer is not readable JSON (cut off, garbled), or a push answer that names none of
    /// the events sent.
    BadBody(String),
    /// The answer is not labelled `application/json`.
    WrongContentType(String),
    /// Something answered that is not the gateway's feed: a web page (a proxy's error page, a
    /// Wi-Fi login portal), a body with a byte-order mark, a compressed body the kiosk did not
    /// ask for, or JSON of another shape. The network works; whoever runs the gateway must look.
    NotTheFeed(String),
    /// A well-formed answer for another office or another date than asked for.
    Mismatch(String),
}

impl SyncFailure {
    /// Stable machine-readable code (health, logs, the staff screen).
    pub fn code(&self) -> &'static str {
        self.error_code().as_str()
    }

    pub fn error_code(&self) -> ErrorCode {
        match self {
            SyncFailure::NotConfigured => ErrorCode::SyncNotConfigured,
            SyncFailure::Unauthorized { .. } => ErrorCode::SyncUnauthorized,
            SyncFailure::OfficeUnknown => ErrorCode::SyncOfficeUnknown,
            SyncFailure::RateLimited { .. } => ErrorCode::SyncRateLimited,
            SyncFailure::ServerError { .. } => ErrorCode::SyncServerError,
            SyncFailure::UnexpectedStatus { .. } => ErrorCode::SyncUnexpectedStatus,
            SyncFailure::Timeout => ErrorCode::SyncTimeout,
            SyncFailure::Network(_) => ErrorCode::SyncNetwork,
            SyncFailure::BodyTooLarge { .. } => ErrorCode::SyncBodyTooLarge,
            SyncFailure::BadBody(_) => ErrorCode::SyncBadBody,
            SyncFailure::WrongContentType(_) => ErrorCode::SyncWrongContentType,
            SyncFailure::NotTheFeed(_) => ErrorCode::SyncNotTheFeed,
            SyncFailure::Mismatch(_) => ErrorCode::SyncFeedMismatch,
        }
    }

    /// The server's `Retry-After`, if it sent one.
    pub fn retry_after(&self) -> Option<RetryAfter> {
        match self {
            SyncFailure::RateLimited { retry_after }
            | SyncFailure::ServerError { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// Failures that retrying cannot fix without a person: sync stops until "sync now" or a
    /// restart (with a new token), and staff see an alarm.
    pub fn stops_sync(&self) -> bool {
        matches!(self, SyncFailure::Unauthorized { .. })
    }

    /// What staff should do, Bahasa Indonesia and English (`ui/i18n`, `error.next.*`).
    pub fn next_step(&self) -> BothLanguages {
        self.error_code().next_step()
    }
}

/// The next step for a stored failure code (health keeps codes, not failures): a sync code's
/// own; any other (the store failed during a pull) says that the kiosk retries by itself.
pub fn next_step_for_code(code: &str) -> BothLanguages {
    ErrorCode::parse(code)
        .filter(|code| code.as_str().starts_with("sync_"))
        .unwrap_or(ErrorCode::SyncTimeout)
        .next_step()
}

impl fmt::Display for SyncFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SyncFailure::NotConfigured => write!(f, "upstream.url is not set"),
            SyncFailure::Unauthorized { status } => {
                write!(f, "the gateway refused the token (HTTP {status})")
            }
            SyncFailure::OfficeUnknown => {
                write!(f, "the gateway does not know this office (HTTP 404)")
            }
            SyncFailure::RateLimited { .. } => {
                write!(f, "the gateway asked to slow down (HTTP 429)")
            }
            SyncFailure::ServerError { status, .. } => {
                write!(f, "the gateway failed (HTTP {status})")
            }
            SyncFailure::UnexpectedStatus { status } => {
                write!(f, "unexpected answer HTTP {status}")
            }
            SyncFailure::Timeout => write!(f, "no complete answer in time"),
            SyncFailure::Network(detail) => write!(f, "network failure: {detail}"),
            SyncFailure::BodyTooLarge { limit_bytes } => write!(
                f,
                "the answer is larger than {} MB",
                limit_bytes / 1_000_000
            ),
            SyncFailure::BadBody(detail) => write!(f, "the answer is not a valid body: {detail}"),
            SyncFailure::WrongContentType(kind) => {
                write!(f, "the answer is {kind:?}, not application/json")
            }
            SyncFailure::NotTheFeed(what) => {
                write!(
                    f,
                    "something other than the gateway's JSON answered: {what}"
                )
            }
            SyncFailure::Mismatch(detail) => write!(f, "{detail}"),
        }
    }
}

impl std::error::Error for SyncFailure {}
