//! The applicant's side of the survey: a scanned ticket QR opens it, the answers are recorded
//! once per ticket. The rules (which ticket may rate, misuse flags) are decided here, with the
//! clock and config passed in; the screens only carry them.

use std::collections::BTreeMap;
use std::time::Duration;

use jiff::ZonedDateTime;
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::rfc3339;
use crate::store::{NewRating, Store};
use crate::survey::{misuse_flags, MisuseFlag, Rating};
use crate::ticket::TICKET_QR_PREFIX;

/// Longest comment kept; the screen's keyboard stops there too.
pub const MAX_COMMENT_CHARS: usize = 280;

/// The ticket id in a scanned ticket QR (`HADIR-TIKET:<id>`), or `None` for anything else
/// (then the text is a booking code or token for check-in).
pub fn ticket_id_in(raw: &str) -> Option<&str> {
    let text = raw.trim_end_matches(['\r', '\n', '\t']).trim_matches(' ');
    let id = text.strip_prefix(TICKET_QR_PREFIX)?;
    Some(id)
}

/// What scanning a ticket at the kiosk leads to. Serialised with `code`, like check-in
/// verdicts, so the screens pick their texts by it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum SurveyVerdict {
    /// Ask the questions of `question_set` for this ticket.
    Ready {
        ticket_id: String,
        label: String,
        question_set: &'static str,
        elements: &'static [&'static str],
    },
    /// One rating per ticket: this one has it already.
    AlreadyRated { label: String },
    /// Scanned within `[survey] earliest_after_issue_minutes` of its issue: the applicant has
    /// not been served yet. Come back after service (nothing is wrong).
    TooSoon { label: String },
    /// A ticket of another day: ratings are taken on the day of service.
    OtherDay { label: String, date: String },
    /// Not a ticket this office issued (or one from another kiosk's store).
    UnknownTicket,
}

/// Decides whether the scanned ticket may be rated now.
pub fn open_survey(
    store: &Store,
    ticket_id: &str,
    now: &ZonedDateTime,
    config: &Config,
) -> Result<SurveyVerdict> {
    // Ticket ids are 32 hex digits; anything else cannot be ours, and is not even looked up.
    if ticket_id.len() != 32 || !ticket_id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(SurveyVerdict::UnknownTicket);
    }
    let Some(ticket) = store.ratable_ticket(ticket_id)? else {
        return Ok(SurveyVerdict::UnknownTicket);
    };
    if ticket.office_date != now.date().to_string() {
        return Ok(SurveyVerdict::OtherDay {
            label: ticket.label,
            date: ticket.office_date,
        });
    }
    if ticket.already_rated {
        return Ok(SurveyVerdict::AlreadyRated {
            label: ticket.label,
        });
    }
    if too_soon_to_rate(&ticket.issued_at, now, config.survey.earliest_after_issue()) {
        return Ok(SurveyVerdict::TooSoon {
            label: ticket.label,
        });
    }
    let set = config.survey.set();
    Ok(SurveyVerdict::Ready {
        ticket_id: ticket.ticket_id,
        label: ticket.label,
        question_set: set.id,
        elements: set.elements,
    })
}

/// Whether a ticket issued at `issued_at` (RFC 3339) is too fresh at `now` to rate the service:
/// less than `wait` has passed. A time that cannot be read never holds a rating back.
pub fn too_soon_to_rate(issued_at: &str, now: &ZonedDateTime, wait: Duration) -> bool {
    let Ok(issued) = issued_at.parse::<jiff::Timestamp>() else {
        return false;
    };
    let Ok(wait) = jiff::SignedDuration::try_from(wait) else {
        return false;
    };
    now.timestamp().duration_since(issued) < wait
}

/// The answers as the survey screens send them.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SurveyAnswers {
    pub ticket_id: String,
    pub scores: BTreeMap<String, u8>,
    pub comment: Option<String>,
    /// From showing the first question to the last answer, as the screen measured it.
    pub answered_ms: u64,
}

/// What submitting answers led to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum RatingRecorded {
    /// Thank you. `flags` are kept for reports; the applicant is not told.
    Ok {
        #[serde(skip)]
        flags: Vec<MisuseFlag>,
    },
    /// Rated meanwhile (another kiosk, or a double tap): nothing more written.
    AlreadyRated,
    TooSoon,
    OtherDay,
    UnknownTicket,
}

/// Records a rating once per ticket, with misuse flags decided from the time taken and this
/// kiosk's recent ratings.
pub fn submit_rating(
    store: &mut Store,
    answers: &SurveyAnswers,
    now: &ZonedDateTime,
    config: &Config,
) -> Result<RatingRecorded> {
    match open_survey(store, &answers.ticket_id, now, config)? {
        SurveyVerdict::Ready { .. } => {}
        SurveyVerdict::AlreadyRated { .. } => return Ok(RatingRecorded::AlreadyRated),
        SurveyVerdict::TooSoon { .. } => return Ok(RatingRecorded::TooSoon),
        SurveyVerdict::OtherDay { .. } => return Ok(RatingRecorded::OtherDay),
        SurveyVerdict::UnknownTicket => return Ok(RatingRecorded::UnknownTicket),
    }
    let set = config.survey.set();
    let rating = Rating::new(set, answers.scores.clone()).map_err(Error::Rating)?;
    let comment = clean_comment(answers.comment.as_deref());
    let rules = config.survey.misuse_rules();
    let since = now
        .checked_sub(jiff::SignedDuration::try_from(rules.burst_window).unwrap_or_default())
        .unwrap_or_else(|_| now.clone());
    let earlier: Vec<Duration> = store
        .rating_times_since(&config.kiosk.id, &rfc3339(&since))?
        .iter()
        .filter_map(|at| at.parse::<jiff::Timestamp>().ok())
        .map(|at| Duration::try_from(now.timestamp().duration_since(at)).unwrap_or(Duration::ZERO))
        .collect();
    let flags = misuse_flags(
        rules,
        set.elements.len(),
        Duration::from_millis(answers.answered_ms),
        &earlier,
    );
    let recorded = store.record_rating(&NewRating {
        ticket_id: &answers.ticket_id,
        at: &rfc3339(now),
        kiosk: &config.kiosk.id,
        question_set: set.id,
        scores: &rating.scores,
        comment: comment.as_deref(),
        answered_ms: i64::try_from(answers.answered_ms).unwrap_or(i64::MAX),
        flags: &flags,
    })?;
    Ok(if recorded {
        RatingRecorded::Ok { flags }
    } else {
        RatingRecorded::AlreadyRated
    })
}

/// A comment as kept: control characters dropped, spaces collapsed, at most
/// [`MAX_COMMENT_CHARS`]; `None` when nothing is left.
fn clean_comment(comment: Option<&str>) -> Option<String> {
    let text = crate::texts::one_line(comment?, MAX_COMMENT_CHARS);
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests;
