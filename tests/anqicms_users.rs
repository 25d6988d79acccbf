//! Black-box tests of AnqiCMS's users and authentication (contract §3): `POST /api/register`
//! (its checks in order with their messages, the user object's keys in struct order, the
//! token at `data.token`, the `token` cookie), `POST /api/login` (by user name, email or
//! phone, the unanchored phone match, its failures, the cookie's lifetime with and without
//! `remember`), and the user-token middleware: the `Token` header in any spelling, the
//! `token` cookie, `Authorization` ignored, bad, forged and expired tokens leaving the call
//! anonymous, `Update-Token` within an hour of expiry, and 1001 in Chinese or English.
mod common;
use common::anqicms::*;
use common::*;

use reqwest::Method;
use serde_json::{json, Value};

/// Thirty days in seconds.
const MONTH_S: i64 = 30 * DAY_S;

/// Asserts a successful register or login of `name` (id `id`): the user object's keys in
/// order, the 30-day token and the cookie carrying it. Returns the user.
fn assert_signed_in(case: &str, reply: &Reply, name: &str, id: u64) -> Value {
    let user = data_of(case, reply);
    assert_eq!(
        keys(&ok(case, reply, "")),
        sorted(&["code", "data", "msg"]),
        "case {case}"
    );
    assert_eq!(
        key_order(&raw_data(reply.text())),
        owned(&USER_KEYS),
        "case {case}"
    );
    assert_eq!(
        (user["user_name"].as_str(), user["id"].as_u64()),
        (Some(name), Some(id)),
        "case {case}"
    );
    let token = user["token"].as_str().expect("data.token");
    let cookie = reply.set_cookie();
    assert!(
        cookie.starts_with(&format!("token={token};")),
        "case {case}: {cookie}"
    );
    assert!(cookie.contains("Path=/"), "case {case}: {cookie}");
    assert!(
        !reply.text().contains("\"password\""),
        "case {case}: no password"
    );
    user
}

/// Asserts that `token` names user `id` and expires `ttl_s` after `now_s`, both as strings.
fn assert_claims(token: &str, id: u64, now_s: i64, ttl_s: i64) {
    let claims = claims(token);
    assert_eq!(keys(&claims), sorted(&["userId", "t"]), "{claims}");
    assert_eq!(claims["userId"], id.to_string(), "{claims}");
    assert_eq!(claims["t"], (now_s + ttl_s).to_string(), "{claims}");
}

/// `GET /api/communication/orders` with `token`: whether the call was logged in (code 0)
/// or anonymous (1001), asserting the exact envelope either way.
async fn logged_in(site: &Site<'_>, case: &str, token: &str) -> bool {
    let reply = site.get("/communication/orders", Some(token)).await;
    logged_in_reply(case, &reply)
}

fn logged_in_reply(case: &str, reply: &Reply) -> bool {
    let body = envelope(case, reply);
    if body["code"] == 1001 {
        assert_no_login(case, reply);
        return false;
    }
    ok(case, reply, "");
    true
}

// ------------------------------------------------------------------------------------------
// Register

#[tokio::test]
async fn register_answers_the_user_with_a_token_and_sets_the_cookie() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let body = json!({"user_name": "carol", "password": "secret1", "email": "carol@example.com",
        "phone": "13900000003", "real_name": "Carol"});
    let reply = site.register(&body).await;
    let user = assert_signed_in("register", &reply, "carol", 3);
    assert_eq!(user["email"], "carol@example.com");
    assert_eq!(user["phone"], "13900000003");
    assert_eq!(user["real_name"], "Carol");
    assert_eq!(
        (user["status"].as_i64(), user["created_time"].as_i64()),
        (Some(1), Some(T0_S))
    );
    let token = user["token"].as_str().unwrap();
    assert_claims(token, 3, T0_S, MONTH_S);
    assert!(logged_in(&site, "the new token", token).await);
}

