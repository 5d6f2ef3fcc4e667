//! Command-line flags of `hadir-kiosk` and what they mean for start-up.

use std::path::PathBuf;

use clap::Parser;
use hadir::kiosk_lock::KioskLock;
use hadir::kiosk_start::{open_kiosk, KioskStart};

use crate::KioskState;

/// Hadir self-service check-in kiosk.
#[derive(Debug, Parser)]
#[command(name = "hadir-kiosk", version = hadir::version::version_line())]
pub struct Launch {
    /// Configuration file (default: the platform config dir's hadir.toml; see docs/configuration.md).
    #[arg(long, env = "HADIR_CONFIG")]
    config: Option<PathBuf>,
    /// Demo: fill today's demo appointments and run in a normal window. Without --config the demo
    /// keeps its data in a `demo` folder of the platform data directory.
    #[arg(long)]
    demo: bool,
    /// A normal window instead of fullscreen (set-up and testing).
    #[arg(long)]
    windowed: bool,
    /// Run as if the clock read this moment at start (RFC 3339, e.g. 2026-11-29T09:30:00+08:00),
    /// then let it run on: for training, demos and tests. Never on a real kiosk.
    #[arg(long)]
    at: Option<jiff::Timestamp>,
    /// With `camera = true`: WebKit's synthetic camera instead of a real one (tests, demos on a
    /// machine without a camera). Linux only.
    #[arg(long)]
    mock_camera: bool,
}

impl Launch {
    pub fn from_args() -> Self {
        Launch::parse()
    }

    pub fn windowed(&self) -> bool {
        self.windowed || self.demo
    }

    pub fn mock_camera(&self) -> bool {
        self.mock_camera
    }

    /// Opens the kiosk (config in force, data folder lock, log file, store, the start's
    /// housekeeping: [`hadir::kiosk_start::open_kiosk`]) before any window opens. The lock comes
    /// back beside the state: the caller holds it until the process ends.
    pub fn prepare(&self, system_now: jiff::Timestamp) -> hadir::Result<(KioskState, KioskLock)> {
        let start = KioskStart {
            config_file: self.config.as_deref(),
            demo: self.demo,
            clock_set_to: self.at,
        };
        let opened = open_kiosk(&start, system_now)?;
        // The kiosk's clock runs on from `--at`, the way the system clock does.
        let clock_offset = self
            .at
            .map(|at| at.duration_since(system_now))
            .unwrap_or_default();
        let state = KioskState::new(opened.config, opened.store, self.demo, clock_offset);
        Ok((state, opened.lock))
    }
}
