//! Identifier sources shared by every provider: a seedable random stream, strictly increasing
//! time-ordered sequences, and version-1 UUIDs. With `--seed` every value is reproducible; every
//! value is unique across the process, under concurrency, whatever the clock does.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::cell::RefCell;
use std::sync::atomic::{AtomicU16, AtomicU64, Ordering};
use std::sync::Mutex;
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

    /// Where the stream stands: [`Rng::new`] of it continues the stream from here.
    pub fn state(&self) -> u64 {
        self.state.load(Ordering::Relaxed)
    }

    /// Moves the stream to `state`, as [`Rng::state`] gave it.
    pub fn set_state(&self, state: u64) {
        self.state.store(state, Ordering::Relaxed);
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

    /// The last tick handed out (0: none yet).
    pub fn last(&self) -> u64 {
        self.last.load(Ordering::Acquire)
    }

    /// Continues the sequence after `last`, as [`TimeSequence::last`] gave it.
    pub fn set_last(&self, last: u64) {
        self.last.store(last, Ordering::Release);
    }

    /// Splits a tick into its millisecond and its position within that millisecond.
    pub fn split(&self, tick: u64) -> (u64, u64) {
        (tick / self.per_ms, tick % self.per_ms)
    }
}

/// The key of [`Ids::digest`]: its bytes, and a number unique in the process for each key
/// ever set, by which every thread knows whether its ready-keyed digest is still good.
#[derive(Debug)]
struct DigestKey {
    bytes: Mutex<[u8; 32]>,
    generation: AtomicU64,
}

/// Numbers the digest keys of the process.
static KEY_GENERATIONS: AtomicU64 = AtomicU64::new(1);

thread_local! {
    /// This thread's digest, keyed with the key of that generation: a digest costs no lock.
    static KEYED: RefCell<Option<(u64, Hmac<Sha256>)>> = const { RefCell::new(None) };
}

impl DigestKey {
    fn new(bytes: [u8; 32]) -> Self {
        Self {
            bytes: Mutex::new(bytes),
            generation: AtomicU64::new(KEY_GENERATIONS.fetch_add(1, Ordering::Relaxed)),
        }
    }

    fn get(&self) -> [u8; 32] {
        *self.bytes.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn set(&self, bytes: [u8; 32]) {
        *self.bytes.lock().unwrap_or_else(|p| p.into_inner()) = bytes;
        let generation = KEY_GENERATIONS.fetch_add(1, Ordering::Relaxed);
        self.generation.store(generation, Ordering::Release);
    }

    /// The digest of `parts` under the current key.
    fn digest(&self, parts: &[&[u8]]) -> [u8; 32] {
        let generation = self.generation.load(Ordering::Acquire);
        KEYED.with(|keyed| {
            let mut keyed = keyed.borrow_mut();
            let mac = match &mut *keyed {
                Some((g, mac)) if *g == generation => mac,
                other => {
                    let mac = Hmac::<Sha256>::new_from_slice(&self.get())
                        .expect("HMAC takes keys of any length");
                    &mut other.insert((generation, mac)).1
                }
            };
            let mut mac = mac.clone();
            for part in parts {
                mac.update(part);
            }
            mac.finalize().into_bytes().into()
        })
    }
}

/// The process's identifier sources.
#[derive(Debug)]
pub struct Ids {
    rng: Rng,
    uuid_ticks: TimeSequence,
    /// The UUID node id, in the low 48 bits.
    node: AtomicU64,
    clock_seq: AtomicU16,
    key: DigestKey,
}

/// Where every identifier source stands, for a state document: restored, they continue
/// where they were, and digests (token signatures) made before still verify.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdsState {
    pub rng: u64,
    pub uuid_last_tick: u64,
    pub uuid_node: u64,
    pub uuid_clock_seq: u16,
    /// The digest key, 64 hex digits.
    pub digest_key: String,
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
        let mut node_bits = [0u8; 8];
        node_bits[2..].copy_from_slice(&node);
        Self {
            rng,
            uuid_ticks: TimeSequence::new(10_000),
            node: AtomicU64::new(u64::from_be_bytes(node_bits)),
            clock_seq: AtomicU16::new(clock_seq),
            key: DigestKey::new(key),
        }
    }

    /// Where every source stands.
    pub fn snapshot(&self) -> IdsState {
        let key = self.key.get();
        IdsState {
            rng: self.rng.state(),
            uuid_last_tick: self.uuid_ticks.last(),
            uuid_node: self.node.load(Ordering::Relaxed),
            uuid_clock_seq: self.clock_seq.load(Ordering::Relaxed),
            digest_key: key.iter().map(|b| format!("{b:02x}")).collect(),
        }
    }

    /// Refuses a state that [`Ids::snapshot`] could not have given.
    pub fn check(state: &IdsState) -> Result<[u8; 32], String> {
        let hex = state.digest_key.as_bytes();
        let mut key = [0u8; 32];
        let valid = hex.len() == 64 && hex.iter().all(u8::is_ascii_hexdigit);
        if !valid || state.uuid_node >> 48 != 0 || state.uuid_clock_seq > 0x3FFF {
            return Err(
                "ids: digest_key must be 64 hex digits, uuid_node 48 bits and \
                        uuid_clock_seq 14 bits"
                    .into(),
            );
        }
        for (byte, pair) in key.iter_mut().zip(hex.chunks(2)) {
            let text = std::str::from_utf8(pair).expect("hex digits are ASCII");
            *byte = u8::from_str_radix(text, 16).expect("checked hex digits");
        }
        Ok(key)
    }

    /// Continues every source from `state`.
    pub fn restore(&self, state: &IdsState) -> Result<(), String> {
        let key = Self::check(state)?;
        self.rng.set_state(state.rng);
        self.uuid_ticks.set_last(state.uuid_last_tick);
        self.node.store(state.uuid_node, Ordering::Relaxed);
        self.clock_seq
            .store(state.uuid_clock_seq, Ordering::Relaxed);
        self.key.set(key);
        Ok(())
    }

    /// The random stream.
    pub fn rng(&self) -> &Rng {
        &self.rng
    }

    /// A version-1 (time-based) UUID for the instant `now_ms`.
    pub fn uuid_v1(&self, now_ms: i64) -> Uuid {
        let tick = self.uuid_ticks.reserve(now_ms.max(0) as u64, 1);
        let gregorian = tick + GREGORIAN_OFFSET_MS * 10_000;
        let node = self.node.load(Ordering::Relaxed).to_be_bytes();
        let clock_seq = self.clock_seq.load(Ordering::Relaxed);
        let node: &[u8; 6] = node[2..].try_into().expect("six bytes");
        Builder::from_gregorian_timestamp(gregorian, clock_seq, node).into_uuid()
    }

    /// A keyed digest of `parts`: stable for a seed, unguessable without it. Used to sign
    /// tokens and to derive stable identifiers from names.
    pub fn digest(&self, parts: &[&[u8]]) -> [u8; 32] {
        self.key.digest(parts)
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
