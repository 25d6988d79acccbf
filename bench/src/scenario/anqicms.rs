//! AnqiCMS workloads on the site `default` as the built-in user `alice`: a text sent into her
//! communication order, and a page of 10 of an order's messages, from an order of 10,000
//! messages and, to show that a page's cost does not grow with the order, from one of 10.

use std::time::Duration;

use crate::endpoint::Endpoint;
use crate::oneshot;
use crate::scenario::Workload;

/// Text of every message sent.
pub const TEXT: &str = "hello from the benchmark";
const LOGIN_PATH: &str = "/api/login";
const LOGIN_BODY: &str = r#"{"user_name":"alice","password":"alice123"}"#;
const CREATE_PATH: &str = "/api/communication/order/create";
const ORDERS_PATH: &str = "/api/communication/orders?current=1&page_size=1";
const SEND_PATH: &str = "/api/communication/message/send";
/// The messages of the long order, and of the short one.
const LONG: u64 = 10_000;
const SHORT: u64 = 10;

/// POST a text into alice's order.
pub fn send_one() -> Workload {
    Workload {
        name: "anqicms-send-1",
        about: "POST api/communication/message/send, a text into the user's own order",
        items: None,
        content_bytes: TEXT.len() as u64,
        login: |ep| order_with(ep, 0),
        requests: |ep, credential| vec![send(ep, credential)],
    }
}

/// GET page 500 (of 1,000) of a 10,000-message order.
pub fn list_long() -> Workload {
    Workload {
        name: "anqicms-list-10",
        about: "GET api/communication/messages, page 500 of 10 from a 10,000-message order",
        items: None,
        content_bytes: 0,
        login: |ep| order_with(ep, LONG),
        requests: |ep, credential| vec![list(ep, credential, LONG / 20)],
    }
}

/// GET the only page of a 10-message order.
pub fn list_short() -> Workload {
    Workload {
        name: "anqicms-list-10-short",
        about: "GET api/communication/messages, the one page of 10 of a 10-message order",
        items: None,
        content_bytes: 0,
        login: |ep| order_with(ep, SHORT),
        requests: |ep, credential| vec![list(ep, credential, 1)],
    }
}

/// `token|order`: what the requests carry.
fn parts(credential: &str) -> (&str, &str) {
    credential.split_once('|').unwrap_or((credential, "1"))
}

fn send(ep: &Endpoint, credential: &str) -> Vec<u8> {
    let (token, order) = parts(credential);
    let body = format!(
        r#"{{"comm_order_id":{order},"sender_id":1,"sender_name":"alice","message_type":"text","content":"{TEXT}"}}"#
    );
    ep.request_with("POST", SEND_PATH, &[("Token", token)], Some(&body))
}

fn list(ep: &Endpoint, credential: &str, page: u64) -> Vec<u8> {
    let (token, order) = parts(credential);
    let path =
        format!("/api/communication/messages?comm_order_id={order}&current={page}&page_size=10");
    ep.request_with("GET", &path, &[("Token", token)], None)
}

/// Logs alice in, creates an order holding `messages` texts, and checks one call of each
/// kind: AnqiCMS answers its errors with HTTP 200, which the load generator would count as
/// successes.
fn order_with(ep: &Endpoint, messages: u64) -> Result<String, String> {
    let login = call(
        ep,
        &ep.request_with("POST", LOGIN_PATH, &[], Some(LOGIN_BODY)),
        LOGIN_PATH,
    )?;
    let token = (login["data"]["token"].as_str())
        .ok_or_else(|| format!("POST {LOGIN_PATH}: no token"))?
        .to_string();
    let create = r#"{"archive_id":1,"title":"benchmark","content":"c","phone":"13800000000"}"#;
    call(
        ep,
        &ep.request_with("POST", CREATE_PATH, &[("Token", &token)], Some(create)),
        CREATE_PATH,
    )?;
    let orders = call(
        ep,
        &ep.request_with("GET", ORDERS_PATH, &[("Token", &token)], None),
        ORDERS_PATH,
    )?;
    let order = (orders["data"][0]["id"].as_u64()).ok_or("no order in the list")?;
    let credential = format!("{token}|{order}");
    for _ in 0..messages.max(1) {
        call(ep, &send(ep, &credential), SEND_PATH)?;
    }
    call(
        ep,
        &list(ep, &credential, 1),
        "GET /api/communication/messages",
    )?;
    Ok(credential)
}

/// The envelope of one call, which must be a success (code 0).
fn call(ep: &Endpoint, raw: &[u8], path: &str) -> Result<serde_json::Value, String> {
    let reply = oneshot::call(ep, raw, Duration::from_secs(10))?;
    let json: serde_json::Value =
        serde_json::from_slice(&reply.body).map_err(|e| format!("{path}: {e}"))?;
    if reply.status != 200 || json["code"] != 0 {
        return Err(format!("{path}: status {}, {json}", reply.status));
    }
    Ok(json)
}
