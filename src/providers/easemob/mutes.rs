//! Global mutes (`account_system.md` 用户全局禁言): `POST /mutes` sets a user's mute of
//! one-to-one chats, groups and chat rooms in seconds on the emulator's clock (`-1`: for ever,
//! `0`: lift it), `GET /mutes/{username}` shows the seconds left, `GET /mutes` pages through
//! the muted users. The docs say a muted user cannot send "whether through the client API or
//! the server's RESTful API", so the send routes refuse a muted `from` ([`refuse_muted`]).

use super::account_routes::{admin_call, segment};
use super::call::Call;
use super::error::EasemobError;
use super::json;
use super::mute_store::KINDS;
use super::tenant::{Target, Tenant};
use super::wire::Meta;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::borrow::Cow;

/// The longest mute, in seconds.
const MAX_SECONDS: i64 = 2_147_483_647;
const DEFAULT_PAGE_SIZE: usize = 10;
const MAX_PAGE_SIZE: usize = 50;

#[derive(Deserialize)]
struct SetMute {
    username: Option<String>,
    #[serde(default, deserialize_with = "json::lenient_i64")]
    chat: Option<i64>,
    #[serde(default, deserialize_with = "json::lenient_i64")]
    groupchat: Option<i64>,
    #[serde(default, deserialize_with = "json::lenient_i64")]
    chatroom: Option<i64>,
}

/// Refuses a send from a user muted for `target`: 403 `message_send_error`.
pub fn refuse_muted(
    call: &Call,
    tenant: &Tenant,
    target: Target,
    from: &str,
) -> Result<(), EasemobError> {
    let mutes = &tenant.social.mutes;
    if mutes.len() == 0 {
        return Ok(());
    }
    let name: Cow<str> = if from.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(from.to_ascii_lowercase())
    } else {
        Cow::Borrowed(from)
    };
    if mutes.muted(&name, target, call.now_ms) {
        return Err(EasemobError::sender_muted(from));
    }
    Ok(())
}

/// `POST /{org}/{app}/mutes`.
pub async fn set(call: Call, payload: web::Payload) -> HttpResponse {
    let result = set_mute(&call, payload).await;
    call.finish(result)
}

async fn set_mute(call: &Call, payload: web::Payload) -> Result<HttpResponse, EasemobError> {
    call.tenant()?;
    let body = call.body(payload, json::USERGRID_BODY_CAP).await?;
    let tenant = admin_call(call)?;
    let request: SetMute = json::usergrid_object(&body)?;
    let seconds = [request.chat, request.groupchat, request.chatroom];
    for (kind, value) in KINDS.iter().zip(seconds) {
        if value.is_some_and(|s| !(-1..=MAX_SECONDS).contains(&s)) {
            return Err(EasemobError::illegal_argument(format!(
                "{kind} must be -1, 0 or a number of seconds up to {MAX_SECONDS}"
            )));
        }
    }
    let name = request.username.as_deref().unwrap_or_default();
    let user = tenant
        .users
        .get(name)
        .filter(|_| !name.is_empty())
        .ok_or_else(EasemobError::mute_user_not_found)?;
    let tenant = call.keep()?;
    tenant
        .social
        .mutes
        .set(&user.username, seconds, call.now_ms);
    let meta = Meta::new(call, &tenant, "post", "/mutes");
    Ok(meta.message(object([("result", "ok".into())])))
}

/// `GET /{org}/{app}/mutes/{username}`.
pub fn get(call: Call) -> HttpResponse {
    let result = get_mute(&call);
    call.finish(result)
}

fn get_mute(call: &Call) -> Result<HttpResponse, EasemobError> {
    let tenant = admin_call(call)?;
    let user = tenant
        .users
        .get(segment(call, 2))
        .ok_or_else(EasemobError::mute_user_not_found)?;
    let [chat, groupchat, chatroom] = tenant.social.mutes.remaining(&user.username, call.now_ms);
    let userid = format!("{}#{}_{}", tenant.org, tenant.app, user.username);
    let data = object([
        ("userid", userid.into()),
        ("chat", chat.into()),
        ("groupchat", groupchat.into()),
        ("chatroom", chatroom.into()),
        ("unixtime", (call.now_ms / 1000).into()),
    ]);
    Ok(Meta::new(call, &tenant, "get", "/mutes").message(data))
}

#[derive(Deserialize)]
struct Page {
    #[serde(rename = "pageNum")]
    page_num: Option<String>,
    #[serde(rename = "pageSize")]
    page_size: Option<String>,
}

/// `GET /{org}/{app}/mutes?pageNum=&pageSize=`: one entry per user and kind of mute in force.
pub fn list(call: Call) -> HttpResponse {
    let result = list_mutes(&call);
    call.finish(result)
}

fn list_mutes(call: &Call) -> Result<HttpResponse, EasemobError> {
    let tenant = admin_call(call)?;
    let query: Page = serde_urlencoded::from_str(call.req.query_string()).unwrap_or(Page {
        page_num: None,
        page_size: None,
    });
    let number = |v: Option<String>| v.and_then(|v| v.trim().parse::<usize>().ok());
    let page = number(query.page_num).unwrap_or(1).max(1);
    let size = number(query.page_size)
        .unwrap_or(DEFAULT_PAGE_SIZE)
        .clamp(1, MAX_PAGE_SIZE);
    let mut entries = Vec::new();
    for (name, left) in tenant.social.mutes.page(page, size, call.now_ms) {
        for (kind, seconds) in KINDS.iter().zip(left).filter(|(_, s)| *s != 0) {
            entries.push(object([
                ("username", (*name).into()),
                (kind, seconds.into()),
            ]));
        }
    }
    let data = object([
        ("data", Value::Array(entries)),
        ("unixtime", (call.now_ms / 1000).into()),
    ]);
    Ok(Meta::new(call, &tenant, "get", "/mutes").message(data))
}

/// A JSON object of `pairs`, in order.
fn object<const N: usize>(pairs: [(&str, Value); N]) -> Value {
    let map: Map<String, Value> = pairs.into_iter().map(|(k, v)| (k.into(), v)).collect();
    Value::Object(map)
}
