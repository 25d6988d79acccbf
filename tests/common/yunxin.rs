//! NetEase Yunxin IM v2 helpers: calls signed as the official Java server SDK signs them
//! (`AppKey`, `Nonce` of 32 hex digits, `CurTime` in seconds read from the emulator's clock,
//! `CheckSum` = lowercase hex SHA-1 of AppSecret + Nonce + CurTime, `Content-Type:
//! application/json;charset=UTF-8`), raw HTTP/1.1 requests for exact header casing and a raw
//! `|` in the path, answers read as the SDKs read them (`{"code","msg","data"}`), fixture
//! folders with a `yunxin/tenants.json`, and the calls most tests make (accounts, teams,
//! sends, history).

use super::receiver::Hit;
use super::{TestApp, T0};
use im_emulator::config::Config;
use md5::Md5;
use reqwest::{Method, Response};
use serde_json::{json, Value};
use sha1::{Digest, Sha1};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The AppKey and AppSecret of the built-in fixtures.
pub const APP_KEY: &str = "demo-appkey";
pub const APP_SECRET: &str = "demo-appsecret";
/// The Content-Type the SDKs send and the emulator answers with.
pub const JSON_UTF8: &str = "application/json;charset=UTF-8";
/// An `end_time` later than any message of a test (2100-01-01).
pub const FAR: i64 = 4_102_444_800_000;
/// `team_type` of the team APIs: advanced and super.
pub const ADVANCED: i64 = 1;
pub const SUPER: i64 = 2;
/// The recall window of the built-in fixtures.
pub const RECALL_WINDOW_MS: i64 = 120_000;
/// JavaScript's largest exact integer.
pub const MAX_SAFE: u64 = (1 << 53) - 1;

// ------------------------------------------------------------------------------------------
// Signing

/// Lowercase hex of `bytes`.
pub fn lower_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `lowercase_hex(SHA1(secret + nonce + cur_time))`.
pub fn checksum(secret: &str, nonce: &str, cur_time: &str) -> String {
    let mut sha = Sha1::new();
    sha.update(format!("{secret}{nonce}{cur_time}").as_bytes());
    lower_hex(&sha.finalize())
}

fn next_number() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// A fresh nonce: 32 lowercase hex digits, as the SDKs make from a UUID.
pub fn nonce() -> String {
    let seed = format!("nonce-{}-{}", std::process::id(), next_number());
    lower_hex(&Sha1::digest(seed.as_bytes())[..16])
}

/// An AppKey no other test uses (an unknown AppKey signed with the default secret makes a
/// fresh tenant).
pub fn unique_app_key() -> String {
    format!("yx-test-{}-{}", std::process::id(), next_number())
}

/// The four signing headers of one call.
#[derive(Debug, Clone)]
pub struct Signature {
    pub app_key: String,
    pub nonce: String,
    pub cur_time: String,
    pub check_sum: String,
}

impl Signature {
    /// A signature of `app_key` with `secret`, `nonce` and `cur_time`.
    pub fn new(app_key: &str, secret: &str, nonce: &str, cur_time: &str) -> Self {
        Self {
            app_key: app_key.into(),
            nonce: nonce.into(),
            cur_time: cur_time.into(),
            check_sum: checksum(secret, nonce, cur_time),
        }
    }

    /// The headers under the Java SDK's names.
    pub fn java_headers(&self) -> Vec<(String, String)> {
        self.named(["AppKey", "Nonce", "CurTime", "CheckSum"])
    }

    /// The headers as Go's `Header.Set` canonicalises them on the wire.
    pub fn go_headers(&self) -> Vec<(String, String)> {
        self.named(["Appkey", "Nonce", "Curtime", "Checksum"])
    }

    fn named(&self, names: [&str; 4]) -> Vec<(String, String)> {
        let values = [&self.app_key, &self.nonce, &self.cur_time, &self.check_sum];
        names
            .iter()
            .zip(values)
            .map(|(n, v)| ((*n).to_owned(), v.clone()))
            .collect()
    }
}

// ------------------------------------------------------------------------------------------
// The client

