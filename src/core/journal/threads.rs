//! Conversations as a person reads them: the journal's records of one tenant gathered into
//! threads, whichever direction a message went. A one-to-one thread is the pair of users
//! (the providers name each direction differently: Yunxin's `alice|1|bob` and `bob|1|alice`,
//! Easemob's recipient); a group or room thread is its group; any other (an AnqiCMS order, an
//! OpenIM notification) is the provider's conversation. A thread's key is a JSON array text,
//! `["single","alice","bob"]` (the pair in string order), `["group","g1"]`, `["order","17"]`.

use super::partition::Partition;
use super::record::{ChatType, Entry, Record};
use std::collections::HashMap;
use std::hash::BuildHasher;
use std::sync::Arc;

/// The most members a conversation summary names.
const MEMBERS_SHOWN: usize = 20;

/// Which thread a record belongs to: its chat type and one or two names, borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Parts<'a>(&'static str, &'a str, &'a str);

fn parts(r: &Record) -> Parts<'_> {
    match r.chat_type {
        ChatType::Single if *r.from <= *r.to => Parts("single", &r.from, &r.to),
        ChatType::Single => Parts("single", &r.to, &r.from),
        ChatType::Group | ChatType::Room => Parts(r.chat_type.as_str(), &r.to, ""),
        other => Parts(other.as_str(), r.conversation(), ""),
    }
}

/// A thread's key, as a client names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadKey {
    kind: String,
    first: String,
    second: String,
}

impl ThreadKey {
    /// The key of a JSON array text: a chat type and its one (two for `single`) names.
    pub fn parse(text: &str) -> Result<Self, String> {
        let names: Vec<String> = serde_json::from_str(text)
            .map_err(|_| "a thread key is a JSON array of strings".to_owned())?;
        match names.as_slice() {
            [kind, a, b] if kind == "single" => Ok(Self::new(kind, a, b)),
            [kind, id] if kind != "single" && !kind.is_empty() => Ok(Self::new(kind, id, "")),
            _ => Err(r#"a thread key is ["single",user,user] or [chat_type,id]"#.to_owned()),
        }
    }

    fn new(kind: &str, a: &str, b: &str) -> Self {
        let (first, second) = if b.is_empty() || a <= b {
            (a, b)
        } else {
            (b, a)
        };
        Self {
            kind: kind.to_owned(),
            first: first.to_owned(),
            second: second.to_owned(),
        }
    }

    fn of(p: Parts<'_>) -> Self {
        Self::new(p.0, p.1, p.2)
    }

    fn matches(&self, r: &Record) -> bool {
        let Parts(kind, first, second) = parts(r);
        self.kind == kind && self.first == first && self.second == second
    }

    /// The JSON array text.
    pub fn text(&self) -> String {
        let names: Vec<&str> = match self.kind.as_str() {
            "single" => vec![&self.kind, &self.first, &self.second],
            _ => vec![&self.kind, &self.first],
        };
        serde_json::to_string(&names).unwrap_or_default()
    }
}

/// One thread of a tenant, summarised.
#[derive(Debug)]
pub struct Summary {
    pub key: ThreadKey,
    pub chat_type: &'static str,
    /// The provider's conversation id of its first message held, and its recipient.
    pub conversation: String,
    pub to: String,
    /// Its users: the pair, or a group's senders (the first [`MEMBERS_SHOWN`]).
    pub members: Vec<String>,
    pub messages: usize,
    /// Its newest record.
    pub last: Option<Entry>,
    last_seq: u64,
}

impl Summary {
    fn new(r: &Record, p: Parts<'_>) -> Self {
        let members = match p.0 {
            "single" => vec![p.1.to_owned(), p.2.to_owned()],
            _ => vec![r.from.to_string()],
        };
        Self {
            key: ThreadKey::of(p),
            chat_type: r.chat_type.as_str(),
            conversation: r.conversation().to_owned(),
            to: r.to.to_string(),
            members,
            messages: 0,
            last: None,
            last_seq: r.seq,
        }
    }

    fn add(&mut self, r: &Record) {
        self.messages += 1;
        self.last_seq = r.seq;
        let known = self.members.iter().any(|m| **m == *r.from);
        if !known && self.members.len() < MEMBERS_SHOWN {
            self.members.push(r.from.to_string());
        }
    }

