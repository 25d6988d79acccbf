//! 发送前回调 (webhooks contract §1.7): before a client's message is delivered, a POST of it to
//! the rule's URL, waited for at most the rule's `timeout_ms` (200 ms by default) and never
//! retried. Body: `callId` (`{appkey}_{uuid}`), `timestamp`, `chat_type` (`chat`, `groupchat`,
//! `chatroom`), `group_id` (groups and rooms), `from`, `to`, `msg_id`, `payload` (the body, or
//! the history record, per the rule) and `security`. The answer `{"valid", "code"?,
//! "payload"?}` lets the message through (with its text or `ext` replaced by `payload`), or
//! blocks it; a missing, malformed (or over 1,000 characters) or late answer follows the
//! rule's 调用失败时默认策略.

use super::callback_message::{self as cm, HistoryPayload};
use super::callback_rules::{ChatKind, OnFailure, PayloadShape, PreSend};
use super::tenant::Tenant;
use super::validate::MsgKind;
use crate::core::callbacks::Outcome;
use crate::core::Core;
use serde::{Deserialize, Serialize};
use serde_json::value::{to_raw_value, RawValue};
use serde_json::{Map, Value};

/// The event name in `/_emulator/callbacks`.
pub const EVENT: &str = "pre_send";
/// The longest answer read as one: a longer one is taken for an attack.
const MAX_ANSWER_CHARS: usize = 1000;
/// What the sender's SDK reports for a block without `code`.
const DENIED: &str = "custom logic denied";
/// What it reports for a block with `code: ""` (mobile SDKs).
const DENIED_EMPTY_CODE: &str = "Message blocked by external logic";
/// What it reports for a message blocked by the failure policy.
const INTERNAL: &str = "custom internal error";

/// A client's message as the callback shows it.
pub struct Message<'a> {
    pub chat: ChatKind,
    pub from: &'a str,
    pub to: &'a str,
    pub msg_id: u64,
    pub kind: MsgKind,
    pub body: &'a str,
    pub ext: Option<&'a str>,
}

/// What the application server decided.
#[derive(Debug)]
pub enum Verdict {
    /// Deliver, with the text (`msg`) and `ext` the answer's `payload` replaced.
    Pass {
        msg: Option<String>,
        ext: Option<Map<String, Value>>,
    },
    /// Do not deliver; `message` is the sender's error, unless `silent` (不报错).
    Block { message: String, silent: bool },
}

#[derive(Serialize)]
struct Body<'a> {
    #[serde(rename = "callId")]
    call_id: &'a str,
    timestamp: i64,
    chat_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    group_id: Option<&'a str>,
    from: &'a str,
    to: &'a str,
    msg_id: &'a str,
    payload: &'a RawValue,
    security: &'a str,
}

/// The answer, as the docs define it: `valid` required, `code` a string.
#[derive(Deserialize)]
struct Answer {
    valid: bool,
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    payload: Option<Map<String, Value>>,
}

/// Asks the rule's URL about `m` at `now_ms`: the callback's id and the verdict.
pub async fn ask(
    core: &Core,
    tenant: &Tenant,
    rule: &PreSend,
    m: &Message<'_>,
    now_ms: i64,
) -> (u64, Verdict) {
    let call_id = format!("{}_{}", cm::appkey(tenant), core.ids.uuid_v1(now_ms));
    let bytes = body(rule, m, &call_id, now_ms);
    let (url, timeout) = (&rule.url, rule.timeout_ms);
    let delivery = cm::delivery(cm::tenant_name(tenant), EVENT, url, bytes, timeout, 1);
    let (id, done) = core.callbacks.send_now(&core.clock, delivery).await;
    let answer = done
        .answer
        .filter(|a| done.outcome == Outcome::Delivered && !a.truncated)
        .filter(|a| a.body.len() <= MAX_ANSWER_CHARS)
        .and_then(|a| serde_json::from_slice::<Answer>(&a.body).ok());
    (id, verdict(rule, answer))
}

fn body(rule: &PreSend, m: &Message<'_>, call_id: &str, now_ms: i64) -> Vec<u8> {
    let msg_id = m.msg_id.to_string();
    let security = cm::security(call_id, &rule.secret, now_ms);
    let typed = cm::typed_body(m.kind, m.body);
    let ext = cm::ext_value(m.ext);
    let payload = match rule.payload {
        PayloadShape::Body => to_raw_value(&typed),
        PayloadShape::History => to_raw_value(&HistoryPayload {
            ext: &ext,
            bodies: [&typed],
        }),
    };
    let Ok(payload) = payload else {
        return Vec::new();
    };
    let body = Body {
        call_id,
        timestamp: now_ms,
        chat_type: chat_type(m.chat),
        group_id: (m.chat != ChatKind::Chat).then_some(m.to),
        from: m.from,
        to: m.to,
        msg_id: &msg_id,
        payload: &payload,
        security: &security,
    };
    serde_json::to_vec(&body).unwrap_or_default()
}

fn chat_type(chat: ChatKind) -> &'static str {
    match chat {
        ChatKind::Chat => "chat",
        ChatKind::Groupchat => "groupchat",
        ChatKind::Chatroom => "chatroom",
    }
}

/// The verdict of `answer` (`None`: no usable answer).
fn verdict(rule: &PreSend, answer: Option<Answer>) -> Verdict {
    let silent = !rule.report_error;
    let Some(answer) = answer else {
        return match rule.on_failure {
            OnFailure::Pass => Verdict::Pass {
                msg: None,
                ext: None,
            },
            OnFailure::Block => Verdict::Block {
                message: INTERNAL.into(),
                silent,
            },
        };
    };
    if !answer.valid {
        let message = match answer.code {
            None => DENIED.into(),
            Some(code) if code.is_empty() => DENIED_EMPTY_CODE.into(),
            Some(code) => code,
        };
        return Verdict::Block { message, silent };
    }
    let payload = answer.payload.unwrap_or_default();
    let first_body = payload
        .get("bodies")
        .and_then(|b| b.get(0))
        .and_then(Value::as_object);
    let msg = (payload.get("msg"))
        .or_else(|| first_body.and_then(|b| b.get("msg")))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let ext = payload.get("ext").and_then(Value::as_object).cloned();
    Verdict::Pass { msg, ext }
}
