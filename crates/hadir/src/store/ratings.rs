//! Satisfaction ratings: one per ticket, written with the outbox event that reports it.

use std::collections::BTreeMap;

use rusqlite::{params, OptionalExtension, TransactionBehavior};
use serde::Serialize;

use super::Store;
use crate::error::Result;
use crate::survey::MisuseFlag;

/// A rating to record for one ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRating<'a> {
    pub ticket_id: &'a str,
    /// Office-local RFC 3339.
    pub at: &'a str,
    pub kiosk: &'a str,
    pub question_set: &'a str,
    pub scores: &'a BTreeMap<String, u8>,
    pub comment: Option<&'a str>,
    pub answered_ms: i64,
    pub flags: &'a [MisuseFlag],
}

/// The ticket a survey scan named, as far as rating it is concerned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RatableTicket {
    pub ticket_id: String,
    pub label: String,
    pub office_date: String,
    /// RFC 3339 with the office's offset, as the ticket was issued.
    pub issued_at: String,
    pub already_rated: bool,
}

impl Store {
    /// The ticket with this id, and whether it was rated already.
    pub fn ratable_ticket(&self, ticket_id: &str) -> Result<Option<RatableTicket>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT t.id, t.label, t.office_date, t.issued_at,
                        EXISTS (SELECT 1 FROM ratings r WHERE r.ticket_id = t.id)
                 FROM tickets t WHERE t.id = ?1",
            )?
            .query_row(params![ticket_id], |row| {
                Ok(RatableTicket {
                    ticket_id: row.get(0)?,
                    label: row.get(1)?,
                    office_date: row.get(2)?,
                    issued_at: row.get(3)?,
                    already_rated: row.get(4)?,
                })
            })
            .optional()?)
    }

    /// When this kiosk recorded its ratings since `since` (RFC 3339), for the burst rule.
    /// Compared as instants, not text: offsets may differ (a time-zone change in the config).
    pub fn rating_times_since(&self, kiosk: &str, since: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT at FROM ratings WHERE kiosk = ?1 AND unixepoch(at) >= unixepoch(?2)
                 ORDER BY unixepoch(at)",
        )?;
        let times = stmt
            .query_map(params![kiosk, since], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(times)
    }

    /// Records the rating and its outbox event in one transaction. `false` (and nothing
    /// written) when the ticket was rated already: one rating per ticket.
    pub fn record_rating(&mut self, rating: &NewRating<'_>) -> Result<bool> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (label, office_date): (String, String) = tx
            .prepare_cached("SELECT label, office_date FROM tickets WHERE id = ?1")?
            .query_row(params![rating.ticket_id], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })?;
        let scores = serde_json::json!(rating.scores).to_string();
        let flags = serde_json::json!(rating.flags).to_string();
        let inserted = tx
            .prepare_cached(
                "INSERT INTO ratings (ticket_id, office_date, at, kiosk, question_set, scores, comment, answered_ms, flags)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (ticket_id) DO NOTHING",
            )?
            .execute(params![
                rating.ticket_id,
                office_date,
                rating.at,
                rating.kiosk,
                rating.question_set,
                scores,
                rating.comment,
                rating.answered_ms,
                flags
            ])?;
        if inserted == 0 {
            return Ok(false);
        }
        let nonce = uuid::Uuid::new_v4().to_string();
        let event = serde_json::json!({
            "nonce": nonce,
            "kind": "rating",
            "ticket": label,
            "at": rating.at,
            "question_set": rating.question_set,
            "scores": rating.scores,
            "comment": rating.comment,
            "flags": rating.flags,
        });
        tx.prepare_cached(
            "INSERT INTO outbox (nonce, kind, body, created_at) VALUES (?1, 'rating', ?2, ?3)",
        )?
        .execute(params![nonce, event.to_string(), rating.at])?;
        tx.commit()?;
        Ok(true)
    }
}
