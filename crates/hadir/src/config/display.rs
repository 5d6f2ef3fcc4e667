//! `[display]`: what the waiting-room display shows and says (`role = "display"`; the board's
//! rules are `crate::display_board`'s, the calls come from `crate::hub`).

use serde::{Deserialize, Serialize};

use crate::model::Language;

/// Most current calls the board shows large: more would no longer read across a room.
pub const MAX_CURRENT_CALLS: u32 = 8;

/// Most earlier calls listed below the current ones.
pub const MAX_RECENT_CALLS: u32 = 12;

/// The waiting-room display's board and voice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DisplayConfig {
    /// Counters shown large (each with its latest call), most recent first.
    pub current_calls: u32,
    /// Earlier calls listed below them (0: none).
    pub recent_calls: u32,
    /// Chime and speak each new call; `false`: the board and its flash only, silent (a room
    /// with its own announcer).
    pub speech: bool,
    /// The language calls are spoken in (the clips of `assets/calls/<language>/`).
    pub speech_language: Language,
    /// Loudness of the chime and the spoken call, 0.0 (silent) to 1.0 (the clips as made).
    pub volume: f32,
}

impl Default for DisplayConfig {
    fn default() -> Self {
        DisplayConfig {
            current_calls: 4,
            recent_calls: 6,
            speech: true,
            speech_language: Language::Id,
            volume: 1.0,
        }
    }
}

/// Checks the values serde cannot, as `Config::validate` does.
pub(super) fn validate(display: &DisplayConfig) -> std::result::Result<(), (&'static str, String)> {
    if !(1..=MAX_CURRENT_CALLS).contains(&display.current_calls) {
        return Err((
            "display.current_calls",
            format!("must be 1 to {MAX_CURRENT_CALLS} (counters shown large)"),
        ));
    }
    if display.recent_calls > MAX_RECENT_CALLS {
        return Err((
            "display.recent_calls",
            format!("must be 0 to {MAX_RECENT_CALLS} (earlier calls listed)"),
        ));
    }
    if !(0.0..=1.0).contains(&display.volume) {
        return Err(("display.volume", "must be 0.0 (silent) to 1.0".into()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_pass_and_ranges_are_checked() {
        assert_eq!(validate(&DisplayConfig::default()), Ok(()));
        for (display, key) in [
            (
                DisplayConfig {
                    current_calls: 0,
                    ..DisplayConfig::default()
                },
                "display.current_calls",
            ),
            (
                DisplayConfig {
                    recent_calls: 13,
                    ..DisplayConfig::default()
                },
                "display.recent_calls",
            ),
            (
                DisplayConfig {
                    volume: 1.5,
                    ..DisplayConfig::default()
                },
                "display.volume",
            ),
        ] {
            assert_eq!(validate(&display).expect_err("refused").0, key);
        }
    }

    #[test]
    fn the_section_reads_from_toml() {
        let display: DisplayConfig =
            toml::from_str("speech_language = \"en\"\nspeech = false\nvolume = 0.5\n")
                .expect("parses");
        assert_eq!(display.speech_language, Language::En);
        assert!(!display.speech);
        assert_eq!(display.current_calls, 4, "default kept");
    }
}
