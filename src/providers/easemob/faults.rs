//! The errors a fault rule may answer an Easemob call with, by their `error` name: the
//! catalogue's own answers, plus the 500 and 503 the service gives when it fails itself.

use super::error::EasemobError;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};

const INJECTED: &str = "injected by an /_emulator/faults rule";

/// One answer per `error` name, the first of each name taken.
fn catalogue() -> Vec<EasemobError> {
    let server = |status, error, exception| EasemobError {
        status,
        error,
        exception,
        code: None,
        description: INJECTED.into(),
    };
    vec![
        EasemobError::reach_limit(),
        EasemobError::send_reach_limit(),
        EasemobError::unknown_token(),
        EasemobError::illegal_argument(INJECTED),
        EasemobError::invalid_request_body(),
        EasemobError::invalid_grant("invalid username or password"),
        EasemobError::unsupported_grant_type(),
        EasemobError::user_not_found(),
        EasemobError::no_such_path(),
        EasemobError::entity_too_large(),
        EasemobError::request_timeout(),
        EasemobError::resource_limited(),
        EasemobError::file_too_large(),
        EasemobError::send(INJECTED),
        EasemobError::registration_closed(),
        EasemobError::forbidden_op(StatusCode::FORBIDDEN, INJECTED),
        EasemobError::exceed_limit(INJECTED),
        server(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_server_error",
            "java.lang.RuntimeException",
        ),
        server(
            StatusCode::SERVICE_UNAVAILABLE,
            "service_unavailable",
            "ServiceUnavailableException",
        ),
    ]
}

/// Every name a fault rule may give.
pub fn names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = catalogue().iter().map(|e| e.error).collect();
    names.dedup();
    names
}

/// The error `name` as Easemob answers it now.
pub fn answer(name: &str, req: &HttpRequest, now_ms: i64) -> Option<HttpResponse> {
    let _ = req;
    let error = catalogue().into_iter().find(|e| e.error == name)?;
    Some(error.respond(now_ms, 0))
}
