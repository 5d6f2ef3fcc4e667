//! Writes `booking-tokens.json` beside this file: the booking QR test vectors (the form and its
//! rules are in `docs/booking-qr.md`, what each file here holds in `README.md` beside this file).
//! Every token is signed here from the test-only seeds, so the vectors can always be remade and
//! nothing about them depends on a file from outside the repository.
//!
//! ```text
//! cargo run -p hadir --example testdata                    # rewrite booking-tokens.json
//! cargo run -p hadir --example testdata -- --check         # fail if the committed file differs
//! cargo run -p hadir --example testdata -- --compare DIR   # every case, sequence and feed body
//!                                                          # of another copy is covered here
//! ```
//!
//! `cargo test -p hadir` runs this file's tests: the committed file is exactly what this program
//! writes, so the data and its generator cannot drift apart.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::{Signer, SigningKey};
use serde::Serialize;
use serde_json::Value;

const OFFICE: &str = "KANIM-KUPANG";
const TIME_ZONE: &str = "Asia/Makassar";
/// The kiosk's clock for every case: 08:30 WITA on the vectors' day.
const NOW: &str = "2026-11-29T08:30:00+08:00";
const DATE: &str = "2026-11-29";
const EARLY_MINUTES: u32 = 60;
const LATE_MINUTES: u32 = 30;
/// `iat` of every token (2025-11-28); the kiosk does not judge it.
const ISSUED_AT: i64 = 1_764_300_000;
const CACHE_UPDATED_AT: &str = "2026-11-28T14:03:11+08:00";

/// Ed25519 seeds (base64url) for tests and the demo only: anyone can sign with them, so their
/// public halves must never be configured on a real kiosk. `k9` is deliberately not configured.
const SEEDS: [(&str, &str); 3] = [
    ("k1", "8iiaG_SJlC8o4TtqmMccSmN8B1kFHqN7IcD-Skx2r1M"),
    ("k2", "xdas9g1C0-nBs_ABlvEn6C1gFnqeiZSdX7fqDfFzzZ8"),
    ("k9", "JbnTl65fBCXdt6kUXV5aHY4jVJO7cf66f5jGulxINtk"),
];
const CONFIGURED_KEYS: [&str; 2] = ["k1", "k2"];

/// The order of the Ed25519 group, little-endian (RFC 8032 section 5.1). A signature whose `S`
/// has `L` added still satisfies the verification equation, but is not canonical.
const GROUP_ORDER_LE: [u8; 32] = [
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
];

/// The only case whose input cannot be remade byte for byte from another copy: its signature
/// was made over a payload that copy does not name, so `--compare` accepts the same payload
/// with any signature there.
const ALTERED_CASE: &str = "payload altered after signing (other booking code)";

const FEED_BODIES: [&str; 3] = ["feed-full.json", "feed-delta.json", "feed-bad-items.json"];

#[derive(Serialize)]
struct Vectors {
    contract: &'static str,
    config: VectorConfig,
    test_only_private_seeds: BTreeMap<&'static str, &'static str>,
    cache: Vec<CacheItem>,
    revoked: Vec<&'static str>,
    cases: Vec<Case>,
    sequences: Vec<Sequence>,
}

#[derive(Serialize)]
struct VectorConfig {
    office: &'static str,
    time_zone: &'static str,
    now: &'static str,
    early_minutes: u32,
    late_minutes: u32,
    keys: BTreeMap<&'static str, String>,
}

/// A booking as the feed writes it (docs/feed-api.md), kept apart from the core's own types so
/// the vectors do not follow a change in the code they test.
#[derive(Serialize)]
struct CacheItem {
    booking_code: &'static str,
    date: &'static str,
    slot_start: &'static str,
    slot_end: &'static str,
    service: &'static str,
    express: bool,
    status: &'static str,
    applicants: Vec<Applicant>,
    updated_at: &'static str,
}

#[derive(Serialize)]
struct Applicant {
    name: String,
    birth_date: String,
    nik_last4: String,
    priority: Option<&'static str>,
}

#[derive(Serialize)]
struct Case {
    name: &'static str,
    input: String,
    verdict: &'static str,
}

#[derive(Serialize)]
struct Sequence {
    name: &'static str,
    inputs: Vec<String>,
    verdicts: Vec<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tickets: Vec<usize>,
}

fn signing_key(id: &str) -> SigningKey {
    let (_, seed) = SEEDS
        .iter()
        .find(|(key_id, _)| *key_id == id)
        .unwrap_or_else(|| panic!("no seed for key {id}"));
    let seed: [u8; 32] = URL_SAFE_NO_PAD
        .decode(seed)
        .expect("seed is base64url")
        .try_into()
        .expect("seed has 32 bytes");
    SigningKey::from_bytes(&seed)
}

