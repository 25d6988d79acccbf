//! OpenIM's answers as its Go server writes them (contract §1, §2): the envelope
//! `{"errCode","errMsg","errDlt","data"}` with `data` left out when empty, JSON as Go's
//! `encoding/json` prints it (`<`, `>`, `&`, U+2028 and U+2029 escaped), `Content-Type:
//! application/json` without a charset, gzip when the client accepts it, and the CORS headers
//! of its middleware on every answer.

use actix_web::http::header::{HeaderValue, CONTENT_ENCODING, CONTENT_TYPE, VARY};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder};
use flate2::write::GzEncoder;
use flate2::Compression;
use serde::Serialize;

pub use crate::core::gojson::go_json;
use std::io::Write;

/// The CORS headers OpenIM's middleware sets on every answer.
pub const CORS: [(&str, &str); 5] = [
    ("access-control-allow-origin", "*"),
    ("access-control-allow-methods", "*"),
    ("access-control-allow-headers", "*"),
    (
        "access-control-expose-headers",
        "Content-Length, Access-Control-Allow-Origin, Access-Control-Allow-Headers,Cache-Control,Content-Language,Content-Type,Expires,Last-Modified,Pragma,FooBar",
    ),
    ("access-control-max-age", "172800"),
];

/// The envelope of every answer.
#[derive(Serialize)]
pub struct Envelope<'a, T: Serialize> {
    #[serde(rename = "errCode")]
    pub code: i32,
    #[serde(rename = "errMsg")]
    pub msg: &'a str,
    #[serde(rename = "errDlt")]
    pub dlt: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<T>,
}

/// The type of an envelope without data.
pub type NoData = ();

impl<T: Serialize> Envelope<'_, T> {
    /// A success carrying `data` (`None`: no `data` key).
    pub fn ok(data: Option<T>) -> Self {
        Envelope {
            code: 0,
            msg: "",
            dlt: "",
            data,
        }
    }

    /// The HTTP answer, gzipped when `gzip`.
    pub fn respond(&self, status: StatusCode, gzip: bool) -> HttpResponse {
        body(builder(status), go_json(self), gzip)
    }
}

/// `response` with `bytes` as its body, gzipped when `gzip`.
pub fn body(mut response: HttpResponseBuilder, bytes: Vec<u8>, gzip: bool) -> HttpResponse {
    if gzip {
        response.insert_header((CONTENT_ENCODING, "gzip"));
        response.insert_header((VARY, "Accept-Encoding"));
        return response.body(compress(&bytes));
    }
    response.body(bytes)
}

/// A response builder with OpenIM's headers.
pub fn builder(status: StatusCode) -> HttpResponseBuilder {
    let mut response = HttpResponse::build(status);
    for (name, value) in CORS {
        response.insert_header((name, value));
    }
    response.insert_header(("access-control-allow-credentials", "false"));
    response.insert_header((CONTENT_TYPE, HeaderValue::from_static("application/json")));
    response
}

/// Whether the answer is gzipped, as gin-contrib/gzip decides: the first `Accept-Encoding`
/// contains `gzip` (case-sensitive, `q` values unread), and the request is no upgrade or event
/// stream.
pub fn accepts_gzip(req: &HttpRequest) -> bool {
    let first = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    };
    first("accept-encoding").contains("gzip")
        && !first("connection").contains("Upgrade")
        && !first("accept").contains("text/event-stream")
}

fn compress(body: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(
        Vec::with_capacity(body.len() / 2 + 32),
        Compression::default(),
    );
    let _ = encoder.write_all(body);
    encoder.finish().unwrap_or_default()
}
