//! Every `hadir` command, found in its own `--help` (so a new one is covered without touching
//! this file), run the way scripts misuse it (issue #20): its output piped into a reader that
//! is already gone (`hadir ... | head -0`), and with odd arguments (empty, very long, not
//! UTF-8, numbers out of range, far-off moments, unknown flags). None may panic; a closed
//! pipe ends the run quietly with status 141.

use std::ffi::OsString;
use std::process::{Command, Output, Stdio};

use fake_upstream::FakeUpstream;

use crate::common::{self, upstream_toml, AT};

const TOKEN: &str = "every-command-token";
const PIN: &str = "482915\n";

/// A kiosk with everything a command may need to do its work: a demo day, staff accounts, a
/// gateway that answers, and home folders of its own (so nothing lands in the real user's).
struct Setup {
    kiosk: common::TempKiosk,
    _gateway: FakeUpstream,
}

impl Setup {
    fn new() -> Setup {
        let gateway = FakeUpstream::start("KANIM-KUPANG", TOKEN).expect("gateway");
        let kiosk = common::TempKiosk::new(
            "",
            &upstream_toml(&gateway.url(), TOKEN, "request_timeout_ms = 2000\n"),
        );
        let setup = Setup {
            kiosk,
            _gateway: gateway,
        };
        for (args, role) in [
            (["demo"].as_slice(), None),
            (&["staff", "add", "maria"], Some("frontdesk")),
            (&["staff", "add", "yosef"], Some("supervisor")),
        ] {
            let mut pairs = Vec::new();
            if let Some(role) = role {
                pairs.push(("--role", role.into()));
            }
            let args = command_line(&setup.global_pairs(), args, &pairs, &[]);
            let output = common::output_with_stdin(setup.command(&args), PIN);
            assert!(output.status.success(), "{}", common::stderr(&output));
        }
        setup
    }

    /// `hadir` with `args`, its home, data and config folders inside the kiosk's temp folder,
    /// and its working folder there too (an odd `--out` lands there).
    fn command(&self, args: &[OsString]) -> Command {
        let home = self.kiosk.dir.path().join("home");
        std::fs::create_dir_all(&home).expect("home folder");
        let mut command = common::hadir();
        command
            .args(args)
            .current_dir(self.kiosk.dir.path())
            .env("RUST_BACKTRACE", "0")
            .env("HOME", &home)
            .env("USERPROFILE", &home)
            .env("APPDATA", &home)
            .env("LOCALAPPDATA", &home);
        for xdg in [
            "XDG_CONFIG_HOME",
            "XDG_DATA_HOME",
            "XDG_STATE_HOME",
            "XDG_CACHE_HOME",
        ] {
            command.env(xdg, &home);
        }
        command
    }

    /// `--config` and `--at`: every command's global options, as pairs an odd value can replace.
    fn global_pairs(&self) -> Vec<(&'static str, OsString)> {
        vec![
            ("--config", self.kiosk.config.clone().into_os_string()),
            ("--at", AT.into()),
        ]
    }

    /// Arguments with which `command` does its work and writes to standard output, as (option
    /// or "" for a positional, value) pairs. A command not listed takes none; when it needs
    /// some, [`every_command_stops_quietly_when_its_reader_is_gone`] says so.
    fn working_pairs(&self, command: &[String]) -> Vec<(&'static str, OsString)> {
        let out = self.kiosk.dir.path().join("exports");
        let feed = common::testdata("feed-full.json");
        let pairs: Vec<(&str, &std::ffi::OsStr)> = match joined(command).as_str() {
            "import" => vec![("", feed.as_os_str())],
            "checkin" => vec![("", "MPZZZZZZZZ".as_ref())],
            "walkin issue" => vec![("", "lansia".as_ref()), ("", "baru".as_ref())],
            "staff add" => vec![("", "piped".as_ref()), ("--role", "frontdesk".as_ref())],
            "staff disable" | "staff enable" | "staff reset-pin" => {
                vec![("", "maria".as_ref())]
            }
            "export" => vec![
                ("--from", "2026-11-29".as_ref()),
                ("--to", "2026-11-29".as_ref()),
                ("--out", out.as_os_str()),
            ],
            "counter transfer" => vec![
                ("--counter", "1".as_ref()),
                ("--services", "baru".as_ref()),
                ("--to", "penggantian".as_ref()),
            ],
            counter if counter.starts_with("counter ") => {
                vec![("--counter", "1".as_ref()), ("--services", "baru".as_ref())]
            }
            _ => Vec::new(),
        };
        pairs
            .into_iter()
            .map(|(option, value)| (option, value.to_owned()))
            .collect()
    }

