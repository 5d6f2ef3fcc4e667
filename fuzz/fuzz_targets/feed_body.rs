//! A feed body (network pull or imported file) through `FeedBody::parse`: a refused body has the
//! stable code `feed_invalid`; every kept item obeys the contract; what was kept round-trips
//! through `FeedBody::to_json`.

#![no_main]

use hadir::feed::{FeedBody, MAX_APPLICANT_NAME_CHARS};
use hadir::model::is_booking_code;
use hadir::model::MAX_APPLICANTS;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let body = match FeedBody::parse(data) {
        Ok(body) => body,
        Err(error) => {
            assert_eq!(error.code(), "feed_invalid", "{error}");
            return;
        }
    };
    let mut codes = std::collections::HashSet::new();
    for appointment in &body.appointments {
        assert!(is_booking_code(&appointment.booking_code));
        assert!(codes.insert(&appointment.booking_code), "each code once");
        assert_eq!(appointment.date, body.date, "dated the list's day");
        assert!((1..=MAX_APPLICANTS).contains(&appointment.applicants.len()));
        assert!(appointment.slot_start < appointment.slot_end);
        for applicant in &appointment.applicants {
            assert_eq!(applicant.nik_last4.len(), 4);
            assert!(applicant.nik_last4.bytes().all(|b| b.is_ascii_digit()));
            assert!(!applicant.name.trim().is_empty());
            assert!(applicant.name.chars().count() <= MAX_APPLICANT_NAME_CHARS);
            assert!(!applicant.name.chars().any(char::is_control));
        }
    }
    for skipped in &body.skipped {
        assert!(skipped.position >= 1);
        assert!(skipped
            .booking_code
            .iter()
            .all(|code| is_booking_code(code)));
    }
    assert!(body.revoked.iter().all(|code| is_booking_code(code)));

    let again = FeedBody::parse(body.to_json().as_bytes()).expect("own output is a feed body");
    assert!(
        again.skipped.is_empty(),
        "own output skips nothing: {:?}",
        again.skipped
    );
    assert_eq!(
        FeedBody {
            skipped: body.skipped.clone(),
            ..again
        },
        body,
        "round trip"
    );
});
