//! The real kiosk window (Tauri + WebKitGTK) driven through tauri-driver and WebKitWebDriver.
//! Needs an X display (Xvfb) and tauri-driver; `make test` provides both. The tests take turns:
//! one window at a time on a 2-core machine.

mod checkin;

use std::sync::Mutex;

/// One kiosk window at a time.
static ONE_WINDOW: Mutex<()> = Mutex::new(());

fn one_window() -> std::sync::MutexGuard<'static, ()> {
    ONE_WINDOW.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
