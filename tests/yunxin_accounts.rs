//! Black-box tests of Yunxin's account and contact routes (contract §5, §4.5 steps 5–6):
//! `POST /accounts` (lower-casing, generated and given tokens, the name card echoed, ID rules
//! and field lengths, duplicates, the tenant's account limit), `GET /accounts/{id}`, `GET
//! /accounts?account_ids=`, `PATCH /accounts/{id}` (token, bans, `enabled`, name card), `PATCH
//! /accounts/{id}/actions/refresh_token` and `/actions/disable`, and the block list and friends
//! (add, ask, agree, refuse; 3,000 of each) with their effect on a P2P send (102426,
//! `check_friend` 104404).
mod common;
use common::yunxin::*;
use common::{keys, sorted, T0};

use serde_json::{json, Value};

/// The configuration of a new account.
fn default_configuration() -> Value {
    json!({
        "enabled": true,
        "p2p_chat_banned": false,
        "team_chat_banned": false,
        "chatroom_chat_banned": false,
        "qchat_chat_banned": false,
        "push_enabled_when_desktop_online": false,
    })
}

/// The name card of an account created without one.
fn empty_information() -> Value {
    json!({
        "name": "", "avatar": "", "sign": "", "email": "", "birthday": "", "mobile": "",
        "gender": 0, "extension": "",
    })
}

#[tokio::test]
async fn create_lowercases_the_id_and_generates_a_token() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let data = ok(yx
        .post("/accounts", &json!({"account_id": "Carol.X@Y_z-1"}))
        .await)
    .await;
    assert_eq!(
        keys(&data),
        sorted(&["account_id", "token", "configuration", "user_information"])
    );
    assert_eq!(data["account_id"], "carol.x@y_z-1");
    assert!(is_lower_hex(&data["token"], 32), "{data}");
    assert_eq!(data["configuration"], default_configuration());
    assert_eq!(data["user_information"], empty_information());
    let got = ok(yx.get("/accounts/carol.x@y_z-1").await).await;
    assert_eq!(got["account_id"], "carol.x@y_z-1");
}

#[tokio::test]
async fn generated_tokens_differ_and_an_empty_token_is_generated() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let first = yx.create_account("carol").await;
    let body = json!({"account_id": "dave", "token": ""});
    let second = ok(yx.post("/accounts", &body).await).await;
    assert!(is_lower_hex(&second["token"], 32), "{second}");
    assert_ne!(first["token"], second["token"]);
}

#[tokio::test]
async fn create_keeps_a_given_token_and_echoes_the_user_information() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let info = json!({
        "name": "Carol", "avatar": "http://a/c.png", "sign": "hi", "email": "c@x.io",
        "birthday": "2000-01-01", "mobile": "13800000000", "gender": 2, "extension": "{\"k\":1}",
    });
    let token = "t".repeat(128);
    let body = json!({"account_id": "carol", "token": token, "user_information": info});
    let data = ok(yx.post("/accounts", &body).await).await;
    assert_eq!(data["token"], token);
    assert_eq!(data["user_information"], info);
    assert_eq!(data["configuration"], default_configuration());
}

#[tokio::test]
async fn create_applies_a_given_configuration() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let configuration = json!({"enabled": false, "p2p_chat_banned": true});
    let body = json!({"account_id": "carol", "configuration": configuration});
    let data = ok(yx.post("/accounts", &body).await).await;
    assert_eq!(data["configuration"]["enabled"], false);
    assert_eq!(data["configuration"]["p2p_chat_banned"], true);
    assert_eq!(data["configuration"]["team_chat_banned"], false);
    let got = ok(yx.get("/accounts/carol").await).await;
    assert_eq!(got["configuration"], data["configuration"]);
}

#[tokio::test]
async fn account_ids_are_1_to_32_of_letters_digits_and_underscore_at_dot_dash() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let legal = "a".repeat(32);
    assert_eq!(yx.create_account(&legal).await["account_id"], legal);
    let refused = [
        json!({"account_id": "a".repeat(33)}),
        json!({"account_id": ""}),
        json!({"account_id": "a b"}),
        json!({"account_id": "a|b"}),
        json!({"account_id": "a/b"}),
        json!({"account_id": "a#b"}),
        json!({"account_id": "名字"}),
        json!({"account_id": 12345}),
        json!({"account_id": null}),
        json!({"token": "x"}),
    ];
    for body in refused {
        assert_error(&body.to_string(), yx.post("/accounts", &body).await, 414).await;
    }
}

