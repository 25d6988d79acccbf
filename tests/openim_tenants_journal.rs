//! Black-box tests of OpenIM tenants and the journal: `/tenants/{name}/...` is a server of
//! its own, made by its first successful call and never by a refused one; fixture tenants
//! with their own secret and admins; every stored message in the journal's normalized shape.
mod common;
use common::openim::*;
use common::*;

use serde_json::{json, Value};

/// The number of OpenIM tenants `GET /_emulator/health` reports.
async fn openim_tenants(app: &TestApp) -> Value {
    app.health().await["tenants"]["openim"].clone()
}

/// A tenant `acme` with its own secret, admin and users, next to `default`.
fn fixtures_with_acme() -> Value {
    json!({
        "defaults": {"users": [{"user_id": "alice", "nickname": "Alice"}]},
        "tenants": [
            {"name": "default"},
            {"name": "acme", "secret": "acme-secret", "admin_user_ids": ["boss"],
             "users": [{"user_id": "zoe", "nickname": "Zoe", "face_url": "http://f/z.png"}]}
        ]
    })
}

// ------------------------------------------------------------------------------------------
// Tenants

#[tokio::test]
async fn a_named_tenant_has_its_own_users_and_messages() {
    let app = spawn_app().await;
    app.set_clock(T0).await;
    let (root, acme) = (Im::new(&app), Im::tenant(&app, "acme"));
    let (root_admin, acme_admin) = (root.admin_token().await, acme.admin_token().await);
    acme.register(&acme_admin, &[("carol", "Carol")]).await;
    acme.send_ok(&acme_admin, &text(ADMIN, "carol", "in acme"))
        .await;
    let users = json!({"userIDs": ["carol"]});
    let data = ok_data(
        root.post("/user/get_users_info", Some(&root_admin), &users)
            .await,
    )
    .await;
    assert_eq!(data, json!({"usersInfo": null}), "carol is acme's only");
    let resp = root
        .send(&root_admin, &text(ADMIN, "carol", "at the root"))
        .await;
    assert_refused(
        "carol at the root",
        resp,
        200,
        1004,
        "RecordNotFoundError",
        "userID not found",
    )
    .await;
    assert_eq!(
        acme.pull_all(&acme_admin, "carol", "si_carol_imAdmin")
            .await
            .len(),
        1
    );
    let listing = app.journal("provider=openim&tenant=acme").await;
    assert_eq!(listing["total"], 1, "{listing}");
    assert_eq!(
        app.journal("provider=openim&tenant=default").await["total"],
        0
    );
}

#[tokio::test]
async fn a_refused_call_creates_no_tenant_and_a_successful_one_does() {
    let app = spawn_app().await;
    assert_eq!(openim_tenants(&app).await, 1, "only default at the start");
    let root_admin = Im::new(&app).admin_token().await;
    let fresh = Im::tenant(&app, "fresh");
    let op = [("operationID", OPERATION_ID)];
    let with_token = [
        ("operationID", OPERATION_ID),
        ("token", root_admin.as_str()),
    ];
    let refusals = [
        (
            "no operationID",
            fresh.post_raw("/msg/send_msg", &[], "{}").await,
        ),
        ("no token", fresh.post_raw("/msg/send_msg", &op, "{}").await),
        (
            "a wrong secret",
            fresh
                .post(
                    "/auth/get_admin_token",
                    None,
                    &json!({"secret": "x", "userID": ADMIN}),
                )
                .await,
        ),
        (
            "a garbage token",
            fresh
                .post("/msg/get_server_time", Some("garbage"), &json!({}))
                .await,
        ),
        (
            "a binding error",
            fresh.post_raw("/msg/send_msg", &with_token, "{}").await,
        ),
        (
            "an unknown receiver",
            fresh.send(&root_admin, &text(ADMIN, "ghost", "x")).await,
        ),
        (
            "an unknown path",
            fresh
                .post_raw("/msg/no_such_route", &with_token, "{}")
                .await,
        ),
    ];
    for (case, resp) in refusals {
        let status = resp.status();
        let _ = read(resp).await;
        assert_eq!(
            openim_tenants(&app).await,
            1,
            "case {case} (HTTP {status}) made no tenant"
        );
    }
    fresh.admin_token().await;
    assert_eq!(
        openim_tenants(&app).await,
        2,
        "a token was issued in `fresh`"
    );
    Im::tenant(&app, "other")
        .send_ok(&root_admin, &text(ADMIN, "alice", "x"))
        .await;
    assert_eq!(
        openim_tenants(&app).await,
        3,
        "a message was stored in `other`"
    );
}

