//! Which queue a booking joins and how its numbers read.
//!
//! Default queues (config `[queues]`): `A` baru, `B` penggantian, `C` hilang/rusak, and `P` for
//! any booking with a priority applicant (lansia, disabilitas, ibu_hamil, anak). A group booking
//! joins one queue as a whole, so its n tickets get consecutive numbers and the family is called
//! together; one priority member brings the whole group to `P`.

use crate::config::QueueConfig;
use crate::model::{Priority, Service};

/// The queue for a booking of `service` whose applicants carry `priorities`.
pub fn queue_for<'a>(
    queues: &'a QueueConfig,
    service: Service,
    priorities: &[Option<Priority>],
) -> &'a str {
    if priorities.iter().any(Option::is_some) {
        return &queues.priority;
    }
    match service {
        Service::Baru => &queues.baru,
        Service::Penggantian => &queues.penggantian,
        Service::HilangRusak => &queues.hilang_rusak,
    }
}

/// Whether tickets of `queue` are called in the priority lane, and so say "Prioritas" on the
/// screen and on paper (one priority applicant brings the whole group there, see [`queue_for`]).
/// An office that gave the priority queue a service's letter has no separate lane: none then.
pub fn is_priority_queue(queues: &QueueConfig, queue: &str) -> bool {
    let shared =
        [&queues.baru, &queues.penggantian, &queues.hilang_rusak].contains(&&queues.priority);
    queue == queues.priority && !shared
}

/// The number as printed and called: `A-001`. Past 999 it simply grows (`A-1000`).
pub fn ticket_label(queue: &str, number: i64) -> String {
    format!("{queue}-{number:03}")
}

/// Characters of a ticket number as staff type it (`A-001`, `PR-1000`): its field takes no
/// more on the on-screen keys.
pub const TYPED_LABEL_MAX_CHARS: usize = 10;

/// A ticket number as staff type it, read as the label it names: `a1`, `A1`, `A-001`, `a 1`
/// and `A-0001` are all `A-001`. The queue is 1 to 3 letters (any case, as `[queues]` allows),
/// then optional spaces or one `-`, then the number. `None` for anything else (a ticket id, a
/// booking code), which callers may still look up as such.
pub fn typed_label(text: &str) -> Option<String> {
    let text = text.trim();
    if text.len() > TYPED_LABEL_MAX_CHARS {
        return None;
    }
    let letters = text.bytes().take_while(u8::is_ascii_alphabetic).count();
    if !(1..=3).contains(&letters) {
        return None;
    }
    let (queue, rest) = text.split_at(letters);
    let rest = rest.trim_start();
    let digits = rest.strip_prefix('-').unwrap_or(rest).trim_start();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let number = digits.parse::<i64>().ok()?;
    Some(ticket_label(&queue.to_ascii_uppercase(), number))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticket_numbers_are_read_as_typed() {
        for typed in [
            "a1",
            "A1",
            "A-001",
            "a-1",
            "a 1",
            " A - 001 ",
            "A001",
            "a-0001",
        ] {
            assert_eq!(typed_label(typed).as_deref(), Some("A-001"), "{typed:?}");
        }
        assert_eq!(typed_label("p42").as_deref(), Some("P-042"));
        assert_eq!(typed_label("b1000").as_deref(), Some("B-1000"));
        assert_eq!(
            typed_label("pr-7").as_deref(),
            Some("PR-007"),
            "a configured queue of two letters"
        );
    }

    #[test]
    fn what_is_not_a_ticket_number_is_left_alone() {
        for typed in [
            "",
            "-1",
            "1",
            "A",
            "A-",
            "A--1",
            "A-1a",
            "ABCD1",
            "MPX7K2Q9TA",
            "a1b2c3d4-0000-4000-8000-000000000000",
            "A-99999999999",
            "Ä1",
        ] {
            assert_eq!(typed_label(typed), None, "{typed:?}");
        }
    }

    #[test]
    fn one_priority_applicant_brings_the_group_to_p() {
        let queues = QueueConfig::default();
        assert_eq!(
            queue_for(
                &queues,
                Service::Baru,
                &[None, Some(Priority::Lansia), None]
            ),
            "P"
        );
        assert_eq!(
            queue_for(&queues, Service::HilangRusak, &[Some(Priority::Anak)]),
            "P"
        );
    }

    #[test]
    fn only_the_priority_queue_is_the_priority_lane() {
        let queues = QueueConfig::default();
        assert!(is_priority_queue(&queues, "P"));
        assert!(!is_priority_queue(&queues, "A"));
        let shared = QueueConfig {
            priority: "A".into(),
            ..QueueConfig::default()
        };
        assert!(
            !is_priority_queue(&shared, "A"),
            "a priority letter shared with a service is no lane of its own"
        );
    }

    #[test]
    fn services_have_their_own_queues() {
        let queues = QueueConfig::default();
        assert_eq!(queue_for(&queues, Service::Baru, &[None]), "A");
        assert_eq!(queue_for(&queues, Service::Penggantian, &[None, None]), "B");
        assert_eq!(queue_for(&queues, Service::HilangRusak, &[None]), "C");
    }

    #[test]
    fn configured_letters_are_used() {
        let queues = QueueConfig {
            baru: "N".into(),
            priority: "PR".into(),
            ..QueueConfig::default()
        };
        assert_eq!(queue_for(&queues, Service::Baru, &[None]), "N");
        assert_eq!(
            queue_for(&queues, Service::Baru, &[Some(Priority::Disabilitas)]),
            "PR"
        );
    }

    #[test]
    fn labels_are_zero_padded_to_three() {
        assert_eq!(ticket_label("A", 1), "A-001");
        assert_eq!(ticket_label("P", 42), "P-042");
        assert_eq!(ticket_label("B", 1000), "B-1000");
    }
}
