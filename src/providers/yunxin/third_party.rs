//! 第三方回调 (the third-party callback, webhooks contract §3.6): before a client-sent message
//! is delivered, an app with a `third_party_callback_url` receives one POST of it, signed like
//! the message copy (`AppKey`, `CurTime` in milliseconds, `MD5` of the exact body bytes,
//! `CheckSum` = sha1hex(AppSecret + MD5 + CurTime)), and waits for the answer up to its timeout
//! (2 s by default), without retrying. The body has the keys of the documentation's session
//! message callback example: `eventType` a number (1 P2P, 2 team), the sender's client type,
//! device ID, IP and port, and the message as the message copy carries it. The answer is
//! `{"errCode", "responseCode", "modifyResponse", "callbackExt"}`: `errCode` 0 lets the message
//! pass, anything else blocks it with 403, or with `responseCode` when it is one of the app's
//! custom codes; a passing answer may rewrite `body`, `attach` and `ext` and give the sender
//! `callbackExt`. A failure, a timeout, another status than 200 or an answer that does not
//! read so applies the app's `third_party_callback_on_failure`.

use super::copy::{from_nick, msg_type, signed};
use super::device::{client_type_name, Device};
use super::fixtures::{OnFailure, Settings};
use super::message::MAX_ATTACHMENT;
use super::msg_store::Message;
use super::tenant::Tenant;
use crate::core::callbacks::{Delivery, Exchanged, Outcome};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;

/// The event name in `/_emulator/callbacks`.
pub const EVENT: &str = "third_party_callback";
/// What the sender's SDK reports for a message the callback did not let pass.
pub const NOT_PASSED: i64 = 403;
/// The longest text and extension a rewrite may set, as a send allows.
const MAX_BODY: usize = 5000;
const MAX_EXT: usize = 1024;

/// The body of one callback, its keys in the order of the documentation's example.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Request<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    attach: Option<&'a str>,
    event_type: i64,
    from_account: &'a str,
    from_client_type: &'static str,
    from_device_id: &'a str,
    from_nick: &'a str,
    msg_timestamp: String,
    msg_type: &'static str,
    msgid_client: &'a str,
    to: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    ext: Option<&'a str>,
    from_client_ip: &'a str,
    from_client_port: String,
}

/// The callback of `m`, sent from `device` and `port`, for `tenant` at `now_ms`; none without
/// a callback URL.
pub fn of(
    tenant: &Tenant,
    m: &Message,
    device: &Device,
    port: u16,
    now_ms: i64,
) -> Option<Delivery> {
    let settings = &tenant.settings;
    let url = settings.third_party_callback_url.as_ref()?;
    let nick = from_nick(tenant, &m.sender);
    let request = Request {
        body: m.text.as_deref(),
        attach: m.attachment.as_deref().map(RawValue::get),
        event_type: if m.conversation_type == super::conversation::P2P {
            1
        } else {
            2
        },
        from_account: &m.sender,
        from_client_type: client_type_name(device.client_type),
        from_device_id: &device.device_id,
        from_nick: &nick,
        msg_timestamp: m.create_time.to_string(),
        msg_type: msg_type(m.message_type),
        msgid_client: &m.client_id,
        to: &m.receiver,
        ext: m.extension.as_deref(),
        from_client_ip: &device.ip,
        from_client_port: port.to_string(),
    };
    let body = serde_json::to_vec(&request).ok()?;
    let json = "application/json; charset=utf-8";
    let mut delivery = signed(tenant, EVENT, url, json, body, now_ms);
    delivery.timeout = Duration::from_millis(settings.third_party_callback_timeout_ms);
    Some(delivery)
}

/// A message the callback let pass, and what the answer asked for.
#[derive(Debug, Default)]
pub struct Pass {
    pub changes: Changes,
    /// `callbackExt`, for the sender.
    pub callback_ext: Option<String>,
}

/// The parts of the message a passing answer rewrites (`modifyResponse`).
#[derive(Debug, Default)]
pub struct Changes {
    body: Option<String>,
    attach: Option<Arc<RawValue>>,
    ext: Option<String>,
}

impl Changes {
    /// Rewrites `m`; whether anything changed.
    pub fn apply(self, m: &mut Message) -> bool {
        let changed = self.body.is_some() || self.attach.is_some() || self.ext.is_some();
        m.text = self.body.or(m.text.take());
        m.attachment = self.attach.or(m.attachment.take());
        m.extension = self.ext.or(m.extension.take());
        changed
    }
}

/// The answer as the app server writes it.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Reply {
    err_code: i64,
    response_code: Option<i64>,
    modify_response: Option<Value>,
    callback_ext: Option<String>,
}

/// The outcome of the exchange `done` under `settings`: the message passes, or is blocked with
/// the code its sender sees.
pub fn verdict(settings: &Settings, done: &Exchanged) -> Result<Pass, i64> {
    let answer = done
        .answer
        .as_ref()
        .filter(|_| done.outcome == Outcome::Delivered);
    let read = answer.and_then(|a| serde_json::from_slice::<Reply>(&a.body).ok());
    let Some(reply) = read else {
        return failed(settings);
    };
    if reply.err_code != 0 {
        let [low, high] = settings.third_party_callback_codes;
        let custom = reply.response_code.filter(|c| (low..=high).contains(c));
        return Err(custom.unwrap_or(NOT_PASSED));
    }
    match changes(reply.modify_response) {
        Some(changes) => Ok(Pass {
            changes,
            callback_ext: reply.callback_ext,
        }),
        None => failed(settings),
    }
}

/// The app's result for a callback that failed.
fn failed(settings: &Settings) -> Result<Pass, i64> {
    match settings.third_party_callback_on_failure {
        OnFailure::Pass => Ok(Pass::default()),
        OnFailure::Block => Err(NOT_PASSED),
    }
}

/// The rewrite `modify`: an object, or its JSON text (empty or absent: none), of strings
/// `body` (1 to 5000 characters), `attach` (a JSON object, or its text) and `ext` (at most
/// 1024); `None` when it does not read so.
fn changes(modify: Option<Value>) -> Option<Changes> {
    let object = match modify {
        None | Some(Value::Null) => return Some(Changes::default()),
        Some(Value::String(text)) if text.trim().is_empty() => return Some(Changes::default()),
        Some(Value::String(text)) => serde_json::from_str(&text).ok()?,
        Some(Value::Object(object)) => object,
        Some(_) => return None,
    };
    let text = |key: &str, max: usize| match object.get(key) {
        None => Some(None),
        Some(Value::String(s)) if s.chars().count() <= max => Some(Some(s.clone())),
        Some(_) => None,
    };
    let body = text("body", MAX_BODY)?.filter(|b| !b.is_empty());
    let ext = text("ext", MAX_EXT)?;
    let attach = match object.get("attach") {
        None => None,
        Some(Value::String(s)) => Some(serde_json::from_str::<Value>(s).ok()?),
        Some(other) => Some(other.clone()),
    };
    let attach = match attach {
        None => None,
        Some(Value::Object(a)) => Some(attachment(&a)?),
        Some(_) => return None,
    };
    Some(Changes { body, attach, ext })
}

/// The JSON text of the attachment `a`, within the size a send allows.
fn attachment(a: &serde_json::Map<String, Value>) -> Option<Arc<RawValue>> {
    let text = serde_json::to_string(a).ok()?;
    if text.len() > MAX_ATTACHMENT {
        return None;
    }
    RawValue::from_string(text).ok().map(Arc::from)
}
