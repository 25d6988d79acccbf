//! Easemob tokens (`POST /{org}/{app}/token`), bearer checks on the clock, tenants and the
//! routing answers, all over HTTP as a real client sees them.
mod common;
use common::*;

use im_emulator::config::Config;
use reqwest::{Response, StatusCode};
use serde_json::{json, Value};

/// Asserts the shape of an access token: 130 base64url characters beginning `YWMt`.
fn assert_token_shape(token: &str) {
    assert_eq!(token.len(), 130, "token length of {token}");
    assert!(token.starts_with("YWMt"), "token prefix of {token}");
    assert!(
        token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
        "token is base64url without padding: {token}"
    );
}

/// Asserts a v1-shaped UUID in its hyphenated form.
fn assert_uuid_v1(value: &Value) {
    let s = value
        .as_str()
        .unwrap_or_else(|| panic!("{value} is a string"));
    assert_eq!(s.len(), 36, "uuid {s}");
    let groups: Vec<usize> = s.split('-').map(str::len).collect();
    assert_eq!(groups, [8, 4, 4, 4, 12], "uuid groups of {s}");
    assert_eq!(&s[14..15], "1", "version-1 uuid: {s}");
}

/// Requests a token with `body` on the default app.
async fn token_request(app: &TestApp, body: &Value) -> Response {
    app.post("/token", None, body).await
}

/// An app token of the default app with `ttl` seconds.
async fn app_token_with_ttl(app: &TestApp, ttl: i64) -> Value {
    let body = json!({
        "grant_type": "client_credentials",
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "ttl": ttl,
    });
    ok_json(token_request(app, &body).await).await
}

/// A user token of the default app by password grant.
async fn password_token(app: &TestApp, username: &str, password: &str) -> Value {
    let body = json!({"grant_type": "password", "username": username, "password": password});
    ok_json(token_request(app, &body).await).await
}

/// A call that needs a token: `GET /users/alice`.
async fn probe(app: &TestApp, token: Option<&str>) -> Response {
    app.get("/users/alice", token).await
}

/// A text message alice → bob with no Authorization header.
async fn send_text_without_token(app: &TestApp) -> Response {
    let body = json!({"from": "alice", "to": ["bob"], "type": "txt", "body": {"msg": "hi"}});
    app.post("/messages/users", None, &body).await
}

/// `token` with one character of its signature (the last 32 bytes) changed, still base64url.
fn flip_signature_char(token: &str) -> String {
    let mut chars: Vec<char> = token.chars().collect();
    let i = 120;
    chars[i] = if chars[i] == 'A' { 'B' } else { 'A' };
    chars.into_iter().collect()
}

// ------------------------------------------------------------------------------------------
// client_credentials

