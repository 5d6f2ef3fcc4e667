//! Every text a person reads has one source, `ui/i18n/id.json` and `en.json` (Bahasa Indonesia
//! first): both languages complete, every key the page or the core asks for there, no key that
//! nothing asks for, every error code listed once with its title and next step, the verdict table
//! of the contract covered. No window needed: these read the files the kiosk embeds.
//!
//! Which keys are asked for is read from the sources: every quoted key in `ui/*.js`, the pages'
//! `data-i18n`/`data-label` attributes, every quoted key in the shipped Rust of the core, the CLI
//! and the shell (a setting's dotted name, `survey.question_set`, is not a key). Keys built at run
//! time (`` `verdict.${code}.title` ``, `format!("report.action.{code}")`) count as patterns
//! whose `${...}` or `{...}` stands for any part of a key.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use hadir::error::ErrorCode;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("..")
}

fn texts(lang: &str) -> BTreeMap<String, String> {
    let path = repo_root()
        .join("ui")
        .join("i18n")
        .join(format!("{lang}.json"));
    let text = std::fs::read_to_string(&path).expect("i18n file");
    serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not an object of texts: {e}", path.display()))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A source without its inline test module (`#[cfg(test)] mod tests { ... }`, last in a file).
fn shipped(path: &Path) -> String {
    let source = read(path);
    match source.find("#[cfg(test)]\nmod tests {") {
        Some(tests) => source[..tests].to_owned(),
        None => source,
    }
}

/// The files of `dir` ending in `extension`, recursively, without test code (`tests.rs`,
/// `*_tests.rs`, `tests/`; inline test modules: [`shipped`]): a key only a test names is not one
/// a person reads.
fn sources(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).expect("source folder").flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if name != "tests" {
                found.extend(sources(&path, extension));
            }
        } else if name.ends_with(extension) && name != "tests.rs" && !name.ends_with("_tests.rs") {
            found.push(path);
        }
    }
    found.sort();
    found
}

/// The page's scripts and pages, and the Rust of the core, the CLI and the shell.
fn all_sources() -> Vec<PathBuf> {
    let root = repo_root();
    let mut files = sources(&root.join("ui"), ".js");
    files.extend(sources(&root.join("ui"), ".html"));
    for dir in [
        root.join("crates").join("hadir").join("src"),
        root.join("crates").join("hadir-cli").join("src"),
        root.join("src-tauri").join("src"),
    ] {
        files.extend(sources(&dir, ".rs"));
    }
    files
}

/// How a file writes its strings.
#[derive(Clone, Copy, PartialEq)]
enum Syntax {
    /// `"..."`, `'c'` a character or `'a` a lifetime, `//` and `/* */` comments.
    Rust,
    /// `"..."`, `'...'`, `` `...${expr}...` ``, the same comments.
    Script,
    /// Attribute values in `"..."`; everything else is text.
    Html,
}

fn syntax(path: &Path) -> Syntax {
    match path.extension().and_then(|e| e.to_str()) {
        Some("rs") => Syntax::Rust,
        Some("js") => Syntax::Script,
        _ => Syntax::Html,
    }
}

/// The contents of every string literal in `source` (escapes left as written: a key has none),
/// and of the strings inside a template literal's `${...}`.
fn quoted(source: &str, syntax: Syntax) -> Vec<String> {
    let chars: Vec<char> = source.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    // The literal that starts at `i` with `quote`, and where it ends.
    let literal = |start: usize, quote: char| {
        let mut j = start + 1;
        while j < chars.len() && chars[j] != quote {
            j += if chars[j] == '\\' { 2 } else { 1 };
        }
        (
            chars[start + 1..j.min(chars.len())]
                .iter()
                .collect::<String>(),
            j + 1,
        )
    };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let code = syntax != Syntax::Html;
        if code && c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if code && c == '/' && next == Some('*') {
            i += 2;
            while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                i += 1;
            }
            i += 2;
        } else if syntax == Syntax::Rust && c == 'r' && raw_string_at(&chars, i).is_some() {
            let (text, end) = raw_string_at(&chars, i).expect("checked");
            found.push(text);
            i = end;
        } else if c == '"' || (syntax == Syntax::Script && (c == '\'' || c == '`')) {
            let (text, end) = literal(i, c);
            if c == '`' {
                found.extend(quoted(&text, Syntax::Script));
            }
            found.push(text);
            i = end;
        } else if syntax == Syntax::Rust && c == '\'' {
            // A character literal ('x', '\n', '"') is skipped whole; a lifetime is not a quote.
            let (_, end) = literal(i, '\'');
            i = if end - i <= 4 { end } else { i + 1 };
        } else {
            i += 1;
        }
    }
    found
}

