//! The errors a fault rule may answer an AnqiCMS call with, by code: `-1` (a failure) and
//! `1001` (login required, in the request's language).

use super::error::AnqiError;
use super::locale;
use actix_web::{HttpRequest, HttpResponse};

/// Every name a fault rule may give.
pub const NAMES: &[&str] = &["-1", "1001"];

/// The error `name` as AnqiCMS answers `req`.
pub fn answer(name: &str, req: &HttpRequest) -> Option<HttpResponse> {
    let error = match name {
        "-1" => AnqiError::failed("injected by an /_emulator/faults rule"),
        "1001" => AnqiError::no_login(locale::login_required(req, None, None)),
        _ => return None,
    };
    Some(error.respond())
}
