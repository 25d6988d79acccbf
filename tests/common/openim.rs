//! OpenIM helpers: calls as an OpenIM client makes them (always POST, headers `operationID`
//! and `token`, a JSON body) to tenant `default` at the root or to another tenant under
//! `/tenants/{name}`; answers read as its clients read them (the Go envelope, byte for byte);
//! HS256 tokens decoded and forged; fixture folders with an `openim/tenants.json`.

use super::TestApp;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use hmac::{Hmac, Mac};
use im_emulator::config::Config;
use reqwest::header::HeaderMap;
use reqwest::{Client, Response};
use serde_json::{json, Value};
use sha2::Sha256;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The secret of the built-in fixtures.
pub const SECRET: &str = "openIM123";
/// The first admin userID of the built-in fixtures.
pub const ADMIN: &str = "imAdmin";
/// The second admin userID of the built-in fixtures.
pub const SECOND_ADMIN: &str = "openIMAdmin";
/// The `operationID` header every helper sends.
pub const OPERATION_ID: &str = "1646445464564";
/// A token's lifetime with the fixtures' 90 days, in seconds.
pub const TOKEN_LIFETIME_S: i64 = 90 * 86_400;
/// The base64url of `{"alg":"HS256","typ":"JWT"}`, the header of every Go-issued token.
pub const HS256_HEADER: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";

/// One OpenIM tenant of a running server, as a client addresses it.
pub struct Im<'a> {
    pub app: &'a TestApp,
    prefix: String,
}

impl<'a> Im<'a> {
    /// Tenant `default`, at the root.
    pub fn new(app: &'a TestApp) -> Self {
        Self {
            prefix: app.url.clone(),
            app,
        }
    }

    /// Tenant `name`, under `/tenants/{name}`.
    pub fn tenant(app: &'a TestApp, name: &str) -> Self {
        Self {
            prefix: format!("{}/tenants/{name}", app.url),
            app,
        }
    }

    /// The URL of `path` (`/msg/send_msg`) in this tenant.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.prefix)
    }

    /// POSTs `body` to `path` with `operationID` and, when given, `token`.
    pub async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> Response {
        let mut headers = vec![("operationID", OPERATION_ID)];
        if let Some(token) = token {
            headers.push(("token", token));
        }
        self.post_raw(path, &headers, body.to_string()).await
    }

    /// POSTs raw `body` to `path` with exactly `headers`.
    pub async fn post_raw(
        &self,
        path: &str,
        headers: &[(&str, &str)],
        body: impl Into<Vec<u8>>,
    ) -> Response {
        let mut req = self.app.client.post(self.url(path)).body(body.into());
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        req.send().await.expect("the request is answered")
    }

    /// A request of `method` to `path` with `headers`, through `client`.
    pub async fn request(
        &self,
        client: &Client,
        method: reqwest::Method,
        path: &str,
        headers: &[(&str, &str)],
    ) -> Response {
        let mut req = client.request(method, self.url(path));
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        req.send().await.expect("the request is answered")
    }

    /// An admin token of `imAdmin`.
    pub async fn admin_token(&self) -> String {
        self.admin_token_of(ADMIN).await
    }

    /// An admin token of the admin `user`.
    pub async fn admin_token_of(&self, user: &str) -> String {
        let body = json!({"secret": SECRET, "userID": user});
        let data = ok_data(self.post("/auth/get_admin_token", None, &body).await).await;
        data["token"].as_str().expect("a token").to_owned()
    }

    /// A token of `user` on `platform`, issued with `admin`'s token.
    pub async fn user_token(&self, admin: &str, user: &str, platform: i32) -> String {
        let body = json!({"userID": user, "platformID": platform});
        let resp = self.post("/auth/get_user_token", Some(admin), &body).await;
        let data = ok_data(resp).await;
        data["token"].as_str().expect("a token").to_owned()
    }

    /// Registers `(userID, nickname)` pairs with `admin`'s token.
    pub async fn register(&self, admin: &str, users: &[(&str, &str)]) {
        let users: Vec<Value> = users
            .iter()
            .map(|(id, nickname)| json!({"userID": id, "nickname": nickname}))
            .collect();
        let resp = self
            .post(
                "/user/user_register",
                Some(admin),
                &json!({ "users": users }),
            )
            .await;
        ok_empty(resp).await;
    }

    /// Creates the working group `group_id` owned by `owner` with `members`; its groupInfo.
    pub async fn create_group(
        &self,
        token: &str,
        group_id: &str,
        owner: &str,
        members: &[&str],
    ) -> Value {
        let body = group_request(group_id, owner, members);
        let resp = self.post("/group/create_group", Some(token), &body).await;
        ok_data(resp).await["groupInfo"].clone()
    }

    /// POSTs `body` to `/msg/send_msg` with `token`.
    pub async fn send(&self, token: &str, body: &Value) -> Response {
        self.post("/msg/send_msg", Some(token), body).await
    }

    /// Sends `body` and returns the answer's data, which must be a success.
    pub async fn send_ok(&self, token: &str, body: &Value) -> Value {
        ok_data(self.send(token, body).await).await
    }

    /// `pull_msg_by_seq` for `user` over `ranges` in ascending order; the answer's data.
    pub async fn pull(&self, token: &str, user: &str, ranges: Value) -> Value {
        let body = json!({"userID": user, "seqRanges": ranges, "order": 0});
        ok_data(self.post("/msg/pull_msg_by_seq", Some(token), &body).await).await
    }

    /// The messages of `conversation` from seq 1 to 100 as `user` pulls them.
    pub async fn pull_all(&self, token: &str, user: &str, conversation: &str) -> Vec<Value> {
        let data = self
            .pull(token, user, json!([range(conversation, 1, 100, 100)]))
            .await;
        data["msgs"][conversation]["Msgs"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// The `maxSeqs` of `newest_seq` for `user`.
    pub async fn max_seqs(&self, token: &str, user: &str) -> Value {
        let resp = self
            .post("/msg/newest_seq", Some(token), &json!({ "userID": user }))
            .await;
        ok_data(resp).await["maxSeqs"].clone()
    }

    /// `search_msg` with `body`; the answer's data.
    pub async fn search(&self, token: &str, body: &Value) -> Value {
        ok_data(self.post("/msg/search_msg", Some(token), body).await).await
    }

    /// Revokes seq `seq` of `conversation` as `user` with `token`.
    pub async fn revoke(&self, token: &str, conversation: &str, seq: i64, user: &str) -> Response {
        let body = json!({"conversationID": conversation, "seq": seq, "userID": user});
        self.post("/msg/revoke_msg", Some(token), &body).await
    }
}

/// A `create_group` body for a working group.
pub fn group_request(group_id: &str, owner: &str, members: &[&str]) -> Value {
    json!({
        "ownerUserID": owner,
        "memberUserIDs": members,
        "adminUserIDs": [],
        "groupInfo": {"groupID": group_id, "groupName": "Group", "groupType": 2},
    })
}

/// A seq range of `pull_msg_by_seq`.
pub fn range(conversation: &str, begin: i64, end: i64, num: i64) -> Value {
    json!({"conversationID": conversation, "begin": begin, "end": end, "num": num})
}

/// A send_msg body of `content_type` and `content` in a single chat `send` → `recv`.
pub fn message(send: &str, recv: &str, content_type: i32, content: Value) -> Value {
    json!({
        "sendID": send,
        "recvID": recv,
        "content": content,
        "contentType": content_type,
        "sessionType": 1,
    })
}

/// A text message in a single chat `send` → `recv`.
pub fn text(send: &str, recv: &str, words: &str) -> Value {
    message(send, recv, 101, json!({ "content": words }))
}

/// A text message from `send` to the group `group`.
pub fn group_text(send: &str, group: &str, words: &str) -> Value {
    json!({
        "sendID": send,
        "groupID": group,
        "content": {"content": words},
        "contentType": 101,
        "sessionType": 3,
    })
}

// ------------------------------------------------------------------------------------------
// Answers

/// An answer as read off the wire.
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
}

