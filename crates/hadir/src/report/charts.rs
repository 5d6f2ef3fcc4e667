//! Bar charts drawn with PDF path operations (vector: sharp on paper and small), and the text
//! helper the report's pages share. Coordinates are points from the page's lower left.

use printpdf::{
    BuiltinFont, Color, Line, LinePoint, Op, PaintMode, PdfFontHandle, Point, Pt, Rect, Rgb,
    TextItem,
};

/// One bar: its label under (or beside) it, its length, and the text printed at its end.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Bar {
    pub label: String,
    pub value: f64,
    pub caption: String,
}

const BAR_BLUE: (f32, f32, f32) = (0.20, 0.42, 0.68);
const AXIS_GREY: (f32, f32, f32) = (0.45, 0.45, 0.45);
const LABEL_PT: f32 = 7.0;

pub(super) fn rgb((r, g, b): (f32, f32, f32)) -> Color {
    Color::Rgb(Rgb {
        r,
        g,
        b,
        icc_profile: None,
    })
}

/// A line of builtin Helvetica. Builtin fonts have no glyphs beyond Latin-1 in printpdf's
/// encoding, so anything else is shown as `?` rather than as garbage.
pub(super) fn text(x: f32, y: f32, size: f32, bold: bool, text: &str) -> [Op; 6] {
    let font = if bold {
        BuiltinFont::HelveticaBold
    } else {
        BuiltinFont::Helvetica
    };
    let shown: String = text
        .chars()
        .map(|c| {
            if c.is_ascii() && !c.is_ascii_control() {
                c
            } else {
                '?'
            }
        })
        .collect();
    [
        Op::SetFillColor {
            col: rgb((0.0, 0.0, 0.0)),
        },
        Op::StartTextSection,
        Op::SetTextCursor {
            pos: Point { x: Pt(x), y: Pt(y) },
        },
        Op::SetFont {
            font: PdfFontHandle::Builtin(font),
            size: Pt(size),
        },
        Op::ShowText {
            items: vec![TextItem::Text(shown)],
        },
        Op::EndTextSection,
    ]
}

/// Rough width of Helvetica text (half an em per character): enough to centre short labels.
pub(super) fn approx_width(text: &str, size: f32) -> f32 {
    text.chars().count() as f32 * size * 0.52
}

pub(super) fn filled(x: f32, y: f32, w: f32, h: f32, colour: (f32, f32, f32)) -> [Op; 2] {
    let mut rect = Rect::from_xywh(Pt(x), Pt(y), Pt(w), Pt(h));
    rect.mode = Some(PaintMode::Fill);
    [
        Op::SetFillColor { col: rgb(colour) },
        Op::DrawRectangle { rectangle: rect },
    ]
}

pub(super) fn rule(x1: f32, y1: f32, x2: f32, y2: f32) -> [Op; 3] {
    let point = |x, y| LinePoint {
        p: Point { x: Pt(x), y: Pt(y) },
        bezier: false,
    };
    [
        Op::SetOutlineColor {
            col: rgb(AXIS_GREY),
        },
        Op::SetOutlineThickness { pt: Pt(0.6) },
        Op::DrawLine {
            line: Line {
                points: vec![point(x1, y1), point(x2, y2)],
                is_closed: false,
            },
        },
    ]
}

/// Vertical bars in the box (`x`, `y`) to (`x + w`, `y + h`): labels under the axis, captions
/// above the bars. The tallest bar fills the box less room for its caption.
pub(super) fn column_chart(bars: &[Bar], x: f32, y: f32, w: f32, h: f32) -> Vec<Op> {
    let mut ops = Vec::new();
    let axis_y = y + LABEL_PT + 4.0;
    ops.extend(rule(x, axis_y, x + w, axis_y));
    if bars.is_empty() {
        return ops;
    }
    let max = bars.iter().map(|b| b.value).fold(0.0_f64, f64::max);
    let slot = w / bars.len() as f32;
    let bar_w = (slot * 0.7).max(1.0);
    let room = h - (axis_y - y) - LABEL_PT - 4.0;
    for (i, bar) in bars.iter().enumerate() {
        let centre = x + slot * (i as f32 + 0.5);
        let height = if max > 0.0 {
            (bar.value / max) as f32 * room
        } else {
            0.0
        };
        if height > 0.0 {
            ops.extend(filled(
                centre - bar_w / 2.0,
                axis_y,
                bar_w,
                height,
                BAR_BLUE,
            ));
        }
        let label_x = centre - approx_width(&bar.label, LABEL_PT) / 2.0;
        ops.extend(text(label_x, y + 1.0, LABEL_PT, false, &bar.label));
        let caption_x = centre - approx_width(&bar.caption, LABEL_PT) / 2.0;
        ops.extend(text(
            caption_x,
            axis_y + height + 2.0,
            LABEL_PT,
            false,
            &bar.caption,
        ));
    }
    ops
}

/// Horizontal bars, one row of `row_h` each from `top` down: label in the first `label_w`
/// points, the bar scaled to `max` (the largest value when `None`), the caption after it.
/// Returns the ops and the height used.
pub(super) fn bar_rows(
    bars: &[Bar],
    x: f32,
    top: f32,
    w: f32,
    label_w: f32,
    max: Option<f64>,
) -> (Vec<Op>, f32) {
    const ROW_H: f32 = 16.0;
    const CAPTION_W: f32 = 90.0;
    let mut ops = Vec::new();
    let max = max.unwrap_or_else(|| bars.iter().map(|b| b.value).fold(0.0_f64, f64::max));
    let bar_x = x + label_w;
    let room = w - label_w - CAPTION_W;
    for (i, bar) in bars.iter().enumerate() {
        let row_y = top - ROW_H * (i as f32 + 1.0);
        ops.extend(text(x, row_y + 4.0, 8.0, false, &bar.label));
        let length = if max > 0.0 {
            (bar.value / max) as f32 * room
        } else {
            0.0
        };
        if length > 0.0 {
            ops.extend(filled(bar_x, row_y + 2.0, length, ROW_H - 5.0, BAR_BLUE));
        }
        ops.extend(text(
            bar_x + length + 4.0,
            row_y + 4.0,
            8.0,
            false,
            &bar.caption,
        ));
    }
    let height = ROW_H * bars.len() as f32;
    ops.extend(rule(bar_x, top, bar_x, top - height));
    (ops, height)
}
