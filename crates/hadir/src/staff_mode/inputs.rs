//! What the staff screen's fields take, from the rules that judge them (`kiosk_info` carries it
//! to the page, which stops its on-screen keys there).

use serde::Serialize;

use crate::config::Config;

/// Longest reason kept with a staff action.
pub const MAX_REASON_CHARS: usize = 200;

/// What the staff screen's fields take, from the rules that judge them: the on-screen keys
/// stop at these lengths, and a scanner may type up to `scan_chars` into the fields a code can
/// be scanned into (the booking search, the reprint's ticket number).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaffInputs {
    pub booking_code_chars: usize,
    pub scan_chars: usize,
    pub ticket_chars: usize,
    /// The queues' letters (`[queues]`), the ticket number pad's letter keys.
    pub ticket_queues: Vec<String>,
    pub reason_chars: usize,
    pub date_chars: usize,
    pub staff_name_chars: usize,
    pub pin_min: usize,
    pub pin_max: usize,
}

pub fn staff_inputs(config: &Config) -> StaffInputs {
    let queues = &config.queues;
    let mut ticket_queues: Vec<String> = Vec::new();
    for letters in [
        &queues.baru,
        &queues.penggantian,
        &queues.hilang_rusak,
        &queues.priority,
    ] {
        if !ticket_queues.contains(letters) {
            ticket_queues.push(letters.clone());
        }
    }
    StaffInputs {
        booking_code_chars: *crate::model::BOOKING_CODE_LEN.end(),
        scan_chars: crate::booking::MAX_SCAN_BYTES,
        ticket_chars: crate::queue::TYPED_LABEL_MAX_CHARS,
        ticket_queues,
        reason_chars: MAX_REASON_CHARS,
        date_chars: crate::model::dates::ENTRY_CHARS,
        staff_name_chars: crate::staff::MAX_NAME_CHARS,
        pin_min: *crate::staff::PIN_DIGITS.start(),
        pin_max: *crate::staff::PIN_DIGITS.end(),
    }
}
