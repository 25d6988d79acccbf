//! The Easemob part of `GET`/`PUT /_emulator/state`: a rich Easemob state (users, tokens, a
//! file, groups and a room with admins and mutes, contacts, blocks, attributes, user mutes, a
//! deactivated user, delivery marks, a second app) taken from one server and put into a fresh
//! one answers every read the same; tokens, deactivation and id sequences survive; a malformed
//! Easemob part is refused and changes nothing.

mod common;

use common::{ok_json, spawn_with, TestApp, APP, ORG, T0};
use im_emulator::config::Config;
use reqwest::multipart::{Form, Part};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// What the rich state hands the tests: tokens and the ids of what was made.
struct Rich {
    app_token: String,
    ann_token: String,
    dan_token: String,
    file: String,
    secret: String,
    groups: [String; 2],
    room: String,
}

/// `GET /_emulator/state`, which must answer 200.
async fn state(app: &TestApp) -> Value {
    let url = format!("{}/_emulator/state", app.url);
    ok_json(app.client.get(url).send().await.unwrap()).await
}

/// `PUT /_emulator/state` with `doc`.
async fn put_state(app: &TestApp, doc: &Value) -> reqwest::Response {
    let url = format!("{}/_emulator/state", app.url);
    app.client.put(url).json(doc).send().await.unwrap()
}

/// A fresh server with `seed`, its clock pinned at `T0`.
async fn fresh(seed: u64) -> TestApp {
    let app = spawn_with(Config {
        seed: Some(seed),
        ..Config::default()
    })
    .await;
    app.set_clock(T0).await;
    app
}

/// A user token from the password grant (password `pw-{name}`).
async fn login(app: &TestApp, name: &str) -> reqwest::Response {
    let body =
        json!({"grant_type": "password", "username": name, "password": format!("pw-{name}")});
    app.post("/token", None, &body).await
}

async fn user_token(app: &TestApp, name: &str) -> String {
    let answer = ok_json(login(app, name).await).await;
    answer["access_token"].as_str().unwrap().to_owned()
}

/// POSTs `body` to `path` of the default app with `token`, which must answer 200.
async fn post_ok(app: &TestApp, token: &str, path: &str, body: Value) -> Value {
    ok_json(app.post(path, Some(token), &body).await).await
}

/// Uploads a restricted file, answering its uuid and share secret.
async fn upload(app: &TestApp, token: &str) -> (String, String) {
    let part = Part::bytes(b"\x00\x01snapshot bytes\xff".to_vec())
        .file_name("blob.bin")
        .mime_str("application/octet-stream")
        .unwrap();
    let resp = app
        .client
        .post(app.app_url(ORG, APP, "/chatfiles"))
        .multipart(Form::new().part("file", part))
        .bearer_auth(token)
        .header("restrict-access", "true")
        .send()
        .await
        .unwrap();
    let answer = ok_json(resp).await;
    let entity = &answer["entities"][0];
    let text = |k: &str| entity[k].as_str().unwrap().to_owned();
    (text("uuid"), text("share-secret"))
}

/// Users, tokens, a file, groups, a room, relations, attributes, mutes, a deactivated user,
/// delivery marks and a second app, in the default app of `app`.
async fn build_rich_state(app: &TestApp) -> Rich {
    let token = app.app_token().await;
    app.register_users(&token, &["ann", "ben", "cat", "dan", "eve"])
        .await;
    let nickname = json!({"nickname": "Ally"});
    ok_json(app.put("/users/ann", Some(&token), &nickname).await).await;
    let ann_token = user_token(app, "ann").await;
    let dan_token = user_token(app, "dan").await;
    post_ok(app, &token, "/users/dan/deactivate", json!({})).await;
    let (file, secret) = upload(app, &token).await;
    let groups = [
        app.create_group(&token, "ann", &["ben", "cat"]).await,
        app.create_group(&token, "ben", &["eve"]).await,
    ];
    let g = &groups[0];
    post_ok(
        app,
        &token,
        &format!("/chatgroups/{g}/admin"),
        json!({"newadmin": "ben"}),
    )
    .await;
    let mute = json!({"usernames": ["cat"], "mute_duration": 600_000});
    post_ok(app, &token, &format!("/chatgroups/{g}/mute"), mute).await;
    post_ok(
        app,
        &token,
        &format!("/chatgroups/{}/disable", groups[1]),
        json!({}),
    )
    .await;
    let room = app.create_room(&token, "ben", &["ann", "cat"]).await;
    post_ok(app, &token, &format!("/chatrooms/{room}/ban"), json!({})).await;
    relations(app, &token).await;
    messages(app, &token).await;
    second_app(app).await;
    Rich {
        app_token: token,
        ann_token,
        dan_token,
        file,
        secret,
        groups,
        room,
    }
}

