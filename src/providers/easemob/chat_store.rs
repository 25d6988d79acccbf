//! A tenant's groups or chat rooms (`group_manage.md`, `group_member.md`, `chatroom_manage.md`,
//! `chatroom_member.md`): their settings, owner, members, admins and mutes, kept in order of
//! creation, with each member's joined ids for `joined_chatgroups` / `joined_chatrooms`.

use super::fixtures::{ChatLimits, Limits};
use crate::core::ids::{Ids, TimeSequence};
use crate::core::rate::RateWindow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

/// Groups or chat rooms: the two share their store and most of their routes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Group,
    Room,
}

impl Kind {
    /// The app-relative collection path.
    pub fn path(self) -> &'static str {
        match self {
            Kind::Group => "/chatgroups",
            Kind::Room => "/chatrooms",
        }
    }

    /// The limits that apply to it.
    pub fn limits(self, limits: &Limits) -> ChatLimits {
        match self {
            Kind::Group => limits.groups,
            Kind::Room => limits.rooms,
        }
    }

    /// The name the service's errors use for the collection (`too many groups!`).
    pub fn plural(self) -> &'static str {
        match self {
            Kind::Group => "groups",
            Kind::Room => "chatrooms",
        }
    }
}

/// One group or chat room (as a state snapshot keeps it, too).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Chat {
    pub id: u64,
    pub name: Box<str>,
    pub description: Box<str>,
    pub avatar: Box<str>,
    pub custom: Box<str>,
    pub public: bool,
    pub membersonly: bool,
    pub allowinvites: bool,
    pub invite_need_confirm: bool,
    pub maxusers: u32,
    pub owner: Box<str>,
    /// The owner's user uuid: a user deleted and registered again is another user.
    pub owner_uuid: uuid::Uuid,
    pub created: i64,
    pub modified: i64,
    pub mute_all: bool,
    /// Banned (封禁, groups only): nobody sends in it until it is enabled again.
    pub disabled: bool,
    /// Members other than the owner, in order of joining (admins included).
    pub members: Vec<Box<str>>,
    pub admins: Vec<Box<str>>,
    /// Muted members and when their mute ends (ms; -1: never).
    pub mutes: Vec<(Box<str>, i64)>,
}

impl Chat {
    /// Whether `user` is the owner or a member.
    pub fn has(&self, user: &str) -> bool {
        *self.owner == *user || self.is_member(user)
    }

    /// Whether `user` is a member other than the owner.
    pub fn is_member(&self, user: &str) -> bool {
        self.members.iter().any(|m| **m == *user)
    }

    /// Whether `user` is an admin.
    pub fn is_admin(&self, user: &str) -> bool {
        self.admins.iter().any(|m| **m == *user)
    }

    /// How many members it has, the owner included.
    pub fn count(&self) -> usize {
        self.members.len() + 1
    }

    /// The mutes still in force at `now`.
    pub fn mutes_at(&self, now: i64) -> impl Iterator<Item = &(Box<str>, i64)> {
        self.mutes
            .iter()
            .filter(move |(_, end)| *end < 0 || *end > now)
    }

    /// Whether `user` may not send at `now`: muted, or every member muted and `user` neither
    /// owner nor admin.
    pub fn silences(&self, user: &str, now: i64) -> bool {
        if !self.has(user) {
            return false;
        }
        let exempt = *self.owner == *user || self.is_admin(user);
        (self.mute_all && !exempt) || self.mutes_at(now).any(|(u, _)| **u == *user)
    }

    /// Removes `user` from the members, admins and mutes.
    pub fn drop_member(&mut self, user: &str) {
        self.members.retain(|m| **m != *user);
        self.admins.retain(|m| **m != *user);
        self.mutes.retain(|(m, _)| **m != *user);
    }
}

/// A tenant's groups or rooms, by id (ids grow with time, so in order of creation), and the
/// rate window of their routes.
#[derive(Debug)]
pub struct ChatStore {
    inner: RwLock<Index>,
    pub calls: RateWindow,
}

#[derive(Debug, Default)]
struct Index {
    chats: BTreeMap<u64, Chat>,
    joined: HashMap<Box<str>, BTreeSet<u64>>,
}

/// Why a change was refused; the handlers turn it into the service's error.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// No group or room has the id.
    NotFound,
    /// The store holds `max_count`.
    TooMany,
    /// This user has joined `max_joined_per_user`.
    UserFull(Box<str>),
}

