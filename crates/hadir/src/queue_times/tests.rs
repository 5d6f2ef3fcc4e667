//! The rules on a synthetic office day in WITA, the clock passed in.

use jiff::civil::date;
use jiff::tz::{self, TimeZone};
use jiff::{Timestamp, ZonedDateTime};

use super::*;
use crate::config::CallingConfig;
use crate::model::{Language, Service};

fn wita() -> TimeZone {
    TimeZone::fixed(tz::offset(8))
}

/// 1 December 2026 at `hh:mm` office time; "-23:50" is the evening before.
fn at(hh_mm: &str) -> Timestamp {
    zoned(hh_mm).timestamp()
}

fn zoned(hh_mm: &str) -> ZonedDateTime {
    let (day, hh_mm) = match hh_mm.strip_prefix('-') {
        Some(rest) => (date(2026, 11, 30), rest),
        None => (date(2026, 12, 1), hh_mm),
    };
    let (hour, minute) = hh_mm.split_once(':').expect("hh:mm");
    day.at(
        hour.parse().expect("hour"),
        minute.parse().expect("minute"),
        0,
        0,
    )
    .to_zoned_datetime(wita())
    .expect("a time of the office day")
}

fn waiting(id: i64, service: Service, priority_lane: bool, checked_in: &str) -> ServiceRecord {
    ServiceRecord {
        id,
        service,
        priority_lane,
        checked_in_at: at(checked_in),
        queued_at: at(checked_in),
        called_at: None,
        finished_at: None,
        counter: None,
        no_show: false,
    }
}

fn regular(id: i64, checked_in: &str) -> ServiceRecord {
    waiting(id, Service::Baru, false, checked_in)
}

fn priority(id: i64, checked_in: &str) -> ServiceRecord {
    waiting(id, Service::Baru, true, checked_in)
}

/// A ticket checked in, called at `counter` and finished (or `finish: None`, a no-show).
fn served(
    id: i64,
    service: Service,
    checked_in: &str,
    called: &str,
    finished: Option<&str>,
    counter: u32,
) -> ServiceRecord {
    ServiceRecord {
        called_at: Some(at(called)),
        finished_at: finished.map(at),
        counter: Some(counter),
        no_show: finished.is_none(),
        ..waiting(id, service, false, checked_in)
    }
}

/// Six finished services of 8, 10, 10, 12, 14 and 20 minutes: median 11 min (660 s), 75th
/// percentile 13.5 min (810 s; rank 3.75 between 12 and 14).
fn synthetic_morning() -> Vec<ServiceRecord> {
    [
        ("08:00", "08:08"),
        ("08:05", "08:15"),
        ("08:10", "08:20"),
        ("08:15", "08:27"),
        ("08:20", "08:34"),
        ("08:30", "08:50"),
    ]
    .into_iter()
    .zip(1..)
    .map(|((called, finished), id)| {
        served(
            id,
            Service::Baru,
            "07:55",
            called,
            Some(finished),
            1 + (id as u32 % 2),
        )
    })
    .collect()
}

fn ids(records: &[ServiceRecord]) -> Vec<i64> {
    records.iter().map(|r| r.id).collect()
}

fn fair(priority_streak_max: u32) -> CallingConfig {
    CallingConfig {
        priority_streak_max,
        ..CallingConfig::default()
    }
}

/// Percentiles are interpolated in floating point: equal to a hand-computed value to a millionth.
fn assert_close(actual: Option<f64>, expected: f64, why: &str) {
    let actual = actual.expect(why);
    assert!(
        (actual - expected).abs() < 1e-6,
        "{why}: {actual} is not {expected}"
    );
}

