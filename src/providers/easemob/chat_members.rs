//! The people of a group or chat room (`group_member.md`, `chatroom_member.md`, `chatroom_manage.md`):
//! members (list, add one or many, remove one or many), admins, owner transfer, mutes and
//! "mute all", and the rule that a muted member cannot send (`group_member.md` 管理禁言).

use super::call::Call;
use super::chat_store::{Chat, Kind};
use super::chats::{
    app_call, body_call, existing_user, find, forbidden_status, joined_too_many, members_too_many,
    meta, page_of, reply, Paging,
};
use super::error::EasemobError;
use super::tenant::{Target, Tenant};
use super::wire::query_params;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};
use std::borrow::Cow;

/// The data keys naming the group or room in member answers: `groupid` or `id`.
fn id_key(kind: Kind) -> &'static str {
    match kind {
        Kind::Group => "groupid",
        Kind::Room => "id",
    }
}

/// `forbidden_op` with the kind's status.
fn forbidden(kind: Kind, text: impl Into<Cow<'static, str>>) -> EasemobError {
    EasemobError::forbidden_op(forbidden_status(kind), text)
}

fn not_members(kind: Kind, users: &[&str]) -> EasemobError {
    forbidden(
        kind,
        format!(
            "users [{}] are not members of this group!",
            users.join(", ")
        ),
    )
}

fn on_owner(kind: Kind) -> EasemobError {
    forbidden(kind, "forbidden operation on group owner!")
}

/// A user already in the group or room: 403 for groups, 400 for rooms
/// (`chatroom_member.md`: "已经在聊天室中 ... 返回错误码 400").
fn already_in(kind: Kind, user: &str, id: u64) -> EasemobError {
    forbidden(
        kind,
        format!("can not join this group, reason:user: {user} already in group: {id}\n"),
    )
}

/// The users of a path segment `u1,u2,...`, at most `max` (0: no bound) or `too_many`.
fn path_users(
    users: &str,
    max: u32,
    too_many: impl FnOnce() -> EasemobError,
) -> Result<Vec<&str>, EasemobError> {
    let list: Vec<&str> = users
        .split(',')
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .collect();
    if max > 0 && list.len() > max as usize {
        return Err(too_many());
    }
    Ok(list)
}

/// Changes `chat` in the store with `f`, keeping the tenant; the joined limit is at hand.
fn change<T>(
    call: &Call,
    kind: Kind,
    chat: &Chat,
    f: impl FnOnce(&mut Chat, &dyn Fn(&str) -> bool) -> Result<T, EasemobError>,
) -> Result<(std::sync::Arc<Tenant>, T), EasemobError> {
    let tenant = call.keep()?;
    let limits = kind.limits(&tenant.settings.limits);
    let id = chat.id.to_string();
    let result = tenant
        .chats(kind)
        .update(chat.id, f, &limits)
        .map_err(|_| EasemobError::group_not_found(&id))??;
    Ok((tenant, result))
}

// ------------------------------------------------------------------------------------------
// Members

/// `GET /{kind}/{id}/users?pagenum=&pagesize=`: the owner first, then the members.
pub fn list(call: &Call, kind: Kind, id: &str) -> Result<HttpResponse, EasemobError> {
    let tenant = app_call(call, kind)?;
    let chat = find(&tenant, kind, id).map_err(|_| EasemobError::group_not_found_service(id))?;
    let params = query_params(call);
    let all: Vec<Value> = std::iter::once(json!({ "owner": chat.owner }))
        .chain(chat.members.iter().map(|m| json!({ "member": m })))
        .collect();
    let paging = Paging {
        all: 1000,
        size: 1000,
        max: 1000,
    };
    let page = page_of(&params, all.len(), paging);
    let data = &all[page];
    let mut meta = meta(call, &tenant, "get", kind);
    meta.uri = call.app_uri() + call.rest();
    let extra = super::wire::Extra {
        params: Some(params),
        count: Some(data.len()),
        data: Some(data),
        data_first: true,
        cursor: None,
    };
    Ok(meta.entities([(); 0], extra))
}

