//! The real kiosk window (Tauri + WebKitGTK) driven through tauri-driver and WebKitWebDriver.
//! Needs an X display (Xvfb) and tauri-driver; `scripts/test.sh` provides both. The tests take
//! turns: one window at a time on a 2-core machine.

mod backup;
mod camera;
mod checkin;
mod counter;
#[cfg(target_os = "linux")]
mod disk_full;
mod display;
mod hub;
mod installed;
mod office;
mod one_kiosk;
mod outlook;
mod page_refresh;
mod printer_faults;
mod printing;
mod safety;
mod screens;
mod staff;
mod staff_export;
mod staff_touch;
mod staff_walkin;
mod start_problem;
mod survey;
mod sync;
mod tokens;
mod walkin;

/// One kiosk window at a time. Each test has its own runtime, so the lock must not belong to one:
/// tokio's Mutex is runtime-agnostic.
static ONE_WINDOW: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

async fn one_window() -> tokio::sync::MutexGuard<'static, ()> {
    ONE_WINDOW.lock().await
}
