//! Where a supervisor's export can go on a kiosk without a file dialog: the USB sticks the
//! system mounted, each named by its label, and the kiosk's own exports folder. The system's
//! own mounts are never offered.
//!
//! [`offered_places`] decides from what it is given (the mount table, a folder lister), so the
//! rules are tested with made-up machines; [`export_folders`] hands it this machine's.

mod mounts;

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::config::Config;

pub use mounts::{parse_linux_mount_table, parse_windows_drives, Mount, MountKind};

/// At most this many places are offered.
const MAX_FOLDERS: usize = 20;

/// What kind of place a folder is, so the screen can say it in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceKind {
    /// A USB stick or memory card: safe to pull out once the export says it is done.
    Stick,
    /// A fixed drive other than the system's (Windows).
    Drive,
    /// A configured folder that is not a stick.
    Folder,
    /// The kiosk's own `<data_dir>/exports`.
    Kiosk,
}

/// A place the supervisor screen offers for an export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportFolder {
    pub path: PathBuf,
    pub kind: PlaceKind,
    /// The stick's label (`KANIM`), the drive and its label (`E: DATA`), the folder's name;
    /// `exports` for the kiosk's own folder.
    pub name: String,
}

impl ExportFolder {
    /// Whether the medium can be pulled out after the export (the files are flushed by then).
    pub fn can_be_removed(&self) -> bool {
        self.kind == PlaceKind::Stick
    }
}

/// Where USB sticks appear on this platform (the roots feed imports and exports look below).
pub fn default_import_dirs() -> Vec<PathBuf> {
    #[cfg(windows)]
    {
        // Removable drives get letters after the system disk; listing D: to Z: that exist is
        // what Explorer shows (A: and B: are floppies, C: the system).
        ('D'..='Z')
            .map(|letter| PathBuf::from(format!("{letter}:\\")))
            .filter(|root| root.exists())
            .collect()
    }
    #[cfg(not(windows))]
    {
        // udisks2 mounts under /media/<user> (Debian) or /run/media/<user> (Fedora); an
        // operator mounting by hand often uses /mnt.
        ["/media", "/run/media", "/mnt"]
            .iter()
            .map(PathBuf::from)
            .filter(|dir| dir.is_dir())
            .collect()
    }
}

/// The kiosk's own exports folder (always offered, created on first export).
pub fn own_exports_dir(config: &Config) -> PathBuf {
    config.data_dir().join("exports")
}

/// The places offered on this machine: [`offered_places`] over its mount table, the folders
/// below the USB roots (`upstream.import_dirs`, else the platform's: `/media`, `/run/media`,
/// `/mnt`; drives `D:` to `Z:` on Windows), then the kiosk's own folder.
pub fn export_folders(config: &Config) -> Vec<ExportFolder> {
    let configured = !config.upstream.import_dirs.is_empty();
    let roots = if configured {
        config.upstream.import_dirs.clone()
    } else {
        default_import_dirs()
    };
    offered_places(
        &Surroundings {
            roots: &roots,
            configured,
            mounts: mounts::read().as_deref(),
        },
        subdirs,
        own_exports_dir(config),
    )
}

/// The offered place at `dir`, if it is one (the window may only export there).
pub fn offered_export_folder(config: &Config, dir: &Path) -> Option<ExportFolder> {
    export_folders(config).into_iter().find(|f| f.path == dir)
}

/// What [`offered_places`] looks at.
#[derive(Debug, Clone, Copy)]
pub struct Surroundings<'a> {
    /// Where sticks appear: the configured folders, or the platform's.
    pub roots: &'a [PathBuf],
    /// Whether the roots come from `upstream.import_dirs`.
    pub configured: bool,
    /// The mount table; `None` where it cannot be read.
    pub mounts: Option<&'a [Mount]>,
}

