//! Long-poll readers held open on a server while another load runs.
//!
//! Each waiter has its own keep-alive connection, writes its request once and
//! then waits for the reply (writing the request again if one comes, so that a
//! long-poll that times out is renewed). They live on a thread and runtime of
//! their own, idle while they wait, so that they take nothing from the load
//! generator's runtime.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use nix::sys::resource::{getrlimit, setrlimit, Resource};
use tokio::sync::oneshot;

use crate::conn::Conn;
use crate::load::runtime;

/// File descriptors the load generator keeps for itself beyond its connections.
const SPARE_FILES: u64 = 64;
/// A reply sooner than this means the server does not hold the request.
const HELD_AT_LEAST: Duration = Duration::from_secs(1);
/// How often `wait_sent` looks at the count.
const POLL: Duration = Duration::from_millis(5);

/// A set of open long-poll requests; closed (connections dropped) on `close`
/// or when dropped.
pub struct Waiters {
    state: Arc<State>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

/// Counts shared with the waiters' thread.
#[derive(Default)]
struct State {
    /// Requests written (a waiter writes again after each reply).
    sent: AtomicU64,
    /// Requests written and not yet answered: waiters waiting now.
    waiting: AtomicU64,
    /// Replies received.
    answered: AtomicU64,
    /// Waiters whose connection failed or was closed; they are not reopened.
    failed: AtomicU64,
    /// The first unexpected event: a reply other than 200, or a failure.
    problem: Mutex<Option<String>>,
}

/// How the waiters fared.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    pub sent: u64,
    pub waiting: u64,
    pub answered: u64,
    pub failed: u64,
    pub problem: Option<String>,
}

