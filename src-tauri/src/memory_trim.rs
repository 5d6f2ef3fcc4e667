//! Gives the window's freed heap back to the system once the kiosk is quiet (issue #19).
//!
//! glibc's allocator returns freed memory to the system only from the top of its heap, so what
//! start-up frees (the config, the day's list, the backup check, GTK's and WebKit's own start)
//! and what a burst of scans frees stays resident below the allocations that live on: 14 MiB of
//! the window process right after start (BENCHMARKS.md). `malloc_trim(0)` hands those pages
//! back. It runs on its own thread after a quiet tick (no scan since the last one), once per
//! quiet spell, so it never stands between a scan and its number. WebKit's page and network
//! processes use their own allocator and are not touched. Elsewhere than Linux with glibc
//! (Windows, musl) there is no such call and this does nothing.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// How long the kiosk must be quiet before the trim (and how often it looks).
const QUIET_TICK: Duration = Duration::from_secs(15);

/// Scans and prints say "busy"; the trim thread waits for a tick without them.
#[derive(Debug, Default)]
pub struct QuietTrim {
    busy: AtomicBool,
}

impl QuietTrim {
    /// Something just used the heap in earnest (a scan, a print): trim after the next quiet tick.
    pub fn note_busy(&self) {
        self.busy.store(true, Ordering::Relaxed);
    }

    /// Starts the trim thread; the first trim follows start-up's first quiet tick.
    pub fn start(self: &Arc<Self>) {
        let trim = Arc::clone(self);
        let started = std::thread::Builder::new()
            .name("heap-trim".into())
            .spawn(move || {
                let mut owed = true;
                loop {
                    std::thread::sleep(QUIET_TICK);
                    let (trim_now, still_owed) =
                        after_tick(owed, trim.busy.swap(false, Ordering::Relaxed));
                    owed = still_owed;
                    if trim_now {
                        let released = release_free_heap();
                        log::debug!("heap trimmed after a quiet spell, released: {released}");
                    }
                }
            });
        if let Err(error) = started {
            log::warn!("heap trim not started: {error}"); // the kiosk serves the same without
        }
    }
}

/// One tick of the rule: whether to trim now, and whether a trim is still owed after it. A busy
/// tick postpones the trim; a quiet one pays what is owed, once.
fn after_tick(owed: bool, busy: bool) -> (bool, bool) {
    if busy {
        (false, true)
    } else {
        (owed, false)
    }
}

/// Asks glibc to return the free pages of every arena; whether anything came back.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
fn release_free_heap() -> bool {
    // SAFETY: malloc_trim takes no pointer and touches only glibc's own free lists, under the
    // same arena locks as every malloc and free.
    unsafe { libc::malloc_trim(0) == 1 }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn release_free_heap() -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trim_waits_for_a_quiet_tick_and_comes_once_per_quiet_spell() {
        // Start-up owes one: the first quiet tick pays it.
        assert_eq!(after_tick(true, false), (true, false));
        // Scanning: never during a busy tick, owed after it.
        assert_eq!(after_tick(true, true), (false, true));
        assert_eq!(after_tick(false, true), (false, true));
        // Quiet and nothing owed: no trim every tick of an idle night.
        assert_eq!(after_tick(false, false), (false, false));
    }

    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[test]
    fn freed_heap_goes_back_to_the_system() {
        // Many small blocks (below glibc's mmap threshold, so on the heap), all but the last
        // freed: the last pins the top of the heap, so only a trim gives the rest back.
        let resident = || -> u64 {
            let status = std::fs::read_to_string("/proc/self/statm").expect("statm");
            status
                .split_whitespace()
                .nth(1)
                .and_then(|v| v.parse().ok())
                .expect("resident pages")
        };
        let mut blocks: Vec<Vec<u8>> = (0..4096).map(|_| vec![1u8; 16 * 1024]).collect();
        let pin = blocks.pop();
        drop(blocks);
        let before = resident();
        assert!(
            release_free_heap(),
            "a trim with 64 MiB free releases something"
        );
        let after = resident();
        drop(pin);
        // 64 MiB freed; at least half of it must leave the process (4 KiB pages).
        assert!(
            before.saturating_sub(after) * 4 >= 32 * 1024,
            "resident pages {before} -> {after}"
        );
    }
}
