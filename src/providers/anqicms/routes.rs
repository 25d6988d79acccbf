//! AnqiCMS's route table (contract §2, §5): the user and communication-order routes under
//! `/api/`, matched as plain strings by method and path. A path (or method) the site has no
//! route for is its HTML 404 page; `OPTIONS` is the CORS preflight's 204. Every call first
//! runs the user-token middleware (see [`Call`]).

use super::call::{Answer, Call};
use super::wire::{not_found, preflight};
use super::{messages, orders, users, State};
use actix_web::http::Method;
use actix_web::{web, HttpRequest, HttpResponse};

/// Whether a first path segment belongs to AnqiCMS.
pub fn claims(first: &str) -> bool {
    first == "api"
}

/// The emulated routes.
#[derive(Clone, Copy)]
#[cfg_attr(test, derive(Debug, PartialEq, strum::EnumIter))]
pub(super) enum Route {
    Register,
    Login,
    Orders,
    CreateOrder,
    OrderDetail,
    UpdateOrder,
    AcceptOrder,
    Messages,
    SendMessage,
}

pub(super) fn route_of(method: &Method, path: &str) -> Option<Route> {
    let get = method == Method::GET;
    let post = method == Method::POST;
    Some(match path {
        "/api/register" if post => Route::Register,
        "/api/login" if post => Route::Login,
        "/api/communication/orders" if get => Route::Orders,
        "/api/communication/order/create" if post => Route::CreateOrder,
        "/api/communication/order/detail" if get => Route::OrderDetail,
        "/api/communication/order/update" if post => Route::UpdateOrder,
        "/api/communication/order/accept" if post => Route::AcceptOrder,
        "/api/communication/messages" if get => Route::Messages,
        "/api/communication/message/send" if post => Route::SendMessage,
        _ => return None,
    })
}

/// Answers a call to an AnqiCMS path of the site `tenant`, whose `/api` part starts at byte
/// `route_start` of the path.
pub async fn dispatch(
    req: HttpRequest,
    payload: web::Payload,
    tenant: &str,
    route_start: usize,
) -> HttpResponse {
    let Some(state) = req.app_data::<web::Data<State>>().cloned() else {
        return not_found();
    };
    if req.method() == Method::OPTIONS {
        return preflight(&req);
    }
    let path = req.path().get(route_start..).unwrap_or_default();
    let Some(route) = route_of(req.method(), path) else {
        return not_found();
    };
    let Some((site, fresh)) = state.tenant(tenant) else {
        return not_found();
    };
    let call = Call::new(state, req, site, fresh);
    let result = handle(route, &call, payload).await;
    call.finish(result)
}

async fn handle(route: Route, call: &Call, payload: web::Payload) -> Answer {
    match route {
        Route::Register => users::register(call, payload).await,
        Route::Login => users::login(call, payload).await,
        Route::Orders => orders::list(call),
        Route::CreateOrder => orders::create(call, payload).await,
        Route::OrderDetail => orders::detail(call),
        Route::UpdateOrder => orders::update(call, payload).await,
        Route::AcceptOrder => orders::accept(call, payload).await,
        Route::Messages => messages::list(call),
        Route::SendMessage => messages::send(call, payload).await,
    }
}
