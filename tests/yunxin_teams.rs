//! Black-box tests of Yunxin's team routes (contract §5, §9 point 9): `POST /teams` (advanced
//! `team_type` 1 and super 2, `team_id` a JSON integer, `failed_list` for unknown invitees,
//! invitees joining only under `agree_mode` 1, the checks and the tenant's team limit), `GET
//! /teams/{id}?team_type=`, `PATCH /teams/{id}` (name card, `chat_banned_mode`, who may),
//! `POST /teams/{id}/actions/add_manager`, `POST /team_members` (who may invite,
//! `members_limit`) and `PATCH /team_members/actions/batch_mute` (who may mute) and `GET
//! /teams/{id}/actions/list_members`.
mod common;
use common::yunxin::*;
use common::*;

use serde_json::{json, Value};

/// A create body of a team of `team_type` owned by alice, with `extra` fields.
fn create_body(team_type: i64, extra: Value) -> Value {
    let mut body = json!({"owner_account_id": "alice", "team_type": team_type, "name": "Team"});
    merge(&mut body, extra);
    body
}

/// The `team_info` keys.
fn team_info_keys() -> Vec<String> {
    sorted(&[
        "team_id",
        "team_type",
        "owner_account_id",
        "member_count",
        "name",
        "icon",
        "announcement",
        "intro",
        "members_limit",
        "server_extension",
        "customer_extension",
        "create_time",
        "update_time",
        "configuration",
    ])
}

/// `n` distinct legal account IDs.
fn many(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("u{i}")).collect()
}

/// Whether `cid` accepts a text from its sender.
async fn can_send(yx: &Yx<'_>, cid: &str) -> Value {
    let answer = read(yx.send(cid, &text_body("hi")).await).await;
    envelope(cid, &answer, 200)["code"].clone()
}

#[tokio::test]
async fn create_an_advanced_team_with_its_team_info_and_failed_invitees() {
    let app = pinned().await;
    let yx = Yx::new(&app).under("/im/v2.1");
    let body = create_body(
        ADVANCED,
        json!({"invite_account_ids": ["bob", "ghost"],
        "announcement": "a", "intro": "i", "icon": "http://i", "server_extension": "s",
        "customer_extension": "c", "members_limit": 50, "invite_msg": "join us"}),
    );
    let data = ok(yx.post("/teams", &body).await).await;
    assert_eq!(keys(&data), sorted(&["team_info", "failed_list"]));
    let info = &data["team_info"];
    assert_eq!(keys(info), team_info_keys());
    assert!(info["team_id"].is_u64(), "team_id a JSON integer: {info}");
    assert_eq!(info["team_type"], 1);
    assert_eq!(info["owner_account_id"], "alice");
    assert_eq!(info["member_count"], 1, "bob waits for an agreement");
    assert_eq!(
        (info["name"].clone(), info["members_limit"].clone()),
        (json!("Team"), json!(50))
    );
    assert_eq!(info["announcement"], "a");
    assert_eq!(
        (info["create_time"].clone(), info["update_time"].clone()),
        (json!(T0), json!(T0))
    );
    assert_eq!(info["configuration"]["chat_banned_mode"], 0);
    let failed =
        json!([{"account_id": "ghost", "error_code": 102404, "error_msg": "account not exist"}]);
    assert_eq!(data["failed_list"], failed);
}

#[tokio::test]
async fn create_a_super_team_on_v2_with_distinct_ids() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let first = yx.create_team_data("alice", SUPER, &["bob"], 1).await;
    let info = &first["team_info"];
    assert_eq!(info["team_type"], 2);
    assert_eq!(info["member_count"], 2);
    assert_eq!(first["failed_list"], json!([]));
    let second = yx.create_team("alice", ADVANCED, &[]).await;
    assert_ne!(info["team_id"], second, "each team has its own ID");
}

