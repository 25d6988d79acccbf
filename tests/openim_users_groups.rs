//! Black-box tests of OpenIM's users and groups (contract §7): user_register's checks in
//! the real order, get_users_info, account_check, create_group, invite_user_to_group and
//! get_groups_info, with the `Check()` texts of the requests and the RPCs' errors.
mod common;
use common::openim::*;
use common::*;

use serde_json::{json, Value};

/// A server with its clock pinned at `T0`, its default tenant, and an admin token.
async fn pinned() -> (TestApp, String) {
    let app = spawn_app().await;
    app.set_clock(T0).await;
    let token = Im::new(&app).admin_token().await;
    (app, token)
}

/// `get_users_info` for `ids`; the answer's `usersInfo`.
async fn users_info(im: &Im<'_>, token: &str, ids: &[&str]) -> Value {
    let resp = im
        .post(
            "/user/get_users_info",
            Some(token),
            &json!({ "userIDs": ids }),
        )
        .await;
    ok_data(resp).await["usersInfo"].clone()
}

/// The userIDs of a `usersInfo` list, sorted.
fn user_ids(users: &Value) -> Vec<String> {
    let mut ids: Vec<String> = users
        .as_array()
        .unwrap_or_else(|| panic!("a list: {users}"))
        .iter()
        .map(|u| u["userID"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

/// A `user_register` body of one user.
fn one_user(id: &str, nickname: &str) -> Value {
    json!({"users": [{"userID": id, "nickname": nickname}]})
}

/// `get_groups_info` for `ids`; the answer's data.
async fn groups_info(im: &Im<'_>, token: &str, ids: &[&str]) -> Value {
    let resp = im
        .post(
            "/group/get_groups_info",
            Some(token),
            &json!({ "groupIDs": ids }),
        )
        .await;
    ok_data(resp).await
}

// ------------------------------------------------------------------------------------------
// Users

#[tokio::test]
async fn a_registered_user_is_read_back_with_the_clock_as_create_time() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let body = json!({"users": [{"userID": "carol", "nickname": "Carol", "faceURL": "http://f/c.png",
        "ex": "{\"k\":1}", "appMangerLevel": 1, "globalRecvMsgOpt": 2, "createTime": 5}]});
    ok_empty(im.post("/user/user_register", Some(&admin), &body).await).await;
    let users = users_info(&im, &admin, &["carol"]).await;
    let expected = json!([{"userID": "carol", "nickname": "Carol", "faceURL": "http://f/c.png",
        "ex": "{\"k\":1}", "createTime": T0, "appMangerLevel": 1, "globalRecvMsgOpt": 2}]);
    assert_eq!(users, expected);
}

#[tokio::test]
async fn the_fixture_admins_and_users_exist_from_the_start() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let users = users_info(&im, &admin, &[ADMIN, SECOND_ADMIN, "alice", "bob"]).await;
    assert_eq!(
        user_ids(&users),
        sorted(&[ADMIN, SECOND_ADMIN, "alice", "bob"])
    );
    for user in users.as_array().unwrap() {
        let id = user["userID"].as_str().unwrap();
        let (nickname, level) = match id {
            "alice" => ("Alice", 0),
            "bob" => ("Bob", 0),
            admin_id => (admin_id, 3),
        };
        assert_eq!(user["nickname"], nickname, "{user}");
        assert_eq!(
            user["appMangerLevel"], level,
            "release admins are level 3: {user}"
        );
        assert!(user["createTime"].is_i64(), "{user}");
    }
}

#[tokio::test]
async fn on_main_the_admin_user_is_super_admin_at_level_2() {
    let app = spawn_openim(&fixtures_with_main_tenant()).await;
    let next = Im::tenant(&app, "next");
    let admin = next.admin_token().await;
    let users = users_info(&next, &admin, &[ADMIN]).await;
    assert_eq!(users[0]["nickname"], "superAdmin", "{users}");
    assert_eq!(users[0]["appMangerLevel"], 2, "{users}");
}

#[tokio::test]
async fn user_register_refusals_come_in_check_then_rpc_order() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let alice = im.user_token(&admin, "alice", 1).await;
    let args = |dlt: &'static str| (1001, "ArgsError", dlt);
    // (case, token, body, (code, errMsg, errDlt))
    let cases = [
        ("no users", &admin, json!({}), args("users are empty")),
        (
            "users null",
            &admin,
            json!({"users": null}),
            args("users are empty"),
        ),
        (
            "a null user",
            &admin,
            json!({"users": [null]}),
            args("user is empty"),
        ),
        (
            "a dash in the userID",
            &admin,
            one_user("a-b", "X"),
            args("userID is legal"),
        ),
        (
            "a space in the userID",
            &admin,
            one_user("a b", ""),
            args("userID is legal"),
        ),
        (
            "an empty nickname",
            &admin,
            one_user("carol", ""),
            args("user name is empty"),
        ),
        (
            "an empty list",
            &admin,
            json!({"users": []}),
            args("users is empty"),
        ),
        (
            "a user's token, empty list",
            &alice,
            json!({"users": []}),
            args("users is empty"),
        ),
        (
            "a user's token, no nickname",
            &alice,
            one_user("carol", ""),
            args("user name is empty"),
        ),
        (
            "a user's token",
            &alice,
            one_user("carol", "C"),
            (1002, "NoPermissionError", "user alice is not admin userID"),
        ),
        (
            "a repeated userID",
            &admin,
            json!({"users": [{"userID": "", "nickname": "x"}, {"userID": "", "nickname": "y"}]}),
            args("userID repeated"),
        ),
        (
            "an empty userID",
            &admin,
            one_user("", "X"),
            args("userID is empty"),
        ),
        (
            "a registered userID",
            &admin,
            one_user("alice", "A"),
            (1102, "RegisteredAlreadyError", "userID registered already"),
        ),
    ];
    for (case, token, body, (code, msg, dlt)) in cases {
        let resp = im.post("/user/user_register", Some(token), &body).await;
        assert_refused(case, resp, 200, code, msg, dlt).await;
    }
}

