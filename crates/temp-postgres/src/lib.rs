//! A throwaway, real PostgreSQL server for tests and benchmarks.
//!
//! [`TempPostgres::start`] runs `initdb` into a fresh temp dir, starts the server with `pg_ctl`
//! on a free port on 127.0.0.1 (and a Unix socket inside the temp dir), and creates the
//! database `hadir` owned by the trust-authenticated superuser `hadir`. Dropping it stops the
//! server (`pg_ctl stop -m fast`) and removes the temp dir. [`TempPostgres::stop`] and
//! [`TempPostgres::start_again`] take the server down and bring the same data dir back on the
//! same port, which is how tests simulate a network partition.
//!
//! Durability is left as PostgreSQL ships it (`fsync` stays on): the only speed-up is
//! `initdb --no-sync`, which skips syncing the freshly created files once and does not change
//! what the running server does.
//!
//! PostgreSQL refuses to run as root. When the effective uid is 0 (CI), `initdb` and `pg_ctl`
//! run as the `postgres` system user (created by the Debian `postgresql` package) through
//! `runuser -u postgres --` (or `su`), and the temp dir lives in `/tmp` and is chowned to it.
//!
//! The binaries come from `pg_config --bindir` when that directory holds `initdb` and `pg_ctl`,
//! else from the newest `/usr/lib/postgresql/<version>/bin`, else from `PATH`.

use std::fmt;
use std::fs;
use std::io::{self, Read, Seek, SeekFrom};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::thread;
use std::time::{Duration, Instant};

/// The superuser (trust authentication, no password) and the database created for it.
pub const USER: &str = "hadir";
/// The database created on start, owned by [`USER`].
pub const DATABASE: &str = "hadir";
/// `max_connections` of the server (a benchmark opens 20+ connections at once).
pub const MAX_CONNECTIONS: u32 = 200;

/// How long start-up (and shutdown) may take before it counts as failed.
const TIMEOUT: Duration = Duration::from_secs(30);
/// The system user the server runs as when this process is root.
const SYSTEM_USER: &str = "postgres";

/// Where the PostgreSQL programs are, and whether they must run as the `postgres` user.
#[derive(Debug, Clone)]
struct Tools {
    bindir: Option<PathBuf>,
    as_system_user: bool,
}

impl Tools {
    /// `name` inside the bindir, or the bare name (looked up in `PATH`) when there is none or
    /// the bindir lacks it (client programs such as `psql` may live elsewhere).
    fn program(&self, name: &str) -> PathBuf {
        if let Some(dir) = &self.bindir {
            let candidate = dir.join(exe(name));
            if candidate.is_file() {
                return candidate;
            }
        }
        PathBuf::from(name)
    }

    /// A command for a server-side program (`initdb`, `pg_ctl`), run as `postgres` when root.
    fn server_command(&self, name: &str, cwd: &Path) -> Command {
        let program = self.program(name);
        let mut command = if self.as_system_user {
            if let Some(runuser) = find_in_path("runuser") {
                let mut command = Command::new(runuser);
                command.args(["-u", SYSTEM_USER, "--"]).arg(program);
                command
            } else {
                // No runuser: `su -c` takes one shell string, and `"$@"` in it passes on the
                // arguments given after the user and `$0` (here `sh`) without re-quoting.
                let mut command = Command::new("su");
                command.args(["-s", "/bin/sh", "-c"]);
                command.arg(format!(
                    "exec {} \"$@\"",
                    shell_quote(&program.to_string_lossy())
                ));
                // `--` ends su's options; what follows the user goes to the shell as $0, $1...
                command.args(["--", SYSTEM_USER]);
                command.arg("sh");
                command
            }
        } else {
            Command::new(program)
        };
        command.current_dir(cwd);
        command
    }

    /// A command for a client program (`pg_isready`, `createdb`, `psql`), run as this user.
    fn client_command(&self, name: &str, cwd: &Path) -> Command {
        let mut command = Command::new(self.program(name));
        command.current_dir(cwd);
        command
    }
}

/// Finds the tools once per process; `Err` says why PostgreSQL cannot be used here.
fn tools() -> Result<&'static Tools, String> {
    static TOOLS: OnceLock<Result<Tools, String>> = OnceLock::new();
    TOOLS.get_or_init(discover).as_ref().map_err(Clone::clone)
}