/// `POST /{kind}/{id}/users/{username}`.
pub fn add_one(
    call: &Call,
    kind: Kind,
    id: &str,
    user: &str,
) -> Result<HttpResponse, EasemobError> {
    let tenant = app_call(call, kind)?;
    let chat = find(&tenant, kind, id)?;
    let (user, _) = existing_user(&tenant, user)?;
    let (tenant, ()) = change(call, kind, &chat, |c, full| {
        if c.has(&user) {
            return Err(already_in(kind, &user, c.id));
        }
        if c.count() >= c.maxusers as usize {
            return Err(members_too_many());
        }
        if full(&user) {
            return Err(join_refused(kind, &user));
        }
        c.members.push(user.clone());
        Ok(())
    })?;
    let data = json!({
        "result": true, "action": "add_member", id_key(kind): chat.id.to_string(), "user": user,
    });
    Ok(reply(&meta(call, &tenant, "post", kind), data, None))
}

/// A user who has joined as many groups or rooms as allowed.
fn join_refused(kind: Kind, user: &str) -> EasemobError {
    match kind {
        Kind::Group => joined_too_many(kind, user),
        Kind::Room => EasemobError::forbidden_op(
            StatusCode::FORBIDDEN,
            format!("can not join this group, reason:user {user} has joined too many chatrooms!"),
        ),
    }
}

#[derive(Deserialize)]
struct Usernames {
    usernames: Option<Vec<String>>,
    #[serde(default, deserialize_with = "super::json::lenient_i64")]
    mute_duration: Option<i64>,
}

/// The `usernames` of a batch body: 400 when absent or empty.
fn usernames(list: Option<Vec<String>>) -> Result<Vec<String>, EasemobError> {
    list.filter(|l| !l.is_empty())
        .ok_or_else(|| EasemobError::invalid_parameter("usernames must be provided"))
}

/// `POST /{kind}/{id}/users` with `{"usernames": [...]}` (at most 60).
pub async fn add_many(
    call: &Call,
    payload: web::Payload,
    kind: Kind,
    id: &str,
) -> Result<HttpResponse, EasemobError> {
    let (tenant, request, chat): (_, Usernames, _) = body_call(call, payload, kind, id).await?;
    let names = usernames(request.usernames)?;
    let max = kind.limits(&tenant.settings.limits).max_batch;
    if max > 0 && names.len() > max as usize {
        return Err(match kind {
            Kind::Group => members_too_many(),
            Kind::Room => EasemobError::invalid_parameter(format!(
                "addMembers: addMembers number more than maxSize : {max}"
            )),
        });
    }
    let mut users: Vec<Box<str>> = Vec::with_capacity(names.len());
    for name in &names {
        let (user, _) = existing_user(&tenant, name)?;
        if !users.contains(&user) {
            users.push(user);
        }
    }
    let (tenant, added) = change(call, kind, &chat, |c, full| {
        let added: Vec<Box<str>> = users.iter().filter(|u| !c.has(u)).cloned().collect();
        if added.is_empty() {
            return Err(already_in(kind, &users[0], c.id));
        }
        if c.count() + added.len() > c.maxusers as usize {
            return Err(members_too_many());
        }
        if let Some(user) = added.iter().find(|u| full(u)) {
            return Err(join_refused(kind, user));
        }
        c.members.extend(added.iter().cloned());
        Ok(added)
    })?;
    let data = json!({
        "newmembers": added, "action": "add_member", id_key(kind): chat.id.to_string(),
    });
    Ok(reply(&meta(call, &tenant, "post", kind), data, None))
}

