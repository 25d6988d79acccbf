//! User attributes (`userprofile.md`): `PUT /metadata/user/{username}` with a form-encoded
//! body sets key-value pairs, `GET` reads them, `POST /metadata/user/get` reads those of up to
//! 100 users, `GET /metadata/user/capacity` gives the app's total bytes, `DELETE` removes all
//! of a user's. The answers are the attribute service's own `{timestamp, data, duration}`.
//! The user or an app admin may call them; another user's token answers 401 `metadata_error`.
//! Setting attributes needs a registered user (404 otherwise), so that the store stays bounded
//! by the users; reading an unknown user's gives `{}`, deleting them succeeds.

use super::account_routes::{existing, segment};
use super::auth::Principal;
use super::call::Call;
use super::error::EasemobError;
use super::json;
use super::metadata_store::Refused;
use super::tenant::Tenant;
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::sync::Arc;

/// The most users `POST /metadata/user/get` takes.
const MAX_BATCH_TARGETS: usize = 100;

/// The longest value, in characters, of the keys the client SDKs know.
const COLUMN_CHARS: [(&str, usize); 6] = [
    ("nickname", 64),
    ("avatarurl", 256),
    ("phone", 32),
    ("mail", 64),
    ("sign", 256),
    ("birth", 64),
];

#[derive(Serialize)]
struct Reply<T: Serialize> {
    timestamp: i64,
    data: T,
    duration: u64,
}

fn reply<T: Serialize>(call: &Call, data: T) -> HttpResponse {
    HttpResponse::Ok().json(Reply {
        timestamp: call.now_ms,
        data,
        duration: call.duration(),
    })
}

/// The tenant of a call on `name`'s attributes: an app token, or `name`'s own.
fn own_call(call: &Call, name: &str) -> Result<Arc<Tenant>, EasemobError> {
    let tenant = call.tenant()?;
    let principal = call.require_any(&tenant)?;
    call.rate(&tenant.rates.users)?;
    if let Principal::User(uuid) = principal {
        if tenant.users.get(name).is_none_or(|u| u.uuid != uuid) {
            return Err(EasemobError::metadata_auth());
        }
    }
    Ok(tenant)
}

fn as_object<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> Value {
    let map: Map<String, Value> = pairs.map(|(k, v)| (k.into(), v.into())).collect();
    Value::Object(map)
}

/// `PUT /{org}/{app}/metadata/user/{username}`.
pub async fn set(call: Call, payload: web::Payload) -> HttpResponse {
    let result = set_attributes(&call, payload).await;
    call.finish(result)
}

async fn set_attributes(call: &Call, payload: web::Payload) -> Result<HttpResponse, EasemobError> {
    call.tenant()?;
    let body = call.body(payload, json::USERGRID_BODY_CAP).await?;
    let tenant = own_call(call, segment(call, 3))?;
    let pairs = form_pairs(&body)?;
    let user = existing(&tenant, segment(call, 3))?;
    let limits = &tenant.settings.limits;
    let (per_user, per_app) = (
        limits.max_user_metadata_bytes,
        limits.max_app_metadata_bytes,
    );
    let tenant = call.keep()?;
    match tenant
        .social
        .metadata
        .set(&user.username, &pairs, per_user, per_app)
    {
        Ok(()) => {}
        Err(Refused::User) => {
            return Err(EasemobError::metadata_forbidden(format!(
                "size of metadata for this single user exceeds the user defined limit, {per_user}Bytes"
            )))
        }
        Err(Refused::App) => {
            return Err(EasemobError::metadata_forbidden(format!(
                "total size of user metadata for this app exceeds the user defined limit, {per_app}Bytes"
            )))
        }
    }
    let set = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()));
    Ok(reply(call, as_object(set)))
}

