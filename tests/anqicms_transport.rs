//! Black-box tests of AnqiCMS's transport as iris shapes it (contract §2) and of its sites:
//! answers byte for byte (HTTP 200 for everything handled, `application/json;
//! charset=utf-8`, keys sorted `code`, `data`, `msg`, `total`, Go's escapes with raw UTF-8,
//! a trailing newline, no `data` on errors), every POST route's body read by Go's decoder,
//! the HTML 404 page for unknown paths and wrong methods, `OPTIONS` and CORS; and tenants:
//! `/tenants/{name}/api/...` made by its first successful call, sites that share neither
//! users, orders nor tokens, and `strict_tenants`.
mod common;
use common::anqicms::*;

use im_emulator::config::Config;
use reqwest::Method;
use serde_json::json;

const POST_ROUTES: [&str; 6] = [
    "/register",
    "/login",
    "/communication/order/create",
    "/communication/order/update",
    "/communication/order/accept",
    "/communication/message/send",
];

/// Sends `method path` (under `/api`) with `headers`.
async fn call(site: &Site<'_>, method: Method, path: &str, headers: &[(&str, &str)]) -> Reply {
    let mut req = site.request(method, path, None);
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    read(req.send().await.expect("the request is answered")).await
}

// ------------------------------------------------------------------------------------------
// Bytes

#[tokio::test]
async fn answers_are_go_json_with_sorted_keys_and_a_newline() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let token = site.alice().await;
    let id = site.create_order(&token, "t").await;
    let reply = site.get("/communication/orders", Some(&token)).await;
    ok("orders", &reply, "");
    let text = reply.text();
    assert!(
        text.starts_with(&format!("{{\"code\":0,\"data\":[{{\"id\":{id},")),
        "{text}"
    );
    assert!(text.ends_with("}],\"msg\":\"\",\"total\":1}\n"), "{text}");
    assert_eq!(key_order(text), ["code", "data", "msg", "total"]);
    let failure = site
        .login(&json!({"user_name": ALICE, "password": "wrong-password"}))
        .await;
    assert_eq!(failure.text(), "{\"code\":-1,\"msg\":\"登录失败\"}\n");
    assert_eq!(failure.header("content-type"), Some(JSON_UTF8));
}

#[tokio::test]
async fn strings_are_escaped_as_go_escapes_them() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let token = site.alice().await;
    let id = site.create_order(&token, "t").await;
    site.say(&token, id, "<b>Tom & \"Jerry\"</b> 你好\u{2028}\u{2029}\\")
        .await;
    let reply = site.messages(&token, &format!("comm_order_id={id}")).await;
    let escaped =
        r#""content":"\u003cb\u003eTom \u0026 \"Jerry\"\u003c/b\u003e 你好\u2028\u2029\\""#;
    assert!(reply.text().contains(escaped), "{}", reply.text());
    assert!(
        !reply.text().contains('<') && !reply.text().contains('&'),
        "{}",
        reply.text()
    );
    assert_eq!(
        site.contents(&token, id).await,
        ["<b>Tom & \"Jerry\"</b> 你好\u{2028}\u{2029}\\"]
    );
}

#[tokio::test]
async fn an_empty_list_is_an_empty_array() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let token = site.alice().await;
    let orders = site.get("/communication/orders", Some(&token)).await;
    assert_eq!(
        orders.text(),
        "{\"code\":0,\"data\":[],\"msg\":\"\",\"total\":0}\n"
    );
    let id = site.create_order(&token, "t").await;
    let messages = site.messages(&token, &format!("comm_order_id={id}")).await;
    assert_eq!(
        messages.text(),
        "{\"code\":0,\"data\":[],\"msg\":\"\",\"total\":0}\n"
    );
}

#[tokio::test]
async fn every_post_route_reads_its_body_with_go_decoder_texts() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let token = site.alice().await;
    let rows: [(&[u8], &str); 4] = [
        (b"", "EOF"),
        (b"\n\t ", "EOF"),
        (
            b"{x",
            "invalid character 'x' looking for beginning of object key string",
        ),
        (b"}", "invalid character '}' looking for beginning of value"),
    ];
    for path in POST_ROUTES {
        for (body, msg) in rows {
            let reply = site.post_bytes(path, Some(&token), body.to_vec()).await;
            assert_failed(
                &format!("{path} {:?}", String::from_utf8_lossy(body)),
                &reply,
                msg,
            );
        }
    }
}

