//! AnqiCMS helpers: calls as an AnqiCMS front-end client makes them (JSON bodies, the user
//! token in the `Token` header) to site `default` at `/api/...` or to another site under
//! `/tenants/{name}/api/...`; answers read byte for byte as iris writes them (HTTP 200, the
//! sorted `{"code","data","msg","total"}` envelope, a trailing newline); register, login,
//! orders, sends and message lists; the merchant's side through `/_emulator/anqicms/...`;
//! tokens decoded and forged; key order read off the raw JSON; raw HTTP/1.1 exchanges for
//! exact header spelling.

use super::openim::{go_string, jwt_parts, sign_jwt};
use super::{TestApp, T0};
use im_emulator::config::Config;
use reqwest::header::HeaderMap;
use reqwest::{Method, RequestBuilder, Response};
use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// The fixture users: name, password, email (and bob's phone).
pub const ALICE: &str = "alice";
pub const ALICE_PASSWORD: &str = "alice123";
pub const ALICE_EMAIL: &str = "alice@example.com";
pub const BOB: &str = "bob";
pub const BOB_PASSWORD: &str = "bob12345";
pub const BOB_EMAIL: &str = "bob@example.com";
pub const BOB_PHONE: &str = "13800000002";
/// The IDs the fixture users get (registered in order).
pub const ALICE_ID: u64 = 1;
pub const BOB_ID: u64 = 2;
/// The token secret of the built-in fixtures; tokens are signed with it + `-user-token`.
pub const TOKEN_KEY: &str = "anqicms-emulator-token-secret-user-token";
/// The Content-Type of every JSON answer.
pub const JSON_UTF8: &str = "application/json; charset=utf-8";
/// `T0` in Unix seconds.
pub const T0_S: i64 = T0 / 1000;
/// One hour and one day, in seconds and milliseconds.
pub const HOUR_S: i64 = 3600;
pub const DAY_S: i64 = 24 * HOUR_S;
pub const DAY_MS: i64 = DAY_S * 1000;
/// The 1001 texts, Chinese and English.
pub const NO_LOGIN_ZH: &str = "该操作需要登录，请登录后重试";
pub const NO_LOGIN_EN: &str = "This operation requires login, please log in and try again";
/// The documented message types.
pub const MESSAGE_TYPES: [&str; 10] = [
    "text", "image", "quote", "video", "file", "audio", "location", "contact", "sticker", "unknown",
];
/// The keys of a message item, in their order on the wire.
pub const MESSAGE_KEYS: [&str; 8] = [
    "id",
    "created_time",
    "comm_order_id",
    "sender_id",
    "sender_type",
    "sender_name",
    "message_type",
    "content",
];
/// The keys of the user object (`model.User`), in struct order.
pub const USER_KEYS: [&str; 30] = [
    "id",
    "created_time",
    "updated_time",
    "parent_id",
    "user_name",
    "url_token",
    "real_name",
    "first_name",
    "last_name",
    "birthday",
    "avatar_url",
    "introduce",
    "email",
    "email_verified",
    "phone",
    "group_id",
    "google_id",
    "reset_password",
    "status",
    "is_retailer",
    "balance",
    "total_reward",
    "invite_code",
    "last_login",
    "expire_time",
    "extra",
    "token",
    "group",
    "full_avatar_url",
    "link",
];
/// The documented keys of an order (the list pages and the detail), `user` and `messages`
/// apart.
pub const ORDER_KEYS: [&str; 19] = [
    "id",
    "order_id",
    "user_id",
    "admin_id",
    "archive_id",
    "title",
    "content",
    "phone",
    "event_date",
    "thumb",
    "images",
    "sketch_images",
    "finished_images",
    "quote_price",
    "quote_content",
    "order_extra",
    "order_fields",
    "created_time",
    "status",
];

// ------------------------------------------------------------------------------------------
// Servers

/// A server with the built-in fixtures and its clock pinned at `T0`.
pub async fn spawn_anqi() -> TestApp {
    spawn_anqi_with(Config::default()).await
}

