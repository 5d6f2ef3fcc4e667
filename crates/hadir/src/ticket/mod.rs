//! What a ticket says, as one layout model that every output (PDF now, ESC/POS later) renders.

mod pdf;
pub mod raster;

use jiff::ZonedDateTime;
use serde::Serialize;

use crate::checkin::BookingFacts;
use crate::feed::{hh_mm, Service};
use crate::store::IssuedTicket;

pub use pdf::{pdf_page_size_mm, render_pdf};

/// What the ticket's QR code holds: this prefix and the unguessable ticket id. The prefix lets
/// the kiosk (and a staff scanner) tell a ticket from a booking code.
pub const TICKET_QR_PREFIX: &str = "HADIR-TIKET:";

/// The facts printed on one ticket and shown on the result screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TicketView {
    pub ticket_id: String,
    pub label: String,
    pub office_name: String,
    pub service: Service,
    pub express: bool,
    /// Office-local issue time, e.g. `29-11-2026 08:41 WITA`.
    pub issued_local: String,
    /// Booking slot, e.g. `08:00-09:00`.
    pub slot: String,
    /// Name with all but the first word reduced to an initial: `MARIA G*** F***`.
    pub applicant_masked: String,
    /// Position in a group booking (k, n); (1, 1) for a single applicant.
    pub group_pos: i64,
    pub group_size: i64,
    /// A reprint, printed with "SALINAN".
    pub copy: bool,
}

impl TicketView {
    pub fn new(
        ticket: &IssuedTicket,
        booking: &BookingFacts,
        office_name: &str,
        issued: &ZonedDateTime,
    ) -> Self {
        // A booking known only from its token has no names: the ticket then shows none.
        let name = booking
            .applicants
            .get(ticket.applicant_index as usize)
            .and_then(|a| a.name.as_deref())
            .unwrap_or("");
        TicketView {
            ticket_id: ticket.id.clone(),
            label: ticket.label.clone(),
            office_name: office_name.to_owned(),
            service: booking.service,
            express: booking.express,
            issued_local: issued.strftime("%d-%m-%Y %H:%M %Z").to_string(),
            slot: booking
                .slot
                .map(|(start, end)| format!("{}-{}", hh_mm::format(start), hh_mm::format(end)))
                .unwrap_or_default(),
            applicant_masked: mask_name(name),
            group_pos: ticket.group_pos,
            group_size: ticket.group_size,
            copy: false,
        }
    }

    /// The text the ticket's QR code holds.
    pub fn qr_text(&self) -> String {
        format!("{TICKET_QR_PREFIX}{}", self.ticket_id)
    }

    /// The ticket top to bottom: text lines, then the QR code. Ticket text is Bahasa Indonesia:
    /// staff read it too.
    pub fn layout(&self) -> Vec<Block> {
        let mut blocks: Vec<Block> = self.text_lines().into_iter().map(Block::Text).collect();
        blocks.push(Block::Qr(self.qr_text()));
        blocks
    }

    fn text_lines(&self) -> Vec<Line> {
        let mut lines = vec![
            Line::new(&self.office_name, 9.0, Weight::Bold),
            Line::new("NOMOR ANTREAN", 10.0, Weight::Regular),
            Line::new(&self.label, 44.0, Weight::Bold),
            Line::new(service_name(self.service), 14.0, Weight::Bold),
        ];
        if self.express {
            lines.push(Line::new("PERCEPATAN", 14.0, Weight::Bold));
        }
        if !self.applicant_masked.is_empty() {
            lines.push(Line::new(&self.applicant_masked, 11.0, Weight::Regular));
        }
        if self.group_size > 1 {
            lines.push(Line::new(
                &format!("Pemohon {}/{}", self.group_pos, self.group_size),
                11.0,
                Weight::Regular,
            ));
        }
        lines.push(Line::new(
            &format!("Jadwal {}", self.slot),
            10.0,
            Weight::Regular,
        ));
        lines.push(Line::new(&self.issued_local, 10.0, Weight::Regular));
        lines.push(Line::new(
            "Silakan duduk dan tunggu panggilan",
            9.0,
            Weight::Regular,
        ));
        if self.copy {
            lines.push(Line::new("SALINAN", 16.0, Weight::Bold));
        }
        lines
    }
}

