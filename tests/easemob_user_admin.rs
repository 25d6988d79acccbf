//! Easemob user administration over HTTP: online status (everyone is offline), ban and unban,
//! forced logout, global mutes on the emulator's clock and their effect on sends, and user
//! attributes with their size limits, as a real client reads the answers.
mod common;
use common::*;

use reqwest::Response;
use serde_json::{json, Value};

/// A user token of the fixture user `name` (password `{name}-password`).
async fn user_token(app: &TestApp, name: &str) -> String {
    let resp = login(app, name).await;
    ok_json(resp).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The password grant of the fixture user `name`.
async fn login(app: &TestApp, name: &str) -> Response {
    let body =
        json!({"grant_type": "password", "username": name, "password": format!("{name}-password")});
    app.post("/token", None, &body).await
}

/// Registers `names` (password `{name}-password`) with an app token.
async fn register(app: &TestApp, token: &str, names: &[&str]) {
    let users: Vec<Value> = names
        .iter()
        .map(|n| json!({"username": n, "password": format!("{n}-password")}))
        .collect();
    ok_json(app.post("/users", Some(token), &json!(users)).await).await;
}

/// Sends `method` to `path` of the default app with `token` and a raw `body`.
async fn call(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: Option<&str>,
    body: &str,
) -> Response {
    let mut req = app
        .client
        .request(method, app.app_url(ORG, APP, path))
        .body(body.to_owned());
    if body.contains('=') {
        req = req.header("content-type", "application/x-www-form-urlencoded");
    }
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    req.send().await.expect("the request is answered")
}

// ------------------------------------------------------------------------------------------
// status

#[tokio::test]
async fn the_status_of_any_user_is_offline_in_the_usergrid_envelope() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    for name in ["alice", "nobody"] {
        let path = format!("/users/{name}/status");
        let body = ok_json(app.get(&path, Some(&token)).await).await;
        assert_eq!(body["action"], "get", "{body}");
        assert_eq!(body["data"], json!({ name: "offline" }), "{body}");
        assert_eq!(body["entities"], json!([]), "{body}");
        assert_eq!(body["count"], 0, "{body}");
        assert_eq!(body["uri"], app.app_url(ORG, APP, &path), "{body}");
    }
}

#[tokio::test]
async fn the_batch_status_answers_each_user_offline_in_the_order_asked() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    let body = json!({"usernames": ["bob", "alice", "ghost"]});
    let answer = ok_json(app.post("/users/batch/status", Some(&token), &body).await).await;
    assert_eq!(answer["action"], "get batch user status", "{answer}");
    assert_eq!(
        answer["data"],
        json!([{"bob": "offline"}, {"alice": "offline"}, {"ghost": "offline"}])
    );
    assert_eq!(
        keys(&answer),
        sorted(&["action", "data", "timestamp", "duration"])
    );
}

#[tokio::test]
async fn status_calls_are_refused_without_an_app_token_or_with_a_bad_body() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    let alice = user_token(&app, "alice").await;
    let many: Vec<String> = (0..101).map(|i| format!("u{i}")).collect();
    let rows: Vec<(&str, Response, u16, &str, &str)> = vec![
        (
            "status without a token",
            app.get("/users/alice/status", None).await,
            401,
            "unauthorized",
            "Unable to authenticate due to expired access token",
        ),
        (
            "status with a user token",
            app.get("/users/alice/status", Some(&alice)).await,
            401,
            "auth_bad_access_token",
            "Unable to authenticate due to corrupt access token",
        ),
        (
            "batch of 101",
            app.post(
                "/users/batch/status",
                Some(&token),
                &json!({"usernames": many}),
            )
            .await,
            400,
            "illegal_argument",
            "request body exceeds maximum limit, maximum limit is 100",
        ),
        (
            "batch without usernames",
            app.post("/users/batch/status", Some(&token), &json!({}))
                .await,
            400,
            "illegal_argument",
            "usernames must be provided",
        ),
        (
            "batch without a token",
            app.post("/users/batch/status", None, &json!({"usernames": ["a"]}))
                .await,
            401,
            "unauthorized",
            "Unable to authenticate due to expired access token",
        ),
    ];
    for (case, resp, status, error, text) in rows {
        assert_error_row(case, resp, status, error, text).await;
    }
    let broken = app
        .post_raw(
            "/users/batch/status",
            Some(&token),
            b"{\"usernames\" [".to_vec(),
        )
        .await;
    error_kind_row("malformed JSON", broken, 400, "json_parse").await;
    let wrong = call(
        &app,
        reqwest::Method::GET,
        "/users/batch/status",
        Some(&token),
        "",
    )
    .await;
    error_kind_row("GET on the batch", wrong, 405, "web_application").await;
}

