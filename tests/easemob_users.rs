//! Easemob users over HTTP: register one or a batch, get, list with a cursor, delete one or
//! the oldest N, as a real client reads the Usergrid envelope.
mod common;
use common::*;

use reqwest::{Response, StatusCode};
use serde_json::{json, Value};

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

/// The usernames of `body["entities"]`, in order.
fn usernames(body: &Value) -> Vec<String> {
    body["entities"]
        .as_array()
        .unwrap_or_else(|| panic!("entities is an array: {body}"))
        .iter()
        .map(|e| e["username"].as_str().unwrap().to_owned())
        .collect()
}

/// Registers `body` with `token`, answering the raw response.
async fn register(app: &TestApp, token: Option<&str>, body: &Value) -> Response {
    app.post("/users", token, body).await
}

/// Whether `name` exists, asked with an app token.
async fn exists(app: &TestApp, token: &str, name: &str) -> bool {
    let resp = app.get(&format!("/users/{name}"), Some(token)).await;
    match resp.status() {
        StatusCode::OK => true,
        StatusCode::NOT_FOUND => false,
        other => panic!("GET /users/{name} answered {other}"),
    }
}

/// Fixtures of `demo/chat` with open registration and the default credentials.
fn open_registration_fixtures() -> Value {
    json!({
        "tenants": [{
            "org": "demo",
            "app": "chat",
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "open_registration": true,
            "users": [{"username": "alice", "password": "alice-password"}]
        }]
    })
}

// ------------------------------------------------------------------------------------------
// register one

#[tokio::test]
async fn registering_a_user_answers_the_lower_cased_entity_in_the_usergrid_envelope() {
    let app = spawn_app().await;
    app.set_clock(T0).await;
    let token = app.app_token().await;
    let body = json!({"username": "Carol", "password": "carol-pass", "nickname": "Caro"});
    let answer = ok_json(register(&app, Some(&token), &body).await).await;
    assert_usergrid_envelope(&app, &answer, "post", "/users");
    let entities = answer["entities"].as_array().unwrap();
    assert_eq!(entities.len(), 1, "{answer}");
    let user = &entities[0];
    assert_uuid_v1(&user["uuid"]);
    assert_eq!(user["type"], "user", "{answer}");
    assert_eq!(
        user["created"], T0,
        "created on the emulator clock: {answer}"
    );
    assert_eq!(user["modified"], T0, "{answer}");
    assert_eq!(
        user["username"], "carol",
        "usernames are stored lower-cased: {answer}"
    );
    assert_eq!(user["activated"], true, "{answer}");
    assert_eq!(user["nickname"], "Caro", "{answer}");
    assert!(
        user.get("password").is_none(),
        "the password is never echoed: {answer}"
    );
    assert!(
        answer.get("data").is_none(),
        "a single register has no failures: {answer}"
    );

    let stored = ok_json(app.get("/users/carol", Some(&token)).await).await;
    assert_eq!(stored["entities"][0]["uuid"], user["uuid"], "{stored}");
}

#[tokio::test]
async fn a_registered_user_can_log_in_with_its_password() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    let body = json!({"username": "Carol", "password": "carol-pass"});
    ok_json(register(&app, Some(&token), &body).await).await;
    let login = json!({"grant_type": "password", "username": "carol", "password": "carol-pass"});
    let answer = ok_json(app.post("/token", None, &login).await).await;
    assert_eq!(answer["user"]["username"], "carol", "{answer}");
}

