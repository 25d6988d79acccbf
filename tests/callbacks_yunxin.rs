//! Yunxin's message copy (消息抄送) as the application server receives it: a POST of every
//! message sent through the API to the app's `message_copy_url`, signed with `AppKey`,
//! `CurTime` (milliseconds), `MD5` of the raw body and `CheckSum` = sha1(AppSecret + MD5 +
//! CurTime), verified here with the test's own hashing; its retries, timeout and failures as
//! `GET /_emulator/callbacks` lists them, none of which changes the send's answer.

mod common;
use common::control::{admin, callbacks, header_names, wait_for_callbacks as wait_for};
use common::receiver::{closed_url, Hit, Receiver};
use common::yunxin::{self as yx, Yx};
use common::*;

use im_emulator::config::Config;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const KEY: &str = "copy-app";
const SECRET: &str = "copy-secret";

/// A server whose app `copy-app` (alice "Alice" and bob "Bob") has the copy `settings`.
async fn copy_app(settings: Value) -> TestApp {
    copy_app_with(settings, Config::default()).await
}

async fn copy_app_with(settings: Value, config: Config) -> TestApp {
    let mut tenant = json!({"app_key": KEY, "app_secret": SECRET});
    yx::merge(&mut tenant, settings);
    yx::spawn_yunxin_with(&yx::fixture_file(json!([tenant])), config).await
}

#[tokio::test]
async fn a_text_message_copy_is_signed_over_its_raw_bytes_and_carries_every_field() {
    let receiver = Receiver::start(200).await;
    let app = copy_app(json!({"message_copy_url": format!("{}/copy", receiver.url)})).await;
    let yx = Yx::with_key(&app, KEY, SECRET);
    let mut send = yx::text_body("hello bob");
    yx::merge(&mut send, json!({"extension": "{\"k\":1}"}));
    send["message"]["message_client_id"] = json!("client-1");
    let sent = yx::ok(yx.send(&yx::p2p("alice", "bob"), &send).await).await;

    let attempts = wait_for(&app, 1, "provider=yunxin").await;
    let hits = receiver.hits();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].path, "/copy");
    yx::assert_signed(&hits[0], "application/json", (KEY, SECRET), T0);
    let server_id = sent["message_server_id"].as_u64().unwrap().to_string();
    assert_eq!(
        hits[0].json(),
        json!({
            "eventType": "1", "convType": "PERSON", "to": "bob", "fromAccount": "alice",
            "fromClientType": "REST", "fromDeviceId": "", "fromNick": "Alice",
            "msgTimestamp": T0.to_string(), "msgType": "TEXT", "body": "hello bob",
            "msgidClient": "client-1", "msgidServer": server_id, "resendFlag": "0",
            "ext": "{\"k\":1}"
        })
    );
    let a = &attempts[0];
    assert_eq!(
        (
            &a["provider"],
            &a["tenant"],
            &a["event"],
            &a["attempt"],
            &a["outcome"]
        ),
        (
            &json!("yunxin"),
            &json!(KEY),
            &json!("message_copy"),
            &json!(1),
            &json!("delivered")
        )
    );
    assert_eq!(a["url"], format!("{}/copy", receiver.url));
    assert_eq!(a["response"]["status"], 200);
    assert_eq!(a["response"]["body"], "receiver answer");
    assert_eq!(
        a["request"]["body"],
        String::from_utf8(hits[0].body.clone()).unwrap()
    );
    let names = header_names(a);
    assert_eq!(
        names,
        ["Content-Type", "AppKey", "CurTime", "MD5", "CheckSum"]
    );
}

