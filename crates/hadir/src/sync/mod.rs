//! Sync with the office gateway (`docs/feed-api.md`): pull the day's
//! appointments, push the outbox, and keep health facts for staff.
//!
//! The kiosk never waits on any of this: check-ins read and write only the local store, and the
//! sync task runs on its own store connection beside them. Every answer is applied in one
//! transaction or not at all, and an event leaves the outbox only once upstream has named it.

mod backoff;
mod client;
mod cycle;
mod health;
mod import;
mod not_the_feed;
mod task;

pub use backoff::{Backoff, Schedule, BACKOFF_CAP};
pub use client::{Probe, PushAnswer, Reply, UpstreamClient, MAX_BODY_BYTES};
pub use cycle::{
    drop_old_days, import_file, pull_day, push_outbox, run_cycle, CycleReport, PullReport,
    PushReport,
};
pub use health::{record_clock, SyncHealth, SyncState, SyncStopped};
pub use import::{import_candidates, ImportCandidate};
pub use not_the_feed::read_feed;
pub use task::{kiosk_sync_task, run_sync_task, SyncSignals};
