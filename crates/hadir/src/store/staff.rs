//! Staff accounts and the append-only, hash-chained audit log.

use rusqlite::{params, OptionalExtension, TransactionBehavior};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::Store;
use crate::error::Result;
use crate::model::StaffRole;
use crate::staff::{Attempts, StaffAccount};

/// The hash the first audit row chains to.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One staff action to log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry<'a> {
    /// Office-local RFC 3339.
    pub at: &'a str,
    /// `None`: the admin CLI on the machine itself.
    pub staff_id: Option<i64>,
    pub action: &'a str,
    pub target: Option<&'a str>,
    pub reason: Option<&'a str>,
}

/// What `verify_audit` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditCheck {
    pub rows: i64,
    /// The id of the first row whose hash does not match its content and predecessor.
    pub first_broken: Option<i64>,
}

fn row_hash(prev_hash: &str, entry: &AuditEntry<'_>, id: i64) -> String {
    // Length-prefixed fields: no two different rows can serialise to the same text.
    let mut text = String::new();
    for field in [
        Some(id.to_string()).as_deref(),
        Some(entry.at),
        entry.staff_id.map(|s| s.to_string()).as_deref(),
        Some(entry.action),
        entry.target,
        entry.reason,
        Some(prev_hash),
    ] {
        match field {
            Some(value) => text.push_str(&format!("{}:{value};", value.len())),
            None => text.push_str("-;"),
        }
    }
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A role as the schema keeps it (`CHECK` allows only the two names).
fn role_of(text: String) -> rusqlite::Result<StaffRole> {
    StaffRole::parse(&text).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            2,
            rusqlite::types::Type::Text,
            format!("staff role {text:?}").into(),
        )
    })
}

