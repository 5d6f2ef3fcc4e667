//! `HH:MM` office-local times, as the contract writes them (serde `with` module and plain
//! format/parse).

use jiff::civil::Time;
use serde::{Deserialize, Deserializer, Serializer};

pub fn serialize<S: Serializer>(time: &Time, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&format(*time))
}

pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Time, D::Error> {
    let text = String::deserialize(deserializer)?;
    parse(&text).ok_or_else(|| serde::de::Error::custom(format!("{text:?} is not HH:MM")))
}

pub fn format(time: Time) -> String {
    format!("{:02}:{:02}", time.hour(), time.minute())
}

pub fn parse(text: &str) -> Option<Time> {
    let (h, m) = text.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    Time::new(h.parse().ok()?, m.parse().ok()?, 0, 0).ok()
}

#[cfg(test)]
mod tests {
    use jiff::civil::Time;

    #[test]
    fn hh_mm_is_strict() {
        assert_eq!(super::parse("08:05"), Time::new(8, 5, 0, 0).ok());
        assert_eq!(super::parse("8:05"), None);
        assert_eq!(super::parse("24:00"), None);
        assert_eq!(
            super::format(Time::new(9, 0, 0, 0).expect("valid")),
            "09:00"
        );
    }
}
