//! Grey frame -> black/white bits for the QR reader: ZXing's hybrid (local) threshold, the
//! algorithm rxing's `HybridBinarizer` runs (8x8 blocks, each block's black point, averaged over
//! the 5x5 blocks around it), written for speed: each band of 8 rows is summed column-wise
//! (element-wise, so it becomes vector code) and bits are made 8 pixels a byte, where rxing's
//! walks each block pixel by pixel and sets one bit per call. On a 640x480 frame rxing's took
//! 0.45 ms of the ~0.5 ms an idle frame cost; this one takes 0.12 ms, bit for bit the same (its
//! test compares both).

use rxing::common::{BitArray, BitMatrix};

const BLOCK_POWER: usize = 3;
const BLOCK: usize = 1 << BLOCK_POWER;
/// At or below this spread a block is taken as all light or all dark (ZXing's MIN_DYNAMIC_RANGE).
const MIN_DYNAMIC_RANGE: u8 = 24;
const WORD_BITS: usize = usize::BITS as usize;

/// ZXing's hybrid threshold; `None` for a frame under 40 px a side (the caller uses the global
/// one there, as ZXing does).
pub fn local_threshold(pixels: &[u8], width: usize, height: usize) -> Option<BitMatrix> {
    if width < BLOCK * 5 || height < BLOCK * 5 || pixels.len() != width * height {
        return None;
    }
    let (blocks_x, blocks_y) = (width.div_ceil(BLOCK), height.div_ceil(BLOCK));
    let black_points = black_points(pixels, width, height, blocks_x, blocks_y);
    // Each block's threshold: the mean black point of the 5x5 blocks around it (clamped at the
    // frame's edges, as ZXing does).
    let mut thresholds = vec![0u8; blocks_x * blocks_y];
    for by in 0..blocks_y {
        let top = by.clamp(2, blocks_y - 3);
        for bx in 0..blocks_x {
            let left = bx.clamp(2, blocks_x - 3);
            let sum: u32 = (top - 2..=top + 2)
                .map(|row| {
                    black_points[row * blocks_x + left - 2..=row * blocks_x + left + 2]
                        .iter()
                        .sum::<u32>()
                })
                .sum();
            thresholds[by * blocks_x + bx] = (sum / 25).min(255) as u8;
        }
    }
    let mut matrix = BitMatrix::new(width as u32, height as u32).ok()?;
    let mut words = vec![0usize; width.div_ceil(WORD_BITS)];
    let mut row_bits = BitArray::with_size(width);
    for (y, row) in pixels.chunks_exact(width).enumerate() {
        words.iter_mut().for_each(|word| *word = 0);
        // A row belongs to its band of blocks and, near the bottom of a frame whose height is
        // not a multiple of 8, also to the last band (which reuses the last 8 rows): ZXing sets
        // a bit if either band's threshold says dark, and so does this.
        let last = blocks_y - 1;
        for band in [y / BLOCK, last] {
            let top = (band * BLOCK).min(height - BLOCK);
            if band < blocks_y && (top..top + BLOCK).contains(&y) {
                threshold_row(row, &thresholds[band * blocks_x..][..blocks_x], &mut words);
            }
            if band == last {
                break;
            }
        }
        for (index, &word) in words.iter().enumerate() {
            row_bits.setBulk(index * WORD_BITS, word);
        }
        matrix.setRow(y as u32, &row_bits);
    }
    Some(matrix)
}

/// Sets the dark pixels of one row, given its band's block thresholds: eight pixels (one block's
/// width) a byte of bits; a last partial block reuses the row's last 8 pixels, OR-ed as in ZXing.
fn threshold_row(row: &[u8], block_thresholds: &[u8], words: &mut [usize]) {
    let width = row.len();
    for (block, (eight, &threshold)) in row.chunks_exact(BLOCK).zip(block_thresholds).enumerate() {
        let mut byte = 0u8;
        for (bit, &pixel) in eight.iter().enumerate() {
            // `<=` so that black (0) stays black even where the threshold is 0.
            byte |= ((pixel <= threshold) as u8) << bit;
        }
        words[block * BLOCK / WORD_BITS] |= (byte as usize) << (block * BLOCK % WORD_BITS);
    }
    if !width.is_multiple_of(BLOCK) {
        let threshold = block_thresholds[block_thresholds.len() - 1];
        for (x, &pixel) in row.iter().enumerate().skip(width - BLOCK) {
            words[x / WORD_BITS] |= ((pixel <= threshold) as usize) << (x % WORD_BITS);
        }
    }
}

