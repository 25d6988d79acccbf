//! A tenant's Easemob users: lower-cased usernames, kept in order of creation so that listing
//! pages through them with a cursor, as Usergrid does.

use crate::core::Core;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};
use uuid::Uuid;

/// One user, as the `entities` of `/users` answers show it.
#[derive(Debug, Clone, Serialize)]
pub struct User {
    pub uuid: Uuid,
    #[serde(rename = "type")]
    kind: &'static str,
    pub created: i64,
    pub modified: i64,
    pub username: Box<str>,
    pub activated: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nickname: Option<Box<str>>,
    #[serde(skip)]
    pub password: Box<str>,
    #[serde(skip)]
    seq: u64,
}

/// The longest username and password, in bytes (contract §7).
pub const MAX_NAME_BYTES: usize = 64;
pub const MAX_PASSWORD_BYTES: usize = 64;

/// Why a username cannot be registered: Easemob's description of the fault.
pub fn username_fault(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("username must be provided".into());
    }
    if name.len() > MAX_NAME_BYTES {
        return Some("USERNAME_TOO_LONG".into());
    }
    let legal = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-');
    (!name.bytes().all(legal)).then(|| format!("username {name} is not legal"))
}

/// Why a user could not be stored.
#[derive(Debug)]
pub enum Refused {
    /// The username is taken; the user is given back.
    Taken(User),
    /// The tenant holds as many users as its limit allows.
    Full,
}

/// A tenant's users, by lower-cased username and in order of creation.
#[derive(Debug, Default)]
pub struct UserStore {
    inner: RwLock<Index>,
}

#[derive(Debug, Default)]
struct Index {
    by_name: HashMap<Box<str>, User>,
    by_uuid: HashMap<Uuid, Box<str>>,
    order: BTreeMap<u64, Box<str>>,
    next_seq: u64,
}

impl UserStore {
    fn read(&self) -> RwLockReadGuard<'_, Index> {
        self.inner.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, Index> {
        self.inner.write().unwrap_or_else(|p| p.into_inner())
    }

    /// A new, activated user (not yet stored); the username is lower-cased.
    pub fn make(
        &self,
        core: &Core,
        now_ms: i64,
        username: &str,
        password: &str,
        nickname: Option<&str>,
    ) -> User {
        User {
            uuid: core.ids.uuid_v1(now_ms),
            kind: "user",
            created: now_ms,
            modified: now_ms,
            username: username.to_ascii_lowercase().into(),
            activated: true,
            nickname: nickname.map(Into::into),
            password: password.into(),
            seq: 0,
        }
    }

    /// Stores `user` unless the username is taken or the store holds `max` users (0: no
    /// bound).
    pub fn insert(&self, mut user: User, max: u32) -> Result<User, Refused> {
        let mut index = self.write();
        if index.by_name.contains_key(&user.username) {
            return Err(Refused::Taken(user));
        }
        if max > 0 && index.by_name.len() >= max as usize {
            return Err(Refused::Full);
        }
        user.seq = index.next_seq;
        index.next_seq += 1;
        index.order.insert(user.seq, user.username.clone());
        index.by_uuid.insert(user.uuid, user.username.clone());
        index.by_name.insert(user.username.clone(), user.clone());
        Ok(user)
    }

    /// How many users it holds.
    pub fn len(&self) -> usize {
        self.read().by_name.len()
    }

    /// The user whose primary key is `key`: the username in any case, or the UUID (Usergrid
    /// users have both).
    pub fn get(&self, key: &str) -> Option<User> {
        let index = self.read();
        let name = index.name_of(key)?;
        index.by_name.get(&name).cloned()
    }

    /// Changes the user whose primary key is `key` with `change`, and returns it changed.
    pub fn update(&self, key: &str, change: impl FnOnce(&mut User)) -> Option<User> {
        let mut index = self.write();
        let name = index.name_of(key)?;
        let user = index.by_name.get_mut(&name)?;
        change(user);
        Some(user.clone())
    }

    /// Removes and returns the user whose primary key is `key`.
    pub fn remove(&self, key: &str) -> Option<User> {
        let mut index = self.write();
        let name = index.name_of(key)?;
        index.remove(&name)
    }

