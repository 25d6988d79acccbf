//! Easemob chat files (`/chatfiles` upload and download, share secrets, size cap, retention)
//! and message recall (`/messages/msg_recall`), over HTTP with the clock pinned.
mod common;
use common::*;

use reqwest::multipart::{Form, Part};
use reqwest::{Response, StatusCode};
use serde_json::{json, Value};

const MIB: usize = 1024 * 1024;
const DAY_MS: i64 = 24 * 3_600_000;

// ------------------------------------------------------------------------------------------
// files

/// `len` bytes covering every byte value.
fn file_bytes(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 % 256) as u8).collect()
}

/// A form whose field `file` holds `bytes`.
fn file_form(bytes: Vec<u8>) -> Form {
    let part = Part::bytes(bytes)
        .file_name("blob.bin")
        .mime_str("application/octet-stream")
        .unwrap();
    Form::new().part("file", part).text("filename", "blob.bin")
}

/// `POST /chatfiles` of the default app with `form`, the token and `restrict-access` if given.
async fn upload_form(
    app: &TestApp,
    token: Option<&str>,
    restrict: Option<&str>,
    form: Form,
) -> Response {
    let mut req = app
        .client
        .post(app.app_url(ORG, APP, "/chatfiles"))
        .multipart(form);
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    if let Some(value) = restrict {
        req = req.header("restrict-access", value);
    }
    req.send().await.expect("the upload is answered")
}

/// Uploads `bytes` and answers the 200 body.
async fn upload(app: &TestApp, restrict: Option<&str>, bytes: Vec<u8>) -> Value {
    let token = app.app_token().await;
    ok_json(upload_form(app, Some(&token), restrict, file_form(bytes)).await).await
}

/// The download URL a client builds from an upload answer: `uri + "/" + uuid`.
fn download_url(upload: &Value) -> String {
    format!(
        "{}/{}",
        upload["uri"].as_str().unwrap(),
        upload["entities"][0]["uuid"].as_str().unwrap()
    )
}

/// GETs `url` with an app token of the app it names, and `share-secret` as a header when
/// given.
async fn download(app: &TestApp, url: &str, secret: Option<&str>) -> Response {
    let path = url.strip_prefix(&app.url).unwrap();
    let mut names = path.split('/').skip(1);
    let (org, name) = (names.next().unwrap(), names.next().unwrap());
    let token = app.token_for(org, name, CLIENT_ID, CLIENT_SECRET).await;
    download_with(app, url, Some(&token), secret).await
}

/// GETs `url` with `token` and `share-secret` as a header when given.
async fn download_with(
    app: &TestApp,
    url: &str,
    token: Option<&str>,
    secret: Option<&str>,
) -> Response {
    let mut req = app
        .client
        .get(url)
        .header("Accept", "application/octet-stream");
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    if let Some(secret) = secret {
        req = req.header("share-secret", secret);
    }
    req.send().await.expect("the download is answered")
}

/// Asserts a 200 download whose body is exactly `expected`.
async fn assert_downloads(resp: Response, expected: &[u8], case: &str) {
    let body = resp.bytes().await.unwrap();
    assert_eq!(body.len(), expected.len(), "case {case}: length");
    assert!(body[..] == *expected, "case {case}: the exact bytes");
}

/// Fixtures of `demo/chat` with files capped at `max_file_bytes`.
fn file_cap_fixtures(max_file_bytes: u32) -> Value {
    json!({
        "tenants": [{
            "org": "demo",
            "app": "chat",
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "limits": {"max_file_bytes": max_file_bytes}
        }]
    })
}

#[tokio::test]
async fn uploading_a_file_answers_a_chatfile_entity_and_the_collection_uri() {
    let app = spawn_app().await;
    let answer = upload(&app, None, file_bytes(100)).await;
    assert_usergrid_envelope(&app, &answer, "post", "/chatfiles");
    let entities = answer["entities"].as_array().unwrap();
    assert_eq!(entities.len(), 1, "{answer}");
    let file = &entities[0];
    let uuid = file["uuid"].as_str().unwrap();
    assert_eq!(uuid.len(), 36, "{answer}");
    assert_eq!(
        uuid.split('-').map(str::len).collect::<Vec<_>>(),
        [8, 4, 4, 4, 12],
        "{answer}"
    );
    assert_eq!(file["type"], "chatfile", "{answer}");
    let secret = file["share-secret"].as_str().unwrap();
    assert!(!secret.is_empty(), "{answer}");
}

