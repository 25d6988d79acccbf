//! Easemob chat rooms over HTTP (`chatroom_manage.md`, `chatroom_member.md`): create, details,
//! modify, transfer, delete, the app's list, members, admins, mutes, the joined list, the
//! limits, and room messages from muted senders, as a server SDK reads the answers.
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

/// A server with `rooms` as the default tenant's room limits, its clock at `T0`.
async fn setup_with_room_limits(rooms: Value) -> (TestApp, String) {
    let users: Vec<Value> = ["alice", "bob", "carol", "dave"]
        .iter()
        .map(|u| json!({"username": u, "password": format!("pw-{u}")}))
        .collect();
    let app = spawn_with_fixtures(&json!({
        "tenants": [{
            "org": ORG, "app": APP, "application": DEMO_APPLICATION,
            "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
            "users": users, "limits": {"rooms": rooms}
        }]
    }))
    .await;
    app.set_clock(T0).await;
    let token = app.app_token().await;
    (app, token)
}

fn room_body(owner: &str) -> Value {
    json!({"name": "r1", "description": "d1", "owner": owner})
}

// ------------------------------------------------------------------------------------------
// create, details, list

#[tokio::test]
async fn creating_a_room_answers_its_id_and_shows_it_in_the_details() {
    let (app, token) = setup().await;
    let body = json!({
        "name": "testchatroom1", "description": "test", "maxusers": 300, "owner": "alice",
        "members": ["bob"], "custom": "c"
    });
    let answer = ok_json(app.post("/chatrooms", Some(&token), &body).await).await;
    assert_eq!(answer["action"], "post");
    assert_eq!(answer["uri"], format!("{}/demo/chat/chatrooms", app.url));
    assert_eq!(answer["entities"], json!([]));
    let id = answer["data"]["id"].as_str().unwrap().to_owned();
    assert_eq!(keys(&answer["data"]), ["id"]);
    assert!(
        id.len() >= 15 && id.bytes().all(|b| b.is_ascii_digit()),
        "{id}"
    );
    let room = app.chat_details(&token, "chatrooms", &id).await;
    assert_eq!(room["id"], id);
    assert_eq!(room["name"], "testchatroom1");
    assert_eq!(room["description"], "test");
    assert_eq!(room["maxusers"], 300);
    assert_eq!(room["owner"], "alice");
    assert_eq!(room["created"], T0);
    assert_eq!(room["custom"], "c");
    assert_eq!(room["affiliations_count"], 2);
    assert_eq!(
        room["affiliations"],
        json!([{"member": "bob"}, {"owner": "alice"}])
    );
    assert!(
        room.get("mute").is_none(),
        "rooms' details have no mute: {room}"
    );
}

#[tokio::test]
async fn a_room_takes_1000_members_by_default_and_10000_at_most() {
    let (app, token) = setup().await;
    let id = app.create_room(&token, "alice", &[]).await;
    assert_eq!(
        app.chat_details(&token, "chatrooms", &id).await["maxusers"],
        1000
    );
    let body = json!({"name": "r", "description": "d", "owner": "alice", "maxusers": 10_000});
    ok_json(app.post("/chatrooms", Some(&token), &body).await).await;
    let body = json!({"name": "r", "description": "d", "owner": "alice", "maxusers": 10_001});
    let resp = app.post("/chatrooms", Some(&token), &body).await;
    assert_easemob_error(resp, 403, "exceed_limit", "maxUsers cannot exceed 10000").await;
}

