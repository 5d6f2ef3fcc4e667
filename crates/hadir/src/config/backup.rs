//! `[backup]`: how often the kiosk copies its store, where to, and how many copies stay. What a
//! copy is and when one is due: `crate::backup`.

use std::path::PathBuf;

use jiff::civil::Time;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BackupConfig {
    /// Minutes between two backups while the kiosk runs; 0: only at `day_end` (and at the
    /// first start, when there is none yet).
    pub every_minutes: u32,
    /// Office-local time after which the day's last backup is taken (once a day).
    #[serde(with = "crate::model::hh_mm")]
    pub day_end: Time,
    /// Backups kept in each folder; the oldest go once a newer one is verified.
    pub keep: u32,
    /// Folder of the backups. Empty: `<data_dir>/backups`.
    pub dir: Option<PathBuf>,
    /// A second folder each backup is also copied to (a USB stick's mount point); skipped,
    /// with a log line, while it is not there. Empty: none.
    pub usb_dir: Option<PathBuf>,
}

impl Default for BackupConfig {
    fn default() -> Self {
        BackupConfig {
            every_minutes: 60,
            day_end: Time::constant(17, 0, 0, 0),
            keep: 24,
            dir: None,
            usb_dir: None,
        }
    }
}

/// Checks the values serde cannot, as `Config::validate` does.
pub(super) fn validate(backup: &BackupConfig) -> std::result::Result<(), (&'static str, String)> {
    if backup.every_minutes != 0 && !(5..=1440).contains(&backup.every_minutes) {
        return Err((
            "backup.every_minutes",
            "must be 0 (only at day end) or 5 to 1440".into(),
        ));
    }
    if !(1..=1000).contains(&backup.keep) {
        return Err(("backup.keep", "must be 1 to 1000".into()));
    }
    for (key, dir) in [
        ("backup.dir", &backup.dir),
        ("backup.usb_dir", &backup.usb_dir),
    ] {
        if dir.as_ref().is_some_and(|dir| dir.as_os_str().is_empty()) {
            return Err((key, "is empty; leave the key out for the default".into()));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::Config;
    use std::path::Path;

    #[test]
    fn defaults_back_up_hourly_and_keep_a_day() {
        let config = Config::parse("", Path::new("hadir.toml")).expect("defaults");
        assert_eq!(config.backup.every_minutes, 60);
        assert_eq!(config.backup.keep, 24);
        assert_eq!(crate::model::hh_mm::format(config.backup.day_end), "17:00");
        assert_eq!(config.backup_dir(), config.data_dir().join("backups"));
        assert_eq!(config.backup.usb_dir, None);
    }

    #[test]
    fn every_key_is_read_and_checked_with_its_line() {
        let config = Config::parse(
            "[backup]\nevery_minutes = 0\nday_end = \"16:30\"\nkeep = 3\ndir = \"/srv/b\"\nusb_dir = \"/media/usb\"\n",
            Path::new("hadir.toml"),
        )
        .expect("valid");
        assert_eq!(config.backup.every_minutes, 0);
        assert_eq!(config.backup.keep, 3);
        assert_eq!(config.backup_dir(), Path::new("/srv/b"));
        for (text, key) in [
            (
                "[backup]\nevery_minutes = 2\n",
                "line 2, key `backup.every_minutes`",
            ),
            ("[backup]\n\nkeep = 0\n", "line 3, key `backup.keep`"),
            ("[backup]\nday_end = \"5pm\"\n", "line 2"),
            ("[backup]\ndir = \"\"\n", "line 2, key `backup.dir`"),
        ] {
            let err = Config::parse(text, Path::new("hadir.toml")).expect_err(text);
            assert!(err.to_string().contains(key), "{text:?}: {err}");
        }
    }
}
