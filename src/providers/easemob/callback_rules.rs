//! A tenant's callback rules (回调规则, webhooks contract §1.2, §1.4, §1.7), as the console
//! keeps them: at most 4 per app, before-send (发送前回调) and after-send (发送后回调)
//! together, each with its own URL and secret. None by default: nothing is sent without one.

use serde::{Deserialize, Serialize};

/// The most rules an app has (the console's default cap).
pub const MAX_RULES: usize = 4;
/// The longest wait a rule may set, in milliseconds.
const MAX_TIMEOUT_MS: u64 = 60_000;

/// One rule, tagged by `kind`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Rule {
    PostSend(PostSend),
    PreSend(PreSend),
}

/// An after-send rule: which events it calls back and for messages from where.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostSend {
    pub url: String,
    pub secret: String,
    /// 消息类型: `chat` (聊天消息) and/or `chat_offline` (离线消息).
    #[serde(default = "all_events")]
    pub event_types: Vec<PostEvent>,
    /// 消息来源 "Rest 消息": messages sent through the REST API.
    #[serde(default = "yes")]
    pub rest_messages: bool,
    /// 消息来源 "SDK 消息": messages sent by a client (`/_emulator/easemob/client-send`).
    #[serde(default = "yes")]
    pub sdk_messages: bool,
    /// How long one attempt may take (UNVERIFIED: the docs give none).
    #[serde(default = "post_timeout_ms")]
    pub timeout_ms: u64,
    /// Whether the body carries the 2025 docs' `content_type` (UNVERIFIED in live callbacks).
    #[serde(default = "yes")]
    pub content_type: bool,
}

/// The after-send events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PostEvent {
    Chat,
    ChatOffline,
}

impl PostEvent {
    /// Its `eventType`, also its event name in `/_emulator/callbacks`.
    pub fn name(self) -> &'static str {
        match self {
            PostEvent::Chat => "chat",
            PostEvent::ChatOffline => "chat_offline",
        }
    }
}

/// A before-send rule: the conversations it intercepts and what a failure does.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreSend {
    pub url: String,
    pub secret: String,
    /// 会话类型: `chat`, `groupchat` and/or `chatroom`.
    #[serde(default = "all_chat_types")]
    pub chat_types: Vec<ChatKind>,
    /// 等待响应时间 (200 ms by default).
    #[serde(default = "pre_timeout_ms")]
    pub timeout_ms: u64,
    /// 调用失败时默认策略: `pass` (放行) or `block` (不放行).
    #[serde(default)]
    pub on_failure: OnFailure,
    /// 消息拦截报错时显示: `true` (报错) tells the sender; `false` (不报错) lets the sender's
    /// SDK report success for a message that is dropped.
    #[serde(default = "yes")]
    pub report_error: bool,
    /// The shape of `payload` (UNVERIFIED): `body` (the message body, as the newest docs show)
    /// or `history` (`{"ext", "bodies"}`, as the older docs say).
    #[serde(default)]
    pub payload: PayloadShape,
}

/// The conversation kinds of a before-send rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChatKind {
    Chat,
    Groupchat,
    Chatroom,
}

/// What a failed before-send callback does to the message.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnFailure {
    #[default]
    Pass,
    Block,
}

/// The shape of a before-send callback's `payload`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PayloadShape {
    #[default]
    Body,
    History,
}

fn yes() -> bool {
    true
}

fn all_events() -> Vec<PostEvent> {
    vec![PostEvent::Chat, PostEvent::ChatOffline]
}

fn all_chat_types() -> Vec<ChatKind> {
    vec![ChatKind::Chat, ChatKind::Groupchat, ChatKind::Chatroom]
}

fn post_timeout_ms() -> u64 {
    5_000
}

fn pre_timeout_ms() -> u64 {
    200
}

/// Refuses rules the console would not save or that could never deliver.
pub fn check(rules: &[Rule]) -> Result<(), String> {
    if rules.len() > MAX_RULES {
        return Err(format!("callback_rules: at most {MAX_RULES} rules"));
    }
    for (n, rule) in rules.iter().enumerate() {
        check_rule(rule).map_err(|e| format!("callback_rules[{n}]: {e}"))?;
    }
    Ok(())
}

fn check_rule(rule: &Rule) -> Result<(), &'static str> {
    let (url, secret, timeout_ms, empty) = match rule {
        Rule::PostSend(r) => (&r.url, &r.secret, r.timeout_ms, r.event_types.is_empty()),
        Rule::PreSend(r) => (&r.url, &r.secret, r.timeout_ms, r.chat_types.is_empty()),
    };
    if !url.starts_with("http://") {
        return Err("url is an http:// URL (the emulator has no TLS client)");
    }
    if secret.is_empty() || secret.len() > 64 {
        return Err("secret has 1 to 64 characters");
    }
    if !(1..=MAX_TIMEOUT_MS).contains(&timeout_ms) {
        return Err("timeout_ms is 1 to 60000");
    }
    if empty {
        return Err("event_types (post_send) or chat_types (pre_send) lists at least one");
    }
    if let Rule::PostSend(r) = rule {
        if !r.rest_messages && !r.sdk_messages {
            return Err("rest_messages or sdk_messages is true");
        }
    }
    Ok(())
}
