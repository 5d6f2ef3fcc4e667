//! What the kiosk shows when it cannot start (a broken configuration, a store it must not open):
//! one structured account of the problem for staff and IT, Bahasa Indonesia first. The window
//! shell only puts it on screen and in the log; which file, line and key, what to do and when
//! the screen ends are decided here.
//!
//! A config error keeps the screen up until the file is saved again (then the process ends with
//! [`EXIT_STATUS`] and the kiosk session starts the kiosk again on the new file), so a broken file
//! is never flashed on and off by the session's restart loop. Other start errors end after
//! [`RETRY_AFTER_SECONDS`], so the session tries again (a disk that comes back, a lock released).

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{ConfigFaultKind, Error};
use crate::model::Language;
use crate::texts::{both, text, BothLanguages};

/// Exit status of a kiosk that could not start (config or store), as docs/configuration.md
/// lists it; the error screen keeps it for scripts.
pub const EXIT_STATUS: u8 = 2;

/// How long the screen of a start error that is not the config file's stays up before the
/// process ends: the session script's back-off starts over after a run of a minute or more.
pub const RETRY_AFTER_SECONDS: u32 = 60;

/// When the error screen ends (and the process exits with [`EXIT_STATUS`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "when", rename_all = "snake_case")]
pub enum ScreenEnds {
    /// When one of these files changes (is saved, appears or goes), or the window is closed.
    FileChanges { files: Vec<PathBuf> },
    /// After this many seconds, or when the window is closed.
    After { seconds: u32 },
}

/// Everything the error screen and the log say about a kiosk that did not start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StartProblem {
    /// The error's stable code, e.g. `config_invalid`.
    pub code: &'static str,
    /// The configuration file at fault, when it is the configuration.
    pub file: Option<String>,
    /// Its line (1-based), when the file has one for the problem.
    pub line: Option<usize>,
    /// The key (`checkin.early_minutes`, or `[keys]`), when one is involved.
    pub key: Option<String>,
    /// What is wrong, in words for IT.
    pub message: BothLanguages,
    /// The error as the parser or the store said it (English; the line logs have always shown).
    pub detail: String,
    /// What to do about it.
    pub next_step: BothLanguages,
    /// When the screen ends, in words.
    pub ends_text: BothLanguages,
    pub ends: ScreenEnds,
}

impl StartProblem {
    /// The account of `error`, an error of the kiosk's start (loading the configuration, taking
    /// the data folder, opening the store).
    pub fn from_error(error: &Error) -> StartProblem {
        let detail = error.to_string();
        let (file, line, key, kind) = match error {
            Error::ConfigInvalid { path, fault } => (
                Some(path.clone()),
                fault.line,
                fault.key.clone(),
                Some(fault.kind),
            ),
            Error::ConfigUnreadable { path, .. } => (Some(path.clone()), None, None, None),
            _ => (None, None, None, None),
        };
        let params = serde_json::json!({
            "file": file.clone().unwrap_or_default(),
            "line": line.map(|line| line.to_string()).unwrap_or_default(),
            "key": key.clone().unwrap_or_default(),
            "seconds": RETRY_AFTER_SECONDS.to_string(),
        });
        let both = |key: &str| both(key, &params);
        let message = match (error, kind) {
            (_, Some(ConfigFaultKind::Syntax)) => both("start_problem.config.syntax"),
            (_, Some(ConfigFaultKind::UnknownKey)) => both("start_problem.config.unknown_key"),
            (_, Some(ConfigFaultKind::WrongType)) => both("start_problem.config.wrong_type"),
            (_, Some(ConfigFaultKind::BadValue)) => both("start_problem.config.bad_value"),
            (Error::ConfigUnreadable { .. }, None) => both("start_problem.config.unreadable"),
            _ => {
                let title = error.title();
                let other = |lang| {
                    let params = serde_json::json!({ "title": title.get(lang) });
                    text(lang, "start_problem.other", &params)
                };
                BothLanguages {
                    id: other(Language::Id),
                    en: other(Language::En),
                }
            }
        };
        let next_step = match error {
            Error::ConfigInvalid { .. } if line.is_some() => both("start_problem.next.line"),
            Error::ConfigInvalid { .. } if key.is_some() => both("start_problem.next.key"),
            Error::ConfigInvalid { .. } => both("start_problem.next.fix_file"),
            Error::ConfigUnreadable { .. } => both("start_problem.next.unreadable"),
            Error::StoreTooNew { .. } | Error::StoreDamagedNoBackup { .. } => error.next_step(),
            _ => both("start_problem.next.other"),
        };
        let (ends, ends_text) = match &file {
            Some(file) => (
                ScreenEnds::FileChanges {
                    files: vec![PathBuf::from(file)],
                },
                both("start_problem.ends.file_changes"),
            ),
            None => (
                ScreenEnds::After {
                    seconds: RETRY_AFTER_SECONDS,
                },
                both("start_problem.ends.after"),
            ),
        };
        StartProblem {
            code: error.code(),
            file,
            line,
            key,
            message,
            detail,
            next_step,
            ends_text,
            ends,
        }
    }

