//! The OpenIM server REST emulator, mounted at OpenIM's own first path segments (`/auth`,
//! `/user`, `/group`, `/msg`, ...) for tenant `default`, and under `/tenants/{name}/` for
//! others: admin and user tokens, users, groups, and messages (send, batch send, pull by seq,
//! search, revoke). See `contracts/openim.md` for the behaviour it reproduces; the release
//! line emulated is v3.8.3-patch.16, with `main`'s differences as a tenant setting.

mod auth;
mod bind;
mod call;
mod content;
mod error;
mod faults;
mod fixtures;
mod go_date;
mod go_text;
mod group_store;
mod groups;
mod ids;
mod jwt;
mod known;
mod msg_store;
mod op;
mod revoke;
pub mod route_docs;
mod routes;
mod search;
mod send;
mod snapshot;
mod sync;
mod tenant;
mod tokens;
mod user_store;
mod users;
mod webhook_body;
mod webhook_settings;
mod webhooks;
mod wire;

pub use fixtures::{Fixtures, DEFAULT_TENANT};
pub use routes::{claims, dispatch};

use crate::core::tenants::{valid_client_name, TenantMap};
use crate::core::Core;
use actix_web::web;
use std::sync::Arc;
use tenant::Tenant;

/// The provider's name in the journal and the admin API.
pub const PROVIDER: &str = "openim";

/// Everything the OpenIM emulator keeps.
#[derive(Debug)]
pub struct State {
    pub core: Arc<Core>,
    fixtures: Fixtures,
    strict_tenants: bool,
    tenants: TenantMap<Tenant>,
    ids: ids::MessageIds,
    tokens: jwt::Verified,
}

impl State {
    /// The emulator's state over `core`, hosting the tenants of `fixtures`; with
    /// `strict_tenants`, only those.
    pub fn new(core: Arc<Core>, fixtures: Fixtures, strict_tenants: bool) -> Self {
        let state = Self {
            tenants: TenantMap::new(core.max_tenants),
            ids: ids::MessageIds::default(),
            tokens: jwt::Verified::default(),
            core,
            fixtures,
            strict_tenants,
        };
        state.store_fixtures(None);
        state
    }

    fn store_fixtures(&self, only: Option<&str>) {
        let make = |name: &str, settings: &_| Tenant::new(&self.core, &Arc::from(name), settings);
        self.fixtures.store_into(&self.tenants, only, make);
    }

    /// The tenant `name`: the stored one, or a fresh one made from the defaults (`true`: not
    /// stored yet), unless strict or the name cannot be a tenant's.
    fn tenant(&self, name: &str) -> Option<(Arc<Tenant>, bool)> {
        let may_make = !self.strict_tenants && valid_client_name(name);
        let make = || Tenant::new(&self.core, &Arc::from(name), &self.fixtures.defaults);
        self.tenants.find_or_make(name, may_make, make)
    }

    /// Stores a fresh tenant, or returns the one a concurrent call stored first.
    fn keep(&self, name: &str, fresh: Arc<Tenant>) -> Option<Arc<Tenant>> {
        self.tenants.keep(name, fresh).ok()
    }
}

impl crate::providers::Provider for State {
    fn name(&self) -> &'static str {
        PROVIDER
    }

    fn reset(&self, tenant: Option<&str>) {
        self.tenants.reset(tenant);
        self.core.journal.drop_partitions(Some(PROVIDER), tenant);
        self.store_fixtures(tenant);
    }

    fn tenant_count(&self) -> usize {
        self.tenants.len()
    }

    fn usage(&self) -> Vec<(&'static str, u64)> {
        let (mut users, mut groups, mut messages) = (0, 0, 0);
        for tenant in self.tenants.all() {
            users += tenant.users.len() as u64;
            groups += tenant.groups.len() as u64;
            messages += tenant.messages.len() as u64;
        }
        vec![("users", users), ("groups", groups), ("messages", messages)]
    }

    fn fixture_summary(&self) -> String {
        super::fixture_summary(&self.fixtures.source, self.fixtures.tenants.keys())
    }

    fn tenants(&self) -> Vec<super::TenantInfo> {
        super::tenant_infos(&self.tenants, &self.fixtures, |t| {
            let credentials = vec![("secret", t.settings.secret.clone())];
            (
                credentials,
                vec![
                    ("users", t.users.len() as u64),
                    ("groups", t.groups.len() as u64),
                    ("messages", t.messages.len() as u64),
                ],
            )
        })
    }

    fn snapshot(&self) -> serde_json::Value {
        serde_json::to_value(self.dump()).expect("the OpenIM state is JSON")
    }

    fn restore(&self, state: serde_json::Value) -> Result<(), String> {
        self.load(serde_json::from_value(state).map_err(|e| e.to_string())?)
    }

    fn create_tenant(&self, fixture: super::Fixture) -> Result<String, super::Refusal> {
        let parsed = self.fixtures.runtime(fixture.clone());
        let make = |name: &str, settings: &_| Tenant::new(&self.core, &Arc::from(name), settings);
        self.fixtures.create(&self.tenants, fixture, parsed, make)
    }

    fn created_tenants(&self) -> Vec<super::Fixture> {
        self.fixtures.created_fixtures()
    }

    fn recreate_tenants(&self, fixtures: Vec<super::Fixture>) -> Result<(), String> {
        (self.fixtures).recreate(fixtures, |f| self.fixtures.runtime(f))
    }

    fn delete_tenant(&self, name: &str) -> Result<(), super::Refusal> {
        (self.fixtures).delete(&self.tenants, &self.core.journal, PROVIDER, name)
    }

    fn fault_errors(&self) -> Vec<String> {
        faults::names().into_iter().map(String::from).collect()
    }

    fn fault(&self, name: &str, req: &actix_web::HttpRequest) -> Option<actix_web::HttpResponse> {
        faults::answer(name, req)
    }
}

/// Hands the OpenIM state to the application; its routes are reached through [`dispatch`].
pub fn configure(cfg: &mut web::ServiceConfig, state: web::Data<State>) {
    cfg.app_data(state);
}
