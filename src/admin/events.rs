//! `GET /_emulator/events`: the journal's messages, the request log's calls and the callbacks'
//! attempts as they happen, as Server-Sent Events (`event: message`, `event: request` and
//! `event: callback`, the same JSON as `/_emulator/messages`, `/_emulator/requests` and
//! `/_emulator/callbacks`), with the same filters, `kinds` choosing among them (all three by
//! default). Each event's id holds the journal's, the log's and the callbacks' positions
//! (`17.40.3`), so that `Last-Event-ID` resumes after it (an id of two parts, from before
//! callbacks were streamed, resumes callbacks from now). The stream is read at the
//! subscriber's pace: a subscriber that stops reading costs senders nothing, and one that falls
//! further behind than the request log or the callbacks store keeps is told so in an
//! `event: dropped` and closed.

use super::requests::{shown, Filter as CallFilter};
use super::{bad_request, problem, Admin};
use crate::core::callbacks::store::Pick;
use crate::core::callbacks::Outcome;
use crate::core::journal::{Cursor, Filter as MessageFilter};
use actix_web::http::StatusCode;
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse};
use serde::Deserialize;
use std::fmt::Write;
use std::sync::atomic::Ordering;
use std::time::Duration;

/// Subscribers that may listen at once.
pub const MAX_SUBSCRIBERS: usize = 256;
/// A comment is sent after this long without events, so that a vanished subscriber is noticed.
const KEEPALIVE: Duration = Duration::from_secs(15);
/// The most calls read from the log per round.
const CALLS_PER_ROUND: usize = 256;
/// The most callback attempts read from the store per round.
const ATTEMPTS_PER_ROUND: usize = 256;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Query {
    kinds: Option<String>,
    provider: Option<String>,
    tenant: Option<String>,
    conversation: Option<String>,
    chat_type: Option<String>,
    from: Option<String>,
    to: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    method: Option<String>,
    status: Option<String>,
    failed: Option<bool>,
    path: Option<String>,
    event: Option<String>,
    outcome: Option<Outcome>,
}

/// Which callback attempts a subscriber is sent.
struct AttemptFilter {
    provider: Option<String>,
    tenant: Option<String>,
    event: Option<String>,
    outcome: Option<Outcome>,
}

impl AttemptFilter {
    fn pick(&self, after: u64) -> Pick<'_> {
        Pick {
            provider: self.provider.as_deref(),
            tenant: self.tenant.as_deref(),
            event: self.event.as_deref(),
            outcome: self.outcome,
            after,
        }
    }
}

/// Where the live events stand now: the journal's next record, the log's newest call and the
/// newest callback attempt.
fn position(core: &crate::core::Core) -> (u64, u64, u64) {
    let attempts = core.callbacks.store.last_id();
    (core.journal.next_seq(), core.requests.last_seq(), attempts)
}

/// The id of the newest event now, as `Last-Event-ID` takes it: a client that reads a listing
/// and then subscribes with it misses nothing that came after the listing.
pub fn event_id(core: &crate::core::Core) -> String {
    let (messages, calls, attempts) = position(core);
    format!("{messages}.{calls}.{attempts}")
}

/// One subscriber's position and filters.
struct Subscriber {
    admin: web::Data<Admin>,
    messages: Option<MessageFilter>,
    calls: Option<CallFilter>,
    attempts: Option<AttemptFilter>,
    cursor: Cursor,
    /// One past the newest message sent, the newest call sent and the newest attempt sent.
    message_seq: u64,
    call_seq: u64,
    attempt_id: u64,
    /// Whether the next read skips messages sent before a resume.
    resuming: bool,
    done: bool,
    /// Whether it counts among the subscribers.
    counted: bool,
}

