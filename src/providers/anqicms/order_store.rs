//! A site's communication orders and their messages (contract §5–7): orders numbered from 1,
//! each owned by one user, with its status, quote and messages in the order they arrived;
//! messages numbered across the site. At most `max_orders` orders, and `max_messages`
//! messages holding at most `max_message_bytes` of content (the oldest evicted first, from
//! whichever order holds it). A page of an order's
//! messages costs the same whatever the order's length.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, VecDeque};
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

/// `status` of a new order, one in communication, one quoted, one whose quote was accepted.
pub const PENDING: i64 = 0;
pub const COMMUNICATING: i64 = 1;
pub const QUOTED: i64 = 2;
pub const ACCEPTED: i64 = 3;

/// One of a fixed set of names (as a type of its own, so that serde reads it with the function
/// given instead of borrowing from the input).
pub type Name = &'static str;

/// A message of an order (`id`, `created_time` and the documented fields, in that order).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Message {
    pub id: u64,
    pub created_time: i64,
    pub comm_order_id: u64,
    pub sender_id: u64,
    #[serde(deserialize_with = "super::snapshot::sender_type")]
    pub sender_type: Name,
    pub sender_name: String,
    #[serde(deserialize_with = "super::snapshot::message_type")]
    pub message_type: Name,
    pub content: String,
}

/// An order as the API shows it, its messages apart (a state document keeps them beside it).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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
    #[serde(skip, default)]
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

/// A site's orders, and what a state document keeps of them besides the orders and their
/// messages.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Orders {
    #[serde(skip)]
    by_id: BTreeMap<u64, Order>,
    last_order: u64,
    last_message: u64,
    last_pay_order: u64,
    /// The order of every kept message, oldest first.
    arrivals: VecDeque<u64>,
    /// The bytes of content of the kept messages.
    #[serde(skip)]
    bytes: usize,
}

/// How many messages, and bytes of their content, a site keeps (0: no bound).
#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    pub messages: usize,
    pub bytes: usize,
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
    /// The range of `len` items the page holds: Go computes the offset `(current-1)*size` in
    /// wrapping 64-bit arithmetic, and the query builder drops one that is not positive.
    fn range(self, len: usize) -> std::ops::Range<usize> {
        let offset = self.current.wrapping_sub(1).wrapping_mul(self.size);
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

    /// Accepts the quote of the order `id` of `owner` at `now_s`: a quoted order gets the next
    /// pay order number and status 3 (`Ok(Some)`); any other is left as it is (`Ok(None)`).
    pub fn accept(&self, id: u64, owner: u64, now_s: i64) -> Result<Option<Order>, Refused> {
        let mut guard = self.write();
        let orders = &mut *guard;
        let order = orders.by_id.get_mut(&id).ok_or(Refused::Unknown)?;
        if order.user_id != owner {
            return Err(Refused::NotOwner);
        }
        if order.status != QUOTED {
            return Ok(None);
        }
        orders.last_pay_order += 1;
        order.order_id = orders.last_pay_order;
        order.status = ACCEPTED;
        order.updated_time = now_s;
        Ok(Some(order.clone()))
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
    /// evicting the oldest messages past `bounds`; `then` sees the order and the message (under
    /// the lock, so that what it records is in message order).
    pub fn add_message<R>(
        &self,
        id: u64,
        owner: Option<u64>,
        mut message: Message,
        bounds: Bounds,
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
        let result = then(order, &message);
        orders.bytes += message.content.len();
        order.messages.push_back(message);
        orders.arrivals.push_back(id);
        while orders.over(bounds) {
            orders.evict_oldest();
        }
        Ok(result)
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

    /// Every order with its messages, and the counters: what a state document keeps.
    pub fn dump(&self) -> (Vec<(Order, Vec<Message>)>, Orders) {
        let orders = self.read();
        let all = orders.by_id.values();
        let all = all.map(|o| (o.clone(), o.messages.iter().cloned().collect()));
        let counters = Orders {
            by_id: BTreeMap::new(),
            last_order: orders.last_order,
            last_message: orders.last_message,
            last_pay_order: orders.last_pay_order,
            arrivals: orders.arrivals.clone(),
            bytes: 0,
        };
        (all.collect(), counters)
    }

    /// A store holding `all` with the counters of `counters`; refuses an order twice, a
    /// message of another order, or arrivals that do not match the messages.
    pub fn load(all: Vec<(Order, Vec<Message>)>, mut counters: Orders) -> Result<Self, String> {
        let mut held = BTreeMap::new();
        for (mut order, messages) in all {
            let id = order.id;
            if messages.iter().any(|m| m.comm_order_id != id) || held.contains_key(&id) {
                return Err(format!(
                    "order {id}: repeated, or holding another order's message"
                ));
            }
            order.messages = messages.into();
            held.insert(id, order);
        }
        let messages: usize = held.values().map(|o| o.messages.len()).sum();
        if messages != counters.arrivals.len() {
            return Err(format!(
                "{messages} messages but {} arrivals",
                counters.arrivals.len()
            ));
        }
        counters.bytes = held
            .values()
            .flat_map(|o| &o.messages)
            .map(|m| m.content.len())
            .sum();
        counters.by_id = held;
        Ok(Self {
            inner: RwLock::new(counters),
        })
    }

    /// How many orders and messages it holds, and the bytes of the messages' content.
    pub fn counts(&self) -> (usize, usize, usize) {
        let orders = self.read();
        (orders.by_id.len(), orders.arrivals.len(), orders.bytes)
    }
}

impl Orders {
    /// Whether the kept messages exceed `bounds`.
    fn over(&self, bounds: Bounds) -> bool {
        let count = bounds.messages > 0 && self.arrivals.len() > bounds.messages;
        let bytes = bounds.bytes > 0 && self.bytes > bounds.bytes;
        (count || bytes) && !self.arrivals.is_empty()
    }

    fn evict_oldest(&mut self) {
        let Some(id) = self.arrivals.pop_front() else {
            return;
        };
        let evicted = self.by_id.get_mut(&id).and_then(|o| o.messages.pop_front());
        if let Some(m) = evicted {
            self.bytes -= m.content.len();
        }
    }
}
