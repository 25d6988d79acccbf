//! Easemob message ids (contract §4.4): a 64-bit integer rendered as a decimal string, laid
//! out as Unix seconds since 2014-12-03 (bits 63–32), the millisecond (31–22), a per-ms
//! sequence (21–12) and a node id (11–0). Ids are time-ordered and unique in the process.

use crate::core::ids::TimeSequence;

/// 2014-12-03T00:00:00Z, the ids' epoch, in Unix seconds.
const EPOCH_S: u64 = 1_417_564_800;
/// Message ids a millisecond.
pub const SEQ_PER_MS: u64 = 1024;

/// The instants an id can encode: from the epoch until its 32 bits of seconds run out (2151).
pub const CLOCK_RANGE: std::ops::RangeInclusive<i64> =
    EPOCH_S as i64 * 1000..=(EPOCH_S as i64 + (1 << 32)) * 1000 - 1;

/// The process's Easemob message-id source.
#[derive(Debug)]
pub struct MessageIds {
    ticks: TimeSequence,
    node: u64,
}

impl MessageIds {
    /// A source whose node id is `node` (its low 12 bits).
    pub fn new(node: u64) -> Self {
        Self {
            ticks: TimeSequence::new(SEQ_PER_MS),
            node: node & 0xFFF,
        }
    }

    /// `count` fresh ids for messages sent at `now_ms`, in increasing order.
    pub fn take(&self, now_ms: i64, count: usize) -> impl Iterator<Item = u64> + '_ {
        let first = self.ticks.reserve(now_ms.max(0) as u64, count as u64);
        (first..first + count as u64).map(move |tick| self.layout(tick))
    }

    /// The tick of the last id issued (0: none yet), for a snapshot.
    pub fn last_tick(&self) -> u64 {
        self.ticks.last()
    }

    /// Continues the ids after the tick `last`, as [`Self::last_tick`] gave it.
    pub fn set_last_tick(&self, last: u64) {
        self.ticks.set_last(last);
    }

    fn layout(&self, tick: u64) -> u64 {
        let (ms, seq) = self.ticks.split(tick);
        let seconds = (ms / 1000).saturating_sub(EPOCH_S);
        (seconds << 32) | ((ms % 1000) << 22) | (seq << 12) | self.node
    }
}

/// The epoch milliseconds an id was issued at, if it has the layout of one.
pub fn sent_at_ms(id: u64) -> Option<i64> {
    let millis = (id >> 22) & 0x3FF;
    if millis > 999 {
        return None;
    }
    let seconds = (id >> 32) + EPOCH_S;
    i64::try_from(seconds * 1000 + millis).ok()
}
