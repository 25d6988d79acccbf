//! The admin and inspection API under `/_emulator`: plain JSON of the emulator's own, never a
//! provider's envelope, for every answer including refusals. Health, the message journal,
//! resets, the clock, the AnqiCMS merchant's side and Easemob deliveries, behind [`guard`]: the optional admin token, and no cross-origin or
//! non-JSON writes, so that a web page cannot change a developer's emulator.

mod callbacks;
mod client_send;
mod clock;
mod conversations;
mod delivery;
mod events;
mod faults;
mod guard;
mod health;
mod merchant;
mod messages;
pub mod openapi;
mod requests;
mod reset;
pub mod route_docs;
pub mod state;
mod tenants;
pub mod ui;

pub use health::Runtime;

use crate::core::payload::{close_after, read_capped, BodyError};
use crate::core::Core;
use crate::providers::Provider;
use actix_web::http::{header, Method, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;
use std::sync::Arc;

/// The most bytes an admin request body may have.
const BODY_CAP: usize = 64 * 1024;

/// What the admin API reaches: the core, every provider, and how the server runs.
pub struct Admin {
    core: Arc<Core>,
    providers: Vec<Arc<dyn Provider>>,
    runtime: Runtime,
    token: Option<String>,
    /// Live event subscribers now.
    subscribers: std::sync::atomic::AtomicUsize,
}

impl Admin {
    /// The admin API over `core` and `providers`; with `token`, every call must bear it.
    pub fn new(
        core: Arc<Core>,
        providers: Vec<Arc<dyn Provider>>,
        runtime: Runtime,
        token: Option<String>,
    ) -> Self {
        Self {
            core,
            providers,
            runtime,
            token,
            subscribers: Default::default(),
        }
    }

    /// The shared state.
    pub fn core(&self) -> &Core {
        &self.core
    }

    /// The provider named `name`.
    pub fn provider(&self, name: &str) -> Option<&Arc<dyn Provider>> {
        self.providers.iter().find(|p| p.name() == name)
    }
}

/// The admin resources.
#[derive(Clone, Copy)]
#[cfg_attr(test, derive(Debug, PartialEq, strum::EnumIter))]
enum Route {
    Health,
    Messages,
    Conversations,
    Thread,
    Reset,
    Clock,
    Advance,
    Merchant(u64, merchant::Action),
    Delivered,
    Tenants,
    Requests,
    Callbacks,
    Replay(u64),
    ClientSend(client_send::Client),
    Events,
    Faults,
    Fault(u64),
    OpenApi,
    State,
}

fn route_of(path: &str) -> Option<Route> {
    let rest = path.strip_prefix("/_emulator")?;
    Some(match rest.trim_end_matches('/') {
        "/health" => Route::Health,
        "/messages" => Route::Messages,
        "/conversations" => Route::Conversations,
        "/conversations/messages" => Route::Thread,
        "/reset" => Route::Reset,
        "/clock" => Route::Clock,
        "/clock/advance" => Route::Advance,
        "/tenants" => Route::Tenants,
        "/requests" => Route::Requests,
        "/callbacks" => Route::Callbacks,
        other if other.starts_with("/callbacks/") => Route::Replay(callbacks::replay_of(other)?),
        "/events" => Route::Events,
        "/faults" => Route::Faults,
        other if other.starts_with("/faults/") => Route::Fault(faults::id_of(other)?),
        "/openapi.json" => Route::OpenApi,
        "/state" => Route::State,
        other if delivery::route_of(other).is_some() => Route::Delivered,
        other if client_send::route_of(other).is_some() => {
            Route::ClientSend(client_send::route_of(other)?)
        }
        other => {
            let (id, action) = merchant::route_of(other)?;
            Route::Merchant(id, action)
        }
    })
}

/// Answers a call under `/_emulator`.
pub async fn dispatch(req: HttpRequest, payload: web::Payload) -> HttpResponse {
    if ui::owns(req.path()) {
        return ui::serve(req.method(), req.path());
    }
    let Some(admin) = req.app_data::<web::Data<Admin>>().cloned() else {
        return HttpResponse::InternalServerError().finish();
    };
    if let Some(refused) = guard::refusal(&admin, &req) {
        return refused;
    }
    let Some(route) = route_of(req.path()) else {
        return not_found(&req);
    };
    let method = req.method().clone();
    // An admin write may add messages (the merchant's, a delivery): live subscribers look.
    let writes = method != Method::GET;
    let response = match (route, method) {
        (Route::Health, Method::GET) => health::health(&admin),
        (Route::Messages, Method::GET) => messages::list(&admin, &req).await,
        (Route::Conversations, Method::GET) => conversations::list(&admin, &req),
        (Route::Thread, Method::GET) => conversations::page(&admin, &req),
        (Route::Tenants, Method::GET) => tenants::list(&admin, &req),
        (Route::Tenants, Method::POST) => match read_body(&admin, &req, payload).await {
            Ok(body) => tenants::create(&admin, &body),
            Err(refused) => refused,
        },
        (Route::Tenants, Method::DELETE) => tenants::delete(&admin, &req),
        (Route::Requests, Method::GET) => requests::list(&admin, &req).await,
        (Route::Callbacks, Method::GET) => callbacks::list(&admin, &req).await,
        (Route::Replay(id), Method::POST) => callbacks::replay(&admin, id),
        (Route::Events, Method::GET) => events::subscribe(&admin, &req),
        (Route::Faults, Method::GET) => faults::list(&admin),
        (Route::Faults, Method::POST) => match read_body(&admin, &req, payload).await {
            Ok(body) => faults::add(&admin, &body),
            Err(refused) => refused,
        },
        (Route::Faults, Method::DELETE) => faults::remove(&admin, None),
        (Route::Fault(id), Method::DELETE) => faults::remove(&admin, Some(id)),
        (Route::OpenApi, Method::GET) => openapi::serve(),
        (Route::Reset, Method::POST) => reset::reset(&admin, &req),
        (Route::State, Method::GET) => state::get(&admin),
        (Route::State, Method::PUT) => state::put(&admin, &req, payload).await,
        (Route::Clock, Method::GET) => clock::get(&admin),
        (Route::Clock, Method::PUT) => match read_body(&admin, &req, payload).await {
            Ok(body) => clock::set(&admin, &body),
            Err(refused) => refused,
        },
        (Route::Clock, Method::DELETE) => clock::unset(&admin),
        (Route::Merchant(id, action), Method::POST) => {
            match read_body(&admin, &req, payload).await {
                Ok(body) => merchant::act(&req, id, action, &body),
                Err(refused) => refused,
            }
        }
        (Route::Delivered, Method::POST) => delivery::deliver(&req),
        (Route::ClientSend(client), Method::POST) => match read_body(&admin, &req, payload).await {
            Ok(body) => client_send::send(&req, client, &body).await,
            Err(refused) => refused,
        },
        (Route::Advance, Method::POST) => match read_body(&admin, &req, payload).await {
            Ok(body) => clock::advance(&admin, &body),
            Err(refused) => refused,
        },
        (route, _) => method_not_allowed(&req, allowed(route)),
    };
    if writes {
        admin.core.requests.ring();
    }
    response
}

fn allowed(route: Route) -> &'static str {
    match route {
        Route::Health
        | Route::Messages
        | Route::Conversations
        | Route::Thread
        | Route::Requests
        | Route::Callbacks
        | Route::Events
        | Route::OpenApi => "GET",
        Route::Tenants | Route::Faults => "GET, POST, DELETE",
        Route::Fault(_) => "DELETE",
        Route::Reset
        | Route::Replay(_)
        | Route::Advance
        | Route::Merchant(..)
        | Route::Delivered
        | Route::ClientSend(_) => "POST",
        Route::Clock => "GET, PUT, DELETE",
        Route::State => "GET, PUT",
    }
}

