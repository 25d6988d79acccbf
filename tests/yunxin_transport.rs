//! Black-box tests of Yunxin's transport and authentication (contract §1–§3): the CheckSum
//! headers (missing, wrong, uppercase, Go's header casing), the CurTime window against the
//! emulator's clock, the Nonce length, the legacy 414 answer, unknown AppKeys and the tenants
//! they make (or not, under `strict_tenants`), the `/nimserver` prefix and `/im/v2.1`, Yunxin's
//! 404, body parsing (malformed, arrays, empty, over 1 MiB, nested over 64, stalled past the
//! request timeout, unknown keys), query leniency, conversation IDs with `%7C`, `%7c` and a
//! raw `|`, the answer's Content-Type, and `--max-tenants`.
mod common;
use common::yunxin::*;
use common::*;

use im_emulator::config::Config;
use reqwest::Method;
use serde_json::{json, Value};

/// `T0` in CurTime seconds.
const T0_S: i64 = T0 / 1000;

/// `GET /im/v2/accounts/alice` with exactly `headers`.
async fn get_alice_signed(yx: &Yx<'_>, headers: &[(String, String)]) -> reqwest::Response {
    yx.call_with(Method::GET, "/accounts/alice", headers, None, None)
        .await
}

/// The four Java headers of a fresh signature, with `name` dropped or given `value`.
fn replaced(sig: &Signature, name: &str, value: Option<&str>) -> Vec<(String, String)> {
    let mut headers = sig.java_headers();
    headers.retain(|(n, _)| n != name);
    if let Some(value) = value {
        headers.push((name.to_owned(), value.to_owned()));
    }
    headers
}

#[tokio::test]
async fn a_signed_call_answers_the_v2_envelope_with_json_utf8() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let answer = read(yx.get("/accounts/alice").await).await;
    let data = ok_answer("signed", &answer);
    assert_eq!(data["account_id"], "alice");
    assert!(
        answer
            .text
            .starts_with(r#"{"code":200,"msg":"success","data":{"#),
        "{}",
        answer.text
    );
}

#[tokio::test]
async fn a_missing_or_empty_signing_header_is_authentication_failed() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    for name in ["AppKey", "Nonce", "CurTime", "CheckSum"] {
        let sig = yx.signature().await;
        let missing = get_alice_signed(&yx, &replaced(&sig, name, None)).await;
        assert_auth_failed(&format!("no {name}"), missing).await;
        let empty = get_alice_signed(&yx, &replaced(&sig, name, Some(""))).await;
        assert_auth_failed(&format!("empty {name}"), empty).await;
    }
    let none = yx
        .call_with(Method::GET, "/accounts/alice", &[], None, None)
        .await;
    assert_auth_failed("no headers at all", none).await;
}

#[tokio::test]
async fn a_wrong_checksum_is_authentication_failed() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let sig = yx.signature().await;
    let other_secret = Signature::new(APP_KEY, "other-secret", &sig.nonce, &sig.cur_time);
    let cases = [
        ("another secret", other_secret.check_sum.clone()),
        ("truncated", sig.check_sum[..39].to_owned()),
        (
            "sha1 of secret+curtime+nonce",
            checksum(APP_SECRET, &sig.cur_time, &sig.nonce),
        ),
        ("zeros", "0".repeat(40)),
    ];
    for (case, check_sum) in cases {
        let headers = replaced(&sig, "CheckSum", Some(&check_sum));
        assert_auth_failed(case, get_alice_signed(&yx, &headers).await).await;
    }
}

#[tokio::test]
async fn an_uppercase_hex_checksum_is_accepted() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let sig = yx.signature().await;
    let upper = sig.check_sum.to_ascii_uppercase();
    assert_ne!(upper, sig.check_sum, "the checksum has letters");
    let headers = replaced(&sig, "CheckSum", Some(&upper));
    let data = ok(get_alice_signed(&yx, &headers).await).await;
    assert_eq!(data["account_id"], "alice");
}

#[tokio::test]
async fn curtime_is_accepted_within_300_seconds_of_the_emulator_clock() {
    let app = pinned().await;
    for offset in [-300, -1, 0, 1, 300] {
        let yx = Yx::new(&app).at(T0_S + offset);
        let answer = read(yx.get("/accounts/alice").await).await;
        ok_answer(&format!("offset {offset}s"), &answer);
    }
    for offset in [-301, 301, -86_400, 86_400] {
        let yx = Yx::new(&app).at(T0_S + offset);
        assert_auth_failed(
            &format!("offset {offset}s"),
            yx.get("/accounts/alice").await,
        )
        .await;
    }
}

