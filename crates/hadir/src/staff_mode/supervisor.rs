//! The supervisor's purge of personal data past retention (the kiosk's and `hadir purge`).

use jiff::ZonedDateTime;

use super::{audit, supervisor_only, Session};
use crate::error::Result;
use crate::model::rfc3339;
use crate::store::{Purged, Store};

/// Removes personal data of days older than `older_than_days` (supervisor only).
pub fn purge(
    store: &mut Store,
    session: &Session,
    older_than_days: u32,
    now: &ZonedDateTime,
) -> Result<Purged> {
    supervisor_only(store, session, now, "purge")?;
    purge_older_than(store, Some(session.staff_id), older_than_days, now)
}

/// The purge itself, audited under `staff_id` (`None`: the admin CLI, `hadir purge`).
pub fn purge_older_than(
    store: &mut Store,
    staff_id: Option<i64>,
    older_than_days: u32,
    now: &ZonedDateTime,
) -> Result<Purged> {
    if older_than_days == 0 {
        // Today's data is in use (reprints, the survey); a slip of the finger must not take it.
        return Err(crate::Error::InvalidInput(
            "purge keeps at least today: give 1 day or more".into(),
        ));
    }
    let before = now
        .date()
        .checked_sub(jiff::Span::new().days(i64::from(older_than_days)))
        .map_err(|_| {
            crate::Error::InvalidInput(format!("{older_than_days} days is too far back"))
        })?;
    let purged = store.purge_personal_data(before)?;
    audit(
        store,
        &rfc3339(now),
        staff_id,
        "purge",
        Some(&format!("before {before}")),
        Some(&format!(
            "{} bookings, {} ticket names, {} comments",
            purged.bookings, purged.ticket_names, purged.comments
        )),
    )?;
    Ok(purged)
}
