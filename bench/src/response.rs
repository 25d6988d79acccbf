//! Framing of HTTP/1.1 responses read from a byte buffer, without I/O.

use std::ops::Range;

/// How the body of a response is delimited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// Bytes at this range of the buffer.
    Fixed(Range<usize>),
    /// Chunked transfer coding: the data ranges of its chunks.
    Chunked(Vec<Range<usize>>),
    /// No length given: the body runs until the server closes.
    UntilClose(usize),
}

/// A complete response head (and body, unless `UntilClose`) in the buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub status: u16,
    /// Bytes of the buffer taken by this response.
    pub len: usize,
    /// The server will close the connection after it.
    pub close: bool,
    pub body: Body,
}

impl Frame {
    /// Copies the body out of the buffer it was framed in.
    pub fn body_bytes(&self, buf: &[u8]) -> Vec<u8> {
        match &self.body {
            Body::Fixed(r) => buf[r.clone()].to_vec(),
            Body::Chunked(chunks) => chunks
                .iter()
                .flat_map(|r| &buf[r.clone()])
                .copied()
                .collect(),
            Body::UntilClose(start) => buf[*start..].to_vec(),
        }
    }
}

/// Frames the first response in `buf`; `Ok(None)` when more bytes are needed.
pub fn parse(buf: &[u8]) -> Result<Option<Frame>, String> {
    let mut headers = [httparse::EMPTY_HEADER; 48];
    let mut res = httparse::Response::new(&mut headers);
    let head_len = match res.parse(buf).map_err(|e| format!("bad response: {e}"))? {
        httparse::Status::Complete(n) => n,
        httparse::Status::Partial => return Ok(None),
    };
    let status = res.code.unwrap_or(0);
    let mut close = res.version == Some(0);
    let (mut length, mut chunked) = (None, false);
    for h in res.headers.iter() {
        let value = std::str::from_utf8(h.value).unwrap_or("").trim();
        if h.name.eq_ignore_ascii_case("content-length") {
            length = Some(value.parse::<usize>().map_err(|_| "bad content-length")?);
        } else if h.name.eq_ignore_ascii_case("transfer-encoding") {
            chunked = value.to_ascii_lowercase().contains("chunked");
        } else if h.name.eq_ignore_ascii_case("connection") {
            close = value.eq_ignore_ascii_case("close");
        }
    }
    let frame = |len, body| Frame {
        status,
        len,
        close,
        body,
    };
    if status < 200 || status == 204 || status == 304 {
        return Ok(Some(frame(head_len, Body::Fixed(head_len..head_len))));
    }
    if chunked {
        return Ok(parse_chunks(buf, head_len)?.map(|(end, c)| frame(end, Body::Chunked(c))));
    }
    match length {
        Some(n) if buf.len() >= head_len + n => Ok(Some(frame(
            head_len + n,
            Body::Fixed(head_len..head_len + n),
        ))),
        Some(_) => Ok(None),
        None => Ok(Some(Frame {
            close: true,
            ..frame(buf.len(), Body::UntilClose(head_len))
        })),
    }
}

/// End of a chunked body and the data ranges of its chunks.
type Chunks = (usize, Vec<Range<usize>>);

/// Walks chunked data from `pos`; returns the end and the chunk data ranges.
fn parse_chunks(buf: &[u8], mut pos: usize) -> Result<Option<Chunks>, String> {
    let mut chunks = Vec::new();
    loop {
        let Some(eol) = find(buf, pos, b"\r\n") else {
            return Ok(None);
        };
        let line = std::str::from_utf8(&buf[pos..eol]).map_err(|_| "bad chunk size")?;
        let hex = line.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(hex, 16).map_err(|_| format!("bad chunk size {hex:?}"))?;
        pos = eol + 2;
        if size == 0 {
            return Ok(trailer_end(buf, pos).map(|end| (end, chunks)));
        }
        if buf.len() < pos + size + 2 {
            return Ok(None);
        }
        chunks.push(pos..pos + size);
        pos += size + 2;
    }
}

/// End of the trailer section that follows the last chunk at `pos`.
fn trailer_end(buf: &[u8], pos: usize) -> Option<usize> {
    if buf.len() >= pos + 2 && &buf[pos..pos + 2] == b"\r\n" {
        return Some(pos + 2);
    }
    find(buf, pos, b"\r\n\r\n").map(|i| i + 4)
}

fn find(buf: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    buf.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| from + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_content_length() {
        let raw = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}HTTP/1.1";
        let f = parse(raw).unwrap().unwrap();
        assert_eq!((f.status, f.len, f.close), (200, 40, false));
        assert_eq!(f.body_bytes(raw), b"{}");
        assert_eq!(parse(&raw[..39]).unwrap(), None);
    }

    #[test]
    fn frames_chunked() {
        let raw = b"HTTP/1.1 404 X\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n1\r\nd\r\n0\r\n\r\n";
        let f = parse(raw).unwrap().unwrap();
        assert_eq!((f.status, f.len, f.close), (404, raw.len(), true));
        assert_eq!(f.body_bytes(raw), b"abcd");
        assert_eq!(parse(&raw[..raw.len() - 1]).unwrap(), None);
    }

    #[test]
    fn rejects_garbage() {
        assert!(parse(b"nonsense\r\n\r\n").is_err());
    }
}
