//! `POST /_emulator/easemob/client-send?tenant=org#app`: a message sent as a client device
//! sends it, through the before-send callback (发送前回调) the real service fires only for
//! client SDK messages. Body `{"from", "to", "chat_type": "chat"|"groupchat"|"chatroom",
//! "type", "body", "ext"?}`, checked as the REST send checks `body` and `ext`. A message let
//! through is stored and journaled as a REST send stores it and fires the post-send callbacks
//! of `sdk_messages` rules; a blocked one is neither. A sender outside the group or room, or
//! muted in it, is refused before any callback, as the client SDK reports it.

use super::callback_message as cm;
use super::callback_rules::{ChatKind, PreSend, Rule};
use super::chat_store::Kind;
use super::post_send::{self, Source};
use super::pre_send::{self, Verdict};
use super::send::{self, raw, Audience, Outgoing};
use super::tenant::{Target, Tenant};
use super::validate::MsgKind;
use super::State;
use crate::providers::ClientSend;
use actix_web::{web, HttpRequest};
use serde::Deserialize;
use serde_json::value::{to_raw_value, RawValue};
use serde_json::{json, Map, Value};
use std::borrow::Cow;
use std::sync::Arc;

/// The client SDK's error for a message its before-send callback blocked
/// (`docs/document/android/error.md`).
const BLOCKED_CODE: i64 = 508;
const BLOCKED_NAME: &str = "MESSAGE_EXTERNAL_LOGIC_BLOCKED";

/// A message as the client SDK sends it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClientBody<'a> {
    #[serde(borrow)]
    from: Cow<'a, str>,
    #[serde(borrow)]
    to: Cow<'a, str>,
    #[serde(default)]
    chat_type: Option<ChatKind>,
    #[serde(rename = "type", borrow)]
    kind: Cow<'a, str>,
    #[serde(default, borrow, deserialize_with = "raw")]
    body: Option<&'a RawValue>,
    #[serde(default, borrow, deserialize_with = "raw")]
    ext: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct Query {
    tenant: Option<String>,
}

/// Sends `body` as a client device would.
pub async fn client_send(req: &HttpRequest, body: &[u8]) -> ClientSend {
    let Some(state) = req.app_data::<web::Data<State>>().cloned() else {
        return ClientSend::NotFound("Easemob is not mounted".into());
    };
    let tenant = match tenant(&state, req.query_string()) {
        Ok(tenant) => tenant,
        Err(refused) => return refused,
    };
    let msg: ClientBody = match serde_json::from_slice(body) {
        Ok(msg) => msg,
        Err(e) => return ClientSend::Invalid(format!("the body is not a client message: {e}")),
    };
    let chat = msg.chat_type.unwrap_or(ChatKind::Chat);
    let kind = match checked(&msg) {
        Ok(kind) => kind,
        Err(refused) => return refused,
    };
    if let Err(missing) = exists(&tenant, chat, &msg.from, &msg.to) {
        return ClientSend::NotFound(missing);
    }
    let now_ms = state.core.clock.now_ms();
    if let Some(refused) = refused_sender(&tenant, chat, &msg.from, &msg.to, now_ms) {
        return refused;
    }
    let Some(msg_id) = state.message_ids.take(now_ms, 1).next() else {
        return ClientSend::Invalid("no message id left".into());
    };
    let m = pre_send::Message {
        chat,
        from: &msg.from,
        to: &msg.to,
        msg_id,
        kind,
        body: msg.body.map_or("{}", RawValue::get),
        ext: msg.ext.map(RawValue::get),
    };
    let Some(rule) = rule_for(&tenant, chat) else {
        return deliver(&state, &tenant, &m, now_ms, None);
    };
    let (callback, verdict) = pre_send::ask(&state.core, &tenant, rule, &m, now_ms).await;
    match verdict {
        Verdict::Block { silent: true, .. } => silent(&m, now_ms, callback),
        Verdict::Block { message, .. } => ClientSend::Blocked {
            code: BLOCKED_CODE,
            name: BLOCKED_NAME.into(),
            message,
            callback: Some(callback),
        },
        Verdict::Pass { msg, ext } => {
            let (body, ext) = changed(&m, msg, ext);
            let m = pre_send::Message {
                body: body.as_deref().map_or(m.body, RawValue::get),
                ext: ext.as_deref().map(RawValue::get).or(m.ext),
                ..m
            };
            deliver(&state, &tenant, &m, now_ms, Some(callback))
        }
    }
}

