//! Kiosk configuration: one TOML file, every key documented in `docs/configuration.md`.
//!
//! Where the file is looked for: [`search`] (`--config`, else the user's file, else the computer's).
//! No file anywhere means defaults (and a log line saying so); a file that exists but is wrong
//! stops the start with an error naming the key and the line, so the kiosk never runs
//! half-configured.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{ConfigFault, ConfigFaultKind, Error, Result};
use crate::model::Language;

mod backup;
mod calling;
mod display;
mod doctor;
mod faults;
mod hub;
mod logs;
mod office_tools;
mod page_refresh;
mod renderer;
mod role;
mod search;
mod validate;
mod walkin;
pub use backup::BackupConfig;
pub use calling::{CallingConfig, MAX_PRIORITY_STREAK, MAX_RECALLS_BEFORE_NO_SHOW};
pub use display::{DisplayConfig, MAX_CURRENT_CALLS, MAX_RECENT_CALLS};
pub use doctor::DoctorConfig;
pub use hub::{HubConfig, HubUrl};
pub use logs::LogsConfig;
pub use office_tools::{PrivacyConfig, StaffConfig, SurveyConfig};
pub use page_refresh::PageRefreshAt;
pub use renderer::GpuRenderer;
pub use role::AppRole;
pub use search::{load_from, search_list, system_config_dir, user_config_dir};
pub use walkin::{
    category_quota_key, CategoryQuota, QuotaBy, WalkinConfig, ALL_CATEGORIES, ALL_SERVICES,
    MAX_DAILY_QUOTA,
};

use faults::{fault_at, fault_of_key, kind_of};

/// File name looked for in the user's and the computer's config folders when no path is given.
pub const CONFIG_FILE_NAME: &str = "hadir.toml";

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// What this installation is: the applicants' kiosk (default), a counter or the display.
    pub role: AppRole,
    /// Camera fallback for kiosks without a USB scanner: a live preview on the welcome screen
    /// and continuous QR decoding. Off by default (a scanner is faster and more reliable).
    pub camera: bool,
    /// The office hub (PostgreSQL) shared by the office's kiosks; absent: standalone.
    pub hub_url: Option<HubUrl>,
    pub office: OfficeConfig,
    pub kiosk: KioskConfig,
    pub checkin: CheckinConfig,
    /// Ed25519 verification keys for signed booking tokens, by key id (base64url, no padding).
    pub keys: BTreeMap<String, String>,
    pub queues: QueueConfig,
    pub screens: ScreensConfig,
    pub printer: PrinterConfig,
    pub upstream: UpstreamConfig,
    pub survey: SurveyConfig,
    pub staff: StaffConfig,
    pub privacy: PrivacyConfig,
    pub hub: HubConfig,
    /// Size cap and count of the log files in `log_dir()`.
    pub logs: LogsConfig,
    /// Limits `hadir doctor` judges this kiosk by.
    pub doctor: DoctorConfig,
    /// Priority walk-ins without a booking: who, which services, the daily quota.
    pub walkin: WalkinConfig,
    /// Copies of the store: how often, where to, how many kept.
    pub backup: BackupConfig,
    /// How counters call tickets at the hub: lanes, fairness, slots, no-shows, transfers.
    pub calling: CallingConfig,
    /// What the waiting-room display shows and says (`role = "display"`).
    pub display: DisplayConfig,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OfficeConfig {
    /// Office id as the booking feed spells it, e.g. `KANIM-KUPANG`.
    pub id: String,
    /// Name printed on tickets and shown on screen.
    pub name: String,
    /// IANA time zone of the office; every "today" and slot time is read in it.
    pub time_zone: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KioskConfig {
    /// This kiosk's id, written on every event it sends upstream.
    pub id: String,
    /// Language the welcome screen starts in.
    pub language: Language,
    /// Where the SQLite file and ticket PDFs live. Empty: the platform's data directory.
    pub data_dir: Option<PathBuf>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CheckinConfig {
    /// Check-in opens this many minutes before the slot starts.
    pub early_minutes: u32,
    /// Check-in stays open this many minutes after the slot ends.
    pub late_minutes: u32,
}

/// How the applicant screens behave.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScreensConfig {
    /// A result or refusal screen returns to welcome after this many seconds.
    pub result_reset_seconds: u32,
    /// The manual entry screen returns to welcome after this many seconds without a touch.
    pub manual_reset_seconds: u32,
    /// Volume of the success and refusal sounds, 0.0 (off) to 1.0.
    pub sound_volume: f32,
    /// WebKitGTK's GPU (DMA-BUF) renderer: only with a GPU (`auto`, default), always, or never.
    pub gpu_renderer: GpuRenderer,
    /// From this local time of day the page is due to start again in a new web process, once
    /// the kiosk has been quiet for `page_refresh_quiet_seconds` (or `off`).
    pub page_refresh_at: PageRefreshAt,
    /// How long without use (a command, or a touch or key on the window) before the page
    /// refresh; never less than the longest a screen stays open by itself.
    pub page_refresh_quiet_seconds: u32,
}

impl Default for ScreensConfig {
    fn default() -> Self {
        ScreensConfig {
            result_reset_seconds: 15,
            manual_reset_seconds: 60,
            sound_volume: 0.8,
            gpu_renderer: GpuRenderer::Auto,
            page_refresh_at: PageRefreshAt::default(),
            page_refresh_quiet_seconds: 1800,
        }
    }
}

/// Queue letters per service, and the queue for bookings with a priority applicant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct QueueConfig {
    pub baru: String,
    pub penggantian: String,
    pub hilang_rusak: String,
    /// Any booking with an applicant marked lansia, disabilitas, ibu_hamil or anak.
    pub priority: String,
}

