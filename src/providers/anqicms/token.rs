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

/// The user ID and expiry of `token` when it is signed with `key` and its claims are strings
/// (an ID that is not a number reads as 0, as Go's `Atoi` leaves it).
pub fn claims(token: &str, key: &str) -> Option<(u64, i64)> {
    let claims = jwt::verified_claims(token, key)?;
    let user_id = claims.get("userId")?.as_str()?;
    let expiry = claims.get("t")?.as_str()?;
    Some((user_id.parse().unwrap_or(0), expiry.parse().unwrap_or(0)))
}
