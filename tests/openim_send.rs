//! Black-box tests of `POST /msg/send_msg` (contract §4, §6, seed 003): the success answer
//! and its ids, every content type with Go's weak decoding and validation texts, gin's
//! binding failures (HTTP 400), the check order, session types, and the existence and
//! membership rules of single, group and notification chats, on the release and on `main`.
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

/// A server with tenant `next` on `main`, its clock pinned at `T0`, and an admin token of
/// `next`.
async fn pinned_main() -> (TestApp, String) {
    let app = spawn_openim(&fixtures_with_main_tenant()).await;
    app.set_clock(T0).await;
    let token = Im::tenant(&app, "next").admin_token().await;
    (app, token)
}

/// A fully populated picture size, as `PictureBaseInfo` validates it.
fn picture_info() -> Value {
    json!({"uuid": "u1", "type": "png", "size": 2048, "width": 640, "height": 480, "url": "http://f/p.png"})
}

/// One valid content of each type the release sends, as (contentType, content).
fn valid_contents() -> Vec<(i32, Value)> {
    let pic = picture_info();
    vec![
        (101, json!({"content": "hello"})),
        (
            102,
            json!({"sourcePath": "/p.png", "sourcePicture": pic, "bigPicture": pic, "snapshotPicture": pic}),
        ),
        (
            103,
            json!({"uuid": "s1", "soundPath": "", "sourceUrl": "http://f/s.mp3", "dataSize": 10, "duration": 3}),
        ),
        (
            104,
            json!({"videoPath": "", "videoUUID": "v1", "videoUrl": "http://f/v.mp4", "videoType": "mp4",
            "videoSize": 100, "duration": 5, "snapshotPath": "", "snapshotUUID": "s1", "snapshotSize": 10,
            "snapshotUrl": "http://f/s.png", "snapshotWidth": 64, "snapshotHeight": 48}),
        ),
        (
            105,
            json!({"filePath": "", "uuid": "f1", "sourceUrl": "http://f/a.pdf", "fileName": "a.pdf", "fileSize": 1000}),
        ),
        (
            106,
            json!({"text": "@bob hi", "atUserList": ["bob"], "isAtSelf": false}),
        ),
        (
            110,
            json!({"data": "{\"k\":1}", "description": "d", "extension": "e"}),
        ),
        (
            1400,
            json!({"notificationName": "System", "notificationType": 1, "text": "maintenance", "mixType": 0}),
        ),
    ]
}

/// validator's line for `key` (`TextElem.Content`) failing on `tag`.
fn field_error(key: &str, tag: &str) -> String {
    let field = key.rsplit('.').next().unwrap();
    format!("Key: '{key}' Error:Field validation for '{field}' failed on the '{tag}' tag")
}

/// validator's lines for a `PictureBaseInfo` at `prefix` with no field set.
fn empty_picture_errors(prefix: &str) -> Vec<String> {
    ["Type", "Width", "Height", "Url"]
        .iter()
        .map(|f| field_error(&format!("{prefix}.{f}"), "required"))
        .collect()
}

/// mapstructure's text for `errors` (already sorted).
fn decoding(errors: &[&str]) -> String {
    let points: Vec<String> = errors.iter().map(|e| format!("* {e}")).collect();
    format!(
        "{} error(s) decoding:\n\n{}",
        errors.len(),
        points.join("\n")
    )
}

/// The only message pulled from `conversation` by `user`.
async fn only_message(im: &Im<'_>, token: &str, user: &str, conversation: &str) -> Value {
    let msgs = im.pull_all(token, user, conversation).await;
    assert_eq!(msgs.len(), 1, "one message in {conversation}: {msgs:?}");
    msgs[0].clone()
}

// ------------------------------------------------------------------------------------------
// The success answer

