//! The window a kiosk shows when it cannot start: the core's [`StartProblem`] on a full screen
//! for staff and IT (`ui/start-problem.html`), the same words in the log. The process keeps the
//! start error's exit status for scripts: it ends with it when the window is closed or when the
//! core's end condition is met (the config file saved again, or a minute gone), never at once,
//! so the kiosk session's restart loop does not flash the screen on and off.

use std::time::Duration;

use hadir::start_problem::{FileWatch, ScreenEnds, StartProblem, EXIT_STATUS};
use tauri::Runtime;

/// How often the configuration file is looked at while the screen is up.
const WATCH_EVERY: Duration = Duration::from_secs(1);

/// The page's one question: what went wrong.
#[tauri::command]
pub fn start_problem(problem: tauri::State<'_, StartProblem>) -> StartProblem {
    StartProblem::clone(&problem)
}

/// Logs the problem, shows it until its end condition, then ends the process with
/// [`EXIT_STATUS`]. A window system that cannot even open this window ends the same way.
pub fn show(problem: StartProblem, windowed: bool, context: tauri::Context) -> ! {
    for line in problem.log_lines() {
        eprintln!("hadir-kiosk: {line}");
    }
    for line in problem.log_lines() {
        hadir::log_files::file_only(log::Level::Error, "hadir_kiosk", &line);
    }
    // The file as it was when it failed: a save from now on ends the screen.
    let ending = match &problem.ends {
        ScreenEnds::FileChanges { files } => Ending::FileChanges(FileWatch::new(files)),
        ScreenEnds::After { seconds } => Ending::After(*seconds),
    };
    // Without a display GTK panics: the words are out already, and scripts still get status 2.
    let shown = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
        match builder(tauri::Builder::default(), problem, ending, windowed).build(context) {
            Ok(app) => {
                app.run_return(|_, _| {});
            }
            Err(error) => eprintln!("hadir-kiosk: the error screen could not open: {error}"),
        }
    }));
    if shown.is_err() {
        eprintln!(
            "hadir-kiosk: the error screen could not open (no display?); see the lines above"
        );
    }
    std::process::exit(i32::from(EXIT_STATUS));
}

/// The error screen's app, generic over the runtime like the kiosk's own.
fn builder<R: Runtime>(
    builder: tauri::Builder<R>,
    problem: StartProblem,
    ending: Ending,
    windowed: bool,
) -> tauri::Builder<R> {
    builder
        .manage(problem)
        .invoke_handler(tauri::generate_handler![start_problem])
        .setup(move |app| {
            let mut config = crate::main_window_config(app)?;
            // The "main" label, so the kiosk's capability (its own commands, nothing else) applies.
            config.url = tauri::WebviewUrl::App("start-problem.html".into());
            tauri::WebviewWindowBuilder::from_config(app.handle(), &config)?
                .fullscreen(!windowed)
                .decorations(windowed)
                .on_navigation(crate::is_app_url)
                .build()?;
            let handle = app.handle().clone();
            std::thread::spawn(move || {
                wait_for_the_end(ending);
                handle.exit(i32::from(EXIT_STATUS));
            });
            Ok(())
        })
}

/// What ends the screen, as the core's [`ScreenEnds`] says, with the file's first look taken.
enum Ending {
    FileChanges(FileWatch),
    After(u32),
}

/// Returns when the screen has been up long enough: the watched file changed, or the time passed.
fn wait_for_the_end(ending: Ending) {
    match ending {
        Ending::FileChanges(watch) => {
            while !watch.changed() {
                std::thread::sleep(WATCH_EVERY);
            }
            log::info!("the configuration file changed: ending so the kiosk starts on it");
        }
        Ending::After(seconds) => {
            std::thread::sleep(Duration::from_secs(u64::from(seconds)));
            log::info!("the start error screen was up {seconds} s: ending so it is tried again");
        }
    }
}
