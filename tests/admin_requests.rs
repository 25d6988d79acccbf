//! The request log `GET /_emulator/requests`, as a developer reads it to learn why a client
//! got an error: every provider call with its tenant, status, the provider's own error,
//! masked credentials and both bodies; its filters, its bound and its long poll; and the
//! per-provider section of health.

mod common;
use common::control::{admin, requests};
use common::*;

use im_emulator::config::Config;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// A token request with a wrong secret.
async fn bad_token_call(app: &TestApp) {
    let body = json!({"grant_type": "client_credentials", "client_id": CLIENT_ID,
        "client_secret": "wrong"});
    let resp = app.post("/token", None, &body).await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
}

/// An OpenIM send without its headers: errCode 1001 under HTTP 200.
async fn openim_refused(app: &TestApp, tenant_prefix: &str) {
    let url = format!("{}{tenant_prefix}/msg/send_msg", app.url);
    let resp = app
        .client
        .post(url)
        .header("token", "not-a-token")
        .body("{}");
    let resp = resp.send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_failed_easemob_call_is_logged_with_its_error_and_both_bodies() {
    let app = spawn_app().await;
    bad_token_call(&app).await;
    let log = requests(&app, "").await;
    assert_eq!(log["total"], 1, "{log}");
    let call = &log["requests"][0];
    assert_eq!(call["provider"], "easemob");
    assert_eq!(call["tenant"], "demo/chat");
    assert_eq!(call["method"], "POST");
    assert_eq!(call["path"], "/demo/chat/token");
    assert_eq!(call["status"], 400);
    assert_eq!(call["closed"], false);
    assert_eq!(call["error"]["name"], "invalid_grant");
    assert_eq!(call["error"]["message"], "client_secret does not match");
    assert!(call["error"].get("code").is_none(), "{call}");
    assert_eq!(call["fault"], Value::Null);
    let sent: Value = serde_json::from_str(call["request"]["body"].as_str().unwrap()).unwrap();
    assert_eq!(sent["client_secret"], "wrong");
    assert_eq!(call["request"]["body_truncated"], false);
    let answered: Value = serde_json::from_str(call["response"]["body"].as_str().unwrap()).unwrap();
    assert_eq!(answered["error"], "invalid_grant");
    assert_eq!(
        call["response"]["body_bytes"].as_u64().unwrap() as usize,
        call["response"]["body"].as_str().unwrap().len()
    );
    assert!(call["time_ms"].as_i64().unwrap() > 0);
    assert!(call["duration_us"].is_u64());
}

#[tokio::test]
async fn credentials_in_headers_are_masked() {
    let app = spawn_app().await;
    let resp = app.get("/users", Some("YWMtsecret-token")).await;
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let url = format!("{}/msg/send_msg", app.url);
    let resp = app
        .client
        .post(url)
        .header("token", "eyJsecret")
        .header("operationID", "1");
    resp.body("{}").send().await.unwrap();
    let log = requests(&app, "").await;
    let text = log.to_string();
    assert!(
        !text.contains("YWMtsecret-token") && !text.contains("eyJsecret"),
        "{text}"
    );
    assert_eq!(
        log["requests"][0]["request"]["headers"]["authorization"],
        "Bearer ***"
    );
    assert_eq!(log["requests"][1]["request"]["headers"]["token"], "***");
    assert_eq!(log["requests"][1]["request"]["headers"]["operationid"], "1");
}

#[tokio::test]
async fn an_openim_failure_under_http_200_shows_its_code_and_name() {
    let app = spawn_app().await;
    openim_refused(&app, "").await;
    let call = &requests(&app, "provider=openim").await["requests"][0];
    assert_eq!(call["status"], 200);
    assert_eq!(call["tenant"], "default");
    assert_eq!(call["error"]["code"], 1001);
    assert_eq!(call["error"]["name"], "ArgsError");
    assert_eq!(call["error"]["message"], "header must have operationID");
    assert_eq!(requests(&app, "failed=true").await["total"], 1);
    assert_eq!(requests(&app, "status=2xx").await["total"], 1);
    assert_eq!(requests(&app, "status=200").await["total"], 1);
    assert_eq!(requests(&app, "status=4xx").await["total"], 0);
    assert_eq!(requests(&app, "failed=false").await["total"], 0);
}

#[tokio::test]
async fn yunxin_and_anqicms_calls_name_their_tenants_and_codes() {
    let app = spawn_app().await;
    let url = format!("{}/im/v2/accounts", app.url);
    let headers = [
        ("AppKey", "demo-appkey"),
        ("Nonce", "1"),
        ("CurTime", "1"),
        ("CheckSum", "x"),
    ];
    let mut req = app.client.post(url).body("{}");
    for (k, v) in headers {
        req = req.header(k, v);
    }
    req.send().await.unwrap();
    let url = format!("{}/tenants/site-b/api/login", app.url);
    app.client
        .post(url)
        .body(r#"{"user_name":"nobody","password":"x"}"#)
        .send()
        .await
        .unwrap();
    let yunxin = &requests(&app, "provider=yunxin").await["requests"][0];
    assert_eq!(yunxin["tenant"], "demo-appkey");
    assert_eq!(yunxin["error"]["code"], 403);
    assert_eq!(yunxin["request"]["headers"]["checksum"], "***");
    let anqi = &requests(&app, "provider=anqicms").await["requests"][0];
    assert_eq!(anqi["tenant"], "site-b");
    assert_eq!(anqi["path"], "/tenants/site-b/api/login");
    assert_eq!(anqi["error"]["code"], -1);
    assert_eq!(anqi["error"]["name"], "-1");
}

#[tokio::test]
async fn filters_pick_by_provider_tenant_method_path_and_sequence() {
    let app = spawn_app().await;
    bad_token_call(&app).await;
    openim_refused(&app, "").await;
    openim_refused(&app, "/tenants/ci-7").await;
    app.get("/users", None).await;
    let all = requests(&app, "").await;
    assert_eq!(all["total"], 4);
    let seqs: Vec<u64> = all["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["seq"].as_u64().unwrap())
        .collect();
    assert!(
        seqs.windows(2).all(|w| w[0] < w[1]),
        "newest last: {seqs:?}"
    );
    assert_eq!(all["last_seq"], seqs[3]);
    assert_eq!(requests(&app, "tenant=ci-7").await["total"], 1);
    assert_eq!(
        requests(&app, "provider=easemob&method=get").await["total"],
        1
    );
    assert_eq!(requests(&app, "path=*/send_msg").await["total"], 2);
    assert_eq!(requests(&app, "path=/msg/send_msg").await["total"], 1);
    assert_eq!(requests(&app, "path=/demo/chat/*").await["total"], 2);
    let after = requests(&app, &format!("after={}", seqs[1])).await;
    assert_eq!(after["total"], 2);
    assert_eq!(after["requests"][0]["seq"], seqs[2]);
    let last = requests(&app, "limit=1").await;
    assert_eq!(last["requests"].as_array().unwrap().len(), 1);
    assert_eq!(
        last["requests"][0]["seq"], seqs[3],
        "without after, the newest are shown"
    );
    assert_eq!(last["total"], 4);
}

#[tokio::test]
async fn the_log_filters_by_time_on_the_emulator_clock() {
    let app = spawn_app().await;
    app.set_clock(1_800_000_000_000).await;
    bad_token_call(&app).await;
    app.advance_clock(60_000).await;
    bad_token_call(&app).await;
    let late = requests(&app, "since_ms=1800000030000").await;
    assert_eq!(late["total"], 1);
    assert_eq!(late["requests"][0]["time_ms"], 1_800_000_060_000_i64);
    assert_eq!(requests(&app, "until_ms=1800000030000").await["total"], 1);
}

#[tokio::test]
async fn bodies_over_64_kb_are_cut_and_marked() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    let big = "x".repeat(100_000);
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(big.into_bytes()).file_name("a.txt"),
    );
    let url = app.app_url(ORG, APP, "/chatfiles");
    let resp = app
        .client
        .post(url)
        .bearer_auth(&token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let call = &requests(&app, "path=*/chatfiles").await["requests"][0];
    let body = call["request"]["body"].as_str().unwrap();
    assert_eq!(body.len(), 64 * 1024);
    assert_eq!(call["request"]["body_truncated"], true);
    assert!(call["request"]["body_bytes"].as_u64().unwrap() > 100_000);
    assert_eq!(call["response"]["body_truncated"], false);
}

#[tokio::test]
async fn the_log_keeps_at_most_max_requests_and_counts_what_it_evicted() {
    let app = spawn_with(Config {
        max_requests: 16,
        ..Config::default()
    })
    .await;
    for _ in 0..40 {
        app.get("/users", None).await;
    }
    let log = requests(&app, "limit=100").await;
    let stored = log["stored"].as_u64().unwrap();
    assert!((8..=16).contains(&stored), "{log}");
    assert_eq!(log["max"], 16);
    assert_eq!(log["evicted"].as_u64().unwrap() + stored, 40);
    assert_eq!(
        log["requests"].as_array().unwrap().last().unwrap()["seq"],
        40
    );
    let (_, health) = admin(&app, Method::GET, "/health", None).await;
    assert_eq!(health["requests"]["stored"], stored);
    assert_eq!(
        health["providers"]["easemob"]["requests"]["evicted"],
        40 - stored
    );
}

#[tokio::test]
async fn max_requests_zero_keeps_no_call() {
    let app = spawn_with(Config {
        max_requests: 0,
        ..Config::default()
    })
    .await;
    bad_token_call(&app).await;
    let log = requests(&app, "").await;
    assert_eq!(
        (log["total"].clone(), log["max"].clone()),
        (json!(0), json!(0))
    );
}

#[tokio::test]
async fn wait_ms_answers_once_a_matching_call_arrives() {
    let app = spawn_app().await;
    let waiting = requests(&app, "wait_ms=10000&provider=openim");
    let calling = async {
        openim_refused(&app, "").await;
    };
    let (log, ()) = tokio::join!(waiting, calling);
    assert_eq!(log["total"], 1, "{log}");
    assert_eq!(log["requests"][0]["provider"], "openim");
    let none = requests(&app, "wait_ms=20&provider=yunxin").await;
    assert_eq!(none["total"], 0);
}

#[tokio::test]
async fn a_global_reset_empties_the_log_and_a_tenant_reset_does_not() {
    let app = spawn_app().await;
    bad_token_call(&app).await;
    admin(&app, Method::POST, "/reset?provider=openim", None).await;
    assert_eq!(requests(&app, "").await["total"], 1);
    admin(&app, Method::POST, "/reset", None).await;
    assert_eq!(requests(&app, "").await["total"], 0);
}

#[tokio::test]
async fn bad_queries_are_refused_in_the_admin_envelope() {
    let app = spawn_app().await;
    for query in [
        "status=abc",
        "status=6xx",
        "colour=red",
        "failed=perhaps",
        "after=-1",
    ] {
        let (status, body) = admin(&app, Method::GET, &format!("/requests?{query}"), None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(body["error"], "bad_request", "{query}");
    }
    let (status, _) = admin(&app, Method::POST, "/requests", None).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn health_has_a_section_per_provider() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    app.send_text(&token, "admin", &["u1"], "hello").await;
    openim_refused(&app, "").await;
    let (_, health) = admin(&app, Method::GET, "/health", None).await;
    let easemob = &health["providers"]["easemob"];
    assert_eq!(easemob["tenants"], 1);
    assert_eq!(easemob["messages"]["stored"], 1);
    assert_eq!(easemob["messages"]["evicted"], 0);
    assert!(easemob["memory"]["message_content_bytes"].as_u64().unwrap() > 0);
    assert_eq!(easemob["requests"]["stored"], 2);
    assert_eq!(easemob["requests"]["failed"], 0);
    let openim = &health["providers"]["openim"];
    assert_eq!(openim["requests"]["stored"], 1);
    assert_eq!(openim["requests"]["failed"], 1);
    assert!(openim["memory"]["request_log_bytes"].as_u64().unwrap() > 0);
    for provider in ["yunxin", "anqicms"] {
        assert_eq!(
            health["providers"][provider]["requests"]["stored"], 0,
            "{provider}"
        );
    }
}
