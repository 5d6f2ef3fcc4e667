//! The walk-in quota's rules: which pool a walk-in counts in, what is left of a pool, whether
//! one more may be issued, and (hub mode) how the places a kiosk keeps for a split are taken and
//! used. Pure: the counts, the config and the office-local day are passed in; the store and the
//! hub only count.
//!
//! A pool is one daily quota: every category together (`quota_by = "pool"`) or one category
//! (`"category"`), for every service together or, with `per_service`, for one service. A
//! walk-in counts in exactly one pool, on the office-local day it was issued (a walk-in at
//! 23:59 WITA and one at 00:01 count on two days), until staff turn it away with
//! `turn_away_frees_place` set.

use serde::{Deserialize, Serialize};

use crate::config::{QuotaBy, WalkinConfig, ALL_CATEGORIES, ALL_SERVICES};
use crate::model::{Priority, Service};

/// What a walk-in asks for: who they are (a priority category) and the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WalkinChoice {
    pub category: Priority,
    pub service: Service,
}

/// One daily quota. `None` in a field: every category (or service) together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pool {
    pub category: Option<Priority>,
    pub service: Option<Service>,
}

impl Pool {
    /// The pool a walk-in of `choice` counts in under `config`.
    pub fn of(config: &WalkinConfig, choice: WalkinChoice) -> Pool {
        Pool {
            category: (config.quota_by == QuotaBy::Category).then_some(choice.category),
            service: config.per_service.then_some(choice.service),
        }
    }

    /// `all`, `lansia`, `all/baru`, `lansia/baru`: the pool as the hub and reports name it.
    pub fn key(&self) -> String {
        let category = self.category.map_or("all", Priority::as_str);
        match self.service {
            Some(service) => format!("{category}/{}", service.as_str()),
            None => category.to_owned(),
        }
    }

    /// Whether a walk-in of `category` and `service` counts in this pool.
    pub fn counts(&self, category: Priority, service: Service) -> bool {
        self.category.is_none_or(|c| c == category) && self.service.is_none_or(|s| s == service)
    }

    /// This pool's daily quota under `config`.
    pub fn quota(&self, config: &WalkinConfig) -> u32 {
        match self.category {
            Some(category) => config.quota_of(category),
            None => config.daily_quota,
        }
    }

    /// Walk-ins of the day counted in this pool, from (category, service, count) rows.
    pub fn used(&self, counted: &[(Priority, Service, u32)]) -> u32 {
        counted
            .iter()
            .filter(|(category, service, _)| self.counts(*category, *service))
            .map(|(_, _, count)| count)
            .sum()
    }
}

/// Every pool of `config`'s offered categories and services, in screen order.
pub fn pools(config: &WalkinConfig) -> Vec<Pool> {
    let mut pools: Vec<Pool> = Vec::new();
    for category in ALL_CATEGORIES
        .iter()
        .filter(|c| config.categories.contains(c))
    {
        for service in ALL_SERVICES.iter().filter(|s| config.services.contains(s)) {
            let pool = Pool::of(
                config,
                WalkinChoice {
                    category: *category,
                    service: *service,
                },
            );
            if !pools.contains(&pool) {
                pools.push(pool);
            }
        }
    }
    pools
}

/// Where the figures of a quota state came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuotaSource {
    /// This kiosk's own store (standalone).
    Kiosk,
    /// The office hub, for every kiosk together.
    Hub,
    /// The hub did not answer: what this kiosk may still issue from the places it keeps.
    Offline,
}

/// What is left for one service of a category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceLeft {
    pub service: Service,
    pub remaining: u32,
    pub full: bool,
}

/// What is left for one category: its pool (or its services' pools, summed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryLeft {
    pub category: Priority,
    pub remaining: u32,
    pub full: bool,
    pub services: Vec<ServiceLeft>,
}