/// A server with `config` and its clock pinned at `T0`.
pub async fn spawn_anqi_with(config: Config) -> TestApp {
    let app = super::spawn_with(config).await;
    app.set_clock(T0).await;
    app
}

/// The number of AnqiCMS sites `/_emulator/health` reports.
pub async fn site_count(app: &TestApp) -> u64 {
    let health = app.health().await;
    health["tenants"]["anqicms"]
        .as_u64()
        .unwrap_or_else(|| panic!("tenants.anqicms: {health}"))
}

// ------------------------------------------------------------------------------------------
// Answers

/// An answer as read off the wire.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub bytes: Vec<u8>,
}

impl Reply {
    /// The body as UTF-8 text.
    pub fn text(&self) -> &str {
        std::str::from_utf8(&self.bytes).expect("a UTF-8 body")
    }

    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes)
            .unwrap_or_else(|e| panic!("the body is JSON ({e}): {}", self.text()))
    }

    /// The value of header `name`, if any.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }

    /// The `token` cookie set, as the whole `Set-Cookie` value.
    pub fn set_cookie(&self) -> String {
        let cookie = self.header("set-cookie");
        cookie
            .unwrap_or_else(|| panic!("a Set-Cookie header: {}", self.text()))
            .to_owned()
    }
}

/// Reads an answer.
pub async fn read(resp: Response) -> Reply {
    Reply {
        status: resp.status().as_u16(),
        headers: resp.headers().clone(),
        bytes: resp.bytes().await.expect("a body").to_vec(),
    }
}

/// Asserts the envelope as a client reads it: HTTP 200, `application/json; charset=utf-8`,
/// a trailing newline, keys in sorted order (`code`, `data`, `msg`, `total` as present), an
/// integer `code` and a string `msg`. Returns the body.
pub fn envelope(case: &str, reply: &Reply) -> Value {
    let text = reply.text();
    assert_eq!(reply.status, 200, "case {case}: status of {text}");
    assert_eq!(reply.header("content-type"), Some(JSON_UTF8), "case {case}");
    assert!(
        text.ends_with("}\n"),
        "case {case}: a trailing newline: {text:?}"
    );
    let order = key_order(text);
    let mut sorted_order = order.clone();
    sorted_order.sort();
    assert_eq!(order, sorted_order, "case {case}: keys sorted: {text}");
    let body = reply.json();
    assert!(body["code"].is_i64(), "case {case}: code: {text}");
    assert!(body["msg"].is_string(), "case {case}: msg: {text}");
    body
}

/// Asserts a success with `msg`; returns the body.
pub fn ok(case: &str, reply: &Reply, msg: &str) -> Value {
    let body = envelope(case, reply);
    assert_eq!(body["code"], 0, "case {case}: {body}");
    assert_eq!(body["msg"], msg, "case {case}: {body}");
    body
}

/// Asserts a success whose body is exactly `{"code":0,"msg":msg}` and a newline.
pub fn assert_bare_ok(case: &str, reply: &Reply, msg: &str) {
    envelope(case, reply);
    let expected = format!("{{\"code\":0,\"msg\":{}}}\n", go_string(msg));
    assert_eq!(reply.text(), expected, "case {case}");
}

/// Asserts a failure: exactly `{"code":code,"msg":msg}` and a newline (no `data`).
pub fn assert_failure(case: &str, reply: &Reply, code: i64, msg: &str) {
    envelope(case, reply);
    let expected = format!("{{\"code\":{code},\"msg\":{}}}\n", go_string(msg));
    assert_eq!(reply.text(), expected, "case {case}");
}

/// Asserts `-1` with `msg`.
pub fn assert_failed(case: &str, reply: &Reply, msg: &str) {
    assert_failure(case, reply, -1, msg);
}

/// Asserts the `UserAuth` middleware's 1001, in Chinese.
pub fn assert_no_login(case: &str, reply: &Reply) {
    assert_failure(case, reply, 1001, NO_LOGIN_ZH);
}

