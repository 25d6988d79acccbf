//! A tenant's global mutes (`account_system.md` 用户全局禁言): per lower-cased username, when
//! the mute of one-to-one chats, groups and chat rooms ends, on the emulator's clock. A mute
//! past its end is over; the entry is dropped the next time the user's mutes are written.

use super::tenant::Target;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

/// A mute that never ends (`-1` on the wire).
const FOR_EVER: i64 = i64::MAX;

/// The three kinds of mute, in the order of the wire's `chat`, `groupchat`, `chatroom`.
pub const KINDS: [&str; 3] = ["chat", "groupchat", "chatroom"];

/// When each kind of mute ends (ms); 0: not muted.
pub type Ends = [i64; 3];

/// Every user's mutes.
#[derive(Debug, Default)]
pub struct MuteStore {
    inner: RwLock<BTreeMap<Box<str>, Ends>>,
    /// How many users have mutes stored, readable without the lock, so that a send in an app
    /// with no mute does not touch it.
    stored: AtomicUsize,
}

/// The kind of mute that stops a send to `target`.
pub fn kind_of(target: Target) -> usize {
    match target {
        Target::Users => 0,
        Target::ChatGroups => 1,
        Target::ChatRooms => 2,
    }
}

/// What the wire shows of a mute ending at `end`: seconds left (rounded up), `-1` for ever,
/// 0 when over.
fn remaining(end: i64, now_ms: i64) -> i64 {
    match end {
        FOR_EVER => -1,
        end if end > now_ms => (end - now_ms + 999) / 1000,
        _ => 0,
    }
}

impl MuteStore {
    fn read(&self) -> RwLockReadGuard<'_, BTreeMap<Box<str>, Ends>> {
        self.inner.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, BTreeMap<Box<str>, Ends>> {
        self.inner.write().unwrap_or_else(|p| p.into_inner())
    }

    /// Applies `seconds` per kind to `user` (`None`: unchanged, 0: unmute, -1: for ever, else
    /// seconds from `now_ms`).
    pub fn set(&self, user: &str, seconds: [Option<i64>; 3], now_ms: i64) {
        let mut map = self.write();
        let mut ends = map.get(user).copied().unwrap_or_default();
        for (end, change) in ends.iter_mut().zip(seconds) {
            *end = match change {
                None if *end > now_ms => *end,
                None | Some(0) => 0,
                Some(-1) => FOR_EVER,
                Some(s) => now_ms.saturating_add(s.saturating_mul(1000)),
            };
        }
        if ends.iter().all(|e| *e == 0) {
            map.remove(user);
        } else {
            map.insert(user.into(), ends);
        }
        self.stored.store(map.len(), Ordering::Relaxed);
    }

    /// Seconds left of each kind of `user`'s mute (see [`remaining`]).
    pub fn remaining(&self, user: &str, now_ms: i64) -> [i64; 3] {
        let ends = self.read().get(user).copied().unwrap_or_default();
        ends.map(|end| remaining(end, now_ms))
    }

    /// Whether `user` is muted for `target` at `now_ms`.
    pub fn muted(&self, user: &str, target: Target, now_ms: i64) -> bool {
        self.read()
            .get(user)
            .is_some_and(|ends| ends[kind_of(target)] > now_ms)
    }

    /// Page `page` (from 1) of `size` users with a mute in force, by username, with the
    /// seconds left of each kind.
    pub fn page(&self, page: usize, size: usize, now_ms: i64) -> Vec<(Box<str>, [i64; 3])> {
        self.read()
            .iter()
            .filter(|(_, ends)| ends.iter().any(|e| *e > now_ms))
            .skip(page.saturating_sub(1).saturating_mul(size))
            .take(size)
            .map(|(name, ends)| (name.clone(), ends.map(|end| remaining(end, now_ms))))
            .collect()
    }

    /// Drops `user`'s mutes (the user was deleted).
    pub fn remove(&self, user: &str) {
        let mut map = self.write();
        map.remove(user);
        self.stored.store(map.len(), Ordering::Relaxed);
    }

    /// How many users have mutes stored (some may have run out).
    pub fn len(&self) -> usize {
        self.stored.load(Ordering::Relaxed)
    }
}

impl MuteStore {
    /// When each user's mutes end (ms; 0: none; `i64::MAX`: for ever), by kind, for a
    /// snapshot.
    pub fn export(&self) -> BTreeMap<Box<str>, Ends> {
        self.read().clone()
    }

    /// A store holding `ends`; refused when an end is negative.
    pub fn import(ends: BTreeMap<Box<str>, Ends>) -> Result<Self, String> {
        if let Some((user, _)) = ends.iter().find(|(_, e)| e.iter().any(|e| *e < 0)) {
            return Err(format!("{user}: a mute ends before 1970"));
        }
        let map: BTreeMap<_, _> = ends.into_iter().filter(|(_, e)| *e != [0; 3]).collect();
        Ok(Self {
            stored: AtomicUsize::new(map.len()),
            inner: RwLock::new(map),
        })
    }
}
