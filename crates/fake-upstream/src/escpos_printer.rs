//! A stand-in for an ESC/POS network printer (raw port 9100) on 127.0.0.1 (ephemeral port), for
//! tests: answers the real-time status query `DLE EOT n` (`10 04 n`) as an Epson TM printer
//! does, keeps every job's other bytes, and misbehaves in the mode it is switched to. The mode
//! is read when a connection is accepted, so a test can switch it between two prints.
//!
//! Status bytes (Epson ESC/POS reference, `DLE EOT`): every answer is `0x12` plus the bits that
//! are on. `n = 1` bit 3 offline; `n = 2` bit 2 cover open, bit 5 stopped by paper end; `n = 4`
//! bits 2-3 paper near end, bits 5-6 paper end.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How the stand-in behaves on the next connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrinterMode {
    /// Answers "all well", reads and keeps the job.
    Healthy,
    /// Answers "paper near end" (still online), reads and keeps the job.
    PaperNearEnd,
    /// Answers "offline, stopped by paper end, no paper"; keeps whatever is sent.
    PaperOut,
    /// Answers "offline, cover open"; keeps whatever is sent.
    CoverOpen,
    /// Accepts the connection and closes it at once (a printer rebooting, a bad network box).
    AcceptThenDrop,
    /// Accepts the connection and never reads a byte (a printer whose firmware hung).
    StallWithoutReading,
    /// Answers the first three status queries "all well", then never reads again (it hangs
    /// while the job arrives).
    StallAfterStatus,
    /// Answers the first three status queries "all well", then closes the connection.
    DropAfterStatus,
}

impl PrinterMode {
    /// The answer to `DLE EOT n` in this mode.
    fn answer(self, n: u8) -> u8 {
        const FIXED: u8 = 0x12;
        match (self, n) {
            (PrinterMode::PaperOut, 1) | (PrinterMode::CoverOpen, 1) => FIXED | 0x08,
            (PrinterMode::PaperOut, 2) => FIXED | 0x20,
            (PrinterMode::PaperOut, 4) => FIXED | 0x0C | 0x60,
            (PrinterMode::CoverOpen, 2) => FIXED | 0x04,
            (PrinterMode::PaperNearEnd, 4) => FIXED | 0x0C,
            _ => FIXED,
        }
    }
}

/// One connection as the stand-in saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrinterSession {
    pub mode: PrinterMode,
    /// Status queries answered before the first job byte arrived.
    pub queries_before_job: usize,
    /// Status queries answered after job bytes arrived.
    pub queries_after_job: usize,
    /// Every byte that was not a status query.
    pub job: Vec<u8>,
}