/// Asserts the site's HTML 404 page.
pub fn assert_html_404(case: &str, reply: &Reply) {
    assert_eq!(reply.status, 404, "case {case}: {}", reply.text());
    let content_type = reply.header("content-type").unwrap_or_default();
    assert!(
        content_type.starts_with("text/html"),
        "case {case}: {content_type}"
    );
    assert!(
        reply.text().contains("404"),
        "case {case}: {}",
        reply.text()
    );
    assert!(
        reply.text().contains("<html"),
        "case {case}: {}",
        reply.text()
    );
}

/// The `data` of a success with `msg` `""`.
pub fn data_of(case: &str, reply: &Reply) -> Value {
    ok(case, reply, "")["data"].clone()
}

// ------------------------------------------------------------------------------------------
// Raw JSON

struct KeyOrder(Vec<String>);

impl<'de> serde::Deserialize<'de> for KeyOrder {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Keys;
        impl<'de> Visitor<'de> for Keys {
            type Value = KeyOrder;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<KeyOrder, A::Error> {
                let mut keys = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    map.next_value::<IgnoredAny>()?;
                    keys.push(key);
                }
                Ok(KeyOrder(keys))
            }
        }
        d.deserialize_map(Keys)
    }
}

/// The keys of the JSON object `text`, in the order they are written.
pub fn key_order(text: &str) -> Vec<String> {
    let keys: KeyOrder =
        serde_json::from_str(text).unwrap_or_else(|e| panic!("an object ({e}): {text}"));
    keys.0
}

/// The raw text of the `data` of the envelope `text`.
pub fn raw_data(text: &str) -> String {
    #[derive(serde::Deserialize)]
    struct Envelope<'a> {
        #[serde(borrow)]
        data: &'a serde_json::value::RawValue,
    }
    let envelope: Envelope = serde_json::from_str(text).expect("an envelope with data");
    envelope.data.get().to_owned()
}

/// The raw texts of the items of the array `text`.
pub fn raw_items(text: &str) -> Vec<String> {
    let items: Vec<&serde_json::value::RawValue> =
        serde_json::from_str(text).expect("a JSON array");
    items.iter().map(|i| i.get().to_owned()).collect()
}

/// `names` as owned strings, in the order given.
pub fn owned(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| (*n).to_owned()).collect()
}

// ------------------------------------------------------------------------------------------
// Tokens

/// The claims of a token.
pub fn claims(token: &str) -> Value {
    jwt_parts(token).1
}

/// A token as the site signs them: `userId` and `t` as given, HS256 with `key`.
pub fn forge(user_id: &str, expiry: &str, key: &str) -> String {
    let claims = json!({ "userId": user_id, "t": expiry });
    sign_jwt(r#"{"alg":"HS256","typ":"JWT"}"#, &claims.to_string(), key)
}

// ------------------------------------------------------------------------------------------
// The client

/// One AnqiCMS site of a running server, as a front-end client addresses it.
pub struct Site<'a> {
    pub app: &'a TestApp,
    prefix: String,
}

impl<'a> Site<'a> {
    /// Site `default`, at the root.
    pub fn new(app: &'a TestApp) -> Self {
        Self {
            app,
            prefix: String::new(),
        }
    }

    /// Site `name`, under `/tenants/{name}`.
    pub fn tenant(app: &'a TestApp, name: &str) -> Self {
        Self {
            app,
            prefix: format!("/tenants/{name}"),
        }
    }

