//! The PDF report's A4 pages: filled top-down, a block that does not fit starts a new page, and
//! each page ends with the footer and its number.

use printpdf::{Mm, Op, PdfPage};
use serde_json::json;

use super::charts::{approx_width, rule, text};
use super::labels;
use crate::model::Language;

const PAGE_W_MM: f32 = 210.0;
const PAGE_H_MM: f32 = 297.0;
/// Points: A4 is 595.28 x 841.89.
const PAGE_W: f32 = PAGE_W_MM * 72.0 / 25.4;
const PAGE_H: f32 = PAGE_H_MM * 72.0 / 25.4;
pub(super) const LEFT: f32 = 45.0;
pub(super) const RIGHT: f32 = PAGE_W - 45.0;
const TOP: f32 = PAGE_H - 50.0;
pub(super) const BOTTOM: f32 = 55.0;
const VALUE_X: f32 = LEFT + 270.0;

/// Pages filled top-down; a block that does not fit starts a new page.
pub(super) struct Pages {
    done: Vec<Vec<Op>>,
    pub(super) ops: Vec<Op>,
    pub(super) y: f32,
    /// The language of the page numbers.
    lang: Language,
}

impl Pages {
    pub(super) fn new(lang: Language) -> Pages {
        Pages {
            done: Vec::new(),
            ops: Vec::new(),
            y: TOP,
            lang,
        }
    }

    pub(super) fn need(&mut self, height: f32) {
        if self.y - height < BOTTOM {
            self.done.push(std::mem::take(&mut self.ops));
            self.y = TOP;
        }
    }

    pub(super) fn line(&mut self, size: f32, bold: bool, words: &str) {
        self.need(size * 1.5);
        self.y -= size * 1.5;
        self.ops.extend(text(LEFT, self.y, size, bold, words));
    }

    /// A section title kept on one page with the first `keep` points of what follows it.
    pub(super) fn heading(&mut self, words: &str, keep: f32) {
        self.need(keep + 35.0);
        self.y -= 10.0;
        self.line(12.0, true, words);
        self.y -= 3.0;
    }

    pub(super) fn value(&mut self, label: &str, value: &str) {
        self.need(14.0);
        self.y -= 14.0;
        self.ops.extend(text(LEFT, self.y, 9.5, false, label));
        self.ops.extend(text(VALUE_X, self.y, 9.5, true, value));
    }

    /// A block `height` points tall drawn by `draw(top)`.
    pub(super) fn block(&mut self, height: f32, draw: impl FnOnce(f32) -> Vec<Op>) {
        self.need(height);
        let ops = draw(self.y);
        self.ops.extend(ops);
        self.y -= height;
    }

    pub(super) fn finish(mut self, footer: &str) -> Vec<PdfPage> {
        if !self.ops.is_empty() {
            self.done.push(self.ops);
        }
        let total = self.done.len();
        let lang = self.lang;
        self.done
            .into_iter()
            .enumerate()
            .map(|(i, mut ops)| {
                ops.extend(rule(LEFT, BOTTOM - 12.0, RIGHT, BOTTOM - 12.0));
                ops.extend(text(LEFT, BOTTOM - 24.0, 7.5, false, footer));
                let page = labels::text(
                    lang,
                    "report.pdf.page",
                    &json!({ "n": i + 1, "total": total }),
                );
                let x = RIGHT - approx_width(&page, 7.5);
                ops.extend(text(x, BOTTOM - 24.0, 7.5, false, &page));
                PdfPage::new(Mm(PAGE_W_MM), Mm(PAGE_H_MM), ops)
            })
            .collect()
    }
}
