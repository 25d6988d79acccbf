//! Easemob fixtures: the tenants (org/app pairs) the server hosts, their credentials, users,
//! token lifetime, registration mode, limits and callback rules (see [`super::callback_rules`]). The built-in file is
//! `fixtures/easemob/tenants.json`; `--fixtures DIR` replaces it with `DIR/easemob/tenants.json`.
//! Every field is documented in `fixtures/README.md`; a missing field takes the value of
//! `defaults`, then the built-in default.

use super::callback_rules::{check as check_rules, Rule};
use crate::core::{created, fixtures};
use crate::providers::Fixture;
use serde::Deserialize;
use std::path::Path;
use uuid::Uuid;

const BUILT_IN: &str = include_str!("../../../fixtures/easemob/tenants.json");

/// The fixture file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    defaults: TenantFixture,
    #[serde(default)]
    tenants: Vec<TenantFixture>,
}

/// One tenant (or the defaults): every field optional.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct TenantFixture {
    org: Option<String>,
    app: Option<String>,
    application: Option<Uuid>,
    client_id: Option<String>,
    client_secret: Option<String>,
    token_ttl_seconds: Option<u32>,
    open_registration: Option<bool>,
    recall_window_ms: Option<i64>,
    file_retention_ms: Option<i64>,
    max_users: Option<u32>,
    max_stored_file_bytes: Option<u64>,
    limits: Option<LimitsFixture>,
    users: Option<Vec<UserFixture>>,
    callback_rules: Option<Vec<Rule>>,
}

/// A user that exists from the start.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserFixture {
    pub username: String,
    pub password: String,
    pub nickname: Option<String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct LimitsFixture {
    enabled: Option<bool>,
    max_request_bytes: Option<u32>,
    max_message_bytes: Option<u32>,
    max_batch_users: Option<u32>,
    max_file_bytes: Option<u32>,
    token_calls_per_second: Option<u32>,
    users_calls_per_second: Option<u32>,
    chatfiles_calls_per_second: Option<u32>,
    recall_calls_per_second: Option<u32>,
    offline_calls_per_second: Option<u32>,
    history_calls_per_minute: Option<u32>,
    rewrite_calls_per_second: Option<u32>,
    max_contacts_per_user: Option<u32>,
    max_blocks_per_user: Option<u32>,
    max_user_metadata_bytes: Option<u32>,
    max_app_metadata_bytes: Option<u64>,
    users: Option<TargetFixture>,
    chatgroups: Option<TargetFixture>,
    chatrooms: Option<TargetFixture>,
    groups: Option<ChatFixture>,
    rooms: Option<ChatFixture>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct TargetFixture {
    max_recipients: Option<u32>,
    calls_per_second: Option<u32>,
    messages_per_window: Option<u32>,
    window_ms: Option<u32>,
    max_users: Option<u32>,
    users_calls_per_second: Option<u32>,
}

/// The limits of one message target; 0 turns a limit off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetLimits {
    pub max_recipients: u32,
    pub calls_per_second: u32,
    pub messages_per_window: u32,
    pub window_ms: u32,
    /// The most `users` of a targeted group or room message (`/messages/chatgroups/users`).
    pub max_users: u32,
    /// Calls per second of the targeted variant, counted apart from the target's own.
    pub users_calls_per_second: u32,
}

/// A tenant's limits; 0 turns a limit off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    pub max_request_bytes: u32,
    pub max_message_bytes: u32,
    pub max_batch_users: u32,
    pub max_file_bytes: u32,
    pub token_calls_per_second: u32,
    pub users_calls_per_second: u32,
    pub chatfiles_calls_per_second: u32,
    pub recall_calls_per_second: u32,
    /// `/users/{u}/offline_msg_count` and `offline_msg_status` calls per second.
    pub offline_calls_per_second: u32,
    /// `/chatmessages/{time}` calls per minute.
    pub history_calls_per_minute: u32,
    /// `/messages/rewrite/{msg_id}` calls per second.
    pub rewrite_calls_per_second: u32,
    /// Contacts one user may have (`user_relationship.md`: 100 on the free plan).
    pub max_contacts_per_user: u32,
    /// Users one user may block (`user_relationship.md`: 500).
    pub max_blocks_per_user: u32,
    /// Bytes of attributes one user may have (`userprofile.md`: 2 KB).
    pub max_user_metadata_bytes: u32,
    /// Bytes of attributes all users of the app may have (`userprofile.md`: 10 GB).
    pub max_app_metadata_bytes: u64,
    pub users: TargetLimits,
    pub chatgroups: TargetLimits,
    pub chatrooms: TargetLimits,
    pub groups: ChatLimits,
    pub rooms: ChatLimits,
}

