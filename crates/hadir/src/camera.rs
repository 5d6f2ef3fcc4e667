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
pub fn decode(frame: &LumaFrame) -> Option<String> {
    if frame.width == 0
        || frame.height == 0
        || frame.pixels.len() != (frame.width * frame.height) as usize
    {
        return None;
    }
    rxing::helpers::detect_in_luma(
        frame.pixels.clone(),
        frame.width,
        frame.height,
        Some(rxing::BarcodeFormat::QR_CODE),
    )
    .ok()
    .map(|result| result.getText().to_owned())
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

#[cfg(test)]
mod tests;
