//! The admin and inspection API under `/_emulator`, as a test suite reads it: health, the
//! message journal, resets, the clock, seeded determinism and the admin 404.

mod common;
use common::*;

use im_emulator::config::Config;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

// ---------------------------------------------------------------------------------------------
// Helpers of this file
// ---------------------------------------------------------------------------------------------

/// Calls `{url}/_emulator{path}` with `method` and an optional JSON body (sent as raw text, so
/// malformed bodies can be sent too). Returns the status and the JSON body.
async fn admin(
    app: &TestApp,
    method: Method,
    path: &str,
    body: Option<&str>,
) -> (StatusCode, Value) {
    let mut req = app
        .client
        .request(method, format!("{}/_emulator{path}", app.url));
    if let Some(body) = body {
        req = req
            .header("content-type", "application/json")
            .body(body.to_owned());
    }
    let resp = req.send().await.expect("the admin request is answered");
    let status = resp.status();
    let content_type = resp
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let text = resp.text().await.unwrap();
    assert!(
        content_type.starts_with("application/json"),
        "admin answers are JSON, got {content_type:?}: {text}"
    );
    let value: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("admin answer is not JSON ({e}): {text}"));
    (status, value)
}

async fn health(app: &TestApp) -> Value {
    let (status, body) = admin(app, Method::GET, "/health", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

async fn clock(app: &TestApp) -> Value {
    let (status, body) = admin(app, Method::GET, "/clock", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

/// `GET /_emulator/messages?{query}`, whatever the status.
async fn messages(app: &TestApp, query: &str) -> (StatusCode, Value) {
    admin(app, Method::GET, &format!("/messages?{query}"), None).await
}

/// Asserts an admin error answer `{"error": kind, "message": "..."}` with `status`.
fn assert_problem(status: StatusCode, body: &Value, expected: StatusCode, kind: &str) {
    assert_eq!(status, expected, "{body}");
    assert_eq!(body["error"], kind, "{body}");
    let message = body["message"].as_str().unwrap_or_default();
    assert!(!message.is_empty(), "the error has a message: {body}");
    assert!(
        body.get("error_description").is_none(),
        "no provider envelope: {body}"
    );
}

/// Polls health until `count` long polls wait (bounded, without sleeping).
async fn wait_for_waiters(app: &TestApp, count: u64) {
    let mut waiting = 0;
    for _ in 0..10_000 {
        waiting = health(app).await["waiters"].as_u64().unwrap();
        if waiting == count {
            return;
        }
        tokio::task::yield_now().await;
    }
    panic!("{waiting} long polls wait, not {count}");
}

/// Real time in epoch milliseconds.
fn system_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// A send body: `kind` message `body` from `from` to `to`.
fn msg(from: &str, to: &[&str], kind: &str, body: Value) -> Value {
    json!({"from": from, "to": to, "type": kind, "body": body})
}

/// POSTs `payload` to `/messages/{target}` of `org/app`; returns the 200 envelope.
async fn send_to(
    app: &TestApp,
    (org, name): (&str, &str),
    token: &str,
    target: &str,
    payload: Value,
) -> Value {
    let resp = app
        .post_to(
            org,
            name,
            &format!("/messages/{target}"),
            Some(token),
            &payload,
        )
        .await;
    ok_json(resp).await
}

/// A text message on the default app; returns the envelope.
async fn send(app: &TestApp, token: &str, from: &str, to: &[&str], msg: &str) -> Value {
    ok_json(app.send_text(token, from, to, msg).await).await
}

/// GETs `/users/{name}` of `org/app` with `token`.
async fn get_user(
    app: &TestApp,
    org: &str,
    name: &str,
    user: &str,
    token: &str,
) -> reqwest::Response {
    app.client
        .get(app.app_url(org, name, &format!("/users/{user}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

/// Registers `user` on `org/app` with `token`; returns the created entity.
async fn register(app: &TestApp, org: &str, name: &str, user: &str, token: &str) -> Value {
    let body = json!({"username": user, "password": "secret-1"});
    let resp = app.post_to(org, name, "/users", Some(token), &body).await;
    let body = ok_json(resp).await;
    body["entities"][0].clone()
}

/// The `id`s of the journal records, in order.
fn ids(listing: &Value) -> Vec<String> {
    listing["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap().to_owned())
        .collect()
}

/// The `total` of a listing.
fn total(listing: &Value) -> u64 {
    listing["total"].as_u64().expect("total is a count")
}

/// How many records `messages` holds.
fn count(listing: &Value) -> usize {
    listing["messages"]
        .as_array()
        .expect("messages is a list")
        .len()
}

// ---------------------------------------------------------------------------------------------
// GET /_emulator/health
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn health_answers_ok_with_version_uptime_clock_and_zero_counts_on_a_fresh_server() {
    let app = spawn_app().await;
    let body = health(&app).await;
    assert_eq!(body["status"], "ok", "{body}");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"), "{body}");
    assert!(body["uptime_ms"].is_u64(), "{body}");
    let now = body["now_ms"].as_i64().expect("now_ms is an integer");
    assert!(
        (now - system_ms()).abs() < 60_000,
        "now_ms is real time: {body}"
    );
    assert_eq!(
        body["messages"],
        json!({"stored": 0, "evicted": 0, "max": 200_000}),
        "{body}"
    );
    assert!(body["tenants"].is_object(), "{body}");
    assert_eq!(
        body["tenants"]["easemob"], 1,
        "the fixture tenant demo/chat counts from the start: {body}"
    );
    assert!(
        body["memory"]["resident_bytes"].as_u64().unwrap() > 0,
        "{body}"
    );
    assert_eq!(body["limits"]["request_timeout_ms"], 10_000, "{body}");
    assert_eq!(body["limits"]["max_tenants"], 1_000, "{body}");
}

#[tokio::test]
async fn health_counts_messages_and_tenants_as_they_are_used() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    send(&app, &token, "alice", &["bob", "carol"], "hi").await;
    let body = health(&app).await;
    assert_eq!(
        body["messages"]["stored"], 2,
        "one record per recipient: {body}"
    );
    assert_eq!(body["tenants"]["easemob"], 1, "{body}");

    let other = app.token_for("demo", "other", "any-id", "any-secret").await;
    send_to(
        &app,
        ("demo", "other"),
        &other,
        "users",
        msg("x", &["y"], "txt", json!({"msg": "m"})),
    )
    .await;
    let body = health(&app).await;
    assert_eq!(body["messages"]["stored"], 3, "{body}");
    assert_eq!(body["tenants"]["easemob"], 2, "{body}");
}

#[tokio::test]
async fn health_reports_the_pinned_clock_as_now_ms() {
    let app = spawn_app().await;
    app.set_clock(T0).await;
    let body = health(&app).await;
    assert_eq!(body["now_ms"], T0, "{body}");
}

// ---------------------------------------------------------------------------------------------
// GET /_emulator/messages
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_journal_of_a_fresh_server_is_empty() {
    let app = spawn_app().await;
    let (status, body) = messages(&app, "").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body, json!({"messages": [], "total": 0}));
}

#[tokio::test]
async fn a_sent_message_is_journalled_in_the_normalized_shape() {
    let app = spawn_app().await;
    app.set_clock(T0).await;
    let token = app.app_token().await;
    let sent = send(&app, &token, "alice", &["bob"], "hello bob").await;
    let listing = app.journal("").await;
    assert_eq!(total(&listing), 1, "{listing}");
    let record = &listing["messages"][0];
    assert_eq!(record["provider"], "easemob", "{record}");
    assert_eq!(record["tenant"], "demo/chat", "{record}");
    assert_eq!(
        record["id"], sent["data"]["bob"],
        "the id the client saw: {record}"
    );
    assert_eq!(record["conversation"], "bob", "{record}");
    assert_eq!(record["chat_type"], "single", "{record}");
    assert_eq!(record["from"], "alice", "{record}");
    assert_eq!(record["to"], "bob", "{record}");
    assert_eq!(record["type"], "txt", "{record}");
    assert_eq!(record["content"], json!({"msg": "hello bob"}), "{record}");
    assert_eq!(record["received_at_ms"], T0, "{record}");
    assert_eq!(record["recalled"], false, "{record}");
}

#[tokio::test]
async fn a_message_to_several_recipients_is_one_record_per_recipient_each_with_its_own_id() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    let sent = send(&app, &token, "alice", &["bob", "carol", "dave"], "all").await;
    let listing = app.journal("").await;
    assert_eq!(total(&listing), 3, "{listing}");
    let tos: Vec<&str> = listing["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["to"].as_str().unwrap())
        .collect();
    assert_eq!(tos, ["bob", "carol", "dave"]);
    for record in listing["messages"].as_array().unwrap() {
        let to = record["to"].as_str().unwrap();
        assert_eq!(record["id"], sent["data"][to], "{record}");
    }
    let distinct: std::collections::HashSet<String> = ids(&listing).into_iter().collect();
    assert_eq!(distinct.len(), 3, "ids are distinct: {listing}");
}

#[tokio::test]
async fn the_journal_lists_messages_oldest_first() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    let mut sent = Vec::new();
    for n in 0..5 {
        let envelope = send(&app, &token, "alice", &["bob"], &format!("m{n}")).await;
        sent.push(envelope["data"]["bob"].as_str().unwrap().to_owned());
    }
    // A second tenant interleaved keeps the global order.
    let other = app.token_for("demo", "other", "id", "secret").await;
    send_to(
        &app,
        ("demo", "other"),
        &other,
        "users",
        msg("x", &["y"], "txt", json!({"msg": "o"})),
    )
    .await;
    let last = send(&app, &token, "alice", &["bob"], "last").await;
    let listing = app.journal("").await;
    let contents: Vec<String> = listing["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["content"]["msg"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(contents, ["m0", "m1", "m2", "m3", "m4", "o", "last"]);
    let listed = ids(&app.journal("tenant=demo/chat").await);
    sent.push(last["data"]["bob"].as_str().unwrap().to_owned());
    assert_eq!(listed, sent);
}

/// Three senders, two tenants, three types and two chat types, at three instants.
async fn journal_fixture(app: &TestApp) {
    app.set_clock(T0).await;
    let token = app.app_token().await;
    let chat = ("demo", "chat");
    send_to(
        app,
        chat,
        &token,
        "users",
        msg("alice", &["bob"], "txt", json!({"msg": "1"})),
    )
    .await;
    app.advance_clock(1000).await;
    send_to(
        app,
        chat,
        &token,
        "users",
        msg("bob", &["alice"], "cmd", json!({"action": "ping"})),
    )
    .await;
    send_to(
        app,
        chat,
        &token,
        "chatgroups",
        msg("alice", &["g1"], "txt", json!({"msg": "3"})),
    )
    .await;
    app.advance_clock(1000).await;
    let other = app.token_for("demo", "other", "id", "secret").await;
    let other_app = ("demo", "other");
    send_to(
        app,
        other_app,
        &other,
        "users",
        msg("alice", &["bob"], "txt", json!({"msg": "4"})),
    )
    .await;
}

#[tokio::test]
async fn the_journal_filters_by_provider_and_by_url_encoded_tenant() {
    let app = spawn_app().await;
    journal_fixture(&app).await;
    assert_eq!(total(&app.journal("").await), 4);
    assert_eq!(total(&app.journal("provider=easemob").await), 4);
    assert_eq!(total(&app.journal("provider=openim").await), 0);
    let chat = app.journal("tenant=demo%2Fchat").await;
    assert_eq!(total(&chat), 3, "{chat}");
    assert!(chat["messages"]
        .as_array()
        .unwrap()
        .iter()
        .all(|m| m["tenant"] == "demo/chat"));
    let other = app.journal("provider=easemob&tenant=demo%2Fother").await;
    assert_eq!(total(&other), 1, "{other}");
    assert_eq!(other["messages"][0]["content"]["msg"], "4");
    assert_eq!(total(&app.journal("tenant=demo%2Fnobody").await), 0);
}

#[tokio::test]
async fn the_journal_filters_by_conversation_chat_type_sender_recipient_and_type() {
    let app = spawn_app().await;
    journal_fixture(&app).await;

    let group = app.journal("conversation=g1").await;
    assert_eq!(total(&group), 1, "{group}");
    assert_eq!(group["messages"][0]["chat_type"], "group");

    let groups = app.journal("chat_type=group").await;
    assert_eq!(ids(&groups), ids(&group));
    assert_eq!(total(&app.journal("chat_type=single").await), 3);
    assert_eq!(total(&app.journal("chat_type=room").await), 0);

    let from_bob = app.journal("from=bob").await;
    assert_eq!(total(&from_bob), 1, "{from_bob}");
    assert_eq!(from_bob["messages"][0]["type"], "cmd");

    let to_bob = app.journal("to=bob").await;
    assert_eq!(total(&to_bob), 2, "{to_bob}");
    assert!(to_bob["messages"]
        .as_array()
        .unwrap()
        .iter()
        .all(|m| m["to"] == "bob"));

    assert_eq!(total(&app.journal("type=txt").await), 3);
    let cmd = app.journal("type=cmd").await;
    assert_eq!(total(&cmd), 1);
    assert_eq!(cmd["messages"][0]["content"], json!({"action": "ping"}));

    let combined = app
        .journal("from=alice&to=bob&tenant=demo%2Fchat&type=txt")
        .await;
    assert_eq!(total(&combined), 1, "{combined}");
    assert_eq!(combined["messages"][0]["content"]["msg"], "1");
}

#[tokio::test]
async fn the_journal_filters_by_time_with_inclusive_bounds() {
    let app = spawn_app().await;
    journal_fixture(&app).await;
    let since = app.journal(&format!("since_ms={}", T0 + 1000)).await;
    assert_eq!(total(&since), 3, "{since}");
    assert!(since["messages"]
        .as_array()
        .unwrap()
        .iter()
        .all(|m| m["received_at_ms"].as_i64().unwrap() >= T0 + 1000));
    let until = app.journal(&format!("until_ms={}", T0 + 1000)).await;
    assert_eq!(total(&until), 3, "{until}");
    let window = app
        .journal(&format!("since_ms={}&until_ms={}", T0 + 1000, T0 + 1000))
        .await;
    assert_eq!(total(&window), 2, "{window}");
    assert_eq!(
        total(&app.journal(&format!("since_ms={}", T0 + 2001)).await),
        0
    );
    assert_eq!(
        total(&app.journal(&format!("until_ms={}", T0 - 1)).await),
        0
    );
}

#[tokio::test]
async fn limit_truncates_the_messages_but_total_counts_every_match() {
    let app = spawn_app().await;
    journal_fixture(&app).await;
    let all = app.journal("").await;
    let two = app.journal("limit=2").await;
    assert_eq!(count(&two), 2, "{two}");
    assert_eq!(total(&two), 4, "{two}");
    assert_eq!(ids(&two), ids(&all)[..2].to_vec(), "the oldest come first");
    let filtered = app.journal("type=txt&limit=1").await;
    assert_eq!(count(&filtered), 1, "{filtered}");
    assert_eq!(total(&filtered), 3, "{filtered}");
    let none = app.journal("limit=0").await;
    assert_eq!(count(&none), 0, "{none}");
    assert_eq!(total(&none), 4, "{none}");
    let more = app.journal("limit=100").await;
    assert_eq!(count(&more), 4, "{more}");
}

#[tokio::test]
async fn an_unknown_journal_query_parameter_is_a_400() {
    let app = spawn_app().await;
    let (status, body) = messages(&app, "sender=alice").await;
    assert_problem(status, &body, StatusCode::BAD_REQUEST, "bad_request");
}

#[tokio::test]
async fn a_non_numeric_limit_or_time_bound_is_a_400() {
    let app = spawn_app().await;
    for query in [
        "limit=ten",
        "limit=-1",
        "since_ms=yesterday",
        "until_ms=1.5",
    ] {
        let (status, body) = messages(&app, query).await;
        assert_problem(status, &body, StatusCode::BAD_REQUEST, "bad_request");
    }
}

#[tokio::test]
async fn a_journal_long_poll_returns_once_min_count_messages_have_arrived() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    let url = format!(
        "{}/_emulator/messages?to=bob&wait_ms=10000&min_count=1",
        app.url
    );
    let client = app.client.clone();
    let started = Instant::now();
    let poll = tokio::spawn(async move { client.get(url).send().await.unwrap() });
    send(&app, &token, "alice", &["bob"], "wake up").await;
    let resp = poll.await.unwrap();
    let status = resp.status();
    let body: Value = resp.json().await.unwrap();
    assert_eq!(
        status,
        StatusCode::OK,
        "wait_ms and min_count are accepted: {body}"
    );
    assert_eq!(total(&body), 1, "{body}");
    assert_eq!(body["messages"][0]["content"]["msg"], "wake up");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "it did not wait out the timeout"
    );
}

// ---------------------------------------------------------------------------------------------
// POST /_emulator/reset
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn reset_without_parameters_forgets_every_message_and_tenant() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    send(&app, &token, "alice", &["bob"], "one").await;
    let other = app.token_for("demo", "other", "id", "secret").await;
    send_to(
        &app,
        ("demo", "other"),
        &other,
        "users",
        msg("x", &["y"], "txt", json!({"msg": "2"})),
    )
    .await;
    assert_eq!(total(&app.journal("").await), 2);

    let resp = app.reset("").await;
    assert_eq!(resp.status(), StatusCode::OK);
    let body: Value = resp.json().await.unwrap();
    assert!(
        body["reset"]
            .as_array()
            .unwrap()
            .contains(&json!("easemob")),
        "{body}"
    );

    assert_eq!(app.journal("").await, json!({"messages": [], "total": 0}));
    let body = health(&app).await;
    assert_eq!(body["messages"]["stored"], 0, "{body}");
    assert_eq!(
        body["tenants"]["easemob"], 1,
        "only the fixture tenant is back: {body}"
    );
}

#[tokio::test]
async fn reset_of_one_provider_forgets_its_messages() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    send(&app, &token, "alice", &["bob"], "one").await;
    let resp = app.reset("provider=easemob").await;
    assert_eq!(resp.status(), StatusCode::OK);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["reset"], json!(["easemob"]), "{body}");
    assert_eq!(total(&app.journal("").await), 0);
    assert_eq!(health(&app).await["messages"]["stored"], 0);
}

#[tokio::test]
async fn reset_of_one_tenant_leaves_the_other_tenants_users_and_messages() {
    let app = spawn_app().await;
    let token_a = app.token_for("demo", "a", "id", "secret").await;
    let token_b = app.token_for("demo", "b", "id", "secret").await;
    register(&app, "demo", "a", "zed", &token_a).await;
    register(&app, "demo", "b", "zed", &token_b).await;
    send_to(
        &app,
        ("demo", "a"),
        &token_a,
        "users",
        msg("zed", &["x"], "txt", json!({"msg": "a"})),
    )
    .await;
    send_to(
        &app,
        ("demo", "b"),
        &token_b,
        "users",
        msg("zed", &["x"], "txt", json!({"msg": "b"})),
    )
    .await;
    send_to(
        &app,
        ("demo", "b"),
        &token_b,
        "users",
        msg("zed", &["y"], "txt", json!({"msg": "b2"})),
    )
    .await;

    let resp = app.reset("provider=easemob&tenant=demo%2Fa").await;
    assert_eq!(resp.status(), StatusCode::OK);

    let gone = get_user(&app, "demo", "a", "zed", &token_a).await;
    assert_easemob_error(
        gone,
        404,
        "service_resource_not_found",
        "Service resource not found",
    )
    .await;
    let kept = ok_json(get_user(&app, "demo", "b", "zed", &token_b).await).await;
    assert_eq!(kept["entities"][0]["username"], "zed", "{kept}");

    let listing = app.journal("").await;
    assert_eq!(total(&listing), 2, "{listing}");
    assert!(
        listing["messages"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["tenant"] == "demo/b"),
        "{listing}"
    );
    assert_eq!(total(&app.journal("tenant=demo%2Fa").await), 0);
}

#[tokio::test]
async fn reset_of_one_tenant_without_a_provider_resets_that_tenant_only() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    send(&app, &token, "alice", &["bob"], "keep").await;
    let other = app.token_for("demo", "other", "id", "secret").await;
    send_to(
        &app,
        ("demo", "other"),
        &other,
        "users",
        msg("x", &["y"], "txt", json!({"msg": "drop"})),
    )
    .await;
    let resp = app.reset("tenant=demo/other").await;
    assert_eq!(resp.status(), StatusCode::OK);
    let listing = app.journal("").await;
    assert_eq!(total(&listing), 1, "{listing}");
    assert_eq!(listing["messages"][0]["content"]["msg"], "keep");
}

#[tokio::test]
async fn reset_of_an_unknown_provider_is_a_400_and_forgets_nothing() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    send(&app, &token, "alice", &["bob"], "still here").await;
    let resp = app.reset("provider=whatsapp").await;
    let status = resp.status();
    let body: Value = resp.json().await.unwrap();
    assert_problem(status, &body, StatusCode::BAD_REQUEST, "bad_request");
    assert_eq!(total(&app.journal("").await), 1);
}