#[tokio::test]
async fn register_checks_run_in_the_documented_order() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let p = "secret1";
    let rows = [
        (json!({}), "请正确填写用户名和密码"),
        (json!({"user_name": "new1"}), "请正确填写用户名和密码"),
        (
            json!({"password": p, "email": "n@example.com"}),
            "请正确填写用户名和密码",
        ),
        (
            json!({"user_name": "new1", "password": "12345"}),
            "请输入6位以上的密码",
        ),
        (
            json!({"user_name": ALICE, "password": "12345"}),
            "请输入6位以上的密码",
        ),
        (
            json!({"user_name": ALICE, "password": p, "phone": "123", "email": "bad"}),
            "该用户名已被注册",
        ),
        (
            json!({"user_name": "new1", "password": p, "phone": "123", "email": "bad"}),
            "手机号不正确",
        ),
        (
            json!({"user_name": "new1", "password": p, "phone": BOB_PHONE, "email": "bad"}),
            "该手机号已被注册",
        ),
        (
            json!({"user_name": "new1", "password": p, "email": "bad"}),
            "邮箱不正确",
        ),
        (
            json!({"user_name": "new1", "password": p, "email": ALICE_EMAIL}),
            "该邮箱已被注册",
        ),
        (
            json!({"user_name": "new1", "password": p}),
            "邮箱和手机号至少填写一个",
        ),
    ];
    for (body, msg) in rows {
        let reply = site.register(&body).await;
        assert_failed(&body.to_string(), &reply, msg);
        assert!(reply.header("set-cookie").is_none(), "{body}: no cookie");
    }
    let user = site.register_ok("new1", p, "new1@example.com").await;
    assert_eq!(
        user["user_name"], "new1",
        "none of the refused calls stored new1"
    );
}

#[tokio::test]
async fn register_with_a_phone_alone_then_log_in_by_it() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let body = json!({"user_name": "dave", "password": "secret1", "phone": "13900000004"});
    let reply = site.register(&body).await;
    assert_eq!(assert_signed_in("register", &reply, "dave", 3)["email"], "");
    let login = site
        .login(&json!({"phone": "13900000004", "password": "secret1"}))
        .await;
    assert_signed_in("login by phone", &login, "dave", 3);
}

#[tokio::test]
async fn register_refuses_bad_json_with_go_texts() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let rows: [(&[u8], &str); 3] = [
        (b"", "EOF"),
        (b"{x", "invalid character 'x' looking for beginning of object key string"),
        (br#"{"user_name": 5}"#, "json: cannot unmarshal number into Go struct field ApiRegisterRequest.user_name of type string"),
    ];
    for (body, msg) in rows {
        let reply = site.post_bytes("/register", None, body.to_vec()).await;
        assert_failed(&String::from_utf8_lossy(body), &reply, msg);
    }
}

// ------------------------------------------------------------------------------------------
// Login

#[tokio::test]
async fn login_finds_the_account_by_user_name_email_or_phone() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let rows = [
        (
            json!({"user_name": ALICE, "password": ALICE_PASSWORD}),
            ALICE,
            ALICE_ID,
        ),
        (
            json!({"platform": "website", "user_name": ALICE, "password": ALICE_PASSWORD}),
            ALICE,
            ALICE_ID,
        ),
        (
            json!({"email": ALICE_EMAIL, "password": ALICE_PASSWORD}),
            ALICE,
            ALICE_ID,
        ),
        (
            json!({"user_name": ALICE_EMAIL, "password": ALICE_PASSWORD}),
            ALICE,
            ALICE_ID,
        ),
        (
            json!({"phone": BOB_PHONE, "password": BOB_PASSWORD}),
            BOB,
            BOB_ID,
        ),
        (
            json!({"user_name": BOB_PHONE, "password": BOB_PASSWORD}),
            BOB,
            BOB_ID,
        ),
        (
            json!({"user_name": ALICE, "email": BOB_EMAIL, "password": BOB_PASSWORD}),
            BOB,
            BOB_ID,
        ),
        (
            json!({"user_name": ALICE, "phone": BOB_PHONE, "password": BOB_PASSWORD}),
            BOB,
            BOB_ID,
        ),
    ];
    for (body, name, id) in rows {
        let case = body.to_string();
        let user = assert_signed_in(&case, &site.login(&body).await, name, id);
        assert_claims(user["token"].as_str().unwrap(), id, T0_S, MONTH_S);
        assert_eq!(user["last_login"], T0_S, "case {case}");
    }
}

