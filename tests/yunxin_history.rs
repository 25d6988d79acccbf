//! Black-box tests of Yunxin's history, single-message and recall routes (contract §5, §9
//! points 9–10): `GET /conversations/{cid}/messages` (required `begin_time`, `end_time`,
//! `limit` 1..100, paging with `page_token`/`next_token`/`has_more`, `descending`,
//! `message_type`, `include_no_sense_msg`, the item shapes of P2P and team messages, both P2P
//! directions sharing one history), `GET /conversations/{cid}/messages/{id}` and `DELETE
//! /conversations/{cid}/messages/{id}?type=` (two-way recall within the recall window, one-way
//! recall and delete within 30 days, who may, super team limits, the journal's `recalled`),
//! `DELETE /conversations/{cid}/messages?type=` (clearing), the tenant's `max_messages` and
//! `descending_is_newest_first`; and `batch_messages`.
mod common;
use common::yunxin::*;
use common::*;

use serde_json::{json, Value};

/// Thirty days in milliseconds.
const THIRTY_DAYS_MS: i64 = 30 * 24 * 3600 * 1000;

/// Sends `n` texts `m0`, `m1`... in `cid`; their server IDs.
async fn send_n(yx: &Yx<'_>, cid: &str, n: usize) -> Vec<u64> {
    let mut ids = Vec::new();
    for i in 0..n {
        ids.push(yx.send_id(cid, &format!("m{i}")).await);
    }
    ids
}

/// The texts of `items`.
fn texts(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|m| m["text"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// One page of `cid`'s history for `query`: (texts, has_more, next_token).
async fn page(yx: &Yx<'_>, cid: &str, query: &str) -> (Vec<String>, bool, String) {
    let data = ok(yx.history(cid, query).await).await;
    assert_eq!(
        keys(&data),
        sorted(&["items", "has_more", "next_token"]),
        "{data}"
    );
    let items = data["items"].as_array().unwrap();
    let token = data["next_token"]
        .as_str()
        .expect("next_token a string")
        .to_owned();
    (
        texts(items),
        data["has_more"].as_bool().expect("a bool"),
        token,
    )
}

#[tokio::test]
async fn begin_end_and_limit_are_required_and_checked() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let cid = p2p("alice", "bob");
    let queries = [
        "end_time=10&limit=10",
        "begin_time=0&limit=10",
        "begin_time=0&end_time=10",
        "begin_time=0&end_time=10&limit=0",
        "begin_time=0&end_time=10&limit=101",
        "begin_time=0&end_time=10&limit=-1",
        "begin_time=0&end_time=10&limit=x",
        "begin_time=11&end_time=10&limit=10",
        "begin_time=a&end_time=10&limit=10",
        "begin_time=0&end_time=10&limit=10&descending=yes",
        "begin_time=0&end_time=10&limit=10&page_token=abc",
        "begin_time=0&end_time=10&limit=10&message_type=text",
        "begin_time=0&end_time=10&limit=10&include_no_sense_msg=2",
        "begin_time=0&end_time=10&limit=10&check_team_valid=no",
    ];
    for query in queries {
        assert_error(query, yx.history(&cid, query).await, 414).await;
    }
    for query in [
        "begin_time=10&end_time=10&limit=1",
        "begin_time=0&end_time=10&limit=100",
    ] {
        assert_eq!(
            page(&yx, &cid, query).await,
            (vec![], false, String::new()),
            "{query}"
        );
    }
}

#[tokio::test]
async fn pages_follow_next_token_oldest_first() {
    let app = pinned().await;
    let yx = Yx::new(&app).under("/im/v2.1");
    let cid = p2p("alice", "bob");
    let ids = send_n(&yx, &cid, 5).await;
    let base = format!("begin_time=0&end_time={FAR}&limit=2");
    let (first, more, token) = page(&yx, &cid, &base).await;
    assert_eq!(
        (first, more),
        (vec!["m0".to_owned(), "m1".to_owned()], true)
    );
    assert_eq!(token, ids[1].to_string());
    let (second, more, token) = page(&yx, &cid, &format!("{base}&page_token={token}")).await;
    assert_eq!(
        (second, more),
        (vec!["m2".to_owned(), "m3".to_owned()], true)
    );
    let (last, more, token) = page(&yx, &cid, &format!("{base}&page_token={token}")).await;
    assert_eq!(
        (last, more, token),
        (vec!["m4".to_owned()], false, String::new())
    );
}

#[tokio::test]
async fn descending_pages_newest_first() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let cid = p2p("alice", "bob");
    send_n(&yx, &cid, 3).await;
    let base = format!("begin_time=0&end_time={FAR}&limit=2&descending=true");
    let (first, more, token) = page(&yx, &cid, &base).await;
    assert_eq!(
        (first, more),
        (vec!["m2".to_owned(), "m1".to_owned()], true)
    );
    let (rest, more, _) = page(&yx, &cid, &format!("{base}&page_token={token}")).await;
    assert_eq!((rest, more), (vec!["m0".to_owned()], false));
    let ascending = format!("begin_time=0&end_time={FAR}&limit=5&descending=false");
    assert_eq!(page(&yx, &cid, &ascending).await.0, ["m0", "m1", "m2"]);
    let one = format!("begin_time=0&end_time={FAR}&limit=5&descending=1");
    assert_eq!(page(&yx, &cid, &one).await.0, ["m2", "m1", "m0"]);
}

