//! Hostile and careless clients against bounded resources: slow and truncated requests get an
//! answer within the request timeout, oversized bodies are refused before they are parsed, and
//! the journal, the tenants and the chat files stay within their bounds, counted in health.

mod common;
use common::process::*;
use common::*;

use im_emulator::config::Config;
use reqwest::multipart::{Form, Part};
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

// ---------------------------------------------------------------------------------------------
// Helpers of this file
// ---------------------------------------------------------------------------------------------

/// A server whose request timeout is `ms` milliseconds.
async fn spawn_with_timeout(ms: u64) -> TestApp {
    spawn_with(Config {
        request_timeout: Duration::from_millis(ms),
        ..Config::default()
    })
    .await
}

/// Writes `bytes` on a new connection, keeps it open, and returns everything the server
/// sends until it closes it (bounded by [`PATIENCE`]). The blocking socket runs off the test's
/// runtime, which also drives the server.
async fn exchange(app: &TestApp, bytes: &[u8]) -> String {
    let address = app.url.strip_prefix("http://").unwrap().to_owned();
    let bytes = bytes.to_vec();
    tokio::task::spawn_blocking(move || {
        let mut stream = TcpStream::connect(address).expect("the server accepts");
        stream.write_all(&bytes).unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        String::from_utf8_lossy(&answer).into_owned()
    })
    .await
    .unwrap()
}

/// The JSON body of a raw HTTP/1.1 answer.
fn body_of(answer: &str) -> Value {
    let (_, body) = answer
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("no answer body: {answer:?}"));
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {answer:?}"))
}

/// A POST head announcing `length` bytes of body.
fn head(path: &str, content_type: &str, length: usize) -> String {
    format!(
        "POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: {content_type}\r\n\
         Content-Length: {length}\r\n\r\n"
    )
}

// ---------------------------------------------------------------------------------------------
// Slow and truncated requests
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_body_that_stops_arriving_is_answered_408_in_easemobs_envelope_and_closed() {
    let app = spawn_with_timeout(300).await;
    let token = app.app_token().await;
    let request = format!(
        "POST /demo/chat/messages/users HTTP/1.1\r\nHost: localhost\r\n\
         Authorization: Bearer {token}\r\nContent-Length: 100\r\n\r\n{{\"from\":"
    );
    let answer = exchange(&app, request.as_bytes()).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer:?}");
    let body = body_of(&answer);
    assert_eq!(body["error"], "Request Timeout", "{body}");
    assert!(
        body["timestamp"].is_i64() && body["exception"].is_string(),
        "{body}"
    );
    assert_eq!(app.journal("").await["total"], 0);
}

#[tokio::test]
async fn an_admin_body_that_stops_arriving_is_answered_408_in_json() {
    let app = spawn_with_timeout(300).await;
    let request = head("/_emulator/clock", "application/json", 50);
    let request = request.replace("POST", "PUT") + "{\"now_ms\":";
    let answer = exchange(&app, request.as_bytes()).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer:?}");
    assert_eq!(body_of(&answer)["error"], "request_timeout");
}

#[tokio::test]
async fn a_truncated_multipart_upload_is_answered_400_file_must_be_provided() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    let form = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f\"\r\n\r\nx\r\n";
    let request = format!(
        "POST /demo/chat/chatfiles HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: multipart/form-data; boundary=b\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{form}",
        form.len()
    );
    let answer = exchange(&app, request.as_bytes()).await;
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer:?}");
    let body = body_of(&answer);
    assert_eq!(body["error"], "illegal_argument", "{body}");
    assert_eq!(
        body["error_description"], "file must be provided.",
        "{body}"
    );
    assert_eq!(app.health().await["usage"]["easemob"]["files"], 0);
}

/// Opens `count` connections that send a head announcing a body and one byte of it.
fn slow_bodies(url: &str, count: usize) -> Vec<TcpStream> {
    let address = url.strip_prefix("http://").unwrap();
    let request = head("/demo/chat/token", "application/json", 1000) + "{";
    (0..count)
        .map(|_| {
            let mut stream = TcpStream::connect(address).expect("the server accepts");
            stream.write_all(request.as_bytes()).unwrap();
            stream
        })
        .collect()
}

#[tokio::test]
async fn a_client_is_served_while_more_slow_bodies_are_open_than_the_soft_file_limit() {
    let hard = run(shell("ulimit -Hn"))
        .1
        .trim()
        .parse::<u64>()
        .unwrap_or(0);
    if hard < 2048 {
        eprintln!("skipped: the hard open-file limit ({hard}) leaves no room above 1024");
        return;
    }
    // A minute of request timeout: the slow bodies stay open for the whole test.
    let script = format!("ulimit -Sn 1024 && exec {BIN} --bind 127.0.0.1:0 --request-timeout 60");
    let mut cmd = shell(&script);
    cmd.env("RUST_LOG", "warn");
    let server = start(cmd);
    let held = slow_bodies(&server.url, 1100);
    let (status, body) = token_of(&server.url).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(held.len(), 1100);
    let health: Value = reqwest::get(format!("{}/_emulator/health", server.url))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["limits"]["open_files"], hard, "{health}");
}

