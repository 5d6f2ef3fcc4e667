//! #15 in the real window: the supervisor's export names each place (the stick by its label,
//! the kiosk's own folder by what it is, no per-user folder), says when it is done that the
//! stick can be pulled out, and writes the report in the screen's language.

use std::path::Path;
use std::time::Duration;

use hadir_e2e::{
    click, pdf_text, screenshot, text_of, wait_for_script, TauriDriver, TestKiosk, UsbFolder,
};

use crate::one_window;
use crate::screens::{quality_violations, switch_to_english};

/// `(data-kind, text)` of each place button, in order.
async fn offered_places(client: &fantoccini::Client) -> Vec<(String, String)> {
    click(client, "#export-look").await;
    wait_for_script(
        client,
        "return document.querySelectorAll('#export-dirs button').length > 0;",
        Duration::from_secs(10),
    )
    .await;
    let places = client
        .execute(
            "return [...document.querySelectorAll('#export-dirs button')]\
               .map((b) => [b.dataset.kind, b.textContent]);",
            vec![],
        )
        .await
        .expect("script runs");
    serde_json::from_value(places).expect("pairs")
}

/// Taps the place at `path` and waits for the export's answer beside the button.
async fn export_to(client: &fantoccini::Client, path: &Path) -> String {
    client
        .execute(
            "document.getElementById('export-feedback').dataset.outcome = '';",
            vec![],
        )
        .await
        .expect("script runs");
    let target = path.display().to_string();
    click(
        client,
        &format!("#export-dirs button[data-path={target:?}]"),
    )
    .await;
    wait_for_script(
        client,
        "return document.getElementById('export-feedback').dataset.outcome === 'done';",
        Duration::from_secs(30),
    )
    .await;
    text_of(client, "#export-feedback").await
}

fn pdf_in(dir: &Path) -> std::path::PathBuf {
    std::fs::read_dir(dir)
        .expect("folder readable")
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "pdf"))
        .unwrap_or_else(|| panic!("a PDF report in {}", dir.display()))
}

#[tokio::test(flavor = "current_thread")]
async fn the_supervisor_exports_to_a_stick_named_by_its_label_and_may_pull_it_out() {
    let _turn = one_window().await;
    // Sticks appear below this folder as the desktop mounts them: /media/<user>/<label>.
    let usb = UsbFolder::with_stick(&["kiosk", "KANIM-KUPANG"]);
    let stick = usb.stick.clone();
    let kiosk = TestKiosk::with_demo_day_and(&usb.config_toml());
    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;
    hadir_e2e::open_staff_as(&client, &kiosk, "supervisor").await;
    // The staff screen's own findings are not this test's; the places and the answer add none.
    let before = quality_violations(&client).await;

    let places = offered_places(&client).await;
    assert_eq!(
        places,
        [
            (
                "stick".to_owned(),
                "Ekspor ke Flashdisk KANIM-KUPANG".to_owned()
            ),
            (
                "kiosk".to_owned(),
                "Ekspor ke Folder ekspor kiosk".to_owned()
            ),
        ],
        "the stick by its label, the kiosk's own folder by what it is; no per-user folder"
    );
    let done = export_to(&client, &stick).await;
    screenshot(&client, "staff-supervisor-export-stick").await;
    let added: Vec<String> = quality_violations(&client)
        .await
        .into_iter()
        .filter(|v| !before.contains(v))
        .collect();
    assert!(
        added.is_empty(),
        "the export's places and answer: {added:?}"
    );
    assert!(
        done.contains("Ekspor selesai")
            && done.contains("Flashdisk KANIM-KUPANG")
            && done.contains("Flashdisk sudah boleh dicabut"),
        "done, where, and that the stick can come out: {done}"
    );
    let written = std::fs::read_dir(&stick).expect("stick").count();
    assert_eq!(
        written, 6,
        "four CSV, the XLSX and the PDF are on the stick"
    );
    assert!(pdf_text(&pdf_in(&stick)).contains("Dibuat: "));

    // The kiosk's own folder keeps its files: nothing to pull out.
    let own = kiosk.config.data_dir().join("exports");
    let kept = export_to(&client, &own).await;
    assert!(
        kept.contains("Folder ekspor kiosk") && !kept.contains("dicabut"),
        "{kept}"
    );
    client.close().await.expect("session closes");
}

#[tokio::test(flavor = "current_thread")]
async fn a_supervisor_on_the_english_screen_gets_the_report_in_english() {
    let _turn = one_window().await;
    let usb = UsbFolder::with_stick(&["DATA"]);
    let stick = usb.stick.clone();
    let kiosk = TestKiosk::with_demo_day_and(&usb.config_toml());
    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;
    switch_to_english(&client).await;
    hadir_e2e::open_staff_as(&client, &kiosk, "supervisor").await;

    let places = offered_places(&client).await;
    assert_eq!(places[0].1, "Export to USB stick DATA");
    let done = export_to(&client, &stick).await;
    client.close().await.expect("session closes");
    assert!(done.contains("You can remove the USB stick now."), "{done}");
    let report = pdf_text(&pdf_in(&stick));
    assert!(
        report.contains("Generated: ") && report.contains("WITA"),
        "the report in the screen's language:\n{report}"
    );
}