#[tokio::test]
async fn client_credentials_answer_a_bare_token_of_130_chars_with_expiry_and_application() {
    let app = spawn_app().await;
    let body = json!({"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET});
    let resp = token_request(&app, &body).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let content_type = resp.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    let token: Value = resp.json().await.unwrap();
    assert_token_shape(token["access_token"].as_str().unwrap());
    assert_eq!(
        token["expires_in"], 5_184_000,
        "default lifetime of the fixtures: {token}"
    );
    assert!(
        token["expires_in"].is_u64(),
        "expires_in is an integer: {token}"
    );
    assert_eq!(token["application"], DEMO_APPLICATION, "{token}");
    for envelope_field in ["action", "entities", "data", "path", "uri", "duration"] {
        assert!(
            token.get(envelope_field).is_none(),
            "the token answer has no envelope, but carries {envelope_field}: {token}"
        );
    }
}

#[tokio::test]
async fn two_token_requests_give_two_different_working_tokens() {
    let app = spawn_app().await;
    let first = app.app_token().await;
    let second = app.app_token().await;
    assert_ne!(first, second, "each grant issues a fresh token");
    for token in [&first, &second] {
        ok_json(probe(&app, Some(token)).await).await;
    }
}

#[tokio::test]
async fn client_credentials_with_missing_or_wrong_credentials_are_refused() {
    let app = spawn_app().await;
    let cases = [
        (
            json!({"grant_type": "client_credentials", "client_secret": CLIENT_SECRET}),
            400,
            "illegal_argument",
            "client_id must be provided.",
            "client_id absent",
        ),
        (
            json!({"grant_type": "client_credentials", "client_id": CLIENT_ID}),
            400,
            "illegal_argument",
            "client_secret must be provided",
            "client_secret absent",
        ),
        (
            json!({"grant_type": "client_credentials", "client_id": "YXA6someone-else", "client_secret": CLIENT_SECRET}),
            400,
            "invalid_grant",
            "client_id does not match",
            "wrong client_id",
        ),
        (
            json!({"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": "YXA6wrong-secret"}),
            400,
            "invalid_grant",
            "client_secret does not match",
            "wrong client_secret",
        ),
    ];
    for (body, status, error, description, case) in cases {
        let resp = token_request(&app, &body).await;
        let answer = assert_error_row(case, resp, status, error, description).await;
        assert!(
            answer.get("access_token").is_none(),
            "case {case}: {answer}"
        );
    }
}

#[tokio::test]
async fn the_ttl_of_the_request_is_the_expires_in_of_the_answer() {
    let app = spawn_app().await;
    for ttl in [1, 60, 3600, 1_024_000] {
        let token = app_token_with_ttl(&app, ttl).await;
        assert_eq!(
            token["expires_in"], ttl,
            "expires_in for ttl {ttl}: {token}"
        );
    }
}

#[tokio::test]
async fn a_token_with_ttl_zero_never_expires() {
    let app = spawn_app().await;
    app.set_clock(T0).await;
    let token = app_token_with_ttl(&app, 0).await;
    assert_eq!(token["expires_in"], 0, "{token}");
    let token = token["access_token"].as_str().unwrap().to_owned();
    app.advance_clock(10 * 365 * 24 * 3_600_000).await;
    ok_json(probe(&app, Some(&token)).await).await;
}

// ------------------------------------------------------------------------------------------
// expiry and bearer checks

#[tokio::test]
async fn a_token_works_until_its_ttl_has_passed_on_the_emulator_clock() {
    let app = spawn_app().await;
    app.set_clock(T0).await;
    let token = app_token_with_ttl(&app, 60).await;
    let token = token["access_token"].as_str().unwrap().to_owned();

    app.advance_clock(59_000).await;
    ok_json(probe(&app, Some(&token)).await).await;

    app.advance_clock(999).await;
    ok_json(probe(&app, Some(&token)).await).await;

    app.advance_clock(1).await;
    assert_easemob_error(
        probe(&app, Some(&token)).await,
        401,
        "unauthorized",
        "Unable to authenticate due to expired access token",
    )
    .await;
}

#[tokio::test]
async fn a_call_without_authorization_is_refused_as_an_expired_token() {
    let app = spawn_app().await;
    let cases = [
        (probe(&app, None).await, "GET /users/alice"),
        (send_text_without_token(&app).await, "POST /messages/users"),
        (app.get("/users?limit=1", None).await, "GET /users"),
    ];
    for (resp, case) in cases {
        let body = assert_error_row(
            case,
            resp,
            401,
            "unauthorized",
            "Unable to authenticate due to expired access token",
        )
        .await;
        assert!(body.get("data").is_none(), "{case}: {body}");
    }
}

#[tokio::test]
async fn an_authorization_header_of_another_scheme_counts_as_no_token() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    let resp = app
        .client
        .get(app.app_url(ORG, APP, "/users/alice"))
        .header("Authorization", format!("Basic {token}"))
        .send()
        .await
        .unwrap();
    assert_easemob_error(
        resp,
        401,
        "unauthorized",
        "Unable to authenticate due to expired access token",
    )
    .await;
}

#[tokio::test]
async fn bearer_glued_to_the_token_without_a_space_counts_as_no_token() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    for value in [format!("Bearer{token}"), format!("bearer{token}")] {
        let resp = app
            .client
            .get(app.app_url(ORG, APP, "/users/alice"))
            .header("Authorization", value)
            .send()
            .await
            .unwrap();
        assert_easemob_error(
            resp,
            401,
            "unauthorized",
            "Unable to authenticate due to expired access token",
        )
        .await;
    }
    let resp = app
        .client
        .get(app.app_url(ORG, APP, "/users/alice"))
        .header("Authorization", format!("Bearer \t {token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "any white space separates the scheme");
}

#[tokio::test]
async fn a_token_that_does_not_decode_is_refused_as_corrupt() {
    let app = spawn_app().await;
    let real = app.app_token().await;
    let cases = [
        ("garbage".to_owned(), "a plain word"),
        (
            "YWMt!!!not*base64".to_owned(),
            "characters outside base64url",
        ),
        (real[..100].to_owned(), "a real token cut short"),
        (format!("{real}AAAA"), "a real token with bytes appended"),
    ];
    for (token, case) in cases {
        let resp = probe(&app, Some(&token)).await;
        let body = assert_error_row(
            case,
            resp,
            401,
            "auth_bad_access_token",
            "Unable to authenticate due to corrupt access token",
        )
        .await;
        assert!(body.get("entities").is_none(), "case {case}: {body}");
    }
}

#[tokio::test]
async fn a_well_formed_token_this_server_never_issued_is_refused() {
    let app = spawn_app().await;
    let real = app.app_token().await;
    let forged = flip_signature_char(&real);
    assert_ne!(forged, real);
    let cases = [
        (forged, "a real token with one signature character changed"),
        (
            "YWMt".to_owned() + &"A".repeat(126),
            "the token layout with zero ids and a zero signature",
        ),
    ];
    for (token, case) in cases {
        assert_token_shape(&token);
        let resp = probe(&app, Some(&token)).await;
        assert_error_row(
            case,
            resp,
            401,
            "auth_bad_access_token",
            "Unable to authenticate",
        )
        .await;
    }
}

#[tokio::test]
async fn a_token_of_another_emulator_instance_is_not_accepted() {
    let app = spawn_app().await;
    let other = spawn_with(Config {
        seed: Some(7),
        ..Config::default()
    })
    .await;
    let foreign = other.app_token().await;
    assert_easemob_error(
        probe(&app, Some(&foreign)).await,
        401,
        "auth_bad_access_token",
        "Unable to authenticate",
    )
    .await;
}

#[tokio::test]
async fn a_user_token_on_an_admin_api_is_refused_as_corrupt() {
    let app = spawn_app().await;
    let user = password_token(&app, "alice", "alice-password").await;
    let user_token = user["access_token"].as_str().unwrap();
    let cases = [
        (
            app.send_text(user_token, "alice", &["bob"], "hi").await,
            "POST /messages/users",
        ),
        (
            app.get("/users?limit=5", Some(user_token)).await,
            "GET /users",
        ),
        (
            app.delete("/users/bob", Some(user_token)).await,
            "DELETE /users/bob",
        ),
    ];
    for (resp, case) in cases {
        assert_error_row(
            case,
            resp,
            401,
            "auth_bad_access_token",
            "Unable to authenticate due to corrupt access token",
        )
        .await;
    }
    assert_eq!(
        app.journal("provider=easemob").await["total"],
        0,
        "nothing was sent with the user token"
    );
}

#[tokio::test]
async fn a_token_of_one_app_is_refused_by_another_app() {
    let app = spawn_app().await;
    let demo = app.app_token().await;
    let other = app.token_for("acme", "shop", "any-id", "any-secret").await;
    let cases = [
        (
            app.client
                .get(app.app_url("demo", "other", "/users?limit=1"))
                .bearer_auth(&demo)
                .send()
                .await
                .unwrap(),
            "demo/chat token on demo/other",
        ),
        (
            app.client
                .get(app.app_url("acme", "shop", "/users?limit=1"))
                .bearer_auth(&demo)
                .send()
                .await
                .unwrap(),
            "demo/chat token on acme/shop",
        ),
        (
            probe(&app, Some(&other)).await,
            "acme/shop token on demo/chat",
        ),
    ];
    for (resp, case) in cases {
        let body = envelope_row(case, resp, 401).await;
        assert_eq!(
            body["error"], "auth_bad_access_token",
            "case {case}: {body}"
        );
    }
}

// ------------------------------------------------------------------------------------------
// password and inherit grants

#[tokio::test]
async fn the_password_grant_gives_a_user_token_with_the_user() {
    let app = spawn_app().await;
    app.set_clock(T0).await;
    let answer = password_token(&app, "alice", "alice-password").await;
    assert_token_shape(answer["access_token"].as_str().unwrap());
    assert!(answer["expires_in"].is_u64(), "{answer}");
    let user = &answer["user"];
    assert_uuid_v1(&user["uuid"]);
    assert_eq!(user["type"], "user", "{answer}");
    assert_eq!(user["username"], "alice", "{answer}");
    assert_eq!(user["activated"], true, "{answer}");
    assert!(user["created"].is_i64(), "{answer}");
    assert!(user["modified"].is_i64(), "{answer}");
    assert!(
        user.get("password").is_none(),
        "the password is never echoed: {answer}"
    );

    let token = app.app_token().await;
    let listed = ok_json(probe(&app, Some(&token)).await).await;
    assert_eq!(
        listed["entities"][0]["uuid"], user["uuid"],
        "the token names the stored user"
    );
}

#[tokio::test]
async fn the_password_grant_takes_the_username_in_any_case_and_answers_it_lower_cased() {
    let app = spawn_app().await;
    let answer = password_token(&app, "ALICE", "alice-password").await;
    assert_eq!(answer["user"]["username"], "alice", "{answer}");
}

#[tokio::test]
async fn the_password_grant_honours_the_ttl() {
    let app = spawn_app().await;
    let body = json!({"grant_type": "password", "username": "bob", "password": "bob-password", "ttl": 3600});
    let answer = ok_json(token_request(&app, &body).await).await;
    assert_eq!(answer["expires_in"], 3600, "{answer}");
}

#[tokio::test]
async fn the_password_grant_refuses_a_wrong_password_and_an_unknown_user() {
    let app = spawn_app().await;
    let cases = [
        (
            json!({"grant_type": "password", "username": "alice", "password": "not-it"}),
            400,
            "invalid password",
            "wrong password",
        ),
        (
            json!({"grant_type": "password", "username": "zed", "password": "whatever"}),
            404,
            "user not found",
            "unknown user",
        ),
    ];
    for (body, status, description, case) in cases {
        let resp = token_request(&app, &body).await;
        assert_error_row(case, resp, status, "invalid_grant", description).await;
    }
}

#[tokio::test]
async fn the_inherit_grant_needs_an_app_token() {
    let app = spawn_app().await;
    let body = json!({"grant_type": "inherit", "username": "alice"});
    assert_easemob_error(
        app.post("/token", None, &body).await,
        401,
        "unauthorized",
        "Unable to authenticate due to expired access token",
    )
    .await;
    let user = password_token(&app, "alice", "alice-password").await;
    let user_token = user["access_token"].as_str().unwrap();
    assert_easemob_error(
        app.post("/token", Some(user_token), &body).await,
        401,
        "auth_bad_access_token",
        "Unable to authenticate due to corrupt access token",
    )
    .await;
}

#[tokio::test]
async fn the_inherit_grant_gives_a_token_of_an_existing_user() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    let body = json!({"grant_type": "inherit", "username": "bob"});
    let answer = ok_json(app.post("/token", Some(&token), &body).await).await;
    assert_token_shape(answer["access_token"].as_str().unwrap());
    assert_eq!(answer["user"]["username"], "bob", "{answer}");
    assert_eq!(answer["user"]["type"], "user", "{answer}");
}

#[tokio::test]
async fn the_inherit_grant_with_auto_create_user_creates_the_user() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    assert_easemob_error(
        app.get("/users/dora", Some(&token)).await,
        404,
        "service_resource_not_found",
        "Service resource not found",
    )
    .await;
    let body = json!({"grant_type": "inherit", "username": "Dora", "autoCreateUser": true});
    let answer = ok_json(app.post("/token", Some(&token), &body).await).await;
    assert_eq!(answer["user"]["username"], "dora", "{answer}");
    assert_eq!(answer["user"]["activated"], true, "{answer}");
    let stored = ok_json(app.get("/users/dora", Some(&token)).await).await;
    assert_eq!(
        stored["entities"][0]["uuid"], answer["user"]["uuid"],
        "{stored}"
    );
}

