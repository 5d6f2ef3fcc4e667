//! The appointment cache: applying feed bodies and reading bookings back.

use jiff::civil::Date;
use rusqlite::{params, OptionalExtension, Transaction};

use super::Store;
use crate::error::{Error, Result};
use crate::feed::{Applicant, Appointment, FeedBody};
use crate::model::{hh_mm, BookingStatus, Priority, Service};

/// What applying a feed body changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct FeedApplied {
    pub upserted: usize,
    /// Older than what the cache holds (`updated_at`), so ignored.
    pub stale: usize,
    /// Removed because a full list for their date no longer holds them.
    pub removed: usize,
    pub revoked: usize,
    pub skipped: usize,
    /// A full list that removed nothing because an item it skipped could be any booking (its
    /// code unreadable or named twice): bookings it did not list were kept (staff are told).
    pub kept_unlisted: bool,
}

/// Where a feed body came from: that decides how far it is trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedSource {
    /// A pull answer: the gateway's state now. A full list replaces the day; its cursor is kept.
    Network,
    /// A file (a USB stick): possibly older than what the network brought. Each item only
    /// replaces an older cached one, and the day's cursor is dropped so that the next pull is a
    /// full list again (a delta from the old cursor would skip what the file undid).
    File,
}

impl Store {
    /// Applies a pull response in one transaction: all of it or nothing.
    pub fn apply_feed(
        &mut self,
        body: &FeedBody,
        received_at: jiff::Timestamp,
    ) -> Result<FeedApplied> {
        self.apply_feed_from(body, received_at, FeedSource::Network)
    }

    /// Applies a pull response or an imported file in one transaction: all of it or nothing.
    pub fn apply_feed_from(
        &mut self,
        body: &FeedBody,
        received_at: jiff::Timestamp,
        source: FeedSource,
    ) -> Result<FeedApplied> {
        let replace = body.full && source == FeedSource::Network;
        // Immediate: take the write lock up front, so a check-in writing meanwhile makes this wait
        // (busy_timeout) instead of failing half-way through an upgrade from read to write.
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut applied = FeedApplied {
            skipped: body.skipped.len(),
            ..FeedApplied::default()
        };
        for appointment in &body.appointments {
            // A parsed answer never holds an item of another day (`feed` skips it as broken);
            // the demo and tests hand in bodies of their own making, used as they are.
            if upsert(&tx, &body.office, appointment, replace)? {
                applied.upserted += 1;
            } else {
                applied.stale += 1;
            }
        }
        if body.full && !body.may_remove_unlisted() {
            applied.kept_unlisted = true;
            log::warn!(
                "the full list for {} removed no booking: an item it skipped could be any booking",
                body.date
            );
        } else if body.full {
            // Bookings absent from a full list are gone upstream; local check-ins stay (no FK).
            // An item skipped as broken is not absent: its cached version stays.
            let listed: std::collections::HashSet<&str> = body
                .appointments
                .iter()
                .map(|a| a.booking_code.as_str())
                .chain(
                    body.skipped
                        .iter()
                        .filter_map(|s| s.booking_code.as_deref()),
                )
                .collect();
            let mut stmt = tx.prepare_cached(
                "SELECT booking_code FROM appointments WHERE date = ?1 AND office = ?2",
            )?;
            let cached: Vec<String> = stmt
                .query_map(params![body.date.to_string(), body.office], |row| {
                    row.get(0)
                })?
                .collect::<rusqlite::Result<_>>()?;
            drop(stmt);
            for code in cached.iter().filter(|c| !listed.contains(&c.as_str())) {
                tx.prepare_cached("DELETE FROM appointments WHERE booking_code = ?1")?
                    .execute([code])?;
                applied.removed += 1;
            }
        }
        for code in &body.revoked {
            applied.revoked += tx
                .prepare_cached(
                    "INSERT INTO revoked_codes (booking_code, received_at) VALUES (?1, ?2)
                 ON CONFLICT (booking_code) DO NOTHING",
                )?
                .execute(params![code, received_at.to_string()])?;
        }
        for item in &body.skipped {
            log::warn!(
                "feed item {} skipped (booking {}): {:?}, {}",
                item.position,
                item.booking_code
                    .as_deref()
                    .map_or_else(|| "?".to_owned(), crate::booking::log_safe),
                item.problem,
                crate::texts::without_quoted(&item.reason)
            );
        }
        if source == FeedSource::File {
            tx.prepare_cached("DELETE FROM feed_cursors WHERE office = ?1 AND date = ?2")?
                .execute(params![body.office, body.date.to_string()])?;
        } else if let Some(cursor) = &body.cursor {
            // The cursor belongs to this answer: stored with it, so a crash cannot pair an old
            // cache with a new cursor (and skip the changes in between).
            tx.prepare_cached(
                "INSERT INTO feed_cursors (office, date, cursor, applied_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (office, date) DO UPDATE SET cursor = excluded.cursor,
                     applied_at = excluded.applied_at",
            )?
            .execute(params![
                body.office,
                body.date.to_string(),
                cursor,
                received_at.to_string()
            ])?;
        }
        tx.commit()?;
        Ok(applied)
    }

