//! Black/white bits -> a QR code's text: rxing's port of zxing-cpp's QR detector and decoder
//! (`rxing::qrcode::cpp_port`), driven step by step here instead of through its `QrReader`, so
//! that two things zxing-cpp does and the port does not can be added, each only where the port
//! has already failed (a read frame costs what it did):
//!
//! - **A version-1 code seen at a slant is sampled with its traced corner too.** A version-1 code
//!   has no alignment pattern, so its bottom-right corner is a guess. The port takes the
//!   parallelogram of the three finder centres unless the finder sizes differ by over 10% or the
//!   traced edge lines are precise; a code held at a slight slant (round-modules-03: sizes 31/31/34,
//!   1.097) then samples its bottom-right quarter off the grid and fails Reed-Solomon. zxing-cpp
//!   3.x samples with the corner where the outer edges of the finder patterns meet (their traced
//!   lines) and, if that fails, with the parallelogram; so does [`read`] when the port's sample of
//!   a 21x21 code does not decode.
//! - **A third finder pattern spoiled by noise is looked for where the other two put it**
//!   ([`Finders::CompletePairs`]). The port accepts a finder only if its 1:1:3:1:1 rings check
//!   out vertically, horizontally and on both diagonals; on a noisy low-contrast frame
//!   (low-contrast-noisy-02) one dark speck in the white ring on one diagonal loses the
//!   bottom-left finder, and with two finders there is no code. zxing-cpp's own source notes
//!   that letting one direction fail "can substantially help with detecting symbols with low
//!   print quality" but costs ~20% on frames without a code. Here it is only tried at the few
//!   places a pair of the finders found puts the third, and only on the second binarization
//!   (the mid-range threshold) after the strict search read nothing: an idle frame, with no
//!   pair, pays nothing for it.
//!
//! The text still comes only out of rxing's decoder (format information, Reed-Solomon, the
//! bit stream): modules sampled with a wrong corner or finder fail those checks, they do not
//! pass as another text (none did on the 212 frames of the set and three held-out sets).

use rxing::common::cpp_essentials::{
    intersect, BitMatrixCursorTrait, CheckSymmetricPattern, ConcentricPattern, EdgeTracer,
    FinetuneConcentricPatternCenter, Pattern, RegressionLineTrait, UpdateMinMax,
};
use rxing::common::{
    BitMatrix, DefaultGridSampler, DetectorRXingResult, GridSampler, Quadrilateral, SamplerControl,
};
use rxing::qrcode::cpp_port::decoder::Decode;
use rxing::qrcode::cpp_port::detector::{
    FindFinderPatterns, FinderPatternSet, GenerateFinderPatternSets, Mod2Pix, SampleQR, TraceLine,
};
use rxing::{point, Point};

/// How hard the bits are searched for finder patterns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finders {
    /// rxing's own search: every direction through a pattern must check out.
    Strict,
    /// Then, if no code is read, a third pattern with one damaged direction where a pair of
    /// the strict ones puts it.
    CompletePairs,
}

/// Modules a side of a version-1 code, the only version without an alignment pattern.
const VERSION_1_SIDE: u32 = 21;

/// The text of the first QR code read from `bits` (dark = set), or `None`.
pub fn read(bits: &BitMatrix, finders: Finders) -> Option<String> {
    // Try harder: every third row, any module size (as rxing's QrReader with TryHarder).
    let mut patterns = FindFinderPatterns(bits, true, 0);
    let strict = patterns.clone();
    if let Some(text) = GenerateFinderPatternSets(&mut patterns)
        .iter()
        .find_map(|set| read_set(bits, set))
    {
        return Some(text);
    }
    if finders == Finders::Strict || strict.len() < 2 {
        return None;
    }
    let added = missing_third_finders(bits, &strict);
    if added.is_empty() {
        return None;
    }
    let mut patterns = [strict, added.clone()].concat();
    GenerateFinderPatternSets(&mut patterns)
        .iter()
        .filter(|set| [set.bl, set.tl, set.tr].iter().any(|p| added.contains(p)))
        .find_map(|set| read_set(bits, set))
}

