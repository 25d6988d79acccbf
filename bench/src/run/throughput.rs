//! Throughput scenarios: the baseline, closed-loop maximum, open-loop half load.

use std::net::SocketAddr;
use std::process::Command;
use std::sync::Arc;

use super::{stop_noted, Runner};
use crate::child::Server;
use crate::load::Requests;
use crate::open_loop::{open_loop, Schedule};
use crate::results::Row;
use crate::scenario::Workload;
use crate::table::thousands;

/// Token the baseline requests carry (the baseline does not check it).
const BASELINE_TOKEN: &str = "baseline-token";

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
pub fn load(r: &mut Runner, name: &str, w: &Workload) -> Result<Row, String> {
    let subject = r.subject()?;
    let ep = subject.endpoint().clone();
    let requests: Requests = Arc::new((w.requests)(&ep, &r.login(w, &ep)?));
    let summary = r.closed(ep.addr, requests, r.window())?;
    r.max_rps.insert(w.name, summary.requests_per_sec);
    let mut row = Row::named(name).with_load(&summary);
    row.vs_baseline = r.ratio(summary.requests_per_sec);
    row.server_rss_bytes = subject.rss();
    if let Some((per_request, unit)) = w.items {
        row = row.with_figure(summary.requests_per_sec * per_request as f64, unit);
    }
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
pub fn half_load(r: &mut Runner, name: &str, w: &Workload) -> Result<Row, String> {
    let max = *r
        .max_rps
        .get(w.name)
        .ok_or_else(|| format!("{} did not run", w.name))?;
    let subject = r.subject()?;
    let ep = subject.endpoint().clone();
    let requests: Requests = Arc::new((w.requests)(&ep, &r.login(w, &ep)?));
    let mut row = paced(r, name, ep.addr, requests, max)?;
    row.server_rss_bytes = subject.rss();
    Ok(subject.finish(row))
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
