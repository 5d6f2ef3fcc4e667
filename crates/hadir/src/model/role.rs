//! What a staff account may do: the front desk's work, that plus the supervisor's tools, or
//! only calling tickets at a counter.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A staff account's role, written `frontdesk`, `supervisor` or `counter` in the store, the CLI
/// and the screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StaffRole {
    /// Finds bookings, checks in by hand, reprints.
    Frontdesk,
    /// Also exports, changes settings and staff accounts, purges.
    Supervisor,
    /// Calls tickets at a counter machine (role `counter`) and nothing else: refused at a
    /// kiosk's staff mode. Front desk and supervisors may sign in at a counter too.
    Counter,
}

impl StaffRole {
    pub const ALL: [StaffRole; 3] = [
        StaffRole::Frontdesk,
        StaffRole::Supervisor,
        StaffRole::Counter,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StaffRole::Frontdesk => "frontdesk",
            StaffRole::Supervisor => "supervisor",
            StaffRole::Counter => "counter",
        }
    }

    /// From `frontdesk`, `supervisor` or `counter` exactly.
    pub fn parse(text: &str) -> Option<StaffRole> {
        StaffRole::ALL
            .into_iter()
            .find(|role| role.as_str() == text)
    }
}

impl fmt::Display for StaffRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_role_reads_back_as_written() {
        for role in StaffRole::ALL {
            assert_eq!(StaffRole::parse(role.as_str()), Some(role));
            assert_eq!(
                serde_json::to_value(role).expect("json"),
                serde_json::json!(role.as_str())
            );
        }
        assert_eq!(StaffRole::parse("Supervisor"), None);
        assert_eq!(StaffRole::parse("admin"), None);
        assert_eq!(StaffRole::parse("counter"), Some(StaffRole::Counter));
    }
}
