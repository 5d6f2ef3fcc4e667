//! The few settings a supervisor may change at the kiosk itself: what applicants see and hear,
//! which survey is asked (and whether the office export shows ratings per staff member), and the
//! walk-in quota (the day's figure, and whether turning a walk-in away frees its place).
//! Everything else (office, keys, printer, upstream) stays in the config file, where the
//! operator changes it. A change is checked like the file is, stored as an override in the
//! store, applied at once, and audited.

use jiff::ZonedDateTime;
use serde::Serialize;

use crate::config::{category_quota_key, Config, QuotaBy, ALL_CATEGORIES};
use crate::error::{Error, Result};
use crate::model::rfc3339;
use crate::model::{Language, Priority};
use crate::staff_mode::{audit, Session};
use crate::store::Store;

/// A setting the kiosk screen offers, with its current value and the values to choose from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SettingView {
    pub key: &'static str,
    pub value: String,
    pub choices: Vec<String>,
}

/// Keys that may change at the kiosk, each with the values the screen offers.
const KIOSK_SETTINGS: [(&str, &[&str]); 6] = [
    ("kiosk.language", &["id", "en"]),
    ("screens.sound_volume", &["0", "0.4", "0.8", "1"]),
    ("screens.result_reset_seconds", &["10", "15", "20", "30"]),
    ("screens.manual_reset_seconds", &["30", "60", "90"]),
    ("survey.question_set", &["servqual", "skm2017"]),
    ("survey.ratings_per_staff", &["false", "true"]),
];

/// Daily quotas a supervisor picks from at the kiosk (the file may hold any other figure).
const WALKIN_QUOTA_CHOICES: &[&str] =
    &["0", "10", "20", "30", "40", "50", "75", "100", "150", "200"];

