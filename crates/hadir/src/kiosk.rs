//! One scan at the kiosk, end to end: decide and record ([`crate::checkin::check_in`]), then put
//! the new tickets on paper. The desktop shell and the CLI both call [`handle_scan`].

use jiff::ZonedDateTime;
use serde::Serialize;

use crate::checkin::{check_in, rfc3339, Verdict};
use crate::config::Config;
use crate::error::Result;
use crate::print::PrinterSink;
use crate::store::{PrintOutcome, Store};
use crate::texts::{verdict_messages, Messages};
use crate::ticket::TicketView;

/// What the result screen shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScanResult {
    #[serde(flatten)]
    pub verdict: Verdict,
    /// The verdict in words, Bahasa Indonesia and English (the screens use their own copy of
    /// the same texts; the CLI and logs use this).
    pub message: Messages,
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
        let sink = PrinterSink::from_config(config);
        let at = rfc3339(now);
        for (view, ticket) in tickets.iter().zip(&outcome.tickets) {
            let printed = sink.print(view, &ticket.office_date);
            store.record_print(&ticket.id, &at, false, &printed)?;
            prints.push(printed);
        }
    }
    Ok(ScanResult {
        message: verdict_messages(&outcome.verdict),
        verdict: outcome.verdict,
        tickets,
        prints,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SinkKind;
    use crate::store::tests::fresh_store;

    fn now() -> ZonedDateTime {
        jiff::civil::date(2026, 11, 29)
            .at(9, 30, 0, 0)
            .to_zoned_datetime(jiff::tz::TimeZone::get("Asia/Makassar").expect("tz"))
            .expect("zoned")
    }

    #[test]
    fn a_failed_print_keeps_the_check_in_and_lists_the_ticket_for_reprint() {
        let (dir, mut store) = fresh_store();
        let mut config = Config::default();
        let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("listener");
        config.printer.sink = SinkKind::EscposTcp;
        config.printer.address = Some(closed.local_addr().expect("address").to_string());
        config.printer.timeout_ms = 300;
        drop(closed);
        config.kiosk.data_dir = Some(dir.path().to_owned());
        let (day, _) = crate::demo::fill(&mut store, &now(), &config).expect("demo");
        let code = &day.try_codes[0].booking_code;

        let result = handle_scan(&mut store, code, &now(), &config).expect("scan");
        assert_eq!(result.verdict, Verdict::Ok, "the applicant is checked in");
        assert!(matches!(
            result.prints[0],
            PrintOutcome::Failed {
                reason: "printer_unreachable",
                ..
            }
        ));
        let reprint = store.tickets_to_reprint(now().date()).expect("list");
        assert_eq!(
            reprint.len(),
            1,
            "the unprinted ticket waits for the front desk"
        );
        assert_eq!(reprint[0].label, result.tickets[0].label);

        let again = handle_scan(&mut store, code, &now(), &config).expect("rescan");
        assert_eq!(again.verdict, Verdict::AlreadyCheckedIn);
        assert_eq!(
            again.tickets[0].label, result.tickets[0].label,
            "the same number, never a new one"
        );
    }

    #[test]
    fn a_printed_ticket_is_not_on_the_reprint_list() {
        let (dir, mut store) = fresh_store();
        let mut config = Config::default();
        config.kiosk.data_dir = Some(dir.path().to_owned());
        let (day, _) = crate::demo::fill(&mut store, &now(), &config).expect("demo");
        let result =
            handle_scan(&mut store, &day.try_codes[1].booking_code, &now(), &config).expect("scan");
        assert_eq!(
            result.tickets.len(),
            3,
            "a family of three gets three tickets"
        );
        assert!(result
            .prints
            .iter()
            .all(|p| matches!(p, PrintOutcome::Printed { .. })));
        assert!(store
            .tickets_to_reprint(now().date())
            .expect("list")
            .is_empty());
    }
}
