//! The hub's PostgreSQL schema as one ordered list, like the kiosk's SQLite migrations: each
//! runs once, in order, in one transaction with its version row, under an advisory lock so two
//! kiosks starting together do not both apply it. Never edit a shipped step; append.

use tokio_postgres::Client;

use crate::error::{Error, Result};

/// Any constant the office's kiosks agree on: serialises schema changes across kiosks.
const MIGRATION_LOCK: i64 = 0x0048_4144_4952; // "HADIR" in ASCII

pub(crate) const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_counters_checkins_doubles",
        r#"
-- Last number handed out per office, office-local day and queue. One row per queue: the
-- row lock taken by the allocating UPDATE is what makes two kiosks never get the same number.
CREATE TABLE queue_counters (
    office      text    NOT NULL,
    office_date date    NOT NULL,
    queue       text    NOT NULL,
    last_number integer NOT NULL,
    PRIMARY KEY (office, office_date, queue)
);

-- One row per applicant checked in, whichever kiosk did it. The first UNIQUE is the rule
-- "one check-in per booking and applicant per day" for the whole office; the second makes a
-- number unique per queue and day; the nonce is the kiosk's event id (replays recognise it).
CREATE TABLE checkins (
    id              bigserial PRIMARY KEY,
    office          text        NOT NULL,
    office_date     date        NOT NULL,
    booking_code    text        NOT NULL,
    applicant_index integer     NOT NULL,
    queue           text        NOT NULL,
    number          integer     NOT NULL,
    label           text        NOT NULL,
    kiosk           text        NOT NULL,
    at              timestamptz NOT NULL,
    nonce           text        NOT NULL UNIQUE,
    offline         boolean     NOT NULL DEFAULT false,
    service         text        NOT NULL,
    priority        text,
    UNIQUE (office, office_date, booking_code, applicant_index),
    UNIQUE (office, office_date, queue, number)
);

