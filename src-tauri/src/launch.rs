//! Command-line flags of `hadir-kiosk` and what they mean for start-up.

use std::path::PathBuf;

use clap::Parser;
use hadir::kiosk_lock::KioskLock;
use hadir::{Config, Store};

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

    /// Takes the data folder for this process, then loads config and store (and the demo day
    /// when asked) before any window opens. The lock comes back beside the state: the caller
    /// holds it until the process ends.
    pub fn prepare(&self, system_now: jiff::Timestamp) -> hadir::Result<(KioskState, KioskLock)> {
        let clock_offset = self
            .at
            .map(|at| at.duration_since(system_now))
            .unwrap_or_default();
        let now = self.at.unwrap_or(system_now);
        let (mut config, source) = Config::load(self.config.as_deref())?;
        if self.demo {
            // Its own data folder (unless a file was named) and the public demo signing key.
            hadir::demo::use_demo_settings(&mut config, self.config.is_some());
        }
        // The data folder is known now: take it before touching anything in it. A second kiosk
        // on this folder stops here, having opened neither the running kiosk's log file (whose
        // day rollover renames it) nor its store (which a newer version would migrate).
        let kiosk_lock = KioskLock::acquire(&config.data_dir())?;
        // From here every line also goes to the folder's log file.
        hadir::log_files::open(&config, hadir::log_files::KIOSK);
        log::info!("{source}");
        if let Some(at) = self.at {
            log::warn!("clock set to {at} by --at: for training and tests only");
        }
        if self.demo {
            log::warn!("demo mode: the public demo signing key is accepted");
        }
        let mut store = Store::open_in(&config.data_dir())?;
        log::info!("store: {}", store.path().display());
        // What a supervisor changed at the kiosk (language, sounds, survey) outlives a restart.
        let config = hadir::settings::with_overrides(&config, &store)?;
        // Past days' bookings (names, birth dates) go even on a kiosk that never syncs.
        let today = now.to_zoned_datetime(config.time_zone()).date();
        let dropped = hadir::sync::drop_old_days(&mut store, &config, today)?;
        if dropped > 0 {
            log::info!("dropped {dropped} cached bookings older than upstream.keep_days");
        }
        if self.demo {
            let office_now = now.to_zoned_datetime(config.time_zone());
            let (day, applied) = hadir::demo::fill(&mut store, &office_now, &config)?;
            log::info!("demo day {}: {} bookings", day.body.date, applied.upserted);
            for code in &day.try_codes {
                log::info!("{}", code.log_line());
            }
            log::info!("{}", hadir::demo::tickets_line(&config, day.body.date));
            for (name, role, pin) in hadir::demo::ensure_demo_staff(&mut store, &office_now)? {
                log::info!("demo staff {name} ({role}), PIN {pin}: hold the office name 3 s");
            }
        }
        // The stand-in Argon2 hash for unknown names, made now rather than at the first sign-in.
        hadir::frontdesk::warm_up();
        Ok((
            KioskState::new(config, store, self.demo, clock_offset),
            kiosk_lock,
        ))
    }
}
