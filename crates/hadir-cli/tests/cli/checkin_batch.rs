//! `hadir checkin --stdin` in a script (issue #20): every line is answered, a line that is not
//! text (not UTF-8, a NUL) is `malformed` and the batch goes on, the exit status says whether
//! everyone was admitted, the admin reads the front desk's words (not the applicant's), and a
//! reader that stops early ends the batch quietly.

use std::io::{BufRead, BufReader};
use std::process::{Output, Stdio};

use hadir::model::Language;
use serde_json::{json, Value};

use crate::common::{self, stdout_json, AT};

/// A kiosk with the demo day of [`AT`] and the demo's codes that check someone in.
struct Kiosk {
    kiosk: common::TempKiosk,
    ok_codes: Vec<String>,
}

impl Kiosk {
    fn new() -> Kiosk {
        let kiosk = common::TempKiosk::new("id = \"K9\"", "");
        let output = kiosk
            .hadir(AT)
            .args(["demo", "--json"])
            .output()
            .expect("hadir runs");
        assert!(output.status.success(), "{}", common::stderr(&output));
        let ok_codes: Vec<String> = stdout_json(&output)
            .as_array()
            .expect("codes to try")
            .iter()
            .filter(|c| c["expect"] == "ok")
            .filter_map(|c| c["booking_code"].as_str().map(str::to_owned))
            .collect();
        assert!(ok_codes.len() >= 3, "the demo has three codes that admit");
        Kiosk { kiosk, ok_codes }
    }

    /// `hadir checkin --stdin` fed `input`, and its answers, one JSON value per line.
    fn batch(&self, input: &[u8]) -> (Output, Vec<Value>) {
        let mut command = self.kiosk.hadir(AT);
        command.args(["checkin", "--stdin"]);
        let output = common::output_with_stdin(command, input);
        let answers = String::from_utf8_lossy(&output.stdout)
            .lines()
            .map(|line| {
                serde_json::from_str(line).unwrap_or_else(|e| {
                    panic!(
                        "one JSON answer per line ({e}): {line}\n{}",
                        common::stderr(&output)
                    )
                })
            })
            .collect();
        (output, answers)
    }

    fn checked_in_applicants(&self) -> i64 {
        self.kiosk
            .database()
            .query_row("SELECT COUNT(*) FROM tickets", [], |row| row.get(0))
            .expect("tickets counted")
    }
}

fn codes(answers: &[Value]) -> Vec<&str> {
    answers
        .iter()
        .map(|a| a["code"].as_str().unwrap_or("(no code)"))
        .collect()
}

fn no_panic(output: &Output) {
    let stderr = common::stderr(output);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_ne!(output.status.code(), Some(101), "{stderr}");
}

#[test]
fn a_line_that_is_not_text_is_malformed_and_the_batch_goes_on() {
    let kiosk = Kiosk::new();
    let [first, second, third] = [0, 1, 2].map(|i| kiosk.ok_codes[i].as_bytes());
    let mut input = Vec::new();
    input.extend_from_slice(first);
    input.extend_from_slice(b"\nMP\xff\xfe\x80ABC1\n"); // not UTF-8
    input.extend_from_slice(second);
    input.extend_from_slice(b"\r\n"); // a scanner's CR LF
    input.extend_from_slice(b"MP7Q\0J4KX2D\n"); // a NUL inside a code
    input.extend_from_slice(b"HADIR-TIKET:\0\n"); // a NUL after a ticket's prefix
    input.extend_from_slice(third); // the last line without its newline
    let (output, answers) = kiosk.batch(&input);
    no_panic(&output);
    assert_eq!(
        codes(&answers),
        ["ok", "malformed", "ok", "malformed", "malformed", "ok"],
        "{}",
        common::stderr(&output)
    );
    assert_eq!(
        output.status.code(),
        Some(3),
        "some lines were refused: {}",
        common::stderr(&output)
    );
    assert_eq!(
        kiosk.checked_in_applicants(),
        answers
            .iter()
            .map(|a| a["tickets"].as_array().map_or(0, Vec::len) as i64)
            .sum::<i64>(),
        "every reported ticket stored, nothing for the bad lines"
    );
}