#[tokio::test]
async fn media_and_custom_team_messages_are_copied_with_their_attachment_as_json_text() {
    let receiver = Receiver::start(200).await;
    let app = copy_app(json!({"message_copy_url": receiver.url})).await;
    let yx = Yx::with_key(&app, KEY, SECRET);
    let team = yx.create_team("alice", yx::ADVANCED, &["bob"]).await;
    let sup = yx.create_team("alice", yx::SUPER, &["bob"]).await;
    let picture = json!({"url": "http://x/p.png", "ext": "png", "w": 10, "h": 20});
    let image = yx::message_body(json!({"message_type": 1, "attachment": picture}));
    let custom_attach = json!({"kind": "card", "n": [1, 2]});
    let custom = yx::message_body(json!({"message_type": 100, "attachment": custom_attach}));
    let first = yx::ok(yx.send(&yx::team_cid("bob", team), &image).await).await;
    let second = yx::ok(yx.send(&yx::super_cid("bob", sup), &custom).await).await;

    wait_for(&app, 2, "outcome=delivered").await;
    let hits = receiver.hits();
    assert_eq!(hits.len(), 2);
    let bodies: Vec<Value> = hits.iter().map(Hit::json).collect();
    let by_id = |sent: &Value| {
        let id = sent["message_server_id"].as_u64().unwrap().to_string();
        (bodies.iter().find(|b| b["msgidServer"] == id.as_str()))
            .unwrap_or_else(|| panic!("no copy of {id}: {bodies:?}"))
            .clone()
    };
    for (sent, conv, to, kind, attach) in [
        (&first, "TEAM", team, "PICTURE", &picture),
        (&second, "SUPER_TEAM", sup, "CUSTOM", &custom_attach),
    ] {
        let mut copy = by_id(sent);
        let text = copy["attach"]
            .as_str()
            .expect("attach is JSON text")
            .to_owned();
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), *attach);
        copy.as_object_mut().unwrap().remove("attach");
        assert_eq!(
            copy,
            json!({
                "eventType": "1", "convType": conv, "to": to.to_string(), "fromAccount": "bob",
                "fromClientType": "REST", "fromDeviceId": "", "fromNick": "Bob",
                "msgTimestamp": T0.to_string(), "msgType": kind,
                "msgidClient": sent["message_client_id"], "msgidServer": sent["message_server_id"].as_u64().unwrap().to_string(),
                "resendFlag": "0"
            })
        );
    }
    for hit in &hits {
        yx::assert_signed(hit, "application/json", (KEY, SECRET), T0);
    }
}

#[tokio::test]
async fn a_batch_send_copies_each_message_it_stored() {
    let receiver = Receiver::start(200).await;
    let app = copy_app(json!({"message_copy_url": receiver.url})).await;
    let yx = Yx::with_key(&app, KEY, SECRET);
    yx.create_account("carol").await;
    let body = json!({
        "sender_id": "alice", "receiver_ids": ["bob", "carol", "nobody"],
        "message": {"message_type": 0, "text": "to all"}
    });
    let sent = yx::ok(yx.post("/conversations/messages", &body).await).await;
    assert_eq!(sent["failed_list"].as_array().unwrap().len(), 1, "{sent}");

    wait_for(&app, 2, "").await;
    let mut to: Vec<String> = (receiver.hits().iter())
        .map(|h| h.json()["to"].as_str().unwrap().to_owned())
        .collect();
    to.sort();
    assert_eq!(to, ["bob", "carol"]);
}

#[tokio::test]
async fn nothing_is_copied_for_an_app_without_a_copy_url_or_a_send_that_turns_routing_off() {
    let receiver = Receiver::start(200).await;
    let app = copy_app(json!({"message_copy_url": receiver.url})).await;
    yx::Yx::new(&app)
        .send_text(&yx::p2p("alice", "bob"), "demo app")
        .await;
    let yx = Yx::with_key(&app, KEY, SECRET);
    let mut off = yx::text_body("not routed");
    yx::merge(&mut off, json!({"route_config": {"route_enabled": false}}));
    yx::ok(yx.send(&yx::p2p("alice", "bob"), &off).await).await;
    let mut on = yx::text_body("routed");
    yx::merge(&mut on, json!({"route_config": {"route_enabled": true}}));
    yx::ok(yx.send(&yx::p2p("alice", "bob"), &on).await).await;

    wait_for(&app, 1, "").await;
    let listing = callbacks(&app, "").await;
    assert_eq!(listing["total"], 1, "{listing}");
    let hits = receiver.hits();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].json()["body"], "routed");
}

