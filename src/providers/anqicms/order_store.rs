//! A site's communication orders and their messages (contract §5–7): orders numbered from 1,
//! each owned by one user, with its status, quote and messages in the order they arrived;
//! messages numbered across the site. At most `max_orders` orders, and `max_messages`
//! messages (the oldest evicted first, from whichever order holds it). A page of an order's
//! messages costs the same whatever the order's length.

use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, VecDeque};
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

/// `status` of a new order, one in communication, one quoted, one whose quote was accepted.
pub const PENDING: i64 = 0;
pub const COMMUNICATING: i64 = 1;
pub const QUOTED: i64 = 2;
pub const ACCEPTED: i64 = 3;

/// A message of an order (`id`, `created_time` and the documented fields, in that order).
#[derive(Debug, Clone, Serialize)]
pub struct Message {
    pub id: u64,
    pub created_time: i64,
    pub comm_order_id: u64,
    pub sender_id: u64,
    pub sender_type: &'static str,
    pub sender_name: String,
    pub message_type: &'static str,
    pub content: String,
}

/// An order as the API shows it, its messages apart.
#[derive(Debug, Clone, Serialize)]
pub struct Order {
    pub id: u64,
    pub created_time: i64,
    pub updated_time: i64,
    pub order_id: u64,
    pub user_id: u64,
    pub admin_id: u64,
    pub archive_id: u64,
    pub title: String,
    pub content: String,
    pub phone: String,
    pub event_date: String,
    pub thumb: String,
    pub images: Vec<String>,
    pub sketch_images: Vec<String>,
    pub finished_images: Vec<String>,
    pub quote_price: String,
    pub quote_content: String,
    pub order_extra: Option<Value>,
    pub order_fields: Option<()>,
    pub status: i64,
    #[serde(skip)]
    pub messages: VecDeque<Message>,
}

/// Why an order or a message could not be stored or read.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// No such order.
    Unknown,
    /// Another user's order.
    NotOwner,
    /// The store holds `max_orders`.
    Full,
}

#[derive(Debug, Default)]
struct Orders {
    by_id: BTreeMap<u64, Order>,
    last_order: u64,
    last_message: u64,
    last_pay_order: u64,
    /// The order of every kept message, oldest first.
    arrivals: VecDeque<u64>,
}

/// One page of a list, and how many there are in all.
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: usize,
}

/// Which part of a list a page is: `current` and `size` as the client gave them (a size
/// below 0 means no limit, 0 an empty page, as the real server's query builder does).
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub current: i64,
    pub size: i64,
}

impl Window {
    /// The range of `len` items the page holds.
    fn range(self, len: usize) -> std::ops::Range<usize> {
        let offset = self
            .current
            .saturating_sub(1)
            .saturating_mul(self.size.max(0));
        let start = usize::try_from(offset).unwrap_or(0).min(len);
        let end = match usize::try_from(self.size) {
            Ok(size) => start.saturating_add(size).min(len),
            Err(_) => len,
        };
        start..end
    }
}

/// The orders of a tenant.
#[derive(Debug, Default)]
pub struct OrderStore {
    inner: RwLock<Orders>,
}

impl OrderStore {
    fn read(&self) -> RwLockReadGuard<'_, Orders> {
        self.inner.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, Orders> {
        self.inner.write().unwrap_or_else(|p| p.into_inner())
    }

    /// Stores `order` with the next ID unless the store holds `max` (0: no bound).
    pub fn insert(&self, mut order: Order, max: usize) -> Result<Order, Refused> {
        let mut orders = self.write();
        if max > 0 && orders.by_id.len() >= max {
            return Err(Refused::Full);
        }
        orders.last_order += 1;
        order.id = orders.last_order;
        orders.by_id.insert(order.id, order.clone());
        Ok(order)
    }

    /// What `look` reads from the order `id` of `owner` (any owner when `None`).
    pub fn with<R>(
        &self,
        id: u64,
        owner: Option<u64>,
        look: impl FnOnce(&Order) -> R,
    ) -> Result<R, Refused> {
        let orders = self.read();
        let order = orders.by_id.get(&id).ok_or(Refused::Unknown)?;
        if owner.is_some_and(|o| o != order.user_id) {
            return Err(Refused::NotOwner);
        }
        Ok(look(order))
    }

    /// Changes the order `id` of `owner` (any owner when `None`) with `change`.
    pub fn update<R>(
        &self,
        id: u64,
        owner: Option<u64>,
        change: impl FnOnce(&mut Order) -> R,
    ) -> Result<R, Refused> {
        let mut orders = self.write();
        let order = orders.by_id.get_mut(&id).ok_or(Refused::Unknown)?;
        if owner.is_some_and(|o| o != order.user_id) {
            return Err(Refused::NotOwner);
        }
        Ok(change(order))
    }

    /// A new pay order number, for an accepted quote.
    pub fn pay_order_id(&self) -> u64 {
        let mut orders = self.write();
        orders.last_pay_order += 1;
        orders.last_pay_order
    }

    /// A page of `owner`'s orders, newest first, through `show`.
    pub fn page_of<R>(&self, owner: u64, window: Window, show: impl Fn(&Order) -> R) -> Page<R> {
        let orders = self.read();
        let own: Vec<&Order> = (orders.by_id.values().rev())
            .filter(|o| o.user_id == owner)
            .collect();
        let range = window.range(own.len());
        Page {
            items: own[range].iter().map(|o| show(o)).collect(),
            total: own.len(),
        }
    }

    /// Adds `message` (its ID assigned) to the order `id` of `owner` (any owner when `None`),
    /// evicting the oldest message past `max` (0: no bound); `then` sees the order and the
    /// stored message.
    pub fn add_message<R>(
        &self,
        id: u64,
        owner: Option<u64>,
        mut message: Message,
        max: usize,
        then: impl FnOnce(&mut Order, &Message) -> R,
    ) -> Result<R, Refused> {
        let mut guard = self.write();
        let orders = &mut *guard;
        let order = orders.by_id.get_mut(&id).ok_or(Refused::Unknown)?;
        if owner.is_some_and(|o| o != order.user_id) {
            return Err(Refused::NotOwner);
        }
        orders.last_message += 1;
        message.id = orders.last_message;
        message.comm_order_id = id;
        order.messages.push_back(message);
        let stored = order.messages.back().cloned();
        let result = stored.map(|m| then(order, &m));
        orders.arrivals.push_back(id);
        while max > 0 && orders.arrivals.len() > max {
            orders.evict_oldest();
        }
        result.ok_or(Refused::Unknown)
    }

    /// A page of the messages of the order `id` of `owner`, oldest first, through `show`.
    pub fn messages<R>(
        &self,
        id: u64,
        owner: u64,
        window: Window,
        show: impl Fn(&Message) -> R,
    ) -> Result<Page<R>, Refused> {
        self.with(id, Some(owner), |order| {
            let range = window.range(order.messages.len());
            Page {
                items: order.messages.range(range).map(show).collect(),
                total: order.messages.len(),
            }
        })
    }

    /// How many orders, and messages, it holds.
    pub fn counts(&self) -> (usize, usize) {
        let orders = self.read();
        (orders.by_id.len(), orders.arrivals.len())
    }
}

impl Orders {
    fn evict_oldest(&mut self) {
        let Some(id) = self.arrivals.pop_front() else {
            return;
        };
        if let Some(order) = self.by_id.get_mut(&id) {
            order.messages.pop_front();
        }
    }
}
