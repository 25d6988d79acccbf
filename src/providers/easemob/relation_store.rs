//! A tenant's contacts and block lists (`user_relationship.md`), by lower-cased username.
//! Contacts are mutual: adding one makes both users each other's contact. Each list keeps the
//! order of adding, so that listings show the newest first, as the service does.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

/// A user's two lists, oldest first, and the user's remarks on contacts.
#[derive(Debug, Default)]
struct Lists {
    contacts: Vec<Box<str>>,
    blocks: Vec<Box<str>>,
    remarks: HashMap<Box<str>, Box<str>>,
}

impl Lists {
    fn is_empty(&self) -> bool {
        self.contacts.is_empty() && self.blocks.is_empty()
    }
}

/// A list is at its limit: nothing was added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Full;

/// Every user's contacts and blocks.
#[derive(Debug, Default)]
pub struct RelationStore {
    inner: RwLock<HashMap<Box<str>, Lists>>,
}

impl RelationStore {
    fn read(&self) -> RwLockReadGuard<'_, HashMap<Box<str>, Lists>> {
        self.inner.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, HashMap<Box<str>, Lists>> {
        self.inner.write().unwrap_or_else(|p| p.into_inner())
    }

    /// Makes `a` and `b` each other's contact, unless either already has `max` contacts (0:
    /// no bound). Adding an existing contact changes nothing.
    pub fn add_contact(&self, a: &str, b: &str, max: u32) -> Result<(), Full> {
        let mut map = self.write();
        let room = |name: &str| {
            map.get(name).is_none_or(|l| {
                l.contacts.iter().any(|c| &**c == other(name, a, b))
                    || max == 0
                    || l.contacts.len() < max as usize
            })
        };
        if !room(a) || !room(b) {
            return Err(Full);
        }
        for (owner, friend) in [(a, b), (b, a)] {
            let lists = map.entry(owner.into()).or_default();
            if !lists.contacts.iter().any(|c| &**c == friend) {
                lists.contacts.push(friend.into());
            }
        }
        Ok(())
    }

    /// Ends the contact between `a` and `b`, on both sides.
    pub fn remove_contact(&self, a: &str, b: &str) {
        let mut map = self.write();
        for (owner, friend) in [(a, b), (b, a)] {
            if let Some(lists) = map.get_mut(owner) {
                lists.remarks.remove(friend);
            }
            drop_from(&mut map, owner, |l| &mut l.contacts, friend);
        }
    }

    /// Sets `owner`'s remark on the contact `friend`; `false` when they are not contacts.
    pub fn set_remark(&self, owner: &str, friend: &str, remark: &str) -> bool {
        let mut map = self.write();
        let Some(lists) = map.get_mut(owner) else {
            return false;
        };
        if !lists.contacts.iter().any(|c| &**c == friend) {
            return false;
        }
        lists.remarks.insert(friend.into(), remark.into());
        true
    }

    /// `owner`'s contacts with `owner`'s remark on each, newest first.
    pub fn contacts_with_remarks(&self, owner: &str) -> Vec<(Box<str>, Option<Box<str>>)> {
        let map = self.read();
        let Some(lists) = map.get(owner) else {
            return Vec::new();
        };
        let remark = |c: &str| lists.remarks.get(c).cloned();
        lists
            .contacts
            .iter()
            .rev()
            .map(|c| (c.clone(), remark(c)))
            .collect()
    }

    /// `owner`'s contacts, newest first.
    pub fn contacts(&self, owner: &str) -> Vec<Box<str>> {
        self.read()
            .get(owner)
            .map(|l| l.contacts.iter().rev().cloned().collect())
            .unwrap_or_default()
    }

    /// Adds `names` to `owner`'s block list, all or none: none when the list would pass `max`
    /// (0: no bound). Names already blocked are not counted twice.
    pub fn block(&self, owner: &str, names: &[&str], max: u32) -> Result<(), Full> {
        let mut map = self.write();
        let lists = map.entry(owner.into()).or_default();
        let mut fresh: Vec<&str> = Vec::with_capacity(names.len());
        for name in names {
            if !lists.blocks.iter().any(|b| &**b == *name) && !fresh.contains(name) {
                fresh.push(name);
            }
        }
        if max > 0 && lists.blocks.len() + fresh.len() > max as usize {
            if lists.is_empty() {
                map.remove(owner);
            }
            return Err(Full);
        }
        lists.blocks.extend(fresh.into_iter().map(Into::into));
        Ok(())
    }

