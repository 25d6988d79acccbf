//! AnqiCMS's answers (contract §2): HTTP 200 for everything handled, the body
//! `{"code","data"?,"msg","total"?}` with its keys sorted (the handlers build a Go map), encoded
//! as iris encodes JSON (Go's escapes, a trailing newline), `application/json;
//! charset=utf-8`; the site's HTML 404 page for a path it does not have; CORS as the real
//! middleware answers it, on every answer.

use crate::core::gojson::go_json;
use actix_web::http::header::{HeaderName, HeaderValue, CONTENT_TYPE};
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;

/// `code` of success, of a failure (the reason in `msg`), of a call that needs a login.
pub const OK: i64 = 0;
pub const FAILED: i64 = -1;
pub const NO_LOGIN: i64 = 1001;

/// The envelope, its keys in Go's map order.
#[derive(Serialize)]
pub struct Envelope<'a, T: Serialize> {
    pub code: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<T>,
    pub msg: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<usize>,
}

/// `value` as iris writes JSON: Go's encoding and a newline.
pub fn json_body<T: Serialize>(value: &T) -> Vec<u8> {
    let mut body = go_json(value);
    body.push(b'\n');
    body
}

/// HTTP 200 with `envelope`.
pub fn answer<T: Serialize>(envelope: &Envelope<'_, T>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "application/json; charset=utf-8"))
        .body(json_body(envelope))
}

/// The site's 404 page, for a path (or method) it has no route for.
pub fn not_found() -> HttpResponse {
    HttpResponse::NotFound()
        .insert_header((CONTENT_TYPE, "text/html; charset=utf-8"))
        .body(NOT_FOUND_PAGE)
}

const NOT_FOUND_PAGE: &str = "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta \
charset=\"UTF-8\">\n<title>404 Not Found</title>\n</head>\n<body>\n<h1>404 Not Found</h1>\n<p>\
该页面不存在。The page you requested does not exist.</p>\n</body>\n</html>\n";

/// The answer to a CORS preflight: 204 with the CORS headers.
pub fn preflight(req: &HttpRequest) -> HttpResponse {
    let mut response = HttpResponse::NoContent().finish();
    cors(req, &mut response);
    response
}

/// The headers the real CORS middleware puts on every answer, and a local development
/// origin echoed.
pub fn cors(req: &HttpRequest, response: &mut HttpResponse) {
    let headers = response.headers_mut();
    let origin = req.headers().get("origin").and_then(|o| o.to_str().ok());
    let local = |o: &&str| o.starts_with("http://127.0.0.1") || o.starts_with("http://localhost");
    if let Some(Ok(value)) = origin.filter(local).map(HeaderValue::from_str) {
        headers.insert(
            HeaderName::from_static("access-control-allow-origin"),
            value,
        );
    }
    for (name, value) in CORS {
        headers.insert(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        );
    }
}

/// The real middleware's fixed CORS headers.
const CORS: [(&str, &str); 4] = [
    ("access-control-allow-credentials", "true"),
    (
        "access-control-expose-headers",
        "Content-Disposition,Update-Token",
    ),
    (
        "access-control-allow-methods",
        "GET,POST,PUT,DELETE,PATCH,OPTIONS",
    ),
    (
        "access-control-allow-headers",
        "Content-Type, Api, Accept, Authorization, Version, Admin, Token, Key, Site-Id, \
         Sub-Site-Id, X-Pjax, X-Pjax-Container",
    ),
];