/// A Rust raw string (`r"..."`, `r#"..."#`) starting at `start`: its contents and where it ends.
fn raw_string_at(chars: &[char], start: usize) -> Option<(String, usize)> {
    let in_word = start > 0 && (chars[start - 1].is_alphanumeric() || chars[start - 1] == '_');
    if in_word {
        return None;
    }
    let hashes = chars[start + 1..].iter().take_while(|c| **c == '#').count();
    let open = start + 1 + hashes;
    if chars.get(open) != Some(&'"') {
        return None;
    }
    let closing: Vec<char> = std::iter::once('"')
        .chain(std::iter::repeat_n('#', hashes))
        .collect();
    let end = (open + 1..chars.len()).find(|&j| chars[j..].starts_with(&closing))?;
    Some((chars[open + 1..end].iter().collect(), end + closing.len()))
}

/// A text that is a key: lower-case words joined by dots, at least two.
fn is_key(text: &str) -> bool {
    let mut parts = text.split('.');
    text.contains('.')
        && parts.all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        })
}

/// A key built at run time: its fixed parts, in order, with a hole (`${...}` or `{...}`) between
/// each two. `None` for a text that is not such a key.
fn key_pattern(text: &str) -> Option<Vec<String>> {
    if !text.contains('{') {
        return None;
    }
    let mut fixed = vec![String::new()];
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let head = rest[..open].strip_suffix('$').unwrap_or(&rest[..open]);
        fixed.last_mut().expect("a part").push_str(head);
        let close = rest[open..].find('}')? + open;
        fixed.push(String::new());
        rest = &rest[close + 1..];
    }
    fixed.last_mut().expect("a part").push_str(rest);
    // Only a pattern that starts with a namespace (`verdict.`) and reads as a key when its holes
    // are filled, so a sentence with a placeholder is no pattern.
    let sample = fixed.join("x");
    (fixed[0].contains('.') && is_key(&sample)).then_some(fixed)
}

fn matches(pattern: &[String], key: &str) -> bool {
    let Some(mut rest) = key.strip_prefix(pattern[0].as_str()) else {
        return false;
    };
    for (i, part) in pattern.iter().enumerate().skip(1) {
        let last = i == pattern.len() - 1;
        if last {
            return rest.len() > part.len() && rest.ends_with(part.as_str());
        }
        // A hole takes at least one character.
        match rest.get(1..).and_then(|after| after.find(part.as_str())) {
            Some(at) => rest = &rest[1 + at + part.len()..],
            None => return false,
        }
    }
    rest.is_empty()
}

/// A setting's dotted name (`survey.question_set`, `hub.timeout_ms`): some sections share a
/// first word with the texts' namespaces.
fn is_config_key(text: &str) -> bool {
    let settings = serde_json::to_value(hadir::Config::default()).expect("settings as JSON");
    let mut parts = text.split('.');
    let (Some(section), Some(name)) = (parts.next(), parts.next()) else {
        return false;
    };
    settings
        .get(section)
        .is_some_and(|fields| fields.get(name).is_some())
}

/// What the sources ask for: keys written out, and patterns of keys built at run time.
struct Asked {
    keys: BTreeMap<String, String>,
    patterns: Vec<(Vec<String>, String)>,
}