#[tokio::test]
async fn a_tenant_may_read_descending_true_as_oldest_first() {
    let tenants = json!([{"app_key": "doc-app", "descending_is_newest_first": false}]);
    let app = spawn_yunxin(&fixture_file(tenants)).await;
    let yx = Yx::with_key(&app, "doc-app", APP_SECRET);
    let cid = p2p("alice", "bob");
    send_n(&yx, &cid, 3).await;
    let query = |d: &str| format!("begin_time=0&end_time={FAR}&limit=5&descending={d}");
    assert_eq!(page(&yx, &cid, &query("true")).await.0, ["m0", "m1", "m2"]);
    assert_eq!(page(&yx, &cid, &query("false")).await.0, ["m2", "m1", "m0"]);
    let base = format!("begin_time=0&end_time={FAR}&limit=5");
    assert_eq!(
        page(&yx, &cid, &base).await.0,
        ["m2", "m1", "m0"],
        "absent is false"
    );
}

#[tokio::test]
async fn the_time_range_includes_both_ends() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let cid = p2p("alice", "bob");
    for i in 0..3 {
        yx.send_text(&cid, &format!("at {i}s")).await;
        app.advance_clock(1_000).await;
    }
    let query = |b: i64, e: i64| format!("begin_time={b}&end_time={e}&limit=10");
    assert_eq!(
        page(&yx, &cid, &query(T0 + 1_000, T0 + 2_000)).await.0,
        ["at 1s", "at 2s"]
    );
    assert_eq!(
        page(&yx, &cid, &query(T0 + 1, T0 + 999)).await.0,
        Vec::<String>::new()
    );
    assert_eq!(page(&yx, &cid, &query(T0, T0)).await.0, ["at 0s"]);
}

#[tokio::test]
async fn message_type_filters_by_a_comma_list() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let cid = p2p("alice", "bob");
    yx.send_text(&cid, "text").await;
    let custom = message_body(json!({"message_type": 100, "attachment": {"k": 1}}));
    ok(yx.send(&cid, &custom).await).await;
    let tip = message_body(json!({"message_type": 10, "text": "tip"}));
    ok(yx.send(&cid, &tip).await).await;
    let types = |items: Vec<Value>| {
        items
            .iter()
            .map(|m| m["message_type"].clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        types(yx.history_items(&cid, "&message_type=100").await),
        [json!(100)]
    );
    let two = yx.history_items(&cid, "&message_type=0,10").await;
    assert_eq!(types(two), [json!(0), json!(10)]);
    assert_eq!(yx.history_items(&cid, "&message_type=1").await.len(), 0);
}