impl Default for QueueConfig {
    fn default() -> Self {
        QueueConfig {
            baru: "A".into(),
            penggantian: "B".into(),
            hilang_rusak: "C".into(),
            priority: "P".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PrinterConfig {
    /// Where tickets go (see `print`): PDF files by default.
    pub sink: SinkKind,
    /// `escpos_device`: the device path, e.g. `/dev/usb/lp0`.
    pub device: Option<PathBuf>,
    /// `escpos_tcp`: `host:port` of a network printer, e.g. `192.168.1.50:9100`.
    pub address: Option<String>,
    /// `os_raw` / `os_pdf`: the OS printer (queue) name.
    pub name: Option<String>,
    /// Ticket paper width in millimetres: 80 or 58.
    pub paper_width_mm: u32,
    /// Folder for ticket PDFs. Empty: `<data_dir>/tickets`.
    pub pdf_dir: Option<PathBuf>,
    /// Longest a print may take before it counts as failed, in milliseconds.
    pub timeout_ms: u64,
    /// `escpos_tcp`: ask the printer's real-time status (DLE EOT) before and after each job, so
    /// paper out, an open cover or a printer that stopped reading is a failed print. `false`
    /// for printers that never answer it: the job is then sent blind.
    pub status_query: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SinkKind {
    #[default]
    PdfFolder,
    EscposDevice,
    EscposTcp,
    OsRaw,
    OsPdf,
}

#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UpstreamConfig {
    /// Base URL of the office gateway to M-Paspor. Empty: no network sync (file import only).
    pub url: Option<String>,
    /// Bearer token for the gateway. Never logged.
    #[serde(skip_serializing)]
    pub token: Option<String>,
    /// Minutes between pulls of today's and tomorrow's appointments.
    pub pull_minutes: u32,
    /// Longest wait for a connection to the gateway, in milliseconds.
    pub connect_timeout_ms: u64,
    /// Longest a whole request may take, answer body included, in milliseconds.
    pub request_timeout_ms: u64,
    /// Events sent per push request.
    pub push_batch: u32,
    /// Days of past appointments kept in the cache (0: only today and later).
    pub keep_days: u32,
    /// Folders the staff screen looks in for feed files to import (a USB stick's mount point).
    /// Empty: the platform's removable-media folders (see `folders::default_import_dirs`).
    pub import_dirs: Vec<PathBuf>,
}

impl Default for UpstreamConfig {
    fn default() -> Self {
        UpstreamConfig {
            url: None,
            token: None,
            pull_minutes: 5,
            connect_timeout_ms: 5_000,
            request_timeout_ms: 30_000,
            push_batch: 100,
            keep_days: 7,
            import_dirs: Vec::new(),
        }
    }
}

// By hand, so that the token can never reach a log line through `{:?}`.
impl std::fmt::Debug for UpstreamConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UpstreamConfig")
            .field("url", &self.url)
            .field("token", &self.token.as_ref().map(|_| "<set>"))
            .field("pull_minutes", &self.pull_minutes)
            .field("connect_timeout_ms", &self.connect_timeout_ms)
            .field("request_timeout_ms", &self.request_timeout_ms)
            .field("push_batch", &self.push_batch)
            .field("keep_days", &self.keep_days)
            .field("import_dirs", &self.import_dirs)
            .finish()
    }
}

impl Default for OfficeConfig {
    fn default() -> Self {
        OfficeConfig {
            id: "KANIM-KUPANG".into(),
            name: "Kantor Imigrasi Kelas I TPI Kupang".into(),
            time_zone: "Asia/Makassar".into(),
        }
    }
}

impl Default for KioskConfig {
    fn default() -> Self {
        KioskConfig {
            id: "K1".into(),
            language: Language::Id,
            data_dir: None,
        }
    }
}

impl Default for CheckinConfig {
    fn default() -> Self {
        CheckinConfig {
            early_minutes: 60,
            late_minutes: 30,
        }
    }
}

impl Default for PrinterConfig {
    fn default() -> Self {
        PrinterConfig {
            sink: SinkKind::PdfFolder,
            device: None,
            address: None,
            name: None,
            paper_width_mm: 80,
            pdf_dir: None,
            timeout_ms: 5000,
            status_query: true,
        }
    }
}

/// Where a loaded configuration came from, for the start-up log line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigSource {
    File(PathBuf),
    /// No file at any of these places (the search order): built-in defaults.
    DefaultsBecauseMissing(Vec<PathBuf>),
    /// No file and no config folder to look in could be found.
    Defaults,
}