#[tokio::test]
async fn registering_without_an_app_token_is_refused_when_registration_is_not_open() {
    let app = spawn_app().await;
    let body = json!({"username": "carol", "password": "carol-pass"});
    let answer = easemob_error_kind(register(&app, None, &body).await, 401, "unauthorized").await;
    let documented = [
        "Open registration doesn't allow, so register user need token,",
        "registration is not open, please contact the app admin",
    ];
    assert!(
        documented.contains(&answer["error_description"].as_str().unwrap()),
        "{answer}"
    );

    let login =
        json!({"grant_type": "password", "username": "alice", "password": "alice-password"});
    let user = ok_json(app.post("/token", None, &login).await).await;
    let user_token = user["access_token"].as_str().unwrap();
    easemob_error_kind(
        register(&app, Some(user_token), &body).await,
        401,
        "auth_bad_access_token",
    )
    .await;

    let token = app.app_token().await;
    assert!(!exists(&app, &token, "carol").await, "no user was created");
}

#[tokio::test]
async fn open_registration_needs_no_token() {
    let app = spawn_with_fixtures(&open_registration_fixtures()).await;
    let body = json!({"username": "Carol", "password": "carol-pass"});
    let answer = ok_json(register(&app, None, &body).await).await;
    assert_eq!(usernames(&answer), ["carol"], "{answer}");
    let token = app.app_token().await;
    assert!(exists(&app, &token, "carol").await);
}

#[tokio::test]
async fn an_illegal_username_is_refused_with_illegal_argument() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    let too_long = "a".repeat(65);
    let cases = [
        (
            "bad name!",
            Some("username bad name! is not legal"),
            "space and !",
        ),
        ("a/b", None, "slash"),
        ("名字", None, "non-ASCII letters"),
        ("x@y", None, "at sign"),
        (too_long.as_str(), Some("USERNAME_TOO_LONG"), "65 bytes"),
    ];
    for (name, description, case) in cases {
        let body = json!({"username": name, "password": "secret"});
        let resp = register(&app, Some(&token), &body).await;
        let answer = error_kind_row(case, resp, 400, "illegal_argument").await;
        if let Some(description) = description {
            assert_eq!(
                answer["error_description"], description,
                "case {case}: {answer}"
            );
        }
    }
    let listed = ok_json(app.get("/users?limit=100", Some(&token)).await).await;
    assert_eq!(
        usernames(&listed),
        ["alice", "bob"],
        "nothing was created: {listed}"
    );
}

#[tokio::test]
async fn a_username_of_64_bytes_with_dots_dashes_and_underscores_is_accepted() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    let name = format!("a.b-c_{}", "d".repeat(58));
    assert_eq!(name.len(), 64);
    let body = json!({"username": name, "password": "secret"});
    let answer = ok_json(register(&app, Some(&token), &body).await).await;
    assert_eq!(usernames(&answer), [name], "{answer}");
}

#[tokio::test]
async fn a_missing_username_or_password_is_refused_with_illegal_argument() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    let cases = [
        (json!({"username": "carol"}), "password absent"),
        (
            json!({"username": "carol", "password": ""}),
            "password empty",
        ),
        (json!({"password": "secret"}), "username absent"),
        (
            json!({"username": "", "password": "secret"}),
            "username empty",
        ),
    ];
    for (body, case) in cases {
        let resp = register(&app, Some(&token), &body).await;
        error_kind_row(case, resp, 400, "illegal_argument").await;
    }
    assert!(!exists(&app, &token, "carol").await, "no user was created");
}

#[tokio::test]
async fn registering_an_existing_username_is_a_duplicate_unique_property() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    for (name, case) in [("alice", "same case"), ("ALICE", "other case")] {
        let body = json!({"username": name, "password": "secret"});
        let resp = register(&app, Some(&token), &body).await;
        assert_error_row(
            case,
            resp,
            400,
            "duplicate_unique_property_exists",
            &format!(
                "Application {DEMO_APPLICATION} Entity user requires that property named username be unique, value of alice exists"
            ),
        )
        .await;
    }
    let login =
        json!({"grant_type": "password", "username": "alice", "password": "alice-password"});
    ok_json(app.post("/token", None, &login).await).await;
}

