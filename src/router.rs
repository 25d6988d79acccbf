//! The one router: every request goes, by the first segment of its path, to exactly one of
//! the admin API and the providers, which match the rest with plain strings (no regular
//! expression on the request path). `_emulator` is the admin API; OpenIM's own first segments
//! (`auth`, `user`, `msg`, `group`, ...) are OpenIM's tenant `default`, and
//! `/tenants/{name}/...` another OpenIM tenant; `/im` and `/nimserver` are Yunxin's; `/api` is
//! AnqiCMS's site `default` and `/tenants/{name}/api/...` another site; Easemob claims every
//! other `/{org}/{app}/...`;
//! `/` redirects to the web inspector (`/_emulator/ui/`); the rest get a JSON 404 of the emulator's own that names the closest documented routes
//! (the route tables of the OpenAPI document).

use crate::admin;
use crate::core::route_doc::RouteDoc;
use crate::observe;
use crate::providers::{anqicms, easemob, openim, yunxin};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

#[derive(Serialize)]
struct NotFound {
    error: &'static str,
    message: String,
    closest: Vec<String>,
}

/// Routes a request to the admin API or the provider its path belongs to; a provider call
/// passes the fault rules and is logged (see [`observe`]).
pub async fn route(req: HttpRequest, payload: web::Payload) -> HttpResponse {
    let first = req.path().split('/').nth(1).unwrap_or_default();
    if first == "_emulator" {
        return admin::dispatch(req, payload).await;
    }
    if req.path() == "/" {
        return admin::ui::redirect();
    }
    let Some(target) = Target::of(&req, first) else {
        return not_found(&req);
    };
    match req.app_data::<web::Data<admin::Admin>>().cloned() {
        Some(admin) => observe::call(&admin, target, req, payload).await,
        None => target.call(req, payload).await,
    }
}

/// The provider a path belongs to, and its tenant where the path names it.
#[derive(Debug, Clone)]
pub enum Target {
    OpenIm(String, usize),
    AnqiCms(String, usize),
    Yunxin,
    Easemob,
}

impl Target {
    fn of(req: &HttpRequest, first: &str) -> Option<Self> {
        if openim::claims(first) {
            return Some(Self::OpenIm(openim::DEFAULT_TENANT.into(), 0));
        }
        if anqicms::claims(first) {
            return Some(Self::AnqiCms(anqicms::DEFAULT_TENANT.into(), 0));
        }
        if first == "tenants" {
            let mut segments = req.path().split('/').skip(2);
            let name = segments.next().unwrap_or_default().to_owned();
            let route_start = "/tenants/".len() + name.len();
            if segments.next().is_some_and(anqicms::claims) {
                return Some(Self::AnqiCms(name, route_start));
            }
            return Some(Self::OpenIm(name, route_start));
        }
        if yunxin::claims(first) {
            return Some(Self::Yunxin);
        }
        easemob::claims(req.path()).then_some(Self::Easemob)
    }

    /// The provider's name.
    pub fn provider(&self) -> &'static str {
        match self {
            Self::OpenIm(..) => openim::PROVIDER,
            Self::AnqiCms(..) => anqicms::PROVIDER,
            Self::Yunxin => yunxin::PROVIDER,
            Self::Easemob => easemob::PROVIDER,
        }
    }

    /// The tenant the call names: the `/tenants/{name}` prefix, Yunxin's `AppKey`, Easemob's
    /// `org/app`.
    pub fn tenant(&self, req: &HttpRequest) -> Option<String> {
        match self {
            Self::OpenIm(name, _) | Self::AnqiCms(name, _) => Some(name.clone()),
            Self::Yunxin => req
                .headers()
                .get("appkey")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            Self::Easemob => {
                let (org, app, _) = easemob::split(req.path())?;
                Some(format!("{org}/{app}"))
            }
        }
    }

    /// The provider's answer.
    pub async fn call(self, req: HttpRequest, payload: web::Payload) -> HttpResponse {
        match self {
            Self::OpenIm(name, start) => openim::dispatch(req, payload, &name, start).await,
            Self::AnqiCms(name, start) => anqicms::dispatch(req, payload, &name, start).await,
            Self::Yunxin => yunxin::dispatch(req, payload).await,
            Self::Easemob => easemob::dispatch(req, payload).await,
        }
    }
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
