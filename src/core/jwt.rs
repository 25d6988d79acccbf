//! JSON Web Tokens signed with HMAC, as the Go services' `golang-jwt` makes and checks them:
//! base64url parts without padding, the header `{"alg":"HS256","typ":"JWT"}` on the tokens they
//! issue, and HS256, HS384 or HS512 accepted on the tokens they check. Written out with the
//! `hmac` and `sha2` crates the emulator already uses: the JWT crates bring some eighty crates
//! of asymmetric cryptography this does not need.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::{Map, Value};
use sha2::{Sha256, Sha384, Sha512};

/// The header of every token the services issue.
const HS256_HEADER: &str = r#"{"alg":"HS256","typ":"JWT"}"#;

/// A token with the claims `payload` (JSON), signed with `secret` (HS256).
pub fn sign_hs256(payload: &[u8], secret: &str) -> String {
    let mut token = URL_SAFE_NO_PAD.encode(HS256_HEADER);
    token.push('.');
    token.push_str(&URL_SAFE_NO_PAD.encode(payload));
    let signature = hmac("HS256", secret, token.as_bytes()).unwrap_or_default();
    token.push('.');
    token.push_str(&URL_SAFE_NO_PAD.encode(signature));
    token
}

/// The HMAC of `data` under `secret` with the algorithm `alg` names (HS256, HS384, HS512).
pub fn hmac(alg: &str, secret: &str, data: &[u8]) -> Option<Vec<u8>> {
    fn run<M: Mac + hmac::digest::KeyInit>(secret: &str, data: &[u8]) -> Vec<u8> {
        let mut mac = <M as hmac::digest::KeyInit>::new_from_slice(secret.as_bytes())
            .expect("HMAC takes keys of any length");
        mac.update(data);
        mac.finalize().into_bytes().to_vec()
    }
    Some(match alg {
        "HS256" => run::<Hmac<Sha256>>(secret, data),
        "HS384" => run::<Hmac<Sha384>>(secret, data),
        "HS512" => run::<Hmac<Sha512>>(secret, data),
        _ => return None,
    })
}

/// One base64url part of a token read as a JSON object.
pub fn decode_part(part: &str) -> Option<Map<String, Value>> {
    let bytes = URL_SAFE_NO_PAD.decode(part.trim_end_matches('=')).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// The claims of `token` when it has three parts and an HMAC signature, by the algorithm its
/// header names, made with `secret`; `None` otherwise.
pub fn verified_claims(token: &str, secret: &str) -> Option<Map<String, Value>> {
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let header = decode_part(header)?;
    let alg = header.get("alg").and_then(Value::as_str)?;
    let signed = &token[..token.rfind('.')?];
    let expected = hmac(alg, secret, signed.as_bytes())?;
    let given = URL_SAFE_NO_PAD
        .decode(signature.trim_end_matches('='))
        .ok()?;
    (given == expected).then(|| decode_part(payload)).flatten()
}