#[tokio::test]
async fn tokens_and_name_card_fields_over_their_length_are_parameter_errors() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let long = |n: usize| "x".repeat(n);
    let cases = [
        ("token", json!({"token": long(129)})),
        ("name", json!({"user_information": {"name": long(65)}})),
        (
            "avatar",
            json!({"user_information": {"avatar": long(1025)}}),
        ),
        ("sign", json!({"user_information": {"sign": long(257)}})),
        ("email", json!({"user_information": {"email": long(65)}})),
        (
            "birthday",
            json!({"user_information": {"birthday": long(17)}}),
        ),
        ("mobile", json!({"user_information": {"mobile": long(33)}})),
        (
            "extension",
            json!({"user_information": {"extension": long(1025)}}),
        ),
        ("gender 3", json!({"user_information": {"gender": 3}})),
        ("gender -1", json!({"user_information": {"gender": -1}})),
    ];
    for (case, mut body) in cases {
        merge(&mut body, json!({"account_id": "carol"}));
        assert_error(case, yx.post("/accounts", &body).await, 414).await;
    }
    assert_error("none made", yx.get("/accounts/carol").await, 102_404).await;
}

#[tokio::test]
async fn name_card_fields_at_their_length_are_accepted() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let long = |n: usize| "名".repeat(n);
    let info = json!({
        "name": long(64), "avatar": long(1024), "sign": long(256), "email": long(64),
        "birthday": long(16), "mobile": long(32), "gender": 1, "extension": long(1024),
    });
    let body = json!({"account_id": "carol", "user_information": info});
    let data = ok(yx.post("/accounts", &body).await).await;
    assert_eq!(data["user_information"], info);
}

#[tokio::test]
async fn a_duplicate_account_in_any_case_is_account_already_exists() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    yx.create_account("carol").await;
    for id in ["carol", "CAROL", "alice", "Bob"] {
        let resp = yx.post("/accounts", &json!({ "account_id": id })).await;
        assert_error(id, resp, 102_405).await;
    }
}

#[tokio::test]
async fn a_tenant_at_its_account_limit_refuses_more() {
    let tenants = json!([{"app_key": "small-app", "max_accounts": 3}]);
    let app = spawn_yunxin(&fixture_file(tenants)).await;
    let yx = Yx::with_key(&app, "small-app", APP_SECRET);
    yx.create_account("carol").await;
    let resp = yx.post("/accounts", &json!({"account_id": "dave"})).await;
    assert_error("fourth account", resp, 102_434).await;
    assert_error("dave not made", yx.get("/accounts/dave").await, 102_404).await;
}

#[tokio::test]
async fn get_one_shows_the_id_and_configuration_without_the_token() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let data = ok(yx.get("/accounts/alice").await).await;
    assert_eq!(
        data,
        json!({"account_id": "alice", "configuration": default_configuration()})
    );
    let upper = ok(yx.get("/accounts/ALICE").await).await;
    assert_eq!(upper["account_id"], "alice");
}

#[tokio::test]
async fn get_one_of_an_unknown_or_illegal_id_fails() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    assert_error("unknown", yx.get("/accounts/nobody").await, 102_404).await;
    let long = format!("/accounts/{}", "a".repeat(33));
    assert_error("33 chars", yx.get(&long).await, 414).await;
    assert_error("space", yx.get("/accounts/a%20b").await, 414).await;
}

#[tokio::test]
async fn get_many_lists_found_and_missing_accounts() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let data = ok(yx.get("/accounts?account_ids=alice,nobody,BOB").await).await;
    assert_eq!(keys(&data), sorted(&["success_list", "failed_list"]));
    let found: Vec<&Value> = data["success_list"].as_array().unwrap().iter().collect();
    assert_eq!(found.len(), 2, "{data}");
    assert_eq!(found[0]["account_id"], "alice");
    assert_eq!(found[1]["account_id"], "bob");
    assert_eq!(found[0]["configuration"], default_configuration());
    assert!(found[0].get("token").is_none(), "{data}");
    let failed =
        json!([{"account_id": "nobody", "error_code": 102404, "error_msg": "account not exist"}]);
    assert_eq!(data["failed_list"], failed);
}

#[tokio::test]
async fn get_many_takes_1_to_100_ids() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let ids = |n: usize| {
        (0..n)
            .map(|i| format!("u{i}"))
            .collect::<Vec<_>>()
            .join(",")
    };
    let hundred = ok(yx.get(&format!("/accounts?account_ids={}", ids(100))).await).await;
    assert_eq!(hundred["failed_list"].as_array().unwrap().len(), 100);
    let too_many = yx.get(&format!("/accounts?account_ids={}", ids(101))).await;
    assert_error("101 ids", too_many, 414).await;
    for (case, path) in [
        ("missing", "/accounts"),
        ("empty", "/accounts?account_ids="),
        ("commas", "/accounts?account_ids=,,"),
    ] {
        assert_error(case, yx.get(path).await, 414).await;
    }
}