#[test]
fn percentiles_interpolate_between_ranks_as_a_spreadsheet_does() {
    let four = [4, 1, 3, 2];
    assert_close(
        percentile(&four, 0.5),
        2.5,
        "MEDIAN of an even count: mean of 2 and 3",
    );
    assert_close(percentile(&four, 0.9), 3.7, "rank 2.7: 3 + 0.7 x (4 - 3)");
    assert_close(percentile(&four, 0.0), 1.0, "the smallest");
    assert_close(percentile(&four, 1.0), 4.0, "the largest");
    assert_close(
        percentile(&[30, 10, 20], 0.5),
        20.0,
        "the middle of an odd count",
    );
    let tens: Vec<i64> = (1..=10).map(|n| n * 10).collect();
    assert_close(percentile(&tens, 0.9), 91.0, "rank 8.1: 90 + 0.1 x 10");
    assert_close(percentile(&[7], 0.9), 7.0, "one value is every percentile");
    assert_eq!(percentile(&[], 0.5), None, "no values, no figure");
    assert_close(percentile(&four, 1.5), 4.0, "q clamped to 1");
}

#[test]
fn regular_applicants_are_counted_first_come_first_served() {
    let day = vec![
        regular(3, "08:10"),
        regular(1, "08:00"),
        regular(2, "08:05"),
    ];
    let ahead: Vec<Option<usize>> = day
        .iter()
        .map(|t| people_ahead(t, &day, 0, &fair(2)))
        .collect();
    assert_eq!(ahead, [Some(2), Some(0), Some(1)]);
}

#[test]
fn the_priority_lane_goes_first_but_at_most_k_in_a_row() {
    let day = vec![
        regular(1, "08:00"),
        regular(2, "08:05"),
        priority(11, "08:20"),
        priority(12, "08:21"),
        priority(13, "08:22"),
    ];
    // Calls with K = 2: 11, 12, 1, 13, 2 (call_order's own tests call them so).
    let ahead: Vec<Option<usize>> = day
        .iter()
        .map(|t| people_ahead(t, &day, 0, &fair(2)))
        .collect();
    assert_eq!(
        ahead,
        [Some(2), Some(4), Some(0), Some(1), Some(3)],
        "{:?}",
        ids(&day)
    );

    assert_eq!(
        people_ahead(&day[0], &day, 2, &fair(2)),
        Some(0),
        "two priority calls in a row already: a regular's turn now"
    );
    assert_eq!(
        people_ahead(&day[2], &day, 1, &fair(1)),
        Some(1),
        "K = 1 and one priority call made: a regular first"
    );

    let priority_only = vec![priority(21, "09:00"), priority(20, "08:59")];
    assert_eq!(
        people_ahead(&priority_only[0], &priority_only, 5, &fair(1)),
        Some(1),
        "no regular waits: the fairness limit does not stop the lane"
    );
}

#[test]
fn a_ticket_sent_to_the_end_counts_from_its_new_place() {
    let mut moved = regular(1, "08:00");
    moved.queued_at = at("09:00");
    let day = vec![moved, regular(2, "08:30")];
    assert_eq!(people_ahead(&day[0], &day, 0, &fair(3)), Some(1));
    assert_eq!(people_ahead(&day[1], &day, 0, &fair(3)), Some(0));
}

#[test]
fn only_waiting_tickets_of_the_same_service_are_ahead() {
    let mut day = vec![
        regular(1, "08:00"),
        waiting(30, Service::Penggantian, false, "07:00"),
        waiting(31, Service::Penggantian, true, "07:30"),
        served(4, Service::Baru, "07:00", "07:30", Some("07:40"), 1),
        served(5, Service::Baru, "07:01", "07:31", None, 2),
        regular(2, "08:05"),
    ];
    let held = CallingConfig {
        hold_bookings_until_slot: true,
        ..fair(3)
    };
    assert_eq!(
        people_ahead(&day[5], &day, 0, &held),
        Some(1),
        "only ticket 1"
    );
    assert_eq!(
        people_ahead(&day[3], &day, 0, &held),
        None,
        "finished: not in the queue"
    );
    assert_eq!(
        people_ahead(&day[4], &day, 0, &held),
        None,
        "a no-show: not in the queue"
    );

    day.push(regular(0, "08:00"));
    assert_eq!(
        people_ahead(&day[0], &day, 0, &held),
        Some(1),
        "the same check-in time (a group): the hub's row id orders them, 0 before 1"
    );
}

