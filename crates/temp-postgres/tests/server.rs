//! Starts a real PostgreSQL server, talks to it with `psql`, stops it (the port must refuse),
//! starts it again on the same port with the data intact, and drops it (no process left).
//! Skips, saying why, only when PostgreSQL is not installed.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use temp_postgres::{port_answers, TempPostgres};

/// `psql -c sql`, returning the unaligned, tuples-only output, or the error text.
fn psql(server: &TempPostgres, sql: &str) -> Result<String, String> {
    let output = Command::new(psql_program())
        .args([
            "-h",
            "127.0.0.1",
            "-p",
            &server.port().to_string(),
            "-U",
            "hadir",
            "-d",
            "hadir",
        ])
        .args(["-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql])
        .stdin(Stdio::null())
        .output()
        .map_err(|error| format!("could not run psql: {error}"))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

fn psql_program() -> String {
    // psql sits beside initdb in Debian's bindir; PATH has the wrapper otherwise.
    ["/usr/lib/postgresql"]
        .iter()
        .filter_map(|dir| std::fs::read_dir(dir).ok())
        .flatten()
        .filter_map(Result::ok)
        .map(|entry| entry.path().join("bin/psql"))
        .find(|path| path.is_file())
        .map(|path| path.to_string_lossy().into_owned())
        .unwrap_or_else(|| "psql".to_owned())
}

/// Processes whose command line mentions `needle` (what `pgrep -f` does), from /proc.
fn processes_mentioning(needle: &Path) -> Vec<String> {
    let needle = needle.to_string_lossy().into_owned();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter(|entry| {
            entry
                .file_name()
                .to_string_lossy()
                .bytes()
                .all(|b| b.is_ascii_digit())
        })
        .filter_map(|entry| {
            let cmdline = std::fs::read(entry.path().join("cmdline")).ok()?;
            let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
            cmdline
                .contains(&needle)
                .then(|| format!("{}: {cmdline}", entry.file_name().to_string_lossy()))
        })
        .collect()
}

#[test]
fn starts_stops_restarts_and_cleans_up() {
    if let Some(reason) = temp_postgres::skip_reason() {
        eprintln!("skipping: {reason}");
        return;
    }

    let began = Instant::now();
    let mut server = TempPostgres::start().expect("start PostgreSQL");
    eprintln!("started {} in {:?}", server.url(), began.elapsed());
    let port = server.port();
    let data_dir = server.data_dir().to_path_buf();
    let root = data_dir.parent().expect("temp dir").to_path_buf();
    assert_eq!(
        server.url(),
        format!("postgres://hadir@127.0.0.1:{port}/hadir")
    );
    assert!(server.is_running());

    assert_eq!(psql(&server, "select 1").expect("select 1"), "1");
    assert_eq!(psql(&server, "show max_connections").expect("show"), "200");
    assert_eq!(
        psql(&server, "show fsync").expect("show"),
        "on",
        "durability stays real"
    );
    assert_eq!(psql(&server, "select current_user").expect("user"), "hadir");
    psql(&server, "create table t (x int); insert into t values (42)").expect("create table");
    assert!(
        !processes_mentioning(&data_dir).is_empty(),
        "the server's process should mention its data dir"
    );

    let began = Instant::now();
    server.stop();
    eprintln!("stopped in {:?}", began.elapsed());
    assert!(!server.is_running());
    assert!(!port_answers(port), "port {port} still answers after stop");
    assert!(psql(&server, "select 1").is_err());
    server.stop(); // stopping twice is harmless

    let began = Instant::now();
    server.start_again();
    eprintln!("started again in {:?}", began.elapsed());
    assert_eq!(server.port(), port, "same port after restart");
    assert!(port_answers(port));
    assert_eq!(
        psql(&server, "select x from t").expect("data survives"),
        "42"
    );

    let began = Instant::now();
    drop(server);
    eprintln!("dropped in {:?}", began.elapsed());
    assert!(!port_answers(port), "port {port} still answers after drop");
    let left = processes_mentioning(&data_dir);
    assert!(
        left.is_empty(),
        "processes left for {}: {left:?}",
        data_dir.display()
    );
    assert!(!root.exists(), "temp dir {} not removed", root.display());
}

#[test]
fn drop_while_running_and_servers_side_by_side() {
    if let Some(reason) = temp_postgres::skip_reason() {
        eprintln!("skipping: {reason}");
        return;
    }
    let first = TempPostgres::start().expect("start first");
    let second = TempPostgres::start().expect("start second");
    assert_ne!(first.port(), second.port());
    assert_eq!(psql(&first, "select 1").expect("first"), "1");
    assert_eq!(psql(&second, "select 2").expect("second"), "2");
    let (first_dir, first_port) = (first.data_dir().to_path_buf(), first.port());
    drop(first);
    assert!(!port_answers(first_port));
    assert!(processes_mentioning(&first_dir).is_empty());
    assert_eq!(psql(&second, "select 3").expect("second still up"), "3");
}

#[test]
fn a_failed_restart_reports_the_server_log() {
    if let Some(reason) = temp_postgres::skip_reason() {
        eprintln!("skipping: {reason}");
        return;
    }
    let mut server = TempPostgres::start().expect("start");
    server.stop();
    // Someone else takes the port while the server is down.
    let squatter = std::net::TcpListener::bind(("127.0.0.1", server.port())).expect("take port");
    let error = server.try_start_again().expect_err("port is taken");
    let message = error.to_string();
    assert!(message.contains("server log"), "no log tail in: {message}");
    assert!(
        message.contains("could not bind"),
        "no bind error in: {message}"
    );
    assert!(!server.is_running());
    drop(squatter);
    server.start_again();
    assert_eq!(psql(&server, "select 1").expect("answers after all"), "1");
}