/// `GET /_emulator/events`.
pub fn subscribe(admin: &web::Data<Admin>, req: &HttpRequest) -> HttpResponse {
    let query: Query = match serde_urlencoded::from_str(req.query_string()) {
        Ok(q) => q,
        Err(e) => return bad_request(format!("bad query: {e}")),
    };
    let mut subscriber = match Subscriber::new(admin.clone(), query) {
        Ok(s) => s,
        Err(message) => return bad_request(message),
    };
    let resume = req
        .headers()
        .get("last-event-id")
        .and_then(|v| v.to_str().ok());
    subscriber.start(resume);
    let count = &admin.subscribers;
    subscriber.counted = true;
    if count.fetch_add(1, Ordering::SeqCst) >= MAX_SUBSCRIBERS {
        return problem(
            StatusCode::SERVICE_UNAVAILABLE,
            "too_many_subscribers",
            format!("at most {MAX_SUBSCRIBERS} subscribers listen at once"),
        );
    }
    let stream = futures_util::stream::unfold(subscriber, |mut s| async move {
        let chunk = s.next_chunk().await?;
        Some((Ok::<_, std::convert::Infallible>(chunk), s))
    });
    HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header(("cache-control", "no-cache"))
        .insert_header(("x-accel-buffering", "no"))
        .streaming(stream)
}

impl Subscriber {
    fn new(admin: web::Data<Admin>, q: Query) -> Result<Self, String> {
        let kinds = q.kinds.as_deref().unwrap_or("messages,requests,callbacks");
        let (mut messages, mut requests, mut callbacks) = (false, false, false);
        for kind in kinds.split(',') {
            match kind.trim() {
                "messages" => messages = true,
                "requests" => requests = true,
                "callbacks" => callbacks = true,
                other => {
                    return Err(format!(
                        "kinds: {other:?} is none of messages, requests and callbacks"
                    ))
                }
            }
        }
        let attempts = AttemptFilter {
            provider: q.provider.clone(),
            tenant: q.tenant.clone(),
            event: q.event,
            outcome: q.outcome,
        };
        let calls = CallFilter {
            provider: q.provider.clone(),
            tenant: q.tenant.clone(),
            method: q.method,
            status: q.status,
            failed: q.failed,
            path: q.path,
            ..CallFilter::default()
        };
        calls.check()?;
        let message_filter = MessageFilter {
            provider: q.provider,
            tenant: q.tenant,
            conversation: q.conversation,
            chat_type: q.chat_type,
            from: q.from,
            to: q.to,
            kind: q.kind,
            ..MessageFilter::default()
        };
        Ok(Self {
            admin,
            messages: messages.then_some(message_filter),
            calls: requests.then_some(calls),
            attempts: callbacks.then_some(attempts),
            cursor: Cursor::default(),
            message_seq: 0,
            call_seq: 0,
            attempt_id: 0,
            resuming: false,
            done: false,
            counted: false,
        })
    }

    /// Starts after `resume` (`message.call.attempt` positions), or from now.
    fn start(&mut self, resume: Option<&str>) {
        let core = self.admin.core();
        let now = position(core);
        match resume.and_then(|id| resumed(id, now.2)) {
            Some((message_seq, call_seq, attempt_id)) => {
                (self.message_seq, self.call_seq) = (message_seq, call_seq);
                self.attempt_id = attempt_id;
                self.resuming = true;
            }
            None => {
                // Everything before now is skipped: a read that copies nothing.
                let all = MessageFilter::default();
                core.journal.read(&all, &mut self.cursor, 0);
                (self.message_seq, self.call_seq, self.attempt_id) = now;
            }
        }
    }

    /// The next events, waiting for some; `None` once the stream ends.
    async fn next_chunk(&mut self) -> Option<Bytes> {
        if self.done {
            return None;
        }
        let admin = self.admin.clone();
        loop {
            let core = admin.core();
            let call = std::pin::pin!(core.requests.listen().pushed());
            let attempt = std::pin::pin!(core.callbacks.store.listen());
            let chunk = self.collect();
            if !chunk.is_empty() {
                return Some(Bytes::from(chunk));
            }
            let either = futures_util::future::select(call, attempt);
            if tokio::time::timeout(KEEPALIVE, either).await.is_err() {
                return Some(Bytes::from_static(b": keepalive\n\n"));
            }
        }
    }

