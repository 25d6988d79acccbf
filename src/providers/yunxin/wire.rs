//! Yunxin's v2 answers (contract §3): `{"code","msg","data"}` with HTTP 200, `code` 200 and
//! `msg` `"success"` on success, `data` always an object (`{}` on failure).

use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use serde::Serialize;

/// An empty `data`.
#[derive(Serialize)]
pub struct Empty {}

#[derive(Serialize)]
struct Envelope<'a, T: Serialize> {
    code: i64,
    msg: &'a str,
    data: &'a T,
}

/// The envelope with `code`, `msg` and `data`.
pub fn answer<T: Serialize>(status: StatusCode, code: i64, msg: &str, data: &T) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("application/json;charset=UTF-8")
        .json(Envelope { code, msg, data })
}

/// A success carrying `data`.
pub fn success<T: Serialize>(data: &T) -> HttpResponse {
    answer(StatusCode::OK, 200, "success", data)
}
