//! Easemob groups over HTTP (`group_manage.md`, `group_member.md`): create, details, modify,
//! delete, the app's list, members, admins, owner transfer, mutes, the joined lists, the
//! limits, and group messages from muted senders, as a server SDK reads the answers.
mod common;
use common::easemob_groups::affiliations;
use common::*;

use reqwest::Method;
use serde_json::{json, Value};

/// A server whose clock stands at `T0`, an app token, and the users alice, bob, carol, dave.
async fn setup() -> (TestApp, String) {
    let app = spawn_app().await;
    app.set_clock(T0).await;
    let token = app.app_token().await;
    app.register_users(&token, &["carol", "dave"]).await;
    (app, token)
}

/// A server with `limits` in the default tenant's fixture, its clock at `T0`.
async fn setup_with_limits(limits: Value) -> (TestApp, String) {
    let app = spawn_with_fixtures(&json!({
        "tenants": [{
            "org": ORG, "app": APP, "application": DEMO_APPLICATION,
            "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
            "users": [
                {"username": "alice", "password": "pw-alice"},
                {"username": "bob", "password": "pw-bob"},
                {"username": "carol", "password": "pw-carol"},
                {"username": "dave", "password": "pw-dave"}
            ],
            "limits": limits
        }]
    }))
    .await;
    app.set_clock(T0).await;
    let token = app.app_token().await;
    (app, token)
}

/// Asserts the envelope of a group answer: `action`, `uri` the path called, the app's
/// identity and empty `entities`.
fn assert_group_envelope(app: &TestApp, body: &Value, action: &str, path: &str) {
    assert_eq!(body["action"], action, "{body}");
    assert_eq!(
        body["uri"],
        format!("{}/demo/chat{path}", app.url),
        "{body}"
    );
    assert_eq!(body["application"], DEMO_APPLICATION, "{body}");
    assert_eq!(body["organization"], "demo", "{body}");
    assert_eq!(body["applicationName"], "chat", "{body}");
    assert_eq!(body["entities"], json!([]), "{body}");
    assert_eq!(body["timestamp"], T0, "{body}");
    assert!(body["duration"].is_u64(), "{body}");
}

// ------------------------------------------------------------------------------------------
// create

#[tokio::test]
async fn creating_a_group_answers_its_numeric_id_in_the_usergrid_envelope() {
    let (app, token) = setup().await;
    let body = json!({
        "groupname": "testgroup", "description": "test", "public": true, "maxusers": 300,
        "owner": "alice", "members": ["bob"]
    });
    let answer = ok_json(app.create_group_with(&token, &body).await).await;
    assert_group_envelope(&app, &answer, "post", "/chatgroups");
    let id = answer["data"]["groupid"].as_str().unwrap();
    assert!(id.len() >= 15, "15 digits or more: {id}");
    assert!(id.bytes().all(|b| b.is_ascii_digit()), "decimal: {id}");
    assert_eq!(keys(&answer["data"]), ["groupid"]);
}

#[tokio::test]
async fn group_ids_are_distinct_and_the_same_for_the_same_seed_and_clock() {
    let mut ids = Vec::new();
    for _ in 0..2 {
        let (app, token) = setup().await;
        let first = app.create_group(&token, "alice", &[]).await;
        let second = app.create_group(&token, "alice", &[]).await;
        assert_ne!(first, second);
        ids.push((first, second));
    }
    assert_eq!(
        ids[0], ids[1],
        "seed 42 and a pinned clock give the same ids"
    );
}

#[tokio::test]
async fn a_new_group_shows_its_settings_owner_and_members_in_its_details() {
    let (app, token) = setup().await;
    let body = json!({
        "groupname": "g1", "description": "d1", "public": false, "maxusers": 50,
        "allowinvites": true, "membersonly": true, "owner": "Alice", "members": ["bob", "carol"],
        "custom": "c1", "avatar": "https://example.com/a.png"
    });
    let answer = ok_json(app.create_group_with(&token, &body).await).await;
    let id = answer["data"]["groupid"].as_str().unwrap();
    let group = app.chat_details(&token, "chatgroups", id).await;
    assert_eq!(group["id"], id);
    assert_eq!(group["name"], "g1");
    assert_eq!(group["description"], "d1");
    assert_eq!(group["public"], false);
    assert_eq!(group["maxusers"], 50);
    assert_eq!(group["allowinvites"], true);
    assert_eq!(group["membersonly"], true);
    assert_eq!(group["owner"], "alice", "usernames are lower-cased");
    assert_eq!(group["created"], T0);
    assert_eq!(group["custom"], "c1");
    assert_eq!(group["avatar"], "https://example.com/a.png");
    assert_eq!(group["mute"], false);
    assert_eq!(group["disabled"], false);
    assert_eq!(group["affiliations_count"], 3);
    assert_eq!(
        group["affiliations"],
        json!([{"member": "bob"}, {"member": "carol"}, {"owner": "alice"}])
    );
}

#[tokio::test]
async fn a_public_group_starts_with_invitations_by_members_off() {
    let (app, token) = setup().await;
    let body = json!({"public": true, "allowinvites": true, "owner": "alice"});
    let answer = ok_json(app.create_group_with(&token, &body).await).await;
    let id = answer["data"]["groupid"].as_str().unwrap();
    let group = app.chat_details(&token, "chatgroups", id).await;
    assert_eq!(group["allowinvites"], false);
    assert_eq!(group["maxusers"], 200, "the default maxusers");
    assert_eq!(group["name"], "", "groupname is optional");
}

