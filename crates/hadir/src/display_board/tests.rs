use jiff::civil::date;

use super::*;
use crate::model::Language;

fn day() -> Date {
    date(2026, 11, 29)
}

/// 09:00 WITA on [`day`] plus `seconds`.
fn at(seconds: i64) -> Timestamp {
    "2026-11-29T09:00:00+08:00"
        .parse::<Timestamp>()
        .expect("a time")
        .checked_add(SignedDuration::from_secs(seconds))
        .expect("in range")
}

fn call(call_id: i64, label: &str, counter: i32, seconds: i64) -> BoardCall {
    BoardCall {
        call_id,
        label: label.into(),
        counter,
        service: Service::Baru,
        recall: 0,
        at: at(seconds),
        office_date: day(),
    }
}

fn labels(calls: &[BoardCall]) -> Vec<(&str, i32)> {
    calls
        .iter()
        .map(|c| (c.label.as_str(), c.counter))
        .collect()
}

fn clip_names(news: &News) -> Vec<String> {
    news.announce
        .as_ref()
        .expect("announced")
        .clips
        .iter()
        .map(Clip::path)
        .collect()
}

#[test]
fn a_live_call_is_news_with_chime_and_clips_in_the_configured_language() {
    let mut board = Board::new();
    let config = DisplayConfig::default();
    let news = board
        .take(call(1, "P-003", 2, 0), Arrival::Live, at(1), &config)
        .expect("news");
    assert_eq!(news.call_id, 1);
    assert_eq!(
        clip_names(&news),
        [
            "chime.wav",
            "id/ticket_number.wav",
            "id/letter_p.wav",
            "id/digit_0.wav",
            "id/digit_0.wav",
            "id/digit_3.wav",
            "id/go_to_counter.wav",
            "id/digit_2.wav"
        ]
    );
    let english = DisplayConfig {
        speech_language: Language::En,
        volume: 0.5,
        ..DisplayConfig::default()
    };
    let news = Board::new()
        .take(call(1, "A-001", 12, 0), Arrival::Live, at(0), &english)
        .expect("news");
    let announce = news.announce.as_ref().expect("announced");
    assert_eq!(announce.volume, 0.5);
    assert_eq!(
        clip_names(&news)[1..].last().map(String::as_str),
        Some("en/digit_2.wav"),
        "counter 12 read digit by digit, in English"
    );
}

#[test]
fn caught_up_calls_show_but_are_never_news() {
    let mut board = Board::new();
    let config = DisplayConfig::default();
    assert_eq!(
        board.take(call(1, "A-001", 1, 0), Arrival::CatchUp, at(1), &config),
        None,
        "made while the display was away: shown silently"
    );
    assert_eq!(labels(&board.view(day(), &config).current), [("A-001", 1)]);
}

#[test]
fn a_live_call_made_too_long_ago_is_shown_without_a_flash() {
    let mut board = Board::new();
    let config = DisplayConfig::default();
    let late = at(SPEAK_WITHIN.as_secs() + 1);
    assert_eq!(
        board.take(call(1, "A-001", 1, 0), Arrival::Live, late, &config),
        None
    );
    let just_in_time = at(SPEAK_WITHIN.as_secs() + 10);
    assert!(board
        .take(
            call(2, "A-002", 1, 10),
            Arrival::Live,
            just_in_time,
            &config
        )
        .is_some());
    assert!(
        board
            .take(call(3, "A-003", 1, 60), Arrival::Live, at(50), &config)
            .is_some(),
        "a counter clock a little ahead of the display's still speaks"
    );
    assert!(
        board
            .take(call(4, "A-004", 1, 0), Arrival::Live, at(121), &config)
            .is_some(),
        "a counter clock two minutes behind the display's (past the skew alarm) still speaks"
    );
}

#[test]
fn a_call_read_twice_counts_once() {
    let mut board = Board::new();
    let config = DisplayConfig::default();
    board.take(call(1, "A-001", 1, 0), Arrival::CatchUp, at(0), &config);
    assert_eq!(
        board.take(call(1, "A-001", 1, 0), Arrival::Live, at(0), &config),
        None,
        "the notification of a call the catch-up already read"
    );
    assert_eq!(board.view(day(), &config).current.len(), 1);
    assert_eq!(board.last_call_id(), Some(1));
}

