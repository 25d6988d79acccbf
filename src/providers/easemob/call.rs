//! The context of one Easemob call: the shared state, the request, the clock reading taken at
//! its start, and the steps every handler shares (tenant, body cap, rate window, token), each
//! failing with Easemob's own error.

use super::auth::{self, Principal};
use super::error::EasemobError;
use super::routes::split;
use super::tenant::Tenant;
use super::State;
use crate::core::payload::{read_capped, BodyError, HARD_CAP};
use crate::core::rate::RateWindow;
use actix_web::{web, HttpRequest, HttpResponse};
use std::sync::Arc;
use std::time::Instant;

/// One call to an Easemob route.
pub struct Call {
    pub state: web::Data<State>,
    pub req: HttpRequest,
    pub now_ms: i64,
    started: Instant,
    /// Where `{org_name}` and `{app_name}` end in the path.
    org_end: usize,
    app_end: usize,
}

impl Call {
    /// A call of `req` on `state`, its clock reading taken now.
    pub fn new(state: web::Data<State>, req: HttpRequest) -> Self {
        let (org_end, app_end) = split(req.path()).map_or((1, 1), |(org, app, _)| {
            (1 + org.len(), 2 + org.len() + app.len())
        });
        Self {
            now_ms: state.core.clock.now_ms(),
            state,
            req,
            started: Instant::now(),
            org_end,
            app_end,
        }
    }

    /// The `{org_name}` of the path.
    pub fn org(&self) -> &str {
        self.req.path().get(1..self.org_end).unwrap_or_default()
    }

    /// The `{app_name}` of the path.
    pub fn app(&self) -> &str {
        let start = (self.org_end + 1).min(self.app_end);
        self.req.path().get(start..self.app_end).unwrap_or_default()
    }

    /// The path under the application, e.g. `/messages/users`.
    pub fn rest(&self) -> &str {
        self.req.path().get(self.app_end..).unwrap_or_default()
    }

    /// The second segment under the application: `{username}` of `/users/{username}`,
    /// `{uuid}` of `/chatfiles/{uuid}`.
    pub fn param(&self) -> &str {
        self.rest().split('/').nth(2).unwrap_or_default()
    }

    /// Milliseconds spent on the call so far.
    pub fn duration(&self) -> u64 {
        self.started.elapsed().as_millis() as u64
    }

    /// The tenant the path names; 404 under `--strict-tenants` for one not in the fixtures.
    pub fn tenant(&self) -> Result<Arc<Tenant>, EasemobError> {
        let (org, app) = (self.org(), self.app());
        // `org/app` stands as it is at the start of the path.
        let key = self.req.path().get(1..self.app_end);
        key.and_then(|key| self.state.tenant(key, org, app))
            .ok_or_else(|| EasemobError::app_not_found(org, app, self.rest()))
    }

    /// `scheme://host/org/app`: the base of every `uri` the call answers with.
    pub fn app_uri(&self) -> String {
        let info = self.req.connection_info();
        format!(
            "{}://{}/{}/{}",
            info.scheme(),
            info.host(),
            self.org(),
            self.app()
        )
    }

    /// Takes one call from `window`, or answers 429 `reach_limit`.
    pub fn rate(&self, window: &RateWindow) -> Result<(), EasemobError> {
        if window.try_take(self.now_ms, 1) {
            Ok(())
        } else {
            Err(EasemobError::reach_limit())
        }
    }

    /// Requires an app token for `tenant`.
    pub fn require_app(&self, tenant: &Tenant) -> Result<(), EasemobError> {
        auth::authenticate_app(&self.req, &self.check(tenant))
    }

    /// Requires any token (app or user) of `tenant`.
    pub fn require_any(&self, tenant: &Tenant) -> Result<Principal, EasemobError> {
        auth::authenticate(&self.req, &self.check(tenant))
    }

    fn check<'a>(&'a self, tenant: &Tenant) -> auth::Check<'a> {
        auth::Check {
            ids: &self.state.core.ids,
            verifier: &self.state.tokens,
            app: tenant.application,
            now_ms: self.now_ms,
        }
    }

    /// Reads the body, answering 413 when it is over `cap` bytes (0: no cap but the hard one).
    pub async fn body(&self, payload: web::Payload, cap: u32) -> Result<web::Bytes, EasemobError> {
        let cap = if cap == 0 { HARD_CAP } else { cap as usize };
        read_capped(&self.req, payload, cap)
            .await
            .map_err(|e| match e {
                BodyError::TooLarge => EasemobError::entity_too_large(),
                BodyError::Broken => EasemobError::invalid_request_body(),
            })
    }

    /// The HTTP answer for a handler's result.
    pub fn finish(&self, result: Result<HttpResponse, EasemobError>) -> HttpResponse {
        result.unwrap_or_else(|e| e.respond(self.now_ms, self.duration()))
    }
}
