//! A tenant's messages (contract §5): by conversation (a pair of accounts, or a team), in
//! server-ID order (which is send order), with the client IDs seen in each conversation. A
//! message sent with `history_enabled: false` is kept only to remember its client ID. At most
//! the tenant's `max_messages` are kept, the oldest evicted first.

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use serde_json::value::RawValue;
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};

use super::device::{Device, REST};

/// A stored message.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Message {
    pub server_id: u64,
    pub client_id: String,
    pub conversation_type: i64,
    pub sender: String,
    /// The receiving account, or the team ID.
    pub receiver: String,
    pub message_type: i64,
    pub sub_type: Option<i64>,
    pub text: Option<String>,
    /// The attachment's JSON text as sent (a string in a state document).
    #[serde(with = "super::snapshot::raw_text")]
    pub attachment: Option<Arc<RawValue>>,
    pub extension: Option<String>,
    pub create_time: i64,
    /// Whether history queries show it (`history_enabled`).
    pub in_history: bool,
    /// Sent with a no-sense flag: shown only with `include_no_sense_msg`.
    pub no_sense: bool,
    /// The client device it was sent from; none for the server API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<Device>,
}

/// A message as the history routes show it: `receiver_id` for a P2P message, `team_id` (a
/// number) for a team's; a message asked for alone also has its `conversation_id`.
pub struct Item<'a> {
    pub message: &'a Message,
    pub alone: bool,
}

impl Serialize for Item<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let m = self.message;
        let mut map = s.serialize_map(None)?;
        if self.alone {
            let id = format!("{}|{}|{}", m.sender, m.conversation_type, m.receiver);
            map.serialize_entry("conversation_id", &id)?;
        }
        map.serialize_entry("message_server_id", &m.server_id)?;
        map.serialize_entry("message_client_id", &m.client_id)?;
        map.serialize_entry("conversation_type", &m.conversation_type)?;
        map.serialize_entry("sender_id", &m.sender)?;
        match m.receiver.parse::<u64>() {
            Ok(team) if m.conversation_type != 1 => map.serialize_entry("team_id", &team)?,
            _ => map.serialize_entry("receiver_id", &m.receiver)?,
        }
        map.serialize_entry("message_type", &m.message_type)?;
        if let Some(sub_type) = m.sub_type {
            map.serialize_entry("sub_type", &sub_type)?;
        }
        map.serialize_entry("create_time", &m.create_time)?;
        let client_type = m.device.as_ref().map_or(REST.1, |d| d.client_type);
        map.serialize_entry("sender_client_type", &client_type)?;
        if let Some(text) = &m.text {
            map.serialize_entry("text", text)?;
        }
        if let Some(attachment) = &m.attachment {
            map.serialize_entry("attachment", attachment)?;
        }
        if let Some(extension) = &m.extension {
            map.serialize_entry("extension", extension)?;
        }
        map.end()
    }
}

/// One page of a history query.
pub struct Page {
    pub items: Vec<Message>,
    pub has_more: bool,
}

/// Which messages of a conversation a history query wants.
pub struct Query<'a> {
    pub begin_time: i64,
    pub end_time: i64,
    pub types: Option<&'a [i64]>,
    pub include_no_sense: bool,
    /// Newest first.
    pub newest_first: bool,
    /// The server ID the previous page ended with.
    pub after: Option<u64>,
    pub limit: usize,
}

#[derive(Debug, Default, Clone, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Conversation {
    messages: BTreeMap<u64, Message>,
    #[serde(serialize_with = "crate::core::sorted::set")]
    client_ids: HashSet<String>,
}

/// A tenant's messages, as kept and as a state document holds them.
#[derive(Debug, Default, Clone, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Messages {
    conversations: HashMap<String, Conversation>,
    /// Every message kept, by conversation, ID and client ID, in order of arrival.
    arrivals: VecDeque<(String, u64, String)>,
}

/// The messages of a tenant.
#[derive(Debug, Default)]
pub struct MsgStore {
    pub(super) inner: Mutex<Messages>,
}

impl MsgStore {
    fn lock(&self) -> MutexGuard<'_, Messages> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Stores `message` in `conversation`, evicting the oldest past `max` (0: no bound);
    /// refused when its client ID was sent in `conversation` already.
    pub fn insert(&self, conversation: &str, message: Message, max: usize) -> Result<(), ()> {
        let mut store = self.lock();
        let (id, client_id) = (message.server_id, message.client_id.clone());
        let entry = store
            .conversations
            .entry(conversation.to_owned())
            .or_default();
        if !entry.client_ids.insert(client_id.clone()) {
            return Err(());
        }
        entry.messages.insert(id, message);
        store
            .arrivals
            .push_back((conversation.to_owned(), id, client_id));
        while max > 0 && store.arrivals.len() > max {
            store.evict_oldest();
        }
        Ok(())
    }

    /// The message `id` of `conversation`; with `in_history`, only one history shows.
    pub fn get(&self, conversation: &str, id: u64, in_history: bool) -> Option<Message> {
        let store = self.lock();
        let message = store.conversations.get(conversation)?.messages.get(&id)?;
        (message.in_history || !in_history).then(|| message.clone())
    }

    /// Takes the message `id` out of `conversation` (recalled or deleted).
    pub fn remove(&self, conversation: &str, id: u64) -> Option<Message> {
        let mut store = self.lock();
        let c = store.conversations.get_mut(conversation)?;
        c.messages.remove(&id)
    }

    /// Forgets the messages of `conversation` (their client IDs stay used).
    pub fn clear(&self, conversation: &str) {
        if let Some(c) = self.lock().conversations.get_mut(conversation) {
            c.messages.clear();
        }
    }

    /// A page of `conversation`'s history.
    pub fn page(&self, conversation: &str, query: &Query<'_>) -> Page {
        let store = self.lock();
        let Some(c) = store.conversations.get(conversation) else {
            return Page {
                items: Vec::new(),
                has_more: false,
            };
        };
        let wanted = |m: &&Message| {
            m.in_history
                && (query.include_no_sense || !m.no_sense)
                && (query.begin_time..=query.end_time).contains(&m.create_time)
                && query.types.is_none_or(|t| t.contains(&m.message_type))
                && query.after.is_none_or(|after| {
                    if query.newest_first {
                        m.server_id < after
                    } else {
                        m.server_id > after
                    }
                })
        };
        let all: Box<dyn Iterator<Item = &Message>> = if query.newest_first {
            Box::new(c.messages.values().rev())
        } else {
            Box::new(c.messages.values())
        };
        let mut matching = all.filter(wanted);
        let items: Vec<Message> = matching.by_ref().take(query.limit).cloned().collect();
        let has_more = matching.next().is_some();
        Page { items, has_more }
    }

    /// How many messages it keeps.
    pub fn len(&self) -> usize {
        self.lock().arrivals.len()
    }
}

impl Messages {
    fn evict_oldest(&mut self) {
        let Some((conversation, id, client_id)) = self.arrivals.pop_front() else {
            return;
        };
        if let Some(c) = self.conversations.get_mut(&conversation) {
            c.messages.remove(&id);
            c.client_ids.remove(&client_id);
            if c.messages.is_empty() && c.client_ids.is_empty() {
                self.conversations.remove(&conversation);
            }
        }
    }
}
