//! `[logs]`: how much of the kiosk's and the CLI's log files stays on disk. The files live in
//! `Config::log_dir()` (`<data_dir>/logs`); what goes in them is set by `RUST_LOG`.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogsConfig {
    /// A log file is closed and a new one begun when it passes this many megabytes (and when
    /// a new day starts).
    pub max_file_mb: u32,
    /// Closed log files kept per program (kiosk, CLI); older ones are deleted. With the
    /// defaults a program's logs take at most (14 + 1) x 10 MB.
    pub keep_files: u32,
}

impl Default for LogsConfig {
    fn default() -> Self {
        LogsConfig {
            max_file_mb: 10,
            keep_files: 14,
        }
    }
}

impl LogsConfig {
    /// The size cap in bytes.
    pub fn max_file_bytes(&self) -> u64 {
        u64::from(self.max_file_mb) * 1024 * 1024
    }
}

/// Checks the values serde cannot, as `Config::validate` does.
pub(super) fn validate(logs: &LogsConfig) -> std::result::Result<(), (&'static str, String)> {
    if !(1..=1024).contains(&logs.max_file_mb) {
        return Err(("logs.max_file_mb", "must be 1 to 1024".into()));
    }
    if !(1..=1000).contains(&logs.keep_files) {
        return Err(("logs.keep_files", "must be 1 to 1000".into()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use std::path::Path;

    #[test]
    fn defaults_keep_two_weeks_of_ten_megabyte_files() {
        let config = Config::parse("", Path::new("hadir.toml")).expect("defaults");
        assert_eq!(config.logs.max_file_mb, 10);
        assert_eq!(config.logs.keep_files, 14);
        assert_eq!(config.logs.max_file_bytes(), 10 * 1024 * 1024);
    }

    #[test]
    fn out_of_range_values_name_key_and_line() {
        let err = Config::parse("[logs]\nmax_file_mb = 0\n", Path::new("hadir.toml"))
            .expect_err("no file can be 0 MB");
        assert!(
            err.to_string().contains("line 2, key `logs.max_file_mb`"),
            "{err}"
        );
        let err = Config::parse("[logs]\n\nkeep_files = 0\n", Path::new("hadir.toml"))
            .expect_err("keeping none would delete the file just closed");
        assert!(
            err.to_string().contains("line 3, key `logs.keep_files`"),
            "{err}"
        );
        let err = Config::parse("[logs]\nkeep_days = 3\n", Path::new("hadir.toml"))
            .expect_err("unknown key");
        assert!(err.to_string().contains("keep_days"), "{err}");
    }
}
