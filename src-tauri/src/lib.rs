//! The kiosk's desktop shell: parse the command line, load config and store, open the window,
//! register the commands. Nothing here decides anything; see the `hadir` crate.

mod camera;
mod commands;
mod launch;
mod memory_trim;
mod page_refresh;
mod start_problem;
mod state;
mod webview_tuning;

use hadir::config::AppRole;
use hadir::Config;
use tauri::{Manager, Runtime};

pub use launch::Launch;
pub use state::KioskState;

/// Entry point of the `hadir-kiosk` binary.
pub fn run() {
    hadir::log_files::start("info", "info");
    let launch = Launch::from_args();
    let context = tauri::generate_context!("../tauri.conf.json");
    // A bad config, or another kiosk on the same data folder, stops here, before the kiosk's
    // window exists: the kiosk never runs half-configured, and never beside another one.
    // `_kiosk_lock` holds the folder until the process ends (the window's event loop ends the
    // process without returning here).
    let (mut state, _kiosk_lock) = match launch.prepare(jiff::Timestamp::now()) {
        Ok(prepared) => prepared,
        Err(error) => stop_at_start(&error, launch.windowed(), context),
    };
    let windowed = launch.windowed();
    webview_tuning::choose_renderer(&state.config());
    state.mock_camera = launch.mock_camera();
    state.hub = state
        .config()
        .hub_url
        .clone()
        .map(|url| std::sync::Arc::new(hadir::hub::HubLink::new(url)));
    let result = builder(tauri::Builder::default(), state, windowed).run(context);
    if let Err(error) = result {
        eprintln!("hadir-kiosk: the window could not start: {error}");
        std::process::exit(1);
    }
}

/// The kiosk does not serve anyone. Another kiosk on the data folder: exit status 3 at once, as
/// the one running is on screen. Anything else (config, store): the error screen for staff and
/// IT ([`start_problem`]), then exit status 2, as docs/configuration.md lists them.
fn stop_at_start(error: &hadir::Error, windowed: bool, context: tauri::Context<tauri::Wry>) -> ! {
    if let hadir::Error::KioskAlreadyRunning { .. } = error {
        eprintln!("hadir-kiosk: {} [{}]", error, error.code());
        eprintln!("{}", error.next_step().id);
        eprintln!("{}", error.next_step().en);
        // The folder's log files are the running kiosk's: this process writes nothing there
        // (opening them could even rename the running kiosk's file at a day's rollover).
        std::process::exit(3);
    }
    // A kiosk started by the OS has no terminal: the log file must say why it stopped.
    // A config that did not load named no data folder, so the default one's logs.
    if hadir::log_files::folder().is_none() {
        hadir::log_files::open(&Config::default(), hadir::log_files::KIOSK);
    }
    start_problem::show(
        hadir::start_problem::StartProblem::from_error(error),
        windowed,
        context,
    )
}

/// The app's own origin: `tauri://localhost` (Linux, macOS) or `http(s)://tauri.localhost`
/// (Windows).
/// The window settings of tauri.conf.json's "main" window, which both the kiosk and the start
/// problem screen open (the label is what the kiosk's capability applies to).
pub(crate) fn main_window_config<R: Runtime>(
    app: &tauri::App<R>,
) -> Result<tauri::utils::config::WindowConfig, &'static str> {
    app.config()
        .app
        .windows
        .iter()
        .find(|w| w.label == "main")
        .cloned()
        .ok_or("tauri.conf.json has no window labelled \"main\"")
}

fn is_app_url(url: &tauri::Url) -> bool {
    url.scheme() == "tauri" || url.host_str() == Some("tauri.localhost")
}

/// Hub mode: the background task that reaches the hub and replays what was numbered offline.
fn start_hub(state: &KioskState) {
    let Some(link) = &state.hub else {
        return;
    };
    log::info!("hub mode: numbers come from the office hub");
    tauri::async_runtime::spawn(hadir::hub::run_hub_task(
        state.store_access(),
        std::sync::Arc::clone(link),
        Config::clone(&state.config()),
        state.clock(),
    ));
}

/// Starts the background sync task, when the core gives one (`[upstream] url` set).
fn start_sync(state: &KioskState) {
    let config = Config::clone(&state.config());
    let signals = std::sync::Arc::clone(&state.sync);
    if let Some(task) = hadir::sync::kiosk_sync_task(config, state.clock(), signals) {
        tauri::async_runtime::spawn(task);
    }
}

