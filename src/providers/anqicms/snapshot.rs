//! The AnqiCMS part of a state document: every site with its settings, users (passwords as
//! their keyed digests), orders with their quotes and messages, and the site's ID counters.
//! User tokens are signed, not stored: with the site's secret and the restored clock, a token
//! issued before is still good. Restored, every read answers as before.

use super::fixtures::Settings;
use super::order_store::{Message, Order, OrderStore, Orders};
use super::tenant::Tenant;
use super::user_store::{User, UserStore};
use super::State;
use serde::{Deserialize, Deserializer, Serialize};
use std::sync::Arc;

/// The provider's part.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ProviderState {
    tenants: Vec<TenantState>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TenantState {
    name: String,
    settings: Settings,
    users: Vec<User>,
    last_user_id: u64,
    orders: Vec<OrderState>,
    counters: Orders,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct OrderState {
    order: Order,
    messages: Vec<Message>,
}

impl State {
    /// Every site's state.
    pub(super) fn dump(&self) -> ProviderState {
        let mut tenants: Vec<TenantState> =
            self.tenants.all().iter().map(|t| dump_tenant(t)).collect();
        tenants.sort_by(|a, b| a.name.cmp(&b.name));
        ProviderState { tenants }
    }

    /// Replaces every site with those of `state`, checked whole first.
    pub(super) fn load(&self, state: ProviderState) -> Result<(), String> {
        let mut made = Vec::with_capacity(state.tenants.len());
        for t in state.tenants {
            let name = t.name.clone();
            let tenant = load_tenant(&self.core, t).map_err(|e| format!("site {name}: {e}"))?;
            made.push((name, tenant));
        }
        self.tenants.reset(None);
        for (name, tenant) in made {
            self.tenants.put(&name, tenant);
        }
        Ok(())
    }
}

fn dump_tenant(t: &Tenant) -> TenantState {
    let (users, last_user_id) = t.users.dump();
    let (orders, counters) = t.orders.dump();
    TenantState {
        name: t.name.to_string(),
        settings: t.settings.clone(),
        users,
        last_user_id,
        orders: orders
            .into_iter()
            .map(|(order, messages)| OrderState { order, messages })
            .collect(),
        counters,
    }
}

fn load_tenant(core: &crate::core::Core, t: TenantState) -> Result<Tenant, String> {
    let users = UserStore::load(t.users, t.last_user_id)?;
    let orders = t.orders.into_iter().map(|o| (o.order, o.messages));
    let orders = OrderStore::load(orders.collect(), t.counters)?;
    let name: Arc<str> = Arc::from(t.name.as_str());
    let mut tenant = Tenant::new(core, &name, &t.settings);
    tenant.users = users;
    tenant.orders = orders;
    Ok(tenant)
}

/// A message's `sender_type`: `user`, `admin` or `system`.
pub(super) fn sender_type<'de, D: Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
    let name = String::deserialize(d)?;
    ["user", "admin", "system"]
        .into_iter()
        .find(|t| *t == name)
        .ok_or_else(|| serde::de::Error::custom(format!("unknown sender_type {name:?}")))
}

/// A message's `message_type`, one of the documented ones.
pub(super) fn message_type<'de, D: Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
    let name = String::deserialize(d)?;
    super::messages::message_type(&name)
        .ok_or_else(|| serde::de::Error::custom(format!("unknown message_type {name:?}")))
}

/// A password digest as 64 hex digits.
pub(super) mod hex32 {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        s.serialize_str(&hex)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
        let hex = String::deserialize(d)?;
        let mut out = [0u8; 32];
        let valid = hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit());
        if !valid {
            return Err(serde::de::Error::custom(
                "a password digest is 64 hex digits",
            ));
        }
        for (byte, pair) in out.iter_mut().zip(hex.as_bytes().chunks(2)) {
            let pair = std::str::from_utf8(pair).map_err(serde::de::Error::custom)?;
            *byte = u8::from_str_radix(pair, 16).map_err(serde::de::Error::custom)?;
        }
        Ok(out)
    }
}
