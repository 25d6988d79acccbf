//! `GET /_emulator/messages`: the journal, oldest first, filtered by provider, tenant,
//! conversation, chat type, sender (`from`), recipient (`to`), type and time
//! (`since_ms`, `until_ms`), at most `limit` records. With `wait_ms`, it waits (in real time, up
//! to a minute) until at least `min_count` records (default 1) match, so that a test can wait for
//! a message instead of sleeping. At most `--max-waiters` wait at once; past that a read
//! answers at once.

use super::{bad_request, Admin};
use crate::core::journal::{Cursor, Entry, Filter, Found};
use actix_web::{HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Query {
    provider: Option<String>,
    tenant: Option<String>,
    conversation: Option<String>,
    chat_type: Option<String>,
    from: Option<String>,
    to: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    since_ms: Option<i64>,
    until_ms: Option<i64>,
    limit: Option<usize>,
    wait_ms: Option<u64>,
    min_count: Option<usize>,
}

/// The longest a reader may wait.
const MAX_WAIT: Duration = Duration::from_secs(60);

#[derive(Serialize)]
struct Listing {
    messages: Vec<Entry>,
    total: usize,
}

pub async fn list(admin: &Admin, req: &HttpRequest) -> HttpResponse {
    let query: Query = match serde_urlencoded::from_str(req.query_string()) {
        Ok(q) => q,
        Err(e) => return bad_request(format!("bad query: {e}")),
    };
    let limit = query.limit.unwrap_or(usize::MAX);
    let wait = Duration::from_millis(query.wait_ms.unwrap_or(0)).min(MAX_WAIT);
    let wanted = query.min_count.unwrap_or(1);
    let filter = Arc::new(Filter {
        provider: query.provider,
        tenant: query.tenant,
        conversation: query.conversation,
        chat_type: query.chat_type,
        from: query.from,
        to: query.to,
        kind: query.kind,
        since_ms: query.since_ms,
        until_ms: query.until_ms,
    });
    let found = wait_for(admin, filter, limit, wait, wanted).await;
    HttpResponse::Ok().json(Listing {
        messages: found.entries,
        total: found.total,
    })
}

/// Reads until `wanted` records match or `wait` has passed; one read without a wait. The
/// reader is woken only by records its filter picks, and each read after the first reads only
/// what arrived since the one before.
async fn wait_for(
    admin: &Admin,
    filter: Arc<Filter>,
    limit: usize,
    wait: Duration,
    wanted: usize,
) -> Found {
    let journal = &admin.core.journal;
    let mut cursor = Cursor::default();
    let waiter = match journal.waiter(filter.clone()) {
        Some(waiter) if !wait.is_zero() => waiter,
        _ => return journal.read(&filter, &mut cursor, limit),
    };
    let deadline = Instant::now() + wait;
    let mut found = Found::default();
    loop {
        waiter.arm();
        found.merge(journal.read(&filter, &mut cursor, limit), limit);
        let left = deadline.saturating_duration_since(Instant::now());
        if found.total >= wanted || left.is_zero() {
            return found;
        }
        let _ = tokio::time::timeout(left, waiter.woken()).await;
    }
}
