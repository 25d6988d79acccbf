//! Request bodies decoded as a Go server decodes them: `encoding/json` into a described Go
//! struct. Unknown keys are ignored, keys match their field case-insensitively,
//! `null` leaves the zero value, integers must be integral and in range, strings are never
//! coerced, and every failure has Go's own text (`json: cannot unmarshal string into Go struct
//! field SendMsgReq.content of type map[string]interface {}`, `unexpected EOF`, ...).
//!
//! The result is the body as a JSON object whose keys are the fields' own names and whose
//! values have the fields' types, ready for serde.

use serde_json::{Map, Value};

/// A Go type, as decoding checks it and as its errors name it.
#[derive(Debug, Clone, Copy)]
pub enum GoType {
    Str,
    I32,
    I64,
    /// `uint` (64 bits, as on the servers' platforms).
    Uint,
    Bool,
    /// `map[string]interface {}`: any JSON object.
    AnyMap,
    /// `[]string`.
    Strings,
    /// A struct held by value or pointer, named as the error names it.
    Struct(&'static GoStruct),
    /// A slice of pointers to structs.
    List(&'static GoStruct),
}

/// A field: its JSON name and type.
#[derive(Debug)]
pub struct GoField {
    pub json: &'static str,
    pub ty: GoType,
}

/// A struct: its Go name (`SendMsgReq`), its name with its package (`apistruct.SendMsgReq`),
/// its fields, and the name and fields of a struct it embeds (promoted, as Go decodes them;
/// since Go 1.24 type errors name the embedded struct in the field's path).
#[derive(Debug)]
pub struct GoStruct {
    pub name: &'static str,
    pub qualified: &'static str,
    pub fields: &'static [GoField],
    pub embedded: (&'static str, &'static [GoField]),
}

impl GoStruct {
    /// A struct with `fields` and nothing embedded.
    pub const fn new(
        name: &'static str,
        qualified: &'static str,
        fields: &'static [GoField],
    ) -> Self {
        Self {
            name,
            qualified,
            fields,
            embedded: ("", &[]),
        }
    }
}

/// Shorthand for a field.
pub const fn field(json: &'static str, ty: GoType) -> GoField {
    GoField { json, ty }
}

/// How much of the body Go reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Read {
    /// gin's `BindJSON` (a `json.Decoder`): the first value; what follows is ignored.
    FirstValue,
    /// `json.Unmarshal` of the whole body: trailing bytes are an error.
    Whole,
}

/// Decodes `body` into `shape`, or gives Go's error text.
pub fn decode(body: &[u8], shape: &'static GoStruct, read: Read) -> Result<Value, String> {
    let value = parse(body, read)?;
    let object = match value {
        Value::Object(object) => object,
        Value::Null => Map::new(),
        other => {
            return Err(format!(
                "json: cannot unmarshal {} into Go value of type {}",
                kind(&other),
                shape.qualified
            ))
        }
    };
    let mut decoder = Decoder { first: None };
    let mut path = Vec::new();
    let out = decoder.object(object, shape, &mut path);
    match decoder.first {
        Some(error) => Err(error),
        None => Ok(Value::Object(out)),
    }
}

/// Go's name for the JSON kind of `value`, as its type errors say it.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

struct Decoder {
    /// Go keeps the first type error and goes on decoding.
    first: Option<String>,
}

impl Decoder {
    fn fail(&mut self, value: String, inner: &GoStruct, path: &[&str], ty: &str) {
        if self.first.is_none() {
            self.first = Some(format!(
                "json: cannot unmarshal {value} into Go struct field {}.{} of type {ty}",
                inner.name,
                path.join(".")
            ));
        }
    }

    /// The fields of `shape` found in `object`, under their own names.
    fn object(
        &mut self,
        object: Map<String, Value>,
        shape: &'static GoStruct,
        path: &mut Vec<&'static str>,
    ) -> Map<String, Value> {
        let mut out = Map::new();
        for (key, value) in object {
            let Some((field, embedded)) = find(shape, &key) else {
                continue;
            };
            if value.is_null() {
                continue;
            }
            let depth = path.len();
            path.extend(embedded);
            path.push(field.json);
            if let Some(decoded) = self.value(value, field.ty, shape, path) {
                out.insert(field.json.to_owned(), decoded);
            }
            path.truncate(depth);
        }
        out
    }

    fn value(
        &mut self,
        value: Value,
        ty: GoType,
        inner: &'static GoStruct,
        path: &mut Vec<&'static str>,
    ) -> Option<Value> {
        let fits = match (&value, ty) {
            (Value::String(_), GoType::Str) | (Value::Bool(_), GoType::Bool) => true,
            (Value::Object(_), GoType::AnyMap) => true,
            (Value::Number(n), GoType::I32) => int_in(n, i32::MIN.into(), i32::MAX.into()),
            (Value::Number(n), GoType::I64) => int_in(n, i64::MIN, i64::MAX),
            (Value::Number(n), GoType::Uint) => n.is_u64(),
            (Value::Array(_), GoType::Strings | GoType::List(_)) => {
                return Some(self.list(value, ty, inner, path))
            }
            (Value::Object(_), GoType::Struct(shape)) => {
                let Value::Object(object) = value else {
                    return None;
                };
                return Some(Value::Object(self.object(object, shape, path)));
            }
            _ => false,
        };
        if fits {
            return Some(value);
        }
        let shown = match (&value, ty) {
            (Value::Number(n), GoType::I32 | GoType::I64 | GoType::Uint) => format!("number {n}"),
            _ => kind(&value).to_owned(),
        };
        self.fail(shown, inner, path, &type_name(ty));
        None
    }

