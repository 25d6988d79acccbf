//! The history file of one UTC hour (`message_historical.md`, "历史消息记录的内容"): the
//! tenant's messages of that hour read from the journal when the file is downloaded, one JSON
//! object a line `{msg_id, timestamp, direction: "outgoing", to, from, chat_type, payload:
//! {bodies: [{type, ...}], ext, from, to}}`, gzipped; and the signed query of its download
//! link, shaped like the real OSS link (`Expires`, `OSSAccessKeyId`, `Signature`).

use super::tenant::Tenant;
use crate::core::journal::{ChatType, MessageId, MessageType, Record};
use base64::Engine;
use chrono::NaiveDate;
use flate2::write::GzEncoder;
use flate2::Compression;
use hmac::{Hmac, Mac};
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use sha1::Sha1;
use std::io::Write;

/// One hour, in milliseconds.
pub const HOUR_MS: i64 = 3_600_000;

/// How long a download link is good for: the docs' example link expires 1800 s after the
/// answer's `timestamp`.
pub const LINK_TTL_SECONDS: i64 = 1800;

/// The start (epoch ms) of the UTC hour `time` names as `yyyyMMddHH`, when it names one.
pub fn hour_start(time: &str) -> Option<i64> {
    if time.len() != 10 || !time.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let number = |range: std::ops::Range<usize>| time[range].parse::<u32>().ok();
    let (year, month, day, hour) = (number(0..4)?, number(4..6)?, number(6..8)?, number(8..10)?);
    let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
    Some(date.and_hms_opt(hour, 0, 0)?.and_utc().timestamp_millis())
}

/// The messages of `tenant` received in the hour starting at `start`, oldest first; recalled
/// messages are no longer stored and are left out.
pub fn messages(tenant: &Tenant, start: i64) -> Vec<Record> {
    let mut found = Vec::new();
    tenant.journal.each_from(0, |r, _| {
        let inside = (start..start + HOUR_MS).contains(&r.received_at_ms);
        if inside && !r.recalled && chat_type(r.chat_type).is_some() {
            found.push(r.clone());
        }
    });
    found
}

/// Whether `tenant` has a message received in the hour starting at `start`.
pub fn any_message(tenant: &Tenant, start: i64) -> bool {
    let mut any = false;
    tenant.journal.each_from(0, |r, _| {
        any |= (start..start + HOUR_MS).contains(&r.received_at_ms)
            && !r.recalled
            && chat_type(r.chat_type).is_some();
    });
    any
}

/// Easemob's name of a conversation kind.
fn chat_type(kind: ChatType) -> Option<&'static str> {
    match kind {
        ChatType::Single => Some("chat"),
        ChatType::Group => Some("groupchat"),
        ChatType::Room => Some("chatroom"),
        _ => None,
    }
}

/// One line of the file.
#[derive(Serialize)]
struct Line<'a> {
    msg_id: &'a MessageId,
    timestamp: i64,
    direction: &'static str,
    to: &'a str,
    from: &'a str,
    chat_type: &'static str,
    payload: Payload<'a>,
}

#[derive(Serialize)]
struct Payload<'a> {
    bodies: [Map<String, Value>; 1],
    ext: &'a RawValue,
    from: &'a str,
    to: &'a str,
}

/// The gzipped file of `records`.
pub fn gzip(records: &[Record]) -> std::io::Result<Vec<u8>> {
    let mut out = GzEncoder::new(Vec::new(), Compression::default());
    let empty: &RawValue = serde_json::from_str("{}").map_err(std::io::Error::other)?;
    for r in records {
        let ext = match &r.ext {
            Some(ext) => serde_json::from_str(ext).map_err(std::io::Error::other)?,
            None => empty,
        };
        let line = Line {
            msg_id: &r.id,
            timestamp: r.received_at_ms,
            direction: "outgoing",
            to: &r.to,
            from: &r.from,
            chat_type: chat_type(r.chat_type).unwrap_or("chat"),
            payload: Payload {
                bodies: [body(r)],
                ext,
                from: &r.from,
                to: &r.to,
            },
        };
        serde_json::to_writer(&mut out, &line)?;
        out.write_all(b"\n")?;
    }
    out.finish()
}

/// The message body as sent, with its `type`.
fn body(r: &Record) -> Map<String, Value> {
    let mut body: Map<String, Value> = serde_json::from_str(&r.content).unwrap_or_default();
    if let MessageType::Name(name) = r.kind {
        body.insert("type".into(), Value::String(name.into()));
    }
    body
}

/// The `OSSAccessKeyId` of the tenant's links.
pub fn access_key_id(tenant: &Tenant) -> String {
    let digest = mac(tenant, b"access-key-id");
    let id = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&digest[..12]);
    format!("LTAI{}", id.replace(['-', '_'], "x"))
}

/// The `Signature` of the link to the file `name` that expires at `expires` (epoch seconds):
/// base64 of an HMAC-SHA1 of the method, expiry and object, as OSS signs its links.
pub fn signature(tenant: &Tenant, name: &str, expires: i64) -> String {
    let text = format!("GET\n\n\n{expires}\n/{}/{}/{name}", tenant.org, tenant.app);
    base64::engine::general_purpose::STANDARD.encode(mac(tenant, text.as_bytes()))
}

/// An HMAC-SHA1 of `data` under a key of the tenant's own (its application UUID and secret).
fn mac(tenant: &Tenant, data: &[u8]) -> Vec<u8> {
    let secret = tenant.settings.client_secret.as_deref().unwrap_or_default();
    let key = format!("{}:{secret}", tenant.application_text);
    let Ok(mut mac) = <Hmac<Sha1>>::new_from_slice(key.as_bytes()) else {
        return Vec::new(); // HMAC takes keys of any length
    };
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// `value` percent-encoded for a query string.
pub fn query_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 8);
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
