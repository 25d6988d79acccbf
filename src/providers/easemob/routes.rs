//! Easemob's route table. Every path of two or more segments belongs to Easemob
//! (`/{org_name}/{app_name}/...`); the rest of the path and the method pick the handler here,
//! with plain string matching, so that a call costs the router no regular expression. A known
//! path called with another method answers 405, an unknown one 404, both in Easemob's envelope.

use super::account_routes::{self, AccountRoute};
use super::call::Call;
use super::chat_store::Kind;
use super::error::EasemobError;
use super::send::Audience;
use super::tenant::Target;
use super::{
    chat_joined, chats, files, history, legacy, offline, recall, rewrite, send, token, users, State,
};
use actix_web::http::header::{HeaderValue, ACCESS_CONTROL_ALLOW_ORIGIN};
use actix_web::http::Method;
use actix_web::{web, HttpRequest, HttpResponse};

/// `/{org}/{app}{rest}` split after its first two segments; `None` when the path has fewer.
pub fn split(path: &str) -> Option<(&str, &str, &str)> {
    let (org, tail) = path.strip_prefix('/')?.split_once('/')?;
    let (app, rest) = tail.find('/').map_or((tail, ""), |i| tail.split_at(i));
    (!org.is_empty() && !app.is_empty()).then_some((org, app, rest))
}

/// Whether a path belongs to Easemob.
pub fn claims(path: &str) -> bool {
    split(path).is_some()
}

/// The resources under an application.
#[derive(Clone, Copy)]
#[cfg_attr(test, derive(Debug, PartialEq, strum::EnumIter))]
pub(super) enum Route {
    Token,
    Users,
    User,
    Password,
    Legacy,
    Send(Target, Audience),
    Recall,
    Files,
    File,
    OfflineCount,
    OfflineStatus,
    History,
    HistoryFile,
    Rewrite,
    Account(AccountRoute),
    Chats(Kind),
    Joined(Kind),
    UserGroups,
}

pub(super) fn route_of(rest: &str) -> Option<Route> {
    let mut segments = [""; 5];
    let mut count = 0;
    for segment in rest.strip_prefix('/')?.split('/') {
        *segments.get_mut(count)? = segment;
        count += 1;
    }
    let (all, members) = (Audience::All, Audience::Members);
    Some(match &segments[..count] {
        ["messages", "users"] => Route::Send(Target::Users, all),
        ["messages", "chatgroups"] => Route::Send(Target::ChatGroups, all),
        ["messages", "chatrooms"] => Route::Send(Target::ChatRooms, all),
        ["messages", "chatgroups", "users"] => Route::Send(Target::ChatGroups, members),
        ["messages", "chatrooms", "users"] => Route::Send(Target::ChatRooms, members),
        ["messages"] => Route::Legacy,
        ["messages", "msg_recall"] => Route::Recall,
        ["token"] => Route::Token,
        ["users"] => Route::Users,
        ["users", user] if !user.is_empty() => Route::User,
        ["users", user, "password"] if !user.is_empty() => Route::Password,
        ["chatfiles"] => Route::Files,
        ["chatfiles", file] if !file.is_empty() => Route::File,
        ["users", user, "offline_msg_count"] if !user.is_empty() => Route::OfflineCount,
        ["users", user, "offline_msg_status", id] if !user.is_empty() && !id.is_empty() => {
            Route::OfflineStatus
        }
        ["chatmessages", time] if time.ends_with(".gz") => Route::HistoryFile,
        ["chatmessages", time] if !time.is_empty() => Route::History,
        ["messages", "rewrite", id] if !id.is_empty() => Route::Rewrite,
        ["chatgroups", "user", user] if !user.is_empty() => Route::UserGroups,
        ["chatgroups", ..] => Route::Chats(Kind::Group),
        ["chatrooms", ..] => Route::Chats(Kind::Room),
        ["users", user, "joined_chatgroups"] if !user.is_empty() => Route::Joined(Kind::Group),
        ["users", user, "joined_chatrooms"] if !user.is_empty() => Route::Joined(Kind::Room),
        other => return account_routes::route_of(other).map(Route::Account),
    })
}

/// Answers a call to an Easemob path. Every answer allows any origin, as the real service's
/// do, so that browser SDKs can call it directly.
pub async fn dispatch(req: HttpRequest, payload: web::Payload) -> HttpResponse {
    let Some(state) = req.app_data::<web::Data<State>>().cloned() else {
        return HttpResponse::InternalServerError().finish();
    };
    let mut response = route(Call::new(state, req), payload).await;
    response
        .headers_mut()
        .insert(ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    response
}

async fn route(call: Call, payload: web::Payload) -> HttpResponse {
    let Some(route) = route_of(call.rest()) else {
        return call.finish(call.tenant().and(Err(EasemobError::no_such_path())));
    };
    let method = call.req.method();
    if method == Method::OPTIONS {
        return preflight(&call.req);
    }
    match (route, method.as_str()) {
        (Route::Send(target, audience), "POST") => {
            send::send_to(call, payload, target, audience).await
        }
        (Route::Legacy, "POST") => legacy::send(call, payload).await,
        (Route::Recall, "POST") => recall::recall(call, payload).await,
        (Route::Token, "POST") => token::token(call, payload).await,
        (Route::Users, "POST") => users::register(call, payload).await,
        (Route::Users, "GET") => users::list(call).await,
        (Route::Users, "DELETE") => users::delete_many(call).await,
        (Route::User, "GET") => users::get_one(call).await,
        (Route::User, "PUT") => users::update_one(call, payload).await,
        (Route::User, "DELETE") => users::delete_one(call).await,
        (Route::Password, "PUT") => users::set_password(call, payload).await,
        (Route::Files, "POST") => files::upload(call, payload).await,
        (Route::File, "GET") => files::download(call).await,
        (Route::OfflineCount, "GET") => offline::count(call).await,
        (Route::OfflineStatus, "GET") => offline::status(call).await,
        (Route::History, "GET") => history::link(call).await,
        (Route::HistoryFile, "GET") => history::download(call).await,
        (Route::Rewrite, "PUT") => rewrite::rewrite(call, payload).await,
        (Route::Account(r), _) => account_routes::dispatch(call, payload, r).await,
        (Route::Chats(kind), _) => chats::route(call, payload, kind).await,
        (Route::Joined(kind), "GET") => chat_joined::joined(call, kind).await,
        (Route::UserGroups, "GET") => chat_joined::user_groups(call).await,
        _ => call.finish(call.tenant().and(Err(EasemobError::method_not_allowed()))),
    }
}

/// A browser's CORS preflight: every origin, method and requested header is allowed.
fn preflight(req: &HttpRequest) -> HttpResponse {
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
