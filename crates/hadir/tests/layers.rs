//! The core's modules form layers: each top-level module of `crates/hadir/src` uses (`crate::...`)
//! only modules of its own layer or the layers below, and no two modules use each other, however
//! indirectly. The layers are declared once, in the table of `docs/architecture.md` ("Layers of
//! the core"), which this test reads: the picture a reader sees is the one that is checked.
//!
//! Only code that ships counts: test modules (`#[cfg(test)]`, `tests.rs`, `*_tests.rs` files
//! declared under `#[cfg(test)]`) may reach anywhere. Comments and string literals are blanked
//! before paths are read, so a doc comment naming `crate::kiosk` is not an edge.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Top-level module -> (layer number, layer name), from the table in docs/architecture.md.
type Layers = BTreeMap<String, (u32, String)>;

/// Module -> modules it uses -> one place each use is written (`file:line`), for the messages.
type Edges = BTreeMap<String, BTreeMap<String, String>>;

const TABLE_START: &str = "<!-- layers: read by crates/hadir/tests/layers.rs -->";

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The fenced block after [`TABLE_START`]: one line per layer, `N name: module, module, ...`.
fn declared_layers() -> Layers {
    let doc_path = crate_dir()
        .join("..")
        .join("..")
        .join("docs")
        .join("architecture.md");
    let doc = fs::read_to_string(&doc_path).expect("docs/architecture.md is readable");
    let after = doc
        .split_once(TABLE_START)
        .map(|(_, rest)| rest)
        .unwrap_or_else(|| panic!("docs/architecture.md has no line {TABLE_START:?}"));
    let block = after
        .split("```")
        .nth(1)
        .expect("a fenced block follows the layers marker");
    let mut layers = Layers::new();
    for line in block.lines().map(str::trim) {
        let Some((head, modules)) = line.split_once(':') else {
            continue;
        };
        let mut head_words = head.split_whitespace();
        let Some(number) = head_words.next().and_then(|word| word.parse::<u32>().ok()) else {
            continue;
        };
        let name = head_words.collect::<Vec<_>>().join(" ");
        for module in modules.split(',').map(str::trim).filter(|m| !m.is_empty()) {
            let earlier = layers.insert(module.to_owned(), (number, name.clone()));
            assert!(
                earlier.is_none(),
                "`{module}` is listed twice in the layer table"
            );
        }
    }
    assert!(!layers.is_empty(), "the layer table lists no module");
    layers
}