#[tokio::test]
async fn invitees_join_at_once_only_under_agree_mode_1() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let waiting = yx.create_team_data("alice", ADVANCED, &["bob"], 0).await;
    let waiting_id = waiting["team_info"]["team_id"].as_u64().unwrap();
    assert_eq!(can_send(&yx, &team_cid("bob", waiting_id)).await, 109_404);
    let joined = yx.create_team("alice", ADVANCED, &["bob"]).await;
    assert_eq!(can_send(&yx, &team_cid("bob", joined)).await, 200);
    let info = ok(yx.get(&format!("/teams/{joined}")).await).await;
    assert_eq!(info["team_info"]["member_count"], 2);
    assert_eq!(info["team_info"]["configuration"]["agree_mode"], 1);
}

#[tokio::test]
async fn create_checks_its_fields() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let cases = [
        ("no owner", json!({"team_type": 1, "name": "T"}), 414),
        (
            "no type",
            json!({"owner_account_id": "alice", "name": "T"}),
            414,
        ),
        ("type 3", create_body(3, json!({})), 414),
        ("type 0", create_body(0, json!({})), 414),
        (
            "no name",
            json!({"owner_account_id": "alice", "team_type": 1}),
            414,
        ),
        ("empty name", create_body(1, json!({"name": ""})), 414),
        (
            "long name",
            create_body(1, json!({"name": "n".repeat(65)})),
            414,
        ),
        (
            "bad invitee",
            create_body(1, json!({"invite_account_ids": ["a b"]})),
            414,
        ),
        (
            "join_mode 3",
            create_body(1, json!({"configuration": {"join_mode": 3}})),
            414,
        ),
        (
            "members_limit 0",
            create_body(1, json!({"members_limit": 0})),
            414,
        ),
        (
            "members_limit 10001",
            create_body(1, json!({"members_limit": 10_001})),
            414,
        ),
        (
            "long icon",
            create_body(1, json!({"icon": "i".repeat(1025)})),
            414,
        ),
        (
            "long announcement",
            create_body(1, json!({"announcement": "a".repeat(5001)})),
            414,
        ),
        (
            "long intro",
            create_body(1, json!({"intro": "i".repeat(1001)})),
            414,
        ),
        (
            "long server_extension",
            create_body(1, json!({"server_extension": "s".repeat(1025)})),
            414,
        ),
        (
            "long customer_extension",
            create_body(1, json!({"customer_extension": "c".repeat(1025)})),
            414,
        ),
        (
            "update_team_info_mode 2",
            create_body(1, json!({"configuration": {"update_team_info_mode": 2}})),
            414,
        ),
        (
            "chat_banned_mode 2",
            create_body(1, json!({"configuration": {"chat_banned_mode": 2}})),
            414,
        ),
        (
            "201 invitees",
            create_body(1, json!({"invite_account_ids": many(201)})),
            414,
        ),
        (
            "unknown owner",
            json!({"owner_account_id": "ghost", "team_type": 1, "name": "T"}),
            102_404,
        ),
    ];
    for (case, body, code) in cases {
        assert_error(case, yx.post("/teams", &body).await, code).await;
    }
}

#[tokio::test]
async fn a_tenant_at_its_team_limit_refuses_more() {
    let tenants = json!([{"app_key": "small-app", "max_teams": 1}]);
    let app = spawn_yunxin(&fixture_file(tenants)).await;
    let yx = Yx::with_key(&app, "small-app", APP_SECRET);
    yx.create_team("alice", ADVANCED, &[]).await;
    let resp = yx.post("/teams", &create_body(ADVANCED, json!({}))).await;
    assert_error("second team", resp, 108_434).await;
}

#[tokio::test]
async fn get_a_team_with_or_without_its_type() {
    let app = pinned().await;
    let yx = Yx::new(&app).under("/im/v2.1");
    let created = yx.create_team_data("alice", ADVANCED, &["bob"], 1).await;
    let id = created["team_info"]["team_id"].as_u64().unwrap();
    for query in ["?team_type=1", ""] {
        let data = ok(yx.get(&format!("/teams/{id}{query}")).await).await;
        assert_eq!(keys(&data), sorted(&["team_info"]));
        assert_eq!(data["team_info"], created["team_info"], "query {query:?}");
    }
}

