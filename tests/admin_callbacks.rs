//! `GET /_emulator/callbacks` and `POST /_emulator/callbacks/{callback}/replay`: the attempts
//! store as a test suite reads it (long-polled, filtered, bounded by `--max-callbacks`, cleared
//! by a reset), a callback sent again byte for byte, attempts streamed as live events
//! (`event: callback`, resumed with `Last-Event-ID`), and refusals of bad input. Yunxin's
//! message copy is the callback fired here.

mod common;
use common::control::{admin, callbacks, wait_for_callbacks as wait_for, Events};
use common::receiver::Receiver;
use common::yunxin::{self as yx, Yx};
use common::*;

use im_emulator::config::Config;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const KEY: &str = "copy-app";
const SECRET: &str = "copy-secret";

/// A server whose app `copy-app` copies its messages to `receiver`.
async fn copy_app(receiver: &Receiver, config: Config) -> TestApp {
    let tenant = json!({"app_key": KEY, "app_secret": SECRET, "message_copy_url": receiver.url});
    yx::spawn_yunxin_with(&yx::fixture_file(json!([tenant])), config).await
}

async fn send(app: &TestApp, text: &str) {
    let yx = Yx::with_key(app, KEY, SECRET);
    yx.send_text(&yx::p2p("alice", "bob"), text).await;
}