/// `DELETE /{kind}/{id}/users/{username}` and `/users/{u1},{u2},...` (at most 60).
pub fn remove(
    call: &Call,
    kind: Kind,
    id: &str,
    users: &str,
) -> Result<HttpResponse, EasemobError> {
    let tenant = app_call(call, kind)?;
    let chat = find(&tenant, kind, id)?;
    let max = kind.limits(&tenant.settings.limits).max_batch;
    let batch = users.contains(',');
    let list = path_users(users, max, || {
        EasemobError::invalid_parameter(format!(
            "kickMember: kickMembers number more than maxSize : {max}"
        ))
    })?;
    let list: Vec<String> = list.iter().map(|u| u.to_ascii_lowercase()).collect();
    if list.iter().any(|u| *u == *chat.owner) {
        return Err(on_owner(kind));
    }
    if !batch && kind == Kind::Room {
        existing_user(&tenant, users)?;
    }
    let outside: Vec<&str> = list
        .iter()
        .map(String::as_str)
        .filter(|u| !chat.is_member(u))
        .collect();
    if outside.len() == list.len() {
        return Err(not_members(kind, &outside));
    }
    let (tenant, ()) = change(call, kind, &chat, |c, _| {
        list.iter().for_each(|u| c.drop_member(u));
        Ok(())
    })?;
    let key = id_key(kind);
    let id = chat.id.to_string();
    let entry = |user: &str| {
        let mut e = json!({"result": true, "action": "remove_member", "user": user, key: id});
        if outside.contains(&user) {
            let reason = match tenant.users.get(user) {
                None => format!("user {user} doesn't exist."),
                Some(_) => format!("user: {user} doesn't exist in group: {id}"),
            };
            e["result"] = Value::Bool(false);
            e["reason"] = Value::from(reason);
        }
        e
    };
    let data = if batch {
        Value::Array(list.iter().map(|u| entry(u)).collect())
    } else {
        entry(&list[0])
    };
    Ok(reply(&meta(call, &tenant, "delete", kind), data, None))
}

// ------------------------------------------------------------------------------------------
// Admins and owner

/// `GET /{kind}/{id}/admin`.
pub fn admins(call: &Call, kind: Kind, id: &str) -> Result<HttpResponse, EasemobError> {
    let tenant = app_call(call, kind)?;
    let chat = find(&tenant, kind, id)?;
    let meta = meta(call, &tenant, "get", kind);
    Ok(reply(&meta, &chat.admins, Some(chat.admins.len())))
}

#[derive(Deserialize)]
struct NewAdmin {
    newadmin: Option<String>,
}

/// `POST /{kind}/{id}/admin` with `{"newadmin": ...}`: a member becomes an admin (99 at most).
pub async fn add_admin(
    call: &Call,
    payload: web::Payload,
    kind: Kind,
    id: &str,
) -> Result<HttpResponse, EasemobError> {
    let (tenant, request, chat): (_, NewAdmin, _) = body_call(call, payload, kind, id).await?;
    let name = request
        .newadmin
        .filter(|n| !n.is_empty())
        .ok_or_else(|| EasemobError::invalid_parameter("newadmin must be provided"))?;
    let (user, _) = existing_user(&tenant, &name).map_err(|e| match kind {
        Kind::Group => EasemobError::not_in_group(&name, id),
        Kind::Room => e,
    })?;
    let max = kind.limits(&tenant.settings.limits).max_admins as usize;
    let (tenant, ()) = change(call, kind, &chat, |c, _| {
        if *c.owner == *user {
            return Err(on_owner(kind));
        }
        if !c.is_member(&user) {
            return Err(EasemobError::not_in_group(&user, &c.id.to_string()));
        }
        if c.is_admin(&user) {
            return Err(forbidden(
                kind,
                format!("user: {user} is already admin of group: {}", c.id),
            ));
        }
        if max > 0 && c.admins.len() >= max {
            return Err(EasemobError::exceed_limit(format!(
                "admin size is greater than max admin size : {max}"
            )));
        }
        c.admins.push(user.clone());
        Ok(())
    })?;
    let data = json!({ "result": "success", "newadmin": user });
    Ok(reply(&meta(call, &tenant, "post", kind), data, None))
}

/// `DELETE /{kind}/{id}/admin/{username}`.
pub fn remove_admin(
    call: &Call,
    kind: Kind,
    id: &str,
    user: &str,
) -> Result<HttpResponse, EasemobError> {
    let tenant = app_call(call, kind)?;
    let chat = find(&tenant, kind, id)?;
    let (user, _) = existing_user(&tenant, user)?;
    if !chat.is_admin(&user) {
        return Err(forbidden(
            kind,
            format!("user:{user} is not admin of group:{}", chat.id),
        ));
    }
    let (tenant, ()) = change(call, kind, &chat, |c, _| {
        c.admins.retain(|a| **a != *user);
        Ok(())
    })?;
    let data = json!({ "result": "success", "oldadmin": user });
    Ok(reply(&meta(call, &tenant, "delete", kind), data, None))
}

