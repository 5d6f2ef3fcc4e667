//! `hadir counter`: a counter's actions from the shell, for admins and tests, through the
//! counter machine's own use cases (`hadir::counter_desk`): call next, call again, no-show,
//! start, finish, transfer, and the waiting counts. Hub only: without `hub_url` each answers
//! `counter_needs_hub`. No sign-in (the admin on the machine); `--staff` names who is recorded
//! on the calls. JSON out; exit status 0 when done, 3 when the counter refused (nobody waiting,
//! a ticket in hand, call again first, ...), 2 on an error (the hub not reached, ...).

use std::process::ExitCode;

use clap::{Args, Subcommand};
use hadir::counter_desk::{self, CounterAction};
use hadir::error::CounterRefusal;
use hadir::hub::{Desk, HubLink};
use hadir::model::Service;
use hadir::{Config, ErrorPayload, Store};

use crate::checkin::REFUSED;
use crate::output;

#[derive(Debug, Subcommand)]
pub enum CounterCommand {
    /// Call the next ticket for the counter's services (by `[calling]`'s rules).
    CallNext(Post),
    /// Call the counter's called ticket again.
    CallAgain(Post),
    /// Mark the counter's called ticket a no-show (after `calling.no_show_after_recalls`
    /// calls again).
    NoShow(Post),
    /// The applicant came: serve the counter's called ticket.
    Start(Post),
    /// Done with the counter's ticket (called or being served).
    Finish(Post),
    /// Send the counter's ticket to another service (`--to penggantian`); the number stays.
    Transfer {
        #[command(flatten)]
        post: Post,
        /// The service it goes to: baru, penggantian, hilang_rusak.
        #[arg(long)]
        to: String,
    },
    /// The counter's ticket in hand and how many wait for its services, per lane.
    Waiting(Post),
}

/// The counter acting: its number, its services and who is at it.
#[derive(Debug, Args)]
pub struct Post {
    /// The counter's number (1 to `calling.counters`).
    #[arg(long)]
    counter: i64,
    /// The services it serves, comma-separated: baru, penggantian, hilang_rusak.
    #[arg(long, value_delimiter = ',', required = true)]
    services: Vec<String>,
    /// The name recorded on its calls.
    #[arg(long, default_value = "hadir-cli")]
    staff: String,
}

fn service(text: &str) -> hadir::Result<Service> {
    Service::parse(text.trim()).ok_or_else(|| {
        hadir::Error::InvalidInput(format!(
            "{text:?} is not a service (baru, penggantian, hilang_rusak)"
        ))
    })
}

pub fn run(
    command: &CounterCommand,
    store: impl FnOnce() -> hadir::Result<Store>,
    now: &jiff::ZonedDateTime,
    config: &Config,
) -> hadir::Result<ExitCode> {
    let (post, action) = match command {
        CounterCommand::CallNext(post) => (post, Some(CounterAction::CallNext)),
        CounterCommand::CallAgain(post) => (post, Some(CounterAction::CallAgain)),
        CounterCommand::NoShow(post) => (post, Some(CounterAction::NoShow)),
        CounterCommand::Start(post) => (post, Some(CounterAction::Start)),
        CounterCommand::Finish(post) => (post, Some(CounterAction::Finish)),
        CounterCommand::Transfer { post, to } => {
            (post, Some(CounterAction::Transfer { to: service(to)? }))
        }
        CounterCommand::Waiting(post) => (post, None),
    };
    let url = config.hub_url.clone().ok_or(CounterRefusal::NeedsHub)?;
    let services = post
        .services
        .iter()
        .map(|s| service(s))
        .collect::<hadir::Result<Vec<_>>>()?;
    let chosen = counter_desk::check_post(post.counter, &services, config)?;
    let desk = Desk {
        counter: chosen.counter,
        services: chosen.services,
        staff: post.staff.clone(),
    };
    let link = HubLink::new(url);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| hadir::Error::io("cannot start the async runtime", e))?;
    let answer = match action {
        None => runtime
            .block_on(counter_desk::look(&link, &desk, now, config))
            .map(|screen| serde_json::to_string_pretty(&screen).unwrap_or_default()),
        Some(action) => {
            let access = std::sync::Mutex::new(store()?);
            runtime
                .block_on(counter_desk::act(
                    &link, &access, &desk, action, now, config,
                ))
                .map(|acted| serde_json::to_string_pretty(&acted).unwrap_or_default())
        }
    };
    match answer {
        Ok(json) => {
            output::line(&json)?;
            Ok(ExitCode::SUCCESS)
        }
        // The counter said no (nothing changed): its answer, as JSON, like a refused check-in.
        Err(hadir::Error::Counter(refusal))
            if !matches!(refusal, CounterRefusal::HubUnreachable(_)) =>
        {
            let error = hadir::Error::Counter(refusal);
            let payload = ErrorPayload::from(&error);
            output::line(&serde_json::to_string_pretty(&payload).unwrap_or_default())?;
            Ok(ExitCode::from(REFUSED))
        }
        Err(error) => Err(error),
    }
}
