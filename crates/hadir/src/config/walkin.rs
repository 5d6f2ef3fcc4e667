//! `[walkin]`: who may come without a booking (priority walk-ins), which services they may ask
//! for, and the daily quota. What the quota allows at a given moment: `crate::walkin_quota`;
//! issuing a walk-in: `crate::walkin`.

use serde::{Deserialize, Serialize};

use crate::model::{Priority, Service};

/// Every category the office may serve without a booking, in the order screens list them.
pub const ALL_CATEGORIES: [Priority; 4] = [
    Priority::Lansia,
    Priority::Disabilitas,
    Priority::IbuHamil,
    Priority::Anak,
];

/// Every service, in the order screens and reports list them.
pub const ALL_SERVICES: [Service; 3] = [Service::Baru, Service::Penggantian, Service::HilangRusak];

/// Highest daily quota a pool may have (an office serving more walk-ins than this a day is no
/// longer "without a booking").
pub const MAX_DAILY_QUOTA: u32 = 2_000;

/// How the daily quota is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuotaBy {
    /// One pool for every category (`daily_quota`).
    #[default]
    Pool,
    /// One pool per category (`[walkin.category_quota]`).
    Category,
}

/// The quota of each category when `quota_by = "category"`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CategoryQuota {
    pub lansia: Option<u32>,
    pub disabilitas: Option<u32>,
    pub ibu_hamil: Option<u32>,
    pub anak: Option<u32>,
}

impl CategoryQuota {
    pub fn get(&self, category: Priority) -> Option<u32> {
        match category {
            Priority::Lansia => self.lansia,
            Priority::Disabilitas => self.disabilitas,
            Priority::IbuHamil => self.ibu_hamil,
            Priority::Anak => self.anak,
        }
    }

    pub fn set(&mut self, category: Priority, quota: Option<u32>) {
        match category {
            Priority::Lansia => self.lansia = quota,
            Priority::Disabilitas => self.disabilitas = quota,
            Priority::IbuHamil => self.ibu_hamil = quota,
            Priority::Anak => self.anak = quota,
        }
    }

    fn is_empty(&self) -> bool {
        ALL_CATEGORIES.iter().all(|c| self.get(*c).is_none())
    }
}

/// Priority walk-ins: people served without a booking, within a daily quota.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WalkinConfig {
    /// The welcome screen offers the walk-in button and staff may issue walk-in tickets.
    pub enabled: bool,
    /// Who may come without a booking.
    pub categories: Vec<Priority>,
    /// Services a walk-in may ask for.
    pub services: Vec<Service>,
    /// `lansia` means this age and over (shown on the screen; staff check the KTP).
    pub lansia_min_age: u32,
    /// `anak` means younger than this (shown on the screen; staff check the documents).
    pub anak_under_age: u32,
    pub quota_by: QuotaBy,
    /// Walk-ins a day, all categories together (`quota_by = "pool"`).
    pub daily_quota: u32,
    /// Walk-ins a day per category (`quota_by = "category"`): every listed category needs one.
    pub category_quota: CategoryQuota,
    /// The quota counts each service apart: `daily_quota` (or a category's quota) walk-ins a
    /// day for each service.
    pub per_service: bool,
    /// Hub mode: walk-ins this kiosk may issue per pool and day while the hub is unreachable.
    /// The hub keeps this many places of each pool for each kiosk (taken from the pool when
    /// the kiosk first asks it that day), so the quota holds across a split.
    pub offline_share: u32,
    /// A walk-in staff turn away at the counter (wrong category) gives the place back to the
    /// day's quota.
    pub turn_away_frees_place: bool,
}

impl Default for WalkinConfig {
    fn default() -> Self {
        WalkinConfig {
            enabled: true,
            categories: ALL_CATEGORIES.to_vec(),
            services: ALL_SERVICES.to_vec(),
            lansia_min_age: 60,
            anak_under_age: 5,
            quota_by: QuotaBy::Pool,
            daily_quota: 50,
            category_quota: CategoryQuota::default(),
            per_service: false,
            offline_share: 2,
            turn_away_frees_place: false,
        }
    }
}

impl WalkinConfig {
    /// Whether a walk-in of `category` for `service` may be asked for at all (config), quota
    /// aside.
    pub fn offers(&self, category: Priority, service: Service) -> bool {
        self.enabled && self.categories.contains(&category) && self.services.contains(&service)
    }

    /// The daily quota of `category`'s pool (of each service's when `per_service`).
    pub fn quota_of(&self, category: Priority) -> u32 {
        match self.quota_by {
            QuotaBy::Pool => self.daily_quota,
            QuotaBy::Category => self.category_quota.get(category).unwrap_or(0),
        }
    }
}

/// The key of a category's quota in `[walkin.category_quota]`, as errors and settings name it.
pub fn category_quota_key(category: Priority) -> &'static str {
    match category {
        Priority::Lansia => "walkin.category_quota.lansia",
        Priority::Disabilitas => "walkin.category_quota.disabilitas",
        Priority::IbuHamil => "walkin.category_quota.ibu_hamil",
        Priority::Anak => "walkin.category_quota.anak",
    }
}

