//! `POST /_emulator/yunxin/client-send?tenant=APPKEY`: a message sent as a client SDK sends it
//! (`tenant` defaults to the first fixture app by AppKey), through the third-party callback
//! (第三方回调) the real service fires only for client SDK messages. The body is `{"from",
//! "conversation_type": 1 (P2P) or 2 (advanced team), "to": account or team ID, "client_type":
//! "AOS", "IOS", "PC", "WINPHONE", "WEB" or "MAC", "device_id"?, "client_ip"?, "client_port"?,
//! "message": {...}}` plus the v2 send's options (`extension`, `message_config`, `p2p_option`,
//! `team_option`, `route_config`, ...), checked as the v2 send checks them; the IP and port
//! default to the request's peer. A message that passes is stored as a v2 send stores it (with
//! its device's client type), journaled and copied to the app's message copy URL; one that is
//! blocked leaves nothing. As documented, a sender the receiver blocked still goes through the
//! callback, and a passing answer then gives 7101.

use super::conversation::{team_id, ConversationId, ADVANCED_TEAM, P2P};
use super::device::{self, Device};
use super::error::YunxinError;
use super::message::{Checked, SendBody};
use super::msg_store::{Item, Message};
use super::send::{json_text, message, record, store};
use super::tenant::Tenant;
use super::third_party::{self, Pass, NOT_PASSED};
use super::State;
use crate::core::query::Params;
use crate::providers::ClientSend;
use actix_web::{web, HttpRequest};
use serde::Deserialize;
use serde_json::Value;
use std::sync::Arc;

/// What the receiver's SDK reports when a sender it blocked got through the callback.
const IN_BLOCK_LIST: i64 = 7101;

/// The client-send fields besides the v2 send's.
#[derive(Deserialize)]
struct ClientFields {
    from: Option<String>,
    conversation_type: Option<i64>,
    to: Option<Value>,
    client_type: Option<String>,
    device_id: Option<String>,
    client_ip: Option<String>,
    client_port: Option<u16>,
}

/// Sends `body` as a client device would.
pub async fn client_send(req: &HttpRequest, body: &[u8]) -> ClientSend {
    match send(req, body).await {
        Ok(sent) | Err(sent) => sent,
    }
}

async fn send(req: &HttpRequest, body: &[u8]) -> Result<ClientSend, ClientSend> {
    let state = (req.app_data::<web::Data<State>>().cloned())
        .ok_or_else(|| ClientSend::NotFound("Yunxin is not served".into()))?;
    let tenant = tenant_of(&state, req)?;
    let (options, conversation, device, port) = read(req, body)?;
    let checked = options.check().map_err(|e| {
        ClientSend::Invalid(format!(
            "message: {} {} (as the v2 send checks it)",
            e.code, e.msg
        ))
    })?;
    let receiver_blocks = permit(&tenant, &conversation, &options, &checked)?;
    let now_ms = state.core.clock.now_ms();
    let id = state.message_ids(now_ms, 1);
    let (sender, receiver) = (conversation.sender.as_str(), conversation.receiver.as_str());
    let mut m = message(
        &state.core,
        now_ms,
        &checked,
        id,
        (sender, conversation.kind, receiver),
    );
    m.extension = options.extension.clone();
    let (verdict, callback) = ask(&state, &tenant, &m, &device, port).await;
    let pass = verdict.map_err(|code| blocked(code, callback))?;
    if receiver_blocks {
        return Err(blocked(IN_BLOCK_LIST, callback));
    }
    m.device = Some(device);
    let modified = pass.changes.apply(&mut m);
    let content = if modified {
        content_of(&m)
    } else {
        Arc::from(checked.raw.get())
    };
    deliver(&state, &tenant, m, content, &options, &conversation)
        .map_err(|e| blocked_by(&e, callback))?;
    Ok(sent(
        &tenant,
        &conversation,
        id,
        pass.callback_ext,
        callback,
    ))
}

