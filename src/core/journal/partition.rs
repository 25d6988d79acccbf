//! The records of one (provider, tenant), oldest first, in fixed-size chunks so that growth
//! never copies the whole partition and eviction pops from the front.

use super::record::Record;
use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// Records are kept in chunks of this many.
const CHUNK: usize = 4096;

/// No record: the head of an empty partition.
pub(super) const NONE: u64 = u64::MAX;

/// The records, and whether the partition was dropped from the journal (a reset): a dropped
/// partition takes no more records, so that the journal's count stays exact.
#[derive(Debug, Default)]
struct Chunks {
    chunks: VecDeque<VecDeque<Record>>,
    dropped: bool,
    /// How many times each modified record was modified, by sequence number: never more
    /// entries than records, as eviction drops those of the records it drops.
    modified: BTreeMap<u64, u32>,
}

/// A record's new content, for [`Partition::modify_recent`].
#[derive(Debug, Clone)]
pub struct Revision {
    /// The new message body: JSON text.
    pub content: Arc<str>,
    /// The new extension attributes: JSON text.
    pub ext: Option<Arc<str>>,
}

/// The records of one (provider, tenant).
#[derive(Debug)]
pub struct Partition {
    pub(super) provider: &'static str,
    pub(super) tenant: Arc<str>,
    chunks: Mutex<Chunks>,
    /// The sequence number of the oldest record, [`NONE`] when empty: read without the lock
    /// by eviction, which looks for the oldest record of all.
    head: AtomicU64,
    /// The sequence number after the newest record: read without the lock by waiters, which
    /// skip a partition where nothing arrived since their last look.
    next: AtomicU64,
    len: AtomicUsize,
    /// Whether the journal lists it; a partition is listed at its first append.
    pub(super) listed: AtomicBool,
}