#[tokio::test]
async fn a_batch_with_one_registered_user_stores_none() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let body = json!({"users": [{"userID": "carol", "nickname": "C"}, {"userID": "bob", "nickname": "B"}]});
    let resp = im.post("/user/user_register", Some(&admin), &body).await;
    assert_refused(
        "bob exists",
        resp,
        200,
        1102,
        "RegisteredAlreadyError",
        "userID registered already",
    )
    .await;
    assert_eq!(
        users_info(&im, &admin, &["carol"]).await,
        Value::Null,
        "carol was not stored"
    );
}

#[tokio::test]
async fn user_ids_of_unicode_letters_digits_and_underscores_are_legal() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    im.register(&admin, &[("张三_42", "Zhang"), ("Ωmega", "O")])
        .await;
    let users = users_info(&im, &admin, &["张三_42", "Ωmega"]).await;
    assert_eq!(user_ids(&users), sorted(&["张三_42", "Ωmega"]));
}

#[tokio::test]
async fn get_users_info_skips_unknown_ids_and_answers_null_when_none_is_found() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let bob = im.user_token(&admin, "bob", 1).await;
    let found = users_info(&im, &bob, &["alice", "ghost", "bob"]).await;
    assert_eq!(
        user_ids(&found),
        sorted(&["alice", "bob"]),
        "any token reads profiles"
    );
    assert_eq!(users_info(&im, &bob, &["ghost"]).await, Value::Null);
    assert_eq!(users_info(&im, &bob, &[]).await, Value::Null);
    for (case, body) in [
        ("no userIDs", json!({})),
        ("userIDs null", json!({"userIDs": null})),
    ] {
        let resp = im.post("/user/get_users_info", Some(&bob), &body).await;
        assert_refused(case, resp, 200, 1001, "ArgsError", "UserIDs is empty").await;
    }
}

#[tokio::test]
async fn account_check_answers_1_for_registered_and_0_for_unknown_in_request_order() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let body = json!({"checkUserIDs": ["ghost", "alice", ADMIN]});
    let data = ok_data(im.post("/user/account_check", Some(&admin), &body).await).await;
    let expected = json!({"results": [{"userID": "ghost", "accountStatus": 0},
        {"userID": "alice", "accountStatus": 1}, {"userID": ADMIN, "accountStatus": 1}]});
    assert_eq!(data, expected);
    let empty = json!({"checkUserIDs": []});
    let data = ok_data(im.post("/user/account_check", Some(&admin), &empty).await).await;
    assert_eq!(data, json!({"results": null}));
}