#[tokio::test]
async fn no_sense_messages_show_only_when_asked() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let cid = p2p("alice", "bob");
    yx.send_text(&cid, "plain").await;
    let mut quiet = text_body("quiet");
    merge(&mut quiet, json!({"receiver_no_sense": true}));
    ok(yx.send(&cid, &quiet).await).await;
    assert_eq!(texts(&yx.history_items(&cid, "").await), ["plain"]);
    let all = yx.history_items(&cid, "&include_no_sense_msg=true").await;
    assert_eq!(texts(&all), ["plain", "quiet"]);
    let off = yx.history_items(&cid, "&include_no_sense_msg=false").await;
    assert_eq!(texts(&off), ["plain"]);
    let one = yx.history_items(&cid, "&include_no_sense_msg=1").await;
    assert_eq!(texts(&one), ["plain", "quiet"], "1 as the SDKs send true");
    let zero = yx.history_items(&cid, "&include_no_sense_msg=0").await;
    assert_eq!(texts(&zero), ["plain"]);
}

#[tokio::test]
async fn both_p2p_directions_share_one_history() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    yx.send_text(&p2p("alice", "bob"), "from alice").await;
    yx.send_text(&p2p("bob", "alice"), "from bob").await;
    for cid in [
        p2p("alice", "bob"),
        p2p("bob", "alice"),
        p2p("BOB", "Alice"),
    ] {
        let items = yx.history_items(&cid, "").await;
        assert_eq!(texts(&items), ["from alice", "from bob"], "{cid}");
        assert_eq!(items[1]["sender_id"], "bob");
        assert_eq!(items[1]["receiver_id"], "alice");
    }
    assert!(yx
        .history_items(&p2p("alice", "alice"), "")
        .await
        .is_empty());
}

#[tokio::test]
async fn a_p2p_item_has_receiver_id_and_no_team_id() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let cid = p2p("alice", "bob");
    let mut body = message_body(
        json!({"message_type": 100, "sub_type": 2, "text": "d", "attachment": {"k": [1]}}),
    );
    merge(&mut body, json!({"extension": "ext"}));
    let sent = ok(yx.send(&cid, &body).await).await;
    let item = &yx.history_items(&cid, "").await[0];
    let expected = [
        "message_server_id",
        "message_client_id",
        "conversation_type",
        "sender_id",
        "receiver_id",
        "message_type",
        "sub_type",
        "create_time",
        "sender_client_type",
        "text",
        "attachment",
        "extension",
    ];
    assert_eq!(keys(item), sorted(&expected));
    for field in [
        "message_server_id",
        "message_client_id",
        "receiver_id",
        "create_time",
    ] {
        assert_eq!(item[field], sent[field], "{field}");
    }
    assert_eq!(item["sender_client_type"], 32);
    assert_eq!(item["attachment"], json!({"k": [1]}));
    assert_eq!(item["extension"], "ext");
}

#[tokio::test]
async fn a_team_item_has_a_numeric_team_id_and_no_receiver_id() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let team = yx.create_team("alice", ADVANCED, &["bob"]).await;
    let super_team = yx.create_team("alice", SUPER, &["bob"]).await;
    for (cid, kind) in [
        (team_cid("bob", team), 2),
        (super_cid("bob", super_team), 3),
    ] {
        yx.send_text(&cid, "to the team").await;
        let items = yx.history_items(&cid, "").await;
        let item = &items[0];
        assert!(item["team_id"].is_u64(), "{item}");
        assert_eq!(item["team_id"].to_string(), cid.rsplit('|').next().unwrap());
        assert!(item.get("receiver_id").is_none(), "{item}");
        assert_eq!(item["conversation_type"], kind);
        assert_eq!(item["sender_client_type"], 32);
        assert_eq!(item["sender_id"], "bob");
        let owners = yx.history_items(&cid.replacen("bob", "alice", 1), "").await;
        assert_eq!(owners.len(), 1, "every member reads the same team history");
    }
}

#[tokio::test]
async fn history_checks_the_conversations_accounts_and_team() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let range = format!("begin_time=0&end_time={FAR}&limit=10");
    let cases = [
        (p2p("ghost", "bob"), "", 102_404),
        (p2p("alice", "ghost"), "", 102_404),
        (team_cid("alice", 424_242), "", 108_404),
        ("alice|9|bob".to_owned(), "", 414),
    ];
    for (cid, extra, code) in cases {
        assert_error(
            &cid,
            yx.history(&cid, &format!("{range}{extra}")).await,
            code,
        )
        .await;
    }
    let unchecked = format!("{range}&check_team_valid=false");
    let (items, more, _) = page(&yx, &team_cid("alice", 424_242), &unchecked).await;
    assert_eq!((items.len(), more), (0, false));
}

