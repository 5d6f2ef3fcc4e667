//! Which queue an applicant joins and how its numbers read.
//!
//! Default queues: `A` baru, `B` penggantian, `C` hilang/rusak, and `P` for any applicant with a
//! priority mark (lansia, disabilitas, ibu_hamil, anak), whatever the service.

use crate::feed::{Priority, Service};

/// The queue letter for one applicant.
pub fn queue_for(service: Service, priority: Option<Priority>) -> &'static str {
    if priority.is_some() {
        return "P";
    }
    match service {
        Service::Baru => "A",
        Service::Penggantian => "B",
        Service::HilangRusak => "C",
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
    fn priority_applicants_go_to_p_whatever_the_service() {
        assert_eq!(queue_for(Service::Baru, Some(Priority::Lansia)), "P");
        assert_eq!(queue_for(Service::HilangRusak, Some(Priority::Anak)), "P");
    }

    #[test]
    fn services_have_their_own_queues() {
        assert_eq!(queue_for(Service::Baru, None), "A");
        assert_eq!(queue_for(Service::Penggantian, None), "B");
        assert_eq!(queue_for(Service::HilangRusak, None), "C");
    }

    #[test]
    fn labels_are_zero_padded_to_three() {
        assert_eq!(ticket_label("A", 1), "A-001");
        assert_eq!(ticket_label("P", 42), "P-042");
        assert_eq!(ticket_label("B", 1000), "B-1000");
    }
}
