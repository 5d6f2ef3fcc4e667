//! What exports, tickets and logs show of a person or a booking: enough to tell rows apart and
//! for an applicant to recognise their own, too little for a bystander.

use super::booking_code::is_booking_code;

/// `MARIA GORETI FERNANDES` -> `MARIA G*** F***`: enough for the applicant to recognise their
/// ticket, too little for a bystander to learn who came. A one-word name (common in Indonesia)
/// has no later words to reduce, so its own tail is hidden: `YOSEF` -> `YOS***`.
pub fn mask_name(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    match words.as_slice() {
        [] => String::new(),
        [only] => mask_single_word(only),
        [first, rest @ ..] => {
            let mut masked = (*first).to_owned();
            for word in rest {
                if let Some(initial) = word.chars().next() {
                    masked.push(' ');
                    masked.push(initial);
                    masked.push_str("***");
                }
            }
            masked
        }
    }
}

/// Letters a one-word name keeps: at most three and never more than half (rounded up), so a
/// short name like `ANI` shows `AN***` and even `LI` keeps something to recognise (`L***`).
const SINGLE_WORD_KEPT_LETTERS: usize = 3;

fn mask_single_word(word: &str) -> String {
    let letters = word.chars().count();
    let kept = letters.div_ceil(2).min(SINGLE_WORD_KEPT_LETTERS);
    let mut masked: String = word.chars().take(kept).collect();
    masked.push_str("***");
    masked
}

/// A booking code as exports show it by default: the first four and last two characters
/// (`MPAB****12`), enough to tell rows apart and match a complaint, not to look a booking up.
pub fn mask_booking_code(code: &str) -> String {
    let chars: Vec<char> = code.chars().collect();
    if chars.len() <= 6 {
        return "*".repeat(chars.len());
    }
    let hidden = chars.len() - 6;
    let mut masked: String = chars[..4].iter().collect();
    masked.push_str(&"*".repeat(hidden));
    masked.extend(&chars[chars.len() - 2..]);
    masked
}

/// Free text (an audit target, a staff reason) with every run of letters and digits that is a
/// booking code masked, whatever separates it from the rest (space, comma, slash, newline).
pub fn mask_codes_in(text: &str) -> String {
    let mut masked = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, masked: &mut String| {
        if is_booking_code(word) {
            masked.push_str(&mask_booking_code(word));
        } else {
            masked.push_str(word);
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            word.push(c);
        } else {
            flush(&mut word, &mut masked);
            masked.push(c);
        }
    }
    flush(&mut word, &mut masked);
    masked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_masked_after_the_first_word() {
        assert_eq!(mask_name("MARIA GORETI FERNANDES"), "MARIA G*** F***");
        assert_eq!(mask_name("  "), "");
    }

    #[test]
    fn a_one_word_name_is_masked_too() {
        assert_eq!(mask_name("YOSEF"), "YOS***");
        assert_eq!(mask_name("  SUHARTO "), "SUH***");
        assert_eq!(mask_name("ANI"), "AN***");
        assert_eq!(mask_name("LI"), "L***");
        assert_eq!(mask_name("X"), "X***");
        // Letters, not bytes: a name with accents or another script is cut between letters.
        assert_eq!(mask_name("ÉLODIE"), "ÉLO***");
        for name in ["YOSEF", "ANI", "LI", "ÉLODIE", "MARIA"] {
            assert_ne!(mask_name(name), name, "{name} must not be shown whole");
        }
    }

    #[test]
    fn exports_mask_booking_codes_also_inside_free_text() {
        assert_eq!(mask_booking_code("MPAB123412"), "MPAB****12");
        assert_eq!(mask_booking_code("MPSTORM000001"), "MPST*******01");
        assert_eq!(
            mask_codes_in("code MPAB123412, checked A-001 (MPCD98765432)"),
            "code MPAB****12, checked A-001 (MPCD******32)"
        );
        assert_eq!(mask_codes_in("name + birth date"), "name + birth date");
        assert_eq!(
            mask_codes_in("MPAB123412,MPCD98765432/MPEF11112222\nA-001"),
            "MPAB****12,MPCD******32/MPEF******22\nA-001"
        );
    }
}