/// The body: the v2 send's fields, the conversation, the device and its port.
fn read(
    req: &HttpRequest,
    body: &[u8],
) -> Result<(SendBody, ConversationId, Device, u16), ClientSend> {
    let invalid = |e: serde_json::Error| ClientSend::Invalid(format!("the body: {e}"));
    let fields: ClientFields = serde_json::from_slice(body).map_err(invalid)?;
    let options: SendBody = serde_json::from_slice(body).map_err(invalid)?;
    let (device, port) = device_of(&fields, req)?;
    Ok((options, conversation_of(&fields)?, device, port))
}

/// The callback's verdict on `m`, sent from `device` and `port`, and the callback's id; a pass
/// without asking when the app has no callback URL.
async fn ask(
    state: &State,
    tenant: &Tenant,
    m: &Message,
    device: &Device,
    port: u16,
) -> (Result<Pass, i64>, Option<u64>) {
    let Some(delivery) = third_party::of(tenant, m, device, port, m.create_time) else {
        return (Ok(Pass::default()), None);
    };
    let core = &state.core;
    let (callback, done) = core.callbacks.send_now(&core.clock, delivery).await;
    (
        third_party::verdict(&tenant.settings, &done),
        Some(callback),
    )
}

/// The app `?tenant=` names, or the first fixture app by AppKey.
fn tenant_of(state: &State, req: &HttpRequest) -> Result<Arc<Tenant>, ClientSend> {
    let params = Params::parse(req.query_string())
        .map_err(|_| ClientSend::Invalid("the query string does not decode".into()))?;
    let name = match params.get("tenant") {
        Some(name) => name.to_owned(),
        None => (state.fixtures.tenants.keys().min().cloned())
            .ok_or_else(|| ClientSend::NotFound("no fixture app: name one with ?tenant=".into()))?,
    };
    (state.tenants.get(&name)).ok_or_else(|| ClientSend::NotFound(format!("no app {name:?}")))
}

/// The sending device and its port: `client_type` one a device has, the IP and port the
/// request's peer's unless given.
fn device_of(fields: &ClientFields, req: &HttpRequest) -> Result<(Device, u16), ClientSend> {
    let name = fields.client_type.as_deref().unwrap_or("");
    let client_type = device::client_type(name).ok_or_else(|| {
        ClientSend::Invalid("client_type is AOS, IOS, PC, WINPHONE, WEB or MAC".into())
    })?;
    let peer = req.peer_addr();
    let ip = (fields.client_ip.clone()).or_else(|| peer.map(|p| p.ip().to_string()));
    let port = fields.client_port.or(peer.map(|p| p.port())).unwrap_or(0);
    let device = Device {
        client_type,
        device_id: fields.device_id.clone().unwrap_or_default(),
        ip: ip.unwrap_or_default(),
    };
    Ok((device, port))
}

/// The conversation of `from`, `conversation_type` and `to`.
fn conversation_of(fields: &ClientFields) -> Result<ConversationId, ClientSend> {
    let invalid = |m: &str| ClientSend::Invalid(m.into());
    let from = fields
        .from
        .as_deref()
        .filter(|f| super::account_store::legal_account_id(f));
    let sender = from
        .ok_or_else(|| invalid("from is an account ID"))?
        .to_ascii_lowercase();
    let to = match &fields.to {
        Some(Value::String(to)) => to.clone(),
        Some(Value::Number(to)) => to.to_string(),
        _ => return Err(invalid("to is an account ID or a team ID")),
    };
    let (kind, receiver, team) = match fields.conversation_type {
        Some(P2P) if super::account_store::legal_account_id(&to) => {
            (P2P, to.to_ascii_lowercase(), None)
        }
        Some(ADVANCED_TEAM) => {
            let team = team_id(&to).map_err(|_| invalid("to is a team ID"))?;
            (ADVANCED_TEAM, team.to_string(), Some(team))
        }
        Some(P2P) => return Err(invalid("to is an account ID")),
        _ => return Err(invalid("conversation_type is 1 (P2P) or 2 (advanced team)")),
    };
    Ok(ConversationId {
        sender,
        kind,
        receiver,
        team,
    })
}