/// The body, at most [`BODY_CAP`] bytes, read within the request timeout.
async fn read_body(
    admin: &Admin,
    req: &HttpRequest,
    payload: web::Payload,
) -> Result<web::Bytes, HttpResponse> {
    let timeout = admin.core.request_timeout;
    read_capped(req, payload, BODY_CAP, timeout)
        .await
        .map_err(|e| match e {
            BodyError::TooLarge => problem(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!("an admin request body has at most {BODY_CAP} bytes"),
            ),
            BodyError::TimedOut => close_after(problem(
                StatusCode::REQUEST_TIMEOUT,
                "request_timeout",
                "the request body did not arrive within the request timeout".into(),
            )),
            BodyError::Broken => bad_request("the request body could not be read".into()),
        })
}

#[derive(Serialize)]
struct Problem<'a> {
    error: &'a str,
    message: String,
}

/// An admin error: `{"error": kind, "message": ...}`.
pub(crate) fn problem(status: StatusCode, error: &str, message: String) -> HttpResponse {
    HttpResponse::build(status).json(Problem { error, message })
}

/// 400 for a malformed admin request.
fn bad_request(message: String) -> HttpResponse {
    problem(StatusCode::BAD_REQUEST, "bad_request", message)
}

fn not_found(req: &HttpRequest) -> HttpResponse {
    let routes = route_docs::ROUTES
        .iter()
        .map(|r| format!("{} {}", r.method, r.path));
    problem(
        StatusCode::NOT_FOUND,
        "not_found",
        format!(
            "no admin route {} {}; routes: {}",
            req.method(),
            req.path(),
            routes.collect::<Vec<_>>().join(", ")
        ),
    )
}

fn method_not_allowed(req: &HttpRequest, allow: &'static str) -> HttpResponse {
    let mut response = problem(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!(
            "{} {} is not an admin route; allowed: {allow}",
            req.method(),
            req.path()
        ),
    );
    response
        .headers_mut()
        .insert(header::ALLOW, header::HeaderValue::from_static(allow));
    response
}