#[test]
fn a_synthetic_morning_gives_a_range_from_its_median_and_75th_percentile() {
    let day = synthetic_morning();
    let now = zoned("09:00");
    let estimate = estimate_wait(4, &day, 2, &now, MIN_FINISHED_FOR_ESTIMATE);
    // low 4 x 660 / 2 = 1320 s = 22 min, down to 20; high 5 x 810 / 2 = 2025 s, up to 35.
    assert_eq!(
        estimate,
        Some(WaitEstimate {
            low_minutes: 20,
            high_minutes: 35
        })
    );

    let three_counters = estimate_wait(4, &day, 3, &now, MIN_FINISHED_FOR_ESTIMATE);
    // low 880 s (14.7 min) down to 10; high 1350 s (22.5 min) up to 25.
    assert_eq!(
        three_counters,
        Some(WaitEstimate {
            low_minutes: 10,
            high_minutes: 25
        })
    );

    let next = estimate_wait(0, &day, 2, &now, MIN_FINISHED_FOR_ESTIMATE);
    // low 0; high 810 / 2 = 405 s (6.75 min), up to 10.
    assert_eq!(
        next,
        Some(WaitEstimate {
            low_minutes: 0,
            high_minutes: 10
        })
    );
}

#[test]
fn no_estimate_without_enough_finished_services_or_an_open_counter() {
    let now = zoned("09:00");
    assert_eq!(
        estimate_wait(3, &[], 2, &now, MIN_FINISHED_FOR_ESTIMATE),
        None,
        "no data"
    );

    let one = vec![served(1, Service::Baru, "08:00", "08:05", Some("08:15"), 1)];
    assert_eq!(
        estimate_wait(3, &one, 2, &now, MIN_FINISHED_FOR_ESTIMATE),
        None,
        "one finished"
    );
    assert_eq!(
        estimate_wait(0, &one, 1, &now, 1),
        Some(WaitEstimate {
            low_minutes: 0,
            high_minutes: 10
        }),
        "an office that asks for one finished service gets a range from it"
    );
    assert_eq!(
        estimate_wait(0, &one, 1, &now, 0),
        estimate_wait(0, &one, 1, &now, 1)
    );

    let day = synthetic_morning();
    assert_eq!(
        estimate_wait(3, &day, 0, &now, MIN_FINISHED_FOR_ESTIMATE),
        None,
        "counters 0"
    );

    let mut with_no_shows = day[..4].to_vec();
    with_no_shows.push(served(9, Service::Baru, "08:00", "08:40", None, 1));
    assert_eq!(
        estimate_wait(3, &with_no_shows, 2, &now, MIN_FINISHED_FOR_ESTIMATE),
        None,
        "a no-show is not a finished service"
    );
}

#[test]
fn the_estimate_counts_only_today_up_to_now() {
    let evening: Vec<ServiceRecord> = (0..6)
        .map(|id| served(id, Service::Baru, "-22:00", "-23:30", Some("-23:45"), 1))
        .collect();
    assert!(
        estimate_wait(2, &evening, 1, &zoned("-23:59"), MIN_FINISHED_FOR_ESTIMATE).is_some(),
        "before midnight the evening's services are today's"
    );
    assert_eq!(
        estimate_wait(2, &evening, 1, &zoned("00:10"), MIN_FINISHED_FOR_ESTIMATE),
        None,
        "after midnight they are yesterday's"
    );
    let day = synthetic_morning();
    assert_eq!(
        measured_service_seconds(&day, &zoned("08:30")),
        [480, 600, 600, 720],
        "services finished after now (a clock ahead elsewhere) are not measured yet"
    );
}

