//! Easemob contacts and block lists over HTTP: mutual contacts with a per-user limit, block
//! lists with paging and a limit, and what deleting a user takes with it (contacts, blocks,
//! attributes, mutes).
mod common;
use common::*;

use reqwest::Response;
use serde_json::{json, Value};

/// Fixtures of `demo/chat` with users `alice`, `bob`, `carol`, `dave` and `limits`.
fn fixtures(limits: Value) -> Value {
    let users: Vec<Value> = ["alice", "bob", "carol", "dave"]
        .iter()
        .map(|n| json!({"username": n, "password": format!("{n}-password")}))
        .collect();
    json!({"tenants": [{
        "org": ORG, "app": APP, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
        "users": users, "limits": limits
    }]})
}

async fn spawn_four() -> (TestApp, String) {
    let app = spawn_with_fixtures(&fixtures(json!({}))).await;
    let token = app.app_token().await;
    (app, token)
}

async fn befriend(app: &TestApp, token: &str, owner: &str, friend: &str) -> Response {
    let path = format!("/users/{owner}/contacts/users/{friend}");
    app.post(&path, Some(token), &json!({})).await
}

async fn contacts(app: &TestApp, token: &str, owner: &str) -> Value {
    let path = format!("/users/{owner}/contacts/users");
    ok_json(app.get(&path, Some(token)).await).await["data"].clone()
}

async fn block(app: &TestApp, token: &str, owner: &str, names: &[&str]) -> Response {
    let path = format!("/users/{owner}/blocks/users");
    app.post(&path, Some(token), &json!({ "usernames": names }))
        .await
}

async fn blocks(app: &TestApp, token: &str, owner: &str, query: &str) -> Value {
    let path = format!("/users/{owner}/blocks/users{query}");
    ok_json(app.get(&path, Some(token)).await).await
}

async fn uuid_of(app: &TestApp, token: &str, name: &str) -> String {
    let user = ok_json(app.get(&format!("/users/{name}"), Some(token)).await).await;
    user["entities"][0]["uuid"].as_str().unwrap().to_owned()
}

// ------------------------------------------------------------------------------------------
// contacts

#[tokio::test]
async fn adding_a_contact_answers_the_friend_and_makes_both_users_contacts() {
    let (app, token) = spawn_four().await;
    let answer = ok_json(befriend(&app, &token, "alice", "Bob").await).await;
    let path = format!("/users/{}/contacts", uuid_of(&app, &token, "alice").await);
    assert_eq!(answer["action"], "post", "{answer}");
    assert_eq!(answer["path"], path, "{answer}");
    assert_eq!(answer["uri"], app.app_url(ORG, APP, &path), "{answer}");
    assert_eq!(answer["entities"][0]["username"], "bob", "{answer}");
    assert_eq!(answer["entities"][0]["activated"], true, "{answer}");
    ok_json(befriend(&app, &token, "alice", "carol").await).await;
    ok_json(befriend(&app, &token, "alice", "bob").await).await;
    assert_eq!(
        contacts(&app, &token, "alice").await,
        json!(["carol", "bob"])
    );
    assert_eq!(contacts(&app, &token, "bob").await, json!(["alice"]));
    let listing = ok_json(app.get("/users/carol/contacts/users", Some(&token)).await).await;
    assert_eq!(listing["count"], 1, "{listing}");
    assert_eq!(listing["entities"], json!([]), "{listing}");
    assert_eq!(
        listing["uri"],
        app.app_url(ORG, APP, "/users/carol/contacts/users")
    );
    assert_eq!(contacts(&app, &token, "dave").await, json!([]));
}

#[tokio::test]
async fn removing_a_contact_ends_it_on_both_sides() {
    let (app, token) = spawn_four().await;
    ok_json(befriend(&app, &token, "alice", "bob").await).await;
    let resp = app
        .delete("/users/bob/contacts/users/alice", Some(&token))
        .await;
    let answer = ok_json(resp).await;
    assert_eq!(answer["action"], "delete", "{answer}");
    assert_eq!(answer["entities"][0]["username"], "alice", "{answer}");
    assert_eq!(contacts(&app, &token, "alice").await, json!([]));
    assert_eq!(contacts(&app, &token, "bob").await, json!([]));
    let again = app
        .delete("/users/bob/contacts/users/alice", Some(&token))
        .await;
    ok_json(again).await;
}

