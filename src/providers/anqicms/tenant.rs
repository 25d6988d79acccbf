//! An AnqiCMS tenant: one site with its settings, users, communication orders and journal
//! partition.

use super::fixtures::Settings;
use super::order_store::OrderStore;
use super::user_store::{User, UserStore};
use crate::core::journal::Partition;
use crate::core::Core;
use std::sync::Arc;

/// One site.
#[derive(Debug)]
pub struct Tenant {
    pub name: Arc<str>,
    pub settings: Settings,
    pub users: UserStore,
    pub orders: OrderStore,
    pub journal: Arc<Partition>,
}

impl Tenant {
    /// A fresh site `name` made from `settings`, its fixture users registered.
    pub fn new(core: &Core, name: &Arc<str>, settings: &Settings) -> Self {
        let users = UserStore::default();
        let now_s = core.clock.now_ms().div_euclid(1000);
        for fixture in &settings.users {
            let user = User {
                id: 0,
                created_time: now_s,
                user_name: fixture.user_name.clone(),
                real_name: String::new(),
                first_name: String::new(),
                last_name: String::new(),
                avatar_url: String::new(),
                email: fixture.email.clone(),
                phone: fixture.phone.clone(),
                invite_code: String::new(),
                last_login: 0,
                password: password_digest(core, &fixture.password),
            };
            let _ = users.insert(user, 0);
        }
        Self {
            name: name.clone(),
            settings: settings.clone(),
            users,
            orders: OrderStore::default(),
            journal: core.journal.partition(super::PROVIDER, name),
        }
    }

    /// The key user tokens are signed with: the site's secret + `-user-token`. Every site has
    /// its own secret, as real sites do: the configured one for `default`, and the configured
    /// one + `-` + the site's name for the others, so that a token of one site is no good on
    /// another.
    pub fn token_key(&self) -> String {
        let secret = &self.settings.token_secret;
        if &*self.name == super::DEFAULT_TENANT {
            format!("{secret}-user-token")
        } else {
            format!("{secret}-{}-user-token", self.name)
        }
    }
}

/// The keyed digest a password is kept as.
pub fn password_digest(core: &Core, password: &str) -> [u8; 32] {
    core.ids.digest(&[b"anqicms-password", password.as_bytes()])
}
