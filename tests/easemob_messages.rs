//! Black-box tests of the Easemob message service: `POST /{org}/{app}/messages/users`,
//! `/messages/chatgroups`, `/messages/chatrooms` and the legacy `POST /messages`, as a client
//! sees them over HTTP: envelopes, message ids, per-type bodies, errors, limits, the journal
//! (`GET /_emulator/messages`), concurrency and tenant isolation.
mod common;
use common::*;

use reqwest::{Response, StatusCode};
use serde_json::{json, Value};
use std::collections::{BTreeSet, HashSet};

/// The ids' epoch (2014-12-03T00:00:00Z) in Unix seconds (contract §4.4).
const ID_EPOCH_S: i64 = 1_417_564_800;

/// The application UUID of the default tenant in the built-in fixtures.
const DEFAULT_APPLICATION: &str = "e82bcc5f-0b5a-11ef-a7c1-92de917ea2b0";

/// The nine fields of the message service's success envelope (contract §1).
const ENVELOPE_FIELDS: [&str; 9] = [
    "path",
    "uri",
    "timestamp",
    "organization",
    "application",
    "action",
    "data",
    "duration",
    "applicationName",
];

// ------------------------------------------------------------------------------------------
// Helpers
// ------------------------------------------------------------------------------------------

/// A server with the built-in fixtures, its clock pinned at `T0`, and an app token issued at
/// that time.
async fn pinned_app() -> (TestApp, String) {
    let app = spawn_app().await;
    app.set_clock(T0).await;
    let token = app.app_token().await;
    (app, token)
}

/// A fixture tenant with credentials.
fn tenant(org: &str, app: &str, client_id: &str, client_secret: &str) -> Value {
    json!({"org": org, "app": app, "client_id": client_id, "client_secret": client_secret})
}

/// The default tenant `demo/chat` with the harness's credentials.
fn demo_tenant() -> Value {
    tenant(ORG, APP, CLIENT_ID, CLIENT_SECRET)
}

/// A server whose only tenant is `demo/chat`, with every limit off.
async fn unlimited_app() -> (TestApp, String) {
    let fixtures = json!({"defaults": {"limits": {"enabled": false}}, "tenants": [demo_tenant()]});
    let app = spawn_with_fixtures(&fixtures).await;
    app.set_clock(T0).await;
    let token = app.app_token().await;
    (app, token)
}

/// A text message body for `/messages/{users,chatgroups,chatrooms}`.
fn text(from: &str, to: &[&str], msg: &str) -> Value {
    json!({"from": from, "to": to, "type": "txt", "body": {"msg": msg}})
}

/// `n` distinct recipient names, `u000`, `u001`, ...
fn recipients(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("u{i:03}")).collect()
}

/// POSTs raw bytes to `path` of the default app with the given Content-Type (none: no header).
async fn post_bytes(
    app: &TestApp,
    path: &str,
    token: Option<&str>,
    content_type: Option<&str>,
    body: Vec<u8>,
) -> Response {
    let mut req = app.client.post(app.app_url(ORG, APP, path)).body(body);
    if let Some(ct) = content_type {
        req = req.header("content-type", ct);
    }
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    req.send().await.expect("the request is answered")
}

/// Reads a 200 answer's JSON body, naming `ctx` on failure.
async fn ok_body(resp: Response, ctx: &str) -> Value {
    let status = resp.status();
    let text = resp.text().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{ctx}: {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{ctx}: not JSON ({e}): {text}"))
}

/// Checks an Easemob error envelope of `status` (contract §2) and returns its body.
async fn error_envelope(resp: Response, status: u16, ctx: &str) -> Value {
    envelope_row(ctx, resp, status).await
}

/// An error answer as a table of requests expects it.
struct Refusal<'a> {
    status: u16,
    error: &'a str,
    description: &'a str,
    code: Option<i64>,
}

/// Posts each `(request, why)` of `cases` to `path`, checks that each is refused as `refusal`
/// says, and that nothing was stored.
async fn all_refused(
    app: &TestApp,
    token: &str,
    path: &str,
    cases: &[(Value, &str)],
    refusal: Refusal<'_>,
) {
    for (request, why) in cases {
        let resp = app.post(path, Some(token), request).await;
        let Refusal {
            status,
            error,
            description,
            code,
        } = refusal;
        expect_error(resp, status, error, description, code, why).await;
    }
    assert_eq!(journal_total(app, "").await, 0, "nothing is stored");
}

/// Checks an Easemob error: status, `error`, `error_description`, and `error_code` when given.
async fn expect_error(
    resp: Response,
    status: u16,
    error: &str,
    description: &str,
    code: Option<i64>,
    ctx: &str,
) -> Value {
    let body = error_envelope(resp, status, ctx).await;
    assert_eq!(body["error"], error, "{ctx}: error: {body}");
    assert_eq!(
        body["error_description"], description,
        "{ctx}: error_description: {body}"
    );
    if let Some(code) = code {
        assert_eq!(body["error_code"], code, "{ctx}: error_code: {body}");
    }
    body
}

/// `total` of `GET /_emulator/messages?{query}`.
async fn journal_total(app: &TestApp, query: &str) -> u64 {
    let listing = app.journal(query).await;
    listing["total"]
        .as_u64()
        .unwrap_or_else(|| panic!("journal `total`: {listing}"))
}

/// The records of `GET /_emulator/messages?{query}`.
async fn journal_records(app: &TestApp, query: &str) -> Vec<Value> {
    let listing = app.journal(query).await;
    listing["messages"]
        .as_array()
        .unwrap_or_else(|| panic!("journal `messages`: {listing}"))
        .clone()
}

/// A message id from `data`: a JSON string of 19 decimal digits. Returns its value.
fn message_id(value: &Value, ctx: &str) -> u64 {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("{ctx}: message id must be a JSON string, got {value}"));
    assert_eq!(text.len(), 19, "{ctx}: 19 digits: {text}");
    assert!(
        text.bytes().all(|b| b.is_ascii_digit()),
        "{ctx}: decimal digits: {text}"
    );
    text.parse()
        .unwrap_or_else(|e| panic!("{ctx}: id {text} is not a u64: {e}"))
}

/// The epoch milliseconds an id encodes: bits 63–32 seconds since 2014-12-03, bits 31–22 the
/// millisecond (contract §4.4).
fn id_time_ms(id: u64) -> i64 {
    let seconds = (id >> 32) as i64 + ID_EPOCH_S;
    let millis = ((id >> 22) & 0x3FF) as i64;
    seconds * 1000 + millis
}

/// Checks the success envelope of a call to `path` (app-relative) of the default app.
fn assert_envelope(app: &TestApp, body: &Value, path: &str, ctx: &str) {
    let keys: BTreeSet<&str> = body
        .as_object()
        .unwrap_or_else(|| panic!("{ctx}: envelope is an object: {body}"))
        .keys()
        .map(String::as_str)
        .collect();
    let expected: BTreeSet<&str> = ENVELOPE_FIELDS.into_iter().collect();
    assert_eq!(keys, expected, "{ctx}: envelope fields: {body}");
    assert_eq!(body["path"], path, "{ctx}: path: {body}");
    assert_eq!(
        body["uri"],
        format!("{}/{ORG}/{APP}{path}", app.url),
        "{ctx}: uri: {body}"
    );
    assert!(body["timestamp"].is_i64(), "{ctx}: timestamp: {body}");
    assert_eq!(body["organization"], ORG, "{ctx}: organization: {body}");
    let application = body["application"]
        .as_str()
        .unwrap_or_else(|| panic!("{ctx}: application string: {body}"));
    assert_eq!(application.len(), 36, "{ctx}: application UUID: {body}");
    assert!(
        application
            .split('-')
            .map(str::len)
            .eq([8, 4, 4, 4, 12].into_iter())
            && application
                .bytes()
                .all(|b| b == b'-' || b.is_ascii_hexdigit()),
        "{ctx}: application UUID: {body}"
    );
    assert_eq!(body["action"], "post", "{ctx}: action: {body}");
    assert!(body["data"].is_object(), "{ctx}: data object: {body}");
    assert!(body["duration"].is_u64(), "{ctx}: duration: {body}");
    assert_eq!(
        body["applicationName"], APP,
        "{ctx}: applicationName: {body}"
    );
}

