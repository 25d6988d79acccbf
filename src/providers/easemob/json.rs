//! Parsing request bodies as JSON whatever their Content-Type (the official Java SDK sends
//! none), with the error each Easemob service gives: Usergrid endpoints answer `json_parse`
//! with a Jackson-style text, the message service answers `invalid_request_body`.

use super::error::EasemobError;
use serde::de::IgnoredAny;
use serde::Deserialize;
use serde_json::error::Category;
use serde_json::value::RawValue;

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

/// The most bytes a Usergrid endpoint (`/token`, `/users`) reads: a batch of 60 users with
/// the longest names, passwords and nicknames fits well within it.
pub const USERGRID_BODY_CAP: u32 = 64 * 1024;

/// Parses a JSON object of a Usergrid endpoint straight into `T`. Anything but an object
/// (serde would read an array into a struct field by field) is refused once its syntax is
/// known to be good, so that bad syntax still gets Jackson's text.
pub fn usergrid_object<'a, T: Deserialize<'a>>(body: &'a [u8]) -> Result<T, EasemobError> {
    if first_byte(body) == Some(b'{') {
        return usergrid(body);
    }
    usergrid::<IgnoredAny>(body)?;
    Err(not_an_object())
}

/// Parses a JSON object of a Usergrid endpoint that arrived inside a larger document.
pub fn object_in<'a, T: Deserialize<'a>>(raw: &'a RawValue) -> Result<T, EasemobError> {
    if first_byte(raw.get().as_bytes()) != Some(b'{') {
        return Err(not_an_object());
    }
    serde_json::from_str(raw.get()).map_err(|e| {
        EasemobError::illegal_argument(format!("Request body is invalid: {}", without_position(&e)))
    })
}

/// The first byte of a body that is not white space.
pub fn first_byte(body: &[u8]) -> Option<u8> {
    body.iter().copied().find(|b| !b.is_ascii_whitespace())
}

fn not_an_object() -> EasemobError {
    EasemobError::illegal_argument("Request body is invalid: expected a JSON object")
}

/// Parses a body of the message service (`/messages/*`), which must be a JSON object.
pub fn message<'a, T: Deserialize<'a>>(body: &'a [u8]) -> Result<T, EasemobError> {
    if first_byte(body) != Some(b'{') {
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

/// An optional boolean as Jackson reads one: `true`/`false`, or the strings `"true"` and
/// `"false"` (Jackson coerces scalars from strings by default).
pub fn lenient_bool<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    use serde::de::Error;
    match Option::<serde_json::Value>::deserialize(d)? {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::Bool(b)) => Ok(Some(b)),
        Some(serde_json::Value::String(s)) => match s.trim() {
            "true" => Ok(Some(true)),
            "false" => Ok(Some(false)),
            _ => Err(D::Error::custom(format!(
                "Cannot coerce String \"{s}\" to boolean"
            ))),
        },
        Some(other) => Err(D::Error::custom(format!(
            "Cannot coerce {other} to boolean"
        ))),
    }
}

/// An optional integer as Jackson reads a `long`: a number with no fraction (`1e3` too), or a
/// string of one (`"300"`).
pub fn lenient_i64<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    use serde::de::Error;
    let number = |text: &str| -> Option<i64> {
        let value: f64 = text.trim().parse().ok()?;
        let whole = value.fract() == 0.0 && value.abs() <= i64::MAX as f64;
        whole.then_some(value as i64)
    };
    match Option::<serde_json::Value>::deserialize(d)? {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::Number(n)) => n
            .as_i64()
            .or_else(|| number(&n.to_string()))
            .map(Some)
            .ok_or_else(|| D::Error::custom(format!("Numeric value ({n}) out of range of long"))),
        Some(serde_json::Value::String(s)) => number(&s)
            .map(Some)
            .ok_or_else(|| D::Error::custom(format!("Cannot coerce String \"{s}\" to long"))),
        Some(other) => Err(D::Error::custom(format!("Cannot coerce {other} to long"))),
    }
}
