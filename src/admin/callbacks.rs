//! `GET /_emulator/callbacks`: every attempt to deliver a provider's callback to the
//! application, newest last: its callback id and attempt number, provider, tenant, event, URL,
//! the request's headers and body as sent, the answer's status and body (cut at 4 KB), the
//! latency and the outcome. Filtered by provider, tenant, event, outcome and id (`after`); with
//! `wait_ms`, it waits (up to a minute) until `min_count` attempts match.
//! `POST /_emulator/callbacks/{callback}/replay` sends a callback's exact request again.

use super::{bad_request, problem, Admin};
use crate::core::callbacks::store::Pick;
use crate::core::callbacks::{Attempt, Outcome};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};

const MAX_LIMIT: usize = 10_000;
const DEFAULT_LIMIT: usize = 100;
const MAX_WAIT: Duration = Duration::from_secs(60);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Query {
    provider: Option<String>,
    tenant: Option<String>,
    event: Option<String>,
    outcome: Option<Outcome>,
    after: Option<u64>,
    limit: Option<usize>,
    wait_ms: Option<u64>,
    min_count: Option<usize>,
}

/// The callback id of a `/callbacks/{callback}/replay` path (the part after `/_emulator`).
pub fn replay_of(path: &str) -> Option<u64> {
    let id = path.strip_prefix("/callbacks/")?.strip_suffix("/replay")?;
    id.parse().ok()
}

/// `GET /_emulator/callbacks`.
pub async fn list(admin: &Admin, req: &HttpRequest) -> HttpResponse {
    let query: Query = match serde_urlencoded::from_str(req.query_string()) {
        Ok(q) => q,
        Err(e) => return bad_request(format!("bad query: {e}")),
    };
    let pick = Pick {
        provider: query.provider.as_deref(),
        tenant: query.tenant.as_deref(),
        event: query.event.as_deref(),
        outcome: query.outcome,
        after: query.after.unwrap_or(0),
    };
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT).min(MAX_LIMIT);
    let wait = Duration::from_millis(query.wait_ms.unwrap_or(0)).min(MAX_WAIT);
    let store = &admin.core().callbacks.store;
    let deadline = Instant::now() + wait;
    let (found, total) = loop {
        let pushed = store.listen();
        let found = store.read(&pick, limit);
        let left = deadline.saturating_duration_since(Instant::now());
        if found.1 >= query.min_count.unwrap_or(1) || left.is_zero() {
            break found;
        }
        let _ = tokio::time::timeout(left, pushed).await;
    };
    let counts = store.counts();
    HttpResponse::Ok().json(json!({
        "callbacks": found.iter().map(shown).collect::<Vec<_>>(),
        "total": total,
        "stored": counts.stored,
        "evicted": counts.evicted,
        "max": counts.max,
        "last_id": store.last_id(),
    }))
}

/// `POST /_emulator/callbacks/{callback}/replay`: 202 with the new callback's id.
pub fn replay(admin: &Admin, callback: u64) -> HttpResponse {
    let core = admin.core();
    match core.callbacks.replay(core.clock.now_ms(), callback) {
        Some(id) => HttpResponse::Accepted().json(json!({ "callback": id })),
        None => problem(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no callback {callback} is kept"),
        ),
    }
}

/// One attempt as the admin API shows it.
pub(super) fn shown(a: &Arc<Attempt>) -> Value {
    let d = &a.delivery;
    let headers: serde_json::Map<String, Value> = (d.headers.iter())
        .map(|(n, v)| ((*n).to_owned(), Value::from(v.as_str())))
        .collect();
    json!({
        "id": a.id,
        "callback": a.callback,
        "attempt": a.attempt,
        "time_ms": a.time_ms,
        "provider": d.provider,
        "tenant": &*d.tenant,
        "event": d.event,
        "url": d.url,
        "request": {
            "headers": headers,
            "body": String::from_utf8_lossy(&d.body),
        },
        "response": a.answer.as_ref().map(|r| json!({
            "status": r.status,
            "body": String::from_utf8_lossy(&r.body),
            "body_truncated": r.truncated,
        })),
        "latency_ms": a.latency_ms,
        "outcome": a.outcome,
        "error": a.error,
    })
}