impl Waiters {
    /// Opens `n` connections to `addr`, one after the other, and writes
    /// `request` on each. Returns once every connection is open; the requests
    /// may still be in flight (see [`Waiters::wait_sent`]).
    pub fn open(addr: SocketAddr, request: Vec<u8>, n: usize) -> Result<Self, String> {
        let state = Arc::new(State::default());
        let (stop_tx, stop_rx) = oneshot::channel::<()>();
        let (ready_tx, ready_rx) = mpsc::channel::<Result<(), String>>();
        let shared = state.clone();
        let thread = thread::Builder::new()
            .name("bench-waiters".into())
            .spawn(move || {
                let rt = match runtime(1) {
                    Ok(rt) => rt,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                rt.block_on(async move {
                    let request = Arc::new(request);
                    for i in 0..n {
                        match Conn::open(addr).await {
                            Ok(conn) => {
                                drop(tokio::spawn(wait(conn, request.clone(), shared.clone())))
                            }
                            Err(e) => {
                                let _ = ready_tx.send(Err(format!("waiter {i}: {e}")));
                                return;
                            }
                        }
                    }
                    let _ = ready_tx.send(Ok(()));
                    let _ = stop_rx.await;
                });
                // Dropping the runtime cancels the waiters and closes their connections.
            })
            .map_err(|e| format!("waiters thread: {e}"))?;
        let mut waiters = Self {
            state,
            stop: Some(stop_tx),
            thread: Some(thread),
        };
        match ready_rx.recv() {
            Ok(Ok(())) => Ok(waiters),
            Ok(Err(e)) => {
                waiters.shut();
                Err(e)
            }
            Err(_) => {
                waiters.shut();
                Err("the waiters' thread ended early".into())
            }
        }
    }

    /// Waits until `n` requests are written and unanswered, or fails with what
    /// went wrong (any reply, a failure, or `timeout`).
    pub fn wait_sent(&self, n: u64, timeout: Duration) -> Result<(), String> {
        let deadline = Instant::now() + timeout;
        loop {
            let t = self.tally();
            if let Some(problem) = t.problem {
                return Err(problem);
            }
            if t.answered > 0 || t.failed > 0 {
                return Err(format!(
                    "{} waiters answered and {} failed before the run",
                    t.answered, t.failed
                ));
            }
            if t.waiting >= n {
                return Ok(());
            }
            if Instant::now() >= deadline {
                return Err(format!(
                    "only {} of {n} waiters wrote their request within {timeout:?}",
                    t.waiting
                ));
            }
            thread::sleep(POLL);
        }
    }

    /// The counts so far.
    pub fn tally(&self) -> Tally {
        let s = &self.state;
        Tally {
            sent: s.sent.load(Ordering::SeqCst),
            waiting: s.waiting.load(Ordering::SeqCst),
            answered: s.answered.load(Ordering::SeqCst),
            failed: s.failed.load(Ordering::SeqCst),
            problem: s.problem.lock().map_or(None, |p| p.clone()),
        }
    }

    /// Closes every connection and returns the final counts.
    pub fn close(mut self) -> Tally {
        let tally = self.tally();
        self.shut();
        tally
    }

    fn shut(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Waiters {
    fn drop(&mut self) {
        self.shut();
    }
}

impl State {
    /// Remembers the first problem only.
    fn note(&self, problem: String) {
        if let Ok(mut p) = self.problem.lock() {
            p.get_or_insert(problem);
        }
    }
}

/// One waiter: writes the request, waits for the reply, and again when the
/// reply is a long-poll that ran out. A waiter answered otherwise (an error
/// status, or sooner than [`HELD_AT_LEAST`]) stops, and says why.
async fn wait(mut conn: Conn, request: Arc<Vec<u8>>, state: Arc<State>) {
    loop {
        if let Err(e) = conn.send(&request).await {
            state.failed.fetch_add(1, Ordering::SeqCst);
            state.note(format!("a waiter could not write its request: {e}"));
            return;
        }
        state.sent.fetch_add(1, Ordering::SeqCst);
        state.waiting.fetch_add(1, Ordering::SeqCst);
        let sent = Instant::now();
        let outcome = conn.receive().await;
        state.waiting.fetch_sub(1, Ordering::SeqCst);
        match outcome {
            Ok(o) => {
                state.answered.fetch_add(1, Ordering::SeqCst);
                let waited = sent.elapsed();
                if o.status != 200 {
                    state.note(format!("a waiter was answered with status {}", o.status));
                } else if waited < HELD_AT_LEAST {
                    state.note(format!(
                        "a waiter was answered after {} ms: the server does not hold it",
                        waited.as_millis()
                    ));
                }
                if o.status != 200 || waited < HELD_AT_LEAST {
                    return;
                }
                if o.close {
                    state.failed.fetch_add(1, Ordering::SeqCst);
                    state.note("the server closed a waiter's connection".into());
                    return;
                }
            }
            Err(e) => {
                state.failed.fetch_add(1, Ordering::SeqCst);
                state.note(format!("a waiter's connection failed: {e}"));
                return;
            }
        }
    }
}

/// Makes sure this process may open `connections` more sockets: raises the
/// soft open-file limit towards the hard one if it has to.
pub fn ensure_open_files(connections: u64) -> Result<(), String> {
    let needed = connections + SPARE_FILES;
    let (soft, hard) = getrlimit(Resource::RLIMIT_NOFILE).map_err(|e| e.to_string())?;
    match soft_limit_for(needed, soft, hard)? {
        None => Ok(()),
        Some(raised) => setrlimit(Resource::RLIMIT_NOFILE, raised, hard)
            .map_err(|e| format!("raising the open-file limit to {raised}: {e}")),
    }
}

/// The soft limit to set so that `needed` files may be open (`None`: the
/// current `soft` one will do), or why that is impossible under `hard`.
fn soft_limit_for(needed: u64, soft: u64, hard: u64) -> Result<Option<u64>, String> {
    if soft >= needed {
        Ok(None)
    } else if hard >= needed {
        Ok(Some(needed))
    } else {
        Err(format!(
            "needs {needed} open files, and the hard limit is {hard} (raise `ulimit -n`)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raises_the_soft_file_limit_only_when_needed() {
        assert_eq!(soft_limit_for(1_096, 20_000, 20_000), Ok(None));
        assert_eq!(soft_limit_for(1_096, 1_024, 4_096), Ok(Some(1_096)));
        assert!(soft_limit_for(1_096, 1_024, 1_024).is_err());
    }

    #[test]
    fn a_refused_connection_is_reported() {
        // Bind then drop a listener: nothing listens on its port any more.
        let addr = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let err = Waiters::open(addr, b"GET / HTTP/1.1\r\n\r\n".to_vec(), 3)
            .err()
            .unwrap();
        assert!(err.starts_with("waiter 0:"), "{err}");
    }

    #[test]
    fn a_waiter_answered_at_once_is_reported() {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let server = thread::spawn(move || {
            let (mut s, _) = listener.accept().unwrap();
            let mut buf = [0u8; 256];
            let _ = s.read(&mut buf).unwrap();
            s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")
                .unwrap();
            s
        });
        let waiters = Waiters::open(addr, b"GET / HTTP/1.1\r\n\r\n".to_vec(), 1).unwrap();
        // wait_sent may see the request written before the reply comes; a
        // look once the reply is in must report it.
        let deadline = Instant::now() + Duration::from_secs(5);
        while waiters.tally().answered == 0 && Instant::now() < deadline {
            thread::sleep(POLL);
        }
        let err = waiters.wait_sent(1, Duration::from_secs(5)).unwrap_err();
        assert!(err.contains("the server does not hold it"), "{err}");
        let _socket = server.join().unwrap();
        let tally = waiters.close();
        assert_eq!((tally.sent, tally.waiting, tally.answered), (1, 0, 1));
    }

    #[test]
    fn waiters_stay_open_until_closed() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        // A server that accepts and never answers, holding its sockets.
        let accepted = thread::spawn(move || {
            (0..4)
                .map(|_| listener.accept().unwrap().0)
                .collect::<Vec<_>>()
        });
        let waiters = Waiters::open(addr, b"GET / HTTP/1.1\r\n\r\n".to_vec(), 4).unwrap();
        waiters.wait_sent(4, Duration::from_secs(5)).unwrap();
        let _sockets = accepted.join().unwrap();
        let tally = waiters.close();
        assert_eq!((tally.sent, tally.waiting, tally.answered), (4, 4, 0));
        assert_eq!((tally.failed, tally.problem), (0, None));
    }
}
