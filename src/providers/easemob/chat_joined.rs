//! Each user's groups and rooms (`group_manage.md`, `chatroom_manage.md`):
//! `/users/{username}/joined_chatgroups` and `joined_chatrooms`, the newer
//! `/chatgroups/user/{username}`, and `/chatgroups/{id}/user/{username}/is_joined`.

use super::call::Call;
use super::chat_store::{Chat, Kind};
use super::chats::{app_call, find, int_param, owner_alive, page_of, Paging};
use super::error::EasemobError;
use super::tenant::Tenant;
use super::wire::{query_params, Extra, Meta};
use actix_web::HttpResponse;
use serde::Serialize;
use serde_json::Value;

/// `GET /users/{username}/joined_chatgroups` and `/users/{username}/joined_chatrooms` with
/// `pagenum` (from 1) and `pagesize`; without either, the latest 500.
pub async fn joined(call: Call, kind: Kind) -> HttpResponse {
    let result = joined_list(&call, kind);
    call.finish(result)
}

fn joined_list(call: &Call, kind: Kind) -> Result<HttpResponse, EasemobError> {
    let tenant = app_call(call, kind)?;
    let user = call.param().to_ascii_lowercase();
    let params = query_params(call);
    let chats = joined_live(&tenant, kind, &user);
    // `joined_chatgroups`: pages of 10, at most 100 (group.md); rooms: of 1000 at most.
    let paging = match kind {
        Kind::Group => Paging {
            all: 500,
            size: 10,
            max: 100,
        },
        Kind::Room => Paging {
            all: 500,
            size: 1000,
            max: 1000,
        },
    };
    let page = page_of(&params, chats.len(), paging);
    let data: Vec<Value> = chats[page]
        .iter()
        .map(|c| match kind {
            Kind::Group => serde_json::json!({
                "groupid": c.id.to_string(),
                "groupname": c.name,
            }),
            Kind::Room => serde_json::json!({
                "id": c.id.to_string(),
                "name": c.name,
                "disabled": "false",
            }),
        })
        .collect();
    let mut meta = Meta::new(call, &tenant, "get", "/users");
    meta.uri = call.app_uri() + call.rest();
    let extra = Extra {
        params: Some(params),
        count: Some(data.len()),
        data: Some(data),
        data_first: true,
        cursor: None,
    };
    Ok(meta.entities([(); 0], extra))
}

/// The groups or rooms `user` is in, most recent first, without those whose owner is gone.
fn joined_live(tenant: &Tenant, kind: Kind, user: &str) -> Vec<Chat> {
    let mut chats = tenant.chats(kind).joined(user);
    chats.retain(|c| owner_alive(tenant, c));
    chats
}

/// `GET /chatgroups/user/{username}` (`group_manage.md`, newer edition): the user's groups
/// with `total`, `pagenum` from 0 and `pagesize` up to 20 (5 by default).
pub async fn user_groups(call: Call) -> HttpResponse {
    let result = user_group_list(&call);
    call.finish(result)
}

#[derive(Serialize)]
struct UserGroups<'a> {
    action: &'static str,
    #[serde(rename = "applicationName")]
    application_name: &'a str,
    duration: u64,
    entities: Vec<Value>,
    organization: &'a str,
    timestamp: i64,
    total: usize,
    uri: String,
}

fn user_group_list(call: &Call) -> Result<HttpResponse, EasemobError> {
    let tenant = app_call(call, Kind::Group)?;
    let user = call
        .rest()
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let params = query_params(call);
    let chats = joined_live(&tenant, Kind::Group, &user);
    let size = int_param(&params, "pagesize").map_or(5, |s| s.clamp(1, 20));
    let start = int_param(&params, "pagenum")
        .unwrap_or(0)
        .saturating_mul(size);
    let entities = chats
        .iter()
        .skip(start)
        .take(size)
        .map(|c| {
            serde_json::json!({
                "name": c.name, "avatar": c.avatar, "owner": c.owner,
                "id": c.id.to_string(), "groupId": c.id.to_string(),
                "description": c.description, "disabled": c.disabled, "public": c.public,
                "allowinvites": c.allowinvites, "membersonly": c.membersonly,
                "maxusers": c.maxusers, "created": c.created,
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(UserGroups {
        action: "get",
        application_name: &tenant.app,
        duration: call.duration(),
        entities,
        organization: &tenant.org,
        timestamp: call.now_ms,
        total: chats.len(),
        uri: call.app_uri() + call.rest(),
    }))
}

#[derive(Serialize)]
struct Joined<'a> {
    action: &'static str,
    application: &'a str,
    data: bool,
    duration: u64,
    organization: &'a str,
    timestamp: i64,
}

/// `GET /chatgroups/{id}/user/{username}/is_joined` (`group_manage.md`, newer edition):
/// whether the user is the owner or a member, in the example's short envelope.
pub fn is_joined(call: &Call, id: &str, user: &str) -> Result<HttpResponse, EasemobError> {
    let tenant = app_call(call, Kind::Group)?;
    let chat = find(&tenant, Kind::Group, id)?;
    Ok(HttpResponse::Ok().json(Joined {
        action: "get",
        application: &tenant.application_text,
        data: chat.has(&user.to_ascii_lowercase()),
        duration: call.duration(),
        organization: &tenant.org,
        timestamp: call.now_ms,
    }))
}
