//! `GET /_emulator/conversations` and `GET /_emulator/conversations/messages`: one tenant's
//! journal as threads (see [`threads`]), for the web inspector and for a person reading. The
//! first lists the threads, newest activity first, searchable with `q`, `limit` (100, at most
//! 1000) after `offset`; the second pages through one thread from its newest record back:
//! the newest `limit` (50, at most 500) numbered below `before`, oldest first, and whether
//! there are older ones. Both read the journal as it is; nothing is kept for them.

use super::{bad_request, Admin};
use crate::core::journal::threads::{self, ThreadKey};
use crate::core::journal::Entry;
use actix_web::{HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

const LIST_LIMIT: usize = 100;
const MAX_LIST_LIMIT: usize = 1000;
const PAGE_LIMIT: usize = 50;
const MAX_PAGE_LIMIT: usize = 500;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    provider: String,
    tenant: String,
    q: Option<String>,
    limit: Option<usize>,
    offset: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PageQuery {
    provider: String,
    tenant: String,
    key: String,
    before: Option<u64>,
    limit: Option<usize>,
}

#[derive(Serialize)]
struct Conversation<'a> {
    key: String,
    chat_type: &'static str,
    conversation: &'a str,
    to: &'a str,
    members: &'a [String],
    messages: usize,
    last: &'a Option<Entry>,
}

#[derive(Serialize)]
struct Listing<'a> {
    conversations: Vec<Conversation<'a>>,
    total: usize,
}

#[derive(Serialize)]
struct Thread {
    messages: Vec<Entry>,
    total: usize,
    more: bool,
}

/// `GET /_emulator/conversations?provider=&tenant=`.
pub fn list(admin: &Admin, req: &HttpRequest) -> HttpResponse {
    let query: ListQuery = match serde_urlencoded::from_str(req.query_string()) {
        Ok(q) => q,
        Err(e) => return bad_request(format!("bad query: {e}")),
    };
    let limit = query.limit.unwrap_or(LIST_LIMIT).min(MAX_LIST_LIMIT);
    let parts = admin
        .core
        .journal
        .tenant_partitions(&query.provider, &query.tenant);
    let found = threads::summarise(&parts, query.q.as_deref(), query.offset.unwrap_or(0), limit);
    let conversations = found
        .threads
        .iter()
        .map(|s| Conversation {
            key: s.key.text(),
            chat_type: s.chat_type,
            conversation: &s.conversation,
            to: &s.to,
            members: &s.members,
            messages: s.messages,
            last: &s.last,
        })
        .collect();
    HttpResponse::Ok().json(Listing {
        conversations,
        total: found.total,
    })
}

/// `GET /_emulator/conversations/messages?provider=&tenant=&key=`.
pub fn page(admin: &Admin, req: &HttpRequest) -> HttpResponse {
    let query: PageQuery = match serde_urlencoded::from_str(req.query_string()) {
        Ok(q) => q,
        Err(e) => return bad_request(format!("bad query: {e}")),
    };
    let key = match ThreadKey::parse(&query.key) {
        Ok(key) => key,
        Err(message) => return bad_request(format!("bad key {:?}: {message}", query.key)),
    };
    let limit = query.limit.unwrap_or(PAGE_LIMIT).min(MAX_PAGE_LIMIT);
    let parts = admin
        .core
        .journal
        .tenant_partitions(&query.provider, &query.tenant);
    let found = threads::page(&parts, &key, query.before, limit);
    HttpResponse::Ok().json(Thread {
        messages: found.entries,
        total: found.total,
        more: found.more,
    })
}
