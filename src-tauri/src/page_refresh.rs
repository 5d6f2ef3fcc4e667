//! Gives the kiosk's page a fresh WebKit web process once a day while nobody uses the kiosk
//! (issue #19): WebKitGTK keeps an entry for every key event until the page's web process ends
//! (BENCHMARKS.md), so a kiosk left running grows by a few MiB a day. When the core's rule
//! (`hadir::page_refresh`) says the page is due, the window ends the web process and loads the
//! page again; the applicant sees the same welcome screen.
//!
//! A scan must not be lost to it: while the new page loads, the window takes a scanner's keys
//! itself (GTK's key events, before WebKit sees them) and hands them to the page when it has
//! started (`page_started`), which types them into its scanner as if they had just come. The
//! refresh never starts within [`KEYS_SETTLE`] of a key, so no scan is split between the old
//! page and the new. If the page does not start within [`HOLD_AT_MOST`], keys go to WebKit
//! again (the held ones are logged and dropped: the applicant scans again, as after any fault).
//!
//! Linux only: WebView2 (Windows) has no such per-key growth and nothing is done there.
// Elsewhere only `page_started` and the activity notes run; the rest is the Linux window's.
#![cfg_attr(not(target_os = "linux"), allow(dead_code, unused_imports))]

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use hadir::Config;
use jiff::Timestamp;

/// How often the window asks the core whether the page is due.
const CHECK_EVERY: Duration = Duration::from_secs(1);
/// The refresh waits this long after any key, so that a scan in progress ends in the old page.
const KEYS_SETTLE: Duration = Duration::from_secs(2);
/// Keys are held at most this long for a page that does not start.
const HOLD_AT_MOST: Duration = Duration::from_secs(20);

/// What the window knows about its page: when it was loaded, when the kiosk was last used,
/// and the keys it holds while a new page loads.
#[derive(Debug, Default)]
pub struct PageRefresh {
    times: Mutex<PageTimes>,
    keys: Mutex<KeyHold>,
    refreshing: AtomicBool,
}

#[derive(Debug, Default)]
struct PageTimes {
    loaded_at: Option<Timestamp>,
    last_activity_at: Option<Timestamp>,
}

impl PageRefresh {
    /// A scan, walk-in, print or staff command, or a touch or key on the window, at `now`: the
    /// kiosk is in use (screens reached by touch alone, such as the manual entry, send no
    /// command until they are done).
    pub fn note_activity(&self, now: Timestamp) {
        self.times().last_activity_at = Some(now);
    }

    /// The page has started (at first start and after a refresh): from now it counts as
    /// loaded, and it gets the keys held while it loaded (Enter as `\n`, Tab as `\t`).
    pub fn page_started(&self, now: Timestamp) -> String {
        self.times().loaded_at = Some(now);
        let held = self.key_hold().end_at(Instant::now());
        if !held.is_empty() {
            log::info!(
                "page refresh: {} key(s) held while the page loaded, handed to it",
                held.chars().count()
            );
        }
        held
    }

    /// Whether the page is due for a fresh web process (never before it has started once).
    fn due(&self, config: &Config, now: Timestamp) -> bool {
        let mut times = self.times();
        let Some(mut loaded_at) = times.loaded_at else {
            return false;
        };
        if loaded_at > now {
            // The clock was set back (a fast clock corrected): from now on, not from moments
            // that may be days ahead, which would keep the refresh off until then.
            loaded_at = now;
            times.loaded_at = Some(now);
        }
        if times.last_activity_at.is_some_and(|last| last > now) {
            times.last_activity_at = Some(now);
        }
        let last_activity_at = times.last_activity_at.unwrap_or(loaded_at);
        hadir::page_refresh::page_refresh_due(config, now, loaded_at, last_activity_at)
    }

