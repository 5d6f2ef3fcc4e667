//! A counter at work (config `role = "counter"`): staff sign in with their PIN on the counter
//! machine's own store (the kiosk's rules: `staff_mode`'s seat, lockout and idle sign-out),
//! choose their counter number and the services they serve, then call tickets at the office
//! hub (`hub::calls`): call next, call again, no-show, start, finish, send to another service,
//! and the waiting counts.
//!
//! Each action is one piece of work on the hub connection within `hub.timeout_ms`; a hub that
//! does not answer changes nothing and says so (`counter_hub_unreachable`). A refusal (nobody
//! waiting, a ticket in hand, call again first) is an answer, not a hub failure. Each call,
//! finish and no-show the hub recorded also goes into this machine's outbox, with the hub's
//! nonce, for the sync task to push upstream (docs/feed-api.md). The clock and config are
//! passed in.

use jiff::ZonedDateTime;
use serde::Serialize;
use tokio_postgres::Client;

use crate::config::Config;
use crate::error::{CounterRefusal, Error, Result};
use crate::hub::QueueWaiting;
use crate::hub::{self, CallNext, CallState, CounterTicket, Desk, HubEvent, HubLink, NoShow};
use crate::model::Service;
use crate::staff_mode::{Session, SignInPlace, SignInResult, SignOutReason, StaffSeat};
use crate::store::{Store, StoreAccess};

/// The counter number and services staff chose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CounterPost {
    pub counter: i32,
    pub services: Vec<Service>,
}

/// Checks a counter number (`1..=calling.counters`) and the services chosen (at least one;
/// each once, in the order chosen).
pub fn check_post(counter: i64, services: &[Service], config: &Config) -> Result<CounterPost> {
    let max = config.calling.counters;
    let number = i32::try_from(counter)
        .ok()
        .filter(|n| (1..=i64::from(max)).contains(&i64::from(*n)))
        .ok_or(CounterRefusal::NumberInvalid {
            number: counter,
            max,
        })?;
    let mut chosen: Vec<Service> = Vec::new();
    for service in services {
        if !chosen.contains(service) {
            chosen.push(*service);
        }
    }
    if chosen.is_empty() {
        return Err(CounterRefusal::NoServices.into());
    }
    Ok(CounterPost {
        counter: number,
        services: chosen,
    })
}

/// The counter machine's one seat: who is signed in (the staff seat's policy) and the post
/// they chose. The shell keeps one and asks it for the [`Desk`] before each action.
#[derive(Debug, Default)]
pub struct CounterSeat {
    seat: StaffSeat,
    post: Option<CounterPost>,
}

impl CounterSeat {
    /// A PIN sign-in at a counter (counter, front desk and supervisor accounts); a new sign-in
    /// chooses its post again.
    pub fn sign_in(
        &mut self,
        store: &mut Store,
        name: &str,
        pin: &str,
        now: &ZonedDateTime,
        config: &Config,
    ) -> Result<SignInResult> {
        let result = self
            .seat
            .sign_in_at(store, SignInPlace::Counter, name, pin, now, config)?;
        if matches!(result, SignInResult::SignedIn { .. }) {
            self.post = None;
        }
        Ok(result)
    }

    /// Ends the session (audited with why) and forgets the post.
    pub fn sign_out(
        &mut self,
        store: &mut Store,
        now: &ZonedDateTime,
        why: SignOutReason,
    ) -> Result<()> {
        self.post = None;
        self.seat.sign_out(store, now, why)
    }

    /// The live session at `now` (which counts as activity): the staff seat's idle and
    /// changed-account rules.
    pub fn session(
        &mut self,
        store: &mut Store,
        now: &ZonedDateTime,
        config: &Config,
    ) -> Result<Session> {
        let session = self.seat.live_session(store, now, config);
        if session.is_err() {
            self.post = None;
        }
        session
    }

    /// The signed-in staff member takes counter `counter` serving `services`.
    pub fn choose(
        &mut self,
        store: &mut Store,
        counter: i64,
        services: &[Service],
        now: &ZonedDateTime,
        config: &Config,
    ) -> Result<Desk> {
        let session = self.session(store, now, config)?;
        let post = check_post(counter, services, config)?;
        self.post = Some(post.clone());
        Ok(desk_of(&session, &post))
    }