/// Starts the backup task on its own store connection: the core's rule says when a copy is due
/// (`hadir::backup::backup_due`), this only gives it the clock. A store that cannot be opened a
/// second time leaves the kiosk serving without backups (logged).
fn start_backups(state: &KioskState) {
    match hadir::Store::open_in(&state.config().data_dir()) {
        Ok(store) => {
            tauri::async_runtime::spawn(hadir::backup::run_backup_task(
                Config::clone(&state.config()),
                store,
                state.clock(),
            ));
        }
        Err(error) => log::error!("backups not started: {error} [{}]", error.code()),
    }
}

/// The app minus plugins that need a real desktop, generic over the runtime so that tests can
/// build it with `tauri::test::mock_builder()`.
pub fn builder<R: Runtime>(
    builder: tauri::Builder<R>,
    state: KioskState,
    windowed: bool,
) -> tauri::Builder<R> {
    builder
        .manage(state)
        .invoke_handler(tauri::generate_handler![
            commands::kiosk::kiosk_info,
            commands::kiosk::page_started,
            commands::kiosk::disk_health,
            commands::scan::scan,
            commands::scan::print_pending,
            commands::survey::submit_rating,
            commands::staff::staff_names,
            commands::staff::staff_sign_in,
            commands::staff::staff_sign_out,
            commands::staff::staff_whoami,
            commands::staff::staff_touch,
            commands::staff::find_bookings,
            commands::staff::staff_check_in,
            commands::staff::reprint,
            commands::staff::failed_prints,
            commands::staff::printer_health,
            commands::staff::purge_personal_data,
            commands::staff::change_staff,
            commands::staff::staff_accounts,
            commands::staff::export_dirs,
            commands::staff::export_report,
            commands::staff::kiosk_settings,
            commands::staff::change_setting,
            commands::walkin_staff::staff_walkin_issue,
            commands::walkin_staff::staff_walkin_turn_away,
            commands::walkin_staff::staff_walkins_today,
            commands::sync::sync_health,
            commands::sync::hub_health,
            commands::sync::sync_now,
            commands::sync::import_candidates,
            commands::sync::import_feed,
            commands::walkin::walkin_state,
            commands::walkin::walkin_issue,
            commands::counter::counter_info,
            commands::counter::counter_sign_in,
            commands::counter::counter_sign_out,
            commands::counter::counter_touch,
            commands::counter::counter_choose,
            commands::counter::counter_screen,
            commands::counter::counter_act,
            camera::camera_frame,
            commands::display::display_follow,
        ])
        // The waiting-room display's call clips (the window's own origin serves only ui/).
        .register_uri_scheme_protocol(
            commands::display::CLIPS_SCHEME,
            commands::display::serve_clip,
        )
        .setup(move |app| {
            let role = app.state::<KioskState>().config().role;
            app.state::<KioskState>().heap_trim.start();
            if role == AppRole::Kiosk {
                start_sync(app.state::<KioskState>().inner());
                start_hub(app.state::<KioskState>().inner());
                start_backups(app.state::<KioskState>().inner());
            }
            // A counter pushes its own outbox (its calls, finishes and no-shows) upstream.
            if role == AppRole::Counter {
                start_sync(app.state::<KioskState>().inner());
            }
            if role == AppRole::Display {
                commands::display::start(app);
            }
            let mut config = main_window_config(app)?;
            // One app, three roles (`role` in the config): each has its own page in ui/.
            config.url = tauri::WebviewUrl::App(role.page().into());
            // Production: fullscreen without decorations. Demo and --windowed: a normal window.
            let window = tauri::WebviewWindowBuilder::from_config(app.handle(), &config)?
                .fullscreen(!windowed)
                .decorations(windowed)
                // The kiosk shows its own pages only: a link or a script cannot take it elsewhere.
                .on_navigation(is_app_url)
                .build()?;
            let state = app.state::<KioskState>();
            if state.config().camera {
                camera::allow_camera(&window, state.mock_camera);
            }
            if role == AppRole::Kiosk {
                page_refresh::start(&window);
            }
            Ok(())
        })
        .on_window_event(move |_window, event| {
            // In production the applicant cannot close the kiosk (Alt+F4, a close gesture); the
            // operator stops it from the OS. A windowed (demo, set-up) kiosk closes normally.
            if let tauri::WindowEvent::CloseRequested { api, .. } = event {
                if !windowed {
                    api.prevent_close();
                }
            }
        })
}
