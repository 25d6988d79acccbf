//! Black-box tests of AnqiCMS details a client meets at the edges: user names and emails
//! matched without case (MySQL's collation), values too long for their columns (MySQL's 1406),
//! the 1001 text in each of the site's nine locales, cookies as Go reads them, the CORS headers
//! on every answer, golang-jwt v5's registered claims, Go's wrapping page offset, and the
//! site's bound on message bytes.
mod common;
use common::anqicms::*;
use common::openim::sign_jwt;
use common::*;

use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn user_names_and_emails_match_without_case() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let taken = site
        .register(&json!({"user_name": "ALICE", "password": "secret1", "email": "a2@example.com"}))
        .await;
    assert_failed("ALICE", &taken, "该用户名已被注册");
    let taken = site
        .register(
            &json!({"user_name": "alice2", "password": "secret1", "email": "Alice@Example.com"}),
        )
        .await;
    assert_failed("Alice@Example.com", &taken, "该邮箱已被注册");
    for account in [
        json!({"user_name": "ALICE"}),
        json!({"email": "ALICE@example.COM"}),
    ] {
        let mut body = account.clone();
        body["password"] = json!(ALICE_PASSWORD);
        let user = data_of(&account.to_string(), &site.login(&body).await);
        assert_eq!(user["id"], ALICE_ID, "{account}");
    }
}

#[tokio::test]
async fn values_too_long_for_their_columns_are_refused_as_mysql_refuses_them() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let long_name = "n".repeat(65);
    let reply = site
        .register(&json!({"user_name": long_name, "password": "secret1", "email": "n@example.com"}))
        .await;
    assert_failed(
        "user_name",
        &reply,
        "Error 1406 (22001): Data too long for column 'user_name' at row 1",
    );
    let token = site.alice().await;
    let body = json!({"title": "t".repeat(251), "phone": "13800000000"});
    let reply = site.create(&token, &body).await;
    assert_failed(
        "title",
        &reply,
        "Error 1406 (22001): Data too long for column 'title' at row 1",
    );
    let order = site.create_order(&token, "ok").await;
    let body = json!({"comm_order_id": order, "sender_id": 1, "sender_name": "s".repeat(65),
        "message_type": "text", "content": "hi"});
    let reply = site.send(&token, &body).await;
    assert_failed(
        "sender_name",
        &reply,
        "Error 1406 (22001): Data too long for column 'sender_name' at row 1",
    );
    assert_eq!(
        site.orders(&token, "").await.1,
        1,
        "no order was stored by the refused create"
    );
}

#[tokio::test]
async fn the_login_text_follows_the_request_language_among_the_nine_locales() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let cases = [
        ("", "zh-TW,zh;q=0.9", "此操作需要登錄，請登入後重試"),
        ("", "ja", "この操作にはログインが必要です。ログインしてもう一度お試しください。"),
        ("", "fr-FR, en;q=0.5", NO_LOGIN_EN),
        ("", "en;q=0.1, ru;q=0.8", "Для этой операции требуется вход в систему. Пожалуйста, войдите в систему и повторите попытку."),
        ("lang=xx", "en-GB", NO_LOGIN_EN),
        ("lang=pt-BR", "en", "Esta operação requer login, faça login e tente novamente"),
        ("", "de", NO_LOGIN_ZH),
    ];
    for (query, accept, text) in cases {
        let path = format!("/communication/orders?{query}");
        let req = site
            .request(Method::GET, &path, None)
            .header("Accept-Language", accept);
        let reply = read(req.send().await.unwrap()).await;
        assert_failure(&format!("{query} {accept}"), &reply, 1001, text);
    }
}

#[tokio::test]
async fn the_token_cookie_is_read_as_go_reads_it() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let token = site.alice().await;
    let cookies = [
        format!("token=\"{token}\""),
        format!("theme=日本; token={token}"),
        format!("bad; token={}", token.replace('.', "%2E")),
    ];
    for cookie in cookies {
        let req = site
            .request(Method::GET, "/communication/orders", None)
            .header("Cookie", cookie.as_str());
        let reply = read(req.send().await.unwrap()).await;
        ok(&cookie, &reply, "");
    }
}

