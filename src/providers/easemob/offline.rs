//! `GET /users/{username}/offline_msg_count` and `GET /users/{username}/offline_msg_status/
//! {msg_id}` (`account_system.md`, "获取用户离线消息数据"), read from the journal and the
//! delivery marks of [`super::offline_store`]; and the admin side that marks a user's
//! messages delivered. The username is not checked against the registered users (the docs
//! list no 404 for these two routes): an unknown user simply has no offline message.

use super::call::Call;
use super::error::EasemobError;
use super::tenant::Tenant;
use super::wire::{Extra, Meta};
use super::State;
use actix_web::HttpResponse;
use std::collections::BTreeMap;

/// `GET /{org}/{app}/users/{username}/offline_msg_count`: `data: {username: count}`.
pub async fn count(call: Call) -> HttpResponse {
    call.finish(count_offline(&call))
}

fn count_offline(call: &Call) -> Result<HttpResponse, EasemobError> {
    let tenant = call.tenant()?;
    call.require_app(&tenant)?;
    call.rate(&tenant.rates.offline)?;
    let user = call.param();
    let count = tenant.deliveries.undelivered(&tenant.journal, user);
    Ok(answer(call, &tenant, BTreeMap::from([(user, count)])))
}

/// `GET /{org}/{app}/users/{username}/offline_msg_status/{msg_id}`: `data: {msg_id:
/// "delivered" | "undelivered"}`.
pub async fn status(call: Call) -> HttpResponse {
    call.finish(offline_status(&call))
}

fn offline_status(call: &Call) -> Result<HttpResponse, EasemobError> {
    let tenant = call.tenant()?;
    call.require_app(&tenant)?;
    call.rate(&tenant.rates.offline)?;
    let user = call.param();
    let msg_id = call.rest().split('/').nth(4).unwrap_or_default();
    let waiting = msg_id
        .parse()
        .is_ok_and(|id| tenant.deliveries.waiting(&tenant.journal, user, id));
    let status = if waiting { "undelivered" } else { "delivered" };
    Ok(answer(call, &tenant, BTreeMap::from([(msg_id, status)])))
}

/// The Usergrid answer of both routes: `entities: []`, `data`, `count: 0`, and the request
/// URL as `uri` (as the docs' examples show it).
fn answer<D: serde::Serialize>(call: &Call, tenant: &Tenant, data: D) -> HttpResponse {
    let meta = Meta::new(call, tenant, "get", call.rest());
    let extra = Extra {
        data: Some(data),
        data_first: true,
        count: Some(0),
        ..Extra::default()
    };
    meta.entities([(); 0], extra)
}

impl State {
    /// Marks every message delivered so far to `user` of the stored tenant `org/app` as
    /// delivered (the admin API's stand-in for the user coming online). Returns how many
    /// were undelivered, or `None` when the emulator holds no such tenant.
    pub fn mark_delivered(&self, org: &str, app: &str, user: &str) -> Option<usize> {
        let tenant = self.tenants.get(&format!("{org}/{app}"))?;
        Some(tenant.deliveries.deliver(&tenant.journal, user))
    }
}
