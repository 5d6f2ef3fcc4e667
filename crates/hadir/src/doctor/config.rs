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
        Ok((_, ConfigSource::DefaultsBecauseMissing(looked_in))) => {
            let places = ConfigSource::places(looked_in);
            Check::warn(
                "config",
                format!("no file at {places}: built-in defaults"),
                Advice::new(
                    "config_missing",
                    format!(
                        "Buat berkas konfigurasi di salah satu tempat ini: {places} (lihat \
                         docs/configuration.md) atau beri --config; tanpa berkas, kios memakai nilai \
                         bawaan (kantor, printer PDF, tanpa sinkronisasi)."
                    ),
                    format!(
                        "Create the configuration file at one of {places} (see docs/configuration.md) \
                         or pass --config; without it the kiosk runs on defaults (office, PDF \
                         printer, no sync)."
                    ),
                ),
            )
            .fact(
                "looked_in",
                looked_in
                    .iter()
                    .map(|path| path.display().to_string())
                    .collect::<Vec<_>>(),
            )
        }
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
            if let Error::ConfigInvalid { fault, .. } = error {
                if let Some(line) = fault.line {
                    check = check.fact("line", line);
                }
                if let Some(key) = &fault.key {
                    check = check.fact("key", key.clone());
                }
            }
            check
        }
    }
}

/// Which verification keys for signed booking tokens are loaded.
pub fn keys(config: &Config) -> Check {
    let loaded = config.verification_keys();
    let ids: Vec<&String> = loaded.keys().collect();
    if loaded.is_empty() {
        // Not a problem: many offices only ever see plain booking codes. A warning here would
        // make a healthy kiosk's doctor exit 7 for good.
        return Check::skip(
            "keys",
            "no [keys]: plain booking codes work; signed M-Paspor QR codes (MPQ1 tokens) are \
             refused as unknown_key. If applicants bring them, add the gateway's public key under \
             [keys] (ask the M-Paspor admin) and restart the kiosk",
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
