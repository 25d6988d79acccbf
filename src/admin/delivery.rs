//! `POST /_emulator/easemob/{org}/{app}/users/{username}/delivered`: the Easemob user comes
//! online, as far as the offline-message routes can tell. The emulator has no client
//! connections, so every one-to-one message to a user stays undelivered (counted by
//! `offline_msg_count`, `undelivered` in `offline_msg_status`) until this marks all messages
//! delivered to the user so far as delivered. Answers `{"tenant", "user", "delivered": N}`,
//! N the messages that were undelivered; 404 for a tenant the emulator does not hold.

use super::problem;
use crate::core::path;
use crate::providers::easemob;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

/// `org`, `app` and `username` of a path under `/easemob/`, percent-decoded.
pub fn route_of(rest: &str) -> Option<(String, String, String)> {
    let rest = path::decode(rest.strip_prefix("/easemob/")?);
    let mut parts = rest.split('/');
    match (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) {
        (Some(org), Some(app), Some("users"), Some(user), Some("delivered"))
            if parts.next().is_none() && ![org, app, user].contains(&"") =>
        {
            Some((org.into(), app.into(), user.into()))
        }
        _ => None,
    }
}

#[derive(Serialize)]
struct Delivered<'a> {
    tenant: String,
    user: &'a str,
    delivered: usize,
}

/// Marks the messages to the user of the path delivered.
pub fn deliver(req: &HttpRequest) -> HttpResponse {
    let Some((org, app, user)) = req.path().strip_prefix("/_emulator").and_then(route_of) else {
        return problem(StatusCode::NOT_FOUND, "not_found", "no such route".into());
    };
    let Some(state) = req.app_data::<web::Data<easemob::State>>() else {
        return problem(
            StatusCode::NOT_FOUND,
            "not_found",
            "Easemob is not mounted".into(),
        );
    };
    match state.mark_delivered(&org, &app, &user) {
        Some(delivered) => HttpResponse::Ok().json(Delivered {
            tenant: format!("{org}/{app}"),
            user: &user,
            delivered,
        }),
        None => problem(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("the emulator holds no Easemob tenant {org}/{app}"),
        ),
    }
}