#[tokio::test]
async fn send_msg_answers_the_ids_the_send_time_and_a_null_modify_on_the_release() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let answer = read(im.send(&admin, &text(ADMIN, "alice", "hi")).await).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.header("content-type"), "application/json");
    let data = answer.json()["data"].clone();
    assert!(is_md5_hex(&data["serverMsgID"]), "{data}");
    assert!(is_md5_hex(&data["clientMsgID"]), "{data}");
    let expected = format!(
        r#"{{"errCode":0,"errMsg":"","errDlt":"","data":{{"serverMsgID":{},"clientMsgID":{},"sendTime":{T0},"modify":null}}}}"#,
        data["serverMsgID"], data["clientMsgID"]
    );
    assert_eq!(
        answer.text, expected,
        "the protobuf answer of v3.8.3-patch.16"
    );
}

#[tokio::test]
async fn on_main_send_msg_answers_exactly_the_ids_and_the_send_time() {
    let (app, admin) = pinned_main().await;
    let next = Im::tenant(&app, "next");
    let data = next.send_ok(&admin, &text(ADMIN, "alice", "hi")).await;
    assert_eq!(
        keys(&data),
        sorted(&["serverMsgID", "clientMsgID", "sendTime"]),
        "{data}"
    );
    assert_eq!(data["sendTime"], T0);
}

#[tokio::test]
async fn ids_are_fresh_on_every_call_even_for_the_same_message() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let mut ids = std::collections::HashSet::new();
    for _ in 0..5 {
        let data = im.send_ok(&admin, &text(ADMIN, "alice", "same")).await;
        assert_ne!(data["serverMsgID"], data["clientMsgID"], "{data}");
        assert!(ids.insert(data["serverMsgID"].to_string()), "{data}");
        assert!(ids.insert(data["clientMsgID"].to_string()), "{data}");
    }
}

#[tokio::test]
async fn a_given_send_time_is_echoed_and_stored_and_create_time_is_the_clock() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    for send_time in [1_695_212_630_740_i64, T0 + 86_400_000] {
        let mut body = text(ADMIN, "alice", "imported");
        body["sendTime"] = json!(send_time);
        let data = im.send_ok(&admin, &body).await;
        assert_eq!(data["sendTime"], send_time, "{data}");
    }
    let msgs = im.pull_all(&admin, "alice", "si_alice_imAdmin").await;
    let times: Vec<&Value> = msgs.iter().map(|m| &m["sendTime"]).collect();
    assert_eq!(
        times,
        [&json!(1_695_212_630_740_i64), &json!(T0 + 86_400_000)]
    );
    assert!(msgs.iter().all(|m| m["createTime"] == T0), "{msgs:?}");
}

#[tokio::test]
async fn a_message_is_stored_with_its_sender_fields_push_info_and_ex_as_given() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let push = json!({"title": "t", "desc": "d", "ex": "e", "iOSPushSound": "default", "iOSBadgeCount": true});
    let mut body = text("bob", "alice", "hi");
    for (key, value) in [
        ("senderNickname", json!("Bobby")),
        ("senderFaceURL", json!("http://f/b.png")),
        ("senderPlatformID", json!(99)),
        ("ex", json!("extra")),
        ("offlinePushInfo", push),
    ] {
        body[key] = value;
    }
    im.send_ok(&admin, &body).await;
    let msg = only_message(&im, &admin, "alice", "si_alice_bob").await;
    let expected = [
        ("sendID", json!("bob")),
        ("recvID", json!("alice")),
        ("groupID", json!("")),
        ("senderNickname", json!("Bobby")),
        ("senderFaceURL", json!("http://f/b.png")),
        ("senderPlatformID", json!(99)),
        ("sessionType", json!(1)),
        ("msgFrom", json!(200)),
        ("contentType", json!(101)),
        ("seq", json!(1)),
        ("status", json!(0)),
        ("isRead", json!(false)),
        ("attachedInfo", json!("")),
        ("ex", json!("extra")),
        ("atUserIDList", Value::Null),
        (
            "offlinePushInfo",
            json!({"title": "t", "desc": "d", "ex": "e", "iOSPushSound": "default",
            "iOSBadgeCount": true, "signalInfo": ""}),
        ),
    ];
    for (key, value) in expected {
        assert_eq!(msg[key], value, "{key} of {msg}");
    }
}

