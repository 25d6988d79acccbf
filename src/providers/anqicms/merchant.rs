//! The merchant's side of an order, which AnqiCMS keeps in its admin panel with no public API:
//! the admin API reaches it (`/_emulator/anqicms/orders/{id}/...`) so that a test can play the
//! merchant, posting messages as `admin` or `system` and quoting a price.

use super::messages::{content_fault, message_type, store};
use super::order_store::{Message, Order, QUOTED};
use super::{State, PROVIDER};
use std::borrow::Cow;

/// The sender ID of the merchant's messages (the site's first admin), and of system ones.
const ADMIN_ID: u64 = 1;
const SYSTEM_ID: u64 = 0;

/// Why the merchant's call failed: the site or order is unknown (`NotFound`), or the request
/// is not valid (`Invalid`, with the reason).
#[derive(Debug)]
pub enum Failure {
    NotFound(String),
    Invalid(Cow<'static, str>),
}

/// A message the merchant posts.
pub struct Post<'a> {
    pub sender_type: &'a str,
    pub sender_name: Option<&'a str>,
    pub message_type: &'a str,
    pub content: &'a str,
}

impl State {
    fn site(&self, tenant: &str) -> Result<std::sync::Arc<super::tenant::Tenant>, Failure> {
        (self.tenants.get(tenant))
            .ok_or_else(|| Failure::NotFound(format!("{PROVIDER} has no tenant {tenant:?}")))
    }

    /// Posts `post` into the order `id` of `tenant`.
    pub fn merchant_message(
        &self,
        tenant: &str,
        id: u64,
        post: &Post<'_>,
    ) -> Result<Message, Failure> {
        let (sender_type, sender_id) = match post.sender_type {
            "admin" => ("admin", ADMIN_ID),
            "system" => ("system", SYSTEM_ID),
            _ => {
                return Err(Failure::Invalid(
                    "sender_type is \"admin\" or \"system\"".into(),
                ))
            }
        };
        let kind = message_type(post.message_type).ok_or_else(|| {
            Failure::Invalid(
                "message_type is one of text, image, quote, video, file, audio, \
                              location, contact, sticker, unknown"
                    .into(),
            )
        })?;
        if let Some(fault) = content_fault(post.content) {
            return Err(Failure::Invalid(fault.into()));
        }
        if post.sender_name.is_some_and(|n| n.chars().count() > 64) {
            return Err(Failure::Invalid(
                "sender_name has at most 64 characters".into(),
            ));
        }
        let site = self.site(tenant)?;
        let message = Message {
            id: 0,
            created_time: self.core.clock.now_ms().div_euclid(1000),
            comm_order_id: id,
            sender_id,
            sender_type,
            sender_name: post.sender_name.unwrap_or(sender_type).to_owned(),
            message_type: kind,
            content: post.content.to_owned(),
        };
        let now_ms = self.core.clock.now_ms();
        let mut stored = message.clone();
        stored.id = store(&self.core, &site, None, message, now_ms)
            .map_err(|_| Failure::NotFound(format!("{tenant} has no communication order {id}")))?;
        Ok(stored)
    }

    /// Quotes `price` with `content` on the order `id` of `tenant`: it becomes quoted (2).
    pub fn merchant_quote(
        &self,
        tenant: &str,
        id: u64,
        price: &str,
        content: &str,
    ) -> Result<Order, Failure> {
        let site = self.site(tenant)?;
        let now_s = self.core.clock.now_ms().div_euclid(1000);
        let quoted = site.orders.update(id, None, |order| {
            order.quote_price = price.to_owned();
            order.quote_content = content.to_owned();
            order.status = QUOTED;
            order.updated_time = now_s;
            order.clone()
        });
        quoted.map_err(|_| Failure::NotFound(format!("{tenant} has no communication order {id}")))
    }
}