#[tokio::test]
async fn a_register_body_that_is_not_json_answers_json_parse() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    let cases: [(&[u8], &str); 3] = [
        (br#"{"username":"carol","#, "cut short"),
        (br#"{"username"="carol"}"#, "= instead of :"),
        (b"username=carol&password=p", "form-encoded body"),
    ];
    for (body, case) in cases {
        let resp = app.post_raw("/users", Some(&token), body.to_vec()).await;
        error_kind_row(case, resp, 400, "json_parse").await;
    }
    assert!(!exists(&app, &token, "carol").await, "no user was created");
}

// ------------------------------------------------------------------------------------------
// register a batch

#[tokio::test]
async fn a_batch_of_60_registers_the_new_users_and_lists_the_duplicates_in_data() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    let mut batch = vec![
        json!({"username": "alice", "password": "p"}),
        json!({"username": "Erin", "password": "p"}),
        json!({"username": "erin", "password": "p"}),
    ];
    batch.extend((0..57).map(|i| json!({"username": format!("u{i:02}"), "password": "p"})));
    assert_eq!(batch.len(), 60);
    let answer = ok_json(register(&app, Some(&token), &Value::Array(batch)).await).await;
    assert_usergrid_envelope(&app, &answer, "post", "/users");
    let created = usernames(&answer);
    assert_eq!(created.len(), 58, "{answer}");
    assert_eq!(created[0], "erin", "{answer}");
    assert_eq!(created[1], "u00", "{answer}");
    assert_eq!(created[57], "u56", "{answer}");
    assert_eq!(
        answer["data"],
        json!([
            {"username": "alice", "registerUserFailReason": "the alice already exists"},
            {"username": "erin", "registerUserFailReason": "the erin already exists"},
        ]),
        "{answer}"
    );
    assert!(exists(&app, &token, "u56").await);
    assert!(exists(&app, &token, "erin").await);
}

#[tokio::test]
async fn a_batch_of_61_users_is_refused_whole() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    let batch: Vec<Value> = (0..61)
        .map(|i| json!({"username": format!("u{i:02}"), "password": "p"}))
        .collect();
    let resp = register(&app, Some(&token), &Value::Array(batch)).await;
    let answer = easemob_error_kind(resp, 400, "illegal_argument").await;
    assert!(answer.get("entities").is_none(), "{answer}");
    assert!(
        !exists(&app, &token, "u00").await,
        "no user of the batch was created"
    );
}

// ------------------------------------------------------------------------------------------
// get and list

#[tokio::test]
async fn getting_a_user_by_name_in_any_case_answers_one_entity_and_count_one() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    for name in ["alice", "ALICE", "Alice"] {
        let answer = ok_json(app.get(&format!("/users/{name}"), Some(&token)).await).await;
        let named = format!("/users/{name}");
        assert_usergrid_envelope_at(&app, &answer, "get", "/users", &named);
        assert_eq!(usernames(&answer), ["alice"], "GET /users/{name}: {answer}");
        assert_eq!(answer["count"], 1, "GET /users/{name}: {answer}");
        let user = &answer["entities"][0];
        assert_uuid_v1(&user["uuid"]);
        assert_eq!(user["type"], "user", "{answer}");
        assert_eq!(user["activated"], true, "{answer}");
        assert_eq!(user["nickname"], "Alice", "{answer}");
        assert!(
            user["created"].is_i64() && user["modified"].is_i64(),
            "{answer}"
        );
    }
}

#[tokio::test]
async fn getting_an_unknown_user_answers_service_resource_not_found() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    let answer = assert_easemob_error(
        app.get("/users/nobody", Some(&token)).await,
        404,
        "service_resource_not_found",
        "Service resource not found",
    )
    .await;
    assert_eq!(answer["exception"], "UserNotFoundException", "{answer}");
}

