//! People ahead, the estimated wait and the supervisor's waiting and service times (issue #18),
//! from plain records of the day's tickets.
//!
//! Pure rules: the hub fills [`ServiceRecord`]s from its ticket and call rows and passes the
//! office-local now; nothing here reads the clock, a store or the network. A kiosk without the
//! hub has no records of calls, so it shows neither the count nor the estimate (docs/
//! operator-guide.md says why).
//!
//! - [`people_ahead`]: how many waiting tickets will be called before one ticket.
//! - [`estimate_wait`]: a range in minutes from today's measured service times and the counters
//!   open, or none while the day has too few finished services; [`QueueOutlook`] words both for
//!   the result screen and the ticket ("sekitar", never a promise).
//! - [`supervisor_times`]: waiting time (check-in to call), service time (call to finish) and
//!   no-shows per service, per hour and per counter, as median and 90th percentile
//!   ([`percentile`]'s rule).

mod ahead;
mod estimate;
mod figures;
mod percentile;

pub use ahead::people_ahead;
pub use estimate::{
    estimate_wait, measured_service_seconds, QueueOutlook, WaitEstimate, MIN_FINISHED_FOR_ESTIMATE,
};
pub use figures::{supervisor_times, GroupTimes, SupervisorTimes, TimeFigures};
pub use percentile::percentile;

use jiff::Timestamp;

use crate::call_order::WaitingTicket;
use crate::model::Service;

/// One ticket of the office's day as the hub knows it: the input of every rule here. The hub
/// fills it from its tables (`hub/schema.rs`): `id`, `service`, `priority_lane`, `queued_at`
/// and `counter` from `call_tickets`; `checked_in_at` from `checkins.at`; `called_at` the
/// earliest `calls.at` of the ticket (`call_tickets.called_at` is the latest call next, moved
/// by a transfer); `finished_at` is `call_tickets.ended_at` of a `finished` ticket; `no_show`
/// its state `no_show`. A ticket sent to another service is one record, its times measured
/// from the first call to the last finish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceRecord {
    /// The hub's ticket row (`checkins.id`): ties in the queue go by it, as the counters' rule
    /// (`call_order`) breaks them.
    pub id: i64,
    /// The service it is (now) queued for: after a transfer, the service it was sent to.
    pub service: Service,
    /// Called in the priority lane (`queue::is_priority_queue` of its queue).
    pub priority_lane: bool,
    /// When it was checked in (or a walk-in issued) at a kiosk or the desk: where its wait
    /// starts.
    pub checked_in_at: Timestamp,
    /// Its place in the lane: the check-in time, or the transfer's time for a ticket sent on to
    /// the end of another service's queue (`call_order::WaitingTicket::queued_at`).
    pub queued_at: Timestamp,
    /// The first call from a counter; a recall does not move it (the applicant's wait ended
    /// when the office first called). `None` while waiting.
    pub called_at: Option<Timestamp>,
    /// When the counter finished serving it; `None` before, and for a no-show.
    pub finished_at: Option<Timestamp>,
    /// The counter number that called it (the last one, after a transfer); `None` before a call.
    pub counter: Option<u32>,
    /// Called and marked absent by the counter (after its recalls).
    pub no_show: bool,
}

impl ServiceRecord {
    /// Not yet called, not finished, not a no-show: still in the queue.
    pub fn is_waiting(&self) -> bool {
        self.called_at.is_none() && self.finished_at.is_none() && !self.no_show
    }

    /// As the counters' rule sees it while waiting, with no slot (people ahead counts a booking
    /// held until its slot at its place).
    pub fn as_waiting(&self) -> WaitingTicket {
        WaitingTicket {
            id: self.id,
            priority_lane: self.priority_lane,
            queued_at: self.queued_at,
            slot_start: None,
        }
    }

    /// Check-in to first call, in seconds; `None` before a call, or when the call's time is
    /// before the check-in (two machines' clocks disagreeing: not a wait worth counting).
    pub fn waiting_seconds(&self) -> Option<i64> {
        seconds_between(self.checked_in_at, self.called_at?)
    }

    /// First call to finish, in seconds; `None` unless finished (a no-show was not served).
    pub fn service_seconds(&self) -> Option<i64> {
        if self.no_show {
            return None;
        }
        seconds_between(self.called_at?, self.finished_at?)
    }
}

fn seconds_between(from: Timestamp, to: Timestamp) -> Option<i64> {
    let seconds = to.as_second() - from.as_second();
    (seconds >= 0).then_some(seconds)
}

#[cfg(test)]
mod tests;
