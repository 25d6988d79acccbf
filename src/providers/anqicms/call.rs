//! The context of one AnqiCMS call: the shared state, the request, the clock reading taken at
//! its start, the site its path names, and what the user-token middleware found (contract §3):
//! the `Token` header or else the `token` cookie, a good token naming the logged-in user, a bad
//! or expired one leaving the call anonymous, and a token near its expiry renewed in
//! `Update-Token`. Bodies decode as iris's `ReadJSON` does (Go's decoder, its error texts).

use super::error::AnqiError;
use super::locale;
use super::tenant::Tenant;
use super::token;
use super::wire::{answer, cors, Envelope, OK};
use super::State;
use crate::core::gojson::{self, GoStruct, Read};
use crate::core::path;
use crate::core::payload::{close_after, read_capped, BodyError};
use crate::core::query::Params;
use actix_web::http::header::{HeaderName, HeaderValue, SET_COOKIE};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::cell::{Cell, RefCell};
use std::sync::Arc;

/// The most bytes a request body may have.
const BODY_CAP: usize = 1024 * 1024;

/// A handler's outcome.
pub type Answer = Result<HttpResponse, AnqiError>;

/// One call to an AnqiCMS route.
pub struct Call {
    pub state: web::Data<State>,
    pub req: HttpRequest,
    pub now_ms: i64,
    tenant: RefCell<Arc<Tenant>>,
    /// Made from the defaults by this call and not stored yet.
    fresh: Cell<bool>,
    /// The logged-in user, when the token is good.
    pub user: Option<u64>,
    update_token: Option<String>,
    cookie: RefCell<Option<String>>,
}

impl Call {
    /// The call of `req` on the site `tenant` (`fresh`: not stored yet), its token read.
    pub fn new(
        state: web::Data<State>,
        req: HttpRequest,
        tenant: Arc<Tenant>,
        fresh: bool,
    ) -> Self {
        let now_ms = state.core.clock.now_ms();
        let (user, update_token) = user_of(&req, &tenant, now_ms.div_euclid(1000));
        Self {
            state,
            req,
            now_ms,
            tenant: RefCell::new(tenant),
            fresh: Cell::new(fresh),
            user,
            update_token,
            cookie: RefCell::new(None),
        }
    }

    /// The clock in Unix seconds.
    pub fn now_s(&self) -> i64 {
        self.now_ms.div_euclid(1000)
    }

    /// The site, to read.
    pub fn tenant(&self) -> Arc<Tenant> {
        self.tenant.borrow().clone()
    }

    /// Stores a site made by this call: done before a call changes its state, and by success.
    pub fn keep(&self) -> Result<Arc<Tenant>, AnqiError> {
        let tenant = self.tenant();
        if !self.fresh.get() {
            return Ok(tenant);
        }
        let kept = (self.state.tenants.keep(&tenant.name, tenant.clone())).map_err(|_| {
            AnqiError::failed("im-emulator: --max-tenants sites are stored; reset one first")
        })?;
        *self.tenant.borrow_mut() = kept.clone();
        self.fresh.set(false);
        Ok(kept)
    }

    /// The logged-in user, or 1001 as the `UserAuth` middleware answers.
    pub fn login(&self) -> Result<u64, AnqiError> {
        self.user.ok_or_else(|| {
            let query = self.params();
            let cookie = cookie(&self.req, "lang");
            let msg = locale::login_required(&self.req, query.get("lang"), cookie.as_deref());
            AnqiError::no_login(msg)
        })
    }

    /// The query parameters (an undecodable query reads as none, as iris reads it).
    pub fn params(&self) -> Params {
        Params::parse(self.req.query_string()).unwrap_or_default()
    }

