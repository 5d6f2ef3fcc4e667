//! What a ticket says, as one layout model that every output (PDF, ESC/POS raster) renders.
//!
//! Its words come from the screens' own texts (`ui/i18n/*.json`, keys `ticket.*`, `service.*`,
//! `result.applicant`), in the language the applicant used at the kiosk, so a sentence exists
//! once and the paper says what the screen said.

mod pdf;
pub mod raster;

use jiff::ZonedDateTime;
use serde::Serialize;

use crate::checkin::BookingFacts;
use crate::config::Config;
use crate::model::{hh_mm, mask_name, Language, Service};
use crate::queue::is_priority_queue;
use crate::queue_times::QueueOutlook;
use crate::store::{is_walkin_ticket_id, IssuedTicket};
use crate::texts;

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
    /// Called in the priority lane: the ticket and the screen say "Prioritas".
    pub priority: bool,
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
    /// The language the ticket is printed in: the one the applicant used at the kiosk.
    pub language: Language,
    /// People ahead and the estimated wait when it was issued, from the office hub (`None`
    /// without it: only the hub knows the whole office's queue, and for a reprint, whose count
    /// is stale). The screen gets its lines as `ahead_lines` (both languages); the ticket
    /// prints them in its language.
    #[serde(rename = "ahead_lines", serialize_with = "screen_lines")]
    pub queue_outlook: Option<QueueOutlook>,
}

/// `queue_outlook` as the result screen's lines (`QueueOutlook::screen_lines`), none without.
fn screen_lines<S: serde::Serializer>(
    outlook: &Option<QueueOutlook>,
    serializer: S,
) -> std::result::Result<S::Ok, S::Error> {
    let lines = outlook.map(|o| o.screen_lines()).unwrap_or_default();
    serde::Serialize::serialize(&lines, serializer)
}