fn shell(script: &str) -> std::process::Command {
    let mut cmd = std::process::Command::new("sh");
    cmd.args(["-c", script]);
    cmd
}

async fn token_of(url: &str) -> (u16, Value) {
    let body = json!({"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET});
    let resp = reqwest::Client::new()
        .post(format!("{url}/demo/chat/token"))
        .json(&body)
        .timeout(PATIENCE)
        .send()
        .await
        .expect("the server answers while the slow bodies are open");
    (resp.status().as_u16(), resp.json().await.unwrap())
}

#[tokio::test]
async fn connections_are_capped_below_the_open_file_limit() {
    let app = spawn_app().await;
    let limits = app.health().await["limits"].clone();
    let open_files = limits["open_files"].as_u64().unwrap();
    let per_worker = limits["connections_per_worker"].as_u64().unwrap();
    let workers = limits["workers"].as_u64().unwrap();
    assert!(per_worker * workers < open_files, "{limits}");
}

// ---------------------------------------------------------------------------------------------
// Bodies are capped before they are parsed
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn token_and_users_bodies_over_64_kib_are_refused_413() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    let padding = " ".repeat(64 * 1024);
    let token_body = format!(r#"{{"grant_type":"client_credentials"}}{padding}"#);
    let users_body = format!(r#"{{"username":"big","password":"p"}}{padding}"#);
    for (path, bearer, body) in [
        ("/token", None, token_body),
        ("/users", Some(&token), users_body),
    ] {
        let resp = app
            .post_raw(path, bearer.map(String::as_str), body.into_bytes())
            .await;
        assert_error_row(
            path,
            resp,
            413,
            "Request Entity Too Large",
            "Request Entity Too Large",
        )
        .await;
    }
    let resp = app.get("/users/big", Some(&token)).await;
    assert_eq!(resp.status(), 404, "nothing was registered");
}

// ---------------------------------------------------------------------------------------------
// The journal's bound
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_journal_keeps_the_newest_max_messages_and_counts_the_evicted() {
    let app = spawn_with(Config {
        max_messages: 10,
        ..Config::default()
    })
    .await;
    let token = app.app_token().await;
    for i in 0..25 {
        let resp = app
            .send_text(&token, "alice", &["bob"], &i.to_string())
            .await;
        assert_eq!(resp.status(), 200);
    }
    let listing = app.journal("").await;
    assert_eq!(listing["total"], 10, "{listing}");
    let texts = texts(&listing);
    let newest: Vec<String> = (15..25).map(|i| i.to_string()).collect();
    assert_eq!(texts, newest, "the oldest went first");
    let counts = &app.health().await["messages"];
    assert_eq!(*counts, json!({"stored": 10, "evicted": 15, "max": 10}));
}

#[tokio::test]
async fn eviction_takes_the_oldest_records_across_tenants() {
    let app = spawn_with(Config {
        max_messages: 4,
        ..Config::default()
    })
    .await;
    let token = app.app_token().await;
    let other = app.token_for("demo", "other", "id", "secret").await;
    let body =
        |i: usize| json!({"from": "a", "to": ["b"], "type": "txt", "body": {"msg": i.to_string()}});
    for i in 0..6 {
        let resp = if i % 2 == 0 {
            app.post("/messages/users", Some(&token), &body(i)).await
        } else {
            app.post_to("demo", "other", "/messages/users", Some(&other), &body(i))
                .await
        };
        assert_eq!(resp.status(), 200);
    }
    let listing = app.journal("").await;
    let texts = texts(&listing);
    assert_eq!(texts, ["2", "3", "4", "5"], "{listing}");
}

#[tokio::test]
async fn max_messages_zero_keeps_every_message() {
    let app = spawn_with(Config {
        max_messages: 0,
        ..Config::default()
    })
    .await;
    let token = app.app_token().await;
    let to: Vec<String> = (0..600).map(|i| format!("u{i}")).collect();
    let to: Vec<&str> = to.iter().map(String::as_str).collect();
    for _ in 0..5 {
        assert_eq!(app.send_text(&token, "alice", &to, "x").await.status(), 200);
    }
    let counts = &app.health().await["messages"];
    assert_eq!(*counts, json!({"stored": 3000, "evicted": 0, "max": 0}));
}

// ---------------------------------------------------------------------------------------------
// Tenants
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn refused_and_read_only_requests_create_no_tenant() {
    let app = spawn_app().await;
    let client = &app.client;
    for (method, path) in [
        ("GET", "/x1/y/users"),
        ("GET", "/x2/y/users/alice"),
        ("GET", "/x3/y/nothing/here"),
        ("DELETE", "/x4/y/token"),
        ("POST", "/x5/y/messages/users"),
        (
            "GET",
            "/x6/y/chatfiles/5fd74830-56b6-11e9-822a-81ea50bb049d",
        ),
    ] {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let resp = client
            .request(method, format!("{}{path}", app.url))
            .send()
            .await
            .unwrap();
        assert!(resp.status().is_client_error(), "{path}: {}", resp.status());
    }
    assert_eq!(
        app.health().await["tenants"]["easemob"],
        1,
        "only demo/chat"
    );
    app.token_for("x7", "y", "id", "secret").await;
    assert_eq!(
        app.health().await["tenants"]["easemob"],
        2,
        "a token request keeps x7/y"
    );
}

#[tokio::test]
async fn an_org_or_app_name_no_application_can_have_is_not_found() {
    let app = spawn_app().await;
    let long = "a".repeat(33);
    let body = json!({"grant_type": "client_credentials", "client_id": "i", "client_secret": "s"});
    for (org, name) in [
        (long.as_str(), "chat"),
        ("demo", long.as_str()),
        ("demo", "chat.v2"),
    ] {
        let resp = app.post_to(org, name, "/token", None, &body).await;
        easemob_error_kind(resp, 404, "organization_application_not_found").await;
    }
    let fits = "a".repeat(32);
    app.token_for("demo", &fits, "id", "secret").await;
}

#[tokio::test]
async fn past_max_tenants_an_unknown_tenant_is_refused_and_the_known_ones_still_work() {
    let app = spawn_with(Config {
        max_tenants: 3,
        ..Config::default()
    })
    .await;
    app.token_for("t1", "a", "id", "secret").await;
    app.token_for("t2", "a", "id", "secret").await;
    let body = json!({"grant_type": "client_credentials", "client_id": "i", "client_secret": "s"});
    let resp = app.post_to("t3", "a", "/token", None, &body).await;
    easemob_error_kind(resp, 404, "organization_application_not_found").await;
    assert_eq!(app.health().await["tenants"]["easemob"], 3);
    app.token_for("t1", "a", "id", "secret").await;
    app.app_token().await;
}

// ---------------------------------------------------------------------------------------------
// Chat files
// ---------------------------------------------------------------------------------------------

async fn upload(app: &TestApp, token: &str, bytes: Vec<u8>) -> Value {
    let form = Form::new().part("file", Part::bytes(bytes).file_name("f.bin"));
    let resp = app
        .client
        .post(app.app_url(ORG, APP, "/chatfiles"))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    ok_json(resp).await
}

#[tokio::test]
async fn stored_file_bytes_are_bounded_per_tenant_and_the_oldest_file_goes_first() {
    let app = spawn_with_fixtures(&json!({"tenants": [{
        "org": ORG, "app": APP, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
        "max_stored_file_bytes": 2500
    }]}))
    .await;
    let token = app.app_token().await;
    let mut ids = Vec::new();
    for _ in 0..3 {
        let answer = upload(&app, &token, vec![7; 1000]).await;
        ids.push(answer["entities"][0]["uuid"].as_str().unwrap().to_owned());
    }
    let first = app
        .get(&format!("/chatfiles/{}", ids[0]), Some(&token))
        .await;
    easemob_error_kind(first, 404, "entity_not_found").await;
    for id in &ids[1..] {
        let resp = app.get(&format!("/chatfiles/{id}"), Some(&token)).await;
        assert_eq!(resp.status(), 200);
    }
    let usage = &app.health().await["usage"]["easemob"];
    assert_eq!(usage["files"], 2, "{usage}");
    assert_eq!(usage["file_bytes"], 2000, "{usage}");
    assert_eq!(usage["files_dropped"], 1, "{usage}");
}

#[tokio::test]
async fn files_past_their_retention_are_dropped_from_memory() {
    let app = spawn_app().await;
    app.set_clock(T0).await;
    let token = app.app_token().await;
    upload(&app, &token, vec![1; 100]).await;
    app.advance_clock(7 * 24 * 3_600_000 + 1).await;
    upload(&app, &token, vec![2; 10]).await;
    let usage = &app.health().await["usage"]["easemob"];
    assert_eq!(usage["files"], 1, "{usage}");
    assert_eq!(usage["file_bytes"], 10, "{usage}");
}