/// One piece of the ticket, centred across the paper.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Text(Line),
    /// A QR code of this text, about 30 mm wide.
    Qr(String),
}

/// Matrix of a QR code (true = dark), with its side in modules; `None` if the text cannot be one.
pub fn qr_matrix(text: &str) -> Option<(usize, Vec<bool>)> {
    let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M).ok()?;
    let dark = code
        .to_colors()
        .into_iter()
        .map(|c| c == qrcode::Color::Dark)
        .collect();
    Some((code.width(), dark))
}

/// One centred line of ticket text.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub text: String,
    pub size_pt: f32,
    pub weight: Weight,
}

impl Line {
    fn new(text: &str, size_pt: f32, weight: Weight) -> Self {
        Line {
            text: text.to_owned(),
            size_pt,
            weight,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    Regular,
    Bold,
}

/// The service as the ticket names it.
pub fn service_name(service: Service) -> &'static str {
    match service {
        Service::Baru => "PASPOR BARU",
        Service::Penggantian => "PENGGANTIAN PASPOR",
        Service::HilangRusak => "PASPOR HILANG / RUSAK",
    }
}

/// `MARIA GORETI FERNANDES` -> `MARIA G*** F***`: enough for the applicant to recognise their
/// ticket, too little for a bystander to learn who came.
pub fn mask_name(name: &str) -> String {
    let mut words = name.split_whitespace();
    let Some(first) = words.next() else {
        return String::new();
    };
    let mut masked = first.to_owned();
    for word in words {
        if let Some(initial) = word.chars().next() {
            masked.push(' ');
            masked.push(initial);
            masked.push_str("***");
        }
    }
    masked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_layout_ends_with_the_ticket_qr() {
        let view = TicketView {
            ticket_id: "0123456789abcdef0123456789abcdef".into(),
            label: "A-001".into(),
            office_name: "X".into(),
            service: Service::Baru,
            express: false,
            issued_local: String::new(),
            slot: String::new(),
            applicant_masked: String::new(),
            group_pos: 1,
            group_size: 1,
            copy: false,
        };
        let last = view.layout().pop();
        assert_eq!(
            last,
            Some(Block::Qr(
                "HADIR-TIKET:0123456789abcdef0123456789abcdef".into()
            ))
        );
        let (side, modules) = qr_matrix(&view.qr_text()).expect("fits a QR code");
        assert_eq!(modules.len(), side * side);
    }

    #[test]
    fn names_are_masked_after_the_first_word() {
        assert_eq!(mask_name("MARIA GORETI FERNANDES"), "MARIA G*** F***");
        assert_eq!(mask_name("YOSEF"), "YOSEF");
        assert_eq!(mask_name("  "), "");
    }

    #[test]
    fn layout_marks_groups_express_and_copies() {
        let mut view = TicketView {
            ticket_id: "abc".into(),
            label: "A-001".into(),
            office_name: "Kantor Imigrasi".into(),
            service: Service::Baru,
            express: true,
            issued_local: "29-11-2026 08:41 WITA".into(),
            slot: "08:00-09:00".into(),
            applicant_masked: "MARIA G***".into(),
            group_pos: 2,
            group_size: 3,
            copy: true,
        };
        let texts: Vec<String> = view.text_lines().into_iter().map(|l| l.text).collect();
        for expected in [
            "A-001",
            "PERCEPATAN",
            "Pemohon 2/3",
            "SALINAN",
            "PASPOR BARU",
        ] {
            assert!(
                texts.iter().any(|t| t == expected),
                "{expected} missing from {texts:?}"
            );
        }
        view.express = false;
        view.copy = false;
        view.group_size = 1;
        let texts: Vec<String> = view.text_lines().into_iter().map(|l| l.text).collect();
        assert!(!texts
            .iter()
            .any(|t| t == "SALINAN" || t == "PERCEPATAN" || t.starts_with("Pemohon")));
    }
}