#[tokio::test]
async fn not_offline_push_sets_the_offline_push_option_of_the_message() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let mut body = text(ADMIN, "alice", "quiet");
    body["notOfflinePush"] = json!(true);
    im.send_ok(&admin, &body).await;
    let msg = only_message(&im, &admin, "alice", "si_alice_imAdmin").await;
    assert_eq!(msg["options"], json!({"offlinePush": false}), "{msg}");
}

#[tokio::test]
async fn an_online_only_message_is_answered_but_not_stored_and_takes_no_seq() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let mut body = text(ADMIN, "alice", "ephemeral");
    body["isOnlineOnly"] = json!(true);
    let data = im.send_ok(&admin, &body).await;
    assert!(is_md5_hex(&data["serverMsgID"]), "{data}");
    assert!(im
        .pull_all(&admin, "alice", "si_alice_imAdmin")
        .await
        .is_empty());
    im.send_ok(&admin, &text(ADMIN, "alice", "kept")).await;
    let msg = only_message(&im, &admin, "alice", "si_alice_imAdmin").await;
    assert_eq!(msg["seq"], 1, "the first stored message has seq 1: {msg}");
}

// ------------------------------------------------------------------------------------------
// Content types

#[tokio::test]
async fn every_content_type_of_the_release_is_accepted_with_a_valid_content() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    for (content_type, content) in valid_contents() {
        let data = im
            .send_ok(&admin, &message(ADMIN, "alice", content_type, content))
            .await;
        assert!(
            is_md5_hex(&data["serverMsgID"]),
            "type {content_type}: {data}"
        );
    }
    let listing = app.journal("provider=openim").await;
    let types: Vec<i64> = listing["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["type"].as_i64().unwrap())
        .collect();
    assert_eq!(types, [101, 102, 103, 104, 105, 106, 110, 1400]);
}

#[tokio::test]
async fn content_types_the_release_does_not_send_are_args_errors_without_detail() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    for content_type in [
        1, 107, 108, 109, 111, 113, 114, 115, 117, 118, 119, 1401, 2101,
    ] {
        let body = message(ADMIN, "alice", content_type, json!({"content": "x"}));
        let case = format!("contentType {content_type}");
        assert_refused(
            &case,
            im.send(&admin, &body).await,
            200,
            1001,
            "ArgsError",
            "",
        )
        .await;
    }
    assert_eq!(
        app.journal("provider=openim").await["total"],
        0,
        "nothing stored"
    );
}

#[tokio::test]
async fn main_also_sends_quote_and_markdown_messages() {
    let (app, admin) = pinned_main().await;
    let next = Im::tenant(&app, "next");
    let cases = [
        (
            114,
            json!({"text": "re", "quoteMessage": {"clientMsgID": "c"}}),
        ),
        (118, json!({"content": "# hi"})),
    ];
    for (content_type, content) in cases {
        next.send_ok(&admin, &message(ADMIN, "alice", content_type, content))
            .await;
    }
    let body = message(ADMIN, "alice", 118, json!({}));
    let dlt = field_error("MarkdownTextElem.Content", "required");
    assert_refused(
        "118 without content",
        next.send(&admin, &body).await,
        200,
        500,
        "ServerInternalError",
        &dlt,
    )
    .await;
    let body = message(ADMIN, "alice", 109, json!({"content": "x"}));
    assert_refused(
        "109 on main",
        next.send(&admin, &body).await,
        200,
        1001,
        "ArgsError",
        "",
    )
    .await;
}

