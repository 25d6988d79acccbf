//! The NetEase Yunxin IM server API v2 emulator, under `/im/v2/` and `/im/v2.1/` (each also
//! under `/nimserver`): accounts, block lists and friends, advanced and super teams with their
//! members and chat bans, and messages (send, batch send, history, recall and delete). The
//! tenant is the `AppKey` header. See `contracts/yunxin.md` for the behaviour it reproduces.

mod account_store;
mod accounts;
mod auth;
mod call;
mod checks;
mod client_send;
mod contacts;
mod conversation;
mod copy;
mod device;
mod error;
mod faults;
mod fixtures;
mod history;
mod message;
mod msg_store;
pub mod route_docs;
mod routes;
mod send;
mod snapshot;
mod team_members;
mod team_store;
mod teams;
mod tenant;
mod third_party;
mod wire;

pub use client_send::client_send;
pub use fixtures::Fixtures;
pub use routes::{claims, dispatch};

use crate::core::ids::TimeSequence;
use crate::core::tenants::TenantMap;
use crate::core::Core;
use actix_web::web;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tenant::Tenant;

/// The provider's name in the journal and the admin API.
pub const PROVIDER: &str = "yunxin";

/// Server message IDs per clock millisecond: about 1.7e13 today, below 2^53 until year 9999.
const MESSAGE_IDS_PER_MS: u64 = 10;

/// The first team ID handed out.
const FIRST_TEAM_ID: u64 = 30_000_001;

/// Everything the Yunxin emulator keeps.
#[derive(Debug)]
pub struct State {
    pub core: Arc<Core>,
    fixtures: Fixtures,
    strict_tenants: bool,
    tenants: TenantMap<Tenant>,
    message_ids: TimeSequence,
    team_ids: AtomicU64,
}

impl State {
    /// The emulator's state over `core`, hosting the apps of `fixtures`; with
    /// `strict_tenants`, only those.
    pub fn new(core: Arc<Core>, fixtures: Fixtures, strict_tenants: bool) -> Self {
        let state = Self {
            tenants: TenantMap::new(core.max_tenants),
            message_ids: TimeSequence::new(MESSAGE_IDS_PER_MS),
            team_ids: AtomicU64::new(FIRST_TEAM_ID),
            core,
            fixtures,
            strict_tenants,
        };
        state.store_fixtures(None);
        state
    }

    fn store_fixtures(&self, only: Option<&str>) {
        let make = |key: &str, settings: &_| Tenant::new(&self.core, &Arc::from(key), settings);
        self.fixtures.store_into(&self.tenants, only, make);
    }

    /// `count` consecutive new server message IDs at the clock reading `now_ms`; the first.
    fn message_ids(&self, now_ms: i64, count: u64) -> u64 {
        self.message_ids.reserve(now_ms.max(0) as u64, count)
    }

    /// A new team ID.
    fn team_id(&self) -> u64 {
        self.team_ids.fetch_add(1, Ordering::Relaxed)
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
        let (mut accounts, mut teams, mut messages) = (0, 0, 0);
        for tenant in self.tenants.all() {
            accounts += tenant.accounts.len() as u64;
            teams += tenant.teams.len() as u64;
            messages += tenant.messages.len() as u64;
        }
        vec![
            ("accounts", accounts),
            ("teams", teams),
            ("messages", messages),
        ]
    }

    fn fixture_summary(&self) -> String {
        super::fixture_summary(&self.fixtures.source, self.fixtures.tenants.keys())
    }

    fn tenants(&self) -> Vec<super::TenantInfo> {
        super::tenant_infos(&self.tenants, &self.fixtures, |t| {
            let credentials = vec![
                ("app_key", t.app_key.to_string()),
                ("app_secret", t.settings.app_secret.clone()),
            ];
            (
                credentials,
                vec![
                    ("accounts", t.accounts.len() as u64),
                    ("teams", t.teams.len() as u64),
                    ("messages", t.messages.len() as u64),
                ],
            )
        })
    }

    fn snapshot(&self) -> serde_json::Value {
        serde_json::to_value(self.dump()).expect("the Yunxin state is JSON")
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
        faults::names()
    }

    fn fault(&self, name: &str, _req: &actix_web::HttpRequest) -> Option<actix_web::HttpResponse> {
        faults::answer(name)
    }
}

/// Hands the Yunxin state to the application; its routes are reached through [`dispatch`].
pub fn configure(cfg: &mut web::ServiceConfig, state: web::Data<State>) {
    cfg.app_data(state);
}
