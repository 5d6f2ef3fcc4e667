//! The `hadir` command run as an operator, IT or a supervisor would, against real files in temp
//! folders. One test binary (cargo links it once); each module is one area of the command, and
//! `common` holds the scaffolding they share. Run one area: `cargo test -p hadir-cli --test cli
//! export::`.

mod common;

mod backup;
mod checkin_batch;
mod counter;
mod crash_storm;
mod data_folder;
#[cfg(target_os = "linux")]
mod disk_full;
mod doctor;
mod every_command;
mod export;
mod log_files;
mod operator;
mod staff;
mod sync;
mod sync_kill;
mod walkin;
