//! The one router: every request goes, by the first segment of its path, to exactly one of
//! the admin API and the providers, which match the rest with plain strings (no regular
//! expression on the request path). `_emulator` is the admin API; OpenIM's own first segments
//! (`auth`, `user`, `msg`, `group`, ...) are OpenIM's tenant `default`, and
//! `/tenants/{name}/...` another OpenIM tenant; `/im` and `/nimserver` are Yunxin's; `/api` is
//! AnqiCMS's site `default` and `/tenants/{name}/api/...` another site; Easemob claims every
//! other `/{org}/{app}/...`;
//! the rest get a JSON 404 of the emulator's own that names the closest documented routes
//! (the route tables of the OpenAPI document).

use crate::admin;
use crate::core::route_doc::RouteDoc;
use crate::providers::{anqicms, easemob, openim, yunxin};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

#[derive(Serialize)]
struct NotFound {
    error: &'static str,
    message: String,
    closest: Vec<String>,
}

/// Routes a request to the admin API or the provider its path belongs to.
pub async fn route(req: HttpRequest, payload: web::Payload) -> HttpResponse {
    let first = req.path().split('/').nth(1).unwrap_or_default();
    if first == "_emulator" {
        return admin::dispatch(req, payload).await;
    }
    if openim::claims(first) {
        return openim::dispatch(req, payload, openim::DEFAULT_TENANT, 0).await;
    }
    if anqicms::claims(first) {
        return anqicms::dispatch(req, payload, anqicms::DEFAULT_TENANT, 0).await;
    }
    if first == "tenants" {
        let mut segments = req.path().split('/').skip(2);
        let name = segments.next().unwrap_or_default().to_owned();
        let route_start = "/tenants/".len() + name.len();
        if segments.next().is_some_and(anqicms::claims) {
            return anqicms::dispatch(req, payload, &name, route_start).await;
        }
        return openim::dispatch(req, payload, &name, route_start).await;
    }
    if yunxin::claims(first) {
        return yunxin::dispatch(req, payload).await;
    }
    if easemob::claims(req.path()) {
        return easemob::dispatch(req, payload).await;
    }
    not_found(&req)
}

/// 404 with the three routes sharing most path words with the request.
fn not_found(req: &HttpRequest) -> HttpResponse {
    let words: Vec<&str> = req.path().split('/').filter(|w| !w.is_empty()).collect();
    let mut ranked: Vec<(usize, &RouteDoc)> = admin::openapi::all_routes()
        .map(|route| (shared_words(route.path, &words), route))
        .collect();
    ranked.sort_by_key(|(score, _)| std::cmp::Reverse(*score));
    let closest = ranked.into_iter().take(3);
    HttpResponse::NotFound().json(NotFound {
        error: "not_found",
        message: format!("no emulated route matches {} {}", req.method(), req.path()),
        closest: closest
            .map(|(_, r)| format!("{} {}", r.method, r.path))
            .collect(),
    })
}

fn shared_words(path: &str, words: &[&str]) -> usize {
    path.split('/')
        .filter(|part| !part.is_empty() && !part.starts_with('{'))
        .filter(|part| words.iter().any(|w| w.eq_ignore_ascii_case(part)))
        .count()
}
