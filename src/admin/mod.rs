//! The admin and inspection API under `/_emulator`: plain JSON of the emulator's own, never a
//! provider's envelope. Health, the message journal, resets and the clock.

mod clock;
mod health;
mod messages;
mod reset;

use crate::core::Core;
use crate::providers::Provider;
use actix_web::{http::StatusCode, web, HttpResponse};
use serde::Serialize;
use std::sync::Arc;

/// What the admin API reaches: the core and every provider.
pub struct Admin {
    core: Arc<Core>,
    providers: Vec<Arc<dyn Provider>>,
}

impl Admin {
    /// The admin API over `core` and `providers`.
    pub fn new(core: Arc<Core>, providers: Vec<Arc<dyn Provider>>) -> Self {
        Self { core, providers }
    }
}

/// Mounts `/_emulator`; register it first.
pub fn configure(cfg: &mut web::ServiceConfig, admin: web::Data<Admin>) {
    cfg.service(
        web::scope("/_emulator")
            .app_data(admin)
            .route("/health", web::get().to(health::health))
            .route("/messages", web::get().to(messages::list))
            .route("/reset", web::post().to(reset::reset))
            .service(
                web::resource("/clock")
                    .route(web::get().to(clock::get))
                    .route(web::put().to(clock::set))
                    .route(web::delete().to(clock::unset)),
            )
            .route("/clock/advance", web::post().to(clock::advance))
            .default_service(web::to(not_found)),
    );
}

#[derive(Serialize)]
struct Problem<'a> {
    error: &'a str,
    message: String,
}

/// An admin error: `{"error": kind, "message": ...}`.
fn problem(status: StatusCode, error: &str, message: String) -> HttpResponse {
    HttpResponse::build(status).json(Problem { error, message })
}

/// 400 for a malformed admin request.
fn bad_request(message: String) -> HttpResponse {
    problem(StatusCode::BAD_REQUEST, "bad_request", message)
}

async fn not_found(req: actix_web::HttpRequest) -> HttpResponse {
    problem(
        StatusCode::NOT_FOUND,
        "not_found",
        format!(
            "no admin route {} {}; routes: GET /_emulator/health, GET /_emulator/messages, \
             POST /_emulator/reset, GET|PUT|DELETE /_emulator/clock, POST /_emulator/clock/advance",
            req.method(),
            req.path()
        ),
    )
}
