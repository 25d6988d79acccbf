//! Open-loop load at a fixed rate, free of coordinated omission.
//!
//! A pacer thread releases request start times at the target rate, handing
//! them round-robin to the connections. Latency runs from the scheduled start,
//! so a request that waits behind a slow one is charged for the wait. The
//! pacer sleeps with the OS timer (at most every 100 µs, with tens of
//! microseconds of slack), not the async runtime's millisecond timer.

use std::net::SocketAddr;
use std::thread;
use std::time::{Duration, Instant};

use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};
use tokio::task::JoinSet;

use crate::conn::Conn;
use crate::load::{open_all, reconnect, runtime, Requests, Run};
use crate::stats::Tally;

/// Least time the pacer sleeps: it wakes at most every `TICK` and then
/// releases every start time that is due, so that it does not take a core's
/// worth of wake-ups from the server. Adds at most `TICK` to a latency.
const TICK: Duration = Duration::from_micros(100);
/// Time after the schedule ends in which queued requests may still be sent.
const GRACE: Duration = Duration::from_secs(2);

/// The rate and times of an open-loop run.
#[derive(Debug, Clone, Copy)]
pub struct Schedule {
    pub rate: f64,
    pub warmup: Duration,
    pub measure: Duration,
}

/// Start times whose requests are measured, and when to give up.
#[derive(Clone, Copy)]
struct Window {
    from: Instant,
    to: Instant,
}

/// Sends `requests` over `connections` at `schedule.rate` requests per second.
pub fn open_loop(
    addr: SocketAddr,
    requests: Requests,
    connections: usize,
    schedule: Schedule,
    threads: usize,
) -> Result<Run, String> {
    runtime(threads)?.block_on(async move {
        let conns = open_all(addr, connections).await?;
        let start = Instant::now() + Duration::from_millis(5);
        let from = start + schedule.warmup;
        let window = Window {
            from,
            to: from + schedule.measure,
        };
        let mut senders = Vec::with_capacity(connections);
        let mut tasks = JoinSet::new();
        for (i, conn) in conns.into_iter().enumerate() {
            let (tx, rx) = unbounded_channel();
            senders.push(tx);
            tasks.spawn(worker(addr, conn, requests.clone(), i, rx, window));
        }
        let pacer = thread::spawn(move || pace(senders, start, schedule.rate, window.to));
        let mut tally = Tally::new();
        while let Some(joined) = tasks.join_next().await {
            tally.merge(&joined.map_err(|e| e.to_string())?);
        }
        pacer.join().map_err(|_| "pacer thread panicked")?;
        Ok(Run {
            tally,
            elapsed: schedule.measure,
        })
    })
}

/// Releases start times `start + k / rate` until `end`, round-robin.
fn pace(senders: Vec<UnboundedSender<Instant>>, start: Instant, rate: f64, end: Instant) {
    for k in 0u64.. {
        let at = start + Duration::from_secs_f64(k as f64 / rate);
        if at >= end {
            break;
        }
        let now = Instant::now();
        if at > now {
            thread::sleep((at - now).max(TICK));
        }
        let _ = senders[(k % senders.len() as u64) as usize].send(at);
    }
}

/// Sends one request per start time received; measures from that time.
async fn worker(
    addr: SocketAddr,
    conn: Conn,
    requests: Requests,
    offset: usize,
    mut rx: UnboundedReceiver<Instant>,
    window: Window,
) -> Tally {
    let mut tally = Tally::new();
    let mut slot = Some(conn);
    let mut i = offset;
    while let Some(at) = rx.recv().await {
        let counted = at >= window.from;
        if Instant::now() > window.to + GRACE {
            tally.errors += u64::from(counted);
            continue;
        }
        let Some(conn) = reconnect(&mut slot, addr).await else {
            tally.errors += u64::from(counted);
            continue;
        };
        let outcome = conn.exchange(&requests[i % requests.len()]).await;
        i += 1;
        if outcome.as_ref().map_or(true, |o| o.close) {
            slot = None;
        }
        if counted {
            match outcome {
                Ok(o) if o.status == 200 => tally.ok(Instant::now() - at),
                _ => tally.errors += 1,
            }
        }
    }
    tally
}
