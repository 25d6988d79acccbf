//! Provider-neutral machinery: the clock, identifier sources, rate windows, tenant-partitioned
//! state, capped body reading, path decoding, process limits, the message journal and the
//! callbacks sent to applications. Nothing here knows any provider's wire format or envelope.

pub mod callbacks;
pub mod clock;
pub mod created;
pub mod faults;
pub mod fixtures;
pub mod gojson;
pub mod ids;
pub mod journal;
pub mod jwt;
pub mod multipart;
pub mod path;
pub mod payload;
pub mod process;
pub mod query;
pub mod rate;
pub mod requests;
pub mod route_doc;
pub mod sorted;
pub mod tenants;

use std::ops::RangeInclusive;
use std::time::{Duration, Instant};

/// How the shared state is made.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Seed of every identifier source (random without one).
    pub seed: Option<u64>,
    /// Records the journal keeps (0: no bound).
    pub max_messages: usize,
    /// Calls the request log keeps (0: none).
    pub max_requests: usize,
    /// Callback attempts the callbacks store keeps (0: none).
    pub max_callbacks: usize,
    /// Long-poll readers that may wait at once.
    pub max_waiters: usize,
    /// Tenants each provider keeps (0: no bound).
    pub max_tenants: usize,
    /// The time a client has to send a whole request.
    pub request_timeout: Duration,
    /// The instants the clock may show: those every provider's ids can encode.
    pub clock_range: RangeInclusive<i64>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            seed: None,
            max_messages: 0,
            max_requests: 0,
            max_callbacks: 1000,
            max_waiters: 4096,
            max_tenants: 0,
            request_timeout: Duration::from_secs(10),
            clock_range: 0..=clock::MAX_MS,
        }
    }
}

/// The state every provider shares: built once, before the server starts, and handed to
/// every worker.
#[derive(Debug)]
pub struct Core {
    pub clock: clock::Clock,
    pub ids: ids::Ids,
    pub journal: journal::Journal,
    pub requests: requests::RequestLog,
    pub callbacks: callbacks::Callbacks,
    pub faults: faults::Faults,
    pub started: Instant,
    pub request_timeout: Duration,
    pub max_tenants: usize,
}

impl Core {
    /// The shared state made from `settings`.
    pub fn new(settings: &Settings) -> Self {
        Self {
            clock: clock::Clock::new(settings.clock_range.clone()),
            ids: ids::Ids::new(settings.seed),
            journal: journal::Journal::new(settings.max_messages, settings.max_waiters),
            requests: requests::RequestLog::new(settings.max_requests, requests::DEFAULT_MAX_BYTES),
            callbacks: callbacks::Callbacks::new(
                settings.max_callbacks,
                callbacks::store::DEFAULT_MAX_BYTES,
            ),
            faults: faults::Faults::new(settings.seed),
            started: Instant::now(),
            request_timeout: settings.request_timeout,
            max_tenants: settings.max_tenants,
        }
    }
}
