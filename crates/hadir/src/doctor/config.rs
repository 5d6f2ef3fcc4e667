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
                Advice::text(
                    "config_missing",
                    "doctor.config_missing",
                    serde_json::json!({ "places": places }),
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
            Advice::fixed("config_missing", "doctor.config_missing.no_folder"),
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