#[tokio::test]
async fn login_failures_have_their_messages() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let rows = [
        (json!({}), "请输入账号"),
        (json!({"password": ALICE_PASSWORD}), "请输入账号"),
        (
            json!({"user_name": "   ", "password": ALICE_PASSWORD}),
            "请输入账号",
        ),
        (json!({"user_name": ALICE}), "请输入6位及以上长度的密码"),
        (
            json!({"user_name": ALICE, "password": "12345"}),
            "请输入6位及以上长度的密码",
        ),
        (
            json!({"user_name": ALICE, "password": "  12345  "}),
            "请输入6位及以上长度的密码",
        ),
        (
            json!({"user_name": ALICE, "password": "wrong-password"}),
            "登录失败",
        ),
        (
            json!({"user_name": ALICE, "password": BOB_PASSWORD}),
            "登录失败",
        ),
        (
            json!({"user_name": "nobody", "password": "secret1"}),
            "登录失败",
        ),
        (
            json!({"email": "nobody@example.com", "password": ALICE_PASSWORD}),
            "登录失败",
        ),
        (
            json!({"phone": "13900009999", "password": BOB_PASSWORD}),
            "登录失败",
        ),
    ];
    for (body, msg) in rows {
        let reply = site.login(&body).await;
        assert_failed(&body.to_string(), &reply, msg);
        assert!(reply.header("set-cookie").is_none(), "{body}: no cookie");
    }
}

#[tokio::test]
async fn login_refuses_bad_json_with_go_texts() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let rows: [(&[u8], &str); 3] = [
        (b"  ", "EOF"),
        (b"user_name=alice", "invalid character 'u' looking for beginning of value"),
        (br#"{"user_name":"alice","password":"alice123","remember":"yes"}"#,
            "json: cannot unmarshal string into Go struct field ApiLoginRequest.remember of type bool"),
    ];
    for (body, msg) in rows {
        let reply = site.post_bytes("/login", None, body.to_vec()).await;
        assert_failed(&String::from_utf8_lossy(body), &reply, msg);
    }
}

#[tokio::test]
async fn a_user_name_holding_a_mobile_number_is_looked_up_by_phone() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    site.register_ok("vip13900000001", "secret1", "vip@example.com")
        .await;
    let by_name = json!({"user_name": "vip13900000001", "password": "secret1"});
    assert_failed("by name", &site.login(&by_name).await, "登录失败");
    let by_email = json!({"user_name": "vip@example.com", "password": "secret1"});
    assert_signed_in(
        "by email",
        &site.login(&by_email).await,
        "vip13900000001",
        3,
    );
}

/// The `Expires` attribute of a cookie that lasts `s` seconds from `T0`.
fn expires_after(s: i64) -> String {
    let at = chrono::DateTime::from_timestamp(T0_S + s, 0).unwrap();
    format!("Expires={}", at.format("%a, %d %b %Y %H:%M:%S GMT"))
}

#[tokio::test]
async fn the_login_cookie_lasts_a_day_or_thirty_days_with_remember() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let rows = [
        (json!(null), DAY_S),
        (json!(false), DAY_S),
        (json!(true), MONTH_S),
    ];
    for (remember, lifetime) in rows {
        let body = json!({"user_name": ALICE, "password": ALICE_PASSWORD, "remember": remember});
        let reply = site.login(&body).await;
        let user = assert_signed_in(&body.to_string(), &reply, ALICE, ALICE_ID);
        assert_claims(user["token"].as_str().unwrap(), ALICE_ID, T0_S, MONTH_S);
        let cookie = reply.set_cookie();
        assert!(
            cookie.contains(&format!("Max-Age={lifetime}")),
            "{body}: {cookie}"
        );
        assert!(
            cookie.contains(&expires_after(lifetime)),
            "{body}: {cookie}"
        );
    }
}

