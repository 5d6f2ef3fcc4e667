//! The camera fallback in the real window: WebKit's synthetic camera (`--mock-camera`) feeds
//! the live preview, frames go to the backend for decoding, and a QR code held up to it checks
//! the applicant in through the scanner's path.

use std::time::Duration;

use hadir_e2e::{screenshot, text_of, wait_for_script, TauriDriver, TestKiosk};

use crate::one_window;

/// The QR code of `text` as rows of dark (true) and light modules.
fn qr_modules(text: &str) -> Vec<Vec<bool>> {
    let code = qrcode::QrCode::new(text.as_bytes()).expect("encodes");
    let width = code.width();
    code.to_colors()
        .chunks(width)
        .map(|row| row.iter().map(|c| *c == qrcode::Color::Dark).collect())
        .collect()
}

#[tokio::test(flavor = "current_thread")]
async fn a_code_shown_to_the_camera_checks_in_like_a_scan() {
    let _turn = one_window().await;
    let kiosk = TestKiosk::with_demo_day_and("camera = true\n");
    let code = kiosk.code_expecting("ok").to_owned();
    let driver = TauriDriver::start();
    let client = driver.open_with(&kiosk, &["--mock-camera"]).await;

    // The preview plays and frames are being decoded (the synthetic picture holds no code).
    wait_for_script(
        &client,
        "return document.body.dataset.camera === 'on' \
         && Number(document.body.dataset.cameraFrames || 0) >= 3 \
         && document.getElementById('camera-preview').videoWidth > 0;",
        Duration::from_secs(20),
    )
    .await;
    assert_eq!(
        hadir_e2e::screen_code(&client, "result").await,
        "",
        "nothing decoded from a picture without a code"
    );
    let hint = text_of(&client, "#screen-welcome .lead").await;
    assert!(
        hint.contains("kamera"),
        "the welcome text mentions the camera: {hint}"
    );
    screenshot(&client, "welcome-camera").await;

    // Hold a booking QR up: a canvas with the code, white margin around, at a camera-ish size.
    let modules = serde_json::to_value(qr_modules(&code)).expect("json");
    client
        .execute(
            "const rows = arguments[0];
             const scale = 10, margin = 40, size = rows.length * scale + 2 * margin;
             const canvas = document.createElement('canvas');
             canvas.width = 640; canvas.height = 480;
             const g = canvas.getContext('2d');
             g.fillStyle = '#fff'; g.fillRect(0, 0, 640, 480);
             g.fillStyle = '#000';
             const x0 = (640 - size) / 2 + margin, y0 = (480 - size) / 2 + margin;
             rows.forEach((row, y) => row.forEach((dark, x) => {
               if (dark) g.fillRect(x0 + x * scale, y0 + y * scale, scale, scale);
             }));
             window.camera.source = canvas;",
            vec![modules],
        )
        .await
        .expect("holds the code up");
    hadir_e2e::wait_for_screen(&client, "result").await;
    assert_eq!(hadir_e2e::screen_code(&client, "result").await, "ok");
    let number = text_of(&client, "#result-tickets .ticket-number").await;
    screenshot(&client, "camera-result").await;
    // The code stays in front of the camera: the result screen does not scan it again.
    tokio::time::sleep(Duration::from_secs(1)).await;
    client.close().await.expect("session closes");
    assert!(!number.is_empty());
    assert_eq!(kiosk.checkins(), 1, "one check-in, recorded in SQLite");
}
