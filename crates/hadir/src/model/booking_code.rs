//! A booking code's syntax (`docs/booking-qr.md`, `docs/feed-api.md`): what the feed, the signed
//! tokens and the staff screen's search accept as one.

/// How many characters a booking code has (docs/booking-qr.md); the manual-entry screen takes
/// no more than the longest.
pub const BOOKING_CODE_LEN: std::ops::RangeInclusive<usize> = 8..=20;

/// `^[A-Z0-9]{8,20}$`: a booking code as the feed and tokens carry it.
pub fn is_booking_code(text: &str) -> bool {
    BOOKING_CODE_LEN.contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}
