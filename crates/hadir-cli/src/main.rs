//! `hadir`: the admin and test command for the kiosk's core (no window needed).

mod backup;
mod checkin;
mod counter;
mod doctor;
mod export;
mod output;
mod walkin;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use hadir::{Config, ErrorPayload, Store};
use output::print_line;

/// Hadir kiosk administration: demo data, feed import, check-in from the shell, config check.
#[derive(Debug, Parser)]
#[command(
    name = "hadir",
    version = hadir::version::version_line(),
    after_help = EXIT_STATUSES
)]
struct Cli {
    /// Configuration file (default: the user's hadir.toml, else the system-wide one, e.g.
    /// /etc/hadir/hadir.toml; see docs/configuration.md).
    #[arg(long, global = true, env = "HADIR_CONFIG")]
    config: Option<PathBuf>,
    /// Act as if it were this moment (RFC 3339, e.g. 2026-11-29T08:30:00+08:00) instead of now.
    #[arg(long, global = true)]
    at: Option<jiff::Timestamp>,
    /// The demo kiosk's data, as `hadir-kiosk --demo` keeps it: without --config, the `demo`
    /// folder inside the data folder; the public demo signing key is accepted.
    #[arg(long, global = true)]
    demo: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Fill the store with a realistic demo day for today (office-local) and list codes to try.
    Demo {
        /// Print the codes to try as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Import a feed body (a pull response with "full": true) from a file, e.g. a USB stick.
    Import { file: PathBuf },
    /// Check in a scanned text (booking code) exactly as the kiosk would; prints the result as
    /// JSON, its `message` in the front desk's words. Exit status 0 when the applicant has a
    /// number, 3 when refused.
    Checkin {
        #[arg(required_unless_present = "stdin")]
        text: Option<String>,
        /// Check in each line of standard input in turn (a scanner's log replayed): one JSON
        /// line per scan, written once its check-in is committed and its ticket printed. A line
        /// that is not text (not UTF-8, a NUL) is answered `malformed` and the batch goes on; so
        /// is a line the disk had no room for (`disk_full`, nothing of it written). Exit status 0
        /// when every line admitted someone, 3 when at least one did not, 2 when a line was
        /// `disk_full` or an error stopped the batch (the lines answered before it stand).
        #[arg(long, conflicts_with = "text")]
        stdin: bool,
    },
    /// Validate the configuration and print it as the kiosk will use it (the token is never printed).
    Config,
    /// One sync cycle with the gateway now: pull today and tomorrow, push the outbox. Prints
    /// what happened as JSON; exit status 4 when any step failed (the cache stays as it was).
    Sync,
    /// Sync health as JSON: last pull and push, last error, outbox size, cache age.
    Status,
    /// Staff accounts for staff mode. PINs (4-8 digits) are read from standard input, never
    /// from the command line (which other users and the shell history can see).
    Staff {
        #[command(subcommand)]
        action: StaffAction,
    },
    /// The audit log of staff actions.
    Audit {
        #[command(subcommand)]
        action: AuditAction,
    },
    /// Supervisor exports for a period: CSV files, an XLSX workbook and a PDF report; prints
    /// the files written as JSON. Applicant names are masked unless asked for.
    Export(export::ExportArgs),
    /// Delete personal data (cached bookings' names, birth dates and NIK digits, names kept
    /// with tickets, rating comments) of days older than N days; every count stays. Audited.
    Purge {
        /// Days to keep before today: data of earlier days goes, today and these N days stay
        /// (default: `[privacy] retention_days`; at least 1).
        #[arg(long)]
        older_than_days: Option<u32>,
    },
    /// Take a backup of the kiosk's database now (as the kiosk does every `[backup]
    /// every_minutes`): a verified copy in the backup folder (and `usb_dir`), the oldest beyond
    /// `[backup] keep` deleted. Prints what it wrote as JSON. Runs beside the kiosk.
    Backup,
    /// List the backups, each checked; with --yes, put one in place of the kiosk's database
    /// (the kiosk must be stopped; the replaced database is kept). Prints what it did as JSON.
    Restore(backup::RestoreArgs),
    /// Priority walk-ins without a booking, as the kiosk handles them: today's quota, a
    /// walk-in ticket for an applicant, today's list. JSON out.
    Walkin {
        #[command(subcommand)]
        action: walkin::WalkinAction,
    },
    /// A counter's actions at the office hub (hub only), for admins and tests: call-next,
    /// call-again, no-show, start, finish, transfer, waiting, each with `--counter N
    /// --services baru,penggantian`. JSON out; exit status 3 when the counter refused.
    Counter {
        #[command(subcommand)]
        action: counter::CounterCommand,
    },
    /// Check everything this kiosk needs (config, data folder, disk, database, printer,
    /// gateway and its clock, hub, keys, logs) and say what to do about each problem. Exit
    /// status 0 when all pass, 6 when something failed, 7 when something only needs a look.
    Doctor {
        /// Print the report as JSON (for scripts) instead of a table.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
enum StaffAction {
    /// Add an account: `echo 482915 | hadir staff add maria --role frontdesk`.
    Add {
        name: String,
        #[arg(long, value_parser = ["frontdesk", "supervisor", "counter"])]
        role: String,
    },
    /// List accounts (no PINs) as JSON.
    List,
    /// Stop an account from signing in (never the last active supervisor: add or enable
    /// another first, or reset the PIN to lock the person out).
    Disable { name: String },
    /// Let a disabled account sign in again.
    Enable { name: String },
    /// Set a new PIN (from standard input); clears failed attempts and any lock.
    ResetPin { name: String },
}

#[derive(Debug, Subcommand)]
enum AuditAction {
    /// Check the hash chain; exit status 5 and the first broken row when it does not hold.
    Verify,
}

/// Exit status when the audit chain is broken.
const AUDIT_BROKEN: u8 = 5;

fn read_pin() -> hadir::Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| hadir::Error::io("cannot read the PIN from standard input", e))?;
    let pin = line.trim().to_owned();
    if !hadir::staff::pin_is_well_formed(&pin) {
        return Err(hadir::Error::InvalidInput(
            "a staff PIN is 4 to 8 digits, given on standard input".into(),
        ));
    }
    Ok(pin)
}

fn staff_account(store: &Store, name: &str) -> hadir::Result<hadir::staff::StaffAccount> {
    store.staff_by_name(name)?.ok_or_else(|| {
        hadir::Error::InvalidInput(format!(
            "no staff account named {name:?} (see `hadir staff list`)"
        ))
    })
}

/// Exit status when a sync step failed.
const SYNC_FAILED: u8 = 4;

/// The exit statuses of every command, for `hadir --help` (docs/operator-guide.md has the same).
const EXIT_STATUSES: &str = "Exit status:
  0    done (checkin: the applicant has a number; with --stdin: every line)
  2    an error: the message says what happened and what to do (checkin --stdin: also
       when a line was answered disk_full, the disk had no room for it)
  3    checkin: a scan admitted nobody (with --stdin: at least one line); walkin issue:
       refused (the quota is used up, or not offered)
  4    sync: a step failed
  5    audit verify: the chain is broken
  6    doctor: a check failed (7: something needs a look)
  141  the reader of standard output went away (`hadir ... | head -1`): hadir stopped
       quietly and did no further work";

fn main() -> ExitCode {
    // The terminal shows warnings; the log file keeps what each run did (`RUST_LOG` sets both).
    hadir::log_files::start("warn", "info");
    let cli = Cli::parse();
    // Before the config is loaded: a broken config is the doctor's first finding, not an abort.
    if let Command::Doctor { json } = cli.command {
        return doctor::run(cli.config.as_deref(), cli.demo, cli.at, json);
    }
    match run(&cli) {
        Ok(code) => code,
        Err(error) if output::is_closed(&error) => {
            log::info!("standard output closed by its reader: stopped");
            ExitCode::from(output::CLOSED)
        }
        Err(error) => {
            let payload = ErrorPayload::from(&error);
            eprintln!("hadir: {} [{}]", payload.message, payload.code);
            // A config error came before the file (the data folder is in the config): stderr only.
            hadir::log_files::file_only(
                log::Level::Error,
                "hadir",
                &format!("{} [{}]", payload.message, payload.code),
            );
            // What happened and what to do, Bahasa Indonesia first (words from ui/i18n).
            let title = error.title();
            eprintln!("{}: {}", title.id, payload.next_step.id);
            eprintln!("{}: {}", title.en, payload.next_step.en);
            ExitCode::from(2)
        }
    }
}

/// Opens the kiosk's store in the data folder, which must be there: a command that reads or
/// changes a kiosk's data (status, checkin, export, purge, staff changes, audit) never leaves a
/// new empty store where it looked by mistake (another account, the demo's folder).
fn open_store(config: &Config) -> hadir::Result<Store> {
    let store = Store::open_existing_in(&config.data_dir())?;
    log::info!("store: {}", store.path().display());
    Ok(store)
}

/// Opens the store, creating it (and the data folder) as the kiosk does at its first start: for
/// the commands that fill a kiosk before it ever ran (demo, import, sync, staff add). Then the
/// log file there, if the folder was only made now.
fn open_or_create_store(config: &Config) -> hadir::Result<Store> {
    let store = Store::open_in(&config.data_dir())?;
    hadir::log_files::open_in_existing_data_dir(config, hadir::log_files::CLI);
    log::info!("store: {}", store.path().display());
    Ok(store)
}

fn run(cli: &Cli) -> hadir::Result<ExitCode> {
    let (mut config, source) = Config::load(cli.config.as_deref())?;
    if cli.demo {
        hadir::demo::use_demo_config(&mut config, cli.config.is_some());
    }
    // Never creates the data folder: `hadir config` as root must not leave a root-owned one.
    hadir::log_files::open_in_existing_data_dir(&config, hadir::log_files::CLI);
    log::info!("{source}");
    // The settings a supervisor changed at the kiosk are in force here as in the kiosk: an
    // export, a check-in or `hadir config` from the CLI agrees with the kiosk's.
    let config = hadir::settings::config_in_force_read_only(&config);
    let now = cli
        .at
        .unwrap_or_else(jiff::Timestamp::now)
        .to_zoned_datetime(config.time_zone());
    match &cli.command {
        Command::Config => {
            print_line!("# {source}")?;
            print_line!(
                "{}",
                serde_json::to_string_pretty(&config).unwrap_or_default()
            )?;
            print_line!("# data directory: {}", config.data_dir().display())?;
        }
        Command::Demo { json } => {
            let mut store = open_or_create_store(&config)?;
            let (day, applied) = hadir::demo::fill(&mut store, &now, &config)?;
            if *json {
                print_line!(
                    "{}",
                    serde_json::to_string_pretty(&day.try_codes).unwrap_or_default()
                )?;
            } else {
                print_line!(
                    "Demo day {} for {}: {} bookings in {}",
                    day.body.date,
                    config.office.id,
                    applied.upserted,
                    store.path().display()
                )?;
                print_line!("Codes to try (type or scan, then Enter):")?;
                for code in &day.try_codes {
                    print_line!(
                        "  {:<12} -> {:<10} {}",
                        code.booking_code,
                        code.expect,
                        code.what
                    )?;
                }
                print_line!("{}", hadir::demo::tickets_line(&config, day.body.date))?;
            }
        }
        Command::Import { file } => {
            let mut store = open_or_create_store(&config)?;
            let report = hadir::sync::import_file(&mut store, &config, file, now.timestamp())?;
            print_line!(
                "{}",
                serde_json::to_string_pretty(&report.applied).unwrap_or_default()
            )?;
            // For IT: each unusable item by its code, else its place in the list (feed-api.md).
            for skipped in &report.skipped {
                let item = match &skipped.booking_code {
                    Some(code) => format!("booking {code}"),
                    None => format!("item {} (no readable booking code)", skipped.position),
                };
                eprintln!(
                    "skipped {item} [{}]: {}",
                    skipped.problem.code(),
                    skipped.reason
                );
            }
            if report.applied.kept_unlisted {
                eprintln!(
                    "removed no booking: an item above could be any booking, so bookings the \
                     file does not list were kept"
                );
            }
        }
        Command::Sync => {
            let client = hadir::sync::UpstreamClient::new(&config).map_err(hadir::Error::from)?;
            let mut store = open_or_create_store(&config)?;
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| hadir::Error::Io {
                    what: "cannot start the async runtime".into(),
                    source: e,
                })?;
            let report = runtime.block_on(hadir::sync::run_cycle(
                &client,
                &mut store,
                &config,
                now.timestamp(),
            ))?;
            print_line!(
                "{}",
                serde_json::to_string_pretty(&report).unwrap_or_default()
            )?;
            if !report.all_done() {
                return Ok(ExitCode::from(SYNC_FAILED));
            }
        }
        Command::Staff { action } => {
            // The first accounts are added before the kiosk ever ran; every other change needs
            // the kiosk's existing accounts.
            let mut store = if matches!(action, StaffAction::Add { .. }) {
                open_or_create_store(&config)?
            } else {
                open_store(&config)?
            };
            let at = hadir::model::rfc3339(&now);
            let (audit_action, target) = match action {
                StaffAction::Add { name, role } => {
                    if store.staff_by_name(name)?.is_some() {
                        return Err(hadir::Error::InvalidInput(format!(
                            "a staff account named {name:?} exists; use `hadir staff reset-pin`"
                        )));
                    }
                    let role = hadir::model::StaffRole::parse(role).ok_or_else(|| {
                        hadir::Error::InvalidInput(format!(
                            "role {role:?} is not frontdesk, supervisor or counter"
                        ))
                    })?;
                    let hash = hadir::staff::hash_pin(&read_pin()?)?;
                    store.add_staff(name, role, &hash, &at)?;
                    ("staff_add", format!("{name} ({role})"))
                }
                StaffAction::List => {
                    let accounts = store.list_staff()?;
                    print_line!(
                        "{}",
                        serde_json::to_string_pretty(&accounts).unwrap_or_default()
                    )?;
                    return Ok(ExitCode::SUCCESS);
                }
                StaffAction::Disable { name } | StaffAction::Enable { name } => {
                    let enable = matches!(action, StaffAction::Enable { .. });
                    let account = staff_account(&store, name)?;
                    if !enable {
                        // The kiosk's rule, without a "self": the CLI must not be the way
                        // around it (to lock a person out, reset their PIN instead).
                        hadir::staff::check_disable(None, &account, &store.list_staff()?)?;
                    }
                    store.set_staff_active(account.id, enable)?;
                    (
                        if enable {
                            "staff_enable"
                        } else {
                            "staff_disable"
                        },
                        name.clone(),
                    )
                }
                StaffAction::ResetPin { name } => {
                    let account = staff_account(&store, name)?;
                    let hash = hadir::staff::hash_pin(&read_pin()?)?;
                    store.set_staff_pin(account.id, &hash)?;
                    ("staff_reset_pin", name.clone())
                }
            };
            store.append_audit(&hadir::store::AuditEntry {
                at: &at,
                staff_id: None,
                action: audit_action,
                target: Some(&target),
                reason: None,
            })?;
            print_line!("{audit_action} {target}")?;
        }
        Command::Audit {
            action: AuditAction::Verify,
        } => {
            let store = open_store(&config)?;
            let check = store.verify_audit()?;
            print_line!(
                "{}",
                serde_json::to_string_pretty(&check).unwrap_or_default()
            )?;
            if check.first_broken.is_some() {
                return Ok(ExitCode::from(AUDIT_BROKEN));
            }
        }
        Command::Export(args) => export::run(args, &config, &now)?,
        Command::Backup => backup::backup(&mut open_store(&config)?, &config, now.timestamp())?,
        Command::Restore(args) => backup::restore(args, &config, now.timestamp())?,
        // Answered in `main` before any config is loaded; here only for completeness.
        Command::Doctor { json } => {
            return Ok(doctor::run(cli.config.as_deref(), cli.demo, cli.at, *json))
        }
        Command::Purge { older_than_days } => {
            let mut store = open_store(&config)?;
            let days = older_than_days.unwrap_or(config.privacy.retention_days);
            let purged = hadir::staff_mode::purge_older_than(&mut store, None, days, &now)?;
            print_line!(
                "{}",
                serde_json::to_string_pretty(&purged).unwrap_or_default()
            )?;
        }
        Command::Status => {
            let store = open_store(&config)?;
            let health = hadir::sync::SyncHealth::read(&store, &config, now.timestamp())?;
            // Which kiosk's data this is: the store file it read, beside the health figures.
            let mut json = serde_json::to_value(&health).unwrap_or_default();
            if let Some(fields) = json.as_object_mut() {
                fields.insert("store".into(), store.path().display().to_string().into());
            }
            print_line!(
                "{}",
                serde_json::to_string_pretty(&json).unwrap_or_default()
            )?;
        }
        Command::Walkin { action } => {
            return walkin::run(action, &mut open_store(&config)?, &now, &config);
        }
        Command::Counter { action } => {
            return counter::run(action, || open_or_create_store(&config), &now, &config);
        }
        Command::Checkin { stdin: true, .. } => {
            let mut store = open_store(&config)?;
            // A batch may run for hours (a scanner piped in): each line is judged at its own
            // time, unless `--at` fixes one.
            let at = cli.at;
            let tz = config.time_zone();
            let clock = move || {
                at.unwrap_or_else(jiff::Timestamp::now)
                    .to_zoned_datetime(tz.clone())
            };
            return checkin::batch(&mut store, std::io::stdin().lock(), &clock, &config);
        }
        Command::Checkin { text, .. } => {
            let mut store = open_store(&config)?;
            let text = text.as_deref().unwrap_or_default();
            return checkin::one(&mut store, text, &now, &config);
        }
    }
    Ok(ExitCode::SUCCESS)
}
