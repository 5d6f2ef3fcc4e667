//! The audit log as staff mode writes it, and the one supervisor check every supervisor tool
//! goes through (a refused attempt is audited too).

use jiff::ZonedDateTime;

use super::Session;
use crate::error::Result;
use crate::model::rfc3339;
use crate::store::{AuditEntry, Store};

/// Refuses (and audits the attempt) unless the session is a supervisor's.
pub fn supervisor_only(
    store: &mut Store,
    session: &Session,
    now: &ZonedDateTime,
    action: &str,
) -> Result<()> {
    if let Err(refusal) = session.require_supervisor() {
        audit(
            store,
            &rfc3339(now),
            Some(session.staff_id),
            "refused",
            Some(action),
            Some(refusal.code()),
        )?;
        return Err(refusal.into());
    }
    Ok(())
}

/// Records an action with its office-local time in the hash-chained audit log.
pub fn audit(
    store: &mut Store,
    at: &str,
    staff_id: Option<i64>,
    action: &str,
    target: Option<&str>,
    reason: Option<&str>,
) -> Result<()> {
    store.append_audit(&AuditEntry {
        at,
        staff_id,
        action,
        target,
        reason,
    })?;
    Ok(())
}
