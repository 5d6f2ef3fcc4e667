//! `user`: which OS account the doctor runs as. The folder and printer checks show that
//! account's rights, so root looking at a kiosk account's data folder learns root's rights (root
//! may write anywhere), not the kiosk's.

use std::path::{Path, PathBuf};

use super::{Advice, Check};
use crate::Config;

/// The account this process acts as (effective user), or `unknown`.
pub fn current_user() -> String {
    whoami::username().unwrap_or_else(|_| "unknown".into())
}

/// Root looking at a folder that belongs to another account: the folder (or the nearest folder
/// on its way that exists) and its owner's user id.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(not(unix), allow(dead_code))] // only Unix finds one; the tests build one everywhere
pub(crate) struct RootOverOther {
    pub folder: PathBuf,
    pub owner_uid: u32,
}

/// Who runs the doctor, and a warning when it is root over another account's data folder.
pub fn user(config: &Config) -> Check {
    judge_user(&current_user(), root_over_other(&config.data_dir()))
}

pub(crate) fn judge_user(name: &str, root_over_other: Option<RootOverOther>) -> Check {
    let Some(RootOverOther { folder, owner_uid }) = root_over_other else {
        return Check::pass("user", format!("running as {name}")).fact("name", name);
    };
    let shown = folder.display();
    Check::warn(
        "user",
        format!(
            "running as {name}, but {shown} belongs to user id {owner_uid}: the folder checks show \
             {name}'s rights, not the kiosk account's"
        ),
        Advice::text(
            "doctor_as_root",
            "doctor.doctor_as_root",
            serde_json::json!({ "uid": owner_uid.to_string() }),
        ),
    )
    .fact("name", name)
    .fact("folder_owner_uid", owner_uid)
}

/// On Unix: running as root (effective uid 0) while `dir`, or its nearest existing parent, is
/// owned by another user.
#[cfg(unix)]
fn root_over_other(dir: &Path) -> Option<RootOverOther> {
    use std::os::unix::fs::MetadataExt;
    if !rustix::process::geteuid().is_root() {
        return None;
    }
    let folder = dir.ancestors().find(|p| p.exists())?;
    let owner_uid = std::fs::metadata(folder).ok()?.uid();
    (owner_uid != 0).then(|| RootOverOther {
        folder: folder.to_owned(),
        owner_uid,
    })
}

/// Elsewhere (Windows): an administrator's rights differ from the kiosk account's too, but
/// folder ownership says little there; the `user` line names the account instead.
#[cfg(not(unix))]
fn root_over_other(_dir: &Path) -> Option<RootOverOther> {
    None
}
