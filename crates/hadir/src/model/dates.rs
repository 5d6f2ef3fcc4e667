//! Dates as people write them at the office: `29-11-2026` (day first, as Indonesians write
//! dates and as the staff screen's number pad enters them) and the ISO `2026-11-29` the feed,
//! files and the CLI use. One reader, so the kiosk, the CLI and the tests agree on what a typed
//! date means.

use jiff::civil::Date;

/// Characters of a date as the staff screen enters it (`DD-MM-YYYY`): its fields take no more.
pub const ENTRY_CHARS: usize = 10;

/// The date a person typed, or `None` if it is not a real calendar date in one of the forms:
/// `DD-MM-YYYY` (day and month may have one digit, `-`, `/` or `.` between the parts),
/// `YYYY-MM-DD`, or eight digits `DDMMYYYY`. Spaces around the text are ignored.
pub fn parse_entered_date(text: &str) -> Option<Date> {
    let text = text.trim();
    if text.len() > 2 * ENTRY_CHARS {
        return None;
    }
    if text.len() == 8 && text.bytes().all(|b| b.is_ascii_digit()) {
        return day_month_year(&text[0..2], &text[2..4], &text[4..8]);
    }
    let parts: Vec<&str> = text.split(['-', '/', '.']).collect();
    let [a, b, c] = parts[..] else {
        return None;
    };
    if a.len() == 4 {
        day_month_year(c, b, a)
    } else {
        day_month_year(a, b, c)
    }
}

fn day_month_year(day: &str, month: &str, year: &str) -> Option<Date> {
    let number = |text: &str, digits: std::ops::RangeInclusive<usize>| {
        let well_formed = digits.contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit());
        well_formed.then(|| text.parse::<i16>().ok()).flatten()
    };
    let day = number(day, 1..=2)?;
    let month = number(month, 1..=2)?;
    let year = number(year, 4..=4)?;
    Date::new(year, i8::try_from(month).ok()?, i8::try_from(day).ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_first_iso_and_bare_digits_read_as_the_same_day() {
        let day = jiff::civil::date(2026, 11, 29);
        for typed in [
            "29-11-2026",
            "29/11/2026",
            "29.11.2026",
            " 29-11-2026 ",
            "2026-11-29",
            "29112026",
        ] {
            assert_eq!(parse_entered_date(typed), Some(day), "{typed:?}");
        }
        assert_eq!(
            parse_entered_date("1-2-1990"),
            Some(jiff::civil::date(1990, 2, 1)),
            "one-digit day and month"
        );
    }

    #[test]
    fn impossible_or_unclear_dates_are_refused() {
        for typed in [
            "",
            "31-02-2026",
            "29-13-2026",
            "00-11-2026",
            "2026-29-11",
            "29-11-26",
            "29-11",
            "29-11-2026-1",
            "2911202",
            "29 11 2026",
            "+1-11-2026",
            "aa-bb-cccc",
            "29-11-２０２６",
        ] {
            assert_eq!(parse_entered_date(typed), None, "{typed:?}");
        }
    }

    #[test]
    fn a_leap_day_exists_only_in_leap_years() {
        assert_eq!(
            parse_entered_date("29-02-2028"),
            Some(jiff::civil::date(2028, 2, 29))
        );
        assert_eq!(parse_entered_date("29-02-2026"), None);
    }

    #[test]
    fn the_entry_form_fits_its_field() {
        assert_eq!("29-11-2026".len(), ENTRY_CHARS);
    }
}
