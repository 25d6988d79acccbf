//! Helpers for the control plane's tests: admin calls, and a Server-Sent Events reader.

use super::TestApp;
use actix_web::web::Bytes;
use futures_util::{Stream, StreamExt};
use reqwest::{Method, Response, StatusCode};
use serde_json::Value;
use std::pin::Pin;
use std::time::Duration;

/// Calls `{url}/_emulator{path}` with `method` and an optional JSON body; the status and the
/// JSON body (`Null` when there is none).
pub async fn admin(
    app: &TestApp,
    method: Method,
    path: &str,
    body: Option<&Value>,
) -> (StatusCode, Value) {
    let mut req = app
        .client
        .request(method, format!("{}/_emulator{path}", app.url));
    if let Some(body) = body {
        req = req
            .header("content-type", "application/json")
            .body(body.to_string());
    }
    let resp = req.send().await.expect("the admin API answers");
    let status = resp.status();
    let text = resp.text().await.expect("a body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// `GET /_emulator/requests?{query}`, which must answer 200.
pub async fn requests(app: &TestApp, query: &str) -> Value {
    let (status, body) = admin(app, Method::GET, &format!("/requests?{query}"), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

/// `GET /_emulator/callbacks?{query}`, which must answer 200.
pub async fn callbacks(app: &TestApp, query: &str) -> Value {
    let (status, body) = admin(app, Method::GET, &format!("/callbacks?{query}"), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

/// The callback attempts matching `query`, once at least `n` of them are recorded.
pub async fn wait_for_callbacks(app: &TestApp, n: usize, query: &str) -> Vec<Value> {
    let listing = callbacks(app, &format!("wait_ms=10000&min_count={n}&{query}")).await;
    let found = listing["callbacks"].as_array().unwrap().clone();
    assert!(found.len() >= n, "{n} attempts expected: {listing}");
    found
}

/// One Server-Sent Event.
#[derive(Debug, Clone)]
pub struct Event {
    pub id: String,
    pub event: String,
    pub data: Value,
}

/// A subscriber of `/_emulator/events`, reading as events come.
pub struct Events {
    stream: Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>,
    buffer: String,
}

impl Events {
    /// Subscribes with `query`, and `Last-Event-ID` when given.
    pub async fn subscribe(app: &TestApp, query: &str, last_id: Option<&str>) -> Self {
        let mut req = app
            .client
            .get(format!("{}/_emulator/events?{query}", app.url));
        if let Some(id) = last_id {
            req = req.header("last-event-id", id);
        }
        let resp: Response = req.send().await.expect("the events answer");
        assert_eq!(resp.status(), StatusCode::OK);
        assert_eq!(resp.headers()["content-type"], "text/event-stream");
        Self {
            stream: Box::pin(resp.bytes_stream()),
            buffer: String::new(),
        }
    }

    /// The next event (keep-alive comments skipped); `None` when the stream ends. A safety
    /// net of 10 s fails the test instead of hanging it.
    pub async fn next(&mut self) -> Option<Event> {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                if let Some(event) = parse(&block) {
                    return Some(event);
                }
                continue;
            }
            let chunk = tokio::time::timeout(Duration::from_secs(10), self.stream.next())
                .await
                .expect("an event within 10 s")?;
            let chunk = chunk.ok()?;
            self.buffer
                .push_str(std::str::from_utf8(&chunk).expect("UTF-8"));
        }
    }

    /// The next `n` events.
    pub async fn take(&mut self, n: usize) -> Vec<Event> {
        let mut events = Vec::new();
        while events.len() < n {
            events.push(self.next().await.expect("the stream goes on"));
        }
        events
    }
}

fn parse(block: &str) -> Option<Event> {
    let (mut id, mut event, mut data) = (String::new(), String::new(), String::new());
    for line in block.lines() {
        if let Some(v) = line.strip_prefix("id: ") {
            id = v.to_owned();
        } else if let Some(v) = line.strip_prefix("event: ") {
            event = v.to_owned();
        } else if let Some(v) = line.strip_prefix("data: ") {
            data.push_str(v);
        }
    }
    (!event.is_empty()).then(|| Event {
        id,
        event,
        data: serde_json::from_str(&data).expect("JSON data"),
    })
}

/// The names of a listed attempt's request headers, in the order they were sent.
pub fn header_names(attempt: &Value) -> Vec<&str> {
    let headers = attempt["request"]["headers"].as_object().expect("headers");
    headers.keys().map(String::as_str).collect()
}