/// The pairs of a form-encoded body: 400 when it does not decode or holds none, 403 when a
/// value is longer than its column.
fn form_pairs(body: &[u8]) -> Result<Vec<(String, String)>, EasemobError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body)
        .map_err(|_| EasemobError::metadata_bad_request("request body is invalid"))?;
    if pairs.is_empty() || pairs.iter().any(|(k, _)| k.is_empty()) {
        return Err(EasemobError::metadata_bad_request(
            "user metadata must be key-value pairs",
        ));
    }
    for (key, value) in &pairs {
        let column = COLUMN_CHARS.iter().find(|(k, _)| k == key);
        if let Some((_, max)) = column.filter(|(_, max)| value.chars().count() > *max) {
            return Err(EasemobError::metadata_forbidden(format!(
                "size of metadata for this single user exceeds the current mysql column size, {max}Bytes"
            )));
        }
    }
    Ok(pairs)
}

/// `GET /{org}/{app}/metadata/user/{username}`, and `GET .../metadata/user/capacity`.
pub fn get(call: Call) -> HttpResponse {
    let result = match segment(&call, 3) {
        "capacity" => capacity(&call),
        name => get_attributes(&call, name),
    };
    call.finish(result)
}

fn get_attributes(call: &Call, name: &str) -> Result<HttpResponse, EasemobError> {
    let tenant = own_call(call, name)?;
    let attributes = tenant.social.metadata.get(&name.to_ascii_lowercase());
    let pairs = attributes.iter().map(|(k, v)| (&**k, &**v));
    Ok(reply(call, as_object(pairs)))
}

fn capacity(call: &Call) -> Result<HttpResponse, EasemobError> {
    let tenant = call.tenant()?;
    if let Principal::User(_) = call.require_any(&tenant)? {
        return Err(EasemobError::capacity_unauthorized());
    }
    call.rate(&tenant.rates.users)?;
    Ok(reply(call, tenant.social.metadata.bytes()))
}

#[derive(Deserialize)]
struct Batch {
    targets: Option<Vec<String>>,
    properties: Option<Vec<String>>,
}

/// `POST /{org}/{app}/metadata/user/get` with `{"targets": [...], "properties": [...]}`;
/// `data` holds the users that have any of the properties. Any other user in the path
/// answers 405, as the route takes only `PUT`, `GET` and `DELETE` there.
pub async fn batch_get(call: Call, payload: web::Payload) -> HttpResponse {
    if segment(&call, 3) != "get" {
        return call.finish(call.tenant().and(Err(EasemobError::method_not_allowed())));
    }
    let result = batch(&call, payload).await;
    call.finish(result)
}

async fn batch(call: &Call, payload: web::Payload) -> Result<HttpResponse, EasemobError> {
    let tenant = call.tenant()?;
    let body = call.body(payload, json::USERGRID_BODY_CAP).await?;
    call.require_any(&tenant)?;
    call.rate(&tenant.rates.users)?;
    let request: Batch = serde_json::from_slice(&body)
        .map_err(|_| EasemobError::metadata_bad_request("request body is invalid"))?;
    let (Some(targets), Some(properties)) = (request.targets, request.properties) else {
        return Err(EasemobError::metadata_bad_request(
            "targets and properties must be provided",
        ));
    };
    if targets.len() > MAX_BATCH_TARGETS {
        return Err(EasemobError::metadata_bad_request(format!(
            "exceed allowed batch size {MAX_BATCH_TARGETS}"
        )));
    }
    let mut data = Map::new();
    for target in targets {
        let attributes = tenant.social.metadata.get(&target.to_ascii_lowercase());
        let chosen = attributes
            .iter()
            .filter(|(k, _)| properties.iter().any(|p| **p == **k))
            .map(|(k, v)| (&**k, &**v));
        let value = as_object(chosen);
        if value.as_object().is_some_and(|m| !m.is_empty()) {
            data.insert(target, value);
        }
    }
    Ok(reply(call, Value::Object(data)))
}

/// `DELETE /{org}/{app}/metadata/user/{username}`: `data: true`, also when there was nothing
/// to delete.
pub fn delete(call: Call) -> HttpResponse {
    let result = own_call(&call, segment(&call, 3)).map(|tenant| {
        let name = segment(&call, 3).to_ascii_lowercase();
        tenant.social.metadata.remove(&name);
        reply(&call, true)
    });
    call.finish(result)
}