#[tokio::test]
async fn reset_with_an_unknown_parameter_is_a_400() {
    let app = spawn_app().await;
    let resp = app.reset("everything=yes").await;
    let status = resp.status();
    let body: Value = resp.json().await.unwrap();
    assert_problem(status, &body, StatusCode::BAD_REQUEST, "bad_request");
}

#[tokio::test]
async fn after_a_reset_of_the_default_tenant_its_fixture_users_are_back_and_old_tokens_still_work()
{
    let app = spawn_app().await;
    let token = app.app_token().await;
    let deleted = app.delete("/users/alice", Some(&token)).await;
    assert_eq!(deleted.status(), StatusCode::OK);
    register(&app, ORG, APP, "carol", &token).await;
    let missing = app.get("/users/alice", Some(&token)).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);

    let resp = app.reset("provider=easemob&tenant=demo%2Fchat").await;
    assert_eq!(resp.status(), StatusCode::OK);

    for user in ["alice", "bob"] {
        let body = ok_json(app.get(&format!("/users/{user}"), Some(&token)).await).await;
        assert_eq!(body["entities"][0]["username"], user, "{body}");
    }
    let carol = app.get("/users/carol", Some(&token)).await;
    assert_easemob_error(
        carol,
        404,
        "service_resource_not_found",
        "Service resource not found",
    )
    .await;
    // The pre-reset token also still sends.
    send(&app, &token, "alice", &["bob"], "after reset").await;
}

