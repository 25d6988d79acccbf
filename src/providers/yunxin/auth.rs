//! Authentication (contract §2): the headers `AppKey`, `Nonce`, `CurTime`, `CheckSum`, with
//! names matched case-insensitively; `CheckSum` is the lowercase hex SHA-1 of AppSecret +
//! Nonce + CurTime, and CurTime (Unix seconds) must be within the tenant's window of the clock.

use actix_web::HttpRequest;
use sha1::{Digest, Sha1};

/// The most characters a nonce may have.
const MAX_NONCE: usize = 128;

/// The headers that sign a request.
pub struct Headers<'a> {
    nonce: &'a str,
    cur_time: &'a str,
    check_sum: &'a str,
}

impl<'a> Headers<'a> {
    /// `Nonce`, `CurTime` and `CheckSum`, or `None` when one is missing or empty.
    pub fn of(req: &'a HttpRequest) -> Option<Self> {
        Some(Self {
            nonce: header(req, "nonce")?,
            cur_time: header(req, "curtime")?,
            check_sum: header(req, "checksum")?,
        })
    }

    /// The `AppKey` header alone.
    pub fn app_key(req: &'a HttpRequest) -> Option<&'a str> {
        header(req, "appkey")
    }

    /// Whether the CheckSum is the one `secret` gives.
    pub fn signed_with(&self, secret: &str) -> bool {
        let mut sha = Sha1::new();
        sha.update(secret.as_bytes());
        sha.update(self.nonce.as_bytes());
        sha.update(self.cur_time.as_bytes());
        let expected = sha.finalize();
        let mut hex = [0u8; 40];
        for (i, b) in expected.iter().enumerate() {
            hex[2 * i] = b"0123456789abcdef"[usize::from(b >> 4)];
            hex[2 * i + 1] = b"0123456789abcdef"[usize::from(b & 0xF)];
        }
        self.check_sum.as_bytes().eq_ignore_ascii_case(&hex)
    }

    /// Whether the nonce and CurTime are acceptable at `now_ms` with a window of `window_s`.
    pub fn fresh(&self, now_ms: i64, window_s: i64) -> bool {
        let Ok(cur_time) = self.cur_time.parse::<i64>() else {
            return false;
        };
        let skew = now_ms.div_euclid(1000).abs_diff(cur_time);
        self.nonce.chars().count() <= MAX_NONCE && skew <= window_s.unsigned_abs()
    }
}

/// The header `name` (matched case-insensitively), trimmed, when present and not empty.
fn header<'a>(req: &'a HttpRequest, name: &str) -> Option<&'a str> {
    req.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}