#[tokio::test]
async fn two_uploads_get_different_uuids_and_each_downloads_its_own_bytes() {
    let app = spawn_app().await;
    let first_bytes = file_bytes(1000);
    let second_bytes: Vec<u8> = b"hello, second file".to_vec();
    let first = upload(&app, None, first_bytes.clone()).await;
    let second = upload(&app, None, second_bytes.clone()).await;
    assert_ne!(first["entities"][0]["uuid"], second["entities"][0]["uuid"]);
    assert_downloads(
        download(&app, &download_url(&first), None).await,
        &first_bytes,
        "first file",
    )
    .await;
    assert_downloads(
        download(&app, &download_url(&second), None).await,
        &second_bytes,
        "second file",
    )
    .await;
}

#[tokio::test]
async fn an_upload_or_a_download_without_a_token_answers_401_and_stores_nothing() {
    let app = spawn_app().await;
    let resp = upload_form(&app, None, None, file_form(file_bytes(4096))).await;
    assert_easemob_error(
        resp,
        401,
        "unauthorized",
        "Unable to authenticate due to expired access token",
    )
    .await;
    let usage = app.health().await["usage"]["easemob"].clone();
    assert_eq!(usage["files"], 0, "{usage}");

    let bytes = file_bytes(4096);
    let answer = upload(&app, None, bytes.clone()).await;
    let url = download_url(&answer);
    let resp = download_with(&app, &url, None, None).await;
    assert_easemob_error(
        resp,
        401,
        "unauthorized",
        "Unable to authenticate due to expired access token",
    )
    .await;
    let resp = download_with(&app, &url, Some("YWMtnot-a-token"), None).await;
    easemob_error_kind(resp, 401, "auth_bad_access_token").await;
    assert_downloads(download(&app, &url, None).await, &bytes, "with a token").await;
}

#[tokio::test]
async fn a_restricted_file_downloads_only_with_its_share_secret() {
    let app = spawn_app().await;
    let bytes = file_bytes(2048);
    let answer = upload(&app, Some("true"), bytes.clone()).await;
    let url = download_url(&answer);
    let secret = answer["entities"][0]["share-secret"].as_str().unwrap();

    let refused = [
        (download(&app, &url, None).await, "no secret"),
        (
            download(&app, &url, Some("wrong-secret")).await,
            "wrong secret header",
        ),
        (
            download(&app, &format!("{url}?share-secret=wrong-secret"), None).await,
            "wrong secret query",
        ),
    ];
    for (resp, case) in refused {
        let body = envelope_row(case, resp, 401).await;
        assert_eq!(
            body["error"], "auth_bad_access_token",
            "case {case}: {body}"
        );
    }

    assert_downloads(
        download(&app, &url, Some(secret)).await,
        &bytes,
        "secret header",
    )
    .await;
    let query_url = format!("{url}?share-secret={secret}");
    assert_downloads(
        download(&app, &query_url, None).await,
        &bytes,
        "secret query",
    )
    .await;
}

#[tokio::test]
async fn a_file_uploaded_with_restrict_access_false_needs_no_secret() {
    let app = spawn_app().await;
    let bytes = file_bytes(300);
    let answer = upload(&app, Some("false"), bytes.clone()).await;
    assert_downloads(
        download(&app, &download_url(&answer), None).await,
        &bytes,
        "restrict-access: false",
    )
    .await;
}

#[tokio::test]
async fn an_upload_without_a_file_field_answers_file_must_be_provided() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    let wrong_field = Form::new().part("upload", Part::bytes(file_bytes(10)).file_name("blob.bin"));
    let cases = [
        (
            Form::new().text("filename", "blob.bin"),
            "only a filename field",
        ),
        (wrong_field, "the file under another field name"),
    ];
    for (form, case) in cases {
        let resp = upload_form(&app, Some(&token), None, form).await;
        assert_error_row(
            case,
            resp,
            400,
            "illegal_argument",
            "file must be provided.",
        )
        .await;
    }
}

