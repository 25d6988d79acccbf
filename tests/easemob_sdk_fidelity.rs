//! The places where an Easemob SDK notices a difference from the docs: the batch delete's
//! cursor, forced recall, a string `ttl`, the targeted group and room sends' own limits, the
//! `uri` of one user, the batch register's `data`, the documented error texts, and the
//! public-cloud size rules of the fixture recipe.
mod common;
use common::*;

use im_emulator::config::Config;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// The usernames of `body["entities"]`, in order.
fn usernames(body: &Value) -> Vec<String> {
    body["entities"]
        .as_array()
        .unwrap_or_else(|| panic!("entities is an array: {body}"))
        .iter()
        .map(|e| e["username"].as_str().unwrap().to_owned())
        .collect()
}

/// Registers `names` (password `p`) in one batch.
async fn register_all(app: &TestApp, token: &str, names: &[&str]) -> Value {
    let batch: Vec<Value> = names
        .iter()
        .map(|n| json!({"username": n, "password": "p"}))
        .collect();
    ok_json(app.post("/users", Some(token), &Value::Array(batch)).await).await
}

// ------------------------------------------------------------------------------------------
// DELETE /users?limit=N&cursor=

#[tokio::test]
async fn deleting_users_page_by_page_follows_the_cursor_until_the_app_is_empty() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    register_all(&app, &token, &["carol", "dave", "erin"]).await;

    // Pages of 2, as the Java SDK's deleteAll pages of 20: alice bob | carol dave | erin.
    let mut deleted = Vec::new();
    let mut path = "/users?limit=2".to_owned();
    let mut pages = 0;
    loop {
        let answer = ok_json(app.delete(&path, Some(&token)).await).await;
        assert_usergrid_envelope(&app, &answer, "delete", "/users");
        deleted.extend(usernames(&answer));
        pages += 1;
        assert!(pages <= 3, "three pages at most: {answer}");
        match answer.get("cursor").and_then(Value::as_str) {
            Some(cursor) => path = format!("/users?limit=2&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(deleted, ["alice", "bob", "carol", "dave", "erin"]);
    let left = ok_json(app.get("/users?limit=100", Some(&token)).await).await;
    assert_eq!(left["entities"], json!([]), "{left}");
}

#[tokio::test]
async fn a_batch_delete_that_takes_the_last_users_answers_no_cursor() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    let answer = ok_json(app.delete("/users?limit=2", Some(&token)).await).await;
    assert_eq!(usernames(&answer), ["alice", "bob"], "{answer}");
    assert!(answer.get("cursor").is_none(), "nobody is left: {answer}");
    assert_eq!(answer["params"], json!({"limit": ["2"]}), "{answer}");
}

#[tokio::test]
async fn a_batch_delete_with_a_bad_cursor_is_refused_and_deletes_nobody() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    let resp = app
        .delete("/users?limit=2&cursor=not-a-cursor", Some(&token))
        .await;
    easemob_error_kind(resp, 400, "illegal_argument").await;
    let left = ok_json(app.get("/users", Some(&token)).await).await;
    assert_eq!(usernames(&left), ["alice", "bob"], "{left}");
}

// ------------------------------------------------------------------------------------------
// forced recall

#[tokio::test]
async fn a_forced_recall_takes_back_a_message_past_the_recall_window() {
    let app = spawn_app().await;
    app.set_clock(T0).await;
    let token = app.app_token().await;
    let sent = ok_json(app.send_text(&token, "alice", &["bob"], "oops").await).await;
    let id = sent["data"]["bob"].as_str().unwrap().to_owned();
    app.advance_clock(3_600_000).await;
    let body = json!({"msg_id": id, "to": "bob", "from": "alice", "chat_type": "chat"});

    let late = app.post("/messages/msg_recall", Some(&token), &body).await;
    assert_easemob_error(
        late,
        403,
        "message_recall_error",
        "exceed recall time limit",
    )
    .await;

    let mut forced = body.clone();
    forced["force"] = json!(true);
    let answer = ok_json(
        app.post("/messages/msg_recall", Some(&token), &forced)
            .await,
    )
    .await;
    assert_eq!(answer["data"]["recalled"], "yes", "{answer}");
    assert_eq!(answer["data"]["msg_id"], id.as_str(), "{answer}");
    let journal = app.journal("provider=easemob&to=bob").await;
    assert_eq!(journal["messages"][0]["recalled"], true, "{journal}");
}