/// The walk-in button's facts: whether walk-ins are offered, who may come, and what is left of
/// today's quota, per category and service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WalkinState {
    /// Walk-ins are offered at all (`walkin.enabled`); when not, show no button.
    pub offered: bool,
    /// Office-local `YYYY-MM-DD` the figures are for.
    pub office_date: String,
    /// Walk-ins any category could still get today ("sisa kuota hari ini: 12"): every pool's
    /// remaining places together.
    pub remaining: u32,
    /// Nothing left for anyone: the button says so before anyone taps it.
    pub full: bool,
    pub source: QuotaSource,
    pub quota_by: QuotaBy,
    pub per_service: bool,
    /// What an applicant's walk-in is refused with where `full` is true (the button, a
    /// category or a service): the words the page shows before anyone asks for the ticket.
    pub full_refusal: WalkinRefusal,
    /// `lansia` is this age and over; `anak` is younger than `anak_under_age`.
    pub lansia_min_age: u32,
    pub anak_under_age: u32,
    /// The offered categories in screen order, each with its offered services.
    pub categories: Vec<CategoryLeft>,
}

/// The quota state, given what is left of each pool.
pub fn state(
    config: &WalkinConfig,
    office_date: &str,
    source: QuotaSource,
    remaining_of: impl Fn(&Pool) -> u32,
) -> WalkinState {
    let all = pools(config);
    let remaining: u32 = all.iter().map(&remaining_of).sum();
    let categories = ALL_CATEGORIES
        .iter()
        .filter(|c| config.categories.contains(c))
        .map(|category| {
            let services: Vec<ServiceLeft> = ALL_SERVICES
                .iter()
                .filter(|s| config.services.contains(s))
                .map(|service| {
                    let pool = Pool::of(
                        config,
                        WalkinChoice {
                            category: *category,
                            service: *service,
                        },
                    );
                    let left = remaining_of(&pool);
                    ServiceLeft {
                        service: *service,
                        remaining: left,
                        full: left == 0,
                    }
                })
                .collect();
            let mut own: Vec<Pool> = Vec::new();
            for service in &services {
                let pool = Pool::of(
                    config,
                    WalkinChoice {
                        category: *category,
                        service: service.service,
                    },
                );
                if !own.contains(&pool) {
                    own.push(pool);
                }
            }
            let left: u32 = own.iter().map(&remaining_of).sum();
            CategoryLeft {
                category: *category,
                remaining: left,
                full: left == 0,
                services,
            }
        })
        .collect();
    WalkinState {
        offered: config.enabled,
        office_date: office_date.to_owned(),
        remaining: if config.enabled { remaining } else { 0 },
        full: !config.enabled || remaining == 0,
        source,
        quota_by: config.quota_by,
        per_service: config.per_service,
        full_refusal: if config.enabled {
            none_left(source)
        } else {
            WalkinRefusal::WalkinNotOffered
        },
        lansia_min_age: config.lansia_min_age,
        anak_under_age: config.anak_under_age,
        categories,
    }
}

/// Why a walk-in ticket is not issued. The codes are stable: the screens and the CLI switch on
/// them; their words are `verdict.<code>.*` in `ui/i18n`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WalkinRefusal {
    /// Walk-ins are off, or not for this category or service: a booking is needed.
    WalkinNotOffered,
    /// Today's quota of this pool is used up: come back another day before opening time, or
    /// ask the front desk.
    WalkinQuotaFull,
    /// Hub mode, hub unreachable: the places this kiosk keeps for a split are used up; the
    /// front desk can help.
    WalkinOfflineLimit,
}

impl WalkinRefusal {
    pub fn code(self) -> &'static str {
        match self {
            WalkinRefusal::WalkinNotOffered => "walkin_not_offered",
            WalkinRefusal::WalkinQuotaFull => "walkin_quota_full",
            WalkinRefusal::WalkinOfflineLimit => "walkin_offline_limit",
        }
    }
}

/// Whether one more walk-in may be issued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WalkinDecision {
    /// Issue it; `over_quota` when staff exceed the quota with a reason.
    Issue {
        over_quota: bool,
    },
    Refuse(WalkinRefusal),
}

/// The rule: offered by config, then a place left in the pool (`remaining`, as the kiosk, the
/// hub or the offline share counted it); with none left, staff may exceed the quota only with
/// a reason (`staff_override`), an applicant never.
pub fn decide(
    config: &WalkinConfig,
    choice: WalkinChoice,
    remaining: u32,
    source: QuotaSource,
    staff_override: bool,
) -> WalkinDecision {
    if !config.offers(choice.category, choice.service) {
        return WalkinDecision::Refuse(WalkinRefusal::WalkinNotOffered);
    }
    if remaining > 0 {
        return WalkinDecision::Issue { over_quota: false };
    }
    if staff_override {
        return WalkinDecision::Issue { over_quota: true };
    }
    WalkinDecision::Refuse(none_left(source))
}

