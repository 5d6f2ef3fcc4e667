//! `printer`: the configured ticket printer, asked its state the way a print asks it first,
//! with nothing printed.

use super::files::{folder, Folder};
use super::{Advice, Check};
use crate::config::SinkKind;
use crate::print::{probe, what_to_check, PrintFailure, PrinterSink, PrinterState};
use crate::Config;

/// Whether the configured printer could print a ticket now.
pub fn printer(config: &Config) -> Check {
    let sink = PrinterSink::from_config(config);
    let described = sink.describe();
    let check = if config.printer.sink == SinkKind::PdfFolder {
        pdf_folder(config)
    } else {
        match probe(&sink) {
            Ok(PrinterState::Ready) => Check::pass("printer", format!("{described}: ready")),
            Ok(PrinterState::NotAsked(why)) => Check::pass(
                "printer",
                format!("{described}: reachable; its state was not asked ({why})"),
            ),
            Ok(PrinterState::PaperNearEnd) => Check::warn(
                "printer",
                format!("{described}: ready, paper nearly out"),
                Advice::fixed("printer_paper_near_end", "doctor.printer_paper_near_end"),
            ),
            Err(failure) => Check::fail(
                "printer",
                format!("{described}: {} ({})", failure.detail, failure.reason),
                failure_advice(&failure, config),
            )
            .fact("reason", failure.reason),
        }
    };
    check.fact("sink", described)
}

/// The same words the staff screen shows for this failure.
fn failure_advice(failure: &PrintFailure, config: &Config) -> Advice {
    let key = format!("staff.printer.check.{}", what_to_check(failure.reason));
    let params = serde_json::json!({ "queue": config.printer.name.clone().unwrap_or_default() });
    Advice::text(failure.reason, &key, params)
}

/// `pdf_folder`: the ticket folder is there (or creatable) and writable.
fn pdf_folder(config: &Config) -> Check {
    let dir = config.pdf_dir();
    let shown = dir.display();
    let advice = || {
        Advice::text(
            "pdf_dir_not_writable",
            "doctor.pdf_dir_not_writable",
            serde_json::json!({ "folder": shown.to_string() }),
        )
    };
    match folder(&dir) {
        Folder::Writable => Check::pass("printer", format!("PDF tickets go to {shown}")),
        Folder::Missing { creatable: true } => Check::pass(
            "printer",
            format!("PDF tickets go to {shown} (created with the first ticket)"),
        ),
        Folder::Missing { creatable: false } => Check::fail(
            "printer",
            format!("the ticket folder {shown} cannot be created"),
            advice(),
        ),
        Folder::IsAFile => Check::fail(
            "printer",
            format!("the ticket folder {shown} is a file"),
            advice(),
        ),
        Folder::ReadOnly(why) => Check::fail(
            "printer",
            format!("the ticket folder {shown} is not writable: {why}"),
            advice(),
        ),
    }
}