    /// The events that arrived since the last round.
    fn collect(&mut self) -> String {
        let mut out = String::new();
        let core = self.admin.core();
        if let Some(filter) = &self.messages {
            let found = core.journal.read(filter, &mut self.cursor, usize::MAX);
            let resuming = std::mem::take(&mut self.resuming);
            for entry in found.entries {
                if resuming && entry.record.seq < self.message_seq {
                    continue;
                }
                self.message_seq = self.message_seq.max(entry.record.seq + 1);
                let data = serde_json::to_string(&entry).unwrap_or_default();
                self.event(&mut out, "message", &data);
            }
        }
        self.collect_calls(&mut out);
        self.collect_attempts(&mut out);
        out
    }

    /// The calls logged since the last round.
    fn collect_calls(&mut self, out: &mut String) {
        let core = self.admin.core();
        let log = &core.requests;
        let Some(filter) = &self.calls else {
            return;
        };
        let oldest = log.oldest_seq();
        if self.call_seq + 1 < oldest && !self.done {
            let missed = oldest - self.call_seq - 1;
            let reason = format!(
                "{{\"reason\":\"fell behind: {missed} calls left the request log before they \
                 could be sent; reconnect with Last-Event-ID to go on from the oldest kept\"}}"
            );
            self.done = true;
            self.event(out, "dropped", &reason);
            return;
        }
        let scanned = std::cell::Cell::new(self.call_seq);
        let (calls, total) = log.read(self.call_seq, CALLS_PER_ROUND, true, |e| {
            scanned.set(scanned.get().max(e.seq));
            filter.keeps(e)
        });
        // Past every entry read when all that matched were taken, whatever the filter kept.
        self.call_seq = match calls.last() {
            Some(last) if total > calls.len() => last.seq,
            _ => scanned.get(),
        };
        for call in &calls {
            let data = shown(call).to_string();
            self.event(out, "request", &data);
        }
    }

    /// The callback attempts made since the last round.
    fn collect_attempts(&mut self, out: &mut String) {
        let store = &self.admin.core().callbacks.store;
        let Some(filter) = &self.attempts else {
            return;
        };
        if self.attempt_id + 1 < store.oldest_id() && !self.done {
            let missed = store.oldest_id() - self.attempt_id - 1;
            let reason = format!(
                "{{\"reason\":\"fell behind: {missed} callback attempts left the store before \
                 they could be sent; reconnect with Last-Event-ID to go on from the oldest kept\"}}"
            );
            self.done = true;
            self.event(out, "dropped", &reason);
            return;
        }
        let made = store.last_id();
        let (attempts, _) = store.read(&filter.pick(self.attempt_id), ATTEMPTS_PER_ROUND);
        // Past every attempt made before the read when all that matched were taken, whatever
        // the filter kept.
        let newest = attempts.last().map_or(0, |a| a.id);
        self.attempt_id = match attempts.len() {
            ATTEMPTS_PER_ROUND => newest,
            _ => self.attempt_id.max(made).max(newest),
        };
        for attempt in &attempts {
            let data = super::callbacks::shown(attempt).to_string();
            self.event(out, "callback", &data);
        }
    }

    fn event(&self, out: &mut String, name: &str, data: &str) {
        let id = format!("{}.{}.{}", self.message_seq, self.call_seq, self.attempt_id);
        let _ = write!(out, "id: {id}\nevent: {name}\ndata: {data}\n\n");
    }
}

/// The positions of a `Last-Event-ID`; a two-part id (from before callbacks were streamed)
/// resumes callbacks from `attempts_now`.
fn resumed(id: &str, attempts_now: u64) -> Option<(u64, u64, u64)> {
    let mut parts = id.split('.').map(str::parse::<u64>);
    let (m, r) = (parts.next()?.ok()?, parts.next()?.ok()?);
    let a = match parts.next() {
        Some(a) => a.ok()?,
        None => attempts_now,
    };
    parts.next().is_none().then_some((m, r, a))
}

impl Drop for Subscriber {
    fn drop(&mut self) {
        if self.counted {
            self.admin.subscribers.fetch_sub(1, Ordering::SeqCst);
        }
    }
}
