//! The Easemob (环信) REST emulator, mounted at `/{org_name}/{app_name}/...`: app and user
//! tokens, users, the message service (three send endpoints and the legacy `/messages`),
//! chat files and recall. See `contracts/easemob.md` for the behaviour it reproduces.

mod auth;
mod call;
mod error;
mod files;
mod fixtures;
mod json;
mod legacy;
mod msgid;
mod recall;
mod send;
mod tenant;
mod token;
mod user_store;
mod users;
mod validate;
mod wire;

pub use fixtures::Fixtures;

use crate::core::tenants::TenantMap;
use crate::core::Core;
use actix_web::http::Method;
use actix_web::middleware::DefaultHeaders;
use actix_web::{web, HttpRequest, HttpResponse, Route};
use call::Call;
use error::EasemobError;
use msgid::MessageIds;
use std::sync::Arc;
use tenant::Tenant;

/// The provider's name in the journal and the admin API.
pub const PROVIDER: &str = "easemob";

/// Everything the Easemob emulator keeps.
#[derive(Debug)]
pub struct State {
    pub core: Arc<Core>,
    fixtures: Fixtures,
    strict_tenants: bool,
    tenants: TenantMap<Tenant>,
    message_ids: MessageIds,
}

impl State {
    /// The emulator's state over `core`, hosting the tenants of `fixtures`; with
    /// `strict_tenants`, only those.
    pub fn new(core: Arc<Core>, fixtures: Fixtures, strict_tenants: bool) -> Self {
        let node = core.ids.rng().next_u64();
        Self {
            core,
            fixtures,
            strict_tenants,
            tenants: TenantMap::default(),
            message_ids: MessageIds::new(node),
        }
    }

    /// The tenant `org/app`, created on first use unless strict and not in the fixtures.
    fn tenant(&self, org: &str, app: &str) -> Option<Arc<Tenant>> {
        with_key(org, app, |key| {
            self.tenants.get_or_create(key, |key| {
                let settings = match self.fixtures.tenants.get(&**key) {
                    Some(settings) => settings,
                    None if self.strict_tenants => return None,
                    None => &self.fixtures.defaults,
                };
                Some(Tenant::new(&self.core, key, org, app, settings))
            })
        })
    }
}

impl crate::providers::Provider for State {
    fn name(&self) -> &'static str {
        PROVIDER
    }

    fn reset(&self, tenant: Option<&str>) {
        self.tenants.reset(tenant);
        self.core.journal.drop_partitions(Some(PROVIDER), tenant);
    }

    fn tenant_count(&self) -> usize {
        self.tenants.len()
    }
}

/// Calls `f` with `org/app`, built on the stack when it is short.
fn with_key<R>(org: &str, app: &str, f: impl FnOnce(&str) -> R) -> R {
    let len = org.len() + 1 + app.len();
    let mut buf = [0u8; 128];
    if len > buf.len() {
        return f(&format!("{org}/{app}"));
    }
    buf[..org.len()].copy_from_slice(org.as_bytes());
    buf[org.len()] = b'/';
    buf[org.len() + 1..len].copy_from_slice(app.as_bytes());
    f(std::str::from_utf8(&buf[..len]).unwrap_or_default())
}

/// Mounts the Easemob routes; register it last, since `/{org}/{app}` matches any two segments.
pub fn configure(cfg: &mut web::ServiceConfig, state: web::Data<State>) {
    cfg.service(
        web::scope("/{org}/{app}")
            .app_data(state)
            // The real service answers every origin, so browser SDKs can call it directly.
            .wrap(DefaultHeaders::new().add(("Access-Control-Allow-Origin", "*")))
            .service(resource("/token", [web::post().to(token::token)]))
            .service(resource(
                "/users",
                [
                    web::post().to(users::register),
                    web::get().to(users::list),
                    web::delete().to(users::delete_many),
                ],
            ))
            .service(resource(
                "/users/{username}",
                [
                    web::get().to(users::get_one),
                    web::put().to(users::update_one),
                    web::delete().to(users::delete_one),
                ],
            ))
            .service(resource(
                "/users/{username}/password",
                [web::put().to(users::set_password)],
            ))
            .service(resource("/messages", [web::post().to(legacy::send)]))
            .service(resource(
                "/messages/users",
                [web::post().to(send::to_users)],
            ))
            .service(resource(
                "/messages/chatgroups",
                [web::post().to(send::to_groups)],
            ))
            .service(resource(
                "/messages/chatrooms",
                [web::post().to(send::to_rooms)],
            ))
            .service(resource(
                "/messages/chatgroups/users",
                [web::post().to(send::to_group_members)],
            ))
            .service(resource(
                "/messages/chatrooms/users",
                [web::post().to(send::to_room_members)],
            ))
            .service(resource(
                "/messages/msg_recall",
                [web::post().to(recall::recall)],
            ))
            .service(resource("/chatfiles", [web::post().to(files::upload)]))
            .service(resource(
                "/chatfiles/{uuid}",
                [web::get().to(files::download)],
            ))
            .default_service(web::to(no_such_path)),
    );
}

fn resource<const N: usize>(path: &str, routes: [Route; N]) -> actix_web::Resource {
    routes
        .into_iter()
        .fold(web::resource(path), |r, route| r.route(route))
        .route(web::method(Method::OPTIONS).to(preflight))
        .default_service(web::to(method_not_allowed))
}

/// A browser's CORS preflight: every origin, method and requested header is allowed.
async fn preflight(req: HttpRequest) -> HttpResponse {
    let headers = req
        .headers()
        .get("access-control-request-headers")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("*")
        .to_owned();
    HttpResponse::Ok()
        .insert_header((
            "Access-Control-Allow-Methods",
            "GET, POST, PUT, DELETE, OPTIONS",
        ))
        .insert_header(("Access-Control-Allow-Headers", headers))
        .insert_header(("Access-Control-Max-Age", "3600"))
        .finish()
}

/// A known path called with a method it does not take: 405.
async fn method_not_allowed(call: Call) -> HttpResponse {
    call.finish(call.tenant().and(Err(EasemobError::method_not_allowed())))
}

/// A path under an application that no service answers: 404 `service_resource_not_found`.
async fn no_such_path(call: Call) -> HttpResponse {
    call.finish(call.tenant().and(Err(EasemobError::no_such_path())))
}