/// An applicant's refusal when no place is left, by who counted: the office's quota is used up,
/// or (hub unreachable) the places this kiosk keeps are.
fn none_left(source: QuotaSource) -> WalkinRefusal {
    match source {
        QuotaSource::Offline => WalkinRefusal::WalkinOfflineLimit,
        QuotaSource::Kiosk | QuotaSource::Hub => WalkinRefusal::WalkinQuotaFull,
    }
}

/// What is left of a pool at a kiosk on its own: the quota less the walk-ins counted in it.
pub fn remaining(quota: u32, used: u32) -> u32 {
    quota.saturating_sub(used)
}

/// One pool at the hub, for one kiosk: the places every kiosk keeps for a split (`held_all`,
/// its own `held_self` among them) are not the others' to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HubPool {
    pub quota: u32,
    /// Walk-ins counted in the pool today, every kiosk's (offline ones once replayed).
    pub used: u32,
    pub held_all: u32,
    pub held_self: u32,
}

/// Where the place of a walk-in issued through the hub comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HubPlace {
    /// A place nobody keeps.
    Free,
    /// One of the places this kiosk keeps (the last ones are its own).
    Held,
    /// None left for this kiosk.
    None,
}

impl HubPool {
    /// Places no kiosk keeps.
    fn free(&self) -> u32 {
        self.quota.saturating_sub(self.used + self.held_all)
    }

    /// What this kiosk may still issue: the free places and the ones it keeps.
    pub fn remaining(&self) -> u32 {
        self.free() + self.held_self
    }

    /// The place the next walk-in at this kiosk takes: free ones first, so the kept ones last
    /// through a split.
    pub fn next_place(&self) -> HubPlace {
        if self.free() > 0 {
            HubPlace::Free
        } else if self.held_self > 0 {
            HubPlace::Held
        } else {
            HubPlace::None
        }
    }

    /// The places a kiosk keeps when it first asks the hub about this pool on a day: its
    /// share, or what is free when less is.
    pub fn hold_to_take(&self, offline_share: u32) -> u32 {
        offline_share.min(self.free())
    }
}

