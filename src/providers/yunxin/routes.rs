//! Yunxin's route table (contract §1): the API root `/im/v2/` or `/im/v2.1/`, either one
//! under an optional `/nimserver` (where the official SDKs put it), then the resource path,
//! matched as plain strings after percent-decoding (real clients send `|` as `%7C`). The route
//! is looked up first (an unknown one is Yunxin's 404), then the call is authenticated, then
//! the route's handler runs.

use super::call::{Answer, Call};
use super::error::YunxinError;
use super::{accounts, contacts, history, send, team_members, teams, State};
use crate::core::path;
use actix_web::http::Method;
use actix_web::{web, HttpRequest, HttpResponse};

/// Whether a first path segment belongs to Yunxin.
pub fn claims(first: &str) -> bool {
    first == "im" || first == "nimserver"
}

/// The emulated routes, with their path parameters (percent-decoded).
#[cfg_attr(test, derive(strum::EnumDiscriminants))]
#[cfg_attr(test, strum_discriminants(derive(strum::EnumIter)))]
pub(super) enum Route<'a> {
    CreateAccount,
    GetAccounts,
    GetAccount(&'a str),
    UpdateAccount(&'a str),
    RefreshToken(&'a str),
    Disable(&'a str),
    AddBlock,
    RemoveBlock(&'a str),
    AddFriend,
    CreateTeam,
    GetTeam(&'a str),
    UpdateTeam(&'a str),
    AddManagers(&'a str),
    InviteMembers,
    MuteMembers,
    ListMembers(&'a str),
    BatchQuery(&'a str),
    BatchSend,
    Send(&'a str),
    History(&'a str),
    Clear(&'a str),
    GetMessage(&'a str, &'a str),
    DeleteMessage(&'a str, &'a str),
}

/// The resource path under the API root: `accounts/alice` of `/nimserver/im/v2/accounts/alice`.
pub(super) fn resource(path: &str) -> Option<&str> {
    let path = path.strip_prefix("/nimserver").unwrap_or(path);
    (path.strip_prefix("/im/v2/")).or_else(|| path.strip_prefix("/im/v2.1/"))
}

pub(super) fn route_of<'a>(method: &Method, resource: &'a str) -> Option<Route<'a>> {
    let mut parts = [""; 6];
    let mut count = 0;
    for part in resource.split('/') {
        *parts.get_mut(count)? = part;
        count += 1;
    }
    let m = method.as_str();
    Some(match (m, &parts[..count]) {
        ("POST", ["accounts"]) => Route::CreateAccount,
        ("GET", ["accounts"]) => Route::GetAccounts,
        ("GET", ["accounts", id]) => Route::GetAccount(id),
        ("PATCH", ["accounts", id]) => Route::UpdateAccount(id),
        ("PATCH", ["accounts", id, "actions", "refresh_token"]) => Route::RefreshToken(id),
        ("PATCH", ["accounts", id, "actions", "disable"]) => Route::Disable(id),
        ("POST", ["block_contacts"]) => Route::AddBlock,
        ("DELETE", ["block_contacts", id]) => Route::RemoveBlock(id),
        ("POST", ["friends"]) => Route::AddFriend,
        ("POST", ["teams"]) => Route::CreateTeam,
        ("GET", ["teams", id]) => Route::GetTeam(id),
        ("PATCH", ["teams", id]) => Route::UpdateTeam(id),
        ("POST", ["teams", id, "actions", "add_manager"]) => Route::AddManagers(id),
        ("POST", ["team_members"]) => Route::InviteMembers,
        ("PATCH", ["team_members", "actions", "batch_mute"]) => Route::MuteMembers,
        ("GET", ["teams", id, "actions", "list_members"]) => Route::ListMembers(id),
        ("POST", ["conversations", cid, "batch_messages"]) => Route::BatchQuery(cid),
        ("POST", ["conversations", "messages"]) => Route::BatchSend,
        ("POST", ["conversations", cid, "messages"]) => Route::Send(cid),
        ("GET", ["conversations", cid, "messages"]) => Route::History(cid),
        ("DELETE", ["conversations", cid, "messages"]) => Route::Clear(cid),
        ("GET", ["conversations", cid, "messages", id]) => Route::GetMessage(cid, id),
        ("DELETE", ["conversations", cid, "messages", id]) => Route::DeleteMessage(cid, id),
        _ => return None,
    })
}

/// Answers a call to a Yunxin path.
pub async fn dispatch(req: HttpRequest, payload: web::Payload) -> HttpResponse {
    let Some(state) = req.app_data::<web::Data<State>>().cloned() else {
        return YunxinError::NOT_FOUND.respond();
    };
    // The request is shared (reference-counted): the route borrows the path of this handle.
    let head = req.clone();
    let decoded = path::decode(head.path());
    let Some(route) = resource(&decoded).and_then(|r| route_of(head.method(), r)) else {
        return YunxinError::NOT_FOUND.respond();
    };
    let call = match Call::authenticate(state, req) {
        Ok(call) => call,
        Err(e) => return e.respond(),
    };
    let result = handle(route, &call, payload).await;
    call.finish(result)
}

async fn handle(route: Route<'_>, call: &Call, payload: web::Payload) -> Answer {
    match route {
        Route::CreateAccount => accounts::create(call, payload).await,
        Route::GetAccounts => accounts::get_many(call),
        Route::GetAccount(id) => accounts::get(call, id),
        Route::UpdateAccount(id) => accounts::update(call, id, payload).await,
        Route::RefreshToken(id) => accounts::refresh_token(call, id),
        Route::Disable(id) => accounts::disable(call, id, payload).await,
        Route::AddBlock => contacts::block(call, payload).await,
        Route::RemoveBlock(id) => contacts::unblock(call, id),
        Route::AddFriend => contacts::befriend(call, payload).await,
        Route::CreateTeam => teams::create(call, payload).await,
        Route::GetTeam(id) => teams::get(call, id),
        Route::UpdateTeam(id) => teams::update(call, id, payload).await,
        Route::AddManagers(id) => teams::add_managers(call, id, payload).await,
        Route::InviteMembers => team_members::invite(call, payload).await,
        Route::MuteMembers => team_members::mute(call, payload).await,
        Route::ListMembers(id) => team_members::list(call, id),
        Route::BatchQuery(cid) => history::batch_query(call, cid, payload).await,
        Route::BatchSend => send::batch_send(call, payload).await,
        Route::Send(cid) => send::send(call, cid, payload).await,
        Route::History(cid) => history::list(call, cid),
        Route::Clear(cid) => history::clear(call, cid),
        Route::GetMessage(cid, id) => history::get(call, cid, id),
        Route::DeleteMessage(cid, id) => history::delete(call, cid, id),
    }
}