#[test]
fn times_run_backwards_are_not_durations() {
    let mut skewed = served(1, Service::Baru, "08:10", "08:05", Some("08:00"), 1);
    assert_eq!(skewed.waiting_seconds(), None);
    assert_eq!(skewed.service_seconds(), None);
    skewed.finished_at = Some(at("08:20"));
    assert_eq!(skewed.service_seconds(), Some(15 * 60));
}

#[test]
fn supervisor_times_per_service_hour_and_counter_by_hand() {
    let records = vec![
        // Baru, hour 8, counter 1: waits 10 and 20 min, services 5 and 15 min.
        served(1, Service::Baru, "08:00", "08:10", Some("08:15"), 1),
        served(2, Service::Baru, "08:30", "08:50", Some("09:05"), 1),
        // Baru, hour 9, counter 2: a no-show after a 30-min wait.
        served(3, Service::Baru, "09:00", "09:30", None, 2),
        // Penggantian, the evening before (hour 23), counter 2: wait 4 min, service 6.
        served(
            4,
            Service::Penggantian,
            "-23:50",
            "-23:54",
            Some("00:00"),
            2,
        ),
        // Hilang/rusak, hour 9, still waiting: a ticket with no times.
        waiting(5, Service::HilangRusak, false, "09:15"),
    ];
    let times = supervisor_times(&records, &wita());

    assert_eq!(times.overall.tickets, 5);
    assert_eq!(times.overall.no_shows, 1);
    // Waits 4, 10, 20, 30 min: median 15 min, p90 at rank 2.7: 20 + 0.7 x 10 = 27 min.
    assert_eq!(
        times.overall.waiting,
        TimeFigures {
            count: 4,
            median_seconds: Some(900),
            p90_seconds: Some(1620)
        }
    );
    // Services 5, 6, 15 min: median 6 min, p90 at rank 1.8: 6 + 0.8 x 9 = 13.2 min = 792 s.
    assert_eq!(
        times.overall.service,
        TimeFigures {
            count: 3,
            median_seconds: Some(360),
            p90_seconds: Some(792)
        }
    );

    let services: Vec<(Service, usize, usize)> = times
        .per_service
        .iter()
        .map(|(s, g)| (*s, g.tickets, g.no_shows))
        .collect();
    assert_eq!(
        services,
        [
            (Service::Baru, 3, 1),
            (Service::Penggantian, 1, 0),
            (Service::HilangRusak, 1, 0)
        ]
    );
    let baru = &times.per_service[0].1;
    assert_eq!(baru.waiting.median_seconds, Some(1200), "10, 20, 30 min");
    assert_eq!(baru.service.median_seconds, Some(600), "5 and 15 min");

    let hours: Vec<(i8, usize)> = times
        .per_hour
        .iter()
        .map(|(h, g)| (*h, g.tickets))
        .collect();
    assert_eq!(
        hours,
        [(8, 2), (9, 2), (23, 1)],
        "by the office-local hour of check-in"
    );

    let counters: Vec<(u32, usize, usize)> = times
        .per_counter
        .iter()
        .map(|(c, g)| (*c, g.tickets, g.no_shows))
        .collect();
    assert_eq!(
        counters,
        [(1, 2, 0), (2, 2, 1)],
        "the waiting ticket is at no counter"
    );
    assert_eq!(
        times.per_counter[1].1.service.median_seconds,
        Some(360),
        "b1's 6 min only"
    );
}

#[test]
fn no_records_give_empty_figures_not_a_panic() {
    let times = supervisor_times(&[], &wita());
    assert_eq!(times.overall, GroupTimes::default());
    assert!(times.per_service.is_empty() && times.per_hour.is_empty());
    assert!(times.per_counter.is_empty());
}

