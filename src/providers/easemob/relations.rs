//! Contacts and block lists (`user_relationship.md`). Adding a contact makes both users each
//! other's contact (either at its limit: 403 `exceed_limit`); a block list holds at most its
//! limit. Every user named in a path or in `usernames` must exist (404
//! `service_resource_not_found`). Removing a contact or block that is not there succeeds.

use super::account_routes::{admin_call, existing, segment};
use super::call::Call;
use super::error::EasemobError;
use super::json;
use super::relation_store::Full;
use super::tenant::Tenant;
use super::user_store::User;
use super::wire::{Extra, Meta};
use actix_web::{web, HttpResponse};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::Deserialize;

/// `GET .../blocks/users` without paging shows this many of the newest blocks.
const UNPAGED_BLOCKS: usize = 500;
const MAX_BLOCK_PAGE: usize = 50;

/// The owner `{owner_username}` and the other user (path segment `other`) of a call.
fn pair(call: &Call, tenant: &Tenant, other: usize) -> Result<(User, User), EasemobError> {
    Ok((
        existing(tenant, segment(call, 2))?,
        existing(tenant, segment(call, other))?,
    ))
}

/// The answer about one user, under `/users/{owner uuid}/{what}`.
fn about(
    call: &Call,
    tenant: &Tenant,
    action: &'static str,
    owner: &User,
    what: &str,
    user: User,
) -> HttpResponse {
    let path = format!("/users/{}/{what}", owner.uuid);
    Meta::new(call, tenant, action, &path).entities([user], Extra::<()>::default())
}

/// `POST /{org}/{app}/users/{owner_username}/contacts/users/{friend_username}`.
pub fn add_contact(call: Call) -> HttpResponse {
    let result = admin_call(&call).and_then(|tenant| {
        let (owner, friend) = pair(&call, &tenant, 5)?;
        let max = tenant.settings.limits.max_contacts_per_user;
        let tenant = call.keep()?;
        tenant
            .social
            .relations
            .add_contact(&owner.username, &friend.username, max)
            .map_err(|Full| EasemobError::contacts_full())?;
        Ok(about(&call, &tenant, "post", &owner, "contacts", friend))
    });
    call.finish(result)
}

/// `DELETE /{org}/{app}/users/{owner_username}/contacts/users/{friend_username}`.
pub fn remove_contact(call: Call) -> HttpResponse {
    let result = admin_call(&call).and_then(|tenant| {
        let (owner, friend) = pair(&call, &tenant, 5)?;
        let tenant = call.keep()?;
        let relations = &tenant.social.relations;
        relations.remove_contact(&owner.username, &friend.username);
        Ok(about(&call, &tenant, "delete", &owner, "contacts", friend))
    });
    call.finish(result)
}

/// A listing of user IDs: no entities, `data`, `count`, `cursor` when more follow, and the
/// call's own path as `uri`.
fn names(
    call: &Call,
    tenant: &Tenant,
    owner: &User,
    names: Vec<Box<str>>,
    cursor: Option<String>,
) -> HttpResponse {
    let what = segment(call, 3);
    let path = format!("/users/{}/{what}", owner.uuid);
    let mut meta = Meta::new(call, tenant, "get", &path);
    meta.uri.truncate(meta.uri.len() - path.len());
    meta.uri.push_str(call.rest());
    let extra = Extra {
        count: Some(names.len()),
        data: Some(names),
        data_first: true,
        cursor,
        params: None,
    };
    meta.entities([(); 0], extra)
}

/// `GET /{org}/{app}/users/{owner_username}/contacts/users`: every contact, newest first.
pub fn list_contacts(call: Call) -> HttpResponse {
    let result = admin_call(&call).and_then(|tenant| {
        let owner = existing(&tenant, segment(&call, 2))?;
        let contacts = tenant.social.relations.contacts(&owner.username);
        Ok(names(&call, &tenant, &owner, contacts, None))
    });
    call.finish(result)
}

#[derive(Deserialize)]
struct Block {
    usernames: Option<Vec<String>>,
}

