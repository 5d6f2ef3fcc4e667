//! The few settings a supervisor may change at the kiosk itself: what applicants see and hear,
//! and which survey is asked. Everything else (office, keys, printer, upstream) stays in the
//! config file, where the operator changes it. A change is checked like the file is, stored as
//! an override in the store, applied at once, and audited.

use jiff::ZonedDateTime;
use serde::Serialize;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::staff_mode::{audit, Session};
use crate::model::rfc3339;
use crate::model::Language;
use crate::store::Store;

/// A setting the kiosk screen offers, with its current value and the values to choose from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SettingView {
    pub key: &'static str,
    pub value: String,
    pub choices: Vec<String>,
}

/// Keys that may change at the kiosk, each with the values the screen offers.
const KIOSK_SETTINGS: [(&str, &[&str]); 5] = [
    ("kiosk.language", &["id", "en"]),
    ("screens.sound_volume", &["0", "0.4", "0.8", "1"]),
    ("screens.result_reset_seconds", &["10", "15", "20", "30"]),
    ("screens.manual_reset_seconds", &["30", "60", "90"]),
    ("survey.question_set", &["servqual", "skm2017"]),
];

/// The settings screen's rows, from the config in force.
pub fn kiosk_settings(config: &Config) -> Vec<SettingView> {
    KIOSK_SETTINGS
        .iter()
        .map(|(key, choices)| SettingView {
            key,
            value: current(config, key),
            choices: choices.iter().map(|c| (*c).to_owned()).collect(),
        })
        .collect()
}

/// [`kiosk_settings`] for a signed-in supervisor (anyone else is refused, and the try audited).
pub fn settings_screen(
    store: &mut Store,
    session: &Session,
    now: &ZonedDateTime,
    config: &Config,
) -> Result<Vec<SettingView>> {
    crate::staff_mode::supervisor_only(store, session, now, "settings")?;
    Ok(kiosk_settings(config))
}

fn current(config: &Config, key: &str) -> String {
    match key {
        "kiosk.language" => match config.kiosk.language {
            Language::Id => "id".into(),
            Language::En => "en".into(),
        },
        "screens.sound_volume" => config.screens.sound_volume.to_string(),
        "screens.result_reset_seconds" => config.screens.result_reset_seconds.to_string(),
        "screens.manual_reset_seconds" => config.screens.manual_reset_seconds.to_string(),
        "survey.question_set" => config.survey.question_set.clone(),
        _ => String::new(),
    }
}

/// `config` with `key` set to `value`, checked as the config file would be.
fn with_setting(config: &Config, key: &str, value: &str) -> Result<Config> {
    let invalid = |problem: String| Error::InvalidInput(format!("{key} = {value:?}: {problem}"));
    let mut changed = config.clone();
    match key {
        "kiosk.language" => {
            changed.kiosk.language = match value {
                "id" => Language::Id,
                "en" => Language::En,
                _ => return Err(invalid("use \"id\" or \"en\"".into())),
            }
        }
        "screens.sound_volume" => {
            changed.screens.sound_volume =
                value.parse().map_err(|_| invalid("not a number".into()))?
        }
        "screens.result_reset_seconds" => {
            changed.screens.result_reset_seconds = value
                .parse()
                .map_err(|_| invalid("not a whole number".into()))?
        }
        "screens.manual_reset_seconds" => {
            changed.screens.manual_reset_seconds = value
                .parse()
                .map_err(|_| invalid("not a whole number".into()))?
        }
        "survey.question_set" => changed.survey.question_set = value.to_owned(),
        _ => {
            return Err(invalid(
                "this setting cannot change at the kiosk; change it in the config file".into(),
            ))
        }
    }
    changed.check().map_err(|(_, problem)| invalid(problem))?;
    Ok(changed)
}

/// The config in force: the file's, with the settings a supervisor changed at the kiosk (kept in
/// `store`) laid over it. The kiosk starts with it; the CLI gets the same from
/// [`config_in_force_read_only`], so an export from either agrees.
pub fn config_in_force(file: &Config, store: &Store) -> Result<Config> {
    Ok(with_overrides(file, &store.kiosk_settings()?))
}

/// [`config_in_force`] for a process that does not hold the kiosk's store (the `hadir` CLI):
/// the stored settings are read without changing the store, and there are none before the
/// store exists. A store that cannot be read leaves the file's (logged): the command that needs
/// the store says what is wrong with it.
pub fn config_in_force_read_only(file: &Config) -> Config {
    match crate::store::stored_kiosk_settings(&file.data_dir()) {
        Ok(rows) => with_overrides(file, &rows),
        Err(error) => {
            log::warn!(
                "settings changed at the kiosk not read [{}]: {error}",
                error.code()
            );
            file.clone()
        }
    }
}

/// The file's settings with stored overrides laid over them, in key order. A stored value that
/// no longer passes the checks (a newer Hadir's rules) is skipped and logged, never fatal.
fn with_overrides(file: &Config, overrides: &[(String, String)]) -> Config {
    let mut applied = file.clone();
    for (key, value) in overrides {
        match with_setting(&applied, key, value) {
            Ok(changed) => applied = changed,
            Err(error) => log::warn!("kiosk setting skipped: {error}"),
        }
    }
    applied
}

