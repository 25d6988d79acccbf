//! Black-box tests of OpenIM's message routes around sending (contract §6, §7):
//! batch_send_msg, get_server_time, newest_seq and pull_msg_by_seq (capital `Msgs`, base64
//! content, seqs per conversation, conversation IDs, `num`), on the release and on `main`.
mod common;
use common::openim::*;
use common::*;

use serde_json::{json, Value};

/// A server with its clock pinned at `T0`, and an admin token.
async fn pinned() -> (TestApp, String) {
    let app = spawn_app().await;
    app.set_clock(T0).await;
    let token = Im::new(&app).admin_token().await;
    (app, token)
}

/// A batch_send_msg body of a text from `send` to `recv_ids`.
fn batch(send: &str, recv_ids: Value, words: &str) -> Value {
    json!({"sendID": send, "recvIDs": recv_ids, "content": {"content": words}, "contentType": 101, "sessionType": 1})
}

/// POSTs `body` to `/msg/batch_send_msg` with `token`.
async fn batch_send(im: &Im<'_>, token: &str, body: &Value) -> reqwest::Response {
    im.post("/msg/batch_send_msg", Some(token), body).await
}

/// The `recvID`s of a batch answer's `results`, sorted.
fn result_receivers(data: &Value) -> Vec<String> {
    let mut ids: Vec<String> = data["results"]
        .as_array()
        .unwrap_or_else(|| panic!("results: {data}"))
        .iter()
        .map(|r| r["recvID"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

/// The text of each pulled message (`{"content": ...}` contents).
fn texts_of(msgs: &[Value]) -> Vec<String> {
    msgs.iter()
        .map(|m| {
            let content: Value = serde_json::from_str(&unbase64(&m["content"])).unwrap();
            content["content"].as_str().unwrap_or_default().to_owned()
        })
        .collect()
}

/// The seqs of pulled messages.
fn seqs_of(msgs: &Value) -> Vec<i64> {
    msgs.as_array()
        .unwrap_or_else(|| panic!("Msgs: {msgs}"))
        .iter()
        .map(|m| m["seq"].as_i64().unwrap())
        .collect()
}

/// A server with tenant `next` on `main`, its admin token, and carol registered there.
async fn main_tenant() -> (TestApp, String) {
    let app = spawn_openim(&fixtures_with_main_tenant()).await;
    app.set_clock(T0).await;
    let next = Im::tenant(&app, "next");
    let token = next.admin_token().await;
    next.register(&token, &[("carol", "Carol")]).await;
    (app, token)
}

// ------------------------------------------------------------------------------------------
// batch_send_msg

#[tokio::test]
async fn batch_send_msg_answers_a_result_per_receiver_and_lists_the_failed_ones() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let resp = batch_send(
        &im,
        &admin,
        &batch(ADMIN, json!(["alice", "ghost", "bob"]), "hi"),
    )
    .await;
    let data = ok_data(resp).await;
    assert_eq!(keys(&data), sorted(&["results", "failedUserIDs"]), "{data}");
    assert_eq!(data["failedUserIDs"], json!(["ghost"]));
    let results = data["results"].as_array().unwrap();
    assert_eq!(result_receivers(&data), sorted(&["alice", "bob"]));
    for result in results {
        assert_eq!(
            keys(result),
            sorted(&["serverMsgID", "clientMsgID", "sendTime", "recvID"]),
            "{result}"
        );
        assert!(is_md5_hex(&result["serverMsgID"]), "{result}");
        assert_eq!(result["sendTime"], T0, "{result}");
    }
    assert_eq!(
        results[0]["clientMsgID"], results[1]["clientMsgID"],
        "one clientMsgID for all"
    );
    assert_ne!(
        results[0]["serverMsgID"], results[1]["serverMsgID"],
        "a serverMsgID each"
    );
    for user in ["alice", "bob"] {
        let conversation = format!("si_{user}_imAdmin");
        assert_eq!(
            texts_of(&im.pull_all(&admin, user, &conversation).await),
            ["hi"]
        );
    }
}

#[tokio::test]
async fn empty_result_and_failure_lists_are_null() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    // (case, recvIDs, results expected null, failedUserIDs)
    let cases = [
        ("all delivered", json!(["alice"]), false, Value::Null),
        ("none delivered", json!(["ghost"]), true, json!(["ghost"])),
        ("no receivers", json!([]), true, Value::Null),
    ];
    for (case, recv_ids, no_results, failed) in cases {
        let data = ok_data(batch_send(&im, &admin, &batch(ADMIN, recv_ids, "x")).await).await;
        assert_eq!(data["results"].is_null(), no_results, "case {case}: {data}");
        assert_eq!(data["failedUserIDs"], failed, "case {case}: {data}");
    }
}

#[tokio::test]
async fn is_send_all_reaches_every_registered_user_whatever_recv_ids_holds() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    im.register(&admin, &[("carol", "Carol")]).await;
    let mut body = batch(ADMIN, json!(["ghost"]), "to all");
    body["isSendAll"] = json!(true);
    let data = ok_data(batch_send(&im, &admin, &body).await).await;
    let everyone = sorted(&[ADMIN, SECOND_ADMIN, "alice", "bob", "carol"]);
    assert_eq!(result_receivers(&data), everyone, "{data}");
    assert_eq!(data["failedUserIDs"], Value::Null, "{data}");
    assert_eq!(
        texts_of(&im.pull_all(&admin, "carol", "si_carol_imAdmin").await),
        ["to all"]
    );
}

