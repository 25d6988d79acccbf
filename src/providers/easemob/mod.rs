//! The Easemob (环信) REST emulator, mounted at `/{org_name}/{app_name}/...`: app and user
//! tokens, users, the message service (three send endpoints and the legacy `/messages`),
//! chat files and recall. See `contracts/easemob.md` for the behaviour it reproduces.

mod auth;
mod call;
mod error;
mod files;
mod fixtures;
mod json;
mod legacy;
mod msgid;
mod recall;
mod routes;
mod send;
mod tenant;
mod token;
mod user_store;
mod users;
mod validate;
mod wire;

pub use fixtures::Fixtures;
pub use routes::{claims, dispatch};

use crate::core::tenants::TenantMap;
use crate::core::Core;
use actix_web::web;
use msgid::MessageIds;
use std::sync::Arc;
use tenant::Tenant;

/// The provider's name in the journal and the admin API.
pub const PROVIDER: &str = "easemob";

/// Everything the Easemob emulator keeps.
#[derive(Debug)]
pub struct State {
    pub core: Arc<Core>,
    fixtures: Fixtures,
    strict_tenants: bool,
    tenants: TenantMap<Tenant>,
    message_ids: MessageIds,
    tokens: auth::Verifier,
}

impl State {
    /// The emulator's state over `core`, hosting the tenants of `fixtures`; with
    /// `strict_tenants`, only those.
    pub fn new(core: Arc<Core>, fixtures: Fixtures, strict_tenants: bool) -> Self {
        let node = core.ids.rng().next_u64();
        Self {
            core,
            fixtures,
            strict_tenants,
            tenants: TenantMap::default(),
            message_ids: MessageIds::new(node),
            tokens: auth::Verifier::default(),
        }
    }

    /// The tenant `key` (`org/app`), created on first use unless strict and not in the
    /// fixtures.
    fn tenant(&self, key: &str, org: &str, app: &str) -> Option<Arc<Tenant>> {
        self.tenants.get_or_create(key, |key| {
            let settings = match self.fixtures.tenants.get(&**key) {
                Some(settings) => settings,
                None if self.strict_tenants => return None,
                None => &self.fixtures.defaults,
            };
            Some(Tenant::new(&self.core, key, org, app, settings))
        })
    }
}

impl crate::providers::Provider for State {
    fn name(&self) -> &'static str {
        PROVIDER
    }

    fn reset(&self, tenant: Option<&str>) {
        self.tenants.reset(tenant);
        self.core.journal.drop_partitions(Some(PROVIDER), tenant);
    }

    fn tenant_count(&self) -> usize {
        self.tenants.len()
    }
}

/// Hands the Easemob state to the application. Easemob's routes are reached through
/// [`dispatch`] for every path no other provider claims (see [`claims`]).
pub fn configure(cfg: &mut web::ServiceConfig, state: web::Data<State>) {
    cfg.app_data(state);
}
