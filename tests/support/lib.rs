//! Shared helpers for the end-to-end tests: a temporary kiosk (config, data dir, demo day), the
//! tauri-driver process, a WebDriver session on the real `hadir-kiosk` window, and scanner-like
//! key input.

mod cups;

pub use cups::CupsPdfQueue;

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::{Client, ClientBuilder};
use hadir::demo::TryCode;
use hadir::Config;

/// Repository root (this crate lives in `tests/`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Where screenshots go; ignored by git.
pub fn artifacts_dir() -> PathBuf {
    let dir = repo_root().join("test-artifacts");
    std::fs::create_dir_all(&dir).expect("create test-artifacts/");
    dir
}

/// The kiosk binary under test: `HADIR_KIOSK_BIN`, else the shared target dir's debug build.
pub fn kiosk_binary() -> PathBuf {
    let path = std::env::var_os("HADIR_KIOSK_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let target = std::env::var_os("CARGO_TARGET_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| repo_root().join("target"));
            target
                .join("debug")
                .join(format!("hadir-kiosk{}", std::env::consts::EXE_SUFFIX))
        });
    assert!(
        path.exists(),
        "{} is missing: build it first (`cargo build -p hadir-kiosk`; `make test` does)",
        path.display()
    );
    path
}

/// A kiosk's files in a temp dir: config, SQLite store filled with today's demo day.
#[derive(Debug)]
pub struct TestKiosk {
    pub dir: tempfile::TempDir,
    pub config_path: PathBuf,
    pub config: Config,
    pub try_codes: Vec<TryCode>,
}

/// The moment every end-to-end kiosk runs at (`hadir-kiosk --at`): 09:30 WITA, inside the demo's
/// morning slots, far from midnight, whatever time CI runs.
pub const KIOSK_AT: &str = "2026-11-29T09:30:00+08:00";

impl TestKiosk {
    pub fn with_demo_day() -> TestKiosk {
        TestKiosk::with_demo_day_and("")
    }

    /// A demo kiosk with extra TOML appended to its config (e.g. a `[screens]` section).
    pub fn with_demo_day_and(extra_toml: &str) -> TestKiosk {
        let dir = tempfile::tempdir().expect("temp dir");
        let config_path = dir.path().join("hadir.toml");
        let data_dir = dir.path().join("data");
        // The demo key lets the demo's signed tokens verify, as in `hadir-kiosk --demo`.
        let keys = format!(
            "[keys]\n{} = {:?}\n",
            hadir::demo::DEMO_KEY_ID,
            hadir::demo::demo_public_key()
        );
        std::fs::write(&config_path, kiosk_toml(&data_dir, extra_toml, &keys))
            .expect("write config");
        let (config, _) = Config::load(Some(&config_path)).expect("config loads");
        let mut store = hadir::Store::open_in(&config.data_dir()).expect("store opens");
        let (day, _) =
            hadir::demo::fill(&mut store, &Self::now(&config), &config).expect("demo day");
        TestKiosk {
            dir,
            config_path,
            config,
            try_codes: day.try_codes,
        }
    }

    /// Writes this kiosk's `hadir.toml` anew: `[kiosk]` with its id and data folder (lines 1-3),
    /// then `after` (more sections). The next start reads it; this `config` is not changed.
    pub fn write_config(&self, after: &str) {
        std::fs::write(
            &self.config_path,
            kiosk_toml(&self.config.data_dir(), "", after),
        )
        .expect("write config");
    }

    /// [`KIOSK_AT`] in the office's time zone.
    pub fn now(config: &Config) -> jiff::ZonedDateTime {
        KIOSK_AT
            .parse::<jiff::Timestamp>()
            .expect("KIOSK_AT is RFC 3339")
            .to_zoned_datetime(config.time_zone())
    }

