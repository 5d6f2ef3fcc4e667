//! Where in the file a mistake is: the kind, line and key of a [`ConfigFault`], from a TOML
//! parser error or from the key a check refused.

use crate::error::{ConfigFault, ConfigFaultKind};

/// Which kind of mistake a serde error is, by the standard phrases serde's own errors start
/// with (`serde::de::Error::unknown_field`, `invalid_type`, ...).
pub(super) fn kind_of(message: &str) -> ConfigFaultKind {
    if message.starts_with("unknown field") {
        ConfigFaultKind::UnknownKey
    } else if message.starts_with("invalid type") {
        ConfigFaultKind::WrongType
    } else {
        ConfigFaultKind::BadValue
    }
}

/// The fault of a parser error: its line and the key on that line, when it points at one.
pub(super) fn fault_at(text: &str, error: &toml::de::Error, kind: ConfigFaultKind) -> ConfigFault {
    let (line, key) = match error.span() {
        Some(span) => {
            let (line, key) = locate(text, span.start);
            (Some(line), key)
        }
        None => (None, None),
    };
    ConfigFault {
        kind,
        line,
        key,
        problem: error.message().trim().to_owned(),
    }
}

/// The line of a byte offset in the file, and the dotted key written on that line, if any.
fn locate(text: &str, offset: usize) -> (usize, Option<String>) {
    let offset = offset.min(text.len());
    let line_no = text[..offset].matches('\n').count() + 1;
    let mut section = String::new();
    let mut key = String::new();
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            section = trimmed.trim_matches(['[', ']', ' ']).to_string();
        }
        if index + 1 == line_no {
            if let Some((name, _)) = trimmed.split_once('=') {
                key = name.trim().trim_matches('"').to_string();
            }
            break;
        }
    }
    let key = match (key.is_empty(), section.is_empty()) {
        (true, _) => None,
        (false, true) => Some(key),
        (false, false) => Some(format!("{section}.{key}")),
    };
    (line_no, key)
}

/// The fault of a value the validator refused: the line that sets `dotted` (a `section.key`, a
/// top-level key, or a whole `[section]`), or no line when the file leaves it at its default.
pub(super) fn fault_of_key(text: &str, dotted: &str, problem: String) -> ConfigFault {
    let (section, key) = dotted.split_once('.').unwrap_or(("", dotted));
    let mut current = String::new();
    let mut found = None;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            current = trimmed.trim_matches(['[', ']', ' ']).to_string();
            if section.is_empty() && current == key {
                found = Some((index + 1, format!("[{key}]")));
                break;
            }
        } else if current == section {
            let sets_key = trimmed
                .split_once('=')
                .is_some_and(|(name, _)| name.trim().trim_matches('"') == key);
            if sets_key {
                found = Some((index + 1, dotted.to_owned()));
                break;
            }
        }
    }
    let (line, key) = match found {
        Some((line, key)) => (Some(line), key),
        None => (None, dotted.to_owned()),
    };
    ConfigFault {
        kind: ConfigFaultKind::BadValue,
        line,
        key: Some(key),
        problem,
    }
}
