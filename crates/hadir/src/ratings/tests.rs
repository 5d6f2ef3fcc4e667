use super::*;
use crate::kiosk::testing::scan_printed;
use crate::store::tests::fresh_store;

fn at(hour: i8, minute: i8, second: i8) -> ZonedDateTime {
    jiff::civil::date(2026, 11, 29)
        .at(hour, minute, second, 0)
        .to_zoned_datetime(jiff::tz::TimeZone::get("Asia/Makassar").expect("tz"))
        .expect("zoned")
}

/// A store with the demo day and `n` tickets issued at 09:30 (three per family booking).
fn day_with_tickets() -> (tempfile::TempDir, Store, Config, Vec<String>) {
    let (dir, mut store) = fresh_store();
    let mut config = Config::default();
    config.kiosk.data_dir = Some(dir.path().to_owned());
    let (day, _) = crate::demo::fill(&mut store, &at(9, 30, 0), &config).expect("demo");
    let mut ids = Vec::new();
    for code in day.try_codes.iter().take(2) {
        let result =
            scan_printed(&mut store, &code.booking_code, &at(9, 30, 0), &config).expect("scan");
        ids.extend(result.tickets.iter().map(|t| t.ticket_id.clone()));
    }
    (dir, store, config, ids)
}

fn answers(ticket_id: &str, score: u8, answered_ms: u64) -> SurveyAnswers {
    SurveyAnswers {
        ticket_id: ticket_id.to_owned(),
        scores: crate::survey::SERVQUAL
            .elements
            .iter()
            .map(|e| ((*e).to_owned(), score))
            .collect(),
        comment: Some("  ruang tunggu\u{7} nyaman  ".into()),
        answered_ms,
    }
}

#[test]
fn only_ticket_qr_text_opens_the_survey() {
    assert_eq!(ticket_id_in("HADIR-TIKET:abc\r\n"), Some("abc"));
    assert_eq!(
        ticket_id_in("MP7QJ4KX2D"),
        None,
        "booking codes go to check-in"
    );
    assert_eq!(ticket_id_in("hadir-tiket:abc"), None);
}

#[test]
fn todays_ticket_opens_the_configured_question_set() {
    let (_dir, store, mut config, ids) = day_with_tickets();
    let verdict = open_survey(&store, &ids[0], &at(11, 0, 0), &config).expect("opens");
    assert!(
        matches!(verdict, SurveyVerdict::Ready { question_set: "servqual", elements, .. } if elements.len() == 5),
        "{verdict:?}"
    );
    config.survey.question_set = "skm2017".into();
    let verdict = open_survey(&store, &ids[0], &at(11, 0, 0), &config).expect("opens");
    assert!(
        matches!(verdict, SurveyVerdict::Ready { question_set: "skm2017", elements, .. } if elements.len() == 9),
        "the set is data from config: {verdict:?}"
    );
}

#[test]
fn unknown_and_other_day_tickets_are_refused_politely() {
    let (_dir, store, config, ids) = day_with_tickets();
    for id in [
        "",
        "nope",
        "0123456789abcdef0123456789abcdef",
        "'; DROP TABLE ratings; --",
    ] {
        assert_eq!(
            open_survey(&store, id, &at(11, 0, 0), &config).expect("answers"),
            SurveyVerdict::UnknownTicket,
            "{id:?}"
        );
    }
    let tomorrow = at(11, 0, 0)
        .checked_add(jiff::Span::new().days(1))
        .expect("date");
    assert!(matches!(
        open_survey(&store, &ids[0], &tomorrow, &config).expect("answers"),
        SurveyVerdict::OtherDay { date, .. } if date == "2026-11-29"
    ));
}

#[test]
fn a_ticket_is_rated_once_and_the_rating_goes_to_the_outbox() {
    let (_dir, mut store, config, ids) = day_with_tickets();
    let before = store.outbox_len().expect("count");
    let first = submit_rating(
        &mut store,
        &answers(&ids[0], 4, 20_000),
        &at(11, 0, 0),
        &config,
    )
    .expect("records");
    assert_eq!(first, RatingRecorded::Ok { flags: vec![] });
    assert_eq!(
        store.outbox_len().expect("count"),
        before + 1,
        "one rating event"
    );
    let event = store
        .outbox_batch(100)
        .expect("reads")
        .pop()
        .expect("event");
    assert_eq!(event.kind, "rating");
    assert!(
        event.body.contains("\"comment\":\"ruang tunggu nyaman\""),
        "{}",
        event.body
    );

    let second = submit_rating(
        &mut store,
        &answers(&ids[0], 1, 20_000),
        &at(11, 1, 0),
        &config,
    )
    .expect("answers");
    assert_eq!(
        second,
        RatingRecorded::AlreadyRated,
        "one rating per ticket"
    );
    assert!(matches!(
        open_survey(&store, &ids[0], &at(11, 2, 0), &config).expect("answers"),
        SurveyVerdict::AlreadyRated { .. }
    ));
    assert_eq!(
        store.outbox_len().expect("count"),
        before + 1,
        "nothing more written"
    );
}

