//! 发送后回调 (webhooks contract §1.4): for every message a post-send rule covers (REST
//! sends under `rest_messages`, client sends under `sdk_messages`), one `chat` callback per
//! message and, when the rule lists `chat_offline`, one per offline recipient — everyone, as
//! the emulator has no connected clients: the user of a one-to-one message, every member of a
//! group or room but the sender (`to` = that member). Each is signed with the rule's secret,
//! sent through the core's queue (the send never waits) and tried twice at most: success is
//! HTTP 200, the answer's body is ignored.

use super::callback_message::{self as cm, HistoryPayload};
use super::callback_rules::{PostEvent, PostSend, Rule};
use super::chat_store::Kind;
use super::send::{Audience, Outgoing};
use super::tenant::{Target, Tenant};
use super::validate::MsgKind;
use crate::core::Core;
use serde::Serialize;
use std::sync::Arc;

/// Attempts per callback: one immediate retry after a failure.
const ATTEMPTS: u32 = 2;
/// `host`: the name of the server that sent the callback.
const HOST: &str = "msync@ebs-ali-beijing-msync45";

/// Where a message came from (a rule's 消息来源).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Rest,
    Sdk,
}

/// The body of one callback, its keys in the order of the docs' table.
#[derive(Serialize)]
struct Body<'a> {
    #[serde(rename = "callId")]
    call_id: &'a str,
    #[serde(rename = "eventType")]
    event_type: &'static str,
    timestamp: i64,
    chat_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    group_id: Option<&'a str>,
    from: &'a str,
    to: &'a str,
    msg_id: &'a str,
    payload: &'a HistoryPayload<'a>,
    #[serde(rename = "securityVersion")]
    security_version: &'static str,
    security: &'a str,
    appkey: &'a str,
    host: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_type: Option<&'a str>,
}

/// What every callback of one send shares.
struct Shared<'a> {
    tenant: Arc<str>,
    appkey: String,
    payload: HistoryPayload<'a>,
    content_type: String,
    timestamp: i64,
}

/// Queues the callbacks of the messages `pairs` (recipient, id) of `out`, received at
/// `now_ms`; nothing is built when no post-send rule covers `source`.
pub fn fire(
    core: &Core,
    tenant: &Tenant,
    out: &Outgoing<'_>,
    pairs: &[(&str, u64)],
    now_ms: i64,
    source: Source,
) {
    let covers = |r: &&PostSend| match source {
        Source::Rest => r.rest_messages,
        Source::Sdk => r.sdk_messages,
    };
    let rules = &tenant.settings.callback_rules;
    let mut rules = rules.iter().filter_map(post_send).filter(covers).peekable();
    if rules.peek().is_none() {
        return;
    }
    let body = cm::typed_body(out.kind, out.body.get());
    let ext = cm::ext_value(out.ext.map(|e| e.get()));
    let shared = Shared {
        tenant: cm::tenant_name(tenant),
        appkey: cm::appkey(tenant),
        payload: HistoryPayload {
            ext: &ext,
            bodies: [&body],
        },
        content_type: content_type(out.target, out.kind),
        timestamp: now_ms,
    };
    for rule in rules {
        for (to, id) in pairs {
            let message = Message {
                msg_id: id.to_string(),
                group_id: (out.target != Target::Users).then_some(*to),
            };
            for event in &rule.event_types {
                let send = |to: &str| enqueue(core, rule, *event, &shared, out, &message, to);
                match event {
                    PostEvent::Chat => send(to),
                    PostEvent::ChatOffline => offline(tenant, out, to).iter().for_each(|u| send(u)),
                }
            }
        }
    }
}

fn post_send(rule: &Rule) -> Option<&PostSend> {
    match rule {
        Rule::PostSend(r) => Some(r),
        Rule::PreSend(_) => None,
    }
}

/// The offline recipients of the message to `to`: the user, or the members of the group or
/// room (the `users` chosen, for a targeted message) but the sender.
fn offline(tenant: &Tenant, out: &Outgoing<'_>, to: &str) -> Vec<String> {
    let kind = match out.target {
        Target::Users => return vec![to.to_owned()],
        Target::ChatGroups => Kind::Group,
        Target::ChatRooms => Kind::Room,
    };
    let mut members: Vec<String> = match out.audience {
        Audience::Members => out.users.iter().map(|u| u.to_string()).collect(),
        Audience::All => to
            .parse::<u64>()
            .ok()
            .and_then(|id| {
                let everyone = |c: &super::chat_store::Chat| {
                    let owner = std::iter::once(&c.owner);
                    owner.chain(&c.members).map(|m| m.to_string()).collect()
                };
                tenant.chats(kind).with(id, everyone).ok()
            })
            .unwrap_or_default(),
    };
    let mut seen = std::collections::HashSet::new();
    members.retain(|m| !m.eq_ignore_ascii_case(out.from) && seen.insert(m.clone()));
    members
}

/// One message of the send: its id, and its group or room.
struct Message<'a> {
    msg_id: String,
    group_id: Option<&'a str>,
}

fn enqueue(
    core: &Core,
    rule: &PostSend,
    event: PostEvent,
    shared: &Shared<'_>,
    out: &Outgoing<'_>,
    message: &Message<'_>,
    to: &str,
) {
    let call_id = format!("{}_{}", shared.appkey, message.msg_id);
    let security = cm::security(&call_id, &rule.secret, shared.timestamp);
    let body = Body {
        call_id: &call_id,
        event_type: event.name(),
        timestamp: shared.timestamp,
        chat_type: chat_type(out.target),
        group_id: message.group_id,
        from: out.from,
        to,
        msg_id: &message.msg_id,
        payload: &shared.payload,
        security_version: "1.0.0",
        security: &security,
        appkey: &shared.appkey,
        host: HOST,
        content_type: rule.content_type.then_some(&shared.content_type),
    };
    let Ok(bytes) = serde_json::to_vec(&body) else {
        return;
    };
    let tenant = shared.tenant.clone();
    let delivery = cm::delivery(
        tenant,
        event.name(),
        &rule.url,
        bytes,
        rule.timeout_ms,
        ATTEMPTS,
    );
    core.callbacks.enqueue(shared.timestamp, delivery);
}

/// `chat_type`: rooms' messages are `groupchat` too.
fn chat_type(target: Target) -> &'static str {
    match target {
        Target::Users => "chat",
        Target::ChatGroups | Target::ChatRooms => "groupchat",
    }
}

/// `content_type` (2025 docs): `chat:{user|group|room}:{kind}`.
fn content_type(target: Target, kind: MsgKind) -> String {
    let scope = match target {
        Target::Users => "user",
        Target::ChatGroups => "group",
        Target::ChatRooms => "room",
    };
    let kind = match kind {
        MsgKind::Txt => "text",
        MsgKind::Img => "image",
        MsgKind::Audio => "voice",
        MsgKind::Loc => "location",
        MsgKind::Video => "video",
        MsgKind::File => "file",
        MsgKind::Cmd => "command",
        MsgKind::Custom => "custom",
    };
    format!("chat:{scope}:{kind}")
}