    fn times(&self) -> MutexGuard<'_, PageTimes> {
        self.times.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn key_hold(&self) -> MutexGuard<'_, KeyHold> {
        self.keys.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// One key press as the scanner listener of the page knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PressedKey {
    /// A character (a scanner's Shift is already in it).
    Text(char),
    Enter,
    Tab,
    /// Shift alone, a key with Ctrl, Alt, Super or Meta, a function key: nothing for the
    /// scanner (the page ignores those too).
    Other,
}

/// The keys taken from WebKit while a new page loads.
#[derive(Debug, Default)]
struct KeyHold {
    holding_since: Option<Instant>,
    held: String,
    last_key_at: Option<Instant>,
}

impl KeyHold {
    /// A key pressed at `at`: whether the window keeps it (true) or WebKit gets it.
    fn on_key(&mut self, key: PressedKey, at: Instant) -> bool {
        self.last_key_at = Some(at);
        if !self.holding_at(at) {
            return false;
        }
        match key {
            PressedKey::Text(c) => self.held.push(c),
            PressedKey::Enter => self.held.push('\n'),
            PressedKey::Tab => self.held.push('\t'),
            PressedKey::Other => {}
        }
        true
    }

    /// Starts holding keys at `at`, unless a key came within [`KEYS_SETTLE`] (a scan may be
    /// under way in the page): whether the refresh may go ahead.
    fn begin(&mut self, at: Instant) -> bool {
        if self
            .last_key_at
            .is_some_and(|last| at.saturating_duration_since(last) < KEYS_SETTLE)
        {
            return false;
        }
        self.holding_since = Some(at);
        self.held.clear();
        true
    }

    /// Whether keys are being held at `at`; a hold older than [`HOLD_AT_MOST`] ends here, its
    /// keys dropped (the page did not start: keys go to WebKit again).
    fn holding_at(&mut self, at: Instant) -> bool {
        let Some(since) = self.holding_since else {
            return false;
        };
        if at.saturating_duration_since(since) > HOLD_AT_MOST {
            let dropped = self.end();
            log::warn!(
                "page refresh: the page did not start within {} s; {} held key(s) dropped, \
                 keys go to the page again",
                HOLD_AT_MOST.as_secs(),
                dropped.chars().count()
            );
            return false;
        }
        true
    }

    /// Stops holding at `at` (the page has started): the keys held, none if the hold had
    /// outlived [`HOLD_AT_MOST`].
    fn end_at(&mut self, at: Instant) -> String {
        if self.holding_at(at) {
            self.end()
        } else {
            String::new()
        }
    }

    /// Stops holding; the keys held so far.
    fn end(&mut self) -> String {
        self.holding_since = None;
        std::mem::take(&mut self.held)
    }
}

/// Starts watching for the refresh on the kiosk's window (Linux; nothing elsewhere).
pub fn start<R: tauri::Runtime>(window: &tauri::WebviewWindow<R>) {
    #[cfg(target_os = "linux")]
    linux::start(window);
    #[cfg(not(target_os = "linux"))]
    let _ = window;
}

#[cfg(target_os = "linux")]
mod linux {
    use super::*;
    use crate::KioskState;
    use gtk::glib::Propagation;
    use gtk::prelude::WidgetExt;
    use tauri::Manager;
    use webkit2gtk::WebViewExt;

