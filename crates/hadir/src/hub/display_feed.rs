//! The waiting-room display's feed of calls: its own connection to the hub, which LISTENs on
//! [`CALLS_CHANNEL`] and reads each announced call by id from `calls`.
//!
//! On each (re)connect it first listens, then reads the office day's calls after the last one
//! it holds (the first time: the day's latest, for the board): those are caught up, shown and
//! never spoken (`crate::display_board`). A display that loses the hub (the connection ends, or
//! a ping gets no answer) says so on its board and tries again, waiting 1 s, 2 s, 4 s, ... up
//! to [`MAX_RETRY`] between attempts.

use std::time::Duration;

use jiff::Timestamp;
use serde::Serialize;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::mpsc;
use tokio_postgres::{AsyncMessage, Client, NoTls};

use super::calls::CALLS_CHANNEL;
use super::schema::hub_error;
use crate::config::{Config, HubUrl};
use crate::display_board::{Arrival, Board, BoardCall, BoardView, News, KEPT_CALLS};
use crate::error::{Error, Result};
use crate::model::{Clock, Service};

/// Longest wait for a connection, and for the answer to a ping.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// A quiet connection is pinged this often: a hub that vanished without closing it (a cable
/// pulled) is noticed within this plus [`CONNECT_TIMEOUT`].
pub const PING_EVERY: Duration = Duration::from_secs(5);

/// The first wait before trying a lost hub again; each failure doubles it up to [`MAX_RETRY`].
pub const FIRST_RETRY: Duration = Duration::from_secs(1);

/// The longest wait between two attempts to reach a lost hub.
pub const MAX_RETRY: Duration = Duration::from_secs(15);

/// What the display's page gets after each change: the board, and the call that is news.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DisplayUpdate {
    pub board: BoardView,
    /// The call just made (flash it, and play its announcement if any).
    pub news: Option<News>,
}

/// What the connection's driver hears.
#[derive(Debug)]
enum Heard {
    /// A `NOTIFY hadir_calls` payload: a call's id.
    Call(i64),
    /// The connection ended (the server went away, or was told to end it).
    Ended(String),
}

/// One display's listening connection to the hub.
#[derive(Debug)]
pub struct DisplayFeed {
    client: Client,
    heard: mpsc::UnboundedReceiver<Heard>,
    office: String,
}

impl DisplayFeed {
    /// Connects as `hub::open` does (TLS when the URL asks for it), brings the schema up to
    /// date and listens for calls of `office`.
    pub async fn connect(url: &HubUrl, office: &str, timeout: Duration) -> Result<DisplayFeed> {
        let mut config: tokio_postgres::Config = url
            .expose()
            .parse()
            .map_err(|e| Error::Hub(format!("{}: {e}", url.redacted())))?;
        config.connect_timeout(timeout);
        // Staff find the displays among the hub's connections (pg_stat_activity) by this name.
        config.application_name("hadir-display");
        let (mut client, heard) =
            if config.get_ssl_mode() == tokio_postgres::config::SslMode::Require {
                let (client, connection) = config
                    .connect(super::tls_connector()?)
                    .await
                    .map_err(hub_error)?;
                (client, drive(connection))
            } else {
                let (client, connection) = config.connect(NoTls).await.map_err(hub_error)?;
                (client, drive(connection))
            };
        super::migrate(&mut client).await?;
        client
            .batch_execute(&format!("LISTEN {CALLS_CHANNEL}"))
            .await
            .map_err(hub_error)?;
        Ok(DisplayFeed {
            client,
            heard,
            office: office.to_owned(),
        })
    }

    /// The office day's calls after `after` (all of the day's with `None`), oldest first, at
    /// most the board's [`KEPT_CALLS`] latest.
    pub async fn catch_up(
        &self,
        office_date: jiff::civil::Date,
        after: Option<i64>,
    ) -> Result<Vec<BoardCall>> {
        let rows = self
            .client
            .query(
                &format!(
                    "{SELECT_CALLS} WHERE office = $1 AND office_date = $2::text::date AND id > $3
                     ORDER BY id DESC LIMIT $4"
                ),
                &[
                    &self.office,
                    &office_date.to_string(),
                    &after.unwrap_or(0),
                    &i64::try_from(KEPT_CALLS).unwrap_or(i64::MAX),
                ],
            )
            .await
            .map_err(hub_error)?;
        let mut calls = rows.iter().map(board_call).collect::<Result<Vec<_>>>()?;
        calls.reverse();
        Ok(calls)
    }

    /// Waits for the next call of this office the hub announces, and reads it. An error when
    /// the connection ends or a ping goes unanswered: the display lost the hub.
    pub async fn next_call(&mut self) -> Result<BoardCall> {
        loop {
            let heard = tokio::select! {
                heard = self.heard.recv() => heard,
                () = tokio::time::sleep(PING_EVERY) => {
                    self.ping().await?;
                    continue;
                }
            };
            match heard {
                Some(Heard::Call(call_id)) => {
                    if let Some(call) = self.read_call(call_id).await? {
                        return Ok(call);
                    }
                }
                Some(Heard::Ended(error)) => return Err(Error::Hub(error)),
                None => return Err(Error::Hub("the hub's connection ended".into())),
            }
        }
    }