/// The places an export may go to, sticks first (by name), the kiosk's own folder last:
///
/// - every mount at or below a root that is not the system's: a stick by its label (or a
///   Windows drive);
/// - folders that are not mounts, only below configured roots (or where no mount table can be
///   read): one and two levels below a root, the deepest ones (`<root>/<user>/<stick>` offers
///   `<stick>`, not the per-user folder), taken as sticks named by their folder, and a
///   configured root without such folders as a plain folder. A folder holding a mount, or lying
///   inside a mount below the root (a folder on a stick, a system mount), is not offered:
///   writing there would not put the files where the name says.
pub fn offered_places(
    around: &Surroundings<'_>,
    subdirs: impl Fn(&Path) -> Vec<PathBuf>,
    own: PathBuf,
) -> Vec<ExportFolder> {
    let mounts = around.mounts.unwrap_or_default();
    let below_a_root = |path: &Path| around.roots.iter().any(|root| path.starts_with(root));
    let mut places: Vec<ExportFolder> = mounts
        .iter()
        .filter(|m| m.kind != MountKind::System && below_a_root(&m.mount_point))
        .map(|m| ExportFolder {
            path: m.mount_point.clone(),
            kind: if m.kind == MountKind::Disk {
                PlaceKind::Drive
            } else {
                PlaceKind::Stick
            },
            name: m.label.clone(),
        })
        .collect();
    if around.configured || around.mounts.is_none() {
        places.extend(plain_folders(around, mounts, &subdirs));
    }
    places.sort_by(|a, b| {
        (a.kind == PlaceKind::Folder, &a.name).cmp(&(b.kind == PlaceKind::Folder, &b.name))
    });
    let mut seen = std::collections::HashSet::new();
    places.retain(|p| p.path != own && seen.insert(p.path.clone()));
    places.truncate(MAX_FOLDERS);
    places.push(ExportFolder {
        name: mounts::folder_name(&own),
        path: own,
        kind: PlaceKind::Kiosk,
    });
    places
}

/// Folders found by listing the roots (see [`offered_places`]).
fn plain_folders(
    around: &Surroundings<'_>,
    mounts: &[Mount],
    subdirs: &impl Fn(&Path) -> Vec<PathBuf>,
) -> Vec<ExportFolder> {
    let mut found = Vec::new();
    for root in around.roots {
        // A root that is itself a stick (Windows `E:\` configured) is offered as the mount;
        // its folders are folders on the stick.
        if mounts
            .iter()
            .any(|m| m.kind != MountKind::System && m.mount_point == *root)
        {
            continue;
        }
        // Mounts inside this root's tree: a folder in one of them, or holding one, is not a
        // place of its own. (Mounts above the root, such as `/` or a tmpfs `/tmp`, say nothing.)
        let inside: Vec<&Path> = mounts
            .iter()
            .map(|m| m.mount_point.as_path())
            .filter(|point| point.starts_with(root) && *point != root.as_path())
            .collect();
        let mut candidates = vec![(root.clone(), 0)];
        for child in subdirs(root) {
            candidates.extend(
                subdirs(&child)
                    .into_iter()
                    .map(|grandchild| (grandchild, 2)),
            );
            candidates.push((child, 1));
        }
        let all: Vec<PathBuf> = candidates.iter().map(|(path, _)| path.clone()).collect();
        for (path, depth) in candidates {
            let holds_another = all
                .iter()
                .any(|other| other != &path && other.starts_with(&path));
            let by_a_mount = inside
                .iter()
                .any(|point| path.starts_with(point) || point.starts_with(&path));
            if holds_another || by_a_mount || (depth == 0 && !around.configured) {
                continue;
            }
            found.push(ExportFolder {
                name: mounts::folder_name(&path),
                kind: if depth == 0 {
                    PlaceKind::Folder
                } else {
                    PlaceKind::Stick
                },
                path,
            });
        }
    }
    found
}

/// Subfolders of `dir`, hidden ones (`.Trash-1000`) left out; none if it cannot be read.
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

#[cfg(test)]
mod tests;
