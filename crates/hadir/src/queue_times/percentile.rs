//! The one percentile rule of the supervisor's times and the estimate.

/// The `q` quantile (0.0 to 1.0) of `values` by linear interpolation between the closest ranks:
/// sorted `x[0..n]`, `h = (n - 1) * q`, the value is `x[floor h] + (h - floor h) * (x[floor h + 1]
/// - x[floor h])` (Hyndman and Fan's type 7). It is what a supervisor's spreadsheet gives
/// (`PERCENTILE.INC` in Excel, `PERCENTILE` in LibreOffice; `MEDIAN` for q = 0.5, the mean of
/// the two middle values of an even count), so a figure in the report can be checked by hand.
/// `None` for no values; `q` outside 0..1 is clamped.
///
/// Not `bench-stats`' rule: that is the nearest rank at `floor(n * q)` (an even count's median
/// is its upper middle value), kept for comparable benchmark tables, and a dev-dependency only.
pub fn percentile(values: &[i64], q: f64) -> Option<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let last = sorted.len().checked_sub(1)?;
    let rank = last as f64 * q.clamp(0.0, 1.0);
    let below = rank.floor() as usize;
    let above = (below + 1).min(last);
    let fraction = rank - below as f64;
    let low = sorted[below] as f64;
    Some(low + fraction * (sorted[above] as f64 - low))
}
