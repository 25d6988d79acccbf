//! Live events `GET /_emulator/events`: messages of all four providers in journal order, calls
//! as they are logged, the filters and `kinds`, resuming with `Last-Event-ID`, and a subscriber
//! that fell behind told why.

mod common;
use common::anqicms::Site;
use common::control::{admin, Events};
use common::openim::{self as im, Im};
use common::yunxin::{p2p, text_body, Yx};
use common::*;

use im_emulator::config::Config;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// Sends one message on each provider, in the order easemob, openim, yunxin, anqicms.
async fn one_message_each(app: &TestApp) {
    let token = app.app_token().await;
    let resp = app
        .send_text(&token, "admin", &["u1"], "from easemob")
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let openim = Im::new(app);
    let admin_token = openim.admin_token().await;
    openim
        .register(&admin_token, &[("u1", "U1"), ("u2", "U2")])
        .await;
    openim
        .send_ok(&admin_token, &im::text("u1", "u2", "from openim"))
        .await;
    let resp = Yx::new(app)
        .send(&p2p("alice", "bob"), &text_body("from yunxin"))
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let site = Site::new(app);
    let alice = site.alice().await;
    let order = site.create_order(&alice, "an order").await;
    site.say(&alice, order, "from anqicms").await;
}

#[tokio::test]
async fn a_subscriber_receives_the_messages_of_all_four_providers_in_order() {
    let app = spawn_app().await;
    let mut events = Events::subscribe(&app, "kinds=messages", None).await;
    one_message_each(&app).await;
    let got = events.take(4).await;
    let providers: Vec<Value> = got.iter().map(|e| e.data["provider"].clone()).collect();
    assert_eq!(
        providers,
        [
            json!("easemob"),
            json!("openim"),
            json!("yunxin"),
            json!("anqicms")
        ]
    );
    assert!(got.iter().all(|e| e.event == "message"));
    let seqs: Vec<u64> = got
        .iter()
        .map(|e| e.data["seq"].as_u64().unwrap())
        .collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
    assert_eq!(got[0].data["to"], "u1");
    assert_eq!(got[3].data["content"], "from anqicms");
    let journal = app.journal("").await;
    assert_eq!(
        journal["messages"][0]["seq"], got[0].data["seq"],
        "the same records"
    );
}

#[tokio::test]
async fn calls_are_sent_after_the_messages_they_made() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    let mut events = Events::subscribe(&app, "provider=easemob", None).await;
    app.send_text(&token, "admin", &["u1"], "hello").await;
    let got = events.take(2).await;
    assert_eq!(
        (got[0].event.as_str(), got[1].event.as_str()),
        ("message", "request")
    );
    assert_eq!(got[1].data["path"], "/demo/chat/messages/users");
    assert_eq!(got[1].data["status"], 200);
}

#[tokio::test]
async fn filters_and_kinds_pick_what_is_sent() {
    let app = spawn_app().await;
    let mut events =
        Events::subscribe(&app, "kinds=requests&provider=openim&failed=true", None).await;
    one_message_each(&app).await;
    let url = format!("{}/msg/send_msg", app.url);
    app.client.post(url).body("{}").send().await.unwrap();
    let got = events.next().await.unwrap();
    assert_eq!(got.event, "request");
    assert_eq!(got.data["provider"], "openim");
    assert_eq!(got.data["error"]["name"], "ArgsError");
}

#[tokio::test]
async fn last_event_id_resumes_after_the_last_event_seen() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    let mut first = Events::subscribe(&app, "kinds=messages", None).await;
    app.send_text(&token, "admin", &["u1"], "one").await;
    let seen = first.next().await.unwrap();
    drop(first);
    app.send_text(&token, "admin", &["u1"], "two").await;
    app.send_text(&token, "admin", &["u1"], "three").await;
    let mut again = Events::subscribe(&app, "kinds=messages", Some(&seen.id)).await;
    let got = again.take(2).await;
    let texts: Vec<Value> = got
        .iter()
        .map(|e| e.data["content"]["msg"].clone())
        .collect();
    assert_eq!(texts, [json!("two"), json!("three")]);
}

#[tokio::test]
async fn a_subscriber_that_fell_behind_the_log_is_told_why_and_closed() {
    let app = spawn_with(Config {
        max_requests: 8,
        ..Config::default()
    })
    .await;
    for _ in 0..30 {
        app.get("/users", None).await;
    }
    let mut events = Events::subscribe(&app, "kinds=requests", Some("0.0")).await;
    let dropped = events.next().await.unwrap();
    assert_eq!(dropped.event, "dropped");
    assert!(
        dropped.data["reason"]
            .as_str()
            .unwrap()
            .contains("fell behind"),
        "{:?}",
        dropped.data
    );
    assert!(events.next().await.is_none(), "the stream ends");
}

#[tokio::test]
async fn bad_subscriptions_are_refused_in_the_admin_envelope() {
    let app = spawn_app().await;
    for query in ["kinds=everything", "status=9xx", "colour=red"] {
        let (status, body) = admin(&app, Method::GET, &format!("/events?{query}"), None).await;
        assert_eq!(
            (status, body["error"].clone()),
            (StatusCode::BAD_REQUEST, json!("bad_request")),
            "{query}"
        );
    }
}

#[tokio::test]
async fn a_subscriber_resuming_from_a_tenants_listing_misses_nothing_made_after_it() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    let resp = app.send_text(&token, "alice", &["bob"], "before").await;
    assert_eq!(resp.status(), StatusCode::OK);
    let listing = app
        .client
        .get(format!("{}/_emulator/tenants", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(listing.status(), StatusCode::OK);
    let position = listing.headers()["last-event-id"]
        .to_str()
        .unwrap()
        .to_owned();
    let resp = app.send_text(&token, "alice", &["bob"], "after").await;
    assert_eq!(resp.status(), StatusCode::OK);
    let mut events = Events::subscribe(&app, "kinds=messages,requests", Some(&position)).await;
    let got = events.take(2).await;
    assert_eq!(got[0].event, "message");
    assert_eq!(got[0].data["content"]["msg"], "after", "{:?}", got[0]);
    assert_eq!(got[1].event, "request");
    assert_eq!(got[1].data["path"], "/demo/chat/messages/users");
}
