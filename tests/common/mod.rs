//! The test harness: starts the real server on port 0 with a fixed seed, and gives each
//! endpoint a helper, so that tests read as a client's calls.
#![allow(dead_code)]

pub mod anqicms;
pub mod control;
pub mod easemob_groups;
pub mod openim;
pub mod process;
pub mod receiver;
pub mod yunxin;

use im_emulator::config::Config;
use im_emulator::Application;
use reqwest::{Client, Response, StatusCode};
use serde_json::{json, Value};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The default tenant of the built-in fixtures.
pub const ORG: &str = "demo";
pub const APP: &str = "chat";
pub const CLIENT_ID: &str = "YXA6demo-client-id";
pub const CLIENT_SECRET: &str = "YXA6demo-client-secret";
/// The application UUID of `demo/chat` in the built-in fixtures.
pub const DEMO_APPLICATION: &str = "e82bcc5f-0b5a-11ef-a7c1-92de917ea2b0";

/// A running server and a client for it.
pub struct TestApp {
    pub url: String,
    pub client: Client,
}

/// Starts the server with the built-in fixtures.
pub async fn spawn_app() -> TestApp {
    spawn_with(Config::default()).await
}

/// Starts the server with `easemob` as its Easemob fixture file.
pub async fn spawn_with_fixtures(easemob: &Value) -> TestApp {
    let dir = fixture_dir(easemob);
    spawn_with(Config {
        fixtures: Some(dir),
        ..Config::default()
    })
    .await
}

/// Starts the server with `config`, bound to a free port, seed 42 unless set.
pub async fn spawn_with(mut config: Config) -> TestApp {
    config.bind = "127.0.0.1:0".into();
    config.seed = config.seed.or(Some(42));
    config.workers = config.workers.or(Some(2));
    let app = Application::build(&config).expect("the server builds");
    let url = app.url();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        url,
        client: Client::new(),
    }
}

fn fixture_dir(easemob: &Value) -> PathBuf {
    fixture_folder("easemob", easemob)
}

/// A fresh folder for `--fixtures` holding `value` as `{provider}/tenants.json`.
pub fn fixture_folder(provider: &str, value: &Value) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("im-emulator-test-{}-{n}", std::process::id()));
    std::fs::create_dir_all(dir.join(provider)).unwrap();
    std::fs::write(
        dir.join(provider).join("tenants.json"),
        serde_json::to_vec(value).unwrap(),
    )
    .unwrap();
    dir
}

impl TestApp {
    /// `{url}/{org}/{app}{path}`.
    pub fn app_url(&self, org: &str, app: &str, path: &str) -> String {
        format!("{}/{org}/{app}{path}", self.url)
    }

    /// POSTs `body` to `path` of the default app, with `token` when given.
    pub async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> Response {
        self.post_to(ORG, APP, path, token, body).await
    }

    /// POSTs `body` to `path` of `org/app`, with `token` when given.
    pub async fn post_to(
        &self,
        org: &str,
        app: &str,
        path: &str,
        token: Option<&str>,
        body: &Value,
    ) -> Response {
        self.post_raw_to(org, app, path, token, body.to_string().into_bytes())
            .await
    }

    /// POSTs raw bytes to `path` of the default app, with no Content-Type (as the Java SDK).
    pub async fn post_raw(&self, path: &str, token: Option<&str>, body: Vec<u8>) -> Response {
        self.post_raw_to(ORG, APP, path, token, body).await
    }

    async fn post_raw_to(
        &self,
        org: &str,
        app: &str,
        path: &str,
        token: Option<&str>,
        body: Vec<u8>,
    ) -> Response {
        let mut req = self.client.post(self.app_url(org, app, path)).body(body);
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        req.send().await.expect("the request is answered")
    }

