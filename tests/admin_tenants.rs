//! Tenants at run time: `POST /_emulator/tenants` creates a tenant of any provider from the
//! same JSON as a fixture file's entry, and `DELETE /_emulator/tenants?provider=&name=` drops
//! one, as a test suite that wants a tenant of its own uses them. A created tenant works
//! through the provider's own API with the credentials it was given, even under
//! `--strict-tenants`, and a reset brings it back as it was created.

mod common;
use common::anqicms::{self as anqi, Site};
use common::openim::{self as im, Im};
use common::yunxin::{self as yx, Yx};
use common::*;

use im_emulator::config::Config;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

// ---------------------------------------------------------------------------------------------
// Helpers of this file
// ---------------------------------------------------------------------------------------------

/// `POST /_emulator/tenants` with the raw `body`; the status and the JSON answer.
async fn create_raw(app: &TestApp, body: &str) -> (StatusCode, Value) {
    let resp = app
        .client
        .post(format!("{}/_emulator/tenants", app.url))
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .expect("the admin request is answered");
    let status = resp.status();
    let text = resp.text().await.unwrap();
    let value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("admin answer is not JSON ({e}): {text}"));
    (status, value)
}

/// `POST /_emulator/tenants` with `body`; the status and the JSON answer.
async fn create(app: &TestApp, body: &Value) -> (StatusCode, Value) {
    create_raw(app, &body.to_string()).await
}

/// Creates the tenant `body` describes, which must answer 201; the tenant as listed.
async fn created(app: &TestApp, body: &Value) -> Value {
    let (status, tenant) = create(app, body).await;
    assert_eq!(status, StatusCode::CREATED, "{body} -> {tenant}");
    tenant
}

/// `DELETE /_emulator/tenants?{query}`: the status and the body as text.
async fn delete(app: &TestApp, query: &str) -> (StatusCode, String) {
    let resp = app
        .client
        .delete(format!("{}/_emulator/tenants?{query}", app.url))
        .send()
        .await
        .expect("the admin request is answered");
    (resp.status(), resp.text().await.unwrap())
}

/// The tenants `GET /_emulator/tenants?provider={provider}` lists.
async fn listing(app: &TestApp, provider: &str) -> Vec<Value> {
    let url = format!("{}/_emulator/tenants?provider={provider}", app.url);
    let resp = app.client.get(url).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let body: Value = resp.json().await.unwrap();
    body["tenants"].as_array().expect("tenants").clone()
}

/// The listed tenant `name` of `provider`, if any.
async fn listed(app: &TestApp, provider: &str, name: &str) -> Option<Value> {
    let tenants = listing(app, provider).await;
    tenants.into_iter().find(|t| t["name"] == name)
}

/// Asserts an admin refusal: `status` and `{"error": error, "message": <containing part>}`.
fn assert_problem(case: &str, status: StatusCode, body: &Value, want: (StatusCode, &str, &str)) {
    let (want_status, error, part) = want;
    assert_eq!(status, want_status, "case {case}: {body}");
    assert_eq!(body["error"], error, "case {case}: {body}");
    let message = body["message"].as_str().unwrap_or_default();
    assert!(
        message.contains(part),
        "case {case}: message contains {part:?}: {body}"
    );
}

fn strict() -> Config {
    Config {
        strict_tenants: true,
        ..Config::default()
    }
}

/// An Easemob tenant `acme/shop` with credentials of its own and the user `ann`.
fn acme_shop() -> Value {
    json!({
        "provider": "easemob",
        "org": "acme",
        "app": "shop",
        "client_id": "YXA6acme-id",
        "client_secret": "YXA6acme-secret",
        "users": [{"username": "ann", "password": "ann-password", "nickname": "Ann"}]
    })
}

/// Registers `username` in `org/app` with `token`.
async fn register(app: &TestApp, org: &str, name: &str, token: &str, username: &str) {
    let body = json!({"username": username, "password": "pw-123456"});
    let resp = app.post_to(org, name, "/users", Some(token), &body).await;
    assert_eq!(
        resp.status(),
        StatusCode::OK,
        "{}",
        resp.text().await.unwrap()
    );
}

/// Sends `msg` from `from` to `to` in `org/app`; the status.
async fn send(app: &TestApp, org: &str, name: &str, token: &str, from: &str, to: &str) -> u16 {
    let body = json!({"from": from, "to": [to], "type": "txt", "body": {"msg": "hello"}});
    let resp = app
        .post_to(org, name, "/messages/users", Some(token), &body)
        .await;
    resp.status().as_u16()
}