#[tokio::test]
async fn creating_a_group_is_refused_with_the_documented_error_for_each_fault() {
    let (app, token) = setup().await;
    let long = "x".repeat(129);
    let many: Vec<String> = (0..10).map(|i| format!("m{i}")).collect();
    app.register_users(&token, &many.iter().map(String::as_str).collect::<Vec<_>>())
        .await;
    let cases: Vec<(&str, Value, u16, &str, String)> = vec![
        (
            "no public",
            json!({"owner": "alice"}),
            400,
            "invalid_parameter",
            "group must contain public field!".into(),
        ),
        (
            "no owner",
            json!({"public": true}),
            400,
            "invalid_parameter",
            "owner must be provided".into(),
        ),
        (
            "empty owner",
            json!({"public": true, "owner": ""}),
            400,
            "invalid_parameter",
            "owner must be provided".into(),
        ),
        (
            "unknown owner",
            json!({"public": true, "owner": "ghost"}),
            404,
            "resource_not_found",
            "username ghost doesn't exist!".into(),
        ),
        (
            "unknown member",
            json!({"public": true, "owner": "alice", "members": ["bob", "ghost"]}),
            404,
            "resource_not_found",
            "username ghost doesn't exist!".into(),
        ),
        (
            "members over maxusers",
            json!({"public": true, "owner": "alice", "maxusers": 5, "members": many}),
            403,
            "exceed_limit",
            "members size is greater than max user size !".into(),
        ),
        (
            "maxusers over the limit",
            json!({"public": true, "owner": "alice", "maxusers": 3001}),
            403,
            "exceed_limit",
            "maxUsers cannot exceed 3000".into(),
        ),
        (
            "maxusers zero",
            json!({"public": true, "owner": "alice", "maxusers": 0}),
            400,
            "invalid_parameter",
            "maxusers must be greater than 0".into(),
        ),
        (
            "long name",
            json!({"public": true, "owner": "alice", "groupname": long}),
            403,
            "exceed_limit",
            "title cannot exceed to 128".into(),
        ),
        (
            "long avatar",
            json!({"public": true, "owner": "alice", "avatar": "a".repeat(1025)}),
            400,
            "invalid_parameter",
            "avatar length is too big".into(),
        ),
    ];
    for (case, body, status, error, text) in cases {
        let resp = app.create_group_with(&token, &body).await;
        assert_error_row(case, resp, status, error, &text).await;
    }
    let list = ok_json(app.get("/chatgroups", Some(&token)).await).await;
    assert_eq!(
        list["count"], 0,
        "no refused request stored a group: {list}"
    );
}

#[tokio::test]
async fn creating_a_group_with_malformed_json_answers_a_json_parse_error() {
    let (app, token) = setup().await;
    let resp = app
        .post_raw(
            "/chatgroups",
            Some(&token),
            b"{\"owner\" \"alice\"}".to_vec(),
        )
        .await;
    easemob_error_kind(resp, 400, "json_parse").await;
    let resp = app
        .post_raw("/chatgroups", Some(&token), b"[1]".to_vec())
        .await;
    easemob_error_kind(resp, 400, "illegal_argument").await;
    let resp = app
        .post_raw(
            "/chatgroups",
            Some(&token),
            br#"{"public": "yes", "owner": "alice"}"#.to_vec(),
        )
        .await;
    easemob_error_kind(resp, 400, "illegal_argument").await;
}

#[tokio::test]
async fn every_group_route_needs_an_app_token() {
    let (app, token) = setup().await;
    let id = app.create_group(&token, "alice", &["bob"]).await;
    let user_token = {
        let body =
            json!({"grant_type": "password", "username": "alice", "password": "alice-password"});
        let answer = ok_json(app.post("/token", None, &body).await).await;
        answer["access_token"].as_str().unwrap().to_owned()
    };
    let routes = [
        (Method::POST, "/chatgroups".to_owned()),
        (Method::GET, "/chatgroups".to_owned()),
        (Method::GET, format!("/chatgroups/{id}")),
        (Method::PUT, format!("/chatgroups/{id}")),
        (Method::DELETE, format!("/chatgroups/{id}")),
        (Method::GET, format!("/chatgroups/{id}/users")),
        (Method::POST, format!("/chatgroups/{id}/users")),
        (Method::POST, format!("/chatgroups/{id}/users/carol")),
        (Method::DELETE, format!("/chatgroups/{id}/users/bob")),
        (Method::GET, format!("/chatgroups/{id}/admin")),
        (Method::POST, format!("/chatgroups/{id}/admin")),
        (Method::DELETE, format!("/chatgroups/{id}/admin/bob")),
        (Method::GET, format!("/chatgroups/{id}/mute")),
        (Method::POST, format!("/chatgroups/{id}/mute")),
        (Method::DELETE, format!("/chatgroups/{id}/mute/bob")),
        (Method::POST, format!("/chatgroups/{id}/ban")),
        (Method::GET, "/users/alice/joined_chatgroups".to_owned()),
        (Method::GET, "/chatgroups/user/alice".to_owned()),
    ];
    for (method, path) in routes {
        let case = format!("{method} {path}");
        let url = app.app_url(ORG, APP, &path);
        let resp = app
            .client
            .request(method.clone(), &url)
            .send()
            .await
            .unwrap();
        assert_error_row(
            &case,
            resp,
            401,
            "unauthorized",
            "Unable to authenticate due to expired access token",
        )
        .await;
        let resp = app.call(method.clone(), &path, "not-a-token").await;
        error_kind_row(&case, resp, 401, "auth_bad_access_token").await;
        let resp = app.call(method, &path, &user_token).await;
        error_kind_row(&case, resp, 401, "auth_bad_access_token").await;
    }
    let group = app.chat_details(&token, "chatgroups", &id).await;
    assert_eq!(group["affiliations_count"], 2, "nothing changed: {group}");
}

#[tokio::test]
async fn unknown_methods_on_group_paths_answer_405_and_unknown_paths_404() {
    let (app, token) = setup().await;
    let id = app.create_group(&token, "alice", &[]).await;
    for path in ["/chatgroups".to_owned(), format!("/chatgroups/{id}/admin")] {
        let resp = app.call(Method::PUT, &path, &token).await;
        error_kind_row(&path, resp, 405, "web_application").await;
    }
    let resp = app
        .get(&format!("/chatgroups/{id}/nothing"), Some(&token))
        .await;
    easemob_error_kind(resp, 404, "service_resource_not_found").await;
}

// ------------------------------------------------------------------------------------------
// details, modify, delete

#[tokio::test]
async fn details_of_several_groups_mark_the_unknown_ones_and_404_when_none_exists() {
    let (app, token) = setup().await;
    let a = app.create_group(&token, "alice", &[]).await;
    let b = app.create_group(&token, "bob", &[]).await;
    let answer = ok_json(
        app.get(&format!("/chatgroups/{a},{b},123"), Some(&token))
            .await,
    )
    .await;
    assert_eq!(answer["count"], 3);
    assert_eq!(answer["data"][0]["id"], a);
    assert_eq!(answer["data"][1]["owner"], "bob");
    assert_eq!(
        answer["data"][2],
        json!({"id": "123", "error": "group id doesn't exist"})
    );
    let resp = app.get("/chatgroups/123456789012345", Some(&token)).await;
    assert_easemob_error(
        resp,
        404,
        "resource_not_found",
        "grpID 123456789012345 does not exist!",
    )
    .await;
    let resp = app.get("/chatgroups/abc", Some(&token)).await;
    assert_easemob_error(resp, 404, "resource_not_found", "grpID abc does not exist!").await;
}

