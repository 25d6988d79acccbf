//! Readers that wait for appends (long-poll), woken only by records their filter picks.
//!
//! An append only rings a doorbell (one atomic step, whatever the number of readers). One
//! dispatcher ([`Journal::ring`]), at most once per [`COALESCE`], reads what arrived since its
//! last round, once for all readers, and finds each record's readers through an index on the
//! filter's most selective field (`to`, `from`, `conversation`, tenant, provider): it wakes the
//! readers a record matches and no other. A woken reader reads what arrived since its own last
//! read, and waits again if it still wants more. The cost of a round grows with the records of
//! the round, not with the number of readers.

use super::partition::Partition;
use super::query::{Cursor, Filter};
use super::record::Record;
use super::Journal;
use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::{Arc, MutexGuard};
use std::time::Duration;
use tokio::sync::Notify;

/// The shortest time between two rounds of the dispatcher.
pub const COALESCE: Duration = Duration::from_millis(10);

/// The field a reader is found by: the most selective one its filter names.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Key {
    To(String),
    From(String),
    Conversation(String),
    Tenant(String),
    Provider(String),
    Any,
}

impl Key {
    fn of(filter: &Filter) -> Self {
        let named = [
            filter.to.clone().map(Key::To),
            filter.from.clone().map(Key::From),
            filter.conversation.clone().map(Key::Conversation),
            filter.tenant.clone().map(Key::Tenant),
            filter.provider.clone().map(Key::Provider),
        ];
        named.into_iter().flatten().next().unwrap_or(Key::Any)
    }
}

/// An armed reader: woken by the next record its filter picks.
#[derive(Debug)]
struct Armed {
    filter: Arc<Filter>,
    key: Key,
    wake: Arc<Notify>,
}

/// The armed readers by the field they are found by.
#[derive(Debug, Default)]
struct Index {
    to: HashMap<String, Vec<u64>>,
    from: HashMap<String, Vec<u64>>,
    conversation: HashMap<String, Vec<u64>>,
    tenant: HashMap<String, Vec<u64>>,
    provider: HashMap<String, Vec<u64>>,
    any: Vec<u64>,
}

impl Index {
    fn insert(&mut self, key: &Key, id: u64) {
        let slot = match key {
            Key::To(v) => self.to.entry(v.clone()).or_default(),
            Key::From(v) => self.from.entry(v.clone()).or_default(),
            Key::Conversation(v) => self.conversation.entry(v.clone()).or_default(),
            Key::Tenant(v) => self.tenant.entry(v.clone()).or_default(),
            Key::Provider(v) => self.provider.entry(v.clone()).or_default(),
            Key::Any => &mut self.any,
        };
        slot.push(id);
    }

    fn remove(&mut self, key: &Key, id: u64) {
        let (map, value) = match key {
            Key::To(v) => (&mut self.to, v),
            Key::From(v) => (&mut self.from, v),
            Key::Conversation(v) => (&mut self.conversation, v),
            Key::Tenant(v) => (&mut self.tenant, v),
            Key::Provider(v) => (&mut self.provider, v),
            Key::Any => return self.any.retain(|other| *other != id),
        };
        if let Some(ids) = map.get_mut(value) {
            ids.retain(|other| *other != id);
            if ids.is_empty() {
                map.remove(value);
            }
        }
    }

    /// Adds to `out` the readers `record` of `part` may concern.
    fn candidates(&self, part: &Partition, record: &Record, out: &mut Vec<u64>) {
        let found = [
            self.to.get(&*record.to),
            self.from.get(&*record.from),
            self.conversation.get(record.conversation()),
            self.tenant.get(&*part.tenant),
            self.provider.get(part.provider),
        ];
        out.extend(found.into_iter().flatten().flatten());
        out.extend(&self.any);
    }
}