#[tokio::test]
async fn a_forced_recall_of_an_unknown_message_is_still_not_found() {
    let app = spawn_app().await;
    app.set_clock(T0).await;
    let token = app.app_token().await;
    let sent = ok_json(app.send_text(&token, "alice", &["bob"], "hi").await).await;
    let id = sent["data"]["bob"].as_str().unwrap().to_owned();
    let body = json!({"msg_id": id, "to": "carol", "chat_type": "chat", "force": true});
    let resp = app.post("/messages/msg_recall", Some(&token), &body).await;
    assert_easemob_error(resp, 403, "message_recall_error", "not_found msg").await;
}

// ------------------------------------------------------------------------------------------
// /token with a string ttl

#[tokio::test]
async fn a_ttl_given_as_a_string_of_digits_is_taken_by_every_grant_type() {
    let app = spawn_app().await;
    let app_token = app.app_token().await;
    let grants = [
        json!({"grant_type": "client_credentials", "client_id": CLIENT_ID,
               "client_secret": CLIENT_SECRET, "ttl": "1024000"}),
        json!({"grant_type": "password", "username": "alice",
               "password": "alice-password", "ttl": "1024000"}),
        json!({"grant_type": "inherit", "username": "bob", "ttl": "1024000"}),
    ];
    for grant in grants {
        let resp = app.post("/token", Some(&app_token), &grant).await;
        let answer = ok_json(resp).await;
        assert_eq!(answer["expires_in"], 1_024_000, "{grant}: {answer}");
        assert!(answer["access_token"].is_string(), "{answer}");
    }
}

#[tokio::test]
async fn a_string_ttl_that_is_not_a_number_is_refused_with_illegal_argument() {
    let app = spawn_app().await;
    let grant = json!({"grant_type": "client_credentials", "client_id": CLIENT_ID,
                       "client_secret": CLIENT_SECRET, "ttl": "soon"});
    let resp = app.post("/token", None, &grant).await;
    easemob_error_kind(resp, 400, "illegal_argument").await;
}

// ------------------------------------------------------------------------------------------
// targeted group and room sends

fn targeted(users: usize) -> Value {
    let users: Vec<String> = (0..users).map(|i| format!("u{i}")).collect();
    json!({"from": "alice", "to": ["184524748161025"], "type": "txt",
           "body": {"msg": "hi"}, "users": users})
}

#[tokio::test]
async fn targeted_sends_take_20_users_and_refuse_21() {
    let app = spawn_app().await;
    app.set_clock(T0).await;
    let token = app.app_token().await;
    for path in ["/messages/chatgroups/users", "/messages/chatrooms/users"] {
        let answer = ok_json(app.post(path, Some(&token), &targeted(20)).await).await;
        assert!(answer["data"]["184524748161025"].is_string(), "{answer}");
        let resp = app.post(path, Some(&token), &targeted(21)).await;
        let body = assert_easemob_error(
            resp,
            400,
            "message_send_error",
            "params users's size can't exceed limit 20",
        )
        .await;
        assert_eq!(body["exception"], "MessageSendException", "{path}: {body}");
    }
}

#[tokio::test]
async fn targeted_group_sends_have_100_calls_a_second_apart_from_the_groups_20() {
    let app = spawn_app().await;
    app.set_clock(T0).await;
    let token = app.app_token().await;
    for i in 0..100 {
        let resp = app
            .post("/messages/chatgroups/users", Some(&token), &targeted(1))
            .await;
        assert_eq!(resp.status(), StatusCode::OK, "targeted call {i}");
    }
    let over = app
        .post("/messages/chatgroups/users", Some(&token), &targeted(1))
        .await;
    assert_easemob_error(
        over,
        429,
        "reach_limit",
        "This request has reached api limit",
    )
    .await;

    // The group route's own window is untouched by the targeted calls.
    let group = json!({"from": "alice", "to": ["184524748161025"], "type": "txt",
                       "body": {"msg": "all"}});
    ok_json(app.post("/messages/chatgroups", Some(&token), &group).await).await;
    app.advance_clock(1_000).await;
    ok_json(
        app.post("/messages/chatgroups/users", Some(&token), &targeted(1))
            .await,
    )
    .await;
}

// ------------------------------------------------------------------------------------------
// envelopes

#[tokio::test]
async fn getting_and_putting_one_user_answer_a_uri_naming_that_user() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    let got = ok_json(app.get("/users/alice", Some(&token)).await).await;
    assert_eq!(
        got["uri"],
        format!("{}/demo/chat/users/alice", app.url),
        "{got}"
    );
    assert_eq!(got["path"], "/users", "{got}");
    let put = app
        .put("/users/bob", Some(&token), &json!({"nickname": "B"}))
        .await;
    let put = ok_json(put).await;
    assert_eq!(
        put["uri"],
        format!("{}/demo/chat/users/bob", app.url),
        "{put}"
    );
}