/// One Yunxin app of a running server, as an SDK client addresses it.
pub struct Yx<'a> {
    pub app: &'a TestApp,
    pub app_key: String,
    pub secret: String,
    /// The API root: `/im/v2`, `/im/v2.1`, `/nimserver/im/v2`...
    pub root: String,
    cur_time: Option<i64>,
}

impl<'a> Yx<'a> {
    /// The built-in app `demo-appkey`, under `/im/v2`.
    pub fn new(app: &'a TestApp) -> Self {
        Self::with_key(app, APP_KEY, APP_SECRET)
    }

    /// The app `app_key`, signed with `secret`.
    pub fn with_key(app: &'a TestApp, app_key: &str, secret: &str) -> Self {
        Self {
            app,
            app_key: app_key.into(),
            secret: secret.into(),
            root: "/im/v2".into(),
            cur_time: None,
        }
    }

    /// An AppKey of its own, signed with the default secret.
    pub fn fresh(app: &'a TestApp) -> Self {
        Self::with_key(app, &unique_app_key(), APP_SECRET)
    }

    /// The same app under another API root (`/im/v2.1`, `/nimserver/im/v2`).
    pub fn under(mut self, root: &str) -> Self {
        self.root = root.into();
        self
    }

    /// Signs with a fixed CurTime (seconds) instead of the emulator's clock.
    pub fn at(mut self, cur_time_s: i64) -> Self {
        self.cur_time = Some(cur_time_s);
        self
    }

    /// The CurTime to sign with: the fixed one, or the emulator's clock in seconds.
    pub async fn cur_time(&self) -> i64 {
        match self.cur_time {
            Some(t) => t,
            None => clock_ms(self.app).await.div_euclid(1000),
        }
    }

    /// A signature for the next call.
    pub async fn signature(&self) -> Signature {
        let cur_time = self.cur_time().await.to_string();
        Signature::new(&self.app_key, &self.secret, &nonce(), &cur_time)
    }

