//! `/msg/revoke_msg` (contract §6, §7): an admin, the sender of a single chat message, or a
//! group's owner or admin revokes it; it is then served as a 2101 notification of who revoked
//! it, shown `isRevoked` in searches, marked recalled in the journal, and a 2101 notification
//! is stored in the `n_` conversation, as the real server does.

use super::error::OpenImError;
use super::msg_store::{notification_content, MsgData, Revoke, REVOKED};
use super::op::Op;
use super::user_store::User;
use crate::core::gojson::{field, GoStruct, GoType::*};
use crate::core::journal::MessageId;
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, Default)]
#[serde(default)]
struct RevokeReq {
    #[serde(rename = "conversationID")]
    conversation_id: String,
    seq: i64,
    #[serde(rename = "userID")]
    user_id: String,
}

static REVOKE: GoStruct = GoStruct::new(
    "RevokeMsgReq",
    "msg.RevokeMsgReq",
    &[
        field("conversationID", Str),
        field("seq", I64),
        field("userID", Str),
    ],
);

/// `POST /msg/revoke_msg` `{"conversationID","seq","userID"}`: an admin, the sender of a
/// single chat message, or a group's owner or admin revokes it.
pub async fn revoke_msg(op: Op<'_>, payload: web::Payload) -> Result<HttpResponse, OpenImError> {
    let req: RevokeReq = op.call.bind(payload, &REVOKE).await?;
    check_revoke(&req)?;
    op.check_access(&req.user_id)?;
    let user = op
        .tenant
        .users
        .get(&req.user_id)
        .ok_or_else(|| OpenImError::not_found("record not found"))?;
    let stored = op
        .tenant
        .messages
        .get(&req.conversation_id, req.seq)
        .ok_or_else(|| OpenImError::not_found("msg not found"))?;
    if stored.revoke.is_some() {
        return Err(OpenImError::already_revoked());
    }
    let role = revoker_role(&op, &req.user_id, &user, &stored.msg)?;
    let revoke = Revoke {
        user_id: req.user_id.clone(),
        role,
        nickname: user.nickname,
        time: op.call.now_ms,
    };
    op.tenant
        .messages
        .revoke(&req.conversation_id, req.seq, revoke);
    let wanted = MessageId::Text(stored.msg.server_msg_id.clone().into());
    op.tenant
        .journal
        .update_recent(|_| true, |r| r.id == wanted, |r| r.recalled = true);
    notify_revoked(&op, &req, &stored.msg);
    op.call.ok(None::<()>)
}

/// `sdkws.RevokeMsgTips`, in its field order.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RevokeMsgTips<'a> {
    #[serde(rename = "revokerUserID")]
    revoker_user_id: &'a str,
    #[serde(rename = "clientMsgID")]
    client_msg_id: &'a str,
    revoke_time: i64,
    sesstion_type: i32,
    seq: i64,
    #[serde(rename = "conversationID")]
    conversation_id: &'a str,
    is_admin_revoke: bool,
}

/// The options of a revoke notification: a reliable notification kept in history, no unread
/// count (`GetOptionsByNotification` for `MsgRevokeNotification`).
pub(super) const NOTIFICATION_OPTIONS: [(&str, bool); 11] = [
    ("isNotNotification", false),
    ("isSendMsg", false),
    ("history", true),
    ("persistent", true),
    ("offlinePush", false),
    ("unreadCount", false),
    ("conversationUpdate", false),
    ("senderSync", true),
    ("notPrivate", false),
    ("senderConversationUpdate", false),
    ("reactionFromCache", false),
];

/// The 2101 notification the real server stores after a revoke, in the `n_` conversation of
/// the revoker and the message's receiver (or of the group).
fn notify_revoked(op: &Op<'_>, req: &RevokeReq, msg: &MsgData) {
    let now = op.call.now_ms;
    let group = msg.session_type == 3;
    let recv = if group { &msg.group_id } else { &msg.recv_id };
    let (conversation, members) = if group {
        (format!("n_{recv}"), op.tenant.groups.members(recv))
    } else {
        let members = vec![req.user_id.clone(), recv.clone()];
        (super::send::pair("n_", &req.user_id, recv), members)
    };
    let tips = RevokeMsgTips {
        revoker_user_id: op.user_id(),
        client_msg_id: &msg.client_msg_id,
        revoke_time: now,
        sesstion_type: msg.session_type,
        seq: req.seq,
        conversation_id: &req.conversation_id,
        is_admin_revoke: op.is_admin(),
    };
    let (ids, core) = (&op.call.state.ids, &op.call.state.core);
    let notification = MsgData {
        send_id: req.user_id.clone(),
        recv_id: recv.clone(),
        group_id: if group { recv.clone() } else { String::new() },
        client_msg_id: ids.message_id(core, now, &req.user_id),
        server_msg_id: ids.message_id(core, now, &req.user_id),
        sender_platform_id: 0,
        sender_nickname: String::new(),
        sender_face_url: String::new(),
        session_type: msg.session_type,
        msg_from: 200,
        content_type: REVOKED,
        content: notification_content(&tips),
        seq: 0,
        send_time: now,
        create_time: now,
        options: NOTIFICATION_OPTIONS.to_vec(),
        null_empty_maps: false,
        offline_push_info: Some(Default::default()),
        at_user_id_list: Vec::new(),
        ex: String::new(),
    };
    let max = op.tenant.settings.max_messages;
    op.tenant
        .messages
        .append(&conversation, notification, &members, max);
}

/// `RevokeMsgReq.Check()`.
fn check_revoke(req: &RevokeReq) -> Result<(), OpenImError> {
    if req.conversation_id.is_empty() {
        return Err(OpenImError::args("conversationID is empty"));
    }
    if req.seq < 1 {
        return Err(OpenImError::args("seq is invalid"));
    }
    if req.user_id.is_empty() {
        return Err(OpenImError::args("userID is empty"));
    }
    Ok(())
}

/// The role recorded for the revoker, once it is known to be allowed.
fn revoker_role(
    op: &Op<'_>,
    revoker: &str,
    user: &User,
    msg: &MsgData,
) -> Result<i32, OpenImError> {
    if op.is_admin() {
        return Ok(0);
    }
    match msg.session_type {
        1 => {
            op.check_access(&msg.send_id)?;
            Ok(user.app_manger_level)
        }
        3 => {
            let groups = &op.tenant.groups;
            let role = groups.role(&msg.group_id, revoker).unwrap_or(0);
            let sender_role = groups.role(&msg.group_id, &msg.send_id);
            let allowed = revoker == msg.send_id
                || role == super::group_store::OWNER
                || (role == super::group_store::ADMIN
                    && sender_role.is_none_or(|r| r == super::group_store::ORDINARY));
            if !allowed {
                return Err(OpenImError::no_permission("no permission"));
            }
            Ok(role)
        }
        other => Err(OpenImError::internal(format!(
            "msg sessionType not supported, sessionType={other}"
        ))),
    }
}
