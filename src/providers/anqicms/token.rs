//! User tokens (contract §3): HS256 JWTs signed with the site's secret + `-user-token`, claims
//! `userId` and `t` (the expiry, Unix seconds), both decimal strings, no `exp`. A token is good
//! while `t` has not passed; login and register issue 30-day tokens, and a good token within an
//! hour of its expiry earns a 24-hour one in the `Update-Token` header.

use crate::core::jwt;
use serde::Serialize;

/// The lifetime of a token from login or register, and of a renewed one.
pub const LOGIN_TTL_S: i64 = 30 * 24 * 3600;
pub const RENEWED_TTL_S: i64 = 24 * 3600;
/// A good token expiring within this is renewed.
pub const RENEW_WITHIN_S: i64 = 3600;

#[derive(Serialize)]
struct Claims {
    #[serde(rename = "userId")]
    user_id: String,
    t: String,
}

/// A token for `user_id` that expires at `expiry_s`, signed with `key`.
pub fn sign(user_id: u64, expiry_s: i64, key: &str) -> String {
    let claims = Claims {
        user_id: user_id.to_string(),
        t: expiry_s.to_string(),
    };
    jwt::sign_hs256(&serde_json::to_vec(&claims).unwrap_or_default(), key)
}

/// The user ID and expiry of `token` when golang-jwt v5 takes it at `now_s` (signed with `key`
/// by an HMAC algorithm, no base64 padding, registered claims `exp` and `nbf` numbers that
/// hold) and its `userId` and `t` are strings. An ID that is not a number reads as 0 (Go's
/// `Atoi`), an expiry past the range of int64 as its end (Go's `ParseInt`).
pub fn claims(token: &str, key: &str, now_s: i64) -> Option<(u64, i64)> {
    if token.contains('=') {
        return None;
    }
    let claims = jwt::verified_claims(token, key)?;
    let holds = |name: &str, good: &dyn Fn(f64) -> bool| match claims.get(name) {
        None => true,
        Some(value) => value.as_f64().is_some_and(good),
    };
    let now = now_s as f64;
    if !holds("exp", &|exp| now < exp) || !holds("nbf", &|nbf| now >= nbf) {
        return None;
    }
    let user_id = claims.get("userId")?.as_str()?;
    let expiry = claims.get("t")?.as_str()?;
    Some((user_id.parse().unwrap_or(0), parse_int(expiry)))
}

/// Go's `strconv.ParseInt(text, 10, 64)` with its error ignored: out-of-range values clamp,
/// malformed ones are 0.
fn parse_int(text: &str) -> i64 {
    if let Ok(n) = text.parse() {
        return n;
    }
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return 0;
    }
    if text.starts_with('-') {
        i64::MIN
    } else {
        i64::MAX
    }
}