impl Answer {
    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("the body is JSON ({e}): {}", self.text))
    }

    /// The value of header `name`, or `""`.
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap())
            .unwrap_or_default()
    }
}

/// Reads an answer.
pub async fn read(resp: Response) -> Answer {
    Answer {
        status: resp.status().as_u16(),
        headers: resp.headers().clone(),
        text: resp.text().await.expect("a body"),
    }
}

/// `s` as a JSON string the way Go writes it (`<`, `>`, `&` escaped).
pub fn go_string(s: &str) -> String {
    serde_json::to_string(s)
        .unwrap()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// The exact body of an error answer: the envelope without `data`.
pub fn error_body(code: i64, msg: &str, dlt: &str) -> String {
    format!(
        "{{\"errCode\":{code},\"errMsg\":{},\"errDlt\":{}}}",
        go_string(msg),
        go_string(dlt)
    )
}

/// Asserts one table row's refusal: the HTTP status, `Content-Type: application/json` and
/// the exact body `{"errCode","errMsg","errDlt"}`, naming the row in every failure.
pub async fn assert_refused(
    case: &str,
    resp: Response,
    status: u16,
    code: i64,
    msg: &str,
    dlt: &str,
) {
    let answer = read(resp).await;
    assert_eq!(
        answer.status, status,
        "case {case}: status of {}",
        answer.text
    );
    assert_eq!(
        answer.header("content-type"),
        "application/json",
        "case {case}: content type"
    );
    assert_eq!(
        answer.text,
        error_body(code, msg, dlt),
        "case {case}: the error envelope"
    );
}

/// Asserts a refusal whose `errDlt` is not pinned (`errCode` and `errMsg` are).
pub async fn assert_refused_code(case: &str, resp: Response, code: i64, msg: &str) -> Value {
    let answer = read(resp).await;
    assert_eq!(answer.status, 200, "case {case}: status of {}", answer.text);
    let body = answer.json();
    assert_eq!(body["errCode"], code, "case {case}: {body}");
    assert_eq!(body["errMsg"], msg, "case {case}: {body}");
    assert!(body["errDlt"].is_string(), "case {case}: {body}");
    assert!(body.get("data").is_none(), "case {case}: {body}");
    body
}

/// Asserts a generic handler's decode failure: HTTP 200, 1001, the decoder's text within
/// `errMsg` (the real server appends Go stack frames to it) and an empty `errDlt`.
pub async fn assert_decode_refused(case: &str, resp: Response, text_in_msg: &str) {
    let answer = read(resp).await;
    assert_eq!(answer.status, 200, "case {case}: status of {}", answer.text);
    let body = answer.json();
    assert_eq!(body["errCode"], 1001, "case {case}: {body}");
    let msg = body["errMsg"].as_str().unwrap_or_default();
    assert!(
        msg.contains(text_in_msg),
        "case {case}: errMsg {msg:?} holds {text_in_msg:?}"
    );
    assert_eq!(body["errDlt"], "", "case {case}: {body}");
    assert!(body.get("data").is_none(), "case {case}: {body}");
}

/// Asserts a success with data: HTTP 200, `Content-Type: application/json`, the envelope's
/// keys in Go's order with empty texts; returns `data`.
pub async fn ok_data(resp: Response) -> Value {
    let answer = read(resp).await;
    assert_eq!(answer.status, 200, "a success: {}", answer.text);
    assert_eq!(answer.header("content-type"), "application/json");
    assert!(
        answer
            .text
            .starts_with(r#"{"errCode":0,"errMsg":"","errDlt":"","data":"#),
        "a success envelope with data: {}",
        answer.text
    );
    answer.json()["data"].clone()
}

/// Asserts a success without data: exactly `{"errCode":0,"errMsg":"","errDlt":""}`.
pub async fn ok_empty(resp: Response) {
    let answer = read(resp).await;
    assert_eq!(answer.status, 200, "a success: {}", answer.text);
    assert_eq!(answer.header("content-type"), "application/json");
    assert_eq!(answer.text, r#"{"errCode":0,"errMsg":"","errDlt":""}"#);
}

/// Whether `id` is 32 lowercase hex digits (an MD5).
pub fn is_md5_hex(id: &Value) -> bool {
    id.as_str().is_some_and(|s| {
        s.len() == 32
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// The bytes a base64 `content` of a pulled message stands for, as text.
pub fn unbase64(content: &Value) -> String {
    let bytes = STANDARD
        .decode(content.as_str().expect("base64 text"))
        .expect("standard base64");
    String::from_utf8(bytes).expect("UTF-8 content")
}

// ------------------------------------------------------------------------------------------
// Tokens

/// The header and claims of a JWT, decoded.
pub fn jwt_parts(token: &str) -> (Value, Value) {
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "three segments: {token}");
    let decode = |part: &str| -> Value {
        let bytes = URL_SAFE_NO_PAD
            .decode(part)
            .expect("base64url without padding");
        serde_json::from_slice(&bytes).expect("a JSON segment")
    };
    (decode(parts[0]), decode(parts[1]))
}

/// A JWT of `header` and `claims` (JSON texts) signed HS256 with `secret`.
pub fn sign_jwt(header: &str, claims: &str, secret: &str) -> String {
    let signed = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(claims)
    );
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(signed.as_bytes());
    let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    format!("{signed}.{signature}")
}

/// A Go-shaped token of `user` on `platform`, valid from `now_s` for 90 days, signed HS256
/// with `secret`.
pub fn forge_token(user: &str, platform: i32, now_s: i64, secret: &str) -> String {
    let claims = json!({"UserID": user, "PlatformID": platform, "exp": now_s + TOKEN_LIFETIME_S, "iat": now_s - 5});
    sign_jwt(
        r#"{"alg":"HS256","typ":"JWT"}"#,
        &claims.to_string(),
        secret,
    )
}

// ------------------------------------------------------------------------------------------
// Servers

/// Starts the server with `openim` as its OpenIM fixture file (`DIR/openim/tenants.json`).
pub async fn spawn_openim(openim: &Value) -> TestApp {
    super::spawn_with(Config {
        fixtures: Some(openim_fixture_dir(openim)),
        ..Config::default()
    })
    .await
}

/// The built-in OpenIM fixtures plus tenant `next`, which runs OpenIM's `main` branch.
pub fn fixtures_with_main_tenant() -> Value {
    json!({
        "defaults": {
            "secret": SECRET,
            "admin_user_ids": [ADMIN, SECOND_ADMIN],
            "users": [
                {"user_id": "alice", "nickname": "Alice"},
                {"user_id": "bob", "nickname": "Bob"}
            ]
        },
        "tenants": [{"name": "default"}, {"name": "next", "version": "main"}]
    })
}

fn openim_fixture_dir(openim: &Value) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!(
        "im-emulator-openim-test-{}-{n}",
        std::process::id()
    ));
    std::fs::create_dir_all(dir.join("openim")).unwrap();
    std::fs::write(
        dir.join("openim").join("tenants.json"),
        serde_json::to_vec(openim).unwrap(),
    )
    .unwrap();
    dir
}

/// A client that does not follow redirects.
pub fn no_redirect_client() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}
