//! Why survey answers cannot be recorded. Kept with the other errors so that [`super::Error`]
//! holds it without reaching up to the survey rules.

use super::ErrorCode;

/// Why a rating cannot be recorded. Stable codes for the UI and the CLI.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RatingError {
    #[error("element {0:?} is not in this question set")]
    UnknownElement(String),
    #[error("element {element:?} has score {score}; scores are 1 to 4")]
    ScoreOutOfRange { element: String, score: u8 },
    #[error("element {0:?} has no answer")]
    Missing(String),
}

impl RatingError {
    pub fn code(&self) -> &'static str {
        self.error_code().as_str()
    }

    pub fn error_code(&self) -> ErrorCode {
        match self {
            RatingError::UnknownElement(_) => ErrorCode::RatingUnknownElement,
            RatingError::ScoreOutOfRange { .. } => ErrorCode::RatingScoreOutOfRange,
            RatingError::Missing(_) => ErrorCode::RatingIncomplete,
        }
    }
}
