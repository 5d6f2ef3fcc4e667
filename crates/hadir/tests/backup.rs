//! #20, a damaged database and backups, on real files: a store damaged each way a disk or a
//! person damages one (cut short, emptied, bytes flipped in a page, not SQLite at all, a
//! write-ahead log from another file) is found at the kiosk's start, kept aside and replaced by
//! the newest verified backup, whose outbox is sent again; with no backup the start stops
//! rather than begin empty. Backups are verified before they count, the newest N are kept, and
//! a number printed before the damage is never issued again after the restore.

use std::path::{Path, PathBuf};

use hadir::backup::{self, BackupReason, RestoreReason};
use hadir::store::{StoreFile, NUMBER_BLOCK, STORE_FILE_NAME};
use hadir::{Config, Store};
use jiff::Timestamp;

mod common;

use common::record_checkin;

/// A kiosk's data folder in a temp folder, with the config pointing at it.
struct Kiosk {
    _dir: tempfile::TempDir,
    config: Config,
}

impl Kiosk {
    fn new() -> Kiosk {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut config = Config::default();
        config.kiosk.data_dir = Some(dir.path().join("data"));
        config.backup.keep = 3;
        Kiosk { _dir: dir, config }
    }

    fn data(&self) -> PathBuf {
        self.config.data_dir()
    }

    fn store_path(&self) -> PathBuf {
        self.data().join(STORE_FILE_NAME)
    }

    fn open(&self) -> Store {
        Store::open_in(&self.data()).expect("store opens")
    }

    /// `count` check-ins of one applicant each, codes `MP<prefix>00000`, `MP<prefix>00001`, ...
    fn check_in(&self, store: &mut Store, prefix: &str, count: usize) {
        for n in 0..count {
            let code = format!("MP{prefix}{n:05}");
            record_checkin(store, &code, 0..1, "2026-11-29T09:00:00+08:00");
        }
    }

    fn backup(&self, store: &mut Store, at: &str) -> backup::Taken {
        backup::take_backup(store, &self.config, moment(at)).expect("backup taken")
    }
}

/// `HH:MM` on the test day, Kupang time.
fn moment(hh_mm: &str) -> Timestamp {
    format!("2026-11-29T{hh_mm}:00+08:00")
        .parse()
        .expect("a moment")
}

fn count(path: &Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(path).expect("opens");
    conn.query_row(sql, [], |row| row.get(0)).expect("counts")
}

/// The page size and the first page of the `checkins` table: a page every read of check-ins
/// goes through. Read independently of the core.
fn checkins_root_page(path: &Path) -> (u64, u64) {
    let conn = rusqlite::Connection::open(path).expect("opens");
    let page_size: i64 = conn
        .query_row("PRAGMA page_size", [], |r| r.get(0))
        .expect("page size");
    let root: i64 = conn
        .query_row(
            "SELECT rootpage FROM sqlite_master WHERE name = 'checkins'",
            [],
            |r| r.get(0),
        )
        .expect("root page");
    assert!(root > 1, "not the header page");
    (page_size as u64, root as u64)
}

/// Ways a store file gets damaged. The store is closed (its WAL checkpointed into the file).
#[derive(Debug, Clone, Copy)]
enum Damage {
    /// Cut to a third of its length (a copy or a disk that stopped short).
    Truncated,
    /// Zero bytes (SQLite alone would take it for a new, empty database).
    ZeroLength,
    /// Bytes overwritten inside the pages of the check-ins table.
    FlippedPage,
    /// Some other file under the store's name.
    NotSqlite,
    /// The write-ahead log of another kiosk's store beside this one.
    ForeignWal,
}

const EVERY_DAMAGE: [Damage; 5] = [
    Damage::Truncated,
    Damage::ZeroLength,
    Damage::FlippedPage,
    Damage::NotSqlite,
    Damage::ForeignWal,
];