#[tokio::test]
async fn creating_a_room_is_refused_with_the_documented_error_for_each_fault() {
    let (app, token) = setup().await;
    let cases = [
        (
            "no name",
            json!({"description": "d", "owner": "alice"}),
            400,
            "invalid_parameter",
            "name must be provided",
        ),
        (
            "no description",
            json!({"name": "r", "owner": "alice"}),
            400,
            "invalid_parameter",
            "description must be provided",
        ),
        (
            "no owner",
            json!({"name": "r", "description": "d"}),
            400,
            "invalid_parameter",
            "owner must be provided",
        ),
        (
            "unknown owner",
            room_body("ghost"),
            404,
            "resource_not_found",
            "username ghost doesn't exist!",
        ),
        (
            "unknown member",
            json!({"name": "r", "description": "d", "owner": "alice", "members": ["ghost"]}),
            404,
            "resource_not_found",
            "username ghost doesn't exist!",
        ),
        (
            "members over maxusers",
            json!({"name": "r", "description": "d", "owner": "alice", "maxusers": 2, "members": ["bob", "carol"]}),
            403,
            "exceed_limit",
            "members size is greater than max user size !",
        ),
    ];
    for (case, body, status, error, text) in cases {
        let resp = app.post("/chatrooms", Some(&token), &body).await;
        assert_error_row(case, resp, status, error, text).await;
    }
    let resp = app
        .post_raw("/chatrooms", Some(&token), b"{name".to_vec())
        .await;
    easemob_error_kind(resp, 400, "json_parse").await;
    let resp = app.post_raw("/chatrooms", None, b"{}".to_vec()).await;
    assert_easemob_error(
        resp,
        401,
        "unauthorized",
        "Unable to authenticate due to expired access token",
    )
    .await;
    let list = ok_json(app.get("/chatrooms", Some(&token)).await).await;
    assert_eq!(list["count"], 0, "{list}");
}

#[tokio::test]
async fn an_unknown_room_answers_404_on_details_and_on_every_route() {
    let (app, token) = setup().await;
    let group = app.create_group(&token, "alice", &["bob"]).await;
    let resp = app.get(&format!("/chatrooms/{group}"), Some(&token)).await;
    assert_easemob_error(
        resp,
        404,
        "service_resource_not_found",
        &format!("do not find this group:{group}"),
    )
    .await;
    let routes = [
        (Method::PUT, "/chatrooms/9"),
        (Method::DELETE, "/chatrooms/9"),
        (Method::POST, "/chatrooms/9/users/bob"),
        (Method::DELETE, "/chatrooms/9/users/bob"),
        (Method::GET, "/chatrooms/9/admin"),
        (Method::GET, "/chatrooms/9/mute"),
        (Method::POST, "/chatrooms/9/ban"),
    ];
    for (method, path) in routes {
        let resp = app
            .client
            .request(method.clone(), app.app_url(ORG, APP, path))
            .bearer_auth(&token)
            .body("{\"name\": \"x\"}")
            .send()
            .await
            .unwrap();
        assert_error_row(
            &format!("{method} {path}"),
            resp,
            404,
            "resource_not_found",
            "grpID 9 does not exist!",
        )
        .await;
    }
    let resp = app.get("/chatrooms/9/users", Some(&token)).await;
    assert_easemob_error(
        resp,
        404,
        "service_resource_not_found",
        "do not find this group:9",
    )
    .await;
    let resp = app.call(Method::PATCH, "/chatrooms/9", &token).await;
    easemob_error_kind(resp, 405, "web_application").await;
}

#[tokio::test]
async fn the_room_list_pages_newest_first_with_a_cursor() {
    let (app, token) = setup().await;
    let a = app.create_room(&token, "alice", &["bob"]).await;
    let b = app.create_room(&token, "bob", &[]).await;
    let first = ok_json(app.get("/chatrooms?limit=1", Some(&token)).await).await;
    assert_eq!(
        first["data"],
        json!([{"id": b, "name": "testchatroom", "owner": "bob", "affiliations_count": 1}])
    );
    let cursor = first["cursor"].as_str().unwrap();
    let second = ok_json(
        app.get(&format!("/chatrooms?limit=1&cursor={cursor}"), Some(&token))
            .await,
    )
    .await;
    assert_eq!(second["data"][0]["id"], a);
    assert_eq!(second["data"][0]["affiliations_count"], 2);
    assert!(second.get("cursor").is_none());
}

