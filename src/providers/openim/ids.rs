//! OpenIM identifiers (contract §4.5, §7): `clientMsgID` and `serverMsgID` are lowercase hex
//! MD5s of the time, the sender and a random number, fresh on every call; a generated group
//! ID is the decimal value of the first 8 hex digits of such an MD5. The inputs come from the
//! emulator's clock and seeded random stream, with a counter that keeps them apart within a
//! millisecond, so that ids are unique and reproducible.

use crate::core::Core;
use md5::{Digest, Md5};
use std::sync::atomic::{AtomicU64, Ordering};

/// The process's OpenIM id source.
#[derive(Debug, Default)]
pub struct MessageIds {
    pub(super) counter: AtomicU64,
}

impl MessageIds {
    /// An MD5 of `now`'s nanoseconds, `sender` and a random number, as 32 hex digits.
    fn digest(&self, core: &Core, now_ms: i64, sender: &str) -> [u8; 16] {
        let tick = self.counter.fetch_add(1, Ordering::Relaxed);
        let nanos = i128::from(now_ms) * 1_000_000 + i128::from(tick % 1_000_000);
        let random = core.ids.rng().next_u64() >> 1;
        let mut md5 = Md5::new();
        md5.update(nanos.to_string());
        md5.update(sender);
        md5.update(random.to_string());
        md5.finalize().into()
    }

    /// A fresh message id of `sender` at `now_ms`.
    pub fn message_id(&self, core: &Core, now_ms: i64, sender: &str) -> String {
        hex(&self.digest(core, now_ms, sender))
    }

    /// A fresh group id: the first 8 hex digits of a digest, as a decimal number.
    pub fn group_id(&self, core: &Core, now_ms: i64, operation: &str) -> String {
        let d = self.digest(core, now_ms, operation);
        u32::from_be_bytes([d[0], d[1], d[2], d[3]]).to_string()
    }
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 0xF)] as char);
    }
    out
}
