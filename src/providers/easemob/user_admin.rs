//! Online status, ban (deactivate), unban (activate), logged-in devices and forced logout of
//! users (`account_system.md`). No client ever connects to the emulator, so every user is
//! offline with no device, and a forced logout has nothing to end (it answers `result: true`,
//! as the docs' example does, so that clients written against the service pass). A deactivated user cannot get a token, and the
//! tokens the user already holds are refused until the user is activated again ("用户若被禁用
//! 将立即下线并无法登录", immediately offline and unable to log in).

use super::account_routes::{admin_call, existing, segment};
use super::auth::Principal;
use super::call::Call;
use super::error::EasemobError;
use super::json;
use super::tenant::Tenant;
use super::wire::{Extra, Meta};
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The most users `POST /users/batch/status` takes.
const MAX_BATCH_STATUS: usize = 100;

/// Refuses the token of a deactivated user, as the service drops the user's sessions: 401
/// `auth_bad_access_token` `Unable to authenticate`, a token it no longer recognises.
pub fn refuse_deactivated(tenant: &Tenant, principal: Principal) -> Result<(), EasemobError> {
    let Principal::User(uuid) = principal else {
        return Ok(());
    };
    let mut text = uuid::Uuid::encode_buffer();
    match tenant.users.get(uuid.hyphenated().encode_lower(&mut text)) {
        Some(user) if !user.activated => Err(EasemobError::unknown_token()),
        _ => Ok(()),
    }
}

/// The object `{key: value}`.
fn entry(key: &str, value: Value) -> Value {
    let mut map = Map::with_capacity(1);
    map.insert(key.to_owned(), value);
    Value::Object(map)
}

/// A Usergrid answer with no entities, `data`, `count: 0` and the call's own path as `uri`.
fn user_data(call: &Call, tenant: &Tenant, data: Value) -> HttpResponse {
    let mut meta = Meta::new(call, tenant, "get", "/users");
    meta.uri.truncate(meta.uri.len() - "/users".len());
    meta.uri.push_str(call.rest());
    let extra = Extra {
        data: Some(data),
        data_first: true,
        count: Some(0),
        ..Extra::default()
    };
    meta.entities([(); 0], extra)
}

/// `GET /{org}/{app}/users/{username}/status`: `{"username": "offline"}`, for any name.
pub fn status(call: Call) -> HttpResponse {
    let result = admin_call(&call).map(|tenant| {
        let name = segment(&call, 2);
        user_data(&call, &tenant, entry(name, "offline".into()))
    });
    call.finish(result)
}

#[derive(Deserialize)]
struct BatchStatus {
    usernames: Option<Vec<String>>,
}

#[derive(Serialize)]
struct ActionReply<T: Serialize> {
    action: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    entities: Option<T>,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<T>,
    timestamp: i64,
    duration: u64,
}

/// `POST /{org}/{app}/users/batch/status` with `{"usernames": [...]}` (at most 100).
pub async fn batch_status(call: Call, payload: web::Payload) -> HttpResponse {
    let result = batch(&call, payload).await;
    call.finish(result)
}

async fn batch(call: &Call, payload: web::Payload) -> Result<HttpResponse, EasemobError> {
    call.tenant()?;
    let body = call.body(payload, json::USERGRID_BODY_CAP).await?;
    admin_call(call)?;
    let request: BatchStatus = json::usergrid_object(&body)?;
    let names = request
        .usernames
        .filter(|n| !n.is_empty())
        .ok_or_else(|| EasemobError::illegal_argument("usernames must be provided"))?;
    if names.len() > MAX_BATCH_STATUS {
        return Err(EasemobError::illegal_argument(format!(
            "request body exceeds maximum limit, maximum limit is {MAX_BATCH_STATUS}"
        )));
    }
    let data: Vec<Value> = names.iter().map(|n| entry(n, "offline".into())).collect();
    Ok(action_reply(
        call,
        "get batch user status",
        None,
        Some(data),
    ))
}

fn action_reply<T: Serialize>(
    call: &Call,
    action: &'static str,
    entities: Option<T>,
    data: Option<T>,
) -> HttpResponse {
    HttpResponse::Ok().json(ActionReply {
        action,
        entities,
        data,
        timestamp: call.now_ms,
        duration: call.duration(),
    })
}

/// `POST /{org}/{app}/users/{username}/deactivate`: the user, now `activated: false`.
pub fn deactivate(call: Call) -> HttpResponse {
    let result = set_activated(&call, false)
        .map(|user| action_reply(&call, "Deactivate user", Some([user]), None));
    call.finish(result)
}

/// `POST /{org}/{app}/users/{username}/activate`.
pub fn activate(call: Call) -> HttpResponse {
    let result =
        set_activated(&call, true).map(|_| action_reply::<()>(&call, "activate user", None, None));
    call.finish(result)
}

fn set_activated(call: &Call, activated: bool) -> Result<super::user_store::User, EasemobError> {
    let tenant = admin_call(call)?;
    let key = segment(call, 2);
    existing(&tenant, key)?;
    let now = call.now_ms;
    call.keep()?
        .users
        .update(key, |user| {
            user.activated = activated;
            user.modified = now;
        })
        .ok_or_else(EasemobError::user_not_found)
}

/// `GET /{org}/{app}/users/{username}/disconnect`: `result` is `true` for a user that exists
/// (there is never a session to end), `false` for one that does not.
pub fn disconnect(call: Call) -> HttpResponse {
    let result = admin_call(&call).map(|tenant| {
        let known = tenant.users.get(segment(&call, 2)).is_some();
        user_data(&call, &tenant, entry("result", known.into()))
    });
    call.finish(result)
}

/// `DELETE /{org}/{app}/users/{username}/disconnect/{resourceId}`: `result: true` for a user
/// that exists, 404 for one that does not.
pub fn disconnect_device(call: Call) -> HttpResponse {
    let result = admin_call(&call).and_then(|tenant| {
        existing(&tenant, segment(&call, 2))?;
        let mut meta = Meta::new(&call, &tenant, "delete", call.rest());
        meta.uri = call.app_uri();
        let extra = Extra {
            data: Some(entry("result", true.into())),
            data_first: true,
            ..Extra::default()
        };
        Ok(meta.entities([(); 0], extra))
    });
    call.finish(result)
}

/// `GET /{org}/{app}/users/{username}/resources`: the logged-in devices, always none.
pub fn resources(call: Call) -> HttpResponse {
    let result = admin_call(&call).map(|tenant| {
        let meta = Meta::new(&call, &tenant, "get", call.rest());
        let extra = Extra {
            data: Some([(); 0]),
            data_first: true,
            ..Extra::default()
        };
        meta.entities([(); 0], extra)
    });
    call.finish(result)
}
