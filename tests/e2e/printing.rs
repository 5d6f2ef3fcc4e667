//! The OS-printer path through a real CUPS scheduler and a cups-pdf queue: the ticket that comes
//! out has the number as text and a QR code a scanner can read.

use std::sync::Mutex;
use std::time::Duration;

use hadir::model::Service;
use hadir::print::PrinterSink;
use hadir::store::PrintOutcome;
use hadir::ticket::TicketView;
use hadir_e2e::{pdf_text, qr_on_pdf, CupsPdfQueue};

/// One CUPS queue at a time.
static ONE_QUEUE: Mutex<()> = Mutex::new(());

fn ticket(label: &str) -> TicketView {
    TicketView {
        ticket_id: "0f1e2d3c4b5a69788796a5b4c3d2e1f0".into(),
        label: label.into(),
        office_name: "Kantor Imigrasi Kelas I TPI Kupang".into(),
        service: Service::Baru,
        express: false,
        priority: false,
        issued_local: "29-11-2026 08:41 WITA".into(),
        slot: "08:00-09:00".into(),
        applicant_masked: "YOSEF L***".into(),
        group_pos: 1,
        group_size: 1,
        copy: false,
        language: hadir::model::Language::Id,
        queue_outlook: None,
    }
}

fn os_pdf(queue: &CupsPdfQueue) -> PrinterSink {
    PrinterSink::OsPdf {
        printer: queue.name.clone(),
        paper_width_mm: 80,
        timeout: Duration::from_secs(10),
    }
}

#[test]
fn a_ticket_printed_through_cups_has_its_number_and_a_readable_qr() {
    let _turn = ONE_QUEUE.lock().unwrap_or_else(|p| p.into_inner());
    let queue = CupsPdfQueue::start("HadirTestPdf");
    let ticket = ticket("A-042");
    let outcome = os_pdf(&queue).print(&ticket, "2026-11-29");
    assert_eq!(
        outcome,
        PrintOutcome::Printed {
            sink: "os_pdf:HadirTestPdf".into()
        }
    );
    let pdf = queue.wait_for_pdf(&[]);
    let text = pdf_text(&pdf);
    assert!(
        text.contains("A-042"),
        "the printed page shows the number: {text}"
    );
    assert_eq!(
        qr_on_pdf(&pdf),
        ticket.qr_text(),
        "the QR on paper holds the ticket id"
    );
}

#[test]
fn a_queue_that_rejects_jobs_is_a_failed_print_and_recovers() {
    let _turn = ONE_QUEUE.lock().unwrap_or_else(|p| p.into_inner());
    let queue = CupsPdfQueue::start("HadirTestReject");
    queue.accept_jobs(false);
    match os_pdf(&queue).print(&ticket("B-001"), "2026-11-29") {
        PrintOutcome::Failed { reason, detail, .. } => {
            assert_eq!(reason, "printer_refused", "{detail}");
        }
        other => panic!("a rejecting queue cannot print: {other:?}"),
    }
    queue.accept_jobs(true);
    let outcome = os_pdf(&queue).print(&ticket("B-002"), "2026-11-29");
    assert!(
        matches!(outcome, PrintOutcome::Printed { .. }),
        "prints again once accepting: {outcome:?}"
    );
}

#[test]
fn a_disabled_queue_gets_no_job_and_prints_once_enabled() {
    let _turn = ONE_QUEUE.lock().unwrap_or_else(|p| p.into_inner());
    let queue = CupsPdfQueue::start("HadirTestDisabled");
    // Paused (what CUPS also does by itself when the printer behind a queue fails): the queue
    // would accept a job and print it late, after the applicant has gone to the front desk.
    queue.enable(false);
    match os_pdf(&queue).print(&ticket("C-001"), "2026-11-29") {
        PrintOutcome::Failed { reason, detail, .. } => {
            assert_eq!(reason, "printer_disabled", "{detail}");
        }
        other => panic!("a paused queue cannot print now: {other:?}"),
    }
    assert_eq!(
        queue.pending_jobs(),
        0,
        "nothing was submitted to wait in the paused queue"
    );
    queue.enable(true);
    let outcome = os_pdf(&queue).print(&ticket("C-002"), "2026-11-29");
    assert!(
        matches!(outcome, PrintOutcome::Printed { .. }),
        "prints again once enabled: {outcome:?}"
    );
    let pdf = queue.wait_for_pdf(&[]);
    assert!(pdf_text(&pdf).contains("C-002"), "the new ticket came out");
    // Had C-001 been submitted, enabling the queue would print it now, late.
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(
        queue.pdfs(),
        vec![pdf],
        "only the ticket printed after enabling"
    );
}

/// `hadir doctor`'s printer line for a CUPS queue: ready, paused, rejecting, and a queue CUPS
/// does not know; nothing is printed by asking.
#[test]
fn the_doctor_asks_the_cups_queue_without_printing() {
    let _turn = ONE_QUEUE.lock().unwrap_or_else(|p| p.into_inner());
    let queue = CupsPdfQueue::start("HadirTestDoctor");
    let mut config = hadir::Config::default();
    config.printer.sink = hadir::config::SinkKind::OsPdf;
    config.printer.name = Some(queue.name.clone());
    let line = |config: &hadir::Config| {
        let check = hadir::doctor::printer(config);
        let code = check.advice.as_ref().map(|a| a.code).unwrap_or("");
        (check.status, code, check.detail)
    };
    let (status, _, detail) = line(&config);
    assert_eq!(status, hadir::doctor::Status::Pass, "{detail}");

    queue.enable(false);
    let (status, code, detail) = line(&config);
    assert_eq!(status, hadir::doctor::Status::Fail, "{detail}");
    assert_eq!(code, "printer_disabled", "{detail}");
    queue.enable(true);

    queue.accept_jobs(false);
    let (status, code, detail) = line(&config);
    assert_eq!(status, hadir::doctor::Status::Fail, "{detail}");
    assert_eq!(code, "printer_refused", "{detail}");
    queue.accept_jobs(true);

    config.printer.name = Some("HadirNoSuchQueue".into());
    let (status, code, detail) = line(&config);
    assert_eq!(status, hadir::doctor::Status::Fail, "{detail}");
    assert_eq!(code, "printer_unreachable", "{detail}");

    assert_eq!(queue.pending_jobs(), 0, "asking submitted nothing");
    assert!(queue.pdfs().is_empty(), "asking printed nothing");
}
