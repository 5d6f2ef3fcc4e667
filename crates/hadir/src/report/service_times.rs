//! The supervisor's waiting and service times and the ratings per counter, as every format shows
//! them (issue #18). Only the office hub records calls, so only its export has them
//! ([`Report::office_times`] is `None` in a kiosk's own export, and every format says the times
//! need the office hub instead of showing zeros). The figures come from
//! `crate::queue_times::supervisor_times`; the tables, the summary's rows and the PDF's section
//! are written here, so each figure is laid out in one place.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde_json::json;

use super::labels::{self, words};
use super::{Cell, Column, Report, Table};
use crate::model::Language;
use crate::queue_times::{GroupTimes, SupervisorTimes, TimeFigures};
use crate::store::RatingRow;
use crate::survey::{self, IndexReport, QuestionSet, Rating};

/// What the office hub measures for the supervisor: the period's times and the ratings per
/// counter.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OfficeTimes {
    pub times: SupervisorTimes,
    /// Per counter (and staff member, with `per_staff`), in counter order.
    pub counter_ratings: Vec<CounterRatings>,
    /// `[survey] ratings_per_staff`: the ratings are split by the staff member at the counter.
    pub per_staff: bool,
}

/// Who served a ticket: the last counter that called it, and the staff member signed in there
/// for that call (when the counter recorded one). Keyed like a kiosk's ratings: the office day
/// and the ticket's number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServedBy {
    pub office_date: String,
    pub label: String,
    pub counter: u32,
    pub staff: Option<String>,
}

/// The ratings of the tickets one counter (one staff member at it) served.
#[derive(Debug, Clone, PartialEq)]
pub struct CounterRatings {
    pub counter: u32,
    /// Only with `[survey] ratings_per_staff`; `None` also for calls with no staff recorded.
    pub staff: Option<String>,
    /// The index over these ratings, as the summary's (flagged ratings left out).
    pub index: IndexReport,
}

/// The ratings of `set` joined with the counter that served each rated ticket (same office day
/// and number), grouped per counter, or per counter and staff member when `per_staff`. A rating
/// of a ticket no counter called is in no row; ratings of another question set are left out,
/// as from the summary's index.
pub fn counter_ratings(
    ratings: &[RatingRow],
    served: &[ServedBy],
    set: QuestionSet,
    per_staff: bool,
) -> Vec<CounterRatings> {
    let by_ticket: BTreeMap<(&str, &str), &ServedBy> = served
        .iter()
        .map(|s| ((s.office_date.as_str(), s.label.as_str()), s))
        .collect();
    let mut groups: BTreeMap<(u32, Option<String>), Vec<Rating>> = BTreeMap::new();
    for rating in ratings.iter().filter(|r| r.question_set == set.id) {
        let Some(served) = by_ticket.get(&(rating.office_date.as_str(), rating.label.as_str()))
        else {
            continue;
        };
        let staff = if per_staff {
            served.staff.clone()
        } else {
            None
        };
        groups
            .entry((served.counter, staff))
            .or_default()
            .push(Rating {
                scores: rating.scores.clone(),
                flagged: !rating.flags.is_empty(),
            });
    }
    groups
        .into_iter()
        .map(|((counter, staff), ratings)| CounterRatings {
            counter,
            staff,
            index: survey::index(set, &ratings, false),
        })
        .collect()
}

/// The summary's code for "no times: they need the office hub's calls".
const NEEDS_HUB: &str = "perlu_hub";

/// Minutes with one decimal and a decimal comma (`12,5`), as the PDF shows times.
pub(super) fn minutes(seconds: Option<u32>) -> String {
    match seconds {
        Some(s) => format!("{:.1}", f64::from(s) / 60.0).replace('.', ","),
        None => "-".to_owned(),
    }
}

fn seconds_cell<'a>(seconds: Option<u32>) -> Cell<'a> {
    seconds.map_or(Cell::Blank, |s| Cell::Int(i64::from(s)))
}

const TIMES_HEADER: [&str; 10] = [
    "kelompok",
    "kunci",
    "tiket",
    "dipanggil",
    "tunggu_median_detik",
    "tunggu_p90_detik",
    "selesai",
    "layanan_median_detik",
    "layanan_p90_detik",
    "tidak_hadir_loket",
];

/// A group's kind: `semua` (the period), `layanan`, `jam`, `loket`.
fn group_cell<'a>(kind: &'static str, lang: Language) -> Cell<'a> {
    Cell::Coded {
        code: Cow::Borrowed(kind),
        label: words(lang, &format!("report.times.group.{kind}")),
    }
}

fn times_row<'a>(group: Cell<'a>, key: Cell<'a>, g: &GroupTimes) -> Vec<Cell<'a>> {
    let count = |f: &TimeFigures| Cell::Int(f.count as i64);
    vec![
        group,
        key,
        Cell::Int(g.tickets as i64),
        count(&g.waiting),
        seconds_cell(g.waiting.median_seconds),
        seconds_cell(g.waiting.p90_seconds),
        count(&g.service),
        seconds_cell(g.service.median_seconds),
        seconds_cell(g.service.p90_seconds),
        Cell::Int(g.no_shows as i64),
    ]
}

/// `08` for the hour 8: the check-in hour, office-local.
fn hour_key(hour: i8) -> String {
    format!("{hour:02}")
}

