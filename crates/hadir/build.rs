//! Records the commit this build comes from as `HADIR_BUILD_COMMIT`, for `hadir --version`,
//! `hadir doctor` and the staff screen (`hadir::version`).
//!
//! Order: the `HADIR_BUILD_COMMIT` environment variable (a packager building from a tarball sets
//! it), else `git rev-parse --short HEAD` when the sources are a git checkout, else `unknown`.
//! Cargo is told to run this again when HEAD or the branch it points to moves, so an
//! incremental build after a commit does not keep showing the old one.

use std::path::{Path, PathBuf};
use std::process::Command;

const OVERRIDE: &str = "HADIR_BUILD_COMMIT";

fn main() {
    println!("cargo:rerun-if-env-changed={OVERRIDE}");
    println!("cargo:rerun-if-changed=build.rs");
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let (commit, source) = match std::env::var(OVERRIDE) {
        Ok(value) if !value.trim().is_empty() => (value.trim().to_owned(), "env"),
        _ => match from_git(&manifest_dir) {
            Some(commit) => (commit, "git"),
            None => ("unknown".to_owned(), "none"),
        },
    };
    println!("cargo:rustc-env={OVERRIDE}={commit}");
    // Where the commit came from, for the core's own test of this script.
    println!("cargo:rustc-env=HADIR_BUILD_COMMIT_SOURCE={source}");
}

/// The short commit id, watching the files that change when it does.
fn from_git(dir: &Path) -> Option<String> {
    let commit = git(dir, &["rev-parse", "--short", "HEAD"])?;
    // HEAD itself (a checkout of another branch) and the ref it names (a new commit on it);
    // packed-refs for a ref that `git gc` packed. `--git-path` resolves worktrees too.
    let mut watched = vec!["HEAD".to_owned(), "packed-refs".to_owned()];
    if let Some(branch) = git(dir, &["symbolic-ref", "-q", "HEAD"]) {
        watched.push(branch);
    }
    for name in watched {
        if let Some(path) = git(dir, &["rev-parse", "--git-path", &name]) {
            let path = dir.join(path);
            if path.exists() {
                println!("cargo:rerun-if-changed={}", path.display());
            }
        }
    }
    Some(commit)
}

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    let text = String::from_utf8(output.stdout).ok()?.trim().to_owned();
    (output.status.success() && !text.is_empty()).then_some(text)
}
