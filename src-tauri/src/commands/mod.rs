//! Commands the UI may invoke, grouped by domain. Each is a few lines: take state, call the core,
//! return its result or its error payload (`{code, message, next_step}`).

pub mod counter;
pub mod display;
pub mod kiosk;
pub mod scan;
pub mod staff;
pub mod survey;
pub mod sync;
pub mod walkin;
pub mod walkin_staff;