#[tokio::test]
async fn contents_are_weakly_decoded_matched_case_insensitively_and_stored_as_sent() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    // (case, content, what is stored)
    let cases = [
        (
            "a number for a string",
            json!({"content": 123}),
            r#"{"content":123}"#,
        ),
        (
            "a bool for a string",
            json!({"content": true}),
            r#"{"content":true}"#,
        ),
        (
            "an upper-case key",
            json!({"CONTENT": "hi"}),
            r#"{"CONTENT":"hi"}"#,
        ),
        (
            "unknown keys",
            json!({"z": [1, {"b": 2, "a": "<&>"}], "content": "x"}),
            r#"{"content":"x","z":[1,{"a":"\u003c\u0026\u003e","b":2}]}"#,
        ),
    ];
    for (_, content, _) in &cases {
        im.send_ok(&admin, &message(ADMIN, "alice", 101, content.clone()))
            .await;
    }
    let msgs = im.pull_all(&admin, "alice", "si_alice_imAdmin").await;
    for ((case, _, stored), msg) in cases.iter().zip(&msgs) {
        assert_eq!(unbase64(&msg["content"]), *stored, "case {case}");
    }
}

#[tokio::test]
async fn contents_that_do_not_decode_are_server_internal_errors_with_mapstructures_text() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let pic = picture_info();
    let parse = |field: &str, value: &str| {
        format!(
            "cannot parse '{field}' as int: strconv.ParseInt: parsing \"{value}\": invalid syntax"
        )
    };
    // (case, contentType, content, errDlt)
    let cases = [
        ("an object for text", 101, json!({"content": {"a": 1}}),
            decoding(&["'Content' expected type 'string', got unconvertible type 'map[string]interface {}', value: 'map[a:1]'"])),
        ("a list for custom data", 110, json!({"data": ["x", 2]}),
            decoding(&["'data' expected type 'string', got unconvertible type '[]interface {}', value: '[x 2]'"])),
        ("a word for a file size", 105, json!({"sourceUrl": "u", "fileName": "f", "fileSize": "big"}),
            decoding(&[&parse("fileSize", "big")])),
        ("two bad video numbers", 104, json!({"videoSize": "x", "duration": "y"}),
            decoding(&[&parse("duration", "y"), &parse("videoSize", "x")])),
        ("a string for a picture", 102, json!({"sourcePicture": "x", "bigPicture": pic, "snapshotPicture": pic}),
            decoding(&["'sourcePicture' expected a map, got 'string'"])),
    ];
    for (case, content_type, content, dlt) in cases {
        let resp = im
            .send(&admin, &message(ADMIN, "alice", content_type, content))
            .await;
        assert_refused(case, resp, 200, 500, "ServerInternalError", &dlt).await;
    }
}

