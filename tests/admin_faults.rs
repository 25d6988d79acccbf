//! Fault rules `/_emulator/faults`: each provider's own errors by name, a rule firing exactly N
//! times, seeded probabilities, matching by tenant, method and path, latency, connections
//! closed unanswered, every firing in the request log, and refused rules.

mod common;
use common::control::{admin, requests};
use common::openim::Im;
use common::yunxin::Yx;
use common::*;

use im_emulator::config::Config;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// Adds a fault rule, which must be accepted; its id.
async fn add_rule(app: &TestApp, rule: Value) -> u64 {
    let (status, body) = admin(app, Method::POST, "/faults", Some(&rule)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["id"].as_u64().expect("an id")
}

async fn token_status(app: &TestApp) -> StatusCode {
    let body = json!({"grant_type": "client_credentials", "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET});
    app.post("/token", None, &body).await.status()
}

#[tokio::test]
async fn a_rule_fires_exactly_n_times_and_then_not_again() {
    let app = spawn_app().await;
    let id = add_rule(
        &app,
        json!({"provider": "easemob", "path": "*/token", "error": "reach_limit", "times": 2}),
    )
    .await;
    let first = app
        .post(
            "/token",
            None,
            &json!({"grant_type": "client_credentials",
            "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}),
        )
        .await;
    assert_eq!(first.status(), StatusCode::TOO_MANY_REQUESTS);
    let body: Value = first.json().await.unwrap();
    assert_eq!(body["error"], "reach_limit");
    assert_eq!(body["exception"], "ReachLimitException");
    assert!(body["timestamp"].is_i64() && body["error_description"].is_string());
    assert_eq!(token_status(&app).await, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(token_status(&app).await, StatusCode::OK);
    assert_eq!(token_status(&app).await, StatusCode::OK);
    let (_, listed) = admin(&app, Method::GET, "/faults", None).await;
    let rule = &listed["faults"][0];
    assert_eq!(
        (
            rule["id"].as_u64(),
            rule["fired"].clone(),
            rule["left"].clone()
        ),
        (Some(id), json!(2), json!(0))
    );
    let log = requests(&app, "path=*/token").await;
    let faults: Vec<Value> = log["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["fault"].clone())
        .collect();
    assert_eq!(faults, [json!(id), json!(id), Value::Null, Value::Null]);
    assert_eq!(log["requests"][0]["error"]["name"], "reach_limit");
}

#[tokio::test]
async fn each_provider_answers_with_its_own_error_by_name() {
    let app = spawn_app().await;
    add_rule(
        &app,
        json!({"provider": "openim", "error": "TokenExpiredError"}),
    )
    .await;
    add_rule(&app, json!({"provider": "yunxin", "error": "414"})).await;
    add_rule(&app, json!({"provider": "anqicms", "error": "1001"})).await;
    let im = Im::new(&app);
    let resp = im
        .post(
            "/auth/get_admin_token",
            None,
            &json!({"secret": "openIM123", "userID": "imAdmin"}),
        )
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(
        body,
        json!({"errCode": 1501, "errMsg": "TokenExpiredError", "errDlt": ""})
    );
    let resp = Yx::new(&app)
        .call(reqwest::Method::GET, "/im/v2/accounts/alice", None)
        .await;
    let body: Value = resp.json().await.unwrap();
    assert_eq!(
        (body["code"].clone(), body["msg"].clone()),
        (json!(414), json!("parameter error"))
    );
    let resp = app
        .client
        .get(format!(
            "{}/api/communication/messages?comm_order_id=1",
            app.url
        ))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["code"], 1001, "{body}");
    assert!(body.get("data").is_none());
    let log = requests(&app, "failed=true").await;
    let codes: Vec<Value> = log["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["error"]["code"].clone())
        .collect();
    assert_eq!(codes, [json!(1501), json!(414), json!(1001)]);
}

#[tokio::test]
async fn close_drops_the_connection_without_an_answer() {
    let app = spawn_app().await;
    let id = add_rule(&app, json!({"provider": "easemob", "method": "POST", "path": "*/token", "close": true, "times": 1})).await;
    let body = json!({"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET});
    let url = app.app_url(ORG, APP, "/token");
    let refused = app.client.post(&url).body(body.to_string()).send().await;
    assert!(refused.is_err(), "no answer: {refused:?}");
    assert_eq!(token_status(&app).await, StatusCode::OK);
    let call = &requests(&app, "path=*/token").await["requests"][0];
    assert_eq!(call["status"], Value::Null);
    assert_eq!(call["closed"], true);
    assert_eq!(call["fault"], id);
    assert_eq!(call["error"]["name"], "connection closed");
}

#[tokio::test]
async fn latency_alone_delays_the_providers_own_answer() {
    let app = spawn_app().await;
    let id = add_rule(
        &app,
        json!({"provider": "easemob", "latency_ms": 5, "times": 1}),
    )
    .await;
    assert_eq!(token_status(&app).await, StatusCode::OK);
    let call = &requests(&app, "").await["requests"][0];
    assert_eq!(
        (call["status"].clone(), call["fault"].clone()),
        (json!(200), json!(id))
    );
    assert_eq!(call["error"], Value::Null);
}

#[tokio::test]
async fn rules_match_only_their_tenant_method_and_path() {
    let app = spawn_app().await;
    add_rule(
        &app,
        json!({"provider": "easemob", "tenant": "demo/other", "error": "service_unavailable"}),
    )
    .await;
    add_rule(
        &app,
        json!({"provider": "easemob", "method": "DELETE", "error": "internal_server_error"}),
    )
    .await;
    add_rule(&app, json!({"path": "/msg/*", "latency_ms": 1})).await;
    assert_eq!(token_status(&app).await, StatusCode::OK);
    let other = app
        .post_to("demo", "other", "/token", None, &json!({}))
        .await;
    assert_eq!(other.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: Value = other.json().await.unwrap();
    assert_eq!(body["error"], "service_unavailable");
    let deleted = app.delete("/users/nobody", None).await;
    assert_eq!(deleted.status(), StatusCode::INTERNAL_SERVER_ERROR);
}

/// The statuses of 30 token calls under a rule firing with probability 0.5.
async fn coin_flips(seed: u64) -> Vec<u16> {
    let app = spawn_with(Config {
        seed: Some(seed),
        ..Config::default()
    })
    .await;
    add_rule(
        &app,
        json!({"provider": "easemob", "error": "reach_limit", "probability": 0.5}),
    )
    .await;
    let mut statuses = Vec::new();
    for _ in 0..30 {
        statuses.push(token_status(&app).await.as_u16());
    }
    statuses
}

#[tokio::test]
async fn a_probability_is_drawn_from_the_seed() {
    let first = coin_flips(7).await;
    assert_eq!(
        first,
        coin_flips(7).await,
        "the same seed fires on the same calls"
    );
    let fired = first.iter().filter(|s| **s == 429).count();
    assert!((5..=25).contains(&fired), "about half of 30: {fired}");
}

#[tokio::test]
async fn rules_are_removed_one_by_one_or_all_at_once() {
    let app = spawn_app().await;
    let a = add_rule(&app, json!({"provider": "easemob", "error": "reach_limit"})).await;
    add_rule(&app, json!({"provider": "easemob", "error": "reach_limit"})).await;
    let (status, _) = admin(&app, Method::DELETE, &format!("/faults/{a}"), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = admin(&app, Method::DELETE, &format!("/faults/{a}"), None).await;
    assert_eq!(
        (status, body["error"].clone()),
        (StatusCode::NOT_FOUND, json!("not_found"))
    );
    let (_, listed) = admin(&app, Method::GET, "/faults", None).await;
    assert_eq!(listed["faults"].as_array().unwrap().len(), 1);
    assert_eq!(token_status(&app).await, StatusCode::TOO_MANY_REQUESTS);
    let (status, _) = admin(&app, Method::DELETE, "/faults", None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(token_status(&app).await, StatusCode::OK);
    add_rule(&app, json!({"provider": "easemob", "error": "reach_limit"})).await;
    admin(&app, Method::POST, "/reset", None).await;
    assert_eq!(
        token_status(&app).await,
        StatusCode::OK,
        "a global reset removes the rules"
    );
}

#[tokio::test]
async fn bad_rules_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    let cases = [
        (
            json!({"provider": "easemob", "error": "no_such_error"}),
            "reach_limit",
        ),
        (json!({"error": "reach_limit"}), "give the provider"),
        (json!({"provider": "easemob"}), "needs an error"),
        (
            json!({"provider": "easemob", "error": "reach_limit", "close": true}),
            "not both",
        ),
        (
            json!({"provider": "easemob", "error": "reach_limit", "times": 0}),
            "at least 1",
        ),
        (
            json!({"provider": "easemob", "error": "reach_limit", "probability": 2}),
            "probability",
        ),
        (
            json!({"provider": "nope", "latency_ms": 1}),
            "unknown provider",
        ),
        (
            json!({"provider": "easemob", "latency_ms": 999999999}),
            "latency_ms",
        ),
        (
            json!({"provider": "easemob", "colour": "red", "close": true}),
            "unknown field",
        ),
    ];
    for (rule, says) in cases {
        let (status, body) = admin(&app, Method::POST, "/faults", Some(&rule)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{rule}");
        assert_eq!(body["error"], "bad_request");
        assert!(
            body["message"].as_str().unwrap().contains(says),
            "{rule}: {body}"
        );
    }
    let (_, listed) = admin(&app, Method::GET, "/faults", None).await;
    assert_eq!(listed["faults"], json!([]));
    let (status, _) = admin(&app, Method::PUT, "/faults", Some(&json!({}))).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn at_most_a_hundred_rules_are_kept() {
    let app = spawn_app().await;
    for _ in 0..100 {
        add_rule(&app, json!({"path": "/never", "latency_ms": 1})).await;
    }
    let (status, body) = admin(
        &app,
        Method::POST,
        "/faults",
        Some(&json!({"path": "/never", "latency_ms": 1})),
    )
    .await;
    assert_eq!(
        (status, body["error"].clone()),
        (StatusCode::CONFLICT, json!("too_many_faults"))
    );
}