#[tokio::test]
async fn a_fixture_tenant_has_its_own_secret_admins_and_users() {
    let app = spawn_openim(&fixtures_with_acme()).await;
    let acme = Im::tenant(&app, "acme");
    let body = json!({"secret": SECRET, "userID": "boss"});
    let resp = acme.post("/auth/get_admin_token", None, &body).await;
    assert_refused(
        "the default secret",
        resp,
        200,
        1002,
        "NoPermissionError",
        "secret invalid",
    )
    .await;
    let body = json!({"secret": "acme-secret", "userID": ADMIN});
    let resp = acme.post("/auth/get_admin_token", None, &body).await;
    let dlt = "userID is error., userID=imAdmin, adminUserID=[boss]";
    assert_refused("the default admin", resp, 200, 1001, "ArgsError", dlt).await;
    let body = json!({"secret": "acme-secret", "userID": "boss"});
    let boss = ok_data(acme.post("/auth/get_admin_token", None, &body).await).await;
    let boss = boss["token"].as_str().unwrap().to_owned();
    let ids = json!({"userIDs": ["boss", "zoe", "alice"]});
    let users = ok_data(acme.post("/user/get_users_info", Some(&boss), &ids).await).await;
    let mut found: Vec<&str> = users["usersInfo"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["userID"].as_str().unwrap())
        .collect();
    found.sort_unstable();
    assert_eq!(found, ["boss", "zoe"], "acme's own users only");
    let root_admin = Im::new(&app).admin_token().await;
    assert_refused(
        "a root token in acme",
        acme.post("/msg/get_server_time", Some(&root_admin), &json!({}))
            .await,
        200,
        1505,
        "signature is invalid",
        "",
    )
    .await;
}

#[tokio::test]
async fn a_tenant_name_that_cannot_be_one_is_a_plain_404() {
    let app = spawn_app().await;
    let token = Im::new(&app).admin_token().await;
    let headers = [("operationID", OPERATION_ID), ("token", token.as_str())];
    let long = "x".repeat(65);
    for name in ["bad!name", long.as_str()] {
        let resp = Im::tenant(&app, name)
            .post_raw("/msg/get_server_time", &headers, "{}")
            .await;
        let answer = read(resp).await;
        assert_eq!(answer.status, 404, "tenant {name}: {}", answer.text);
        assert_eq!(answer.text, "404 page not found", "tenant {name}");
    }
    assert_eq!(openim_tenants(&app).await, 1);
}