#[test]
fn incomplete_answers_are_refused_with_a_stable_code_and_nothing_is_written() {
    let (_dir, mut store, config, ids) = day_with_tickets();
    let mut partial = answers(&ids[0], 3, 20_000);
    partial.scores.remove("empathy");
    let error = submit_rating(&mut store, &partial, &at(11, 0, 0), &config).expect_err("refused");
    assert_eq!(error.code(), "rating_incomplete");
    let mut out_of_range = answers(&ids[0], 3, 20_000);
    out_of_range.scores.insert("empathy".into(), 5);
    let error =
        submit_rating(&mut store, &out_of_range, &at(11, 0, 0), &config).expect_err("refused");
    assert_eq!(error.code(), "rating_score_out_of_range");
    assert!(
        matches!(
            open_survey(&store, &ids[0], &at(11, 0, 0), &config).expect("answers"),
            SurveyVerdict::Ready { .. }
        ),
        "the ticket can still be rated"
    );
}

#[test]
fn too_fast_and_bursts_are_flagged_not_refused() {
    let (_dir, mut store, config, ids) = day_with_tickets();
    assert!(ids.len() >= 4, "demo issues at least four tickets");
    let fast = submit_rating(
        &mut store,
        &answers(&ids[0], 4, 2_000),
        &at(11, 0, 0),
        &config,
    )
    .expect("records");
    assert_eq!(
        fast,
        RatingRecorded::Ok {
            flags: vec![MisuseFlag::TooFast]
        },
        "5 questions in 2 s"
    );

    let mut config = config;
    config.survey.burst_count = 2;
    let second = submit_rating(
        &mut store,
        &answers(&ids[1], 4, 20_000),
        &at(11, 0, 30),
        &config,
    )
    .expect("records");
    assert_eq!(
        second,
        RatingRecorded::Ok { flags: vec![] },
        "two in two minutes is fine"
    );
    let third = submit_rating(
        &mut store,
        &answers(&ids[2], 4, 20_000),
        &at(11, 1, 0),
        &config,
    )
    .expect("records");
    assert_eq!(
        third,
        RatingRecorded::Ok {
            flags: vec![MisuseFlag::Burst]
        }
    );
    let later = submit_rating(
        &mut store,
        &answers(&ids[3], 4, 20_000),
        &at(11, 10, 0),
        &config,
    )
    .expect("records");
    assert_eq!(
        later,
        RatingRecorded::Ok { flags: vec![] },
        "the window has passed"
    );
}

#[test]
fn the_burst_window_compares_instants_whatever_the_offset() {
    let (_dir, mut store, mut config, ids) = day_with_tickets();
    config.survey.burst_count = 1;
    submit_rating(
        &mut store,
        &answers(&ids[0], 4, 20_000),
        &at(11, 0, 0),
        &config,
    )
    .expect("records");
    // Ten seconds later, read in UTC (as after a time-zone change): still inside the window.
    let later_utc = at(11, 0, 10).with_time_zone(jiff::tz::TimeZone::UTC);
    let second = submit_rating(
        &mut store,
        &answers(&ids[1], 4, 20_000),
        &later_utc,
        &config,
    )
    .expect("records");
    assert_eq!(
        second,
        RatingRecorded::Ok {
            flags: vec![MisuseFlag::Burst]
        }
    );
}

#[test]
fn a_fresh_ticket_is_asked_to_come_back_after_service() {
    // Tickets issued at 09:30; the default wait is 5 minutes.
    let (_dir, mut store, mut config, ids) = day_with_tickets();
    assert_eq!(config.survey.earliest_after_issue_minutes, 5, "the default");
    let label = match open_survey(&store, &ids[0], &at(9, 31, 0), &config).expect("answers") {
        SurveyVerdict::TooSoon { label } => label,
        other => panic!("a minute after issue is too soon: {other:?}"),
    };
    assert!(
        label.contains('-'),
        "the screen can name the ticket: {label}"
    );
    assert!(
        matches!(
            open_survey(&store, &ids[0], &at(9, 34, 59), &config).expect("answers"),
            SurveyVerdict::TooSoon { .. }
        ),
        "one second before the wait is over"
    );
    assert!(
        matches!(
            open_survey(&store, &ids[0], &at(9, 35, 0), &config).expect("answers"),
            SurveyVerdict::Ready { .. }
        ),
        "issue + the default wait opens the survey"
    );
    let early = submit_rating(
        &mut store,
        &answers(&ids[0], 4, 20_000),
        &at(9, 32, 0),
        &config,
    )
    .expect("answers");
    assert_eq!(early, RatingRecorded::TooSoon, "nothing recorded");
    config.survey.earliest_after_issue_minutes = 0;
    assert!(
        matches!(
            open_survey(&store, &ids[0], &at(9, 30, 0), &config).expect("answers"),
            SurveyVerdict::Ready { .. }
        ),
        "0 minutes: no wait"
    );
}

#[test]
fn the_wait_after_issue_compares_instants_whatever_the_offset() {
    let wait = Duration::from_secs(5 * 60);
    let issued = "2026-11-29T09:30:00+08:00";
    assert!(too_soon_to_rate(
        issued,
        &at(9, 34, 0).with_time_zone(jiff::tz::TimeZone::UTC),
        wait
    ));
    assert!(!too_soon_to_rate(
        issued,
        &at(9, 35, 0).with_time_zone(jiff::tz::TimeZone::UTC),
        wait
    ));
    assert!(
        !too_soon_to_rate("not a time", &at(9, 30, 0), wait),
        "an unreadable time never holds a rating back"
    );
}
