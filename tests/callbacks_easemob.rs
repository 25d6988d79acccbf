//! Easemob's callbacks as the application server receives them: the post-send callbacks
//! (发送后回调, `chat` and `chat_offline`) of REST and client messages, signed with `security`
//! = md5hex(callId + secret + timestamp) and verified here with the test's own md5; their one
//! retry; and the before-send callback (发送前回调) of `POST /_emulator/easemob/client-send`,
//! whose answer lets a message through, changes it or blocks it.

mod common;
use common::control::{admin, callbacks, wait_for_callbacks as wait_for};
use common::receiver::{closed_url, Hit, Receiver};
use common::*;

use im_emulator::config::Config;
use im_emulator::Application;
use md5::{Digest, Md5};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const POST_SECRET: &str = "post-secret";
const PRE_SECRET: &str = "pre-secret";
const HOST: &str = "msync@ebs-ali-beijing-msync45";

fn post_rule(url: &str, extra: Value) -> Value {
    let mut rule = json!({"kind": "post_send", "url": url, "secret": POST_SECRET});
    merge(&mut rule, extra);
    rule
}

fn pre_rule(url: &str, extra: Value) -> Value {
    let mut rule = json!({"kind": "pre_send", "url": url, "secret": PRE_SECRET});
    merge(&mut rule, extra);
    rule
}

fn merge(into: &mut Value, extra: Value) {
    for (k, v) in extra.as_object().unwrap() {
        into[k] = v.clone();
    }
}

/// The demo/chat tenant (alice, bob, carol) with `rules`.
fn fixture(rules: Value) -> Value {
    let user = |n: &str| json!({"username": n, "password": format!("{n}-password")});
    json!({"tenants": [{
        "org": ORG, "app": APP, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
        "users": [user("alice"), user("bob"), user("carol")],
        "callback_rules": rules,
    }]})
}

/// A server whose demo/chat has `rules`, its clock pinned at `T0`.
async fn app_with(rules: Value) -> TestApp {
    let app = spawn_with_fixtures(&fixture(rules)).await;
    app.set_clock(T0).await;
    app
}

/// The keys of an object in the order sent.
fn key_order(value: &Value) -> Vec<String> {
    value.as_object().unwrap().keys().cloned().collect()
}

