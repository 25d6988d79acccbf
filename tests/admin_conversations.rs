//! `/_emulator/conversations` and `/_emulator/conversations/messages`, as the web inspector
//! reads them: a tenant's threads whichever direction a message went, newest activity first,
//! searchable, and one thread paged back from its newest message; the tenants listing's
//! journal count; and the inspector's own files.

mod common;
use common::control::admin;
use common::yunxin::Yx;
use common::*;

use im_emulator::config::Config;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const EASEMOB: &str = "provider=easemob&tenant=demo/chat";

async fn conversations(app: &TestApp, query: &str) -> Value {
    let (status, body) = admin(app, Method::GET, &format!("/conversations?{query}"), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

async fn thread(app: &TestApp, query: &str) -> Value {
    let path = format!("/conversations/messages?{query}");
    let (status, body) = admin(app, Method::GET, &path, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

fn key_query(key: &str) -> String {
    format!("{EASEMOB}&key={}", urlencoding(key))
}

fn urlencoding(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn keys_of(listing: &Value) -> Vec<String> {
    let items = listing["conversations"].as_array().expect("conversations");
    items
        .iter()
        .map(|c| c["key"].as_str().unwrap().to_owned())
        .collect()
}

fn seqs(page: &Value) -> Vec<u64> {
    let items = page["messages"].as_array().expect("messages");
    items.iter().map(|m| m["seq"].as_u64().unwrap()).collect()
}

async fn send(app: &TestApp, token: &str, from: &str, to: &[&str], text: &str) {
    let resp = app.send_text(token, from, to, text).await;
    assert_eq!(resp.status(), StatusCode::OK, "{text}");
}

#[actix_web::test]
async fn a_pair_is_one_conversation_whichever_way_its_messages_went() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    send(&app, &token, "alice", &["bob"], "hi bob").await;
    send(&app, &token, "bob", &["alice"], "hi alice").await;
    let listing = conversations(&app, EASEMOB).await;
    assert_eq!(listing["total"], 1, "{listing}");
    let only = &listing["conversations"][0];
    assert_eq!(only["key"], r#"["single","alice","bob"]"#);
    assert_eq!(only["chat_type"], "single");
    assert_eq!(only["members"], json!(["alice", "bob"]));
    assert_eq!(only["messages"], 2);
    assert_eq!(only["last"]["from"], "bob", "the newest message: {only}");
    assert_eq!(only["last"]["content"]["msg"], "hi alice");
}

#[actix_web::test]
async fn conversations_come_newest_activity_first_and_a_group_gathers_its_senders() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    send(&app, &token, "alice", &["carol"], "first").await;
    let body = json!({"from": "alice", "to": ["g1"], "type": "txt", "body": {"msg": "to all"}});
    let resp = app.post("/messages/chatgroups", Some(&token), &body).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let body = json!({"from": "bob", "to": ["g1"], "type": "txt", "body": {"msg": "me too"}});
    let resp = app.post("/messages/chatgroups", Some(&token), &body).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let listing = conversations(&app, EASEMOB).await;
    assert_eq!(
        keys_of(&listing),
        [r#"["group","g1"]"#, r#"["single","alice","carol"]"#]
    );
    let group = &listing["conversations"][0];
    assert_eq!(group["chat_type"], "group");
    assert_eq!(group["to"], "g1");
    assert_eq!(group["members"], json!(["alice", "bob"]));
    send(&app, &token, "carol", &["alice"], "back on top").await;
    let listing = conversations(&app, EASEMOB).await;
    assert_eq!(keys_of(&listing)[0], r#"["single","alice","carol"]"#);
}

#[actix_web::test]
async fn a_search_finds_conversations_by_member_in_any_case_and_pages_count_them_all() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    send(&app, &token, "alice", &["bob", "carol", "Dave"], "hello").await;
    let found = conversations(&app, &format!("{EASEMOB}&q=DAV")).await;
    assert_eq!(keys_of(&found), [r#"["single","Dave","alice"]"#]);
    let page = conversations(&app, &format!("{EASEMOB}&limit=1&offset=1")).await;
    assert_eq!(page["total"], 3);
    assert_eq!(keys_of(&page), [r#"["single","alice","carol"]"#]);
    let none = conversations(&app, &format!("{EASEMOB}&q=nobody")).await;
    assert_eq!((none["total"].clone(), keys_of(&none).len()), (json!(0), 0));
}

#[actix_web::test]
async fn a_thread_pages_back_from_its_newest_message() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    for i in 0..5 {
        send(&app, &token, "alice", &["bob"], &format!("m{i}")).await;
        send(&app, &token, "alice", &["carol"], "elsewhere").await;
    }
    let key = r#"["single","bob","alice"]"#;
    let newest = thread(&app, &format!("{}&limit=2", key_query(key))).await;
    assert_eq!(newest["total"], 5);
    assert_eq!(newest["more"], true);
    let texts: Vec<_> = newest["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["content"]["msg"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(texts, ["m3", "m4"], "oldest first within the page");
    let before = seqs(&newest)[0];
    let older = thread(
        &app,
        &format!("{}&limit=10&before={before}", key_query(key)),
    )
    .await;
    assert_eq!(older["more"], false);
    assert_eq!(seqs(&older).len(), 3);
    assert!(seqs(&older).iter().all(|s| *s < before), "{older}");
}

#[actix_web::test]
async fn yunxin_messages_both_ways_make_one_thread() {
    let app = spawn_app().await;
    let yx = Yx::new(&app);
    yx.send_text("alice|1|bob", "hi bob").await;
    yx.send_text("bob|1|alice", "hi alice").await;
    let listing = conversations(&app, "provider=yunxin&tenant=demo-appkey").await;
    assert_eq!(keys_of(&listing), [r#"["single","alice","bob"]"#]);
    let key = urlencoding(r#"["single","alice","bob"]"#);
    let query = format!("provider=yunxin&tenant=demo-appkey&key={key}");
    let page = thread(&app, &query).await;
    assert_eq!(page["total"], 2);
    assert_eq!(page["messages"][0]["conversation"], "alice|1|bob");
    assert_eq!(page["messages"][1]["conversation"], "bob|1|alice");
}

#[actix_web::test]
async fn the_tenants_listing_counts_each_tenants_journal_messages() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    send(&app, &token, "alice", &["bob", "carol"], "two records").await;
    let (status, listing) = admin(&app, Method::GET, "/tenants", None).await;
    assert_eq!(status, StatusCode::OK);
    let count = |provider: &str| {
        let tenants = listing["tenants"].as_array().unwrap();
        let tenant = tenants.iter().find(|t| t["provider"] == provider).unwrap();
        tenant["messages"].clone()
    };
    assert_eq!(count("easemob"), 2, "{listing}");
    assert_eq!(count("yunxin"), 0);
}

#[actix_web::test]
async fn a_malformed_conversation_query_gets_an_admin_400() {
    let app = spawn_app().await;
    for (path, says) in [
        ("/conversations", "provider"),
        (
            "/conversations?provider=easemob&tenant=demo/chat&limit=x",
            "invalid digit",
        ),
        (
            "/conversations/messages?provider=easemob&tenant=demo/chat",
            "key",
        ),
        (
            "/conversations/messages?provider=easemob&tenant=demo/chat&key=alice",
            "key",
        ),
        (
            "/conversations/messages?provider=easemob&tenant=demo/chat&key=%5B%22single%22%5D",
            "single",
        ),
    ] {
        let (status, body) = admin(&app, Method::GET, path, None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}: {body}");
        assert_eq!(body["error"], "bad_request", "{path}");
        let message = body["message"].as_str().unwrap();
        assert!(message.contains(says), "{path}: {message}");
    }
    let (status, _) = admin(&app, Method::POST, "/conversations", Some(&json!({}))).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
}

#[actix_web::test]
async fn a_tenant_without_messages_has_no_conversations() {
    let app = spawn_app().await;
    let listing = conversations(&app, "provider=openim&tenant=nobody").await;
    assert_eq!(listing, json!({"conversations": [], "total": 0}));
    let key = urlencoding(r#"["group","g1"]"#);
    let page = thread(&app, &format!("provider=openim&tenant=nobody&key={key}")).await;
    assert_eq!(page, json!({"messages": [], "total": 0, "more": false}));
}

#[actix_web::test]
async fn the_root_redirects_to_the_inspector_which_is_served_with_a_strict_policy() {
    let app = spawn_app().await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let resp = client.get(format!("{}/", app.url)).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::FOUND);
    assert_eq!(resp.headers()["location"], "/_emulator/ui/");
    let resp = client
        .get(format!("{}/_emulator/ui", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.headers()["location"], "/_emulator/ui/");
    let page = client
        .get(format!("{}/_emulator/ui/", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(page.headers()["content-type"], "text/html; charset=utf-8");
    let policy = page.headers()["content-security-policy"].to_str().unwrap();
    assert!(policy.contains("script-src 'self'"), "{policy}");
    assert!(page.text().await.unwrap().contains("app.js"));
}

#[actix_web::test]
async fn the_inspector_serves_its_scripts_and_nothing_else() {
    let app = spawn_app().await;
    let get = |path: &str| {
        app.client
            .get(format!("{}/_emulator/ui/{path}", app.url))
            .send()
    };
    let script = get("app.js").await.unwrap();
    assert_eq!(script.status(), StatusCode::OK);
    assert_eq!(
        script.headers()["content-type"],
        "text/javascript; charset=utf-8"
    );
    let style = get("app.css").await.unwrap();
    assert_eq!(style.headers()["content-type"], "text/css; charset=utf-8");
    for missing in ["nope.js", "../Cargo.toml", "%2e%2e/Cargo.toml"] {
        let resp = get(missing).await.unwrap();
        assert_eq!(resp.status(), StatusCode::NOT_FOUND, "{missing}");
    }
    let url = format!("{}/_emulator/ui/app.js", app.url);
    let resp = app.client.post(url).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED);
}

#[actix_web::test]
async fn the_inspector_loads_without_the_admin_token_the_api_asks_for() {
    let app = spawn_with(Config {
        admin_token: Some("s3cret".into()),
        ..Config::default()
    })
    .await;
    let page = app
        .client
        .get(format!("{}/_emulator/ui/", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let (status, _) = admin(
        &app,
        Method::GET,
        "/conversations?provider=easemob&tenant=x",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}
