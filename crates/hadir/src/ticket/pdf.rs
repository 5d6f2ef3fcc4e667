//! Tickets as PDF pages (printpdf, builtin Helvetica: small files, no font to ship).

use printpdf::{
    BuiltinFont, Color, Greyscale, Mm, Op, PaintMode, PdfDocument, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Pt, Rect, TextItem,
};

use super::{qr_matrix, Block, Line, TicketView, Weight};
use crate::error::{Error, Result};

/// Blank paper above the first line and below the QR code.
const MARGIN_MM: f32 = 8.0;
const LINE_GAP_PT: f32 = 5.0;
/// Side of the printed QR code: large enough for a cheap scanner at arm's length.
const QR_SIDE_MM: f32 = 30.0;
/// White space above and below the QR code (at least four modules, as the QR standard asks):
/// the line under it must not touch the code a scanner looks for.
const QR_QUIET_MM: f32 = 5.0;

/// Renders tickets, one page each, on paper `paper_width_mm` wide (80 or 58).
pub fn render_pdf(tickets: &[TicketView], paper_width_mm: u32) -> Result<Vec<u8>> {
    if tickets.is_empty() {
        return Err(Error::TicketRender("no ticket to render".into()));
    }
    let width = Mm(paper_width_mm as f32);
    let pages = tickets
        .iter()
        .map(|ticket| {
            let (height, ops) = page_ops(ticket, width);
            PdfPage::new(width, height, ops)
        })
        .collect();
    // The document's name (a PDF viewer's title, the print queue's job) in the ticket's language.
    let name = crate::texts::text(
        tickets[0].language,
        "ticket.document",
        &serde_json::json!({ "label": tickets[0].label }),
    );
    let mut doc = PdfDocument::new(&name);
    let mut warnings = Vec::new();
    let bytes = doc
        .with_pages(pages)
        .save(&PdfSaveOptions::default(), &mut warnings);
    if !warnings.is_empty() {
        log::debug!("printpdf warnings: {warnings:?}");
    }
    Ok(bytes)
}

/// Width and height in millimetres of the page [`render_pdf`] makes for this ticket.
pub fn pdf_page_size_mm(ticket: &TicketView, paper_width_mm: u32) -> (f32, f32) {
    let (height, _) = page_ops(ticket, Mm(paper_width_mm as f32));
    (paper_width_mm as f32, height.0)
}

/// The ticket's text lines, without its QR code: what must fit the paper's width.
fn text_lines(layout: &[Block]) -> Vec<&Line> {
    layout
        .iter()
        .filter_map(|block| match block {
            Block::Text(line) => Some(line),
            Block::Qr(_) => None,
        })
        .collect()
}

/// The page's height (as long as the content: roll paper) and its drawing operations.
fn page_ops(ticket: &TicketView, width: Mm) -> (Mm, Vec<Op>) {
    let page_width = Pt::from(width).0;
    let layout = ticket.layout();
    let lines = text_lines(&layout);
    let scale = fit_scale(&lines, page_width);
    let qr_side = Pt::from(Mm(QR_SIDE_MM)).0;
    let qr_quiet = Pt::from(Mm(QR_QUIET_MM)).0;
    let margin = Pt::from(Mm(MARGIN_MM)).0;
    let content: f32 = layout
        .iter()
        .map(|block| match block {
            Block::Text(line) => line.size_pt * scale * 1.25 + LINE_GAP_PT * scale,
            Block::Qr(_) => 2.0 * qr_quiet + qr_side,
        })
        .sum();
    let height = content + 2.0 * margin;
    let mut y = height - margin;
    let mut ops = Vec::new();
    for block in &layout {
        match block {
            Block::Text(line) => {
                let size = line.size_pt * scale;
                y -= size;
                ops.extend(text_ops(line, size, page_width, y));
                // Room for descenders, then the gap to the next line.
                y -= size * 0.25 + LINE_GAP_PT * scale;
            }
            Block::Qr(text) => {
                y -= qr_quiet + qr_side;
                ops.extend(qr_ops(text, (page_width - qr_side) / 2.0, y, qr_side));
                y -= qr_quiet;
            }
        }
    }
    (Mm::from(Pt(height)), ops)
}