fn asked(namespaces: &BTreeSet<String>) -> Asked {
    let root = repo_root();
    let mut asked = Asked {
        keys: BTreeMap::new(),
        patterns: Vec::new(),
    };
    for path in all_sources() {
        let source = shipped(&path);
        let shown = path
            .strip_prefix(&root)
            .unwrap_or(&path)
            .display()
            .to_string();
        // A Rust file asks for texts only if it takes words from `texts` (elsewhere a dotted
        // literal is a config key such as `survey.question_set`).
        // A page's keys are its data-i18n attributes (`every_key_the_pages_use_exists`).
        let takes_words = syntax(&path) != Syntax::Html;
        for text in quoted(&source, syntax(&path)) {
            if let Some(pattern) = key_pattern(&text) {
                asked.patterns.push((pattern, shown.clone()));
            } else if takes_words
                && is_key(&text)
                && namespaces.contains(text.split('.').next().unwrap_or_default())
                && !is_config_key(&text)
                && !text.ends_with(".html")
            {
                asked.keys.entry(text).or_insert_with(|| shown.clone());
            }
        }
    }
    asked
}

#[test]
fn both_languages_have_the_same_non_empty_keys() {
    let id = texts("id");
    let en = texts("en");
    let id_keys: BTreeSet<_> = id.keys().collect();
    let en_keys: BTreeSet<_> = en.keys().collect();
    assert_eq!(
        id_keys, en_keys,
        "id.json and en.json must have the same keys"
    );
    for (key, value) in id.iter().chain(en.iter()) {
        assert!(!value.trim().is_empty(), "{key} is empty");
    }
}

#[test]
fn every_key_the_pages_use_exists() {
    let id = texts("id");
    let mut used = 0;
    for page in sources(&repo_root().join("ui"), ".html") {
        let html = read(&page);
        for attribute in [
            "data-i18n=\"",
            "data-i18n-placeholder=\"",
            "data-i18n-title=\"",
            "data-label=\"",
        ] {
            for key in html
                .split(attribute)
                .skip(1)
                .filter_map(|rest| rest.split('"').next())
            {
                used += 1;
                assert!(
                    id.contains_key(key),
                    "{} uses {key}, missing from i18n",
                    page.display()
                );
            }
        }
    }
    assert!(used > 0, "the pages mark their texts with data-i18n");
}

#[test]
fn every_key_the_code_asks_for_exists() {
    let id = texts("id");
    let namespaces: BTreeSet<String> = id
        .keys()
        .map(|key| key.split('.').next().unwrap_or_default().to_owned())
        .collect();
    let asked = asked(&namespaces);
    assert!(
        asked.keys.len() > 50,
        "the sources ask for texts: {:?}",
        asked.keys.len()
    );
    for (key, file) in &asked.keys {
        assert!(
            id.contains_key(key),
            "{file} asks for {key}, missing from i18n"
        );
    }
    for (pattern, file) in &asked.patterns {
        assert!(
            id.keys().any(|key| matches(pattern, key)),
            "{file} builds keys {} and none exists",
            pattern.join("*")
        );
    }
}

#[test]
fn no_text_is_left_that_nothing_asks_for() {
    let id = texts("id");
    let namespaces: BTreeSet<String> = id
        .keys()
        .map(|key| key.split('.').next().unwrap_or_default().to_owned())
        .collect();
    let asked = asked(&namespaces);
    let every_quoted: BTreeSet<String> = all_sources()
        .iter()
        .flat_map(|path| quoted(&shipped(path), syntax(path)))
        .collect();
    let unused: Vec<&String> = id
        .keys()
        .filter(|key| !every_quoted.contains(*key))
        .filter(|key| !asked.patterns.iter().any(|(p, _)| matches(p, key)))
        .collect();
    assert!(
        unused.is_empty(),
        "texts no page or core file asks for (remove them, or use them): {unused:?}"
    );
}