    /// The URL of `path` (`/login`, `/communication/orders?current=1`) under `/api`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}/api{path}", self.app.url, self.prefix)
    }

    /// A request to `path`, with `token` in the `Token` header when given.
    pub fn request(&self, method: Method, path: &str, token: Option<&str>) -> RequestBuilder {
        let req = self.app.client.request(method, self.url(path));
        match token {
            Some(token) => req.header("Token", token),
            None => req,
        }
    }

    /// POSTs the JSON `body`.
    pub async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> Reply {
        self.post_bytes(path, token, body.to_string().into_bytes())
            .await
    }

    /// POSTs raw `body` with `Content-Type: application/json`.
    pub async fn post_bytes(&self, path: &str, token: Option<&str>, body: Vec<u8>) -> Reply {
        let req = self.request(Method::POST, path, token);
        let req = req.header("Content-Type", "application/json").body(body);
        read(req.send().await.expect("the request is answered")).await
    }

    /// GETs `path` (with its query).
    pub async fn get(&self, path: &str, token: Option<&str>) -> Reply {
        let req = self.request(Method::GET, path, token);
        read(req.send().await.expect("the request is answered")).await
    }

    /// `POST /api/register`.
    pub async fn register(&self, body: &Value) -> Reply {
        self.post("/register", None, body).await
    }

    /// Registers `name` with `password` and `email`; the user object.
    pub async fn register_ok(&self, name: &str, password: &str, email: &str) -> Value {
        let body = json!({"user_name": name, "password": password, "email": email});
        data_of("register", &self.register(&body).await)
    }

    /// `POST /api/login`.
    pub async fn login(&self, body: &Value) -> Reply {
        self.post("/login", None, body).await
    }

    /// The token of a login by `user_name`.
    pub async fn token(&self, name: &str, password: &str) -> String {
        let body = json!({"user_name": name, "password": password});
        let user = data_of("login", &self.login(&body).await);
        user["token"].as_str().expect("data.token").to_owned()
    }

    /// Alice's token.
    pub async fn alice(&self) -> String {
        self.token(ALICE, ALICE_PASSWORD).await
    }

    /// Bob's token.
    pub async fn bob(&self) -> String {
        self.token(BOB, BOB_PASSWORD).await
    }

    /// `POST /api/communication/order/create`.
    pub async fn create(&self, token: &str, body: &Value) -> Reply {
        self.post("/communication/order/create", Some(token), body)
            .await
    }

    /// Creates an order titled `title` and finds its ID as a client must: the newest of the
    /// list.
    pub async fn create_order(&self, token: &str, title: &str) -> u64 {
        let body = json!({"archive_id": 1, "title": title, "content": "c", "phone": "13800000000"});
        assert_bare_ok("create", &self.create(token, &body).await, "");
        let newest = self.orders(token, "current=1&page_size=1").await.0;
        assert_eq!(newest[0]["title"], title, "the newest order is the new one");
        newest[0]["id"].as_u64().expect("a numeric id")
    }

    /// `GET /api/communication/orders?{query}`: the items and `total`.
    pub async fn orders(&self, token: &str, query: &str) -> (Vec<Value>, u64) {
        let path = format!("/communication/orders?{query}");
        let body = ok("orders", &self.get(&path, Some(token)).await, "");
        page_of(&body)
    }

    /// `GET /api/communication/order/detail?id=`.
    pub async fn detail(&self, token: &str, id: u64) -> Reply {
        let path = format!("/communication/order/detail?id={id}");
        self.get(&path, Some(token)).await
    }

    /// The detail of the order `id`.
    pub async fn detail_ok(&self, token: &str, id: u64) -> Value {
        data_of("detail", &self.detail(token, id).await)
    }

    /// `POST /api/communication/message/send`.
    pub async fn send(&self, token: &str, body: &Value) -> Reply {
        self.post("/communication/message/send", Some(token), body)
            .await
    }

    /// Sends `content` of `kind` into the order as the user `sender`.
    pub async fn send_as(
        &self,
        token: &str,
        order: u64,
        sender: u64,
        kind: &str,
        content: &str,
    ) -> Reply {
        let body = json!({
            "comm_order_id": order, "sender_id": sender, "sender_name": "me",
            "message_type": kind, "content": content,
        });
        self.send(token, &body).await
    }

    /// Sends the text `content` into the order and asserts `{"code":0,"msg":"消息发送成功"}`.
    pub async fn say(&self, token: &str, order: u64, content: &str) {
        let reply = self.send_as(token, order, 1000, "text", content).await;
        assert_bare_ok(content, &reply, "消息发送成功");
    }

    /// `GET /api/communication/messages?{query}`.
    pub async fn messages(&self, token: &str, query: &str) -> Reply {
        self.get(&format!("/communication/messages?{query}"), Some(token))
            .await
    }

    /// The items and `total` of the order's messages with `extra` query parameters.
    pub async fn message_page(&self, token: &str, order: u64, extra: &str) -> (Vec<Value>, u64) {
        let query = format!("comm_order_id={order}{extra}");
        page_of(&ok(&query, &self.messages(token, &query).await, ""))
    }

    /// The `content` of every message of the order (all of them, `page_size=-1`).
    pub async fn contents(&self, token: &str, order: u64) -> Vec<String> {
        let items = self.message_page(token, order, "&page_size=-1").await.0;
        contents(&items)
    }
}