/// How many journal records `provider`'s tenant `tenant` has.
async fn journal_total(app: &TestApp, provider: &str, tenant: &str) -> u64 {
    let query = format!("provider={provider}&tenant={}", tenant.replace('#', "%23"));
    let listing = app.journal(&query).await;
    listing["total"].as_u64().expect("total")
}

// ---------------------------------------------------------------------------------------------
// Each provider's own API
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn an_easemob_tenant_created_under_strict_tenants_issues_tokens_registers_and_sends() {
    let app = spawn_with(strict()).await;
    let tenant = created(&app, &acme_shop()).await;
    assert_eq!(tenant["provider"], "easemob", "{tenant}");
    assert_eq!(tenant["name"], "acme/shop", "{tenant}");
    assert_eq!(tenant["origin"], "admin", "{tenant}");
    assert_eq!(tenant["fixture"], false, "{tenant}");
    assert_eq!(
        tenant["credentials"]["client_id"], "YXA6acme-id",
        "{tenant}"
    );
    assert_eq!(
        tenant["credentials"]["client_secret"], "YXA6acme-secret",
        "{tenant}"
    );
    assert_eq!(tenant["counts"]["users"], 1, "ann: {tenant}");

    let wrong = json!({"grant_type": "client_credentials",
        "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET});
    let resp = app.post_to("acme", "shop", "/token", None, &wrong).await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST, "demo's credentials");
    let token = app
        .token_for("acme", "shop", "YXA6acme-id", "YXA6acme-secret")
        .await;
    register(&app, "acme", "shop", &token, "ben").await;
    assert_eq!(send(&app, "acme", "shop", &token, "ann", "ben").await, 200);
    assert_eq!(journal_total(&app, "easemob", "acme/shop").await, 1);
    assert_eq!(journal_total(&app, "easemob", "demo/chat").await, 0);
}

#[tokio::test]
async fn an_openim_tenant_created_at_run_time_takes_its_own_secret_and_admin() {
    let app = spawn_with(strict()).await;
    let body = json!({"provider": "openim", "name": "ci-42", "secret": "ci-secret",
        "admin_user_ids": ["boss"]});
    let tenant = created(&app, &body).await;
    assert_eq!(tenant["name"], "ci-42", "{tenant}");
    assert_eq!(tenant["credentials"]["secret"], "ci-secret", "{tenant}");
    assert_eq!(tenant["counts"]["users"], 3, "boss, alice, bob: {tenant}");

    let ci = Im::tenant(&app, "ci-42");
    let default_secret = json!({"secret": im::SECRET, "userID": "boss"});
    let resp = ci
        .post("/auth/get_admin_token", None, &default_secret)
        .await;
    im::assert_refused_code("default secret", resp, 1002, "NoPermissionError").await;
    let own = json!({"secret": "ci-secret", "userID": "boss"});
    let data = im::ok_data(ci.post("/auth/get_admin_token", None, &own).await).await;
    let token = data["token"].as_str().expect("a token").to_owned();
    let sent = ci.send_ok(&token, &im::text("alice", "bob", "hi")).await;
    assert!(im::is_md5_hex(&sent["serverMsgID"]), "{sent}");
    assert_eq!(journal_total(&app, "openim", "ci-42").await, 1);
}

#[tokio::test]
async fn a_yunxin_app_created_at_run_time_checks_the_checksum_with_its_own_secret() {
    let app = yx::pinned().await;
    let body = json!({"provider": "yunxin", "name": "yx-ci-1", "app_secret": "ci-app-secret"});
    let tenant = created(&app, &body).await;
    assert_eq!(tenant["name"], "yx-ci-1", "{tenant}");
    assert_eq!(tenant["credentials"]["app_key"], "yx-ci-1", "{tenant}");
    assert_eq!(
        tenant["credentials"]["app_secret"], "ci-app-secret",
        "{tenant}"
    );

    let default_secret = Yx::with_key(&app, "yx-ci-1", yx::APP_SECRET);
    yx::assert_auth_failed(
        "default secret",
        default_secret.get("/accounts/alice").await,
    )
    .await;
    let own = Yx::with_key(&app, "yx-ci-1", "ci-app-secret");
    own.create_account("carol").await;
    own.send_text(&yx::p2p("alice", "carol"), "hi").await;
    assert_eq!(journal_total(&app, "yunxin", "yx-ci-1").await, 1);
}

#[tokio::test]
async fn an_anqicms_site_created_at_run_time_has_the_users_its_body_gives() {
    let app = anqi::spawn_anqi_with(strict()).await;
    let body = json!({"provider": "anqicms", "name": "site-1", "users": [
        {"user_name": "zoe", "password": "zoe12345", "email": "zoe@example.com"}]});
    let tenant = created(&app, &body).await;
    assert_eq!(tenant["counts"]["users"], 1, "zoe only: {tenant}");

    let site = Site::tenant(&app, "site-1");
    let alice = json!({"user_name": anqi::ALICE, "password": anqi::ALICE_PASSWORD});
    let reply = site.login(&alice).await;
    assert_eq!(reply.json()["code"], -1, "no alice here: {}", reply.text());
    let token = site.token("zoe", "zoe12345").await;
    let order = site.create_order(&token, "zoe's order").await;
    site.say(&token, order, "hello").await;
    assert_eq!(journal_total(&app, "anqicms", "site-1").await, 1);
}

#[tokio::test]
async fn an_anqicms_sites_listing_gives_the_key_its_user_tokens_are_signed_with() {
    let app = anqi::spawn_anqi_with(strict()).await;
    let body = json!({"provider": "anqicms", "name": "site-2", "users": [
        {"user_name": "zoe", "password": "zoe12345", "email": "zoe@example.com"}]});
    let tenant = created(&app, &body).await;
    let key = tenant["credentials"]["token_key"]
        .as_str()
        .expect("token_key");
    let site = Site::tenant(&app, "site-2");
    let user_id = anqi::claims(&site.token("zoe", "zoe12345").await)["userId"].clone();
    let expiry = (chrono::Utc::now().timestamp() + 3600).to_string();
    let forged = anqi::forge(user_id.as_str().unwrap(), &expiry, key);
    let (orders, total) = site.orders(&forged, "current=1&page_size=10").await;
    assert_eq!(
        (orders.len(), total),
        (0, 0),
        "a token signed with token_key is good"
    );
    let other = anqi::forge(
        user_id.as_str().unwrap(),
        &expiry,
        "anqicms-emulator-token-secret-user-token",
    );
    let reply = site
        .get("/communication/orders?current=1&page_size=10", Some(&other))
        .await;
    anqi::assert_no_login("another site's key", &reply);
}

// ---------------------------------------------------------------------------------------------
// Refusals
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn creating_a_tenant_that_exists_is_a_409_and_changes_nothing() {
    let app = spawn_app().await;
    created(&app, &acme_shop()).await;
    let token = app.token_for("x", "made", "any", "any").await;
    register(&app, "x", "made", &token, "walt").await;
    let other_secret = json!({"provider": "easemob", "org": "acme", "app": "shop",
        "client_secret": "YXA6other"});
    let fixtures = "exists: the fixtures list it";
    let rows = [
        (
            "created twice",
            other_secret,
            "exists (origin admin); DELETE",
        ),
        (
            "a fixture tenant",
            json!({"provider": "easemob", "name": "demo/chat"}),
            fixtures,
        ),
        (
            "made by a call",
            json!({"provider": "easemob", "name": "x#made"}),
            "(origin call)",
        ),
        (
            "openim default",
            json!({"provider": "openim", "name": "default"}),
            fixtures,
        ),
        (
            "yunxin demo",
            json!({"provider": "yunxin", "app_key": "demo-appkey"}),
            fixtures,
        ),
        (
            "anqicms default",
            json!({"provider": "anqicms", "name": "default"}),
            fixtures,
        ),
    ];
    for (case, body, part) in rows {
        let (status, answer) = create(&app, &body).await;
        let want = (StatusCode::CONFLICT, "conflict", part);
        assert_problem(case, status, &answer, want);
    }
    let shop = listed(&app, "easemob", "acme/shop").await.unwrap();
    assert_eq!(shop["credentials"]["client_secret"], "YXA6acme-secret");
    let made = listed(&app, "easemob", "x/made").await.unwrap();
    assert_eq!(made["origin"], "call", "{made}");
    assert_eq!(made["counts"]["users"], 1, "{made}");
}

#[tokio::test]
async fn of_concurrent_creations_of_one_tenant_exactly_one_succeeds() {
    let app = spawn_app().await;
    let body = json!({"provider": "openim", "name": "raced", "secret": "s"});
    let url = format!("{}/_emulator/tenants", app.url);
    let calls: Vec<_> = (0..8)
        .map(|_| {
            let req = app.client.post(&url).json(&body);
            tokio::spawn(async move { req.send().await.unwrap().status() })
        })
        .collect();
    let mut statuses = Vec::new();
    for call in calls {
        statuses.push(call.await.unwrap());
    }
    let won = statuses
        .iter()
        .filter(|s| **s == StatusCode::CREATED)
        .count();
    let lost = statuses
        .iter()
        .filter(|s| **s == StatusCode::CONFLICT)
        .count();
    assert_eq!((won, lost), (1, 7), "{statuses:?}");
    assert!(listed(&app, "openim", "raced").await.is_some());
}

#[tokio::test]
async fn a_bad_body_is_a_400_that_names_the_fault_and_creates_nothing() {
    let app = spawn_app().await;
    let before = listing(&app, "").await.len();
    let rows: [(&str, &str, &str); 16] = [
        ("not JSON", "{", "not a JSON object"),
        ("an array", "[]", "not a JSON object"),
        ("no provider", r#"{"name": "x"}"#, "\"provider\""),
        (
            "provider not a string",
            r#"{"provider": 1}"#,
            "\"provider\"",
        ),
        (
            "unknown provider",
            r#"{"provider": "wechat"}"#,
            "unknown provider \"wechat\"",
        ),
        (
            "unknown field",
            r#"{"provider": "openim", "name": "a", "colour": 1}"#,
            "unknown field `colour`",
        ),
        (
            "wrong type",
            r#"{"provider": "openim", "name": "a", "max_users": "many"}"#,
            "invalid type",
        ),
        (
            "openim: no name",
            r#"{"provider": "openim"}"#,
            "needs a \"name\"",
        ),
        (
            "openim: bad name",
            r#"{"provider": "openim", "name": "a b"}"#,
            "1 to 64 letters",
        ),
        (
            "openim: empty secret",
            r#"{"provider": "openim", "name": "a", "secret": ""}"#,
            "secret is empty",
        ),
        (
            "easemob: no app",
            r#"{"provider": "easemob", "org": "acme"}"#,
            "needs an \"org\" and an \"app\"",
        ),
        (
            "easemob: name without app",
            r#"{"provider": "easemob", "name": "acme"}"#,
            "org/app",
        ),
        (
            "easemob: name and org differ",
            r#"{"provider": "easemob", "name": "a/b", "org": "c"}"#,
            "differ",
        ),
        (
            "easemob: bad app",
            r#"{"provider": "easemob", "name": "acme/sh op"}"#,
            "cannot be an org or app name",
        ),
        (
            "yunxin: bad failure code",
            r#"{"provider": "yunxin", "name": "k", "auth_failure_code": 500}"#,
            "403 or 414",
        ),
        (
            "anqicms: bad user",
            r#"{"provider": "anqicms", "name": "s", "users": [{"user_name": "u", "password": ""}]}"#,
            "user \"u\"",
        ),
    ];
    for (case, body, part) in rows {
        let (status, answer) = create_raw(&app, body).await;
        assert_problem(
            case,
            status,
            &answer,
            (StatusCode::BAD_REQUEST, "bad_request", part),
        );
    }
    assert_eq!(listing(&app, "").await.len(), before, "nothing was created");
}

#[tokio::test]
async fn past_max_tenants_creating_is_a_507_until_a_tenant_is_deleted() {
    let app = spawn_with(Config {
        max_tenants: 2,
        ..Config::default()
    })
    .await;
    created(&app, &json!({"provider": "easemob", "name": "a/one"})).await;
    let (status, answer) = create(&app, &json!({"provider": "easemob", "name": "a/two"})).await;
    let want = (
        StatusCode::INSUFFICIENT_STORAGE,
        "insufficient_storage",
        "--max-tenants",
    );
    assert_problem("third easemob tenant", status, &answer, want);
    assert!(listed(&app, "easemob", "a/two").await.is_none());
    created(&app, &json!({"provider": "openim", "name": "other"})).await;

    assert_eq!(
        delete(&app, "provider=easemob&name=a/one").await.0,
        StatusCode::NO_CONTENT
    );
    created(&app, &json!({"provider": "easemob", "name": "a/two"})).await;
    app.reset("").await;
    let names: Vec<Value> = listing(&app, "easemob")
        .await
        .iter()
        .map(|t| t["name"].clone())
        .collect();
    assert_eq!(
        names,
        [json!("a/two"), json!("demo/chat")],
        "a reset keeps both"
    );
}

// ---------------------------------------------------------------------------------------------
// Deleting
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_deleted_tenant_is_gone_from_the_list_its_journal_and_its_api() {
    let app = spawn_with(strict()).await;
    let tenant = created(
        &app,
        &json!({"provider": "easemob", "name": "acme#shop",
        "client_id": "YXA6acme-id", "client_secret": "YXA6acme-secret"}),
    )
    .await;
    assert_eq!(
        tenant["name"], "acme/shop",
        "org#app is listed as org/app: {tenant}"
    );
    let token = app
        .token_for("acme", "shop", "YXA6acme-id", "YXA6acme-secret")
        .await;
    register(&app, "acme", "shop", &token, "ann").await;
    register(&app, "acme", "shop", &token, "ben").await;
    assert_eq!(send(&app, "acme", "shop", &token, "ann", "ben").await, 200);

    let (status, body) = delete(&app, "provider=easemob&name=acme%23shop").await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    assert!(listed(&app, "easemob", "acme/shop").await.is_none());
    assert_eq!(journal_total(&app, "easemob", "acme/shop").await, 0);
    let creds = json!({"grant_type": "client_credentials",
        "client_id": "YXA6acme-id", "client_secret": "YXA6acme-secret"});
    assert_easemob_error(
        app.post_to("acme", "shop", "/token", None, &creds).await,
        404,
        "organization_application_not_found",
        "Could not find application for acme/shop from URI: acme/shop/token",
    )
    .await;
    let (status, body) = delete(&app, "provider=easemob&name=acme/shop").await;
    let answer: Value = serde_json::from_str(&body).unwrap();
    assert_problem(
        "again",
        status,
        &answer,
        (StatusCode::NOT_FOUND, "not_found", "acme/shop"),
    );
}

#[tokio::test]
async fn deleted_tenants_of_the_other_providers_answer_as_unknown_ones() {
    let app = anqi::spawn_anqi_with(strict()).await;
    for body in [
        json!({"provider": "openim", "name": "t1", "secret": "s1"}),
        json!({"provider": "yunxin", "app_key": "t1", "app_secret": "s1"}),
        json!({"provider": "anqicms", "name": "t1"}),
    ] {
        created(&app, &body).await;
    }
    for provider in ["openim", "yunxin", "anqicms"] {
        let (status, body) = delete(&app, &format!("provider={provider}&name=t1")).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{provider}: {body}");
        assert!(listed(&app, provider, "t1").await.is_none(), "{provider}");
    }
    let token = json!({"secret": "s1", "userID": im::ADMIN});
    let resp = Im::tenant(&app, "t1")
        .post("/auth/get_admin_token", None, &token)
        .await;
    assert_eq!(resp.status(), StatusCode::NOT_FOUND, "openim");
    let resp = Yx::with_key(&app, "t1", "s1").get("/accounts/alice").await;
    yx::assert_error("yunxin", resp, 101_303).await;
    let alice = json!({"user_name": anqi::ALICE, "password": anqi::ALICE_PASSWORD});
    anqi::assert_html_404("anqicms", &Site::tenant(&app, "t1").login(&alice).await);
}

#[tokio::test]
async fn a_tenant_made_by_a_call_can_be_deleted_and_a_fixture_tenant_cannot() {
    let app = spawn_app().await;
    let token = app.token_for("x", "made", "any", "any").await;
    register(&app, "x", "made", &token, "walt").await;
    assert_eq!(
        delete(&app, "provider=easemob&name=x/made").await.0,
        StatusCode::NO_CONTENT
    );
    assert!(listed(&app, "easemob", "x/made").await.is_none());

    let rows = [
        ("easemob", "demo/chat"),
        ("openim", "default"),
        ("yunxin", "demo-appkey"),
        ("anqicms", "default"),
    ];
    for (provider, name) in rows {
        let (status, body) = delete(&app, &format!("provider={provider}&name={name}")).await;
        let answer: Value = serde_json::from_str(&body).unwrap();
        let want = (StatusCode::CONFLICT, "conflict", "comes from the fixtures");
        assert_problem(provider, status, &answer, want);
        assert!(listed(&app, provider, name).await.is_some(), "{provider}");
    }
}

#[tokio::test]
async fn a_delete_without_provider_and_name_is_a_400() {
    let app = spawn_app().await;
    let rows = [
        ("nothing", "", "provider and name are needed"),
        (
            "no name",
            "provider=easemob",
            "provider and name are needed",
        ),
        (
            "unknown provider",
            "provider=wechat&name=x",
            "unknown provider",
        ),
        (
            "unknown parameter",
            "provider=easemob&name=a/b&tenant=c",
            "unknown field",
        ),
    ];
    for (case, query, part) in rows {
        let (status, body) = delete(&app, query).await;
        let answer: Value = serde_json::from_str(&body).unwrap();
        assert_problem(
            case,
            status,
            &answer,
            (StatusCode::BAD_REQUEST, "bad_request", part),
        );
    }
    let resp = app
        .client
        .request(Method::PUT, format!("{}/_emulator/tenants", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(resp.headers()["allow"], "GET, POST, DELETE");
}

// ---------------------------------------------------------------------------------------------
// Resets and the listing
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_reset_brings_a_created_tenant_back_as_it_was_created() {
    let app = spawn_with(strict()).await;
    created(&app, &acme_shop()).await;
    let token = app
        .token_for("acme", "shop", "YXA6acme-id", "YXA6acme-secret")
        .await;
    register(&app, "acme", "shop", &token, "ben").await;
    assert_eq!(send(&app, "acme", "shop", &token, "ann", "ben").await, 200);

    for query in ["provider=easemob&tenant=acme/shop", "tenant=acme/shop", ""] {
        register(&app, "acme", "shop", &token, "cy").await;
        assert_eq!(app.reset(query).await.status(), StatusCode::OK, "{query}");
        let shop = listed(&app, "easemob", "acme/shop").await;
        let shop = shop.unwrap_or_else(|| panic!("{query}: acme/shop is back"));
        assert_eq!(shop["origin"], "admin", "{query}: {shop}");
        assert_eq!(shop["counts"]["users"], 1, "{query}: only ann: {shop}");
        assert_eq!(shop["credentials"]["client_id"], "YXA6acme-id", "{query}");
        assert_eq!(
            journal_total(&app, "easemob", "acme/shop").await,
            0,
            "{query}"
        );
    }
    let token = app
        .token_for("acme", "shop", "YXA6acme-id", "YXA6acme-secret")
        .await;
    assert_eq!(
        send(&app, "acme", "shop", &token, "ann", "ann").await,
        200,
        "ann is back"
    );
}

#[tokio::test]
async fn the_listing_tells_fixture_created_and_call_made_tenants_apart() {
    let app = spawn_app().await;
    created(&app, &json!({"provider": "anqicms", "name": "by-admin"})).await;
    let site = Site::tenant(&app, "by-call");
    site.register_ok("carol", "secret1", "carol@example.com")
        .await;
    let origins: Vec<(String, String, bool)> = listing(&app, "anqicms")
        .await
        .iter()
        .map(|t| {
            let field = |k: &str| t[k].as_str().unwrap_or_default().to_owned();
            (field("name"), field("origin"), t["fixture"] == true)
        })
        .collect();
    let want = [
        ("by-admin", "admin", false),
        ("by-call", "call", false),
        ("default", "fixtures", true),
    ];
    let want: Vec<_> = want
        .iter()
        .map(|(n, o, f)| (n.to_string(), o.to_string(), *f))
        .collect();
    assert_eq!(origins, want);
}

#[tokio::test]
async fn missing_settings_take_the_fixture_defaults() {
    let app = spawn_app().await;
    let tenant = created(&app, &json!({"provider": "openim", "name": "bare"})).await;
    assert_eq!(tenant["credentials"]["secret"], im::SECRET, "{tenant}");
    assert_eq!(
        tenant["counts"]["users"], 4,
        "two admins, alice, bob: {tenant}"
    );
    let token = Im::tenant(&app, "bare").admin_token().await;
    assert!(!token.is_empty());
    let tenant = created(&app, &json!({"provider": "easemob", "name": "o/bare"})).await;
    assert_eq!(tenant["credentials"]["client_id"], "(any)", "{tenant}");
    assert_eq!(tenant["counts"]["users"], 0, "{tenant}");
}