#[test]
fn the_key_patterns_read_as_the_code_means_them() {
    let verdict = key_pattern("verdict.${code}.title").expect("a pattern");
    assert!(matches(&verdict, "verdict.too_early.title"));
    assert!(!matches(&verdict, "verdict.too_early.next"));
    assert!(!matches(&verdict, "verdict..title"));
    let report = key_pattern("report.action.{code}").expect("a pattern");
    assert!(matches(&report, "report.action.sync_now"));
    assert!(!matches(&report, "report.sync.ok"));
    assert!(key_pattern("{count} bookings, updated {age}").is_none());
    assert!(key_pattern("upstream.url: {e}").is_none());
    assert!(is_key("staff.printer.check.paper") && !is_key("survey.js x"));
}

#[test]
fn every_error_code_is_listed_once_with_a_title_and_next_step_in_both_languages() {
    let id = texts("id");
    let en = texts("en");
    let mut seen = BTreeSet::new();
    for code in ErrorCode::ALL {
        let text = code.as_str();
        assert!(seen.insert(text), "{text} is listed twice");
        assert_eq!(ErrorCode::parse(text), Some(*code));
        assert!(
            is_key(&format!("error.{text}")),
            "{text} is a lower-case code"
        );
        for texts in [&id, &en] {
            for key in [
                format!("error.{text}.title"),
                format!("error.next.{}", code.next_step_name()),
            ] {
                assert!(
                    texts.get(&key).is_some_and(|t| !t.trim().is_empty()),
                    "{text}: no {key}"
                );
            }
        }
        let title = code.title();
        let next = code.next_step();
        assert!(
            title.id != title.en && next.id != next.en,
            "{text}: two languages"
        );
    }
    // And the other way: no error text without a code that uses it.
    let steps: BTreeSet<&str> = ErrorCode::ALL.iter().map(|c| c.next_step_name()).collect();
    for key in id.keys().filter(|key| key.starts_with("error.")) {
        let rest = &key["error.".len()..];
        let known = match rest.strip_prefix("next.") {
            Some(step) => steps.contains(step),
            None => rest
                .strip_suffix(".title")
                .is_some_and(|code| seen.contains(code)),
        };
        assert!(known, "{key} belongs to no error code");
    }
}

#[test]
fn every_verdict_of_the_contract_has_a_screen_text() {
    let contract = read(&repo_root().join("docs").join("booking-qr.md"));
    let verdicts = contract
        .split("## Verdicts")
        .nth(1)
        .expect("a Verdicts section");
    let codes: Vec<&str> = verdicts
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|rest| rest.split('`').next())
        .filter(|code| code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
        .collect();
    assert_eq!(codes.len(), 12, "the contract's verdict table: {codes:?}");
    let id = texts("id");
    for code in codes {
        assert!(
            id.contains_key(&format!("verdict.{code}.title")),
            "no title for {code}"
        );
        let admitted = code == "ok" || code == "already_checked_in";
        if !admitted {
            assert!(
                id.contains_key(&format!("verdict.{code}.next")),
                "no next step for {code}"
            );
        }
    }
}

/// #15: a refused staff check-in speaks to the officer ("check-in opens at 10:00, ask the
/// applicant to wait"), not the applicant's screen text ("you are too early").
#[test]
fn every_verdict_a_staff_check_in_can_get_has_staff_wording() {
    let id = texts("id");
    let verdicts: Vec<String> = id
        .keys()
        .filter_map(|key| key.strip_prefix("verdict."))
        .filter_map(|rest| rest.strip_suffix(".title"))
        .map(str::to_owned)
        .collect();
    let check_in = [
        "already_checked_in",
        "not_found",
        "cancelled",
        "revoked",
        "wrong_office",
        "wrong_date",
        "too_early",
        "too_late",
        "malformed",
        "unknown_key",
        "bad_signature",
    ];
    for code in check_in {
        assert!(
            verdicts.iter().any(|v| v == code),
            "{code} is a verdict of the screens"
        );
        let staff = id
            .get(&format!("staff.verdict.{code}"))
            .unwrap_or_else(|| panic!("no staff text for {code}"));
        let applicant = &id[&format!("verdict.{code}.title")];
        assert_ne!(staff, applicant, "{code}: staff get their own words");
        assert!(
            !staff.contains("Anda"),
            "{code}: staff text addresses the applicant: {staff}"
        );
    }
}
