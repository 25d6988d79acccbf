//! The messages of an order (contract §6–7): `POST /api/communication/message/send` (the
//! user's own orders; stored as `sender_type` `user` with the logged-in user as sender;
//! answered `{"code":0,"msg":"消息发送成功"}`) and `GET /api/communication/messages` (oldest
//! first, `total`, the pagination of every AnqiCMS list). Every message lands in the journal.

use super::call::{Answer, Call};
use super::error::{too_long, AnqiError, Column, ORDER_NOT_FOUND};
use super::order_store::{Bounds, Message, Order, COMMUNICATING, PENDING};
use super::orders::{order_param, refused, window};
use super::tenant::Tenant;
use crate::core::gojson::{field, GoStruct, GoType::*};
use crate::core::journal::{ChatType, MessageId, MessageType, Record};
use crate::core::Core;
use actix_web::web;
use serde::Deserialize;
use std::sync::Arc;

/// The message types, as documented.
pub const MESSAGE_TYPES: [&str; 10] = [
    "text", "image", "quote", "video", "file", "audio", "location", "contact", "sticker", "unknown",
];

/// The most bytes of a message's content (the column is a MySQL `TEXT`).
const MAX_CONTENT: usize = 65_535;

static SEND: GoStruct = GoStruct::new(
    "ApiCommunicationMessageRequest",
    "request.ApiCommunicationMessageRequest",
    &[
        field("comm_order_id", Uint),
        field("sender_id", Uint),
        field("sender_name", Str),
        field("message_type", Str),
        field("content", Str),
    ],
);

#[derive(Deserialize, Default)]
#[serde(default)]
struct SendRequest {
    comm_order_id: u64,
    sender_id: u64,
    sender_name: String,
    message_type: String,
    content: String,
}

/// The documented type `name`, as a static string.
pub fn message_type(name: &str) -> Option<&'static str> {
    MESSAGE_TYPES.iter().find(|t| **t == name).copied()
}

/// The content of a message: not empty, and fitting its column.
pub fn content_fault(content: &str) -> Option<&'static str> {
    if content.trim().is_empty() {
        return Some("消息内容不能为空");
    }
    (content.len() > MAX_CONTENT)
        .then_some("Error 1406 (22001): Data too long for column 'content' at row 1")
}

/// `POST /api/communication/message/send`.
pub async fn send(call: &Call, payload: web::Payload) -> Answer {
    let user = call.login()?;
    let req: SendRequest = call.bind(payload, &SEND).await?;
    if req.comm_order_id == 0 {
        return Err(AnqiError::failed(ORDER_NOT_FOUND));
    }
    if req.sender_id == 0 {
        return Err(AnqiError::failed("发送者不能为空"));
    }
    let kind = message_type(&req.message_type).ok_or(AnqiError::failed("消息类型不正确"))?;
    if let Some(fault) = content_fault(&req.content) {
        return Err(AnqiError::failed(fault));
    }
    too_long([(Column::Chars("sender_name", 64), req.sender_name.as_str())])?;
    let tenant = call.keep()?;
    let name = if req.sender_name.is_empty() {
        tenant
            .users
            .with(user, |u| u.user_name.clone())
            .unwrap_or_default()
    } else {
        req.sender_name
    };
    let message = Message {
        id: 0,
        created_time: call.now_s(),
        comm_order_id: req.comm_order_id,
        sender_id: user,
        sender_type: "user",
        sender_name: name,
        message_type: kind,
        content: req.content,
    };
    store(&call.state.core, &tenant, Some(user), message, call.now_ms).map_err(refused)?;
    call.ok(None::<()>, "消息发送成功", None)
}

/// Adds `message` to its order (of `owner` when given) and to the journal, in message order;
/// a message from the merchant moves a pending order into communication. Its ID.
pub fn store(
    core: &Core,
    tenant: &Tenant,
    owner: Option<u64>,
    message: Message,
    now_ms: i64,
) -> Result<u64, super::order_store::Refused> {
    let bounds = Bounds {
        messages: tenant.settings.max_messages,
        bytes: tenant.settings.max_message_bytes,
    };
    let order_id = message.comm_order_id;
    tenant
        .orders
        .add_message(order_id, owner, message, bounds, |order, m| {
            if m.sender_type != "user" && order.status == PENDING {
                order.status = COMMUNICATING;
            }
            let record = record(m, recipient(order, m), now_ms);
            core.journal
                .append(&tenant.journal, std::iter::once(record));
            m.id
        })
}

/// Who a message is for: the merchant for a user's, the order's user for the merchant's.
fn recipient(order: &Order, m: &Message) -> String {
    if m.sender_type == "user" {
        "admin".to_owned()
    } else {
        order.user_id.to_string()
    }
}

fn record(m: &Message, to: String, now_ms: i64) -> Record {
    Record {
        seq: 0,
        id: MessageId::Number(m.id),
        chat_type: ChatType::Order,
        from: Arc::from(m.sender_id.to_string()),
        to: to.into(),
        conversation: Some(Arc::from(m.comm_order_id.to_string())),
        kind: MessageType::Name(m.message_type),
        content: Arc::from(serde_json::Value::from(m.content.as_str()).to_string()),
        ext: None,
        received_at_ms: now_ms,
        recalled: false,
    }
}

/// `GET /api/communication/messages?comm_order_id=`.
pub fn list(call: &Call) -> Answer {
    let user = call.login()?;
    let params = call.params();
    let id = order_param(&params, "comm_order_id");
    let page = (call.tenant().orders)
        .messages(id, user, window(&params), Message::clone)
        .map_err(refused)?;
    call.ok(Some(page.items), "", Some(page.total))
}
