//! `config` and `keys`: the file itself, and what it gives the check-in to verify tokens with.

use super::{Advice, Check};
use crate::config::ConfigSource;
use crate::error::Error;
use crate::Config;

/// Whether the configuration was read and is valid; an invalid file names its line.
pub fn config(loaded: &Result<(Config, ConfigSource), Error>) -> Check {
    match loaded {
        Ok((_, ConfigSource::File(path))) => {
            Check::pass("config", format!("read from {}", path.display()))
                .fact("file", path.display().to_string())
        }
        Ok((_, ConfigSource::DefaultsBecauseMissing(path))) => Check::warn(
            "config",
            format!("no file at {}: built-in defaults", path.display()),
            Advice::new(
                "config_missing",
                format!(
                    "Buat berkas konfigurasi {} (lihat docs/configuration.md) atau beri --config; \
                     tanpa berkas, kios memakai nilai bawaan (kantor, printer PDF, tanpa sinkronisasi).",
                    path.display()
                ),
                format!(
                    "Create the configuration file {} (see docs/configuration.md) or pass --config; \
                     without it the kiosk runs on defaults (office, PDF printer, no sync).",
                    path.display()
                ),
            ),
        )
        .fact("file", path.display().to_string()),
        Ok((_, ConfigSource::Defaults)) => Check::warn(
            "config",
            "no configuration folder found: built-in defaults",
            Advice::new(
                "config_missing",
                "Beri berkas konfigurasi dengan --config atau HADIR_CONFIG (lihat docs/configuration.md).",
                "Give a configuration file with --config or HADIR_CONFIG (see docs/configuration.md).",
            ),
        ),
        Err(error) => {
            let detail = error.to_string();
            let mut check = Check::fail(
                "config",
                detail.clone(),
                Advice::from_text(error.code(), error.next_step()),
            );
            if let Error::ConfigInvalid { path, .. } | Error::ConfigUnreadable { path, .. } = error
            {
                check = check.fact("file", path.clone());
            }
            if let Some(line) = line_named_in(&detail) {
                check = check.fact("line", line);
            }
            check
        }
    }
}

/// The `N` of the first "line N" in a config error (the parser's and the validator's form).
fn line_named_in(detail: &str) -> Option<u64> {
    let (_, after) = detail.split_once("line ")?;
    let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// Which verification keys for signed booking tokens are loaded.
pub fn keys(config: &Config) -> Check {
    let loaded = config.verification_keys();
    let ids: Vec<&String> = loaded.keys().collect();
    if loaded.is_empty() {
        return Check::warn(
            "keys",
            "no [keys]: signed M-Paspor QR codes (MPQ1 tokens) are refused; booking codes still work",
            Advice::new(
                "no_keys",
                "Jika pemohon membawa QR bertanda tangan, tambahkan kunci publik gateway di bagian [keys] \
                 (minta ke admin M-Paspor), lalu mulai ulang kios.",
                "If applicants bring signed QR codes, add the gateway's public key under [keys] \
                 (ask the M-Paspor admin), then restart the kiosk.",
            ),
        )
        .fact("count", 0);
    }
    Check::pass(
        "keys",
        format!(
            "{} key(s) loaded: {}",
            ids.len(),
            ids.iter()
                .map(|id| id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    )
    .fact("count", ids.len())
    .fact("ids", ids.iter().map(|id| id.as_str()).collect::<Vec<_>>())
}