#[tokio::test]
async fn the_window_follows_the_emulator_clock_not_the_wall_clock() {
    let app = pinned().await;
    let at_t0 = Yx::new(&app).at(T0_S);
    ok(at_t0.get("/accounts/alice").await).await;
    app.advance_clock(301_000).await;
    assert_auth_failed("T0 after 301 s", at_t0.get("/accounts/alice").await).await;
    let now = Yx::new(&app);
    assert_eq!(now.cur_time().await, T0_S + 301);
    ok(now.get("/accounts/alice").await).await;
}

#[tokio::test]
async fn a_non_numeric_or_millisecond_curtime_is_authentication_failed() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    for cur_time in ["abc", "1.79e9", "0x6AB0", &T0.to_string(), "-"] {
        let sig = Signature::new(APP_KEY, APP_SECRET, &nonce(), cur_time);
        let resp = get_alice_signed(&yx, &sig.java_headers()).await;
        assert_auth_failed(&format!("CurTime {cur_time}"), resp).await;
    }
}

#[tokio::test]
async fn a_nonce_of_up_to_128_characters_is_accepted_and_a_longer_one_refused() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let uuid4 = "80227c89-3374-4258-97bd-424db19d5360".to_owned();
    for n in [uuid4, "n".repeat(128), "x".to_owned()] {
        let sig = Signature::new(APP_KEY, APP_SECRET, &n, &T0_S.to_string());
        let answer = read(get_alice_signed(&yx, &sig.java_headers()).await).await;
        ok_answer(&format!("nonce of {}", n.len()), &answer);
    }
    let long = "n".repeat(129);
    let sig = Signature::new(APP_KEY, APP_SECRET, &long, &T0_S.to_string());
    let resp = get_alice_signed(&yx, &sig.java_headers()).await;
    assert_auth_failed("nonce of 129", resp).await;
}

#[tokio::test]
async fn a_tenant_with_auth_failure_code_414_answers_checksum_error() {
    let tenants =
        json!([{"app_key": "legacy-app", "app_secret": "legacy-secret", "auth_failure_code": 414}]);
    let app = spawn_yunxin(&fixture_file(tenants)).await;
    let yx = Yx::with_key(&app, "legacy-app", "legacy-secret");
    ok(yx.get("/accounts/alice").await).await;
    let wrong = Yx::with_key(&app, "legacy-app", "not-the-secret");
    let stale = Yx::with_key(&app, "legacy-app", "legacy-secret").at(T0_S - 301);
    for (case, resp) in [
        ("wrong secret", wrong.get("/accounts/alice").await),
        ("stale CurTime", stale.get("/accounts/alice").await),
    ] {
        let answer = read(resp).await;
        assert_exact_error(case, &answer, 200, 414, "checksum error");
    }
    let sig = yx.signature().await;
    let no_nonce = get_alice_signed(&yx, &replaced(&sig, "Nonce", None)).await;
    assert_exact_error(
        "no Nonce",
        &read(no_nonce).await,
        200,
        414,
        "checksum error",
    );
}

#[tokio::test]
async fn without_an_appkey_the_defaults_answer_403_even_beside_a_legacy_tenant() {
    let tenants = json!([{"app_key": "legacy-app", "auth_failure_code": 414}]);
    let app = spawn_yunxin(&fixture_file(tenants)).await;
    let yx = Yx::with_key(&app, "legacy-app", APP_SECRET);
    let sig = yx.signature().await;
    let resp = get_alice_signed(&yx, &replaced(&sig, "AppKey", None)).await;
    assert_auth_failed("no AppKey", resp).await;
}

#[tokio::test]
async fn an_unknown_appkey_signed_with_another_secret_is_appkey_not_exist() {
    let app = pinned().await;
    let before = tenant_count(&app).await;
    let yx = Yx::with_key(&app, &unique_app_key(), "some-other-secret");
    assert_error("other secret", yx.get("/accounts/alice").await, 101_303).await;
    let post = yx.post("/accounts", &json!({"account_id": "carol"})).await;
    assert_error("other secret, POST", post, 101_303).await;
    assert_eq!(tenant_count(&app).await, before);
}

#[tokio::test]
async fn an_unknown_appkey_that_cannot_be_one_is_appkey_not_exist() {
    let app = pinned().await;
    for key in ["bad!key", &"k".repeat(65), "a b"] {
        let yx = Yx::with_key(&app, key, APP_SECRET);
        assert_error(
            &format!("AppKey {key:?}"),
            yx.get("/accounts/alice").await,
            101_303,
        )
        .await;
    }
}

