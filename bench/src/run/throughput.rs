//! Throughput scenarios: the baseline, closed-loop maximum, open-loop half load.

use std::net::SocketAddr;
use std::process::Command;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use super::{stop_noted, with_cpu, with_cpu_per_request, Runner};
use crate::child::Server;
use crate::endpoint::Endpoint;
use crate::health::Health;
use crate::load::Requests;
use crate::open_loop::{open_loop, Schedule};
use crate::results::Row;
use crate::scenario::{Scenario, Workload};
use crate::table::thousands;
use crate::waiters::{ensure_open_files, Tally, Waiters};

/// Token the baseline requests carry (the baseline does not check it).
const BASELINE_TOKEN: &str = "baseline-token";
/// How long the waiters may take to be sent, and counted by the server.
const WAITERS_TIMEOUT: Duration = Duration::from_secs(10);
/// Pause after the waiters are open, before checking that none was answered.
const WAITERS_SETTLE: Duration = Duration::from_millis(300);
/// How often the server's count of waiters is read while they arrive.
const WAITERS_POLL: Duration = Duration::from_millis(20);

/// Maximum throughput of the baseline server under `w`'s requests.
pub fn baseline(r: &mut Runner, name: &str, w: &Workload) -> Result<Row, String> {
    let server = spawn_baseline()?;
    let requests: Requests = Arc::new((w.requests)(&server.endpoint, BASELINE_TOKEN));
    let summary = r.closed(server.endpoint.addr, requests, r.window())?;
    r.baseline_rps = Some(summary.requests_per_sec);
    let mut row = Row::named(name).with_load(&summary);
    row.vs_baseline = Some(1.0);
    row.server_rss_bytes = server.rss();
    Ok(stop_noted(server, row))
}

/// Maximum closed-loop throughput of `w` on a fresh emulator (or --target).
pub fn load(r: &mut Runner, s: &Scenario, w: &Workload) -> Result<Row, String> {
    let name = s.name.as_str();
    let subject = r.subject(s.emulator_args)?;
    let ep = subject.endpoint().clone();
    let requests: Requests = Arc::new((w.requests)(&ep, &r.login(w, &ep)?));
    let (summary, cpu) = subject.cpu_while(|| r.closed(ep.addr, requests, r.window()));
    let summary = summary?;
    r.max_rps.insert(w.name, summary.requests_per_sec);
    let row = Row::named(name).with_load(&summary);
    let mut row = with_cpu_per_request(row, cpu, summary.requests_per_sec);
    row.vs_baseline = r.ratio(summary.requests_per_sec);
    row.server_rss_bytes = subject.rss();
    if let Some((per_request, unit)) = w.items {
        row = row.with_figure(summary.requests_per_sec * per_request as f64, unit);
    }
    Ok(subject.finish(row))
}

/// The closed-loop run of `w` while one subscriber of the live events, which
/// the server sends every message and call to, never reads a byte.
pub fn load_stalled_subscriber(r: &mut Runner, s: &Scenario, w: &Workload) -> Result<Row, String> {
    let subject = r.subject(s.emulator_args)?;
    let ep = subject.endpoint().clone();
    let requests: Requests = Arc::new((w.requests)(&ep, &r.login(w, &ep)?));
    let mut stalled = std::net::TcpStream::connect(ep.addr).map_err(|e| e.to_string())?;
    let subscribe = ep.request("GET", "/_emulator/events", None, None);
    std::io::Write::write_all(&mut stalled, &subscribe).map_err(|e| e.to_string())?;
    let summary = r.closed(ep.addr, requests, r.window())?;
    drop(stalled);
    let mut row = Row::named(&s.name).with_load(&summary);
    row.vs_baseline = r.ratio(summary.requests_per_sec);
    row.server_rss_bytes = subject.rss();
    Ok(subject.finish(row))
}

