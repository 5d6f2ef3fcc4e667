//! The office hub: several kiosks sharing one queue through PostgreSQL (`hub_url`), each keeping
//! its SQLite file as offline cache and outbox. See docs/scaling.md.

use serde::{Deserialize, Serialize, Serializer};

/// A PostgreSQL URL whose password never reaches a log line or `hadir config`.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct HubUrl(String);

impl HubUrl {
    pub fn new(url: impl Into<String>) -> HubUrl {
        HubUrl(url.into())
    }

    /// The URL itself, for connecting only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// `postgres://hadir:***@host/db`: the password replaced.
    pub fn redacted(&self) -> String {
        let Some((scheme, rest)) = self.0.split_once("://") else {
            return "<invalid>".into();
        };
        match rest.split_once('@') {
            Some((userinfo, host)) => match userinfo.split_once(':') {
                Some((user, _password)) => format!("{scheme}://{user}:***@{host}"),
                None => self.0.clone(),
            },
            None => self.0.clone(),
        }
    }
}

impl std::fmt::Debug for HubUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl Serialize for HubUrl {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.redacted())
    }
}

/// How a kiosk uses the hub.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HubConfig {
    /// Longest the applicant waits for the hub before the kiosk numbers from its own block.
    pub timeout_ms: u64,
    /// While the hub is unreachable this kiosk issues numbers from its own block:
    /// `offline_block_start` .. `offline_block_start + offline_block_size - 1` per queue and
    /// day (kiosk 2 with 600: `A-600`, `A-601`, ...). Blocks of different kiosks must not overlap.
    pub offline_block_start: u32,
    pub offline_block_size: u32,
    /// Numbers the hub itself never hands out (every kiosk's block lies inside): from
    /// `reserved_from` it continues at `reserved_to + 1`.
    pub reserved_from: u32,
    pub reserved_to: u32,
    /// How often an unreachable hub is tried again (and the offline check-ins replayed).
    pub retry_seconds: u32,
}

impl Default for HubConfig {
    fn default() -> Self {
        HubConfig {
            timeout_ms: 300,
            offline_block_start: 500,
            offline_block_size: 100,
            reserved_from: 500,
            reserved_to: 999,
            retry_seconds: 10,
        }
    }
}

pub(super) fn validate(
    url: Option<&HubUrl>,
    hub: &HubConfig,
) -> std::result::Result<(), (&'static str, String)> {
    if let Some(url) = url {
        let text = url.expose();
        if !(text.starts_with("postgres://") || text.starts_with("postgresql://")) {
            return Err((
                "hub_url",
                format!(
                    "{} is not a PostgreSQL URL (postgres://user:password@host:port/database)",
                    url.redacted()
                ),
            ));
        }
        if text.parse::<tokio_postgres::Config>().is_err() {
            return Err(("hub_url", format!("{} cannot be parsed", url.redacted())));
        }
    }
    if !(50..=5_000).contains(&hub.timeout_ms) {
        return Err(("hub.timeout_ms", "must be 50 to 5000".into()));
    }
    if !(1..=3600).contains(&hub.retry_seconds) {
        return Err(("hub.retry_seconds", "must be 1 to 3600".into()));
    }
    if hub.reserved_from < 2 || hub.reserved_to < hub.reserved_from {
        return Err((
            "hub.reserved_to",
            "the reserved range must be reserved_from (2 or more) to reserved_to".into(),
        ));
    }
    let block_end = u64::from(hub.offline_block_start) + u64::from(hub.offline_block_size) - 1;
    if hub.offline_block_size == 0
        || hub.offline_block_start < hub.reserved_from
        || block_end > u64::from(hub.reserved_to)
    {
        return Err((
            "hub.offline_block_start",
            format!(
                "this kiosk's block {}..{block_end} must lie inside the reserved range {}..{}",
                hub.offline_block_start, hub.reserved_from, hub.reserved_to
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_never_shows() {
        let url = HubUrl::new("postgres://hadir:s3cret@10.0.0.2:5432/hadir");
        assert_eq!(url.redacted(), "postgres://hadir:***@10.0.0.2:5432/hadir");
        assert!(!format!("{url:?}").contains("s3cret"));
        assert!(!serde_json::to_string(&url)
            .expect("json")
            .contains("s3cret"));
    }

    #[test]
    fn a_block_outside_the_reserved_range_is_refused() {
        let mut hub = HubConfig::default();
        assert_eq!(validate(None, &hub), Ok(()));
        hub.offline_block_start = 950;
        assert_eq!(
            validate(None, &hub).map_err(|e| e.0),
            Err("hub.offline_block_start")
        );
        let bad = HubUrl::new("mysql://x@y/z");
        assert_eq!(
            validate(Some(&bad), &HubConfig::default()).map_err(|e| e.0),
            Err("hub_url")
        );
    }
}