    /// Up to `limit` users from position `from`, and the position of the next page if any.
    pub fn page(&self, from: u64, limit: usize) -> (Vec<User>, Option<u64>) {
        let index = self.read();
        let mut names = index.order.range(from..);
        let users = names
            .by_ref()
            .take(limit)
            .filter_map(|(_, name)| index.by_name.get(name).cloned())
            .collect();
        (users, names.next().map(|(seq, _)| *seq))
    }

    /// Removes up to `limit` users, the oldest first, from the one with sequence `from` on;
    /// returns them and the sequence of the first user left after them, if any.
    pub fn remove_page(&self, from: u64, limit: usize) -> (Vec<User>, Option<u64>) {
        let mut index = self.write();
        let mut seqs = index.order.range(from..).map(|(seq, _)| *seq);
        let page: Vec<u64> = seqs.by_ref().take(limit).collect();
        let next = seqs.next();
        let users = page
            .iter()
            .filter_map(|seq| {
                let name = index.order.get(seq)?.clone();
                index.remove(&name)
            })
            .collect();
        (users, next)
    }
}

impl Index {
    /// The stored username of the user whose primary key is `key`.
    fn name_of(&self, key: &str) -> Option<Box<str>> {
        let lower = key.to_ascii_lowercase();
        if self.by_name.contains_key(&*lower) {
            return Some(lower.into());
        }
        let uuid = Uuid::parse_str(key).ok()?;
        self.by_uuid.get(&uuid).cloned()
    }

    fn remove(&mut self, name: &str) -> Option<User> {
        let user = self.by_name.remove(name)?;
        self.order.remove(&user.seq);
        self.by_uuid.remove(&user.uuid);
        Some(user)
    }
}

/// A user as a state snapshot keeps it: the password and the place in the listing included.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserRecord {
    seq: u64,
    uuid: Uuid,
    created: i64,
    modified: i64,
    username: Box<str>,
    password: Box<str>,
    activated: bool,
    nickname: Option<Box<str>>,
}

impl UserRecord {
    /// The user's UUID.
    pub fn uuid(&self) -> Uuid {
        self.uuid
    }
}

impl UserStore {
    /// Every user in order of creation, and the position the next one takes.
    pub fn export(&self) -> (Vec<UserRecord>, u64) {
        let index = self.read();
        let users = index
            .order
            .values()
            .filter_map(|name| index.by_name.get(name));
        let records = users
            .map(|u| UserRecord {
                seq: u.seq,
                uuid: u.uuid,
                created: u.created,
                modified: u.modified,
                username: u.username.clone(),
                password: u.password.clone(),
                activated: u.activated,
                nickname: u.nickname.clone(),
            })
            .collect();
        (records, index.next_seq)
    }

    /// A store holding `records`, the next user at `next_seq`; refused when a record could not
    /// have been stored (a name not lower-cased, duplicates, position) or there are over `max`
    /// (0: no bound).
    pub fn import(records: Vec<UserRecord>, next_seq: u64, max: u32) -> Result<Self, String> {
        if max > 0 && records.len() > max as usize {
            return Err(format!("{} users, over the limit of {max}", records.len()));
        }
        let mut index = Index {
            next_seq,
            ..Index::default()
        };
        for r in records {
            let name = &r.username;
            if name.is_empty() || **name != *name.to_ascii_lowercase() {
                return Err(format!(
                    "user {name:?}: a username is lower-cased, not empty"
                ));
            }
            if r.seq >= next_seq || index.order.contains_key(&r.seq) {
                return Err(format!(
                    "user {name}: seq {} is taken or not below next_seq",
                    r.seq
                ));
            }
            if index.by_name.contains_key(name) || index.by_uuid.contains_key(&r.uuid) {
                return Err(format!("user {name} or its uuid is listed twice"));
            }
            let user = User {
                uuid: r.uuid,
                kind: "user",
                created: r.created,
                modified: r.modified,
                username: r.username,
                activated: r.activated,
                nickname: r.nickname,
                password: r.password,
                seq: r.seq,
            };
            index.order.insert(user.seq, user.username.clone());
            index.by_uuid.insert(user.uuid, user.username.clone());
            index.by_name.insert(user.username.clone(), user);
        }
        Ok(Self {
            inner: RwLock::new(index),
        })
    }
}
