//! The camera fallback's window side: let the page open the camera, and decode its frames.
//!
//! The page captures with `getUserMedia` (a live preview it can show) and hands grey frames to
//! [`camera_frame`], which decodes them with rxing in the core; decoded text then goes through
//! the `scan` command exactly like a scanner's key burst.

use hadir::camera::{decode, LumaFrame};
use hadir::ErrorPayload;
use tauri::{Runtime, WebviewWindow};

/// Lets this window's page use the camera (video only). Linux: WebKitGTK has media streams off
/// and denies every capture request nobody answers, so turn the setting on and answer video
/// requests (and only those). Windows: WebView2 asks the person at the screen once; staff allow
/// it while setting the kiosk up (not tried on Windows, see docs/kiosk-setup.md).
pub fn allow_camera<R: Runtime>(window: &WebviewWindow<R>, mock: bool) {
    let result = window.with_webview(move |platform| {
        #[cfg(target_os = "linux")]
        {
            use webkit2gtk::{
                glib::Cast, PermissionRequestExt, SettingsExt, UserMediaPermissionRequest,
                UserMediaPermissionRequestExt, WebViewExt,
            };
            let view = platform.inner();
            if let Some(settings) = WebViewExt::settings(&view) {
                settings.set_enable_media_stream(true);
                // A synthetic camera for tests and demos on machines without one.
                settings.set_enable_mock_capture_devices(mock);
            }
            view.connect_permission_request(|view, request| {
                // Navigation is already held to the app's origin; check again here anyway.
                let own_page = view
                    .uri()
                    .is_some_and(|uri| uri.starts_with("tauri://localhost"));
                match request.downcast_ref::<UserMediaPermissionRequest>() {
                    Some(media)
                        if own_page
                            && media.is_for_video_device()
                            && !media.is_for_audio_device() =>
                    {
                        request.allow();
                        true
                    }
                    _ => false, // WebKit's default: deny (microphone, location, notifications)
                }
            });
        }
        #[cfg(not(target_os = "linux"))]
        {
            let _ = (platform, mock);
        }
    });
    if let Err(error) = result {
        log::error!("camera not enabled: {error}");
    }
}

/// A grey frame the page took from the camera (`width` x `height` bytes, row by row, in the
/// request body; the size in the `x-frame-width` / `x-frame-height` headers) -> the QR code's
/// text, if the frame holds one.
#[tauri::command]
pub async fn camera_frame(
    request: tauri::ipc::Request<'_>,
) -> Result<Option<String>, ErrorPayload> {
    // A malformed frame is the page's bug, not the applicant's: a stable code for the log, and
    // the scanner and manual entry carry on.
    let refuse = |detail: String| ErrorPayload::from(&hadir::Error::InvalidInput(detail));
    let tauri::ipc::InvokeBody::Raw(pixels) = request.body() else {
        return Err(refuse(
            "camera_frame expects the frame's bytes as the body".into(),
        ));
    };
    let header = |name: &str| request.headers().get(name).and_then(|v| v.to_str().ok());
    let frame = LumaFrame::from_page(
        header("x-frame-width"),
        header("x-frame-height"),
        pixels.clone(),
    )
    .map_err(|error| ErrorPayload::from(&error))?;
    Ok(decode(&frame))
}
