//! Message contents (contract §4.3): the element schema of each accepted `contentType`, the
//! weak decoding OpenIM applies to `content` (mapstructure's `WeakDecode`: numbers and bools
//! become strings, numeric strings become integers, keys match case-insensitively) and the
//! validation after it (go-playground's `validator`), each failing with the text the Go
//! libraries give. The decoded element is only checked: what is stored is `content` itself.

use super::go_text::{go_v, unconvertible_type};
use serde_json::{Map, Value};
use std::borrow::Cow;

/// An element struct (`TextElem`, `PictureElem`, ...).
#[derive(Debug)]
pub struct Elem {
    pub name: &'static str,
    pub fields: &'static [Field],
}

/// A field: its mapstructure name (the content key), its Go name, kind and validation tags.
#[derive(Debug)]
pub struct Field {
    key: &'static str,
    go: &'static str,
    kind: Kind,
    rules: &'static [Rule],
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Str,
    Int(u32),
    Bool,
    Strs,
    Struct(&'static Elem),
    Ptr(&'static Elem),
}

/// A validation tag.
#[derive(Debug, Clone, Copy)]
enum Rule {
    Required,
    Min(i64),
    Max(i64),
    Gte(i64),
    Lte(i64),
}

const fn f(key: &'static str, go: &'static str, kind: Kind, rules: &'static [Rule]) -> Field {
    Field {
        key,
        go,
        kind,
        rules,
    }
}

use Kind::{Bool, Int, Ptr, Str, Strs, Struct};
use Rule::{Gte, Lte, Max, Min, Required};

const REQ: &[Rule] = &[Required];

pub static TEXT: Elem = Elem {
    name: "TextElem",
    fields: &[f("Content", "Content", Str, REQ)],
};

static PICTURE_BASE: Elem = Elem {
    name: "PictureBaseInfo",
    fields: &[
        f("uuid", "UUID", Str, &[]),
        f("type", "Type", Str, REQ),
        f("size", "Size", Int(64), &[]),
        f("width", "Width", Int(32), REQ),
        f("height", "Height", Int(32), REQ),
        f("url", "Url", Str, REQ),
    ],
};

pub static PICTURE: Elem = Elem {
    name: "PictureElem",
    fields: &[
        f("sourcePath", "SourcePath", Str, &[]),
        f("sourcePicture", "SourcePicture", Struct(&PICTURE_BASE), REQ),
        f("bigPicture", "BigPicture", Struct(&PICTURE_BASE), REQ),
        f(
            "snapshotPicture",
            "SnapshotPicture",
            Struct(&PICTURE_BASE),
            REQ,
        ),
    ],
};

pub static SOUND: Elem = Elem {
    name: "SoundElem",
    fields: &[
        f("uuid", "UUID", Str, &[]),
        f("soundPath", "SoundPath", Str, &[]),
        f("sourceUrl", "SourceURL", Str, REQ),
        f("dataSize", "DataSize", Int(64), &[]),
        f("duration", "Duration", Int(64), &[Required, Min(1)]),
    ],
};

pub static VIDEO: Elem = Elem {
    name: "VideoElem",
    fields: &[
        f("videoPath", "VideoPath", Str, &[]),
        f("videoUUID", "VideoUUID", Str, &[]),
        f("videoUrl", "VideoURL", Str, REQ),
        f("videoType", "VideoType", Str, REQ),
        f("videoSize", "VideoSize", Int(64), REQ),
        f("duration", "Duration", Int(64), REQ),
        f("snapshotPath", "SnapshotPath", Str, &[]),
        f("snapshotUUID", "SnapshotUUID", Str, &[]),
        f("snapshotSize", "SnapshotSize", Int(64), &[]),
        f("snapshotUrl", "SnapshotURL", Str, REQ),
        f("snapshotWidth", "SnapshotWidth", Int(32), REQ),
        f("snapshotHeight", "SnapshotHeight", Int(32), REQ),
    ],
};

pub static FILE: Elem = Elem {
    name: "FileElem",
    fields: &[
        f("filePath", "FilePath", Str, &[]),
        f("uuid", "UUID", Str, &[]),
        f("sourceUrl", "SourceURL", Str, REQ),
        f("fileName", "FileName", Str, REQ),
        f("fileSize", "FileSize", Int(64), REQ),
    ],
};

pub static AT: Elem = Elem {
    name: "AtElem",
    fields: &[
        f("text", "Text", Str, &[]),
        f("atUserList", "AtUserList", Strs, &[Required, Max(1000)]),
        f("isAtSelf", "IsAtSelf", Bool, &[]),
    ],
};

pub static CUSTOM: Elem = Elem {
    name: "CustomElem",
    fields: &[
        f("data", "Data", Str, REQ),
        f("description", "Description", Str, &[]),
        f("extension", "Extension", Str, &[]),
    ],
};

pub static QUOTE: Elem = Elem {
    name: "QuoteElem",
    fields: &[f("text", "Text", Str, &[])],
};

pub static MARKDOWN: Elem = Elem {
    name: "MarkdownTextElem",
    fields: &[f("content", "Content", Str, REQ)],
};

pub static OA_NOTIFICATION: Elem = Elem {
    name: "OANotificationElem",
    fields: &[
        f("notificationName", "NotificationName", Str, REQ),
        f("notificationFaceURL", "NotificationFaceURL", Str, &[]),
        f("notificationType", "NotificationType", Int(32), REQ),
        f("text", "Text", Str, REQ),
        f("url", "Url", Str, &[]),
        f("mixType", "MixType", Int(32), &[Gte(0), Lte(5)]),
        f("pictureElem", "PictureElem", Ptr(&PICTURE), &[]),
        f("soundElem", "SoundElem", Ptr(&SOUND), &[]),
        f("videoElem", "VideoElem", Ptr(&VIDEO), &[]),
        f("fileElem", "FileElem", Ptr(&FILE), &[]),
        f("ex", "Ex", Str, &[]),
    ],
};

/// A decoded field value.
#[derive(Debug)]
enum Decoded<'a> {
    Str(Cow<'a, str>),
    Int(i64),
    Bool(bool),
    Strs(Option<Vec<Cow<'a, str>>>),
    Struct(Vec<Decoded<'a>>),
    Ptr(Option<Vec<Decoded<'a>>>),
}

/// A field's dotted name (`sourcePicture.width`, `atUserList[0]`), written out only when an
/// error names it.
#[derive(Clone, Copy)]
struct Name<'a> {
    parent: Option<&'a Name<'a>>,
    key: &'a str,
    index: Option<usize>,
}

impl std::fmt::Display for Name<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(parent) = self.parent {
            write!(f, "{parent}{}", if self.index.is_some() { "" } else { "." })?;
        }
        match self.index {
            Some(i) => write!(f, "[{i}]"),
            None => f.write_str(self.key),
        }
    }
}

/// Weak-decodes `content` into `elem` and validates it: `Ok` when it passes, else the text of
/// the decode errors (mapstructure's) or of the validation errors (validator's).
pub fn check(content: &Map<String, Value>, elem: &'static Elem) -> Result<(), String> {
    let mut errors = Vec::new();
    let decoded = decode_struct(content, elem, None, &mut errors);
    if !errors.is_empty() {
        errors.sort();
        let points: Vec<String> = errors.iter().map(|e| format!("* {e}")).collect();
        return Err(format!(
            "{} error(s) decoding:\n\n{}",
            errors.len(),
            points.join("\n")
        ));
    }
    let mut failures = Vec::new();
    let namespace = Name {
        parent: None,
        key: elem.name,
        index: None,
    };
    validate(elem, &decoded, &namespace, &mut failures);
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n"))
    }
}

fn decode_struct<'a>(
    map: &'a Map<String, Value>,
    elem: &'static Elem,
    parent: Option<&Name<'_>>,
    errors: &mut Vec<String>,
) -> Vec<Decoded<'a>> {
    elem.fields
        .iter()
        .map(|field| {
            let name = Name {
                parent,
                key: field.key,
                index: None,
            };
            let value = map.get(field.key).or_else(|| {
                map.iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(field.key))
                    .map(|(_, v)| v)
            });
            decode_field(value.unwrap_or(&Value::Null), field.kind, &name, errors)
        })
        .collect()
}

