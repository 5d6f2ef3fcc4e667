//! Tickets as a 1-bit raster for thermal printers (203 dpi: 576 dots across 80 mm paper, 384
//! across 58 mm), drawn with the DejaVu Sans fonts shipped in `assets/fonts`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, PxScale, ScaleFont};

use super::{qr_matrix, Block, Line, TicketView, Weight};
use crate::error::{Error, Result};

// Subsets of DejaVu Sans (Latin, Greek, Cyrillic, Armenian, Georgian, punctuation and symbols)
// made by scripts/subset-ticket-fonts.sh: 0.34 MB in the binary instead of 1.47 MB.
const REGULAR: &[u8] = include_bytes!("../../../../assets/fonts/ticket/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../../../assets/fonts/ticket/DejaVuSans-Bold.ttf");

/// Printer resolution: 203 dots per inch, so 8 dots per millimetre.
pub const DOTS_PER_MM: usize = 8;
const DOTS_PER_PT: f32 = 203.0 / 72.0;
const MARGIN_DOTS: usize = 16;
const QR_SIDE_DOTS: usize = 30 * DOTS_PER_MM;
/// White space above and below the QR code (at least four modules, as the QR standard asks).
const QR_QUIET_DOTS: usize = 4 * DOTS_PER_MM;

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
    /// An empty image with room for `rows` (it grows past them if needed).
    fn with_room(width: usize, rows: usize) -> Self {
        Bitmap {
            width,
            height: rows,
            dark: vec![false; width * rows],
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
            if y >= self.height {
                self.grow_to(y + 1);
            }
            self.dark[y * self.width + x] = true;
        }
    }

    /// Burns `len` dots black from (`x`, `y`) rightwards, clipped at the right edge.
    fn set_run(&mut self, x: usize, y: usize, len: usize) {
        let end = (x + len).min(self.width);
        if x < end {
            self.grow_to(y + 1);
            self.dark[y * self.width + x..y * self.width + end].fill(true);
        }
    }

    /// The image as 8-bit grey (0 black, 255 white), e.g. for a QR decoder.
    pub fn to_luma(&self) -> Vec<u8> {
        self.dark.iter().map(|&d| if d { 0 } else { 255 }).collect()
    }
}

/// The two fonts, parsed once per process.
fn fonts() -> Result<&'static (FontRef<'static>, FontRef<'static>)> {
    static FONTS: OnceLock<Option<(FontRef<'static>, FontRef<'static>)>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            Some((
                FontRef::try_from_slice(REGULAR).ok()?,
                FontRef::try_from_slice(BOLD).ok()?,
            ))
        })
        .as_ref()
        .ok_or_else(|| Error::TicketRender("the ticket fonts cannot be read".into()))
}

/// Draws a ticket `width` dots wide.
pub fn render_raster(ticket: &TicketView, width: usize) -> Result<Bitmap> {
    let (regular, bold) = fonts()?;
    // A ticket is about 120 mm long; the image grows if a long one needs more.
    let mut bitmap = Bitmap::with_room(width, 130 * DOTS_PER_MM);
    let mut y = MARGIN_DOTS;
    for block in ticket.layout() {
        match block {
            Block::Text(line) => {
                let font = if line.weight == Weight::Bold {
                    bold
                } else {
                    regular
                };
                y = draw_line(&mut bitmap, font, &line, y);
            }
            Block::Qr(text) => {
                y = draw_qr(&mut bitmap, &text, y + QR_QUIET_DOTS).ok_or_else(|| {
                    Error::TicketRender("ticket id does not fit a QR code".into())
                })? + QR_QUIET_DOTS;
            }
        }
    }
    let height = y + MARGIN_DOTS;
    bitmap.grow_to(height);
    bitmap.dark.truncate(height * width);
    bitmap.height = height;
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
        // Glyphs sit on whole dots, so each (font, glyph, size) is drawn once per process and
        // its dots reused: the digits and letters of every later ticket come from the cache.
        let (origin_x, origin_y) = (x.round(), baseline.round());
        let key = (std::ptr::from_ref(font) as usize, id.0, px.to_bits());
        let dots = GLYPH_DOTS.with(|cache| {
            cache
                .borrow_mut()
                .entry(key)
                .or_insert_with(|| glyph_dots(font, id, px))
                .clone()
        });
        for (dx, dy) in dots.iter() {
            let (gx, gy) = (origin_x as i32 + dx, origin_y as i32 + dy);
            if gx >= 0 && gy >= 0 {
                bitmap.set(gx as usize, gy as usize);
            }
        }
        x += scaled.h_advance(id);
        previous = Some(id);
    }
    let next = top as f32 + scaled.height() + scaled.line_gap() + px * 0.15;
    bitmap.grow_to(next as usize);
    next.ceil() as usize
}

