//! What a booking is for and who comes: the service, an applicant's priority, the booking's
//! status, as the feed contract (`docs/feed-api.md`) and the signed tokens name them.

use serde::{Deserialize, Serialize};

/// At most this many applicants share one booking (one M-Paspor account books up to five).
pub const MAX_APPLICANTS: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Service {
    Baru,
    Penggantian,
    HilangRusak,
}

impl Service {
    /// Every service, in the order screens list them.
    pub const ALL: [Service; 3] = [Service::Baru, Service::Penggantian, Service::HilangRusak];

    pub fn as_str(self) -> &'static str {
        match self {
            Service::Baru => "baru",
            Service::Penggantian => "penggantian",
            Service::HilangRusak => "hilang_rusak",
        }
    }

    pub fn parse(text: &str) -> Option<Service> {
        match text {
            "baru" => Some(Service::Baru),
            "penggantian" => Some(Service::Penggantian),
            "hilang_rusak" => Some(Service::HilangRusak),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Lansia,
    Disabilitas,
    IbuHamil,
    Anak,
}

impl Priority {
    pub fn as_str(self) -> &'static str {
        match self {
            Priority::Lansia => "lansia",
            Priority::Disabilitas => "disabilitas",
            Priority::IbuHamil => "ibu_hamil",
            Priority::Anak => "anak",
        }
    }

    pub fn parse(text: &str) -> Option<Priority> {
        match text {
            "lansia" => Some(Priority::Lansia),
            "disabilitas" => Some(Priority::Disabilitas),
            "ibu_hamil" => Some(Priority::IbuHamil),
            "anak" => Some(Priority::Anak),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BookingStatus {
    Booked,
    Cancelled,
}

impl BookingStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            BookingStatus::Booked => "booked",
            BookingStatus::Cancelled => "cancelled",
        }
    }
}
