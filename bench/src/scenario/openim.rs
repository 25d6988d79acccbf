//! OpenIM workloads: a text message from one user to another with the admin token, on the
//! root tenant `default` and its built-in users.

use std::time::Duration;

use crate::endpoint::Endpoint;
use crate::oneshot;
use crate::scenario::Workload;

/// Text of every message sent.
pub const TEXT: &str = "hello from the benchmark";
const TOKEN_PATH: &str = "/auth/get_admin_token";
const SEND_PATH: &str = "/msg/send_msg";
const LOGIN_BODY: &str = r#"{"secret":"openIM123","userID":"imAdmin"}"#;

/// POST a text (contentType 101) from alice to bob in a single chat.
pub fn send_one() -> Workload {
    Workload {
        name: "openim-send-1",
        about: "POST msg/send_msg, text from alice to bob, admin token",
        items: None,
        content_bytes: TEXT.len() as u64,
        login,
        requests: |ep, token| vec![send(ep, token)],
    }
}

fn send(ep: &Endpoint, token: &str) -> Vec<u8> {
    let body = serde_json::json!({
        "sendID": "alice", "recvID": "bob", "content": {"content": TEXT},
        "contentType": 101, "sessionType": 1
    });
    let headers = [("operationID", "bench"), ("token", token)];
    ep.request_with("POST", SEND_PATH, &headers, Some(&body.to_string()))
}

/// The admin token of tenant `default`, checked with one send: OpenIM answers its errors with
/// HTTP 200, which the load generator would count as successes.
fn login(ep: &Endpoint) -> Result<String, String> {
    let headers = [("operationID", "bench-login")];
    let raw = ep.request_with("POST", TOKEN_PATH, &headers, Some(LOGIN_BODY));
    let token = envelope(ep, &raw, TOKEN_PATH)?["data"]["token"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| format!("POST {TOKEN_PATH}: no token"))?;
    envelope(ep, &send(ep, &token), SEND_PATH)?;
    Ok(token)
}

/// The envelope of one call, which must be a success (errCode 0).
fn envelope(ep: &Endpoint, raw: &[u8], path: &str) -> Result<serde_json::Value, String> {
    let reply = oneshot::call(ep, raw, Duration::from_secs(10))?;
    let json: serde_json::Value =
        serde_json::from_slice(&reply.body).map_err(|e| format!("POST {path}: {e}"))?;
    if reply.status != 200 || json["errCode"] != 0 {
        return Err(format!("POST {path}: status {}, {json}", reply.status));
    }
    Ok(json)
}