#[tokio::test]
async fn an_unknown_appkey_signed_with_the_default_secret_makes_a_tenant() {
    let app = pinned().await;
    assert_eq!(tenant_count(&app).await, 1, "the built-in demo-appkey");
    let yx = Yx::fresh(&app);
    let data = ok(yx.post("/accounts", &json!({"account_id": "carol"})).await).await;
    assert_eq!(data["account_id"], "carol");
    assert_eq!(tenant_count(&app).await, 2);
    let alice = ok(yx.get("/accounts/alice").await).await;
    assert_eq!(alice["account_id"], "alice", "the defaults' accounts");
    let demo = Yx::new(&app);
    assert_error("isolated", demo.get("/accounts/carol").await, 102_404).await;
    assert_eq!(tenant_count(&app).await, 2);
}

#[tokio::test]
async fn strict_tenants_refuses_an_unknown_appkey_even_with_the_default_secret() {
    let config = Config {
        strict_tenants: true,
        ..Config::default()
    };
    let app = spawn_yunxin_with(&fixture_file(json!([{"app_key": APP_KEY}])), config).await;
    let yx = Yx::fresh(&app);
    let resp = yx.post("/accounts", &json!({"account_id": "carol"})).await;
    assert_error("strict", resp, 101_303).await;
    assert_eq!(tenant_count(&app).await, 1);
    ok(Yx::new(&app).get("/accounts/alice").await).await;
}

#[tokio::test]
async fn failed_calls_of_an_unknown_appkey_make_no_tenant() {
    let app = pinned().await;
    let key = unique_app_key();
    let stale = Yx::with_key(&app, &key, APP_SECRET).at(T0_S - 301);
    assert_auth_failed("stale", stale.get("/accounts/alice").await).await;
    let yx = Yx::with_key(&app, &key, APP_SECRET);
    assert_error("unknown account", yx.get("/accounts/nobody").await, 102_404).await;
    let bad = yx.post("/accounts", &json!({"account_id": "a b"})).await;
    assert_error("bad account", bad, 414).await;
    assert_not_found("unknown route", yx.get("/nothing").await).await;
    assert_eq!(tenant_count(&app).await, 1, "no tenant made");
    ok(yx.get("/accounts/alice").await).await;
    assert_eq!(tenant_count(&app).await, 2, "made by the first success");
}

#[tokio::test]
async fn the_nimserver_prefix_and_v2_1_reach_the_same_routes() {
    let app = pinned().await;
    for root in ["/nimserver/im/v2", "/im/v2.1", "/nimserver/im/v2.1"] {
        let yx = Yx::new(&app).under(root);
        let answer = read(yx.get("/accounts/alice").await).await;
        assert_eq!(ok_answer(root, &answer)["account_id"], "alice");
        let sent = yx.send(&p2p("alice", "bob"), &text_body(root)).await;
        assert_eq!(ok(sent).await["text"], root);
    }
}

#[tokio::test]
async fn an_unknown_path_or_method_is_yunxins_404() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let cases = [
        (Method::GET, "/im/v2/nothing"),
        (Method::PUT, "/im/v2/accounts"),
        (Method::DELETE, "/im/v2/accounts/alice"),
        (Method::POST, "/im/v2/accounts/alice"),
        (Method::GET, "/im/v3/accounts/alice"),
        (Method::GET, "/im/accounts/alice"),
        (Method::GET, "/nimserver/accounts/alice"),
        (Method::POST, "/im/v2/teams/1/actions/nothing"),
        (Method::GET, "/im/v2/conversations/a%7C1%7Cb/messages/1/x"),
        (Method::POST, "/im/v2/accounts/alice/actions/refresh_token"),
    ];
    for (method, path) in cases {
        let headers = yx.signature().await.java_headers();
        let url = format!("{}{path}", app.url);
        let mut req = app.client.request(method.clone(), url);
        for (name, value) in &headers {
            req = req.header(name.as_str(), value.as_str());
        }
        let resp = req.send().await.unwrap();
        assert_not_found(&format!("{method} {path}"), resp).await;
    }
}

#[tokio::test]
async fn an_unknown_path_is_404_before_authentication() {
    let app = pinned().await;
    let resp = app
        .client
        .get(format!("{}/im/v2/nothing", app.url))
        .send()
        .await
        .unwrap();
    assert_not_found("unsigned", resp).await;
}