/// Contacts with a remark, blocks, attributes and user mutes.
async fn relations(app: &TestApp, token: &str) {
    post_ok(app, token, "/users/ann/contacts/users/ben", json!({})).await;
    post_ok(app, token, "/users/ann/contacts/users/cat", json!({})).await;
    let remark = json!({"remark": "best friend"});
    let resp = app
        .put("/user/ann/contacts/users/ben", Some(token), &remark)
        .await;
    ok_json(resp).await;
    post_ok(
        app,
        token,
        "/users/ann/blocks/users",
        json!({"usernames": ["eve", "dan"]}),
    )
    .await;
    let resp = app
        .client
        .put(app.app_url(ORG, APP, "/metadata/user/ann"))
        .bearer_auth(token)
        .body("city=paris&nickname=ally")
        .send()
        .await
        .unwrap();
    ok_json(resp).await;
    let mute = json!({"username": "eve", "chat": -1, "groupchat": 3600});
    post_ok(app, token, "/mutes", mute).await;
}

/// Messages to ben, the first two of them delivered.
async fn messages(app: &TestApp, token: &str) {
    for text in ["one", "two"] {
        ok_json(app.send_text(token, "ann", &["ben"], text).await).await;
    }
    let url = format!(
        "{}/_emulator/easemob/{ORG}/{APP}/users/ben/delivered",
        app.url
    );
    ok_json(app.client.post(url).send().await.unwrap()).await;
    ok_json(app.send_text(token, "cat", &["ben"], "three").await).await;
}

/// `acme/shop`, made by its first token call, with one user.
async fn second_app(app: &TestApp) {
    let token = app.token_for("acme", "shop", "any-id", "any-secret").await;
    let user = json!({"username": "zoe", "password": "pw-zoe"});
    ok_json(
        app.post_to("acme", "shop", "/users", Some(&token), &user)
            .await,
    )
    .await;
}