    /// Takes `name` off `owner`'s block list.
    pub fn unblock(&self, owner: &str, name: &str) {
        drop_from(&mut self.write(), owner, |l| &mut l.blocks, name);
    }

    /// `owner`'s block list, newest first.
    pub fn blocks(&self, owner: &str) -> Vec<Box<str>> {
        self.read()
            .get(owner)
            .map(|l| l.blocks.iter().rev().cloned().collect())
            .unwrap_or_default()
    }

    /// Drops `name`'s lists and every list entry naming it (the user was deleted).
    pub fn forget(&self, name: &str) {
        let mut map = self.write();
        map.remove(name);
        map.retain(|_, lists| {
            lists.contacts.retain(|c| &**c != name);
            lists.blocks.retain(|b| &**b != name);
            lists.remarks.remove(name);
            !lists.is_empty()
        });
    }

    /// How many contact entries (each mutual contact counts on both sides) and block entries
    /// it holds.
    pub fn counts(&self) -> (u64, u64) {
        self.read().values().fold((0, 0), |(c, b), l| {
            (c + l.contacts.len() as u64, b + l.blocks.len() as u64)
        })
    }
}

/// The one of `a` and `b` that is not `name`.
fn other<'a>(name: &str, a: &'a str, b: &'a str) -> &'a str {
    if name == a {
        b
    } else {
        a
    }
}

fn drop_from(
    map: &mut HashMap<Box<str>, Lists>,
    owner: &str,
    list: impl Fn(&mut Lists) -> &mut Vec<Box<str>>,
    name: &str,
) {
    if let Some(lists) = map.get_mut(owner) {
        list(lists).retain(|x| &**x != name);
        if lists.is_empty() {
            map.remove(owner);
        }
    }
}

/// One user's lists as a state snapshot keeps them: oldest first, remarks by contact.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListsRecord {
    contacts: Vec<Box<str>>,
    blocks: Vec<Box<str>>,
    remarks: BTreeMap<Box<str>, Box<str>>,
}

impl RelationStore {
    /// Every user's lists, for a snapshot.
    pub fn export(&self) -> BTreeMap<Box<str>, ListsRecord> {
        let map = self.read();
        let record = |l: &Lists| ListsRecord {
            contacts: l.contacts.clone(),
            blocks: l.blocks.clone(),
            remarks: l
                .remarks
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        };
        map.iter().map(|(k, l)| (k.clone(), record(l))).collect()
    }

    /// A store holding `records`; refused when a list is over its limit (0: no bound), names
    /// someone twice, a contact is not mutual or a remark is on no contact.
    pub fn import(
        records: BTreeMap<Box<str>, ListsRecord>,
        max_contacts: u32,
        max_blocks: u32,
    ) -> Result<Self, String> {
        let over = |list: &[Box<str>], max: u32| max > 0 && list.len() > max as usize;
        let twice = |list: &[Box<str>]| {
            let mut seen = std::collections::HashSet::new();
            !list.iter().all(|x| seen.insert(x))
        };
        for (user, r) in &records {
            if over(&r.contacts, max_contacts) || over(&r.blocks, max_blocks) {
                return Err(format!("{user}: a list is over its limit"));
            }
            if twice(&r.contacts) || twice(&r.blocks) {
                return Err(format!("{user}: a list names someone twice"));
            }
            let mutual = |c: &str| records.get(c).is_some_and(|o| o.contacts.contains(user));
            if !r.contacts.iter().all(|c| mutual(c)) {
                return Err(format!("{user}: a contact is not mutual"));
            }
            if !r.remarks.keys().all(|k| r.contacts.contains(k)) {
                return Err(format!("{user}: a remark is on no contact"));
            }
        }
        let lists = records.into_iter().map(|(user, r)| {
            let lists = Lists {
                contacts: r.contacts,
                blocks: r.blocks,
                remarks: r.remarks.into_iter().collect(),
            };
            (user, lists)
        });
        Ok(Self {
            inner: RwLock::new(lists.filter(|(_, l)| !l.is_empty()).collect()),
        })
    }
}
