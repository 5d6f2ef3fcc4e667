//! #20 in the real window: a kiosk started on a damaged database does not crash and does not
//! start empty. It restores its newest backup, serves the next applicant from it, and the staff
//! screen says what was restored and from when.

use std::time::Duration;

use hadir_e2e::{wait_for_script, TauriDriver, TestKiosk};

use crate::one_window;

#[tokio::test(flavor = "current_thread")]
async fn a_damaged_database_at_start_is_restored_and_staff_are_told() {
    let _turn = one_window().await;
    let kiosk = TestKiosk::with_demo_day();
    let data = kiosk.config.data_dir();
    {
        let mut store = hadir::Store::open_in(&data).expect("store opens");
        let now = TestKiosk::now(&kiosk.config).timestamp();
        hadir::backup::take_backup(&mut store, &kiosk.config, now).expect("backup taken");
    }
    // The database goes bad while the kiosk is off (a disk, a careless copy).
    std::fs::write(
        data.join(hadir::store::STORE_FILE_NAME),
        "not a database\n".repeat(500),
    )
    .expect("damaged");

    let driver = TauriDriver::start();
    let client = driver.open(&kiosk).await;
    // The demo day came back with the backup: a booking of it checks in.
    let code = kiosk.code_expecting("ok").to_owned();
    let label = hadir_e2e::check_in_printed(&client, &code).await;
    assert!(!label.is_empty(), "a number from the restored store");

    hadir_e2e::open_staff_as(&client, &kiosk, "frontdesk").await;
    wait_for_script(
        &client,
        "const notice = document.getElementById('backup-restored'); \
         return !notice.hidden && notice.textContent.includes('29-11-2026 09:30');",
        Duration::from_secs(10),
    )
    .await;
    let kept: Vec<String> = std::fs::read_dir(&data)
        .expect("data folder")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.starts_with("damaged-"))
        .collect();
    assert_eq!(kept.len(), 1, "the damaged file is kept: {kept:?}");
}