#[tokio::test]
async fn login_records_the_time_of_the_last_login() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    site.alice().await;
    app.advance_clock(DAY_MS).await;
    let body = json!({"user_name": ALICE, "password": ALICE_PASSWORD});
    let user = assert_signed_in("second login", &site.login(&body).await, ALICE, ALICE_ID);
    assert_eq!(user["last_login"], T0_S + DAY_S);
    assert_claims(
        user["token"].as_str().unwrap(),
        ALICE_ID,
        T0_S + DAY_S,
        MONTH_S,
    );
}

// ------------------------------------------------------------------------------------------
// The token middleware

#[tokio::test]
async fn the_token_header_is_read_in_any_spelling() {
    let app = spawn_anqi().await;
    let token = Site::new(&app).alice().await;
    for name in ["Token", "token", "TOKEN", "tOkEn"] {
        let reply = raw(
            &app,
            "GET",
            "/api/communication/orders",
            &[(name, &token)],
            "",
        )
        .await;
        assert_eq!(reply.status, 200, "{name}: {}", reply.body);
        assert_eq!(
            reply.body, "{\"code\":0,\"data\":[],\"msg\":\"\",\"total\":0}\n",
            "{name}"
        );
    }
    let anonymous = raw(&app, "GET", "/api/communication/orders", &[], "").await;
    assert_eq!(
        anonymous.body,
        format!("{{\"code\":1001,\"msg\":\"{NO_LOGIN_ZH}\"}}\n")
    );
}

#[tokio::test]
async fn the_token_cookie_authenticates() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let token = site.alice().await;
    for cookie in [
        format!("token={token}"),
        format!("lang=zh-CN; token={token}; theme=dark"),
    ] {
        let req = site.request(Method::GET, "/communication/orders", None);
        let reply = read(req.header("Cookie", &cookie).send().await.unwrap()).await;
        assert!(logged_in_reply(&cookie, &reply), "{cookie}");
    }
}

#[tokio::test]
async fn the_header_is_read_before_the_cookie() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let token = site.alice().await;
    let rows = [
        (token.as_str(), "token=garbage".to_owned(), true),
        ("", format!("token={token}"), true),
        ("garbage", format!("token={token}"), false),
    ];
    for (header, cookie, expected) in rows {
        let req = site.request(Method::GET, "/communication/orders", None);
        let req = req.header("Token", header).header("Cookie", &cookie);
        let reply = read(req.send().await.unwrap()).await;
        assert_eq!(
            logged_in_reply(&cookie, &reply),
            expected,
            "header {header:?}, {cookie}"
        );
    }
}

#[tokio::test]
async fn authorization_is_never_read() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let token = site.alice().await;
    for value in [format!("Bearer {token}"), token.clone()] {
        let req = site.request(Method::GET, "/communication/orders", None);
        let reply = read(req.header("Authorization", &value).send().await.unwrap()).await;
        assert_no_login(&value, &reply);
    }
}

/// `token` with its character at `at` changed.
fn tampered(token: &str, at: usize) -> String {
    let mut bytes = token.as_bytes().to_vec();
    bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
    String::from_utf8(bytes).unwrap()
}

#[tokio::test]
async fn bad_and_forged_tokens_leave_the_call_anonymous() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let token = site.alice().await;
    let later = (T0_S + DAY_S).to_string();
    let parts: Vec<&str> = token.split('.').collect();
    let bob_claims = forge(&BOB_ID.to_string(), &later, TOKEN_KEY);
    let swapped = format!(
        "{}.{}.{}",
        parts[0],
        bob_claims.split('.').nth(1).unwrap(),
        parts[2]
    );
    let numeric = json!({"userId": 1, "t": T0_S + DAY_S}).to_string();
    let rows = [
        ("garbage", "abc".to_owned()),
        ("tampered signature", tampered(&token, token.len() - 2)),
        ("claims of bob under alice's signature", swapped),
        (
            "signed with another key",
            forge("1", &later, "another-secret-user-token"),
        ),
        ("an unknown user", forge("99", &later, TOKEN_KEY)),
        ("numeric claims", sign_jwt_hs256(&numeric)),
        (
            "already expired",
            forge("1", &(T0_S - 1).to_string(), TOKEN_KEY),
        ),
    ];
    for (case, bad) in rows {
        assert!(!logged_in(&site, case, &bad).await, "case {case}");
    }
    assert!(
        logged_in(&site, "bob forged right", &bob_claims).await,
        "the forge is sound"
    );
}

