//! A tenant's OpenIM users (`sdkws.UserInfo`), by userID and in order of registration, at
//! most the tenant's `max_users` of them.

use serde::Serialize;
use std::collections::HashMap;
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

/// A user as `/user/get_users_info` answers it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    #[serde(rename = "userID")]
    pub user_id: String,
    pub nickname: String,
    #[serde(rename = "faceURL")]
    pub face_url: String,
    pub ex: String,
    pub create_time: i64,
    pub app_manger_level: i32,
    pub global_recv_msg_opt: i32,
}

/// Whether `id` is a legal userID: letters, digits and `_` (an empty one passes here; the
/// register call refuses it later, as the real server does).
pub fn legal_user_id(id: &str) -> bool {
    id.chars().all(|c| c.is_alphanumeric() || c == '_')
}

/// The users of a tenant.
#[derive(Debug, Default)]
pub struct UserStore {
    inner: RwLock<Users>,
}

#[derive(Debug, Default)]
struct Users {
    by_id: HashMap<String, User>,
    order: Vec<String>,
}

/// Why users could not be stored.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    Exists,
    Full,
}

impl UserStore {
    fn read(&self) -> RwLockReadGuard<'_, Users> {
        self.inner.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, Users> {
        self.inner.write().unwrap_or_else(|p| p.into_inner())
    }

    /// Stores `users`, all or none: none may exist already, and the store keeps at most
    /// `max` (0: no bound).
    pub fn insert_all(&self, users: Vec<User>, max: usize) -> Result<(), Refused> {
        let mut store = self.write();
        if users.iter().any(|u| store.by_id.contains_key(&u.user_id)) {
            return Err(Refused::Exists);
        }
        if max > 0 && store.by_id.len() + users.len() > max {
            return Err(Refused::Full);
        }
        for user in users {
            store.order.push(user.user_id.clone());
            store.by_id.insert(user.user_id.clone(), user);
        }
        Ok(())
    }

    /// The user `id`.
    pub fn get(&self, id: &str) -> Option<User> {
        self.read().by_id.get(id).cloned()
    }

    /// The `globalRecvMsgOpt` of the user `id`, if it exists.
    pub fn recv_opt(&self, id: &str) -> Option<i32> {
        self.read().by_id.get(id).map(|u| u.global_recv_msg_opt)
    }

    /// Whether the user `id` exists.
    pub fn exists(&self, id: &str) -> bool {
        self.read().by_id.contains_key(id)
    }

    /// The users of `ids` that exist, in the order of `ids`.
    pub fn find(&self, ids: &[String]) -> Vec<User> {
        let store = self.read();
        ids.iter()
            .filter_map(|id| store.by_id.get(id).cloned())
            .collect()
    }

    /// Every userID, in order of registration.
    pub fn all_ids(&self) -> Vec<String> {
        self.read().order.clone()
    }

    /// How many users it holds.
    pub fn len(&self) -> usize {
        self.read().by_id.len()
    }
}