    /// GETs `path` of the default app, with `token` when given.
    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        let mut req = self.client.get(self.app_url(ORG, APP, path));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        req.send().await.expect("the request is answered")
    }

    /// PUTs `body` to `path` of the default app, with `token` when given.
    pub async fn put(&self, path: &str, token: Option<&str>, body: &Value) -> Response {
        let mut req = self
            .client
            .put(self.app_url(ORG, APP, path))
            .body(body.to_string());
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        req.send().await.expect("the request is answered")
    }

    /// DELETEs `path` of the default app, with `token` when given.
    pub async fn delete(&self, path: &str, token: Option<&str>) -> Response {
        let mut req = self.client.delete(self.app_url(ORG, APP, path));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        req.send().await.expect("the request is answered")
    }

    /// An app token of the default app.
    pub async fn app_token(&self) -> String {
        self.token_for(ORG, APP, CLIENT_ID, CLIENT_SECRET).await
    }

    /// An app token of `org/app`.
    pub async fn token_for(&self, org: &str, app: &str, id: &str, secret: &str) -> String {
        let body =
            json!({"grant_type": "client_credentials", "client_id": id, "client_secret": secret});
        let resp = self.post_to(org, app, "/token", None, &body).await;
        assert_eq!(resp.status(), StatusCode::OK, "token request succeeds");
        let body: Value = resp.json().await.unwrap();
        body["access_token"].as_str().unwrap().to_owned()
    }

    /// Sends a text message `from` → `to` on `/messages/users` of the default app.
    pub async fn send_text(&self, token: &str, from: &str, to: &[&str], msg: &str) -> Response {
        let body = json!({"from": from, "to": to, "type": "txt", "body": {"msg": msg}});
        self.post("/messages/users", Some(token), &body).await
    }

    /// `GET /_emulator/messages?{query}`.
    pub async fn journal(&self, query: &str) -> Value {
        let resp = self
            .client
            .get(format!("{}/_emulator/messages?{query}", self.url))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        resp.json().await.unwrap()
    }

    /// Pins the emulator's clock at `now_ms`.
    pub async fn set_clock(&self, now_ms: i64) {
        let resp = self
            .client
            .put(format!("{}/_emulator/clock", self.url))
            .json(&json!({ "now_ms": now_ms }))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
    }

    /// Moves the emulator's clock by `ms`.
    pub async fn advance_clock(&self, ms: i64) {
        let resp = self
            .client
            .post(format!("{}/_emulator/clock/advance", self.url))
            .json(&json!({ "ms": ms }))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
    }

    /// `GET /_emulator/health`, which must answer 200.
    pub async fn health(&self) -> Value {
        let resp = self
            .client
            .get(format!("{}/_emulator/health", self.url))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        resp.json().await.unwrap()
    }

    /// `POST /_emulator/reset?{query}`.
    pub async fn reset(&self, query: &str) -> Response {
        self.client
            .post(format!("{}/_emulator/reset?{query}", self.url))
            .send()
            .await
            .unwrap()
    }
}

