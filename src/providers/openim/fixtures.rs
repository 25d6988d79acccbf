//! OpenIM fixtures: the secret, the admin user IDs, the users that exist from the start, token
//! lifetime, the release whose behaviour is emulated, the bounds of each store, and the
//! message webhooks (`webhooks`, as `config/webhooks.yml` sets them). The
//! built-in file is `fixtures/openim/tenants.json`; `--fixtures DIR` replaces it with
//! `DIR/openim/tenants.json`. The root path is tenant `default`; `/tenants/{name}/...` selects
//! another, made from `defaults` (or from its own entry) by its first successful call.

use super::webhook_settings::Webhooks;
use crate::core::{created, fixtures};
use crate::providers::Fixture;
use serde::{Deserialize, Serialize};
use std::path::Path;

const BUILT_IN: &str = include_str!("../../../fixtures/openim/tenants.json");

/// The tenant the root path selects.
pub const DEFAULT_TENANT: &str = "default";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    defaults: TenantFixture,
    #[serde(default)]
    tenants: Vec<TenantFixture>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct TenantFixture {
    name: Option<String>,
    secret: Option<String>,
    admin_user_ids: Option<Vec<String>>,
    token_expire_days: Option<i64>,
    version: Option<Version>,
    max_users: Option<usize>,
    max_groups: Option<usize>,
    max_messages: Option<usize>,
    users: Option<Vec<UserFixture>>,
    webhooks: Option<Webhooks>,
}

/// A user that exists from the start.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserFixture {
    pub user_id: String,
    pub nickname: String,
    #[serde(default)]
    pub face_url: String,
    #[serde(default)]
    pub app_manger_level: i32,
}

/// The release line whose behaviour is emulated where `main` and the last release differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Version {
    /// v3.8.3-patch.16, the latest release (the default).
    #[serde(rename = "v3.8.3")]
    Release,
    /// The `main` branch: content types 114 and 118, no `modify` key in send answers, and
    /// non-admin senders of single chats must exist.
    #[serde(rename = "main")]
    Main,
}

/// Everything a tenant is made from.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub secret: String,
    pub admin_user_ids: Vec<String>,
    pub token_expire_days: i64,
    pub version: Version,
    pub max_users: usize,
    pub max_groups: usize,
    pub max_messages: usize,
    pub users: Vec<UserFixture>,
    /// The message webhooks; a tenant's object replaces the defaults' whole.
    #[serde(default)]
    pub webhooks: Webhooks,
}

/// The loaded fixtures: settings per named tenant, and those of tenants made on first use.
pub type Fixtures = fixtures::Tenants<Settings>;

impl Fixtures {
    /// The built-in fixtures, or those of `dir` when it has `openim/tenants.json`.
    pub fn load(dir: Option<&Path>) -> Result<Self, String> {
        Self::read_with(dir, "openim", "OpenIM", BUILT_IN, Self::parse)
    }

    fn parse(text: &str) -> Result<Self, String> {
        let file: File = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let defaults = Settings::builtin().merged(&file.defaults);
        check(&defaults, "defaults")?;
        let mut loaded = Self::new(defaults);
        for t in &file.tenants {
            let (name, settings) = loaded.listed(t)?;
            loaded.add(name, settings)?;
        }
        let defaults = loaded.defaults.clone();
        loaded
            .tenants
            .entry(DEFAULT_TENANT.to_owned())
            .or_insert(defaults);
        Ok(loaded)
    }

    /// The name and settings of one tenant of the file, checked as the server checks them
    /// at start.
    fn listed(&self, t: &TenantFixture) -> Result<(String, Settings), String> {
        let name = t.name.clone().ok_or("every tenant needs a \"name\"")?;
        if !crate::core::tenants::valid_client_name(&name) {
            return Err(format!(
                "tenant {name:?}: a name has 1 to 64 letters, digits, '-', '_' or '.'"
            ));
        }
        let settings = self.defaults.merged(t);
        check(&settings, &name)?;
        Ok((name, settings))
    }

    /// The name and settings of a tenant created at run time from `fixture`, one entry of
    /// the file's `tenants`.
    pub fn runtime(&self, fixture: Fixture) -> Result<(String, Settings), String> {
        self.listed(&created::parse(fixture)?)
    }
}

/// Refuses settings the real server could not run with.
fn check(settings: &Settings, tenant: &str) -> Result<(), String> {
    if settings.secret.is_empty() {
        return Err(format!("tenant {tenant}: the secret is empty"));
    }
    if settings.admin_user_ids.is_empty() {
        return Err(format!("tenant {tenant}: no admin user ID"));
    }
    let mut seen = std::collections::HashSet::new();
    let ids = settings.admin_user_ids.iter();
    for id in ids.chain(settings.users.iter().map(|u| &u.user_id)) {
        if !super::user_store::legal_user_id(id) || id.is_empty() {
            return Err(format!("tenant {tenant}: user ID {id:?} is not legal"));
        }
        if !seen.insert(id.as_str()) {
            return Err(format!("tenant {tenant}: user {id} is listed twice"));
        }
    }
    (settings.webhooks.check()).map_err(|e| format!("tenant {tenant}: {e}"))?;
    if let Some(user) = settings.users.iter().find(|u| u.nickname.is_empty()) {
        return Err(format!(
            "tenant {tenant}: user {} has no nickname",
            user.user_id
        ));
    }
    Ok(())
}

impl Settings {
    fn builtin() -> Self {
        Self {
            secret: "openIM123".into(),
            admin_user_ids: vec!["imAdmin".into()],
            token_expire_days: 90,
            version: Version::Release,
            max_users: 10_000,
            max_groups: 1_000,
            max_messages: 100_000,
            users: Vec::new(),
            webhooks: Webhooks::default(),
        }
    }

    fn merged(&self, f: &TenantFixture) -> Self {
        Self {
            secret: f.secret.clone().unwrap_or_else(|| self.secret.clone()),
            admin_user_ids: f
                .admin_user_ids
                .clone()
                .unwrap_or_else(|| self.admin_user_ids.clone()),
            token_expire_days: f.token_expire_days.unwrap_or(self.token_expire_days),
            version: f.version.unwrap_or(self.version),
            max_users: f.max_users.unwrap_or(self.max_users),
            max_groups: f.max_groups.unwrap_or(self.max_groups),
            max_messages: f.max_messages.unwrap_or(self.max_messages),
            users: f.users.clone().unwrap_or_else(|| self.users.clone()),
            webhooks: (f.webhooks.clone()).unwrap_or_else(|| self.webhooks.clone()),
        }
    }

    /// Whether `user_id` is an admin (app manager).
    pub fn is_admin(&self, user_id: &str) -> bool {
        self.admin_user_ids.iter().any(|a| a == user_id)
    }
}