/// `claims` signed as the site signs tokens.
fn sign_jwt_hs256(claims: &str) -> String {
    common::openim::sign_jwt(r#"{"alg":"HS256","typ":"JWT"}"#, claims, TOKEN_KEY)
}

#[tokio::test]
async fn a_token_lasts_thirty_days() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let token = site.alice().await;
    app.set_clock(T0 + MONTH_S * 1000 - 1000).await;
    assert!(logged_in(&site, "a second before expiry", &token).await);
    app.set_clock(T0 + MONTH_S * 1000 + 1000).await;
    assert!(!logged_in(&site, "a second after expiry", &token).await);
}

#[tokio::test]
async fn a_token_within_an_hour_of_expiry_is_renewed_in_update_token() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let token = site.alice().await;
    app.set_clock(T0 + (MONTH_S - 2 * HOUR_S) * 1000).await;
    let early = site.get("/communication/orders", Some(&token)).await;
    assert!(logged_in_reply("two hours left", &early));
    assert_eq!(early.header("update-token"), None, "not renewed yet");
    let now_s = T0_S + MONTH_S - 1800;
    app.set_clock(now_s * 1000).await;
    let late = site.get("/communication/orders", Some(&token)).await;
    assert!(logged_in_reply("half an hour left", &late));
    let renewed = late
        .header("update-token")
        .expect("Update-Token")
        .to_owned();
    assert_claims(&renewed, ALICE_ID, now_s, DAY_S);
    app.set_clock((T0_S + MONTH_S + 60) * 1000).await;
    assert!(!logged_in(&site, "the old token", &token).await);
    let fresh = site.get("/communication/orders", Some(&renewed)).await;
    assert!(logged_in_reply("the renewed token", &fresh));
    assert_eq!(
        fresh.header("update-token"),
        None,
        "a day left: not renewed"
    );
}

#[tokio::test]
async fn login_routes_answer_1001_in_english_when_the_request_asks() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let rows = [
        ("", None, None, NO_LOGIN_ZH),
        ("?lang=en", None, None, NO_LOGIN_EN),
        ("?lang=en-US", None, None, NO_LOGIN_EN),
        ("", Some("lang=en"), None, NO_LOGIN_EN),
        ("", None, Some("en-US,en;q=0.9"), NO_LOGIN_EN),
        ("", None, Some("zh-CN,zh;q=0.9,en;q=0.8"), NO_LOGIN_ZH),
        ("?lang=zh-CN", None, Some("en"), NO_LOGIN_ZH),
        ("", Some("lang=zh-CN"), Some("en"), NO_LOGIN_ZH),
        ("?lang=en", Some("lang=zh-CN"), None, NO_LOGIN_EN),
    ];
    for (query, cookie, language, msg) in rows {
        for (method, path) in [
            (Method::GET, "/communication/orders"),
            (Method::POST, "/communication/message/send"),
        ] {
            let mut req = site.request(method.clone(), &format!("{path}{query}"), None);
            if let Some(cookie) = cookie {
                req = req.header("Cookie", cookie);
            }
            if let Some(language) = language {
                req = req.header("Accept-Language", language);
            }
            let reply = read(req.send().await.unwrap()).await;
            assert_failure(
                &format!("{method} {query} {cookie:?} {language:?}"),
                &reply,
                1001,
                msg,
            );
        }
    }
}