#[tokio::test]
async fn a_user_at_the_contact_limit_cannot_gain_a_contact_on_either_side() {
    let app = spawn_with_fixtures(&fixtures(json!({"max_contacts_per_user": 1}))).await;
    let token = app.app_token().await;
    ok_json(befriend(&app, &token, "alice", "bob").await).await;
    ok_json(befriend(&app, &token, "bob", "alice").await).await;
    for (owner, friend) in [("alice", "carol"), ("carol", "alice")] {
        let resp = befriend(&app, &token, owner, friend).await;
        let case = format!("{owner} -> {friend}");
        assert_error_row(
            &case,
            resp,
            403,
            "exceed_limit",
            "user contact number exceed limit",
        )
        .await;
    }
    assert_eq!(contacts(&app, &token, "carol").await, json!([]));
    ok_json(befriend(&app, &token, "carol", "dave").await).await;
    let usage = app.health().await["usage"]["easemob"].clone();
    assert_eq!(usage["contacts"], 4, "{usage}");
}

#[tokio::test]
async fn contact_calls_with_an_unknown_user_or_without_an_app_token_are_refused() {
    let (app, token) = spawn_four().await;
    let alice = ok_json(
        app.post(
            "/token",
            None,
            &json!({"grant_type": "password", "username": "alice", "password": "alice-password"}),
        )
        .await,
    )
    .await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let rows: Vec<(&str, Response, u16, &str)> = vec![
        (
            "unknown friend",
            befriend(&app, &token, "alice", "ghost").await,
            404,
            "service_resource_not_found",
        ),
        (
            "unknown owner",
            befriend(&app, &token, "ghost", "alice").await,
            404,
            "service_resource_not_found",
        ),
        (
            "remove unknown",
            app.delete("/users/alice/contacts/users/ghost", Some(&token))
                .await,
            404,
            "service_resource_not_found",
        ),
        (
            "list unknown",
            app.get("/users/ghost/contacts/users", Some(&token)).await,
            404,
            "service_resource_not_found",
        ),
        (
            "no token",
            befriend(&app, "", "alice", "bob").await,
            401,
            "unauthorized",
        ),
        (
            "user token",
            befriend(&app, &alice, "alice", "bob").await,
            401,
            "auth_bad_access_token",
        ),
        (
            "list without token",
            app.get("/users/alice/contacts/users", None).await,
            401,
            "unauthorized",
        ),
        (
            "PUT",
            app.put("/users/alice/contacts/users/bob", Some(&token), &json!({}))
                .await,
            405,
            "web_application",
        ),
        (
            "POST on the list",
            app.post("/users/alice/contacts/users", Some(&token), &json!({}))
                .await,
            405,
            "web_application",
        ),
    ];
    for (case, resp, status, error) in rows {
        error_kind_row(case, resp, status, error).await;
    }
    assert_eq!(contacts(&app, &token, "alice").await, json!([]));
}

// ------------------------------------------------------------------------------------------
// blocks

#[tokio::test]
async fn blocking_answers_the_blocked_ids_and_the_list_shows_the_newest_first() {
    let (app, token) = spawn_four().await;
    let answer = ok_json(block(&app, &token, "alice", &["Bob", "carol"]).await).await;
    assert_eq!(answer["action"], "post", "{answer}");
    assert_eq!(answer["data"], json!(["bob", "carol"]), "{answer}");
    assert_eq!(answer["entities"], json!([]), "{answer}");
    assert_eq!(answer["uri"], app.app_url(ORG, APP, ""), "{answer}");
    ok_json(block(&app, &token, "alice", &["dave", "bob"]).await).await;
    let listing = blocks(&app, &token, "alice", "").await;
    assert_eq!(
        listing["data"],
        json!(["dave", "carol", "bob"]),
        "{listing}"
    );
    assert_eq!(listing["count"], 3, "{listing}");
    assert!(listing.get("cursor").is_none(), "{listing}");
    assert_eq!(blocks(&app, &token, "bob", "").await["data"], json!([]));
}

