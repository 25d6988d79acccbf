//! `multipart/form-data` (RFC 7578) read from a body already in memory: the parts with their
//! field name, file name, content type and bytes. A body that ends before its closing
//! delimiter, or whose parts are malformed, is refused as a whole, so that a truncated upload
//! gets an answer rather than a wait.

use actix_web::web::Bytes;

/// One part of a form.
#[derive(Debug)]
pub struct Part {
    pub name: Option<String>,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub body: Bytes,
}

/// The body is not a complete multipart form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Malformed;

/// The `boundary` parameter of a `multipart/form-data` Content-Type.
pub fn boundary(content_type: &str) -> Option<&str> {
    let (essence, params) = content_type.split_once(';')?;
    if !essence.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params
        .split(';')
        .filter_map(|p| p.split_once('='))
        .find(|(key, _)| key.trim().eq_ignore_ascii_case("boundary"))
        .map(|(_, value)| value.trim().trim_matches('"'))
        .filter(|b| !b.is_empty() && b.len() <= 70)
}

/// The parts of `body`, delimited by `boundary`.
pub fn parts(body: &Bytes, boundary: &str) -> Result<Vec<Part>, Malformed> {
    let delimiter = format!("--{boundary}");
    let next_part = format!("\r\n--{boundary}");
    let first = find(body, delimiter.as_bytes(), 0).ok_or(Malformed)?;
    let mut at = first + delimiter.len();
    let mut parts = Vec::new();
    loop {
        let rest = body.get(at..).ok_or(Malformed)?;
        if rest.starts_with(b"--") {
            return Ok(parts);
        }
        let line_end = find(body, b"\r\n", at).ok_or(Malformed)?;
        let head_start = line_end + 2;
        let head_end = find(body, b"\r\n\r\n", head_start).ok_or(Malformed)?;
        let end = find(body, next_part.as_bytes(), head_end + 4).ok_or(Malformed)?;
        let head = std::str::from_utf8(&body[head_start..head_end]).map_err(|_| Malformed)?;
        parts.push(part(head, body.slice(head_end + 4..end))?);
        at = end + next_part.len();
    }
}

fn part(head: &str, body: Bytes) -> Result<Part, Malformed> {
    let mut part = Part {
        name: None,
        filename: None,
        content_type: None,
        body,
    };
    for line in head.split("\r\n").filter(|l| !l.is_empty()) {
        let (name, value) = line.split_once(':').ok_or(Malformed)?;
        let name = name.trim();
        if name.eq_ignore_ascii_case("content-disposition") {
            part.name = parameter(value, "name");
            part.filename = parameter(value, "filename");
        } else if name.eq_ignore_ascii_case("content-type") {
            part.content_type = Some(value.trim().to_owned());
        }
    }
    Ok(part)
}

/// A parameter of a header value (`form-data; name="file"`), unquoted.
fn parameter(value: &str, wanted: &str) -> Option<String> {
    value.split(';').skip(1).find_map(|p| {
        let (key, value) = p.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case(wanted)
            .then(|| value.trim().trim_matches('"').to_owned())
    })
}

/// Where `needle` first occurs in `haystack` at or after `from`.
fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let first = *needle.first()?;
    let mut at = from;
    while let Some(offset) = haystack.get(at..)?.iter().position(|b| *b == first) {
        let start = at + offset;
        if haystack.get(start..start + needle.len())? == needle {
            return Some(start);
        }
        at = start + 1;
    }
    None
}