#[tokio::test]
async fn after_a_full_reset_an_app_token_of_an_auto_created_tenant_still_works() {
    let app = spawn_app().await;
    let token = app.token_for("demo", "other", "id", "secret").await;
    assert_eq!(app.reset("").await.status(), StatusCode::OK);
    let sent = send_to(
        &app,
        ("demo", "other"),
        &token,
        "users",
        msg("x", &["y"], "txt", json!({"msg": "m"})),
    )
    .await;
    assert!(sent["data"]["y"].is_string(), "{sent}");
}

// ---------------------------------------------------------------------------------------------
// /_emulator/clock
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_clock_starts_in_real_time_and_not_frozen() {
    let app = spawn_app().await;
    let body = clock(&app).await;
    assert_eq!(body["frozen"], false, "{body}");
    let now = body["now_ms"].as_i64().expect("now_ms is an integer");
    assert!((now - system_ms()).abs() < 60_000, "{body}");
}

#[tokio::test]
async fn putting_now_ms_pins_the_clock() {
    let app = spawn_app().await;
    let (status, body) = admin(
        &app,
        Method::PUT,
        "/clock",
        Some(&json!({"now_ms": T0}).to_string()),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body, json!({"now_ms": T0, "frozen": true}));
    let first = clock(&app).await;
    let second = clock(&app).await;
    assert_eq!(first, json!({"now_ms": T0, "frozen": true}));
    assert_eq!(second, first, "a pinned clock does not move");
}