// ------------------------------------------------------------------------------------------
// Envelope and message ids
// ------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_sent_message_is_answered_with_the_message_service_envelope() {
    let (app, token) = pinned_app().await;

    let resp = app
        .post(
            "/messages/users",
            Some(&token),
            &text("alice", &["bob"], "hi"),
        )
        .await;
    let content_type = resp.headers()["content-type"].to_str().unwrap().to_owned();
    let body = ok_body(resp, "send").await;

    assert!(
        content_type.starts_with("application/json"),
        "content-type {content_type}"
    );
    assert_envelope(&app, &body, "/messages/users", "send");
    assert_eq!(
        body["timestamp"], T0,
        "timestamp is the clock's time: {body}"
    );
    assert_eq!(body["application"], DEFAULT_APPLICATION, "{body}");
    let data = body["data"].as_object().unwrap();
    assert_eq!(data.len(), 1, "one entry per recipient: {body}");
    message_id(&data["bob"], "bob's id");
}

#[tokio::test]
async fn every_send_route_answers_with_its_own_path_and_absolute_uri() {
    let (app, token) = pinned_app().await;
    let legacy =
        json!({"target_type": "users", "target": ["bob"], "msg": {"type": "txt", "msg": "hi"}});
    // (route called, body, path expected in the envelope)
    let cases = [
        (
            "/messages/users",
            text("alice", &["bob"], "hi"),
            "/messages/users",
        ),
        (
            "/messages/chatgroups",
            text("alice", &["184524748161025"], "hi"),
            "/messages/chatgroups",
        ),
        (
            "/messages/chatrooms",
            text("alice", &["184524748161026"], "hi"),
            "/messages/chatrooms",
        ),
        ("/messages", legacy.clone(), "/messages"),
        ("/messages?useMsgId=true", legacy, "/messages"),
    ];
    for (route, request, path) in cases {
        let ctx = format!("POST {route}");
        let body = ok_body(app.post(route, Some(&token), &request).await, &ctx).await;
        assert_envelope(&app, &body, path, &ctx);
    }
}

#[tokio::test]
async fn message_ids_are_19_digit_strings_that_decode_to_the_clock_time() {
    let app = spawn_app().await;
    let sent_at = T0 + 123;
    app.set_clock(sent_at).await;
    let token = app.app_token().await;

    let resp = app
        .post(
            "/messages/users",
            Some(&token),
            &text("alice", &["bob", "carol"], "hi"),
        )
        .await;
    let body = ok_body(resp, "send").await;

    for who in ["bob", "carol"] {
        let id = message_id(&body["data"][who], who);
        assert_eq!(
            id_time_ms(id),
            sent_at,
            "{who}'s id {id} encodes the send time"
        );
    }
}

#[tokio::test]
async fn message_ids_increase_with_time_and_never_repeat_at_the_same_instant() {
    let (app, token) = pinned_app().await;
    let mut ids = Vec::new();
    // (clock move before the send, why)
    let steps = [
        (0, "first send at T0"),
        (0, "second send at the same pinned instant"),
        (1, "one millisecond later"),
        (1000, "one second later"),
        (60_000, "one minute later"),
    ];
    for (advance, why) in steps {
        if advance > 0 {
            app.advance_clock(advance).await;
        }
        let body = ok_body(app.send_text(&token, "alice", &["bob"], why).await, why).await;
        ids.push((message_id(&body["data"]["bob"], why), why));
    }
    for pair in ids.windows(2) {
        let ((earlier, a), (later, b)) = (pair[0], pair[1]);
        assert!(
            later > earlier,
            "id of \"{b}\" ({later}) > id of \"{a}\" ({earlier})"
        );
    }
    let (last, _) = ids[ids.len() - 1];
    assert_eq!(
        id_time_ms(last),
        T0 + 61_001,
        "the last id decodes to its send time"
    );
}

#[tokio::test]
async fn each_distinct_recipient_of_a_call_gets_its_own_id() {
    let (app, token) = pinned_app().await;
    let to = recipients(50);
    let to: Vec<&str> = to.iter().map(String::as_str).collect();

    let body = ok_body(
        app.post("/messages/users", Some(&token), &text("alice", &to, "hi"))
            .await,
        "send to 50",
    )
    .await;

    let data = body["data"].as_object().unwrap();
    assert_eq!(data.len(), 50, "one entry per recipient: {body}");
    let ids: HashSet<u64> = to.iter().map(|who| message_id(&data[*who], who)).collect();
    assert_eq!(ids.len(), 50, "50 distinct ids: {body}");
}

#[tokio::test]
async fn duplicate_recipients_collapse_to_one_id_and_one_record() {
    let (app, token) = pinned_app().await;

    let resp = app
        .send_text(&token, "alice", &["bob", "carol", "bob", "bob"], "hi")
        .await;
    let body = ok_body(resp, "send with repeats").await;

    let data = body["data"].as_object().unwrap();
    let keys: BTreeSet<&str> = data.keys().map(String::as_str).collect();
    assert_eq!(keys, BTreeSet::from(["bob", "carol"]), "{body}");
    assert_eq!(
        journal_total(&app, "to=bob").await,
        1,
        "bob gets one record"
    );
    assert_eq!(journal_total(&app, "").await, 2, "two records in all");
}

#[tokio::test]
async fn unknown_senders_and_recipients_are_not_errors() {
    let (app, token) = pinned_app().await;

    let resp = app
        .send_text(&token, "nobody-sends", &["nobody-1", "nobody-2"], "hi")
        .await;
    let body = ok_body(resp, "send between users that do not exist").await;

    for who in ["nobody-1", "nobody-2"] {
        message_id(&body["data"][who], who);
    }
    assert_eq!(journal_total(&app, "from=nobody-sends").await, 2);
}

// ------------------------------------------------------------------------------------------
// Message types and bodies
// ------------------------------------------------------------------------------------------

/// A documented body of each of the eight types (seed examples).
fn documented_bodies() -> Vec<(&'static str, Value)> {
    vec![
        ("txt", json!({"msg": "testmessages"})),
        (
            "img",
            json!({"filename": "testimg.jpg", "secret": "VfXXXXNb_",
                   "url": "https://XXXX/XXXX/XXXX/chatfiles/55f12940-XXXX-XXXX-8a5b-ff2336f03252",
                   "size": {"width": 480, "height": 720}}),
        ),
        (
            "audio",
            json!({"url": "https://XXXX/XXXX/XXXX/chatfiles/1dfc7f50-XXXX-XXXX-8a07-7d75b8fb3d42",
                   "filename": "testaudio.amr", "length": 10, "secret": "HfXXXXCjM"}),
        ),
        (
            "video",
            json!({"thumb": "https://XXXX/XXXX/XXXX/chatfiles/67279b20-7f69-11e4-8eee-21d3334b3a97",
                   "length": 0, "secret": "VfXXXXNb_", "file_length": 58103,
                   "thumb_secret": "ZyXXXX2I",
                   "url": "https://XXXX/XXXX/XXXX/chatfiles/671dfe30-XXXX-XXXX-ba67-8fef0d502f46"}),
        ),
        (
            "file",
            json!({"filename": "test.txt", "secret": "1-g0XXXXua",
                   "url": "https://XXXX/XXXX/XXXX/chatfiles/d7eXXXX7444"}),
        ),
        (
            "loc",
            json!({"lat": "39.966", "lng": "116.322", "addr": "中国北京市海淀区中关村"}),
        ),
        ("cmd", json!({"action": "action1"})),
        (
            "custom",
            json!({"customEvent": "custom_event", "customExts": {"k": "v"}}),
        ),
    ]
}

#[tokio::test]
async fn every_one_of_the_eight_message_types_is_delivered() {
    let (app, token) = pinned_app().await;
    for (kind, msg_body) in documented_bodies() {
        let to = format!("to-{kind}");
        let request = json!({"from": "user1", "to": [to], "type": kind, "body": msg_body});
        let body = ok_body(
            app.post("/messages/users", Some(&token), &request).await,
            kind,
        )
        .await;
        let id = message_id(&body["data"][&to], kind);

        let records = journal_records(&app, &format!("to={to}")).await;
        assert_eq!(records.len(), 1, "{kind}: one record: {records:?}");
        assert_eq!(records[0]["type"], kind, "{kind}: record type");
        assert_eq!(records[0]["content"], msg_body, "{kind}: content as sent");
        assert_eq!(records[0]["id"], id.to_string(), "{kind}: record id");
    }
}

