//! Yunxin workloads: a text message from one account to another on the built-in app, each
//! request signed with a CheckSum that the emulator checks on every call, as the real service
//! does; and the same on an app that copies every message (消息抄送) to a receiver.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sha1::{Digest, Sha1};

use crate::endpoint::Endpoint;
use crate::oneshot;
use crate::scenario::Workload;

/// Text of every message sent.
pub const TEXT: &str = "hello from the benchmark";
const APP_KEY: &str = "demo-appkey";
/// The app created for the callbacks scenario, with the same secret.
const COPY_KEY: &str = "bench-copy";
const APP_SECRET: &str = "demo-appsecret";
const SEND_PATH: &str = "/im/v2/conversations/alice%7C1%7Cbob/messages";
const NONCE: &str = "0123456789abcdef0123456789abcdef";

/// POST a text (message_type 0) from alice to bob.
pub fn send_one() -> Workload {
    Workload {
        name: "yunxin-send-1",
        about: "POST im/v2/conversations/alice|1|bob/messages, text, CheckSum on every call",
        items: None,
        content_bytes: TEXT.len() as u64,
        login: |ep| login(ep, APP_KEY),
        requests: |ep, cur_time| vec![send(ep, APP_KEY, cur_time)],
    }
}

/// yunxin-send-1 on an app whose every message is copied to a receiver.
pub fn send_one_copied() -> Workload {
    Workload {
        name: "yunxin-send-1-callbacks",
        about: "yunxin-send-1 on an app copying every message (消息抄送) to a receiver that answers at once",
        items: None,
        content_bytes: TEXT.len() as u64,
        login: |ep| login(ep, COPY_KEY),
        requests: |ep, cur_time| vec![send(ep, COPY_KEY, cur_time)],
    }
}

/// The `POST /_emulator/tenants` body of the app copying its messages to `receiver`.
pub fn copy_tenant(receiver: &str) -> String {
    let tenant = serde_json::json!({
        "provider": "yunxin", "app_key": COPY_KEY, "app_secret": APP_SECRET,
        "message_copy_url": format!("{receiver}/copy"),
        "accounts": [{"account_id": "alice"}, {"account_id": "bob"}],
    });
    tenant.to_string()
}

fn send(ep: &Endpoint, app_key: &str, cur_time: &str) -> Vec<u8> {
    let body = serde_json::json!({"message": {"message_type": 0, "text": TEXT}});
    let headers = [
        ("AppKey", app_key),
        ("Nonce", NONCE),
        ("CurTime", cur_time),
        ("CheckSum", &check_sum(cur_time)),
    ];
    ep.request_with("POST", SEND_PATH, &headers, Some(&body.to_string()))
}

/// Lowercase hex SHA-1 of AppSecret + Nonce + CurTime.
fn check_sum(cur_time: &str) -> String {
    let digest = Sha1::digest(format!("{APP_SECRET}{NONCE}{cur_time}"));
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The CurTime the requests carry (now: a run is far shorter than the 300 s window), checked
/// with one send: Yunxin answers its errors with HTTP 200, which the load generator would
/// count as successes.
fn login(ep: &Endpoint, app_key: &str) -> Result<String, String> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let cur_time = now.as_secs().to_string();
    let reply = oneshot::call(ep, &send(ep, app_key, &cur_time), Duration::from_secs(10))?;
    let json: serde_json::Value =
        serde_json::from_slice(&reply.body).map_err(|e| format!("POST {SEND_PATH}: {e}"))?;
    if reply.status != 200 || json["code"] != 200 {
        return Err(format!("POST {SEND_PATH}: status {}, {json}", reply.status));
    }
    Ok(cur_time)
}
