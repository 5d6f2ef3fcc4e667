//! A stand-in for the office gateway of `docs/feed-api.md`, for tests and
//! benchmarks: a real HTTP/1.1 server on 127.0.0.1 (ephemeral port) that serves feed bodies,
//! takes event pushes the way the contract says (a nonce seen before is accepted again with no
//! second effect), counts what it applied, and misbehaves on cue (status codes, resets,
//! truncated or endless bodies, silence).
//!
//! [`escpos_printer`] is the same idea for a network receipt printer: status answers, paper out,
//! an open cover, a printer that drops the connection or stops reading.
//!
//! Hand-written over `std::net` on purpose: the faults live below HTTP (a reset half-way through
//! a body, one byte per second), where a server framework would not let a test reach.

pub mod escpos_printer;
mod http;

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use http::{Request, Response};

/// Which endpoint a fault is queued for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Route {
    Pull,
    Push,
}

/// One way to answer badly. Queued faults are used once each, in order, per route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// This status with a small JSON body; `retry_after` becomes the `Retry-After` header.
    Status {
        status: u16,
        retry_after: Option<String>,
    },
    /// Headers promise the whole body, half of it is sent, then the connection is reset (RST).
    ResetMidBody,
    /// A 200 whose JSON stops half-way (and whose Content-Length says so).
    TruncatedJson,
    /// A 200 that is not JSON at all: an HTML error page labelled `application/json`.
    InvalidJson,
    /// The right body with a UTF-8 byte-order mark in front.
    ByteOrderMark,
    /// The right body gzip-compressed (`Content-Encoding: gzip`), which the kiosk never asks for.
    Gzipped,
    /// A 200 of well-formed JSON that is not the contract's (a proxy's own answer).
    OtherJson,
    /// A 200 of this many bytes; `with_length` says whether Content-Length announces it.
    Huge { bytes: usize, with_length: bool },
    /// The right body, one byte per second.
    Drip,
    /// The right body labelled `text/html`.
    WrongContentType,
    /// Reads the request and never answers.
    Hang,
    /// Push only: applies the events, then closes the connection without an answer.
    DropAfterApply,
}

/// Random push failures, for exactly-once tests: each push is, independently, dropped after
/// being applied, or answered 500 before being applied, or served normally.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PushChaos {
    pub drop_after_apply: f64,
    pub fail_before_apply: f64,
}

/// The `Date` header of every answer (the gateway's clock, which `hadir doctor` compares with
/// the kiosk's).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum DateHeader {
    /// This machine's clock, as a real server sends it.
    #[default]
    Now,
    /// This value, verbatim (an HTTP date such as `Sun, 29 Nov 2026 00:30:00 GMT`, or garbage).
    Fixed(String),
    /// This machine's clock moved by this much, running on as a real clock does (a gateway
    /// in step with a kiosk started with `--at`, or off from it by a known amount).
    Offset(jiff::SignedDuration),
    /// No `Date` header at all.
    Omitted,
}

/// One request as the server saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeenRequest {
    pub method: String,
    pub path: String,
    pub query: BTreeMap<String, String>,
    pub authorised: bool,
}

#[derive(Debug, Default)]
struct State {
    office: String,
    token: String,
    /// (date, cursor the request carried) -> body.
    feeds: HashMap<(String, Option<String>), Vec<u8>>,
    faults: HashMap<Route, VecDeque<Fault>>,
    chaos: Option<PushChaos>,
    rng: Option<fastrand::Rng>,
    /// Booking codes whose events are rejected, with the reason.
    reject: HashMap<String, String>,
    /// nonce -> the event as first applied.
    applied: BTreeMap<String, serde_json::Value>,
    /// (kind, booking, applicant, ticket) -> number of distinct nonces applied for it.
    effects: BTreeMap<String, u32>,
    /// nonce -> how many times it was delivered (resends included).
    deliveries: BTreeMap<String, u32>,
    seen: Vec<SeenRequest>,
    /// Wait before answering a push that was applied (widens the window a kill can land in).
    push_answer_delay: Duration,
    date_header: DateHeader,
}

/// The running server. Dropping it stops it.
#[derive(Debug)]
pub struct FakeUpstream {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    stopping: Arc<AtomicBool>,
    acceptor: Option<JoinHandle<()>>,
}