    /// The desk to act at: signed in (still) and a post chosen; `now` counts as activity.
    pub fn desk(
        &mut self,
        store: &mut Store,
        now: &ZonedDateTime,
        config: &Config,
    ) -> Result<Desk> {
        let session = self.session(store, now, config)?;
        let post = self.post.as_ref().ok_or(CounterRefusal::NotSetUp)?;
        Ok(desk_of(&session, post))
    }

    /// [`CounterSeat::desk`] for the screen's timed refresh: not activity, so a counter left
    /// alone still signs out after `[staff] idle_logout_seconds`.
    pub fn desk_unattended(
        &mut self,
        store: &mut Store,
        now: &ZonedDateTime,
        config: &Config,
    ) -> Result<Desk> {
        let session = match self.seat.live_session_unattended(store, now, config) {
            Ok(session) => session,
            Err(error) => {
                self.post = None;
                return Err(error);
            }
        };
        let post = self.post.as_ref().ok_or(CounterRefusal::NotSetUp)?;
        Ok(desk_of(&session, post))
    }
}

fn desk_of(session: &Session, post: &CounterPost) -> Desk {
    Desk {
        counter: post.counter,
        services: post.services.clone(),
        staff: session.name.clone(),
    }
}

/// What a counter does to its tickets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CounterAction {
    CallNext,
    CallAgain,
    NoShow,
    Start,
    Finish,
    /// Send the ticket in hand to another service (the number stays).
    Transfer {
        to: Service,
    },
}

impl CounterAction {
    /// `call_next`, `call_again`, `no_show`, `start`, `finish`, `transfer`: the screen's and
    /// the CLI's name of the action.
    pub fn name(self) -> &'static str {
        match self {
            CounterAction::CallNext => "call_next",
            CounterAction::CallAgain => "call_again",
            CounterAction::NoShow => "no_show",
            CounterAction::Start => "start",
            CounterAction::Finish => "finish",
            CounterAction::Transfer { .. } => "transfer",
        }
    }
}

/// What the counter's screen shows: its post, the ticket in hand, who waits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CounterScreen {
    pub counter: i32,
    pub services: Vec<Service>,
    pub staff: String,
    /// Called or being served; `None`: nothing in hand.
    pub ticket: Option<CounterTicket>,
    /// Per service this counter serves, per lane.
    pub waiting: Vec<QueueWaiting>,
    /// Calls again needed before a no-show (`calling.no_show_after_recalls`).
    pub recalls_needed: u32,
}

/// One action done: which, the ticket it was done to, and the screen after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Acted {
    pub action: &'static str,
    pub label: String,
    /// The service it went to (a transfer), else the one it was called for.
    pub service: Service,
    pub screen: CounterScreen,
}

/// Does `action` at the hub for `desk`, writes its event (if any) to this machine's outbox,
/// and reads the screen after it, in one piece of work on the hub connection.
pub async fn act(
    link: &HubLink,
    access: &impl StoreAccess,
    desk: &Desk,
    action: CounterAction,
    now: &ZonedDateTime,
    config: &Config,
) -> Result<Acted> {
    // The action alone first, and its event into the outbox as soon as the hub committed it:
    // a screen read that fails or runs out of time afterwards must not lose the event (review).
    let answer = link
        .run(now.timestamp(), config, async |client: &mut Client| {
            on_hub(client, desk, action, now, config).await
        })
        .await
        .map_err(from_hub)?;
    let (label, service, event) = answer?;
    if let Some(event) = event {
        // The hub keeps its own row of it (`call_events`) whatever happens here.
        access.with_store(|store| {
            store.add_counter_event(&event.nonce, event.kind, &event.body, &event.at)
        })?;
    }
    let screen = look(link, desk, now, config).await?;
    Ok(Acted {
        action: action.name(),
        label,
        service,
        screen,
    })
}

