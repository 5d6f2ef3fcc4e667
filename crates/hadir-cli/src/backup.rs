//! `hadir backup` and `hadir restore`: a verified copy of the store now, and putting a copy in
//! the store's place (the kiosk does both by itself; these are for IT). See
//! docs/operator-guide.md, "Backups and restore".

use hadir::backup::{self, Generation, RestoreReason};
use hadir::kiosk_lock::KioskLock;
use hadir::{Config, Error, Store};
use serde::Serialize;
use std::io::Write;

use crate::output::print_line;

#[derive(Debug, clap::Args)]
pub struct RestoreArgs {
    /// The copy to restore: its file name or its number, as `hadir restore` lists them.
    /// Default: the newest copy that passes its check.
    generation: Option<String>,
    /// Replace the kiosk's database with the copy (the kiosk must be stopped; the database
    /// replaced is kept in a `replaced-<time>` folder of the data folder). Without it, the
    /// copies are only listed, each checked.
    #[arg(long)]
    yes: bool,
}

/// A copy as `hadir restore` lists it.
#[derive(Debug, Serialize)]
struct Listed<'a> {
    #[serde(flatten)]
    generation: &'a Generation,
    /// `PRAGMA integrity_check` passes now.
    verified: bool,
}

/// Takes a backup now, as the kiosk's task would, and prints what it wrote as JSON.
pub fn backup(store: &mut Store, config: &Config, now: jiff::Timestamp) -> hadir::Result<()> {
    let taken = backup::take_backup(store, config, now)?;
    print_line!(
        "{}",
        serde_json::to_string_pretty(&taken).unwrap_or_default()
    )
}

/// Lists the copies (without `--yes`), or restores one in place of the store.
pub fn restore(args: &RestoreArgs, config: &Config, now: jiff::Timestamp) -> hadir::Result<()> {
    let generations = backup::all_generations(config)?;
    if !args.yes {
        let listed: Vec<Listed<'_>> = generations
            .iter()
            .map(|generation| Listed {
                generation,
                verified: hadir::store::verify_copy(&generation.path).is_ok_and(|v| v == "ok"),
            })
            .collect();
        print_line!(
            "{}",
            serde_json::to_string_pretty(&listed).unwrap_or_default()
        )?;
        // Not `eprintln!`: it panics when standard error is closed.
        let _ = writeln!(
            std::io::stderr(),
            "nothing restored: add --yes to restore (the kiosk must be stopped)"
        );
        return Ok(());
    }
    let chosen = match &args.generation {
        Some(wanted) => chosen(&generations, wanted)?,
        None => backup::newest_verified(config)?.ok_or_else(|| Error::BackupNotFound {
            looked_in: backup::looked_in(config),
        })?,
    };
    // Held until the restore is done: no kiosk starts on a store being replaced.
    let _lock = KioskLock::acquire(&config.data_dir()).map_err(|error| match error {
        Error::KioskAlreadyRunning { data_dir, .. } => Error::RestoreKioskRunning { data_dir },
        other => other,
    })?;
    let (_, restored) = backup::restore(config, &chosen, RestoreReason::ByHand, None, now)?;
    print_line!(
        "{}",
        serde_json::to_string_pretty(&restored).unwrap_or_default()
    )
}

/// The copy named by file name or number; it must pass its check now.
fn chosen(generations: &[Generation], wanted: &str) -> hadir::Result<Generation> {
    let number = wanted.trim().parse::<u64>().ok();
    let generation = generations
        .iter()
        .find(|g| g.name == wanted || Some(g.sequence) == number)
        .ok_or_else(|| {
            Error::InvalidInput(format!(
                "no backup {wanted:?}: `hadir restore` lists them by name and number"
            ))
        })?;
    match hadir::store::verify_copy(&generation.path) {
        Ok(verdict) if verdict == "ok" => Ok(generation.clone()),
        Ok(problems) => Err(Error::BackupUnusable(format!(
            "{} fails its integrity check ({problems}); choose another",
            generation.name
        ))),
        Err(error) => Err(Error::BackupUnusable(format!(
            "{} cannot be read ({error}); choose another",
            generation.name
        ))),
    }
}
