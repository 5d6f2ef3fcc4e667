//! Telling an answer that is not the gateway's from one that is broken on the way.
//!
//! A cut-off or garbled body may be the network's doing, and retrying is the right advice. But a
//! web page (a proxy's error page, a Wi-Fi login portal), a body with a byte-order mark, a
//! compressed body the kiosk never asked for, or well-formed JSON of another shape means that
//! the network works and something other than the gateway's feed answered: no cable or router
//! will fix that, whoever runs the gateway must look (`sync_not_the_feed`, and
//! `sync_wrong_content_type` for a body labelled as something else, share that next step).

use serde::de::IgnoredAny;

use super::client::PushAnswer;
use crate::error::{Error, Result, SyncFailure};
use crate::feed::FeedBody;

/// The kiosk's client asks for no compression (no `Accept-Encoding`), so any `Content-Encoding`
/// but `identity` is a body it cannot read: something in between answered in its own way.
pub(super) fn unasked_encoding(content_encoding: Option<&str>) -> Option<SyncFailure> {
    let encoding = content_encoding?.trim();
    if encoding.is_empty() || encoding.eq_ignore_ascii_case("identity") {
        return None;
    }
    Some(SyncFailure::NotTheFeed(format!(
        "a body compressed as {encoding:?}, which the kiosk did not ask for"
    )))
}

/// What the first bytes of a 200's body say it is, when they say it is not the contract's JSON
/// (which starts with `{` after optional white space).
pub(super) fn foreign_body(body: &[u8]) -> Option<SyncFailure> {
    let what = if body.starts_with(&[0xEF, 0xBB, 0xBF]) {
        "a body starting with a UTF-8 byte-order mark, which JSON must not have"
    } else if body.starts_with(&[0xFE, 0xFF]) || body.starts_with(&[0xFF, 0xFE]) {
        "a UTF-16 body (it starts with a byte-order mark), not UTF-8 JSON"
    } else if body.starts_with(&[0x1F, 0x8B]) {
        "a gzip-compressed body, which the kiosk did not ask for"
    } else if body.starts_with(&[0x28, 0xB5, 0x2F, 0xFD]) {
        "a zstd-compressed body, which the kiosk did not ask for"
    } else if body.trim_ascii_start().starts_with(b"<") {
        "a web page (HTML or XML), such as a proxy's error page or a login portal"
    } else {
        return None;
    };
    Some(SyncFailure::NotTheFeed(what.into()))
}

/// Reads a pull's body as the feed: JSON that is not the feed's shape is another answer than
/// the gateway's (`sync_not_the_feed`); JSON that cannot be read at all stays `sync_bad_body`.
pub fn read_feed(body: &[u8]) -> Result<FeedBody> {
    FeedBody::parse(body).map_err(|error| match error {
        Error::FeedInvalid(detail) if is_json(body) => Error::Sync(SyncFailure::NotTheFeed(
            format!("JSON that is not an appointment list ({detail})"),
        )),
        Error::FeedInvalid(detail) => Error::Sync(SyncFailure::BadBody(detail)),
        other => other,
    })
}

/// Reads a push's answer, with [`read_feed`]'s distinction.
pub(super) fn read_push_answer(body: &[u8]) -> std::result::Result<PushAnswer, SyncFailure> {
    serde_json::from_slice(body).map_err(|error| {
        if is_json(body) {
            SyncFailure::NotTheFeed(format!("JSON that is not a push answer ({error})"))
        } else {
            SyncFailure::BadBody(error.to_string())
        }
    })
}

fn is_json(body: &[u8]) -> bool {
    serde_json::from_slice::<IgnoredAny>(body).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(failure: Option<SyncFailure>) -> Option<&'static str> {
        failure.map(|f| f.code())
    }

    #[test]
    fn an_encoding_the_kiosk_did_not_ask_for_is_not_the_feed() {
        assert_eq!(code(unasked_encoding(None)), None);
        assert_eq!(code(unasked_encoding(Some("identity"))), None);
        for encoding in ["gzip", "br", "deflate", "zstd"] {
            assert_eq!(
                code(unasked_encoding(Some(encoding))),
                Some("sync_not_the_feed"),
                "{encoding}"
            );
        }
    }

    #[test]
    fn first_bytes_tell_a_page_a_mark_or_a_compressed_body_from_json() {
        for body in [
            &b"\xEF\xBB\xBF{\"office\":\"X\"}"[..],
            b"\xFF\xFE{\x00",
            b"\x1F\x8B\x08\x00",
            b"\x28\xB5\x2F\xFD",
            b"<!DOCTYPE html><title>Login</title>",
            b"\r\n  <html>",
            b"<?xml version=\"1.0\"?><error/>",
        ] {
            assert_eq!(
                code(foreign_body(body)),
                Some("sync_not_the_feed"),
                "{body:?}"
            );
        }
        for body in [&b"{\"office\":"[..], b"  {}", b"", b"garbage", b"[1,2]"] {
            assert_eq!(code(foreign_body(body)), None, "{body:?}");
        }
    }

    #[test]
    fn json_of_another_shape_is_not_the_feed_and_broken_json_is_a_bad_body() {
        let code_of = |body: &[u8]| read_feed(body).expect_err("not a feed").code();
        assert_eq!(
            code_of(br#"{"error":"login required"}"#),
            "sync_not_the_feed"
        );
        assert_eq!(code_of(b"[]"), "sync_not_the_feed");
        assert_eq!(code_of(br#"{"office":"KANIM-KUPANG","da"#), "sync_bad_body");
        assert_eq!(code_of(b"not json"), "sync_bad_body");
        assert_eq!(
            read_push_answer(br#"{"accepted":"all"}"#).map_err(|f| f.code()),
            Err("sync_not_the_feed")
        );
        assert_eq!(
            read_push_answer(br#"{"accepted":["#).map_err(|f| f.code()),
            Err("sync_bad_body")
        );
    }

    #[test]
    fn an_answer_that_is_not_the_feed_is_not_advised_like_the_network() {
        let foreign = SyncFailure::NotTheFeed(String::new());
        let network = SyncFailure::Network(String::new());
        assert_ne!(foreign.next_step(), network.next_step());
        assert_eq!(
            SyncFailure::WrongContentType("text/html".into()).next_step(),
            foreign.next_step(),
            "a body labelled as something else has the same cause"
        );
        assert_eq!(
            crate::error::next_step_for_code("sync_not_the_feed"),
            foreign.next_step(),
            "what staff read from the stored code"
        );
    }
}
