//! Blocking single requests on a fresh connection: health checks and logins.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use crate::endpoint::Endpoint;
use crate::response::{self, Body};

/// Status and body of one response.
pub struct Reply {
    pub status: u16,
    pub body: Vec<u8>,
}

/// Sends `raw` on a new connection and reads one response.
pub fn call(ep: &Endpoint, raw: &[u8], timeout: Duration) -> Result<Reply, String> {
    let mut stream = TcpStream::connect_timeout(&ep.addr, timeout).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(timeout))
        .map_err(|e| e.to_string())?;
    stream.set_nodelay(true).map_err(|e| e.to_string())?;
    stream.write_all(raw).map_err(|e| e.to_string())?;
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = [0u8; 8192];
    loop {
        let n = stream.read(&mut chunk).map_err(|e| e.to_string())?;
        buf.extend_from_slice(&chunk[..n]);
        if let Some(frame) = response::parse(&buf)? {
            let until_close = matches!(frame.body, Body::UntilClose(_));
            if n == 0 || !until_close {
                let body = frame.body_bytes(&buf);
                return Ok(Reply {
                    status: frame.status,
                    body,
                });
            }
        } else if n == 0 {
            return Err("connection closed before a full response".into());
        }
    }
}

/// GETs `path` and returns true on a 200 reply.
pub fn get_ok(ep: &Endpoint, path: &str, timeout: Duration) -> bool {
    let raw = ep.request("GET", path, None, None);
    call(ep, &raw, timeout).is_ok_and(|r| r.status == 200)
}