impl std::fmt::Display for ConfigSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConfigSource::File(path) => write!(f, "configuration read from {}", path.display()),
            ConfigSource::DefaultsBecauseMissing(looked_in) => write!(
                f,
                "no configuration file at {}: using built-in defaults (see docs/configuration.md)",
                ConfigSource::places(looked_in)
            ),
            ConfigSource::Defaults => {
                write!(
                    f,
                    "no configuration directory found: using built-in defaults"
                )
            }
        }
    }
}

impl ConfigSource {
    /// "a or b" for the places looked in.
    pub fn places(looked_in: &[PathBuf]) -> String {
        looked_in
            .iter()
            .map(|path| path.display().to_string())
            .collect::<Vec<_>>()
            .join(" or ")
    }
}

impl Config {
    /// Loads the file named by `explicit` (which must exist), else the user's file, else the
    /// computer's system-wide one, else defaults: the order of [`search`].
    pub fn load(explicit: Option<&Path>) -> Result<(Config, ConfigSource)> {
        load_from(
            explicit,
            user_config_dir().as_deref(),
            system_config_dir().as_deref(),
        )
    }

    /// Parses and validates config text; `path` is only used in error messages. An error says
    /// what kind of mistake it is, its line and its key ([`ConfigFault`]).
    pub fn parse(text: &str, path: &Path) -> Result<Config> {
        let invalid = |fault: ConfigFault| Error::ConfigInvalid {
            path: path.display().to_string(),
            fault,
        };
        // TOML first: a file that is not TOML at all is another mistake than a wrong key in it.
        if let Err(e) = toml::from_str::<toml::Table>(text) {
            return Err(invalid(fault_at(text, &e, ConfigFaultKind::Syntax)));
        }
        let config: Config = toml::from_str(text).map_err(|e| {
            let kind = kind_of(e.message());
            invalid(fault_at(text, &e, kind))
        })?;
        config
            .validate()
            .map_err(|(key, problem)| invalid(fault_of_key(text, key, problem)))?;
        Ok(config)
    }