fn damage(kiosk: &Kiosk, how: Damage) {
    let path = kiosk.store_path();
    match how {
        Damage::Truncated => {
            let len = std::fs::metadata(&path).expect("file").len();
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(&path)
                .expect("opens");
            file.set_len(len / 3).expect("cut short");
        }
        Damage::ZeroLength => std::fs::write(&path, b"").expect("emptied"),
        Damage::FlippedPage => {
            let (page_size, root) = checkins_root_page(&path);
            let mut bytes = std::fs::read(&path).expect("reads");
            let start = ((root - 1) * page_size) as usize;
            for byte in &mut bytes[start..start + 64] {
                *byte ^= 0xA5;
            }
            std::fs::write(&path, bytes).expect("written back");
        }
        Damage::NotSqlite => std::fs::write(
            &path,
            "<html><body>502 Bad Gateway</body></html>\n".repeat(200),
        )
        .expect("overwritten"),
        Damage::ForeignWal => {
            // Another kiosk's store, whose log holds check-ins not yet in its file: its log is
            // copied while its connection is still open, as a careless copy of a folder would.
            let other = tempfile::tempdir().expect("temp dir");
            let mut store = Store::open_in(other.path()).expect("other store");
            kiosk.check_in(&mut store, "XW", 150);
            let wal = wal_of(&other.path().join(STORE_FILE_NAME));
            assert!(
                std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0),
                "the other store's log holds frames"
            );
            std::fs::copy(&wal, wal_of(&path)).expect("foreign log beside the store");
            drop(store);
        }
    }
}

fn wal_of(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push("-wal");
    PathBuf::from(name)
}

/// A kiosk that served 40 applicants, was backed up at 10:00 (outbox still full: no gateway),
/// then served 10 more before its store was damaged.
fn served_then_damaged(how: Damage) -> (Kiosk, Vec<u8>) {
    let kiosk = Kiosk::new();
    let mut store = kiosk.open();
    kiosk.check_in(&mut store, "AA", 40);
    kiosk.backup(&mut store, "10:00");
    kiosk.check_in(&mut store, "BB", 10);
    drop(store); // closed cleanly: the log is in the file
    damage(&kiosk, how);
    let damaged = std::fs::read(kiosk.store_path()).expect("damaged file");
    (kiosk, damaged)
}

#[test]
fn every_kind_of_damage_is_found() {
    for how in EVERY_DAMAGE {
        let (kiosk, _) = served_then_damaged(how);
        let state = hadir::store::examine(&kiosk.store_path()).expect("looked at");
        assert!(
            matches!(state, StoreFile::Damaged(_)),
            "{how:?}: found {state:?}"
        );
    }
}

#[test]
fn a_damaged_store_is_kept_aside_and_the_newest_backup_serves() {
    for how in EVERY_DAMAGE {
        let (kiosk, damaged_bytes) = served_then_damaged(how);
        let (store, restored) =
            backup::open_store_at_start(&kiosk.config, moment("11:00")).expect("starts");
        let restored = restored.unwrap_or_else(|| panic!("{how:?}: a restore, not a plain open"));
        assert_eq!(restored.reason, RestoreReason::Damaged, "{how:?}");
        assert_eq!(restored.backup_taken_at, moment("10:00"), "{how:?}");
        // The damaged file is kept, byte for byte, in a folder of its own.
        let aside = restored.set_aside.clone().expect("files set aside");
        assert!(aside.starts_with(kiosk.data()), "{how:?}: {aside:?}");
        assert_eq!(
            std::fs::read(aside.join(STORE_FILE_NAME)).expect("kept"),
            damaged_bytes,
            "{how:?}: the damaged file is kept as it was"
        );
        if matches!(how, Damage::ForeignWal) {
            assert!(
                wal_of(&aside.join(STORE_FILE_NAME)).exists(),
                "the log that did not fit is kept with it"
            );
        }
        // What the backup held serves now, and its outbox is sent again.
        assert_eq!(
            count(&kiosk.store_path(), "SELECT COUNT(*) FROM checkins"),
            40,
            "{how:?}: the backup's check-ins"
        );
        assert_eq!(store.outbox_len().expect("outbox"), 40, "{how:?}");
        assert_eq!(restored.outbox, 40, "{how:?}");
        assert_eq!(store.integrity_check().expect("check"), "ok", "{how:?}");
        // Staff are told, from when, and where the damaged files are.
        let health = hadir::backup::BackupHealth::read(&store, &kiosk.config, moment("11:05"))
            .expect("health");
        let notice = health.restored.expect("a restore notice for staff");
        assert_eq!(notice.backup_taken_local, "29-11-2026 10:00", "{how:?}");
        assert_eq!(notice.set_aside.as_deref(), aside.to_str(), "{how:?}");
        assert_eq!(notice.outbox, 40);
    }
}