    /// A demo kiosk whose page refresh (issue #19) is due from `at` (kiosk time, e.g.
    /// "09:30:30"; KIOSK_AT is 09:30:00, or "off") after `quiet_seconds` without use, with the
    /// screens' own timeouts cut to 15 s so that the quiet spell is not lengthened to theirs.
    pub fn with_page_refresh(at: &str, quiet_seconds: u32) -> TestKiosk {
        TestKiosk::with_demo_day_and(&format!(
            "[screens]\npage_refresh_at = {at:?}\npage_refresh_quiet_seconds = {quiet_seconds}\n\
             manual_reset_seconds = 15\n[survey]\nreset_seconds = 15\n\
             [staff]\nidle_logout_seconds = 15\n"
        ))
    }

    /// The running kiosk process of this kiosk (its command line names the config file).
    pub fn process(&self) -> u32 {
        *processes_mentioning(&self.config_path.display().to_string())
            .iter()
            .min()
            .expect("the kiosk process")
    }

    /// Puts a booking code on the feed's revoked list, as a delta from upstream would.
    pub fn revoke(&self, code: &str) {
        let mut store = hadir::Store::open_in(&self.config.data_dir()).expect("store opens");
        let now = Self::now(&self.config);
        let body = hadir::feed::FeedBody {
            office: self.config.office.id.clone(),
            date: now.date(),
            full: false,
            cursor: None,
            appointments: Vec::new(),
            revoked: vec![code.to_owned()],
            skipped: Vec::new(),
        };
        store
            .apply_feed(&body, now.timestamp())
            .expect("revocation applies");
    }

    /// A token signed with the demo key, with these claims over a default booking for today.
    pub fn demo_token(&self, overrides: serde_json::Value) -> String {
        let now = Self::now(&self.config);
        let mut claims = serde_json::json!({
            "v": 1, "k": hadir::demo::DEMO_KEY_ID, "b": "MPTOKEN0001", "o": self.config.office.id,
            "d": now.date().to_string(), "s": "09:00", "e": "10:00", "n": 1, "svc": "baru",
            "iat": now.timestamp().as_second(),
        });
        if let (Some(claims), Some(overrides)) = (claims.as_object_mut(), overrides.as_object()) {
            for (key, value) in overrides {
                claims.insert(key.clone(), value.clone());
            }
        }
        hadir::demo::sign_demo_token(&claims)
    }

    /// A demo booking code the kiosk will answer with `expect`.
    pub fn code_expecting(&self, expect: &str) -> &str {
        self.code_where(|c| c.expect == expect)
    }

    /// A signed demo token the kiosk will answer with `expect`.
    pub fn token_expecting(&self, expect: &str) -> &str {
        self.code_where(|c| c.expect == expect && c.booking_code.starts_with("MPQ1."))
    }

    /// The demo's group booking (a family of three).
    pub fn group_code(&self) -> &str {
        self.code_where(|c| c.what.starts_with("family of three"))
    }

    pub fn code_where(&self, wanted: impl Fn(&TryCode) -> bool) -> &str {
        self.try_codes
            .iter()
            .find(|c| wanted(c))
            .map(|c| c.booking_code.as_str())
            .unwrap_or_else(|| panic!("the demo day has such a code: {:?}", self.try_codes))
    }

    /// How many applicants are checked in, read from the SQLite file.
    pub fn checkins(&self) -> i64 {
        self.database()
            .query_row("SELECT COUNT(*) FROM checkins", [], |row| row.get(0))
            .expect("count check-ins")
    }

    /// A read-only view of the kiosk's SQLite file, as a supervisor's tool would open it.
    pub fn database(&self) -> rusqlite::Connection {
        let path = self.config.data_dir().join(hadir::store::STORE_FILE_NAME);
        rusqlite::Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("store file opens read-only")
    }
}

/// A kiosk's `hadir.toml`: `top` (top-level keys, sections), `[kiosk]` with the end-to-end
/// kiosk's id and `data_dir`, then `after`.
fn kiosk_toml(data_dir: &Path, top: &str, after: &str) -> String {
    let top = if top.is_empty() {
        String::new()
    } else {
        format!("{top}\n")
    };
    format!(
        "{top}[kiosk]\nid = \"E2E\"\ndata_dir = {:?}\n{after}",
        data_dir.display().to_string()
    )
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .expect("a free local port")
}