#[tokio::test]
async fn patch_changes_the_token_and_configuration() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let body = json!({"token": "new-token", "configuration": {"p2p_chat_banned": true}});
    let data = ok(yx.patch("/accounts/alice", &body).await).await;
    assert_eq!(data["account_id"], "alice");
    assert_eq!(data["token"], "new-token");
    assert_eq!(data["configuration"]["p2p_chat_banned"], true);
    assert_eq!(data["configuration"]["enabled"], true);
    let again = ok(yx.patch("/accounts/alice", &json!({})).await).await;
    assert_eq!(again["token"], "new-token", "an empty patch keeps it");
    assert_eq!(again["configuration"]["p2p_chat_banned"], true);
}

#[tokio::test]
async fn patch_bans_and_disables_and_lifts_them() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let banned = json!({"enabled": false, "p2p_chat_banned": true, "team_chat_banned": true,
        "chatroom_chat_banned": true, "qchat_chat_banned": true, "push_enabled_when_desktop_online": true});
    yx.configure_account("bob", banned.clone()).await;
    assert_eq!(
        ok(yx.get("/accounts/bob").await).await["configuration"],
        banned
    );
    yx.configure_account("bob", json!({"enabled": true, "p2p_chat_banned": false}))
        .await;
    let c = ok(yx.get("/accounts/bob").await).await["configuration"].clone();
    assert_eq!(
        (c["enabled"].clone(), c["p2p_chat_banned"].clone()),
        (json!(true), json!(false))
    );
    assert_eq!(c["team_chat_banned"], true, "untouched flags stay");
}

#[tokio::test]
async fn patch_checks_the_user_information() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let info = json!({"user_information": {"name": "Alicia", "gender": 1}});
    let data = ok(yx.patch("/accounts/alice", &info).await).await;
    assert_eq!(data["account_id"], "alice");
    let bad = json!({"token": "changed", "user_information": {"name": "x".repeat(65)}});
    assert_error("long name", yx.patch("/accounts/alice", &bad).await, 414).await;
    let token = ok(yx.patch("/accounts/alice", &json!({})).await).await["token"].clone();
    assert_ne!(token, "changed", "a refused patch changes nothing");
}

#[tokio::test]
async fn patch_of_an_unknown_or_illegal_account_fails() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let body = json!({"token": "x"});
    assert_error(
        "unknown",
        yx.patch("/accounts/nobody", &body).await,
        102_404,
    )
    .await;
    assert_error("illegal", yx.patch("/accounts/a%7Cb", &body).await, 414).await;
    let long = json!({"token": "t".repeat(129)});
    assert_error("long token", yx.patch("/accounts/alice", &long).await, 414).await;
    let wrong = json!({"configuration": {"enabled": "no"}});
    assert_error("not a bool", yx.patch("/accounts/alice", &wrong).await, 414).await;
}

#[tokio::test]
async fn refresh_token_gives_a_new_token() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let created = yx.create_account("carol").await;
    let path = "/accounts/carol/actions/refresh_token";
    let data = ok(yx.patch(path, &json!({})).await).await;
    assert_eq!(keys(&data), sorted(&["account_id", "token"]));
    assert_eq!(data["account_id"], "carol");
    assert!(is_lower_hex(&data["token"], 32), "{data}");
    assert_ne!(data["token"], created["token"]);
    let patched = ok(yx.patch("/accounts/carol", &json!({})).await).await;
    assert_eq!(patched["token"], data["token"], "the new token is kept");
    let unknown = yx
        .patch("/accounts/nobody/actions/refresh_token", &json!({}))
        .await;
    assert_error("unknown", unknown, 102_404).await;
}

// ------------------------------------------------------------------------------------------
// Contacts

#[tokio::test]
async fn a_block_refuses_the_blocked_senders_messages_until_it_is_lifted() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    yx.block("bob", "alice").await;
    let refused = yx.send(&p2p("alice", "bob"), &text_body("hi")).await;
    assert_error("blocked", refused, 102_426).await;
    yx.send_text(&p2p("bob", "alice"), "the other way").await;
    let lift = yx
        .delete("/block_contacts/bob?contact_account_id=alice")
        .await;
    assert_eq!(ok(lift).await, json!({}));
    yx.send_text(&p2p("alice", "bob"), "hi again").await;
}

