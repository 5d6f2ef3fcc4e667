//! Satisfaction ratings: the question sets, validation of one rating, misuse flags, and the
//! index in the form of Indonesia's IKM (PermenPANRB 14/2017): the mean of the element means,
//! times 25, graded A to D.
//!
//! Question sets are data. Their wording lives with the screens (`ui/i18n`, keys
//! `survey.<set>.<element>`); the core knows only the element keys and their order.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;

use crate::error::RatingError;
use crate::model::Language;

/// Answers are 1 (tidak puas) to 4 (sangat puas), the IKM survey's scale.
pub const MIN_SCORE: u8 = 1;
pub const MAX_SCORE: u8 = 4;

/// One question set: an id and its elements, in the order they are asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuestionSet {
    pub id: &'static str,
    pub elements: &'static [&'static str],
}

/// SERVQUAL's five dimensions (the default).
pub const SERVQUAL: QuestionSet = QuestionSet {
    id: "servqual",
    elements: &[
        "tangibles",
        "reliability",
        "responsiveness",
        "assurance",
        "empathy",
    ],
};

/// The nine elements of the SKM of PermenPANRB 14/2017.
pub const SKM_2017: QuestionSet = QuestionSet {
    id: "skm2017",
    elements: &[
        "persyaratan",
        "prosedur",
        "waktu",
        "biaya",
        "produk",
        "kompetensi",
        "perilaku",
        "pengaduan",
        "sarana",
    ],
};

/// Every shipped set, for config validation.
pub const QUESTION_SETS: &[QuestionSet] = &[SERVQUAL, SKM_2017];

impl QuestionSet {
    pub fn by_id(id: &str) -> Option<QuestionSet> {
        QUESTION_SETS.iter().copied().find(|set| set.id == id)
    }
}

/// One applicant's answers, checked against a question set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rating {
    pub scores: BTreeMap<String, u8>,
    /// Suspected misuse (see [`misuse_flags`]): kept, counted, left out of the index by default.
    pub flagged: bool,
}

impl Rating {
    /// Every element of `set` answered once with 1 to 4, nothing else.
    pub fn new(set: QuestionSet, scores: BTreeMap<String, u8>) -> Result<Rating, RatingError> {
        for (element, &score) in &scores {
            if !set.elements.contains(&element.as_str()) {
                return Err(RatingError::UnknownElement(element.clone()));
            }
            if !(MIN_SCORE..=MAX_SCORE).contains(&score) {
                return Err(RatingError::ScoreOutOfRange {
                    element: element.clone(),
                    score,
                });
            }
        }
        if let Some(missing) = set.elements.iter().find(|e| !scores.contains_key(**e)) {
            return Err(RatingError::Missing((*missing).to_owned()));
        }
        Ok(Rating {
            scores,
            flagged: false,
        })
    }
}

/// Why a rating looks like misuse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MisuseFlag {
    /// Answered faster than a person can read the questions.
    TooFast,
    /// One of many ratings at this kiosk within a short time (a finger drumming the faces).
    Burst,
}

/// Thresholds for [`misuse_flags`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MisuseRules {
    /// Least time a person needs per question (read it, find the face, press).
    pub min_per_question: Duration,
    /// More than `burst_count` ratings at one kiosk within `burst_window` is a burst.
    pub burst_count: usize,
    pub burst_window: Duration,
}

impl Default for MisuseRules {
    fn default() -> Self {
        MisuseRules {
            min_per_question: Duration::from_millis(1200),
            burst_count: 5,
            burst_window: Duration::from_secs(120),
        }
    }
}

/// Flags for a rating that took `answered_in` for `questions` questions, given how long ago
/// (from now) the kiosk's earlier ratings were recorded.
pub fn misuse_flags(
    rules: MisuseRules,
    questions: usize,
    answered_in: Duration,
    earlier_ratings_ago: &[Duration],
) -> Vec<MisuseFlag> {
    let mut flags = Vec::new();
    if answered_in < rules.min_per_question * questions as u32 {
        flags.push(MisuseFlag::TooFast);
    }
    let recent = earlier_ratings_ago
        .iter()
        .filter(|ago| **ago <= rules.burst_window)
        .count();
    if recent + 1 > rules.burst_count {
        flags.push(MisuseFlag::Burst);
    }
    flags
}

/// One element's results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ElementScore {
    pub element: &'static str,
    pub count: u32,
    /// Mean score 1-4; `None` without answers.
    pub mean: Option<f64>,
    /// How many answered 1, 2, 3, 4.
    pub distribution: [u32; 4],
}

/// The PermenPANRB 14/2017 grades ("mutu pelayanan").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Grade {
    /// 88.31-100, sangat baik.
    A,
    /// 76.61-88.30, baik.
    B,
    /// 65.00-76.60, kurang baik.
    C,
    /// 25.00-64.99, tidak baik.
    D,
}