fn md5hex(text: &str) -> String {
    Md5::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The hit's JSON body, checking the transport and the signature as a receiver would.
fn signed_body(hit: &Hit, secret: &str) -> Value {
    assert_eq!(hit.method, "POST");
    assert_eq!(hit.header("content-type"), "application/json");
    let body: Value = serde_json::from_slice(&hit.body).expect("a JSON body");
    let call_id = body["callId"].as_str().unwrap();
    let timestamp = body["timestamp"].as_i64().unwrap();
    let expected = md5hex(&format!("{call_id}{secret}{timestamp}"));
    assert_eq!(body["security"], expected, "security of {body}");
    body
}

/// The post-send bodies received, checked, with `eventType` `event` and `to`.
fn post_body(hits: &[Hit], event: &str, to: &str) -> Value {
    let bodies: Vec<Value> = hits.iter().map(|h| signed_body(h, POST_SECRET)).collect();
    bodies
        .iter()
        .find(|b| b["eventType"] == event && b["to"] == to)
        .unwrap_or_else(|| panic!("no {event} to {to}: {bodies:?}"))
        .clone()
}

/// The body a post-send callback must have (all but `security`, checked apart).
fn expected_post(event: &str, group: Option<&str>, to: &str, msg_id: &str, content: &str) -> Value {
    let mut body = json!({
        "callId": format!("demo#chat_{msg_id}"), "eventType": event, "timestamp": T0,
        "chat_type": if group.is_some() { "groupchat" } else { "chat" },
    });
    if let Some(group) = group {
        body["group_id"] = json!(group);
    }
    merge(
        &mut body,
        json!({
            "from": "alice", "to": to, "msg_id": msg_id,
            "payload": {"ext": {"k": 1}, "bodies": [{"msg": "hi", "type": "txt"}]},
            "securityVersion": "1.0.0", "security": "", "appkey": "demo#chat", "host": HOST,
            "content_type": content,
        }),
    );
    body
}

fn assert_post(actual: &Value, expected: &Value) {
    assert_eq!(
        key_order(actual),
        key_order(expected),
        "key order of {actual}"
    );
    let mut actual = actual.clone();
    actual["security"] = json!("");
    assert_eq!(&actual, expected);
}

async fn send(app: &TestApp, path: &str, to: &[&str], extra: Value) -> Value {
    let token = app.app_token().await;
    let mut body = json!({"from": "alice", "to": to, "type": "txt", "body": {"msg": "hi"},
        "ext": {"k": 1}});
    merge(&mut body, extra);
    ok_json(app.post(path, Some(&token), &body).await).await
}

async fn client_send(app: &TestApp, query: &str, body: &Value) -> (StatusCode, Value) {
    admin(
        app,
        Method::POST,
        &format!("/easemob/client-send{query}"),
        Some(body),
    )
    .await
}

fn text_from_alice(to: &str, chat_type: &str) -> Value {
    json!({"from": "alice", "to": to, "chat_type": chat_type, "type": "txt",
        "body": {"msg": "hi"}})
}

async fn journal_texts(app: &TestApp) -> Vec<String> {
    texts(&app.journal("provider=easemob&tenant=demo/chat").await)
}

#[tokio::test]
async fn a_message_to_a_user_is_called_back_as_chat_and_chat_offline_with_every_field() {
    let receiver = Receiver::start(200).await;
    let app = app_with(json!([post_rule(
        &format!("{}/post", receiver.url),
        json!({})
    )]))
    .await;
    let sent = send(&app, "/messages/users", &["bob"], json!({})).await;
    let id = sent["data"]["bob"].as_str().unwrap();

    let attempts = wait_for(&app, 2, "provider=easemob").await;
    let hits = receiver.hits();
    assert_eq!(hits.len(), 2);
    assert!(hits.iter().all(|h| h.path == "/post"));
    let expected = |event| expected_post(event, None, "bob", id, "chat:user:text");
    assert_post(&post_body(&hits, "chat", "bob"), &expected("chat"));
    assert_post(
        &post_body(&hits, "chat_offline", "bob"),
        &expected("chat_offline"),
    );
    let mut events: Vec<&str> = attempts
        .iter()
        .map(|a| a["event"].as_str().unwrap())
        .collect();
    events.sort();
    assert_eq!(events, ["chat", "chat_offline"]);
    for a in &attempts {
        assert_eq!(a["tenant"], "demo/chat");
        assert_eq!(a["outcome"], "delivered");
        assert_eq!(a["attempt"], 1);
        let headers = a["request"]["headers"].as_object().unwrap();
        assert_eq!(headers.keys().collect::<Vec<_>>(), ["Content-Type"]);
    }
}

#[tokio::test]
async fn group_and_room_messages_call_back_once_as_chat_and_once_per_member_offline() {
    let receiver = Receiver::start(200).await;
    let app = app_with(json!([post_rule(&receiver.url, json!({}))])).await;
    let token = app.app_token().await;
    let group = app.create_group(&token, "alice", &["bob", "carol"]).await;
    let room = app.create_room(&token, "alice", &["bob"]).await;

    let sent = send(&app, "/messages/chatgroups", &[group.as_str()], json!({})).await;
    let id = sent["data"][&group].as_str().unwrap().to_owned();
    wait_for(&app, 3, "").await;
    let hits = receiver.hits();
    assert_eq!(hits.len(), 3, "chat, and offline to bob and carol");
    let g = Some(group.as_str());
    let expected = |event: &str, to: &str| expected_post(event, g, to, &id, "chat:group:text");
    assert_post(&post_body(&hits, "chat", &group), &expected("chat", &group));
    for member in ["bob", "carol"] {
        let offline = post_body(&hits, "chat_offline", member);
        assert_post(&offline, &expected("chat_offline", member));
    }

    let sent = send(&app, "/messages/chatrooms", &[room.as_str()], json!({})).await;
    let id = sent["data"][&room].as_str().unwrap().to_owned();
    wait_for(&app, 5, "").await;
    let hits = receiver.hits()[3..].to_vec();
    assert_eq!(hits.len(), 2, "chat, and offline to bob");
    let r = Some(room.as_str());
    let expected = |event: &str, to: &str| expected_post(event, r, to, &id, "chat:room:text");
    assert_post(&post_body(&hits, "chat", &room), &expected("chat", &room));
    assert_post(
        &post_body(&hits, "chat_offline", "bob"),
        &expected("chat_offline", "bob"),
    );

    let targeted = json!({"users": ["carol"]});
    send(
        &app,
        "/messages/chatgroups/users",
        &[group.as_str()],
        targeted,
    )
    .await;
    wait_for(&app, 7, "").await;
    let hits = receiver.hits()[5..].to_vec();
    assert_eq!(hits.len(), 2, "chat, and offline to the chosen member only");
    post_body(&hits, "chat_offline", "carol");
}

#[tokio::test]
async fn a_rule_calls_back_only_the_events_it_lists() {
    let receiver = Receiver::start(200).await;
    let rule = post_rule(&receiver.url, json!({"event_types": ["chat_offline"]}));
    let app = app_with(json!([rule])).await;
    send(&app, "/messages/users", &["bob", "carol"], json!({})).await;
    let attempts = wait_for(&app, 2, "").await;
    assert!(attempts.iter().all(|a| a["event"] == "chat_offline"));
    let hits = receiver.hits();
    post_body(&hits, "chat_offline", "bob");
    post_body(&hits, "chat_offline", "carol");
}

#[tokio::test]
async fn a_failed_callback_is_retried_once_at_once_then_given_up() {
    let failing = Receiver::start(500).await;
    let app = app_with(json!([
        post_rule(&failing.url, json!({"event_types": ["chat"]})),
        post_rule(&closed_url(), json!({"event_types": ["chat"]})),
    ]))
    .await;
    send(&app, "/messages/users", &["bob"], json!({})).await;
    send(&app, "/messages/users", &["carol"], json!({})).await;

    let attempts = wait_for(&app, 8, "").await;
    assert_eq!(
        callbacks(&app, "").await["total"],
        8,
        "2 attempts of 4 callbacks"
    );
    let mut per_callback = std::collections::BTreeMap::new();
    for a in &attempts {
        let outcome = a["outcome"].as_str().unwrap();
        assert!(["rejected", "failed"].contains(&outcome), "{a}");
        per_callback
            .entry(a["callback"].as_u64().unwrap())
            .or_insert_with(Vec::new)
            .push(a["attempt"].as_u64().unwrap());
    }
    assert_eq!(per_callback.len(), 4);
    assert!(
        per_callback.values().all(|n| n == &[1, 2]),
        "{per_callback:?}"
    );
    let mut bodies: Vec<Vec<u8>> = failing.hits().into_iter().map(|h| h.body).collect();
    bodies.sort();
    assert_eq!(bodies.len(), 4);
    assert!(
        bodies[0] == bodies[1] && bodies[2] == bodies[3],
        "each sent twice as it was"
    );
}

#[tokio::test]
async fn a_callback_answered_200_is_not_retried_whatever_its_body() {
    let receiver = Receiver::start(200).await;
    receiver.answer_body(b"not what easemob expects");
    let app = app_with(json!([post_rule(
        &receiver.url,
        json!({"event_types": ["chat"]})
    )]))
    .await;
    send(&app, "/messages/users", &["bob"], json!({})).await;
    wait_for(&app, 1, "outcome=delivered").await;
    send(&app, "/messages/users", &["carol"], json!({})).await;
    let attempts = wait_for(&app, 2, "outcome=delivered").await;
    assert_eq!(callbacks(&app, "").await["total"], 2);
    assert!(attempts.iter().all(|a| a["attempt"] == 1));
    assert_eq!(receiver.hits().len(), 2);
}

#[tokio::test]
async fn a_receiver_that_never_answers_times_out_and_the_send_answers_at_once() {
    let silent = Receiver::start(0).await;
    let rule = post_rule(
        &silent.url,
        json!({"event_types": ["chat"], "timeout_ms": 1500}),
    );
    let app = app_with(json!([rule])).await;
    let started = Instant::now();
    send(&app, "/messages/users", &["bob"], json!({})).await;
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "the send did not wait"
    );
    let attempts = wait_for(&app, 2, "outcome=timeout").await;
    assert_eq!(attempts.len(), 2);
    assert_eq!(silent.hits().len(), 2);
}

