//! Where a supervisor's export can go on a kiosk without a file dialog: folders on the USB
//! sticks the system mounted, and the kiosk's own `exports` folder when no stick is in.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::config::Config;
use crate::sync::default_import_dirs;

/// At most this many folders are offered.
const MAX_FOLDERS: usize = 20;

/// A folder the supervisor screen offers for an export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportFolder {
    pub path: PathBuf,
    /// What the button shows: the folder's own name (a stick's label, usually).
    pub name: String,
}

/// The kiosk's own exports folder (always offered, created on first export).
pub fn own_exports_dir(config: &Config) -> PathBuf {
    config.data_dir().join("exports")
}

/// Mounted sticks below the USB roots (the configured `upstream.import_dirs`, else the
/// platform's: `/media/<user>/<stick>`, `/run/media/...`, `/mnt/...`, or drive letters on
/// Windows), then the kiosk's own folder. Only folders that exist are offered.
pub fn export_folders(config: &Config) -> Vec<ExportFolder> {
    let roots = if config.upstream.import_dirs.is_empty() {
        default_import_dirs()
    } else {
        config.upstream.import_dirs.clone()
    };
    let mut found = Vec::new();
    for root in &roots {
        // On Linux a stick is one or two levels below the root (`/mnt/x`, `/media/user/x`); a
        // Windows drive letter is the stick itself.
        found.push(root.clone());
        for child in subdirs(root) {
            found.extend(subdirs(&child));
            found.push(child);
        }
    }
    found.sort();
    found.dedup();
    let mut folders: Vec<ExportFolder> = found
        .into_iter()
        .filter(|dir| {
            !roots.contains(dir) || cfg!(windows) || !config.upstream.import_dirs.is_empty()
        })
        .take(MAX_FOLDERS)
        .map(|path| ExportFolder {
            name: display_name(&path),
            path,
        })
        .collect();
    let own = own_exports_dir(config);
    folders.push(ExportFolder {
        name: display_name(&own),
        path: own,
    });
    folders
}

/// Whether `dir` is one of the offered folders (the window may only export there).
pub fn is_offered_export_folder(config: &Config, dir: &Path) -> bool {
    export_folders(config).iter().any(|f| f.path == dir)
}

fn subdirs(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut dirs: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .filter(|p| {
            !p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    dirs.sort();
    dirs
}

fn display_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sticks_below_the_usb_roots_and_the_own_folder_are_offered() {
        let usb = tempfile::tempdir().expect("temp");
        let data = tempfile::tempdir().expect("temp");
        std::fs::create_dir_all(usb.path().join("kiosk").join("STICK")).expect("mkdir");
        std::fs::create_dir_all(usb.path().join(".hidden")).expect("mkdir");
        let mut config = Config::default();
        config.upstream.import_dirs = vec![usb.path().to_owned()];
        config.kiosk.data_dir = Some(data.path().to_owned());
        let offered: Vec<PathBuf> = export_folders(&config)
            .into_iter()
            .map(|f| f.path)
            .collect();
        assert!(
            offered.contains(&usb.path().join("kiosk").join("STICK")),
            "{offered:?}"
        );
        assert!(
            offered.contains(&usb.path().to_owned()),
            "a configured root is a folder too"
        );
        assert!(!offered.iter().any(|p| p.ends_with(".hidden")));
        assert_eq!(offered.last(), Some(&data.path().join("exports")));
        assert!(is_offered_export_folder(
            &config,
            &data.path().join("exports")
        ));
        assert!(
            !is_offered_export_folder(&config, Path::new("/etc")),
            "only offered folders"
        );
    }
}