/// One candidate set of three finder patterns: rxing's sampling first, then for a version-1
/// code the two corner guesses zxing-cpp tries.
fn read_set(bits: &BitMatrix, set: &FinderPatternSet) -> Option<String> {
    let sampled = SampleQR(bits, set).ok()?;
    let grid = sampled.getBits();
    if let Some(text) = decode(grid) {
        return Some(text);
    }
    if grid.getWidth() != VERSION_1_SIDE {
        return None;
    }
    let parallelogram = set.tr.p - set.tl.p + set.bl.p;
    traced_corner(bits, set)
        .map(|corner| (corner, point(3.0, 3.0)))
        .into_iter()
        .chain([(parallelogram, point(0.0, 0.0))])
        .find_map(|(corner, offset)| decode(&sample_version_1(bits, set, corner, offset)?))
}

/// zxing-cpp's bottom-right reference point: the lines traced along both edges of the outer dark
/// ring of the bottom-left and of the top-right finder pattern, met pairwise; midway between the
/// two meeting points is where the centre of a fourth finder's ring would be, 3 modules in from
/// the code's corner. (`SampleQR` traced the same lines just before, so this cannot panic where
/// it did not.)
fn traced_corner(bits: &BitMatrix, set: &FinderPatternSet) -> Option<Point> {
    let outer_edges = (
        TraceLine(bits, set.bl.p, set.tl.p, 2),
        TraceLine(bits, set.tr.p, set.tl.p, 2),
    );
    let inner_edges = (
        TraceLine(bits, set.bl.p, set.tl.p, 3),
        TraceLine(bits, set.tr.p, set.tl.p, 3),
    );
    let lines_valid = outer_edges.0.isValid()
        && outer_edges.1.isValid()
        && inner_edges.0.isValid()
        && inner_edges.1.isValid();
    if !lines_valid {
        return None;
    }
    let corner = (intersect(&outer_edges.0, &outer_edges.1).ok()?
        + intersect(&inner_edges.0, &inner_edges.1).ok()?)
        / 2.0;
    Some(corner).filter(|c| c.x.is_finite() && c.y.is_finite() && bits.is_in(*c))
}

/// The 21x21 modules of a version-1 code whose bottom-right reference point is `corner`
/// (`offset` modules in from the code's corner).
fn sample_version_1(
    bits: &BitMatrix,
    set: &FinderPatternSet,
    corner: Point,
    offset: Point,
) -> Option<BitMatrix> {
    let side = VERSION_1_SIDE;
    let transform = Mod2Pix(
        side as i32,
        offset,
        Quadrilateral::from([set.tl.p, set.tr.p, corner, set.bl.p]),
    )
    .ok()?;
    DefaultGridSampler
        .sample_grid(
            bits,
            side,
            side,
            &[SamplerControl::new(side, side, transform)],
        )
        .ok()
        .map(|(grid, _)| grid)
}

/// rxing's decoder on sampled modules: text only when it decodes and its Reed-Solomon check
/// holds.
fn decode(grid: &BitMatrix) -> Option<String> {
    Decode(grid)
        .ok()
        .filter(|result| result.isValid())
        .map(|result| result.text())
}

/// Largest finder patterns (of the strict search) paired up when looking for a missing third:
/// a frame with a code has three, noise adds small ones.
const PAIRED_PATTERNS: usize = 6;

/// Finder patterns the strict search missed, looked for only where a pair of the ones it found
/// puts the third: for two patterns of about the same size, at either end of the side they make
/// (turned 90 degrees either way) or across the diagonal they make, within a module of that
/// guess, each accepted by [`locate_tolerant`].
fn missing_third_finders(
    bits: &BitMatrix,
    patterns: &[ConcentricPattern],
) -> Vec<ConcentricPattern> {
    let mut biggest = patterns.to_vec();
    biggest.sort_by_key(|pattern| std::cmp::Reverse(pattern.size));
    biggest.truncate(PAIRED_PATTERNS);
    let mut found: Vec<ConcentricPattern> = Vec::new();
    for (i, a) in biggest.iter().enumerate() {
        for b in &biggest[i + 1..] {
            let (small, big) = (a.size.min(b.size), a.size.max(b.size));
            // Perspective makes finder sizes differ, not by half.
            if small <= 0 || 2 * big > 3 * small {
                continue;
            }
            let module = (a.size + b.size) as f32 / 14.0;
            let apart = b.p - a.p;
            // Centres of two finders are 14 (version 1) to 170 (version 40) modules apart.
            if !(12.0..=180.0).contains(&(apart.length() / module)) {
                continue;
            }
            let across = point(-apart.y, apart.x);
            let middle = (a.p + b.p) / 2.0;
            let guesses = [
                a.p + across,
                a.p - across,
                b.p + across,
                b.p - across,
                middle + across / 2.0,
                middle - across / 2.0,
            ];
            let range = (a.size + b.size) / 2 * 3;
            for guess in guesses {
                let known = patterns.iter().chain(&found);
                if !bits.is_in(guess)
                    || known
                        .clone()
                        .any(|old| Point::distance(guess, old.p) < old.size as f32)
                {
                    continue;
                }
                if let Some(pattern) = locate_near(bits, guess, module, range) {
                    if !known
                        .clone()
                        .any(|old| Point::distance(pattern.p, old.p) < old.size as f32 / 2.0)
                    {
                        found.push(pattern);
                    }
                }
            }
        }
    }
    found
}