    /// Whether `q` (lower case) is part of a member's name, the recipient or the conversation.
    fn mentions(&self, q: &str) -> bool {
        let has = |s: &str| s.to_lowercase().contains(q);
        has(&self.conversation) || has(&self.to) || self.members.iter().any(|m| has(m))
    }
}

/// A page of a tenant's threads, newest activity first, and how many there are in all.
#[derive(Debug, Default)]
pub struct Threads {
    pub threads: Vec<Summary>,
    pub total: usize,
}

/// The threads of `partitions` (one tenant's), newest activity first, those mentioning `q`
/// when given (any case), `limit` of them after the first `offset`.
pub fn summarise(
    partitions: &[Arc<Partition>],
    q: Option<&str>,
    offset: usize,
    limit: usize,
) -> Threads {
    let mut all: Vec<Summary> = Vec::new();
    // Threads by the hash of their parts; a rare collision is told apart by comparing keys.
    let mut index: HashMap<u64, Vec<usize>> = HashMap::new();
    let hasher = std::collections::hash_map::RandomState::new();
    for part in partitions {
        part.each_from(0, |r, _| {
            let p = parts(r);
            let slots = index.entry(hasher.hash_one(p)).or_default();
            let found = slots.iter().copied().find(|&i| all[i].key.matches(r));
            let i = found.unwrap_or_else(|| {
                all.push(Summary::new(r, p));
                slots.push(all.len() - 1);
                all.len() - 1
            });
            all[i].add(r);
        });
    }
    if let Some(q) = q.map(str::to_lowercase).filter(|q| !q.is_empty()) {
        all.retain(|s| s.mentions(&q));
    }
    all.sort_unstable_by_key(|s| std::cmp::Reverse(s.last_seq));
    let total = all.len();
    let mut threads: Vec<Summary> = all.into_iter().skip(offset).take(limit).collect();
    fill_last(partitions, &mut threads);
    Threads { threads, total }
}

/// Copies each summary's newest record, reading from the oldest of them on.
fn fill_last(partitions: &[Arc<Partition>], threads: &mut [Summary]) {
    let Some(oldest) = threads.iter().map(|s| s.last_seq).min() else {
        return;
    };
    let wanted: HashMap<u64, usize> = threads
        .iter()
        .enumerate()
        .map(|(i, s)| (s.last_seq, i))
        .collect();
    for part in partitions {
        part.each_from(oldest, |r, modified| {
            if let Some(&i) = wanted.get(&r.seq) {
                threads[i].last = Some(entry(part, r, modified));
            }
        });
    }
}

fn entry(part: &Partition, r: &Record, modified: u32) -> Entry {
    Entry {
        provider: part.provider,
        tenant: part.tenant.clone(),
        record: r.clone(),
        modified: modified > 0,
    }
}

/// The newest `limit` records of a thread numbered below `before`, oldest first.
#[derive(Debug, Default)]
pub struct Page {
    pub entries: Vec<Entry>,
    /// The thread's records in all.
    pub total: usize,
    /// Whether older records of the thread are held.
    pub more: bool,
}

/// The page of the thread `key` in `partitions` ending before `before` (the newest when
/// `None`), at most `limit` records.
pub fn page(
    partitions: &[Arc<Partition>],
    key: &ThreadKey,
    before: Option<u64>,
    limit: usize,
) -> Page {
    let before = before.unwrap_or(u64::MAX);
    let mut seqs = Vec::new();
    let mut total = 0;
    for part in partitions {
        part.each_from(0, |r, _| {
            if key.matches(r) {
                total += 1;
                if r.seq < before {
                    seqs.push(r.seq);
                }
            }
        });
    }
    seqs.sort_unstable();
    let first = seqs.len().saturating_sub(limit);
    let Some(&start) = seqs.get(first) else {
        return Page {
            total,
            ..Page::default()
        };
    };
    let mut entries = Vec::with_capacity(seqs.len() - first);
    for part in partitions {
        part.each_from(start, |r, modified| {
            if r.seq < before && key.matches(r) {
                entries.push(entry(part, r, modified));
            }
        });
    }
    entries.sort_unstable_by_key(|e| e.record.seq);
    Page {
        entries,
        total,
        more: first > 0,
    }
}