/// Everything a tenant is made from (a state snapshot keeps it all but `users`, which are
/// kept as the users they made).
#[derive(Debug, Clone, serde::Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub application: Option<Uuid>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    pub token_ttl_seconds: u32,
    pub open_registration: bool,
    pub recall_window_ms: i64,
    pub file_retention_ms: i64,
    /// The most users the tenant keeps (0: no bound).
    pub max_users: u32,
    /// The most bytes of chat files the tenant keeps; the oldest files go first.
    pub max_stored_file_bytes: u64,
    pub limits: Limits,
    #[serde(skip)]
    pub users: Vec<UserFixture>,
    /// The callback rules (none: no callback is sent).
    #[serde(default)]
    pub callback_rules: Vec<Rule>,
}

/// The loaded fixtures: settings per `org/app`, and those of tenants created on first use.
pub type Fixtures = fixtures::Tenants<Settings>;

impl Fixtures {
    /// The built-in fixtures, or those of `dir` when it has `easemob/tenants.json`.
    pub fn load(dir: Option<&Path>) -> Result<Self, String> {
        Self::read_with(dir, "easemob", "Easemob", BUILT_IN, Self::parse)
    }

    fn parse(text: &str) -> Result<Self, String> {
        let file: File = serde_json::from_str(text).map_err(|e| e.to_string())?;
        check_users(&file.defaults, "defaults")?;
        let defaults = Settings::builtin().merged(&file.defaults);
        check_rules(&defaults.callback_rules).map_err(|e| format!("defaults: {e}"))?;
        let mut loaded = Self::new(defaults);
        for t in &file.tenants {
            let (key, settings) = loaded.listed(t)?;
            loaded.add(key, settings)?;
        }
        Ok(loaded)
    }

    /// The `org/app` key and settings of one tenant of the file, checked as the server
    /// checks them at start.
    fn listed(&self, t: &TenantFixture) -> Result<(String, Settings), String> {
        let (Some(org), Some(app)) = (&t.org, &t.app) else {
            return Err("every tenant needs an \"org\" and an \"app\"".into());
        };
        let key = format!("{org}/{app}");
        for name in [org, app] {
            if !super::valid_name(name) {
                return Err(format!(
                    "tenant {key}: {name:?} cannot be an org or app name \
                     (1 to 32 letters, digits, '-' or '_')"
                ));
            }
        }
        check_users(t, &key)?;
        let settings = self.defaults.merged(t);
        check_rules(&settings.callback_rules).map_err(|e| format!("tenant {key}: {e}"))?;
        Ok((key, settings))
    }

    /// The key and settings of a tenant created at run time from `fixture`, one entry of the
    /// file's `tenants`, whose `"name"` (`org/app` or `org#app`) may stand for `org` and `app`.
    pub fn runtime(&self, mut fixture: Fixture) -> Result<(String, Settings), String> {
        if let Some(name) = fixture.remove("name") {
            let text = name.as_str().unwrap_or_default();
            let Some((org, app)) = text.split_once(['/', '#']) else {
                return Err(format!("\"name\" {name} is not \"org/app\" or \"org#app\""));
            };
            for (field, part) in [("org", org), ("app", app)] {
                match fixture.get(field) {
                    Some(own) if own != part => {
                        return Err(format!("\"name\" {name} and \"{field}\" {own} differ"));
                    }
                    _ => fixture.insert(field.into(), part.into()),
                };
            }
        }
        self.listed(&created::parse(fixture)?)
    }
}

/// Refuses fixture users the real service would refuse to register.
fn check_users(fixture: &TenantFixture, tenant: &str) -> Result<(), String> {
    let mut seen = std::collections::HashSet::new();
    for user in fixture.users.iter().flatten() {
        if let Some(fault) = super::user_store::username_fault(&user.username) {
            return Err(format!(
                "tenant {tenant}: user {:?}: {fault}",
                user.username
            ));
        }
        if user.password.is_empty() || user.password.len() > super::user_store::MAX_PASSWORD_BYTES {
            return Err(format!(
                "tenant {tenant}: user {}: the password must have 1 to 64 bytes",
                user.username
            ));
        }
        if !seen.insert(user.username.to_ascii_lowercase()) {
            return Err(format!(
                "tenant {tenant}: user {} is listed twice",
                user.username
            ));
        }
    }
    Ok(())
}

impl Settings {
    fn builtin() -> Self {
        Self {
            application: None,
            client_id: None,
            client_secret: None,
            token_ttl_seconds: 5_184_000,
            open_registration: false,
            recall_window_ms: 120_000,
            file_retention_ms: 7 * 24 * 3_600_000,
            max_users: 10_000,
            max_stored_file_bytes: 100 * 1024 * 1024,
            limits: Limits::documented(),
            users: Vec::new(),
            callback_rules: Vec::new(),
        }
    }

