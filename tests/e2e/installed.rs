//! The kiosk as an office gets it: the `.deb` that `scripts/package.sh` builds with Tauri's own
//! bundler, installed with dpkg, started as installed (a release build), kept running by the
//! session script it ships, and removed again without touching the kiosk's data.
//!
//! `scripts/test.sh` builds the package and names it in `HADIR_PACKAGE_DEB`. The test installs
//! and removes the `hadir` package on the machine it runs on (as root, or through `sudo -n`).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use hadir_e2e::{processes_mentioning, x_scan, x_window_of, TauriDriver, TestKiosk, KIOSK_AT};

const PACKAGE: &str = "hadir";
const KIOSK: &str = "/usr/bin/hadir-kiosk";
const CLI: &str = "/usr/bin/hadir";
const SESSION: &str = "/usr/bin/hadir-kiosk-session";

/// The package to test, or `None` (with the reason printed) when this run has none.
fn package_under_test() -> Option<PathBuf> {
    if let Some(deb) = std::env::var_os("HADIR_PACKAGE_DEB") {
        return Some(PathBuf::from(deb));
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must test the installed package: scripts/test.sh builds it and sets HADIR_PACKAGE_DEB"
    );
    eprintln!(
        "skipped: HADIR_PACKAGE_DEB is not set (scripts/test.sh builds the .deb and sets it; \
         scripts/package.sh builds one by hand)"
    );
    None
}

fn is_root() -> bool {
    run("id", &["-u"]).stdout == b"0\n"
}

fn run(program: &str, args: &[&str]) -> Output {
    Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{program} runs: {e}"))
}

/// dpkg needs root: as root directly, else through `sudo -n` (never asks for a password).
fn dpkg(args: &[&str]) -> Output {
    if is_root() {
        run("dpkg", args)
    } else {
        let mut with_dpkg = vec!["-n", "dpkg"];
        with_dpkg.extend_from_slice(args);
        run("sudo", &with_dpkg)
    }
}