/// `source` with comments, string and character literals replaced by spaces (newlines kept, so
/// line numbers still hold).
fn blank_comments_and_literals(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if c == 'r'
            && (next == Some('"') || next == Some('#'))
            && !is_ident_char(i.checked_sub(1).map(|p| chars[p]))
        {
            // r"..." or r#"..."#: ends at a quote followed by as many hashes.
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                match chars.get(j) {
                    None => break,
                    Some('"') if (1..=hashes).all(|k| chars.get(j + k) == Some(&'#')) => {
                        j += 1 + hashes;
                        break;
                    }
                    Some(_) => j += 1,
                }
            }
            out.extend(chars[i..j.min(chars.len())].iter().map(|&c| blank(c)));
            i = j;
        } else if c == '"' {
            out.push(' ');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if i < chars.len() {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
            out.push(' ');
            i += 1;
        } else if c == '\'' {
            // A character literal ('a', '\n', '\u{1F600}', '{'), not a lifetime ('a).
            let end = if next == Some('\\') {
                (i + 2..chars.len().min(i + 12)).find(|&j| chars[j] == '\'')
            } else if chars.get(i + 2) == Some(&'\'') {
                Some(i + 2)
            } else {
                None
            };
            match end {
                Some(end) => {
                    out.extend(std::iter::repeat_n(' ', end + 1 - i));
                    i = end + 1;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn is_ident_char(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric() || c == '_')
}

/// Whether `#[cfg(...)]`'s condition holds only in tests (`test`, or `all(test, ...)`).
fn is_test_cfg(condition: &str) -> bool {
    let condition: String = condition.split_whitespace().collect();
    condition == "test"
        || (condition.starts_with("all(")
            && condition["all(".len()..condition.len() - 1]
                .split(',')
                .any(|part| part == "test"))
}

/// The code with every item under a test-only `#[cfg]` removed, and the names of the file
/// modules (`mod name;`) that are test-only.
fn without_test_items(code: &str) -> (String, BTreeSet<String>) {
    let bytes = code.as_bytes();
    let mut kept = String::with_capacity(code.len());
    let mut test_file_modules = BTreeSet::new();
    let mut i = 0;
    while let Some(found) = code[i..].find("#[cfg(") {
        let start = i + found;
        let condition_start = start + "#[cfg(".len();
        let Some(condition_end) = matching(bytes, condition_start - 1, b'(', b')') else {
            break;
        };
        if !is_test_cfg(&code[condition_start..condition_end]) {
            kept.push_str(&code[i..condition_end]);
            i = condition_end;
            continue;
        }
        kept.push_str(&code[i..start]);
        // The item ends at a `;` before any brace, or at the brace that closes its body (and a
        // `;` right after it, as in `use a::{b, c};`).
        let mut j = condition_end;
        let end = loop {
            match bytes.get(j) {
                None => break bytes.len(),
                Some(b';') => break j + 1,
                Some(b'{') => {
                    let close = matching(bytes, j, b'{', b'}').unwrap_or(bytes.len() - 1);
                    let mut after = close + 1;
                    while bytes.get(after).is_some_and(u8::is_ascii_whitespace) {
                        after += 1;
                    }
                    break if bytes.get(after) == Some(&b';') {
                        after + 1
                    } else {
                        close + 1
                    };
                }
                Some(_) => j += 1,
            }
        };
        let item = &code[condition_end..end];
        let words: Vec<&str> = item
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .filter(|w| !w.is_empty())
            .collect();
        if item.trim_end().ends_with(';') && !item.contains('{') {
            if let Some(pos) = words.iter().position(|w| *w == "mod") {
                if let Some(name) = words.get(pos + 1) {
                    test_file_modules.insert((*name).to_owned());
                }
            }
        }
        // Keep the newlines so that line numbers in messages stay right.
        kept.extend(code[start..end].chars().filter(|&c| c == '\n'));
        i = end;
    }
    kept.push_str(&code[i..]);
    (kept, test_file_modules)
}

/// Index of the byte closing the bracket opened at `open_at`.
fn matching(bytes: &[u8], open_at: usize, open: u8, close: u8) -> Option<usize> {
    let mut depth = 0usize;
    for (offset, &b) in bytes[open_at..].iter().enumerate() {
        if b == open {
            depth += 1;
        } else if b == close {
            depth -= 1;
            if depth == 0 {
                return Some(open_at + offset);
            }
        }
    }
    None
}

/// The top-level modules a path written at `at` names: `crate::a::...` gives `a`,
/// `crate::{a, b::c}` gives `a` and `b`; `super::` chains that climb to the crate root count too.
fn named_top_modules(code: &str, at: usize, supers_to_root: usize) -> Vec<String> {
    let rest = &code[at..];
    let mut rest = rest.trim_start();
    if rest.starts_with("crate") {
        rest = rest["crate".len()..].trim_start();
    } else {
        let mut climbed = 0;
        while let Some(after) = rest.strip_prefix("super") {
            climbed += 1;
            rest = after
                .trim_start()
                .strip_prefix("::")
                .unwrap_or("")
                .trim_start();
        }
        if climbed < supers_to_root || supers_to_root == 0 {
            return Vec::new();
        }
        // `rest` now starts at the first segment below the crate root.
        return first_segment(rest).into_iter().collect();
    }
    let Some(rest) = rest.strip_prefix("::") else {
        return Vec::new();
    };
    let rest = rest.trim_start();
    if let Some(group) = rest.strip_prefix('{') {
        let bytes = group.as_bytes();
        let mut names = Vec::new();
        let mut depth = 0;
        let mut segment_start = true;
        for (index, &b) in bytes.iter().enumerate() {
            match b {
                b'{' => depth += 1,
                b'}' if depth == 0 => break,
                b'}' => depth -= 1,
                b',' if depth == 0 => segment_start = true,
                b if b.is_ascii_whitespace() => {}
                _ if segment_start && depth == 0 => {
                    segment_start = false;
                    names.extend(first_segment(&group[index..]));
                }
                _ => {}
            }
        }
        names
    } else {
        first_segment(rest).into_iter().collect()
    }
}

fn first_segment(text: &str) -> Option<String> {
    let name: String = text
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty()).then_some(name)
}

/// `(module path below src, file)` for every non-test file of the module tree rooted at `file`.
fn module_files(file: &Path, module_path: Vec<String>, out: &mut Vec<(Vec<String>, PathBuf)>) {
    let source = fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let (code, test_modules) = without_test_items(&blank_comments_and_literals(&source));
    let dir_of_children =
        if module_path.is_empty() || file.file_name().is_some_and(|name| name == "mod.rs") {
            file.parent().expect("a file has a folder").to_owned()
        } else {
            file.with_extension("")
        };
    for declared in file_module_declarations(&code) {
        if test_modules.contains(&declared) {
            continue;
        }
        let flat = dir_of_children.join(format!("{declared}.rs"));
        let nested = dir_of_children.join(&declared).join("mod.rs");
        let child = if flat.exists() { flat } else { nested };
        let mut child_path = module_path.clone();
        child_path.push(declared);
        module_files(&child, child_path, out);
    }
    out.push((module_path, file.to_owned()));
}

/// Names of `mod name;` declarations (modules kept in their own file, not `mod name { ... }`).
fn file_module_declarations(code: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut statement_start = 0;
    for (at, c) in code.char_indices() {
        if !matches!(c, ';' | '{' | '}') {
            continue;
        }
        let statement = without_attributes(&code[statement_start..at]);
        statement_start = at + 1;
        let words: Vec<&str> = statement.split_whitespace().collect();
        let is_declaration = c == ';'
            && words.len() >= 2
            && words[words.len() - 2] == "mod"
            && words[..words.len() - 2]
                .iter()
                .all(|w| w.starts_with("pub"));
        if is_declaration {
            names.push(words[words.len() - 1].to_owned());
        }
    }
    names
}

/// `text` without its `#[...]` attributes.
fn without_attributes(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("#[") {
        out.push_str(&rest[..start]);
        let end = matching(rest.as_bytes(), start + 1, b'[', b']').unwrap_or(rest.len() - 1);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Every `crate::` (and root-reaching `super::`) use between different top-level modules.
fn core_edges(top_modules: &BTreeSet<String>) -> Edges {
    let src = crate_dir().join("src");
    let mut files = Vec::new();
    module_files(&src.join("lib.rs"), Vec::new(), &mut files);
    let mut edges = Edges::new();
    for (module_path, file) in files {
        let Some(from) = module_path.first() else {
            continue; // lib.rs: declarations and re-exports of the API
        };
        let source = fs::read_to_string(&file).expect("readable");
        let (code, _) = without_test_items(&blank_comments_and_literals(&source));
        let shown = file
            .strip_prefix(&src)
            .unwrap_or(&file)
            .display()
            .to_string();
        // How many `super`s climb from this file's module to the crate root.
        let supers_to_root = module_path.len();
        let mut search_from = 0;
        while let Some(found) = find_path_start(&code, search_from) {
            search_from = found + 1;
            for to in named_top_modules(&code, found, supers_to_root) {
                if &to == from || !top_modules.contains(&to) {
                    continue;
                }
                let line = code[..found].matches('\n').count() + 1;
                edges
                    .entry(from.clone())
                    .or_default()
                    .entry(to)
                    .or_insert_with(|| format!("{shown}:{line}"));
            }
        }
    }
    edges
}

/// Next `crate` or `super` that starts a path (not part of a longer name).
fn find_path_start(code: &str, from: usize) -> Option<usize> {
    let bytes = code.as_bytes();
    let mut i = from;
    loop {
        let next = ["crate", "super"]
            .into_iter()
            .filter_map(|word| code.get(i..)?.find(word))
            .min()?;
        let at = i + next;
        let before = at.checked_sub(1).map(|p| bytes[p] as char);
        let after = bytes.get(at + 5).map(|&b| b as char);
        let followed_by_path = code[at + 5..].trim_start().starts_with("::");
        if !is_ident_char(before) && !is_ident_char(after) && followed_by_path {
            return Some(at);
        }
        i = at + 1;
    }
}

/// The top-level modules lib.rs declares.
fn top_modules() -> BTreeSet<String> {
    let lib = fs::read_to_string(crate_dir().join("src").join("lib.rs")).expect("lib.rs");
    let (code, test_modules) = without_test_items(&blank_comments_and_literals(&lib));
    file_module_declarations(&code)
        .into_iter()
        .filter(|m| !test_modules.contains(m))
        .collect()
}

/// A cycle in `edges`, as the list of modules along it, if there is one.
fn find_cycle(edges: &Edges) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit(
        module: &str,
        edges: &Edges,
        marks: &mut BTreeMap<String, Mark>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match marks.get(module) {
            Some(Mark::Done) => return None,
            Some(Mark::Open) => {
                let start = path.iter().position(|m| m == module).expect("on the path");
                let mut cycle = path[start..].to_vec();
                cycle.push(module.to_owned());
                return Some(cycle);
            }
            None => {}
        }
        marks.insert(module.to_owned(), Mark::Open);
        path.push(module.to_owned());
        for next in edges.get(module).into_iter().flat_map(BTreeMap::keys) {
            if let Some(cycle) = visit(next, edges, marks, path) {
                return Some(cycle);
            }
        }
        path.pop();
        marks.insert(module.to_owned(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    edges
        .keys()
        .find_map(|module| visit(module, edges, &mut marks, &mut Vec::new()))
}

#[test]
fn every_top_level_module_has_a_layer_and_every_layer_entry_is_a_module() {
    let layers = declared_layers();
    let modules = top_modules();
    let unplaced: Vec<&String> = modules
        .iter()
        .filter(|m| !layers.contains_key(*m))
        .collect();
    let unknown: Vec<&String> = layers.keys().filter(|m| !modules.contains(*m)).collect();
    assert!(
        unplaced.is_empty() && unknown.is_empty(),
        "docs/architecture.md's layer table and lib.rs disagree: not in the table {unplaced:?}, \
         not a module of lib.rs {unknown:?}"
    );
    // lib.rs declares them under `// Layer N, ...` headings: the same groups as the table.
    let lib = fs::read_to_string(crate_dir().join("src").join("lib.rs")).expect("lib.rs");
    let mut heading: Option<u32> = None;
    let mut misplaced = Vec::new();
    for line in lib.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("// Layer ") {
            heading = first_segment(rest).and_then(|number| number.parse().ok());
        } else if let Some(name) = line
            .strip_prefix("pub mod ")
            .and_then(|rest| rest.strip_suffix(';'))
        {
            let declared = layers.get(name).map(|(number, _)| *number);
            if declared != heading {
                misplaced.push(format!(
                    "{name}: under layer {heading:?} in lib.rs, layer {declared:?} in the table"
                ));
            }
        }
    }
    assert!(misplaced.is_empty(), "{}", misplaced.join("\n"));
}

#[test]
fn no_module_uses_a_higher_layer() {
    let layers = declared_layers();
    let edges = core_edges(&top_modules());
    let mut upward = Vec::new();
    for (from, uses) in &edges {
        for (to, place) in uses {
            let (Some((from_layer, from_name)), Some((to_layer, to_name))) =
                (layers.get(from), layers.get(to))
            else {
                continue; // reported by the test above
            };
            if to_layer > from_layer {
                upward.push(format!(
                    "{from} ({from_layer} {from_name}) uses {to} ({to_layer} {to_name}) at {place}"
                ));
            }
        }
    }
    assert!(
        upward.is_empty(),
        "{} uses go up a layer (docs/architecture.md, \"Layers of the core\"):\n{}",
        upward.len(),
        upward.join("\n")
    );
}

#[test]
fn no_two_modules_use_each_other() {
    let edges = core_edges(&top_modules());
    if let Some(cycle) = find_cycle(&edges) {
        let steps: Vec<String> = cycle
            .windows(2)
            .map(|pair| format!("{} -> {} ({})", pair[0], pair[1], edges[&pair[0]][&pair[1]]))
            .collect();
        panic!(
            "the core's modules use each other in a cycle: {}\n{}",
            cycle.join(" -> "),
            steps.join("\n")
        );
    }
}

/// The reader itself: a path in a comment, a string or a test module is no edge; a group is.
#[test]
fn the_reader_sees_uses_in_code_only() {
    let source = r#"
        //! See [`crate::kiosk`].
        use crate::{error::Result, feed::{Service, hh_mm}};
        const TEXT: &str = "crate::hub";
        fn f() -> char { let _ = '{'; crate::store::open(); '}' }
        #[cfg(test)]
        mod tests { use crate::demo; }
        #[cfg(all(test, unix))]
        fn only_in_tests() { crate::print::x(); }
        #[cfg(test)]
        mod more_tests;
    "#;
    let (code, test_modules) = without_test_items(&blank_comments_and_literals(source));
    let mut named = Vec::new();
    let mut from = 0;
    while let Some(at) = find_path_start(&code, from) {
        named.extend(named_top_modules(&code, at, 1));
        from = at + 1;
    }
    assert_eq!(named, ["error", "feed", "store"]);
    assert_eq!(test_modules, BTreeSet::from(["more_tests".to_owned()]));

    let mut edges = Edges::new();
    for (from, to) in [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")] {
        edges
            .entry(from.to_owned())
            .or_default()
            .insert(to.to_owned(), String::new());
    }
    assert_eq!(
        find_cycle(&edges).map(|cycle| cycle.join(" -> ")),
        Some("a -> b -> c -> a".to_owned())
    );
    edges.get_mut("c").expect("c").remove("a");
    assert_eq!(find_cycle(&edges), None);
}
