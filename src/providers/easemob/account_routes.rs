//! The routes about users beyond the account itself: online status, ban and unban, devices
//! and forced logout, global mutes (`account_system.md`), user attributes
//! (`userprofile.md`), contacts, remarks and block lists (`user_relationship.md`); and the
//! steps their handlers share. The route table hands every path it does not know itself to
//! [`route_of`] here.

use super::call::Call;
use super::error::EasemobError;
use super::tenant::Tenant;
use super::user_store::User;
use super::{contact_pages, metadata, mutes, relations, user_admin};
use actix_web::{web, HttpResponse};
use std::sync::Arc;

/// One of the routes of this module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(test, derive(strum::EnumIter))]
pub enum AccountRoute {
    Status,
    BatchStatus,
    Deactivate,
    Activate,
    Disconnect,
    DisconnectDevice,
    Resources,
    Mutes,
    Mute,
    Metadata,
    Contacts,
    Contact,
    Blocks,
    Block,
    ContactPage,
    Remark,
    Import,
}

/// The route of the path segments under the application, if it is one of these.
pub fn route_of(segments: &[&str]) -> Option<AccountRoute> {
    use AccountRoute::*;
    let named = |s: &str| !s.is_empty();
    Some(match segments {
        ["users", "batch", "status"] => BatchStatus,
        ["users", u, "status"] if named(u) => Status,
        ["users", u, "deactivate"] if named(u) => Deactivate,
        ["users", u, "activate"] if named(u) => Activate,
        ["users", u, "disconnect"] if named(u) => Disconnect,
        ["users", u, "disconnect", r] if named(u) && named(r) => DisconnectDevice,
        ["users", u, "resources"] if named(u) => Resources,
        ["users", u, "contacts", "users"] if named(u) => Contacts,
        ["users", u, "contacts", "users", f] if named(u) && named(f) => Contact,
        ["users", u, "blocks", "users"] if named(u) => Blocks,
        ["users", u, "blocks", "users", b] if named(u) && named(b) => Block,
        ["users", u, "contacts", "import"] if named(u) => Import,
        ["user", u, "contacts"] if named(u) => ContactPage,
        ["user", u, "contacts", "users", f] if named(u) && named(f) => Remark,
        ["mutes"] => Mutes,
        ["mutes", u] if named(u) => Mute,
        ["metadata", "user", u] if named(u) => Metadata,
        _ => return None,
    })
}

/// Answers a call to one of these routes; 405 for a method the route does not take.
pub async fn dispatch(call: Call, payload: web::Payload, route: AccountRoute) -> HttpResponse {
    use AccountRoute::*;
    let method = call.req.method().clone();
    match (route, method.as_str()) {
        (Status, "GET") => user_admin::status(call),
        (BatchStatus, "POST") => user_admin::batch_status(call, payload).await,
        (Deactivate, "POST") => user_admin::deactivate(call),
        (Activate, "POST") => user_admin::activate(call),
        (Disconnect, "GET") => user_admin::disconnect(call),
        (DisconnectDevice, "DELETE") => user_admin::disconnect_device(call),
        (Resources, "GET") => user_admin::resources(call),
        (Mutes, "POST") => mutes::set(call, payload).await,
        (Mutes, "GET") => mutes::list(call),
        (Mute, "GET") => mutes::get(call),
        (Metadata, "PUT") => metadata::set(call, payload).await,
        (Metadata, "GET") => metadata::get(call),
        (Metadata, "POST") => metadata::batch_get(call, payload).await,
        (Metadata, "DELETE") => metadata::delete(call),
        (Contacts, "GET") => relations::list_contacts(call),
        (Contact, "POST") => relations::add_contact(call),
        (Contact, "DELETE") => relations::remove_contact(call),
        (Blocks, "GET") => relations::list_blocks(call),
        (Blocks, "POST") => relations::block(call, payload).await,
        (Block, "DELETE") => relations::unblock(call),
        (ContactPage, "GET") => contact_pages::page(call),
        (Remark, "PUT") => contact_pages::remark(call, payload).await,
        (Import, "POST") => contact_pages::import(call, payload).await,
        _ => call.finish(call.tenant().and(Err(EasemobError::method_not_allowed()))),
    }
}

/// Path segment `n` under the application (`/users/{1}/...` is segment 2).
pub fn segment(call: &Call, n: usize) -> &str {
    call.rest().split('/').nth(n).unwrap_or_default()
}

/// The tenant of a call that only an app token may make, within the users' rate window.
pub fn admin_call(call: &Call) -> Result<Arc<Tenant>, EasemobError> {
    let tenant = call.tenant()?;
    call.require_app(&tenant)?;
    call.rate(&tenant.rates.users)?;
    Ok(tenant)
}

/// The user named `key` (any case, or UUID), or 404 `service_resource_not_found`.
pub fn existing(tenant: &Tenant, key: &str) -> Result<User, EasemobError> {
    tenant
        .users
        .get(key)
        .ok_or_else(EasemobError::user_not_found)
}
