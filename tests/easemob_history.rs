//! Black-box tests of Easemob's offline messages (`/users/{u}/offline_msg_count`,
//! `/users/{u}/offline_msg_status/{msg_id}` and the admin route that delivers them), the
//! hourly history export (`/chatmessages/{yyyyMMddHH}` and its signed download link) and
//! message rewrite (`PUT /messages/rewrite/{msg_id}`), over HTTP with the clock pinned.
mod common;
use common::*;

use flate2::read::GzDecoder;
use reqwest::{Response, StatusCode};
use serde_json::{json, Value};
use std::io::Read;

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;

// ------------------------------------------------------------------------------------------
// Helpers
// ------------------------------------------------------------------------------------------

/// A server with the built-in fixtures, its clock pinned at `T0`, and an app token.
async fn pinned_app() -> (TestApp, String) {
    let app = spawn_app().await;
    app.set_clock(T0).await;
    let token = app.app_token().await;
    (app, token)
}

/// A server whose `demo/chat` has the `limits` given, clock pinned at `T0`, and an app token.
async fn app_with_limits(limits: Value) -> (TestApp, String) {
    let fixtures = json!({"tenants": [{
        "org": ORG, "app": APP, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
        "limits": limits
    }]});
    let app = spawn_with_fixtures(&fixtures).await;
    app.set_clock(T0).await;
    let token = app.app_token().await;
    (app, token)
}

/// Sends a text `from` → `to` and returns its message id.
async fn text_id(app: &TestApp, token: &str, from: &str, to: &str, msg: &str) -> String {
    let body = ok_json(app.send_text(token, from, &[to], msg).await).await;
    body["data"][to].as_str().unwrap().to_owned()
}

/// Sends a message of `kind` with `body` (and `ext` when given) to one user; returns its id.
async fn send_one(
    app: &TestApp,
    token: &str,
    kind: &str,
    body: Value,
    ext: Option<Value>,
) -> String {
    let mut request = json!({"from": "alice", "to": ["bob"], "type": kind, "body": body});
    if let Some(ext) = ext {
        request["ext"] = ext;
    }
    let answer = ok_json(app.post("/messages/users", Some(token), &request).await).await;
    answer["data"]["bob"].as_str().unwrap().to_owned()
}

/// `GET /users/{user}/offline_msg_count`.
async fn offline_count(app: &TestApp, token: Option<&str>, user: &str) -> Response {
    app.get(&format!("/users/{user}/offline_msg_count"), token)
        .await
}

/// `GET /users/{user}/offline_msg_status/{id}`.
async fn offline_status(app: &TestApp, token: Option<&str>, user: &str, id: &str) -> Response {
    app.get(&format!("/users/{user}/offline_msg_status/{id}"), token)
        .await
}

/// The count `offline_msg_count` answers for `user`.
async fn count_of(app: &TestApp, token: &str, user: &str) -> i64 {
    let body = ok_json(offline_count(app, Some(token), user).await).await;
    body["data"][user].as_i64().unwrap()
}

/// The status `offline_msg_status` answers for `id` of `user`.
async fn status_of(app: &TestApp, token: &str, user: &str, id: &str) -> String {
    let body = ok_json(offline_status(app, Some(token), user, id).await).await;
    body["data"][id].as_str().unwrap().to_owned()
}

/// `POST /_emulator/easemob/{org}/{app}/users/{user}/delivered`.
async fn deliver(app: &TestApp, org: &str, name: &str, user: &str) -> Response {
    app.client
        .post(format!(
            "{}/_emulator/easemob/{org}/{name}/users/{user}/delivered",
            app.url
        ))
        .send()
        .await
        .unwrap()
}

/// `yyyyMMddHH` of the UTC hour holding `ms`.
fn hour_of(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap()
        .format("%Y%m%d%H")
        .to_string()
}

/// `GET /chatmessages/{time}`.
async fn history(app: &TestApp, token: Option<&str>, time: &str) -> Response {
    app.get(&format!("/chatmessages/{time}"), token).await
}

/// The download link `GET /chatmessages/{time}` answers.
async fn history_url(app: &TestApp, token: &str, time: &str) -> String {
    let body = ok_json(history(app, Some(token), time).await).await;
    body["data"][0]["url"].as_str().unwrap().to_owned()
}

/// Downloads `url` without a token.
async fn fetch(app: &TestApp, url: &str) -> Response {
    app.client.get(url).send().await.unwrap()
}

/// Downloads `url` and reads the gunzipped JSON lines.
async fn history_lines(app: &TestApp, url: &str) -> Vec<Value> {
    let resp = fetch(app, url).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let bytes = resp.bytes().await.unwrap();
    let mut text = String::new();
    GzDecoder::new(&bytes[..])
        .read_to_string(&mut text)
        .expect("the file is gzip");
    assert!(text.ends_with('\n'), "one JSON object a line: {text}");
    text.lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect()
}