#[tokio::test]
async fn a_body_missing_its_required_field_is_refused_with_400() {
    let (app, token) = pinned_app().await;
    let url = "https://example.com/chatfiles/1";
    // (type, body, why)
    let cases = [
        ("txt", json!({"ext_only": "x"}), "txt without msg"),
        ("txt", json!({"msg": ""}), "txt with an empty msg"),
        ("img", json!({"filename": "a.jpg"}), "img without url"),
        (
            "img",
            json!({"url": "", "filename": "a.jpg"}),
            "img with an empty url",
        ),
        (
            "audio",
            json!({"filename": "a.amr", "length": 3}),
            "audio without url",
        ),
        (
            "video",
            json!({"length": 3, "file_length": 10}),
            "video without url",
        ),
        ("file", json!({"filename": "a.txt"}), "file without url"),
        ("file", json!({"url": ""}), "file with an empty url"),
        (
            "loc",
            json!({"lng": "116.3", "addr": "x"}),
            "loc without lat",
        ),
        (
            "loc",
            json!({"lat": "39.9", "addr": "x"}),
            "loc without lng",
        ),
        (
            "loc",
            json!({"lat": "39.9", "lng": "116.3"}),
            "loc without addr",
        ),
        (
            "loc",
            json!({"lat": "", "lng": "116.3", "addr": "x"}),
            "loc with an empty lat",
        ),
        (
            "loc",
            json!({"lat": "39.9", "lng": "", "addr": "x"}),
            "loc with an empty lng",
        ),
        (
            "loc",
            json!({"lat": "39.9", "lng": "116.3", "addr": ""}),
            "loc with an empty addr",
        ),
        ("cmd", json!({"param": {"a": "b"}}), "cmd without action"),
        ("cmd", json!({"action": ""}), "cmd with an empty action"),
    ];
    // A valid request of each family, so the failures above are the field's doing.
    let valid = json!({"from": "alice", "to": ["bob"], "type": "img", "body": {"url": url}});
    ok_body(
        app.post("/messages/users", Some(&token), &valid).await,
        "valid img",
    )
    .await;

    for (kind, msg_body, why) in cases {
        let request = json!({"from": "alice", "to": ["bob"], "type": kind, "body": msg_body});
        let resp = app.post("/messages/users", Some(&token), &request).await;
        let body = error_envelope(resp, 400, why).await;
        let error = body["error"].as_str().unwrap();
        assert!(
            matches!(error, "message_send_error" | "invalid_request_body"),
            "{why}: a message-service 400: {body}"
        );
    }
    assert_eq!(
        journal_total(&app, "").await,
        1,
        "only the valid message is stored"
    );
}

#[tokio::test]
async fn fields_of_the_wrong_type_are_refused_with_400_invalid_request_body() {
    let (app, token) = pinned_app().await;
    let base = || json!({"from": "alice", "to": ["bob"], "type": "txt", "body": {"msg": "hi"}});
    let with = |field: &str, value: Value| {
        let mut request = base();
        request[field] = value;
        request
    };
    let typed = |kind: &str, msg_body: Value| json!({"from": "alice", "to": ["bob"], "type": kind, "body": msg_body});
    let url = "https://example.com/chatfiles/1";
    // (request, why)
    let cases = [
        (with("to", json!("bob")), "to as a bare string"),
        (with("to", json!([1, 2])), "to holding numbers"),
        (with("to", json!({"bob": true})), "to as an object"),
        (with("from", json!(5)), "from as a number"),
        (with("from", json!(["alice"])), "from as an array"),
        (with("type", json!(1)), "type as a number"),
        (with("sync_device", json!("yes")), "sync_device as a string"),
        (with("routetype", json!(1)), "routetype as a number"),
        (with("body", json!("hi")), "body as a string"),
        (with("body", json!(["hi"])), "body as an array"),
        (typed("txt", json!({"msg": 5})), "txt msg as a number"),
        (
            typed("txt", json!({"msg": {"text": "hi"}})),
            "txt msg as an object",
        ),
        (typed("img", json!({"url": 5})), "img url as a number"),
        (
            typed("img", json!({"url": url, "size": "big"})),
            "img size as a string",
        ),
        (
            typed("img", json!({"url": url, "filename": 7})),
            "img filename as a number",
        ),
        (
            typed("audio", json!({"url": url, "length": "ten"})),
            "audio length as a string",
        ),
        (
            typed("video", json!({"url": url, "file_length": "big"})),
            "video file_length as a string",
        ),
        (
            typed("video", json!({"url": url, "thumb": 1})),
            "video thumb as a number",
        ),
        (typed("file", json!({"url": [url]})), "file url as an array"),
        (
            typed("file", json!({"url": url, "secret": 1})),
            "file secret as a number",
        ),
        (
            typed("loc", json!({"lat": true, "lng": "116.3", "addr": "x"})),
            "loc lat as a bool",
        ),
        (
            typed("loc", json!({"lat": "39.9", "lng": [1], "addr": "x"})),
            "loc lng as an array",
        ),
        (
            typed("loc", json!({"lat": "39.9", "lng": "116.3", "addr": 5})),
            "loc addr as a number",
        ),
        (typed("cmd", json!({"action": 5})), "cmd action as a number"),
        (
            typed("custom", json!({"customEvent": 5})),
            "customEvent as a number",
        ),
        (
            typed("custom", json!({"customExts": "k=v"})),
            "customExts as a string",
        ),
        (
            typed("custom", json!({"customExts": ["k", "v"]})),
            "customExts as an array",
        ),
    ];
    let refusal = Refusal {
        status: 400,
        error: "invalid_request_body",
        description: "Request body is invalid. Please check body is correct.",
        code: None,
    };
    all_refused(&app, &token, "/messages/users", &cases, refusal).await;
}

#[tokio::test]
async fn location_coordinates_are_accepted_as_numbers_and_as_numeric_strings() {
    let (app, token) = pinned_app().await;
    // (lat, lng, why)
    let cases = [
        (
            json!("39.966"),
            json!("116.322"),
            "numeric strings, as the docs send",
        ),
        (
            json!(39.966),
            json!(116.322),
            "JSON numbers, as the SDKs send",
        ),
        (json!(-33), json!("151.2093"), "an integer and a string"),
        (json!("-33.8688"), json!(0), "a negative string and zero"),
    ];
    for (i, (lat, lng, why)) in cases.into_iter().enumerate() {
        let to = format!("loc-{i}");
        let loc = json!({"lat": lat, "lng": lng, "addr": "somewhere"});
        let request = json!({"from": "alice", "to": [to], "type": "loc", "body": loc});
        let body = ok_body(
            app.post("/messages/users", Some(&token), &request).await,
            why,
        )
        .await;
        message_id(&body["data"][&to], why);
        let records = journal_records(&app, &format!("to={to}")).await;
        assert_eq!(records[0]["content"], loc, "{why}: content kept as sent");
    }
}

#[tokio::test]
async fn location_coordinates_that_are_not_numbers_are_refused_with_400() {
    let (app, token) = pinned_app().await;
    // (lat, lng, why)
    let cases = [
        (json!("north"), json!("116.3"), "a word as lat"),
        (json!("39.9"), json!("east"), "a word as lng"),
        (json!("39.9N"), json!("116.3"), "a number with a suffix"),
    ];
    for (lat, lng, why) in cases {
        let loc = json!({"lat": lat, "lng": lng, "addr": "somewhere"});
        let request = json!({"from": "alice", "to": ["bob"], "type": "loc", "body": loc});
        let resp = app.post("/messages/users", Some(&token), &request).await;
        expect_error(
            resp,
            400,
            "invalid_request_body",
            "Request body is invalid. Please check body is correct.",
            None,
            why,
        )
        .await;
    }
    assert_eq!(journal_total(&app, "").await, 0, "nothing is stored");
}

#[tokio::test]
async fn custom_events_matching_the_documented_pattern_are_accepted() {
    let (app, token) = pinned_app().await;
    let longest = "e".repeat(32);
    // (body, why)
    let cases = [
        (json!({"customEvent": "a"}), "one character"),
        (json!({"customEvent": longest}), "32 characters"),
        (
            json!({"customEvent": "Az09-_/."}),
            "every allowed character class",
        ),
        (
            json!({"customExts": {"k": "v"}}),
            "customExts without customEvent",
        ),
        (
            json!({"customEvent": "gift", "customExts": {"n": "1", "who": "bob"}}),
            "both fields",
        ),
    ];
    for (msg_body, why) in cases {
        let request = json!({"from": "alice", "to": ["bob"], "type": "custom", "body": msg_body});
        let body = ok_body(
            app.post("/messages/users", Some(&token), &request).await,
            why,
        )
        .await;
        message_id(&body["data"]["bob"], why);
    }
}

