//! Gives the window's freed heap back to the system once the kiosk is quiet (issue #19).
//!
//! glibc's allocator returns freed memory to the system only from the top of its heap, so what
//! start-up frees (the config, the day's list, the backup check, GTK's and WebKit's own start)
//! and what a burst of scans frees stays resident below the allocations that live on: 14 MiB of
//! the window process right after a demo start (BENCHMARKS.md). `malloc_trim(0)` hands those
//! pages back. It runs on its own thread after a quiet tick (no command since the last one), so
//! it does not run while the applicants of a queue scan one after another; a scan that comes
//! in the moment a trim starts waits for glibc's arena lock while it runs (not timed).
//! Background tasks (sync, hub, backups) free memory on their own schedule, so a quiet kiosk
//! also trims every ten minutes. WebKit's page and network processes use their own allocator and are not touched.
//! Elsewhere than Linux with glibc (Windows, musl) there is no such call and this does nothing.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// How long the kiosk must be quiet before the trim (and how often it looks).
const QUIET_TICK: Duration = Duration::from_secs(15);
/// Quiet ticks between two trims when nothing marks the kiosk busy (ten minutes).
const QUIET_TICKS_PER_IDLE_TRIM: u32 = 40;

/// Commands say "busy"; the trim thread waits for a tick without them.
#[derive(Debug, Default)]
pub struct QuietTrim {
    busy: AtomicBool,
}

impl QuietTrim {
    /// A command just used the heap (a scan, a print, staff work): trim after a quiet tick.
    pub fn note_busy(&self) {
        self.busy.store(true, Ordering::Relaxed);
    }

    /// Starts the trim thread; the first trim follows start-up's first quiet tick.
    pub fn start(self: &Arc<Self>) {
        let trim = Arc::clone(self);
        let started = std::thread::Builder::new()
            .name("heap-trim".into())
            .spawn(move || {
                let mut rule = TrimRule::default();
                loop {
                    std::thread::sleep(QUIET_TICK);
                    if rule.after_tick(trim.busy.swap(false, Ordering::Relaxed)) {
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

/// When to trim, tick by tick: after the first quiet tick that follows start-up or a busy one,
/// then every [`QUIET_TICKS_PER_IDLE_TRIM`] quiet ticks.
#[derive(Debug)]
struct TrimRule {
    owed: bool,
    quiet_ticks: u32,
}

impl Default for TrimRule {
    fn default() -> Self {
        TrimRule {
            owed: true, // what start-up freed
            quiet_ticks: 0,
        }
    }
}

impl TrimRule {
    /// Whether to trim now, after a tick that was `busy` or quiet.
    fn after_tick(&mut self, busy: bool) -> bool {
        if busy {
            self.owed = true;
            self.quiet_ticks = 0;
            return false;
        }
        self.quiet_ticks += 1;
        if self.quiet_ticks >= QUIET_TICKS_PER_IDLE_TRIM {
            self.owed = true;
        }
        if self.owed {
            self.owed = false;
            self.quiet_ticks = 0;
        }
        self.quiet_ticks == 0
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
    fn the_trim_waits_for_a_quiet_tick_then_comes_every_ten_minutes() {
        let mut rule = TrimRule::default();
        // Scanning right after start: never during a busy tick.
        assert!(!rule.after_tick(true));
        assert!(!rule.after_tick(true));
        // The first quiet tick pays what start-up and the scans freed.
        assert!(rule.after_tick(false));
        // An idle night: once every QUIET_TICKS_PER_IDLE_TRIM quiet ticks, not every tick.
        let trims: Vec<bool> = (0..2 * QUIET_TICKS_PER_IDLE_TRIM)
            .map(|_| rule.after_tick(false))
            .collect();
        assert_eq!(trims.iter().filter(|&&t| t).count(), 2, "{trims:?}");
        assert!(trims[QUIET_TICKS_PER_IDLE_TRIM as usize - 1]);
        // A scan in between postpones the next trim to the quiet tick after it.
        assert!(!rule.after_tick(true));
        assert!(rule.after_tick(false));
    }

    /// The process's resident memory in KiB (whatever the page size).
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    fn resident_kib() -> u64 {
        let status = std::fs::read_to_string("/proc/self/status").expect("status");
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmRSS")
    }

    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[test]
    fn freed_heap_goes_back_to_the_system() {
        // Many small blocks (below glibc's mmap threshold, so on the heap), all but the last
        // freed: the last pins the top of the heap, so only a trim gives the rest back.
        let mut blocks: Vec<Vec<u8>> = (0..4096)
            .map(|_| std::hint::black_box(vec![1u8; 16 * 1024]))
            .collect();
        let pin = blocks.pop();
        let holding = resident_kib();
        drop(std::hint::black_box(blocks));
        let freed = resident_kib();
        if holding.saturating_sub(freed) > 32 * 1024 {
            // Returned at free: not glibc's heap (a preloaded allocator, a lowered mmap
            // threshold), so there is nothing for a trim to show.
            eprintln!("skipped: freeing already returned {holding} -> {freed} KiB");
            return;
        }
        assert!(
            release_free_heap(),
            "a trim with 64 MiB free releases something"
        );
        let trimmed = resident_kib();
        drop(pin);
        assert!(
            freed.saturating_sub(trimmed) >= 32 * 1024,
            "64 MiB freed, at least half must leave the process: {freed} -> {trimmed} KiB"
        );
    }
}
