//! Why a counter's action was refused (or could not reach the hub), with a stable code and a
//! next step each. Kept with the other errors so that [`super::Error`] holds it without
//! reaching up to the counter's use cases (`crate::counter_desk`). Nothing was changed.

use super::ErrorCode;
use crate::texts::BothLanguages;

/// Why a counter's action did not happen. Nothing at the hub or in the store changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CounterRefusal {
    /// The office hub did not answer (in time) or failed: the action was not done.
    #[error("the office hub did not answer: {0}")]
    HubUnreachable(String),
    /// This machine has no `hub_url`: counters work only with the office hub.
    #[error("counters need the office hub: set hub_url in the config file")]
    NeedsHub,
    /// Nobody this counter serves may be called now.
    #[error("nobody waiting for the services of this counter")]
    NobodyWaiting,
    /// The counter still has a ticket in hand.
    #[error("counter busy with {0}: finish it, mark it no-show or send it on first")]
    Busy(String),
    /// A no-show needs the calls again first: `recalls` of `needed` made.
    #[error("call {label} again first ({recalls} of {needed} calls again made)")]
    CallAgainFirst {
        label: String,
        recalls: i32,
        needed: u32,
    },
    /// The counter has no ticket in hand for this action.
    #[error("no ticket in hand at this counter")]
    NoTicket,
    /// The ticket in hand is being served: call again, no-show and start are for a called one.
    #[error("{0} is being served already")]
    AlreadyServing(String),
    /// The counter number and services are not chosen yet.
    #[error("choose the counter number and its services first")]
    NotSetUp,
    /// A counter number outside `1..=calling.counters`.
    #[error("counter {number} is not one of 1 to {max}")]
    NumberInvalid { number: i64, max: u32 },
    /// No service chosen.
    #[error("choose at least one service")]
    NoServices,
    /// A transfer to the service the ticket is already in.
    #[error("{0} is already in that service")]
    TransferSameService(String),
}

impl CounterRefusal {
    pub fn code(&self) -> &'static str {
        self.error_code().as_str()
    }

    pub fn error_code(&self) -> ErrorCode {
        match self {
            CounterRefusal::HubUnreachable(_) => ErrorCode::CounterHubUnreachable,
            CounterRefusal::NeedsHub => ErrorCode::CounterNeedsHub,
            CounterRefusal::NobodyWaiting => ErrorCode::CounterNobodyWaiting,
            CounterRefusal::Busy(_) => ErrorCode::CounterBusy,
            CounterRefusal::CallAgainFirst { .. } => ErrorCode::CounterCallAgainFirst,
            CounterRefusal::NoTicket => ErrorCode::CounterNoTicket,
            CounterRefusal::AlreadyServing(_) => ErrorCode::CounterAlreadyServing,
            CounterRefusal::NotSetUp => ErrorCode::CounterNotSetUp,
            CounterRefusal::NumberInvalid { .. } => ErrorCode::CounterNumberInvalid,
            CounterRefusal::NoServices => ErrorCode::CounterNoServices,
            CounterRefusal::TransferSameService(_) => ErrorCode::CounterTransferSameService,
        }
    }

    /// What to do about it (`ui/i18n`, `error.next.*`).
    pub fn next_step(&self) -> BothLanguages {
        self.error_code().next_step()
    }
}