/// A running tauri-driver (which starts WebKitWebDriver). Stopped with SIGTERM on drop, and waited
/// for, so no test leaves a process behind.
#[derive(Debug)]
pub struct TauriDriver {
    child: Child,
    pub port: u16,
}

impl TauriDriver {
    pub fn start() -> TauriDriver {
        TauriDriver::start_with(Command::new(tauri_driver_binary()))
    }

    /// As [`TauriDriver::start`], with everything the kiosk logs (at `RUST_LOG` level `level`)
    /// written to `log`: the kiosk inherits tauri-driver's standard error.
    pub fn start_logging_to(log: &Path, level: &str) -> TauriDriver {
        let file = std::fs::File::create(log).expect("log file");
        let mut command = Command::new(tauri_driver_binary());
        command.env("RUST_LOG", level).stderr(file);
        TauriDriver::start_with(command)
    }

    /// As [`TauriDriver::start`], from a `tauri-driver` command set up by the caller (its
    /// environment and standard error, which the kiosk inherits).
    pub fn start_with(mut command: Command) -> TauriDriver {
        assert!(
            std::env::var_os("DISPLAY").is_some(),
            "no X display: run the end-to-end tests under Xvfb (`make test` uses xvfb-run)"
        );
        let port = free_port();
        let native_port = free_port();
        let child = command
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .stdin(Stdio::null())
            .spawn()
            .expect("tauri-driver starts (`cargo install tauri-driver --version '^2' --locked`)");
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "tauri-driver did not listen on {port} within 20 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        TauriDriver { child, port }
    }

    /// A WebDriver session on a fresh `hadir-kiosk` window using this kiosk's config.
    pub async fn open(&self, kiosk: &TestKiosk) -> Client {
        self.open_with(kiosk, &[]).await
    }

    /// As [`TauriDriver::open`], with more `hadir-kiosk` flags (e.g. `--mock-camera`).
    pub async fn open_with(&self, kiosk: &TestKiosk, extra_args: &[&str]) -> Client {
        self.open_program(&kiosk_binary(), kiosk, extra_args).await
    }

    /// As [`TauriDriver::open_with`], starting `program` (e.g. the kiosk a package installed)
    /// instead of the workspace's build.
    pub async fn open_program(
        &self,
        program: &Path,
        kiosk: &TestKiosk,
        extra_args: &[&str],
    ) -> Client {
        let mut args = vec![
            serde_json::json!("--config"),
            serde_json::json!(kiosk.config_path),
            serde_json::json!("--windowed"),
            serde_json::json!("--at"),
            serde_json::json!(KIOSK_AT),
        ];
        args.extend(extra_args.iter().map(|a| serde_json::json!(a)));
        let capabilities = serde_json::json!({
            "browserName": "wry",
            "tauri:options": {
                "application": program,
                "args": args,
            }
        });
        let serde_json::Value::Object(capabilities) = capabilities else {
            unreachable!("a JSON object literal")
        };
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let mut builder = ClientBuilder::new(connector);
        builder.capabilities(capabilities);
        let url = format!("http://127.0.0.1:{}", self.port);
        // A cold machine (first WebKit start, empty caches) can drop the very first request.
        let mut attempt = 1;
        let client = loop {
            // A kiosk that exits at start (bad config, a second instance) must fail the test,
            // not hang it.
            let connecting = tokio::time::timeout(Duration::from_secs(60), builder.connect(&url));
            let Ok(connected) = connecting.await else {
                panic!("no WebDriver session within 60 s: did hadir-kiosk exit at start? (see its log above)");
            };
            match connected {
                Ok(client) => break client,
                Err(error) if attempt < 3 => {
                    eprintln!("WebDriver session attempt {attempt} failed ({error}); retrying");
                    attempt += 1;
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
                Err(error) => {
                    panic!("no WebDriver session on the kiosk window after 3 attempts: {error}")
                }
            }
        };
        // The page is ready when app.js has loaded the texts and listens for the scanner.
        wait_for_script(
            &client,
            "return document.body.dataset.ready === 'true';",
            Duration::from_secs(30),
        )
        .await;
        client
    }
}

/// The `tauri-driver` program: `TAURI_DRIVER`, else cargo's bin folder, else the `PATH`.
pub fn tauri_driver_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("TAURI_DRIVER") {
        return PathBuf::from(path);
    }
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")));
    cargo_home
        .map(|home| home.join("bin").join("tauri-driver"))
        .filter(|path| path.exists())
        .unwrap_or_else(|| PathBuf::from("tauri-driver"))
}