fn text_ops(line: &Line, size: f32, page_width: f32, y: f32) -> [Op; 5] {
    let x = ((page_width - text_width(line, size)) / 2.0).max(2.0);
    let font = match line.weight {
        Weight::Regular => BuiltinFont::Helvetica,
        Weight::Bold => BuiltinFont::HelveticaBold,
    };
    [
        Op::StartTextSection,
        Op::SetTextCursor {
            pos: Point { x: Pt(x), y: Pt(y) },
        },
        Op::SetFont {
            font: PdfFontHandle::Builtin(font),
            size: Pt(size),
        },
        Op::ShowText {
            items: vec![TextItem::Text(line.text.clone())],
        },
        Op::EndTextSection,
    ]
}

/// The QR code as filled squares (vector: sharp at any printer resolution).
fn qr_ops(text: &str, x: f32, y: f32, side: f32) -> Vec<Op> {
    let Some((modules, dark)) = qr_matrix(text) else {
        return Vec::new();
    };
    let module = side / modules as f32;
    let mut ops = vec![Op::SetFillColor {
        col: Color::Greyscale(Greyscale {
            percent: 0.0,
            icc_profile: None,
        }),
    }];
    for (index, _) in dark.iter().enumerate().filter(|(_, &is_dark)| is_dark) {
        let (row, col) = (index / modules, index % modules);
        let mut rect = Rect::from_xywh(
            Pt(x + col as f32 * module),
            Pt(y + (modules - 1 - row) as f32 * module),
            Pt(module),
            Pt(module),
        );
        rect.mode = Some(PaintMode::Fill);
        ops.push(Op::DrawRectangle { rectangle: rect });
    }
    ops
}

/// Shrinks all lines alike when the widest would not fit (58 mm paper, long office names).
fn fit_scale(lines: &[&Line], page_width: f32) -> f32 {
    let usable = page_width - 16.0;
    lines
        .iter()
        .map(|line| usable / text_width(line, line.size_pt))
        .fold(1.0_f32, f32::min)
}

/// Advance widths (1/1000 em) of printable ASCII, from the Adobe core-font metrics (AFM) of
/// Helvetica and Helvetica-Bold, so lines can be centred without embedding a font.
const HELVETICA_WIDTHS: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];
const HELVETICA_BOLD_WIDTHS: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667,
    611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556,
    278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
];

