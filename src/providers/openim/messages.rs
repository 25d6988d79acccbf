//! The message routes around sending (contract §7): the server's time, each conversation's
//! newest seq, pulling by seq ranges (capital `Msgs`, base64 content), searching chat logs,
//! and revoking a message (then served as a 2101 notification and shown `isRevoked`).

use super::error::OpenImError;
use super::fixtures::Version;
use super::json::{field, GoStruct, GoType::*};
use super::msg_store::{notification_content, MsgData, Revoke, Stored, REVOKED};
use super::op::Op;
use super::user_store::User;
use crate::core::journal::MessageId;
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

static EMPTY: GoStruct = GoStruct::new("GetServerTimeReq", "msg.GetServerTimeReq", &[]);

#[derive(Deserialize, Default)]
struct Nothing {}

#[derive(Serialize)]
struct ServerTime {
    #[serde(rename = "serverTime")]
    server_time: i64,
}

/// `POST /msg/get_server_time` `{}` (any token; an empty body does not decode).
pub async fn get_server_time(
    op: Op<'_>,
    payload: web::Payload,
) -> Result<HttpResponse, OpenImError> {
    let _: Nothing = op.call.bind(payload, &EMPTY).await?;
    op.call.ok(Some(ServerTime {
        server_time: op.call.now_ms,
    }))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct UserReq {
    #[serde(rename = "userID")]
    user_id: String,
}

static NEWEST_SEQ: GoStruct = GoStruct::new(
    "GetMaxSeqReq",
    "sdkws.GetMaxSeqReq",
    &[field("userID", Str)],
);

/// A protobuf map field: on the release (no `omitempty`, and through gRPC) an empty one is
/// `null`; on `main` it is left out.
struct PbMap<T>(BTreeMap<String, T>, bool);

impl<T: Serialize> Serialize for PbMap<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0.is_empty() {
            s.serialize_none()
        } else {
            self.0.serialize(s)
        }
    }
}

impl<T> PbMap<T> {
    fn skipped(&self) -> bool {
        self.0.is_empty() && !self.1
    }
}

#[derive(Serialize)]
struct MaxSeqs {
    #[serde(rename = "maxSeqs", skip_serializing_if = "PbMap::skipped")]
    max_seqs: PbMap<i64>,
    #[serde(rename = "minSeqs", skip_serializing_if = "PbMap::skipped")]
    min_seqs: PbMap<i64>,
}

/// Whether the tenant writes empty protobuf maps as `null` (the release).
fn null_maps(op: &Op<'_>) -> bool {
    op.tenant.settings.version == Version::Release
}