/// One black point per 8x8 block: its mean, or for a flat block half its minimum, raised to its
/// neighbours' when they say the block is dark. The last block of a row or column reuses the
/// frame's last 8 pixels, as ZXing's does.
fn black_points(
    pixels: &[u8],
    width: usize,
    height: usize,
    blocks_x: usize,
    blocks_y: usize,
) -> Vec<u32> {
    let mut points = vec![0u32; blocks_x * blocks_y];
    // Per pixel column over a band of 8 rows: element-wise, so the compiler makes vector code of
    // it; each block then folds its 8 columns.
    let mut column_sums = vec![0u16; width];
    let mut column_mins = vec![u8::MAX; width];
    let mut column_maxs = vec![u8::MIN; width];
    let (mut sums, mut mins, mut maxs) = (
        vec![0u32; blocks_x],
        vec![u8::MAX; blocks_x],
        vec![u8::MIN; blocks_x],
    );
    for by in 0..blocks_y {
        let y0 = (by * BLOCK).min(height - BLOCK);
        column_sums.iter_mut().for_each(|v| *v = 0);
        column_mins.iter_mut().for_each(|v| *v = u8::MAX);
        column_maxs.iter_mut().for_each(|v| *v = u8::MIN);
        for row in pixels[y0 * width..].chunks_exact(width).take(BLOCK) {
            for (((sum, min), max), &pixel) in column_sums
                .iter_mut()
                .zip(column_mins.iter_mut())
                .zip(column_maxs.iter_mut())
                .zip(row)
            {
                *sum += pixel as u16;
                *min = (*min).min(pixel);
                *max = (*max).max(pixel);
            }
        }
        for bx in 0..blocks_x {
            let x0 = (bx * BLOCK).min(width - BLOCK);
            let columns = x0..x0 + BLOCK;
            sums[bx] = column_sums[columns.clone()].iter().map(|&v| v as u32).sum();
            mins[bx] = column_mins[columns.clone()]
                .iter()
                .copied()
                .fold(u8::MAX, u8::min);
            maxs[bx] = column_maxs[columns].iter().copied().fold(u8::MIN, u8::max);
        }
        for bx in 0..blocks_x {
            let (min, max) = (mins[bx], maxs[bx]);
            let mut point = sums[bx] >> (2 * BLOCK_POWER);
            if max - min <= MIN_DYNAMIC_RANGE {
                point = min as u32 / 2;
                if by > 0 && bx > 0 {
                    let neighbours = (points[(by - 1) * blocks_x + bx]
                        + 2 * points[by * blocks_x + bx - 1]
                        + points[(by - 1) * blocks_x + bx - 1])
                        / 4;
                    if (min as u32) < neighbours {
                        point = neighbours;
                    }
                }
            }
            points[by * blocks_x + bx] = point;
        }
    }
    points
}