impl FakeUpstream {
    /// Starts serving `office` to clients that send `Authorization: Bearer <token>`.
    pub fn start(office: &str, token: &str) -> std::io::Result<FakeUpstream> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let state = Arc::new(Mutex::new(State {
            office: office.to_owned(),
            token: token.to_owned(),
            ..State::default()
        }));
        let stopping = Arc::new(AtomicBool::new(false));
        let acceptor = {
            let state = Arc::clone(&state);
            let stopping = Arc::clone(&stopping);
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stopping.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let state = Arc::clone(&state);
                    let stopping = Arc::clone(&stopping);
                    std::thread::spawn(move || serve(stream, &state, &stopping));
                }
            })
        };
        Ok(FakeUpstream {
            addr,
            state,
            stopping,
            acceptor: Some(acceptor),
        })
    }

    /// Base URL for the kiosk's `[upstream] url`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Serves `body` to pulls for `date` carrying `cursor` (`None`: a pull without cursor).
    /// Unset pulls get an empty list: full without a cursor, an empty delta with one.
    pub fn set_feed(&self, date: &str, cursor: Option<&str>, body: Vec<u8>) {
        self.state()
            .feeds
            .insert((date.to_owned(), cursor.map(str::to_owned)), body);
    }

    pub fn queue_fault(&self, route: Route, fault: Fault) {
        self.state()
            .faults
            .entry(route)
            .or_default()
            .push_back(fault);
    }

    pub fn clear_faults(&self) {
        self.state().faults.clear();
    }

    pub fn set_push_chaos(&self, chaos: Option<PushChaos>, seed: u64) {
        let mut state = self.state();
        state.chaos = chaos;
        state.rng = Some(fastrand::Rng::with_seed(seed));
    }

    pub fn set_push_answer_delay(&self, delay: Duration) {
        self.state().push_answer_delay = delay;
    }

    /// What every later answer says in its `Date` header.
    pub fn set_date_header(&self, header: DateHeader) {
        self.state().date_header = header;
    }

    /// Events about this booking are rejected with `reason`.
    pub fn reject_booking(&self, booking_code: &str, reason: &str) {
        self.state()
            .reject
            .insert(booking_code.to_owned(), reason.to_owned());
    }

    /// Events applied, by nonce.
    pub fn applied(&self) -> BTreeMap<String, serde_json::Value> {
        self.state().applied.clone()
    }

    /// For each real-world effect (kind, booking, applicant, ticket): how many distinct nonces
    /// carried it. Anything above 1 means the kiosk sent one fact twice under new nonces.
    pub fn effects(&self) -> BTreeMap<String, u32> {
        self.state().effects.clone()
    }

    /// Deliveries per nonce, resends included.
    pub fn deliveries(&self) -> BTreeMap<String, u32> {
        self.state().deliveries.clone()
    }

    pub fn seen(&self) -> Vec<SeenRequest> {
        self.state().seen.clone()
    }
}

impl Drop for FakeUpstream {
    fn drop(&mut self) {
        self.stopping.store(true, Ordering::SeqCst);
        // Wake the acceptor so it sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_millis(200));
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
    }
}

