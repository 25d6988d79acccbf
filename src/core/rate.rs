//! Fixed rate windows: "at most `max` units per `window_ms`", counted lock-free so that a hot
//! tenant never serialises its requests on a mutex.

use std::sync::atomic::{AtomicU64, Ordering};

/// A fixed window aligned on multiples of `window_ms` of the clock. A `max` of 0 disables it.
#[derive(Debug)]
pub struct RateWindow {
    max: u32,
    window_ms: i64,
    /// High 32 bits: window index (wrapping); low 32 bits: units used in that window.
    state: AtomicU64,
}

impl RateWindow {
    /// A window admitting `max` units every `window_ms` milliseconds; `max == 0` admits all.
    pub fn new(max: u32, window_ms: i64) -> Self {
        Self {
            max,
            window_ms: window_ms.max(1),
            state: AtomicU64::new(0),
        }
    }

    /// Takes `units` from the window that holds `now_ms`, or refuses them all (taking none)
    /// when they do not fit.
    pub fn try_take(&self, now_ms: i64, units: u32) -> bool {
        if self.max == 0 {
            return true;
        }
        let index = (now_ms.div_euclid(self.window_ms) as u64) & 0xFFFF_FFFF;
        let mut current = self.state.load(Ordering::Relaxed);
        loop {
            let used = if current >> 32 == index {
                (current & 0xFFFF_FFFF) as u32
            } else {
                0
            };
            let Some(total) = used.checked_add(units).filter(|t| *t <= self.max) else {
                return false;
            };
            let next = (index << 32) | u64::from(total);
            match self.state.compare_exchange_weak(
                current,
                next,
                Ordering::AcqRel,
                Ordering::Relaxed,
            ) {
                Ok(_) => return true,
                Err(seen) => current = seen,
            }
        }
    }
}
