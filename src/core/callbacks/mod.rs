//! Callbacks: the requests an emulated service makes to the developer's application server
//! (Easemob's post-send callbacks, OpenIM's webhooks, Yunxin's message copies). A provider
//! builds a [`Delivery`] (URL, ordered headers, exact body bytes, timeout, attempts, the
//! statuses that count as success) and enqueues it; a bounded queue feeds a bounded number of
//! concurrent senders, so that a slow or dead receiver never slows a provider call. Every
//! attempt is recorded in the [`store`]. Nothing here knows a provider's format or signature.

mod exchange;
pub mod store;

use crate::core::clock::Clock;
use actix_web::web::Bytes;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, Semaphore};

/// Callbacks waiting to be sent; past it a callback is recorded as dropped.
pub const QUEUE: usize = 1024;
/// Callbacks being sent at once.
pub const IN_FLIGHT: usize = 8;
/// The most bytes of an answer's body read and kept.
pub const ANSWER_KEPT: usize = 4 * 1024;
/// The most bytes read of the answer to a hook the provider's call waits for, whose body says
/// what to do with the message (OpenIM's `beforeMsgModify` may carry a whole new content).
pub const ANSWER_AWAITED: usize = 64 * 1024;

/// One callback to send.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub provider: &'static str,
    pub tenant: Arc<str>,
    /// The provider's name of the event (`message_copy`, `afterSendSingleMsg`...).
    pub event: &'static str,
    pub url: String,
    /// In the order they are sent.
    pub headers: Vec<(&'static str, String)>,
    pub body: Bytes,
    /// For the whole exchange of one attempt.
    pub timeout: Duration,
    /// Attempts in all (at least 1), made one after the other while unsuccessful.
    pub attempts: u32,
    /// The answer statuses that count as delivered.
    pub success: Vec<u16>,
}

/// How an attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Answered with a success status.
    Delivered,
    /// Answered with another status.
    Rejected,
    /// No whole answer within the timeout.
    Timeout,
    /// Not sent or not answered: refused connection, unknown name, unsupported scheme.
    Failed,
    /// Never sent: the queue was full.
    Dropped,
}

/// An answer as kept: its status and the first [`ANSWER_KEPT`] bytes of its body.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub body: Bytes,
    pub truncated: bool,
}

/// One attempt, as recorded.
#[derive(Debug)]
pub struct Attempt {
    pub id: u64,
    /// The callback's id, shared by its attempts.
    pub callback: u64,
    /// 1, 2, ...
    pub attempt: u32,
    /// The emulator's clock when the attempt started.
    pub time_ms: i64,
    pub delivery: Arc<Delivery>,
    pub answer: Option<Answer>,
    pub latency_ms: u64,
    pub outcome: Outcome,
    pub error: Option<String>,
}

impl Attempt {
    fn bytes(&self) -> usize {
        let d = &self.delivery;
        let headers: usize = d.headers.iter().map(|(n, v)| n.len() + v.len()).sum();
        d.body.len() + d.url.len() + headers + self.answer.as_ref().map_or(0, |a| a.body.len())
    }
}

/// What one attempt gave, before it is recorded.
#[derive(Debug)]
pub struct Exchanged {
    pub answer: Option<Answer>,
    pub outcome: Outcome,
    pub error: Option<String>,
}

/// A queued callback: its id and what to send.
type Queued = (u64, Arc<Delivery>);

/// The callbacks service: the queue, its senders and the attempts store.
#[derive(Debug)]
pub struct Callbacks {
    pub store: store::Store,
    queue: mpsc::Sender<Queued>,
    waiting: Mutex<Option<mpsc::Receiver<Queued>>>,
    slots: Arc<Semaphore>,
    next_callback: AtomicU64,
    /// Made on first use, on the server's runtime.
    client: OnceLock<reqwest::Client>,
}

impl Callbacks {
    /// A service keeping at most `max` attempts and `max_bytes` body bytes.
    pub fn new(max: usize, max_bytes: usize) -> Self {
        let (queue, waiting) = mpsc::channel(QUEUE);
        Self {
            store: store::Store::new(max, max_bytes),
            queue,
            waiting: Mutex::new(Some(waiting)),
            slots: Arc::new(Semaphore::new(IN_FLIGHT)),
            next_callback: AtomicU64::new(1),
            client: OnceLock::new(),
        }
    }

