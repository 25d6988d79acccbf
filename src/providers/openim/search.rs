//! `/msg/search_msg` (contract §7): single and group chat messages by sender, receiver (or
//! group), content type, UTC day and session type, a page at a time, with profiles filled in
//! as the real server fills them.

use super::error::OpenImError;
use super::msg_store::Stored;
use super::op::Op;
use super::user_store::User;
use crate::core::gojson::{field, GoStruct, GoType::*};
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

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
