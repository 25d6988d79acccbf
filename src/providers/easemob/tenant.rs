//! An Easemob tenant: one `org/app` application with its settings, users and what they keep
//! (contacts, blocks, attributes, mutes), files, groups and chat rooms, rate windows, delivery
//! marks and journal partition. Unknown pairs are created on first use unless
//! `--strict-tenants`.

use super::chat_store::ChatStore;
use super::file_store::FileStore;
use super::fixtures::{Limits, Settings, TargetLimits};
use super::offline_store::Deliveries;
use super::social::Social;
use super::user_store::UserStore;
use crate::core::journal::{ChatType, Partition};
use crate::core::rate::RateWindow;
use crate::core::Core;
use std::sync::Arc;
use uuid::Uuid;

/// Where a message goes: the three send endpoints and legacy `target_type` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Users,
    ChatGroups,
    ChatRooms,
}

impl Target {
    /// The app-relative path of the send endpoint.
    pub fn path(self) -> &'static str {
        match self {
            Target::Users => "/messages/users",
            Target::ChatGroups => "/messages/chatgroups",
            Target::ChatRooms => "/messages/chatrooms",
        }
    }

    /// The app-relative path of the send endpoint for chosen members (groups and rooms).
    pub fn members_path(self) -> &'static str {
        match self {
            Target::Users => "/messages/users",
            Target::ChatGroups => "/messages/chatgroups/users",
            Target::ChatRooms => "/messages/chatrooms/users",
        }
    }

    /// The journal's name for the conversation kind.
    pub fn chat_type(self) -> ChatType {
        match self {
            Target::Users => ChatType::Single,
            Target::ChatGroups => ChatType::Group,
            Target::ChatRooms => ChatType::Room,
        }
    }

    /// The legacy `target_type` value naming it.
    pub fn parse_legacy(target_type: &str) -> Option<Self> {
        match target_type {
            "users" => Some(Target::Users),
            "chatgroups" => Some(Target::ChatGroups),
            "chatrooms" => Some(Target::ChatRooms),
            _ => None,
        }
    }

    /// The limits that apply to it.
    pub fn limits(self, limits: &Limits) -> TargetLimits {
        match self {
            Target::Users => limits.users,
            Target::ChatGroups => limits.chatgroups,
            Target::ChatRooms => limits.chatrooms,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// The call and message windows of one send target; `targeted_calls` counts the calls of its
/// targeted variant (`/messages/chatgroups/users`), which has a limit of its own.
#[derive(Debug)]
pub struct SendRates {
    pub calls: RateWindow,
    pub targeted_calls: RateWindow,
    pub messages: RateWindow,
}

/// A tenant's rate windows, one per API group.
#[derive(Debug)]
pub struct Rates {
    pub token: RateWindow,
    pub users: RateWindow,
    pub chatfiles: RateWindow,
    pub recall: RateWindow,
    pub offline: RateWindow,
    pub history: RateWindow,
    pub rewrite: RateWindow,
    send: [SendRates; 3],
}

impl Rates {
    /// Fresh windows for `l`.
    pub fn new(l: &Limits) -> Self {
        let per_second = |max| RateWindow::new(max, 1000);
        let send = |t: TargetLimits| SendRates {
            calls: per_second(t.calls_per_second),
            targeted_calls: per_second(t.users_calls_per_second),
            messages: RateWindow::new(t.messages_per_window, i64::from(t.window_ms)),
        };
        Self {
            token: per_second(l.token_calls_per_second),
            users: per_second(l.users_calls_per_second),
            chatfiles: per_second(l.chatfiles_calls_per_second),
            recall: per_second(l.recall_calls_per_second),
            offline: per_second(l.offline_calls_per_second),
            history: RateWindow::new(l.history_calls_per_minute, 60_000),
            rewrite: per_second(l.rewrite_calls_per_second),
            send: [send(l.users), send(l.chatgroups), send(l.chatrooms)],
        }
    }

    /// The windows of a send target.
    pub fn send(&self, target: Target) -> &SendRates {
        &self.send[target.index()]
    }
}

/// One Easemob application.
#[derive(Debug)]
pub struct Tenant {
    pub org: Box<str>,
    pub app: Box<str>,
    pub application: Uuid,
    /// `application` in its hyphenated form, as envelopes carry it.
    pub application_text: Box<str>,
    pub settings: Settings,
    pub users: UserStore,
    pub files: FileStore,
    /// Contacts, blocks, attributes and mutes of the users.
    pub social: Social,
    pub groups: ChatStore,
    pub rooms: ChatStore,
    pub rates: Rates,
    pub journal: Arc<Partition>,
    /// Up to where each user's messages were delivered (the admin API says so).
    pub deliveries: Deliveries,
}

impl Tenant {
    /// A fresh tenant named `key` (`org/app`) made from `settings`.
    pub fn new(core: &Core, key: &Arc<str>, org: &str, app: &str, settings: &Settings) -> Self {
        let application = settings
            .application
            .unwrap_or_else(|| core.ids.named_uuid_v1(&format!("easemob:{key}")));
        let now = core.clock.now_ms();
        let users = UserStore::default();
        for u in &settings.users {
            let user = users.make(core, now, &u.username, &u.password, u.nickname.as_deref());
            let _ = users.insert(user, 0);
        }
        Self {
            org: org.into(),
            app: app.into(),
            application,
            application_text: application.hyphenated().to_string().into(),
            rates: Rates::new(&settings.limits),
            settings: settings.clone(),
            users,
            files: FileStore::default(),
            social: Social::default(),
            groups: ChatStore::new(&settings.limits.groups),
            rooms: ChatStore::new(&settings.limits.rooms),
            journal: core.journal.partition(super::PROVIDER, key),
            deliveries: Deliveries::default(),
        }
    }
}
