//! Black-box tests of `/msg/search_msg` and `/msg/revoke_msg` (contract §6, §7): search
//! filters, pages and the chat-log shape; revoking as an admin, a sender or a group's
//! owner, the 2101 message pulled afterwards, `isRevoked`, and the journal's `recalled`.
mod common;
use common::openim::*;
use common::*;

use serde_json::{json, Value};
use std::collections::HashMap;

/// 2024-07-01T00:00:00Z in milliseconds.
const JULY_1: i64 = 1_719_792_000_000;

/// A server with its clock pinned at `T0`, and an admin token.
async fn pinned() -> (TestApp, String) {
    let app = spawn_app().await;
    app.set_clock(T0).await;
    let token = Im::new(&app).admin_token().await;
    (app, token)
}

/// `body` with `sendTime` set.
fn at(mut body: Value, send_time: i64) -> Value {
    body["sendTime"] = json!(send_time);
    body
}

/// Sends `(name, body)` pairs in order; the serverMsgID of each name.
async fn send_all(
    im: &Im<'_>,
    token: &str,
    bodies: Vec<(&'static str, Value)>,
) -> HashMap<&'static str, Value> {
    let mut ids = HashMap::new();
    for (name, body) in bodies {
        ids.insert(name, im.send_ok(token, &body).await["serverMsgID"].clone());
    }
    ids
}

/// The names of the logs of a search answer, in order.
fn found(data: &Value, ids: &HashMap<&'static str, Value>) -> Vec<&'static str> {
    let Some(logs) = data["chatLogs"].as_array() else {
        return Vec::new();
    };
    logs.iter()
        .map(|log| {
            let id = &log["chatLog"]["serverMsgID"];
            *ids.iter()
                .find(|(_, v)| *v == id)
                .map(|(k, _)| k)
                .expect("a sent message")
        })
        .collect()
}

/// A search body with `filters` over one page of 20.
fn search(filters: Value) -> Value {
    let mut body = json!({"pagination": {"pageNumber": 1, "showNumber": 20}});
    body.as_object_mut()
        .unwrap()
        .extend(filters.as_object().unwrap().clone());
    body
}

/// The `detail` of a 2101 message's content, decoded.
fn revoked_detail(msg: &Value) -> Value {
    assert_eq!(msg["contentType"], 2101, "{msg}");
    let content: Value = serde_json::from_str(&unbase64(&msg["content"])).unwrap();
    assert_eq!(keys(&content), sorted(&["detail"]), "{content}");
    serde_json::from_str(content["detail"].as_str().unwrap()).unwrap()
}

/// A group g1 owned by alice with bob as admin and carol and dave as members.
async fn staffed_group(im: &Im<'_>, admin: &str) {
    im.register(admin, &[("carol", "Carol"), ("dave", "Dave")])
        .await;
    let body = json!({"ownerUserID": "alice", "adminUserIDs": ["bob"], "memberUserIDs": ["carol", "dave"],
        "groupInfo": {"groupID": "g1", "groupName": "G", "groupType": 2}});
    ok_data(im.post("/group/create_group", Some(admin), &body).await).await;
}

// ------------------------------------------------------------------------------------------
// search_msg

/// Four chat messages on two days, and a notification never searched.
fn dated_messages() -> Vec<(&'static str, Value)> {
    let mut custom = message("bob", "alice", 110, json!({"data": "d"}));
    custom["sendTime"] = json!(JULY_1 + 86_400_000);
    let oa = json!({"notificationName": "n", "notificationType": 1, "text": "t"});
    vec![
        ("m1", at(text(ADMIN, "alice", "m1"), JULY_1 + 36_000_000)),
        ("m2", custom),
        (
            "m3",
            at(group_text("alice", "g1", "m3"), JULY_1 + 86_399_999),
        ),
        ("m4", at(text(ADMIN, "bob", "m4"), JULY_1 - 1)),
        ("oa", at(message(ADMIN, "alice", 1400, oa), JULY_1 + 1)),
    ]
}

#[tokio::test]
async fn search_msg_filters_by_sender_receiver_type_session_and_utc_day() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    im.create_group(&admin, "g1", "alice", &["bob"]).await;
    let ids = send_all(&im, &admin, dated_messages()).await;
    let bob = im.user_token(&admin, "bob", 1).await;
    // (case, filters, found)
    let cases = [
        ("no filter", json!({}), vec!["m1", "m2", "m3", "m4"]),
        (
            "empty filters",
            json!({"sendID": "", "recvID": "", "contentType": 0, "sessionType": 0, "sendTime": ""}),
            vec!["m1", "m2", "m3", "m4"],
        ),
        ("a sender", json!({"sendID": "bob"}), vec!["m2"]),
        ("a receiver", json!({"recvID": "alice"}), vec!["m1", "m2"]),
        ("a group as receiver", json!({"recvID": "g1"}), vec!["m3"]),
        ("a content type", json!({"contentType": 110}), vec!["m2"]),
        ("group chats", json!({"sessionType": 3}), vec!["m3"]),
        (
            "notifications are never searched",
            json!({"sessionType": 4}),
            vec![],
        ),
        (
            "a UTC day",
            json!({"sendTime": "2024-07-01"}),
            vec!["m1", "m3"],
        ),
        (
            "a sender on a day",
            json!({"sendID": ADMIN, "sendTime": "2024-06-30"}),
            vec!["m4"],
        ),
        ("nothing", json!({"sendID": "nobody"}), vec![]),
    ];
    for (case, filters, expected) in cases {
        let data = im.search(&bob, &search(filters)).await;
        assert_eq!(found(&data, &ids), expected, "case {case}: {data}");
        assert_eq!(data["chatLogsNum"], expected.len(), "case {case}");
        if expected.is_empty() {
            assert_eq!(
                data,
                json!({"chatLogs": null, "chatLogsNum": 0}),
                "case {case}"
            );
        }
    }
}

