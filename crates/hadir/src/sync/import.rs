//! Finding feed files to import on a USB stick, for the staff screen (no file dialog on a kiosk).

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::config::Config;
use crate::folders::default_import_dirs;

/// Files larger than the network cap are not offered: they would be refused anyway.
const MAX_IMPORT_BYTES: u64 = super::MAX_BODY_BYTES as u64;
/// How deep below a mount folder to look (`/media/<user>/<stick>/file.json` is three levels).
const MAX_DEPTH: usize = 3;
/// At most this many files are offered, newest first.
const MAX_CANDIDATES: usize = 20;

/// A file the staff screen offers to import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportCandidate {
    pub path: PathBuf,
    pub name: String,
    pub bytes: u64,
}

/// `.json` files under the configured import folders (or the platform's), newest first.
pub fn import_candidates(config: &Config) -> Vec<ImportCandidate> {
    let dirs = if config.upstream.import_dirs.is_empty() {
        default_import_dirs()
    } else {
        config.upstream.import_dirs.clone()
    };
    let mut found = Vec::new();
    for dir in &dirs {
        walk(dir, 0, &mut found);
    }
    found.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.path.cmp(&b.0.path)));
    found
        .into_iter()
        .map(|(candidate, _)| candidate)
        .take(MAX_CANDIDATES)
        .collect()
}

fn walk(dir: &Path, depth: usize, found: &mut Vec<(ImportCandidate, std::time::SystemTime)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return; // an unreadable folder (permissions, a stick pulled out) offers nothing
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(meta) = entry.metadata() else { continue };
        if meta.is_dir() {
            if depth < MAX_DEPTH {
                walk(&path, depth + 1, found);
            }
            continue;
        }
        let is_json = path
            .extension()
            .is_some_and(|ext| ext.eq_ignore_ascii_case("json"));
        if is_json && meta.len() <= MAX_IMPORT_BYTES {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let modified = meta.modified().unwrap_or(std::time::UNIX_EPOCH);
            found.push((
                ImportCandidate {
                    path,
                    name,
                    bytes: meta.len(),
                },
                modified,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_json_files_below_the_configured_folders_only() {
        let dir = tempfile::tempdir().expect("dir");
        let stick = dir.path().join("user").join("STICK");
        std::fs::create_dir_all(&stick).expect("dirs");
        std::fs::write(stick.join("janji-2026-11-29.JSON"), b"{}").expect("file");
        std::fs::write(stick.join("notes.txt"), b"x").expect("file");
        let too_deep = stick.join("a").join("b").join("c");
        std::fs::create_dir_all(&too_deep).expect("dirs");
        std::fs::write(too_deep.join("deep.json"), b"{}").expect("file");
        let mut config = Config::default();
        config.upstream.import_dirs = vec![dir.path().to_owned()];
        let names: Vec<String> = import_candidates(&config)
            .into_iter()
            .map(|c| c.name)
            .collect();
        assert_eq!(names, ["janji-2026-11-29.JSON"]);
    }

    #[test]
    fn a_missing_folder_offers_nothing() {
        let mut config = Config::default();
        config.upstream.import_dirs = vec![PathBuf::from("no/such/folder/here")];
        assert!(import_candidates(&config).is_empty());
    }
}
