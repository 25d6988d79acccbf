//! Identifier sources shared by every provider: a seedable random stream, strictly increasing
//! time-ordered sequences, and version-1 UUIDs. With `--seed` every value is reproducible; every
//! value is unique across the process, under concurrency, whatever the clock does.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::sync::atomic::{AtomicU64, Ordering};
use uuid::{Builder, Uuid};

/// 100-ns intervals between the Gregorian epoch (1582-10-15) and the Unix epoch, in ms.
const GREGORIAN_OFFSET_MS: u64 = 12_219_292_800_000;

/// A SplitMix64 stream: lock-free, and deterministic for a given seed and draw order.
#[derive(Debug)]
pub struct Rng {
    state: AtomicU64,
}

impl Rng {
    /// A stream starting from `seed`.
    pub fn new(seed: u64) -> Self {
        Self {
            state: AtomicU64::new(seed),
        }
    }

    /// The next 64 random bits.
    pub fn next_u64(&self) -> u64 {
        let mut z = self
            .state
            .fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed)
            .wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Fills `out` with random bytes.
    pub fn fill(&self, out: &mut [u8]) {
        for chunk in out.chunks_mut(8) {
            let bytes = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
    }
}

/// Strictly increasing ticks, `per_ms` of them per clock millisecond. When the clock stands
/// still (or goes back) the sequence runs ahead of it rather than repeating a value.
#[derive(Debug)]
pub struct TimeSequence {
    per_ms: u64,
    last: AtomicU64,
}

impl TimeSequence {
    /// A sequence with `per_ms` ticks in each millisecond.
    pub fn new(per_ms: u64) -> Self {
        Self {
            per_ms: per_ms.max(1),
            last: AtomicU64::new(0),
        }
    }

    /// Reserves `count` consecutive ticks at or after `now_ms` and returns the first.
    pub fn reserve(&self, now_ms: u64, count: u64) -> u64 {
        let floor = now_ms.saturating_mul(self.per_ms);
        let count = count.max(1);
        let mut start = 0;
        let _ = self
            .last
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |last| {
                start = floor.max(last + 1);
                Some(start + count - 1)
            });
        start
    }

    /// Splits a tick into its millisecond and its position within that millisecond.
    pub fn split(&self, tick: u64) -> (u64, u64) {
        (tick / self.per_ms, tick % self.per_ms)
    }
}

/// The process's identifier sources.
#[derive(Debug)]
pub struct Ids {
    rng: Rng,
    uuid_ticks: TimeSequence,
    node: [u8; 6],
    clock_seq: u16,
    /// The keyed digest, ready to be cloned for each use.
    mac: Hmac<Sha256>,
}

impl Ids {
    /// Sources drawn from `seed`, or from the system's randomness without one.
    pub fn new(seed: Option<u64>) -> Self {
        let rng = Rng::new(seed.unwrap_or_else(system_seed));
        let mut node = [0u8; 6];
        rng.fill(&mut node);
        node[0] |= 0x01; // a random node id carries the multicast bit (RFC 4122 §4.5)
        let clock_seq = (rng.next_u64() & 0x3FFF) as u16;
        let mut key = [0u8; 32];
        rng.fill(&mut key);
        Self {
            rng,
            uuid_ticks: TimeSequence::new(10_000),
            node,
            clock_seq,
            mac: Hmac::<Sha256>::new_from_slice(&key).expect("HMAC takes keys of any length"),
        }
    }

    /// The random stream.
    pub fn rng(&self) -> &Rng {
        &self.rng
    }

    /// A version-1 (time-based) UUID for the instant `now_ms`.
    pub fn uuid_v1(&self, now_ms: i64) -> Uuid {
        let tick = self.uuid_ticks.reserve(now_ms.max(0) as u64, 1);
        let gregorian = tick + GREGORIAN_OFFSET_MS * 10_000;
        Builder::from_gregorian_timestamp(gregorian, self.clock_seq, &self.node).into_uuid()
    }

    /// A keyed digest of `parts`: stable for a seed, unguessable without it. Used to sign
    /// tokens and to derive stable identifiers from names.
    pub fn digest(&self, parts: &[&[u8]]) -> [u8; 32] {
        let mut mac = self.mac.clone();
        for part in parts {
            mac.update(part);
        }
        mac.finalize().into_bytes().into()
    }

    /// A version-1-shaped UUID derived from a name: the same name gives the same UUID for a
    /// given seed, so an application keeps its identity across resets.
    pub fn named_uuid_v1(&self, name: &str) -> Uuid {
        let d = self.digest(&[b"named-uuid", name.as_bytes()]);
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&d[..16]);
        bytes[6] = (bytes[6] & 0x0F) | 0x10;
        bytes[8] = (bytes[8] & 0x3F) | 0x80;
        Uuid::from_bytes(bytes)
    }
}

fn system_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    nanos ^ (u64::from(std::process::id()) << 32) ^ (&nanos as *const u64 as u64)
}
