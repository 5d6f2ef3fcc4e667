//! Where the configuration file is looked for. One order for the kiosk and the `hadir` command
//! alike, so `hadir doctor` without `--config` checks the file the kiosk runs on:
//!
//! 1. the file named by `--config` / `HADIR_CONFIG` (it must exist);
//! 2. else the user's own file, if it exists (`~/.config/hadir/hadir.toml`,
//!    `%APPDATA%\Imigrasi\Hadir\config\hadir.toml`);
//! 3. else the computer's system-wide file, if it exists (`/etc/hadir/hadir.toml`,
//!    `%ProgramData%\Hadir\hadir.toml`): one file for the kiosk account and the IT person;
//! 4. else built-in defaults.
//!
//! The search is a function of the folders, so tests run it on temp folders, never on `/etc`.

use std::path::{Path, PathBuf};

use super::{Config, ConfigSource, CONFIG_FILE_NAME};
use crate::error::{Error, Result};

/// The user's configuration folder, e.g. `~/.config/hadir` or
/// `%APPDATA%\Imigrasi\Hadir\config`.
pub fn user_config_dir() -> Option<PathBuf> {
    super::project_dirs().map(|dirs| dirs.config_dir().to_owned())
}

/// The computer's configuration folder, shared by every account: `/etc/hadir`.
#[cfg(unix)]
pub fn system_config_dir() -> Option<PathBuf> {
    Some(PathBuf::from("/etc").join("hadir"))
}

/// The computer's configuration folder, shared by every account: `%ProgramData%\Hadir`
/// (usually `C:\ProgramData\Hadir`), where the kiosk session script looks too.
#[cfg(windows)]
pub fn system_config_dir() -> Option<PathBuf> {
    std::env::var_os("ProgramData")
        .filter(|dir| !dir.is_empty())
        .map(|dir| PathBuf::from(dir).join("Hadir"))
}

/// No system-wide folder on other platforms.
#[cfg(not(any(unix, windows)))]
pub fn system_config_dir() -> Option<PathBuf> {
    None
}

/// The files looked for when none is named, first found wins: the user's, then the computer's.
pub fn search_list(
    user_config_dir: Option<&Path>,
    system_config_dir: Option<&Path>,
) -> Vec<PathBuf> {
    [user_config_dir, system_config_dir]
        .into_iter()
        .flatten()
        .map(|dir| dir.join(CONFIG_FILE_NAME))
        .collect()
}

