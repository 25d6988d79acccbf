//! `GET /_emulator/requests`: the request log, newest last. Each call to a provider route with
//! its provider, tenant, method, path, query, status, the provider's own error when it failed,
//! its duration, the request headers (credentials masked) and both bodies (each cut at 64 KB,
//! and marked so). Filtered by provider, tenant, method, status (`401`, `4xx`), `failed`
//! (the provider's envelope says it failed, whatever the status), path pattern (`*` for any
//! run of characters), time on the emulator's clock (`since_ms`, `until_ms`) and sequence
//! (`after`); with `wait_ms`, it waits (up to a minute) until `min_count` calls match.

use super::{bad_request, Admin};
use crate::core::faults::glob;
use crate::core::requests::{Kept, Logged};
use actix_web::{HttpRequest, HttpResponse};
use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The most entries one answer carries, and the default.
const MAX_LIMIT: usize = 10_000;
const DEFAULT_LIMIT: usize = 100;
const MAX_WAIT: Duration = Duration::from_secs(60);

/// The filters, shared with the live events.
#[derive(Debug, Default)]
pub struct Filter {
    pub provider: Option<String>,
    pub tenant: Option<String>,
    pub method: Option<String>,
    pub status: Option<String>,
    pub failed: Option<bool>,
    pub path: Option<String>,
    pub since_ms: Option<i64>,
    pub until_ms: Option<i64>,
}

impl Filter {
    /// Whether the filter keeps `entry`.
    pub fn keeps(&self, e: &Logged) -> bool {
        let eq = |want: &Option<String>, have: &str| want.as_deref().is_none_or(|w| w == have);
        eq(&self.provider, e.provider)
            && self
                .tenant
                .as_deref()
                .is_none_or(|t| e.tenant.as_deref() == Some(t))
            && self
                .method
                .as_deref()
                .is_none_or(|m| m.eq_ignore_ascii_case(e.method.as_str()))
            && self
                .status
                .as_deref()
                .is_none_or(|s| status_matches(s, e.status))
            && self.failed.is_none_or(|f| f == e.failure.is_some())
            && self.path.as_deref().is_none_or(|p| glob(p, &e.path))
            && self.since_ms.is_none_or(|t| e.at_ms >= t)
            && self.until_ms.is_none_or(|t| e.at_ms <= t)
    }

    /// A refusal for a status filter that can match nothing.
    pub fn check(&self) -> Result<(), String> {
        match self.status.as_deref() {
            Some(s) if !valid_status(s) => Err(format!(
                "status {s:?}: give a status (404) or a class (2xx, 4xx, 5xx)"
            )),
            _ => Ok(()),
        }
    }
}

fn valid_status(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 3
        && (b'1'..=b'5').contains(&b[0])
        && (b[1..].iter().all(u8::is_ascii_digit) || b[1..].eq_ignore_ascii_case(b"xx"))
}

fn status_matches(want: &str, status: u16) -> bool {
    let have = status.to_string();
    match want.get(1..) {
        Some(rest) if rest.eq_ignore_ascii_case("xx") => have.starts_with(&want[..1]),
        _ => have == want,
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Query {
    provider: Option<String>,
    tenant: Option<String>,
    method: Option<String>,
    status: Option<String>,
    failed: Option<bool>,
    path: Option<String>,
    since_ms: Option<i64>,
    until_ms: Option<i64>,
    after: Option<u64>,
    limit: Option<usize>,
    wait_ms: Option<u64>,
    min_count: Option<usize>,
}

#[derive(Serialize)]
struct Listing {
    requests: Vec<Value>,
    total: usize,
    stored: usize,
    evicted: u64,
    max: usize,
    last_seq: u64,
}

/// `GET /_emulator/requests`.
pub async fn list(admin: &Admin, req: &HttpRequest) -> HttpResponse {
    let query: Query = match serde_urlencoded::from_str(req.query_string()) {
        Ok(q) => q,
        Err(e) => return bad_request(format!("bad query: {e}")),
    };
    let filter = Filter {
        provider: query.provider,
        tenant: query.tenant,
        method: query.method,
        status: query.status,
        failed: query.failed,
        path: query.path,
        since_ms: query.since_ms,
        until_ms: query.until_ms,
    };
    if let Err(message) = filter.check() {
        return bad_request(message);
    }
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT).min(MAX_LIMIT);
    let wait = Duration::from_millis(query.wait_ms.unwrap_or(0)).min(MAX_WAIT);
    let log = &admin.core().requests;
    let deadline = Instant::now() + wait;
    let (found, total) = loop {
        let listener = log.listen();
        let found = log.read(
            query.after.unwrap_or(0),
            limit,
            query.after.is_some(),
            |e| filter.keeps(e),
        );
        let left = deadline.saturating_duration_since(Instant::now());
        if found.1 >= query.min_count.unwrap_or(1) || left.is_zero() {
            break found;
        }
        let _ = tokio::time::timeout(left, listener.pushed()).await;
    };
    let counts = log.counts();
    HttpResponse::Ok().json(Listing {
        requests: found.iter().map(shown).collect(),
        total,
        stored: counts.stored,
        evicted: counts.evicted,
        max: counts.max,
        last_seq: log.last_seq(),
    })
}

/// One entry as the admin API shows it.
pub fn shown(e: &Arc<Logged>) -> Value {
    let mut headers = Map::new();
    for (name, value) in &e.headers {
        let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
        match headers.get_mut(name.as_str()) {
            Some(Value::String(joined)) => {
                joined.push_str(", ");
                joined.push_str(&value);
            }
            _ => {
                headers.insert(name.as_str().to_owned(), Value::String(value));
            }
        }
    }
    let mut request = body(e.request.as_ref());
    request.insert("headers".into(), Value::Object(headers));
    json!({
        "seq": e.seq,
        "time_ms": e.at_ms,
        "provider": e.provider,
        "tenant": e.tenant.as_deref(),
        "method": e.method.as_str(),
        "path": &*e.path,
        "query": &*e.query,
        "status": (e.status != 0).then_some(e.status),
        "closed": e.status == 0,
        "error": e.failure,
        "duration_us": e.duration_us,
        "fault": e.fault,
        "request": request,
        "response": body(e.response.as_ref()),
    })
}

/// A kept body: text as it is, other bytes in base64; its length, and whether it was cut.
fn body(kept: Option<&Kept>) -> Map<String, Value> {
    let mut shown = Map::new();
    let Some(kept) = kept else {
        shown.insert("body".into(), Value::Null);
        return shown;
    };
    match text_of(kept) {
        Some(text) => shown.insert("body".into(), text.into()),
        None => {
            let encoded = base64::engine::general_purpose::STANDARD.encode(&kept.bytes);
            shown.insert("body_base64".into(), encoded.into())
        }
    };
    shown.insert("body_bytes".into(), kept.len.into());
    shown.insert("body_truncated".into(), kept.truncated().into());
    shown
}

/// The body as text, when it is UTF-8 (a cut body may end inside a character).
fn text_of(kept: &Kept) -> Option<&str> {
    match std::str::from_utf8(&kept.bytes) {
        Ok(text) => Some(text),
        Err(e) if e.error_len().is_none() && kept.truncated() => {
            std::str::from_utf8(&kept.bytes[..e.valid_up_to()]).ok()
        }
        Err(_) => None,
    }
}
