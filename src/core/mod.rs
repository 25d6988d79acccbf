//! Provider-neutral machinery: the clock, identifier sources, rate windows, tenant-partitioned
//! state, capped body reading and the message journal. Nothing here knows any provider's wire
//! format or envelope.

pub mod clock;
pub mod ids;
pub mod journal;
pub mod payload;
pub mod rate;
pub mod tenants;

use std::time::Instant;

/// The state every provider shares: built once, before the server starts, and handed to
/// every worker.
#[derive(Debug)]
pub struct Core {
    pub clock: clock::Clock,
    pub ids: ids::Ids,
    pub journal: journal::Journal,
    pub started: Instant,
}

impl Core {
    /// A core whose identifiers derive from `seed` (random without one).
    pub fn new(seed: Option<u64>) -> Self {
        Self {
            clock: clock::Clock::default(),
            ids: ids::Ids::new(seed),
            journal: journal::Journal::default(),
            started: Instant::now(),
        }
    }
}