// ------------------------------------------------------------------------------------------
// modify, transfer, delete

#[tokio::test]
async fn modifying_a_room_changes_name_description_and_maxusers_only() {
    let (app, token) = setup().await;
    let id = app.create_room(&token, "alice", &["bob"]).await;
    let path = format!("/chatrooms/{id}");
    let body = json!({"name": "testchatroom", "description": "test", "maxusers": 300});
    let answer = ok_json(app.put(&path, Some(&token), &body).await).await;
    assert_eq!(
        answer["data"],
        json!({"groupname": true, "description": true, "maxusers": true})
    );
    assert_eq!(
        app.chat_details(&token, "chatrooms", &id).await["maxusers"],
        300
    );
    let cases = [
        (
            "custom",
            json!({"custom": "x"}),
            400,
            "invalid_parameter",
            "some of [custom] are not valid fields",
        ),
        (
            "groupname",
            json!({"groupname": "x"}),
            400,
            "invalid_parameter",
            "some of [groupname] are not valid fields",
        ),
        (
            "a long name",
            json!({"name": "n".repeat(129)}),
            403,
            "exceed_limit",
            "title cannot exceed to 128",
        ),
        (
            "maxusers over 10000",
            json!({"maxusers": 10_001}),
            403,
            "exceed_limit",
            "maxUsers cannot exceed 10000",
        ),
    ];
    for (case, body, status, error, text) in cases {
        let resp = app.put(&path, Some(&token), &body).await;
        assert_error_row(case, resp, status, error, text).await;
    }
    assert_eq!(
        app.chat_details(&token, "chatrooms", &id).await["name"],
        "testchatroom"
    );
}

#[tokio::test]
async fn transferring_a_room_needs_a_member_other_than_the_owner() {
    let (app, token) = setup().await;
    let id = app.create_room(&token, "alice", &["bob"]).await;
    let path = format!("/chatrooms/{id}");
    let cases = [
        (
            "the owner",
            json!({"newowner": "alice"}),
            403,
            "forbidden_op",
            "new owner and old owner are the same".to_owned(),
        ),
        (
            "an unknown user",
            json!({"newowner": "ghost"}),
            404,
            "resource_not_found",
            "username ghost doesn't exist!".to_owned(),
        ),
        (
            "a non-member",
            json!({"newowner": "carol"}),
            403,
            "forbidden_op",
            format!("user: carol doesn't exist in group: {id}"),
        ),
    ];
    for (case, body, status, error, text) in cases {
        let resp = app.put(&path, Some(&token), &body).await;
        assert_error_row(case, resp, status, error, &text).await;
    }
    let answer = ok_json(
        app.put(&path, Some(&token), &json!({"newowner": "bob"}))
            .await,
    )
    .await;
    assert_eq!(answer["data"], json!({"newowner": true}));
    let room = app.chat_details(&token, "chatrooms", &id).await;
    assert_eq!(room["owner"], "bob");
    assert_eq!(
        room["affiliations"],
        json!([{"member": "alice"}, {"owner": "bob"}])
    );
}

#[tokio::test]
async fn deleting_a_room_answers_success_and_its_id() {
    let (app, token) = setup().await;
    let id = app.create_room(&token, "alice", &["bob"]).await;
    let answer = ok_json(app.delete(&format!("/chatrooms/{id}"), Some(&token)).await).await;
    assert_eq!(answer["action"], "delete");
    assert_eq!(
        answer["uri"],
        format!("{}/demo/chat/chatrooms/{id}", app.url)
    );
    assert_eq!(answer["data"], json!({"success": true, "id": id}));
    let resp = app.get(&format!("/chatrooms/{id}"), Some(&token)).await;
    easemob_error_kind(resp, 404, "service_resource_not_found").await;
}

// ------------------------------------------------------------------------------------------
// members and admins

