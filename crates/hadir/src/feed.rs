//! The upstream appointment feed's body (`docs/feed-api.md`), parsed and
//! validated item by item: a bad item is skipped and named, the rest is used.

use jiff::civil::{Date, Time};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::{hh_mm, is_booking_code, BookingStatus, Priority, Service, MAX_APPLICANTS};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Applicant {
    pub name: String,
    pub birth_date: Date,
    pub nik_last4: String,
    pub priority: Option<Priority>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Appointment {
    pub booking_code: String,
    pub date: Date,
    #[serde(with = "hh_mm")]
    pub slot_start: Time,
    #[serde(with = "hh_mm")]
    pub slot_end: Time,
    pub service: Service,
    pub express: bool,
    pub status: BookingStatus,
    pub applicants: Vec<Applicant>,
    pub updated_at: jiff::Timestamp,
}

impl Appointment {
    /// Rules serde cannot express; `Err` says why the item is unusable.
    fn check(&self) -> std::result::Result<(), String> {
        if !is_booking_code(&self.booking_code) {
            return Err("booking_code is not 8-20 upper-case letters and digits".into());
        }
        if self.applicants.is_empty() || self.applicants.len() > MAX_APPLICANTS {
            return Err(format!(
                "{} applicants; a booking has 1 to {MAX_APPLICANTS}",
                self.applicants.len()
            ));
        }
        if self.slot_end <= self.slot_start {
            return Err("slot_end is not after slot_start".into());
        }
        for applicant in &self.applicants {
            let nik_ok = applicant.nik_last4.len() == 4
                && applicant.nik_last4.bytes().all(|b| b.is_ascii_digit());
            if !nik_ok {
                return Err("nik_last4 is not four digits".into());
            }
            if applicant.name.trim().is_empty() {
                return Err("an applicant has no name".into());
            }
        }
        Ok(())
    }
}

/// A feed item that was not used, named by its booking code (if it had a readable one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkippedItem {
    pub booking_code: Option<String>,
    pub reason: String,
}

/// A pull response (or an imported file), after validation.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedBody {
    pub office: String,
    pub date: Date,
    pub full: bool,
    pub cursor: Option<String>,
    pub appointments: Vec<Appointment>,
    pub revoked: Vec<String>,
    pub skipped: Vec<SkippedItem>,
}

#[derive(Deserialize)]
struct RawFeedBody<'a> {
    office: String,
    date: Date,
    full: bool,
    #[serde(default)]
    cursor: Option<String>,
    /// Kept as raw text: each item is parsed once, straight into [`Appointment`], and only a
    /// bad one is parsed again (loosely) to name its booking code.
    #[serde(borrow)]
    appointments: Vec<&'a serde_json::value::RawValue>,
    #[serde(default)]
    revoked: Vec<String>,
}

#[derive(Serialize)]
struct RawFeedBodyOut<'a> {
    office: &'a str,
    date: Date,
    full: bool,
    cursor: &'a Option<String>,
    appointments: &'a [Appointment],
    revoked: &'a [String],
}

impl FeedBody {
    /// Parses a body. The envelope must be well formed (else the whole body is refused); items
    /// that are not are skipped and listed in `skipped`.
    pub fn parse(bytes: &[u8]) -> Result<FeedBody> {
        let raw: RawFeedBody = serde_json::from_slice(bytes)
            .map_err(|e| Error::FeedInvalid(format!("not a feed body: {e}")))?;
        let mut appointments = Vec::with_capacity(raw.appointments.len());
        let mut skipped = Vec::new();
        for item in raw.appointments {
            let parsed = serde_json::from_str::<Appointment>(item.get())
                .map_err(|e| e.to_string())
                .and_then(|appointment| appointment.check().map(|()| appointment));
            match parsed {
                Ok(appointment) => appointments.push(appointment),
                Err(reason) => skipped.push(SkippedItem {
                    booking_code: serde_json::from_str::<serde_json::Value>(item.get())
                        .ok()
                        .and_then(|v| v.get("booking_code")?.as_str().map(str::to_owned)),
                    reason,
                }),
            }
        }
        let revoked = raw
            .revoked
            .into_iter()
            .filter(|code| is_booking_code(code))
            .collect();
        Ok(FeedBody {
            office: raw.office,
            date: raw.date,
            full: raw.full,
            cursor: raw.cursor,
            appointments,
            revoked,
            skipped,
        })
    }

    /// The body as the contract's JSON (used by the demo and by tests).
    pub fn to_json(&self) -> String {
        let out = RawFeedBodyOut {
            office: &self.office,
            date: self.date,
            full: self.full,
            cursor: &self.cursor,
            appointments: &self.appointments,
            revoked: &self.revoked,
        };
        serde_json::to_string_pretty(&out).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sample body from the crate's `testdata/` (see its README.md).
    fn sample(name: &str) -> Vec<u8> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata")
            .join(name);
        std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    #[test]
    fn full_sample_parses_without_skips() {
        let body = FeedBody::parse(&sample("feed-full.json")).expect("sample is valid");
        assert!(body.full);
        assert_eq!(body.office, "KANIM-KUPANG");
        assert!(
            body.skipped.is_empty(),
            "nothing skipped: {:?}",
            body.skipped
        );
        assert!(body.appointments.len() > 5);
    }

    #[test]
    fn bad_items_are_skipped_and_the_valid_one_kept() {
        let body = FeedBody::parse(&sample("feed-bad-items.json")).expect("envelope is valid");
        assert_eq!(
            body.skipped.len(),
            3,
            "first three invalid: {:?}",
            body.skipped
        );
        let kept: Vec<_> = body
            .appointments
            .iter()
            .map(|a| a.booking_code.as_str())
            .collect();
        assert_eq!(kept, ["MPH4ZZ3LEX"]);
    }

    #[test]
    fn broken_envelope_is_refused_whole() {
        let err = FeedBody::parse(b"{\"office\": \"X\"").expect_err("truncated");
        assert_eq!(err.code(), "feed_invalid");
    }

    #[test]
    fn round_trips_through_json() {
        let body = FeedBody::parse(&sample("feed-full.json")).expect("valid");
        let again = FeedBody::parse(body.to_json().as_bytes()).expect("own output is valid");
        assert_eq!(again, body);
    }
}
