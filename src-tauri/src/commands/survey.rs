use hadir::ratings::{self, RatingRecorded, SurveyAnswers};
use hadir::ErrorPayload;
use tauri::State;

use crate::KioskState;

/// The applicant's answers for the ticket the survey was opened with; recorded once.
#[tauri::command]
pub async fn submit_rating(
    state: State<'_, KioskState>,
    answers: SurveyAnswers,
) -> Result<RatingRecorded, ErrorPayload> {
    let now = state.office_now();
    let recorded = ratings::submit_rating(&mut state.store(), &answers, &now, &state.config())
        .map_err(|error| ErrorPayload::from(&error))?;
    if matches!(recorded, RatingRecorded::Ok { .. }) {
        state.sync.events_written();
    }
    Ok(recorded)
}
