//! The message journal: every delivered message as one provider-neutral record per recipient,
//! partitioned by (provider, tenant) so that senders of different tenants never share a lock
//! and a tenant's reset drops exactly its own records. It holds at most `max` records (0: no
//! bound); past that the oldest are evicted first, and evictions are counted.

mod partition;
mod query;
mod record;
mod snapshot;
pub mod threads;
mod watch;

pub use partition::{Partition, Revision};
pub use query::{Cursor, Filter, Found};
pub use record::{ChatType, Entry, MessageId, MessageType, Record};
pub use snapshot::{Checked, IdState, JournalState, PartitionState, RecordState, TypeState};
pub use watch::Waiter;

use dashmap::DashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::Notify;

/// Every message delivered by every provider.
#[derive(Debug, Default)]
pub struct Journal {
    /// The number of the next record: how many were ever appended.
    seq: AtomicU64,
    partitions: DashMap<(&'static str, Arc<str>), Arc<Partition>>,
    /// Partitions a state document restored that no provider tenant has taken back yet.
    restored: DashMap<(&'static str, Arc<str>), Arc<Partition>>,
    /// Records gone: evicted, or dropped by a reset. The journal holds `seq - removed`.
    removed: AtomicU64,
    evicted: AtomicU64,
    /// The most records held (0: no bound).
    max: usize,
    /// Held by the one append that evicts; the others leave eviction to it.
    evicting: Mutex<()>,
    /// Records evicted, by provider.
    evicted_by: Mutex<Vec<(&'static str, u64)>>,
    /// Rung by appends while readers are armed (see [`watch`]).
    doorbell: Notify,
    /// The waiting readers, their index and the dispatcher's position.
    registry: Mutex<watch::Registry>,
    /// Armed readers: appends ring only when there are some.
    armed: AtomicUsize,
    /// Readers waiting now, and the most that may.
    waiting: AtomicUsize,
    max_waiting: usize,
}

/// What the journal holds of one provider.
#[derive(Debug, Default, Clone, Copy, serde::Serialize)]
pub struct ProviderCounts {
    pub stored: usize,
    pub evicted: u64,
    pub content_bytes: usize,
}

/// How many records the journal holds and has evicted.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Counts {
    pub stored: usize,
    pub evicted: u64,
    /// The bound (0: none).
    pub max: usize,
}

impl Journal {
    /// A journal holding at most `max` records (0: no bound), with at most `max_waiting`
    /// readers waiting at once.
    pub fn new(max: usize, max_waiting: usize) -> Self {
        Self {
            max,
            max_waiting,
            ..Self::default()
        }
    }

    /// A new partition for `tenant` of `provider`; the journal lists it at its first append.
    /// After [`Journal::restore`], the first call for a restored (provider, tenant) takes back
    /// its restored partition instead, records and all: a provider restoring its tenants
    /// simply makes them as usual, after the journal was restored.
    pub fn partition(&self, provider: &'static str, tenant: &Arc<str>) -> Arc<Partition> {
        if !self.restored.is_empty() {
            if let Some((_, part)) = self.restored.remove(&(provider, tenant.clone())) {
                return part;
            }
        }
        Arc::new(Partition::new(provider, tenant.clone()))
    }

    /// Appends `records` to `partition`, numbering them in order of arrival, then evicts the
    /// oldest records past the bound.
    pub fn append(
        &self,
        partition: &Arc<Partition>,
        records: impl ExactSizeIterator<Item = Record>,
    ) {
        if !partition.listed.load(Ordering::Acquire) {
            self.list(partition);
        }
        let count = records.len();
        if self.max > 0 && self.stored() + count > self.max {
            self.evict(count);
        }
        let reserve = |n: usize| self.seq.fetch_add(n as u64, Ordering::Relaxed);
        partition.push(records, reserve);
        if self.armed.load(Ordering::SeqCst) > 0 {
            self.doorbell.notify_one();
        }
    }

    /// Lists `partition` at its first append. One that lost its place to another partition of
    /// the same tenant (made after a reset) takes no records.
    fn list(&self, partition: &Arc<Partition>) {
        let key = (partition.provider, partition.tenant.clone());
        let listed = self
            .partitions
            .entry(key)
            .or_insert_with(|| partition.clone());
        let ours = Arc::ptr_eq(&listed, partition);
        drop(listed);
        if !ours {
            partition.drop_out();
        }
        partition.listed.store(true, Ordering::Release);
    }

    /// Drops the oldest records until `incoming` more fit under the bound, and a little more,
    /// so that the search for the oldest partition is paid once per many appends.
    fn evict(&self, incoming: usize) {
        let Ok(_one) = self.evicting.try_lock() else {
            return;
        };
        let target = (self.max - (self.max >> 6)).min(self.max.saturating_sub(incoming));
        loop {
            let stored = self.stored();
            if stored <= target {
                return;
            }
            let Some((oldest, next_head)) = self.oldest() else {
                return;
            };
            let dropped = oldest.evict(stored - target, next_head);
            self.count_evicted(oldest.provider, dropped as u64);
            self.removed.fetch_add(dropped as u64, Ordering::Relaxed);
            self.evicted.fetch_add(dropped as u64, Ordering::Relaxed);
            if dropped == 0 {
                return;
            }
        }
    }

    /// The partition holding the oldest record, and the head of the next oldest one: records
    /// before it are the oldest of all.
    fn oldest(&self) -> Option<(Arc<Partition>, u64)> {
        let mut oldest: Option<Arc<Partition>> = None;
        let mut runner_up = partition::NONE;
        for p in self.partitions.iter() {
            let head = p.head();
            match &oldest {
                Some(o) if head >= o.head() => runner_up = runner_up.min(head),
                Some(o) => {
                    runner_up = runner_up.min(o.head());
                    oldest = Some(p.value().clone());
                }
                None if head != partition::NONE => oldest = Some(p.value().clone()),
                None => {}
            }
        }
        oldest.map(|o| (o, runner_up))
    }

    /// Forgets the partitions of `provider` (all when `None`) and `tenant` (all when `None`).
    pub fn drop_partitions(&self, provider: Option<&str>, tenant: Option<&str>) {
        let matches =
            |p: &str, t: &str| provider.is_none_or(|v| v == p) && tenant.is_none_or(|v| v == t);
        self.restored.retain(|(p, t), _| !matches(p, t));
        self.partitions.retain(|(p, t), part| {
            let dropped = matches(p, t);
            if dropped {
                self.removed
                    .fetch_add(part.drop_out() as u64, Ordering::Relaxed);
            }
            !dropped
        });
    }

    /// Reads the records `filter` picks that `cursor` has not seen, copying at most `limit`.
    pub fn read(&self, filter: &Filter, cursor: &mut Cursor, limit: usize) -> Found {
        let parts: Vec<Arc<Partition>> = self
            .partitions
            .iter()
            .filter(|p| filter.matches_partition(p.value()))
            .map(|p| p.value().clone())
            .collect();
        cursor.read(&parts, filter, limit)
    }

    /// The partitions of `tenant` of `provider`: one, or none before its first message.
    pub fn tenant_partitions(&self, provider: &str, tenant: &str) -> Vec<Arc<Partition>> {
        self.partitions
            .iter()
            .filter(|p| p.provider == provider && *p.tenant == *tenant)
            .map(|p| p.value().clone())
            .collect()
    }

    /// How many records the journal holds for `tenant` of `provider`.
    pub fn tenant_len(&self, provider: &str, tenant: &str) -> usize {
        let parts = self.tenant_partitions(provider, tenant);
        parts.iter().map(|p| p.len()).sum()
    }

    /// Every listed partition.
    fn all_partitions(&self) -> Vec<Arc<Partition>> {
        self.partitions.iter().map(|p| p.value().clone()).collect()
    }

    /// How many records the journal holds.
    fn stored(&self) -> usize {
        let appended = self.seq.load(Ordering::Relaxed);
        appended.saturating_sub(self.removed.load(Ordering::Relaxed)) as usize
    }

    fn count_evicted(&self, provider: &'static str, dropped: u64) {
        let mut by = self.evicted_by.lock().unwrap_or_else(|p| p.into_inner());
        match by.iter_mut().find(|(p, _)| *p == provider) {
            Some((_, n)) => *n += dropped,
            None => by.push((provider, dropped)),
        }
    }

    /// What the journal holds of `provider`: its records, the bytes of their content, and
    /// how many of its records were evicted.
    pub fn provider_counts(&self, provider: &str) -> ProviderCounts {
        let mut counts = ProviderCounts::default();
        for part in self.all_partitions() {
            if part.provider != provider {
                continue;
            }
            counts.stored += part.len();
            part.each_from(0, |r, _| {
                counts.content_bytes += r.content.len() + r.ext.as_ref().map_or(0, |e| e.len());
            });
        }
        let by = self.evicted_by.lock().unwrap_or_else(|p| p.into_inner());
        counts.evicted = by
            .iter()
            .find(|(p, _)| *p == provider)
            .map_or(0, |(_, n)| *n);
        counts
    }

    /// The number the next record will take.
    pub fn next_seq(&self) -> u64 {
        self.seq.load(Ordering::Relaxed)
    }

    /// How many records the journal holds and has evicted, and its bound.
    pub fn counts(&self) -> Counts {
        Counts {
            stored: self.stored(),
            evicted: self.evicted.load(Ordering::Relaxed),
            max: self.max,
        }
    }
}
