//! A real CUPS scheduler with a cups-pdf queue, for the OS-printer path. Uses the machine's
//! cupsd (installed by `scripts/test.sh`); starts it when it is not running and stops it again.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

/// A cups-pdf queue on a running scheduler; removed (and the scheduler stopped, if this started
/// it) on drop.
#[derive(Debug)]
pub struct CupsPdfQueue {
    pub name: String,
    scheduler: Option<Child>,
    started_at: SystemTime,
}

fn run(program: &str, args: &[&str]) -> std::process::Output {
    Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| {
            panic!("{program} runs (apt packages cups, printer-driver-cups-pdf): {e}")
        })
}

fn scheduler_running() -> bool {
    String::from_utf8_lossy(&run("lpstat", &["-r"]).stdout).contains("is running")
}

impl CupsPdfQueue {
    pub fn start(name: &str) -> CupsPdfQueue {
        let uid = String::from_utf8_lossy(&run("id", &["-u"]).stdout)
            .trim()
            .to_owned();
        assert_eq!(
            uid, "0",
            "the CUPS test starts cupsd and adds a queue: run it as root (CI does)"
        );
        let scheduler = if scheduler_running() {
            None
        } else {
            let child = Command::new("/usr/sbin/cupsd")
                .arg("-f")
                .stdin(Stdio::null())
                .spawn()
                .expect("cupsd starts (apt package cups)");
            let deadline = Instant::now() + Duration::from_secs(15);
            while !scheduler_running() {
                assert!(
                    Instant::now() < deadline,
                    "cupsd did not come up within 15 s"
                );
                std::thread::sleep(Duration::from_millis(50));
            }
            Some(child)
        };
        let added = run(
            "lpadmin",
            &[
                "-p",
                name,
                "-v",
                "cups-pdf:/",
                "-E",
                "-m",
                "lsb/usr/cups-pdf/CUPS-PDF_opt.ppd",
            ],
        );
        assert!(
            added.status.success(),
            "lpadmin: {}",
            String::from_utf8_lossy(&added.stderr)
        );
        CupsPdfQueue {
            name: name.to_owned(),
            scheduler,
            started_at: SystemTime::now(),
        }
    }

    /// Refuse (`false`) or accept (`true`) new jobs, as `cupsreject` / `cupsaccept` do.
    pub fn accept_jobs(&self, accept: bool) {
        let program = if accept { "cupsaccept" } else { "cupsreject" };
        let output = run(program, &[&self.name]);
        assert!(
            output.status.success(),
            "{program}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// Resume (`true`) or pause (`false`) printing, as `cupsenable` / `cupsdisable` do. A paused
    /// queue still accepts jobs and holds them.
    pub fn enable(&self, enable: bool) {
        let program = if enable { "cupsenable" } else { "cupsdisable" };
        let output = run(program, &[&self.name]);
        assert!(
            output.status.success(),
            "{program}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// Jobs submitted to this queue that have not printed yet (`lpstat -o`).
    pub fn pending_jobs(&self) -> usize {
        let output = run("lpstat", &["-o", &self.name]);
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter(|line| !line.trim().is_empty())
            .count()
    }

    /// The PDFs cups-pdf has written since this queue was made.
    pub fn pdfs(&self) -> Vec<PathBuf> {
        std::fs::read_dir(Self::output_dir())
            .into_iter()
            .flatten()
            .flatten()
            .filter(|entry| entry.file_name().to_string_lossy().ends_with(".pdf"))
            .filter(|entry| {
                entry
                    .metadata()
                    .and_then(|m| m.modified())
                    .is_ok_and(|modified| modified >= self.started_at)
            })
            .map(|entry| entry.path())
            .collect()
    }

    /// Where cups-pdf writes jobs submitted by this user (`Out ${HOME}/PDF`).
    fn output_dir() -> PathBuf {
        std::env::var_os("HOME")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("/root"))
            .join("PDF")
    }

    /// Waits for the next PDF cups-pdf writes after this queue was made (and after `seen`).
    pub fn wait_for_pdf(&self, seen: &[PathBuf]) -> PathBuf {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let found = self.pdfs().into_iter().find(|path| !seen.contains(path));
            if let Some(path) = found {
                // cups-pdf writes, then closes: wait until the size settles.
                let mut size = 0;
                loop {
                    std::thread::sleep(Duration::from_millis(200));
                    let now = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
                    if now > 0 && now == size {
                        return path;
                    }
                    size = now;
                }
            }
            assert!(
                Instant::now() < deadline,
                "no PDF from cups-pdf in {} within 60 s",
                Self::output_dir().display()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for CupsPdfQueue {
    fn drop(&mut self) {
        let _ = run("lpadmin", &["-x", &self.name]);
        if let Some(mut scheduler) = self.scheduler.take() {
            let _ = Command::new("kill")
                .args(["-TERM", &scheduler.id().to_string()])
                .status();
            let _ = scheduler.wait();
        }
    }
}