/// The closed-loop run of `w` on a tenant that `tenant` makes fire a callback
/// at a receiver (a baseline server) for every request; the row notes how the
/// callbacks ended, from the emulator's health.
pub fn load_callbacks(
    r: &mut Runner,
    s: &Scenario,
    w: &Workload,
    tenant: fn(&str) -> String,
) -> Result<Row, String> {
    let receiver = spawn_baseline()?;
    let subject = r.subject(s.emulator_args)?;
    let ep = subject.endpoint().clone();
    let url = format!("http://{}", receiver.endpoint.addr);
    let create = ep.request("POST", "/_emulator/tenants", None, Some(&tenant(&url)));
    let created = crate::oneshot::call(&ep, &create, Duration::from_secs(10))?;
    if created.status != 201 {
        let body = String::from_utf8_lossy(&created.body);
        return Err(format!(
            "POST /_emulator/tenants: {} {body}",
            created.status
        ));
    }
    let requests: Requests = Arc::new((w.requests)(&ep, &r.login(w, &ep)?));
    let (summary, cpu) = subject.cpu_while(|| r.closed(ep.addr, requests, r.window()));
    let summary = summary?;
    let row = Row::named(&s.name).with_load(&summary);
    let mut row = with_cpu_per_request(row, cpu, summary.requests_per_sec);
    row.vs_baseline = r.ratio(summary.requests_per_sec);
    row.server_rss_bytes = subject.rss();
    let outcomes = Health::callbacks(&ep, Duration::from_secs(2))?;
    let row = outcomes.iter().fold(row, |row, (name, n)| {
        row.with_detail(&format!("callbacks_{name}"), *n)
    });
    let note = outcomes.iter().map(|(name, n)| format!("{n} {name}"));
    let row = row.noted(format!(
        "callbacks: {}",
        note.collect::<Vec<_>>().join(", ")
    ));
    let row = stop_noted(receiver, row);
    Ok(subject.finish(row))
}

/// Latency of the baseline server in an open-loop run at half its maximum.
pub fn baseline_half_load(r: &mut Runner, name: &str, w: &Workload) -> Result<Row, String> {
    let max = r.baseline_rps.ok_or("the baseline did not run")?;
    let server = spawn_baseline()?;
    let requests: Requests = Arc::new((w.requests)(&server.endpoint, BASELINE_TOKEN));
    let mut row = paced(r, name, server.endpoint.addr, requests, max)?;
    row.server_rss_bytes = server.rss();
    Ok(stop_noted(server, row))
}

/// Latency of an open-loop run of `w` at half its measured maximum rate.
pub fn half_load(r: &mut Runner, s: &Scenario, w: &Workload) -> Result<Row, String> {
    let max = r.max_rps(w)?;
    let subject = r.subject(s.emulator_args)?;
    let ep = subject.endpoint().clone();
    let requests: Requests = Arc::new((w.requests)(&ep, &r.login(w, &ep)?));
    let (row, cpu) = subject.cpu_while(|| paced(r, &s.name, ep.addr, requests, max));
    let mut row = with_cpu(row?, cpu);
    row.server_rss_bytes = subject.rss();
    Ok(subject.finish(row))
}

/// The half-load run of `w` with `n` long-poll requests to `wait_path`
/// waiting on the server from before the run starts until after it ends.
pub fn half_load_waiters(
    r: &mut Runner,
    s: &Scenario,
    w: &Workload,
    n: usize,
    wait_path: &str,
) -> Result<Row, String> {
    let max = r.max_rps(w)?;
    ensure_open_files((n + r.opts.connections) as u64)?;
    let subject = r.subject(s.emulator_args)?;
    let ep = subject.endpoint().clone();
    let requests: Requests = Arc::new((w.requests)(&ep, &r.login(w, &ep)?));
    let waiters = open_waiters(&ep, wait_path, n)?;
    let (row, cpu) = subject.cpu_while(|| paced(r, &s.name, ep.addr, requests, max));
    let tally = waiters.close();
    let mut row = with_cpu(row?, cpu)
        .noted(waiters_note(n as u64, &tally))
        .with_detail("waiters", n as u64)
        .with_detail("waiters_waiting_at_end", tally.waiting)
        .with_detail("waiters_answered", tally.answered)
        .with_detail("waiters_failed", tally.failed);
    row.server_rss_bytes = subject.rss();
    Ok(subject.finish(row))
}

