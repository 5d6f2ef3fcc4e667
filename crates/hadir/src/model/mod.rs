//! The core's vocabulary: the small types and helpers every layer above speaks in. Services,
//! priorities and booking statuses, office-local times and the contract's timestamps, the
//! clock, booking-code syntax, masking, staff roles, the kiosk's languages, and dates as people type them.
//! Nothing here uses another module of the crate.

mod booking_code;
pub mod dates;
pub(crate) mod hh_mm;
mod language;
mod masking;
mod role;
mod service;
mod time;

pub use booking_code::{is_booking_code, BOOKING_CODE_LEN};
pub use language::Language;
pub use masking::{mask_booking_code, mask_codes_in, mask_name};
pub use role::StaffRole;
pub use service::{BookingStatus, Priority, Service, MAX_APPLICANTS};
pub use time::{rfc3339, Clock};