#[tokio::test]
async fn modifying_a_group_answers_true_for_each_field_and_changes_it() {
    let (app, token) = setup().await;
    let id = app.create_group(&token, "alice", &["bob"]).await;
    app.set_clock(T0 + 5).await;
    let body = json!({
        "groupname": "new name", "description": "new desc", "maxusers": 1500,
        "membersonly": true, "allowinvites": true, "invite_need_confirm": false,
        "custom": "abc", "public": false
    });
    let answer = ok_json(
        app.put(&format!("/chatgroups/{id}"), Some(&token), &body)
            .await,
    )
    .await;
    assert_eq!(answer["action"], "put");
    assert_eq!(
        keys(&answer["data"]),
        sorted(&[
            "groupname",
            "description",
            "maxusers",
            "membersonly",
            "allowinvites",
            "invite_need_confirm",
            "custom",
            "public"
        ])
    );
    assert!(
        answer["data"]
            .as_object()
            .unwrap()
            .values()
            .all(|v| v == true),
        "{answer}"
    );
    let group = app.chat_details(&token, "chatgroups", &id).await;
    assert_eq!(group["name"], "new name");
    assert_eq!(group["description"], "new desc");
    assert_eq!(group["maxusers"], 1500);
    assert_eq!(group["membersonly"], true);
    assert_eq!(group["allowinvites"], true);
    assert_eq!(group["public"], false);
    assert_eq!(group["custom"], "abc");
    let list = ok_json(app.get("/chatgroups", Some(&token)).await).await;
    assert_eq!(list["data"][0]["lastModified"], (T0 + 5).to_string());
}

#[tokio::test]
async fn modifying_a_group_is_refused_for_unknown_fields_groups_and_bad_values() {
    let (app, token) = setup().await;
    let id = app.create_group(&token, "alice", &["bob", "carol"]).await;
    let path = format!("/chatgroups/{id}");
    let cases = [
        (
            "a field that cannot change",
            path.clone(),
            json!({"groupid": "1", "groupname": "x"}),
            400,
            "invalid_parameter",
            "some of [groupid] are not valid fields".to_owned(),
        ),
        (
            "an unknown group",
            "/chatgroups/999".to_owned(),
            json!({"groupname": "x"}),
            404,
            "resource_not_found",
            "grpID 999 does not exist!".to_owned(),
        ),
        (
            "maxusers below the members",
            path.clone(),
            json!({"maxusers": 2}),
            400,
            "invalid_parameter",
            "maxusers can't be less than the number of members".to_owned(),
        ),
        (
            "maxusers over the limit",
            path.clone(),
            json!({"maxusers": 5000}),
            403,
            "exceed_limit",
            "maxUsers cannot exceed 3000".to_owned(),
        ),
        (
            "a long description",
            path.clone(),
            json!({"description": "d".repeat(513)}),
            403,
            "exceed_limit",
            "desc cannot exceed to 512".to_owned(),
        ),
        (
            "a custom over 1024",
            path.clone(),
            json!({"custom": "c".repeat(1025)}),
            403,
            "exceed_limit",
            "custom cannot exceed to 1024".to_owned(),
        ),
        (
            "a flag of the wrong type",
            path.clone(),
            json!({"public": "yes"}),
            400,
            "invalid_parameter",
            "public is invalid".to_owned(),
        ),
    ];
    for (case, path, body, status, error, text) in cases {
        let resp = app.put(&path, Some(&token), &body).await;
        assert_error_row(case, resp, status, error, &text).await;
    }
    let group = app.chat_details(&token, "chatgroups", &id).await;
    assert_eq!(group["name"], "testgroup", "nothing changed: {group}");
    assert_eq!(group["maxusers"], 200);
}

#[tokio::test]
async fn deleting_a_group_answers_its_id_and_forgets_it() {
    let (app, token) = setup().await;
    let id = app.create_group(&token, "alice", &["bob"]).await;
    let answer = ok_json(app.delete(&format!("/chatgroups/{id}"), Some(&token)).await).await;
    assert_group_envelope(&app, &answer, "delete", &format!("/chatgroups/{id}"));
    assert_eq!(answer["data"], json!({"success": true, "groupid": id}));
    let resp = app.get(&format!("/chatgroups/{id}"), Some(&token)).await;
    assert_easemob_error(
        resp,
        404,
        "resource_not_found",
        &format!("grpID {id} does not exist!"),
    )
    .await;
    let resp = app.delete(&format!("/chatgroups/{id}"), Some(&token)).await;
    easemob_error_kind(resp, 404, "resource_not_found").await;
    let joined = ok_json(app.get("/users/bob/joined_chatgroups", Some(&token)).await).await;
    assert_eq!(joined["data"], json!([]));
}

// ------------------------------------------------------------------------------------------
// list and joined

