//! The message webhooks a send fires (webhooks contract §2), as `internal/rpc/msg/callback.go`
//! and `pkg/common/webhook/http_client.go` fire them: `POST {url}/{callbackCommand}` with the
//! headers of Go's client and OpenIM's `operationID`, one attempt, no retry. The before-send
//! hooks and `beforeMsgModify` are awaited: whatever the HTTP status, an answer that is not
//! the JSON of the reply fails the send with 90007, no answer (time-out, refused connection)
//! with 90004, and `actionCode` 0 with `nextCode` 1 with the webhook's own error
//! (`failedContinue` is never read, as in the real server). `beforeMsgModify` (text messages
//! only, as in v3.8.x) changes the message with the fields its answer has. The after-send
//! hooks go through the callbacks queue and never delay the answer.

use super::error::OpenImError;
use super::msg_store::MsgData;
use super::op::Op;
use super::webhook_body::{self as body, Extra, Reply, Shape};
use super::webhook_settings::{client_limited, wait};
use crate::core::callbacks::{Delivery, Exchanged, Outcome, ANSWER_AWAITED};
use std::sync::Arc;

const SINGLE: i32 = 1;
const GROUP: i32 = 3;
/// `constant.Text`: the only content type `beforeMsgModify` is called for in v3.8.x.
const TEXT: i32 = 101;

/// One hook: its event name in `/_emulator/callbacks` (its key in `webhooks.yml`), its
/// `callbackCommand`, the field its body adds and the reply it reads.
struct Hook {
    event: &'static str,
    command: &'static str,
    extra: Extra,
    shape: Shape,
}

const BEFORE_SINGLE: Hook = Hook {
    event: "beforeSendSingleMsg",
    command: "callbackBeforeSendSingleMsgCommand",
    extra: Extra::RecvId,
    shape: Shape::SendSingle,
};
const BEFORE_GROUP: Hook = Hook {
    event: "beforeSendGroupMsg",
    command: "callbackBeforeSendGroupMsgCommand",
    extra: Extra::GroupId,
    shape: Shape::SendGroup,
};
const MODIFY: Hook = Hook {
    event: "beforeMsgModify",
    command: "callbackBeforeMsgModifyCommand",
    extra: Extra::None,
    shape: Shape::Modify,
};
const AFTER_SINGLE: Hook = Hook {
    event: "afterSendSingleMsg",
    command: "callbackAfterSendSingleMsgCommand",
    extra: Extra::RecvId,
    shape: Shape::SendSingle,
};
const AFTER_GROUP: Hook = Hook {
    event: "afterSendGroupMsg",
    command: "callbackAfterSendGroupMsgCommand",
    extra: Extra::GroupId,
    shape: Shape::SendGroup,
};

/// `beforeSendSingleMsg` (not for an admin sender, as `messageVerification` skips it) or
/// `beforeSendGroupMsg`, when enabled and the message passes its type filters.
pub async fn before_send(op: &Op<'_>, m: &MsgData) -> Result<(), OpenImError> {
    let hooks = &op.tenant.settings.webhooks;
    let (hook, config) = match m.session_type {
        SINGLE if !op.tenant.settings.is_admin(&m.send_id) => {
            (&BEFORE_SINGLE, &hooks.before_send_single_msg)
        }
        GROUP => (&BEFORE_GROUP, &hooks.before_send_group_msg),
        _ => return Ok(()),
    };
    if !config.wants(m.content_type) {
        return Ok(());
    }
    call(op, hook, config.timeout, m).await.map(drop)
}

/// `beforeMsgModify` for a text message, when enabled and the message passes its type
/// filters; the message then has the values the answer gives.
pub async fn modify(op: &Op<'_>, m: &mut MsgData) -> Result<(), OpenImError> {
    let config = &op.tenant.settings.webhooks.before_msg_modify;
    if m.content_type != TEXT || !config.wants(m.content_type) {
        return Ok(());
    }
    let reply = call(op, &MODIFY, config.timeout, m).await?;
    apply(reply, m)
}

/// `afterSendSingleMsg` or `afterSendGroupMsg` of a stored message, when enabled and the
/// message passes its filters: the callback to queue.
pub fn after_send(op: &Op<'_>, m: &MsgData) -> Option<Delivery> {
    let hooks = &op.tenant.settings.webhooks;
    let (hook, config) = match m.session_type {
        SINGLE => (&AFTER_SINGLE, &hooks.after_send_single_msg),
        GROUP => (&AFTER_GROUP, &hooks.after_send_group_msg),
        _ => return None,
    };
    if !config.wants(m.content_type, &m.send_id, &m.recv_id) {
        return None;
    }
    Some(delivery(op, hook, config.timeout, m))
}

