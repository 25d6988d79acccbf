//! A tenant's groups (`sdkws.GroupInfo`) and their members, at most the tenant's
//! `max_groups` of them.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

/// A member's role (`constant.GroupOwner` ...).
pub const OWNER: i32 = 100;
pub const ADMIN: i32 = 60;
pub const ORDINARY: i32 = 20;

/// A group as `create_group` and `get_groups_info` answer it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GroupInfo {
    #[serde(rename = "groupID")]
    pub group_id: String,
    pub group_name: String,
    pub notification: String,
    pub introduction: String,
    #[serde(rename = "faceURL")]
    pub face_url: String,
    #[serde(rename = "ownerUserID")]
    pub owner_user_id: String,
    pub create_time: i64,
    pub member_count: u32,
    pub ex: String,
    pub status: i32,
    #[serde(rename = "creatorUserID")]
    pub creator_user_id: String,
    pub group_type: i32,
    pub need_verification: i32,
    pub look_member_info: i32,
    pub apply_member_friend: i32,
    pub notification_update_time: i64,
    #[serde(rename = "notificationUserID")]
    pub notification_user_id: String,
}

/// A group: its info and its members' roles.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub info: GroupInfo,
    pub members: HashMap<String, i32>,
}

/// The groups of a tenant.
#[derive(Debug, Default)]
pub struct GroupStore {
    pub(super) inner: RwLock<HashMap<String, Group>>,
}

impl GroupStore {
    fn read(&self) -> RwLockReadGuard<'_, HashMap<String, Group>> {
        self.inner.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, HashMap<String, Group>> {
        self.inner.write().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether the group `id` exists.
    pub fn exists(&self, id: &str) -> bool {
        self.read().contains_key(id)
    }

    /// Stores `group` unless its ID is taken or the store holds `max` groups (0: no bound);
    /// says which.
    pub fn insert(&self, group: Group, max: usize) -> Result<(), bool> {
        let mut groups = self.write();
        if groups.contains_key(&group.info.group_id) {
            return Err(true);
        }
        if max > 0 && groups.len() >= max {
            return Err(false);
        }
        groups.insert(group.info.group_id.clone(), group);
        Ok(())
    }

    /// The group `id`.
    pub fn get(&self, id: &str) -> Option<Group> {
        self.read().get(id).cloned()
    }

    /// The role of `user` in the group `id`, if a member.
    pub fn role(&self, id: &str, user: &str) -> Option<i32> {
        self.read().get(id)?.members.get(user).copied()
    }

    /// The members of the group `id`.
    pub fn members(&self, id: &str) -> Vec<String> {
        let groups = self.read();
        let mut members: Vec<String> = groups
            .get(id)
            .map(|g| g.members.keys().cloned().collect())
            .unwrap_or_default();
        members.sort_unstable();
        members
    }

    /// Adds `users` as ordinary members of the group `id`; `false` when it does not exist.
    pub fn add_members(&self, id: &str, users: &[String]) -> bool {
        let mut groups = self.write();
        let Some(group) = groups.get_mut(id) else {
            return false;
        };
        for user in users {
            group.members.entry(user.clone()).or_insert(ORDINARY);
        }
        group.info.member_count = group.members.len() as u32;
        true
    }

    /// How many groups it holds.
    pub fn len(&self) -> usize {
        self.read().len()
    }
}
