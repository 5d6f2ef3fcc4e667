//! `data_dir`, `disk` and `logs`: the folders the kiosk writes to and the space it has.

use std::path::{Path, PathBuf};

use super::{Advice, Check};
use crate::Config;

/// What a folder the kiosk must write to looks like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Folder {
    /// There, and a file could be created in it (and removed again).
    Writable,
    /// Not there; `creatable` when its nearest existing parent is writable (the kiosk creates
    /// it at start).
    Missing { creatable: bool },
    /// Something else is at that path (a file).
    IsAFile,
    /// There, but nothing can be written in it: why.
    ReadOnly(String),
}

/// Looks at `path`, writing (and removing) one small probe file when it exists.
pub(crate) fn folder(path: &Path) -> Folder {
    match std::fs::metadata(path) {
        Ok(meta) if !meta.is_dir() => Folder::IsAFile,
        Ok(_) => match writable(path) {
            Ok(()) => Folder::Writable,
            Err(why) => Folder::ReadOnly(why),
        },
        Err(_) => Folder::Missing {
            creatable: nearest_existing(path).is_some_and(|parent| writable(&parent).is_ok()),
        },
    }
}

/// Whether a file can be made in `dir`: a real try, after (Unix) the permission bits.
fn writable(dir: &Path) -> Result<(), String> {
    refused_by_mode(dir)?;
    let probe = dir.join(format!(".hadir-doctor-{}", std::process::id()));
    std::fs::write(&probe, b"hadir doctor write test\n").map_err(|e| e.to_string())?;
    std::fs::remove_file(&probe).map_err(|e| format!("test file not removed: {e}"))
}

/// Unix: a folder nobody may write to (no `w` bit at all) fails even for root, who would write
/// into it anyway while the kiosk's user could not.
#[cfg(unix)]
fn refused_by_mode(dir: &Path) -> Result<(), String> {
    let meta = std::fs::metadata(dir).map_err(|e| e.to_string())?;
    if meta.permissions().readonly() {
        return Err("its permissions make it read-only".into());
    }
    Ok(())
}

/// Windows: the read-only attribute means nothing for a folder (Explorer sets it on many that
/// are writable), so only the real write test counts.
#[cfg(not(unix))]
fn refused_by_mode(_dir: &Path) -> Result<(), String> {
    Ok(())
}

/// `path` itself or its closest ancestor that exists (a relative path ends in the current
/// folder).
fn nearest_existing(path: &Path) -> Option<PathBuf> {
    path.ancestors()
        .map(|p| {
            if p.as_os_str().is_empty() {
                Path::new(".")
            } else {
                p
            }
        })
        .find(|p| p.exists())
        .map(Path::to_owned)
}

fn folder_advice(code: &'static str, path: &Path) -> Advice {
    Advice::text(
        code,
        "doctor.data_dir",
        serde_json::json!({ "folder": path.display().to_string() }),
    )
}

/// The data folder: there (or creatable) and writable.
pub fn data_dir(config: &Config) -> Check {
    let path = config.data_dir();
    let shown = path.display().to_string();
    let check = match folder(&path) {
        Folder::Writable => Check::pass("data_dir", format!("{shown} is writable")),
        Folder::Missing { creatable: true } => Check::pass(
            "data_dir",
            format!("{shown} does not exist yet; the kiosk creates it at start"),
        ),
        Folder::Missing { creatable: false } => Check::fail(
            "data_dir",
            format!("{shown} does not exist and cannot be created"),
            folder_advice("data_dir_not_writable", &path),
        ),
        Folder::IsAFile => Check::fail(
            "data_dir",
            format!("{shown} is a file, not a folder"),
            folder_advice("data_dir_not_a_folder", &path),
        ),
        Folder::ReadOnly(why) => Check::fail(
            "data_dir",
            format!("{shown} is not writable: {why}"),
            folder_advice("data_dir_not_writable", &path),
        ),
    };
    check.fact("path", shown)
}