#[tokio::test]
async fn the_block_list_pages_with_page_size_and_cursor() {
    let (app, token) = spawn_four().await;
    ok_json(block(&app, &token, "alice", &["bob", "carol", "dave"]).await).await;
    let first = blocks(&app, &token, "alice", "?pageSize=2").await;
    assert_eq!(first["data"], json!(["dave", "carol"]), "{first}");
    assert_eq!(first["count"], 2, "{first}");
    let cursor = first["cursor"]
        .as_str()
        .expect("a cursor while more follow");
    let query = format!("?pageSize=2&cursor={}", urlencode(cursor));
    let second = blocks(&app, &token, "alice", &query).await;
    assert_eq!(second["data"], json!(["bob"]), "{second}");
    assert!(second.get("cursor").is_none(), "{second}");
    let resp = app
        .get(
            "/users/alice/blocks/users?pageSize=2&cursor=%25%25",
            Some(&token),
        )
        .await;
    error_kind_row("bad cursor", resp, 400, "illegal_argument").await;
}

fn urlencode(text: &str) -> String {
    text.replace('=', "%3D")
        .replace('+', "%2B")
        .replace('/', "%2F")
}

#[tokio::test]
async fn unblocking_answers_the_user_and_takes_them_off_the_list() {
    let (app, token) = spawn_four().await;
    ok_json(block(&app, &token, "alice", &["bob", "carol"]).await).await;
    let resp = app
        .delete("/users/alice/blocks/users/BOB", Some(&token))
        .await;
    let answer = ok_json(resp).await;
    let path = format!("/users/{}/blocks", uuid_of(&app, &token, "alice").await);
    assert_eq!(answer["action"], "delete", "{answer}");
    assert_eq!(answer["path"], path, "{answer}");
    assert_eq!(answer["entities"][0]["username"], "bob", "{answer}");
    assert_eq!(
        blocks(&app, &token, "alice", "").await["data"],
        json!(["carol"])
    );
}

#[tokio::test]
async fn a_block_list_at_its_limit_refuses_more_and_keeps_what_it_had() {
    let app = spawn_with_fixtures(&fixtures(json!({"max_blocks_per_user": 2}))).await;
    let token = app.app_token().await;
    ok_json(block(&app, &token, "alice", &["bob"]).await).await;
    let resp = block(&app, &token, "alice", &["carol", "dave"]).await;
    assert_error_row(
        "third block",
        resp,
        403,
        "exceed_limit",
        "user block number exceed limit",
    )
    .await;
    assert_eq!(
        blocks(&app, &token, "alice", "").await["data"],
        json!(["bob"])
    );
    ok_json(block(&app, &token, "alice", &["bob", "carol"]).await).await;
    let usage = app.health().await["usage"]["easemob"].clone();
    assert_eq!(usage["blocks"], 2, "{usage}");
}

#[tokio::test]
async fn block_calls_with_an_unknown_user_a_bad_body_or_no_token_are_refused() {
    let (app, token) = spawn_four().await;
    let rows: Vec<(&str, Response, u16, &str)> = vec![
        (
            "unknown blocked user",
            block(&app, &token, "alice", &["bob", "ghost"]).await,
            404,
            "service_resource_not_found",
        ),
        (
            "unknown owner",
            block(&app, &token, "ghost", &["bob"]).await,
            404,
            "service_resource_not_found",
        ),
        (
            "no usernames",
            app.post("/users/alice/blocks/users", Some(&token), &json!({}))
                .await,
            400,
            "illegal_argument",
        ),
        (
            "empty usernames",
            block(&app, &token, "alice", &[]).await,
            400,
            "illegal_argument",
        ),
        (
            "usernames not an array",
            app.post(
                "/users/alice/blocks/users",
                Some(&token),
                &json!({"usernames": "bob"}),
            )
            .await,
            400,
            "illegal_argument",
        ),
        (
            "malformed JSON",
            app.post_raw(
                "/users/alice/blocks/users",
                Some(&token),
                b"{usernames".to_vec(),
            )
            .await,
            400,
            "json_parse",
        ),
        (
            "no token",
            block(&app, "", "alice", &["bob"]).await,
            401,
            "unauthorized",
        ),
        (
            "unblock unknown",
            app.delete("/users/alice/blocks/users/ghost", Some(&token))
                .await,
            404,
            "service_resource_not_found",
        ),
        (
            "list unknown",
            app.get("/users/ghost/blocks/users", Some(&token)).await,
            404,
            "service_resource_not_found",
        ),
        (
            "DELETE the list",
            app.delete("/users/alice/blocks/users", Some(&token)).await,
            405,
            "web_application",
        ),
    ];
    for (case, resp, status, error) in rows {
        error_kind_row(case, resp, status, error).await;
    }
    assert_eq!(blocks(&app, &token, "alice", "").await["data"], json!([]));
}