#[tokio::test]
async fn batch_send_msg_binding_needs_recv_ids_even_when_sending_to_all() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let line = |key: &str, tag: &str| {
        let field = key.rsplit('.').next().unwrap();
        format!("Key: 'BatchSendMsgReq.{key}' Error:Field validation for '{field}' failed on the '{tag}' tag")
    };
    let recv_ids = line("RecvIDs", "required");
    let mut send_all = batch(ADMIN, Value::Null, "x");
    send_all["isSendAll"] = json!(true);
    let mut group = batch(ADMIN, json!([]), "x");
    group["sessionType"] = json!(3);
    let all_missing = ["SendID", "Content", "ContentType", "SessionType"]
        .map(|f| line(&format!("SendMsg.{f}"), "required"))
        .join("\n");
    // (case, body, errDlt)
    let cases = [
        ("isSendAll without recvIDs", send_all.to_string(), recv_ids.clone()),
        ("an empty object", "{}".to_owned(), format!("{all_missing}\n{recv_ids}")),
        ("group chat, no groupID", group.to_string(),
            line("SendMsg.GroupID", "required_if=SessionType 2|required_if=SessionType 3")),
        ("a string recvIDs", batch(ADMIN, json!("alice"), "x").to_string(),
            "json: cannot unmarshal string into Go struct field BatchSendMsgReq.recvIDs of type []string".to_owned()),
        ("an empty body", String::new(), "EOF".to_owned()),
    ];
    for (case, body, dlt) in cases {
        let headers = [("operationID", OPERATION_ID), ("token", admin.as_str())];
        let resp = im.post_raw("/msg/batch_send_msg", &headers, body).await;
        assert_refused(case, resp, 400, 1001, "ArgsError", &dlt).await;
    }
}

#[tokio::test]
async fn batch_send_msg_refusals_follow_send_msgs_order() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let alice = im.user_token(&admin, "alice", 1).await;
    let mut unsupported = batch(ADMIN, json!(["bob"]), "x");
    unsupported["contentType"] = json!(109);
    let mut invalid = batch(ADMIN, json!(["bob"]), "x");
    invalid["content"] = json!({});
    let text_required =
        "Key: 'TextElem.Content' Error:Field validation for 'Content' failed on the 'required' tag";
    // (case, token, body, code, errMsg, errDlt)
    let cases = [
        (
            "a user's token",
            &alice,
            batch("alice", json!(["bob"]), "x"),
            1002,
            "NoPermissionError",
            "only app manager can send message",
        ),
        (
            "an unsupported type",
            &admin,
            unsupported,
            1001,
            "ArgsError",
            "",
        ),
        (
            "an invalid content",
            &admin,
            invalid,
            500,
            "ServerInternalError",
            text_required,
        ),
    ];
    for (case, token, body, code, msg, dlt) in cases {
        assert_refused(
            case,
            batch_send(&im, token, &body).await,
            200,
            code,
            msg,
            dlt,
        )
        .await;
    }
    let mut write_group = batch(ADMIN, json!(["alice"]), "x");
    write_group["sessionType"] = json!(2);
    write_group["groupID"] = json!("g");
    let data = ok_data(batch_send(&im, &admin, &write_group).await).await;
    assert_eq!(
        data,
        json!({"results": null, "failedUserIDs": ["alice"]}),
        "every RPC failed"
    );
}

// ------------------------------------------------------------------------------------------
// get_server_time