    /// Runs `hadir` with `args`, a PIN on standard input (for the staff commands; the others
    /// never read it) and standard output as `stdout`.
    fn run(&self, args: &[OsString], stdout: Stdio) -> Output {
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(stdout)
            .stderr(Stdio::piped())
            .spawn()
            .expect("hadir runs");
        let mut stdin = child.stdin.take().expect("stdin");
        // A command that never reads may be gone already: a failed write is fine.
        let _ = std::io::Write::write_all(&mut stdin, PIN.as_bytes());
        drop(stdin);
        child.wait_with_output().expect("hadir ends")
    }
}

/// `hadir <globals> <command> <pairs> <extra>`; a pair with "" as its option is a positional.
fn command_line(
    globals: &[(&str, OsString)],
    command: &[impl AsRef<std::ffi::OsStr>],
    pairs: &[(&str, OsString)],
    extra: &[OsString],
) -> Vec<OsString> {
    fn push(out: &mut Vec<OsString>, pairs: &[(&str, OsString)]) {
        for (option, value) in pairs {
            if !option.is_empty() {
                out.push(OsString::from(option));
            }
            out.push(value.clone());
        }
    }
    let mut out = Vec::new();
    push(&mut out, globals);
    out.extend(command.iter().map(|word| word.as_ref().to_os_string()));
    push(&mut out, pairs);
    out.extend(extra.iter().cloned());
    out
}

fn joined(command: &[String]) -> String {
    command.join(" ")
}

/// The commands that work only with the office hub (`hadir counter ...`): the exception to
/// "every command writes its answer", since this setup has no hub.
fn needs_hub(command: &[String]) -> bool {
    command.first().is_some_and(|word| word == "counter")
}

/// The subcommands `hadir <path> --help` lists under "Commands:" (without `help`).
fn subcommands(path: &[String]) -> Vec<String> {
    let output = common::hadir()
        .args(path)
        .arg("--help")
        .output()
        .expect("hadir runs");
    assert!(output.status.success(), "{}", common::stderr(&output));
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .skip_while(|line| *line != "Commands:")
        .skip(1)
        .take_while(|line| !line.trim().is_empty())
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect()
}

/// Every command that does something (`staff add`, not `staff`), from the help texts.
fn every_command() -> Vec<Vec<String>> {
    let mut leaves = Vec::new();
    let mut open = vec![Vec::new()];
    while let Some(path) = open.pop() {
        let below = subcommands(&path);
        for name in &below {
            let mut child = path.clone();
            child.push(name.clone());
            open.push(child);
        }
        if below.is_empty() && !path.is_empty() {
            leaves.push(path);
        }
    }
    leaves.sort();
    assert!(
        leaves.len() >= 10 && leaves.iter().any(|l| joined(l) == "staff reset-pin"),
        "the help lists the commands: {leaves:?}"
    );
    leaves
}

/// The options `hadir <command> --help` lists (globals included): (name, whether it takes a value).
fn options_of(command: &[String]) -> Vec<(String, bool)> {
    let output = common::hadir()
        .args(command)
        .arg("--help")
        .output()
        .expect("hadir runs");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .skip_while(|line| *line != "Options:")
        .skip(1)
        .take_while(|line| !line.trim().is_empty())
        .filter_map(|line| {
            let long = line.split_whitespace().find(|w| w.starts_with("--"))?;
            let long = long.trim_end_matches(',');
            (long != "--help" && long != "--version")
                .then(|| (long.to_owned(), line.contains(&format!("{long} <"))))
        })
        .collect()
}

/// Values no one should give, but someone will.
fn odd_values() -> Vec<OsString> {
    let mut values: Vec<OsString> = [
        "",
        "-1",
        "18446744073709551616",
        "9999-12-30T22:00:00Z",
        "-009999-01-02T01:59:59Z",
        "2026-02-30",
        " ",
    ]
    .iter()
    .map(OsString::from)
    .collect();
    values.push("x".repeat(100_000).into());
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        values.push(OsString::from_vec(b"MP\xff\xfe\x80".to_vec()));
    }
    #[cfg(windows)]
    {
        use std::os::windows::ffi::OsStringExt;
        values.push(OsString::from_wide(&[0x4d, 0xd800, 0x50])); // a lone surrogate
    }
    values
}