/// The request of `hook` about `m`, as Go's client sends it.
fn delivery(op: &Op<'_>, hook: &Hook, timeout: i64, m: &MsgData) -> Delivery {
    let operation_id = op.call.operation_id().unwrap_or_default();
    let url = &op.tenant.settings.webhooks.url;
    Delivery {
        provider: super::PROVIDER,
        tenant: Arc::clone(&op.tenant.name),
        event: hook.event,
        url: format!("{url}/{}", hook.command),
        // Go's `Header.Set` writes `operationID` as `Operationid`.
        headers: vec![
            ("User-Agent", "Go-http-client/1.1".to_owned()),
            ("Content-Type", "application/json; charset=utf-8".to_owned()),
            ("Operationid", operation_id.to_owned()),
        ],
        body: body::encode(m, hook.command, operation_id, hook.extra).into(),
        timeout: wait(timeout),
        attempts: 1,
        success: (100..=599).collect(),
    }
}

/// Sends `hook` about `m` and waits for its answer: the reply that lets the send go on, or
/// the send's error.
async fn call(op: &Op<'_>, hook: &Hook, timeout: i64, m: &MsgData) -> Result<Reply, OpenImError> {
    let d = delivery(op, hook, timeout, m);
    let url = d.url.clone();
    let core = &op.call.state.core;
    let (_, done) = core.callbacks.send_now(&core.clock, d).await;
    judge(done, &url, timeout, hook.shape)
}

/// What the real server makes of one exchange (§2.6).
fn judge(done: Exchanged, url: &str, timeout: i64, shape: Shape) -> Result<Reply, OpenImError> {
    let answer = match (done.answer, done.outcome) {
        (Some(answer), _) => answer,
        (None, Outcome::Timeout) => {
            let cause = if client_limited(timeout) {
                "context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
            } else {
                "context deadline exceeded"
            };
            return Err(unreachable(url, cause));
        }
        (None, _) => {
            let cause = failure(url, done.error.as_deref().unwrap_or_default());
            return Err(unreachable(url, &cause));
        }
    };
    // The real server reads any length; the emulator keeps the first ANSWER_AWAITED bytes.
    if answer.truncated {
        return Err(OpenImError::data(format!(
            "the answer is longer than the {ANSWER_AWAITED} bytes im-emulator reads"
        )));
    }
    let reply = body::decode(&answer.body, shape)
        .map_err(|text| OpenImError::data(format!("{text} response format error")))?;
    if reply.stops() {
        return Err(OpenImError::webhook(
            reply.err_code,
            reply.err_msg,
            reply.err_dlt,
        ));
    }
    Ok(reply)
}

/// 90004 with `ErrNetwork.WrapMsg(err.Error(), "post url", fullURL)`'s detail (less the Go
/// stack frames the real server's text carries).
fn unreachable(url: &str, cause: &str) -> OpenImError {
    OpenImError::network(format!(
        "Post \"{url}\": {cause} HTTP request failed, post url={url}"
    ))
}

/// Go's words for a failed exchange: a refused connection as its dialer says it, anything
/// else as the emulator's client said it.
fn failure(url: &str, error: &str) -> String {
    if !error.to_ascii_lowercase().contains("connection refused") {
        return error.to_owned();
    }
    let parsed = reqwest::Url::parse(url).ok();
    let host = parsed
        .as_ref()
        .and_then(|u| u.host_str())
        .unwrap_or_default();
    let port = parsed
        .as_ref()
        .and_then(reqwest::Url::port_or_known_default);
    format!(
        "dial tcp {host}:{}: connect: connection refused",
        port.unwrap_or(80)
    )
}

/// `beforeMsgModify`'s changes: each field the answer has replaces the message's. A new
/// `offlinePushInfo` for a message sent without one is written through a nil pointer: the
/// real RPC panics. `sessionType`, `status`, `options`, `attachedInfo` and `msgDataList` are
/// read but not applied (the emulator's messages do not keep them apart).
fn apply(reply: Reply, m: &mut MsgData) -> Result<(), OpenImError> {
    if reply.offline_push_info.is_some() && m.offline_push_info.is_none() {
        return Err(OpenImError::rpc_panic(
            "runtime error: invalid memory address or nil pointer dereference",
        ));
    }
    let set = |to: &mut String, from: Option<String>| {
        if let Some(value) = from {
            *to = value;
        }
    };
    set(&mut m.content, reply.content);
    set(&mut m.recv_id, reply.recv_id);
    set(&mut m.group_id, reply.group_id);
    set(&mut m.client_msg_id, reply.client_msg_id);
    set(&mut m.server_msg_id, reply.server_msg_id);
    set(&mut m.sender_nickname, reply.sender_nickname);
    set(&mut m.sender_face_url, reply.sender_face_url);
    set(&mut m.ex, reply.ex);
    m.sender_platform_id = reply.sender_platform_id.unwrap_or(m.sender_platform_id);
    m.msg_from = reply.msg_from.unwrap_or(m.msg_from);
    m.content_type = reply.content_type.unwrap_or(m.content_type);
    if let Some(info) = reply.offline_push_info {
        m.offline_push_info = Some(info);
    }
    if let Some(list) = reply.at_user_id_list {
        m.at_user_id_list = list;
    }
    Ok(())
}
