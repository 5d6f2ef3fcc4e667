//! Who a counter calls next: a pure rule over the tickets waiting for the services it serves.
//!
//! 1. Only tickets that may be called now: with `calling.hold_bookings_until_slot`, a booked
//!    ticket waits until its slot starts (a walk-in, or a booking without a slot, never waits).
//! 2. In each lane (priority, regular) first come first served: the earliest place in the queue
//!    (check-in time, or the transfer's time for a ticket sent on to the end), then the hub's
//!    ticket row id (the order the hub recorded them) for a tie.
//! 3. The priority lane goes first, but a counter calls at most `calling.priority_streak_max`
//!    priority tickets in a row while a regular ticket waits; then the regular one. Priority
//!    calls made while no regular ticket waits do not count (nobody was passed over).
//!
//! The streak is the counter's own (kept at the hub with the counter): each counter serving
//! regular tickets calls one at least every `priority_streak_max + 1` calls.

use jiff::Timestamp;

use crate::config::CallingConfig;

/// A ticket waiting to be called, as the rule sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitingTicket {
    /// The hub's ticket row (`checkins.id`): the tie-break, and what the caller locks.
    pub id: i64,
    pub priority_lane: bool,
    /// Its place in the lane.
    pub queued_at: Timestamp,
    /// When its booking's slot starts; `None` for walk-ins and bookings without a slot.
    pub slot_start: Option<Timestamp>,
}

/// The rule's choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NextCall {
    /// Index into the waiting list given.
    pub index: usize,
    /// The counter's priority streak after this call.
    pub priority_streak: u32,
}

/// The ticket to call next, or `None` when nobody may be called now. `priority_streak` is the
/// counter's priority calls in a row so far (while regular tickets waited).
pub fn next_call(
    waiting: &[WaitingTicket],
    priority_streak: u32,
    now: Timestamp,
    rules: &CallingConfig,
) -> Option<NextCall> {
    let head = |priority_lane: bool| {
        waiting
            .iter()
            .enumerate()
            .filter(|(_, t)| t.priority_lane == priority_lane && may_call_now(t, now, rules))
            .min_by_key(|(_, t)| (t.queued_at, t.id))
            .map(|(index, _)| index)
    };
    match (head(true), head(false)) {
        (Some(_), Some(regular)) if priority_streak >= rules.priority_streak_max => {
            Some(NextCall {
                index: regular,
                priority_streak: 0,
            })
        }
        (Some(priority), Some(_)) => Some(NextCall {
            index: priority,
            priority_streak: priority_streak + 1,
        }),
        (Some(priority), None) => Some(NextCall {
            index: priority,
            priority_streak: 0,
        }),
        (None, Some(regular)) => Some(NextCall {
            index: regular,
            priority_streak: 0,
        }),
        (None, None) => None,
    }
}

/// Whether a waiting ticket may be called at `now` (the slot rule).
pub fn may_call_now(ticket: &WaitingTicket, now: Timestamp, rules: &CallingConfig) -> bool {
    !rules.hold_bookings_until_slot || ticket.slot_start.is_none_or(|start| start <= now)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minute: i64) -> Timestamp {
        Timestamp::from_second(1_796_000_000 + minute * 60).expect("time")
    }

    fn ticket(id: i64, priority_lane: bool, minute: i64) -> WaitingTicket {
        WaitingTicket {
            id,
            priority_lane,
            queued_at: at(minute),
            slot_start: None,
        }
    }

    /// Calls everybody in `waiting` one after the other; the ids in call order.
    fn call_all(mut waiting: Vec<WaitingTicket>, rules: &CallingConfig) -> Vec<i64> {
        let mut streak = 0;
        let mut order = Vec::new();
        while let Some(next) = next_call(&waiting, streak, at(100), rules) {
            streak = next.priority_streak;
            order.push(waiting.remove(next.index).id);
        }
        order
    }

    #[test]
    fn first_come_first_served_within_a_lane() {
        let waiting = vec![
            ticket(3, false, 5),
            ticket(1, false, 7),
            ticket(2, false, 6),
        ];
        assert_eq!(call_all(waiting, &CallingConfig::default()), vec![3, 2, 1]);
    }

    #[test]
    fn the_same_moment_goes_by_the_hubs_row_order() {
        let waiting = vec![ticket(9, false, 5), ticket(4, false, 5)];
        assert_eq!(call_all(waiting, &CallingConfig::default()), vec![4, 9]);
    }

    #[test]
    fn priority_first_but_at_most_k_in_a_row_while_regulars_wait() {
        let rules = CallingConfig {
            priority_streak_max: 2,
            ..CallingConfig::default()
        };
        // Regulars came first; five priority tickets later.
        let mut waiting = vec![ticket(1, false, 0), ticket(2, false, 1)];
        waiting.extend((10..15).map(|id| ticket(id, true, id)));
        assert_eq!(call_all(waiting, &rules), vec![10, 11, 1, 12, 13, 2, 14]);
    }

    #[test]
    fn priority_calls_with_no_regular_waiting_do_not_count() {
        let rules = CallingConfig {
            priority_streak_max: 1,
            ..CallingConfig::default()
        };
        let waiting = vec![ticket(1, true, 0), ticket(2, true, 1)];
        let first = next_call(&waiting, 0, at(100), &rules).expect("a call");
        assert_eq!((first.index, first.priority_streak), (0, 0));
        // A streak already at the limit still calls priority when nobody regular waits.
        let only_priority = next_call(&waiting, 5, at(100), &rules).expect("a call");
        assert_eq!(only_priority.index, 0);
        // And a regular one arriving then is called next.
        let mut with_regular = waiting.clone();
        with_regular.push(ticket(3, false, 50));
        let fair = next_call(&with_regular, 1, at(100), &rules).expect("a call");
        assert_eq!((with_regular[fair.index].id, fair.priority_streak), (3, 0));
    }

    #[test]
    fn bookings_wait_for_their_slot_only_if_the_office_says_so() {
        let early = WaitingTicket {
            slot_start: Some(at(120)),
            ..ticket(1, false, 0)
        };
        let walk_in = ticket(2, false, 10);
        let waiting = vec![early, walk_in];
        let free = CallingConfig::default();
        assert_eq!(
            next_call(&waiting, 0, at(100), &free).map(|n| n.index),
            Some(0)
        );
        let hold = CallingConfig {
            hold_bookings_until_slot: true,
            ..CallingConfig::default()
        };
        assert_eq!(
            next_call(&waiting, 0, at(100), &hold).map(|n| n.index),
            Some(1)
        );
        assert_eq!(
            next_call(&waiting[..1], 0, at(100), &hold),
            None,
            "nobody else: nobody is called before the slot"
        );
        assert_eq!(
            next_call(&waiting, 0, at(120), &hold).map(|n| n.index),
            Some(0),
            "from the slot's start it is first again"
        );
    }

    #[test]
    fn a_held_regular_does_not_stop_priority_calls() {
        let hold = CallingConfig {
            hold_bookings_until_slot: true,
            priority_streak_max: 1,
            ..CallingConfig::default()
        };
        let waiting = vec![
            WaitingTicket {
                slot_start: Some(at(200)),
                ..ticket(1, false, 0)
            },
            ticket(2, true, 5),
        ];
        let next = next_call(&waiting, 3, at(100), &hold).expect("a call");
        assert_eq!((next.index, next.priority_streak), (1, 0));
    }

    #[test]
    fn nobody_waiting_means_no_call() {
        assert_eq!(next_call(&[], 0, at(0), &CallingConfig::default()), None);
    }
}