/// The counter's screen now (its ticket in hand after a restart, the waiting counts).
pub async fn look(
    link: &HubLink,
    desk: &Desk,
    now: &ZonedDateTime,
    config: &Config,
) -> Result<CounterScreen> {
    link.run(now.timestamp(), config, async |client: &mut Client| {
        screen(client, desk, now, config).await
    })
    .await
    .map_err(from_hub)
}

/// A hub failure, as a counter says it: the network to the office server, try again.
fn from_hub(error: Error) -> Error {
    match error {
        Error::Hub(why) => CounterRefusal::HubUnreachable(why).into(),
        other => other,
    }
}

/// The label, service and event of what was done, or why it was not.
type Done = std::result::Result<(String, Service, Option<HubEvent>), CounterRefusal>;

async fn on_hub(
    client: &mut Client,
    desk: &Desk,
    action: CounterAction,
    now: &ZonedDateTime,
    config: &Config,
) -> Result<Done> {
    let counter = desk.counter;
    Ok(match action {
        CounterAction::CallNext => match hub::call_next(client, desk, now, config).await? {
            CallNext::Called { call } => Ok((call.label, call.service, call.event)),
            CallNext::NobodyWaiting => Err(CounterRefusal::NobodyWaiting),
            CallNext::Busy { ticket } => Err(CounterRefusal::Busy(ticket.label)),
        },
        CounterAction::CallAgain => match hub::call_again(client, counter, now, config).await? {
            Some(call) => Ok((call.label, call.service, call.event)),
            None => Err(why_not_called(client, counter, now, config).await?),
        },
        CounterAction::NoShow => match hub::no_show(client, counter, now, config).await? {
            NoShow::Marked { ticket } => Ok(done(ticket)),
            NoShow::CallAgainFirst { recalls, needed } => {
                let label = hub::ticket_at(client, counter, now, config)
                    .await?
                    .map(|t| t.label)
                    .unwrap_or_default();
                Err(CounterRefusal::CallAgainFirst {
                    label,
                    recalls,
                    needed,
                })
            }
            NoShow::NoTicket => Err(why_not_called(client, counter, now, config).await?),
        },
        CounterAction::Start => match hub::start(client, counter, now, config).await? {
            Some(ticket) => Ok(done(ticket)),
            None => Err(why_not_called(client, counter, now, config).await?),
        },
        CounterAction::Finish => match hub::finish(client, counter, now, config).await? {
            Some(ticket) => Ok(done(ticket)),
            None => Err(CounterRefusal::NoTicket),
        },
        CounterAction::Transfer { to } => {
            match hub::ticket_at(client, counter, now, config).await? {
                None => Err(CounterRefusal::NoTicket),
                Some(ticket) if ticket.service == to => {
                    Err(CounterRefusal::TransferSameService(ticket.label))
                }
                Some(_) => match hub::transfer(client, counter, to, now, config).await? {
                    Some(ticket) => Ok(done(ticket)),
                    None => Err(CounterRefusal::NoTicket),
                },
            }
        }
    })
}

fn done(ticket: CounterTicket) -> (String, Service, Option<HubEvent>) {
    (ticket.label, ticket.service, ticket.event)
}

/// Call again, no-show and start are for a called ticket: none in hand, or one being served.
async fn why_not_called(
    client: &Client,
    counter: i32,
    now: &ZonedDateTime,
    config: &Config,
) -> Result<CounterRefusal> {
    Ok(match hub::ticket_at(client, counter, now, config).await? {
        Some(ticket) if ticket.state == CallState::Serving => {
            CounterRefusal::AlreadyServing(ticket.label)
        }
        _ => CounterRefusal::NoTicket,
    })
}

