//! OpenIM tokens (contract §5): HS256 JWTs signed with the tenant's secret, header
//! `{"alg":"HS256","typ":"JWT"}`, claims `{"UserID","PlatformID","exp","iat"}` with `iat` five
//! seconds before issue, as the real server makes them. Verification tells apart the faults
//! OpenIM reports with different codes: malformed (1503), bad signature (1505), expired
//! (1501). HS256 is written out here with the HMAC and SHA-256 the crate already uses: the JWT
//! crates bring some eighty crates of asymmetric cryptography this does not need.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use dashmap::DashMap;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

const HEADER: &str = r#"{"alg":"HS256","typ":"JWT"}"#;

/// The claims of a token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    #[serde(rename = "UserID")]
    pub user_id: String,
    #[serde(rename = "PlatformID")]
    pub platform_id: i32,
    /// Expiry, Unix seconds.
    pub exp: i64,
    /// Issue time, Unix seconds.
    pub iat: i64,
}

/// Why a token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Not three segments of base64url JSON.
    Malformed,
    /// Signed with another secret or algorithm: golang-jwt's text.
    Signature(&'static str),
    Expired,
}

fn mac(secret: &str) -> Hmac<Sha256> {
    Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length")
}

/// A token for `claims`, signed with `secret`.
pub fn sign(claims: &Claims, secret: &str) -> String {
    let payload = serde_json::to_vec(claims).unwrap_or_default();
    let mut token = URL_SAFE_NO_PAD.encode(HEADER);
    token.push('.');
    token.push_str(&URL_SAFE_NO_PAD.encode(payload));
    let mut mac = mac(secret);
    mac.update(token.as_bytes());
    let signature = mac.finalize().into_bytes();
    token.push('.');
    token.push_str(&URL_SAFE_NO_PAD.encode(signature));
    token
}

/// The claims of `token`, checked against `secret` and the time `now_s` (Unix seconds).
pub fn verify(token: &str, secret: &str, now_s: i64) -> Result<Claims, Fault> {
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Fault::Malformed);
    };
    let header: serde_json::Value = decode_part(header)?;
    let claims: Claims = decode_part(payload)?;
    let signature = URL_SAFE_NO_PAD
        .decode(signature.trim_end_matches('='))
        .map_err(|_| Fault::Malformed)?;
    if header.get("alg").and_then(|a| a.as_str()) != Some("HS256") {
        return Err(Fault::Signature("signing method (alg) is unavailable"));
    }
    let signed = &token[..header_and_payload_len(token)];
    let mut mac = mac(secret);
    mac.update(signed.as_bytes());
    if mac.verify_slice(&signature).is_err() {
        return Err(Fault::Signature("signature is invalid"));
    }
    if now_s >= claims.exp {
        return Err(Fault::Expired);
    }
    Ok(claims)
}

fn decode_part<T: for<'de> Deserialize<'de>>(part: &str) -> Result<T, Fault> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .map_err(|_| Fault::Malformed)?;
    serde_json::from_slice(&bytes).map_err(|_| Fault::Malformed)
}

fn header_and_payload_len(token: &str) -> usize {
    token.rfind('.').unwrap_or(token.len())
}

/// Tokens whose signature has been checked, with the secret it was checked against, so that a
/// client's every call does not pay for the digest and the decoding again. Only good tokens
/// enter; past [`Verified::CAPACITY`] it starts afresh. Expiry is still checked on every use.
#[derive(Debug, Default)]
pub struct Verified {
    seen: DashMap<Box<str>, (Box<str>, Claims)>,
}

impl Verified {
    const CAPACITY: usize = 4096;

    /// [`verify`], remembering good tokens.
    pub fn verify(&self, token: &str, secret: &str, now_s: i64) -> Result<Claims, Fault> {
        if let Some(entry) = self.seen.get(token) {
            let (checked_with, claims) = entry.value();
            if **checked_with == *secret {
                return if now_s >= claims.exp {
                    Err(Fault::Expired)
                } else {
                    Ok(claims.clone())
                };
            }
        }
        let claims = verify(token, secret, now_s)?;
        if self.seen.len() >= Self::CAPACITY {
            self.seen.clear();
        }
        self.seen
            .insert(token.into(), (secret.into(), claims.clone()));
        Ok(claims)
    }
}