/// Free space on the data folder's disk against `doctor.min_free_disk_mb`.
pub fn disk(config: &Config) -> Check {
    let path = config.data_dir();
    let Some(measured_at) = nearest_existing(&path) else {
        return Check::warn(
            "disk",
            format!("no existing folder on the way to {}", path.display()),
            folder_advice("disk_unknown", &path),
        );
    };
    match fs4::available_space(&measured_at) {
        Ok(free) => judge_disk(free, config.doctor.min_free_disk_mb)
            .fact("path", measured_at.display().to_string()),
        Err(e) => Check::warn(
            "disk",
            format!("free space of {} unknown: {e}", measured_at.display()),
            Advice::fixed("disk_unknown", "doctor.disk_unknown"),
        ),
    }
}

/// `free_bytes` against the minimum in megabytes (10^6 bytes, as disk makers count).
pub(crate) fn judge_disk(free_bytes: u64, min_free_mb: u64) -> Check {
    let free_mb = free_bytes / 1_000_000;
    let check = if free_mb >= min_free_mb {
        Check::pass(
            "disk",
            format!("{free_mb} MB free (at least {min_free_mb} MB needed)"),
        )
    } else {
        Check::fail(
            "disk",
            format!("only {free_mb} MB free, less than doctor.min_free_disk_mb = {min_free_mb} MB"),
            Advice::fixed("disk_low", "doctor.disk_low"),
        )
    };
    check
        .fact("free_bytes", free_bytes)
        .fact("min_free_mb", min_free_mb)
}

/// The log folder (`<data_dir>/logs`): there and writable, with what it holds.
pub fn logs(config: &Config) -> Check {
    let path = config.log_dir();
    let shown = path.display().to_string();
    let advice = |code| {
        Advice::text(
            code,
            "doctor.logs_not_writable",
            serde_json::json!({ "folder": shown }),
        )
    };
    let check = match folder(&path) {
        Folder::Writable => {
            let contents = LogContents::read(&path);
            let newest = contents
                .newest
                .as_ref()
                .map(|(name, _)| format!(", newest {name}"))
                .unwrap_or_default();
            let check = Check::pass(
                "logs",
                format!(
                    "{shown}: {} file(s), {} KB{newest}",
                    contents.files,
                    contents.bytes.div_ceil(1000)
                ),
            )
            .fact("files", contents.files)
            .fact("bytes", contents.bytes);
            match contents.newest {
                Some((name, modified)) => check
                    .fact("newest", name)
                    .fact("newest_modified", modified.to_string()),
                None => check,
            }
        }
        Folder::Missing { creatable: true } => Check::warn(
            "logs",
            format!("{shown} does not exist yet"),
            Advice::fixed("logs_missing", "doctor.logs_missing"),
        ),
        Folder::Missing { creatable: false } => Check::fail(
            "logs",
            format!("{shown} does not exist and cannot be created"),
            advice("logs_not_writable"),
        ),
        Folder::IsAFile => Check::fail(
            "logs",
            format!("{shown} is a file, not a folder"),
            advice("logs_not_writable"),
        ),
        Folder::ReadOnly(why) => Check::fail(
            "logs",
            format!("{shown} is not writable: {why}"),
            advice("logs_not_writable"),
        ),
    };
    check.fact("path", shown)
}

/// What a log folder holds (files directly inside it).
struct LogContents {
    files: u64,
    bytes: u64,
    /// File name and modification time of the most recently written file.
    newest: Option<(String, jiff::Timestamp)>,
}

impl LogContents {
    fn read(dir: &Path) -> LogContents {
        let mut contents = LogContents {
            files: 0,
            bytes: 0,
            newest: None,
        };
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let Ok(meta) = entry.metadata() else { continue };
            if !meta.is_file() {
                continue;
            }
            contents.files += 1;
            contents.bytes += meta.len();
            let modified = meta
                .modified()
                .ok()
                .and_then(|m| jiff::Timestamp::try_from(m).ok());
            if let Some(modified) = modified {
                if contents
                    .newest
                    .as_ref()
                    .is_none_or(|(_, at)| modified > *at)
                {
                    let name = entry.file_name().to_string_lossy().into_owned();
                    contents.newest = Some((name, modified));
                }
            }
        }
        contents
    }
}