#[tokio::test]
async fn account_check_refusals_come_in_check_then_rpc_order() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let alice = im.user_token(&admin, "alice", 1).await;
    // (case, token, body, code, errMsg, errDlt)
    let cases = [
        (
            "no checkUserIDs",
            &admin,
            json!({}),
            1001,
            "ArgsError",
            "CheckUserIDs is empty",
        ),
        (
            "a repeated ID",
            &admin,
            json!({"checkUserIDs": ["a", "a"]}),
            1001,
            "ArgsError",
            "userID repeated",
        ),
        (
            "a user's token, repeated ID",
            &alice,
            json!({"checkUserIDs": ["a", "a"]}),
            1001,
            "ArgsError",
            "userID repeated",
        ),
        (
            "a user's token",
            &alice,
            json!({"checkUserIDs": ["a"]}),
            1002,
            "NoPermissionError",
            "user alice is not admin userID",
        ),
    ];
    for (case, token, body, code, msg, dlt) in cases {
        let resp = im.post("/user/account_check", Some(token), &body).await;
        assert_refused(case, resp, 200, code, msg, dlt).await;
    }
}

#[tokio::test]
async fn get_users_info_names_a_repeated_user_once() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let users = users_info(&im, &admin, &["alice", "alice"]).await;
    assert_eq!(user_ids(&users), sorted(&["alice"]));
}

#[tokio::test]
async fn user_register_checks_each_user_for_null_then_legality_in_turn() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let body = json!({"users": [{"userID": "a-b", "nickname": "X"}, null]});
    let resp = im.post("/user/user_register", Some(&admin), &body).await;
    assert_refused(
        "an illegal user before a null",
        resp,
        200,
        1001,
        "ArgsError",
        "userID is legal",
    )
    .await;
}

#[tokio::test]
async fn a_user_id_with_a_superscript_digit_is_illegal() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let resp = im
        .post("/user/user_register", Some(&admin), &one_user("u²", "U"))
        .await;
    assert_refused("u²", resp, 200, 1001, "ArgsError", "userID is legal").await;
}

// ------------------------------------------------------------------------------------------
// Groups

#[tokio::test]
async fn create_group_answers_the_group_info_counting_the_calling_admin() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let body = json!({
        "ownerUserID": "alice", "memberUserIDs": ["bob"], "adminUserIDs": [],
        "groupInfo": {"groupID": "g1", "groupName": "Friends", "notification": "hello",
            "introduction": "intro", "faceURL": "http://f/g.png", "ex": "x", "groupType": 2,
            "creatorUserID": "someone", "needVerification": 1, "lookMemberInfo": 1,
            "applyMemberFriend": 1, "notificationUpdateTime": 7, "notificationUserID": "n"},
    });
    let data = ok_data(im.post("/group/create_group", Some(&admin), &body).await).await;
    let expected = json!({"groupInfo": {"groupID": "g1", "groupName": "Friends",
        "notification": "hello", "introduction": "intro", "faceURL": "http://f/g.png",
        "ownerUserID": "alice", "createTime": T0, "memberCount": 3, "ex": "x", "status": 0,
        "creatorUserID": "someone", "groupType": 2, "needVerification": 1, "lookMemberInfo": 1,
        "applyMemberFriend": 1, "notificationUpdateTime": 7, "notificationUserID": "n"}});
    assert_eq!(data, expected);
}

#[tokio::test]
async fn create_group_generates_a_decimal_group_id_when_none_is_given() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let first = im.create_group(&admin, "", "alice", &["bob"]).await;
    let second = im.create_group(&admin, "", "bob", &[]).await;
    for info in [&first, &second] {
        let id = info["groupID"].as_str().unwrap();
        assert!(!id.is_empty() && id.len() <= 10, "{id}");
        assert!(id.bytes().all(|b| b.is_ascii_digit()), "{id}");
        assert!(
            id.parse::<u64>().unwrap() <= u64::from(u32::MAX),
            "8 hex digits: {id}"
        );
    }
    assert_ne!(first["groupID"], second["groupID"]);
}