#[tokio::test]
async fn contents_that_fail_validation_are_server_internal_errors_with_validators_lines() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let mut all_pictures = empty_picture_errors("PictureElem.SourcePicture");
    all_pictures.extend(empty_picture_errors("PictureElem.BigPicture"));
    all_pictures.extend(empty_picture_errors("PictureElem.SnapshotPicture"));
    let crowd: Vec<String> = (0..1001).map(|i| format!("u{i}")).collect();
    let oa = |extra: Value| {
        let mut content = json!({"notificationName": "n", "notificationType": 1, "text": "t"});
        content
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        content
    };
    // (case, contentType, content, errDlt)
    let cases = [
        (
            "text without content",
            101,
            json!({}),
            field_error("TextElem.Content", "required"),
        ),
        (
            "an empty text",
            101,
            json!({"content": ""}),
            field_error("TextElem.Content", "required"),
        ),
        (
            "a picture without sizes",
            102,
            json!({}),
            all_pictures.join("\n"),
        ),
        (
            "a voice of 0 s",
            103,
            json!({"sourceUrl": "u", "duration": 0}),
            field_error("SoundElem.Duration", "required"),
        ),
        (
            "a voice of -1 s",
            103,
            json!({"sourceUrl": "u", "duration": -1}),
            field_error("SoundElem.Duration", "min"),
        ),
        (
            "a file without name",
            105,
            json!({"sourceUrl": "u", "fileSize": 1}),
            field_error("FileElem.FileName", "required"),
        ),
        (
            "an @ without list",
            106,
            json!({"text": "x"}),
            field_error("AtElem.AtUserList", "required"),
        ),
        (
            "an @ of 1001 users",
            106,
            json!({"atUserList": crowd}),
            field_error("AtElem.AtUserList", "max"),
        ),
        (
            "custom without data",
            110,
            json!({"description": "d"}),
            field_error("CustomElem.Data", "required"),
        ),
        (
            "an empty OA notification",
            1400,
            json!({}),
            ["NotificationName", "NotificationType", "Text"]
                .iter()
                .map(|f| field_error(&format!("OANotificationElem.{f}"), "required"))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        (
            "mixType 6",
            1400,
            oa(json!({"mixType": 6})),
            field_error("OANotificationElem.MixType", "lte"),
        ),
        (
            "an empty picture in an OA notification",
            1400,
            oa(json!({"pictureElem": {}})),
            ["SourcePicture", "BigPicture", "SnapshotPicture"]
                .iter()
                .flat_map(|p| empty_picture_errors(&format!("OANotificationElem.PictureElem.{p}")))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
    ];
    for (case, content_type, content, dlt) in cases {
        let resp = im
            .send(&admin, &message(ADMIN, "alice", content_type, content))
            .await;
        assert_refused(case, resp, 200, 500, "ServerInternalError", &dlt).await;
    }
    assert_eq!(
        app.journal("provider=openim").await["total"],
        0,
        "nothing stored"
    );
}

#[tokio::test]
async fn an_at_text_message_keeps_at_user_id_list_empty_on_the_release_and_fills_it_on_main() {
    let (app, admin) = pinned_main().await;
    let content = json!({"text": "@bob", "atUserList": ["bob", "AtAllTag"]});
    // (tenant, atUserIDList pulled)
    let cases = [
        (Im::new(&app), Value::Null),
        (Im::tenant(&app, "next"), json!(["bob", "AtAllTag"])),
    ];
    for (im, expected) in cases {
        let admin = if expected.is_null() {
            im.admin_token().await
        } else {
            admin.clone()
        };
        im.send_ok(&admin, &message(ADMIN, "alice", 106, content.clone()))
            .await;
        let msg = only_message(&im, &admin, "alice", "si_alice_imAdmin").await;
        assert_eq!(msg["atUserIDList"], expected, "{msg}");
    }
}

// ------------------------------------------------------------------------------------------
// Binding (HTTP 400) and the order of the checks

#[tokio::test]
async fn binding_failures_are_http_400_with_the_validator_or_json_text() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let required = |field: &str| field_error(&format!("SendMsgReq.SendMsg.{field}"), "required");
    let recv = field_error("SendMsgReq.RecvID", "required_if");
    let group = field_error(
        "SendMsgReq.SendMsg.GroupID",
        "required_if=SessionType 2|required_if=SessionType 3",
    );
    let base = |session: i32| json!({"sendID": ADMIN, "content": {"content": "x"}, "contentType": 101, "sessionType": session});
    // (case, body, errDlt)
    let cases = [
        (
            "an empty object",
            "{}".to_owned(),
            ["SendID", "Content", "ContentType", "SessionType"]
                .map(required)
                .join("\n"),
        ),
        ("an empty body", String::new(), "EOF".to_owned()),
        ("blanks", "  \n ".to_owned(), "EOF".to_owned()),
        (
            "an unclosed object",
            "{".to_owned(),
            "unexpected EOF".to_owned(),
        ),
        (
            "an array",
            "[1]".to_owned(),
            "json: cannot unmarshal array into Go value of type apistruct.SendMsgReq".to_owned(),
        ),
        (
            "a null content",
            text_with("content", Value::Null),
            required("Content"),
        ),
        (
            "no sendID",
            text_with("sendID", json!("")),
            required("SendID"),
        ),
        ("single chat, no recvID", base(1).to_string(), recv.clone()),
        (
            "notification chat, no recvID",
            base(4).to_string(),
            recv.clone(),
        ),
        ("group chat, no groupID", base(3).to_string(), group.clone()),
        ("session type 2, no groupID", base(2).to_string(), group),
        (
            "no recvID, no sendID",
            json!({"content": {}, "contentType": 101, "sessionType": 1}).to_string(),
            format!("{recv}\n{}", required("SendID")),
        ),
    ];
    for (case, body, dlt) in cases {
        let headers = [("operationID", OPERATION_ID), ("token", admin.as_str())];
        let resp = im.post_raw("/msg/send_msg", &headers, body).await;
        assert_refused(case, resp, 400, 1001, "ArgsError", &dlt).await;
    }
}

