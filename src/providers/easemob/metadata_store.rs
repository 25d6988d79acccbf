//! A tenant's user attributes (`userprofile.md`): plain-text key-value pairs per lower-cased
//! username, their size counted as the bytes of keys and values, per user and for the app.

use std::collections::HashMap;
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

/// One user's attributes, in the order first set.
pub type Attributes = Vec<(Box<str>, Box<str>)>;

/// Why attributes could not be set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// The user's attributes would pass the per-user limit.
    User,
    /// The app's attributes would pass the per-app limit.
    App,
}

#[derive(Debug, Default)]
struct Index {
    by_user: HashMap<Box<str>, Attributes>,
    bytes: u64,
}

/// Every user's attributes.
#[derive(Debug, Default)]
pub struct MetadataStore {
    inner: RwLock<Index>,
}

/// The bytes `attributes` count for.
fn size(attributes: &[(Box<str>, Box<str>)]) -> u64 {
    attributes
        .iter()
        .map(|(k, v)| (k.len() + v.len()) as u64)
        .sum()
}

impl MetadataStore {
    fn read(&self) -> RwLockReadGuard<'_, Index> {
        self.inner.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, Index> {
        self.inner.write().unwrap_or_else(|p| p.into_inner())
    }

    /// Sets `pairs` on `user`'s attributes (a key set again takes the new value), unless the
    /// user's would pass `max_user` bytes or the app's `max_app` bytes (0: no bound).
    pub fn set(
        &self,
        user: &str,
        pairs: &[(String, String)],
        max_user: u32,
        max_app: u64,
    ) -> Result<(), Refused> {
        let mut index = self.write();
        let mut merged = index.by_user.get(user).cloned().unwrap_or_default();
        let before = size(&merged);
        for (key, value) in pairs {
            match merged.iter_mut().find(|(k, _)| **k == **key) {
                Some(pair) => pair.1 = value.as_str().into(),
                None => merged.push((key.as_str().into(), value.as_str().into())),
            }
        }
        let after = size(&merged);
        if max_user > 0 && after > u64::from(max_user) {
            return Err(Refused::User);
        }
        let total = index.bytes - before + after;
        if max_app > 0 && total > max_app {
            return Err(Refused::App);
        }
        index.bytes = total;
        index.by_user.insert(user.into(), merged);
        Ok(())
    }

    /// `user`'s attributes (empty when none).
    pub fn get(&self, user: &str) -> Attributes {
        self.read().by_user.get(user).cloned().unwrap_or_default()
    }

    /// Removes all of `user`'s attributes.
    pub fn remove(&self, user: &str) {
        let mut index = self.write();
        if let Some(gone) = index.by_user.remove(user) {
            index.bytes -= size(&gone);
        }
    }

    /// The bytes of every user's attributes.
    pub fn bytes(&self) -> u64 {
        self.read().bytes
    }
}

impl MetadataStore {
    /// Every user's attributes, for a snapshot.
    pub fn export(&self) -> std::collections::BTreeMap<Box<str>, Attributes> {
        let index = self.read();
        let users = index.by_user.iter();
        users.map(|(k, v)| (k.clone(), v.clone())).collect()
    }

    /// A store holding `users`; refused when a user's attributes pass `max_user` bytes or
    /// all of them `max_app` (0: no bound), or a key is set twice.
    pub fn import(
        users: std::collections::BTreeMap<Box<str>, Attributes>,
        max_user: u32,
        max_app: u64,
    ) -> Result<Self, String> {
        let mut index = Index::default();
        for (user, attributes) in users {
            let bytes = size(&attributes);
            if max_user > 0 && bytes > u64::from(max_user) {
                return Err(format!("{user}: attributes over {max_user} bytes"));
            }
            let mut keys = std::collections::HashSet::new();
            if !attributes.iter().all(|(k, _)| keys.insert(k)) {
                return Err(format!("{user}: an attribute is set twice"));
            }
            index.bytes += bytes;
            if !attributes.is_empty() {
                index.by_user.insert(user, attributes);
            }
        }
        if max_app > 0 && index.bytes > max_app {
            return Err(format!("attributes over {max_app} bytes"));
        }
        Ok(Self {
            inner: RwLock::new(index),
        })
    }
}