#[tokio::test]
async fn an_upload_that_is_not_multipart_answers_file_must_be_provided() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    let resp = app
        .post_raw("/chatfiles", Some(&token), b"just some bytes".to_vec())
        .await;
    assert_easemob_error(resp, 400, "illegal_argument", "file must be provided.").await;
}

#[tokio::test]
async fn a_file_at_the_tenant_cap_is_accepted_and_one_byte_more_is_refused() {
    let app = spawn_with_fixtures(&file_cap_fixtures(1000)).await;
    let token = app.app_token().await;

    let bytes = file_bytes(1000);
    let answer =
        ok_json(upload_form(&app, Some(&token), None, file_form(bytes.clone())).await).await;
    assert_downloads(
        download(&app, &download_url(&answer), None).await,
        &bytes,
        "1000 bytes",
    )
    .await;

    let resp = upload_form(&app, Some(&token), None, file_form(file_bytes(1001))).await;
    assert_easemob_error(
        resp,
        413,
        "file exceeding maximum limit",
        "the file size exceeds the maximum limit.",
    )
    .await;
}

#[tokio::test]
async fn a_file_of_10_mib_is_accepted_by_default_and_one_byte_more_is_refused() {
    let app = spawn_app().await;
    let token = app.app_token().await;

    let bytes = file_bytes(10 * MIB);
    let answer =
        ok_json(upload_form(&app, Some(&token), None, file_form(bytes.clone())).await).await;
    assert_downloads(
        download(&app, &download_url(&answer), None).await,
        &bytes,
        "10 MiB",
    )
    .await;

    let resp = upload_form(
        &app,
        Some(&token),
        None,
        file_form(file_bytes(10 * MIB + 1)),
    )
    .await;
    assert_easemob_error(
        resp,
        413,
        "file exceeding maximum limit",
        "the file size exceeds the maximum limit.",
    )
    .await;
}

#[tokio::test]
async fn downloading_an_unknown_file_answers_entity_not_found() {
    let app = spawn_app().await;
    let cases = [
        (
            "5fd74830-56b6-11e9-822a-81ea50bb049d",
            "a uuid never uploaded",
        ),
        ("not-a-uuid", "not a uuid"),
    ];
    for (id, case) in cases {
        let url = app.app_url(ORG, APP, &format!("/chatfiles/{id}"));
        let resp = download(&app, &url, None).await;
        assert_error_row(case, resp, 404, "entity_not_found", "file may not exists").await;
    }
}

#[tokio::test]
async fn a_file_of_one_app_is_not_found_under_another_app() {
    let app = spawn_app().await;
    let answer = upload(&app, None, file_bytes(10)).await;
    let uuid = answer["entities"][0]["uuid"].as_str().unwrap();
    let url = app.app_url("acme", "shop", &format!("/chatfiles/{uuid}"));
    assert_easemob_error(
        download(&app, &url, None).await,
        404,
        "entity_not_found",
        "file may not exists",
    )
    .await;
}

#[tokio::test]
async fn a_file_expires_after_seven_days_on_the_emulator_clock() {
    let app = spawn_app().await;
    app.set_clock(T0).await;
    let bytes = file_bytes(500);
    let answer = upload(&app, None, bytes.clone()).await;
    let url = download_url(&answer);
    let uuid = answer["entities"][0]["uuid"].as_str().unwrap();

    app.advance_clock(6 * DAY_MS).await;
    assert_downloads(download(&app, &url, None).await, &bytes, "six days later").await;

    app.advance_clock(DAY_MS + 1).await;
    assert_easemob_error(
        download(&app, &url, None).await,
        404,
        "file_expired",
        &format!("file {uuid} is expired"),
    )
    .await;
}

// ------------------------------------------------------------------------------------------
// recall

/// Sends one message on `path` (`/messages/users` etc.) and answers its id for `to`.
async fn send_one(app: &TestApp, token: &str, path: &str, from: Option<&str>, to: &str) -> String {
    let mut body = json!({"to": [to], "type": "txt", "body": {"msg": "oops"}});
    if let Some(from) = from {
        body["from"] = json!(from);
    }
    let answer = ok_json(app.post(path, Some(token), &body).await).await;
    answer["data"][to].as_str().unwrap().to_owned()
}