/// A send_msg text with `key` set to `value`.
fn text_with(key: &str, value: Value) -> String {
    let mut body = text(ADMIN, "alice", "x");
    body[key] = value;
    body.to_string()
}

#[tokio::test]
async fn a_type_error_in_a_direct_field_names_the_request_struct() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let headers = [("operationID", OPERATION_ID), ("token", admin.as_str())];
    let resp = im
        .post_raw("/msg/send_msg", &headers, text_with("recvID", json!(7)))
        .await;
    let dlt = "json: cannot unmarshal number into Go struct field SendMsgReq.recvID of type string";
    assert_refused("a number recvID", resp, 400, 1001, "ArgsError", dlt).await;
}

#[tokio::test]
async fn a_type_error_in_an_embedded_field_names_the_embedded_struct_as_go_1_24_does() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let type_error = |field: &str, value: &str, ty: &str| {
        format!("json: cannot unmarshal {value} into Go struct field SendMsgReq.SendMsg.{field} of type {ty}")
    };
    // (case, body, errDlt)
    let cases = [
        (
            "a string content",
            text_with("content", json!("hi")),
            type_error("content", "string", "map[string]interface {}"),
        ),
        (
            "a string contentType",
            text_with("contentType", json!("101")),
            type_error("contentType", "string", "int32"),
        ),
        (
            "a fractional contentType",
            text_with("contentType", json!(1.5)),
            type_error("contentType", "number 1.5", "int32"),
        ),
    ];
    for (case, body, dlt) in cases {
        let headers = [("operationID", OPERATION_ID), ("token", admin.as_str())];
        let resp = im.post_raw("/msg/send_msg", &headers, body).await;
        assert_refused(case, resp, 400, 1001, "ArgsError", &dlt).await;
    }
}

#[tokio::test]
async fn a_users_token_is_refused_only_once_the_body_binds() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let alice = im.user_token(&admin, "alice", 1).await;
    let lines = ["SendID", "Content", "ContentType", "SessionType"]
        .map(|f| field_error(&format!("SendMsgReq.SendMsg.{f}"), "required"))
        .join("\n");
    assert_refused(
        "a malformed body",
        im.send(&alice, &json!({})).await,
        400,
        1001,
        "ArgsError",
        &lines,
    )
    .await;
    let permission = "only app manager can send message";
    // (case, body)
    let cases = [
        ("a text", text("alice", "bob", "hi")),
        (
            "an unsupported type",
            message("alice", "bob", 109, json!({})),
        ),
        (
            "an invalid content",
            message("alice", "bob", 101, json!({})),
        ),
    ];
    for (case, body) in cases {
        assert_refused(
            case,
            im.send(&alice, &body).await,
            200,
            1002,
            "NoPermissionError",
            permission,
        )
        .await;
    }
}

#[tokio::test]
async fn every_admin_user_id_may_send() {
    let (app, _) = pinned().await;
    let im = Im::new(&app);
    let second = im.admin_token_of(SECOND_ADMIN).await;
    im.send_ok(&second, &text("alice", "bob", "from the second admin"))
        .await;
}

// ------------------------------------------------------------------------------------------
// Session types

