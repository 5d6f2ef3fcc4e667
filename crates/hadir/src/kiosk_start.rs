//! Opening a kiosk, before any window: the config in force, the data folder taken for this
//! process, its log file and store, and the start's housekeeping (past days' bookings dropped,
//! the demo day filled). The shell only parses its flags and opens the window with what this
//! returns.

use std::path::Path;

use jiff::Timestamp;

use crate::backup::Restored;
use crate::config::Config;
use crate::error::Result;
use crate::kiosk_lock::KioskLock;
use crate::store::Store;

/// How `hadir-kiosk` was started.
#[derive(Debug, Clone, Copy, Default)]
pub struct KioskStart<'a> {
    /// `--config`: the file named (else it is looked for, see [`Config::load`]).
    pub config_file: Option<&'a Path>,
    /// `--demo`: the demo day, its own data folder (unless a file was named) and signing key.
    pub demo: bool,
    /// `--at`: the clock set by hand at start (training, demos, tests).
    pub clock_set_to: Option<Timestamp>,
}

/// A kiosk ready to serve. `lock` holds the data folder: keep it until the process ends.
#[derive(Debug)]
pub struct OpenedKiosk {
    /// The config in force ([`crate::settings::config_in_force`]).
    pub config: Config,
    pub store: Store,
    pub lock: KioskLock,
    /// Set when the store was damaged (or gone) and a backup took its place: staff see it on
    /// the staff screen (`SyncHealth::backup`).
    pub restored: Option<Restored>,
}

/// Takes the data folder for this process, then opens the log file, the store and the config in
/// force, and does the start's housekeeping. `system_now` is the system clock at start (the
/// `--at` moment replaces it). A second kiosk on the same folder stops at the lock, having
/// touched nothing.
pub fn open_kiosk(start: &KioskStart<'_>, system_now: Timestamp) -> Result<OpenedKiosk> {
    let now = start.clock_set_to.unwrap_or(system_now);
    let (mut config, source) = Config::load(start.config_file)?;
    if start.demo {
        // Its own data folder (unless a file was named) and the public demo signing key.
        crate::demo::use_demo_config(&mut config, start.config_file.is_some());
    }
    // The data folder is known now: take it before touching anything in it. A second kiosk
    // on this folder stops here, having opened neither the running kiosk's log file (whose
    // day rollover renames it) nor its store (which a newer version would migrate).
    let lock = KioskLock::acquire(&config.data_dir())?;
    // From here every line also goes to the folder's log file.
    crate::log_files::open(&config, crate::log_files::KIOSK);
    log::info!("{source}");
    if let Some(at) = start.clock_set_to {
        log::warn!("clock set to {at} by --at: for training and tests only");
    }
    if start.demo {
        log::warn!("demo mode: the public demo signing key is accepted");
    }
    // A damaged store is replaced by the newest verified backup, never by an empty one.
    let (mut store, restored) = crate::backup::open_store_at_start(&config, now)?;
    log::info!("store: {}", store.path().display());
    // What a supervisor changed at the kiosk (language, sounds, survey) outlives a restart.
    let config = crate::settings::config_in_force(&config, &store)?;
    // Past days' bookings (names, birth dates) go even on a kiosk that never syncs.
    let today = now.to_zoned_datetime(config.time_zone()).date();
    let dropped = crate::sync::drop_old_days(&mut store, &config, today)?;
    if dropped > 0 {
        log::info!("dropped {dropped} cached bookings older than upstream.keep_days");
    }
    if start.demo {
        fill_demo_day(&mut store, now, &config)?;
    }
    // The stand-in Argon2 hash for unknown names, made now rather than at the first sign-in.
    crate::staff_mode::warm_up();
    Ok(OpenedKiosk {
        config,
        store,
        lock,
        restored,
    })
}

/// The demo's bookings for today and its staff, each logged (the codes to try, the PINs).
fn fill_demo_day(store: &mut Store, now: Timestamp, config: &Config) -> Result<()> {
    let office_now = now.to_zoned_datetime(config.time_zone());
    let (day, applied) = crate::demo::fill(store, &office_now, config)?;
    log::info!("demo day {}: {} bookings", day.body.date, applied.upserted);
    for code in &day.try_codes {
        log::info!("{}", code.log_line());
    }
    log::info!("{}", crate::demo::tickets_line(config, day.body.date));
    for (name, role, pin) in crate::demo::ensure_demo_staff(store, &office_now)? {
        log::info!("demo staff {name} ({role}), PIN {pin}: hold the office name 3 s");
    }
    Ok(())
}
