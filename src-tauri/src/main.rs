// No console window behind the kiosk on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    hadir_kiosk_lib::run()
}
