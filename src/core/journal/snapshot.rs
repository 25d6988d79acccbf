//! The journal in a state document: every record of every partition with its number, the
//! journal-wide sequence, the eviction count and each record's modification count. Restored,
//! the journal reads as it did, new records continue its numbering, and each provider tenant
//! made afterwards takes back its own partition ([`Journal::partition`]).

use super::partition::Partition;
use super::record::{ChatType, MessageId, MessageType, Record};
use super::Journal;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

/// The most distinct message type names a restored journal may bring (names are kept for
/// the life of the process).
const MAX_TYPE_NAMES: usize = 256;

/// The journal's part of a state document.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JournalState {
    /// How many records were ever appended: the number of the next one.
    pub seq: u64,
    /// How many records were evicted by the bound.
    pub evicted: u64,
    pub partitions: Vec<PartitionState>,
}

/// The records of one (provider, tenant), oldest first.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartitionState {
    pub provider: String,
    pub tenant: String,
    pub records: Vec<RecordState>,
}

/// One record, every field as stored.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordState {
    pub seq: u64,
    pub id: IdState,
    pub chat_type: String,
    pub from: String,
    pub to: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation: Option<String>,
    #[serde(rename = "type")]
    pub kind: TypeState,
    /// The body as the client sent it: JSON text, kept as text so that it reads back
    /// byte for byte.
    pub content: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ext: Option<String>,
    pub received_at_ms: i64,
    #[serde(default)]
    pub recalled: bool,
    /// How many times the content was modified after delivery.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub modified: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// A message id and the form the provider's client sees it in.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", deny_unknown_fields)]
pub enum IdState {
    Decimal(u64),
    Number(u64),
    Text(String),
}

/// A message type: a name or a number.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", deny_unknown_fields)]
pub enum TypeState {
    Name(String),
    Code(i64),
}

/// A journal state checked and ready to take: [`Journal::check`] made it, so taking it
/// cannot fail.
#[derive(Debug)]
pub struct Checked {
    seq: u64,
    evicted: u64,
    partitions: Vec<Partition>,
}

impl Journal {
    /// Every record it holds, with its sequence and eviction count.
    pub fn snapshot(&self) -> JournalState {
        let mut parts = self.all_partitions();
        parts.sort_by_key(|p| p.head());
        let partitions = parts
            .iter()
            .map(|p| PartitionState {
                provider: p.provider.to_owned(),
                tenant: p.tenant.to_string(),
                records: p.dump().into_iter().map(record_state).collect(),
            })
            .filter(|p| !p.records.is_empty())
            .collect();
        JournalState {
            seq: self.seq.load(Ordering::Relaxed),
            evicted: self.evicted.load(Ordering::Relaxed),
            partitions,
        }
    }