#[tokio::test]
async fn search_msg_pages_with_page_number_and_show_number_and_counts_every_match() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let names = ["p1", "p2", "p3", "p4", "p5"];
    let ids = send_all(
        &im,
        &admin,
        names
            .iter()
            .map(|n| (*n, text(ADMIN, "alice", n)))
            .collect(),
    )
    .await;
    // (case, pagination, found)
    let cases = [
        (
            "page 1 of 2",
            json!({"pageNumber": 1, "showNumber": 2}),
            vec!["p1", "p2"],
        ),
        (
            "page 3 of 2",
            json!({"pageNumber": 3, "showNumber": 2}),
            vec!["p5"],
        ),
        (
            "page 4 of 2",
            json!({"pageNumber": 4, "showNumber": 2}),
            vec![],
        ),
        (
            "page 0",
            json!({"pageNumber": 0, "showNumber": 3}),
            vec!["p1", "p2", "p3"],
        ),
        ("no showNumber", json!({"pageNumber": 1}), vec![]),
        ("no pagination", Value::Null, vec![]),
    ];
    for (case, pagination, expected) in cases {
        let data = im
            .search(&admin, &json!({ "pagination": pagination }))
            .await;
        assert_eq!(found(&data, &ids), expected, "case {case}: {data}");
        assert_eq!(data["chatLogsNum"], 5, "case {case}");
    }
}

#[tokio::test]
async fn a_single_chat_log_has_the_receivers_nickname_and_the_senders_from_the_profile() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let mut body = at(text(ADMIN, "alice", "hi"), JULY_1);
    body["ex"] = json!("x");
    let sent = im.send_ok(&admin, &body).await;
    let data = im.search(&admin, &search(json!({}))).await;
    let expected = json!({"chatLog": {"serverMsgID": sent["serverMsgID"], "clientMsgID": sent["clientMsgID"],
        "sendID": ADMIN, "recvID": "alice", "groupID": "", "recvNickname": "Alice", "senderPlatformID": 0,
        "senderNickname": ADMIN, "senderFaceURL": "", "groupName": "", "sessionType": 1, "msgFrom": 200,
        "contentType": 101, "content": "{\"content\":\"hi\"}", "status": 0, "sendTime": JULY_1,
        "createTime": T0, "ex": "x", "groupFaceURL": "", "groupMemberCount": 0, "seq": 1,
        "groupOwner": "", "groupType": 0}, "isRevoked": false});
    assert_eq!(data["chatLogs"], json!([expected]));
}

