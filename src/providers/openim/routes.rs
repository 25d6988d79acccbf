//! OpenIM's route table: the first path segments the real server's router has, the routes the
//! emulator answers, and gin's behaviour around them (contract §1): `OPTIONS` answers
//! `"Options Request!"`, a trailing slash on a POST route redirects with 307, anything but POST
//! is gin's plain-text 404, and a POST runs the middleware (operationID, then token) before the
//! route is looked up, so that an unknown path with good headers is also a plain-text 404.

use super::call::Call;
use super::error::OpenImError;
use super::op::Op;
use super::wire::{accepts_gzip, body, builder, go_json};
use super::{auth, groups, revoke, search, send, sync, users, State};
use actix_web::http::header::{CONTENT_TYPE, LOCATION};
use actix_web::http::{Method, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};

/// The first path segments of the real server's routes.
const SEGMENTS: [&str; 11] = [
    "auth",
    "user",
    "friend",
    "group",
    "msg",
    "conversation",
    "third",
    "object",
    "statistics",
    "jssdk",
    "prometheus_discovery",
];

/// Whether a first path segment belongs to OpenIM.
pub fn claims(first: &str) -> bool {
    SEGMENTS.contains(&first)
}

/// The emulated routes.
#[derive(Clone, Copy)]
#[cfg_attr(test, derive(Debug, PartialEq, strum::EnumIter))]
pub(super) enum Route {
    GetAdminToken,
    UserToken,
    GetUserToken,
    ParseToken,
    ForceLogout,
    UserRegister,
    GetUsersInfo,
    AccountCheck,
    CreateGroup,
    InviteUserToGroup,
    GetGroupsInfo,
    SendMsg,
    BatchSendMsg,
    GetServerTime,
    NewestSeq,
    PullMsgBySeq,
    SearchMsg,
    RevokeMsg,
    /// A route of the real server that the emulator does not answer.
    NotEmulated,
}

pub(super) fn route_of(path: &str) -> Option<Route> {
    Some(match path {
        "/auth/get_admin_token" => Route::GetAdminToken,
        "/auth/user_token" => Route::UserToken,
        "/auth/get_user_token" => Route::GetUserToken,
        "/auth/parse_token" => Route::ParseToken,
        "/auth/force_logout" => Route::ForceLogout,
        "/user/user_register" => Route::UserRegister,
        "/user/get_users_info" => Route::GetUsersInfo,
        "/user/account_check" => Route::AccountCheck,
        "/group/create_group" => Route::CreateGroup,
        "/group/invite_user_to_group" => Route::InviteUserToGroup,
        "/group/get_groups_info" => Route::GetGroupsInfo,
        "/msg/send_msg" => Route::SendMsg,
        "/msg/batch_send_msg" => Route::BatchSendMsg,
        "/msg/get_server_time" => Route::GetServerTime,
        "/msg/newest_seq" => Route::NewestSeq,
        "/msg/pull_msg_by_seq" => Route::PullMsgBySeq,
        "/msg/search_msg" => Route::SearchMsg,
        "/msg/revoke_msg" => Route::RevokeMsg,
        other if super::known::is_real_route(other) => Route::NotEmulated,
        _ => return None,
    })
}

/// Answers a call to an OpenIM path of the tenant `tenant`, whose OpenIM part starts at byte
/// `route_start` of the path.
pub async fn dispatch(
    req: HttpRequest,
    payload: web::Payload,
    tenant: &str,
    route_start: usize,
) -> HttpResponse {
    let Some(state) = req.app_data::<web::Data<State>>().cloned() else {
        return HttpResponse::InternalServerError().finish();
    };
    let path = req.path().get(route_start..).unwrap_or_default().to_owned();
    let gzip = accepts_gzip(&req);
    if req.method() == Method::OPTIONS {
        return body(builder(StatusCode::OK), go_json("Options Request!"), gzip);
    }
    if req.method() != Method::POST {
        return page_not_found(gzip);
    }
    let slashed = path.len() > 1 && path.ends_with('/');
    if slashed && route_of(&path).is_none() && route_of(path.trim_end_matches('/')).is_some() {
        return redirect(&req);
    }
    let call = Call::new(state, req, tenant, route_start);
    match answer(&call, &path, payload).await {
        Some(result) => call.finish(result),
        None => page_not_found(gzip),
    }
}

/// The middleware's checks, then the route's handler; `None` for a path (or tenant) the
/// server does not have.
async fn answer(
    call: &Call,
    path: &str,
    payload: web::Payload,
) -> Option<Result<HttpResponse, OpenImError>> {
    if let Err(e) = call.operation_id() {
        return Some(Err(e));
    }
    let tenant = call.tenant()?;
    let me = match call.token(&tenant) {
        Ok(me) => me,
        Err(e) => return Some(Err(e)),
    };
    let route = route_of(path)?;
    let op = Op { call, tenant, me };
    Some(handle(route, op, payload).await)
}

async fn handle(
    route: Route,
    op: Op<'_>,
    payload: web::Payload,
) -> Result<HttpResponse, OpenImError> {
    match route {
        Route::GetAdminToken => auth::get_admin_token(op, payload).await,
        Route::UserToken => auth::user_token(op, payload).await,
        Route::GetUserToken => auth::get_user_token(op, payload).await,
        Route::ParseToken => auth::parse_token(op, payload).await,
        Route::ForceLogout => auth::force_logout(op, payload).await,
        Route::UserRegister => users::register(op, payload).await,
        Route::GetUsersInfo => users::get_users_info(op, payload).await,
        Route::AccountCheck => users::account_check(op, payload).await,
        Route::CreateGroup => groups::create_group(op, payload).await,
        Route::InviteUserToGroup => groups::invite(op, payload).await,
        Route::GetGroupsInfo => groups::get_groups_info(op, payload).await,
        Route::SendMsg => send::send_msg(op, payload).await,
        Route::BatchSendMsg => send::batch_send_msg(op, payload).await,
        Route::GetServerTime => sync::get_server_time(op, payload).await,
        Route::NewestSeq => sync::newest_seq(op, payload).await,
        Route::PullMsgBySeq => sync::pull_msg_by_seq(op, payload).await,
        Route::SearchMsg => search::search_msg(op, payload).await,
        Route::RevokeMsg => revoke::revoke_msg(op, payload).await,
        Route::NotEmulated => Err(OpenImError::internal(format!(
            "im-emulator does not emulate POST {}",
            op.call.route()
        ))),
    }
}

/// gin's answer to a path it has no route for (gzipped by the middleware too).
fn page_not_found(gzip: bool) -> HttpResponse {
    let mut response = builder(StatusCode::NOT_FOUND);
    response.insert_header((CONTENT_TYPE, "text/plain"));
    body(response, b"404 page not found".to_vec(), gzip)
}

/// gin's redirect of a POST path with a trailing slash to the path without it.
fn redirect(req: &HttpRequest) -> HttpResponse {
    let mut location = req.path().trim_end_matches('/').to_owned();
    if !req.query_string().is_empty() {
        location.push('?');
        location.push_str(req.query_string());
    }
    HttpResponse::TemporaryRedirect()
        .insert_header((LOCATION, location))
        .finish()
}