// ------------------------------------------------------------------------------------------
// deleting a user

#[tokio::test]
async fn deleting_a_user_drops_their_contacts_blocks_attributes_and_mutes() {
    let (app, token) = spawn_four().await;
    ok_json(befriend(&app, &token, "alice", "bob").await).await;
    ok_json(befriend(&app, &token, "carol", "bob").await).await;
    ok_json(block(&app, &token, "bob", &["dave"]).await).await;
    ok_json(block(&app, &token, "dave", &["bob", "alice"]).await).await;
    let form = app
        .client
        .put(app.app_url(ORG, APP, "/metadata/user/bob"))
        .bearer_auth(&token)
        .body("nickname=bobby")
        .send()
        .await
        .unwrap();
    ok_json(form).await;
    ok_json(
        app.post(
            "/mutes",
            Some(&token),
            &json!({"username": "bob", "chat": -1}),
        )
        .await,
    )
    .await;
    ok_json(app.delete("/users/bob", Some(&token)).await).await;
    assert_eq!(contacts(&app, &token, "alice").await, json!([]));
    assert_eq!(contacts(&app, &token, "carol").await, json!([]));
    assert_eq!(
        blocks(&app, &token, "dave", "").await["data"],
        json!(["alice"])
    );
    let usage = app.health().await["usage"]["easemob"].clone();
    assert_eq!(
        (
            &usage["contacts"],
            &usage["blocks"],
            &usage["user_attribute_bytes"],
            &usage["muted_users"]
        ),
        (&json!(0), &json!(1), &json!(0), &json!(0)),
        "{usage}"
    );
    let user = json!({"username": "bob", "password": "bob-password"});
    ok_json(app.post("/users", Some(&token), &user).await).await;
    assert_eq!(contacts(&app, &token, "bob").await, json!([]));
    assert_eq!(blocks(&app, &token, "bob", "").await["data"], json!([]));
    let attributes = ok_json(app.get("/metadata/user/bob", Some(&token)).await).await;
    assert_eq!(attributes["data"], json!({}), "{attributes}");
    ok_json(app.send_text(&token, "bob", &["alice"], "hi").await).await;
}

// ------------------------------------------------------------------------------------------
// paged contacts, remarks, import

async fn remark(app: &TestApp, token: &str, owner: &str, friend: &str, body: Value) -> Response {
    let path = format!("/user/{owner}/contacts/users/{friend}");
    app.put(&path, Some(token), &body).await
}

#[tokio::test]
async fn the_paged_contact_list_gives_remarks_on_request_and_a_cursor_while_more_follow() {
    let (app, token) = spawn_four().await;
    for friend in ["bob", "carol", "dave"] {
        ok_json(befriend(&app, &token, "alice", friend).await).await;
    }
    let answer =
        ok_json(remark(&app, &token, "alice", "carol", json!({"remark": "Caro"})).await).await;
    assert_eq!(answer["status"], "ok", "{answer}");
    assert_eq!(answer["action"], "put", "{answer}");
    assert_eq!(
        answer["uri"],
        app.app_url(ORG, APP, "/user/alice/contacts/users/carol")
    );
    let path = "/user/alice/contacts?limit=2&needReturnRemark=true";
    let first = ok_json(app.get(path, Some(&token)).await).await;
    assert_eq!(
        first["data"],
        json!({"contacts": [{"remark": null, "username": "dave"}, {"remark": "Caro", "username": "carol"}]})
    );
    assert_eq!(first["count"], 2, "{first}");
    assert_eq!(first["entities"], json!([]), "{first}");
    assert_eq!(
        first["uri"],
        app.app_url(ORG, APP, "/users/alice/rostersByPage")
    );
    let cursor = first["cursor"]
        .as_str()
        .expect("a cursor while more follow");
    let next = format!("/user/alice/contacts?limit=2&cursor={}", urlencode(cursor));
    let second = ok_json(app.get(&next, Some(&token)).await).await;
    assert_eq!(
        second["data"],
        json!({"contacts": [{"username": "bob"}]}),
        "{second}"
    );
    assert!(second.get("cursor").is_none(), "{second}");
    let bob = ok_json(
        app.get("/user/bob/contacts?needReturnRemark=true", Some(&token))
            .await,
    )
    .await;
    assert_eq!(
        bob["data"],
        json!({"contacts": [{"remark": null, "username": "alice"}]})
    );
}