/// Checks the values serde cannot, as `Config::validate` does.
pub(super) fn validate(walkin: &WalkinConfig) -> std::result::Result<(), (&'static str, String)> {
    if walkin.categories.is_empty() {
        return Err((
            "walkin.categories",
            "lists no category; use enabled = false to offer no walk-ins".into(),
        ));
    }
    if let Some(twice) = first_repeat(&walkin.categories) {
        return Err((
            "walkin.categories",
            format!("lists {:?} twice", twice.as_str()),
        ));
    }
    if walkin.services.is_empty() {
        return Err((
            "walkin.services",
            "lists no service; use enabled = false to offer no walk-ins".into(),
        ));
    }
    if let Some(twice) = first_repeat(&walkin.services) {
        return Err((
            "walkin.services",
            format!("lists {:?} twice", twice.as_str()),
        ));
    }
    if !(50..=80).contains(&walkin.lansia_min_age) {
        return Err(("walkin.lansia_min_age", "must be 50 to 80 (years)".into()));
    }
    if !(1..=17).contains(&walkin.anak_under_age) {
        return Err(("walkin.anak_under_age", "must be 1 to 17 (years)".into()));
    }
    let range = format!("must be 0 (no walk-ins) to {MAX_DAILY_QUOTA} a day");
    if walkin.daily_quota > MAX_DAILY_QUOTA {
        return Err(("walkin.daily_quota", range));
    }
    for category in ALL_CATEGORIES {
        let quota = walkin.category_quota.get(category);
        if quota.is_some_and(|q| q > MAX_DAILY_QUOTA) {
            return Err((category_quota_key(category), range.clone()));
        }
        if quota.is_some() && !walkin.categories.contains(&category) {
            return Err((
                category_quota_key(category),
                format!(
                    "{:?} is not in walkin.categories; add it there or remove this quota",
                    category.as_str()
                ),
            ));
        }
    }
    match walkin.quota_by {
        QuotaBy::Pool if !walkin.category_quota.is_empty() => {
            return Err((
                "walkin.category_quota",
                "is used only with quota_by = \"category\"; set that, or remove this table".into(),
            ));
        }
        QuotaBy::Category => {
            if let Some(missing) = walkin
                .categories
                .iter()
                .find(|c| walkin.category_quota.get(**c).is_none())
            {
                return Err((
                    category_quota_key(*missing),
                    "is needed with quota_by = \"category\": each listed category has its own quota"
                        .into(),
                ));
            }
        }
        QuotaBy::Pool => {}
    }
    if walkin.offline_share > 50 {
        return Err((
            "walkin.offline_share",
            "must be 0 (no walk-ins while the hub is unreachable) to 50".into(),
        ));
    }
    Ok(())
}

fn first_repeat<T: PartialEq + Copy>(items: &[T]) -> Option<T> {
    items
        .iter()
        .enumerate()
        .find(|(i, item)| items[..*i].contains(item))
        .map(|(_, item)| *item)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key_of(walkin: &WalkinConfig) -> Option<&'static str> {
        validate(walkin).err().map(|(key, _)| key)
    }

    #[test]
    fn the_defaults_offer_every_category_and_service_in_one_pool() {
        let walkin = WalkinConfig::default();
        assert_eq!(validate(&walkin), Ok(()));
        assert_eq!(walkin.quota_by, QuotaBy::Pool);
        assert_eq!((walkin.lansia_min_age, walkin.anak_under_age), (60, 5));
        assert!(walkin.offers(Priority::IbuHamil, Service::HilangRusak));
        assert_eq!(walkin.quota_of(Priority::Anak), 50);
    }

    #[test]
    fn a_quota_per_category_needs_every_listed_category() {
        let mut walkin = WalkinConfig {
            quota_by: QuotaBy::Category,
            categories: vec![Priority::Lansia, Priority::Anak],
            ..WalkinConfig::default()
        };
        walkin.category_quota.lansia = Some(20);
        assert_eq!(key_of(&walkin), Some("walkin.category_quota.anak"));
        walkin.category_quota.anak = Some(5);
        assert_eq!(key_of(&walkin), None);
        assert_eq!(walkin.quota_of(Priority::Lansia), 20);
        walkin.category_quota.ibu_hamil = Some(5);
        assert_eq!(
            key_of(&walkin),
            Some("walkin.category_quota.ibu_hamil"),
            "a quota for a category that is not offered is a mistake"
        );
    }

    #[test]
    fn category_quotas_without_quota_by_category_are_refused() {
        let mut walkin = WalkinConfig::default();
        walkin.category_quota.lansia = Some(20);
        assert_eq!(key_of(&walkin), Some("walkin.category_quota"));
    }

    #[test]
    fn ranges_and_lists_are_checked() {
        for (walkin, key) in [
            (
                WalkinConfig {
                    categories: vec![],
                    ..WalkinConfig::default()
                },
                "walkin.categories",
            ),
            (
                WalkinConfig {
                    categories: vec![Priority::Anak, Priority::Anak],
                    ..WalkinConfig::default()
                },
                "walkin.categories",
            ),
            (
                WalkinConfig {
                    services: vec![Service::Baru, Service::Baru],
                    ..WalkinConfig::default()
                },
                "walkin.services",
            ),
            (
                WalkinConfig {
                    lansia_min_age: 45,
                    ..WalkinConfig::default()
                },
                "walkin.lansia_min_age",
            ),
            (
                WalkinConfig {
                    anak_under_age: 0,
                    ..WalkinConfig::default()
                },
                "walkin.anak_under_age",
            ),
            (
                WalkinConfig {
                    daily_quota: MAX_DAILY_QUOTA + 1,
                    ..WalkinConfig::default()
                },
                "walkin.daily_quota",
            ),
            (
                WalkinConfig {
                    offline_share: 51,
                    ..WalkinConfig::default()
                },
                "walkin.offline_share",
            ),
        ] {
            assert_eq!(key_of(&walkin), Some(key), "{walkin:?}");
        }
    }
}
