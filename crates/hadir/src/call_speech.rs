//! What the waiting-room display says for a call: the ordered audio clips of
//! "Nomor antrian P nol nol tiga, silakan ke loket dua" (or "Number P zero zero three, please go
//! to counter two"), composed at run time from clips shipped in `assets/calls/`.
//!
//! The clips are made by `scripts/make-call-clips.sh` (espeak-ng and sox): a chime shared by
//! both languages, and per language the two phrases, the letters A-Z and the digits 0-9. A call
//! is spelled out as printed: each letter of the queue by its name and each digit of the number,
//! leading zeros included ("P-003" is "P nol nol tiga"), the way the ticket reads. The counter
//! number is read digit by digit as well ("loket satu dua" for counter 12): it needs no clips
//! beyond the ten digits in each language, and offices rarely have more than nine counters.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::model::Language;

/// One clip of a spoken call; [`Clip::path`] names its file under `assets/calls/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clip {
    /// The two-note chime before every call, the same in both languages.
    Chime,
    /// A word or phrase in one language.
    Spoken(Language, Word),
}

/// What a spoken clip says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Word {
    /// "nomor antrian" / "number".
    TicketNumber,
    /// "silakan ke loket" / "please go to counter".
    GoToCounter,
    /// A capital letter `A`-`Z`, read by its name in the language (`P` is "pe" / "pee").
    Letter(char),
    /// A digit 0-9 as a word ("nol" ... "sembilan" / "zero" ... "nine").
    Digit(u8),
}

impl Clip {
    /// The clip's file, relative to `assets/calls/`: `chime.wav`, `id/ticket_number.wav`,
    /// `en/letter_p.wav`, `id/digit_0.wav`. The names say what a clip means, not its words, so
    /// a call is composed the same way in every language.
    pub fn path(&self) -> String {
        match *self {
            Clip::Chime => "chime.wav".to_owned(),
            Clip::Spoken(language, word) => {
                let name = match word {
                    Word::TicketNumber => "ticket_number".to_owned(),
                    Word::GoToCounter => "go_to_counter".to_owned(),
                    Word::Letter(letter) => format!("letter_{}", letter.to_ascii_lowercase()),
                    Word::Digit(digit) => format!("digit_{digit}"),
                };
                format!("{}/{name}.wav", language.code())
            }
        }
    }
}

impl fmt::Display for Clip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.path())
    }
}

/// A clip reaches the page as its path, which the page plays from the clips' folder.
impl Serialize for Clip {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.path())
    }
}

/// The clips of one call, in the order they are played: the chime, "nomor antrian", the
/// label's letters and digits, "silakan ke loket", the counter's digits.
///
/// `label` is a ticket label as printed (`P-003`, see [`crate::queue::ticket_label`]): the
/// queue's letters (any case), an optional `-` (a pause the clips already leave), the number's
/// digits. `None` for anything else, which Hadir never prints (`[queues]` letters are 1 to 3
/// capitals): the display then shows the call without speaking it, rather than say part of a
/// number or a wrong one.
pub fn call_clips(label: &str, counter: u32, language: Language) -> Option<Vec<Clip>> {
    // Counting ASCII bytes keeps the split on a character boundary.
    let letter_count = label.bytes().take_while(u8::is_ascii_alphabetic).count();
    let (queue, rest) = label.split_at(letter_count);
    let number = rest.strip_prefix('-').unwrap_or(rest);
    if queue.is_empty() || number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let spoken = |word| Clip::Spoken(language, word);
    let mut clips = vec![Clip::Chime, spoken(Word::TicketNumber)];
    clips.extend(
        queue
            .chars()
            .map(|c| spoken(Word::Letter(c.to_ascii_uppercase()))),
    );
    clips.extend(number.chars().map(|c| spoken(digit_word(c))));
    clips.push(spoken(Word::GoToCounter));
    clips.extend(counter.to_string().chars().map(|c| spoken(digit_word(c))));
    Some(clips)
}

fn digit_word(digit: char) -> Word {
    // Only called with ASCII digits, whose distance from '0' is 0-9.
    Word::Digit(digit as u8 - b'0')
}

/// Every clip [`call_clips`] can ask for, in both languages: what `assets/calls/` must hold.
pub fn every_clip() -> Vec<Clip> {
    let mut clips = vec![Clip::Chime];
    for language in [Language::Id, Language::En] {
        let words = [Word::TicketNumber, Word::GoToCounter]
            .into_iter()
            .chain(('A'..='Z').map(Word::Letter))
            .chain((0..=9).map(Word::Digit));
        clips.extend(words.map(|word| Clip::Spoken(language, word)));
    }
    clips
}

#[cfg(test)]
mod tests;
