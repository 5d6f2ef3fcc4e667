//! `hadir`: the admin and test command for the kiosk's core (no window needed).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use hadir::{Config, ErrorPayload, Store};

/// Hadir kiosk administration: demo data, feed import, check-in from the shell, config check.
#[derive(Debug, Parser)]
#[command(name = "hadir", version)]
struct Cli {
    /// Configuration file (default: the platform config dir's hadir.toml; see docs/configuration.md).
    #[arg(long, global = true, env = "HADIR_CONFIG")]
    config: Option<PathBuf>,
    /// Act as if it were this moment (RFC 3339, e.g. 2026-11-29T08:30:00+08:00) instead of now.
    #[arg(long, global = true)]
    at: Option<jiff::Timestamp>,
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
    /// Check in a scanned text (booking code) exactly as the kiosk would; prints the result as JSON.
    Checkin { text: String },
    /// Validate the configuration and print it as the kiosk will use it (the token is never printed).
    Config,
    /// One sync cycle with the gateway now: pull today and tomorrow, push the outbox. Prints
    /// what happened as JSON; exit status 4 when any step failed (the cache stays as it was).
    Sync,
    /// Sync health as JSON: last pull and push, last error, outbox size, cache age.
    Status,
}

/// Exit status when a sync step failed.
const SYNC_FAILED: u8 = 4;

fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    let cli = Cli::parse();
    match run(&cli) {
        Ok(code) => code,
        Err(error) => {
            let payload = ErrorPayload::from(&error);
            eprintln!("hadir: {} [{}]", payload.message, payload.code);
            eprintln!("{}", payload.next_step.id);
            eprintln!("{}", payload.next_step.en);
            ExitCode::from(2)
        }
    }
}

/// Exit status for a scan the kiosk refused (a verdict other than ok / already_checked_in).
const REFUSED: u8 = 3;

fn run(cli: &Cli) -> hadir::Result<ExitCode> {
    let (config, source) = Config::load(cli.config.as_deref())?;
    log::info!("{source}");
    let now = cli
        .at
        .unwrap_or_else(jiff::Timestamp::now)
        .to_zoned_datetime(config.time_zone());
    match &cli.command {
        Command::Config => {
            println!("# {source}");
            println!(
                "{}",
                serde_json::to_string_pretty(&config).unwrap_or_default()
            );
            println!("# data directory: {}", config.data_dir().display());
        }
        Command::Demo { json } => {
            let mut store = Store::open_in(&config.data_dir())?;
            let (day, applied) = hadir::demo::fill(&mut store, &now, &config)?;
            if *json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&day.try_codes).unwrap_or_default()
                );
            } else {
                println!(
                    "Demo day {} for {}: {} bookings in {}",
                    day.body.date,
                    config.office.id,
                    applied.upserted,
                    store.path().display()
                );
                println!("Codes to try (type or scan, then Enter):");
                for code in &day.try_codes {
                    println!(
                        "  {:<12} -> {:<10} {}",
                        code.booking_code, code.expect, code.what
                    );
                }
            }
        }
        Command::Import { file } => {
            let mut store = Store::open_in(&config.data_dir())?;
            let report = hadir::sync::import_file(&mut store, &config, file, now.timestamp())?;
            println!(
                "{}",
                serde_json::to_string_pretty(&report.applied).unwrap_or_default()
            );
            for skipped in &report.skipped {
                eprintln!(
                    "skipped {}: {}",
                    skipped
                        .booking_code
                        .as_deref()
                        .unwrap_or("(no booking code)"),
                    skipped.reason
                );
            }
        }
        Command::Sync => {
            let client = hadir::sync::UpstreamClient::new(&config).map_err(hadir::Error::from)?;
            let mut store = Store::open_in(&config.data_dir())?;
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
            println!(
                "{}",
                serde_json::to_string_pretty(&report).unwrap_or_default()
            );
            if !report.all_done() {
                return Ok(ExitCode::from(SYNC_FAILED));
            }
        }
        Command::Status => {
            let store = Store::open_in(&config.data_dir())?;
            let health = hadir::sync::SyncHealth::read(&store, &config, now.timestamp())?;
            println!(
                "{}",
                serde_json::to_string_pretty(&health).unwrap_or_default()
            );
        }
        Command::Checkin { text } => {
            let mut store = Store::open_in(&config.data_dir())?;
            let result = hadir::kiosk::handle_scan(&mut store, text, &now, &config)?;
            println!(
                "{}",
                serde_json::to_string_pretty(&result).unwrap_or_default()
            );
            let admitted = matches!(
                result.verdict,
                hadir::checkin::Verdict::Ok | hadir::checkin::Verdict::AlreadyCheckedIn
            );
            if !admitted {
                return Ok(ExitCode::from(REFUSED));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
