//! What a scanner hands the kiosk: one line of text, classified by the rules of
//! `docs/booking-qr.md`: limits for both forms, then form 1 (a signed `MPQ1` token,
//! see [`token`]), then form 2 (a plain booking code).

pub mod token;

use crate::model::BOOKING_CODE_LEN;

pub use token::{SignedToken, TokenClaims, TokenRefusal, VerificationKeys};

/// Longest input the kiosk looks at, in bytes.
pub const MAX_SCAN_BYTES: usize = 1024;

/// A scanned line after the limits were applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scanned {
    /// Form 1: a well-formed signed token (its signature is checked by the decision).
    Token(Box<SignedToken>),
    /// Form 2: a plain booking code, upper-cased.
    BookingCode(String),
    /// Anything that is neither form, or breaks the limits.
    Malformed,
}

/// Classifies scanner text. Never panics, whatever the bytes.
pub fn classify(raw: &str) -> Scanned {
    if raw.len() > MAX_SCAN_BYTES {
        return Scanned::Malformed;
    }
    // Scanners append CR, LF or Tab; only trailing ones are forgiven.
    let text = raw.trim_end_matches(['\r', '\n', '\t']);
    if !text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Scanned::Malformed;
    }
    let text = text.trim_matches(' ');
    if text.starts_with("MPQ1.") {
        return token::parse(text).map_or(Scanned::Malformed, |t| Scanned::Token(Box::new(t)));
    }
    let is_plain =
        BOOKING_CODE_LEN.contains(&text.len()) && text.bytes().all(|b| b.is_ascii_alphanumeric());
    if is_plain {
        Scanned::BookingCode(text.to_ascii_uppercase())
    } else {
        Scanned::Malformed
    }
}

impl Scanned {
    /// The booking code the scan names, whichever form it came in.
    pub fn booking_code(&self) -> Option<&str> {
        match self {
            Scanned::Token(token) => Some(&token.claims.booking_code),
            Scanned::BookingCode(code) => Some(code),
            Scanned::Malformed => None,
        }
    }
}

/// What may be logged of scanned text: its first 4 characters (the contract allows at most 8;
/// a booking code can be as short as 8, so 8 could log a whole code) and its length.
pub fn log_safe(raw: &str) -> String {
    let prefix: String = raw.chars().take(4).filter(|c| !c.is_control()).collect();
    format!("{prefix}… ({} bytes)", raw.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_code_is_upper_cased_and_trimmed() {
        assert_eq!(
            classify("mp7k2q9xa4\r\n"),
            Scanned::BookingCode("MP7K2Q9XA4".into())
        );
        assert_eq!(
            classify("  MP7K2Q9XA4\t"),
            Scanned::BookingCode("MP7K2Q9XA4".into())
        );
    }

    #[test]
    fn length_limits_of_plain_codes() {
        assert_eq!(classify("ABCDEFG"), Scanned::Malformed, "7 chars");
        assert!(
            matches!(classify("ABCDEFGH"), Scanned::BookingCode(_)),
            "8 chars"
        );
        assert!(
            matches!(classify(&"A".repeat(20)), Scanned::BookingCode(_)),
            "20 chars"
        );
        assert_eq!(classify(&"A".repeat(21)), Scanned::Malformed, "21 chars");
        assert_eq!(
            classify(&"A".repeat(2000)),
            Scanned::Malformed,
            "over 1024 bytes"
        );
    }

    #[test]
    fn control_and_non_ascii_bytes_are_malformed() {
        assert_eq!(classify("MP7K2\u{0}Q9XA4"), Scanned::Malformed);
        assert_eq!(
            classify("MP7K2Q9XA4\nX"),
            Scanned::Malformed,
            "LF only forgiven at the end"
        );
        assert_eq!(classify("MP7K2Q9XÄ4"), Scanned::Malformed);
        assert_eq!(classify("MP7K-2Q9XA4"), Scanned::Malformed);
        assert_eq!(classify(""), Scanned::Malformed);
    }

    #[test]
    fn log_safe_keeps_four_characters_even_of_the_shortest_code() {
        let logged = log_safe("MP7K2Q9X");
        assert!(logged.starts_with("MP7K…"), "{logged}");
        assert!(!logged.contains("MP7K2"));
        assert!(logged.contains("(8 bytes)"));
    }
}
