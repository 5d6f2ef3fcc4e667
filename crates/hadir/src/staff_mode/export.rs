//! Exports of a period: the supervisor's at the kiosk (to an offered place only) and the CLI's,
//! both through [`export_and_audit`].

use jiff::ZonedDateTime;
use serde::Serialize;

use super::{audit, supervisor_only, Session};
use crate::config::Config;
use crate::error::{Result, StaffRefusal};
use crate::folders::ExportFolder;
use crate::model::{rfc3339, Language};
use crate::report::{ExportFormat, ExportRange, Report};
use crate::store::Store;

/// What an export wrote, and where: the screen names the place and says whether the stick can
/// be pulled out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exported {
    pub from: String,
    pub to: String,
    pub files: Vec<String>,
    pub place: ExportFolder,
    /// The files are flushed and the place is a stick: it can be pulled out now.
    pub can_remove: bool,
}

/// The places an export may go to now (sticks by label, the kiosk's own folder last; see
/// [`crate::folders::export_folders`]), for a supervisor (a refusal audited).
pub fn export_places(
    store: &mut Store,
    session: &Session,
    now: &ZonedDateTime,
    config: &Config,
) -> Result<Vec<ExportFolder>> {
    supervisor_only(store, session, now, "export_places")?;
    Ok(crate::folders::export_folders(config))
}

/// Exports a period (empty `from`/`to`: today) in every format to `dir`, one of the places
/// [`crate::folders::export_folders`] offers (the window may write nowhere else), supervisor
/// only, audited. The XLSX and PDF speak `lang`, the supervisor's screen language (else the
/// office's). The CLI's `hadir export` writes the same files from the same report.
#[allow(clippy::too_many_arguments)]
pub fn export_report(
    store: &mut Store,
    session: &Session,
    from: &str,
    to: &str,
    dir: &std::path::Path,
    lang: Option<Language>,
    now: &ZonedDateTime,
    config: &Config,
) -> Result<Exported> {
    supervisor_only(store, session, now, "export")?;
    let range = staff_export_range(from, to, now)?;
    let place = crate::folders::offered_export_folder(config, dir)
        .ok_or_else(|| StaffRefusal::ExportPlaceGone(dir.display().to_string()))?;
    let lang = lang.unwrap_or(config.kiosk.language);
    let written = export_and_audit(
        store,
        config,
        range,
        &ExportFormat::ALL,
        &place.path,
        lang,
        now,
        false,
        Some(session.staff_id),
    )?;
    Ok(Exported {
        from: range.from.to_string(),
        to: range.to.to_string(),
        files: written
            .files
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
        can_remove: place.can_be_removed(),
        place,
    })
}

/// The period a supervisor typed (`DD-MM-YYYY` or `YYYY-MM-DD`; empty: today), refused with
/// a next step staff can follow.
pub fn staff_export_range(
    from: &str,
    to: &str,
    now: &ZonedDateTime,
) -> Result<ExportRange, StaffRefusal> {
    let date = |text: &str| {
        let text = text.trim();
        if text.is_empty() {
            return Ok(now.date());
        }
        crate::model::dates::parse_entered_date(text)
            .ok_or_else(|| StaffRefusal::DateMalformed(text.chars().take(20).collect()))
    };
    let (from, to) = (date(from)?, date(to)?);
    ExportRange::new(from, to).map_err(|_| StaffRefusal::PeriodInvalid(format!("{from}..{to}")))
}

/// A finished export: the report it wrote and the files.
#[derive(Debug)]
pub struct ExportWritten {
    pub report: Report,
    pub files: Vec<std::path::PathBuf>,
}

/// Gathers the period's report, writes `formats` into `dir` (XLSX and PDF in `lang`) and logs
/// the export in the audit (exports carry personal data out of the kiosk: who took which
/// period stays on record).
#[allow(clippy::too_many_arguments)]
pub fn export_and_audit(
    store: &mut Store,
    config: &Config,
    range: ExportRange,
    formats: &[ExportFormat],
    dir: &std::path::Path,
    lang: Language,
    now: &ZonedDateTime,
    full_names: bool,
    staff_id: Option<i64>,
) -> Result<ExportWritten> {
    let report = Report::gather(store, config, range, now, full_names)?;
    let target = format!(
        "{}..{} {} -> {}",
        range.from,
        range.to,
        formats
            .iter()
            .map(|f| f.as_str())
            .collect::<Vec<_>>()
            .join(","),
        dir.display()
    );
    let action = if report.full_names {
        "export_full_names"
    } else {
        "export"
    };
    // Audited before a file exists: personal data may leave on the stick even if a later file
    // fails, and the log must say so.
    audit(store, &rfc3339(now), staff_id, action, Some(&target), None)?;
    let files = match crate::report::write(&report, formats, dir, lang) {
        Ok(files) => files,
        Err(error) => {
            audit(
                store,
                &rfc3339(now),
                staff_id,
                "export_failed",
                Some(&target),
                Some(error.code()),
            )?;
            return Err(error);
        }
    };
    Ok(ExportWritten { report, files })
}
