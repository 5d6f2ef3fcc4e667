//! Tickets as a 1-bit raster for thermal printers (203 dpi: 576 dots across 80 mm paper, 384
//! across 58 mm), drawn with the DejaVu Sans fonts shipped in `assets/fonts`.

use ab_glyph::{Font, FontRef, PxScale, ScaleFont};

use super::{qr_matrix, Block, Line, TicketView, Weight};
use crate::error::{Error, Result};

const REGULAR: &[u8] = include_bytes!("../../../../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../../../assets/fonts/DejaVuSans-Bold.ttf");

/// Printer resolution: 203 dots per inch, so 8 dots per millimetre.
pub const DOTS_PER_MM: usize = 8;
const DOTS_PER_PT: f32 = 203.0 / 72.0;
const MARGIN_DOTS: usize = 16;
const QR_SIDE_DOTS: usize = 30 * DOTS_PER_MM;

/// Dots across the printable width of a paper roll.
pub fn dots_for_paper(paper_width_mm: u32) -> usize {
    if paper_width_mm <= 58 {
        384
    } else {
        576
    }
}

/// A black-and-white image, row by row; `true` is a dot burnt black.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bitmap {
    pub width: usize,
    pub height: usize,
    pub dark: Vec<bool>,
}

impl Bitmap {
    fn new(width: usize) -> Self {
        Bitmap {
            width,
            height: 0,
            dark: Vec::new(),
        }
    }

    fn grow_to(&mut self, height: usize) {
        if height > self.height {
            self.dark.resize(height * self.width, false);
            self.height = height;
        }
    }

    fn set(&mut self, x: usize, y: usize) {
        if x < self.width {
            self.grow_to(y + 1);
            self.dark[y * self.width + x] = true;
        }
    }

    /// The image as 8-bit grey (0 black, 255 white), e.g. for a QR decoder.
    pub fn to_luma(&self) -> Vec<u8> {
        self.dark.iter().map(|&d| if d { 0 } else { 255 }).collect()
    }
}

/// Draws a ticket `width` dots wide.
pub fn render_raster(ticket: &TicketView, width: usize) -> Result<Bitmap> {
    let regular =
        FontRef::try_from_slice(REGULAR).map_err(|e| Error::TicketRender(e.to_string()))?;
    let bold = FontRef::try_from_slice(BOLD).map_err(|e| Error::TicketRender(e.to_string()))?;
    let mut bitmap = Bitmap::new(width);
    let mut y = MARGIN_DOTS;
    for block in ticket.layout() {
        match block {
            Block::Text(line) => {
                let font = if line.weight == Weight::Bold {
                    &bold
                } else {
                    &regular
                };
                y = draw_line(&mut bitmap, font, &line, y);
            }
            Block::Qr(text) => {
                y = draw_qr(&mut bitmap, &text, y + 4 * DOTS_PER_MM).ok_or_else(|| {
                    Error::TicketRender("ticket id does not fit a QR code".into())
                })?;
            }
        }
    }
    bitmap.grow_to(y + MARGIN_DOTS);
    Ok(bitmap)
}

/// Draws one centred line with its top at `top`; returns the top of the next line.
fn draw_line(bitmap: &mut Bitmap, font: &FontRef<'_>, line: &Line, top: usize) -> usize {
    let usable = (bitmap.width - 2 * MARGIN_DOTS) as f32;
    let mut px = line.size_pt * DOTS_PER_PT;
    let width = line_width(font, &line.text, px);
    if width > usable {
        px *= usable / width; // shrink a line that would not fit (58 mm paper, long names)
    }
    let scaled = font.as_scaled(PxScale::from(px));
    let baseline = top as f32 + scaled.ascent();
    let mut x = (bitmap.width as f32 - line_width(font, &line.text, px)) / 2.0;
    let mut previous = None;
    for c in line.text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(prev) = previous {
            x += scaled.kern(prev, id);
        }
        let glyph = id.with_scale_and_position(PxScale::from(px), ab_glyph::point(x, baseline));
        if let Some(outlined) = font.outline_glyph(glyph) {
            let bounds = outlined.px_bounds();
            outlined.draw(|gx, gy, coverage| {
                let (px_x, px_y) = (bounds.min.x + gx as f32, bounds.min.y + gy as f32);
                if coverage >= 0.5 && px_x >= 0.0 && px_y >= 0.0 {
                    bitmap.set(px_x as usize, px_y as usize);
                }
            });
        }
        x += scaled.h_advance(id);
        previous = Some(id);
    }
    let next = top as f32 + scaled.height() + scaled.line_gap() + px * 0.15;
    bitmap.grow_to(next as usize);
    next.ceil() as usize
}

fn line_width(font: &FontRef<'_>, text: &str, px: f32) -> f32 {
    let scaled = font.as_scaled(PxScale::from(px));
    let mut previous = None;
    let mut width = 0.0;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(prev) = previous {
            width += scaled.kern(prev, id);
        }
        width += scaled.h_advance(id);
        previous = Some(id);
    }
    width
}

/// Draws the QR code centred, whole dots per module; returns the row below it.
fn draw_qr(bitmap: &mut Bitmap, text: &str, top: usize) -> Option<usize> {
    let (modules, dark) = qr_matrix(text)?;
    let module = (QR_SIDE_DOTS.min(bitmap.width - 2 * MARGIN_DOTS) / modules).max(1);
    let side = module * modules;
    let left = (bitmap.width - side) / 2;
    for (index, _) in dark.iter().enumerate().filter(|(_, &d)| d) {
        let (row, col) = (index / modules, index % modules);
        for dy in 0..module {
            for dx in 0..module {
                bitmap.set(left + col * module + dx, top + row * module + dy);
            }
        }
    }
    bitmap.grow_to(top + side);
    Some(top + side)
}
