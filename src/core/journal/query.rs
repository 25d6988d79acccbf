//! Reading the journal: a [`Filter`] picks records, and a [`Cursor`] remembers how far each
//! partition has been read, so that a reader that looks again (a long-poll waiter) only reads
//! what arrived since its last look. Only the records to be returned are copied.

use super::partition::Partition;
use super::record::{Entry, MessageType, Record};
use std::collections::HashMap;
use std::sync::Arc;

/// Which records a query returns. Empty fields match everything.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub provider: Option<String>,
    pub tenant: Option<String>,
    pub conversation: Option<String>,
    pub chat_type: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub kind: Option<String>,
    pub since_ms: Option<i64>,
    pub until_ms: Option<i64>,
}

impl Filter {
    pub(super) fn matches_partition(&self, p: &Partition) -> bool {
        let provider = self.provider.as_deref();
        provider.is_none_or(|v| v == p.provider)
            && self.tenant.as_deref().is_none_or(|v| v == &*p.tenant)
    }

    pub(super) fn matches(&self, r: &Record) -> bool {
        let same =
            |wanted: &Option<String>, value: &str| wanted.as_deref().is_none_or(|v| v == value);
        same(&self.conversation, r.conversation())
            && same(&self.chat_type, r.chat_type.as_str())
            && same(&self.from, &r.from)
            && same(&self.to, &r.to)
            && self
                .kind
                .as_deref()
                .is_none_or(|v| type_matches(&r.kind, v))
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

/// How far a reader has read each partition: the sequence number after the last record it
/// saw there. Keyed by the partition itself, so that a partition dropped by a reset and made
/// again is read from its start.
#[derive(Debug, Default)]
pub struct Cursor {
    read: HashMap<usize, (Arc<Partition>, u64)>,
}

/// What a read found: the first records in journal order, at most as many as asked, and how
/// many matched in all.
#[derive(Debug, Default)]
pub struct Found {
    pub entries: Vec<Entry>,
    pub total: usize,
}

impl Found {
    /// Adds the matches of one more read, keeping the `limit` oldest.
    pub fn merge(&mut self, more: Found, limit: usize) {
        self.total += more.total;
        self.entries.extend(more.entries);
        self.entries.sort_unstable_by_key(|e| e.record.seq);
        self.entries.truncate(limit);
    }
}

impl Cursor {
    /// Visits, in `partitions`, the records that arrived since the last visit.
    pub(super) fn each_new(
        &mut self,
        partitions: &[Arc<Partition>],
        mut visit: impl FnMut(&Partition, &Record, u32),
    ) {
        // Forget partitions that are gone (a reset), and the records they hold.
        let listed: std::collections::HashSet<usize> =
            partitions.iter().map(|p| Arc::as_ptr(p) as usize).collect();
        self.read.retain(|key, _| listed.contains(key));
        for part in partitions {
            let key = Arc::as_ptr(part) as usize;
            let after = self.read.get(&key).map_or(0, |(_, seq)| *seq);
            if part.next() <= after {
                continue;
            }
            let next = part.each_from(after, |record, modified| visit(part, record, modified));
            self.read.insert(key, (part.clone(), next));
        }
    }

    /// Skips what `partitions` hold now: the next visit starts after it.
    pub(super) fn skip_to_end(&mut self, partitions: &[Arc<Partition>]) {
        self.read.clear();
        for part in partitions {
            let key = Arc::as_ptr(part) as usize;
            self.read.insert(key, (part.clone(), part.next()));
        }
    }

    /// Reads, in `partitions`, the records `filter` picks that arrived since the last read,
    /// copying at most `limit` of them.
    pub(super) fn read(
        &mut self,
        partitions: &[Arc<Partition>],
        filter: &Filter,
        limit: usize,
    ) -> Found {
        let mut found = Found::default();
        // The oldest `limit` of each partition: together they hold the oldest `limit` of all.
        let (mut current, mut copied) = (std::ptr::null::<Partition>(), 0);
        self.each_new(partitions, |part, record, modified| {
            if !filter.matches(record) {
                return;
            }
            if !std::ptr::eq(current, part) {
                (current, copied) = (part, 0);
            }
            found.total += 1;
            if copied < limit {
                copied += 1;
                found.entries.push(Entry {
                    provider: part.provider,
                    tenant: part.tenant.clone(),
                    record: record.clone(),
                    modified: modified > 0,
                });
            }
        });
        found.entries.sort_unstable_by_key(|e| e.record.seq);
        found.entries.truncate(limit);
        found
    }
}
