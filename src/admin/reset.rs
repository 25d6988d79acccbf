//! `POST /_emulator/reset[?provider=&tenant=]`: forgets everything (the request log and the
//! fault rules included), one provider's state, or one tenant's (in one provider, or in all of
//! them).

use super::{bad_request, Admin};
use actix_web::{HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Query {
    provider: Option<String>,
    tenant: Option<String>,
}

#[derive(Serialize)]
struct Done<'a> {
    reset: Vec<&'static str>,
    tenant: Option<&'a str>,
}

pub fn reset(admin: &Admin, req: &HttpRequest) -> HttpResponse {
    let query: Query = match serde_urlencoded::from_str(req.query_string()) {
        Ok(q) => q,
        Err(e) => return bad_request(format!("bad query: {e}")),
    };
    let provider = query.provider.as_deref().filter(|p| !p.is_empty());
    let tenant = query.tenant.as_deref().filter(|t| !t.is_empty());
    let chosen: Vec<_> = admin
        .providers
        .iter()
        .filter(|p| provider.is_none_or(|name| name == p.name()))
        .collect();
    if chosen.is_empty() {
        let known: Vec<_> = admin.providers.iter().map(|p| p.name()).collect();
        return bad_request(format!(
            "unknown provider {:?}; known: {}",
            provider.unwrap_or_default(),
            known.join(", ")
        ));
    }
    for p in &chosen {
        p.reset(tenant);
    }
    if provider.is_none() && tenant.is_none() {
        // Everything: the request log, the callbacks and the fault rules too.
        admin.core.requests.clear();
        admin.core.callbacks.store.clear();
        admin.core.faults.remove(None);
    }
    HttpResponse::Ok().json(Done {
        reset: chosen.iter().map(|p| p.name()).collect(),
        tenant,
    })
}