async fn screen(
    client: &mut Client,
    desk: &Desk,
    now: &ZonedDateTime,
    config: &Config,
) -> Result<CounterScreen> {
    let ticket = hub::ticket_at(client, desk.counter, now, config).await?;
    let waiting = hub::waiting_counts(client, &desk.services, now, config).await?;
    Ok(CounterScreen {
        counter: desk.counter,
        services: desk.services.clone(),
        staff: desk.staff.clone(),
        ticket,
        waiting,
        recalls_needed: config.calling.no_show_after_recalls,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::StaffRole;
    use crate::staff::hash_pin;
    use crate::store::tests::fresh_store;

    fn at(minute: i8) -> ZonedDateTime {
        jiff::civil::date(2026, 11, 29)
            .at(9, minute, 0, 0)
            .to_zoned_datetime(Config::default().time_zone())
            .expect("zoned")
    }

    /// `loket` (counter), `ani` (front desk) and `budi` (supervisor), PIN 2468 each.
    fn staffed() -> (tempfile::TempDir, Store) {
        let (dir, mut store) = fresh_store();
        for (name, role) in [
            ("loket", StaffRole::Counter),
            ("ani", StaffRole::Frontdesk),
            ("budi", StaffRole::Supervisor),
        ] {
            let hash = hash_pin("2468").expect("hash");
            store
                .add_staff(name, role, &hash, "2026-11-29T07:00:00+08:00")
                .expect("adds");
        }
        (dir, store)
    }

    #[test]
    fn a_counter_account_signs_in_at_a_counter_only_and_the_others_anywhere() {
        let (_dir, mut store) = staffed();
        let config = Config::default();
        let refused = crate::staff_mode::StaffSeat::default()
            .sign_in(&mut store, "loket", "2468", &at(0), &config)
            .expect_err("a kiosk refuses a counter account");
        assert_eq!(refused.code(), "staff_counter_only");
        assert!(!refused.next_step().id.is_empty());
        for name in ["loket", "ani", "budi"] {
            let mut seat = CounterSeat::default();
            let result = seat
                .sign_in(&mut store, name, "2468", &at(1), &config)
                .expect("answers");
            assert!(matches!(result, SignInResult::SignedIn { .. }), "{name}");
            let not_set_up = seat.desk(&mut store, &at(1), &config).expect_err("no post");
            assert_eq!(not_set_up.code(), "counter_not_set_up");
            let desk = seat
                .choose(&mut store, 3, &[Service::Baru], &at(1), &config)
                .expect("chooses");
            assert_eq!((desk.counter, desk.staff.as_str()), (3, name));
            assert_eq!(seat.desk(&mut store, &at(2), &config).expect("desk"), desk);
        }
    }

    #[test]
    fn a_counter_uses_the_kiosks_lockout_and_idle_sign_out() {
        let (_dir, mut store) = staffed();
        let config = Config::default(); // 5 failures, 120 s idle
        let mut seat = CounterSeat::default();
        for _ in 0..config.staff.max_failures {
            seat.sign_in(&mut store, "loket", "0000", &at(0), &config)
                .expect("answers");
        }
        let locked = seat
            .sign_in(&mut store, "loket", "2468", &at(1), &config)
            .expect("answers");
        assert!(matches!(locked, SignInResult::Locked { .. }), "{locked:?}");
        seat.sign_in(&mut store, "ani", "2468", &at(1), &config)
            .expect("answers");
        seat.choose(&mut store, 1, &[Service::Baru], &at(1), &config)
            .expect("chooses");
        seat.desk_unattended(&mut store, &at(3), &config)
            .expect("a refresh 2 min after the last touch");
        let idle = seat
            .desk_unattended(&mut store, &at(4), &config)
            .expect_err("the refreshes are no activity: idle 3 min");
        assert_eq!(idle.code(), "staff_session_expired");
        let gone = seat
            .desk(&mut store, &at(4), &config)
            .expect_err("signed out");
        assert_eq!(gone.code(), "staff_not_signed_in");
    }

    #[test]
    fn a_post_is_a_counter_of_the_office_and_at_least_one_service() {
        let config = Config::default(); // 8 counters
        let post = check_post(
            8,
            &[Service::Penggantian, Service::Baru, Service::Penggantian],
            &config,
        )
        .expect("counter 8 exists");
        assert_eq!(post.counter, 8);
        assert_eq!(post.services, [Service::Penggantian, Service::Baru]);
        for wrong in [0, 9, -1, i64::from(i32::MAX) + 1] {
            let refused =
                check_post(wrong, &[Service::Baru], &config).expect_err("no such counter");
            assert_eq!(refused.code(), "counter_number_invalid", "{wrong}");
        }
        let none = check_post(1, &[], &config).expect_err("no service");
        assert_eq!(none.code(), "counter_no_services");
    }
}