/// What a kiosk cut off from the hub may still issue from a pool: the places the hub confirmed
/// it keeps, less the walk-ins it issued offline since.
pub fn offline_remaining(held: u32, issued_offline: u32) -> u32 {
    held.saturating_sub(issued_offline)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::CategoryQuota;

    fn choice(category: Priority, service: Service) -> WalkinChoice {
        WalkinChoice { category, service }
    }

    #[test]
    fn one_pool_counts_every_category_and_service() {
        let config = WalkinConfig::default();
        let pool = Pool::of(&config, choice(Priority::Anak, Service::Baru));
        assert_eq!(pool.key(), "all");
        assert_eq!(pools(&config), vec![pool]);
        let counted = [
            (Priority::Lansia, Service::Baru, 3),
            (Priority::Anak, Service::HilangRusak, 2),
        ];
        assert_eq!(pool.used(&counted), 5);
        assert_eq!(pool.quota(&config), 50);
    }

    #[test]
    fn pools_per_category_and_service_count_apart() {
        let config = WalkinConfig {
            quota_by: QuotaBy::Category,
            per_service: true,
            categories: vec![Priority::Lansia, Priority::Anak],
            services: vec![Service::Baru, Service::Penggantian],
            category_quota: CategoryQuota {
                lansia: Some(4),
                anak: Some(2),
                ..CategoryQuota::default()
            },
            ..WalkinConfig::default()
        };
        let keys: Vec<String> = pools(&config).iter().map(Pool::key).collect();
        assert_eq!(
            keys,
            [
                "lansia/baru",
                "lansia/penggantian",
                "anak/baru",
                "anak/penggantian"
            ]
        );
        let lansia_baru = Pool::of(&config, choice(Priority::Lansia, Service::Baru));
        let counted = [
            (Priority::Lansia, Service::Baru, 3),
            (Priority::Lansia, Service::Penggantian, 1),
            (Priority::Anak, Service::Baru, 2),
        ];
        assert_eq!(lansia_baru.used(&counted), 3);
        assert_eq!(lansia_baru.quota(&config), 4);
        let state = state(&config, "2026-11-29", QuotaSource::Kiosk, |pool| {
            remaining(pool.quota(&config), pool.used(&counted))
        });
        assert_eq!(
            state.remaining, 6,
            "lansia/baru 1, lansia/penggantian 3, anak/baru 0, anak/penggantian 2"
        );
        let anak = &state.categories[1];
        assert_eq!((anak.remaining, anak.full), (2, false));
        assert!(anak.services[0].full, "anak/baru is used up");
        assert_eq!(anak.services[1].remaining, 2);
    }

    #[test]
    fn a_full_pool_refuses_applicants_and_staff_exceed_it_only_with_a_reason() {
        let config = WalkinConfig::default();
        let asked = choice(Priority::Lansia, Service::Baru);
        assert_eq!(
            decide(&config, asked, 1, QuotaSource::Kiosk, false),
            WalkinDecision::Issue { over_quota: false }
        );
        assert_eq!(
            decide(&config, asked, 0, QuotaSource::Kiosk, false),
            WalkinDecision::Refuse(WalkinRefusal::WalkinQuotaFull)
        );
        assert_eq!(
            decide(&config, asked, 0, QuotaSource::Offline, false),
            WalkinDecision::Refuse(WalkinRefusal::WalkinOfflineLimit)
        );
        assert_eq!(
            decide(&config, asked, 0, QuotaSource::Hub, true),
            WalkinDecision::Issue { over_quota: true }
        );
    }

    /// The page shows a full button's refusal before anyone asks: it must be the one `decide`
    /// gives that applicant, from the same count.
    #[test]
    fn a_full_state_names_the_refusal_an_applicant_would_get() {
        let config = WalkinConfig::default();
        let asked = choice(Priority::Anak, Service::HilangRusak);
        for source in [QuotaSource::Kiosk, QuotaSource::Hub, QuotaSource::Offline] {
            let full = state(&config, "2026-11-29", source, |_| 0);
            assert!(full.full);
            assert_eq!(
                WalkinDecision::Refuse(full.full_refusal),
                decide(&config, asked, 0, source, false),
                "{source:?}"
            );
        }
        let off = WalkinConfig {
            enabled: false,
            ..WalkinConfig::default()
        };
        let state = state(&off, "2026-11-29", QuotaSource::Kiosk, |_| 0);
        assert_eq!(state.full_refusal, WalkinRefusal::WalkinNotOffered);
        let json = serde_json::to_value(&state).expect("serialises");
        assert_eq!(
            json["full_refusal"], "walkin_not_offered",
            "the page reads a code"
        );
    }

    #[test]
    fn a_category_or_service_not_offered_is_refused_even_to_staff() {
        let config = WalkinConfig {
            categories: vec![Priority::Lansia],
            services: vec![Service::Baru],
            ..WalkinConfig::default()
        };
        for asked in [
            choice(Priority::Anak, Service::Baru),
            choice(Priority::Lansia, Service::Penggantian),
        ] {
            assert_eq!(
                decide(&config, asked, 10, QuotaSource::Kiosk, true),
                WalkinDecision::Refuse(WalkinRefusal::WalkinNotOffered)
            );
        }
        let off = WalkinConfig {
            enabled: false,
            ..WalkinConfig::default()
        };
        let state = state(&off, "2026-11-29", QuotaSource::Kiosk, |_| 50);
        assert!(!state.offered && state.full && state.remaining == 0);
    }

    #[test]
    fn the_hub_keeps_each_kiosks_share_and_hands_out_free_places_first() {
        // Quota 10, 6 used, two kiosks keeping 2 each: nothing is free; each may use its own.
        let pool = HubPool {
            quota: 10,
            used: 6,
            held_all: 4,
            held_self: 2,
        };
        assert_eq!(pool.remaining(), 2);
        assert_eq!(pool.next_place(), HubPlace::Held);
        let earlier = HubPool { used: 3, ..pool };
        assert_eq!(earlier.remaining(), 5);
        assert_eq!(earlier.next_place(), HubPlace::Free);
        let none = HubPool {
            held_self: 0,
            held_all: 4,
            used: 6,
            quota: 10,
        };
        assert_eq!(none.next_place(), HubPlace::None);
        assert_eq!(
            HubPool {
                quota: 10,
                used: 7,
                held_all: 2,
                held_self: 0
            }
            .hold_to_take(2),
            1,
            "a late kiosk keeps only what is free"
        );
        assert_eq!(offline_remaining(2, 3), 0);
    }
}
