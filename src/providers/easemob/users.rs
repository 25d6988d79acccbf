//! The Easemob `/users` routes (contract §7): register one or a batch, get, list with a
//! cursor, delete one or the oldest N.

use super::auth::Principal;
use super::call::Call;
use super::error::EasemobError;
use super::json;
use super::tenant::Tenant;
use super::user_store::{username_fault, Refused, MAX_PASSWORD_BYTES};
use super::wire::{query_params, Extra, Meta};
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

const DEFAULT_PAGE: usize = 10;
const MAX_PAGE: usize = 100;
const MAX_NICKNAME_CHARS: usize = 100;

#[derive(Deserialize)]
struct NewUser<'a> {
    #[serde(borrow)]
    username: Option<Cow<'a, str>>,
    #[serde(borrow)]
    password: Option<Cow<'a, str>>,
    #[serde(borrow)]
    nickname: Option<Cow<'a, str>>,
}

#[derive(Serialize)]
struct Failure {
    username: String,
    #[serde(rename = "registerUserFailReason")]
    reason: String,
}

/// `POST /{org}/{app}/users`.
pub async fn register(call: Call, payload: web::Payload) -> HttpResponse {
    call.finish(register_users(&call, payload).await)
}

async fn register_users(call: &Call, payload: web::Payload) -> Result<HttpResponse, EasemobError> {
    let tenant = call.tenant()?;
    let body = call.body(payload, json::USERGRID_BODY_CAP).await?;
    if !tenant.settings.open_registration {
        if !super::auth::has_token(&call.req) {
            return Err(EasemobError::registration_closed());
        }
        call.require_app(&tenant)?;
    }
    call.rate(&tenant.rates.users)?;
    let (items, batch) = parse_register(&body, tenant.settings.limits.max_batch_users)?;
    let valid = items.iter().map(validate).collect::<Result<Vec<_>, _>>()?;
    let max = tenant.settings.max_users;
    if max > 0 && tenant.users.len() + valid.len() > max as usize {
        return Err(EasemobError::resource_limited());
    }
    let tenant = call.keep()?;
    let mut created = Vec::new();
    let mut failed = Vec::new();
    for (name, password, nickname) in valid {
        let user = tenant
            .users
            .make(&call.state.core, call.now_ms, name, password, nickname);
        match tenant.users.insert(user, max) {
            Ok(user) => created.push(user),
            Err(Refused::Taken(user)) if !batch => {
                let application = &tenant.application_text;
                return Err(EasemobError::duplicate_user(application, &user.username));
            }
            Err(Refused::Taken(user)) => failed.push(Failure {
                reason: format!("the {} already exists", user.username),
                username: user.username.into(),
            }),
            Err(Refused::Full) => return Err(EasemobError::resource_limited()),
        }
    }
    let meta = Meta::new(call, &tenant, "post", "/users");
    // A batch always answers `data`, `[]` when every user was made; a single user never does.
    let data = (batch || !failed.is_empty()).then_some(failed);
    Ok(meta.entities(
        created,
        Extra {
            data,
            ..Extra::default()
        },
    ))
}

/// One user object, or a batch (an array of at most `max`, 0: no limit); says which.
fn parse_register(body: &[u8], max: u32) -> Result<(Vec<NewUser<'_>>, bool), EasemobError> {
    if json::first_byte(body) != Some(b'[') {
        return Ok((vec![json::usergrid_object(body)?], false));
    }
    let items: Vec<&RawValue> = json::usergrid(body)?;
    let max = max as usize;
    if items.is_empty() || (max > 0 && items.len() > max) {
        return Err(EasemobError::illegal_argument(format!(
            "the number of users to register must be between 1 and {max}"
        )));
    }
    let users = items
        .into_iter()
        .map(json::object_in)
        .collect::<Result<Vec<_>, _>>()?;
    Ok((users, true))
}

fn validate<'a>(
    user: &'a NewUser<'_>,
) -> Result<(&'a str, &'a str, Option<&'a str>), EasemobError> {
    let name = user.username.as_deref().unwrap_or_default();
    if let Some(fault) = username_fault(name) {
        return Err(EasemobError::illegal_argument(fault));
    }
    let password = user
        .password
        .as_deref()
        .filter(|p| !p.is_empty())
        .ok_or_else(|| EasemobError::illegal_argument("password or pin must provided"))?;
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(EasemobError::illegal_argument("PASSWORD_TOO_LONG"));
    }
    let nickname = user.nickname.as_deref();
    check_nickname(nickname)?;
    Ok((name, password, nickname))
}