// ------------------------------------------------------------------------------------------
// One message

#[tokio::test]
async fn one_message_is_read_with_its_conversation_id() {
    let app = pinned().await;
    let yx = Yx::new(&app).under("/im/v2.1");
    let sent = yx.send_text(&p2p("alice", "bob"), "hello").await;
    let id = sent["message_server_id"].as_u64().unwrap();
    let data = ok(yx.get_message(&p2p("bob", "alice"), id).await).await;
    assert_eq!(data["conversation_id"], "alice|1|bob");
    assert_eq!(data["message_server_id"], id);
    assert_eq!(data["text"], "hello");
    assert_eq!(data["receiver_id"], "bob");
    assert_eq!(data["sender_client_type"], 32);
    let team = yx.create_team("alice", ADVANCED, &[]).await;
    let in_team = yx.send_id(&team_cid("alice", team), "t").await;
    let data = ok(yx.get_message(&team_cid("alice", team), in_team).await).await;
    assert_eq!(data["conversation_id"], format!("alice|2|{team}"));
    assert_eq!(data["team_id"], team);
}

#[tokio::test]
async fn an_unknown_or_malformed_message_id_fails() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    yx.create_account("carol").await;
    let id = yx.send_id(&p2p("alice", "bob"), "hello").await;
    assert_error(
        "unknown",
        yx.get_message(&p2p("alice", "bob"), id + 1).await,
        107_404,
    )
    .await;
    assert_error(
        "other conversation",
        yx.get_message(&p2p("alice", "carol"), id).await,
        107_404,
    )
    .await;
    let path = format!("{}/abc", messages_path(&p2p("alice", "bob")));
    assert_error("not a number", yx.get(&path).await, 414).await;
    assert_error(
        "unknown sender",
        yx.get_message(&p2p("ghost", "bob"), id).await,
        102_404,
    )
    .await;
}

// ------------------------------------------------------------------------------------------
// Recall and delete

/// The journal record of message `id`.
async fn journalled(app: &TestApp, id: u64) -> Value {
    let journal = app.journal("provider=yunxin").await;
    let records = journal["messages"].as_array().unwrap();
    let found = records.iter().find(|r| r["id"] == id);
    found.unwrap_or_else(|| panic!("{id} in {journal}")).clone()
}

#[tokio::test]
async fn a_two_way_recall_within_the_window_takes_the_message_back() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let cid = p2p("alice", "bob");
    let id = yx.send_id(&cid, "oops").await;
    yx.send_text(&cid, "kept").await;
    assert_eq!(ok(yx.recall(&cid, id, "type=2").await).await, json!({}));
    assert_eq!(texts(&yx.history_items(&cid, "").await), ["kept"]);
    assert_error("get one", yx.get_message(&cid, id).await, 107_404).await;
    assert_eq!(journalled(&app, id).await["recalled"], true);
    assert_error("again", yx.recall(&cid, id, "type=2").await, 107_404).await;
}

#[tokio::test]
async fn a_two_way_recall_after_120_seconds_needs_ignore_revoke_time() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let cid = p2p("alice", "bob");
    let edge = yx.send_id(&cid, "edge").await;
    let late = yx.send_id(&cid, "late").await;
    app.advance_clock(RECALL_WINDOW_MS).await;
    ok(yx.recall(&cid, edge, "type=2").await).await;
    app.advance_clock(1).await;
    assert_error("late", yx.recall(&cid, late, "type=2").await, 107_314).await;
    let no = yx
        .recall(&cid, late, "type=2&ignore_revoke_time=false")
        .await;
    assert_error("not ignored", no, 107_314).await;
    ok(yx
        .recall(&cid, late, "type=2&ignore_revoke_time=true")
        .await)
    .await;
    assert!(yx.history_items(&cid, "").await.is_empty());
}

