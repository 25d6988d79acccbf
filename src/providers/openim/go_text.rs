//! Values printed as OpenIM's Go code prints them: `fmt`'s `%v` (in mapstructure's errors),
//! the Go type of a decoded JSON value, and `json.Marshal` of a decoded `map[string]any` (keys
//! sorted, numbers through float64), which is how a message's content is stored.

use super::wire::go_json;
use serde_json::Value;

/// A float64 as `%v` prints it (`%g` at the shortest precision): the shortest digits, with an
/// exponent below 1e-4 or from 1e6 (`1e+06`).
pub fn go_g(value: f64) -> String {
    let exponent = if value == 0.0 {
        0
    } else {
        value.abs().log10().floor() as i32
    };
    if value != 0.0 && !(-4..6).contains(&exponent) {
        go_exponent(value)
    } else {
        format!("{value}")
    }
}

/// The shortest `d.ddde±XX` form, as Go's `strconv` writes it.
fn go_exponent(value: f64) -> String {
    let rust = format!("{value:e}");
    let (mantissa, exponent) = rust.split_once('e').unwrap_or((&rust, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let sign = if exponent < 0 { '-' } else { '+' };
    format!("{mantissa}e{sign}{:02}", exponent.abs())
}

/// A decoded JSON value as `%v` prints it.
pub fn go_v(value: &Value) -> String {
    match value {
        Value::Null => "<nil>".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => go_g(n.as_f64().unwrap_or_default()),
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(go_v).collect();
            format!("[{}]", items.join(" "))
        }
        Value::Object(map) => {
            let pairs: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{k}:{}", go_v(v)))
                .collect();
            format!("map[{}]", pairs.join(" "))
        }
    }
}

/// The Go type of a decoded JSON value, as mapstructure's errors name it.
pub fn unconvertible_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "<nil>",
        Value::Bool(_) => "bool",
        Value::Number(_) => "float64",
        Value::String(_) => "string",
        Value::Array(_) => "[]interface {}",
        Value::Object(_) => "map[string]interface {}",
    }
}

/// `json.Marshal` of a decoded value: compact, keys sorted, strings HTML-escaped, every
/// number a float64 (integers past 2^53 lose their last digits, as in Go).
pub fn go_marshal(value: &Value, out: &mut String) {
    match value {
        Value::Number(n) => out.push_str(&json_float(n.as_f64().unwrap_or_default())),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                go_marshal(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            // Go sorts a map's keys; a decoded object keeps the order it was sent in.
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                go_string(key, out);
                out.push(':');
                go_marshal(item, out);
            }
            out.push('}');
        }
        Value::String(text) => go_string(text, out),
        other => out.push_str(&String::from_utf8_lossy(&go_json(other))),
    }
}

/// A JSON string as `encoding/json` writes it: control characters, quotes and backslashes
/// escaped, and `<`, `>`, `&`, U+2028, U+2029 as `\u` escapes.
fn go_string(text: &str, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A float64 as `encoding/json` writes it: plain digits from 1e-6 to below 1e21, else an
/// exponent (`1e+21`, `1e-7`).
fn json_float(value: f64) -> String {
    let abs = value.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let go = go_exponent(value);
        // encoding/json writes e-07 as e-7.
        match go.split_once("e-0") {
            Some((mantissa, digit)) if digit.len() == 1 => format!("{mantissa}e-{digit}"),
            _ => go,
        }
    } else {
        format!("{value}")
    }
}
