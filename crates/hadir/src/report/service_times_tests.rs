//! Ratings joined with the counter that served each ticket (`counter_ratings`): by office day
//! and number, per counter or per staff member, flagged ratings and other question sets left
//! out of the index as in the summary's.

use std::collections::BTreeMap;

use super::*;
use crate::store::RatingRow;
use crate::survey::{SERVQUAL, SKM_2017};

fn rating(day: &str, label: &str, set: &str, score: u8, flagged: bool) -> RatingRow {
    let elements = if set == "servqual" {
        SERVQUAL.elements
    } else {
        SKM_2017.elements
    };
    RatingRow {
        office_date: day.into(),
        at: format!("{day}T11:00:00+08:00"),
        label: label.into(),
        kiosk: "K01".into(),
        question_set: set.into(),
        scores: elements
            .iter()
            .map(|e| ((*e).to_owned(), score))
            .collect::<BTreeMap<_, _>>(),
        comment: None,
        answered_ms: 20_000,
        flags: if flagged {
            vec!["too_fast".into()]
        } else {
            Vec::new()
        },
    }
}

fn served(day: &str, label: &str, counter: u32, staff: &str) -> ServedBy {
    ServedBy {
        office_date: day.into(),
        label: label.into(),
        counter,
        staff: Some(staff.into()),
    }
}

const MON: &str = "2026-11-30";
const TUE: &str = "2026-12-01";

fn day_of_ratings() -> (Vec<RatingRow>, Vec<ServedBy>) {
    let ratings = vec![
        rating(MON, "A-001", "servqual", 4, false),
        rating(MON, "A-002", "servqual", 2, false),
        // The same number on another day was served elsewhere.
        rating(TUE, "A-001", "servqual", 1, false),
        // Flagged: counted as flagged, not in the scores.
        rating(MON, "A-003", "servqual", 1, true),
        // Another question set: not in this set's index.
        rating(MON, "A-004", "skm2017", 1, false),
        // Never called: in no counter's row.
        rating(MON, "A-009", "servqual", 1, false),
    ];
    let served = vec![
        served(MON, "A-001", 3, "rina"),
        served(MON, "A-002", 3, "sari"),
        served(MON, "A-003", 3, "rina"),
        served(MON, "A-004", 3, "rina"),
        served(TUE, "A-001", 5, "budi"),
    ];
    (ratings, served)
}

#[test]
fn ratings_go_to_the_counter_that_served_the_ticket_that_day() {
    let (ratings, served) = day_of_ratings();
    let rows = counter_ratings(&ratings, &served, SERVQUAL, false);
    let seen: Vec<_> = rows
        .iter()
        .map(|c| {
            (
                c.counter,
                c.staff.as_deref(),
                c.index.ratings_counted,
                c.index.ratings_flagged,
                c.index.index,
            )
        })
        .collect();
    assert_eq!(
        seen,
        [(3, None, 2, 1, Some(75.0)), (5, None, 1, 0, Some(25.0))],
        "counter 3: 4 and 2 (mean 3), the flagged one apart; counter 5: Tuesday's A-001"
    );
}

#[test]
fn per_staff_member_splits_a_counters_ratings_by_who_called() {
    let (ratings, served) = day_of_ratings();
    let rows = counter_ratings(&ratings, &served, SERVQUAL, true);
    let seen: Vec<_> = rows
        .iter()
        .map(|c| (c.counter, c.staff.as_deref(), c.index.index))
        .collect();
    assert_eq!(
        seen,
        [
            (3, Some("rina"), Some(100.0)),
            (3, Some("sari"), Some(50.0)),
            (5, Some("budi"), Some(25.0)),
        ]
    );
}

#[test]
fn minutes_read_with_a_decimal_comma() {
    assert_eq!(service_times::minutes(Some(750)), "12,5");
    assert_eq!(service_times::minutes(Some(2040)), "34,0");
    assert_eq!(service_times::minutes(None), "-");
}
