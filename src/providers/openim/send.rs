//! `/msg/send_msg` and `/msg/batch_send_msg` (contract §4, §7), in the real server's order:
//! binding (400), app manager (1002), content type (1001), notification account, content
//! decoding and validation (500), the message's own check, the session type, then the
//! session's rules (receiver, group, membership) with the message webhooks between them. A
//! message is stored with the next seq of its conversation (unless `isOnlineOnly`) and
//! journaled.

use super::bind::{self, SendReq};
use super::content::{self, Elem};
use super::error::OpenImError;
use super::fixtures::Version;
use super::go_text::go_marshal;
use super::msg_store::MsgData;
use super::op::Op;
use super::webhooks;
use crate::core::journal::{ChatType, MessageId, MessageType, Record};
use actix_web::{web, HttpResponse};
use serde::Serialize;
use serde_json::{Map, Value};
use std::sync::Arc;

const SINGLE: i32 = 1;
const GROUP: i32 = 3;
const NOTIFICATION: i32 = 4;
const OA_NOTIFICATION: i32 = 1400;
/// `msgFrom` of a message sent through the REST API (`constant.SysMsgType`).
const SYS_MSG: i32 = 200;
/// `globalRecvMsgOpt`: receive nothing, or receive without notice.
const RECV_NOTHING: i32 = 1;
const RECV_WITHOUT_NOTICE: i32 = 2;
/// A user at this app-manager level or above may send notifications.
const NOTIFICATION_ACCOUNT_LEVEL: i32 = 2;

/// The element schema of `content_type`, if the tenant's release sends it.
fn schema(content_type: i32, version: Version) -> Option<&'static Elem> {
    Some(match (content_type, version) {
        (101, _) => &content::TEXT,
        (102, _) => &content::PICTURE,
        (103, _) => &content::SOUND,
        (104, _) => &content::VIDEO,
        (105, _) => &content::FILE,
        (106, _) => &content::AT,
        (110, _) => &content::CUSTOM,
        (114, Version::Main) => &content::QUOTE,
        (118, Version::Main) => &content::MARKDOWN,
        (OA_NOTIFICATION, _) => &content::OA_NOTIFICATION,
        _ => return None,
    })
}