#[tokio::test]
async fn a_group_chat_log_names_the_group_as_receiver_and_carries_its_details() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let mut group = group_request("g1", "alice", &["bob"]);
    group["groupInfo"]["faceURL"] = json!("http://f/g.png");
    ok_data(im.post("/group/create_group", Some(&admin), &group).await).await;
    let mut body = group_text("bob", "g1", "hi");
    body["senderNickname"] = json!("Bobby");
    im.send_ok(&admin, &body).await;
    let data = im.search(&admin, &search(json!({}))).await;
    let log = &data["chatLogs"][0]["chatLog"];
    // (field, value)
    let expected = [
        ("recvID", json!("g1")),
        ("groupID", json!("g1")),
        ("recvNickname", json!("")),
        ("senderNickname", json!("Bobby")),
        ("senderFaceURL", json!("http://f/g.png")),
        ("groupName", json!("Group")),
        ("groupOwner", json!("alice")),
        ("groupType", json!(2)),
        ("groupMemberCount", json!(2)),
        ("groupFaceURL", json!("")),
        ("sessionType", json!(3)),
    ];
    for (field, value) in expected {
        assert_eq!(log[field], value, "{field} of {log}");
    }
}

#[tokio::test]
async fn search_msg_refuses_a_send_time_that_is_not_a_date() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    for day in ["yesterday", "<b>", "24"] {
        let resp = im
            .post(
                "/msg/search_msg",
                Some(&admin),
                &search(json!({ "sendTime": day })),
            )
            .await;
        let dlt = format!(
            "invalid sendTime, req={day}, format=2006-01-02, cause=parsing time \"{day}\" as \"2006-01-02\": cannot parse \"{day}\" as \"2006\""
        );
        assert_refused(day, resp, 200, 1001, "ArgsError", &dlt).await;
    }
}

#[tokio::test]
async fn search_msg_names_the_part_of_a_send_time_that_does_not_parse() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    // (sendTime, cause)
    let cases = [
        (
            "2024/07/01",
            r#"parsing time "2024/07/01" as "2006-01-02": cannot parse "/07/01" as "-""#,
        ),
        (
            "2024-7-1",
            r#"parsing time "2024-7-1" as "2006-01-02": cannot parse "7-1" as "01""#,
        ),
        (
            "2024-13-01",
            r#"parsing time "2024-13-01": month out of range"#,
        ),
        (
            "2024-07-01T00:00",
            r#"parsing time "2024-07-01T00:00": extra text: "T00:00""#,
        ),
    ];
    for (day, cause) in cases {
        let resp = im
            .post(
                "/msg/search_msg",
                Some(&admin),
                &search(json!({ "sendTime": day })),
            )
            .await;
        let dlt = format!("invalid sendTime, req={day}, format=2006-01-02, cause={cause}");
        assert_refused(day, resp, 200, 1001, "ArgsError", &dlt).await;
    }
}

#[tokio::test]
async fn search_msg_lists_logs_conversation_by_conversation() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let bodies = vec![
        ("a1", text(ADMIN, "alice", "a1")),
        ("b1", text(ADMIN, "bob", "b1")),
        ("a2", text(ADMIN, "alice", "a2")),
    ];
    let ids = send_all(&im, &admin, bodies).await;
    let data = im.search(&admin, &search(json!({}))).await;
    assert_eq!(found(&data, &ids), ["a1", "a2", "b1"]);
}

// ------------------------------------------------------------------------------------------
// revoke_msg

#[tokio::test]
async fn a_revoked_message_is_pulled_as_a_2101_message_whose_detail_tells_who_revoked_it() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let mut first = at(text(ADMIN, "alice", "oops"), JULY_1);
    first["ex"] = json!("x");
    let sent = im.send_ok(&admin, &first).await;
    im.send_ok(&admin, &text(ADMIN, "alice", "kept")).await;
    app.advance_clock(5_000).await;
    ok_empty(im.revoke(&admin, "si_alice_imAdmin", 1, ADMIN).await).await;
    let msgs = im.pull_all(&admin, "alice", "si_alice_imAdmin").await;
    assert_eq!(
        (msgs[0]["seq"].clone(), msgs[0]["serverMsgID"].clone()),
        (json!(1), sent["serverMsgID"].clone())
    );
    let expected = json!({"revokerID": ADMIN, "revokerRole": 0, "clientMsgID": sent["clientMsgID"],
        "revokerNickname": ADMIN, "revokeTime": T0 + 5_000, "sourceMessageSendTime": JULY_1,
        "sourceMessageSendID": ADMIN, "sourceMessageSenderNickname": "", "sessionType": 1, "seq": 1, "ex": "x"});
    assert_eq!(revoked_detail(&msgs[0]), expected);
    assert_eq!(
        msgs[1]["contentType"], 101,
        "the other message is untouched"
    );
}