#[tokio::test]
async fn custom_events_outside_the_documented_pattern_are_refused_with_400() {
    let (app, token) = pinned_app().await;
    // (customEvent, why)
    let cases = [
        (String::new(), "empty"),
        ("e".repeat(33), "33 characters"),
        ("has space".into(), "a space"),
        ("a*b".into(), "an asterisk"),
        ("事件".into(), "non-ASCII letters"),
    ];
    for (event, why) in cases {
        let request = json!({"from": "alice", "to": ["bob"], "type": "custom",
                             "body": {"customEvent": event}});
        let resp = app.post("/messages/users", Some(&token), &request).await;
        let body = error_envelope(resp, 400, why).await;
        assert_eq!(body["error"], "message_send_error", "{why}: {body}");
    }
    assert_eq!(journal_total(&app, "").await, 0, "nothing is stored");
}

#[tokio::test]
async fn custom_exts_take_16_entries_and_refuse_17() {
    let (app, token) = pinned_app().await;
    let exts = |n: usize| {
        let map: serde_json::Map<String, Value> = (0..n)
            .map(|i| (format!("k{i}"), json!(format!("v{i}"))))
            .collect();
        Value::Object(map)
    };
    let request = |n: usize| {
        json!({"from": "alice", "to": ["bob"], "type": "custom",
               "body": {"customEvent": "e", "customExts": exts(n)}})
    };

    let sixteen = app
        .post("/messages/users", Some(&token), &request(16))
        .await;
    ok_body(sixteen, "16 entries").await;

    let seventeen = app
        .post("/messages/users", Some(&token), &request(17))
        .await;
    let body = error_envelope(seventeen, 400, "17 entries").await;
    assert_eq!(body["error"], "message_send_error", "{body}");
    assert_eq!(
        journal_total(&app, "").await,
        1,
        "only the 16-entry message is stored"
    );
}

#[tokio::test]
async fn a_missing_or_empty_body_is_refused_with_error_code_14005() {
    let (app, token) = pinned_app().await;
    // (request, why)
    let cases = [
        (
            json!({"from": "alice", "to": ["bob"], "type": "txt"}),
            "body missing",
        ),
        (
            json!({"from": "alice", "to": ["bob"], "type": "txt", "body": {}}),
            "body {}",
        ),
        (
            json!({"from": "alice", "to": ["bob"], "type": "cmd", "body": {}}),
            "cmd body {}",
        ),
        (json!({"to": ["bob"], "type": "img"}), "img body missing"),
    ];
    let refusal = Refusal {
        status: 400,
        error: "message_send_error",
        description: "param body can't be empty",
        code: Some(14005),
    };
    all_refused(&app, &token, "/messages/users", &cases, refusal).await;
}

// ------------------------------------------------------------------------------------------
// Outer fields
// ------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_message_without_from_is_sent_by_admin() {
    let (app, token) = pinned_app().await;
    let request = json!({"to": ["bob"], "type": "txt", "body": {"msg": "from the server"}});

    ok_body(
        app.post("/messages/users", Some(&token), &request).await,
        "send",
    )
    .await;

    let records = journal_records(&app, "to=bob").await;
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(records[0]["from"], "admin", "{records:?}");
}

#[tokio::test]
async fn an_empty_from_is_refused_with_error_code_14001() {
    let (app, token) = pinned_app().await;

    let resp = app.send_text(&token, "", &["bob"], "hi").await;

    let body = expect_error(
        resp,
        400,
        "message_send_error",
        "param from can't be empty",
        Some(14001),
        "from \"\"",
    )
    .await;
    assert_eq!(
        body["timestamp"], T0,
        "the error is stamped with the clock: {body}"
    );
    assert_eq!(journal_total(&app, "").await, 0, "nothing is stored");
}

#[tokio::test]
async fn an_empty_or_missing_to_is_refused_with_error_code_14002() {
    let (app, token) = pinned_app().await;
    // (request, why)
    let cases = [
        (
            json!({"from": "alice", "to": [], "type": "txt", "body": {"msg": "hi"}}),
            "to []",
        ),
        (
            json!({"from": "alice", "type": "txt", "body": {"msg": "hi"}}),
            "to missing",
        ),
    ];
    let refusal = Refusal {
        status: 400,
        error: "message_send_error",
        description: "param to can't be empty",
        code: Some(14002),
    };
    all_refused(&app, &token, "/messages/users", &cases, refusal).await;
}

#[tokio::test]
async fn an_empty_type_is_refused_with_param_type_cant_be_empty() {
    let (app, token) = pinned_app().await;
    let request = json!({"from": "alice", "to": ["bob"], "type": "", "body": {"msg": "hi"}});

    let resp = app.post("/messages/users", Some(&token), &request).await;

    expect_error(
        resp,
        400,
        "message_send_error",
        "param type can't be empty",
        None,
        "type \"\"",
    )
    .await;
}

#[tokio::test]
async fn an_unknown_type_is_refused_with_400_invalid_request_body() {
    let (app, token) = pinned_app().await;
    for kind in ["text", "TXT", "image", "location", "voice"] {
        let request = json!({"from": "alice", "to": ["bob"], "type": kind, "body": {"msg": "hi"}});
        let resp = app.post("/messages/users", Some(&token), &request).await;
        expect_error(
            resp,
            400,
            "invalid_request_body",
            "Request body is invalid. Please check body is correct.",
            None,
            &format!("type {kind:?}"),
        )
        .await;
    }
    assert_eq!(journal_total(&app, "").await, 0, "nothing is stored");
}

#[tokio::test]
async fn an_ext_that_is_not_a_json_object_is_refused() {
    let (app, token) = pinned_app().await;
    // (ext, why)
    let cases = [
        (Value::Null, "ext null"),
        (json!("{\"k\":\"v\"}"), "ext as a string"),
        (json!([1, 2]), "ext as an array"),
        (json!(5), "ext as a number"),
        (json!(true), "ext as a bool"),
    ];
    for (ext, why) in cases {
        let request = json!({"from": "alice", "to": ["bob"], "type": "txt", "body": {"msg": "hi"}, "ext": ext});
        let resp = app.post("/messages/users", Some(&token), &request).await;
        expect_error(
            resp,
            400,
            "message_send_error",
            "param ext must be JSONObject",
            None,
            why,
        )
        .await;
    }
    assert_eq!(journal_total(&app, "").await, 0, "nothing is stored");
}

#[tokio::test]
async fn an_ext_object_is_accepted_and_kept_with_the_message() {
    let (app, token) = pinned_app().await;
    let ext = json!({"em_ignore_notification": true, "order": {"id": 42, "items": ["a", "b"]}});
    let request =
        json!({"from": "alice", "to": ["bob"], "type": "txt", "body": {"msg": "hi"}, "ext": ext});

    ok_body(
        app.post("/messages/users", Some(&token), &request).await,
        "send",
    )
    .await;

    let records = journal_records(&app, "to=bob").await;
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(records[0]["ext"], ext, "ext kept as sent: {records:?}");
}

#[tokio::test]
async fn sync_device_and_route_online_are_accepted() {
    let (app, token) = pinned_app().await;
    // (extra fields, why)
    let cases = [
        (json!({"sync_device": true}), "sync_device true"),
        (json!({"sync_device": false}), "sync_device false"),
        (
            json!({"routetype": "ROUTE_ONLINE"}),
            "routetype ROUTE_ONLINE",
        ),
        (
            json!({"routetype": "ROUTE_ONLINE", "sync_device": true,
                   "ext": {"em_ignore_notification": true}}),
            "the seed's second example",
        ),
    ];
    for (extra, why) in cases {
        let mut request = text("user1", &["user2"], "testmessages");
        for (k, v) in extra.as_object().unwrap() {
            request[k] = v.clone();
        }
        let body = ok_body(
            app.post("/messages/users", Some(&token), &request).await,
            why,
        )
        .await;
        message_id(&body["data"]["user2"], why);
    }
}