    /// The cached booking with its applicants, if the cache holds it.
    pub fn find_appointment(&self, booking_code: &str) -> Result<Option<CachedAppointment>> {
        let row = self
            .conn
            .prepare_cached(
                "SELECT office, date, slot_start, slot_end, service, express, status, updated_at
                 FROM appointments WHERE booking_code = ?1",
            )?
            .query_row([booking_code], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, String>(4)?,
                    row.get::<_, bool>(5)?,
                    row.get::<_, String>(6)?,
                    row.get::<_, String>(7)?,
                ))
            })
            .optional()?;
        let Some((office, date, start, end, service, express, status, updated_at)) = row else {
            return Ok(None);
        };
        let corrupt = |what: &str| Error::FeedInvalid(format!("cached booking has a bad {what}"));
        let mut stmt = self.conn.prepare_cached(
            "SELECT name, birth_date, nik_last4, priority FROM applicants
             WHERE booking_code = ?1 ORDER BY idx",
        )?;
        let applicants = stmt
            .query_map([booking_code], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, Option<String>>(3)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?
            .into_iter()
            .map(|(name, birth_date, nik_last4, priority)| {
                Ok(Applicant {
                    name,
                    birth_date: birth_date.parse().map_err(|_| corrupt("birth date"))?,
                    nik_last4,
                    priority: priority.as_deref().and_then(Priority::parse),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Some(CachedAppointment {
            office,
            appointment: Appointment {
                booking_code: booking_code.to_owned(),
                date: date.parse().map_err(|_| corrupt("date"))?,
                slot_start: hh_mm::parse(&start).ok_or_else(|| corrupt("slot start"))?,
                slot_end: hh_mm::parse(&end).ok_or_else(|| corrupt("slot end"))?,
                service: Service::parse(&service).ok_or_else(|| corrupt("service"))?,
                express,
                status: if status == "cancelled" {
                    BookingStatus::Cancelled
                } else {
                    BookingStatus::Booked
                },
                applicants,
                updated_at: updated_at.parse().map_err(|_| corrupt("updated_at"))?,
            },
        }))
    }

    pub fn is_revoked(&self, booking_code: &str) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM revoked_codes WHERE booking_code = ?1")?
            .query_row([booking_code], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// Booking codes cached for an office-local date, in slot order.
    pub fn booking_codes_on(&self, date: Date) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT booking_code FROM appointments WHERE date = ?1 ORDER BY slot_start, booking_code")?;
        let codes = stmt
            .query_map([date.to_string()], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(codes)
    }
}

/// A booking from the cache, with the office the feed listed it under.
#[derive(Debug, Clone, PartialEq)]
pub struct CachedAppointment {
    pub office: String,
    pub appointment: Appointment,
}

const UPSERT_APPOINTMENT: &str = "INSERT INTO appointments
         (booking_code, office, date, slot_start, slot_end, service, express, status, updated_at)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
     ON CONFLICT (booking_code) DO UPDATE SET
         office = excluded.office, date = excluded.date, slot_start = excluded.slot_start,
         slot_end = excluded.slot_end, service = excluded.service, express = excluded.express,
         status = excluded.status, updated_at = excluded.updated_at";

/// `INSERT INTO applicants` for 1 to 5 rows (a booking has at most five applicants).
const APPLICANT_INSERTS: [&str; crate::model::MAX_APPLICANTS] = [
    "INSERT INTO applicants (booking_code, idx, name, birth_date, nik_last4, priority) VALUES (?,?,?,?,?,?)",
    "INSERT INTO applicants (booking_code, idx, name, birth_date, nik_last4, priority) VALUES (?,?,?,?,?,?),(?,?,?,?,?,?)",
    "INSERT INTO applicants (booking_code, idx, name, birth_date, nik_last4, priority) VALUES (?,?,?,?,?,?),(?,?,?,?,?,?),(?,?,?,?,?,?)",
    "INSERT INTO applicants (booking_code, idx, name, birth_date, nik_last4, priority) VALUES (?,?,?,?,?,?),(?,?,?,?,?,?),(?,?,?,?,?,?),(?,?,?,?,?,?)",
    "INSERT INTO applicants (booking_code, idx, name, birth_date, nik_last4, priority) VALUES (?,?,?,?,?,?),(?,?,?,?,?,?),(?,?,?,?,?,?),(?,?,?,?,?,?),(?,?,?,?,?,?)",
];

/// Inserts or replaces one booking. A delta (or a file) keeps whichever `updated_at` is newer;
/// a full network list replaces. Returns false when the item was older than the cache (stale).
fn upsert(tx: &Transaction<'_>, office: &str, a: &Appointment, replace: bool) -> Result<bool> {
    if !replace {
        let cached: Option<String> = tx
            .prepare_cached("SELECT updated_at FROM appointments WHERE booking_code = ?1")?
            .query_row([&a.booking_code], |row| row.get(0))
            .optional()?;
        let cached_at = cached.and_then(|text| text.parse::<jiff::Timestamp>().ok());
        if cached_at.is_some_and(|cached_at| cached_at >= a.updated_at) {
            return Ok(false);
        }
    }
    tx.prepare_cached(UPSERT_APPOINTMENT)?.execute(params![
        a.booking_code,
        office,
        a.date.to_string(),
        hh_mm::format(a.slot_start),
        hh_mm::format(a.slot_end),
        a.service.as_str(),
        a.express,
        a.status.as_str(),
        a.updated_at.to_string(),
    ])?;
    tx.prepare_cached("DELETE FROM applicants WHERE booking_code = ?1")?
        .execute([&a.booking_code])?;
    // All applicants in one statement: a full list writes tens of thousands of rows, and the
    // per-statement cost is most of the time (see BENCHMARKS.md, sync).
    let count = a.applicants.len();
    let sql = APPLICANT_INSERTS
        .get(count.saturating_sub(1))
        .ok_or_else(|| Error::FeedInvalid(format!("{count} applicants in one booking")))?;
    let birth_dates: Vec<String> = a
        .applicants
        .iter()
        .map(|x| x.birth_date.to_string())
        .collect();
    let mut values: Vec<&dyn rusqlite::ToSql> = Vec::with_capacity(count * 6);
    let indexes: Vec<i64> = (0..count as i64).collect();
    let priorities: Vec<Option<&str>> = a
        .applicants
        .iter()
        .map(|x| x.priority.map(Priority::as_str))
        .collect();
    for (i, applicant) in a.applicants.iter().enumerate() {
        values.push(&a.booking_code);
        values.push(&indexes[i]);
        values.push(&applicant.name);
        values.push(&birth_dates[i]);
        values.push(&applicant.nik_last4);
        values.push(&priorities[i]);
    }
    tx.prepare_cached(sql)?.execute(values.as_slice())?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::super::tests::fresh_store;
    use super::*;

    /// A sample body from the crate's `testdata/` (see its README.md), parsed.
    fn sample(name: &str) -> FeedBody {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata")
            .join(name);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        FeedBody::parse(&bytes).expect("valid")
    }

    fn now() -> jiff::Timestamp {
        "2026-11-29T00:00:00Z".parse().expect("timestamp")
    }

    #[test]
    fn full_feed_fills_the_cache_and_reads_back_equal() {
        let (_dir, mut store) = fresh_store();
        let body = sample("feed-full.json");
        let applied = store.apply_feed(&body, now()).expect("applies");
        assert_eq!(applied.upserted, body.appointments.len());
        let first = &body.appointments[0];
        let cached = store
            .find_appointment(&first.booking_code)
            .expect("reads")
            .expect("cached");
        assert_eq!(&cached.appointment, first, "what goes in comes out");
        assert_eq!(cached.office, "KANIM-KUPANG");
    }

    #[test]
    fn delta_keeps_newer_updated_at_and_ignores_stale_cancel() {
        let (_dir, mut store) = fresh_store();
        store
            .apply_feed(&sample("feed-full.json"), now())
            .expect("full");
        let applied = store
            .apply_feed(&sample("feed-delta.json"), now())
            .expect("delta");
        assert!(
            applied.stale >= 1,
            "the stale cancel of MPPTAB34J5 is ignored"
        );
        let kept = store
            .find_appointment("MPPTAB34J5")
            .expect("reads")
            .expect("kept");
        assert_eq!(kept.appointment.status, BookingStatus::Booked);
        let cancelled = store
            .find_appointment("MPUFY34BCG")
            .expect("reads")
            .expect("kept");
        assert_eq!(cancelled.appointment.status, BookingStatus::Cancelled);
        assert!(store.is_revoked("MPUFY34BCG").expect("reads"));
        let moved = store
            .find_appointment("MPN5VTQ48K")
            .expect("reads")
            .expect("kept");
        assert_eq!(hh_mm::format(moved.appointment.slot_start), "14:00");
        assert_eq!(
            moved.appointment.updated_at.to_string(),
            "2026-11-28T23:16:00Z",
            "newer delta won"
        );
        assert!(
            store
                .find_appointment("MPGYRBWG8E")
                .expect("reads")
                .is_some(),
            "added"
        );
    }

    #[test]
    fn a_bad_item_in_a_full_list_keeps_its_cached_booking() {
        let (_dir, mut store) = fresh_store();
        let mut body = sample("feed-full.json");
        store.apply_feed(&body, now()).expect("full");
        let spoiled = body.appointments.remove(0);
        body.skipped.push(crate::feed::SkippedItem {
            booking_code: Some(spoiled.booking_code.clone()),
            position: 1,
            problem: crate::feed::ItemProblem::Unreadable,
            reason: "unknown service".into(),
        });
        let applied = store.apply_feed(&body, now()).expect("full again");
        assert_eq!(applied.removed, 0, "skipped is not absent");
        assert!(
            !applied.kept_unlisted,
            "the item is known: the clean-up ran"
        );
        assert!(store
            .find_appointment(&spoiled.booking_code)
            .expect("reads")
            .is_some());
    }

    /// A full list with an item that could be any booking removes nothing, not even a booking
    /// it really dropped: the kiosk cannot tell which one the broken item was.
    #[test]
    fn an_item_that_could_be_any_booking_keeps_every_cached_one() {
        for unidentified in [
            crate::feed::SkippedItem {
                booking_code: None,
                position: 2,
                problem: crate::feed::ItemProblem::Unreadable,
                reason: "invalid type".into(),
            },
            crate::feed::SkippedItem {
                booking_code: Some("MPAAAAAAAA".into()),
                position: 2,
                problem: crate::feed::ItemProblem::NamedTwice,
                reason: "named by 2 items that differ".into(),
            },
        ] {
            let (_dir, mut store) = fresh_store();
            let mut body = sample("feed-full.json");
            store.apply_feed(&body, now()).expect("full");
            let before = store.booking_codes_on(body.date).expect("codes");
            let dropped = body.appointments.remove(0);
            let hidden = body.appointments.remove(0);
            body.skipped.push(unidentified);
            let applied = store.apply_feed(&body, now()).expect("full again");
            assert_eq!(applied.removed, 0);
            assert!(applied.kept_unlisted, "staff are told");
            assert_eq!(store.booking_codes_on(body.date).expect("codes"), before);
            for kept in [dropped, hidden] {
                assert_eq!(
                    store
                        .find_appointment(&kept.booking_code)
                        .expect("reads")
                        .map(|c| c.appointment),
                    Some(kept)
                );
            }
        }
    }

    #[test]
    fn an_older_file_cannot_undo_newer_network_data_and_resets_the_cursor() {
        let (_dir, mut store) = fresh_store();
        store
            .apply_feed(&sample("feed-full.json"), now())
            .expect("full");
        store
            .apply_feed(&sample("feed-delta.json"), now())
            .expect("delta");
        let office = "KANIM-KUPANG";
        let day: Date = "2026-11-29".parse().expect("date");
        assert_eq!(
            store.feed_cursor(office, day).expect("reads").as_deref(),
            Some("c-0002")
        );
        let old_file = sample("feed-full.json"); // older than the delta's cancellation
        let applied = store
            .apply_feed_from(&old_file, now(), FeedSource::File)
            .expect("imports");
        assert!(applied.stale >= 1, "older items are not applied");
        let cancelled = store
            .find_appointment("MPUFY34BCG")
            .expect("reads")
            .expect("kept");
        assert_eq!(
            cancelled.appointment.status,
            BookingStatus::Cancelled,
            "still cancelled"
        );
        assert_eq!(
            store.feed_cursor(office, day).expect("reads"),
            None,
            "the next pull is a full list"
        );
    }

    /// A temporary index per insert (SQLite's way with `IN (...)` CHECKs) doubled the time to
    /// write a big feed; migration 0003 removed them. Keep them out.
    #[test]
    fn feed_writes_build_no_temporary_index() {
        let (_dir, store) = fresh_store();
        for sql in std::iter::once(UPSERT_APPOINTMENT).chain(APPLICANT_INSERTS) {
            assert!(
                !store
                    .explain_opcodes(sql)
                    .expect("explains")
                    .contains(&"OpenEphemeral".to_owned()),
                "{sql}"
            );
        }
    }

    #[test]
    fn full_feed_removes_bookings_it_no_longer_lists() {
        let (_dir, mut store) = fresh_store();
        let mut body = sample("feed-full.json");
        store.apply_feed(&body, now()).expect("full");
        let dropped = body.appointments.remove(0).booking_code;
        let applied = store.apply_feed(&body, now()).expect("full again");
        assert_eq!(applied.removed, 1);
        assert!(store.find_appointment(&dropped).expect("reads").is_none());
    }
}