/// The `content.msg` of every record of a journal listing, in order.
pub fn texts(listing: &Value) -> Vec<String> {
    listing["messages"]
        .as_array()
        .expect("a listing has messages")
        .iter()
        .map(|m| m["content"]["msg"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// A time well after the ids' epoch, for tests that pin the clock.
pub const T0: i64 = 1_790_000_000_000;

/// Asserts an Easemob error answer: status, `error`, `error_description`, and the envelope's
/// other fields. Returns the body.
pub async fn assert_easemob_error(
    resp: Response,
    status: u16,
    error: &str,
    description: &str,
) -> Value {
    assert_eq!(resp.status().as_u16(), status, "status for {error}");
    let content_type = resp.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["error"], error, "{body}");
    assert_eq!(body["error_description"], description, "{body}");
    assert!(body["exception"].is_string(), "{body}");
    assert!(body["timestamp"].is_i64(), "{body}");
    assert!(body["duration"].is_u64(), "{body}");
    body
}

/// Reads a 200 answer's JSON body.
pub async fn ok_json(resp: Response) -> Value {
    let status = resp.status();
    let body: Value = resp.json().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

/// Asserts an Easemob error envelope with `status`, without pinning `error` or the text.
pub async fn easemob_envelope(resp: Response, status: u16) -> Value {
    envelope_row("-", resp, status).await
}

/// Asserts one table row's Easemob error answer: status, JSON envelope, `error` and
/// `error_description`, naming the row in every failure. Returns the body.
pub async fn assert_error_row(
    case: &str,
    resp: Response,
    status: u16,
    error: &str,
    description: &str,
) -> Value {
    let body = envelope_row(case, resp, status).await;
    assert_eq!(body["error"], error, "case {case}: {body}");
    assert_eq!(
        body["error_description"], description,
        "case {case}: {body}"
    );
    body
}

/// Asserts one table row's Easemob error envelope with `status`, naming the row in every
/// failure, without pinning `error` or the text. Returns the body.
pub async fn envelope_row(case: &str, resp: Response, status: u16) -> Value {
    assert_eq!(resp.status().as_u16(), status, "case {case}: status");
    let content_type = resp
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    assert!(
        content_type.starts_with("application/json"),
        "case {case}: error answers are JSON, got {content_type:?}"
    );
    let body: Value = resp
        .json()
        .await
        .unwrap_or_else(|e| panic!("case {case}: the body is JSON: {e}"));
    for field in ["error", "exception", "error_description"] {
        assert!(
            body[field].is_string(),
            "case {case}: {field} is a string in {body}"
        );
    }
    assert!(body["timestamp"].is_i64(), "case {case}: {body}");
    assert!(body["duration"].is_u64(), "case {case}: {body}");
    body
}

/// Asserts one table row's Easemob error answer with `status` and `error`, naming the row in
/// every failure, without pinning the text. Returns the body.
pub async fn error_kind_row(case: &str, resp: Response, status: u16, error: &str) -> Value {
    let body = envelope_row(case, resp, status).await;
    assert_eq!(body["error"], error, "case {case}: {body}");
    body
}

/// Asserts an Easemob error envelope with `status` and `error`, without pinning the text.
pub async fn easemob_error_kind(resp: Response, status: u16, error: &str) -> Value {
    let body = envelope_row("-", resp, status).await;
    assert_eq!(body["error"], error, "{body}");
    body
}

/// Asserts the Usergrid envelope of the default app (contract §1): `action`, app-relative
/// `path`, `uri` the absolute collection URL, the app's identity, `timestamp`, `duration` and
/// an `entities` array.
pub fn assert_usergrid_envelope(app: &TestApp, body: &Value, action: &str, path: &str) {
    assert_usergrid_envelope_at(app, body, action, path, path);
}

/// The same, for an answer on one entity: `uri` ends with `uri_path` (`/users/alice`).
pub fn assert_usergrid_envelope_at(
    app: &TestApp,
    body: &Value,
    action: &str,
    path: &str,
    uri_path: &str,
) {
    assert_eq!(body["action"], action, "{body}");
    assert_eq!(body["path"], path, "{body}");
    assert_eq!(
        body["uri"],
        format!("{}/demo/chat{uri_path}", app.url),
        "uri is the absolute URL: {body}"
    );
    assert_eq!(body["application"], DEMO_APPLICATION, "{body}");
    assert_eq!(body["organization"], "demo", "{body}");
    assert_eq!(body["applicationName"], "chat", "{body}");
    assert!(body["timestamp"].is_i64(), "{body}");
    assert!(body["duration"].is_u64(), "{body}");
    assert!(body["entities"].is_array(), "{body}");
}

/// The keys of a JSON object, sorted.
pub fn keys(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> = value
        .as_object()
        .unwrap_or_else(|| panic!("an object: {value}"))
        .keys()
        .cloned()
        .collect();
    keys.sort();
    keys
}

/// `names` as sorted owned strings, to compare with [`keys`].
pub fn sorted(names: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
    names.sort();
    names
}