/// (which font, by its static address; glyph; size in dots).
type GlyphKey = (usize, u16, u32);
/// Dark dots relative to the pen position on the baseline.
type GlyphDots = Rc<Vec<(i32, i32)>>;

thread_local! {
    static GLYPH_DOTS: RefCell<HashMap<GlyphKey, GlyphDots>> = RefCell::new(HashMap::new());
}

/// The dark dots of one glyph drawn at the origin, relative to its pen position on the baseline.
fn glyph_dots(font: &FontRef<'_>, id: ab_glyph::GlyphId, px: f32) -> GlyphDots {
    let glyph = id.with_scale_and_position(PxScale::from(px), ab_glyph::point(0.0, 0.0));
    let mut dots = Vec::new();
    if let Some(outlined) = font.outline_glyph(glyph) {
        let bounds = outlined.px_bounds();
        outlined.draw(|gx, gy, coverage| {
            if coverage >= 0.5 {
                dots.push((
                    bounds.min.x as i32 + gx as i32,
                    bounds.min.y as i32 + gy as i32,
                ));
            }
        });
    }
    Rc::new(dots)
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
    bitmap.grow_to(top + side);
    for (row, modules_of_row) in dark.chunks(modules).enumerate() {
        // Each row of modules is drawn once as runs of dots, then copied down the module.
        let first = top + row * module;
        let mut col = 0;
        while col < modules {
            if !modules_of_row[col] {
                col += 1;
                continue;
            }
            let run = modules_of_row[col..].iter().take_while(|&&d| d).count();
            bitmap.set_run(left + col * module, first, run * module);
            col += run;
        }
        let span = first * bitmap.width + left..first * bitmap.width + left + side;
        for dy in 1..module {
            let to = span.start + dy * bitmap.width;
            bitmap.dark.copy_within(span.clone(), to);
        }
    }
    Some(top + side)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dot_of_the_qr_is_the_colour_of_its_module() {
        let text = "HADIR-T:5f0c8a9e3b1d4c389f1e0d6a2b7c4e11";
        let (modules, dark) = qr_matrix(text).expect("a QR code");
        for width in [384, 576] {
            let mut bitmap = Bitmap::with_room(width, 10);
            let top = 7;
            let bottom = draw_qr(&mut bitmap, text, top).expect("fits");
            let module = (QR_SIDE_DOTS.min(width - 2 * MARGIN_DOTS) / modules).max(1);
            let left = (width - module * modules) / 2;
            assert_eq!(bottom, top + module * modules);
            for y in 0..bitmap.height {
                for x in 0..width {
                    let inside =
                        (top..bottom).contains(&y) && (left..left + module * modules).contains(&x);
                    let expected =
                        inside && dark[(y - top) / module * modules + (x - left) / module];
                    assert_eq!(
                        bitmap.dark[y * width + x],
                        expected,
                        "dot ({x}, {y}) at {width}"
                    );
                }
            }
        }
    }

    /// The full fonts the shipped subsets were cut from (test builds only).
    const FULL_REGULAR: &[u8] = include_bytes!("../../../../assets/fonts/DejaVuSans.ttf");
    const FULL_BOLD: &[u8] = include_bytes!("../../../../assets/fonts/DejaVuSans-Bold.ttf");

    /// Every string of a kiosk text file (ui/i18n).
    fn strings_in(json: &serde_json::Value, out: &mut Vec<String>) {
        match json {
            serde_json::Value::String(text) => out.push(text.clone()),
            serde_json::Value::Array(items) => items.iter().for_each(|v| strings_in(v, out)),
            serde_json::Value::Object(map) => map.values().for_each(|v| strings_in(v, out)),
            _ => {}
        }
    }

    /// What a ticket can print: every text of both languages, names in the Latin, Greek,
    /// Cyrillic, Armenian and Georgian scripts, and every character of Latin-1 and Latin
    /// Extended-A.
    fn printable_texts() -> Vec<String> {
        let mut texts = Vec::new();
        for file in [
            include_str!("../../../../ui/i18n/id.json"),
            include_str!("../../../../ui/i18n/en.json"),
        ] {
            strings_in(&serde_json::from_str(file).expect("JSON"), &mut texts);
        }
        texts.extend(
            [
                "Kantor Imigrasi Kelas I TPI Kupang",
                "Ñoño Ğülşen Łukasz Đặng Thị Ánh Ömer Ærøskøbing",
                "Ελένη Παπαδοπούλου",
                "Светлана Иванова",
                "Անահիտ Պետրոսյան",
                "ნინო ბერიძე",
                "A-001 · 09.00–10.00 … «» „“ € № → ✓",
            ]
            .map(str::to_owned),
        );
        let latin: Vec<char> = ('\u{a0}'..='\u{17f}').collect();
        texts.extend(latin.chunks(24).map(String::from_iter));
        // A ticket draws a text line by line (`TicketView::text_lines`).
        texts
            .iter()
            .flat_map(|text| text.lines())
            .map(str::to_owned)
            .collect()
    }

    fn drawn(font: &FontRef<'_>, text: &str, size_pt: f32) -> Bitmap {
        let mut bitmap = Bitmap::with_room(576, 8);
        let line = Line {
            text: text.to_owned(),
            size_pt,
            weight: Weight::Regular,
        };
        draw_line(&mut bitmap, font, &line, 0);
        bitmap
    }

    /// The shipped subsets lose no glyph, kerning pair or metric a ticket uses: drawn dot for dot
    /// like the full fonts, and no character falls back to the empty glyph.
    #[test]
    fn the_ticket_font_subsets_draw_every_printable_text_like_the_full_fonts() {
        let (regular, bold) = fonts().expect("the shipped fonts parse");
        // Leaked, so each font keeps its own address: the glyph cache is keyed by it.
        let full = |bytes: &'static [u8]| -> &'static FontRef<'static> {
            Box::leak(Box::new(FontRef::try_from_slice(bytes).expect("full font")))
        };
        let pairs = [(regular, full(FULL_REGULAR)), (bold, full(FULL_BOLD))];
        for text in printable_texts() {
            for (subset, full) in pairs {
                for c in text.chars() {
                    assert_ne!(subset.glyph_id(c).0, 0, "no glyph for {c:?} in {text:?}");
                }
                for size_pt in [8.0, 44.0] {
                    assert!(
                        drawn(subset, &text, size_pt) == drawn(full, &text, size_pt),
                        "{text:?} at {size_pt} pt draws differently"
                    );
                }
            }
        }
    }

    /// A letter the subsets lack (Hebrew, Arabic, CJK) prints as the font's box, as it did with
    /// the full fonts for what they lacked: the applicant sees that something is missing.
    #[test]
    fn a_letter_outside_the_subsets_prints_as_a_box_not_as_nothing() {
        let (regular, bold) = fonts().expect("the shipped fonts parse");
        for font in [regular, bold] {
            for missing in ["中", "ש", "ب"] {
                assert_eq!(font.glyph_id(missing.chars().next().expect("a char")).0, 0);
                let box_dots = drawn(font, missing, 11.0)
                    .dark
                    .iter()
                    .filter(|&&d| d)
                    .count();
                assert!(box_dots > 20, "{missing:?} draws {box_dots} dots");
            }
        }
    }

    #[test]
    fn the_ticket_fonts_are_the_small_subsets() {
        // The binary-size budget (BENCHMARKS.md, issue #19): a full font back in would cost 1.2 MB.
        assert!(
            REGULAR.len() + BOLD.len() < 400_000,
            "{}",
            REGULAR.len() + BOLD.len()
        );
    }
}
