//! OpenIM's message webhooks as the application server receives them (webhooks contract §2):
//! `POST {url}/{callbackCommand}` with Go's headers and a body written by Go's encoder
//! (struct order, HTML escapes, trailing newline), checked byte for byte against a body built
//! here; the before-send hooks stopping a send with the webhook's error, 90007 for an answer
//! that is not JSON, 90004 for a time-out or a refused connection; `beforeMsgModify` changing
//! the stored message; the after-send hooks and their filters; the settings and their checks.

mod common;
use common::control::{admin, callbacks, wait_for_callbacks as wait_for};
use common::openim::*;
use common::receiver::{closed_url, Hit, Receiver};
use common::*;

use im_emulator::config::Config;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// A server whose tenant `default` (admins imAdmin and openIMAdmin, users alice "Alice" and
/// bob "Bob") has the `webhooks` settings, its clock at `T0`; and an admin token.
async fn hooked(webhooks: Value) -> (TestApp, String) {
    let app = spawn_openim(&fixtures(webhooks)).await;
    app.set_clock(T0).await;
    let token = Im::new(&app).admin_token().await;
    (app, token)
}

fn fixtures(webhooks: Value) -> Value {
    json!({
        "defaults": {
            "secret": SECRET,
            "admin_user_ids": [ADMIN, SECOND_ADMIN],
            "users": [
                {"user_id": "alice", "nickname": "Alice"},
                {"user_id": "bob", "nickname": "Bob"}
            ],
            "webhooks": webhooks
        },
        "tenants": [{"name": "default"}]
    })
}

/// Webhooks at `{url}/cb` with `hooks` enabled (timeout 5 s), each merged with `extra`.
fn enabled(url: &str, hooks: &[&str], extra: Value) -> Value {
    let mut settings = json!({ "url": format!("{url}/cb") });
    for hook in hooks {
        let mut config = json!({"enable": true});
        for (k, v) in extra.as_object().unwrap() {
            config[k] = v.clone();
        }
        settings[*hook] = config;
    }
    settings
}

/// `value` as Go's encoder writes it: compact, `<`, `>`, `&`, U+2028, U+2029 escaped, and a
/// newline.
fn go_encoded(value: &Value) -> String {
    let text = value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029");
    format!("{text}\n")
}

/// The fields of a message's hook body, as `CommonCallbackReq` orders them.
struct Fields<'a> {
    send: &'a str,
    command: &'a str,
    server: &'a Value,
    client: &'a Value,
    platform: i32,
    nickname: &'a str,
    session: i32,
    content_type: i32,
    content: &'a str,
    face: &'a str,
    ex: &'a str,
}

/// The exact body of a hook with `fields` and, last, `extra` (`("recvID", ...)`).
fn expected(f: &Fields, extra: Option<(&str, &str)>) -> String {
    let mut body = json!({
        "sendID": f.send, "callbackCommand": f.command, "serverMsgID": f.server,
        "clientMsgID": f.client, "operationID": OPERATION_ID, "senderPlatformID": f.platform,
        "senderNickname": f.nickname, "sessionType": f.session, "msgFrom": 200,
        "contentType": f.content_type, "status": 0, "sendTime": T0, "createTime": T0,
        "content": f.content, "seq": 0, "atUserList": null, "faceURL": f.face, "ex": f.ex
    });
    if let Some((key, value)) = extra {
        body[key] = json!(value);
    }
    go_encoded(&body)
}

/// A text message's fields from `send` with `words`, for `command`.
fn text_fields<'a>(send: &'a str, command: &'a str, ids: &'a (Value, Value)) -> Fields<'a> {
    Fields {
        send,
        command,
        server: &ids.0,
        client: &ids.1,
        platform: 0,
        nickname: "",
        session: 1,
        content_type: 101,
        content: "{\"content\":\"hi\"}",
        face: "",
        ex: "",
    }
}

/// The hit's serverMsgID and clientMsgID, which must be MD5s.
fn ids_of(hit: &Hit) -> (Value, Value) {
    let body: Value = serde_json::from_slice(&hit.body).expect("a JSON body");
    assert!(is_md5_hex(&body["serverMsgID"]), "{body}");
    assert!(is_md5_hex(&body["clientMsgID"]), "{body}");
    (body["serverMsgID"].clone(), body["clientMsgID"].clone())
}