#[test]
fn the_lines_say_sekitar_and_about_never_a_promise() {
    let outlook = QueueOutlook {
        people_ahead: 4,
        estimate: Some(WaitEstimate {
            low_minutes: 20,
            high_minutes: 35,
        }),
    };
    let screen = outlook.screen_lines();
    assert_eq!(screen.len(), 2);
    assert!(
        screen[0].id.contains('4') && screen[0].en.contains('4'),
        "{screen:?}"
    );
    assert!(screen[1].id.contains("sekitar 20-35 menit"), "{screen:?}");
    assert!(screen[1].en.contains("about 20-35 minutes"), "{screen:?}");

    let paper = outlook.ticket_lines(Language::Id);
    assert_eq!(paper.len(), 2);
    assert!(
        paper[0].contains('4') && paper[1].contains("sekitar 20-35"),
        "{paper:?}"
    );

    let count_only = QueueOutlook {
        people_ahead: 0,
        estimate: None,
    };
    let screen = count_only.screen_lines();
    assert_eq!(screen.len(), 1, "too little data: only the count");
    assert!(
        !screen[0].id.is_empty() && !screen[0].id.contains('{'),
        "{screen:?}"
    );
    let paper = count_only.ticket_lines(Language::En);
    assert_eq!(paper.len(), 1);
    assert!(!paper[0].is_empty() && !paper[0].contains('{'), "{paper:?}");
}

#[test]
fn people_ahead_agrees_with_the_order_the_counters_call_in() {
    // A mixed day of 40 tickets: every third in the priority lane, times scattered, some
    // sharing a minute.
    let day: Vec<ServiceRecord> = (0..40)
        .map(|id: i64| {
            let minute = (id * 37) % 120;
            let hh_mm = format!("{:02}:{:02}", 8 + minute / 60, minute % 60);
            waiting(id, Service::Baru, id % 3 == 0, &hh_mm)
        })
        .collect();
    for streak_max in 1..=4 {
        let rules = fair(streak_max);
        let mut queue: Vec<_> = day.iter().map(ServiceRecord::as_waiting).collect();
        let mut streak = 1;
        let mut called = Vec::new();
        while let Some(next) = crate::call_order::next_call(&queue, streak, at("12:00"), &rules) {
            streak = next.priority_streak;
            called.push(queue.remove(next.index).id);
        }
        for ticket in &day {
            let place = called.iter().position(|id| *id == ticket.id);
            assert_eq!(
                people_ahead(ticket, &day, 1, &rules),
                place,
                "ticket {} with priority_streak_max {streak_max}",
                ticket.id
            );
        }
    }
}

#[test]
fn an_outlook_is_the_count_and_its_estimate() {
    let mut day = synthetic_morning();
    day.extend((21..=24).map(|id| regular(id, "08:40")));
    let now = zoned("09:00");
    let last = day.last().expect("a waiting ticket").clone();
    let outlook = QueueOutlook::of(&last, &day, 0, &fair(3), 2, &now, MIN_FINISHED_FOR_ESTIMATE);
    assert_eq!(
        outlook,
        Some(QueueOutlook {
            people_ahead: 3,
            estimate: Some(WaitEstimate {
                low_minutes: 15,
                high_minutes: 30
            }),
        }),
        "low 3 x 660 / 2 = 990 s down to 15 min; high 4 x 810 / 2 = 1620 s up to 30"
    );
    let early = QueueOutlook::of(
        &last,
        &day[4..],
        0,
        &fair(3),
        2,
        &now,
        MIN_FINISHED_FOR_ESTIMATE,
    );
    assert_eq!(
        early,
        Some(QueueOutlook {
            people_ahead: 3,
            estimate: None
        }),
        "two finished services: the count only"
    );
    assert_eq!(
        QueueOutlook::of(
            &day[0],
            &day,
            0,
            &fair(3),
            2,
            &now,
            MIN_FINISHED_FOR_ESTIMATE
        ),
        None,
        "a served ticket has no outlook"
    );
}
