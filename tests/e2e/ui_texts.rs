//! The screens' texts: both languages complete, and every key the UI or the contract needs exists.
//! (No window needed; these read the files the kiosk embeds.)

use std::collections::BTreeSet;

use hadir_e2e::repo_root;

fn texts(lang: &str) -> serde_json::Map<String, serde_json::Value> {
    let path = repo_root()
        .join("ui")
        .join("i18n")
        .join(format!("{lang}.json"));
    let text = std::fs::read_to_string(&path).expect("i18n file");
    match serde_json::from_str(&text).expect("valid JSON") {
        serde_json::Value::Object(map) => map,
        other => panic!("{} is not an object: {other}", path.display()),
    }
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
        assert!(
            value.as_str().is_some_and(|s| !s.trim().is_empty()),
            "{key} is empty"
        );
    }
}

#[test]
fn every_key_the_page_uses_exists() {
    let html =
        std::fs::read_to_string(repo_root().join("ui").join("index.html")).expect("index.html");
    let id = texts("id");
    let used: Vec<&str> = html
        .split("data-i18n=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    assert!(!used.is_empty(), "the page marks its texts with data-i18n");
    for key in used {
        assert!(
            id.contains_key(key),
            "index.html uses {key}, missing from i18n"
        );
    }
}

#[test]
fn every_verdict_of_the_contract_has_a_screen_text() {
    let contract = repo_root().join("docs").join("booking-qr.md");
    let contract = std::fs::read_to_string(contract).expect("docs/booking-qr.md");
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
            .and_then(|v| v.as_str())
            .unwrap_or_else(|| panic!("no staff text for {code}"));
        let applicant = id[&format!("verdict.{code}.title")].as_str().expect("text");
        assert_ne!(staff, applicant, "{code}: staff get their own words");
        assert!(
            !staff.contains("Anda"),
            "{code}: staff text addresses the applicant: {staff}"
        );
    }
}