-- An applicant checked in at two kiosks while the hub was unreachable: the first ticket is in
-- checkins, the other here. Both tickets stay valid; staff decide (never merged silently).
CREATE TABLE doubles (
    id              bigserial PRIMARY KEY,
    office          text        NOT NULL,
    office_date     date        NOT NULL,
    booking_code    text        NOT NULL,
    applicant_index integer     NOT NULL,
    kept_label      text        NOT NULL,
    kept_kiosk      text        NOT NULL,
    other_label     text        NOT NULL,
    other_kiosk     text        NOT NULL,
    other_at        timestamptz NOT NULL,
    other_nonce     text        NOT NULL UNIQUE,
    detected_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX doubles_by_day ON doubles (office, office_date);
"#,
    ),
    (
        "0002_walkins_and_holds",
        r#"
-- One row per office and day: the row every walk-in claim locks (SELECT ... FOR UPDATE), so
-- kiosks count and take the day's quota one at a time.
CREATE TABLE walkin_days (
    office      text NOT NULL,
    office_date date NOT NULL,
    PRIMARY KEY (office, office_date)
);

-- Priority walk-ins of every kiosk (their check-ins are in checkins, by nonce). A walk-in counts
-- in its quota pool until it is turned away with its place freed.
CREATE TABLE walkins (
    nonce       text    PRIMARY KEY,
    office      text    NOT NULL,
    office_date date    NOT NULL,
    category    text    NOT NULL,
    service     text    NOT NULL,
    pool        text    NOT NULL,
    quota       integer NOT NULL,
    kiosk       text    NOT NULL,
    label       text    NOT NULL,
    by_staff    boolean NOT NULL,
    over_quota  boolean NOT NULL,
    offline     boolean NOT NULL DEFAULT false,
    turned_away boolean NOT NULL DEFAULT false,
    freed       boolean NOT NULL DEFAULT false
);
CREATE INDEX walkins_by_day ON walkins (office, office_date);

-- Places of a pool kept for one kiosk on a day: the only walk-ins it may issue while the hub is
-- unreachable. Taken from the free places when the kiosk first asks about the pool that day.
CREATE TABLE walkin_holds (
    office      text    NOT NULL,
    office_date date    NOT NULL,
    pool        text    NOT NULL,
    kiosk       text    NOT NULL,
    held        integer NOT NULL,
    PRIMARY KEY (office, office_date, pool, kiosk)
);
"#,
    ),
    (
        "0003_calls",
        r#"
-- When a booking's slot starts (NULL: a walk-in or a booking without a slot), for the rule
-- "bookings are not called before their slot" (calling.hold_bookings_until_slot).
ALTER TABLE checkins ADD COLUMN slot_start timestamptz;

-- The office's service counters (loket): the services each serves now, and its priority calls
-- in a row while regular tickets waited (the fairness rule of crate::call_order). Calls of one
-- counter take its row's lock, one at a time.
CREATE TABLE counters (
    office          text        NOT NULL,
    number          integer     NOT NULL CHECK (number > 0),
    services        text[]      NOT NULL,
    priority_streak integer     NOT NULL DEFAULT 0,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (office, number)
);

-- Each ticket's place in the call flow, keyed on its check-in row. A transfer changes the
-- service it waits for (the number stays) and maybe its place (queued_at). "Call next" locks
-- the chosen row with FOR UPDATE SKIP LOCKED, so two counters never get the same ticket.
CREATE TABLE call_tickets (
    checkin_id       bigint      PRIMARY KEY REFERENCES checkins (id),
    office           text        NOT NULL,
    office_date      date        NOT NULL,
    label            text        NOT NULL,
    service          text        NOT NULL,
    priority_lane    boolean     NOT NULL,
    queued_at        timestamptz NOT NULL,
    slot_start       timestamptz,
    state            text        NOT NULL DEFAULT 'waiting'
                     CHECK (state IN ('waiting', 'called', 'serving', 'finished', 'no_show')),
    counter          integer,
    recalls          integer     NOT NULL DEFAULT 0,
    transfers        integer     NOT NULL DEFAULT 0,
    transferred_from text,
    called_at        timestamptz,
    started_at       timestamptz,
    ended_at         timestamptz,
    updated_at       timestamptz NOT NULL
);
CREATE INDEX call_tickets_waiting ON call_tickets (office, office_date, service)
    WHERE state = 'waiting';
CREATE INDEX call_tickets_at_counter ON call_tickets (office, office_date, counter)
    WHERE state IN ('called', 'serving');

-- Every call and call again, in order: what the displays show (NOTIFY hadir_calls carries the
-- id) and what waiting and service times are measured from.
CREATE TABLE calls (
    id          bigserial   PRIMARY KEY,
    checkin_id  bigint      NOT NULL REFERENCES checkins (id),
    office      text        NOT NULL,
    office_date date        NOT NULL,
    counter     integer     NOT NULL,
    label       text        NOT NULL,
    service     text        NOT NULL,
    at          timestamptz NOT NULL,
    recall      integer     NOT NULL DEFAULT 0
);
-- A walk-in staff turned away after it joined the call flow is called by nobody.
CREATE FUNCTION walkin_turned_away(checkin bigint) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM checkins c JOIN walkins w ON w.nonce = c.nonce
                   WHERE c.id = checkin AND w.turned_away)
$$;

CREATE INDEX calls_by_day ON calls (office, office_date, id);
"#,
    ),
    (
        "0004_call_events",
        r#"
-- The counters' events for the gateway (call, finish, no_show), each written in the transaction
-- of what it records, like a kiosk's outbox (id: their order); sent_at stays NULL until the
-- gateway accepted it.
CREATE TABLE call_events (
    id         bigserial   PRIMARY KEY,
    nonce      text        NOT NULL UNIQUE,
    office     text        NOT NULL,
    kind       text        NOT NULL CHECK (kind IN ('call', 'finish', 'no_show')),
    body       text        NOT NULL,
    created_at timestamptz NOT NULL,
    sent_at    timestamptz
);
CREATE INDEX call_events_unsent ON call_events (office, id) WHERE sent_at IS NULL;
"#,
    ),
    (
        "0005_counter_names",
        r#"
-- What a counter sees of the applicant: the masked name the kiosk showed (never the full name;
-- NULL when the kiosk did not send one), and who was at the counter for each call.
ALTER TABLE checkins ADD COLUMN masked_name text;
ALTER TABLE call_tickets ADD COLUMN masked_name text;
ALTER TABLE call_tickets ADD COLUMN staff text;
ALTER TABLE calls ADD COLUMN staff text;
"#,
    ),
];

