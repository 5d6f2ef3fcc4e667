//! `hub` and `hub_clock`: the office hub (PostgreSQL) answers, its schema fits this Hadir, and
//! its clock agrees with the kiosk's. The schema is looked at, never migrated.

use std::time::Duration;

use jiff::Timestamp;

use super::clock::judge_clock;
use super::{Advice, Check};
use crate::clock_skew::ClockReading;
use crate::hub::{inspect, open};
use crate::Config;

/// Longest the doctor waits for the hub (connect and the two reads), far above the applicant's
/// `hub.timeout_ms`: here the question is whether it answers at all.
const LONGEST_WAIT: Duration = Duration::from_secs(5);

/// Connects as the kiosk does, reads the hub's clock and migrations, and disconnects.
pub async fn hub(config: &Config, clock: &dyn Fn() -> Timestamp) -> (Check, Check) {
    let Some(url) = config.hub_url.as_ref() else {
        return (
            Check::skip("hub", "no hub_url: this kiosk numbers on its own"),
            Check::skip("hub_clock", "no hub_url"),
        );
    };
    let shown = url.redacted();
    let look = async {
        let client = open(url, LONGEST_WAIT).await?;
        inspect(&client).await
    };
    let found = match tokio::time::timeout(LONGEST_WAIT, look).await {
        Ok(Ok(found)) => found,
        Ok(Err(error)) => return unreachable(&shown, &error.to_string()),
        Err(_) => {
            return unreachable(
                &shown,
                &format!("no answer within {} s", LONGEST_WAIT.as_secs()),
            )
        }
    };
    let answered_at = clock();
    let check = if !found.unknown.is_empty() {
        Check::fail(
            "hub",
            format!(
                "{shown}: the hub has migrations this Hadir does not know ({}): set up by a newer Hadir",
                found.unknown.join(", ")
            ),
            Advice::fixed("hub_schema_too_new", "doctor.hub_schema_too_new"),
        )
    } else if !found.pending.is_empty() {
        Check::warn(
            "hub",
            format!(
                "{shown} answers; its schema lacks {} (the first kiosk to start adds it)",
                found.pending.join(", ")
            ),
            Advice::fixed("hub_schema_pending", "doctor.hub_schema_pending"),
        )
    } else {
        Check::pass("hub", format!("{shown} answers; schema up to date"))
    }
    .fact("url", shown.clone());
    let reading = ClockReading {
        kiosk_time: answered_at,
        other_time: found.server_time,
    };
    let clock_check = judge_clock(
        "hub_clock",
        "hub",
        reading,
        config.doctor.max_clock_skew_seconds,
    );
    (check, clock_check)
}

fn unreachable(shown: &str, why: &str) -> (Check, Check) {
    (
        Check::fail(
            "hub",
            format!("{shown}: {why}"),
            Advice::fixed("hub_unreachable", "doctor.hub_unreachable"),
        )
        .fact("url", shown),
        Check::skip("hub_clock", "no answer from the hub"),
    )
}
