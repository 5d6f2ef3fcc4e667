//! The queue numbers reserved per day and counter, kept in a small file beside the store
//! (`hadir-numbers.txt`), outside the database.
//!
//! A restored backup knows only the numbers issued before it was taken; tickets printed since
//! are in the lost file only. So before a number is committed, the file must already cover it:
//! the first number past the mark moves the mark [`BLOCK`] numbers on and writes the file
//! durably (written whole under a temporary name, synced, renamed, the folder synced), inside
//! the check-in's transaction, so a check-in whose mark could not be written is not committed.
//! One durable write per block keeps the cost off all but every [`BLOCK`]th check-in. After a
//! restore, each counter resumes above its mark ([`super::Store::raise_counters_to_marks`]):
//! at most `BLOCK - 1` numbers are skipped, none is issued twice.
//!
//! Several processes may number from one store (the kiosk, `hadir checkin` beside it): each
//! holds the store's write lock while it checks or moves a mark, and a write keeps the higher
//! of its own and the file's mark, so the file only ever grows.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// File name of the marks, in the store's folder.
pub const NUMBER_MARKS_FILE_NAME: &str = "hadir-numbers.txt";

/// Numbers reserved at once: one durable file write per this many numbers of a counter.
pub const BLOCK: i64 = 20;

/// Days of marks the file keeps (the newest ones): numbers are per day, only today's matter,
/// and a few more cover a clock set back across midnight.
const DAYS_KEPT: usize = 8;

/// `(office date, counter)`: the counter is a queue letter, or a queue's offline block.
type Key = (String, String);

#[derive(Debug)]
pub(super) struct NumberMarks {
    /// `None` for a store with no folder (`:memory:`): nothing to keep.
    path: Option<PathBuf>,
    /// What this process last read or wrote; `None` until the first check-in needs it.
    reserved: Option<BTreeMap<Key, i64>>,
    /// `false` only for benchmarks that report the cost of fsync apart
    /// ([`super::Store::without_fsync_for_benchmarks`]).
    durable: bool,
}

impl NumberMarks {
    /// The marks of the store file at `store_path` (read when first needed).
    pub(super) fn beside(store_path: &Path) -> NumberMarks {
        let path = store_path
            .parent()
            .filter(|dir| !dir.as_os_str().is_empty())
            .map(|dir| dir.join(NUMBER_MARKS_FILE_NAME));
        NumberMarks {
            path,
            reserved: None,
            durable: true,
        }
    }

