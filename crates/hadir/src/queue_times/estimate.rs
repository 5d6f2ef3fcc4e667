//! The estimated wait: a range from today's measured service times, and its words.

use jiff::ZonedDateTime;
use serde::Serialize;

use super::{people_ahead, percentile, ServiceRecord};
use crate::config::CallingConfig;
use crate::model::Language;
use crate::texts::{self, BothLanguages};

/// Finished services the office day needs before any estimate is shown: fewer measure the
/// morning's first, often slow or quick, cases rather than the office's pace, and a wrong range
/// read at the kiosk is worse than none (the count alone is still shown).
pub const MIN_FINISHED_FOR_ESTIMATE: usize = 5;

/// Minutes an estimate is rounded outward to: a finer figure would read as a promise.
const ROUND_MINUTES: i64 = 5;

/// "sekitar {low_minutes}-{high_minutes} menit": never a promise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct WaitEstimate {
    pub low_minutes: u32,
    pub high_minutes: u32,
}

/// Service times (first call to finish, in seconds) of the services finished on `now`'s
/// office-local day, up to `now`: today's measured pace. A service finished before midnight is
/// yesterday's; one dated after `now` (another machine's clock ahead) is left out.
pub fn measured_service_seconds(day: &[ServiceRecord], now: &ZonedDateTime) -> Vec<i64> {
    let today = now.date();
    let time_zone = now.time_zone();
    day.iter()
        .filter(|record| {
            record.finished_at.is_some_and(|finished| {
                finished <= now.timestamp()
                    && finished.to_zoned_datetime(time_zone.clone()).date() == today
            })
        })
        .filter_map(ServiceRecord::service_seconds)
        .collect()
}

/// The wait of someone with `people_ahead` before them while `counters_open` counters serve the
/// queue, from today's service times ([`measured_service_seconds`]); `None` with fewer than
/// `min_finished` of them ([`MIN_FINISHED_FOR_ESTIMATE`] unless the office sets its own) or no
/// counter open.
///
/// The rule, with s50 and s75 the median and 75th percentile service time ([`percentile`]) and
/// c the counters: low = people_ahead x s50 / c (everyone ahead takes a typical time, every
/// counter works on this queue), high = (people_ahead + 1) x s75 / c (slower services, and the
/// service under way when one is called); low rounded down and high up to 5 minutes, high at
/// least 5 minutes above low. It leaves out breaks, recalls and no-shows, counters serving
/// other queues too and people joining the priority lane later, hence a range and "sekitar".
pub fn estimate_wait(
    people_ahead: usize,
    day: &[ServiceRecord],
    counters_open: u32,
    now: &ZonedDateTime,
    min_finished: usize,
) -> Option<WaitEstimate> {
    let services = measured_service_seconds(day, now);
    if counters_open == 0 || services.is_empty() || services.len() < min_finished {
        return None;
    }
    let typical = percentile(&services, 0.50)?;
    let slow = percentile(&services, 0.75)?;
    let counters = f64::from(counters_open);
    let ahead = people_ahead as f64;
    let low_seconds = ahead * typical / counters;
    let high_seconds = (ahead + 1.0) * slow / counters;
    let round = ROUND_MINUTES * 60;
    let low = (low_seconds as i64 / round) * ROUND_MINUTES;
    let high =
        ((high_seconds.ceil() as i64 + round - 1) / round * ROUND_MINUTES).max(low + ROUND_MINUTES);
    Some(WaitEstimate {
        low_minutes: u32::try_from(low).unwrap_or(u32::MAX),
        high_minutes: u32::try_from(high).unwrap_or(u32::MAX),
    })
}

/// What the result screen and the ticket say of the queue in hub mode: the people ahead and,
/// once the day has enough finished services, the estimate. Without the hub there is none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct QueueOutlook {
    pub people_ahead: usize,
    pub estimate: Option<WaitEstimate>,
}

impl QueueOutlook {
    /// What `ticket`'s applicant is told: [`people_ahead`] with the counters' rules and the
    /// streak so far, and [`estimate_wait`] for that many; `None` when `ticket` is not waiting.
    pub fn of(
        ticket: &ServiceRecord,
        day: &[ServiceRecord],
        priority_streak: u32,
        rules: &CallingConfig,
        counters_open: u32,
        now: &ZonedDateTime,
        min_finished: usize,
    ) -> Option<QueueOutlook> {
        let ahead = people_ahead(ticket, day, priority_streak, rules)?;
        Some(QueueOutlook {
            people_ahead: ahead,
            estimate: estimate_wait(ahead, day, counters_open, now, min_finished),
        })
    }

    /// The result screen's lines (`result.ahead` or `result.ahead_none`, then
    /// `result.estimate` when there is one), both languages for the page to pick from.
    pub fn screen_lines(&self) -> Vec<BothLanguages> {
        self.keyed_lines(["result.ahead", "result.ahead_none", "result.estimate"])
            .into_iter()
            .map(|(key, params)| texts::both(key, &params))
            .collect()
    }

    /// The ticket's lines in the language it is printed in (`ticket.ahead` or
    /// `ticket.ahead_none`, then `ticket.estimate`): they say "when printed", since paper does
    /// not change as the queue moves.
    pub fn ticket_lines(&self, lang: Language) -> Vec<String> {
        self.keyed_lines(["ticket.ahead", "ticket.ahead_none", "ticket.estimate"])
            .into_iter()
            .map(|(key, params)| texts::text(lang, key, &params))
            .collect()
    }

    fn keyed_lines<'k>(
        &self,
        [ahead, none, estimate]: [&'k str; 3],
    ) -> Vec<(&'k str, serde_json::Value)> {
        let mut lines = vec![if self.people_ahead == 0 {
            (none, serde_json::json!({}))
        } else {
            (ahead, serde_json::json!({ "count": self.people_ahead }))
        }];
        if let Some(range) = self.estimate {
            lines.push((
                estimate,
                serde_json::json!({ "low": range.low_minutes, "high": range.high_minutes }),
            ));
        }
        lines
    }
}
