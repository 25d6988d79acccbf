//! What Easemob's before- and after-send callbacks share (webhooks contract §1.3, §1.5): the
//! message body with its `type`, the history-record `payload` (`{"ext", "bodies": [body]}`),
//! the `security` signature md5hex(callId + secret + timestamp), the `org#app` appkey and the
//! [`Delivery`] of a signed JSON body.

use super::tenant::Tenant;
use super::validate::MsgKind;
use crate::core::callbacks::Delivery;
use md5::{Digest, Md5};
use serde::Serialize;
use serde_json::{Map, Value};
use std::sync::Arc;
use std::time::Duration;

/// `security`: lowercase md5hex of `call_id`, `secret` and the decimal `timestamp`.
pub fn security(call_id: &str, secret: &str, timestamp: i64) -> String {
    let mut md5 = Md5::new();
    md5.update(call_id.as_bytes());
    md5.update(secret.as_bytes());
    md5.update(itoa::Buffer::new().format(timestamp).as_bytes());
    md5.finalize()
        .iter()
        .fold(String::with_capacity(32), |mut s, b| {
            use std::fmt::Write;
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// The message body as sent (`body_json`, an object) with its `type`.
pub fn typed_body(kind: MsgKind, body_json: &str) -> Map<String, Value> {
    let mut body: Map<String, Value> = serde_json::from_str(body_json).unwrap_or_default();
    body.insert("type".into(), Value::String(kind.name().into()));
    body
}

/// `ext` as sent, `{}` when there is none.
pub fn ext_value(ext: Option<&str>) -> Value {
    ext.and_then(|e| serde_json::from_str(e).ok())
        .filter(Value::is_object)
        .unwrap_or_else(|| Value::Object(Map::new()))
}

/// The history-record payload.
#[derive(Serialize)]
pub struct HistoryPayload<'a> {
    pub ext: &'a Value,
    pub bodies: [&'a Map<String, Value>; 1],
}

/// `org#app`.
pub fn appkey(tenant: &Tenant) -> String {
    format!("{}#{}", tenant.org, tenant.app)
}

/// The tenant's name in `/_emulator/callbacks`: `org/app`.
pub fn tenant_name(tenant: &Tenant) -> Arc<str> {
    Arc::from(format!("{}/{}", tenant.org, tenant.app))
}

/// A JSON POST of `body` to `url`: answered 200, within `timeout_ms`, in `attempts` tries.
pub fn delivery(
    tenant: Arc<str>,
    event: &'static str,
    url: &str,
    body: Vec<u8>,
    timeout_ms: u64,
    attempts: u32,
) -> Delivery {
    Delivery {
        provider: super::PROVIDER,
        tenant,
        event,
        url: url.to_owned(),
        headers: vec![("Content-Type", "application/json".into())],
        body: body.into(),
        timeout: Duration::from_millis(timeout_ms),
        attempts,
        success: vec![200],
    }
}

#[cfg(test)]
mod tests {
    use super::security;

    #[test]
    fn the_signature_matches_the_contracts_test_vector() {
        let call_id = "easemob-demo#test_1418038921190704764";
        assert_eq!(
            security(call_id, "cbd1a2f3e4", 1_747_727_714_765),
            "7724f75f3e12b7e6f8b035227646f932"
        );
    }
}