#[tokio::test]
async fn every_answer_carries_the_cors_headers() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let req = site
        .request(Method::GET, "/communication/orders", None)
        .header("Origin", "https://example.com");
    let reply = read(req.send().await.unwrap()).await;
    assert_no_login("anonymous", &reply);
    assert_eq!(
        reply.header("access-control-allow-credentials"),
        Some("true")
    );
    assert_eq!(
        reply.header("access-control-allow-methods"),
        Some("GET,POST,PUT,DELETE,PATCH,OPTIONS")
    );
    assert_eq!(
        reply.header("access-control-expose-headers"),
        Some("Content-Disposition,Update-Token")
    );
    assert!(reply
        .header("access-control-allow-headers")
        .is_some_and(|h| h.contains("Sub-Site-Id")));
    assert_eq!(
        reply.header("access-control-allow-origin"),
        None,
        "a foreign origin is not echoed"
    );
}

#[tokio::test]
async fn registered_claims_are_held_to_golang_jwt_v5() {
    let app = spawn_anqi().await;
    app.set_clock(T0).await;
    let site = Site::new(&app);
    let far = (T0_S + 30 * DAY_S).to_string();
    let header = r#"{"alg":"HS256","typ":"JWT"}"#;
    let with = |extra: serde_json::Value| {
        let mut claims = json!({"userId": "1", "t": far});
        claims
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        sign_jwt(header, &claims.to_string(), TOKEN_KEY)
    };
    let refused = [
        with(json!({"exp": T0_S - 1})),
        with(json!({"nbf": T0_S + 60})),
        with(json!({"exp": "soon"})),
    ];
    for token in refused {
        assert_no_login(
            &token,
            &site.get("/communication/orders", Some(&token)).await,
        );
    }
    let fine = with(json!({"exp": T0_S + 60}));
    ok(
        "exp ahead",
        &site.get("/communication/orders", Some(&fine)).await,
        "",
    );
    let forever = forge("1", "99999999999999999999", TOKEN_KEY);
    ok(
        "t past int64",
        &site.get("/communication/orders", Some(&forever)).await,
        "",
    );
    let padded = format!("{}=", site.alice().await);
    assert_no_login(
        "padded",
        &site.get("/communication/orders", Some(&padded)).await,
    );
}

#[tokio::test]
async fn a_page_offset_that_wraps_in_go_is_the_first_page() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let token = site.alice().await;
    let order = site.create_order(&token, "o").await;
    for text in ["m1", "m2", "m3"] {
        site.say(&token, order, text).await;
    }
    let (items, total) = site
        .message_page(&token, order, "&current=9223372036854775807&page_size=2")
        .await;
    assert_eq!(
        (contents(&items), total),
        (vec!["m1".to_owned(), "m2".to_owned()], 3)
    );
}

#[tokio::test]
async fn past_max_message_bytes_the_oldest_messages_are_evicted() {
    let users = json!([{"user_name": ALICE, "password": ALICE_PASSWORD, "email": ALICE_EMAIL}]);
    let fixtures = json!({"defaults": {"max_message_bytes": 10, "users": users}});
    let dir = fixture_folder("anqicms", &fixtures);
    let app = spawn_anqi_with(im_emulator::config::Config {
        fixtures: Some(dir),
        ..Default::default()
    })
    .await;
    let site = Site::new(&app);
    let token = site.alice().await;
    let order = site.create_order(&token, "o").await;
    for text in ["aaaa", "bbbb", "cccc"] {
        site.say(&token, order, text).await;
    }
    assert_eq!(site.contents(&token, order).await, ["bbbb", "cccc"]);
    let health = app.health().await;
    assert_eq!(health["usage"]["anqicms"]["message_bytes"], 8);
}