#[tokio::test]
async fn a_pinned_clock_stamps_easemob_envelopes_and_journal_records() {
    let app = spawn_app().await;
    app.set_clock(T0).await;
    let token = app.app_token().await;
    let sent = send(&app, &token, "alice", &["bob"], "at T0").await;
    assert_eq!(sent["timestamp"], T0, "{sent}");
    let listing = app.journal("").await;
    assert_eq!(listing["messages"][0]["received_at_ms"], T0, "{listing}");

    let error = app.get("/users/nobody", Some(&token)).await;
    let body = assert_easemob_error(
        error,
        404,
        "service_resource_not_found",
        "Service resource not found",
    )
    .await;
    assert_eq!(body["timestamp"], T0, "error envelopes too: {body}");
}

#[tokio::test]
async fn advancing_the_clock_adds_the_given_milliseconds() {
    let app = spawn_app().await;
    app.set_clock(T0).await;
    let (status, body) = admin(
        &app,
        Method::POST,
        "/clock/advance",
        Some(r#"{"ms": 90000}"#),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body, json!({"now_ms": T0 + 90_000, "frozen": true}));
    assert_eq!(clock(&app).await["now_ms"], T0 + 90_000);

    let token = app.app_token().await;
    app.advance_clock(5).await;
    let sent = send(&app, &token, "alice", &["bob"], "later").await;
    assert_eq!(sent["timestamp"], T0 + 90_005, "{sent}");
    assert_eq!(
        app.journal("").await["messages"][0]["received_at_ms"],
        T0 + 90_005
    );
}

#[tokio::test]
async fn advancing_a_running_clock_moves_it_ahead_of_real_time() {
    let app = spawn_app().await;
    const DAY: i64 = 86_400_000;
    let (status, body) = admin(
        &app,
        Method::POST,
        "/clock/advance",
        Some(&json!({"ms": 10 * DAY}).to_string()),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["frozen"], false, "{body}");
    let ahead = clock(&app).await["now_ms"].as_i64().unwrap() - system_ms();
    assert!((ahead - 10 * DAY).abs() < 60_000, "ahead by {ahead} ms");
}

#[tokio::test]
async fn a_token_expires_when_the_clock_passes_its_ttl() {
    let app = spawn_app().await;
    app.set_clock(T0).await;
    let body = json!({"grant_type": "client_credentials", "client_id": CLIENT_ID,
                      "client_secret": CLIENT_SECRET, "ttl": 60});
    let token = ok_json(app.post("/token", None, &body).await).await;
    let token = token["access_token"].as_str().unwrap().to_owned();
    app.advance_clock(59_999).await;
    ok_json(app.get("/users/alice", Some(&token)).await).await;
    app.advance_clock(1).await;
    let expired = app.get("/users/alice", Some(&token)).await;
    assert_eq!(expired.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn putting_now_ms_with_running_true_lets_the_clock_run_on_from_there() {
    let app = spawn_app().await;
    let body = json!({"now_ms": T0, "running": true}).to_string();
    let (status, reading) = admin(&app, Method::PUT, "/clock", Some(&body)).await;
    assert_eq!(status, StatusCode::OK, "{reading}");
    assert_eq!(reading["frozen"], false, "{reading}");
    let start = reading["now_ms"].as_i64().unwrap();
    assert!((T0..T0 + 60_000).contains(&start), "{reading}");

    // It moves by itself: read it again (bounded) until a later reading shows it.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let now = clock(&app).await;
        assert_eq!(now["frozen"], false, "{now}");
        let ms = now["now_ms"].as_i64().unwrap();
        assert!((T0..T0 + 60_000).contains(&ms), "it runs from T0: {now}");
        if ms > start {
            break;
        }
        assert!(Instant::now() < deadline, "the running clock never moved");
    }
}

#[tokio::test]
async fn deleting_the_clock_returns_it_to_real_time() {
    let app = spawn_app().await;
    app.set_clock(T0).await;
    let (status, body) = admin(&app, Method::DELETE, "/clock", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["frozen"], false, "{body}");
    let now = clock(&app).await;
    assert_eq!(now["frozen"], false, "{now}");
    assert!(
        (now["now_ms"].as_i64().unwrap() - system_ms()).abs() < 60_000,
        "{now}"
    );
}

#[tokio::test]
async fn malformed_clock_requests_are_400s_and_leave_the_clock_alone() {
    let app = spawn_app().await;
    app.set_clock(T0).await;
    let bad_sets = [
        "",
        "not json",
        "{}",
        r#"{"now_ms": "tomorrow"}"#,
        r#"{"now_ms": 1.5}"#,
        r#"{"now_ms": 1, "running": "yes"}"#,
        r#"{"now_ms": 1, "speed": 2}"#,
        "null",
        r#"{"now_ms": -1}"#,
        r#"{"now_ms": 253402300800000}"#,
        r#"{"now_ms": 9223372036854775807}"#,
    ];
    for body in bad_sets {
        let (status, answer) = admin(&app, Method::PUT, "/clock", Some(body)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "PUT {body:?}: {answer}");
        assert_problem(status, &answer, StatusCode::BAD_REQUEST, "bad_request");
    }
    let bad_advances = [
        "",
        "{}",
        r#"{"ms": "soon"}"#,
        r#"{"ms": 1, "now_ms": 2}"#,
        "7",
        r#"{"ms": 9223372036854775807}"#,
        r#"{"ms": -9223372036854775808}"#,
        r#"{"ms": -1790000000001}"#,
    ];
    for body in bad_advances {
        let (status, answer) = admin(&app, Method::POST, "/clock/advance", Some(body)).await;
        assert_eq!(
            status,
            StatusCode::BAD_REQUEST,
            "advance {body:?}: {answer}"
        );
        assert_problem(status, &answer, StatusCode::BAD_REQUEST, "bad_request");
    }
    assert_eq!(clock(&app).await, json!({"now_ms": T0, "frozen": true}));
}

#[tokio::test]
async fn a_clock_body_that_is_a_json_array_instead_of_an_object_is_a_400() {
    let app = spawn_app().await;
    app.set_clock(T0).await;
    let (status, answer) = admin(&app, Method::PUT, "/clock", Some("[1]")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "PUT [1]: {answer}");
    assert_problem(status, &answer, StatusCode::BAD_REQUEST, "bad_request");
    let (status, answer) = admin(&app, Method::POST, "/clock/advance", Some("[5]")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "advance [5]: {answer}");
    assert_problem(status, &answer, StatusCode::BAD_REQUEST, "bad_request");
    assert_eq!(clock(&app).await, json!({"now_ms": T0, "frozen": true}));
}

// ---------------------------------------------------------------------------------------------
// Seeded determinism
// ---------------------------------------------------------------------------------------------

/// What a client sees of one scripted session: app UUIDs, user UUIDs and message ids.
#[derive(Debug, PartialEq)]
struct Session {
    applications: Vec<String>,
    users: Vec<String>,
    messages: Vec<String>,
}

async fn scripted_session(seed: u64) -> Session {
    let app = spawn_with(Config {
        seed: Some(seed),
        clock: Some(T0),
        ..Config::default()
    })
    .await;
    let mut applications = Vec::new();
    let mut users = Vec::new();
    let mut messages = Vec::new();

    let body = json!({"grant_type": "client_credentials", "client_id": "id", "client_secret": "s"});
    let granted = ok_json(app.post_to("demo", "other", "/token", None, &body).await).await;
    applications.push(granted["application"].as_str().unwrap().to_owned());
    let other = granted["access_token"].as_str().unwrap().to_owned();
    for name in ["u1", "u2"] {
        let user = register(&app, "demo", "other", name, &other).await;
        users.push(user["uuid"].as_str().unwrap().to_owned());
    }
    let sent = send_to(
        &app,
        ("demo", "other"),
        &other,
        "users",
        msg("u1", &["u2", "u3"], "txt", json!({"msg": "x"})),
    )
    .await;
    applications.push(sent["application"].as_str().unwrap().to_owned());
    messages.push(sent["data"]["u2"].as_str().unwrap().to_owned());
    messages.push(sent["data"]["u3"].as_str().unwrap().to_owned());

    let token = app.app_token().await;
    let alice = ok_json(app.get("/users/alice", Some(&token)).await).await;
    users.push(alice["entities"][0]["uuid"].as_str().unwrap().to_owned());
    let dave = register(&app, ORG, APP, "dave", &token).await;
    users.push(dave["uuid"].as_str().unwrap().to_owned());
    app.advance_clock(1234).await;
    let sent = send(&app, &token, "alice", &["bob"], "y").await;
    messages.push(sent["data"]["bob"].as_str().unwrap().to_owned());
    messages.extend(ids(&app.journal("").await));
    Session {
        applications,
        users,
        messages,
    }
}

#[tokio::test]
async fn two_servers_with_the_same_seed_clock_and_requests_give_the_same_ids() {
    let first = scripted_session(7).await;
    let second = scripted_session(7).await;
    assert_eq!(first.applications.len(), 2);
    assert_eq!(first.users.len(), 4);
    assert_eq!(first.messages.len(), 6);
    assert_eq!(first, second);
}

#[tokio::test]
async fn servers_with_different_seeds_give_different_user_uuids() {
    let seven = scripted_session(7).await;
    let eight = scripted_session(8).await;
    for (a, b) in seven.users.iter().zip(&eight.users) {
        assert_ne!(a, b, "user UUIDs differ between seeds");
    }
    assert_ne!(
        seven.applications[0], eight.applications[0],
        "a derived application UUID depends on the seed"
    );
}

// ---------------------------------------------------------------------------------------------
// Long-poll reads
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_long_poll_counts_every_arrival_but_returns_only_the_first_limit_records() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    send(&app, &token, "alice", &["bob"], "before").await;
    let url = format!(
        "{}/_emulator/messages?to=bob&limit=2&min_count=4&wait_ms=10000",
        app.url
    );
    let client = app.client.clone();
    let poll = tokio::spawn(async move { client.get(url).send().await.unwrap() });
    for text in ["one", "two", "three"] {
        send(&app, &token, "alice", &["bob", "carol"], text).await;
    }
    let body: Value = poll.await.unwrap().json().await.unwrap();
    assert_eq!(body["total"], 4, "{body}");
    let texts = texts(&body);
    assert_eq!(texts, ["before", "one"], "{body}");
}

#[tokio::test]
async fn a_long_poll_wakes_for_a_match_on_any_filter_field() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    let queries = [
        "to=bob",
        "from=alice",
        "conversation=bob",
        "tenant=demo/chat",
        "provider=easemob",
        "chat_type=single",
        "type=txt",
        "",
        "to=bob&from=alice&type=txt",
    ];
    let polls: Vec<_> = queries
        .iter()
        .map(|query| {
            let url = format!("{}/_emulator/messages?{query}&wait_ms=20000", app.url);
            let client = app.client.clone();
            let query = query.to_string();
            tokio::spawn(async move {
                let resp = client
                    .get(url)
                    .timeout(Duration::from_secs(8))
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("{query:?}: woken by the send: {e}"));
                (query, resp.json::<Value>().await.unwrap())
            })
        })
        .collect();
    wait_for_waiters(&app, queries.len() as u64).await;
    send(&app, &token, "alice", &["bob"], "for everyone").await;
    for poll in polls {
        let (query, body) = poll.await.unwrap();
        assert_eq!(body["total"], 1, "{query:?}: {body}");
    }
}

