//! Sending (contract §4): `POST /conversations/{conversation_id}/messages` checked in the
//! contract's order (§4.5), its answer echoing the message (§4.4), and the batch P2P send `POST
//! /conversations/messages` (at most 100 receivers, `success_list` and `failed_list`). Every
//! stored message also lands in the journal and, when the app has a copy URL, is copied to it.

use super::call::{Answer, Call};
use super::checks::{check_p2p, check_sender, check_team};
use super::conversation::{ConversationId, P2P};
use super::error::YunxinError;
use super::message::{Checked, SendBody};
use super::msg_store::Message;
use super::tenant::Tenant;
use crate::core::journal::{ChatType, MessageId, MessageType, Record};
use crate::core::Core;
use actix_web::web;
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use serde_json::value::RawValue;
use std::sync::Arc;

/// The most receivers of one batch send.
const MAX_RECEIVERS: usize = 100;

/// A sent message as the send answers it: `receiver_id` a string, also for a team.
struct Echo<'a> {
    message: &'a Message,
    thread_config: Option<&'a RawValue>,
}

impl Serialize for Echo<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let m = self.message;
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("message_server_id", &m.server_id)?;
        map.serialize_entry("message_client_id", &m.client_id)?;
        map.serialize_entry("sender_id", &m.sender)?;
        map.serialize_entry("conversation_type", &m.conversation_type)?;
        map.serialize_entry("receiver_id", &m.receiver)?;
        map.serialize_entry("create_time", &m.create_time)?;
        map.serialize_entry("message_type", &m.message_type)?;
        if let Some(sub_type) = m.sub_type {
            map.serialize_entry("sub_type", &sub_type)?;
        }
        if let Some(text) = &m.text {
            map.serialize_entry("text", text)?;
        }
        if let Some(attachment) = &m.attachment {
            map.serialize_entry("attachment", attachment)?;
        }
        if let Some(thread) = self.thread_config {
            map.serialize_entry("thread_config", thread)?;
        }
        map.end()
    }
}

/// A client message ID for a message sent without one: a UUID from the seeded stream.
fn client_id(core: &Core) -> String {
    let mut bytes = [0u8; 16];
    core.ids.rng().fill(&mut bytes);
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .hyphenated()
        .to_string()
}

/// The message `checked` from `sender` to `receiver` in a conversation of `kind`, sent at
/// `now_ms`.
pub(super) fn message(
    core: &Core,
    now_ms: i64,
    checked: &Checked<'_>,
    id: u64,
    parts: (&str, i64, &str),
) -> Message {
    let (sender, kind, receiver) = parts;
    Message {
        server_id: id,
        client_id: (checked.client_id.clone()).unwrap_or_else(|| client_id(core)),
        conversation_type: kind,
        sender: sender.to_owned(),
        receiver: receiver.to_owned(),
        message_type: checked.message_type,
        sub_type: checked.sub_type,
        text: checked.text.clone(),
        attachment: checked.attachment.clone(),
        extension: None,
        create_time: now_ms,
        in_history: checked.in_history,
        no_sense: checked.no_sense,
        device: None,
    }
}

/// The journal record of `m`, whose `message` was sent as `content`; `extension` as JSON text.
pub(super) fn record(m: &Message, content: &Arc<str>, extension: Option<&Arc<str>>) -> Record {
    let chat_type = if m.conversation_type == P2P {
        ChatType::Single
    } else {
        ChatType::Group
    };
    let conversation = format!("{}|{}|{}", m.sender, m.conversation_type, m.receiver);
    Record {
        seq: 0,
        id: MessageId::Number(m.server_id),
        chat_type,
        from: Arc::from(m.sender.as_str()),
        to: m.receiver.as_str().into(),
        conversation: Some(Arc::from(conversation)),
        kind: MessageType::Code(m.message_type),
        content: content.clone(),
        ext: extension.cloned(),
        received_at_ms: m.create_time,
        recalled: false,
    }
}

/// Stores `m` in the conversation `key`: 107306 when its client ID was used there already.
pub(super) fn store(tenant: &Tenant, key: &str, m: Message) -> Result<(), YunxinError> {
    let max = tenant.settings.max_messages;
    (tenant.messages.insert(key, m, max)).map_err(|()| YunxinError::DUPLICATE_CLIENT_ID)
}

