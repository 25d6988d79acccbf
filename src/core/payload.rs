//! Reading a request body under a byte cap, so that each provider can answer an oversized body
//! with its own error instead of the framework's.

use actix_web::{web, HttpRequest};
use futures_util::StreamExt;

/// No body is ever buffered beyond this, whatever a tenant's limits say.
pub const HARD_CAP: usize = 64 * 1024 * 1024;

/// Why a body could not be read.
#[derive(Debug, PartialEq, Eq)]
pub enum BodyError {
    /// The body is longer than the cap.
    TooLarge,
    /// The connection failed while the body was read.
    Broken,
}

/// Reads the whole body, refusing it when it exceeds `cap` bytes. A refused body is still read
/// to its end (up to [`HARD_CAP`]) and dropped, so that the client, still sending, receives the
/// refusal instead of a reset connection.
pub async fn read_capped(
    req: &HttpRequest,
    mut payload: web::Payload,
    cap: usize,
) -> Result<web::Bytes, BodyError> {
    let cap = cap.min(HARD_CAP);
    let declared = req
        .headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|len| len > HARD_CAP) {
        return Err(BodyError::TooLarge);
    }
    let mut body = web::BytesMut::with_capacity(declared.unwrap_or(1024).min(cap));
    let mut seen = 0usize;
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| BodyError::Broken)?;
        seen += chunk.len();
        if seen > HARD_CAP {
            return Err(BodyError::TooLarge);
        }
        if seen <= cap {
            body.extend_from_slice(&chunk);
        }
    }
    if seen > cap {
        return Err(BodyError::TooLarge);
    }
    Ok(body.freeze())
}