/// A finder pattern whose centre is within a module of `guess` (perspective moves it), tried
/// from the guess outwards on dark pixels (the search starts inside the dark centre).
fn locate_near(
    bits: &BitMatrix,
    guess: Point,
    module: f32,
    range: i32,
) -> Option<ConcentricPattern> {
    [(0.0, 0.0), (0.0, -1.0), (0.0, 1.0), (-1.0, 0.0), (1.0, 0.0)]
        .into_iter()
        .chain([(-1.0, -1.0), (1.0, -1.0), (1.0, 1.0), (-1.0, 1.0)])
        .map(|(dx, dy)| guess + point(dx, dy) * module)
        .filter(|start| bits.is_in(*start) && bits.get_point(*start))
        .find_map(|start| locate_tolerant(bits, start, range))
}

/// rxing's `LocateConcentricPattern` for a finder pattern around `centre`, except that one of
/// its four directions (vertical, horizontal, the two diagonals) may fail the 1:1:3:1:1 check.
fn locate_tolerant(bits: &BitMatrix, centre: Point, range: i32) -> Option<ConcentricPattern> {
    let rings: Pattern<5> = [1, 1, 3, 1, 1];
    let mut cursor = EdgeTracer::new(bits, centre.floor(), Point::default());
    let (mut min_spread, mut max_spread) = (bits.getWidth() as i32, 0);
    let mut failed = 0;
    // Vertical then horizontal move the cursor to the middle of what they measured; the
    // diagonals only measure (each twice as long in pixels).
    for (direction, range, recentre) in [
        (point(0.0, 1.0), range, true),
        (point(1.0, 0.0), range, true),
        (point(1.0, 1.0), range * 2, false),
        (point(1.0, -1.0), range * 2, false),
    ] {
        cursor.setDirection(direction);
        match CheckSymmetricPattern::<true, 5, 7, _>(&mut cursor, &rings, range, recentre) {
            0 => {
                failed += 1;
                if failed > 1 {
                    return None;
                }
            }
            spread => UpdateMinMax(&mut min_spread, &mut max_spread, spread),
        }
    }
    if max_spread > 5 * min_spread {
        return None;
    }
    let centre = FinetuneConcentricPatternCenter(bits, cursor.p(), range, 5)?;
    Some(ConcentricPattern {
        p: centre,
        size: (max_spread + min_spread) / 2,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn midrange_bits(name: &str) -> BitMatrix {
        let frame = super::super::frame_set::load(name);
        let (width, height) = (frame.width as usize, frame.height as usize);
        super::super::binarize::midrange_threshold(&frame.pixels, width, height).expect("bits")
    }

    /// The strict search finds two of the three finders of this frame; looking where that pair
    /// puts the third finds the one a speck of noise spoiled, and the code reads.
    #[test]
    fn a_pair_of_finders_leads_to_the_third_when_the_strict_search_misses_it() {
        let bits = midrange_bits("low-contrast-noisy-02.jpg");
        assert_eq!(
            read(&bits, Finders::Strict),
            None,
            "the strict search alone"
        );
        assert_eq!(
            read(&bits, Finders::CompletePairs).as_deref(),
            Some("MP01A3F753")
        );
    }

    /// A frame without a code: no pair of finders, so nothing is added and nothing is read.
    #[test]
    fn an_idle_frame_gets_no_third_finder() {
        let bits = midrange_bits("idle-04.jpg");
        let strict = FindFinderPatterns(&bits, true, 0);
        assert!(missing_third_finders(&bits, &strict).is_empty());
        assert_eq!(read(&bits, Finders::CompletePairs), None);
    }
}
