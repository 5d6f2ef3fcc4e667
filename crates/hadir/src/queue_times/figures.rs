//! The supervisor's times: waiting, service and no-shows per service, hour and counter.

use std::collections::BTreeMap;

use jiff::tz::TimeZone;

use super::{percentile, ServiceRecord};
use crate::model::Service;

/// A set of durations in whole seconds: how many, their median and 90th percentile
/// ([`percentile`]'s rule, rounded to the second); `None` figures when there is none.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TimeFigures {
    pub count: usize,
    pub median_seconds: Option<u32>,
    pub p90_seconds: Option<u32>,
}

impl TimeFigures {
    pub fn of(seconds: &[i64]) -> TimeFigures {
        let rounded = |q| {
            percentile(seconds, q).map(|value| u32::try_from(value.round() as i64).unwrap_or(0))
        };
        TimeFigures {
            count: seconds.len(),
            median_seconds: rounded(0.50),
            p90_seconds: rounded(0.90),
        }
    }
}

/// One row of the supervisor's times: tickets in the group, their waiting time (check-in to
/// first call: every called ticket, no-shows too, since they waited that long), their service
/// time (first call to finish: finished tickets only) and the no-shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupTimes {
    pub tickets: usize,
    pub waiting: TimeFigures,
    pub service: TimeFigures,
    pub no_shows: usize,
}

impl GroupTimes {
    fn of(records: &[&ServiceRecord]) -> GroupTimes {
        let waiting: Vec<i64> = records.iter().filter_map(|r| r.waiting_seconds()).collect();
        let service: Vec<i64> = records.iter().filter_map(|r| r.service_seconds()).collect();
        GroupTimes {
            tickets: records.len(),
            waiting: TimeFigures::of(&waiting),
            service: TimeFigures::of(&service),
            no_shows: records.iter().filter(|r| r.no_show).count(),
        }
    }
}

/// The period's times for the report, each list holding only groups with a ticket, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SupervisorTimes {
    pub overall: GroupTimes,
    /// In the contract's order of services (baru, penggantian, hilang_rusak).
    pub per_service: Vec<(Service, GroupTimes)>,
    /// By the office-local hour (0-23) of the check-in, over every day of the period: the hour
    /// the applicant arrived is the one their wait belongs to.
    pub per_hour: Vec<(i8, GroupTimes)>,
    /// By the counter that called the ticket (last, after a transfer); tickets never called are
    /// in no counter's row.
    pub per_counter: Vec<(u32, GroupTimes)>,
}

/// The supervisor's times over `records` (a day's or a period's), hours read in `time_zone`
/// (the office's, `Config::time_zone`).
pub fn supervisor_times(records: &[ServiceRecord], time_zone: &TimeZone) -> SupervisorTimes {
    let all: Vec<&ServiceRecord> = records.iter().collect();
    let per_service = [Service::Baru, Service::Penggantian, Service::HilangRusak]
        .into_iter()
        .filter_map(|service| {
            let group: Vec<&ServiceRecord> = all
                .iter()
                .copied()
                .filter(|r| r.service == service)
                .collect();
            (!group.is_empty()).then(|| (service, GroupTimes::of(&group)))
        })
        .collect();
    let per_hour = grouped(&all, |r| {
        Some(r.checked_in_at.to_zoned_datetime(time_zone.clone()).hour())
    });
    let per_counter = grouped(&all, |r| r.counter);
    SupervisorTimes {
        overall: GroupTimes::of(&all),
        per_service,
        per_hour,
        per_counter,
    }
}

fn grouped<K: Ord + Copy>(
    records: &[&ServiceRecord],
    key: impl Fn(&ServiceRecord) -> Option<K>,
) -> Vec<(K, GroupTimes)> {
    let mut groups: BTreeMap<K, Vec<&ServiceRecord>> = BTreeMap::new();
    for record in records {
        if let Some(key) = key(record) {
            groups.entry(key).or_default().push(record);
        }
    }
    groups
        .into_iter()
        .map(|(key, group)| (key, GroupTimes::of(&group)))
        .collect()
}