impl Partition {
    /// An empty partition of `tenant` of `provider`, not yet listed in the journal.
    pub fn new(provider: &'static str, tenant: Arc<str>) -> Self {
        Self {
            provider,
            tenant,
            chunks: Mutex::new(Chunks::default()),
            head: AtomicU64::new(NONE),
            next: AtomicU64::new(0),
            len: AtomicUsize::new(0),
            listed: AtomicBool::new(false),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Chunks> {
        self.chunks
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// How many records it holds.
    pub fn len(&self) -> usize {
        self.len.load(Ordering::Relaxed)
    }

    /// Whether it holds no record.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub(super) fn head(&self) -> u64 {
        self.head.load(Ordering::Acquire)
    }

    pub(super) fn next(&self) -> u64 {
        self.next.load(Ordering::Acquire)
    }

    /// Appends `records` under one lock, numbering them from the block `reserve` hands out,
    /// so that a partition's records are always in sequence order. Returns whether it took
    /// them (a dropped partition does not).
    pub(super) fn push(
        &self,
        records: impl ExactSizeIterator<Item = Record>,
        reserve: impl FnOnce(usize) -> u64,
    ) -> bool {
        let mut guard = self.lock();
        if guard.dropped {
            return false;
        }
        let count = records.len();
        if count == 0 {
            return true;
        }
        let first = reserve(count);
        let chunks = &mut guard.chunks;
        if chunks.is_empty() {
            self.head.store(first, Ordering::Release);
        }
        for (seq, mut record) in (first..).zip(records) {
            record.seq = seq;
            match chunks.back_mut() {
                Some(chunk) if chunk.len() < CHUNK => chunk.push_back(record),
                _ => {
                    let mut chunk = VecDeque::with_capacity(CHUNK);
                    chunk.push_back(record);
                    chunks.push_back(chunk);
                }
            }
        }
        self.next.store(first + count as u64, Ordering::Release);
        self.len.fetch_add(count, Ordering::Relaxed);
        true
    }

    /// Takes it out of the journal: it takes no more records. Returns how many it held.
    pub(super) fn drop_out(&self) -> usize {
        let mut guard = self.lock();
        guard.dropped = true;
        self.len.load(Ordering::Relaxed)
    }

    /// Drops up to `at_most` of the oldest records, only those numbered below `before`.
    /// Returns how many were dropped.
    pub(super) fn evict(&self, at_most: usize, before: u64) -> usize {
        let mut guard = self.lock();
        let chunks = &mut guard.chunks;
        let mut dropped = 0;
        while dropped < at_most {
            let Some(front) = chunks.front_mut() else {
                break;
            };
            if front.front().is_none_or(|r| r.seq >= before) {
                break;
            }
            front.pop_front();
            dropped += 1;
            if front.is_empty() {
                chunks.pop_front();
            }
        }
        let head = chunks
            .front()
            .and_then(|c| c.front())
            .map_or(NONE, |r| r.seq);
        if guard
            .modified
            .first_key_value()
            .is_some_and(|(s, _)| *s < head)
        {
            guard.modified = guard.modified.split_off(&head);
        }
        self.head.store(head, Ordering::Release);
        self.len.fetch_sub(dropped, Ordering::Relaxed);
        dropped
    }

    /// Visits the records numbered `after` or later, oldest first, each with how many times
    /// it was modified, and returns the number after the newest record it holds: where the
    /// next visit starts.
    pub fn each_from(&self, after: u64, mut visit: impl FnMut(&Record, u32)) -> u64 {
        let guard = self.lock();
        let (chunks, modified) = (&guard.chunks, &guard.modified);
        let first = chunks.partition_point(|c| c.back().is_some_and(|r| r.seq < after));
        for chunk in chunks.range(first..) {
            let start = chunk.partition_point(|r| r.seq < after);
            for record in chunk.range(start..) {
                visit(record, modified.get(&record.seq).copied().unwrap_or(0));
            }
        }
        let newest = chunks.back().and_then(|c| c.back());
        newest.map_or(after, |r| after.max(r.seq + 1))
    }

    /// The number the next record appended will have at the earliest: records numbered
    /// below it are the ones it holds now.
    pub fn next_seq(&self) -> u64 {
        self.next()
    }

    /// Walks records from the newest back while `keep_going` holds, and applies `f` to the
    /// first one that `is_target` picks. Returns what `f` returned, if a record was found.
    pub fn update_recent<R>(
        &self,
        keep_going: impl Fn(&Record) -> bool,
        is_target: impl Fn(&Record) -> bool,
        f: impl FnOnce(&mut Record) -> R,
    ) -> Option<R> {
        let mut guard = self.lock();
        let found = guard
            .chunks
            .iter_mut()
            .rev()
            .flat_map(|chunk| chunk.iter_mut().rev())
            .take_while(|r| keep_going(r))
            .find(|r| is_target(r))?;
        Some(f(found))
    }

    /// Walks records from the newest back while `keep_going` holds, and lets `edit` look at
    /// the first one that `is_target` picks, with how many times it was modified. When `edit`
    /// gives a [`Revision`], the record takes its content and ext and counts one modification
    /// more. Returns what `edit` returned with the record's modification count after it, if a
    /// record was found.
    pub fn modify_recent<E>(
        &self,
        keep_going: impl Fn(&Record) -> bool,
        is_target: impl Fn(&Record) -> bool,
        edit: impl FnOnce(&Record, u32) -> Result<Revision, E>,
    ) -> Option<Result<u32, E>> {
        let mut guard = self.lock();
        let Chunks {
            chunks, modified, ..
        } = &mut *guard;
        let found = chunks
            .iter_mut()
            .rev()
            .flat_map(|chunk| chunk.iter_mut().rev())
            .take_while(|r| keep_going(r))
            .find(|r| is_target(r))?;
        let times = modified.get(&found.seq).copied().unwrap_or(0);
        Some(edit(found, times).map(|revision| {
            found.content = revision.content;
            found.ext = revision.ext;
            modified.insert(found.seq, times + 1);
            times + 1
        }))
    }
}

impl Partition {
    /// A copy of every record it holds, oldest first, each with how many times it was
    /// modified: what a state document keeps of it.
    pub(super) fn dump(&self) -> Vec<(Record, u32)> {
        let guard = self.lock();
        let records = guard.chunks.iter().flatten();
        records
            .map(|r| (r.clone(), guard.modified.get(&r.seq).copied().unwrap_or(0)))
            .collect()
    }

    /// A listed partition holding `records` (numbered already, in increasing order), each
    /// with its modification count: the partition a state document describes.
    pub(super) fn load(
        provider: &'static str,
        tenant: Arc<str>,
        records: Vec<(Record, u32)>,
    ) -> Self {
        let part = Self::new(provider, tenant);
        let mut guard = part.lock();
        let count = records.len();
        let mut first_last = None;
        for (record, modified) in records {
            let seq = record.seq;
            first_last = Some((first_last.map_or(seq, |(f, _)| f), seq));
            if modified > 0 {
                guard.modified.insert(seq, modified);
            }
            match guard.chunks.back_mut() {
                Some(chunk) if chunk.len() < CHUNK => chunk.push_back(record),
                _ => {
                    let mut chunk = VecDeque::with_capacity(CHUNK);
                    chunk.push_back(record);
                    guard.chunks.push_back(chunk);
                }
            }
        }
        drop(guard);
        if let Some((first, last)) = first_last {
            part.head.store(first, Ordering::Release);
            part.next.store(last + 1, Ordering::Release);
        }
        part.len.store(count, Ordering::Relaxed);
        part.listed.store(true, Ordering::Release);
        part
    }
}