    fn merged(&self, f: &TenantFixture) -> Self {
        Self {
            application: f.application.or(self.application),
            client_id: f.client_id.clone().or_else(|| self.client_id.clone()),
            client_secret: f
                .client_secret
                .clone()
                .or_else(|| self.client_secret.clone()),
            token_ttl_seconds: f.token_ttl_seconds.unwrap_or(self.token_ttl_seconds),
            open_registration: f.open_registration.unwrap_or(self.open_registration),
            recall_window_ms: f.recall_window_ms.unwrap_or(self.recall_window_ms),
            file_retention_ms: f.file_retention_ms.unwrap_or(self.file_retention_ms),
            max_users: f.max_users.unwrap_or(self.max_users),
            max_stored_file_bytes: f
                .max_stored_file_bytes
                .unwrap_or(self.max_stored_file_bytes),
            limits: f
                .limits
                .as_ref()
                .map_or(self.limits, |l| self.limits.merged(l)),
            users: f.users.clone().unwrap_or_else(|| self.users.clone()),
            callback_rules: (f.callback_rules.clone())
                .unwrap_or_else(|| self.callback_rules.clone()),
        }
    }
}

impl Limits {
    /// The limits the real service documents (contract §5, seed).
    fn documented() -> Self {
        let target =
            |max_recipients, calls_per_second, messages_per_window, window_ms| TargetLimits {
                max_recipients,
                calls_per_second,
                messages_per_window,
                window_ms,
                max_users: 20,
                users_calls_per_second: 100,
            };
        Self {
            max_request_bytes: 5 * 1024,
            max_message_bytes: 3 * 1024,
            max_batch_users: 60,
            max_file_bytes: 10 * 1024 * 1024,
            token_calls_per_second: 300,
            users_calls_per_second: 100,
            chatfiles_calls_per_second: 100,
            recall_calls_per_second: 100,
            offline_calls_per_second: 100,
            history_calls_per_minute: 10,
            rewrite_calls_per_second: 100,
            max_contacts_per_user: 100,
            max_blocks_per_user: 500,
            max_user_metadata_bytes: 2 * 1024,
            max_app_metadata_bytes: 10 * 1024 * 1024 * 1024,
            users: target(600, 100, 6000, 60_000),
            chatgroups: target(3, 20, 20, 1000),
            chatrooms: target(10, 20, 100, 1000),
            groups: ChatLimits::groups(),
            rooms: ChatLimits::rooms(),
        }
    }

    fn off() -> Self {
        let none = TargetLimits {
            max_recipients: 0,
            calls_per_second: 0,
            messages_per_window: 0,
            window_ms: 1000,
            max_users: 0,
            users_calls_per_second: 0,
        };
        Self {
            max_request_bytes: 0,
            max_message_bytes: 0,
            max_batch_users: 0,
            max_file_bytes: 0,
            token_calls_per_second: 0,
            users_calls_per_second: 0,
            chatfiles_calls_per_second: 0,
            recall_calls_per_second: 0,
            offline_calls_per_second: 0,
            history_calls_per_minute: 0,
            rewrite_calls_per_second: 0,
            max_contacts_per_user: 0,
            max_blocks_per_user: 0,
            max_user_metadata_bytes: 0,
            max_app_metadata_bytes: 0,
            users: none,
            chatgroups: none,
            chatrooms: none,
            groups: ChatLimits::off(),
            rooms: ChatLimits {
                default_members: 1000,
                ..ChatLimits::off()
            },
        }
    }

    fn merged(&self, f: &LimitsFixture) -> Self {
        let base = match f.enabled {
            Some(false) => Self::off(),
            Some(true) if *self == Self::off() => Self::documented(),
            _ => *self,
        };
        Self {
            max_request_bytes: f.max_request_bytes.unwrap_or(base.max_request_bytes),
            max_message_bytes: f.max_message_bytes.unwrap_or(base.max_message_bytes),
            max_batch_users: f.max_batch_users.unwrap_or(base.max_batch_users),
            max_file_bytes: f.max_file_bytes.unwrap_or(base.max_file_bytes),
            token_calls_per_second: f
                .token_calls_per_second
                .unwrap_or(base.token_calls_per_second),
            users_calls_per_second: f
                .users_calls_per_second
                .unwrap_or(base.users_calls_per_second),
            chatfiles_calls_per_second: f
                .chatfiles_calls_per_second
                .unwrap_or(base.chatfiles_calls_per_second),
            recall_calls_per_second: f
                .recall_calls_per_second
                .unwrap_or(base.recall_calls_per_second),
            offline_calls_per_second: f
                .offline_calls_per_second
                .unwrap_or(base.offline_calls_per_second),
            history_calls_per_minute: f
                .history_calls_per_minute
                .unwrap_or(base.history_calls_per_minute),
            rewrite_calls_per_second: f
                .rewrite_calls_per_second
                .unwrap_or(base.rewrite_calls_per_second),
            max_contacts_per_user: f
                .max_contacts_per_user
                .unwrap_or(base.max_contacts_per_user),
            max_blocks_per_user: f.max_blocks_per_user.unwrap_or(base.max_blocks_per_user),
            max_user_metadata_bytes: f
                .max_user_metadata_bytes
                .unwrap_or(base.max_user_metadata_bytes),
            max_app_metadata_bytes: f
                .max_app_metadata_bytes
                .unwrap_or(base.max_app_metadata_bytes),
            users: base.users.merged(f.users.as_ref()),
            chatgroups: base.chatgroups.merged(f.chatgroups.as_ref()),
            chatrooms: base.chatrooms.merged(f.chatrooms.as_ref()),
            groups: base.groups.merged(f.groups.as_ref()),
            rooms: base.rooms.merged(f.rooms.as_ref()),
        }
    }
}

