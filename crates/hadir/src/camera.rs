//! The camera fallback's decoding half: grey frames in, booking QR text out. Decoded text goes
//! through exactly the same path as a scanner's ([`crate::kiosk::scan`]).
//!
//! Frames come from a [`FrameSource`], so tests (and a kiosk without a camera) drive it from
//! files. Live capture is not wired into the window yet (see docs/kiosk-setup.md).

use std::path::PathBuf;

use crate::error::{Error, Result};

/// One 8-bit grey frame, row by row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LumaFrame {
    pub width: u32,
    pub height: u32,
    pub pixels: Vec<u8>,
}

/// The longest side of a frame the page may send, in pixels.
pub const MAX_FRAME_SIDE: u32 = 4096;

impl LumaFrame {
    /// A frame as the page sends it: its width and height as text (the request's headers) and
    /// its bytes. A malformed frame is the page's bug, not the applicant's: `invalid_input` for
    /// the log, and the scanner and manual entry carry on.
    pub fn from_page(
        width: Option<&str>,
        height: Option<&str>,
        pixels: Vec<u8>,
    ) -> Result<LumaFrame> {
        let side = |text: Option<&str>| {
            text.and_then(|v| v.parse::<u32>().ok())
                .filter(|v| (1..=MAX_FRAME_SIDE).contains(v))
        };
        let (Some(width), Some(height)) = (side(width), side(height)) else {
            return Err(Error::InvalidInput(
                "camera_frame needs x-frame-width and x-frame-height (1-4096)".into(),
            ));
        };
        if pixels.len() != (width as usize) * (height as usize) {
            return Err(Error::InvalidInput(format!(
                "{} bytes is not a {width}x{height} grey frame",
                pixels.len()
            )));
        }
        Ok(LumaFrame {
            width,
            height,
            pixels,
        })
    }
}

/// Anything that hands out frames: a camera, or a list of image files.
pub trait FrameSource {
    /// The next frame; `None` when the source has no more.
    fn next_frame(&mut self) -> Option<Result<LumaFrame>>;
}

/// Frames read from binary PGM (P5) files, in order.
#[derive(Debug, Clone)]
pub struct PgmFiles {
    paths: std::vec::IntoIter<PathBuf>,
}

impl PgmFiles {
    pub fn new(paths: Vec<PathBuf>) -> Self {
        PgmFiles {
            paths: paths.into_iter(),
        }
    }
}

impl FrameSource for PgmFiles {
    fn next_frame(&mut self) -> Option<Result<LumaFrame>> {
        let path = self.paths.next()?;
        Some(
            std::fs::read(&path)
                .map_err(|e| Error::io(format!("cannot read frame {}", path.display()), e))
                .and_then(|bytes| {
                    parse_pgm(&bytes).ok_or_else(|| Error::Io {
                        what: format!("{} is not a binary PGM image", path.display()),
                        source: std::io::Error::from(std::io::ErrorKind::InvalidData),
                    })
                }),
        )
    }
}

/// `P5 <width> <height> 255`, white space, then one byte a pixel.
pub fn parse_pgm(bytes: &[u8]) -> Option<LumaFrame> {
    let mut fields = Vec::with_capacity(4);
    let mut at = 0;
    while fields.len() < 4 {
        while bytes.get(at)?.is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !bytes.get(at)?.is_ascii_whitespace() {
            at += 1;
        }
        fields.push(std::str::from_utf8(&bytes[start..at]).ok()?);
    }
    if fields[0] != "P5" || fields[3] != "255" {
        return None;
    }
    let (width, height): (u32, u32) = (fields[1].parse().ok()?, fields[2].parse().ok()?);
    let size = (width as usize).checked_mul(height as usize)?;
    let pixels = bytes.get(at + 1..at + 1 + size)?.to_vec();
    Some(LumaFrame {
        width,
        height,
        pixels,
    })
}

