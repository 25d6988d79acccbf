//! Sending messages (contract §4): `POST /messages/users`, `/messages/chatgroups`,
//! `/messages/chatrooms` and their targeted variants `/messages/chatgroups/users` and
//! `/messages/chatrooms/users`, and the delivery they share with the legacy `/messages` route:
//! limits, one time-ordered id per distinct recipient, one journal record per recipient.

use super::call::Call;
use super::error::EasemobError;
use super::json;
use super::post_send::Source;
use super::tenant::{Target, Tenant};
use super::validate::{self, MsgKind};
use super::wire::Meta;
use crate::core::journal::{MessageId, MessageType, Record};
use crate::core::Core;
use actix_web::{web, HttpResponse};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::Arc;

/// The body of the three send endpoints.
#[derive(Deserialize)]
#[allow(dead_code)] // optional fields are read by the parser to check their types
struct SendBody<'a> {
    #[serde(borrow)]
    from: Option<Cow<'a, str>>,
    #[serde(borrow)]
    to: Option<Vec<Cow<'a, str>>>,
    #[serde(rename = "type", borrow)]
    kind: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "raw")]
    body: Option<&'a RawValue>,
    #[serde(default, borrow, deserialize_with = "raw")]
    ext: Option<&'a RawValue>,
    sync_device: Option<bool>,
    #[serde(borrow)]
    routetype: Option<Cow<'a, str>>,
    #[serde(borrow)]
    roam_ignore_users: Option<Vec<Cow<'a, str>>>,
    need_group_ack: Option<bool>,
    #[serde(borrow)]
    chatroom_msg_level: Option<Cow<'a, str>>,
    #[serde(borrow)]
    users: Option<Vec<Cow<'a, str>>>,
    #[serde(borrow)]
    env: Option<Cow<'a, str>>,
}

/// Keeps a present `null` visible (as the raw text `null`) instead of folding it into `None`.
pub fn raw<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<&'de RawValue>, D::Error> {
    <&RawValue>::deserialize(d).map(Some)
}

/// A validated message, ready to deliver.
pub struct Outgoing<'a> {
    pub target: Target,
    pub audience: Audience,
    pub from: &'a str,
    pub to: &'a [Cow<'a, str>],
    /// The members chosen by a targeted group or room message.
    pub users: &'a [Cow<'a, str>],
    pub kind: MsgKind,
    pub body: &'a RawValue,
    pub ext: Option<&'a RawValue>,
}

/// What `data` maps each recipient to: its message id, or the legacy route's `"success"`.
#[derive(Clone, Copy)]
pub enum DataValues {
    Ids,
    Success,
}

/// The `data` of a send answer: recipient → message id.
pub struct Delivered<'a> {
    pub pairs: Vec<(&'a str, u64)>,
    pub values: DataValues,
}

impl Serialize for Delivered<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.pairs.len()))?;
        let mut buffer = itoa::Buffer::new();
        for (to, id) in &self.pairs {
            match self.values {
                DataValues::Ids => map.serialize_entry(to, buffer.format(*id))?,
                DataValues::Success => map.serialize_entry(to, "success")?,
            }
        }
        map.end()
    }
}

/// `POST /{org}/{app}/messages/users`, `/messages/chatgroups`, `/messages/chatrooms` (to
/// `Audience::All`), and `/messages/chatgroups/users`, `/messages/chatrooms/users` (to the
/// `users` chosen among the members).
pub async fn send_to(
    call: Call,
    payload: web::Payload,
    target: Target,
    audience: Audience,
) -> HttpResponse {
    call.finish(send(&call, payload, target, audience).await)
}

/// Whether a group or room message goes to every member or to the `users` listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    All,
    Members,
}

async fn send(
    call: &Call,
    payload: web::Payload,
    target: Target,
    audience: Audience,
) -> Result<HttpResponse, EasemobError> {
    let tenant = call.tenant()?;
    let bytes = call
        .body(payload, tenant.settings.limits.max_request_bytes)
        .await?;
    call.require_app(&tenant)?;
    let rates = tenant.rates.send(target);
    call.rate(match audience {
        Audience::All => &rates.calls,
        Audience::Members => &rates.targeted_calls,
    })?;
    let body: SendBody = json::message(&bytes)?;
    let limits = target.limits(&tenant.settings.limits);
    let outgoing = outgoing(&body, target, audience, limits.max_users)?;
    let pairs = deliver(call, &tenant, &outgoing)?;
    let path = match audience {
        Audience::All => target.path(),
        Audience::Members => target.members_path(),
    };
    let meta = Meta::new(call, &tenant, "post", path);
    Ok(meta.message(Delivered {
        pairs,
        values: DataValues::Ids,
    }))
}

