//! The Easemob (环信) REST emulator, mounted at `/{org_name}/{app_name}/...`: app and user
//! tokens, users, the message service (three send endpoints and the legacy `/messages`),
//! chat files, recall, rewrite, offline message counts, the hourly history export, and the
//! users' status, bans, mutes, attributes, contacts and blocks, and groups and chat rooms with
//! their members, admins and mutes. See `contracts/easemob.md` for the behaviour it reproduces.

mod account_routes;
mod auth;
mod call;
mod callback_message;
mod callback_rules;
mod chat_joined;
mod chat_members;
mod chat_store;
mod chats;
mod client_send;
mod contact_pages;
mod error;
mod faults;
mod file_store;
mod files;
mod fixtures;
mod history;
mod history_file;
mod json;
mod legacy;
mod metadata;
mod metadata_store;
mod msgid;
mod mute_store;
mod mutes;
mod offline;
mod offline_store;
mod post_send;
mod pre_send;
mod recall;
mod relation_store;
mod relations;
mod rewrite;
pub mod route_docs;
mod routes;
mod send;
mod snapshot;
mod social;
mod tenant;
mod token;
mod user_admin;
mod user_store;
mod users;
mod validate;
mod wire;

pub use client_send::client_send;
pub use fixtures::Fixtures;
pub use msgid::CLOCK_RANGE;
pub use routes::{claims, dispatch, split};

use crate::core::tenants::TenantMap;
use crate::core::Core;
use actix_web::web;
use msgid::MessageIds;
use std::sync::Arc;
use tenant::Tenant;

/// The provider's name in the journal and the admin API.
pub const PROVIDER: &str = "easemob";

/// The longest `{org_name}` or `{app_name}`: an app name is at most 32 characters of letters,
/// digits, `-` and `_` (`docs/product/enable_and_configure_IM.md`); a path naming another can
/// never reach an application.
const MAX_NAME_CHARS: usize = 32;

/// Everything the Easemob emulator keeps.
#[derive(Debug)]
pub struct State {
    pub core: Arc<Core>,
    fixtures: Fixtures,
    strict_tenants: bool,
    tenants: TenantMap<Tenant>,
    message_ids: MessageIds,
    tokens: auth::Verifier,
    chat_ids: chat_store::ChatIds,
}

impl State {
    /// The emulator's state over `core`, hosting the tenants of `fixtures`; with
    /// `strict_tenants`, only those.
    pub fn new(core: Arc<Core>, fixtures: Fixtures, strict_tenants: bool) -> Self {
        let node = core.ids.rng().next_u64();
        let chat_ids = chat_store::ChatIds::new(&core.ids);
        let state = Self {
            tenants: TenantMap::new(core.max_tenants),
            core,
            fixtures,
            strict_tenants,
            message_ids: MessageIds::new(node),
            tokens: auth::Verifier::default(),
            chat_ids,
        };
        state.store_fixtures(None);
        state
    }

    /// Stores the fixture tenants and those created at run time (only `only`, when given) as
    /// their settings make them.
    fn store_fixtures(&self, only: Option<&str>) {
        let make = |key: &str, settings: &_| self.make_tenant(key, settings);
        self.fixtures.store_into(&self.tenants, only, make);
    }

    /// A fresh tenant `key` (`org/app`) made from `settings`.
    fn make_tenant(&self, key: &str, settings: &fixtures::Settings) -> Tenant {
        let (org, app) = key.split_once('/').unwrap_or((key, ""));
        Tenant::new(&self.core, &Arc::from(key), org, app, settings)
    }

    /// The tenant `key` (`org/app`): the stored one, or a fresh one made from the defaults
    /// (`true`: not stored yet), unless strict or the names cannot be an application's.
    fn tenant(&self, key: &str, org: &str, app: &str) -> Option<(Arc<Tenant>, bool)> {
        if let Some(stored) = self.tenants.get(key) {
            return Some((stored, false));
        }
        if self.strict_tenants || !valid_name(org) || !valid_name(app) {
            return None;
        }
        let fresh = Tenant::new(
            &self.core,
            &Arc::from(key),
            org,
            app,
            &self.fixtures.defaults,
        );
        Some((Arc::new(fresh), true))
    }