// ------------------------------------------------------------------------------------------
// ban and unban

#[tokio::test]
async fn a_deactivated_user_shows_activated_false_and_cannot_get_a_token() {
    let app = spawn_app().await;
    app.set_clock(T0).await;
    let token = app.app_token().await;
    app.advance_clock(5_000).await;
    let answer = ok_json(
        app.post("/users/alice/deactivate", Some(&token), &json!({}))
            .await,
    )
    .await;
    assert_eq!(answer["action"], "Deactivate user", "{answer}");
    let user = &answer["entities"][0];
    assert_eq!(user["username"], "alice", "{answer}");
    assert_eq!(user["nickname"], "Alice", "{answer}");
    assert_eq!(user["activated"], false, "{answer}");
    assert_eq!(user["modified"], T0 + 5_000, "{answer}");
    let shown = ok_json(app.get("/users/alice", Some(&token)).await).await;
    assert_eq!(shown["entities"][0]["activated"], false, "{shown}");
    assert_easemob_error(
        login(&app, "alice").await,
        400,
        "invalid_grant",
        "user not activated",
    )
    .await;
    let inherit = json!({"grant_type": "inherit", "username": "alice"});
    let resp = app.post("/token", Some(&token), &inherit).await;
    assert_easemob_error(resp, 400, "invalid_grant", "user not activated").await;
    ok_json(login(&app, "bob").await).await;
}

#[tokio::test]
async fn a_deactivated_users_token_is_refused_until_the_user_is_activated_again() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    let alice = user_token(&app, "alice").await;
    ok_json(app.get("/users/alice", Some(&alice)).await).await;
    ok_json(
        app.post("/users/alice/deactivate", Some(&token), &json!({}))
            .await,
    )
    .await;
    assert_easemob_error(
        app.get("/users/alice", Some(&alice)).await,
        401,
        "auth_bad_access_token",
        "Unable to authenticate",
    )
    .await;
    let answer = ok_json(
        app.post("/users/alice/activate", Some(&token), &json!({}))
            .await,
    )
    .await;
    assert_eq!(answer["action"], "activate user", "{answer}");
    assert_eq!(keys(&answer), sorted(&["action", "timestamp", "duration"]));
    ok_json(app.get("/users/alice", Some(&alice)).await).await;
    ok_json(login(&app, "alice").await).await;
    let shown = ok_json(app.get("/users/alice", Some(&token)).await).await;
    assert_eq!(shown["entities"][0]["activated"], true, "{shown}");
}

#[tokio::test]
async fn ban_unban_and_disconnect_of_an_unknown_user_or_without_a_token_are_refused() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    let alice = user_token(&app, "alice").await;
    let post = reqwest::Method::POST;
    for path in ["/users/ghost/deactivate", "/users/ghost/activate"] {
        let resp = call(&app, post.clone(), path, Some(&token), "").await;
        assert_error_row(
            path,
            resp,
            404,
            "service_resource_not_found",
            "Service resource not found",
        )
        .await;
    }
    for path in ["/users/alice/deactivate", "/users/alice/activate"] {
        let resp = call(&app, post.clone(), path, None, "").await;
        error_kind_row(path, resp, 401, "unauthorized").await;
        let resp = call(&app, post.clone(), path, Some(&alice), "").await;
        error_kind_row(path, resp, 401, "auth_bad_access_token").await;
        let resp = app.get(path, Some(&token)).await;
        error_kind_row(path, resp, 405, "web_application").await;
    }
    let resp = app.get("/users/alice/disconnect", None).await;
    error_kind_row("disconnect without a token", resp, 401, "unauthorized").await;
    let shown = ok_json(app.get("/users/alice", Some(&token)).await).await;
    assert_eq!(
        shown["entities"][0]["activated"], true,
        "nothing changed: {shown}"
    );
}

