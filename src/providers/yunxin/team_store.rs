//! A tenant's teams (contract §5): advanced (`team_type` 1) and super (2) teams with numeric
//! IDs, their configuration (with the chat-ban mode the send checks use) and members with
//! their role and chat ban; at most the tenant's `max_teams`.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

/// `team_type` of an advanced team, and of a super team.
pub const ADVANCED: i64 = 1;
pub const SUPER: i64 = 2;

/// `chat_banned_mode`: nobody banned, normal members banned, everyone banned.
pub const NOT_BANNED: i64 = 0;
pub const NORMAL_BANNED: i64 = 1;
pub const ALL_BANNED: i64 = 3;

/// A team's configuration.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct TeamConfiguration {
    pub join_mode: i64,
    pub agree_mode: i64,
    pub invite_mode: i64,
    pub update_team_info_mode: i64,
    pub update_extension_mode: i64,
    pub chat_banned_mode: i64,
}

/// A member's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Owner,
    Manager,
    Normal,
}

/// A member.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    pub role: Role,
    pub join_time: i64,
    pub chat_banned: bool,
}

/// A team as `team_info` shows it, and its members (which a state document keeps beside it).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Team {
    pub team_id: u64,
    pub team_type: i64,
    pub owner_account_id: String,
    pub member_count: usize,
    pub name: String,
    pub icon: String,
    pub announcement: String,
    pub intro: String,
    pub members_limit: i64,
    pub server_extension: String,
    pub customer_extension: String,
    pub create_time: i64,
    pub update_time: i64,
    pub configuration: TeamConfiguration,
    #[serde(skip, default)]
    pub members: HashMap<String, Member>,
}

/// The teams of a tenant.
#[derive(Debug, Default)]
pub struct TeamStore {
    pub(super) inner: RwLock<HashMap<u64, Team>>,
}

impl TeamStore {
    fn read(&self) -> RwLockReadGuard<'_, HashMap<u64, Team>> {
        self.inner.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, HashMap<u64, Team>> {
        self.inner.write().unwrap_or_else(|p| p.into_inner())
    }

    /// Stores `team` unless the store holds `max` (0: no bound).
    pub fn insert(&self, team: Team, max: usize) -> Result<(), ()> {
        let mut teams = self.write();
        if max > 0 && teams.len() >= max {
            return Err(());
        }
        teams.insert(team.team_id, team);
        Ok(())
    }

    /// What `look` reads from the team `id`, if there is one.
    pub fn with<R>(&self, id: u64, look: impl FnOnce(&Team) -> R) -> Option<R> {
        self.read().get(&id).map(look)
    }

    /// Changes the team `id` with `change` (its member count follows), and returns what it
    /// returned.
    pub fn update<R>(&self, id: u64, change: impl FnOnce(&mut Team) -> R) -> Option<R> {
        let mut teams = self.write();
        let team = teams.get_mut(&id)?;
        let result = change(team);
        team.member_count = team.members.len();
        Some(result)
    }

    /// How many teams it holds.
    pub fn len(&self) -> usize {
        self.read().len()
    }
}
