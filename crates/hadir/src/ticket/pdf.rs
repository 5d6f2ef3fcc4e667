//! Tickets as PDF pages (printpdf, builtin Helvetica: small files, no font to ship).

use printpdf::{
    BuiltinFont, Mm, Op, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, TextItem,
};

use super::{Line, TicketView, Weight};
use crate::error::{Error, Result};

/// Height of one ticket page; the paper roll is cut after it.
const PAGE_HEIGHT_MM: f32 = 120.0;
const TOP_MARGIN_MM: f32 = 8.0;
const LINE_GAP_PT: f32 = 5.0;

/// Renders tickets, one page each, on paper `paper_width_mm` wide (80 or 58).
pub fn render_pdf(tickets: &[TicketView], paper_width_mm: u32) -> Result<Vec<u8>> {
    if tickets.is_empty() {
        return Err(Error::TicketRender("no ticket to render".into()));
    }
    let width = Mm(paper_width_mm as f32);
    let pages = tickets
        .iter()
        .map(|ticket| PdfPage::new(width, Mm(PAGE_HEIGHT_MM), page_ops(ticket, width)))
        .collect();
    let mut doc = PdfDocument::new(&format!("Tiket {}", tickets[0].label));
    let mut warnings = Vec::new();
    let bytes = doc
        .with_pages(pages)
        .save(&PdfSaveOptions::default(), &mut warnings);
    if !warnings.is_empty() {
        log::debug!("printpdf warnings: {warnings:?}");
    }
    Ok(bytes)
}

fn page_ops(ticket: &TicketView, width: Mm) -> Vec<Op> {
    let page_width = Pt::from(width).0;
    let mut y = Pt::from(Mm(PAGE_HEIGHT_MM - TOP_MARGIN_MM)).0;
    let mut ops = Vec::new();
    let layout = ticket.layout();
    let scale = fit_scale(&layout, page_width);
    for line in layout {
        let size = line.size_pt * scale;
        y -= size;
        let x = ((page_width - text_width(&line, size)) / 2.0).max(2.0);
        let font = match line.weight {
            Weight::Regular => BuiltinFont::Helvetica,
            Weight::Bold => BuiltinFont::HelveticaBold,
        };
        ops.extend([
            Op::StartTextSection,
            Op::SetTextCursor {
                pos: Point { x: Pt(x), y: Pt(y) },
            },
            Op::SetFont {
                font: PdfFontHandle::Builtin(font),
                size: Pt(size),
            },
            Op::ShowText {
                items: vec![TextItem::Text(line.text)],
            },
            Op::EndTextSection,
        ]);
        y -= LINE_GAP_PT * scale;
    }
    ops
}

/// Shrinks all lines alike when the widest would not fit (58 mm paper, long office names).
fn fit_scale(lines: &[Line], page_width: f32) -> f32 {
    let usable = page_width - 8.0;
    lines
        .iter()
        .map(|line| usable / text_width(line, line.size_pt))
        .fold(1.0_f32, f32::min)
}

/// Approximate Helvetica advance width, good enough to centre a line on a ticket.
fn text_width(line: &Line, size: f32) -> f32 {
    let units: u32 = line
        .text
        .chars()
        .map(|c| match c {
            ' ' | '.' | ':' | '/' | ',' | 'i' | 'l' | 'I' | 'j' | 't' | 'f' => 278,
            '-' | 'r' | '(' | ')' => 333,
            '*' => 389,
            'M' | 'W' | 'm' | 'w' => 833,
            '0'..='9' | 'a'..='z' => 556,
            'A'..='Z' => 700,
            _ => 600,
        })
        .sum();
    let bold_factor = if line.weight == Weight::Bold { 1.05 } else { 1.0 };
    units as f32 / 1000.0 * size * bold_factor
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feed::Service;

    fn view(label: &str) -> TicketView {
        TicketView {
            ticket_id: "0123456789abcdef".into(),
            label: label.into(),
            office_name: "Kantor Imigrasi Kelas I TPI Kupang".into(),
            service: Service::Penggantian,
            express: false,
            issued_local: "29-11-2026 08:41 WITA".into(),
            slot: "08:00-09:00".into(),
            applicant_masked: "ROSALIA F***".into(),
            group_pos: 1,
            group_size: 1,
            copy: false,
        }
    }

    /// Pages of text as a PDF reader sees them (printpdf's own parser).
    fn page_texts(bytes: &[u8]) -> Vec<String> {
        let doc = PdfDocument::parse(bytes, &printpdf::PdfParseOptions::default(), &mut Vec::new())
            .expect("our PDF parses");
        doc.extract_text().into_iter().map(|chunks| chunks.join("\n")).collect()
    }

    #[test]
    fn pdf_holds_the_number_as_text() {
        let bytes = render_pdf(&[view("B-007")], 80).expect("renders");
        assert!(bytes.starts_with(b"%PDF-"), "a PDF file");
        let pages = page_texts(&bytes);
        assert_eq!(pages.len(), 1);
        assert!(pages[0].contains("B-007"), "the number is on the page: {pages:?}");
        assert!(pages[0].contains("ROSALIA F***"), "the masked name too");
        assert!(bytes.len() < 20_000, "builtin fonts keep tickets small: {} bytes", bytes.len());
    }

    #[test]
    fn one_page_per_ticket() {
        let bytes = render_pdf(&[view("A-001"), view("A-002")], 58).expect("renders");
        let pages = page_texts(&bytes);
        assert_eq!(pages.len(), 2);
        assert!(pages[1].contains("A-002"));
    }

    #[test]
    fn nothing_to_render_is_an_error() {
        assert_eq!(render_pdf(&[], 80).expect_err("empty").code(), "ticket_render_failed");
    }
}
