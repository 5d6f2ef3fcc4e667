//! ESC/POS real-time status: `DLE EOT n` (`10 04 n`), answered with one byte each, even while
//! the printer is offline. Bit meanings from Epson's ESC/POS command reference ("DLE EOT:
//! Transmit real-time status"; TM-T88III reference ver. 10.01 p. 304 for n = 4, TM-U220A and
//! TM-L60II pages for n = 1 and 2); Bixolon and Samsung SRP manuals list the same bits.
//!
//! | n | bit | meaning when on |
//! |---|---|---|
//! | 1 printer | 3 (`0x08`) | offline |
//! | 2 offline cause | 2 (`0x04`) | cover open |
//! | 2 offline cause | 3 (`0x08`) | paper being fed with the FEED button |
//! | 2 offline cause | 5 (`0x20`) | printing stopped: paper end |
//! | 2 offline cause | 6 (`0x40`) | error (cutter, head temperature, ...) |
//! | 4 roll paper sensor | 2-3 (`0x0C`) | paper near end |
//! | 4 roll paper sensor | 5-6 (`0x60`) | paper end |
//!
//! Every answer has bits 1 and 4 on and bits 0 and 7 off (`0xx1xx10`); that tells it apart from
//! other bytes a printer may send (Automatic Status Back blocks).

use super::PrintFailure;

/// `DLE EOT 1`: printer status.
pub(crate) const PRINTER: u8 = 1;
/// `DLE EOT 2`: why the printer is offline.
pub(crate) const OFFLINE_CAUSE: u8 = 2;
/// `DLE EOT 4`: roll paper sensor.
pub(crate) const PAPER_SENSOR: u8 = 4;

const OFFLINE: u8 = 0x08;
const COVER_OPEN: u8 = 0x04;
const FEED_BUTTON: u8 = 0x08;
const PAPER_END_STOP: u8 = 0x20;
const ERROR: u8 = 0x40;
const PAPER_NEAR_END: u8 = 0x0C;
const PAPER_END: u8 = 0x60;

/// The bytes that ask for status `n`.
pub(crate) fn query(n: u8) -> [u8; 3] {
    [0x10, 0x04, n]
}

/// Whether `byte` can be an answer to `DLE EOT` (fixed bits `0xx1xx10`).
pub(crate) fn is_answer(byte: u8) -> bool {
    byte & 0x93 == 0x12
}

/// The printer's answers to `DLE EOT 1`, `2` and `4`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RealTimeStatus {
    pub printer: u8,
    pub offline_cause: u8,
    pub paper: u8,
}

/// A printer that can print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ready {
    Yes,
    /// The roll is nearly used up: print, and tell staff through the log.
    PaperNearEnd,
}

impl RealTimeStatus {
    /// Whether a job may be sent, or the stable reason it may not. Paper first: staff refilling
    /// the roll open the cover anyway.
    pub(crate) fn ready(&self, address: &str) -> Result<Ready, PrintFailure> {
        let detail = |what: &str| {
            format!(
                "{address}: {what} (DLE EOT 1/2/4 = {:#04x} {:#04x} {:#04x})",
                self.printer, self.offline_cause, self.paper
            )
        };
        if self.paper & PAPER_END != 0 || self.offline_cause & PAPER_END_STOP != 0 {
            return Err(PrintFailure::new("printer_paper_out", detail("paper out")));
        }
        if self.offline_cause & COVER_OPEN != 0 {
            return Err(PrintFailure::new(
                "printer_cover_open",
                detail("cover open"),
            ));
        }
        if self.offline_cause & ERROR != 0 {
            return Err(PrintFailure::new(
                "printer_error",
                detail("printer error (jam, cutter or head temperature)"),
            ));
        }
        if self.printer & OFFLINE != 0 || self.offline_cause & FEED_BUTTON != 0 {
            return Err(PrintFailure::new("printer_offline", detail("offline")));
        }
        if self.paper & PAPER_NEAR_END != 0 {
            return Ok(Ready::PaperNearEnd);
        }
        Ok(Ready::Yes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(printer: u8, offline_cause: u8, paper: u8) -> Result<Ready, &'static str> {
        RealTimeStatus {
            printer,
            offline_cause,
            paper,
        }
        .ready("10.0.0.5:9100")
        .map_err(|f| f.reason)
    }

    #[test]
    fn a_healthy_printer_answers_with_only_the_fixed_bits() {
        assert_eq!(status(0x12, 0x12, 0x12), Ok(Ready::Yes));
        // The drawer sensor (DLE EOT 1 bit 2) says nothing about printing.
        assert_eq!(status(0x16, 0x12, 0x12), Ok(Ready::Yes));
    }

    #[test]
    fn each_fault_has_its_reason() {
        assert_eq!(status(0x1A, 0x32, 0x7E), Err("printer_paper_out"));
        // A printer whose paper-end sensor is not wired to stop printing.
        assert_eq!(status(0x12, 0x12, 0x72), Err("printer_paper_out"));
        assert_eq!(status(0x1A, 0x16, 0x12), Err("printer_cover_open"));
        assert_eq!(status(0x1A, 0x52, 0x12), Err("printer_error"));
        assert_eq!(status(0x1A, 0x12, 0x12), Err("printer_offline"));
        assert_eq!(status(0x1A, 0x1A, 0x12), Err("printer_offline"));
    }

    #[test]
    fn near_end_still_prints() {
        assert_eq!(status(0x12, 0x12, 0x1E), Ok(Ready::PaperNearEnd));
    }

    #[test]
    fn answers_are_told_from_other_bytes_by_their_fixed_bits() {
        for answer in [0x12, 0x16, 0x1A, 0x32, 0x52, 0x7E] {
            assert!(is_answer(answer), "{answer:#04x}");
        }
        // Automatic Status Back's first byte has bit 1 off; its others have bit 4 off.
        for other in [0x00, 0x10, 0x14, 0x0F, 0x80, 0x92] {
            assert!(!is_answer(other), "{other:#04x}");
        }
    }
}
