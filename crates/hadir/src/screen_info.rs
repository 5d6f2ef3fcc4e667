//! What the screens need to know about this kiosk, as data: the office and its language, how
//! long each screen waits before it goes back (the idle times), the sound, the limits of what
//! can be typed (the booking code, every staff field, the survey's comment) and the build. The
//! page reads it at start (and again after a setting changed) and keeps no copy of any rule.

use serde::Serialize;

use crate::config::Config;
use crate::model::Language;
use crate::staff_mode::{staff_inputs, StaffInputs};
use crate::version::BuildInfo;

/// What the shell knows of itself, beside the config.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ShellFacts {
    /// Started with `--demo`.
    pub demo: bool,
    /// Hub mode: numbers come from the office hub.
    pub hub: bool,
    /// A build with debug assertions, where Tauri turns the web inspector on.
    pub debug_build: bool,
}

/// The `kiosk_info` answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KioskInfo {
    pub office_name: String,
    pub kiosk_id: String,
    pub language: Language,
    pub demo: bool,
    /// Idle times, in seconds: the result and refusal screens, manual entry, the survey's
    /// screens, staff mode (which also signs out; the core ends the session then too).
    pub result_reset_seconds: u32,
    pub manual_reset_seconds: u32,
    pub survey_reset_seconds: u32,
    pub staff_idle_seconds: u32,
    pub sound_volume: f32,
    pub camera: bool,
    pub retention_days: u32,
    pub hub: bool,
    /// Version, commit and schema, for the staff screen (the same as `hadir-kiosk --version`).
    pub build: BuildInfo,
    /// Where the kiosk's log files are (the staff screen shows it for IT), and whether the file
    /// is written (false: the folder could not be written, logs go to standard error only).
    pub log_folder: String,
    pub log_file_on: bool,
    /// Never true for the shipped kiosk (the installed-package test checks the release build).
    pub debug_build: bool,
    /// The longest booking code: the manual-entry keyboard takes no more characters.
    pub booking_code_max_len: usize,
    /// The longest survey comment kept: the comment keyboard stops there.
    pub comment_chars: usize,
    /// The survey's scores, lowest first: one face button each.
    pub survey_scores: Vec<u8>,
    /// What each staff field takes (lengths, the ticket pad's queue letters).
    pub staff_inputs: StaffInputs,
}

/// The screens' facts from the config in force and the shell's own.
pub fn kiosk_info(config: &Config, shell: ShellFacts) -> KioskInfo {
    KioskInfo {
        office_name: config.office.name.clone(),
        kiosk_id: config.kiosk.id.clone(),
        language: config.kiosk.language,
        demo: shell.demo,
        result_reset_seconds: config.screens.result_reset_seconds,
        manual_reset_seconds: config.screens.manual_reset_seconds,
        survey_reset_seconds: config.survey.reset_seconds,
        staff_idle_seconds: config.staff.idle_logout_seconds,
        sound_volume: config.screens.sound_volume,
        camera: config.camera,
        retention_days: config.privacy.retention_days,
        hub: shell.hub,
        build: crate::version::build_info(),
        log_folder: config.log_dir().display().to_string(),
        log_file_on: crate::log_files::folder().is_some(),
        debug_build: shell.debug_build,
        booking_code_max_len: *crate::model::BOOKING_CODE_LEN.end(),
        comment_chars: crate::ratings::MAX_COMMENT_CHARS,
        survey_scores: (crate::survey::MIN_SCORE..=crate::survey::MAX_SCORE).collect(),
        staff_inputs: staff_inputs(config),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_screens_get_the_cores_limits_and_the_configs_idle_times() {
        let mut config = Config::default();
        config.staff.idle_logout_seconds = 45;
        config.survey.reset_seconds = 25;
        let info = kiosk_info(&config, ShellFacts::default());
        assert_eq!(info.staff_idle_seconds, 45);
        assert_eq!(info.survey_reset_seconds, 25);
        assert_eq!(info.comment_chars, crate::ratings::MAX_COMMENT_CHARS);
        assert_eq!(
            info.survey_scores,
            [1, 2, 3, 4],
            "one face per score the core accepts"
        );
        assert_eq!(
            info.staff_inputs.pin_max,
            *crate::staff::PIN_DIGITS.end(),
            "the PIN pad stops where the rule does"
        );
        let json = serde_json::to_value(&info).expect("json");
        for key in [
            "comment_chars",
            "survey_scores",
            "staff_idle_seconds",
            "booking_code_max_len",
        ] {
            assert!(json.get(key).is_some(), "{key} reaches the page");
        }
    }
}