#[tokio::test]
async fn one_way_recall_and_delete_work_for_30_days() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let cid = p2p("alice", "bob");
    let ids = send_n(&yx, &cid, 4).await;
    app.advance_clock(THIRTY_DAYS_MS).await;
    ok(yx.recall(&cid, ids[0], "type=1").await).await;
    ok(yx.recall(&cid, ids[1], "type=3").await).await;
    assert_eq!(journalled(&app, ids[0]).await["recalled"], true, "a recall");
    assert_eq!(
        journalled(&app, ids[1]).await["recalled"],
        false,
        "a delete"
    );
    app.advance_clock(1).await;
    assert_error(
        "type 1 late",
        yx.recall(&cid, ids[2], "type=1").await,
        107_314,
    )
    .await;
    assert_error(
        "type 3 late",
        yx.recall(&cid, ids[3], "type=3").await,
        107_314,
    )
    .await;
    assert_eq!(texts(&yx.history_items(&cid, "").await), ["m2", "m3"]);
}

#[tokio::test]
async fn only_the_sender_may_recall_a_p2p_message() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let id = yx.send_id(&p2p("alice", "bob"), "mine").await;
    for kind in [1, 2, 3] {
        let resp = yx
            .recall(&p2p("bob", "alice"), id, &format!("type={kind}"))
            .await;
        assert_error(&format!("type {kind}"), resp, 107_303).await;
    }
    ok(yx.recall(&p2p("alice", "bob"), id, "type=2").await).await;
}

#[tokio::test]
async fn the_team_owner_and_managers_may_recall_members_messages() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    yx.create_account("carol").await;
    let team = yx.create_team("alice", ADVANCED, &["bob", "carol"]).await;
    ok(yx.add_managers(team, ADVANCED, "alice", &["carol"]).await).await;
    let ids = send_n(&yx, &team_cid("bob", team), 2).await;
    ok(yx.recall(&team_cid("alice", team), ids[0], "type=2").await).await;
    ok(yx.recall(&team_cid("carol", team), ids[1], "type=1").await).await;
    let owners = yx.send_id(&team_cid("alice", team), "owner's").await;
    let resp = yx.recall(&team_cid("bob", team), owners, "type=2").await;
    assert_error("a member recalls the owner's", resp, 107_303).await;
    assert_eq!(
        texts(&yx.history_items(&team_cid("bob", team), "").await),
        ["owner's"]
    );
}

#[tokio::test]
async fn the_recall_type_is_required_and_only_two_way_works_on_super_teams() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let team = yx.create_team("alice", SUPER, &[]).await;
    let cid = super_cid("alice", team);
    let id = yx.send_id(&cid, "x").await;
    for query in [
        "", "type=", "type=0", "type=4", "type=x", "type=1", "type=3",
    ] {
        assert_error(query, yx.recall(&cid, id, query).await, 414).await;
    }
    let bad_ignore = yx.recall(&cid, id, "type=2&ignore_revoke_time=maybe").await;
    assert_error("ignore_revoke_time=maybe", bad_ignore, 414).await;
    ok(yx.recall(&cid, id, "type=2").await).await;
}

#[tokio::test]
async fn a_recall_checks_the_conversation_and_message() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let id = yx.send_id(&p2p("alice", "bob"), "x").await;
    let cases = [
        (p2p("alice", "bob"), id + 1, 107_404),
        (p2p("ghost", "bob"), id, 102_404),
        (team_cid("alice", 777), id, 108_404),
    ];
    for (cid, message, code) in cases {
        assert_error(&cid, yx.recall(&cid, message, "type=2").await, code).await;
    }
    let path = format!("{}/abc?type=2", messages_path(&p2p("alice", "bob")));
    assert_error("not a number", yx.delete(&path).await, 414).await;
}

#[tokio::test]
async fn past_max_messages_the_oldest_are_evicted() {
    let tenants = json!([{"app_key": "small-app", "max_messages": 2}]);
    let app = spawn_yunxin(&fixture_file(tenants)).await;
    let yx = Yx::with_key(&app, "small-app", APP_SECRET);
    let cid = p2p("alice", "bob");
    let ids = send_n(&yx, &cid, 3).await;
    assert_eq!(texts(&yx.history_items(&cid, "").await), ["m1", "m2"]);
    assert_error("evicted", yx.get_message(&cid, ids[0]).await, 107_404).await;
}

