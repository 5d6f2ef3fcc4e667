//! The waiting-room display (`role = "display"`): the core's display feed runs in the
//! background (`start`) and hands each board update to the page over the channel the page
//! opened with `display_follow`; the call clips reach the page through the `clips` URI scheme
//! (`serve_clip`), from the app's bundled resources.

use std::path::PathBuf;
use std::sync::Mutex;

use hadir::display_board::BoardView;
use hadir::hub::DisplayUpdate;
use hadir::model::Language;
use serde::Serialize;
use tauri::http::{header, Request, Response, StatusCode};
use tauri::ipc::Channel;
use tauri::{Manager, Runtime, State, UriSchemeContext};

use crate::KioskState;

/// The URI scheme the page plays clips from: `clips://localhost/id/digit_0.wav` (Linux, macOS),
/// `http://clips.localhost/id/digit_0.wav` (Windows).
pub const CLIPS_SCHEME: &str = "clips";

/// The latest board, and the page's channel for the next ones.
#[derive(Default)]
pub struct DisplayFeedState {
    latest: Mutex<Option<DisplayUpdate>>,
    page: Mutex<Option<Channel<DisplayUpdate>>>,
}

impl DisplayFeedState {
    /// Keeps the board and passes the update on to the page, if it follows.
    fn publish(&self, update: DisplayUpdate) {
        let page = self.page.lock().unwrap_or_else(|p| p.into_inner()).clone();
        if let Some(page) = page {
            if let Err(error) = page.send(update.clone()) {
                log::warn!("display page did not take a board update: {error}");
            }
        }
        *self.latest.lock().unwrap_or_else(|p| p.into_inner()) = Some(update);
    }
}

/// What the page needs to start: its language and the board so far.
#[derive(Debug, Serialize)]
pub struct DisplayStart {
    pub language: Language,
    /// `None` until the display first reached the hub (or gave up once).
    pub board: Option<BoardView>,
}

/// The page follows the board: every update from now on goes to `updates` (a reloaded page's
/// new channel replaces the old one).
#[tauri::command]
pub fn display_follow(
    kiosk: State<'_, KioskState>,
    feed: State<'_, DisplayFeedState>,
    updates: Channel<DisplayUpdate>,
) -> DisplayStart {
    *feed.page.lock().unwrap_or_else(|p| p.into_inner()) = Some(updates);
    let board = feed
        .latest
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .as_ref()
        .map(|update| update.board.clone());
    DisplayStart {
        language: kiosk.config().kiosk.language,
        board,
    }
}

/// Starts the display's feed of the hub's calls (the role needs `hub_url`, which the config
/// check guarantees).
pub fn start<R: Runtime>(app: &tauri::App<R>) {
    app.manage(DisplayFeedState::default());
    let kiosk = app.state::<KioskState>();
    let config = hadir::Config::clone(&kiosk.config());
    let Some(url) = config.hub_url.clone() else {
        log::error!("display without hub_url: nothing to show");
        return;
    };
    let handle = app.handle().clone();
    log::info!("display role: following the office hub's calls");
    tauri::async_runtime::spawn(hadir::hub::run_display_feed(
        url,
        config,
        kiosk.clock(),
        move |update| handle.state::<DisplayFeedState>().publish(update),
    ));
}

/// Serves one call clip (a path `call_speech` names, nothing else) from the bundled resources.
pub fn serve_clip<R: Runtime>(
    context: UriSchemeContext<'_, R>,
    request: Request<Vec<u8>>,
) -> Response<Vec<u8>> {
    let wanted = request.uri().path().trim_start_matches('/');
    let known = hadir::call_speech::every_clip()
        .iter()
        .any(|clip| clip.path() == wanted);
    let body = known
        .then(|| clips_dir(context.app_handle()))
        .and_then(|dir| std::fs::read(dir.join(wanted)).ok());
    let response = match body {
        Some(body) => {
            log::debug!("display clip served: {wanted}");
            Response::builder()
                .header(header::CONTENT_TYPE, "audio/wav")
                .body(body)
        }
        None => {
            log::warn!("display asked for a clip that is not there: {wanted:?}");
            Response::builder()
                .status(StatusCode::NOT_FOUND)
                .body(Vec::new())
        }
    };
    response.unwrap_or_else(|_| Response::new(Vec::new()))
}

/// `calls/` of the app's resources (the package installs it from `assets/calls/`); a build
/// run from the workspace without them (tests, a bare `cargo build`) uses the repository's.
fn clips_dir<R: Runtime>(app: &tauri::AppHandle<R>) -> PathBuf {
    let bundled = app
        .path()
        .resource_dir()
        .map(|dir| dir.join("calls"))
        .ok()
        .filter(|dir| dir.join("chime.wav").is_file());
    bundled.unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join("assets")
            .join("calls")
    })
}