impl Report {
    /// The hub export's two extra tables (times; ratings per counter); none for a kiosk's own
    /// export, whose summary says the times need the office hub.
    pub(super) fn office_time_tables(&self, lang: Language) -> Vec<Table<'_>> {
        let Some(office) = &self.office_times else {
            return Vec::new();
        };
        vec![
            times_table(&office.times, lang),
            self.counter_ratings_table(office, lang),
        ]
    }

    fn counter_ratings_table(&self, office: &OfficeTimes, lang: Language) -> Table<'_> {
        let elements = self.question_set.elements;
        let mut keys = vec!["loket"];
        if office.per_staff {
            keys.push("staf");
        }
        keys.extend(["penilaian_dihitung", "penilaian_ditandai"]);
        let mut header = Column::all(&keys, lang);
        header.extend(
            elements
                .iter()
                .map(|e| Column::new(Cow::Owned(format!("skor_{e}")), lang)),
        );
        header.push(Column::new(Cow::Borrowed("indeks"), lang));
        let rows = office
            .counter_ratings
            .iter()
            .map(|c| {
                let mut row = vec![Cell::Int(i64::from(c.counter))];
                if office.per_staff {
                    row.push(c.staff.clone().map_or(Cell::Blank, Cell::owned));
                }
                row.push(Cell::Int(i64::from(c.index.ratings_counted)));
                row.push(Cell::Int(i64::from(c.index.ratings_flagged)));
                row.extend(
                    c.index
                        .elements
                        .iter()
                        .map(|e| e.mean.map_or(Cell::Blank, |m| Cell::Num(round2(m)))),
                );
                row.push(c.index.index.map_or(Cell::Blank, Cell::Num));
                row
            })
            .collect();
        Table {
            file: "ratings_per_counter",
            sheet: labels::sheet(lang, "ratings_per_counter"),
            header,
            rows,
        }
    }

    /// The summary table's rows of the times: the period's overall figures, or one row saying
    /// they need the office hub.
    pub(super) fn office_time_summary_rows(
        &self,
        lang: Language,
    ) -> Vec<(String, Cell<'static>, Cell<'static>)> {
        let described = |key: &str| {
            let key = format!("report.summary.{key}");
            Cell::Coded {
                code: Cow::Owned(words(Language::Id, &key)),
                label: words(lang, &key),
            }
        };
        let Some(office) = &self.office_times else {
            return vec![(
                "waktu_tunggu_layanan".into(),
                described("waktu_tunggu_layanan"),
                Cell::Coded {
                    code: Cow::Borrowed(NEEDS_HUB),
                    label: words(lang, "report.times.needs_hub"),
                },
            )];
        };
        let all = &office.times.overall;
        [
            ("tunggu_median_detik", all.waiting.median_seconds),
            ("tunggu_p90_detik", all.waiting.p90_seconds),
            ("layanan_median_detik", all.service.median_seconds),
            ("layanan_p90_detik", all.service.p90_seconds),
        ]
        .into_iter()
        .map(|(key, seconds)| (key.to_owned(), described(key), seconds_cell(seconds)))
        .chain(std::iter::once((
            "tidak_hadir_loket".to_owned(),
            described("tidak_hadir_loket"),
            Cell::Int(all.no_shows as i64),
        )))
        .collect()
    }
}

fn times_table(times: &SupervisorTimes, lang: Language) -> Table<'static> {
    let mut rows = vec![times_row(
        group_cell("semua", lang),
        Cell::Blank,
        &times.overall,
    )];
    for (service, group) in &times.per_service {
        rows.push(times_row(
            group_cell("layanan", lang),
            Cell::Coded {
                code: Cow::Borrowed(service.as_str()),
                label: labels::service(lang, service.as_str()),
            },
            group,
        ));
    }
    for (hour, group) in &times.per_hour {
        rows.push(times_row(
            group_cell("jam", lang),
            Cell::owned(hour_key(*hour)),
            group,
        ));
    }
    for (counter, group) in &times.per_counter {
        rows.push(times_row(
            group_cell("loket", lang),
            Cell::owned(counter.to_string()),
            group,
        ));
    }
    Table {
        file: "queue_times",
        sheet: labels::sheet(lang, "queue_times"),
        header: Column::all(&TIMES_HEADER, lang),
        rows,
    }
}

fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

/// Labels of the figures' rows in words: "Paspor baru", "08.00-08.59", "Loket 2".
pub(super) fn group_words(lang: Language, times: &SupervisorTimes) -> Vec<(String, GroupTimes)> {
    let mut rows = vec![(
        words(lang, "report.times.group.semua"),
        times.overall.clone(),
    )];
    rows.extend(
        times
            .per_service
            .iter()
            .map(|(s, g)| (labels::service(lang, s.as_str()), g.clone())),
    );
    rows.extend(times.per_hour.iter().map(|(h, g)| {
        (
            labels::text(lang, "report.times.hour", &json!({ "hour": hour_key(*h) })),
            g.clone(),
        )
    }));
    rows.extend(times.per_counter.iter().map(|(c, g)| {
        (
            labels::text(lang, "report.times.counter", &json!({ "counter": c })),
            g.clone(),
        )
    }));
    rows
}
