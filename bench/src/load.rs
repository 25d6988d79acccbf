//! Closed-loop load: each connection sends its next request as soon as the
//! previous response is in, for a fixed time or a fixed request count.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::runtime::Runtime;
use tokio::task::JoinSet;

use crate::conn::Conn;
use crate::stats::Tally;

/// Pause before reconnecting after a failed connection attempt.
const RECONNECT_PAUSE: Duration = Duration::from_millis(10);

/// When a closed-loop run ends.
#[derive(Debug, Clone, Copy)]
pub enum Stop {
    /// Run `warmup` unmeasured, then measure for `measure`.
    Window { warmup: Duration, measure: Duration },
    /// Send exactly this many requests, all measured.
    Count(u64),
}

/// The requests every connection cycles through, each from its own offset.
pub type Requests = Arc<Vec<Vec<u8>>>;

/// Latencies and errors of a run, and the time they were measured over.
pub struct Run {
    pub tally: Tally,
    pub elapsed: Duration,
}

/// The load generator's runtime: one thread unless asked for more.
pub fn runtime(threads: usize) -> Result<Runtime, String> {
    let mut builder = if threads <= 1 {
        tokio::runtime::Builder::new_current_thread()
    } else {
        let mut b = tokio::runtime::Builder::new_multi_thread();
        b.worker_threads(threads);
        b
    };
    builder.enable_all().build().map_err(|e| e.to_string())
}

/// Opens `n` connections before any load starts.
pub async fn open_all(addr: SocketAddr, n: usize) -> Result<Vec<Conn>, String> {
    let mut conns = Vec::with_capacity(n);
    for _ in 0..n {
        conns.push(Conn::open(addr).await?);
    }
    Ok(conns)
}

/// Runs `connections` closed loops against `addr` until `stop`.
pub fn closed_loop(
    addr: SocketAddr,
    requests: Requests,
    connections: usize,
    stop: Stop,
    threads: usize,
) -> Result<Run, String> {
    runtime(threads)?.block_on(async move {
        let conns = open_all(addr, connections).await?;
        let gate = Arc::new(Gate::new(Instant::now(), stop));
        let mut tasks = JoinSet::new();
        for (i, conn) in conns.into_iter().enumerate() {
            tasks.spawn(worker(addr, conn, requests.clone(), i, gate.clone()));
        }
        let mut tally = Tally::new();
        let mut last = gate.start;
        while let Some(joined) = tasks.join_next().await {
            let (t, done) = joined.map_err(|e| e.to_string())?;
            tally.merge(&t);
            last = last.max(done);
        }
        let elapsed = match stop {
            Stop::Window { measure, .. } => measure,
            Stop::Count(_) => last - gate.start,
        };
        Ok(Run { tally, elapsed })
    })
}

/// One connection's loop; returns its tally and when its last reply came.
async fn worker(
    addr: SocketAddr,
    conn: Conn,
    requests: Requests,
    offset: usize,
    gate: Arc<Gate>,
) -> (Tally, Instant) {
    let mut tally = Tally::new();
    let mut slot = Some(conn);
    let mut last = gate.start;
    for i in offset.. {
        if !gate.admit(Instant::now()) {
            break;
        }
        let Some(conn) = reconnect(&mut slot, addr).await else {
            tally.errors += u64::from(gate.counts(Instant::now(), Instant::now()));
            continue;
        };
        let started = Instant::now();
        let outcome = conn.exchange(&requests[i % requests.len()]).await;
        last = Instant::now();
        if outcome.as_ref().map_or(true, |o| o.close) {
            slot = None;
        }
        if gate.counts(started, last) {
            match outcome {
                Ok(o) if o.status == 200 => tally.ok(last - started),
                _ => tally.errors += 1,
            }
        }
    }
    (tally, last)
}

/// The open connection, or a new one; `None` (after a pause) if that fails.
pub async fn reconnect(slot: &mut Option<Conn>, addr: SocketAddr) -> Option<&mut Conn> {
    if slot.is_none() {
        match Conn::open(addr).await {
            Ok(c) => *slot = Some(c),
            Err(_) => {
                tokio::time::sleep(RECONNECT_PAUSE).await;
                return None;
            }
        }
    }
    slot.as_mut()
}

/// Decides which requests are sent and which are measured.
struct Gate {
    start: Instant,
    stop: Stop,
    sent: AtomicU64,
}

impl Gate {
    fn new(start: Instant, stop: Stop) -> Self {
        Self {
            start,
            stop,
            sent: AtomicU64::new(0),
        }
    }

    /// May another request start at `now`?
    fn admit(&self, now: Instant) -> bool {
        match self.stop {
            Stop::Window { warmup, measure } => now < self.start + warmup + measure,
            Stop::Count(n) => self.sent.fetch_add(1, Ordering::Relaxed) < n,
        }
    }

    /// Is a request that ran from `started` to `done` inside the measurement?
    fn counts(&self, started: Instant, done: Instant) -> bool {
        match self.stop {
            Stop::Window { warmup, measure } => {
                started >= self.start + warmup && done <= self.start + warmup + measure
            }
            Stop::Count(_) => true,
        }
    }
}
