//! Writing an export's files into a folder, each durable before the next step.

use std::path::{Path, PathBuf};

use super::{csv, render_pdf, xlsx, ExportFormat, Report};
use crate::error::{Error, Result};
use crate::model::Language;

/// Writes `formats` of `report` into `dir` (created if missing) and returns the files written,
/// flushed to the medium (a stick may be pulled out as soon as this returns). XLSX and PDF
/// speak `lang`; CSV is the same in every language (codes, keys, RFC 3339 times).
pub fn write(
    report: &Report,
    formats: &[ExportFormat],
    dir: &Path,
    lang: Language,
) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::io(format!("cannot create export folder {}", dir.display()), e))?;
    let stem = report.range.file_stem();
    let mut formats = formats.to_vec();
    formats.sort();
    formats.dedup();
    let tables = formats
        .iter()
        .any(|f| *f != ExportFormat::Pdf)
        .then(|| report.tables(lang));
    let tables = tables.as_ref().map_or(&[][..], |t| &t[..]);
    let mut written = Vec::new();
    for format in formats {
        match format {
            ExportFormat::Csv => {
                for table in tables {
                    let path = dir.join(format!("{}_{stem}.csv", table.file));
                    write_file(&path, &csv::render_csv(table)?)?;
                    written.push(path);
                }
            }
            ExportFormat::Xlsx => {
                let path = dir.join(format!("hadir_{stem}.xlsx"));
                write_file(&path, &xlsx::render_tables(report, tables)?)?;
                written.push(path);
            }
            ExportFormat::Pdf => {
                let path = dir.join(format!("laporan_{stem}.pdf"));
                write_file(&path, &render_pdf(report, lang)?)?;
                written.push(path);
            }
        }
    }
    sync_folder(dir)?;
    Ok(written)
}

/// Makes the files' names durable too (each file's bytes are synced as it is written): after
/// this, pulling the stick out keeps every file. Windows writes removable drives through.
#[cfg(unix)]
fn sync_folder(dir: &Path) -> Result<()> {
    std::fs::File::open(dir)
        .and_then(|folder| folder.sync_all())
        .map_err(|e| Error::io(format!("cannot flush export folder {}", dir.display()), e))
}

#[cfg(not(unix))]
fn sync_folder(_dir: &Path) -> Result<()> {
    Ok(())
}

/// Writes into a new temporary file beside `path`, then renames it over `path`. A stick may
/// carry anything under an export's name, a symlink to the kiosk's own database included:
/// `create_new` never follows one, and a rename replaces the link itself, not its target.
fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let failed = |e| Error::io(format!("cannot write export file {}", path.display()), e);
    let temporary = path.with_extension(format!("tmp-{}", uuid::Uuid::new_v4().simple()));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temporary)
        .map_err(failed)?;
    let written = file
        .write_all(bytes)
        .and_then(|()| file.sync_all())
        .and_then(|()| std::fs::rename(&temporary, path));
    if let Err(error) = written {
        let _ = std::fs::remove_file(&temporary);
        return Err(failed(error));
    }
    Ok(())
}
