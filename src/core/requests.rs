//! The request log: every call to a provider route, newest last, with what it asked and what
//! it was answered, so that a developer can read why a client got an error. Kept in a few
//! shards by sequence number, so that concurrent calls rarely share a lock; bounded by a count
//! (`--max-requests`, 0: none kept) and by the bytes of the bodies it keeps, the oldest evicted
//! first and counted.

use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};
use actix_web::http::Method;
use actix_web::web::Bytes;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::Notify;

/// The most bytes of each body kept; the rest is cut and the cut marked.
pub const BODY_KEPT: usize = 64 * 1024;
/// The most body bytes the whole log keeps by default.
pub const DEFAULT_MAX_BYTES: usize = 64 * 1024 * 1024;
const SHARDS: usize = 8;

/// The provider's own error, as the provider's error catalogue tagged its answer.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Failure {
    /// The numeric code (`errCode`, `code`, Easemob's `error_code`), when the envelope has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<i64>,
    /// The error's name (`illegal_argument`, `ArgsError`, `parameter error`, ...).
    pub name: String,
    /// Its description, as the envelope gives it.
    pub message: String,
}

/// The request body a provider read, left on the request for the log.
#[derive(Debug, Clone)]
pub struct ReadBody(pub Bytes);

/// A body as the log keeps it: at most [`BODY_KEPT`] bytes of it.
#[derive(Debug, Clone)]
pub struct Kept {
    pub bytes: Bytes,
    /// The whole body's length.
    pub len: usize,
}

impl Kept {
    /// The first [`BODY_KEPT`] bytes of `body`, copied when cut, so that a huge body is not
    /// held by the log.
    pub fn of(body: &Bytes) -> Self {
        let bytes = if body.len() > BODY_KEPT {
            Bytes::copy_from_slice(&body[..BODY_KEPT])
        } else {
            body.clone()
        };
        Self {
            bytes,
            len: body.len(),
        }
    }

    /// Whether the body was cut.
    pub fn truncated(&self) -> bool {
        self.len > self.bytes.len()
    }
}

/// One call, as logged.
#[derive(Debug)]
pub struct Logged {
    pub seq: u64,
    /// The emulator's clock when the call arrived.
    pub at_ms: i64,
    pub provider: &'static str,
    pub tenant: Option<Box<str>>,
    pub method: Method,
    pub path: Box<str>,
    pub query: Box<str>,
    /// The answer's status; 0 when the connection was closed unanswered.
    pub status: u16,
    pub failure: Option<Failure>,
    pub duration_us: u64,
    /// The request headers, credentials masked.
    pub headers: Vec<(HeaderName, HeaderValue)>,
    pub request: Option<Kept>,
    /// The answer's body; `None` for a streamed one.
    pub response: Option<Kept>,
    /// The fault rule that answered instead of the provider, by id.
    pub fault: Option<u64>,
}

impl Logged {
    fn bytes(&self) -> usize {
        let body = |k: &Option<Kept>| k.as_ref().map_or(0, |k| k.bytes.len());
        body(&self.request) + body(&self.response) + self.path.len() + self.query.len()
    }
}

#[derive(Debug, Default)]
struct Shard {
    entries: VecDeque<Arc<Logged>>,
    bytes: usize,
    /// Entries evicted, by provider.
    evicted_by: Vec<(&'static str, u64)>,
}

/// What the log holds of one provider.
#[derive(Debug, Default, Clone, Copy, serde::Serialize)]
pub struct ProviderCounts {
    pub stored: usize,
    pub failed: usize,
    pub evicted: u64,
    pub bytes: usize,
}

/// Every call to a provider route, up to its bounds.
#[derive(Debug)]
pub struct RequestLog {
    shards: Vec<Mutex<Shard>>,
    seq: AtomicU64,
    evicted: AtomicU64,
    /// The most entries kept (0: the log keeps none).
    max: usize,
    max_bytes: usize,
    /// Readers waiting for the next entry; entries ring [`Self::bell`] only when there are some.
    listening: AtomicUsize,
    bell: Notify,
}

/// How many entries the log holds and has evicted, and its bounds.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Counts {
    pub stored: usize,
    pub evicted: u64,
    pub max: usize,
    pub bytes: usize,
    pub max_bytes: usize,
}

/// Header names whose values are credentials.
const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "token",
    "cookie",
    "checksum",
    "appsecret",
    "x-admin-token",
    "proxy-authorization",
];

/// `value` with its credential hidden: a scheme word (`Bearer`) stays, the rest is masked.
fn masked(name: &HeaderName, value: &HeaderValue) -> HeaderValue {
    if !SECRET_HEADERS.contains(&name.as_str()) {
        return value.clone();
    }
    match value.to_str().ok().and_then(|v| v.split_once(' ')) {
        Some((scheme, _)) if name == "authorization" => {
            HeaderValue::from_str(&format!("{scheme} ***"))
                .unwrap_or_else(|_| HeaderValue::from_static("***"))
        }
        _ => HeaderValue::from_static("***"),
    }
}

/// The headers of a request as the log keeps them: credentials masked.
pub fn kept_headers(headers: &HeaderMap) -> Vec<(HeaderName, HeaderValue)> {
    headers
        .iter()
        .map(|(n, v)| (n.clone(), masked(n, v)))
        .collect()
}

impl RequestLog {
    /// A log of at most `max` entries (0: none kept) and `max_bytes` body bytes.
    pub fn new(max: usize, max_bytes: usize) -> Self {
        Self {
            // Never more shards than entries: each keeps at least one, and all keep at most `max`.
            shards: (0..SHARDS.min(max).max(1))
                .map(|_| Mutex::default())
                .collect(),
            seq: AtomicU64::new(0),
            evicted: AtomicU64::new(0),
            max,
            max_bytes,
            listening: AtomicUsize::new(0),
            bell: Notify::new(),
        }
    }

