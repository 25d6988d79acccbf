//! Parsing request bodies as JSON whatever their Content-Type (the official Java SDK sends
//! none), with the error each Easemob service gives: Usergrid endpoints answer `json_parse`
//! with a Jackson-style text, the message service answers `invalid_request_body`.

use super::error::EasemobError;
use serde::Deserialize;
use serde_json::error::Category;

/// Parses a body of a Usergrid endpoint (`/token`, `/users`).
pub fn usergrid<'a, T: Deserialize<'a>>(body: &'a [u8]) -> Result<T, EasemobError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(EasemobError::json_parse(
            "No content to map due to end-of-input".into(),
        ));
    }
    serde_json::from_slice(body).map_err(|e| match e.classify() {
        Category::Data => EasemobError::illegal_argument(format!(
            "Request body is invalid: {}",
            without_position(&e)
        )),
        _ => EasemobError::json_parse(jackson_text(body, &e)),
    })
}

/// Parses a body of the message service (`/messages/*`).
pub fn message<'a, T: Deserialize<'a>>(body: &'a [u8]) -> Result<T, EasemobError> {
    serde_json::from_slice(body).map_err(|_| EasemobError::invalid_request_body())
}

fn without_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

/// The description Jackson gives for the same fault: the character it stopped at, or the end.
fn jackson_text(body: &[u8], e: &serde_json::Error) -> String {
    if e.is_eof() {
        return format!(
            "Unexpected end-of-input: {} at [line: {}, column: {}]",
            without_position(e),
            e.line(),
            e.column()
        );
    }
    let line = String::from_utf8_lossy(body)
        .lines()
        .nth(e.line().saturating_sub(1))
        .map(str::to_owned)
        .unwrap_or_default();
    let found = line
        .chars()
        .nth(e.column().saturating_sub(1))
        .unwrap_or(' ');
    format!(
        "Unexpected character ('{found}' (code {})): {} at [line: {}, column: {}]",
        u32::from(found),
        without_position(e),
        e.line(),
        e.column()
    )
}
