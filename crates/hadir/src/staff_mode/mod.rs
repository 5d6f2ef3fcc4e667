//! Staff mode: signing in with a PIN, the session that ends after idle minutes, and every
//! front-desk and supervisor action, each written to the audit log. The clock and config are
//! passed in; the shell keeps the [`StaffSeat`] and asks it for the live [`Session`] before
//! each action.
//!
//! One file per job: `session.rs` (sign-in, the session), `seat.rs` (the session policy: who
//! is signed in now, idle and changed accounts), `find.rs` (finding bookings), `desk.rs`
//! (check-in by hand, reprint, printer health), `export.rs` and `supervisor.rs` (the
//! supervisor's exports and purge), `staff_changes.rs` (accounts), `sync_tools.rs` ("sync
//! now", feed imports), `inputs.rs` (what the staff fields take), `audit_log.rs` (the audit
//! log and the audited supervisor check).

mod audit_log;
mod desk;
mod export;
mod find;
mod inputs;
mod seat;
mod session;
mod staff_changes;
mod supervisor;
mod sync_tools;

pub use audit_log::*;
pub use desk::*;
pub use export::*;
pub use find::*;
pub use inputs::*;
pub use seat::*;
pub use session::*;
pub use staff_changes::*;
pub use supervisor::*;
pub use sync_tools::*;

#[cfg(test)]
mod tests;