    pub(super) fn start<R: tauri::Runtime>(window: &tauri::WebviewWindow<R>) {
        let refresh = Arc::clone(&window.state::<KioskState>().page_refresh);
        let clock = window.state::<KioskState>().clock();
        let hooked = window.with_webview(move |platform| {
            let view = platform.inner();
            let on_press = Arc::clone(&refresh);
            let key_clock = Arc::clone(&clock);
            view.connect_key_press_event(move |_, event| {
                on_press.note_activity(key_clock());
                let held = on_press.key_hold().on_key(pressed(event), Instant::now());
                if held {
                    Propagation::Stop
                } else {
                    Propagation::Proceed
                }
            });
            let on_release = Arc::clone(&refresh);
            view.connect_key_release_event(move |_, _| {
                if on_release.key_hold().holding_at(Instant::now()) {
                    Propagation::Stop
                } else {
                    Propagation::Proceed
                }
            });
            // A touch or click: someone is at the screen (WebKit gets it as always).
            let on_tap = Arc::clone(&refresh);
            let tap_clock = Arc::clone(&clock);
            view.connect_button_press_event(move |_, _| {
                on_tap.note_activity(tap_clock());
                Propagation::Proceed
            });
            let on_touch = Arc::clone(&refresh);
            view.connect_touch_event(move |_, _| {
                on_touch.note_activity(clock());
                Propagation::Proceed
            });
        });
        if let Err(error) = hooked {
            log::warn!("page refresh off: the window's keys cannot be reached: {error}");
            return;
        }
        let window = window.clone();
        let watching = std::thread::Builder::new()
            .name("page-refresh".into())
            .spawn(move || loop {
                std::thread::sleep(CHECK_EVERY);
                check(&window);
            });
        if let Err(error) = watching {
            log::warn!("page refresh not started: {error}"); // the daily restart still clears it
        }
    }

    /// One look: when due, the refresh runs on GTK's thread, between two key events.
    fn check<R: tauri::Runtime>(window: &tauri::WebviewWindow<R>) {
        let state = window.state::<KioskState>();
        let now = (state.clock())();
        let refresh = Arc::clone(&state.page_refresh);
        if !refresh.due(&state.config(), now) || refresh.refreshing.swap(true, Ordering::SeqCst) {
            return;
        }
        let config = state.config();
        let clock = state.clock();
        let queued = window.with_webview(move |platform| {
            // Asked again on GTK's thread, where taps and keys are counted: one that came
            // since the look above keeps the page.
            let now = clock();
            if refresh.due(&config, now) && refresh.key_hold().begin(Instant::now()) {
                refresh.times().loaded_at = Some(now); // not due again while it loads
                log::info!("page refresh: a fresh web process for the page (quiet kiosk)");
                let view = platform.inner();
                view.terminate_web_process();
                view.reload();
            }
            refresh.refreshing.store(false, Ordering::SeqCst);
        });
        if let Err(error) = queued {
            log::warn!("page refresh not made: {error}");
            state.page_refresh.refreshing.store(false, Ordering::SeqCst);
        }
    }