impl ChatStore {
    /// An empty store whose routes take `limits.calls_per_second`.
    pub fn new(limits: &ChatLimits) -> Self {
        Self {
            inner: RwLock::default(),
            calls: RateWindow::new(limits.calls_per_second, 1000),
        }
    }

    fn read(&self) -> RwLockReadGuard<'_, Index> {
        self.inner.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, Index> {
        self.inner.write().unwrap_or_else(|p| p.into_inner())
    }

    /// How many it holds.
    pub fn len(&self) -> usize {
        self.read().chats.len()
    }

    /// Stores `chat` unless the store holds `limits.max_count`, or one of its people has
    /// joined `limits.max_joined_per_user` (0: no bound).
    pub fn insert(&self, chat: Chat, limits: &ChatLimits) -> Result<(), Refused> {
        let mut index = self.write();
        if limits.max_count > 0 && index.chats.len() >= limits.max_count as usize {
            return Err(Refused::TooMany);
        }
        let people = std::iter::once(&chat.owner).chain(&chat.members);
        if let Some(full) = people.clone().find(|p| index.full(p, limits)) {
            return Err(Refused::UserFull(full.clone()));
        }
        for person in people {
            index
                .joined
                .entry(person.clone())
                .or_default()
                .insert(chat.id);
        }
        index.chats.insert(chat.id, chat);
        Ok(())
    }

    /// A copy of the one with `id`.
    pub fn get(&self, id: u64) -> Option<Chat> {
        self.read().chats.get(&id).cloned()
    }

    /// Applies `f` to `id` and returns what it returns; `NotFound` when there is none.
    pub fn with<T>(&self, id: u64, f: impl FnOnce(&Chat) -> T) -> Result<T, Refused> {
        self.read().chats.get(&id).map(f).ok_or(Refused::NotFound)
    }

    /// Changes `id` with `f`, keeping the joined index in step with its people; `f` may
    /// refuse, leaving it unchanged.
    pub fn update<T, E>(
        &self,
        id: u64,
        f: impl FnOnce(&mut Chat, &dyn Fn(&str) -> bool) -> Result<T, E>,
        limits: &ChatLimits,
    ) -> Result<Result<T, E>, Refused> {
        let mut index = self.write();
        let index = &mut *index;
        let chat = index.chats.get_mut(&id).ok_or(Refused::NotFound)?;
        let before: Vec<Box<str>> = std::iter::once(chat.owner.clone())
            .chain(chat.members.iter().cloned())
            .collect();
        let joined = &index.joined;
        let full = |user: &str| {
            let count = joined.get(user).map_or(0, |ids| ids.len());
            limits.max_joined_per_user > 0 && count >= limits.max_joined_per_user as usize
        };
        let mut changed = chat.clone();
        let result = f(&mut changed, &full);
        if result.is_ok() {
            for person in &before {
                if !changed.has(person) {
                    index.leave(person, id);
                }
            }
            let people = std::iter::once(&changed.owner).chain(&changed.members);
            for person in people {
                index.joined.entry(person.clone()).or_default().insert(id);
            }
            index.chats.insert(id, changed);
        }
        Ok(result)
    }

    /// Removes and returns the one with `id`.
    pub fn remove(&self, id: u64) -> Option<Chat> {
        let mut index = self.write();
        let chat = index.chats.remove(&id)?;
        for person in std::iter::once(&chat.owner).chain(&chat.members) {
            index.leave(person, id);
        }
        Some(chat)
    }

    /// Up to `limit`, newest first, from the id `before` down; and the id of the next page.
    pub fn page(&self, before: u64, limit: usize) -> (Vec<Chat>, Option<u64>) {
        let index = self.read();
        let mut chats = index.chats.range(..=before).rev();
        let page = chats.by_ref().take(limit).map(|(_, c)| c.clone()).collect();
        (page, chats.next().map(|(id, _)| *id))
    }

    /// The ids `user` has joined, most recent first.
    pub fn joined(&self, user: &str) -> Vec<Chat> {
        let index = self.read();
        let Some(ids) = index.joined.get(user) else {
            return Vec::new();
        };
        ids.iter()
            .rev()
            .filter_map(|id| index.chats.get(id).cloned())
            .collect()
    }

    /// The ids of those whose owner is no longer `owner_alive`.
    pub fn orphans(&self, owner_alive: impl Fn(&Chat) -> bool) -> Vec<u64> {
        let index = self.read();
        let dead = index.chats.values().filter(|c| !owner_alive(c));
        dead.map(|c| c.id).collect()
    }
}