/// Changes one setting (supervisor only): checked, stored, audited. Returns the config to use
/// from now on.
pub fn change_setting(
    store: &mut Store,
    session: &Session,
    key: &str,
    value: &str,
    now: &ZonedDateTime,
    config: &Config,
) -> Result<Config> {
    crate::staff_mode::supervisor_only(store, session, now, "settings")?;
    let changed = with_setting(config, key, value)?;
    let at = rfc3339(now);
    store.set_kiosk_setting(key, value, &at)?;
    audit(
        store,
        &at,
        Some(session.staff_id),
        "settings",
        Some(&format!("{key} = {value}")),
        Some(&format!("was {}", current(config, key))),
    )?;
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::tests::fresh_store;

    #[test]
    fn only_the_offered_keys_change_and_values_are_checked_like_the_file() {
        let config = Config::default();
        let quiet = with_setting(&config, "screens.sound_volume", "0").expect("valid");
        assert_eq!(quiet.screens.sound_volume, 0.0);
        let skm = with_setting(&config, "survey.question_set", "skm2017").expect("valid");
        assert_eq!(skm.survey.set().elements.len(), 9);
        for (key, value) in [
            ("screens.sound_volume", "3"),
            ("screens.result_reset_seconds", "1"),
            ("survey.question_set", "nps"),
            ("kiosk.language", "fr"),
            ("printer.sink", "pdf_folder"),
            ("office.id", "X"),
        ] {
            let error = with_setting(&config, key, value).expect_err(key);
            assert_eq!(error.code(), "invalid_input", "{key} = {value}");
        }
    }

    #[test]
    fn a_supervisor_changes_a_setting_it_is_stored_and_audited() {
        let (_dir, mut store) = fresh_store();
        let config = Config::default();
        let now = jiff::civil::date(2026, 11, 29)
            .at(9, 0, 0, 0)
            .to_zoned_datetime(config.time_zone())
            .expect("zoned");
        let at = rfc3339(&now);
        for (name, role) in [
            ("ani", crate::model::StaffRole::Frontdesk),
            ("budi", crate::model::StaffRole::Supervisor),
        ] {
            let hash = crate::staff::hash_pin("1234").expect("hash");
            store.add_staff(name, role, &hash, &at).expect("adds");
        }
        let session = |store: &mut Store, name: &str| match crate::staff_mode::sign_in(
            store, name, "1234", &now, &config,
        )
        .expect("signs in")
        {
            crate::staff_mode::SignInResult::SignedIn { session } => session,
            other => panic!("{other:?}"),
        };
        let frontdesk = session(&mut store, "ani");
        let refused = change_setting(
            &mut store,
            &frontdesk,
            "kiosk.language",
            "en",
            &now,
            &config,
        )
        .expect_err("front desk may not");
        assert_eq!(refused.code(), "staff_supervisor_only");
        let supervisor = session(&mut store, "budi");
        let changed = change_setting(
            &mut store,
            &supervisor,
            "kiosk.language",
            "en",
            &now,
            &config,
        )
        .expect("changes");
        assert_eq!(changed.kiosk.language, Language::En);
        assert_eq!(
            config_in_force(&config, &store)
                .expect("reads")
                .kiosk
                .language,
            Language::En,
            "the next start keeps it"
        );
        let last = store.audit_actions_for_tests().pop().expect("audited");
        assert_eq!(
            last,
            ("settings".into(), Some("kiosk.language = en".into()))
        );
    }

    #[test]
    fn stored_overrides_apply_over_the_file_and_bad_ones_are_skipped() {
        let (_dir, mut store) = fresh_store();
        store
            .set_kiosk_setting("kiosk.language", "en", "2026-11-29T09:00:00+08:00")
            .expect("stores");
        store
            .set_kiosk_setting("screens.sound_volume", "loud", "2026-11-29T09:00:00+08:00")
            .expect("stores");
        let applied = config_in_force(&Config::default(), &store).expect("reads");
        assert_eq!(applied.kiosk.language, Language::En);
        assert_eq!(
            applied.screens.sound_volume,
            Config::default().screens.sound_volume,
            "a bad stored value leaves the file's"
        );
        let rows = kiosk_settings(&applied);
        assert_eq!(rows[0].key, "kiosk.language");
        assert_eq!(rows[0].value, "en");
    }

    #[test]
    fn the_cli_reads_the_config_in_force_the_kiosk_starts_with() {
        let (dir, mut store) = fresh_store();
        let mut file = Config::default();
        file.kiosk.data_dir = Some(dir.path().to_owned());
        assert_eq!(
            config_in_force_read_only(&file).kiosk.language,
            Language::Id,
            "nothing changed yet: the file's"
        );
        for (key, value) in [("kiosk.language", "en"), ("survey.question_set", "skm2017")] {
            store
                .set_kiosk_setting(key, value, "2026-11-29T09:00:00+08:00")
                .expect("stores");
        }
        let kiosk = config_in_force(&file, &store).expect("reads");
        let cli = config_in_force_read_only(&file);
        assert_eq!(cli.kiosk.language, Language::En);
        assert_eq!(cli.survey.question_set, "skm2017");
        assert_eq!(
            serde_json::to_value(&cli).expect("json"),
            serde_json::to_value(&kiosk).expect("json"),
            "one config in force"
        );
    }
}
