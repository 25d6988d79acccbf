//! `/_emulator/faults`: the fault rules. `POST` adds one (`provider`, `tenant`, `method` and a
//! `path` pattern pick the calls; `error` names one of that provider's own errors, `latency_ms`
//! delays the answer, `close` drops the connection unanswered; `times` limits it to the next N
//! matching calls, `probability` fires it on a share of them, drawn from `--seed`); `GET`
//! lists them with how often each fired; `DELETE` removes all, `DELETE /faults/{id}` one.

use super::{bad_request, problem, Admin};
use crate::core::faults::{Action, Matcher, MAX_RULES};
use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use serde::Deserialize;
use serde_json::json;

/// The longest latency a rule may add.
const MAX_LATENCY_MS: u64 = 300_000;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewRule {
    provider: Option<String>,
    tenant: Option<String>,
    method: Option<String>,
    path: Option<String>,
    error: Option<String>,
    latency_ms: Option<u64>,
    #[serde(default)]
    close: bool,
    times: Option<u64>,
    probability: Option<f64>,
}

/// The id in `/faults/{id}`.
pub fn id_of(rest: &str) -> Option<u64> {
    rest.strip_prefix("/faults/")?.parse().ok()
}

/// `GET /_emulator/faults`.
pub fn list(admin: &Admin) -> HttpResponse {
    HttpResponse::Ok().json(json!({ "faults": admin.core().faults.list() }))
}

/// `POST /_emulator/faults`.
pub fn add(admin: &Admin, body: &[u8]) -> HttpResponse {
    let rule: NewRule = match serde_json::from_slice(body) {
        Ok(rule) => rule,
        Err(e) => return bad_request(format!("bad fault rule: {e}")),
    };
    if let Err(message) = check(admin, &rule) {
        return bad_request(message);
    }
    let matcher = Matcher {
        provider: rule.provider,
        tenant: rule.tenant,
        method: rule.method.map(|m| m.to_ascii_uppercase()),
        path: rule.path,
    };
    let action = Action {
        latency_ms: rule.latency_ms,
        error: rule.error,
        close: rule.close,
    };
    let probability = rule.probability.unwrap_or(1.0);
    match admin
        .core()
        .faults
        .add(matcher, action, rule.times, probability)
    {
        Some(added) => HttpResponse::Created().json(added),
        None => problem(
            StatusCode::CONFLICT,
            "too_many_faults",
            format!("at most {MAX_RULES} fault rules are kept; DELETE /_emulator/faults first"),
        ),
    }
}

/// Why `rule` cannot be added, if it cannot.
fn check(admin: &Admin, rule: &NewRule) -> Result<(), String> {
    if rule.error.is_none() && rule.latency_ms.is_none() && !rule.close {
        return Err("a fault rule needs an error, a latency_ms or close: true".into());
    }
    if rule.error.is_some() && rule.close {
        return Err("a fault rule answers with an error or closes the connection, not both".into());
    }
    if rule.latency_ms.is_some_and(|ms| ms > MAX_LATENCY_MS) {
        return Err(format!("latency_ms is at most {MAX_LATENCY_MS}"));
    }
    if rule.times == Some(0) {
        return Err("times is at least 1 (leave it out for every matching call)".into());
    }
    if rule.probability.is_some_and(|p| !(p > 0.0 && p <= 1.0)) {
        return Err("probability is more than 0 and at most 1".into());
    }
    let provider = match rule.provider.as_deref() {
        Some(name) => Some(admin.provider(name).ok_or_else(|| {
            format!("unknown provider {name:?}: easemob, openim, yunxin or anqicms")
        })?),
        None => None,
    };
    let Some(error) = rule.error.as_deref() else {
        return Ok(());
    };
    let provider = provider.ok_or("an error is named in a provider's terms: give the provider")?;
    let known = provider.fault_errors();
    if known.iter().any(|k| k == error) {
        return Ok(());
    }
    Err(format!(
        "{} has no error {error:?}; it has: {}",
        provider.name(),
        known.join(", ")
    ))
}

/// `DELETE /_emulator/faults` (every rule) and `DELETE /_emulator/faults/{id}`.
pub fn remove(admin: &Admin, id: Option<u64>) -> HttpResponse {
    let removed = admin.core().faults.remove(id);
    match id {
        Some(id) if !removed => problem(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no fault rule {id}"),
        ),
        _ => HttpResponse::NoContent().finish(),
    }
}