/// `POST /messages/msg_recall` with `body`.
async fn recall(app: &TestApp, token: Option<&str>, body: &Value) -> Response {
    app.post("/messages/msg_recall", token, body).await
}

/// The journal record of message `id`.
async fn journal_record(app: &TestApp, id: &str) -> Value {
    let journal = app.journal("provider=easemob").await;
    journal["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == id)
        .unwrap_or_else(|| panic!("message {id} is in the journal: {journal}"))
        .clone()
}

#[tokio::test]
async fn recalling_a_message_within_two_minutes_answers_recalled_and_marks_the_journal() {
    let app = spawn_app().await;
    app.set_clock(T0).await;
    let token = app.app_token().await;
    let id = send_one(&app, &token, "/messages/users", Some("alice"), "bob").await;
    let other = send_one(&app, &token, "/messages/users", Some("alice"), "bob").await;

    app.advance_clock(119_999).await;
    let body = json!({"msg_id": id, "to": "bob", "chat_type": "chat", "from": "alice"});
    let answer = ok_json(recall(&app, Some(&token), &body).await).await;
    assert_eq!(answer["path"], "/messages/msg_recall", "{answer}");
    assert_eq!(
        answer["uri"],
        format!("{}/demo/chat/messages/msg_recall", app.url),
        "{answer}"
    );
    assert_eq!(answer["action"], "post", "{answer}");
    assert_eq!(answer["organization"], "demo", "{answer}");
    assert_eq!(answer["applicationName"], "chat", "{answer}");
    assert_eq!(answer["application"], DEMO_APPLICATION, "{answer}");
    assert_eq!(
        answer["data"],
        json!({"recalled": "yes", "chattype": "chat", "from": "alice", "to": "bob", "msg_id": id}),
        "{answer}"
    );

    assert_eq!(journal_record(&app, &id).await["recalled"], true);
    assert_eq!(
        journal_record(&app, &other).await["recalled"],
        false,
        "only the recalled message is marked"
    );
}

#[tokio::test]
async fn group_and_room_messages_are_recalled_with_their_chat_type() {
    let app = spawn_app().await;
    app.set_clock(T0).await;
    let token = app.app_token().await;
    let cases = [
        ("/messages/chatgroups", "184524748161025", "groupchat"),
        ("/messages/chatrooms", "184524748161026", "chatroom"),
        ("/messages/users", "bob", "chat"),
    ];
    for (path, to, chat_type) in cases {
        let id = send_one(&app, &token, path, Some("alice"), to).await;
        let body = json!({"msg_id": id, "to": to, "chat_type": chat_type, "from": "alice"});
        let resp = recall(&app, Some(&token), &body).await;
        assert_eq!(resp.status(), StatusCode::OK, "case: {chat_type}");
        let answer: Value = resp.json().await.unwrap();
        assert_eq!(
            answer["data"]["recalled"], "yes",
            "case {chat_type}: {answer}"
        );
        assert_eq!(
            answer["data"]["chattype"], chat_type,
            "case {chat_type}: {answer}"
        );
        assert_eq!(answer["data"]["to"], to, "case {chat_type}: {answer}");
        assert_eq!(
            journal_record(&app, &id).await["recalled"],
            true,
            "case {chat_type}"
        );
    }
}

#[tokio::test]
async fn a_message_sent_by_admin_is_recalled_without_a_from() {
    let app = spawn_app().await;
    app.set_clock(T0).await;
    let token = app.app_token().await;
    let id = send_one(&app, &token, "/messages/users", None, "bob").await;
    let body = json!({"msg_id": id, "to": "bob", "chat_type": "chat"});
    let answer = ok_json(recall(&app, Some(&token), &body).await).await;
    assert_eq!(answer["data"]["from"], "admin", "{answer}");
    assert_eq!(journal_record(&app, &id).await["recalled"], true);
}

#[tokio::test]
async fn a_message_older_than_two_minutes_cannot_be_recalled() {
    let app = spawn_app().await;
    app.set_clock(T0).await;
    let token = app.app_token().await;
    let id = send_one(&app, &token, "/messages/users", Some("alice"), "bob").await;
    app.advance_clock(120_001).await;
    let body = json!({"msg_id": id, "to": "bob", "chat_type": "chat", "from": "alice"});
    let resp = recall(&app, Some(&token), &body).await;
    let answer = easemob_envelope(resp, 403).await;
    assert_eq!(
        answer["error_description"], "exceed recall time limit",
        "{answer}"
    );
    assert_eq!(journal_record(&app, &id).await["recalled"], false);
}

#[tokio::test]
async fn recalling_a_message_that_does_not_exist_answers_not_found_msg() {
    let app = spawn_app().await;
    app.set_clock(T0).await;
    let token = app.app_token().await;
    let id = send_one(&app, &token, "/messages/users", Some("alice"), "bob").await;
    let never_issued = (id.parse::<u64>().unwrap() + 1).to_string();
    let cases = [
        (
            json!({"msg_id": never_issued, "to": "bob", "chat_type": "chat"}),
            "an id next to a real one",
        ),
        (
            json!({"msg_id": "not-an-id", "to": "bob", "chat_type": "chat"}),
            "not a number",
        ),
        (
            json!({"msg_id": id, "to": "carol", "chat_type": "chat"}),
            "another recipient",
        ),
        (
            json!({"msg_id": id, "to": "bob", "chat_type": "groupchat"}),
            "another chat type",
        ),
    ];
    for (body, case) in cases {
        let resp = recall(&app, Some(&token), &body).await;
        let answer = easemob_envelope(resp, 403).await;
        assert_eq!(
            answer["error_description"], "not_found msg",
            "case {case}: {answer}"
        );
    }
    assert_eq!(journal_record(&app, &id).await["recalled"], false);
}

#[tokio::test]
async fn a_message_cannot_be_recalled_twice() {
    let app = spawn_app().await;
    app.set_clock(T0).await;
    let token = app.app_token().await;
    let id = send_one(&app, &token, "/messages/users", Some("alice"), "bob").await;
    let body = json!({"msg_id": id, "to": "bob", "chat_type": "chat", "from": "alice"});
    ok_json(recall(&app, Some(&token), &body).await).await;
    app.advance_clock(1_000).await;
    easemob_envelope(recall(&app, Some(&token), &body).await, 403).await;
    assert_eq!(journal_record(&app, &id).await["recalled"], true);
}

#[tokio::test]
async fn a_recall_missing_a_parameter_answers_message_recall_error() {
    let app = spawn_app().await;
    app.set_clock(T0).await;
    let token = app.app_token().await;
    let id = send_one(&app, &token, "/messages/users", Some("alice"), "bob").await;
    let cases = [
        (
            json!({"to": "bob", "chat_type": "chat"}),
            "msg_id",
            "msg_id absent",
        ),
        (
            json!({"msg_id": "", "to": "bob", "chat_type": "chat"}),
            "msg_id",
            "msg_id empty",
        ),
        (
            json!({"msg_id": id, "chat_type": "chat"}),
            "to",
            "to absent",
        ),
        (
            json!({"msg_id": id, "to": "bob"}),
            "chat_type",
            "chat_type absent",
        ),
    ];
    for (body, param, case) in cases {
        let resp = recall(&app, Some(&token), &body).await;
        let answer = envelope_row(case, resp, 400).await;
        assert_eq!(
            answer["error"], "message_recall_error",
            "case {case}: {answer}"
        );
        let description = answer["error_description"].as_str().unwrap();
        assert!(description.contains(param), "case {case}: {answer}");
        if param == "msg_id" {
            assert_eq!(description, "param msg_id can't be empty", "case {case}");
        }
    }
    assert_eq!(journal_record(&app, &id).await["recalled"], false);
}

#[tokio::test]
async fn a_recall_without_an_app_token_is_refused() {
    let app = spawn_app().await;
    app.set_clock(T0).await;
    let token = app.app_token().await;
    let id = send_one(&app, &token, "/messages/users", Some("alice"), "bob").await;
    let body = json!({"msg_id": id, "to": "bob", "chat_type": "chat"});
    assert_easemob_error(
        recall(&app, None, &body).await,
        401,
        "unauthorized",
        "Unable to authenticate due to expired access token",
    )
    .await;
    assert_eq!(journal_record(&app, &id).await["recalled"], false);
}