#[tokio::test]
async fn disconnect_answers_true_for_a_user_and_false_for_an_unknown_one() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    let answer = ok_json(app.get("/users/alice/disconnect", Some(&token)).await).await;
    assert_eq!(answer["action"], "get", "{answer}");
    assert_eq!(answer["data"], json!({"result": true}), "{answer}");
    assert_eq!(answer["entities"], json!([]), "{answer}");
    assert_eq!(answer["count"], 0, "{answer}");
    assert_eq!(
        answer["uri"],
        app.app_url(ORG, APP, "/users/alice/disconnect")
    );
    let ghost = ok_json(app.get("/users/ghost/disconnect", Some(&token)).await).await;
    assert_eq!(ghost["data"], json!({"result": false}), "{ghost}");
}

// ------------------------------------------------------------------------------------------
// global mutes

async fn mute(app: &TestApp, token: &str, body: Value) -> Value {
    ok_json(app.post("/mutes", Some(token), &body).await).await
}

async fn mute_of(app: &TestApp, token: &str, name: &str) -> Value {
    ok_json(app.get(&format!("/mutes/{name}"), Some(token)).await).await["data"].clone()
}

#[tokio::test]
async fn a_mute_answers_ok_and_shows_the_seconds_left_on_the_emulator_clock() {
    let app = spawn_app().await;
    app.set_clock(T0).await;
    let token = app.app_token().await;
    let answer = mute(
        &app,
        &token,
        json!({"username": "Alice", "chat": 100, "groupchat": -1}),
    )
    .await;
    assert_eq!(answer["data"], json!({"result": "ok"}), "{answer}");
    assert_eq!(answer["path"], "/mutes", "{answer}");
    assert_eq!(answer["action"], "post", "{answer}");
    assert_eq!(answer["uri"], app.app_url(ORG, APP, "/mutes"), "{answer}");
    assert_eq!(answer["applicationName"], "chat", "{answer}");
    let data = mute_of(&app, &token, "alice").await;
    assert_eq!(
        data,
        json!({"userid": "demo#chat_alice", "chat": 100, "groupchat": -1, "chatroom": 0, "unixtime": T0 / 1000})
    );
    app.advance_clock(40_000).await;
    let data = mute_of(&app, &token, "alice").await;
    assert_eq!(
        (data["chat"].clone(), data["groupchat"].clone()),
        (json!(60), json!(-1))
    );
    app.advance_clock(60_000).await;
    let data = mute_of(&app, &token, "alice").await;
    assert_eq!(
        (data["chat"].clone(), data["groupchat"].clone()),
        (json!(0), json!(-1))
    );
}

#[tokio::test]
async fn a_muted_sender_is_refused_until_the_mute_expires_on_the_clock() {
    let app = spawn_app().await;
    app.set_clock(T0).await;
    let token = app.app_token().await;
    mute(&app, &token, json!({"username": "alice", "chat": 30})).await;
    assert_easemob_error(
        app.send_text(&token, "alice", &["bob"], "hi").await,
        403,
        "message_send_error",
        "user alice has been muted",
    )
    .await;
    let resp = app.send_text(&token, "ALICE", &["bob"], "hi").await;
    error_kind_row("the sender in capitals", resp, 403, "message_send_error").await;
    assert_eq!(
        app.journal("provider=easemob").await["total"],
        0,
        "nothing delivered"
    );
    ok_json(app.send_text(&token, "bob", &["alice"], "hi").await).await;
    app.advance_clock(29_999).await;
    let resp = app.send_text(&token, "alice", &["bob"], "hi").await;
    error_kind_row(
        "a millisecond before the end",
        resp,
        403,
        "message_send_error",
    )
    .await;
    app.advance_clock(1).await;
    ok_json(app.send_text(&token, "alice", &["bob"], "hi").await).await;
}