fn decode_field<'a>(
    value: &'a Value,
    kind: Kind,
    name: &Name<'_>,
    errors: &mut Vec<String>,
) -> Decoded<'a> {
    match kind {
        Str => Decoded::Str(weak_string(value, name, errors)),
        Int(bits) => Decoded::Int(weak_int(value, bits, name, errors)),
        Bool => Decoded::Bool(weak_bool(value, name, errors)),
        Strs => Decoded::Strs(weak_strings(value, name, errors)),
        Struct(elem) => Decoded::Struct(match value {
            Value::Object(map) => decode_struct(map, elem, Some(name), errors),
            other => {
                if !other.is_null() {
                    errors.push(format!("'{name}' expected a map, got '{}'", go_kind(other)));
                }
                decode_struct(&EMPTY_MAP, elem, Some(name), errors)
            }
        }),
        Ptr(elem) => Decoded::Ptr(match value {
            Value::Null => None,
            Value::Object(map) => Some(decode_struct(map, elem, Some(name), errors)),
            other => {
                errors.push(format!("'{name}' expected a map, got '{}'", go_kind(other)));
                None
            }
        }),
    }
}

static EMPTY_MAP: std::sync::LazyLock<Map<String, Value>> = std::sync::LazyLock::new(Map::new);

/// `reflect.Kind` of a decoded JSON value, as mapstructure prints it.
fn go_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "invalid",
        Value::Bool(_) => "bool",
        Value::Number(_) => "float64",
        Value::String(_) => "string",
        Value::Array(_) => "slice",
        Value::Object(_) => "map",
    }
}

