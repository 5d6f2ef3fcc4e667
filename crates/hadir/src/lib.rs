//! Hadir core: everything the kiosk decides and stores, with no desktop shell in sight.
//!
//! The Tauri shell (`src-tauri`), the `hadir` CLI and the tests all drive this one API. Every
//! decision takes the clock and the configuration as arguments; nothing here reads the time.

pub mod booking;
#[cfg(feature = "camera")]
pub mod camera;
pub mod checkin;
pub mod config;
pub mod demo;
pub mod doctor;
pub mod error;
pub mod feed;
pub mod folders;
pub mod frontdesk;
pub mod hub;
pub mod kiosk;
pub mod kiosk_lock;
pub mod log_files;
pub mod model;
pub mod print;
pub mod queue;
pub mod ratings;
pub mod report;
pub mod scan_result;
pub mod settings;
pub mod staff;
pub mod start_problem;
pub mod store;
pub mod survey;
pub mod sync;
pub mod texts;
pub mod ticket;
pub mod version;

pub use config::Config;
pub use error::{Error, ErrorPayload, Result};
pub use store::Store;
