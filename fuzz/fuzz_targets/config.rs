//! The kiosk's TOML configuration through `Config::parse`: a refused file has the stable code
//! `config_invalid` and names the file; an accepted one passes its own check and its keys and
//! time zone can be used as loaded.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return; // `Config::load` refuses a file that is not UTF-8 before parsing
    };
    let config = match hadir::Config::parse(text, Path::new("hadir.toml")) {
        Ok(config) => config,
        Err(error) => {
            assert_eq!(error.code(), "config_invalid", "{error}");
            assert!(
                error
                    .to_string()
                    .starts_with("config file hadir.toml is invalid: "),
                "{error}"
            );
            return;
        }
    };
    assert_eq!(
        config.check(),
        Ok(()),
        "what loads passes the settings check"
    );
    assert_eq!(
        config.verification_keys().len(),
        config.keys.len(),
        "no configured key is dropped after loading"
    );
    assert!(
        config.time_zone().iana_name().is_some(),
        "the time zone resolves: {:?}",
        config.office.time_zone
    );
});