/// The QR code's text in a frame, if one can be read.
///
/// Cheapest and most common first (measured on testdata/camera, see BENCHMARKS.md "Camera
/// decoding vs zxing-cpp"): the frame at full size with ZXing's hybrid local threshold
/// (computed in `camera/binarize.rs`, bit for bit rxing's but ~3.5x faster), dark-on-light and
/// then light-on-dark (a phone in dark mode; the inverted view flips the same bits). Only after
/// a miss: the mid-range local threshold zxing-cpp uses now (low-contrast codes the hybrid one
/// breaks up), where a finder pattern spoiled by noise is also looked for where the other two
/// put it; then the frame scaled down to a third, hybrid then global threshold (a code held
/// close, blurred or too big at full size; zxing-cpp's pyramid does the same). The QR reader is
/// rxing's port of zxing-cpp's detector and decoder, driven by `camera/qr.rs`, which also
/// samples a slanted version-1 code with its traced corner. An idle 640x480 frame pays every
/// step: 0.7-1.7 ms, as fast as the machine was in the two runs of the table.
pub fn decode(frame: &LumaFrame) -> Option<String> {
    // rxing has `expect`s deep in its detector (a traced line through two coinciding points,
    // a NaN compared) that the extra finder and corner guesses of `camera/qr.rs` may reach on a
    // frame no one has seen yet: a frame that panics is a frame without a code, and the camera
    // (and the kiosk with it) goes on to the next one.
    std::panic::catch_unwind(|| decode_unguarded(frame)).unwrap_or_else(|_| {
        log::warn!(
            "camera: the decoder panicked on a {}x{} frame; read as no code",
            frame.width,
            frame.height
        );
        None
    })
}

fn decode_unguarded(frame: &LumaFrame) -> Option<String> {
    use rxing::common::GlobalHistogramBinarizer;
    use rxing::Binarizer;
    if frame.width == 0
        || frame.height == 0
        || frame.pixels.len() != (frame.width as usize) * (frame.height as usize)
    {
        return None;
    }
    let global = |frame: &LumaFrame| {
        let source =
            rxing::Luma8Source::new_with_slice(&frame.pixels, frame.width, frame.height).ok()?;
        let bits = GlobalHistogramBinarizer::new(source)
            .get_black_matrix()
            .ok()?
            .clone();
        read_both_ways(bits, Finders::Strict)
    };
    // Under 40 px a side there are no 5x5 blocks to average: the global threshold, as ZXing does.
    let local = |frame: &LumaFrame| match local_threshold(
        &frame.pixels,
        frame.width as usize,
        frame.height as usize,
    ) {
        Some(bits) => read_both_ways(bits, Finders::Strict),
        None => global(frame),
    };
    let midrange = |frame: &LumaFrame| {
        let bits = midrange_threshold(&frame.pixels, frame.width as usize, frame.height as usize)?;
        read_both_ways(bits, Finders::CompletePairs)
    };
    local(frame).or_else(|| midrange(frame)).or_else(|| {
        let small = scaled_down(frame, DOWNSCALE)?;
        local(&small).or_else(|| global(&small))
    })
}

/// zxing-cpp's pyramid step: a frame whose longer side is over 500 px is also tried at a third.
const DOWNSCALE: u32 = 3;
const DOWNSCALE_ABOVE: u32 = 500;

/// The frame at 1/`factor` per side, each pixel the mean of its `factor` x `factor` block; `None`
/// when the frame is small enough already.
fn scaled_down(frame: &LumaFrame, factor: u32) -> Option<LumaFrame> {
    if frame.width.max(frame.height) <= DOWNSCALE_ABOVE {
        return None;
    }
    let (width, factor_px) = (frame.width as usize, factor as usize);
    let (small_width, small_height) = (frame.width / factor, frame.height / factor);
    let mut sums = vec![0u32; small_width as usize];
    let mut pixels = Vec::with_capacity((small_width * small_height) as usize);
    for band in frame
        .pixels
        .chunks_exact(factor_px * width)
        .take(small_height as usize)
    {
        sums.iter_mut().for_each(|sum| *sum = 0);
        for row in band.chunks_exact(width) {
            for (sum, block) in sums.iter_mut().zip(row.chunks_exact(factor_px)) {
                *sum += block.iter().map(|&p| p as u32).sum::<u32>();
            }
        }
        let area = factor * factor;
        pixels.extend(sums.iter().map(|&sum| (sum / area) as u8));
    }
    Some(LumaFrame {
        width: small_width,
        height: small_height,
        pixels,
    })
}

/// The QR reader on a binarized frame (dark = set), then on its inverse.
fn read_both_ways(mut bits: rxing::common::BitMatrix, finders: Finders) -> Option<String> {
    qr::read(&bits, finders).or_else(|| {
        bits.flip_self();
        qr::read(&bits, finders)
    })
}

/// Reads frames until one holds a QR code (continuous decoding), at most `limit` frames.
pub fn first_code(source: &mut dyn FrameSource, limit: usize) -> Result<Option<String>> {
    for _ in 0..limit {
        match source.next_frame() {
            None => return Ok(None),
            Some(frame) => {
                if let Some(text) = decode(&frame?) {
                    return Ok(Some(text));
                }
            }
        }
    }
    Ok(None)
}

mod binarize;
mod qr;
use binarize::{local_threshold, midrange_threshold};
use qr::Finders;

#[cfg(test)]
mod frame_set;
#[cfg(test)]
mod tests;