/// A checked message, ready to deliver to one receiver after another.
struct Outgoing {
    req: SendReq,
    session_type: i32,
    /// The content as stored, and as the client sent it (for the journal).
    stored: String,
    sent: Arc<str>,
    at_users: Vec<String>,
    client_msg_id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Sent {
    #[serde(rename = "serverMsgID")]
    server_msg_id: String,
    #[serde(rename = "clientMsgID")]
    client_msg_id: String,
    send_time: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    modify: Option<Option<()>>,
    #[serde(rename = "recvID", skip_serializing_if = "Option::is_none")]
    recv_id: Option<String>,
}

/// `POST /msg/send_msg` (admin token).
pub async fn send_msg(op: Op<'_>, payload: web::Payload) -> Result<HttpResponse, OpenImError> {
    let body = op.call.body(payload).await?;
    let req = bind::send_msg(&body)?;
    let out = prepare(&op, req)?;
    let recv = out.req.recv_id.clone();
    let mut sent = deliver(&op, &out, &recv).await?;
    if op.tenant.settings.version == Version::Release {
        sent.modify = Some(None);
    }
    op.call.ok(Some(sent))
}

#[derive(Serialize)]
struct BatchSent {
    results: Option<Vec<Sent>>,
    #[serde(rename = "failedUserIDs")]
    failed_user_ids: Option<Vec<String>>,
}

/// `POST /msg/batch_send_msg` (admin token): one message to each of `recvIDs` (or to every
/// registered user with `isSendAll`); a receiver that fails is listed, never fails the call.
pub async fn batch_send_msg(
    op: Op<'_>,
    payload: web::Payload,
) -> Result<HttpResponse, OpenImError> {
    let body = op.call.body(payload).await?;
    let req = bind::batch_send_msg(&body)?;
    let all = req.is_send_all;
    let out = prepare(&op, req)?;
    let receivers = if all {
        op.tenant.users.all_ids()
    } else {
        out.req.recv_ids.clone().unwrap_or_default()
    };
    let (mut results, mut failed) = (Vec::new(), Vec::new());
    for recv in receivers {
        match deliver(&op, &out, &recv).await {
            Ok(mut sent) => {
                sent.recv_id = Some(recv);
                results.push(sent);
            }
            Err(_) => failed.push(recv),
        }
    }
    op.call.ok(Some(BatchSent {
        results: (!results.is_empty()).then_some(results),
        failed_user_ids: (!failed.is_empty()).then_some(failed),
    }))
}

/// The API's part: permission, content type and content, and the message's own check.
fn prepare(op: &Op<'_>, req: SendReq) -> Result<Outgoing, OpenImError> {
    if !op.is_admin() {
        return Err(OpenImError::no_permission(
            "only app manager can send message",
        ));
    }
    let version = op.tenant.settings.version;
    let elem = schema(req.content_type, version).ok_or_else(|| OpenImError::args(""))?;
    let mut session_type = req.session_type;
    if req.content_type == OA_NOTIFICATION {
        session_type = NOTIFICATION;
        notification_account(op, &req.send_id)?;
    }
    let content = req.content.clone().unwrap_or_default();
    content::check(&content, elem).map_err(OpenImError::internal)?;
    let notification = session_type == NOTIFICATION;
    if notification != (req.content_type == OA_NOTIFICATION) {
        return Err(OpenImError::args(
            "notification msg must have correct session type and content type",
        ));
    }
    let mut sent = String::new();
    go_marshal(&Value::Object(content.clone()), &mut sent);
    let stored = if req.content_type == OA_NOTIFICATION {
        let mut wrapped = String::new();
        go_marshal(&serde_json::json!({ "detail": sent }), &mut wrapped);
        wrapped
    } else {
        sent.clone()
    };
    let state = &op.call.state;
    Ok(Outgoing {
        at_users: at_users(&content, req.content_type, version),
        client_msg_id: state
            .ids
            .message_id(&state.core, op.call.now_ms, &req.send_id),
        session_type,
        stored,
        sent: sent.into(),
        req,
    })
}

/// The sender of a notification must be a notification account.
fn notification_account(op: &Op<'_>, send_id: &str) -> Result<(), OpenImError> {
    let user = op
        .tenant
        .users
        .get(send_id)
        .ok_or_else(|| OpenImError::user_id_not_found(""))?;
    if user.app_manger_level < NOTIFICATION_ACCOUNT_LEVEL {
        return Err(OpenImError::no_permission(
            "notification messages cannot be sent for this ID",
        ));
    }
    Ok(())
}

/// `main` copies an @-message's `atUserList` into the message; the release does not.
fn at_users(content: &Map<String, Value>, content_type: i32, version: Version) -> Vec<String> {
    if content_type != 106 || version != Version::Main {
        return Vec::new();
    }
    let list = content.get("atUserList").and_then(Value::as_array);
    list.into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
}

/// The RPC's part for one receiver, in the real server's order: `encapsulateMsgData`, the
/// session's rules and before-send webhooks, `beforeMsgModify`, then storing, journaling and
/// the after-send webhook.
async fn deliver(op: &Op<'_>, out: &Outgoing, recv: &str) -> Result<Sent, OpenImError> {
    let req = &out.req;
    let now = op.call.now_ms;
    let state = &op.call.state;
    let server_msg_id = state.ids.message_id(&state.core, now, &req.send_id);
    let send_time = if req.send_time != 0 {
        req.send_time
    } else {
        now
    };
    let mut msg = message(out, recv, server_msg_id, send_time, now);
    let mut offline_push = !req.not_offline_push;
    match out.session_type {
        SINGLE => {
            webhooks::before_send(op, &msg).await?;
            // A receiver who takes messages without notice gets them without offline push.
            offline_push &= check_single(op, req, recv)? != RECV_WITHOUT_NOTICE;
            webhooks::modify(op, &mut msg).await?;
        }
        GROUP => {
            check_group(op, req)?;
            webhooks::before_send(op, &msg).await?;
            webhooks::modify(op, &mut msg).await?;
        }
        NOTIFICATION => {}
        _ => return Err(OpenImError::args("unknown sessionType")),
    }
    if !offline_push {
        msg.options = vec![("offlinePush", false)];
    }
    let after = webhooks::after_send(op, &msg);
    let sent = store(op, out, msg);
    if let Some(delivery) = after {
        state.core.callbacks.enqueue(now, delivery);
    }
    Ok(sent)
}

/// Stores `msg` in its conversation (unless online only) and journals it; the answer.
fn store(op: &Op<'_>, out: &Outgoing, msg: MsgData) -> Sent {
    let (conversation, members, chat_type) = match msg.session_type {
        SINGLE => {
            let members = vec![msg.send_id.clone(), msg.recv_id.clone()];
            let id = pair("si_", &msg.send_id, &msg.recv_id);
            (id, members, ChatType::Single)
        }
        GROUP => {
            let members = op.tenant.groups.members(&msg.group_id);
            (format!("sg_{}", msg.group_id), members, ChatType::Group)
        }
        _ => {
            let members = vec![msg.send_id.clone(), msg.recv_id.clone()];
            let id = pair("sn_", &msg.send_id, &msg.recv_id);
            (id, members, ChatType::Notification)
        }
    };
    let to = match chat_type {
        ChatType::Group => msg.group_id.as_str(),
        _ => msg.recv_id.as_str(),
    };
    // The content as the client sent it, unless a webhook changed it.
    let content = if msg.content == out.stored {
        out.sent.clone()
    } else {
        Arc::from(msg.content.as_str())
    };
    let record = Record {
        seq: 0,
        id: MessageId::Text(msg.server_msg_id.as_str().into()),
        chat_type,
        from: Arc::from(msg.send_id.as_str()),
        to: to.into(),
        conversation: Some(Arc::from(conversation.as_str())),
        kind: MessageType::Code(i64::from(msg.content_type)),
        content,
        ext: (!msg.ex.is_empty()).then(|| Arc::from(Value::String(msg.ex.clone()).to_string())),
        received_at_ms: op.call.now_ms,
        recalled: false,
    };
    let sent = Sent {
        server_msg_id: msg.server_msg_id.clone(),
        client_msg_id: msg.client_msg_id.clone(),
        send_time: msg.send_time,
        modify: None,
        recv_id: None,
    };
    let tenant = op.call.keep().unwrap_or_else(|| op.tenant.clone());
    if !out.req.is_online_only {
        let max = tenant.settings.max_messages;
        tenant.messages.append(&conversation, msg, &members, max);
    }
    let core = &op.call.state.core;
    core.journal
        .append(&tenant.journal, std::iter::once(record));
    sent
}

/// `si_`/`sn_` and the two IDs in lexicographic order.
pub fn pair(prefix: &str, a: &str, b: &str) -> String {
    let (first, second) = if a <= b { (a, b) } else { (b, a) };
    format!("{prefix}{first}_{second}")
}

/// The receiver's `globalRecvMsgOpt`, once the single chat's rules pass.
fn check_single(op: &Op<'_>, req: &SendReq, recv: &str) -> Result<i32, OpenImError> {
    let tenant = &op.tenant;
    let admin_sender = tenant.settings.is_admin(&req.send_id);
    if !admin_sender
        && tenant.settings.version == Version::Main
        && !tenant.users.exists(&req.send_id)
    {
        return Err(OpenImError::not_found("record not found"));
    }
    let opt = tenant
        .users
        .recv_opt(recv)
        .ok_or_else(|| OpenImError::not_found("userID not found"))?;
    if opt == RECV_NOTHING {
        return Err(match tenant.settings.version {
            Version::Main => OpenImError::args("message is not sent"),
            Version::Release => OpenImError::internal(""),
        });
    }
    Ok(opt)
}

fn check_group(op: &Op<'_>, req: &SendReq) -> Result<(), OpenImError> {
    let tenant = &op.tenant;
    let group = tenant
        .groups
        .get(&req.group_id)
        .ok_or_else(|| OpenImError::not_found(""))?;
    if group.info.status == super::groups::DISMISSED {
        return Err(OpenImError::dismissed(""));
    }
    if group.info.group_type == 1 || tenant.settings.is_admin(&req.send_id) {
        return Ok(());
    }
    if !group.members.contains_key(&req.send_id) {
        return Err(OpenImError::not_in_group());
    }
    Ok(())
}

fn message(out: &Outgoing, recv: &str, server_msg_id: String, send_time: i64, now: i64) -> MsgData {
    let req = &out.req;
    MsgData {
        send_id: req.send_id.clone(),
        recv_id: recv.to_owned(),
        group_id: req.group_id.clone(),
        client_msg_id: out.client_msg_id.clone(),
        server_msg_id,
        sender_platform_id: req.sender_platform_id,
        sender_nickname: req.sender_nickname.clone(),
        sender_face_url: req.sender_face_url.clone(),
        session_type: out.session_type,
        msg_from: SYS_MSG,
        content_type: req.content_type,
        content: out.stored.clone(),
        seq: 0,
        send_time,
        create_time: now,
        options: Vec::new(),
        null_empty_maps: false,
        offline_push_info: req.offline_push_info.clone(),
        at_user_id_list: out.at_users.clone(),
        ex: req.ex.clone(),
    }
}