#[tokio::test]
async fn search_shows_a_revoked_message_as_revoked_with_its_original_content() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    im.send_ok(&admin, &text(ADMIN, "alice", "oops")).await;
    ok_empty(im.revoke(&admin, "si_alice_imAdmin", 1, ADMIN).await).await;
    let data = im.search(&admin, &search(json!({}))).await;
    let logs = &data["chatLogs"][0];
    assert_eq!(logs["isRevoked"], true, "{data}");
    assert_eq!(logs["chatLog"]["contentType"], 101, "{data}");
    assert_eq!(
        logs["chatLog"]["content"], r#"{"content":"oops"}"#,
        "{data}"
    );
}

#[tokio::test]
async fn the_journal_marks_a_revoked_message_recalled() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let revoked = im.send_ok(&admin, &text(ADMIN, "alice", "oops")).await;
    let kept = im.send_ok(&admin, &text(ADMIN, "alice", "fine")).await;
    ok_empty(im.revoke(&admin, "si_alice_imAdmin", 1, ADMIN).await).await;
    let listing = app.journal("provider=openim").await;
    let recalled: Vec<(Value, Value)> = listing["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["id"].clone(), r["recalled"].clone()))
        .collect();
    assert_eq!(
        recalled,
        [
            (revoked["serverMsgID"].clone(), json!(true)),
            (kept["serverMsgID"].clone(), json!(false))
        ]
    );
}

#[tokio::test]
async fn revoking_a_revoked_message_again_is_msg_already_revoke() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    im.send_ok(&admin, &text(ADMIN, "alice", "oops")).await;
    ok_empty(im.revoke(&admin, "si_alice_imAdmin", 1, ADMIN).await).await;
    let resp = im.revoke(&admin, "si_alice_imAdmin", 1, SECOND_ADMIN).await;
    assert_refused(
        "a second revoke",
        resp,
        200,
        1404,
        "MsgAlreadyRevoke",
        "msg already revoke",
    )
    .await;
}

#[tokio::test]
async fn revoke_refusals_come_in_check_then_rpc_order() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    im.send_ok(&admin, &text("alice", "bob", "from alice"))
        .await;
    let bob = im.user_token(&admin, "bob", 1).await;
    let revoke = |conversation: &str, seq: i64, user: &str| json!({"conversationID": conversation, "seq": seq, "userID": user});
    let args = |dlt: &'static str| (1001, "ArgsError", dlt);
    let not_found = |dlt: &'static str| (1004, "RecordNotFoundError", dlt);
    // (case, token, body, (code, errMsg, errDlt))
    let cases = [
        (
            "nothing",
            &admin,
            json!({}),
            args("conversationID is empty"),
        ),
        (
            "seq 0",
            &admin,
            revoke("si_alice_bob", 0, "alice"),
            args("seq is invalid"),
        ),
        (
            "seq -1, no user",
            &admin,
            revoke("si_alice_bob", -1, ""),
            args("seq is invalid"),
        ),
        (
            "no user",
            &admin,
            revoke("si_alice_bob", 1, ""),
            args("userID is empty"),
        ),
        (
            "bob as alice",
            &bob,
            revoke("si_alice_bob", 1, "alice"),
            (1002, "NoPermissionError", "ownerUserID, alice=MISSING"),
        ),
        (
            "an unknown user",
            &admin,
            revoke("si_alice_bob", 1, "ghost"),
            not_found("record not found"),
        ),
        (
            "an unknown seq",
            &admin,
            revoke("si_alice_bob", 9, ADMIN),
            not_found("msg not found"),
        ),
        (
            "an unknown conversation",
            &admin,
            revoke("si_x_y", 1, ADMIN),
            not_found("msg not found"),
        ),
        (
            "bob revoking alice's message",
            &bob,
            revoke("si_alice_bob", 1, "bob"),
            (1002, "NoPermissionError", "ownerUserID, alice=MISSING"),
        ),
    ];
    for (case, token, body, (code, msg, dlt)) in cases {
        let resp = im.post("/msg/revoke_msg", Some(token), &body).await;
        assert_refused(case, resp, 200, code, msg, dlt).await;
    }
}