/// The answer to a GET of `path` under `org/app` with `token`: status and body, without the
/// server's address, `timestamp` and `duration`, which differ between servers.
async fn read(app: &TestApp, token: &str, org: &str, name: &str, path: &str) -> Value {
    let resp = app
        .client
        .get(app.app_url(org, name, path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap().replace(&app.url, "");
    let mut body: Value = serde_json::from_str(&text).unwrap_or(Value::String(text));
    if let Some(object) = body.as_object_mut() {
        object.remove("timestamp");
        object.remove("duration");
    }
    json!({"status": status, "body": body})
}

/// Every read of the default app the rich state answers.
fn reads(rich: &Rich) -> Vec<String> {
    let [g1, g2] = &rich.groups;
    let r = &rich.room;
    let mut paths: Vec<String> = [
        "/users?limit=3",
        "/users/ann",
        "/users/dan",
        "/users/ann/contacts/users",
        "/user/ann/contacts?need_return_remark=true",
        "/users/ann/blocks/users",
        "/metadata/user/ann",
        "/mutes?pageNum=1&pageSize=10",
        "/mutes/eve",
        "/users/ben/offline_msg_count",
        "/users/ann/joined_chatgroups",
        "/users/ann/joined_chatrooms",
        "/chatgroups",
        "/chatrooms",
    ]
    .map(String::from)
    .to_vec();
    for suffix in ["", "/users", "/admin", "/mute"] {
        paths.push(format!("/chatgroups/{g1}{suffix}"));
        paths.push(format!("/chatrooms/{r}{suffix}"));
    }
    paths.push(format!("/chatgroups/{g2}"));
    paths
}

/// Every read of both apps on `app`, by path.
async fn all_reads(app: &TestApp, rich: &Rich) -> Vec<(String, Value)> {
    let mut answers = Vec::new();
    for path in reads(rich) {
        let answer = read(app, &rich.app_token, ORG, APP, &path).await;
        answers.push((path, answer));
    }
    let token = app.token_for("acme", "shop", "any-id", "any-secret").await;
    let answer = read(app, &token, "acme", "shop", "/users/zoe").await;
    answers.push(("acme/shop /users/zoe".into(), answer));
    let url = format!("{}/_emulator/tenants?provider=easemob", app.url);
    let tenants = ok_json(app.client.get(url).send().await.unwrap()).await;
    answers.push((
        "/_emulator/tenants".into(),
        json!({"status": 200, "body": tenants}),
    ));
    answers
}

/// The bytes and content type of the rich state's file, downloaded with its secret.
async fn download(app: &TestApp, rich: &Rich) -> (u16, String, Vec<u8>) {
    let resp = app
        .client
        .get(app.app_url(ORG, APP, &format!("/chatfiles/{}", rich.file)))
        .bearer_auth(&rich.app_token)
        .header("share-secret", &rich.secret)
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let kind = resp.headers()["content-type"].to_str().unwrap().to_owned();
    (status, kind, resp.bytes().await.unwrap().to_vec())
}

/// A server with the rich state, its document, and a fresh server (with `seed`) that took it.
async fn round_trip(seed: u64) -> (TestApp, Rich, TestApp) {
    let first = fresh(42).await;
    let rich = build_rich_state(&first).await;
    let doc = state(&first).await;
    let second = fresh(seed).await;
    ok_json(put_state(&second, &doc).await).await;
    (first, rich, second)
}

#[tokio::test]
async fn a_restored_server_answers_every_easemob_read_as_the_original_does() {
    let (first, rich, second) = round_trip(42).await;
    let before = all_reads(&first, &rich).await;
    let after = all_reads(&second, &rich).await;
    for ((path, old), (_, new)) in before.iter().zip(&after) {
        assert_eq!(old["status"], 200, "{path} answers on the original: {old}");
        assert_eq!(new, old, "{path} answers the same after the restore");
    }
    let taken = state(&first).await["providers"]["easemob"].clone();
    let again = state(&second).await["providers"]["easemob"].clone();
    assert_eq!(
        again, taken,
        "the restored server gives back the same Easemob state"
    );
    assert_eq!(
        taken["tenants"].as_object().unwrap().len(),
        2,
        "both apps are kept"
    );
    let file = download(&first, &rich).await;
    assert_eq!(file.0, 200, "the file downloads");
    assert_eq!(download(&second, &rich).await, file, "the file is the same");
    let offline = &before
        .iter()
        .find(|(p, _)| p.ends_with("offline_msg_count"))
        .unwrap()
        .1;
    assert_eq!(
        offline["body"]["data"],
        json!({"ben": 1}),
        "one message waits: {offline}"
    );
}

#[tokio::test]
async fn the_old_tokens_work_and_a_deactivated_user_stays_refused_after_a_restore() {
    // Another seed: the tokens verify through the restored state, not through the seed.
    let (_, rich, second) = round_trip(7).await;
    ok_json(second.get("/users/ann", Some(&rich.ann_token)).await).await;
    ok_json(second.get("/users", Some(&rich.app_token)).await).await;
    let resp = second.get("/users/dan", Some(&rich.dan_token)).await;
    assert_eq!(
        resp.status(),
        StatusCode::UNAUTHORIZED,
        "dan's token is refused"
    );
    let resp = login(&second, "dan").await;
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["error_description"], "user not activated", "{body}");
    ok_json(login(&second, "ann").await).await;
}

#[tokio::test]
async fn groups_users_files_and_messages_made_after_a_restore_take_new_ids() {
    let (first, rich, second) = round_trip(42).await;
    let token = &rich.app_token;
    let group = second.create_group(token, "ann", &["ben"]).await;
    let room = second.create_room(token, "ann", &[]).await;
    for made in [&group, &room] {
        let old = [&rich.groups[0], &rich.groups[1], &rich.room];
        assert!(
            !old.contains(&made),
            "{made} is a new id, not one of {old:?}"
        );
    }
    let old_users = first.get("/users?limit=100", Some(token)).await;
    let old_uuids: Vec<Value> = ok_json(old_users).await["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["uuid"].clone())
        .collect();
    let made = post_ok(
        &second,
        token,
        "/users",
        json!({"username": "fred", "password": "pw"}),
    )
    .await;
    let uuid = &made["entities"][0]["uuid"];
    assert!(
        !old_uuids.contains(uuid),
        "{uuid} is new among {old_uuids:?}"
    );
    let (file, _) = upload(&second, token).await;
    assert_ne!(file, rich.file, "a new file takes a new uuid");
    ok_json(second.send_text(token, "ann", &["ben"], "four").await).await;
    let ids: Vec<Value> = second.journal("provider=easemob").await["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].clone())
        .collect();
    assert_eq!(
        ids.len(),
        4,
        "three restored messages and a new one: {ids:?}"
    );
    let mut distinct = ids.clone();
    distinct.dedup();
    assert_eq!(distinct, ids, "no message id comes twice");
}

/// The rich state's document with `break_it` applied to its Easemob part.
fn broken(doc: &Value, break_it: impl FnOnce(&mut Value)) -> Value {
    let mut doc = doc.clone();
    break_it(&mut doc["providers"]["easemob"]);
    doc
}

#[tokio::test]
async fn a_malformed_easemob_part_is_refused_and_changes_nothing() {
    let app = fresh(42).await;
    let rich = build_rich_state(&app).await;
    let doc = state(&app).await;
    let before = all_reads(&app, &rich).await;
    let rows: Vec<(&str, Value)> = vec![
        ("not an object", broken(&doc, |p| *p = json!([1, 2]))),
        ("an unknown field", broken(&doc, |p| p["extra"] = json!(1))),
        (
            "tenants missing",
            broken(&doc, |p| {
                p.as_object_mut().unwrap().remove("tenants");
            }),
        ),
        (
            "a tenant key of no app",
            broken(&doc, |p| {
                let t = p["tenants"]["demo/chat"].clone();
                p["tenants"]["no slash here"] = t;
            }),
        ),
        (
            "a user listed twice",
            broken(&doc, |p| {
                let users = p["tenants"]["demo/chat"]["users"].as_array_mut().unwrap();
                let mut twin = users[0].clone();
                twin["seq"] = json!(999);
                users.push(twin);
                p["tenants"]["demo/chat"]["next_user_seq"] = json!(1000);
            }),
        ),
        (
            "more users than max_users",
            broken(&doc, |p| {
                p["tenants"]["demo/chat"]["settings"]["max_users"] = json!(2);
            }),
        ),
        (
            "a file not in base64",
            broken(&doc, |p| {
                p["tenants"]["demo/chat"]["files"]["files"][0]["base64"] = json!("%%%");
            }),
        ),
        (
            "an admin who is no member",
            broken(&doc, |p| {
                p["tenants"]["demo/chat"]["groups"][0]["admins"] = json!(["zed"]);
            }),
        ),
        (
            "a contact that is not mutual",
            broken(&doc, |p| {
                p["tenants"]["demo/chat"]["relations"]["ben"]["contacts"] = json!([]);
            }),
        ),
        (
            "attributes over the user limit",
            broken(&doc, |p| {
                let limits = &mut p["tenants"]["demo/chat"]["settings"]["limits"];
                limits["max_user_metadata_bytes"] = json!(4);
            }),
        ),
        (
            "a message-id tick past the year 9999",
            broken(&doc, |p| {
                p["message_id_tick"] = json!(u64::MAX);
            }),
        ),
    ];
    for (case, doc) in rows {
        let resp = put_state(&app, &doc).await;
        assert_eq!(resp.status(), StatusCode::BAD_REQUEST, "case {case}");
        let body: Value = resp.json().await.unwrap();
        assert_eq!(body["error"], "bad_request", "case {case}: {body}");
        let message = body["message"].as_str().unwrap_or_default();
        assert!(
            message.contains("easemob"),
            "case {case}: the message names easemob: {body}"
        );
        assert_eq!(
            all_reads(&app, &rich).await,
            before,
            "case {case}: nothing changed"
        );
    }
    let call = app.call(Method::GET, "/users/ann", &rich.ann_token).await;
    ok_json(call).await;
}
