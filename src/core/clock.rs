//! The one clock every provider reads: real time by default, settable and advanceable through
//! the admin API so that token expiry, rate windows and recall windows can be tested without
//! sleeping.

use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch, from the system or from the admin API.
#[derive(Debug, Default)]
pub struct Clock {
    /// Added to real time while the clock runs; the pinned instant while it is frozen.
    value: AtomicI64,
    frozen: AtomicBool,
}

impl Clock {
    /// The current time in epoch milliseconds.
    pub fn now_ms(&self) -> i64 {
        let value = self.value.load(Ordering::Acquire);
        if self.frozen.load(Ordering::Acquire) {
            value
        } else {
            system_ms() + value
        }
    }

    /// Pins the clock at `now_ms` (it stays there until advanced) or, with `running`, lets it
    /// run on from `now_ms`.
    pub fn set(&self, now_ms: i64, running: bool) {
        if running {
            self.value.store(now_ms - system_ms(), Ordering::Release);
            self.frozen.store(false, Ordering::Release);
        } else {
            self.value.store(now_ms, Ordering::Release);
            self.frozen.store(true, Ordering::Release);
        }
    }

    /// Moves the clock forward (or back, with a negative `ms`) and returns the new time.
    pub fn advance(&self, ms: i64) -> i64 {
        self.value.fetch_add(ms, Ordering::AcqRel);
        self.now_ms()
    }

    /// Returns to the system's real time.
    pub fn reset(&self) {
        self.frozen.store(false, Ordering::Release);
        self.value.store(0, Ordering::Release);
    }

    /// Whether the clock is pinned.
    pub fn is_frozen(&self) -> bool {
        self.frozen.load(Ordering::Acquire)
    }
}

fn system_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