/// Asserts an OSS XML error answer with `status` and `code`.
async fn assert_oss_error(resp: Response, status: u16, code: &str, message: &str) {
    assert_eq!(resp.status().as_u16(), status, "status for {code}");
    let content_type = resp.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(
        content_type.starts_with("application/xml"),
        "{content_type}"
    );
    let text = resp.text().await.unwrap();
    assert!(text.contains(&format!("<Code>{code}</Code>")), "{text}");
    assert!(
        text.contains(&format!("<Message>{message}</Message>")),
        "{text}"
    );
}

/// `PUT /messages/rewrite/{id}` with `body`.
async fn rewrite(app: &TestApp, token: Option<&str>, id: &str, body: &Value) -> Response {
    app.put(&format!("/messages/rewrite/{id}"), token, body)
        .await
}

/// The journal record of the message `id`.
async fn record(app: &TestApp, id: &str) -> Value {
    let listing = app.journal("provider=easemob").await;
    listing["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == id)
        .cloned()
        .unwrap_or_else(|| panic!("no record {id} in {listing}"))
}

// ------------------------------------------------------------------------------------------
// Offline messages
// ------------------------------------------------------------------------------------------

#[tokio::test]
async fn offline_msg_count_counts_a_users_messages_in_the_documented_envelope() {
    let (app, token) = pinned_app().await;
    text_id(&app, &token, "alice", "bob", "one").await;
    text_id(&app, &token, "alice", "bob", "two").await;
    text_id(&app, &token, "bob", "alice", "three").await;
    let body = ok_json(offline_count(&app, Some(&token), "bob").await).await;
    assert_eq!(body["action"], "get", "{body}");
    assert_eq!(body["data"], json!({"bob": 2}), "{body}");
    assert_eq!(body["entities"], json!([]), "{body}");
    assert_eq!(body["count"], 0, "{body}");
    assert_eq!(
        body["uri"],
        format!("{}/demo/chat/users/bob/offline_msg_count", app.url),
        "{body}"
    );
    assert_eq!(body["timestamp"], T0, "{body}");
    assert!(body["duration"].is_u64(), "{body}");
    assert_eq!(count_of(&app, &token, "alice").await, 1);
}

#[tokio::test]
async fn offline_messages_stay_undelivered_until_the_admin_api_delivers_them() {
    let (app, token) = pinned_app().await;
    let first = text_id(&app, &token, "alice", "bob", "one").await;
    text_id(&app, &token, "alice", "bob", "two").await;
    let other = text_id(&app, &token, "bob", "alice", "to alice").await;
    assert_eq!(status_of(&app, &token, "bob", &first).await, "undelivered");

    let resp = deliver(&app, ORG, APP, "bob").await;
    assert_eq!(resp.status(), StatusCode::OK);
    let answer: Value = resp.json().await.unwrap();
    assert_eq!(
        answer,
        json!({"tenant": "demo/chat", "user": "bob", "delivered": 2})
    );
    assert_eq!(count_of(&app, &token, "bob").await, 0);
    assert_eq!(status_of(&app, &token, "bob", &first).await, "delivered");
    assert_eq!(
        status_of(&app, &token, "alice", &other).await,
        "undelivered",
        "alice's messages are not delivered by bob coming online"
    );

    let later = text_id(&app, &token, "alice", "bob", "three").await;
    assert_eq!(
        count_of(&app, &token, "bob").await,
        1,
        "a new message waits"
    );
    assert_eq!(status_of(&app, &token, "bob", &later).await, "undelivered");
    let again: Value = deliver(&app, ORG, APP, "bob").await.json().await.unwrap();
    assert_eq!(again["delivered"], 1, "{again}");
}

#[tokio::test]
async fn offline_msg_status_reports_unknown_and_other_users_ids_as_delivered() {
    let (app, token) = pinned_app().await;
    let to_alice = text_id(&app, &token, "bob", "alice", "hi").await;
    let body = ok_json(offline_status(&app, Some(&token), "bob", "123").await).await;
    assert_eq!(body["data"], json!({"123": "delivered"}), "{body}");
    assert_eq!(body["entities"], json!([]), "{body}");
    assert_eq!(body["count"], 0, "{body}");
    assert_eq!(
        body["uri"],
        format!("{}/demo/chat/users/bob/offline_msg_status/123", app.url),
        "{body}"
    );
    assert_eq!(status_of(&app, &token, "bob", &to_alice).await, "delivered");
    assert_eq!(
        status_of(&app, &token, "bob", "not-a-number").await,
        "delivered"
    );
}

#[tokio::test]
async fn offline_counts_ignore_case_unknown_users_group_messages_and_recalled_messages() {
    let (app, token) = pinned_app().await;
    let id = text_id(&app, &token, "alice", "bob", "one").await;
    text_id(&app, &token, "alice", "bob", "two").await;
    let group = json!({"from": "alice", "to": ["bob"], "type": "txt", "body": {"msg": "g"}});
    ok_json(app.post("/messages/chatgroups", Some(&token), &group).await).await;
    let body = ok_json(offline_count(&app, Some(&token), "BOB").await).await;
    assert_eq!(
        body["data"],
        json!({"BOB": 2}),
        "usernames are case-insensitive: {body}"
    );
    assert_eq!(count_of(&app, &token, "nobody").await, 0);

    let recall = json!({"msg_id": id, "to": "bob", "chat_type": "chat", "from": "alice"});
    ok_json(
        app.post("/messages/msg_recall", Some(&token), &recall)
            .await,
    )
    .await;
    assert_eq!(
        count_of(&app, &token, "bob").await,
        1,
        "a recalled message is gone"
    );
    assert_eq!(status_of(&app, &token, "bob", &id).await, "delivered");
}

#[tokio::test]
async fn offline_routes_require_an_app_token() {
    let (app, _) = pinned_app().await;
    let cases = [
        ("count", offline_count(&app, None, "bob").await),
        ("status", offline_status(&app, None, "bob", "1").await),
    ];
    for (case, resp) in cases {
        assert_error_row(
            case,
            resp,
            401,
            "unauthorized",
            "Unable to authenticate due to expired access token",
        )
        .await;
    }
    let resp = offline_count(&app, Some("YWMtgarbage"), "bob").await;
    easemob_error_kind(resp, 401, "auth_bad_access_token").await;
}

#[tokio::test]
async fn offline_routes_answer_405_to_other_methods() {
    let (app, token) = pinned_app().await;
    let resp = app
        .post("/users/bob/offline_msg_count", Some(&token), &json!({}))
        .await;
    easemob_envelope(resp, 405).await;
}

#[tokio::test]
async fn offline_routes_are_rate_limited_per_second() {
    let (app, token) = app_with_limits(json!({"offline_calls_per_second": 2})).await;
    for _ in 0..2 {
        ok_json(offline_count(&app, Some(&token), "bob").await).await;
    }
    let resp = offline_status(&app, Some(&token), "bob", "1").await;
    assert_easemob_error(
        resp,
        429,
        "reach_limit",
        "This request has reached api limit",
    )
    .await;
    app.advance_clock(1000).await;
    ok_json(offline_count(&app, Some(&token), "bob").await).await;
}

#[tokio::test]
async fn the_delivered_admin_route_refuses_unknown_tenants_and_other_methods() {
    let (app, _) = pinned_app().await;
    let resp = deliver(&app, "nosuch", "tenant", "bob").await;
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["error"], "not_found", "{body}");
    let resp = app
        .client
        .get(format!(
            "{}/_emulator/easemob/demo/chat/users/bob/delivered",
            app.url
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED);
    let answer: Value = deliver(&app, ORG, APP, "nobody")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(answer["delivered"], 0, "{answer}");
}

#[tokio::test]
async fn a_reset_forgets_deliveries_with_the_messages() {
    let (app, token) = pinned_app().await;
    text_id(&app, &token, "alice", "bob", "one").await;
    deliver(&app, ORG, APP, "bob").await;
    assert_eq!(app.reset("provider=easemob").await.status(), StatusCode::OK);
    let token = app.app_token().await;
    let id = text_id(&app, &token, "alice", "bob", "two").await;
    assert_eq!(count_of(&app, &token, "bob").await, 1);
    assert_eq!(status_of(&app, &token, "bob", &id).await, "undelivered");
}

// ------------------------------------------------------------------------------------------
// History export
// ------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_history_link_is_a_signed_url_that_expires_after_half_an_hour() {
    let (app, token) = pinned_app().await;
    text_id(&app, &token, "alice", "bob", "hi").await;
    let time = hour_of(T0);
    let body = ok_json(history(&app, Some(&token), &time).await).await;
    assert_eq!(body["action"], "get", "{body}");
    assert_eq!(body["organization"], "demo", "{body}");
    assert_eq!(body["applicationName"], "chat", "{body}");
    assert_eq!(body["application"], DEMO_APPLICATION, "{body}");
    assert_eq!(
        body["uri"],
        format!("{}/demo/chat/chatmessages/{time}", app.url),
        "{body}"
    );
    let data = body["data"].as_array().unwrap();
    assert_eq!(data.len(), 1, "{body}");
    let url = data[0]["url"].as_str().unwrap();
    let prefix = format!("{}/demo/chat/chatmessages/{time}.gz?", app.url);
    assert!(url.starts_with(&prefix), "{url}");
    let query: Vec<(String, String)> =
        serde_urlencoded::from_str(url.split_once('?').unwrap().1).unwrap();
    let names: Vec<&str> = query.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(names, ["Expires", "OSSAccessKeyId", "Signature"], "{url}");
    assert_eq!(query[0].1, (T0 / 1000 + 1800).to_string(), "{url}");
    assert!(query[1].1.starts_with("LTAI"), "{url}");
    assert!(!query[2].1.is_empty(), "{url}");
}