/// Checks the outer fields of a send request, in the order the service reports them.
fn outgoing<'a>(
    body: &'a SendBody<'a>,
    target: Target,
    audience: Audience,
    max_users: u32,
) -> Result<Outgoing<'a>, EasemobError> {
    let from = sender(body.from.as_deref(), || {
        EasemobError::send("param from can't be empty").with_code(14001)
    })?;
    let to = body.to.as_deref().unwrap_or_default();
    if to.is_empty() || to.iter().any(|t| t.is_empty()) {
        return Err(EasemobError::send("param to can't be empty").with_code(14002));
    }
    if audience == Audience::Members {
        let users = body.users.as_deref().unwrap_or_default();
        if users.is_empty() {
            return Err(EasemobError::send("param users can't be empty"));
        }
        if max_users > 0 && users.len() > max_users as usize {
            let text = format!("params users's size can't exceed limit {max_users}");
            return Err(EasemobError::send(text));
        }
    }
    let kind = match body.kind.as_deref() {
        None | Some("") => return Err(EasemobError::send("param type can't be empty")),
        Some(name) => MsgKind::parse(name).ok_or_else(EasemobError::invalid_request_body)?,
    };
    let level = body.chatroom_msg_level.as_deref();
    if level.is_some_and(|l| !matches!(l, "high" | "normal" | "low")) {
        return Err(EasemobError::invalid_request_body());
    }
    Ok(Outgoing {
        target,
        audience,
        from,
        to,
        users: body.users.as_deref().unwrap_or_default(),
        kind,
        body: validated_body(kind, body.body, body.ext)?,
        ext: body.ext,
    })
}

/// The sender: `admin` when absent or `null`; an empty string is refused with `empty`.
pub fn sender(
    from: Option<&str>,
    empty: impl FnOnce() -> EasemobError,
) -> Result<&str, EasemobError> {
    match from {
        None => Ok("admin"),
        Some("") => Err(empty()),
        Some(from) => Ok(from),
    }
}

/// Checks `body` and `ext` of a message of `kind`, giving back the body.
pub fn validated_body<'a>(
    kind: MsgKind,
    body: Option<&'a RawValue>,
    ext: Option<&RawValue>,
) -> Result<&'a RawValue, EasemobError> {
    validate::body(kind, body)?;
    validate::ext(ext)?;
    body.ok_or_else(|| EasemobError::send("param body can't be empty"))
}

/// Applies the tenant's limits to `out`, then records one message per distinct recipient and
/// returns each recipient's id.
pub fn deliver<'a>(
    call: &Call,
    tenant: &Tenant,
    out: &Outgoing<'a>,
) -> Result<Vec<(&'a str, u64)>, EasemobError> {
    let limits = &tenant.settings.limits;
    let max = out.target.limits(limits).max_recipients as usize;
    if max > 0 && out.to.len() > max {
        let text = format!("params to's size can't exceed limit {max}");
        return Err(EasemobError::send(text));
    }
    let size = out.body.get().len() + out.ext.map_or(0, |e| e.get().len());
    if limits.max_message_bytes > 0 && size > limits.max_message_bytes as usize {
        return Err(EasemobError::send("message is too large").with_code(14007));
    }
    super::mutes::refuse_muted(call, tenant, out.target, out.from)?;
    super::chat_members::check_sender(tenant, out.target, out.from, out.to, call.now_ms)?;
    let recipients = distinct(out.to);
    // The targeted variants have a call limit of their own and no message window.
    let window = &tenant.rates.send(out.target).messages;
    if out.audience == Audience::All && !window.try_take(call.now_ms, recipients.len() as u32) {
        return Err(EasemobError::send_reach_limit());
    }
    let ids = call.state.message_ids.take(call.now_ms, recipients.len());
    let pairs: Vec<(&str, u64)> = recipients.into_iter().zip(ids).collect();
    let tenant = call.keep()?;
    let core = &call.state.core;
    record(core, &tenant, out, &pairs, call.now_ms);
    super::post_send::fire(core, &tenant, out, &pairs, call.now_ms, Source::Rest);
    Ok(pairs)
}

/// The recipients without repeats, in the order first given.
fn distinct<'a>(to: &'a [Cow<'a, str>]) -> Vec<&'a str> {
    if to.len() == 1 {
        return vec![&to[0]];
    }
    let mut seen = HashSet::with_capacity(to.len());
    to.iter()
        .map(|t| &**t)
        .filter(|t| seen.insert(*t))
        .collect()
}

/// Journals one record per message of `pairs` (recipient, id) received at `now_ms`.
pub fn record(
    core: &Core,
    tenant: &Tenant,
    out: &Outgoing<'_>,
    pairs: &[(&str, u64)],
    now_ms: i64,
) {
    let from: Arc<str> = Arc::from(out.from);
    let content: Arc<str> = Arc::from(out.body.get());
    let ext: Option<Arc<str>> = out.ext.map(|e| Arc::from(e.get()));
    let records = pairs.iter().map(|(to, id)| Record {
        seq: 0,
        id: MessageId::Decimal(*id),
        chat_type: out.target.chat_type(),
        from: from.clone(),
        to: (*to).into(),
        conversation: None,
        kind: MessageType::Name(out.kind.name()),
        content: content.clone(),
        ext: ext.clone(),
        received_at_ms: now_ms,
        recalled: false,
    });
    core.journal.append(&tenant.journal, records);
}