impl Store {
    pub fn add_staff(
        &mut self,
        name: &str,
        role: StaffRole,
        pin_hash: &str,
        at: &str,
    ) -> Result<i64> {
        self.conn
            .prepare_cached(
                "INSERT INTO staff (name, role, pin_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![name, role.as_str(), pin_hash, at])?;
        Ok(self.conn.last_insert_rowid())
    }

    pub fn staff_by_name(&self, name: &str) -> Result<Option<StaffAccount>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT id, name, role, pin_hash, active, failures, locked_until FROM staff
                 WHERE name = ?1",
            )?
            .query_row([name], |row| {
                Ok(StaffAccount {
                    id: row.get(0)?,
                    name: row.get(1)?,
                    role: role_of(row.get(2)?)?,
                    pin_hash: row.get(3)?,
                    active: row.get(4)?,
                    attempts: Attempts {
                        failures: row.get::<_, i64>(5)? as u32,
                        locked_until: row
                            .get::<_, Option<String>>(6)?
                            .and_then(|t| t.parse().ok()),
                    },
                })
            })
            .optional()?)
    }

    pub fn list_staff(&self) -> Result<Vec<StaffAccount>> {
        let names: Vec<String> = self
            .conn
            .prepare_cached("SELECT name FROM staff ORDER BY name")?
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        names
            .iter()
            .filter_map(|name| self.staff_by_name(name).transpose())
            .collect()
    }

    pub fn set_staff_active(&mut self, id: i64, active: bool) -> Result<()> {
        self.conn
            .prepare_cached("UPDATE staff SET active = ?2 WHERE id = ?1")?
            .execute(params![id, active])?;
        Ok(())
    }

    /// A new PIN also clears failures and any lock.
    pub fn set_staff_pin(&mut self, id: i64, pin_hash: &str) -> Result<()> {
        self.conn
            .prepare_cached(
                "UPDATE staff SET pin_hash = ?2, failures = 0, locked_until = NULL WHERE id = ?1",
            )?
            .execute(params![id, pin_hash])?;
        Ok(())
    }

    pub fn set_staff_attempts(&mut self, id: i64, attempts: &Attempts) -> Result<()> {
        self.conn
            .prepare_cached("UPDATE staff SET failures = ?2, locked_until = ?3 WHERE id = ?1")?
            .execute(params![
                id,
                i64::from(attempts.failures),
                attempts.locked_until.map(|t| t.to_string())
            ])?;
        Ok(())
    }

    /// Appends one row to the audit log, chained to the last one, in one transaction.
    pub fn append_audit(&mut self, entry: &AuditEntry<'_>) -> Result<i64> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let last: Option<(i64, String)> = tx
            .prepare_cached("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1")?
            .query_row([], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?;
        let (id, prev_hash) = match last {
            Some((id, hash)) => (id + 1, hash),
            None => (1, GENESIS.to_owned()),
        };
        let hash = row_hash(&prev_hash, entry, id);
        tx.prepare_cached(
            "INSERT INTO audit (id, at, staff_id, action, target, reason, prev_hash, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            id,
            entry.at,
            entry.staff_id,
            entry.action,
            entry.target,
            entry.reason,
            prev_hash,
            hash
        ])?;
        tx.commit()?;
        Ok(id)
    }

    /// Walks the chain from the first row and reports the first row that does not match.
    pub fn verify_audit(&self) -> Result<AuditCheck> {
        let mut stmt = self.conn.prepare(
            "SELECT id, at, staff_id, action, target, reason, prev_hash, hash FROM audit ORDER BY id",
        )?;
        let mut rows = stmt.query([])?;
        let mut expected_prev = GENESIS.to_owned();
        let mut expected_id = 1;
        let mut count = 0;
        while let Some(row) = rows.next()? {
            count += 1;
            let id: i64 = row.get(0)?;
            let at: String = row.get(1)?;
            let target: Option<String> = row.get(4)?;
            let reason: Option<String> = row.get(5)?;
            let action: String = row.get(3)?;
            let entry = AuditEntry {
                at: &at,
                staff_id: row.get(2)?,
                action: &action,
                target: target.as_deref(),
                reason: reason.as_deref(),
            };
            let prev_hash: String = row.get(6)?;
            let hash: String = row.get(7)?;
            // A gap in the ids is a removed row; a wrong hash an edited one.
            if id != expected_id
                || prev_hash != expected_prev
                || hash != row_hash(&prev_hash, &entry, id)
            {
                return Ok(AuditCheck {
                    rows: count,
                    first_broken: Some(id),
                });
            }
            expected_prev = hash;
            expected_id = id + 1;
        }
        Ok(AuditCheck {
            rows: count,
            first_broken: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::fresh_store;
    use super::*;

    fn log(store: &mut Store, n: usize) {
        for i in 0..n {
            let target = format!("A-{i:03}");
            store
                .append_audit(&AuditEntry {
                    at: "2026-11-29T09:00:00+08:00",
                    staff_id: Some(1),
                    action: "reprint",
                    target: Some(&target),
                    reason: Some("kertas macet"),
                })
                .expect("appends");
        }
    }

    #[test]
    fn an_untouched_chain_verifies() {
        let (_dir, mut store) = fresh_store();
        log(&mut store, 5);
        assert_eq!(
            store.verify_audit().expect("verifies"),
            AuditCheck {
                rows: 5,
                first_broken: None
            }
        );
    }

    #[test]
    fn rows_cannot_be_edited_or_deleted_through_sql() {
        let (_dir, mut store) = fresh_store();
        log(&mut store, 2);
        assert!(store
            .conn
            .execute("UPDATE audit SET reason = 'x' WHERE id = 1", [])
            .is_err());
        assert!(store
            .conn
            .execute("DELETE FROM audit WHERE id = 2", [])
            .is_err());
    }

    #[test]
    fn verify_points_at_an_edited_row_and_at_a_removed_one() {
        let (_dir, mut store) = fresh_store();
        log(&mut store, 6);
        // Someone with the file and a SQLite shell drops the guard and edits row 4.
        store
            .conn
            .execute_batch(
                "DROP TRIGGER audit_rows_stay;
                 UPDATE audit SET reason = 'tidak ada' WHERE id = 4;",
            )
            .expect("tampers");
        assert_eq!(store.verify_audit().expect("runs").first_broken, Some(4));

        let (_dir, mut store) = fresh_store();
        log(&mut store, 6);
        store
            .conn
            .execute_batch(
                "DROP TRIGGER audit_rows_are_not_deleted; DELETE FROM audit WHERE id = 3;",
            )
            .expect("tampers");
        assert_eq!(store.verify_audit().expect("runs").first_broken, Some(4));
    }

    #[test]
    fn staff_accounts_keep_attempts_and_a_new_pin_clears_them() {
        let (_dir, mut store) = fresh_store();
        let id = store
            .add_staff(
                "maria",
                crate::model::StaffRole::Frontdesk,
                "$argon2id$fake",
                "2026-11-29T08:00:00+08:00",
            )
            .expect("adds");
        let locked = Attempts {
            failures: 5,
            locked_until: Some("2026-11-29T01:05:00Z".parse().expect("ts")),
        };
        store.set_staff_attempts(id, &locked).expect("sets");
        assert_eq!(
            store
                .staff_by_name("maria")
                .expect("reads")
                .expect("there")
                .attempts,
            locked
        );
        store.set_staff_pin(id, "$argon2id$other").expect("resets");
        let account = store.staff_by_name("maria").expect("reads").expect("there");
        assert_eq!(account.attempts, Attempts::default());
        assert_eq!(account.pin_hash, "$argon2id$other");
        assert!(
            store
                .add_staff("maria", crate::model::StaffRole::Supervisor, "h", "t")
                .is_err(),
            "names are unique"
        );
    }
}