#[derive(Debug)]
struct Shared {
    mode: Mutex<PrinterMode>,
    sessions: Mutex<Vec<PrinterSession>>,
    /// Connections of the stalling modes, held open (unread) until the stand-in is dropped.
    held: Mutex<Vec<TcpStream>>,
    stopping: AtomicBool,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

/// A running stand-in printer; stops (and closes every connection) on drop.
#[derive(Debug)]
pub struct EscposPrinter {
    addr: SocketAddr,
    shared: Arc<Shared>,
    acceptor: Option<JoinHandle<()>>,
}

impl EscposPrinter {
    /// Starts listening in `mode`.
    pub fn start(mode: PrinterMode) -> std::io::Result<EscposPrinter> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            mode: Mutex::new(mode),
            sessions: Mutex::new(Vec::new()),
            held: Mutex::new(Vec::new()),
            stopping: AtomicBool::new(false),
        });
        let acceptor = {
            let shared = Arc::clone(&shared);
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if shared.stopping.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let mode = *lock(&shared.mode);
                    let shared = Arc::clone(&shared);
                    std::thread::spawn(move || serve(stream, mode, &shared));
                }
            })
        };
        Ok(EscposPrinter {
            addr,
            shared,
            acceptor: Some(acceptor),
        })
    }

    /// `127.0.0.1:<port>`, for `[printer] address`.
    pub fn address(&self) -> String {
        self.addr.to_string()
    }

    /// How the next connection is treated.
    pub fn set_mode(&self, mode: PrinterMode) {
        *lock(&self.shared.mode) = mode;
    }

    /// Every finished connection so far, oldest first.
    pub fn sessions(&self) -> Vec<PrinterSession> {
        lock(&self.shared.sessions).clone()
    }

    /// The job bytes of every finished connection that sent any.
    pub fn jobs(&self) -> Vec<Vec<u8>> {
        self.sessions()
            .into_iter()
            .filter(|s| !s.job.is_empty())
            .map(|s| s.job)
            .collect()
    }

    /// Waits up to `timeout` until `count` jobs have arrived (the kiosk's side may finish a
    /// moment before this side has seen the connection close); returns the jobs there are.
    pub fn wait_for_jobs(&self, count: usize, timeout: Duration) -> Vec<Vec<u8>> {
        let deadline = Instant::now() + timeout;
        loop {
            let jobs = self.jobs();
            if jobs.len() >= count || Instant::now() >= deadline {
                return jobs;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for EscposPrinter {
    fn drop(&mut self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        // Wake the acceptor so it sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_millis(200));
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
        lock(&self.shared.held).clear();
    }
}

fn serve(mut stream: TcpStream, mode: PrinterMode, shared: &Shared) {
    let mut session = PrinterSession {
        mode,
        queries_before_job: 0,
        queries_after_job: 0,
        job: Vec::new(),
    };
    match mode {
        PrinterMode::AcceptThenDrop => {
            drop(stream);
            lock(&shared.sessions).push(session);
            return;
        }
        PrinterMode::StallWithoutReading => {
            lock(&shared.held).push(stream);
            lock(&shared.sessions).push(session);
            return;
        }
        _ => {}
    }
    // Short read timeouts so a stopping stand-in does not wait on a silent client for long.
    let _ = stream.set_read_timeout(Some(Duration::from_millis(100)));
    let mut parser = Parser::default();
    let mut buffer = [0u8; 8192];
    let idle_limit = Duration::from_secs(30);
    let mut last_byte = Instant::now();
    loop {
        if shared.stopping.load(Ordering::SeqCst) || last_byte.elapsed() > idle_limit {
            break;
        }
        let read = match stream.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => read,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock
                        | std::io::ErrorKind::TimedOut
                        | std::io::ErrorKind::Interrupted
                ) =>
            {
                continue
            }
            Err(_) => break,
        };
        last_byte = Instant::now();
        for &byte in &buffer[..read] {
            let Some(n) = parser.feed(byte, &mut session.job) else {
                continue;
            };
            if session.job.is_empty() {
                session.queries_before_job += 1;
            } else {
                session.queries_after_job += 1;
            }
            if stream.write_all(&[mode.answer(n)]).is_err() {
                break;
            }
        }
        let answered = session.queries_before_job + session.queries_after_job;
        if answered >= 3 {
            match mode {
                PrinterMode::StallAfterStatus => {
                    lock(&shared.held).push(stream);
                    lock(&shared.sessions).push(session);
                    return;
                }
                PrinterMode::DropAfterStatus => break,
                _ => {}
            }
        }
    }
    lock(&shared.sessions).push(session);
}

/// Splits the byte stream into status queries (`10 04 n`, n = 1 to 4, wherever they appear, as
/// a real printer does) and everything else.
#[derive(Debug, Default)]
struct Parser {
    pending: Vec<u8>,
}

impl Parser {
    /// Takes one byte; returns `n` when it completes a status query, else files it as job data.
    fn feed(&mut self, byte: u8, job: &mut Vec<u8>) -> Option<u8> {
        self.pending.push(byte);
        match self.pending.as_slice() {
            [0x10] | [0x10, 0x04] => None,
            [0x10, 0x04, n @ 1..=4] => {
                let n = *n;
                self.pending.clear();
                Some(n)
            }
            _ => {
                // Not a query: the held bytes are data, except a new DLE that may start one.
                let last = self.pending.pop();
                job.append(&mut self.pending);
                if last == Some(0x10) {
                    self.pending.push(0x10);
                } else if let Some(last) = last {
                    job.push(last);
                }
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_found_anywhere_and_the_rest_is_job_data() {
        let mut parser = Parser::default();
        let mut job = Vec::new();
        let stream = [
            0x10, 0x04, 0x01, 0x1B, 0x40, 0x10, 0x10, 0x04, 0x04, 0x10, 0x04, 0x09, 0x00,
        ];
        let queries: Vec<u8> = stream
            .iter()
            .filter_map(|&b| parser.feed(b, &mut job))
            .collect();
        assert_eq!(queries, vec![1, 4]);
        assert_eq!(job, vec![0x1B, 0x40, 0x10, 0x10, 0x04, 0x09, 0x00]);
    }

    #[test]
    fn answers_carry_the_fixed_bits() {
        for mode in [
            PrinterMode::Healthy,
            PrinterMode::PaperOut,
            PrinterMode::CoverOpen,
            PrinterMode::PaperNearEnd,
        ] {
            for n in [1, 2, 3, 4] {
                assert_eq!(mode.answer(n) & 0x93, 0x12, "{mode:?} n={n}");
            }
        }
        assert_eq!(PrinterMode::PaperOut.answer(4), 0x7E);
    }
}
