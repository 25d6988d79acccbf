//! A Yunxin tenant: one app (AppKey) with its settings, accounts, teams, messages and journal
//! partition.

use super::account_store::{Account, AccountStore, Configuration, UserInformation};
use super::fixtures::Settings;
use super::msg_store::MsgStore;
use super::team_store::TeamStore;
use crate::core::journal::Partition;
use crate::core::Core;
use std::sync::Arc;

/// One Yunxin app.
#[derive(Debug)]
pub struct Tenant {
    pub app_key: Arc<str>,
    pub settings: Settings,
    pub accounts: AccountStore,
    pub teams: TeamStore,
    pub messages: MsgStore,
    pub journal: Arc<Partition>,
}

impl Tenant {
    /// A fresh app `app_key` made from `settings`, its fixture accounts registered.
    pub fn new(core: &Core, app_key: &Arc<str>, settings: &Settings) -> Self {
        let accounts = AccountStore::default();
        for fixture in &settings.accounts {
            let account = Account {
                account_id: fixture.account_id.to_ascii_lowercase(),
                token: fixture.token.clone().unwrap_or_else(|| token(core)),
                configuration: Configuration::default(),
                user_information: UserInformation {
                    name: fixture.name.clone(),
                    ..UserInformation::default()
                },
                blocked: Default::default(),
                friends: Default::default(),
                friend_requests: Default::default(),
            };
            let _ = accounts.insert(account, 0);
        }
        Self {
            app_key: app_key.clone(),
            settings: settings.clone(),
            accounts,
            teams: TeamStore::default(),
            messages: MsgStore::default(),
            journal: core.journal.partition(super::PROVIDER, app_key),
        }
    }
}

/// A fresh account token: 32 hex digits from the seeded random stream.
pub fn token(core: &Core) -> String {
    let (a, b) = (core.ids.rng().next_u64(), core.ids.rng().next_u64());
    format!("{a:016x}{b:016x}")
}
