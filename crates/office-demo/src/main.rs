//! `hadir-office-demo`: a whole office on one machine for trying Hadir (README, "The whole
//! office on one machine"). Starts a throwaway PostgreSQL as the office hub, then three
//! `hadir-kiosk` windows: the kiosk on today's demo appointments, a counter (demo staff PINs in
//! its log) and the waiting-room display. Closing any window, or Ctrl+C, stops the others and
//! the hub; nothing is kept (every file lives in a temp folder).

use std::path::PathBuf;
use std::process::{Child, Command, ExitCode};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use office_demo::write_office;
use temp_postgres::TempPostgres;

/// Set by Ctrl+C (SIGINT) or SIGTERM: time to stop the windows and the hub.
static STOP: AtomicBool = AtomicBool::new(false);

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("hadir-office-demo: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    stop_on_signals();
    let kiosk_binary = kiosk_binary()?;
    if let Some(reason) = temp_postgres::skip_reason() {
        return Err(format!(
            "{reason}\nInstall PostgreSQL (scripts/run.sh office does) and run again."
        ));
    }
    let hub = TempPostgres::start().map_err(|e| format!("the office hub did not start: {e}"))?;
    let folder = tempfile::Builder::new()
        .prefix("hadir-office-")
        .tempdir()
        .map_err(|e| format!("a temp folder: {e}"))?;
    let files = write_office(folder.path(), &hub.url()).map_err(|e| e.to_string())?;
    eprintln!("office hub: {} (stops with the demo)", hub.url());
    eprintln!("config files: {}", folder.path().display());
    let mut windows: Vec<(&str, Child)> = Vec::new();
    for (role, config) in files.roles() {
        let mut command = Command::new(&kiosk_binary);
        command.arg("--config").arg(config).arg("--windowed");
        // The kiosk gets today's demo appointments; the counter the demo staff (PINs logged).
        if role != "display" {
            command.arg("--demo");
        }
        match command.spawn() {
            Ok(child) => windows.push((role, child)),
            Err(error) => {
                stop_all(&mut windows);
                return Err(format!("{}: {error}", kiosk_binary.display()));
            }
        }
    }
    eprintln!("kiosk, counter and display are starting; close a window or press Ctrl+C to stop");
    let ended = loop {
        if STOP.load(Ordering::SeqCst) {
            break None;
        }
        if let Some(role) = windows
            .iter_mut()
            .find_map(|(role, child)| matches!(child.try_wait(), Ok(Some(_))).then_some(*role))
        {
            break Some(role);
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    if let Some(role) = ended {
        eprintln!("the {role} window ended: stopping the others and the hub");
    }
    stop_all(&mut windows);
    drop(hub);
    Ok(())
}

/// `hadir-kiosk` next to this program (both are built into the same target folder).
fn kiosk_binary() -> Result<PathBuf, String> {
    let me = std::env::current_exe().map_err(|e| format!("where am I: {e}"))?;
    let binary = me.with_file_name(format!("hadir-kiosk{}", std::env::consts::EXE_SUFFIX));
    if binary.is_file() {
        Ok(binary)
    } else {
        Err(format!(
            "{} not found: build it first (cargo build -p hadir-kiosk, or scripts/run.sh office)",
            binary.display()
        ))
    }
}

fn stop_all(windows: &mut [(&str, Child)]) {
    for (_, child) in windows.iter_mut() {
        let _ = child.kill();
    }
    for (_, child) in windows.iter_mut() {
        let _ = child.wait();
    }
}

/// Ctrl+C (SIGINT, SIGTERM; a console's Ctrl+C on Windows) only notes the stop: the loop in
/// [`run`] stops the windows and the hub.
fn stop_on_signals() {
    if let Err(error) = ctrlc::set_handler(|| STOP.store(true, Ordering::SeqCst)) {
        eprintln!("hadir-office-demo: Ctrl+C will not stop the hub cleanly ({error}); close a window instead");
    }
}