#[tokio::test]
async fn a_batch_register_where_every_user_succeeds_answers_an_empty_data_array() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    let answer = register_all(&app, &token, &["carol", "dave"]).await;
    assert_eq!(usernames(&answer), ["carol", "dave"], "{answer}");
    assert_eq!(answer["data"], json!([]), "{answer}");
}

// ------------------------------------------------------------------------------------------
// documented error texts

#[tokio::test]
async fn a_missing_or_empty_password_answers_password_or_pin_must_provided() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    for body in [
        json!({"username": "carol"}),
        json!({"username": "carol", "password": ""}),
    ] {
        let resp = app.post("/users", Some(&token), &body).await;
        assert_easemob_error(
            resp,
            400,
            "illegal_argument",
            "password or pin must provided",
        )
        .await;
    }
}

#[tokio::test]
async fn a_nickname_of_100_characters_is_taken_and_101_answer_nickname_too_long() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    let hundred = "昵".repeat(100);
    let body = json!({"username": "carol", "password": "p", "nickname": hundred});
    let answer = ok_json(app.post("/users", Some(&token), &body).await).await;
    assert_eq!(answer["entities"][0]["nickname"], hundred.as_str());

    let long = "昵".repeat(101);
    let body = json!({"username": "dave", "password": "p", "nickname": long});
    let resp = app.post("/users", Some(&token), &body).await;
    assert_easemob_error(resp, 400, "illegal_argument", "NICKNAME_TOO_LONG").await;
    let resp = app.get("/users/dave", Some(&token)).await;
    assert_eq!(resp.status(), StatusCode::NOT_FOUND, "dave was not made");

    let resp = app
        .put("/users/alice", Some(&token), &json!({"nickname": long}))
        .await;
    assert_easemob_error(resp, 400, "illegal_argument", "NICKNAME_TOO_LONG").await;
    let alice = ok_json(app.get("/users/alice", Some(&token)).await).await;
    assert_eq!(alice["entities"][0]["nickname"], "Alice", "unchanged");
}

#[tokio::test]
async fn a_password_change_without_newpassword_answers_newpassword_is_required() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    for body in [json!({}), json!({"newpassword": ""})] {
        let resp = app.put("/users/alice/password", Some(&token), &body).await;
        assert_easemob_error(resp, 400, "illegal_argument", "newpassword is required").await;
    }
}

#[tokio::test]
async fn a_password_change_for_an_unknown_user_answers_entity_not_found() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    let body = json!({"newpassword": "fresh"});
    let resp = app.put("/users/nobody/password", Some(&token), &body).await;
    assert_easemob_error(resp, 404, "entity_not_found", "User null not found").await;
}

// ------------------------------------------------------------------------------------------
// the public-cloud recipe

async fn public_cloud_app() -> (TestApp, String) {
    let recipe = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/recipes/easemob-public-cloud"
    );
    let app = spawn_with(Config {
        fixtures: Some(recipe.into()),
        ..Config::default()
    })
    .await;
    let token = app.app_token().await;
    (app, token)
}

