//! The one-machine office: the config files of a kiosk, a counter and a waiting-room display
//! sharing one office hub. `hadir-office-demo` (src/main.rs) starts them for trying Hadir; the
//! end-to-end test of the whole office (tests/e2e) opens the same three.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The three roles' config files, each with its own data folder beside it.
#[derive(Debug, Clone)]
pub struct OfficeFiles {
    pub kiosk: PathBuf,
    pub counter: PathBuf,
    pub display: PathBuf,
}

impl OfficeFiles {
    /// Each role with the config file it runs on, in the order the windows open.
    pub fn roles(&self) -> [(&'static str, &Path); 3] {
        [
            ("kiosk", &self.kiosk),
            ("counter", &self.counter),
            ("display", &self.display),
        ]
    }
}

/// Writes `kiosk.toml`, `counter.toml` and `display.toml` into `root`, every one on the hub at
/// `hub_url`, with data folders `root/<role>` (each role holds its own lock, store and logs, as
/// three machines of an office would).
pub fn write_office(root: &Path, hub_url: &str) -> io::Result<OfficeFiles> {
    let file = |role: &str, id: &str| -> io::Result<PathBuf> {
        let data = root.join(role);
        fs::create_dir_all(&data)?;
        let path = root.join(format!("{role}.toml"));
        fs::write(&path, config_text(role, id, hub_url, &data))?;
        Ok(path)
    };
    Ok(OfficeFiles {
        kiosk: file("kiosk", "K1")?,
        counter: file("counter", "L1")?,
        display: file("display", "D1")?,
    })
}

/// One role's config: TOML literal strings (single quotes) keep a Windows path's backslashes.
fn config_text(role: &str, id: &str, hub_url: &str, data: &Path) -> String {
    format!(
        "# Written by hadir-office-demo: the {role} of a one-machine office.\n\
         role = '{role}'\n\
         hub_url = '{hub_url}'\n\
         \n\
         [kiosk]\n\
         id = '{id}'\n\
         data_dir = '{}'\n",
        data.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_roles_on_one_hub_each_with_its_own_data_folder() {
        let dir = tempfile::tempdir().expect("temp dir");
        let files = write_office(dir.path(), "postgres://hadir@127.0.0.1:5/hadir").expect("writes");
        let mut data_dirs = Vec::new();
        for (role, path) in files.roles() {
            let text = fs::read_to_string(path).expect("reads");
            assert!(text.contains(&format!("role = '{role}'")), "{text}");
            assert!(text.contains("hub_url = 'postgres://hadir@127.0.0.1:5/hadir'"));
            let data = dir.path().join(role);
            assert!(data.is_dir() && text.contains(&data.display().to_string()));
            data_dirs.push(data);
        }
        data_dirs.dedup();
        assert_eq!(data_dirs.len(), 3);
    }
}