/// `PUT /{kind}/{id}` with `{"newowner": ...}`: a member becomes the owner and the owner a
/// member.
pub fn transfer(
    call: &Call,
    tenant: &Tenant,
    kind: Kind,
    chat: Chat,
    newowner: &Value,
) -> Result<HttpResponse, EasemobError> {
    let name = newowner
        .as_str()
        .filter(|n| !n.is_empty())
        .ok_or_else(|| EasemobError::invalid_parameter("newowner must be provided"))?;
    let id = chat.id.to_string();
    let same = || {
        EasemobError::forbidden_op(
            StatusCode::FORBIDDEN,
            "new owner and old owner are the same",
        )
    };
    if name.eq_ignore_ascii_case(&chat.owner) {
        return Err(same());
    }
    let (user, uuid) = existing_user(tenant, name).map_err(|e| match kind {
        Kind::Group => EasemobError::forbidden_op(
            StatusCode::FORBIDDEN,
            format!("user: {name} doesn't exist in group: {id}"),
        ),
        Kind::Room => e,
    })?;
    let now = call.now_ms;
    let (tenant, ()) = change(call, kind, &chat, |c, _| {
        if !c.is_member(&user) {
            let text = format!("user: {user} doesn't exist in group: {}", c.id);
            return Err(EasemobError::forbidden_op(StatusCode::FORBIDDEN, text));
        }
        c.drop_member(&user);
        let old = std::mem::replace(&mut c.owner, user.clone());
        c.members.push(old);
        c.owner_uuid = uuid;
        c.modified = now;
        Ok(())
    })?;
    Ok(reply(
        &meta(call, &tenant, "put", kind),
        json!({ "newowner": true }),
        None,
    ))
}

// ------------------------------------------------------------------------------------------
// Mutes

/// `GET /{kind}/{id}/mute`: the mutes in force.
pub fn mutes(call: &Call, kind: Kind, id: &str) -> Result<HttpResponse, EasemobError> {
    let tenant = app_call(call, kind)?;
    let chat = find(&tenant, kind, id)?;
    let data: Vec<Value> = chat
        .mutes_at(call.now_ms)
        .map(|(user, expire)| json!({ "expire": expire, "user": user }))
        .collect();
    Ok(reply(&meta(call, &tenant, "get", kind), data, None))
}

/// `POST /{kind}/{id}/mute` with `{"usernames": [...], "mute_duration": ms}` (-1: for ever).
pub async fn mute(
    call: &Call,
    payload: web::Payload,
    kind: Kind,
    id: &str,
) -> Result<HttpResponse, EasemobError> {
    let (tenant, request, chat): (_, Usernames, _) = body_call(call, payload, kind, id).await?;
    let names = usernames(request.usernames)?;
    let duration = request
        .mute_duration
        .ok_or_else(|| EasemobError::invalid_parameter("mute_duration must be provided"))?;
    if duration == 0 || duration < -1 {
        return Err(EasemobError::invalid_parameter("mute_duration is invalid"));
    }
    let max = kind.limits(&tenant.settings.limits).max_batch;
    if max > 0 && names.len() > max as usize {
        return Err(EasemobError::invalid_parameter(format!(
            "userNames size is more than max limit : {max}"
        )));
    }
    let users: Vec<String> = names.iter().map(|n| n.to_ascii_lowercase()).collect();
    if users.iter().any(|u| *u == *chat.owner) {
        return Err(on_owner(kind));
    }
    let outside: Vec<&str> = users
        .iter()
        .map(String::as_str)
        .filter(|u| !chat.is_member(u))
        .collect();
    if !outside.is_empty() {
        return Err(not_members(kind, &outside));
    }
    let expire = if duration < 0 {
        -1
    } else {
        call.now_ms.saturating_add(duration)
    };
    let (tenant, ()) = change(call, kind, &chat, |c, _| {
        // Checked again on the stored group: a member may have left since.
        if let Some(gone) = users.iter().find(|u| !c.is_member(u)) {
            return Err(not_members(kind, &[gone.as_str()]));
        }
        for user in &users {
            c.mutes.retain(|(m, _)| **m != **user);
            c.mutes.push((user.as_str().into(), expire));
        }
        Ok(())
    })?;
    let data: Vec<Value> = users
        .iter()
        .map(|u| json!({ "result": true, "expire": expire, "user": u }))
        .collect();
    Ok(reply(&meta(call, &tenant, "post", kind), data, None))
}

