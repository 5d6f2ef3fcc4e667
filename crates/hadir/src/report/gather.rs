//! Gathering one [`Report`]: the period's rows read once from the store, sync health as of
//! the export, and names masked before any renderer sees them.

use jiff::{Timestamp, ZonedDateTime};
use serde::Serialize;

use super::no_shows;
use super::ExportRange;
use crate::config::Config;
use crate::error::Result;
use crate::model::rfc3339;
use crate::model::{mask_booking_code, mask_codes_in, mask_name};
use crate::store::{NoShowDay, RatingRow, StaffActionRow, Store, TicketRow, WalkinRow};
use crate::survey::QuestionSet;
use crate::sync::{SyncHealth, SyncState};

/// Sync health as the report states it, times office-local.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncSnapshot {
    /// `ok`, `offline`, `stopped` or `file_only`.
    pub state: &'static str,
    pub outbox: i64,
    pub rejected: i64,
    pub last_pull_ok_at: Option<String>,
    pub last_push_ok_at: Option<String>,
    pub last_import_at: Option<String>,
    pub last_error_code: Option<String>,
}

/// Everything one export shows, gathered once.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub office_id: String,
    pub office_name: String,
    pub range: ExportRange,
    /// Office-local RFC 3339: when the export was made (the caller's clock).
    pub generated_at: String,
    /// The office's IANA time zone (`Asia/Makassar`): times are shown with its abbreviation.
    pub time_zone: String,
    /// Whether `tickets[].applicant_name` holds full names; otherwise they are masked already.
    pub full_names: bool,
    /// The configured question set: the index is computed from ratings of this set only.
    #[serde(skip)]
    pub question_set: QuestionSet,
    pub tickets: Vec<TicketRow>,
    pub ratings: Vec<RatingRow>,
    pub staff_actions: Vec<StaffActionRow>,
    /// Priority walk-ins of the period (nothing personal: category, service, quota).
    pub walkins: Vec<WalkinRow>,
    /// Only days still in the appointment cache; as of `generated_at` (a booking whose check-in
    /// window had not closed then is `not_yet_due`, not a no-show).
    pub no_shows: Vec<NoShowDay>,
    pub sync: SyncSnapshot,
    /// Waiting and service times and ratings per counter: only the office hub records calls,
    /// so only its export fills them (`None`: every format says they need the office hub).
    #[serde(skip)]
    pub office_times: Option<super::OfficeTimes>,
}

impl Report {
    /// Reads the period's datasets. Names are masked here, before any renderer sees them,
    /// unless `full_names` or `[privacy] full_names_in_exports` asks for them.
    pub fn gather(
        store: &Store,
        config: &Config,
        range: ExportRange,
        now: &ZonedDateTime,
        full_names: bool,
    ) -> Result<Report> {
        let full_names = full_names || config.privacy.full_names_in_exports;
        let health = SyncHealth::read(store, config, now.timestamp())?;
        let local = |utc: Option<String>| {
            utc.map(|text| match text.parse::<Timestamp>() {
                Ok(at) => rfc3339(&at.to_zoned_datetime(config.time_zone())),
                Err(_) => text,
            })
        };
        let sync = SyncSnapshot {
            state: match health.state {
                SyncState::FileOnly => "file_only",
                SyncState::Stopped => "stopped",
                SyncState::Offline => "offline",
                SyncState::Ok => "ok",
            },
            outbox: health.outbox,
            rejected: health.rejected,
            last_pull_ok_at: local(health.last_pull_ok_at),
            last_push_ok_at: local(health.last_push_ok_at),
            last_import_at: local(health.last_import_at),
            last_error_code: health.last_error.map(|e| e.code),
        };
        let mut report = Report {
            office_id: config.office.id.clone(),
            office_name: config.office.name.clone(),
            range,
            generated_at: rfc3339(now),
            time_zone: config.office.time_zone.clone(),
            full_names,
            question_set: config.survey.set(),
            tickets: store.report_tickets(range.from, range.to)?,
            ratings: store.report_ratings(range.from, range.to)?,
            staff_actions: store.report_staff_actions(range.from, range.to)?,
            walkins: store.report_walkins(range.from, range.to)?,
            no_shows: no_shows::no_show_days(
                &store.report_booked_slots(range.from, range.to)?,
                now.datetime(),
                config.checkin.late_minutes,
            ),
            sync,
            office_times: None,
        };
        if !full_names {
            report.mask_personal_data();
        }
        Ok(report)
    }

    /// Masks what names a person in the rows: applicant names (`MARIA G*** F***`) and booking
    /// codes (`MPAB****12`), also where staff actions mention a code. Counts, numbers and times
    /// stay, so every figure of the report is the same.
    pub fn mask_personal_data(&mut self) {
        self.full_names = false;
        for ticket in &mut self.tickets {
            ticket.applicant_name = ticket.applicant_name.as_deref().map(mask_name);
            ticket.booking_code = mask_booking_code(&ticket.booking_code);
        }
        for action in &mut self.staff_actions {
            action.target = action.target.as_deref().map(mask_codes_in);
            action.reason = action.reason.as_deref().map(mask_codes_in);
        }
    }
}