#[tokio::test]
async fn room_members_are_added_one_or_many_and_listed_owner_first() {
    let (app, token) = setup().await;
    let id = app.create_room(&token, "alice", &[]).await;
    let one = ok_json(
        app.post(
            &format!("/chatrooms/{id}/users/bob"),
            Some(&token),
            &json!({}),
        )
        .await,
    )
    .await;
    assert_eq!(
        one["data"],
        json!({"result": true, "action": "add_member", "id": id, "user": "bob"})
    );
    let again = app
        .post(
            &format!("/chatrooms/{id}/users/bob"),
            Some(&token),
            &json!({}),
        )
        .await;
    let refused = easemob_error_kind(again, 400, "forbidden_op").await;
    assert_eq!(
        refused["error_description"],
        format!("can not join this group, reason:user: bob already in group: {id}\n"),
        "a user already in a room is a 400, as chatroom_member.md says"
    );
    let body = json!({"usernames": ["carol", "dave"]});
    let many = ok_json(
        app.post(&format!("/chatrooms/{id}/users"), Some(&token), &body)
            .await,
    )
    .await;
    assert_eq!(
        many["data"],
        json!({"newmembers": ["carol", "dave"], "action": "add_member", "id": id})
    );
    let list = ok_json(
        app.get(
            &format!("/chatrooms/{id}/users?pagenum=1&pagesize=3"),
            Some(&token),
        )
        .await,
    )
    .await;
    assert_eq!(
        affiliations(&list),
        ["owner:alice", "member:bob", "member:carol"]
    );
    let sixty_one: Vec<String> = (0..61).map(|i| format!("u{i}")).collect();
    let resp = app
        .post(
            &format!("/chatrooms/{id}/users"),
            Some(&token),
            &json!({"usernames": sixty_one}),
        )
        .await;
    assert_easemob_error(
        resp,
        400,
        "invalid_parameter",
        "addMembers: addMembers number more than maxSize : 60",
    )
    .await;
    let joined = ok_json(app.get("/users/bob/joined_chatrooms", Some(&token)).await).await;
    assert_eq!(
        joined["data"],
        json!([{"id": id, "name": "testchatroom", "disabled": "false"}])
    );
    assert_eq!(
        joined["uri"],
        format!("{}/demo/chat/users/bob/joined_chatrooms", app.url)
    );
}

#[tokio::test]
async fn removing_room_members_refuses_non_members_with_400_and_answers_each() {
    let (app, token) = setup().await;
    let id = app.create_room(&token, "alice", &["bob", "carol"]).await;
    let resp = app
        .delete(&format!("/chatrooms/{id}/users/dave"), Some(&token))
        .await;
    assert_easemob_error(
        resp,
        400,
        "forbidden_op",
        "users [dave] are not members of this group!",
    )
    .await;
    let resp = app
        .delete(&format!("/chatrooms/{id}/users/ghost"), Some(&token))
        .await;
    assert_easemob_error(
        resp,
        404,
        "resource_not_found",
        "username ghost doesn't exist!",
    )
    .await;
    let resp = app
        .delete(&format!("/chatrooms/{id}/users/alice"), Some(&token))
        .await;
    assert_easemob_error(
        resp,
        400,
        "forbidden_op",
        "forbidden operation on group owner!",
    )
    .await;
    let answer = ok_json(
        app.delete(&format!("/chatrooms/{id}/users/dave%2Cbob"), Some(&token))
            .await,
    )
    .await;
    assert_eq!(
        answer["data"],
        json!([
            {"result": false, "action": "remove_member", "reason": format!("user: dave doesn't exist in group: {id}"), "user": "dave", "id": id},
            {"result": true, "action": "remove_member", "user": "bob", "id": id},
        ])
    );
    let one = ok_json(
        app.delete(&format!("/chatrooms/{id}/users/carol"), Some(&token))
            .await,
    )
    .await;
    assert_eq!(
        one["data"],
        json!({"result": true, "action": "remove_member", "user": "carol", "id": id})
    );
    let list = ok_json(
        app.get(&format!("/chatrooms/{id}/users"), Some(&token))
            .await,
    )
    .await;
    assert_eq!(affiliations(&list), ["owner:alice"]);
}