#[tokio::test]
async fn listing_users_one_at_a_time_follows_the_cursor_to_the_last_page() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    ok_json(
        register(
            &app,
            Some(&token),
            &json!({"username": "carol", "password": "p"}),
        )
        .await,
    )
    .await;

    let first = ok_json(app.get("/users?limit=1", Some(&token)).await).await;
    assert_usergrid_envelope(&app, &first, "get", "/users");
    assert_eq!(first["params"], json!({"limit": ["1"]}), "{first}");
    assert_eq!(first["count"], 1, "{first}");

    let mut seen = usernames(&first);
    let mut cursor = first["cursor"].as_str().map(str::to_owned);
    let mut pages = 1;
    while let Some(c) = cursor {
        assert!(pages < 10, "the cursor ends");
        let page = ok_json(
            app.get(&format!("/users?limit=1&cursor={c}"), Some(&token))
                .await,
        )
        .await;
        assert_eq!(page["count"], 1, "page {pages}: {page}");
        assert_eq!(page["params"]["limit"], json!(["1"]), "{page}");
        assert_eq!(page["params"]["cursor"], json!([c]), "{page}");
        seen.extend(usernames(&page));
        cursor = page["cursor"].as_str().map(str::to_owned);
        if cursor.is_none() {
            assert!(
                page.get("cursor").is_none(),
                "no cursor on the last page: {page}"
            );
        }
        pages += 1;
    }
    assert_eq!(
        seen,
        ["alice", "bob", "carol"],
        "every user once, oldest first"
    );
    assert_eq!(pages, 3);
}

#[tokio::test]
async fn listing_users_without_a_limit_answers_a_page_of_ten_and_a_cursor() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    let batch: Vec<Value> = (0..12)
        .map(|i| json!({"username": format!("u{i:02}"), "password": "p"}))
        .collect();
    ok_json(register(&app, Some(&token), &Value::Array(batch)).await).await;
    let page = ok_json(app.get("/users", Some(&token)).await).await;
    assert_eq!(page["entities"].as_array().unwrap().len(), 10, "{page}");
    assert_eq!(page["count"], 10, "{page}");
    assert!(page["cursor"].is_string(), "{page}");
}

// ------------------------------------------------------------------------------------------
// delete

#[tokio::test]
async fn deleting_a_user_answers_its_entity_and_it_is_gone() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    let before = ok_json(app.get("/users/bob", Some(&token)).await).await;
    let answer = ok_json(app.delete("/users/BOB", Some(&token)).await).await;
    assert_usergrid_envelope(&app, &answer, "delete", "/users");
    assert_eq!(usernames(&answer), ["bob"], "{answer}");
    assert_eq!(
        answer["entities"][0]["uuid"], before["entities"][0]["uuid"],
        "{answer}"
    );

    assert_easemob_error(
        app.get("/users/bob", Some(&token)).await,
        404,
        "service_resource_not_found",
        "Service resource not found",
    )
    .await;
    assert_easemob_error(
        app.delete("/users/bob", Some(&token)).await,
        404,
        "service_resource_not_found",
        "Service resource not found",
    )
    .await;
    assert!(exists(&app, &token, "alice").await, "other users stay");
}

#[tokio::test]
async fn deleting_an_unknown_user_answers_service_resource_not_found() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    assert_easemob_error(
        app.delete("/users/nobody", Some(&token)).await,
        404,
        "service_resource_not_found",
        "Service resource not found",
    )
    .await;
}

#[tokio::test]
async fn deleting_users_without_an_app_token_is_refused() {
    let app = spawn_app().await;
    assert_easemob_error(
        app.delete("/users/bob", None).await,
        401,
        "unauthorized",
        "Unable to authenticate due to expired access token",
    )
    .await;
    let token = app.app_token().await;
    assert!(exists(&app, &token, "bob").await, "bob was not deleted");
}

#[tokio::test]
async fn deleting_users_with_a_limit_removes_the_oldest_ones() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    ok_json(
        register(
            &app,
            Some(&token),
            &json!({"username": "carol", "password": "p"}),
        )
        .await,
    )
    .await;
    let answer = ok_json(app.delete("/users?limit=2", Some(&token)).await).await;
    assert_usergrid_envelope(&app, &answer, "delete", "/users");
    assert_eq!(usernames(&answer), ["alice", "bob"], "{answer}");
    let left = ok_json(app.get("/users?limit=100", Some(&token)).await).await;
    assert_eq!(usernames(&left), ["carol"], "{left}");
}