#[test]
fn the_exit_status_says_whether_everyone_was_admitted() {
    let kiosk = Kiosk::new();
    let (empty, answers) = kiosk.batch(b"");
    assert_eq!(empty.status.code(), Some(0), "{}", common::stderr(&empty));
    assert!(answers.is_empty());

    let first = &kiosk.ok_codes[0];
    let admitted = format!("{first}\n{first}\n");
    let (output, answers) = kiosk.batch(admitted.as_bytes());
    assert_eq!(codes(&answers), ["ok", "already_checked_in"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "a number each time: {}",
        common::stderr(&output)
    );

    let one_refused = format!("{}\nMPZZZZZZZZ\n", kiosk.ok_codes[1]);
    let (output, answers) = kiosk.batch(one_refused.as_bytes());
    assert_eq!(codes(&answers), ["ok", "not_found"]);
    assert_eq!(
        output.status.code(),
        Some(3),
        "one line refused: {}",
        common::stderr(&output)
    );
}

/// The front desk's text for `key` in both languages, as the staff screen fills it.
fn staff_words(key: &str, params: &Value) -> Value {
    json!({
        "id": hadir::texts::text(Language::Id, key, params),
        "en": hadir::texts::text(Language::En, key, params),
    })
}

#[test]
fn the_admin_reads_the_front_desks_words_not_the_applicants() {
    let kiosk = Kiosk::new();
    let code = &kiosk.ok_codes[0];
    let (output, answers) = kiosk.batch(format!("{code}\n{code}\nMPZZZZZZZZ\n").as_bytes());
    assert_eq!(
        codes(&answers),
        ["ok", "already_checked_in", "not_found"],
        "{}",
        common::stderr(&output)
    );
    let label = answers[0]["tickets"][0]["label"].as_str().expect("a label");
    let printed = |lang| hadir::texts::text(lang, "staff.print.done", &json!({}));
    assert_eq!(
        answers[0]["message"],
        json!({
            "id": hadir::texts::text(Language::Id, "staff.checkin.done",
                &json!({"labels": label, "print": printed(Language::Id)})),
            "en": hadir::texts::text(Language::En, "staff.checkin.done",
                &json!({"labels": label, "print": printed(Language::En)})),
        })
    );
    assert_eq!(
        answers[1]["message"],
        staff_words(
            "staff.verdict.already_checked_in",
            &json!({ "labels": label })
        )
    );
    assert_eq!(
        answers[2]["message"],
        staff_words("staff.verdict.not_found", &json!({}))
    );
    for answer in &answers {
        let id = answer["message"]["id"]
            .as_str()
            .expect("words in Bahasa Indonesia");
        assert!(
            !id.is_empty() && !id.contains("Anda"),
            "not the applicant's: {id}"
        );
    }
}

#[test]
fn a_batch_stops_quietly_when_its_reader_goes_away() {
    let kiosk = Kiosk::new();
    // `hadir checkin --stdin < scans | head -1`: the reader takes one answer and leaves while
    // hundreds of scans are still to come.
    let mut input = format!("{}\n", kiosk.ok_codes[0]);
    input.push_str(&"MPZZZZZZZZ\n".repeat(400));
    let mut child = kiosk
        .kiosk
        .hadir(AT)
        .args(["checkin", "--stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("hadir runs");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || {
        // The batch may stop before it has read everything: a failed write here is expected.
        let _ = std::io::Write::write_all(&mut stdin, input.as_bytes());
    });
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut first)
        .expect("the first answer");
    // The reader is dropped here: the pipe is closed.
    let output = child.wait_with_output().expect("hadir ends");
    writer.join().expect("the writer thread ends");
    no_panic(&output);
    let answer: Value = serde_json::from_str(&first).expect("the first answer is JSON");
    assert_eq!(answer["code"], "ok");
    assert_eq!(
        output.status.code(),
        Some(141),
        "stopped at the closed pipe: {}",
        common::stderr(&output)
    );
    assert!(
        !common::stderr(&output).contains("hadir:"),
        "quietly, not as an error: {}",
        common::stderr(&output)
    );
    assert_eq!(
        kiosk.checked_in_applicants(),
        1,
        "the answered check-in stands"
    );
}
