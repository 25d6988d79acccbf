//! The context of one OpenIM call: the shared state, the request, the clock reading taken at
//! its start, the tenant its path names, and the steps of OpenIM's middleware and binding
//! (operationID header, token header and its verification, body decoding), each failing with
//! OpenIM's own error.

use super::error::OpenImError;
use super::fixtures::Version;
use super::jwt::{Claims, Fault};
use super::tenant::Tenant;
use super::tokens::State as TokenState;
use super::wire::{accepts_gzip, Envelope};
use super::State;
use crate::core::gojson::{self as json, GoStruct, Read};
use crate::core::payload::{close_after, read_capped, BodyError};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::cell::RefCell;
use std::sync::Arc;

/// The most bytes a request body may have.
const BODY_CAP: usize = 4 * 1024 * 1024;

/// Paths that need no token (a prefix match, as the real middleware does); `/auth/user_token`
/// needed none on the releases that had it.
const WHITELIST: [&str; 3] = [
    "/auth/get_admin_token",
    "/auth/parse_token",
    "/auth/user_token",
];

/// One call to an OpenIM route.
pub struct Call {
    pub state: web::Data<State>,
    pub req: HttpRequest,
    pub now_ms: i64,
    /// The tenant's name, and the path under its prefix (`/msg/send_msg`).
    tenant_name: String,
    route_start: usize,
    gzip: bool,
    tenant: RefCell<Option<(Arc<Tenant>, bool)>>,
}

impl Call {
    /// A call of `req` on `state` for the tenant `name`, whose OpenIM path starts at byte
    /// `route_start` of the request path.
    pub fn new(state: web::Data<State>, req: HttpRequest, name: &str, route_start: usize) -> Self {
        Self {
            now_ms: state.core.clock.now_ms(),
            gzip: accepts_gzip(&req),
            state,
            tenant_name: name.to_owned(),
            route_start,
            req,
            tenant: RefCell::new(None),
        }
    }

    /// The path under the tenant prefix, e.g. `/msg/send_msg`.
    pub fn route(&self) -> &str {
        self.req.path().get(self.route_start..).unwrap_or_default()
    }

    /// The tenant: the stored one, or a fresh one stored only when the call succeeds.
    pub fn tenant(&self) -> Option<Arc<Tenant>> {
        if let Some((tenant, _)) = &*self.tenant.borrow() {
            return Some(tenant.clone());
        }
        let (tenant, fresh) = self.state.tenant(&self.tenant_name)?;
        *self.tenant.borrow_mut() = Some((tenant.clone(), fresh));
        Some(tenant)
    }

    /// Stores a fresh tenant: a call that changes its state, or succeeds, keeps it.
    pub fn keep(&self) -> Option<Arc<Tenant>> {
        let tenant = self.tenant()?;
        if !matches!(&*self.tenant.borrow(), Some((_, true))) {
            return Some(tenant);
        }
        let kept = self.state.keep(&self.tenant_name, tenant)?;
        *self.tenant.borrow_mut() = Some((kept.clone(), false));
        Some(kept)
    }

    /// The `operationID` header, required on every POST.
    pub fn operation_id(&self) -> Result<&str, OpenImError> {
        self.req
            .headers()
            .get("operationid")
            .and_then(|v| v.to_str().ok())
            .filter(|v| !v.is_empty())
            .ok_or_else(|| OpenImError::args("header must have operationID"))
    }

    /// The claims of the `token` header, verified as the real server does; `None` on the
    /// paths that need no token.
    pub fn token(&self, tenant: &Tenant) -> Result<Option<Claims>, OpenImError> {
        if WHITELIST.iter().any(|w| self.route().starts_with(w)) {
            return Ok(None);
        }
        let token = self
            .req
            .headers()
            .get("token")
            .and_then(|v| v.to_str().ok())
            .filter(|v| !v.is_empty())
            .ok_or_else(|| OpenImError::args("header must have token"))?;
        self.verify(tenant, token).map(Some)
    }

    /// `token`'s claims: a good signature, not expired, and (but for an admin's on the
    /// release) held in the token store and not kicked.
    pub fn verify(&self, tenant: &Tenant, token: &str) -> Result<Claims, OpenImError> {
        let now_s = self.now_ms.div_euclid(1000);
        let claims = (self
            .state
            .tokens
            .verify(token, &tenant.settings.secret, now_s))
        .map_err(|fault| match fault {
            Fault::Malformed => OpenImError::token_malformed(),
            Fault::Expired => OpenImError::token_expired(),
            Fault::NotValidYet => OpenImError::token_not_valid_yet(),
            Fault::Other(text) => OpenImError::token_unknown(text),
        })?;
        let settings = &tenant.settings;
        if settings.is_admin(&claims.user_id) && settings.version == Version::Release {
            return Ok(claims);
        }
        let store = &tenant.tokens;
        match store.state(&claims.user_id, claims.platform_id, token, self.now_ms) {
            TokenState::Normal => Ok(claims),
            TokenState::Kicked => Err(OpenImError::token_kicked()),
            TokenState::Unknown => Err(OpenImError::token_not_exist()),
        }
    }

    /// The body, read within the request timeout, at most [`BODY_CAP`] bytes.
    pub async fn body(&self, payload: web::Payload) -> Result<web::Bytes, OpenImError> {
        let timeout = self.state.core.request_timeout;
        read_capped(&self.req, payload, BODY_CAP, timeout)
            .await
            .map_err(|e| {
                let mut error = OpenImError::args(match e {
                    BodyError::TooLarge => "http: request body too large",
                    BodyError::Broken => "unexpected EOF",
                    BodyError::TimedOut => "i/o timeout",
                });
                if e == BodyError::TimedOut {
                    error.status = StatusCode::REQUEST_TIMEOUT;
                }
                error
            })
    }

    /// The body decoded into `shape` as a generic handler does (`json.Unmarshal`; failures are
    /// 1001 with the decoder's text in `errMsg`), then read into `T`.
    pub async fn bind<T: DeserializeOwned>(
        &self,
        payload: web::Payload,
        shape: &'static GoStruct,
    ) -> Result<T, OpenImError> {
        let body = self.body(payload).await?;
        let value = json::decode(&body, shape, Read::Whole).map_err(OpenImError::decode)?;
        serde_json::from_value(value).map_err(|e| OpenImError::decode(e.to_string()))
    }

    /// A success: the envelope with `data` (`None`: no `data` key).
    pub fn ok<T: Serialize>(&self, data: Option<T>) -> Result<HttpResponse, OpenImError> {
        Ok(Envelope::ok(data).respond(StatusCode::OK, self.gzip))
    }

    /// The HTTP answer for a handler's result; a fresh tenant is stored by a success.
    pub fn finish(&self, result: Result<HttpResponse, OpenImError>) -> HttpResponse {
        match result {
            Ok(response) => {
                let _ = self.keep();
                response
            }
            Err(e) if e.status == StatusCode::REQUEST_TIMEOUT => close_after(e.respond(self.gzip)),
            Err(e) => e.respond(self.gzip),
        }
    }
}