    /// Whether calls are logged at all.
    pub fn enabled(&self) -> bool {
        self.max > 0
    }

    /// The next sequence number, for an entry about to be made.
    pub fn next_seq(&self) -> u64 {
        self.seq.fetch_add(1, Ordering::Relaxed) + 1
    }

    fn shard(&self, i: usize) -> MutexGuard<'_, Shard> {
        self.shards[i].lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Keeps `entry`, evicting the oldest of its shard past the bounds, and wakes readers.
    pub fn push(&self, entry: Logged) {
        if !self.enabled() {
            return;
        }
        let shards = self.shards.len();
        let (max, max_bytes) = (self.max / shards, self.max_bytes / shards);
        let mut shard = self.shard(entry.seq as usize % shards);
        shard.bytes += entry.bytes();
        shard.entries.push_back(Arc::new(entry));
        let mut evicted = 0;
        while shard.entries.len() > max || (shard.bytes > max_bytes && shard.entries.len() > 1) {
            let Some(old) = shard.entries.pop_front() else {
                break;
            };
            shard.bytes -= old.bytes();
            evicted += 1;
            match shard
                .evicted_by
                .iter_mut()
                .find(|(p, _)| *p == old.provider)
            {
                Some((_, n)) => *n += 1,
                None => shard.evicted_by.push((old.provider, 1)),
            }
        }
        drop(shard);
        if evicted > 0 {
            self.evicted.fetch_add(evicted, Ordering::Relaxed);
        }
        if self.listening.load(Ordering::SeqCst) > 0 {
            self.bell.notify_waiters();
        }
    }

    /// Wakes the readers without an entry (a call the log does not keep, an admin write), so
    /// that live subscribers look at the journal.
    pub fn ring(&self) {
        if self.listening.load(Ordering::SeqCst) > 0 {
            self.bell.notify_waiters();
        }
    }

    /// The entries after `after` that `pick` keeps, oldest first: the first `limit` of them
    /// when `oldest`, else the last `limit`; and how many matched in all.
    pub fn read(
        &self,
        after: u64,
        limit: usize,
        oldest: bool,
        pick: impl Fn(&Logged) -> bool,
    ) -> (Vec<Arc<Logged>>, usize) {
        let mut found = Vec::new();
        for i in 0..self.shards.len() {
            let shard = self.shard(i);
            let start = shard.entries.partition_point(|e| e.seq <= after);
            found.extend(shard.entries.range(start..).filter(|e| pick(e)).cloned());
        }
        found.sort_unstable_by_key(|e| e.seq);
        let total = found.len();
        if oldest {
            found.truncate(limit);
        } else {
            found.drain(..total.saturating_sub(limit));
        }
        (found, total)
    }

    /// The sequence number of the oldest entry kept (that of the next one when empty).
    pub fn oldest_seq(&self) -> u64 {
        (0..self.shards.len())
            .filter_map(|i| self.shard(i).entries.front().map(|e| e.seq))
            .min()
            .unwrap_or_else(|| self.seq.load(Ordering::Relaxed) + 1)
    }

    /// The sequence number of the newest entry made.
    pub fn last_seq(&self) -> u64 {
        self.seq.load(Ordering::Relaxed)
    }

    /// A reader listening for the entries pushed from now on: take it before reading, then
    /// wait on it, so that nothing pushed in between is missed.
    pub fn listen(&self) -> Listener<'_> {
        let notified = self.bell.notified();
        self.listening.fetch_add(1, Ordering::SeqCst);
        Listener {
            notified,
            _listening: Listening(&self.listening),
        }
    }

    /// Forgets every entry.
    pub fn clear(&self) {
        for i in 0..self.shards.len() {
            let mut shard = self.shard(i);
            shard.entries.clear();
            shard.bytes = 0;
        }
    }

    /// What the log holds of `provider`.
    pub fn provider_counts(&self, provider: &str) -> ProviderCounts {
        let mut counts = ProviderCounts::default();
        for i in 0..self.shards.len() {
            let shard = self.shard(i);
            for e in shard.entries.iter().filter(|e| e.provider == provider) {
                counts.stored += 1;
                counts.failed += usize::from(e.failure.is_some());
                counts.bytes += e.bytes();
            }
            let evicted = shard.evicted_by.iter().find(|(p, _)| *p == provider);
            counts.evicted += evicted.map_or(0, |(_, n)| *n);
        }
        counts
    }

    /// What the log holds, and its bounds.
    pub fn counts(&self) -> Counts {
        let (mut stored, mut bytes) = (0, 0);
        for i in 0..self.shards.len() {
            let shard = self.shard(i);
            stored += shard.entries.len();
            bytes += shard.bytes;
        }
        Counts {
            stored,
            evicted: self.evicted.load(Ordering::Relaxed),
            max: self.max,
            bytes,
            max_bytes: self.max_bytes,
        }
    }
}

/// A reader that will be woken by the next entry.
pub struct Listener<'a> {
    notified: tokio::sync::futures::Notified<'a>,
    _listening: Listening<'a>,
}

impl Listener<'_> {
    /// Completes when an entry has been pushed since [`RequestLog::listen`] (or spuriously).
    pub async fn pushed(self) {
        self.notified.await;
    }
}

/// Counts a reader as listening for as long as it lives.
struct Listening<'a>(&'a AtomicUsize);

impl Drop for Listening<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}
