//! `PUT /messages/rewrite/{msg_id}` (`message_modify_text_custom.md`): replaces the content
//! of a delivered text or custom message, at most 10 times. The journal record takes the new
//! body (and, for custom messages, the new `ext`, merged into the old one unless
//! `is_combine_ext` is `false`) and is marked modified.

use super::call::Call;
use super::error::EasemobError;
use super::json;
use super::send::raw;
use super::validate;
use super::wire::Meta;
use crate::core::journal::{MessageId, MessageType, Record, Revision};
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::sync::Arc;

/// How many times a message may be modified.
const MAX_EDITS: u32 = 10;

#[derive(Deserialize)]
struct RewriteBody<'a> {
    #[serde(borrow)]
    user: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "raw")]
    new_msg: Option<&'a RawValue>,
    new_ext: Option<Map<String, Value>>,
    is_combine_ext: Option<bool>,
}

#[derive(Deserialize)]
struct NewMsg {
    #[serde(rename = "type")]
    kind: Option<String>,
    msg: Option<String>,
    #[serde(rename = "customEvent")]
    event: Option<String>,
    #[serde(rename = "customExts")]
    exts: Option<Map<String, Value>>,
}

/// `PUT /{org}/{app}/messages/rewrite/{msg_id}`: `data: "success"`.
pub async fn rewrite(call: Call, payload: web::Payload) -> HttpResponse {
    call.finish(rewrite_message(&call, payload).await)
}

async fn rewrite_message(call: &Call, payload: web::Payload) -> Result<HttpResponse, EasemobError> {
    let tenant = call.tenant()?;
    let bytes = call
        .body(payload, tenant.settings.limits.max_request_bytes)
        .await?;
    call.require_app(&tenant)?;
    call.rate(&tenant.rates.rewrite)?;
    let body: RewriteBody = json::message(&bytes)?;
    let new_msg = body
        .new_msg
        .filter(|m| m.get() != "null")
        .ok_or_else(EasemobError::rewrite_new_msg_required)?;
    let new_msg: NewMsg = json::message(new_msg.get().as_bytes())?;
    let msg_id = call.rest().split('/').nth(3).unwrap_or_default();
    let id: u64 = msg_id.parse().map_err(|_| EasemobError::rewrite_bad_id())?;
    let (kind, content) = new_content(&new_msg)?;
    let edit = Edit {
        user: body.user.as_deref().filter(|u| !u.is_empty()),
        kind,
        content,
        new_ext: body.new_ext.as_ref(),
        combine: body.is_combine_ext.unwrap_or(true),
    };
    let wanted = MessageId::Decimal(id);
    tenant
        .journal
        .modify_recent(
            |_| true,
            |r| r.id == wanted,
            |r, times| edit.apply(r, times),
        )
        .ok_or_else(EasemobError::rewrite_unavailable)??;
    let path = format!("/messages/rewrite/{msg_id}");
    Ok(Meta::new(call, &tenant, "put", &path).message("success"))
}

/// The type and the new body of a rewrite, checked.
fn new_content(new_msg: &NewMsg) -> Result<(&'static str, String), EasemobError> {
    let mut body = Map::new();
    let kind = match new_msg.kind.as_deref() {
        Some("txt") => {
            let msg = new_msg.msg.as_ref().filter(|m| !m.is_empty());
            let msg = msg.ok_or_else(EasemobError::invalid_request_body)?;
            body.insert("msg".into(), Value::String(msg.clone()));
            "txt"
        }
        Some("custom") => {
            if let Some(event) = &new_msg.event {
                if !validate::legal_custom_event(event) {
                    return Err(EasemobError::invalid_request_body());
                }
                body.insert("customEvent".into(), Value::String(event.clone()));
            }
            if let Some(exts) = &new_msg.exts {
                if exts.len() > 16 || !exts.values().all(Value::is_string) {
                    return Err(EasemobError::invalid_request_body());
                }
                body.insert("customExts".into(), Value::Object(exts.clone()));
            }
            "custom"
        }
        _ => return Err(EasemobError::rewrite_unsupported_type()),
    };
    let text = serde_json::to_string(&body).map_err(|_| EasemobError::invalid_request_body())?;
    Ok((kind, text))
}

/// A checked rewrite, applied to the record it names.
struct Edit<'a> {
    user: Option<&'a str>,
    kind: &'static str,
    content: String,
    new_ext: Option<&'a Map<String, Value>>,
    combine: bool,
}

impl Edit<'_> {
    /// The record's new content, or why it cannot have it: a recalled message is gone, only
    /// its sender may edit it, its type stays what it was, and 10 edits are the most.
    fn apply(&self, r: &Record, times: u32) -> Result<Revision, EasemobError> {
        if r.recalled {
            return Err(EasemobError::rewrite_unavailable());
        }
        if self.user.is_some_and(|u| !u.eq_ignore_ascii_case(&r.from)) {
            return Err(EasemobError::rewrite_not_yours());
        }
        if r.kind != MessageType::Name(self.kind) {
            return Err(EasemobError::rewrite_unsupported_type());
        }
        if times >= MAX_EDITS {
            return Err(EasemobError::rewrite_limit());
        }
        Ok(Revision {
            content: Arc::from(self.content.as_str()),
            ext: self.ext(r),
        })
    }

    /// The new `ext`: only custom messages take `new_ext`, merged into the old one or in its
    /// place.
    fn ext(&self, r: &Record) -> Option<Arc<str>> {
        let new_ext = self.new_ext.filter(|_| self.kind == "custom");
        let Some(new_ext) = new_ext else {
            return r.ext.clone();
        };
        let mut ext: Map<String, Value> = match (&r.ext, self.combine) {
            (Some(old), true) => serde_json::from_str(old).unwrap_or_default(),
            _ => Map::new(),
        };
        ext.extend(new_ext.iter().map(|(k, v)| (k.clone(), v.clone())));
        serde_json::to_string(&ext).ok().map(Arc::from)
    }
}