#[tokio::test]
async fn a_user_may_create_a_group_it_owns() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let alice = im.user_token(&admin, "alice", 1).await;
    let info = im.create_group(&alice, "g1", "alice", &["bob"]).await;
    assert_eq!(info["ownerUserID"], "alice", "{info}");
    assert_eq!(info["memberCount"], 2, "{info}");
}

#[tokio::test]
async fn create_group_refusals_come_in_check_then_rpc_order() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    im.create_group(&admin, "g1", "alice", &[]).await;
    let alice = im.user_token(&admin, "alice", 1).await;
    let typed = |t: i64, owner: &str| json!({"ownerUserID": owner, "groupInfo": {"groupType": t}});
    let crowd: Vec<String> = (0..1001).map(|i| format!("u{i}")).collect();
    let args = |dlt: &'static str| (1001, "ArgsError", dlt);
    // (case, token, body, (code, errMsg, errDlt))
    let cases = [
        (
            "no groupInfo",
            &admin,
            json!({"ownerUserID": "alice"}),
            args("groupInfo is empty"),
        ),
        (
            "groupType 3",
            &admin,
            typed(3, "alice"),
            args("GroupType is invalid"),
        ),
        (
            "groupType -1, no owner",
            &admin,
            typed(-1, ""),
            args("GroupType is invalid"),
        ),
        (
            "no owner",
            &admin,
            typed(2, ""),
            args("ownerUserID is empty"),
        ),
        (
            "1001 members",
            &admin,
            json!({"ownerUserID": "alice", "memberUserIDs": crowd, "groupInfo": {"groupType": 2}}),
            args("too many MemberUserIDs, need to be less than 1000"),
        ),
        (
            "groupType 0",
            &admin,
            typed(0, "alice"),
            args("group type only supports 2"),
        ),
        (
            "groupType 1",
            &alice,
            typed(1, "bob"),
            args("group type only supports 2"),
        ),
        (
            "someone else's group",
            &alice,
            typed(2, "bob"),
            (1002, "NoPermissionError", "ownerUserID, bob=MISSING"),
        ),
        (
            "the owner as a member",
            &admin,
            group_request("", "alice", &["alice"]),
            args("group member repeated"),
        ),
        (
            "a repeated member",
            &admin,
            group_request("", "alice", &["bob", "bob"]),
            args("group member repeated"),
        ),
        (
            "an unknown member",
            &admin,
            group_request("", "alice", &["ghost"]),
            (1101, "UserIDNotFoundError", "user not found"),
        ),
        (
            "a taken groupID",
            &admin,
            group_request("g1", "bob", &[]),
            (1202, "GroupIDExisted", "group id existed g1"),
        ),
    ];
    for (case, token, body, (code, msg, dlt)) in cases {
        let resp = im.post("/group/create_group", Some(token), &body).await;
        assert_refused(case, resp, 200, code, msg, dlt).await;
    }
}

#[tokio::test]
async fn get_groups_info_answers_known_groups_and_skips_unknown_ones() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let created = im.create_group(&admin, "g1", "alice", &[]).await;
    let bob = im.user_token(&admin, "bob", 1).await;
    let data = groups_info(&im, &bob, &["nope", "g1"]).await;
    let infos = data["groupInfos"].as_array().unwrap();
    assert_eq!(infos.len(), 1, "{data}");
    assert_eq!(infos[0]["groupID"], "g1");
    assert_eq!(infos[0]["groupName"], created["groupName"]);
    assert_eq!(infos[0]["ownerUserID"], "alice");
    assert_eq!(
        groups_info(&im, &bob, &["nope"]).await,
        json!({"groupInfos": null})
    );
    // (case, body, errDlt)
    let cases = [
        ("no groupIDs", json!({}), "GroupIDs is empty"),
        ("an empty list", json!({"groupIDs": []}), "groupID is empty"),
    ];
    for (case, body, dlt) in cases {
        let resp = im.post("/group/get_groups_info", Some(&bob), &body).await;
        assert_refused(case, resp, 200, 1001, "ArgsError", dlt).await;
    }
}

