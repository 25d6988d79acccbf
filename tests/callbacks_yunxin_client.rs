//! Yunxin's third-party callback (第三方回调) as the application server receives it: a message
//! sent through `POST /_emulator/yunxin/client-send`, as a client SDK sends it, is POSTed to
//! the app's `third_party_callback_url` before it is delivered, signed with `AppKey`, `CurTime`
//! (milliseconds), `MD5` of the raw body and `CheckSum` = sha1(AppSecret + MD5 + CurTime),
//! verified here with the test's own hashing; the answer lets it pass, blocks it (403 or a
//! custom code), rewrites it or gives the sender `callbackExt`, and a callback that fails
//! applies the app's `third_party_callback_on_failure`. What passed is read back through the
//! v2 history API, the journal and the message copy.

mod common;
use common::control::{admin, callbacks, header_names, wait_for_callbacks as wait_for};
use common::receiver::{closed_url, Receiver};
use common::yunxin::{self as yx, Yx};
use common::*;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const KEY: &str = "cb-app";
const SECRET: &str = "cb-secret";

/// A server whose app `cb-app` (alice "Alice" and bob "Bob") has the callback `settings`.
async fn callback_app(settings: Value) -> TestApp {
    let mut tenant = json!({"app_key": KEY, "app_secret": SECRET});
    yx::merge(&mut tenant, settings);
    yx::spawn_yunxin(&yx::fixture_file(json!([tenant]))).await
}

/// `POST /_emulator/yunxin/client-send?{query}` with `body`: the status and the JSON answer.
async fn client_send(app: &TestApp, query: &str, body: &Value) -> (StatusCode, Value) {
    admin(
        app,
        Method::POST,
        &format!("/yunxin/client-send?{query}"),
        Some(body),
    )
    .await
}

/// A text message from alice's Android phone to bob.
fn text_to_bob(text: &str) -> Value {
    json!({
        "from": "alice", "conversation_type": 1, "to": "bob", "client_type": "AOS",
        "device_id": "phone-1", "client_ip": "10.0.0.7", "client_port": 50123,
        "message": {"message_type": 0, "text": text, "message_client_id": "c-1"}
    })
}

/// The answer's error, once the send was refused.
fn blocked(answer: &Value) -> (i64, &str) {
    assert_eq!(answer["sent"], false, "{answer}");
    let error = &answer["error"];
    (
        error["code"].as_i64().unwrap(),
        error["name"].as_str().unwrap(),
    )
}

#[tokio::test]
async fn a_passed_message_is_signed_carries_every_field_and_is_stored_with_its_device() {
    let receiver = Receiver::start_json(200, json!({"errCode": 0})).await;
    let url = format!("{}/callback", receiver.url);
    let app = callback_app(json!({"third_party_callback_url": url})).await;
    let mut body = text_to_bob("hello bob");
    body["extension"] = json!("{\"k\":1}");
    let (status, answer) = client_send(&app, &format!("tenant={KEY}"), &body).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["sent"], true, "{answer}");

    let hits = receiver.hits();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].path, "/callback");
    yx::assert_signed(
        &hits[0],
        "application/json; charset=utf-8",
        (KEY, SECRET),
        T0,
    );
    assert_eq!(
        hits[0].json(),
        json!({
            "body": "hello bob", "eventType": 1, "fromAccount": "alice", "fromClientType": "AOS",
            "fromDeviceId": "phone-1", "fromNick": "Alice", "msgTimestamp": T0.to_string(),
            "msgType": "TEXT", "msgidClient": "c-1", "to": "bob", "ext": "{\"k\":1}",
            "fromClientIp": "10.0.0.7", "fromClientPort": "50123"
        })
    );
    let message = &answer["message"];
    let id = message["message_server_id"].as_u64().expect("a server ID");
    assert_eq!(
        *message,
        json!({
            "conversation_id": "alice|1|bob", "message_server_id": id,
            "message_client_id": "c-1", "conversation_type": 1, "sender_id": "alice",
            "receiver_id": "bob", "message_type": 0, "create_time": T0,
            "sender_client_type": 1, "text": "hello bob", "extension": "{\"k\":1}"
        })
    );
    let yx = Yx::with_key(&app, KEY, SECRET);
    let history = yx.history_items(&yx::p2p("alice", "bob"), "").await;
    let mut listed = message.clone();
    listed.as_object_mut().unwrap().remove("conversation_id");
    assert_eq!(history, [listed]);

    let attempts = callbacks(&app, "event=third_party_callback").await;
    let a = &attempts["callbacks"][0];
    assert_eq!(attempts["total"], 1, "{attempts}");
    assert_eq!(a["callback"], answer["callback"]);
    assert_eq!(
        (&a["tenant"], &a["outcome"]),
        (&json!(KEY), &json!("delivered"))
    );
    let names = header_names(a);
    assert_eq!(
        names,
        ["Content-Type", "AppKey", "CurTime", "MD5", "CheckSum"]
    );
    let journal = app.journal("provider=yunxin").await;
    assert_eq!(journal["total"], 1, "{journal}");
}

