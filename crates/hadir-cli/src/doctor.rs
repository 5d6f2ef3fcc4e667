//! `hadir doctor`: runs the core's checks (`hadir::doctor`) and prints them as a table or JSON.
//! Every verdict and advice text comes from the core; this file only lays them out.

use std::path::Path;
use std::process::ExitCode;

use hadir::doctor::{Report, Status};
use hadir::Config;

/// Exit status when at least one check failed.
pub const FAILED: u8 = 6;
/// Exit status when nothing failed but something needs a look.
pub const WARNINGS: u8 = 7;

/// Loads the configuration (a broken one is the report's first line, not an abort), runs every
/// check with `at` (or the system clock) as the kiosk's clock, prints, and says how it went.
/// `demo`: the demo kiosk's folder, as `hadir-kiosk --demo` uses it.
pub fn run(config: Option<&Path>, demo: bool, at: Option<jiff::Timestamp>, json: bool) -> ExitCode {
    // With --at the clock starts there and runs on, as the kiosk's does.
    let offset = at
        .map(|at| at.duration_since(jiff::Timestamp::now()))
        .unwrap_or_default();
    let clock = move || {
        jiff::Timestamp::now()
            .checked_add(offset)
            .unwrap_or_else(|_| jiff::Timestamp::now())
    };
    let mut loaded = Config::load(config);
    if let (true, Ok((loaded, _))) = (demo, &mut loaded) {
        hadir::demo::use_demo_config(loaded, config.is_some());
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("hadir: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let report = runtime.block_on(hadir::doctor::examine(&loaded, &clock));
    let text = if json {
        serde_json::to_string_pretty(&report).unwrap_or_default() + "\n"
    } else {
        table(&report)
    };
    // A reader that stops early (`| head`) ends the run quietly, as for every command.
    if let Err(error) = crate::output::line(text.trim_end_matches('\n')) {
        if crate::output::is_closed(&error) {
            return ExitCode::from(crate::output::CLOSED);
        }
        eprintln!("hadir: {error}");
        return ExitCode::from(2);
    }
    match report.status {
        Status::Fail => ExitCode::from(FAILED),
        Status::Warn => ExitCode::from(WARNINGS),
        Status::Pass | Status::Skip => ExitCode::SUCCESS,
    }
}

/// The report for a person at a terminal: one line per check, each problem's advice below it
/// in Bahasa Indonesia and English.
fn table(report: &Report) -> String {
    let hadir = &report.hadir;
    let mut out = format!(
        "Hadir {} (commit {}, schema {}), {}, as user {}\n\n",
        hadir.version, hadir.commit, hadir.schema_version, report.checked_at, report.user
    );
    let width = report.checks.iter().map(|c| c.id.len()).max().unwrap_or(0);
    for check in &report.checks {
        out.push_str(&format!(
            "  {:<4}  {:<width$}  {}\n",
            label(check.status),
            check.id,
            check.detail
        ));
        if let Some(advice) = &check.advice {
            let indent = " ".repeat(width + 8);
            out.push_str(&format!("{indent}id: {}\n", advice.id));
            out.push_str(&format!("{indent}en: {}\n", advice.en));
        }
    }
    let count = |status| report.checks.iter().filter(|c| c.status == status).count();
    let verdict = match report.status {
        Status::Fail => format!(
            "FAIL: {} failed, {} to look at",
            count(Status::Fail),
            count(Status::Warn)
        ),
        Status::Warn => format!("WARN: {} to look at", count(Status::Warn)),
        Status::Pass | Status::Skip => "OK: every check passed".to_owned(),
    };
    out.push_str(&format!("\n{verdict}\n"));
    out
}

fn label(status: Status) -> &'static str {
    match status {
        Status::Pass => "ok",
        Status::Skip => "skip",
        Status::Warn => "WARN",
        Status::Fail => "FAIL",
    }
}
