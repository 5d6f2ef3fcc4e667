//! Why a staff-mode action was refused, with a stable code and a next step each. Kept with the
//! other errors so that [`super::Error`] holds it without reaching up to the front desk.

use super::ErrorCode;
use crate::texts::BothLanguages;

/// Why a staff action was refused. Nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StaffRefusal {
    #[error("staff mode needs a sign-in")]
    NotSignedIn,
    #[error("the staff session ended after idle minutes")]
    SessionExpired,
    #[error("only a supervisor may do this")]
    SupervisorOnly,
    #[error("a reason is required")]
    ReasonRequired,
    #[error("no ticket {0:?} today")]
    TicketUnknown(String),
    #[error("the booking code {0:?} is not a booking code")]
    BookingCodeMalformed(String),
    #[error("a staff account named {0:?} exists")]
    NameTaken(String),
    #[error("no staff account named {0:?}")]
    StaffUnknown(String),
    #[error("a staff PIN is 4 to 8 digits")]
    PinMalformed,
    #[error("role {0:?} is not frontdesk, supervisor or counter")]
    RoleUnknown(String),
    #[error("a name and a birth date (DD-MM-YYYY) are both needed")]
    SearchIncomplete,
    #[error("{0:?} is not a date (DD-MM-YYYY)")]
    DateMalformed(String),
    #[error("the export period {0} is not one the kiosk can export")]
    PeriodInvalid(String),
    #[error("{0:?} is no longer offered for exports (stick removed?)")]
    ExportPlaceGone(String),
    #[error("a staff account cannot be disabled by itself")]
    CannotDisableSelf,
    #[error("{0:?} is the last active supervisor")]
    LastSupervisor(String),
    #[error("no walk-in ticket {0:?} today")]
    WalkinUnknown(String),
    /// A counter-role account at a kiosk's staff mode: it signs in at a counter only.
    #[error("{0:?} is a counter account: it signs in at a counter only")]
    CounterOnly(String),
}

impl StaffRefusal {
    pub fn code(&self) -> &'static str {
        self.error_code().as_str()
    }

    pub fn error_code(&self) -> ErrorCode {
        match self {
            StaffRefusal::NotSignedIn => ErrorCode::StaffNotSignedIn,
            StaffRefusal::SessionExpired => ErrorCode::StaffSessionExpired,
            StaffRefusal::SupervisorOnly => ErrorCode::StaffSupervisorOnly,
            StaffRefusal::ReasonRequired => ErrorCode::StaffReasonRequired,
            StaffRefusal::TicketUnknown(_) => ErrorCode::TicketUnknown,
            StaffRefusal::BookingCodeMalformed(_) => ErrorCode::BookingCodeMalformed,
            StaffRefusal::NameTaken(_) => ErrorCode::StaffNameTaken,
            StaffRefusal::StaffUnknown(_) => ErrorCode::StaffUnknown,
            StaffRefusal::PinMalformed => ErrorCode::StaffPinMalformed,
            StaffRefusal::RoleUnknown(_) => ErrorCode::StaffRoleUnknown,
            StaffRefusal::SearchIncomplete => ErrorCode::SearchIncomplete,
            StaffRefusal::DateMalformed(_) => ErrorCode::DateMalformed,
            StaffRefusal::PeriodInvalid(_) => ErrorCode::ExportPeriodInvalid,
            StaffRefusal::ExportPlaceGone(_) => ErrorCode::ExportPlaceGone,
            StaffRefusal::CannotDisableSelf => ErrorCode::StaffCannotDisableSelf,
            StaffRefusal::LastSupervisor(_) => ErrorCode::StaffLastSupervisor,
            StaffRefusal::WalkinUnknown(_) => ErrorCode::WalkinUnknown,
            StaffRefusal::CounterOnly(_) => ErrorCode::StaffCounterOnly,
        }
    }

    /// What to do about it (`ui/i18n`, `error.next.*`).
    pub fn next_step(&self) -> BothLanguages {
        self.error_code().next_step()
    }
}