#[tokio::test]
async fn get_an_unknown_mismatched_or_malformed_team_fails() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let advanced = yx.create_team("alice", ADVANCED, &[]).await;
    let super_team = yx.create_team("alice", SUPER, &[]).await;
    let cases = [
        (format!("/teams/{advanced}?team_type=2"), 108_404),
        (format!("/teams/{super_team}?team_type=1"), 108_404),
        ("/teams/999999999?team_type=1".to_owned(), 108_404),
        ("/teams/abc?team_type=1".to_owned(), 414),
        ("/teams/12345678901234567890".to_owned(), 414),
        ("/teams/-1".to_owned(), 414),
        (format!("/teams/{advanced}?team_type=3"), 414),
        (format!("/teams/{advanced}?team_type=x"), 414),
    ];
    for (path, code) in cases {
        assert_error(&path, yx.get(&path).await, code).await;
    }
}

#[tokio::test]
async fn the_owner_patches_the_name_card_and_chat_banned_mode() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let id = yx.create_team("alice", ADVANCED, &["bob"]).await;
    app.advance_clock(5_000).await;
    let fields = json!({"name": "Renamed", "intro": "x", "configuration": {"chat_banned_mode": 3}});
    let data = ok(yx.patch_team(id, ADVANCED, "alice", fields).await).await;
    let info = &data["team_info"];
    assert_eq!(info["name"], "Renamed");
    assert_eq!(info["configuration"]["chat_banned_mode"], 3);
    assert_eq!(info["configuration"]["agree_mode"], 1, "other modes kept");
    assert_eq!(info["update_time"], T0 + 5_000);
    assert_eq!(info["create_time"], T0);
    let got = ok(yx.get(&format!("/teams/{id}")).await).await;
    assert_eq!(got["team_info"], *info);
}

#[tokio::test]
async fn patch_refuses_non_members_normal_members_and_bad_fields() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    yx.create_account("carol").await;
    let id = yx.create_team("alice", ADVANCED, &["bob"]).await;
    let mode = |m: i64| json!({"configuration": {"chat_banned_mode": m}});
    let cases = [
        (
            "non-member",
            yx.patch_team(id, ADVANCED, "carol", mode(3)).await,
            109_404,
        ),
        (
            "normal member",
            yx.patch_team(id, ADVANCED, "bob", mode(3)).await,
            403,
        ),
        (
            "mode 2",
            yx.patch_team(id, ADVANCED, "alice", mode(2)).await,
            414,
        ),
        (
            "wrong type",
            yx.patch_team(id, SUPER, "alice", mode(3)).await,
            108_404,
        ),
        (
            "unknown team",
            yx.patch_team(42, ADVANCED, "alice", mode(3)).await,
            108_404,
        ),
    ];
    for (case, resp, code) in cases {
        if code == 403 {
            let answer = read(resp).await;
            assert_exact_error(case, &answer, 200, 403, "forbidden");
        } else {
            assert_error(case, resp, code).await;
        }
    }
    let no_operator = json!({"team_type": 1, "name": "x"});
    let resp = yx.patch(&format!("/teams/{id}"), &no_operator).await;
    assert_error("no operator", resp, 414).await;
    let no_type = json!({"operator_id": "alice", "name": "x"});
    let resp = yx.patch(&format!("/teams/{id}"), &no_type).await;
    assert_error("no team_type", resp, 414).await;
    let info = ok(yx.get(&format!("/teams/{id}")).await).await;
    assert_eq!(info["team_info"]["configuration"]["chat_banned_mode"], 0);
}

#[tokio::test]
async fn a_manager_may_patch_the_team_but_not_add_managers() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    yx.create_account("carol").await;
    let id = yx.create_team("alice", ADVANCED, &["bob", "carol"]).await;
    assert_eq!(
        ok(yx.add_managers(id, ADVANCED, "alice", &["bob"]).await).await,
        json!({})
    );
    let fields = json!({"announcement": "by bob"});
    let data = ok(yx.patch_team(id, ADVANCED, "bob", fields).await).await;
    assert_eq!(data["team_info"]["announcement"], "by bob");
    let answer = read(yx.add_managers(id, ADVANCED, "bob", &["carol"]).await).await;
    assert_exact_error("manager adds a manager", &answer, 200, 403, "forbidden");
}

