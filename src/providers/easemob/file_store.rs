//! A tenant's chat files, in order of upload: files past their retention on the clock are
//! dropped (their ids remembered, a bounded number of them, so that a download still answers
//! `file_expired`), and the bytes kept are bounded, the oldest files going first.

use actix_web::web::Bytes;
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Mutex, MutexGuard};
use uuid::Uuid;

/// An uploaded file.
#[derive(Debug, Clone)]
pub struct ChatFile {
    pub bytes: Bytes,
    pub content_type: Option<Box<str>>,
    pub secret: Box<str>,
    pub restricted: bool,
    pub uploaded_ms: i64,
}

/// What the store holds and has dropped.
#[derive(Debug, Default, Clone, Copy)]
pub struct FileCounts {
    pub files: usize,
    pub bytes: u64,
    pub dropped: u64,
}

/// How many ids of expired files are remembered.
const EXPIRED_IDS: usize = 4096;

#[derive(Debug, Default)]
struct Files {
    by_id: HashMap<Uuid, ChatFile>,
    order: VecDeque<Uuid>,
    counts: FileCounts,
    expired: HashSet<Uuid>,
    expired_order: VecDeque<Uuid>,
}

/// A tenant's chat files.
#[derive(Debug, Default)]
pub struct FileStore {
    files: Mutex<Files>,
}

/// What a lookup found.
pub enum Lookup {
    Found(ChatFile),
    Expired,
    Missing,
}

impl FileStore {
    fn lock(&self) -> MutexGuard<'_, Files> {
        self.files.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Stores `file` as `id`, first dropping expired files (older than `retention_ms` at
    /// `now_ms`; 0 keeps them) and then the oldest until it fits in `max_bytes`.
    pub fn insert(&self, id: Uuid, file: ChatFile, now_ms: i64, retention_ms: i64, max_bytes: u64) {
        let mut files = self.lock();
        files.drop_expired(now_ms, retention_ms);
        let size = file.bytes.len() as u64;
        while files.counts.bytes + size > max_bytes && files.drop_oldest() {}
        files.counts.bytes += size;
        files.counts.files += 1;
        files.order.push_back(id);
        files.by_id.insert(id, file);
    }

    /// The file `id`, unless missing or past its retention (then dropped).
    pub fn get(&self, id: &Uuid, now_ms: i64, retention_ms: i64) -> Lookup {
        let mut files = self.lock();
        files.drop_expired(now_ms, retention_ms);
        match files.by_id.get(id) {
            Some(file) if expired(file, now_ms, retention_ms) => {
                files.expire(id);
                Lookup::Expired
            }
            Some(file) => Lookup::Found(file.clone()),
            None if files.expired.contains(id) => Lookup::Expired,
            None => Lookup::Missing,
        }
    }

    /// What it holds and has dropped.
    pub fn counts(&self) -> FileCounts {
        self.lock().counts
    }
}

fn expired(file: &ChatFile, now_ms: i64, retention_ms: i64) -> bool {
    retention_ms > 0 && now_ms.saturating_sub(file.uploaded_ms) > retention_ms
}

impl Files {
    /// Drops the files uploaded first while they are past their retention.
    fn drop_expired(&mut self, now_ms: i64, retention_ms: i64) {
        while let Some(id) = self.order.front().copied() {
            match self.by_id.get(&id) {
                Some(file) if !expired(file, now_ms, retention_ms) => return,
                _ => self.expire(&id),
            }
        }
    }

    /// Drops an expired file and remembers its id.
    fn expire(&mut self, id: &Uuid) {
        self.remove(id);
        if self.expired_order.len() >= EXPIRED_IDS {
            if let Some(old) = self.expired_order.pop_front() {
                self.expired.remove(&old);
            }
        }
        if self.expired.insert(*id) {
            self.expired_order.push_back(*id);
        }
    }

    fn drop_oldest(&mut self) -> bool {
        match self.order.front().copied() {
            Some(id) => {
                self.remove(&id);
                true
            }
            None => false,
        }
    }

    fn remove(&mut self, id: &Uuid) {
        if let Some(at) = self.order.iter().position(|o| o == id) {
            self.order.remove(at);
        }
        if let Some(file) = self.by_id.remove(id) {
            self.counts.bytes -= file.bytes.len() as u64;
            self.counts.files -= 1;
            self.counts.dropped += 1;
        }
    }
}
