//! Black-box tests of OpenIM's transport as gin and OpenIM's middleware shape it (contract
//! §1, §2): the `operationID` and `token` headers and their order, `OPTIONS`, gin's 404 and
//! 307, CORS headers, the bare `application/json` type, gzip, Go's lenient JSON decoding, the
//! envelope without `data`, and the real routes the emulator does not answer.
mod common;
use common::openim::*;
use common::*;

use flate2::read::GzDecoder;
use reqwest::Method;
use serde_json::json;
use std::io::Read;

/// The CORS headers of OpenIM's middleware, on every answer but a redirect.
const CORS: [(&str, &str); 6] = [
    ("access-control-allow-origin", "*"),
    ("access-control-allow-methods", "*"),
    ("access-control-allow-headers", "*"),
    ("access-control-max-age", "172800"),
    ("access-control-allow-credentials", "false"),
    (
        "access-control-expose-headers",
        "Content-Length, Access-Control-Allow-Origin, Access-Control-Allow-Headers,Cache-Control,Content-Language,Content-Type,Expires,Last-Modified,Pragma,FooBar",
    ),
];

/// Request headers, as (name, value).
type Headers<'a> = Vec<(&'a str, &'a str)>;

fn assert_cors(case: &str, answer: &Answer) {
    for (name, value) in CORS {
        assert_eq!(answer.header(name), value, "case {case}: header {name}");
    }
}

/// Asserts gin's answer to a path it has no route for.
fn assert_gin_404(case: &str, answer: &Answer) {
    assert_eq!(answer.status, 404, "case {case}: {}", answer.text);
    assert_eq!(answer.header("content-type"), "text/plain", "case {case}");
    assert_eq!(answer.text, "404 page not found", "case {case}");
}

// ------------------------------------------------------------------------------------------
// Headers

#[tokio::test]
async fn a_post_without_operation_id_is_refused_with_200_before_anything_else() {
    let app = spawn_app().await;
    let im = Im::new(&app);
    let token = im.admin_token().await;
    // (case, path, headers)
    let cases: [(&str, &str, Headers); 5] = [
        ("no header at all", "/msg/send_msg", vec![]),
        (
            "a token but no operationID",
            "/msg/send_msg",
            vec![("token", &token)],
        ),
        (
            "an empty operationID",
            "/msg/send_msg",
            vec![("operationID", ""), ("token", &token)],
        ),
        ("a path needing no token", "/auth/get_admin_token", vec![]),
        ("an unknown path", "/msg/no_such_route", vec![]),
    ];
    for (case, path, headers) in cases {
        let resp = im.post_raw(path, &headers, "{}").await;
        assert_refused(
            case,
            resp,
            200,
            1001,
            "ArgsError",
            "header must have operationID",
        )
        .await;
    }
}

#[tokio::test]
async fn a_post_without_token_is_refused_with_200_on_every_path_but_the_two_auth_ones() {
    let app = spawn_app().await;
    let im = Im::new(&app);
    // (case, path, headers)
    let cases: [(&str, &str, Headers); 6] = [
        (
            "send_msg",
            "/msg/send_msg",
            vec![("operationID", OPERATION_ID)],
        ),
        (
            "get_users_info",
            "/user/get_users_info",
            vec![("operationID", OPERATION_ID)],
        ),
        (
            "get_user_token",
            "/auth/get_user_token",
            vec![("operationID", OPERATION_ID)],
        ),
        (
            "an unknown path",
            "/msg/no_such_route",
            vec![("operationID", OPERATION_ID)],
        ),
        (
            "a route not emulated",
            "/friend/add_friend",
            vec![("operationID", OPERATION_ID)],
        ),
        (
            "an empty token",
            "/msg/send_msg",
            vec![("operationID", OPERATION_ID), ("token", "")],
        ),
    ];
    for (case, path, headers) in cases {
        let resp = im.post_raw(path, &headers, "not even json").await;
        assert_refused(case, resp, 200, 1001, "ArgsError", "header must have token").await;
    }
}

#[tokio::test]
async fn header_names_are_case_insensitive() {
    let app = spawn_app().await;
    let im = Im::new(&app);
    let token = im.admin_token().await;
    let headers = [("OPERATIONID", "x"), ("Token", token.as_str())];
    let resp = im.post_raw("/msg/get_server_time", &headers, "{}").await;
    let data = ok_data(resp).await;
    assert!(data["serverTime"].is_i64(), "{data}");
}