// ------------------------------------------------------------------------------------------
// Clearing a conversation

/// `DELETE /conversations/{cid}/messages?{query}`.
async fn clear(yx: &Yx<'_>, cid: &str, query: &str) -> reqwest::Response {
    yx.delete(&format!("{}?{query}", messages_path(cid))).await
}

#[tokio::test]
async fn clearing_history_or_both_empties_the_conversation_and_roaming_alone_does_not() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let cid = p2p("alice", "bob");
    send_n(&yx, &cid, 2).await;
    assert_eq!(ok(clear(&yx, &cid, "type=1").await).await, json!({}));
    assert_eq!(yx.history_items(&cid, "").await.len(), 2, "roaming only");
    assert_eq!(
        ok(clear(&yx, &p2p("bob", "alice"), "type=2").await).await,
        json!({})
    );
    assert!(yx.history_items(&cid, "").await.is_empty());
    yx.send_text(&cid, "after").await;
    ok(clear(&yx, &cid, "type=3").await).await;
    assert!(yx.history_items(&cid, "").await.is_empty());
    let team = yx.create_team("alice", ADVANCED, &[]).await;
    yx.send_text(&team_cid("alice", team), "t").await;
    ok(clear(&yx, &team_cid("alice", team), "type=3").await).await;
    assert!(yx
        .history_items(&team_cid("alice", team), "")
        .await
        .is_empty());
}

#[tokio::test]
async fn a_cleared_conversation_keeps_its_client_ids_used() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let cid = p2p("alice", "bob");
    let body = message_body(json!({"message_type": 0, "text": "x", "message_client_id": "once"}));
    ok(yx.send(&cid, &body).await).await;
    ok(clear(&yx, &cid, "type=3").await).await;
    assert_error("reused", yx.send(&cid, &body).await, 107_306).await;
}

#[tokio::test]
async fn clearing_checks_the_type_and_the_conversation() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let cid = p2p("alice", "bob");
    for query in ["", "type=0", "type=4", "type=x"] {
        assert_error(query, clear(&yx, &cid, query).await, 414).await;
    }
    let cases = [
        (p2p("ghost", "bob"), 102_404),
        (team_cid("alice", 777), 108_404),
        ("alice|7|bob".to_owned(), 414),
    ];
    for (cid, code) in cases {
        assert_error(&cid, clear(&yx, &cid, "type=3").await, code).await;
    }
}

// ------------------------------------------------------------------------------------------
// Contract routes the emulator does not serve yet

#[tokio::test]
async fn batch_messages_reads_messages_by_id() {
    let app = pinned().await;
    let yx = Yx::new(&app).under("/im/v2.1");
    let cid = p2p("alice", "bob");
    let id = yx.send_id(&cid, "hello").await;
    let path = format!("/conversations/{}/batch_messages", cid.replace('|', "%7C"));
    let body = json!({"messages": [{"message_server_id": id, "create_time": T0},
        {"message_server_id": id + 1, "create_time": T0}]});
    let data = ok(yx.post(&path, &body).await).await;
    assert_eq!(data["success_list"][0]["message_server_id"], id);
    assert_eq!(data["failed_list"][0]["message_server_id"], id + 1);
    assert_eq!(data["failed_list"][0]["error_code"], 107_404);
}

#[tokio::test]
async fn batch_messages_refuses_empty_oversized_and_incomplete_lists() {
    let app = pinned().await;
    let yx = Yx::new(&app).under("/im/v2.1");
    let cid = p2p("alice", "bob");
    let id = yx.send_id(&cid, "hello").await;
    let path = format!("/conversations/{}/batch_messages", cid.replace('|', "%7C"));
    let one = json!({"message_server_id": id, "create_time": T0});
    let bodies = [
        json!({}),
        json!({"messages": []}),
        json!({"messages": vec![one.clone(); 101]}),
        json!({"messages": [{"message_server_id": id}]}),
    ];
    for body in bodies {
        assert_error(&body.to_string(), yx.post(&path, &body).await, 414).await;
    }
    let data = ok(yx.post(&path, &json!({"messages": [one]})).await).await;
    assert_eq!(data["success_list"][0]["text"], "hello");
    assert_eq!(data["failed_list"], json!([]));
}