    fn pressed(event: &gtk::gdk::EventKey) -> PressedKey {
        use gtk::gdk::keys::constants as key;
        use gtk::gdk::ModifierType;
        let keyval = event.keyval();
        if event.state().intersects(
            ModifierType::CONTROL_MASK
                | ModifierType::MOD1_MASK
                | ModifierType::SUPER_MASK
                | ModifierType::META_MASK,
        ) {
            return PressedKey::Other;
        }
        if keyval == key::Return || keyval == key::KP_Enter {
            return PressedKey::Enter;
        }
        if keyval == key::Tab || keyval == key::ISO_Left_Tab {
            return PressedKey::Tab;
        }
        match keyval.to_unicode() {
            Some(c) if !c.is_control() => PressedKey::Text(c),
            _ => PressedKey::Other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn type_text(hold: &mut KeyHold, text: &str, at: Instant) -> Vec<bool> {
        text.chars()
            .map(|c| {
                let key = match c {
                    '\n' => PressedKey::Enter,
                    c => PressedKey::Text(c),
                };
                hold.on_key(key, at)
            })
            .collect()
    }

    #[test]
    fn keys_go_to_the_page_until_a_refresh_then_the_window_keeps_them_for_the_new_page() {
        let start = Instant::now();
        let mut hold = KeyHold::default();
        assert!(type_text(&mut hold, "MP0001\n", start)
            .iter()
            .all(|held| !held));
        // A scan just ended: the refresh waits until the keys have settled.
        assert!(!hold.begin(start + Duration::from_millis(500)));
        assert!(!hold.holding_at(start + Duration::from_millis(500)));
        let refresh_at = start + KEYS_SETTLE;
        assert!(hold.begin(refresh_at));
        // A scan while the new page loads: kept, Shift presses leave nothing, Enter marks its end.
        let during = refresh_at + Duration::from_millis(300);
        assert!(hold.on_key(PressedKey::Other, during));
        assert!(type_text(&mut hold, "MPAB12CD\n", during)
            .iter()
            .all(|held| *held));
        assert!(hold.on_key(PressedKey::Tab, during));
        assert_eq!(hold.end_at(during), "MPAB12CD\n\t");
        // The page has them; the next keys are the page's again.
        assert!(!hold.on_key(PressedKey::Text('X'), during));
        assert_eq!(
            hold.end_at(during),
            "",
            "nothing held after the page started"
        );
    }

    #[test]
    fn a_page_that_never_starts_does_not_keep_the_keys_for_ever() {
        let start = Instant::now();
        let mut hold = KeyHold::default();
        assert!(hold.begin(start));
        assert!(hold.on_key(PressedKey::Text('A'), start + Duration::from_secs(1)));
        let late = start + HOLD_AT_MOST + Duration::from_millis(1);
        assert!(!hold.on_key(PressedKey::Text('B'), late), "goes to WebKit");
        assert!(!hold.holding_at(late));
        assert_eq!(
            hold.end_at(late),
            "",
            "the stale keys were dropped, not replayed later"
        );
    }

    #[test]
    fn keys_held_for_a_page_that_starts_too_late_are_not_replayed() {
        let start = Instant::now();
        let mut hold = KeyHold::default();
        assert!(hold.begin(start));
        assert!(hold.on_key(PressedKey::Text('A'), start + Duration::from_secs(1)));
        // No key since; the page starts after the limit: what it would type is stale.
        let late = start + HOLD_AT_MOST + Duration::from_secs(1);
        assert_eq!(hold.end_at(late), "");
        assert!(!hold.holding_at(late));
    }

    #[test]
    fn the_page_counts_as_loaded_when_it_starts_and_quiet_from_its_last_use() {
        let refresh = PageRefresh::default();
        let config = Config::default(); // from 02:00 WITA, after 1800 s quiet
        let at = |text: &str| text.parse::<Timestamp>().expect("a time");
        let night = at("2026-12-02T03:00:00+08:00");
        assert!(
            !refresh.due(&config, night),
            "no page yet: nothing to refresh"
        );
        assert_eq!(refresh.page_started(at("2026-12-01T07:00:00+08:00")), "");
        assert!(refresh.due(&config, night), "loaded yesterday, quiet since");
        refresh.note_activity(at("2026-12-02T02:45:00+08:00"));
        assert!(
            !refresh.due(&config, night),
            "used a quarter of an hour ago"
        );
        assert!(refresh.due(&config, at("2026-12-02T03:15:00+08:00")));
        refresh.page_started(at("2026-12-02T03:15:01+08:00"));
        assert!(
            !refresh.due(&config, at("2026-12-02T23:00:00+08:00")),
            "once a day"
        );
    }

    #[test]
    fn a_clock_set_back_does_not_keep_the_refresh_off_until_the_old_date() {
        let refresh = PageRefresh::default();
        let config = Config::default();
        let at = |text: &str| text.parse::<Timestamp>().expect("a time");
        // A clock half a year fast, corrected the same morning: loaded and last used count
        // from the corrected time.
        refresh.page_started(at("2027-06-01T07:00:00+08:00"));
        refresh.note_activity(at("2027-06-01T08:00:00+08:00"));
        assert!(!refresh.due(&config, at("2026-12-01T12:00:00+08:00")));
        assert!(refresh.due(&config, at("2026-12-02T03:00:00+08:00")));
    }
}
