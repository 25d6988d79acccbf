//! AnqiCMS fixtures: the sites (tenants) the server hosts, the secret their user tokens are
//! signed with, the users that exist from the start and the bounds of each store. The
//! built-in file is `fixtures/anqicms/tenants.json`; `--fixtures DIR` replaces it with
//! `DIR/anqicms/tenants.json`. The root path is tenant `default`; other names under
//! `/tenants/{name}/` are made from `defaults` by their first successful call.

use crate::core::{created, fixtures};
use crate::providers::Fixture;
use serde::{Deserialize, Serialize};
use std::path::Path;

const BUILT_IN: &str = include_str!("../../../fixtures/anqicms/tenants.json");

/// The tenant of the root path.
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
    token_secret: Option<String>,
    max_users: Option<usize>,
    max_orders: Option<usize>,
    max_messages: Option<usize>,
    max_message_bytes: Option<usize>,
    users: Option<Vec<UserFixture>>,
}

/// A user that exists from the start.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserFixture {
    pub user_name: String,
    pub password: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
}

/// Everything a tenant is made from.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The site's TokenSecret: user tokens are signed with it + `-user-token`.
    pub token_secret: String,
    pub max_users: usize,
    pub max_orders: usize,
    pub max_messages: usize,
    /// The most bytes of message content the site keeps.
    pub max_message_bytes: usize,
    pub users: Vec<UserFixture>,
}

/// The loaded fixtures: settings per named tenant, and those of tenants made on first use.
pub type Fixtures = fixtures::Tenants<Settings>;

impl Fixtures {
    /// The built-in fixtures, or those of `dir` when it has `anqicms/tenants.json`.
    pub fn load(dir: Option<&Path>) -> Result<Self, String> {
        Self::read_with(dir, "anqicms", "AnqiCMS", BUILT_IN, Self::parse)
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
        (loaded.tenants)
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

/// Refuses settings the real server could not run with: an empty secret, and users it would
/// not register.
fn check(settings: &Settings, tenant: &str) -> Result<(), String> {
    if settings.token_secret.is_empty() {
        return Err(format!("tenant {tenant}: the token secret is empty"));
    }
    let mut seen = std::collections::HashSet::new();
    for user in &settings.users {
        let fault = super::users::registration_fault(
            &user.user_name,
            &user.password,
            &user.email,
            &user.phone,
        );
        if let Some(fault) = fault {
            return Err(format!(
                "tenant {tenant}: user {:?}: {fault}",
                user.user_name
            ));
        }
        for key in [&user.user_name, &user.email, &user.phone] {
            if !key.is_empty() && !seen.insert(key.clone()) {
                return Err(format!("tenant {tenant}: {key:?} is listed twice"));
            }
        }
    }
    Ok(())
}

impl Settings {
    fn builtin() -> Self {
        Self {
            token_secret: "anqicms-emulator-token-secret".into(),
            max_users: 10_000,
            max_orders: 10_000,
            max_messages: 100_000,
            max_message_bytes: 32 * 1024 * 1024,
            users: Vec::new(),
        }
    }

    fn merged(&self, f: &TenantFixture) -> Self {
        Self {
            token_secret: (f.token_secret.clone()).unwrap_or_else(|| self.token_secret.clone()),
            max_users: f.max_users.unwrap_or(self.max_users),
            max_orders: f.max_orders.unwrap_or(self.max_orders),
            max_messages: f.max_messages.unwrap_or(self.max_messages),
            max_message_bytes: f.max_message_bytes.unwrap_or(self.max_message_bytes),
            users: f.users.clone().unwrap_or_else(|| self.users.clone()),
        }
    }
}