#[tokio::test]
async fn the_optional_fields_of_group_room_and_user_messages_are_accepted() {
    let (app, token) = pinned_app().await;
    // (route, extra fields, why)
    let cases = [
        (
            "/messages/users",
            json!({"roam_ignore_users": ["carol"]}),
            "roam_ignore_users",
        ),
        ("/messages/users", json!({"env": "prod1"}), "env"),
        (
            "/messages/chatgroups",
            json!({"need_group_ack": true}),
            "need_group_ack",
        ),
        (
            "/messages/chatgroups",
            json!({"roam_ignore_users": ["carol"]}),
            "group roam_ignore_users",
        ),
        (
            "/messages/chatrooms",
            json!({"chatroom_msg_level": "high"}),
            "chatroom_msg_level high",
        ),
        (
            "/messages/chatrooms",
            json!({"chatroom_msg_level": "normal"}),
            "chatroom_msg_level normal",
        ),
        (
            "/messages/chatrooms",
            json!({"chatroom_msg_level": "low"}),
            "chatroom_msg_level low",
        ),
    ];
    for (route, extra, why) in cases {
        let mut request = text("alice", &["184524748161025"], "hi");
        for (k, v) in extra.as_object().unwrap() {
            request[k] = v.clone();
        }
        let body = ok_body(app.post(route, Some(&token), &request).await, why).await;
        message_id(&body["data"]["184524748161025"], why);
    }
}

#[tokio::test]
async fn targeted_group_and_room_messages_reach_the_chosen_members() {
    let (app, token) = pinned_app().await;
    // (route, chat_type)
    let cases = [
        ("/messages/chatgroups/users", "group"),
        ("/messages/chatrooms/users", "room"),
    ];
    for (route, chat_type) in cases {
        let target = format!("1845247481610{}", route.len());
        let mut request = text("alice", &[&target], "for bob only");
        request["users"] = json!(["bob"]);
        let body = ok_body(app.post(route, Some(&token), &request).await, route).await;
        let id = message_id(&body["data"][&target], route);
        let records = journal_records(&app, &format!("conversation={target}")).await;
        assert!(!records.is_empty(), "{route}: journaled: {records:?}");
        assert_eq!(records[0]["chat_type"], chat_type, "{route}: {records:?}");
        assert_eq!(records[0]["id"], id.to_string(), "{route}: {records:?}");
    }
}

