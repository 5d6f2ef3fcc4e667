//! `role`: what this installation of the app is in the office. One app, three roles: the
//! applicants' kiosk (the default), a counter's console, or the waiting-room display.

use serde::{Deserialize, Serialize};

/// What the window shows and which background work runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AppRole {
    /// Check-in, tickets, surveys, staff mode: standalone or with the hub.
    #[default]
    Kiosk,
    /// Staff at a counter call the next number (needs the hub).
    Counter,
    /// The waiting-room screen shows and speaks the calls (needs the hub).
    Display,
}

impl AppRole {
    pub fn as_str(self) -> &'static str {
        match self {
            AppRole::Kiosk => "kiosk",
            AppRole::Counter => "counter",
            AppRole::Display => "display",
        }
    }

    /// The page of `ui/` the window opens.
    pub fn page(self) -> &'static str {
        match self {
            AppRole::Kiosk => "index.html",
            AppRole::Counter => "counter.html",
            AppRole::Display => "display.html",
        }
    }
}

/// Counters and displays work on the hub's queue: without `hub_url` they have nothing to show.
pub(super) fn validate(
    role: AppRole,
    has_hub: bool,
) -> std::result::Result<(), (&'static str, String)> {
    if role != AppRole::Kiosk && !has_hub {
        return Err((
            "role",
            format!(
                "{:?} needs hub_url (the office hub holds the calls); set hub_url or role = \"kiosk\"",
                role.as_str()
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_and_displays_need_the_hub_and_a_kiosk_does_not() {
        assert!(validate(AppRole::Kiosk, false).is_ok());
        for role in [AppRole::Counter, AppRole::Display] {
            assert!(
                matches!(validate(role, false), Err(("role", _))),
                "{role:?}"
            );
        }
        assert!(validate(AppRole::Display, true).is_ok());
    }
}