    /// The marks file, when the store has a folder.
    pub(super) fn file(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Writes the file without syncing it (benchmarks only, as the store's own pragma).
    pub(super) fn without_fsync_for_benchmarks(&mut self) {
        self.durable = false;
    }

    /// Makes sure the file covers `number` of `counter` on `date` before it is committed
    /// (called inside the check-in's transaction, holding the store's write lock).
    pub(super) fn cover(&mut self, date: &str, counter: &str, number: i64) -> Result<()> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        let key = (date.to_owned(), counter.to_owned());
        let known = self
            .reserved
            .get_or_insert_with(|| read_marks(path))
            .get(&key)
            .copied();
        if known.is_some_and(|mark| number <= mark) {
            return Ok(());
        }
        // Another process may have moved the mark: read the file again before writing it.
        let mut reserved = read_marks(path);
        let on_file = reserved.get(&key).copied().unwrap_or(0);
        if number > on_file {
            reserved.insert(key, number + BLOCK - 1);
            keep_newest_days(&mut reserved);
            write_marks(path, &reserved, self.durable)?;
        }
        self.reserved = Some(reserved);
        Ok(())
    }

    /// Moves the mark of each of `counters` (with its last committed number on `date`) a
    /// block ahead when less than half a block is left, so that the check-in which would pass
    /// it finds it already on disk: the durable write happens here, while nobody waits, instead
    /// of inside an applicant's check-in. The bound stays that of [`Self::cover`]: a mark is
    /// set at most `BLOCK - 1` above a committed number. Called holding the store's write lock;
    /// returns whether the file was written. Leaves `reserved` as it is: the next `cover` that
    /// passes it reads the file again and finds the number covered.
    pub(super) fn reserve_ahead(&self, date: &str, counters: &[(String, i64)]) -> Result<bool> {
        let Some(path) = &self.path else {
            return Ok(false);
        };
        let mut reserved = read_marks(path);
        let mut moved = false;
        for (counter, last) in counters {
            let key = (date.to_owned(), counter.clone());
            let on_file = reserved.get(&key).copied().unwrap_or(0);
            if on_file - last < BLOCK / 2 {
                reserved.insert(key, on_file.max(last + BLOCK - 1));
                moved = true;
            }
        }
        if moved {
            keep_newest_days(&mut reserved);
            write_marks(path, &reserved, self.durable)?;
        }
        Ok(moved)
    }
}

/// The marks in the file `path`; none when there is no file. A line that cannot be read is
/// skipped (logged): the store's own counters still hold every committed number.
pub(super) fn read_marks(path: &Path) -> BTreeMap<Key, i64> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return BTreeMap::new(),
        Err(e) => {
            log::warn!("number marks {} not read: {e}", path.display());
            return BTreeMap::new();
        }
    };
    let mut marks = BTreeMap::new();
    for line in text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let mark = match fields[..] {
            [date, counter, mark] => mark.parse::<i64>().ok().map(|mark| (date, counter, mark)),
            _ => None,
        };
        match mark {
            Some((date, counter, mark)) => {
                let entry = marks
                    .entry((date.to_owned(), counter.to_owned()))
                    .or_insert(0);
                *entry = mark.max(*entry);
            }
            None => log::warn!("number marks {}: line {line:?} skipped", path.display()),
        }
    }
    marks
}

fn keep_newest_days(marks: &mut BTreeMap<Key, i64>) {
    let mut days: Vec<String> = marks.keys().map(|(date, _)| date.clone()).collect();
    days.dedup(); // keys are sorted by date first
    if days.len() > DAYS_KEPT {
        let first_kept = days[days.len() - DAYS_KEPT].clone();
        marks.retain(|(date, _), _| *date >= first_kept);
    }
}

/// Writes the whole file under a temporary name, syncs it, renames it over the old one and
/// syncs the folder, so that the file on disk is always one complete version.
fn write_marks(path: &Path, marks: &BTreeMap<Key, i64>, durable: bool) -> Result<()> {
    let mut text = String::from(
        "# Hadir: queue numbers reserved per office day and counter. A restored store resumes\n\
         # above these (docs/reliability.md). Written by the kiosk; do not edit.\n",
    );
    for ((date, counter), mark) in marks {
        text.push_str(&format!("{date} {counter} {mark}\n"));
    }
    let temporary = path.with_extension("txt.part");
    let io_error = |e| Error::io(format!("cannot write number marks {}", path.display()), e);
    // Opened for reading too: a tool that copies each file as it is synced (the power-cut
    // test's shim) reads it through this handle.
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .open(&temporary)
        .map_err(io_error)?;
    file.write_all(text.as_bytes()).map_err(io_error)?;
    if durable {
        file.sync_all().map_err(io_error)?;
    }
    drop(file);
    std::fs::rename(&temporary, path).map_err(io_error)?;
    if durable {
        sync_folder_of(path)?;
    }
    Ok(())
}