#[tokio::test]
async fn each_kind_of_mute_stops_only_its_own_sends_including_the_legacy_route() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    let text =
        |to: &str| json!({"from": "alice", "to": [to], "type": "txt", "body": {"msg": "hi"}});
    mute(&app, &token, json!({"username": "alice", "groupchat": 60})).await;
    ok_json(app.send_text(&token, "alice", &["bob"], "hi").await).await;
    ok_json(
        app.post("/messages/chatrooms", Some(&token), &text("200"))
            .await,
    )
    .await;
    let resp = app
        .post("/messages/chatgroups", Some(&token), &text("100"))
        .await;
    error_kind_row("group send", resp, 403, "message_send_error").await;
    let legacy = json!({"target_type": "chatgroups", "target": ["100"], "from": "alice", "msg": {"type": "txt", "msg": "hi"}});
    let resp = app.post("/messages", Some(&token), &legacy).await;
    error_kind_row("legacy group send", resp, 403, "message_send_error").await;
    mute(
        &app,
        &token,
        json!({"username": "alice", "groupchat": 0, "chatroom": -1}),
    )
    .await;
    ok_json(
        app.post("/messages/chatgroups", Some(&token), &text("100"))
            .await,
    )
    .await;
    app.advance_clock(10 * 365 * 86_400_000).await;
    let token = app.app_token().await;
    let resp = app
        .post("/messages/chatrooms", Some(&token), &text("200"))
        .await;
    error_kind_row(
        "room send under a mute for ever",
        resp,
        403,
        "message_send_error",
    )
    .await;
}

#[tokio::test]
async fn the_mute_list_pages_through_users_with_a_mute_in_force() {
    let app = spawn_app().await;
    app.set_clock(T0).await;
    let token = app.app_token().await;
    register(&app, &token, &["carol", "dave"]).await;
    mute(
        &app,
        &token,
        json!({"username": "alice", "chat": 10, "chatroom": 50}),
    )
    .await;
    mute(&app, &token, json!({"username": "bob", "groupchat": -1})).await;
    mute(&app, &token, json!({"username": "carol", "chat": 5})).await;
    mute(&app, &token, json!({"username": "dave", "chat": 0})).await;
    let all = ok_json(app.get("/mutes", Some(&token)).await).await;
    assert_eq!(all["path"], "/mutes", "{all}");
    assert_eq!(
        all["data"],
        json!({"data": [
            {"username": "alice", "chat": 10},
            {"username": "alice", "chatroom": 50},
            {"username": "bob", "groupchat": -1},
            {"username": "carol", "chat": 5}
        ], "unixtime": T0 / 1000})
    );
    let second = ok_json(app.get("/mutes?pageNum=2&pageSize=2", Some(&token)).await).await;
    assert_eq!(
        second["data"]["data"],
        json!([{"username": "carol", "chat": 5}])
    );
    app.advance_clock(10_000).await;
    let later = ok_json(app.get("/mutes?pageNum=1&pageSize=50", Some(&token)).await).await;
    assert_eq!(
        later["data"]["data"],
        json!([{"username": "alice", "chatroom": 40}, {"username": "bob", "groupchat": -1}])
    );
}