impl Grade {
    /// The grade of an index (0-100) as published, to two decimals.
    pub fn of(index: f64) -> Grade {
        let hundredths = (index * 100.0).round() as i64;
        match hundredths {
            8831.. => Grade::A,
            7661.. => Grade::B,
            6500.. => Grade::C,
            _ => Grade::D,
        }
    }

    /// The grade's name in `lang` (`ui/i18n`, `survey.grade.*`); in Bahasa Indonesia it is the
    /// regulation's own, which CSV exports keep as a code.
    pub fn label(self, lang: Language) -> String {
        let key = match self {
            Grade::A => "survey.grade.a",
            Grade::B => "survey.grade.b",
            Grade::C => "survey.grade.c",
            Grade::D => "survey.grade.d",
        };
        crate::texts::text(lang, key, &serde_json::Value::Null)
    }
}

/// Scores of a period: per element, and the index computed from them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndexReport {
    /// The question set the index was computed from: an IKM proper uses the SKM set; from the
    /// SERVQUAL set it is an index "in IKM form", and reports must say so.
    pub question_set: &'static str,
    pub elements: Vec<ElementScore>,
    /// Mean of the element means x 25, rounded to two decimals; `None` without any rating.
    pub index: Option<f64>,
    pub grade: Option<Grade>,
    /// Ratings in the index, and flagged ones left out (or counted in, when asked).
    pub ratings_counted: u32,
    pub ratings_flagged: u32,
}

