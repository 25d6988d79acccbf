//! `POST /messages/msg_recall` (contract §7): recalls a message sent within the recall window
//! (2 minutes by default, on the emulator's clock), or of any age with `"force": true`. The
//! journal keeps the record, marked `recalled`.

use super::call::Call;
use super::error::EasemobError;
use super::json;
use super::msgid;
use super::wire::Meta;
use crate::core::journal::{ChatType, MessageId};
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Deserialize)]
#[allow(dead_code)] // optional fields are read by the parser to check their types
struct RecallBody {
    msg_id: Option<Value>,
    to: Option<String>,
    chat_type: Option<String>,
    from: Option<String>,
    sync_device: Option<bool>,
    force: Option<bool>,
}

#[derive(Serialize)]
struct Recalled<'a> {
    recalled: &'static str,
    chattype: &'a str,
    from: &'a str,
    to: &'a str,
    msg_id: &'a str,
}

/// `POST /{org}/{app}/messages/msg_recall`.
pub async fn recall(call: Call, payload: web::Payload) -> HttpResponse {
    call.finish(recall_message(&call, payload).await)
}

async fn recall_message(call: &Call, payload: web::Payload) -> Result<HttpResponse, EasemobError> {
    let tenant = call.tenant()?;
    let bytes = call
        .body(payload, tenant.settings.limits.max_request_bytes)
        .await?;
    call.require_app(&tenant)?;
    call.rate(&tenant.rates.recall)?;
    let body: RecallBody = json::message(&bytes)?;
    let request = Request::parse(&body)?;
    let id: u64 = request.msg_id.parse().map_err(|_| not_found())?;
    let window = tenant.settings.recall_window_ms;
    let sent = msgid::sent_at_ms(id).ok_or_else(not_found)?;
    let forced = body.force == Some(true);
    if !forced && call.now_ms.saturating_sub(sent) > window {
        return Err(EasemobError::recall_refused("exceed recall time limit"));
    }
    // A forced recall takes a message of any age the journal still holds.
    let oldest = if forced {
        i64::MIN
    } else {
        call.now_ms.saturating_sub(window)
    };
    let wanted = MessageId::Decimal(id);
    let marked = tenant.journal.update_recent(
        |r| r.received_at_ms >= oldest,
        |r| r.id == wanted && *r.to == *request.to && r.chat_type == request.kind,
        |r| {
            let fresh = !r.recalled && request.from.is_none_or(|f| *f == *r.from);
            r.recalled |= fresh;
            fresh
        },
    );
    if marked != Some(true) {
        return Err(not_found());
    }
    let meta = Meta::new(call, &tenant, "post", "/messages/msg_recall");
    Ok(meta.message(Recalled {
        recalled: "yes",
        chattype: request.chat_type,
        from: request.from.unwrap_or("admin"),
        to: request.to,
        msg_id: &request.msg_id,
    }))
}

/// A checked recall request.
struct Request<'a> {
    msg_id: String,
    to: &'a str,
    chat_type: &'a str,
    kind: ChatType,
    from: Option<&'a str>,
}

impl<'a> Request<'a> {
    fn parse(body: &'a RecallBody) -> Result<Self, EasemobError> {
        let msg_id = match &body.msg_id {
            Some(Value::String(s)) if !s.is_empty() => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => return Err(EasemobError::recall_param("param msg_id can't be empty")),
        };
        let to = required(body.to.as_deref(), "param to can't be empty")?;
        let chat_type = required(body.chat_type.as_deref(), "param chat_type can't be empty")?;
        let kind = match chat_type {
            "chat" => ChatType::Single,
            "groupchat" => ChatType::Group,
            "chatroom" => ChatType::Room,
            _ => return Err(EasemobError::recall_param("param chat_type is invalid")),
        };
        Ok(Self {
            msg_id,
            to,
            chat_type,
            kind,
            from: body.from.as_deref().filter(|f| !f.is_empty()),
        })
    }
}

fn required<'a>(value: Option<&'a str>, missing: &'static str) -> Result<&'a str, EasemobError> {
    value
        .filter(|v| !v.is_empty())
        .ok_or_else(|| EasemobError::recall_param(missing))
}

fn not_found() -> EasemobError {
    EasemobError::recall_refused("not_found msg")
}