#[tokio::test]
async fn session_type_2_and_unknown_session_types_are_unknown_session_type() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    im.create_group(&admin, "g1", "alice", &["bob"]).await;
    let mut write_group = group_text(ADMIN, "g1", "hi");
    write_group["sessionType"] = json!(2);
    let mut other = text(ADMIN, "alice", "hi");
    other["sessionType"] = json!(9);
    for (case, body) in [("session type 2", write_group), ("session type 9", other)] {
        assert_refused(
            case,
            im.send(&admin, &body).await,
            200,
            1001,
            "ArgsError",
            "unknown sessionType",
        )
        .await;
    }
}

#[tokio::test]
async fn session_type_4_goes_only_with_content_type_1400_which_forces_it() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let mut text_as_notification = text(ADMIN, "alice", "hi");
    text_as_notification["sessionType"] = json!(4);
    let resp = im.send(&admin, &text_as_notification).await;
    let dlt = "notification msg must have correct session type and content type";
    assert_refused("text in session 4", resp, 200, 1001, "ArgsError", dlt).await;
    let oa = json!({"notificationName": "n", "notificationType": 1, "text": "t"});
    im.send_ok(&admin, &message(ADMIN, "alice", 1400, oa.clone()))
        .await;
    let msg = only_message(&im, &admin, "alice", "sn_alice_imAdmin").await;
    assert_eq!(msg["sessionType"], 4, "{msg}");
    assert_eq!(msg["contentType"], 1400, "{msg}");
    assert_eq!(
        unbase64(&msg["content"]),
        format!("{{\"detail\":{}}}", go_string(&oa.to_string()))
    );
}

#[tokio::test]
async fn a_notification_sender_must_be_a_notification_account_and_the_receiver_may_be_anyone() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let users = json!({"users": [{"userID": "notifier", "nickname": "N", "appMangerLevel": 2}]});
    ok_empty(im.post("/user/user_register", Some(&admin), &users).await).await;
    let oa = |send: &str, content: Value| message(send, "ghost", 1400, content);
    let good = json!({"notificationName": "n", "notificationType": 1, "text": "t"});
    let dlt = "notification messages cannot be sent for this ID";
    // (case, body, code, errMsg, errDlt)
    let cases = [
        (
            "an ordinary user",
            oa("alice", good.clone()),
            1002,
            "NoPermissionError",
            dlt,
        ),
        (
            "an ordinary user, bad content",
            oa("alice", json!({})),
            1002,
            "NoPermissionError",
            dlt,
        ),
        (
            "an unknown sender",
            oa("ghost", good.clone()),
            1101,
            "UserIDNotFoundError",
            "",
        ),
    ];
    for (case, body, code, msg, dlt) in cases {
        assert_refused(case, im.send(&admin, &body).await, 200, code, msg, dlt).await;
    }
    for sender in [ADMIN, "notifier"] {
        im.send_ok(&admin, &oa(sender, good.clone())).await;
    }
}

// ------------------------------------------------------------------------------------------
// Existence and membership

#[tokio::test]
async fn a_single_chat_needs_a_registered_receiver_but_not_sender_on_the_release() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let resp = im.send(&admin, &text(ADMIN, "ghost", "hi")).await;
    assert_refused(
        "an unknown receiver",
        resp,
        200,
        1004,
        "RecordNotFoundError",
        "userID not found",
    )
    .await;
    im.send_ok(&admin, &text("ghost", "bob", "hi")).await;
    assert_eq!(
        only_message(&im, &admin, "bob", "si_bob_ghost").await["sendID"],
        "ghost"
    );
}