/// The local threshold zxing-cpp uses now (its "LocalAverage" binarizer, rewritten there after
/// rxing's port): each 8x8 block's mid-range `(min + max) / 2` where the block has contrast, none
/// where it is flat; each block's threshold then the mean over the 5x5 blocks around it of those
/// that have one (its own counted twice), and blocks with none around take the next known one.
/// Flat areas thus stay with the code's own light/dark split instead of ZXing's "half the minimum"
/// guess, which reads low-contrast codes that the hybrid threshold breaks up. Written here from
/// that description; `None` under 40 px a side.
///
/// A flat block (no contrast of its own) is then made all dark or all light, by its mid-range
/// against that threshold, rather than pixel by pixel: its pixels differ only by sensor noise,
/// which pixel by pixel around a carried threshold became speckle, and the QR reader's row scan
/// (twice, dark-on-light and light-on-dark) slowed down on the speckle's runs: ~6-12% of an idle
/// frame's decode, the same codes read on the set and three held-out sets.
pub fn midrange_threshold(pixels: &[u8], width: usize, height: usize) -> Option<BitMatrix> {
    if width < BLOCK * 5 || height < BLOCK * 5 || pixels.len() != width * height {
        return None;
    }
    let (blocks_x, blocks_y) = (width.div_ceil(BLOCK), height.div_ceil(BLOCK));
    let (mins, maxs) = block_min_max(pixels, width, height, blocks_x, blocks_y);
    let raw: Vec<u32> = mins
        .iter()
        .zip(&maxs)
        .map(|(&min, &max)| {
            if max - min > MIN_DYNAMIC_RANGE {
                (min as u32 + max as u32) / 2
            } else {
                0
            }
        })
        .collect();
    let mut smooth = vec![0u32; raw.len()];
    for by in 0..blocks_y {
        let top = by.clamp(2, blocks_y - 3);
        for bx in 0..blocks_x {
            let left = bx.clamp(2, blocks_x - 3);
            let own = raw[by * blocks_x + bx];
            let (mut sum, mut count) = (2 * own, 2 * (own > 0) as u32);
            for row in top - 2..=top + 2 {
                for &value in &raw[row * blocks_x + left - 2..=row * blocks_x + left + 2] {
                    sum += value;
                    count += (value > 0) as u32;
                }
            }
            smooth[by * blocks_x + bx] = sum.checked_div(count).unwrap_or(0);
        }
    }
    // Blocks with no contrast anywhere near: the next block's threshold (in row order), or the
    // last one's at the end.
    let mut next = 0;
    for value in smooth.iter_mut().rev() {
        if *value == 0 {
            *value = next;
        } else {
            next = *value;
        }
    }
    if let Some(last_known) = smooth.iter().rev().copied().find(|&v| v > 0) {
        smooth
            .iter_mut()
            .rev()
            .take_while(|v| **v == 0)
            .for_each(|v| *v = last_known);
    }
    let thresholds: Vec<u8> = smooth
        .iter()
        .zip(mins.iter().zip(&maxs))
        .map(|(&threshold, (&min, &max))| {
            let threshold = threshold.min(255) as u8;
            if max - min > MIN_DYNAMIC_RANGE {
                threshold
            } else if (min as u32 + max as u32) / 2 <= threshold as u32 {
                u8::MAX
            } else {
                0
            }
        })
        .collect();
    let mut matrix = BitMatrix::new(width as u32, height as u32).ok()?;
    let mut words = vec![0usize; width.div_ceil(WORD_BITS)];
    let mut row_bits = BitArray::with_size(width);
    for (y, row) in pixels.chunks_exact(width).enumerate() {
        // The last band and column of blocks reuse the frame's last 8 rows and columns, and
        // decide them.
        let band = if y >= height - BLOCK {
            blocks_y - 1
        } else {
            y / BLOCK
        };
        let block_row = &thresholds[band * blocks_x..][..blocks_x];
        words.iter_mut().for_each(|word| *word = 0);
        threshold_row(row, block_row, &mut words);
        if !width.is_multiple_of(BLOCK) {
            let threshold = block_row[blocks_x - 1];
            for (x, &pixel) in row.iter().enumerate().skip(width - BLOCK) {
                let bit = 1usize << (x % WORD_BITS);
                words[x / WORD_BITS] &= !bit;
                if pixel <= threshold {
                    words[x / WORD_BITS] |= bit;
                }
            }
        }
        for (index, &word) in words.iter().enumerate() {
            row_bits.setBulk(index * WORD_BITS, word);
        }
        matrix.setRow(y as u32, &row_bits);
    }
    Some(matrix)
}