#[tokio::test]
async fn the_history_file_holds_every_message_of_the_hour_in_the_documented_format() {
    let (app, token) = pinned_app().await;
    let text = text_id(&app, &token, "alice", "bob", "hello").await;
    let custom_body = json!({"customEvent": "gift_1", "customExts": {"name": "flower"}});
    let custom = send_one(&app, &token, "custom", custom_body, Some(json!({"k": "v"}))).await;
    let group = json!({"from": "alice", "to": ["g1"], "type": "txt", "body": {"msg": "to group"}});
    let group_answer = ok_json(app.post("/messages/chatgroups", Some(&token), &group).await).await;
    let room = json!({"from": "alice", "to": ["r1"], "type": "cmd", "body": {"action": "run"}});
    let room_answer = ok_json(app.post("/messages/chatrooms", Some(&token), &room).await).await;
    let legacy = json!({"target_type": "users", "target": ["carol"],
                        "msg": {"type": "txt", "msg": "legacy"}, "from": "bob"});
    let legacy_answer = ok_json(
        app.post("/messages?useMsgId=true", Some(&token), &legacy)
            .await,
    )
    .await;

    let url = history_url(&app, &token, &hour_of(T0)).await;
    let lines = history_lines(&app, &url).await;
    assert_eq!(lines.len(), 5, "{lines:?}");
    let expected = [
        json!({"msg_id": text, "timestamp": T0, "direction": "outgoing", "to": "bob",
               "from": "alice", "chat_type": "chat",
               "payload": {"bodies": [{"msg": "hello", "type": "txt"}], "ext": {},
                           "from": "alice", "to": "bob"}}),
        json!({"msg_id": custom, "timestamp": T0, "direction": "outgoing", "to": "bob",
               "from": "alice", "chat_type": "chat",
               "payload": {"bodies": [{"customEvent": "gift_1",
                                       "customExts": {"name": "flower"}, "type": "custom"}],
                           "ext": {"k": "v"}, "from": "alice", "to": "bob"}}),
        json!({"msg_id": group_answer["data"]["g1"], "timestamp": T0, "direction": "outgoing",
               "to": "g1", "from": "alice", "chat_type": "groupchat",
               "payload": {"bodies": [{"msg": "to group", "type": "txt"}], "ext": {},
                           "from": "alice", "to": "g1"}}),
        json!({"msg_id": room_answer["data"]["r1"], "timestamp": T0, "direction": "outgoing",
               "to": "r1", "from": "alice", "chat_type": "chatroom",
               "payload": {"bodies": [{"action": "run", "type": "cmd"}], "ext": {},
                           "from": "alice", "to": "r1"}}),
        json!({"msg_id": legacy_answer["data"]["carol"], "timestamp": T0,
               "direction": "outgoing", "to": "carol", "from": "bob", "chat_type": "chat",
               "payload": {"bodies": [{"msg": "legacy", "type": "txt"}], "ext": {},
                           "from": "bob", "to": "carol"}}),
    ];
    for (line, want) in lines.iter().zip(&expected) {
        assert_eq!(line, want);
        assert_eq!(
            keys(line),
            sorted(&[
                "msg_id",
                "timestamp",
                "direction",
                "to",
                "from",
                "chat_type",
                "payload"
            ])
        );
    }
}