/// Opens `n` long-polls of `wait_path` on `ep` and returns once they wait:
/// every request written, counted by the server (where its health reply
/// counts waiters), and none answered.
fn open_waiters(ep: &Endpoint, wait_path: &str, n: usize) -> Result<Waiters, String> {
    let raw = ep.request("GET", wait_path, None, None);
    let waiters = Waiters::open(ep.addr, raw, n)?;
    waiters.wait_sent(n as u64, WAITERS_TIMEOUT)?;
    let deadline = Instant::now() + WAITERS_TIMEOUT;
    loop {
        match Health::read(ep, Duration::from_secs(2)).map(|h| h.waiters) {
            _ if waiters.tally().answered > 0 => break,
            Ok(Some(counted)) if counted >= n as u64 => break,
            Ok(Some(counted)) if Instant::now() >= deadline => {
                return Err(format!(
                    "the server counts {counted} of the {n} waiters after {WAITERS_TIMEOUT:?}"
                ))
            }
            Ok(Some(_)) => thread::sleep(WAITERS_POLL),
            // No count to read: the settle below gives them time to arrive.
            Ok(None) | Err(_) => break,
        }
    }
    thread::sleep(WAITERS_SETTLE);
    let t = waiters.tally();
    if t.answered > 0 || t.failed > 0 || t.waiting < n as u64 {
        return Err(format!(
            "the waiters do not wait: {}",
            t.problem
                .unwrap_or_else(|| format!("{} of {n} waiting", t.waiting))
        ));
    }
    Ok(waiters)
}

/// How the waiters fared over the run.
fn waiters_note(n: u64, t: &Tally) -> String {
    let mut note = if t.waiting == n && t.answered == 0 && t.failed == 0 {
        format!("{} long-poll waiters open throughout", thousands(n))
    } else {
        format!(
            "{} long-poll waiters: {} still waiting at the end, {} answered, {} failed",
            thousands(n),
            thousands(t.waiting),
            thousands(t.answered),
            thousands(t.failed)
        )
    };
    if let Some(problem) = &t.problem {
        note.push_str(&format!(" ({problem})"));
    }
    note
}

/// An open-loop run at half of `max` requests per second.
fn paced(
    r: &Runner,
    name: &str,
    addr: SocketAddr,
    requests: Requests,
    max: f64,
) -> Result<Row, String> {
    let rate = (max / 2.0).max(1.0);
    let schedule = Schedule {
        rate,
        warmup: r.opts.warmup(),
        measure: r.measure(),
    };
    let run = open_loop(
        addr,
        requests,
        r.opts.connections,
        schedule,
        r.opts.client_threads,
    )?;
    let summary = run.tally.summary(run.elapsed);
    let mut row = Row::named(name)
        .with_load(&summary)
        .with_figure(rate, "req/s offered");
    row.vs_baseline = r.ratio(summary.requests_per_sec);
    Ok(row.noted(format!(
        "open loop at 50% of {} req/s",
        thousands(max.round() as u64)
    )))
}

/// Starts this executable's baseline server on a free loopback port.
fn spawn_baseline() -> Result<Server, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut cmd = Command::new(exe);
    cmd.args(["baseline-server", "--bind", "127.0.0.1:0"]);
    Server::spawn(cmd)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waiters_note_says_when_they_did_not_all_wait() {
        let all = Tally {
            sent: 1000,
            waiting: 1000,
            ..Tally::default()
        };
        assert_eq!(
            waiters_note(1000, &all),
            "1,000 long-poll waiters open throughout"
        );
        let some = Tally {
            sent: 1001,
            waiting: 998,
            answered: 1,
            failed: 2,
            problem: Some("a waiter was answered with status 503".into()),
        };
        assert_eq!(
            waiters_note(1000, &some),
            "1,000 long-poll waiters: 998 still waiting at the end, 1 answered, 2 failed \
             (a waiter was answered with status 503)"
        );
    }
}