/// The walk-in settings offered at the kiosk under `config`: the quota of each pool the config
/// counts by (one pool, or each offered category), and whether turning away frees the place.
fn walkin_settings(config: &Config) -> Vec<(&'static str, &'static [&'static str])> {
    let walkin = &config.walkin;
    let mut rows: Vec<(&'static str, &'static [&'static str])> = match walkin.quota_by {
        QuotaBy::Pool => vec![("walkin.daily_quota", WALKIN_QUOTA_CHOICES)],
        QuotaBy::Category => ALL_CATEGORIES
            .iter()
            .filter(|c| walkin.categories.contains(c))
            .map(|c| (category_quota_key(*c), WALKIN_QUOTA_CHOICES))
            .collect(),
    };
    rows.push(("walkin.turn_away_frees_place", &["false", "true"]));
    rows
}

/// The settings screen's rows, from the config in force. A value the file set outside the
/// offered choices (a quota of 37) is offered too, so the screen shows what is in force.
pub fn kiosk_settings(config: &Config) -> Vec<SettingView> {
    let walkin = if config.walkin.enabled {
        walkin_settings(config)
    } else {
        Vec::new()
    };
    KIOSK_SETTINGS
        .iter()
        .copied()
        .chain(walkin)
        .map(|(key, choices)| {
            let value = current(config, key);
            let mut choices: Vec<String> = choices.iter().map(|c| (*c).to_owned()).collect();
            if !choices.contains(&value) {
                choices.push(value.clone());
                choices.sort_by_key(|c| c.parse::<u32>().unwrap_or(u32::MAX));
            }
            SettingView {
                key,
                value,
                choices,
            }
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
        "survey.ratings_per_staff" => config.survey.ratings_per_staff.to_string(),
        "walkin.daily_quota" => config.walkin.daily_quota.to_string(),
        "walkin.turn_away_frees_place" => config.walkin.turn_away_frees_place.to_string(),
        _ => match walkin_category(key) {
            Some(category) => config
                .walkin
                .category_quota
                .get(category)
                .map(|q| q.to_string())
                .unwrap_or_default(),
            None => String::new(),
        },
    }
}

/// The category of a `walkin.category_quota.<category>` key.
fn walkin_category(key: &str) -> Option<Priority> {
    Priority::parse(key.strip_prefix("walkin.category_quota.")?)
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
        "survey.ratings_per_staff" => {
            changed.survey.ratings_per_staff = match value {
                "true" => true,
                "false" => false,
                _ => return Err(invalid("use \"true\" or \"false\"".into())),
            }
        }
        "walkin.daily_quota" => {
            changed.walkin.daily_quota = value
                .parse()
                .map_err(|_| invalid("not a whole number".into()))?
        }
        "walkin.turn_away_frees_place" => {
            changed.walkin.turn_away_frees_place = match value {
                "true" => true,
                "false" => false,
                _ => return Err(invalid("use \"true\" or \"false\"".into())),
            }
        }
        _ => match walkin_category(key) {
            Some(category) => {
                let quota = value
                    .parse()
                    .map_err(|_| invalid("not a whole number".into()))?;
                changed.walkin.category_quota.set(category, Some(quota));
            }
            None => {
                return Err(invalid(
                    "this setting cannot change at the kiosk; change it in the config file".into(),
                ))
            }
        },
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
    fn the_walkin_quota_and_turning_away_change_at_the_kiosk_checked_like_the_file() {
        let config = Config::default();
        let rows = kiosk_settings(&config);
        let keys: Vec<&str> = rows.iter().map(|r| r.key).collect();
        assert!(keys.contains(&"walkin.daily_quota"), "{keys:?}");
        assert!(keys.contains(&"walkin.turn_away_frees_place"), "{keys:?}");
        let fewer = with_setting(&config, "walkin.daily_quota", "20").expect("valid");
        assert_eq!(fewer.walkin.daily_quota, 20);
        let frees = with_setting(&config, "walkin.turn_away_frees_place", "true").expect("valid");
        assert!(frees.walkin.turn_away_frees_place);
        for (key, value) in [
            ("walkin.daily_quota", "-1"),
            ("walkin.daily_quota", "100000"),
            ("walkin.turn_away_frees_place", "ya"),
            // One pool: a category's own quota is refused, as in the file.
            ("walkin.category_quota.lansia", "10"),
            ("walkin.offline_share", "5"),
        ] {
            let error = with_setting(&config, key, value).expect_err(key);
            assert_eq!(error.code(), "invalid_input", "{key} = {value}");
        }
        let mut by_category = Config::default();
        by_category.walkin.quota_by = QuotaBy::Category;
        by_category.walkin.categories = vec![Priority::Lansia, Priority::Anak];
        by_category.walkin.category_quota.lansia = Some(37);
        by_category.walkin.category_quota.anak = Some(5);
        let rows = kiosk_settings(&by_category);
        let lansia = rows
            .iter()
            .find(|r| r.key == "walkin.category_quota.lansia")
            .expect("a row per offered category");
        assert_eq!(lansia.value, "37");
        assert!(
            lansia.choices.contains(&"37".to_owned()),
            "the file's figure is offered: {:?}",
            lansia.choices
        );
        assert!(!rows.iter().any(|r| r.key == "walkin.daily_quota"));
        assert!(!rows
            .iter()
            .any(|r| r.key == "walkin.category_quota.ibu_hamil"));
        let changed = with_setting(&by_category, "walkin.category_quota.anak", "8").expect("valid");
        assert_eq!(changed.walkin.quota_of(Priority::Anak), 8);
    }

    #[test]
    fn ratings_per_staff_member_is_a_supervisor_setting_off_by_default() {
        let config = Config::default();
        let row = kiosk_settings(&config)
            .into_iter()
            .find(|r| r.key == "survey.ratings_per_staff")
            .expect("offered at the kiosk");
        assert_eq!(row.value, "false");
        assert_eq!(row.choices, ["false", "true"]);
        let on = with_setting(&config, "survey.ratings_per_staff", "true").expect("valid");
        assert!(on.survey.ratings_per_staff);
        let error = with_setting(&config, "survey.ratings_per_staff", "ya").expect_err("refused");
        assert_eq!(error.code(), "invalid_input");
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