#[tokio::test]
async fn a_user_may_revoke_its_own_single_chat_message() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    im.send_ok(&admin, &text("alice", "bob", "mine")).await;
    let alice = im.user_token(&admin, "alice", 1).await;
    ok_empty(im.revoke(&alice, "si_alice_bob", 1, "alice").await).await;
    let msg = &im.pull_all(&admin, "bob", "si_alice_bob").await[0];
    let detail = revoked_detail(msg);
    assert_eq!(
        (detail["revokerID"].clone(), detail["revokerRole"].clone()),
        (json!("alice"), json!(0)),
        "{detail}"
    );
    assert_eq!(detail["revokerNickname"], "Alice", "{detail}");
}

#[tokio::test]
async fn in_a_group_the_sender_owner_and_admins_revoke_as_their_roles_allow() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    staffed_group(&im, &admin).await;
    for sender in ["carol", "dave", "bob", "carol"] {
        im.send_ok(&admin, &group_text(sender, "g1", sender)).await;
    }
    let carol = im.user_token(&admin, "carol", 1).await;
    let bob = im.user_token(&admin, "bob", 1).await;
    let alice = im.user_token(&admin, "alice", 1).await;
    // (case, token, revoker, seq, refused)
    let cases = [
        ("a member revoking another's", &carol, "carol", 2, true),
        ("an admin revoking its own", &bob, "bob", 3, false),
        ("an admin revoking a member's", &bob, "bob", 1, false),
        ("a member revoking its own", &carol, "carol", 4, false),
        ("the owner revoking anyone's", &alice, "alice", 2, false),
    ];
    for (case, token, revoker, seq, refused) in cases {
        let resp = im.revoke(token, "sg_g1", seq, revoker).await;
        if refused {
            assert_refused(case, resp, 200, 1002, "NoPermissionError", "no permission").await;
        } else {
            ok_empty(resp).await;
        }
    }
    let msgs = im.pull_all(&admin, "dave", "sg_g1").await;
    let roles: Vec<Value> = msgs
        .iter()
        .map(|m| revoked_detail(m)["revokerRole"].clone())
        .collect();
    assert_eq!(
        roles,
        [json!(60), json!(100), json!(60), json!(20)],
        "the revokers' group roles"
    );
}

#[tokio::test]
async fn revoking_adds_a_2101_notification_to_the_notification_conversation() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    im.send_ok(&admin, &text(ADMIN, "alice", "oops")).await;
    ok_empty(im.revoke(&admin, "si_alice_imAdmin", 1, ADMIN).await).await;
    let seqs = im.max_seqs(&admin, "alice").await;
    assert_eq!(seqs["n_alice_imAdmin"], 1, "{seqs}");
    let data = im
        .pull(&admin, "alice", json!([range("n_alice_imAdmin", 1, 9, 9)]))
        .await;
    let msg = &data["notificationMsgs"]["n_alice_imAdmin"]["Msgs"][0];
    assert_eq!(msg["contentType"], 2101, "{data}");
}

#[tokio::test]
async fn the_revoke_detail_keeps_gos_field_order() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    im.send_ok(&admin, &text(ADMIN, "alice", "oops")).await;
    ok_empty(im.revoke(&admin, "si_alice_imAdmin", 1, ADMIN).await).await;
    let msg = &im.pull_all(&admin, "alice", "si_alice_imAdmin").await[0];
    let content: Value = serde_json::from_str(&unbase64(&msg["content"])).unwrap();
    let detail = content["detail"].as_str().unwrap();
    let order = [
        "revokerID",
        "revokerRole",
        "clientMsgID",
        "revokerNickname",
        "revokeTime",
        "sourceMessageSendTime",
        "sourceMessageSendID",
        "sourceMessageSenderNickname",
        "sessionType",
        "seq",
        "ex",
    ];
    let at: Vec<usize> = order
        .iter()
        .map(|k| detail.find(&format!("\"{k}\":")).unwrap())
        .collect();
    assert!(
        at.windows(2).all(|w| w[0] < w[1]),
        "field order in {detail}"
    );
}
