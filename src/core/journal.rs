//! The message journal: every delivered message as one provider-neutral record per recipient,
//! partitioned by (provider, tenant) so that senders of different tenants never share a lock
//! and a tenant's reset drops exactly its own records.

use dashmap::DashMap;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::value::RawValue;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::futures::Notified;
use tokio::sync::Notify;

/// Records are kept in chunks of this many, so that growth never copies the whole journal.
const CHUNK: usize = 4096;

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

/// The records of one (provider, tenant).
#[derive(Debug)]
pub struct Partition {
    provider: &'static str,
    tenant: Arc<str>,
    chunks: Mutex<Vec<Vec<Record>>>,
}

impl Partition {
    fn lock(&self) -> MutexGuard<'_, Vec<Vec<Record>>> {
        self.chunks
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// How many records it holds.
    pub fn len(&self) -> usize {
        self.lock().iter().map(Vec::len).sum()
    }

    /// Whether it holds no record.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Walks records from the newest back while `keep_going` holds, and applies `f` to the
    /// first one that `is_target` picks. Returns what `f` returned, if a record was found.
    pub fn update_recent<R>(
        &self,
        keep_going: impl Fn(&Record) -> bool,
        is_target: impl Fn(&Record) -> bool,
        f: impl FnOnce(&mut Record) -> R,
    ) -> Option<R> {
        let mut chunks = self.lock();
        let found = chunks
            .iter_mut()
            .rev()
            .flat_map(|chunk| chunk.iter_mut().rev())
            .take_while(|r| keep_going(r))
            .find(|r| is_target(r))?;
        Some(f(found))
    }
}

/// Which records a query returns. Empty fields match everything.
#[derive(Debug, Default)]
pub struct Filter<'a> {
    pub provider: Option<&'a str>,
    pub tenant: Option<&'a str>,
    pub conversation: Option<&'a str>,
    pub chat_type: Option<&'a str>,
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
    pub kind: Option<&'a str>,
    pub since_ms: Option<i64>,
    pub until_ms: Option<i64>,
}

impl Filter<'_> {
    fn matches_partition(&self, p: &Partition) -> bool {
        self.provider.is_none_or(|v| v == p.provider) && self.tenant.is_none_or(|v| v == &*p.tenant)
    }

    fn matches(&self, r: &Record) -> bool {
        let conversation = r.conversation.as_deref().unwrap_or(&r.to);
        self.conversation.is_none_or(|v| v == conversation)
            && self.chat_type.is_none_or(|v| v == r.chat_type.as_str())
            && self.from.is_none_or(|v| v == &*r.from)
            && self.to.is_none_or(|v| v == &*r.to)
            && self.kind.is_none_or(|v| type_matches(&r.kind, v))
            && self.since_ms.is_none_or(|v| r.received_at_ms >= v)
            && self.until_ms.is_none_or(|v| r.received_at_ms <= v)
    }
}

fn type_matches(kind: &MessageType, wanted: &str) -> bool {
    match kind {
        MessageType::Name(name) => *name == wanted,
        MessageType::Code(code) => wanted.parse::<i64>() == Ok(*code),
    }
}

/// A record together with the partition it lives in, ready to serialise.
#[derive(Debug, Clone)]
pub struct Entry {
    pub provider: &'static str,
    pub tenant: Arc<str>,
    pub record: Record,
}

/// A reader waiting for appends (see [`Journal::watch`]).
pub struct Watch<'a> {
    journal: &'a Journal,
}

impl Watch<'_> {
    /// Completes at the next append after it is enabled (see [`Notified::enable`]); enable it
    /// before querying so that no append between the query and the wait is missed.
    pub fn appended(&self) -> Notified<'_> {
        self.journal.appended.notified()
    }
}

impl Drop for Watch<'_> {
    fn drop(&mut self) {
        self.journal.watchers.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Every message delivered by every provider.
#[derive(Debug, Default)]
pub struct Journal {
    seq: AtomicU64,
    partitions: DashMap<(&'static str, Arc<str>), Arc<Partition>>,
    appended: Notify,
    /// Readers waiting for appends; appends skip the notification when there are none.
    watchers: AtomicUsize,
}

impl Journal {
    /// The partition of (provider, tenant), created if it does not exist.
    pub fn partition(&self, provider: &'static str, tenant: &Arc<str>) -> Arc<Partition> {
        self.partitions
            .entry((provider, tenant.clone()))
            .or_insert_with(|| {
                Arc::new(Partition {
                    provider,
                    tenant: tenant.clone(),
                    chunks: Mutex::new(Vec::new()),
                })
            })
            .clone()
    }

    /// Appends `records` to `partition`, numbering them in order of arrival.
    pub fn append(&self, partition: &Partition, records: impl IntoIterator<Item = Record>) {
        let mut chunks = partition.lock();
        for mut record in records {
            record.seq = self.seq.fetch_add(1, Ordering::Relaxed);
            match chunks.last_mut() {
                Some(chunk) if chunk.len() < CHUNK => chunk.push(record),
                _ => {
                    let mut chunk = Vec::with_capacity(CHUNK);
                    chunk.push(record);
                    chunks.push(chunk);
                }
            }
        }
        drop(chunks);
        // Pairs with the increment in `watch`: a reader that registered before this load is
        // notified; one that registers after it sees the records just pushed.
        if self.watchers.load(Ordering::SeqCst) > 0 {
            self.appended.notify_waiters();
        }
    }

    /// Registers a reader that waits for appends, for as long as the guard lives.
    pub fn watch(&self) -> Watch<'_> {
        self.watchers.fetch_add(1, Ordering::SeqCst);
        Watch { journal: self }
    }

    /// Forgets the partitions of `provider` (all when `None`) and `tenant` (all when `None`).
    pub fn drop_partitions(&self, provider: Option<&str>, tenant: Option<&str>) {
        self.partitions.retain(|(p, t), _| {
            !(provider.is_none_or(|v| v == *p) && tenant.is_none_or(|v| v == &**t))
        });
    }

    /// The records `filter` selects, oldest first, at most `limit` of them, and how many
    /// matched in all.
    pub fn query(&self, filter: &Filter<'_>, limit: usize) -> (Vec<Entry>, usize) {
        let parts: Vec<Arc<Partition>> = self
            .partitions
            .iter()
            .filter(|p| filter.matches_partition(p.value()))
            .map(|p| p.value().clone())
            .collect();
        let mut found = Vec::new();
        for part in parts {
            let chunks = part.lock();
            let matching = chunks.iter().flatten().filter(|r| filter.matches(r));
            found.extend(matching.map(|r| Entry {
                provider: part.provider,
                tenant: part.tenant.clone(),
                record: r.clone(),
            }));
        }
        found.sort_unstable_by_key(|e| e.record.seq);
        let total = found.len();
        found.truncate(limit);
        (found, total)
    }

    /// How many records the journal holds.
    pub fn len(&self) -> usize {
        self.partitions.iter().map(|p| p.value().len()).sum()
    }

    /// Whether the journal holds no record.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
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
        map.serialize_entry("id", &r.id)?;
        map.serialize_entry("conversation", r.conversation.as_deref().unwrap_or(&r.to))?;
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
        map.end()
    }
}

/// Stored JSON text, to be written out as it is.
fn raw<E: serde::ser::Error>(json: &str) -> Result<&RawValue, E> {
    serde_json::from_str(json).map_err(E::custom)
}