#[tokio::test]
async fn an_invited_user_becomes_a_member_who_may_post_to_the_group() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    im.register(&admin, &[("carol", "Carol")]).await;
    im.create_group(&admin, "g1", "alice", &["bob"]).await;
    let before = im.send(&admin, &group_text("carol", "g1", "hi")).await;
    assert_refused("carol before", before, 200, 1203, "NotInGroupYetError", "").await;
    let bob = im.user_token(&admin, "bob", 1).await;
    let body = json!({"groupID": "g1", "invitedUserIDs": ["carol"], "reason": "welcome"});
    ok_empty(
        im.post("/group/invite_user_to_group", Some(&bob), &body)
            .await,
    )
    .await;
    im.send_ok(&admin, &group_text("carol", "g1", "hi")).await;
    let data = groups_info(&im, &admin, &["g1"]).await;
    assert_eq!(
        data["groupInfos"][0]["memberCount"], 3,
        "alice, bob, carol: {data}"
    );
}

#[tokio::test]
async fn invite_refusals_come_in_check_then_rpc_order() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    im.register(&admin, &[("carol", "Carol"), ("dave", "Dave")])
        .await;
    im.create_group(&admin, "g1", "alice", &["bob"]).await;
    let carol = im.user_token(&admin, "carol", 1).await;
    let invite = |group: &str, users: Value| json!({"groupID": group, "invitedUserIDs": users});
    let crowd: Vec<String> = (0..1001).map(|i| format!("u{i}")).collect();
    let args = |dlt: &'static str| (1001, "ArgsError", dlt);
    // (case, token, body, (code, errMsg, errDlt))
    let cases = [
        (
            "no groupID",
            &admin,
            invite("", json!(["dave"])),
            args("groupID is empty"),
        ),
        (
            "no invitedUserIDs",
            &admin,
            json!({"groupID": "g1"}),
            args("invitedUserIDs is empty"),
        ),
        (
            "1001 users",
            &admin,
            invite("g1", json!(crowd)),
            args("too many InvitedUserIDs, need to be less than 1000"),
        ),
        (
            "an empty list",
            &admin,
            invite("g1", json!([])),
            args("user empty"),
        ),
        (
            "a repeated user",
            &admin,
            invite("nope", json!(["dave", "dave"])),
            args("userID duplicate"),
        ),
        (
            "an unknown group",
            &admin,
            invite("nope", json!(["ghost"])),
            (1004, "RecordNotFoundError", ""),
        ),
        (
            "an unknown user",
            &carol,
            invite("g1", json!(["ghost"])),
            (1004, "RecordNotFoundError", "user not found"),
        ),
        (
            "a non-member's token",
            &carol,
            invite("g1", json!(["dave"])),
            (1004, "RecordNotFoundError", ""),
        ),
    ];
    for (case, token, body, (code, msg, dlt)) in cases {
        let resp = im
            .post("/group/invite_user_to_group", Some(token), &body)
            .await;
        assert_refused(case, resp, 200, code, msg, dlt).await;
    }
}

#[tokio::test]
async fn get_groups_info_counts_the_members_only() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let created = im.create_group(&admin, "g1", "alice", &["bob"]).await;
    assert_eq!(created["memberCount"], 3, "create_group counts the caller");
    let data = groups_info(&im, &admin, &["g1"]).await;
    assert_eq!(
        data["groupInfos"][0]["memberCount"], 2,
        "alice and bob: {data}"
    );
}

#[tokio::test]
async fn inviting_into_a_dismissed_group_is_refused() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let mut body = group_request("g1", "alice", &[]);
    body["groupInfo"]["status"] = json!(2);
    ok_data(im.post("/group/create_group", Some(&admin), &body).await).await;
    let invite = json!({"groupID": "g1", "invitedUserIDs": ["bob"]});
    let resp = im
        .post("/group/invite_user_to_group", Some(&admin), &invite)
        .await;
    let dlt = "group dismissed checking group status found it dismissed";
    assert_refused(
        "a dismissed group",
        resp,
        200,
        1204,
        "DismissedAlreadyError",
        dlt,
    )
    .await;
}