#[tokio::test]
async fn room_admins_are_members_added_and_removed_by_name() {
    let (app, token) = setup().await;
    let id = app.create_room(&token, "alice", &["bob"]).await;
    let path = format!("/chatrooms/{id}/admin");
    let added = ok_json(
        app.post(&path, Some(&token), &json!({"newadmin": "bob"}))
            .await,
    )
    .await;
    assert_eq!(
        added["data"],
        json!({"result": "success", "newadmin": "bob"})
    );
    assert_eq!(
        ok_json(app.get(&path, Some(&token)).await).await["data"],
        json!(["bob"])
    );
    let resp = app
        .post(&path, Some(&token), &json!({"newadmin": "ghost"}))
        .await;
    assert_easemob_error(
        resp,
        404,
        "resource_not_found",
        "username ghost doesn't exist!",
    )
    .await;
    let resp = app
        .post(&path, Some(&token), &json!({"newadmin": "carol"}))
        .await;
    assert_easemob_error(
        resp,
        404,
        "resource_not_found",
        &format!("user: carol doesn't exist in group: {id}"),
    )
    .await;
    let removed = ok_json(app.delete(&format!("{path}/bob"), Some(&token)).await).await;
    assert_eq!(
        removed["data"],
        json!({"result": "success", "oldadmin": "bob"})
    );
    let resp = app.delete(&format!("{path}/bob"), Some(&token)).await;
    assert_easemob_error(
        resp,
        400,
        "forbidden_op",
        &format!("user:bob is not admin of group:{id}"),
    )
    .await;
    let resp = app.delete(&format!("{path}/nobody"), Some(&token)).await;
    assert_easemob_error(
        resp,
        404,
        "resource_not_found",
        "username nobody doesn't exist!",
    )
    .await;
}

// ------------------------------------------------------------------------------------------
// mutes and messages

#[tokio::test]
async fn a_room_mute_of_minus_one_lasts_for_ever_and_stops_the_member_s_messages() {
    let (app, token) = setup().await;
    let id = app.create_room(&token, "alice", &["bob", "carol"]).await;
    let path = format!("/chatrooms/{id}/mute");
    let body = json!({"usernames": ["bob"], "mute_duration": -1});
    let answer = ok_json(app.post(&path, Some(&token), &body).await).await;
    assert_eq!(
        answer["data"],
        json!([{"result": true, "expire": -1, "user": "bob"}])
    );
    app.advance_clock(365 * 86_400_000).await;
    let token = app.app_token().await;
    assert_eq!(
        ok_json(app.get(&path, Some(&token)).await).await["data"],
        json!([{"expire": -1, "user": "bob"}])
    );
    let resp = app.send_to_chats(&token, "chatrooms", "bob", &[&id]).await;
    assert_easemob_error(
        resp,
        403,
        "forbidden_op",
        &format!("user: bob is muted in group: {id}"),
    )
    .await;
    ok_json(
        app.send_to_chats(&token, "chatrooms", "carol", &[&id])
            .await,
    )
    .await;
    let resp = app
        .post(
            &path,
            Some(&token),
            &json!({"usernames": ["dave"], "mute_duration": 5}),
        )
        .await;
    assert_easemob_error(
        resp,
        400,
        "forbidden_op",
        "users [dave] are not members of this group!",
    )
    .await;
    let unmuted = ok_json(app.delete(&format!("{path}/bob"), Some(&token)).await).await;
    assert_eq!(unmuted["data"], json!([{"result": true, "user": "bob"}]));
    ok_json(app.send_to_chats(&token, "chatrooms", "bob", &[&id]).await).await;
}

