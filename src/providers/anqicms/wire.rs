//! AnqiCMS's answers (contract §2): HTTP 200 for everything handled, the body
//! `{"code","data"?,"msg","total"?}` with its keys sorted (the handlers build a Go map), encoded
//! as iris encodes JSON (Go's escapes, a trailing newline), `application/json;
//! charset=utf-8`; the site's HTML 404 page for a path it does not have; CORS as the core's
//! middleware answers it.

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

/// The answer to a CORS preflight: 204 with the allowed methods and headers.
pub fn preflight(req: &HttpRequest) -> HttpResponse {
    let mut response = HttpResponse::NoContent()
        .insert_header((
            "Access-Control-Allow-Methods",
            "GET, POST, PUT, DELETE, OPTIONS",
        ))
        .insert_header((
            "Access-Control-Allow-Headers",
            "Content-Type, Token, Site-Id, Authorization, X-Requested-With",
        ))
        .finish();
    cors(req, &mut response);
    response
}

/// Echoes a local development origin, and exposes `Update-Token`, as the real middleware
/// does.
pub fn cors(req: &HttpRequest, response: &mut HttpResponse) {
    let origin = req.headers().get("origin").and_then(|o| o.to_str().ok());
    let local = |o: &str| o.starts_with("http://127.0.0.1") || o.starts_with("http://localhost");
    let Some(origin) = origin.filter(|o| local(o)) else {
        return;
    };
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(origin) {
        headers.insert(
            HeaderName::from_static("access-control-allow-origin"),
            value,
        );
    }
    headers.insert(
        HeaderName::from_static("access-control-expose-headers"),
        HeaderValue::from_static("Content-Disposition,Update-Token"),
    );
    headers.insert(
        HeaderName::from_static("access-control-allow-credentials"),
        HeaderValue::from_static("true"),
    );
}