impl Index {
    fn full(&self, user: &str, limits: &ChatLimits) -> bool {
        let count = self.joined.get(user).map_or(0, |ids| ids.len());
        limits.max_joined_per_user > 0 && count >= limits.max_joined_per_user as usize
    }

    fn leave(&mut self, user: &str, id: u64) {
        if let Some(ids) = self.joined.get_mut(user) {
            ids.remove(&id);
            if ids.is_empty() {
                self.joined.remove(user);
            }
        }
    }
}

impl ChatStore {
    /// Every one it holds, oldest first, for a snapshot.
    pub fn export(&self) -> Vec<Chat> {
        self.read().chats.values().cloned().collect()
    }

    /// A store holding `chats`, as [`ChatStore::insert`] would have stored them under
    /// `limits`; refused when one breaks them or could not have been made (see [`check`]).
    pub fn import(chats: Vec<Chat>, limits: &ChatLimits) -> Result<Self, String> {
        let store = Self::new(limits);
        for chat in chats {
            let id = chat.id;
            check(&chat, limits).map_err(|e| format!("{id}: {e}"))?;
            if store.read().chats.contains_key(&id) {
                return Err(format!("{id} is listed twice"));
            }
            store.insert(chat, limits).map_err(|e| match e {
                Refused::UserFull(user) => format!("{id}: {user} has joined too many"),
                _ => format!("{id}: over the {} allowed", limits.max_count),
            })?;
        }
        Ok(store)
    }
}

/// Why `chat` could not have been made under `limits`: too many members or admins, people
/// listed twice, admins or mutes that are no members.
fn check(chat: &Chat, limits: &ChatLimits) -> Result<(), String> {
    if limits.max_members > 0 && chat.maxusers > limits.max_members {
        return Err(format!("maxusers over {}", limits.max_members));
    }
    if chat.count() > chat.maxusers.max(1) as usize {
        return Err("more members than maxusers".into());
    }
    if limits.max_admins > 0 && chat.admins.len() > limits.max_admins as usize {
        return Err(format!("over {} admins", limits.max_admins));
    }
    let mut seen = BTreeSet::new();
    if chat
        .members
        .iter()
        .any(|m| *m == chat.owner || !seen.insert(m))
    {
        return Err("a member is listed twice, or is the owner".into());
    }
    let mut admins = BTreeSet::new();
    if !chat
        .admins
        .iter()
        .all(|a| seen.contains(a) && admins.insert(a))
    {
        return Err("an admin is no member, or is listed twice".into());
    }
    if !chat.mutes.iter().all(|(m, _)| chat.has(m)) {
        return Err("a muted user is no member".into());
    }
    Ok(())
}

/// The ids of groups and rooms (one sequence for both, as the service's "group ID already
/// exists" for rooms shows): decimal numbers of 15 digits today, like the docs' `184524748161025`,
/// growing with the clock (64 a millisecond) and ending in 4 bits drawn from the seed.
#[derive(Debug)]
pub struct ChatIds {
    ticks: TimeSequence,
    node: u64,
}

/// Group and room ids a millisecond.
pub const CHAT_TICKS_PER_MS: u64 = 64;

/// 2017-01-01T00:00:00Z: ids count milliseconds from here.
const CHAT_EPOCH_MS: i64 = 1_483_228_800_000;

impl ChatIds {
    /// The sequence of a server whose ids come from `ids`.
    pub fn new(ids: &Ids) -> Self {
        let node = u64::from(ids.digest(&[b"easemob-chat-ids"])[0] & 0x0F);
        Self {
            ticks: TimeSequence::new(CHAT_TICKS_PER_MS),
            node,
        }
    }

    /// A fresh id at `now_ms`.
    pub fn next(&self, now_ms: i64) -> u64 {
        let ms = (now_ms - CHAT_EPOCH_MS).max(0) as u64;
        (self.ticks.reserve(ms, 1) << 4) | self.node
    }

    /// The tick of the last id issued (0: none yet), for a snapshot.
    pub fn last_tick(&self) -> u64 {
        self.ticks.last()
    }

    /// Continues the ids after the tick `last`, as [`Self::last_tick`] gave it.
    pub fn set_last_tick(&self, last: u64) {
        self.ticks.set_last(last);
    }
}

impl super::tenant::Tenant {
    /// Its groups or its rooms.
    pub fn chats(&self, kind: Kind) -> &ChatStore {
        match kind {
            Kind::Group => &self.groups,
            Kind::Room => &self.rooms,
        }
    }
}
