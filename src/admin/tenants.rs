//! `/_emulator/tenants`: `GET` lists every tenant of every provider (or of `?provider=`) with
//! its name, where it came from (`origin`: `fixtures`, `admin` or `call`), the credentials a
//! client needs and what it holds; `POST` creates one from a fixture object, so that a test
//! suite can have its own; `DELETE ?provider=&name=` drops one with its journal.

use super::{bad_request, problem, Admin};
use crate::core::created::Origin;
use crate::providers::{Fixture, Provider, Refusal, TenantInfo};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::sync::Arc;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Query {
    provider: Option<String>,
}

#[derive(Serialize)]
struct Listed {
    provider: &'static str,
    #[serde(flatten)]
    tenant: TenantInfo,
    /// The records the journal holds for it.
    messages: usize,
}

impl Listed {
    fn new(admin: &Admin, provider: &'static str, tenant: TenantInfo) -> Self {
        let messages = admin.core.journal.tenant_len(provider, &tenant.name);
        Self {
            provider,
            tenant,
            messages,
        }
    }
}

#[derive(Serialize)]
struct Listing {
    tenants: Vec<Listed>,
    total: usize,
}

/// The tenants, by provider and then by name.
pub fn list(admin: &Admin, req: &HttpRequest) -> HttpResponse {
    let query: Query = match serde_urlencoded::from_str(req.query_string()) {
        Ok(q) => q,
        Err(e) => return bad_request(format!("bad query: {e}")),
    };
    let wanted = query.provider.as_deref().filter(|p| !p.is_empty());
    if let Some(name) = wanted.filter(|w| admin.providers.iter().all(|p| p.name() != *w)) {
        let known: Vec<_> = admin.providers.iter().map(|p| p.name()).collect();
        return bad_request(format!(
            "unknown provider {name:?}; known: {}",
            known.join(", ")
        ));
    }
    let event_id = super::events::event_id(&admin.core);
    let mut tenants: Vec<Listed> = admin
        .providers
        .iter()
        .filter(|p| wanted.is_none_or(|w| w == p.name()))
        .flat_map(|p| p.tenants().into_iter().map(|t| (p.name(), t)))
        .map(|(provider, tenant)| Listed::new(admin, provider, tenant))
        .collect();
    tenants.sort_by(|a, b| (a.provider, &a.tenant.name).cmp(&(b.provider, &b.tenant.name)));
    let total = tenants.len();
    // Where the live events stood as the listing was read: the state is in the body, the
    // position (which a restored server does not share) in the header.
    HttpResponse::Ok()
        .insert_header(("Last-Event-ID", event_id))
        .json(Listing { tenants, total })
}

/// `POST /_emulator/tenants` with `{"provider": ..., ...one tenant of the provider's fixture
/// file...}`: 201 and the tenant as the listing shows it.
pub fn create(admin: &Admin, body: &[u8]) -> HttpResponse {
    let mut fixture: Fixture = match serde_json::from_slice(body) {
        Ok(fixture) => fixture,
        Err(e) => return bad_request(format!("the body is not a JSON object: {e}")),
    };
    let given = fixture.remove("provider");
    let given = given.as_ref().and_then(Value::as_str);
    let Some(provider) = given.and_then(|name| find(admin, name)) else {
        return unknown_provider(admin, given);
    };
    let name = match provider.create_tenant(fixture) {
        Ok(name) => name,
        Err(refusal) => return refused(admin, provider.name(), refusal),
    };
    match provider.tenants().into_iter().find(|t| t.name == name) {
        Some(tenant) => HttpResponse::Created().json(Listed::new(admin, provider.name(), tenant)),
        None => refused(admin, provider.name(), Refusal::NotFound),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Named {
    provider: String,
    name: String,
}

/// `DELETE /_emulator/tenants?provider=&name=`: 204 once the tenant and its journal are gone.
pub fn delete(admin: &Admin, req: &HttpRequest) -> HttpResponse {
    let query: Named = match serde_urlencoded::from_str(req.query_string()) {
        Ok(q) => q,
        Err(e) => return bad_request(format!("bad query (provider and name are needed): {e}")),
    };
    let Some(provider) = find(admin, &query.provider) else {
        return unknown_provider(admin, Some(&query.provider));
    };
    match provider.delete_tenant(&query.name) {
        Ok(()) => HttpResponse::NoContent().finish(),
        Err(Refusal::NotFound) => problem(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("{} has no tenant {:?}", provider.name(), query.name),
        ),
        Err(Refusal::Fixture) => problem(
            StatusCode::CONFLICT,
            "conflict",
            format!(
                "{p} tenant {name:?} comes from the fixtures and cannot be deleted; \
                 POST /_emulator/reset?provider={p}&tenant={name} restores it instead",
                p = provider.name(),
                name = query.name
            ),
        ),
        Err(refusal) => refused(admin, provider.name(), refusal),
    }
}

fn find<'a>(admin: &'a Admin, name: &str) -> Option<&'a Arc<dyn Provider>> {
    admin.providers.iter().find(|p| p.name() == name)
}

/// 400 for a `provider` that is missing (`None`) or names none.
fn unknown_provider(admin: &Admin, given: Option<&str>) -> HttpResponse {
    let known = known(admin);
    bad_request(match given {
        Some(name) => format!("unknown provider {name:?}; known: {known}"),
        None => format!("\"provider\" names the tenant's provider: one of {known}"),
    })
}

fn known(admin: &Admin) -> String {
    let names: Vec<_> = admin.providers.iter().map(|p| p.name()).collect();
    names.join(", ")
}

/// The answer to a refused create or delete.
fn refused(admin: &Admin, provider: &str, refusal: Refusal) -> HttpResponse {
    match refusal {
        Refusal::Invalid(why) => bad_request(format!("invalid {provider} tenant: {why}")),
        Refusal::Exists(name, Origin::Fixtures) => problem(
            StatusCode::CONFLICT,
            "conflict",
            format!("{provider} tenant {name:?} exists: the fixtures list it; choose another name"),
        ),
        Refusal::Exists(name, origin) => problem(
            StatusCode::CONFLICT,
            "conflict",
            format!(
                "{provider} tenant {name:?} exists (origin {}); DELETE /_emulator/tenants?\
                 provider={provider}&name={name} drops it, or choose another name",
                origin.as_str()
            ),
        ),
        Refusal::Full => problem(
            StatusCode::INSUFFICIENT_STORAGE,
            "insufficient_storage",
            format!(
                "{provider} holds {} tenants, as many as --max-tenants allows; delete one \
                 (DELETE /_emulator/tenants) or reset",
                admin.core.max_tenants
            ),
        ),
        Refusal::NotFound => problem(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("the new {provider} tenant was deleted at once by another call"),
        ),
        Refusal::Fixture => problem(
            StatusCode::CONFLICT,
            "conflict",
            format!("that {provider} tenant comes from the fixtures and cannot be deleted"),
        ),
    }
}