/// The items and `total` of a list answer.
pub fn page_of(body: &Value) -> (Vec<Value>, u64) {
    let items = body["data"]
        .as_array()
        .unwrap_or_else(|| panic!("data: {body}"));
    let total = body["total"]
        .as_u64()
        .unwrap_or_else(|| panic!("total: {body}"));
    (items.clone(), total)
}

/// The `content` of every item.
pub fn contents(items: &[Value]) -> Vec<String> {
    field_of(items, "content")
}

/// The string `field` of every item.
pub fn field_of(items: &[Value], field: &str) -> Vec<String> {
    let text = |i: &Value| i[field].as_str().unwrap_or_default().to_owned();
    items.iter().map(text).collect()
}

// ------------------------------------------------------------------------------------------
// The merchant

/// `POST /_emulator/anqicms/orders/{order}/{action}?{query}` with `body`.
pub async fn merchant(
    app: &TestApp,
    order: u64,
    action: &str,
    query: &str,
    body: &Value,
) -> Response {
    let url = format!(
        "{}/_emulator/anqicms/orders/{order}/{action}?{query}",
        app.url
    );
    let req = app.client.post(url).json(body);
    req.send().await.expect("the request is answered")
}

/// The merchant posts `content` of `kind` as `sender_type` into the order of site `default`;
/// the stored message.
pub async fn merchant_says(
    app: &TestApp,
    order: u64,
    sender_type: &str,
    kind: &str,
    content: &str,
) -> Value {
    let body = json!({"sender_type": sender_type, "message_type": kind, "content": content});
    let resp = merchant(app, order, "messages", "", &body).await;
    assert_eq!(
        resp.status().as_u16(),
        200,
        "the merchant's message is stored"
    );
    resp.json().await.expect("the stored message")
}

/// The merchant quotes `price` on the order of site `default`; the quoted order.
pub async fn merchant_quotes(app: &TestApp, order: u64, price: Value) -> Value {
    let body = json!({"quote_price": price, "quote_content": "all included"});
    let resp = merchant(app, order, "quote", "", &body).await;
    assert_eq!(resp.status().as_u16(), 200, "the quote is stored");
    resp.json().await.expect("the quoted order")
}

// ------------------------------------------------------------------------------------------
// Raw HTTP

/// An answer read off a raw connection: status, headers (names lowercased) and body.
pub struct RawReply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

/// Sends `method target` with exactly `headers` (plus `Host`, `Content-Length` and
/// `Connection: close`) and `body`, written byte for byte, and reads the answer.
pub async fn raw(
    app: &TestApp,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> RawReply {
    let address = app.url.trim_start_matches("http://").to_owned();
    let mut request = format!("{method} {target} HTTP/1.1\r\nHost: {address}\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    ));
    tokio::task::spawn_blocking(move || exchange(&address, request.as_bytes()))
        .await
        .expect("the raw exchange runs")
}

fn exchange(address: &str, request: &[u8]) -> RawReply {
    let mut stream = TcpStream::connect(address).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    stream.write_all(request).expect("the request is written");
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).expect("the answer is read");
    let text = String::from_utf8(bytes).expect("a UTF-8 answer");
    let (head, body) = text.split_once("\r\n\r\n").expect("a header block");
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line.split(' ').nth(1).and_then(|s| s.parse().ok());
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    RawReply {
        status: status.unwrap_or_else(|| panic!("a status line: {status_line}")),
        headers,
        body: body.to_owned(),
    }
}
