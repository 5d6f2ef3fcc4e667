//! HTTP to the office gateway: one pull, one push, each bounded in time and size.

use std::time::Duration;

use jiff::civil::Date;
use reqwest::header::{
    HeaderValue, AUTHORIZATION, CONTENT_ENCODING, CONTENT_TYPE, DATE, RETRY_AFTER,
};
use serde::Deserialize;

use super::not_the_feed::{foreign_body, read_push_answer, unasked_encoding};
use crate::config::Config;
use crate::error::{RetryAfter, SyncFailure};
use crate::store::OutboxEvent;

/// Largest answer body accepted (the contract's 20 MB). Larger answers are cut off unread.
pub const MAX_BODY_BYTES: usize = 20_000_000;

/// A client for one office's gateway. The token stays inside; `Debug` never shows it.
pub struct UpstreamClient {
    http: reqwest::Client,
    base: reqwest::Url,
    office: String,
    kiosk: String,
    authorization: HeaderValue,
}

impl std::fmt::Debug for UpstreamClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UpstreamClient")
            .field("base", &self.base.as_str())
            .field("office", &self.office)
            .finish_non_exhaustive()
    }
}

/// The gateway's answer to a push.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct PushAnswer {
    /// Either list may be left out when empty.
    #[serde(default)]
    pub accepted: Vec<String>,
    #[serde(default)]
    pub rejected: Vec<Rejected>,
}

/// What one request to the gateway brought: the answer, and the gateway's clock in it.
#[derive(Debug)]
pub struct Reply<T> {
    /// What a 200 carried, or why there was none.
    pub answer: Result<T, SyncFailure>,
    /// The answer's `Date` header (the gateway's clock), whatever its status; `None` without
    /// an answer or without the header.
    pub server_date: Option<String>,
}

/// A pull made only to see how the gateway answers (`hadir doctor`).
pub type Probe = Reply<Vec<u8>>;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Rejected {
    pub nonce: String,
    pub reason: String,
}

