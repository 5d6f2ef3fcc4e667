//! The period's numbers ([`Summary`]), computed from a report's rows; every format shows these
//! same numbers.

use std::collections::BTreeMap;

use serde::Serialize;

use super::Report;
use crate::survey::{self, IndexReport, Rating};

impl Report {
    /// The period's numbers, computed from the rows (every format shows these same numbers).
    pub fn summary(&self) -> Summary {
        let mut summary = Summary {
            checkins: self.tickets.len() as u32,
            ..Summary::default()
        };
        for ticket in &self.tickets {
            if let Some(hour) = local_hour(&ticket.issued_at) {
                summary.per_hour[usize::from(hour)] += 1;
            }
            *summary
                .per_day
                .entry(ticket.office_date.clone())
                .or_default() += 1;
            let service = ticket.service.as_deref().unwrap_or(UNKNOWN);
            match summary.per_service.iter_mut().find(|(s, _)| s == service) {
                Some((_, count)) => *count += 1,
                None => summary.per_service.push((service.to_owned(), 1)),
            }
            if let Some(priority) = &ticket.priority {
                summary.priority += 1;
                *summary.per_priority.entry(priority.clone()).or_default() += 1;
            }
            summary.express += u32::from(ticket.express == Some(true));
            match ticket.staff_kind.as_deref() {
                Some("override") => summary.overrides += 1,
                Some(_) => summary.manual += 1,
                None => {}
            }
            summary.print_failures += ticket.prints_failed as u32;
            summary.reprints += ticket.reprints as u32;
            summary.unprinted += u32::from(ticket.last_print.as_deref() == Some("failed"));
        }
        summary
            .per_service
            .sort_by_key(|(service, _)| service_order(service));
        for day in &self.no_shows {
            summary.booked += day.booked;
            summary.no_shows += day.no_shows();
            summary.not_yet_due += day.not_yet_due;
        }
        let ratings: Vec<Rating> = self
            .ratings
            .iter()
            .filter(|r| r.question_set == self.question_set.id)
            .map(|r| Rating {
                scores: r.scores.clone(),
                flagged: !r.flags.is_empty(),
            })
            .collect();
        summary.ratings = self.ratings.len() as u32;
        summary.ratings_other_set = summary.ratings - ratings.len() as u32;
        summary.index = Some(survey::index(self.question_set, &ratings, false));
        summary.staff_actions = self.staff_actions.len() as u32;
        summary.walkins = self.walkin_summary();
        summary
    }
}

pub(super) const UNKNOWN: &str = "tidak_diketahui";

fn service_order(service: &str) -> usize {
    ["baru", "penggantian", "hilang_rusak"]
        .iter()
        .position(|s| *s == service)
        .unwrap_or(usize::MAX)
}

/// The hour of an office-local RFC 3339 time (`2026-11-29T08:41:07+08:00` -> 8).
fn local_hour(at: &str) -> Option<u8> {
    at.get(11..13)?.parse().ok().filter(|h| *h < 24)
}

/// The period's numbers.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Summary {
    pub checkins: u32,
    /// Check-ins per office-local hour of issue, 0-23.
    pub per_hour: [u32; 24],
    pub per_day: BTreeMap<String, u32>,
    /// Per service key, in the order baru, penggantian, hilang_rusak (then unknown).
    pub per_service: Vec<(String, u32)>,
    /// Tickets of applicants with a priority, and per kind.
    pub priority: u32,
    pub per_priority: BTreeMap<String, u32>,
    pub express: u32,
    /// Check-ins by staff: without a scan, and admitted despite a refusal.
    pub manual: u32,
    pub overrides: u32,
    /// Failed print attempts, tickets whose latest attempt failed, printed copies (SALINAN).
    pub print_failures: u32,
    pub unprinted: u32,
    pub reprints: u32,
    /// Over the cached days only (see [`Report::no_shows`]).
    pub booked: i64,
    /// Booked, not checked in, check-in window closed at the report's moment.
    pub no_shows: i64,
    /// Booked, not checked in, check-in window not closed yet at the report's moment.
    pub not_yet_due: i64,
    pub ratings: u32,
    /// Ratings given with another question set than the configured one (not in the index).
    pub ratings_other_set: u32,
    /// The index over ratings of the configured set, flagged ones left out.
    pub index: Option<IndexReport>,
    pub staff_actions: u32,
    /// Priority walk-ins: per category and service, and each day's quota used.
    pub walkins: super::WalkinSummary,
}

impl Summary {
    /// Share of check-ins with a priority, in percent; `None` without check-ins.
    pub fn priority_percent(&self) -> Option<f64> {
        (self.checkins > 0).then(|| f64::from(self.priority) * 100.0 / f64::from(self.checkins))
    }
}
