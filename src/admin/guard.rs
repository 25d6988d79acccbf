//! What every admin call must pass before it is routed: the admin token when one is set
//! (`--admin-token`), and for writes, no foreign `Origin` (a web page's cross-origin request)
//! and no body that is not `application/json` (a form or a "simple" `text/plain` request).

use super::{problem, Admin};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::{HttpRequest, HttpResponse};

/// The JSON answer refusing the call, or `None` to let it through.
pub fn refusal(admin: &Admin, req: &HttpRequest) -> Option<HttpResponse> {
    if let Some(token) = &admin.token {
        if bearer(req) != Some(token.as_str()) {
            let mut refused = problem(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "the admin API requires the admin token: Authorization: Bearer <token>".into(),
            );
            refused
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            return Some(refused);
        }
    }
    if is_read(req.method()) {
        return None;
    }
    if let Some(origin) = foreign_origin(req) {
        return Some(problem(
            StatusCode::FORBIDDEN,
            "forbidden",
            format!("cross-origin admin writes are refused (Origin: {origin})"),
        ));
    }
    if !json_or_empty(req) {
        return Some(problem(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "admin writes take Content-Type: application/json (or no body at all)".into(),
        ));
    }
    None
}

fn is_read(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn bearer(req: &HttpRequest) -> Option<&str> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once([' ', '\t'])?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
}

/// The request's `Origin` when it is not the emulator's own (`scheme://` + its `Host`).
fn foreign_origin(req: &HttpRequest) -> Option<String> {
    let origin = req.headers().get(header::ORIGIN)?;
    let origin = String::from_utf8_lossy(origin.as_bytes()).into_owned();
    let info = req.connection_info();
    let own = format!("{}://{}", info.scheme(), info.host());
    (!origin.eq_ignore_ascii_case(&own)).then_some(origin)
}

/// Whether the request's body is JSON, or it has none and names no other type.
fn json_or_empty(req: &HttpRequest) -> bool {
    match req.headers().get(header::CONTENT_TYPE) {
        Some(value) => value
            .to_str()
            .ok()
            .and_then(|v| v.split(';').next())
            .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json")),
        None => !has_body(req),
    }
}

fn has_body(req: &HttpRequest) -> bool {
    let headers = req.headers();
    let length = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    length.is_some_and(|n| n > 0) || headers.contains_key(header::TRANSFER_ENCODING)
}
