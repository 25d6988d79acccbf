//! Easemob access tokens (contract §3.3): `"ac-"` + token UUID + app/user slot + principal
//! UUID + kind + issue time + TTL + signature, base64url without padding: 130 characters that
//! begin with `YWMt`. Tokens are checked from their own bytes (signature, app, expiry), so they
//! survive resets, as real app tokens do; a signature once checked is remembered.

use super::error::EasemobError;
use crate::core::ids::Ids;
use actix_web::HttpRequest;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use dashmap::DashMap;
use uuid::Uuid;

const PREFIX: &[u8] = b"ac-";
const SIGNED_LEN: usize = 3 + 16 + 16 + 16 + 2 + 8 + 4;
const TOKEN_LEN: usize = SIGNED_LEN + 32;
const APP_SLOT: [u8; 16] = {
    let mut slot = [0u8; 16];
    slot[15] = 1;
    slot
};

/// Who a token speaks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Principal {
    /// The application administrator (`client_credentials`).
    App,
    /// A user (`password` or `inherit`), by the user's UUID.
    User(Uuid),
}

/// A new token for `principal` of the application `app`, valid for `ttl_s` seconds (0: for
/// ever) from `now_ms`.
pub fn issue(ids: &Ids, app: Uuid, principal: Principal, now_ms: i64, ttl_s: u32) -> String {
    let mut bytes = Vec::with_capacity(TOKEN_LEN);
    bytes.extend_from_slice(PREFIX);
    bytes.extend_from_slice(ids.uuid_v1(now_ms).as_bytes());
    match principal {
        Principal::App => {
            bytes.extend_from_slice(&APP_SLOT);
            bytes.extend_from_slice(app.as_bytes());
            bytes.extend_from_slice(&[0x02, 0x02]);
        }
        Principal::User(user) => {
            bytes.extend_from_slice(app.as_bytes());
            bytes.extend_from_slice(user.as_bytes());
            bytes.extend_from_slice(&[0x03, 0x03]);
        }
    }
    bytes.extend_from_slice(&now_ms.to_be_bytes());
    bytes.extend_from_slice(&ttl_s.to_be_bytes());
    let signature = ids.digest(&[b"easemob-token", &bytes]);
    bytes.extend_from_slice(&signature);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Tokens whose signature has been checked, so that a client's every call does not pay for
/// the digest again. Only good tokens enter; past [`Verifier::CAPACITY`] it starts afresh.
#[derive(Debug, Default)]
pub struct Verifier {
    seen: DashMap<Box<str>, [u8; SIGNED_LEN]>,
}

impl Verifier {
    const CAPACITY: usize = 4096;

    /// Forgets every checked token (the key that signs them may have changed).
    pub fn clear(&self) {
        self.seen.clear();
    }

    /// The signed part of `token`, once its signature is known to be this server's.
    fn verified(&self, ids: &Ids, token: &str) -> Result<[u8; SIGNED_LEN], EasemobError> {
        if let Some(signed) = self.seen.get(token) {
            return Ok(*signed);
        }
        let mut bytes = [0u8; TOKEN_LEN];
        // A token of any other length does not fit, or leaves the buffer short: corrupt.
        match URL_SAFE_NO_PAD.decode_slice(token, &mut bytes) {
            Ok(TOKEN_LEN) if bytes.starts_with(PREFIX) => {}
            _ => return Err(EasemobError::corrupt_token()),
        }
        let (signed, signature) = bytes.split_at(SIGNED_LEN);
        if ids.digest(&[b"easemob-token", signed]) != signature {
            return Err(EasemobError::unknown_token());
        }
        let mut kept = [0u8; SIGNED_LEN];
        kept.copy_from_slice(signed);
        if self.seen.len() >= Self::CAPACITY {
            self.seen.clear();
        }
        self.seen.insert(token.into(), kept);
        Ok(kept)
    }
}

/// What a token is checked against: the server's key, its verified tokens, the application
/// and the time.
pub struct Check<'a> {
    pub ids: &'a Ids,
    pub verifier: &'a Verifier,
    pub app: Uuid,
    pub now_ms: i64,
}

/// Checks the bearer token of `req`.
pub fn authenticate(req: &HttpRequest, check: &Check<'_>) -> Result<Principal, EasemobError> {
    let token = bearer(req).ok_or_else(EasemobError::expired_token)?;
    let signed = check.verifier.verified(check.ids, token)?;
    let principal = principal_of(&signed, check.app).ok_or_else(EasemobError::unknown_token)?;
    let issued = i64::from_be_bytes(signed[53..61].try_into().unwrap_or_default());
    let ttl = u32::from_be_bytes(signed[61..65].try_into().unwrap_or_default());
    if ttl != 0 && check.now_ms >= issued.saturating_add(i64::from(ttl) * 1000) {
        return Err(EasemobError::expired_token());
    }
    Ok(principal)
}

/// Like [`authenticate`], refusing user tokens: the REST admin APIs take app tokens only.
pub fn authenticate_app(req: &HttpRequest, check: &Check<'_>) -> Result<(), EasemobError> {
    match authenticate(req, check)? {
        Principal::App => Ok(()),
        Principal::User(_) => Err(EasemobError::corrupt_token()),
    }
}

/// Whether the request carries any bearer token at all.
pub fn has_token(req: &HttpRequest) -> bool {
    bearer(req).is_some()
}

fn principal_of(signed: &[u8], app: Uuid) -> Option<Principal> {
    let slot = &signed[19..35];
    let principal = Uuid::from_slice(&signed[35..51]).ok()?;
    match &signed[51..53] {
        [0x02, 0x02] if slot == APP_SLOT && principal == app => Some(Principal::App),
        [0x03, 0x03] if slot == app.as_bytes() => Some(Principal::User(principal)),
        _ => None,
    }
}

fn bearer(req: &HttpRequest) -> Option<&str> {
    let value = req.headers().get("authorization")?.to_str().ok()?.trim();
    let (scheme, token) = value.split_once([' ', '\t'])?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let token = token.trim();
    (!token.is_empty()).then_some(token)
}