#[tokio::test]
async fn add_manager_checks_its_operator_and_managers() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    yx.create_account("carol").await;
    let id = yx.create_team("alice", ADVANCED, &["bob"]).await;
    let cases = [
        (
            "manager not a member",
            yx.add_managers(id, ADVANCED, "alice", &["carol"]).await,
            109_404,
        ),
        (
            "operator not a member",
            yx.add_managers(id, ADVANCED, "carol", &["bob"]).await,
            109_404,
        ),
        (
            "no managers",
            yx.add_managers(id, ADVANCED, "alice", &[]).await,
            414,
        ),
        (
            "wrong type",
            yx.add_managers(id, SUPER, "alice", &["bob"]).await,
            108_404,
        ),
        (
            "unknown team",
            yx.add_managers(7, ADVANCED, "alice", &["bob"]).await,
            108_404,
        ),
    ];
    for (case, resp, code) in cases {
        assert_error(case, resp, code).await;
    }
}

/// An invitation body of `operator` to `team` for `invitees`.
fn invitation(operator: &str, team: u64, team_type: i64, invitees: &[&str]) -> Value {
    json!({"operator_id": operator, "team_id": team, "team_type": team_type,
        "invite_account_ids": invitees, "msg": "join"})
}

#[tokio::test]
async fn team_members_invites_existing_accounts() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    yx.create_account("carol").await;
    let id = yx.create_team("alice", ADVANCED, &[]).await;
    assert_eq!(can_send(&yx, &team_cid("carol", id)).await, 109_404);
    let body = invitation("alice", id, ADVANCED, &["carol", "ghost"]);
    let data = ok(yx.post("/team_members", &body).await).await;
    assert_eq!(data["success_list"], json!(["carol"]));
    let failed =
        json!([{"account_id": "ghost", "error_code": 102404, "error_msg": "account not exist"}]);
    assert_eq!(data["failed_list"], failed);
    assert_eq!(can_send(&yx, &team_cid("carol", id)).await, 200);
    let info = ok(yx.get(&format!("/teams/{id}")).await).await;
    assert_eq!(info["team_info"]["member_count"], 2);
}

#[tokio::test]
async fn team_members_checks_the_operator_and_team() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    yx.create_account("carol").await;
    let id = yx.create_team("alice", ADVANCED, &[]).await;
    let cases = [
        (
            "non-member operator",
            invitation("bob", id, ADVANCED, &["carol"]),
            109_404,
        ),
        (
            "unknown team",
            invitation("alice", 5, ADVANCED, &["carol"]),
            108_404,
        ),
        (
            "wrong type",
            invitation("alice", id, SUPER, &["carol"]),
            108_404,
        ),
        (
            "nobody invited",
            invitation("alice", id, ADVANCED, &[]),
            414,
        ),
        (
            "bad invitee",
            invitation("alice", id, ADVANCED, &["a b"]),
            414,
        ),
        (
            "201 invitees",
            json!({"operator_id": "alice", "team_id": id, "team_type": 1, "invite_account_ids": many(201)}),
            414,
        ),
        (
            "no team",
            json!({"operator_id": "alice", "team_type": 1, "invite_account_ids": ["bob"]}),
            414,
        ),
    ];
    for (case, body, code) in cases {
        assert_error(case, yx.post("/team_members", &body).await, code).await;
    }
}

#[tokio::test]
async fn batch_mute_lists_muted_members_and_non_members() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    yx.create_account("carol").await;
    let id = yx.create_team("alice", ADVANCED, &["bob"]).await;
    let data = ok(yx
        .mute(id, ADVANCED, "alice", &["bob", "carol"], true)
        .await)
    .await;
    assert_eq!(data["success_list"], json!(["bob"]));
    let failed = json!([{"account_id": "carol", "error_code": 109404, "error_msg": "team member not exist"}]);
    assert_eq!(data["failed_list"], failed);
    assert_eq!(can_send(&yx, &team_cid("bob", id)).await, 109_424);
    let lifted = ok(yx.mute(id, ADVANCED, "alice", &["bob"], false).await).await;
    assert_eq!(lifted["success_list"], json!(["bob"]));
    assert_eq!(can_send(&yx, &team_cid("bob", id)).await, 200);
}