    /// Checks a config built in code (e.g. with a setting changed at the kiosk) as a file
    /// would be checked: `Err((key, problem))`.
    pub fn check(&self) -> std::result::Result<(), (&'static str, String)> {
        self.validate()
    }

    /// The configured verification keys, decoded. Validated at load, so none is dropped here.
    pub fn verification_keys(&self) -> crate::booking::VerificationKeys {
        self.keys
            .iter()
            .filter_map(|(id, text)| {
                crate::booking::token::decode_verification_key(text)
                    .ok()
                    .map(|key| (id.clone(), key))
            })
            .collect()
    }

    /// The office's time zone. Validated at load, so this cannot fail for a loaded config.
    pub fn time_zone(&self) -> jiff::tz::TimeZone {
        jiff::tz::TimeZone::get(&self.office.time_zone).unwrap_or(jiff::tz::TimeZone::UTC)
    }

    /// The data directory: the configured one, else the platform's (e.g. `~/.local/share/hadir`,
    /// `%APPDATA%\Imigrasi\Hadir\data`).
    pub fn data_dir(&self) -> PathBuf {
        if let Some(dir) = &self.kiosk.data_dir {
            return dir.clone();
        }
        project_dirs()
            .map(|dirs| dirs.data_dir().to_owned())
            .unwrap_or_else(|| PathBuf::from("hadir-data"))
    }

    /// Folder the kiosk's and the CLI's log files go to (rotated by day, size-capped). Inside the
    /// data folder so one backup or one look at one folder finds everything of a kiosk.
    pub fn log_dir(&self) -> PathBuf {
        self.data_dir().join("logs")
    }

    /// Folder the store's backups are written to (`[backup] dir`, else `<data_dir>/backups`).
    pub fn backup_dir(&self) -> PathBuf {
        self.backup
            .dir
            .clone()
            .unwrap_or_else(|| self.data_dir().join("backups"))
    }

    /// Folder ticket PDFs are written to.
    pub fn pdf_dir(&self) -> PathBuf {
        self.printer
            .pdf_dir
            .clone()
            .unwrap_or_else(|| self.data_dir().join("tickets"))
    }
}

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("id", "Imigrasi", "Hadir")
}

