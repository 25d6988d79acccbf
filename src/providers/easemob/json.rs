//! Parsing request bodies as JSON whatever their Content-Type (the official Java SDK sends
//! none), with the error each Easemob service gives: Usergrid endpoints answer `json_parse`
//! with a Jackson-style text, the message service answers `invalid_request_body`.

use super::error::EasemobError;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::error::Category;
use serde_json::Value;

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

/// Parses a JSON object of a Usergrid endpoint. Going through a map first refuses arrays,
/// which serde would otherwise read into a struct field by field.
pub fn usergrid_object<T: DeserializeOwned>(body: &[u8]) -> Result<T, EasemobError> {
    let object: Value = usergrid(body)?;
    from_object(object)
}

/// Reads a struct from `value`, which must be a JSON object.
pub fn from_object<T: DeserializeOwned>(value: Value) -> Result<T, EasemobError> {
    if !value.is_object() {
        return Err(EasemobError::illegal_argument(
            "Request body is invalid: expected a JSON object",
        ));
    }
    serde_json::from_value(value).map_err(|e| {
        EasemobError::illegal_argument(format!("Request body is invalid: {}", without_position(&e)))
    })
}

/// Parses a body of the message service (`/messages/*`), which must be a JSON object.
pub fn message<'a, T: Deserialize<'a>>(body: &'a [u8]) -> Result<T, EasemobError> {
    if body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(EasemobError::invalid_request_body());
    }
    serde_json::from_slice(body).map_err(|_| EasemobError::invalid_request_body())
}

fn without_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

/// The description Jackson (the real service's parser) gives for the same fault.
fn jackson_text(body: &[u8], e: &serde_json::Error) -> String {
    let at = format!(
        "\n at [Source: (org.apache.catalina.connector.CoyoteInputStream); line: {}, column: {}]",
        e.line(),
        e.column()
    );
    if e.is_eof() {
        return format!("Unexpected end-of-input: expected close marker for OBJECT{at}");
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
    let expecting = jackson_expectation(&without_position(e));
    format!(
        "Unexpected character ('{found}' (code {})): {expecting}{at}",
        u32::from(found)
    )
}

/// Jackson's wording of what the parser expected, from serde_json's.
fn jackson_expectation(serde_text: &str) -> &'static str {
    match serde_text {
        "expected `:`" => "was expecting a colon to separate field name and value",
        "expected `,` or `}`" => "was expecting comma to separate Object entries",
        "expected `,` or `]`" => "was expecting comma to separate Array entries",
        "key must be a string" => "was expecting double-quote to start field name",
        "trailing characters" => "expected end-of-input",
        _ => {
            "expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"
        }
    }
}