#[tokio::test]
async fn the_request_defaults_to_the_peer_address_and_a_team_message_is_event_type_2() {
    let receiver = Receiver::start_json(200, json!({"errCode": 0})).await;
    let app = callback_app(json!({"third_party_callback_url": receiver.url})).await;
    let yx = Yx::with_key(&app, KEY, SECRET);
    let team = yx.create_team("alice", yx::ADVANCED, &["bob"]).await;
    let picture = json!({"url": "http://x/p.png", "ext": "png", "w": 10, "h": 20});
    let body = json!({
        "from": "bob", "conversation_type": 2, "to": team, "client_type": "web",
        "message": {"message_type": 1, "attachment": picture}
    });
    let (status, answer) = client_send(&app, &format!("tenant={KEY}"), &body).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["message"]["sender_client_type"], 16, "{answer}");
    assert_eq!(answer["message"]["team_id"], team, "{answer}");

    let mut sent = receiver.hits()[0].json();
    let attach: Value = serde_json::from_str(sent["attach"].as_str().unwrap()).unwrap();
    assert_eq!(attach, picture);
    let port = sent["fromClientPort"].as_str().unwrap().parse::<u16>();
    assert!(port.is_ok_and(|p| p > 0), "{sent}");
    for key in ["attach", "fromClientPort"] {
        sent.as_object_mut().unwrap().remove(key);
    }
    let client_id = answer["message"]["message_client_id"].clone();
    assert_eq!(
        sent,
        json!({
            "eventType": 2, "fromAccount": "bob", "fromClientType": "WEB", "fromDeviceId": "",
            "fromNick": "Bob", "msgTimestamp": T0.to_string(), "msgType": "PICTURE",
            "msgidClient": client_id, "to": team.to_string(), "fromClientIp": "127.0.0.1"
        })
    );
    let history = yx.history_items(&yx::team_cid("alice", team), "").await;
    assert_eq!(history.len(), 1);
    assert_eq!(history[0]["attachment"], picture);
}

