//! A tenant's accounts (contract §5): lower-cased IDs of letters, digits and `_ @ . -` (at most
//! 32), a token, the configuration (enabled, chat bans) and the user information, and each
//! account's block list; at most the tenant's `max_accounts`.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

/// The longest account ID.
pub const MAX_ACCOUNT_ID: usize = 32;

/// Whether `id` can be an account ID: 1 to 32 of letters, digits, `_`, `@`, `.`, `-`.
pub fn legal_account_id(id: &str) -> bool {
    (1..=MAX_ACCOUNT_ID).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'@' | b'.' | b'-'))
}

/// An account's configuration.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Configuration {
    pub enabled: bool,
    pub p2p_chat_banned: bool,
    pub team_chat_banned: bool,
    pub chatroom_chat_banned: bool,
    pub qchat_chat_banned: bool,
    pub push_enabled_when_desktop_online: bool,
}

impl Default for Configuration {
    fn default() -> Self {
        Self {
            enabled: true,
            p2p_chat_banned: false,
            team_chat_banned: false,
            chatroom_chat_banned: false,
            qchat_chat_banned: false,
            push_enabled_when_desktop_online: false,
        }
    }
}

/// An account's user information (name card).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct UserInformation {
    pub name: String,
    pub avatar: String,
    pub sign: String,
    pub email: String,
    pub birthday: String,
    pub mobile: String,
    pub gender: i64,
    pub extension: String,
}

/// An account.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    pub account_id: String,
    pub token: String,
    pub configuration: Configuration,
    pub user_information: UserInformation,
    /// The accounts it has blocked.
    #[serde(serialize_with = "crate::core::sorted::set")]
    pub blocked: HashSet<String>,
    #[serde(serialize_with = "crate::core::sorted::set")]
    pub friends: HashSet<String>,
    /// The accounts that asked to be its friends.
    #[serde(serialize_with = "crate::core::sorted::set")]
    pub friend_requests: HashSet<String>,
}

/// Why an account could not be stored.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    Exists,
    Full,
}

/// The accounts of a tenant.
#[derive(Debug, Default)]
pub struct AccountStore {
    pub(super) inner: RwLock<HashMap<String, Account>>,
}

impl AccountStore {
    fn read(&self) -> RwLockReadGuard<'_, HashMap<String, Account>> {
        self.inner.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, HashMap<String, Account>> {
        self.inner.write().unwrap_or_else(|p| p.into_inner())
    }

    /// Stores `account` unless its ID is taken or the store holds `max` (0: no bound).
    pub fn insert(&self, account: Account, max: usize) -> Result<Account, Refused> {
        let mut accounts = self.write();
        if accounts.contains_key(&account.account_id) {
            return Err(Refused::Exists);
        }
        if max > 0 && accounts.len() >= max {
            return Err(Refused::Full);
        }
        accounts.insert(account.account_id.clone(), account.clone());
        Ok(account)
    }

    /// What `look` reads from the account `id` (case-insensitive), if there is one.
    pub fn with<R>(&self, id: &str, look: impl FnOnce(&Account) -> R) -> Option<R> {
        self.read().get(lower(id).as_ref()).map(look)
    }

    /// Changes the account `id` with `change`, and returns what it returned.
    pub fn update<R>(&self, id: &str, change: impl FnOnce(&mut Account) -> R) -> Option<R> {
        self.write().get_mut(lower(id).as_ref()).map(change)
    }

    /// Changes the accounts `a` and `b` together with `change(account, the other's ID)`;
    /// `None` unless both exist. A failure of either changes neither.
    pub fn update_pair<E>(
        &self,
        a: &str,
        b: &str,
        change: impl Fn(&mut Account, &str) -> Result<(), E>,
    ) -> Option<Result<(), E>> {
        let mut accounts = self.write();
        let (Some(first), Some(second)) = (accounts.get(a), accounts.get(b)) else {
            return None;
        };
        let (mut first, mut second) = (first.clone(), second.clone());
        if let Err(e) = change(&mut first, b).and_then(|()| change(&mut second, a)) {
            return Some(Err(e));
        }
        accounts.insert(a.to_owned(), first);
        accounts.insert(b.to_owned(), second);
        Some(Ok(()))
    }

    /// How many accounts it holds.
    pub fn len(&self) -> usize {
        self.read().len()
    }
}

/// `id` lower-cased, borrowed when it is already.
fn lower(id: &str) -> Cow<'_, str> {
    if id.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(id.to_ascii_lowercase())
    } else {
        Cow::Borrowed(id)
    }
}