/// `POST /im/v2/conversations/{conversation_id}/messages`.
pub async fn send(call: &Call, cid: &str, payload: web::Payload) -> Answer {
    let body: SendBody = call.json(payload).await?;
    let conversation = ConversationId::parse(cid)?;
    let checked = body.check()?;
    let tenant = call.tenant();
    let sender = conversation.sender.as_str();
    check_sender(&tenant, sender, conversation.team.is_some())?;
    match conversation.team {
        None => check_p2p(
            &tenant,
            sender,
            &conversation.receiver,
            checked.check_friend,
        )?,
        Some(team) => check_team(&tenant, team, &conversation, &body)?,
    }
    let tenant = call.keep()?;
    let id = call.state.message_ids(call.now_ms, 1);
    let parts = (sender, conversation.kind, conversation.receiver.as_str());
    let mut m = message(&call.state.core, call.now_ms, &checked, id, parts);
    m.extension = body.extension.clone();
    let answer = call.ok(&Echo {
        message: &m,
        thread_config: body.thread_config.as_deref(),
    });
    let extension = body.extension.as_deref().map(json_text);
    let journal = record(&m, &Arc::from(checked.raw.get()), extension.as_ref());
    let copy = super::copy::of(&tenant, &m, body.routed(), call.now_ms);
    store(&tenant, &conversation.key(), m)?;
    let core = &call.state.core;
    core.journal
        .append(&tenant.journal, std::iter::once(journal));
    if let Some(copy) = copy {
        core.callbacks.enqueue(call.now_ms, copy);
    }
    answer
}

/// `text` as a JSON string.
pub(super) fn json_text(text: &str) -> Arc<str> {
    Arc::from(serde_json::Value::from(text).to_string())
}

/// A receiver a batch send failed for: `receiver_id` as the Go SDK reads it, `account_id` as
/// the Java SDK does.
#[derive(Serialize)]
struct Failed<'a> {
    receiver_id: &'a str,
    account_id: &'a str,
    error_code: i64,
    error_msg: &'static str,
}

#[derive(Serialize)]
struct Batch<'a> {
    success_list: Vec<Echo<'a>>,
    failed_list: Vec<Failed<'a>>,
}

/// `sender_id` and `receiver_ids` of a batch send: legal IDs, 1 to 100 receivers.
fn batch_parties(body: &SendBody) -> Result<(String, Vec<String>), YunxinError> {
    let legal = |id: &String| super::account_store::legal_account_id(id);
    let sender = body.sender_id.as_ref().filter(|s| legal(s));
    let sender = sender.ok_or(YunxinError::PARAMETER)?.to_ascii_lowercase();
    let receivers = body.receiver_ids.as_ref().ok_or(YunxinError::PARAMETER)?;
    if receivers.is_empty() || receivers.len() > MAX_RECEIVERS || !receivers.iter().all(legal) {
        return Err(YunxinError::PARAMETER);
    }
    Ok((
        sender,
        receivers.iter().map(|r| r.to_ascii_lowercase()).collect(),
    ))
}

/// `POST /im/v2/conversations/messages`: one P2P message to each receiver.
pub async fn batch_send(call: &Call, payload: web::Payload) -> Answer {
    let body: SendBody = call.json(payload).await?;
    let (sender, receivers) = batch_parties(&body)?;
    let checked = body.check()?;
    check_sender(&call.tenant(), &sender, false)?;
    let tenant = call.keep()?;
    let first = call.state.message_ids(call.now_ms, receivers.len() as u64);
    let mut sent = Vec::with_capacity(receivers.len());
    let mut failed = Vec::new();
    for (i, receiver) in receivers.iter().enumerate() {
        let outcome = check_p2p(&tenant, &sender, receiver, checked.check_friend).and_then(|()| {
            let parts = (sender.as_str(), P2P, receiver.as_str());
            let core = &call.state.core;
            let mut m = message(core, call.now_ms, &checked, first + i as u64, parts);
            m.extension = body.extension.clone();
            let key = super::conversation::p2p_key(&sender, receiver);
            store(&tenant, &key, m.clone()).map(|()| m)
        });
        match outcome {
            Ok(m) => sent.push(m),
            Err(e) => failed.push(Failed {
                receiver_id: receiver,
                account_id: receiver,
                error_code: e.code,
                error_msg: e.msg,
            }),
        }
    }
    let extension = body.extension.as_deref().map(json_text);
    let content = Arc::from(checked.raw.get());
    let records: Vec<Record> = (sent.iter())
        .map(|m| record(m, &content, extension.as_ref()))
        .collect();
    let core = &call.state.core;
    core.journal.append(&tenant.journal, records.into_iter());
    let routed = body.routed();
    for m in &sent {
        if let Some(copy) = super::copy::of(&tenant, m, routed, call.now_ms) {
            core.callbacks.enqueue(call.now_ms, copy);
        }
    }
    call.ok(&Batch {
        success_list: (sent.iter())
            .map(|message| Echo {
                message,
                thread_config: None,
            })
            .collect(),
        failed_list: failed,
    })
}