#[tokio::test]
async fn batch_mute_checks_the_operator_and_fields() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    yx.create_account("carol").await;
    let id = yx.create_team("alice", ADVANCED, &["bob"]).await;
    let answer = read(yx.mute(id, ADVANCED, "bob", &["alice"], true).await).await;
    assert_exact_error("normal member", &answer, 200, 403, "forbidden");
    let cases = [
        (
            "non-member",
            yx.mute(id, ADVANCED, "carol", &["bob"], true).await,
            109_404,
        ),
        (
            "nobody",
            yx.mute(id, ADVANCED, "alice", &[], true).await,
            414,
        ),
        (
            "wrong type",
            yx.mute(id, SUPER, "alice", &["bob"], true).await,
            108_404,
        ),
    ];
    for (case, resp, code) in cases {
        assert_error(case, resp, code).await;
    }
    let no_flag = json!({"operator_id": "alice", "team_id": id, "team_type": 1, "chat_ban_account_ids": ["bob"]});
    let resp = yx.patch("/team_members/actions/batch_mute", &no_flag).await;
    assert_error("no chat_banned", resp, 414).await;
}

#[tokio::test]
async fn list_members_pages_the_members() {
    let app = pinned().await;
    let yx = Yx::new(&app).under("/im/v2.1");
    let id = yx.create_team("alice", ADVANCED, &["bob"]).await;
    let path = format!("/teams/{id}/actions/list_members?team_type=1&limit=100");
    let data = ok(yx.get(&path).await).await;
    let items = data["items"].as_array().expect("items");
    let mut members: Vec<&str> = items
        .iter()
        .map(|m| m["account_id"].as_str().unwrap())
        .collect();
    members.sort_unstable();
    assert_eq!(members, ["alice", "bob"]);
    assert!(items.iter().all(|m| m["team_id"] == id), "{data}");
    assert_eq!(data["has_more"], false);
}

#[tokio::test]
async fn a_normal_member_invites_only_under_invite_mode_1() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    yx.create_account("carol").await;
    let id = yx.create_team("alice", ADVANCED, &["bob"]).await;
    let resp = yx
        .post(
            "/team_members",
            &invitation("bob", id, ADVANCED, &["carol"]),
        )
        .await;
    assert_exact_error("invite_mode 0", &read(resp).await, 200, 403, "forbidden");
    let fields = json!({"configuration": {"invite_mode": 1}});
    ok(yx.patch_team(id, ADVANCED, "alice", fields).await).await;
    let resp = yx
        .post(
            "/team_members",
            &invitation("bob", id, ADVANCED, &["carol"]),
        )
        .await;
    assert_eq!(ok(resp).await["success_list"], json!(["carol"]));
    assert_eq!(can_send(&yx, &team_cid("carol", id)).await, 200);
}

#[tokio::test]
async fn a_manager_invites_without_invite_mode() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    yx.create_account("carol").await;
    let id = yx.create_team("alice", ADVANCED, &["bob"]).await;
    ok(yx.add_managers(id, ADVANCED, "alice", &["bob"]).await).await;
    let resp = yx
        .post(
            "/team_members",
            &invitation("bob", id, ADVANCED, &["carol"]),
        )
        .await;
    assert_eq!(ok(resp).await["success_list"], json!(["carol"]));
}

#[tokio::test]
async fn invitees_past_members_limit_fail_with_109434() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    yx.create_account("carol").await;
    let body = create_body(
        ADVANCED,
        json!({"members_limit": 2, "invite_account_ids": ["bob", "carol"],
        "configuration": {"agree_mode": 1}}),
    );
    let data = ok(yx.post("/teams", &body).await).await;
    assert_eq!(data["team_info"]["member_count"], 2);
    let failed = json!([{"account_id": "carol", "error_code": 109434, "error_msg": "limit of team members exceeded"}]);
    assert_eq!(data["failed_list"], failed);
    let id = data["team_info"]["team_id"].as_u64().unwrap();
    let resp = yx
        .post(
            "/team_members",
            &invitation("alice", id, ADVANCED, &["bob", "carol"]),
        )
        .await;
    let data = ok(resp).await;
    assert_eq!(data["success_list"], json!(["bob"]), "bob is in already");
    assert_eq!(data["failed_list"], failed);
}

