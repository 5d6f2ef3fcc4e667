//! The store's schema as one ordered list. Each migration runs once, in order, inside the same
//! transaction as the version bump (`PRAGMA user_version`). Never edit or drop a shipped
//! migration: add the next one. Data is never dropped to tidy up.
//!
//! Add an upgrade fixture each time the schema changes: run `scripts/make-upgrade-fixture.sh`
//! with the code of the new schema and commit `crates/hadir/tests/data/upgrade/schema-<N>.*`
//! (`tests/upgrade.rs` fails until it is there, and whenever a migration loses a row of an
//! older fixture).

pub(crate) struct Migration {
    pub id: &'static str,
    pub sql: &'static str,
}

pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration {
        id: "0001_appointments_checkins_tickets_outbox",
        sql: r#"
-- The day's appointments as the feed (or the demo) delivered them.
CREATE TABLE appointments (
    booking_code TEXT PRIMARY KEY NOT NULL,
    office       TEXT NOT NULL,
    date         TEXT NOT NULL,             -- office-local YYYY-MM-DD
    slot_start   TEXT NOT NULL,             -- office-local HH:MM
    slot_end     TEXT NOT NULL,
    service      TEXT NOT NULL CHECK (service IN ('baru', 'penggantian', 'hilang_rusak')),
    express      INTEGER NOT NULL CHECK (express IN (0, 1)),
    status       TEXT NOT NULL CHECK (status IN ('booked', 'cancelled')),
    updated_at   TEXT NOT NULL              -- RFC 3339, as sent upstream
) STRICT;
CREATE INDEX appointments_by_date ON appointments (date);

CREATE TABLE applicants (
    booking_code TEXT NOT NULL REFERENCES appointments (booking_code) ON DELETE CASCADE,
    idx          INTEGER NOT NULL,          -- 0-based position in the booking
    name         TEXT NOT NULL,
    birth_date   TEXT NOT NULL,
    nik_last4    TEXT NOT NULL,
    priority     TEXT CHECK (priority IN ('lansia', 'disabilitas', 'ibu_hamil', 'anak')),
    PRIMARY KEY (booking_code, idx)
) STRICT;

-- Codes the feed revoked: signed tokens for them are refused.
CREATE TABLE revoked_codes (
    booking_code TEXT PRIMARY KEY NOT NULL,
    received_at  TEXT NOT NULL
) STRICT;

-- One row per applicant checked in. No foreign key to appointments on purpose: a later full
-- feed may drop the booking upstream, and the local check-in must stay.
CREATE TABLE checkins (
    id              INTEGER PRIMARY KEY,
    booking_code    TEXT NOT NULL,
    applicant_index INTEGER NOT NULL,
    office_date     TEXT NOT NULL,
    at              TEXT NOT NULL,          -- RFC 3339 with the office's offset
    kiosk           TEXT NOT NULL,
    method          TEXT NOT NULL CHECK (method IN ('scan', 'manual')),
    nonce           TEXT NOT NULL UNIQUE,
    UNIQUE (booking_code, applicant_index, office_date)
) STRICT;

-- Last number handed out per office-local day and queue. Numbers are never reused.
CREATE TABLE queue_counters (
    office_date TEXT NOT NULL,
    queue       TEXT NOT NULL,
    last_number INTEGER NOT NULL,
    PRIMARY KEY (office_date, queue)
) STRICT;

CREATE TABLE tickets (
    id          TEXT PRIMARY KEY NOT NULL,  -- unguessable; goes into the ticket's QR later
    checkin_id  INTEGER NOT NULL UNIQUE REFERENCES checkins (id),
    office_date TEXT NOT NULL,
    queue       TEXT NOT NULL,
    number      INTEGER NOT NULL,
    label       TEXT NOT NULL,              -- e.g. A-001
    group_pos   INTEGER NOT NULL,           -- k of k/n
    group_size  INTEGER NOT NULL,           -- n of k/n
    issued_at   TEXT NOT NULL,
    UNIQUE (office_date, queue, number)
) STRICT;

-- Every attempt to put a ticket on paper (or into a PDF), kept for reprints and health.
CREATE TABLE ticket_prints (
    id        INTEGER PRIMARY KEY,
    ticket_id TEXT NOT NULL REFERENCES tickets (id),
    at        TEXT NOT NULL,
    copy      INTEGER NOT NULL CHECK (copy IN (0, 1)),  -- 1: a reprint marked SALINAN
    sink      TEXT NOT NULL,
    outcome   TEXT NOT NULL CHECK (outcome IN ('printed', 'failed')),
    reason    TEXT,                         -- stable code when failed, e.g. printer_unreachable
    detail    TEXT
) STRICT;

-- Events for upstream, written in the same transaction as what they record.
CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY,
    nonce      TEXT NOT NULL UNIQUE,
    kind       TEXT NOT NULL CHECK (kind IN ('checkin', 'reprint', 'override', 'rating')),
    body       TEXT NOT NULL,               -- the event as the push contract sends it
    created_at TEXT NOT NULL
) STRICT;
"#,
    },
    Migration {
        id: "0002_sync_cursors_health_rejected",
        sql: r#"
-- Where each day's delta pull resumes: the cursor of the last applied answer for that date.
-- Written in the same transaction as the answer it came with.
CREATE TABLE feed_cursors (
    office     TEXT NOT NULL,
    date       TEXT NOT NULL,             -- office-local YYYY-MM-DD
    cursor     TEXT NOT NULL,
    applied_at TEXT NOT NULL,             -- RFC 3339 UTC
    PRIMARY KEY (office, date)
) STRICT;

-- Sync health, one row per fact (last_pull_ok, last_push_ok, last_error_code, ...), so that a
-- new fact needs no migration.
CREATE TABLE sync_state (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;

-- Events upstream refused: they leave the outbox (resending cannot help) but staff can read why.
CREATE TABLE sync_rejected (
    id          INTEGER PRIMARY KEY,
    nonce       TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL,
    body        TEXT NOT NULL,
    reason      TEXT NOT NULL,
    rejected_at TEXT NOT NULL
) STRICT;
"#,
    },
    Migration {
        id: "0003_checks_without_in_lists",
        sql: r#"
-- Same tables, same rows; only the CHECKs change. SQLite evaluates `x IN ('a', 'b', 'c')` by
-- building a temporary index on every insert, which made writing a 10,000-booking feed about
-- twice as slow as it needs to be. `x = 'a' OR x = 'b' OR ...` checks the same thing without.
CREATE TABLE appointments_v3 (
    booking_code TEXT PRIMARY KEY NOT NULL,
    office       TEXT NOT NULL,
    date         TEXT NOT NULL,
    slot_start   TEXT NOT NULL,
    slot_end     TEXT NOT NULL,
    service      TEXT NOT NULL
                 CHECK (service = 'baru' OR service = 'penggantian' OR service = 'hilang_rusak'),
    express      INTEGER NOT NULL CHECK (express = 0 OR express = 1),
    status       TEXT NOT NULL CHECK (status = 'booked' OR status = 'cancelled'),
    updated_at   TEXT NOT NULL
) STRICT;
INSERT INTO appointments_v3 SELECT booking_code, office, date, slot_start, slot_end, service,
    express, status, updated_at FROM appointments;

CREATE TABLE applicants_v3 (
    booking_code TEXT NOT NULL REFERENCES appointments_v3 (booking_code) ON DELETE CASCADE,
    idx          INTEGER NOT NULL,
    name         TEXT NOT NULL,
    birth_date   TEXT NOT NULL,
    nik_last4    TEXT NOT NULL,
    priority     TEXT CHECK (priority = 'lansia' OR priority = 'disabilitas'
                             OR priority = 'ibu_hamil' OR priority = 'anak'),
    PRIMARY KEY (booking_code, idx)
) STRICT;
INSERT INTO applicants_v3 SELECT booking_code, idx, name, birth_date, nik_last4, priority
    FROM applicants;

-- Children first, so that dropping the parent finds no rows pointing at it. Renaming the new
-- parent rewrites the new child's REFERENCES clause to the final name.
DROP TABLE applicants;
DROP TABLE appointments;
ALTER TABLE appointments_v3 RENAME TO appointments;
ALTER TABLE applicants_v3 RENAME TO applicants;
CREATE INDEX appointments_by_date ON appointments (date);

CREATE TABLE outbox_v3 (
    id         INTEGER PRIMARY KEY,
    nonce      TEXT NOT NULL UNIQUE,
    kind       TEXT NOT NULL
               CHECK (kind = 'checkin' OR kind = 'reprint' OR kind = 'override' OR kind = 'rating'),
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
INSERT INTO outbox_v3 SELECT id, nonce, kind, body, created_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_v3 RENAME TO outbox;
"#,
    },
    Migration {
        id: "0004_staff_and_audit",
        sql: r#"
-- Staff who may open staff mode. PINs are stored as Argon2id PHC strings, never in clear.
CREATE TABLE staff (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    role         TEXT NOT NULL CHECK (role = 'frontdesk' OR role = 'supervisor'),
    pin_hash     TEXT NOT NULL,
    active       INTEGER NOT NULL DEFAULT 1 CHECK (active = 0 OR active = 1),
    failures     INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    created_at   TEXT NOT NULL
) STRICT;

-- Every staff action, append-only. Each row's hash covers its fields and the previous row's
-- hash, so editing or removing a row breaks the chain from there on (`hadir audit verify`).
CREATE TABLE audit (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,             -- office-local RFC 3339
    staff_id  INTEGER,                   -- NULL: the admin CLI on the machine itself
    action    TEXT NOT NULL,
    target    TEXT,
    reason    TEXT,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
) STRICT;
CREATE TRIGGER audit_rows_stay BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;
CREATE TRIGGER audit_rows_are_not_deleted BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;
"#,
    },
    Migration {
        id: "0005_ticket_facts_staff_checkins_ratings",
        sql: r#"
-- What each ticket said when it was issued. Reprints and reports read it here, because the
-- booking leaves the appointment cache after `keep_days` (and a token-only booking was never in
-- it). The name is personal data: the retention purge sets it to NULL and keeps the rest.
CREATE TABLE ticket_facts (
    ticket_id      TEXT PRIMARY KEY NOT NULL REFERENCES tickets (id),
    service        TEXT NOT NULL,
    express        INTEGER NOT NULL CHECK (express = 0 OR express = 1),
    slot           TEXT NOT NULL,            -- HH:MM-HH:MM; '' when a token carried no slot
    priority       TEXT,                     -- the applicant's priority; NULL for none
    applicant_name TEXT                      -- NULL when unknown or purged
) STRICT;

-- Check-ins made by staff rather than by a scan: who, why, and whether it overrode a refusal.
CREATE TABLE staff_checkins (
    checkin_id INTEGER PRIMARY KEY NOT NULL REFERENCES checkins (id),
    staff_id   INTEGER NOT NULL,
    kind       TEXT NOT NULL CHECK (kind = 'manual' OR kind = 'override'),
    reason     TEXT NOT NULL
) STRICT;

-- One satisfaction rating per ticket (the UNIQUE is the rule: a second scan is refused).
CREATE TABLE ratings (
    id           INTEGER PRIMARY KEY,
    ticket_id    TEXT NOT NULL UNIQUE REFERENCES tickets (id),
    office_date  TEXT NOT NULL,              -- the ticket's office-local day
    at           TEXT NOT NULL,              -- office-local RFC 3339
    kiosk        TEXT NOT NULL,
    question_set TEXT NOT NULL,
    scores       TEXT NOT NULL,              -- JSON object: element -> 1..4
    comment      TEXT,
    answered_ms  INTEGER NOT NULL,
    flags        TEXT NOT NULL               -- JSON array of misuse flags; '[]' when none
) STRICT;
CREATE INDEX ratings_by_date ON ratings (office_date);
CREATE INDEX ratings_by_kiosk_time ON ratings (kiosk, at);
"#,
    },
    Migration {
        id: "0006_kiosk_settings",
        sql: r#"
-- Settings a supervisor changed at the kiosk (only the few that are safe there), laid over the
-- config file at start and at once. Who changed what is in the audit log.
CREATE TABLE kiosk_settings (
    key        TEXT PRIMARY KEY NOT NULL,
    value      TEXT NOT NULL,
    changed_at TEXT NOT NULL
) STRICT;
"#,
    },
    Migration {
        id: "0007_hub_pending_and_doubles",
        sql: r#"
-- Hub mode: check-ins this kiosk numbered from its own block while the hub was unreachable,
-- waiting to be replayed to the hub (removed in the transaction after the hub took them).
CREATE TABLE hub_pending (
    checkin_id INTEGER PRIMARY KEY NOT NULL REFERENCES checkins (id)
) STRICT;

-- Applicants checked in at two kiosks during a split, found on replay: both tickets stay
-- valid; staff see the pair (never merged silently).
CREATE TABLE hub_doubles (
    id              INTEGER PRIMARY KEY,
    office_date     TEXT NOT NULL,
    booking_code    TEXT NOT NULL,
    applicant_index INTEGER NOT NULL,
    our_label       TEXT NOT NULL,
    other_label     TEXT NOT NULL,
    other_kiosk     TEXT NOT NULL,
    detected_at     TEXT NOT NULL,
    UNIQUE (office_date, booking_code, applicant_index, other_label)
) STRICT;
"#,
    },
    Migration {
        id: "0008_walkins_holds_outbox_kinds",
        sql: r#"
-- Priority walk-ins: check-ins with no booking (`checkins.booking_code` holds the walk-in's own
-- `WALKIN-...` reference, one applicant, no name), counted against the day's quota until staff
-- turn one away with its place freed.
CREATE TABLE walkins (
    checkin_id     INTEGER PRIMARY KEY NOT NULL REFERENCES checkins (id),
    office_date    TEXT NOT NULL,            -- office-local YYYY-MM-DD
    category       TEXT NOT NULL CHECK (category = 'lansia' OR category = 'disabilitas'
                                        OR category = 'ibu_hamil' OR category = 'anak'),
    service        TEXT NOT NULL
                   CHECK (service = 'baru' OR service = 'penggantian' OR service = 'hilang_rusak'),
    pool           TEXT NOT NULL,            -- the quota it counted in: all, lansia, all/baru, ...
    quota          INTEGER NOT NULL,         -- that pool's daily quota when it was issued
    staff_id       INTEGER,                  -- NULL: the applicant at the kiosk
    over_quota     INTEGER NOT NULL CHECK (over_quota = 0 OR over_quota = 1),
    turned_away_at TEXT,                     -- office-local RFC 3339; NULL: not turned away
    turned_away_by INTEGER,
    frees_place    INTEGER NOT NULL DEFAULT 0 CHECK (frees_place = 0 OR frees_place = 1),
    -- hub mode: 0 turned away, not yet told to the hub; 1 told
    hub_release    INTEGER CHECK (hub_release = 0 OR hub_release = 1)
) STRICT;
CREATE INDEX walkins_by_date ON walkins (office_date);

-- Hub mode: places of each quota pool the hub keeps for this kiosk on a day, as it last said;
-- what the kiosk may issue while the hub is unreachable.
CREATE TABLE walkin_holds (
    office_date TEXT NOT NULL,
    pool        TEXT NOT NULL,
    held        INTEGER NOT NULL,
    PRIMARY KEY (office_date, pool)
) STRICT;

-- The outbox takes two more kinds of event: a walk-in, and a walk-in turned away. Same rows.
CREATE TABLE outbox_v8 (
    id         INTEGER PRIMARY KEY,
    nonce      TEXT NOT NULL UNIQUE,
    kind       TEXT NOT NULL
               CHECK (kind = 'checkin' OR kind = 'reprint' OR kind = 'override' OR kind = 'rating'
                      OR kind = 'walkin' OR kind = 'walkin_turn_away'),
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
INSERT INTO outbox_v8 SELECT id, nonce, kind, body, created_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_v8 RENAME TO outbox;
"#,
    },
    Migration {
        id: "0009_counter_staff_and_events",
        sql: r#"
-- A counter machine (role counter) keeps its own staff: a third role, `counter`, signs in at a
-- counter only. Same rows, same ids (the audit log names them).
CREATE TABLE staff_v9 (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    role         TEXT NOT NULL
                 CHECK (role = 'frontdesk' OR role = 'supervisor' OR role = 'counter'),
    pin_hash     TEXT NOT NULL,
    active       INTEGER NOT NULL DEFAULT 1 CHECK (active = 0 OR active = 1),
    failures     INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    created_at   TEXT NOT NULL
) STRICT;
INSERT INTO staff_v9 SELECT id, name, role, pin_hash, active, failures, locked_until, created_at
    FROM staff;
DROP TABLE staff;
ALTER TABLE staff_v9 RENAME TO staff;

-- The counters' events go upstream from the counter machine's outbox: call, finish, no_show.
CREATE TABLE outbox_v9 (
    id         INTEGER PRIMARY KEY,
    nonce      TEXT NOT NULL UNIQUE,
    kind       TEXT NOT NULL
               CHECK (kind = 'checkin' OR kind = 'reprint' OR kind = 'override' OR kind = 'rating'
                      OR kind = 'walkin' OR kind = 'walkin_turn_away'
                      OR kind = 'call' OR kind = 'finish' OR kind = 'no_show'),
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
INSERT INTO outbox_v9 SELECT id, nonce, kind, body, created_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_v9 RENAME TO outbox;
"#,
    },
];
