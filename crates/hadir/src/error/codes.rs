//! Every error code the core gives, listed once, each with the key of its next step. The codes
//! are a contract (the page, the CLI's JSON, scripts and the sync health switch on them); the
//! words are in `ui/i18n/*.json`: `error.<code>.title` says what happened, `error.next.<step>`
//! what to do (several codes may share a step). `crates/hadir/tests/texts.rs` checks that the
//! codes are unique and that every code has both texts in both languages.

use serde::Serialize;

use crate::texts::{both, BothLanguages};

/// Declares [`ErrorCode`] with its code text and its next step's key, one line per code.
macro_rules! error_codes {
    ($($variant:ident = $code:literal, next: $next:literal;)+) => {
        /// One stable error code; [`ErrorCode::ALL`] lists them in the order written here.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ErrorCode {
            $($variant,)+
        }

        impl ErrorCode {
            /// Every code, once.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)+];

            /// The code as the contract writes it (`staff_not_signed_in`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $code,)+
                }
            }

            /// The name of its next step: the text is `error.next.<name>`.
            pub fn next_step_name(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $next,)+
                }
            }
        }
    };
}

error_codes! {
    // The kiosk's own files: configuration, store, folders, tickets.
    ConfigInvalid = "config_invalid", next: "config_file";
    ConfigUnreadable = "config_unreadable", next: "config_file";
    StoreFailed = "store_failed", next: "front_desk";
    IoFailed = "io_failed", next: "front_desk";
    DiskFull = "disk_full", next: "disk_full";
    StoreTooNew = "store_too_new", next: "store_too_new";
    StoreMissing = "store_missing", next: "store_missing";
    FeedInvalid = "feed_invalid", next: "feed_invalid";
    TicketRenderFailed = "ticket_render_failed", next: "front_desk";
    InvalidInput = "invalid_input", next: "invalid_input";
    OfflineBlockExhausted = "offline_block_exhausted", next: "offline_block_exhausted";
    HubUnreachable = "hub_unreachable", next: "hub_unreachable";
    KioskAlreadyRunning = "kiosk_already_running", next: "kiosk_already_running";
    // Backups of the store and restoring one (`crate::backup`).
    BackupFailed = "backup_failed", next: "backup_failed";
    BackupNotFound = "backup_not_found", next: "backup_not_found";
    BackupUnusable = "backup_unusable", next: "backup_unusable";
    StoreDamagedNoBackup = "store_damaged_no_backup", next: "store_damaged_no_backup";
    RestoreKioskRunning = "restore_kiosk_running", next: "restore_kiosk_running";
    // Sync with the office gateway (`SyncFailure`).
    SyncNotConfigured = "sync_not_configured", next: "sync_not_configured";
    SyncUnauthorized = "sync_unauthorized", next: "sync_unauthorized";
    SyncOfficeUnknown = "sync_office_unknown", next: "sync_office_unknown";
    SyncRateLimited = "sync_rate_limited", next: "sync_retries";
    SyncServerError = "sync_server_error", next: "sync_retries";
    SyncUnexpectedStatus = "sync_unexpected_status", next: "sync_retries";
    SyncTimeout = "sync_timeout", next: "sync_retries";
    SyncNetwork = "sync_network", next: "sync_retries";
    SyncBodyTooLarge = "sync_body_too_large", next: "sync_retries";
    SyncBadBody = "sync_bad_body", next: "sync_retries";
    SyncWrongContentType = "sync_wrong_content_type", next: "sync_not_the_feed";
    SyncNotTheFeed = "sync_not_the_feed", next: "sync_not_the_feed";
    SyncFeedMismatch = "sync_feed_mismatch", next: "sync_feed_mismatch";
    // Survey answers (`RatingError`).
    RatingUnknownElement = "rating_unknown_element", next: "rating";
    RatingScoreOutOfRange = "rating_score_out_of_range", next: "rating";
    RatingIncomplete = "rating_incomplete", next: "rating";
    // Staff mode (`StaffRefusal`).
    StaffNotSignedIn = "staff_not_signed_in", next: "sign_in_again";
    StaffSessionExpired = "staff_session_expired", next: "sign_in_again";
    StaffSupervisorOnly = "staff_supervisor_only", next: "staff_supervisor_only";
    StaffReasonRequired = "staff_reason_required", next: "staff_reason_required";
    TicketUnknown = "ticket_unknown", next: "ticket_unknown";
    BookingCodeMalformed = "booking_code_malformed", next: "booking_code_malformed";
    StaffNameTaken = "staff_name_taken", next: "staff_name_taken";
    StaffUnknown = "staff_unknown", next: "staff_unknown";
    StaffPinMalformed = "staff_pin_malformed", next: "staff_pin_malformed";
    StaffRoleUnknown = "staff_role_unknown", next: "staff_role_unknown";
    SearchIncomplete = "search_incomplete", next: "search_incomplete";
    DateMalformed = "date_malformed", next: "date_malformed";
    ExportPeriodInvalid = "export_period_invalid", next: "export_period_invalid";
    ExportPlaceGone = "export_place_gone", next: "export_place_gone";
    ExportPlaceFull = "export_place_full", next: "export_place_full";
    StaffCannotDisableSelf = "staff_cannot_disable_self", next: "staff_cannot_disable_self";
    StaffLastSupervisor = "staff_last_supervisor", next: "staff_last_supervisor";
    WalkinUnknown = "walkin_unknown", next: "walkin_unknown";
    StaffCounterOnly = "staff_counter_only", next: "staff_counter_only";
    // A counter at work (`CounterRefusal`).
    CounterHubUnreachable = "counter_hub_unreachable", next: "counter_hub_unreachable";
    CounterNeedsHub = "counter_needs_hub", next: "counter_needs_hub";
    CounterNobodyWaiting = "counter_nobody_waiting", next: "counter_nobody_waiting";
    CounterBusy = "counter_busy", next: "counter_busy";
    CounterCallAgainFirst = "counter_call_again_first", next: "counter_call_again_first";
    CounterNoTicket = "counter_no_ticket", next: "counter_no_ticket";
    CounterAlreadyServing = "counter_already_serving", next: "counter_already_serving";
    CounterNotSetUp = "counter_not_set_up", next: "counter_not_set_up";
    CounterNumberInvalid = "counter_number_invalid", next: "counter_number_invalid";
    CounterNoServices = "counter_no_services", next: "counter_no_services";
    CounterTransferSameService = "counter_transfer_same_service", next: "counter_transfer_same_service";
}

impl ErrorCode {
    /// The code of a stored text (`sync_state.last_error_code`), if it is one.
    pub fn parse(code: &str) -> Option<ErrorCode> {
        ErrorCode::ALL.iter().copied().find(|c| c.as_str() == code)
    }

    /// What happened, in both languages (`error.<code>.title`).
    pub fn title(self) -> BothLanguages {
        both(
            &format!("error.{}.title", self.as_str()),
            &serde_json::Value::Null,
        )
    }

    /// What the person in front of the kiosk (or the operator) should do next
    /// (`error.next.<name>`).
    pub fn next_step(self) -> BothLanguages {
        both(
            &format!("error.next.{}", self.next_step_name()),
            &serde_json::Value::Null,
        )
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}
