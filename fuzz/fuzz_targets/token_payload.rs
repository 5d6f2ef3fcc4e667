//! The JSON inside a signed token. The fuzzer's bytes are the payload itself: they are base64url
//! encoded into `MPQ1.<payload>.<sig>` here, so mutations explore JSON, not base64.
//! A payload that parses is then signed with the test key `k1` and must verify, and must stop
//! verifying when one byte of the signature changes.

#![no_main]

use std::collections::BTreeMap;
use std::sync::OnceLock;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::{Signer, SigningKey};
use hadir::booking::token::{self, TokenRefusal, VerificationKeys};
use hadir::booking::{classify, Scanned, MAX_SCAN_BYTES};
use hadir::model::is_booking_code;
use libfuzzer_sys::fuzz_target;

/// The `k1` test-only seed of `crates/hadir/testdata/booking-tokens.json` (also the demo key).
const K1_SEED: &str = "8iiaG_SJlC8o4TtqmMccSmN8B1kFHqN7IcD-Skx2r1M";

/// A syntactically valid signature that signs nothing (86 base64url characters, 64 bytes).
const DUMMY_SIGNATURE: &str =
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

fn signing_key() -> &'static SigningKey {
    static KEY: OnceLock<SigningKey> = OnceLock::new();
    KEY.get_or_init(|| {
        let seed: [u8; 32] = URL_SAFE_NO_PAD
            .decode(K1_SEED)
            .expect("base64url")
            .try_into()
            .expect("32 bytes");
        let key = SigningKey::from_bytes(&seed);
        assert_eq!(
            URL_SAFE_NO_PAD.encode(key.verifying_key().to_bytes()),
            hadir::demo::demo_public_key(),
            "the demo key is k1's seed"
        );
        key
    })
}

fn keys_for(key_id: &str) -> VerificationKeys {
    BTreeMap::from([(key_id.to_owned(), signing_key().verifying_key())])
}

fuzz_target!(|payload: &[u8]| {
    let encoded = URL_SAFE_NO_PAD.encode(payload);
    let text = format!("MPQ1.{encoded}.{DUMMY_SIGNATURE}");
    let parsed = token::parse(&text);

    if text.len() <= MAX_SCAN_BYTES {
        let scanned = classify(&text);
        assert_eq!(
            matches!(scanned, Scanned::Token(_)),
            parsed.is_some(),
            "classify and parse agree on form 1"
        );
    }
    let Some(parsed) = parsed else {
        return;
    };

    // Whatever parses is a UTF-8 JSON object with valid claims.
    let json = std::str::from_utf8(payload).expect("parsed, so UTF-8");
    assert!(
        json.trim_start().starts_with('{'),
        "only an object is a payload"
    );
    let claims = &parsed.claims;
    assert!(is_booking_code(&claims.booking_code), "{claims:?}");
    assert!((1..=16).contains(&claims.key_id.chars().count()));
    assert!((1..=32).contains(&claims.office.chars().count()));
    assert!((1..=5).contains(&claims.applicants));
    // serde_json's `Value` refuses a lone surrogate escape (`"\uDADD"`) that RFC 8259's grammar
    // allows and an ignored key may hold; where it can read the payload, it reads the same claims.
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(json) {
        assert_eq!(value["b"], claims.booking_code.as_str());
        assert_eq!(value["k"], claims.key_id.as_str());
    }

    // The dummy signature never verifies; an absent key is unknown_key first.
    let keys = keys_for(&claims.key_id);
    assert_eq!(
        token::verify(&parsed, &keys),
        Err(TokenRefusal::BadSignature)
    );
    assert_eq!(
        token::verify(&parsed, &VerificationKeys::new()),
        Err(TokenRefusal::UnknownKey)
    );

    // Signed for real, it verifies; one changed signature character and it does not.
    let input = format!("MPQ1.{encoded}");
    let signature = URL_SAFE_NO_PAD.encode(signing_key().sign(input.as_bytes()).to_bytes());
    let signed = token::parse(&format!("{input}.{signature}")).expect("same payload");
    assert_eq!(signed.claims, parsed.claims);
    assert_eq!(token::verify(&signed, &keys), Ok(()));
    let position = payload.len() % signature.len();
    let mut tampered = signature.into_bytes();
    tampered[position] = if tampered[position] == b'A' {
        b'B'
    } else {
        b'A'
    };
    let tampered = String::from_utf8(tampered).expect("ASCII");
    if let Some(token) = token::parse(&format!("{input}.{tampered}")) {
        assert_eq!(
            token::verify(&token, &keys),
            Err(TokenRefusal::BadSignature),
            "a changed signature is refused"
        );
    }
});