fn unconvertible(name: &Name<'_>, target: &str, value: &Value) -> String {
    format!(
        "'{name}' expected type '{target}', got unconvertible type '{}', value: '{}'",
        unconvertible_type(value),
        go_v(value)
    )
}

fn weak_string<'a>(value: &'a Value, name: &Name<'_>, errors: &mut Vec<String>) -> Cow<'a, str> {
    match value {
        Value::Null => Cow::Borrowed(""),
        Value::String(s) => Cow::Borrowed(s),
        Value::Bool(b) => Cow::Borrowed(if *b { "1" } else { "0" }),
        Value::Number(n) => Cow::Owned(go_f(n.as_f64().unwrap_or_default())),
        other => {
            errors.push(unconvertible(name, "string", other));
            Cow::Borrowed("")
        }
    }
}

/// `strconv.FormatFloat(f, 'f', -1, 64)`: the shortest digits, never an exponent.
fn go_f(value: f64) -> String {
    format!("{value}")
}

fn weak_int(value: &Value, bits: u32, name: &Name<'_>, errors: &mut Vec<String>) -> i64 {
    let target = if bits == 32 { "int32" } else { "int64" };
    match value {
        Value::Null => 0,
        Value::Bool(b) => i64::from(*b),
        Value::Number(n) => n
            .as_i64()
            .unwrap_or_else(|| n.as_f64().unwrap_or_default() as i64),
        Value::String(s) => parse_int(s, bits).unwrap_or_else(|e| {
            errors.push(format!("cannot parse '{name}' as int: {e}"));
            0
        }),
        other => {
            errors.push(unconvertible(name, target, other));
            0
        }
    }
}

