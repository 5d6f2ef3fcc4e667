//! `hadir walkin`: priority walk-ins from the shell, through the kiosk's own use cases: what is
//! left of today's quota, a walk-in ticket as the kiosk issues it to an applicant (printed on the
//! configured printer), and today's walk-ins. In hub mode the CLI does not reach the hub: it
//! counts and issues as a kiosk cut off from it (the places the hub keeps for this kiosk).

use std::process::ExitCode;

use clap::Subcommand;
use hadir::kiosk::{Printing, ScanContext};
use hadir::model::{Priority, Service};
use hadir::walkin::WalkinChoice;
use hadir::{Config, Store};

use crate::checkin::REFUSED;
use crate::output;

#[derive(Debug, Subcommand)]
pub enum WalkinAction {
    /// What is left of today's walk-in quota, per category and service, as JSON.
    State,
    /// Issue a walk-in ticket as the kiosk does for an applicant without a booking
    /// (`hadir walkin issue lansia baru`): categories lansia, disabilitas, ibu_hamil, anak;
    /// services baru, penggantian, hilang_rusak. Printed at once; the result as JSON. Exit
    /// status 0 when issued, 3 when refused (`walkin_quota_full`, `walkin_not_offered`, ...).
    Issue { category: String, service: String },
    /// Today's walk-ins (office-local day) as JSON.
    List,
}

pub fn run(
    action: &WalkinAction,
    store: &mut Store,
    now: &jiff::ZonedDateTime,
    config: &Config,
) -> hadir::Result<ExitCode> {
    if let WalkinAction::List = action {
        let list = hadir::walkin::walkins_today(store, now)?;
        output::line(&serde_json::to_string_pretty(&list).unwrap_or_default())?;
        return Ok(ExitCode::SUCCESS);
    }
    let access = std::sync::Mutex::new(store);
    let ctx = ScanContext {
        store: &access,
        hub: None,
        printing: Printing::Now,
        language: config.kiosk.language,
        now,
        config,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| hadir::Error::io("cannot start the async runtime", e))?;
    match action {
        WalkinAction::Issue { category, service } => {
            let choice = WalkinChoice {
                category: Priority::parse(category).ok_or_else(|| {
                    hadir::Error::InvalidInput(format!(
                        "{category:?} is not a category (lansia, disabilitas, ibu_hamil, anak)"
                    ))
                })?,
                service: Service::parse(service).ok_or_else(|| {
                    hadir::Error::InvalidInput(format!(
                        "{service:?} is not a service (baru, penggantian, hilang_rusak)"
                    ))
                })?,
            };
            let (result, _) = runtime.block_on(hadir::walkin::issue_at_kiosk(choice, &ctx))?;
            output::line(&serde_json::to_string_pretty(&result).unwrap_or_default())?;
            Ok(if result.admits {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(REFUSED)
            })
        }
        _ => {
            let state = runtime.block_on(hadir::walkin::quota_state(&ctx))?;
            output::line(&serde_json::to_string_pretty(&state).unwrap_or_default())?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
