//! Easemob workloads: single and 600-recipient sends, and a read/write mix.

use std::time::Duration;

use crate::endpoint::Endpoint;
use crate::oneshot;
use crate::scenario::Workload;

/// Text of every message sent.
pub const TEXT: &str = "hello from the benchmark";
/// Recipients of the multi-recipient send.
const MANY: usize = 600;
const TOKEN_PATH: &str = "/demo/bench/token";
const SEND_PATH: &str = "/demo/bench/messages/users";
/// A long-poll of the journal that no benchmark message matches: it waits
/// for the whole minute the emulator allows, and is woken by every batch of
/// sends of the tenant.
pub const WAIT_PATH: &str =
    "/_emulator/messages?provider=easemob&tenant=demo/bench&to=nobody&wait_ms=60000";
const LOGIN_BODY: &str = r#"{"grant_type":"client_credentials","client_id":"YXA6bench-id","client_secret":"YXA6bench-secret"}"#;

/// POST a txt message from alice to bob.
pub fn send_one() -> Workload {
    Workload {
        name: "easemob-send-1",
        about: "POST messages/users, txt to 1 recipient",
        items: None,
        content_bytes: TEXT.len() as u64,
        login,
        requests: |ep, token| vec![send(ep, token, &["bob".to_string()])],
    }
}

/// POST a txt message from alice to 600 recipients.
pub fn send_many() -> Workload {
    Workload {
        name: "easemob-send-600",
        about: "POST messages/users, txt to 600 recipients",
        items: Some((MANY as u64, "recipient-msgs/s")),
        content_bytes: TEXT.len() as u64 * MANY as u64,
        login,
        requests: |ep, token| {
            let to: Vec<String> = (0..MANY).map(|i| format!("u{i}")).collect();
            vec![send(ep, token, &to)]
        },
    }
}

/// Sends mixed with user reads: send, get user, send, list users.
pub fn mixed() -> Workload {
    Workload {
        name: "easemob-mixed",
        about: "2 sends : 1 GET users/alice : 1 GET users?limit=10",
        items: None,
        content_bytes: TEXT.len() as u64 / 2,
        login,
        requests: |ep, token| {
            let send = send(ep, token, &["bob".to_string()]);
            let user = ep.request("GET", "/demo/bench/users/alice", Some(token), None);
            let list = ep.request("GET", "/demo/bench/users?limit=10", Some(token), None);
            vec![send.clone(), user, send, list]
        },
    }
}

fn send(ep: &Endpoint, token: &str, to: &[String]) -> Vec<u8> {
    let body = serde_json::json!({
        "from": "alice", "to": to, "type": "txt", "body": {"msg": TEXT}
    });
    ep.request("POST", SEND_PATH, Some(token), Some(&body.to_string()))
}

/// Client-credentials token of the demo/bench tenant.
fn login(ep: &Endpoint) -> Result<String, String> {
    let raw = ep.request("POST", TOKEN_PATH, None, Some(LOGIN_BODY));
    let reply = oneshot::call(ep, &raw, Duration::from_secs(10))?;
    if reply.status != 200 {
        return Err(format!("POST {TOKEN_PATH}: status {}", reply.status));
    }
    let json: serde_json::Value =
        serde_json::from_slice(&reply.body).map_err(|e| format!("POST {TOKEN_PATH}: {e}"))?;
    json["access_token"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| format!("POST {TOKEN_PATH}: no access_token"))
}