/// Width of a line in points at `size`; characters outside printable ASCII count as 600.
fn text_width(line: &Line, size: f32) -> f32 {
    let widths = match line.weight {
        Weight::Regular => &HELVETICA_WIDTHS,
        Weight::Bold => &HELVETICA_BOLD_WIDTHS,
    };
    let units: u32 = line
        .text
        .chars()
        .map(|c| {
            (c as usize)
                .checked_sub(32)
                .and_then(|i| widths.get(i))
                .map_or(600, |&w| u32::from(w))
        })
        .sum();
    units as f32 / 1000.0 * size
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Service;

    fn view(label: &str) -> TicketView {
        TicketView {
            ticket_id: "0123456789abcdef".into(),
            label: label.into(),
            office_name: "Kantor Imigrasi Kelas I TPI Kupang".into(),
            service: Service::Penggantian,
            express: false,
            priority: false,
            issued_local: "29-11-2026 08:41 WITA".into(),
            slot: "08:00-09:00".into(),
            applicant_masked: "ROSALIA F***".into(),
            group_pos: 1,
            group_size: 1,
            copy: false,
            language: crate::model::Language::Id,
            queue_outlook: None,
        }
    }

    /// Pages of text as a PDF reader sees them (printpdf's own parser).
    fn page_texts(bytes: &[u8]) -> Vec<String> {
        let doc = PdfDocument::parse(
            bytes,
            &printpdf::PdfParseOptions::default(),
            &mut Vec::new(),
        )
        .expect("our PDF parses");
        doc.extract_text()
            .into_iter()
            .map(|chunks| chunks.join("\n"))
            .collect()
    }

    #[test]
    fn pdf_holds_the_number_as_text() {
        let bytes = render_pdf(&[view("B-007")], 80).expect("renders");
        assert!(bytes.starts_with(b"%PDF-"), "a PDF file");
        let pages = page_texts(&bytes);
        assert_eq!(pages.len(), 1);
        assert!(
            pages[0].contains("B-007"),
            "the number is on the page: {pages:?}"
        );
        assert!(pages[0].contains("ROSALIA F***"), "the masked name too");
        assert!(
            bytes.len() < 20_000,
            "builtin fonts keep tickets small: {} bytes",
            bytes.len()
        );
    }

    #[test]
    fn an_english_ticket_prints_in_english_with_the_line_under_its_qr() {
        let english = TicketView {
            priority: true,
            language: crate::model::Language::En,
            ..view("P-004")
        };
        let page = page_texts(&render_pdf(&[english], 80).expect("renders")).remove(0);
        for expected in [
            "QUEUE NUMBER",
            "PRIORITY",
            "scan this QR",
            "rate how we served you",
        ] {
            assert!(page.contains(expected), "{expected} on {page:?}");
        }
        assert!(!page.contains("NOMOR ANTREAN"), "{page:?}");
    }

    #[test]
    fn the_pdf_carries_people_ahead_only_when_the_hub_told_them() {
        let with = TicketView {
            queue_outlook: Some(crate::queue_times::QueueOutlook {
                people_ahead: 4,
                estimate: Some(crate::queue_times::WaitEstimate {
                    low_minutes: 5,
                    high_minutes: 15,
                }),
            }),
            ..view("A-009")
        };
        let page = page_texts(&render_pdf(&[with], 80).expect("renders")).remove(0);
        for expected in ["4 orang di depan Anda", "sekitar 5-15 menit"] {
            assert!(page.contains(expected), "{expected} on {page:?}");
        }
        let page = page_texts(&render_pdf(&[view("A-010")], 80).expect("renders")).remove(0);
        assert!(!page.contains("di depan Anda"), "{page:?}");
    }

    #[test]
    fn no_line_of_an_80_mm_ticket_shrinks_the_others_in_either_language() {
        let width = Pt::from(Mm(80.0)).0;
        for language in [crate::model::Language::Id, crate::model::Language::En] {
            for service in [Service::Baru, Service::Penggantian, Service::HilangRusak] {
                let full = TicketView {
                    service,
                    express: true,
                    priority: true,
                    group_pos: 3,
                    group_size: 5,
                    copy: true,
                    language,
                    // The widest outlook: a three-digit count and range.
                    queue_outlook: Some(crate::queue_times::QueueOutlook {
                        people_ahead: 120,
                        estimate: Some(crate::queue_times::WaitEstimate {
                            low_minutes: 100,
                            high_minutes: 150,
                        }),
                    }),
                    ..view("P-123")
                };
                // A walk-in's ticket has its own lines ("show your KTP at the counter").
                let walkin = TicketView {
                    ticket_id: format!(
                        "{}{}",
                        crate::store::WALKIN_TICKET_ID_PREFIX,
                        full.ticket_id
                    ),
                    ..full.clone()
                };
                assert!(walkin.is_walkin());
                let layout = [full.layout(), walkin.layout()].concat();
                let lines = text_lines(&layout);
                assert_eq!(
                    fit_scale(&lines, width),
                    1.0,
                    "{language:?} {service:?}: a line too wide shrinks the whole ticket, number too"
                );
            }
        }
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
        assert_eq!(
            render_pdf(&[], 80).expect_err("empty").code(),
            "ticket_render_failed"
        );
    }
}