#[tokio::test]
async fn get_server_time_answers_the_emulator_clock_to_any_token() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let alice = im.user_token(&admin, "alice", 1).await;
    let data = ok_data(
        im.post("/msg/get_server_time", Some(&alice), &json!({}))
            .await,
    )
    .await;
    assert_eq!(data, json!({"serverTime": T0}));
    app.advance_clock(1234).await;
    for body in ["{}", "null", r#"{"anything": [1]}"#] {
        let headers = [("operationID", OPERATION_ID), ("token", admin.as_str())];
        let data = ok_data(im.post_raw("/msg/get_server_time", &headers, body).await).await;
        assert_eq!(data, json!({"serverTime": T0 + 1234}), "body {body}");
    }
}

#[tokio::test]
async fn get_server_time_refuses_an_empty_body() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let headers = [("operationID", OPERATION_ID), ("token", admin.as_str())];
    let resp = im.post_raw("/msg/get_server_time", &headers, "").await;
    assert_decode_refused("an empty body", resp, "unexpected end of JSON input").await;
}

// ------------------------------------------------------------------------------------------
// newest_seq

#[tokio::test]
async fn newest_seq_answers_the_max_seq_of_each_conversation_of_the_user() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    im.create_group(&admin, "g1", "alice", &["bob"]).await;
    for body in [
        text(ADMIN, "alice", "1"),
        text(ADMIN, "alice", "2"),
        text("bob", "alice", "3"),
        group_text("bob", "g1", "4"),
        text(ADMIN, "bob", "5"),
    ] {
        im.send_ok(&admin, &body).await;
    }
    let alice = im.user_token(&admin, "alice", 1).await;
    let expected = json!({"si_alice_imAdmin": 2, "si_alice_bob": 1, "sg_g1": 1});
    assert_eq!(
        im.max_seqs(&alice, "alice").await,
        expected,
        "alice's own token"
    );
    let expected = json!({"si_alice_bob": 1, "sg_g1": 1, "si_bob_imAdmin": 1});
    assert_eq!(
        im.max_seqs(&admin, "bob").await,
        expected,
        "an admin for bob"
    );
}

#[tokio::test]
async fn newest_seq_is_for_the_user_or_an_admin() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let bob = im.user_token(&admin, "bob", 1).await;
    let resp = im
        .post("/msg/newest_seq", Some(&bob), &json!({"userID": "alice"}))
        .await;
    assert_refused(
        "bob for alice",
        resp,
        200,
        1002,
        "NoPermissionError",
        "ownerUserID, alice=MISSING",
    )
    .await;
    let resp = im
        .post("/msg/newest_seq", Some(&bob), &json!({"userID": 1}))
        .await;
    let text =
        "json: cannot unmarshal number into Go struct field GetMaxSeqReq.userID of type string";
    assert_decode_refused("a number userID", resp, text).await;
}

// ------------------------------------------------------------------------------------------
// pull_msg_by_seq

#[tokio::test]
async fn a_pulled_message_has_every_msg_data_field_and_base64_of_the_go_marshalled_content() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let content = json!({"content": "<b>&hi", "z": 1, "a": [true, null, 1.5, 1e21]});
    let sent = im
        .send_ok(&admin, &message(ADMIN, "alice", 101, content))
        .await;
    let data = im
        .pull(
            &admin,
            "alice",
            json!([range("si_alice_imAdmin", 1, 10, 10)]),
        )
        .await;
    let pulled = &data["msgs"]["si_alice_imAdmin"];
    assert_eq!(pulled["isEnd"], true, "{pulled}");
    assert_eq!(pulled["endSeq"], 0, "{pulled}");
    let msg = &pulled["Msgs"][0];
    for key in [
        "sendID",
        "recvID",
        "groupID",
        "clientMsgID",
        "serverMsgID",
        "senderPlatformID",
        "senderNickname",
        "senderFaceURL",
        "sessionType",
        "msgFrom",
        "contentType",
        "content",
        "seq",
        "sendTime",
        "createTime",
        "status",
        "isRead",
        "offlinePushInfo",
        "atUserIDList",
        "attachedInfo",
        "ex",
    ] {
        assert!(msg.get(key).is_some(), "{key} in {msg}");
    }
    assert_eq!(msg["serverMsgID"], sent["serverMsgID"]);
    assert_eq!(msg["clientMsgID"], sent["clientMsgID"]);
    let go = r#"{"a":[true,null,1.5,1e+21],"content":"\u003cb\u003e\u0026hi","z":1}"#;
    assert_eq!(
        unbase64(&msg["content"]),
        go,
        "Go's json.Marshal of the content map"
    );
}