#[tokio::test]
async fn muting_a_whole_room_stops_members_until_it_is_lifted() {
    let (app, token) = setup().await;
    let id = app.create_room(&token, "alice", &["bob"]).await;
    let on = ok_json(
        app.post(&format!("/chatrooms/{id}/ban"), Some(&token), &json!({}))
            .await,
    )
    .await;
    assert_eq!(on["data"], json!({"mute": true}));
    easemob_error_kind(
        app.send_to_chats(&token, "chatrooms", "bob", &[&id]).await,
        403,
        "forbidden_op",
    )
    .await;
    ok_json(
        app.send_to_chats(&token, "chatrooms", "alice", &[&id])
            .await,
    )
    .await;
    let off = ok_json(
        app.delete(&format!("/chatrooms/{id}/ban"), Some(&token))
            .await,
    )
    .await;
    assert_eq!(off["data"], json!({"mute": false}));
    ok_json(app.send_to_chats(&token, "chatrooms", "bob", &[&id]).await).await;
}

#[tokio::test]
async fn room_messages_to_unknown_rooms_are_sent_one_record_per_room() {
    let (app, token) = setup().await;
    let id = app.create_room(&token, "alice", &[]).await;
    let answer = ok_json(
        app.send_to_chats(&token, "chatrooms", "nobody", &[&id, "42"])
            .await,
    )
    .await;
    assert_eq!(keys(&answer["data"]), sorted(&[&id, "42"]));
    let journal = app.journal("provider=easemob&chat_type=room").await;
    assert_eq!(journal["total"], 2, "{journal}");
}

// ------------------------------------------------------------------------------------------
// limits

#[tokio::test]
async fn the_app_holds_at_most_max_count_rooms_and_health_counts_them() {
    let (app, token) = setup_with_room_limits(json!({"max_count": 1})).await;
    app.create_room(&token, "alice", &[]).await;
    let resp = app
        .post("/chatrooms", Some(&token), &room_body("bob"))
        .await;
    assert_easemob_error(
        resp,
        403,
        "exceed_limit",
        "appKey:demo#chat has create too many chatrooms!",
    )
    .await;
    let usage = app.health().await["usage"]["easemob"].clone();
    assert_eq!(usage["rooms"], 1);
    assert_eq!(usage["groups"], 0);
}

#[tokio::test]
async fn a_user_joins_at_most_max_joined_per_user_rooms() {
    let (app, token) = setup_with_room_limits(json!({"max_joined_per_user": 1})).await;
    app.create_room(&token, "alice", &["bob"]).await;
    let other = app.create_room(&token, "carol", &[]).await;
    let resp = app
        .post(
            &format!("/chatrooms/{other}/users/bob"),
            Some(&token),
            &json!({}),
        )
        .await;
    assert_easemob_error(
        resp,
        403,
        "forbidden_op",
        "can not join this group, reason:user bob has joined too many chatrooms!",
    )
    .await;
    let resp = app
        .post(
            "/chatrooms",
            Some(&token),
            &json!({"name": "r", "description": "d", "owner": "bob"}),
        )
        .await;
    assert_easemob_error(
        resp,
        403,
        "exceed_limit",
        "user bob has joined too many chatrooms!",
    )
    .await;
}

#[tokio::test]
async fn groups_and_rooms_share_one_id_sequence_but_not_their_stores() {
    let (app, token) = setup().await;
    let group = app.create_group(&token, "alice", &[]).await;
    let room = app.create_room(&token, "alice", &[]).await;
    assert_ne!(group, room);
    assert!(room > group, "ids grow: {group} then {room}");
    let groups = ok_json(
        app.get("/users/alice/joined_chatgroups", Some(&token))
            .await,
    )
    .await;
    let rooms = ok_json(app.get("/users/alice/joined_chatrooms", Some(&token)).await).await;
    assert_eq!(groups["data"][0]["groupid"], group);
    assert_eq!(rooms["data"][0]["id"], room);
    assert_eq!(groups["count"], 1);
    assert_eq!(rooms["count"], 1);
}
