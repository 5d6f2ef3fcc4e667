//! One scan at the kiosk, end to end: decide and record ([`crate::checkin::check_in`]), then put
//! the new tickets on paper. The desktop shell and the CLI both call [`handle_scan`].

use jiff::ZonedDateTime;
use serde::Serialize;

use crate::checkin::{check_in, rfc3339, Verdict};
use crate::config::Config;
use crate::error::Result;
use crate::print::PdfFolder;
use crate::store::{PrintOutcome, Store};
use crate::ticket::TicketView;

/// What the result screen shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScanResult {
    #[serde(flatten)]
    pub verdict: Verdict,
    pub tickets: Vec<TicketView>,
    /// One outcome per new ticket; empty when nothing was printed (refusals, already checked in).
    pub prints: Vec<PrintOutcome>,
}

/// Handles one scanned line at `now` and prints what it issues.
pub fn handle_scan(
    store: &mut Store,
    raw: &str,
    now: &ZonedDateTime,
    config: &Config,
) -> Result<ScanResult> {
    let outcome = check_in(store, raw, now, config)?;
    let tickets: Vec<TicketView> = match &outcome.booking {
        Some(booking) => outcome
            .tickets
            .iter()
            .map(|ticket| {
                let issued = ticket
                    .issued_at
                    .parse::<jiff::Timestamp>()
                    .map(|ts| ts.to_zoned_datetime(now.time_zone().clone()))
                    .unwrap_or_else(|_| now.clone());
                TicketView::new(ticket, booking, &config.office.name, &issued)
            })
            .collect(),
        None => Vec::new(),
    };
    let mut prints = Vec::new();
    if outcome.verdict == Verdict::Ok {
        let sink = PdfFolder {
            dir: config.pdf_dir(),
            paper_width_mm: config.printer.paper_width_mm,
        };
        let at = rfc3339(now);
        for (view, ticket) in tickets.iter().zip(&outcome.tickets) {
            let printed = sink.print(view, &ticket.office_date);
            store.record_print(&ticket.id, &at, false, &printed)?;
            prints.push(printed);
        }
    }
    Ok(ScanResult {
        verdict: outcome.verdict,
        tickets,
        prints,
    })
}
