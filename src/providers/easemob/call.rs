//! The context of one Easemob call: the shared state, the request, the clock reading taken at
//! its start, and the steps every handler shares (tenant, body cap, rate window, token), each
//! failing with Easemob's own error.

use super::auth::{self, Principal};
use super::error::EasemobError;
use super::routes::split;
use super::tenant::Tenant;
use super::State;
use crate::core::path;
use crate::core::payload::{close_after, read_capped, BodyError, HARD_CAP};
use crate::core::rate::RateWindow;
use actix_web::http::{Method, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::Arc;
use std::time::Instant;

/// One call to an Easemob route.
pub struct Call {
    pub state: web::Data<State>,
    pub req: HttpRequest,
    pub now_ms: i64,
    started: Instant,
    /// The path with its percent-encoded bytes decoded, when it had any.
    decoded: Option<Box<str>>,
    /// Where `{org_name}` and `{app_name}` end in the path.
    org_end: usize,
    app_end: usize,
    /// The tenant, once looked up, and whether it is fresh (not stored yet).
    tenant: RefCell<Option<(Arc<Tenant>, bool)>>,
}

impl Call {
    /// A call of `req` on `state`, its clock reading taken now.
    pub fn new(state: web::Data<State>, req: HttpRequest) -> Self {
        let decoded = match path::decode(req.path()) {
            Cow::Owned(decoded) => Some(decoded.into_boxed_str()),
            Cow::Borrowed(_) => None,
        };
        let whole = decoded.as_deref().unwrap_or(req.path());
        let (org_end, app_end) = split(whole).map_or((1, 1), |(org, app, _)| {
            (1 + org.len(), 2 + org.len() + app.len())
        });
        Self {
            now_ms: state.core.clock.now_ms(),
            state,
            started: Instant::now(),
            decoded,
            org_end,
            app_end,
            req,
            tenant: RefCell::new(None),
        }
    }

    /// The request path, percent-decoded.
    pub fn path(&self) -> &str {
        self.decoded.as_deref().unwrap_or(self.req.path())
    }

    /// The `{org_name}` of the path.
    pub fn org(&self) -> &str {
        self.path().get(1..self.org_end).unwrap_or_default()
    }

    /// The `{app_name}` of the path.
    pub fn app(&self) -> &str {
        let start = (self.org_end + 1).min(self.app_end);
        self.path().get(start..self.app_end).unwrap_or_default()
    }

    /// The path under the application, e.g. `/messages/users`, without one trailing slash:
    /// JAX-RS matches `/chatgroups/` as `/chatgroups`.
    pub fn rest(&self) -> &str {
        let rest = self.path().get(self.app_end..).unwrap_or_default();
        match rest.strip_suffix('/') {
            Some(trimmed) if !trimmed.is_empty() => trimmed,
            _ => rest,
        }
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

    /// The tenant the path names: the stored one, or a fresh one made from the defaults that
    /// is stored only when the call writes into it ([`Call::keep`]) or succeeds. 404 for one
    /// not in the fixtures under `--strict-tenants`, and for names no application can have.
    pub fn tenant(&self) -> Result<Arc<Tenant>, EasemobError> {
        if let Some((tenant, _)) = &*self.tenant.borrow() {
            return Ok(tenant.clone());
        }
        let (org, app) = (self.org(), self.app());
        let (tenant, fresh) = self
            .key()
            .and_then(|key| self.state.tenant(key, org, app))
            .ok_or_else(|| self.not_found())?;
        *self.tenant.borrow_mut() = Some((tenant.clone(), fresh));
        Ok(tenant)
    }

    /// The tenant, stored if it was fresh: a call that changes a tenant's state keeps it. The
    /// handler writes into the returned one, which a concurrent call may have stored first.
    pub fn keep(&self) -> Result<Arc<Tenant>, EasemobError> {
        let tenant = self.tenant()?;
        let fresh = matches!(&*self.tenant.borrow(), Some((_, true)));
        if !fresh {
            return Ok(tenant);
        }
        let key = self.key().unwrap_or_default();
        let kept = self
            .state
            .keep(key, tenant)
            .ok_or_else(|| self.not_found())?;
        *self.tenant.borrow_mut() = Some((kept.clone(), false));
        Ok(kept)
    }

    /// `org/app`, as it stands at the start of the path.
    fn key(&self) -> Option<&str> {
        self.path().get(1..self.app_end)
    }

    fn not_found(&self) -> EasemobError {
        EasemobError::app_not_found(self.org(), self.app(), self.rest())
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

    /// Requires any token (app or user) of `tenant`; a deactivated user's is refused.
    pub fn require_any(&self, tenant: &Tenant) -> Result<Principal, EasemobError> {
        let principal = auth::authenticate(&self.req, &self.check(tenant))?;
        super::user_admin::refuse_deactivated(tenant, principal)?;
        Ok(principal)
    }

    fn check<'a>(&'a self, tenant: &Tenant) -> auth::Check<'a> {
        auth::Check {
            ids: &self.state.core.ids,
            verifier: &self.state.tokens,
            app: tenant.application,
            now_ms: self.now_ms,
        }
    }

    /// Reads the body, answering 413 when it is over `cap` bytes (0: no cap but the hard one)
    /// and 408 when the client does not send it within the request timeout.
    pub async fn body(&self, payload: web::Payload, cap: u32) -> Result<web::Bytes, EasemobError> {
        let cap = if cap == 0 { HARD_CAP } else { cap as usize };
        let timeout = self.state.core.request_timeout;
        read_capped(&self.req, payload, cap, timeout)
            .await
            .map_err(|e| match e {
                BodyError::TooLarge => EasemobError::entity_too_large(),
                BodyError::Broken => EasemobError::invalid_request_body(),
                BodyError::TimedOut => EasemobError::request_timeout(),
            })
    }

    /// The HTTP answer for a handler's result. A fresh tenant is stored by a call that
    /// succeeds, unless it only read; a call whose body timed out closes its connection.
    pub fn finish(&self, result: Result<HttpResponse, EasemobError>) -> HttpResponse {
        match result {
            Ok(response) => {
                if self.req.method() != Method::GET && self.keep().is_err() {
                    return self.not_found().respond(self.now_ms, self.duration());
                }
                response
            }
            Err(e) if e.status == StatusCode::REQUEST_TIMEOUT => {
                close_after(e.respond(self.now_ms, self.duration()))
            }
            Err(e) => e.respond(self.now_ms, self.duration()),
        }
    }
}