    /// The URL of `path` (`/accounts/alice`) under the root.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}{path}", self.app.url, self.root)
    }

    /// A signed call as the Java SDK makes it: the JSON body and its Content-Type when given.
    pub async fn call(&self, method: Method, path: &str, body: Option<&Value>) -> Response {
        let headers = self.signature().await.java_headers();
        let body = body.map(|b| b.to_string().into_bytes());
        let content_type = body.as_ref().map(|_| JSON_UTF8);
        self.call_with(method, path, &headers, content_type, body)
            .await
    }

    /// A call with exactly `headers`, `content_type` and `body`.
    pub async fn call_with(
        &self,
        method: Method,
        path: &str,
        headers: &[(String, String)],
        content_type: Option<&str>,
        body: Option<Vec<u8>>,
    ) -> Response {
        let mut req = self.app.client.request(method, self.url(path));
        for (name, value) in headers {
            req = req.header(name.as_str(), value.as_str());
        }
        req = req.header("User-Agent", "yunxin-server-sdk-java/1.2.0");
        req = req.header("X-custom-traceid", nonce());
        if let Some(content_type) = content_type {
            req = req.header("Content-Type", content_type);
        }
        if let Some(body) = body {
            req = req.body(body);
        }
        req.send().await.expect("the request is answered")
    }

    /// A signed POST of raw `body` with the SDK's Content-Type.
    pub async fn post_bytes(&self, path: &str, body: Vec<u8>) -> Response {
        let headers = self.signature().await.java_headers();
        self.call_with(Method::POST, path, &headers, Some(JSON_UTF8), Some(body))
            .await
    }

    pub async fn get(&self, path: &str) -> Response {
        self.call(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Response {
        self.call(Method::POST, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: &Value) -> Response {
        self.call(Method::PATCH, path, Some(body)).await
    }

    /// DELETE without a body (as the Go SDK).
    pub async fn delete(&self, path: &str) -> Response {
        self.call(Method::DELETE, path, None).await
    }

    /// A raw HTTP/1.1 request written byte for byte: `target` is the path and query under the
    /// server (`/im/v2/...`), sent as given, with exactly `headers` (and `Host`,
    /// `Content-Length`, `Connection: close`).
    pub async fn raw(
        &self,
        method: &str,
        target: &str,
        headers: &[(String, String)],
        body: &[u8],
    ) -> Answer {
        let address = self.app.url.trim_start_matches("http://").to_owned();
        let mut request = format!("{method} {target} HTTP/1.1\r\nHost: {address}\r\n");
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        request.push_str(&format!(
            "Content-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        ));
        let mut bytes = request.into_bytes();
        bytes.extend_from_slice(body);
        tokio::task::spawn_blocking(move || exchange(&address, &bytes))
            .await
            .expect("the raw exchange runs")
    }

    /// Writes exactly `bytes` to the server (nothing added) and reads the answer until the
    /// server closes the connection.
    pub async fn raw_bytes(&self, bytes: Vec<u8>) -> Answer {
        let address = self.app.url.trim_start_matches("http://").to_owned();
        tokio::task::spawn_blocking(move || exchange(&address, &bytes))
            .await
            .expect("the raw exchange runs")
    }

    // --------------------------------------------------------------------------------------
    // Accounts and contacts

    /// Creates `id` (no token, no name card); the answer's data.
    pub async fn create_account(&self, id: &str) -> Value {
        ok(self.post("/accounts", &json!({ "account_id": id })).await).await
    }

    /// Changes the account `id`'s configuration with `configuration`.
    pub async fn configure_account(&self, id: &str, configuration: Value) {
        let body = json!({ "configuration": configuration });
        ok(self.patch(&format!("/accounts/{id}"), &body).await).await;
    }

    /// `owner` blocks `contact`.
    pub async fn block(&self, owner: &str, contact: &str) {
        let body = json!({"account_id": owner, "contact_account_id": contact});
        ok(self.post("/block_contacts", &body).await).await;
    }

    /// `a` and `b` become friends.
    pub async fn befriend(&self, a: &str, b: &str) {
        let body = json!({"account_id": a, "friend_account_id": b});
        ok(self.post("/friends", &body).await).await;
    }

    // --------------------------------------------------------------------------------------
    // Teams

    /// Creates a team of `team_type` owned by `owner` with `invitees` under `agree_mode`;
    /// the answer's data.
    pub async fn create_team_data(
        &self,
        owner: &str,
        team_type: i64,
        invitees: &[&str],
        agree_mode: i64,
    ) -> Value {
        let body = json!({
            "owner_account_id": owner,
            "team_type": team_type,
            "name": "Team",
            "invite_account_ids": invitees,
            "configuration": {"agree_mode": agree_mode},
        });
        ok(self.post("/teams", &body).await).await
    }

    /// Creates a team whose `invitees` join at once (`agree_mode` 1); its ID.
    pub async fn create_team(&self, owner: &str, team_type: i64, invitees: &[&str]) -> u64 {
        let data = self.create_team_data(owner, team_type, invitees, 1).await;
        data["team_info"]["team_id"]
            .as_u64()
            .unwrap_or_else(|| panic!("a numeric team_id: {data}"))
    }

    /// PATCHes the team `team` (of `team_type`) as `operator` with `fields`.
    pub async fn patch_team(
        &self,
        team: u64,
        team_type: i64,
        operator: &str,
        fields: Value,
    ) -> Response {
        let mut body = json!({"operator_id": operator, "team_type": team_type});
        merge(&mut body, fields);
        self.patch(&format!("/teams/{team}"), &body).await
    }

    /// Sets the team's `chat_banned_mode` as its owner.
    pub async fn set_chat_banned_mode(&self, team: u64, team_type: i64, owner: &str, mode: i64) {
        let fields = json!({"configuration": {"chat_banned_mode": mode}});
        ok(self.patch_team(team, team_type, owner, fields).await).await;
    }

    /// `operator` bans (or lets speak) `accounts` of the team.
    pub async fn mute(
        &self,
        team: u64,
        team_type: i64,
        operator: &str,
        accounts: &[&str],
        banned: bool,
    ) -> Response {
        let body = json!({
            "operator_id": operator,
            "team_id": team,
            "team_type": team_type,
            "chat_ban_account_ids": accounts,
            "chat_banned": banned,
        });
        self.patch("/team_members/actions/batch_mute", &body).await
    }

    /// The owner makes `managers` managers.
    pub async fn add_managers(
        &self,
        team: u64,
        team_type: i64,
        operator: &str,
        managers: &[&str],
    ) -> Response {
        let body = json!({"operator_id": operator, "team_type": team_type, "managers": managers});
        self.post(&format!("/teams/{team}/actions/add_manager"), &body)
            .await
    }

    // --------------------------------------------------------------------------------------
    // Messages

    /// POSTs `body` to the conversation `cid` (sent with `|` as `%7C`).
    pub async fn send(&self, cid: &str, body: &Value) -> Response {
        self.post(&messages_path(cid), body).await
    }

    /// Sends the text `text` in `cid`; the answer's data.
    pub async fn send_text(&self, cid: &str, text: &str) -> Value {
        ok(self.send(cid, &text_body(text)).await).await
    }

    /// The `message_server_id` of a text `text` sent in `cid`.
    pub async fn send_id(&self, cid: &str, text: &str) -> u64 {
        let data = self.send_text(cid, text).await;
        data["message_server_id"]
            .as_u64()
            .unwrap_or_else(|| panic!("a numeric message_server_id: {data}"))
    }

    /// `GET /conversations/{cid}/messages?{query}`.
    pub async fn history(&self, cid: &str, query: &str) -> Response {
        self.get(&format!("{}?{query}", messages_path(cid))).await
    }

    /// The whole history of `cid` (`limit` 100) with `extra` query parameters; the items.
    pub async fn history_items(&self, cid: &str, extra: &str) -> Vec<Value> {
        let query = format!("begin_time=0&end_time={FAR}&limit=100{extra}");
        let data = ok(self.history(cid, &query).await).await;
        data["items"]
            .as_array()
            .unwrap_or_else(|| panic!("items: {data}"))
            .clone()
    }

    /// `GET /conversations/{cid}/messages/{id}`.
    pub async fn get_message(&self, cid: &str, id: u64) -> Response {
        self.get(&format!("{}/{id}", messages_path(cid))).await
    }

    /// `DELETE /conversations/{cid}/messages/{id}?{query}`.
    pub async fn recall(&self, cid: &str, id: u64, query: &str) -> Response {
        self.delete(&format!("{}/{id}?{query}", messages_path(cid)))
            .await
    }
}

/// Adds the keys of `extra` to the object `body`.
pub fn merge(body: &mut Value, extra: Value) {
    if let (Some(body), Value::Object(extra)) = (body.as_object_mut(), extra) {
        body.extend(extra);
    }
}

/// `/conversations/{cid}/messages` with `|` sent as `%7C`, as OkHttp and Go send it.
pub fn messages_path(cid: &str) -> String {
    format!("/conversations/{}/messages", cid.replace('|', "%7C"))
}

/// The P2P conversation `a|1|b`.
pub fn p2p(a: &str, b: &str) -> String {
    format!("{a}|1|{b}")
}

/// The advanced team conversation `sender|2|team`.
pub fn team_cid(sender: &str, team: u64) -> String {
    format!("{sender}|2|{team}")
}

/// The super team conversation `sender|3|team`.
pub fn super_cid(sender: &str, team: u64) -> String {
    format!("{sender}|3|{team}")
}

/// A send body of a text message.
pub fn text_body(text: &str) -> Value {
    json!({"message": {"message_type": 0, "text": text}})
}

/// A send body of `message` (the `message` object).
pub fn message_body(message: Value) -> Value {
    json!({ "message": message })
}

// ------------------------------------------------------------------------------------------
// Answers

/// An answer as read off the wire.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub content_type: String,
    pub text: String,
}

impl Answer {
    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("the body is JSON ({e}): {}", self.text))
    }
}

/// Reads an answer.
pub async fn read(resp: Response) -> Answer {
    let status = resp.status().as_u16();
    let content_type = resp
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let text = resp.text().await.expect("a body");
    Answer {
        status,
        content_type,
        text,
    }
}

/// Asserts the v2 envelope as the Go SDK reads it (`code` a JSON number, `msg` a string,
/// `data` an object), HTTP `status` and the JSON Content-Type; returns the body.
pub fn envelope(case: &str, answer: &Answer, status: u16) -> Value {
    assert_eq!(
        answer.status, status,
        "case {case}: status of {}",
        answer.text
    );
    assert_eq!(answer.content_type, JSON_UTF8, "case {case}: content type");
    let body = answer.json();
    let keys: Vec<&String> = body.as_object().expect("an object").keys().collect();
    assert_eq!(keys.len(), 3, "case {case}: only code, msg, data: {body}");
    assert!(body["code"].is_i64(), "case {case}: code a number: {body}");
    assert!(body["msg"].is_string(), "case {case}: msg a string: {body}");
    assert!(
        body["data"].is_object(),
        "case {case}: data an object: {body}"
    );
    body
}

/// Asserts a success (HTTP 200, `code` 200, `msg` "success"); returns `data`.
pub async fn ok(resp: Response) -> Value {
    ok_answer("-", &read(resp).await)
}

/// Asserts a success of one table row; returns `data`.
pub fn ok_answer(case: &str, answer: &Answer) -> Value {
    let body = envelope(case, answer, 200);
    assert_eq!(body["code"], 200, "case {case}: {body}");
    assert_eq!(body["msg"], "success", "case {case}: {body}");
    body["data"].clone()
}

/// The `msg` the catalogue gives `code`.
pub fn msg_of(code: i64) -> &'static str {
    match code {
        403 => "authentication failed",
        404 => "not found",
        414 => "parameter error",
        101_303 => "appkey not exist",
        102_404 => "account not exist",
        102_405 => "account already exists",
        102_421 => "account chat banned",
        102_422 => "account banned",
        102_426 => "account in block list",
        102_434 => "limit of accounts exceeded",
        104_404 => "friend not exist",
        107_303 => "only sender or manager can revoke message",
        107_306 => "duplicate client message ID",
        107_314 => "revoke message exceed time limit",
        107_330 => "sender or receiver must sense message",
        107_404 => "message not exist",
        108_302 => "not advanced team",
        108_306 => "team normal member chat banned",
        108_318 => "Targeting messages for group chat is disabled",
        108_404 => "team not exist",
        108_423 => "all team member chat banned",
        108_434 => "limit of teams exceeded",
        109_404 => "team member not exist",
        109_424 => "team member chat banned",
        other => panic!("no catalogue message for {other}"),
    }
}

