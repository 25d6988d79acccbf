//! An OpenIM tenant: one self-hosted server's worth of state (users, groups, tokens,
//! messages) with its settings and journal partition. The root path is tenant `default`;
//! `/tenants/{name}/...` selects another.

use super::fixtures::{Settings, Version};
use super::group_store::GroupStore;
use super::msg_store::MsgStore;
use super::tokens::TokenStore;
use super::user_store::{User, UserStore};
use crate::core::journal::Partition;
use crate::core::Core;
use std::sync::Arc;

/// The app-manager level of the admin users the server creates at start, by release.
fn admin_level(version: Version) -> i32 {
    match version {
        Version::Release => 3,
        Version::Main => 2,
    }
}

/// One OpenIM server.
#[derive(Debug)]
pub struct Tenant {
    /// Its name: `default`, or the `{name}` of `/tenants/{name}/`.
    pub name: Arc<str>,
    pub settings: Settings,
    pub users: UserStore,
    pub groups: GroupStore,
    pub tokens: TokenStore,
    pub messages: MsgStore,
    pub journal: Arc<Partition>,
}

impl Tenant {
    /// A fresh tenant named `name` made from `settings`: its admin users (created at start,
    /// as the real server does) and fixture users registered.
    pub fn new(core: &Core, name: &Arc<str>, settings: &Settings) -> Self {
        let now = core.clock.now_ms();
        let admins = settings.admin_user_ids.iter().map(|id| User {
            user_id: id.clone(),
            nickname: match settings.version {
                Version::Release => id.clone(),
                Version::Main => "superAdmin".into(),
            },
            face_url: String::new(),
            ex: String::new(),
            create_time: now,
            app_manger_level: admin_level(settings.version),
            global_recv_msg_opt: 0,
        });
        let fixtures = settings.users.iter().map(|u| User {
            user_id: u.user_id.clone(),
            nickname: u.nickname.clone(),
            face_url: u.face_url.clone(),
            ex: String::new(),
            create_time: now,
            app_manger_level: u.app_manger_level,
            global_recv_msg_opt: 0,
        });
        let users = UserStore::default();
        let _ = users.insert_all(admins.chain(fixtures).collect(), 0);
        Self {
            name: name.clone(),
            settings: settings.clone(),
            users,
            groups: GroupStore::default(),
            tokens: TokenStore::default(),
            messages: MsgStore::default(),
            journal: core.journal.partition(super::PROVIDER, name),
        }
    }
}