/// The v2 send's permission checks: an unknown sender, receiver or team is not found, another
/// refusal blocks the message; whether the P2P receiver blocked the sender (the callback runs
/// all the same).
fn permit(
    tenant: &Tenant,
    conversation: &ConversationId,
    options: &SendBody,
    checked: &Checked<'_>,
) -> Result<bool, ClientSend> {
    let sender = conversation.sender.as_str();
    let checks =
        super::checks::check_sender(tenant, sender, conversation.team.is_some()).and_then(|()| {
            match conversation.team {
                None => super::checks::check_p2p(
                    tenant,
                    sender,
                    &conversation.receiver,
                    checked.check_friend,
                ),
                Some(team) => super::checks::check_team(tenant, team, conversation, options),
            }
        });
    match checks {
        Ok(()) => Ok(false),
        Err(e) if e == YunxinError::IN_BLOCK_LIST => Ok(true),
        Err(e) if [YunxinError::ACCOUNT_NOT_EXIST, YunxinError::TEAM_NOT_EXIST].contains(&e) => {
            Err(ClientSend::NotFound(format!("{} {}", e.code, e.msg)))
        }
        Err(e) => Err(blocked_by(&e, None)),
    }
}

/// Stores `m`, sent as `content`, journals it and queues its message copy.
fn deliver(
    state: &State,
    tenant: &Tenant,
    m: Message,
    content: Arc<str>,
    options: &SendBody,
    conversation: &ConversationId,
) -> Result<(), YunxinError> {
    let extension = m.extension.as_deref().map(json_text);
    let journal = record(&m, &content, extension.as_ref());
    let now_ms = m.create_time;
    let copy = super::copy::of(tenant, &m, options.routed(), now_ms);
    store(tenant, &conversation.key(), m)?;
    state
        .core
        .journal
        .append(&tenant.journal, std::iter::once(journal));
    if let Some(copy) = copy {
        state.core.callbacks.enqueue(now_ms, copy);
    }
    Ok(())
}

/// The `message` of a send, as `m` was stored after the callback rewrote it.
fn content_of(m: &Message) -> Arc<str> {
    let mut message = serde_json::json!({
        "message_type": m.message_type,
        "message_client_id": m.client_id,
    });
    if let Some(sub_type) = m.sub_type {
        message["sub_type"] = sub_type.into();
    }
    if let Some(text) = &m.text {
        message["text"] = text.as_str().into();
    }
    if let Some(attachment) = &m.attachment {
        message["attachment"] = serde_json::from_str(attachment.get()).unwrap_or_default();
    }
    Arc::from(message.to_string())
}

/// The stored message as the v2 API shows one message, with the callback's `callbackExt` as
/// `callback_extension`.
fn sent(
    tenant: &Tenant,
    conversation: &ConversationId,
    id: u64,
    callback_ext: Option<String>,
    callback: Option<u64>,
) -> ClientSend {
    let stored = tenant.messages.get(&conversation.key(), id, false);
    let mut message = stored.map_or(Value::Null, |m| {
        serde_json::to_value(Item {
            message: &m,
            alone: true,
        })
        .unwrap_or_default()
    });
    if let (Some(ext), Some(object)) = (callback_ext, message.as_object_mut()) {
        object.insert("callback_extension".into(), ext.into());
    }
    ClientSend::Sent { message, callback }
}

/// The message refused with `code`, as the sender's SDK reports it.
fn blocked(code: i64, callback: Option<u64>) -> ClientSend {
    let (name, message) = match code {
        NOT_PASSED => (
            "forbidden",
            "the third-party callback did not let the message pass",
        ),
        IN_BLOCK_LIST => ("in_block_list", "the receiver blocked the sender"),
        _ => (
            "custom",
            "the third-party callback blocked the message with its own code",
        ),
    };
    ClientSend::Blocked {
        code,
        name: name.into(),
        message: message.into(),
        callback,
    }
}

/// The message refused by the v2 send's error `e`.
fn blocked_by(e: &YunxinError, callback: Option<u64>) -> ClientSend {
    ClientSend::Blocked {
        code: e.code,
        name: e.msg.into(),
        message: e.msg.into(),
        callback,
    }
}
