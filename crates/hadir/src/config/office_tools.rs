//! Config sections for the survey, staff mode and personal data: what the office tunes for its
//! own tools rather than for the check-in itself.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::staff::LockoutRules;
use crate::survey::{MisuseRules, QuestionSet};

/// The satisfaction survey after service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SurveyConfig {
    /// `servqual` (five dimensions, default) or `skm2017` (the nine SKM elements).
    pub question_set: String,
    /// A survey screen left alone returns to welcome after this many seconds.
    pub reset_seconds: u32,
    /// Least time a person needs per question; faster ratings are flagged `too_fast`.
    pub min_ms_per_question: u64,
    /// More than this many ratings at one kiosk within `burst_window_seconds` are flagged `burst`.
    pub burst_count: u32,
    pub burst_window_seconds: u64,
    /// A ticket scanned for the survey sooner than this after it was issued is asked to come
    /// back after service (the applicant has not been served yet). 0: no wait.
    pub earliest_after_issue_minutes: u32,
    /// The office export's ratings per counter are split by the staff member at the counter
    /// too. Off by default: ratings judge the service at a counter, not a named person, unless
    /// the supervisor decides otherwise.
    pub ratings_per_staff: bool,
}

impl Default for SurveyConfig {
    fn default() -> Self {
        SurveyConfig {
            question_set: "servqual".into(),
            reset_seconds: 30,
            min_ms_per_question: 1200,
            burst_count: 5,
            burst_window_seconds: 120,
            earliest_after_issue_minutes: 5,
            ratings_per_staff: false,
        }
    }
}

impl SurveyConfig {
    /// The configured set; validation made sure it exists.
    pub fn set(&self) -> QuestionSet {
        QuestionSet::by_id(&self.question_set).unwrap_or(crate::survey::SERVQUAL)
    }

    /// How long after its issue a ticket may rate the service.
    pub fn earliest_after_issue(&self) -> Duration {
        Duration::from_secs(u64::from(self.earliest_after_issue_minutes) * 60)
    }

    pub fn misuse_rules(&self) -> MisuseRules {
        MisuseRules {
            min_per_question: Duration::from_millis(self.min_ms_per_question),
            burst_count: self.burst_count as usize,
            burst_window: Duration::from_secs(self.burst_window_seconds),
        }
    }
}

/// Staff mode: PIN lockout and idle logout.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StaffConfig {
    /// Wrong PINs in a row that lock the account.
    pub max_failures: u32,
    /// How long a locked account cannot even try.
    pub lock_minutes: u32,
    /// Staff mode without a touch for this long logs out and returns to the applicant screen.
    pub idle_logout_seconds: u32,
}

impl Default for StaffConfig {
    fn default() -> Self {
        StaffConfig {
            max_failures: 5,
            lock_minutes: 5,
            idle_logout_seconds: 120,
        }
    }
}

impl StaffConfig {
    pub fn lockout(&self) -> LockoutRules {
        LockoutRules {
            max_failures: self.max_failures,
            lock_for: Duration::from_secs(u64::from(self.lock_minutes) * 60),
        }
    }
}

/// Personal data in exports and how long the kiosk keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PrivacyConfig {
    /// Exports show full applicant names and booking codes (for the office's own use). Off:
    /// initials and masked codes.
    pub full_names_in_exports: bool,
    /// The supervisor's "purge personal data" suggests days older than this many days.
    pub retention_days: u32,
}

impl Default for PrivacyConfig {
    fn default() -> Self {
        PrivacyConfig {
            full_names_in_exports: false,
            retention_days: 90,
        }
    }
}

/// Checks the values serde cannot, as `Config::validate` does.
pub(super) fn validate(
    survey: &SurveyConfig,
    staff: &StaffConfig,
    privacy: &PrivacyConfig,
) -> std::result::Result<(), (&'static str, String)> {
    if QuestionSet::by_id(&survey.question_set).is_none() {
        return Err((
            "survey.question_set",
            format!(
                "{:?} is not a question set; use \"servqual\" or \"skm2017\"",
                survey.question_set
            ),
        ));
    }
    let ranges: [(&'static str, u64, std::ops::RangeInclusive<u64>); 8] = [
        ("survey.reset_seconds", survey.reset_seconds.into(), 5..=600),
        (
            "survey.min_ms_per_question",
            survey.min_ms_per_question,
            0..=10_000,
        ),
        ("survey.burst_count", survey.burst_count.into(), 1..=1000),
        (
            "survey.burst_window_seconds",
            survey.burst_window_seconds,
            1..=86_400,
        ),
        (
            "survey.earliest_after_issue_minutes",
            survey.earliest_after_issue_minutes.into(),
            0..=240,
        ),
        ("staff.max_failures", staff.max_failures.into(), 1..=20),
        ("staff.lock_minutes", staff.lock_minutes.into(), 1..=1440),
        (
            "staff.idle_logout_seconds",
            staff.idle_logout_seconds.into(),
            15..=3600,
        ),
    ];
    for (key, value, range) in ranges {
        if !range.contains(&value) {
            return Err((
                key,
                format!("{value} is outside {} to {}", range.start(), range.end()),
            ));
        }
    }
    if !(1..=3650).contains(&privacy.retention_days) {
        return Err((
            "privacy.retention_days",
            format!("{} is outside 1 to 3650 days", privacy.retention_days),
        ));
    }
    Ok(())
}