/// `strconv.ParseInt(s, 0, bits)`, with an empty string read as 0.
fn parse_int(s: &str, bits: u32) -> Result<i64, String> {
    if s.is_empty() {
        return Ok(0);
    }
    let syntax = || format!("strconv.ParseInt: parsing {s:?}: invalid syntax");
    let (negative, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (radix, digits) = match digits.get(..2) {
        Some("0x" | "0X") => (16, &digits[2..]),
        Some("0b" | "0B") => (2, &digits[2..]),
        Some("0o" | "0O") => (8, &digits[2..]),
        _ if digits.len() > 1 && digits.starts_with('0') => (8, &digits[1..]),
        _ => (10, digits),
    };
    let digits = digits.replace('_', "");
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return Err(syntax());
    }
    let magnitude = i128::from_str_radix(&digits, radix).map_err(|_| syntax())?;
    let value = if negative { -magnitude } else { magnitude };
    let (min, max) = (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1);
    if value < min || value > max {
        return Err(format!(
            "strconv.ParseInt: parsing {s:?}: value out of range"
        ));
    }
    Ok(value as i64)
}

fn weak_bool(value: &Value, name: &Name<'_>, errors: &mut Vec<String>) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().unwrap_or_default() != 0.0,
        Value::String(s) => match s.as_str() {
            "" | "0" | "f" | "F" | "false" | "FALSE" | "False" => false,
            "1" | "t" | "T" | "true" | "TRUE" | "True" => true,
            _ => {
                errors.push(format!(
                    "cannot parse '{name}' as bool: strconv.ParseBool: parsing {s:?}: invalid syntax"
                ));
                false
            }
        },
        other => {
            errors.push(unconvertible(name, "bool", other));
            false
        }
    }
}

fn weak_strings<'a>(
    value: &'a Value,
    name: &Name<'_>,
    errors: &mut Vec<String>,
) -> Option<Vec<Cow<'a, str>>> {
    let element = |i| Name {
        parent: Some(name),
        key: "",
        index: Some(i),
    };
    match value {
        Value::Null => None,
        Value::Array(items) => Some(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| weak_string(item, &element(i), errors))
                .collect(),
        ),
        Value::Object(map) if map.is_empty() => Some(Vec::new()),
        Value::Object(_) => {
            errors.push(format!(
                "'{name}': source data must be an array or slice, got map"
            ));
            None
        }
        single => Some(vec![weak_string(single, &element(0), errors)]),
    }
}

/// Runs the validation tags, field by field in struct order, into nested structs.
fn validate(
    elem: &Elem,
    decoded: &[Decoded<'_>],
    namespace: &Name<'_>,
    failures: &mut Vec<String>,
) {
    for (field, value) in elem.fields.iter().zip(decoded) {
        let key = Name {
            parent: Some(namespace),
            key: field.go,
            index: None,
        };
        if let Some(tag) = field.rules.iter().find(|rule| !passes(**rule, value)) {
            failures.push(format!(
                "Key: '{key}' Error:Field validation for '{}' failed on the '{}' tag",
                field.go,
                tag_name(*tag)
            ));
            continue;
        }
        match (field.kind, value) {
            (Struct(inner), Decoded::Struct(fields)) | (Ptr(inner), Decoded::Ptr(Some(fields))) => {
                validate(inner, fields, &key, failures)
            }
            _ => {}
        }
    }
}

fn passes(rule: Rule, value: &Decoded<'_>) -> bool {
    match (rule, value) {
        // `required` on a struct held by value is not checked: validator only recurses.
        (Required, Decoded::Struct(_)) => true,
        (Required, Decoded::Str(s)) => !s.is_empty(),
        (Required, Decoded::Int(i)) => *i != 0,
        (Required, Decoded::Bool(b)) => *b,
        (Required, Decoded::Strs(list)) => list.is_some(),
        (Required, Decoded::Ptr(p)) => p.is_some(),
        (Min(min), Decoded::Int(i)) => *i >= min,
        (Max(max), Decoded::Strs(list)) => list.as_ref().map_or(0, Vec::len) as i64 <= max,
        (Gte(min), Decoded::Int(i)) => *i >= min,
        (Lte(max), Decoded::Int(i)) => *i <= max,
        _ => true,
    }
}

fn tag_name(rule: Rule) -> &'static str {
    match rule {
        Required => "required",
        Min(_) => "min",
        Max(_) => "max",
        Gte(_) => "gte",
        Lte(_) => "lte",
    }
}