    /// Queues `delivery` and gives its callback id; never waits: with the queue full, the
    /// callback is recorded as dropped at `now_ms`.
    pub fn enqueue(&self, now_ms: i64, delivery: Delivery) -> u64 {
        let callback = self.next_callback.fetch_add(1, Ordering::Relaxed);
        let delivery = Arc::new(delivery);
        if let Err(e) = self.queue.try_send((callback, delivery)) {
            let (_, delivery) = e.into_inner();
            let error = "the callback queue was full: not sent".to_owned();
            let done = Exchanged {
                answer: None,
                outcome: Outcome::Dropped,
                error: Some(error),
            };
            self.record(callback, 1, now_ms, &delivery, done, 0);
        }
        callback
    }

    /// Sends `delivery` now, outside the queue, for a hook the provider's call waits for (its
    /// timeout bounds the wait); its callback id and the last attempt's outcome and answer.
    pub async fn send_now(&self, clock: &Clock, delivery: Delivery) -> (u64, Exchanged) {
        let callback = self.next_callback.fetch_add(1, Ordering::Relaxed);
        let done = (self.deliver(clock, callback, Arc::new(delivery), ANSWER_AWAITED)).await;
        (callback, done)
    }

    /// Sends again the exact request of the callback `callback`, as a new callback; its id,
    /// or `None` when no attempt of it is kept.
    pub fn replay(&self, now_ms: i64, callback: u64) -> Option<u64> {
        let attempt = self.store.of_callback(callback)?;
        Some(self.enqueue(now_ms, Delivery::clone(&attempt.delivery)))
    }

    /// Callbacks waiting in the queue.
    pub fn queued(&self) -> usize {
        QUEUE - self.queue.capacity()
    }

    /// Callbacks being sent now.
    pub fn in_flight(&self) -> usize {
        IN_FLIGHT - self.slots.available_permits()
    }

    fn record(
        &self,
        callback: u64,
        attempt: u32,
        time_ms: i64,
        delivery: &Arc<Delivery>,
        done: Exchanged,
        latency_ms: u64,
    ) {
        self.store.push(|id| Attempt {
            id,
            callback,
            attempt,
            time_ms,
            delivery: delivery.clone(),
            answer: done.answer,
            latency_ms,
            outcome: done.outcome,
            error: done.error,
        });
    }

    /// Makes the attempts of one callback, one after the other, until one is delivered, reading
    /// at most `answer_cap` bytes of each answer; the last one's outcome and answer.
    async fn deliver(
        &self,
        clock: &Clock,
        callback: u64,
        d: Arc<Delivery>,
        answer_cap: usize,
    ) -> Exchanged {
        let mut attempt = 1;
        loop {
            let (time_ms, started) = (clock.now_ms(), Instant::now());
            let client = self.client.get_or_init(exchange::client);
            let done = exchange::attempt(client, &d, answer_cap).await;
            let latency_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
            let last = Exchanged {
                answer: done.answer.clone(),
                outcome: done.outcome,
                error: done.error.clone(),
            };
            self.record(callback, attempt, time_ms, &d, done, latency_ms);
            if last.outcome == Outcome::Delivered || attempt >= d.attempts {
                return last;
            }
            attempt += 1;
        }
    }

    /// Sends the queued callbacks, at most [`IN_FLIGHT`] at once, until the server stops;
    /// started once, on the server's runtime.
    pub async fn run(core: Arc<crate::core::Core>) {
        let Some(mut waiting) = core.callbacks.take_queue() else {
            return;
        };
        while let Some((callback, delivery)) = waiting.recv().await {
            let Ok(slot) = core.callbacks.slots.clone().acquire_owned().await else {
                return;
            };
            let core = core.clone();
            tokio::spawn(async move {
                let clock = &core.clock;
                (core
                    .callbacks
                    .deliver(clock, callback, delivery, ANSWER_KEPT))
                .await;
                drop(slot);
            });
        }
    }

    fn take_queue(&self) -> Option<mpsc::Receiver<Queued>> {
        self.waiting
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
    }
}
