//! Just enough HTTP/1.1 for the fake: one request per connection, `Connection: close`.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

#[derive(Debug)]
pub(crate) struct Request {
    pub method: String,
    pub path: String,
    pub query: BTreeMap<String, String>,
    headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    pub fn read(stream: &mut TcpStream) -> std::io::Result<Request> {
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        reader.read_line(&mut line)?;
        let mut parts = line.split_whitespace();
        let method = parts.next().unwrap_or_default().to_owned();
        let target = parts.next().unwrap_or_default().to_owned();
        let mut headers = Vec::new();
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
            }
        }
        let length = headers
            .iter()
            .find(|(name, _)| name == "content-length")
            .and_then(|(_, value)| value.parse::<usize>().ok())
            .unwrap_or(0);
        let mut body = vec![0; length];
        reader.read_exact(&mut body)?;
        let (path, query) = target.split_once('?').unwrap_or((&target, ""));
        let query = query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .map(|(k, v)| (decode(k), decode(v)))
            .collect();
        Ok(Request {
            method,
            path: path.to_owned(),
            query,
            headers,
            body,
        })
    }

    pub fn header(&self, name: &str) -> Option<&String> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, value)| value)
    }
}

/// Percent-decoding of a query component (`+` is a space).
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(byte) => {
                        out.push(byte);
                        i += 3;
                        continue;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[derive(Debug)]
pub(crate) struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    pub fn json(status: u16, body: &str) -> Response {
        Response {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.as_bytes().to_vec(),
        }
    }

    pub fn ok_json(body: Vec<u8>) -> Response {
        Response {
            status: 200,
            headers: vec![(
                "Content-Type".into(),
                "application/json; charset=utf-8".into(),
            )],
            body,
        }
    }

    /// Adds a header, replacing one of the same name.
    pub fn header(mut self, name: &str, value: &str) -> Response {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn send(self, stream: &mut TcpStream) {
        let mut head = head(self.status, &self.headers);
        head.push_str(&format!("Content-Length: {}\r\n\r\n", self.body.len()));
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.write_all(&self.body);
        let _ = stream.flush();
    }
}

thread_local! {
    /// The `Date` header value of answers sent from this thread. Each connection is served on
    /// its own thread, which sets it once before answering.
    static DATE_HEADER: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Every answer this thread sends carries `Date: <value>` (none for `None`).
pub(crate) fn set_date_header(value: Option<String>) {
    DATE_HEADER.with(|date| *date.borrow_mut() = value);
}

fn head(status: u16, headers: &[(String, String)]) -> String {
    let mut head = format!(
        "HTTP/1.1 {status} {}\r\nConnection: close\r\n",
        reason(status)
    );
    DATE_HEADER.with(|date| {
        if let Some(value) = date.borrow().as_deref() {
            head.push_str(&format!("Date: {value}\r\n"));
        }
    });
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

fn json_head(length: Option<usize>) -> String {
    let mut head = head(200, &[("Content-Type".into(), "application/json".into())]);
    if let Some(length) = length {
        head.push_str(&format!("Content-Length: {length}\r\n"));
    }
    head.push_str("\r\n");
    head
}

/// Promises `body`, sends half, then resets the connection (SO_LINGER 0 turns close into RST).
pub(crate) fn reset_mid_body(stream: &mut TcpStream, body: &[u8]) {
    let _ = stream.write_all(json_head(Some(body.len())).as_bytes());
    let _ = stream.write_all(&body[..body.len() / 2]);
    let _ = stream.flush();
    std::thread::sleep(Duration::from_millis(50));
    let _ = socket2::SockRef::from(&*stream).set_linger(Some(Duration::ZERO));
}

/// `bytes` of a JSON array that never ends in time, in 64 KiB writes.
pub(crate) fn huge(stream: &mut TcpStream, bytes: usize, with_length: bool) {
    let _ = stream.write_all(json_head(with_length.then_some(bytes)).as_bytes());
    let chunk = vec![b' '; 64 * 1024];
    let mut sent = 0;
    while sent < bytes {
        let n = chunk.len().min(bytes - sent);
        if stream.write_all(&chunk[..n]).is_err() {
            return; // the client gave up, as it should
        }
        sent += n;
    }
}

/// The whole body, one byte per second, until the client hangs up or the server stops.
pub(crate) fn drip(stream: &mut TcpStream, body: &[u8], stopping: &AtomicBool) {
    let _ = stream.write_all(json_head(Some(body.len())).as_bytes());
    for byte in body {
        if stopping.load(Ordering::SeqCst) || stream.write_all(&[*byte]).is_err() {
            return;
        }
        let _ = stream.flush();
        std::thread::sleep(Duration::from_secs(1));
    }
}