/// A push nickname has at most 100 characters (`account_system.md`, register).
fn check_nickname(nickname: Option<&str>) -> Result<(), EasemobError> {
    match nickname {
        Some(n) if n.chars().count() > MAX_NICKNAME_CHARS => {
            Err(EasemobError::illegal_argument("NICKNAME_TOO_LONG"))
        }
        _ => Ok(()),
    }
}

/// `GET /{org}/{app}/users/{username}` (or `{uuid}`): with an app token, or the user's own
/// token.
pub async fn get_one(call: Call) -> HttpResponse {
    call.finish(get_user(&call))
}

fn get_user(call: &Call) -> Result<HttpResponse, EasemobError> {
    let (tenant, key) = own_user_call(call)?;
    let user = tenant
        .users
        .get(&key)
        .ok_or_else(EasemobError::user_not_found)?;
    let meta = Meta::new(call, &tenant, "get", "/users").naming(call.param());
    let extra = Extra::<()> {
        params: Some(query_params(call)),
        count: Some(1),
        ..Extra::default()
    };
    Ok(meta.entities([user], extra))
}

#[derive(Deserialize)]
struct Profile {
    nickname: Option<String>,
}

#[derive(Deserialize)]
struct NewPassword {
    newpassword: Option<String>,
}

#[derive(Serialize)]
struct PasswordSet {
    action: &'static str,
    timestamp: i64,
    duration: u64,
}

/// `PUT /{org}/{app}/users/{username}`: changes the user's `nickname`.
pub async fn update_one(call: Call, payload: web::Payload) -> HttpResponse {
    call.finish(update_user(&call, payload).await)
}

async fn update_user(call: &Call, payload: web::Payload) -> Result<HttpResponse, EasemobError> {
    let (tenant, key) = own_user_call(call)?;
    let body = call.body(payload, json::USERGRID_BODY_CAP).await?;
    let profile: Profile = json::usergrid_object(&body)?;
    check_nickname(profile.nickname.as_deref())?;
    let now = call.now_ms;
    let tenant = keep_with_user(call, &tenant, &key)?;
    let user = tenant
        .users
        .update(&key, |user| {
            if let Some(nickname) = profile.nickname {
                user.nickname = Some(nickname.into());
            }
            user.modified = now;
        })
        .ok_or_else(EasemobError::user_not_found)?;
    let meta = Meta::new(call, &tenant, "put", "/users").naming(call.param());
    Ok(meta.entities([user], Extra::<()>::default()))
}

/// `PUT /{org}/{app}/users/{username}/password` with `{"newpassword": ...}`.
pub async fn set_password(call: Call, payload: web::Payload) -> HttpResponse {
    call.finish(change_password(&call, payload).await)
}

async fn change_password(call: &Call, payload: web::Payload) -> Result<HttpResponse, EasemobError> {
    let (tenant, key) = own_user_call(call)?;
    let body = call.body(payload, json::USERGRID_BODY_CAP).await?;
    let request: NewPassword = json::usergrid_object(&body)?;
    let password = request
        .newpassword
        .filter(|p| !p.is_empty())
        .ok_or_else(|| EasemobError::illegal_argument("newpassword is required"))?;
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(EasemobError::illegal_argument("PASSWORD_TOO_LONG"));
    }
    let now = call.now_ms;
    if tenant.users.get(&key).is_none() {
        return Err(EasemobError::password_user_not_found());
    }
    call.keep()?
        .users
        .update(&key, |user| {
            user.password = password.into();
            user.modified = now;
        })
        .ok_or_else(EasemobError::password_user_not_found)?;
    Ok(HttpResponse::Ok().json(PasswordSet {
        action: "set user password",
        timestamp: call.now_ms,
        duration: call.duration(),
    }))
}

/// The tenant to change the user `key` in, kept (see [`Call::keep`]) only when the user
/// exists, so that a call on an unknown user leaves no state behind.
fn keep_with_user(call: &Call, tenant: &Tenant, key: &str) -> Result<Arc<Tenant>, EasemobError> {
    tenant
        .users
        .get(key)
        .ok_or_else(EasemobError::user_not_found)?;
    call.keep()
}

