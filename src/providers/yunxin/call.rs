//! The context of one Yunxin call: the shared state, the request, the clock reading taken at
//! its start, the app its `AppKey` names once the CheckSum holds, and the reading of its JSON
//! body and query, each failing with Yunxin's own error.

use super::auth::Headers;
use super::error::YunxinError;
use super::fixtures::Settings;
use super::tenant::Tenant;
use super::wire::success;
use super::State;
use crate::core::payload::{close_after, read_capped, BodyError};
pub use crate::core::query::Params;
use crate::core::tenants::valid_client_name;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::cell::{Cell, RefCell};
use std::sync::Arc;

/// The most bytes a request body may have.
const BODY_CAP: usize = 1024 * 1024;
/// The deepest nesting of arrays and objects a body may have.
const MAX_DEPTH: usize = 64;

/// A handler's outcome.
pub type Answer = Result<HttpResponse, YunxinError>;

/// One authenticated call to a Yunxin route.
pub struct Call {
    pub state: web::Data<State>,
    pub req: HttpRequest,
    pub now_ms: i64,
    tenant: RefCell<Arc<Tenant>>,
    /// Made from the defaults by this call and not stored yet.
    fresh: Cell<bool>,
}

impl Call {
    /// The call of `req`, once its headers name an app and its CheckSum and CurTime hold.
    pub fn authenticate(state: web::Data<State>, req: HttpRequest) -> Result<Self, YunxinError> {
        let now_ms = state.core.clock.now_ms();
        let (tenant, fresh) = app_of(&state, &req, now_ms)?;
        Ok(Self {
            state,
            req,
            now_ms,
            tenant: RefCell::new(tenant),
            fresh: Cell::new(fresh),
        })
    }

    /// The app, to read.
    pub fn tenant(&self) -> Arc<Tenant> {
        self.tenant.borrow().clone()
    }

    /// Stores an app made by this call: done before a call changes its state, and by success.
    /// An app past `--max-tenants` is refused as unknown.
    pub fn keep(&self) -> Result<Arc<Tenant>, YunxinError> {
        let tenant = self.tenant();
        if !self.fresh.get() {
            return Ok(tenant);
        }
        // A concurrent first call may have stored the app already: that one is kept.
        let kept = (self.state.tenants.keep(&tenant.app_key, tenant.clone()))
            .map_err(|_| YunxinError::APPKEY_NOT_EXIST)?;
        *self.tenant.borrow_mut() = kept.clone();
        self.fresh.set(false);
        Ok(kept)
    }

    /// The JSON object of the body, read within the request timeout, at most [`BODY_CAP`]
    /// bytes; unknown keys ignored; anything else is 414.
    pub async fn json<T: DeserializeOwned>(&self, payload: web::Payload) -> Result<T, YunxinError> {
        let timeout = self.state.core.request_timeout;
        let body = read_capped(&self.req, payload, BODY_CAP, timeout)
            .await
            .map_err(|e| match e {
                BodyError::TimedOut => YunxinError::TIMEOUT,
                BodyError::TooLarge | BodyError::Broken => YunxinError::PARAMETER,
            })?;
        let first = body.iter().find(|b| !b.is_ascii_whitespace());
        if first != Some(&b'{') || !nesting_within(&body, MAX_DEPTH) {
            return Err(YunxinError::PARAMETER);
        }
        serde_json::from_slice(&body).map_err(|_| YunxinError::PARAMETER)
    }

    /// The query parameters; 414 when the query string cannot be decoded.
    pub fn params(&self) -> Result<Params, YunxinError> {
        Ok(Params::parse(self.req.query_string())?)
    }

    /// A success carrying `data`.
    pub fn ok<T: Serialize>(&self, data: &T) -> Answer {
        Ok(success(data))
    }

    /// The HTTP answer for a handler's result; an app made by this call is stored by success.
    pub fn finish(&self, result: Answer) -> HttpResponse {
        let result = result.and_then(|response| self.keep().map(|_| response));
        match result {
            Ok(response) => response,
            Err(e) if e == YunxinError::TIMEOUT => close_after(e.respond()),
            Err(e) => e.respond(),
        }
    }
}

/// Whether the arrays and objects of the JSON text `body` nest at most `max` deep (brackets in
/// strings do not count).
fn nesting_within(body: &[u8], max: usize) -> bool {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for &b in body {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > max {
                    return false;
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    true
}

/// The app the headers of `req` name, and whether it was made now from the defaults. The
/// fixture apps check the CheckSum with their own AppSecret; an unknown AppKey is made from the
/// defaults when its CheckSum was computed with the default AppSecret (not under
/// `--strict-tenants`), and is otherwise 101303.
fn app_of(
    state: &State,
    req: &HttpRequest,
    now_ms: i64,
) -> Result<(Arc<Tenant>, bool), YunxinError> {
    let defaults = &state.fixtures.defaults;
    let headers = Headers::of(req);
    let Some(app_key) = Headers::app_key(req) else {
        return Err(auth_failure(defaults));
    };
    let stored = state.tenants.get(app_key);
    let settings = stored.as_ref().map_or(defaults, |t| &t.settings);
    let Some(headers) = headers else {
        return Err(auth_failure(settings));
    };
    let signed = headers.signed_with(&settings.app_secret);
    if stored.is_none() && (state.strict_tenants || !valid_client_name(app_key) || !signed) {
        return Err(YunxinError::APPKEY_NOT_EXIST);
    }
    if !signed || !headers.fresh(now_ms, settings.curtime_window_s) {
        return Err(auth_failure(settings));
    }
    Ok(match stored {
        Some(tenant) => (tenant, false),
        None => {
            let fresh = Tenant::new(&state.core, &Arc::from(app_key), defaults);
            (Arc::new(fresh), true)
        }
    })
}

/// The answer to a failed authentication under `settings`: 403, or the legacy 414.
fn auth_failure(settings: &Settings) -> YunxinError {
    if settings.auth_failure_code == 414 {
        YunxinError::AUTH_LEGACY
    } else {
        YunxinError::AUTH
    }
}
