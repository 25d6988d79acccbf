//! `GET /_emulator/health`: liveness, version, uptime, the clock, what every store holds and
//! its bound, the process's memory and the limits it runs under.

use super::Admin;
use crate::core::journal::Counts;
use actix_web::HttpResponse;
use serde::Serialize;
use std::collections::BTreeMap;
use std::time::Duration;

/// How the server runs, as health reports it.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Runtime {
    pub workers: usize,
    /// The process's open-file limit, after raising it (`None` where it cannot be read).
    pub open_files: Option<u64>,
    /// The connections each worker accepts at most.
    pub connections_per_worker: usize,
    #[serde(serialize_with = "as_ms", rename = "request_timeout_ms")]
    pub request_timeout: Duration,
    /// Tenants each provider keeps at most (0: no bound).
    pub max_tenants: usize,
}

fn as_ms<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u128(d.as_millis())
}

#[derive(Serialize)]
struct Health<'a> {
    status: &'static str,
    version: &'static str,
    uptime_ms: u128,
    now_ms: i64,
    messages: Counts,
    requests: crate::core::requests::Counts,
    callbacks: CallbackHealth,
    /// Per provider: tenants, messages, calls, evictions and the bytes they keep.
    providers: BTreeMap<&'static str, ProviderHealth>,
    /// Long-poll readers waiting now.
    waiters: usize,
    tenants: BTreeMap<&'static str, usize>,
    usage: BTreeMap<&'static str, BTreeMap<&'static str, u64>>,
    memory: Memory,
    limits: &'a Runtime,
}

/// The callbacks store and queue.
#[derive(Serialize)]
struct CallbackHealth {
    #[serde(flatten)]
    store: crate::core::callbacks::store::Counts,
    queued: usize,
    in_flight: usize,
}

#[derive(Serialize)]
struct ProviderHealth {
    tenants: usize,
    messages: crate::core::journal::ProviderCounts,
    requests: crate::core::requests::ProviderCounts,
    /// The bytes of message content and logged calls it keeps.
    memory: ProviderMemory,
}

#[derive(Serialize)]
struct ProviderMemory {
    message_content_bytes: usize,
    request_log_bytes: usize,
}

fn provider_health(admin: &Admin, p: &dyn crate::providers::Provider) -> ProviderHealth {
    let messages = admin.core.journal.provider_counts(p.name());
    let requests = admin.core.requests.provider_counts(p.name());
    ProviderHealth {
        tenants: p.tenant_count(),
        memory: ProviderMemory {
            message_content_bytes: messages.content_bytes,
            request_log_bytes: requests.bytes,
        },
        messages,
        requests,
    }
}

#[derive(Serialize)]
struct Memory {
    resident_bytes: Option<u64>,
}

pub fn health(admin: &Admin) -> HttpResponse {
    log::debug!("health check");
    let providers = admin.providers.iter();
    HttpResponse::Ok().json(Health {
        status: "ok",
        version: crate::VERSION,
        uptime_ms: admin.core.started.elapsed().as_millis(),
        now_ms: admin.core.clock.now_ms(),
        messages: admin.core.journal.counts(),
        requests: admin.core.requests.counts(),
        callbacks: CallbackHealth {
            store: admin.core.callbacks.store.counts(),
            queued: admin.core.callbacks.queued(),
            in_flight: admin.core.callbacks.in_flight(),
        },
        providers: providers
            .clone()
            .map(|p| (p.name(), provider_health(admin, p.as_ref())))
            .collect(),
        waiters: admin.core.journal.waiting(),
        tenants: providers
            .clone()
            .map(|p| (p.name(), p.tenant_count()))
            .collect(),
        usage: providers
            .map(|p| (p.name(), p.usage().into_iter().collect()))
            .collect(),
        memory: Memory {
            resident_bytes: crate::core::process::resident_bytes(),
        },
        limits: &admin.runtime,
    })
}
