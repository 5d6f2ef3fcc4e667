//! The kiosk's two languages, Bahasa Indonesia first.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Id,
    En,
}

impl Language {
    /// `id` or `en`, as the screens' text files are named.
    pub fn code(self) -> &'static str {
        match self {
            Language::Id => "id",
            Language::En => "en",
        }
    }

    /// From `id` or `en`.
    pub fn from_code(code: &str) -> Option<Language> {
        match code.trim() {
            "id" => Some(Language::Id),
            "en" => Some(Language::En),
            _ => None,
        }
    }
}