#[tokio::test]
async fn a_blocking_answer_gives_403_or_its_custom_code_and_stores_nothing() {
    let receiver = Receiver::start_json(200, json!({"errCode": 1})).await;
    let copies = Receiver::start(200).await;
    let settings = json!({
        "third_party_callback_url": receiver.url, "message_copy_url": copies.url
    });
    let app = callback_app(settings).await;
    let (status, answer) = client_send(&app, "", &json!(null)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");

    let query = format!("tenant={KEY}");
    let (status, answer) = client_send(&app, &query, &text_to_bob("no")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(blocked(&answer), (403, "forbidden"));
    assert!(answer["callback"].is_u64(), "{answer}");

    receiver.answer_body(br#"{"errCode":1,"responseCode":20042}"#);
    let (_, answer) = client_send(&app, &query, &text_to_bob("no again")).await;
    assert_eq!(blocked(&answer), (20042, "custom"));
    // A code outside the app's custom range is the plain refusal.
    receiver.answer_body(br#"{"errCode":1,"responseCode":200}"#);
    let (_, answer) = client_send(&app, &query, &text_to_bob("and again")).await;
    assert_eq!(blocked(&answer), (403, "forbidden"));

    assert_eq!(receiver.hits().len(), 3);
    let yx = Yx::with_key(&app, KEY, SECRET);
    assert!(yx
        .history_items(&yx::p2p("alice", "bob"), "")
        .await
        .is_empty());
    assert_eq!(app.journal("provider=yunxin").await["total"], 0);
    // The only callbacks are the three third-party ones: no message copy.
    assert_eq!(callbacks(&app, "").await["total"], 3);
    assert!(copies.hits().is_empty());
}

#[tokio::test]
async fn a_modifying_answer_changes_the_stored_message_and_callback_ext_reaches_the_sender() {
    let reply = json!({
        "errCode": 0, "callbackExt": "checked-by-moderation",
        "modifyResponse": {"body": "h*llo", "ext": "{\"moderated\":true}"}
    });
    let receiver = Receiver::start_json(200, reply).await;
    let app = callback_app(json!({"third_party_callback_url": receiver.url})).await;
    let query = format!("tenant={KEY}");
    let (_, answer) = client_send(&app, &query, &text_to_bob("hello")).await;
    assert_eq!(answer["sent"], true, "{answer}");
    let message = &answer["message"];
    assert_eq!(message["text"], "h*llo");
    assert_eq!(message["extension"], "{\"moderated\":true}");
    assert_eq!(message["callback_extension"], "checked-by-moderation");

    let yx = Yx::with_key(&app, KEY, SECRET);
    let history = yx.history_items(&yx::p2p("alice", "bob"), "").await;
    assert_eq!(history.len(), 1);
    assert_eq!(
        (&history[0]["text"], &history[0]["extension"]),
        (&json!("h*llo"), &json!("{\"moderated\":true}"))
    );
    assert!(
        history[0].get("callback_extension").is_none(),
        "{}",
        history[0]
    );
    let journal = app.journal("provider=yunxin").await;
    let content = journal["messages"][0]["content"].to_string();
    assert!(content.contains("h*llo"), "{journal}");

    // modifyResponse as JSON text, as some servers write it, rewrites a custom attachment.
    let attach = json!({"card": 2});
    let text = json!({"attach": attach.to_string()}).to_string();
    receiver.answer_body(
        json!({"errCode": 0, "modifyResponse": text})
            .to_string()
            .as_bytes(),
    );
    let mut custom = text_to_bob("");
    custom["message"] = json!({"message_type": 100, "attachment": {"card": 1}});
    let (_, answer) = client_send(&app, &query, &custom).await;
    assert_eq!(answer["message"]["attachment"], attach, "{answer}");
    assert!(
        answer["message"].get("callback_extension").is_none(),
        "{answer}"
    );
}

#[tokio::test]
async fn a_callback_that_times_out_applies_the_apps_failure_policy() {
    let receiver = Receiver::start(0).await;
    let settings = json!({
        "third_party_callback_url": receiver.url, "third_party_callback_timeout_ms": 200
    });
    let app = callback_app(settings).await;
    let query = format!("tenant={KEY}");
    let (_, answer) = client_send(&app, &query, &text_to_bob("passes")).await;
    assert_eq!(answer["sent"], true, "{answer}");
    let attempts = wait_for(&app, 1, "event=third_party_callback").await;
    assert_eq!(attempts[0]["outcome"], "timeout");

    let block = json!({
        "provider": "yunxin", "name": "strict-app", "app_secret": SECRET,
        "third_party_callback_url": receiver.url, "third_party_callback_timeout_ms": 200,
        "third_party_callback_on_failure": "block"
    });
    let (status, created) = admin(&app, Method::POST, "/tenants", Some(&block)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let (_, answer) = client_send(&app, "tenant=strict-app", &text_to_bob("blocked")).await;
    assert_eq!(blocked(&answer), (403, "forbidden"));
    assert_eq!(receiver.hits().len(), 2);
    let strict = Yx::with_key(&app, "strict-app", SECRET);
    assert!(strict
        .history_items(&yx::p2p("alice", "bob"), "")
        .await
        .is_empty());
}

#[tokio::test]
async fn a_refused_connection_a_bad_status_and_an_unreadable_answer_are_failures() {
    let settings = json!({
        "third_party_callback_url": closed_url(), "third_party_callback_on_failure": "block"
    });
    let app = callback_app(settings).await;
    let query = format!("tenant={KEY}");
    let (_, answer) = client_send(&app, &query, &text_to_bob("refused")).await;
    assert_eq!(blocked(&answer), (403, "forbidden"));
    let attempts = wait_for(&app, 1, "outcome=failed").await;
    let error = attempts[0]["error"].as_str().unwrap();
    assert!(error.to_lowercase().contains("refused"), "{error}");

    let receiver = Receiver::start_json(500, json!({"errCode": 0})).await;
    let pass = json!({"provider": "yunxin", "name": "lenient-app", "third_party_callback_url": receiver.url});
    let (status, created) = admin(&app, Method::POST, "/tenants", Some(&pass)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let (_, answer) = client_send(&app, "tenant=lenient-app", &text_to_bob("500")).await;
    assert_eq!(answer["sent"], true, "passes by default: {answer}");
    receiver.answer(200);
    receiver.answer_body(b"not json");
    let mut second = text_to_bob("unreadable");
    second["message"]["message_client_id"] = json!("c-2");
    let (_, answer) = client_send(&app, "tenant=lenient-app", &second).await;
    assert_eq!(answer["sent"], true, "{answer}");
    let lenient = Yx::with_key(&app, "lenient-app", yx::APP_SECRET);
    let history = lenient.history_items(&yx::p2p("alice", "bob"), "").await;
    assert_eq!(history.len(), 2);
}

#[tokio::test]
async fn without_a_callback_url_the_message_is_sent_directly_to_the_default_app() {
    let app = yx::pinned().await;
    let (status, answer) = client_send(&app, "", &text_to_bob("direct")).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["sent"], true, "{answer}");
    assert_eq!(answer["callback"], Value::Null);
    assert_eq!(answer["message"]["sender_client_type"], 1);
    let history = Yx::new(&app)
        .history_items(&yx::p2p("bob", "alice"), "")
        .await;
    assert_eq!(history.len(), 1);
    assert_eq!(history[0]["text"], "direct");
    assert_eq!(callbacks(&app, "").await["total"], 0);

    // A state document keeps the device: restored, the history still shows it.
    let (status, state) = admin(&app, Method::GET, "/state", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(app.reset("").await.status(), 200);
    assert!(Yx::new(&app)
        .history_items(&yx::p2p("bob", "alice"), "")
        .await
        .is_empty());
    let (status, restored) = admin(&app, Method::PUT, "/state", Some(&state)).await;
    assert_eq!(status, StatusCode::OK, "{restored}");
    let history = Yx::new(&app)
        .history_items(&yx::p2p("bob", "alice"), "")
        .await;
    assert_eq!(history[0]["sender_client_type"], 1, "{history:?}");
}

#[tokio::test]
async fn the_message_copy_of_a_client_sent_message_names_the_device() {
    let receiver = Receiver::start_json(200, json!({"errCode": 0})).await;
    let copies = Receiver::start(200).await;
    let settings = json!({
        "third_party_callback_url": receiver.url, "message_copy_url": copies.url
    });
    let app = callback_app(settings).await;
    let (_, answer) = client_send(&app, &format!("tenant={KEY}"), &text_to_bob("copied")).await;
    let id = answer["message"]["message_server_id"].as_u64().unwrap();

    wait_for(&app, 1, "event=message_copy").await;
    let hits = copies.hits();
    assert_eq!(hits.len(), 1);
    yx::assert_signed(&hits[0], "application/json", (KEY, SECRET), T0);
    assert_eq!(
        hits[0].json(),
        json!({
            "eventType": "1", "convType": "PERSON", "to": "bob", "fromAccount": "alice",
            "fromClientType": "AOS", "fromDeviceId": "phone-1", "fromNick": "Alice",
            "msgTimestamp": T0.to_string(), "msgType": "TEXT", "body": "copied",
            "msgidClient": "c-1", "msgidServer": id.to_string(), "resendFlag": "0",
            "ip": "10.0.0.7"
        })
    );
}

#[tokio::test]
async fn a_sender_the_receiver_blocked_goes_through_the_callback_and_gets_7101() {
    let receiver = Receiver::start_json(200, json!({"errCode": 0})).await;
    let app = callback_app(json!({"third_party_callback_url": receiver.url})).await;
    Yx::with_key(&app, KEY, SECRET).block("bob", "alice").await;
    let (_, answer) = client_send(&app, &format!("tenant={KEY}"), &text_to_bob("hi")).await;
    assert_eq!(blocked(&answer), (7101, "in_block_list"));
    assert_eq!(receiver.hits().len(), 1);
    receiver.answer_body(br#"{"errCode":1}"#);
    let (_, answer) = client_send(&app, &format!("tenant={KEY}"), &text_to_bob("hi")).await;
    assert_eq!(blocked(&answer), (403, "forbidden"));
}

#[tokio::test]
async fn unknown_apps_accounts_and_teams_are_404_and_malformed_bodies_400_before_any_callback() {
    let receiver = Receiver::start_json(200, json!({"errCode": 0})).await;
    let app = callback_app(json!({"third_party_callback_url": receiver.url})).await;
    let query = format!("tenant={KEY}");
    let (status, _) = client_send(&app, "tenant=nope", &text_to_bob("x")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let mut unknown = text_to_bob("x");
    unknown["to"] = json!("nobody");
    let (status, answer) = client_send(&app, &query, &unknown).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{answer}");
    let team = json!({"from": "alice", "conversation_type": 2, "to": 99, "client_type": "IOS",
        "message": {"message_type": 0, "text": "x"}});
    let (status, answer) = client_send(&app, &query, &team).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{answer}");

    let malformed = [
        json!({"from": "alice", "conversation_type": 1, "to": "bob", "client_type": "REST",
            "message": {"message_type": 0, "text": "x"}}),
        json!({"from": "alice", "conversation_type": 3, "to": "bob", "client_type": "AOS",
            "message": {"message_type": 0, "text": "x"}}),
        json!({"from": "alice", "conversation_type": 1, "to": "bob", "client_type": "AOS",
            "message": {"message_type": 0}}),
        json!({"conversation_type": 1, "to": "bob", "client_type": "AOS",
            "message": {"message_type": 0, "text": "x"}}),
        json!([1, 2]),
    ];
    for body in &malformed {
        let (status, answer) = client_send(&app, &query, body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {answer}");
    }
    assert!(receiver.hits().is_empty());
}

#[tokio::test]
async fn the_callback_settings_are_checked_when_an_app_is_created() {
    let app = yx::pinned().await;
    for (field, value) in [
        ("third_party_callback_url", json!("ftp://x/cb")),
        ("third_party_callback_timeout_ms", json!(0)),
        ("third_party_callback_on_failure", json!("maybe")),
        ("third_party_callback_codes", json!([20099, 20000])),
    ] {
        let mut bad = json!({"provider": "yunxin", "name": "bad-cb"});
        bad[field] = value;
        let (status, body) = admin(&app, Method::POST, "/tenants", Some(&bad)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{field}: {body}");
        let message = body["message"].as_str().unwrap();
        assert!(
            message.contains(field) || message.contains("maybe"),
            "{field}: {body}"
        );
    }
    let good = json!({
        "provider": "yunxin", "name": "good-cb", "third_party_callback_url": "http://127.0.0.1:9/cb",
        "third_party_callback_timeout_ms": 500, "third_party_callback_on_failure": "block",
        "third_party_callback_codes": [30000, 30010]
    });
    let (status, body) = admin(&app, Method::POST, "/tenants", Some(&good)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}