impl TargetLimits {
    fn merged(self, f: Option<&TargetFixture>) -> Self {
        let Some(f) = f else { return self };
        Self {
            max_recipients: f.max_recipients.unwrap_or(self.max_recipients),
            calls_per_second: f.calls_per_second.unwrap_or(self.calls_per_second),
            messages_per_window: f.messages_per_window.unwrap_or(self.messages_per_window),
            window_ms: f.window_ms.unwrap_or(self.window_ms),
            max_users: f.max_users.unwrap_or(self.max_users),
            users_calls_per_second: f
                .users_calls_per_second
                .unwrap_or(self.users_calls_per_second),
        }
    }
}

// ------------------------------------------------------------------------------------------
// Groups and chat rooms

/// The limits of groups or of chat rooms, in a tenant's fixture `limits.groups` and
/// `limits.rooms`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChatFixture {
    max_count: Option<u32>,
    max_members: Option<u32>,
    default_members: Option<u32>,
    max_joined_per_user: Option<u32>,
    max_admins: Option<u32>,
    max_batch: Option<u32>,
    calls_per_second: Option<u32>,
}

/// The limits of groups or of chat rooms; 0 turns a limit off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChatLimits {
    /// How many the app holds (`appKey:... has create too many groups!`).
    pub max_count: u32,
    /// The highest `maxusers` (owner included).
    pub max_members: u32,
    /// `maxusers` when the request gives none.
    pub default_members: u32,
    /// How many one user joins (`user ... has joined too many groups!`).
    pub max_joined_per_user: u32,
    /// Admins besides the owner.
    pub max_admins: u32,
    /// Users per batch call (add, remove, mute, unmute).
    pub max_batch: u32,
    /// Calls a second to the routes under `/chatgroups` or `/chatrooms` (`limitationapi.md`).
    pub calls_per_second: u32,
}

impl ChatLimits {
    /// `limitation.md` (群组): 3000 members in a normal group, 200 by default, 99 admins,
    /// 60 users a call; 600 groups a user (the professional edition). Groups per app are
    /// unbounded on paid editions: the emulator keeps 10000.
    fn groups() -> Self {
        Self {
            max_count: 10_000,
            max_members: 3000,
            default_members: 200,
            max_joined_per_user: 600,
            max_admins: 99,
            max_batch: 60,
            calls_per_second: 100,
        }
    }

    /// `chatroom_manage.md`: `maxusers` in [1, 10000], 1000 by default; 99 admins, 60 users a
    /// call. Rooms per app and per user are not documented: 10000 and 100.
    fn rooms() -> Self {
        Self {
            max_count: 10_000,
            max_members: 10_000,
            default_members: 1000,
            max_joined_per_user: 100,
            max_admins: 99,
            max_batch: 60,
            calls_per_second: 100,
        }
    }

    fn off() -> Self {
        Self {
            max_count: 0,
            max_members: 0,
            max_joined_per_user: 0,
            max_admins: 0,
            max_batch: 0,
            calls_per_second: 0,
            ..Self::groups()
        }
    }

    fn merged(self, f: Option<&ChatFixture>) -> Self {
        let Some(f) = f else { return self };
        Self {
            max_count: f.max_count.unwrap_or(self.max_count),
            max_members: f.max_members.unwrap_or(self.max_members),
            default_members: f.default_members.unwrap_or(self.default_members),
            max_joined_per_user: f.max_joined_per_user.unwrap_or(self.max_joined_per_user),
            max_admins: f.max_admins.unwrap_or(self.max_admins),
            max_batch: f.max_batch.unwrap_or(self.max_batch),
            calls_per_second: f.calls_per_second.unwrap_or(self.calls_per_second),
        }
    }
}
