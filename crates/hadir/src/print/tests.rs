//! Sinks against real stand-ins: a file as the device, a TCP listener as the network printer.
//! Each printed raster is read back and its QR code decoded: what the printer would put on paper.

use std::io::Read;
use std::net::TcpListener;
use std::time::Duration;

use super::*;
use crate::model::Service;
use crate::ticket::raster::Bitmap;

pub(super) fn ticket() -> TicketView {
    TicketView {
        ticket_id: "5f0c8a9e3b1d4c389f1e0d6a2b7c4e11".into(),
        label: "P-012".into(),
        office_name: "Kantor Imigrasi Kelas I TPI Kupang".into(),
        service: Service::HilangRusak,
        express: true,
        priority: false,
        issued_local: "29-11-2026 08:41 WITA".into(),
        slot: "08:00-09:00".into(),
        applicant_masked: "MARIA G*** F***".into(),
        group_pos: 2,
        group_size: 3,
        copy: false,
        language: crate::model::Language::Id,
        queue_outlook: None,
    }
}

/// Decodes the QR code in a raster, as a scanner would read the paper.
pub(crate) fn qr_in(bitmap: &Bitmap) -> String {
    rxing::helpers::detect_in_luma(
        bitmap.to_luma(),
        bitmap.width as u32,
        bitmap.height as u32,
        Some(rxing::BarcodeFormat::QR_CODE),
    )
    .expect("a readable QR code on the ticket")
    .getText()
    .to_owned()
}

#[test]
fn raster_ticket_carries_a_readable_qr_with_the_ticket_id() {
    for paper in [80, 58] {
        let bitmap = render_raster(&ticket(), dots_for_paper(paper)).expect("renders");
        assert_eq!(bitmap.width, if paper == 80 { 576 } else { 384 });
        assert!(
            bitmap.dark.iter().filter(|&&d| d).count() > 5_000,
            "text and QR are drawn"
        );
        assert_eq!(qr_in(&bitmap), ticket().qr_text(), "{paper} mm paper");
    }
}

#[test]
fn escpos_to_a_device_file_holds_the_ticket() {
    let dir = tempfile::tempdir().expect("temp dir");
    let device = dir.path().join("lp0");
    std::fs::write(&device, b"").expect("device node stand-in");
    let sink = PrinterSink::EscposDevice {
        path: device.clone(),
        dots: 576,
    };
    let outcome = sink.print(&ticket(), "2026-11-29");
    assert!(
        matches!(outcome, PrintOutcome::Printed { .. }),
        "{outcome:?}"
    );
    let bitmap = decode_raster(&std::fs::read(&device).expect("bytes")).expect("a raster");
    assert_eq!(qr_in(&bitmap), ticket().qr_text());
}

#[test]
fn escpos_over_tcp_reaches_a_network_printer() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("listener");
    let address = listener.local_addr().expect("address").to_string();
    let printer = std::thread::spawn(move || {
        let (mut socket, _) = listener.accept().expect("the kiosk connects");
        let mut job = Vec::new();
        socket.read_to_end(&mut job).expect("job bytes");
        job
    });
    let sink = PrinterSink::EscposTcp {
        address: address.clone(),
        dots: 384,
        timeout: Duration::from_secs(5),
        // This listener never answers a status query: a printer without real-time status.
        status_query: false,
    };
    let outcome = sink.print(&ticket(), "2026-11-29");
    assert_eq!(
        outcome,
        PrintOutcome::Printed {
            sink: format!("escpos_tcp:{address}")
        }
    );
    let bitmap = decode_raster(&printer.join().expect("printer thread")).expect("a raster");
    assert_eq!(bitmap.width, 384);
    assert_eq!(qr_in(&bitmap), ticket().qr_text());
}

#[test]
fn an_unreachable_printer_is_a_failure_with_a_reason_not_a_panic() {
    let closed = TcpListener::bind("127.0.0.1:0").expect("listener");
    let address = closed.local_addr().expect("address").to_string();
    drop(closed); // nothing listens there now
    let sink = PrinterSink::EscposTcp {
        address,
        dots: 576,
        timeout: Duration::from_millis(500),
        status_query: true,
    };
    match sink.print(&ticket(), "2026-11-29") {
        PrintOutcome::Failed { reason, .. } => assert_eq!(reason, "printer_unreachable"),
        other => panic!("expected a failure, got {other:?}"),
    }
    let missing = PrinterSink::EscposDevice {
        path: std::env::temp_dir().join("hadir-no-such-dir").join("lp0"),
        dots: 576,
    };
    assert!(matches!(
        missing.print(&ticket(), "2026-11-29"),
        PrintOutcome::Failed {
            reason: "printer_unreachable",
            ..
        }
    ));
}