/// Makes a file just created or renamed in `path`'s folder durable (Unix: fsync of the folder;
/// Windows has no such call for a folder, its file system journals the rename).
pub fn sync_folder_of(path: &Path) -> Result<()> {
    #[cfg(unix)]
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::File::open(dir)
            .and_then(|folder| folder.sync_all())
            .map_err(|e| Error::io(format!("cannot sync folder {}", dir.display()), e))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marks_in(dir: &Path) -> NumberMarks {
        NumberMarks::beside(&dir.join(super::super::STORE_FILE_NAME))
    }

    #[test]
    fn a_mark_moves_a_block_ahead_only_when_a_number_passes_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join(NUMBER_MARKS_FILE_NAME);
        let mut marks = marks_in(dir.path());
        marks.cover("2026-11-29", "A", 1).expect("covers");
        assert_eq!(read_marks(&file)[&("2026-11-29".into(), "A".into())], BLOCK);
        std::fs::remove_file(&file).expect("removed");
        for number in 2..=BLOCK {
            marks.cover("2026-11-29", "A", number).expect("covers");
        }
        assert!(!file.exists(), "numbers inside the block write nothing");
        marks.cover("2026-11-29", "A", BLOCK + 1).expect("covers");
        assert_eq!(
            read_marks(&file)[&("2026-11-29".into(), "A".into())],
            2 * BLOCK
        );
    }

    #[test]
    fn a_mark_another_process_wrote_is_kept_and_never_lowered() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join(NUMBER_MARKS_FILE_NAME);
        let mut ours = marks_in(dir.path());
        let mut theirs = marks_in(dir.path());
        ours.cover("2026-11-29", "A", 1).expect("covers");
        theirs.cover("2026-11-29", "A", 60).expect("covers"); // their copy read ours first
        ours.cover("2026-11-29", "A", 21).expect("covers");
        assert_eq!(
            read_marks(&file)[&("2026-11-29".into(), "A".into())],
            60 + BLOCK - 1,
            "the higher mark stays"
        );
    }

    #[test]
    fn only_the_newest_days_stay_and_a_bad_line_is_skipped() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join(NUMBER_MARKS_FILE_NAME);
        std::fs::write(&file, "2026-11-01 A 5\nnot a mark\n2026-11-02 B x\n").expect("write");
        let mut marks = marks_in(dir.path());
        for day in 10..20 {
            marks
                .cover(&format!("2026-11-{day}"), "A", 1)
                .expect("covers");
        }
        let kept = read_marks(&file);
        let days: std::collections::BTreeSet<&str> =
            kept.keys().map(|(date, _)| date.as_str()).collect();
        assert_eq!(days.len(), DAYS_KEPT, "{kept:?}");
        assert!(days.contains("2026-11-19") && !days.contains("2026-11-01"));
    }

    #[test]
    fn reserving_ahead_moves_only_marks_near_their_count_and_saves_the_checkin_a_write() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join(NUMBER_MARKS_FILE_NAME);
        let mut marks = marks_in(dir.path());
        marks.cover("2026-11-29", "A", 1).expect("covers");
        marks.cover("2026-11-29", "B", 1).expect("covers");
        let counters = [("A".to_owned(), BLOCK - 5), ("B".to_owned(), 1)];
        assert!(marks
            .reserve_ahead("2026-11-29", &counters)
            .expect("writes"));
        let on_file = read_marks(&file);
        assert_eq!(on_file[&("2026-11-29".into(), "A".into())], 2 * BLOCK - 6);
        assert_eq!(
            on_file[&("2026-11-29".into(), "B".into())],
            BLOCK,
            "B has most of its block left"
        );
        assert!(
            !marks.reserve_ahead("2026-11-29", &counters).expect("reads"),
            "nothing to move twice"
        );
        // Any write of the file would drop this line (it writes its own header).
        let marked = format!(
            "{}# untouched\n",
            std::fs::read_to_string(&file).expect("reads")
        );
        std::fs::write(&file, &marked).expect("writes");
        for number in BLOCK - 4..=2 * BLOCK - 6 {
            marks.cover("2026-11-29", "A", number).expect("covers");
        }
        assert_eq!(
            std::fs::read_to_string(&file).expect("reads"),
            marked,
            "the numbers reserved ahead write nothing"
        );
        marks
            .cover("2026-11-29", "A", 2 * BLOCK - 5)
            .expect("covers");
        assert_ne!(std::fs::read_to_string(&file).expect("reads"), marked);
    }

    #[test]
    fn a_store_without_a_folder_keeps_no_file() {
        let mut marks = NumberMarks::beside(Path::new(":memory:"));
        marks.cover("2026-11-29", "A", 1).expect("nothing to write");
    }
}
