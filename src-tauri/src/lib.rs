//! The kiosk's desktop shell: parse the command line, load config and store, open the window,
//! register the commands. Nothing here decides anything; see the `hadir` crate.

mod commands;
mod launch;
mod state;

use tauri::{Manager, Runtime};

pub use launch::Launch;
pub use state::KioskState;

/// Entry point of the `hadir-kiosk` binary.
pub fn run() {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let launch = Launch::from_args();
    // A bad config stops here, before any window exists: the kiosk never runs half-configured.
    let state = match launch.prepare(jiff::Timestamp::now()) {
        Ok(state) => state,
        Err(error) => {
            eprintln!("hadir-kiosk: {} [{}]", error, error.code());
            eprintln!("{}", error.next_step().id);
            eprintln!("{}", error.next_step().en);
            std::process::exit(2);
        }
    };
    let windowed = launch.windowed();
    let result = builder(tauri::Builder::default(), state, windowed)
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            // A second start (a double-click on the desktop icon) brings the kiosk forward instead.
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.set_focus();
            }
        }))
        .run(tauri::generate_context!("../tauri.conf.json"));
    if let Err(error) = result {
        eprintln!("hadir-kiosk: the window could not start: {error}");
        std::process::exit(1);
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
            commands::scan::scan,
        ])
        .setup(move |app| {
            let config = app
                .config()
                .app
                .windows
                .iter()
                .find(|w| w.label == "main")
                .cloned()
                .ok_or("tauri.conf.json has no window labelled \"main\"")?;
            // Production: fullscreen without decorations. Demo and --windowed: a normal window.
            tauri::WebviewWindowBuilder::from_config(app.handle(), &config)?
                .fullscreen(!windowed)
                .decorations(windowed)
                .build()?;
            Ok(())
        })
}