/// A text message whose `body` has exactly `len` bytes as sent.
fn text_of_body_bytes(len: usize) -> Value {
    let body = json!({"msg": "m".repeat(len - r#"{"msg":""}"#.len())});
    assert_eq!(body.to_string().len(), len);
    json!({"from": "alice", "to": ["bob"], "type": "txt", "body": body})
}

#[tokio::test]
async fn the_public_cloud_recipe_takes_5_kb_of_body_and_refuses_more_with_400_not_413() {
    let (app, token) = public_cloud_app().await;
    let fits = app
        .post("/messages/users", Some(&token), &text_of_body_bytes(5120))
        .await;
    let fits = ok_json(fits).await;
    assert!(fits["data"]["bob"].is_string(), "{fits}");

    for len in [5121, 64 * 1024] {
        let resp = app
            .post("/messages/users", Some(&token), &text_of_body_bytes(len))
            .await;
        let body =
            assert_easemob_error(resp, 400, "message_send_error", "message is too large").await;
        assert_eq!(body["error_code"], 14007, "{len} bytes: {body}");
    }
}

#[tokio::test]
async fn the_default_rules_refuse_the_same_5_kb_body() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    let resp = app
        .post("/messages/users", Some(&token), &text_of_body_bytes(5120))
        .await;
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

// ------------------------------------------------------------------------------------------
// paths

#[tokio::test]
async fn a_path_with_one_trailing_slash_reaches_the_same_route() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    let listed = ok_json(app.get("/users/", Some(&token)).await).await;
    assert_eq!(usernames(&listed), ["alice", "bob"], "{listed}");
    let one = ok_json(app.get("/users/alice/", Some(&token)).await).await;
    assert_eq!(usernames(&one), ["alice"], "{one}");
    let resp = app.get("/users//", Some(&token)).await;
    easemob_error_kind(resp, 404, "service_resource_not_found").await;

    // ease-restapi creates groups at `/chatgroups/` and lists members at `.../users/`.
    let group = json!({"groupname": "g", "desc": "d", "public": true, "owner": "alice",
                       "members": ["bob"]});
    let made = ok_json(app.post("/chatgroups/", Some(&token), &group).await).await;
    let id = made["data"]["groupid"].as_str().unwrap().to_owned();
    let members = app
        .get(&format!("/chatgroups/{id}/users/"), Some(&token))
        .await;
    let members = ok_json(members).await;
    assert_eq!(
        members["data"],
        json!([{"owner": "alice"}, {"member": "bob"}]),
        "{members}"
    );
}

// ------------------------------------------------------------------------------------------
// key order

/// The keys of a JSON object, in the order they were sent (top level only).
fn top_keys(value: &Value) -> Vec<String> {
    value
        .as_object()
        .unwrap_or_else(|| panic!("an object: {value}"))
        .keys()
        .cloned()
        .collect()
}

#[tokio::test]
async fn group_details_answer_their_fields_in_the_docs_order() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    let group = json!({"groupname": "g", "description": "d", "public": true, "owner": "alice",
                       "members": ["bob"]});
    let made = ok_json(app.post("/chatgroups", Some(&token), &group).await).await;
    let id = made["data"]["groupid"].as_str().unwrap().to_owned();
    let resp = app.get(&format!("/chatgroups/{id}"), Some(&token)).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let answer: Value = serde_json::from_str(&resp.text().await.unwrap()).unwrap();
    let keys = top_keys(&answer);
    let at = |k: &str| keys.iter().position(|x| x == k).unwrap();
    assert!(
        at("entities") < at("data") && at("data") < at("timestamp"),
        "entities, data, timestamp as in group_manage.md: {keys:?}"
    );
    assert_eq!(
        top_keys(&answer["data"][0]),
        [
            "id",
            "name",
            "avatar",
            "description",
            "membersonly",
            "allowinvites",
            "maxusers",
            "owner",
            "created",
            "custom",
            "mute",
            "affiliations_count",
            "disabled",
            "affiliations",
            "public"
        ],
        "{answer}"
    );
    assert_eq!(
        answer["data"][0]["affiliations"],
        json!([{"member": "bob"}, {"owner": "alice"}]),
        "{answer}"
    );
}

// ------------------------------------------------------------------------------------------
// scalars given as strings, which Jackson coerces

#[tokio::test]
async fn group_and_mute_bodies_take_booleans_and_numbers_given_as_strings() {
    let app = spawn_app().await;
    app.set_clock(T0).await;
    let token = app.app_token().await;
    let group = json!({"groupname": "g", "description": "d", "public": "true",
                       "maxusers": "300", "membersonly": "false", "owner": "alice",
                       "members": ["bob"]});
    let made = ok_json(app.post("/chatgroups", Some(&token), &group).await).await;
    let id = made["data"]["groupid"].as_str().unwrap().to_owned();
    let details = ok_json(app.get(&format!("/chatgroups/{id}"), Some(&token)).await).await;
    assert_eq!(details["data"][0]["public"], true, "{details}");
    assert_eq!(details["data"][0]["maxusers"], 300, "{details}");

    let mute = json!({"usernames": ["bob"], "mute_duration": "60000"});
    let path = format!("/chatgroups/{id}/mute");
    ok_json(app.post(&path, Some(&token), &mute).await).await;
    let global = json!({"username": "bob", "chat": 1e2});
    ok_json(app.post("/mutes", Some(&token), &global).await).await;
    let shown = ok_json(app.get("/mutes/bob", Some(&token)).await).await;
    assert_eq!(shown["data"]["chat"], 100, "{shown}");

    for bad in [json!({"public": "yes"}), json!({"maxusers": "many"})] {
        let mut body = group.clone();
        for (k, v) in bad.as_object().unwrap() {
            body[k] = v.clone();
        }
        let resp = app.post("/chatgroups", Some(&token), &body).await;
        easemob_error_kind(resp, 400, "illegal_argument").await;
    }
}
