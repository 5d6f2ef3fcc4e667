//! `hadir export`: the supervisor's files for a period (CSV, XLSX, PDF), all from one report.

use std::path::PathBuf;

use hadir::model::Language;
use hadir::report::{ExportFormat, ExportRange};
use hadir::{Config, Store};

use crate::output::print_line;

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// First office-local day of the period, YYYY-MM-DD.
    #[arg(long)]
    from: String,
    /// Last office-local day of the period (inclusive), YYYY-MM-DD; at most 366 days after --from.
    #[arg(long)]
    to: String,
    /// csv, xlsx or pdf; repeat (or separate with commas) for several. Default: all three.
    #[arg(long = "format", value_delimiter = ',')]
    formats: Vec<String>,
    /// Folder to write into (created if missing).
    #[arg(long)]
    out: PathBuf,
    /// Full applicant names and booking codes instead of masked ones (`[privacy]
    /// full_names_in_exports` does the same for every export). The export is audited either way.
    #[arg(long)]
    full_names: bool,
    /// The whole office from the hub (`hub_url`): every kiosk's check-ins and the doubles found
    /// after a split, the counters' waiting and service times, and this kiosk's ratings averaged
    /// per counter, in the same files. Ratings and staff actions stay in each kiosk's export.
    #[arg(long)]
    hub: bool,
    /// Language of the XLSX and PDF, `id` or `en` (CSV is the same in both). Default: the
    /// office's, `[kiosk] language`.
    #[arg(long)]
    lang: Option<String>,
}

impl ExportArgs {
    fn language(&self, config: &Config) -> hadir::Result<Language> {
        match &self.lang {
            None => Ok(config.kiosk.language),
            Some(code) => Language::from_code(code).ok_or_else(|| {
                hadir::Error::InvalidInput(format!("--lang {code:?} is not one of id, en"))
            }),
        }
    }
}

/// Writes the files, logs the export in the audit, and prints what was written as JSON.
pub fn run(args: &ExportArgs, config: &Config, now: &jiff::ZonedDateTime) -> hadir::Result<()> {
    let range = ExportRange::parse(&args.from, &args.to)?;
    let lang = args.language(config)?;
    let formats = if args.formats.is_empty() {
        ExportFormat::ALL.to_vec()
    } else {
        args.formats
            .iter()
            .map(|f| ExportFormat::parse(f.trim()))
            .collect::<hadir::Result<_>>()?
    };
    // The kiosk's own export reads its store, which must be there; the office's (from the hub)
    // only audits here, so it may run on a machine whose store it starts.
    let mut store = if args.hub {
        crate::open_or_create_store(config)?
    } else {
        crate::open_store(config)?
    };
    if args.hub {
        return export_from_hub(args, config, now, range, &formats, lang, &mut store);
    }
    // The kiosk's supervisor screen exports through the same function; the CLI acts as the
    // machine's admin (no staff id in the audit row).
    let written = hadir::staff_mode::export_and_audit(
        &mut store,
        config,
        range,
        &formats,
        &args.out,
        lang,
        now,
        args.full_names,
        None,
    )?;
    let (report, files) = (written.report, written.files);
    let summary = serde_json::json!({
        "from": range.from,
        "to": range.to,
        "full_names": report.full_names,
        "tickets": report.tickets.len(),
        "ratings": report.ratings.len(),
        "staff_actions": report.staff_actions.len(),
        "files": files,
    });
    print_line!(
        "{}",
        serde_json::to_string_pretty(&summary).unwrap_or_default()
    )?;
    Ok(())
}

/// `--hub`: the office's report from PostgreSQL, through the same renderers; audited here.
fn export_from_hub(
    args: &ExportArgs,
    config: &Config,
    now: &jiff::ZonedDateTime,
    range: ExportRange,
    formats: &[ExportFormat],
    lang: Language,
    store: &mut Store,
) -> hadir::Result<()> {
    let Some(url) = &config.hub_url else {
        return Err(hadir::Error::InvalidInput(
            "--hub needs hub_url in the config (see docs/configuration.md)".into(),
        ));
    };
    // Applicants rate at the kiosk that printed their ticket: this machine's ratings are joined
    // with the hub's calls for the ratings per counter (their rows stay in its own export).
    let ratings = store.report_ratings(range.from, range.to)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| hadir::Error::io("cannot start the async runtime", e))?;
    let report = runtime.block_on(async {
        let client = hadir::hub::connect(url, std::time::Duration::from_secs(10)).await?;
        hadir::hub::report::gather_with_ratings(
            &client,
            config,
            range,
            now,
            args.full_names,
            &ratings,
        )
        .await
    })?;
    let files = hadir::report::write(&report, formats, &args.out, lang)?;
    hadir::staff_mode::audit(
        store,
        &hadir::model::rfc3339(now),
        None,
        if report.full_names {
            "export_hub_full_names"
        } else {
            "export_hub"
        },
        Some(&format!(
            "{}..{} -> {}",
            range.from,
            range.to,
            args.out.display()
        )),
        None,
    )?;
    let summary = serde_json::json!({
        "from": range.from,
        "to": range.to,
        "source": "hub",
        "full_names": report.full_names,
        "tickets": report.tickets.len(),
        "doubles": report.tickets.iter().filter(|t| t.double.is_some()).count(),
        "counters_rated": report
            .office_times
            .as_ref()
            .map_or(0, |o| o.counter_ratings.len()),
        "files": files,
    });
    print_line!(
        "{}",
        serde_json::to_string_pretty(&summary).unwrap_or_default()
    )?;
    Ok(())
}