#[tokio::test]
async fn seqs_start_at_1_per_conversation_in_order_of_arrival() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let late = |recv: &str, words: &str, send_time: i64| {
        let mut body = text(ADMIN, recv, words);
        body["sendTime"] = json!(send_time);
        body
    };
    for body in [
        late("alice", "a1", T0 + 9_000),
        late("bob", "b1", T0),
        late("alice", "a2", T0 - 9_000),
    ] {
        im.send_ok(&admin, &body).await;
    }
    let alice = im.pull_all(&admin, "alice", "si_alice_imAdmin").await;
    assert_eq!(
        texts_of(&alice),
        ["a1", "a2"],
        "arrival order, not sendTime order"
    );
    assert_eq!(
        alice
            .iter()
            .map(|m| m["seq"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        [1, 2]
    );
    let bob = im.pull_all(&admin, "bob", "si_bob_imAdmin").await;
    assert_eq!(bob[0]["seq"], 1, "{bob:?}");
}

#[tokio::test]
async fn conversation_ids_join_the_two_sorted_user_ids_or_name_the_group() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    im.create_group(&admin, "g1", "alice", &["bob"]).await;
    let oa = json!({"notificationName": "n", "notificationType": 1, "text": "t"});
    // (case, body, puller, conversation, seq)
    let cases = [
        (
            "an admin to alice",
            text(ADMIN, "alice", "x"),
            "alice",
            "si_alice_imAdmin",
            1,
        ),
        (
            "alice to bob",
            text("alice", "bob", "x"),
            "bob",
            "si_alice_bob",
            1,
        ),
        (
            "bob to alice",
            text("bob", "alice", "x"),
            "alice",
            "si_alice_bob",
            2,
        ),
        (
            "alice to herself",
            text("alice", "alice", "x"),
            "alice",
            "si_alice_alice",
            1,
        ),
        (
            "bytewise order",
            text("Zed", "alice", "x"),
            "alice",
            "si_Zed_alice",
            1,
        ),
        ("a group", group_text("bob", "g1", "x"), "alice", "sg_g1", 1),
        (
            "a notification",
            message(ADMIN, "bob", 1400, oa),
            "bob",
            "sn_bob_imAdmin",
            1,
        ),
    ];
    for (case, body, puller, conversation, seq) in cases {
        let sent = im.send_ok(&admin, &body).await;
        let msgs = im.pull_all(&admin, puller, conversation).await;
        let last = msgs
            .last()
            .unwrap_or_else(|| panic!("case {case}: nothing in {conversation}"));
        assert_eq!(last["serverMsgID"], sent["serverMsgID"], "case {case}");
        assert_eq!(last["seq"], seq, "case {case}");
    }
}

#[tokio::test]
async fn num_keeps_the_newest_messages_of_a_range_and_is_end_tells_the_last_seq() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    for i in 1..=5 {
        im.send_ok(&admin, &text(ADMIN, "alice", &i.to_string()))
            .await;
    }
    let conversation = "si_alice_imAdmin";
    // (case, begin, end, num, seqs, isEnd)
    let cases = [
        ("the newest 2 of all", 1, 5, 2, vec![4, 5], true),
        ("a middle range", 2, 3, 10, vec![2, 3], false),
        ("past the end", 1, 100, 100, vec![1, 2, 3, 4, 5], true),
        ("the newest of a tail", 4, 100, 1, vec![5], true),
    ];
    for (case, begin, end, num, seqs, is_end) in cases {
        let data = im
            .pull(
                &admin,
                "alice",
                json!([range(conversation, begin, end, num)]),
            )
            .await;
        let pulled = &data["msgs"][conversation];
        assert_eq!(seqs_of(&pulled["Msgs"]), seqs, "case {case}: {pulled}");
        assert_eq!(pulled["isEnd"], is_end, "case {case}");
    }
}