#[tokio::test]
async fn paged_contacts_and_remarks_refuse_bad_input() {
    let (app, token) = spawn_four().await;
    ok_json(befriend(&app, &token, "alice", "bob").await).await;
    let long = "r".repeat(101);
    let rows: Vec<(&str, Response, u16, &str, Option<&str>)> = vec![
        (
            "limit 51",
            app.get("/user/alice/contacts?limit=51", Some(&token)).await,
            400,
            "illegal_argument",
            Some("getContacts | page size more than max limit : 50"),
        ),
        (
            "unknown user",
            app.get("/user/ghost/contacts", Some(&token)).await,
            404,
            "service_resource_not_found",
            None,
        ),
        (
            "bad cursor",
            app.get("/user/alice/contacts?cursor=%25", Some(&token))
                .await,
            400,
            "illegal_argument",
            None,
        ),
        (
            "no token",
            app.get("/user/alice/contacts", None).await,
            401,
            "unauthorized",
            None,
        ),
        (
            "not friends",
            remark(&app, &token, "alice", "carol", json!({"remark": "x"})).await,
            400,
            "illegal_argument",
            Some("updateRemark they are not friends, please add as a friend first."),
        ),
        (
            "remark too long",
            remark(&app, &token, "alice", "bob", json!({"remark": long})).await,
            400,
            "illegal_argument",
            None,
        ),
        (
            "no remark",
            remark(&app, &token, "alice", "bob", json!({})).await,
            400,
            "illegal_argument",
            None,
        ),
        (
            "remark for unknown",
            remark(&app, &token, "alice", "ghost", json!({"remark": "x"})).await,
            404,
            "service_resource_not_found",
            None,
        ),
    ];
    for (case, resp, status, error, text) in rows {
        let body = error_kind_row(case, resp, status, error).await;
        if let Some(text) = text {
            assert_eq!(body["error_description"], text, "case {case}");
        }
    }
    let page = ok_json(
        app.get("/user/alice/contacts?needReturnRemark=true", Some(&token))
            .await,
    )
    .await;
    assert_eq!(
        page["data"],
        json!({"contacts": [{"remark": null, "username": "bob"}]})
    );
}

#[tokio::test]
async fn importing_contacts_sorts_each_name_into_success_missing_or_over_the_limit() {
    let app = spawn_with_fixtures(&fixtures(json!({"max_contacts_per_user": 2}))).await;
    let token = app.app_token().await;
    ok_json(befriend(&app, &token, "dave", "carol").await).await;
    ok_json(befriend(&app, &token, "dave", "bob").await).await;
    let body = json!({"usernames": ["bob", "ghost", "dave"]});
    let answer = ok_json(
        app.post("/users/alice/contacts/import", Some(&token), &body)
            .await,
    )
    .await;
    assert_eq!(answer["status"], "ok", "{answer}");
    assert_eq!(answer["action"], "post", "{answer}");
    assert_eq!(
        answer["data"],
        json!({"UnKnowFailed": [], "success": ["bob"], "NotExistFailed": ["ghost"], "maxLimitFailed": ["dave"]})
    );
    assert_eq!(contacts(&app, &token, "alice").await, json!(["bob"]));
    ok_json(befriend(&app, &token, "alice", "carol").await).await;
    let resp = app
        .post(
            "/users/alice/contacts/import",
            Some(&token),
            &json!({"usernames": ["dave"]}),
        )
        .await;
    assert_error_row(
        "importer at the limit",
        resp,
        403,
        "exceed_limit",
        "Inviter's contact max count.",
    )
    .await;
    let eleven: Vec<String> = (0..11).map(|i| format!("u{i}")).collect();
    let resp = app
        .post(
            "/users/bob/contacts/import",
            Some(&token),
            &json!({"usernames": eleven}),
        )
        .await;
    assert_error_row(
        "11 names",
        resp,
        400,
        "illegal_argument",
        "request user over flow limit:10.",
    )
    .await;
    let resp = app
        .post(
            "/users/ghost/contacts/import",
            Some(&token),
            &json!({"usernames": ["bob"]}),
        )
        .await;
    error_kind_row("unknown importer", resp, 404, "service_resource_not_found").await;
    let resp = app
        .post(
            "/users/bob/contacts/import",
            None,
            &json!({"usernames": ["bob"]}),
        )
        .await;
    error_kind_row("no token", resp, 401, "unauthorized").await;
}