impl UpstreamClient {
    /// A client for `[upstream]`, or `NotConfigured` when there is no URL.
    pub fn new(config: &Config) -> Result<UpstreamClient, SyncFailure> {
        let upstream = &config.upstream;
        let url = upstream.url.as_deref().ok_or(SyncFailure::NotConfigured)?;
        let mut base = reqwest::Url::parse(url)
            .map_err(|e| SyncFailure::Network(format!("upstream.url: {e}")))?;
        if !base.path().ends_with('/') {
            base.set_path(&format!("{}/", base.path()));
        }
        let loopback = matches!(base.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
        if base.scheme() == "http" && !loopback {
            log::warn!(
                "upstream.url is plain http to {}: the token travels unencrypted; use https",
                base.host_str().unwrap_or("?")
            );
        }
        let token = upstream.token.as_deref().unwrap_or_default();
        let mut authorization =
            HeaderValue::from_str(&format!("Bearer {token}")).map_err(|_| {
                SyncFailure::Network("upstream.token has characters a header cannot carry".into())
            })?;
        authorization.set_sensitive(true);
        // ring as rustls's crypto (the feature we build); a second install is a harmless no-op.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_millis(upstream.connect_timeout_ms))
            .timeout(Duration::from_millis(upstream.request_timeout_ms))
            .user_agent(concat!("hadir/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| SyncFailure::Network(format!("HTTP client: {e}")))?;
        Ok(UpstreamClient {
            http,
            base,
            office: config.office.id.clone(),
            kiosk: config.kiosk.id.clone(),
            authorization,
        })
    }

    fn endpoint(&self, last: &str) -> Result<reqwest::Url, SyncFailure> {
        let mut url = self.base.clone();
        url.path_segments_mut()
            .map_err(|()| SyncFailure::Network("upstream.url cannot take a path".into()))?
            .pop_if_empty()
            .extend(["v1", "offices", &self.office, last]);
        Ok(url)
    }

    /// `GET .../appointments?date=D[&cursor=C]`: the raw body of a 200, size-capped.
    pub async fn pull(&self, date: Date, cursor: Option<&str>) -> Reply<Vec<u8>> {
        let mut url = match self.endpoint("appointments") {
            Ok(url) => url,
            Err(failure) => return Reply::unsent(failure),
        };
        url.query_pairs_mut().append_pair("date", &date.to_string());
        if let Some(cursor) = cursor {
            url.query_pairs_mut().append_pair("cursor", cursor);
        }
        let request = self
            .http
            .get(url)
            .header(AUTHORIZATION, self.authorization.clone());
        send(request).await
    }

    /// A full pull of `date` (no cursor: nothing is assumed about the cache), keeping the
    /// answer's `Date` header. Changes nothing on either side.
    pub async fn probe(&self, date: Date) -> Probe {
        self.pull(date, None).await
    }

    /// `POST .../events` with these outbox events (in their stored form).
    pub async fn push(&self, events: &[OutboxEvent]) -> Reply<PushAnswer> {
        let url = match self.endpoint("events") {
            Ok(url) => url,
            Err(failure) => return Reply::unsent(failure),
        };
        let mut body = format!(
            "{{\"kiosk\":{},\"events\":[",
            serde_json::Value::from(self.kiosk.as_str())
        );
        for (i, event) in events.iter().enumerate() {
            if i > 0 {
                body.push(',');
            }
            body.push_str(&event.body); // each is a JSON object, written by the store
        }
        body.push_str("]}");
        let request = self
            .http
            .post(url)
            .header(AUTHORIZATION, self.authorization.clone())
            .header(CONTENT_TYPE, "application/json")
            .body(body);
        let reply = send(request).await;
        Reply {
            answer: reply.answer.and_then(|bytes| read_push_answer(&bytes)),
            server_date: reply.server_date,
        }
    }
}

impl<T> Reply<T> {
    /// No request went out.
    fn unsent(failure: SyncFailure) -> Reply<T> {
        Reply {
            answer: Err(failure),
            server_date: None,
        }
    }
}

/// Sends a request and reads its answer, keeping the `Date` header whatever the status.
async fn send(request: reqwest::RequestBuilder) -> Reply<Vec<u8>> {
    match request.send().await {
        Ok(response) => {
            let server_date = response
                .headers()
                .get(DATE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            Reply {
                answer: answer_body(response).await,
                server_date,
            }
        }
        Err(error) => Reply::unsent(classify(error)),
    }
}

/// Checks status, encoding and content type, then reads the body up to [`MAX_BODY_BYTES`] and
/// looks at its first bytes: what is not the gateway's JSON is told apart from a broken answer.
async fn answer_body(mut response: reqwest::Response) -> Result<Vec<u8>, SyncFailure> {
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(RetryAfter::parse);
    match status {
        200 => {}
        401 | 403 => return Err(SyncFailure::Unauthorized { status }),
        404 => return Err(SyncFailure::OfficeUnknown),
        429 => return Err(SyncFailure::RateLimited { retry_after }),
        500..=599 => {
            return Err(SyncFailure::ServerError {
                status,
                retry_after,
            })
        }
        _ => return Err(SyncFailure::UnexpectedStatus { status }),
    }
    if let Some(failure) = unasked_encoding(
        response
            .headers()
            .get(CONTENT_ENCODING)
            .and_then(|v| v.to_str().ok()),
    ) {
        return Err(failure);
    }
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    // Every body is JSON by contract: an answer labelled as something else (a proxy's HTML
    // error page, a captive portal) is refused unread. An unlabelled one is parsed as JSON.
    let essence = content_type.split(';').next().unwrap_or("").trim();
    if !essence.is_empty() && !essence.eq_ignore_ascii_case("application/json") {
        return Err(SyncFailure::WrongContentType(content_type));
    }
    if response
        .content_length()
        .is_some_and(|length| length > MAX_BODY_BYTES as u64)
    {
        return Err(SyncFailure::BodyTooLarge {
            limit_bytes: MAX_BODY_BYTES,
        });
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(classify)? {
        if body.len() + chunk.len() > MAX_BODY_BYTES {
            return Err(SyncFailure::BodyTooLarge {
                limit_bytes: MAX_BODY_BYTES,
            });
        }
        body.extend_from_slice(&chunk);
    }
    match foreign_body(&body) {
        Some(failure) => Err(failure),
        None => Ok(body),
    }
}

fn classify(error: reqwest::Error) -> SyncFailure {
    if error.is_timeout() {
        return SyncFailure::Timeout;
    }
    // The URL carries no secret, but it is long and adds nothing to the cause.
    let error = error.without_url();
    let mut detail = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        detail.push_str(": ");
        detail.push_str(&cause.to_string());
        source = cause.source();
    }
    SyncFailure::Network(detail)
}