    /// Stores a fresh tenant, or returns the one a concurrent call stored first; `None` when
    /// the emulator holds as many tenants as it may.
    fn keep(&self, key: &str, fresh: Arc<Tenant>) -> Option<Arc<Tenant>> {
        self.tenants.keep(key, fresh).ok()
    }
}

/// Whether `name` can be an `{org_name}` or `{app_name}`.
fn valid_name(name: &str) -> bool {
    (1..=MAX_NAME_CHARS).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
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
        let mut sums = [0u64; USAGE.len()];
        for tenant in self.tenants.all() {
            for (sum, count) in sums.iter_mut().zip(tenant_usage(&tenant)) {
                *sum += count;
            }
        }
        USAGE.into_iter().zip(sums).collect()
    }

    fn fixture_summary(&self) -> String {
        super::fixture_summary(&self.fixtures.source, self.fixtures.tenants.keys())
    }

    fn tenants(&self) -> Vec<super::TenantInfo> {
        super::tenant_infos(&self.tenants, &self.fixtures, |t| {
            let any = || "(any)".to_owned();
            let credentials = vec![
                ("application", t.application_text.to_string()),
                (
                    "client_id",
                    t.settings.client_id.clone().unwrap_or_else(any),
                ),
                (
                    "client_secret",
                    t.settings.client_secret.clone().unwrap_or_else(any),
                ),
            ];
            (
                credentials,
                USAGE.into_iter().zip(tenant_usage(t)).collect(),
            )
        })
    }

    fn snapshot(&self) -> serde_json::Value {
        self.snapshot_value()
    }

    fn restore(&self, state: serde_json::Value) -> Result<(), String> {
        self.restore_value(state)
    }

    fn create_tenant(&self, fixture: super::Fixture) -> Result<String, super::Refusal> {
        let parsed = self.fixtures.runtime(fixture.clone());
        let make = |key: &str, settings: &_| self.make_tenant(key, settings);
        self.fixtures.create(&self.tenants, fixture, parsed, make)
    }

    fn created_tenants(&self) -> Vec<super::Fixture> {
        self.fixtures.created_fixtures()
    }

    fn recreate_tenants(&self, fixtures: Vec<super::Fixture>) -> Result<(), String> {
        (self.fixtures).recreate(fixtures, |f| self.fixtures.runtime(f))
    }

    /// `name` is `org/app` or `org#app`.
    fn delete_tenant(&self, name: &str) -> Result<(), super::Refusal> {
        let key = name.replacen('#', "/", 1);
        (self.fixtures).delete(&self.tenants, &self.core.journal, PROVIDER, &key)
    }

    fn fault_errors(&self) -> Vec<String> {
        faults::names().into_iter().map(String::from).collect()
    }

    fn fault(&self, name: &str, req: &actix_web::HttpRequest) -> Option<actix_web::HttpResponse> {
        faults::answer(name, req, self.core.clock.now_ms())
    }
}

/// What `/_emulator/health` counts of every tenant, in the order of [`tenant_usage`].
const USAGE: [&str; 11] = [
    "users",
    "files",
    "file_bytes",
    "files_dropped",
    "delivery_marks",
    "contacts",
    "blocks",
    "user_attribute_bytes",
    "muted_users",
    "groups",
    "rooms",
];

fn tenant_usage(tenant: &Tenant) -> [u64; USAGE.len()] {
    let files = tenant.files.counts();
    let (contacts, blocks) = tenant.social.relations.counts();
    [
        tenant.users.len() as u64,
        files.files as u64,
        files.bytes,
        files.dropped,
        tenant.deliveries.len() as u64,
        contacts,
        blocks,
        tenant.social.metadata.bytes(),
        tenant.social.mutes.len() as u64,
        tenant.groups.len() as u64,
        tenant.rooms.len() as u64,
    ]
}

/// Hands the Easemob state to the application. Easemob's routes are reached through
/// [`dispatch`] for every path no other provider claims (see [`claims`]).
pub fn configure(cfg: &mut web::ServiceConfig, state: web::Data<State>) {
    cfg.app_data(state);
}
