//! `GET /_emulator/tenants`: every tenant of every provider (or of `?provider=`) with its
//! name, whether the fixtures made it, the credentials a client needs and what it holds.

use super::{bad_request, Admin};
use crate::providers::TenantInfo;
use actix_web::{HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

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
    let mut tenants: Vec<Listed> = admin
        .providers
        .iter()
        .filter(|p| wanted.is_none_or(|w| w == p.name()))
        .flat_map(|p| p.tenants().into_iter().map(|t| (p.name(), t)))
        .map(|(provider, tenant)| Listed { provider, tenant })
        .collect();
    tenants.sort_by(|a, b| (a.provider, &a.tenant.name).cmp(&(b.provider, &b.tenant.name)));
    let total = tenants.len();
    HttpResponse::Ok().json(Listing { tenants, total })
}
