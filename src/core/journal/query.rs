//! Reading the journal: a [`Filter`] picks records, and a [`Cursor`] remembers how far each
//! partition has been read, so that a reader that looks again (a long-poll waiter) only reads
//! what arrived since its last look. Only the records to be returned are copied.

use super::partition::Partition;
use super::record::{Entry, MessageType, Record};
use std::collections::HashMap;
use std::sync::Arc;

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
    pub(super) fn matches_partition(&self, p: &Partition) -> bool {
        self.provider.is_none_or(|v| v == p.provider) && self.tenant.is_none_or(|v| v == &*p.tenant)
    }

    fn matches(&self, r: &Record) -> bool {
        self.conversation.is_none_or(|v| v == r.conversation())
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
    /// Reads, in `partitions`, the records `filter` picks that arrived since the last read,
    /// copying at most `limit` of them.
    pub(super) fn read(
        &mut self,
        partitions: &[Arc<Partition>],
        filter: &Filter<'_>,
        limit: usize,
    ) -> Found {
        let mut found = Found::default();
        for part in partitions {
            let key = Arc::as_ptr(part) as usize;
            let after = self.read.get(&key).map_or(0, |(_, seq)| *seq);
            if part.next() <= after {
                continue;
            }
            let mut copied = 0;
            let next = part.each_from(after, |record| {
                if !filter.matches(record) {
                    return;
                }
                found.total += 1;
                if copied < limit {
                    copied += 1;
                    found.entries.push(Entry {
                        provider: part.provider,
                        tenant: part.tenant.clone(),
                        record: record.clone(),
                    });
                }
            });
            self.read.insert(key, (part.clone(), next));
        }
        found.entries.sort_unstable_by_key(|e| e.record.seq);
        found.entries.truncate(limit);
        found
    }
}
