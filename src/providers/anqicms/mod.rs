//! The AnqiCMS communication-order emulator, mounted at AnqiCMS's `/api/` for the site
//! `default` and under `/tenants/{name}/api/` for others: user register and login, and the
//! communication orders with their messages; the merchant's side is reached through the admin
//! API. See `contracts/anqicms.md` for the behaviour it reproduces.

mod call;
mod error;
mod faults;
mod fixtures;
mod locale;
mod merchant;
mod messages;
mod order_store;
mod orders;
pub mod route_docs;
mod routes;
mod snapshot;
mod tenant;
mod token;
mod user_store;
mod users;
mod wire;

pub use fixtures::{Fixtures, DEFAULT_TENANT};
pub use merchant::{Failure, Post};
pub use routes::{claims, dispatch};

use crate::core::tenants::{valid_client_name, TenantMap};
use crate::core::Core;
use actix_web::web;
use std::sync::Arc;
use tenant::Tenant;

/// The provider's name in the journal and the admin API.
pub const PROVIDER: &str = "anqicms";

/// Everything the AnqiCMS emulator keeps.
#[derive(Debug)]
pub struct State {
    pub core: Arc<Core>,
    fixtures: Fixtures,
    strict_tenants: bool,
    tenants: TenantMap<Tenant>,
}

impl State {
    /// The emulator's state over `core`, hosting the sites of `fixtures`; with
    /// `strict_tenants`, only those.
    pub fn new(core: Arc<Core>, fixtures: Fixtures, strict_tenants: bool) -> Self {
        let state = Self {
            tenants: TenantMap::new(core.max_tenants),
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

    /// The site `name`: the stored one, or a fresh one made from the defaults (`true`: not
    /// stored yet), unless strict or the name cannot be a tenant's.
    fn tenant(&self, name: &str) -> Option<(Arc<Tenant>, bool)> {
        let may_make = !self.strict_tenants && valid_client_name(name);
        let make = || Tenant::new(&self.core, &Arc::from(name), &self.fixtures.defaults);
        self.tenants.find_or_make(name, may_make, make)
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
        let (mut users, mut orders, mut messages, mut bytes) = (0, 0, 0, 0);
        for tenant in self.tenants.all() {
            let (o, m, b) = tenant.orders.counts();
            users += tenant.users.len() as u64;
            orders += o as u64;
            messages += m as u64;
            bytes += b as u64;
        }
        vec![
            ("users", users),
            ("orders", orders),
            ("messages", messages),
            ("message_bytes", bytes),
        ]
    }

    fn fixture_summary(&self) -> String {
        super::fixture_summary(&self.fixtures.source, self.fixtures.tenants.keys())
    }

    fn tenants(&self) -> Vec<super::TenantInfo> {
        super::tenant_infos(&self.tenants, &self.fixtures, |t| {
            let (orders, messages, bytes) = t.orders.counts();
            let credentials = vec![
                ("token_secret", t.settings.token_secret.clone()),
                ("token_key", t.token_key()),
            ];
            (
                credentials,
                vec![
                    ("users", t.users.len() as u64),
                    ("orders", orders as u64),
                    ("messages", messages as u64),
                    ("message_bytes", bytes as u64),
                ],
            )
        })
    }

    fn snapshot(&self) -> serde_json::Value {
        serde_json::to_value(self.dump()).expect("the AnqiCMS state is JSON")
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
        faults::NAMES.iter().map(|n| n.to_string()).collect()
    }

    fn fault(&self, name: &str, req: &actix_web::HttpRequest) -> Option<actix_web::HttpResponse> {
        faults::answer(name, req)
    }
}

/// Hands the AnqiCMS state to the application; its routes are reached through [`dispatch`].
pub fn configure(cfg: &mut web::ServiceConfig, state: web::Data<State>) {
    cfg.app_data(state);
}