#[tokio::test]
async fn the_inherit_grant_without_auto_create_refuses_an_unknown_user() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    for (body, case) in [
        (
            json!({"grant_type": "inherit", "username": "dora"}),
            "autoCreateUser absent",
        ),
        (
            json!({"grant_type": "inherit", "username": "dora", "autoCreateUser": false}),
            "autoCreateUser false",
        ),
    ] {
        let resp = app.post("/token", Some(&token), &body).await;
        assert_error_row(case, resp, 404, "invalid_grant", "user not found").await;
    }
    assert_eq!(
        app.get("/users/dora", Some(&token)).await.status(),
        StatusCode::NOT_FOUND,
        "no user was created"
    );
}

// ------------------------------------------------------------------------------------------
// request parsing

#[tokio::test]
async fn an_unknown_or_missing_grant_type_is_a_bad_request() {
    let app = spawn_app().await;
    let cases = [
        (
            json!({"grant_type": "magic", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}),
            "unknown grant_type",
        ),
        (
            json!({"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}),
            "grant_type absent",
        ),
    ];
    for (body, case) in cases {
        let resp = token_request(&app, &body).await;
        let answer = envelope_row(case, resp, 400).await;
        assert!(
            answer.get("access_token").is_none(),
            "case {case}: {answer}"
        );
    }
}

#[tokio::test]
async fn a_malformed_json_token_request_answers_json_parse() {
    let app = spawn_app().await;
    let cases: [(&[u8], &str); 5] = [
        (b"", "empty body"),
        (b"  \n", "only whitespace"),
        (br#"{"grant_type"="client_credentials"}"#, "= instead of :"),
        (br#"{"grant_type":"client_credentials","#, "cut short"),
        (
            b"grant_type=client_credentials&client_id=x",
            "form-encoded body",
        ),
    ];
    for (body, case) in cases {
        let resp = app.post_raw("/token", None, body.to_vec()).await;
        let answer = envelope_row(case, resp, 400).await;
        assert_eq!(answer["error"], "json_parse", "case {case}: {answer}");
    }
}

#[tokio::test]
async fn a_malformed_json_token_request_is_described_as_jackson_describes_it() {
    // Contract §2.1: `json_parse` "Unexpected character ('=' (code 61)): was expecting a colon ...".
    let app = spawn_app().await;
    let body = br#"{"grant_type"="client_credentials"}"#.to_vec();
    let answer = easemob_envelope(app.post_raw("/token", None, body).await, 400).await;
    let description = answer["error_description"].as_str().unwrap();
    assert!(
        description.starts_with("Unexpected character ('=' (code 61)): was expecting a colon"),
        "{answer}"
    );
}

#[tokio::test]
async fn the_token_body_is_read_as_json_whatever_its_content_type() {
    let app = spawn_app().await;
    let body = json!({"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET})
        .to_string();
    let content_types = [
        None,
        Some("application/json"),
        Some("application/x-www-form-urlencoded"),
        Some("text/plain"),
    ];
    for content_type in content_types {
        let mut req = app
            .client
            .post(app.app_url(ORG, APP, "/token"))
            .body(body.clone());
        if let Some(ct) = content_type {
            req = req.header("Content-Type", ct);
        }
        let resp = req.send().await.unwrap();
        assert_eq!(
            resp.status(),
            StatusCode::OK,
            "content type {content_type:?}"
        );
        let token: Value = resp.json().await.unwrap();
        assert_token_shape(token["access_token"].as_str().unwrap());
    }
}

// ------------------------------------------------------------------------------------------
// tenants

#[tokio::test]
async fn an_unknown_org_and_app_is_created_on_first_use_and_takes_any_credentials() {
    let app = spawn_app().await;
    let body = json!({"grant_type": "client_credentials", "client_id": "YXA6anything", "client_secret": "YXA6whatever"});
    let answer = ok_json(app.post_to("acme", "shop", "/token", None, &body).await).await;
    assert_token_shape(answer["access_token"].as_str().unwrap());
    assert_uuid_v1(&answer["application"]);
    assert_ne!(
        answer["application"], DEMO_APPLICATION,
        "a new tenant has its own application"
    );
    let token = answer["access_token"].as_str().unwrap();
    let listed = app
        .client
        .get(app.app_url("acme", "shop", "/users"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let listed = ok_json(listed).await;
    assert_eq!(listed["organization"], "acme", "{listed}");
    assert_eq!(listed["applicationName"], "shop", "{listed}");
    assert_eq!(listed["application"], answer["application"], "{listed}");
}

#[tokio::test]
async fn strict_tenants_answer_an_unknown_org_and_app_with_not_found() {
    let app = spawn_with(Config {
        strict_tenants: true,
        ..Config::default()
    })
    .await;
    let body = json!({"grant_type": "client_credentials", "client_id": "a", "client_secret": "b"});
    assert_easemob_error(
        app.post_to("x", "y", "/token", None, &body).await,
        404,
        "organization_application_not_found",
        "Could not find application for x/y from URI: x/y/token",
    )
    .await;
    let resp = app
        .client
        .get(app.app_url("x", "y", "/users/alice"))
        .send()
        .await
        .unwrap();
    assert_easemob_error(
        resp,
        404,
        "organization_application_not_found",
        "Could not find application for x/y from URI: x/y/users/alice",
    )
    .await;
    let token = app.app_token().await;
    ok_json(probe(&app, Some(&token)).await).await;
}

// ------------------------------------------------------------------------------------------
// routing

#[tokio::test]
async fn a_wrong_method_on_a_known_path_answers_405_in_the_easemob_envelope() {
    let app = spawn_app().await;
    let cases = [
        (reqwest::Method::PUT, "/token"),
        (reqwest::Method::GET, "/token"),
        (reqwest::Method::DELETE, "/token"),
        (reqwest::Method::GET, "/messages/users"),
        (reqwest::Method::PUT, "/users"),
        (reqwest::Method::POST, "/users/alice"),
        (reqwest::Method::DELETE, "/chatfiles"),
    ];
    for (method, path) in cases {
        let case = format!("{method} {path}");
        let resp = app
            .client
            .request(method, app.app_url(ORG, APP, path))
            .send()
            .await
            .unwrap();
        envelope_row(&case, resp, 405).await;
    }
}

#[tokio::test]
async fn an_unknown_path_under_an_app_answers_service_resource_not_found() {
    let app = spawn_app().await;
    for path in ["/nope", "/users/alice/nope/deeper"] {
        let resp = app.get(path, None).await;
        assert_error_row(
            path,
            resp,
            404,
            "service_resource_not_found",
            "Service resource not found",
        )
        .await;
    }
}

#[tokio::test]
async fn a_one_segment_unknown_path_answers_the_emulators_own_404_with_closest_routes() {
    let app = spawn_app().await;
    let resp = app
        .client
        .get(format!("{}/nope", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["error"], "not_found", "{body}");
    let closest = body["closest"].as_array().expect("closest is an array");
    assert!(!closest.is_empty(), "{body}");
    assert!(
        closest
            .iter()
            .all(|r| r.as_str().is_some_and(|r| r.contains(" /"))),
        "each closest entry names a method and a path: {body}"
    );
}

#[tokio::test]
async fn a_token_request_that_is_a_json_array_is_refused_with_illegal_argument() {
    let app = spawn_app().await;
    let body = json!(["client_credentials", CLIENT_ID, CLIENT_SECRET]);
    let resp = app.post("/token", None, &body).await;
    error_kind_row("array body", resp, 400, "illegal_argument").await;
}

#[tokio::test]
async fn answers_allow_every_origin_and_preflights_succeed_for_browser_sdks() {
    let app = spawn_app().await;
    let token_url = app.app_url(ORG, APP, "/token");
    let preflight = app
        .client
        .request(reqwest::Method::OPTIONS, &token_url)
        .header("Origin", "http://localhost:3000")
        .header("Access-Control-Request-Method", "POST")
        .header(
            "Access-Control-Request-Headers",
            "content-type,authorization",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.status(), StatusCode::OK);
    let headers = preflight.headers();
    assert_eq!(headers["access-control-allow-origin"], "*");
    assert!(headers["access-control-allow-methods"]
        .to_str()
        .unwrap()
        .contains("POST"));
    assert_eq!(
        headers["access-control-allow-headers"],
        "content-type,authorization"
    );

    let token = app.app_token().await;
    let sent = app.send_text(&token, "alice", &["bob"], "hi").await;
    assert_eq!(sent.headers()["access-control-allow-origin"], "*");
    let refused = app.send_text("", "alice", &["bob"], "hi").await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(refused.headers()["access-control-allow-origin"], "*");
}