fn assert_no_panic(args: &[OsString], output: &Output) {
    let stderr = common::stderr(output);
    let shown: Vec<String> = args
        .iter()
        .map(|a| {
            let text = a.to_string_lossy();
            if text.len() > 40 {
                format!("{}...({} bytes)", &text[..20], text.len())
            } else {
                text.into_owned()
            }
        })
        .collect();
    assert!(
        !stderr.contains("panicked") && output.status.code() != Some(101),
        "hadir {shown:?} panicked: {stderr}"
    );
    assert!(
        output.status.code().is_some(),
        "hadir {shown:?} was ended by a signal: {:?}\n{stderr}",
        output.status
    );
}

/// Standard output whose reader is already gone: every write fails (EPIPE / ERROR_NO_DATA).
fn closed_stdout() -> Stdio {
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    writer.into()
}

#[test]
fn every_command_stops_quietly_when_its_reader_is_gone() {
    let setup = Setup::new();
    for command in every_command() {
        let args = command_line(
            &setup.global_pairs(),
            &command,
            &setup.working_pairs(&command),
            &[],
        );
        let output = setup.run(&args, closed_stdout());
        assert_no_panic(&args, &output);
        if needs_hub(&command) {
            // This kiosk has no office hub: a counter's command says so before any output
            // (run with a hub: tests/cli/counter.rs).
            assert_eq!(output.status.code(), Some(2), "{}", common::stderr(&output));
            assert!(
                common::stderr(&output).contains("[counter_needs_hub]"),
                "`hadir {}`: {}",
                joined(&command),
                common::stderr(&output)
            );
            continue;
        }
        assert_eq!(
            output.status.code(),
            Some(141),
            "`hadir {}` stops with 141 at the closed pipe (a usage error here means the \
             command needs arguments: add them to `working_pairs`): {}",
            joined(&command),
            common::stderr(&output)
        );
        assert!(
            !common::stderr(&output).contains("hadir:"),
            "`hadir {}` stops quietly: {}",
            joined(&command),
            common::stderr(&output)
        );
    }
    // The help and the version come from the argument parser, which ignores the closed pipe.
    for args in [
        &["--help"][..],
        &["--version"],
        &["help"],
        &["staff", "--help"],
        &[],
    ] {
        let args: Vec<OsString> = args.iter().map(OsString::from).collect();
        let output = setup.run(&args, closed_stdout());
        assert_no_panic(&args, &output);
    }
}

#[test]
fn no_argument_makes_any_command_panic() {
    let setup = Setup::new();
    let odd = odd_values();
    let mut runs = 0;
    for command in every_command() {
        // The globals first, then the command's own: each may be the one made odd.
        let mut pairs = setup.global_pairs();
        let globals = pairs.len();
        pairs.extend(setup.working_pairs(&command));
        let build = |pairs: &[(&str, OsString)], extra: &[OsString]| {
            let (global, own) = pairs.split_at(globals);
            command_line(global, &command, own, extra)
        };
        let mut cases: Vec<Vec<OsString>> = Vec::new();
        // Something extra after the command: a stray value, an unknown flag, a lone dash.
        for extra in odd
            .iter()
            .cloned()
            .chain(["--no-such-flag".into(), "-".into()])
        {
            cases.push(build(&pairs, &[extra]));
        }
        // Each value the command works with, replaced by each odd one.
        for at in 0..pairs.len() {
            for value in &odd {
                let mut changed = pairs.clone();
                changed[at].1 = value.clone();
                cases.push(build(&changed, &[]));
            }
        }
        // Each option of its help it does not work with already: a flag as it is, an odd value.
        for (option, takes_value) in options_of(&command) {
            if pairs.iter().any(|(given, _)| *given == option) {
                continue;
            }
            if takes_value {
                for value in &odd {
                    cases.push(build(&pairs, &[option.clone().into(), value.clone()]));
                }
            } else {
                cases.push(build(&pairs, &[option.into()]));
            }
        }
        for args in cases {
            let output = setup.run(&args, Stdio::piped());
            assert_no_panic(&args, &output);
            runs += 1;
        }
    }
    assert!(runs > 100, "{runs} runs");
}