    async fn ping(&self) -> Result<()> {
        match tokio::time::timeout(CONNECT_TIMEOUT, self.client.simple_query("SELECT 1")).await {
            Ok(answer) => answer.map(|_| ()).map_err(hub_error),
            Err(_) => Err(Error::Hub(format!(
                "no answer to a ping within {} s",
                CONNECT_TIMEOUT.as_secs()
            ))),
        }
    }

    /// The call with this id, if it is this office's.
    async fn read_call(&self, call_id: i64) -> Result<Option<BoardCall>> {
        let row = self
            .client
            .query_opt(
                &format!("{SELECT_CALLS} WHERE id = $1 AND office = $2"),
                &[&call_id, &self.office],
            )
            .await
            .map_err(hub_error)?;
        row.as_ref().map(board_call).transpose()
    }
}

const SELECT_CALLS: &str = "SELECT id, label, counter, service, recall,
        (extract(epoch FROM at) * 1000000)::int8, office_date::text FROM calls";

fn board_call(row: &tokio_postgres::Row) -> Result<BoardCall> {
    let service: &str = row.get(3);
    let micros: i64 = row.get(5);
    let office_date: &str = row.get(6);
    Ok(BoardCall {
        call_id: row.get(0),
        label: row.get(1),
        counter: row.get(2),
        service: Service::parse(service)
            .ok_or_else(|| Error::Hub(format!("unknown service {service:?}")))?,
        recall: row.get(4),
        at: Timestamp::from_microsecond(micros)
            .map_err(|e| Error::Hub(format!("a call's time {micros}: {e}")))?,
        office_date: office_date
            .parse()
            .map_err(|e| Error::Hub(format!("a call's day {office_date:?}: {e}")))?,
    })
}

/// Drives the connection (`tokio_postgres` delivers notifications only to whoever polls it),
/// passing on what it hears until it ends.
fn drive<S, T>(mut connection: tokio_postgres::Connection<S, T>) -> mpsc::UnboundedReceiver<Heard>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    T: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (tell, heard) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        loop {
            match std::future::poll_fn(|cx| connection.poll_message(cx)).await {
                Some(Ok(AsyncMessage::Notification(note))) => {
                    if note.channel() != CALLS_CHANNEL {
                        continue;
                    }
                    match note.payload().parse() {
                        Ok(call_id) => {
                            let _ = tell.send(Heard::Call(call_id));
                        }
                        Err(_) => log::warn!("a call announced as {:?}: ignored", note.payload()),
                    }
                }
                Some(Ok(_)) => {}
                Some(Err(error)) => {
                    let _ = tell.send(Heard::Ended(error.to_string()));
                    return;
                }
                None => {
                    let _ = tell.send(Heard::Ended("the hub closed the connection".into()));
                    return;
                }
            }
        }
    });
    heard
}

/// The display's background task: follows the hub's calls for ever, keeping the board and
/// handing every change to `publish` (the window's page). Reconnects with back-off.
pub async fn run_display_feed(
    url: HubUrl,
    config: Config,
    clock: Clock,
    mut publish: impl FnMut(DisplayUpdate) + Send,
) {
    let mut board = Board::new();
    let mut wait = FIRST_RETRY;
    loop {
        let error = follow(&url, &config, &clock, &mut board, &mut publish, &mut wait).await;
        if board.online() {
            log::warn!(
                "display lost the office hub, trying again: {error} [{}]",
                error.code()
            );
        } else {
            log::debug!("display cannot reach the office hub: {error}");
        }
        board.set_online(false);
        publish(DisplayUpdate {
            board: board.view(today(&clock, &config), &config.display),
            news: None,
        });
        tokio::time::sleep(wait).await;
        wait = (wait * 2).min(MAX_RETRY);
    }
}

fn today(clock: &Clock, config: &Config) -> jiff::civil::Date {
    clock().to_zoned_datetime(config.time_zone()).date()
}

/// Connects, catches up and follows live calls until the hub is lost (the error says how).
async fn follow(
    url: &HubUrl,
    config: &Config,
    clock: &Clock,
    board: &mut Board,
    publish: &mut (impl FnMut(DisplayUpdate) + Send),
    wait: &mut Duration,
) -> Error {
    let mut feed = match DisplayFeed::connect(url, &config.office.id, CONNECT_TIMEOUT).await {
        Ok(feed) => feed,
        Err(error) => return error,
    };
    let missed = match feed
        .catch_up(today(clock, config), board.last_call_id())
        .await
    {
        Ok(missed) => missed,
        Err(error) => return error,
    };
    let now = clock();
    for call in missed {
        board.take(call, Arrival::CatchUp, now, &config.display);
    }
    board.set_online(true);
    *wait = FIRST_RETRY;
    log::info!("display follows the office hub's calls");
    publish(DisplayUpdate {
        board: board.view(today(clock, config), &config.display),
        news: None,
    });
    loop {
        let call = match feed.next_call().await {
            Ok(call) => call,
            Err(error) => return error,
        };
        let news = board.take(call, Arrival::Live, clock(), &config.display);
        publish(DisplayUpdate {
            board: board.view(today(clock, config), &config.display),
            news,
        });
    }
}
