//! `GET /_emulator/messages`: the journal, oldest first, filtered by provider, tenant,
//! conversation, chat type, sender (`from`), recipient (`to`), type and time
//! (`since_ms`, `until_ms`), at most `limit` records.

use super::{bad_request, Admin};
use crate::core::journal::{Entry, Filter};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

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
}

#[derive(Serialize)]
struct Listing {
    messages: Vec<Entry>,
    total: usize,
}

pub async fn list(admin: web::Data<Admin>, req: HttpRequest) -> HttpResponse {
    let query: Query = match serde_urlencoded::from_str(req.query_string()) {
        Ok(q) => q,
        Err(e) => return bad_request(format!("bad query: {e}")),
    };
    let filter = Filter {
        provider: query.provider.as_deref(),
        tenant: query.tenant.as_deref(),
        conversation: query.conversation.as_deref(),
        chat_type: query.chat_type.as_deref(),
        from: query.from.as_deref(),
        to: query.to.as_deref(),
        kind: query.kind.as_deref(),
        since_ms: query.since_ms,
        until_ms: query.until_ms,
    };
    let limit = query.limit.unwrap_or(usize::MAX);
    let (messages, total) = admin.core.journal.query(&filter, limit);
    HttpResponse::Ok().json(Listing { messages, total })
}
