//! Why a staff-mode action was refused, with a stable code and a next step each. Kept with the
//! other errors so that [`super::Error`] holds it without reaching up to the front desk.

use super::ErrorText;

/// Why a staff action was refused. Nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StaffRefusal {
    #[error("staff mode needs a sign-in")]
    NotSignedIn,
    #[error("the staff session ended after idle minutes")]
    SessionExpired,
    #[error("only a supervisor may do this")]
    SupervisorOnly,
    #[error("a reason is required")]
    ReasonRequired,
    #[error("no ticket {0:?} today")]
    TicketUnknown(String),
    #[error("the booking code {0:?} is not a booking code")]
    BookingCodeMalformed(String),
    #[error("a staff account named {0:?} exists")]
    NameTaken(String),
    #[error("no staff account named {0:?}")]
    StaffUnknown(String),
    #[error("a staff PIN is 4 to 8 digits")]
    PinMalformed,
    #[error("role {0:?} is not frontdesk or supervisor")]
    RoleUnknown(String),
    #[error("a name and a birth date (DD-MM-YYYY) are both needed")]
    SearchIncomplete,
    #[error("{0:?} is not a date (DD-MM-YYYY)")]
    DateMalformed(String),
    #[error("the export period {0} is not one the kiosk can export")]
    PeriodInvalid(String),
    #[error("{0:?} is no longer offered for exports (stick removed?)")]
    ExportPlaceGone(String),
    #[error("a staff account cannot be disabled by itself")]
    CannotDisableSelf,
    #[error("{0:?} is the last active supervisor")]
    LastSupervisor(String),
}

impl StaffRefusal {
    pub fn code(&self) -> &'static str {
        match self {
            StaffRefusal::NotSignedIn => "staff_not_signed_in",
            StaffRefusal::SessionExpired => "staff_session_expired",
            StaffRefusal::SupervisorOnly => "staff_supervisor_only",
            StaffRefusal::ReasonRequired => "staff_reason_required",
            StaffRefusal::TicketUnknown(_) => "ticket_unknown",
            StaffRefusal::BookingCodeMalformed(_) => "booking_code_malformed",
            StaffRefusal::NameTaken(_) => "staff_name_taken",
            StaffRefusal::StaffUnknown(_) => "staff_unknown",
            StaffRefusal::PinMalformed => "staff_pin_malformed",
            StaffRefusal::RoleUnknown(_) => "staff_role_unknown",
            StaffRefusal::SearchIncomplete => "search_incomplete",
            StaffRefusal::DateMalformed(_) => "date_malformed",
            StaffRefusal::PeriodInvalid(_) => "export_period_invalid",
            StaffRefusal::ExportPlaceGone(_) => "export_place_gone",
            StaffRefusal::CannotDisableSelf => "staff_cannot_disable_self",
            StaffRefusal::LastSupervisor(_) => "staff_last_supervisor",
        }
    }

    pub fn next_step(&self) -> ErrorText {
        let (id, en) = match self {
            StaffRefusal::NotSignedIn | StaffRefusal::SessionExpired => (
                "Masuk lagi dengan PIN Anda (tekan lama logo 3 detik).",
                "Sign in again with your PIN (hold the logo for 3 seconds).",
            ),
            StaffRefusal::SupervisorOnly => (
                "Minta supervisor untuk masuk dan melakukannya.",
                "Ask a supervisor to sign in and do it.",
            ),
            StaffRefusal::ReasonRequired => (
                "Tulis alasan singkat (atau pilih salah satu), lalu coba lagi.",
                "Write a short reason (or pick one), then try again.",
            ),
            StaffRefusal::TicketUnknown(_) => (
                "Periksa nomor tiket (mis. A-012); hanya tiket hari ini yang bisa dicetak ulang.",
                "Check the ticket number (e.g. A-012); only today's tickets can be reprinted.",
            ),
            StaffRefusal::BookingCodeMalformed(_) => (
                "Kode pemesanan diawali MP dan terdiri dari 10 huruf/angka; periksa lalu coba lagi.",
                "A booking code starts with MP and has 10 letters/digits; check it and try again.",
            ),
            StaffRefusal::NameTaken(_) => (
                "Pilih nama lain, atau atur ulang PIN akun yang ada.",
                "Choose another name, or reset the existing account's PIN.",
            ),
            StaffRefusal::StaffUnknown(_) => (
                "Pilih nama dari daftar staf.",
                "Pick a name from the staff list.",
            ),
            StaffRefusal::PinMalformed => (
                "Masukkan PIN 4 sampai 8 angka.",
                "Enter a PIN of 4 to 8 digits.",
            ),
            StaffRefusal::RoleUnknown(_) => (
                "Pilih peran frontdesk atau supervisor.",
                "Choose the role frontdesk or supervisor.",
            ),
            StaffRefusal::SearchIncomplete => (
                "Isi sebagian nama dan tanggal lahir (HH-BB-TTTT, mis. 01-02-1990), atau cari dengan kode pemesanan.",
                "Enter part of the name and the birth date (DD-MM-YYYY, e.g. 01-02-1990), or search by booking code.",
            ),
            StaffRefusal::DateMalformed(_) => (
                "Tulis tanggal sebagai HH-BB-TTTT, mis. 29-11-2026, atau kosongkan untuk hari ini.",
                "Write the date as DD-MM-YYYY, e.g. 29-11-2026, or leave it empty for today.",
            ),
            StaffRefusal::PeriodInvalid(_) => (
                "Tanggal \"Dari\" harus sama dengan atau sebelum \"Sampai\", dan satu ekspor paling lama 366 hari.",
                "The \"From\" date must be on or before \"To\", and one export covers at most 366 days.",
            ),
            StaffRefusal::ExportPlaceGone(_) => (
                "Flashdisk itu tidak ditemukan lagi (dicabut?). Pasang lagi, tekan \"Pilih folder\", lalu pilih tempatnya.",
                "That USB stick is gone (removed?). Plug it in again, press \"Choose a folder\" and pick it.",
            ),
            StaffRefusal::CannotDisableSelf => (
                "Akun Anda sendiri tidak bisa dinonaktifkan. Minta supervisor lain melakukannya, atau atur ulang PIN Anda.",
                "You cannot disable your own account. Ask another supervisor to do it, or reset your PIN.",
            ),
            StaffRefusal::LastSupervisor(_) => (
                "Ini supervisor aktif terakhir: tanpa dia, akun, ekspor dan pengaturan tertutup. Tambah atau aktifkan supervisor lain dulu; untuk mengunci orangnya, atur ulang PIN-nya.",
                "This is the last active supervisor: without one, accounts, export and settings are closed. Add or enable another supervisor first; to lock the person out, reset the PIN instead.",
            ),
        };
        ErrorText { id, en }
    }
}