#[tokio::test]
async fn a_replayed_callback_sends_the_same_bytes_and_headers_as_a_new_callback() {
    let receiver = Receiver::start(200).await;
    let app = copy_app(&receiver, Config::default()).await;
    send(&app, "once").await;
    let first = wait_for(&app, 1, "").await;
    let callback = first[0]["callback"].as_u64().unwrap();

    let (status, body) = admin(
        &app,
        Method::POST,
        &format!("/callbacks/{callback}/replay"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    let again = body["callback"].as_u64().unwrap();
    assert_ne!(again, callback);
    let replayed = wait_for(&app, 1, &format!("after={}", first[0]["id"])).await;
    assert_eq!(replayed[0]["callback"], again);
    assert_eq!(replayed[0]["outcome"], "delivered");
    let hits = receiver.hits();
    assert_eq!(hits.len(), 2);
    assert_eq!(hits[0].body, hits[1].body);
    assert_eq!(hits[0].headers.len(), hits[1].headers.len());
    for name in ["appkey", "curtime", "md5", "checksum"] {
        assert_eq!(hits[0].header(name), hits[1].header(name), "{name}");
    }
}

#[tokio::test]
async fn replaying_a_callback_that_is_not_kept_is_404() {
    let app = spawn_app().await;
    let (status, body) = admin(&app, Method::POST, "/callbacks/99/replay", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert_eq!(body["error"], "not_found", "{body}");
    assert!(body["message"].is_string(), "{body}");
}

#[tokio::test]
async fn a_reset_clears_the_listing() {
    let receiver = Receiver::start(200).await;
    let app = copy_app(&receiver, Config::default()).await;
    send(&app, "before reset").await;
    wait_for(&app, 1, "").await;
    assert_eq!(app.reset("").await.status(), 200);
    let listing = callbacks(&app, "").await;
    assert_eq!(
        (&listing["total"], &listing["stored"]),
        (&json!(0), &json!(0)),
        "{listing}"
    );
}

#[tokio::test]
async fn the_store_keeps_at_most_max_callbacks_attempts_and_counts_what_it_evicted() {
    let receiver = Receiver::start(200).await;
    let config = Config {
        max_callbacks: 3,
        ..Config::default()
    };
    let app = copy_app(&receiver, config).await;
    for i in 0..5 {
        send(&app, &format!("m{i}")).await;
    }
    wait_for(&app, 3, "after=2").await;
    let listing = callbacks(&app, "").await;
    let ids: Vec<&Value> = listing["callbacks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| &a["id"])
        .collect();
    assert_eq!(ids, [&json!(3), &json!(4), &json!(5)], "{listing}");
    assert_eq!(
        (&listing["stored"], &listing["evicted"], &listing["max"]),
        (&json!(3), &json!(2), &json!(3))
    );
    let health = app.health().await;
    assert_eq!(health["callbacks"]["stored"], 3, "{health}");
    assert_eq!(health["callbacks"]["evicted"], 2, "{health}");
    assert_eq!(health["callbacks"]["max"], 3, "{health}");
    assert_eq!(health["callbacks"]["queued"], 0, "{health}");
    assert_eq!(
        health["callbacks"]["outcomes"],
        json!({"delivered": 5, "rejected": 0, "timeout": 0, "failed": 0, "dropped": 0}),
        "every attempt counted, evicted or kept"
    );
}

#[tokio::test]
async fn the_listing_filters_by_provider_tenant_event_and_outcome() {
    let receiver = Receiver::start(200).await;
    let app = copy_app(&receiver, Config::default()).await;
    send(&app, "one").await;
    wait_for(&app, 1, "").await;
    for (query, total) in [
        ("provider=yunxin", 1),
        ("provider=easemob", 0),
        ("tenant=copy-app", 1),
        ("tenant=demo-appkey", 0),
        ("event=message_copy", 1),
        ("event=other", 0),
        ("outcome=delivered", 1),
        ("outcome=rejected", 0),
    ] {
        assert_eq!(callbacks(&app, query).await["total"], total, "{query}");
    }
}

#[tokio::test]
async fn bad_listing_parameters_are_refused_with_400() {
    let app = spawn_app().await;
    for query in ["outcome=lost", "after=x", "nope=1", "limit=-1"] {
        let (status, body) = admin(&app, Method::GET, &format!("/callbacks?{query}"), None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {body}");
        assert_eq!(body["error"], "bad_request", "{query}: {body}");
    }
    let (status, _) = admin(&app, Method::DELETE, "/callbacks", None).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn attempts_are_streamed_as_callback_events_after_the_call_that_fired_them() {
    let receiver = Receiver::start(500).await;
    let tenant = json!({"app_key": KEY, "app_secret": SECRET,
        "message_copy_url": receiver.url, "message_copy_retries": 1});
    let app = yx::spawn_yunxin_with(&yx::fixture_file(json!([tenant])), Config::default()).await;
    let mut events =
        Events::subscribe(&app, "kinds=callbacks,requests&provider=yunxin", None).await;
    send(&app, "streamed").await;
    let got = events.take(3).await;
    // The call is logged once answered, and the copy may be tried before or after that.
    let calls = got.iter().filter(|e| e.event == "request").count();
    assert_eq!(calls, 1, "{got:?}");
    let got: Vec<_> = got.into_iter().filter(|e| e.event == "callback").collect();
    let listed = wait_for(&app, 2, "").await;
    for (event, attempt) in got.iter().zip(&listed) {
        assert_eq!(
            &event.data, attempt,
            "the same JSON as /_emulator/callbacks"
        );
    }
    assert_eq!(got[0].data["attempt"], 1);
    assert_eq!(got[1].data["attempt"], 2);
    assert_eq!(got[1].data["outcome"], "rejected");
    assert_eq!(got[1].data["response"]["status"], 500);
    let ids: Vec<Vec<u64>> = got
        .iter()
        .map(|e| e.id.split('.').map(|p| p.parse().unwrap()).collect())
        .collect();
    assert!(ids.iter().all(|id| id.len() == 3), "{ids:?}");
    assert_eq!(ids[1][2], listed[1]["id"].as_u64().unwrap());
}

#[tokio::test]
async fn last_event_id_resumes_callbacks_and_filters_pick_them() {
    let receiver = Receiver::start(200).await;
    let app = copy_app(&receiver, Config::default()).await;
    let mut first = Events::subscribe(&app, "kinds=callbacks", None).await;
    send(&app, "one").await;
    let seen = first.take(1).await.remove(0);
    drop(first);
    send(&app, "two").await;
    send(&app, "three").await;
    wait_for(&app, 3, "").await;

    let mut again = Events::subscribe(&app, "kinds=callbacks", Some(&seen.id)).await;
    let resumed = again.take(2).await;
    let bodies: Vec<Value> = resumed
        .iter()
        .map(|e| serde_json::from_str(e.data["request"]["body"].as_str().unwrap()).unwrap())
        .collect();
    assert_eq!(
        (bodies[0]["body"].as_str(), bodies[1]["body"].as_str()),
        (Some("two"), Some("three"))
    );

    let query = "kinds=callbacks&outcome=rejected&event=message_copy";
    let mut rejected = Events::subscribe(&app, query, None).await;
    send(&app, "delivered").await;
    wait_for(&app, 4, "").await;
    receiver.answer(503);
    send(&app, "refused").await;
    let got = rejected.take(1).await.remove(0);
    let body: Value = serde_json::from_str(got.data["request"]["body"].as_str().unwrap()).unwrap();
    assert_eq!(
        body["body"], "refused",
        "the delivered copy was filtered out"
    );
    let (status, body) = admin(
        &app,
        Method::GET,
        "/events?kinds=callbacks&outcome=lost",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
}