#[tokio::test]
async fn a_long_poll_is_not_woken_by_records_its_filter_does_not_pick() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    let url = format!(
        "{}/_emulator/messages?to=bob&type=cmd&wait_ms=20000",
        app.url
    );
    let client = app.client.clone();
    let poll = tokio::spawn(async move { client.get(url).send().await.unwrap() });
    wait_for_waiters(&app, 1).await;
    send(&app, &token, "alice", &["bob"], "a txt, not a cmd").await;
    send(&app, &token, "alice", &["carol"], "not to bob").await;
    let cmd = msg("alice", &["bob"], "cmd", json!({"action": "ping"}));
    send_to(&app, (ORG, APP), &token, "users", cmd).await;
    let body: Value = poll.await.unwrap().json().await.unwrap();
    assert_eq!(body["total"], 1, "{body}");
    assert_eq!(body["messages"][0]["type"], "cmd", "{body}");
}

#[tokio::test]
async fn past_max_waiters_a_long_poll_answers_at_once_and_health_counts_the_waiters() {
    let app = spawn_with(Config {
        max_waiters: 2,
        ..Config::default()
    })
    .await;
    let url = format!("{}/_emulator/messages?to=bob&wait_ms=20000", app.url);
    let polls: Vec<_> = (0..2)
        .map(|_| {
            let (client, url) = (app.client.clone(), url.clone());
            tokio::spawn(async move { client.get(url).send().await.unwrap() })
        })
        .collect();
    wait_for_waiters(&app, 2).await;
    let third = app
        .client
        .get(&url)
        .timeout(Duration::from_secs(5))
        .send()
        .await
        .expect("the third long poll answers at once");
    let body: Value = third.json().await.unwrap();
    assert_eq!(body, json!({"messages": [], "total": 0}));
    let token = app.app_token().await;
    send(&app, &token, "alice", &["bob"], "wake").await;
    for poll in polls {
        let body: Value = poll.await.unwrap().json().await.unwrap();
        assert_eq!(body["total"], 1, "{body}");
    }
    assert_eq!(health(&app).await["waiters"], 0);
}

