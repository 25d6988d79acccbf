//! What happens around every provider call: the fault rules first (latency, the provider's own
//! error, or a closed connection), then the call, then its entry in the request log with the
//! provider's own error when it failed. With no rule and the log off, a call pays two atomic
//! loads.

use crate::admin::Admin;
use crate::core::faults::Rule;
use crate::core::requests::{kept_headers, Failure, Kept, Logged, ReadBody};
use crate::router::Target;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::web::{self, Bytes};
use actix_web::{HttpMessage, HttpRequest, HttpResponse};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Answers `req` through `target`, as the fault rules and the request log see it.
pub async fn call(
    admin: &Admin,
    target: Target,
    req: HttpRequest,
    payload: web::Payload,
) -> HttpResponse {
    let core = admin.core();
    let provider = target.provider();
    let method = req.method().as_str();
    let rule = core
        .faults
        .fire(provider, || target.tenant(&req), method, req.path());
    if rule.is_none() && !core.requests.enabled() {
        let response = target.call(req, payload).await;
        core.requests.ring();
        return response;
    }
    let (started, at_ms) = (Instant::now(), core.clock.now_ms());
    let tenant = target.tenant(&req);
    let fault = rule.as_ref().map(|r| r.id);
    let closes = rule.as_ref().is_some_and(|r| r.action.close);
    let response = match rule {
        Some(rule) => faulted(admin, &rule, target, req.clone(), payload).await,
        None => target.call(req.clone(), payload).await,
    };
    if !core.requests.enabled() {
        core.requests.ring();
        return response;
    }
    let (response, kept) = keep_body(response);
    let failure = match closes {
        true => Some(Failure {
            code: None,
            name: "connection closed".into(),
            message: format!(
                "fault rule {} closed the connection unanswered",
                fault.unwrap_or(0)
            ),
        }),
        false => response.extensions().get::<Failure>().cloned(),
    };
    let request = req.extensions().get::<ReadBody>().map(|b| Kept::of(&b.0));
    core.requests.push(Logged {
        seq: core.requests.next_seq(),
        at_ms,
        provider,
        tenant: tenant.map(String::into_boxed_str),
        method: req.method().clone(),
        path: req.path().into(),
        query: req.query_string().into(),
        status: if closes {
            0
        } else {
            response.status().as_u16()
        },
        failure,
        duration_us: started.elapsed().as_micros() as u64,
        headers: kept_headers(req.headers()),
        request,
        response: kept,
        fault,
    });
    response
}

/// The answer of a call a fault rule picked: after its latency, the provider's error it names,
/// a closed connection, or else the provider's own answer.
async fn faulted(
    admin: &Admin,
    rule: &Arc<Rule>,
    target: Target,
    req: HttpRequest,
    payload: web::Payload,
) -> HttpResponse {
    if let Some(ms) = rule.action.latency_ms {
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    if rule.action.close {
        return hang_up(rule);
    }
    let provider = admin.provider(target.provider());
    let error = rule.action.error.as_deref();
    match error.and_then(|name| provider?.fault(name, &req)) {
        Some(answer) => answer,
        None => target.call(req, payload).await,
    }
}

/// An answer whose body fails before a byte is sent: the server drops the connection.
fn hang_up(rule: &Rule) -> HttpResponse {
    let why = format!("fault rule {} closes the connection", rule.id);
    let body =
        futures_util::stream::once(async move { Err::<Bytes, _>(std::io::Error::other(why)) });
    HttpResponse::Ok().streaming(body)
}

/// The response with its body kept for the log (at most [`crate::core::requests::BODY_KEPT`]
/// bytes); a streamed body is left as it is and not kept.
fn keep_body(response: HttpResponse) -> (HttpResponse, Option<Kept>) {
    let (response, body) = response.into_parts();
    match body.try_into_bytes() {
        Ok(bytes) => {
            let kept = Kept::of(&bytes);
            (response.set_body(BoxBody::new(bytes)), Some(kept))
        }
        Err(body) => (response.set_body(body), None),
    }
}
