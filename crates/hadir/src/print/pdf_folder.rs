//! The PDF folder sink: one file per ticket (the demo, and kiosks without a printer).

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::store::PrintOutcome;
use crate::ticket::{render_pdf, TicketView};

/// Writes each ticket as `<dir>/<office date>/<label>_<ticket id prefix>.pdf`.
#[derive(Debug, Clone)]
pub struct PdfFolder {
    pub dir: PathBuf,
    pub paper_width_mm: u32,
}

impl PdfFolder {
    /// Prints one ticket; a failure is reported in the outcome, never raised: the check-in
    /// is already committed and must stand whatever the printer does.
    pub fn print(&self, ticket: &TicketView, office_date: &str) -> PrintOutcome {
        match self.write(ticket, office_date) {
            Ok(path) => PrintOutcome::Printed {
                sink: format!("pdf:{}", path.display()),
            },
            Err(error) => {
                log::error!("ticket {} not written: {error}", ticket.label);
                PrintOutcome::Failed {
                    sink: format!("pdf:{}", self.dir.display()),
                    reason: if error.code() == "ticket_render_failed" {
                        "render_failed"
                    } else {
                        "printer_failed"
                    },
                    detail: error.to_string(),
                }
            }
        }
    }

    fn write(&self, ticket: &TicketView, office_date: &str) -> Result<PathBuf> {
        let day_dir = self.dir.join(office_date);
        std::fs::create_dir_all(&day_dir)
            .map_err(|e| Error::io(format!("cannot create {}", day_dir.display()), e))?;
        let copy = if ticket.copy { "_salinan" } else { "" };
        let id_prefix: String = ticket.ticket_id.chars().take(8).collect();
        let path = day_dir.join(format!("{}_{id_prefix}{copy}.pdf", ticket.label));
        let bytes = render_pdf(std::slice::from_ref(ticket), self.paper_width_mm)?;
        write_whole(&path, &bytes)?;
        Ok(path)
    }
}

/// Writes a file so that a reader never sees half of it: temp file, flush, rename.
fn write_whole(path: &Path, bytes: &[u8]) -> Result<()> {
    let temp = path.with_extension("pdf.part");
    std::fs::write(&temp, bytes)
        .map_err(|e| Error::io(format!("cannot write {}", temp.display()), e))?;
    std::fs::rename(&temp, path)
        .map_err(|e| Error::io(format!("cannot rename to {}", path.display()), e))
}