/// `POST /{org}/{app}/users/{owner_username}/blocks/users` with `{"usernames": [...]}`.
pub async fn block(call: Call, payload: web::Payload) -> HttpResponse {
    let result = block_users(&call, payload).await;
    call.finish(result)
}

async fn block_users(call: &Call, payload: web::Payload) -> Result<HttpResponse, EasemobError> {
    call.tenant()?;
    let body = call.body(payload, json::USERGRID_BODY_CAP).await?;
    let tenant = admin_call(call)?;
    let request: Block = json::usergrid_object(&body)?;
    let listed = request
        .usernames
        .filter(|n| !n.is_empty())
        .ok_or_else(|| EasemobError::illegal_argument("usernames must be provided"))?;
    let owner = existing(&tenant, segment(call, 2))?;
    let users = listed
        .iter()
        .map(|name| existing(&tenant, name).map(|u| u.username))
        .collect::<Result<Vec<_>, _>>()?;
    let max = tenant.settings.limits.max_blocks_per_user;
    let tenant = call.keep()?;
    let blocked: Vec<&str> = users.iter().map(|u| &**u).collect();
    tenant
        .social
        .relations
        .block(&owner.username, &blocked, max)
        .map_err(|Full| EasemobError::blocks_full())?;
    let path = format!("/users/{}/blocks", owner.uuid);
    let mut meta = Meta::new(call, &tenant, "post", &path);
    meta.uri = call.app_uri();
    let extra = Extra {
        data: Some(blocked),
        data_first: true,
        ..Extra::default()
    };
    Ok(meta.entities([(); 0], extra))
}

/// `DELETE /{org}/{app}/users/{owner_username}/blocks/users/{blocked_username}`.
pub fn unblock(call: Call) -> HttpResponse {
    let result = admin_call(&call).and_then(|tenant| {
        let (owner, blocked) = pair(&call, &tenant, 5)?;
        let tenant = call.keep()?;
        let relations = &tenant.social.relations;
        relations.unblock(&owner.username, &blocked.username);
        Ok(about(&call, &tenant, "delete", &owner, "blocks", blocked))
    });
    call.finish(result)
}

#[derive(Deserialize)]
struct BlockPage {
    #[serde(rename = "pageSize")]
    page_size: Option<String>,
    cursor: Option<String>,
}

/// `GET /{org}/{app}/users/{owner_username}/blocks/users?pageSize=&cursor=`: newest first;
/// without either parameter the newest 500, else pages of at most 50 with a `cursor`.
pub fn list_blocks(call: Call) -> HttpResponse {
    let result = admin_call(&call).and_then(|tenant| {
        let owner = existing(&tenant, segment(&call, 2))?;
        let query: BlockPage = serde_urlencoded::from_str(call.req.query_string())
            .map_err(|_| EasemobError::illegal_argument("query parameters are invalid"))?;
        let all = tenant.social.relations.blocks(&owner.username);
        let (page, cursor) = block_page(all, query)?;
        Ok(names(&call, &tenant, &owner, page, cursor))
    });
    call.finish(result)
}

fn block_page(
    mut all: Vec<Box<str>>,
    query: BlockPage,
) -> Result<(Vec<Box<str>>, Option<String>), EasemobError> {
    if query.page_size.is_none() && query.cursor.is_none() {
        all.truncate(UNPAGED_BLOCKS);
        return Ok((all, None));
    }
    let size = query
        .page_size
        .and_then(|s| s.trim().parse::<usize>().ok())
        .map_or(MAX_BLOCK_PAGE, |s| s.clamp(1, MAX_BLOCK_PAGE));
    let from = match query.cursor.as_deref().filter(|c| !c.is_empty()) {
        None => 0,
        Some(cursor) => decode_cursor(cursor)
            .ok_or_else(|| EasemobError::illegal_argument("cursor is invalid"))?,
    };
    let next = from.saturating_add(size);
    let cursor = (next < all.len()).then(|| STANDARD.encode(next.to_string()));
    let page = all.into_iter().skip(from).take(size).collect();
    Ok((page, cursor))
}

fn decode_cursor(cursor: &str) -> Option<usize> {
    let bytes = STANDARD.decode(cursor).ok()?;
    std::str::from_utf8(&bytes).ok()?.parse().ok()
}
