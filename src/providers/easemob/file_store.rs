//! A tenant's chat files, in order of upload: files past their retention on the clock are
//! dropped (their ids remembered, a bounded number of them, so that a download still answers
//! `file_expired`), and the bytes kept are bounded, the oldest files going first.

use actix_web::web::Bytes;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::{Deserialize, Serialize};
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

/// A tenant's files as a state snapshot keeps them: in order of upload, the bytes in base64,
/// with the remembered ids of expired files and the count of files dropped.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FilesRecord {
    files: Vec<FileRecord>,
    expired: Vec<Uuid>,
    dropped: u64,
}

/// One file of a [`FilesRecord`].
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileRecord {
    uuid: Uuid,
    content_type: Option<Box<str>>,
    secret: Box<str>,
    restricted: bool,
    uploaded_ms: i64,
    base64: String,
}

impl FilesRecord {
    /// The UUIDs of its files, expired ones included.
    pub fn uuids(&self) -> impl Iterator<Item = &Uuid> {
        self.files.iter().map(|f| &f.uuid).chain(&self.expired)
    }
}

impl FileStore {
    /// What it holds, for a snapshot.
    pub fn export(&self) -> FilesRecord {
        let files = self.lock();
        let record = |id: &Uuid| {
            let f = files.by_id.get(id)?;
            Some(FileRecord {
                uuid: *id,
                content_type: f.content_type.clone(),
                secret: f.secret.clone(),
                restricted: f.restricted,
                uploaded_ms: f.uploaded_ms,
                base64: STANDARD.encode(&f.bytes),
            })
        };
        FilesRecord {
            files: files.order.iter().filter_map(record).collect(),
            expired: files.expired_order.iter().copied().collect(),
            dropped: files.counts.dropped,
        }
    }

    /// A store holding `record`; refused when a file is over `max_file_bytes` (0: no bound),
    /// the files over `max_bytes` (as the store keeps them: a lone file may be), or an id is
    /// listed twice.
    pub fn import(
        record: FilesRecord,
        max_file_bytes: u32,
        max_bytes: u64,
    ) -> Result<Self, String> {
        if record.expired.len() > EXPIRED_IDS {
            return Err(format!("over {EXPIRED_IDS} expired file ids"));
        }
        let mut files = Files {
            counts: FileCounts {
                dropped: record.dropped,
                ..FileCounts::default()
            },
            ..Files::default()
        };
        let count = record.files.len();
        for f in record.files {
            let bytes = STANDARD
                .decode(&f.base64)
                .map_err(|e| format!("file {}: base64: {e}", f.uuid))?;
            if max_file_bytes > 0 && bytes.len() > max_file_bytes as usize {
                return Err(format!("file {}: over {max_file_bytes} bytes", f.uuid));
            }
            files.counts.bytes += bytes.len() as u64;
            files.counts.files += 1;
            files.order.push_back(f.uuid);
            let file = ChatFile {
                bytes: bytes.into(),
                content_type: f.content_type,
                secret: f.secret,
                restricted: f.restricted,
                uploaded_ms: f.uploaded_ms,
            };
            if files.by_id.insert(f.uuid, file).is_some() {
                return Err(format!("file {} is listed twice", f.uuid));
            }
        }
        if count > 1 && files.counts.bytes > max_bytes {
            return Err(format!(
                "{} bytes of files, over {max_bytes}",
                files.counts.bytes
            ));
        }
        for id in record.expired {
            if files.by_id.contains_key(&id) || !files.expired.insert(id) {
                return Err(format!("expired file {id} is listed twice"));
            }
            files.expired_order.push_back(id);
        }
        Ok(Self {
            files: Mutex::new(files),
        })
    }
}