/// A token payload as JSON text, key by key in order, so a case can hold a duplicate key, a
/// missing key or a value of the wrong type exactly as a faulty issuer would write it.
#[derive(Clone)]
struct Payload(Vec<(&'static str, Value)>);

impl Payload {
    /// A valid payload for `code`: signed by `k1`, today at this office, 08:00-09:00, one
    /// applicant, new passport.
    fn valid(code: &str) -> Payload {
        Payload(vec![
            ("v", 1.into()),
            ("k", "k1".into()),
            ("b", code.into()),
            ("o", OFFICE.into()),
            ("d", DATE.into()),
            ("s", "08:00".into()),
            ("e", "09:00".into()),
            ("n", 1.into()),
            ("svc", "baru".into()),
            ("iat", ISSUED_AT.into()),
        ])
    }

    /// `key` set to `value`, in its place (or appended when absent).
    fn with(mut self, key: &'static str, value: impl Into<Value>) -> Payload {
        let value = value.into();
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some(entry) => entry.1 = value,
            None => self.0.push((key, value)),
        }
        self
    }

    fn without(mut self, key: &str) -> Payload {
        self.0.retain(|(k, _)| *k != key);
        self
    }

    /// A second entry for `key`, right after the first one.
    fn with_duplicate(mut self, key: &'static str, value: impl Into<Value>) -> Payload {
        let at = self
            .0
            .iter()
            .position(|(k, _)| *k == key)
            .map_or(self.0.len(), |i| i + 1);
        self.0.insert(at, (key, value.into()));
        self
    }

    fn json(&self) -> String {
        let fields: Vec<String> = self
            .0
            .iter()
            .map(|(key, value)| format!("{}:{value}", Value::from(*key)))
            .collect();
        format!("{{{}}}", fields.join(","))
    }

    /// The key id the payload names (the signer of a well-made token).
    fn key_id(&self) -> &str {
        self.0
            .iter()
            .find(|(k, _)| *k == "k")
            .and_then(|(_, v)| v.as_str())
            .unwrap_or("k1")
    }
}

/// `MPQ1.<payload>` for this payload text.
fn signed_part(payload_json: &str) -> String {
    format!("MPQ1.{}", URL_SAFE_NO_PAD.encode(payload_json))
}

fn signature(payload_json: &str, signer: &str) -> [u8; 64] {
    signing_key(signer)
        .sign(signed_part(payload_json).as_bytes())
        .to_bytes()
}

/// A token as the issuer makes it: signed with the key its payload names.
fn token(payload: &Payload) -> String {
    token_signed_by(&payload.json(), payload.key_id())
}

fn token_signed_by(payload_json: &str, signer: &str) -> String {
    let signature = signature(payload_json, signer);
    format!(
        "{}.{}",
        signed_part(payload_json),
        URL_SAFE_NO_PAD.encode(signature)
    )
}

/// A valid token whose payload was then swapped for another one: the signature is genuine, but
/// over other bytes.
fn altered_token(signed: &Payload, shown: &Payload) -> String {
    let signature = signature(&signed.json(), signed.key_id());
    format!(
        "{}.{}",
        signed_part(&shown.json()),
        URL_SAFE_NO_PAD.encode(signature)
    )
}

/// A valid token with `S + L` in place of `S`: the same point equation holds, so only a strict
/// verifier refuses it.
fn non_canonical_token(payload: &Payload) -> String {
    let mut signature = signature(&payload.json(), payload.key_id());
    let mut carry = 0u16;
    for (byte, order) in signature[32..].iter_mut().zip(GROUP_ORDER_LE) {
        let sum = u16::from(*byte) + u16::from(order) + carry;
        *byte = (sum & 0xff) as u8;
        carry = sum >> 8;
    }
    assert_eq!(carry, 0, "S + L fits in 32 bytes because S < L");
    format!(
        "{}.{}",
        signed_part(&payload.json()),
        URL_SAFE_NO_PAD.encode(signature)
    )
}

fn cache_item(
    code: &'static str,
    service: &'static str,
    status: &'static str,
    priorities: &[Option<&'static str>],
) -> CacheItem {
    let short = &code[code.len() - 4..];
    let applicants = priorities
        .iter()
        .enumerate()
        .map(|(i, priority)| Applicant {
            name: format!("PEMOHON {short} {}", i + 1),
            birth_date: format!("1988-{:02}-{}", i + 1, 10 + i),
            nik_last4: (1000 + 7 * i).to_string(),
            priority: *priority,
        })
        .collect();
    CacheItem {
        booking_code: code,
        date: DATE,
        slot_start: "08:00",
        slot_end: "09:00",
        service,
        express: false,
        status,
        applicants,
        updated_at: CACHE_UPDATED_AT,
    }
}

fn case(name: &'static str, input: impl Into<String>, verdict: &'static str) -> Case {
    Case {
        name,
        input: input.into(),
        verdict,
    }
}

fn vectors() -> Vectors {
    let keys = CONFIGURED_KEYS
        .iter()
        .map(|id| {
            let public = signing_key(id).verifying_key().to_bytes();
            (*id, URL_SAFE_NO_PAD.encode(public))
        })
        .collect();
    let valid = Payload::valid;
    let cases = vec![
        case("signed, in cache", token(&valid("MP01A3F753")), "ok"),
        case(
            "signed, not yet in cache (sync lag)",
            token(&valid("MP11B883BE")),
            "ok",
        ),
        case(
            "signed by second configured key",
            token(&valid("MP1213B61D").with("k", "k2")),
            "ok",
        ),
        case(
            ALTERED_CASE,
            altered_token(&valid("MP01A3F753"), &valid("MP13684B51")),
            "bad_signature",
        ),
        case(
            "signed with another key than k names",
            token_signed_by(&valid("MP14366306").json(), "k2"),
            "bad_signature",
        ),
        case(
            "non-canonical signature (S + L)",
            non_canonical_token(&valid("MP1569AC87")),
            "bad_signature",
        ),
        case(
            "key id not configured",
            token(&valid("MP1679735B").with("k", "k9")),
            "unknown_key",
        ),
        case("revoked code", token(&valid("MP1053D6C9")), "revoked"),
        case(
            "cancelled in cache",
            token(&valid("MP023FFE3A")),
            "cancelled",
        ),
        case(
            "other office",
            token(&valid("MP175DA7D8").with("o", "KANIM-ATAMBUA")),
            "wrong_office",
        ),
        case(
            "tomorrow",
            token(&valid("MP181766F8").with("d", "2026-11-30")),
            "wrong_date",
        ),
        case(
            "too early: slot 10:00, opens 09:00",
            token(&valid("MP19C5FDAC").with("s", "10:00").with("e", "11:00")),
            "too_early",
        ),
        case(
            "too late: slot ended 07:30, closed 08:00",
            token(&valid("MP20796492").with("s", "07:00").with("e", "07:30")),
            "too_late",
        ),
        case(
            "window opens exactly now (inclusive)",
            token(&valid("MP212EDFE7").with("s", "09:30").with("e", "10:00")),
            "ok",
        ),
        case(
            "window closes exactly now (inclusive)",
            token(&valid("MP22CA1F71").with("s", "07:30").with("e", "08:00")),
            "ok",
        ),
        case(
            "no slot times: no window check",
            token(&valid("MP2361789F").without("s").without("e")),
            "ok",
        ),
        case(
            "payload version 2",
            token(&valid("MP2473A4F0").with("v", 2)),
            "malformed",
        ),
        case(
            "missing n",
            token(&valid("MP255AA6E5").without("n")),
            "malformed",
        ),
        case(
            "n = 6",
            token(&valid("MP2625EA1E").with("n", 6)),
            "malformed",
        ),
        case(
            "n as string",
            token(&valid("MP27E5DE3C").with("n", "1")),
            "malformed",
        ),
        case(
            "duplicate key in JSON",
            token(
                &valid("MP28C13225")
                    .without("s")
                    .without("e")
                    .with_duplicate("b", "MP293208A7"),
            ),
            "malformed",
        ),
        case(
            "payload JSON is an array",
            token_signed_by("[1,2,3]", "k1"),
            "malformed",
        ),
        case(
            "booking code lower case inside token",
            token(&valid("mp30eb0c92")),
            "malformed",
        ),
        case(
            "unknown service",
            token(&valid("MP3145F0F1").with("svc", "visa")),
            "malformed",
        ),
        case(
            "unknown extra key is ignored",
            token(&valid("MP32DD68BC").with("zz", "future")),
            "ok",
        ),
        case("not base64", "MPQ1.%%%%.AAAA", "malformed"),
        case(
            "three dots",
            format!("{}.x", token(&valid("MP331BA78B"))),
            "malformed",
        ),
        case(
            "plain code in cache, lower case, CR LF",
            "mp05e85842\r\n",
            "ok",
        ),
        case("plain code unknown", "MP4091A060", "not_found"),
        case("plain code too short", "MP12", "malformed"),
        case(
            "plain code with inner control char",
            "MP05\u{7}E85842",
            "malformed",
        ),
        case("2000 bytes", "A".repeat(2000), "malformed"),
        case("non-ASCII", "MP\u{c4}5E85842", "malformed"),
        case("SQL text", "' OR 1=1 --", "malformed"),
        case("empty", "", "malformed"),
    ];
    let repeat = token(&valid("MP0491E846"));
    let sequences = vec![
        Sequence {
            name: "second scan of the same booking",
            inputs: vec![repeat.clone(), repeat],
            verdicts: vec!["ok", "already_checked_in"],
            tickets: Vec::new(),
        },
        Sequence {
            name: "plain then signed of the same booking",
            inputs: vec!["MP05E85842".into(), token(&valid("MP05E85842"))],
            verdicts: vec!["ok", "already_checked_in"],
            tickets: Vec::new(),
        },
        Sequence {
            name: "group of three: one scan, three tickets",
            inputs: vec![token(
                &valid("MP0324CF93").with("n", 3).with("svc", "penggantian"),
            )],
            verdicts: vec!["ok"],
            tickets: vec![3],
        },
    ];
    Vectors {
        contract: "docs/booking-qr.md",
        config: VectorConfig {
            office: OFFICE,
            time_zone: TIME_ZONE,
            now: NOW,
            early_minutes: EARLY_MINUTES,
            late_minutes: LATE_MINUTES,
            keys,
        },
        test_only_private_seeds: SEEDS.into_iter().collect(),
        cache: vec![
            cache_item("MP01A3F753", "baru", "booked", &[None]),
            cache_item("MP023FFE3A", "baru", "cancelled", &[None]),
            cache_item("MP0324CF93", "penggantian", "booked", &[None, None, None]),
            cache_item("MP0491E846", "baru", "booked", &[Some("lansia")]),
            cache_item("MP05E85842", "baru", "booked", &[None]),
        ],
        revoked: vec!["MP1053D6C9"],
        cases,
        sequences,
    }
}

/// The file's text: JSON indented by one space, ending in a newline.
fn vectors_json() -> String {
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b" ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    vectors()
        .serialize(&mut serializer)
        .expect("vectors serialise");
    out.push(b'\n');
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

fn testdata_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata")
}

fn vectors_path() -> PathBuf {
    testdata_dir().join("booking-tokens.json")
}

fn read_json(path: &Path) -> Result<Value, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// Everything `other` (another copy of the vectors) holds that `ours` does not cover: the same
/// config, seeds, cache and revoked list, every case by name with its verdict and input, every
/// sequence by name with its inputs, verdicts and tickets.
fn uncovered(other: &Value, ours: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    for key in ["config", "test_only_private_seeds", "cache", "revoked"] {
        if other[key] != ours[key] {
            problems.push(format!("`{key}` differs"));
        }
    }
    let by_name = |list: &Value| -> BTreeMap<String, Value> {
        list.as_array()
            .into_iter()
            .flatten()
            .map(|item| (item["name"].as_str().unwrap_or("").to_owned(), item.clone()))
            .collect()
    };
    let our_cases = by_name(&ours["cases"]);
    for (name, theirs) in by_name(&other["cases"]) {
        let Some(mine) = our_cases.get(&name) else {
            problems.push(format!("case {name:?} is missing"));
            continue;
        };
        if theirs["verdict"] != mine["verdict"] {
            problems.push(format!(
                "case {name:?}: verdict {} here, {} there",
                mine["verdict"], theirs["verdict"]
            ));
        }
        let same_input = theirs["input"] == mine["input"]
            || (name == ALTERED_CASE && signed_part_of(&theirs) == signed_part_of(mine));
        if !same_input {
            problems.push(format!("case {name:?}: the input differs"));
        }
    }
    let our_sequences = by_name(&ours["sequences"]);
    for (name, theirs) in by_name(&other["sequences"]) {
        match our_sequences.get(&name) {
            None => problems.push(format!("sequence {name:?} is missing")),
            Some(mine) if mine != &theirs => problems.push(format!("sequence {name:?} differs")),
            Some(_) => {}
        }
    }
    problems
}

/// `MPQ1.<payload>` of a case's token: what its signature covers.
fn signed_part_of(case: &Value) -> Option<&str> {
    let input = case["input"].as_str()?;
    input.rfind('.').map(|dot| &input[..dot])
}

/// Checks that the vectors and feed bodies in `dir` (another copy, e.g. the one these were first
/// taken from) are all covered by the repository's copy.
fn compare(dir: &Path) -> Result<Vec<String>, String> {
    let mut problems = uncovered(
        &read_json(&dir.join("booking-tokens.json"))?,
        &read_json(&vectors_path())?,
    );
    for name in FEED_BODIES {
        let theirs = std::fs::read(dir.join(name)).map_err(|e| format!("{name}: {e}"))?;
        let ours = std::fs::read(testdata_dir().join(name)).map_err(|e| format!("{name}: {e}"))?;
        if theirs != ours {
            problems.push(format!("{name} differs"));
        }
    }
    Ok(problems)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        [] => match std::fs::write(vectors_path(), vectors_json()) {
            Ok(()) => {
                println!("wrote {}", vectors_path().display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("cannot write {}: {e}", vectors_path().display());
                ExitCode::FAILURE
            }
        },
        ["--check"] => {
            if std::fs::read_to_string(vectors_path()).ok() == Some(vectors_json()) {
                println!("{} is up to date", vectors_path().display());
                ExitCode::SUCCESS
            } else {
                eprintln!(
                    "{} is not what this program writes: run `cargo run -p hadir --example testdata`",
                    vectors_path().display()
                );
                ExitCode::FAILURE
            }
        }
        ["--compare", dir] => match compare(Path::new(dir)) {
            Ok(problems) if problems.is_empty() => {
                println!("every case, sequence and feed body of {dir} is covered here");
                ExitCode::SUCCESS
            }
            Ok(problems) => {
                for problem in problems {
                    eprintln!("{problem}");
                }
                ExitCode::FAILURE
            }
            Err(e) => {
                eprintln!("{e}");
                ExitCode::FAILURE
            }
        },
        _ => {
            eprintln!("usage: testdata [--check | --compare DIR]");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn committed_vectors_are_what_this_program_writes() {
        let committed = std::fs::read_to_string(vectors_path()).expect("booking-tokens.json");
        assert!(
            committed == vectors_json(),
            "{} is not what testdata/generate.rs writes: run `cargo run -p hadir --example testdata`",
            vectors_path().display()
        );
    }

    #[test]
    fn k1_is_the_demo_key_and_k9_stays_unknown() {
        let v: Value = serde_json::from_str(&vectors_json()).expect("JSON");
        // demo.rs signs its tokens with the k1 seed; the demo's tokens and these agree.
        assert_eq!(
            v["config"]["keys"]["k1"],
            Value::from(hadir::demo::demo_public_key())
        );
        assert!(
            v["config"]["keys"].get("k9").is_none(),
            "k9 is not configured"
        );
    }

    #[test]
    fn the_non_canonical_signature_differs_from_the_canonical_one_only_in_s() {
        let payload = Payload::valid("MP1569AC87");
        let canonical = token(&payload);
        let odd = non_canonical_token(&payload);
        let signature = |t: &str| {
            let part = t.rsplit('.').next().expect("a signature part");
            URL_SAFE_NO_PAD.decode(part).expect("base64url")
        };
        let (a, b) = (signature(&canonical), signature(&odd));
        assert_eq!(a[..32], b[..32], "R is kept");
        assert_ne!(a[32..], b[32..], "S is changed");
    }

    #[test]
    fn compare_names_what_another_copy_has_and_this_one_lacks() {
        let ours: Value = serde_json::from_str(&vectors_json()).expect("JSON");
        assert!(uncovered(&ours, &ours).is_empty());
        let mut other = ours.clone();
        other["cases"]
            .as_array_mut()
            .expect("cases")
            .push(serde_json::json!({"name": "new", "input": "X", "verdict": "ok"}));
        other["cases"][0]["verdict"] = "revoked".into();
        other["sequences"][0]["verdicts"][1] = "ok".into();
        let problems = uncovered(&other, &ours).join("\n");
        assert!(problems.contains("case \"new\" is missing"), "{problems}");
        assert!(
            problems.contains("case \"signed, in cache\": verdict"),
            "{problems}"
        );
        assert!(problems.contains("sequence \"second scan"), "{problems}");
        assert_eq!(problems.lines().count(), 3, "{problems}");
    }

    #[test]
    fn only_the_altered_case_may_differ_in_its_signature() {
        let ours: Value = serde_json::from_str(&vectors_json()).expect("JSON");
        let mut other = ours.clone();
        for case in other["cases"].as_array_mut().expect("cases") {
            let input = case["input"].as_str().unwrap_or("").to_owned();
            if input.starts_with("MPQ1.ey") {
                case["input"] = format!("{}AA", &input[..input.len() - 2]).into();
            }
        }
        let problems = uncovered(&other, &ours);
        assert!(!problems.iter().any(|p| p.contains(ALTERED_CASE)));
        assert!(problems.iter().any(|p| p.contains("signed, in cache")));
    }
}