    fn list(
        &mut self,
        value: Value,
        ty: GoType,
        inner: &'static GoStruct,
        path: &mut Vec<&'static str>,
    ) -> Value {
        let Value::Array(items) = value else {
            return Value::Null;
        };
        let element = match ty {
            GoType::Strings => GoType::Str,
            GoType::List(shape) => GoType::Struct(shape),
            other => other,
        };
        let decoded = items
            .into_iter()
            .map(|item| match item {
                Value::Null => zero(element),
                item => self
                    .value(item, element, inner, path)
                    .unwrap_or(Value::Null),
            })
            .collect();
        Value::Array(decoded)
    }
}

/// The zero value of an element of a slice, which Go gives a `null` element (a nil pointer
/// for a slice of pointers to structs).
fn zero(ty: GoType) -> Value {
    match ty {
        GoType::Str => Value::String(String::new()),
        GoType::I32 | GoType::I64 | GoType::Uint => Value::from(0),
        GoType::Bool => Value::Bool(false),
        _ => Value::Null,
    }
}

/// The field `key` names: the exact name first, else one equal but for case.
/// The field `key` names (the exact name first, else one equal but for case), and the name of
/// the embedded struct it is promoted from.
fn find(shape: &'static GoStruct, key: &str) -> Option<(&'static GoField, Option<&'static str>)> {
    let (embedded_name, embedded) = shape.embedded;
    let own = shape.fields.iter().map(|f| (f, None));
    let promoted = embedded.iter().map(move |f| (f, Some(embedded_name)));
    let all = || own.clone().chain(promoted.clone());
    all()
        .find(|(f, _)| f.json == key)
        .or_else(|| all().find(|(f, _)| f.json.eq_ignore_ascii_case(key)))
}

/// Whether `n` is an integer literal within `min..=max` (Go refuses `1.0` and `1e3` too).
fn int_in(n: &serde_json::Number, min: i64, max: i64) -> bool {
    match (n.as_i64(), n.as_u64()) {
        (Some(i), _) => (min..=max).contains(&i),
        (None, Some(u)) => i64::try_from(u).is_ok_and(|i| i <= max),
        _ => false,
    }
}

/// The Go name of a type, as its errors print it.
fn type_name(ty: GoType) -> String {
    match ty {
        GoType::Str => "string".into(),
        GoType::I32 => "int32".into(),
        GoType::I64 => "int64".into(),
        GoType::Uint => "uint".into(),
        GoType::Bool => "bool".into(),
        GoType::AnyMap => "map[string]interface {}".into(),
        GoType::Strings => "[]string".into(),
        GoType::Struct(shape) => shape.qualified.into(),
        GoType::List(shape) => format!("[]*{}", shape.qualified),
    }
}

/// The first JSON value of `body` (or the whole body), with Go's syntax error texts.
fn parse(body: &[u8], read: Read) -> Result<Value, String> {
    let blank = body.iter().all(u8::is_ascii_whitespace);
    if blank {
        return Err(match read {
            Read::FirstValue => "EOF".into(),
            Read::Whole => "unexpected end of JSON input".into(),
        });
    }
    let result = match read {
        Read::FirstValue => serde_json::Deserializer::from_slice(body)
            .into_iter::<Value>()
            .next()
            .unwrap_or(Ok(Value::Null)),
        Read::Whole => serde_json::from_slice(body),
    };
    result.map_err(|e| syntax_text(body, &e, read))
}

/// Go's text for the syntax error serde_json found.
fn syntax_text(body: &[u8], e: &serde_json::Error, read: Read) -> String {
    if e.is_eof() {
        return match read {
            Read::FirstValue => "unexpected EOF".into(),
            Read::Whole => "unexpected end of JSON input".into(),
        };
    }
    let at = offset(body, e.line(), e.column());
    let found = body.get(at.saturating_sub(1)).copied().unwrap_or(b' ');
    let shown = match found {
        b'\'' => "'\\''".to_owned(),
        b if b.is_ascii_graphic() || b == b' ' => format!("'{}'", b as char),
        b => format!("'\\x{b:02x}'"),
    };
    let text = e.to_string();
    if text.starts_with("expected ident") {
        return literal_text(body, at.saturating_sub(1));
    }
    let context = if text.starts_with("trailing characters") {
        "after top-level value"
    } else if text.starts_with("key must be a string") {
        "looking for beginning of object key string"
    } else if text.starts_with("expected `:`") {
        "after object key"
    } else if text.starts_with("expected `,` or `}`") {
        "after object key:value pair"
    } else if text.starts_with("expected `,` or `]`") {
        "after array element"
    } else if text.starts_with("control character") {
        "in string literal"
    } else {
        "looking for beginning of value"
    };
    format!("invalid character {shown} {context}")
}

/// Go's text for a misspelt `true`, `false` or `null` whose byte `at` is wrong.
fn literal_text(body: &[u8], at: usize) -> String {
    let start = (0..at)
        .rev()
        .take_while(|&i| body[i].is_ascii_alphabetic())
        .last()
        .unwrap_or(at);
    let literal = match body.get(start) {
        Some(b't') => "true",
        Some(b'f') => "false",
        _ => "null",
    };
    let found = body.get(at).map_or(' ', |b| *b as char);
    let expecting = literal.chars().nth(at - start).unwrap_or(' ');
    format!("invalid character '{found}' in literal {literal} (expecting '{expecting}')")
}

/// The byte offset of a 1-based line and column.
fn offset(body: &[u8], line: usize, column: usize) -> usize {
    let start: usize = body
        .split(|b| *b == b'\n')
        .take(line.saturating_sub(1))
        .map(|l| l.len() + 1)
        .sum();
    start + column
}