#[tokio::test]
async fn the_history_file_of_an_hour_leaves_out_other_hours_and_recalled_messages() {
    let (app, token) = pinned_app().await;
    let kept = text_id(&app, &token, "alice", "bob", "kept").await;
    let recalled = text_id(&app, &token, "alice", "bob", "recalled").await;
    let recall = json!({"msg_id": recalled, "to": "bob", "chat_type": "chat"});
    ok_json(
        app.post("/messages/msg_recall", Some(&token), &recall)
            .await,
    )
    .await;
    app.advance_clock(HOUR_MS).await;
    let next = text_id(&app, &token, "alice", "bob", "next hour").await;

    let first = history_lines(&app, &history_url(&app, &token, &hour_of(T0)).await).await;
    let ids: Vec<&str> = first
        .iter()
        .map(|l| l["msg_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [kept.as_str()]);
    let url = history_url(&app, &token, &hour_of(T0 + HOUR_MS)).await;
    let second = history_lines(&app, &url).await;
    let ids: Vec<&str> = second
        .iter()
        .map(|l| l["msg_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [next.as_str()]);
    assert_eq!(second[0]["timestamp"], T0 + HOUR_MS);
}

#[tokio::test]
async fn a_history_time_not_in_the_yyyymmddhh_format_is_refused() {
    let (app, token) = pinned_app().await;
    text_id(&app, &token, "alice", "bob", "hi").await;
    let cases = [
        "202609211",
        "20260921100",
        "2026-09-21",
        "abcdefghij",
        "2026132110",
        "2026000110",
        "2026023010",
        "2026092124",
        "%2B026092110",
    ];
    for case in cases {
        let resp = history(&app, Some(&token), case).await;
        assert_error_row(
            case,
            resp,
            400,
            "illegal_argument",
            "This chatmessage request is not supported",
        )
        .await;
    }
}

#[tokio::test]
async fn history_older_than_three_days_or_not_yet_begun_is_refused() {
    let (app, token) = pinned_app().await;
    text_id(&app, &token, "alice", "bob", "hi").await;
    let time = hour_of(T0);
    let hour_end = T0 - T0 % HOUR_MS + HOUR_MS;
    app.set_clock(hour_end + 3 * DAY_MS - 1).await;
    history_url(&app, &token, &time).await;
    app.advance_clock(1).await;
    let expired = format!(
        "illegal arguments: appkey: demo#chat, time: {time}, maybe chat message history is expired or unstored"
    );
    let resp = history(&app, Some(&token), &time).await;
    assert_easemob_error(resp, 400, "illegal_argument", &expired).await;

    let future = hour_of(hour_end + 3 * DAY_MS + HOUR_MS);
    let resp = history(&app, Some(&token), &future).await;
    let text = format!(
        "illegal arguments: appkey: demo#chat, time: {future}, maybe chat message history is expired or unstored"
    );
    assert_easemob_error(resp, 400, "illegal_argument", &text).await;
}

#[tokio::test]
async fn an_hour_without_messages_answers_storage_object_not_found() {
    let (app, token) = pinned_app().await;
    text_id(&app, &token, "alice", "bob", "hi").await;
    let time = hour_of(T0 - HOUR_MS);
    let resp = history(&app, Some(&token), &time).await;
    let text = format!(
        "Failed to find chat message history download url for appkey: demo#chat, time: {time}"
    );
    assert_easemob_error(resp, 404, "storage_object_not_found", &text).await;
}

#[tokio::test]
async fn the_history_link_needs_an_app_token_but_its_download_does_not() {
    let (app, token) = pinned_app().await;
    text_id(&app, &token, "alice", "bob", "hi").await;
    let resp = history(&app, None, &hour_of(T0)).await;
    assert_easemob_error(
        resp,
        401,
        "unauthorized",
        "Unable to authenticate due to expired access token",
    )
    .await;
    let url = history_url(&app, &token, &hour_of(T0)).await;
    assert_eq!(history_lines(&app, &url).await.len(), 1);
}

#[tokio::test]
async fn the_history_link_is_limited_to_ten_calls_a_minute() {
    let app = spawn_app().await;
    app.set_clock(T0 - T0 % 60_000).await;
    let token2 = app.app_token().await;
    for _ in 0..10 {
        easemob_envelope(history(&app, Some(&token2), "2018112717").await, 400).await;
    }
    let resp = history(&app, Some(&token2), &hour_of(T0)).await;
    assert_easemob_error(
        resp,
        429,
        "reach_limit",
        "This request has reached api limit",
    )
    .await;
    app.advance_clock(60_000).await;
    easemob_envelope(history(&app, Some(&token2), "2018112717").await, 400).await;
}

#[tokio::test]
async fn a_download_without_a_valid_unexpired_signature_is_refused_in_oss_xml() {
    let (app, token) = pinned_app().await;
    text_id(&app, &token, "alice", "bob", "hi").await;
    let url = history_url(&app, &token, &hour_of(T0)).await;
    let bare = url.split_once('?').unwrap().0.to_owned();
    let no_right = "You have no right to access this object because of bucket acl.";
    assert_oss_error(fetch(&app, &bare).await, 403, "AccessDenied", no_right).await;

    let mismatch = "The request signature we calculated does not match the signature you \
                    provided. Check your key and signing method.";
    let tampered = format!("{url}x");
    assert_oss_error(
        fetch(&app, &tampered).await,
        403,
        "SignatureDoesNotMatch",
        mismatch,
    )
    .await;
    let (_, query) = url.split_once('?').unwrap();
    let other_hour = format!(
        "{}/demo/chat/chatmessages/{}.gz?{query}",
        app.url,
        hour_of(T0 - HOUR_MS)
    );
    assert_oss_error(
        fetch(&app, &other_hour).await,
        403,
        "SignatureDoesNotMatch",
        mismatch,
    )
    .await;
    let later = url.replace(
        &format!("Expires={}", T0 / 1000 + 1800),
        &format!("Expires={}", T0 / 1000 + 99_999),
    );
    assert_oss_error(
        fetch(&app, &later).await,
        403,
        "SignatureDoesNotMatch",
        mismatch,
    )
    .await;

    app.advance_clock(1800 * 1000).await;
    assert_eq!(
        fetch(&app, &url).await.status(),
        StatusCode::OK,
        "valid up to Expires"
    );
    app.advance_clock(1000).await;
    let expired = fetch(&app, &url).await;
    assert_oss_error(expired, 403, "AccessDenied", "Request has expired.").await;
}

#[tokio::test]
async fn a_download_of_an_hour_emptied_since_the_link_answers_no_such_key() {
    let (app, token) = pinned_app().await;
    text_id(&app, &token, "alice", "bob", "hi").await;
    let url = history_url(&app, &token, &hour_of(T0)).await;
    assert_eq!(app.reset("provider=easemob").await.status(), StatusCode::OK);
    let resp = fetch(&app, &url).await;
    assert_oss_error(resp, 404, "NoSuchKey", "The specified key does not exist.").await;
}

// ------------------------------------------------------------------------------------------
// Rewrite
// ------------------------------------------------------------------------------------------

#[tokio::test]
async fn rewriting_a_text_message_answers_success_and_changes_the_journal_record() {
    let (app, token) = pinned_app().await;
    let id = text_id(&app, &token, "alice", "bob", "before").await;
    let other = text_id(&app, &token, "alice", "bob", "untouched").await;
    let body = json!({"user": "alice", "new_msg": {"type": "txt", "msg": "after"}});
    let answer = ok_json(rewrite(&app, Some(&token), &id, &body).await).await;
    assert_eq!(answer["data"], "success", "{answer}");
    assert_eq!(answer["action"], "put", "{answer}");
    assert_eq!(
        answer["path"],
        format!("/messages/rewrite/{id}"),
        "{answer}"
    );
    assert_eq!(
        answer["uri"],
        format!("{}/demo/chat/messages/rewrite/{id}", app.url),
        "{answer}"
    );
    assert_eq!(answer["organization"], "demo", "{answer}");
    assert_eq!(answer["applicationName"], "chat", "{answer}");
    assert_eq!(answer["application"], DEMO_APPLICATION, "{answer}");

    let modified = record(&app, &id).await;
    assert_eq!(modified["content"], json!({"msg": "after"}), "{modified}");
    assert_eq!(modified["modified"], true, "{modified}");
    assert_eq!(modified["type"], "txt", "{modified}");
    let untouched = record(&app, &other).await;
    assert_eq!(untouched["modified"], false, "{untouched}");
    assert_eq!(untouched["content"], json!({"msg": "untouched"}));

    let url = history_url(&app, &token, &hour_of(T0)).await;
    let lines = history_lines(&app, &url).await;
    assert_eq!(
        lines[0]["payload"]["bodies"][0]["msg"], "after",
        "the export reads the journal"
    );
}

#[tokio::test]
async fn rewriting_a_custom_message_merges_or_replaces_its_ext() {
    let (app, token) = pinned_app().await;
    let custom = json!({"customEvent": "gift_1", "customExts": {"name": "flower"}});
    let id = send_one(
        &app,
        &token,
        "custom",
        custom.clone(),
        Some(json!({"a": "1", "b": "2"})),
    )
    .await;
    let body = json!({
        "new_msg": {"type": "custom", "customEvent": "gift_2", "customExts": {"size": "16"}},
        "new_ext": {"b": "new", "c": "3"}
    });
    ok_json(rewrite(&app, Some(&token), &id, &body).await).await;
    let merged = record(&app, &id).await;
    assert_eq!(
        merged["content"],
        json!({"customEvent": "gift_2", "customExts": {"size": "16"}}),
        "{merged}"
    );
    assert_eq!(
        merged["ext"],
        json!({"a": "1", "b": "new", "c": "3"}),
        "{merged}"
    );

    let body = json!({"new_msg": {"type": "custom"}, "new_ext": {"only": "x"},
                      "is_combine_ext": false});
    ok_json(rewrite(&app, Some(&token), &id, &body).await).await;
    let replaced = record(&app, &id).await;
    assert_eq!(replaced["ext"], json!({"only": "x"}), "{replaced}");
    assert_eq!(replaced["content"], json!({}), "{replaced}");
}

#[tokio::test]
async fn rewriting_a_text_message_keeps_its_ext() {
    let (app, token) = pinned_app().await;
    let id = send_one(
        &app,
        &token,
        "txt",
        json!({"msg": "a"}),
        Some(json!({"k": 1})),
    )
    .await;
    let body = json!({"new_msg": {"type": "txt", "msg": "b"}, "new_ext": {"other": 2}});
    ok_json(rewrite(&app, Some(&token), &id, &body).await).await;
    assert_eq!(record(&app, &id).await["ext"], json!({"k": 1}));
}

#[tokio::test]
async fn rewrite_refuses_other_types_unknown_ids_and_other_senders() {
    let (app, token) = pinned_app().await;
    let text = text_id(&app, &token, "alice", "bob", "text").await;
    let image = json!({"url": "https://h/demo/chat/chatfiles/x", "filename": "a.jpg"});
    let img = send_one(&app, &token, "img", image, None).await;
    let recalled = text_id(&app, &token, "alice", "bob", "gone").await;
    let recall = json!({"msg_id": recalled, "to": "bob", "chat_type": "chat"});
    ok_json(
        app.post("/messages/msg_recall", Some(&token), &recall)
            .await,
    )
    .await;

    let txt = json!({"new_msg": {"type": "txt", "msg": "new"}});
    let unsupported = "The message is of a type that is currently not supported for modification.";
    let unavailable = "The message is unavailable or has expired.";
    let cases: Vec<(&str, String, Value, u16, &str, &str)> = vec![
        (
            "image message",
            img.clone(),
            txt.clone(),
            400,
            "message_rewrite_error",
            unsupported,
        ),
        (
            "new type img",
            text.clone(),
            json!({"new_msg": {"type": "img", "url": "u"}}),
            400,
            "message_rewrite_error",
            unsupported,
        ),
        (
            "text as custom",
            text.clone(),
            json!({"new_msg": {"type": "custom", "customEvent": "e"}}),
            400,
            "message_rewrite_error",
            unsupported,
        ),
        (
            "no type",
            text.clone(),
            json!({"new_msg": {"msg": "x"}}),
            400,
            "message_rewrite_error",
            unsupported,
        ),
        (
            "unknown id",
            "1234567890123456789".into(),
            txt.clone(),
            404,
            "message_rewrite_error",
            unavailable,
        ),
        (
            "recalled",
            recalled.clone(),
            txt.clone(),
            404,
            "message_rewrite_error",
            unavailable,
        ),
        (
            "not a number",
            "abc".into(),
            txt.clone(),
            400,
            "message_rewrite_error",
            "The provided message ID is not a valid number.",
        ),
        (
            "another user",
            text.clone(),
            json!({"user": "bob", "new_msg": {"type": "txt", "msg": "x"}}),
            401,
            "message_rewrite_error",
            "You are not authorized to edit this message.",
        ),
        (
            "no new_msg",
            text.clone(),
            json!({"user": "alice"}),
            400,
            "illegal_argument",
            "new_msg is required",
        ),
        (
            "null new_msg",
            text.clone(),
            json!({"new_msg": null}),
            400,
            "illegal_argument",
            "new_msg is required",
        ),
    ];
    for (case, id, body, status, error, text) in cases {
        let resp = rewrite(&app, Some(&token), &id, &body).await;
        assert_error_row(case, resp, status, error, text).await;
    }
    assert_eq!(record(&app, &text).await["content"], json!({"msg": "text"}));
    assert_eq!(record(&app, &img).await["modified"], false);
}

#[tokio::test]
async fn rewrite_refuses_malformed_bodies_as_invalid_request_body() {
    let (app, token) = pinned_app().await;
    let id = text_id(&app, &token, "alice", "bob", "text").await;
    let cases = [
        ("not json", json!("{")),
        ("new_msg a string", json!({"new_msg": "x"})),
        ("msg missing", json!({"new_msg": {"type": "txt"}})),
        (
            "msg a number",
            json!({"new_msg": {"type": "txt", "msg": 5}}),
        ),
        (
            "user a number",
            json!({"user": 5, "new_msg": {"type": "txt", "msg": "x"}}),
        ),
        (
            "new_ext a string",
            json!({"new_msg": {"type": "txt", "msg": "x"}, "new_ext": "e"}),
        ),
        (
            "combine a string",
            json!({"new_msg": {"type": "txt", "msg": "x"}, "is_combine_ext": "no"}),
        ),
    ];
    for (case, body) in cases {
        let resp = if case == "not json" {
            app.client
                .put(app.app_url(ORG, APP, &format!("/messages/rewrite/{id}")))
                .bearer_auth(&token)
                .body("{")
                .send()
                .await
                .unwrap()
        } else {
            rewrite(&app, Some(&token), &id, &body).await
        };
        assert_error_row(
            case,
            resp,
            400,
            "invalid_request_body",
            "Request body is invalid. Please check body is correct.",
        )
        .await;
    }
    let custom = send_one(&app, &token, "custom", json!({"customEvent": "e"}), None).await;
    let too_many: serde_json::Map<String, Value> =
        (0..17).map(|i| (format!("k{i}"), json!("v"))).collect();
    let cases = [
        (
            "bad event",
            json!({"new_msg": {"type": "custom", "customEvent": "a b"}}),
        ),
        (
            "17 exts",
            json!({"new_msg": {"type": "custom", "customExts": too_many}}),
        ),
        (
            "exts not strings",
            json!({"new_msg": {"type": "custom", "customExts": {"a": {}}}}),
        ),
    ];
    for (case, body) in cases {
        let resp = rewrite(&app, Some(&token), &custom, &body).await;
        error_kind_row(case, resp, 400, "invalid_request_body").await;
    }
    assert_eq!(record(&app, &id).await["modified"], false);
}

#[tokio::test]
async fn a_message_can_be_rewritten_ten_times() {
    let (app, token) = pinned_app().await;
    let id = text_id(&app, &token, "alice", "bob", "v0").await;
    for n in 1..=10 {
        let body = json!({"new_msg": {"type": "txt", "msg": format!("v{n}")}});
        ok_json(rewrite(&app, Some(&token), &id, &body).await).await;
    }
    let body = json!({"new_msg": {"type": "txt", "msg": "v11"}});
    let resp = rewrite(&app, Some(&token), &id, &body).await;
    assert_easemob_error(
        resp,
        403,
        "message_rewrite_error",
        "The message has reached its edit limit and cannot be modified further.",
    )
    .await;
    assert_eq!(record(&app, &id).await["content"], json!({"msg": "v10"}));
}

#[tokio::test]
async fn rewrite_requires_an_app_token_and_answers_405_to_other_methods() {
    let (app, token) = pinned_app().await;
    let id = text_id(&app, &token, "alice", "bob", "text").await;
    let body = json!({"new_msg": {"type": "txt", "msg": "x"}});
    let resp = rewrite(&app, None, &id, &body).await;
    assert_easemob_error(
        resp,
        401,
        "unauthorized",
        "Unable to authenticate due to expired access token",
    )
    .await;
    let resp = app
        .post(&format!("/messages/rewrite/{id}"), Some(&token), &body)
        .await;
    easemob_envelope(resp, 405).await;
    assert_eq!(record(&app, &id).await["modified"], false);
}

#[tokio::test]
async fn rewrite_is_rate_limited_per_second() {
    let (app, token) = app_with_limits(json!({"rewrite_calls_per_second": 1})).await;
    let id = text_id(&app, &token, "alice", "bob", "text").await;
    let body = json!({"new_msg": {"type": "txt", "msg": "x"}});
    ok_json(rewrite(&app, Some(&token), &id, &body).await).await;
    let resp = rewrite(&app, Some(&token), &id, &body).await;
    assert_easemob_error(
        resp,
        429,
        "reach_limit",
        "This request has reached api limit",
    )
    .await;
}

#[tokio::test]
async fn health_counts_delivery_marks() {
    let (app, token) = pinned_app().await;
    text_id(&app, &token, "alice", "bob", "text").await;
    deliver(&app, ORG, APP, "bob").await;
    let health = app.health().await;
    let text = health.to_string();
    assert!(text.contains("\"delivery_marks\":1"), "{health}");
}

#[tokio::test]
async fn delivery_marks_never_outnumber_the_records_the_journal_holds() {
    let app = spawn_with(im_emulator::config::Config {
        max_messages: 20,
        ..Default::default()
    })
    .await;
    app.set_clock(T0).await;
    let token = app.app_token().await;
    let mut most = 0;
    for n in 0..60 {
        let user = format!("user{n}");
        text_id(&app, &token, "alice", &user, "hi").await;
        let answer: Value = deliver(&app, ORG, APP, &user).await.json().await.unwrap();
        assert_eq!(answer["delivered"], 1, "{answer}");
        let health = app.health().await.to_string();
        let marks: u64 = health
            .split("\"delivery_marks\":")
            .nth(1)
            .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|digits| digits.parse().ok())
            .unwrap_or_else(|| panic!("health names delivery_marks: {health}"));
        most = most.max(marks);
    }
    assert!(
        (1..=21).contains(&most),
        "at most one mark a record (+1): {most}"
    );
    let last = app.journal("provider=easemob&to=user59").await;
    assert_eq!(last["total"], 1, "the newest message is still held");
}
