//! Settings changed at the kiosk, as stored overrides of the config file.

use rusqlite::params;

use super::Store;
use crate::error::Result;

impl Store {
    /// Every stored override, as (key, value).
    pub fn kiosk_settings(&self) -> Result<Vec<(String, String)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT key, value FROM kiosk_settings ORDER BY key")?;
        let rows = stmt
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    pub fn set_kiosk_setting(&mut self, key: &str, value: &str, at: &str) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO kiosk_settings (key, value, changed_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value, changed_at = excluded.changed_at",
            )?
            .execute(params![key, value, at])?;
        Ok(())
    }
}