#[tokio::test]
async fn a_body_that_is_not_a_json_object_is_a_parameter_error() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let bodies: [(&str, &[u8]); 7] = [
        ("malformed", b"{\"account_id\": "),
        ("array", b"[{\"account_id\":\"carol\"}]"),
        ("empty", b""),
        ("null", b"null"),
        ("string", b"\"carol\""),
        ("form", b"account_id=carol"),
        ("trailing garbage", b"{\"account_id\":\"carol\"} x"),
    ];
    for (case, body) in bodies {
        let resp = yx.post_bytes("/accounts", body.to_vec()).await;
        assert_error(case, resp, 414).await;
    }
    assert_error("carol not made", yx.get("/accounts/carol").await, 102_404).await;
}

/// A JSON object creating `id`, padded to exactly `len` bytes.
fn padded_account(id: &str, len: usize) -> Vec<u8> {
    let head = format!("{{\"account_id\":\"{id}\",\"pad\":\"");
    let pad = len - head.len() - 2;
    format!("{head}{}\"}}", "p".repeat(pad)).into_bytes()
}

#[tokio::test]
async fn a_body_of_1_mib_is_read_and_one_byte_more_is_a_parameter_error() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let over = padded_account("carol", 1024 * 1024 + 1);
    assert_error("1 MiB + 1", yx.post_bytes("/accounts", over).await, 414).await;
    let exact = padded_account("carol", 1024 * 1024);
    assert_eq!(exact.len(), 1024 * 1024);
    let data = ok(yx.post_bytes("/accounts", exact).await).await;
    assert_eq!(data["account_id"], "carol");
}

#[tokio::test]
async fn unknown_json_keys_are_ignored() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let body = json!({"account_id": "carol", "need_kick": true, "x": {"y": [1]}});
    assert_eq!(
        ok(yx.post("/accounts", &body).await).await["account_id"],
        "carol"
    );
    let cid = p2p("alice", "bob");
    let mut send = text_body("hi");
    merge(&mut send, json!({"conversation_id": cid, "whatever": null}));
    assert_eq!(ok(yx.send(&cid, &send).await).await["text"], "hi");
}

#[tokio::test]
async fn unknown_query_keys_are_ignored() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    ok(yx.get("/accounts/alice?foo=bar&x").await).await;
    let cid = p2p("alice", "bob");
    let id = yx.send_id(&cid, "hi").await;
    let q = format!("begin_time=0&end_time={FAR}&limit=10&check_team_member_valid=true&zzz=1");
    let page = ok(yx.history(&cid, &q).await).await;
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    let recall = yx.recall(
        &cid,
        id,
        "type=2&notify=true&server_extension=x&description=d",
    );
    ok(recall.await).await;
}

#[tokio::test]
async fn a_get_needs_no_body_and_no_content_type() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let headers = yx.signature().await.go_headers();
    let answer = yx.raw("GET", "/im/v2/accounts/alice", &headers, b"").await;
    assert_eq!(ok_answer("raw GET", &answer)["account_id"], "alice");
}

#[tokio::test]
async fn a_delete_with_an_empty_body_or_an_empty_json_body_is_answered() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let path = "/block_contacts/bob?contact_account_id=alice";
    for (case, body) in [("empty", Vec::new()), ("{}", b"{}".to_vec())] {
        yx.block("bob", "alice").await;
        let headers = yx.signature().await.java_headers();
        let resp = yx
            .call_with(Method::DELETE, path, &headers, Some(JSON_UTF8), Some(body))
            .await;
        assert_eq!(ok_answer(case, &read(resp).await), json!({}));
    }
}

#[tokio::test]
async fn conversation_ids_with_percent_7c_in_either_case_are_decoded() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    for (case, cid) in [("%7C", "alice%7C1%7Cbob"), ("%7c", "alice%7c1%7cbob")] {
        let path = format!("/conversations/{cid}/messages");
        let data = ok(yx.post(&path, &text_body(case)).await).await;
        assert_eq!(data["sender_id"], "alice", "{case}");
        assert_eq!(data["receiver_id"], "bob", "{case}");
        assert_eq!(data["conversation_type"], 1, "{case}");
    }
}

#[tokio::test]
async fn a_raw_pipe_in_the_path_is_accepted_as_curl_sends_it() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let mut headers = yx.signature().await.java_headers();
    headers.push(("Content-Type".into(), JSON_UTF8.into()));
    let body = text_body("curl").to_string();
    let target = "/im/v2/conversations/alice|1|bob/messages";
    let answer = yx.raw("POST", target, &headers, body.as_bytes()).await;
    let data = ok_answer("raw |", &answer);
    assert_eq!(data["receiver_id"], "bob");
    assert_eq!(data["text"], "curl");
}

