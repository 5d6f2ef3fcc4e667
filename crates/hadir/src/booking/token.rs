//! Form 1 of `docs/booking-qr.md`: `MPQ1.<payload>.<signature>`, an Ed25519-signed
//! booking. Parsing (this file's [`parse`]) and verification ([`verify`]) are separate steps
//! because the contract orders them: malformed, then unknown_key, then bad_signature.

use std::collections::{BTreeMap, HashSet};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::{Signature, VerifyingKey};
use jiff::civil::{Date, Time};
use serde::de::{IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::model::is_booking_code;
use crate::model::{hh_mm, Service, MAX_APPLICANTS};

/// The token's prefix and the only payload version known.
pub const TOKEN_PREFIX: &str = "MPQ1";
const PAYLOAD_VERSION: u64 = 1;

/// What a well-formed token claims (not yet verified).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenClaims {
    pub key_id: String,
    pub booking_code: String,
    pub office: String,
    pub date: Date,
    pub slot_start: Option<Time>,
    pub slot_end: Option<Time>,
    pub applicants: u8,
    pub service: Service,
    pub express: bool,
    pub issued_at: i64,
}

/// A token split and decoded, ready for [`verify`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedToken {
    pub claims: TokenClaims,
    /// `MPQ1.<payload>`: the bytes the signature covers.
    signing_input: String,
    signature_part: String,
}

/// Why a well-formed token is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenRefusal {
    UnknownKey,
    BadSignature,
}

/// Verification keys by key id, decoded once from the configuration.
pub type VerificationKeys = BTreeMap<String, VerifyingKey>;

/// Splits and decodes a token; `None` means `malformed`.
pub fn parse(text: &str) -> Option<SignedToken> {
    let mut parts = text.split('.');
    let (prefix, payload, signature) = (parts.next()?, parts.next()?, parts.next()?);
    if prefix != TOKEN_PREFIX || parts.next().is_some() {
        return None;
    }
    let json = URL_SAFE_NO_PAD.decode(payload).ok()?;
    // The payload is UTF-8 JSON. Checked here: serde_json skips an ignored key's string without
    // checking its bytes, so invalid UTF-8 in an unknown key would pass.
    let json = std::str::from_utf8(&json).ok()?;
    // The same key twice is malformed, whichever key it is (serde alone would only catch known ones).
    serde_json::from_str::<KeysOnce>(json).ok()?;
    let raw: RawClaims = serde_json::from_str(json).ok()?;
    let claims = raw.validate()?;
    Some(SignedToken {
        claims,
        signing_input: format!("{prefix}.{payload}"),
        signature_part: signature.to_owned(),
    })
}

/// Checks the signature with the key the token names, strictly (no non-canonical signatures,
/// no small-order keys).
pub fn verify(token: &SignedToken, keys: &VerificationKeys) -> Result<(), TokenRefusal> {
    let key = keys
        .get(&token.claims.key_id)
        .ok_or(TokenRefusal::UnknownKey)?;
    let bytes = URL_SAFE_NO_PAD
        .decode(&token.signature_part)
        .map_err(|_| TokenRefusal::BadSignature)?;
    let bytes: [u8; 64] = bytes.try_into().map_err(|_| TokenRefusal::BadSignature)?;
    let signature = Signature::from_bytes(&bytes);
    key.verify_strict(token.signing_input.as_bytes(), &signature)
        .map_err(|_| TokenRefusal::BadSignature)
}

/// Decodes one configured key: base64url (no padding) of 32 bytes, a valid point, not small order.
pub fn decode_verification_key(text: &str) -> Result<VerifyingKey, String> {
    let bytes = URL_SAFE_NO_PAD
        .decode(text.trim())
        .map_err(|_| "is not base64url without padding".to_owned())?;
    let bytes: [u8; 32] = bytes.try_into().map_err(|b: Vec<u8>| {
        format!("decodes to {} bytes; an Ed25519 public key has 32", b.len())
    })?;
    let key = VerifyingKey::from_bytes(&bytes)
        .map_err(|_| "is not a valid Ed25519 public key".to_owned())?;
    if key.is_weak() {
        return Err("is a small-order (weak) key".into());
    }
    Ok(key)
}

#[derive(Deserialize)]
struct RawClaims {
    v: u64,
    k: String,
    b: String,
    o: String,
    d: Date,
    #[serde(default, deserialize_with = "optional_hh_mm")]
    s: Option<Time>,
    #[serde(default, deserialize_with = "optional_hh_mm")]
    e: Option<Time>,
    n: u8,
    svc: Service,
    #[serde(default)]
    x: bool,
    iat: i64,
}

impl RawClaims {
    fn validate(self) -> Option<TokenClaims> {
        let ok = self.v == PAYLOAD_VERSION
            && (1..=16).contains(&self.k.chars().count())
            && is_booking_code(&self.b)
            && (1..=32).contains(&self.o.chars().count())
            && (1..=MAX_APPLICANTS as u8).contains(&self.n);
        ok.then_some(TokenClaims {
            key_id: self.k,
            booking_code: self.b,
            office: self.o,
            date: self.d,
            slot_start: self.s,
            slot_end: self.e,
            applicants: self.n,
            service: self.svc,
            express: self.x,
            issued_at: self.iat,
        })
    }
}