    /// Checks `state` whole: providers among `providers`, records numbered below `seq`, each
    /// number once, in increasing order within a partition; no (provider, tenant) twice.
    pub fn check(state: JournalState, providers: &[&'static str]) -> Result<Checked, String> {
        let mut seen_seqs = HashSet::new();
        let mut seen_parts = HashSet::new();
        let mut partitions = Vec::with_capacity(state.partitions.len());
        for part in state.partitions {
            let provider = providers
                .iter()
                .find(|p| **p == part.provider)
                .ok_or_else(|| format!("journal: unknown provider {:?}", part.provider))?;
            if !seen_parts.insert((*provider, part.tenant.clone())) {
                return Err(format!(
                    "journal: partition {provider}/{} appears twice",
                    part.tenant
                ));
            }
            let mut records = Vec::with_capacity(part.records.len());
            let mut last = None;
            for r in part.records {
                let seq = r.seq;
                if seq >= state.seq || last.is_some_and(|l| seq <= l) || !seen_seqs.insert(seq) {
                    return Err(format!(
                        "journal: record {seq} of {provider}/{} is out of order, repeated or \
                         not below seq {}",
                        part.tenant, state.seq
                    ));
                }
                last = Some(seq);
                records.push(record_of(r)?);
            }
            partitions.push(Partition::load(provider, part.tenant.into(), records));
        }
        Ok(Checked {
            seq: state.seq,
            evicted: state.evicted,
            partitions,
        })
    }

    /// Replaces every record with those of `checked`. A provider tenant made afterwards takes
    /// back its restored partition.
    pub fn restore(&self, checked: Checked) {
        self.drop_partitions(None, None);
        let stored: usize = checked.partitions.iter().map(Partition::len).sum();
        self.seq.store(checked.seq, Ordering::Relaxed);
        self.removed
            .store(checked.seq - stored as u64, Ordering::Relaxed);
        self.evicted.store(checked.evicted, Ordering::Relaxed);
        for part in checked.partitions {
            let part = Arc::new(part);
            let key = (part.provider, part.tenant.clone());
            self.partitions.insert(key.clone(), part.clone());
            self.restored.insert(key, part);
        }
        if self.armed.load(Ordering::SeqCst) > 0 {
            self.doorbell.notify_one();
        }
    }
}

fn record_state((r, modified): (Record, u32)) -> RecordState {
    RecordState {
        seq: r.seq,
        id: match r.id {
            MessageId::Decimal(n) => IdState::Decimal(n),
            MessageId::Number(n) => IdState::Number(n),
            MessageId::Text(t) => IdState::Text(t.into()),
        },
        chat_type: r.chat_type.as_str().to_owned(),
        from: r.from.to_string(),
        to: r.to.into(),
        conversation: r.conversation.map(|c| c.to_string()),
        kind: match r.kind {
            MessageType::Name(n) => TypeState::Name(n.to_owned()),
            MessageType::Code(c) => TypeState::Code(c),
        },
        content: r.content.to_string(),
        ext: r.ext.map(|e| e.to_string()),
        received_at_ms: r.received_at_ms,
        recalled: r.recalled,
        modified,
    }
}

fn record_of(r: RecordState) -> Result<(Record, u32), String> {
    let seq = r.seq;
    let chat_type = chat_type_of(&r.chat_type)
        .ok_or_else(|| format!("journal: record {seq}: unknown chat_type {:?}", r.chat_type))?;
    for json in std::iter::once(&r.content).chain(r.ext.as_ref()) {
        serde_json::from_str::<&serde_json::value::RawValue>(json)
            .map_err(|e| format!("journal: record {seq}: content or ext is not JSON: {e}"))?;
    }
    let kind = match r.kind {
        TypeState::Name(name) => MessageType::Name(intern(&name)?),
        TypeState::Code(code) => MessageType::Code(code),
    };
    let record = Record {
        seq,
        id: match r.id {
            IdState::Decimal(n) => MessageId::Decimal(n),
            IdState::Number(n) => MessageId::Number(n),
            IdState::Text(t) => MessageId::Text(t.into()),
        },
        chat_type,
        from: r.from.into(),
        to: r.to.into(),
        conversation: r.conversation.map(Into::into),
        kind,
        content: r.content.into(),
        ext: r.ext.map(Into::into),
        received_at_ms: r.received_at_ms,
        recalled: r.recalled,
    };
    Ok((record, r.modified))
}

fn chat_type_of(name: &str) -> Option<ChatType> {
    [
        ChatType::Single,
        ChatType::Group,
        ChatType::Room,
        ChatType::Notification,
        ChatType::Order,
    ]
    .into_iter()
    .find(|t| t.as_str() == name)
}

/// The name `name` for the life of the process: the same one each time, at most
/// [`MAX_TYPE_NAMES`] of them.
fn intern(name: &str) -> Result<&'static str, String> {
    static NAMES: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());
    let mut names = NAMES.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(found) = names.iter().find(|n| **n == name) {
        return Ok(found);
    }
    if names.len() >= MAX_TYPE_NAMES || name.len() > 64 {
        return Err(format!(
            "journal: message type {name:?}: at most {MAX_TYPE_NAMES} type names of at most 64 \
             bytes"
        ));
    }
    let leaked: &'static str = Box::leak(name.into());
    names.push(leaked);
    Ok(leaked)
}