#[tokio::test]
async fn mute_calls_with_an_unknown_user_a_bad_duration_or_no_token_are_refused() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    let missing = "Entity user requires a property named username";
    let rows: Vec<(&str, Value, u16, &str)> = vec![
        (
            "unknown user",
            json!({"username": "ghost", "chat": 10}),
            400,
            "required_property_not_found",
        ),
        (
            "no username",
            json!({"chat": 10}),
            400,
            "required_property_not_found",
        ),
        (
            "below -1",
            json!({"username": "alice", "chat": -2}),
            400,
            "illegal_argument",
        ),
        (
            "past 2^31-1",
            json!({"username": "alice", "chatroom": 2_147_483_648i64}),
            400,
            "illegal_argument",
        ),
        (
            "a string that is not a number (Jackson coerces \"10\")",
            json!({"username": "alice", "chat": "ten"}),
            400,
            "illegal_argument",
        ),
    ];
    for (case, body, status, error) in rows {
        let resp = app.post("/mutes", Some(&token), &body).await;
        let answer = error_kind_row(case, resp, status, error).await;
        if error == "required_property_not_found" {
            assert_eq!(answer["error_description"], missing, "case {case}");
        }
    }
    let broken = app
        .post_raw("/mutes", Some(&token), b"{\"username\" \"a\"}".to_vec())
        .await;
    error_kind_row("malformed JSON", broken, 400, "json_parse").await;
    let resp = app
        .post("/mutes", None, &json!({"username": "alice", "chat": 10}))
        .await;
    error_kind_row("no token", resp, 401, "unauthorized").await;
    let resp = app.get("/mutes/ghost", Some(&token)).await;
    assert_error_row(
        "get unknown",
        resp,
        400,
        "required_property_not_found",
        missing,
    )
    .await;
    let resp = app.get("/mutes", None).await;
    error_kind_row("list without a token", resp, 401, "unauthorized").await;
    let resp = app.delete("/mutes", Some(&token)).await;
    error_kind_row("DELETE", resp, 405, "web_application").await;
    let data = mute_of(&app, &token, "alice").await;
    assert_eq!(
        (data["chat"].clone(), data["chatroom"].clone()),
        (json!(0), json!(0)),
        "nothing muted"
    );
    ok_json(app.send_text(&token, "alice", &["bob"], "hi").await).await;
}

// ------------------------------------------------------------------------------------------
// user attributes

async fn put_form(app: &TestApp, name: &str, token: Option<&str>, form: &str) -> Response {
    let path = format!("/metadata/user/{name}");
    call(app, reqwest::Method::PUT, &path, token, form).await
}

#[tokio::test]
async fn attributes_are_set_from_a_form_merged_and_read_back() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    let form = "avatarurl=https%3A%2F%2Fexample.com%2Fa.png&ext=ext&nickname=nick";
    let answer = ok_json(put_form(&app, "alice", Some(&token), form).await).await;
    assert_eq!(
        answer["data"],
        json!({"avatarurl": "https://example.com/a.png", "ext": "ext", "nickname": "nick"})
    );
    assert_eq!(keys(&answer), sorted(&["timestamp", "data", "duration"]));
    ok_json(put_form(&app, "ALICE", Some(&token), "nickname=other&sign=hello").await).await;
    let read = ok_json(app.get("/metadata/user/alice", Some(&token)).await).await;
    assert_eq!(
        read["data"],
        json!({"avatarurl": "https://example.com/a.png", "ext": "ext", "nickname": "other", "sign": "hello"})
    );
    let nothing = ok_json(app.get("/metadata/user/ghost", Some(&token)).await).await;
    assert_eq!(nothing["data"], json!({}), "{nothing}");
}

#[tokio::test]
async fn the_batch_read_returns_the_chosen_properties_of_users_that_have_them() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    ok_json(put_form(&app, "alice", Some(&token), "nickname=a&ext=x&phone=1").await).await;
    ok_json(put_form(&app, "bob", Some(&token), "sign=s").await).await;
    let body = json!({"targets": ["alice", "bob", "ghost"], "properties": ["nickname", "ext"]});
    let answer = ok_json(app.post("/metadata/user/get", Some(&token), &body).await).await;
    assert_eq!(
        answer["data"],
        json!({"alice": {"nickname": "a", "ext": "x"}})
    );
    let many: Vec<String> = (0..101).map(|i| format!("u{i}")).collect();
    let body = json!({"targets": many, "properties": ["nickname"]});
    let resp = app.post("/metadata/user/get", Some(&token), &body).await;
    assert_error_row(
        "101 targets",
        resp,
        400,
        "BAD_REQUEST",
        "exceed allowed batch size 100",
    )
    .await;
    let resp = app
        .post_raw(
            "/metadata/user/get",
            Some(&token),
            b"{\"targets\":".to_vec(),
        )
        .await;
    error_kind_row("malformed JSON", resp, 400, "BAD_REQUEST").await;
    let resp = app
        .post(
            "/metadata/user/get",
            Some(&token),
            &json!({"targets": ["alice"]}),
        )
        .await;
    error_kind_row("no properties", resp, 400, "BAD_REQUEST").await;
    let resp = app
        .post(
            "/metadata/user/get",
            None,
            &json!({"targets": [], "properties": []}),
        )
        .await;
    error_kind_row("no token", resp, 401, "unauthorized").await;
    let resp = app
        .post("/metadata/user/alice", Some(&token), &json!({}))
        .await;
    error_kind_row("POST to a user", resp, 405, "web_application").await;
}