fn discover() -> Result<Tools, String> {
    let has_server =
        |dir: &Path| dir.join(exe("initdb")).is_file() && dir.join(exe("pg_ctl")).is_file();

    let from_pg_config = Command::new("pg_config")
        .arg("--bindir")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
        .filter(|dir| has_server(dir));

    let bindir = from_pg_config.or_else(newest_debian_bindir).or_else(|| {
        // Anything in PATH, as long as initdb sits beside pg_ctl.
        let pg_ctl = find_in_path(&exe("pg_ctl"))?;
        let dir = fs::canonicalize(&pg_ctl).ok()?.parent()?.to_path_buf();
        has_server(&dir).then_some(dir)
    });
    let Some(bindir) = bindir else {
        return Err(
            "PostgreSQL is not installed: no initdb/pg_ctl found via `pg_config --bindir`, \
                    /usr/lib/postgresql/*/bin or PATH (Debian: apt-get install postgresql, \
                    or run scripts/setup.sh test)"
                .to_owned(),
        );
    };

    let as_system_user = effective_uid_is_root();
    if as_system_user {
        let known = Command::new("id")
            .args(["-u", SYSTEM_USER])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        if !known {
            return Err(format!(
                "running as root and there is no `{SYSTEM_USER}` user to run PostgreSQL as \
                 (PostgreSQL refuses to run as root; the Debian `postgresql` package creates it)"
            ));
        }
        if find_in_path("runuser").is_none() && find_in_path("su").is_none() {
            return Err(format!(
                "running as root and neither `runuser` nor `su` is available to switch to `{SYSTEM_USER}`"
            ));
        }
    }
    Ok(Tools {
        bindir: Some(bindir),
        as_system_user,
    })
}

