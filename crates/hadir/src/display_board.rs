//! The waiting-room display's board: which calls it shows, which one is new (the flash, for
//! people who cannot hear) and what it says aloud. Pure: the calls, the clock and `[display]`
//! are passed in; `crate::hub`'s display feed fills it from the hub.
//!
//! - Current calls, shown large: each counter's latest call, most recent first, at most
//!   `display.current_calls`. A ticket called again elsewhere (sent to another service) shows
//!   only at its latest counter.
//! - Recent calls, listed below: the calls before those, newest first, each ticket once, at most
//!   `display.recent_calls`.
//! - Only the office day's calls show (a display left on overnight starts the day empty).
//! - A call that arrives live, and was made at most [`SPEAK_WITHIN`] ago, is news: it flashes
//!   and, with `display.speech`, is announced (chime and spoken clips). A call read while
//!   catching up after a (re)connect is shown, never flashed or spoken: the room heard it, or it
//!   is too late to matter. Each call counts once, however often it is read.

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use crate::call_speech::{call_clips, Clip};
use crate::config::DisplayConfig;
use crate::model::Service;

/// A live call older than this (its `at`, by the display's clock) is shown without a flash or
/// a voice: late news. LISTEN delivers a call within a second, so this only drops a backlog; it
/// is far wider than the clock skew staff are alarmed at (`doctor.max_clock_skew_seconds`,
/// 120 s), because `at` is the counter machine's clock: a counter a minute behind the display
/// must still be heard (review).
pub const SPEAK_WITHIN: SignedDuration = SignedDuration::from_secs(600);

/// Calls the board remembers: far more than it shows, so the latest call of every counter of
/// an office stays on it.
pub const KEPT_CALLS: usize = 200;

/// One call as the display knows it (a row of the hub's `calls`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BoardCall {
    /// The hub's `calls.id`: calls are told apart, and ordered, by it.
    pub call_id: i64,
    /// The ticket as printed, `A-003`.
    pub label: String,
    pub counter: i32,
    pub service: Service,
    /// 0 for the first call, 1, 2, ... for each call again.
    pub recall: i32,
    /// When the counter made it.
    #[serde(skip)]
    pub at: Timestamp,
    /// The office day it belongs to.
    #[serde(skip)]
    pub office_date: Date,
}

/// How a call reached the display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arrival {
    /// Announced by the hub while the display listened.
    Live,
    /// Read after a (re)connect: made while the display was not listening, or before it started.
    CatchUp,
}

/// What the display says for a new call: its clips in order, at the configured loudness.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Announcement {
    pub call_id: i64,
    pub label: String,
    pub counter: i32,
    /// Paths under `assets/calls/`: `chime.wav`, `id/ticket_number.wav`, ...
    pub clips: Vec<Clip>,
    pub volume: f32,
}

/// A call that is news: flash it, and say it if there is something to say.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct News {
    pub call_id: i64,
    /// `None` with `display.speech = false`, or for a label Hadir never prints.
    pub announce: Option<Announcement>,
}

/// What the page draws.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BoardView {
    /// Large: the latest call of each counter, most recent first.
    pub current: Vec<BoardCall>,
    /// Below: earlier calls, newest first.
    pub recent: Vec<BoardCall>,
    /// The display hears the hub now; `false`: the page says it is reconnecting.
    pub online: bool,
}

/// The calls a display holds, and whether it hears the hub.
#[derive(Debug, Clone, Default)]
pub struct Board {
    /// By `call_id`, ascending; at most [`KEPT_CALLS`].
    calls: Vec<BoardCall>,
    online: bool,
}

impl Board {
    pub fn new() -> Board {
        Board::default()
    }

    /// The newest call id the board holds: a reconnect catches up on calls after it.
    pub fn last_call_id(&self) -> Option<i64> {
        self.calls.last().map(|call| call.call_id)
    }

    /// Whether the display hears the hub now.
    pub fn online(&self) -> bool {
        self.online
    }

    /// The display heard the hub (`true`) or lost it (`false`).
    pub fn set_online(&mut self, online: bool) {
        self.online = online;
    }

    /// Takes a call in; `Some` when it is news (see the module's rules). A call already held
    /// changes nothing.
    pub fn take(
        &mut self,
        call: BoardCall,
        arrival: Arrival,
        now: Timestamp,
        config: &DisplayConfig,
    ) -> Option<News> {
        let place = match self
            .calls
            .binary_search_by_key(&call.call_id, |held| held.call_id)
        {
            Ok(_) => return None,
            Err(place) => place,
        };
        let fresh = now.duration_since(call.at) <= SPEAK_WITHIN;
        let news = (arrival == Arrival::Live && fresh).then(|| News {
            call_id: call.call_id,
            announce: announcement(&call, config),
        });
        self.calls.insert(place, call);
        if self.calls.len() > KEPT_CALLS {
            let extra = self.calls.len() - KEPT_CALLS;
            self.calls.drain(..extra);
        }
        news
    }

    /// The board of `today` (office date), as `[display]` sizes it.
    pub fn view(&self, today: Date, config: &DisplayConfig) -> BoardView {
        let mut counters = Vec::new();
        let mut labels = Vec::new();
        let mut current = Vec::new();
        let mut recent = Vec::new();
        let todays = self
            .calls
            .iter()
            .rev()
            .filter(|call| call.office_date == today);
        for call in todays {
            let counter_new = !counters.contains(&call.counter);
            let label_new = !labels.contains(&call.label);
            // A counter's latest call counts as its current one even when the ticket moved
            // on to another counter since: the counter then shows none.
            counters.push(call.counter);
            if !label_new {
                continue;
            }
            labels.push(call.label.clone());
            if counter_new && current.len() < config.current_calls as usize {
                current.push(call.clone());
            } else if recent.len() < config.recent_calls as usize {
                recent.push(call.clone());
            }
        }
        BoardView {
            current,
            recent,
            online: self.online,
        }
    }
}

fn announcement(call: &BoardCall, config: &DisplayConfig) -> Option<Announcement> {
    if !config.speech {
        return None;
    }
    let counter = u32::try_from(call.counter).ok()?;
    let clips = call_clips(&call.label, counter, config.speech_language)?;
    Some(Announcement {
        call_id: call.call_id,
        label: call.label.clone(),
        counter: call.counter,
        clips,
        volume: config.volume,
    })
}

#[cfg(test)]
mod tests;