#[tokio::test]
async fn messages_of_a_source_no_rule_covers_are_not_called_back() {
    let receiver = Receiver::start(200).await;
    let rule = post_rule(
        &receiver.url,
        json!({"rest_messages": false, "event_types": ["chat"]}),
    );
    let app = app_with(json!([rule])).await;
    send(&app, "/messages/users", &["bob"], json!({})).await;
    let (status, answer) = client_send(&app, "", &text_from_alice("carol", "chat")).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let attempts = wait_for(&app, 1, "").await;
    assert_eq!(attempts.len(), 1, "{attempts:?}");
    assert_eq!(
        post_body(&receiver.hits(), "chat", "carol")["from"],
        "alice"
    );
}

#[tokio::test]
async fn the_built_in_fixtures_configure_no_callback() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    ok_json(app.send_text(&token, "alice", &["bob"], "hi").await).await;
    let (status, answer) = client_send(&app, "", &text_from_alice("bob", "chat")).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["sent"], true);
    assert_eq!(answer["callback"], Value::Null);
    assert_eq!(callbacks(&app, "").await["total"], 0);
}

#[tokio::test]
async fn rules_come_with_a_tenant_created_through_the_admin_api() {
    let receiver = Receiver::start(200).await;
    let app = spawn_app().await;
    app.set_clock(T0).await;
    let body = json!({"provider": "easemob", "name": "acme/shop", "client_id": "YXA6acme-id",
        "client_secret": "YXA6acme-secret", "users": [
            {"username": "ann", "password": "ann-password"},
            {"username": "ben", "password": "ben-password"}],
        "callback_rules": [post_rule(&receiver.url, json!({"event_types": ["chat"]}))]});
    let (status, created) = admin(&app, Method::POST, "/tenants", Some(&body)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let token = app
        .token_for("acme", "shop", "YXA6acme-id", "YXA6acme-secret")
        .await;
    let send = json!({"from": "ann", "to": ["ben"], "type": "txt", "body": {"msg": "yo"}});
    let sent = ok_json(
        app.post_to("acme", "shop", "/messages/users", Some(&token), &send)
            .await,
    )
    .await;
    let attempts = wait_for(&app, 1, "tenant=acme/shop").await;
    assert_eq!(attempts[0]["event"], "chat");
    let body = post_body(&receiver.hits(), "chat", "ben");
    let id = sent["data"]["ben"].as_str().unwrap();
    assert_eq!(body["callId"], format!("acme#shop_{id}"));
    assert_eq!(body["appkey"], "acme#shop");
    assert_eq!(
        body["payload"],
        json!({"ext": {}, "bodies": [{"msg": "yo", "type": "txt"}]})
    );
}

#[tokio::test]
async fn bad_rules_are_refused_at_start_and_by_the_admin_api() {
    let ok = |extra: Value| post_rule("http://127.0.0.1:9/cb", extra);
    let cases = [
        ("an ftp URL", json!([post_rule("ftp://x/cb", json!({}))])),
        ("an empty secret", json!([ok(json!({"secret": ""}))])),
        ("a zero timeout", json!([ok(json!({"timeout_ms": 0}))])),
        ("no event", json!([ok(json!({"event_types": []}))])),
        (
            "an unknown event",
            json!([ok(json!({"event_types": ["recall"]}))]),
        ),
        (
            "no source",
            json!([ok(json!({"rest_messages": false, "sdk_messages": false}))]),
        ),
        ("an unknown field", json!([ok(json!({"filters": []}))])),
        (
            "an https URL (the emulator has no TLS client)",
            json!([pre_rule("https://x", json!({}))]),
        ),
        (
            "an unknown kind",
            json!([{"kind": "login", "url": "http://x", "secret": "s"}]),
        ),
        (
            "a bad policy",
            json!([pre_rule("http://x", json!({"on_failure": "retry"}))]),
        ),
        (
            "five rules",
            json!([
                ok(json!({})),
                ok(json!({})),
                ok(json!({})),
                ok(json!({})),
                ok(json!({}))
            ]),
        ),
    ];
    let app = spawn_app().await;
    for (case, rules) in cases {
        let config = Config {
            fixtures: Some(fixture_folder("easemob", &fixture(rules.clone()))),
            ..Config::default()
        };
        assert!(Application::build(&config).is_err(), "{case} at start");
        let body = json!({"provider": "easemob", "name": "bad/rules", "callback_rules": rules});
        let (status, answer) = admin(&app, Method::POST, "/tenants", Some(&body)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{case}: {answer}");
    }
    let four = json!([
        ok(json!({})),
        ok(json!({})),
        pre_rule("http://x", json!({})),
        ok(json!({}))
    ]);
    let body = json!({"provider": "easemob", "name": "good/rules", "callback_rules": four});
    let (status, answer) = admin(&app, Method::POST, "/tenants", Some(&body)).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
}

/// A server whose demo/chat has a before-send rule (`extra`) to `pre` and a post-send rule
/// for client messages to `post`.
async fn pre_app(pre: &Receiver, post: &Receiver, extra: Value) -> TestApp {
    let post_rule = post_rule(
        &post.url,
        json!({"event_types": ["chat"], "rest_messages": false}),
    );
    app_with(json!([pre_rule(&pre.url, extra), post_rule])).await
}

#[tokio::test]
async fn a_client_message_let_through_is_stored_and_called_back_after_sending() {
    let pre = Receiver::start_json(200, json!({"valid": true, "code": "HX:10000"})).await;
    let post = Receiver::start(200).await;
    let app = pre_app(&pre, &post, json!({})).await;
    let mut msg = text_from_alice("bob", "chat");
    msg["ext"] = json!({"k": 1});
    let (status, answer) = client_send(&app, "?tenant=demo%23chat", &msg).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["sent"], true, "{answer}");
    let id = answer["message"]["msg_id"].as_str().unwrap().to_owned();
    assert_eq!(
        answer["message"],
        json!({"msg_id": id, "timestamp": T0, "direction": "outgoing", "to": "bob",
            "from": "alice", "chat_type": "chat", "payload": {
                "bodies": [{"msg": "hi", "type": "txt"}], "ext": {"k": 1},
                "from": "alice", "to": "bob"}})
    );

    let hits = pre.hits();
    assert_eq!(hits.len(), 1);
    let body = signed_body(&hits[0], PRE_SECRET);
    let call_id = body["callId"].as_str().unwrap();
    assert!(
        call_id.starts_with("demo#chat_") && call_id.len() == 10 + 36,
        "{call_id}"
    );
    assert_eq!(
        key_order(&body),
        [
            "callId",
            "timestamp",
            "chat_type",
            "from",
            "to",
            "msg_id",
            "payload",
            "security"
        ]
    );
    assert_eq!(
        (
            &body["timestamp"],
            &body["chat_type"],
            &body["from"],
            &body["to"]
        ),
        (&json!(T0), &json!("chat"), &json!("alice"), &json!("bob"))
    );
    assert_eq!(body["msg_id"], id);
    assert_eq!(body["payload"], json!({"msg": "hi", "type": "txt"}));
    let listed = callbacks(&app, "event=pre_send").await;
    assert_eq!(listed["callbacks"][0]["callback"], answer["callback"]);
    assert_eq!(listed["callbacks"][0]["outcome"], "delivered");

    assert_eq!(journal_texts(&app).await, ["hi"]);
    wait_for(&app, 1, "event=chat").await;
    let after = post_body(&post.hits(), "chat", "bob");
    assert_eq!(after["msg_id"], id);
    assert_eq!(after["payload"]["ext"], json!({"k": 1}));
}

#[tokio::test]
async fn a_group_message_is_asked_about_with_its_group_and_the_history_payload_by_rule() {
    let pre = Receiver::start_json(200, json!({"valid": true})).await;
    let post = Receiver::start(200).await;
    let app = pre_app(&pre, &post, json!({"payload": "history"})).await;
    let token = app.app_token().await;
    let group = app.create_group(&token, "alice", &["bob"]).await;
    let (status, answer) = client_send(&app, "", &text_from_alice(&group, "groupchat")).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let body = signed_body(&pre.hits()[0], PRE_SECRET);
    assert_eq!(body["chat_type"], "groupchat");
    assert_eq!(body["group_id"], group.as_str());
    assert_eq!(body["to"], group.as_str());
    assert_eq!(
        body["payload"],
        json!({"ext": {}, "bodies": [{"msg": "hi", "type": "txt"}]})
    );
    assert_eq!(answer["message"]["chat_type"], "groupchat");
}

#[tokio::test]
async fn a_blocked_client_message_gets_the_sdk_error_and_is_neither_stored_nor_called_back() {
    let pre = Receiver::start_json(200, json!({"valid": false, "code": "HX:10001"})).await;
    let post = Receiver::start(200).await;
    let app = pre_app(&pre, &post, json!({})).await;
    let msg = text_from_alice("bob", "chat");
    let (status, answer) = client_send(&app, "", &msg).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["sent"], false);
    assert_eq!(
        answer["error"],
        json!({"code": 508, "name": "MESSAGE_EXTERNAL_LOGIC_BLOCKED", "message": "HX:10001"})
    );
    assert!(answer["callback"].is_u64());

    pre.answer_body(br#"{"valid": false}"#);
    let (_, answer) = client_send(&app, "", &msg).await;
    assert_eq!(answer["error"]["message"], "custom logic denied");
    pre.answer_body(br#"{"valid": false, "code": ""}"#);
    let (_, answer) = client_send(&app, "", &msg).await;
    assert_eq!(
        answer["error"]["message"],
        "Message blocked by external logic"
    );
    assert!(journal_texts(&app).await.is_empty());

    pre.answer_body(br#"{"valid": true}"#);
    let (_, answer) = client_send(&app, "", &msg).await;
    assert_eq!(answer["sent"], true);
    wait_for(&app, 1, "event=chat").await;
    assert_eq!(callbacks(&app, "event=chat").await["total"], 1);
    assert_eq!(post.hits().len(), 1, "only the message let through");
    assert_eq!(journal_texts(&app).await, ["hi"]);
}

#[tokio::test]
async fn a_rule_that_does_not_report_errors_lets_the_sender_believe_the_message_sent() {
    let pre = Receiver::start_json(200, json!({"valid": false, "code": "HX:1"})).await;
    let post = Receiver::start(200).await;
    let app = pre_app(&pre, &post, json!({"report_error": false})).await;
    let (status, answer) = client_send(&app, "", &text_from_alice("bob", "chat")).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["sent"], true);
    assert_eq!(answer["message"]["delivered"], false);
    assert!(journal_texts(&app).await.is_empty());
}

#[tokio::test]
async fn the_answers_payload_replaces_the_stored_text_and_ext() {
    let changed = json!({"valid": true, "payload": {"ext": {"checked": true},
        "bodies": [{"msg": "h*", "type": "txt"}]}});
    let pre = Receiver::start_json(200, changed).await;
    let post = Receiver::start(200).await;
    let app = pre_app(&pre, &post, json!({"payload": "history"})).await;
    let (status, answer) = client_send(&app, "", &text_from_alice("bob", "chat")).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let payload = &answer["message"]["payload"];
    assert_eq!(payload["bodies"], json!([{"msg": "h*", "type": "txt"}]));
    assert_eq!(payload["ext"], json!({"checked": true}));
    let listing = app.journal("provider=easemob&tenant=demo/chat").await;
    assert_eq!(texts(&listing), ["h*"]);
    assert_eq!(listing["messages"][0]["ext"], json!({"checked": true}));
    wait_for(&app, 1, "event=chat").await;
    let after = post_body(&post.hits(), "chat", "bob");
    assert_eq!(after["payload"]["bodies"][0]["msg"], "h*");

    pre.answer_body(br#"{"valid": true, "payload": {"msg": "plain", "type": "txt"}}"#);
    client_send(&app, "", &text_from_alice("bob", "chat")).await;
    assert_eq!(journal_texts(&app).await, ["h*", "plain"]);
}

#[tokio::test]
async fn a_late_or_malformed_answer_follows_the_rules_failure_policy() {
    let silent = Receiver::start(0).await;
    let post = Receiver::start(200).await;
    let msg = text_from_alice("bob", "chat");
    let app = pre_app(&silent, &post, json!({"timeout_ms": 100})).await;
    let (_, answer) = client_send(&app, "", &msg).await;
    assert_eq!(answer["sent"], true, "pass by default: {answer}");
    let listed = callbacks(&app, "event=pre_send").await;
    assert_eq!(listed["callbacks"][0]["outcome"], "timeout");
    assert_eq!(journal_texts(&app).await, ["hi"]);

    let extra = json!({"timeout_ms": 100, "on_failure": "block"});
    let app = pre_app(&silent, &post, extra).await;
    let (_, answer) = client_send(&app, "", &msg).await;
    assert_eq!(answer["sent"], false, "{answer}");
    assert_eq!(
        answer["error"],
        json!({"code": 508, "name": "MESSAGE_EXTERNAL_LOGIC_BLOCKED",
            "message": "custom internal error"})
    );
    assert!(journal_texts(&app).await.is_empty());

    let malformed = Receiver::start_json(200, json!({"valid": "yes"})).await;
    let app = pre_app(&malformed, &post, json!({"on_failure": "block"})).await;
    let (_, answer) = client_send(&app, "", &msg).await;
    assert_eq!(answer["error"]["message"], "custom internal error");
    malformed.answer(500);
    malformed.answer_body(br#"{"valid": true}"#);
    let (_, answer) = client_send(&app, "", &msg).await;
    assert_eq!(
        answer["error"]["message"], "custom internal error",
        "not a 200"
    );
}

#[tokio::test]
async fn a_rule_asks_only_about_the_conversations_it_lists() {
    let pre = Receiver::start_json(200, json!({"valid": false})).await;
    let post = Receiver::start(200).await;
    let app = pre_app(&pre, &post, json!({"chat_types": ["groupchat"]})).await;
    let (status, answer) = client_send(&app, "", &text_from_alice("bob", "chat")).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["sent"], true);
    assert_eq!(answer["callback"], Value::Null);
    assert!(pre.hits().is_empty());
}

#[tokio::test]
async fn a_bad_client_message_is_a_400_and_an_unknown_name_a_404() {
    let app = app_with(json!([])).await;
    let bad = [
        json!({"from": "alice", "to": "bob", "type": "txt"}),
        json!({"from": "alice", "to": "bob", "type": "gif", "body": {"msg": "x"}}),
        json!({"from": "alice", "to": "bob", "type": "txt", "body": {"msg": "x"},
            "chat_type": "single"}),
        json!({"from": "alice", "to": "bob", "type": "txt", "body": {"msg": "x"}, "ext": 1}),
        json!({"to": "bob", "type": "txt", "body": {"msg": "x"}}),
    ];
    for body in bad {
        let (status, answer) = client_send(&app, "", &body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {answer}");
    }
    let missing = [
        ("", text_from_alice("nobody", "chat")),
        ("", text_from_alice("123", "groupchat")),
        ("", text_from_alice("123", "chatroom")),
        ("?tenant=demo%23nothing", text_from_alice("bob", "chat")),
    ];
    for (query, body) in missing {
        let (status, answer) = client_send(&app, query, &body).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{query} {body}: {answer}");
    }
}

#[tokio::test]
async fn a_sender_outside_the_group_or_muted_in_it_is_refused_before_any_callback() {
    let pre = Receiver::start_json(200, json!({"valid": true})).await;
    let post = Receiver::start(200).await;
    let app = pre_app(&pre, &post, json!({})).await;
    let token = app.app_token().await;
    let group = app.create_group(&token, "alice", &["bob"]).await;
    let room = app.create_room(&token, "alice", &["bob"]).await;
    let from_carol = |to: &str, chat_type: &str| {
        let mut body = text_from_alice(to, chat_type);
        body["from"] = json!("carol");
        body
    };
    let (_, answer) = client_send(&app, "", &from_carol(&group, "groupchat")).await;
    assert_eq!(answer["sent"], false, "{answer}");
    assert_eq!(answer["error"]["code"], 602);
    assert_eq!(answer["error"]["name"], "GROUP_NOT_JOINED");
    assert_eq!(answer["callback"], Value::Null);
    let (_, answer) = client_send(&app, "", &from_carol(&room, "chatroom")).await;
    assert_eq!(answer["error"]["name"], "CHATROOM_NOT_JOINED", "{answer}");

    let mute = json!({"usernames": ["bob"], "mute_duration": 60_000});
    let path = format!("/chatgroups/{group}/mute");
    ok_json(app.post(&path, Some(&token), &mute).await).await;
    let mut from_bob = text_from_alice(&group, "groupchat");
    from_bob["from"] = json!("bob");
    let (_, answer) = client_send(&app, "", &from_bob).await;
    assert_eq!(answer["error"]["name"], "USER_MUTED", "{answer}");
    assert!(pre.hits().is_empty());
    assert!(journal_texts(&app).await.is_empty());
}
