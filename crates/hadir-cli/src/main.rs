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
}

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
            let bytes = std::fs::read(file).map_err(|e| hadir::Error::Io {
                what: format!("cannot read {}", file.display()),
                source: e,
            })?;
            let body = hadir::feed::FeedBody::parse(&bytes)?;
            if !body.full {
                return Err(hadir::Error::FeedInvalid(
                    "an imported file must be a full list (\"full\": true)".into(),
                ));
            }
            let mut store = Store::open_in(&config.data_dir())?;
            let applied = store.apply_feed(&body, now.timestamp())?;
            println!(
                "{}",
                serde_json::to_string_pretty(&applied).unwrap_or_default()
            );
            for skipped in &body.skipped {
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
