//! One journal record: a message to one recipient in provider-neutral form, and how it is
//! written out in `/_emulator/messages`.

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::value::RawValue;
use std::sync::Arc;

/// The kind of conversation a message belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChatType {
    Single,
    Group,
    Room,
    Notification,
    Order,
}

impl ChatType {
    /// The name used in records and filters.
    pub fn as_str(self) -> &'static str {
        match self {
            ChatType::Single => "single",
            ChatType::Group => "group",
            ChatType::Room => "room",
            ChatType::Notification => "notification",
            ChatType::Order => "order",
        }
    }
}

/// A message id as the provider's client saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageId {
    /// An integer the provider renders as a decimal string.
    Decimal(u64),
    /// An integer the provider renders as a JSON number.
    Number(u64),
    /// Any other id.
    Text(Box<str>),
}

/// A message type as the provider names it: a name or a number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageType {
    Name(&'static str),
    Code(i64),
}

/// One message to one recipient.
#[derive(Debug, Clone)]
pub struct Record {
    /// Journal-wide order of arrival, assigned on append.
    pub seq: u64,
    pub id: MessageId,
    pub chat_type: ChatType,
    pub from: Arc<str>,
    pub to: Box<str>,
    /// The conversation, when it is not simply `to`.
    pub conversation: Option<Arc<str>>,
    pub kind: MessageType,
    /// The message body exactly as the client sent it: JSON text.
    pub content: Arc<str>,
    /// The provider's extension attributes as sent: JSON text.
    pub ext: Option<Arc<str>>,
    pub received_at_ms: i64,
    pub recalled: bool,
}

impl Record {
    /// The conversation it belongs to.
    pub fn conversation(&self) -> &str {
        self.conversation.as_deref().unwrap_or(&self.to)
    }
}

/// A record together with the partition it lives in, ready to serialise.
#[derive(Debug, Clone)]
pub struct Entry {
    pub provider: &'static str,
    pub tenant: Arc<str>,
    pub record: Record,
    /// Whether its content was modified after delivery (Easemob's message rewrite).
    pub modified: bool,
}

impl Serialize for MessageId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            MessageId::Decimal(n) => s.serialize_str(itoa::Buffer::new().format(*n)),
            MessageId::Number(n) => s.serialize_u64(*n),
            MessageId::Text(t) => s.serialize_str(t),
        }
    }
}

impl Serialize for MessageType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            MessageType::Name(name) => s.serialize_str(name),
            MessageType::Code(code) => s.serialize_i64(*code),
        }
    }
}

impl Serialize for Entry {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = &self.record;
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("provider", self.provider)?;
        map.serialize_entry("tenant", &*self.tenant)?;
        map.serialize_entry("seq", &r.seq)?;
        map.serialize_entry("id", &r.id)?;
        map.serialize_entry("conversation", r.conversation())?;
        map.serialize_entry("chat_type", r.chat_type.as_str())?;
        map.serialize_entry("from", &*r.from)?;
        map.serialize_entry("to", &*r.to)?;
        map.serialize_entry("type", &r.kind)?;
        map.serialize_entry("content", raw(&r.content)?)?;
        if let Some(ext) = &r.ext {
            map.serialize_entry("ext", raw(ext)?)?;
        }
        map.serialize_entry("received_at_ms", &r.received_at_ms)?;
        map.serialize_entry("recalled", &r.recalled)?;
        map.serialize_entry("modified", &self.modified)?;
        map.end()
    }
}

/// Stored JSON text, to be written out as it is.
fn raw<E: serde::ser::Error>(json: &str) -> Result<&RawValue, E> {
    serde_json::from_str(json).map_err(E::custom)
}
