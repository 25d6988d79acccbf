//! Which messages a user has received. The emulator has no client connections, so every
//! one-to-one message stays undelivered (an "offline message", `account_system.md`) until the
//! admin API marks the user's messages delivered. Per user, it keeps only the journal number
//! below which their messages are delivered; the messages themselves are the journal's, so
//! counting is bounded by the journal, and so is this store (see [`Deliveries::deliver`]).

use crate::core::journal::{ChatType, MessageId, Partition, Record};
use dashmap::DashMap;
use std::collections::HashSet;

/// Per user (lower-cased), the journal number below which their messages are delivered.
#[derive(Debug, Default)]
pub struct Deliveries {
    marks: DashMap<Box<str>, u64>,
}

/// Whether `r` is a message to `user` that an offline user would be waiting for: a one-to-one
/// message, not recalled (a recalled message leaves the offline store).
fn waits_for(r: &Record, user: &str) -> bool {
    r.chat_type == ChatType::Single && !r.recalled && r.to.eq_ignore_ascii_case(user)
}

impl Deliveries {
    /// How many users have a mark.
    pub fn len(&self) -> usize {
        self.marks.len()
    }

    fn mark(&self, user: &str) -> u64 {
        let key = user.to_ascii_lowercase();
        self.marks.get(key.as_str()).map_or(0, |m| *m)
    }

    /// How many of `user`'s messages in `journal` are not delivered.
    pub fn undelivered(&self, journal: &Partition, user: &str) -> usize {
        let mut count = 0;
        journal.each_from(self.mark(user), |r, _| {
            count += usize::from(waits_for(r, user))
        });
        count
    }

    /// Whether the message `id` to `user` waits in the offline store; any other id (another
    /// user's, unknown, delivered) is not there, which the service reports as delivered.
    pub fn waiting(&self, journal: &Partition, user: &str, id: u64) -> bool {
        let wanted = MessageId::Decimal(id);
        let mut found = false;
        journal.each_from(self.mark(user), |r, _| {
            found |= r.id == wanted && waits_for(r, user);
        });
        found
    }

    /// Marks every message to `user` in `journal` so far delivered; returns how many were
    /// not. A user with nothing to deliver gets no mark. When there are more marks than
    /// records, the marks of users with no record left are dropped: the store never holds
    /// more marks than the journal holds records (plus one).
    pub fn deliver(&self, journal: &Partition, user: &str) -> usize {
        let next = journal.next_seq();
        let mut count = 0;
        journal.each_from(self.mark(user), |r, _| {
            count += usize::from(r.seq < next && waits_for(r, user));
        });
        if count == 0 {
            return 0;
        }
        let key: Box<str> = user.to_ascii_lowercase().into();
        self.marks
            .entry(key)
            .and_modify(|m| *m = (*m).max(next))
            .or_insert(next);
        if self.marks.len() > journal.len() + 1 {
            self.forget_gone(journal);
        }
        count
    }

    /// Drops the marks of users to whom the journal holds no message any more.
    fn forget_gone(&self, journal: &Partition) {
        let mut present = HashSet::new();
        journal.each_from(0, |r, _| {
            if r.chat_type == ChatType::Single {
                present.insert(r.to.to_ascii_lowercase());
            }
        });
        self.marks.retain(|user, _| present.contains(&**user));
    }
}

impl Deliveries {
    /// Every user's mark, for a snapshot.
    pub fn export(&self) -> std::collections::BTreeMap<Box<str>, u64> {
        let marks = self.marks.iter();
        marks.map(|m| (m.key().clone(), *m.value())).collect()
    }

    /// Marks holding `marks`; refused when there are over `max` (0: no bound) or a user is not
    /// lower-cased.
    pub fn import(
        marks: std::collections::BTreeMap<Box<str>, u64>,
        max: usize,
    ) -> Result<Self, String> {
        if max > 0 && marks.len() > max {
            return Err(format!("over {max} delivery marks"));
        }
        if let Some(user) = marks.keys().find(|u| u.to_ascii_lowercase() != ***u) {
            return Err(format!("delivery mark of {user}: not lower-cased"));
        }
        Ok(Self {
            marks: marks.into_iter().collect(),
        })
    }
}