#[tokio::test]
async fn the_token_whitelist_is_a_prefix_match_on_the_two_auth_paths() {
    let app = spawn_app().await;
    let im = Im::new(&app);
    let op = [("operationID", OPERATION_ID)];
    let resp = im.post_raw("/auth/parse_token", &op, "{}").await;
    assert_refused(
        "parse_token reaches its handler",
        resp,
        200,
        1001,
        "ArgsError",
        "userID is empty",
    )
    .await;
    let resp = im.post_raw("/auth/get_admin_token", &op, "{}").await;
    assert_refused(
        "get_admin_token reaches its handler",
        resp,
        200,
        1001,
        "ArgsError",
        "userID is empty",
    )
    .await;
    let resp = im
        .post_raw("/auth/get_admin_token_and_more", &op, "{}")
        .await;
    assert_gin_404("a longer path passes the token check", &read(resp).await);
}

// ------------------------------------------------------------------------------------------
// Routing: OPTIONS, 404, 307

#[tokio::test]
async fn options_on_any_openim_path_answers_the_json_string_options_request() {
    let app = spawn_app().await;
    let im = Im::new(&app);
    for path in [
        "/msg/send_msg",
        "/msg/no_such_route",
        "/auth/get_admin_token",
    ] {
        let resp = im.request(&app.client, Method::OPTIONS, path, &[]).await;
        let answer = read(resp).await;
        assert_eq!(answer.status, 200, "OPTIONS {path}");
        assert_eq!(answer.text, r#""Options Request!""#, "OPTIONS {path}");
        assert_eq!(
            answer.header("content-type"),
            "application/json",
            "OPTIONS {path}"
        );
        assert_cors(path, &answer);
    }
}

#[tokio::test]
async fn other_methods_on_a_post_route_are_gins_plain_text_404() {
    let app = spawn_app().await;
    let im = Im::new(&app);
    let token = im.admin_token().await;
    let headers = [("operationID", OPERATION_ID), ("token", token.as_str())];
    for method in [Method::GET, Method::PUT, Method::DELETE, Method::PATCH] {
        let case = format!("{method} /msg/send_msg");
        let answer = read(
            im.request(&app.client, method, "/msg/send_msg", &headers)
                .await,
        )
        .await;
        assert_gin_404(&case, &answer);
        assert_cors(&case, &answer);
    }
    let answer = read(
        im.request(&app.client, Method::GET, "/msg/send_msg", &[])
            .await,
    )
    .await;
    assert_gin_404("GET without any header", &answer);
}

#[tokio::test]
async fn an_unknown_post_path_is_a_plain_404_only_after_the_header_checks() {
    let app = spawn_app().await;
    let im = Im::new(&app);
    let token = im.admin_token().await;
    let headers = [("operationID", OPERATION_ID), ("token", token.as_str())];
    for path in [
        "/msg/no_such_route",
        "/user",
        "/group/create_group/extra",
        "/auth/user_tokens",
    ] {
        let answer = read(im.post_raw(path, &headers, "{}").await).await;
        assert_gin_404(path, &answer);
        assert_cors(path, &answer);
    }
    let resp = im
        .post_raw("/msg/no_such_route", &[("operationID", OPERATION_ID)], "{}")
        .await;
    assert_refused(
        "no token",
        resp,
        200,
        1001,
        "ArgsError",
        "header must have token",
    )
    .await;
}

#[tokio::test]
async fn a_trailing_slash_on_a_post_route_redirects_with_307_and_no_cors_headers() {
    let app = spawn_app().await;
    let im = Im::new(&app);
    let client = no_redirect_client();
    // (path asked, Location answered)
    let cases = [
        ("/msg/send_msg/", "/msg/send_msg"),
        ("/auth/get_admin_token/", "/auth/get_admin_token"),
        ("/user/get_users_info/?a=1", "/user/get_users_info?a=1"),
        ("/tenants/acme/msg/send_msg/", "/tenants/acme/msg/send_msg"),
    ];
    for (path, location) in cases {
        let url = format!("{}{path}", app.url);
        let resp = client.post(url).body("{}").send().await.unwrap();
        let answer = read(resp).await;
        assert_eq!(answer.status, 307, "POST {path}: {}", answer.text);
        assert_eq!(answer.header("location"), location, "POST {path}");
        assert_eq!(
            answer.header("access-control-allow-origin"),
            "",
            "POST {path}"
        );
    }
    let headers = [("operationID", OPERATION_ID)];
    let resp = im.post_raw("/msg/no_such_route/", &headers, "{}").await;
    assert_refused(
        "an unknown path with a slash",
        resp,
        200,
        1001,
        "ArgsError",
        "header must have token",
    )
    .await;
}

#[tokio::test]
async fn a_real_route_the_emulator_does_not_answer_is_a_server_internal_error() {
    let app = spawn_app().await;
    let im = Im::new(&app);
    let token = im.admin_token().await;
    for path in [
        "/msg/mark_msgs_as_read",
        "/friend/add_friend",
        "/conversation/get_all_conversations",
    ] {
        let resp = im.post(path, Some(&token), &json!({})).await;
        let detail = format!("im-emulator does not emulate POST {path}");
        assert_refused(path, resp, 200, 500, "ServerInternalError", &detail).await;
    }
}

// ------------------------------------------------------------------------------------------
// Envelope, content type, CORS, gzip

#[tokio::test]
async fn every_json_answer_has_cors_headers_and_a_bare_application_json_type() {
    let app = spawn_app().await;
    let im = Im::new(&app);
    let token = im.admin_token().await;
    let cases = [
        (
            "a success",
            im.post("/msg/get_server_time", Some(&token), &json!({}))
                .await,
        ),
        (
            "a business error",
            im.post("/user/get_users_info", Some(&token), &json!({}))
                .await,
        ),
        (
            "a binding error",
            im.post("/msg/send_msg", Some(&token), &json!({})).await,
        ),
        (
            "a header error",
            im.post("/msg/send_msg", None, &json!({})).await,
        ),
    ];
    for (case, resp) in cases {
        let answer = read(resp).await;
        assert_eq!(
            answer.header("content-type"),
            "application/json",
            "case {case}"
        );
        assert_cors(case, &answer);
        assert!(
            !answer.text.ends_with('\n'),
            "case {case}: no trailing newline"
        );
    }
}

#[tokio::test]
async fn a_success_without_data_has_no_data_key() {
    let app = spawn_app().await;
    let im = Im::new(&app);
    let token = im.admin_token().await;
    let users = json!({"users": [{"userID": "carol", "nickname": "Carol"}]});
    ok_empty(im.post("/user/user_register", Some(&token), &users).await).await;
    let logout = json!({"userID": "alice", "platformID": 1});
    ok_empty(im.post("/auth/force_logout", Some(&token), &logout).await).await;
}

#[tokio::test]
async fn answers_escape_html_characters_as_go_does() {
    let app = spawn_app().await;
    let im = Im::new(&app);
    let body = json!({"secret": SECRET, "userID": "a<b>&c"});
    let answer = read(im.post("/auth/get_admin_token", None, &body).await).await;
    assert!(
        answer.text.contains(r"userID=a\u003cb\u003e\u0026c"),
        "Go's HTML-safe escapes: {}",
        answer.text
    );
}

fn gunzip(bytes: &[u8]) -> String {
    let mut text = String::new();
    GzDecoder::new(bytes)
        .read_to_string(&mut text)
        .expect("a gzip stream");
    text
}

#[tokio::test]
async fn an_answer_is_gzipped_when_the_client_accepts_gzip() {
    let app = spawn_app().await;
    let im = Im::new(&app);
    let token = im.admin_token().await;
    // (case, token header)
    let cases = [("a success", Some(token.as_str())), ("an error", None)];
    for (case, token) in cases {
        let mut headers = vec![("operationID", OPERATION_ID), ("Accept-Encoding", "gzip")];
        headers.extend(token.map(|t| ("token", t)));
        let resp = im.post_raw("/msg/get_server_time", &headers, "{}").await;
        assert_eq!(resp.status(), 200, "case {case}");
        assert_eq!(resp.headers()["content-encoding"], "gzip", "case {case}");
        assert_eq!(resp.headers()["vary"], "Accept-Encoding", "case {case}");
        assert_eq!(
            resp.headers()["content-type"],
            "application/json",
            "case {case}"
        );
        let text = gunzip(&resp.bytes().await.unwrap());
        assert!(text.starts_with(r#"{"errCode":"#), "case {case}: {text}");
    }
}

#[tokio::test]
async fn an_answer_is_plain_when_the_client_does_not_accept_gzip() {
    let app = spawn_app().await;
    let im = Im::new(&app);
    let token = im.admin_token().await;
    for accept in [None, Some("identity"), Some("br")] {
        let mut headers = vec![("operationID", OPERATION_ID), ("token", token.as_str())];
        headers.extend(accept.map(|a| ("Accept-Encoding", a)));
        let resp = im.post_raw("/msg/get_server_time", &headers, "{}").await;
        let case = format!("Accept-Encoding {accept:?}");
        assert!(resp.headers().get("content-encoding").is_none(), "{case}");
        ok_data(resp).await;
    }
}

// ------------------------------------------------------------------------------------------
// Go's JSON decoding

#[tokio::test]
async fn json_keys_match_their_fields_case_insensitively_and_unknown_keys_are_ignored() {
    let app = spawn_app().await;
    let im = Im::new(&app);
    let body = json!({"SECRET": SECRET, "UserId": ADMIN, "platformID": 3, "extra": [1]});
    let data = ok_data(im.post("/auth/get_admin_token", None, &body).await).await;
    let token = data["token"].as_str().unwrap();
    let (_, claims) = jwt_parts(token);
    assert_eq!(
        claims["PlatformID"], 10,
        "unknown platformID ignored: {claims}"
    );
    let send = json!({"SENDID": ADMIN, "recvId": "alice", "Content": {"content": "hi"},
        "contentTYPE": 101, "sessiontype": 1, "clientMsgID": "mine", "options": {"x": true}});
    let sent = im.send_ok(token, &send).await;
    assert_ne!(
        sent["clientMsgID"], "mine",
        "clientMsgID is the server's: {sent}"
    );
    assert_eq!(
        im.pull_all(token, "alice", "si_alice_imAdmin").await.len(),
        1
    );
}

#[tokio::test]
async fn send_msg_reads_the_first_json_value_and_ignores_what_follows() {
    let app = spawn_app().await;
    let im = Im::new(&app);
    let token = im.admin_token().await;
    let body = format!("{} trailing garbage {{", text(ADMIN, "alice", "hi"));
    let headers = [("operationID", OPERATION_ID), ("token", token.as_str())];
    let data = ok_data(im.post_raw("/msg/send_msg", &headers, body).await).await;
    assert!(is_md5_hex(&data["serverMsgID"]), "{data}");
}

#[tokio::test]
async fn a_request_content_type_is_ignored() {
    let app = spawn_app().await;
    let im = Im::new(&app);
    let token = im.admin_token().await;
    let body = text(ADMIN, "alice", "hi").to_string();
    for content_type in ["text/plain", "application/x-www-form-urlencoded"] {
        let headers = [
            ("operationID", OPERATION_ID),
            ("token", token.as_str()),
            ("Content-Type", content_type),
        ];
        ok_data(im.post_raw("/msg/send_msg", &headers, body.clone()).await).await;
    }
}

#[tokio::test]
async fn a_generic_handler_refuses_a_body_go_cannot_unmarshal_with_the_text_in_err_msg() {
    let app = spawn_app().await;
    let im = Im::new(&app);
    let token = im.admin_token().await;
    let headers = [("operationID", OPERATION_ID), ("token", token.as_str())];
    // (case, body, text within errMsg)
    let cases = [
        ("an empty body", "", "unexpected end of JSON input"),
        ("an unclosed object", "{", "unexpected end of JSON input"),
        ("bytes after the object", "{} x", "invalid character 'x' after top-level value"),
        (
            "an array",
            "[1]",
            "json: cannot unmarshal array into Go value of type user.GetDesignateUsersReq",
        ),
        (
            "a number for a string",
            r#"{"userIDs": [1]}"#,
            "json: cannot unmarshal number into Go struct field GetDesignateUsersReq.userIDs of type string",
        ),
        (
            "a string for a list",
            r#"{"userIDs": "alice"}"#,
            "json: cannot unmarshal string into Go struct field GetDesignateUsersReq.userIDs of type []string",
        ),
    ];
    for (case, body, text_in_msg) in cases {
        let resp = im.post_raw("/user/get_users_info", &headers, body).await;
        assert_decode_refused(case, resp, text_in_msg).await;
    }
}

#[tokio::test]
async fn a_misspelt_json_literal_is_refused_with_gos_scanner_text() {
    let app = spawn_app().await;
    let im = Im::new(&app);
    let token = im.admin_token().await;
    let headers = [("operationID", OPERATION_ID), ("token", token.as_str())];
    let resp = im.post_raw("/user/get_users_info", &headers, "nope").await;
    let text = "invalid character 'o' in literal null (expecting 'u')";
    assert_decode_refused("a generic handler", resp, text).await;
    let resp = im.post_raw("/msg/send_msg", &headers, "nope").await;
    assert_refused("send_msg", resp, 400, 1001, "ArgsError", text).await;
}

#[tokio::test]
async fn gzip_is_chosen_by_a_case_sensitive_substring_of_accept_encoding() {
    let app = spawn_app().await;
    let im = Im::new(&app);
    let token = im.admin_token().await;
    // (Accept-Encoding, gzipped)
    let cases = [("gzip;q=0", true), ("x-gzip", true), ("GZIP", false)];
    for (accept, gzipped) in cases {
        let headers = [
            ("operationID", OPERATION_ID),
            ("token", token.as_str()),
            ("Accept-Encoding", accept),
        ];
        let resp = im.post_raw("/msg/get_server_time", &headers, "{}").await;
        let encoding = resp
            .headers()
            .get("content-encoding")
            .map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(
            encoding.as_deref() == Some("gzip"),
            gzipped,
            "Accept-Encoding {accept}"
        );
    }
}
