//! Throughput scenarios: the baseline, closed-loop maximum, open-loop half load.

use std::process::Command;
use std::sync::Arc;

use super::{stop_noted, Runner};
use crate::child::Server;
use crate::load::{closed_loop, Requests};
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
    let run = closed_loop(
        server.endpoint.addr,
        requests,
        r.opts.connections,
        r.window(),
        r.opts.client_threads,
    )?;
    let summary = run.tally.summary(run.elapsed);
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
    let run = closed_loop(
        ep.addr,
        requests,
        r.opts.connections,
        r.window(),
        r.opts.client_threads,
    )?;
    let summary = run.tally.summary(run.elapsed);
    r.max_rps.insert(w.name, summary.requests_per_sec);
    let mut row = Row::named(name).with_load(&summary);
    row.vs_baseline = r.ratio(summary.requests_per_sec);
    row.server_rss_bytes = subject.rss();
    if let Some((per_request, unit)) = w.items {
        row = row.with_figure(summary.requests_per_sec * per_request as f64, unit);
    }
    Ok(subject.finish(row))
}

/// Latency of an open-loop run of `w` at half its measured maximum rate.
pub fn half_load(r: &mut Runner, name: &str, w: &Workload) -> Result<Row, String> {
    let max = *r
        .max_rps
        .get(w.name)
        .ok_or_else(|| format!("{} did not run", w.name))?;
    let rate = (max / 2.0).max(1.0);
    let subject = r.subject()?;
    let ep = subject.endpoint().clone();
    let requests: Requests = Arc::new((w.requests)(&ep, &r.login(w, &ep)?));
    let schedule = Schedule {
        rate,
        warmup: r.opts.warmup(),
        measure: r.measure(),
    };
    let run = open_loop(
        ep.addr,
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
    row.server_rss_bytes = subject.rss();
    let row = row.noted(format!(
        "open loop at 50% of {} req/s",
        thousands(max.round() as u64)
    ));
    Ok(subject.finish(row))
}

/// Starts this executable's baseline server on a free loopback port.
fn spawn_baseline() -> Result<Server, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut cmd = Command::new(exe);
    cmd.args(["baseline-server", "--bind", "127.0.0.1:0"]);
    Server::spawn(cmd)
}