/// The armed readers, indexed, and how far the dispatcher has read.
#[derive(Debug, Default)]
pub(super) struct Registry {
    next_id: u64,
    armed: HashMap<u64, Armed>,
    index: Index,
    cursor: Cursor,
    /// The candidates of one record, kept to save an allocation per record.
    scratch: Vec<u64>,
}

impl Registry {
    fn disarm(&mut self, id: u64) {
        if let Some(armed) = self.armed.remove(&id) {
            self.index.remove(&armed.key, id);
        }
    }

    /// Wakes (and disarms) the armed readers whose filter picks `record`.
    fn dispatch(&mut self, part: &Partition, record: &Record) {
        let mut ids = std::mem::take(&mut self.scratch);
        ids.clear();
        self.index.candidates(part, record, &mut ids);
        for &id in &ids {
            let picked = self
                .armed
                .get(&id)
                .filter(|a| a.filter.matches_partition(part) && a.filter.matches(record));
            if let Some(armed) = picked {
                armed.wake.notify_one();
                self.disarm(id);
            }
        }
        self.scratch = ids;
    }
}

/// A reader waiting for records, for as long as it lives.
pub struct Waiter<'a> {
    journal: &'a Journal,
    id: u64,
    filter: Arc<Filter>,
    wake: Arc<Notify>,
}

impl Waiter<'_> {
    /// Arms the reader: the next record its filter picks wakes it. Arm before each read, so
    /// that a record the read misses wakes it.
    pub fn arm(&self) {
        let mut registry = self.journal.registry();
        if registry.armed.is_empty() {
            // The dispatcher has nobody to wake for what is there now: the read that follows
            // sees it.
            let parts = self.journal.all_partitions();
            registry.cursor.skip_to_end(&parts);
        }
        if !registry.armed.contains_key(&self.id) {
            let key = Key::of(&self.filter);
            registry.index.insert(&key, self.id);
            let armed = Armed {
                filter: self.filter.clone(),
                key,
                wake: self.wake.clone(),
            };
            registry.armed.insert(self.id, armed);
        }
        self.journal
            .armed
            .store(registry.armed.len(), Ordering::SeqCst);
    }

    /// Completes when a record the filter picks has arrived since the reader was armed (or
    /// spuriously: the reader then reads and waits again).
    pub async fn woken(&self) {
        self.wake.notified().await;
    }
}

impl Drop for Waiter<'_> {
    fn drop(&mut self) {
        let mut registry = self.journal.registry();
        registry.disarm(self.id);
        self.journal
            .armed
            .store(registry.armed.len(), Ordering::SeqCst);
        drop(registry);
        self.journal.waiting.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Journal {
    /// A reader waiting for the records `filter` picks; `None` when as many as the journal
    /// allows are waiting already.
    pub fn waiter(&self, filter: Arc<Filter>) -> Option<Waiter<'_>> {
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.max_waiting {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return None;
        }
        let id = {
            let mut registry = self.registry();
            registry.next_id += 1;
            registry.next_id
        };
        Some(Waiter {
            journal: self,
            id,
            filter,
            wake: Arc::new(Notify::new()),
        })
    }

    /// How many readers are waiting.
    pub fn waiting(&self) -> usize {
        self.waiting.load(Ordering::Relaxed)
    }

    fn registry(&self) -> MutexGuard<'_, Registry> {
        self.registry.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Dispatches appended records to the armed readers whenever the doorbell rings; runs
    /// until the server stops.
    pub async fn ring(&self) {
        loop {
            self.doorbell.notified().await;
            self.dispatch();
            tokio::time::sleep(COALESCE).await;
        }
    }

    /// One round: every record since the last round, to the readers it concerns.
    fn dispatch(&self) {
        let parts = self.all_partitions();
        let mut registry = self.registry();
        let mut cursor = std::mem::take(&mut registry.cursor);
        cursor.each_new(&parts, |part, record, _| registry.dispatch(part, record));
        registry.cursor = cursor;
        self.armed.store(registry.armed.len(), Ordering::SeqCst);
    }
}
