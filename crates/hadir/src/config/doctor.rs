//! `[doctor]`: the limits `hadir doctor` judges a kiosk by.

use serde::{Deserialize, Serialize};

/// Thresholds of `hadir doctor` (see docs/operator-guide.md, "hadir doctor").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DoctorConfig {
    /// Largest difference between this kiosk's clock and the gateway's (or the hub's) that
    /// passes. A kiosk clock that is off opens and closes check-in at the wrong times.
    pub max_clock_skew_seconds: u32,
    /// Least free space on the data folder's disk that passes, in megabytes.
    pub min_free_disk_mb: u64,
}

impl Default for DoctorConfig {
    fn default() -> Self {
        DoctorConfig {
            max_clock_skew_seconds: 120,
            min_free_disk_mb: 500,
        }
    }
}

pub(super) fn validate(doctor: &DoctorConfig) -> std::result::Result<(), (&'static str, String)> {
    if !(1..=86_400).contains(&doctor.max_clock_skew_seconds) {
        return Err(("doctor.max_clock_skew_seconds", "must be 1 to 86400".into()));
    }
    if !(1..=1_000_000).contains(&doctor.min_free_disk_mb) {
        return Err(("doctor.min_free_disk_mb", "must be 1 to 1000000".into()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::Config;
    use std::path::Path;

    #[test]
    fn defaults_and_limits() {
        let config = Config::parse("", Path::new("hadir.toml")).expect("defaults");
        assert_eq!(config.doctor.max_clock_skew_seconds, 120);
        assert_eq!(config.doctor.min_free_disk_mb, 500);
        let config = Config::parse(
            "[doctor]\nmax_clock_skew_seconds = 30\nmin_free_disk_mb = 2000\n",
            Path::new("hadir.toml"),
        )
        .expect("valid");
        assert_eq!(config.doctor.max_clock_skew_seconds, 30);
        let err = Config::parse(
            "[doctor]\nmax_clock_skew_seconds = 0\n",
            Path::new("h.toml"),
        )
        .expect_err("zero");
        assert!(
            err.to_string()
                .contains("line 2, key `doctor.max_clock_skew_seconds`"),
            "{err}"
        );
    }
}
