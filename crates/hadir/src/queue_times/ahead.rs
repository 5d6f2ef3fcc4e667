//! How many waiting tickets will be called before one ticket.

use super::ServiceRecord;
use crate::call_order::{next_call, WaitingTicket};
use crate::config::CallingConfig;

/// How many of the day's waiting tickets will be called before `ticket`: the calls played
/// forward with the counters' own rule (`call_order::next_call`: the priority lane first, at
/// most `calling.priority_streak_max` in a row while a regular ticket waits, first come first
/// served within a lane), starting from `priority_streak` priority calls in a row. `None` when
/// `ticket` is not waiting (called, finished, no-show).
///
/// An approximation, which the screen and the ticket say with "sekitar" and "when printed":
/// only tickets of the same service compete (a counter calls only the services it serves, and
/// the priority lane holds every service), the counters are played as one (each really keeps
/// its own streak), a booking held until its slot counts at its place in the queue, and a
/// transfer or a walk-in may still join ahead.
pub fn people_ahead(
    ticket: &ServiceRecord,
    day: &[ServiceRecord],
    priority_streak: u32,
    rules: &CallingConfig,
) -> Option<usize> {
    if !ticket.is_waiting() {
        return None;
    }
    let mut queue: Vec<WaitingTicket> = day
        .iter()
        .filter(|other| {
            other.is_waiting() && other.service == ticket.service && other.id != ticket.id
        })
        .chain(std::iter::once(ticket))
        .map(ServiceRecord::as_waiting)
        .collect();
    // Every ticket in its place: nobody is held back by a slot, so `now` matters not.
    let in_place = CallingConfig {
        hold_bookings_until_slot: false,
        ..rules.clone()
    };
    let mut streak = priority_streak;
    let mut ahead = 0;
    loop {
        // `ticket` is in `queue`, so a call always comes before the queue runs out.
        let next = next_call(&queue, streak, ticket.queued_at, &in_place)?;
        if queue[next.index].id == ticket.id {
            return Some(ahead);
        }
        streak = next.priority_streak;
        queue.swap_remove(next.index);
        ahead += 1;
    }
}
