//! OpenIM tokens (contract §5): JWTs signed with the tenant's secret, claims
//! `{"UserID","PlatformID","exp","iat"}` with `iat` five seconds before issue, as the real
//! server makes them (HS256). Verification follows golang-jwt v4 as the server uses it: any
//! HMAC algorithm the header names is checked with the secret, the claims are validated before
//! the signature, and the faults map to OpenIM's codes in the server's order: malformed
//! (1503), expired (1501), not valid yet (1504), anything else 1505 with the library's text.
//! The HMAC and base64url parts are `core::jwt`'s.

use crate::core::jwt;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use dashmap::DashMap;
use serde::Serialize;
use serde_json::{Map, Value};

/// The claims of a token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Claims {
    #[serde(rename = "UserID")]
    pub user_id: String,
    #[serde(rename = "PlatformID")]
    pub platform_id: i32,
    /// Expiry, Unix seconds; a token without one never expires.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exp: Option<i64>,
    /// Issue time, Unix seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iat: Option<i64>,
    #[serde(skip)]
    nbf: Option<i64>,
}

impl Claims {
    /// The claims of a token for `user_id` on `platform_id` issued at `now_s`, for `ttl_s`.
    pub fn new(user_id: &str, platform_id: i32, now_s: i64, ttl_s: i64) -> Self {
        Self {
            user_id: user_id.to_owned(),
            platform_id,
            exp: Some(now_s + ttl_s),
            iat: Some(now_s - 5),
            nbf: None,
        }
    }

    /// Whether the token has expired at `now_s`.
    pub fn expired(&self, now_s: i64) -> bool {
        self.exp.is_some_and(|exp| now_s >= exp)
    }
}

/// Why a token was refused, as OpenIM maps golang-jwt's validation error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    Malformed,
    Expired,
    NotValidYet,
    /// Anything else (1505): the library's text.
    Other(&'static str),
}

/// A token for `claims`, signed with `secret` (HS256).
pub fn sign(claims: &Claims, secret: &str) -> String {
    jwt::sign_hs256(&serde_json::to_vec(claims).unwrap_or_default(), secret)
}

/// The claims of `token`, checked against `secret` at the time `now_s` (Unix seconds).
pub fn verify(token: &str, secret: &str, now_s: i64) -> Result<Claims, Fault> {
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Fault::Malformed);
    };
    let header: Map<String, Value> = decode_part(header)?;
    let claims = claims_of(decode_part(payload)?)?;
    let alg = header
        .get("alg")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let signed = &token[..header_and_payload_len(token)];
    let signature_fault = check_signature(alg, secret, signed, signature);
    if let Some(Fault::Other(text)) = signature_fault {
        if text == UNAVAILABLE {
            return Err(Fault::Other(UNAVAILABLE));
        }
    }
    // golang-jwt validates the claims first; OpenIM reports expiry before a bad signature.
    if claims.expired(now_s) {
        return Err(Fault::Expired);
    }
    if claims.nbf.is_some_and(|nbf| now_s < nbf) {
        return Err(Fault::NotValidYet);
    }
    if let Some(fault) = signature_fault {
        return Err(fault);
    }
    if claims.iat.is_some_and(|iat| now_s < iat) {
        return Err(Fault::Other("token used before issued"));
    }
    Ok(claims)
}

/// golang-jwt's text for an algorithm it does not know.
const UNAVAILABLE: &str = "signing method (alg) is unavailable.";

/// What is wrong with the signature, if anything: the server's key function hands the secret
/// to whatever algorithm the header names.
fn check_signature(alg: &str, secret: &str, signed: &str, signature: &str) -> Option<Fault> {
    let expected = match alg {
        "HS256" | "HS384" | "HS512" => jwt::hmac(alg, secret, signed.as_bytes())?,
        "none" => return Some(Fault::Other("'none' signature type is not allowed")),
        "RS256" | "RS384" | "RS512" | "PS256" | "PS384" | "PS512" | "ES256" | "ES384" | "ES512"
        | "EdDSA" => return Some(Fault::Other("key is of invalid type")),
        _ => return Some(Fault::Other(UNAVAILABLE)),
    };
    let given = match URL_SAFE_NO_PAD.decode(signature.trim_end_matches('=')) {
        Ok(given) => given,
        Err(_) => return Some(Fault::Other("illegal base64 data in the signature")),
    };
    (given != expected).then_some(Fault::Other("signature is invalid"))
}

fn decode_part(part: &str) -> Result<Map<String, Value>, Fault> {
    jwt::decode_part(part).ok_or(Fault::Malformed)
}

/// The claims as Go decodes them into `tokenverify.Claims`: keys matched case-insensitively,
/// every claim optional, a wrong type malformed.
fn claims_of(payload: Map<String, Value>) -> Result<Claims, Fault> {
    let get = |name: &str| {
        payload
            .get(name)
            .or_else(|| {
                payload
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v)
            })
            .filter(|v| !v.is_null())
    };
    let user_id = match get("UserID") {
        None => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err(Fault::Malformed),
    };
    let platform_id = match get("PlatformID") {
        None => 0,
        Some(v) => v
            .as_i64()
            .and_then(|n| i32::try_from(n).ok())
            .ok_or(Fault::Malformed)?,
    };
    let date = |name| match get(name) {
        None => Ok(None),
        Some(v) => v.as_f64().map(|f| Some(f as i64)).ok_or(Fault::Malformed),
    };
    Ok(Claims {
        user_id,
        platform_id,
        exp: date("exp")?,
        iat: date("iat")?,
        nbf: date("nbf")?,
    })
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
            if **checked_with == *secret && claims.nbf.is_none_or(|nbf| now_s >= nbf) {
                return match () {
                    () if claims.expired(now_s) => Err(Fault::Expired),
                    () if claims.iat.is_some_and(|iat| now_s < iat) => {
                        Err(Fault::Other("token used before issued"))
                    }
                    () => Ok(claims.clone()),
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