#[test]
fn the_restore_notice_reaches_the_staff_screen_for_a_day() {
    let (kiosk, _) = served_then_damaged(Damage::ZeroLength);
    let (store, _) = backup::open_store_at_start(&kiosk.config, moment("11:00")).expect("starts");
    let health =
        hadir::sync::SyncHealth::read(&store, &kiosk.config, moment("16:00")).expect("sync health");
    assert!(
        health.backup.restored.is_some(),
        "the staff screen's health has it"
    );
    let next_day: Timestamp = "2026-11-30T11:01:00+08:00".parse().expect("time");
    let later = hadir::sync::SyncHealth::read(&store, &kiosk.config, next_day).expect("health");
    assert!(later.backup.restored.is_none(), "gone after a day");
}

#[test]
fn a_restored_outbox_is_sent_again_and_the_gateway_keeps_each_event_once() {
    let gateway =
        fake_upstream::FakeUpstream::start(common::OFFICE, "backup-token").expect("gateway");
    let kiosk = {
        let mut kiosk = Kiosk::new();
        kiosk.config.upstream.url = Some(gateway.url());
        kiosk.config.upstream.token = Some("backup-token".into());
        kiosk
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let client = hadir::sync::UpstreamClient::new(&kiosk.config).expect("client");
    let mut store = kiosk.open();
    kiosk.check_in(&mut store, "AA", 5);
    kiosk.backup(&mut store, "10:00"); // five events waiting
    runtime
        .block_on(hadir::sync::push_outbox(
            &client,
            &mut store,
            &kiosk.config,
            moment("10:01"),
        ))
        .expect("pushed");
    assert_eq!(store.outbox_len().expect("outbox"), 0, "sent and settled");
    drop(store);
    damage(&kiosk, Damage::NotSqlite);
    let (mut store, restored) =
        backup::open_store_at_start(&kiosk.config, moment("11:00")).expect("starts");
    assert_eq!(restored.expect("restored").outbox, 5);
    runtime
        .block_on(hadir::sync::push_outbox(
            &client,
            &mut store,
            &kiosk.config,
            moment("11:01"),
        ))
        .expect("pushed again");
    assert_eq!(
        store.outbox_len().expect("outbox"),
        0,
        "the gateway answered for each"
    );
    let deliveries = gateway.deliveries();
    assert!(
        deliveries.len() == 5 && deliveries.values().all(|&n| n == 2),
        "each event was sent again after the restore: {deliveries:?}"
    );
    let effects = gateway.effects();
    assert_eq!(effects.len(), 5, "five events: {effects:?}");
    assert!(
        effects.values().all(|&n| n == 1),
        "each took effect once, however often it came: {effects:?}"
    );
}

#[test]
fn without_a_backup_the_start_stops_and_the_file_stays() {
    let kiosk = Kiosk::new();
    let mut store = kiosk.open();
    kiosk.check_in(&mut store, "AA", 5);
    drop(store);
    damage(&kiosk, Damage::NotSqlite);
    let before = std::fs::read(kiosk.store_path()).expect("file");
    let error = backup::open_store_at_start(&kiosk.config, moment("11:00"))
        .expect_err("no empty store in its place");
    assert_eq!(error.code(), "store_damaged_no_backup", "{error}");
    assert_eq!(
        std::fs::read(kiosk.store_path()).expect("file"),
        before,
        "left where and as it was"
    );
    let problem = hadir::start_problem::StartProblem::from_error(&error);
    assert_eq!(problem.code, "store_damaged_no_backup");
    assert_eq!(problem.next_step, error.next_step(), "its own next step");
    assert!(
        !problem.next_step.en.is_empty() && !problem.next_step.id.is_empty(),
        "{problem:?}"
    );
}

#[test]
fn a_missing_store_is_restored_when_backups_exist_and_new_otherwise() {
    let fresh = Kiosk::new();
    let (store, restored) =
        backup::open_store_at_start(&fresh.config, moment("08:00")).expect("a new kiosk");
    assert!(restored.is_none());
    assert_eq!(store.outbox_len().expect("outbox"), 0);

    let kiosk = Kiosk::new();
    let mut store = kiosk.open();
    kiosk.check_in(&mut store, "AA", 4);
    kiosk.backup(&mut store, "10:00");
    drop(store);
    std::fs::remove_file(kiosk.store_path()).expect("gone");
    let (store, restored) =
        backup::open_store_at_start(&kiosk.config, moment("11:00")).expect("starts");
    let restored = restored.expect("restored");
    assert_eq!(restored.reason, RestoreReason::Missing);
    assert_eq!(restored.set_aside, None, "nothing to keep");
    assert_eq!(store.outbox_len().expect("outbox"), 4);
}

#[test]
fn a_restore_passes_over_a_backup_that_no_longer_verifies() {
    let kiosk = Kiosk::new();
    let mut store = kiosk.open();
    kiosk.check_in(&mut store, "AA", 30);
    kiosk.backup(&mut store, "09:00");
    kiosk.check_in(&mut store, "BB", 30);
    let newest = kiosk.backup(&mut store, "10:00").generation;
    drop(store);
    // The newest copy rotted on disk after it was verified.
    let (page_size, root) = checkins_root_page(&newest.path);
    let mut bytes = std::fs::read(&newest.path).expect("reads");
    let start = ((root - 1) * page_size) as usize;
    bytes[start..start + 32].fill(0xEE);
    std::fs::write(&newest.path, bytes).expect("rotted");
    damage(&kiosk, Damage::ZeroLength);
    let (_, restored) =
        backup::open_store_at_start(&kiosk.config, moment("11:00")).expect("starts");
    assert_eq!(
        restored.expect("restored").backup_taken_at,
        moment("09:00"),
        "the older, sound copy"
    );
    assert_eq!(
        count(&kiosk.store_path(), "SELECT COUNT(*) FROM checkins"),
        30
    );
    // Chosen by hand, the rotten copy is refused with its own code and the store stays.
    let refused = backup::restore(
        &kiosk.config,
        &newest,
        backup::RestoreReason::ByHand,
        None,
        moment("11:05"),
    )
    .expect_err("not usable");
    assert_eq!(refused.code(), "backup_unusable", "{refused}");
    assert_eq!(
        count(&kiosk.store_path(), "SELECT COUNT(*) FROM checkins"),
        30,
        "the store was not touched"
    );
}

#[test]
fn no_number_printed_before_the_damage_is_issued_again() {
    let kiosk = Kiosk::new();
    let mut store = kiosk.open();
    kiosk.check_in(&mut store, "AA", 3); // A-001 .. A-003
    kiosk.backup(&mut store, "09:00");
    kiosk.check_in(&mut store, "BB", 25); // A-004 .. A-028, printed after the backup
    let printed_since: i64 = 28;
    drop(store);
    damage(&kiosk, Damage::FlippedPage);
    let (mut store, restored) =
        backup::open_store_at_start(&kiosk.config, moment("10:00")).expect("starts");
    assert!(restored.expect("restored").counters_raised >= 1);
    record_checkin(&mut store, "MPCC000001", 0..1, "2026-11-29T10:00:00+08:00");
    let next = store
        .tickets_for_booking("MPCC000001", common::day())
        .expect("reads")[0]
        .number;
    assert!(
        next > printed_since,
        "the next number ({next}) is above every number printed since the backup ({printed_since})"
    );
    assert!(
        next <= printed_since + NUMBER_BLOCK,
        "at most one block is skipped: {next}"
    );
}

#[test]
fn a_copy_that_fails_its_check_is_deleted_and_not_counted() {
    let kiosk = Kiosk::new();
    let mut store = kiosk.open();
    kiosk.check_in(&mut store, "AA", 60);
    kiosk.backup(&mut store, "09:00");
    drop(store);
    // The live file goes bad under a running kiosk (a failing disk): the next copy copies the
    // bad page, and its check must catch it.
    let path = kiosk.store_path();
    let (page_size, root) = checkins_root_page(&path);
    let mut bytes = std::fs::read(&path).expect("reads");
    let start = ((root - 1) * page_size) as usize;
    bytes[start..start + 32].fill(0xEE);
    std::fs::write(&path, bytes).expect("rotted");
    let mut store = Store::open(&path).expect("still opens: the damage is in a table");
    let error = backup::take_backup(&mut store, &kiosk.config, moment("10:00"))
        .expect_err("a copy of a damaged store does not pass");
    assert_eq!(error.code(), "backup_failed", "{error}");
    assert!(error.to_string().contains("integrity"), "{error}");
    let left: Vec<String> = std::fs::read_dir(kiosk.config.backup_dir())
        .expect("folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        left.len(),
        1,
        "only the good copy of 09:00, no temporary: {left:?}"
    );
    let generations = backup::all_generations(&kiosk.config).expect("listed");
    assert_eq!(generations[0].taken_at, moment("09:00"));
    let health =
        hadir::backup::BackupHealth::read(&store, &kiosk.config, moment("10:05")).expect("health");
    assert_eq!(health.kept, 1);
    let failed = health.failed.expect("staff see the failure");
    assert!(failed.detail.contains("integrity"), "{failed:?}");
    assert!(!failed.next_step.en.is_empty());
}

#[test]
fn the_newest_copies_are_kept_in_both_folders() {
    let mut kiosk = Kiosk::new();
    let stick = kiosk.data().join("..").join("stick");
    std::fs::create_dir_all(&stick).expect("a stick");
    kiosk.config.backup.usb_dir = Some(stick.clone());
    let mut store = kiosk.open();
    let mut names = Vec::new();
    for (n, at) in ["08:00", "09:00", "10:00", "11:00", "12:00"]
        .iter()
        .enumerate()
    {
        kiosk.check_in(&mut store, &format!("R{n}"), 1);
        let taken = kiosk.backup(&mut store, at);
        assert!(taken.usb_copy.is_some(), "copied to the stick");
        names.push(taken.generation.name);
    }
    let listed = |dir: &Path| -> Vec<String> {
        hadir::backup::all_generations(&Config {
            backup: hadir::config::BackupConfig {
                dir: Some(dir.to_owned()),
                ..Default::default()
            },
            ..Default::default()
        })
        .expect("listed")
        .into_iter()
        .map(|g| g.name)
        .collect()
    };
    let newest_three: Vec<String> = names.iter().rev().take(3).cloned().collect();
    assert_eq!(listed(&kiosk.config.backup_dir()), newest_three);
    assert_eq!(listed(&stick), newest_three);
    // Each one kept is a whole, sound store with the check-ins of its moment.
    for (generation, expected) in backup::all_generations(&kiosk.config)
        .expect("listed")
        .iter()
        .zip([5, 4, 3])
    {
        assert_eq!(
            count(&generation.path, "SELECT COUNT(*) FROM checkins"),
            expected
        );
    }
}

#[test]
fn the_task_takes_a_copy_when_the_rule_says_and_not_otherwise() {
    let kiosk = Kiosk::new();
    let mut store = kiosk.open();
    let first = backup::tick(&mut store, &kiosk.config, moment("08:00"), None).expect("ticks");
    assert!(first.is_some(), "the first copy at once");
    assert!(
        backup::tick(&mut store, &kiosk.config, moment("08:30"), None)
            .expect("ticks")
            .is_none()
    );
    assert!(
        backup::tick(&mut store, &kiosk.config, moment("09:00"), None)
            .expect("ticks")
            .is_some()
    );
    assert_eq!(
        backup::backup_due(Some(moment("16:50")), None, moment("17:00"), &kiosk.config),
        Some(BackupReason::DayEnd)
    );
}

/// A store as a crash or a power cut leaves it: its `-wal` holding the last check-ins (copied
/// while the connection is open, as the disk holds it when the process dies), with its `-shm`
/// or, after a power cut, without it (never synced).
#[test]
fn a_store_left_by_a_crash_is_sound_and_keeps_its_last_check_ins() {
    for with_shm in [true, false] {
        let live = Kiosk::new();
        let mut store = live.open();
        live.check_in(&mut store, "AA", 30);
        let crashed = Kiosk::new();
        std::fs::create_dir_all(crashed.data()).expect("folder");
        let mut names = vec![STORE_FILE_NAME.to_owned(), format!("{STORE_FILE_NAME}-wal")];
        if with_shm {
            names.push(format!("{STORE_FILE_NAME}-shm"));
        }
        for name in &names {
            std::fs::copy(live.data().join(name), crashed.data().join(name)).expect("copied");
        }
        drop(store);
        assert_eq!(
            hadir::store::examine(&crashed.store_path()).expect("looked at"),
            StoreFile::Sound,
            "with -shm: {with_shm}"
        );
        let (store, restored) =
            backup::open_store_at_start(&crashed.config, moment("11:00")).expect("starts");
        assert!(restored.is_none(), "with -shm: {with_shm}");
        assert_eq!(
            store.outbox_len().expect("outbox"),
            30,
            "with -shm: {with_shm}"
        );
    }
}

#[test]
fn a_new_store_in_a_folder_that_issued_numbers_goes_on_above_them() {
    let kiosk = Kiosk::new();
    let mut store = kiosk.open();
    kiosk.check_in(&mut store, "AA", 25); // A-001 .. A-025, no backup
    drop(store);
    // IT moves the damaged file away to start with an empty database.
    let aside = kiosk.data().join("moved-by-hand");
    std::fs::create_dir_all(&aside).expect("folder");
    std::fs::rename(kiosk.store_path(), aside.join(STORE_FILE_NAME)).expect("moved");
    let (mut store, restored) =
        backup::open_store_at_start(&kiosk.config, moment("11:00")).expect("a new store");
    assert!(restored.is_none(), "nothing to restore");
    record_checkin(&mut store, "MPCC000001", 0..1, "2026-11-29T11:00:00+08:00");
    let next = store
        .tickets_for_booking("MPCC000001", common::day())
        .expect("reads")[0]
        .number;
    assert!(
        next > 25,
        "the next number ({next}) is above the 25 printed"
    );
}

#[test]
fn a_backup_folder_started_again_does_not_lose_its_copies_on_the_stick() {
    let mut kiosk = Kiosk::new();
    let stick = kiosk.data().join("..").join("stick");
    std::fs::create_dir_all(&stick).expect("a stick");
    kiosk.config.backup.usb_dir = Some(stick.clone());
    let mut store = kiosk.open();
    for (n, at) in ["08:00", "09:00", "10:00"].iter().enumerate() {
        kiosk.check_in(&mut store, &format!("S{n}"), 1);
        kiosk.backup(&mut store, at);
    }
    // The kiosk's own backup folder is emptied (a new disk); the stick keeps its three.
    std::fs::remove_dir_all(kiosk.config.backup_dir()).expect("emptied");
    kiosk.check_in(&mut store, "S3", 1);
    let fresh = kiosk.backup(&mut store, "11:00");
    assert!(fresh.usb_copy.is_some(), "copied to the stick");
    assert_eq!(
        fresh.generation.sequence, 4,
        "after the stick's newest, not 1 again"
    );
    let on_stick: Vec<String> = std::fs::read_dir(&stick)
        .expect("stick")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert!(
        on_stick.contains(&fresh.generation.name),
        "the stick's rotation kept the new copy: {on_stick:?}"
    );
    let newest = backup::newest_verified(&kiosk.config)
        .expect("listed")
        .expect("one");
    assert_eq!(
        newest.taken_at,
        moment("11:00"),
        "a restore takes the new copy"
    );
}