impl TicketView {
    /// The ticket a check-in issued, in `language`.
    pub fn new(
        ticket: &IssuedTicket,
        booking: &BookingFacts,
        issued: &ZonedDateTime,
        language: Language,
        config: &Config,
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
            office_name: config.office.name.clone(),
            service: booking.service,
            express: booking.express,
            priority: is_priority_queue(&config.queues, &ticket.queue),
            issued_local: issued.strftime("%d-%m-%Y %H:%M %Z").to_string(),
            slot: booking
                .slot
                .map(|(start, end)| format!("{}-{}", hh_mm::format(start), hh_mm::format(end)))
                .unwrap_or_default(),
            applicant_masked: mask_name(name),
            group_pos: ticket.group_pos,
            group_size: ticket.group_size,
            copy: false,
            language,
            queue_outlook: None,
        }
    }

    /// A walk-in's ticket (no booking): the priority lane, the service asked for, no name, no
    /// slot, in `language`. Walk-in tickets are known by their id
    /// ([`crate::store::is_walkin_ticket_id`]), so a reprint says the same.
    pub fn for_walkin(
        ticket: &IssuedTicket,
        service: Service,
        issued: &ZonedDateTime,
        language: Language,
        config: &Config,
    ) -> Self {
        TicketView {
            ticket_id: ticket.id.clone(),
            label: ticket.label.clone(),
            office_name: config.office.name.clone(),
            service,
            express: false,
            priority: is_priority_queue(&config.queues, &ticket.queue),
            issued_local: issued.strftime("%d-%m-%Y %H:%M %Z").to_string(),
            slot: String::new(),
            applicant_masked: String::new(),
            group_pos: 1,
            group_size: 1,
            copy: false,
            language,
            queue_outlook: None,
        }
    }

    /// Issued without a booking: the ticket asks to show a KTP or documents at the counter.
    pub fn is_walkin(&self) -> bool {
        is_walkin_ticket_id(&self.ticket_id)
    }

    /// The text the ticket's QR code holds.
    pub fn qr_text(&self) -> String {
        format!("{TICKET_QR_PREFIX}{}", self.ticket_id)
    }

    /// The ticket top to bottom: text lines, the QR code, and under it what the QR is for.
    pub fn layout(&self) -> Vec<Block> {
        let mut blocks: Vec<Block> = self.text_lines().into_iter().map(Block::Text).collect();
        blocks.push(Block::Qr(self.qr_text()));
        blocks.extend(self.lines_under_qr().into_iter().map(Block::Text));
        blocks
    }

    /// A text of the ticket's language, `{name}` placeholders filled from `params`.
    fn text(&self, key: &str, params: serde_json::Value) -> String {
        texts::text(self.language, key, &params)
    }

    fn text_lines(&self) -> Vec<Line> {
        let none = serde_json::Value::Null;
        let mut lines = vec![
            Line::new(&self.office_name, 9.0, Weight::Bold),
            Line::new(
                &self.text("ticket.heading", none.clone()),
                10.0,
                Weight::Regular,
            ),
            Line::new(&self.label, 44.0, Weight::Bold),
            Line::new(
                &self
                    .text(&format!("service.{}", self.service.as_str()), none.clone())
                    .to_uppercase(),
                14.0,
                Weight::Bold,
            ),
        ];
        if self.express {
            let express = self.text("service.express", none.clone()).to_uppercase();
            lines.push(Line::new(&express, 14.0, Weight::Bold));
        }
        if self.priority {
            let priority = self.text("ticket.priority", none.clone()).to_uppercase();
            lines.push(Line::new(&priority, 14.0, Weight::Bold));
        }
        if self.is_walkin() {
            // "Tanpa pemesanan:" bold, then what to show at the counter.
            let walkin = self.text("ticket.walkin", none.clone());
            for (i, line) in walkin.lines().enumerate() {
                let weight = if i == 0 {
                    Weight::Bold
                } else {
                    Weight::Regular
                };
                lines.push(Line::new(line, 11.0, weight));
            }
        }
        if !self.applicant_masked.is_empty() {
            lines.push(Line::new(&self.applicant_masked, 11.0, Weight::Regular));
        }
        if self.group_size > 1 {
            let position = self.text(
                "result.applicant",
                serde_json::json!({
                    "pos": self.group_pos.to_string(),
                    "size": self.group_size.to_string(),
                }),
            );
            lines.push(Line::new(&position, 11.0, Weight::Regular));
        }
        if !self.slot.is_empty() {
            let slot = self.text("ticket.slot", serde_json::json!({ "slot": self.slot }));
            lines.push(Line::new(&slot, 10.0, Weight::Regular));
        }
        lines.push(Line::new(&self.issued_local, 10.0, Weight::Regular));
        if let Some(outlook) = &self.queue_outlook {
            // "Saat dicetak:" then the count, "Perkiraan tunggu:" then the range.
            for text in outlook.ticket_lines(self.language) {
                for (i, line) in text.lines().enumerate() {
                    let weight = if i == 0 {
                        Weight::Regular
                    } else {
                        Weight::Bold
                    };
                    lines.push(Line::new(line, 10.0, weight));
                }
            }
        }
        lines.push(Line::new(
            &self.text("ticket.wait", none.clone()),
            9.0,
            Weight::Regular,
        ));
        if self.copy {
            lines.push(Line::new(
                &self.text("ticket.copy", none),
                16.0,
                Weight::Bold,
            ));
        }
        lines
    }

    /// What the QR is for, a short line or two under it: rating the service once served.
    fn lines_under_qr(&self) -> Vec<Line> {
        self.text("ticket.rate", serde_json::Value::Null)
            .lines()
            .map(|line| Line::new(line, 8.0, Weight::Regular))
            .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn view() -> TicketView {
        TicketView {
            ticket_id: "0123456789abcdef0123456789abcdef".into(),
            label: "A-001".into(),
            office_name: "Kantor Imigrasi Kelas I TPI Kupang".into(),
            service: Service::Baru,
            express: false,
            priority: false,
            issued_local: "29-11-2026 08:41 WITA".into(),
            slot: "08:00-09:00".into(),
            applicant_masked: "MARIA G***".into(),
            group_pos: 1,
            group_size: 1,
            copy: false,
            language: Language::Id,
            queue_outlook: None,
        }
    }

    fn texts(view: &TicketView) -> Vec<String> {
        view.layout()
            .into_iter()
            .filter_map(|block| match block {
                Block::Text(line) => Some(line.text),
                Block::Qr(_) => None,
            })
            .collect()
    }

    #[test]
    fn the_qr_is_followed_only_by_what_it_is_for() {
        let view = view();
        let layout = view.layout();
        let qr_at = layout
            .iter()
            .position(|b| matches!(b, Block::Qr(_)))
            .expect("a QR code");
        assert_eq!(
            layout[qr_at],
            Block::Qr("HADIR-TIKET:0123456789abcdef0123456789abcdef".into())
        );
        let under: Vec<String> = layout[qr_at + 1..]
            .iter()
            .map(|b| match b {
                Block::Text(line) => line.text.clone(),
                Block::Qr(_) => panic!("one QR code"),
            })
            .collect();
        let under = under.join(" ");
        assert!(
            under.contains("pindai QR ini") && under.contains("menilai layanan"),
            "the line under the QR says it rates the service: {under}"
        );
        assert!(under.contains("dilayani"), "after being served: {under}");
        let (side, modules) = qr_matrix(&view.qr_text()).expect("fits a QR code");
        assert_eq!(modules.len(), side * side);
    }

    #[test]
    fn layout_marks_groups_express_priority_and_copies() {
        let mut view = TicketView {
            express: true,
            priority: true,
            group_pos: 2,
            group_size: 3,
            copy: true,
            ..view()
        };
        let texts_id = texts(&view);
        for expected in [
            "NOMOR ANTREAN",
            "A-001",
            "PASPOR BARU",
            "PERCEPATAN",
            "PRIORITAS",
            "Pemohon 2/3",
            "Jadwal 08:00-09:00",
            "SALINAN",
        ] {
            assert!(
                texts_id.iter().any(|t| t == expected),
                "{expected} missing from {texts_id:?}"
            );
        }
        view.express = false;
        view.priority = false;
        view.copy = false;
        view.group_size = 1;
        let plain = texts(&view);
        assert!(!plain.iter().any(|t| t == "SALINAN"
            || t == "PERCEPATAN"
            || t == "PRIORITAS"
            || t.starts_with("Pemohon")));
    }

    #[test]
    fn an_english_ticket_says_it_all_in_english() {
        let english = TicketView {
            service: Service::HilangRusak,
            express: true,
            priority: true,
            group_pos: 1,
            group_size: 2,
            copy: true,
            language: Language::En,
            ..view()
        };
        let texts = texts(&english);
        for expected in [
            "QUEUE NUMBER",
            "LOST / DAMAGED PASSPORT",
            "EXPRESS",
            "PRIORITY",
            "Applicant 1/2",
            "COPY",
        ] {
            assert!(
                texts.iter().any(|t| t == expected),
                "{expected} missing from {texts:?}"
            );
        }
        let all = texts.join(" ");
        assert!(all.contains("rate"), "the QR line in English: {all}");
        for indonesian in ["NOMOR", "PASPOR", "Jadwal", "Pemohon", "Silakan", "SALINAN"] {
            assert!(!all.contains(indonesian), "{indonesian} in {all}");
        }
    }

    #[test]
    fn a_walkin_ticket_asks_for_a_ktp_at_the_counter_in_its_language() {
        let walkin = TicketView {
            ticket_id: format!("{}0123456789abcdef", crate::store::WALKIN_TICKET_ID_PREFIX),
            label: "P-014".into(),
            priority: true,
            slot: String::new(),
            applicant_masked: String::new(),
            ..view()
        };
        assert!(walkin.is_walkin());
        let id = texts(&walkin);
        assert!(id.iter().any(|t| t == "Tanpa pemesanan:"), "{id:?}");
        assert!(
            id.iter().any(|t| t.contains("KTP/dokumen di loket")),
            "{id:?}"
        );
        assert!(!id.iter().any(|t| t.starts_with("Jadwal")), "no slot");
        let english = texts(&TicketView {
            language: Language::En,
            ..walkin.clone()
        });
        assert!(english.iter().any(|t| t == "No booking:"), "{english:?}");
        let booked = texts(&view());
        assert!(
            !booked.iter().any(|t| t.contains("KTP")),
            "a booking's ticket says nothing of it: {booked:?}"
        );
    }

    #[test]
    fn people_ahead_and_the_estimate_print_in_the_ticket_language_only_when_known() {
        let outlook = QueueOutlook {
            people_ahead: 3,
            estimate: Some(crate::queue_times::WaitEstimate {
                low_minutes: 10,
                high_minutes: 20,
            }),
        };
        let with = TicketView {
            queue_outlook: Some(outlook),
            ..view()
        };
        let id = texts(&with);
        for expected in [
            "Saat dicetak:",
            "3 orang di depan Anda",
            "Perkiraan tunggu:",
            "sekitar 10-20 menit",
        ] {
            assert!(id.iter().any(|t| t == expected), "{expected}: {id:?}");
        }
        let english = texts(&TicketView {
            language: Language::En,
            ..with.clone()
        });
        for expected in ["When printed:", "3 ahead of you", "about 10-20 min"] {
            assert!(
                english.iter().any(|t| t == expected),
                "{expected}: {english:?}"
            );
        }
        // Before the QR: the QR is followed only by what it is for.
        let layout = with.layout();
        let qr_at = layout.iter().position(|b| matches!(b, Block::Qr(_)));
        let ahead_at = layout
            .iter()
            .position(|b| matches!(b, Block::Text(l) if l.text == "3 orang di depan Anda"));
        assert!(ahead_at < qr_at, "{layout:?}");
        let count_only = texts(&TicketView {
            queue_outlook: Some(QueueOutlook {
                people_ahead: 0,
                estimate: None,
            }),
            ..view()
        });
        assert!(count_only
            .iter()
            .any(|t| t == "tidak ada yang menunggu di depan Anda"));
        assert!(!count_only.iter().any(|t| t.contains("sekitar")));
        let without = texts(&view()).join("\n");
        assert!(
            !without.contains("di depan Anda") && !without.contains("Saat dicetak"),
            "no hub, no lines: {without}"
        );
    }

    #[test]
    fn the_screen_gets_the_lines_in_both_languages_and_none_without_the_hub() {
        let with = TicketView {
            queue_outlook: Some(QueueOutlook {
                people_ahead: 2,
                estimate: None,
            }),
            ..view()
        };
        let json = serde_json::to_value(&with).expect("serialises");
        assert_eq!(
            json["ahead_lines"],
            serde_json::json!([{ "id": "Di depan Anda: 2 orang", "en": "People ahead of you: 2" }])
        );
        let json = serde_json::to_value(view()).expect("serialises");
        assert_eq!(json["ahead_lines"], serde_json::json!([]));
    }

    #[test]
    fn every_ticket_text_exists_in_both_languages() {
        for language in [Language::Id, Language::En] {
            let full = TicketView {
                express: true,
                priority: true,
                group_size: 2,
                copy: true,
                language,
                ..view()
            };
            for service in [Service::Baru, Service::Penggantian, Service::HilangRusak] {
                let texts = texts(&TicketView {
                    service,
                    ..full.clone()
                });
                assert!(
                    texts.iter().all(|t| !t.trim().is_empty()),
                    "{language:?} {service:?}: an empty line means a missing text: {texts:?}"
                );
            }
        }
    }
}
