//! Snapshots: `GET`/`PUT /_emulator/state` and `--state-file`, as a test suite and an
//! operator use them. A state taken from one server and loaded into a fresh one gives the
//! same answer to every read; a refused document changes nothing.

mod common;
use common::*;

use reqwest::StatusCode;
use serde_json::{json, Value};

// ---------------------------------------------------------------------------------------------
// Helpers of this file
// ---------------------------------------------------------------------------------------------

/// `GET /_emulator/state`, which must answer 200.
async fn get_state(app: &TestApp) -> Value {
    let resp = app
        .client
        .get(format!("{}/_emulator/state", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    resp.json().await.unwrap()
}

/// `PUT /_emulator/state` with `body` as it is; the status and the JSON answer.
async fn put_state(app: &TestApp, body: String) -> (StatusCode, Value) {
    let resp = app
        .client
        .put(format!("{}/_emulator/state", app.url))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = resp.status();
    (status, resp.json().await.unwrap())
}

/// Loads `state` into `app`, which must accept it.
async fn load_state(app: &TestApp, state: &Value) {
    let (status, body) = put_state(app, state.to_string()).await;
    assert_eq!(status, StatusCode::OK, "the state is loaded: {body}");
}

/// The document without the instant it was written, which differs from one read to the next
/// when the clock runs.
fn without_saved_at(mut state: Value) -> Value {
    state.as_object_mut().unwrap().remove("saved_at");
    state
}

// ---------------------------------------------------------------------------------------------
// The document
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_state_is_one_versioned_document_with_every_part() {
    let app = spawn_app().await;
    app.set_clock(T0).await;
    let state = get_state(&app).await;
    assert_eq!(state["format"], "im-emulator-state");
    assert_eq!(state["version"], 1);
    assert_eq!(state["emulator"], env!("CARGO_PKG_VERSION"));
    assert_eq!(state["saved_at"], T0);
    assert_eq!(
        state["clock"],
        json!({"pinned": true, "now_ms": T0, "offset_ms": 0})
    );
    assert!(state["ids"]["digest_key"].as_str().unwrap().len() == 64);
    assert_eq!(state["journal"]["seq"], 0);
    assert_eq!(state["journal"]["partitions"], json!([]));
    let providers = state["providers"].as_object().unwrap();
    let mut names: Vec<&str> = providers.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(names, ["anqicms", "easemob", "openim", "yunxin"]);
}

#[tokio::test]
async fn the_journal_and_the_clock_read_the_same_after_a_round_trip() {
    let first = spawn_app().await;
    first.set_clock(T0).await;
    let token = first.app_token().await;
    for text in ["one", "two"] {
        let resp = first
            .send_text(&token, "alice", &["bob", "carol"], text)
            .await;
        assert_eq!(resp.status(), StatusCode::OK);
    }
    first.advance_clock(5_000).await;
    let state = get_state(&first).await;

    let second = spawn_app().await;
    load_state(&second, &state).await;
    assert_eq!(second.journal("").await, first.journal("").await);
    assert_eq!(
        second.journal("to=carol").await,
        first.journal("to=carol").await
    );
    let clock: Value = second
        .client
        .get(format!("{}/_emulator/clock", second.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(clock, json!({"now_ms": T0 + 5_000, "frozen": true}));
    assert_eq!(second.health().await["messages"]["stored"], 4);
    assert_eq!(
        without_saved_at(get_state(&second).await)["journal"],
        without_saved_at(state)["journal"]
    );
}

// ---------------------------------------------------------------------------------------------
// Refusals
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_document_of_another_version_is_refused_naming_both_versions() {
    let app = spawn_app().await;
    let mut state = get_state(&app).await;
    state["version"] = json!(2);
    state["emulator"] = json!("9.9.9");
    let (status, body) = put_state(&app, state.to_string()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "version_mismatch");
    let message = body["message"].as_str().unwrap();
    assert!(
        message.contains("state version 2") && message.contains("9.9.9"),
        "{message}"
    );
    assert!(
        message.contains("reads state version 1") && message.contains(env!("CARGO_PKG_VERSION")),
        "{message}"
    );
}

#[tokio::test]
async fn a_malformed_document_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    app.set_clock(T0).await;
    let token = app.app_token().await;
    app.send_text(&token, "alice", &["bob"], "kept").await;
    let before = get_state(&app).await;
    let mut bad_record = before.clone();
    bad_record["journal"]["partitions"][0]["records"][0]["chat_type"] = json!("séance");
    let mut unknown_provider = before.clone();
    unknown_provider["providers"]["icq"] = json!({});
    let mut bad_clock = before.clone();
    bad_clock["clock"]["now_ms"] = json!(-5);
    let cases = [
        ("not JSON", "{\"format\":".to_owned(), "not JSON"),
        ("an array", "[]".to_owned(), "JSON object"),
        (
            "another format",
            json!({"format": "x"}).to_string(),
            "format",
        ),
        ("a bad record", bad_record.to_string(), "chat_type"),
        ("an unknown provider", unknown_provider.to_string(), "icq"),
        ("a clock out of range", bad_clock.to_string(), "clock"),
    ];
    for (case, body, words) in cases {
        let (status, answer) = put_state(&app, body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{case}: {answer}");
        assert_eq!(answer["error"], "bad_request", "{case}");
        let message = answer["message"].as_str().unwrap();
        assert!(message.contains(words), "{case}: {message}");
    }
    assert_eq!(get_state(&app).await, before);
    assert_eq!(texts(&app.journal("").await), ["kept"]);
}