#[tokio::test]
async fn a_copy_answered_500_is_retried_as_configured_and_both_attempts_are_listed_rejected() {
    let receiver = Receiver::start(500).await;
    let settings = json!({"message_copy_url": receiver.url, "message_copy_retries": 1});
    let app = copy_app(settings).await;
    let yx = Yx::with_key(&app, KEY, SECRET);
    let sent = yx
        .send(&yx::p2p("alice", "bob"), &yx::text_body("hi"))
        .await;
    assert_eq!(sent.status(), 200);
    assert_eq!(yx::ok(sent).await["text"], "hi");

    let attempts = wait_for(&app, 2, "outcome=rejected").await;
    assert_eq!(attempts.len(), 2);
    assert_eq!(attempts[0]["callback"], attempts[1]["callback"]);
    assert_eq!(
        (&attempts[0]["attempt"], &attempts[1]["attempt"]),
        (&json!(1), &json!(2))
    );
    assert!(attempts.iter().all(|a| a["response"]["status"] == 500));
    let hits = receiver.hits();
    assert_eq!(hits.len(), 2);
    assert_eq!(hits[0].body, hits[1].body);
}

#[tokio::test]
async fn a_receiver_that_never_answers_times_out_without_delaying_the_send() {
    let receiver = Receiver::start(0).await;
    let settings = json!({"message_copy_url": receiver.url, "message_copy_timeout_ms": 1500});
    let app = copy_app(settings).await;
    let yx = Yx::with_key(&app, KEY, SECRET);
    let sent = yx
        .send(&yx::p2p("alice", "bob"), &yx::text_body("hi"))
        .await;
    assert_eq!(yx::ok(sent).await["text"], "hi");
    // The send answered before its copy could time out.
    assert_eq!(callbacks(&app, "").await["total"], 0);

    let attempts = wait_for(&app, 1, "").await;
    assert_eq!(attempts[0]["outcome"], "timeout");
    assert_eq!(attempts[0]["response"], Value::Null);
    assert_eq!(receiver.hits().len(), 1);
}

#[tokio::test]
async fn a_refused_connection_and_an_https_url_are_listed_failed_with_their_reason() {
    let app = copy_app(json!({"message_copy_url": closed_url()})).await;
    let yx = Yx::with_key(&app, KEY, SECRET);
    assert_eq!(
        yx.send_text(&yx::p2p("alice", "bob"), "hi").await["text"],
        "hi"
    );
    let attempts = wait_for(&app, 1, "outcome=failed").await;
    let error = attempts[0]["error"].as_str().unwrap();
    assert!(error.to_lowercase().contains("refused"), "{error}");

    let https = json!({"provider": "yunxin", "name": "tls-app", "message_copy_url": "https://example.com/copy"});
    let (status, body) = admin(&app, Method::POST, "/tenants", Some(&https)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let tls = Yx::with_key(&app, "tls-app", yx::APP_SECRET);
    tls.create_account("dan").await;
    tls.create_account("eve").await;
    tls.send_text(&yx::p2p("dan", "eve"), "hi").await;
    let attempts = wait_for(&app, 1, "tenant=tls-app").await;
    assert_eq!(attempts[0]["outcome"], "failed");
    let error = attempts[0]["error"].as_str().unwrap();
    assert!(error.contains("not supported"), "{error}");
}

#[tokio::test]
async fn a_copy_url_that_is_not_http_is_refused_when_the_app_is_created() {
    let app = yx::pinned().await;
    let bad = json!({"provider": "yunxin", "name": "bad-copy", "message_copy_url": "ftp://x/copy"});
    let (status, body) = admin(&app, Method::POST, "/tenants", Some(&bad)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("message_copy_url"),
        "{body}"
    );
}