// ---------------------------------------------------------------------------------------------
// Protection from web pages, and the admin token
// ---------------------------------------------------------------------------------------------

/// Sends `method path` to the admin API with `headers` and `body`.
async fn admin_with(
    app: &TestApp,
    method: Method,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (StatusCode, Value) {
    let mut req = app
        .client
        .request(method, format!("{}/_emulator{path}", app.url))
        .body(body.to_owned());
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status();
    let text = resp.text().await.unwrap();
    let value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    (status, value)
}

#[tokio::test]
async fn a_cross_origin_simple_post_cannot_reset_the_emulator() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    send(&app, &token, "alice", &["bob"], "keep me").await;
    let evil = [
        ("origin", "https://evil.example"),
        ("content-type", "text/plain"),
    ];
    let (status, body) = admin_with(&app, Method::POST, "/reset", &evil, "").await;
    assert_problem(status, &body, StatusCode::FORBIDDEN, "forbidden");
    let no_type = [("origin", "https://evil.example")];
    let (status, body) = admin_with(&app, Method::POST, "/reset", &no_type, "").await;
    assert_problem(status, &body, StatusCode::FORBIDDEN, "forbidden");
    let body = r#"{"now_ms": 1790000000000}"#;
    let (status, answer) = admin_with(&app, Method::PUT, "/clock", &evil[..1], body).await;
    assert_problem(status, &answer, StatusCode::FORBIDDEN, "forbidden");
    assert_eq!(total(&app.journal("").await), 1, "nothing was reset");
    assert_eq!(
        clock(&app).await["frozen"],
        false,
        "the clock was not pinned"
    );
}