    /// The lines standard error and the log file get: the same words the screen shows.
    pub fn log_lines(&self) -> Vec<String> {
        let mut lines = vec![format!(
            "the kiosk did not start: {} [{}]",
            self.detail, self.code
        )];
        for text in [&self.message, &self.next_step, &self.ends_text] {
            lines.push(text.id.clone());
            lines.push(text.en.clone());
        }
        lines
    }
}

/// The contents of some files as they were, to tell when one is saved again, created or
/// removed. Contents, not times: an editor that saves within the same second still counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileWatch {
    seen: Vec<(PathBuf, Option<Vec<u8>>)>,
}

impl FileWatch {
    /// Remembers the files as they are now (a missing or unreadable file as absent).
    pub fn new(files: &[PathBuf]) -> FileWatch {
        FileWatch {
            seen: files
                .iter()
                .map(|path| (path.clone(), contents(path)))
                .collect(),
        }
    }

    /// Whether any file differs from what [`FileWatch::new`] saw.
    pub fn changed(&self) -> bool {
        self.seen
            .iter()
            .any(|(path, before)| contents(path) != *before)
    }
}

fn contents(path: &Path) -> Option<Vec<u8>> {
    std::fs::read(path).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem_of(text: &str) -> StartProblem {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("hadir.toml");
        std::fs::write(&path, text).expect("write");
        let error = crate::Config::load(Some(&path)).expect_err("a broken file");
        StartProblem::from_error(&error)
    }

    #[test]
    fn a_wrong_type_names_file_line_and_key_in_both_languages() {
        let problem = problem_of("[office]\nid = \"X\"\n\n[checkin]\nearly_minutes = \"sixty\"\n");
        assert_eq!(problem.code, "config_invalid");
        assert!(problem
            .file
            .as_deref()
            .is_some_and(|f| f.ends_with("hadir.toml")));
        assert_eq!(problem.line, Some(5));
        assert_eq!(problem.key.as_deref(), Some("checkin.early_minutes"));
        assert!(
            problem.message.id.contains("checkin.early_minutes")
                && problem.message.en.contains("checkin.early_minutes"),
            "{:?}",
            problem.message
        );
        assert_ne!(problem.message.id, problem.message.en, "two languages");
        assert!(
            problem.next_step.id.contains("5") && problem.next_step.en.contains("line 5"),
            "the next step points at the line: {:?}",
            problem.next_step
        );
        assert!(problem.detail.contains("line 5"), "{}", problem.detail);
    }

    #[test]
    fn each_kind_of_config_mistake_has_its_own_sentence() {
        let messages: Vec<String> = [
            "[office]\nid = \"KANIM\n",
            "[kiosk]\nlangauge = \"id\"\n",
            "[checkin]\nlate_minutes = \"x\"\n",
            "[checkin]\nlate_minutes = 900\n",
        ]
        .iter()
        .map(|text| problem_of(text).message.en)
        .collect();
        let mut distinct = messages.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), 4, "{messages:?}");
        for message in &messages {
            assert!(
                !message.contains('{'),
                "every placeholder filled: {message}"
            );
        }
    }

    #[test]
    fn a_config_problem_stays_up_until_its_file_changes() {
        let problem = problem_of("[kiosk]\nlangauge = \"id\"\n");
        let ScreenEnds::FileChanges { files } = &problem.ends else {
            panic!("a config problem waits for the file: {:?}", problem.ends);
        };
        assert_eq!(files.len(), 1);
        assert!(files[0].ends_with("hadir.toml"));
    }

    #[test]
    fn a_missing_named_file_is_unreadable_and_waits_for_it_to_appear() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("missing.toml");
        let error = crate::Config::load(Some(&path)).expect_err("missing");
        let problem = StartProblem::from_error(&error);
        assert_eq!(problem.code, "config_unreadable");
        assert_eq!(problem.line, None);
        assert!(problem.next_step.en.contains("missing.toml"), "{problem:?}");
        let watch = FileWatch::new(std::slice::from_ref(&path));
        assert!(!watch.changed());
        std::fs::write(&path, "").expect("write");
        assert!(watch.changed(), "a file that appears is a change");
    }

    #[test]
    fn a_store_problem_ends_after_a_minute_with_the_errors_own_next_step() {
        let error = Error::StoreTooNew {
            path: "/data/hadir.sqlite3".into(),
            found: 99,
            known: 7,
        };
        let problem = StartProblem::from_error(&error);
        assert_eq!(problem.code, "store_too_new");
        assert_eq!(problem.file, None);
        assert_eq!(
            problem.ends,
            ScreenEnds::After {
                seconds: RETRY_AFTER_SECONDS
            }
        );
        assert_eq!(problem.next_step.en, error.next_step().en);
        assert!(
            problem.ends_text.en.contains("60"),
            "{:?}",
            problem.ends_text
        );
    }

    #[test]
    fn the_log_says_what_the_screen_says() {
        let problem = problem_of("[checkin]\nlate_minutes = 900\n");
        let lines = problem.log_lines();
        assert!(lines[0].contains("[config_invalid]") && lines[0].contains("line 2"));
        for text in [&problem.message, &problem.next_step, &problem.ends_text] {
            assert!(lines.contains(&text.id) && lines.contains(&text.en));
        }
    }

    #[test]
    fn every_problem_has_all_its_texts_in_both_languages() {
        let dir = tempfile::tempdir().expect("temp dir");
        let problems = [
            problem_of("[office]\nid = \"KANIM\n"),
            problem_of("[printer]\nsink = \"escpos_tcp\"\n"),
            StartProblem::from_error(
                &crate::Config::load(Some(&dir.path().join("missing.toml"))).expect_err("missing"),
            ),
            StartProblem::from_error(&Error::io(
                "cannot create data directory /data",
                std::io::Error::from(std::io::ErrorKind::PermissionDenied),
            )),
        ];
        for problem in &problems {
            for text in [&problem.message, &problem.next_step, &problem.ends_text] {
                for words in [&text.id, &text.en] {
                    assert!(
                        !words.is_empty() && !words.contains('{'),
                        "{}: {text:?}",
                        problem.code
                    );
                }
            }
        }
        assert!(
            problems[1].next_step.en.contains("printer.address"),
            "a key the file leaves at its default is named: {:?}",
            problems[1].next_step
        );
    }

    #[test]
    fn a_file_saved_again_with_new_contents_is_a_change() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("hadir.toml");
        std::fs::write(&path, "[kiosk]\n").expect("write");
        let watch = FileWatch::new(std::slice::from_ref(&path));
        std::fs::write(&path, "[kiosk]\n").expect("same bytes");
        assert!(!watch.changed(), "the same contents are no change");
        std::fs::write(&path, "[kiosk]\nid = \"K2\"\n").expect("write");
        assert!(watch.changed());
    }
}