#[tokio::test]
async fn tenant_paths_keep_openims_transport_rules() {
    let app = spawn_app().await;
    let acme = Im::tenant(&app, "acme");
    let answer = read(
        acme.request(&app.client, reqwest::Method::OPTIONS, "/msg/send_msg", &[])
            .await,
    )
    .await;
    assert_eq!(
        (answer.status, answer.text.as_str()),
        (200, r#""Options Request!""#)
    );
    let answer = read(
        acme.request(&app.client, reqwest::Method::GET, "/msg/send_msg", &[])
            .await,
    )
    .await;
    assert_eq!(
        (answer.status, answer.text.as_str()),
        (404, "404 page not found")
    );
    let resp = acme.post("/msg/send_msg", None, &json!({})).await;
    assert_refused(
        "no token",
        resp,
        200,
        1001,
        "ArgsError",
        "header must have token",
    )
    .await;
}

// ------------------------------------------------------------------------------------------
// The journal

#[tokio::test]
async fn the_journal_shows_each_stored_message_in_the_normalized_shape() {
    let app = spawn_app().await;
    app.set_clock(T0).await;
    let im = Im::new(&app);
    let admin = im.admin_token().await;
    im.create_group(&admin, "g1", "alice", &["bob"]).await;
    let oa = json!({"text": "t", "notificationName": "n", "notificationType": 1});
    let mut single = message(
        "bob",
        "alice",
        110,
        json!({"data": "d", "description": "<x>"}),
    );
    single["ex"] = json!("extra");
    // (body, conversation, chat_type, from, to, type, content)
    let cases = [
        (
            single,
            "si_alice_bob",
            "single",
            "bob",
            "alice",
            110,
            json!({"data": "d", "description": "<x>"}),
        ),
        (
            group_text("alice", "g1", "hi"),
            "sg_g1",
            "group",
            "alice",
            "g1",
            101,
            json!({"content": "hi"}),
        ),
        (
            message(ADMIN, "bob", 1400, oa.clone()),
            "sn_bob_imAdmin",
            "notification",
            ADMIN,
            "bob",
            1400,
            oa,
        ),
    ];
    let mut ids = Vec::new();
    for (body, ..) in &cases {
        ids.push(im.send_ok(&admin, body).await["serverMsgID"].clone());
    }
    let listing = app.journal("provider=openim").await;
    assert_eq!(listing["total"], 3, "{listing}");
    let records = listing["messages"].as_array().unwrap();
    for ((_, conversation, chat_type, from, to, kind, content), (record, id)) in
        cases.iter().zip(records.iter().zip(&ids))
    {
        let expected = [
            ("provider", json!("openim")),
            ("tenant", json!("default")),
            ("id", id.clone()),
            ("conversation", json!(conversation)),
            ("chat_type", json!(chat_type)),
            ("from", json!(from)),
            ("to", json!(to)),
            ("type", json!(kind)),
            ("content", content.clone()),
            ("received_at_ms", json!(T0)),
            ("recalled", json!(false)),
        ];
        for (field, value) in expected {
            assert_eq!(record[field], value, "{field} of {record}");
        }
    }
    assert_eq!(
        records[0]["ext"], "extra",
        "ex as the journal's ext: {}",
        records[0]
    );
    assert!(
        records[1].get("ext").is_none(),
        "no ext without ex: {}",
        records[1]
    );
}

#[tokio::test]
async fn the_journal_filters_openim_records_by_conversation_chat_type_and_type() {
    let app = spawn_app().await;
    let im = Im::new(&app);
    let admin = im.admin_token().await;
    im.create_group(&admin, "g1", "alice", &["bob"]).await;
    im.send_ok(&admin, &text(ADMIN, "alice", "1")).await;
    im.send_ok(&admin, &group_text("bob", "g1", "2")).await;
    im.send_ok(&admin, &message(ADMIN, "bob", 110, json!({"data": "3"})))
        .await;
    // (query, total)
    let cases = [
        ("provider=openim", 3),
        ("provider=openim&conversation=sg_g1", 1),
        ("provider=openim&chat_type=single", 2),
        ("provider=openim&type=110", 1),
        ("provider=openim&from=imAdmin", 2),
        ("provider=easemob", 0),
    ];
    for (query, total) in cases {
        assert_eq!(app.journal(query).await["total"], total, "{query}");
    }
}

#[tokio::test]
async fn refused_sends_are_neither_stored_nor_journaled() {
    let app = spawn_app().await;
    let im = Im::new(&app);
    let admin = im.admin_token().await;
    for body in [
        text(ADMIN, "ghost", "x"),
        message(ADMIN, "alice", 109, json!({})),
        message(ADMIN, "alice", 101, json!({})),
    ] {
        let resp = im.send(&admin, &body).await;
        assert_ne!(read(resp).await.json()["errCode"], 0);
    }
    assert_eq!(
        app.journal("provider=openim").await["total"],
        0,
        "refused sends are not journaled"
    );
    let usage = app.health().await["usage"]["openim"].clone();
    assert_eq!(usage["messages"], 0, "{usage}");
}