/// Asserts the error answer `{"code":code,"msg":msg,"data":{}}` with HTTP `status`.
pub fn assert_exact_error(case: &str, answer: &Answer, status: u16, code: i64, msg: &str) {
    let body = envelope(case, answer, status);
    assert_eq!(
        body,
        json!({"code": code, "msg": msg, "data": {}}),
        "case {case}"
    );
}

/// Asserts the catalogue's error `code` (HTTP 200, `data` `{}`).
pub async fn assert_error(case: &str, resp: Response, code: i64) {
    assert_exact_error(case, &read(resp).await, 200, code, msg_of(code));
}

/// Asserts `{"code":403,"msg":"authentication failed","data":{}}`.
pub async fn assert_auth_failed(case: &str, resp: Response) {
    assert_error(case, resp, 403).await;
}

/// Asserts Yunxin's 404: HTTP 404 and `{"code":404,"msg":"not found","data":{}}`.
pub async fn assert_not_found(case: &str, resp: Response) {
    assert_exact_error(case, &read(resp).await, 404, 404, "not found");
}

/// Whether `s` is `n` lowercase hex digits.
pub fn is_lower_hex(s: &Value, n: usize) -> bool {
    s.as_str().is_some_and(|s| {
        s.len() == n
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

// ------------------------------------------------------------------------------------------
// Raw HTTP

/// Writes `request` to `address` and reads the answer to the end of the connection.
fn exchange(address: &str, request: &[u8]) -> Answer {
    let mut stream = TcpStream::connect(address).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    stream.write_all(request).expect("the request is written");
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).expect("the answer is read");
    parse_answer(&bytes)
}

fn parse_answer(bytes: &[u8]) -> Answer {
    let split = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a header block");
    let head = String::from_utf8_lossy(&bytes[..split]).into_owned();
    let mut body = bytes[split + 4..].to_vec();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("a status line: {status_line}"));
    let mut content_type = String::new();
    let mut chunked = false;
    for line in lines {
        let (name, value) = line.split_once(':').unwrap_or((line, ""));
        match name.trim().to_ascii_lowercase().as_str() {
            "content-type" => content_type = value.trim().to_owned(),
            "transfer-encoding" => chunked = value.to_ascii_lowercase().contains("chunked"),
            _ => {}
        }
    }
    if chunked {
        body = unchunk(&body);
    }
    Answer {
        status,
        content_type,
        text: String::from_utf8(body).expect("a UTF-8 body"),
    }
}

fn unchunk(mut bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = bytes.windows(2).position(|w| w == b"\r\n").unwrap();
        let size_text = String::from_utf8_lossy(&bytes[..line_end]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16).unwrap();
        if size == 0 {
            return out;
        }
        let start = line_end + 2;
        out.extend_from_slice(&bytes[start..start + size]);
        bytes = &bytes[start + size + 2..];
    }
}

