//! `/auth/*` (contract §5): admin tokens for the secret and an admin userID, user tokens
//! issued by an admin (and the older `/auth/user_token` with the secret), token parsing and
//! forced logout. Tokens are HS256 JWTs signed with the tenant's secret; a user token is held
//! in the token store, where a newer one for the same platform kicks it.

use super::error::OpenImError;
use super::fixtures::Version;
use super::jwt::{self, Claims};
use super::op::Op;
use crate::core::gojson::{field, GoStruct, GoType::*};
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

/// The admin platform (`constant.AdminPlatformID`).
pub const ADMIN_PLATFORM: i32 = 10;
/// A user at this app-manager level or above is an app account, which gets no user token.
const APP_ACCOUNT_LEVEL: i32 = 3;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TokenIssued {
    token: String,
    expire_time_seconds: i64,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct AdminTokenReq {
    secret: String,
    #[serde(rename = "userID")]
    user_id: String,
    #[serde(rename = "platformID")]
    platform_id: i32,
}

static GET_ADMIN_TOKEN: GoStruct = GoStruct::new(
    "GetAdminTokenReq",
    "auth.GetAdminTokenReq",
    &[field("secret", Str), field("userID", Str)],
);

static USER_TOKEN: GoStruct = GoStruct::new(
    "UserTokenReq",
    "auth.UserTokenReq",
    &[
        field("secret", Str),
        field("platformID", I32),
        field("userID", Str),
    ],
);

/// `POST /auth/get_admin_token` `{"secret","userID"}` (no token header).
pub async fn get_admin_token(
    op: Op<'_>,
    payload: web::Payload,
) -> Result<HttpResponse, OpenImError> {
    let req: AdminTokenReq = op.call.bind(payload, &GET_ADMIN_TOKEN).await?;
    if req.user_id.is_empty() {
        return Err(OpenImError::args("userID is empty"));
    }
    let settings = &op.tenant.settings;
    if req.secret != settings.secret {
        return Err(OpenImError::no_permission("secret invalid"));
    }
    if !settings.is_admin(&req.user_id) {
        return Err(OpenImError::args(format!(
            "userID is error., userID={}, adminUserID=[{}]",
            req.user_id,
            settings.admin_user_ids.join(" ")
        )));
    }
    if !op.tenant.users.exists(&req.user_id) {
        return Err(OpenImError::not_found("record not found"));
    }
    issue(&op, &req.user_id, ADMIN_PLATFORM)
}

/// `POST /auth/user_token` `{"secret","platformID","userID"}`: the token endpoint of releases
/// before v3.8.1, kept for older clients.
pub async fn user_token(op: Op<'_>, payload: web::Payload) -> Result<HttpResponse, OpenImError> {
    let req: AdminTokenReq = op.call.bind(payload, &USER_TOKEN).await?;
    if req.secret != op.tenant.settings.secret {
        return Err(OpenImError::no_permission("secret invalid"));
    }
    if !op.tenant.users.exists(&req.user_id) {
        return Err(OpenImError::not_found("record not found"));
    }
    issue(&op, &req.user_id, req.platform_id)
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct UserTokenReq {
    #[serde(rename = "platformID")]
    platform_id: i32,
    #[serde(rename = "userID")]
    user_id: String,
}

static GET_USER_TOKEN: GoStruct = GoStruct::new(
    "GetUserTokenReq",
    "auth.GetUserTokenReq",
    &[field("platformID", I32), field("userID", Str)],
);

/// `POST /auth/get_user_token` `{"platformID","userID"}` (admin token).
pub async fn get_user_token(
    op: Op<'_>,
    payload: web::Payload,
) -> Result<HttpResponse, OpenImError> {
    let req: UserTokenReq = op.call.bind(payload, &GET_USER_TOKEN).await?;
    op.check_admin()?;
    if req.platform_id == ADMIN_PLATFORM {
        return Err(OpenImError::no_permission(
            "platformID invalid. platformID must not be adminPlatformID",
        ));
    }
    if op.tenant.settings.is_admin(&req.user_id) {
        return Err(OpenImError::no_permission("don't get Admin token"));
    }
    let user = op
        .tenant
        .users
        .get(&req.user_id)
        .ok_or_else(|| OpenImError::not_found("record not found"))?;
    if user.app_manger_level >= APP_ACCOUNT_LEVEL {
        return Err(OpenImError::args("app account can`t get token"));
    }
    issue(&op, &req.user_id, req.platform_id)
}

/// Signs a token for `user` on `platform`, records it, and answers it.
fn issue(op: &Op<'_>, user: &str, platform: i32) -> Result<HttpResponse, OpenImError> {
    let settings = &op.tenant.settings;
    let now_ms = op.call.now_ms;
    let now_s = now_ms.div_euclid(1000);
    let lifetime = settings.token_expire_days * 86_400;
    let claims = Claims::new(user, platform, now_s, lifetime);
    let token = jwt::sign(&claims, &settings.secret);
    let tenant = op.call.keep().unwrap_or_else(|| op.tenant.clone());
    let main = settings.version == Version::Main;
    let admin = settings.is_admin(user);
    if main || !admin {
        let secret = &settings.secret;
        let valid = |t: &str| jwt::verify(t, secret, now_s).is_ok();
        let store = &tenant.tokens;
        store.issue(user, platform, token.clone(), now_ms, main && admin, valid);
    }
    op.call.ok(Some(TokenIssued {
        token,
        expire_time_seconds: lifetime,
    }))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ParseTokenReq {
    token: String,
}

static PARSE_TOKEN: GoStruct = GoStruct::new(
    "ParseTokenReq",
    "auth.ParseTokenReq",
    &[field("token", Str)],
);

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Parsed {
    #[serde(rename = "userID")]
    user_id: String,
    #[serde(rename = "platformID")]
    platform_id: i32,
    /// The expiry as an absolute Unix time, unlike the issuing answers' duration.
    expire_time_seconds: i64,
}

/// `POST /auth/parse_token` `{"token"}` (no token header).
pub async fn parse_token(op: Op<'_>, payload: web::Payload) -> Result<HttpResponse, OpenImError> {
    let req: ParseTokenReq = op.call.bind(payload, &PARSE_TOKEN).await?;
    if req.token.is_empty() {
        return Err(OpenImError::args("userID is empty"));
    }
    let claims = op.call.verify(&op.tenant, &req.token)?;
    op.call.ok(Some(Parsed {
        user_id: claims.user_id,
        platform_id: claims.platform_id,
        expire_time_seconds: claims.exp.unwrap_or_default(),
    }))
}

static FORCE_LOGOUT: GoStruct = GoStruct::new(
    "ForceLogoutReq",
    "auth.ForceLogoutReq",
    &[field("platformID", I32), field("userID", Str)],
);

/// `POST /auth/force_logout` `{"platformID","userID"}` (admin token): kicks that user's tokens
/// of that platform.
pub async fn force_logout(op: Op<'_>, payload: web::Payload) -> Result<HttpResponse, OpenImError> {
    let req: UserTokenReq = op.call.bind(payload, &FORCE_LOGOUT).await?;
    if req.user_id.is_empty() {
        return Err(OpenImError::args("userID is empty"));
    }
    if !(1..=ADMIN_PLATFORM).contains(&req.platform_id) {
        return Err(OpenImError::args("platformID is invalidate"));
    }
    op.check_admin()?;
    op.tenant.tokens.kick(&req.user_id, req.platform_id);
    op.call.ok(None::<()>)
}
