//! The attempts store: every attempt to deliver a callback, newest last, bounded by a count
//! (`--max-callbacks`) and by the bytes of the bodies it keeps, the oldest evicted first and
//! counted; readers may wait for the next attempt.

use super::{Attempt, Outcome};
use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::Notify;

/// The most body bytes the store keeps by default.
pub const DEFAULT_MAX_BYTES: usize = 16 * 1024 * 1024;

#[derive(Debug, Default)]
struct Ring {
    entries: VecDeque<Arc<Attempt>>,
    bytes: usize,
    last_id: u64,
    evicted: u64,
    outcomes: Outcomes,
}

/// How many attempts the store holds and has evicted, its bound, and how every attempt made
/// since the start ended.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Counts {
    pub stored: usize,
    pub evicted: u64,
    pub max: usize,
    pub bytes: usize,
    pub outcomes: Outcomes,
}

/// Attempts made since the start, by outcome (kept or not).
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct Outcomes {
    pub delivered: u64,
    pub rejected: u64,
    pub timeout: u64,
    pub failed: u64,
    pub dropped: u64,
}

impl Outcomes {
    fn count(&mut self, outcome: Outcome) {
        let n = match outcome {
            Outcome::Delivered => &mut self.delivered,
            Outcome::Rejected => &mut self.rejected,
            Outcome::Timeout => &mut self.timeout,
            Outcome::Failed => &mut self.failed,
            Outcome::Dropped => &mut self.dropped,
        };
        *n += 1;
    }
}

/// What one reader asks of the store.
pub struct Pick<'a> {
    pub provider: Option<&'a str>,
    pub tenant: Option<&'a str>,
    pub event: Option<&'a str>,
    pub outcome: Option<Outcome>,
    pub after: u64,
}

impl Pick<'_> {
    fn keeps(&self, a: &Attempt) -> bool {
        let d = &a.delivery;
        a.id > self.after
            && self.provider.is_none_or(|p| p == d.provider)
            && self.tenant.is_none_or(|t| t == &*d.tenant)
            && self.event.is_none_or(|e| e == d.event)
            && self.outcome.is_none_or(|o| o == a.outcome)
    }
}

/// Every attempt kept, up to the bounds.
#[derive(Debug)]
pub struct Store {
    ring: Mutex<Ring>,
    max: usize,
    max_bytes: usize,
    listening: AtomicUsize,
    bell: Notify,
}

impl Store {
    /// A store of at most `max` attempts and `max_bytes` body bytes.
    pub fn new(max: usize, max_bytes: usize) -> Self {
        Self {
            ring: Mutex::default(),
            max,
            max_bytes,
            listening: AtomicUsize::new(0),
            bell: Notify::new(),
        }
    }

    fn ring(&self) -> MutexGuard<'_, Ring> {
        self.ring.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Keeps the attempt `make` builds with the next id, evicting the oldest past the bounds,
    /// and wakes readers.
    pub fn push(&self, make: impl FnOnce(u64) -> Attempt) {
        let mut ring = self.ring();
        ring.last_id += 1;
        let attempt = make(ring.last_id);
        ring.outcomes.count(attempt.outcome);
        if self.max > 0 {
            ring.bytes += attempt.bytes();
            ring.entries.push_back(Arc::new(attempt));
        }
        while ring.entries.len() > self.max
            || (ring.bytes > self.max_bytes && ring.entries.len() > 1)
        {
            let Some(old) = ring.entries.pop_front() else {
                break;
            };
            ring.bytes -= old.bytes();
            ring.evicted += 1;
        }
        drop(ring);
        if self.listening.load(Ordering::SeqCst) > 0 {
            self.bell.notify_waiters();
        }
    }

    /// The attempts `pick` keeps, oldest first: the last `limit` of them (the first `limit`
    /// when reading after an id), and how many matched in all.
    pub fn read(&self, pick: &Pick<'_>, limit: usize) -> (Vec<Arc<Attempt>>, usize) {
        let ring = self.ring();
        let mut found: Vec<_> = ring
            .entries
            .iter()
            .filter(|a| pick.keeps(a))
            .cloned()
            .collect();
        let total = found.len();
        if pick.after > 0 {
            found.truncate(limit);
        } else {
            found.drain(..total.saturating_sub(limit));
        }
        (found, total)
    }

    /// An attempt of the callback `callback`, while one is kept.
    pub fn of_callback(&self, callback: u64) -> Option<Arc<Attempt>> {
        let ring = self.ring();
        ring.entries
            .iter()
            .find(|a| a.callback == callback)
            .cloned()
    }

    /// Completes when an attempt is pushed after the call (or spuriously); take it before
    /// reading, then await it, so that nothing pushed in between is missed.
    pub fn listen(&self) -> impl std::future::Future<Output = ()> + '_ {
        let notified = self.bell.notified();
        self.listening.fetch_add(1, Ordering::SeqCst);
        let guard = Listening(&self.listening);
        async move {
            let _guard = guard;
            notified.await;
        }
    }

    /// Forgets every attempt (ids go on).
    pub fn clear(&self) {
        let mut ring = self.ring();
        ring.entries.clear();
        ring.bytes = 0;
    }

    /// The id of the oldest attempt kept; one past the newest when none is.
    pub fn oldest_id(&self) -> u64 {
        let ring = self.ring();
        ring.entries.front().map_or(ring.last_id + 1, |a| a.id)
    }

    /// The id of the newest attempt made.
    pub fn last_id(&self) -> u64 {
        self.ring().last_id
    }

    /// What the store holds, and its bound.
    pub fn counts(&self) -> Counts {
        let ring = self.ring();
        Counts {
            stored: ring.entries.len(),
            evicted: ring.evicted,
            max: self.max,
            bytes: ring.bytes,
            outcomes: ring.outcomes,
        }
    }
}

/// Counts a reader as listening for as long as it lives.
struct Listening<'a>(&'a AtomicUsize);

impl Drop for Listening<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}
