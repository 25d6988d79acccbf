//! The newer contact routes of `user_relationship.md`: `GET /user/{username}/contacts` pages
//! through contacts (`limit` 1..50, `cursor`, `needReturnRemark`), `PUT
//! /user/{owner}/contacts/users/{friend}` sets the owner's remark on a contact, and `POST
//! /users/{username}/contacts/import` adds up to 10 contacts at once.

use super::account_routes::{admin_call, existing, segment};
use super::call::Call;
use super::error::EasemobError;
use super::json;
use super::relation_store::Full;
use actix_web::{web, HttpResponse};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

const DEFAULT_PAGE: usize = 10;
const MAX_PAGE: usize = 50;
/// The longest remark, in characters.
const MAX_REMARK_CHARS: usize = 100;
/// The most users one import takes.
const MAX_IMPORT: usize = 10;

#[derive(Deserialize)]
struct PageQuery {
    limit: Option<String>,
    cursor: Option<String>,
    #[serde(rename = "needReturnRemark")]
    need_return_remark: Option<String>,
}

#[derive(Serialize)]
struct Page {
    uri: String,
    timestamp: i64,
    entities: [(); 0],
    count: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    cursor: Option<String>,
    action: &'static str,
    data: Value,
    duration: u64,
}

/// `GET /{org}/{app}/user/{username}/contacts?limit=&cursor=&needReturnRemark=`.
pub fn page(call: Call) -> HttpResponse {
    let result = admin_call(&call).and_then(|tenant| {
        let owner = existing(&tenant, segment(&call, 2))?;
        let query: PageQuery = serde_urlencoded::from_str(call.req.query_string())
            .map_err(|_| EasemobError::illegal_argument("query parameters are invalid"))?;
        let size = page_size(query.limit.as_deref())?;
        let from = match query.cursor.as_deref().filter(|c| !c.is_empty()) {
            None => 0,
            Some(c) => decode_cursor(c)
                .ok_or_else(|| EasemobError::illegal_argument("cursor is invalid"))?,
        };
        let remarks = query.need_return_remark.as_deref() == Some("true");
        let all = tenant
            .social
            .relations
            .contacts_with_remarks(&owner.username);
        let next = from.saturating_add(size);
        let cursor = (next < all.len()).then(|| STANDARD.encode(next.to_string()));
        let contacts: Vec<Value> = all
            .into_iter()
            .skip(from)
            .take(size)
            .map(|(name, remark)| match remarks {
                true => json!({"remark": remark, "username": name}),
                false => json!({"username": name}),
            })
            .collect();
        Ok(HttpResponse::Ok().json(Page {
            uri: format!("{}/users/{}/rostersByPage", call.app_uri(), owner.username),
            timestamp: call.now_ms,
            entities: [],
            count: contacts.len(),
            cursor,
            action: "get",
            data: json!({ "contacts": contacts }),
            duration: call.duration(),
        }))
    });
    call.finish(result)
}

/// `limit`: 10 when absent, at least 1, and 400 past 50.
fn page_size(limit: Option<&str>) -> Result<usize, EasemobError> {
    let Some(size) = limit.and_then(|l| l.trim().parse::<usize>().ok()) else {
        return Ok(DEFAULT_PAGE);
    };
    if size > MAX_PAGE {
        return Err(EasemobError::illegal_argument(format!(
            "getContacts | page size more than max limit : {MAX_PAGE}"
        )));
    }
    Ok(size.max(1))
}

fn decode_cursor(cursor: &str) -> Option<usize> {
    let bytes = STANDARD.decode(cursor).ok()?;
    std::str::from_utf8(&bytes).ok()?.parse().ok()
}

#[derive(Deserialize)]
struct Remark {
    remark: Option<String>,
}

#[derive(Serialize)]
struct Status {
    action: &'static str,
    duration: u64,
    status: &'static str,
    timestamp: i64,
    uri: String,
}

/// `PUT /{org}/{app}/user/{owner_username}/contacts/users/{friend_username}` with
/// `{"remark": "..."}` (at most 100 characters).
pub async fn remark(call: Call, payload: web::Payload) -> HttpResponse {
    let result = set_remark(&call, payload).await;
    call.finish(result)
}

async fn set_remark(call: &Call, payload: web::Payload) -> Result<HttpResponse, EasemobError> {
    call.tenant()?;
    let body = call.body(payload, json::USERGRID_BODY_CAP).await?;
    let tenant = admin_call(call)?;
    let request: Remark = json::usergrid_object(&body)?;
    let remark = request
        .remark
        .ok_or_else(|| EasemobError::illegal_argument("remark must be provided"))?;
    if remark.chars().count() > MAX_REMARK_CHARS {
        return Err(EasemobError::illegal_argument(format!(
            "remark length can't exceed {MAX_REMARK_CHARS}"
        )));
    }
    let owner = existing(&tenant, segment(call, 2))?;
    let friend = existing(&tenant, segment(call, 5))?;
    let tenant = call.keep()?;
    let relations = &tenant.social.relations;
    if !relations.set_remark(&owner.username, &friend.username, &remark) {
        return Err(EasemobError::illegal_argument(
            "updateRemark they are not friends, please add as a friend first.",
        ));
    }
    Ok(HttpResponse::Ok().json(Status {
        action: "put",
        duration: call.duration(),
        status: "ok",
        timestamp: call.now_ms,
        uri: format!("{}{}", call.app_uri(), call.rest()),
    }))
}

#[derive(Deserialize)]
struct Import {
    usernames: Option<Vec<String>>,
}

/// `POST /{org}/{app}/users/{username}/contacts/import` with `{"usernames": [...]}`: each
/// name lands in `success`, `NotExistFailed` or `maxLimitFailed`.
pub async fn import(call: Call, payload: web::Payload) -> HttpResponse {
    let result = import_contacts(&call, payload).await;
    call.finish(result)
}

async fn import_contacts(call: &Call, payload: web::Payload) -> Result<HttpResponse, EasemobError> {
    call.tenant()?;
    let body = call.body(payload, json::USERGRID_BODY_CAP).await?;
    let tenant = admin_call(call)?;
    let request: Import = json::usergrid_object(&body)?;
    let names = request
        .usernames
        .filter(|n| !n.is_empty())
        .ok_or_else(|| EasemobError::illegal_argument("usernames must be provided"))?;
    if names.len() > MAX_IMPORT {
        return Err(EasemobError::illegal_argument(format!(
            "request user over flow limit:{MAX_IMPORT}."
        )));
    }
    let owner = existing(&tenant, segment(call, 2))?;
    let max = tenant.settings.limits.max_contacts_per_user;
    let relations = &tenant.social.relations;
    if max > 0 && relations.contacts(&owner.username).len() >= max as usize {
        return Err(EasemobError::import_full());
    }
    let tenant = call.keep()?;
    let (mut success, mut missing, mut full) = (Vec::new(), Vec::new(), Vec::new());
    for name in names {
        let Some(friend) = tenant.users.get(&name) else {
            missing.push(name);
            continue;
        };
        match tenant
            .social
            .relations
            .add_contact(&owner.username, &friend.username, max)
        {
            Ok(()) => success.push(name),
            Err(Full) => full.push(name),
        }
    }
    let data = json!({
        "UnKnowFailed": [], "success": success, "NotExistFailed": missing, "maxLimitFailed": full
    });
    Ok(HttpResponse::Ok().json(json!({
        "status": "ok", "timestamp": call.now_ms, "action": "post", "data": data,
        "duration": call.duration()
    })))
}
