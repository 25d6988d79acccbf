//! The errors a fault rule may answer an OpenIM call with, by `errMsg` name
//! (`TokenExpiredError`) or code (`1501`).

use super::error::OpenImError;
use super::wire::accepts_gzip;
use actix_web::{HttpRequest, HttpResponse};

/// One answer per name.
fn catalogue() -> Vec<OpenImError> {
    const INJECTED: &str = "injected by an /_emulator/faults rule";
    vec![
        OpenImError::args(INJECTED),
        OpenImError::no_permission(INJECTED),
        OpenImError::not_found(INJECTED),
        OpenImError::user_id_not_found(INJECTED),
        OpenImError::registered_already(),
        OpenImError::not_in_group(),
        OpenImError::dismissed(INJECTED),
        OpenImError::already_revoked(),
        OpenImError::token_expired(),
        OpenImError::token_malformed(),
        OpenImError::token_not_valid_yet(),
        OpenImError::token_kicked(),
        OpenImError::token_not_exist(),
        OpenImError::internal(INJECTED),
    ]
}

/// Every name a fault rule may give.
pub fn names() -> Vec<&'static str> {
    vec![
        "ArgsError",
        "NoPermissionError",
        "RecordNotFoundError",
        "UserIDNotFoundError",
        "RegisteredAlreadyError",
        "NotInGroupYetError",
        "DismissedAlreadyError",
        "MsgAlreadyRevoke",
        "TokenExpiredError",
        "TokenMalformedError",
        "TokenNotValidYetError",
        "TokenKickedError",
        "TokenNotExistError",
        "ServerInternalError",
    ]
}

/// The error `name` (or code) as OpenIM answers it.
pub fn answer(name: &str, req: &HttpRequest) -> Option<HttpResponse> {
    let error = catalogue()
        .into_iter()
        .find(|e| e.msg == name || e.code.to_string() == name)?;
    Some(error.respond(accepts_gzip(req)))
}