#[tokio::test]
async fn register_entries_that_are_not_objects_are_refused_and_nothing_is_created() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    let cases = [
        (json!([["carol", "pw"]]), "an array inside the batch"),
        (json!("carol"), "a bare string"),
        (
            json!([{"username": "carol", "password": "pw"}, 5]),
            "a number beside a good entry",
        ),
    ];
    for (body, case) in cases {
        let resp = register(&app, Some(&token), &body).await;
        error_kind_row(case, resp, 400, "illegal_argument").await;
    }
    assert!(!exists(&app, &token, "carol").await, "no user was created");
}

/// A password-grant token of `username`, or the answer refusing it.
async fn login(app: &TestApp, username: &str, password: &str) -> Response {
    let body = json!({"grant_type": "password", "username": username, "password": password});
    app.post("/token", None, &body).await
}

#[tokio::test]
async fn a_user_is_found_and_deleted_by_its_uuid_as_well_as_its_name() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    let alice = ok_json(app.get("/users/alice", Some(&token)).await).await;
    let uuid = alice["entities"][0]["uuid"].as_str().unwrap().to_owned();

    let by_uuid = ok_json(app.get(&format!("/users/{uuid}"), Some(&token)).await).await;
    assert_eq!(by_uuid["entities"][0]["username"], "alice", "{by_uuid}");

    let deleted = ok_json(app.delete(&format!("/users/{uuid}"), Some(&token)).await).await;
    assert_eq!(deleted["entities"][0]["uuid"], uuid.as_str(), "{deleted}");
    assert!(!exists(&app, &token, "alice").await, "alice is gone");
}

#[tokio::test]
async fn putting_a_nickname_changes_it_and_the_modified_time() {
    let app = spawn_app().await;
    app.set_clock(T0).await;
    let token = app.app_token().await;
    app.advance_clock(5_000).await;

    let resp = app
        .put("/users/Alice", Some(&token), &json!({"nickname": "Queen"}))
        .await;

    let body = ok_json(resp).await;
    assert_eq!(body["action"], "put", "{body}");
    assert_eq!(body["path"], "/users", "{body}");
    let entity = &body["entities"][0];
    assert_eq!(entity["username"], "alice", "{body}");
    assert_eq!(entity["nickname"], "Queen", "{body}");
    assert_eq!(entity["modified"], T0 + 5_000, "{body}");
    let again = ok_json(app.get("/users/alice", Some(&token)).await).await;
    assert_eq!(again["entities"][0]["nickname"], "Queen", "{again}");
}

#[tokio::test]
async fn putting_a_new_password_lets_the_user_log_in_with_it_only() {
    let app = spawn_app().await;
    app.set_clock(T0).await;
    let token = app.app_token().await;

    let resp = app
        .put(
            "/users/alice/password",
            Some(&token),
            &json!({"newpassword": "fresh"}),
        )
        .await;

    let body = ok_json(resp).await;
    assert_eq!(body["action"], "set user password", "{body}");
    assert_eq!(body["timestamp"], T0, "{body}");
    assert!(body["duration"].is_u64(), "{body}");
    ok_json(login(&app, "alice", "fresh").await).await;
    let old = login(&app, "alice", "alice-password").await;
    assert_easemob_error(old, 400, "invalid_grant", "invalid password").await;
}