// ------------------------------------------------------------------------------------------
// Servers and the clock

/// The emulator's clock.
pub async fn clock_ms(app: &TestApp) -> i64 {
    let resp = app
        .client
        .get(format!("{}/_emulator/clock", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let body: Value = resp.json().await.unwrap();
    body["now_ms"].as_i64().expect("now_ms")
}

/// A server with the built-in fixtures and its clock pinned at `T0`.
pub async fn pinned() -> TestApp {
    let app = super::spawn_app().await;
    app.set_clock(T0).await;
    app
}

/// The number of Yunxin tenants `/_emulator/health` reports.
pub async fn tenant_count(app: &TestApp) -> u64 {
    let health = app.health().await;
    health["tenants"]["yunxin"]
        .as_u64()
        .unwrap_or_else(|| panic!("tenants.yunxin: {health}"))
}

/// The built-in fixture file with `tenants` as its tenants (alice and bob in every app).
pub fn fixture_file(tenants: Value) -> Value {
    json!({
        "defaults": {
            "app_secret": APP_SECRET,
            "accounts": [
                {"account_id": "alice", "name": "Alice"},
                {"account_id": "bob", "name": "Bob"}
            ]
        },
        "tenants": tenants,
    })
}

/// Starts the server with `yunxin` as its Yunxin fixture file (`DIR/yunxin/tenants.json`).
pub async fn spawn_yunxin(yunxin: &Value) -> TestApp {
    spawn_yunxin_with(yunxin, Config::default()).await
}

/// Starts the server with `yunxin` as its Yunxin fixture file and the rest of `config`.
pub async fn spawn_yunxin_with(yunxin: &Value, config: Config) -> TestApp {
    let app = super::spawn_with(Config {
        fixtures: Some(fixture_dir(yunxin)),
        ..config
    })
    .await;
    app.set_clock(T0).await;
    app
}

fn fixture_dir(yunxin: &Value) -> PathBuf {
    super::fixture_folder("yunxin", yunxin)
}

/// Checks a callback's headers and signature as an application server would, from the raw
/// bytes: a POST of `content_type` from the app `key`, `CurTime` `cur_time_ms`, `MD5` of the
/// body and `CheckSum` = sha1(`secret` + MD5 + CurTime).
pub fn assert_signed(hit: &Hit, content_type: &str, (key, secret): (&str, &str), cur_time_ms: i64) {
    let hex = |bytes: &[u8]| -> String { bytes.iter().map(|b| format!("{b:02x}")).collect() };
    assert_eq!(hit.method, "POST");
    assert_eq!(hit.header("content-type"), content_type);
    assert_eq!(hit.header("appkey"), key);
    assert_eq!(hit.header("curtime"), cur_time_ms.to_string());
    let md5 = hex(&Md5::digest(&hit.body));
    assert_eq!(hit.header("md5"), md5, "MD5 of the raw body");
    let checksum = hex(&Sha1::digest(
        format!("{secret}{md5}{cur_time_ms}").as_bytes(),
    ));
    assert_eq!(hit.header("checksum"), checksum);
}