/// The index over `ratings` (all of `set`). Flagged ratings are counted in `ratings_flagged`
/// and left out of the scores unless `include_flagged`.
pub fn index(set: QuestionSet, ratings: &[Rating], include_flagged: bool) -> IndexReport {
    let mut elements: Vec<ElementScore> = set
        .elements
        .iter()
        .map(|element| ElementScore {
            element,
            count: 0,
            mean: None,
            distribution: [0; 4],
        })
        .collect();
    let mut counted = 0;
    let mut flagged = 0;
    for rating in ratings {
        if rating.flagged {
            flagged += 1;
            if !include_flagged {
                continue;
            }
        }
        counted += 1;
        for score in &mut elements {
            if let Some(&answer) = rating.scores.get(score.element) {
                if (MIN_SCORE..=MAX_SCORE).contains(&answer) {
                    score.count += 1;
                    score.distribution[usize::from(answer - 1)] += 1;
                }
            }
        }
    }
    for score in &mut elements {
        if score.count > 0 {
            let sum: u32 = score
                .distribution
                .iter()
                .enumerate()
                .map(|(i, n)| (i as u32 + 1) * n)
                .sum();
            score.mean = Some(f64::from(sum) / f64::from(score.count));
        }
    }
    let means: Vec<f64> = elements.iter().filter_map(|e| e.mean).collect();
    let index = (means.len() == elements.len() && !means.is_empty()).then(|| {
        let raw = means.iter().sum::<f64>() / means.len() as f64 * 25.0;
        (raw * 100.0).round() / 100.0
    });
    IndexReport {
        question_set: set.id,
        elements,
        grade: index.map(Grade::of),
        index,
        ratings_counted: counted,
        ratings_flagged: flagged,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rating(set: QuestionSet, scores: &[u8]) -> Rating {
        Rating::new(
            set,
            set.elements
                .iter()
                .zip(scores)
                .map(|(e, s)| ((*e).to_owned(), *s))
                .collect(),
        )
        .expect("valid rating")
    }

    /// Worked example: three applicants rate SERVQUAL.
    ///   tangibles      4 3 4 -> 11/3 = 3.6667
    ///   reliability    3 3 4 -> 10/3 = 3.3333
    ///   responsiveness 2 3 3 ->  8/3 = 2.6667
    ///   assurance      4 4 4 -> 12/3 = 4.0000
    ///   empathy        3 4 3 -> 10/3 = 3.3333
    /// mean of means = 51/15 = 3.4; x 25 = 85.00 -> B (76.61-88.30), "baik".
    #[test]
    fn worked_example_servqual_three_ratings() {
        let ratings = [
            rating(SERVQUAL, &[4, 3, 2, 4, 3]),
            rating(SERVQUAL, &[3, 3, 3, 4, 4]),
            rating(SERVQUAL, &[4, 4, 3, 4, 3]),
        ];
        let report = index(SERVQUAL, &ratings, false);
        assert_eq!(report.index, Some(85.0));
        assert_eq!(report.grade, Some(Grade::B));
        assert_eq!(report.ratings_counted, 3);
        let tangibles = &report.elements[0];
        assert_eq!(tangibles.distribution, [0, 0, 1, 2]);
        assert!((tangibles.mean.expect("mean") - 11.0 / 3.0).abs() < 1e-12);
        assert_eq!(report.question_set, "servqual");
    }

    /// Worked example on the nine SKM elements: every element answered 4 by one applicant and
    /// 3 by another except `biaya` (4 and 4): means 3.5 x 8 and 4.0; mean 32/9 = 3.5556;
    /// x 25 = 88.89 -> A.
    #[test]
    fn worked_example_skm_nine_elements() {
        let ratings = [
            rating(SKM_2017, &[4, 4, 4, 4, 4, 4, 4, 4, 4]),
            rating(SKM_2017, &[3, 3, 3, 4, 3, 3, 3, 3, 3]),
        ];
        let report = index(SKM_2017, &ratings, false);
        assert_eq!(report.index, Some(88.89));
        assert_eq!(report.grade, Some(Grade::A));
    }

    #[test]
    fn grade_boundaries_as_published() {
        assert_eq!(Grade::of(100.0), Grade::A);
        assert_eq!(Grade::of(88.31), Grade::A);
        assert_eq!(Grade::of(88.30), Grade::B);
        assert_eq!(Grade::of(88.304), Grade::B, "read to two decimals");
        assert_eq!(Grade::of(76.61), Grade::B);
        assert_eq!(Grade::of(76.60), Grade::C);
        assert_eq!(Grade::of(65.00), Grade::C);
        assert_eq!(Grade::of(64.99), Grade::D);
        assert_eq!(Grade::of(25.0), Grade::D);
        assert_eq!(
            (Grade::C.label(Language::Id), Grade::C.label(Language::En)),
            ("kurang baik".to_owned(), "poor".to_owned())
        );
    }

    #[test]
    fn flagged_ratings_are_counted_but_left_out_unless_asked() {
        let mut spam = rating(SERVQUAL, &[1, 1, 1, 1, 1]);
        spam.flagged = true;
        let ratings = [rating(SERVQUAL, &[4, 4, 4, 4, 4]), spam];
        let report = index(SERVQUAL, &ratings, false);
        assert_eq!(report.index, Some(100.0));
        assert_eq!((report.ratings_counted, report.ratings_flagged), (1, 1));
        let with_all = index(SERVQUAL, &ratings, true);
        assert_eq!(with_all.index, Some(62.5));
        assert_eq!(with_all.grade, Some(Grade::D));
    }

    #[test]
    fn no_ratings_no_index() {
        let report = index(SERVQUAL, &[], false);
        assert_eq!(report.index, None);
        assert_eq!(report.grade, None);
        assert!(report
            .elements
            .iter()
            .all(|e| e.count == 0 && e.mean.is_none()));
    }

    #[test]
    fn a_rating_must_answer_every_element_with_1_to_4() {
        let mut scores: BTreeMap<String, u8> = SERVQUAL
            .elements
            .iter()
            .map(|e| ((*e).to_owned(), 3))
            .collect();
        assert!(Rating::new(SERVQUAL, scores.clone()).is_ok());
        scores.insert("empathy".into(), 5);
        let err = Rating::new(SERVQUAL, scores.clone()).expect_err("5 is off the scale");
        assert_eq!(err.code(), "rating_score_out_of_range");
        scores.insert("empathy".into(), 0);
        assert!(Rating::new(SERVQUAL, scores.clone()).is_err(), "0 too");
        scores.remove("empathy");
        assert_eq!(
            Rating::new(SERVQUAL, scores.clone())
                .expect_err("missing")
                .code(),
            "rating_incomplete"
        );
        scores.insert("empathy".into(), 3);
        scores.insert("biaya".into(), 3);
        assert_eq!(
            Rating::new(SERVQUAL, scores).expect_err("other set").code(),
            "rating_unknown_element"
        );
    }

    #[test]
    fn misuse_too_fast_and_bursts() {
        let rules = MisuseRules::default();
        // Five questions in 3 s: nobody reads that fast (1.2 s each = 6 s at least).
        assert_eq!(
            misuse_flags(rules, 5, Duration::from_secs(3), &[]),
            [MisuseFlag::TooFast]
        );
        assert!(misuse_flags(rules, 5, Duration::from_secs(12), &[]).is_empty());
        // The sixth rating within two minutes at one kiosk is a burst; older ones do not count.
        let recent: Vec<Duration> = (1..=5).map(|m| Duration::from_secs(m * 20)).collect();
        assert_eq!(
            misuse_flags(rules, 5, Duration::from_secs(20), &recent),
            [MisuseFlag::Burst]
        );
        let spread: Vec<Duration> = (1..=5).map(|m| Duration::from_secs(m * 60)).collect();
        assert!(misuse_flags(rules, 5, Duration::from_secs(20), &spread).is_empty());
    }

    #[test]
    fn sets_are_found_by_id() {
        assert_eq!(QuestionSet::by_id("skm2017"), Some(SKM_2017));
        assert_eq!(SKM_2017.elements.len(), 9);
        assert_eq!(QuestionSet::by_id("nps"), None);
    }
}