#[tokio::test]
async fn block_contacts_checks_both_accounts() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let cases = [
        (json!({"account_id": "bob"}), 414),
        (json!({"contact_account_id": "bob"}), 414),
        (
            json!({"account_id": "bob", "contact_account_id": "BOB"}),
            414,
        ),
        (
            json!({"account_id": "bob", "contact_account_id": "a b"}),
            414,
        ),
        (
            json!({"account_id": "bob", "contact_account_id": "nobody"}),
            102_404,
        ),
        (
            json!({"account_id": "nobody", "contact_account_id": "bob"}),
            102_404,
        ),
    ];
    for (body, code) in cases {
        let resp = yx.post("/block_contacts", &body).await;
        assert_error(&body.to_string(), resp, code).await;
    }
    let no_contact = yx.delete("/block_contacts/bob").await;
    assert_error("unblock without contact", no_contact, 414).await;
    let unknown = yx
        .delete("/block_contacts/bob?contact_account_id=nobody")
        .await;
    assert_error("unblock unknown", unknown, 102_404).await;
}

#[tokio::test]
async fn check_friend_refuses_strangers_and_lets_friends_through() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let mut body = text_body("hi");
    merge(&mut body, json!({"p2p_option": {"check_friend": true}}));
    let cid = p2p("alice", "bob");
    assert_error("strangers", yx.send(&cid, &body).await, 104_404).await;
    let unchecked = json!({"p2p_option": {"check_friend": false}, "message": body["message"]});
    ok(yx.send(&cid, &unchecked).await).await;
    yx.befriend("alice", "bob").await;
    ok(yx.send(&cid, &body).await).await;
    ok(yx.send(&p2p("bob", "alice"), &body).await).await;
}

#[tokio::test]
async fn friends_needs_two_distinct_existing_accounts() {
    let app = pinned().await;
    let yx = Yx::new(&app).under("/im/v2.1");
    let cases = [
        (json!({"account_id": "alice"}), 414),
        (
            json!({"account_id": "alice", "friend_account_id": "alice"}),
            414,
        ),
        (
            json!({"account_id": "alice", "friend_account_id": "nobody"}),
            102_404,
        ),
        (
            json!({"account_id": "alice", "friend_account_id": "bob", "type": 5}),
            414,
        ),
        (
            json!({"account_id": "alice", "friend_account_id": "bob", "type": 0}),
            414,
        ),
    ];
    for (body, code) in cases {
        let resp = yx.post("/friends", &body).await;
        assert_error(&body.to_string(), resp, code).await;
    }
    let bad_query = yx
        .post(
            "/friends?type=x",
            &json!({"account_id": "alice", "friend_account_id": "bob"}),
        )
        .await;
    assert_error("type=x", bad_query, 414).await;
}

#[tokio::test]
async fn adding_a_friend_answers_the_friend_as_the_sdks_read_it() {
    let app = pinned().await;
    let yx = Yx::new(&app).under("/im/v2.1");
    let body = json!({"account_id": "alice", "friend_account_id": "BOB", "alias": "B",
        "extension": "e", "customer_extension": "c"});
    let data = ok(yx.post("/friends", &body).await).await;
    let expected = json!({"friend_account_id": "bob", "alias": "B", "extension": "e",
        "customer_extension": "c"});
    assert_eq!(data, expected);
    let plain = json!({"account_id": "alice", "friend_account_id": "bob"});
    let data = ok(yx.post("/friends", &plain).await).await;
    assert_eq!(data["alias"], "", "{data}");
}

/// A P2P text `from` → `to` with `check_friend`; the answer's code.
async fn checked_send(yx: &Yx<'_>, from: &str, to: &str) -> Value {
    let mut body = text_body("hi");
    merge(&mut body, json!({"p2p_option": {"check_friend": true}}));
    let answer = read(yx.send(&p2p(from, to), &body).await).await;
    envelope("checked send", &answer, 200)["code"].clone()
}

#[tokio::test]
async fn a_friend_request_makes_friends_once_agreed() {
    let app = pinned().await;
    let yx = Yx::new(&app).under("/im/v2.1");
    let ask = json!({"account_id": "alice", "friend_account_id": "bob", "type": 2});
    ok(yx.post("/friends", &ask).await).await;
    assert_eq!(
        checked_send(&yx, "alice", "bob").await,
        104_404,
        "asked only"
    );
    let agree = json!({"account_id": "bob", "friend_account_id": "alice"});
    ok(yx.post("/friends?type=3", &agree).await).await;
    assert_eq!(checked_send(&yx, "alice", "bob").await, 200);
    assert_eq!(checked_send(&yx, "bob", "alice").await, 200);
}