/// The tenant of a call that only an app token may make, within the users' rate window.
fn app_user_call(call: &Call) -> Result<Arc<Tenant>, EasemobError> {
    let tenant = call.tenant()?;
    call.require_app(&tenant)?;
    call.rate(&tenant.rates.users)?;
    Ok(tenant)
}

/// The tenant and the `{username}` of a call that an app token, or the user's own token, may
/// make.
fn own_user_call(call: &Call) -> Result<(Arc<Tenant>, String), EasemobError> {
    let tenant = call.tenant()?;
    let principal = call.require_any(&tenant)?;
    call.rate(&tenant.rates.users)?;
    let key = call.param();
    if let Principal::User(uuid) = principal {
        let user = tenant
            .users
            .get(key)
            .ok_or_else(EasemobError::user_not_found)?;
        if user.uuid != uuid {
            return Err(EasemobError::corrupt_token());
        }
    }
    Ok((tenant, key.to_owned()))
}

/// `GET /{org}/{app}/users?limit=&cursor=`.
pub async fn list(call: Call) -> HttpResponse {
    call.finish(list_users(&call))
}

fn list_users(call: &Call) -> Result<HttpResponse, EasemobError> {
    let tenant = app_user_call(call)?;
    let params = query_params(call);
    let (users, next) = tenant.users.page(cursor(&params)?, page_limit(&params));
    let meta = Meta::new(call, &tenant, "get", "/users");
    let extra = Extra::<()> {
        count: Some(users.len()),
        cursor: next.map(encode_cursor),
        params: Some(params),
        ..Extra::default()
    };
    Ok(meta.entities(users, extra))
}

/// `DELETE /{org}/{app}/users/{username}`.
pub async fn delete_one(call: Call) -> HttpResponse {
    call.finish(delete_user(&call))
}

fn delete_user(call: &Call) -> Result<HttpResponse, EasemobError> {
    let tenant = app_user_call(call)?;
    let name = call.param();
    let user = keep_with_user(call, &tenant, name)?
        .users
        .remove(name)
        .ok_or_else(EasemobError::user_not_found)?;
    tenant.social.forget(&user.username);
    let meta = Meta::new(call, &tenant, "delete", "/users");
    Ok(meta.entities([user], Extra::<()>::default()))
}

/// `DELETE /{org}/{app}/users?limit=N&cursor=`: removes the N oldest users (from the cursor,
/// when given), answering a `cursor` while users remain after them, so that a client pages
/// through the whole app (the Java SDK's `deleteAll`).
pub async fn delete_many(call: Call) -> HttpResponse {
    call.finish(delete_users(&call))
}

fn delete_users(call: &Call) -> Result<HttpResponse, EasemobError> {
    let tenant = app_user_call(call)?;
    let params = query_params(call);
    let from = cursor(&params)?;
    let (users, next) = tenant.users.remove_page(from, page_limit(&params));
    users.iter().for_each(|u| tenant.social.forget(&u.username));
    let meta = Meta::new(call, &tenant, "delete", "/users");
    let extra = Extra::<()> {
        cursor: next.map(encode_cursor),
        params: Some(params),
        ..Extra::default()
    };
    Ok(meta.entities(users, extra))
}

fn page_limit(params: &BTreeMap<String, Vec<String>>) -> usize {
    params
        .get("limit")
        .and_then(|l| l.first())
        .and_then(|l| l.parse::<usize>().ok())
        .map_or(DEFAULT_PAGE, |l| l.clamp(1, MAX_PAGE))
}

/// Where a page starts: the `cursor` parameter, or the first user.
fn cursor(params: &BTreeMap<String, Vec<String>>) -> Result<u64, EasemobError> {
    match params.get("cursor").and_then(|c| c.first()) {
        Some(cursor) => {
            decode_cursor(cursor).ok_or_else(|| EasemobError::illegal_argument("cursor is invalid"))
        }
        None => Ok(0),
    }
}

fn encode_cursor(seq: u64) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("user-seq:{seq}"))
}

fn decode_cursor(cursor: &str) -> Option<u64> {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()?;
    std::str::from_utf8(&bytes)
        .ok()?
        .strip_prefix("user-seq:")?
        .parse()
        .ok()
}