#[tokio::test]
async fn an_admin_write_that_is_not_json_is_refused_415() {
    let app = spawn_app().await;
    for content_type in ["text/plain", "application/x-www-form-urlencoded"] {
        let headers = [("content-type", content_type)];
        let (status, body) = admin_with(&app, Method::POST, "/reset", &headers, "a=b").await;
        assert_problem(
            status,
            &body,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        );
    }
    let (status, body) = admin_with(&app, Method::PUT, "/clock", &[], r#"{"now_ms": 1}"#).await;
    assert_problem(
        status,
        &body,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    );
}

#[tokio::test]
async fn a_same_origin_json_write_and_a_bodyless_write_are_accepted() {
    let app = spawn_app().await;
    let own = app.url.clone();
    let headers = [
        ("origin", own.as_str()),
        ("content-type", "application/json"),
    ];
    let body = format!(r#"{{"now_ms": {T0}}}"#);
    let (status, answer) = admin_with(&app, Method::PUT, "/clock", &headers, &body).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let (status, answer) = admin_with(&app, Method::POST, "/reset", &[], "").await;
    assert_eq!(status, StatusCode::OK, "{answer}");
}

#[tokio::test]
async fn with_an_admin_token_every_admin_call_needs_it() {
    let app = spawn_with(Config {
        admin_token: Some("s3cret".into()),
        ..Config::default()
    })
    .await;
    for (method, path) in [
        (Method::GET, "/health"),
        (Method::GET, "/messages"),
        (Method::POST, "/reset"),
    ] {
        let (status, body) = admin_with(&app, method.clone(), path, &[], "").await;
        assert_problem(status, &body, StatusCode::UNAUTHORIZED, "unauthorized");
        let wrong = [("authorization", "Bearer nope")];
        let (status, body) = admin_with(&app, method.clone(), path, &wrong, "").await;
        assert_problem(status, &body, StatusCode::UNAUTHORIZED, "unauthorized");
        let right = [("authorization", "Bearer s3cret")];
        let (status, body) = admin_with(&app, method, path, &right, "").await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
    }
    let token = app.app_token().await;
    assert!(
        !token.is_empty(),
        "provider routes do not need the admin token"
    );
}

// ---------------------------------------------------------------------------------------------
// Every admin answer is JSON
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_known_admin_path_with_another_method_is_a_json_405_with_allow() {
    let app = spawn_app().await;
    for (method, path, allow) in [
        (Method::POST, "/health", "GET"),
        (Method::DELETE, "/messages", "GET"),
        (Method::GET, "/reset", "POST"),
        (Method::POST, "/clock", "GET, PUT, DELETE"),
    ] {
        let resp = app
            .client
            .request(method, format!("{}/_emulator{path}", app.url))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED, "{path}");
        assert_eq!(resp.headers()["allow"], allow, "{path}");
        let body: Value = resp.json().await.unwrap();
        assert_eq!(body["error"], "method_not_allowed", "{body}");
    }
}

#[tokio::test]
async fn an_oversized_admin_body_is_a_json_413_and_leaves_the_clock_alone() {
    let app = spawn_app().await;
    let body = format!(r#"{{"now_ms": 1, "pad": "{}"}}"#, "x".repeat(70 * 1024));
    let (status, answer) = admin(&app, Method::PUT, "/clock", Some(&body)).await;
    assert_problem(
        status,
        &answer,
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
    );
    assert_eq!(clock(&app).await["frozen"], false);
}

#[tokio::test]
async fn the_clock_refuses_instants_the_message_ids_cannot_encode() {
    let app = spawn_app().await;
    let last = 5_712_532_095_999_i64;
    let first = 1_417_564_800_000_i64;
    for now_ms in [last + 1, first - 1] {
        let body = format!(r#"{{"now_ms": {now_ms}}}"#);
        let (status, answer) = admin(&app, Method::PUT, "/clock", Some(&body)).await;
        assert_problem(status, &answer, StatusCode::BAD_REQUEST, "bad_request");
    }
    for now_ms in [last, first] {
        let body = format!(r#"{{"now_ms": {now_ms}}}"#);
        let (status, answer) = admin(&app, Method::PUT, "/clock", Some(&body)).await;
        assert_eq!(status, StatusCode::OK, "{answer}");
    }
    let token = app.app_token().await;
    let sent = send(&app, &token, "alice", &["bob"], "at the first instant").await;
    let id: u64 = sent["data"]["bob"].as_str().unwrap().parse().unwrap();
    assert_eq!(id >> 32, 0, "the first second of the ids' epoch");
    let (status, answer) = admin(&app, Method::POST, "/clock/advance", Some(r#"{"ms": -1}"#)).await;
    assert_problem(status, &answer, StatusCode::BAD_REQUEST, "bad_request");
}

// ---------------------------------------------------------------------------------------------
// Unknown admin routes
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn an_unknown_admin_path_is_a_json_404_of_the_emulators_own() {
    let app = spawn_app().await;
    for path in ["/nope", "/messages/extra", "/"] {
        let (status, body) = admin(&app, Method::GET, path, None).await;
        assert_problem(status, &body, StatusCode::NOT_FOUND, "not_found");
    }
    let (status, body) = admin(&app, Method::POST, "/nope", Some("{}")).await;
    assert_problem(status, &body, StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn a_path_no_provider_claims_is_a_json_404_naming_the_closest_routes() {
    let app = spawn_app().await;
    let resp = app
        .client
        .get(format!("{}/messages", app.url))
        .send()
        .await
        .unwrap();
    let status = resp.status();
    let body: Value = resp.json().await.unwrap();
    assert_problem(status, &body, StatusCode::NOT_FOUND, "not_found");
    let closest = body["closest"]
        .as_array()
        .expect("closest routes are listed");
    assert_eq!(closest.len(), 3, "{body}");
    for route in closest {
        assert!(route.as_str().unwrap().contains("/messages"), "{body}");
    }
}

// ---------------------------------------------------------------------------------------------
// Tenants
// ---------------------------------------------------------------------------------------------

/// The `{provider, name}` pairs of a tenant listing, in order.
fn tenant_names(listing: &Value) -> Vec<(String, String)> {
    listing["tenants"]
        .as_array()
        .unwrap_or_else(|| panic!("tenants is an array: {listing}"))
        .iter()
        .map(|t| {
            let field = |k: &str| t[k].as_str().unwrap_or_default().to_owned();
            (field("provider"), field("name"))
        })
        .collect()
}

#[tokio::test]
async fn the_tenant_listing_shows_every_providers_fixture_tenants_with_credentials_and_counts() {
    let app = spawn_app().await;
    let (status, listing) = admin(&app, Method::GET, "/tenants", None).await;
    assert_eq!(status, StatusCode::OK, "{listing}");
    let names = tenant_names(&listing);
    for (provider, name) in [
        ("anqicms", "default"),
        ("easemob", "demo/chat"),
        ("openim", "default"),
    ] {
        assert!(
            names.contains(&(provider.to_owned(), name.to_owned())),
            "{provider} {name} in {listing}"
        );
    }
    assert!(names.iter().any(|(p, _)| p == "yunxin"), "{listing}");
    assert_eq!(listing["total"], names.len(), "{listing}");
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "by provider, then name");
    let demo = listing["tenants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "demo/chat")
        .unwrap();
    assert_eq!(demo["fixture"], true, "{demo}");
    assert_eq!(demo["credentials"]["client_id"], CLIENT_ID, "{demo}");
    assert_eq!(
        demo["credentials"]["client_secret"], CLIENT_SECRET,
        "{demo}"
    );
    assert_eq!(
        demo["credentials"]["application"], DEMO_APPLICATION,
        "{demo}"
    );
    assert_eq!(demo["counts"]["users"], 2, "alice and bob: {demo}");
}

#[tokio::test]
async fn a_tenant_made_by_a_call_is_listed_and_a_reset_drops_it() {
    let app = spawn_app().await;
    let token = app.token_for("acme", "shop", "id", "secret").await;
    let body = json!({"username": "carol", "password": "p"});
    let resp = app
        .post_to("acme", "shop", "/users", Some(&token), &body)
        .await;
    assert_eq!(resp.status(), StatusCode::OK);

    let (_, listing) = admin(&app, Method::GET, "/tenants?provider=easemob", None).await;
    let shop = listing["tenants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "acme/shop")
        .unwrap_or_else(|| panic!("acme/shop listed: {listing}"))
        .clone();
    assert_eq!(shop["provider"], "easemob", "{shop}");
    assert_eq!(shop["fixture"], false, "{shop}");
    assert_eq!(shop["credentials"]["client_id"], "(any)", "{shop}");
    assert_eq!(shop["counts"]["users"], 1, "{shop}");
    assert!(
        tenant_names(&listing).iter().all(|(p, _)| p == "easemob"),
        "only Easemob's: {listing}"
    );

    app.reset("provider=easemob&tenant=acme/shop").await;
    let (_, after) = admin(&app, Method::GET, "/tenants?provider=easemob", None).await;
    let names = tenant_names(&after);
    assert!(!names.iter().any(|(_, n)| n == "acme/shop"), "{after}");
    assert!(names.iter().any(|(_, n)| n == "demo/chat"), "{after}");
}

#[tokio::test]
async fn the_tenant_listing_refuses_an_unknown_provider_or_parameter() {
    let app = spawn_app().await;
    for query in ["provider=wechat", "tenant=demo/chat"] {
        let (status, body) = admin(&app, Method::GET, &format!("/tenants?{query}"), None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {body}");
        assert_eq!(body["error"], "bad_request", "{query}: {body}");
    }
    let (status, _) = admin(&app, Method::PUT, "/tenants", Some("{}")).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
}
