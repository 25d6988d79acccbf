//! The `/chatgroups` and `/chatrooms` routes (`group_manage.md`, `chatroom_manage.md`): the
//! route table under each, the steps their handlers share, create, details of one or several
//! ids, modify, delete, and the app's list with a cursor. Members, admins, owner transfer and
//! mutes are in `chat_members.rs`; each user's groups and rooms in `chat_joined.rs`.

use super::call::Call;
use super::chat_members as members;
use super::chat_store::{Chat, Kind, Refused};
use super::error::EasemobError;
use super::json;
use super::tenant::Tenant;
use super::wire::{query_params, Extra, Meta};
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The longest name, description and `custom` (`limitation.md`; `custom` up to 8 KB when a
/// group is created, 1024 characters when it is modified) and `avatar` URL.
const MAX_NAME: usize = 128;
const MAX_DESCRIPTION: usize = 512;
const MAX_CUSTOM_CREATE: usize = 8 * 1024;
const MAX_CUSTOM: usize = 1024;
const MAX_AVATAR: usize = 1024;
/// Ids one details call may name.
const MAX_IDS: usize = 100;

/// Answers a call under `/chatgroups` or `/chatrooms`.
pub async fn route(call: Call, payload: web::Payload, kind: Kind) -> HttpResponse {
    let result = answer(&call, payload, kind).await;
    call.finish(result)
}

async fn answer(
    call: &Call,
    payload: web::Payload,
    kind: Kind,
) -> Result<HttpResponse, EasemobError> {
    let rest = call.rest().to_owned();
    let segments: Vec<&str> = rest.split('/').skip(2).collect();
    if segments.first().is_some_and(|s| s.is_empty()) || segments.len() > 4 {
        return call.tenant().and(Err(EasemobError::no_such_path()));
    }
    call.tenant()?;
    let id = segments.first().copied().unwrap_or_default();
    match chat_route(&segments, call.req.method().as_str(), kind) {
        ChatRoute::Create => create(call, payload, kind).await,
        ChatRoute::List => list(call, kind),
        ChatRoute::Details => details(call, kind, id),
        ChatRoute::Modify => modify(call, payload, kind, id).await,
        ChatRoute::Delete => delete(call, kind, id),
        ChatRoute::Members => members::list(call, kind, id),
        ChatRoute::AddMembers => members::add_many(call, payload, kind, id).await,
        ChatRoute::AddMember(user) => members::add_one(call, kind, id, user),
        ChatRoute::RemoveMembers(users) => members::remove(call, kind, id, users),
        ChatRoute::Admins => members::admins(call, kind, id),
        ChatRoute::AddAdmin => members::add_admin(call, payload, kind, id).await,
        ChatRoute::RemoveAdmin(user) => members::remove_admin(call, kind, id, user),
        ChatRoute::Mutes => members::mutes(call, kind, id),
        ChatRoute::Mute => members::mute(call, payload, kind, id).await,
        ChatRoute::Unmute(users) => members::unmute(call, kind, id, users),
        ChatRoute::IsJoined(user) => super::chat_joined::is_joined(call, id, user),
        ChatRoute::MuteAll(on) => members::mute_all(call, kind, id, on),
        ChatRoute::Disable(on) => members::disable(call, id, on),
        ChatRoute::NotAllowed => Err(EasemobError::method_not_allowed()),
        ChatRoute::NoSuchPath => Err(EasemobError::no_such_path()),
    }
}

/// One route under `/chatgroups` or `/chatrooms` (the group or room id is the first
/// segment), with the users its path names.
#[derive(Clone, Copy)]
#[cfg_attr(test, derive(strum::EnumDiscriminants))]
#[cfg_attr(test, strum_discriminants(derive(strum::EnumIter)))]
pub(super) enum ChatRoute<'a> {
    Create,
    List,
    Details,
    Modify,
    Delete,
    Members,
    AddMembers,
    AddMember(&'a str),
    RemoveMembers(&'a str),
    Admins,
    AddAdmin,
    RemoveAdmin(&'a str),
    Mutes,
    Mute,
    Unmute(&'a str),
    IsJoined(&'a str),
    MuteAll(bool),
    Disable(bool),
    /// A path of these routes with a method it does not take: 405.
    NotAllowed,
    /// No such path: 404.
    NoSuchPath,
}

/// The route of the segments after `/chatgroups` or `/chatrooms` and the method.
pub(super) fn chat_route<'a>(segments: &[&'a str], method: &str, kind: Kind) -> ChatRoute<'a> {
    let group = kind == Kind::Group;
    match (segments, method) {
        ([], "POST") => ChatRoute::Create,
        ([], "GET") => ChatRoute::List,
        ([_], "GET") => ChatRoute::Details,
        ([_], "PUT") => ChatRoute::Modify,
        ([_], "DELETE") => ChatRoute::Delete,
        ([_, "users"], "GET") => ChatRoute::Members,
        ([_, "users"], "POST") => ChatRoute::AddMembers,
        ([_, "users", user], "POST") => ChatRoute::AddMember(user),
        ([_, "users", users], "DELETE") => ChatRoute::RemoveMembers(users),
        ([_, "admin"], "GET") => ChatRoute::Admins,
        ([_, "admin"], "POST") => ChatRoute::AddAdmin,
        ([_, "admin", user], "DELETE") => ChatRoute::RemoveAdmin(user),
        ([_, "mute"], "GET") => ChatRoute::Mutes,
        ([_, "mute"], "POST") => ChatRoute::Mute,
        ([_, "mute", users], "DELETE") => ChatRoute::Unmute(users),
        ([_, "user", user, "is_joined"], "GET" | "POST") if group => ChatRoute::IsJoined(user),
        ([_, "ban"], "POST" | "PUT") => ChatRoute::MuteAll(true),
        ([_, "ban"], "DELETE") => ChatRoute::MuteAll(false),
        ([_, "disable"], "POST") if group => ChatRoute::Disable(true),
        ([_, "enable"], "POST") if group => ChatRoute::Disable(false),
        ([_, "disable" | "enable"] | [_, "user", _, "is_joined"], _) if group => {
            ChatRoute::NotAllowed
        }
        ([] | [_] | [_, "users" | "admin" | "mute" | "ban"], _)
        | ([_, "users" | "admin" | "mute", _], _) => ChatRoute::NotAllowed,
        _ => ChatRoute::NoSuchPath,
    }
}

// ------------------------------------------------------------------------------------------
// Steps the handlers share

/// The tenant of a call on groups or rooms, which needs an app token, within the rate
/// window of their routes.
pub fn app_call(call: &Call, kind: Kind) -> Result<Arc<Tenant>, EasemobError> {
    let tenant = call.tenant()?;
    call.require_app(&tenant)?;
    call.rate(&tenant.chats(kind).calls)?;
    Ok(tenant)
}

/// The tenant, the JSON object body and the group or room `id` of a call that writes with
/// a body, checked in that order.
pub async fn body_call<T: serde::de::DeserializeOwned>(
    call: &Call,
    payload: web::Payload,
    kind: Kind,
    id: &str,
) -> Result<(Arc<Tenant>, T, Chat), EasemobError> {
    let tenant = app_call(call, kind)?;
    let body = call.body(payload, json::USERGRID_BODY_CAP).await?;
    let request: T = json::usergrid_object(&body)?;
    let chat = find(&tenant, kind, id)?;
    Ok((tenant, request, chat))
}

/// The group or room `id` names; 404 `grpID {id} does not exist!` when there is none. One
/// whose owner was deleted is gone too (`account_system.md`: deleting an owner dissolves
/// the owner's groups and rooms).
pub fn find(tenant: &Tenant, kind: Kind, id: &str) -> Result<Chat, EasemobError> {
    let chat = id
        .parse::<u64>()
        .ok()
        .and_then(|n| tenant.chats(kind).get(n))
        .ok_or_else(|| EasemobError::group_not_found(id))?;
    if owner_alive(tenant, &chat) {
        return Ok(chat);
    }
    tenant.chats(kind).remove(chat.id);
    Err(EasemobError::group_not_found(id))
}

/// Whether the owner of `chat` is still the user who owned it.
pub fn owner_alive(tenant: &Tenant, chat: &Chat) -> bool {
    tenant
        .users
        .get(&chat.owner)
        .is_some_and(|u| u.uuid == chat.owner_uuid)
}

/// The stored username of `name`; 404 `username {name} doesn't exist!` when unknown.
pub fn existing_user(tenant: &Tenant, name: &str) -> Result<(Box<str>, uuid::Uuid), EasemobError> {
    tenant
        .users
        .get(name)
        .map(|u| (u.username, u.uuid))
        .ok_or_else(|| EasemobError::chat_user_not_found(name))
}

/// The envelope fields of a call on `kind`, its `uri` the path called.
pub fn meta<'a>(call: &Call, tenant: &'a Tenant, action: &'static str, kind: Kind) -> Meta<'a> {
    let mut meta = Meta::new(call, tenant, action, kind.path());
    meta.uri = call.app_uri() + call.rest();
    meta
}

/// A Usergrid answer with empty `entities` and `data`.
pub fn reply<D: Serialize>(meta: &Meta<'_>, data: D, count: Option<usize>) -> HttpResponse {
    let extra = Extra {
        data: Some(data),
        data_first: true,
        count,
        ..Extra::default()
    };
    meta.entities([(); 0], extra)
}

/// The integer query parameter `name`, if it is one.
pub fn int_param(params: &BTreeMap<String, Vec<String>>, name: &str) -> Option<usize> {
    params.get(name)?.first()?.trim().parse().ok()
}

/// The status of `forbidden_op` answers: 403 for groups, 400 for rooms (their tables).
pub fn forbidden_status(kind: Kind) -> StatusCode {
    match kind {
        Kind::Group => StatusCode::FORBIDDEN,
        Kind::Room => StatusCode::BAD_REQUEST,
    }
}

/// 403 `exceed_limit` `user {u} has joined too many groups!` (or `chatrooms`).
pub fn joined_too_many(kind: Kind, user: &str) -> EasemobError {
    EasemobError::exceed_limit(format!(
        "user {user} has joined too many {}!",
        kind.plural()
    ))
}

/// 403 `exceed_limit` `members size is greater than max user size !`.
pub fn members_too_many() -> EasemobError {
    EasemobError::exceed_limit("members size is greater than max user size !")
}

// ------------------------------------------------------------------------------------------
// Create

#[derive(Deserialize)]
struct NewChat {
    groupname: Option<String>,
    name: Option<String>,
    description: Option<String>,
    avatar: Option<String>,
    #[serde(default, deserialize_with = "json::lenient_bool")]
    public: Option<bool>,
    #[serde(default, deserialize_with = "json::lenient_i64")]
    maxusers: Option<i64>,
    #[serde(default, deserialize_with = "json::lenient_bool")]
    allowinvites: Option<bool>,
    #[serde(default, deserialize_with = "json::lenient_bool")]
    membersonly: Option<bool>,
    #[serde(default, deserialize_with = "json::lenient_bool")]
    invite_need_confirm: Option<bool>,
    owner: Option<String>,
    members: Option<Vec<String>>,
    custom: Option<String>,
}

/// `POST /chatgroups` and `POST /chatrooms`.
async fn create(
    call: &Call,
    payload: web::Payload,
    kind: Kind,
) -> Result<HttpResponse, EasemobError> {
    let tenant = app_call(call, kind)?;
    let body = call.body(payload, json::USERGRID_BODY_CAP).await?;
    let new: NewChat = json::usergrid_object(&body)?;
    let limits = kind.limits(&tenant.settings.limits);
    let chat = new_chat(call, &tenant, kind, new)?;
    let id = chat.id;
    let tenant = call.keep()?;
    if limits.max_count > 0 && tenant.chats(kind).len() >= limits.max_count as usize {
        for orphan in tenant.chats(kind).orphans(|c| owner_alive(&tenant, c)) {
            tenant.chats(kind).remove(orphan);
        }
    }
    match tenant.chats(kind).insert(chat, &limits) {
        Ok(()) => {}
        Err(Refused::TooMany) => {
            return Err(EasemobError::exceed_limit(format!(
                "appKey:{}#{} has create too many {}!",
                tenant.org,
                tenant.app,
                kind.plural()
            )))
        }
        Err(Refused::UserFull(user)) => return Err(joined_too_many(kind, &user)),
        Err(Refused::NotFound) => return Err(EasemobError::no_such_path()),
    }
    let meta = meta(call, &tenant, "post", kind);
    let id = id.to_string();
    Ok(match kind {
        Kind::Group => reply(&meta, serde_json::json!({ "groupid": id }), None),
        Kind::Room => reply(&meta, serde_json::json!({ "id": id }), None),
    })
}

/// The group or room a create request describes, checked in the order of the docs' table.
fn new_chat(call: &Call, tenant: &Tenant, kind: Kind, new: NewChat) -> Result<Chat, EasemobError> {
    let limits = kind.limits(&tenant.settings.limits);
    let name = match kind {
        Kind::Group => new.groupname.unwrap_or_default(),
        Kind::Room => required(new.name, "name")?,
    };
    let description = match kind {
        Kind::Group => new.description.unwrap_or_default(),
        Kind::Room => required(new.description, "description")?,
    };
    if kind == Kind::Group && new.public.is_none() {
        return Err(EasemobError::invalid_parameter(
            "group must contain public field!",
        ));
    }
    let owner = required(new.owner, "owner")?;
    let avatar = new.avatar.unwrap_or_default();
    let custom = new.custom.unwrap_or_default();
    check_lengths(&name, &description, &custom, MAX_CUSTOM_CREATE)?;
    if avatar.chars().count() > MAX_AVATAR {
        return Err(EasemobError::invalid_parameter("avatar length is too big"));
    }
    let maxusers = maxusers(new.maxusers, &limits)?;
    let (owner, owner_uuid) = existing_user(tenant, &owner)?;
    let mut members: Vec<Box<str>> = Vec::new();
    for member in new.members.unwrap_or_default() {
        let (member, _) = existing_user(tenant, &member)?;
        if member != owner && !members.contains(&member) {
            members.push(member);
        }
    }
    if members.len() + 1 > maxusers as usize {
        return Err(members_too_many());
    }
    let public = new.public.unwrap_or(true);
    Ok(Chat {
        id: call.state.chat_ids.next(call.now_ms),
        name: name.into(),
        description: description.into(),
        avatar: avatar.into(),
        custom: custom.into(),
        public,
        membersonly: new.membersonly.unwrap_or(false),
        // Public groups start with `allowinvites` off whatever the request says.
        allowinvites: !public && new.allowinvites.unwrap_or(false),
        invite_need_confirm: new.invite_need_confirm.unwrap_or(true),
        maxusers,
        owner,
        owner_uuid,
        created: call.now_ms,
        modified: call.now_ms,
        mute_all: false,
        disabled: false,
        members,
        admins: Vec::new(),
        mutes: Vec::new(),
    })
}

/// A required string field: 400 `{name} must be provided` when absent or empty.
fn required(value: Option<String>, name: &str) -> Result<String, EasemobError> {
    value
        .filter(|v| !v.is_empty())
        .ok_or_else(|| EasemobError::invalid_parameter(format!("{name} must be provided")))
}

/// `maxusers` as given, or the default: at least 1, at most the tenant's limit.
fn maxusers(given: Option<i64>, limits: &super::fixtures::ChatLimits) -> Result<u32, EasemobError> {
    let value = given.unwrap_or(i64::from(limits.default_members));
    if value < 1 {
        return Err(EasemobError::invalid_parameter(
            "maxusers must be greater than 0",
        ));
    }
    if limits.max_members > 0 && value > i64::from(limits.max_members) {
        return Err(EasemobError::exceed_limit(format!(
            "maxUsers cannot exceed {}",
            limits.max_members
        )));
    }
    Ok(value.min(i64::from(u32::MAX)) as u32)
}

fn check_lengths(
    name: &str,
    description: &str,
    custom: &str,
    max_custom: usize,
) -> Result<(), EasemobError> {
    if name.chars().count() > MAX_NAME {
        return Err(EasemobError::exceed_limit(format!(
            "title cannot exceed to {MAX_NAME}"
        )));
    }
    if description.chars().count() > MAX_DESCRIPTION {
        return Err(EasemobError::exceed_limit(format!(
            "desc cannot exceed to {MAX_DESCRIPTION}"
        )));
    }
    if custom.chars().count() > max_custom {
        return Err(EasemobError::exceed_limit(format!(
            "custom cannot exceed to {max_custom}"
        )));
    }
    Ok(())
}

// ------------------------------------------------------------------------------------------
// Details, list

/// `GET /chatgroups/{id}[,{id}...]` and `/chatrooms/{id}[,...]`: the details of each that
/// exists, "group id doesn't exist" for the others; 404 when none does.
fn details(call: &Call, kind: Kind, ids: &str) -> Result<HttpResponse, EasemobError> {
    let tenant = app_call(call, kind)?;
    let ids: Vec<&str> = ids
        .split(',')
        .map(str::trim)
        .filter(|i| !i.is_empty())
        .collect();
    if ids.len() > MAX_IDS {
        return Err(EasemobError::invalid_parameter(format!(
            "the number of group ids can't exceed {MAX_IDS}"
        )));
    }
    let mut found = 0;
    let data: Vec<Value> = ids
        .iter()
        .map(|id| match find(&tenant, kind, id) {
            Ok(chat) => {
                found += 1;
                detail(&chat, kind)
            }
            Err(_) => serde_json::json!({ "id": id, "error": "group id doesn't exist" }),
        })
        .collect();
    if found == 0 {
        let id = ids.first().copied().unwrap_or_default();
        return Err(match (kind, ids.len()) {
            (Kind::Room, _) => EasemobError::group_not_found_service(id),
            _ => EasemobError::group_not_found(id),
        });
    }
    let meta = meta(call, &tenant, "get", kind);
    Ok(reply(&meta, data, Some(ids.len())))
}

/// One group's or room's details, as `data[]` of the details answer shows them.
fn detail(chat: &Chat, kind: Kind) -> Value {
    let mut affiliations: Vec<Value> = chat
        .members
        .iter()
        .map(|m| serde_json::json!({ "member": m }))
        .collect();
    affiliations.push(serde_json::json!({ "owner": chat.owner }));
    // The field order of the docs' examples; avatar, mute and disabled are groups' only.
    let group = kind == Kind::Group;
    let mut d = Map::new();
    d.insert("id".into(), chat.id.to_string().into());
    d.insert("name".into(), Value::from(&*chat.name));
    if group {
        d.insert("avatar".into(), Value::from(&*chat.avatar));
    }
    d.insert("description".into(), Value::from(&*chat.description));
    d.insert("membersonly".into(), chat.membersonly.into());
    d.insert("allowinvites".into(), chat.allowinvites.into());
    d.insert("maxusers".into(), chat.maxusers.into());
    d.insert("owner".into(), Value::from(&*chat.owner));
    d.insert("created".into(), chat.created.into());
    d.insert("custom".into(), Value::from(&*chat.custom));
    if group {
        d.insert("mute".into(), chat.mute_all.into());
    }
    d.insert("affiliations_count".into(), chat.count().into());
    if group {
        d.insert("disabled".into(), chat.disabled.into());
    }
    d.insert("affiliations".into(), affiliations.into());
    d.insert("public".into(), chat.public.into());
    Value::Object(d)
}

/// `GET /chatgroups?limit=&cursor=` and `/chatrooms?limit=&cursor=`: newest first.
fn list(call: &Call, kind: Kind) -> Result<HttpResponse, EasemobError> {
    let tenant = app_call(call, kind)?;
    let params = query_params(call);
    let limit = int_param(&params, "limit").map_or(10, |l| l.clamp(1, 1000));
    let prefix = format!("{}:{}/{}_", &kind.path()[1..], tenant.org, tenant.app);
    let before = match params.get("cursor").and_then(|c| c.first()) {
        Some(cursor) => decode_cursor(cursor, &prefix)
            .ok_or_else(|| EasemobError::illegal_argument("cursor is invalid"))?,
        None => u64::MAX,
    };
    let (chats, next) = tenant.chats(kind).page(before, limit);
    let data: Vec<Value> = chats
        .iter()
        .filter(|c| owner_alive(&tenant, c))
        .map(|c| summary(&tenant, c, kind))
        .collect();
    let meta = meta(call, &tenant, "get", kind);
    let extra = Extra {
        params: Some(params),
        count: Some(data.len()),
        cursor: next.map(|n| encode_cursor(&prefix, n)),
        data: Some(data),
        data_first: true,
    };
    Ok(meta.entities([(); 0], extra))
}

/// One entry of the app's list.
fn summary(tenant: &Tenant, chat: &Chat, kind: Kind) -> Value {
    match kind {
        Kind::Group => serde_json::json!({
            "owner": format!("{}#{}_{}", tenant.org, tenant.app, chat.owner),
            "groupid": chat.id.to_string(),
            "affiliations": chat.count(),
            "type": "group",
            "lastModified": chat.modified.to_string(),
            "groupname": chat.name,
        }),
        Kind::Room => serde_json::json!({
            "id": chat.id.to_string(),
            "name": chat.name,
            "owner": chat.owner,
            "affiliations_count": chat.count(),
        }),
    }
}

fn encode_cursor(prefix: &str, id: u64) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(format!("{prefix}{id}"))
}

fn decode_cursor(cursor: &str, prefix: &str) -> Option<u64> {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(cursor.trim())
        .ok()?;
    std::str::from_utf8(&bytes)
        .ok()?
        .strip_prefix(prefix)?
        .parse()
        .ok()
}

/// How a `pagenum`/`pagesize` list pages: without either, the first `all`; else pages of
/// `size` (by default) up to `max`.
#[derive(Clone, Copy)]
pub struct Paging {
    pub all: usize,
    pub size: usize,
    pub max: usize,
}

/// The range of a `pagenum`/`pagesize` page (pages from 1) over `len` items.
pub fn page_of(
    params: &BTreeMap<String, Vec<String>>,
    len: usize,
    paging: Paging,
) -> std::ops::Range<usize> {
    let (num, size) = (int_param(params, "pagenum"), int_param(params, "pagesize"));
    if num.is_none() && size.is_none() {
        return 0..len.min(paging.all);
    }
    let size = size.unwrap_or(paging.size).clamp(1, paging.max);
    let start = num
        .unwrap_or(1)
        .max(1)
        .saturating_sub(1)
        .saturating_mul(size);
    start.min(len)..start.saturating_add(size).min(len)
}

// ------------------------------------------------------------------------------------------
// Modify, delete

/// The fields `PUT /chatgroups/{id}` may change.
const GROUP_FIELDS: [&str; 9] = [
    "groupname",
    "avatar",
    "description",
    "maxusers",
    "membersonly",
    "allowinvites",
    "invite_need_confirm",
    "custom",
    "public",
];

/// The fields `PUT /chatrooms/{id}` may change.
const ROOM_FIELDS: [&str; 3] = ["name", "description", "maxusers"];

/// `PUT /chatgroups/{id}` and `/chatrooms/{id}`: changes the settings, or transfers the
/// ownership when the body has `newowner`.
async fn modify(
    call: &Call,
    payload: web::Payload,
    kind: Kind,
    id: &str,
) -> Result<HttpResponse, EasemobError> {
    let (tenant, fields, chat): (_, Map<String, Value>, _) =
        body_call(call, payload, kind, id).await?;
    if let Some(newowner) = fields.get("newowner") {
        return members::transfer(call, &tenant, kind, chat, newowner);
    }
    let allowed: &[&str] = match kind {
        Kind::Group => &GROUP_FIELDS,
        Kind::Room => &ROOM_FIELDS,
    };
    let unknown: Vec<&str> = fields
        .keys()
        .map(String::as_str)
        .filter(|k| !allowed.contains(k))
        .collect();
    if !unknown.is_empty() {
        return Err(EasemobError::invalid_parameter(format!(
            "some of [{}] are not valid fields",
            unknown.join(", ")
        )));
    }
    let change = Change::read(&fields, kind)?;
    let limits = kind.limits(&tenant.settings.limits);
    if let Some(max) = change.maxusers {
        maxusers(Some(max), &limits)?;
    }
    let tenant = call.keep()?;
    let now = call.now_ms;
    tenant
        .chats(kind)
        .update(chat.id, |c, _| change.apply(c, now), &limits)
        .map_err(|_| EasemobError::group_not_found(id))??;
    let mut data = Map::new();
    for key in fields.keys() {
        let key = if key == "name" { "groupname" } else { key };
        data.insert(key.to_owned(), Value::Bool(true));
    }
    Ok(reply(&meta(call, &tenant, "put", kind), data, None))
}

/// The settings a modify request changes.
#[derive(Default)]
struct Change {
    name: Option<String>,
    description: Option<String>,
    avatar: Option<String>,
    custom: Option<String>,
    maxusers: Option<i64>,
    flags: Vec<(&'static str, bool)>,
}

impl Change {
    fn read(fields: &Map<String, Value>, kind: Kind) -> Result<Self, EasemobError> {
        let text = |name: &str| -> Result<Option<String>, EasemobError> {
            match fields.get(name) {
                None => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err(bad_type(name)),
            }
        };
        let name_field = if kind == Kind::Group {
            "groupname"
        } else {
            "name"
        };
        let mut change = Change {
            name: text(name_field)?,
            description: text("description")?,
            avatar: text("avatar")?,
            custom: text("custom")?,
            ..Change::default()
        };
        if let Some(v) = fields.get("maxusers") {
            change.maxusers = Some(v.as_i64().ok_or_else(|| bad_type("maxusers"))?);
        }
        for flag in [
            "membersonly",
            "allowinvites",
            "invite_need_confirm",
            "public",
        ] {
            if let Some(v) = fields.get(flag) {
                change
                    .flags
                    .push((flag, v.as_bool().ok_or_else(|| bad_type(flag))?));
            }
        }
        let (name, description) = (change.name.as_deref(), change.description.as_deref());
        check_lengths(
            name.unwrap_or_default(),
            description.unwrap_or_default(),
            change.custom.as_deref().unwrap_or_default(),
            MAX_CUSTOM,
        )?;
        if change
            .avatar
            .as_ref()
            .is_some_and(|a| a.chars().count() > MAX_AVATAR)
        {
            return Err(EasemobError::invalid_parameter("avatar length is too big"));
        }
        Ok(change)
    }

    fn apply(&self, chat: &mut Chat, now: i64) -> Result<(), EasemobError> {
        if let Some(max) = self.maxusers {
            if (max as usize) < chat.count() {
                return Err(EasemobError::invalid_parameter(
                    "maxusers can't be less than the number of members",
                ));
            }
            chat.maxusers = max.min(i64::from(u32::MAX)) as u32;
        }
        let set = |field: &mut Box<str>, value: &Option<String>| {
            if let Some(v) = value {
                *field = v.as_str().into();
            }
        };
        set(&mut chat.name, &self.name);
        set(&mut chat.description, &self.description);
        set(&mut chat.avatar, &self.avatar);
        set(&mut chat.custom, &self.custom);
        for (flag, value) in &self.flags {
            match *flag {
                "membersonly" => chat.membersonly = *value,
                "allowinvites" => chat.allowinvites = *value,
                "invite_need_confirm" => chat.invite_need_confirm = *value,
                _ => chat.public = *value,
            }
        }
        chat.modified = now;
        Ok(())
    }
}

fn bad_type(field: &str) -> EasemobError {
    EasemobError::invalid_parameter(format!("{field} is invalid"))
}

/// `DELETE /chatgroups/{id}` and `/chatrooms/{id}`.
fn delete(call: &Call, kind: Kind, id: &str) -> Result<HttpResponse, EasemobError> {
    let tenant = app_call(call, kind)?;
    let chat = find(&tenant, kind, id)?;
    let tenant = call.keep()?;
    tenant
        .chats(kind)
        .remove(chat.id)
        .ok_or_else(|| EasemobError::group_not_found(id))?;
    let meta = meta(call, &tenant, "delete", kind);
    let id = chat.id.to_string();
    Ok(match kind {
        Kind::Group => reply(
            &meta,
            serde_json::json!({"success": true, "groupid": id}),
            None,
        ),
        Kind::Room => reply(&meta, serde_json::json!({"success": true, "id": id}), None),
    })
}