    /// The body decoded into `shape` as `ReadJSON` does, then read into `T`; failures are -1
    /// with Go's text (`EOF` for an empty body).
    pub async fn bind<T: DeserializeOwned>(
        &self,
        payload: web::Payload,
        shape: &'static GoStruct,
    ) -> Result<T, AnqiError> {
        let timeout = self.state.core.request_timeout;
        let body = read_capped(&self.req, payload, BODY_CAP, timeout)
            .await
            .map_err(|e| match e {
                BodyError::TooLarge => AnqiError::failed("http: request body too large"),
                BodyError::Broken => AnqiError::failed("unexpected EOF"),
                BodyError::TimedOut => AnqiError::failed("i/o timeout"),
            })?;
        let value = gojson::decode(&body, shape, Read::FirstValue).map_err(AnqiError::failed)?;
        serde_json::from_value(value).map_err(|e| AnqiError::failed(e.to_string()))
    }

    /// Sets the `token` cookie for `max_age_s` seconds, as login and register do.
    pub fn set_token_cookie(&self, token: &str, max_age_s: i64) {
        let expires = chrono::DateTime::from_timestamp(self.now_s() + max_age_s, 0)
            .map(|t| t.format("%a, %d %b %Y %H:%M:%S GMT").to_string())
            .unwrap_or_default();
        *self.cookie.borrow_mut() = Some(format!(
            "token={token}; Path=/; Expires={expires}; Max-Age={max_age_s}; HttpOnly"
        ));
    }

    /// A success: `code` 0 with `msg`, and `data` and `total` when given.
    pub fn ok<T: Serialize>(&self, data: Option<T>, msg: &str, total: Option<usize>) -> Answer {
        Ok(answer(&Envelope {
            code: OK,
            data,
            msg,
            total,
        }))
    }

    /// The HTTP answer for a handler's result, with the middleware's headers; a site made by
    /// this call is stored by success.
    pub fn finish(&self, result: Answer) -> HttpResponse {
        let result = result.and_then(|response| self.keep().map(|_| response));
        let timed_out = matches!(&result, Err(e) if e.msg == "i/o timeout");
        let mut response = match result {
            Ok(response) => response,
            Err(e) => e.respond(),
        };
        let headers = response.headers_mut();
        let renewed = self.update_token.as_deref().map(HeaderValue::from_str);
        if let Some(Ok(value)) = renewed {
            headers.insert(HeaderName::from_static("update-token"), value);
        }
        if let Some(Ok(value)) = self.cookie.borrow().as_deref().map(HeaderValue::from_str) {
            headers.insert(SET_COOKIE, value);
        }
        cors(&self.req, &mut response);
        if timed_out {
            close_after(response)
        } else {
            response
        }
    }
}

/// The value of the cookie `name` as Go reads it: from every `Cookie` header, quotes removed,
/// percent-escapes decoded; a malformed cookie beside it does not matter.
fn cookie(req: &HttpRequest, name: &str) -> Option<String> {
    req.headers().get_all("cookie").find_map(|header| {
        let header = String::from_utf8_lossy(header.as_bytes());
        header.split(';').find_map(|pair| {
            let (key, value) = pair.trim().split_once('=')?;
            let value = value.trim();
            let unquoted = value.strip_prefix('"').and_then(|v| v.strip_suffix('"'));
            (key == name).then(|| path::decode(unquoted.unwrap_or(value)).into_owned())
        })
    })
}

/// The user a good token names (and who exists), and a renewed token when it is good but
/// expires within the hour (renewed even when the user is gone, as the middleware does).
fn user_of(req: &HttpRequest, tenant: &Tenant, now_s: i64) -> (Option<u64>, Option<String>) {
    let header = req.headers().get("token").and_then(|v| v.to_str().ok());
    let raw = match header.filter(|t| !t.is_empty()) {
        Some(raw) => raw.to_owned(),
        None => match cookie(req, "token") {
            Some(raw) => raw,
            None => return (None, None),
        },
    };
    let key = tenant.token_key();
    let Some((id, expiry)) = token::claims(&raw, &key, now_s) else {
        return (None, None);
    };
    if expiry < now_s {
        return (None, None);
    }
    let user = tenant.users.with(id, |u| u.id);
    let renewed = (expiry < now_s + token::RENEW_WITHIN_S)
        .then(|| token::sign(id, now_s + token::RENEWED_TTL_S, &key));
    (user, renewed)
}
