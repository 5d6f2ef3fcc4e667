//! The statistics every benchmark prints, in one place (`crates/hadir/benches/*`,
//! `tests/bench/*`), so that a p99 in one table of BENCHMARKS.md means what it means in another.
//!
//! A percentile is the nearest-rank sample at `floor(n * q)` of the sorted timings (clamped to the
//! last), so p50 of an odd count is the middle sample: the rule every bench used before it moved
//! here, which keeps earlier figures comparable. No interpolation, no outlier removal: the tail
//! is what an applicant waits for.

use std::time::Duration;

/// Timings of one measured case, sorted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    sorted: Vec<Duration>,
}

impl Summary {
    pub fn of(mut timings: Vec<Duration>) -> Summary {
        timings.sort();
        Summary { sorted: timings }
    }

    /// Timings measured in milliseconds elsewhere (e.g. by the kiosk page's own clock).
    pub fn of_ms(timings: &[f64]) -> Summary {
        Summary::of(
            timings
                .iter()
                .map(|ms| Duration::from_secs_f64(ms.max(0.0) / 1000.0))
                .collect(),
        )
    }

    pub fn count(&self) -> usize {
        self.sorted.len()
    }

    /// The sample at quantile `q` (0.0 to 1.0) by nearest rank; zero when there is none.
    pub fn quantile(&self, q: f64) -> Duration {
        let Some(last) = self.sorted.len().checked_sub(1) else {
            return Duration::ZERO;
        };
        self.sorted[((self.sorted.len() as f64 * q) as usize).min(last)]
    }

    pub fn p50(&self) -> Duration {
        self.quantile(0.50)
    }

    pub fn p90(&self) -> Duration {
        self.quantile(0.90)
    }

    pub fn p95(&self) -> Duration {
        self.quantile(0.95)
    }

    pub fn p99(&self) -> Duration {
        self.quantile(0.99)
    }

    pub fn min(&self) -> Duration {
        self.sorted.first().copied().unwrap_or_default()
    }

    pub fn max(&self) -> Duration {
        self.sorted.last().copied().unwrap_or_default()
    }

    pub fn mean(&self) -> Duration {
        if self.sorted.is_empty() {
            return Duration::ZERO;
        }
        let count = u32::try_from(self.sorted.len()).expect("fewer than 2^32 timings");
        self.sorted.iter().sum::<Duration>() / count
    }

    /// How many timings took longer than `limit` (a budget, a target).
    pub fn over(&self, limit: Duration) -> usize {
        self.sorted.len() - self.sorted.partition_point(|t| *t <= limit)
    }
}

/// A duration in milliseconds, for comparing with targets written in ms.
pub fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// A duration as a table cell: `12.34 ms` with `places` decimals.
pub fn ms_cell(duration: Duration, places: usize) -> String {
    format!("{:.places$} ms", ms(duration))
}

/// Prints a Markdown table's header: the first column holds names (left-aligned), the others
/// figures (right-aligned).
pub fn print_header(columns: &[&str]) {
    println!("{}", header(columns));
}

/// Prints one row of a Markdown table.
pub fn print_row<S: AsRef<str>>(cells: &[S]) {
    println!("{}", row(cells));
}

fn header(columns: &[&str]) -> String {
    let rule: String = (0..columns.len())
        .map(|i| if i == 0 { "|---" } else { "|---:" })
        .collect();
    format!("{}\n{rule}|", row(columns))
}

fn row<S: AsRef<str>>(cells: &[S]) -> String {
    let cells: Vec<&str> = cells.iter().map(AsRef::as_ref).collect();
    format!("| {} |", cells.join(" | "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms_list(list: &[u64]) -> Vec<Duration> {
        list.iter().map(|&n| Duration::from_millis(n)).collect()
    }

    #[test]
    fn percentiles_are_the_nearest_rank_of_the_sorted_timings() {
        let summary = Summary::of(ms_list(&[9, 1, 5, 3, 7, 2, 8, 4, 6, 10]));
        assert_eq!(summary.count(), 10);
        assert_eq!(summary.min(), Duration::from_millis(1));
        assert_eq!(summary.p50(), Duration::from_millis(6), "index 5 of 10");
        assert_eq!(summary.p90(), Duration::from_millis(10), "index 9 of 10");
        assert_eq!(
            summary.p99(),
            Duration::from_millis(10),
            "clamped to the last"
        );
        assert_eq!(summary.max(), Duration::from_millis(10));
        assert_eq!(summary.mean(), Duration::from_micros(5_500));
    }

    #[test]
    fn the_median_of_an_odd_count_is_the_middle_one() {
        let summary = Summary::of(ms_list(&[30, 10, 20]));
        assert_eq!(summary.p50(), Duration::from_millis(20));
    }

    #[test]
    fn no_timings_give_zeros_not_a_panic() {
        let summary = Summary::of(Vec::new());
        assert_eq!(summary.count(), 0);
        for figure in [summary.p50(), summary.p99(), summary.min(), summary.max()] {
            assert_eq!(figure, Duration::ZERO);
        }
        assert_eq!(summary.mean(), Duration::ZERO);
        assert_eq!(summary.over(Duration::ZERO), 0);
    }

    #[test]
    fn over_counts_only_timings_past_the_limit() {
        let summary = Summary::of(ms_list(&[100, 300, 301, 900]));
        assert_eq!(summary.over(Duration::from_millis(300)), 2);
    }

    #[test]
    fn milliseconds_from_elsewhere_keep_their_value() {
        let summary = Summary::of_ms(&[2.5, 0.5, 1.5]);
        assert_eq!(summary.p50(), Duration::from_micros(1_500));
        assert_eq!(ms_cell(summary.max(), 1), "2.5 ms");
    }

    #[test]
    fn tables_right_align_every_column_but_the_first() {
        assert_eq!(
            header(&["case", "p50", "p99"]),
            "| case | p50 | p99 |\n|---|---:|---:|"
        );
        assert_eq!(row(&["a".to_owned(), "1 ms".to_owned()]), "| a | 1 ms |");
    }
}