#[tokio::test]
async fn capacity_counts_the_bytes_of_keys_and_values_and_delete_empties_it() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    ok_json(put_form(&app, "alice", Some(&token), "nickname=abc&ext=12345").await).await;
    ok_json(put_form(&app, "bob", Some(&token), "sign=x").await).await;
    let capacity = ok_json(app.get("/metadata/user/capacity", Some(&token)).await).await;
    assert_eq!(capacity["data"], 8 + 3 + 8 + 5, "{capacity}");
    let usage = app.health().await["usage"]["easemob"].clone();
    assert_eq!(usage["user_attribute_bytes"], 24, "{usage}");
    let gone = ok_json(app.delete("/metadata/user/alice", Some(&token)).await).await;
    assert_eq!(gone["data"], true, "{gone}");
    let again = ok_json(app.delete("/metadata/user/ghost", Some(&token)).await).await;
    assert_eq!(again["data"], true, "deleting nothing succeeds: {again}");
    let capacity = ok_json(app.get("/metadata/user/capacity", Some(&token)).await).await;
    assert_eq!(capacity["data"], 5, "{capacity}");
    let read = ok_json(app.get("/metadata/user/alice", Some(&token)).await).await;
    assert_eq!(read["data"], json!({}), "{read}");
}

#[tokio::test]
async fn a_user_may_manage_only_their_own_attributes_and_not_read_the_capacity() {
    let app = spawn_app().await;
    let alice = user_token(&app, "alice").await;
    ok_json(put_form(&app, "alice", Some(&alice), "nickname=me").await).await;
    let mine = ok_json(app.get("/metadata/user/alice", Some(&alice)).await).await;
    assert_eq!(mine["data"], json!({"nickname": "me"}));
    let rows = vec![
        (
            "set another's",
            put_form(&app, "bob", Some(&alice), "nickname=x").await,
        ),
        (
            "read another's",
            app.get("/metadata/user/bob", Some(&alice)).await,
        ),
        (
            "delete another's",
            app.delete("/metadata/user/bob", Some(&alice)).await,
        ),
    ];
    for (case, resp) in rows {
        assert_error_row(case, resp, 401, "metadata_error", "auth error").await;
    }
    let resp = app.get("/metadata/user/capacity", Some(&alice)).await;
    assert_error_row("capacity", resp, 401, "unauthorized", "unauthorized").await;
    let resp = put_form(&app, "alice", None, "nickname=x").await;
    error_kind_row("no token", resp, 401, "unauthorized").await;
}