/// The `bin` dir of the highest version under `/usr/lib/postgresql` that has initdb and pg_ctl.
fn newest_debian_bindir() -> Option<PathBuf> {
    let mut versions: Vec<(Vec<u64>, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let version: Vec<u64> = name
                .split('.')
                .map(str::parse)
                .collect::<Result<_, _>>()
                .ok()?;
            let bin = entry.path().join("bin");
            (bin.join("initdb").is_file() && bin.join("pg_ctl").is_file()).then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

fn effective_uid_is_root() -> bool {
    if !cfg!(unix) {
        return false;
    }
    Command::new("id")
        .arg("-u")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .is_ok_and(|out| out.status.success() && String::from_utf8_lossy(&out.stdout).trim() == "0")
}

fn find_in_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

fn exe(name: &str) -> String {
    format!("{name}{}", std::env::consts::EXE_SUFFIX)
}

fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// Whether initdb and pg_ctl were found (and, as root, there is a `postgres` user to run them).
pub fn is_available() -> bool {
    tools().is_ok()
}

/// Why [`TempPostgres::start`] cannot work here, for a test to print before it skips; `None`
/// when PostgreSQL is available.
pub fn skip_reason() -> Option<String> {
    tools().err()
}

/// A running (or deliberately stopped) PostgreSQL server in its own temp dir.
pub struct TempPostgres {
    tools: &'static Tools,
    /// `None` only after Drop has taken it.
    dir: Option<tempfile::TempDir>,
    root: PathBuf,
    data_dir: PathBuf,
    log_file: PathBuf,
    port: u16,
    running: bool,
}

impl fmt::Debug for TempPostgres {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TempPostgres")
            .field("url", &self.url())
            .field("data_dir", &self.data_dir)
            .field("running", &self.running)
            .finish()
    }
}

impl TempPostgres {
    /// initdb a fresh cluster, start it on a free 127.0.0.1 port, wait until it accepts
    /// connections (up to 30 s), and create the database `hadir`. Errors carry the tail of the
    /// server log. When PostgreSQL is missing the error kind is `NotFound` and the message is
    /// [`skip_reason`].
    pub fn start() -> io::Result<TempPostgres> {
        let tools = tools().map_err(|reason| io::Error::new(io::ErrorKind::NotFound, reason))?;

        let mut builder = tempfile::Builder::new();
        builder.prefix("temp-postgres-");
        // As root the server runs as `postgres`, which must be able to reach the dir: $TMPDIR
        // could be under /root, /tmp never is.
        let dir = if tools.as_system_user {
            builder.tempdir_in("/tmp")?
        } else {
            builder.tempdir()?
        };
        let root = dir.path().to_path_buf();
        let data_dir = root.join("data");
        let socket_dir = root.join("socket");
        let log_file = root.join("postgres.log");
        fs::create_dir(&socket_dir)?;
        fs::write(&log_file, "")?;

        let mut server = TempPostgres {
            tools,
            dir: Some(dir),
            root,
            data_dir,
            log_file,
            port: 0,
            running: false,
        };
        // From here on, Drop cleans up whatever exists if a step fails.

        if tools.as_system_user {
            let mut chown = Command::new("chown");
            chown
                .arg("-R")
                .arg(format!("{SYSTEM_USER}:{SYSTEM_USER}"))
                .arg(&server.root);
            run(chown, "chown")?;
        }

        let mut initdb = tools.server_command("initdb", &server.root);
        initdb.arg("-D").arg(&server.data_dir).args([
            "-A",
            "trust",
            "-U",
            USER,
            "--encoding=UTF8",
            "--no-locale",
            "--no-sync",
        ]);
        run(initdb, "initdb")?;

        // Settings that stay across restarts go in the config file (no shell quoting needed);
        // only the port is passed on the command line, so a retry can pick another.
        let settings = format!(
            "\n# temp-postgres\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{}'\n\
             max_connections = {MAX_CONNECTIONS}\n",
            socket_dir.to_string_lossy().replace('\'', "''")
        );
        fs::OpenOptions::new()
            .append(true)
            .open(server.data_dir.join("postgresql.conf"))
            .and_then(|mut file| io::Write::write_all(&mut file, settings.as_bytes()))?;

        // The port is free when picked but could be taken before the server binds it: retry.
        let mut attempt = 0;
        loop {
            attempt += 1;
            server.port = free_port()?;
            match server.start_server() {
                Ok(()) => break,
                Err(_) if attempt < 5 && server.log_tail().contains("could not bind") => continue,
                Err(error) => return Err(error),
            }
        }

        let mut createdb = tools.client_command("createdb", &server.root);
        createdb.args([
            "-h",
            "127.0.0.1",
            "-p",
            &server.port.to_string(),
            "-U",
            USER,
            DATABASE,
        ]);
        run(createdb, "createdb").map_err(|error| server.with_log(error))?;
        Ok(server)
    }

    /// `postgres://hadir@127.0.0.1:PORT/hadir`.
    pub fn url(&self) -> String {
        format!("postgres://{USER}@127.0.0.1:{}/{DATABASE}", self.port)
    }

    /// The TCP port on 127.0.0.1 (the same across `stop`/`start_again`).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The cluster's data directory (e.g. to look for the server's processes).
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The server's log file.
    pub fn log_file(&self) -> &Path {
        &self.log_file
    }

    /// Whether the server was started and not stopped since.
    pub fn is_running(&self) -> bool {
        self.running
    }

    /// Fast shutdown (`pg_ctl stop -m fast`), waiting until the server has exited; connections
    /// are cut and the port refuses afterwards. Does nothing when already stopped. Panics if
    /// the server will not stop (see [`try_stop`](Self::try_stop)).
    pub fn stop(&mut self) {
        if let Err(error) = self.try_stop() {
            panic!("temp-postgres: stopping the server failed: {error}");
        }
    }

    /// [`stop`](Self::stop), returning the error instead of panicking.
    pub fn try_stop(&mut self) -> io::Result<()> {
        if !self.running {
            return Ok(());
        }
        self.pg_ctl_stop("fast")?;
        self.running = false;
        Ok(())
    }

    /// Start the same data dir on the same port again (after [`stop`](Self::stop)) and wait
    /// until it accepts connections. Does nothing when running. Panics if it will not start
    /// (see [`try_start_again`](Self::try_start_again)).
    pub fn start_again(&mut self) {
        if let Err(error) = self.try_start_again() {
            panic!("temp-postgres: restarting the server failed: {error}");
        }
    }

    /// [`start_again`](Self::start_again), returning the error instead of panicking.
    pub fn try_start_again(&mut self) -> io::Result<()> {
        if self.running {
            return Ok(());
        }
        self.start_server()
    }

    /// `pg_ctl start`, then wait for `pg_isready`; errors carry the log tail.
    fn start_server(&mut self) -> io::Result<()> {
        let mut pg_ctl = self.tools.server_command("pg_ctl", &self.root);
        pg_ctl
            .arg("start")
            .arg("-D")
            .arg(&self.data_dir)
            .arg("-l")
            .arg(&self.log_file)
            .args(["-w", "-t", &TIMEOUT.as_secs().to_string()])
            .args(["-o", &format!("-p {}", self.port)]);
        let started = run(pg_ctl, "pg_ctl start");
        // pg_ctl may fail after the postmaster came up (or time out while it still comes up):
        // count it as running so Drop stops whatever is there.
        self.running = true;
        if let Err(error) = started {
            let error = self.with_log(error);
            let _ = self.pg_ctl_stop("immediate");
            self.running = false;
            return Err(error);
        }
        if let Err(error) = self.wait_ready() {
            let error = self.with_log(error);
            let _ = self.pg_ctl_stop("immediate");
            self.running = false;
            return Err(error);
        }
        Ok(())
    }

    fn wait_ready(&self) -> io::Result<()> {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let ready = self
                .tools
                .client_command("pg_isready", &self.root)
                .args([
                    "-q",
                    "-h",
                    "127.0.0.1",
                    "-p",
                    &self.port.to_string(),
                    "-U",
                    USER,
                ])
                .args(["-d", "postgres", "-t", "5"])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()?;
            if ready.success() {
                return Ok(());
            }
            if Instant::now() >= deadline {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!("server on port {} not ready after {TIMEOUT:?}", self.port),
                ));
            }
            thread::sleep(Duration::from_millis(50));
        }
    }

    fn pg_ctl_stop(&self, mode: &str) -> io::Result<()> {
        let mut pg_ctl = self.tools.server_command("pg_ctl", &self.root);
        pg_ctl.arg("stop").arg("-D").arg(&self.data_dir).args([
            "-m",
            mode,
            "-w",
            "-t",
            &TIMEOUT.as_secs().to_string(),
        ]);
        run(pg_ctl, "pg_ctl stop").map_err(|error| self.with_log(error))
    }

    /// The last 40 lines of the server log.
    fn log_tail(&self) -> String {
        let mut text = String::new();
        if let Ok(mut file) = fs::File::open(&self.log_file) {
            let len = file.metadata().map(|m| m.len()).unwrap_or(0);
            let _ = file.seek(SeekFrom::Start(len.saturating_sub(16 * 1024)));
            let mut bytes = Vec::new();
            let _ = file.read_to_end(&mut bytes);
            text = String::from_utf8_lossy(&bytes).into_owned();
        }
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }

    fn with_log(&self, error: io::Error) -> io::Error {
        let tail = self.log_tail();
        if tail.trim().is_empty() {
            return error;
        }
        io::Error::new(
            error.kind(),
            format!(
                "{error}\n--- server log ({}) ---\n{tail}",
                self.log_file.display()
            ),
        )
    }
}

