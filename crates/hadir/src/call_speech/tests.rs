use std::collections::BTreeSet;
use std::path::PathBuf;

use super::*;

fn paths(clips: &[Clip]) -> Vec<String> {
    clips.iter().map(Clip::path).collect()
}

#[test]
fn a_call_in_bahasa_indonesia_is_spelled_as_printed() {
    // "Nomor antrian P nol nol tiga, silakan ke loket dua".
    let clips = call_clips("P-003", 2, Language::Id).expect("a printed label is spoken");
    assert_eq!(
        paths(&clips),
        [
            "chime.wav",
            "id/ticket_number.wav",
            "id/letter_p.wav",
            "id/digit_0.wav",
            "id/digit_0.wav",
            "id/digit_3.wav",
            "id/go_to_counter.wav",
            "id/digit_2.wav",
        ]
    );
}

#[test]
fn a_call_in_english_uses_the_english_clips_in_the_same_order() {
    let clips = call_clips("A-120", 5, Language::En).expect("a printed label is spoken");
    assert_eq!(
        paths(&clips),
        [
            "chime.wav",
            "en/ticket_number.wav",
            "en/letter_a.wav",
            "en/digit_1.wav",
            "en/digit_2.wav",
            "en/digit_0.wav",
            "en/go_to_counter.wav",
            "en/digit_5.wav",
        ]
    );
}

#[test]
fn counters_above_nine_are_read_digit_by_digit() {
    let clips = call_clips("B-001", 12, Language::Id).expect("spoken");
    assert_eq!(
        paths(&clips[clips.len() - 3..]),
        ["id/go_to_counter.wav", "id/digit_1.wav", "id/digit_2.wav"]
    );
}

#[test]
fn every_letter_of_a_longer_queue_and_a_number_past_999_are_spoken() {
    let clips = call_clips("PR-1000", 1, Language::Id).expect("spoken");
    assert_eq!(
        paths(&clips[2..8]),
        [
            "id/letter_p.wav",
            "id/letter_r.wav",
            "id/digit_1.wav",
            "id/digit_0.wav",
            "id/digit_0.wav",
            "id/digit_0.wav",
        ]
    );
    // A typed lower-case label reads the same as the printed one.
    assert_eq!(call_clips("pr-1000", 1, Language::Id), Some(clips));
}

#[test]
fn a_label_hadir_never_prints_is_not_spoken_in_part() {
    for label in [
        "",
        "P",
        "P-",
        "-003",
        "003",
        "P-0O3",
        "P--003",
        "P 003",
        "P-003 ",
        "É-001",
        "P-００３",
    ] {
        assert_eq!(call_clips(label, 1, Language::Id), None, "{label:?}");
    }
}

#[test]
fn clips_reach_the_page_as_their_paths() {
    let clips = call_clips("C-007", 3, Language::En).expect("spoken");
    let json = serde_json::to_value(&clips).expect("clips serialise");
    assert_eq!(json[0], "chime.wav");
    assert_eq!(json[2], "en/letter_c.wav");
}

#[test]
fn every_clip_lists_each_clip_once_and_covers_any_call() {
    let every: BTreeSet<String> = paths(&every_clip()).into_iter().collect();
    assert_eq!(every.len(), every_clip().len(), "no clip listed twice");
    // 1 chime + 2 languages x (2 phrases + 26 letters + 10 digits).
    assert_eq!(every.len(), 1 + 2 * (2 + 26 + 10));
    for language in [Language::Id, Language::En] {
        for letter in 'A'..='Z' {
            let label = format!("{letter}-0123456789");
            for clip in call_clips(&label, 1_234_567_890, language).expect("spoken") {
                assert!(every.contains(&clip.path()), "{clip} is not in every_clip");
            }
        }
    }
}

#[test]
fn every_clip_is_shipped_as_a_small_mono_wav_file() {
    let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../assets/calls");
    for clip in every_clip() {
        let file = folder.join(clip.path());
        let bytes = std::fs::read(&file).unwrap_or_else(|e| {
            panic!(
                "{} missing ({e}): run scripts/make-call-clips.sh",
                file.display()
            )
        });
        // RIFF/WAVE with a PCM "fmt " chunk first, as the script writes it: mono, 16-22 kHz.
        assert!(bytes.len() > 44, "{clip} is empty");
        assert_eq!(&bytes[0..4], b"RIFF", "{clip} is not RIFF");
        assert_eq!(&bytes[8..12], b"WAVE", "{clip} is not WAVE");
        let channels = u16::from_le_bytes([bytes[22], bytes[23]]);
        let rate = u32::from_le_bytes([bytes[24], bytes[25], bytes[26], bytes[27]]);
        assert_eq!(channels, 1, "{clip} is not mono");
        assert!((16_000..=22_050).contains(&rate), "{clip} at {rate} Hz");
        assert!(bytes.len() < 100_000, "{clip} is {} bytes", bytes.len());
    }
}