#[tokio::test]
async fn invitations_waiting_for_agreement_are_listed_but_not_joined() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let data = yx.create_team_data("alice", ADVANCED, &[], 0).await;
    let id = data["team_info"]["team_id"].as_u64().unwrap();
    let resp = yx
        .post(
            "/team_members",
            &invitation("alice", id, ADVANCED, &["bob"]),
        )
        .await;
    assert_eq!(ok(resp).await["success_list"], json!(["bob"]));
    assert_eq!(can_send(&yx, &team_cid("bob", id)).await, 109_404);
}

#[tokio::test]
async fn managers_mute_members_of_super_teams_but_not_of_advanced_teams() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    yx.create_account("carol").await;
    for (kind, code) in [(ADVANCED, 403), (SUPER, 200)] {
        let id = yx.create_team("alice", kind, &["bob", "carol"]).await;
        ok(yx.add_managers(id, kind, "alice", &["bob"]).await).await;
        let answer = read(yx.mute(id, kind, "bob", &["carol"], true).await).await;
        let body = envelope(&format!("team_type {kind}"), &answer, 200);
        assert_eq!(body["code"], code, "team_type {kind}: {body}");
    }
}

/// The account IDs of a `list_members` page, and the page.
async fn member_page(yx: &Yx<'_>, id: u64, query: &str) -> (Vec<String>, Value) {
    let path = format!("/teams/{id}/actions/list_members?team_type=1&{query}");
    let data = ok(yx.get(&path).await).await;
    let items = data["items"].as_array().expect("items");
    let ids = items
        .iter()
        .map(|m| m["account_id"].as_str().unwrap().to_owned())
        .collect();
    (ids, data)
}

#[tokio::test]
async fn list_members_pages_by_account_and_filters_by_role_and_ban() {
    let app = pinned().await;
    let yx = Yx::new(&app).under("/im/v2.1");
    yx.create_account("carol").await;
    let id = yx.create_team("alice", ADVANCED, &["bob", "carol"]).await;
    ok(yx.mute(id, ADVANCED, "alice", &["carol"], true).await).await;
    let (first, data) = member_page(&yx, id, "limit=2").await;
    assert_eq!(first, ["alice", "bob"]);
    assert_eq!(
        (data["has_more"].clone(), data["next_token"].clone()),
        (json!(true), json!("bob"))
    );
    let (rest, data) = member_page(&yx, id, "limit=2&page_token=bob").await;
    assert_eq!(
        (rest, data["has_more"].clone()),
        (vec!["carol".to_owned()], json!(false))
    );
    assert_eq!(data["items"][0]["chat_banned"], true);
    assert_eq!(data["items"][0]["member_role"], 0);
    let (owners, data) = member_page(&yx, id, "member_type=1").await;
    assert_eq!(
        (owners, data["items"][0]["member_role"].clone()),
        (vec!["alice".to_owned()], json!(1))
    );
    assert_eq!(
        member_page(&yx, id, "chat_banned_type=1").await.0,
        ["carol"]
    );
    assert_eq!(
        member_page(&yx, id, "chat_banned_type=2").await.0,
        ["alice", "bob"]
    );
    assert_eq!(
        member_page(&yx, id, "descending=true&limit=1").await.0,
        ["carol"]
    );
}

#[tokio::test]
async fn list_members_refuses_bad_parameters_and_unknown_teams() {
    let app = pinned().await;
    let yx = Yx::new(&app).under("/im/v2.1");
    let id = yx.create_team("alice", ADVANCED, &[]).await;
    for query in [
        "team_type=1&limit=0",
        "team_type=1&limit=101",
        "team_type=1&member_type=3",
        "team_type=9",
        "",
    ] {
        let path = format!("/teams/{id}/actions/list_members?{query}");
        assert_error(query, yx.get(&path).await, 414).await;
    }
    let path = format!("/teams/{id}/actions/list_members?team_type=2");
    assert_error("super", yx.get(&path).await, 108_404).await;
    let path = format!("/teams/{}/actions/list_members?team_type=1", id + 1);
    assert_error("unknown", yx.get(&path).await, 108_404).await;
}