impl Drop for TempPostgres {
    fn drop(&mut self) {
        if self.running {
            if let Err(error) = self.pg_ctl_stop("fast") {
                eprintln!("temp-postgres: fast shutdown failed, trying immediate: {error}");
                if let Err(error) = self.pg_ctl_stop("immediate") {
                    eprintln!("temp-postgres: could not stop the server: {error}");
                }
            }
            self.running = false;
        }
        if let Some(dir) = self.dir.take() {
            if let Err(error) = dir.close() {
                eprintln!(
                    "temp-postgres: could not remove {}: {error}",
                    self.root.display()
                );
            }
        }
    }
}

/// A port on 127.0.0.1 that was free a moment ago.
fn free_port() -> io::Result<u16> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    listener.local_addr().map(|addr| addr.port())
}

/// Runs `command` to completion; a failure's error includes its output.
fn run(mut command: Command, what: &str) -> io::Result<()> {
    let output = command
        .stdin(Stdio::null())
        .output()
        .map_err(|error| io::Error::new(error.kind(), format!("{what}: could not run: {error}")))?;
    if output.status.success() {
        return Ok(());
    }
    Err(io::Error::other(format!(
        "{what} failed ({}):\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )))
}

/// Whether something accepts TCP connections on 127.0.0.1:`port` (within a second).
pub fn port_answers(port: u16) -> bool {
    TcpStream::connect_timeout(&(Ipv4Addr::LOCALHOST, port).into(), Duration::from_secs(1)).is_ok()
}