fn succeeded(what: &str, out: Output) -> String {
    assert!(
        out.status.success(),
        "{what} failed ({}): {}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn installed() -> bool {
    let out = run("dpkg-query", &["-W", "-f=${Status}", PACKAGE]);
    out.status.success() && String::from_utf8_lossy(&out.stdout).contains("install ok installed")
}

/// Removes the package if a failed test left it installed.
struct Uninstall;

impl Drop for Uninstall {
    fn drop(&mut self) {
        if installed() {
            let _ = dpkg(&["--purge", PACKAGE]);
        }
    }
}

#[tokio::test]
async fn the_package_installs_checks_in_comes_back_after_a_kill_and_uninstalls_keeping_data() {
    let Some(deb) = package_under_test() else {
        return;
    };
    if installed() && std::env::var_os("CI").is_none() {
        eprintln!("skipped: a `hadir` package is installed here already; this test would replace and remove it");
        return;
    }
    let _window = crate::one_window().await;
    let deb = deb.to_str().expect("UTF-8 path");

    // What the package says of itself, before anything is installed.
    let fields = succeeded(
        "dpkg-deb -f",
        run("dpkg-deb", &["-f", deb, "Package", "Version", "Depends"]),
    );
    assert!(fields.contains("Package: hadir\n"), "{fields}");
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        fields.contains(&format!("Version: {version}\n")),
        "{fields}"
    );
    for needed in [
        "libwebkit2gtk-4.1-0",
        "libgtk-3-0",
        "gstreamer1.0-plugins-good",
    ] {
        assert!(fields.contains(needed), "Depends names {needed}: {fields}");
    }

    let _uninstall = Uninstall;
    succeeded("dpkg -i", dpkg(&["-i", deb]));
    assert!(installed(), "dpkg reports the package installed");
    let files = succeeded("dpkg -L", run("dpkg", &["-L", PACKAGE]));
    for path in [
        KIOSK,
        CLI,
        SESSION,
        "/usr/share/applications/Hadir.desktop",
        "/usr/share/xsessions/hadir-kiosk.desktop",
        "/usr/share/hadir/hadir-kiosk.autostart.desktop",
        "/usr/share/doc/hadir/copyright",
        // The waiting-room display's clips (bundle resources, where Tauri's resource_dir looks
        // on Linux: /usr/lib/<productName>), with their licence notice.
        "/usr/lib/Hadir/calls/chime.wav",
        "/usr/lib/Hadir/calls/id/ticket_number.wav",
        "/usr/lib/Hadir/calls/en/digit_9.wav",
        "/usr/lib/Hadir/calls/README.md",
    ] {
        assert!(
            files.lines().any(|line| line == path),
            "the package holds {path}:\n{files}"
        );
        assert!(Path::new(path).exists(), "{path} is on disk");
    }
    assert!(
        files
            .lines()
            .any(|line| line.starts_with("/usr/share/icons/")),
        "an icon"
    );
    let menu_entry =
        std::fs::read_to_string("/usr/share/applications/Hadir.desktop").expect("menu entry");
    assert!(
        menu_entry.contains("\nExec=hadir-kiosk --windowed\n"),
        "the menu entry opens a normal window someone can close, not the locked kiosk: {menu_entry}"
    );
    let notices = std::fs::read_to_string("/usr/share/doc/hadir/copyright").expect("notices");
    assert!(
        notices.contains("tauri ") && notices.contains("MIT OR Apache-2.0"),
        "licence notices list the crates and Hadir's own licence"
    );
    // Stripped, as the release profile says (the kiosk once shipped its symbol table: 19.0 MB
    // instead of 16.8, BENCHMARKS.md).
    for program in [KIOSK, CLI] {
        let sections = succeeded("readelf -S", run("readelf", &["-S", "-W", program]));
        assert!(
            !sections.contains(".symtab"),
            "{program} ships without its symbol table"
        );
    }
    for program in [KIOSK, CLI, SESSION] {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(program)
            .expect("installed")
            .permissions()
            .mode();
        assert!(mode & 0o111 == 0o111, "{program} is executable: {mode:o}");
    }
    let cli_version = succeeded("hadir --version", run(CLI, &["--version"]));
    assert!(cli_version.contains(version), "{cli_version}");

    let kiosk = TestKiosk::with_demo_day();
    let ok_code = kiosk.code_expecting("ok").to_owned();

    // 1. The installed kiosk in the real window: a release build, one check-in, one ticket.
    {
        let driver = TauriDriver::start();
        let client = driver.open_program(Path::new(KIOSK), &kiosk, &[]).await;
        let info = client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 window.backend.call('kiosk_info').then(done, e => done({error: e}));",
                vec![],
            )
            .await
            .expect("kiosk_info answers");
        assert_eq!(
            info["debug_build"],
            serde_json::json!(false),
            "the installed kiosk is a release build (no web inspector): {info}"
        );
        hadir_e2e::scan(&client, &ok_code).await;
        hadir_e2e::wait_for_screen(&client, "result").await;
        assert_eq!(hadir_e2e::wait_for_print(&client).await, "ok");
        hadir_e2e::screenshot(&client, "installed-kiosk-result").await;
        client.close().await.expect("session closes");
    }
    assert_eq!(
        kiosk.checkins(),
        1,
        "the installed kiosk checked one applicant in"
    );

    // 2. As on a kiosk account: a config without `data_dir`, so the data goes to the account's
    //    default folder (~/.local/share/hadir), the day filled by the installed `hadir`, and
    //    the kiosk run fullscreen by the session script. Kill -9 it: it is back within seconds.
    let account = Account::new(kiosk.dir.path());
    let codes = account.demo_codes();
    let session_log = kiosk.dir.path().join("session.log");
    let mut session = Supervised::start(&account, &session_log);
    let first = session.wait_for_kiosk(None);
    type_like_a_scanner(&account, first, &codes[0], 1);
    let killed_at = Instant::now();
    succeeded("kill -9", run("kill", &["-KILL", &first.to_string()]));
    let second = session.wait_for_kiosk(Some(first));
    eprintln!(
        "the kiosk was back (a new process with its window) {:.1} s after kill -9",
        killed_at.elapsed().as_secs_f64()
    );
    type_like_a_scanner(&account, second, &codes[1], 4);
    // The ticket is printed after the number is on screen (the check-in commits first): on a
    // loaded machine the PDF can come a moment after the check-in, so wait for it before the
    // session is stopped.
    let deadline = Instant::now() + Duration::from_secs(15);
    while account.ticket_files() == 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    session.stop();
    let log = std::fs::read_to_string(&session_log).unwrap_or_default();
    assert!(
        log.contains("ended with status") && log.contains("starting it again"),
        "the session script says why it restarted: {log}"
    );

    // 3. Uninstalling removes the programs and leaves the account's data folder as it was.
    let checkins_before = account.checkins();
    let tickets_before = account.ticket_files();
    assert!(tickets_before > 0, "the kiosk printed tickets to PDF files");
    succeeded("dpkg -r", dpkg(&["-r", PACKAGE]));
    assert!(!Path::new(KIOSK).exists() && !Path::new(CLI).exists());
    succeeded("dpkg --purge", dpkg(&["--purge", PACKAGE]));
    assert!(!installed());
    assert_eq!(
        account.checkins(),
        checkins_before,
        "check-ins survive an uninstall and a purge"
    );
    assert_eq!(
        account.ticket_files(),
        tickets_before,
        "printed tickets survive too"
    );
}

/// A kiosk account's home in a temp folder: its config names no data folder, so the kiosk and
/// `hadir` use the platform default below `$HOME`, as on a real kiosk.
struct Account {
    home: PathBuf,
    config: PathBuf,
}

