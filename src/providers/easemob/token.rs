//! `POST /{org}/{app}/token` (contract §3): app tokens (`client_credentials`), user tokens
//! (`password`, and `inherit` with an app token). The answer has no envelope.

use super::auth::{self, Principal};
use super::call::Call;
use super::error::EasemobError;
use super::json;
use super::tenant::Tenant;
use super::user_store::{Refused, User};
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

/// The token request; which fields matter depends on `grant_type`.
#[derive(Deserialize)]
struct Grant {
    grant_type: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    username: Option<String>,
    password: Option<String>,
    ttl: Option<Ttl>,
    #[serde(rename = "autoCreateUser")]
    auto_create_user: Option<bool>,
}

#[derive(Serialize)]
struct AppToken<'a> {
    access_token: String,
    expires_in: u32,
    application: &'a str,
}

#[derive(Serialize)]
struct UserToken {
    access_token: String,
    expires_in: u32,
    user: User,
}

/// `POST /{org}/{app}/token`.
pub async fn token(call: Call, payload: web::Payload) -> HttpResponse {
    call.finish(grant(&call, payload).await)
}

async fn grant(call: &Call, payload: web::Payload) -> Result<HttpResponse, EasemobError> {
    let tenant = call.tenant()?;
    let body = call.body(payload, json::USERGRID_BODY_CAP).await?;
    call.rate(&tenant.rates.token)?;
    let grant: Grant = json::usergrid_object(&body)?;
    let ttl = ttl(&grant, &tenant)?;
    match grant.grant_type.as_deref() {
        Some("client_credentials") => client_credentials(call, &tenant, &grant, ttl),
        Some("password") => password(call, &tenant, &grant, ttl),
        Some("inherit") => inherit(call, &tenant, &grant, ttl),
        _ => Err(EasemobError::unsupported_grant_type()),
    }
}

/// `ttl` in seconds, as a number or as a string of digits: the docs' own example sends
/// `"ttl": "1024000"`.
#[derive(Deserialize)]
#[serde(untagged)]
enum Ttl {
    Number(i64),
    Text(String),
}

fn ttl(grant: &Grant, tenant: &Tenant) -> Result<u32, EasemobError> {
    let seconds =
        match &grant.ttl {
            None => None,
            Some(Ttl::Number(t)) => Some(*t),
            Some(Ttl::Text(t)) => Some(t.trim().parse::<i64>().map_err(|_| {
                EasemobError::illegal_argument(format!("ttl {t:?} is not a number"))
            })?),
        };
    match seconds {
        None => Ok(tenant.settings.token_ttl_seconds),
        Some(t) if t < 0 => Err(EasemobError::illegal_argument("ttl must not be negative")),
        // Clients read `expires_in` as a signed 32-bit integer.
        Some(t) => Ok(t.min(i64::from(i32::MAX)) as u32),
    }
}

fn client_credentials(
    call: &Call,
    tenant: &Tenant,
    grant: &Grant,
    ttl: u32,
) -> Result<HttpResponse, EasemobError> {
    let id = grant
        .client_id
        .as_deref()
        .filter(|s| !s.is_empty())
        .ok_or_else(|| EasemobError::illegal_argument("client_id must be provided."))?;
    let secret = grant
        .client_secret
        .as_deref()
        .filter(|s| !s.is_empty())
        .ok_or_else(|| EasemobError::illegal_argument("client_secret must be provided"))?;
    let settings = &tenant.settings;
    if settings.client_id.as_deref().is_some_and(|c| c != id) {
        return Err(EasemobError::invalid_grant("client_id does not match"));
    }
    if settings
        .client_secret
        .as_deref()
        .is_some_and(|c| c != secret)
    {
        return Err(EasemobError::invalid_grant("client_secret does not match"));
    }
    let ids = &call.state.core.ids;
    let access_token = auth::issue(ids, tenant.application, Principal::App, call.now_ms, ttl);
    Ok(HttpResponse::Ok().json(AppToken {
        access_token,
        expires_in: ttl,
        application: &tenant.application_text,
    }))
}

fn password(
    call: &Call,
    tenant: &Tenant,
    grant: &Grant,
    ttl: u32,
) -> Result<HttpResponse, EasemobError> {
    let name = required_username(grant)?;
    let password = grant
        .password
        .as_deref()
        .filter(|s| !s.is_empty())
        .ok_or_else(|| EasemobError::illegal_argument("password or pin must provided"))?;
    let user = tenant
        .users
        .get(name)
        .ok_or_else(EasemobError::grant_user_not_found)?;
    if *user.password != *password {
        return Err(EasemobError::invalid_grant("invalid password"));
    }
    if !user.activated {
        return Err(EasemobError::invalid_grant("user not activated"));
    }
    Ok(user_token(call, tenant, user, ttl))
}

fn inherit(
    call: &Call,
    tenant: &Tenant,
    grant: &Grant,
    ttl: u32,
) -> Result<HttpResponse, EasemobError> {
    call.require_app(tenant)?;
    let name = required_username(grant)?;
    let user = match tenant.users.get(name) {
        Some(user) => user,
        None if grant.auto_create_user == Some(true) => {
            let core = &call.state.core;
            let tenant = call.keep()?;
            let made = tenant.users.make(core, call.now_ms, name, "", None);
            match tenant.users.insert(made, tenant.settings.max_users) {
                Ok(user) => user,
                Err(Refused::Full) => return Err(EasemobError::resource_limited()),
                // Another call created the user meanwhile: use the stored one.
                Err(Refused::Taken(_)) => tenant
                    .users
                    .get(name)
                    .ok_or_else(EasemobError::grant_user_not_found)?,
            }
        }
        None => return Err(EasemobError::grant_user_not_found()),
    };
    if !user.activated {
        return Err(EasemobError::invalid_grant("user not activated"));
    }
    Ok(user_token(call, tenant, user, ttl))
}

fn required_username(grant: &Grant) -> Result<&str, EasemobError> {
    grant
        .username
        .as_deref()
        .filter(|s| !s.is_empty())
        .ok_or_else(|| EasemobError::illegal_argument("username must be provided"))
}

fn user_token(call: &Call, tenant: &Tenant, user: User, ttl: u32) -> HttpResponse {
    let ids = &call.state.core.ids;
    let principal = Principal::User(user.uuid);
    let access_token = auth::issue(ids, tenant.application, principal, call.now_ms, ttl);
    HttpResponse::Ok().json(UserToken {
        access_token,
        expires_in: ttl,
        user,
    })
}
