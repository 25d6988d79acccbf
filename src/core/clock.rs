//! The one clock every provider reads: real time by default, settable and advanceable through
//! the admin API so that token expiry, rate windows and recall windows can be tested without
//! sleeping.

use std::ops::RangeInclusive;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// The latest instant any clock may show: the end of year 9999, in epoch milliseconds.
pub const MAX_MS: i64 = 253_402_300_799_999;

/// Milliseconds since the Unix epoch, from the system or from the admin API.
#[derive(Debug)]
pub struct Clock {
    /// Added to real time while the clock runs; the pinned instant while it is frozen.
    value: AtomicI64,
    frozen: AtomicBool,
    /// The instants the clock may be set to: those every provider's ids can encode.
    range: RangeInclusive<i64>,
}

impl Default for Clock {
    fn default() -> Self {
        Self::new(0..=MAX_MS)
    }
}

impl Clock {
    /// A clock in real time that may only be set within `range`.
    pub fn new(range: RangeInclusive<i64>) -> Self {
        Self {
            value: AtomicI64::new(0),
            frozen: AtomicBool::new(false),
            range,
        }
    }

    /// The instants the clock may be set to.
    pub fn range(&self) -> &RangeInclusive<i64> {
        &self.range
    }

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
    /// run on from `now_ms`. Refuses an instant outside its range.
    pub fn set(&self, now_ms: i64, running: bool) -> Result<(), OutOfRange> {
        if !self.range.contains(&now_ms) {
            return Err(OutOfRange);
        }
        if running {
            self.value.store(now_ms - system_ms(), Ordering::Release);
            self.frozen.store(false, Ordering::Release);
        } else {
            self.value.store(now_ms, Ordering::Release);
            self.frozen.store(true, Ordering::Release);
        }
        Ok(())
    }

    /// Moves the clock forward (or back, with a negative `ms`) and returns the new time.
    /// Refuses a move that would leave its range.
    pub fn advance(&self, ms: i64) -> Result<i64, OutOfRange> {
        let target = self.now_ms().checked_add(ms).ok_or(OutOfRange)?;
        if !self.range.contains(&target) {
            return Err(OutOfRange);
        }
        self.value.fetch_add(ms, Ordering::AcqRel);
        Ok(self.now_ms())
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

/// An instant the clock cannot show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfRange;

fn system_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// The clock in a state document: pinned at `now_ms`, or running `offset_ms` ahead of the
/// system's time (`now_ms` then only tells when it was saved).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClockState {
    pub pinned: bool,
    pub now_ms: i64,
    #[serde(default)]
    pub offset_ms: i64,
}

impl Clock {
    /// Its state, for a state document.
    pub fn snapshot(&self) -> ClockState {
        let pinned = self.is_frozen();
        let now_ms = self.now_ms();
        let offset_ms = if pinned {
            0
        } else {
            self.value.load(Ordering::Acquire)
        };
        ClockState {
            pinned,
            now_ms,
            offset_ms,
        }
    }

    /// Whether `state` shows an instant this clock can show.
    pub fn check(&self, state: &ClockState) -> Result<(), OutOfRange> {
        let now = if state.pinned {
            Some(state.now_ms)
        } else {
            system_ms().checked_add(state.offset_ms)
        };
        now.filter(|n| self.range.contains(n))
            .map(|_| ())
            .ok_or(OutOfRange)
    }

    /// Takes `state`: pinned where it was pinned, else running with the same offset from the
    /// system's time, so that time goes on across a restart. Refuses an instant outside its
    /// range.
    pub fn restore(&self, state: &ClockState) -> Result<(), OutOfRange> {
        self.check(state)?;
        if state.pinned {
            return self.set(state.now_ms, false);
        }
        self.value.store(state.offset_ms, Ordering::Release);
        self.frozen.store(false, Ordering::Release);
        Ok(())
    }
}