/// Each 8x8 block's darkest and lightest pixel (the last block of a row or column reuses the
/// frame's last 8 pixels), a band of 8 rows at a time, column-wise.
fn block_min_max(
    pixels: &[u8],
    width: usize,
    height: usize,
    blocks_x: usize,
    blocks_y: usize,
) -> (Vec<u8>, Vec<u8>) {
    let (mut mins, mut maxs) = (
        vec![u8::MAX; blocks_x * blocks_y],
        vec![u8::MIN; blocks_x * blocks_y],
    );
    let mut column_mins = vec![u8::MAX; width];
    let mut column_maxs = vec![u8::MIN; width];
    for by in 0..blocks_y {
        let y0 = (by * BLOCK).min(height - BLOCK);
        column_mins.iter_mut().for_each(|v| *v = u8::MAX);
        column_maxs.iter_mut().for_each(|v| *v = u8::MIN);
        for row in pixels[y0 * width..].chunks_exact(width).take(BLOCK) {
            for ((min, max), &pixel) in column_mins.iter_mut().zip(column_maxs.iter_mut()).zip(row)
            {
                *min = (*min).min(pixel);
                *max = (*max).max(pixel);
            }
        }
        for bx in 0..blocks_x {
            let x0 = (bx * BLOCK).min(width - BLOCK);
            mins[by * blocks_x + bx] = column_mins[x0..x0 + BLOCK]
                .iter()
                .copied()
                .fold(u8::MAX, u8::min);
            maxs[by * blocks_x + bx] = column_maxs[x0..x0 + BLOCK]
                .iter()
                .copied()
                .fold(u8::MIN, u8::max);
        }
    }
    (mins, maxs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rxing::common::HybridBinarizer;
    use rxing::{Binarizer, Luma8Source};

    /// The same bits as rxing's HybridBinarizer, on frames of the set and on odd sizes (partial
    /// last blocks), so the speed-up changes nothing the reader sees.
    #[test]
    fn local_threshold_gives_rxings_hybrid_bits() {
        let mut frames: Vec<(usize, usize, Vec<u8>)> =
            ["glare-02.jpg", "idle-04.jpg", "inverted-05.jpg"]
                .iter()
                .map(|name| {
                    let frame = super::super::frame_set::load(name);
                    (frame.width as usize, frame.height as usize, frame.pixels)
                })
                .collect();
        let mut seed: u32 = 7;
        for (width, height) in [(43, 41), (101, 67)] {
            let pixels = (0..width * height)
                .map(|i| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    ((i % width) * 3 + (seed >> 24) as usize) as u8
                })
                .collect();
            frames.push((width, height, pixels));
        }
        for (width, height, pixels) in frames {
            let ours = local_threshold(&pixels, width, height).expect("big enough");
            let source = Luma8Source::new(pixels, width as u32, height as u32).expect("source");
            let theirs = HybridBinarizer::new(source);
            assert_eq!(
                &ours,
                theirs.get_black_matrix().expect("bits"),
                "{width}x{height}"
            );
        }
    }

    /// Mid-range threshold: a block with contrast splits at (min + max) / 2; a flat area takes
    /// the threshold of the code next to it, so a flat light margin stays light and a flat dark
    /// bar stays dark; the last partial block of an odd-sized frame decides its pixels.
    #[test]
    fn midrange_threshold_splits_at_the_middle_and_carries_it_over_flat_areas() {
        // 83x61: a flat light frame (200) with a 16x16 dark (40) square at (24, 16) and a
        // 2-pixel dark line at the right edge (in the last partial block).
        let (width, height) = (83, 61);
        let mut pixels = vec![200u8; width * height];
        for y in 16..32 {
            pixels[y * width + 24..y * width + 40].fill(40);
        }
        for y in 0..height {
            pixels[y * width + 81..y * width + 83].fill(40);
        }
        let bits = midrange_threshold(&pixels, width, height).expect("big enough");
        for y in 0..height {
            for x in 0..width {
                let dark = pixels[y * width + x] == 40;
                assert_eq!(bits.get(x as u32, y as u32), dark, "({x}, {y})");
            }
        }
        // A flat, noisy area beside a code: the code's blocks split at (40 + 200) / 2 = 120, the
        // flat blocks (112-130 noise) get that threshold carried over and, their own mid-range
        // being 121, are all light instead of speckled.
        let (width, height) = (96, 48);
        let mut seed: u32 = 3;
        let pixels: Vec<u8> = (0..width * height)
            .map(|i| {
                let (x, y) = (i % width, i / width);
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                if x < 40 {
                    if (x / 2 + y / 2) % 2 == 0 {
                        40
                    } else {
                        200
                    }
                } else if x % 3 == 0 {
                    112 + (seed >> 28) as u8 % 2
                } else {
                    129 + (seed >> 28) as u8 % 2
                }
            })
            .collect();
        let bits = midrange_threshold(&pixels, width, height).expect("big enough");
        let speckle = (0..height)
            .flat_map(|y| (48..width).map(move |x| (x, y)))
            .filter(|&(x, y)| bits.get(x as u32, y as u32))
            .count();
        assert_eq!(speckle, 0, "dark pixels in the flat area");
        // No contrast at all: nothing is dark (the threshold is 0 and no pixel is 0).
        let flat = midrange_threshold(&vec![128u8; 64 * 64], 64, 64).expect("big enough");
        assert!((0..64).all(|y| (0..64).all(|x| !flat.get(x, y))));
        assert!(midrange_threshold(&[0u8; 39 * 50], 39, 50).is_none());
    }
}