#[tokio::test]
async fn attributes_over_a_limit_or_for_an_unknown_user_are_refused_and_nothing_is_lost() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    ok_json(put_form(&app, "alice", Some(&token), "nickname=kept").await).await;
    let big = format!("ext={}", "x".repeat(2048 - 3 - 8 - 4 + 1));
    let resp = put_form(&app, "alice", Some(&token), &big).await;
    assert_error_row(
        "over 2 KB for the user",
        resp,
        403,
        "FORBIDDEN",
        "size of metadata for this single user exceeds the user defined limit, 2048Bytes",
    )
    .await;
    let fits = format!("ext={}", "x".repeat(2048 - 3 - 8 - 4));
    ok_json(put_form(&app, "alice", Some(&token), &fits).await).await;
    let long_name = format!("nickname={}", "n".repeat(65));
    let resp = put_form(&app, "bob", Some(&token), &long_name).await;
    assert_error_row(
        "nickname over 64 characters",
        resp,
        403,
        "FORBIDDEN",
        "size of metadata for this single user exceeds the current mysql column size, 64Bytes",
    )
    .await;
    let resp = put_form(&app, "ghost", Some(&token), "nickname=x").await;
    error_kind_row("unknown user", resp, 404, "service_resource_not_found").await;
    let resp = put_form(&app, "bob", Some(&token), "").await;
    error_kind_row("empty body", resp, 400, "BAD_REQUEST").await;
    let resp = put_form(&app, "bob", Some(&token), "=value").await;
    error_kind_row("empty key", resp, 400, "BAD_REQUEST").await;
    let read = ok_json(app.get("/metadata/user/alice", Some(&token)).await).await;
    assert_eq!(read["data"]["nickname"], "kept", "{read}");
    let bob = ok_json(app.get("/metadata/user/bob", Some(&token)).await).await;
    assert_eq!(bob["data"], json!({}), "{bob}");
}

#[tokio::test]
async fn the_apps_attribute_limit_comes_from_the_fixture_limits() {
    let fixtures = json!({"tenants": [{
        "org": ORG, "app": APP, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
        "users": [
            {"username": "alice", "password": "alice-password"},
            {"username": "bob", "password": "bob-password"}
        ],
        "limits": {"max_app_metadata_bytes": 20, "max_user_metadata_bytes": 15}
    }]});
    let app = spawn_with_fixtures(&fixtures).await;
    let token = app.app_token().await;
    ok_json(put_form(&app, "alice", Some(&token), "nickname=abcdefg").await).await;
    let resp = put_form(&app, "alice", Some(&token), "nickname=abcdefgh").await;
    error_kind_row("user limit 15", resp, 403, "FORBIDDEN").await;
    let resp = put_form(&app, "bob", Some(&token), "sign=abcdef").await;
    assert_error_row(
        "app limit 20",
        resp,
        403,
        "FORBIDDEN",
        "total size of user metadata for this app exceeds the user defined limit, 20Bytes",
    )
    .await;
    ok_json(put_form(&app, "alice", Some(&token), "nickname=ab").await).await;
    ok_json(put_form(&app, "bob", Some(&token), "sign=abcd").await).await;
    let capacity = ok_json(app.get("/metadata/user/capacity", Some(&token)).await).await;
    assert_eq!(capacity["data"], 10 + 8, "{capacity}");
}

#[tokio::test]
async fn a_user_has_no_logged_in_device_and_a_device_logout_answers_true() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    let devices = ok_json(app.get("/users/alice/resources", Some(&token)).await).await;
    assert_eq!(devices["data"], json!([]), "{devices}");
    assert_eq!(devices["path"], "/users/alice/resources", "{devices}");
    assert_eq!(
        devices["uri"],
        app.app_url(ORG, APP, "/users/alice/resources")
    );
    let path = "/users/alice/disconnect/android_123";
    let answer = ok_json(app.delete(path, Some(&token)).await).await;
    assert_eq!(answer["action"], "delete", "{answer}");
    assert_eq!(answer["data"], json!({"result": true}), "{answer}");
    assert_eq!(answer["uri"], app.app_url(ORG, APP, ""), "{answer}");
    let resp = app
        .delete("/users/ghost/disconnect/android_123", Some(&token))
        .await;
    let body = assert_error_row(
        "unknown user",
        resp,
        404,
        "service_resource_not_found",
        "Service resource not found",
    )
    .await;
    assert_eq!(body["exception"], "UserNotFoundException", "{body}");
    let resp = app.get("/users/alice/resources", None).await;
    error_kind_row("no token", resp, 401, "unauthorized").await;
    let resp = app.get(path, Some(&token)).await;
    error_kind_row("GET a device logout", resp, 405, "web_application").await;
}