#[tokio::test]
async fn malformed_json_is_refused_with_400_invalid_request_body() {
    let (app, token) = pinned_app().await;
    // (raw body, why)
    let cases: [(&[u8], &str); 6] = [
        (
            br#"{"from":"alice","to":["bob"],"type":"txt","body":{"msg":"hi"}"#,
            "unclosed object",
        ),
        (br#"{"from":"alice",}"#, "trailing comma"),
        (b"from=alice&to=bob", "form-encoded text"),
        (b"not json", "plain text"),
        (b"", "an empty body"),
        (&[0xff, 0xfe, 0x7b], "invalid UTF-8"),
    ];
    for (raw, why) in cases {
        let resp = app
            .post_raw("/messages/users", Some(&token), raw.to_vec())
            .await;
        expect_error(
            resp,
            400,
            "invalid_request_body",
            "Request body is invalid. Please check body is correct.",
            None,
            why,
        )
        .await;
    }
    assert_eq!(journal_total(&app, "").await, 0, "nothing is stored");
}

#[tokio::test]
async fn json_arrays_in_place_of_objects_are_refused_with_400_invalid_request_body() {
    let (app, token) = pinned_app().await;
    let url = "https://example.com/chatfiles/1";
    // (route, raw body, why)
    let cases = [
        (
            "/messages/users",
            r#"["alice",["bob"],"txt",{"msg":"hi"},{},null,null,null,null,null,null,null]"#
                .to_owned(),
            "the outer object as a positional array",
        ),
        (
            "/messages/users",
            json!({"from": "alice", "to": ["bob"], "type": "img",
                   "body": {"url": url, "size": [480, 720]}})
            .to_string(),
            "img size as an array",
        ),
        (
            "/messages?useMsgId=true",
            r#"["users",["bob"],{"type":"txt","msg":"hi"},"alice",{},null,null]"#.to_owned(),
            "the legacy outer object as a positional array",
        ),
    ];
    let mut accepted = Vec::new();
    for (route, raw, why) in cases {
        let resp = app.post_raw(route, Some(&token), raw.into_bytes()).await;
        let status = resp.status();
        let body: Value = resp.json().await.expect("a JSON answer");
        let refused = status == StatusCode::BAD_REQUEST
            && body["error"] == "invalid_request_body"
            && body["error_description"]
                == "Request body is invalid. Please check body is correct.";
        if !refused {
            accepted.push(format!("{why}: POST {route} answered {status} {body}"));
        }
    }
    assert!(
        accepted.is_empty(),
        "expected 400 invalid_request_body for every row, but:\n{}",
        accepted.join("\n")
    );
    assert_eq!(journal_total(&app, "").await, 0, "nothing is stored");
}

#[tokio::test]
async fn the_body_is_parsed_as_json_whatever_the_content_type() {
    let (app, token) = pinned_app().await;
    // (Content-Type header, why)
    let cases = [
        (None, "no Content-Type, as the Java SDK sends"),
        (Some("application/json"), "application/json"),
        (
            Some("application/x-www-form-urlencoded"),
            "form-urlencoded, as curl -d sends",
        ),
        (Some("text/plain"), "text/plain"),
    ];
    for (i, (content_type, why)) in cases.into_iter().enumerate() {
        let to = format!("ct-{i}");
        let request = text("alice", &[&to], "hi");
        let resp = post_bytes(
            &app,
            "/messages/users",
            Some(&token),
            content_type,
            request.to_string().into_bytes(),
        )
        .await;
        let body = ok_body(resp, why).await;
        message_id(&body["data"][&to], why);
    }
    assert_eq!(journal_total(&app, "").await, 4);
}

// ------------------------------------------------------------------------------------------
// Limits
// ------------------------------------------------------------------------------------------

#[tokio::test]
async fn sending_to_600_recipients_passes_and_601_is_refused_with_400() {
    let (app, token) = pinned_app().await;
    let names = recipients(601);
    let to: Vec<&str> = names.iter().map(String::as_str).collect();

    let body = ok_body(
        app.post(
            "/messages/users",
            Some(&token),
            &text("alice", &to[..600], "hi"),
        )
        .await,
        "600 recipients",
    )
    .await;
    assert_eq!(body["data"].as_object().unwrap().len(), 600, "600 ids");

    let resp = app
        .post("/messages/users", Some(&token), &text("alice", &to, "hi"))
        .await;
    expect_error(
        resp,
        400,
        "message_send_error",
        "params to's size can't exceed limit 600",
        None,
        "601 recipients",
    )
    .await;
    assert_eq!(
        journal_total(&app, "").await,
        600,
        "the refused send stores nothing"
    );
}

#[tokio::test]
async fn group_and_room_sends_take_3_groups_and_10_rooms_per_call() {
    let (app, token) = pinned_app().await;
    let ids: Vec<String> = (0..11).map(|i| format!("1845247481610{i:02}")).collect();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    // (route, most targets per call)
    let cases = [("/messages/chatgroups", 3), ("/messages/chatrooms", 10)];
    for (route, max) in cases {
        let before = journal_total(&app, "").await;
        let body = ok_body(
            app.post(route, Some(&token), &text("alice", &ids[..max], "hi"))
                .await,
            &format!("{route} with {max} targets"),
        )
        .await;
        assert_eq!(
            body["data"].as_object().unwrap().len(),
            max,
            "{route}: {body}"
        );

        let resp = app
            .post(route, Some(&token), &text("alice", &ids[..=max], "hi"))
            .await;
        expect_error(
            resp,
            400,
            "message_send_error",
            &format!("params to's size can't exceed limit {max}"),
            None,
            &format!("{route} with {} targets", max + 1),
        )
        .await;
        let after = journal_total(&app, "").await;
        assert_eq!(
            after - before,
            max as u64,
            "{route}: only the allowed send is stored"
        );
    }
}

/// A send request of exactly `total` bytes: a long recipient list, the last name padded.
fn request_of_exact_size(total: usize) -> Vec<u8> {
    let build =
        |to: &[String]| json!({"from": "alice", "to": to, "type": "txt", "body": {"msg": "hi"}});
    let mut to: Vec<String> = vec!["user-0000".into()];
    while build(&to).to_string().len() + 40 <= total {
        to.push(format!("user-{:04}", to.len()));
    }
    let remaining = total - build(&to).to_string().len();
    // `,"name"` adds the name's length plus 3 bytes.
    to.push("p".repeat(remaining - 3));
    let bytes = build(&to).to_string().into_bytes();
    assert_eq!(
        bytes.len(),
        total,
        "the test builds a body of {total} bytes"
    );
    assert!(to.len() <= 600, "under the recipient limit");
    bytes
}

#[tokio::test]
async fn a_request_body_of_5120_bytes_passes_and_5121_bytes_is_refused_with_413() {
    let (app, token) = pinned_app().await;

    let at_limit = app
        .post_raw("/messages/users", Some(&token), request_of_exact_size(5120))
        .await;
    let body = ok_body(at_limit, "5120-byte request").await;
    message_id(&body["data"]["user-0000"], "5120-byte request");
    let stored = journal_total(&app, "").await;

    let over = app
        .post_raw("/messages/users", Some(&token), request_of_exact_size(5121))
        .await;
    expect_error(
        over,
        413,
        "Request Entity Too Large",
        "Request Entity Too Large",
        None,
        "5121-byte request",
    )
    .await;
    assert_eq!(
        journal_total(&app, "").await,
        stored,
        "the refused send stores nothing"
    );
}

/// A txt message whose `body` and `ext` (compact JSON) add up to `total` bytes; without `ext`
/// when `ext_len` is 0, else with an `ext` of exactly `ext_len` bytes.
fn message_of_body_and_ext_size(total: usize, ext_len: usize) -> Value {
    let mut request = json!({"from": "alice", "to": ["bob"], "type": "txt"});
    let mut body_len = total;
    if ext_len > 0 {
        let ext = json!({"pad": "e".repeat(ext_len - r#"{"pad":""}"#.len())});
        assert_eq!(ext.to_string().len(), ext_len);
        request["ext"] = ext;
        body_len -= ext_len;
    }
    let body = json!({"msg": "m".repeat(body_len - r#"{"msg":""}"#.len())});
    assert_eq!(body.to_string().len(), body_len);
    request["body"] = body;
    request
}

#[tokio::test]
async fn body_and_ext_of_3072_bytes_pass_and_3073_are_refused_as_too_large() {
    let (app, token) = pinned_app().await;
    // (ext bytes, why)
    let cases = [
        (0, "body alone"),
        (1000, "body and a 1000-byte ext"),
        (3000, "a small body and a large ext"),
    ];
    for (ext_len, why) in cases {
        let fits = message_of_body_and_ext_size(3072, ext_len);
        let resp = app.post("/messages/users", Some(&token), &fits).await;
        ok_body(resp, &format!("{why}: 3072 bytes")).await;
        let stored = journal_total(&app, "").await;

        let too_large = message_of_body_and_ext_size(3073, ext_len);
        let resp = app.post("/messages/users", Some(&token), &too_large).await;
        let body = expect_error(
            resp,
            400,
            "message_send_error",
            "message is too large",
            Some(14007),
            &format!("{why}: 3073 bytes"),
        )
        .await;
        assert_eq!(body["exception"], "MessageSendException", "{why}: {body}");
        assert_eq!(
            journal_total(&app, "").await,
            stored,
            "{why}: nothing stored"
        );
    }
}

#[tokio::test]
async fn the_101st_call_in_one_second_is_refused_with_429_until_the_next_second() {
    let (app, token) = pinned_app().await;
    for i in 0..100 {
        let resp = app
            .send_text(&token, "alice", &["bob"], &format!("m{i}"))
            .await;
        ok_body(resp, &format!("call {}", i + 1)).await;
    }

    let resp = app
        .send_text(&token, "alice", &["bob"], "one too many")
        .await;
    expect_error(
        resp,
        429,
        "reach_limit",
        "This request has reached api limit",
        None,
        "call 101",
    )
    .await;
    assert_eq!(
        journal_total(&app, "").await,
        100,
        "the refused call stores nothing"
    );

    app.advance_clock(1000).await;
    let resp = app
        .send_text(&token, "alice", &["bob"], "next second")
        .await;
    ok_body(resp, "first call of the next second").await;
    assert_eq!(journal_total(&app, "").await, 101);
}

#[tokio::test]
async fn the_6001st_recipient_message_in_a_minute_is_refused_with_403_until_the_next_minute() {
    let (app, token) = pinned_app().await;
    let names = recipients(600);
    let to: Vec<&str> = names.iter().map(String::as_str).collect();
    for call in 1..=10 {
        let resp = app
            .post(
                "/messages/users",
                Some(&token),
                &text("alice", &to, "broadcast"),
            )
            .await;
        ok_body(resp, &format!("send {call} of 10 × 600")).await;
        app.advance_clock(1000).await;
    }
    assert_eq!(journal_total(&app, "limit=0").await, 6000);

    let resp = app.send_text(&token, "alice", &["bob"], "one more").await;
    expect_error(
        resp,
        403,
        "message_send_error",
        "message send reach limit",
        None,
        "message 6001",
    )
    .await;
    assert_eq!(
        journal_total(&app, "limit=0").await,
        6000,
        "the refused send stores nothing"
    );

    app.advance_clock(60_000).await;
    let resp = app
        .send_text(&token, "alice", &["bob"], "next minute")
        .await;
    ok_body(resp, "a send in the next minute").await;
    assert_eq!(journal_total(&app, "limit=0").await, 6001);
}

#[tokio::test]
async fn group_and_room_messages_over_their_per_second_window_are_refused_with_403() {
    let (app, token) = pinned_app().await;
    let groups = ["g1", "g2", "g3"];
    let rooms: Vec<String> = (0..10).map(|i| format!("r{i}")).collect();
    let rooms: Vec<&str> = rooms.iter().map(String::as_str).collect();
    // (route, targets per call, calls that fit: 6 × 3 = 18 ≤ 20; 10 × 10 = 100 ≤ 100)
    let cases = [
        ("/messages/chatgroups", &groups[..], 6),
        ("/messages/chatrooms", &rooms[..], 10),
    ];
    for (route, targets, fitting) in cases {
        for call in 1..=fitting {
            let resp = app
                .post(route, Some(&token), &text("alice", targets, "hi"))
                .await;
            ok_body(resp, &format!("{route} call {call}")).await;
        }
        let resp = app
            .post(route, Some(&token), &text("alice", targets, "hi"))
            .await;
        expect_error(
            resp,
            403,
            "message_send_error",
            "message send reach limit",
            None,
            &format!("{route}: one call over the per-second message window"),
        )
        .await;

        app.advance_clock(1000).await;
        let resp = app
            .post(route, Some(&token), &text("alice", targets, "hi"))
            .await;
        ok_body(resp, &format!("{route}: the next second")).await;
    }
}

#[tokio::test]
async fn group_sends_over_20_calls_per_second_are_refused_with_429() {
    let (app, token) = pinned_app().await;
    for call in 1..=20 {
        let resp = app
            .post(
                "/messages/chatgroups",
                Some(&token),
                &text("alice", &["g1"], "hi"),
            )
            .await;
        ok_body(resp, &format!("group call {call}")).await;
    }

    let resp = app
        .post(
            "/messages/chatgroups",
            Some(&token),
            &text("alice", &["g1"], "hi"),
        )
        .await;

    expect_error(
        resp,
        429,
        "reach_limit",
        "This request has reached api limit",
        None,
        "group call 21",
    )
    .await;
}

#[tokio::test]
async fn limits_turned_off_by_fixture_let_601_recipients_and_large_bodies_through() {
    let (app, token) = unlimited_app().await;
    let names = recipients(601);
    let to: Vec<&str> = names.iter().map(String::as_str).collect();

    let body = ok_body(
        app.post("/messages/users", Some(&token), &text("alice", &to, "hi"))
            .await,
        "601 recipients with limits off",
    )
    .await;
    assert_eq!(body["data"].as_object().unwrap().len(), 601);

    let big = message_of_body_and_ext_size(8000, 0);
    let resp = app.post("/messages/users", Some(&token), &big).await;
    ok_body(resp, "an 8000-byte message with limits off").await;

    for call in 1..=150 {
        let resp = app.send_text(&token, "alice", &["bob"], "fast").await;
        ok_body(resp, &format!("call {call} in one second with limits off")).await;
    }
}

#[tokio::test]
async fn a_fixture_can_lower_a_single_limit() {
    let mut demo = demo_tenant();
    demo["limits"] = json!({"users": {"max_recipients": 5}});
    let app = spawn_with_fixtures(&json!({"tenants": [demo]})).await;
    app.set_clock(T0).await;
    let token = app.app_token().await;
    let names = recipients(6);
    let to: Vec<&str> = names.iter().map(String::as_str).collect();

    let resp = app
        .post(
            "/messages/users",
            Some(&token),
            &text("alice", &to[..5], "hi"),
        )
        .await;
    ok_body(resp, "5 recipients").await;

    let resp = app
        .post("/messages/users", Some(&token), &text("alice", &to, "hi"))
        .await;
    expect_error(
        resp,
        400,
        "message_send_error",
        "params to's size can't exceed limit 5",
        None,
        "6 recipients over a fixture limit of 5",
    )
    .await;

    let resp = app
        .post(
            "/messages/chatrooms",
            Some(&token),
            &text("alice", &to, "hi"),
        )
        .await;
    ok_body(resp, "other targets keep their documented limits").await;
}

// ------------------------------------------------------------------------------------------
// The journal
// ------------------------------------------------------------------------------------------

#[tokio::test]
async fn every_delivered_message_is_journaled_once_per_recipient() {
    let (app, token) = pinned_app().await;
    let msg_body = json!({"msg": "hello, 世界", "extra": [1, {"nested": true}]});
    let request = json!({"from": "alice", "to": ["bob", "carol"], "type": "txt", "body": msg_body});

    let body = ok_body(
        app.post("/messages/users", Some(&token), &request).await,
        "send",
    )
    .await;

    let listing = app.journal("").await;
    assert_eq!(listing["total"], 2, "{listing}");
    let records = listing["messages"].as_array().unwrap();
    for (record, who) in records.iter().zip(["bob", "carol"]) {
        assert_eq!(record["provider"], "easemob", "{record}");
        assert_eq!(record["tenant"], "demo/chat", "{record}");
        assert_eq!(
            record["id"], body["data"][who],
            "same id as in data: {record}"
        );
        assert_eq!(record["conversation"], who, "{record}");
        assert_eq!(record["chat_type"], "single", "{record}");
        assert_eq!(record["from"], "alice", "{record}");
        assert_eq!(record["to"], who, "{record}");
        assert_eq!(record["type"], "txt", "{record}");
        assert_eq!(
            record["content"], msg_body,
            "the body exactly as sent: {record}"
        );
        assert_eq!(record["received_at_ms"], T0, "{record}");
    }
}

#[tokio::test]
async fn group_and_room_messages_are_journaled_with_their_chat_type() {
    let (app, token) = pinned_app().await;
    // (route, target, chat_type)
    let cases = [
        ("/messages/users", "bob", "single"),
        ("/messages/chatgroups", "184524748161025", "group"),
        ("/messages/chatrooms", "184524748161026", "room"),
    ];
    for (route, target, chat_type) in cases {
        let body = ok_body(
            app.post(route, Some(&token), &text("alice", &[target], "hi"))
                .await,
            route,
        )
        .await;
        let records = journal_records(&app, &format!("to={target}")).await;
        assert_eq!(records.len(), 1, "{route}: {records:?}");
        assert_eq!(records[0]["chat_type"], chat_type, "{route}: {records:?}");
        assert_eq!(records[0]["conversation"], target, "{route}: {records:?}");
        assert_eq!(
            records[0]["id"], body["data"][target],
            "{route}: {records:?}"
        );
    }
}

#[tokio::test]
async fn the_journal_filters_by_provider_tenant_from_to_type_and_limit() {
    let (app, token) = pinned_app().await;
    ok_body(
        app.send_text(&token, "alice", &["bob", "carol"], "one")
            .await,
        "send 1",
    )
    .await;
    ok_body(
        app.send_text(&token, "bob", &["alice"], "two").await,
        "send 2",
    )
    .await;
    let cmd = json!({"from": "alice", "to": ["bob"], "type": "cmd", "body": {"action": "ping"}});
    ok_body(
        app.post("/messages/users", Some(&token), &cmd).await,
        "send 3",
    )
    .await;
    // (query, total, why)
    let cases = [
        ("", 4, "everything"),
        ("provider=easemob", 4, "this provider"),
        ("provider=openim", 0, "another provider"),
        ("tenant=demo/chat", 4, "this tenant"),
        ("tenant=demo/other", 0, "another tenant"),
        ("from=alice", 3, "alice's messages"),
        ("from=bob", 1, "bob's messages"),
        ("to=bob", 2, "messages to bob"),
        ("type=txt", 3, "text messages"),
        ("type=cmd", 1, "command messages"),
        ("from=alice&to=bob&type=txt", 1, "combined filters"),
    ];
    for (query, total, why) in cases {
        let listing = app.journal(query).await;
        assert_eq!(listing["total"], total, "{why} ({query}): {listing}");
        let shown = listing["messages"].as_array().unwrap().len();
        assert_eq!(shown as u64, total, "{why} ({query}): every match shown");
    }

    let limited = app.journal("from=alice&limit=2").await;
    assert_eq!(limited["total"], 3, "total counts every match: {limited}");
    let shown = limited["messages"].as_array().unwrap();
    assert_eq!(shown.len(), 2, "limit caps the records shown: {limited}");
    assert_eq!(shown[0]["to"], "bob", "oldest first: {limited}");
    assert_eq!(shown[1]["to"], "carol", "oldest first: {limited}");
}

// ------------------------------------------------------------------------------------------
// The legacy route POST /messages
// ------------------------------------------------------------------------------------------

fn legacy(target_type: &str, target: &[&str], from: Value) -> Value {
    json!({"target_type": target_type, "target": target, "msg": {"type": "txt", "msg": "hello"},
           "from": from, "ext": {}})
}

#[tokio::test]
async fn legacy_sends_without_use_msg_id_map_each_recipient_to_success() {
    let (app, token) = pinned_app().await;
    for route in ["/messages", "/messages?useMsgId=false"] {
        let resp = app
            .post(
                route,
                Some(&token),
                &legacy("users", &["bob", "carol"], json!("alice")),
            )
            .await;
        let body = ok_body(resp, route).await;

        assert_envelope(&app, &body, "/messages", route);
        assert_eq!(
            body["data"],
            json!({"bob": "success", "carol": "success"}),
            "{route}: {body}"
        );
    }
    let records = journal_records(&app, "").await;
    assert_eq!(records.len(), 4, "one record per recipient: {records:?}");
    for record in &records {
        assert_eq!(record["from"], "alice", "{record}");
        assert_eq!(record["type"], "txt", "{record}");
        assert_eq!(record["chat_type"], "single", "{record}");
        assert_eq!(
            record["content"],
            json!({"type": "txt", "msg": "hello"}),
            "{record}"
        );
    }
}

#[tokio::test]
async fn legacy_sends_with_use_msg_id_map_each_recipient_to_its_id() {
    let (app, token) = pinned_app().await;
    // (target_type, target, chat_type)
    let cases = [
        ("users", "bob", "single"),
        ("chatgroups", "184524748161025", "group"),
        ("chatrooms", "184524748161026", "room"),
    ];
    for (target_type, target, chat_type) in cases {
        let resp = app
            .post(
                "/messages?useMsgId=true",
                Some(&token),
                &legacy(target_type, &[target], json!("alice")),
            )
            .await;
        let body = ok_body(resp, target_type).await;
        let id = message_id(&body["data"][target], target_type);
        assert_eq!(id_time_ms(id), T0, "{target_type}: id decodes to the clock");

        let records = journal_records(&app, &format!("to={target}")).await;
        assert_eq!(records.len(), 1, "{target_type}: {records:?}");
        assert_eq!(records[0]["id"], id.to_string(), "{target_type}: same id");
        assert_eq!(
            records[0]["chat_type"], chat_type,
            "{target_type}: {records:?}"
        );
    }
}

#[tokio::test]
async fn legacy_sends_with_a_null_or_absent_from_are_sent_by_admin() {
    let (app, token) = pinned_app().await;
    let mut absent = legacy("users", &["carol"], Value::Null);
    absent.as_object_mut().unwrap().remove("from");
    // (request, recipient, why)
    let cases = [
        (
            legacy("users", &["bob"], Value::Null),
            "bob",
            "from null, as ease-restapi sends",
        ),
        (absent, "carol", "from absent"),
    ];
    for (request, who, why) in cases {
        ok_body(app.post("/messages", Some(&token), &request).await, why).await;
        let records = journal_records(&app, &format!("to={who}")).await;
        assert_eq!(records.len(), 1, "{why}: {records:?}");
        assert_eq!(records[0]["from"], "admin", "{why}: {records:?}");
    }
}

#[tokio::test]
async fn legacy_sends_with_an_empty_from_are_refused_with_illegal_argument() {
    let (app, token) = pinned_app().await;

    let resp = app
        .post(
            "/messages",
            Some(&token),
            &legacy("users", &["bob"], json!("")),
        )
        .await;

    expect_error(
        resp,
        400,
        "illegal_argument",
        "from can't be empty",
        None,
        "legacy from \"\"",
    )
    .await;
    assert_eq!(journal_total(&app, "").await, 0, "nothing is stored");
}

#[tokio::test]
async fn legacy_sends_with_a_bad_target_type_are_refused_with_illegal_argument() {
    let (app, token) = pinned_app().await;
    let mut missing = legacy("users", &["bob"], json!("alice"));
    missing.as_object_mut().unwrap().remove("target_type");
    // (request, why)
    let cases = [
        (legacy("user", &["bob"], json!("alice")), "target_type user"),
        (
            legacy("groups", &["bob"], json!("alice")),
            "target_type groups",
        ),
        (
            legacy("Users", &["bob"], json!("alice")),
            "target_type in another case",
        ),
        (legacy("", &["bob"], json!("alice")), "an empty target_type"),
        (missing, "target_type missing"),
    ];
    let refusal = Refusal {
        status: 400,
        error: "illegal_argument",
        description: "target_type can only be 'users' or 'chatgroups' or 'chatrooms'",
        code: None,
    };
    all_refused(&app, &token, "/messages?useMsgId=true", &cases, refusal).await;
}

#[tokio::test]
async fn legacy_sends_apply_the_limits_of_their_target_type() {
    let (app, token) = pinned_app().await;
    let groups = ["g1", "g2", "g3", "g4"];

    let resp = app
        .post(
            "/messages",
            Some(&token),
            &legacy("chatgroups", &groups[..3], json!("alice")),
        )
        .await;
    ok_body(resp, "3 groups").await;

    let resp = app
        .post(
            "/messages",
            Some(&token),
            &legacy("chatgroups", &groups, json!("alice")),
        )
        .await;
    expect_error(
        resp,
        400,
        "message_send_error",
        "params to's size can't exceed limit 3",
        None,
        "4 groups on the legacy route",
    )
    .await;
}

// ------------------------------------------------------------------------------------------
// Concurrency and tenants
// ------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_four_parallel_senders_get_6400_distinct_ids_and_6400_records() {
    let fixtures = json!({"defaults": {"limits": {"enabled": false}}, "tenants": [demo_tenant()]});
    let app = spawn_with_fixtures(&fixtures).await;
    let token = app.app_token().await;
    let url = app.app_url(ORG, APP, "/messages/users");

    let mut tasks = Vec::new();
    for sender in 0..64 {
        let client = app.client.clone();
        let (url, token) = (url.clone(), token.clone());
        tasks.push(tokio::spawn(async move {
            let mut ids = Vec::with_capacity(100);
            let to = format!("peer-{sender}");
            for n in 0..100 {
                let request = text(&format!("sender-{sender}"), &[&to], &format!("m{n}"));
                let resp = client
                    .post(&url)
                    .bearer_auth(&token)
                    .body(request.to_string())
                    .send()
                    .await
                    .expect("the request is answered");
                let status = resp.status();
                let body: Value = resp.json().await.expect("a JSON answer");
                assert_eq!(
                    status,
                    StatusCode::OK,
                    "sender {sender} message {n}: {body}"
                );
                ids.push(body["data"][&to].as_str().expect("an id").to_owned());
            }
            ids
        }));
    }
    let mut sent = HashSet::new();
    for task in tasks {
        for id in task.await.expect("the sender finishes") {
            sent.insert(id);
        }
    }
    assert_eq!(sent.len(), 6400, "6400 distinct ids");

    let records = journal_records(&app, "tenant=demo/chat").await;
    assert_eq!(records.len(), 6400, "6400 records");
    let journaled: HashSet<String> = records
        .iter()
        .map(|r| r["id"].as_str().expect("a string id").to_owned())
        .collect();
    assert_eq!(
        journaled, sent,
        "the journal holds exactly the ids answered"
    );
}

#[tokio::test]
async fn messages_sent_on_one_app_appear_only_under_that_tenant() {
    let fixtures = json!({"tenants": [
        demo_tenant(),
        tenant("acme", "support", "YXA6acme-id", "YXA6acme-secret"),
    ]});
    let app = spawn_with_fixtures(&fixtures).await;
    app.set_clock(T0).await;
    let demo_token = app.app_token().await;
    let acme_token = app
        .token_for("acme", "support", "YXA6acme-id", "YXA6acme-secret")
        .await;

    ok_body(
        app.send_text(&demo_token, "alice", &["bob"], "on demo")
            .await,
        "demo send",
    )
    .await;
    let acme = text("agent", &["customer"], "on acme");
    let resp = app
        .post_to(
            "acme",
            "support",
            "/messages/users",
            Some(&acme_token),
            &acme,
        )
        .await;
    let body = ok_body(resp, "acme send").await;
    assert_eq!(body["organization"], "acme", "{body}");
    assert_eq!(body["applicationName"], "support", "{body}");
    assert_eq!(
        body["uri"],
        format!("{}/acme/support/messages/users", app.url),
        "{body}"
    );

    let demo_records = journal_records(&app, "tenant=demo/chat").await;
    assert_eq!(demo_records.len(), 1, "{demo_records:?}");
    assert_eq!(demo_records[0]["to"], "bob", "{demo_records:?}");
    let acme_records = journal_records(&app, "tenant=acme/support").await;
    assert_eq!(acme_records.len(), 1, "{acme_records:?}");
    assert_eq!(acme_records[0]["to"], "customer", "{acme_records:?}");
    assert_eq!(
        acme_records[0]["tenant"], "acme/support",
        "{acme_records:?}"
    );

    let resp = app
        .post_to(
            "acme",
            "support",
            "/messages/users",
            Some(&demo_token),
            &acme,
        )
        .await;
    error_envelope(resp, 401, "demo's token on acme").await;
    assert_eq!(
        journal_total(&app, "tenant=acme/support").await,
        1,
        "nothing more on acme"
    );
}

// ------------------------------------------------------------------------------------------
// Authentication and methods
// ------------------------------------------------------------------------------------------

#[tokio::test]
async fn sending_without_a_token_is_refused_with_401() {
    let app = spawn_app().await;
    let legacy = legacy("users", &["bob"], json!("alice"));
    // (route, body)
    let cases = [
        ("/messages/users", text("alice", &["bob"], "hi")),
        (
            "/messages/chatgroups",
            text("alice", &["184524748161025"], "hi"),
        ),
        (
            "/messages/chatrooms",
            text("alice", &["184524748161026"], "hi"),
        ),
        ("/messages", legacy.clone()),
        ("/messages?useMsgId=true", legacy),
    ];
    for (route, request) in cases {
        let resp = app.post(route, None, &request).await;
        expect_error(
            resp,
            401,
            "unauthorized",
            "Unable to authenticate due to expired access token",
            None,
            &format!("POST {route} without a token"),
        )
        .await;
    }
    assert_eq!(journal_total(&app, "").await, 0, "nothing is stored");
}

#[tokio::test]
async fn sending_with_a_user_token_is_refused_with_401() {
    let (app, _) = pinned_app().await;
    let grant =
        json!({"grant_type": "password", "username": "alice", "password": "alice-password"});
    let user = ok_body(app.post("/token", None, &grant).await, "user token").await;
    let user_token = user["access_token"].as_str().unwrap();

    let resp = app.send_text(user_token, "alice", &["bob"], "hi").await;

    error_envelope(resp, 401, "a user token on /messages/users").await;
    assert_eq!(journal_total(&app, "").await, 0, "nothing is stored");
}

#[tokio::test]
async fn other_methods_on_the_send_routes_are_refused_with_405_in_an_error_envelope() {
    let (app, token) = pinned_app().await;
    // (method, route)
    let cases = [
        ("GET", "/messages/users"),
        ("DELETE", "/messages/users"),
        ("PUT", "/messages/users"),
        ("GET", "/messages/chatgroups"),
        ("GET", "/messages/chatrooms"),
        ("GET", "/messages"),
    ];
    for (method, route) in cases {
        let resp = app
            .client
            .request(method.parse().unwrap(), app.app_url(ORG, APP, route))
            .bearer_auth(&token)
            .send()
            .await
            .expect("the request is answered");
        error_envelope(resp, 405, &format!("{method} {route}")).await;
    }
    assert_eq!(journal_total(&app, "").await, 0, "nothing is stored");
}