// ------------------------------------------------------------------------------------------
// 404, OPTIONS, CORS

#[tokio::test]
async fn unknown_paths_and_wrong_methods_are_the_html_404_page() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let token = site.alice().await;
    let rows = [
        (Method::GET, "/nope"),
        (Method::GET, "/communication"),
        (Method::GET, "/communication/order/detail/1"),
        (Method::GET, "/login"),
        (Method::GET, "/register"),
        (Method::GET, "/communication/message/send"),
        (Method::POST, "/communication/messages"),
        (Method::POST, "/communication/orders"),
        (Method::PUT, "/communication/order/update"),
        (Method::DELETE, "/communication/order/detail?id=1"),
        (Method::PATCH, "/communication/order/accept"),
    ];
    for (method, path) in rows {
        let reply = call(&site, method.clone(), path, &[("Token", &token)]).await;
        assert_html_404(&format!("{method} {path}"), &reply);
    }
}

#[tokio::test]
async fn options_is_the_cors_preflight() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let origin = [
        ("Origin", "http://localhost:3000"),
        ("Access-Control-Request-Method", "POST"),
    ];
    let reply = call(
        &site,
        Method::OPTIONS,
        "/communication/message/send",
        &origin,
    )
    .await;
    assert_eq!(reply.status, 204);
    assert!(reply.bytes.is_empty());
    let allowed = reply
        .header("access-control-allow-headers")
        .unwrap_or_default();
    for name in ["Token", "Site-Id", "Authorization"] {
        assert!(allowed.contains(name), "{name} in {allowed}");
    }
    assert!(reply
        .header("access-control-allow-methods")
        .unwrap_or_default()
        .contains("POST"));
    assert_eq!(
        reply.header("access-control-allow-origin"),
        Some("http://localhost:3000")
    );
    let foreign = [("Origin", "https://evil.example")];
    let reply = call(&site, Method::OPTIONS, "/communication/messages", &foreign).await;
    assert_eq!(
        (reply.status, reply.header("access-control-allow-origin")),
        (204, None)
    );
}

#[tokio::test]
async fn local_origins_are_echoed_and_update_token_is_exposed() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let token = site.alice().await;
    for origin in ["http://127.0.0.1:8080", "http://localhost"] {
        let reply = call(
            &site,
            Method::GET,
            "/communication/orders",
            &[("Token", &token), ("Origin", origin)],
        )
        .await;
        ok(origin, &reply, "");
        assert_eq!(reply.header("access-control-allow-origin"), Some(origin));
        let exposed = reply
            .header("access-control-expose-headers")
            .unwrap_or_default();
        assert!(exposed.contains("Update-Token"), "{origin}: {exposed}");
    }
    let foreign = call(
        &site,
        Method::GET,
        "/communication/orders",
        &[("Token", &token), ("Origin", "https://example.com")],
    )
    .await;
    ok("foreign", &foreign, "");
    assert_eq!(foreign.header("access-control-allow-origin"), None);
}

// ------------------------------------------------------------------------------------------
// Tenants

#[tokio::test]
async fn a_site_is_made_by_its_first_successful_call() {
    let app = spawn_anqi().await;
    let shop = Site::tenant(&app, "shop");
    assert_eq!(site_count(&app).await, 1, "only default");
    let bad = shop
        .login(&json!({"user_name": "nobody", "password": "secret1"}))
        .await;
    assert_failed("failed login", &bad, "登录失败");
    assert_no_login("anonymous", &shop.get("/communication/orders", None).await);
    assert_html_404("unknown path", &shop.get("/nope", None).await);
    assert_eq!(site_count(&app).await, 1, "no failed call made shop");
    let body = json!({"sender_type": "admin", "message_type": "text", "content": "hi"});
    let early = merchant(&app, 1, "messages", "tenant=shop", &body).await;
    assert_eq!(early.status().as_u16(), 404, "shop does not exist yet");
    let carol = shop
        .register_ok("carol", "secret1", "carol@example.com")
        .await;
    assert_eq!((site_count(&app).await, &carol["id"]), (2, &json!(3)));
}

