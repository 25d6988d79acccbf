//! The legacy send route `POST /messages[?useMsgId=true]` (contract §4.5), still used by the
//! official Java SDK's `send()`: `target_type`, `target`, and `msg` holding `type` plus the
//! per-type fields. Without `useMsgId=true`, `data` maps each recipient to `"success"`.

use super::call::Call;
use super::error::EasemobError;
use super::json;
use super::send::{
    deliver, raw, sender, validated_body, Audience, DataValues, Delivered, Outgoing,
};
use super::tenant::Target;
use super::validate::MsgKind;
use super::wire::Meta;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;

#[derive(Deserialize)]
#[allow(dead_code)] // optional fields are read by the parser to check their types
struct LegacyBody<'a> {
    #[serde(borrow)]
    target_type: Option<Cow<'a, str>>,
    #[serde(borrow)]
    target: Option<Vec<Cow<'a, str>>>,
    #[serde(default, borrow, deserialize_with = "raw")]
    msg: Option<&'a RawValue>,
    #[serde(borrow)]
    from: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "raw")]
    ext: Option<&'a RawValue>,
    sync_device: Option<bool>,
    #[serde(borrow)]
    routetype: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct MsgType<'a> {
    #[serde(rename = "type", borrow)]
    kind: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct Query {
    #[serde(rename = "useMsgId")]
    use_msg_id: Option<String>,
}

/// `POST /{org}/{app}/messages`.
pub async fn send(call: Call, payload: web::Payload) -> HttpResponse {
    call.finish(send_legacy(&call, payload).await)
}

async fn send_legacy(call: &Call, payload: web::Payload) -> Result<HttpResponse, EasemobError> {
    let tenant = call.tenant()?;
    let bytes = call
        .body(payload, tenant.settings.limits.max_request_bytes)
        .await?;
    call.require_app(&tenant)?;
    let body: LegacyBody = json::message(&bytes)?;
    let target = body
        .target_type
        .as_deref()
        .and_then(Target::parse_legacy)
        .ok_or_else(|| {
            EasemobError::illegal_argument(
                "target_type can only be 'users' or 'chatgroups' or 'chatrooms'",
            )
        })?;
    call.rate(&tenant.rates.send(target).calls)?;
    let from = sender(body.from.as_deref(), || {
        EasemobError::illegal_argument("from can't be empty")
    })?;
    let to = body.target.as_deref().unwrap_or_default();
    if to.is_empty() || to.iter().any(|t| t.is_empty()) {
        return Err(EasemobError::illegal_argument("target can't be empty"));
    }
    let kind = msg_kind(body.msg)?;
    let outgoing = Outgoing {
        target,
        audience: Audience::All,
        from,
        to,
        users: &[],
        kind,
        body: validated_body(kind, body.msg, body.ext)?,
        ext: body.ext,
    };
    let pairs = deliver(call, &tenant, &outgoing)?;
    let meta = Meta::new(call, &tenant, "post", "/messages");
    Ok(meta.message(Delivered {
        pairs,
        values: data_values(call),
    }))
}

fn msg_kind(msg: Option<&RawValue>) -> Result<MsgKind, EasemobError> {
    let msg = msg
        .filter(|m| m.get() != "null")
        .ok_or_else(|| EasemobError::illegal_argument("msg can't be empty"))?;
    let parsed: MsgType =
        serde_json::from_str(msg.get()).map_err(|_| EasemobError::invalid_request_body())?;
    match parsed.kind.as_deref() {
        None | Some("") => Err(EasemobError::illegal_argument("msg type can't be empty")),
        Some(name) => MsgKind::parse(name).ok_or_else(EasemobError::invalid_request_body),
    }
}

fn data_values(call: &Call) -> DataValues {
    let query: Option<Query> = serde_urlencoded::from_str(call.req.query_string()).ok();
    match query.and_then(|q| q.use_msg_id).as_deref() {
        Some("true") => DataValues::Ids,
        _ => DataValues::Success,
    }
}
