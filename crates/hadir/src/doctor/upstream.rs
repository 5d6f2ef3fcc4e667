//! `upstream` and `upstream_clock`: the office gateway answers this kiosk's pull (token, office
//! id, a valid body), and its clock (the answer's `Date` header) agrees with the kiosk's.

use jiff::Timestamp;

use super::clock::judge_clock;
use super::{Advice, Check};
use crate::clock_skew::ClockReading;
use crate::error::{Error, SyncFailure};
use crate::sync::{read_feed, UpstreamClient};
use crate::Config;

/// Longest the doctor waits for the gateway's whole answer, whatever `upstream.request_timeout_ms`
/// allows the sync task: a person is waiting at the terminal.
const LONGEST_WAIT_MS: u64 = 15_000;

/// Pulls today's list once (read-only for both sides) and compares clocks with the answer.
pub async fn upstream(config: &Config, clock: &dyn Fn() -> Timestamp) -> (Check, Check) {
    let Some(url) = config.upstream.url.clone() else {
        return (
            Check::skip(
                "upstream",
                "no upstream.url: appointments come by file import only",
            ),
            Check::skip("upstream_clock", "no upstream.url"),
        );
    };
    let mut bounded = config.clone();
    bounded.upstream.request_timeout_ms = bounded.upstream.request_timeout_ms.min(LONGEST_WAIT_MS);
    let client = match UpstreamClient::new(&bounded) {
        Ok(client) => client,
        Err(failure) => {
            return (
                failed(&url, &failure),
                Check::skip("upstream_clock", "no request could be made"),
            )
        }
    };
    let date = clock().to_zoned_datetime(config.time_zone()).date();
    let probe = client.probe(date).await;
    let answered_at = clock();
    let check = match &probe.answer {
        Ok(body) => match read_feed(body) {
            Ok(feed) if feed.office == config.office.id && feed.date == date => Check::pass(
                "upstream",
                format!(
                    "{url} answered: {} appointment(s) for {date}",
                    feed.appointments.len()
                ),
            )
            .fact("appointments", feed.appointments.len()),
            Ok(feed) => failed(
                &url,
                &SyncFailure::Mismatch(format!(
                    "asked for {} on {date}, the answer is for {} on {}",
                    config.office.id, feed.office, feed.date
                )),
            ),
            Err(Error::Sync(failure)) => failed(&url, &failure),
            Err(error) => failed(&url, &SyncFailure::BadBody(error.to_string())),
        },
        Err(failure) => failed(&url, failure),
    }
    .fact("url", url.as_str());
    let no_answer = matches!(
        probe.answer,
        Err(SyncFailure::Timeout | SyncFailure::Network(_))
    );
    let clock_check = match probe.server_date.as_deref() {
        None if no_answer => Check::skip("upstream_clock", "no answer from the gateway"),
        None => Check::warn(
            "upstream_clock",
            "the gateway's answer has no Date header: clocks not compared",
            no_date_advice(),
        ),
        Some(text) => match ClockReading::from_http_date(answered_at, text) {
            Some(reading) => judge_clock(
                "upstream_clock",
                "gateway",
                reading,
                config.doctor.max_clock_skew_seconds,
            ),
            None => Check::warn(
                "upstream_clock",
                format!("the gateway's Date header {text:?} cannot be read as an HTTP date"),
                no_date_advice(),
            ),
        },
    };
    (check, clock_check)
}

fn no_date_advice() -> Advice {
    Advice::fixed("no_server_date", "doctor.no_server_date")
}

fn failed(url: &str, failure: &SyncFailure) -> Check {
    Check::fail("upstream", format!("{url}: {failure}"), advice(failure))
}

/// What IT should do: the staff screen's words where they fit, else the IT view.
fn advice(failure: &SyncFailure) -> Advice {
    let code = failure.code();
    match failure {
        SyncFailure::Unauthorized { .. }
        | SyncFailure::OfficeUnknown
        | SyncFailure::Mismatch(_) => Advice::from_text(code, failure.next_step()),
        SyncFailure::Timeout | SyncFailure::Network(_) | SyncFailure::NotConfigured => {
            Advice::fixed(code, "doctor.upstream_unreachable")
        }
        _ => Advice::fixed(code, "doctor.upstream_wrong_answer"),
    }
}