#[tokio::test]
async fn on_main_a_single_chat_also_needs_a_registered_non_admin_sender() {
    let (app, admin) = pinned_main().await;
    let next = Im::tenant(&app, "next");
    let resp = next.send(&admin, &text("ghost", "bob", "hi")).await;
    assert_refused(
        "an unknown sender",
        resp,
        200,
        1004,
        "RecordNotFoundError",
        "record not found",
    )
    .await;
    let resp = next.send(&admin, &text("alice", "ghost", "hi")).await;
    assert_refused(
        "an unknown receiver",
        resp,
        200,
        1004,
        "RecordNotFoundError",
        "userID not found",
    )
    .await;
    next.send_ok(&admin, &text(SECOND_ADMIN, "bob", "an admin sender"))
        .await;
}

#[tokio::test]
async fn a_receiver_who_refuses_all_messages_gets_none() {
    let (app, admin) = pinned_main().await;
    let quiet = json!({"users": [{"userID": "quiet", "nickname": "Q", "globalRecvMsgOpt": 1}]});
    let release = Im::new(&app);
    let release_admin = release.admin_token().await;
    ok_empty(
        release
            .post("/user/user_register", Some(&release_admin), &quiet)
            .await,
    )
    .await;
    let resp = release
        .send(&release_admin, &text(ADMIN, "quiet", "hi"))
        .await;
    assert_refused_code(
        "the release: a nil RPC reply",
        resp,
        500,
        "ServerInternalError",
    )
    .await;
    let next = Im::tenant(&app, "next");
    ok_empty(next.post("/user/user_register", Some(&admin), &quiet).await).await;
    let resp = next.send(&admin, &text(ADMIN, "quiet", "hi")).await;
    assert_refused("main", resp, 200, 1001, "ArgsError", "message is not sent").await;
}

#[tokio::test]
async fn a_group_message_needs_a_live_group_and_a_member_sender_unless_an_admin() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    im.register(&admin, &[("carol", "Carol")]).await;
    im.create_group(&admin, "g1", "alice", &["bob"]).await;
    let mut dismissed = group_request("g2", "alice", &["bob"]);
    dismissed["groupInfo"]["status"] = json!(2);
    ok_data(
        im.post("/group/create_group", Some(&admin), &dismissed)
            .await,
    )
    .await;
    // (case, body, code, errMsg)
    let cases = [
        (
            "an unknown group",
            group_text(ADMIN, "nope", "hi"),
            1004,
            "RecordNotFoundError",
        ),
        (
            "a non-member sender",
            group_text("carol", "g1", "hi"),
            1203,
            "NotInGroupYetError",
        ),
        (
            "an unknown sender",
            group_text("ghost", "g1", "hi"),
            1203,
            "NotInGroupYetError",
        ),
        (
            "a dismissed group, admin sender",
            group_text(ADMIN, "g2", "hi"),
            1204,
            "DismissedAlreadyError",
        ),
        (
            "a dismissed group, owner",
            group_text("alice", "g2", "hi"),
            1204,
            "DismissedAlreadyError",
        ),
    ];
    for (case, body, code, msg) in cases {
        assert_refused(case, im.send(&admin, &body).await, 200, code, msg, "").await;
    }
    for sender in ["alice", "bob", ADMIN, SECOND_ADMIN] {
        im.send_ok(&admin, &group_text(sender, "g1", "hi")).await;
    }
    let msgs = im.pull_all(&admin, "bob", "sg_g1").await;
    assert_eq!(msgs.len(), 4, "{msgs:?}");
    assert!(
        msgs.iter()
            .all(|m| m["groupID"] == "g1" && m["sessionType"] == 3),
        "{msgs:?}"
    );
}

#[tokio::test]
async fn a_receiver_who_takes_messages_without_notice_gets_them_without_offline_push() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let users = json!({"users": [{"userID": "calm", "nickname": "C", "globalRecvMsgOpt": 2}]});
    ok_empty(im.post("/user/user_register", Some(&admin), &users).await).await;
    im.send_ok(&admin, &text(ADMIN, "calm", "hi")).await;
    let msg = only_message(&im, &admin, "calm", "si_calm_imAdmin").await;
    assert_eq!(msg["options"], json!({"offlinePush": false}), "{msg}");
}