/// Brings the hub's schema up to date (idempotent; safe from several kiosks at once).
pub async fn migrate(client: &mut Client) -> Result<()> {
    let tx = client.transaction().await.map_err(hub_error)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await
        .map_err(hub_error)?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS hub_migrations (
             id         text PRIMARY KEY,
             applied_at timestamptz NOT NULL DEFAULT now())",
    )
    .await
    .map_err(hub_error)?;
    let applied: Vec<String> = tx
        .query("SELECT id FROM hub_migrations", &[])
        .await
        .map_err(hub_error)?
        .iter()
        .map(|row| row.get(0))
        .collect();
    for (id, sql) in MIGRATIONS {
        if applied.iter().any(|a| a == id) {
            continue;
        }
        log::info!("applying hub migration {id}");
        tx.batch_execute(sql).await.map_err(hub_error)?;
        tx.execute("INSERT INTO hub_migrations (id) VALUES ($1)", &[id])
            .await
            .map_err(hub_error)?;
    }
    tx.commit().await.map_err(hub_error)?;
    Ok(())
}

/// What a look at the hub found, without changing it (`hadir doctor`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HubInspection {
    /// The hub server's clock when it answered.
    pub server_time: jiff::Timestamp,
    /// Migrations this kiosk knows that the hub has not applied (the first kiosk to connect
    /// applies them).
    pub pending: Vec<&'static str>,
    /// Migrations the hub has that this kiosk does not know (a newer Hadir set it up).
    pub unknown: Vec<String>,
}

/// The hub server's clock now (`clock_timestamp()`, not the transaction's start).
pub async fn server_time(client: &Client) -> Result<jiff::Timestamp> {
    let row = client
        .query_one(
            "SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::int8",
            &[],
        )
        .await
        .map_err(hub_error)?;
    let micros: i64 = row.get(0);
    jiff::Timestamp::from_microsecond(micros)
        .map_err(|e| Error::Hub(format!("the hub's clock reads {micros} us: {e}")))
}

/// Reads the hub's clock and which migrations it has; writes nothing.
pub async fn inspect(client: &Client) -> Result<HubInspection> {
    let row = client
        .query_one(
            "SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::int8,
                    to_regclass('hub_migrations') IS NOT NULL",
            &[],
        )
        .await
        .map_err(hub_error)?;
    let micros: i64 = row.get(0);
    let has_table: bool = row.get(1);
    let server_time = jiff::Timestamp::from_microsecond(micros)
        .map_err(|e| Error::Hub(format!("the hub's clock reads {micros} us: {e}")))?;
    let applied: Vec<String> = if has_table {
        client
            .query("SELECT id FROM hub_migrations ORDER BY id", &[])
            .await
            .map_err(hub_error)?
            .iter()
            .map(|row| row.get(0))
            .collect()
    } else {
        Vec::new()
    };
    Ok(HubInspection {
        server_time,
        pending: MIGRATIONS
            .iter()
            .map(|(id, _)| *id)
            .filter(|id| !applied.iter().any(|a| a == id))
            .collect(),
        unknown: applied
            .into_iter()
            .filter(|a| !MIGRATIONS.iter().any(|(id, _)| id == a))
            .collect(),
    })
}

/// A PostgreSQL or connection error as the core's `Hub` error (its SQLSTATE kept for logs).
pub(crate) fn hub_error(error: tokio_postgres::Error) -> Error {
    match error.code() {
        Some(state) => Error::Hub(format!("{error} [SQLSTATE {}]", state.code())),
        None => Error::Hub(error.to_string()),
    }
}