#[test]
fn a_call_again_is_news_again() {
    let mut board = Board::new();
    let config = DisplayConfig::default();
    board.take(call(1, "A-001", 1, 0), Arrival::Live, at(0), &config);
    let mut again = call(2, "A-001", 1, 20);
    again.recall = 1;
    assert!(board.take(again, Arrival::Live, at(20), &config).is_some());
    let view = board.view(day(), &config);
    assert_eq!(labels(&view.current), [("A-001", 1)]);
    assert!(view.recent.is_empty(), "one ticket shows once");
}

#[test]
fn current_is_each_counters_latest_most_recent_first_and_recent_lists_the_rest() {
    let mut board = Board::new();
    let config = DisplayConfig {
        current_calls: 2,
        recent_calls: 2,
        ..DisplayConfig::default()
    };
    for (id, label, counter) in [
        (1, "A-001", 1),
        (2, "A-002", 2),
        (3, "B-001", 3),
        (4, "A-003", 1),
        (5, "P-001", 2),
    ] {
        board.take(
            call(id, label, counter, id),
            Arrival::CatchUp,
            at(9),
            &config,
        );
    }
    let view = board.view(day(), &config);
    assert_eq!(labels(&view.current), [("P-001", 2), ("A-003", 1)]);
    assert_eq!(
        labels(&view.recent),
        [("B-001", 3), ("A-002", 2)],
        "counter 3's call did not fit above; at most 2 below"
    );
}

#[test]
fn a_ticket_called_at_another_counter_shows_only_there() {
    let mut board = Board::new();
    let config = DisplayConfig::default();
    board.take(call(1, "A-001", 1, 0), Arrival::Live, at(0), &config);
    board.take(call(2, "A-001", 3, 5), Arrival::Live, at(5), &config);
    let view = board.view(day(), &config);
    assert_eq!(labels(&view.current), [("A-001", 3)]);
    assert!(view.recent.is_empty());
}

#[test]
fn only_the_office_days_calls_show_and_calls_arrive_in_any_order() {
    let mut board = Board::new();
    let config = DisplayConfig::default();
    let mut yesterday = call(1, "A-099", 1, -86_400);
    yesterday.office_date = date(2026, 11, 28);
    board.take(yesterday, Arrival::CatchUp, at(0), &config);
    board.take(call(3, "A-002", 2, 2), Arrival::Live, at(2), &config);
    board.take(call(2, "A-001", 1, 1), Arrival::Live, at(2), &config);
    let view = board.view(day(), &config);
    assert_eq!(labels(&view.current), [("A-002", 2), ("A-001", 1)]);
    assert_eq!(board.last_call_id(), Some(3));
}

#[test]
fn speech_off_or_an_unprintable_label_flashes_without_words() {
    let silent = DisplayConfig {
        speech: false,
        ..DisplayConfig::default()
    };
    let news = Board::new()
        .take(call(1, "A-001", 1, 0), Arrival::Live, at(0), &silent)
        .expect("still news: the flash");
    assert_eq!(news.announce, None);
    let news = Board::new()
        .take(
            call(1, "???", 1, 0),
            Arrival::Live,
            at(0),
            &DisplayConfig::default(),
        )
        .expect("news");
    assert_eq!(news.announce, None, "never a wrong or partial number aloud");
}

#[test]
fn the_board_keeps_a_bounded_number_of_calls() {
    let mut board = Board::new();
    let config = DisplayConfig::default();
    for id in 1..=(KEPT_CALLS as i64 + 10) {
        board.take(
            call(id, &format!("A-{id:03}"), 1, 0),
            Arrival::CatchUp,
            at(0),
            &config,
        );
    }
    assert_eq!(board.calls.len(), KEPT_CALLS);
    assert_eq!(board.calls[0].call_id, 11, "the oldest went");
}

#[test]
fn the_view_says_whether_the_hub_is_heard() {
    let mut board = Board::new();
    let config = DisplayConfig::default();
    assert!(!board.view(day(), &config).online, "not before it connects");
    board.set_online(true);
    assert!(board.view(day(), &config).online);
    board.set_online(false);
    assert!(!board.view(day(), &config).online);
}
