//! Writing an export's files into a folder, each durable before the next step.

use std::path::{Path, PathBuf};

use super::{csv, render_pdf, xlsx, ExportFormat, Report};
use crate::error::{is_storage_full, Error, Result};
use crate::model::Language;

/// Writes `formats` of `report` into `dir` (created if missing) and returns the files written,
/// flushed to the medium (a stick may be pulled out as soon as this returns). XLSX and PDF
/// speak `lang`; CSV is the same in every language (codes, keys, RFC 3339 times).
///
/// All or nothing: every file is first written and synced under a temporary name beside its
/// own; only when all of them are there are they renamed. A stick that fills up (or fails)
/// half way leaves no file under an export's name and no temporary file behind
/// (`export_place_full` when it was full).
pub fn write(
    report: &Report,
    formats: &[ExportFormat],
    dir: &Path,
    lang: Language,
) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|e| failed_in(dir, "cannot create export folder", e))?;
    let stem = report.range.file_stem();
    let mut formats = formats.to_vec();
    formats.sort();
    formats.dedup();
    let tables = formats
        .iter()
        .any(|f| *f != ExportFormat::Pdf)
        .then(|| report.tables(lang));
    let tables = tables.as_ref().map_or(&[][..], |t| &t[..]);
    let mut staged = Staged::default();
    for format in formats {
        match format {
            ExportFormat::Csv => {
                for table in tables {
                    let path = dir.join(format!("{}_{stem}.csv", table.file));
                    staged.add(path, &csv::render_csv(table)?)?;
                }
            }
            ExportFormat::Xlsx => {
                let path = dir.join(format!("hadir_{stem}.xlsx"));
                staged.add(path, &xlsx::render_tables(report, tables)?)?;
            }
            ExportFormat::Pdf => {
                let path = dir.join(format!("laporan_{stem}.pdf"));
                staged.add(path, &render_pdf(report, lang)?)?;
            }
        }
    }
    let written = staged.publish()?;
    sync_folder(dir)?;
    Ok(written)
}

/// The export's files written so far under temporary names, each with its final one. Dropped
/// before [`Staged::publish`] (an error, a panic), it removes them all.
#[derive(Default)]
struct Staged {
    files: Vec<(PathBuf, PathBuf)>,
}

impl Staged {
    /// Writes `bytes` to a new temporary file beside `path` and syncs it. A stick may carry
    /// anything under an export's name, a symlink to the kiosk's own database included:
    /// `create_new` never follows one, and the rename at the end replaces the link itself, not
    /// its target.
    fn add(&mut self, path: PathBuf, bytes: &[u8]) -> Result<()> {
        use std::io::Write;
        let temporary = path.with_extension(format!("tmp-{}", uuid::Uuid::new_v4().simple()));
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary)
            .map_err(|e| failed_at(&path, e))?;
        // Known before the first byte: removed with the others if anything below fails.
        self.files.push((temporary, path.clone()));
        file.write_all(bytes)
            .and_then(|()| file.sync_all())
            .map_err(|e| failed_at(&path, e))
    }

    /// Renames every temporary file to its final name, in order; returns the final names.
    fn publish(mut self) -> Result<Vec<PathBuf>> {
        let files = std::mem::take(&mut self.files);
        let mut published = Vec::with_capacity(files.len());
        for (index, (temporary, path)) in files.iter().enumerate() {
            if let Err(error) = std::fs::rename(temporary, path) {
                // Those renamed stand (each whole); the rest must not stay as temporaries.
                self.files = files[index..].to_vec();
                return Err(failed_at(path, error));
            }
            published.push(path.clone());
        }
        Ok(published)
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        for (temporary, _) in &self.files {
            let _ = std::fs::remove_file(temporary);
        }
    }
}

/// A failed write of the export file `path`: `export_place_full` when there was no room.
fn failed_at(path: &Path, error: std::io::Error) -> Error {
    let folder = path.parent().unwrap_or(path);
    if is_storage_full(&error) {
        return Error::ExportPlaceFull {
            folder: folder.display().to_string(),
            source: error,
        };
    }
    Error::io(
        format!("cannot write export file {}", path.display()),
        error,
    )
}

/// A failed step on the export folder itself: `export_place_full` when there was no room.
fn failed_in(dir: &Path, what: &str, error: std::io::Error) -> Error {
    if is_storage_full(&error) {
        return Error::ExportPlaceFull {
            folder: dir.display().to_string(),
            source: error,
        };
    }
    Error::io(format!("{what} {}", dir.display()), error)
}

/// Makes the files' names durable too (each file's bytes are synced as it is written): after
/// this, pulling the stick out keeps every file. Windows writes removable drives through.
#[cfg(unix)]
fn sync_folder(dir: &Path) -> Result<()> {
    std::fs::File::open(dir)
        .and_then(|folder| folder.sync_all())
        .map_err(|e| failed_in(dir, "cannot flush export folder", e))
}

#[cfg(not(unix))]
fn sync_folder(_dir: &Path) -> Result<()> {
    Ok(())
}