impl Drop for TauriDriver {
    fn drop(&mut self) {
        // SIGTERM lets tauri-driver stop WebKitWebDriver and the app; SIGKILL would orphan them.
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for TestKiosk {
    /// The kiosk app outlives tauri-driver by a moment; wait for it (then stop it) so that no
    /// test leaves a process behind and the next kiosk starts on a clean desk.
    fn drop(&mut self) {
        let marker = self.config_path.display().to_string();
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let running = processes_mentioning(&marker);
            if running.is_empty() {
                return;
            }
            if Instant::now() > deadline {
                for pid in running {
                    let _ = Command::new("kill")
                        .args(["-KILL", &pid.to_string()])
                        .status();
                }
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// Process ids whose command line contains `marker` (Linux /proc).
pub fn processes_mentioning(marker: &str) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .is_ok_and(|cmdline| String::from_utf8_lossy(&cmdline).contains(marker))
        })
        .collect()
}

/// Runs `xdotool` (apt package xdotool) on the test's X display.
fn xdotool(args: &[&str]) -> std::process::Output {
    Command::new("xdotool")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("xdotool runs (apt package xdotool)")
}

/// Runs `xdotool`, failing the test if it fails.
fn xdotool_ok(args: &[&str]) {
    let out = xdotool(args);
    assert!(
        out.status.success(),
        "xdotool {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The X window of process `pid`, if it has mapped one.
pub fn x_window_of(pid: u32) -> Option<String> {
    let out = xdotool(&["search", "--onlyvisible", "--pid", &pid.to_string()]);
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .next()
        .map(str::to_owned)
}

/// Types `code` and Enter into X `window` with real X key events (XTEST) at a scanner's pace:
/// what a USB scanner's keys are, seen by GTK before WebKit (WebDriver's keys are made inside
/// WebKit instead).
pub fn x_scan(window: &str, code: &str) {
    // Without a window manager, X gives the keyboard to the window under the pointer. Enter as
    // its own key event: xdotool's `type` of a newline is not the Return key.
    for args in [
        &["mousemove", "--window", window, "200", "200"][..],
        &["type", "--delay", "5", code],
        &["key", "Return"],
    ] {
        xdotool_ok(args);
    }
}

/// Taps (clicks) the centre of the page element `css` with a real X pointer event, as a finger
/// on a touch screen does (WebDriver's clicks are made inside WebKit and never pass through
/// the window's GTK events).
pub async fn x_tap(client: &Client, window: &str, css: &str) {
    let rect = client
        .execute(
            "const r = document.querySelector(arguments[0]).getBoundingClientRect(); \
             return [Math.round(r.left + r.width / 2), Math.round(r.top + r.height / 2)];",
            vec![serde_json::json!(css)],
        )
        .await
        .unwrap_or_else(|e| panic!("no element {css}: {e}"));
    let (x, y) = (rect[0].to_string(), rect[1].to_string());
    xdotool_ok(&["mousemove", "--window", window, &x, &y, "click", "1"]);
}

/// Types `text` and Enter the way a USB scanner does: a fast burst of key presses on whatever
/// has focus (no text box).
pub async fn scan(client: &Client, text: &str) {
    let mut keys = KeyActions::new("scanner".into());
    for c in text.chars().chain(std::iter::once('\u{e007}')) {
        keys = keys
            .then(KeyAction::Down { value: c })
            .then(KeyAction::Up { value: c });
    }
    client.perform_actions(keys).await.expect("key actions");
    client.release_actions().await.expect("release keys");
}

/// Polls a script until it returns true.
pub async fn wait_for_script(client: &Client, script: &str, timeout: Duration) {
    let deadline = Instant::now() + timeout;
    loop {
        let value = client.execute(script, vec![]).await.expect("script runs");
        if value == serde_json::Value::Bool(true) {
            return;
        }
        assert!(Instant::now() < deadline, "timed out waiting for: {script}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// What the page recorded about the last scan (ui/app.js `recordLatency`).
#[derive(Debug)]
pub struct ScanTiming {
    /// First key of the scan -> number painted, ms.
    pub scan_ms: f64,
    /// Enter -> number painted, ms.
    pub answer_ms: f64,
    /// Enter -> painted split into `backend`, `ipc`, `dom`, `first_frame`, `second_frame` (ms);
    /// `backend` is null when the scan command failed (an error carries no time); a refusal
    /// is an answer and has it.
    pub parts: serde_json::Value,
}

impl ScanTiming {
    /// One part in ms; panics with the whole breakdown when the part is missing or null.
    pub fn part(&self, name: &str) -> f64 {
        self.parts[name]
            .as_f64()
            .unwrap_or_else(|| panic!("no {name} in the breakdown: {}", self.parts))
    }
}

/// Reads [`ScanTiming`] of the last scan from `document.body.dataset`.
pub async fn last_scan_timing(client: &Client) -> ScanTiming {
    let recorded = client
        .execute(
            "const d = document.body.dataset; return [d.lastScanMs, d.lastAnswerMs, d.lastBreakdown];",
            vec![],
        )
        .await
        .expect("script runs");
    let ms = |i: usize| -> f64 {
        recorded[i]
            .as_str()
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no scan timing recorded: {recorded}"))
    };
    let parts = recorded[2]
        .as_str()
        .and_then(|text| serde_json::from_str(text).ok())
        .unwrap_or_else(|| panic!("no breakdown recorded: {recorded}"));
    ScanTiming {
        scan_ms: ms(0),
        answer_ms: ms(1),
        parts,
    }
}

/// Text of the first element matching `css`.
pub async fn text_of(client: &Client, css: &str) -> String {
    let script =
        format!("const e = document.querySelector({css:?}); return e ? e.textContent : null;");
    match client.execute(&script, vec![]).await.expect("script runs") {
        serde_json::Value::String(text) => text,
        other => panic!("no element {css}: {other}"),
    }
}

/// Resizes the kiosk window (landscape, portrait and square kiosk screens).
pub async fn resize(client: &Client, width: u32, height: u32) {
    client
        .set_window_size(width, height)
        .await
        .expect("window resizes");
    wait_for_script(
        client,
        &format!("return window.innerWidth === {width} && window.innerHeight === {height};"),
        Duration::from_secs(10),
    )
    .await;
}

/// Waits until the kiosk shows `screen` (welcome, result, refusal, manual, staff, working).
pub async fn wait_for_screen(client: &Client, screen: &str) {
    wait_for_script(
        client,
        &format!("return document.body.dataset.screen === {screen:?};"),
        Duration::from_secs(15),
    )
    .await;
}

/// The verdict code a result or refusal screen shows (its `data-code`).
pub async fn screen_code(client: &Client, screen: &str) -> String {
    let script = format!("return document.getElementById('screen-{screen}').dataset.code;");
    let value = client.execute(&script, vec![]).await.expect("script runs");
    value.as_str().unwrap_or_default().to_owned()
}

/// The tone a screen is shown in (`data-tone`: "info" for calm information, empty for the default).
pub async fn screen_tone(client: &Client, screen: &str) -> String {
    let script = format!("return document.getElementById('screen-{screen}').dataset.tone;");
    let value = client.execute(&script, vec![]).await.expect("script runs");
    value.as_str().unwrap_or_default().to_owned()
}

/// Waits until the result screen's print line settles (`ok` or `failed`) and returns it.
pub async fn wait_for_print(client: &Client) -> String {
    wait_for_script(
        client,
        "const s = document.getElementById('result-print').dataset.state; \
         return s === 'ok' || s === 'failed';",
        Duration::from_secs(30),
    )
    .await;
    let state = client
        .execute(
            "return document.getElementById('result-print').dataset.state;",
            vec![],
        )
        .await
        .expect("script runs");
    state.as_str().unwrap_or_default().to_owned()
}

/// Clicks the first element matching `css`.
pub async fn click(client: &Client, css: &str) {
    client
        .find(fantoccini::Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no element {css}: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("cannot click {css}: {e}"));
}

/// Saves a PNG of the window under `test-artifacts/`.
pub async fn screenshot(client: &Client, name: &str) -> PathBuf {
    // Let WebKit paint the screen the test just reached: two animation frames.
    client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
            vec![],
        )
        .await
        .expect("animation frames run");
    // WebKitWebDriver's screenshot waits for the page's next paint. With WebKit's accelerated
    // compositing off (CPU drawing, what the kiosk picks without a GPU, as under Xvfb)
    // a page with nothing left to draw never paints again and the screenshot waits forever.
    // So one pixel in the corner changes shade every 100 ms until the screenshot is taken.
    client
        .execute(
            "let dot = document.getElementById('e2e-repaint');
             if (!dot) {
               dot = document.createElement('div');
               dot.id = 'e2e-repaint';
               dot.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:1px;z-index:2147483647;pointer-events:none';
               document.documentElement.append(dot);
             }
             let shade = 0;
             window.__e2eRepaint = setInterval(() => {
               shade = 1 - shade;
               dot.style.background = shade ? 'rgba(0,0,0,0.02)' : 'rgba(0,0,0,0.03)';
             }, 100);",
            vec![],
        )
        .await
        .expect("repaint ticker starts");
    let png = client.screenshot().await.expect("screenshot");
    client
        .execute("clearInterval(window.__e2eRepaint);", vec![])
        .await
        .expect("repaint ticker stops");
    let path = artifacts_dir().join(format!("{name}.png"));
    std::fs::write(&path, png).expect("write screenshot");
    path
}

/// The text of a PDF as `pdftotext` (poppler-utils) reads it: an independent reader.
pub fn pdf_text(path: &Path) -> String {
    let output = Command::new("pdftotext")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext runs (apt package poppler-utils)");
    assert!(
        output.status.success(),
        "pdftotext reads {}",
        path.display()
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Decodes the QR code on page 1 of a PDF, rendered at 200 dpi by `pdftoppm` (poppler-utils) as
/// a grey PGM: what a scanner would read off the printed ticket.
pub fn qr_on_pdf(path: &Path) -> String {
    let out = tempfile::tempdir().expect("temp dir");
    let prefix = out.path().join("page");
    let status = Command::new("pdftoppm")
        .args(["-r", "200", "-gray", "-f", "1", "-l", "1", "-singlefile"])
        .arg(path)
        .arg(&prefix)
        .status()
        .expect("pdftoppm runs (apt package poppler-utils)");
    assert!(status.success(), "pdftoppm renders {}", path.display());
    let pgm = std::fs::read(prefix.with_extension("pgm")).expect("the rendered page");
    let page = hadir::camera::parse_pgm(&pgm).expect("a binary PGM (P5) image");
    hadir::camera::decode(&page).expect("a readable QR code on the page")
}

/// Proportional set size (KiB) of a process and all its descendants (the kiosk plus its WebKit
/// web and network processes), from `/proc/<pid>/smaps_rollup`.
fn process_tree(root: u32) -> Vec<u32> {
    let parent_of = |pid: u32| -> Option<u32> {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        // The command may hold spaces: the fields after the closing parenthesis are fixed.
        stat.rsplit_once(')')?
            .1
            .split_whitespace()
            .nth(1)?
            .parse()
            .ok()
    };
    let all: Vec<u32> = std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse().ok())
        .collect();
    let mut tree = vec![root];
    let mut grew = true;
    while grew {
        grew = false;
        for &pid in &all {
            if !tree.contains(&pid) && parent_of(pid).is_some_and(|p| tree.contains(&p)) {
                tree.push(pid);
                grew = true;
            }
        }
    }
    tree
}

/// The live WebKit web processes under `root` (the page's; a zombie not yet reaped is gone).
pub fn web_processes_of(root: u32) -> Vec<u32> {
    process_tree(root)
        .into_iter()
        .filter(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            let state = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().next());
            stat.contains("(WebKitWebProces") && state.is_some_and(|s| s != "Z" && s != "X")
        })
        .collect()
}

/// PSS in KiB of each process of the tree under `root`, with its command name.
pub fn pss_kib_by_process(root: u32) -> Vec<(String, u64)> {
    process_tree(root)
        .into_iter()
        .filter_map(|pid| {
            let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
            let kib = rollup
                .lines()
                .find(|line| line.starts_with("Pss:"))?
                .split_whitespace()
                .nth(1)?
                .parse::<u64>()
                .ok()?;
            let name = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
            Some((name.trim().to_owned(), kib))
        })
        .collect()
}

/// PSS in KiB summed over the process tree under `root` (the app and its WebKit processes).
pub fn pss_kib_of_tree(root: u32) -> u64 {
    pss_kib_by_process(root).iter().map(|(_, kib)| kib).sum()
}

impl TestKiosk {
    /// Adds bookings to today's cache, as a delta pull of the feed would.
    pub fn add_bookings(&self, appointments: Vec<hadir::feed::Appointment>) {
        let mut store = hadir::Store::open_in(&self.config.data_dir()).expect("store");
        let now = TestKiosk::now(&self.config);
        let body = hadir::feed::FeedBody {
            office: self.config.office.id.clone(),
            date: now.date(),
            full: false,
            cursor: None,
            appointments,
            revoked: Vec::new(),
            skipped: Vec::new(),
        };
        store.apply_feed(&body, now.timestamp()).expect("bookings");
    }

    /// Adds a staff account to the kiosk's store (as `hadir staff add` would), unless it exists.
    pub fn add_staff(&self, name: &str, role: &str, pin: &str) {
        let mut store = hadir::Store::open_in(&self.config.data_dir()).expect("store opens");
        if store.staff_by_name(name).expect("reads").is_none() {
            let hash = hadir::staff::hash_pin(pin).expect("hash");
            let role = hadir::model::StaffRole::parse(role).expect("frontdesk or supervisor");
            store
                .add_staff(name, role, &hash, "2026-11-29T08:00:00+08:00")
                .expect("adds staff");
        }
    }
}

/// A stand-in for the folder the desktop mounts USB sticks under (`/media/<user>`), with one
/// stick in it; the kiosk is pointed at it by [`UsbFolder::config_toml`].
#[derive(Debug)]
pub struct UsbFolder {
    dir: tempfile::TempDir,
    /// The stick's folder (made), e.g. `<usb>/kiosk/STICK` for a stick labelled STICK.
    pub stick: PathBuf,
}

impl UsbFolder {
    /// The folder with a stick at `stick` below it (`["kiosk", "STICK"]`).
    pub fn with_stick(stick: &[&str]) -> UsbFolder {
        let dir = tempfile::tempdir().expect("usb folder");
        let stick = stick
            .iter()
            .fold(dir.path().to_owned(), |path, part| path.join(part));
        std::fs::create_dir_all(&stick).expect("stick");
        UsbFolder { dir, stick }
    }

    /// `[upstream] import_dirs` naming this folder, for [`TestKiosk::with_demo_day_and`].
    pub fn config_toml(&self) -> String {
        format!(
            "[upstream]\nimport_dirs = [{:?}]\n",
            self.dir.path().display().to_string()
        )
    }
}

/// Scans a booking code that checks in, waits for its number and a good print, and taps Done,
/// as an applicant would; the (first) ticket's number.
pub async fn check_in_printed(client: &Client, code: &str) -> String {
    scan(client, code).await;
    wait_for_screen(client, "result").await;
    let label = text_of(client, "#result-tickets .ticket-number").await;
    assert_eq!(wait_for_print(client).await, "ok", "{code} printed");
    click(client, "#screen-result .done").await;
    label
}

/// The gesture staff use: a 3-second press on the office name (the page's own timer runs).
pub async fn hold_office_name(client: &Client) {
    client
        .execute(
            "document.getElementById('office-name').dispatchEvent(new PointerEvent('pointerdown'));",
            vec![],
        )
        .await
        .expect("press starts");
    wait_for_screen(client, "staff-login").await;
}

/// Picks `name` on the sign-in screen and types `pin` on its number pad, then OK.
pub async fn enter_pin(client: &Client, name: &str, pin: &str) {
    wait_for_script(
        client,
        &format!("return !!document.querySelector('#staff-names button[data-name={name:?}]');"),
        Duration::from_secs(10),
    )
    .await;
    click(client, &format!("#staff-names button[data-name={name:?}]")).await;
    for digit in pin.chars() {
        click(client, &format!("#pin-keys button[data-key='{digit}']")).await;
    }
    click(client, "#pin-ok").await;
}

/// Opens staff mode as a fresh account of `role` (created in the store first).
pub async fn open_staff_as(client: &Client, kiosk: &TestKiosk, role: &str) {
    let name = format!("e2e-{role}");
    kiosk.add_staff(&name, role, "13579");
    hold_office_name(client).await;
    enter_pin(client, &name, "13579").await;
    wait_for_screen(client, "staff").await;
}

/// The files a PDF-folder printer wrote below `pdf_dir` (one folder per day).
pub fn ticket_files(pdf_dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(pdf_dir)
        .into_iter()
        .flatten()
        .flatten()
        .flat_map(|day| {
            std::fs::read_dir(day.path())
                .into_iter()
                .flatten()
                .flatten()
        })
        .map(|entry| entry.path())
        .collect()
}

/// A booked one-applicant appointment at 09:00-10:00 on the day [`KIOSK_AT`] falls on, for
/// benchmarks that scan many fresh codes.
pub fn bench_booking(booking_code: String) -> hadir::feed::Appointment {
    use hadir::feed::{Applicant, Appointment};
    use hadir::model::{BookingStatus, Service};
    use jiff::civil::{date, time};
    Appointment {
        booking_code,
        date: date(2026, 11, 29),
        slot_start: time(9, 0, 0, 0),
        slot_end: time(10, 0, 0, 0),
        service: Service::Baru,
        express: false,
        status: BookingStatus::Booked,
        applicants: vec![Applicant {
            name: "PEMOHON BENCHMARK".into(),
            birth_date: date(1990, 1, 1),
            nik_last4: "0000".into(),
            priority: None,
        }],
        updated_at: "2026-11-28T06:00:00Z".parse().expect("timestamp"),
    }
}

impl TestKiosk {
    /// The first ticket PDF printed for `label` (see [`TestKiosk::ticket_pdfs`]).
    pub fn ticket_pdf(&self, label: &str) -> PathBuf {
        self.ticket_pdfs(label)
            .into_iter()
            .next()
            .unwrap_or_else(|| {
                panic!(
                    "a ticket PDF for {label} under {}",
                    self.config.pdf_dir().display()
                )
            })
    }

    /// The ticket PDFs the PDF-folder printer wrote for `label` (first print, then copies).
    pub fn ticket_pdfs(&self, label: &str) -> Vec<PathBuf> {
        let mut pdfs: Vec<PathBuf> = ticket_files(&self.config.pdf_dir())
            .into_iter()
            .filter(|path| {
                path.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(label))
            })
            .collect();
        pdfs.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
        pdfs
    }
}
