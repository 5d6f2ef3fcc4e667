//! Which Hadir this is: its version, the commit it was built from and the database schema it
//! writes. One place, so `hadir --version`, `hadir-kiosk --version`, `hadir doctor` and the
//! staff screen say the same thing.

use std::sync::OnceLock;

use serde::Serialize;

/// The program's identity, as shown to IT and staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BuildInfo {
    /// The crate version, e.g. `0.1.0`.
    pub version: &'static str,
    /// Short git commit id of the sources (`build.rs`; `HADIR_BUILD_COMMIT` overrides), or
    /// `unknown` for a build outside a git checkout.
    pub commit: &'static str,
    /// The store schema version this program writes ([`crate::store::SCHEMA_VERSION`]).
    pub schema_version: i64,
}

/// This build's identity.
pub fn build_info() -> BuildInfo {
    BuildInfo {
        version: env!("CARGO_PKG_VERSION"),
        commit: env!("HADIR_BUILD_COMMIT"),
        schema_version: crate::store::SCHEMA_VERSION,
    }
}

/// `0.1.0 (commit 1a2b3c4, schema 9)`: the text after the program name in `--version`.
pub fn version_line() -> &'static str {
    static LINE: OnceLock<String> = OnceLock::new();
    LINE.get_or_init(|| {
        let info = build_info();
        format!(
            "{} (commit {}, schema {})",
            info.version, info.commit, info.schema_version
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_line_names_version_commit_and_schema() {
        let info = build_info();
        assert_eq!(info.version, env!("CARGO_PKG_VERSION"));
        assert!(!info.commit.is_empty(), "build.rs always sets a commit");
        assert!(info.schema_version >= 1);
        let line = version_line();
        assert!(line.starts_with(info.version), "{line}");
        assert!(line.contains(&format!("commit {}", info.commit)), "{line}");
        assert!(
            line.contains(&format!("schema {}", crate::store::SCHEMA_VERSION)),
            "{line}"
        );
    }

    /// Built in a git checkout (the test suite's case, unless a packager set
    /// `HADIR_BUILD_COMMIT`), the commit is one of the checkout's: HEAD at build time, so HEAD
    /// or an ancestor of it once others have committed since.
    #[test]
    fn a_commit_from_git_is_one_of_the_checkouts() {
        if env!("HADIR_BUILD_COMMIT_SOURCE") != "git" {
            return;
        }
        let commit = build_info().commit;
        assert_ne!(commit, "unknown");
        let ancestor = std::process::Command::new("git")
            .args(["merge-base", "--is-ancestor", commit, "HEAD"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .expect("git ran in build.rs, so it runs here");
        assert!(
            ancestor.success(),
            "{commit} is not HEAD or an ancestor of it: build.rs read the wrong repository"
        );
    }
}