#[tokio::test]
async fn a_user_may_change_its_own_password_but_not_another_users() {
    let app = spawn_app().await;
    let alice = ok_json(login(&app, "alice", "alice-password").await).await;
    let alice_token = alice["access_token"].as_str().unwrap().to_owned();
    let change = json!({"newpassword": "mine"});

    ok_json(
        app.put("/users/alice/password", Some(&alice_token), &change)
            .await,
    )
    .await;
    let other = app
        .put("/users/bob/password", Some(&alice_token), &change)
        .await;
    error_kind_row("alice changes bob", other, 401, "auth_bad_access_token").await;
    ok_json(login(&app, "bob", "bob-password").await).await;
}

#[tokio::test]
async fn bad_profile_and_password_changes_are_refused() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    let cases = [
        (
            "/users/nobody",
            json!({"nickname": "x"}),
            404,
            "service_resource_not_found",
        ),
        (
            "/users/nobody/password",
            json!({"newpassword": "x"}),
            404,
            "entity_not_found",
        ),
        ("/users/alice/password", json!({}), 400, "illegal_argument"),
        (
            "/users/alice/password",
            json!({"newpassword": ""}),
            400,
            "illegal_argument",
        ),
        (
            "/users/alice/password",
            json!({"newpassword": 5}),
            400,
            "illegal_argument",
        ),
        (
            "/users/alice",
            json!(["nickname", "x"]),
            400,
            "illegal_argument",
        ),
        (
            "/users/alice",
            json!({"nickname": 5}),
            400,
            "illegal_argument",
        ),
    ];
    for (path, body, status, error) in cases {
        let resp = app.put(path, Some(&token), &body).await;
        error_kind_row(&format!("PUT {path} {body}"), resp, status, error).await;
    }
    let unauthenticated = app
        .put("/users/alice", None, &json!({"nickname": "x"}))
        .await;
    error_kind_row("no token", unauthenticated, 401, "unauthorized").await;
    ok_json(login(&app, "alice", "alice-password").await).await;
}

#[tokio::test]
async fn percent_encoded_path_segments_are_decoded() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    let resp = app.get("/users/%61lice", Some(&token)).await;
    let body = ok_json(resp).await;
    assert_eq!(body["entities"][0]["username"], "alice", "{body}");
    let resp = app.get("/%75sers/bo%62", Some(&token)).await;
    assert_eq!(ok_json(resp).await["entities"][0]["username"], "bob");
    let resp = app
        .post_raw(
            "/%6Dessages/users",
            Some(&token),
            br#"{"to":["bob"],"type":"txt","body":{"msg":"hi"}}"#.to_vec(),
        )
        .await;
    assert!(ok_json(resp).await["data"]["bob"].is_string());
    let resp = app.get("/users/a%2Flice", Some(&token)).await;
    easemob_error_kind(resp, 404, "service_resource_not_found").await;
}

#[tokio::test]
async fn past_the_tenants_user_limit_registration_answers_resource_limited_and_creates_nobody() {
    let app = spawn_with_fixtures(&json!({"tenants": [{
        "org": ORG, "app": APP, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
        "max_users": 3,
        "users": [{"username": "alice", "password": "p"}, {"username": "bob", "password": "p"}]
    }]}))
    .await;
    let token = app.app_token().await;
    let batch = json!([{"username": "u1", "password": "p"}, {"username": "u2", "password": "p"}]);
    let resp = app.post("/users", Some(&token), &batch).await;
    easemob_error_kind(resp, 429, "resource_limited").await;
    assert_eq!(app.get("/users/u1", Some(&token)).await.status(), 404);
    let one = json!({"username": "u1", "password": "p"});
    ok_json(app.post("/users", Some(&token), &one).await).await;
    let another = json!({"username": "u2", "password": "p"});
    let resp = app.post("/users", Some(&token), &another).await;
    easemob_error_kind(resp, 429, "resource_limited").await;
    let inherit = json!({"grant_type": "inherit", "username": "u3", "autoCreateUser": true});
    let resp = app.post("/token", Some(&token), &inherit).await;
    easemob_error_kind(resp, 429, "resource_limited").await;
    assert_eq!(app.health().await["usage"]["easemob"]["users"], 3);
}