#[tokio::test]
async fn users_of_one_site_cannot_log_in_to_another() {
    let app = spawn_anqi().await;
    let (root, shop) = (Site::new(&app), Site::tenant(&app, "shop"));
    root.register_ok("carol", "secret1", "carol@example.com")
        .await;
    shop.register_ok("dave", "secret1", "dave@example.com")
        .await;
    let carol = json!({"user_name": "carol", "password": "secret1"});
    assert_failed("carol on shop", &shop.login(&carol).await, "登录失败");
    let dave = json!({"email": "dave@example.com", "password": "secret1"});
    assert_failed("dave on default", &root.login(&dave).await, "登录失败");
    let again = shop
        .register_ok("carol", "other12", "carol@example.com")
        .await;
    assert_eq!(again["user_name"], "carol", "shop's names are its own");
}

#[tokio::test]
async fn orders_of_one_site_are_not_seen_from_another() {
    let app = spawn_anqi().await;
    let (root, shop) = (Site::new(&app), Site::tenant(&app, "shop"));
    let root_token = root.alice().await;
    let id = root.create_order(&root_token, "root order").await;
    let shop_token = shop.alice().await;
    assert_eq!(shop.orders(&shop_token, "").await, (vec![], 0));
    assert_failed("detail", &shop.detail(&shop_token, id).await, "订单不存在");
    let send = shop.send_as(&shop_token, id, ALICE_ID, "text", "hi").await;
    assert_failed("send", &send, "订单不存在");
    assert_eq!(root.orders(&root_token, "").await.1, 1);
}

#[tokio::test]
async fn a_token_of_one_site_is_anonymous_on_another() {
    let app = spawn_anqi().await;
    let (root, shop) = (Site::new(&app), Site::tenant(&app, "shop"));
    let carol = root
        .register_ok("carol", "secret1", "carol@example.com")
        .await;
    let dave = shop
        .register_ok("dave", "secret1", "dave@example.com")
        .await;
    assert_eq!((&carol["id"], &dave["id"]), (&json!(3), &json!(3)));
    let dave_token = shop.token("dave", "secret1").await;
    shop.create_order(&dave_token, "dave's").await;
    let carol_token = carol["token"].as_str().unwrap();
    let reply = shop.get("/communication/orders", Some(carol_token)).await;
    assert_no_login("carol's token on shop", &reply);
}

#[tokio::test]
async fn strict_tenants_refuse_unknown_sites() {
    let app = spawn_anqi_with(Config {
        strict_tenants: true,
        ..Config::default()
    })
    .await;
    let shop = Site::tenant(&app, "shop");
    let body = json!({"user_name": "carol", "password": "secret1", "email": "carol@example.com"});
    assert_html_404("register", &shop.register(&body).await);
    assert_html_404(
        "login",
        &shop
            .login(&json!({"user_name": ALICE, "password": ALICE_PASSWORD}))
            .await,
    );
    assert_eq!(site_count(&app).await, 1);
    let root = Site::new(&app);
    assert_eq!(
        root.register_ok("carol", "secret1", "carol@example.com")
            .await["id"],
        3
    );
    let explicit = Site::tenant(&app, "default");
    assert!(
        !explicit.alice().await.is_empty(),
        "default is a known site under /tenants too"
    );
}

#[tokio::test]
async fn a_name_that_cannot_be_a_site_is_the_404_page() {
    let app = spawn_anqi().await;
    let long = "s".repeat(65);
    for name in [long.as_str(), "bad!name", "sp%20ace"] {
        let site = Site::tenant(&app, name);
        let body =
            json!({"user_name": "carol", "password": "secret1", "email": "carol@example.com"});
        assert_html_404(name, &site.register(&body).await);
    }
    assert_eq!(site_count(&app).await, 1);
}