/// The stored tenant `?tenant=` names (`org#app` or `org/app`), or the fixtures' only tenant.
fn tenant(state: &State, query: &str) -> Result<Arc<Tenant>, ClientSend> {
    let query: Query = serde_urlencoded::from_str(query)
        .map_err(|e| ClientSend::Invalid(format!("bad query: {e}")))?;
    let name = match query.tenant {
        Some(name) => name.replacen('#', "/", 1),
        None => {
            let mut names = state.fixtures.tenants.keys();
            match (names.next(), names.next()) {
                (Some(only), None) => only.clone(),
                _ => {
                    let text = "?tenant=org#app is needed: the fixtures list several tenants";
                    return Err(ClientSend::Invalid(text.into()));
                }
            }
        }
    };
    let missing = || ClientSend::NotFound(format!("no Easemob tenant {}", name.replace('/', "#")));
    state.tenants.get(&name).ok_or_else(missing)
}

/// The message's type, once `from`, `to`, `type`, `body` and `ext` are as the service
/// wants them.
fn checked(msg: &ClientBody<'_>) -> Result<MsgKind, ClientSend> {
    if msg.from.is_empty() || msg.to.is_empty() {
        return Err(ClientSend::Invalid("from and to are needed".into()));
    }
    let kind = MsgKind::parse(&msg.kind)
        .ok_or_else(|| ClientSend::Invalid(format!("unknown message type {:?}", msg.kind)))?;
    send::validated_body(kind, msg.body, msg.ext)
        .map_err(|e| ClientSend::Invalid(e.description.into_owned()))?;
    Ok(kind)
}

/// Refuses a sender, user, group or room the tenant does not have.
fn exists(tenant: &Tenant, chat: ChatKind, from: &str, to: &str) -> Result<(), String> {
    if tenant.users.get(from).is_none() {
        return Err(format!("no user {from}"));
    }
    let found = match chat {
        ChatKind::Chat => tenant.users.get(to).is_some(),
        ChatKind::Groupchat | ChatKind::Chatroom => {
            let kind = match chat {
                ChatKind::Groupchat => Kind::Group,
                _ => Kind::Room,
            };
            let id = to.parse::<u64>().ok();
            id.is_some_and(|id| tenant.chats(kind).with(id, |_| ()).is_ok())
        }
    };
    match found {
        true => Ok(()),
        false => Err(format!("no {} {to}", chat_name(chat))),
    }
}

/// The client SDK's error for a sender who is not in the group or room, or is muted there
/// (`docs/document/android/error.md`); no callback is sent for such a message.
fn refused_sender(
    tenant: &Tenant,
    chat: ChatKind,
    from: &str,
    to: &str,
    now_ms: i64,
) -> Option<ClientSend> {
    let kind = match chat {
        ChatKind::Chat => return None,
        ChatKind::Groupchat => Kind::Group,
        ChatKind::Chatroom => Kind::Room,
    };
    let from = from.to_ascii_lowercase();
    let id = to.parse::<u64>().ok()?;
    let seen = |c: &super::chat_store::Chat| (c.has(&from), c.silences(&from, now_ms));
    let (code, name, message) = match (tenant.chats(kind).with(id, seen).ok()?, kind) {
        ((false, _), Kind::Group) => (602, "GROUP_NOT_JOINED", "not a member of the group"),
        ((false, _), Kind::Room) => (702, "CHATROOM_NOT_JOINED", "not a member of the room"),
        ((true, true), _) => (215, "USER_MUTED", "the sender is muted"),
        ((true, false), _) => return None,
    };
    Some(ClientSend::Blocked {
        code,
        name: name.into(),
        message: message.into(),
        callback: None,
    })
}

