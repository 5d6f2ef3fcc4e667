//! Which booked applicants a report counts as no-shows, as of the report's moment.
//!
//! A booking is a no-show only once the kiosk would refuse it as late: after its slot's end plus
//! the late window on its own day, or any time after that day. Before that the applicant may
//! still come, so a report made at 09:40 does not count the 10:00 slots as missing. The rule is
//! `checkin::check_in_window_closed`, the one the check-in decision uses.

use jiff::civil::DateTime;

use crate::checkin::check_in_window_closed;
use crate::store::{BookedSlotRow, NoShowDay};

/// Per day, in the rows' order (by day): booked, checked in, still inside or before the
/// check-in window at office-local `now`, and so the no-shows.
pub(crate) fn no_show_days(
    slots: &[BookedSlotRow],
    now: DateTime,
    late_minutes: u32,
) -> Vec<NoShowDay> {
    let mut days: Vec<NoShowDay> = Vec::new();
    for slot in slots {
        let date = slot.date.to_string();
        if days.last().is_none_or(|day| day.date != date) {
            days.push(NoShowDay {
                date,
                booked: 0,
                checked_in: 0,
                not_yet_due: 0,
            });
        }
        let day = days.last_mut().expect("pushed above");
        day.booked += slot.booked;
        day.checked_in += slot.checked_in;
        if !check_in_window_closed(slot.date, Some(slot.slot_end), now, late_minutes) {
            day.not_yet_due += slot.booked - slot.checked_in;
        }
    }
    days
}

#[cfg(test)]
mod tests {
    use jiff::civil::{date, time, Date, Time};

    use super::*;

    const LATE: u32 = 30;

    fn day() -> Date {
        date(2026, 11, 30)
    }

    fn slot(date: Date, end: Time, booked: i64, checked_in: i64) -> BookedSlotRow {
        BookedSlotRow {
            date,
            slot_end: end,
            booked,
            checked_in,
        }
    }

    /// The morning: 08:00-09:00 (its late window closed at 09:30), 09:00-10:00 (still
    /// open until 10:30) and the 10:00-15:00 slots (not begun), nobody of them checked in.
    fn morning() -> Vec<BookedSlotRow> {
        vec![
            slot(day(), time(9, 0, 0, 0), 8, 0),
            slot(day(), time(10, 0, 0, 0), 10, 0),
            slot(day(), time(15, 0, 0, 0), 50, 0),
        ]
    }

    #[test]
    fn at_09_40_only_the_slot_whose_late_window_passed_counts() {
        let days = no_show_days(&morning(), day().at(9, 40, 0, 0), LATE);
        assert_eq!(
            days,
            vec![NoShowDay {
                date: "2026-11-30".into(),
                booked: 68,
                checked_in: 0,
                not_yet_due: 60,
            }]
        );
        assert_eq!(days[0].no_shows(), 8);
    }

    #[test]
    fn checked_in_applicants_are_neither_missing_nor_still_due() {
        let slots = vec![
            slot(day(), time(9, 0, 0, 0), 8, 5),
            slot(day(), time(10, 0, 0, 0), 10, 4),
        ];
        let days = no_show_days(&slots, day().at(9, 40, 0, 0), LATE);
        assert_eq!((days[0].checked_in, days[0].not_yet_due), (9, 6));
        assert_eq!(days[0].no_shows(), 3, "08:00-09:00: 8 booked, 5 came");
    }

    #[test]
    fn the_late_window_is_inclusive_like_the_check_in_decision() {
        let slots = [slot(day(), time(9, 0, 0, 0), 3, 0)];
        let at_the_edge = no_show_days(&slots, day().at(9, 30, 0, 0), LATE);
        assert_eq!(
            at_the_edge[0].no_shows(),
            0,
            "09:30 is still let in (closes exactly 30 min late)"
        );
        let just_after = no_show_days(&slots, day().at(9, 30, 1, 0), LATE);
        assert_eq!(just_after[0].no_shows(), 3);
    }

    #[test]
    fn the_late_window_comes_from_the_configured_minutes() {
        let slots = [slot(day(), time(9, 0, 0, 0), 3, 0)];
        assert_eq!(
            no_show_days(&slots, day().at(9, 20, 0, 0), 15)[0].no_shows(),
            3
        );
        assert_eq!(
            no_show_days(&slots, day().at(9, 20, 0, 0), 30)[0].no_shows(),
            0
        );
    }

    #[test]
    fn a_past_day_counts_every_slot_and_a_coming_day_none() {
        let next_morning = date(2026, 12, 1).at(7, 0, 0, 0);
        let past = no_show_days(&morning(), next_morning, LATE);
        assert_eq!((past[0].no_shows(), past[0].not_yet_due), (68, 0));

        let evening_before = date(2026, 11, 29).at(20, 0, 0, 0);
        let coming = no_show_days(&morning(), evening_before, LATE);
        assert_eq!((coming[0].no_shows(), coming[0].not_yet_due), (0, 68));
    }

    #[test]
    fn days_are_kept_apart() {
        let slots = vec![
            slot(date(2026, 11, 29), time(15, 0, 0, 0), 4, 3),
            slot(day(), time(9, 0, 0, 0), 8, 0),
            slot(day(), time(15, 0, 0, 0), 2, 0),
        ];
        let days = no_show_days(&slots, day().at(9, 40, 0, 0), LATE);
        let figures: Vec<_> = days
            .iter()
            .map(|d| (d.date.as_str(), d.booked, d.no_shows(), d.not_yet_due))
            .collect();
        assert_eq!(
            figures,
            vec![("2026-11-29", 4, 1, 0), ("2026-11-30", 10, 8, 2)]
        );
    }
}