fn serve(mut stream: TcpStream, state: &Mutex<State>, stopping: &AtomicBool) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let Ok(request) = Request::read(&mut stream) else {
        return;
    };
    let lock = || state.lock().unwrap_or_else(|p| p.into_inner());
    http::set_date_header(match &lock().date_header {
        DateHeader::Now => jiff::fmt::rfc2822::DateTimePrinter::new()
            .timestamp_to_rfc9110_string(&jiff::Timestamp::now())
            .ok(),
        DateHeader::Fixed(value) => Some(value.clone()),
        DateHeader::Offset(offset) => {
            jiff::Timestamp::now()
                .checked_add(*offset)
                .ok()
                .and_then(|at| {
                    jiff::fmt::rfc2822::DateTimePrinter::new()
                        .timestamp_to_rfc9110_string(&at)
                        .ok()
                })
        }
        DateHeader::Omitted => None,
    });
    let (route, office_ok) = {
        let st = lock();
        let prefix = format!("/v1/offices/{}/", st.office);
        let route = match (request.method.as_str(), request.path.as_str()) {
            ("GET", p) if p.ends_with("/appointments") => Some(Route::Pull),
            ("POST", p) if p.ends_with("/events") => Some(Route::Push),
            _ => None,
        };
        (route, request.path.starts_with(&prefix))
    };
    let authorised = {
        let mut st = lock();
        let authorised = request.header("authorization") == Some(&format!("Bearer {}", st.token));
        st.seen.push(SeenRequest {
            method: request.method.clone(),
            path: request.path.clone(),
            query: request.query.clone(),
            authorised,
        });
        authorised
    };
    let Some(route) = route else {
        return Response::json(404, r#"{"error":"no such endpoint"}"#).send(&mut stream);
    };
    if !authorised {
        return Response::json(401, r#"{"error":"unauthorised"}"#).send(&mut stream);
    }
    if !office_ok {
        return Response::json(404, r#"{"error":"office unknown"}"#).send(&mut stream);
    }
    let fault = lock().faults.get_mut(&route).and_then(VecDeque::pop_front);
    match route {
        Route::Pull => {
            let body = pull_body(&lock(), &request);
            answer(&mut stream, fault, body, stopping);
        }
        Route::Push => push(&mut stream, &request, fault, state, stopping),
    }
}

fn pull_body(state: &State, request: &Request) -> Vec<u8> {
    let date = request.query.get("date").cloned().unwrap_or_default();
    let cursor = request.query.get("cursor").cloned();
    if let Some(body) = state.feeds.get(&(date.clone(), cursor.clone())) {
        return body.clone();
    }
    let (full, cursor) = match cursor {
        None => (true, format!("empty-{date}")),
        Some(cursor) => (false, cursor),
    };
    serde_json::json!({
        "office": state.office, "date": date, "full": full, "cursor": cursor,
        "appointments": [], "revoked": []
    })
    .to_string()
    .into_bytes()
}

/// Sends `body` as a 200, or misbehaves as `fault` says.
fn answer(stream: &mut TcpStream, fault: Option<Fault>, body: Vec<u8>, stopping: &AtomicBool) {
    match fault {
        None | Some(Fault::DropAfterApply) => Response::ok_json(body).send(stream),
        Some(Fault::Status {
            status,
            retry_after,
        }) => {
            let mut response = Response::json(status, r#"{"error":"injected"}"#);
            if let Some(value) = retry_after {
                response = response.header("Retry-After", &value);
            }
            response.send(stream)
        }
        Some(Fault::ResetMidBody) => http::reset_mid_body(stream, &body),
        Some(Fault::TruncatedJson) => {
            Response::ok_json(body[..body.len() / 2].to_vec()).send(stream)
        }
        Some(Fault::InvalidJson) => {
            Response::ok_json(b"<html>gateway error</html>".to_vec()).send(stream)
        }
        Some(Fault::ByteOrderMark) => {
            Response::ok_json([&b"\xEF\xBB\xBF"[..], &body].concat()).send(stream)
        }
        Some(Fault::Gzipped) => Response::ok_json(gzip_stored(&body))
            .header("Content-Encoding", "gzip")
            .send(stream),
        Some(Fault::OtherJson) => {
            Response::ok_json(br#"{"status":"ok","message":"proxy ready"}"#.to_vec()).send(stream)
        }
        Some(Fault::Huge { bytes, with_length }) => http::huge(stream, bytes, with_length),
        Some(Fault::Drip) => http::drip(stream, &body, stopping),
        Some(Fault::WrongContentType) => Response::ok_json(body)
            .header("Content-Type", "text/html")
            .send(stream),
        Some(Fault::Hang) => {
            for _ in 0..600 {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        }
    }
}

/// `data` as a gzip member (RFC 1952) of stored (uncompressed) deflate blocks: a real gzip body
/// any reader unpacks, without a compression library.
fn gzip_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF];
    let mut blocks = data.chunks(0xFFFF).peekable();
    if blocks.peek().is_none() {
        out.extend_from_slice(&[1, 0, 0, 0xFF, 0xFF]); // one empty final block
    }
    while let Some(block) = blocks.next() {
        out.push(u8::from(blocks.peek().is_none())); // BFINAL on the last, BTYPE 00
        let len = block.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(block);
    }
    out.extend_from_slice(&crc32(data).to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out
}

/// CRC-32 (IEEE, reflected), bit by bit: a test server's bodies are small.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn push(
    stream: &mut TcpStream,
    request: &Request,
    mut fault: Option<Fault>,
    state: &Mutex<State>,
    stopping: &AtomicBool,
) {
    let Ok(batch) = serde_json::from_slice::<serde_json::Value>(&request.body) else {
        return Response::json(400, r#"{"error":"not json"}"#).send(stream);
    };
    let events = batch["events"].as_array().cloned().unwrap_or_default();
    {
        let mut st = state.lock().unwrap_or_else(|p| p.into_inner());
        if fault.is_none() {
            if let Some(chaos) = st.chaos {
                let roll = st.rng.get_or_insert_with(fastrand::Rng::new).f64();
                if roll < chaos.fail_before_apply {
                    fault = Some(Fault::Status {
                        status: 500,
                        retry_after: None,
                    });
                } else if roll < chaos.fail_before_apply + chaos.drop_after_apply {
                    fault = Some(Fault::DropAfterApply);
                }
            }
        }
    }
    // A status or silence means "not applied"; every other fault garbles an answer to a push
    // that did happen.
    let applies = !matches!(fault, Some(Fault::Status { .. }) | Some(Fault::Hang));
    let mut accepted = Vec::new();
    let mut rejected = Vec::new();
    if applies {
        let mut st = state.lock().unwrap_or_else(|p| p.into_inner());
        for event in events {
            let nonce = event["nonce"].as_str().unwrap_or_default().to_owned();
            *st.deliveries.entry(nonce.clone()).or_default() += 1;
            let booking = event["booking_code"].as_str().unwrap_or_default();
            if let Some(reason) = st.reject.get(booking) {
                rejected.push(serde_json::json!({"nonce": nonce, "reason": reason}));
                continue;
            }
            if !st.applied.contains_key(&nonce) {
                let effect = format!(
                    "{}|{}|{}|{}",
                    event["kind"], event["booking_code"], event["applicant_index"], event["ticket"]
                );
                *st.effects.entry(effect).or_default() += 1;
                st.applied.insert(nonce.clone(), event);
            }
            accepted.push(nonce);
        }
    }
    let delay = state
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push_answer_delay;
    std::thread::sleep(delay);
    if fault == Some(Fault::DropAfterApply) {
        return; // the connection closes with no answer: the kiosk cannot know it was applied
    }
    let body = serde_json::json!({"accepted": accepted, "rejected": rejected})
        .to_string()
        .into_bytes();
    answer(stream, fault, body, stopping);
}

/// A valid full pull body of `count` made-up bookings for `date`, codes `MP<prefix><n>` (prefix
/// of letters, so that the code stays 8-20 upper-case letters and digits), for load and crash tests.
pub fn synthetic_feed(
    office: &str,
    date: &str,
    count: usize,
    prefix: &str,
    cursor: &str,
) -> Vec<u8> {
    let services = ["baru", "penggantian", "hilang_rusak"];
    let appointments: Vec<serde_json::Value> = (0..count)
        .map(|n| {
            let hour = 8 + n % 8;
            let applicants: Vec<serde_json::Value> = (0..1 + n % 3)
                .map(|a| {
                    serde_json::json!({
                        "name": format!("PEMOHON {prefix} {n} {a}"),
                        "birth_date": format!("19{:02}-0{}-1{}", 50 + n % 50, 1 + a, n % 10),
                        "nik_last4": format!("{:04}", (n * 7 + a) % 10_000),
                        "priority": if n % 11 == 0 { serde_json::json!("lansia") } else { serde_json::Value::Null },
                    })
                })
                .collect();
            serde_json::json!({
                "booking_code": format!("MP{prefix}{n:06}"),
                "date": date,
                "slot_start": format!("{hour:02}:00"),
                "slot_end": format!("{:02}:00", hour + 1),
                "service": services[n % 3],
                "express": n % 5 == 0,
                "status": "booked",
                "applicants": applicants,
                "updated_at": "2026-11-28T14:03:11+08:00",
            })
        })
        .collect();
    serde_json::json!({
        "office": office, "date": date, "full": true, "cursor": cursor,
        "appointments": appointments, "revoked": [],
    })
    .to_string()
    .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_has_its_check_value_and_gzip_its_frame() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        let body = gzip_stored(b"{}");
        assert_eq!(&body[..3], &[0x1F, 0x8B, 8], "gzip magic and deflate");
        assert_eq!(
            &body[10..15],
            &[1, 2, 0, 0xFD, 0xFF],
            "one final stored block"
        );
        assert_eq!(&body[15..17], b"{}");
        assert_eq!(body.len(), 10 + 5 + 2 + 8);
    }
}
