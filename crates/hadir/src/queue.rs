//! Which queue a booking joins and how its numbers read.
//!
//! Default queues (config `[queues]`): `A` baru, `B` penggantian, `C` hilang/rusak, and `P` for
//! any booking with a priority applicant (lansia, disabilitas, ibu_hamil, anak). A group booking
//! joins one queue as a whole, so its n tickets get consecutive numbers and the family is called
//! together; one priority member brings the whole group to `P`.

use crate::config::QueueConfig;
use crate::feed::{Priority, Service};

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

/// The number as printed and called: `A-001`. Past 999 it simply grows (`A-1000`).
pub fn ticket_label(queue: &str, number: i64) -> String {
    format!("{queue}-{number:03}")
}

#[cfg(test)]
mod tests {
    use super::*;

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