/// The user's own file, `<user config dir>/hadir.toml`, e.g. `~/.config/hadir/hadir.toml` or
/// `%APPDATA%\Imigrasi\Hadir\config\hadir.toml` (the first place [`Config::load`] looks).
pub fn default_config_path() -> Option<PathBuf> {
    user_config_dir().map(|dir| dir.join(CONFIG_FILE_NAME))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config> {
        Config::parse(text, Path::new("hadir.toml"))
    }

    #[test]
    fn empty_file_gives_defaults() {
        let config = parse("").expect("an empty file is all defaults");
        assert_eq!(config, Config::default());
        assert_eq!(config.office.time_zone, "Asia/Makassar");
    }

    #[test]
    fn full_file_reads_every_section() {
        let config = parse(
            r#"
[office]
id = "KANIM-ATAMBUA"
name = "Kantor Imigrasi Atambua"
time_zone = "Asia/Makassar"
[kiosk]
id = "K2"
language = "en"
data_dir = "/var/lib/hadir"
[checkin]
early_minutes = 45
late_minutes = 15
[keys]
k1 = "P6t-cB4wpN4NrQTDcmQC6t8MOaLPfNvHNsR5eHpOmGY"
[printer]
paper_width_mm = 58
[upstream]
url = "https://gateway.example/api"
token = "secret"
"#,
        )
        .expect("valid file");
        assert_eq!(config.office.id, "KANIM-ATAMBUA");
        assert_eq!(config.kiosk.language, Language::En);
        assert_eq!(config.checkin.early_minutes, 45);
        assert_eq!(config.printer.paper_width_mm, 58);
        assert_eq!(config.keys.len(), 1);
        assert_eq!(config.upstream.token.as_deref(), Some("secret"));
    }

    #[test]
    fn wrong_type_names_key_and_line() {
        let err = parse("[office]\nid = \"X\"\n\n[checkin]\nearly_minutes = \"sixty\"\n")
            .expect_err("a string is not minutes");
        assert_eq!(err.code(), "config_invalid");
        let text = err.to_string();
        assert!(text.contains("line 5"), "names the line: {text}");
        assert!(
            text.contains("checkin.early_minutes"),
            "names the key: {text}"
        );
    }

    #[test]
    fn upstream_needs_a_real_url_and_a_token_and_never_shows_the_token() {
        let err =
            parse("[upstream]\nurl = \"gateway.local\"\ntoken = \"x\"\n").expect_err("no scheme");
        assert!(err.to_string().contains("key `upstream.url`"), "{err}");
        let err = parse("[upstream]\nurl = \"https://gateway.local\"\n").expect_err("no token");
        assert!(err.to_string().contains("upstream.token"), "{err}");
        let err = parse("[upstream]\npull_minutes = 0\n").expect_err("zero");
        assert!(err.to_string().contains("upstream.pull_minutes"), "{err}");
        let config =
            parse("[upstream]\nurl = \"https://gateway.local/api\"\ntoken = \"s3cret-token\"\n")
                .expect("valid");
        assert!(
            !format!("{config:?}").contains("s3cret-token"),
            "Debug hides the token"
        );
        assert!(!serde_json::to_string(&config)
            .expect("json")
            .contains("s3cret-token"));
    }

    #[test]
    fn unknown_key_is_refused_with_its_name() {
        let err = parse("[kiosk]\nid = \"K1\"\nlangauge = \"id\"\n").expect_err("typo");
        let text = err.to_string();
        assert!(text.contains("langauge"), "names the unknown key: {text}");
        assert!(text.contains("line 3"), "names the line: {text}");
    }

    #[test]
    fn unknown_time_zone_is_refused_with_its_line() {
        let err = parse("[office]\n\ntime_zone = \"Asia/Kupang\"\n").expect_err("no such zone");
        let text = err.to_string();
        assert!(text.contains("line 3, key `office.time_zone`"), "{text}");
    }

    #[test]
    fn a_bad_verification_key_is_refused_by_name() {
        let err = parse("[keys]\nk1 = \"not-a-key\"\n").expect_err("bad key");
        let text = err.to_string();
        assert!(text.contains("\"k1\"") && text.contains("[keys]"), "{text}");
    }

    #[test]
    fn queue_letters_are_checked() {
        let err = parse("[queues]\npriority = \"prio\"\n").expect_err("lower case, 4 letters");
        assert!(
            err.to_string().contains("line 2, key `queues.priority`"),
            "{err}"
        );
        let config = parse("[queues]\nhilang_rusak = \"B\"\n").expect("services may share a queue");
        assert_eq!(config.queues.hilang_rusak, "B");
    }

    #[test]
    fn a_printer_sink_needs_its_target() {
        let err = parse("[printer]\nsink = \"escpos_tcp\"\n").expect_err("no address");
        assert!(err.to_string().contains("printer.address"), "{err}");
        let err = parse("[printer]\nsink = \"os_pdf\"\n").expect_err("no name");
        assert!(err.to_string().contains("printer.name"), "{err}");
        let err = parse("[printer]\nsink = \"laser\"\n").expect_err("unknown sink");
        assert!(err.to_string().contains("line 2"), "{err}");
        let config = parse("[printer]\nsink = \"escpos_tcp\"\naddress = \"10.0.0.5:9100\"\n")
            .expect("valid");
        assert_eq!(config.printer.sink, SinkKind::EscposTcp);
        assert!(
            config.printer.status_query,
            "printers are asked their status unless the file says otherwise"
        );
        let blind = parse(
            "[printer]\nsink = \"escpos_tcp\"\naddress = \"10.0.0.5:9100\"\nstatus_query = false\n",
        )
        .expect("valid");
        assert!(!blind.printer.status_query);
    }

    #[test]
    fn odd_paper_width_is_refused() {
        let err = parse("[printer]\npaper_width_mm = 70\n").expect_err("70 mm paper");
        assert!(err.to_string().contains("printer.paper_width_mm"));
    }

    #[test]
    fn broken_toml_names_the_line() {
        let err = parse("[office]\nid = \"KANIM\n").expect_err("unterminated string");
        assert!(err.to_string().contains("line 2"), "{err}");
    }

    fn fault(text: &str) -> ConfigFault {
        match parse(text) {
            Err(Error::ConfigInvalid { fault, .. }) => fault,
            other => panic!("{text:?} should be refused as invalid: {other:?}"),
        }
    }

    #[test]
    fn each_kind_of_mistake_is_told_apart_with_its_line_and_key() {
        let cases = [
            (
                "[office]\nid = \"KANIM\n",
                ConfigFaultKind::Syntax,
                Some(2),
                Some("office.id"),
            ),
            (
                "[kiosk]\nid = \"K1\"\nlangauge = \"id\"\n",
                ConfigFaultKind::UnknownKey,
                Some(3),
                Some("kiosk.langauge"),
            ),
            (
                "[office]\nid = \"X\"\n\n[checkin]\nearly_minutes = \"sixty\"\n",
                ConfigFaultKind::WrongType,
                Some(5),
                Some("checkin.early_minutes"),
            ),
            (
                "[checkin]\nlate_minutes = -5\n",
                ConfigFaultKind::BadValue,
                Some(2),
                Some("checkin.late_minutes"),
            ),
            (
                "[checkin]\n\nlate_minutes = 900\n",
                ConfigFaultKind::BadValue,
                Some(3),
                Some("checkin.late_minutes"),
            ),
            (
                "[printer]\nsink = \"escpos_tcp\"\n",
                ConfigFaultKind::BadValue,
                None,
                Some("printer.address"),
            ),
            (
                "# keys\n[keys]\nk1 = \"not-a-key\"\n",
                ConfigFaultKind::BadValue,
                Some(2),
                Some("[keys]"),
            ),
        ];
        for (text, kind, line, key) in cases {
            let fault = fault(text);
            assert_eq!(
                (fault.kind, fault.line, fault.key.as_deref()),
                (kind, line, key),
                "{text:?}: {fault}"
            );
            assert!(!fault.problem.is_empty(), "{text:?} says what is wrong");
        }
    }

    #[test]
    fn a_fault_reads_as_line_key_and_problem() {
        let err = parse("[checkin]\nlate_minutes = 900\n").expect_err("too late");
        assert_eq!(
            err.to_string(),
            "config file hadir.toml is invalid: line 2, key `checkin.late_minutes`: 900 is more \
             than 720 minutes (12 hours)"
        );
        let err = parse("[printer]\nsink = \"os_pdf\"\n").expect_err("no name");
        assert!(
            err.to_string()
                .contains("key `printer.name` (default value): is needed"),
            "{err}"
        );
    }

    #[test]
    fn explicit_missing_file_is_an_error_not_defaults() {
        let err = Config::load(Some(Path::new("/nonexistent/hadir.toml"))).expect_err("missing");
        assert_eq!(err.code(), "config_unreadable");
    }
}
