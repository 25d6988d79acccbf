//! The per-type rules of a message `body` (contract §4.2): the required field of each of the
//! eight types, field types, and the `custom` event's pattern and size.

use super::error::EasemobError;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::borrow::Cow;

/// The message types the service accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MsgKind {
    Txt,
    Img,
    Audio,
    Video,
    File,
    Loc,
    Cmd,
    Custom,
}

impl MsgKind {
    /// The kind named `name` (`txt`, `img`, ...).
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "txt" => MsgKind::Txt,
            "img" => MsgKind::Img,
            "audio" => MsgKind::Audio,
            "video" => MsgKind::Video,
            "file" => MsgKind::File,
            "loc" => MsgKind::Loc,
            "cmd" => MsgKind::Cmd,
            "custom" => MsgKind::Custom,
            _ => return None,
        })
    }

    /// Its wire name.
    pub fn name(self) -> &'static str {
        match self {
            MsgKind::Txt => "txt",
            MsgKind::Img => "img",
            MsgKind::Audio => "audio",
            MsgKind::Video => "video",
            MsgKind::File => "file",
            MsgKind::Loc => "loc",
            MsgKind::Cmd => "cmd",
            MsgKind::Custom => "custom",
        }
    }
}

#[derive(Deserialize)]
struct Txt<'a> {
    #[serde(borrow)]
    msg: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
#[allow(dead_code)] // fields are read by the parser to check their types
struct Media<'a> {
    #[serde(borrow)]
    url: Option<Cow<'a, str>>,
    #[serde(borrow)]
    filename: Option<Cow<'a, str>>,
    #[serde(borrow)]
    secret: Option<Cow<'a, str>>,
    size: Option<Value>,
    length: Option<f64>,
    file_length: Option<f64>,
    #[serde(borrow)]
    thumb: Option<Cow<'a, str>>,
    #[serde(borrow)]
    thumb_secret: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct Loc<'a> {
    lat: Option<Value>,
    lng: Option<Value>,
    #[serde(borrow)]
    addr: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct Cmd<'a> {
    #[serde(borrow)]
    action: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct Custom<'a> {
    #[serde(rename = "customEvent", borrow)]
    event: Option<Cow<'a, str>>,
    #[serde(rename = "customExts")]
    exts: Option<Map<String, Value>>,
}

/// Checks `body` for a message of `kind`.
pub fn body(kind: MsgKind, body: Option<&RawValue>) -> Result<(), EasemobError> {
    let Some(body) = body.filter(|b| !is_empty_object(b)) else {
        return Err(EasemobError::send("param body can't be empty").with_code(14005));
    };
    if !body.get().starts_with('{') {
        return Err(EasemobError::invalid_request_body());
    }
    let text = body.get();
    match kind {
        MsgKind::Txt => require(parse::<Txt>(text)?.msg, "msg"),
        MsgKind::Img | MsgKind::Audio | MsgKind::Video | MsgKind::File => {
            let media = parse::<Media>(text)?;
            size(media.size.as_ref())?;
            require(media.url, "url")
        }
        MsgKind::Loc => loc(parse::<Loc>(text)?),
        MsgKind::Cmd => require(parse::<Cmd>(text)?.action, "action"),
        MsgKind::Custom => custom(parse::<Custom>(text)?),
    }
}

/// Checks that `ext`, when present, is a JSON object (`null` included is refused).
pub fn ext(ext: Option<&RawValue>) -> Result<(), EasemobError> {
    match ext {
        Some(e) if !e.get().starts_with('{') => {
            Err(EasemobError::send("param ext must be JSONObject"))
        }
        _ => Ok(()),
    }
}

/// `size` of an image: an object whose `width` and `height`, when present, are numbers.
fn size(size: Option<&Value>) -> Result<(), EasemobError> {
    let dimension = |v: Option<&Value>| v.is_none_or(|d| d.is_number() || d.is_null());
    match size {
        None | Some(Value::Null) => Ok(()),
        Some(Value::Object(s)) if dimension(s.get("width")) && dimension(s.get("height")) => Ok(()),
        Some(_) => Err(EasemobError::invalid_request_body()),
    }
}

/// Reads a body of one type; a body that is not an object never reaches here.
fn parse<'a, T: Deserialize<'a>>(text: &'a str) -> Result<T, EasemobError> {
    serde_json::from_str(text).map_err(|_| EasemobError::invalid_request_body())
}

fn is_empty_object(raw: &RawValue) -> bool {
    let text = raw.get();
    text == "null"
        || text
            .strip_prefix('{')
            .and_then(|t| t.strip_suffix('}'))
            .is_some_and(|inner| inner.trim().is_empty())
}

fn require(field: Option<Cow<'_, str>>, name: &'static str) -> Result<(), EasemobError> {
    match field {
        Some(value) if !value.is_empty() => Ok(()),
        _ => Err(missing(name)),
    }
}

fn missing(name: &'static str) -> EasemobError {
    EasemobError::send(format!("param body.{name} can't be empty")).with_code(14005)
}

fn loc(loc: Loc<'_>) -> Result<(), EasemobError> {
    coordinate(loc.lat, "lat")?;
    coordinate(loc.lng, "lng")?;
    require(loc.addr, "addr")
}

/// Latitude and longitude: numbers, or strings holding numbers (the docs send strings, the
/// SDKs numbers).
fn coordinate(value: Option<Value>, name: &'static str) -> Result<(), EasemobError> {
    match value {
        None | Some(Value::Null) => Err(missing(name)),
        Some(Value::Number(_)) => Ok(()),
        Some(Value::String(s)) if s.is_empty() => Err(missing(name)),
        Some(Value::String(s)) if s.trim().parse::<f64>().is_ok() => Ok(()),
        Some(_) => Err(EasemobError::invalid_request_body()),
    }
}

fn custom(custom: Custom<'_>) -> Result<(), EasemobError> {
    if let Some(event) = &custom.event {
        if !legal_custom_event(event) {
            return Err(EasemobError::send(
                "param customEvent must match [a-zA-Z0-9-_/\\.]{1,32}",
            ));
        }
    }
    let Some(exts) = custom.exts else {
        return Ok(());
    };
    if exts.len() > 16 {
        return Err(EasemobError::send(
            "param customExts can't have more than 16 entries",
        ));
    }
    // Documented as Map<String,String>; the Java SDK also sends numbers and booleans.
    if exts.values().any(|v| v.is_object() || v.is_array()) {
        return Err(EasemobError::send(
            "param customExts must be Map<String,String>",
        ));
    }
    Ok(())
}

/// Whether `event` matches `customEvent`'s pattern `[a-zA-Z0-9-_/\.]{1,32}`.
pub fn legal_custom_event(event: &str) -> bool {
    let legal = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'/' | b'.');
    (1..=32).contains(&event.len()) && event.bytes().all(legal)
}