#[tokio::test]
async fn the_app_list_pages_newest_first_with_a_cursor() {
    let (app, token) = setup().await;
    let a = app.create_group(&token, "alice", &["bob"]).await;
    let b = app.create_group(&token, "bob", &[]).await;
    let c = app.create_group(&token, "carol", &[]).await;
    let first = ok_json(app.get("/chatgroups?limit=2", Some(&token)).await).await;
    assert_eq!(first["params"], json!({"limit": ["2"]}));
    assert_eq!(first["count"], 2);
    let ids: Vec<&str> = first["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["groupid"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [c.as_str(), b.as_str()]);
    assert_eq!(first["data"][0]["owner"], "demo#chat_carol");
    assert_eq!(first["data"][0]["type"], "group");
    assert_eq!(first["data"][0]["affiliations"], 1);
    let cursor = first["cursor"]
        .as_str()
        .expect("a cursor while more remain");
    let second = ok_json(
        app.get(
            &format!("/chatgroups?limit=2&cursor={cursor}"),
            Some(&token),
        )
        .await,
    )
    .await;
    assert_eq!(second["count"], 1);
    assert_eq!(second["data"][0]["groupid"], a);
    assert_eq!(second["data"][0]["affiliations"], 2);
    assert!(
        second.get("cursor").is_none(),
        "no cursor on the last page: {second}"
    );
    let resp = app
        .get("/chatgroups?cursor=bm90LWEtY3Vyc29y", Some(&token))
        .await;
    easemob_error_kind(resp, 400, "illegal_argument").await;
}

#[tokio::test]
async fn a_user_s_joined_groups_are_listed_most_recent_first_in_pages() {
    let (app, token) = setup().await;
    let a = app.create_group(&token, "alice", &["bob"]).await;
    let b = app.create_group(&token, "carol", &["bob"]).await;
    app.create_group(&token, "carol", &[]).await;
    let all = ok_json(app.get("/users/bob/joined_chatgroups", Some(&token)).await).await;
    assert_eq!(all["action"], "get");
    assert_eq!(all["count"], 2);
    assert_eq!(
        all["data"],
        json!([
            {"groupid": b, "groupname": "testgroup"}, {"groupid": a, "groupname": "testgroup"}
        ])
    );
    let page = ok_json(
        app.get(
            "/users/bob/joined_chatgroups?pagesize=1&pagenum=2",
            Some(&token),
        )
        .await,
    )
    .await;
    assert_eq!(page["params"], json!({"pagesize": ["1"], "pagenum": ["2"]}));
    assert_eq!(
        page["data"],
        json!([{"groupid": a, "groupname": "testgroup"}])
    );
    let none = ok_json(
        app.get("/users/nobody/joined_chatgroups", Some(&token))
            .await,
    )
    .await;
    assert_eq!(none["count"], 0);
    let newer = ok_json(
        app.get("/chatgroups/user/bob?pagesize=1", Some(&token))
            .await,
    )
    .await;
    assert_eq!(newer["total"], 2);
    assert_eq!(newer["entities"][0]["groupId"], b);
    assert_eq!(newer["entities"][0]["owner"], "carol");
    assert_eq!(newer["entities"].as_array().unwrap().len(), 1);
}

// ------------------------------------------------------------------------------------------
// members

#[tokio::test]
async fn adding_one_member_answers_add_member_and_lists_the_owner_first() {
    let (app, token) = setup().await;
    let id = app.create_group(&token, "alice", &["bob"]).await;
    let answer = ok_json(
        app.post(
            &format!("/chatgroups/{id}/users/Carol"),
            Some(&token),
            &json!({}),
        )
        .await,
    )
    .await;
    assert_group_envelope(
        &app,
        &answer,
        "post",
        &format!("/chatgroups/{id}/users/Carol"),
    );
    assert_eq!(
        answer["data"],
        json!({"result": true, "groupid": id, "action": "add_member", "user": "carol"})
    );
    let list = ok_json(
        app.get(&format!("/chatgroups/{id}/users"), Some(&token))
            .await,
    )
    .await;
    assert_eq!(
        affiliations(&list),
        ["owner:alice", "member:bob", "member:carol"]
    );
    assert_eq!(list["count"], 3);
    let page = ok_json(
        app.get(
            &format!("/chatgroups/{id}/users?pagenum=2&pagesize=2"),
            Some(&token),
        )
        .await,
    )
    .await;
    assert_eq!(affiliations(&page), ["member:carol"]);
    assert_eq!(page["params"], json!({"pagenum": ["2"], "pagesize": ["2"]}));
}

#[tokio::test]
async fn adding_a_member_is_refused_for_members_unknown_users_groups_and_a_full_group() {
    let (app, token) = setup().await;
    let id = app.create_group(&token, "alice", &["bob"]).await;
    let small = ok_json(
        app.create_group_with(
            &token,
            &json!({"public": true, "owner": "alice", "maxusers": 2, "members": ["bob"]}),
        )
        .await,
    )
    .await;
    let small = small["data"]["groupid"].as_str().unwrap().to_owned();
    let cases = [
        (
            "a member",
            format!("/chatgroups/{id}/users/bob"),
            403,
            "forbidden_op",
            format!("can not join this group, reason:user: bob already in group: {id}\n"),
        ),
        (
            "the owner",
            format!("/chatgroups/{id}/users/alice"),
            403,
            "forbidden_op",
            format!("can not join this group, reason:user: alice already in group: {id}\n"),
        ),
        (
            "an unknown user",
            format!("/chatgroups/{id}/users/ghost"),
            404,
            "resource_not_found",
            "username ghost doesn't exist!".to_owned(),
        ),
        (
            "an unknown group",
            "/chatgroups/42/users/carol".to_owned(),
            404,
            "resource_not_found",
            "grpID 42 does not exist!".to_owned(),
        ),
        (
            "a full group",
            format!("/chatgroups/{small}/users/carol"),
            403,
            "exceed_limit",
            "members size is greater than max user size !".to_owned(),
        ),
    ];
    for (case, path, status, error, text) in cases {
        let resp = app.post(&path, Some(&token), &json!({})).await;
        assert_error_row(case, resp, status, error, &text).await;
    }
    let resp = app.get("/chatgroups/42/users", Some(&token)).await;
    assert_easemob_error(
        resp,
        404,
        "service_resource_not_found",
        "do not find this group:42",
    )
    .await;
}

#[tokio::test]
async fn adding_members_in_a_batch_answers_the_new_ones() {
    let (app, token) = setup().await;
    let id = app.create_group(&token, "alice", &["bob"]).await;
    let body = json!({"usernames": ["bob", "carol", "dave", "carol"]});
    let answer = ok_json(
        app.post(&format!("/chatgroups/{id}/users"), Some(&token), &body)
            .await,
    )
    .await;
    assert_eq!(
        answer["data"],
        json!({"newmembers": ["carol", "dave"], "groupid": id, "action": "add_member"})
    );
    let list = ok_json(
        app.get(&format!("/chatgroups/{id}/users"), Some(&token))
            .await,
    )
    .await;
    assert_eq!(
        affiliations(&list),
        ["owner:alice", "member:bob", "member:carol", "member:dave"]
    );
}

#[tokio::test]
async fn a_batch_of_members_is_refused_whole_for_each_fault() {
    let (app, token) = setup().await;
    let id = app.create_group(&token, "alice", &["bob"]).await;
    let path = format!("/chatgroups/{id}/users");
    let sixty_one: Vec<String> = (0..61).map(|i| format!("u{i}")).collect();
    let cases = [
        (
            "no usernames",
            json!({}),
            400,
            "invalid_parameter",
            "usernames must be provided".to_owned(),
        ),
        (
            "empty usernames",
            json!({"usernames": []}),
            400,
            "invalid_parameter",
            "usernames must be provided".to_owned(),
        ),
        (
            "61 users",
            json!({"usernames": sixty_one}),
            403,
            "exceed_limit",
            "members size is greater than max user size !".to_owned(),
        ),
        (
            "an unknown user",
            json!({"usernames": ["carol", "ghost"]}),
            404,
            "resource_not_found",
            "username ghost doesn't exist!".to_owned(),
        ),
        (
            "only members",
            json!({"usernames": ["bob", "alice"]}),
            403,
            "forbidden_op",
            format!("can not join this group, reason:user: bob already in group: {id}\n"),
        ),
    ];
    for (case, body, status, error, text) in cases {
        let resp = app.post(&path, Some(&token), &body).await;
        assert_error_row(case, resp, status, error, &text).await;
    }
    let list = ok_json(app.get(&path, Some(&token)).await).await;
    assert_eq!(
        affiliations(&list),
        ["owner:alice", "member:bob"],
        "carol was not added"
    );
}

#[tokio::test]
async fn removing_members_answers_each_and_refuses_the_owner_and_non_members() {
    let (app, token) = setup().await;
    let id = app
        .create_group(&token, "alice", &["bob", "carol", "dave"])
        .await;
    let one = ok_json(
        app.delete(&format!("/chatgroups/{id}/users/bob"), Some(&token))
            .await,
    )
    .await;
    assert_eq!(
        one["data"],
        json!({"result": true, "action": "remove_member", "user": "bob", "groupid": id})
    );
    let resp = app
        .delete(&format!("/chatgroups/{id}/users/bob"), Some(&token))
        .await;
    assert_easemob_error(
        resp,
        403,
        "forbidden_op",
        "users [bob] are not members of this group!",
    )
    .await;
    let resp = app
        .delete(&format!("/chatgroups/{id}/users/alice"), Some(&token))
        .await;
    assert_easemob_error(
        resp,
        403,
        "forbidden_op",
        "forbidden operation on group owner!",
    )
    .await;
    let many = ok_json(
        app.delete(
            &format!("/chatgroups/{id}/users/bob,carol,dave"),
            Some(&token),
        )
        .await,
    )
    .await;
    assert_eq!(
        many["data"],
        json!([
            {"result": false, "action": "remove_member", "reason": format!("user: bob doesn't exist in group: {id}"), "user": "bob", "groupid": id},
            {"result": true, "action": "remove_member", "user": "carol", "groupid": id},
            {"result": true, "action": "remove_member", "user": "dave", "groupid": id},
        ])
    );
    let resp = app
        .delete(&format!("/chatgroups/{id}/users/bob,carol"), Some(&token))
        .await;
    assert_easemob_error(
        resp,
        403,
        "forbidden_op",
        "users [bob, carol] are not members of this group!",
    )
    .await;
    let sixty_one: Vec<String> = (0..61).map(|i| format!("u{i}")).collect();
    let resp = app
        .delete(
            &format!("/chatgroups/{id}/users/{}", sixty_one.join(",")),
            Some(&token),
        )
        .await;
    assert_easemob_error(
        resp,
        400,
        "invalid_parameter",
        "kickMember: kickMembers number more than maxSize : 60",
    )
    .await;
    let list = ok_json(
        app.get(&format!("/chatgroups/{id}/users"), Some(&token))
            .await,
    )
    .await;
    assert_eq!(affiliations(&list), ["owner:alice"]);
    let joined = ok_json(
        app.get("/users/carol/joined_chatgroups", Some(&token))
            .await,
    )
    .await;
    assert_eq!(joined["count"], 0);
}

// ------------------------------------------------------------------------------------------
// owner and admins

#[tokio::test]
async fn transferring_a_group_makes_the_member_owner_and_the_owner_a_member() {
    let (app, token) = setup().await;
    let id = app.create_group(&token, "alice", &["bob"]).await;
    let path = format!("/chatgroups/{id}");
    let answer = ok_json(
        app.put(&path, Some(&token), &json!({"newowner": "bob"}))
            .await,
    )
    .await;
    assert_group_envelope(&app, &answer, "put", &path);
    assert_eq!(answer["data"], json!({"newowner": true}));
    let group = app.chat_details(&token, "chatgroups", &id).await;
    assert_eq!(group["owner"], "bob");
    assert_eq!(
        group["affiliations"],
        json!([{"member": "alice"}, {"owner": "bob"}])
    );
    let cases = [
        (
            "the owner",
            json!({"newowner": "bob"}),
            403,
            "forbidden_op",
            "new owner and old owner are the same".to_owned(),
        ),
        (
            "a non-member",
            json!({"newowner": "carol"}),
            403,
            "forbidden_op",
            format!("user: carol doesn't exist in group: {id}"),
        ),
        (
            "an unknown user",
            json!({"newowner": "ghost"}),
            403,
            "forbidden_op",
            format!("user: ghost doesn't exist in group: {id}"),
        ),
        (
            "an empty name",
            json!({"newowner": ""}),
            400,
            "invalid_parameter",
            "newowner must be provided".to_owned(),
        ),
    ];
    for (case, body, status, error, text) in cases {
        let resp = app.put(&path, Some(&token), &body).await;
        assert_error_row(case, resp, status, error, &text).await;
    }
    let resp = app
        .put("/chatgroups/77", Some(&token), &json!({"newowner": "bob"}))
        .await;
    easemob_error_kind(resp, 404, "resource_not_found").await;
}

#[tokio::test]
async fn admins_are_added_listed_and_removed_among_the_members() {
    let (app, token) = setup().await;
    let id = app.create_group(&token, "alice", &["bob", "carol"]).await;
    let path = format!("/chatgroups/{id}/admin");
    let added = ok_json(
        app.post(&path, Some(&token), &json!({"newadmin": "bob"}))
            .await,
    )
    .await;
    assert_group_envelope(&app, &added, "post", &path);
    assert_eq!(
        added["data"],
        json!({"result": "success", "newadmin": "bob"})
    );
    let list = ok_json(app.get(&path, Some(&token)).await).await;
    assert_eq!(list["data"], json!(["bob"]));
    assert_eq!(list["count"], 1);
    let cases = [
        (
            "a non-member",
            json!({"newadmin": "dave"}),
            404,
            "resource_not_found",
            format!("user: dave doesn't exist in group: {id}"),
        ),
        (
            "an unknown user",
            json!({"newadmin": "ghost"}),
            404,
            "resource_not_found",
            format!("user: ghost doesn't exist in group: {id}"),
        ),
        (
            "the owner",
            json!({"newadmin": "alice"}),
            403,
            "forbidden_op",
            "forbidden operation on group owner!".to_owned(),
        ),
        (
            "an admin",
            json!({"newadmin": "bob"}),
            403,
            "forbidden_op",
            format!("user: bob is already admin of group: {id}"),
        ),
        (
            "no newadmin",
            json!({}),
            400,
            "invalid_parameter",
            "newadmin must be provided".to_owned(),
        ),
    ];
    for (case, body, status, error, text) in cases {
        let resp = app.post(&path, Some(&token), &body).await;
        assert_error_row(case, resp, status, error, &text).await;
    }
    let removed = ok_json(app.delete(&format!("{path}/bob"), Some(&token)).await).await;
    assert_eq!(
        removed["data"],
        json!({"result": "success", "oldadmin": "bob"})
    );
    let resp = app.delete(&format!("{path}/bob"), Some(&token)).await;
    assert_easemob_error(
        resp,
        403,
        "forbidden_op",
        &format!("user:bob is not admin of group:{id}"),
    )
    .await;
    let list = ok_json(app.get(&path, Some(&token)).await).await;
    assert_eq!(list["data"], json!([]));
}

#[tokio::test]
async fn an_admin_removed_from_the_group_is_no_longer_an_admin() {
    let (app, token) = setup().await;
    let id = app.create_group(&token, "alice", &["bob"]).await;
    ok_json(
        app.post(
            &format!("/chatgroups/{id}/admin"),
            Some(&token),
            &json!({"newadmin": "bob"}),
        )
        .await,
    )
    .await;
    ok_json(
        app.delete(&format!("/chatgroups/{id}/users/bob"), Some(&token))
            .await,
    )
    .await;
    let list = ok_json(
        app.get(&format!("/chatgroups/{id}/admin"), Some(&token))
            .await,
    )
    .await;
    assert_eq!(list["data"], json!([]));
}

// ------------------------------------------------------------------------------------------
// mutes

#[tokio::test]
async fn muting_members_lists_them_until_their_mute_ends() {
    let (app, token) = setup().await;
    let id = app.create_group(&token, "alice", &["bob", "carol"]).await;
    let path = format!("/chatgroups/{id}/mute");
    let body = json!({"usernames": ["bob"], "mute_duration": 60_000});
    let answer = ok_json(app.post(&path, Some(&token), &body).await).await;
    assert_group_envelope(&app, &answer, "post", &path);
    assert_eq!(
        answer["data"],
        json!([{"result": true, "expire": T0 + 60_000, "user": "bob"}])
    );
    let list = ok_json(app.get(&path, Some(&token)).await).await;
    assert_eq!(
        list["data"],
        json!([{"expire": T0 + 60_000, "user": "bob"}])
    );
    app.advance_clock(60_000).await;
    let list = ok_json(app.get(&path, Some(&token)).await).await;
    assert_eq!(list["data"], json!([]), "the mute ended: {list}");
}

#[tokio::test]
async fn unmuting_answers_each_user_and_empties_the_list() {
    let (app, token) = setup().await;
    let id = app.create_group(&token, "alice", &["bob", "carol"]).await;
    let path = format!("/chatgroups/{id}/mute");
    let body = json!({"usernames": ["bob", "carol"], "mute_duration": 86_400_000});
    ok_json(app.post(&path, Some(&token), &body).await).await;
    let answer = ok_json(app.delete(&format!("{path}/bob,carol"), Some(&token)).await).await;
    assert_eq!(
        answer["data"],
        json!([{"result": true, "user": "bob"}, {"result": true, "user": "carol"}])
    );
    let list = ok_json(app.get(&path, Some(&token)).await).await;
    assert_eq!(list["data"], json!([]));
}

#[tokio::test]
async fn muting_is_refused_for_the_owner_non_members_and_oversized_lists() {
    let (app, token) = setup().await;
    let id = app.create_group(&token, "alice", &["bob"]).await;
    let path = format!("/chatgroups/{id}/mute");
    let sixty_one: Vec<String> = (0..61).map(|i| format!("u{i}")).collect();
    let cases = [
        (
            "the owner",
            json!({"usernames": ["alice"], "mute_duration": 1000}),
            403,
            "forbidden_op",
            "forbidden operation on group owner!",
        ),
        (
            "a non-member",
            json!({"usernames": ["bob", "carol"], "mute_duration": 1000}),
            403,
            "forbidden_op",
            "users [carol] are not members of this group!",
        ),
        (
            "61 users",
            json!({"usernames": sixty_one, "mute_duration": 1000}),
            400,
            "invalid_parameter",
            "userNames size is more than max limit : 60",
        ),
        (
            "no usernames",
            json!({"mute_duration": 1000}),
            400,
            "invalid_parameter",
            "usernames must be provided",
        ),
        (
            "no duration",
            json!({"usernames": ["bob"]}),
            400,
            "invalid_parameter",
            "mute_duration must be provided",
        ),
        (
            "a zero duration",
            json!({"usernames": ["bob"], "mute_duration": 0}),
            400,
            "invalid_parameter",
            "mute_duration is invalid",
        ),
    ];
    for (case, body, status, error, text) in cases {
        let resp = app.post(&path, Some(&token), &body).await;
        assert_error_row(case, resp, status, error, text).await;
    }
    let resp = app
        .delete(&format!("{path}/{}", sixty_one.join(",")), Some(&token))
        .await;
    assert_easemob_error(
        resp,
        400,
        "invalid_parameter",
        "removeMute member size more than max limit : 60",
    )
    .await;
    let list = ok_json(app.get(&path, Some(&token)).await).await;
    assert_eq!(list["data"], json!([]), "nobody was muted");
    let resp = app.get("/chatgroups/5/mute", Some(&token)).await;
    assert_easemob_error(resp, 404, "resource_not_found", "grpID 5 does not exist!").await;
}

#[tokio::test]
async fn muting_all_shows_in_the_details_and_is_lifted_by_delete() {
    let (app, token) = setup().await;
    let id = app.create_group(&token, "alice", &["bob"]).await;
    let path = format!("/chatgroups/{id}/ban");
    let on = ok_json(app.post(&path, Some(&token), &json!({})).await).await;
    assert_group_envelope(&app, &on, "post", &path);
    assert_eq!(on["data"], json!({"mute": true}));
    assert_eq!(
        app.chat_details(&token, "chatgroups", &id).await["mute"],
        true
    );
    let off = ok_json(app.delete(&path, Some(&token)).await).await;
    assert_eq!(off["data"], json!({"mute": false}));
    assert_eq!(
        app.chat_details(&token, "chatgroups", &id).await["mute"],
        false
    );
}

// ------------------------------------------------------------------------------------------
// messages

#[tokio::test]
async fn group_messages_to_unknown_groups_and_from_non_members_are_sent_as_the_docs_say() {
    let (app, token) = setup().await;
    let id = app.create_group(&token, "alice", &["bob"]).await;
    let answer = ok_json(
        app.send_to_chats(&token, "chatgroups", "dave", &[&id, "184524748161025"])
            .await,
    )
    .await;
    assert_eq!(keys(&answer["data"]), sorted(&[&id, "184524748161025"]));
    let journal = app.journal("provider=easemob&chat_type=group").await;
    assert_eq!(journal["total"], 2, "one record per group: {journal}");
}

#[tokio::test]
async fn a_muted_member_cannot_send_to_the_group_until_the_mute_ends() {
    let (app, token) = setup().await;
    let id = app.create_group(&token, "alice", &["bob", "carol"]).await;
    let body = json!({"usernames": ["bob"], "mute_duration": 10_000});
    ok_json(
        app.post(&format!("/chatgroups/{id}/mute"), Some(&token), &body)
            .await,
    )
    .await;
    let resp = app.send_to_chats(&token, "chatgroups", "bob", &[&id]).await;
    assert_easemob_error(
        resp,
        403,
        "forbidden_op",
        &format!("user: bob is muted in group: {id}"),
    )
    .await;
    let legacy = json!({"target_type": "chatgroups", "target": [id], "msg": {"type": "txt", "msg": "x"}, "from": "bob"});
    easemob_error_kind(
        app.post("/messages", Some(&token), &legacy).await,
        403,
        "forbidden_op",
    )
    .await;
    ok_json(
        app.send_to_chats(&token, "chatgroups", "carol", &[&id])
            .await,
    )
    .await;
    app.advance_clock(10_000).await;
    ok_json(app.send_to_chats(&token, "chatgroups", "bob", &[&id]).await).await;
    let journal = app.journal("provider=easemob&chat_type=group").await;
    assert_eq!(
        journal["total"], 2,
        "refused sends are not recorded: {journal}"
    );
}

#[tokio::test]
async fn muting_all_silences_members_but_not_the_owner_admins_or_the_app_admin() {
    let (app, token) = setup().await;
    let id = app.create_group(&token, "alice", &["bob", "carol"]).await;
    ok_json(
        app.post(
            &format!("/chatgroups/{id}/admin"),
            Some(&token),
            &json!({"newadmin": "carol"}),
        )
        .await,
    )
    .await;
    ok_json(
        app.post(&format!("/chatgroups/{id}/ban"), Some(&token), &json!({}))
            .await,
    )
    .await;
    let resp = app.send_to_chats(&token, "chatgroups", "bob", &[&id]).await;
    easemob_error_kind(resp, 403, "forbidden_op").await;
    for from in ["alice", "carol", "admin"] {
        ok_json(app.send_to_chats(&token, "chatgroups", from, &[&id]).await).await;
    }
    ok_json(
        app.delete(&format!("/chatgroups/{id}/ban"), Some(&token))
            .await,
    )
    .await;
    ok_json(app.send_to_chats(&token, "chatgroups", "bob", &[&id]).await).await;
}

#[tokio::test]
async fn a_muted_member_cannot_send_chosen_member_messages_either() {
    let (app, token) = setup().await;
    let id = app.create_group(&token, "alice", &["bob", "carol"]).await;
    let body = json!({"usernames": ["bob"], "mute_duration": -1});
    ok_json(
        app.post(&format!("/chatgroups/{id}/mute"), Some(&token), &body)
            .await,
    )
    .await;
    let send =
        json!({"from": "bob", "to": [id], "users": ["carol"], "type": "txt", "body": {"msg": "x"}});
    let resp = app
        .post("/messages/chatgroups/users", Some(&token), &send)
        .await;
    easemob_error_kind(resp, 403, "forbidden_op").await;
}

// ------------------------------------------------------------------------------------------
// limits, users, tenants

#[tokio::test]
async fn the_app_holds_at_most_max_count_groups() {
    let (app, token) = setup_with_limits(json!({"groups": {"max_count": 2}})).await;
    let a = app.create_group(&token, "alice", &[]).await;
    app.create_group(&token, "alice", &[]).await;
    let body = json!({"public": true, "owner": "alice"});
    let resp = app.create_group_with(&token, &body).await;
    assert_easemob_error(
        resp,
        403,
        "exceed_limit",
        "appKey:demo#chat has create too many groups!",
    )
    .await;
    assert_eq!(app.health().await["usage"]["easemob"]["groups"], 2);
    ok_json(app.delete(&format!("/chatgroups/{a}"), Some(&token)).await).await;
    ok_json(app.create_group_with(&token, &body).await).await;
}

#[tokio::test]
async fn a_user_joins_at_most_max_joined_per_user_groups() {
    let (app, token) = setup_with_limits(json!({"groups": {"max_joined_per_user": 1}})).await;
    let id = app.create_group(&token, "alice", &["bob"]).await;
    let other = app.create_group(&token, "carol", &[]).await;
    let resp = app
        .post(
            &format!("/chatgroups/{other}/users/bob"),
            Some(&token),
            &json!({}),
        )
        .await;
    assert_easemob_error(
        resp,
        403,
        "exceed_limit",
        "user bob has joined too many groups!",
    )
    .await;
    let body = json!({"public": true, "owner": "dave", "members": ["bob"]});
    let resp = app.create_group_with(&token, &body).await;
    assert_easemob_error(
        resp,
        403,
        "exceed_limit",
        "user bob has joined too many groups!",
    )
    .await;
    ok_json(
        app.delete(&format!("/chatgroups/{id}/users/bob"), Some(&token))
            .await,
    )
    .await;
    ok_json(
        app.post(
            &format!("/chatgroups/{other}/users/bob"),
            Some(&token),
            &json!({}),
        )
        .await,
    )
    .await;
}

#[tokio::test]
async fn a_group_holds_at_most_max_admins_admins_and_batches_of_max_batch() {
    let (app, token) =
        setup_with_limits(json!({"groups": {"max_admins": 1, "max_batch": 2}})).await;
    let id = app.create_group(&token, "alice", &["bob", "carol"]).await;
    let path = format!("/chatgroups/{id}/admin");
    ok_json(
        app.post(&path, Some(&token), &json!({"newadmin": "bob"}))
            .await,
    )
    .await;
    let resp = app
        .post(&path, Some(&token), &json!({"newadmin": "carol"}))
        .await;
    assert_easemob_error(
        resp,
        403,
        "exceed_limit",
        "admin size is greater than max admin size : 1",
    )
    .await;
    let body = json!({"usernames": ["bob", "carol", "dave"], "mute_duration": 1000});
    let resp = app
        .post(&format!("/chatgroups/{id}/mute"), Some(&token), &body)
        .await;
    assert_easemob_error(
        resp,
        400,
        "invalid_parameter",
        "userNames size is more than max limit : 2",
    )
    .await;
}

#[tokio::test]
async fn health_counts_the_groups_of_every_tenant() {
    let (app, token) = setup().await;
    app.create_group(&token, "alice", &[]).await;
    let other = app.token_for("acme", "crm", "any", "any").await;
    let body = json!({"username": "zed", "password": "pw"});
    ok_json(
        app.post_to("acme", "crm", "/users", Some(&other), &body)
            .await,
    )
    .await;
    let group = json!({"public": true, "owner": "zed"});
    ok_json(
        app.post_to("acme", "crm", "/chatgroups", Some(&other), &group)
            .await,
    )
    .await;
    assert_eq!(app.health().await["usage"]["easemob"]["groups"], 2);
    let list = ok_json(app.get("/chatgroups", Some(&token)).await).await;
    assert_eq!(list["count"], 1, "tenants do not see each other's groups");
    app.reset("provider=easemob").await;
    assert_eq!(app.health().await["usage"]["easemob"]["groups"], 0);
}

#[tokio::test]
async fn deleting_the_owner_dissolves_the_group_as_the_docs_say() {
    let (app, token) = setup().await;
    let id = app.create_group(&token, "carol", &["bob"]).await;
    let kept = app.create_group(&token, "alice", &["carol"]).await;
    ok_json(app.delete("/users/carol", Some(&token)).await).await;
    app.register_users(&token, &["carol"]).await;
    let resp = app.get(&format!("/chatgroups/{id}"), Some(&token)).await;
    easemob_error_kind(resp, 404, "resource_not_found").await;
    let joined = ok_json(app.get("/users/bob/joined_chatgroups", Some(&token)).await).await;
    assert_eq!(joined["count"], 0, "{joined}");
    let group = app.chat_details(&token, "chatgroups", &kept).await;
    assert_eq!(
        group["affiliations_count"], 2,
        "a deleted member stays listed: {group}"
    );
}

#[tokio::test]
async fn group_routes_answer_429_past_calls_per_second_until_the_next_second() {
    let (app, token) = setup_with_limits(json!({"groups": {"calls_per_second": 2}})).await;
    ok_json(app.get("/chatgroups", Some(&token)).await).await;
    ok_json(app.get("/chatgroups", Some(&token)).await).await;
    let resp = app
        .get("/users/alice/joined_chatgroups", Some(&token))
        .await;
    assert_easemob_error(
        resp,
        429,
        "reach_limit",
        "This request has reached api limit",
    )
    .await;
    ok_json(app.get("/chatrooms", Some(&token)).await).await;
    app.advance_clock(1000).await;
    ok_json(app.get("/chatgroups", Some(&token)).await).await;
}

#[tokio::test]
async fn joined_groups_page_by_ten_by_default_and_at_most_a_hundred() {
    let (app, token) = setup_with_limits(json!({"groups": {"calls_per_second": 0}})).await;
    for _ in 0..101 {
        app.create_group(&token, "alice", &[]).await;
    }
    let all = ok_json(
        app.get("/users/alice/joined_chatgroups", Some(&token))
            .await,
    )
    .await;
    assert_eq!(all["count"], 101, "without paging, up to 500");
    let first = ok_json(
        app.get("/users/alice/joined_chatgroups?pagenum=1", Some(&token))
            .await,
    )
    .await;
    assert_eq!(first["count"], 10, "pages of 10 by default");
    let last = ok_json(
        app.get("/users/alice/joined_chatgroups?pagenum=11", Some(&token))
            .await,
    )
    .await;
    assert_eq!(last["count"], 1);
    let big = ok_json(
        app.get("/users/alice/joined_chatgroups?pagesize=1000", Some(&token))
            .await,
    )
    .await;
    assert_eq!(big["count"], 100, "pagesize is capped at 100");
}

#[tokio::test]
async fn a_batch_removal_gives_the_reason_for_an_unknown_user_and_for_a_non_member() {
    let (app, token) = setup().await;
    let id = app.create_group(&token, "alice", &["bob"]).await;
    let path = format!("/chatgroups/{id}/users/ghost,carol,bob");
    let answer = ok_json(app.delete(&path, Some(&token)).await).await;
    let reasons: Vec<&Value> = answer["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["reason"])
        .collect();
    assert_eq!(
        reasons,
        [
            &json!("user ghost doesn't exist."),
            &json!(format!("user: carol doesn't exist in group: {id}")),
            &Value::Null
        ]
    );
}

#[tokio::test]
async fn a_disabled_group_shows_disabled_and_takes_no_messages_until_enabled() {
    let (app, token) = setup().await;
    let id = app.create_group(&token, "alice", &["bob"]).await;
    let path = format!("/chatgroups/{id}/disable");
    let answer = ok_json(app.post(&path, Some(&token), &json!({})).await).await;
    assert_group_envelope(&app, &answer, "post", &path);
    assert_eq!(answer["data"], json!({"disabled": true}));
    assert_eq!(
        app.chat_details(&token, "chatgroups", &id).await["disabled"],
        true
    );
    for from in ["alice", "admin"] {
        let resp = app.send_to_chats(&token, "chatgroups", from, &[&id]).await;
        assert_easemob_error(
            resp,
            403,
            "forbidden_op",
            &format!("group: {id} is disabled"),
        )
        .await;
    }
    let answer = ok_json(
        app.post(
            &format!("/chatgroups/{id}/enable"),
            Some(&token),
            &json!({}),
        )
        .await,
    )
    .await;
    assert_eq!(answer["data"], json!({"disabled": false}));
    ok_json(
        app.send_to_chats(&token, "chatgroups", "alice", &[&id])
            .await,
    )
    .await;
    let resp = app
        .post("/chatgroups/31/disable", Some(&token), &json!({}))
        .await;
    assert_easemob_error(resp, 404, "resource_not_found", "grpID 31 does not exist!").await;
    let resp = app.get(&path, Some(&token)).await;
    easemob_error_kind(resp, 405, "web_application").await;
    let room = app.create_room(&token, "alice", &[]).await;
    let resp = app
        .post(
            &format!("/chatrooms/{room}/disable"),
            Some(&token),
            &json!({}),
        )
        .await;
    easemob_error_kind(resp, 404, "service_resource_not_found").await;
}

#[tokio::test]
async fn is_joined_says_whether_a_user_is_in_the_group() {
    let (app, token) = setup().await;
    let id = app.create_group(&token, "alice", &["bob"]).await;
    for (user, joined) in [
        ("alice", true),
        ("Bob", true),
        ("carol", false),
        ("ghost", false),
    ] {
        let path = format!("/chatgroups/{id}/user/{user}/is_joined");
        let answer = ok_json(app.get(&path, Some(&token)).await).await;
        assert_eq!(answer["data"], joined, "{user}: {answer}");
        assert_eq!(answer["action"], "get");
        assert_eq!(answer["application"], DEMO_APPLICATION);
        assert_eq!(answer["organization"], "demo");
    }
    let resp = app
        .get("/chatgroups/8/user/bob/is_joined", Some(&token))
        .await;
    assert_easemob_error(resp, 404, "resource_not_found", "grpID 8 does not exist!").await;
    let resp = app
        .get(&format!("/chatgroups/{id}/user/bob/is_joined"), None)
        .await;
    easemob_error_kind(resp, 401, "unauthorized").await;
}
