//! Hadir core: everything the kiosk decides and stores, with no desktop shell in sight.
//!
//! The Tauri shell (`src-tauri`), the `hadir` CLI and the tests all drive this one API. Every
//! decision takes the clock and the configuration as arguments; nothing here reads the time.

// The modules in layers, bottom to top: each uses only its own layer and the ones below, never
// in a cycle. docs/architecture.md ("Layers of the core") holds the table that
// tests/layers.rs checks; keep the groups here the same.

// Layer 0, vocabulary: used by everything, using nothing above.
/// Every error and refusal type, each code listed once.
pub mod error;
/// The one-process-per-data-folder lock of the kiosk.
pub mod kiosk_lock;
/// Services, priorities, times, the clock, booking-code syntax, masking, languages, dates.
pub mod model;
/// Every text a person reads, from the screens' files (`ui/i18n`).
pub mod texts;

// Layer 1, rules and data: what is accepted, before anything is stored.
/// Scanned text: plain booking codes and signed `MPQ1` tokens.
pub mod booking;
/// Who a counter calls next: lanes, fairness, first come first served, slots.
pub mod call_order;
/// What a waiting-room display says for a call: its audio clips, in order.
pub mod call_speech;
/// Whether the kiosk's clock agrees with the gateway's and the hub's.
pub mod clock_skew;
/// The configuration file, its defaults and where it is looked for.
pub mod config;
/// The waiting-room display's board: current and recent calls, the flash, what is said.
pub mod display_board;
/// The upstream feed's body, parsed item by item.
pub mod feed;
/// Where exports and imports may go: USB sticks, the kiosk's own folder.
pub mod folders;
/// The process's log files.
pub mod log_files;
/// When the kiosk's page starts again in a new web process (once a day, while quiet).
pub mod page_refresh;
/// Queue letters, numbers and labels.
pub mod queue;
/// People ahead, the estimated wait, the supervisor's waiting and service times.
pub mod queue_times;
/// Staff accounts' rules: PIN form and hashes, lockout, who may be disabled.
pub mod staff;
/// Question sets, one rating's checks, misuse flags, the index.
pub mod survey;
/// The walk-in quota: pools, what is left, whether one more may be issued.
pub mod walkin_quota;

// Layer 2, the store.
/// The one SQLite file: cache, check-ins, tickets, outbox, staff, audit.
pub mod store;

// Layer 3, services: decisions and work on top of the store.
/// Backups of the store, when one is due, and restoring one (at start or by hand).
pub mod backup;
/// Camera frames to scanned text (feature `camera`).
#[cfg(feature = "camera")]
pub mod camera;
/// The check-in decision (`decide`) and its recording.
pub mod checkin;
/// The data folder's disk for staff: free space, and a full disk remembered in memory.
pub mod disk_space;
/// The office hub: numbers from PostgreSQL, replay, its report.
pub mod hub;
/// Printer sinks: PDF folder, ESC/POS, the OS's printer.
pub mod print;
/// Opening the survey from a ticket's QR and recording a rating.
pub mod ratings;
/// Exports: one gathered report, written as CSV, XLSX and PDF.
pub mod report;
/// A decided check-in as the result screen shows it, and its tickets to print.
pub mod scan_result;
/// Pull and push with the office gateway, feed file imports, health.
pub mod sync;
/// The ticket's layout, rendered to PDF and to a printer raster.
pub mod ticket;
/// Version, commit and schema version.
pub mod version;

// Layer 4, use cases: what the shells call.
/// A counter at work: staff sign-in, its counter and services, calling tickets at the hub.
pub mod counter_desk;
/// Demo bookings, keys and settings.
pub mod demo;
/// `hadir doctor`: read-only checks of config, files, store, printer, upstream, hub.
pub mod doctor;
/// One scan at the kiosk, end to end, and printing its tickets.
pub mod kiosk;
/// Opening a kiosk: config in force, data folder lock, log file, store, start housekeeping.
pub mod kiosk_start;
/// What the screens need to know about this kiosk, as data (idle times, limits, build).
pub mod screen_info;
/// Settings a supervisor changes at the kiosk, and the config in force.
pub mod settings;
/// Staff mode: sign-in, session, search, desk actions, supervisor tools.
pub mod staff_mode;
/// What a kiosk that cannot start shows, and when it tries again.
pub mod start_problem;
/// Priority walk-ins: the quota state, a walk-in at the kiosk or by staff, turning one away.
pub mod walkin;

pub use config::Config;
pub use error::{Error, ErrorPayload, Result};
pub use store::Store;