/// `POST /msg/newest_seq` `{"userID"}` (the user or an admin): the max seq of each of the
/// user's conversations.
pub async fn newest_seq(op: Op<'_>, payload: web::Payload) -> Result<HttpResponse, OpenImError> {
    let req: UserReq = op.call.bind(payload, &NEWEST_SEQ).await?;
    op.check_access(&req.user_id)?;
    let seqs = op
        .tenant
        .messages
        .seqs_of(&req.user_id)
        .into_iter()
        .filter(|(_, seq, _)| *seq > 0)
        .map(|(id, seq, _)| (id.to_string(), seq))
        .collect();
    let null = null_maps(&op);
    op.call.ok(Some(MaxSeqs {
        max_seqs: PbMap(seqs, null),
        min_seqs: PbMap(BTreeMap::new(), null),
    }))
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct SeqRange {
    #[serde(rename = "conversationID")]
    conversation_id: String,
    begin: i64,
    end: i64,
    num: i64,
}

static SEQ_RANGE: GoStruct = GoStruct::new(
    "SeqRange",
    "sdkws.SeqRange",
    &[
        field("conversationID", Str),
        field("begin", I64),
        field("end", I64),
        field("num", I64),
    ],
);

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct PullReq {
    #[serde(rename = "userID")]
    user_id: String,
    seq_ranges: Vec<Option<SeqRange>>,
    order: i32,
}

static PULL: GoStruct = GoStruct::new(
    "PullMessageBySeqsReq",
    "sdkws.PullMessageBySeqsReq",
    &[
        field("userID", Str),
        field("seqRanges", List(&SEQ_RANGE)),
        field("order", I32),
    ],
);

#[derive(Serialize)]
struct PullMsgs {
    #[serde(rename = "Msgs")]
    msgs: Vec<MsgData>,
    #[serde(rename = "isEnd")]
    is_end: bool,
    #[serde(rename = "endSeq")]
    end_seq: i64,
}

#[derive(Serialize)]
struct Pulled {
    #[serde(skip_serializing_if = "PbMap::skipped")]
    msgs: PbMap<PullMsgs>,
    #[serde(rename = "notificationMsgs", skip_serializing_if = "PbMap::skipped")]
    notification_msgs: PbMap<PullMsgs>,
}

/// `POST /msg/pull_msg_by_seq`: per range, the messages of a conversation the user is in, at
/// most `num` (the newest of the range); other ranges are skipped. Notification
/// conversations (`n_`) come back in `notificationMsgs`. The release checks no access; `main`
/// takes the user or an admin.
pub async fn pull_msg_by_seq(
    op: Op<'_>,
    payload: web::Payload,
) -> Result<HttpResponse, OpenImError> {
    let req: PullReq = op.call.bind(payload, &PULL).await?;
    if op.tenant.settings.version == Version::Main {
        op.check_access(&req.user_id)?;
    }
    let null = null_maps(&op);
    let (mut msgs, mut notification_msgs) = (BTreeMap::new(), BTreeMap::new());
    let seqs: BTreeMap<String, i64> = (op.tenant.messages.seqs_of(&req.user_id).into_iter())
        .map(|(id, seq, _)| (id.to_string(), seq))
        .collect();
    for range in req.seq_ranges.into_iter().flatten() {
        let Some(&max_seq) = seqs.get(&range.conversation_id) else {
            continue;
        };
        let notification = range.conversation_id.starts_with("n_");
        let Some(pulled) = pull_range(&op, &range, max_seq, req.order, notification, null) else {
            continue;
        };
        let into = if notification {
            &mut notification_msgs
        } else {
            &mut msgs
        };
        into.insert(range.conversation_id, pulled);
    }
    op.call.ok(Some(Pulled {
        msgs: PbMap(msgs, null),
        notification_msgs: PbMap(notification_msgs, null),
    }))
}

/// One range: clamped to the conversation's seqs (from 1: its min seq is 0), the newest `num`
/// of a chat conversation (a notification conversation's whole range); `None` when empty.
fn pull_range(
    op: &Op<'_>,
    range: &SeqRange,
    max_seq: i64,
    order: i32,
    notification: bool,
    null: bool,
) -> Option<PullMsgs> {
    let (mut begin, end) = (range.begin.max(1), range.end.min(max_seq));
    if end < begin {
        return None;
    }
    if !notification && end - begin + 1 > range.num {
        begin = end - range.num + 1;
    }
    let found = op
        .tenant
        .messages
        .range(&range.conversation_id, begin, end, null);
    let is_end = match order {
        1 => range.begin <= 0,
        _ => max_seq <= range.end,
    };
    (!found.is_empty()).then_some(PullMsgs {
        msgs: found,
        is_end,
        end_seq: 0,
    })
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Pagination {
    page_number: i32,
    show_number: i32,
}

static PAGINATION: GoStruct = GoStruct::new(
    "RequestPagination",
    "sdkws.RequestPagination",
    &[field("pageNumber", I32), field("showNumber", I32)],
);

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct SearchReq {
    #[serde(rename = "sendID")]
    send_id: String,
    #[serde(rename = "recvID")]
    recv_id: String,
    content_type: i32,
    send_time: String,
    session_type: i32,
    pagination: Option<Pagination>,
}

static SEARCH: GoStruct = GoStruct::new(
    "SearchMessageReq",
    "msg.SearchMessageReq",
    &[
        field("sendID", Str),
        field("recvID", Str),
        field("contentType", I32),
        field("sendTime", Str),
        field("sessionType", I32),
        field("pagination", Struct(&PAGINATION)),
    ],
);

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ChatLog {
    #[serde(rename = "serverMsgID")]
    server_msg_id: String,
    #[serde(rename = "clientMsgID")]
    client_msg_id: String,
    #[serde(rename = "sendID")]
    send_id: String,
    #[serde(rename = "recvID")]
    recv_id: String,
    #[serde(rename = "groupID")]
    group_id: String,
    recv_nickname: String,
    #[serde(rename = "senderPlatformID")]
    sender_platform_id: i32,
    sender_nickname: String,
    #[serde(rename = "senderFaceURL")]
    sender_face_url: String,
    group_name: String,
    session_type: i32,
    msg_from: i32,
    content_type: i32,
    content: String,
    status: i32,
    send_time: i64,
    create_time: i64,
    ex: String,
    #[serde(rename = "groupFaceURL")]
    group_face_url: String,
    group_member_count: u32,
    seq: i64,
    group_owner: String,
    group_type: i32,
}

#[derive(Serialize)]
struct SearchedLog {
    #[serde(rename = "chatLog")]
    chat_log: ChatLog,
    #[serde(rename = "isRevoked")]
    is_revoked: bool,
}

#[derive(Serialize)]
struct Searched {
    #[serde(rename = "chatLogs")]
    chat_logs: Option<Vec<SearchedLog>>,
    #[serde(rename = "chatLogsNum")]
    chat_logs_num: i32,
}

/// `POST /msg/search_msg` (any token): single and group chat messages by sender, receiver
/// (or group), content type, UTC day and session type, a page at a time.
pub async fn search_msg(op: Op<'_>, payload: web::Payload) -> Result<HttpResponse, OpenImError> {
    let req: SearchReq = op.call.bind(payload, &SEARCH).await?;
    let day = day_range(&req.send_time)?;
    let found = op.tenant.messages.search(|stored| {
        let m = &stored.msg;
        (req.recv_id.is_empty() || m.recv_id == req.recv_id || m.group_id == req.recv_id)
            && (req.send_id.is_empty() || m.send_id == req.send_id)
            && (req.content_type == 0 || m.content_type == req.content_type)
            && (req.session_type == 0 || m.session_type == req.session_type)
            && day.is_none_or(|(from, to)| (from..to).contains(&m.send_time))
    });
    let total = found.len() as i32;
    let page = req.pagination.unwrap_or_default();
    let (number, size) = (
        page.page_number.max(1) as usize,
        page.show_number.max(0) as usize,
    );
    let logs: Vec<SearchedLog> = found
        .into_iter()
        .skip((number - 1) * size)
        .take(size)
        .map(|stored| chat_log(&op, stored))
        .collect();
    op.call.ok(Some(Searched {
        chat_logs: (!logs.is_empty()).then_some(logs),
        chat_logs_num: total,
    }))
}

/// The epoch-millisecond bounds of a `YYYY-MM-DD` UTC day; `None` for an empty filter.
fn day_range(day: &str) -> Result<Option<(i64, i64)>, OpenImError> {
    if day.is_empty() {
        return Ok(None);
    }
    let start = super::go_date::parse(day).map_err(|cause| {
        OpenImError::args(format!(
            "invalid sendTime, req={day}, format=2006-01-02, cause={cause}"
        ))
    })?;
    Ok(Some((start, start + 86_400_000)))
}

fn chat_log(op: &Op<'_>, stored: Stored) -> SearchedLog {
    let m = stored.msg;
    let users = &op.tenant.users;
    let nickname = |id: &str| users.get(id).map(|u: User| u.nickname).unwrap_or_default();
    let mut log = ChatLog {
        sender_nickname: if m.sender_nickname.is_empty() {
            nickname(&m.send_id)
        } else {
            m.sender_nickname.clone()
        },
        recv_nickname: String::new(),
        group_name: String::new(),
        group_face_url: String::new(),
        group_member_count: 0,
        group_owner: String::new(),
        group_type: 0,
        server_msg_id: m.server_msg_id,
        client_msg_id: m.client_msg_id,
        send_id: m.send_id,
        recv_id: m.recv_id,
        group_id: m.group_id,
        sender_platform_id: m.sender_platform_id,
        sender_face_url: m.sender_face_url,
        session_type: m.session_type,
        msg_from: m.msg_from,
        content_type: m.content_type,
        content: m.content,
        status: 0,
        send_time: m.send_time,
        create_time: m.create_time,
        ex: m.ex,
        seq: m.seq,
    };
    if log.session_type == 3 {
        if let Some(group) = op.tenant.groups.get(&log.group_id) {
            // The real server puts the group's face URL in senderFaceURL.
            log.sender_face_url = group.info.face_url;
            log.group_member_count = group.members.len() as u32;
            log.recv_id = group.info.group_id;
            log.group_name = group.info.group_name;
            log.group_owner = group.info.owner_user_id;
            log.group_type = group.info.group_type;
        }
    } else {
        log.recv_nickname = nickname(&log.recv_id);
    }
    SearchedLog {
        chat_log: log,
        is_revoked: stored.revoke.is_some(),
    }
}

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
const NOTIFICATION_OPTIONS: [(&str, bool); 11] = [
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