#[tokio::test]
async fn ranges_of_conversations_the_user_is_not_in_or_without_messages_are_skipped() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    for recv in ["alice", "bob"] {
        im.send_ok(&admin, &text(ADMIN, recv, "x")).await;
    }
    let ranges = json!([
        range("si_bob_imAdmin", 1, 10, 10),
        range("si_nobody_imAdmin", 1, 10, 10),
        range("si_alice_imAdmin", 5, 10, 10),
        range("si_alice_imAdmin", 1, 10, 0),
    ]);
    let data = im.pull(&admin, "alice", ranges).await;
    for conversation in ["si_bob_imAdmin", "si_nobody_imAdmin", "si_alice_imAdmin"] {
        assert!(
            data["msgs"].get(conversation).is_none(),
            "{conversation} skipped: {data}"
        );
    }
    let ranges = json!([
        range("si_bob_imAdmin", 1, 10, 10),
        range("si_alice_imAdmin", 1, 10, 10)
    ]);
    let data = im.pull(&admin, "alice", ranges).await;
    assert_eq!(keys(&data["msgs"]), sorted(&["si_alice_imAdmin"]), "{data}");
}

#[tokio::test]
async fn on_main_empty_maps_are_left_out() {
    let (app, admin) = main_tenant().await;
    let next = Im::tenant(&app, "next");
    let seqs = ok_data(
        next.post("/msg/newest_seq", Some(&admin), &json!({"userID": "carol"}))
            .await,
    )
    .await;
    assert_eq!(seqs, json!({}), "no conversations");
    next.send_ok(&admin, &text(ADMIN, "carol", "hi")).await;
    let seqs = ok_data(
        next.post("/msg/newest_seq", Some(&admin), &json!({"userID": "carol"}))
            .await,
    )
    .await;
    assert_eq!(seqs, json!({"maxSeqs": {"si_carol_imAdmin": 1}}));
    let data = next
        .pull(&admin, "carol", json!([range("si_carol_imAdmin", 1, 9, 9)]))
        .await;
    assert_eq!(
        keys(&data),
        sorted(&["msgs"]),
        "no notificationMsgs: {data}"
    );
    assert!(
        data["msgs"]["si_carol_imAdmin"]["Msgs"][0]
            .get("options")
            .is_none(),
        "{data}"
    );
    let data = next
        .pull(&admin, "carol", json!([range("si_nobody", 1, 9, 9)]))
        .await;
    assert_eq!(data, json!({}));
}

#[tokio::test]
async fn on_the_release_empty_maps_are_null() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let resp = im
        .post("/msg/newest_seq", Some(&admin), &json!({"userID": "alice"}))
        .await;
    let answer = read(resp).await;
    assert!(
        answer
            .text
            .ends_with(r#""data":{"maxSeqs":null,"minSeqs":null}}"#),
        "{}",
        answer.text
    );
    im.send_ok(&admin, &text(ADMIN, "alice", "hi")).await;
    let seqs = ok_data(
        im.post("/msg/newest_seq", Some(&admin), &json!({"userID": "alice"}))
            .await,
    )
    .await;
    assert_eq!(
        seqs,
        json!({"maxSeqs": {"si_alice_imAdmin": 1}, "minSeqs": null})
    );
    let data = im
        .pull(&admin, "alice", json!([range("si_alice_imAdmin", 1, 9, 9)]))
        .await;
    assert_eq!(data["notificationMsgs"], Value::Null);
    assert!(data.get("notificationMsgs").is_some(), "{data}");
    let msg = &data["msgs"]["si_alice_imAdmin"]["Msgs"][0];
    assert!(
        msg.get("options").is_some_and(Value::is_null),
        "options: null in {msg}"
    );
    let data = im
        .pull(&admin, "alice", json!([range("si_nobody", 1, 9, 9)]))
        .await;
    assert_eq!(data, json!({"msgs": null, "notificationMsgs": null}));
}

#[tokio::test]
async fn pull_msg_by_seq_does_not_check_the_tokens_user() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    im.send_ok(&admin, &text(ADMIN, "alice", "private")).await;
    let bob = im.user_token(&admin, "bob", 1).await;
    let msgs = im.pull_all(&bob, "alice", "si_alice_imAdmin").await;
    assert_eq!(texts_of(&msgs), ["private"]);
}

#[tokio::test]
async fn a_descending_pull_from_seq_1_is_not_at_its_end() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    im.send_ok(&admin, &text(ADMIN, "alice", "x")).await;
    let body =
        json!({"userID": "alice", "seqRanges": [range("si_alice_imAdmin", 1, 1, 1)], "order": 1});
    let data = ok_data(im.post("/msg/pull_msg_by_seq", Some(&admin), &body).await).await;
    assert_eq!(data["msgs"]["si_alice_imAdmin"]["isEnd"], false, "{data}");
}
