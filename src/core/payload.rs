//! Reading a request body under a byte cap and a deadline, so that each provider can answer an
//! oversized or stalled body with its own error instead of the framework's, and a client that
//! stops sending is never waited for beyond the request timeout.

use actix_web::http::ConnectionType;
use actix_web::{web, HttpMessage, HttpRequest, HttpResponse};
use futures_util::StreamExt;
use std::time::Duration;

/// No body is ever buffered beyond this, whatever a tenant's limits say.
pub const HARD_CAP: usize = 64 * 1024 * 1024;

/// Why a body could not be read.
#[derive(Debug, PartialEq, Eq)]
pub enum BodyError {
    /// The body is longer than the cap.
    TooLarge,
    /// The connection failed while the body was read.
    Broken,
    /// The client did not send the whole body within the request timeout.
    TimedOut,
}

/// Reads the whole body within `timeout`, refusing it when it exceeds `cap` bytes. A refused
/// body is still read to its end (up to [`HARD_CAP`], within the timeout) and dropped, so that
/// the client, still sending, receives the refusal instead of a reset connection.
pub async fn read_capped(
    req: &HttpRequest,
    payload: web::Payload,
    cap: usize,
    timeout: Duration,
) -> Result<web::Bytes, BodyError> {
    let read = read(req, payload, cap.min(HARD_CAP), HARD_CAP);
    match tokio::time::timeout(timeout, read).await {
        Ok(Ok(body)) => {
            // Left on the request for the request log; sharing the bytes costs no copy.
            let logged = crate::core::requests::ReadBody(body.clone());
            req.extensions_mut().insert(logged);
            Ok(body)
        }
        Ok(result) => result,
        Err(_) => Err(BodyError::TimedOut),
    }
}

/// [`read_capped`] for the one body allowed past [`HARD_CAP`] (an admin state document):
/// refused as soon as it exceeds `cap`.
pub async fn read_large(
    req: &HttpRequest,
    payload: web::Payload,
    cap: usize,
    timeout: Duration,
) -> Result<web::Bytes, BodyError> {
    match tokio::time::timeout(timeout, read(req, payload, cap, cap)).await {
        Ok(result) => result,
        Err(_) => Err(BodyError::TimedOut),
    }
}

async fn read(
    req: &HttpRequest,
    mut payload: web::Payload,
    cap: usize,
    hard_cap: usize,
) -> Result<web::Bytes, BodyError> {
    let declared = req
        .headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|len| len > hard_cap) {
        return Err(BodyError::TooLarge);
    }
    let mut body = web::BytesMut::with_capacity(declared.unwrap_or(1024).min(cap));
    let mut seen = 0usize;
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| BodyError::Broken)?;
        seen += chunk.len();
        if seen > hard_cap {
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

/// Closes the connection after `response`: the rest of an unread body is never waited for.
pub fn close_after(mut response: HttpResponse) -> HttpResponse {
    response
        .head_mut()
        .set_connection_type(ConnectionType::Close);
    response
}