fn optional_hh_mm<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Time>, D::Error> {
    hh_mm::deserialize(deserializer).map(Some)
}

/// Deserialises any JSON object, failing if a key repeats; anything but an object fails too.
struct KeysOnce;

impl<'de> Deserialize<'de> for KeysOnce {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeysOnceVisitor;
        impl<'de> Visitor<'de> for KeysOnceVisitor {
            type Value = KeysOnce;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object with distinct keys")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<KeysOnce, A::Error> {
                let mut seen = HashSet::new();
                while let Some(key) = map.next_key::<String>()? {
                    if !seen.insert(key) {
                        return Err(serde::de::Error::custom("duplicate key"));
                    }
                    map.next_value::<IgnoredAny>()?;
                }
                Ok(KeysOnce)
            }
        }
        deserializer.deserialize_map(KeysOnceVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::{Signer, SigningKey};

    fn sign(payload_json: &str, key: &SigningKey) -> String {
        let payload = URL_SAFE_NO_PAD.encode(payload_json);
        let input = format!("MPQ1.{payload}");
        let signature = key.sign(input.as_bytes());
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes()))
    }

    fn key() -> SigningKey {
        SigningKey::from_bytes(&[7; 32])
    }

    fn keys() -> VerificationKeys {
        BTreeMap::from([("k1".to_owned(), key().verifying_key())])
    }

    const CLAIMS: &str = r#"{"v":1,"k":"k1","b":"MP7K2Q9XA4","o":"KANIM-KUPANG","d":"2026-11-29","n":2,"svc":"baru","iat":1764300000}"#;

    #[test]
    fn a_signed_token_parses_and_verifies() {
        let token = parse(&sign(CLAIMS, &key())).expect("well formed");
        assert_eq!(token.claims.booking_code, "MP7K2Q9XA4");
        assert_eq!(token.claims.applicants, 2);
        assert_eq!(token.claims.slot_start, None, "s and e are optional");
        assert!(!token.claims.express, "x defaults to false");
        assert_eq!(verify(&token, &keys()), Ok(()));
    }

    #[test]
    fn the_wrong_key_is_a_bad_signature_and_a_missing_one_unknown() {
        let token = parse(&sign(CLAIMS, &SigningKey::from_bytes(&[9; 32]))).expect("well formed");
        assert_eq!(verify(&token, &keys()), Err(TokenRefusal::BadSignature));
        assert_eq!(
            verify(&token, &VerificationKeys::new()),
            Err(TokenRefusal::UnknownKey)
        );
    }

    #[test]
    fn padding_extra_parts_and_bad_json_are_malformed() {
        let good = sign(CLAIMS, &key());
        assert!(
            parse(&good.replacen(".", "=.", 2).replacen("MPQ1=.", "MPQ1.", 1)).is_none(),
            "padding"
        );
        assert!(parse(&format!("{good}.x")).is_none(), "four parts");
        assert!(
            parse(&sign(r#"{"v":1,"v":1}"#, &key())).is_none(),
            "duplicate key"
        );
        assert!(parse(&sign("[1,2]", &key())).is_none(), "not an object");
        assert!(
            parse(&sign(&CLAIMS.replace(r#""n":2"#, r#""n":"2""#), &key())).is_none(),
            "n as string"
        );
        assert!(
            parse(&sign(&CLAIMS.replace(r#""v":1"#, r#""v":true"#), &key())).is_none(),
            "v as bool"
        );
    }

    #[test]
    fn unknown_keys_in_the_payload_are_ignored() {
        let claims = CLAIMS.replace(r#""iat""#, r#""future":{"a":1},"iat""#);
        assert!(parse(&sign(&claims, &key())).is_some());
    }

    #[test]
    fn a_payload_that_is_not_utf8_is_malformed() {
        // Found by fuzz/token_payload: invalid UTF-8 inside an unknown key's string was accepted.
        let mut json = CLAIMS.trim_end_matches('}').as_bytes().to_vec();
        json.extend_from_slice(b",\"zz\":\"f\xff\xfee\"}");
        let input = format!("MPQ1.{}", URL_SAFE_NO_PAD.encode(&json));
        let signature = key().sign(input.as_bytes());
        let token = format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes()));
        assert!(
            parse(&token).is_none(),
            "signed, but not a UTF-8 JSON object"
        );
    }

    #[test]
    fn configured_keys_are_checked_when_read() {
        let good = URL_SAFE_NO_PAD.encode(key().verifying_key().to_bytes());
        assert!(decode_verification_key(&good).is_ok());
        assert!(decode_verification_key("abc").is_err(), "too short");
        assert!(
            decode_verification_key(&format!("{good}=")).is_err(),
            "padding"
        );
        let identity = URL_SAFE_NO_PAD.encode(
            [1u8]
                .iter()
                .chain([0u8; 31].iter())
                .copied()
                .collect::<Vec<_>>(),
        );
        assert!(
            decode_verification_key(&identity).is_err(),
            "the identity point is small order"
        );
    }
}