#[tokio::test]
async fn go_canonical_header_names_are_matched() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let mut headers = yx.signature().await.go_headers();
    headers.push(("Content-Type".into(), JSON_UTF8.into()));
    headers.push(("X-Custom-Traceid".into(), nonce()));
    headers.push((
        "User-Agent".into(),
        "yunxin-server-sdk-golang/v1.0.0".into(),
    ));
    let body = text_body("go").to_string();
    let target = "/im/v2/conversations/alice%7C1%7Cbob/messages";
    let answer = yx.raw("POST", target, &headers, body.as_bytes()).await;
    assert_eq!(ok_answer("Go casing", &answer)["text"], "go");
    let shouted: Vec<(String, String)> = (yx.signature().await.java_headers())
        .into_iter()
        .map(|(n, v)| (n.to_ascii_uppercase(), v))
        .collect();
    let answer = yx.raw("GET", "/im/v2/accounts/alice", &shouted, b"").await;
    ok_answer("upper-case names", &answer);
}

#[tokio::test]
async fn any_json_content_type_is_accepted() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let types = [
        Some("application/json"),
        Some("application/json; charset=utf-8"),
        Some(JSON_UTF8),
        None,
    ];
    for (i, content_type) in types.into_iter().enumerate() {
        let headers = yx.signature().await.java_headers();
        let body = json!({ "account_id": format!("user{i}") }).to_string();
        let resp = yx
            .call_with(
                Method::POST,
                "/accounts",
                &headers,
                content_type,
                Some(body.into_bytes()),
            )
            .await;
        let data = ok_answer(&format!("{content_type:?}"), &read(resp).await);
        assert_eq!(data["account_id"], format!("user{i}"));
    }
}

#[tokio::test]
async fn errors_are_http_200_with_an_empty_data_object() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let answer = read(yx.get("/accounts/nobody").await).await;
    let body: Value = envelope("unknown account", &answer, 200);
    assert_eq!(
        answer.text,
        r#"{"code":102404,"msg":"account not exist","data":{}}"#
    );
    assert_eq!(body["data"], json!({}));
}

#[tokio::test]
async fn an_unknown_appkey_past_max_tenants_is_appkey_not_exist() {
    let config = Config {
        max_tenants: 1,
        ..Config::default()
    };
    let app = spawn_yunxin_with(&fixture_file(json!([{"app_key": APP_KEY}])), config).await;
    let yx = Yx::fresh(&app);
    assert_error("second tenant", yx.get("/accounts/alice").await, 101_303).await;
    assert_eq!(tenant_count(&app).await, 1);
    ok(Yx::new(&app).get("/accounts/alice").await).await;
}

#[tokio::test]
async fn a_body_that_stops_arriving_is_answered_408_when_the_request_timeout_passes() {
    let config = Config {
        request_timeout: std::time::Duration::from_millis(300),
        ..Config::default()
    };
    let app = spawn_yunxin_with(&fixture_file(json!([{"app_key": APP_KEY}])), config).await;
    let yx = Yx::new(&app);
    let address = app.url.trim_start_matches("http://");
    let mut head = format!("POST /im/v2/accounts HTTP/1.1\r\nHost: {address}\r\n");
    for (name, value) in yx.signature().await.java_headers() {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("Content-Type: application/json;charset=UTF-8\r\nContent-Length: 100\r\n\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(b"{\"account_id\":");
    let answer = yx.raw_bytes(bytes).await;
    assert_exact_error("stalled body", &answer, 408, 408, "request timeout");
}

/// A body creating `id` with an unknown key nesting arrays so that the body is `depth` deep.
fn nested_account(id: &str, depth: usize) -> Vec<u8> {
    let arrays = depth - 1;
    format!(
        "{{\"account_id\":\"{id}\",\"x\":{}{}}}",
        "[".repeat(arrays),
        "]".repeat(arrays)
    )
    .into_bytes()
}

#[tokio::test]
async fn a_body_nested_deeper_than_64_is_a_parameter_error() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let deep = yx
        .post_bytes("/accounts", nested_account("carol", 65))
        .await;
    assert_error("65 deep", deep, 414).await;
    let brackets = br#"{"account_id":"dave","x":"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}"#;
    let data = ok(yx.post_bytes("/accounts", brackets.to_vec()).await).await;
    assert_eq!(
        data["account_id"], "dave",
        "brackets in strings do not count"
    );
    let data = ok(yx
        .post_bytes("/accounts", nested_account("carol", 64))
        .await)
    .await;
    assert_eq!(data["account_id"], "carol");
}