fn chat_name(chat: ChatKind) -> &'static str {
    match chat {
        ChatKind::Chat => "user",
        ChatKind::Groupchat => "group",
        ChatKind::Chatroom => "chat room",
    }
}

/// The first before-send rule covering `chat`.
fn rule_for(tenant: &Tenant, chat: ChatKind) -> Option<&PreSend> {
    tenant.settings.callback_rules.iter().find_map(|r| match r {
        Rule::PreSend(r) if r.chat_types.contains(&chat) => Some(r),
        _ => None,
    })
}

/// The body and `ext` the answer's `payload` asked for: a text message's `msg`, the `ext` of
/// any message but a command (which cannot be changed).
fn changed(
    m: &pre_send::Message<'_>,
    msg: Option<String>,
    ext: Option<Map<String, Value>>,
) -> (Option<Box<RawValue>>, Option<Box<RawValue>>) {
    let body = msg.filter(|_| m.kind == MsgKind::Txt).and_then(|text| {
        let mut body: Map<String, Value> = serde_json::from_str(m.body).unwrap_or_default();
        body.insert("msg".into(), Value::String(text));
        to_raw_value(&body).ok()
    });
    let ext = ext.filter(|_| m.kind != MsgKind::Cmd);
    (body, ext.and_then(|e| to_raw_value(&e).ok()))
}

/// Stores and journals `m`, fires its post-send callbacks; the message as stored.
fn deliver(
    state: &State,
    tenant: &Tenant,
    m: &pre_send::Message<'_>,
    now_ms: i64,
    callback: Option<u64>,
) -> ClientSend {
    let (Ok(body), ext) = (
        serde_json::from_str::<&RawValue>(m.body),
        m.ext.map(serde_json::from_str::<&RawValue>).transpose(),
    ) else {
        return ClientSend::Invalid("the body is not JSON".into());
    };
    let Ok(ext) = ext else {
        return ClientSend::Invalid("ext is not JSON".into());
    };
    let to = [Cow::Borrowed(m.to)];
    let out = Outgoing {
        target: target(m.chat),
        audience: Audience::All,
        from: m.from,
        to: &to,
        users: &[],
        kind: m.kind,
        body,
        ext,
    };
    let pairs = [(m.to, m.msg_id)];
    send::record(&state.core, tenant, &out, &pairs, now_ms);
    post_send::fire(&state.core, tenant, &out, &pairs, now_ms, Source::Sdk);
    ClientSend::Sent {
        message: line(m, now_ms),
        callback,
    }
}

/// A message blocked without telling the sender (不报错): its SDK reports it sent, but it is
/// neither stored nor delivered (`delivered: false`).
fn silent(m: &pre_send::Message<'_>, now_ms: i64, callback: u64) -> ClientSend {
    let mut message = line(m, now_ms);
    message["delivered"] = Value::Bool(false);
    ClientSend::Sent {
        message,
        callback: Some(callback),
    }
}

fn target(chat: ChatKind) -> Target {
    match chat {
        ChatKind::Chat => Target::Users,
        ChatKind::Groupchat => Target::ChatGroups,
        ChatKind::Chatroom => Target::ChatRooms,
    }
}

/// The message as a line of the history file shows it.
fn line(m: &pre_send::Message<'_>, now_ms: i64) -> Value {
    let chat_type = match m.chat {
        ChatKind::Chat => "chat",
        ChatKind::Groupchat => "groupchat",
        ChatKind::Chatroom => "chatroom",
    };
    json!({
        "msg_id": m.msg_id.to_string(),
        "timestamp": now_ms,
        "direction": "outgoing",
        "to": m.to,
        "from": m.from,
        "chat_type": chat_type,
        "payload": {
            "bodies": [cm::typed_body(m.kind, m.body)],
            "ext": cm::ext_value(m.ext),
            "from": m.from,
            "to": m.to,
        },
    })
}