impl Account {
    fn new(dir: &Path) -> Account {
        let home = dir.join("home");
        std::fs::create_dir_all(&home).expect("home");
        let config = dir.join("account.toml");
        std::fs::write(&config, "[kiosk]\nid = \"SESSION\"\n").expect("config");
        Account { home, config }
    }

    /// A command of the installed package, run as this account would.
    fn command(&self, program: &str) -> Command {
        let mut command = Command::new(program);
        command
            .env("HOME", &self.home)
            .env_remove("XDG_DATA_HOME")
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("HADIR_CONFIG")
            .arg("--config")
            .arg(&self.config);
        command
    }

    fn data_dir(&self) -> PathBuf {
        self.home.join(".local").join("share").join("hadir")
    }

    /// Fills today's demo day with the installed `hadir` and returns two codes that check in
    /// (one applicant, then a family of three).
    fn demo_codes(&self) -> Vec<String> {
        let out = self
            .command(CLI)
            .args(["--at", KIOSK_AT, "demo", "--json"])
            .stdin(Stdio::null())
            .output()
            .expect("hadir demo runs");
        let json = succeeded("hadir demo", out);
        let codes: Vec<serde_json::Value> = serde_json::from_str(&json).expect("demo JSON");
        let pick = |what: &str| {
            codes
                .iter()
                .find(|c| {
                    c["expect"] == "ok" && c["what"].as_str().is_some_and(|w| w.starts_with(what))
                })
                .and_then(|c| c["booking_code"].as_str())
                .unwrap_or_else(|| panic!("a demo code for {what}: {json}"))
                .to_owned()
        };
        assert!(
            self.data_dir().join(hadir::store::STORE_FILE_NAME).exists(),
            "the demo day went to the account's default data folder"
        );
        vec![pick("one applicant"), pick("family of three")]
    }

    fn checkins(&self) -> i64 {
        let path = self.data_dir().join(hadir::store::STORE_FILE_NAME);
        rusqlite::Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .and_then(|db| db.query_row("SELECT COUNT(*) FROM checkins", [], |row| row.get(0)))
            .expect("count check-ins")
    }

    fn ticket_files(&self) -> usize {
        hadir_e2e::ticket_files(&self.data_dir().join("tickets")).len()
    }
}

/// `hadir-kiosk-session` running the installed kiosk on the test kiosk's config, as the
/// "Hadir kiosk" login session would. Stopped (SIGTERM, then waited for) on drop.
struct Supervised {
    child: Child,
    marker: String,
}

impl Supervised {
    /// The session script as the "Hadir kiosk" login session runs it: fullscreen, production
    /// flags, the account's config (`--at` keeps the demo day's slots open whatever the time).
    fn start(account: &Account, log: &Path) -> Supervised {
        let log = std::fs::File::create(log).expect("session log");
        let child = account
            .command(SESSION)
            .args(["--at", KIOSK_AT])
            .stdin(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("the session script starts");
        Supervised {
            child,
            marker: account.config.display().to_string(),
        }
    }

    /// The running kiosk's pid once its window is on screen (a different process than `not`).
    fn wait_for_kiosk(&mut self, not: Option<u32>) -> u32 {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            assert!(
                self.child.try_wait().expect("session state").is_none(),
                "the session script ended"
            );
            let kiosk = processes_mentioning(&self.marker).into_iter().find(|pid| {
                Some(*pid) != not
                    && std::fs::read_link(format!("/proc/{pid}/exe"))
                        .is_ok_and(|exe| exe == Path::new(KIOSK))
            });
            if let Some(pid) = kiosk {
                if x_window_of(pid).is_some() {
                    return pid;
                }
            }
            assert!(
                Instant::now() < deadline,
                "no kiosk window within 30 s (restart after {not:?})"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn stop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(15);
        while self.child.try_wait().expect("session state").is_none() {
            assert!(
                Instant::now() < deadline,
                "the session script stops on SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let deadline = Instant::now() + Duration::from_secs(15);
        while !processes_mentioning(&self.marker).is_empty() {
            assert!(
                Instant::now() < deadline,
                "the kiosk stops with its session"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Supervised {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = Command::new("kill")
                .args(["-TERM", &self.child.id().to_string()])
                .status();
            let _ = self.child.wait();
        }
        for pid in processes_mentioning(&self.marker) {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
        }
    }
}

/// Types `code` and Enter into the kiosk window with real X key events at a scanner's pace, until
/// the kiosk has `expected_checkins` applicants (the page may still be loading when the window
/// first shows; a repeated scan of a checked-in code is refused, never numbered twice).
fn type_like_a_scanner(account: &Account, pid: u32, code: &str, expected_checkins: i64) {
    let window = x_window_of(pid).expect("the kiosk has a window");
    for _attempt in 0..10 {
        x_scan(&window, code);
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if account.checkins() >= expected_checkins {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    panic!("the restarted kiosk did not check {code} in (pid {pid})");
}
