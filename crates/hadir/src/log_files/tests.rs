use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use log::{Level, Record};

use super::{current_file, LogFile, CLI, KIOSK};

fn write(file: &LogFile, message: &str) {
    file.write(
        &Record::builder()
            .args(format_args!("{message}"))
            .level(Level::Info)
            .target("hadir::checkin")
            .build(),
    );
}

fn files_in(folder: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .expect("log folder")
        .map(|entry| entry.expect("entry").path())
        .collect();
    files.sort();
    files
}

fn text(path: &Path) -> String {
    std::fs::read_to_string(path).expect("log file")
}

#[test]
fn each_program_writes_its_own_file_in_the_folder_it_creates() {
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = dir.path().join("data").join("logs");
    let cli = LogFile::open(&folder, CLI, 1 << 20, 3).expect("opens");
    let kiosk = LogFile::open(&folder, KIOSK, 1 << 20, 3).expect("opens");
    write(&cli, "scan MP7K… -> ok");
    write(&kiosk, "store opened");

    let cli_text = text(&current_file(&folder, CLI));
    assert!(
        cli_text.contains(" INFO  hadir::checkin: scan MP7K… -> ok"),
        "level, target and message on one line: {cli_text}"
    );
    let stamp = cli_text.get(..10).expect("a date first");
    assert!(
        jiff::civil::Date::strptime("%Y-%m-%d", stamp).is_ok(),
        "each line starts with its date: {cli_text}"
    );
    assert!(
        !cli_text.contains("store opened"),
        "the kiosk's line is not in the CLI's file"
    );
    assert!(text(&current_file(&folder, KIOSK)).contains("store opened"));
    assert_eq!(cli.folder(), folder);
}

#[test]
fn a_full_file_is_closed_and_only_the_newest_closed_files_are_kept() {
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = dir.path().join("logs");
    let (cap, keep) = (300_u64, 3_usize);
    let file = LogFile::open(&folder, CLI, cap, keep).expect("opens");
    let lines: Vec<String> = (0..60)
        .map(|n| format!("line {n:03} of the test"))
        .collect();
    for line in &lines {
        write(&file, line);
    }

    let files = files_in(&folder);
    assert_eq!(
        files.len(),
        keep + 1,
        "the file being written and {keep} closed ones: {files:?}"
    );
    let longest_line = text(&current_file(&folder, CLI))
        .lines()
        .map(|l| l.len() as u64 + 1)
        .max()
        .expect("the current file has lines");
    for path in &files {
        let name = path.file_name().and_then(|n| n.to_str()).expect("name");
        assert!(
            name.starts_with("hadir-cli_r") && name.ends_with(".log"),
            "{name}"
        );
        let size = std::fs::metadata(path).expect("size").len();
        assert!(
            size <= cap + longest_line,
            "{name} is {size} bytes: a file is closed once it passes {cap}"
        );
    }
    let kept: String = files.iter().map(|path| text(path)).collect();
    assert!(
        kept.contains("line 059 "),
        "the newest line is kept: {files:?}"
    );
    assert!(
        !kept.contains("line 000 "),
        "the oldest file was deleted: {files:?}"
    );
}

#[test]
fn a_file_from_an_earlier_day_is_closed_and_todays_is_continued() {
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = dir.path().join("logs");
    std::fs::create_dir_all(&folder).expect("folder");
    let current = current_file(&folder, KIOSK);
    std::fs::write(&current, "written two days ago\n").expect("old file");
    let two_days_ago = SystemTime::now() - Duration::from_secs(48 * 3600);
    std::fs::File::options()
        .write(true)
        .open(&current)
        .and_then(|f| f.set_modified(two_days_ago))
        .expect("set the last write back");

    let file = LogFile::open(&folder, KIOSK, 1 << 20, 3).expect("opens");
    write(&file, "written today");
    drop(file);
    let old_day = jiff::Timestamp::try_from(two_days_ago)
        .expect("time")
        .to_zoned_datetime(jiff::tz::TimeZone::system())
        .strftime("hadir-kiosk_r%Y-%m-%d_")
        .to_string();
    let closed: Vec<PathBuf> = files_in(&folder)
        .into_iter()
        .filter(|p| p.to_string_lossy().contains(&old_day))
        .collect();
    assert_eq!(
        closed.len(),
        1,
        "yesterday's file, named by its day: {closed:?}"
    );
    assert_eq!(text(&closed[0]), "written two days ago\n");
    assert!(
        !text(&current).contains("two days ago"),
        "a new day, a new file"
    );

    let again = LogFile::open(&folder, KIOSK, 1 << 20, 3).expect("opens again");
    write(&again, "written today, later");
    let today = text(&current);
    assert!(
        today.contains("written today") && today.contains("written today, later"),
        "a second start on the same day writes on in the same file: {today}"
    );
}

#[test]
fn a_folder_that_cannot_be_created_is_an_error_naming_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let not_a_folder = dir.path().join("data");
    std::fs::write(&not_a_folder, "a file where the data folder should be").expect("file");
    let error = LogFile::open(&not_a_folder.join("logs"), CLI, 1 << 20, 3)
        .expect_err("no folder can be made inside a file");
    assert_eq!(error.code(), "io_failed");
    assert!(error.to_string().contains("log folder"), "{error}");
}