/// `DELETE /{kind}/{id}/mute/{u1},{u2},...` (at most 60).
pub fn unmute(
    call: &Call,
    kind: Kind,
    id: &str,
    users: &str,
) -> Result<HttpResponse, EasemobError> {
    let tenant = app_call(call, kind)?;
    let chat = find(&tenant, kind, id)?;
    let max = kind.limits(&tenant.settings.limits).max_batch;
    let list = path_users(users, max, || {
        EasemobError::invalid_parameter(format!(
            "removeMute member size more than max limit : {max}"
        ))
    })?;
    let list: Vec<String> = list.iter().map(|u| u.to_ascii_lowercase()).collect();
    let (tenant, ()) = change(call, kind, &chat, |c, _| {
        c.mutes.retain(|(m, _)| !list.iter().any(|u| **u == **m));
        Ok(())
    })?;
    let data: Vec<Value> = list
        .iter()
        .map(|u| json!({ "result": true, "user": u }))
        .collect();
    Ok(reply(&meta(call, &tenant, "delete", kind), data, None))
}

/// `POST /{kind}/{id}/ban` (on) and `DELETE /{kind}/{id}/ban` (off): every member muted but
/// the owner and the admins.
pub fn mute_all(call: &Call, kind: Kind, id: &str, on: bool) -> Result<HttpResponse, EasemobError> {
    let tenant = app_call(call, kind)?;
    let chat = find(&tenant, kind, id)?;
    let (tenant, ()) = change(call, kind, &chat, |c, _| {
        c.mute_all = on;
        Ok(())
    })?;
    let action = if on { "post" } else { "delete" };
    Ok(reply(
        &meta(call, &tenant, action, kind),
        json!({ "mute": on }),
        None,
    ))
}

/// `POST /chatgroups/{id}/disable` (`on`) and `/enable`: bans the group or lifts the ban
/// (`group_manage.md` 封禁群组).
pub fn disable(call: &Call, id: &str, on: bool) -> Result<HttpResponse, EasemobError> {
    let kind = Kind::Group;
    let tenant = app_call(call, kind)?;
    let chat = find(&tenant, kind, id)?;
    let (tenant, ()) = change(call, kind, &chat, |c, _| {
        c.disabled = on;
        Ok(())
    })?;
    let data = json!({ "disabled": on });
    Ok(reply(&meta(call, &tenant, "post", kind), data, None))
}

/// Refuses a group or room message from a sender muted in one of the groups or rooms it
/// goes to (`group_member.md`: a muted member cannot send in the group), or to a disabled
/// group (`group_manage.md`: nobody sends in a banned group). Ids that name no
/// group or room, and senders who are not members, are not checked: the message service
/// does not check them (`message_group.md`: 服务器不校验传入的群组 ID 是否存在).
pub fn check_sender(
    tenant: &Tenant,
    target: Target,
    from: &str,
    to: &[Cow<'_, str>],
    now: i64,
) -> Result<(), EasemobError> {
    let kind = match target {
        Target::ChatGroups => Kind::Group,
        Target::ChatRooms => Kind::Room,
        Target::Users => return Ok(()),
    };
    let store = tenant.chats(kind);
    if store.len() == 0 {
        return Ok(());
    }
    let from = from.to_ascii_lowercase();
    for id in to {
        let Ok(n) = id.parse::<u64>() else { continue };
        let text = match store.with(n, |c| (c.disabled, c.silences(&from, now))) {
            Ok((true, _)) => format!("group: {id} is disabled"),
            Ok((false, true)) => format!("user: {from} is muted in group: {id}"),
            _ => continue,
        };
        return Err(EasemobError::forbidden_op(StatusCode::FORBIDDEN, text));
    }
    Ok(())
}