/// Asserts the hit is Go's POST to `path` with OpenIM's headers.
fn assert_request(hit: &Hit, path: &str) {
    assert_eq!((hit.method.as_str(), hit.path.as_str()), ("POST", path));
    assert_eq!(
        hit.header("content-type"),
        "application/json; charset=utf-8"
    );
    assert_eq!(hit.header("operationid"), OPERATION_ID);
    assert_eq!(hit.header("user-agent"), "Go-http-client/1.1");
}

fn body_text(hit: &Hit) -> String {
    String::from_utf8(hit.body.clone()).expect("UTF-8")
}

/// The messages of `conversation` as `user` pulls them with the admin token.
async fn pulled(app: &TestApp, token: &str, user: &str, conversation: &str) -> Vec<Value> {
    Im::new(app).pull_all(token, user, conversation).await
}

// ------------------------------------------------------------------------------------------
// Single chats

#[tokio::test]
async fn a_single_before_hook_gets_every_field_in_go_order_escaped_and_an_empty_reply_lets_it_through(
) {
    let receiver = Receiver::start_json(200, json!({})).await;
    let (app, admin_token) =
        hooked(enabled(&receiver.url, &["beforeSendSingleMsg"], json!({}))).await;
    let im = Im::new(&app);
    let mut body = text("alice", "bob", "hi");
    for (k, v) in [
        ("senderNickname", json!("<Ann & Co>")),
        ("senderFaceURL", json!("http://f/a.png?x=1&y=2")),
        ("senderPlatformID", json!(5)),
        ("ex", json!("line\u{2028}sep")),
    ] {
        body[k] = v;
    }
    let sent = im.send_ok(&admin_token, &body).await;

    let hits = receiver.hits();
    assert_eq!(hits.len(), 1, "the before hook is awaited");
    assert_request(&hits[0], "/cb/callbackBeforeSendSingleMsgCommand");
    let ids = (sent["serverMsgID"].clone(), sent["clientMsgID"].clone());
    let fields = Fields {
        platform: 5,
        nickname: "<Ann & Co>",
        face: "http://f/a.png?x=1&y=2",
        ex: "line\u{2028}sep",
        ..text_fields("alice", "callbackBeforeSendSingleMsgCommand", &ids)
    };
    let wanted = expected(&fields, Some(("recvID", "bob")));
    assert!(wanted.contains("\\u003cAnn \\u0026 Co\\u003e") && wanted.contains("\\u2028"));
    assert_eq!(body_text(&hits[0]), wanted);

    let listing = callbacks(&app, "provider=openim").await;
    let attempt = &listing["callbacks"][0];
    assert_eq!(listing["total"], 1, "{listing}");
    assert_eq!(
        (&attempt["event"], &attempt["tenant"], &attempt["outcome"]),
        (
            &json!("beforeSendSingleMsg"),
            &json!("default"),
            &json!("delivered")
        )
    );
    assert_eq!(
        attempt["url"],
        format!("{}/cb/callbackBeforeSendSingleMsgCommand", receiver.url)
    );
    let names: Vec<&String> = attempt["request"]["headers"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(names, ["User-Agent", "Content-Type", "Operationid"]);
    assert_eq!(
        pulled(&app, &admin_token, "bob", "si_alice_bob")
            .await
            .len(),
        1
    );
}

#[tokio::test]
async fn an_after_single_hook_is_queued_once_the_message_is_stored() {
    let receiver = Receiver::start(200).await;
    let (app, admin_token) =
        hooked(enabled(&receiver.url, &["afterSendSingleMsg"], json!({}))).await;
    let sent = Im::new(&app)
        .send_ok(&admin_token, &text("alice", "bob", "hi"))
        .await;

    let attempts = wait_for(&app, 1, "event=afterSendSingleMsg").await;
    assert_eq!(
        attempts[0]["outcome"], "delivered",
        "the answer is not read"
    );
    let hits = receiver.hits();
    assert_eq!(hits.len(), 1);
    assert_request(&hits[0], "/cb/callbackAfterSendSingleMsgCommand");
    let ids = (sent["serverMsgID"].clone(), sent["clientMsgID"].clone());
    let fields = text_fields("alice", "callbackAfterSendSingleMsgCommand", &ids);
    assert_eq!(
        body_text(&hits[0]),
        expected(&fields, Some(("recvID", "bob")))
    );
}

#[tokio::test]
async fn an_admin_sender_skips_the_single_before_hook_but_not_the_after_hook() {
    let receiver = Receiver::start_json(200, json!({"actionCode": 0, "nextCode": 1})).await;
    let hooks = ["beforeSendSingleMsg", "afterSendSingleMsg"];
    let (app, admin_token) = hooked(enabled(&receiver.url, &hooks, json!({}))).await;
    Im::new(&app)
        .send_ok(&admin_token, &text(ADMIN, "bob", "hi"))
        .await;

    wait_for(&app, 1, "event=afterSendSingleMsg").await;
    let listing = callbacks(&app, "").await;
    assert_eq!(listing["total"], 1, "no before hook: {listing}");
}

#[tokio::test]
async fn a_batch_send_calls_the_before_hook_per_receiver_and_lists_the_refused_ones() {
    let receiver = Receiver::start_json(200, json!({})).await;
    let (app, admin_token) =
        hooked(enabled(&receiver.url, &["beforeSendSingleMsg"], json!({}))).await;
    let im = Im::new(&app);
    let mut body = text("alice", "bob", "hi");
    body["recvIDs"] = json!(["bob", ADMIN]);
    let data = ok_data(
        im.post("/msg/batch_send_msg", Some(&admin_token), &body)
            .await,
    )
    .await;
    assert_eq!(data["results"].as_array().unwrap().len(), 2, "{data}");
    let recv: Vec<Value> = (receiver.hits().iter())
        .map(|h| serde_json::from_slice::<Value>(&h.body).unwrap()["recvID"].clone())
        .collect();
    assert_eq!(recv, [json!("bob"), json!(ADMIN)]);

    receiver.answer_body(br#"{"actionCode":0,"nextCode":1,"errCode":5001}"#);
    let data = ok_data(
        im.post("/msg/batch_send_msg", Some(&admin_token), &body)
            .await,
    )
    .await;
    assert_eq!(
        data,
        json!({"results": null, "failedUserIDs": ["bob", ADMIN]})
    );
}

// ------------------------------------------------------------------------------------------
// Groups

#[tokio::test]
async fn group_hooks_carry_the_group_id_and_fire_for_an_admin_sender_too() {
    let receiver = Receiver::start_json(200, json!({})).await;
    let hooks = ["beforeSendGroupMsg", "afterSendGroupMsg"];
    let (app, admin_token) = hooked(enabled(&receiver.url, &hooks, json!({}))).await;
    let im = Im::new(&app);
    im.create_group(&admin_token, "g1", "alice", &["bob"]).await;
    let sent = im
        .send_ok(&admin_token, &group_text("bob", "g1", "hi"))
        .await;
    wait_for(&app, 1, "event=afterSendGroupMsg").await;

    let hits = receiver.hits();
    assert_eq!(hits.len(), 2);
    let ids = (sent["serverMsgID"].clone(), sent["clientMsgID"].clone());
    for (hit, command) in hits.iter().zip([
        "callbackBeforeSendGroupMsgCommand",
        "callbackAfterSendGroupMsgCommand",
    ]) {
        assert_request(hit, &format!("/cb/{command}"));
        let fields = Fields {
            session: 3,
            ..text_fields("bob", command, &ids)
        };
        assert_eq!(body_text(hit), expected(&fields, Some(("groupID", "g1"))));
    }

    im.send_ok(&admin_token, &group_text(ADMIN, "g1", "hi"))
        .await;
    let before = callbacks(&app, "event=beforeSendGroupMsg").await;
    assert_eq!(before["total"], 2, "{before}");
}

#[tokio::test]
async fn a_group_before_hook_refusal_stores_nothing_and_fires_no_after_hook() {
    let reply = json!({"actionCode": 0, "nextCode": 1, "errCode": 7001, "errMsg": "muted", "errDlt": "by the bot"});
    let receiver = Receiver::start_json(200, reply).await;
    let hooks = ["beforeSendGroupMsg", "afterSendGroupMsg"];
    let (app, admin_token) = hooked(enabled(&receiver.url, &hooks, json!({}))).await;
    let im = Im::new(&app);
    im.create_group(&admin_token, "g1", "alice", &["bob"]).await;
    let resp = im.send(&admin_token, &group_text("bob", "g1", "hi")).await;
    assert_refused("group refusal", resp, 200, 7001, "muted", "by the bot").await;
    assert!(pulled(&app, &admin_token, "bob", "sg_g1").await.is_empty());
    assert_eq!(callbacks(&app, "").await["total"], 1);
}

// ------------------------------------------------------------------------------------------
// Answers

#[tokio::test]
async fn a_refusal_reaches_the_sender_as_the_rpc_layer_passes_it_on() {
    let receiver = Receiver::start(200).await;
    let hooks = ["beforeSendSingleMsg", "afterSendSingleMsg"];
    let (app, admin_token) = hooked(enabled(&receiver.url, &hooks, json!({}))).await;
    let im = Im::new(&app);
    let rows = [
        (
            "code, text and detail",
            json!({"errCode": 5001, "errMsg": "blocked", "errDlt": "by policy"}),
            5001,
            "blocked",
            "by policy",
        ),
        (
            "no detail: the text",
            json!({"errCode": 5002, "errMsg": "blocked"}),
            5002,
            "blocked",
            "blocked",
        ),
        (
            "code 0: 500",
            json!({"errCode": 0, "errMsg": "no"}),
            500,
            "no",
            "no",
        ),
        (
            "negative code, no text: the error's own",
            json!({"errCode": -3}),
            500,
            "-3 ",
            "-3 ",
        ),
        (
            "no text, a detail",
            json!({"errCode": 5003, "errDlt": "d"}),
            5003,
            "5003  d",
            "d",
        ),
    ];
    for (case, fields, code, msg, dlt) in rows {
        let mut reply = json!({"actionCode": 0, "nextCode": 1});
        reply
            .as_object_mut()
            .unwrap()
            .extend(fields.as_object().unwrap().clone());
        receiver.answer_body(reply.to_string().as_bytes());
        let resp = im.send(&admin_token, &text("alice", "bob", "hi")).await;
        assert_refused(case, resp, 200, code, msg, dlt).await;
    }
    assert!(pulled(&app, &admin_token, "bob", "si_alice_bob")
        .await
        .is_empty());
    let listing = callbacks(&app, "").await;
    assert_eq!(listing["total"], 5, "only before hooks: {listing}");
}

#[tokio::test]
async fn any_other_json_reply_and_any_status_let_the_send_through() {
    let receiver = Receiver::start(200).await;
    let (app, admin_token) =
        hooked(enabled(&receiver.url, &["beforeSendSingleMsg"], json!({}))).await;
    let im = Im::new(&app);
    let rows: [(&str, u16, &[u8]); 5] = [
        (
            "actionCode 1",
            200,
            br#"{"actionCode":1,"nextCode":1,"errCode":5001}"#,
        ),
        (
            "nextCode 0",
            200,
            br#"{"actionCode":0,"nextCode":0,"errCode":5001}"#,
        ),
        ("null", 200, b"null"),
        ("status 500", 500, b"{}"),
        (
            "unknown keys, another case",
            404,
            br#"{"ActionCode":2,"NEXTCODE":1,"x":[1]}"#,
        ),
    ];
    for (case, status, reply) in rows {
        receiver.answer(status);
        receiver.answer_body(reply);
        let data = ok_data(im.send(&admin_token, &text("alice", "bob", "hi")).await).await;
        assert!(is_md5_hex(&data["serverMsgID"]), "case {case}: {data}");
    }
    assert_eq!(
        pulled(&app, &admin_token, "bob", "si_alice_bob")
            .await
            .len(),
        5
    );
}

#[tokio::test]
async fn an_answer_that_is_not_the_json_of_the_reply_fails_the_send_with_90007() {
    let receiver = Receiver::start(200).await;
    let (app, admin_token) =
        hooked(enabled(&receiver.url, &["beforeSendSingleMsg"], json!({}))).await;
    let im = Im::new(&app);
    let rows: [(&str, &[u8], &str); 4] = [
        ("empty", b"", "unexpected end of JSON input"),
        ("text", b"ok", "invalid character 'o' looking for beginning of value"),
        ("array", b"[]", "json: cannot unmarshal array into Go value of type callbackstruct.CallbackBeforeSendSingleMsgResp"),
        ("a string code", br#"{"actionCode":"0"}"#, "json: cannot unmarshal string into Go struct field CallbackBeforeSendSingleMsgResp.CommonCallbackResp.actionCode of type int32"),
    ];
    for (case, reply, text_of_go) in rows {
        receiver.answer_body(reply);
        let resp = im.send(&admin_token, &text("alice", "bob", "hi")).await;
        let dlt = format!("{text_of_go} response format error");
        assert_refused(case, resp, 200, 90007, "DataError", &dlt).await;
    }
    let long = format!("{{\"errMsg\":\"{}\"}}", "x".repeat(70_000));
    receiver.answer_body(long.as_bytes());
    let resp = im.send(&admin_token, &text("alice", "bob", "hi")).await;
    let dlt = "the answer is longer than the 65536 bytes im-emulator reads";
    assert_refused(
        "longer than the emulator reads",
        resp,
        200,
        90007,
        "DataError",
        dlt,
    )
    .await;
    assert!(pulled(&app, &admin_token, "bob", "si_alice_bob")
        .await
        .is_empty());
}

#[tokio::test]
async fn a_hook_that_never_answers_within_its_timeout_fails_the_send_with_90004() {
    let receiver = Receiver::start(0).await;
    let hooks = ["beforeSendSingleMsg", "afterSendSingleMsg"];
    let mut settings = enabled(&receiver.url, &hooks, json!({"timeout": 1}));
    settings["beforeSendSingleMsg"]["failedContinue"] = json!(true);
    let (app, admin_token) = hooked(settings).await;
    let resp = Im::new(&app)
        .send(&admin_token, &text("alice", "bob", "hi"))
        .await;
    let url = format!("{}/cb/callbackBeforeSendSingleMsgCommand", receiver.url);
    let dlt =
        format!("Post \"{url}\": context deadline exceeded HTTP request failed, post url={url}");
    assert_refused("time-out", resp, 200, 90004, "NetworkError", &dlt).await;
    let listing = callbacks(&app, "").await;
    assert_eq!(listing["total"], 1, "{listing}");
    assert_eq!(listing["callbacks"][0]["outcome"], "timeout");
}

#[tokio::test]
async fn a_refused_connection_fails_the_send_with_90004_in_go_s_words() {
    let url = closed_url();
    let (app, admin_token) = hooked(json!({
        "url": url, "beforeSendSingleMsg": {"enable": true}
    }))
    .await;
    let resp = Im::new(&app)
        .send(&admin_token, &text("alice", "bob", "hi"))
        .await;
    let full = format!("{url}/callbackBeforeSendSingleMsgCommand");
    let address = url.trim_start_matches("http://").trim_end_matches("/copy");
    let dlt = format!(
        "Post \"{full}\": dial tcp {address}: connect: connection refused HTTP request failed, post url={full}"
    );
    assert_refused("refused", resp, 200, 90004, "NetworkError", &dlt).await;
}

// ------------------------------------------------------------------------------------------
// beforeMsgModify

#[tokio::test]
async fn modify_changes_the_stored_message_and_what_the_after_hook_and_search_see() {
    let reply = json!({
        "content": "{\"content\":\"changed\"}", "ex": "new-ex", "senderNickname": "Mod",
        "clientMsgID": "mod-client", "atUserIDList": ["alice"]
    });
    let receiver = Receiver::start_json(200, reply).await;
    let hooks = ["beforeMsgModify", "afterSendSingleMsg"];
    let (app, admin_token) = hooked(enabled(&receiver.url, &hooks, json!({}))).await;
    let im = Im::new(&app);
    let sent = im.send_ok(&admin_token, &text("alice", "bob", "hi")).await;
    assert_eq!(sent["clientMsgID"], "mod-client", "{sent}");
    wait_for(&app, 1, "event=afterSendSingleMsg").await;

    let hits = receiver.hits();
    assert_eq!(hits.len(), 2);
    assert_request(&hits[0], "/cb/callbackBeforeMsgModifyCommand");
    let (server, client) = ids_of(&hits[0]);
    assert_eq!(server, sent["serverMsgID"]);
    let ids = (server, client);
    let modify = text_fields("alice", "callbackBeforeMsgModifyCommand", &ids);
    assert_eq!(body_text(&hits[0]), expected(&modify, None), "no recvID");
    let after: Value = serde_json::from_slice(&hits[1].body).unwrap();
    assert_eq!(
        (
            &after["content"],
            &after["clientMsgID"],
            &after["atUserList"],
            &after["ex"]
        ),
        (
            &json!("{\"content\":\"changed\"}"),
            &json!("mod-client"),
            &json!(["alice"]),
            &json!("new-ex")
        )
    );

    let msgs = pulled(&app, &admin_token, "bob", "si_alice_bob").await;
    assert_eq!(unbase64(&msgs[0]["content"]), "{\"content\":\"changed\"}");
    assert_eq!(
        (
            &msgs[0]["ex"],
            &msgs[0]["senderNickname"],
            &msgs[0]["clientMsgID"]
        ),
        (&json!("new-ex"), &json!("Mod"), &json!("mod-client"))
    );
    let page = json!({"pagination": {"pageNumber": 1, "showNumber": 20}});
    let found = im.search(&admin_token, &page).await;
    assert_eq!(
        found["chatLogs"][0]["chatLog"]["content"],
        "{\"content\":\"changed\"}"
    );
}

#[tokio::test]
async fn modify_is_called_for_text_only_and_can_refuse_or_panic_the_rpc() {
    let receiver = Receiver::start_json(200, json!({})).await;
    let (app, admin_token) = hooked(enabled(&receiver.url, &["beforeMsgModify"], json!({}))).await;
    let im = Im::new(&app);
    let custom = message("alice", "bob", 110, json!({"data": "d"}));
    im.send_ok(&admin_token, &custom).await;
    assert!(receiver.hits().is_empty(), "no modify for a custom message");

    receiver.answer_body(br#"{"actionCode":0,"nextCode":1,"errCode":6001,"errMsg":"no"}"#);
    let resp = im.send(&admin_token, &text("alice", "bob", "hi")).await;
    assert_refused("refused", resp, 200, 6001, "no", "no").await;

    receiver.answer_body(br#"{"offlinePushInfo":{"title":"t"}}"#);
    let resp = im.send(&admin_token, &text("alice", "bob", "hi")).await;
    let panic =
        "Error: 500 panic error runtime error: invalid memory address or nil pointer dereference";
    assert_refused("no offlinePushInfo to write into", resp, 200, 2, panic, "").await;
    let mut with_push = text("alice", "bob", "hi");
    with_push["offlinePushInfo"] = json!({"title": "old"});
    im.send_ok(&admin_token, &with_push).await;
    let msgs = pulled(&app, &admin_token, "bob", "si_alice_bob").await;
    assert_eq!(msgs.len(), 2, "the custom message and the last text");
    assert_eq!(msgs[1]["offlinePushInfo"]["title"], "t");
}

// ------------------------------------------------------------------------------------------
// Filters and settings

#[tokio::test]
async fn type_filters_and_attention_ids_choose_the_messages_called_back() {
    let receiver = Receiver::start_json(200, json!({})).await;
    let settings = json!({
        "url": receiver.url,
        "beforeSendSingleMsg": {"enable": true, "allowedTypes": ["110"]},
        "afterSendSingleMsg": {
            "enable": true, "attentionIds": ["bob"],
            "allowedTypes": ["101-105", 110], "deniedTypes": ["102", "bad-range", "x"]
        }
    });
    let (app, admin_token) = hooked(settings).await;
    let im = Im::new(&app);
    let pic = json!({"uuid": "u1", "type": "png", "size": 2048, "width": 640, "height": 480, "url": "http://f/p.png"});
    let picture = json!({"sourcePath": "/p.png", "sourcePicture": pic, "bigPicture": pic, "snapshotPicture": pic});
    im.send_ok(&admin_token, &message("alice", "bob", 102, picture))
        .await;
    im.send_ok(&admin_token, &text(SECOND_ADMIN, "alice", "nobody watched"))
        .await;
    im.send_ok(&admin_token, &text("bob", "alice", "bob sends"))
        .await;
    im.send_ok(
        &admin_token,
        &message("alice", "bob", 110, json!({"data": "d"})),
    )
    .await;

    wait_for(&app, 2, "event=afterSendSingleMsg").await;
    let mut events: Vec<(String, i64)> = (receiver.hits().iter())
        .map(|h| {
            let body: Value = serde_json::from_slice(&h.body).unwrap();
            (h.path.clone(), body["contentType"].as_i64().unwrap())
        })
        .collect();
    events.sort();
    assert_eq!(
        events,
        [
            ("/callbackAfterSendSingleMsgCommand".to_owned(), 101),
            ("/callbackAfterSendSingleMsgCommand".to_owned(), 110),
            ("/callbackBeforeSendSingleMsgCommand".to_owned(), 110),
        ]
    );
}

#[tokio::test]
async fn nothing_is_sent_when_disabled_nor_for_notifications_and_typing_is_refused_first() {
    let receiver = Receiver::start_json(200, json!({})).await;
    let (app, admin_token) = hooked(json!({"url": receiver.url})).await;
    let im = Im::new(&app);
    im.send_ok(&admin_token, &text("alice", "bob", "hi")).await;

    let all = [
        "beforeSendSingleMsg",
        "afterSendSingleMsg",
        "beforeSendGroupMsg",
        "afterSendGroupMsg",
        "beforeMsgModify",
    ];
    let (app, admin_token) = hooked(enabled(&receiver.url, &all, json!({}))).await;
    let im = Im::new(&app);
    let oa = json!({"notificationName": "n", "notificationType": 1, "text": "t"});
    im.send_ok(&admin_token, &message(ADMIN, "alice", 1400, oa))
        .await;
    let typing = message("alice", "bob", 113, json!({"msgTips": "typing"}));
    assert_refused(
        "typing",
        im.send(&admin_token, &typing).await,
        200,
        1001,
        "ArgsError",
        "",
    )
    .await;
    im.send_ok(&admin_token, &text(ADMIN, "bob", "last")).await;

    wait_for(&app, 1, "event=afterSendSingleMsg").await;
    assert_eq!(
        receiver.hits().len(),
        2,
        "modify and after of the last text only"
    );
}

#[tokio::test]
async fn webhooks_come_with_a_tenant_created_through_the_admin_api() {
    let receiver = Receiver::start_json(200, json!({})).await;
    let app = spawn_app().await;
    let tenant = json!({
        "provider": "openim", "name": "hooked",
        "webhooks": {"url": receiver.url, "afterSendSingleMsg": {"enable": true}}
    });
    let (status, body) = admin(&app, Method::POST, "/tenants", Some(&tenant)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let im = Im::tenant(&app, "hooked");
    let token = im.admin_token().await;
    im.send_ok(&token, &text("alice", "bob", "hi")).await;
    let attempts = wait_for(&app, 1, "tenant=hooked").await;
    assert_eq!(attempts[0]["event"], "afterSendSingleMsg");
    assert_eq!(
        receiver.hits()[0].path,
        "/callbackAfterSendSingleMsgCommand"
    );
}

/// Webhook settings the server refuses, and a word of each refusal.
fn bad_settings() -> Vec<(Value, &'static str)> {
    vec![
        (json!({"url": "https://example.com/cb"}), "http://"),
        (json!({"url": "ftp://x"}), "http://"),
        (
            json!({"url": "http://x", "beforeSendSingleMsg": {"timeout": -1}}),
            "timeout",
        ),
        (
            json!({"url": "http://x", "afterSendGroupMsg": {"timeout": 61}}),
            "timeout",
        ),
        (json!({"beforeMsgModify": {"enable": true}}), "url is empty"),
        (
            json!({"url": "http://x", "beforeSendSingleMessage": {}}),
            "unknown field",
        ),
        (
            json!({"url": "http://x", "afterSendSingleMsg": {"allowedTypes": [true]}}),
            "list content types",
        ),
    ]
}

#[tokio::test]
async fn bad_webhook_settings_are_refused_by_the_admin_api() {
    let app = spawn_app().await;
    for (i, (settings, word)) in bad_settings().into_iter().enumerate() {
        let tenant = json!({"provider": "openim", "name": format!("bad{i}"), "webhooks": settings});
        let (status, body) = admin(&app, Method::POST, "/tenants", Some(&tenant)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{settings}: {body}");
        let message = body["message"].as_str().unwrap_or_default();
        assert!(message.contains(word), "{settings}: {message} holds {word}");
    }
}

#[test]
fn bad_webhook_settings_in_the_fixture_file_stop_the_server_from_starting() {
    for (settings, word) in bad_settings() {
        let config = Config {
            fixtures: Some(fixture_folder("openim", &fixtures(settings.clone()))),
            bind: "127.0.0.1:0".into(),
            ..Config::default()
        };
        let error = im_emulator::Application::build(&config)
            .err()
            .unwrap_or_else(|| panic!("{settings} is refused"));
        assert!(error.contains(word), "{settings}: {error} holds {word}");
    }
}