#[tokio::test]
async fn a_refused_friend_request_makes_no_friends() {
    let app = pinned().await;
    let yx = Yx::new(&app).under("/im/v2.1");
    let ask = json!({"account_id": "alice", "friend_account_id": "bob", "type": 2});
    ok(yx.post("/friends", &ask).await).await;
    let refuse = json!({"account_id": "bob", "friend_account_id": "alice", "type": 4});
    ok(yx.post("/friends", &refuse).await).await;
    assert_eq!(checked_send(&yx, "alice", "bob").await, 104_404);
    assert_eq!(checked_send(&yx, "bob", "alice").await, 104_404);
}

/// A fixture app `big-app` with alice, bob and `n` more accounts `u0`, `u1`...
fn crowded_fixture(n: usize) -> Value {
    let mut accounts = vec![json!({"account_id": "alice"}), json!({"account_id": "bob"})];
    accounts.extend((0..n).map(|i| json!({ "account_id": format!("u{i}") })));
    json!({"defaults": {"accounts": accounts}, "tenants": [{"app_key": "big-app"}]})
}

#[tokio::test]
async fn a_block_list_holds_at_most_3000_accounts() {
    let app = spawn_yunxin(&crowded_fixture(3000)).await;
    let yx = Yx::with_key(&app, "big-app", APP_SECRET).at(T0 / 1000);
    for i in 0..3000 {
        yx.block("alice", &format!("u{i}")).await;
    }
    let body = json!({"account_id": "alice", "contact_account_id": "bob"});
    let resp = yx.post("/block_contacts", &body).await;
    assert_exact_error(
        "3001st",
        &read(resp).await,
        200,
        106_434,
        "limit of block list exceeded",
    );
    yx.send_text(&p2p("bob", "alice"), "not blocked").await;
}

#[tokio::test]
async fn an_account_has_at_most_3000_friends() {
    let app = spawn_yunxin(&crowded_fixture(3000)).await;
    let yx = Yx::with_key(&app, "big-app", APP_SECRET).at(T0 / 1000);
    for i in 0..3000 {
        yx.befriend("alice", &format!("u{i}")).await;
    }
    let body = json!({"account_id": "bob", "friend_account_id": "alice"});
    let resp = yx.post("/friends", &body).await;
    assert_exact_error(
        "3001st",
        &read(resp).await,
        200,
        104_434,
        "limit of friends exceeded",
    );
    assert_eq!(
        checked_send(&yx, "bob", "alice").await,
        104_404,
        "neither side changed"
    );
    ok(yx
        .post(
            "/friends",
            &json!({"account_id": "alice", "friend_account_id": "u0"}),
        )
        .await)
    .await;
}

#[tokio::test]
async fn disable_turns_an_account_off_and_on() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let path = "/accounts/bob/actions/disable";
    let data = ok(yx.patch(path, &json!({"enabled": false})).await).await;
    assert_eq!(data["account_id"], "bob");
    assert_eq!(data["configuration"]["enabled"], false);
    assert_error(
        "disabled",
        yx.send(&p2p("bob", "alice"), &text_body("x")).await,
        102_422,
    )
    .await;
    let data = ok(yx.patch(path, &json!({"enabled": true})).await).await;
    assert_eq!(data["configuration"]["enabled"], true);
    yx.send_text(&p2p("bob", "alice"), "back").await;
}

#[tokio::test]
async fn disable_needs_enabled_and_a_known_account() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let cases = [
        ("/accounts/bob/actions/disable", json!({}), 414),
        (
            "/accounts/bob/actions/disable",
            json!({"enabled": "no"}),
            414,
        ),
        (
            "/accounts/nobody/actions/disable",
            json!({"enabled": false}),
            102_404,
        ),
        (
            "/accounts/a%20b/actions/disable",
            json!({"enabled": false}),
            414,
        ),
    ];
    for (path, body, code) in cases {
        assert_error(&format!("{path} {body}"), yx.patch(path, &body).await, code).await;
    }
}

#[tokio::test]
async fn check_friend_lets_an_account_write_to_itself() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let mut body = text_body("note to self");
    merge(&mut body, json!({"p2p_option": {"check_friend": true}}));
    let data = ok(yx.send(&p2p("alice", "alice"), &body).await).await;
    assert_eq!(data["receiver_id"], "alice");
}
