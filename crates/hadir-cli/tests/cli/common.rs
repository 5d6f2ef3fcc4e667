//! What every CLI test needs, once: a temp folder with a config file and a data folder, the
//! `hadir` command pointed at them, and readers for what it printed and what it stored.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// 09:30 WITA on a fixed day: the demo's 09:00-10:00 "try now" bookings are open.
pub const AT: &str = "2026-11-29T09:30:00+08:00";

/// A sample file from the core crate's `testdata/` (booking tokens, feed bodies; see its README.md).
pub fn testdata(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("hadir")
        .join("testdata")
        .join(name)
}

/// The `hadir` binary under test, ignoring any `HADIR_CONFIG` of the machine.
pub fn hadir() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hadir"));
    command.env_remove("HADIR_CONFIG");
    command
}

/// Runs `command` with `stdin` typed into it (a PIN, scans; any bytes) and waits for it to end.
pub fn output_with_stdin(mut command: Command, stdin: impl AsRef<[u8]>) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("hadir runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_ref())
        .expect("stdin written");
    child.wait_with_output().expect("hadir ends")
}

/// What the command said on standard error.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The JSON the command printed; a failure shows both streams.
pub fn stdout_json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&output.stdout),
            stderr(output)
        )
    })
}

/// An `[upstream]` section naming a gateway and its token, `extra` lines after them.
pub fn upstream_toml(url: &str, token: &str, extra: &str) -> String {
    format!("[upstream]\nurl = {url:?}\ntoken = {token:?}\n{extra}")
}

/// The SQLite file of the store in `data`, opened directly: independent of the core's code.
pub fn database_in(data: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(data.join(hadir::store::STORE_FILE_NAME)).expect("store file opens")
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

    /// `hadir --config <this> --at <at>`.
    pub fn hadir(&self, at: &str) -> Command {
        let mut command = hadir();
        command.arg("--config").arg(&self.config).args(["--at", at]);
        command
    }

    /// The kiosk's store through the core, made if missing (as the kiosk's first start does).
    pub fn store(&self) -> hadir::Store {
        hadir::Store::open_in(&self.data()).expect("store opens")
    }

    /// The kiosk's SQLite file, read directly (see [`database_in`]).
    pub fn database(&self) -> rusqlite::Connection {
        database_in(&self.data())
    }

    /// `hadir import` of a feed body (written to `feed.json` beside the config) at [`AT`].
    pub fn import(&self, feed: &str) -> Output {
        let file = self.dir.path().join("feed.json");
        std::fs::write(&file, feed).expect("feed written");
        self.hadir(AT)
            .arg("import")
            .arg(&file)
            .output()
            .expect("runs")
    }
}

/// Builds the LD_PRELOAD library of `tests/cli/<name>/shim.c` into `dir` with the C compiler
/// SQLite was built with (`CC`, else `cc`); `why` says what it simulates when it cannot.
#[cfg(target_os = "linux")]
pub fn preload_shim(name: &str, dir: &Path, why: &str) -> PathBuf {
    let source = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("cli")
        .join(name)
        .join("shim.c");
    let library = dir.join(format!("lib{name}.so"));
    let compiler = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let status = Command::new(&compiler)
        .args(["-shared", "-fPIC", "-O2", "-Wall", "-o"])
        .arg(&library)
        .arg(&source)
        .args(["-ldl", "-lpthread"])
        .status()
        .unwrap_or_else(|e| panic!("{compiler} (needed to simulate {why}): {e}"));
    assert!(status.success(), "the {name} shim compiles");
    library
}
