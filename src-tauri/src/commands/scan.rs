use hadir::kiosk::{self, Printing, ScanAnswer};
use hadir::model::Language;
use hadir::store::PrintOutcome;
use hadir::ErrorPayload;
use serde::Serialize;
use std::time::Instant;
use tauri::State;

use crate::KioskState;

/// One scanned line (from the USB scanner's key burst) -> verdict and tickets, committed, or
/// the survey when it is a ticket's QR. New tickets wait for `print_pending`, so the number is
/// on screen before the printer starts. `language` is the page's at the moment of the scan: the
/// tickets are printed in it (the office's when the page does not say).
#[tauri::command]
pub async fn scan(
    state: State<'_, KioskState>,
    text: String,
    language: Option<Language>,
) -> Result<TimedScanAnswer, ErrorPayload> {
    let started = Instant::now();
    let scope = state.call_scope();
    let scanned = kiosk::scan(&text, &scope.ctx(Printing::Later, language)).await;
    state.disk.note("checkin", &scanned, scope.now.timestamp());
    let (result, pending) = scanned.map_err(|error| {
        log::error!("scan failed: {error}");
        ErrorPayload::from(&error)
    })?;
    if !pending.is_empty() {
        state.sync.events_written(); // the check-in's outbox events: push them soon
    }
    state.add_pending_prints(pending);
    Ok(TimedScanAnswer {
        answer: result,
        backend_ms: started.elapsed().as_secs_f64() * 1000.0,
    })
}

/// A scan's answer and how long the backend took to give it (decide, number, commit with
/// fsync): the page's latency breakdown tells it apart from the IPC and the painting. Measured,
/// never decided on.
#[derive(Debug, Serialize)]
pub struct TimedScanAnswer {
    #[serde(flatten)]
    answer: ScanAnswer,
    backend_ms: f64,
}

/// Prints the tickets a result screen shows (by id); one outcome each, in order.
#[tauri::command]
pub async fn print_pending(
    state: State<'_, KioskState>,
    ticket_ids: Vec<String>,
) -> Result<Vec<PrintOutcome>, ErrorPayload> {
    let now = state.office_now();
    state.note_activity(now.timestamp());
    let pending = state.take_pending_prints(&ticket_ids);
    let outcomes = kiosk::print_pending(&pending, &state.config());
    let recorded = kiosk::record_prints(&state.store(), &pending, &outcomes, &now);
    state.disk.note("print_record", &recorded, now.timestamp());
    recorded.map_err(|error| {
        log::error!("print outcome not recorded: {error}");
        ErrorPayload::from(&error)
    })?;
    Ok(outcomes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use hadir::{Config, Store};

    /// The page (ui/app.js `submit`) reads `screen`, `admits`, `code` and `backend_ms` from one
    /// object: the flattened shape is the contract, not the Rust struct.
    #[test]
    fn the_scan_answer_and_its_backend_time_travel_as_one_object() {
        let store = Store::open(std::path::Path::new(":memory:")).expect("in-memory store");
        let state = KioskState::new(Config::default(), store, false, jiff::SignedDuration::ZERO);
        // A fixed time: the answer's shape, not the clock, is under test.
        let now = jiff::Timestamp::from_second(1_796_000_000)
            .expect("a time")
            .to_zoned_datetime(Config::default().time_zone());
        let scope = state.call_scope_at(now);
        let ctx = scope.ctx(Printing::Later, None);
        let (answer, pending) = tauri::async_runtime::block_on(kiosk::scan("MPNOPE0001", &ctx))
            .expect("an unknown code is an answer, not an error");
        assert!(pending.is_empty(), "nothing to print for an unknown code");
        let json = serde_json::to_value(TimedScanAnswer {
            answer,
            backend_ms: 1.5,
        })
        .expect("serialises");
        assert_eq!(json["screen"], "checkin", "{json}");
        assert!(
            json["code"].is_string(),
            "the verdict's code beside it: {json}"
        );
        assert_eq!(json["admits"], false, "{json}");
        assert_eq!(json["backend_ms"], 1.5, "{json}");
        assert!(
            json.get("answer").is_none(),
            "flattened, not nested: {json}"
        );
    }
}
