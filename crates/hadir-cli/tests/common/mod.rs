//! What every CLI test needs: a temp folder with a config file and a data folder, and the
//! `hadir` command pointed at them.

// Each test file compiles its own copy of this module and uses only part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// A sample file from the core crate's `testdata/` (booking tokens, feed bodies; see its README.md).
pub fn testdata(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("hadir")
        .join("testdata")
        .join(name)
}

/// A kiosk's files in a temp dir: `hadir.toml` (with `[kiosk] data_dir`) and `data/`.
pub struct TempKiosk {
    pub dir: tempfile::TempDir,
    pub config: PathBuf,
}

impl TempKiosk {
    /// `kiosk_toml` goes inside `[kiosk]` after `data_dir`; `extra_toml` after it (more sections).
    pub fn new(kiosk_toml: &str, extra_toml: &str) -> TempKiosk {
        let dir = tempfile::tempdir().expect("temp dir");
        let config = dir.path().join("hadir.toml");
        std::fs::write(
            &config,
            format!(
                "[kiosk]\ndata_dir = {:?}\n{kiosk_toml}\n{extra_toml}",
                dir.path().join("data").display().to_string()
            ),
        )
        .expect("write config");
        TempKiosk { dir, config }
    }

    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// `hadir --config <this> --at <at>`, ignoring any `HADIR_CONFIG` of the machine.
    pub fn hadir(&self, at: &str) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_hadir"));
        command
            .arg("--config")
            .arg(&self.config)
            .args(["--at", at])
            .env_remove("HADIR_CONFIG");
        command
    }
}