/// [`Config::load`] with the folders given: `explicit` (which must exist), else the first file of
/// [`search_list`] that exists, else defaults. A file that exists but cannot be read is an error,
/// never a reason to try the next one: the kiosk must not quietly run on another file.
pub fn load_from(
    explicit: Option<&Path>,
    user_config_dir: Option<&Path>,
    system_config_dir: Option<&Path>,
) -> Result<(Config, ConfigSource)> {
    if let Some(path) = explicit {
        let text = std::fs::read_to_string(path).map_err(|source| Error::ConfigUnreadable {
            path: path.display().to_string(),
            source,
        })?;
        return Ok((
            Config::parse(&text, path)?,
            ConfigSource::File(path.to_owned()),
        ));
    }
    let looked_in = search_list(user_config_dir, system_config_dir);
    for path in &looked_in {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                return Ok((
                    Config::parse(&text, path)?,
                    ConfigSource::File(path.clone()),
                ))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(source) => {
                return Err(Error::ConfigUnreadable {
                    path: path.display().to_string(),
                    source,
                })
            }
        }
    }
    if looked_in.is_empty() {
        return Ok((Config::default(), ConfigSource::Defaults));
    }
    Ok((
        Config::default(),
        ConfigSource::DefaultsBecauseMissing(looked_in),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A user folder and a system folder in one temp dir, each with a file naming its kiosk id
    /// when asked.
    struct Folders {
        dir: tempfile::TempDir,
        user: PathBuf,
        system: PathBuf,
    }

    impl Folders {
        fn new(user_kiosk: Option<&str>, system_kiosk: Option<&str>) -> Folders {
            let dir = tempfile::tempdir().expect("temp dir");
            let user = dir.path().join("home").join(".config").join("hadir");
            let system = dir.path().join("etc").join("hadir");
            for (folder, kiosk) in [(&user, user_kiosk), (&system, system_kiosk)] {
                std::fs::create_dir_all(folder).expect("mkdir");
                if let Some(id) = kiosk {
                    std::fs::write(
                        folder.join(CONFIG_FILE_NAME),
                        format!("[kiosk]\nid = {id:?}\n"),
                    )
                    .expect("write");
                }
            }
            Folders { dir, user, system }
        }

        fn load(&self, explicit: Option<&Path>) -> Result<(Config, ConfigSource)> {
            load_from(explicit, Some(&self.user), Some(&self.system))
        }
    }

    #[test]
    fn the_user_file_comes_first_then_the_system_file() {
        let list = search_list(Some(Path::new("u")), Some(Path::new("s")));
        assert_eq!(
            list,
            vec![
                Path::new("u").join(CONFIG_FILE_NAME),
                Path::new("s").join(CONFIG_FILE_NAME)
            ]
        );
        assert_eq!(search_list(None, Some(Path::new("s"))).len(), 1);
        assert!(search_list(None, None).is_empty());
    }

    #[test]
    fn a_named_file_wins_over_both() {
        let folders = Folders::new(Some("USER"), Some("SYSTEM"));
        let named = folders.dir.path().join("named.toml");
        std::fs::write(&named, "[kiosk]\nid = \"NAMED\"\n").expect("write");
        let (config, source) = folders.load(Some(&named)).expect("loads");
        assert_eq!(config.kiosk.id, "NAMED");
        assert_eq!(source, ConfigSource::File(named));
    }

    #[test]
    fn a_named_file_that_is_missing_is_an_error_even_with_others_there() {
        let folders = Folders::new(Some("USER"), Some("SYSTEM"));
        let err = folders
            .load(Some(&folders.dir.path().join("missing.toml")))
            .expect_err("a named file must exist");
        assert_eq!(err.code(), "config_unreadable");
    }

    #[test]
    fn the_users_file_is_used_when_both_exist() {
        let folders = Folders::new(Some("USER"), Some("SYSTEM"));
        let (config, source) = folders.load(None).expect("loads");
        assert_eq!(config.kiosk.id, "USER");
        assert_eq!(
            source,
            ConfigSource::File(folders.user.join(CONFIG_FILE_NAME))
        );
    }

    #[test]
    fn the_system_file_is_used_when_the_user_has_none() {
        let folders = Folders::new(None, Some("SYSTEM"));
        let (config, source) = folders.load(None).expect("loads");
        assert_eq!(config.kiosk.id, "SYSTEM");
        let used = folders.system.join(CONFIG_FILE_NAME);
        assert_eq!(source, ConfigSource::File(used.clone()));
        assert!(
            source.to_string().contains(&used.display().to_string()),
            "the source line names the file: {source}"
        );
    }

    #[test]
    fn neither_file_means_defaults_naming_both_places() {
        let folders = Folders::new(None, None);
        let (config, source) = folders.load(None).expect("defaults");
        assert_eq!(config, Config::default());
        let both = vec![
            folders.user.join(CONFIG_FILE_NAME),
            folders.system.join(CONFIG_FILE_NAME),
        ];
        assert_eq!(source, ConfigSource::DefaultsBecauseMissing(both.clone()));
        let line = source.to_string();
        for path in &both {
            assert!(line.contains(&path.display().to_string()), "{line}");
        }
        let (_, source) = load_from(None, None, None).expect("defaults");
        assert_eq!(source, ConfigSource::Defaults);
    }

    #[test]
    fn a_broken_user_file_stops_rather_than_falling_back() {
        let folders = Folders::new(None, Some("SYSTEM"));
        std::fs::write(folders.user.join(CONFIG_FILE_NAME), "[kiosk]\nid = 5\n").expect("write");
        let err = folders.load(None).expect_err("the user's file is wrong");
        assert_eq!(err.code(), "config_invalid");
        // A folder where the file should be cannot be read: an error too, not the next file.
        let folders = Folders::new(None, Some("SYSTEM"));
        std::fs::create_dir(folders.user.join(CONFIG_FILE_NAME)).expect("mkdir");
        let err = folders.load(None).expect_err("unreadable");
        assert_eq!(err.code(), "config_unreadable");
    }

    #[cfg(unix)]
    #[test]
    fn on_unix_the_system_file_is_in_etc() {
        assert_eq!(
            system_config_dir().map(|dir| dir.join(CONFIG_FILE_NAME)),
            Some(PathBuf::from("/etc/hadir/hadir.toml"))
        );
    }
}
